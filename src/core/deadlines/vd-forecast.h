/* vd-forecast.h
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
#include <json-glib/json-glib.h>

#include "vd-store.h"

G_BEGIN_DECLS

/* The smallest sample the forecast shows a pace from: this many of the
 * reviewers' one-by-one decisions, the first and the last this far apart,
 * in the last hour (or else the last day). */
#define VD_FORECAST_MIN_DECISIONS 5
#define VD_FORECAST_MIN_SPAN      (10 * G_TIME_SPAN_MINUTE)

/**
 * VdForecast:
 * @pending: undecided items (pending, in review, escalated)
 * @with_deadline: of @pending, items with a deadline
 * @arrival_rate_hour: items that arrived (imported or revised) in the last
 *   hour, per hour
 * @arrival_rate_day: items that arrived in the last 24 hours, per hour
 * @decision_rate_hour: reviewers' one-by-one decisions in the last hour, per
 *   hour (automatic decisions, retracted ones and bulk approvals do not
 *   count: they are not the reviewers' pace)
 * @decision_rate_day: ... in the last 24 hours, per hour
 * @has_pace: whether there are enough decisions for a pace worth showing:
 *   at least %VD_FORECAST_MIN_DECISIONS one-by-one decisions spanning at
 *   least %VD_FORECAST_MIN_SPAN, in the last hour or else in the last day
 * @sample_decisions: how many decisions @pace is measured on (those of the
 *   last hour when they are enough, else those of the last day); the
 *   decisions seen when they are not enough
 * @pace: the decisions per hour the forecast assumes: one decision per
 *   median gap between consecutive decisions of the sample, that gap kept
 *   within a factor of two of the sample's average gap (first to last
 *   decision), so that neither a burst of quick decisions nor a break
 *   swings it; 0 unless @has_pace
 * @hours_to_clear: @pending / @pace: the hours the reviewers need for the
 *   items waiting now at that pace (new arrivals not counted); 0 when
 *   nothing waits or unless @has_pace
 * @will_miss_deadline: how many items with a deadline will pass it when the
 *   reviewers decide them one after the other, soonest deadline first, at
 *   @pace (items already past their deadline count); 0 unless @has_pace
 *
 * A forecast of the reviewers' workload, from what the store knows.
 */
typedef struct
{
  guint64  pending;
  guint64  with_deadline;
  double   arrival_rate_hour;
  double   arrival_rate_day;
  double   decision_rate_hour;
  double   decision_rate_day;
  gboolean has_pace;
  guint    sample_decisions;
  double   pace;
  double   hours_to_clear;
  guint64  will_miss_deadline;
} VdForecast;

gboolean  vd_forecast_compute        (VdStore              *store,
                                      const char           *queue,
                                      GDateTime            *now,
                                      VdForecast           *forecast,
                                      GError              **error);
void      vd_forecast_compute_async  (VdStore              *store,
                                      const char           *queue,
                                      GDateTime            *now,
                                      GCancellable         *cancellable,
                                      GAsyncReadyCallback   callback,
                                      gpointer              user_data);
gboolean  vd_forecast_compute_finish (VdStore              *store,
                                      GAsyncResult         *result,
                                      VdForecast           *forecast,
                                      GError              **error);

JsonNode *vd_forecast_to_json        (const VdForecast     *forecast,
                                      const char           *queue);
char     *vd_forecast_describe       (const VdForecast     *forecast);

G_END_DECLS
