/* vd-insights.h
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

#include "vd-agreement.h"
#include "vd-calibration.h"
#include "vd-fatigue.h"
#include "vd-feedback-summary.h"
#include "vd-store.h"

G_BEGIN_DECLS

/**
 * VdInsightsQuery:
 * @queue: (nullable): one queue, or %NULL for all
 * @task_type: (nullable): one task type, or %NULL for all (calibration only)
 * @since: (nullable): only decisions at or after this time (reviewers,
 *   timeline), or %NULL for all
 * @now: the time the figures are computed at (sessions, breaks)
 * @target: the calibration target rate, e.g. 0.95
 * @fatigue: the thresholds of the fatigue signals
 * @timeline_days: how many days the decisions-over-time series covers,
 *   ending on @now's day (local time)
 *
 * What vd_insights_compute() computes. Initialise with
 * vd_insights_query_init().
 */
typedef struct
{
  const char       *queue;
  const char       *task_type;
  GDateTime        *since;
  GDateTime        *now;
  double            target;
  VdFatigueOptions  fatigue;
  guint             timeline_days;
} VdInsightsQuery;

/**
 * VdInsightsDay:
 * @day: the start of the day, local time, as a Unix time in seconds
 * @approved: human approvals that day (not retracted)
 * @rejected: human rejections
 * @modified: human modifications
 * @escalated: human escalations
 * @automatic: decisions by the policy, the deadline fallback or a bulk
 *   approve's automatic part
 *
 * One day of the decisions-over-time series.
 */
typedef struct
{
  gint64  day;
  guint64 approved;
  guint64 rejected;
  guint64 modified;
  guint64 escalated;
  guint64 automatic;
} VdInsightsDay;

/**
 * VdInsightsReviewer:
 * @reviewer_id: who
 * @report: the fatigue figures of this reviewer (vd_fatigue_compute())
 *
 * One reviewer's figures.
 */
typedef struct
{
  char            *reviewer_id;
  VdFatigueReport *report;
} VdInsightsReviewer;

/**
 * VdInsights:
 * @stats: the reference's statistics
 * @timeline: (element-type VdInsightsDay): decisions per day, oldest
 *   first, exactly timeline_days entries
 * @calibration: stated confidence against human approval
 * @reviewers: (element-type VdInsightsReviewer): sorted by reviewer id
 * @feedback: the feedback loop's summary
 * @improvement_areas: (array zero-terminated=1): categories that need work
 * @agreement: how often the two reviewers of four-eyes items agreed, over
 *   the same range as the reviewers' figures
 *
 * Everything the statistics page and the report commands show. Every figure
 * comes from SQL aggregates or from one pass over the decisions in range:
 * nothing loads the items themselves.
 */
typedef struct
{
  VdStats            stats;
  GArray            *timeline;
  VdCalibration     *calibration;
  GPtrArray         *reviewers;
  VdFeedbackSummary *feedback;
  char             **improvement_areas;
  VdAgreement        agreement;
} VdInsights;

void        vd_insights_query_init     (VdInsightsQuery        *query);

#define VD_TYPE_INSIGHTS (vd_insights_get_type ())
GType       vd_insights_get_type       (void) G_GNUC_CONST;
VdInsights *vd_insights_copy           (const VdInsights       *insights);
void        vd_insights_free           (VdInsights             *insights);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VdInsights, vd_insights_free)

VdInsights *vd_insights_compute        (VdStore                *store,
                                        const VdInsightsQuery  *query,
                                        GCancellable           *cancellable,
                                        GError                **error);
void        vd_insights_compute_async  (VdStore                *store,
                                        const VdInsightsQuery  *query,
                                        GCancellable           *cancellable,
                                        GAsyncReadyCallback     callback,
                                        gpointer                user_data);
VdInsights *vd_insights_compute_finish (VdStore                *store,
                                        GAsyncResult           *result,
                                        GError                **error);

const VdInsightsReviewer *vd_insights_find_reviewer (const VdInsights *insights,
                                                     const char       *reviewer_id);

/* The parts of vd_insights_compute(), for a caller that needs only one
 * (e.g. one command of verdict-cli). Each blocks on disk. */
GPtrArray          *vd_insights_compute_reviewers   (VdStore                *store,
                                                     const VdInsightsQuery  *query,
                                                     GCancellable           *cancellable,
                                                     GError                **error);
VdCalibration      *vd_insights_compute_calibration (VdStore                *store,
                                                     const VdInsightsQuery  *query,
                                                     GCancellable           *cancellable,
                                                     GError                **error);
VdFeedbackSummary  *vd_insights_compute_feedback    (VdStore                *store,
                                                     const char             *queue,
                                                     GCancellable           *cancellable,
                                                     GError                **error);

G_END_DECLS
