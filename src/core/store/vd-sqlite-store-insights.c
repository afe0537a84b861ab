/* vd-sqlite-store-insights.c: the feedback loop, the reviewers' figures and
 * the calibration in a VdSqliteStore
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

#define G_LOG_DOMAIN "vd-sqlite-store"

#include "config.h"

#include "vd-audit-event-private.h"
#include "vd-sqlite-store-private.h"
#include "vd-text.h"
#include "vd-timestamp.h"

/* The decisions a reviewer took one by one: not by the policy or a deadline
 * (automatic), not taken back, not the unseen part of a bulk approve. */
#define ONE_BY_ONE "d.automatic = 0 AND d.retracted_seq IS NULL AND d.bulk_id IS NULL"

/* The revision a decision is about: the item's current one (in items) or
 * an older one (in revisions). */
#define DECIDED_REVISION_JOIN \
  "JOIN items i ON i.id = d.item_id " \
  "LEFT JOIN revisions r ON r.item_id = d.item_id AND r.revision = d.revision " \
  "AND d.revision <> i.revision "

static const char *
empty_to_null (const char *text)
{
  return text != NULL && text[0] != '\0' ? text : NULL;
}

/* Binds the optional filters ?1 queue, ?2 since (usec) or ?2 task type. */
static void
bind_queue (sqlite3_stmt *stmt,
            const char   *queue)
{
  if (queue != NULL)
    _vd_sqlite_bind_text (stmt, 1, queue);
}

gboolean
_vd_sqlite_store_add_suggestion (VdStore     *store,
                                 const char  *text,
                                 const char  *reviewer_id,
                                 const char  *queue,
                                 const char  *task_id,
                                 gint64      *id,
                                 GError     **error)
{
  VdSqliteStore *self = VD_SQLITE_STORE (store);
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(VdAuditEvent) event = NULL;
  sqlite3_stmt *stmt;
  GString *payload;
  gint64 now_usec;

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

  payload = _vd_json_object_begin ();
  _vd_json_object_add_string (payload, "text", text);
  event = _vd_audit_event_new_take_json (reviewer_id, VD_AUDIT_FEEDBACK_SUGGESTION,
                                         queue != NULL ? queue : "",
                                         task_id != NULL ? task_id : "",
                                         _vd_json_object_end (payload));
  now_usec = g_get_real_time ();

  locker = g_mutex_locker_new (&self->lock);

  if (!_vd_sqlite_store_begin (self, error))
    return FALSE;

  if (!_vd_sqlite_store_append_locked (self, event, error))
    goto failed;

  stmt = _vd_sqlite_store_prepare (self,
                                   "INSERT INTO feedback_suggestions (text, reviewer_id, queue, "
                                   "task_id, created_at, audit_seq) "
                                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                                   error);
  if (stmt == NULL)
    goto failed;

  _vd_sqlite_bind_text (stmt, 1, text);
  _vd_sqlite_bind_text (stmt, 2, reviewer_id);
  _vd_sqlite_bind_text (stmt, 3, queue);
  _vd_sqlite_bind_text (stmt, 4, task_id);
  sqlite3_bind_int64 (stmt, 5, now_usec);
  sqlite3_bind_int64 (stmt, 6, vd_audit_event_get_seq (event));
  if (!_vd_sqlite_store_step_done (self, stmt, error))
    goto failed;

  if (id != NULL)
    *id = sqlite3_last_insert_rowid (self->db);

  return _vd_sqlite_store_commit (self, error);

failed:
  _vd_sqlite_store_rollback (self);
  return FALSE;
}

GStrv
_vd_sqlite_store_list_suggestions (VdStore     *store,
                                   const char  *queue,
                                   GError     **error)
{
  VdSqliteStore *self = VD_SQLITE_STORE (store);
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_autoptr(VdSqliteCursor) stmt = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  int rc;

  if (queue != NULL)
    stmt = _vd_sqlite_store_prepare (self,
                                     "SELECT text FROM feedback_suggestions WHERE queue = ?1 "
                                     "ORDER BY id",
                                     error);
  else
    stmt = _vd_sqlite_store_prepare (self,
                                     "SELECT text FROM feedback_suggestions ORDER BY id",
                                     error);
  if (stmt == NULL)
    return NULL;

  bind_queue (stmt, queue);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_strv_builder_add (builder, _vd_sqlite_column_text (stmt, 0));

  if (rc != SQLITE_DONE)
    {
      _vd_sqlite_store_set_error (self, error, "Could not list the improvement suggestions");
      return NULL;
    }

  return g_strv_builder_end (builder);
}

gboolean
_vd_sqlite_store_foreach_feedback (VdStore               *store,
                                   const char            *queue,
                                   gboolean               with_output,
                                   VdFeedbackRecordFunc   func,
                                   gpointer               user_data,
                                   GError               **error)
{
  VdSqliteStore *self = VD_SQLITE_STORE (store);
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_autoptr(VdSqliteCursor) stmt = NULL;
  g_autoptr(GString) sql = NULL;
  int rc;

  sql = g_string_new ("SELECT d.task_id, d.feedback, d.helpful, d.category, d.timestamp");
  if (with_output)
    g_string_append (sql, ", COALESCE (r.content, i.content) FROM decisions d "
                     DECIDED_REVISION_JOIN);
  else
    g_string_append (sql, " FROM decisions d ");
  g_string_append (sql, "WHERE d.helpful IS NOT NULL AND d.retracted_seq IS NULL");
  if (queue != NULL)
    g_string_append (sql, " AND d.queue = ?1");
  g_string_append (sql, " ORDER BY d.id");

  stmt = _vd_sqlite_store_prepare_text (self, sql->str, error);
  if (stmt == NULL)
    return FALSE;

  bind_queue (stmt, queue);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      VdFeedbackRecord record = {
        .task_id = _vd_sqlite_column_text (stmt, 0),
        .original_output = with_output ? _vd_sqlite_column_text (stmt, 5) : NULL,
        .feedback = _vd_sqlite_column_text (stmt, 1),
        .was_helpful = sqlite3_column_int (stmt, 2) != 0,
        .category = (const char *) sqlite3_column_text (stmt, 3),
        .timestamp = sqlite3_column_int64 (stmt, 4),
      };

      if (!func (&record, user_data))
        return TRUE;
    }

  if (rc != SQLITE_DONE)
    {
      _vd_sqlite_store_set_error (self, error, "Could not read the feedback");
      return FALSE;
    }

  return TRUE;
}

gboolean
_vd_sqlite_store_foreach_reviewer_decision (VdStore                 *store,
                                            const char              *queue,
                                            GDateTime               *since,
                                            VdReviewerDecisionFunc   func,
                                            gpointer                 user_data,
                                            GError                 **error)
{
  VdSqliteStore *self = VD_SQLITE_STORE (store);
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_autoptr(VdSqliteCursor) stmt = NULL;
  g_autoptr(GString) sql = NULL;
  int rc;

  /* decisions_reviewer_timestamp gives this order without sorting. */
  sql = g_string_new ("SELECT d.reviewer_id, d.queue, d.timestamp, d.duration_ms, "
                      "d.decision, d.modified_content <> '', i.expected_decision "
                      "FROM decisions d JOIN items i ON i.id = d.item_id "
                      "WHERE " ONE_BY_ONE);
  if (queue != NULL)
    g_string_append (sql, " AND d.queue = ?1");
  if (since != NULL)
    g_string_append (sql, " AND d.timestamp >= ?2");
  g_string_append (sql, " ORDER BY d.reviewer_id, d.timestamp, d.id");

  stmt = _vd_sqlite_store_prepare_text (self, sql->str, error);
  if (stmt == NULL)
    return FALSE;

  bind_queue (stmt, queue);
  if (since != NULL)
    sqlite3_bind_int64 (stmt, 2, vd_timestamp_to_usec (since));

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      VdReviewerDecision decision = {
        .reviewer_id = _vd_sqlite_column_text (stmt, 0),
        .queue = _vd_sqlite_column_text (stmt, 1),
        .timestamp = sqlite3_column_int64 (stmt, 2),
        .duration_ms = sqlite3_column_int64 (stmt, 3),
        .kind = VD_DECISION_KIND_APPROVE,
        .modified = sqlite3_column_int (stmt, 5) != 0,
        .expected_decision = empty_to_null ((const char *) sqlite3_column_text (stmt, 6)),
      };

      if (!vd_decision_kind_from_string (_vd_sqlite_column_text (stmt, 4), &decision.kind))
        continue;
      if (decision.kind == VD_DECISION_KIND_MODIFY)
        decision.modified = TRUE;

      if (!func (&decision, user_data))
        return TRUE;
    }

  if (rc != SQLITE_DONE)
    {
      _vd_sqlite_store_set_error (self, error, "Could not read the reviewers' decisions");
      return FALSE;
    }

  return TRUE;
}

gboolean
_vd_sqlite_store_get_approval_rate (VdStore     *store,
                                    const char  *queue,
                                    GDateTime   *since,
                                    guint64     *decisions,
                                    guint64     *approvals,
                                    GError     **error)
{
  VdSqliteStore *self = VD_SQLITE_STORE (store);
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_autoptr(VdSqliteCursor) stmt = NULL;
  g_autoptr(GString) sql = NULL;

  sql = g_string_new ("SELECT COUNT(*), COALESCE (SUM (d.decision = 'approve' "
                      "AND d.modified_content = ''), 0) FROM decisions d WHERE " ONE_BY_ONE);
  if (queue != NULL)
    g_string_append (sql, " AND d.queue = ?1");
  if (since != NULL)
    g_string_append (sql, " AND d.timestamp >= ?2");

  stmt = _vd_sqlite_store_prepare_text (self, sql->str, error);
  if (stmt == NULL)
    return FALSE;

  bind_queue (stmt, queue);
  if (since != NULL)
    sqlite3_bind_int64 (stmt, 2, vd_timestamp_to_usec (since));

  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      _vd_sqlite_store_set_error (self, error, "Could not compute the team's approval rate");
      return FALSE;
    }

  *decisions = sqlite3_column_int64 (stmt, 0);
  *approvals = sqlite3_column_int64 (stmt, 1);

  return TRUE;
}

gboolean
_vd_sqlite_store_foreach_calibration (VdStore            *store,
                                      const char         *queue,
                                      const char         *task_type,
                                      VdCalibrationFunc   func,
                                      gpointer            user_data,
                                      GError            **error)
{
  VdSqliteStore *self = VD_SQLITE_STORE (store);
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_autoptr(VdSqliteCursor) stmt = NULL;
  g_autoptr(GString) sql = NULL;
  int rc;

  /* An item escalated for anything but its confidence reaches a reviewer
   * whatever the threshold: no threshold saves its review. */
  sql = g_string_new ("SELECT CASE WHEN r.item_id IS NULL THEN i.confidence "
                      "ELSE r.confidence END, "
                      "d.decision = 'approve' AND d.modified_content = '', "
                      "i.task_type, "
                      "CASE WHEN json_valid (COALESCE (r.metadata, i.metadata)) "
                      "THEN json_extract (COALESCE (r.metadata, i.metadata), '$.model') END, "
                      "COALESCE (i.escalation_reason, '') NOT IN ('low_confidence', 'none', ''), "
                      "COUNT(*) "
                      "FROM decisions d " DECIDED_REVISION_JOIN
                      "WHERE " ONE_BY_ONE
                      /* Items without a confidence say nothing about it. */
                      " AND (CASE WHEN r.item_id IS NULL THEN i.confidence "
                      "ELSE r.confidence END) IS NOT NULL");
  if (queue != NULL)
    g_string_append (sql, " AND d.queue = ?1");
  if (task_type != NULL)
    g_string_append (sql, " AND i.task_type = ?2");
  g_string_append (sql, " GROUP BY 1, 2, 3, 4, 5");

  stmt = _vd_sqlite_store_prepare_text (self, sql->str, error);
  if (stmt == NULL)
    return FALSE;

  bind_queue (stmt, queue);
  if (task_type != NULL)
    _vd_sqlite_bind_text (stmt, 2, task_type);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      VdCalibrationObservation observation = {
        .confidence = CLAMP (sqlite3_column_double (stmt, 0), 0.0, 1.0),
        .approved_unchanged = sqlite3_column_int (stmt, 1) != 0,
        .task_type = empty_to_null ((const char *) sqlite3_column_text (stmt, 2)),
        .model = empty_to_null ((const char *) sqlite3_column_text (stmt, 3)),
        .still_reviewed = sqlite3_column_int (stmt, 4) != 0,
        .count = sqlite3_column_int64 (stmt, 5),
      };

      if (!func (&observation, user_data))
        return TRUE;
    }

  if (rc != SQLITE_DONE)
    {
      _vd_sqlite_store_set_error (self, error, "Could not read the calibration observations");
      return FALSE;
    }

  return TRUE;
}

gboolean
_vd_sqlite_store_count_decisions (VdStore           *store,
                                  const char        *queue,
                                  GDateTime         *from,
                                  GDateTime         *to,
                                  VdDecisionCounts  *counts,
                                  GError           **error)
{
  VdSqliteStore *self = VD_SQLITE_STORE (store);
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_autoptr(VdSqliteCursor) stmt = NULL;
  VdDecisionCounts result = { 0, };
  int rc;

  /* decisions_timestamp: one index range per span. */
  if (queue != NULL)
    stmt = _vd_sqlite_store_prepare (self,
                                     "SELECT decision, automatic <> 0 OR bulk_id IS NOT NULL, "
                                     "COUNT(*) FROM decisions "
                                     "WHERE timestamp >= ?2 AND timestamp < ?3 "
                                     "AND retracted_seq IS NULL AND queue = ?1 GROUP BY 1, 2",
                                     error);
  else
    stmt = _vd_sqlite_store_prepare (self,
                                     "SELECT decision, automatic <> 0 OR bulk_id IS NOT NULL, "
                                     "COUNT(*) FROM decisions "
                                     "WHERE timestamp >= ?2 AND timestamp < ?3 "
                                     "AND retracted_seq IS NULL GROUP BY 1, 2",
                                     error);
  if (stmt == NULL)
    return FALSE;

  bind_queue (stmt, queue);
  sqlite3_bind_int64 (stmt, 2, vd_timestamp_to_usec (from));
  sqlite3_bind_int64 (stmt, 3, vd_timestamp_to_usec (to));

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      VdDecisionKind kind;
      guint64 n = sqlite3_column_int64 (stmt, 2);

      if (sqlite3_column_int (stmt, 1) != 0)
        {
          result.automatic += n;
          continue;
        }

      if (!vd_decision_kind_from_string (_vd_sqlite_column_text (stmt, 0), &kind))
        continue;

      switch (kind)
        {
        case VD_DECISION_KIND_APPROVE:
          result.approved += n;
          break;
        case VD_DECISION_KIND_REJECT:
          result.rejected += n;
          break;
        case VD_DECISION_KIND_MODIFY:
          result.modified += n;
          break;
        case VD_DECISION_KIND_ESCALATE_FURTHER:
          result.escalated += n;
          break;
        default:
          break;
        }
    }

  if (rc != SQLITE_DONE)
    {
      _vd_sqlite_store_set_error (self, error, "Could not count the decisions");
      return FALSE;
    }

  *counts = result;
  return TRUE;
}

gboolean
_vd_sqlite_store_foreach_training_row (VdStore            *store,
                                       const char         *queue,
                                       VdTrainingRowFunc   func,
                                       gpointer            user_data,
                                       GError            **error)
{
  VdSqliteStore *self = VD_SQLITE_STORE (store);
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_autoptr(VdSqliteCursor) stmt = NULL;
  g_autoptr(GString) sql = NULL;
  int rc;

  /* decisions_item gives the order by item and revision. */
  sql = g_string_new ("SELECT d.item_id, i.queue, i.task_id, i.task_type, i.task_description, "
                      "i.context, d.revision, COALESCE (r.content, i.content), d.decision, "
                      "d.modified_content, d.feedback, d.reviewer_id, d.timestamp "
                      "FROM decisions d " DECIDED_REVISION_JOIN
                      "WHERE " ONE_BY_ONE);
  if (queue != NULL)
    g_string_append (sql, " AND d.queue = ?1");
  g_string_append (sql, " ORDER BY d.item_id, d.revision, d.id");

  stmt = _vd_sqlite_store_prepare_text (self, sql->str, error);
  if (stmt == NULL)
    return FALSE;

  bind_queue (stmt, queue);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      VdTrainingRow row = {
        .item_id = sqlite3_column_int64 (stmt, 0),
        .queue = _vd_sqlite_column_text (stmt, 1),
        .task_id = _vd_sqlite_column_text (stmt, 2),
        .task_type = _vd_sqlite_column_text (stmt, 3),
        .task_description = _vd_sqlite_column_text (stmt, 4),
        .context = _vd_sqlite_column_text (stmt, 5),
        .revision = sqlite3_column_int (stmt, 6),
        .content = _vd_sqlite_column_text (stmt, 7),
        .kind = VD_DECISION_KIND_APPROVE,
        .modified_content = _vd_sqlite_column_text (stmt, 9),
        .feedback = _vd_sqlite_column_text (stmt, 10),
        .reviewer_id = _vd_sqlite_column_text (stmt, 11),
        .timestamp = sqlite3_column_int64 (stmt, 12),
      };

      if (!vd_decision_kind_from_string (_vd_sqlite_column_text (stmt, 8), &row.kind))
        continue;

      if (!func (&row, user_data))
        return TRUE;
    }

  if (rc != SQLITE_DONE)
    {
      _vd_sqlite_store_set_error (self, error, "Could not read the decisions for training");
      return FALSE;
    }

  return TRUE;
}
