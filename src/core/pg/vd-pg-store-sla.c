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

#include "vd-audit-event-private.h"
#include "vd-format.h"
#include "vd-decision-rules.h"
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

/* The load on the reviewers at @now, in one snapshot. */
gboolean
_vd_pg_store_get_workload (VdStore     *store,
                           const char  *queue,
                           GDateTime   *now,
                           VdWorkload  *workload,
                           GError     **error)
{
  VdPgStore *self = VD_PG_STORE (store);
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_autoptr(VdPgParams) params = _vd_pg_params_new ();
  g_autoptr(PGresult) result = NULL;
  gint64 now_usec = vd_timestamp_to_usec (now);

  if (!_vd_pg_store_ensure_connected (self, error))
    return FALSE;

  _vd_pg_params_add_text (params, queue);
  _vd_pg_params_add_int (params, now_usec);
  _vd_pg_params_add_int (params, now_usec - G_TIME_SPAN_HOUR);
  _vd_pg_params_add_int (params, now_usec - G_TIME_SPAN_DAY);
  result = _vd_pg_store_exec (self,
                              "SELECT "
                              "(SELECT count (*) FROM items WHERE status IN ('pending', "
                              "'in_review', 'escalated') AND ($1::text IS NULL OR queue = $1)), "
                              "(SELECT count (due_at) FROM items WHERE status IN ('pending', "
                              "'in_review', 'escalated') AND ($1::text IS NULL OR queue = $1)), "
                              "(SELECT count (*) FILTER (WHERE imported_at > $3::bigint) FROM items "
                              "WHERE imported_at > $4::bigint AND imported_at <= $2::bigint "
                              "AND ($1::text IS NULL OR queue = $1)), "
                              "(SELECT count (*) FROM items WHERE imported_at > $4::bigint "
                              "AND imported_at <= $2::bigint AND ($1::text IS NULL OR queue = $1)), "
                              "(SELECT count (*) FILTER (WHERE timestamp > $3::bigint) "
                              "FROM decisions WHERE timestamp > $4::bigint "
                              "AND timestamp <= $2::bigint AND automatic = 0 "
                              "AND retracted_seq IS NULL AND bulk_id IS NULL "
                              "AND ($1::text IS NULL OR queue = $1)), "
                              "(SELECT count (*) FROM decisions WHERE timestamp > $4::bigint "
                              "AND timestamp <= $2::bigint AND automatic = 0 "
                              "AND retracted_seq IS NULL AND bulk_id IS NULL "
                              "AND ($1::text IS NULL OR queue = $1))",
                              params, error);
  if (result == NULL)
    return FALSE;

  workload->pending = _vd_pg_get_int (result, 0, 0);
  workload->with_deadline = _vd_pg_get_int (result, 0, 1);
  workload->arrivals_hour = _vd_pg_get_int (result, 0, 2);
  workload->arrivals_day = _vd_pg_get_int (result, 0, 3);
  workload->decisions_hour = _vd_pg_get_int (result, 0, 4);
  workload->decisions_day = _vd_pg_get_int (result, 0, 5);
  return TRUE;
}

/* The items that would be late if the k-th in deadline order were decided
 * at now + k * @usec_per_item. */
gboolean
_vd_pg_store_count_late (VdStore     *store,
                         const char  *queue,
                         GDateTime   *now,
                         gint64       usec_per_item,
                         guint64     *count,
                         GError     **error)
{
  VdPgStore *self = VD_PG_STORE (store);
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_autoptr(VdPgParams) params = _vd_pg_params_new ();
  g_autoptr(PGresult) result = NULL;

  if (!_vd_pg_store_ensure_connected (self, error))
    return FALSE;

  _vd_pg_params_add_int (params, vd_timestamp_to_usec (now));
  _vd_pg_params_add_int (params, usec_per_item);
  _vd_pg_params_add_text (params, queue);
  result = _vd_pg_store_exec (self,
                              "SELECT count (*) FROM (SELECT due_at, row_number () OVER "
                              "(ORDER BY due_at, id) AS k FROM items WHERE status IN "
                              "('pending', 'in_review', 'escalated') AND due_at IS NOT NULL "
                              "AND ($3::text IS NULL OR queue = $3)) t "
                              "WHERE $1::bigint + k * $2::bigint > due_at",
                              params, error);
  if (result == NULL)
    return FALSE;
  *count = _vd_pg_get_int (result, 0, 0);
  return TRUE;
}

/* Deadline fallbacks: the status and the payload are the core's
 * (vd-decision-rules.c), as the SQLite store writes them. */

static gboolean
insert_fallback_decision (VdPgStore     *self,
                          VdItem        *item,
                          VdSlaFallback  fallback,
                          gint64         now_usec,
                          VdAuditEvent  *event,
                          GError       **error)
{
  g_autoptr(VdPgParams) params = _vd_pg_params_new ();
  gboolean approve = fallback == VD_SLA_FALLBACK_AUTO_APPROVE;

  _vd_pg_params_add_int (params, vd_item_get_id (item));
  _vd_pg_params_add_text (params, vd_item_get_queue (item));
  _vd_pg_params_add_text (params, vd_item_get_task_id (item));
  _vd_pg_params_add_int (params, vd_item_get_revision (item));
  _vd_pg_params_add_text (params, vd_decision_kind_to_string (approve ? VD_DECISION_KIND_APPROVE
                                                                      : VD_DECISION_KIND_REJECT));
  _vd_pg_params_add_text (params, approve ? "" : VD_SLA_REJECT_FEEDBACK);
  _vd_pg_params_add_text (params, VD_AUDIT_ACTOR_SLA);
  _vd_pg_params_add_int (params, now_usec);
  _vd_pg_params_add_text (params, approve ? vd_item_get_content (item) : "");
  _vd_pg_params_add_int (params, vd_audit_event_get_seq (event));
  _vd_pg_params_add_text (params, vd_audit_event_get_hash (event));
  _vd_pg_params_add_text (params, vd_audit_event_get_prev_hash (event));
  _vd_pg_params_add_text (params, vd_task_status_to_string (vd_item_get_status (item)));

  return _vd_pg_store_exec_command (self,
                                    "INSERT INTO decisions (item_id, queue, task_id, revision, "
                                    "decision, feedback, modified_content, reviewer_id, "
                                    "automatic, timestamp, duration_ms, final_output, "
                                    "audit_seq, audit_hash, audit_prev_hash, previous_status) "
                                    "VALUES ($1, $2, $3, $4, $5, $6, '', $7, 1, $8, 0, $9, $10, "
                                    "$11, $12, $13)",
                                    params, error);
}

static gboolean
update_fallback_item (VdPgStore     *self,
                      VdItem        *item,
                      VdSlaOutcome  *outcome,
                      gint64         now_usec,
                      gint64         audit_seq,
                      GError       **error)
{
  g_autoptr(VdPgParams) params = _vd_pg_params_new ();

  _vd_pg_params_add_int (params, vd_item_get_id (item));
  _vd_pg_params_add_text (params, vd_decision_rules_fallback_status (outcome->rule.fallback));
  if (outcome->rule.fallback == VD_SLA_FALLBACK_ESCALATE && outcome->new_due_at != NULL)
    _vd_pg_params_add_int (params, vd_timestamp_to_usec (outcome->new_due_at));
  else
    _vd_pg_params_add_text (params, NULL);
  _vd_pg_params_add_text (params, vd_sla_fallback_to_string (outcome->rule.fallback));
  _vd_pg_params_add_text (params, vd_sla_fallback_to_string (outcome->rule.configured));
  _vd_pg_params_add_text (params, outcome->rule.rule);
  _vd_pg_params_add_int (params, now_usec);
  _vd_pg_params_add_int (params, audit_seq);

  /* sla_deadline = due_at reads the deadline before this update changes it. */
  return _vd_pg_store_exec_command (self,
                                    "UPDATE items SET status = $2, "
                                    "due_at = coalesce ($3::bigint, due_at), sla_fallback = $4, "
                                    "sla_configured = $5, sla_rule = $6, sla_deadline = due_at, "
                                    "sla_applied_at = $7, audit_seq = $8 WHERE id = $1",
                                    params, error);
}

static gboolean
apply_one (VdPgStore        *self,
           VdItem           *item,
           GDateTime        *now,
           const char       *now_text,
           VdSlaResolveFunc  resolve,
           gpointer          resolve_data,
           VdSlaResult      *result,
           GError          **error)
{
  g_autoptr(VdAuditEvent) event = NULL;
  g_autofree char *source_note = NULL;
  VdSlaOutcome outcome = { { 0, }, };
  gint64 now_usec = vd_timestamp_to_usec (now);
  gboolean ok;

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

  ok = _vd_pg_store_append_locked (self, event, error) &&
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

gboolean
_vd_pg_store_apply_fallbacks (VdStore           *store,
                              GDateTime         *now,
                              guint              limit,
                              VdSlaResolveFunc   resolve,
                              gpointer           resolve_data,
                              VdSlaResult       *result,
                              GError           **error)
{
  VdPgStore *self = VD_PG_STORE (store);
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_autoptr(VdPgParams) params = _vd_pg_params_new ();
  g_autoptr(PGresult) due = NULL;
  g_autofree char *now_text = vd_timestamp_format (now);
  VdSlaResult counts = { 0, };

  /* Read inside the write transaction (after the audit head's lock): no
   * item can be decided or revised between being found due and getting
   * its fallback. */
  if (!_vd_pg_store_begin (self, error))
    return FALSE;

  _vd_pg_params_add_int (params, vd_timestamp_to_usec (now));
  _vd_pg_params_add_int (params, limit);
  due = _vd_pg_store_exec (self,
                           "SELECT " VD_PG_ITEM_COLUMNS " FROM items WHERE " DUE_WHERE
                           " AND due_at <= $1 ORDER BY due_at, id LIMIT $2",
                           params, error);
  if (due == NULL || PQntuples (due) == 0)
    {
      _vd_pg_store_rollback (self);
      return due != NULL;
    }

  for (int i = 0; i < PQntuples (due); i++)
    {
      g_autoptr(VdItem) item = _vd_pg_store_item_from_row (due, i);

      if (!apply_one (self, item, now, now_text, resolve, resolve_data, &counts, error))
        {
          _vd_pg_store_rollback (self);
          return FALSE;
        }
    }

  if (!_vd_pg_store_commit (self, error))
    return FALSE;

  result->applied += counts.applied;
  result->escalated += counts.escalated;
  result->auto_rejected += counts.auto_rejected;
  result->auto_approved += counts.auto_approved;
  result->unsafe += counts.unsafe;
  return TRUE;
}

/* A fallback that decided @item's current revision shuts reviewers out:
 * says so, with when and why, as ALREADY_DECIDED. */
gboolean
_vd_pg_store_check_fallback (VdPgStore  *self,
                             VdItem     *item,
                             GError    **error)
{
  g_autoptr(VdPgParams) params = _vd_pg_params_new ();
  g_autoptr(PGresult) result = NULL;
  g_autoptr(GDateTime) applied_at = NULL;
  g_autoptr(GDateTime) deadline = NULL;
  g_autofree char *applied_text = NULL;
  g_autofree char *deadline_text = NULL;
  VdSlaFallback fallback;

  _vd_pg_params_add_int (params, vd_item_get_id (item));
  result = _vd_pg_store_exec (self,
                              "SELECT sla_fallback, sla_deadline, sla_applied_at FROM items "
                              "WHERE id = $1",
                              params, error);
  if (result == NULL)
    return FALSE;
  if (PQntuples (result) != 1 || _vd_pg_is_null (result, 0, 0) ||
      !vd_sla_fallback_from_string (PQgetvalue (result, 0, 0), &fallback) ||
      fallback == VD_SLA_FALLBACK_ESCALATE)
    return TRUE;

  deadline = vd_timestamp_from_usec (_vd_pg_get_int (result, 0, 1));
  applied_at = vd_timestamp_from_usec (_vd_pg_get_int (result, 0, 2));
  deadline_text = vd_timestamp_format (deadline);
  applied_text = vd_timestamp_format (applied_at);

  if (fallback == VD_SLA_FALLBACK_AUTO_REJECT)
    g_set_error (error, VD_STORE_ERROR, VD_STORE_ERROR_ALREADY_DECIDED,
                 "Item %s in queue %s: the deadline fallback “%s” was applied at %s (the "
                 "deadline was %s): the item was rejected with the feedback “%s” and awaits "
                 "the agent's revision, so a reviewer's decision on revision %d is refused",
                 vd_item_get_task_id (item), vd_item_get_queue (item),
                 vd_sla_fallback_to_string (fallback), applied_text, deadline_text,
                 VD_SLA_REJECT_FEEDBACK, vd_item_get_revision (item));
  else
    g_set_error (error, VD_STORE_ERROR, VD_STORE_ERROR_ALREADY_DECIDED,
                 "Item %s in queue %s: the deadline fallback “%s” was applied at %s (the "
                 "deadline was %s): the item was approved without a reviewer, so a "
                 "reviewer's decision on revision %d is refused",
                 vd_item_get_task_id (item), vd_item_get_queue (item),
                 vd_sla_fallback_to_string (fallback), applied_text, deadline_text,
                 vd_item_get_revision (item));
  return FALSE;
}
