/* vd-sqlite-store-retract.c: taking a decision back in a VdSqliteStore
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

/* The decision to retract, with the item it decided. */
typedef struct
{
  gint64  id;
  gint64  item_id;
  char   *queue;
  char   *task_id;
  int     revision;
  char   *kind;
  char   *reviewer_id;
  gboolean automatic;
  gint64  audit_seq;
  gint64  retracted_seq;     /* 0 when it stands */
  char   *previous_status;   /* NULL when written by schema version 1 */
  int     item_revision;
  gboolean final;            /* FALSE for a review of a two-review item */
  gboolean disagreed;        /* the item is escalated: its reviewers disagree */
} Target;

static void
target_clear (Target *target)
{
  g_clear_pointer (&target->queue, g_free);
  g_clear_pointer (&target->task_id, g_free);
  g_clear_pointer (&target->kind, g_free);
  g_clear_pointer (&target->reviewer_id, g_free);
  g_clear_pointer (&target->previous_status, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Target, target_clear)

static gboolean
read_target (VdSqliteStore  *self,
             gint64          decision_id,
             Target         *target,
             GError        **error)
{
  g_autoptr(VdSqliteCursor) stmt = NULL;
  int rc;

  stmt = _vd_sqlite_store_prepare (self,
                                   "SELECT d.item_id, d.queue, d.task_id, d.revision, "
                                   "d.decision, d.reviewer_id, d.automatic, d.audit_seq, "
                                   "d.retracted_seq, d.previous_status, i.revision, "
                                   "d.final, i.status = 'escalated' AND "
                                   "i.escalation_reason = 'reviewers_disagree' "
                                   "FROM decisions d JOIN items i ON i.id = d.item_id "
                                   "WHERE d.id = ?1",
                                   error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, decision_id);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, VD_STORE_ERROR, VD_STORE_ERROR_INVALID,
                   "There is no decision %" G_GINT64_FORMAT " to retract", decision_id);
      return FALSE;
    }
  else if (rc != SQLITE_ROW)
    {
      _vd_sqlite_store_set_error (self, error, "Could not read the decision");
      return FALSE;
    }

  target->id = decision_id;
  target->item_id = sqlite3_column_int64 (stmt, 0);
  target->queue = g_strdup (_vd_sqlite_column_text (stmt, 1));
  target->task_id = g_strdup (_vd_sqlite_column_text (stmt, 2));
  target->revision = sqlite3_column_int (stmt, 3);
  target->kind = g_strdup (_vd_sqlite_column_text (stmt, 4));
  target->reviewer_id = g_strdup (_vd_sqlite_column_text (stmt, 5));
  target->automatic = sqlite3_column_int (stmt, 6) != 0;
  target->audit_seq = sqlite3_column_int64 (stmt, 7);
  target->retracted_seq = sqlite3_column_int64 (stmt, 8);
  if (sqlite3_column_type (stmt, 9) != SQLITE_NULL)
    target->previous_status = g_strdup (_vd_sqlite_column_text (stmt, 9));
  target->item_revision = sqlite3_column_int (stmt, 10);
  target->final = sqlite3_column_int (stmt, 11) != 0;
  target->disagreed = sqlite3_column_int (stmt, 12) != 0;

  return TRUE;
}

/* The id of the item's latest decision that stands, 0 when none. */
static gboolean
read_latest (VdSqliteStore  *self,
             gint64          item_id,
             gint64         *latest,
             GError        **error)
{
  g_autoptr(VdSqliteCursor) stmt = NULL;
  int rc;

  stmt = _vd_sqlite_store_prepare (self,
                                   "SELECT id FROM decisions "
                                   "WHERE item_id = ?1 AND retracted_seq IS NULL "
                                   "ORDER BY id DESC LIMIT 1",
                                   error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, item_id);

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      _vd_sqlite_store_set_error (self, error, "Could not read the decisions");
      return FALSE;
    }

  *latest = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
  return TRUE;
}

static gboolean
check_target (VdSqliteStore  *self,
              Target         *target,
              const char     *reviewer_id,
              GError        **error)
{
  gint64 latest = 0;

  if (target->automatic && g_strcmp0 (target->reviewer_id, VD_AUDIT_ACTOR_SLA) == 0)
    {
      g_set_error (error, VD_STORE_ERROR, VD_STORE_ERROR_INVALID,
                   "Decision %" G_GINT64_FORMAT " on item %s in queue %s was made by the "
                   "deadline fallback: only a reviewer's decision can be retracted",
                   target->id, target->task_id, target->queue);
      return FALSE;
    }

  if (target->automatic)
    {
      g_set_error (error, VD_STORE_ERROR, VD_STORE_ERROR_INVALID,
                   "Decision %" G_GINT64_FORMAT " on item %s in queue %s was made by the "
                   "policy: only a reviewer's decision can be retracted",
                   target->id, target->task_id, target->queue);
      return FALSE;
    }

  if (target->retracted_seq != 0)
    {
      g_set_error (error, VD_STORE_ERROR, VD_STORE_ERROR_INVALID,
                   "Decision %" G_GINT64_FORMAT " on item %s in queue %s was already "
                   "retracted (audit event %" G_GINT64_FORMAT ")",
                   target->id, target->task_id, target->queue, target->retracted_seq);
      return FALSE;
    }

  if (!read_latest (self, target->item_id, &latest, error))
    return FALSE;

  if (latest != target->id)
    {
      g_set_error (error, VD_STORE_ERROR, VD_STORE_ERROR_INVALID,
                   "Decision %" G_GINT64_FORMAT " on item %s in queue %s is not the item's "
                   "latest decision (decision %" G_GINT64_FORMAT " came after it): only the "
                   "latest decision can be retracted",
                   target->id, target->task_id, target->queue, latest);
      return FALSE;
    }

  if (target->item_revision != target->revision)
    {
      g_set_error (error, VD_STORE_ERROR, VD_STORE_ERROR_INVALID,
                   "Decision %" G_GINT64_FORMAT " on item %s in queue %s was for revision %d, "
                   "but the item is now at revision %d: the decision can no longer be "
                   "retracted",
                   target->id, target->task_id, target->queue, target->revision,
                   target->item_revision);
      return FALSE;
    }

  if (g_strcmp0 (target->reviewer_id, reviewer_id) != 0)
    {
      g_set_error (error, VD_STORE_ERROR, VD_STORE_ERROR_INVALID,
                   "Decision %" G_GINT64_FORMAT " on item %s in queue %s was made by %s: "
                   "only %s can retract it",
                   target->id, target->task_id, target->queue, target->reviewer_id,
                   target->reviewer_id);
      return FALSE;
    }

  /* The review that escalated the item: the reviewers disagree, and the
   * item is left to whoever may decide an escalated item. */
  if (!target->final && target->disagreed)
    {
      g_set_error (error, VD_STORE_ERROR, VD_STORE_ERROR_INVALID,
                   "Decision %" G_GINT64_FORMAT " on item %s in queue %s disagreed with the "
                   "first review and escalated the item: it cannot be retracted; the "
                   "escalated item needs a decision",
                   target->id, target->task_id, target->queue);
      return FALSE;
    }

  if (target->previous_status == NULL)
    {
      g_set_error (error, VD_STORE_ERROR, VD_STORE_ERROR_INVALID,
                   "Decision %" G_GINT64_FORMAT " on item %s in queue %s was recorded by an "
                   "older Verdict, which did not keep the item's status before it: it cannot "
                   "be retracted",
                   target->id, target->task_id, target->queue);
      return FALSE;
    }

  return TRUE;
}

static gboolean
mark_retracted (VdSqliteStore  *self,
                Target         *target,
                gint64          retraction_seq,
                GError        **error)
{
  g_autoptr(VdSqliteCursor) stmt = NULL;

  stmt = _vd_sqlite_store_prepare (self,
                                   "UPDATE decisions SET retracted_seq = ?2 WHERE id = ?1",
                                   error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, target->id);
  sqlite3_bind_int64 (stmt, 2, retraction_seq);

  return _vd_sqlite_store_step_done (self, stmt, error);
}

static gboolean
restore_status (VdSqliteStore  *self,
                Target         *target,
                gint64          retraction_seq,
                GError        **error)
{
  g_autoptr(VdSqliteCursor) stmt = NULL;

  stmt = _vd_sqlite_store_prepare (self,
                                   "UPDATE items SET status = ?2, audit_seq = ?3 WHERE id = ?1",
                                   error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, target->item_id);
  _vd_sqlite_bind_text (stmt, 2, target->previous_status);
  sqlite3_bind_int64 (stmt, 3, retraction_seq);

  return _vd_sqlite_store_step_done (self, stmt, error);
}

static gboolean
retract_locked (VdSqliteStore  *self,
                gint64          decision_id,
                const char     *reviewer_id,
                const char     *reason,
                GError        **error)
{
  g_auto(Target) target = { 0, };
  g_autoptr(VdAuditEvent) event = NULL;
  gint64 seq;

  if (!read_target (self, decision_id, &target, error) ||
      !check_target (self, &target, reviewer_id, error) ||
      /* The roster gate: taking back a decision on an escalated item
       * reopens it, which needs the role a decision on it needs. */
      !_vd_sqlite_store_authorize_locked (self, reviewer_id,
                                          g_strcmp0 (target.previous_status, "escalated") == 0,
                                          target.queue, target.task_id, error))
    return FALSE;

  event = _vd_audit_event_new_take_json (reviewer_id, VD_AUDIT_RETRACTION,
                                         target.queue, target.task_id,
                                         vd_decision_rules_retraction_payload (target.audit_seq,
                                                                               target.kind,
                                                                               target.revision,
                                                                               reason));
  if (!_vd_sqlite_store_append_locked (self, event, error))
    return FALSE;

  seq = vd_audit_event_get_seq (event);

  return mark_retracted (self, &target, seq, error) &&
         restore_status (self, &target, seq, error);
}

gboolean
_vd_sqlite_store_retract_decision (VdStore     *store,
                                   gint64       decision_id,
                                   const char  *reviewer_id,
                                   const char  *reason,
                                   GError     **error)
{
  VdSqliteStore *self = VD_SQLITE_STORE (store);
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = NULL;

  if (vd_text_is_blank (reviewer_id))
    {
      g_set_error_literal (error, VD_STORE_ERROR, VD_STORE_ERROR_INVALID,
                           "A retraction needs the reviewer id of the decision's reviewer");
      return FALSE;
    }

  locker = g_mutex_locker_new (&self->lock);

  if (!_vd_sqlite_store_begin (self, error))
    return FALSE;

  if (!retract_locked (self, decision_id, reviewer_id, reason, error))
    {
      _vd_sqlite_store_rollback (self);
      return FALSE;
    }

  /* synchronous=FULL: once COMMIT returns, the retraction is on disk. */
  return _vd_sqlite_store_commit (self, error);
}
