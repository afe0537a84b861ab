/* vd-store.c
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

#define G_LOG_DOMAIN "vd-store"

#include "config.h"

#include <string.h>

#include "vd-audit-event.h"
#include "vd-decision.h"
#include "vd-item.h"
#include "vd-store.h"

G_DEFINE_QUARK (vd-store-error-quark, vd_store_error)

G_DEFINE_INTERFACE (VdStore, vd_store, G_TYPE_OBJECT)

enum {
  AUDIT_APPENDED,
  CLAIMS_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
vd_store_default_init (VdStoreInterface *iface)
{
  /**
   * VdStore::audit-appended:
   * @self: the store
   * @head_seq: the seq of the last audit event now
   *
   * Another connection or process appended audit events: emitted while
   * the store is watched (vd_store_watch()), on the main context that was
   * thread-default when the watch started.
   */
  signals[AUDIT_APPENDED] =
    g_signal_new ("audit-appended",
                  G_TYPE_FROM_INTERFACE (iface),
                  G_SIGNAL_RUN_LAST,
                  0,
                  NULL, NULL,
                  NULL,
                  G_TYPE_NONE, 1, G_TYPE_INT64);

  /**
   * VdStore::claims-changed:
   * @self: the store
   *
   * Another connection made, renewed, took over or released claims, or a
   * decision ended one: emitted while the store is watched, by backends
   * that announce claims (PostgreSQL), on the main context of
   * #VdStore::audit-appended. Read them again with vd_store_list_claims().
   */
  signals[CLAIMS_CHANGED] =
    g_signal_new ("claims-changed",
                  G_TYPE_FROM_INTERFACE (iface),
                  G_SIGNAL_RUN_LAST,
                  0,
                  NULL, NULL,
                  NULL,
                  G_TYPE_NONE, 0);
}

/**
 * vd_store_import_items:
 * @self: a store
 * @source: where the items come from (a file name), for the audit trail
 * @items: (element-type VdItem): items the policy has already been applied
 *   to
 * @result: (out caller-allocates): counts of what happened; the store adds
 *   to the counts already there (except @invalid, left alone)
 * @progress: (nullable) (scope call): called about every 1000 items and at
 *   the end, on the calling thread while the store is busy: it must not call
 *   back into the store (it may cancel @cancellable)
 * @progress_data: data for @progress
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Writes @items in one transaction: all or nothing. New items are inserted,
 * items present with an older revision are revised (the old output is kept
 * as a revision), items present with the same or a newer revision are
 * skipped. An item whose escalation reason is
 * %VD_ESCALATION_REASON_NONE and whose status is approved is recorded as
 * auto-approved by the policy; every other one is queued. Stored items get
 * their row id. Cancelling @cancellable rolls everything back and fails with
 * %G_IO_ERROR_CANCELLED.
 *
 * Returns: %TRUE on success
 */
gboolean
vd_store_import_items (VdStore         *self,
                       const char      *source,
                       GPtrArray       *items,
                       VdImportResult  *result,
                       VdProgressFunc   progress,
                       gpointer         progress_data,
                       GCancellable    *cancellable,
                       GError         **error)
{
  g_return_val_if_fail (VD_IS_STORE (self), FALSE);
  g_return_val_if_fail (items != NULL, FALSE);
  g_return_val_if_fail (result != NULL, FALSE);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return VD_STORE_GET_IFACE (self)->import_items (self, source, items, NULL, NULL, result,
                                                  progress, progress_data,
                                                  cancellable, error);
}

/**
 * vd_store_import_items_with_policy:
 * @self: a store
 * @source: where the items come from (a file name), for the audit trail
 * @items: (element-type VdItem): items @policy_json has already been applied
 *   to
 * @policy_json: (nullable): the policy chosen for the items, as
 *   vd_policy_to_data() writes it, or %NULL when none was chosen
 * @policy_source: (nullable): a short label of where the policy came from
 *   (e.g. its file)
 * @result: (out caller-allocates): as for vd_store_import_items()
 * @progress: (nullable) (scope call): as for vd_store_import_items()
 * @progress_data: data for @progress
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Does what vd_store_import_items() does and, in the same transaction,
 * remembers @policy_json as the policy of every queue of @items (see
 * vd_store_set_queue_policy()).
 *
 * Returns: %TRUE on success
 */
gboolean
vd_store_import_items_with_policy (VdStore         *self,
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
  g_return_val_if_fail (VD_IS_STORE (self), FALSE);
  g_return_val_if_fail (items != NULL, FALSE);
  g_return_val_if_fail (result != NULL, FALSE);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return VD_STORE_GET_IFACE (self)->import_items (self, source, items,
                                                  policy_json, policy_source, result,
                                                  progress, progress_data,
                                                  cancellable, error);
}

/**
 * vd_store_import_stream:
 * @self: a store
 * @source: where the items come from, for the import event
 * @next: (scope call): called for each batch of items, in the transaction
 * @next_data: data for @next
 * @policy_json: (nullable): as for vd_store_import_items_with_policy()
 * @policy_source: (nullable): where @policy_json was read from
 * @result: (out caller-allocates): counts are added to it; its signed_by
 *   is read after @next returned the end, for the import event
 * @cancellable: (nullable): a cancellable
 * @error: return location for a #GError
 *
 * Imports the items @next hands out, batch after batch, in one
 * transaction: an error from @next, from any item or a cancellation
 * leaves the store as it was. @next is called on this thread with the
 * store locked: it may call vd_import_stream_get_queue_policy() and no
 * other store method. Each batch's new items queued for a human share one
 * `enqueue_batch` audit event. The items' ids are not set.
 *
 * Returns: %TRUE on success
 */
gboolean
vd_store_import_stream (VdStore          *self,
                        const char       *source,
                        VdImportNextFunc  next,
                        gpointer          next_data,
                        const char       *policy_json,
                        const char       *policy_source,
                        VdImportResult   *result,
                        GCancellable     *cancellable,
                        GError          **error)
{
  g_return_val_if_fail (VD_IS_STORE (self), FALSE);
  g_return_val_if_fail (next != NULL, FALSE);
  g_return_val_if_fail (result != NULL, FALSE);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return VD_STORE_GET_IFACE (self)->import_stream (self, source, next, next_data,
                                                   policy_json, policy_source, result,
                                                   cancellable, error);
}

/**
 * vd_import_stream_get_queue_policy:
 * @stream: the stream given to a #VdImportNextFunc
 * @queue: a queue
 * @policy_json: (out) (transfer full) (nullable): as for vd_store_get_queue_policy()
 * @policy_source: (out) (transfer full) (optional) (nullable): where it came from
 * @error: return location for a #GError
 *
 * vd_store_get_queue_policy() from inside a streamed import.
 *
 * Returns: %TRUE on success
 */
gboolean
vd_import_stream_get_queue_policy (VdImportStream  *stream,
                                   const char      *queue,
                                   char           **policy_json,
                                   char           **policy_source,
                                   GError         **error)
{
  g_return_val_if_fail (stream != NULL, FALSE);
  g_return_val_if_fail (queue != NULL, FALSE);
  g_return_val_if_fail (policy_json != NULL, FALSE);

  return stream->get_queue_policy (stream, queue, policy_json, policy_source, error);
}

/**
 * vd_store_get_item:
 * @self: a store
 * @queue: (nullable): the queue, or %NULL to find @task_id in any queue
 * @task_id: the task id
 * @error: return location for a #GError
 *
 * Looks an item up by its identity. Without a queue, the task id must be in
 * exactly one queue (else %VD_STORE_ERROR_AMBIGUOUS).
 *
 * Returns: (transfer full): the item, or %NULL with @error set
 */
VdItem *
vd_store_get_item (VdStore     *self,
                   const char  *queue,
                   const char  *task_id,
                   GError     **error)
{
  g_return_val_if_fail (VD_IS_STORE (self), NULL);
  g_return_val_if_fail (task_id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return VD_STORE_GET_IFACE (self)->get_item (self, queue, task_id, error);
}

/**
 * vd_store_read_attachment:
 * @self: a store
 * @sha256: an attachment's SHA-256, from vd_attachment_get_sha256()
 * @cancellable: (nullable): a cancellable
 * @error: return location for a #GError
 *
 * Reads the bytes of an imported attachment from the store's own copy, so
 * they are there when the queue file and its folder are gone. Reads a
 * file: call it off the UI thread, or use vd_store_read_attachment_async().
 *
 * Returns: (transfer full): the bytes, or %NULL with @error set (a
 *   #GFileError when there is no such file, %VD_STORE_ERROR_FAILED when the
 *   file does not match @sha256)
 */
GBytes *
vd_store_read_attachment (VdStore       *self,
                          const char    *sha256,
                          GCancellable  *cancellable,
                          GError       **error)
{
  g_return_val_if_fail (VD_IS_STORE (self), NULL);
  g_return_val_if_fail (sha256 != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return VD_STORE_GET_IFACE (self)->read_attachment (self, sha256, cancellable, error);
}

/**
 * vd_store_get_items_by_id:
 * @self: a store
 * @ids: (array length=n_ids): row ids
 * @n_ids: the number of ids
 * @error: return location for a #GError
 *
 * Returns: (transfer container) (element-type VdItem): the items, in the
 *   order of @ids, or %NULL with @error set (%VD_STORE_ERROR_NOT_FOUND when
 *   an id is unknown)
 */
GPtrArray *
vd_store_get_items_by_id (VdStore       *self,
                          const gint64  *ids,
                          guint          n_ids,
                          GError       **error)
{
  g_return_val_if_fail (VD_IS_STORE (self), NULL);
  g_return_val_if_fail (ids != NULL || n_ids == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return VD_STORE_GET_IFACE (self)->get_items_by_id (self, ids, n_ids, error);
}

/**
 * vd_store_list_ids:
 * @self: a store
 * @query: what to list
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (element-type gint64): the row ids of the
 *   matching items in the order asked for, or %NULL with @error set
 */
GArray *
vd_store_list_ids (VdStore            *self,
                   const VdItemQuery  *query,
                   GError            **error)
{
  g_return_val_if_fail (VD_IS_STORE (self), NULL);
  g_return_val_if_fail (query != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return VD_STORE_GET_IFACE (self)->list_ids (self, query, error);
}

/**
 * vd_store_list_items:
 * @self: a store
 * @query: what to list
 * @error: return location for a #GError
 *
 * vd_store_list_ids() followed by vd_store_get_items_by_id(). Use a limit:
 * every matching item is materialised.
 *
 * Returns: (transfer container) (element-type VdItem): the items, or %NULL
 *   with @error set
 */
GPtrArray *
vd_store_list_items (VdStore            *self,
                     const VdItemQuery  *query,
                     GError            **error)
{
  g_autoptr(GArray) ids = NULL;

  g_return_val_if_fail (VD_IS_STORE (self), NULL);
  g_return_val_if_fail (query != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  ids = vd_store_list_ids (self, query, error);
  if (ids == NULL)
    return NULL;

  return vd_store_get_items_by_id (self, (const gint64 *)(gpointer)ids->data, ids->len, error);
}

/**
 * vd_store_count_items:
 * @self: a store
 * @query: what to count; sort, offset and limit are ignored
 * @count: (out): the number of matching items
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success
 */
gboolean
vd_store_count_items (VdStore            *self,
                      const VdItemQuery  *query,
                      guint64            *count,
                      GError            **error)
{
  g_return_val_if_fail (VD_IS_STORE (self), FALSE);
  g_return_val_if_fail (query != NULL, FALSE);
  g_return_val_if_fail (count != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return VD_STORE_GET_IFACE (self)->count_items (self, query, count, error);
}

/**
 * vd_store_list_queues:
 * @self: a store
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the names of the queues that have items, sorted,
 *   or %NULL with @error set
 */
GStrv
vd_store_list_queues (VdStore  *self,
                      GError  **error)
{
  g_return_val_if_fail (VD_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return VD_STORE_GET_IFACE (self)->list_queues (self, error);
}

/**
 * vd_store_list_revisions:
 * @self: a store
 * @item_id: the row id of an item
 * @error: return location for a #GError
 *
 * The earlier outputs of an item, each with the feedback that led to the
 * next one. The current output is the item's own.
 *
 * Returns: (transfer container) (element-type VdRevision): the replaced
 *   revisions ordered by revision (possibly empty), or %NULL with @error set
 */
GPtrArray *
vd_store_list_revisions (VdStore  *self,
                         gint64    item_id,
                         GError  **error)
{
  g_return_val_if_fail (VD_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return VD_STORE_GET_IFACE (self)->list_revisions (self, item_id, error);
}

/**
 * vd_store_record_decision:
 * @self: a store
 * @decision: a human decision
 * @error: return location for a #GError
 *
 * Records @decision, updates the item's status and appends a `decision`
 * event to the audit trail, atomically. When this returns %TRUE the decision
 * is on disk. @decision gets its row id, its audit link and, when it had
 * none, its queue (if the task id is unambiguous) and timestamp (now).
 *
 * Fails with %VD_STORE_ERROR_NOT_FOUND, %VD_STORE_ERROR_AMBIGUOUS,
 * %VD_STORE_ERROR_ALREADY_DECIDED, %VD_STORE_ERROR_STALE_REVISION or
 * %VD_STORE_ERROR_INVALID (reject without feedback, modify without content).
 *
 * Returns: %TRUE if the decision was saved
 */
gboolean
vd_store_record_decision (VdStore     *self,
                          VdDecision  *decision,
                          GError     **error)
{
  g_return_val_if_fail (VD_IS_STORE (self), FALSE);
  g_return_val_if_fail (VD_IS_DECISION (decision), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return VD_STORE_GET_IFACE (self)->record_decision (self, decision, error);
}

/**
 * vd_store_list_decisions:
 * @self: a store
 * @queue: (nullable): only decisions in this queue
 * @task_id: (nullable): only decisions on this task id
 * @error: return location for a #GError
 *
 * Returns: (transfer container) (element-type VdDecision): the decisions,
 *   human and automatic, in the order they were made, each with its audit
 *   link; or %NULL with @error set
 */
GPtrArray *
vd_store_list_decisions (VdStore     *self,
                         const char  *queue,
                         const char  *task_id,
                         GError     **error)
{
  g_return_val_if_fail (VD_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return VD_STORE_GET_IFACE (self)->list_decisions (self, queue, task_id, error);
}

/**
 * vd_store_get_stats:
 * @self: a store
 * @queue: (nullable): only this queue
 * @stats: (out caller-allocates): the statistics
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success
 */
gboolean
vd_store_get_stats (VdStore     *self,
                    const char  *queue,
                    VdStats     *stats,
                    GError     **error)
{
  g_return_val_if_fail (VD_IS_STORE (self), FALSE);
  g_return_val_if_fail (stats != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return VD_STORE_GET_IFACE (self)->get_stats (self, queue, stats, error);
}

/**
 * vd_store_append_audit:
 * @self: a store
 * @event: an unsealed event
 * @error: return location for a #GError
 *
 * Appends an event that no other store method records (e.g. an export). The
 * store seals @event with the next sequence number and the hash of the
 * current head, in the transaction that writes it.
 *
 * Returns: %TRUE if the event was appended
 */
gboolean
vd_store_append_audit (VdStore       *self,
                       VdAuditEvent  *event,
                       GError       **error)
{
  g_return_val_if_fail (VD_IS_STORE (self), FALSE);
  g_return_val_if_fail (VD_IS_AUDIT_EVENT (event), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return VD_STORE_GET_IFACE (self)->append_audit (self, event, error);
}

/**
 * vd_store_list_audit:
 * @self: a store
 * @from_seq: the first sequence number wanted
 * @limit: events at most, 0 for all
 * @error: return location for a #GError
 *
 * Returns: (transfer container) (element-type VdAuditEvent): the events from
 *   @from_seq on, in order, or %NULL with @error set
 */
GPtrArray *
vd_store_list_audit (VdStore  *self,
                     gint64    from_seq,
                     guint     limit,
                     GError  **error)
{
  g_return_val_if_fail (VD_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return VD_STORE_GET_IFACE (self)->list_audit (self, from_seq, limit, error);
}

/**
 * vd_store_get_audit_head:
 * @self: a store
 * @seq: (out) (optional): the last sequence number, 0 when the trail is empty
 * @hash: (out) (optional) (transfer full): its hash, the genesis hash when
 *   the trail is empty
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success
 */
gboolean
vd_store_get_audit_head (VdStore  *self,
                         gint64   *seq,
                         char    **hash,
                         GError  **error)
{
  g_return_val_if_fail (VD_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return VD_STORE_GET_IFACE (self)->get_audit_head (self, seq, hash, error);
}

/**
 * vd_store_list_decisions_at_head:
 * @self: a store
 * @head_seq: (out) (optional): the audit head's sequence number, 0 when the
 *   trail is empty
 * @head_hash: (out) (optional) (transfer full): its hash, the genesis hash
 *   when the trail is empty
 * @error: return location for a #GError
 *
 * Lists every decision, like vd_store_list_decisions(), and reads the audit
 * head as of the same moment: a decision recorded meanwhile is in neither
 * or in both, so that an export's header names the head its records lead
 * to.
 *
 * Returns: (transfer container) (element-type VdDecision): the decisions,
 *   or %NULL with @error set
 */
GPtrArray *
vd_store_list_decisions_at_head (VdStore  *self,
                                 gint64   *head_seq,
                                 char    **head_hash,
                                 GError  **error)
{
  g_return_val_if_fail (VD_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return VD_STORE_GET_IFACE (self)->list_decisions_at_head (self, head_seq, head_hash, error);
}

/**
 * vd_store_verify_audit:
 * @self: a store
 * @bad_seq: (out) (optional): on failure, the first bad sequence number
 * @n_checked: (out) (optional): the number of events that checked out
 * @error: return location for a #GError
 *
 * Walks the whole audit trail and checks its hash chain, that nothing is
 * missing from its end, and the signatures (see
 * vd_store_verify_audit_report()). On failure, @error names the first bad
 * sequence number and the problem; a database error sets @bad_seq to 0.
 *
 * Returns: %TRUE if the trail is intact
 */
gboolean
vd_store_verify_audit (VdStore  *self,
                       gint64   *bad_seq,
                       guint64  *n_checked,
                       GError  **error)
{
  VdAuditReport report = { 0, };
  gboolean ok;

  g_return_val_if_fail (VD_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  ok = VD_STORE_GET_IFACE (self)->verify_audit (self, &report, error);

  if (bad_seq != NULL)
    *bad_seq = report.bad_seq;
  if (n_checked != NULL)
    *n_checked = report.n_events;

  return ok;
}

/**
 * vd_store_verify_audit_report:
 * @self: a store
 * @report: (out caller-allocates): what was checked, and where it failed
 * @error: return location for a #GError
 *
 * Walks the whole audit trail in bounded memory and checks its hash chain,
 * that nothing is missing from its end, and the signatures: every event
 * from the `signing_started` event on must be signed, by a key the store's
 * signer knows (vd_signer_lookup_known()) or a key of a remembered
 * policy's roster, and the signature must verify over the event's hash. A
 * reviewer's key signs only that reviewer's events. On failure @error
 * names the first bad event and what is wrong with it.
 *
 * Returns: %TRUE if the trail is intact
 */
gboolean
vd_store_verify_audit_report (VdStore        *self,
                              VdAuditReport  *report,
                              GError        **error)
{
  g_return_val_if_fail (VD_IS_STORE (self), FALSE);
  g_return_val_if_fail (report != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  memset (report, 0, sizeof *report);

  return VD_STORE_GET_IFACE (self)->verify_audit (self, report, error);
}

/**
 * vd_store_get_audit_event:
 * @self: a store
 * @seq: a sequence number
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the event with its key id and
 *   signature, or %NULL with %VD_STORE_ERROR_NOT_FOUND when there is none
 */
VdAuditEvent *
vd_store_get_audit_event (VdStore  *self,
                          gint64    seq,
                          GError  **error)
{
  g_return_val_if_fail (VD_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return VD_STORE_GET_IFACE (self)->get_audit_event (self, seq, error);
}

/**
 * vd_store_get_signer:
 * @self: a store
 *
 * The signer the store signs every audit event with (by the actor's
 * unlocked key, else the installation key) and checks the roster with.
 * Unlock a reviewer's key for this store with vd_signer_add_key().
 *
 * Returns: (transfer none): the store's signer
 */
VdSigner *
vd_store_get_signer (VdStore *self)
{
  g_return_val_if_fail (VD_IS_STORE (self), NULL);

  return VD_STORE_GET_IFACE (self)->get_signer (self);
}

/**
 * vd_store_retract_decision:
 * @self: a store
 * @decision_id: the row id of a human decision (vd_decision_get_id())
 * @reviewer_id: who retracts it: the reviewer who took it
 * @reason: (nullable): why, for the audit trail
 * @error: return location for a #GError
 *
 * Takes a decision back without deleting anything, atomically: the decision
 * is marked retracted, the item returns to the status it had before it, and
 * a `retraction` event naming the decision's audit seq is appended to the
 * audit trail. Retracted decisions no longer count in statistics and
 * outputs.
 *
 * Fails with %VD_STORE_ERROR_INVALID, with a message saying why, when the
 * decision does not exist, was made by the policy, was already retracted,
 * is not the latest decision of its item, is for an older revision than
 * the item's, or was taken by another reviewer than @reviewer_id.
 *
 * Returns: %TRUE if the decision was retracted
 */
gboolean
vd_store_retract_decision (VdStore     *self,
                           gint64       decision_id,
                           const char  *reviewer_id,
                           const char  *reason,
                           GError     **error)
{
  g_return_val_if_fail (VD_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return VD_STORE_GET_IFACE (self)->retract_decision (self, decision_id, reviewer_id, reason,
                                                      error);
}

/* Deadlines (SLA) */

/**
 * vd_sla_record_clear:
 * @record: a record
 *
 * Frees what @record holds and zeroes it.
 */
void
vd_sla_record_clear (VdSlaRecord *record)
{
  g_return_if_fail (record != NULL);

  g_clear_pointer (&record->rule, g_free);
  g_clear_pointer (&record->deadline, g_date_time_unref);
  g_clear_pointer (&record->applied_at, g_date_time_unref);
  memset (record, 0, sizeof *record);
}

/**
 * vd_store_apply_fallbacks:
 * @self: a store
 * @now: the time to compare deadlines with
 * @limit: items at most, more than 0
 * @resolve: (scope call): decides each item's fallback
 * @resolve_data: data for @resolve
 * @result: (inout caller-allocates): counts, added to
 * @error: return location for a #GError
 *
 * In one transaction: finds at most @limit undecided items (pending, in
 * review, escalated) whose deadline is at or before @now and whose current
 * revision has had no fallback yet, soonest deadline first, and applies to
 * each the fallback @resolve names, audited as an `sla_fallback` event by
 * the actor `sla` (payload: fallback, configured, rule, deadline,
 * applied_at, revision, status, and new_due_at, feedback, final_output or
 * unsafe when they apply). Escalate sets the status escalated (the reason
 * is kept) and the new deadline if any; auto-reject records an automatic
 * reject by the reviewer `sla` with the feedback "deadline passed" (the
 * item then awaits revision like any rejected item); auto-approve records
 * an automatic approval whose final output is the content. Each item's
 * fallback is applied once per revision: a new revision can get one again.
 *
 * vd_sla_apply() calls this until it applies nothing.
 *
 * Returns: %TRUE on success (possibly having applied nothing)
 */
gboolean
vd_store_apply_fallbacks (VdStore           *self,
                          GDateTime         *now,
                          guint              limit,
                          VdSlaResolveFunc   resolve,
                          gpointer           resolve_data,
                          VdSlaResult       *result,
                          GError           **error)
{
  g_return_val_if_fail (VD_IS_STORE (self), FALSE);
  g_return_val_if_fail (now != NULL, FALSE);
  g_return_val_if_fail (limit > 0, FALSE);
  g_return_val_if_fail (resolve != NULL, FALSE);
  g_return_val_if_fail (result != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return VD_STORE_GET_IFACE (self)->apply_fallbacks (self, now, limit, resolve, resolve_data,
                                                     result, error);
}

/**
 * vd_store_get_next_deadline:
 * @self: a store
 * @due_at: (out) (transfer full) (nullable): the soonest deadline, or %NULL
 *   when there is none
 * @error: return location for a #GError
 *
 * The soonest deadline among undecided items whose fallback has not been
 * applied: the time until which a deadline timer may sleep. One index
 * lookup.
 *
 * Returns: %TRUE on success
 */
gboolean
vd_store_get_next_deadline (VdStore     *self,
                            GDateTime  **due_at,
                            GError     **error)
{
  g_return_val_if_fail (VD_IS_STORE (self), FALSE);
  g_return_val_if_fail (due_at != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return VD_STORE_GET_IFACE (self)->get_next_deadline (self, due_at, error);
}

/**
 * vd_store_count_due:
 * @self: a store
 * @queue: (nullable): only this queue
 * @before: the time
 * @count: (out): undecided items without an applied fallback whose
 *   deadline is at or before @before
 * @error: return location for a #GError
 *
 * For notices such as "5 items pass their deadline in the next 10 minutes".
 *
 * Returns: %TRUE on success
 */
gboolean
vd_store_count_due (VdStore     *self,
                    const char  *queue,
                    GDateTime   *before,
                    guint64     *count,
                    GError     **error)
{
  g_return_val_if_fail (VD_IS_STORE (self), FALSE);
  g_return_val_if_fail (before != NULL, FALSE);
  g_return_val_if_fail (count != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return VD_STORE_GET_IFACE (self)->count_due (self, queue, before, count, error);
}

/**
 * vd_store_get_sla_record:
 * @self: a store
 * @item_id: an item's row id
 * @record: (out caller-allocates): the fallback applied to the item's
 *   current revision; @record->applied is %FALSE when none was
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success; %VD_STORE_ERROR_NOT_FOUND for an unknown id
 */
gboolean
vd_store_get_sla_record (VdStore      *self,
                         gint64        item_id,
                         VdSlaRecord  *record,
                         GError      **error)
{
  g_return_val_if_fail (VD_IS_STORE (self), FALSE);
  g_return_val_if_fail (record != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return VD_STORE_GET_IFACE (self)->get_sla_record (self, item_id, record, error);
}

/**
 * vd_store_set_last_policy:
 * @self: a store
 * @policy_json: the policy an import used, as vd_policy_to_data() writes it
 * @error: return location for a #GError
 *
 * Remembers the policy of the latest import, for deadline checks that are
 * given no policy (`verdict-cli sla apply` without `--policy`).
 *
 * Returns: %TRUE on success
 */
gboolean
vd_store_set_last_policy (VdStore     *self,
                          const char  *policy_json,
                          GError     **error)
{
  g_return_val_if_fail (VD_IS_STORE (self), FALSE);
  g_return_val_if_fail (policy_json != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return VD_STORE_GET_IFACE (self)->set_last_policy (self, policy_json, error);
}

/**
 * vd_store_get_last_policy:
 * @self: a store
 * @policy_json: (out) (transfer full) (nullable): the policy of the latest
 *   import, or %NULL when nothing was imported with one
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success
 */
gboolean
vd_store_get_last_policy (VdStore  *self,
                          char    **policy_json,
                          GError  **error)
{
  g_return_val_if_fail (VD_IS_STORE (self), FALSE);
  g_return_val_if_fail (policy_json != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return VD_STORE_GET_IFACE (self)->get_last_policy (self, policy_json, error);
}

/**
 * vd_store_set_queue_policy:
 * @self: a store
 * @queue: a queue name
 * @policy_json: the policy chosen for @queue, as vd_policy_to_data() writes
 *   it
 * @source: (nullable): a short label of where it came from, e.g. the path
 *   of its file
 * @error: return location for a #GError
 *
 * Remembers the policy chosen explicitly for @queue, with the time, in
 * place of the one chosen before: an import or an agent run given no
 * policy applies it to the queue's items. Blocks on disk: call it from a
 * worker thread in UI code.
 *
 * Returns: %TRUE on success
 */
gboolean
vd_store_set_queue_policy (VdStore     *self,
                           const char  *queue,
                           const char  *policy_json,
                           const char  *source,
                           GError     **error)
{
  g_return_val_if_fail (VD_IS_STORE (self), FALSE);
  g_return_val_if_fail (queue != NULL, FALSE);
  g_return_val_if_fail (policy_json != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return VD_STORE_GET_IFACE (self)->set_queue_policy (self, queue, policy_json, source, error);
}

/**
 * vd_store_get_queue_policy:
 * @self: a store
 * @queue: a queue name
 * @policy_json: (out) (transfer full) (nullable): the policy remembered for
 *   @queue, or %NULL when none was chosen
 * @source: (out) (transfer full) (optional) (nullable): where it came from
 *   ("" when not said), or %NULL when none was chosen
 * @error: return location for a #GError
 *
 * The policy last chosen explicitly for @queue (see
 * vd_store_set_queue_policy()). Blocks on disk: call it from a worker
 * thread in UI code.
 *
 * Returns: %TRUE on success, also when no policy was chosen
 */
gboolean
vd_store_get_queue_policy (VdStore     *self,
                           const char  *queue,
                           char       **policy_json,
                           char       **source,
                           GError     **error)
{
  g_return_val_if_fail (VD_IS_STORE (self), FALSE);
  g_return_val_if_fail (queue != NULL, FALSE);
  g_return_val_if_fail (policy_json != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return VD_STORE_GET_IFACE (self)->get_queue_policy (self, queue, policy_json, source, error);
}

/* Workload */

/**
 * vd_store_get_workload:
 * @self: a store
 * @queue: (nullable): only this queue
 * @now: the end of the hour and day counted
 * @workload: (out caller-allocates): the counts, all read in one
 *   transaction
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success
 */
gboolean
vd_store_get_workload (VdStore     *self,
                       const char  *queue,
                       GDateTime   *now,
                       VdWorkload  *workload,
                       GError     **error)
{
  g_return_val_if_fail (VD_IS_STORE (self), FALSE);
  g_return_val_if_fail (now != NULL, FALSE);
  g_return_val_if_fail (workload != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return VD_STORE_GET_IFACE (self)->get_workload (self, queue, now, workload, error);
}

/**
 * vd_store_count_late:
 * @self: a store
 * @queue: (nullable): only this queue
 * @now: the time the reviewers start from
 * @usec_per_item: how long one decision takes at the current pace, more
 *   than 0
 * @count: (out): how many undecided items with a deadline would pass it
 * @error: return location for a #GError
 *
 * Simulates the reviewers deciding the undecided items with a deadline one
 * after the other, soonest deadline first: the k-th (from 1) is decided at
 * @now + k × @usec_per_item and is late when that is after its deadline.
 *
 * Returns: %TRUE on success
 */
gboolean
vd_store_count_late (VdStore     *self,
                     const char  *queue,
                     GDateTime   *now,
                     gint64       usec_per_item,
                     guint64     *count,
                     GError     **error)
{
  g_return_val_if_fail (VD_IS_STORE (self), FALSE);
  g_return_val_if_fail (now != NULL, FALSE);
  g_return_val_if_fail (usec_per_item > 0, FALSE);
  g_return_val_if_fail (count != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return VD_STORE_GET_IFACE (self)->count_late (self, queue, now, usec_per_item, count, error);
}

/* Bulk approve */

G_DEFINE_BOXED_TYPE (VdBulkAction, vd_bulk_action, vd_bulk_action_copy, vd_bulk_action_free)

/**
 * vd_bulk_action_new:
 *
 * Returns: (transfer full): an empty action with no members
 */
VdBulkAction *
vd_bulk_action_new (void)
{
  VdBulkAction *action = g_new0 (VdBulkAction, 1);

  action->members = g_array_new (FALSE, FALSE, sizeof (VdBulkMember));
  action->sample = g_ptr_array_new_with_free_func (g_free);
  action->outcome = g_strdup ("");

  return action;
}

/**
 * vd_bulk_action_copy:
 * @action: an action
 *
 * Returns: (transfer full): a deep copy of @action
 */
VdBulkAction *
vd_bulk_action_copy (const VdBulkAction *action)
{
  VdBulkAction *copy;

  g_return_val_if_fail (action != NULL, NULL);

  copy = vd_bulk_action_new ();
  copy->id = action->id;
  copy->queue = g_strdup (action->queue);
  copy->band_json = g_strdup (action->band_json);
  copy->seed = action->seed;
  copy->sample_percent = action->sample_percent;
  copy->created_by = g_strdup (action->created_by);
  copy->created_at = action->created_at != NULL ? g_date_time_ref (action->created_at) : NULL;
  copy->state = action->state;
  g_array_append_vals (copy->members, action->members->data, action->members->len);
  for (guint i = 0; i < action->sample->len; i++)
    g_ptr_array_add (copy->sample, g_strdup (g_ptr_array_index (action->sample, i)));
  copy->finished_at = action->finished_at != NULL ? g_date_time_ref (action->finished_at) : NULL;
  g_free (copy->outcome);
  copy->outcome = g_strdup (action->outcome);
  copy->n_approved = action->n_approved;

  return copy;
}

void
vd_bulk_action_free (VdBulkAction *action)
{
  if (action == NULL)
    return;

  g_free (action->queue);
  g_free (action->band_json);
  g_free (action->created_by);
  g_clear_pointer (&action->created_at, g_date_time_unref);
  g_clear_pointer (&action->members, g_array_unref);
  g_clear_pointer (&action->sample, g_ptr_array_unref);
  g_clear_pointer (&action->finished_at, g_date_time_unref);
  g_free (action->outcome);
  g_free (action);
}

static const char * const bulk_state_names[] = {
  [VD_BULK_STATE_SAMPLING] = "sampling",
  [VD_BULK_STATE_APPROVED] = "approved",
  [VD_BULK_STATE_CANCELLED] = "cancelled",
};

/**
 * vd_bulk_state_to_string:
 * @state: a state
 *
 * Returns: its stored name: `sampling`, `approved` or `cancelled`
 */
const char *
vd_bulk_state_to_string (VdBulkState state)
{
  g_return_val_if_fail (state <= VD_BULK_STATE_CANCELLED, NULL);

  return bulk_state_names[state];
}

/**
 * vd_bulk_state_from_string:
 * @string: a stored name
 * @state: (out): the state
 *
 * Returns: %TRUE if @string names a state
 */
gboolean
vd_bulk_state_from_string (const char  *string,
                           VdBulkState *state)
{
  g_return_val_if_fail (state != NULL, FALSE);

  for (guint i = 0; string != NULL && i < G_N_ELEMENTS (bulk_state_names); i++)
    {
      if (g_str_equal (bulk_state_names[i], string))
        {
          *state = i;
          return TRUE;
        }
    }

  return FALSE;
}

/**
 * vd_store_list_band:
 * @self: a store
 * @band: the band
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (element-type VdBulkMember): the pending and
 *   in-review items of @band by row id, none sampled; or %NULL with @error
 *   set
 */
GArray *
vd_store_list_band (VdStore           *self,
                    const VdBulkBand  *band,
                    GError           **error)
{
  g_return_val_if_fail (VD_IS_STORE (self), NULL);
  g_return_val_if_fail (band != NULL && band->queue != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return VD_STORE_GET_IFACE (self)->list_band (self, band, error);
}

/**
 * vd_store_create_bulk_action:
 * @self: a store
 * @action: a new action: queue, band_json, seed, sample_percent,
 *   created_by, members (the sample flagged) and sample set
 * @error: return location for a #GError
 *
 * Records @action in the sampling state with a `bulk_sample` audit event by
 * its reviewer (payload: bulk_id, band, seed, sample_percent, band_size,
 * sample), atomically. Sets @action->id and @action->created_at.
 *
 * Returns: %TRUE on success
 */
gboolean
vd_store_create_bulk_action (VdStore       *self,
                             VdBulkAction  *action,
                             GError       **error)
{
  g_return_val_if_fail (VD_IS_STORE (self), FALSE);
  g_return_val_if_fail (action != NULL && action->id == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return VD_STORE_GET_IFACE (self)->create_bulk_action (self, action, error);
}

/**
 * vd_store_get_bulk_action:
 * @self: a store
 * @id: the action's row id
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the action, or %NULL with @error set
 *   (%VD_STORE_ERROR_NOT_FOUND for an unknown id)
 */
VdBulkAction *
vd_store_get_bulk_action (VdStore  *self,
                          gint64    id,
                          GError  **error)
{
  g_return_val_if_fail (VD_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return VD_STORE_GET_IFACE (self)->get_bulk_action (self, id, error);
}

/**
 * vd_store_find_open_bulk_action:
 * @self: a store
 * @band_json: a band's canonical JSON
 * @created_by: a reviewer
 * @action: (out) (transfer full) (nullable): the action still sampling for
 *   that band and reviewer, %NULL when there is none
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success
 */
gboolean
vd_store_find_open_bulk_action (VdStore        *self,
                                const char     *band_json,
                                const char     *created_by,
                                VdBulkAction  **action,
                                GError        **error)
{
  g_return_val_if_fail (VD_IS_STORE (self), FALSE);
  g_return_val_if_fail (band_json != NULL, FALSE);
  g_return_val_if_fail (created_by != NULL, FALSE);
  g_return_val_if_fail (action != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return VD_STORE_GET_IFACE (self)->find_open_bulk_action (self, band_json, created_by, action,
                                                           error);
}

/**
 * vd_store_finish_bulk_action:
 * @self: a store
 * @id: an action in the sampling state
 * @reviewer_id: who finishes it: the reviewer who created it
 * @approve: %TRUE to approve the rest of the band, %FALSE to cancel
 * @outcome: why it is cancelled, for the audit trail (ignored when
 *   approving)
 * @n_approved: (out) (optional): items approved
 * @n_skipped: (out) (optional): members left alone because they were
 *   decided or revised since the sample was drawn
 * @error: return location for a #GError
 *
 * Approving checks again, in the transaction, that every sampled item's
 * decision that stands on its sampled revision is a reviewer's unmodified
 * approval, then approves each other member still undecided at its sampled
 * revision: a decision by @reviewer_id linked to the action and a
 * `bulk_approve` audit event per item (payload: bulk_id, revision,
 * content_sha256, final_output). Cancelling appends a `bulk_cancel` event
 * (payload: bulk_id, outcome). Either way the action is finished, all in one
 * transaction. Fails with %VD_STORE_ERROR_INVALID when the action is not
 * sampling, @reviewer_id did not create it, or (approving) the sample no
 * longer checks out.
 *
 * Returns: %TRUE on success
 */
gboolean
vd_store_finish_bulk_action (VdStore     *self,
                             gint64       id,
                             const char  *reviewer_id,
                             gboolean     approve,
                             const char  *outcome,
                             guint       *n_approved,
                             guint       *n_skipped,
                             GError     **error)
{
  g_return_val_if_fail (VD_IS_STORE (self), FALSE);
  g_return_val_if_fail (reviewer_id != NULL, FALSE);
  g_return_val_if_fail (approve || outcome != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return VD_STORE_GET_IFACE (self)->finish_bulk_action (self, id, reviewer_id, approve, outcome,
                                                        n_approved, n_skipped, error);
}

/**
 * vd_store_add_suggestion:
 * @self: a store
 * @text: an improvement suggestion (free text, not blank)
 * @reviewer_id: who made it
 * @queue: (nullable): the queue it is about, if any
 * @task_id: (nullable): the item it is about, if any
 * @id: (out) (optional): the suggestion's row id
 * @error: return location for a #GError
 *
 * Stores an improvement suggestion of the feedback loop, audited as
 * %VD_AUDIT_FEEDBACK_SUGGESTION in the same transaction.
 *
 * Returns: %TRUE if the suggestion was stored
 */
gboolean
vd_store_add_suggestion (VdStore     *self,
                         const char  *text,
                         const char  *reviewer_id,
                         const char  *queue,
                         const char  *task_id,
                         gint64      *id,
                         GError     **error)
{
  g_return_val_if_fail (VD_IS_STORE (self), FALSE);
  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (reviewer_id != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return VD_STORE_GET_IFACE (self)->add_suggestion (self, text, reviewer_id, queue, task_id,
                                                    id, error);
}

/**
 * vd_store_list_suggestions:
 * @self: a store
 * @queue: (nullable): only suggestions about this queue, or %NULL for all
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (array zero-terminated=1): the suggestions'
 *   texts, oldest first, or %NULL with @error set
 */
GStrv
vd_store_list_suggestions (VdStore     *self,
                           const char  *queue,
                           GError     **error)
{
  g_return_val_if_fail (VD_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return VD_STORE_GET_IFACE (self)->list_suggestions (self, queue, error);
}

/**
 * vd_store_foreach_feedback:
 * @self: a store
 * @queue: (nullable): only this queue
 * @with_output: fill in the records' original_output (the content of the
 *   decided revision); %FALSE leaves it %NULL and reads less
 * @func: (scope call): called for each record, oldest decision first
 * @user_data: data for @func
 * @error: return location for a #GError
 *
 * The feedback records: every decision that is not retracted and says
 * whether the agent's output was helpful.
 *
 * Returns: %TRUE on success
 */
gboolean
vd_store_foreach_feedback (VdStore               *self,
                           const char            *queue,
                           gboolean               with_output,
                           VdFeedbackRecordFunc   func,
                           gpointer               user_data,
                           GError               **error)
{
  g_return_val_if_fail (VD_IS_STORE (self), FALSE);
  g_return_val_if_fail (func != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return VD_STORE_GET_IFACE (self)->foreach_feedback (self, queue, with_output, func, user_data,
                                                      error);
}

/**
 * vd_store_foreach_reviewer_decision:
 * @self: a store
 * @queue: (nullable): only this queue
 * @since: (nullable): only decisions at or after this time
 * @func: (scope call): called for each decision, by reviewer id (byte
 *   order), then in time order
 * @user_data: data for @func
 * @error: return location for a #GError
 *
 * The decisions reviewers took one by one (see #VdReviewerDecision).
 *
 * Returns: %TRUE on success
 */
gboolean
vd_store_foreach_reviewer_decision (VdStore                 *self,
                                    const char              *queue,
                                    GDateTime               *since,
                                    VdReviewerDecisionFunc   func,
                                    gpointer                 user_data,
                                    GError                 **error)
{
  g_return_val_if_fail (VD_IS_STORE (self), FALSE);
  g_return_val_if_fail (func != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return VD_STORE_GET_IFACE (self)->foreach_reviewer_decision (self, queue, since, func,
                                                               user_data, error);
}

/**
 * vd_store_get_approval_rate:
 * @self: a store
 * @queue: (nullable): only this queue
 * @since: (nullable): only decisions at or after this time
 * @decisions: (out): the decisions reviewers took one by one
 * @approvals: (out): of @decisions, the approvals without modification
 * @error: return location for a #GError
 *
 * The team's approval rate, from the same decisions as
 * vd_store_foreach_reviewer_decision().
 *
 * Returns: %TRUE on success
 */
gboolean
vd_store_get_approval_rate (VdStore     *self,
                            const char  *queue,
                            GDateTime   *since,
                            guint64     *decisions,
                            guint64     *approvals,
                            GError     **error)
{
  g_return_val_if_fail (VD_IS_STORE (self), FALSE);
  g_return_val_if_fail (decisions != NULL && approvals != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return VD_STORE_GET_IFACE (self)->get_approval_rate (self, queue, since, decisions, approvals,
                                                       error);
}

/**
 * vd_store_foreach_calibration:
 * @self: a store
 * @queue: (nullable): only this queue
 * @task_type: (nullable): only this task type
 * @func: (scope call): called for each group of identical observations
 *   (count set)
 * @user_data: data for @func
 * @error: return location for a #GError
 *
 * The calibration observations: every decision a reviewer took one by one
 * and did not retract, with the confidence of the decided revision,
 * whether it was approved unchanged, the item's task type, the `model` of
 * the output's metadata where there is one, and whether the item was
 * escalated for anything but its confidence (then it is still reviewed).
 *
 * Returns: %TRUE on success
 */
gboolean
vd_store_foreach_calibration (VdStore            *self,
                              const char         *queue,
                              const char         *task_type,
                              VdCalibrationFunc   func,
                              gpointer            user_data,
                              GError            **error)
{
  g_return_val_if_fail (VD_IS_STORE (self), FALSE);
  g_return_val_if_fail (func != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return VD_STORE_GET_IFACE (self)->foreach_calibration (self, queue, task_type, func, user_data,
                                                         error);
}

/**
 * vd_store_count_decisions:
 * @self: a store
 * @queue: (nullable): only this queue
 * @from: the start of the span, included
 * @to: its end, excluded
 * @counts: (out caller-allocates): the decisions in the span, not retracted
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success
 */
gboolean
vd_store_count_decisions (VdStore           *self,
                          const char        *queue,
                          GDateTime         *from,
                          GDateTime         *to,
                          VdDecisionCounts  *counts,
                          GError           **error)
{
  g_return_val_if_fail (VD_IS_STORE (self), FALSE);
  g_return_val_if_fail (from != NULL && to != NULL, FALSE);
  g_return_val_if_fail (counts != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return VD_STORE_GET_IFACE (self)->count_decisions (self, queue, from, to, counts, error);
}

/**
 * vd_store_foreach_training_row:
 * @self: a store
 * @queue: (nullable): only this queue
 * @func: (scope call): called for each row (see #VdTrainingRow)
 * @user_data: data for @func
 * @error: return location for a #GError
 *
 * The decisions reviewers took one by one and did not retract, with the
 * task and the output they judged, by item and in the order decided.
 *
 * Returns: %TRUE on success
 */
gboolean
vd_store_foreach_training_row (VdStore            *self,
                               const char         *queue,
                               VdTrainingRowFunc   func,
                               gpointer            user_data,
                               GError            **error)
{
  g_return_val_if_fail (VD_IS_STORE (self), FALSE);
  g_return_val_if_fail (func != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return VD_STORE_GET_IFACE (self)->foreach_training_row (self, queue, func, user_data, error);
}

/**
 * vd_store_watch:
 * @self: a store
 * @error: return location for a #GError
 *
 * Starts announcing the audit events other connections and processes
 * append, with #VdStore::audit-appended on the thread-default main context
 * of the caller. Does nothing when @self is watched already.
 *
 * Returns: %TRUE on success; %FALSE with %G_IO_ERROR_NOT_SUPPORTED when
 *   the backend cannot watch
 */
gboolean
vd_store_watch (VdStore  *self,
                GError  **error)
{
  VdStoreInterface *iface;

  g_return_val_if_fail (VD_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  iface = VD_STORE_GET_IFACE (self);
  if (iface->watch == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   "This store cannot announce other reviewers' changes");
      return FALSE;
    }

  return iface->watch (self, error);
}

/**
 * vd_store_unwatch:
 * @self: a store
 *
 * Stops what vd_store_watch() started, without waiting for the next check;
 * nothing is emitted afterwards on the main context of the caller. Does
 * nothing when @self is not watched.
 */
void
vd_store_unwatch (VdStore *self)
{
  VdStoreInterface *iface;

  g_return_if_fail (VD_IS_STORE (self));

  iface = VD_STORE_GET_IFACE (self);
  if (iface->unwatch != NULL)
    iface->unwatch (self);
}

/**
 * vd_store_emit_audit_appended:
 * @self: a store
 * @head_seq: the seq of the last audit event
 *
 * Emits #VdStore::audit-appended on the calling thread: for backends, from
 * the main context their watch started on.
 */
void
vd_store_emit_audit_appended (VdStore *self,
                              gint64   head_seq)
{
  g_return_if_fail (VD_IS_STORE (self));

  g_signal_emit (self, signals[AUDIT_APPENDED], 0, head_seq);
}

/**
 * vd_store_emit_claims_changed:
 * @self: a store
 *
 * Emits #VdStore::claims-changed on the calling thread: for backends, from
 * the main context their watch started on.
 */
void
vd_store_emit_claims_changed (VdStore *self)
{
  g_return_if_fail (VD_IS_STORE (self));

  g_signal_emit (self, signals[CLAIMS_CHANGED], 0);
}

/* Claims */

G_DEFINE_BOXED_TYPE (VdClaim, vd_claim, vd_claim_copy, vd_claim_free)

/**
 * vd_claim_copy:
 * @claim: a claim
 *
 * Returns: (transfer full): a deep copy of @claim
 */
VdClaim *
vd_claim_copy (const VdClaim *claim)
{
  VdClaim *copy;

  g_return_val_if_fail (claim != NULL, NULL);

  copy = g_new0 (VdClaim, 1);
  copy->item_id = claim->item_id;
  copy->queue = g_strdup (claim->queue);
  copy->task_id = g_strdup (claim->task_id);
  copy->reviewer_id = g_strdup (claim->reviewer_id);
  copy->claimed_at = claim->claimed_at;
  copy->expires_at = claim->expires_at;

  return copy;
}

/**
 * vd_claim_clear:
 * @claim: a claim
 *
 * Frees what @claim holds and zeroes it.
 */
void
vd_claim_clear (VdClaim *claim)
{
  g_return_if_fail (claim != NULL);

  g_clear_pointer (&claim->queue, g_free);
  g_clear_pointer (&claim->task_id, g_free);
  g_clear_pointer (&claim->reviewer_id, g_free);
  memset (claim, 0, sizeof *claim);
}

void
vd_claim_free (VdClaim *claim)
{
  if (claim == NULL)
    return;

  vd_claim_clear (claim);
  g_free (claim);
}

/**
 * vd_claim_format_expiry:
 * @claim: a claim
 *
 * Returns: (transfer full): when the claim's lease ends, as the local time
 *   of day ("14:32")
 */
char *
vd_claim_format_expiry (const VdClaim *claim)
{
  g_autoptr(GDateTime) expires = NULL;

  g_return_val_if_fail (claim != NULL, NULL);

  expires = g_date_time_new_from_unix_local (claim->expires_at / G_USEC_PER_SEC);
  if (expires == NULL)
    return g_strdup ("?");

  return g_date_time_format (expires, "%H:%M");
}

/**
 * vd_store_claim_item:
 * @self: a store
 * @item_id: the row id of an undecided item
 * @reviewer_id: who claims it
 * @lease_seconds: how long the claim lasts from now (more than 0)
 * @claim: (out caller-allocates) (optional): the claim in force after the
 *   call: @reviewer_id's on success; on %VD_STORE_ERROR_CLAIMED, the other
 *   reviewer's. Clear it with vd_claim_clear().
 * @error: return location for a #GError
 *
 * Claims an item for @reviewer_id, or renews their claim, until now +
 * @lease_seconds. An unexpired claim by someone else refuses it with
 * %VD_STORE_ERROR_CLAIMED naming who holds it and until when; an expired
 * one is taken over. Only undecided items can be claimed
 * (%VD_STORE_ERROR_ALREADY_DECIDED). Backends without claims report
 * %G_IO_ERROR_NOT_SUPPORTED.
 *
 * Returns: %TRUE if @reviewer_id holds the claim
 */
gboolean
vd_store_claim_item (VdStore     *self,
                     gint64       item_id,
                     const char  *reviewer_id,
                     guint        lease_seconds,
                     VdClaim     *claim,
                     GError     **error)
{
  VdStoreInterface *iface;

  g_return_val_if_fail (VD_IS_STORE (self), FALSE);
  g_return_val_if_fail (reviewer_id != NULL && reviewer_id[0] != '\0', FALSE);
  g_return_val_if_fail (lease_seconds > 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  iface = VD_STORE_GET_IFACE (self);
  if (iface->claim_item == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           "This store does not support claims");
      return FALSE;
    }

  return iface->claim_item (self, item_id, reviewer_id, lease_seconds, claim, error);
}

/**
 * vd_store_release_claim:
 * @self: a store
 * @item_id: the item's row id
 * @reviewer_id: whose claim to release
 * @error: return location for a #GError
 *
 * Releases @reviewer_id's claim on an item. Someone else's claim is left as
 * it is; releasing no claim at all succeeds.
 *
 * Returns: %TRUE on success
 */
gboolean
vd_store_release_claim (VdStore     *self,
                        gint64       item_id,
                        const char  *reviewer_id,
                        GError     **error)
{
  VdStoreInterface *iface;

  g_return_val_if_fail (VD_IS_STORE (self), FALSE);
  g_return_val_if_fail (reviewer_id != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  iface = VD_STORE_GET_IFACE (self);
  if (iface->release_claim == NULL)
    return TRUE;

  return iface->release_claim (self, item_id, reviewer_id, error);
}

/**
 * vd_store_list_claims:
 * @self: a store
 * @queue: (nullable): only this queue's items
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (element-type VdClaim): the unexpired claims, by
 *   item row id; empty on a backend without claims
 */
GPtrArray *
vd_store_list_claims (VdStore     *self,
                      const char  *queue,
                      GError     **error)
{
  VdStoreInterface *iface;

  g_return_val_if_fail (VD_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  iface = VD_STORE_GET_IFACE (self);
  if (iface->list_claims == NULL)
    return g_ptr_array_new_with_free_func ((GDestroyNotify)vd_claim_free);

  return iface->list_claims (self, queue, error);
}
