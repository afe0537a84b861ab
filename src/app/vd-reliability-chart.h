/* vd-reliability-chart.h
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

#include "vd-calibration.h"

G_BEGIN_DECLS

#define VD_TYPE_RELIABILITY_CHART (vd_reliability_chart_get_type ())

G_DECLARE_FINAL_TYPE (VdReliabilityChart, vd_reliability_chart, VD, RELIABILITY_CHART, GtkWidget)

/*
 * The reliability diagram: the agent's stated confidence (x) against how
 * often a human approved the output unchanged (y), one bar per confidence
 * bin labelled with its item count, a point at the bin's mean confidence,
 * and the diagonal of perfect calibration.
 */

GtkWidget *vd_reliability_chart_new             (void);
void       vd_reliability_chart_set_group       (VdReliabilityChart       *self,
                                                 const VdCalibrationGroup *group);
guint64    vd_reliability_chart_get_count       (VdReliabilityChart       *self);
char      *vd_reliability_chart_dup_text        (VdReliabilityChart       *self);
guint      vd_reliability_chart_get_n_snapshots (VdReliabilityChart       *self);

G_END_DECLS
