/* vd-backpressure.c: queue limits for the agent loop
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

#define G_LOG_DOMAIN "vd-backpressure"

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>

#include "vd-backpressure.h"

G_DEFINE_QUARK (vd-backpressure-error-quark, vd_backpressure_error)

/**
 * vd_backpressure_check:
 * @store: a store
 * @policy: the policy with the queue limits
 * @queue: the queue a new input is for
 * @in_flight: inputs for @queue already let through but not stored yet
 * @pending: (out) (optional): the queue's undecided items plus @in_flight
 *   (0 when it has no limit: it is not counted then)
 * @limit: (out) (optional): its `max_pending`, 0 when it has none
 * @error: return location for a #GError
 *
 * Whether the agent loop may take a new input for @queue. Blocks on the
 * disk for one indexed count.
 *
 * Returns: %VD_BACKPRESSURE_OK, %VD_BACKPRESSURE_PAUSE, or
 *   %VD_BACKPRESSURE_REFUSE with @error set: %VD_BACKPRESSURE_ERROR_QUEUE_FULL
 *   ("queue “payments” is full: 500 pending items, the limit is 500; new
 *   inputs are refused"), or the store's error when it could not count
 */
VdBackpressure
vd_backpressure_check (VdStore     *store,
                       VdPolicy    *policy,
                       const char  *queue,
                       guint        in_flight,
                       guint64     *pending,
                       guint       *limit,
                       GError     **error)
{
  VdItemQuery query = VD_ITEM_QUERY_INIT;
  VdQueueFullAction on_full = VD_QUEUE_FULL_PAUSE_AGENT;
  guint max_pending = 0;
  guint64 count = 0;

  g_return_val_if_fail (VD_IS_STORE (store), VD_BACKPRESSURE_REFUSE);
  g_return_val_if_fail (VD_IS_POLICY (policy), VD_BACKPRESSURE_REFUSE);
  g_return_val_if_fail (queue != NULL, VD_BACKPRESSURE_REFUSE);
  g_return_val_if_fail (error == NULL || *error == NULL, VD_BACKPRESSURE_REFUSE);

  if (pending != NULL)
    *pending = 0;
  if (limit != NULL)
    *limit = 0;

  if (!vd_policy_get_queue_limit (policy, queue, &max_pending, &on_full))
    return VD_BACKPRESSURE_OK;

  query.statuses = VD_STATUS_MASK_UNDECIDED;
  query.queue = queue;
  if (!vd_store_count_items (store, &query, &count, error))
    return VD_BACKPRESSURE_REFUSE;
  count += in_flight;

  if (pending != NULL)
    *pending = count;
  if (limit != NULL)
    *limit = max_pending;

  if (count < max_pending)
    return VD_BACKPRESSURE_OK;

  if (on_full == VD_QUEUE_FULL_PAUSE_AGENT)
    return VD_BACKPRESSURE_PAUSE;

  g_set_error (error, VD_BACKPRESSURE_ERROR, VD_BACKPRESSURE_ERROR_QUEUE_FULL,
               g_dngettext (GETTEXT_PACKAGE,
                            "queue “%s” is full: %" PRIu64 " pending item, the limit "
                            "is %u; new inputs are refused",
                            "queue “%s” is full: %" PRIu64 " pending items, the limit "
                            "is %u; new inputs are refused",
                            count),
               queue, count, max_pending);
  return VD_BACKPRESSURE_REFUSE;
}

/**
 * vd_backpressure_describe_pause:
 * @queue: a queue
 * @pending: its undecided items
 * @limit: its limit
 *
 * Returns: (transfer full): the sentence the agent loop shows while it
 *   waits, e.g. "queue payments is full (500 pending, limit 500): waiting
 *   for reviewers…"
 */
char *
vd_backpressure_describe_pause (const char *queue,
                                guint64     pending,
                                guint       limit)
{
  g_return_val_if_fail (queue != NULL, NULL);

  return g_strdup_printf (_("queue %s is full (%" PRIu64 " pending, limit %u): "
                            "waiting for reviewers…"),
                          queue, pending, limit);
}

/* Waiting */

typedef struct
{
  VdPolicy *policy;
  char     *queue;
  guint     interval_ms;
  GSource  *timeout;
} WaitData;

static void
wait_data_free (WaitData *data)
{
  if (data->timeout != NULL)
    {
      g_source_destroy (data->timeout);
      g_source_unref (data->timeout);
    }
  g_clear_object (&data->policy);
  g_free (data->queue);
  g_free (data);
}

static void poll_queue (GTask *task);

static void
count_thread (GTask        *inner,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  WaitData *data = task_data;
  GError *error = NULL;
  VdBackpressure state;

  state = vd_backpressure_check (source_object, data->policy, data->queue, 0, NULL, NULL,
                                 &error);
  if (error != NULL)
    g_task_return_error (inner, error);
  else
    g_task_return_int (inner, state);
}

static gboolean
on_interval (gpointer user_data)
{
  GTask *task = user_data;
  WaitData *data = g_task_get_task_data (task);

  g_clear_pointer (&data->timeout, g_source_unref);
  poll_queue (task);

  return G_SOURCE_REMOVE;
}

static void
on_counted (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  WaitData *data = g_task_get_task_data (task);
  GError *error = NULL;
  gssize state;

  state = g_task_propagate_int (G_TASK (result), &error);
  if (error != NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (state != VD_BACKPRESSURE_PAUSE)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  if (g_task_return_error_if_cancelled (task))
    return;

  /* Still full: look again after the interval, on the caller's context. */
  data->timeout = g_timeout_source_new (data->interval_ms);
  g_source_set_static_name (data->timeout, "[verdict] backpressure wait");
  g_task_attach_source (task, data->timeout, on_interval);
}

static void
poll_queue (GTask *task)
{
  g_autoptr(GTask) inner = NULL;
  WaitData *data = g_task_get_task_data (task);

  if (g_task_return_error_if_cancelled (task))
    return;

  /* The count runs on a worker thread: the caller may be a UI thread. */
  inner = g_task_new (g_task_get_source_object (task), g_task_get_cancellable (task),
                      on_counted, g_object_ref (task));
  g_task_set_source_tag (inner, poll_queue);
  g_task_set_task_data (inner, data, NULL);
  g_task_run_in_thread (inner, count_thread);
}

/**
 * vd_backpressure_wait_async:
 * @store: a store
 * @policy: the policy with the queue limits
 * @queue: a queue
 * @interval_ms: how often to count the queue again while it is full
 * @cancellable: (nullable): a #GCancellable; the wait ends with
 *   %G_IO_ERROR_CANCELLED at the next count
 * @callback: called when @queue is below its limit (or has none)
 * @user_data: data for @callback
 *
 * Waits, without blocking the calling thread, until reviewers have drained
 * @queue below its `max_pending`: counts it now and then every
 * @interval_ms (each count on a worker thread).
 */
void
vd_backpressure_wait_async (VdStore             *store,
                            VdPolicy            *policy,
                            const char          *queue,
                            guint                interval_ms,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  WaitData *data;

  g_return_if_fail (VD_IS_STORE (store));
  g_return_if_fail (VD_IS_POLICY (policy));
  g_return_if_fail (queue != NULL);
  g_return_if_fail (interval_ms > 0);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  data = g_new0 (WaitData, 1);
  data->policy = g_object_ref (policy);
  data->queue = g_strdup (queue);
  data->interval_ms = interval_ms;

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, vd_backpressure_wait_async);
  g_task_set_task_data (task, data, (GDestroyNotify) wait_data_free);
  poll_queue (task);
}

/**
 * vd_backpressure_wait_finish:
 * @store: a store
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Returns: %TRUE when the queue is below its limit; %FALSE with @error set
 *   when cancelled or the store could not count
 */
gboolean
vd_backpressure_wait_finish (VdStore       *store,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (VD_IS_STORE (store), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, store), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == vd_backpressure_wait_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
