/* vd-insights.c: the statistics, reviewers' figures, calibration and
 * feedback summary of a store
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

#define G_LOG_DOMAIN "vd-insights"

#include "config.h"

#include <string.h>

#include "vd-insights.h"
#include "vd-timestamp.h"

G_DEFINE_BOXED_TYPE (VdInsights, vd_insights, vd_insights_copy, vd_insights_free)

#define DEFAULT_TIMELINE_DAYS 30

/**
 * vd_insights_query_init:
 * @query: (out caller-allocates): the query to fill
 *
 * Sets @query to its defaults: every queue and task type, all time, now,
 * the target %VD_CALIBRATION_DEFAULT_TARGET, the default fatigue options
 * and a 30-day timeline. @now %NULL means the time of the computation.
 */
void
vd_insights_query_init (VdInsightsQuery *query)
{
  g_return_if_fail (query != NULL);

  memset (query, 0, sizeof *query);
  query->target = VD_CALIBRATION_DEFAULT_TARGET;
  vd_fatigue_options_init (&query->fatigue);
  query->timeline_days = DEFAULT_TIMELINE_DAYS;
}

static void
reviewer_clear (gpointer data)
{
  VdInsightsReviewer *reviewer = data;

  g_clear_pointer (&reviewer->reviewer_id, g_free);
  g_clear_pointer (&reviewer->report, vd_fatigue_report_free);
}

static void
reviewer_free (gpointer data)
{
  reviewer_clear (data);
  g_free (data);
}

static VdInsightsReviewer *
reviewer_new (const char      *reviewer_id,
              VdFatigueReport *report)
{
  VdInsightsReviewer *reviewer = g_new0 (VdInsightsReviewer, 1);

  reviewer->reviewer_id = g_strdup (reviewer_id);
  reviewer->report = report;

  return reviewer;
}

static VdInsights *
insights_new (void)
{
  VdInsights *insights = g_new0 (VdInsights, 1);

  insights->timeline = g_array_new (FALSE, TRUE, sizeof (VdInsightsDay));
  insights->reviewers = g_ptr_array_new_with_free_func (reviewer_free);

  return insights;
}

/**
 * vd_insights_copy:
 * @insights: the figures
 *
 * Returns: (transfer full): a deep copy of @insights
 */
VdInsights *
vd_insights_copy (const VdInsights *insights)
{
  VdInsights *copy;

  g_return_val_if_fail (insights != NULL, NULL);

  copy = insights_new ();
  copy->stats = insights->stats;
  g_array_append_vals (copy->timeline, insights->timeline->data, insights->timeline->len);
  if (insights->calibration != NULL)
    copy->calibration = vd_calibration_copy (insights->calibration);
  for (guint i = 0; i < insights->reviewers->len; i++)
    {
      const VdInsightsReviewer *reviewer = g_ptr_array_index (insights->reviewers, i);

      g_ptr_array_add (copy->reviewers,
                       reviewer_new (reviewer->reviewer_id,
                                     vd_fatigue_report_copy (reviewer->report)));
    }
  if (insights->feedback != NULL)
    copy->feedback = vd_feedback_summary_copy (insights->feedback);
  copy->improvement_areas = g_strdupv (insights->improvement_areas);

  return copy;
}

/**
 * vd_insights_free:
 * @insights: (transfer full): the figures
 */
void
vd_insights_free (VdInsights *insights)
{
  if (insights == NULL)
    return;

  g_clear_pointer (&insights->timeline, g_array_unref);
  g_clear_pointer (&insights->calibration, vd_calibration_free);
  g_clear_pointer (&insights->reviewers, g_ptr_array_unref);
  g_clear_pointer (&insights->feedback, vd_feedback_summary_free);
  g_clear_pointer (&insights->improvement_areas, g_strfreev);
  g_free (insights);
}

static gboolean
set_cancelled (GCancellable  *cancellable,
               GError       **error)
{
  return g_cancellable_set_error_if_cancelled (cancellable, error);
}

/* The decisions over time: one range count per local day. */
static gboolean
compute_timeline (VdStore                *store,
                  const VdInsightsQuery  *query,
                  GDateTime              *now,
                  GArray                 *timeline,
                  GCancellable           *cancellable,
                  GError                **error)
{
  g_autoptr(GDateTime) local = g_date_time_to_local (now);
  g_autoptr(GDateTime) today = NULL;
  int year, month, day;

  g_date_time_get_ymd (local, &year, &month, &day);
  today = g_date_time_new (g_date_time_get_timezone (local), year, month, day, 0, 0, 0.0);

  for (guint i = 0; i < query->timeline_days; i++)
    {
      int offset = (int) i - (int) query->timeline_days + 1;
      g_autoptr(GDateTime) from = g_date_time_add_days (today, offset);
      g_autoptr(GDateTime) to = g_date_time_add_days (today, offset + 1);
      VdDecisionCounts counts;
      VdInsightsDay entry;

      if (set_cancelled (cancellable, error) ||
          !vd_store_count_decisions (store, query->queue, from, to, &counts, error))
        return FALSE;

      entry.day = g_date_time_to_unix (from);
      entry.approved = counts.approved;
      entry.rejected = counts.rejected;
      entry.modified = counts.modified;
      entry.escalated = counts.escalated;
      entry.automatic = counts.automatic;
      g_array_append_val (timeline, entry);
    }

  return TRUE;
}

typedef struct
{
  GArray       *observations;
  GStringChunk *strings;
  GCancellable *cancellable;
} CalibrationData;

static const char *
keep_string (GStringChunk *strings,
             const char   *text)
{
  return text != NULL ? g_string_chunk_insert_const (strings, text) : NULL;
}

static gboolean
add_observation (const VdCalibrationObservation *observation,
                 gpointer                        user_data)
{
  CalibrationData *data = user_data;
  VdCalibrationObservation copy = *observation;

  copy.task_type = keep_string (data->strings, observation->task_type);
  copy.model = keep_string (data->strings, observation->model);
  g_array_append_val (data->observations, copy);

  return !g_cancellable_is_cancelled (data->cancellable);
}

/**
 * vd_insights_compute_calibration:
 * @store: a store
 * @query: the queue, task type and target
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * The calibration part of vd_insights_compute(): one `GROUP BY` over the
 * decisions reviewers took one by one.
 *
 * Returns: (transfer full): the figures, or %NULL with @error set
 */
VdCalibration *
vd_insights_compute_calibration (VdStore                *store,
                                 const VdInsightsQuery  *query,
                                 GCancellable           *cancellable,
                                 GError                **error)
{
  g_autoptr(GArray) observations = g_array_new (FALSE, FALSE, sizeof (VdCalibrationObservation));
  GStringChunk *strings = g_string_chunk_new (256);
  CalibrationData data = { observations, strings, cancellable };
  VdCalibration *calibration = NULL;

  if (vd_store_foreach_calibration (store, query->queue, query->task_type,
                                    add_observation, &data, error) &&
      !set_cancelled (cancellable, error))
    calibration = vd_calibration_compute ((const VdCalibrationObservation *) observations->data,
                                          observations->len, query->target);

  g_string_chunk_free (strings);

  return calibration;
}

typedef struct
{
  const VdInsightsQuery *query;
  gint64                 now;
  double                 team_rate;
  GPtrArray             *reviewers;
  char                  *current;
  GArray                *decisions;
  GCancellable          *cancellable;
} ReviewersData;

static void
finish_reviewer (ReviewersData *data)
{
  VdFatigueReport *report;

  if (data->current == NULL)
    return;

  report = vd_fatigue_compute ((const VdFatigueDecision *) data->decisions->data,
                               data->decisions->len, data->now, data->team_rate,
                               &data->query->fatigue);
  g_ptr_array_add (data->reviewers, reviewer_new (data->current, report));
  g_clear_pointer (&data->current, g_free);
  g_array_set_size (data->decisions, 0);
}

/* The expected decision as a string that outlives the row. */
static const char *
static_expected (const char *expected)
{
  VdDecisionKind kind;

  if (expected == NULL)
    return NULL;
  if (vd_decision_kind_from_string (expected, &kind))
    return vd_decision_kind_to_string (kind);

  return g_intern_string (expected);
}

static gboolean
add_reviewer_decision (const VdReviewerDecision *decision,
                       gpointer                  user_data)
{
  ReviewersData *data = user_data;
  VdFatigueDecision entry;

  if (g_strcmp0 (data->current, decision->reviewer_id) != 0)
    {
      finish_reviewer (data);
      data->current = g_strdup (decision->reviewer_id);
    }

  entry.timestamp = decision->timestamp;
  entry.duration_ms = decision->duration_ms;
  entry.kind = decision->kind;
  entry.modified = decision->modified;
  entry.expected_decision = static_expected (decision->expected_decision);
  g_array_append_val (data->decisions, entry);

  return !g_cancellable_is_cancelled (data->cancellable);
}

static gboolean
compute_reviewers (VdStore                *store,
                   const VdInsightsQuery  *query,
                   gint64                  now,
                   GPtrArray              *reviewers,
                   GCancellable           *cancellable,
                   GError                **error)
{
  g_assert (reviewers != NULL);

  ReviewersData data = { 0, };
  guint64 decisions = 0;
  guint64 approvals = 0;
  gboolean ok;

  if (!vd_store_get_approval_rate (store, query->queue, query->since,
                                   &decisions, &approvals, error))
    return FALSE;

  data.query = query;
  data.now = now;
  data.team_rate = decisions > 0 ? (double) approvals / (double) decisions : -1.0;
  data.reviewers = reviewers;
  data.decisions = g_array_new (FALSE, FALSE, sizeof (VdFatigueDecision));
  data.cancellable = cancellable;

  ok = vd_store_foreach_reviewer_decision (store, query->queue, query->since,
                                           add_reviewer_decision, &data, error) &&
       !set_cancelled (cancellable, error);
  if (ok)
    finish_reviewer (&data);

  g_clear_pointer (&data.current, g_free);
  g_array_unref (data.decisions);

  return ok;
}

typedef struct
{
  GArray       *records;
  GStringChunk *strings;
  GCancellable *cancellable;
} FeedbackData;

static gboolean
add_record (const VdFeedbackRecord *record,
            gpointer                user_data)
{
  FeedbackData *data = user_data;
  VdFeedbackRecord copy = { 0, };

  /* Only what the summary counts: the category and the judgement. */
  copy.was_helpful = record->was_helpful;
  copy.category = keep_string (data->strings, record->category);
  copy.timestamp = record->timestamp;
  g_array_append_val (data->records, copy);

  return !g_cancellable_is_cancelled (data->cancellable);
}

/**
 * vd_insights_compute_feedback:
 * @store: a store
 * @queue: (nullable): only this queue
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * The feedback summary part of vd_insights_compute().
 *
 * Returns: (transfer full): the summary, or %NULL with @error set
 */
VdFeedbackSummary *
vd_insights_compute_feedback (VdStore                *store,
                              const char             *queue,
                              GCancellable           *cancellable,
                              GError                **error)
{
  g_autoptr(GArray) records = g_array_new (FALSE, FALSE, sizeof (VdFeedbackRecord));
  g_auto(GStrv) suggestions = NULL;
  GStringChunk *strings = g_string_chunk_new (256);
  FeedbackData data = { records, strings, cancellable };
  VdFeedbackSummary *summary = NULL;

  if (vd_store_foreach_feedback (store, queue, FALSE, add_record, &data, error) &&
      !set_cancelled (cancellable, error) &&
      (suggestions = vd_store_list_suggestions (store, queue, error)) != NULL)
    summary = vd_feedback_summary_compute ((const VdFeedbackRecord *) records->data,
                                           records->len,
                                           (const char * const *) suggestions);

  g_string_chunk_free (strings);

  return summary;
}

/**
 * vd_insights_compute:
 * @store: a store
 * @query: what to compute
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Computes every figure of the statistics page from the store's aggregates
 * and one pass over the decisions in range. Blocks on disk: UI code uses
 * vd_insights_compute_async().
 *
 * Returns: (transfer full): the figures, or %NULL with @error set
 */
VdInsights *
vd_insights_compute (VdStore                *store,
                     const VdInsightsQuery  *query,
                     GCancellable           *cancellable,
                     GError                **error)
{
  g_autoptr(VdInsights) insights = NULL;
  g_autoptr(GDateTime) now = NULL;

  g_return_val_if_fail (VD_IS_STORE (store), NULL);
  g_return_val_if_fail (query != NULL, NULL);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  now = query->now != NULL ? g_date_time_ref (query->now) : vd_timestamp_now ();
  insights = insights_new ();

  if (set_cancelled (cancellable, error) ||
      !vd_store_get_stats (store, query->queue, &insights->stats, error) ||
      !compute_timeline (store, query, now, insights->timeline, cancellable, error))
    return NULL;

  insights->calibration = vd_insights_compute_calibration (store, query, cancellable, error);
  if (insights->calibration == NULL)
    return NULL;

  if (!compute_reviewers (store, query, vd_timestamp_to_usec (now), insights->reviewers,
                          cancellable, error))
    return NULL;

  insights->feedback = vd_insights_compute_feedback (store, query->queue, cancellable, error);
  if (insights->feedback == NULL)
    return NULL;

  insights->improvement_areas = vd_feedback_summary_get_improvement_areas (insights->feedback);

  if (!vd_agreement_add_from_store (&insights->agreement, store, query->queue, query->since,
                                    now, cancellable, error))
    return NULL;
  vd_agreement_compute (&insights->agreement);

  return g_steal_pointer (&insights);
}

/**
 * vd_insights_compute_reviewers:
 * @store: a store
 * @query: the queue, since, now and fatigue options
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * The reviewers part of vd_insights_compute().
 *
 * Returns: (transfer full) (element-type VdInsightsReviewer): the
 *   reviewers sorted by id, or %NULL with @error set
 */
GPtrArray *
vd_insights_compute_reviewers (VdStore                *store,
                               const VdInsightsQuery  *query,
                               GCancellable           *cancellable,
                               GError                **error)
{
  g_autoptr(GPtrArray) reviewers = g_ptr_array_new_with_free_func (reviewer_free);
  g_autoptr(GDateTime) now = NULL;

  g_return_val_if_fail (VD_IS_STORE (store), NULL);
  g_return_val_if_fail (query != NULL, NULL);

  now = query->now != NULL ? g_date_time_ref (query->now) : vd_timestamp_now ();
  if (!compute_reviewers (store, query, vd_timestamp_to_usec (now), reviewers, cancellable,
                          error))
    return NULL;

  return g_steal_pointer (&reviewers);
}

/* The query with its strings and times owned, for a worker thread. */
typedef struct
{
  VdInsightsQuery  query;
  char            *queue;
  char            *task_type;
} QueryCopy;

static void
query_copy_free (QueryCopy *copy)
{
  g_free (copy->queue);
  g_free (copy->task_type);
  g_clear_pointer (&copy->query.since, g_date_time_unref);
  g_clear_pointer (&copy->query.now, g_date_time_unref);
  g_free (copy);
}

static QueryCopy *
query_copy_new (const VdInsightsQuery *query)
{
  QueryCopy *copy = g_new0 (QueryCopy, 1);

  copy->query = *query;
  copy->queue = g_strdup (query->queue);
  copy->task_type = g_strdup (query->task_type);
  copy->query.queue = copy->queue;
  copy->query.task_type = copy->task_type;
  copy->query.since = query->since != NULL ? g_date_time_ref (query->since) : NULL;
  /* Fixed now, not when the thread gets to it. */
  copy->query.now = query->now != NULL ? g_date_time_ref (query->now) : vd_timestamp_now ();

  return copy;
}

static void
compute_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  QueryCopy *copy = task_data;
  GError *error = NULL;
  VdInsights *insights;

  insights = vd_insights_compute (source_object, &copy->query, cancellable, &error);
  if (insights == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, insights, (GDestroyNotify) vd_insights_free);
}

/**
 * vd_insights_compute_async:
 * @store: a store
 * @query: what to compute; copied
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the figures are ready
 * @user_data: data for @callback
 *
 * Runs vd_insights_compute() on a worker thread.
 */
void
vd_insights_compute_async (VdStore                *store,
                           const VdInsightsQuery  *query,
                           GCancellable           *cancellable,
                           GAsyncReadyCallback     callback,
                           gpointer                user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (VD_IS_STORE (store));
  g_return_if_fail (query != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, vd_insights_compute_async);
  g_task_set_task_data (task, query_copy_new (query), (GDestroyNotify) query_copy_free);
  g_task_run_in_thread (task, compute_thread);
}

/**
 * vd_insights_compute_finish:
 * @store: a store
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the figures, or %NULL with @error set
 */
VdInsights *
vd_insights_compute_finish (VdStore       *store,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (VD_IS_STORE (store), NULL);
  g_return_val_if_fail (g_task_is_valid (result, store), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == vd_insights_compute_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * vd_insights_find_reviewer:
 * @insights: the figures
 * @reviewer_id: a reviewer id
 *
 * Returns: (nullable) (transfer none): the reviewer's figures, or %NULL
 *   when the reviewer decided nothing in range
 */
const VdInsightsReviewer *
vd_insights_find_reviewer (const VdInsights *insights,
                           const char       *reviewer_id)
{
  g_return_val_if_fail (insights != NULL, NULL);
  g_return_val_if_fail (reviewer_id != NULL, NULL);

  for (guint i = 0; i < insights->reviewers->len; i++)
    {
      const VdInsightsReviewer *reviewer = g_ptr_array_index (insights->reviewers, i);

      if (g_strcmp0 (reviewer->reviewer_id, reviewer_id) == 0)
        return reviewer;
    }

  return NULL;
}
