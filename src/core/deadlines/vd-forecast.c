/* vd-forecast.c: the reviewers' workload
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

#define G_LOG_DOMAIN "vd-forecast"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>
#include <inttypes.h>

#include "vd-forecast.h"
#include "vd-timestamp.h"

typedef struct
{
  gint64  after;   /* exclusive */
  gint64  until;   /* inclusive */
  GArray *times;
} CollectData;

static gboolean
collect_time (const VdReviewerDecision *decision,
              gpointer                  user_data)
{
  CollectData *data = user_data;

  if (decision->timestamp > data->after && decision->timestamp <= data->until)
    g_array_append_val (data->times, decision->timestamp);

  return TRUE;
}

static int
compare_times (gconstpointer a,
               gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

static gboolean
is_enough (const gint64 *times,
           guint         n)
{
  return n >= VD_FORECAST_MIN_DECISIONS && times[n - 1] - times[0] >= VD_FORECAST_MIN_SPAN;
}

/* Decisions per hour from @n sorted times (is_enough() holds): one per
 * median gap, the median kept within a factor of two of the average gap.
 * The median ignores a few quick decisions or a break; the bounds keep a
 * small sample that is half burst from claiming the burst's pace. */
static double
pace_of (const gint64 *times,
         guint         n)
{
  g_autoptr(GArray) gaps = g_array_sized_new (FALSE, FALSE, sizeof (gint64), n - 1);
  double mean;
  double median;
  guint mid;

  g_assert (is_enough (times, n));

  for (guint i = 1; i < n; i++)
    {
      gint64 gap = times[i] - times[i - 1];

      g_array_append_val (gaps, gap);
    }
  g_array_sort (gaps, compare_times);

  mid = gaps->len / 2;
  if (gaps->len % 2 == 1)
    median = (double) g_array_index (gaps, gint64, mid);
  else
    median = ((double) g_array_index (gaps, gint64, mid - 1) +
              (double) g_array_index (gaps, gint64, mid)) / 2.0;

  mean = (double) (times[n - 1] - times[0]) / (double) (n - 1);
  median = CLAMP (median, mean / 2.0, mean * 2.0);

  return (double) G_TIME_SPAN_HOUR / median;
}

/* The reviewers' one-by-one decisions of the last day, sorted, and from
 * them the pace: the last hour's when they are enough (the pace right
 * now), else the day's (after a break). */
static gboolean
compute_pace (VdStore     *store,
              const char  *queue,
              GDateTime   *now,
              VdForecast  *forecast,
              GError     **error)
{
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GDateTime) since = g_date_time_add (now, -G_TIME_SPAN_DAY);
  gint64 now_usec = vd_timestamp_to_usec (now);
  CollectData data = { now_usec - G_TIME_SPAN_DAY, now_usec, times };
  const gint64 *all;
  guint first_of_hour = 0;

  if (!vd_store_foreach_reviewer_decision (store, queue, since, collect_time, &data, error))
    return FALSE;

  forecast->has_pace = FALSE;
  forecast->sample_decisions = times->len;
  forecast->pace = 0.0;
  if (times->len < VD_FORECAST_MIN_DECISIONS)
    return TRUE;

  g_array_sort (times, compare_times);
  all = (const gint64 *) (gpointer) times->data;

  while (first_of_hour < times->len && all[first_of_hour] <= now_usec - G_TIME_SPAN_HOUR)
    first_of_hour++;

  if (is_enough (all + first_of_hour, times->len - first_of_hour))
    {
      forecast->has_pace = TRUE;
      forecast->sample_decisions = times->len - first_of_hour;
      forecast->pace = pace_of (all + first_of_hour, times->len - first_of_hour);
    }
  else if (is_enough (all, times->len))
    {
      forecast->has_pace = TRUE;
      forecast->pace = pace_of (all, times->len);
    }

  return TRUE;
}

/**
 * vd_forecast_compute:
 * @store: a store
 * @queue: (nullable): only this queue
 * @now: (nullable): the end of the hour and day looked at, %NULL for now
 * @forecast: (out caller-allocates): the forecast
 * @error: return location for a #GError
 *
 * Computes the forecast with a few SQL aggregates (counts of arrivals,
 * items imported or revised, by import time, and of decisions over the
 * last hour and day), the times of the reviewers' decisions of the last
 * day for the pace, and a simulation of the deadlines at that pace (see
 * #VdForecast). Blocks on the disk: UI code uses
 * vd_forecast_compute_async().
 *
 * Returns: %TRUE on success
 */
gboolean
vd_forecast_compute (VdStore     *store,
                     const char  *queue,
                     GDateTime   *now,
                     VdForecast  *forecast,
                     GError     **error)
{
  g_autoptr(GDateTime) current = NULL;
  VdWorkload workload = { 0, };
  VdForecast out = { 0, };

  g_return_val_if_fail (VD_IS_STORE (store), FALSE);
  g_return_val_if_fail (forecast != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (now == NULL)
    now = current = vd_timestamp_now ();

  if (!vd_store_get_workload (store, queue, now, &workload, error) ||
      !compute_pace (store, queue, now, &out, error))
    return FALSE;

  out.pending = workload.pending;
  out.with_deadline = workload.with_deadline;
  out.arrival_rate_hour = (double) workload.arrivals_hour;
  out.arrival_rate_day = (double) workload.arrivals_day / 24.0;
  out.decision_rate_hour = (double) workload.decisions_hour;
  out.decision_rate_day = (double) workload.decisions_day / 24.0;

  /* Without a pace there is no time to clear and no count of misses: a
   * guess from one or two decisions would be read as a forecast. */
  if (out.has_pace)
    {
      gint64 usec_per_item = (gint64) ceil ((double) G_TIME_SPAN_HOUR / out.pace);

      out.hours_to_clear = (double) workload.pending / out.pace;
      if (workload.with_deadline > 0 &&
          !vd_store_count_late (store, queue, now, MAX (usec_per_item, 1),
                                &out.will_miss_deadline, error))
        return FALSE;
    }

  *forecast = out;
  return TRUE;
}

typedef struct
{
  char       *queue;
  GDateTime  *now;
  VdForecast  forecast;
} ComputeData;

static void
compute_data_free (ComputeData *data)
{
  g_free (data->queue);
  g_clear_pointer (&data->now, g_date_time_unref);
  g_free (data);
}

static void
compute_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  ComputeData *data = task_data;
  GError *error = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;

  if (vd_forecast_compute (source_object, data->queue, data->now, &data->forecast, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * vd_forecast_compute_async:
 * @store: a store
 * @queue: (nullable): only this queue
 * @now: (nullable): the time, %NULL for when the work starts
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Runs vd_forecast_compute() on a worker thread.
 */
void
vd_forecast_compute_async (VdStore             *store,
                           const char          *queue,
                           GDateTime           *now,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ComputeData *data;

  g_return_if_fail (VD_IS_STORE (store));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  data = g_new0 (ComputeData, 1);
  data->queue = g_strdup (queue);
  data->now = now != NULL ? g_date_time_ref (now) : NULL;

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, vd_forecast_compute_async);
  g_task_set_task_data (task, data, (GDestroyNotify) compute_data_free);
  g_task_run_in_thread (task, compute_thread);
}

/**
 * vd_forecast_compute_finish:
 * @store: a store
 * @result: the result passed to the callback
 * @forecast: (out caller-allocates): the forecast
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success
 */
gboolean
vd_forecast_compute_finish (VdStore       *store,
                            GAsyncResult  *result,
                            VdForecast    *forecast,
                            GError       **error)
{
  ComputeData *data;

  g_return_val_if_fail (VD_IS_STORE (store), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, store), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == vd_forecast_compute_async,
                        FALSE);
  g_return_val_if_fail (forecast != NULL, FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;

  data = g_task_get_task_data (G_TASK (result));
  *forecast = data->forecast;
  return TRUE;
}

/**
 * vd_forecast_to_json:
 * @forecast: a forecast
 * @queue: (nullable): the queue it is for, %NULL for all
 *
 * The form of `verdict-cli forecast --json`: an object with `queue` (null
 * for all), `pending`, `arrival_rate_hour`, `arrival_rate_day`,
 * `decision_rate_hour`, `decision_rate_day` (per hour),
 * `sample_decisions`, and `pace` (per hour), `hours_to_clear` and
 * `will_miss_deadline`, all three null while there are not enough
 * decisions for a pace.
 *
 * Returns: (transfer full): the JSON object
 */
JsonNode *
vd_forecast_to_json (const VdForecast *forecast,
                     const char       *queue)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (forecast != NULL, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "queue");
  if (queue != NULL)
    json_builder_add_string_value (builder, queue);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "pending");
  json_builder_add_int_value (builder, (gint64) forecast->pending);
  json_builder_set_member_name (builder, "arrival_rate_hour");
  json_builder_add_double_value (builder, forecast->arrival_rate_hour);
  json_builder_set_member_name (builder, "arrival_rate_day");
  json_builder_add_double_value (builder, forecast->arrival_rate_day);
  json_builder_set_member_name (builder, "decision_rate_hour");
  json_builder_add_double_value (builder, forecast->decision_rate_hour);
  json_builder_set_member_name (builder, "decision_rate_day");
  json_builder_add_double_value (builder, forecast->decision_rate_day);
  json_builder_set_member_name (builder, "sample_decisions");
  json_builder_add_int_value (builder, forecast->sample_decisions);
  json_builder_set_member_name (builder, "pace");
  if (forecast->has_pace)
    json_builder_add_double_value (builder, forecast->pace);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "hours_to_clear");
  if (forecast->has_pace)
    json_builder_add_double_value (builder, forecast->hours_to_clear);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "will_miss_deadline");
  if (forecast->has_pace)
    json_builder_add_int_value (builder, (gint64) forecast->will_miss_deadline);
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/**
 * vd_forecast_describe:
 * @forecast: a forecast
 *
 * Returns: (transfer full): the forecast as a few lines of text for people
 *   (no trailing newline)
 */
char *
vd_forecast_describe (const VdForecast *forecast)
{
  g_autoptr(GString) out = g_string_new (NULL);

  g_return_val_if_fail (forecast != NULL, NULL);

  g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE,
                                            "Waiting: %" PRIu64 " undecided item, %"
                                            PRIu64 " with a deadline\n",
                                            "Waiting: %" PRIu64 " undecided items, %"
                                            PRIu64 " with a deadline\n",
                                            forecast->pending),
                          forecast->pending, forecast->with_deadline);
  g_string_append_printf (out, _("Arrivals: %.2f per hour in the last hour, %.2f per hour over "
                                 "the last day\n"),
                          forecast->arrival_rate_hour, forecast->arrival_rate_day);
  g_string_append_printf (out, _("Decisions: %.2f per hour in the last hour, %.2f per hour "
                                 "over the last day\n"),
                          forecast->decision_rate_hour, forecast->decision_rate_day);

  if (forecast->pending == 0)
    g_string_append (out, _("Nothing waits for a reviewer."));
  else if (!forecast->has_pace)
    g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE,
                                              "Not enough decisions yet to forecast: %u "
                                              "decision in the last day, the pace needs %d "
                                              "over %d minutes.",
                                              "Not enough decisions yet to forecast: %u "
                                              "decisions in the last day, the pace needs %d "
                                              "over %d minutes.",
                                              forecast->sample_decisions),
                            forecast->sample_decisions, VD_FORECAST_MIN_DECISIONS,
                            (int) (VD_FORECAST_MIN_SPAN / G_TIME_SPAN_MINUTE));
  else
    g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE,
                                              "At %.2f decisions per hour (from the last %u) "
                                              "the queue clears in %.2f hours; %" PRIu64
                                              " item will pass its deadline.",
                                              "At %.2f decisions per hour (from the last %u) "
                                              "the queue clears in %.2f hours; %" PRIu64
                                              " items will pass their deadline.",
                                              forecast->will_miss_deadline),
                            forecast->pace, forecast->sample_decisions,
                            forecast->hours_to_clear, forecast->will_miss_deadline);

  return g_string_free (g_steal_pointer (&out), FALSE);
}
