/* vd-pg-store-import.c: imports into a VdPgStore
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
#include "vd-json-write.h"
#include "vd-decision-rules.h"
#include "vd-pg-store-private.h"
#include "vd-timestamp.h"

/* Items between two progress reports. */
#define PROGRESS_INTERVAL 1000

typedef struct
{
  VdImportResult  counts;
  gint64          now_usec;
  const char     *queue;       /* the queue of every item so far, if one */
  gboolean        mixed_queues;
  GHashTable     *queues;      /* every queue imported into */
  GArray         *ids;         /* the row id of each item in turn, or NULL */
} ImportState;

static gboolean
append_item_event (VdPgStore     *self,
                   VdItem        *item,
                   const char    *actor,
                   const char    *event_type,
                   char          *payload,
                   VdAuditEvent **out_event,
                   GError       **error)
{
  g_autoptr(VdAuditEvent) event = NULL;

  event = _vd_audit_event_new_take_json (actor, event_type, vd_item_get_queue (item),
                                         vd_item_get_task_id (item), payload);
  if (!_vd_pg_store_append_locked (self, event, error))
    return FALSE;
  if (out_event != NULL)
    *out_event = g_steal_pointer (&event);
  return TRUE;
}

static const char *
content_type_or_null (const char *type)
{
  return type == NULL || g_str_equal (type, "text/plain") ? NULL : type;
}

char *
_vd_pg_casefold (const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text != NULL ? text : "", -1);
  g_autofree char *nfkc = g_utf8_normalize (valid, -1, G_NORMALIZE_NFKC);
  g_autofree char *folded = g_utf8_casefold (nfkc, -1);

  return g_utf8_normalize (folded, -1, G_NORMALIZE_NFKC);
}

/* What a search looks in: the searched fields, each folded, between
 * separators. */
static char *
search_text (VdItem *item)
{
  const char *fields[] = {
    vd_item_get_task_id (item),
    vd_item_get_task_description (item),
    vd_item_get_context (item),
    vd_item_get_content (item),
    vd_item_get_reasoning (item),
  };
  g_autoptr(GString) text = g_string_new (VD_PG_SEARCH_SEPARATOR);

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      g_autofree char *folded = _vd_pg_casefold (fields[i]);

      g_string_append (text, folded);
      g_string_append (text, VD_PG_SEARCH_SEPARATOR);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* The item's fields as $3 ... $24 (after the id or queue and task id). */
static void
add_item_fields (VdPgParams *params,
                 VdItem     *item,
                 gint64      now_usec,
                 gint64      audit_seq)
{
  g_autofree char *search = search_text (item);

  VdEscalationReason reason = vd_item_get_escalation_reason (item);
  g_autofree char *metadata = vd_item_dup_metadata_json (item);
  GDateTime *due_at = vd_item_get_due_at (item);

  _vd_pg_params_add_text (params, vd_item_get_task_description (item));
  _vd_pg_params_add_text (params, vd_item_get_task_type (item));
  _vd_pg_params_add_text (params, vd_item_get_context (item));
  _vd_pg_params_add_text (params, vd_item_get_content (item));
  if (vd_item_has_confidence (item))
    _vd_pg_params_add_double (params, vd_item_get_confidence (item));
  else
    _vd_pg_params_add_text (params, NULL);
  _vd_pg_params_add_text (params, vd_item_get_reasoning (item));
  _vd_pg_params_add_text (params, metadata != NULL ? metadata : "{}");
  _vd_pg_params_add_text (params, reason == VD_ESCALATION_REASON_NONE ? NULL :
                          vd_escalation_reason_to_string (reason));
  _vd_pg_params_add_text (params, vd_item_get_escalation_detail (item));
  _vd_pg_params_add_int (params, vd_timestamp_to_usec (vd_item_get_timestamp (item)));
  _vd_pg_params_add_int (params, now_usec);
  if (due_at != NULL)
    _vd_pg_params_add_int (params, vd_timestamp_to_usec (due_at));
  else
    _vd_pg_params_add_text (params, NULL);
  _vd_pg_params_add_int (params, vd_item_get_priority (item));
  _vd_pg_params_add_int (params, vd_item_get_revision (item));
  _vd_pg_params_add_text (params, vd_task_status_to_string (vd_item_get_status (item)));
  _vd_pg_params_add_text (params, vd_item_get_expected_decision (item));
  _vd_pg_params_add_int (params, audit_seq);
  _vd_pg_params_add_text (params, content_type_or_null (vd_item_get_task_content_type (item)));
  _vd_pg_params_add_text (params,
                          content_type_or_null (vd_item_get_context_content_type (item)));
  _vd_pg_params_add_text (params, content_type_or_null (vd_item_get_output_content_type (item)));
  if (vd_item_get_source (item) != NULL)
    {
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
      g_autofree char *source = NULL;

      json_node_set_object (node, vd_item_get_source (item));
      source = vd_json_node_to_string (node, FALSE);
      _vd_pg_params_add_text (params, source);
    }
  else
    {
      _vd_pg_params_add_text (params, NULL);
    }
  _vd_pg_params_add_text (params, search);
  _vd_pg_params_add_int (params, vd_item_get_reviews_required (item));
}

static gboolean
insert_item (VdPgStore  *self,
             VdItem     *item,
             gint64      now_usec,
             gint64      audit_seq,
             gint64     *id,
             GError    **error)
{
  g_autoptr(VdPgParams) params = _vd_pg_params_new ();
  g_autoptr(PGresult) result = NULL;

  _vd_pg_params_add_text (params, vd_item_get_queue (item));
  _vd_pg_params_add_text (params, vd_item_get_task_id (item));
  add_item_fields (params, item, now_usec, audit_seq);

  result = _vd_pg_store_exec (self,
                              "INSERT INTO items (queue, task_id, task_description, task_type, "
                              "context, content, confidence, reasoning, metadata, "
                              "escalation_reason, escalation_detail, created_at, imported_at, "
                              "due_at, priority, revision, status, expected_decision, "
                              "audit_seq, task_content_type, context_content_type, "
                              "output_content_type, source, search_text, reviews_required) "
                              "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, "
                              "$14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25) "
                              "RETURNING id",
                              params, error);
  if (result == NULL)
    return FALSE;
  *id = _vd_pg_get_int (result, 0, 0);
  return TRUE;
}

static gboolean
update_item (VdPgStore  *self,
             VdItem     *item,
             gint64      id,
             gint64      now_usec,
             gint64      audit_seq,
             GError    **error)
{
  g_autoptr(VdPgParams) params = _vd_pg_params_new ();

  _vd_pg_params_add_int (params, id);
  g_ptr_array_add (params, NULL);
  add_item_fields (params, item, now_usec, audit_seq);

  return _vd_pg_store_exec_command (self,
                                    "UPDATE items SET task_description = $3, task_type = $4, "
                                    "context = $5, content = $6, confidence = $7, "
                                    "reasoning = $8, metadata = $9, escalation_reason = $10, "
                                    "escalation_detail = $11, created_at = $12, "
                                    "imported_at = $13, due_at = $14, priority = $15, "
                                    "revision = $16, status = $17, expected_decision = $18, "
                                    "audit_seq = $19, task_content_type = $20, "
                                    "context_content_type = $21, output_content_type = $22, "
                                    "source = $23, search_text = $24, reviews_required = $25, "
                                    "sla_fallback = NULL, sla_configured = NULL, "
                                    "sla_rule = NULL, sla_deadline = NULL, "
                                    "sla_applied_at = NULL WHERE id = $1 AND $2::text IS NULL",
                                    params, error);
}

/* The output being replaced becomes a revision, with the feedback of the
 * last decision on it. */
static gboolean
keep_old_revision (VdPgStore  *self,
                   gint64      id,
                   GError    **error)
{
  g_autoptr(VdPgParams) params = _vd_pg_params_new ();

  _vd_pg_params_add_int (params, id);
  return _vd_pg_store_exec_command (self,
                                    "INSERT INTO revisions (item_id, revision, content, "
                                    "confidence, reasoning, metadata, feedback, created_at) "
                                    "SELECT id, revision, content, confidence, reasoning, "
                                    "metadata, COALESCE ((SELECT feedback FROM decisions "
                                    "WHERE decisions.item_id = items.id "
                                    "AND decisions.revision = items.revision "
                                    "AND decisions.retracted_seq IS NULL "
                                    "ORDER BY decisions.id DESC LIMIT 1), ''), created_at "
                                    "FROM items WHERE id = $1",
                                    params, error);
}

static gboolean
insert_auto_decision (VdPgStore     *self,
                      VdItem        *item,
                      gint64         item_id,
                      gint64         now_usec,
                      VdAuditEvent  *event,
                      GError       **error)
{
  g_autoptr(VdPgParams) params = _vd_pg_params_new ();

  _vd_pg_params_add_int (params, item_id);
  _vd_pg_params_add_text (params, vd_item_get_queue (item));
  _vd_pg_params_add_text (params, vd_item_get_task_id (item));
  _vd_pg_params_add_int (params, vd_item_get_revision (item));
  _vd_pg_params_add_text (params, VD_AUDIT_ACTOR_POLICY);
  _vd_pg_params_add_int (params, now_usec);
  _vd_pg_params_add_text (params, vd_item_get_content (item));
  _vd_pg_params_add_int (params, vd_audit_event_get_seq (event));
  _vd_pg_params_add_text (params, vd_audit_event_get_hash (event));
  _vd_pg_params_add_text (params, vd_audit_event_get_prev_hash (event));

  return _vd_pg_store_exec_command (self,
                                    "INSERT INTO decisions (item_id, queue, task_id, revision, "
                                    "decision, feedback, modified_content, reviewer_id, "
                                    "automatic, timestamp, duration_ms, final_output, "
                                    "audit_seq, audit_hash, audit_prev_hash) "
                                    "VALUES ($1, $2, $3, $4, 'approve', '', '', $5, 1, $6, 0, "
                                    "$7, $8, $9, $10)",
                                    params, error);
}

static gboolean
find_existing (VdPgStore  *self,
               VdItem     *item,
               gint64     *id,
               int        *revision,
               GError    **error)
{
  g_autoptr(VdPgParams) params = _vd_pg_params_new ();
  g_autoptr(PGresult) result = NULL;

  _vd_pg_params_add_text (params, vd_item_get_queue (item));
  _vd_pg_params_add_text (params, vd_item_get_task_id (item));
  result = _vd_pg_store_exec (self,
                              "SELECT id, revision FROM items WHERE queue = $1 AND task_id = $2",
                              params, error);
  if (result == NULL)
    return FALSE;

  *id = 0;
  if (PQntuples (result) == 1)
    {
      *id = _vd_pg_get_int (result, 0, 0);
      *revision = _vd_pg_get_int (result, 0, 1);
    }
  return TRUE;
}

static gboolean
is_automatic (VdItem *item)
{
  return vd_item_get_escalation_reason (item) == VD_ESCALATION_REASON_NONE &&
         vd_item_get_status (item) == VD_TASK_STATUS_APPROVED;
}

/* Writes one item, with its events, as the SQLite store does (every new
 * item queued for a human gets its own enqueue event). */
static gboolean
import_one (VdPgStore    *self,
            VdItem       *item,
            ImportState  *state,
            GError      **error)
{
  g_autoptr(GError) invalid = NULL;
  g_autoptr(VdAuditEvent) approval = NULL;
  g_autofree char *content_sha256 = NULL;
  gint64 existing_id = 0;
  int existing_revision = 0;
  gint64 item_id = 0;
  gboolean automatic;

  if (!vd_item_validate (item, &invalid))
    {
      g_set_error_literal (error, VD_STORE_ERROR, VD_STORE_ERROR_INVALID, invalid->message);
      return FALSE;
    }

  /* The queue names live in state->queues: a streamed batch is freed
   * before the import event is written. */
  if (!g_hash_table_contains (state->queues, vd_item_get_queue (item)))
    g_hash_table_add (state->queues, g_strdup (vd_item_get_queue (item)));
  if (state->queue == NULL)
    g_hash_table_lookup_extended (state->queues, vd_item_get_queue (item),
                                  (gpointer *) &state->queue, NULL);
  else if (g_strcmp0 (state->queue, vd_item_get_queue (item)) != 0)
    state->mixed_queues = TRUE;

  if (!find_existing (self, item, &existing_id, &existing_revision, error))
    return FALSE;
  if (existing_id != 0 && existing_revision >= vd_item_get_revision (item))
    {
      state->counts.skipped++;
      if (state->ids != NULL)
        g_array_append_val (state->ids, existing_id);
      return TRUE;
    }

  content_sha256 = vd_sha256_hex (vd_item_get_content (item), -1);
  automatic = is_automatic (item);

  if (existing_id != 0 &&
      (!keep_old_revision (self, existing_id, error) ||
       !append_item_event (self, item, VD_AUDIT_ACTOR_SYSTEM, VD_AUDIT_REVISION,
                           vd_decision_rules_item_payload (item, content_sha256, TRUE, existing_revision),
                           NULL, error)))
    return FALSE;

  if (automatic)
    {
      if (!append_item_event (self, item, VD_AUDIT_ACTOR_POLICY, VD_AUDIT_AUTO_APPROVE,
                              vd_decision_rules_item_payload (item, content_sha256, FALSE, -1), &approval, error))
        return FALSE;
    }
  else if (existing_id == 0)
    {
      if (!append_item_event (self, item, VD_AUDIT_ACTOR_SYSTEM, VD_AUDIT_ENQUEUE,
                              vd_decision_rules_item_payload (item, content_sha256, TRUE, -1), NULL, error))
        return FALSE;
    }

  if (existing_id != 0)
    {
      item_id = existing_id;
      if (!update_item (self, item, existing_id, state->now_usec, self->tx_head_seq, error))
        return FALSE;
      state->counts.revised++;
    }
  else
    {
      if (!insert_item (self, item, state->now_usec, self->tx_head_seq, &item_id, error))
        return FALSE;
      state->counts.imported++;
    }

  if (state->ids != NULL)
    g_array_append_val (state->ids, item_id);

  if (!_vd_pg_store_save_attachments (self, item_id, item, error))
    return FALSE;

  if (automatic)
    {
      if (!insert_auto_decision (self, item, item_id, state->now_usec, approval, error))
        return FALSE;
      state->counts.auto_approved++;
    }
  else
    {
      state->counts.queued++;
    }

  return TRUE;
}

static gboolean
import_batch (VdPgStore    *self,
              GPtrArray    *items,
              ImportState  *state,
              guint         n_before,
              guint         n_total,
              VdProgressFunc progress,
              gpointer      progress_data,
              GCancellable *cancellable,
              GError      **error)
{
  for (guint i = 0; i < items->len; i++)
    {
      VdItem *item = g_ptr_array_index (items, i);

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      if (!import_one (self, item, state, error))
        {
          g_prefix_error (error, "%s: %s: ", vd_item_get_queue (item), vd_item_get_task_id (item));
          return FALSE;
        }
      if (progress != NULL && (n_before + i + 1) % PROGRESS_INTERVAL == 0 &&
          n_before + i + 1 < n_total)
        progress (n_before + i + 1, n_total, progress_data);
    }
  return TRUE;
}

static gboolean
finish_import (VdPgStore    *self,
               const char   *source,
               guint         n_items,
               const char   *policy_json,
               const char   *policy_source,
               ImportState  *state,
               GError      **error)
{
  g_autoptr(VdAuditEvent) event = NULL;
  GString *payload;

  if (policy_json != NULL)
    {
      GHashTableIter iter;
      gpointer queue;

      g_hash_table_iter_init (&iter, state->queues);
      while (g_hash_table_iter_next (&iter, &queue, NULL))
        if (!_vd_pg_store_set_queue_policy_locked (self, queue, policy_json, policy_source,
                                                   state->now_usec, error))
          return FALSE;
    }

  payload = _vd_json_object_begin ();
  _vd_json_object_add_string (payload, "source", source);
  _vd_json_object_add_int (payload, "items", n_items);
  _vd_json_object_add_int (payload, "imported", state->counts.imported);
  _vd_json_object_add_int (payload, "revised", state->counts.revised);
  _vd_json_object_add_int (payload, "skipped", state->counts.skipped);
  _vd_json_object_add_int (payload, "queued", state->counts.queued);
  _vd_json_object_add_int (payload, "auto_approved", state->counts.auto_approved);
  if (state->counts.signed_by != NULL)
    _vd_json_object_add_string (payload, "signed_by", state->counts.signed_by);

  event = _vd_audit_event_new_take_json (VD_AUDIT_ACTOR_SYSTEM, VD_AUDIT_IMPORT,
                                         state->mixed_queues ? NULL : state->queue, NULL,
                                         _vd_json_object_end (payload));
  return _vd_pg_store_append_locked (self, event, error);
}

static void
add_counts (VdImportResult *result,
            ImportState    *state)
{
  result->imported += state->counts.imported;
  result->revised += state->counts.revised;
  result->skipped += state->counts.skipped;
  result->queued += state->counts.queued;
  result->auto_approved += state->counts.auto_approved;
}

gboolean
_vd_pg_store_import_items (VdStore         *store,
                           const char      *source,
                           GPtrArray       *items,
                           const char      *policy_json,
                           const char      *policy_source,
                           VdImportResult  *result,
                           VdProgressFunc   progress,
                           gpointer         progress_data,
                           GCancellable    *cancellable,
                           GError         **error)
{
  VdPgStore *self = VD_PG_STORE (store);
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_autoptr(GHashTable) queues = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GArray) ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), items->len);
  ImportState state = { { 0 }, };

  state.now_usec = g_get_real_time ();
  state.queues = queues;
  state.ids = ids;
  state.counts.signed_by = result->signed_by;

  if (!_vd_pg_store_begin (self, error))
    return FALSE;
  if (!import_batch (self, items, &state, 0, items->len, progress, progress_data, cancellable,
                     error) ||
      g_cancellable_set_error_if_cancelled (cancellable, error) ||
      !finish_import (self, source, items->len, policy_json, policy_source, &state, error))
    {
      _vd_pg_store_rollback (self);
      return FALSE;
    }
  if (!_vd_pg_store_commit (self, error))
    return FALSE;

  for (guint i = 0; i < items->len && i < ids->len; i++)
    vd_item_set_id (g_ptr_array_index (items, i), g_array_index (ids, gint64, i));

  add_counts (result, &state);
  return TRUE;
}

static gboolean
stream_get_queue_policy (VdImportStream  *stream,
                         const char      *queue,
                         char           **policy_json,
                         char           **policy_source,
                         GError         **error)
{
  return _vd_pg_store_get_queue_policy_locked (stream->backend_data, queue, policy_json,
                                               policy_source, error);
}

gboolean
_vd_pg_store_import_stream (VdStore          *store,
                            const char       *source,
                            VdImportNextFunc  next,
                            gpointer          next_data,
                            const char       *policy_json,
                            const char       *policy_source,
                            VdImportResult   *result,
                            GCancellable     *cancellable,
                            GError          **error)
{
  VdPgStore *self = VD_PG_STORE (store);
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_autoptr(GHashTable) queues = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  VdImportStream stream = { store, stream_get_queue_policy, self };
  ImportState state = { { 0 }, };
  guint n_items = 0;

  state.now_usec = g_get_real_time ();
  state.queues = queues;

  if (!_vd_pg_store_begin (self, error))
    return FALSE;

  for (;;)
    {
      g_autoptr(GPtrArray) batch = NULL;
      GError *local_error = NULL;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        goto failed;

      batch = next (&stream, next_data, &local_error);
      if (batch == NULL)
        {
          if (local_error != NULL)
            {
              g_propagate_error (error, local_error);
              goto failed;
            }
          break;
        }
      if (!import_batch (self, batch, &state, n_items, 0, NULL, NULL, cancellable, error))
        goto failed;
      n_items += batch->len;
    }

  /* Known once the file was read to its end. */
  state.counts.signed_by = result->signed_by;
  if (!finish_import (self, source, n_items, policy_json, policy_source, &state, error))
    goto failed;
  if (!_vd_pg_store_commit (self, error))
    return FALSE;

  add_counts (result, &state);
  return TRUE;

failed:
  _vd_pg_store_rollback (self);
  return FALSE;
}
