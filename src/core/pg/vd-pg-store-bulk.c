/* vd-pg-store-bulk.c: bulk approvals in a VdPgStore
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
#include "vd-format.h"
#include "vd-decision-rules.h"
#include "vd-pg-store-private.h"
#include "vd-policy.h"
#include "vd-timestamp.h"

/*
 * Guarded bulk approvals, as vd-sqlite-store-bulk.c makes them: a band is
 * drawn with a sample (bulk_sample event), the sample is decided one by
 * one, and the band is approved (a decision and a bulk_approve event per
 * item, bulk_id set) or cancelled (bulk_cancel). The same messages and
 * results. On PostgreSQL an item that another reviewer has claimed (and
 * whose lease lasts) is left alone too, like one decided meanwhile: the
 * database would refuse its decision.
 */

/* What a roster refusal of a bulk approve names as the item. */
#define BULK_TASK_LABEL "(bulk approve)"

GArray *
_vd_pg_store_list_band (VdStore           *store,
                        const VdBulkBand  *band,
                        GError           **error)
{
  VdPgStore *self = VD_PG_STORE (store);
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_autoptr(GArray) members = g_array_new (FALSE, FALSE, sizeof (VdBulkMember));
  g_autoptr(VdPgParams) params = _vd_pg_params_new ();
  g_autoptr(PGresult) result = NULL;

  if (!_vd_pg_store_ensure_connected (self, error))
    return NULL;

  /* Escalated items are left out: someone asked for a closer look. So are
   * items the policy gives to two reviewers: one bulk approve is one. */
  _vd_pg_params_add_text (params, band->queue);
  _vd_pg_params_add_double (params, band->min_confidence);
  _vd_pg_params_add_double (params, band->max_confidence);
  _vd_pg_params_add_text (params, band->task_type);
  _vd_pg_params_add_text (params, band->reason >= 0
                                  ? vd_escalation_reason_to_string (band->reason) : NULL);
  result = _vd_pg_store_exec (self,
                              "SELECT id, revision FROM items WHERE queue = $1 "
                              "AND status IN ('pending', 'in_review') "
                              "AND reviews_required = 1 "
                              "AND confidence >= $2 AND confidence <= $3 "
                              "AND ($4::text IS NULL OR task_type = $4) "
                              "AND ($5::text IS NULL OR escalation_reason = $5) "
                              "ORDER BY id",
                              params, error);
  if (result == NULL)
    {
      g_prefix_error (error, "Could not list the band: ");
      return NULL;
    }

  for (int i = 0; i < PQntuples (result); i++)
    {
      VdBulkMember member = { 0, };

      member.item_id = _vd_pg_get_int (result, i, 0);
      member.revision = (int) _vd_pg_get_int (result, i, 1);
      g_array_append_val (members, member);
    }

  return g_steal_pointer (&members);
}

static char *
strings_to_json (GPtrArray *strings)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_array (builder);
  for (guint i = 0; i < strings->len; i++)
    json_builder_add_string_value (builder, g_ptr_array_index (strings, i));
  json_builder_end_array (builder);

  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

static GPtrArray *
strings_from_json (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  GPtrArray *strings = g_ptr_array_new_with_free_func (g_free);
  JsonNode *root;

  if (json == NULL || !json_parser_load_from_data (parser, json, -1, NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    return strings;

  for (guint i = 0; i < json_array_get_length (json_node_get_array (root)); i++)
    {
      const char *text = json_array_get_string_element (json_node_get_array (root), i);

      g_ptr_array_add (strings, g_strdup (text != NULL ? text : ""));
    }

  return strings;
}

/* Appends "name":RAW to a payload begun with _vd_json_object_begin() that
 * already has a member. */
static void
add_raw_member (GString    *payload,
                const char *name,
                const char *raw)
{
  g_assert (payload->str[payload->len - 1] != '{');
  g_string_append_printf (payload, ",\"%s\":%s", name, raw);
}

/* The store says what the database would refuse: decisions and events
 * are recorded as the role that is logged in. */
static gboolean
check_reviewer (VdPgStore   *self,
                const char  *reviewer_id,
                GError     **error)
{
  if (_vd_pg_store_may_act_as (self, reviewer_id))
    return TRUE;

  g_set_error (error, VD_STORE_ERROR, VD_STORE_ERROR_PERMISSION,
               "%s may not approve in bulk as %s: this connection is logged in to the "
               "database as %s", self->session_user, reviewer_id, self->session_user);
  return FALSE;
}

/* Creating */

static gboolean
insert_action (VdPgStore     *self,
               VdBulkAction  *action,
               const char    *sample_json,
               gint64         now_usec,
               GError       **error)
{
  g_autoptr(VdPgParams) params = _vd_pg_params_new ();
  g_autoptr(PGresult) result = NULL;

  _vd_pg_params_add_text (params, action->queue);
  _vd_pg_params_add_text (params, action->band_json);
  _vd_pg_params_add_int (params, action->seed);
  _vd_pg_params_add_double (params, action->sample_percent);
  _vd_pg_params_add_text (params, sample_json);
  _vd_pg_params_add_text (params, action->created_by);
  _vd_pg_params_add_int (params, now_usec);
  result = _vd_pg_store_exec (self,
                              "INSERT INTO bulk_actions (queue, band, seed, sample_percent, "
                              "sample, created_by, created_at, state, audit_seq) "
                              "VALUES ($1, $2, $3, $4, $5, $6, $7, 'sampling', 0) RETURNING id",
                              params, error);
  if (result == NULL)
    return FALSE;

  action->id = _vd_pg_get_int (result, 0, 0);
  return TRUE;
}

static gboolean
insert_members (VdPgStore     *self,
                VdBulkAction  *action,
                GError       **error)
{
  g_autoptr(GString) ids = g_string_new ("{");
  g_autoptr(GString) revisions = g_string_new ("{");
  g_autoptr(GString) sampled = g_string_new ("{");
  g_autoptr(VdPgParams) params = _vd_pg_params_new ();

  if (action->members->len == 0)
    return TRUE;

  /* One statement for the band, from three arrays. */
  for (guint i = 0; i < action->members->len; i++)
    {
      VdBulkMember *member = &g_array_index (action->members, VdBulkMember, i);
      const char *comma = i > 0 ? "," : "";

      g_string_append_printf (ids, "%s%" G_GINT64_FORMAT, comma, member->item_id);
      g_string_append_printf (revisions, "%s%d", comma, member->revision);
      g_string_append_printf (sampled, "%s%d", comma, member->sampled ? 1 : 0);
    }
  g_string_append_c (ids, '}');
  g_string_append_c (revisions, '}');
  g_string_append_c (sampled, '}');

  _vd_pg_params_add_int (params, action->id);
  _vd_pg_params_add_text (params, ids->str);
  _vd_pg_params_add_text (params, revisions->str);
  _vd_pg_params_add_text (params, sampled->str);
  return _vd_pg_store_exec_command (self,
                                    "INSERT INTO bulk_items (bulk_id, item_id, revision, sampled) "
                                    "SELECT $1, * FROM unnest ($2::bigint[], $3::bigint[], "
                                    "$4::integer[])",
                                    params, error);
}

static gboolean
set_action_audit_seq (VdPgStore  *self,
                      gint64      id,
                      gint64      seq,
                      GError    **error)
{
  g_autoptr(VdPgParams) params = _vd_pg_params_new ();

  _vd_pg_params_add_int (params, id);
  _vd_pg_params_add_int (params, seq);
  return _vd_pg_store_exec_command (self, "UPDATE bulk_actions SET audit_seq = $2 WHERE id = $1",
                                    params, error);
}

static gboolean
create_locked (VdPgStore     *self,
               VdBulkAction  *action,
               gint64         now_usec,
               GError       **error)
{
  g_autoptr(VdAuditEvent) event = NULL;
  g_autofree char *sample_json = strings_to_json (action->sample);
  GString *payload;

  if (!insert_action (self, action, sample_json, now_usec, error) ||
      !insert_members (self, action, error))
    return FALSE;

  payload = _vd_json_object_begin ();
  _vd_json_object_add_int (payload, "bulk_id", action->id);
  add_raw_member (payload, "band", action->band_json);
  _vd_json_object_add_int (payload, "seed", action->seed);
  _vd_json_object_add_double (payload, "sample_percent", action->sample_percent);
  _vd_json_object_add_int (payload, "band_size", action->members->len);
  add_raw_member (payload, "sample", sample_json);

  event = _vd_audit_event_new_take_json (action->created_by, VD_AUDIT_BULK_SAMPLE,
                                         action->queue, NULL, _vd_json_object_end (payload));

  return _vd_pg_store_append_locked (self, event, error) &&
         set_action_audit_seq (self, action->id, vd_audit_event_get_seq (event), error);
}

gboolean
_vd_pg_store_create_bulk_action (VdStore       *store,
                                 VdBulkAction  *action,
                                 GError       **error)
{
  VdPgStore *self = VD_PG_STORE (store);
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_autoptr(GDateTime) now = vd_timestamp_now ();

  if (!check_reviewer (self, action->created_by, error) ||
      !_vd_pg_store_begin (self, error))
    return FALSE;

  if (!create_locked (self, action, vd_timestamp_to_usec (now), error))
    {
      action->id = 0;
      _vd_pg_store_rollback (self);
      return FALSE;
    }

  if (!_vd_pg_store_commit (self, error))
    {
      action->id = 0;
      return FALSE;
    }

  g_clear_pointer (&action->created_at, g_date_time_unref);
  action->created_at = g_date_time_ref (now);
  action->state = VD_BULK_STATE_SAMPLING;

  return TRUE;
}

/* Reading actions back */

static gboolean
read_members (VdPgStore     *self,
              VdBulkAction  *action,
              GError       **error)
{
  g_autoptr(VdPgParams) params = _vd_pg_params_new ();
  g_autoptr(PGresult) result = NULL;

  _vd_pg_params_add_int (params, action->id);
  result = _vd_pg_store_exec (self,
                              "SELECT item_id, revision, sampled FROM bulk_items "
                              "WHERE bulk_id = $1 ORDER BY item_id",
                              params, error);
  if (result == NULL)
    {
      g_prefix_error (error, "Could not read the bulk approve: ");
      return FALSE;
    }

  for (int i = 0; i < PQntuples (result); i++)
    {
      VdBulkMember member = { 0, };

      member.item_id = _vd_pg_get_int (result, i, 0);
      member.revision = (int) _vd_pg_get_int (result, i, 1);
      member.sampled = _vd_pg_get_int (result, i, 2) != 0;
      g_array_append_val (action->members, member);
    }

  return TRUE;
}

static VdBulkAction *
read_action_locked (VdPgStore  *self,
                    gint64      id,
                    GError    **error)
{
  g_autoptr(VdPgParams) params = _vd_pg_params_new ();
  g_autoptr(PGresult) result = NULL;
  g_autoptr(VdBulkAction) action = NULL;

  _vd_pg_params_add_int (params, id);
  result = _vd_pg_store_exec (self,
                              "SELECT queue, band, seed, sample_percent, sample, "
                              "created_by, created_at, state, finished_at, outcome, "
                              "n_approved FROM bulk_actions WHERE id = $1",
                              params, error);
  if (result == NULL)
    {
      g_prefix_error (error, "Could not read the bulk approve: ");
      return NULL;
    }
  if (PQntuples (result) == 0)
    {
      g_set_error (error, VD_STORE_ERROR, VD_STORE_ERROR_NOT_FOUND,
                   "There is no bulk approve %" G_GINT64_FORMAT, id);
      return NULL;
    }

  action = vd_bulk_action_new ();
  action->id = id;
  action->queue = g_strdup (_vd_pg_get_text (result, 0, 0));
  action->band_json = g_strdup (_vd_pg_get_text (result, 0, 1));
  action->seed = (guint32) _vd_pg_get_int (result, 0, 2);
  action->sample_percent = _vd_pg_get_double (result, 0, 3);
  g_ptr_array_unref (action->sample);
  action->sample = strings_from_json (_vd_pg_get_text (result, 0, 4));
  action->created_by = g_strdup (_vd_pg_get_text (result, 0, 5));
  action->created_at = vd_timestamp_from_usec (_vd_pg_get_int (result, 0, 6));
  vd_bulk_state_from_string (_vd_pg_get_text (result, 0, 7), &action->state);
  if (!_vd_pg_is_null (result, 0, 8))
    action->finished_at = vd_timestamp_from_usec (_vd_pg_get_int (result, 0, 8));
  g_free (action->outcome);
  action->outcome = g_strdup (_vd_pg_get_text (result, 0, 9));
  action->n_approved = (guint) _vd_pg_get_int (result, 0, 10);

  if (!read_members (self, action, error))
    return NULL;

  return g_steal_pointer (&action);
}

VdBulkAction *
_vd_pg_store_get_bulk_action (VdStore  *store,
                              gint64    id,
                              GError  **error)
{
  VdPgStore *self = VD_PG_STORE (store);
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  if (!_vd_pg_store_ensure_connected (self, error))
    return NULL;

  return read_action_locked (self, id, error);
}

gboolean
_vd_pg_store_find_open_bulk_action (VdStore        *store,
                                    const char     *band_json,
                                    const char     *created_by,
                                    VdBulkAction  **action,
                                    GError        **error)
{
  VdPgStore *self = VD_PG_STORE (store);
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_autoptr(VdPgParams) params = _vd_pg_params_new ();
  g_autoptr(PGresult) result = NULL;

  *action = NULL;
  if (!_vd_pg_store_ensure_connected (self, error))
    return FALSE;

  _vd_pg_params_add_text (params, band_json);
  _vd_pg_params_add_text (params, created_by);
  result = _vd_pg_store_exec (self,
                              "SELECT id FROM bulk_actions WHERE band = $1 "
                              "AND created_by = $2 AND state = 'sampling' "
                              "ORDER BY id DESC LIMIT 1",
                              params, error);
  if (result == NULL)
    {
      g_prefix_error (error, "Could not read the bulk approvals: ");
      return FALSE;
    }
  if (PQntuples (result) == 0)
    return TRUE;

  *action = read_action_locked (self, _vd_pg_get_int (result, 0, 0), error);
  return *action != NULL;
}

/* Finishing: approving the band or cancelling */

/* The sampled members whose standing decision on their sampled revision is
 * not a reviewer's unmodified, one-by-one approval. */
static gboolean
count_failed_samples (VdPgStore  *self,
                      gint64      id,
                      guint64    *n_failed,
                      GError    **error)
{
  g_autoptr(VdPgParams) params = _vd_pg_params_new ();
  g_autoptr(PGresult) result = NULL;

  _vd_pg_params_add_int (params, id);
  result = _vd_pg_store_exec (self,
                              "SELECT count (*) FROM bulk_items b "
                              "JOIN items i ON i.id = b.item_id "
                              "WHERE b.bulk_id = $1 AND b.sampled = 1 AND NOT ("
                              "i.revision = b.revision AND i.status = 'approved' AND "
                              "EXISTS (SELECT 1 FROM decisions d WHERE d.id = "
                              "(SELECT max (d2.id) FROM decisions d2 "
                              "WHERE d2.item_id = b.item_id AND d2.retracted_seq IS NULL) "
                              "AND d.revision = b.revision AND d.decision = 'approve' "
                              "AND d.automatic = 0 AND d.bulk_id IS NULL))",
                              params, error);
  if (result == NULL)
    {
      g_prefix_error (error, "Could not check the sample: ");
      return FALSE;
    }

  *n_failed = _vd_pg_get_int (result, 0, 0);
  return TRUE;
}

/* The roster gate and the stamps of the core (vd-decision-rules.c), with
 * the queue's remembered policy. */
static gboolean
queue_policy (VdPgStore   *self,
              const char  *queue,
              VdPolicy   **policy,
              GError     **error)
{
  g_autofree char *json = NULL;
  g_autoptr(GError) local_error = NULL;

  *policy = NULL;
  if (!_vd_pg_store_get_queue_policy_locked (self, queue, &json, NULL, error))
    return FALSE;
  if (json == NULL)
    return TRUE;

  *policy = vd_policy_new_from_data (json, -1, queue, &local_error);
  if (*policy == NULL)
    {
      g_set_error (error, VD_STORE_ERROR, VD_STORE_ERROR_FAILED,
                   "The policy remembered for queue %s does not read: %s",
                   queue, local_error->message);
      return FALSE;
    }
  return TRUE;
}

static gboolean
authorize (VdPgStore   *self,
           const char  *reviewer_id,
           const char  *queue,
           GError     **error)
{
  g_autoptr(VdPolicy) policy = NULL;

  if (!queue_policy (self, queue, &policy, error))
    return FALSE;

  return vd_decision_rules_authorize (self->signer, policy, reviewer_id, FALSE, queue,
                                      BULK_TASK_LABEL, error);
}

static gboolean
approve_member (VdPgStore   *self,
                VdItem      *item,
                VdPolicy    *policy,
                gint64       bulk_id,
                const char  *reviewer_id,
                gint64       now_usec,
                GError     **error)
{
  g_autoptr(VdPgParams) insert = _vd_pg_params_new ();
  g_autoptr(VdPgParams) update = _vd_pg_params_new ();
  g_autoptr(VdAuditEvent) event = NULL;
  g_autofree char *content_sha256 = vd_sha256_hex (vd_item_get_content (item), -1);
  g_autoptr(VdDecision) stamps = vd_decision_new (vd_item_get_queue (item),
                                                  vd_item_get_task_id (item),
                                                  VD_DECISION_KIND_APPROVE, reviewer_id);
  GString *payload;

  vd_decision_rules_stamp (stamps, item, policy, self->signer);

  payload = _vd_json_object_begin ();
  _vd_json_object_add_int (payload, "bulk_id", bulk_id);
  _vd_json_object_add_string (payload, "decision",
                              vd_decision_kind_to_string (VD_DECISION_KIND_APPROVE));
  _vd_json_object_add_int (payload, "revision", vd_item_get_revision (item));
  _vd_json_object_add_string (payload, "content_sha256", content_sha256);
  _vd_json_object_add_string (payload, "final_output", vd_item_get_content (item));
  vd_decision_rules_add_stamps (payload, stamps);

  event = _vd_audit_event_new_take_json (reviewer_id, VD_AUDIT_BULK_APPROVE,
                                         vd_item_get_queue (item), vd_item_get_task_id (item),
                                         _vd_json_object_end (payload));
  if (!_vd_pg_store_append_locked (self, event, error))
    return FALSE;

  _vd_pg_params_add_int (insert, vd_item_get_id (item));
  _vd_pg_params_add_text (insert, vd_item_get_queue (item));
  _vd_pg_params_add_text (insert, vd_item_get_task_id (item));
  _vd_pg_params_add_int (insert, vd_item_get_revision (item));
  _vd_pg_params_add_text (insert, reviewer_id);
  _vd_pg_params_add_int (insert, now_usec);
  _vd_pg_params_add_text (insert, vd_item_get_content (item));
  _vd_pg_params_add_int (insert, vd_audit_event_get_seq (event));
  _vd_pg_params_add_text (insert, vd_audit_event_get_hash (event));
  _vd_pg_params_add_text (insert, vd_audit_event_get_prev_hash (event));
  _vd_pg_params_add_text (insert, vd_task_status_to_string (vd_item_get_status (item)));
  _vd_pg_params_add_int (insert, bulk_id);
  _vd_pg_params_add_text (insert, vd_decision_get_policy_sha256 (stamps));
  _vd_pg_params_add_text (insert, vd_decision_get_model (stamps));
  _vd_pg_params_add_text (insert, vd_decision_get_prompt_version (stamps));
  _vd_pg_params_add_text (insert, vd_decision_get_app_version (stamps));
  if (!_vd_pg_store_exec_command (self,
                                  "INSERT INTO decisions (item_id, queue, task_id, revision, "
                                  "decision, feedback, modified_content, reviewer_id, "
                                  "automatic, timestamp, duration_ms, final_output, "
                                  "audit_seq, audit_hash, audit_prev_hash, previous_status, "
                                  "bulk_id, policy_sha256, model, prompt_version, "
                                  "app_version) "
                                  "VALUES ($1, $2, $3, $4, 'approve', '', '', $5, 0, $6, 0, "
                                  "$7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
                                  insert, error))
    return FALSE;

  _vd_pg_params_add_int (update, vd_item_get_id (item));
  _vd_pg_params_add_int (update, vd_audit_event_get_seq (event));
  return _vd_pg_store_exec_command (self,
                                    "UPDATE items SET status = 'approved', audit_seq = $2 "
                                    "WHERE id = $1",
                                    update, error);
}

/* Approves every member outside the sample that is still waiting, at the
 * revision the sample vouches for, and that nobody else has claimed. */
static gboolean
approve_members (VdPgStore   *self,
                 VdBulkAction *action,
                 const char  *reviewer_id,
                 gint64       now_usec,
                 guint       *n_approved,
                 guint       *n_skipped,
                 GError     **error)
{
  g_autoptr(VdPgParams) params = _vd_pg_params_new ();
  g_autoptr(PGresult) result = NULL;
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(VdPolicy) policy = NULL;
  int n_columns;

  if (!queue_policy (self, action->queue, &policy, error))
    return FALSE;

  /* The rows are locked: nobody decides them meanwhile. */
  _vd_pg_params_add_int (params, action->id);
  _vd_pg_params_add_text (params, reviewer_id);
  result = _vd_pg_store_exec (self,
                              "SELECT " VD_PG_ITEM_COLUMNS ", "
                              "(SELECT b.revision FROM bulk_items b "
                              "WHERE b.bulk_id = $1 AND b.item_id = items.id), "
                              "EXISTS (SELECT 1 FROM claims c WHERE c.item_id = items.id "
                              "AND c.reviewer_id <> $2 AND c.expires_at > verdict_now_usec ()) "
                              "FROM items WHERE id IN (SELECT item_id FROM bulk_items "
                              "WHERE bulk_id = $1 AND sampled = 0) "
                              "ORDER BY id FOR UPDATE",
                              params, error);
  if (result == NULL)
    {
      g_prefix_error (error, "Could not read the band: ");
      return FALSE;
    }

  n_columns = PQnfields (result);
  for (int i = 0; i < PQntuples (result); i++)
    g_ptr_array_add (items, _vd_pg_store_item_from_row (result, i));
  if (!_vd_pg_store_load_attachments (self, items, error))
    return FALSE;

  for (guint i = 0; i < items->len; i++)
    {
      VdItem *item = g_ptr_array_index (items, i);
      VdTaskStatus status = vd_item_get_status (item);
      g_autoptr(VdDecision) approval = NULL;

      /* An item the policy gives to two reviewers is never approved in
       * bulk: it is left alone, among the skipped. */
      if ((status != VD_TASK_STATUS_PENDING && status != VD_TASK_STATUS_IN_REVIEW) ||
          vd_item_get_reviews_required (item) > 1 ||
          vd_item_get_revision (item) != _vd_pg_get_int (result, i, n_columns - 2) ||
          g_strcmp0 (_vd_pg_get_text (result, i, n_columns - 1), "t") == 0)
        {
          (*n_skipped)++;
          continue;
        }

      /* An item whose source does not accept an approval is left alone. */
      approval = vd_decision_new (vd_item_get_queue (item), vd_item_get_task_id (item),
                                  VD_DECISION_KIND_APPROVE, reviewer_id);
      if (!vd_format_check_decision (item, approval, NULL))
        {
          (*n_skipped)++;
          continue;
        }

      if (!approve_member (self, item, policy, action->id, reviewer_id, now_usec, error))
        {
          g_prefix_error (error, "%s: %s: ", vd_item_get_queue (item),
                          vd_item_get_task_id (item));
          return FALSE;
        }
      (*n_approved)++;
    }

  return TRUE;
}

static gboolean
mark_finished (VdPgStore    *self,
               gint64        id,
               VdBulkState   state,
               const char   *outcome,
               guint         n_approved,
               gint64        now_usec,
               GError      **error)
{
  g_autoptr(VdPgParams) params = _vd_pg_params_new ();

  _vd_pg_params_add_int (params, id);
  _vd_pg_params_add_text (params, vd_bulk_state_to_string (state));
  _vd_pg_params_add_int (params, now_usec);
  _vd_pg_params_add_text (params, outcome);
  _vd_pg_params_add_int (params, n_approved);
  return _vd_pg_store_exec_command (self,
                                    "UPDATE bulk_actions SET state = $2, finished_at = $3, "
                                    "outcome = $4, n_approved = $5 WHERE id = $1",
                                    params, error);
}

static gboolean
finish_locked (VdPgStore   *self,
               gint64       id,
               const char  *reviewer_id,
               gboolean     approve,
               const char  *outcome,
               guint       *n_approved,
               guint       *n_skipped,
               GError     **error)
{
  g_autoptr(VdBulkAction) action = NULL;
  g_autoptr(GDateTime) now = vd_timestamp_now ();
  gint64 now_usec = vd_timestamp_to_usec (now);

  action = read_action_locked (self, id, error);
  if (action == NULL)
    return FALSE;

  if (action->state != VD_BULK_STATE_SAMPLING)
    {
      g_set_error (error, VD_STORE_ERROR, VD_STORE_ERROR_INVALID,
                   "Bulk approve %" G_GINT64_FORMAT " is already %s: %s",
                   id, vd_bulk_state_to_string (action->state), action->outcome);
      return FALSE;
    }

  if (g_strcmp0 (action->created_by, reviewer_id) != 0)
    {
      g_set_error (error, VD_STORE_ERROR, VD_STORE_ERROR_INVALID,
                   "Bulk approve %" G_GINT64_FORMAT " was asked for by %s: only %s can "
                   "finish it",
                   id, action->created_by, action->created_by);
      return FALSE;
    }

  if (approve)
    {
      g_autofree char *summary = NULL;
      guint64 n_failed = 0;

      if (!count_failed_samples (self, id, &n_failed, error))
        return FALSE;

      if (n_failed > 0)
        {
          g_set_error (error, VD_STORE_ERROR, VD_STORE_ERROR_INVALID,
                       "Bulk approve %" G_GINT64_FORMAT ": %" G_GUINT64_FORMAT " sampled "
                       "item(s) are not approved unmodified by a reviewer: the band is not "
                       "approved",
                       id, n_failed);
          return FALSE;
        }

      /* The roster gate, once for the band: its items are never escalated. */
      if (!authorize (self, reviewer_id, action->queue, error) ||
          !approve_members (self, action, reviewer_id, now_usec, n_approved, n_skipped, error))
        return FALSE;

      summary = g_strdup_printf ("approved %u item(s) after a sample of %u; %u left alone "
                                 "(decided or revised since the sample was drawn)",
                                 *n_approved, action->sample->len, *n_skipped);

      return mark_finished (self, id, VD_BULK_STATE_APPROVED, summary, *n_approved, now_usec,
                            error);
    }
  else
    {
      g_autoptr(VdAuditEvent) event = NULL;
      GString *payload = _vd_json_object_begin ();

      _vd_json_object_add_int (payload, "bulk_id", id);
      _vd_json_object_add_string (payload, "outcome", outcome);
      event = _vd_audit_event_new_take_json (reviewer_id, VD_AUDIT_BULK_CANCEL, action->queue,
                                             NULL, _vd_json_object_end (payload));

      return _vd_pg_store_append_locked (self, event, error) &&
             mark_finished (self, id, VD_BULK_STATE_CANCELLED, outcome, 0, now_usec, error);
    }
}

gboolean
_vd_pg_store_finish_bulk_action (VdStore     *store,
                                 gint64       id,
                                 const char  *reviewer_id,
                                 gboolean     approve,
                                 const char  *outcome,
                                 guint       *n_approved,
                                 guint       *n_skipped,
                                 GError     **error)
{
  VdPgStore *self = VD_PG_STORE (store);
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  guint approved = 0;
  guint skipped = 0;

  if (!check_reviewer (self, reviewer_id, error) ||
      !_vd_pg_store_begin (self, error))
    return FALSE;

  if (!finish_locked (self, id, reviewer_id, approve, outcome, &approved, &skipped, error))
    {
      _vd_pg_store_rollback (self);
      return FALSE;
    }

  if (!_vd_pg_store_commit (self, error))
    return FALSE;

  if (n_approved != NULL)
    *n_approved = approved;
  if (n_skipped != NULL)
    *n_skipped = skipped;

  return TRUE;
}
