/* vd-sqlite-store-import.c: importing items into a VdSqliteStore
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
#include "vd-json-write.h"
#include "vd-sqlite-store-private.h"
#include "vd-timestamp.h"

/* The page cache of a streamed import, in KiB as a negative cache_size. */
#define IMPORT_CACHE_KIB  -65536

/* Items between two progress reports. */
#define PROGRESS_INTERVAL 1000

typedef struct
{
  VdImportResult  counts;
  gint64          now_usec;
  const char     *queue;       /* the queue of every item so far, if one */
  gboolean        mixed_queues;
  GArray         *ids;         /* row id per item, set once committed */
  GPtrArray      *created;     /* attachment files written, deleted on rollback */
} ImportState;

static gboolean
append_item_event (VdSqliteStore  *self,
                   VdItem         *item,
                   const char     *actor,
                   const char     *event_type,
                   char           *payload,
                   VdAuditEvent  **out_event,
                   GError        **error)
{
  g_autoptr(VdAuditEvent) event = NULL;

  event = _vd_audit_event_new_take_json (actor, event_type, vd_item_get_queue (item),
                                         vd_item_get_task_id (item), payload);
  if (!_vd_sqlite_store_append_locked (self, event, error))
    return FALSE;

  if (out_event != NULL)
    *out_event = g_steal_pointer (&event);

  return TRUE;
}

/* Binds the fields an insert and an update share, as ?3 ... ?22. */
static void
bind_item_fields (sqlite3_stmt *stmt,
                  VdItem       *item,
                  gint64        now_usec,
                  gint64        audit_seq)
{
  VdEscalationReason reason = vd_item_get_escalation_reason (item);
  g_autofree char *metadata = vd_item_dup_metadata_json (item);
  GDateTime *due_at = vd_item_get_due_at (item);

  _vd_sqlite_bind_text (stmt, 3, vd_item_get_task_description (item));
  _vd_sqlite_bind_text (stmt, 4, vd_item_get_task_type (item));
  _vd_sqlite_bind_text (stmt, 5, vd_item_get_context (item));
  _vd_sqlite_bind_text (stmt, 6, vd_item_get_content (item));
  /* NULL: the source gave no confidence. */
  if (vd_item_has_confidence (item))
    sqlite3_bind_double (stmt, 7, vd_item_get_confidence (item));
  else
    sqlite3_bind_null (stmt, 7);
  _vd_sqlite_bind_text (stmt, 8, vd_item_get_reasoning (item));
  _vd_sqlite_bind_text (stmt, 9, metadata != NULL ? metadata : "{}");
  _vd_sqlite_bind_text_or_null (stmt, 10, reason == VD_ESCALATION_REASON_NONE ? NULL :
                                vd_escalation_reason_to_string (reason));
  _vd_sqlite_bind_text (stmt, 11, vd_item_get_escalation_detail (item));
  sqlite3_bind_int64 (stmt, 12, vd_timestamp_to_usec (vd_item_get_timestamp (item)));
  sqlite3_bind_int64 (stmt, 13, now_usec);
  if (due_at != NULL)
    sqlite3_bind_int64 (stmt, 14, vd_timestamp_to_usec (due_at));
  else
    sqlite3_bind_null (stmt, 14);
  sqlite3_bind_int (stmt, 15, vd_item_get_priority (item));
  sqlite3_bind_int (stmt, 16, vd_item_get_revision (item));
  _vd_sqlite_bind_text (stmt, 17, vd_task_status_to_string (vd_item_get_status (item)));
  _vd_sqlite_bind_text_or_null (stmt, 18, vd_item_get_expected_decision (item));
  sqlite3_bind_int64 (stmt, 19, audit_seq);
  /* text/plain is NULL, as in rows from before content types. */
  _vd_sqlite_bind_text_or_null (stmt, 20, g_str_equal (vd_item_get_task_content_type (item),
                                                       "text/plain") ?
                                NULL : vd_item_get_task_content_type (item));
  _vd_sqlite_bind_text_or_null (stmt, 21, g_str_equal (vd_item_get_context_content_type (item),
                                                       "text/plain") ?
                                NULL : vd_item_get_context_content_type (item));
  _vd_sqlite_bind_text_or_null (stmt, 22, g_str_equal (vd_item_get_output_content_type (item),
                                                       "text/plain") ?
                                NULL : vd_item_get_output_content_type (item));
  if (vd_item_get_source (item) != NULL)
    {
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
      g_autofree char *source = NULL;

      json_node_set_object (node, vd_item_get_source (item));
      source = vd_json_node_to_string (node, FALSE);
      _vd_sqlite_bind_text (stmt, 23, source);
    }
  else
    sqlite3_bind_null (stmt, 23);
  sqlite3_bind_int (stmt, 24, vd_item_get_reviews_required (item));
}

static gboolean
insert_item (VdSqliteStore  *self,
             VdItem         *item,
             gint64          now_usec,
             gint64          audit_seq,
             gint64         *id,
             GError        **error)
{
  g_autoptr(VdSqliteCursor) stmt = NULL;

  stmt = _vd_sqlite_store_prepare (self,
                                   "INSERT INTO items (queue, task_id, task_description, "
                                   "task_type, context, content, confidence, reasoning, "
                                   "metadata, escalation_reason, escalation_detail, created_at, "
                                   "imported_at, due_at, priority, revision, status, "
                                   "expected_decision, audit_seq, task_content_type, "
                                   "context_content_type, output_content_type, source, "
                                   "reviews_required) "
                                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, "
                                   "?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24)",
                                   error);
  if (stmt == NULL)
    return FALSE;

  _vd_sqlite_bind_text (stmt, 1, vd_item_get_queue (item));
  _vd_sqlite_bind_text (stmt, 2, vd_item_get_task_id (item));
  bind_item_fields (stmt, item, now_usec, audit_seq);

  if (!_vd_sqlite_store_step_done (self, stmt, error))
    return FALSE;

  *id = sqlite3_last_insert_rowid (self->db);
  return TRUE;
}

static gboolean
update_item (VdSqliteStore  *self,
             VdItem         *item,
             gint64          id,
             gint64          now_usec,
             gint64          audit_seq,
             GError        **error)
{
  g_autoptr(VdSqliteCursor) stmt = NULL;

  stmt = _vd_sqlite_store_prepare (self,
                                   "UPDATE items SET task_description = ?3, task_type = ?4, "
                                   "context = ?5, content = ?6, confidence = ?7, "
                                   "reasoning = ?8, metadata = ?9, escalation_reason = ?10, "
                                   "escalation_detail = ?11, created_at = ?12, "
                                   "imported_at = ?13, due_at = ?14, priority = ?15, "
                                   "revision = ?16, status = ?17, expected_decision = ?18, "
                                   "audit_seq = ?19, task_content_type = ?20, "
                                   "context_content_type = ?21, output_content_type = ?22, "
                                   "source = ?23, reviews_required = ?24, "
                                   "sla_fallback = NULL, "
                                   "sla_configured = NULL, sla_rule = NULL, "
                                   "sla_deadline = NULL, sla_applied_at = NULL "
                                   "WHERE id = ?1",
                                   error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, id);
  bind_item_fields (stmt, item, now_usec, audit_seq);

  return _vd_sqlite_store_step_done (self, stmt, error);
}

/* The output being replaced becomes a revision, with the feedback of the
 * last decision on it: the feedback that asked for the new output. */
static gboolean
keep_old_revision (VdSqliteStore  *self,
                   gint64          id,
                   GError        **error)
{
  g_autoptr(VdSqliteCursor) stmt = NULL;

  stmt = _vd_sqlite_store_prepare (self,
                                   "INSERT INTO revisions (item_id, revision, content, "
                                   "confidence, reasoning, metadata, feedback, created_at) "
                                   "SELECT id, revision, content, confidence, reasoning, "
                                   "metadata, COALESCE ((SELECT feedback FROM decisions "
                                   "WHERE decisions.item_id = items.id "
                                   "AND decisions.revision = items.revision "
                                   "AND decisions.retracted_seq IS NULL "
                                   "ORDER BY decisions.id DESC LIMIT 1), ''), created_at "
                                   "FROM items WHERE id = ?1",
                                   error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, id);

  return _vd_sqlite_store_step_done (self, stmt, error);
}

static gboolean
insert_auto_decision (VdSqliteStore  *self,
                      VdItem         *item,
                      gint64          item_id,
                      gint64          now_usec,
                      VdAuditEvent   *event,
                      GError        **error)
{
  g_autoptr(VdSqliteCursor) stmt = NULL;

  stmt = _vd_sqlite_store_prepare (self,
                                   "INSERT INTO decisions (item_id, queue, task_id, revision, "
                                   "decision, feedback, modified_content, reviewer_id, "
                                   "automatic, timestamp, duration_ms, final_output, audit_seq, "
                                   "audit_hash, audit_prev_hash) "
                                   "VALUES (?1, ?2, ?3, ?4, 'approve', '', '', ?5, 1, ?6, 0, ?7, "
                                   "?8, ?9, ?10)",
                                   error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, item_id);
  _vd_sqlite_bind_text (stmt, 2, vd_item_get_queue (item));
  _vd_sqlite_bind_text (stmt, 3, vd_item_get_task_id (item));
  sqlite3_bind_int (stmt, 4, vd_item_get_revision (item));
  _vd_sqlite_bind_text (stmt, 5, VD_AUDIT_ACTOR_POLICY);
  sqlite3_bind_int64 (stmt, 6, now_usec);
  _vd_sqlite_bind_text (stmt, 7, vd_item_get_content (item));
  sqlite3_bind_int64 (stmt, 8, vd_audit_event_get_seq (event));
  _vd_sqlite_bind_text (stmt, 9, vd_audit_event_get_hash (event));
  _vd_sqlite_bind_text (stmt, 10, vd_audit_event_get_prev_hash (event));

  return _vd_sqlite_store_step_done (self, stmt, error);
}

static gboolean
find_existing (VdSqliteStore  *self,
               VdItem         *item,
               gint64         *id,
               int            *revision,
               GError        **error)
{
  g_autoptr(VdSqliteCursor) stmt = NULL;
  int rc;

  stmt = _vd_sqlite_store_prepare (self,
                                   "SELECT id, revision FROM items "
                                   "WHERE queue = ?1 AND task_id = ?2",
                                   error);
  if (stmt == NULL)
    return FALSE;

  _vd_sqlite_bind_text (stmt, 1, vd_item_get_queue (item));
  _vd_sqlite_bind_text (stmt, 2, vd_item_get_task_id (item));

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *id = sqlite3_column_int64 (stmt, 0);
      *revision = sqlite3_column_int (stmt, 1);
    }
  else if (rc == SQLITE_DONE)
    {
      *id = 0;
    }
  else
    {
      _vd_sqlite_store_set_error (self, error, "Could not read the items");
      return FALSE;
    }

  return TRUE;
}

/* What importing an item will do, decided before anything is written. */
typedef struct
{
  gint64  existing_id;       /* 0 for a new item */
  int     existing_revision;
  char   *content_sha256;    /* NULL for an item skipped */
} ItemPlan;

static void
item_plan_clear (ItemPlan *plan)
{
  g_clear_pointer (&plan->content_sha256, g_free);
}

static gboolean
is_automatic (VdItem *item)
{
  return vd_item_get_escalation_reason (item) == VD_ESCALATION_REASON_NONE &&
         vd_item_get_status (item) == VD_TASK_STATUS_APPROVED;
}

static gboolean
plan_item (VdSqliteStore  *self,
           VdItem         *item,
           ItemPlan       *plan,
           GError        **error)
{
  g_autoptr(GError) invalid = NULL;

  /* The last gate: an item from a model's answer or a form has passed no
   * queue reader. */
  if (!vd_item_validate (item, &invalid))
    {
      g_set_error_literal (error, VD_STORE_ERROR, VD_STORE_ERROR_INVALID, invalid->message);
      return FALSE;
    }

  if (!find_existing (self, item, &plan->existing_id, &plan->existing_revision, error))
    return FALSE;

  if (plan->existing_id == 0 || plan->existing_revision < vd_item_get_revision (item))
    plan->content_sha256 = vd_sha256_hex (vd_item_get_content (item), -1);

  return TRUE;
}

/* Writes one planned item. A new item queued for a human gets its own
 * enqueue event unless @enqueue_seq names the batch event that lists it. */
static gboolean
import_one (VdSqliteStore  *self,
            VdItem         *item,
            ImportState    *state,
            ItemPlan       *plan,
            gint64          enqueue_seq,
            gint64         *item_id,
            GError        **error)
{
  g_autoptr(VdAuditEvent) approval = NULL;
  const char *content_sha256 = plan->content_sha256;
  gint64 existing_id = plan->existing_id;
  gint64 audit_seq;
  gboolean automatic;

  if (content_sha256 == NULL)
    {
      state->counts.skipped++;
      *item_id = existing_id;
      return TRUE;
    }

  automatic = is_automatic (item);

  if (existing_id != 0)
    {
      if (!keep_old_revision (self, existing_id, error) ||
          !append_item_event (self, item, VD_AUDIT_ACTOR_SYSTEM, VD_AUDIT_REVISION,
                              vd_decision_rules_item_payload (item, content_sha256, TRUE,
                                            plan->existing_revision),
                              NULL, error))
        return FALSE;
    }

  if (automatic)
    {
      if (!append_item_event (self, item, VD_AUDIT_ACTOR_POLICY, VD_AUDIT_AUTO_APPROVE,
                              vd_decision_rules_item_payload (item, content_sha256, FALSE, -1),
                              &approval, error))
        return FALSE;
    }
  else if (existing_id == 0 && enqueue_seq == 0)
    {
      if (!append_item_event (self, item, VD_AUDIT_ACTOR_SYSTEM, VD_AUDIT_ENQUEUE,
                              vd_decision_rules_item_payload (item, content_sha256, TRUE, -1),
                              NULL, error))
        return FALSE;
    }

  /* The item row points at the last event written about it: just above,
   * or the batch's enqueue event. */
  audit_seq = !automatic && existing_id == 0 && enqueue_seq != 0 ? enqueue_seq
                                                                  : self->tx_head_seq;
  if (existing_id != 0)
    {
      *item_id = existing_id;
      if (!update_item (self, item, existing_id, state->now_usec, audit_seq, error))
        return FALSE;
      state->counts.revised++;
    }
  else
    {
      if (!insert_item (self, item, state->now_usec, audit_seq, item_id, error))
        return FALSE;
      state->counts.imported++;
    }

  if (!_vd_sqlite_store_save_attachments (self, *item_id, item, state->created, error))
    return FALSE;

  if (automatic)
    {
      if (!insert_auto_decision (self, item, *item_id, state->now_usec, approval, error))
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
append_import_event (VdSqliteStore  *self,
                     const char     *source,
                     guint           n_items,
                     ImportState    *state,
                     GError        **error)
{
  g_autoptr(VdAuditEvent) event = NULL;
  GString *payload = _vd_json_object_begin ();

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

  return _vd_sqlite_store_append_locked (self, event, error);
}

static gboolean
import_locked (VdSqliteStore  *self,
               const char     *source,
               GPtrArray      *items,
               ImportState    *state,
               VdProgressFunc  progress,
               gpointer        progress_data,
               GCancellable   *cancellable,
               GError        **error)
{
  for (guint i = 0; i < items->len; i++)
    {
      VdItem *item = g_ptr_array_index (items, i);
      gint64 id = 0;

      g_assert (VD_IS_ITEM (item));

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;

      if (state->queue == NULL)
        state->queue = vd_item_get_queue (item);
      else if (g_strcmp0 (state->queue, vd_item_get_queue (item)) != 0)
        state->mixed_queues = TRUE;

      ItemPlan plan = { 0, };
      gboolean ok;

      ok = plan_item (self, item, &plan, error) &&
           import_one (self, item, state, &plan, 0, &id, error);
      item_plan_clear (&plan);
      if (!ok)
        {
          g_prefix_error (error, "%s: %s: ", vd_item_get_queue (item), vd_item_get_task_id (item));
          return FALSE;
        }

      g_array_append_val (state->ids, id);

      if (progress != NULL && (i + 1) % PROGRESS_INTERVAL == 0 && i + 1 < items->len)
        progress (i + 1, items->len, progress_data);
    }

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  return append_import_event (self, source, items->len, state, error);
}

/* Every queue of @items now has @policy_json as its chosen policy. */
static gboolean
remember_queue_policies (VdSqliteStore  *self,
                         GPtrArray      *items,
                         const char     *policy_json,
                         const char     *policy_source,
                         gint64          now_usec,
                         GError        **error)
{
  g_autoptr(GHashTable) done = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < items->len; i++)
    {
      const char *queue = vd_item_get_queue (g_ptr_array_index (items, i));

      if (!g_hash_table_add (done, (gpointer) queue))
        continue;

      if (!_vd_sqlite_store_set_queue_policy_locked (self, queue, policy_json, policy_source,
                                                     now_usec, error))
        return FALSE;
    }

  return TRUE;
}

gboolean
_vd_sqlite_store_import_items (VdStore         *store,
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
  VdSqliteStore *self = VD_SQLITE_STORE (store);
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_autoptr(GArray) ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), items->len);
  g_autoptr(GDateTime) now = vd_timestamp_now ();
  g_autoptr(GPtrArray) created = g_ptr_array_new_with_free_func (g_free);
  ImportState state = { { 0 }, };

  state.now_usec = vd_timestamp_to_usec (now);
  state.counts.signed_by = result->signed_by;
  state.ids = ids;
  state.created = created;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  if (!_vd_sqlite_store_begin (self, error))
    return FALSE;

  if (!import_locked (self, source, items, &state, progress, progress_data, cancellable, error) ||
      (policy_json != NULL &&
       !remember_queue_policies (self, items, policy_json, policy_source, state.now_usec,
                                 error)))
    {
      _vd_sqlite_store_rollback (self);
      _vd_sqlite_store_delete_created (created);
      return FALSE;
    }

  if (!_vd_sqlite_store_commit (self, error))
    {
      _vd_sqlite_store_delete_created (created);
      return FALSE;
    }

  for (guint i = 0; i < items->len; i++)
    vd_item_set_id (g_ptr_array_index (items, i), g_array_index (ids, gint64, i));

  result->imported += state.counts.imported;
  result->revised += state.counts.revised;
  result->skipped += state.counts.skipped;
  result->queued += state.counts.queued;
  result->auto_approved += state.counts.auto_approved;

  if (progress != NULL)
    progress (items->len, items->len, progress_data);

  return TRUE;
}

/* Streamed import */

/* Items listed in one enqueue_batch event's payload, each as an object with
 * what an enqueue event holds, plus its queue when the event has none. */
static char *
batch_payload (GPtrArray  *items,
               ItemPlan   *plans,
               const char *queue,
               guint      *n_listed)
{
  GString *payload = _vd_json_object_begin ();
  GString *list = g_string_new ("[");

  *n_listed = 0;
  for (guint i = 0; i < items->len; i++)
    {
      VdItem *item = g_ptr_array_index (items, i);
      const char *reason;
      GString *entry;
      g_autofree char *text = NULL;

      if (plans[i].content_sha256 == NULL || plans[i].existing_id != 0 || is_automatic (item))
        continue;

      reason = vd_escalation_reason_to_string (vd_item_get_escalation_reason (item));
      entry = _vd_json_object_begin ();
      if (queue == NULL)
        _vd_json_object_add_string (entry, "queue", vd_item_get_queue (item));
      _vd_json_object_add_string (entry, "task_id", vd_item_get_task_id (item));
      _vd_json_object_add_int (entry, "revision", vd_item_get_revision (item));
      _vd_json_object_add_double (entry, "confidence", vd_item_get_confidence (item));
      _vd_json_object_add_string (entry, "reason", reason);
      _vd_json_object_add_string (entry, "detail", vd_item_get_escalation_detail (item));
      _vd_json_object_add_string (entry, "content_sha256", plans[i].content_sha256);
      text = _vd_json_object_end (entry);

      if (*n_listed > 0)
        g_string_append_c (list, ',');
      g_string_append (list, text);
      (*n_listed)++;
    }
  g_string_append_c (list, ']');

  _vd_json_object_add_int (payload, "count", *n_listed);
  _vd_json_object_add_raw (payload, "items", list->str);
  g_string_free (list, TRUE);

  return _vd_json_object_end (payload);
}

/* One batch of a streamed import: every item is looked up first, so that
 * the new items queued for a human share one event written before them. */
static gboolean
import_batch (VdSqliteStore  *self,
              GPtrArray      *items,
              ImportState    *state,
              GHashTable     *queues,
              GError        **error)
{
  g_autofree ItemPlan *plans = g_new0 (ItemPlan, items->len);
  const char *queue = NULL;
  gboolean mixed = FALSE;
  gint64 enqueue_seq = 0;
  gboolean ok = TRUE;
  guint failed = 0;

  for (guint i = 0; ok && i < items->len; i++)
    {
      VdItem *item = g_ptr_array_index (items, i);
      const char *item_queue;

      g_assert (VD_IS_ITEM (item));

      item_queue = vd_item_get_queue (item);
      if (queue == NULL)
        queue = item_queue;
      else if (!mixed && strcmp (queue, item_queue) != 0)
        mixed = TRUE;

      if (!g_hash_table_contains (queues, item_queue))
        g_hash_table_add (queues, g_strdup (item_queue));

      if (state->queue == NULL)
        state->queue = g_hash_table_lookup (queues, item_queue);
      else if (strcmp (state->queue, item_queue) != 0)
        state->mixed_queues = TRUE;

      ok = plan_item (self, item, &plans[i], error);
      failed = i;
    }

  if (ok)
    {
      guint n_listed = 0;
      g_autofree char *payload = batch_payload (items, plans, mixed ? NULL : queue, &n_listed);

      if (n_listed > 0)
        {
          g_autoptr(VdAuditEvent) event = NULL;

          event = _vd_audit_event_new_take_json (VD_AUDIT_ACTOR_SYSTEM, VD_AUDIT_ENQUEUE_BATCH,
                                                 mixed ? NULL : queue, NULL,
                                                 g_steal_pointer (&payload));
          ok = _vd_sqlite_store_append_locked (self, event, error);
          enqueue_seq = self->tx_head_seq;
        }
    }

  for (guint i = 0; ok && i < items->len; i++)
    {
      gint64 id = 0;

      ok = import_one (self, g_ptr_array_index (items, i), state, &plans[i], enqueue_seq, &id,
                       error);
      failed = i;
    }

  if (!ok)
    {
      VdItem *item = g_ptr_array_index (items, failed);

      g_prefix_error (error, "%s: %s: ", vd_item_get_queue (item), vd_item_get_task_id (item));
    }

  for (guint i = 0; i < items->len; i++)
    item_plan_clear (&plans[i]);

  return ok;
}

static gboolean
stream_get_queue_policy (VdImportStream  *stream,
                         const char      *queue,
                         char           **policy_json,
                         char           **policy_source,
                         GError         **error)
{
  VdSqliteStore *self = stream->backend_data;
  g_autoptr(VdSqliteCursor) stmt = NULL;
  int rc;

  stmt = _vd_sqlite_store_prepare (self,
                                   "SELECT policy, source FROM queue_policies WHERE queue = ?1",
                                   error);
  if (stmt == NULL)
    return FALSE;

  _vd_sqlite_bind_text (stmt, 1, queue);

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      _vd_sqlite_store_set_error (self, error, "Could not read the policy of the queue");
      return FALSE;
    }

  *policy_json = rc == SQLITE_ROW ? g_strdup (_vd_sqlite_column_text (stmt, 0)) : NULL;
  if (policy_source != NULL)
    *policy_source = rc == SQLITE_ROW ? g_strdup (_vd_sqlite_column_text (stmt, 1)) : NULL;

  return TRUE;
}

static gboolean
import_stream_locked (VdSqliteStore     *self,
                      const char        *source,
                      VdImportNextFunc   next,
                      gpointer           next_data,
                      const char        *policy_json,
                      const char        *policy_source,
                      VdImportResult    *result,
                      ImportState       *state,
                      GHashTable        *queues,
                      GCancellable      *cancellable,
                      GError           **error)
{
  VdImportStream stream = { VD_STORE (self), stream_get_queue_policy, self };
  guint n_items = 0;
  GHashTableIter iter;
  gpointer queue;

  for (;;)
    {
      g_autoptr(GPtrArray) batch = NULL;
      GError *local_error = NULL;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;

      batch = next (&stream, next_data, &local_error);
      if (batch == NULL)
        {
          if (local_error != NULL)
            {
              g_propagate_error (error, local_error);
              return FALSE;
            }
          break;
        }

      if (!import_batch (self, batch, state, queues, error))
        return FALSE;
      n_items += batch->len;
    }

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  if (policy_json != NULL)
    {
      g_hash_table_iter_init (&iter, queues);
      while (g_hash_table_iter_next (&iter, &queue, NULL))
        if (!_vd_sqlite_store_set_queue_policy_locked (self, queue, policy_json, policy_source,
                                                       state->now_usec, error))
          return FALSE;
    }

  /* Known once the file was read to its end, as the next function says. */
  state->counts.signed_by = result->signed_by;

  return append_import_event (self, source, n_items, state, error);
}

static gboolean
read_cache_size (VdSqliteStore  *self,
                 gint64         *cache_size,
                 GError        **error)
{
  g_autoptr(VdSqliteCursor) stmt = _vd_sqlite_store_prepare (self, "PRAGMA cache_size", error);

  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      _vd_sqlite_store_set_error (self, error, "Could not read the cache size");
      return FALSE;
    }
  *cache_size = sqlite3_column_int64 (stmt, 0);

  return TRUE;
}

gboolean
_vd_sqlite_store_import_stream (VdStore          *store,
                                const char       *source,
                                VdImportNextFunc  next,
                                gpointer          next_data,
                                const char       *policy_json,
                                const char       *policy_source,
                                VdImportResult   *result,
                                GCancellable     *cancellable,
                                GError          **error)
{
  VdSqliteStore *self = VD_SQLITE_STORE (store);
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_autoptr(GHashTable) queues = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GDateTime) now = vd_timestamp_now ();
  g_autoptr(GPtrArray) created = g_ptr_array_new_with_free_func (g_free);
  ImportState state = { { 0 }, };
  g_autofree char *restore = NULL;
  g_autoptr(GPtrArray) deferred = NULL;
  gint64 cache_size = 0;
  gboolean ok;

  state.now_usec = vd_timestamp_to_usec (now);
  state.created = created;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  /* A large file's transaction outgrows the default page cache at once:
   * every index page it evicts is written to the WAL and read back. A
   * larger cache for the import keeps the memory bounded all the same. */
  if (!read_cache_size (self, &cache_size, error) ||
      !_vd_sqlite_store_exec (self, "PRAGMA cache_size = " G_STRINGIFY (IMPORT_CACHE_KIB),
                              error))
    return FALSE;

  ok = _vd_sqlite_store_begin (self, error) &&
       _vd_sqlite_store_defer_item_indexes (self, &deferred, error) &&
       import_stream_locked (self, source, next, next_data, policy_json, policy_source, result,
                             &state, queues, cancellable, error) &&
       _vd_sqlite_store_restore_item_indexes (self, deferred, error);
  if (!ok)
    {
      if (self->in_transaction)
        _vd_sqlite_store_rollback (self);
      _vd_sqlite_store_delete_created (created);
    }
  else if (!_vd_sqlite_store_commit (self, error))
    {
      _vd_sqlite_store_delete_created (created);
      ok = FALSE;
    }

  restore = g_strdup_printf ("PRAGMA cache_size = %" G_GINT64_FORMAT, cache_size);
  _vd_sqlite_store_exec (self, restore, NULL);
  if (!ok)
    return FALSE;

  result->imported += state.counts.imported;
  result->revised += state.counts.revised;
  result->skipped += state.counts.skipped;
  result->queued += state.counts.queued;
  result->auto_approved += state.counts.auto_approved;

  return TRUE;
}
