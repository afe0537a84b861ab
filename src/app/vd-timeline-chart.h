/* vd-timeline-chart.h
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

#include <gtk/gtk.h>

#include "vd-insights.h"

G_BEGIN_DECLS

#define VD_TYPE_TIMELINE_CHART (vd_timeline_chart_get_type ())

G_DECLARE_FINAL_TYPE (VdTimelineChart, vd_timeline_chart, VD, TIMELINE_CHART, GtkWidget)

/*
 * Decisions over time: one stacked bar per day (approved, modified,
 * rejected, escalated by a human, and the automatic ones), drawn in the
 * theme's colours. The same figures are available as text for screen
 * readers and a table view.
 */

GtkWidget *vd_timeline_chart_new             (void);
void       vd_timeline_chart_set_days        (VdTimelineChart *self,
                                              GArray          *days);
guint      vd_timeline_chart_get_n_days      (VdTimelineChart *self);
char      *vd_timeline_chart_dup_text        (VdTimelineChart *self);
guint      vd_timeline_chart_get_n_snapshots (VdTimelineChart *self);

G_END_DECLS
