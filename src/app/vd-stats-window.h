/* vd-stats-window.h
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

#include <adwaita.h>

#include "vd-core.h"
#include "vd-insights.h"
#include "vd-session.h"

G_BEGIN_DECLS

#define VD_TYPE_STATS_WINDOW (vd_stats_window_get_type ())

G_DECLARE_FINAL_TYPE (VdStatsWindow, vd_stats_window, VD, STATS_WINDOW, AdwWindow)

/*
 * The statistics view: the reference's statistics, decisions over time,
 * the reliability diagram with the suggested thresholds (applied only on
 * the reviewer's confirmation), the reviewers' figures and the feedback
 * summary, for all queues or one. The figures are computed on a worker
 * thread (vd_insights_compute_async()); closing the window cancels them.
 */

VdStatsWindow    *vd_stats_window_new                  (VdSession      *session);
void              vd_stats_window_refresh              (VdStatsWindow  *self);
const char       *vd_stats_window_get_queue            (VdStatsWindow  *self);
void              vd_stats_window_set_queue            (VdStatsWindow  *self,
                                                        const char     *queue);

/* The state shown, for the tests. */
const char       *vd_stats_window_get_page             (VdStatsWindow  *self);
const VdInsights *vd_stats_window_get_insights         (VdStatsWindow  *self);
guint             vd_stats_window_get_n_computed       (VdStatsWindow  *self);
GtkWidget        *vd_stats_window_get_timeline_chart   (VdStatsWindow  *self);
GtkWidget        *vd_stats_window_get_reliability_chart (VdStatsWindow *self);
guint             vd_stats_window_get_n_queues         (VdStatsWindow  *self);

G_END_DECLS
