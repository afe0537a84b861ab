/* vd-checkout.c
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

#define G_LOG_DOMAIN "vd-checkout"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "vd-atomic-file-private.h"
#include "vd-attachment.h"
#include "vd-audit-event.h"
#include "vd-checkout.h"
#include "vd-decision.h"
#include "vd-export-verify.h"
#include "vd-exporter.h"
#include "vd-item.h"
#include "vd-queue-writer.h"
#include "vd-timestamp.h"

/* Items are looked at a page at a time, in the queue's order (lowest
 * confidence first, as the window shows them), until enough are claimed. */
#define PAGE_SIZE 200

G_DEFINE_QUARK (vd-checkout-error-quark, vd_checkout_error)

void
vd_checkout_result_clear (VdCheckoutResult *result)
{
  g_clear_pointer (&result->key_id, g_free);
  g_clear_error (&result->sign_error);
  result->n_items = 0;
  result->expires_at = 0;
}

void
vd_checkin_outcome_free (VdCheckinOutcome *outcome)
{
  if (outcome == NULL)
    return;

  g_free (outcome->queue);
  g_free (outcome->task_id);
  g_free (outcome->message);
  g_free (outcome->line_hash);
  g_free (outcome);
}

const char *
vd_checkin_status_to_string (VdCheckinStatus status)
{
  switch (status)
    {
    case VD_CHECKIN_APPLIED:
      return "applied";
    case VD_CHECKIN_ALREADY_APPLIED:
      return "already_applied";
    case VD_CHECKIN_CONFLICT:
    default:
      return "conflict";
    }
}

static char *
format_usec (gint64 usec)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);
  g_autoptr(GDateTime) exact = g_date_time_add (time, usec % G_USEC_PER_SEC);

  return vd_timestamp_format (exact);
}

/* Local wall-clock time of @time for messages, e.g. "14:32". */
static char *
format_local (GDateTime *time)
{
  g_autoptr(GDateTime) local = g_date_time_to_local (time);

  return g_date_time_format (local, "%H:%M");
}

/* Checkout */

typedef struct
{
  char      *header;
  GPtrArray *lines;
} CheckoutFile;

static gboolean
write_checkout (GOutputStream  *stream,
                gpointer        user_data,
                GCancellable   *cancellable,
                GError        **error)
{
  CheckoutFile *data = user_data;

  if (!g_output_stream_write_all (stream, data->header, strlen (data->header), NULL,
                                  cancellable, error) ||
      !g_output_stream_write_all (stream, "\n", 1, NULL, cancellable, error))
    return FALSE;

  for (guint i = 0; i < data->lines->len; i++)
    {
      const char *line = g_ptr_array_index (data->lines, i);

      if (!g_output_stream_write_all (stream, line, strlen (line), NULL, cancellable, error))
        return FALSE;
    }

  return TRUE;
}

/* Fills in the bytes of @item's stored attachments, which the writer puts
 * into the file. */
static gboolean
load_attachments (VdStore       *store,
                  VdItem        *item,
                  GCancellable  *cancellable,
                  GError       **error)
{
  GPtrArray *attachments = vd_item_get_attachments (item);

  for (guint i = 0; attachments != NULL && i < attachments->len; i++)
    {
      VdAttachment *attachment = g_ptr_array_index (attachments, i);
      g_autoptr(GBytes) bytes = NULL;

      if (vd_attachment_is_link (attachment) || vd_attachment_get_bytes (attachment) != NULL)
        continue;

      bytes = vd_store_read_attachment (store, vd_attachment_get_sha256 (attachment),
                                        cancellable, error);
      if (bytes == NULL)
        return FALSE;
      vd_attachment_set_bytes (attachment, bytes);
    }

  return TRUE;
}

static void
release_all (VdStore    *store,
             GArray     *ids,
             const char *reviewer_id)
{
  for (guint i = 0; i < ids->len; i++)
    vd_store_release_claim (store, g_array_index (ids, gint64, i), reviewer_id, NULL);
}

/* Claims up to @count free items of @queue; their items (attachments
 * loaded) go to @items, their row ids to @claimed. */
static gboolean
claim_items (VdStore       *store,
             const char    *queue,
             guint          count,
             guint          lease_seconds,
             const char    *reviewer_id,
             GPtrArray     *items,
             GArray        *claimed,
             gint64        *expires_at,
             GCancellable  *cancellable,
             GError       **error)
{
  VdItemQuery query = VD_ITEM_QUERY_INIT;
  guint offset = 0;

  query.statuses = VD_STATUS_MASK_UNDECIDED;
  query.queue = queue;
  query.sort = VD_SORT_ORDER_CONFIDENCE;
  query.limit = PAGE_SIZE;

  while (items->len < count)
    {
      g_autoptr(GArray) ids = NULL;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;

      query.offset = offset;
      ids = vd_store_list_ids (store, &query, error);
      if (ids == NULL)
        return FALSE;
      if (ids->len == 0)
        break;
      offset += ids->len;

      for (guint i = 0; i < ids->len && items->len < count; i++)
        {
          gint64 id = g_array_index (ids, gint64, i);
          g_autoptr(GError) local_error = NULL;
          g_autoptr(GPtrArray) found = NULL;
          g_auto(VdClaim) claim = { 0, };
          VdItem *item;

          if (!vd_store_claim_item (store, id, reviewer_id, lease_seconds, &claim,
                                    &local_error))
            {
              /* Held by someone else, or decided since it was listed. */
              if (g_error_matches (local_error, VD_STORE_ERROR, VD_STORE_ERROR_CLAIMED) ||
                  g_error_matches (local_error, VD_STORE_ERROR, VD_STORE_ERROR_ALREADY_DECIDED) ||
                  g_error_matches (local_error, VD_STORE_ERROR, VD_STORE_ERROR_NOT_FOUND))
                continue;
              g_propagate_error (error, g_steal_pointer (&local_error));
              return FALSE;
            }
          g_array_append_val (claimed, id);
          *expires_at = claim.expires_at;

          found = vd_store_get_items_by_id (store, &id, 1, error);
          if (found == NULL || !load_attachments (store, g_ptr_array_index (found, 0),
                                                  cancellable, error))
            return FALSE;
          item = g_ptr_array_index (found, 0);
          if (!vd_item_is_undecided (item))
            {
              vd_store_release_claim (store, id, reviewer_id, NULL);
              g_array_set_size (claimed, claimed->len - 1);
              continue;
            }
          g_ptr_array_add (items, g_object_ref (item));
        }
    }

  return TRUE;
}

static JsonObject *
new_checkout_header (const char *store_label,
                     const char *queue,
                     const char *reviewer_id,
                     guint       lease_seconds,
                     gint64      expires_at,
                     gint64      head_seq,
                     GPtrArray  *items)
{
  g_autoptr(JsonObject) checkout = json_object_new ();
  g_autoptr(JsonArray) list = json_array_new ();
  g_autofree char *until = format_usec (expires_at);
  JsonObject *extra = json_object_new ();

  json_object_set_string_member (checkout, "store", store_label);
  json_object_set_string_member (checkout, "queue", queue);
  json_object_set_string_member (checkout, "reviewer", reviewer_id);
  json_object_set_string_member (checkout, "claimed_until", until);
  json_object_set_int_member (checkout, "lease_seconds", lease_seconds);
  json_object_set_int_member (checkout, "audit_seq", head_seq);
  for (guint i = 0; i < items->len; i++)
    {
      VdItem *item = g_ptr_array_index (items, i);
      JsonObject *entry = json_object_new ();

      json_object_set_string_member (entry, "task_id", vd_item_get_task_id (item));
      json_object_set_int_member (entry, "revision", vd_item_get_revision (item));
      json_array_add_object_element (list, entry);
    }
  json_object_set_array_member (checkout, "items", g_steal_pointer (&list));
  json_object_set_object_member (extra, "checkout", g_steal_pointer (&checkout));
  return extra;
}

/**
 * vd_checkout_write:
 * @store: the team's store
 * @store_label: how the file names the store (a location without password)
 * @queue: the queue
 * @count: items wanted, at least 1
 * @lease_seconds: how long the claims last
 * @reviewer_id: who checks out
 * @file: the queue file to write (replaced atomically)
 * @result: (out caller-allocates): what was done
 * @cancellable: (nullable): a cancellable
 * @error: return location for an error
 *
 * Claims up to @count undecided items of @queue that nobody else holds, in
 * the queue's order, for @lease_seconds as @reviewer_id, and writes them to
 * @file as a queue file whose header's `checkout` member names the store,
 * the queue, the reviewer, the claims' end and each item's revision. Then
 * signs it (`FILE.minisig`) as exports are signed: with @reviewer_id's
 * unlocked key, else the store's installation key; a signature that cannot
 * be written is reported in @result, not as a failure. On failure no
 * claim made here is left behind.
 *
 * Returns: %TRUE on success; %FALSE with %VD_CHECKOUT_ERROR_NOTHING when
 *   no item was free
 */
gboolean
vd_checkout_write (VdStore           *store,
                   const char        *store_label,
                   const char        *queue,
                   guint              count,
                   guint              lease_seconds,
                   const char        *reviewer_id,
                   GFile             *file,
                   VdCheckoutResult  *result,
                   GCancellable      *cancellable,
                   GError           **error)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) claimed = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(JsonObject) extra = NULL;
  g_autoptr(VdExporter) exporter = NULL;
  g_autofree char *header = NULL;
  g_autofree char *source = NULL;
  CheckoutFile data;
  gint64 expires_at = 0;
  gint64 head_seq = 0;

  g_return_val_if_fail (VD_IS_STORE (store), FALSE);
  g_return_val_if_fail (store_label != NULL, FALSE);
  g_return_val_if_fail (queue != NULL, FALSE);
  g_return_val_if_fail (count > 0, FALSE);
  g_return_val_if_fail (reviewer_id != NULL, FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (result != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  memset (result, 0, sizeof *result);

  if (!vd_store_get_audit_head (store, &head_seq, NULL, error))
    return FALSE;

  if (!claim_items (store, queue, count, lease_seconds, reviewer_id, items, claimed,
                    &expires_at, cancellable, error))
    goto failed;

  if (items->len == 0)
    {
      g_set_error (error, VD_CHECKOUT_ERROR, VD_CHECKOUT_ERROR_NOTHING,
                   _("queue %s has no undecided item that nobody else holds"), queue);
      return FALSE;
    }

  for (guint i = 0; i < items->len; i++)
    {
      g_autoptr(GString) line = g_string_new (NULL);

      if (!vd_queue_writer_append_item (line, g_ptr_array_index (items, i), error))
        goto failed;
      g_ptr_array_add (lines, g_string_free (g_steal_pointer (&line), FALSE));
    }

  /* TRANSLATORS: the source named in a checkout file's header */
  source = g_strdup_printf (_("verdict team checkout of %s"), store_label);
  extra = new_checkout_header (store_label, queue, reviewer_id, lease_seconds, expires_at,
                               head_seq, items);
  header = vd_queue_writer_format_header (queue, source, extra);
  data.header = header;
  data.lines = lines;
  if (!_vd_atomic_file_write (file, write_checkout, &data, cancellable, error))
    goto failed;

  result->n_items = items->len;
  result->expires_at = expires_at;

  exporter = vd_exporter_new (store);
  vd_exporter_set_reviewer (exporter, reviewer_id);
  vd_exporter_sign_file (exporter, file, VD_CHECKOUT_FORMAT, items->len, &result->key_id,
                         cancellable, &result->sign_error);
  return TRUE;

failed:
  release_all (store, claimed, reviewer_id);
  return FALSE;
}

/* Checkin */

typedef struct
{
  guint           line;
  char           *queue;
  char           *task_id;
  VdDecisionKind  kind;
  char           *feedback;
  char           *modified_content;
  char           *reviewer_id;
  char           *category;
  int             helpful;       /* -1 unknown */
  int             revision;
  gint64          duration_ms;
  gint64          seq;
  char           *hash;
} OfflineDecision;

static void
offline_decision_free (OfflineDecision *decision)
{
  if (decision == NULL)
    return;

  g_free (decision->queue);
  g_free (decision->task_id);
  g_free (decision->feedback);
  g_free (decision->modified_content);
  g_free (decision->reviewer_id);
  g_free (decision->category);
  g_free (decision->hash);
  g_free (decision);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OfflineDecision, offline_decision_free)

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gboolean
member_true (JsonObject *object,
             const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_BOOLEAN && json_node_get_boolean (node);
}

/* The human decisions that stand in the (already verified) export at
 * @path, by item, the latest of each item last. */
static GPtrArray *
read_offline_decisions (const char  *path,
                        GError     **error)
{
  g_autoptr(GPtrArray) decisions =
    g_ptr_array_new_with_free_func ((GDestroyNotify) offline_decision_free);
  g_autoptr(GHashTable) by_item = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *contents = NULL;
  g_auto(GStrv) rows = NULL;
  g_autoptr(GPtrArray) latest = NULL;

  if (!g_file_get_contents (path, &contents, NULL, error))
    return NULL;

  rows = g_strsplit (contents, "\n", -1);
  for (guint i = 1; rows[i] != NULL; i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(OfflineDecision) decision = NULL;
      g_autofree char *key = NULL;
      JsonObject *object, *audit;
      JsonNode *node;
      const char *kind, *hash;

      if (rows[i][0] == '\0')
        continue;
      if (!json_parser_load_from_data (parser, rows[i], -1, NULL) ||
          !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        goto bad_line;
      object = json_node_get_object (json_parser_get_root (parser));

      /* Automatic decisions of the offline store (its own policy) and
       * decisions taken back there are not the reviewer's. */
      if (member_true (object, "automatic") || member_true (object, "retracted"))
        continue;

      node = json_object_get_member (object, "audit");
      if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
        goto bad_line;
      audit = json_node_get_object (node);
      kind = member_string (object, "decision");
      hash = member_string (audit, "hash");
      decision = g_new0 (OfflineDecision, 1);
      decision->line = i + 1;
      decision->queue = g_strdup (member_string (object, "queue"));
      decision->task_id = g_strdup (member_string (object, "task_id"));
      decision->reviewer_id = g_strdup (member_string (object, "reviewer_id"));
      decision->feedback = g_strdup (member_string (object, "feedback"));
      decision->modified_content = g_strdup (member_string (object, "modified_content"));
      decision->category = g_strdup (member_string (object, "category"));
      decision->hash = g_strdup (hash);
      decision->helpful = -1;
      if (json_object_has_member (object, "helpful"))
        decision->helpful = member_true (object, "helpful");
      if (decision->queue == NULL || decision->task_id == NULL ||
          decision->reviewer_id == NULL || kind == NULL || hash == NULL ||
          !vd_decision_kind_from_string (kind, &decision->kind) ||
          !json_object_has_member (object, "revision"))
        goto bad_line;
      decision->revision = (int) json_object_get_int_member (object, "revision");
      if (json_object_has_member (object, "duration_ms"))
        decision->duration_ms = json_object_get_int_member (object, "duration_ms");
      decision->seq = json_object_get_int_member (audit, "seq");

      key = g_strdup_printf ("%s\x1f%s", decision->queue, decision->task_id);
      g_hash_table_replace (by_item, g_steal_pointer (&key),
                            GUINT_TO_POINTER (decisions->len + 1));
      g_ptr_array_add (decisions, g_steal_pointer (&decision));
      continue;

bad_line:
      g_set_error (error, VD_CHECKOUT_ERROR, VD_CHECKOUT_ERROR_FORMAT,
                   _("%s:%u: not a decision line of a decisions export"), path, i + 1);
      return NULL;
    }

  /* One decision per item: the last that stands. */
  latest = g_ptr_array_new_with_free_func ((GDestroyNotify) offline_decision_free);
  for (guint i = 0; i < decisions->len; i++)
    {
      OfflineDecision *decision = g_ptr_array_index (decisions, i);
      g_autofree char *key = g_strdup_printf ("%s\x1f%s", decision->queue, decision->task_id);

      if (GPOINTER_TO_UINT (g_hash_table_lookup (by_item, key)) == i + 1)
        g_ptr_array_add (latest, g_steal_pointer (&decisions->pdata[i]));
    }

  return g_steal_pointer (&latest);
}

static VdCheckinOutcome *
new_outcome (OfflineDecision *decision,
             VdCheckinStatus  status)
{
  VdCheckinOutcome *outcome = g_new0 (VdCheckinOutcome, 1);

  outcome->line = decision->line;
  outcome->queue = g_strdup (decision->queue);
  outcome->task_id = g_strdup (decision->task_id);
  outcome->kind = decision->kind;
  outcome->status = status;
  outcome->line_hash = g_strdup (decision->hash);
  return outcome;
}

static VdCheckinOutcome * G_GNUC_PRINTF (2, 3)
new_conflict (OfflineDecision *decision,
              const char      *format,
              ...)
{
  VdCheckinOutcome *outcome = new_outcome (decision, VD_CHECKIN_CONFLICT);
  va_list args;

  va_start (args, format);
  outcome->message = g_strdup_vprintf (format, args);
  va_end (args);
  return outcome;
}

/* The decision that stands on @item, the latest not retracted. */
static VdDecision *
dup_standing_decision (VdStore  *store,
                       VdItem   *item,
                       GError  **error)
{
  g_autoptr(GPtrArray) decisions = vd_store_list_decisions (store, vd_item_get_queue (item),
                                                            vd_item_get_task_id (item),
                                                            error);

  if (decisions == NULL)
    return NULL;

  for (guint i = decisions->len; i > 0; i--)
    {
      VdDecision *decision = g_ptr_array_index (decisions, i - 1);

      if (!vd_decision_get_retracted (decision))
        return g_object_ref (decision);
    }

  return NULL;
}

/* The line hashes of the decisions earlier checkins recorded, from their
 * `checkin` events after @from_seq. */
static GHashTable *
dup_applied_hashes (VdStore  *store,
                    gint64    from_seq,
                    GError  **error)
{
  g_autoptr(GHashTable) hashes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) events = vd_store_list_audit (store, from_seq, 0, error);

  if (events == NULL)
    return NULL;

  for (guint i = 0; i < events->len; i++)
    {
      VdAuditEvent *event = g_ptr_array_index (events, i);
      g_autoptr(JsonObject) payload = NULL;
      const char *hash;

      if (g_strcmp0 (vd_audit_event_get_event_type (event), "checkin") != 0)
        continue;
      payload = vd_audit_event_dup_payload (event);
      if (payload != NULL && (hash = member_string (payload, "line_hash")) != NULL)
        g_hash_table_add (hashes, g_strdup (hash));
    }

  return g_steal_pointer (&hashes);
}

static gboolean
is_conflict_error (const GError *error)
{
  return error->domain == VD_STORE_ERROR &&
         (error->code == VD_STORE_ERROR_ALREADY_DECIDED ||
          error->code == VD_STORE_ERROR_STALE_REVISION ||
          error->code == VD_STORE_ERROR_CLAIMED ||
          error->code == VD_STORE_ERROR_INVALID ||
          error->code == VD_STORE_ERROR_PERMISSION);
}

/* Records @offline on the team store, with its `checkin` event. */
static VdCheckinOutcome *
apply_decision (VdStore          *store,
                const char       *reviewer_id,
                OfflineDecision  *offline,
                const char       *signer_key_id,
                GError          **error)
{
  g_autoptr(VdDecision) decision = vd_decision_new (offline->queue, offline->task_id,
                                                    offline->kind, reviewer_id);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonObject) payload = json_object_new ();
  g_autoptr(VdAuditEvent) event = NULL;
  g_autoptr(VdItem) item = NULL;
  VdCheckinOutcome *outcome;

  vd_decision_set_feedback (decision, offline->feedback != NULL ? offline->feedback : "");
  vd_decision_set_modified_content (decision, offline->modified_content);
  vd_decision_set_revision (decision, offline->revision);
  vd_decision_set_duration_ms (decision, offline->duration_ms);
  if (offline->helpful >= 0)
    vd_decision_set_helpful (decision, offline->helpful ? VD_HELPFUL_YES : VD_HELPFUL_NO);
  if (offline->category != NULL)
    vd_decision_set_category (decision, offline->category);

  if (!vd_store_record_decision (store, decision, &local_error))
    {
      if (!is_conflict_error (local_error))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      /* TRANSLATORS: the task, the store's reason, then the offline decision */
      return new_conflict (offline, _("%s: %s; your %s was not applied"), offline->task_id,
                           local_error->message, vd_decision_kind_to_string (offline->kind));
    }

  outcome = new_outcome (offline, VD_CHECKIN_APPLIED);
  outcome->decision_seq = vd_decision_get_audit_seq (decision);

  json_object_set_int_member (payload, "decision_seq", outcome->decision_seq);
  json_object_set_string_member (payload, "line_hash", offline->hash);
  json_object_set_int_member (payload, "line_seq", offline->seq);
  json_object_set_string_member (payload, "offline_reviewer", offline->reviewer_id);
  if (signer_key_id != NULL)
    json_object_set_string_member (payload, "signed_by", signer_key_id);
  event = vd_audit_event_new (reviewer_id, "checkin", offline->queue, offline->task_id,
                              payload);
  if (!vd_store_append_audit (store, event, error))
    {
      vd_checkin_outcome_free (outcome);
      return NULL;
    }

  /* A decision ends the decider's claim; this is for a backend that
   * keeps it. */
  item = vd_store_get_item (store, offline->queue, offline->task_id, NULL);
  if (item != NULL)
    vd_store_release_claim (store, vd_item_get_id (item), reviewer_id, NULL);

  return outcome;
}

/* What to do with @offline: a conflict, %NULL to apply it, or (with
 * *@decided_by_me) a decision of the reviewer's own that an earlier checkin
 * may have recorded. */
static VdCheckinOutcome *
check_decision (VdStore          *store,
                const char       *reviewer_id,
                OfflineDecision  *offline,
                GHashTable       *claims,
                VdDecision      **decided_by_me,
                GError          **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(VdItem) item = NULL;
  const char *kind = vd_decision_kind_to_string (offline->kind);
  VdClaim *claim;

  if (!g_str_equal (offline->reviewer_id, reviewer_id))
    return new_conflict (offline, _("%s: decided offline by %s, not by %s; not applied"),
                         offline->task_id, offline->reviewer_id, reviewer_id);

  item = vd_store_get_item (store, offline->queue, offline->task_id, &local_error);
  if (item == NULL)
    {
      if (!g_error_matches (local_error, VD_STORE_ERROR, VD_STORE_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      return new_conflict (offline, _("%s: not in the team store (queue %s); your %s was "
                                      "not applied"), offline->task_id, offline->queue, kind);
    }

  if (!vd_item_is_undecided (item))
    {
      g_autoptr(VdDecision) standing = dup_standing_decision (store, item, error);
      g_autofree char *at = NULL;

      if (standing == NULL)
        {
          if (error != NULL && *error != NULL)
            return NULL;
          return new_conflict (offline, _("%s: decided meanwhile; your %s was not applied"),
                               offline->task_id, kind);
        }
      if (g_str_equal (vd_decision_get_reviewer_id (standing), reviewer_id) &&
          vd_decision_get_kind (standing) == offline->kind &&
          vd_decision_get_revision (standing) == offline->revision)
        {
          *decided_by_me = g_steal_pointer (&standing);
          return NULL;
        }

      at = format_local (vd_decision_get_timestamp (standing));
      return new_conflict (offline, _("%s: decided meanwhile by %s at %s (%s); your %s was not "
                                      "applied"),
                           offline->task_id, vd_decision_get_reviewer_id (standing), at,
                           vd_decision_kind_to_string (vd_decision_get_kind (standing)), kind);
    }

  if (vd_item_get_revision (item) != offline->revision)
    return new_conflict (offline, _("%s: the item is at revision %d, you reviewed revision %d; "
                                    "your %s was not applied"),
                         offline->task_id, vd_item_get_revision (item), offline->revision, kind);

  {
    gint64 id = vd_item_get_id (item);

    claim = g_hash_table_lookup (claims, &id);
  }
  if (claim != NULL && !g_str_equal (claim->reviewer_id, reviewer_id))
    {
      g_autofree char *until = vd_claim_format_expiry (claim);

      return new_conflict (offline, _("%s: your claim expired and %s holds it now (until %s); "
                                      "your %s was not applied"),
                           offline->task_id, claim->reviewer_id, until, kind);
    }

  return NULL;
}

/* The unexpired claims by item row id; none on a backend without
 * claims, where the decisions' own checks still apply. */
static GHashTable *
dup_claims (VdStore  *store,
            GError  **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GPtrArray) claims = vd_store_list_claims (store, NULL, &local_error);
  GHashTable *by_item = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL,
                                               (GDestroyNotify) vd_claim_free);

  if (claims == NULL)
    {
      if (g_error_matches (local_error, VD_STORE_ERROR, VD_STORE_ERROR_UNSUPPORTED) ||
          g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED))
        return by_item;
      g_hash_table_unref (by_item);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  for (guint i = 0; i < claims->len; i++)
    {
      VdClaim *claim = vd_claim_copy (g_ptr_array_index (claims, i));

      g_hash_table_replace (by_item, &claim->item_id, claim);
    }

  return by_item;
}

/**
 * vd_checkin_apply:
 * @store: the team's store
 * @reviewer_id: who checks in
 * @path: a decisions export of the offline store, with its `.minisig`
 * @keys: (element-type VdKey): the public keys that may have signed it
 * @cancellable: (nullable): a cancellable
 * @error: return location for an error
 *
 * Verifies the export (vd_export_verify_file(): a tampered or unsigned
 * file is refused whole) and goes through its reviewer's decisions that
 * stand (not automatic, not retracted; the last of each item). A decision
 * is recorded on @store as @reviewer_id's, with its feedback, modified
 * content and duration, when the item is still undecided, at the revision
 * decided, and not claimed by someone else; a `checkin` audit event
 * (payload `decision_seq`, `line_hash`, `line_seq`, `offline_reviewer`,
 * `signed_by`) follows it. Anything else is a conflict, and nothing is
 * written for it. A decision that an earlier checkin recorded is reported
 * as already applied.
 *
 * Returns: (transfer container) (element-type VdCheckinOutcome): one
 *   outcome per decision, in the file's order, or %NULL with @error set
 *   (decisions recorded before the error stay recorded)
 */
GPtrArray *
vd_checkin_apply (VdStore       *store,
                  const char    *reviewer_id,
                  const char    *path,
                  GPtrArray     *keys,
                  GCancellable  *cancellable,
                  GError       **error)
{
  g_autoptr(VdExportReport) report = NULL;
  g_autoptr(GPtrArray) decisions = NULL;
  g_autoptr(GPtrArray) outcomes = NULL;
  g_autoptr(GHashTable) claims = NULL;
  g_autoptr(GHashTable) applied = NULL;
  g_autoptr(GPtrArray) mine = g_ptr_array_new_with_free_func (g_object_unref);
  gint64 from_seq = G_MAXINT64;

  g_return_val_if_fail (VD_IS_STORE (store), NULL);
  g_return_val_if_fail (reviewer_id != NULL, NULL);
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (keys != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  report = vd_export_verify_file (path, keys, NULL, cancellable, error);
  if (report == NULL)
    return NULL;
  if (g_strcmp0 (report->format, "verdict-decisions") != 0)
    {
      g_set_error (error, VD_CHECKOUT_ERROR, VD_CHECKOUT_ERROR_FORMAT,
                   _("%s: a %s export, not a decisions export (verdict-cli export "
                     "decisions)"), path, report->format);
      return NULL;
    }

  if (!(decisions = read_offline_decisions (path, error)) ||
      !(claims = dup_claims (store, error)))
    return NULL;

  outcomes = g_ptr_array_new_with_free_func ((GDestroyNotify) vd_checkin_outcome_free);
  g_ptr_array_set_size (outcomes, decisions->len);

  /* First what can be told without writing: conflicts, and decisions of
   * the reviewer's own already on the team store. */
  for (guint i = 0; i < decisions->len; i++)
    {
      OfflineDecision *offline = g_ptr_array_index (decisions, i);
      g_autoptr(GError) local_error = NULL;
      VdDecision *decided_by_me = NULL;
      VdCheckinOutcome *outcome;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;

      outcome = check_decision (store, reviewer_id, offline, claims, &decided_by_me,
                                &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      if (decided_by_me != NULL)
        {
          from_seq = MIN (from_seq, vd_decision_get_audit_seq (decided_by_me));
          g_ptr_array_add (mine, decided_by_me);
        }
      outcomes->pdata[i] = outcome;
    }

  if (mine->len > 0 && !(applied = dup_applied_hashes (store, from_seq, error)))
    return NULL;

  for (guint i = 0; i < decisions->len; i++)
    {
      OfflineDecision *offline = g_ptr_array_index (decisions, i);
      g_autoptr(GError) local_error = NULL;
      g_autoptr(VdItem) item = NULL;

      if (outcomes->pdata[i] != NULL)
        continue;

      if (applied != NULL && g_hash_table_contains (applied, offline->hash))
        {
          outcomes->pdata[i] = new_outcome (offline, VD_CHECKIN_ALREADY_APPLIED);
          continue;
        }

      item = vd_store_get_item (store, offline->queue, offline->task_id, &local_error);
      if (item == NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      if (!vd_item_is_undecided (item))
        {
          /* Decided by the same reviewer the same way, but not by a checkin
           * of this line: online, or from another file. */
          outcomes->pdata[i] =
            new_conflict (offline, _("%s: decided meanwhile by you on the team store (%s); "
                                     "this %s was not applied again"),
                          offline->task_id, vd_decision_kind_to_string (offline->kind),
                          vd_decision_kind_to_string (offline->kind));
          continue;
        }

      outcomes->pdata[i] = apply_decision (store, reviewer_id, offline, report->signer_key_id,
                                           error);
      if (outcomes->pdata[i] == NULL)
        return NULL;
    }

  return g_steal_pointer (&outcomes);
}
