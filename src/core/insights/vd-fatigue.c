/* vd-fatigue.c: signs of rubber-stamping in a reviewer's decisions
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

#define G_LOG_DOMAIN "vd-fatigue"

#include "config.h"

#include "vd-fatigue.h"
#include "vd-timestamp.h"

G_DEFINE_BOXED_TYPE (VdFatigueReport, vd_fatigue_report, vd_fatigue_report_copy,
                     vd_fatigue_report_free)

/**
 * vd_fatigue_options_init:
 * @options: (out caller-allocates): the options to fill
 *
 * Sets @options to the defaults: sessions break at a 30-minute pause, an
 * approval is fast under 3 s or under a quarter of the reviewer's median,
 * 10 fast approvals in a row or 90 minutes without a pause raise a signal.
 */
void
vd_fatigue_options_init (VdFatigueOptions *options)
{
  g_return_if_fail (options != NULL);

  options->session_gap_usec = 30 * G_TIME_SPAN_MINUTE;
  options->fast_floor_ms = 3000;
  options->fast_fraction = 0.25;
  options->fast_streak_signal = 10;
  options->long_session_usec = 90 * G_TIME_SPAN_MINUTE;
}

/**
 * vd_fatigue_report_copy:
 * @report: a report
 *
 * Returns: (transfer full): a deep copy of @report
 */
VdFatigueReport *
vd_fatigue_report_copy (const VdFatigueReport *report)
{
  VdFatigueReport *copy;

  g_return_val_if_fail (report != NULL, NULL);

  copy = g_memdup2 (report, sizeof *report);
  copy->sessions = g_array_copy (report->sessions);

  return copy;
}

/**
 * vd_fatigue_report_free:
 * @report: (nullable): a report
 *
 * Frees @report and its sessions.
 */
void
vd_fatigue_report_free (VdFatigueReport *report)
{
  if (report == NULL)
    return;

  g_clear_pointer (&report->sessions, g_array_unref);
  g_free (report);
}

static int
compare_durations (gconstpointer a,
                   gconstpointer b)
{
  gint64 da = *(const gint64 *) a;
  gint64 db = *(const gint64 *) b;

  return (da > db) - (da < db);
}

static int
compare_by_time (gconstpointer a,
                 gconstpointer b,
                 gpointer      user_data G_GNUC_UNUSED)
{
  const VdFatigueDecision *da = *(const VdFatigueDecision * const *) a;
  const VdFatigueDecision *db = *(const VdFatigueDecision * const *) b;

  return (da->timestamp > db->timestamp) - (da->timestamp < db->timestamp);
}

/* The @percent-th percentile of @durations by nearest rank: the value at the
 * 1-based rank ceil(percent * n / 100) once sorted. Sorts @durations. */
static gint64
nearest_rank (GArray *durations,
              guint   percent)
{
  gsize rank;

  g_assert (percent > 0 && percent <= 100);

  if (durations->len == 0)
    return 0;

  g_array_sort (durations, compare_durations);
  rank = ((gsize) percent * durations->len + 99) / 100;

  return g_array_index (durations, gint64, rank - 1);
}

static gboolean
is_approval (const VdFatigueDecision *decision)
{
  return decision->kind == VD_DECISION_KIND_APPROVE && !decision->modified;
}

static gboolean
agrees (const VdFatigueDecision *decision)
{
  return g_strcmp0 (vd_decision_kind_to_string (decision->kind),
                    decision->expected_decision) == 0;
}

/* Fills in the figures of the session made of @decisions[@first..@last]. */
static void
compute_session (const VdFatigueDecision **decisions,
                 gsize                     first,
                 gsize                     last,
                 const VdFatigueReport    *report,
                 VdFatigueSession         *session,
                 guint64                  *trailing_streak)
{
  g_autoptr(GArray) durations = g_array_sized_new (FALSE, FALSE, sizeof (gint64),
                                                   (guint) (last - first + 1));
  guint64 streak = 0;

  session->start = decisions[first]->timestamp;
  session->end = decisions[last]->timestamp;

  for (gsize i = first; i <= last; i++)
    {
      const VdFatigueDecision *decision = decisions[i];

      session->decisions++;
      g_array_append_val (durations, decision->duration_ms);

      if (is_approval (decision))
        session->approvals++;

      if (is_approval (decision) && (double) decision->duration_ms < report->fast_limit_ms)
        {
          streak++;
          session->longest_fast_streak = MAX (session->longest_fast_streak, streak);
        }
      else
        {
          streak = 0;
        }

      if (decision->expected_decision != NULL)
        {
          session->checks_seen++;
          if (agrees (decision))
            session->checks_agreed++;
        }
    }

  session->approval_rate = (double) session->approvals / (double) session->decisions;
  session->p10_ms = nearest_rank (durations, 10);
  session->median_ms = nearest_rank (durations, 50);
  session->fast_streak_signal = report->options.fast_streak_signal > 0 &&
                                session->longest_fast_streak >= report->options.fast_streak_signal;
  session->long_session_signal = report->options.long_session_usec > 0 &&
                                 session->end - session->start >= report->options.long_session_usec;

  *trailing_streak = streak;
}

/**
 * vd_fatigue_compute:
 * @decisions: (array length=n_decisions): one reviewer's decisions, in time
 *   order (they are put in order when they are not)
 * @n_decisions: the number of @decisions
 * @now: the current time, in microseconds since the Unix epoch
 * @team_approval_rate: the team's approval rate on the same queue, negative
 *   when unknown
 * @options: (nullable): the thresholds, %NULL for the defaults
 *
 * Cuts the decisions into sessions where two consecutive decisions are at
 * least the session gap apart and computes the figures of #VdFatigueReport.
 *
 * Returns: (transfer full): the report
 */
VdFatigueReport *
vd_fatigue_compute (const VdFatigueDecision *decisions,
                    gsize                    n_decisions,
                    gint64                   now,
                    double                   team_approval_rate,
                    const VdFatigueOptions  *options)
{
  g_autofree const VdFatigueDecision **ordered = NULL;
  g_autoptr(GArray) durations = NULL;
  VdFatigueReport *report;
  guint64 trailing_streak = 0;
  gsize first = 0;

  g_return_val_if_fail (decisions != NULL || n_decisions == 0, NULL);
  g_return_val_if_fail (n_decisions <= G_MAXINT, NULL);

  report = g_new0 (VdFatigueReport, 1);
  if (options != NULL)
    report->options = *options;
  else
    vd_fatigue_options_init (&report->options);
  report->now = now;
  report->team_approval_rate = team_approval_rate;
  report->sessions = g_array_new (FALSE, TRUE, sizeof (VdFatigueSession));
  report->on_break = TRUE;

  if (n_decisions == 0)
    {
      report->fast_limit_ms = (double) report->options.fast_floor_ms;
      return report;
    }

  /* g_qsort_with_data() is stable: decisions at the same time keep their
   * order. */
  ordered = g_new (const VdFatigueDecision *, n_decisions);
  for (gsize i = 0; i < n_decisions; i++)
    ordered[i] = &decisions[i];
  g_qsort_with_data (ordered, (int) n_decisions, sizeof *ordered, compare_by_time, NULL);

  durations = g_array_sized_new (FALSE, FALSE, sizeof (gint64), (guint) n_decisions);
  for (gsize i = 0; i < n_decisions; i++)
    {
      report->decisions++;
      g_array_append_val (durations, ordered[i]->duration_ms);
      if (is_approval (ordered[i]))
        report->approvals++;
      if (ordered[i]->expected_decision != NULL)
        {
          report->checks_seen++;
          if (agrees (ordered[i]))
            report->checks_agreed++;
        }
    }

  report->approval_rate = (double) report->approvals / (double) report->decisions;
  report->p10_ms = nearest_rank (durations, 10);
  report->median_ms = nearest_rank (durations, 50);
  report->fast_limit_ms = MAX ((double) report->options.fast_floor_ms,
                               report->options.fast_fraction * (double) report->median_ms);

  for (gsize i = 1; i <= n_decisions; i++)
    {
      VdFatigueSession session = { 0, };

      if (i < n_decisions &&
          ordered[i]->timestamp - ordered[i - 1]->timestamp < report->options.session_gap_usec)
        continue;

      compute_session (ordered, first, i - 1, report, &session, &trailing_streak);
      g_array_append_val (report->sessions, session);
      first = i;
    }

  if (now - ordered[n_decisions - 1]->timestamp < report->options.session_gap_usec)
    {
      const VdFatigueSession *current = &g_array_index (report->sessions, VdFatigueSession,
                                                        report->sessions->len - 1);

      report->on_break = FALSE;
      report->time_since_break_usec = MAX (now - current->start, 0);
      report->current_fast_streak = trailing_streak;
      report->fast_streak_signal = report->options.fast_streak_signal > 0 &&
                                   trailing_streak >= report->options.fast_streak_signal;
      report->no_pause_signal = report->options.long_session_usec > 0 &&
                                report->time_since_break_usec >= report->options.long_session_usec;
    }

  return report;
}

static void
add_time (JsonBuilder *builder,
          const char  *name,
          gint64       usec)
{
  g_autoptr(GDateTime) datetime = vd_timestamp_from_usec (usec);
  g_autofree char *text = vd_timestamp_format (datetime);

  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, text);
}

static void
add_known_answer (JsonBuilder *builder,
                  guint64      seen,
                  guint64      agreed)
{
  json_builder_set_member_name (builder, "known_answer");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "seen");
  json_builder_add_int_value (builder, (gint64) seen);
  json_builder_set_member_name (builder, "agreed");
  json_builder_add_int_value (builder, (gint64) agreed);
  json_builder_set_member_name (builder, "agreement");
  if (seen > 0)
    json_builder_add_double_value (builder, (double) agreed / (double) seen);
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);
}

static void
add_session (JsonBuilder            *builder,
             const VdFatigueSession *session)
{
  json_builder_begin_object (builder);
  add_time (builder, "start", session->start);
  add_time (builder, "end", session->end);
  json_builder_set_member_name (builder, "duration_ms");
  json_builder_add_int_value (builder, (session->end - session->start) / 1000);
  json_builder_set_member_name (builder, "decisions");
  json_builder_add_int_value (builder, (gint64) session->decisions);
  json_builder_set_member_name (builder, "approval_rate");
  json_builder_add_double_value (builder, session->approval_rate);
  json_builder_set_member_name (builder, "median_ms");
  json_builder_add_int_value (builder, session->median_ms);
  json_builder_set_member_name (builder, "p10_ms");
  json_builder_add_int_value (builder, session->p10_ms);
  json_builder_set_member_name (builder, "longest_fast_streak");
  json_builder_add_int_value (builder, (gint64) session->longest_fast_streak);
  add_known_answer (builder, session->checks_seen, session->checks_agreed);
  json_builder_set_member_name (builder, "signals");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "fast_streak");
  json_builder_add_boolean_value (builder, session->fast_streak_signal);
  json_builder_set_member_name (builder, "long_session");
  json_builder_add_boolean_value (builder, session->long_session_signal);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
}

/**
 * vd_fatigue_report_to_json:
 * @report: a report
 * @reviewer_id: (nullable): whose report it is
 *
 * The form of one reviewer in `verdict-cli reviewers --json`: an object with
 * `reviewer` (when given), `decisions`, `approval_rate` and `median_ms`,
 * `p10_ms` (null without decisions), `team_approval_rate` (null when
 * unknown), `fast_limit_ms`, `known_answer` (`seen`, `agreed` and
 * `agreement`, null when none was seen), `on_break`, `time_since_break_ms`
 * (null on a break), `current_fast_streak`, `signals` (`fast_streak`,
 * `no_pause`) and `sessions`, an array of objects with `start` and `end`
 * (RFC 3339, UTC), `duration_ms`, `decisions`, `approval_rate`,
 * `median_ms`, `p10_ms`, `longest_fast_streak`, `known_answer` and
 * `signals` (`fast_streak`, `long_session`).
 *
 * Returns: (transfer full): the JSON object
 */
JsonNode *
vd_fatigue_report_to_json (const VdFatigueReport *report,
                           const char            *reviewer_id)
{
  g_autoptr(JsonBuilder) builder = NULL;
  gboolean any;

  g_return_val_if_fail (report != NULL, NULL);

  builder = json_builder_new ();
  any = report->decisions > 0;

  json_builder_begin_object (builder);
  if (reviewer_id != NULL)
    {
      json_builder_set_member_name (builder, "reviewer");
      json_builder_add_string_value (builder, reviewer_id);
    }
  json_builder_set_member_name (builder, "decisions");
  json_builder_add_int_value (builder, (gint64) report->decisions);
  json_builder_set_member_name (builder, "approval_rate");
  json_builder_add_double_value (builder, report->approval_rate);
  json_builder_set_member_name (builder, "team_approval_rate");
  if (report->team_approval_rate >= 0.0)
    json_builder_add_double_value (builder, report->team_approval_rate);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "median_ms");
  if (any)
    json_builder_add_int_value (builder, report->median_ms);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "p10_ms");
  if (any)
    json_builder_add_int_value (builder, report->p10_ms);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "fast_limit_ms");
  json_builder_add_double_value (builder, report->fast_limit_ms);
  add_known_answer (builder, report->checks_seen, report->checks_agreed);
  json_builder_set_member_name (builder, "on_break");
  json_builder_add_boolean_value (builder, report->on_break);
  json_builder_set_member_name (builder, "time_since_break_ms");
  if (!report->on_break)
    json_builder_add_int_value (builder, report->time_since_break_usec / 1000);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "current_fast_streak");
  json_builder_add_int_value (builder, (gint64) report->current_fast_streak);
  json_builder_set_member_name (builder, "signals");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "fast_streak");
  json_builder_add_boolean_value (builder, report->fast_streak_signal);
  json_builder_set_member_name (builder, "no_pause");
  json_builder_add_boolean_value (builder, report->no_pause_signal);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "sessions");
  json_builder_begin_array (builder);
  for (guint i = 0; i < report->sessions->len; i++)
    add_session (builder, &g_array_index (report->sessions, VdFatigueSession, i));
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}
