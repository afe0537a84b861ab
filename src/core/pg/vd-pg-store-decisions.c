/* vd-pg-store-decisions.c: the decisions of a VdPgStore
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
#include "vd-decision-rules.h"
#include "vd-pg-store-private.h"
#include "vd-policy.h"
#include "vd-text.h"
#include "vd-timestamp.h"

/* What a successful write gives back to the decision, once committed. */
typedef struct
{
  gint64        id;
  char         *queue;
  GDateTime    *timestamp;
  VdAuditEvent *event;
  gboolean      final;
} Recorded;

static void
recorded_clear (Recorded *recorded)
{
  g_clear_pointer (&recorded->queue, g_free);
  g_clear_pointer (&recorded->timestamp, g_date_time_unref);
  g_clear_object (&recorded->event);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Recorded, recorded_clear)


static const char *
or_empty (const char *text)
{
  return text != NULL ? text : "";
}

/* Who decided the item last, for the refusal of a second decision. */
static void
set_already_decided (VdPgStore  *self,
                     VdItem     *item,
                     GError    **error)
{
  g_autoptr(VdPgParams) params = _vd_pg_params_new ();
  g_autoptr(PGresult) result = NULL;

  _vd_pg_params_add_int (params, vd_item_get_id (item));
  result = _vd_pg_store_exec (self,
                              "SELECT reviewer_id, timestamp FROM decisions "
                              "WHERE item_id = $1 AND retracted_seq IS NULL "
                              "ORDER BY id DESC LIMIT 1",
                              params, NULL);
  if (result != NULL && PQntuples (result) == 1)
    {
      g_autoptr(GDateTime) when = vd_timestamp_from_usec (_vd_pg_get_int (result, 0, 1));

      vd_decision_rules_set_already_decided (item, PQgetvalue (result, 0, 0), when, error);
    }
  else
    {
      vd_decision_rules_set_already_decided (item, NULL, NULL, error);
    }
}

static gboolean
check_decision (VdPgStore   *self,
                VdDecision  *decision,
                VdItem      *item,
                GError     **error)
{
  /* Before "already decided": say that the deadline decided it, and when. */
  if (!_vd_pg_store_check_fallback (self, item, error))
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
read_first_review (VdPgStore   *self,
                   VdItem      *item,
                   VdReview   **first,
                   GError     **error)
{
  g_autoptr(VdPgParams) params = _vd_pg_params_new ();
  g_autoptr(PGresult) result = NULL;
  VdDecisionKind kind = VD_DECISION_KIND_APPROVE;

  _vd_pg_params_add_int (params, vd_item_get_id (item));
  _vd_pg_params_add_int (params, vd_item_get_revision (item));
  result = _vd_pg_store_exec (self,
                              "SELECT reviewer_id, decision, feedback, modified_content, "
                              "audit_seq FROM decisions "
                              "WHERE item_id = $1 AND revision = $2 AND final = 0 "
                              "AND retracted_seq IS NULL ORDER BY id DESC LIMIT 1",
                              params, error);
  if (result == NULL)
    {
      g_prefix_error (error, "Could not read the item's reviews: ");
      return FALSE;
    }

  *first = NULL;
  if (PQntuples (result) == 1)
    {
      vd_decision_kind_from_string (PQgetvalue (result, 0, 1), &kind);
      *first = vd_review_new (PQgetvalue (result, 0, 0), kind, PQgetvalue (result, 0, 2),
                              PQgetvalue (result, 0, 3), _vd_pg_get_int (result, 0, 4));
    }
  return TRUE;
}

/* The outcome is the core's; a backend reads the standing first review. */
static gboolean
decide_outcome (VdPgStore  *self,
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

/* The queue's remembered policy, or NULL (and no error) when it has none. */
static VdPolicy *
queue_policy (VdPgStore   *self,
              const char  *queue,
              GError     **error)
{
  g_autofree char *json = NULL;
  g_autoptr(GError) local_error = NULL;
  VdPolicy *policy;

  if (!_vd_pg_store_get_queue_policy_locked (self, queue, &json, NULL, error) || json == NULL)
    return NULL;

  policy = vd_policy_new_from_data (json, -1, queue, &local_error);
  if (policy == NULL)
    g_set_error (error, VD_STORE_ERROR, VD_STORE_ERROR_FAILED,
                 "The policy remembered for queue %s does not read: %s",
                 queue, local_error->message);
  return policy;
}

/* The roster gate of the core (vd-decision-rules.c) with the queue's
 * remembered policy, which @out_policy receives when the gate lets the
 * reviewer through. */
static gboolean
authorize (VdPgStore   *self,
           const char  *reviewer_id,
           gboolean     escalated,
           const char  *queue,
           const char  *task_id,
           VdPolicy   **out_policy,
           GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(VdPolicy) policy = NULL;

  policy = queue_policy (self, queue, &local_error);
  if (policy == NULL && local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  if (!vd_decision_rules_authorize (self->signer, policy, reviewer_id, escalated, queue,
                                    task_id, error))
    return FALSE;

  if (out_policy != NULL)
    *out_policy = g_steal_pointer (&policy);
  return TRUE;
}

static gboolean
authorize_and_stamp (VdPgStore   *self,
                     VdDecision  *decision,
                     VdItem      *item,
                     GError     **error)
{
  g_autoptr(VdPolicy) policy = NULL;

  if (!authorize (self, vd_decision_get_reviewer_id (decision),
                  vd_item_get_status (item) == VD_TASK_STATUS_ESCALATED,
                  vd_item_get_queue (item), vd_item_get_task_id (item), &policy, error))
    return FALSE;

  vd_decision_rules_stamp (decision, item, policy, self->signer);
  return TRUE;
}

static gboolean
insert_decision (VdPgStore     *self,
                 VdDecision    *decision,
                 VdItem        *item,
                 gint64         timestamp_usec,
                 const char    *final_output,
                 VdAuditEvent  *event,
                 gboolean       final,
                 gint64        *id,
                 GError       **error)
{
  g_autoptr(VdPgParams) params = _vd_pg_params_new ();
  g_autoptr(PGresult) result = NULL;

  _vd_pg_params_add_int (params, vd_item_get_id (item));
  _vd_pg_params_add_text (params, vd_item_get_queue (item));
  _vd_pg_params_add_text (params, vd_item_get_task_id (item));
  _vd_pg_params_add_int (params, vd_item_get_revision (item));
  _vd_pg_params_add_text (params, vd_decision_kind_to_string (vd_decision_get_kind (decision)));
  _vd_pg_params_add_text (params, or_empty (vd_decision_get_feedback (decision)));
  _vd_pg_params_add_text (params, or_empty (vd_decision_get_modified_content (decision)));
  _vd_pg_params_add_text (params, vd_decision_get_reviewer_id (decision));
  _vd_pg_params_add_int (params, timestamp_usec);
  _vd_pg_params_add_int (params, vd_decision_get_duration_ms (decision));
  _vd_pg_params_add_text (params, final_output);
  _vd_pg_params_add_int (params, vd_audit_event_get_seq (event));
  _vd_pg_params_add_text (params, vd_audit_event_get_hash (event));
  _vd_pg_params_add_text (params, vd_audit_event_get_prev_hash (event));
  /* What a retraction restores. */
  _vd_pg_params_add_text (params, vd_task_status_to_string (vd_item_get_status (item)));
  switch (vd_decision_get_helpful (decision))
    {
    case VD_HELPFUL_YES:
      _vd_pg_params_add_int (params, 1);
      break;
    case VD_HELPFUL_NO:
      _vd_pg_params_add_int (params, 0);
      break;
    case VD_HELPFUL_UNSET:
    default:
      _vd_pg_params_add_text (params, NULL);
      break;
    }
  _vd_pg_params_add_text (params, vd_decision_get_category (decision));
  _vd_pg_params_add_text (params, vd_decision_get_policy_sha256 (decision));
  _vd_pg_params_add_text (params, vd_decision_get_model (decision));
  _vd_pg_params_add_text (params, vd_decision_get_prompt_version (decision));
  _vd_pg_params_add_text (params, vd_decision_get_app_version (decision));
  _vd_pg_params_add_int (params, final ? 1 : 0);

  result = _vd_pg_store_exec (self,
                              "INSERT INTO decisions (item_id, queue, task_id, revision, "
                              "decision, feedback, modified_content, reviewer_id, automatic, "
                              "timestamp, duration_ms, final_output, audit_seq, audit_hash, "
                              "audit_prev_hash, previous_status, helpful, category, "
                              "policy_sha256, model, prompt_version, app_version, final) "
                              "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0, $9, $10, $11, $12, "
                              "$13, $14, $15, $16, $17, $18, $19, $20, $21, $22) RETURNING id",
                              params, error);
  if (result == NULL)
    return FALSE;
  *id = _vd_pg_get_int (result, 0, 0);
  return TRUE;
}

static gboolean
update_item_status (VdPgStore  *self,
                    VdItem     *item,
                    VdDecisionOutcome    *outcome,
                    gint64      audit_seq,
                    GError    **error)
{
  g_autoptr(VdPgParams) params = _vd_pg_params_new ();

  _vd_pg_params_add_int (params, vd_item_get_id (item));
  _vd_pg_params_add_text (params, vd_task_status_to_string (outcome->status));
  _vd_pg_params_add_int (params, audit_seq);
  _vd_pg_params_add_text (params, outcome->reason != VD_ESCALATION_REASON_NONE
                                  ? vd_escalation_reason_to_string (outcome->reason) : NULL);
  return _vd_pg_store_exec_command (self,
                                    "UPDATE items SET status = $2, audit_seq = $3, "
                                    "escalation_reason = COALESCE ($4, escalation_reason) "
                                    "WHERE id = $1",
                                    params, error);
}

static gboolean
record_locked (VdPgStore   *self,
               VdDecision  *decision,
               Recorded    *recorded,
               GError     **error)
{
  g_autoptr(VdItem) item = NULL;
  g_autofree char *final_output = NULL;
  g_auto(VdDecisionOutcome) outcome = { 0, };
  GDateTime *timestamp;
  const char *queue = vd_decision_get_queue (decision);

  if (queue != NULL && queue[0] == '\0')
    queue = NULL;

  /* Read after the audit head was locked: no other writer can decide the
   * item between this read and the commit. */
  item = _vd_pg_store_find_item (self, queue, or_empty (vd_decision_get_task_id (decision)),
                                 error);
  if (item == NULL || !check_decision (self, decision, item, error) ||
      !authorize_and_stamp (self, decision, item, error) ||
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

  return _vd_pg_store_append_locked (self, recorded->event, error) &&
         insert_decision (self, decision, item, vd_timestamp_to_usec (recorded->timestamp),
                          or_empty (final_output), recorded->event, outcome.final,
                          &recorded->id, error) &&
         update_item_status (self, item, &outcome, vd_audit_event_get_seq (recorded->event),
                             error);
}

gboolean
_vd_pg_store_record_decision (VdStore     *store,
                              VdDecision  *decision,
                              GError     **error)
{
  VdPgStore *self = VD_PG_STORE (store);
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_auto(Recorded) recorded = { 0, };
  const char *reviewer_id = vd_decision_get_reviewer_id (decision);

  /* The database knows who is logged in; the store says so first. */
  if (!vd_decision_get_automatic (decision) &&
      !_vd_pg_store_may_act_as (self, reviewer_id))
    {
      g_set_error (error, VD_STORE_ERROR, VD_STORE_ERROR_PERMISSION,
                   "%s may not decide as %s: this connection is logged in to the database "
                   "as %s", self->session_user, or_empty (reviewer_id), self->session_user);
      return FALSE;
    }

  if (!_vd_pg_store_begin (self, error))
    return FALSE;
  if (!record_locked (self, decision, &recorded, error))
    {
      _vd_pg_store_rollback (self);
      return FALSE;
    }
  if (!_vd_pg_store_commit (self, error))
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
list_decisions_locked (VdPgStore   *self,
                       const char  *queue,
                       const char  *task_id,
                       GError     **error)
{
  g_autoptr(VdPgParams) params = _vd_pg_params_new ();
  g_autoptr(PGresult) result = NULL;
  g_autoptr(GString) sql = NULL;
  GPtrArray *decisions;

  sql = g_string_new ("SELECT d.id, d.queue, d.task_id, d.revision, d.decision, d.feedback, "
                      "d.modified_content, d.reviewer_id, d.automatic, d.timestamp, "
                      "d.duration_ms, d.audit_seq, d.audit_hash, d.audit_prev_hash, "
                      "d.final_output, d.retracted_seq, d.helpful, d.category, d.bulk_id, "
                      "d.policy_sha256, d.model, d.prompt_version, d.app_version, "
                      "a.key_id, a.signature, d.final "
                      "FROM decisions d LEFT JOIN audit a ON a.seq = d.audit_seq "
                      "WHERE ($1::text IS NULL OR d.queue = $1) "
                      "AND ($2::text IS NULL OR d.task_id = $2) ORDER BY d.id");
  _vd_pg_params_add_text (params, queue);
  _vd_pg_params_add_text (params, task_id);
  result = _vd_pg_store_exec (self, sql->str, params, error);
  if (result == NULL)
    return NULL;

  decisions = g_ptr_array_new_with_free_func (g_object_unref);
  for (int i = 0; i < PQntuples (result); i++)
    {
      g_autoptr(VdDecision) decision = NULL;
      g_autoptr(GDateTime) timestamp = NULL;
      VdDecisionKind kind = VD_DECISION_KIND_APPROVE;

      vd_decision_kind_from_string (PQgetvalue (result, i, 4), &kind);
      decision = vd_decision_new (PQgetvalue (result, i, 1), PQgetvalue (result, i, 2), kind,
                                  PQgetvalue (result, i, 7));
      vd_decision_set_id (decision, _vd_pg_get_int (result, i, 0));
      vd_decision_set_revision (decision, _vd_pg_get_int (result, i, 3));
      vd_decision_set_feedback (decision, PQgetvalue (result, i, 5));
      vd_decision_set_modified_content (decision, PQgetvalue (result, i, 6));
      vd_decision_set_automatic (decision, _vd_pg_get_int (result, i, 8) != 0);
      timestamp = vd_timestamp_from_usec (_vd_pg_get_int (result, i, 9));
      vd_decision_set_timestamp (decision, timestamp);
      vd_decision_set_duration_ms (decision, _vd_pg_get_int (result, i, 10));
      vd_decision_set_audit (decision, _vd_pg_get_int (result, i, 11),
                             PQgetvalue (result, i, 12), PQgetvalue (result, i, 13));
      if (!_vd_pg_is_null (result, i, 15))
        {
          vd_decision_set_retracted (decision, TRUE);
          vd_decision_set_retraction_seq (decision, _vd_pg_get_int (result, i, 15));
        }
      if (!_vd_pg_is_null (result, i, 16))
        vd_decision_set_helpful (decision, _vd_pg_get_int (result, i, 16) != 0
                                           ? VD_HELPFUL_YES : VD_HELPFUL_NO);
      if (!_vd_pg_is_null (result, i, 17))
        vd_decision_set_category (decision, PQgetvalue (result, i, 17));
      if (!_vd_pg_is_null (result, i, 18))
        vd_decision_set_bulk_id (decision, _vd_pg_get_int (result, i, 18));
      vd_decision_set_policy_sha256 (decision, _vd_pg_get_text (result, i, 19));
      vd_decision_set_model (decision, _vd_pg_get_text (result, i, 20));
      vd_decision_set_prompt_version (decision, _vd_pg_get_text (result, i, 21));
      vd_decision_set_app_version (decision, _vd_pg_get_text (result, i, 22));
      vd_decision_set_audit_signature (decision, _vd_pg_get_text (result, i, 23),
                                       _vd_pg_get_text (result, i, 24));
      vd_decision_set_final (decision, _vd_pg_get_int (result, i, 25) != 0);
      g_free (vd_decision_compute_final_output (decision, PQgetvalue (result, i, 14)));
      g_ptr_array_add (decisions, g_steal_pointer (&decision));
    }
  return decisions;
}

GPtrArray *
_vd_pg_store_list_decisions (VdStore     *store,
                             const char  *queue,
                             const char  *task_id,
                             GError     **error)
{
  VdPgStore *self = VD_PG_STORE (store);
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  if (!_vd_pg_store_ensure_connected (self, error))
    return NULL;
  return list_decisions_locked (self, queue, task_id, error);
}

GPtrArray *
_vd_pg_store_list_decisions_at_head (VdStore  *store,
                                     gint64   *head_seq,
                                     char    **head_hash,
                                     GError  **error)
{
  VdPgStore *self = VD_PG_STORE (store);
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_autoptr(GPtrArray) decisions = NULL;
  g_autoptr(PGresult) head = NULL;

  if (!_vd_pg_store_ensure_connected (self, error) ||
      !_vd_pg_store_exec_command (self, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
                                  NULL, error))
    return NULL;
  self->in_transaction = TRUE;

  /* One snapshot: the head and the decisions it covers. */
  head = _vd_pg_store_exec (self, "SELECT seq, hash FROM audit_head WHERE id = 1", NULL, error);
  if (head != NULL)
    decisions = list_decisions_locked (self, NULL, NULL, error);
  _vd_pg_store_rollback (self);
  if (decisions == NULL)
    return NULL;

  if (head_seq != NULL)
    *head_seq = _vd_pg_get_int (head, 0, 0);
  if (head_hash != NULL)
    *head_hash = g_strdup (PQgetvalue (head, 0, 1));
  return g_steal_pointer (&decisions);
}

/* Retractions */

typedef struct
{
  gint64    id;
  gint64    item_id;
  char     *queue;
  char     *task_id;
  int       revision;
  char     *kind;
  char     *reviewer_id;
  gboolean  automatic;
  gint64    audit_seq;
  gint64    retracted_seq;     /* 0 when it stands */
  char     *previous_status;
  int       item_revision;
  gint64    latest;            /* the item's latest decision in force */
  gboolean  final;             /* FALSE for a review of a two-review item */
  gboolean  disagreed;         /* the item is escalated: its reviewers disagree */
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
read_target (VdPgStore  *self,
             gint64      decision_id,
             Target     *target,
             GError    **error)
{
  g_autoptr(VdPgParams) params = _vd_pg_params_new ();
  g_autoptr(PGresult) result = NULL;

  _vd_pg_params_add_int (params, decision_id);
  result = _vd_pg_store_exec (self,
                              "SELECT d.item_id, d.queue, d.task_id, d.revision, d.decision, "
                              "d.reviewer_id, d.automatic, d.audit_seq, d.retracted_seq, "
                              "d.previous_status, i.revision, "
                              "(SELECT max (l.id) FROM decisions l WHERE l.item_id = d.item_id "
                              "AND l.retracted_seq IS NULL), d.final, "
                              "i.status = 'escalated' AND "
                              "i.escalation_reason IS NOT DISTINCT FROM 'reviewers_disagree' "
                              "FROM decisions d JOIN items i ON i.id = d.item_id "
                              "WHERE d.id = $1",
                              params, error);
  if (result == NULL)
    return FALSE;
  if (PQntuples (result) == 0)
    {
      g_set_error (error, VD_STORE_ERROR, VD_STORE_ERROR_INVALID,
                   "There is no decision %" G_GINT64_FORMAT " to retract", decision_id);
      return FALSE;
    }

  target->id = decision_id;
  target->item_id = _vd_pg_get_int (result, 0, 0);
  target->queue = g_strdup (PQgetvalue (result, 0, 1));
  target->task_id = g_strdup (PQgetvalue (result, 0, 2));
  target->revision = _vd_pg_get_int (result, 0, 3);
  target->kind = g_strdup (PQgetvalue (result, 0, 4));
  target->reviewer_id = g_strdup (PQgetvalue (result, 0, 5));
  target->automatic = _vd_pg_get_int (result, 0, 6) != 0;
  target->audit_seq = _vd_pg_get_int (result, 0, 7);
  target->retracted_seq = _vd_pg_get_int (result, 0, 8);
  target->previous_status = g_strdup (_vd_pg_get_text (result, 0, 9));
  target->item_revision = _vd_pg_get_int (result, 0, 10);
  target->latest = _vd_pg_get_int (result, 0, 11);
  target->final = _vd_pg_get_int (result, 0, 12) != 0;
  target->disagreed = g_strcmp0 (PQgetvalue (result, 0, 13), "t") == 0;
  return TRUE;
}

/* The checks of vd-sqlite-store-retract.c. */
static gboolean
check_target (Target      *target,
              const char  *reviewer_id,
              GError     **error)
{
  if (target->automatic)
    {
      g_set_error (error, VD_STORE_ERROR, VD_STORE_ERROR_INVALID,
                   "Decision %" G_GINT64_FORMAT " on item %s in queue %s was made by %s: "
                   "only a reviewer's decision can be retracted",
                   target->id, target->task_id, target->queue,
                   g_strcmp0 (target->reviewer_id, VD_AUDIT_ACTOR_SLA) == 0
                   ? "the deadline fallback" : "the policy");
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
  if (target->latest != target->id)
    {
      g_set_error (error, VD_STORE_ERROR, VD_STORE_ERROR_INVALID,
                   "Decision %" G_GINT64_FORMAT " on item %s in queue %s is not the item's "
                   "latest decision (decision %" G_GINT64_FORMAT " came after it): only the "
                   "latest decision can be retracted",
                   target->id, target->task_id, target->queue, target->latest);
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
                   "Decision %" G_GINT64_FORMAT " on item %s in queue %s did not keep the "
                   "item's status before it: it cannot be retracted",
                   target->id, target->task_id, target->queue);
      return FALSE;
    }
  return TRUE;
}

static gboolean
retract_locked (VdPgStore   *self,
                gint64       decision_id,
                const char  *reviewer_id,
                const char  *reason,
                GError     **error)
{
  g_auto(Target) target = { 0, };
  g_autoptr(VdAuditEvent) event = NULL;
  g_autoptr(VdPgParams) params = _vd_pg_params_new ();
  gint64 seq;

  if (!read_target (self, decision_id, &target, error) ||
      !check_target (&target, reviewer_id, error) ||
      /* Reopening an escalated item needs what deciding it needs. */
      !authorize (self, reviewer_id, g_strcmp0 (target.previous_status, "escalated") == 0,
                  target.queue, target.task_id, NULL, error))
    return FALSE;

  event = _vd_audit_event_new_take_json (reviewer_id, VD_AUDIT_RETRACTION, target.queue,
                                         target.task_id,
                                         vd_decision_rules_retraction_payload (target.audit_seq,
                                                                               target.kind,
                                                                               target.revision,
                                                                               reason));
  if (!_vd_pg_store_append_locked (self, event, error))
    return FALSE;
  seq = vd_audit_event_get_seq (event);

  _vd_pg_params_add_int (params, target.id);
  _vd_pg_params_add_int (params, seq);
  if (!_vd_pg_store_exec_command (self, "UPDATE decisions SET retracted_seq = $2 WHERE id = $1",
                                  params, error))
    return FALSE;

  g_ptr_array_set_size (params, 0);
  _vd_pg_params_add_int (params, target.item_id);
  _vd_pg_params_add_int (params, seq);
  _vd_pg_params_add_text (params, target.previous_status);
  return _vd_pg_store_exec_command (self,
                                    "UPDATE items SET status = $3, audit_seq = $2 WHERE id = $1",
                                    params, error);
}

gboolean
_vd_pg_store_retract_decision (VdStore     *store,
                               gint64       decision_id,
                               const char  *reviewer_id,
                               const char  *reason,
                               GError     **error)
{
  VdPgStore *self = VD_PG_STORE (store);
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = NULL;

  if (vd_text_is_blank (reviewer_id))
    {
      g_set_error_literal (error, VD_STORE_ERROR, VD_STORE_ERROR_INVALID,
                           "A retraction needs the reviewer id of the decision's reviewer");
      return FALSE;
    }

  locker = g_mutex_locker_new (&self->lock);
  if (!_vd_pg_store_may_act_as (self, reviewer_id))
    {
      g_set_error (error, VD_STORE_ERROR, VD_STORE_ERROR_PERMISSION,
                   "%s may not retract as %s: this connection is logged in to the database "
                   "as %s", self->session_user, reviewer_id, self->session_user);
      return FALSE;
    }

  if (!_vd_pg_store_begin (self, error))
    return FALSE;
  if (!retract_locked (self, decision_id, reviewer_id, reason, error))
    {
      _vd_pg_store_rollback (self);
      return FALSE;
    }
  return _vd_pg_store_commit (self, error);
}
