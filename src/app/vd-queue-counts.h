/* vd-queue-counts.h
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

#include "vd-core.h"

G_BEGIN_DECLS

#define VD_TYPE_QUEUE_COUNTS (vd_queue_counts_get_type ())

G_DECLARE_FINAL_TYPE (VdQueueCounts, vd_queue_counts, VD, QUEUE_COUNTS, GObject)

/*
 * What the queue pane says about a store: how many items it holds, how
 * many of a queue's are pending, and the names of its queues. Counted in
 * SQL on worker threads, one count at a time (a million rows take a
 * while): a new refresh drops the one running. "counted" when the counts
 * of a refresh are in; notify::queues when the names are. While held,
 * refreshes wait (the store answers one query at a time, and the first
 * items on screen come first); the last ones asked for run when let go.
 */

VdQueueCounts      *vd_queue_counts_new             (VdStore       *store);
void                vd_queue_counts_refresh         (VdQueueCounts *self,
                                                     const char    *queue);
void                vd_queue_counts_refresh_queues  (VdQueueCounts *self);
gboolean            vd_queue_counts_get_held        (VdQueueCounts *self);
void                vd_queue_counts_set_held        (VdQueueCounts *self,
                                                     gboolean       held);
gboolean            vd_queue_counts_get_known       (VdQueueCounts *self);
guint64             vd_queue_counts_get_store_total (VdQueueCounts *self);
guint64             vd_queue_counts_get_total       (VdQueueCounts *self);
guint64             vd_queue_counts_get_pending     (VdQueueCounts *self);
gboolean            vd_queue_counts_take_pending    (VdQueueCounts *self);
const char * const *vd_queue_counts_get_queues      (VdQueueCounts *self);

G_END_DECLS
