/* test-forecast.c: the workload forecast on a store with known times
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

#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <sqlite3.h>
#include <string.h>

#include "vd-core.h"
#include "vd-json-write.h"
#include "vd-test-util.h"

typedef VdTestStore Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  vd_test_store_set_up (fixture, "forecast");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  vd_test_store_tear_down (fixture);
}

static void
import_text (Fixture    *fixture,
             const char *text)
{
  vd_test_import_text (fixture->store, fixture->dir, "q.jsonl", text, NULL, NULL);
}

static gint64
decide (Fixture    *fixture,
        const char *queue,
        const char *task_id)
{
  g_autoptr(VdDecision) decision = vd_decision_new (queue, task_id, VD_DECISION_KIND_APPROVE,
                                                    "alice");
  g_autoptr(GError) error = NULL;

  g_assert_true (vd_store_record_decision (fixture->store, decision, &error));
  g_assert_no_error (error);
  return vd_decision_get_id (decision);
}

static gint64
usec (const char *text)
{
  g_autoptr(GDateTime) time = vd_timestamp_parse (text);

  g_assert_nonnull (time);
  return vd_timestamp_to_usec (time);
}

/* Sets times the store sets itself (import time, decision time) through a
 * connection of its own: what a store that ran for a day would hold. */
static void
set_time (Fixture    *fixture,
          const char *table,
          const char *column,
          const char *queue,
          const char *task_id,
          const char *when)
{
  g_autofree char *sql = NULL;
  sqlite3 *db = NULL;
  char *message = NULL;

  sql = g_strdup_printf ("UPDATE %s SET %s = %" G_GINT64_FORMAT " WHERE queue = '%s' "
                         "AND task_id = '%s'",
                         table, column, usec (when), queue, task_id);
  if (!vd_test_store_is_sqlite ())
    {
      g_autofree char *returning = g_strconcat (sql, " RETURNING 1", NULL);
      g_autofree char *changed = vd_test_store_sql (fixture->db, returning);

      g_assert_nonnull (changed);
      return;
    }
  g_assert_cmpint (sqlite3_open (fixture->db, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
  g_assert_cmpint (sqlite3_changes (db), >=, 1);
  sqlite3_close (db);
}

static void
exec_sql (Fixture    *fixture,
          const char *sql)
{
  sqlite3 *db = NULL;

  if (!vd_test_store_is_sqlite ())
    {
      g_free (vd_test_store_sql (fixture->db, sql));
      return;
    }
  g_assert_cmpint (sqlite3_open (fixture->db, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

#define NOW "2026-03-01T12:00:00Z"

static void
populate (Fixture *fixture)
{
  g_autoptr(GString) text = g_string_new ("{\"verdict_queue\": 1, \"queue\": \"q\"}\n");
  g_autoptr(GError) error = NULL;
  static const struct { const char *task_id; const char *due_at; } items[] = {
    { "i00", NULL }, { "i01", NULL }, { "i02", NULL }, { "i03", NULL }, { "i04", NULL },
    { "i05", NULL }, { "i06", NULL }, { "i07", NULL }, { "i08", NULL },
    { "i09", "2026-03-01T11:00:00Z" }, { "i10", "2026-03-01T12:10:00Z" },
    { "i11", "2026-03-01T12:45:00Z" }, { "i12", "2026-03-01T13:10:00Z" },
    { "i13", "2026-03-01T16:00:00Z" }, { "i14", NULL }, { "i15", NULL },
  };
  gint64 retracted;

  for (guint i = 0; i < G_N_ELEMENTS (items); i++)
    {
      g_string_append_printf (text, "{\"task_id\": \"%s\", \"task_description\": \"d\", "
                              "\"agent_output\": {\"content\": \"c\", \"confidence\": 0.5}, "
                              "\"escalation_reason\": \"policy_required\"",
                              items[i].task_id);
      if (items[i].due_at != NULL)
        g_string_append_printf (text, ", \"due_at\": \"%s\"", items[i].due_at);
      g_string_append (text, "}\n");
    }
  /* Approved by the policy at import: automatic, not a reviewer's pace. */
  g_string_append (text, "{\"task_id\": \"auto1\", \"task_description\": \"d\", "
                         "\"agent_output\": {\"content\": \"c\", \"confidence\": 0.99}}\n");
  /* Another queue. */
  g_string_append (text, "{\"task_id\": \"r1\", \"queue\": \"r\", \"task_description\": \"d\", "
                         "\"agent_output\": {\"content\": \"c\", \"confidence\": 0.5}, "
                         "\"escalation_reason\": \"policy_required\", "
                         "\"due_at\": \"2026-03-01T12:05:00Z\"}\n"
                         "{\"task_id\": \"r2\", \"queue\": \"r\", \"task_description\": \"d\", "
                         "\"agent_output\": {\"content\": \"c\", \"confidence\": 0.5}, "
                         "\"escalation_reason\": \"policy_required\"}\n");
  import_text (fixture, text->str);

  for (guint i = 0; i <= 6; i++)
    decide (fixture, "q", items[i].task_id);
  decide (fixture, "q", "i08");
  decide (fixture, "r", "r2");
  retracted = decide (fixture, "q", "i07");
  g_assert_true (vd_store_retract_decision (fixture->store, retracted, "alice", NULL, &error));
  g_assert_no_error (error);

  /* Arrivals: i07 and i09..i13 in the last hour, i14 exactly an hour ago
   * (the day only), i15 earlier today; r1 in the last hour; the rest last
   * month. One arrival after "now" counts nowhere. */
  exec_sql (fixture, "UPDATE items SET imported_at = 0");
  set_time (fixture, "items", "imported_at", "q", "i07", "2026-03-01T11:59:59Z");
  set_time (fixture, "items", "imported_at", "q", "i09", "2026-03-01T11:05:00Z");
  set_time (fixture, "items", "imported_at", "q", "i10", "2026-03-01T11:15:00Z");
  set_time (fixture, "items", "imported_at", "q", "i11", "2026-03-01T11:25:00Z");
  set_time (fixture, "items", "imported_at", "q", "i12", "2026-03-01T11:35:00Z");
  set_time (fixture, "items", "imported_at", "q", "i13", "2026-03-01T11:45:00Z");
  set_time (fixture, "items", "imported_at", "q", "i14", "2026-03-01T11:00:00Z");
  set_time (fixture, "items", "imported_at", "q", "i15", "2026-03-01T01:00:00Z");
  set_time (fixture, "items", "imported_at", "r", "r1", "2026-03-01T11:30:00Z");
  set_time (fixture, "items", "imported_at", "q", "i00", "2026-03-01T12:30:00Z");

  /* Decisions: four in the last hour, two more today, one last week; the
   * policy's, the retracted one and a bulk approval in the last hour do
   * not count; r2 in the last hour. */
  exec_sql (fixture, "UPDATE decisions SET timestamp = 0");
  set_time (fixture, "decisions", "timestamp", "q", "i00", "2026-03-01T11:10:00Z");
  set_time (fixture, "decisions", "timestamp", "q", "i01", "2026-03-01T11:20:00Z");
  set_time (fixture, "decisions", "timestamp", "q", "i02", "2026-03-01T11:30:00Z");
  set_time (fixture, "decisions", "timestamp", "q", "i03", "2026-03-01T12:00:00Z");
  set_time (fixture, "decisions", "timestamp", "q", "i04", "2026-03-01T08:00:00Z");
  set_time (fixture, "decisions", "timestamp", "q", "i05", "2026-03-01T02:00:00Z");
  set_time (fixture, "decisions", "timestamp", "q", "i06", "2026-02-24T12:00:00Z");
  set_time (fixture, "decisions", "timestamp", "q", "i07", "2026-03-01T11:50:00Z");
  set_time (fixture, "decisions", "timestamp", "q", "i08", "2026-03-01T11:45:00Z");
  set_time (fixture, "decisions", "timestamp", "q", "auto1", "2026-03-01T11:30:00Z");
  set_time (fixture, "decisions", "timestamp", "r", "r2", "2026-03-01T11:30:00Z");
  exec_sql (fixture, "UPDATE decisions SET bulk_id = 1 WHERE task_id = 'i08'");
}

static void
compute (Fixture    *fixture,
         const char *queue,
         const char *now_text,
         VdForecast *forecast)
{
  g_autoptr(GDateTime) now = vd_timestamp_parse (now_text);
  g_autoptr(GError) error = NULL;

  g_assert_true (vd_forecast_compute (fixture->store, queue, now, forecast, &error));
  g_assert_no_error (error);
}

static char *
to_json (const VdForecast *forecast,
         const char       *queue)
{
  g_autoptr(JsonNode) node = vd_forecast_to_json (forecast, queue);

  /* As verdict-cli forecast --json writes it. */
  return vd_json_node_to_string (node, FALSE);
}

static void
test_known_times (Fixture       *fixture,
                  gconstpointer  data)
{
  VdForecast forecast = { 0, };
  g_autofree char *json = NULL;
  g_autofree char *text = NULL;

  populate (fixture);

  /* Queue q: 8 waiting (i07 back after the retraction, i09..i15), 5 with
   * a deadline. Four decisions in the last hour are too few for a pace;
   * the day has six, from 02:00 to 12:00: gaps of 360, 190, 10, 10 and 30
   * minutes, a median of 30 that the average gap (120) bounds to 60. At
   * one an hour every deadline passes: i09 at 13:00 (due 11:00) ... i13 at
   * 17:00 (due 16:00). */
  compute (fixture, "q", NOW, &forecast);
  g_assert_cmpuint (forecast.pending, ==, 8);
  g_assert_cmpuint (forecast.with_deadline, ==, 5);
  g_assert_cmpfloat (forecast.arrival_rate_hour, ==, 6.0);
  g_assert_cmpfloat (forecast.arrival_rate_day, ==, 8.0 / 24.0);
  g_assert_cmpfloat (forecast.decision_rate_hour, ==, 4.0);
  g_assert_cmpfloat (forecast.decision_rate_day, ==, 6.0 / 24.0);
  g_assert_true (forecast.has_pace);
  g_assert_cmpuint (forecast.sample_decisions, ==, 6);
  g_assert_cmpfloat (forecast.pace, ==, 1.0);
  g_assert_cmpfloat (forecast.hours_to_clear, ==, 8.0);
  g_assert_cmpuint (forecast.will_miss_deadline, ==, 5);

  json = to_json (&forecast, "q");
  g_assert_cmpstr (json, ==,
                   "{\"queue\":\"q\",\"pending\":8,\"arrival_rate_hour\":6.0,"
                   "\"arrival_rate_day\":0.3333333333333333,\"decision_rate_hour\":4.0,"
                   "\"decision_rate_day\":0.25,\"sample_decisions\":6,\"pace\":1.0,"
                   "\"hours_to_clear\":8.0,\"will_miss_deadline\":5}");

  text = vd_forecast_describe (&forecast);
  g_assert_cmpstr (text, ==,
                   "Waiting: 8 undecided items, 5 with a deadline\n"
                   "Arrivals: 6.00 per hour in the last hour, 0.33 per hour over the last day\n"
                   "Decisions: 4.00 per hour in the last hour, 0.25 per hour over the last day\n"
                   "At 1.00 decisions per hour (from the last 6) the queue clears in 8.00 "
                   "hours; 5 items will pass their deadline.");

  /* All queues: r2's decision at 11:30 makes five in the last hour over
   * 50 minutes, enough: gaps of 10, 10, 0 and 30 minutes, a median of 10,
   * 6 an hour. i09 12:10 late, r1 12:20 late, i10 12:30 late, i11 12:40
   * in time (due 12:45), i12 and i13 in time. */
  compute (fixture, NULL, NOW, &forecast);
  g_assert_cmpuint (forecast.pending, ==, 9);
  g_assert_cmpuint (forecast.with_deadline, ==, 6);
  g_assert_cmpfloat (forecast.arrival_rate_hour, ==, 7.0);
  g_assert_cmpfloat (forecast.arrival_rate_day, ==, 9.0 / 24.0);
  g_assert_cmpfloat (forecast.decision_rate_hour, ==, 5.0);
  g_assert_cmpfloat (forecast.decision_rate_day, ==, 7.0 / 24.0);
  g_assert_cmpuint (forecast.sample_decisions, ==, 5);
  g_assert_cmpfloat (forecast.pace, ==, 6.0);
  g_assert_cmpfloat (forecast.hours_to_clear, ==, 9.0 / 6.0);
  g_assert_cmpuint (forecast.will_miss_deadline, ==, 3);

  /* Three hours later nobody decided anything for three hours: the day's
   * six decisions give the pace again, and everything with a deadline is
   * late by then. */
  compute (fixture, "q", "2026-03-01T15:00:00Z", &forecast);
  g_assert_cmpfloat (forecast.decision_rate_hour, ==, 0.0);
  g_assert_cmpfloat (forecast.decision_rate_day, ==, 6.0 / 24.0);
  g_assert_cmpuint (forecast.sample_decisions, ==, 6);
  g_assert_cmpfloat (forecast.pace, ==, 1.0);
  g_assert_cmpfloat (forecast.hours_to_clear, ==, 8.0);
  g_assert_cmpuint (forecast.will_miss_deadline, ==, 5);

  /* The next day at 11:00 only four (11:10 to 12:00) are within 24 hours:
   * no pace. */
  compute (fixture, "q", "2026-03-02T11:00:00Z", &forecast);
  g_assert_false (forecast.has_pace);
  g_assert_cmpuint (forecast.sample_decisions, ==, 4);
  g_assert_cmpfloat (forecast.pace, ==, 0.0);
  g_assert_cmpuint (forecast.will_miss_deadline, ==, 0);
}

static void
test_no_pace (Fixture       *fixture,
              gconstpointer  data)
{
  VdForecast forecast = { 0, };
  g_autofree char *json = NULL;
  g_autofree char *text = NULL;

  /* Nothing at all. */
  compute (fixture, NULL, NOW, &forecast);
  g_assert_cmpuint (forecast.pending, ==, 0);
  g_assert_false (forecast.has_pace);
  g_assert_cmpuint (forecast.will_miss_deadline, ==, 0);
  text = vd_forecast_describe (&forecast);
  g_assert_true (g_str_has_suffix (text, "\nNothing waits for a reviewer."));
  g_clear_pointer (&text, g_free);

  /* Items, no decision ever: no pace, so no time and no count of misses
   * (not "every deadline passes"). */
  import_text (fixture,
               "{\"verdict_queue\": 1, \"queue\": \"s\"}\n"
               "{\"task_id\": \"s1\", \"task_description\": \"d\", \"agent_output\": "
               "{\"content\": \"c\", \"confidence\": 0.1}, \"due_at\": \"2030-01-01T00:00:00Z\"}\n"
               "{\"task_id\": \"s2\", \"task_description\": \"d\", \"agent_output\": "
               "{\"content\": \"c\", \"confidence\": 0.1}}\n");
  compute (fixture, "s", NULL, &forecast);
  g_assert_cmpuint (forecast.pending, ==, 2);
  g_assert_cmpuint (forecast.with_deadline, ==, 1);
  g_assert_cmpfloat (forecast.arrival_rate_hour, ==, 2.0);
  g_assert_false (forecast.has_pace);
  g_assert_cmpuint (forecast.will_miss_deadline, ==, 0);

  json = to_json (&forecast, NULL);
  g_assert_cmpstr (json, ==,
                   "{\"queue\":null,\"pending\":2,\"arrival_rate_hour\":2.0,"
                   "\"arrival_rate_day\":0.08333333333333333,\"decision_rate_hour\":0.0,"
                   "\"decision_rate_day\":0.0,\"sample_decisions\":0,\"pace\":null,"
                   "\"hours_to_clear\":null,\"will_miss_deadline\":null}");
  text = vd_forecast_describe (&forecast);
  g_assert_true (g_str_has_suffix (text, "\nNot enough decisions yet to forecast: 0 decisions "
                                         "in the last day, the pace needs 5 over 10 "
                                         "minutes."));
}

/* The pace from a reviewer's decisions at known times */

#define PACE_NOW "2026-03-01T12:00:00Z"

static void
import_pace_queue (Fixture *fixture,
                   guint    n_items)
{
  g_autoptr(GString) text = g_string_new ("{\"verdict_queue\": 1, \"queue\": \"p\"}\n");

  for (guint i = 0; i < n_items; i++)
    g_string_append_printf (text, "{\"task_id\": \"p%02u\", \"task_description\": \"d\", "
                            "\"agent_output\": {\"content\": \"c\", \"confidence\": 0.5}, "
                            "\"escalation_reason\": \"policy_required\"}\n", i);
  import_text (fixture, text->str);
}

/* Decides p@first, p@first+1, ... at the times given, in seconds after
 * PACE_NOW (negative: before). */
static void
decide_at (Fixture      *fixture,
           guint         first,
           const double *seconds,
           guint         n)
{
  g_autoptr(GString) sql = g_string_new ("BEGIN;");
  gint64 now = usec (PACE_NOW);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *task_id = g_strdup_printf ("p%02u", first + i);

      decide (fixture, "p", task_id);
      g_string_append_printf (sql, "UPDATE decisions SET timestamp = %" G_GINT64_FORMAT
                              " WHERE queue = 'p' AND task_id = '%s';",
                              now + (gint64) (seconds[i] * G_TIME_SPAN_SECOND), task_id);
    }
  g_string_append (sql, "COMMIT;");
  exec_sql (fixture, sql->str);
}

/* Seconds after PACE_NOW as a time for compute(). */
static char *
pace_time (double seconds)
{
  g_autoptr(GDateTime) now = vd_timestamp_parse (PACE_NOW);
  g_autoptr(GDateTime) then = g_date_time_add (now, (GTimeSpan) (seconds * G_TIME_SPAN_SECOND));

  return vd_timestamp_format (then);
}

static void
compute_at (Fixture    *fixture,
            double      seconds,
            VdForecast *forecast)
{
  g_autofree char *when = pace_time (seconds);

  compute (fixture, "p", when, forecast);
}

/* A reviewer starts: no forecast from one to four decisions, nor from
 * five within a few minutes; five over ten minutes give one. */
static void
test_pace_start (Fixture       *fixture,
                 gconstpointer  data)
{
  static const double first[] = { -600, -580, -560 };
  static const double next[] = { -300 };
  static const double last[] = { 0 };
  VdForecast forecast = { 0, };

  import_pace_queue (fixture, 40);

  decide_at (fixture, 0, first, G_N_ELEMENTS (first));
  compute_at (fixture, 0, &forecast);
  g_assert_false (forecast.has_pace);
  g_assert_cmpuint (forecast.sample_decisions, ==, 3);
  g_assert_cmpuint (forecast.pending, ==, 37);

  decide_at (fixture, 3, next, G_N_ELEMENTS (next));
  compute_at (fixture, 0, &forecast);
  g_assert_false (forecast.has_pace);
  g_assert_cmpuint (forecast.sample_decisions, ==, 4);

  /* Five, but 9 min 59 s from first to last. */
  decide_at (fixture, 4, last, G_N_ELEMENTS (last));
  compute_at (fixture, -1, &forecast);
  g_assert_false (forecast.has_pace);
  g_assert_cmpuint (forecast.sample_decisions, ==, 4);

  /* Five over ten minutes: gaps of 20, 20, 260 and 300 s, a median of
   * 140 s (the average, 150 s, does not bound it). */
  compute_at (fixture, 0, &forecast);
  g_assert_true (forecast.has_pace);
  g_assert_cmpuint (forecast.sample_decisions, ==, 5);
  g_assert_cmpfloat_with_epsilon (forecast.pace, 3600.0 / 140.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (forecast.hours_to_clear, 35.0 * 140.0 / 3600.0, 1e-9);
}

/* After an hour at a steady pace a few quick decisions barely move the
 * forecast; a sustained change of pace does. */
static void
test_pace_smooth (Fixture       *fixture,
                  gconstpointer  data)
{
  double steady[30];
  static const double quick[] = { 20, 40, 60 };
  double faster[20];
  VdForecast before = { 0, };
  VdForecast after = { 0, };
  VdForecast later = { 0, };

  import_pace_queue (fixture, 99);

  /* One every two minutes for an hour: 11:02, 11:04 ... 12:00. */
  for (guint i = 0; i < G_N_ELEMENTS (steady); i++)
    steady[i] = -3600.0 + 120.0 * (i + 1);
  decide_at (fixture, 0, steady, G_N_ELEMENTS (steady));
  compute_at (fixture, 0, &before);
  g_assert_true (before.has_pace);
  g_assert_cmpuint (before.sample_decisions, ==, 30);
  g_assert_cmpfloat_with_epsilon (before.pace, 30.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (before.hours_to_clear, 69.0 / 30.0, 1e-9);

  /* Three decisions 20 s apart. */
  decide_at (fixture, 30, quick, G_N_ELEMENTS (quick));
  compute_at (fixture, 60, &after);
  g_assert_cmpuint (after.sample_decisions, ==, 33);
  g_assert_cmpfloat_with_epsilon (after.pace, 30.0, 1e-9);
  g_assert_cmpfloat (fabs (after.hours_to_clear - before.hours_to_clear) / before.hours_to_clear,
                     <, 0.3);

  /* Twenty minutes at one a minute: the pace follows. */
  for (guint i = 0; i < G_N_ELEMENTS (faster); i++)
    faster[i] = 60.0 + 60.0 * (i + 1);
  decide_at (fixture, 33, faster, G_N_ELEMENTS (faster));
  compute_at (fixture, 1260, &later);
  g_assert_cmpfloat (later.pace, >, 35.0);
  g_assert_cmpfloat (later.pace, <=, 60.0);
}

/* A slower reviewer: one every six minutes for an hour, then six quick
 * decisions. Counting the last hour's decisions would move the pace from
 * 10 to 16 an hour (the time to clear by more than a third); the median gap
 * does not move. */
static void
test_pace_burst (Fixture       *fixture,
                 gconstpointer  data)
{
  double steady[10];
  static const double quick[] = { 20, 40, 60, 80, 100, 120 };
  VdForecast before = { 0, };
  VdForecast after = { 0, };

  import_pace_queue (fixture, 60);

  for (guint i = 0; i < G_N_ELEMENTS (steady); i++)
    steady[i] = -3600.0 + 360.0 * (i + 1);
  decide_at (fixture, 0, steady, G_N_ELEMENTS (steady));
  compute_at (fixture, 0, &before);
  g_assert_cmpfloat_with_epsilon (before.pace, 10.0, 1e-9);

  decide_at (fixture, 10, quick, G_N_ELEMENTS (quick));
  compute_at (fixture, 120, &after);
  g_assert_cmpuint (after.sample_decisions, ==, 16);
  g_assert_cmpfloat (after.decision_rate_hour, ==, 16.0);
  g_assert_cmpfloat_with_epsilon (after.pace, 10.0, 1e-9);
  g_assert_cmpfloat (fabs (after.hours_to_clear - before.hours_to_clear) / before.hours_to_clear,
                     <, 0.3);
}

static void
on_computed (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static void
test_async (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GDateTime) now = vd_timestamp_parse (NOW);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *slot = NULL;
  VdForecast forecast = { 0, };

  populate (fixture);
  vd_forecast_compute_async (fixture->store, "q", now, NULL, on_computed, &slot);
  while (slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  result = g_steal_pointer (&slot);
  g_assert_true (vd_forecast_compute_finish (fixture->store, result, &forecast, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (forecast.pending, ==, 8);
  g_assert_cmpuint (forecast.will_miss_deadline, ==, 5);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/forecast/known-times", Fixture, NULL, fixture_set_up, test_known_times,
              fixture_tear_down);
  g_test_add ("/forecast/no-pace", Fixture, NULL, fixture_set_up, test_no_pace,
              fixture_tear_down);
  g_test_add ("/forecast/pace-start", Fixture, NULL, fixture_set_up, test_pace_start,
              fixture_tear_down);
  g_test_add ("/forecast/pace-smooth", Fixture, NULL, fixture_set_up, test_pace_smooth,
              fixture_tear_down);
  g_test_add ("/forecast/pace-burst", Fixture, NULL, fixture_set_up, test_pace_burst,
              fixture_tear_down);
  g_test_add ("/forecast/async", Fixture, NULL, fixture_set_up, test_async,
              fixture_tear_down);

  return g_test_run ();
}
