/* test-fatigue.c
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

#define G_LOG_DOMAIN "test-fatigue"

#include "config.h"

#include "vd-fatigue.h"

/* 2026-05-28T20:26:40Z */
#define T0 (G_GINT64_CONSTANT (1780000000) * G_USEC_PER_SEC)
#define MINUTES(m) ((gint64) (m) * G_TIME_SPAN_MINUTE)
#define SECONDS(s) ((gint64) (s) * G_TIME_SPAN_SECOND)

#define A VD_DECISION_KIND_APPROVE
#define R VD_DECISION_KIND_REJECT
#define M VD_DECISION_KIND_MODIFY
#define E VD_DECISION_KIND_ESCALATE_FURTHER

static GArray *
decisions_new (void)
{
  return g_array_new (FALSE, TRUE, sizeof (VdFatigueDecision));
}

static void
add (GArray         *decisions,
     gint64          timestamp,
     VdDecisionKind  kind,
     gint64          duration_ms)
{
  VdFatigueDecision decision = {
    .timestamp = timestamp,
    .duration_ms = duration_ms,
    .kind = kind,
  };

  g_array_append_val (decisions, decision);
}

static VdFatigueReport *
compute (GArray                 *decisions,
         gint64                  now,
         const VdFatigueOptions *options)
{
  return vd_fatigue_compute ((const VdFatigueDecision *) decisions->data, decisions->len, now,
                             -1.0, options);
}

static const VdFatigueSession *
session (const VdFatigueReport *report,
         guint                  i)
{
  g_assert_cmpuint (i, <, report->sessions->len);

  return &g_array_index (report->sessions, VdFatigueSession, i);
}

static void
test_options_defaults (void)
{
  VdFatigueOptions options;

  vd_fatigue_options_init (&options);
  g_assert_cmpint (options.session_gap_usec, ==, 30 * G_TIME_SPAN_MINUTE);
  g_assert_cmpint (options.fast_floor_ms, ==, 3000);
  g_assert_cmpfloat (options.fast_fraction, ==, 0.25);
  g_assert_cmpuint (options.fast_streak_signal, ==, 10);
  g_assert_cmpint (options.long_session_usec, ==, 90 * G_TIME_SPAN_MINUTE);
}

/* Nearest rank: of n sorted durations the p-th percentile is the one at the
 * 1-based rank ceil(p * n / 100). */
static void
test_percentiles (void)
{
  static const gint64 durations[] = { 7000, 2000, 10000, 1000, 5000, 3000, 9000, 4000, 8000,
                                      6000, 11000 };
  g_autoptr(GArray) decisions = decisions_new ();
  g_autoptr(VdFatigueReport) report = NULL;

  /* Ten: the 10th percentile at rank 1, the median at rank 5 (the lower
   * middle one). */
  for (guint i = 0; i < 10; i++)
    add (decisions, T0 + MINUTES (i), R, durations[i]);
  report = compute (decisions, T0 + MINUTES (10), NULL);
  g_assert_cmpuint (report->decisions, ==, 10);
  g_assert_cmpint (report->p10_ms, ==, 1000);
  g_assert_cmpint (report->median_ms, ==, 5000);
  g_assert_cmpuint (report->sessions->len, ==, 1);
  g_assert_cmpint (session (report, 0)->p10_ms, ==, 1000);
  g_assert_cmpint (session (report, 0)->median_ms, ==, 5000);

  /* Eleven: ranks ceil(1.1) = 2 and ceil(5.5) = 6. */
  add (decisions, T0 + MINUTES (10), R, durations[10]);
  g_clear_pointer (&report, vd_fatigue_report_free);
  report = compute (decisions, T0 + MINUTES (11), NULL);
  g_assert_cmpint (report->p10_ms, ==, 2000);
  g_assert_cmpint (report->median_ms, ==, 6000);

  /* One: both are that one. */
  g_array_set_size (decisions, 1);
  g_clear_pointer (&report, vd_fatigue_report_free);
  report = compute (decisions, T0 + MINUTES (1), NULL);
  g_assert_cmpint (report->p10_ms, ==, 7000);
  g_assert_cmpint (report->median_ms, ==, 7000);
  g_assert_cmpint (session (report, 0)->median_ms, ==, 7000);
}

static void
test_streak_floor (void)
{
  static const struct {
    VdDecisionKind kind;
    gboolean       modified;
    gint64         duration_ms;
  } steps[] = {
    { A, FALSE, 1000 }, { A, FALSE, 2000 }, { A, FALSE, 2999 },   /* run of 3 */
    { R, FALSE, 1000 },                                           /* a fast reject ends it */
    { A, FALSE, 500 }, { A, FALSE, 500 }, { A, FALSE, 500 }, { A, FALSE, 500 },  /* 4 */
    { M, FALSE, 1000 },                                           /* a modification ends it */
    { A, FALSE, 3000 },                                           /* not under 3 s */
    { A, TRUE, 100 },                                             /* approved with changes */
    { A, FALSE, 100 }, { A, FALSE, 200 },                         /* the current run: 2 */
  };
  g_autoptr(GArray) decisions = decisions_new ();
  g_autoptr(VdFatigueReport) report = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      add (decisions, T0 + SECONDS (10 * i), steps[i].kind, steps[i].duration_ms);
      g_array_index (decisions, VdFatigueDecision, i).modified = steps[i].modified;
    }

  report = compute (decisions, T0 + MINUTES (3), NULL);

  /* Sorted: 100 100 200 500 500 500 500 1000 1000 1000 2000 2999 3000: the
   * median (rank 7) is 500, a quarter of it far under the 3 s floor. */
  g_assert_cmpint (report->median_ms, ==, 500);
  g_assert_cmpfloat (report->fast_limit_ms, ==, 3000.0);
  g_assert_cmpuint (report->sessions->len, ==, 1);
  g_assert_cmpuint (session (report, 0)->longest_fast_streak, ==, 4);
  g_assert_false (session (report, 0)->fast_streak_signal);
  /* 10 plain approvals of 13. */
  g_assert_cmpuint (report->approvals, ==, 10);
  g_assert_cmpfloat (report->approval_rate, ==, 10.0 / 13.0);
  g_assert_false (report->on_break);
  g_assert_cmpuint (report->current_fast_streak, ==, 2);
  g_assert_false (report->fast_streak_signal);
}

/* A reviewer who takes 40 s an item and then waves ten through in 8 s each:
 * under a quarter of their own median, though above the 3 s floor. */
static void
test_streak_relative (void)
{
  g_autoptr(GArray) decisions = decisions_new ();
  g_autoptr(VdFatigueReport) report = NULL;
  VdFatigueOptions options;
  gint64 t = T0;

  for (guint i = 0; i < 9; i++, t += MINUTES (1))
    add (decisions, t, R, 40000);
  for (guint i = 0; i < 10; i++, t += SECONDS (8))
    add (decisions, t, A, 8000);
  add (decisions, t, A, 12000);
  t += MINUTES (1);
  add (decisions, t, R, 40000);

  report = compute (decisions, t + MINUTES (1), NULL);

  /* Sorted: 10 x 8000, 12000, 10 x 40000: rank ceil(10.5) = 11. */
  g_assert_cmpint (report->median_ms, ==, 12000);
  g_assert_cmpfloat (report->fast_limit_ms, ==, 3000.0);
  g_assert_cmpuint (session (report, 0)->longest_fast_streak, ==, 0);

  /* Two more slow rejects move the median (rank ceil(11.5) = 12 of 23) to
   * 40 s and the limit to 10 s. */
  for (guint i = 0; i < 2; i++)
    add (decisions, t += MINUTES (1), R, 40000);
  g_clear_pointer (&report, vd_fatigue_report_free);
  report = compute (decisions, t + MINUTES (1), NULL);
  g_assert_cmpint (report->median_ms, ==, 40000);
  g_assert_cmpfloat (report->fast_limit_ms, ==, 10000.0);
  g_assert_cmpuint (session (report, 0)->longest_fast_streak, ==, 10);
  g_assert_true (session (report, 0)->fast_streak_signal);
  /* The run is over: the last decisions are rejects. */
  g_assert_cmpuint (report->current_fast_streak, ==, 0);
  g_assert_false (report->fast_streak_signal);

  /* Without the relative floor only the 3 s one is left. */
  vd_fatigue_options_init (&options);
  options.fast_fraction = 0.0;
  g_clear_pointer (&report, vd_fatigue_report_free);
  report = compute (decisions, t + MINUTES (1), &options);
  g_assert_cmpfloat (report->fast_limit_ms, ==, 3000.0);
  g_assert_cmpuint (session (report, 0)->longest_fast_streak, ==, 0);
}

/* The streak that ends with the latest decision raises the live signal. */
static void
test_streak_current (void)
{
  g_autoptr(GArray) decisions = decisions_new ();
  g_autoptr(VdFatigueReport) report = NULL;
  VdFatigueOptions options;
  gint64 t = T0;

  add (decisions, t, R, 20000);
  for (guint i = 0; i < 9; i++)
    add (decisions, t += SECONDS (2), A, 1500);

  report = compute (decisions, t + SECONDS (5), NULL);
  g_assert_cmpuint (report->current_fast_streak, ==, 9);
  g_assert_false (report->fast_streak_signal);

  add (decisions, t += SECONDS (2), A, 1500);
  g_clear_pointer (&report, vd_fatigue_report_free);
  report = compute (decisions, t + SECONDS (5), NULL);
  g_assert_cmpuint (report->current_fast_streak, ==, 10);
  g_assert_true (report->fast_streak_signal);
  g_assert_true (session (report, 0)->fast_streak_signal);

  /* After a break the streak is over. */
  g_clear_pointer (&report, vd_fatigue_report_free);
  report = compute (decisions, t + MINUTES (30), NULL);
  g_assert_true (report->on_break);
  g_assert_cmpuint (report->current_fast_streak, ==, 0);
  g_assert_false (report->fast_streak_signal);
  g_assert_true (session (report, 0)->fast_streak_signal);

  /* A threshold of 0 never signals. */
  vd_fatigue_options_init (&options);
  options.fast_streak_signal = 0;
  g_clear_pointer (&report, vd_fatigue_report_free);
  report = compute (decisions, t + SECONDS (5), &options);
  g_assert_cmpuint (report->current_fast_streak, ==, 10);
  g_assert_false (report->fast_streak_signal);
  g_assert_false (session (report, 0)->fast_streak_signal);
}

/* Sessions break at a pause of 30 minutes or more, and a streak does not
 * run across a break. */
static void
test_sessions (void)
{
  g_autoptr(GArray) decisions = decisions_new ();
  g_autoptr(VdFatigueReport) report = NULL;
  VdFatigueOptions options;
  gint64 t = T0;

  for (guint i = 0; i < 6; i++)
    add (decisions, t + SECONDS (10 * i), A, 1000);
  /* 29:59 after the last: the same session. */
  t = T0 + SECONDS (50) + MINUTES (30) - SECONDS (1);
  add (decisions, t, R, 60000);
  /* Exactly 30 minutes: a new one. */
  t += MINUTES (30);
  for (guint i = 0; i < 5; i++)
    add (decisions, t + SECONDS (10 * i), A, 1000);
  /* 31 minutes later: a third. */
  t += SECONDS (40) + MINUTES (31);
  for (guint i = 0; i < 5; i++)
    add (decisions, t + SECONDS (10 * i), A, 1000);

  report = compute (decisions, t + MINUTES (1), NULL);
  g_assert_cmpuint (report->decisions, ==, 17);
  g_assert_cmpuint (report->sessions->len, ==, 3);

  g_assert_cmpint (session (report, 0)->start, ==, T0);
  g_assert_cmpint (session (report, 0)->end, ==, T0 + SECONDS (50) + MINUTES (30) - SECONDS (1));
  g_assert_cmpuint (session (report, 0)->decisions, ==, 7);
  g_assert_cmpuint (session (report, 0)->approvals, ==, 6);
  g_assert_cmpuint (session (report, 0)->longest_fast_streak, ==, 6);
  g_assert_cmpint (session (report, 1)->start, ==, T0 + SECONDS (50) + MINUTES (60) - SECONDS (1));
  g_assert_cmpuint (session (report, 1)->decisions, ==, 5);
  g_assert_cmpuint (session (report, 1)->longest_fast_streak, ==, 5);
  g_assert_cmpuint (session (report, 2)->decisions, ==, 5);
  g_assert_cmpint (session (report, 2)->start, ==, t);
  g_assert_cmpint (session (report, 2)->end, ==, t + SECONDS (40));

  /* The current session began at t, a minute ago. */
  g_assert_false (report->on_break);
  g_assert_cmpint (report->time_since_break_usec, ==, MINUTES (1));
  g_assert_cmpuint (report->current_fast_streak, ==, 5);
  g_assert_false (report->fast_streak_signal);

  /* With a session gap of 31:01 none of the pauses is a break, and the last
   * two sessions' runs join: 5 + 5 = 10 in a row. */
  vd_fatigue_options_init (&options);
  options.session_gap_usec = MINUTES (31) + SECONDS (1);
  g_clear_pointer (&report, vd_fatigue_report_free);
  report = compute (decisions, t + MINUTES (1), &options);
  g_assert_cmpuint (report->sessions->len, ==, 1);
  g_assert_cmpuint (session (report, 0)->longest_fast_streak, ==, 10);
  g_assert_cmpuint (report->current_fast_streak, ==, 10);
  g_assert_true (report->fast_streak_signal);
  g_assert_cmpint (report->time_since_break_usec, ==, t + MINUTES (1) - T0);
}

/* 90 minutes without a pause of 30 minutes. */
static void
test_no_pause (void)
{
  g_autoptr(GArray) decisions = decisions_new ();
  g_autoptr(VdFatigueReport) report = NULL;

  /* Every 5 minutes from T0 to T0 + 85 min. */
  for (guint i = 0; i <= 17; i++)
    add (decisions, T0 + MINUTES (5 * i), R, 60000);

  report = compute (decisions, T0 + MINUTES (89), NULL);
  g_assert_cmpuint (report->sessions->len, ==, 1);
  g_assert_false (session (report, 0)->long_session_signal);
  g_assert_false (report->on_break);
  g_assert_cmpint (report->time_since_break_usec, ==, MINUTES (89));
  g_assert_false (report->no_pause_signal);

  /* At 90 minutes the signal is raised, though the last decision was 5
   * minutes ago. */
  g_clear_pointer (&report, vd_fatigue_report_free);
  report = compute (decisions, T0 + MINUTES (90), NULL);
  g_assert_cmpint (report->time_since_break_usec, ==, MINUTES (90));
  g_assert_true (report->no_pause_signal);
  g_assert_false (session (report, 0)->long_session_signal);

  /* A decision at 90 minutes makes the session itself that long. */
  add (decisions, T0 + MINUTES (90), R, 60000);
  g_clear_pointer (&report, vd_fatigue_report_free);
  report = compute (decisions, T0 + MINUTES (91), NULL);
  g_assert_true (session (report, 0)->long_session_signal);
  g_assert_true (report->no_pause_signal);

  /* 30 minutes after the last decision the reviewer is on a break. */
  g_clear_pointer (&report, vd_fatigue_report_free);
  report = compute (decisions, T0 + MINUTES (120), NULL);
  g_assert_true (report->on_break);
  g_assert_cmpint (report->time_since_break_usec, ==, 0);
  g_assert_false (report->no_pause_signal);
  g_assert_true (session (report, 0)->long_session_signal);

  /* 29:59 after it they are not. */
  g_clear_pointer (&report, vd_fatigue_report_free);
  report = compute (decisions, T0 + MINUTES (120) - SECONDS (1), NULL);
  g_assert_false (report->on_break);
  g_assert_true (report->no_pause_signal);
}

static void
test_known_answer (void)
{
  static const struct {
    VdDecisionKind  kind;
    gboolean        modified;
    const char     *expected;
  } steps[] = {
    { R, FALSE, "reject" },            /* agreed */
    { A, FALSE, "reject" },            /* not */
    { A, FALSE, NULL },                /* no check */
    { A, TRUE, "approve" },            /* agreed: an approval, with changes */
    { E, FALSE, "escalate_further" },  /* agreed */
    { M, FALSE, "approve" },           /* not */
  };
  g_autoptr(GArray) decisions = decisions_new ();
  g_autoptr(VdFatigueReport) report = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *known;

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      /* The first three in one session, the others in a second. */
      add (decisions, T0 + MINUTES (i < 3 ? i : 60 + i), steps[i].kind, 20000);
      g_array_index (decisions, VdFatigueDecision, i).modified = steps[i].modified;
      g_array_index (decisions, VdFatigueDecision, i).expected_decision = steps[i].expected;
    }

  report = compute (decisions, T0 + MINUTES (70), NULL);
  g_assert_cmpuint (report->checks_seen, ==, 5);
  g_assert_cmpuint (report->checks_agreed, ==, 3);
  g_assert_cmpuint (report->sessions->len, ==, 2);
  g_assert_cmpuint (session (report, 0)->checks_seen, ==, 2);
  g_assert_cmpuint (session (report, 0)->checks_agreed, ==, 1);
  g_assert_cmpuint (session (report, 1)->checks_seen, ==, 3);
  g_assert_cmpuint (session (report, 1)->checks_agreed, ==, 2);

  node = vd_fatigue_report_to_json (report, NULL);
  known = json_object_get_object_member (json_node_get_object (node), "known_answer");
  g_assert_cmpint (json_object_get_int_member (known, "seen"), ==, 5);
  g_assert_cmpint (json_object_get_int_member (known, "agreed"), ==, 3);
  g_assert_cmpfloat (json_object_get_double_member (known, "agreement"), ==, 0.6);
}

static void
test_approval_rates (void)
{
  g_autoptr(GArray) decisions = decisions_new ();
  g_autoptr(VdFatigueReport) report = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *object;

  add (decisions, T0, A, 20000);
  add (decisions, T0 + MINUTES (1), R, 20000);
  add (decisions, T0 + MINUTES (2), M, 20000);
  add (decisions, T0 + MINUTES (3), E, 20000);
  for (guint i = 0; i < 4; i++)
    add (decisions, T0 + MINUTES (60 + i), A, 20000);

  report = vd_fatigue_compute ((const VdFatigueDecision *) decisions->data, decisions->len,
                               T0 + MINUTES (64), 0.6, NULL);
  g_assert_cmpfloat (session (report, 0)->approval_rate, ==, 0.25);
  g_assert_cmpfloat (session (report, 1)->approval_rate, ==, 1.0);
  g_assert_cmpfloat (report->approval_rate, ==, 0.625);
  g_assert_cmpfloat (report->team_approval_rate, ==, 0.6);

  node = vd_fatigue_report_to_json (report, "ana");
  object = json_node_get_object (node);
  g_assert_cmpstr (json_object_get_string_member (object, "reviewer"), ==, "ana");
  g_assert_cmpfloat (json_object_get_double_member (object, "approval_rate"), ==, 0.625);
  g_assert_cmpfloat (json_object_get_double_member (object, "team_approval_rate"), ==, 0.6);

  /* Unknown team figures are null. */
  g_clear_pointer (&node, json_node_unref);
  report->team_approval_rate = -1.0;
  node = vd_fatigue_report_to_json (report, NULL);
  object = json_node_get_object (node);
  g_assert_false (json_object_has_member (object, "reviewer"));
  g_assert_true (json_object_get_null_member (object, "team_approval_rate"));
}

/* Decisions out of order are put in order; ties keep theirs. */
static void
test_unordered (void)
{
  g_autoptr(GArray) ordered = decisions_new ();
  g_autoptr(GArray) shuffled = decisions_new ();
  g_autoptr(VdFatigueReport) a = NULL;
  g_autoptr(VdFatigueReport) b = NULL;
  g_autoptr(JsonNode) na = NULL;
  g_autoptr(JsonNode) nb = NULL;
  g_autofree char *ta = NULL;
  g_autofree char *tb = NULL;
  static const guint order[] = { 5, 0, 9, 3, 7, 1, 8, 2, 6, 4 };

  for (guint i = 0; i < 10; i++)
    add (ordered, T0 + MINUTES (i < 5 ? i : 40 + i), i % 3 == 0 ? R : A, 1000 + 500 * i);
  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    g_array_append_val (shuffled, g_array_index (ordered, VdFatigueDecision, order[i]));

  a = compute (ordered, T0 + MINUTES (50), NULL);
  b = compute (shuffled, T0 + MINUTES (50), NULL);
  na = vd_fatigue_report_to_json (a, "r");
  nb = vd_fatigue_report_to_json (b, "r");
  ta = json_to_string (na, FALSE);
  tb = json_to_string (nb, FALSE);
  g_assert_cmpstr (ta, ==, tb);
  g_assert_cmpuint (a->sessions->len, ==, 2);
}

static void
test_empty (void)
{
  g_autoptr(VdFatigueReport) report = vd_fatigue_compute (NULL, 0, T0, -1.0, NULL);
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;

  g_assert_cmpuint (report->decisions, ==, 0);
  g_assert_cmpuint (report->sessions->len, ==, 0);
  g_assert_true (report->on_break);
  g_assert_cmpint (report->time_since_break_usec, ==, 0);
  g_assert_cmpfloat (report->fast_limit_ms, ==, 3000.0);
  g_assert_false (report->fast_streak_signal);
  g_assert_false (report->no_pause_signal);

  node = vd_fatigue_report_to_json (report, "bo");
  text = json_to_string (node, FALSE);
  g_assert_cmpstr (text, ==,
                   "{\"reviewer\":\"bo\",\"decisions\":0,\"approval_rate\":0.0,"
                   "\"team_approval_rate\":null,\"median_ms\":null,\"p10_ms\":null,"
                   "\"fast_limit_ms\":3000.0,"
                   "\"known_answer\":{\"seen\":0,\"agreed\":0,\"agreement\":null},"
                   "\"on_break\":true,\"time_since_break_ms\":null,\"current_fast_streak\":0,"
                   "\"signals\":{\"fast_streak\":false,\"no_pause\":false},\"sessions\":[]}");
}

static void
test_json (void)
{
  g_autoptr(GArray) decisions = decisions_new ();
  g_autoptr(VdFatigueReport) report = NULL;
  g_autoptr(VdFatigueReport) copy = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) copy_node = NULL;
  g_autofree char *text = NULL;

  add (decisions, T0, A, 2000);
  add (decisions, T0 + SECONDS (90), R, 6000);
  g_array_index (decisions, VdFatigueDecision, 1).expected_decision = "reject";

  report = vd_fatigue_compute ((const VdFatigueDecision *) decisions->data, decisions->len,
                               T0 + MINUTES (2), 0.5, NULL);
  node = vd_fatigue_report_to_json (report, "cy");
  text = json_to_string (node, FALSE);
  g_assert_cmpstr (text, ==,
                   "{\"reviewer\":\"cy\",\"decisions\":2,\"approval_rate\":0.5,"
                   "\"team_approval_rate\":0.5,\"median_ms\":2000,\"p10_ms\":2000,"
                   "\"fast_limit_ms\":3000.0,"
                   "\"known_answer\":{\"seen\":1,\"agreed\":1,\"agreement\":1.0},"
                   "\"on_break\":false,\"time_since_break_ms\":120000,"
                   "\"current_fast_streak\":0,"
                   "\"signals\":{\"fast_streak\":false,\"no_pause\":false},"
                   "\"sessions\":[{\"start\":\"2026-05-28T20:26:40.000000Z\","
                   "\"end\":\"2026-05-28T20:28:10.000000Z\",\"duration_ms\":90000,"
                   "\"decisions\":2,\"approval_rate\":0.5,\"median_ms\":2000,\"p10_ms\":2000,"
                   "\"longest_fast_streak\":1,"
                   "\"known_answer\":{\"seen\":1,\"agreed\":1,\"agreement\":1.0},"
                   "\"signals\":{\"fast_streak\":false,\"long_session\":false}}]}");

  copy = vd_fatigue_report_copy (report);
  g_assert_true (copy->sessions != report->sessions);
  copy_node = vd_fatigue_report_to_json (copy, "cy");
  g_assert_true (json_node_equal (node, copy_node));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/fatigue/options/defaults", test_options_defaults);
  g_test_add_func ("/fatigue/percentiles", test_percentiles);
  g_test_add_func ("/fatigue/streak/floor", test_streak_floor);
  g_test_add_func ("/fatigue/streak/relative", test_streak_relative);
  g_test_add_func ("/fatigue/streak/current", test_streak_current);
  g_test_add_func ("/fatigue/sessions", test_sessions);
  g_test_add_func ("/fatigue/no-pause", test_no_pause);
  g_test_add_func ("/fatigue/known-answer", test_known_answer);
  g_test_add_func ("/fatigue/approval-rates", test_approval_rates);
  g_test_add_func ("/fatigue/unordered", test_unordered);
  g_test_add_func ("/fatigue/empty", test_empty);
  g_test_add_func ("/fatigue/json", test_json);

  return g_test_run ();
}
