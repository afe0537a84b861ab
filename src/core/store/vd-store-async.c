/* vd-store-async.c
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

/* Asynchronous variants */

/* Runs @thread_func on a worker thread in a task that holds @task_data,
 * tagged with the *_async wrapper that started it and named after it, as
 * g_task_set_source_tag() would. */
static void
run_in_thread (VdStore             *self,
               gpointer             source_tag,
               const char          *name,
               gpointer             task_data,
               GDestroyNotify       task_data_free,
               GTaskThreadFunc      thread_func,
               GCancellable        *cancellable,
               GAsyncReadyCallback  callback,
               gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_name (task, name);
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, task_data, task_data_free);
  g_task_run_in_thread (task, thread_func);
}

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

  run_in_thread (self, vd_store_list_ids_async, "vd_store_list_ids_async",
                 data, (GDestroyNotify)list_ids_data_free, list_ids_thread,
                 cancellable, callback, user_data);
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
read_attachment_thread (GTask        *task,
                        gpointer      source_object,
                        gpointer      task_data,
                        GCancellable *cancellable)
{
  GError *error = NULL;
  GBytes *bytes;

  if (g_task_return_error_if_cancelled (task))
    return;

  bytes = vd_store_read_attachment (source_object, task_data, cancellable, &error);
  if (bytes == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, bytes, (GDestroyNotify)g_bytes_unref);
}

/**
 * vd_store_read_attachment_async:
 * @self: a store
 * @sha256: an attachment's SHA-256; copied
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Runs vd_store_read_attachment() on a worker thread.
 */
void
vd_store_read_attachment_async (VdStore             *self,
                                const char          *sha256,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (VD_IS_STORE (self));
  g_return_if_fail (sha256 != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  run_in_thread (self, vd_store_read_attachment_async, "vd_store_read_attachment_async",
                 g_strdup (sha256), g_free, read_attachment_thread,
                 cancellable, callback, user_data);
}

/**
 * vd_store_read_attachment_finish:
 * @self: a store
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the bytes, or %NULL with @error set
 */
GBytes *
vd_store_read_attachment_finish (VdStore       *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (VD_IS_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        vd_store_read_attachment_async, NULL);

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
  GArray *copy;

  g_return_if_fail (VD_IS_STORE (self));
  g_return_if_fail (ids != NULL || n_ids == 0);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  copy = g_array_sized_new (FALSE, FALSE, sizeof (gint64), n_ids);
  g_array_append_vals (copy, ids, n_ids);

  run_in_thread (self, vd_store_get_items_by_id_async, "vd_store_get_items_by_id_async",
                 copy, (GDestroyNotify)g_array_unref, get_items_by_id_thread,
                 cancellable, callback, user_data);
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
  g_return_if_fail (VD_IS_STORE (self));
  g_return_if_fail (VD_IS_DECISION (decision));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  run_in_thread (self, vd_store_record_decision_async, "vd_store_record_decision_async",
                 g_object_ref (decision), g_object_unref, record_decision_thread,
                 cancellable, callback, user_data);
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

static void
append_audit_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  GError *error = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;

  if (vd_store_append_audit (source_object, task_data, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * vd_store_append_audit_async:
 * @self: a store
 * @event: an unsealed event; the store seals it (sequence number, hash)
 * @cancellable: (nullable): a #GCancellable; it only prevents an event that
 *   was not yet started from being written
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Runs vd_store_append_audit() on a worker thread (e.g. for the window's
 * fatigue prompts, event "fatigue_prompt").
 */
void
vd_store_append_audit_async (VdStore             *self,
                             VdAuditEvent        *event,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (VD_IS_STORE (self));
  g_return_if_fail (VD_IS_AUDIT_EVENT (event));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  run_in_thread (self, vd_store_append_audit_async, "vd_store_append_audit_async",
                 g_object_ref (event), g_object_unref, append_audit_thread,
                 cancellable, callback, user_data);
}

/**
 * vd_store_append_audit_finish:
 * @self: a store
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Returns: %TRUE if the event was appended
 */
gboolean
vd_store_append_audit_finish (VdStore       *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (VD_IS_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        vd_store_append_audit_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

typedef struct
{
  gint64  decision_id;
  char   *reviewer_id;
  char   *reason;
} RetractData;

static void
retract_data_free (RetractData *data)
{
  g_free (data->reviewer_id);
  g_free (data->reason);
  g_free (data);
}

static void
retract_decision_thread (GTask        *task,
                         gpointer      source_object,
                         gpointer      task_data,
                         GCancellable *cancellable)
{
  RetractData *data = task_data;
  GError *error = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;

  if (vd_store_retract_decision (source_object, data->decision_id, data->reviewer_id,
                                 data->reason, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * vd_store_retract_decision_async:
 * @self: a store
 * @decision_id: the row id of a human decision
 * @reviewer_id: the reviewer who took it
 * @reason: (nullable): why, for the audit trail
 * @cancellable: (nullable): a #GCancellable; it only prevents a retraction
 *   that was not yet started from being written
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Runs vd_store_retract_decision() on a worker thread.
 */
void
vd_store_retract_decision_async (VdStore             *self,
                                 gint64               decision_id,
                                 const char          *reviewer_id,
                                 const char          *reason,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  RetractData *data;

  g_return_if_fail (VD_IS_STORE (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  data = g_new0 (RetractData, 1);
  data->decision_id = decision_id;
  data->reviewer_id = g_strdup (reviewer_id);
  data->reason = g_strdup (reason);

  run_in_thread (self, vd_store_retract_decision_async, "vd_store_retract_decision_async",
                 data, (GDestroyNotify)retract_data_free, retract_decision_thread,
                 cancellable, callback, user_data);
}

/**
 * vd_store_retract_decision_finish:
 * @self: a store
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Returns: %TRUE if the decision was retracted
 */
gboolean
vd_store_retract_decision_finish (VdStore       *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (VD_IS_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        vd_store_retract_decision_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

typedef struct
{
  ListIdsData  list;
  guint64      count;
} CountData;

static void
count_data_free (CountData *data)
{
  g_free (data->list.queue);
  g_free (data->list.search);
  g_free (data->list.task_type);
  g_free (data);
}

static void
count_items_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  CountData *data = task_data;
  GError *error = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;

  if (vd_store_count_items (source_object, &data->list.query, &data->count, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * vd_store_count_items_async:
 * @self: a store
 * @query: what to count; copied
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Runs vd_store_count_items() on a worker thread.
 */
void
vd_store_count_items_async (VdStore             *self,
                            const VdItemQuery   *query,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  CountData *data;

  g_return_if_fail (VD_IS_STORE (self));
  g_return_if_fail (query != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  data = g_new0 (CountData, 1);
  data->list.query = *query;
  data->list.queue = g_strdup (query->queue);
  data->list.search = g_strdup (query->search);
  data->list.task_type = g_strdup (query->task_type);
  data->list.query.queue = data->list.queue;
  data->list.query.search = data->list.search;
  data->list.query.task_type = data->list.task_type;

  run_in_thread (self, vd_store_count_items_async, "vd_store_count_items_async",
                 data, (GDestroyNotify)count_data_free, count_items_thread,
                 cancellable, callback, user_data);
}

/**
 * vd_store_count_items_finish:
 * @self: a store
 * @result: the result passed to the callback
 * @count: (out): the number of matching items
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success
 */
gboolean
vd_store_count_items_finish (VdStore       *self,
                             GAsyncResult  *result,
                             guint64       *count,
                             GError       **error)
{
  CountData *data;

  g_return_val_if_fail (VD_IS_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == vd_store_count_items_async,
                        FALSE);
  g_return_val_if_fail (count != NULL, FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;

  data = g_task_get_task_data (G_TASK (result));
  *count = data->count;

  return TRUE;
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
  StatsData *data;

  g_return_if_fail (VD_IS_STORE (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  data = g_new0 (StatsData, 1);
  data->queue = g_strdup (queue);

  run_in_thread (self, vd_store_get_stats_async, "vd_store_get_stats_async",
                 data, (GDestroyNotify)stats_data_free, get_stats_thread,
                 cancellable, callback, user_data);
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

static void
list_queues_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  GError *error = NULL;
  GStrv queues;

  if (g_task_return_error_if_cancelled (task))
    return;

  queues = vd_store_list_queues (source_object, &error);
  if (queues != NULL)
    g_task_return_pointer (task, queues, (GDestroyNotify) g_strfreev);
  else
    g_task_return_error (task, error);
}

/**
 * vd_store_list_queues_async:
 * @self: a store
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Runs vd_store_list_queues() on a worker thread.
 */
void
vd_store_list_queues_async (VdStore             *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_return_if_fail (VD_IS_STORE (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  run_in_thread (self, vd_store_list_queues_async, "vd_store_list_queues_async",
                 NULL, NULL, list_queues_thread, cancellable, callback, user_data);
}

/**
 * vd_store_list_queues_finish:
 * @self: a store
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the queue names, sorted, or %NULL with @error set
 */
GStrv
vd_store_list_queues_finish (VdStore       *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (VD_IS_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        vd_store_list_queues_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

typedef struct
{
  gint64    item_id;
  char     *reviewer_id;
  guint     lease_seconds;
  char     *queue;
  VdClaim  *claim;    /* the claim in force after the call, or NULL */
} ClaimData;

static void
claim_data_free (ClaimData *data)
{
  g_free (data->reviewer_id);
  g_free (data->queue);
  g_clear_pointer (&data->claim, vd_claim_free);
  g_free (data);
}

static void
claim_item_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  ClaimData *data = task_data;
  g_auto(VdClaim) claim = { 0, };
  GError *error = NULL;
  gboolean ok;

  if (g_task_return_error_if_cancelled (task))
    return;

  ok = vd_store_claim_item (source_object, data->item_id, data->reviewer_id,
                            data->lease_seconds, &claim, &error);
  if (claim.reviewer_id != NULL)
    data->claim = vd_claim_copy (&claim);

  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * vd_store_claim_item_async:
 * @self: a store
 * @item_id: the row id of an undecided item
 * @reviewer_id: who claims it
 * @lease_seconds: how long the claim lasts from now
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Runs vd_store_claim_item() on a worker thread.
 */
void
vd_store_claim_item_async (VdStore             *self,
                           gint64               item_id,
                           const char          *reviewer_id,
                           guint                lease_seconds,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  ClaimData *data;

  g_return_if_fail (VD_IS_STORE (self));
  g_return_if_fail (reviewer_id != NULL);
  g_return_if_fail (lease_seconds > 0);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  data = g_new0 (ClaimData, 1);
  data->item_id = item_id;
  data->reviewer_id = g_strdup (reviewer_id);
  data->lease_seconds = lease_seconds;

  run_in_thread (self, vd_store_claim_item_async, "vd_store_claim_item_async",
                 data, (GDestroyNotify)claim_data_free, claim_item_thread,
                 cancellable, callback, user_data);
}

/**
 * vd_store_claim_item_finish:
 * @self: a store
 * @result: the result passed to the callback
 * @claim: (out) (optional) (nullable) (transfer full): the claim in force
 *   after the call, as for vd_store_claim_item(): the other reviewer's on
 *   %VD_STORE_ERROR_CLAIMED; %NULL when there is none
 * @error: return location for a #GError
 *
 * Returns: %TRUE if the reviewer holds the claim
 */
gboolean
vd_store_claim_item_finish (VdStore       *self,
                            GAsyncResult  *result,
                            VdClaim      **claim,
                            GError       **error)
{
  ClaimData *data;

  g_return_val_if_fail (VD_IS_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        vd_store_claim_item_async, FALSE);

  data = g_task_get_task_data (G_TASK (result));
  if (claim != NULL)
    *claim = g_steal_pointer (&data->claim);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
release_claim_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  ClaimData *data = task_data;
  GError *error = NULL;

  /* Not cancellable: a release asked for is a release done. */
  if (vd_store_release_claim (source_object, data->item_id, data->reviewer_id, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * vd_store_release_claim_async:
 * @self: a store
 * @item_id: the item's row id
 * @reviewer_id: whose claim to release
 * @cancellable: (nullable): a #GCancellable; the release runs anyway
 * @callback: (nullable): called when done
 * @user_data: data for @callback
 *
 * Runs vd_store_release_claim() on a worker thread. The task holds a
 * reference on @self until it is done, so a window that closes can release
 * its claim and forget about it.
 */
void
vd_store_release_claim_async (VdStore             *self,
                              gint64               item_id,
                              const char          *reviewer_id,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  ClaimData *data;

  g_return_if_fail (VD_IS_STORE (self));
  g_return_if_fail (reviewer_id != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  data = g_new0 (ClaimData, 1);
  data->item_id = item_id;
  data->reviewer_id = g_strdup (reviewer_id);

  run_in_thread (self, vd_store_release_claim_async, "vd_store_release_claim_async",
                 data, (GDestroyNotify)claim_data_free, release_claim_thread,
                 cancellable, callback, user_data);
}

/**
 * vd_store_release_claim_finish:
 * @self: a store
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success
 */
gboolean
vd_store_release_claim_finish (VdStore       *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (VD_IS_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        vd_store_release_claim_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
list_claims_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  ClaimData *data = task_data;
  GError *error = NULL;
  GPtrArray *claims;

  if (g_task_return_error_if_cancelled (task))
    return;

  claims = vd_store_list_claims (source_object, data->queue, &error);
  if (claims != NULL)
    g_task_return_pointer (task, claims, (GDestroyNotify)g_ptr_array_unref);
  else
    g_task_return_error (task, error);
}

/**
 * vd_store_list_claims_async:
 * @self: a store
 * @queue: (nullable): only this queue's items
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Runs vd_store_list_claims() on a worker thread.
 */
void
vd_store_list_claims_async (VdStore             *self,
                            const char          *queue,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  ClaimData *data;

  g_return_if_fail (VD_IS_STORE (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  data = g_new0 (ClaimData, 1);
  data->queue = g_strdup (queue);

  run_in_thread (self, vd_store_list_claims_async, "vd_store_list_claims_async",
                 data, (GDestroyNotify)claim_data_free, list_claims_thread,
                 cancellable, callback, user_data);
}

/**
 * vd_store_list_claims_finish:
 * @self: a store
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (element-type VdClaim): the unexpired claims
 */
GPtrArray *
vd_store_list_claims_finish (VdStore       *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (VD_IS_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        vd_store_list_claims_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
