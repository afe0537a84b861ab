/* vd-backpressure.h
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

#pragma once

#include <gio/gio.h>

#include "vd-policy.h"
#include "vd-store.h"

G_BEGIN_DECLS

#define VD_BACKPRESSURE_ERROR (vd_backpressure_error_quark ())

/**
 * VdBackpressureError:
 * @VD_BACKPRESSURE_ERROR_QUEUE_FULL: the queue holds its policy's
 *   `max_pending` undecided items and its `on_full` is `refuse`
 */
typedef enum
{
  VD_BACKPRESSURE_ERROR_QUEUE_FULL,
} VdBackpressureError;

/**
 * VdBackpressure:
 * @VD_BACKPRESSURE_OK: the agent loop may take a new input for the queue
 * @VD_BACKPRESSURE_PAUSE: the queue is full and its `on_full` is
 *   `pause_agent`: wait (vd_backpressure_wait_async()) until reviewers drain
 *   it below the limit
 * @VD_BACKPRESSURE_REFUSE: the queue is full and its `on_full` is `refuse`
 *   (or the store could not count it): refuse the input with the error
 *
 * What the agent loop does with a new input for a queue.
 */
typedef enum
{
  VD_BACKPRESSURE_OK,
  VD_BACKPRESSURE_PAUSE,
  VD_BACKPRESSURE_REFUSE,
} VdBackpressure;

/*
 * Backpressure: a queue that humans cannot keep up with stops growing.
 * The policy's "queues" block gives a queue `max_pending` (undecided items:
 * pending, in review, escalated) and `on_full`. How the agent loop uses it,
 * before it runs the agent on a new input for QUEUE:
 *
 *   switch (vd_backpressure_check (store, policy, queue, in_flight, &pending, &limit,
 *                                  &error))
 *     {
 *     case VD_BACKPRESSURE_OK:     run the agent
 *     case VD_BACKPRESSURE_PAUSE:  tell the user (vd_backpressure_describe_pause())
 *                                  and vd_backpressure_wait_async (), then check again
 *     case VD_BACKPRESSURE_REFUSE: fail the input with error; nothing stored is touched
 *     }
 *
 * in_flight counts the inputs for the queue that the loop already let through
 * but has not stored yet: with several inputs at the agent at once, the
 * limit holds only if each check counts the others. Counting is one indexed
 * COUNT of the queue's undecided items. VdWorkflow does all this in
 * vd_workflow_submit_async() and emits "queue-full" when it starts waiting.
 */

GQuark          vd_backpressure_error_quark      (void);

VdBackpressure  vd_backpressure_check            (VdStore              *store,
                                                  VdPolicy             *policy,
                                                  const char           *queue,
                                                  guint                 in_flight,
                                                  guint64              *pending,
                                                  guint                *limit,
                                                  GError              **error);

void            vd_backpressure_wait_async       (VdStore              *store,
                                                  VdPolicy             *policy,
                                                  const char           *queue,
                                                  guint                 interval_ms,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
gboolean        vd_backpressure_wait_finish      (VdStore              *store,
                                                  GAsyncResult         *result,
                                                  GError              **error);

char           *vd_backpressure_describe_pause   (const char           *queue,
                                                  guint64               pending,
                                                  guint                 limit);

G_END_DECLS
