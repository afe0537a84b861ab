/* vd-pg-store-sla.c: the deadlines of a VdPgStore (reads only)
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

#include <string.h>

#include "vd-pg-store-private.h"
#include "vd-timestamp.h"

/* Undecided items with a deadline and no fallback yet (index items_sla_due). */
#define DUE_WHERE "sla_fallback IS NULL AND due_at IS NOT NULL " \
  "AND status IN ('pending', 'in_review', 'escalated')"

gboolean
_vd_pg_store_get_next_deadline (VdStore     *store,
                                GDateTime  **due_at,
                                GError     **error)
{
  VdPgStore *self = VD_PG_STORE (store);
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_autoptr(PGresult) result = NULL;

  if (!_vd_pg_store_ensure_connected (self, error))
    return FALSE;

  result = _vd_pg_store_exec (self,
                              "SELECT due_at FROM items WHERE " DUE_WHERE
                              " ORDER BY due_at LIMIT 1",
                              NULL, error);
  if (result == NULL)
    return FALSE;
  *due_at = PQntuples (result) == 1 ? vd_timestamp_from_usec (_vd_pg_get_int (result, 0, 0))
                                    : NULL;
  return TRUE;
}

gboolean
_vd_pg_store_count_due (VdStore     *store,
                        const char  *queue,
                        GDateTime   *before,
                        guint64     *count,
                        GError     **error)
{
  VdPgStore *self = VD_PG_STORE (store);
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_autoptr(VdPgParams) params = _vd_pg_params_new ();
  g_autoptr(PGresult) result = NULL;

  if (!_vd_pg_store_ensure_connected (self, error))
    return FALSE;

  _vd_pg_params_add_int (params, vd_timestamp_to_usec (before));
  _vd_pg_params_add_text (params, queue);
  result = _vd_pg_store_exec (self,
                              "SELECT count (*) FROM items WHERE " DUE_WHERE
                              " AND due_at <= $1 AND ($2::text IS NULL OR queue = $2)",
                              params, error);
  if (result == NULL)
    return FALSE;
  *count = _vd_pg_get_int (result, 0, 0);
  return TRUE;
}

gboolean
_vd_pg_store_get_sla_record (VdStore      *store,
                             gint64        item_id,
                             VdSlaRecord  *record,
                             GError      **error)
{
  VdPgStore *self = VD_PG_STORE (store);
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_autoptr(VdPgParams) params = _vd_pg_params_new ();
  g_autoptr(PGresult) result = NULL;

  memset (record, 0, sizeof *record);
  if (!_vd_pg_store_ensure_connected (self, error))
    return FALSE;

  _vd_pg_params_add_int (params, item_id);
  result = _vd_pg_store_exec (self,
                              "SELECT sla_fallback, sla_configured, sla_rule, sla_deadline, "
                              "sla_applied_at FROM items WHERE id = $1",
                              params, error);
  if (result == NULL)
    return FALSE;
  if (PQntuples (result) == 0)
    {
      g_set_error (error, VD_STORE_ERROR, VD_STORE_ERROR_NOT_FOUND,
                   "No item with id %" G_GINT64_FORMAT, item_id);
      return FALSE;
    }

  if (_vd_pg_is_null (result, 0, 0) ||
      !vd_sla_fallback_from_string (PQgetvalue (result, 0, 0), &record->fallback))
    return TRUE;

  record->applied = TRUE;
  if (!vd_sla_fallback_from_string (PQgetvalue (result, 0, 1), &record->configured))
    record->configured = record->fallback;
  record->rule = g_strdup (PQgetvalue (result, 0, 2));
  record->deadline = vd_timestamp_from_usec (_vd_pg_get_int (result, 0, 3));
  record->applied_at = vd_timestamp_from_usec (_vd_pg_get_int (result, 0, 4));
  return TRUE;
}
