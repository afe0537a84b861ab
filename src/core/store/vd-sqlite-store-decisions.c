/* vd-sqlite-store-decisions.c: decisions in a VdSqliteStore
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
#include "vd-decision-rules.h"
#include "vd-sqlite-store-private.h"
#include "vd-text.h"
#include "vd-timestamp.h"

/* What a successful write gives back to the decision, once committed. */
typedef struct
{
  gint64           id;
  char            *queue;
  GDateTime       *timestamp;
  VdAuditEvent    *event;
  gboolean         final;
} Recorded;

static void
recorded_clear (Recorded *recorded)
{
  g_clear_pointer (&recorded->queue, g_free);
  g_clear_pointer (&recorded->timestamp, g_date_time_unref);
  g_clear_object (&recorded->event);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Recorded, recorded_clear)


/* Who decided the item last, for the refusal of a second decision. */
static void
set_already_decided (VdSqliteStore  *self,
                     VdItem         *item,
                     GError        **error)
{
  g_autoptr(VdSqliteCursor) stmt = NULL;

  stmt = _vd_sqlite_store_prepare (self,
                                   "SELECT reviewer_id, timestamp FROM decisions "
                                   "WHERE item_id = ?1 AND retracted_seq IS NULL "
                                   "ORDER BY id DESC LIMIT 1",
                                   NULL);
  if (stmt != NULL)
    sqlite3_bind_int64 (stmt, 1, vd_item_get_id (item));

  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autoptr(GDateTime) when = vd_timestamp_from_usec (sqlite3_column_int64 (stmt, 1));

      vd_decision_rules_set_already_decided (item, _vd_sqlite_column_text (stmt, 0), when,
                                             error);
    }
  else
    {
      vd_decision_rules_set_already_decided (item, NULL, NULL, error);
    }
}

static gboolean
check_decision (VdSqliteStore  *self,
                VdDecision     *decision,
                VdItem         *item,
                GError        **error)
{
  /* Before "already decided": say that the deadline decided it, and when. */
  if (!_vd_sqlite_store_check_fallback (self, item, error))
    return FALSE;

  if (!vd_item_is_undecided (item))
    {
      set_already_decided (self, item, error);
      return FALSE;
    }

  return vd_decision_rules_check (item, decision, error);
}

/* The review that stands on the item's current revision, or NULL. */
static gboolean
read_first_review (VdSqliteStore  *self,
                   VdItem         *item,
                   VdReview      **first,
                   GError        **error)
{
  g_autoptr(VdSqliteCursor) stmt = NULL;
  VdDecisionKind kind = VD_DECISION_KIND_APPROVE;
  int rc;

  stmt = _vd_sqlite_store_prepare (self,
                                   "SELECT reviewer_id, decision, feedback, modified_content, "
                                   "audit_seq FROM decisions "
                                   "WHERE item_id = ?1 AND revision = ?2 AND final = 0 "
                                   "AND retracted_seq IS NULL ORDER BY id DESC LIMIT 1",
                                   error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, vd_item_get_id (item));
  sqlite3_bind_int (stmt, 2, vd_item_get_revision (item));

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      _vd_sqlite_store_set_error (self, error, "Could not read the item's reviews");
      return FALSE;
    }

  *first = NULL;
  if (rc == SQLITE_ROW)
    {
      vd_decision_kind_from_string (_vd_sqlite_column_text (stmt, 1), &kind);
      *first = vd_review_new (_vd_sqlite_column_text (stmt, 0), kind,
                              _vd_sqlite_column_text (stmt, 2),
                              _vd_sqlite_column_text (stmt, 3),
                              sqlite3_column_int64 (stmt, 4));
    }

  return TRUE;
}

/* The outcome is the core's; a backend reads the standing first review. */
static gboolean
decide_outcome (VdSqliteStore  *self,
                VdDecision  *decision,
                VdItem      *item,
                VdDecisionOutcome     *outcome,
                GError     **error)
{
  g_autoptr(VdReview) first = NULL;

  if (vd_decision_rules_needs_two_reviews (item) &&
      !read_first_review (self, item, &first, error))
    return FALSE;

  return vd_decision_rules_outcome (item, decision, first, outcome, error);
}

static const char *
or_empty (const char *text)
{
  return text != NULL ? text : "";
}

static gboolean
insert_decision (VdSqliteStore  *self,
                 VdDecision     *decision,
                 VdItem         *item,
                 gint64          timestamp_usec,
                 const char     *final_output,
                 VdAuditEvent   *event,
                 gboolean        final,
                 gint64         *id,
                 GError        **error)
{
  g_autoptr(VdSqliteCursor) stmt = NULL;

  stmt = _vd_sqlite_store_prepare (self,
                                   "INSERT INTO decisions (item_id, queue, task_id, revision, "
                                   "decision, feedback, modified_content, reviewer_id, "
                                   "automatic, timestamp, duration_ms, final_output, audit_seq, "
                                   "audit_hash, audit_prev_hash, previous_status, helpful, "
                                   "category, policy_sha256, model, prompt_version, "
                                   "app_version, final) "
                                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 0, ?9, ?10, ?11, "
                                   "?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22)",
                                   error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, vd_item_get_id (item));
  _vd_sqlite_bind_text (stmt, 2, vd_item_get_queue (item));
  _vd_sqlite_bind_text (stmt, 3, vd_item_get_task_id (item));
  sqlite3_bind_int (stmt, 4, vd_item_get_revision (item));
  _vd_sqlite_bind_text (stmt, 5, vd_decision_kind_to_string (vd_decision_get_kind (decision)));
  _vd_sqlite_bind_text (stmt, 6, vd_decision_get_feedback (decision));
  _vd_sqlite_bind_text (stmt, 7, vd_decision_get_modified_content (decision));
  _vd_sqlite_bind_text (stmt, 8, vd_decision_get_reviewer_id (decision));
  sqlite3_bind_int64 (stmt, 9, timestamp_usec);
  sqlite3_bind_int64 (stmt, 10, vd_decision_get_duration_ms (decision));
  _vd_sqlite_bind_text (stmt, 11, final_output);
  sqlite3_bind_int64 (stmt, 12, vd_audit_event_get_seq (event));
  _vd_sqlite_bind_text (stmt, 13, vd_audit_event_get_hash (event));
  _vd_sqlite_bind_text (stmt, 14, vd_audit_event_get_prev_hash (event));
  /* What a retraction restores. */
  _vd_sqlite_bind_text (stmt, 15, vd_task_status_to_string (vd_item_get_status (item)));
  switch (vd_decision_get_helpful (decision))
    {
    case VD_HELPFUL_YES:
      sqlite3_bind_int (stmt, 16, 1);
      break;
    case VD_HELPFUL_NO:
      sqlite3_bind_int (stmt, 16, 0);
      break;
    case VD_HELPFUL_UNSET:
    default:
      sqlite3_bind_null (stmt, 16);
      break;
    }
  _vd_sqlite_bind_text_or_null (stmt, 17, vd_decision_get_category (decision));
  _vd_sqlite_bind_text_or_null (stmt, 18, vd_decision_get_policy_sha256 (decision));
  _vd_sqlite_bind_text_or_null (stmt, 19, vd_decision_get_model (decision));
  _vd_sqlite_bind_text_or_null (stmt, 20, vd_decision_get_prompt_version (decision));
  _vd_sqlite_bind_text_or_null (stmt, 21, vd_decision_get_app_version (decision));
  sqlite3_bind_int (stmt, 22, final ? 1 : 0);

  if (!_vd_sqlite_store_step_done (self, stmt, error))
    return FALSE;

  *id = sqlite3_last_insert_rowid (self->db);
  return TRUE;
}

static gboolean
update_item_status (VdSqliteStore  *self,
                    VdItem         *item,
                    VdDecisionOutcome        *outcome,
                    gint64          audit_seq,
                    GError        **error)
{
  g_autoptr(VdSqliteCursor) stmt = NULL;

  stmt = _vd_sqlite_store_prepare (self,
                                   "UPDATE items SET status = ?2, audit_seq = ?3, "
                                   "escalation_reason = COALESCE (?4, escalation_reason) "
                                   "WHERE id = ?1",
                                   error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, vd_item_get_id (item));
  _vd_sqlite_bind_text (stmt, 2, vd_task_status_to_string (outcome->status));
  sqlite3_bind_int64 (stmt, 3, audit_seq);
  if (outcome->reason != VD_ESCALATION_REASON_NONE)
    _vd_sqlite_bind_text (stmt, 4, vd_escalation_reason_to_string (outcome->reason));
  else
    sqlite3_bind_null (stmt, 4);

  return _vd_sqlite_store_step_done (self, stmt, error);
}

static gboolean
record_locked (VdSqliteStore  *self,
               VdDecision     *decision,
               Recorded       *recorded,
               GError        **error)
{
  g_autoptr(VdItem) item = NULL;
  g_autofree char *final_output = NULL;
  g_auto(VdDecisionOutcome) outcome = { 0, };
  GDateTime *timestamp;
  const char *queue;

  queue = vd_decision_get_queue (decision);
  if (queue != NULL && queue[0] == '\0')
    queue = NULL;

  item = _vd_sqlite_store_find_item (self, queue, or_empty (vd_decision_get_task_id (decision)),
                                     error);
  if (item == NULL || !check_decision (self, decision, item, error) ||
      !_vd_sqlite_store_settle_claim_locked (self, item, vd_decision_get_reviewer_id (decision),
                                             error))
    return FALSE;

  /* The roster gate: a refusal writes nothing. An escalated item (by a
   * reviewer's escalate_further, a deadline's fallback or two reviewers who
   * disagree) needs the role "senior"; escalating an item further does
   * not. */
  if (!_vd_sqlite_store_authorize_locked (self, vd_decision_get_reviewer_id (decision),
                                          vd_item_get_status (item) ==
                                          VD_TASK_STATUS_ESCALATED,
                                          vd_item_get_queue (item),
                                          vd_item_get_task_id (item), error) ||
      !_vd_sqlite_store_stamp_locked (self, decision, item, error) ||
      !decide_outcome (self, decision, item, &outcome, error))
    return FALSE;

  timestamp = vd_decision_get_timestamp (decision);
  recorded->timestamp = timestamp != NULL ? g_date_time_ref (timestamp) : vd_timestamp_now ();
  recorded->queue = g_strdup (vd_item_get_queue (item));
  recorded->final = outcome.final;

  final_output = vd_decision_compute_final_output (decision, vd_item_get_content (item));

  recorded->event = _vd_audit_event_new_take_json (vd_decision_get_reviewer_id (decision),
                                                   outcome.event_type,
                                                   vd_item_get_queue (item),
                                                   vd_item_get_task_id (item),
                                                   g_steal_pointer (&outcome.payload));

  return _vd_sqlite_store_append_locked (self, recorded->event, error) &&
         insert_decision (self, decision, item, vd_timestamp_to_usec (recorded->timestamp),
                          or_empty (final_output), recorded->event, outcome.final,
                          &recorded->id, error) &&
         update_item_status (self, item, &outcome, vd_audit_event_get_seq (recorded->event),
                             error);
}

gboolean
_vd_sqlite_store_record_decision (VdStore     *store,
                                  VdDecision  *decision,
                                  GError     **error)
{
  VdSqliteStore *self = VD_SQLITE_STORE (store);
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_auto(Recorded) recorded = { 0, };

  if (!_vd_sqlite_store_begin (self, error))
    return FALSE;

  if (!record_locked (self, decision, &recorded, error))
    {
      _vd_sqlite_store_rollback (self);
      return FALSE;
    }

  /* synchronous=FULL: once COMMIT returns, the decision is on disk. */
  if (!_vd_sqlite_store_commit (self, error))
    return FALSE;

  g_clear_pointer (&locker, g_mutex_locker_free);

  vd_decision_set_id (decision, recorded.id);
  vd_decision_set_queue (decision, recorded.queue);
  vd_decision_set_final (decision, recorded.final);
  if (vd_decision_get_timestamp (decision) == NULL)
    vd_decision_set_timestamp (decision, recorded.timestamp);
  vd_decision_set_audit (decision,
                         vd_audit_event_get_seq (recorded.event),
                         vd_audit_event_get_hash (recorded.event),
                         vd_audit_event_get_prev_hash (recorded.event));
  vd_decision_set_audit_signature (decision,
                                   vd_audit_event_get_key_id (recorded.event),
                                   vd_audit_event_get_signature (recorded.event));

  return TRUE;
}

static GPtrArray *
list_decisions_locked (VdSqliteStore  *self,
                       const char     *queue,
                       const char     *task_id,
                       GError        **error)
{
  g_autoptr(VdSqliteCursor) stmt = NULL;
  g_autoptr(GPtrArray) decisions = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GString) sql = NULL;
  int rc;

  sql = g_string_new ("SELECT d.id, d.queue, d.task_id, d.revision, d.decision, d.feedback, "
                      "d.modified_content, d.reviewer_id, d.automatic, d.timestamp, "
                      "d.duration_ms, d.audit_seq, d.audit_hash, d.audit_prev_hash, "
                      "d.final_output, d.retracted_seq, d.helpful, d.category, d.bulk_id, "
                      "d.policy_sha256, d.model, d.prompt_version, d.app_version, "
                      "a.key_id, a.signature, d.final "
                      "FROM decisions d LEFT JOIN audit a ON a.seq = d.audit_seq");
  if (queue != NULL && task_id != NULL)
    g_string_append (sql, " WHERE d.queue = ?1 AND d.task_id = ?2");
  else if (queue != NULL)
    g_string_append (sql, " WHERE d.queue = ?1");
  else if (task_id != NULL)
    g_string_append (sql, " WHERE d.task_id = ?2");
  g_string_append (sql, " ORDER BY d.id");

  stmt = _vd_sqlite_store_prepare_text (self, sql->str, error);
  if (stmt == NULL)
    return NULL;

  if (queue != NULL)
    _vd_sqlite_bind_text (stmt, 1, queue);
  if (task_id != NULL)
    _vd_sqlite_bind_text (stmt, 2, task_id);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(VdDecision) decision = NULL;
      g_autoptr(GDateTime) timestamp = NULL;
      VdDecisionKind kind = VD_DECISION_KIND_APPROVE;

      vd_decision_kind_from_string (_vd_sqlite_column_text (stmt, 4), &kind);
      decision = vd_decision_new (_vd_sqlite_column_text (stmt, 1),
                                  _vd_sqlite_column_text (stmt, 2),
                                  kind,
                                  _vd_sqlite_column_text (stmt, 7));
      vd_decision_set_id (decision, sqlite3_column_int64 (stmt, 0));
      vd_decision_set_revision (decision, sqlite3_column_int (stmt, 3));
      vd_decision_set_feedback (decision, _vd_sqlite_column_text (stmt, 5));
      vd_decision_set_modified_content (decision, _vd_sqlite_column_text (stmt, 6));
      vd_decision_set_automatic (decision, sqlite3_column_int (stmt, 8) != 0);
      timestamp = vd_timestamp_from_usec (sqlite3_column_int64 (stmt, 9));
      vd_decision_set_timestamp (decision, timestamp);
      vd_decision_set_duration_ms (decision, sqlite3_column_int64 (stmt, 10));
      vd_decision_set_audit (decision,
                             sqlite3_column_int64 (stmt, 11),
                             _vd_sqlite_column_text (stmt, 12),
                             _vd_sqlite_column_text (stmt, 13));
      if (sqlite3_column_type (stmt, 15) != SQLITE_NULL)
        {
          vd_decision_set_retracted (decision, TRUE);
          vd_decision_set_retraction_seq (decision, sqlite3_column_int64 (stmt, 15));
        }
      if (sqlite3_column_type (stmt, 16) != SQLITE_NULL)
        vd_decision_set_helpful (decision, sqlite3_column_int (stmt, 16) != 0
                                           ? VD_HELPFUL_YES : VD_HELPFUL_NO);
      if (sqlite3_column_type (stmt, 17) != SQLITE_NULL)
        vd_decision_set_category (decision, _vd_sqlite_column_text (stmt, 17));
      if (sqlite3_column_type (stmt, 18) != SQLITE_NULL)
        vd_decision_set_bulk_id (decision, sqlite3_column_int64 (stmt, 18));
      vd_decision_set_policy_sha256 (decision, (const char *)sqlite3_column_text (stmt, 19));
      vd_decision_set_model (decision, (const char *)sqlite3_column_text (stmt, 20));
      vd_decision_set_prompt_version (decision, (const char *)sqlite3_column_text (stmt, 21));
      vd_decision_set_app_version (decision, (const char *)sqlite3_column_text (stmt, 22));
      vd_decision_set_audit_signature (decision,
                                       (const char *)sqlite3_column_text (stmt, 23),
                                       (const char *)sqlite3_column_text (stmt, 24));
      vd_decision_set_final (decision, sqlite3_column_int (stmt, 25) != 0);
      /* The stored final output stands for the content here: the kind and
       * modified content derive the same final output from it. */
      g_free (vd_decision_compute_final_output (decision, _vd_sqlite_column_text (stmt, 14)));
      g_ptr_array_add (decisions, g_steal_pointer (&decision));
    }

  if (rc != SQLITE_DONE)
    {
      _vd_sqlite_store_set_error (self, error, "Could not list the decisions");
      return NULL;
    }

  return g_steal_pointer (&decisions);
}

GPtrArray *
_vd_sqlite_store_list_decisions (VdStore     *store,
                                 const char  *queue,
                                 const char  *task_id,
                                 GError     **error)
{
  VdSqliteStore *self = VD_SQLITE_STORE (store);
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  return list_decisions_locked (self, queue, task_id, error);
}

GPtrArray *
_vd_sqlite_store_list_decisions_at_head (VdStore  *store,
                                         gint64   *head_seq,
                                         char    **head_hash,
                                         GError  **error)
{
  VdSqliteStore *self = VD_SQLITE_STORE (store);
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_autoptr(GPtrArray) decisions = NULL;
  g_autofree char *hash = NULL;
  gint64 seq = 0;

  /* One read transaction: both reads see the same snapshot however many
   * decisions other connections commit meanwhile. */
  if (!_vd_sqlite_store_exec (self, "BEGIN DEFERRED", error))
    return NULL;

  if (_vd_sqlite_store_read_head_locked (self, &seq, &hash, error))
    decisions = list_decisions_locked (self, NULL, NULL, error);

  /* Ending a read transaction cannot lose anything. */
  sqlite3_exec (self->db, "COMMIT", NULL, NULL, NULL);

  if (decisions == NULL)
    return NULL;

  if (head_seq != NULL)
    *head_seq = seq;
  if (head_hash != NULL)
    *head_hash = g_steal_pointer (&hash);

  return g_steal_pointer (&decisions);
}
