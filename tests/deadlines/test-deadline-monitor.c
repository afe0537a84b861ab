/* test-deadline-monitor.c: the deadline monitor without a window
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

#include <sqlite3.h>
#include <string.h>

#include "vd-core.h"
#include "vd-test-util.h"

typedef VdTestStore Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  vd_test_store_set_up (fixture, "deadline-monitor");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  vd_test_store_tear_down (fixture);
}

/* A queue line in queue "q"; @arrival_s and @due_s relative to now, in
 * seconds (G_MININT for none). */
static void
add_line (GString    *queue,
          const char *task_id,
          const char *task_type,
          int         arrival_s,
          int         due_s)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  g_string_append_printf (queue, "{\"task_id\": \"%s\", \"task_type\": \"%s\", "
                          "\"task_description\": \"Task %s\", "
                          "\"agent_output\": {\"content\": \"c\", \"confidence\": 0.5}",
                          task_id, task_type, task_id);
  if (arrival_s != G_MININT)
    {
      g_autoptr(GDateTime) time = g_date_time_add_seconds (now, arrival_s);
      g_autofree char *text = vd_timestamp_format (time);

      g_string_append_printf (queue, ", \"timestamp\": \"%s\"", text);
    }
  if (due_s != G_MININT)
    {
      g_autoptr(GDateTime) time = g_date_time_add_seconds (now, due_s);
      g_autofree char *text = vd_timestamp_format (time);

      g_string_append_printf (queue, ", \"due_at\": \"%s\"", text);
    }
  g_string_append (queue, "}\n");
}

static void
import_queue (Fixture  *fixture,
              GString  *queue,
              VdPolicy *policy)
{
  VdImportResult result = { 0, };

  vd_test_import_text (fixture->store, fixture->dir, "queue.jsonl", queue->str, policy, &result);
}

static gint64
item_id (Fixture    *fixture,
         const char *task_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VdItem) item = vd_store_get_item (fixture->store, "q", task_id, &error);

  g_assert_no_error (error);

  return vd_item_get_id (item);
}

typedef struct
{
  VdDeadlineMonitor *monitor;
  guint              value;
} Count;

static gboolean
checks_reach (gpointer user_data)
{
  Count *count = user_data;

  return vd_deadline_monitor_get_n_deadline_checks (count->monitor) >= count->value;
}

static void
wait_checks (VdDeadlineMonitor *monitor,
             guint              n)
{
  Count count = { monitor, n };

  g_assert_true (vd_test_iterate_until (checks_reach, &count, 20000));
}

static void
notification_cb (VdDeadlineMonitor *monitor,
                 const char        *title,
                 const char        *body,
                 gint64             item,
                 guint             *n_signals)
{
  g_assert_cmpstr (title, ==, vd_deadline_monitor_get_notification_title (monitor));
  g_assert_cmpstr (body, ==, vd_deadline_monitor_get_notification_body (monitor));
  g_assert_cmpint (item, ==, vd_deadline_monitor_get_notification_item (monitor));
  (*n_signals)++;
}

/* Deadlines about to pass: offered once per item, only while watching. */
static void
test_near (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(GString) queue = g_string_new ("{\"verdict_queue\": 1, \"queue\": \"q\"}\n");
  g_autoptr(GString) more = g_string_new ("{\"verdict_queue\": 1, \"queue\": \"q\"}\n");
  g_autoptr(VdPolicy) policy = vd_policy_new ();
  g_autoptr(VdDeadlineMonitor) monitor = NULL;
  guint n_signals = 0;

  add_line (queue, "near", "payment", -3600, 5 * 60 + 40);
  add_line (queue, "far", "payment", -3600, 5 * 3600);
  /* 30 min left of 9 h 30 min: less than 10% of its SLA. */
  add_line (queue, "share", "payment", -9 * 3600, 30 * 60 + 40);
  import_queue (fixture, queue, policy);

  monitor = vd_deadline_monitor_new (fixture->store, policy);
  g_signal_connect (monitor, "notification", G_CALLBACK (notification_cb), &n_signals);

  /* Not watching: the look finds them, and offers nothing. */
  vd_deadline_monitor_check (monitor);
  wait_checks (monitor, 1);
  g_assert_cmpuint (vd_deadline_monitor_get_n_notifications (monitor), ==, 0);
  g_assert_false (vd_deadline_monitor_get_notification_shown (monitor));

  /* Watching: a look at once, one notification for the soonest. */
  vd_deadline_monitor_set_watching (monitor, TRUE);
  wait_checks (monitor, 2);
  g_assert_cmpuint (vd_deadline_monitor_get_n_notifications (monitor), ==, 1);
  g_assert_cmpuint (n_signals, ==, 1);
  g_assert_true (vd_deadline_monitor_get_notification_shown (monitor));
  g_assert_cmpstr (vd_deadline_monitor_get_notification_title (monitor), ==,
                   "2 items are about to pass their deadline");
  g_assert_cmpstr (vd_deadline_monitor_get_notification_body (monitor), ==,
                   "The soonest: “near” in q, 5 min left.");
  g_assert_cmpint (vd_deadline_monitor_get_notification_item (monitor), ==,
                   item_id (fixture, "near"));

  /* Not again for the same items. */
  vd_deadline_monitor_check (monitor);
  wait_checks (monitor, 3);
  g_assert_cmpuint (vd_deadline_monitor_get_n_notifications (monitor), ==, 1);

  /* A new item comes close: offered again. */
  add_line (more, "new", "payment", -3600, 8 * 60 + 40);
  import_queue (fixture, more, policy);
  vd_deadline_monitor_check (monitor);
  wait_checks (monitor, 4);
  g_assert_cmpuint (vd_deadline_monitor_get_n_notifications (monitor), ==, 2);
  g_assert_cmpstr (vd_deadline_monitor_get_notification_title (monitor), ==,
                   "3 items are about to pass their deadline");

  /* The reviewer is back: withdrawn. */
  vd_deadline_monitor_set_watching (monitor, FALSE);
  g_assert_false (vd_deadline_monitor_get_notification_shown (monitor));
  g_assert_cmpuint (n_signals, ==, 2);
}

static gboolean
has_fallback_message (gpointer user_data)
{
  return vd_deadline_monitor_get_fallback_message (user_data) != NULL;
}

static void
fallbacks_applied_cb (VdDeadlineMonitor *monitor,
                      const VdSlaResult *result,
                      VdSlaResult       *last)
{
  *last = *result;
}

/* The fallbacks of passed deadlines, and what they did in a sentence. */
static void
test_fallbacks (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GString) queue = g_string_new ("{\"verdict_queue\": 1, \"queue\": \"q\"}\n");
  g_autoptr(VdPolicy) policy = vd_policy_new ();
  g_autoptr(VdPolicy) other = vd_policy_new ();
  g_autoptr(VdDeadlineMonitor) monitor = NULL;
  VdSlaResult last = { 0, };

  vd_policy_set_fallback (policy, "payment", VD_SLA_FALLBACK_AUTO_REJECT);
  add_line (queue, "pay", "payment", -3600, 1);
  add_line (queue, "talk", "support", -3600, 1);
  import_queue (fixture, queue, policy);

  monitor = vd_deadline_monitor_new (fixture->store, other);
  g_assert_true (vd_deadline_monitor_get_policy (monitor) == other);
  vd_deadline_monitor_set_policy (monitor, policy);
  g_assert_true (vd_sla_timer_get_policy (vd_deadline_monitor_get_timer (monitor)) == policy);
  vd_sla_timer_set_min_interval_ms (vd_deadline_monitor_get_timer (monitor), 50);
  g_signal_connect (monitor, "fallbacks-applied", G_CALLBACK (fallbacks_applied_cb), &last);

  g_assert_false (vd_deadline_monitor_get_running (monitor));
  vd_deadline_monitor_start (monitor);
  g_assert_true (vd_deadline_monitor_get_running (monitor));

  g_assert_true (vd_test_iterate_until (has_fallback_message, monitor, 20000));
  g_assert_cmpstr (vd_deadline_monitor_get_fallback_message (monitor), ==,
                   "2 items passed their deadline: 1 escalated, 1 sent back for revision");
  g_assert_cmpuint (last.applied, ==, 2);

  vd_deadline_monitor_stop (monitor);
  g_assert_false (vd_deadline_monitor_get_running (monitor));
}

static gboolean
forecasts_reach (gpointer user_data)
{
  Count *count = user_data;

  return vd_deadline_monitor_get_n_forecasts (count->monitor) >= count->value;
}

/* Decides @task_id in queue q as alice, @minutes_ago minutes ago. */
static void
decide_minutes_ago (Fixture    *fixture,
                    const char *task_id,
                    int         minutes_ago)
{
  g_autoptr(VdDecision) decision = vd_decision_new ("q", task_id, VD_DECISION_KIND_APPROVE,
                                                    "alice");
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;
  sqlite3 *db = NULL;

  g_assert_true (vd_store_record_decision (fixture->store, decision, &error));
  g_assert_no_error (error);

  sql = g_strdup_printf ("UPDATE decisions SET timestamp = %" G_GINT64_FORMAT
                         " WHERE queue = 'q' AND task_id = '%s'",
                         g_get_real_time () - minutes_ago * G_TIME_SPAN_MINUTE, task_id);
  if (!vd_test_store_is_sqlite ())
    {
      g_autofree char *returning = g_strconcat (sql, " RETURNING 1", NULL);
      g_autofree char *changed = vd_test_store_sql (fixture->db, returning);

      g_assert_nonnull (changed);
      return;
    }
  g_assert_cmpint (sqlite3_open (fixture->db, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_changes (db), ==, 1);
  sqlite3_close (db);
}

/* The forecast of a queue, in a line. */
static void
test_forecast (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GString) queue = g_string_new ("{\"verdict_queue\": 1, \"queue\": \"q\"}\n");
  g_autoptr(VdDeadlineMonitor) monitor = NULL;
  static const int minutes_ago[] = { 59, 45, 30, 15, 0 };
  Count count;

  add_line (queue, "soon", "payment", -3600, 10 * 60);
  add_line (queue, "late", "payment", -3600, 5 * 3600);
  for (guint i = 0; i < G_N_ELEMENTS (minutes_ago); i++)
    {
      g_autofree char *task_id = g_strdup_printf ("d%u", i);

      add_line (queue, task_id, "payment", -3600, G_MININT);
    }
  import_queue (fixture, queue, NULL);

  monitor = vd_deadline_monitor_new (fixture->store, NULL);
  g_assert_null (vd_deadline_monitor_get_forecast_text (monitor));

  /* Nobody decided yet: no pace, and no guess at who misses a deadline. */
  vd_deadline_monitor_refresh_forecast (monitor, NULL);
  count = (Count) { monitor, 1 };
  g_assert_true (vd_test_iterate_until (forecasts_reach, &count, 20000));
  g_assert_null (vd_deadline_monitor_get_forecast_queue (monitor));
  g_assert_cmpstr (vd_deadline_monitor_get_forecast_text (monitor), ==,
                   "Not enough decisions yet to forecast");
  g_assert_nonnull (strstr (vd_deadline_monitor_get_forecast_details (monitor),
                            "No pace yet: 0 decisions in the last day, a pace needs 5 over "
                            "10 minutes"));

  /* Four decisions are not enough yet. */
  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *task_id = g_strdup_printf ("d%u", i);

      decide_minutes_ago (fixture, task_id, minutes_ago[i]);
    }
  vd_deadline_monitor_refresh_forecast (monitor, "q");
  count = (Count) { monitor, 2 };
  g_assert_true (vd_test_iterate_until (forecasts_reach, &count, 20000));
  g_assert_cmpstr (vd_deadline_monitor_get_forecast_text (monitor), ==,
                   "Not enough decisions yet to forecast");

  /* Five over the last hour, 15 minutes apart: 4 an hour, the two left in
   * ~30 min; "soon" (due in 10 minutes) is done in 15. */
  decide_minutes_ago (fixture, "d4", minutes_ago[4]);
  vd_deadline_monitor_refresh_forecast (monitor, "q");
  count = (Count) { monitor, 3 };
  g_assert_true (vd_test_iterate_until (forecasts_reach, &count, 20000));
  g_assert_cmpstr (vd_deadline_monitor_get_forecast_queue (monitor), ==, "q");
  g_assert_cmpstr (vd_deadline_monitor_get_forecast_text (monitor), ==,
                   "Clears in ~30 min at the current pace · 1 will miss its deadline");
  g_assert_nonnull (strstr (vd_deadline_monitor_get_forecast_details (monitor),
                            "Pace: 4.0 per hour, from the last 5 decisions"));

  /* Another queue: the last one asked for wins. */
  vd_deadline_monitor_refresh_forecast (monitor, "q");
  vd_deadline_monitor_refresh_forecast (monitor, "empty");
  count = (Count) { monitor, 4 };
  g_assert_true (vd_test_iterate_until (forecasts_reach, &count, 20000));
  vd_test_iterate_for (50);
  g_assert_cmpuint (vd_deadline_monitor_get_n_forecasts (monitor), ==, 4);
  g_assert_cmpstr (vd_deadline_monitor_get_forecast_queue (monitor), ==, "empty");
  g_assert_cmpstr (vd_deadline_monitor_get_forecast_text (monitor), ==,
                   "Nothing waiting: no forecast needed");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/deadline-monitor/near", Fixture, NULL,
              fixture_set_up, test_near, fixture_tear_down);
  g_test_add ("/deadline-monitor/fallbacks", Fixture, NULL,
              fixture_set_up, test_fallbacks, fixture_tear_down);
  g_test_add ("/deadline-monitor/forecast", Fixture, NULL,
              fixture_set_up, test_forecast, fixture_tear_down);

  return g_test_run ();
}
