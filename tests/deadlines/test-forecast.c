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
#include <sqlite3.h>
#include <string.h>

#include "vd-core.h"
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

static void
test_known_times (Fixture       *fixture,
                  gconstpointer  data)
{
  VdForecast forecast = { 0, };
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *json = NULL;
  g_autofree char *text = NULL;

  populate (fixture);

  /* Queue q: 8 waiting (i07 back after the retraction, i09..i15), 5 with
   * a deadline. Pace 4 per hour: 15 minutes each, soonest deadline first:
   * i09 at 12:15 (due 11:00, late), i10 at 12:30 (due 12:10, late), i11 at
   * 12:45 (due 12:45, just in time), i12 at 13:00, i13 at 13:15. */
  compute (fixture, "q", NOW, &forecast);
  g_assert_cmpuint (forecast.pending, ==, 8);
  g_assert_cmpuint (forecast.with_deadline, ==, 5);
  g_assert_cmpfloat (forecast.arrival_rate_hour, ==, 6.0);
  g_assert_cmpfloat (forecast.arrival_rate_day, ==, 8.0 / 24.0);
  g_assert_cmpfloat (forecast.decision_rate_hour, ==, 4.0);
  g_assert_cmpfloat (forecast.decision_rate_day, ==, 6.0 / 24.0);
  g_assert_cmpfloat (forecast.pace, ==, 4.0);
  g_assert_true (forecast.can_clear);
  g_assert_cmpfloat (forecast.hours_to_clear, ==, 2.0);
  g_assert_cmpuint (forecast.will_miss_deadline, ==, 2);

  node = vd_forecast_to_json (&forecast, "q");
  json = json_to_string (node, FALSE);
  g_assert_cmpstr (json, ==,
                   "{\"queue\":\"q\",\"pending\":8,\"arrival_rate_hour\":6.0,"
                   "\"arrival_rate_day\":0.33333333333333331,\"decision_rate_hour\":4.0,"
                   "\"decision_rate_day\":0.25,\"hours_to_clear\":2.0,"
                   "\"will_miss_deadline\":2}");

  text = vd_forecast_describe (&forecast);
  g_assert_cmpstr (text, ==,
                   "Waiting: 8 undecided items, 5 with a deadline\n"
                   "Arrivals: 6.00 per hour in the last hour, 0.33 per hour over the last day\n"
                   "Decisions: 4.00 per hour in the last hour, 0.25 per hour over the last day\n"
                   "At 4.00 decisions per hour the queue clears in 2.00 hours; 2 items will "
                   "pass their deadline.");

  /* All queues: r adds r1 (due 12:05) and r2's decision. Pace 5 per hour:
   * i09 12:12 late, r1 12:24 late, i10 12:36 late, i11 12:48 late, i12
   * 13:00 in time, i13 in time. */
  compute (fixture, NULL, NOW, &forecast);
  g_assert_cmpuint (forecast.pending, ==, 9);
  g_assert_cmpuint (forecast.with_deadline, ==, 6);
  g_assert_cmpfloat (forecast.arrival_rate_hour, ==, 7.0);
  g_assert_cmpfloat (forecast.arrival_rate_day, ==, 9.0 / 24.0);
  g_assert_cmpfloat (forecast.decision_rate_hour, ==, 5.0);
  g_assert_cmpfloat (forecast.decision_rate_day, ==, 7.0 / 24.0);
  g_assert_cmpfloat (forecast.hours_to_clear, ==, 9.0 / 5.0);
  g_assert_cmpuint (forecast.will_miss_deadline, ==, 4);

  /* Three hours later nobody decided anything for two hours: the day's
   * average is the pace (6 in 24 hours: 4 hours per item), so everything
   * with a deadline is late by then. */
  compute (fixture, "q", "2026-03-01T15:00:00Z", &forecast);
  g_assert_cmpfloat (forecast.decision_rate_hour, ==, 0.0);
  g_assert_cmpfloat (forecast.decision_rate_day, ==, 6.0 / 24.0);
  g_assert_cmpfloat (forecast.pace, ==, 0.25);
  g_assert_cmpfloat (forecast.hours_to_clear, ==, 32.0);
  g_assert_cmpuint (forecast.will_miss_deadline, ==, 5);
}

static void
test_no_pace (Fixture       *fixture,
              gconstpointer  data)
{
  VdForecast forecast = { 0, };
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *json = NULL;
  g_autofree char *text = NULL;

  /* Nothing at all. */
  compute (fixture, NULL, NOW, &forecast);
  g_assert_cmpuint (forecast.pending, ==, 0);
  g_assert_false (forecast.can_clear);
  g_assert_cmpuint (forecast.will_miss_deadline, ==, 0);
  text = vd_forecast_describe (&forecast);
  g_assert_true (g_str_has_suffix (text, "\nNothing waits for a reviewer."));
  g_clear_pointer (&text, g_free);

  /* Items, no decision ever: the queue does not clear; every deadline
   * passes. */
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
  g_assert_false (forecast.can_clear);
  g_assert_cmpuint (forecast.will_miss_deadline, ==, 1);

  node = vd_forecast_to_json (&forecast, NULL);
  json = json_to_string (node, FALSE);
  g_assert_cmpstr (json, ==,
                   "{\"queue\":null,\"pending\":2,\"arrival_rate_hour\":2.0,"
                   "\"arrival_rate_day\":0.083333333333333329,\"decision_rate_hour\":0.0,"
                   "\"decision_rate_day\":0.0,\"hours_to_clear\":null,"
                   "\"will_miss_deadline\":1}");
  text = vd_forecast_describe (&forecast);
  g_assert_true (g_str_has_suffix (text, "\nNo reviewer decided anything in the last day: the "
                                         "queue does not clear, and 1 item with a deadline "
                                         "will pass it."));
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
  g_assert_cmpuint (forecast.will_miss_deadline, ==, 2);
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
  g_test_add ("/forecast/async", Fixture, NULL, fixture_set_up, test_async,
              fixture_tear_down);

  return g_test_run ();
}
