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

#include "vd-audit-event.h"
#include "vd-decision.h"
#include "vd-item.h"
#include "vd-store.h"

G_DEFINE_QUARK (vd-store-error-quark, vd_store_error)

G_DEFINE_INTERFACE (VdStore, vd_store, G_TYPE_OBJECT)

static void
vd_store_default_init (VdStoreInterface *iface)
{
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

  return VD_STORE_GET_IFACE (self)->import_items (self, source, items, result,
                                                  progress, progress_data,
                                                  cancellable, error);
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
 * vd_store_verify_audit:
 * @self: a store
 * @bad_seq: (out) (optional): on failure, the first bad sequence number
 * @n_checked: (out) (optional): the number of events that checked out
 * @error: return location for a #GError
 *
 * Walks the whole audit trail and checks its hash chain, and that nothing
 * is missing from its end. On failure, @error names the first bad sequence
 * number and the problem; a database error sets @bad_seq to 0.
 *
 * Returns: %TRUE if the trail is intact
 */
gboolean
vd_store_verify_audit (VdStore  *self,
                       gint64   *bad_seq,
                       guint64  *n_checked,
                       GError  **error)
{
  g_return_val_if_fail (VD_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return VD_STORE_GET_IFACE (self)->verify_audit (self, bad_seq, n_checked, error);
}

/* Asynchronous variants */

typedef struct
{
  VdItemQuery  query;
  char        *queue;
  char        *search;
  char        *task_type;
} ListIdsData;

static void
list_ids_data_free (ListIdsData *data)
{
  g_free (data->queue);
  g_free (data->search);
  g_free (data->task_type);
  g_free (data);
}

static void
list_ids_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  ListIdsData *data = task_data;
  GError *error = NULL;
  GArray *ids;

  if (g_task_return_error_if_cancelled (task))
    return;

  ids = vd_store_list_ids (source_object, &data->query, &error);
  if (ids == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, ids, (GDestroyNotify)g_array_unref);
}

/**
 * vd_store_list_ids_async:
 * @self: a store
 * @query: what to list; copied
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Runs vd_store_list_ids() on a worker thread.
 */
void
vd_store_list_ids_async (VdStore             *self,
                         const VdItemQuery   *query,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ListIdsData *data;

  g_return_if_fail (VD_IS_STORE (self));
  g_return_if_fail (query != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  data = g_new0 (ListIdsData, 1);
  data->query = *query;
  data->queue = g_strdup (query->queue);
  data->search = g_strdup (query->search);
  data->task_type = g_strdup (query->task_type);
  data->query.queue = data->queue;
  data->query.search = data->search;
  data->query.task_type = data->task_type;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vd_store_list_ids_async);
  g_task_set_task_data (task, data, (GDestroyNotify)list_ids_data_free);
  g_task_run_in_thread (task, list_ids_thread);
}

/**
 * vd_store_list_ids_finish:
 * @self: a store
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (element-type gint64): the row ids, or %NULL
 *   with @error set
 */
GArray *
vd_store_list_ids_finish (VdStore       *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (VD_IS_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == vd_store_list_ids_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
get_items_by_id_thread (GTask        *task,
                        gpointer      source_object,
                        gpointer      task_data,
                        GCancellable *cancellable)
{
  GArray *ids = task_data;
  GError *error = NULL;
  GPtrArray *items;

  if (g_task_return_error_if_cancelled (task))
    return;

  items = vd_store_get_items_by_id (source_object, (const gint64 *)(gpointer)ids->data,
                                    ids->len, &error);
  if (items == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, items, (GDestroyNotify)g_ptr_array_unref);
}

/**
 * vd_store_get_items_by_id_async:
 * @self: a store
 * @ids: (array length=n_ids): row ids; copied
 * @n_ids: the number of ids
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Runs vd_store_get_items_by_id() on a worker thread.
 */
void
vd_store_get_items_by_id_async (VdStore             *self,
                                const gint64        *ids,
                                guint                n_ids,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GArray *copy;

  g_return_if_fail (VD_IS_STORE (self));
  g_return_if_fail (ids != NULL || n_ids == 0);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  copy = g_array_sized_new (FALSE, FALSE, sizeof (gint64), n_ids);
  g_array_append_vals (copy, ids, n_ids);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vd_store_get_items_by_id_async);
  g_task_set_task_data (task, copy, (GDestroyNotify)g_array_unref);
  g_task_run_in_thread (task, get_items_by_id_thread);
}

/**
 * vd_store_get_items_by_id_finish:
 * @self: a store
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer container) (element-type VdItem): the items, or %NULL
 *   with @error set
 */
GPtrArray *
vd_store_get_items_by_id_finish (VdStore       *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (VD_IS_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        vd_store_get_items_by_id_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
record_decision_thread (GTask        *task,
                        gpointer      source_object,
                        gpointer      task_data,
                        GCancellable *cancellable)
{
  GError *error = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;

  if (vd_store_record_decision (source_object, task_data, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * vd_store_record_decision_async:
 * @self: a store
 * @decision: a human decision; the store fills in its id and audit link
 * @cancellable: (nullable): a #GCancellable; it only prevents a decision
 *   that was not yet started from being written
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Runs vd_store_record_decision() on a worker thread.
 */
void
vd_store_record_decision_async (VdStore             *self,
                                VdDecision          *decision,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (VD_IS_STORE (self));
  g_return_if_fail (VD_IS_DECISION (decision));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vd_store_record_decision_async);
  g_task_set_task_data (task, g_object_ref (decision), g_object_unref);
  g_task_run_in_thread (task, record_decision_thread);
}

/**
 * vd_store_record_decision_finish:
 * @self: a store
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Returns: %TRUE if the decision was saved
 */
gboolean
vd_store_record_decision_finish (VdStore       *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (VD_IS_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        vd_store_record_decision_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

typedef struct
{
  char    *queue;
  VdStats  stats;
} StatsData;

static void
stats_data_free (StatsData *data)
{
  g_free (data->queue);
  g_free (data);
}

static void
get_stats_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  StatsData *data = task_data;
  GError *error = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;

  if (vd_store_get_stats (source_object, data->queue, &data->stats, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * vd_store_get_stats_async:
 * @self: a store
 * @queue: (nullable): only this queue
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Runs vd_store_get_stats() on a worker thread.
 */
void
vd_store_get_stats_async (VdStore             *self,
                          const char          *queue,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  StatsData *data;

  g_return_if_fail (VD_IS_STORE (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  data = g_new0 (StatsData, 1);
  data->queue = g_strdup (queue);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vd_store_get_stats_async);
  g_task_set_task_data (task, data, (GDestroyNotify)stats_data_free);
  g_task_run_in_thread (task, get_stats_thread);
}

/**
 * vd_store_get_stats_finish:
 * @self: a store
 * @result: the result passed to the callback
 * @stats: (out caller-allocates): the statistics
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success
 */
gboolean
vd_store_get_stats_finish (VdStore       *self,
                           GAsyncResult  *result,
                           VdStats       *stats,
                           GError       **error)
{
  StatsData *data;

  g_return_val_if_fail (VD_IS_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == vd_store_get_stats_async,
                        FALSE);
  g_return_val_if_fail (stats != NULL, FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;

  data = g_task_get_task_data (G_TASK (result));
  *stats = data->stats;

  return TRUE;
}
