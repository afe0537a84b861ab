/* vd-sqlite-store-sla.c: deadlines, the last policy and the workload in a VdSqliteStore
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

#include <string.h>

#include "vd-audit-event-private.h"
#include "vd-decision-rules.h"
#include "vd-format.h"
#include "vd-sqlite-store-private.h"
#include "vd-timestamp.h"

/* Undecided items whose current revision has had no fallback: exactly the
 * rows of the partial index items_sla_due (schema version 3). A query must
 * repeat this text for SQLite to use that index. */
#define DUE_WHERE \
  "sla_fallback IS NULL AND due_at IS NOT NULL " \
  "AND status IN ('pending', 'in_review', 'escalated')"

/* Without statistics the planner may prefer a status index and sort; the
 * timer's queries must stay one seek in the partial index whatever the
 * table holds, so they name it (SQLite refuses the query if it ever could
 * not be used). */
#define DUE_INDEX "INDEXED BY items_sla_due"

#define UNDECIDED "status IN ('pending', 'in_review', 'escalated')"

#define LAST_POLICY_KEY "last_policy"

/* Deadline fallbacks */

static gboolean
insert_fallback_decision (VdSqliteStore  *self,
                          VdItem         *item,
                          VdSlaFallback   fallback,
                          gint64          now_usec,
                          VdAuditEvent   *event,
                          GError        **error)
{
  g_autoptr(VdSqliteCursor) stmt = NULL;
  gboolean approve = fallback == VD_SLA_FALLBACK_AUTO_APPROVE;

  stmt = _vd_sqlite_store_prepare (self,
                                   "INSERT INTO decisions (item_id, queue, task_id, revision, "
                                   "decision, feedback, modified_content, reviewer_id, "
                                   "automatic, timestamp, duration_ms, final_output, audit_seq, "
                                   "audit_hash, audit_prev_hash, previous_status) "
                                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, '', ?7, 1, ?8, 0, ?9, ?10, "
                                   "?11, ?12, ?13)",
                                   error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, vd_item_get_id (item));
  _vd_sqlite_bind_text (stmt, 2, vd_item_get_queue (item));
  _vd_sqlite_bind_text (stmt, 3, vd_item_get_task_id (item));
  sqlite3_bind_int (stmt, 4, vd_item_get_revision (item));
  _vd_sqlite_bind_text (stmt, 5, vd_decision_kind_to_string (approve ? VD_DECISION_KIND_APPROVE
                                                                     : VD_DECISION_KIND_REJECT));
  _vd_sqlite_bind_text (stmt, 6, approve ? "" : VD_SLA_REJECT_FEEDBACK);
  _vd_sqlite_bind_text (stmt, 7, VD_AUDIT_ACTOR_SLA);
  sqlite3_bind_int64 (stmt, 8, now_usec);
  _vd_sqlite_bind_text (stmt, 9, approve ? vd_item_get_content (item) : "");
  sqlite3_bind_int64 (stmt, 10, vd_audit_event_get_seq (event));
  _vd_sqlite_bind_text (stmt, 11, vd_audit_event_get_hash (event));
  _vd_sqlite_bind_text (stmt, 12, vd_audit_event_get_prev_hash (event));
  _vd_sqlite_bind_text (stmt, 13, vd_task_status_to_string (vd_item_get_status (item)));

  return _vd_sqlite_store_step_done (self, stmt, error);
}

static gboolean
update_fallback_item (VdSqliteStore  *self,
                      VdItem         *item,
                      VdSlaOutcome   *outcome,
                      gint64          now_usec,
                      gint64          audit_seq,
                      GError        **error)
{
  g_autoptr(VdSqliteCursor) stmt = NULL;

  /* sla_deadline = due_at reads the deadline before this update changes it. */
  stmt = _vd_sqlite_store_prepare (self,
                                   "UPDATE items SET status = ?2, due_at = COALESCE (?3, due_at), "
                                   "sla_fallback = ?4, sla_configured = ?5, sla_rule = ?6, "
                                   "sla_deadline = due_at, sla_applied_at = ?7, audit_seq = ?8 "
                                   "WHERE id = ?1",
                                   error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, vd_item_get_id (item));
  _vd_sqlite_bind_text (stmt, 2, vd_decision_rules_fallback_status (outcome->rule.fallback));
  if (outcome->rule.fallback == VD_SLA_FALLBACK_ESCALATE && outcome->new_due_at != NULL)
    sqlite3_bind_int64 (stmt, 3, vd_timestamp_to_usec (outcome->new_due_at));
  else
    sqlite3_bind_null (stmt, 3);
  _vd_sqlite_bind_text (stmt, 4, vd_sla_fallback_to_string (outcome->rule.fallback));
  _vd_sqlite_bind_text (stmt, 5, vd_sla_fallback_to_string (outcome->rule.configured));
  _vd_sqlite_bind_text (stmt, 6, outcome->rule.rule);
  sqlite3_bind_int64 (stmt, 7, now_usec);
  sqlite3_bind_int64 (stmt, 8, audit_seq);

  return _vd_sqlite_store_step_done (self, stmt, error);
}

static gboolean
apply_one (VdSqliteStore    *self,
           VdItem           *item,
           GDateTime        *now,
           const char       *now_text,
           VdSlaResolveFunc  resolve,
           gpointer          resolve_data,
           VdSlaResult      *result,
           GError          **error)
{
  g_autoptr(VdAuditEvent) event = NULL;
  VdSlaOutcome outcome = { { 0, }, };
  gint64 now_usec = vd_timestamp_to_usec (now);
  gboolean ok;

  g_autofree char *source_note = NULL;

  resolve (item, now, &outcome, resolve_data);
  g_assert (outcome.rule.rule != NULL);

  /* A fallback decision the item's source does not accept back escalates
   * instead, and the trail says why. */
  source_note = vd_decision_rules_fallback_resolve (item, &outcome);

  event = _vd_audit_event_new_take_json (VD_AUDIT_ACTOR_SLA, VD_AUDIT_SLA_FALLBACK,
                                         vd_item_get_queue (item), vd_item_get_task_id (item),
                                         vd_decision_rules_fallback_payload (item, &outcome,
                                                                             now_text,
                                                                             source_note));

  ok = _vd_sqlite_store_append_locked (self, event, error) &&
       (outcome.rule.fallback == VD_SLA_FALLBACK_ESCALATE ||
        insert_fallback_decision (self, item, outcome.rule.fallback, now_usec, event, error)) &&
       update_fallback_item (self, item, &outcome, now_usec, vd_audit_event_get_seq (event),
                             error);

  g_clear_pointer (&outcome.new_due_at, g_date_time_unref);

  if (!ok)
    {
      g_prefix_error (error, "%s: %s: ", vd_item_get_queue (item), vd_item_get_task_id (item));
      return FALSE;
    }

  result->applied++;
  switch (outcome.rule.fallback)
    {
    case VD_SLA_FALLBACK_ESCALATE:
      result->escalated++;
      if (outcome.rule.unsafe)
        result->unsafe++;
      break;
    case VD_SLA_FALLBACK_AUTO_REJECT:
      result->auto_rejected++;
      break;
    case VD_SLA_FALLBACK_AUTO_APPROVE:
      result->auto_approved++;
      break;
    default:
      g_assert_not_reached ();
    }

  return TRUE;
}

static GPtrArray *
list_due_locked (VdSqliteStore  *self,
                 gint64          now_usec,
                 guint           limit,
                 GError        **error)
{
  g_autoptr(VdSqliteCursor) stmt = NULL;
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  int rc;

  stmt = _vd_sqlite_store_prepare (self,
                                   "SELECT " VD_SQLITE_ITEM_COLUMNS " FROM items " DUE_INDEX " "
                                   "WHERE " DUE_WHERE " AND due_at <= ?1 "
                                   "ORDER BY due_at, id LIMIT ?2",
                                   error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, now_usec);
  sqlite3_bind_int64 (stmt, 2, limit);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (items, _vd_sqlite_store_item_from_row (stmt));

  if (rc != SQLITE_DONE)
    {
      _vd_sqlite_store_set_error (self, error, "Could not read the items past their deadline");
      return NULL;
    }

  return g_steal_pointer (&items);
}

gboolean
_vd_sqlite_store_apply_fallbacks (VdStore           *store,
                                  GDateTime         *now,
                                  guint              limit,
                                  VdSlaResolveFunc   resolve,
                                  gpointer           resolve_data,
                                  VdSlaResult       *result,
                                  GError           **error)
{
  VdSqliteStore *self = VD_SQLITE_STORE (store);
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_autoptr(GPtrArray) items = NULL;
  g_autofree char *now_text = vd_timestamp_format (now);
  VdSlaResult counts = { 0, };

  /* The items are read inside the write transaction: none can be decided
   * or revised between being found due and getting its fallback. */
  if (!_vd_sqlite_store_begin (self, error))
    return FALSE;

  items = list_due_locked (self, vd_timestamp_to_usec (now), limit, error);
  if (items == NULL)
    {
      _vd_sqlite_store_rollback (self);
      return FALSE;
    }

  if (items->len == 0)
    {
      _vd_sqlite_store_rollback (self);
      return TRUE;
    }

  for (guint i = 0; i < items->len; i++)
    {
      if (!apply_one (self, g_ptr_array_index (items, i), now, now_text, resolve, resolve_data,
                      &counts, error))
        {
          _vd_sqlite_store_rollback (self);
          return FALSE;
        }
    }

  if (!_vd_sqlite_store_commit (self, error))
    return FALSE;

  result->applied += counts.applied;
  result->escalated += counts.escalated;
  result->auto_rejected += counts.auto_rejected;
  result->auto_approved += counts.auto_approved;
  result->unsafe += counts.unsafe;

  return TRUE;
}

gboolean
_vd_sqlite_store_get_next_deadline (VdStore     *store,
                                    GDateTime  **due_at,
                                    GError     **error)
{
  VdSqliteStore *self = VD_SQLITE_STORE (store);
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_autoptr(VdSqliteCursor) stmt = NULL;
  int rc;

  stmt = _vd_sqlite_store_prepare (self,
                                   "SELECT due_at FROM items " DUE_INDEX " WHERE " DUE_WHERE " "
                                   "ORDER BY due_at LIMIT 1",
                                   error);
  if (stmt == NULL)
    return FALSE;

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *due_at = vd_timestamp_from_usec (sqlite3_column_int64 (stmt, 0));
  else if (rc == SQLITE_DONE)
    *due_at = NULL;
  else
    {
      _vd_sqlite_store_set_error (self, error, "Could not read the next deadline");
      return FALSE;
    }

  return TRUE;
}

gboolean
_vd_sqlite_store_count_due (VdStore     *store,
                            const char  *queue,
                            GDateTime   *before,
                            guint64     *count,
                            GError     **error)
{
  VdSqliteStore *self = VD_SQLITE_STORE (store);
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_autoptr(VdSqliteCursor) stmt = NULL;

  if (queue != NULL)
    stmt = _vd_sqlite_store_prepare (self,
                                     "SELECT COUNT(*) FROM items " DUE_INDEX " WHERE " DUE_WHERE " "
                                     "AND due_at <= ?1 AND queue = ?2",
                                     error);
  else
    stmt = _vd_sqlite_store_prepare (self,
                                     "SELECT COUNT(*) FROM items " DUE_INDEX " WHERE " DUE_WHERE " "
                                     "AND due_at <= ?1",
                                     error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, vd_timestamp_to_usec (before));
  if (queue != NULL)
    _vd_sqlite_bind_text (stmt, 2, queue);

  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      _vd_sqlite_store_set_error (self, error, "Could not count the items due");
      return FALSE;
    }

  *count = sqlite3_column_int64 (stmt, 0);
  return TRUE;
}

gboolean
_vd_sqlite_store_get_sla_record (VdStore      *store,
                                 gint64        item_id,
                                 VdSlaRecord  *record,
                                 GError      **error)
{
  VdSqliteStore *self = VD_SQLITE_STORE (store);
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_autoptr(VdSqliteCursor) stmt = NULL;
  int rc;

  memset (record, 0, sizeof *record);

  stmt = _vd_sqlite_store_prepare (self,
                                   "SELECT sla_fallback, sla_configured, sla_rule, "
                                   "sla_deadline, sla_applied_at FROM items WHERE id = ?1",
                                   error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, item_id);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, VD_STORE_ERROR, VD_STORE_ERROR_NOT_FOUND,
                   "No item with id %" G_GINT64_FORMAT, item_id);
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    {
      _vd_sqlite_store_set_error (self, error, "Could not read the item");
      return FALSE;
    }

  if (sqlite3_column_type (stmt, 0) == SQLITE_NULL ||
      !vd_sla_fallback_from_string (_vd_sqlite_column_text (stmt, 0), &record->fallback))
    return TRUE;

  record->applied = TRUE;
  if (!vd_sla_fallback_from_string (_vd_sqlite_column_text (stmt, 1), &record->configured))
    record->configured = record->fallback;
  record->rule = g_strdup (_vd_sqlite_column_text (stmt, 2));
  record->deadline = vd_timestamp_from_usec (sqlite3_column_int64 (stmt, 3));
  record->applied_at = vd_timestamp_from_usec (sqlite3_column_int64 (stmt, 4));

  return TRUE;
}

gboolean
_vd_sqlite_store_check_fallback (VdSqliteStore  *self,
                                 VdItem         *item,
                                 GError        **error)
{
  g_autoptr(VdSqliteCursor) stmt = NULL;
  g_autoptr(GDateTime) applied_at = NULL;
  g_autoptr(GDateTime) deadline = NULL;
  int rc;

  stmt = _vd_sqlite_store_prepare (self,
                                   "SELECT sla_fallback, sla_deadline, sla_applied_at "
                                   "FROM items WHERE id = ?1",
                                   error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, vd_item_get_id (item));

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      _vd_sqlite_store_set_error (self, error, "Could not read the item");
      return FALSE;
    }

  if (sqlite3_column_type (stmt, 0) == SQLITE_NULL)
    return TRUE;

  deadline = vd_timestamp_from_usec (sqlite3_column_int64 (stmt, 1));
  applied_at = vd_timestamp_from_usec (sqlite3_column_int64 (stmt, 2));

  return vd_decision_rules_check_fallback (item, _vd_sqlite_column_text (stmt, 0),
                                           deadline, applied_at, error);
}

/* The last policy */

gboolean
_vd_sqlite_store_set_last_policy (VdStore     *store,
                                  const char  *policy_json,
                                  GError     **error)
{
  VdSqliteStore *self = VD_SQLITE_STORE (store);
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_autoptr(VdSqliteCursor) stmt = NULL;

  stmt = _vd_sqlite_store_prepare (self,
                                   "INSERT INTO meta (key, value) VALUES ('" LAST_POLICY_KEY "', "
                                   "?1) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                                   error);
  if (stmt == NULL)
    return FALSE;

  _vd_sqlite_bind_text (stmt, 1, policy_json);

  return _vd_sqlite_store_step_done (self, stmt, error);
}

gboolean
_vd_sqlite_store_get_last_policy (VdStore  *store,
                                  char    **policy_json,
                                  GError  **error)
{
  VdSqliteStore *self = VD_SQLITE_STORE (store);
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_autoptr(VdSqliteCursor) stmt = NULL;
  int rc;

  stmt = _vd_sqlite_store_prepare (self,
                                   "SELECT value FROM meta WHERE key = '" LAST_POLICY_KEY "'",
                                   error);
  if (stmt == NULL)
    return FALSE;

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *policy_json = g_strdup (_vd_sqlite_column_text (stmt, 0));
  else if (rc == SQLITE_DONE)
    *policy_json = NULL;
  else
    {
      _vd_sqlite_store_set_error (self, error, "Could not read the last policy");
      return FALSE;
    }

  return TRUE;
}

/* The policy chosen per queue */

gboolean
_vd_sqlite_store_set_queue_policy_locked (VdSqliteStore  *self,
                                          const char     *queue,
                                          const char     *policy_json,
                                          const char     *policy_source,
                                          gint64          now_usec,
                                          GError        **error)
{
  g_autoptr(VdSqliteCursor) stmt = NULL;

  stmt = _vd_sqlite_store_prepare (self,
                                   "INSERT INTO queue_policies (queue, policy, source, "
                                   "chosen_at) VALUES (?1, ?2, ?3, ?4) "
                                   "ON CONFLICT (queue) DO UPDATE SET policy = excluded.policy, "
                                   "source = excluded.source, chosen_at = excluded.chosen_at",
                                   error);
  if (stmt == NULL)
    return FALSE;

  _vd_sqlite_bind_text (stmt, 1, queue);
  _vd_sqlite_bind_text (stmt, 2, policy_json);
  _vd_sqlite_bind_text (stmt, 3, policy_source);
  sqlite3_bind_int64 (stmt, 4, now_usec);

  return _vd_sqlite_store_step_done (self, stmt, error);
}

gboolean
_vd_sqlite_store_set_queue_policy (VdStore     *store,
                                   const char  *queue,
                                   const char  *policy_json,
                                   const char  *policy_source,
                                   GError     **error)
{
  VdSqliteStore *self = VD_SQLITE_STORE (store);
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_autoptr(GDateTime) now = vd_timestamp_now ();

  return _vd_sqlite_store_set_queue_policy_locked (self, queue, policy_json, policy_source,
                                                   vd_timestamp_to_usec (now), error);
}

gboolean
_vd_sqlite_store_get_queue_policy (VdStore     *store,
                                   const char  *queue,
                                   char       **policy_json,
                                   char       **policy_source,
                                   GError     **error)
{
  VdSqliteStore *self = VD_SQLITE_STORE (store);
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_autoptr(VdSqliteCursor) stmt = NULL;
  int rc;

  stmt = _vd_sqlite_store_prepare (self,
                                   "SELECT policy, source FROM queue_policies WHERE queue = ?1",
                                   error);
  if (stmt == NULL)
    return FALSE;

  _vd_sqlite_bind_text (stmt, 1, queue);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *policy_json = g_strdup (_vd_sqlite_column_text (stmt, 0));
      if (policy_source != NULL)
        *policy_source = g_strdup (_vd_sqlite_column_text (stmt, 1));
    }
  else if (rc == SQLITE_DONE)
    {
      *policy_json = NULL;
      if (policy_source != NULL)
        *policy_source = NULL;
    }
  else
    {
      _vd_sqlite_store_set_error (self, error, "Could not read the policy of the queue");
      return FALSE;
    }

  return TRUE;
}

/* The workload */

/* Runs @stmt, bound by the caller with the queue as ?1 when there is one,
 * and reads its two columns. */
static gboolean
read_two_counts (VdSqliteStore  *self,
                 sqlite3_stmt   *stmt,
                 guint64        *first,
                 guint64        *second,
                 GError        **error)
{
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      _vd_sqlite_store_set_error (self, error, "Could not compute the workload");
      return FALSE;
    }

  *first = sqlite3_column_int64 (stmt, 0);
  *second = sqlite3_column_int64 (stmt, 1);
  return TRUE;
}

static gboolean
count_pending (VdSqliteStore  *self,
               const char     *queue,
               VdWorkload     *workload,
               GError        **error)
{
  g_autoptr(VdSqliteCursor) stmt = NULL;

  if (queue != NULL)
    stmt = _vd_sqlite_store_prepare (self,
                                     "SELECT COUNT(*), COUNT(due_at) FROM items "
                                     "WHERE queue = ?1 AND " UNDECIDED,
                                     error);
  else
    stmt = _vd_sqlite_store_prepare (self,
                                     "SELECT COUNT(*), COUNT(due_at) FROM items "
                                     "WHERE " UNDECIDED,
                                     error);
  if (stmt == NULL)
    return FALSE;

  if (queue != NULL)
    _vd_sqlite_bind_text (stmt, 1, queue);

  return read_two_counts (self, stmt, &workload->pending, &workload->with_deadline, error);
}

/* Arrivals: items imported or revised in the hour and day up to now. */
static gboolean
count_arrivals (VdSqliteStore  *self,
                const char     *queue,
                gint64          now_usec,
                VdWorkload     *workload,
                GError        **error)
{
  g_autoptr(VdSqliteCursor) stmt = NULL;

  if (queue != NULL)
    stmt = _vd_sqlite_store_prepare (self,
                                     "SELECT COALESCE (SUM (imported_at > ?3), 0), COUNT(*) "
                                     "FROM items WHERE imported_at > ?4 AND imported_at <= ?2 "
                                     "AND queue = ?1",
                                     error);
  else
    stmt = _vd_sqlite_store_prepare (self,
                                     "SELECT COALESCE (SUM (imported_at > ?3), 0), COUNT(*) "
                                     "FROM items WHERE imported_at > ?4 AND imported_at <= ?2",
                                     error);
  if (stmt == NULL)
    return FALSE;

  if (queue != NULL)
    _vd_sqlite_bind_text (stmt, 1, queue);
  sqlite3_bind_int64 (stmt, 2, now_usec);
  sqlite3_bind_int64 (stmt, 3, now_usec - G_TIME_SPAN_HOUR);
  sqlite3_bind_int64 (stmt, 4, now_usec - G_TIME_SPAN_DAY);

  return read_two_counts (self, stmt, &workload->arrivals_hour, &workload->arrivals_day, error);
}

/* The reviewers' own pace: decisions taken one by one. */
static gboolean
count_decisions (VdSqliteStore  *self,
                 const char     *queue,
                 gint64          now_usec,
                 VdWorkload     *workload,
                 GError        **error)
{
  g_autoptr(VdSqliteCursor) stmt = NULL;

#define HUMAN_DECISIONS \
  "SELECT COALESCE (SUM (timestamp > ?3), 0), COUNT(*) FROM decisions " \
  "WHERE timestamp > ?4 AND timestamp <= ?2 AND automatic = 0 " \
  "AND retracted_seq IS NULL AND bulk_id IS NULL"

  if (queue != NULL)
    stmt = _vd_sqlite_store_prepare (self, HUMAN_DECISIONS " AND queue = ?1", error);
  else
    stmt = _vd_sqlite_store_prepare (self, HUMAN_DECISIONS, error);

#undef HUMAN_DECISIONS

  if (stmt == NULL)
    return FALSE;

  if (queue != NULL)
    _vd_sqlite_bind_text (stmt, 1, queue);
  sqlite3_bind_int64 (stmt, 2, now_usec);
  sqlite3_bind_int64 (stmt, 3, now_usec - G_TIME_SPAN_HOUR);
  sqlite3_bind_int64 (stmt, 4, now_usec - G_TIME_SPAN_DAY);

  return read_two_counts (self, stmt, &workload->decisions_hour, &workload->decisions_day,
                          error);
}

gboolean
_vd_sqlite_store_get_workload (VdStore     *store,
                               const char  *queue,
                               GDateTime   *now,
                               VdWorkload  *workload,
                               GError     **error)
{
  VdSqliteStore *self = VD_SQLITE_STORE (store);
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  gint64 now_usec = vd_timestamp_to_usec (now);
  VdWorkload counts = { 0, };
  gboolean ok;

  /* One read transaction: every count describes the same moment. */
  if (!_vd_sqlite_store_exec (self, "BEGIN", error))
    return FALSE;

  ok = count_pending (self, queue, &counts, error) &&
       count_arrivals (self, queue, now_usec, &counts, error) &&
       count_decisions (self, queue, now_usec, &counts, error);

  sqlite3_exec (self->db, "COMMIT", NULL, NULL, NULL);

  if (ok)
    *workload = counts;

  return ok;
}

gboolean
_vd_sqlite_store_count_late (VdStore     *store,
                             const char  *queue,
                             GDateTime   *now,
                             gint64       usec_per_item,
                             guint64     *count,
                             GError     **error)
{
  VdSqliteStore *self = VD_SQLITE_STORE (store);
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_autoptr(VdSqliteCursor) stmt = NULL;

  /* The k-th item in deadline order is decided at now + k * per item. */
#define LATE_SELECT(where) \
  "SELECT COUNT(*) FROM (SELECT due_at, ROW_NUMBER () OVER (ORDER BY due_at, id) AS k " \
  "FROM items WHERE " UNDECIDED " AND due_at IS NOT NULL" where ") " \
  "WHERE ?1 + k * ?2 > due_at"

  if (queue != NULL)
    stmt = _vd_sqlite_store_prepare (self, LATE_SELECT (" AND queue = ?3"), error);
  else
    stmt = _vd_sqlite_store_prepare (self, LATE_SELECT (""), error);

#undef LATE_SELECT

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, vd_timestamp_to_usec (now));
  sqlite3_bind_int64 (stmt, 2, usec_per_item);
  if (queue != NULL)
    _vd_sqlite_bind_text (stmt, 3, queue);

  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      _vd_sqlite_store_set_error (self, error, "Could not simulate the deadlines");
      return FALSE;
    }

  *count = sqlite3_column_int64 (stmt, 0);
  return TRUE;
}
