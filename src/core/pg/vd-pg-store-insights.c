/* vd-pg-store-insights.c: the feedback loop of a VdPgStore
 *
 * Copyright 2026 The Verdict developers
 *
 * This program is free software: you can redistribute it and/or modify
 * it under the terms of the GNU General Public License as published by
 * the Free Software Foundation, either version 3 of the License, or
 * (at your option) any later version.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "vd-pg-store"

#include "config.h"

#include "vd-audit-event-private.h"
#include "vd-pg-store-private.h"
#include "vd-text.h"

gboolean
_vd_pg_store_add_suggestion (VdStore     *store,
                             const char  *text,
                             const char  *reviewer_id,
                             const char  *queue,
                             const char  *task_id,
                             gint64      *id,
                             GError     **error)
{
  VdPgStore *self = VD_PG_STORE (store);
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(VdAuditEvent) event = NULL;
  g_autoptr(VdPgParams) params = _vd_pg_params_new ();
  g_autoptr(PGresult) result = NULL;
  GString *payload;

  if (vd_text_is_blank (text))
    {
      g_set_error_literal (error, VD_STORE_ERROR, VD_STORE_ERROR_INVALID,
                           "An improvement suggestion needs text: say what the agent "
                           "should do better");
      return FALSE;
    }
  if (vd_text_is_blank (reviewer_id))
    {
      g_set_error_literal (error, VD_STORE_ERROR, VD_STORE_ERROR_INVALID,
                           "An improvement suggestion needs a reviewer id");
      return FALSE;
    }

  locker = g_mutex_locker_new (&self->lock);
  if (g_strcmp0 (reviewer_id, self->session_user) != 0)
    {
      g_set_error (error, VD_STORE_ERROR, VD_STORE_ERROR_PERMISSION,
                   "%s may not suggest as %s: this connection is logged in to the database "
                   "as %s", self->session_user, reviewer_id, self->session_user);
      return FALSE;
    }

  payload = _vd_json_object_begin ();
  _vd_json_object_add_string (payload, "text", text);
  event = _vd_audit_event_new_take_json (reviewer_id, VD_AUDIT_FEEDBACK_SUGGESTION,
                                         queue != NULL ? queue : "",
                                         task_id != NULL ? task_id : "",
                                         _vd_json_object_end (payload));

  if (!_vd_pg_store_begin (self, error))
    return FALSE;
  if (!_vd_pg_store_append_locked (self, event, error))
    goto failed;

  _vd_pg_params_add_text (params, text);
  _vd_pg_params_add_text (params, reviewer_id);
  _vd_pg_params_add_text (params, queue != NULL ? queue : "");
  _vd_pg_params_add_text (params, task_id != NULL ? task_id : "");
  _vd_pg_params_add_int (params, g_get_real_time ());
  _vd_pg_params_add_int (params, vd_audit_event_get_seq (event));
  result = _vd_pg_store_exec (self,
                              "INSERT INTO feedback_suggestions (text, reviewer_id, queue, "
                              "task_id, created_at, audit_seq) VALUES ($1, $2, $3, $4, $5, $6) "
                              "RETURNING id",
                              params, error);
  if (result == NULL)
    goto failed;
  if (!_vd_pg_store_commit (self, error))
    return FALSE;

  if (id != NULL)
    *id = _vd_pg_get_int (result, 0, 0);
  return TRUE;

failed:
  _vd_pg_store_rollback (self);
  return FALSE;
}

GStrv
_vd_pg_store_list_suggestions (VdStore     *store,
                               const char  *queue,
                               GError     **error)
{
  VdPgStore *self = VD_PG_STORE (store);
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_autoptr(VdPgParams) params = _vd_pg_params_new ();
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(PGresult) result = NULL;

  if (!_vd_pg_store_ensure_connected (self, error))
    return NULL;

  _vd_pg_params_add_text (params, queue);
  result = _vd_pg_store_exec (self,
                              "SELECT text FROM feedback_suggestions "
                              "WHERE $1::text IS NULL OR queue = $1 ORDER BY id",
                              params, error);
  if (result == NULL)
    return NULL;
  for (int i = 0; i < PQntuples (result); i++)
    g_strv_builder_add (builder, PQgetvalue (result, i, 0));
  return g_strv_builder_end (builder);
}
