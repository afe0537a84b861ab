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
#include "vd-timestamp.h"

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
  if (!_vd_pg_store_may_act_as (self, reviewer_id))
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

/* The reviewers' decisions taken one by one and in force, by reviewer and
 * time (scanned: SQLite keeps them in a table of their own). */
gboolean
_vd_pg_store_foreach_reviewer_decision (VdStore                 *store,
                                        const char              *queue,
                                        GDateTime               *since,
                                        VdReviewerDecisionFunc   func,
                                        gpointer                 user_data,
                                        GError                 **error)
{
  VdPgStore *self = VD_PG_STORE (store);
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_autoptr(VdPgParams) params = _vd_pg_params_new ();
  g_autoptr(PGresult) result = NULL;

  if (!_vd_pg_store_ensure_connected (self, error))
    return FALSE;

  _vd_pg_params_add_text (params, queue);
  if (since != NULL)
    _vd_pg_params_add_int (params, vd_timestamp_to_usec (since));
  else
    _vd_pg_params_add_text (params, NULL);
  result = _vd_pg_store_exec (self,
                              "SELECT d.reviewer_id, d.queue, d.timestamp, d.duration_ms, "
                              "d.decision, d.modified_content <> '', i.expected_decision "
                              "FROM decisions d JOIN items i ON i.id = d.item_id "
                              "WHERE d.automatic = 0 AND d.retracted_seq IS NULL "
                              "AND d.bulk_id IS NULL AND ($1::text IS NULL OR d.queue = $1) "
                              "AND ($2::bigint IS NULL OR d.timestamp >= $2) "
                              "ORDER BY d.reviewer_id, d.timestamp, d.id",
                              params, error);
  if (result == NULL)
    return FALSE;

  for (int i = 0; i < PQntuples (result); i++)
    {
      const char *expected = _vd_pg_get_text (result, i, 6);
      VdReviewerDecision decision = {
        .reviewer_id = PQgetvalue (result, i, 0),
        .queue = PQgetvalue (result, i, 1),
        .timestamp = _vd_pg_get_int (result, i, 2),
        .duration_ms = _vd_pg_get_int (result, i, 3),
        .kind = VD_DECISION_KIND_APPROVE,
        .modified = g_str_equal (PQgetvalue (result, i, 5), "t"),
        .expected_decision = expected != NULL && *expected != '\0' ? expected : NULL,
      };

      if (!vd_decision_kind_from_string (PQgetvalue (result, i, 4), &decision.kind))
        continue;
      if (decision.kind == VD_DECISION_KIND_MODIFY)
        decision.modified = TRUE;
      if (!func (&decision, user_data))
        return TRUE;
    }
  return TRUE;
}

gboolean
_vd_pg_store_get_approval_rate (VdStore     *store,
                                const char  *queue,
                                GDateTime   *since,
                                guint64     *decisions,
                                guint64     *approvals,
                                GError     **error)
{
  VdPgStore *self = VD_PG_STORE (store);
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_autoptr(VdPgParams) params = _vd_pg_params_new ();
  g_autoptr(PGresult) result = NULL;

  if (!_vd_pg_store_ensure_connected (self, error))
    return FALSE;

  _vd_pg_params_add_text (params, queue);
  if (since != NULL)
    _vd_pg_params_add_int (params, vd_timestamp_to_usec (since));
  else
    _vd_pg_params_add_text (params, NULL);
  result = _vd_pg_store_exec (self,
                              "SELECT count (*), count (*) FILTER (WHERE decision = 'approve' "
                              "AND modified_content = '') FROM decisions "
                              "WHERE automatic = 0 AND retracted_seq IS NULL AND bulk_id IS NULL "
                              "AND ($1::text IS NULL OR queue = $1) "
                              "AND ($2::bigint IS NULL OR timestamp >= $2)",
                              params, error);
  if (result == NULL)
    return FALSE;
  *decisions = _vd_pg_get_int (result, 0, 0);
  *approvals = _vd_pg_get_int (result, 0, 1);
  return TRUE;
}

/* Decisions in force in [@from, @to), by kind; automatic ones (the policy,
 * the deadline, a bulk approve) together. */
gboolean
_vd_pg_store_count_decisions (VdStore           *store,
                              const char        *queue,
                              GDateTime         *from,
                              GDateTime         *to,
                              VdDecisionCounts  *counts,
                              GError           **error)
{
  VdPgStore *self = VD_PG_STORE (store);
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_autoptr(VdPgParams) params = _vd_pg_params_new ();
  g_autoptr(PGresult) result = NULL;
  VdDecisionCounts found = { 0, };

  if (!_vd_pg_store_ensure_connected (self, error))
    return FALSE;

  _vd_pg_params_add_text (params, queue);
  _vd_pg_params_add_int (params, vd_timestamp_to_usec (from));
  _vd_pg_params_add_int (params, vd_timestamp_to_usec (to));
  result = _vd_pg_store_exec (self,
                              "SELECT decision, automatic <> 0 OR bulk_id IS NOT NULL, count (*) "
                              "FROM decisions WHERE timestamp >= $2 AND timestamp < $3 "
                              "AND retracted_seq IS NULL AND ($1::text IS NULL OR queue = $1) "
                              "GROUP BY 1, 2",
                              params, error);
  if (result == NULL)
    return FALSE;

  for (int i = 0; i < PQntuples (result); i++)
    {
      VdDecisionKind kind;
      guint64 n = _vd_pg_get_int (result, i, 2);

      if (g_str_equal (PQgetvalue (result, i, 1), "t"))
        {
          found.automatic += n;
          continue;
        }
      if (!vd_decision_kind_from_string (PQgetvalue (result, i, 0), &kind))
        continue;
      switch (kind)
        {
        case VD_DECISION_KIND_APPROVE:
          found.approved += n;
          break;
        case VD_DECISION_KIND_REJECT:
          found.rejected += n;
          break;
        case VD_DECISION_KIND_MODIFY:
          found.modified += n;
          break;
        case VD_DECISION_KIND_ESCALATE_FURTHER:
          found.escalated += n;
          break;
        default:
          break;
        }
    }

  *counts = found;
  return TRUE;
}

/* The revision a decision is about: the item's current one (in items) or
 * an older one (in revisions). */
#define DECIDED_REVISION_JOIN \
  "JOIN items i ON i.id = d.item_id " \
  "LEFT JOIN revisions r ON r.item_id = d.item_id AND r.revision = d.revision " \
  "AND d.revision <> i.revision "

gboolean
_vd_pg_store_foreach_feedback (VdStore               *store,
                               const char            *queue,
                               gboolean               with_output,
                               VdFeedbackRecordFunc   func,
                               gpointer               user_data,
                               GError               **error)
{
  VdPgStore *self = VD_PG_STORE (store);
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_autoptr(VdPgParams) params = _vd_pg_params_new ();
  g_autoptr(PGresult) result = NULL;

  if (!_vd_pg_store_ensure_connected (self, error))
    return FALSE;

  _vd_pg_params_add_text (params, queue);
  result = _vd_pg_store_exec (self,
                              "SELECT d.task_id, d.feedback, d.helpful, d.category, d.timestamp, "
                              "coalesce (r.content, i.content) FROM decisions d "
                              DECIDED_REVISION_JOIN
                              "WHERE d.helpful IS NOT NULL AND d.retracted_seq IS NULL "
                              "AND ($1::text IS NULL OR d.queue = $1) ORDER BY d.id",
                              params, error);
  if (result == NULL)
    return FALSE;

  for (int i = 0; i < PQntuples (result); i++)
    {
      VdFeedbackRecord record = {
        .task_id = PQgetvalue (result, i, 0),
        .original_output = with_output ? PQgetvalue (result, i, 5) : NULL,
        .feedback = PQgetvalue (result, i, 1),
        .was_helpful = _vd_pg_get_int (result, i, 2) != 0,
        .category = _vd_pg_get_text (result, i, 3),
        .timestamp = _vd_pg_get_int (result, i, 4),
      };

      if (!func (&record, user_data))
        return TRUE;
    }
  return TRUE;
}

gboolean
_vd_pg_store_foreach_training_row (VdStore            *store,
                                   const char         *queue,
                                   VdTrainingRowFunc   func,
                                   gpointer            user_data,
                                   GError            **error)
{
  VdPgStore *self = VD_PG_STORE (store);
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_autoptr(VdPgParams) params = _vd_pg_params_new ();
  g_autoptr(PGresult) result = NULL;

  if (!_vd_pg_store_ensure_connected (self, error))
    return FALSE;

  _vd_pg_params_add_text (params, queue);
  result = _vd_pg_store_exec (self,
                              "SELECT d.item_id, i.queue, i.task_id, i.task_type, "
                              "i.task_description, i.context, d.revision, "
                              "coalesce (r.content, i.content), d.decision, d.modified_content, "
                              "d.feedback, d.reviewer_id, d.timestamp FROM decisions d "
                              DECIDED_REVISION_JOIN
                              "WHERE d.automatic = 0 AND d.retracted_seq IS NULL "
                              "AND d.bulk_id IS NULL AND ($1::text IS NULL OR d.queue = $1) "
                              "ORDER BY d.item_id, d.revision, d.id",
                              params, error);
  if (result == NULL)
    return FALSE;

  for (int i = 0; i < PQntuples (result); i++)
    {
      VdTrainingRow row = {
        .item_id = _vd_pg_get_int (result, i, 0),
        .queue = PQgetvalue (result, i, 1),
        .task_id = PQgetvalue (result, i, 2),
        .task_type = PQgetvalue (result, i, 3),
        .task_description = PQgetvalue (result, i, 4),
        .context = PQgetvalue (result, i, 5),
        .revision = _vd_pg_get_int (result, i, 6),
        .content = PQgetvalue (result, i, 7),
        .kind = VD_DECISION_KIND_APPROVE,
        .modified_content = PQgetvalue (result, i, 9),
        .feedback = PQgetvalue (result, i, 10),
        .reviewer_id = PQgetvalue (result, i, 11),
        .timestamp = _vd_pg_get_int (result, i, 12),
      };

      if (!vd_decision_kind_from_string (PQgetvalue (result, i, 8), &row.kind))
        continue;
      if (!func (&row, user_data))
        return TRUE;
    }
  return TRUE;
}
