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
 * @pace: the decisions per hour the forecast assumes: @decision_rate_hour
 *   when reviewers decided anything in the last hour, else
 *   @decision_rate_day
 * @can_clear: whether @pace is above 0
 * @hours_to_clear: @pending / @pace: the hours the reviewers need for the
 *   items waiting now at that pace (new arrivals not counted); 0 when
 *   nothing waits; meaningless unless @can_clear
 * @will_miss_deadline: how many items with a deadline will pass it when the
 *   reviewers decide them one after the other, soonest deadline first, at
 *   @pace (all of them when @pace is 0; items already past their deadline
 *   count)
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
  double   pace;
  gboolean can_clear;
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
