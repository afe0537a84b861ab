/* vd-queue-counts.c: the counts and queue names of the queue pane
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

#define G_LOG_DOMAIN "vd-queue-counts"

#include "config.h"

#include "vd-queue-counts.h"

#define STATUS_MASK_PENDING (VD_STATUS_MASK (VD_TASK_STATUS_PENDING) | \
                             VD_STATUS_MASK (VD_TASK_STATUS_IN_REVIEW))

struct _VdQueueCounts
{
  GObject       parent_instance;

  VdStore      *store;
  GCancellable *counts_cancellable;
  GCancellable *queues_cancellable;
  GStrv         queues;
  guint64       store_total;
  guint64       total;
  guint64       pending;
  gboolean      known;

  /* Held: the refreshes asked for meanwhile. */
  gboolean      held;
  gboolean      counts_wanted;
  gboolean      queues_wanted;
  char         *wanted_queue;
};

G_DEFINE_FINAL_TYPE (VdQueueCounts, vd_queue_counts, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STORE,
  PROP_QUEUES,
  N_PROPS
};

enum {
  COUNTED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static gboolean
error_is_cancelled (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
         g_error_matches (error, VD_STORE_ERROR, VD_STORE_ERROR_CANCELLED);
}

/* Counts: the whole store (for the empty page), then the queue shown. */
typedef struct
{
  VdQueueCounts *self;
  GCancellable  *cancellable;
  char          *queue;
  guint          step;
  guint64        counts[3];
} CountsJob;

static void
counts_job_free (CountsJob *job)
{
  g_clear_object (&job->self);
  g_clear_object (&job->cancellable);
  g_clear_pointer (&job->queue, g_free);
  g_free (job);
}

static void counts_job_next (CountsJob *job);

static void
count_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  CountsJob *job = user_data;
  g_autoptr(GError) error = NULL;
  guint64 count = 0;

  if (!vd_store_count_items_finish (VD_STORE (object), result, &count, &error))
    {
      if (!error_is_cancelled (error) && !g_cancellable_is_cancelled (job->cancellable))
        g_warning ("Cannot count the items: %s", error->message);
      counts_job_free (job);
      return;
    }

  if (g_cancellable_is_cancelled (job->cancellable))
    {
      counts_job_free (job);
      return;
    }

  job->counts[job->step++] = count;
  counts_job_next (job);
}

static void
counts_job_next (CountsJob *job)
{
  VdQueueCounts *self = job->self;
  VdItemQuery query = VD_ITEM_QUERY_INIT;

  switch (job->step)
    {
    case 0:
      break;

    case 1:
      query.queue = job->queue;
      query.statuses = STATUS_MASK_PENDING;
      break;

    case 2:
      if (job->queue == NULL)
        {
          job->counts[job->step++] = job->counts[0];
          counts_job_next (job);
          return;
        }
      query.queue = job->queue;
      break;

    default:
      self->store_total = job->counts[0];
      self->pending = job->counts[1];
      self->total = job->counts[2];
      self->known = TRUE;
      if (self->counts_cancellable == job->cancellable)
        g_clear_object (&self->counts_cancellable);
      g_signal_emit (self, signals[COUNTED], 0);
      counts_job_free (job);
      return;
    }

  vd_store_count_items_async (self->store, &query, job->cancellable, count_cb, job);
}

static void
list_queues_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(VdQueueCounts) self = user_data;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) queues = NULL;

  queues = vd_store_list_queues_finish (VD_STORE (object), result, &error);

  if (g_task_get_cancellable (G_TASK (result)) != self->queues_cancellable)
    return;

  g_clear_object (&self->queues_cancellable);

  if (queues == NULL)
    {
      g_warning ("Cannot list the queues: %s", error->message);
      return;
    }

  g_strfreev (self->queues);
  self->queues = g_steal_pointer (&queues);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_QUEUES]);
}

static void
vd_queue_counts_dispose (GObject *object)
{
  VdQueueCounts *self = (VdQueueCounts *)object;

  g_cancellable_cancel (self->counts_cancellable);
  g_clear_object (&self->counts_cancellable);
  g_cancellable_cancel (self->queues_cancellable);
  g_clear_object (&self->queues_cancellable);

  G_OBJECT_CLASS (vd_queue_counts_parent_class)->dispose (object);
}

static void
vd_queue_counts_finalize (GObject *object)
{
  VdQueueCounts *self = (VdQueueCounts *)object;

  g_clear_object (&self->store);
  g_clear_pointer (&self->queues, g_strfreev);
  g_clear_pointer (&self->wanted_queue, g_free);

  G_OBJECT_CLASS (vd_queue_counts_parent_class)->finalize (object);
}

static void
vd_queue_counts_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  VdQueueCounts *self = VD_QUEUE_COUNTS (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_QUEUES:
      g_value_set_boxed (value, self->queues);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vd_queue_counts_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  VdQueueCounts *self = VD_QUEUE_COUNTS (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vd_queue_counts_class_init (VdQueueCountsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = vd_queue_counts_dispose;
  object_class->finalize = vd_queue_counts_finalize;
  object_class->get_property = vd_queue_counts_get_property;
  object_class->set_property = vd_queue_counts_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         VD_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * VdQueueCounts:queues: (nullable)
   *
   * The names of the store's queues, once listed.
   */
  properties[PROP_QUEUES] =
    g_param_spec_boxed ("queues", NULL, NULL,
                        G_TYPE_STRV,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * VdQueueCounts::counted:
   * @self: the counts
   *
   * The counts of a refresh are in.
   */
  signals[COUNTED] =
    g_signal_new ("counted",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
vd_queue_counts_init (VdQueueCounts *self)
{
}

/**
 * vd_queue_counts_new:
 * @store: the store to count in
 *
 * Returns: (transfer full): counts not known yet
 */
VdQueueCounts *
vd_queue_counts_new (VdStore *store)
{
  g_return_val_if_fail (VD_IS_STORE (store), NULL);

  return g_object_new (VD_TYPE_QUEUE_COUNTS, "store", store, NULL);
}

/**
 * vd_queue_counts_refresh:
 * @self: the counts
 * @queue: (nullable): the queue shown, %NULL for all
 *
 * Counts the items of the store, and the pending ones and all of @queue,
 * on worker threads; a refresh still running is dropped.
 */
void
vd_queue_counts_refresh (VdQueueCounts *self,
                         const char    *queue)
{
  CountsJob *job;

  g_return_if_fail (VD_IS_QUEUE_COUNTS (self));

  if (self->held)
    {
      g_autofree char *wanted = g_strdup (queue);

      g_free (self->wanted_queue);
      self->wanted_queue = g_steal_pointer (&wanted);
      self->counts_wanted = TRUE;
      return;
    }

  g_cancellable_cancel (self->counts_cancellable);
  g_clear_object (&self->counts_cancellable);
  self->counts_cancellable = g_cancellable_new ();

  job = g_new0 (CountsJob, 1);
  job->self = g_object_ref (self);
  job->cancellable = g_object_ref (self->counts_cancellable);
  job->queue = g_strdup (queue);
  counts_job_next (job);
}

/**
 * vd_queue_counts_refresh_queues:
 * @self: the counts
 *
 * Lists the names of the store's queues on a worker thread.
 */
void
vd_queue_counts_refresh_queues (VdQueueCounts *self)
{
  g_return_if_fail (VD_IS_QUEUE_COUNTS (self));

  if (self->held)
    {
      self->queues_wanted = TRUE;
      return;
    }

  g_cancellable_cancel (self->queues_cancellable);
  g_clear_object (&self->queues_cancellable);

  self->queues_cancellable = g_cancellable_new ();
  vd_store_list_queues_async (self->store, self->queues_cancellable, list_queues_cb,
                              g_object_ref (self));
}

gboolean
vd_queue_counts_get_held (VdQueueCounts *self)
{
  g_return_val_if_fail (VD_IS_QUEUE_COUNTS (self), FALSE);

  return self->held;
}

/**
 * vd_queue_counts_set_held:
 * @self: the counts
 * @held: whether refreshes wait
 *
 * Letting go runs the last refreshes asked for meanwhile: the names of
 * the queues first, then the counts.
 */
void
vd_queue_counts_set_held (VdQueueCounts *self,
                          gboolean       held)
{
  g_return_if_fail (VD_IS_QUEUE_COUNTS (self));

  held = !!held;
  if (self->held == held)
    return;

  self->held = held;
  if (held)
    return;

  if (self->queues_wanted)
    {
      self->queues_wanted = FALSE;
      vd_queue_counts_refresh_queues (self);
    }
  if (self->counts_wanted)
    {
      g_autofree char *queue = g_steal_pointer (&self->wanted_queue);

      self->counts_wanted = FALSE;
      vd_queue_counts_refresh (self, queue);
    }
}

gboolean
vd_queue_counts_get_known (VdQueueCounts *self)
{
  g_return_val_if_fail (VD_IS_QUEUE_COUNTS (self), FALSE);

  return self->known;
}

guint64
vd_queue_counts_get_store_total (VdQueueCounts *self)
{
  g_return_val_if_fail (VD_IS_QUEUE_COUNTS (self), 0);

  return self->store_total;
}

guint64
vd_queue_counts_get_total (VdQueueCounts *self)
{
  g_return_val_if_fail (VD_IS_QUEUE_COUNTS (self), 0);

  return self->total;
}

guint64
vd_queue_counts_get_pending (VdQueueCounts *self)
{
  g_return_val_if_fail (VD_IS_QUEUE_COUNTS (self), 0);

  return self->pending;
}

/**
 * vd_queue_counts_take_pending:
 * @self: the counts
 *
 * A pending item was decided: one less, before the store says so.
 *
 * Returns: whether the counts changed (they are known, and were above 0)
 */
gboolean
vd_queue_counts_take_pending (VdQueueCounts *self)
{
  g_return_val_if_fail (VD_IS_QUEUE_COUNTS (self), FALSE);

  if (!self->known || self->pending == 0)
    return FALSE;

  self->pending--;

  return TRUE;
}

/**
 * vd_queue_counts_get_queues:
 * @self: the counts
 *
 * Returns: (nullable) (transfer none): the names of the store's queues,
 *   %NULL before they are listed
 */
const char * const *
vd_queue_counts_get_queues (VdQueueCounts *self)
{
  g_return_val_if_fail (VD_IS_QUEUE_COUNTS (self), NULL);

  return (const char * const *) self->queues;
}
