/* test-window-sla.c: deadlines and capacity in the main window
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

#define G_LOG_DOMAIN "test-window-sla"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "vd-bulk-dialog.h"
#include "vd-item-detail-private.h"
#include "vd-item-row.h"
#include "vd-test-gui.h"

#define REVIEWER "tester"

typedef struct
{
  char      *tmpdir;
  VdStore   *store;
  VdSession *session;
  VdWindow  *window;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *db_path = NULL;

  fixture->tmpdir = vd_test_make_tmp_dir ("test-window-sla");

  db_path = g_build_filename (fixture->tmpdir, "verdict.db", NULL);
  fixture->store = vd_test_open_store (db_path);
  fixture->session = vd_test_session_new (fixture->store);

  fixture->window = g_object_ref (vd_window_new (NULL, fixture->session));
  gtk_window_present (GTK_WINDOW (fixture->window));
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  VdWindow *window = g_steal_pointer (&fixture->window);
  vd_test_destroy_other_windows (window);

  vd_test_close_window (window);

  vd_test_release_session (g_steal_pointer (&fixture->session));
  vd_test_release_store (g_steal_pointer (&fixture->store));
  vd_test_remove_tree (fixture->tmpdir);
  g_clear_pointer (&fixture->tmpdir, g_free);
}

/* A queue line in queue "q"; @arrival and @due relative to now, in seconds
 * (G_MININT for none). */
static void
add_line (GString    *queue,
          const char *task_id,
          const char *task_type,
          double      confidence,
          const char *reason,
          int         arrival_s,
          int         due_s)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  g_string_append_printf (queue, "{\"task_id\": \"%s\", \"task_type\": \"%s\", "
                          "\"task_description\": \"Task %s\", "
                          "\"agent_output\": {\"content\": \"Output of %s\", \"confidence\": %.2f}",
                          task_id, task_type, task_id, task_id, confidence);
  if (reason != NULL)
    g_string_append_printf (queue, ", \"escalation_reason\": \"%s\"", reason);
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

static GString *
new_queue (void)
{
  return g_string_new ("{\"verdict_queue\": 1, \"queue\": \"q\"}\n");
}

static gboolean
model_ready (Fixture *fixture)
{
  GListModel *items = G_LIST_MODEL (vd_test_window_items (fixture->window));

  return items != NULL && !vd_item_list_model_get_loading (VD_ITEM_LIST_MODEL (items));
}

static guint
n_items (Fixture *fixture)
{
  GListModel *items = G_LIST_MODEL (vd_test_window_items (fixture->window));

  return items != NULL ? g_list_model_get_n_items (items) : 0;
}

static void
import_queue (Fixture *fixture,
              GString *queue)
{
  g_autofree char *path = vd_test_write_file (fixture->tmpdir, "queue.jsonl", queue->str);
  g_autoptr(GFile) file = g_file_new_for_path (path);

  vd_window_import_files (fixture->window, &file, 1);
  WAIT_UNTIL (!vd_test_window_importing (fixture->window) &&
              g_strcmp0 (vd_test_window_page (fixture->window, "main_stack"), "review") == 0 &&
              model_ready (fixture) && vd_test_window_shown_item (fixture->window) != NULL);
}

static VdDeadlineMonitor *
monitor_of (Fixture *fixture)
{
  return vd_session_get_deadline_monitor (fixture->session);
}

/* As a notification's action or a row of the bulk approve dialog does. */
static void
show_item (Fixture *fixture,
           gint64   item_id)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-item",
                                             "x", item_id));
}

static gboolean
shows_label (Fixture    *fixture,
             const char *text)
{
  return vd_test_find_label (GTK_WIDGET (fixture->window), text) != NULL;
}

/* The forecast line under the counts, NULL while it is hidden. */
static const char *
forecast_text (Fixture *fixture)
{
  GtkWidget *label = vd_test_window_child (fixture->window, "forecast_label");

  return gtk_widget_get_visible (label) ? gtk_label_get_text (GTK_LABEL (label)) : NULL;
}

static VdItem *
get_item (Fixture    *fixture,
          const char *task_id)
{
  g_autoptr(GError) error = NULL;
  VdItem *item = vd_store_get_item (fixture->store, "q", task_id, &error);

  g_assert_no_error (error);

  return item;
}

static guint
count_audit (VdStore    *store,
             const char *event_type)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = vd_store_list_audit (store, 0, 0, &error);
  guint count = 0;

  g_assert_no_error (error);
  for (guint i = 0; i < events->len; i++)
    if (g_strcmp0 (vd_audit_event_get_event_type (g_ptr_array_index (events, i)),
                   event_type) == 0)
      count++;

  return count;
}

static guint64
count_status (VdStore *store,
              guint    statuses)
{
  VdItemQuery query = VD_ITEM_QUERY_INIT;
  g_autoptr(GError) error = NULL;
  guint64 count = G_MAXUINT64;

  query.statuses = statuses;
  vd_store_count_items (store, &query, &count, &error);
  g_assert_no_error (error);

  return count;
}

/* Rows: the countdown, the warning under 10% of the SLA, the shared tick
 * (the rule itself is tested in test-sla.c) */

static void
test_row_countdown (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GString) queue = new_queue ();
  g_autoptr(GPtrArray) rows = NULL;
  VdItemRow *soon, *later;
  guint n_mapped = 0;

  /* 30 min left of 9 h 30 min (5%), and 2 h left of 3 h (67%). */
  add_line (queue, "soon", "payment", 0.5, NULL, -9 * 3600, 30 * 60 + 40);
  add_line (queue, "later", "payment", 0.5, NULL, -3600, 2 * 3600 + 40);
  add_line (queue, "none", "payment", 0.5, NULL, G_MININT, G_MININT);
  import_queue (fixture, queue);

  WAIT_UNTIL (vd_test_find_row (fixture->window, "soon") != NULL && vd_test_find_row (fixture->window, "later") != NULL &&
              vd_test_find_row (fixture->window, "none") != NULL);
  soon = vd_test_find_row (fixture->window, "soon");
  later = vd_test_find_row (fixture->window, "later");

  g_assert_nonnull (vd_test_find_label (GTK_WIDGET (soon), "30 min left"));
  g_assert_nonnull (vd_test_find_label (GTK_WIDGET (later), "2 h left"));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (soon), "deadline-soon"));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (vd_test_find_label (GTK_WIDGET (soon),
                                                                   "30 min left")),
                                           "warning"));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (later), "deadline-soon"));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (vd_test_find_label (GTK_WIDGET (later),
                                                                    "2 h left")),
                                            "warning"));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (vd_test_find_row (fixture->window, "none")),
                                            "deadline-soon"));

  g_assert_cmpstr (vd_item_row_get_accessible_description (soon), ==,
                   "Task soon, 30 min left, deadline close");
  g_assert_cmpstr (vd_item_row_get_accessible_description (later), ==,
                   "Task later, 2 h left");
  g_assert_cmpstr (vd_item_row_get_accessible_description (vd_test_find_row (fixture->window, "none")), ==,
                   "Task none");

  /* One shared tick refreshes the mapped rows: no timer per row. */
  rows = vd_test_find_widgets (vd_test_window_child (fixture->window, "list_view"),
                               VD_TYPE_ITEM_ROW);
  for (guint i = 0; i < rows->len; i++)
    if (gtk_widget_get_mapped (g_ptr_array_index (rows, i)))
      n_mapped++;
  g_assert_cmpuint (vd_item_row_get_n_ticking (), ==, n_mapped);
}

/* The deadline timer applies fallbacks; the window shows what happened */

static GtkWidget *
detail_of (Fixture *fixture)
{
  return GTK_WIDGET (vd_test_window_child (fixture->window, "detail"));
}

static void
test_timer_fallback (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GString) queue = new_queue ();
  g_autoptr(VdPolicy) policy = vd_policy_new ();
  g_autoptr(VdItem) rejected = NULL;
  g_autofree char *deadline = NULL;
  g_autofree char *expected = NULL;
  VdItemDetail *detail = VD_ITEM_DETAIL (detail_of (fixture));
  GtkLabel *sla_label;

  vd_policy_set_fallback (policy, "payment", VD_SLA_FALLBACK_AUTO_REJECT);
  vd_session_set_policy (fixture->session, policy);

  /* The deadlines pass two seconds from now. */
  add_line (queue, "pay", "payment", 0.5, NULL, -3600, 2);
  add_line (queue, "talk", "support", 0.5, NULL, -3600, 2);
  add_line (queue, "calm", "support", 0.5, NULL, -3600, G_MININT);
  import_queue (fixture, queue);
  g_assert_cmpuint (n_items (fixture), ==, 3);

  /* The item shown is the one the fallback sends back. */
  show_item (fixture, vd_item_get_id (rejected = get_item (fixture, "pay")));
  WAIT_UNTIL (vd_test_window_shown_item (fixture->window) != NULL &&
              g_strcmp0 (vd_item_get_task_id (vd_test_window_shown_item (fixture->window)),
                         "pay") == 0);
  g_assert_false (gtk_widget_get_visible (_vd_item_detail_get_sla_banner (detail)));

  /* The session's deadline monitor, as the application runs it. */
  g_assert_true (vd_deadline_monitor_get_policy (monitor_of (fixture)) == policy);
  vd_sla_timer_set_min_interval_ms (vd_deadline_monitor_get_timer (monitor_of (fixture)), 50);
  vd_deadline_monitor_start (monitor_of (fixture));

  WAIT_UNTIL (vd_deadline_monitor_get_fallback_message (monitor_of (fixture)) != NULL);
  g_assert_cmpstr (vd_deadline_monitor_get_fallback_message (monitor_of (fixture)), ==,
                   "2 items passed their deadline: 1 escalated, 1 sent back for revision");

  /* Both left the pending list. */
  WAIT_UNTIL (model_ready (fixture) && n_items (fixture) == 1);
  g_assert_cmpuint (count_status (fixture->store, VD_STATUS_MASK (VD_TASK_STATUS_ESCALATED)),
                    ==, 1);
  g_assert_cmpuint (count_status (fixture->store, VD_STATUS_MASK (VD_TASK_STATUS_REJECTED)),
                    ==, 1);

  /* Shown again, the item says what happened to it. */
  vd_test_window_set_status (fixture->window, VD_TEST_STATUS_ALL);
  show_item (fixture, vd_item_get_id (rejected));
  WAIT_UNTIL (model_ready (fixture) && vd_test_window_shown_item (fixture->window) != NULL &&
              vd_item_get_id (vd_test_window_shown_item (fixture->window)) ==
              vd_item_get_id (rejected));
  WAIT_UNTIL (gtk_widget_get_visible (_vd_item_detail_get_sla_banner (detail)));
  deadline = _vd_item_detail_format_time (vd_item_get_due_at (rejected));
  expected = g_strdup_printf ("Deadline passed %s — sent back for revision by the deadline "
                              "fallback (auto_reject)", deadline);
  sla_label = _vd_item_detail_get_label (detail, "sla");
  g_assert_cmpstr (gtk_label_get_text (sla_label), ==, expected);

  /* The history names the deadline fallback, not the policy. */
  WAIT_UNTIL (vd_test_find_label (detail_of (fixture), "by the deadline fallback") != NULL);
  g_assert_null (vd_test_find_label (detail_of (fixture), "by the policy, automatically"));

  /* The window said so too, in a toast (after the import's own). */
  WAIT_UNTIL (shows_label (fixture,
                           "2 items passed their deadline: 1 escalated, 1 sent back for revision"));

  vd_deadline_monitor_stop (monitor_of (fixture));
}

static void
test_escalated_banner (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GString) queue = new_queue ();
  g_autoptr(VdPolicy) policy = vd_policy_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) later = NULL;
  g_autoptr(VdItem) item = NULL;
  g_autofree char *deadline = NULL;
  g_autofree char *expected = NULL;
  VdItemDetail *detail = VD_ITEM_DETAIL (detail_of (fixture));
  VdSlaResult result = { 0, };

  /* An auto-approve is not safe for a high-risk action: escalated. */
  vd_policy_set_fallback (policy, NULL, VD_SLA_FALLBACK_AUTO_APPROVE);
  add_line (queue, "risky", "payment", 0.9, "high_risk_action", -3600, 60);
  import_queue (fixture, queue);
  vd_test_window_set_status (fixture->window, VD_TEST_STATUS_ALL);
  WAIT_UNTIL (model_ready (fixture) && vd_test_window_shown_item (fixture->window) != NULL);

  item = get_item (fixture, "risky");
  later = g_date_time_add_minutes (vd_item_get_due_at (item), 1);
  vd_sla_apply (fixture->store, policy, later, &result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result.unsafe, ==, 1);

  vd_window_reload (fixture->window);
  vd_item_detail_reload (detail);
  WAIT_UNTIL (gtk_widget_get_visible (_vd_item_detail_get_sla_banner (detail)));
  deadline = _vd_item_detail_format_time (vd_item_get_due_at (item));
  expected = g_strdup_printf ("Deadline passed %s — escalated by the deadline fallback "
                              "(auto_approve is not safe for this item)", deadline);
  g_assert_cmpstr (gtk_label_get_text (_vd_item_detail_get_label (detail, "sla")), ==, expected);
}

/* A decision on an item the fallback decided: the store's message */

static void
test_refused_decision (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GString) queue = new_queue ();
  g_autoptr(VdPolicy) policy = vd_policy_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) later = NULL;
  g_autoptr(VdItem) item = NULL;
  g_autoptr(GPtrArray) dialogs = NULL;
  AdwMessageDialog *dialog = NULL;
  VdSlaResult result = { 0, };

  vd_policy_set_fallback (policy, NULL, VD_SLA_FALLBACK_AUTO_REJECT);
  add_line (queue, "late", "payment", 0.5, NULL, -3600, 60);
  import_queue (fixture, queue);
  item = get_item (fixture, "late");

  /* Another process (verdict-cli sla apply) applies the fallback while the
   * window still shows the item as pending. */
  later = g_date_time_add_minutes (vd_item_get_due_at (item), 1);
  vd_sla_apply (fixture->store, policy, later, &result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result.auto_rejected, ==, 1);

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.approve", NULL);

  {
    GListModel *toplevels = gtk_window_get_toplevels ();
    gint64 end = g_get_monotonic_time () + vd_test_deadline_seconds * G_USEC_PER_SEC;

    while (dialog == NULL && g_get_monotonic_time () < end)
      {
        for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
          {
            g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

            if (ADW_IS_MESSAGE_DIALOG (window))
              dialog = ADW_MESSAGE_DIALOG (window);
          }
        g_main_context_iteration (NULL, TRUE);
      }
  }
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Cannot Save the Decision");
  g_assert_true (g_str_has_prefix (adw_message_dialog_get_body (dialog),
                                   "The decision on “late” was not saved: Item late in queue q: "
                                   "the deadline fallback “auto_reject” was applied at "));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog),
                            "the item was rejected with the feedback “deadline passed”"));
}

/* The notification while the window is in the background */

static void
test_notification (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GString) queue = new_queue ();
  g_autoptr(VdItem) near = NULL;
  g_autoptr(VdItem) far = NULL;
  g_autoptr(GString) more = NULL;
  VdDeadlineMonitor *monitor;
  guint checks;

  add_line (queue, "near", "payment", 0.5, NULL, -3600, 5 * 60 + 40);
  add_line (queue, "far", "payment", 0.5, NULL, -3600, 5 * 3600);
  import_queue (fixture, queue);
  near = get_item (fixture, "near");
  far = get_item (fixture, "far");

  /* The reviewer is in a window (the application watches while none is
   * active): nothing is notified. */
  monitor = monitor_of (fixture);
  vd_deadline_monitor_set_watching (monitor, FALSE);
  vd_deadline_monitor_check (monitor);
  WAIT_UNTIL (vd_deadline_monitor_get_n_deadline_checks (monitor) == 1);
  g_assert_cmpuint (vd_deadline_monitor_get_n_notifications (monitor), ==, 0);

  /* In the background: one notification, for the soonest. */
  vd_deadline_monitor_set_watching (monitor, TRUE);
  WAIT_UNTIL (vd_deadline_monitor_get_n_deadline_checks (monitor) == 2);
  g_assert_cmpuint (vd_deadline_monitor_get_n_notifications (monitor), ==, 1);
  g_assert_true (vd_deadline_monitor_get_notification_shown (monitor));
  g_assert_cmpstr (vd_deadline_monitor_get_notification_title (monitor), ==,
                   "1 item is about to pass its deadline");
  g_assert_cmpstr (vd_deadline_monitor_get_notification_body (monitor), ==,
                   "The soonest: “near” in q, 5 min left.");
  g_assert_cmpint (vd_deadline_monitor_get_notification_item (monitor), ==,
                   vd_item_get_id (near));

  /* Not again for the same item. */
  checks = vd_deadline_monitor_get_n_deadline_checks (monitor);
  vd_deadline_monitor_check (monitor);
  WAIT_UNTIL (vd_deadline_monitor_get_n_deadline_checks (monitor) == checks + 1);
  g_assert_cmpuint (vd_deadline_monitor_get_n_notifications (monitor), ==, 1);

  /* Back in the window: withdrawn; the notification's action selects the
   * item. */
  vd_deadline_monitor_set_watching (monitor, FALSE);
  g_assert_false (vd_deadline_monitor_get_notification_shown (monitor));

  show_item (fixture, vd_item_get_id (far));
  WAIT_UNTIL (vd_test_window_shown_item (fixture->window) != NULL &&
              vd_item_get_id (vd_test_window_shown_item (fixture->window)) ==
              vd_item_get_id (far));
  show_item (fixture, vd_item_get_id (near));
  WAIT_UNTIL (vd_item_get_id (vd_test_window_shown_item (fixture->window)) ==
              vd_item_get_id (near));
}

/* The forecast under the counts */

static void
decide (Fixture        *fixture,
        const char     *task_id,
        VdDecisionKind  kind,
        const char     *feedback)
{
  g_autoptr(VdItem) item = get_item (fixture, task_id);
  /* The window's reviewer: the item it shows is claimed in their name. */
  g_autoptr(VdDecision) decision = vd_decision_new ("q", task_id, kind, REVIEWER);
  g_autoptr(GError) error = NULL;

  vd_decision_set_revision (decision, vd_item_get_revision (item));
  if (feedback != NULL)
    vd_decision_set_feedback (decision, feedback);
  vd_store_record_decision (fixture->store, decision, &error);
  g_assert_no_error (error);
}

/* Moves the decision on @task_id back by @minutes, as if taken then. */
static void
set_decided_minutes_ago (Fixture    *fixture,
                         const char *task_id,
                         int         minutes)
{
  g_autofree char *db_path = g_build_filename (fixture->tmpdir, "verdict.db", NULL);
  g_autofree char *sql = NULL;
  sqlite3 *db = NULL;

  sql = g_strdup_printf ("UPDATE decisions SET timestamp = %" G_GINT64_FORMAT
                         " WHERE queue = 'q' AND task_id = '%s'",
                         g_get_real_time () - minutes * G_TIME_SPAN_MINUTE, task_id);
  g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_changes (db), ==, 1);
  sqlite3_close (db);
}

static void
test_forecast (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GString) queue = new_queue ();
  static const int minutes_ago[] = { 59, 45, 30, 15, 0 };
  guint forecasts;

  for (guint i = 0; i < G_N_ELEMENTS (minutes_ago); i++)
    {
      g_autofree char *task_id = g_strdup_printf ("d%u", i + 1);

      add_line (queue, task_id, "payment", 0.5, NULL, -3600, G_MININT);
    }
  add_line (queue, "soon", "payment", 0.5, NULL, -3600, 10 * 60);
  add_line (queue, "late", "payment", 0.5, NULL, -3600, 5 * 3600);
  import_queue (fixture, queue);

  /* Nobody decided yet: no pace, so no time and no count of misses. */
  WAIT_UNTIL (forecast_text (fixture) != NULL);
  g_assert_cmpstr (forecast_text (fixture), ==, "Not enough decisions yet to forecast");

  /* Two decisions: still not a pace worth showing. */
  decide (fixture, "d1", VD_DECISION_KIND_APPROVE, NULL);
  decide (fixture, "d2", VD_DECISION_KIND_APPROVE, NULL);
  forecasts = vd_deadline_monitor_get_n_forecasts (monitor_of (fixture));
  vd_window_reload (fixture->window);
  WAIT_UNTIL (vd_deadline_monitor_get_n_forecasts (monitor_of (fixture)) > forecasts);
  g_assert_cmpstr (forecast_text (fixture), ==, "Not enough decisions yet to forecast");

  /* Five over the last hour, 15 minutes apart: 4 an hour, the two left in
   * ~30 min; "soon" (due in 10 minutes) is done in 15 and misses. */
  decide (fixture, "d3", VD_DECISION_KIND_APPROVE, NULL);
  decide (fixture, "d4", VD_DECISION_KIND_APPROVE, NULL);
  decide (fixture, "d5", VD_DECISION_KIND_APPROVE, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (minutes_ago); i++)
    {
      g_autofree char *task_id = g_strdup_printf ("d%u", i + 1);

      set_decided_minutes_ago (fixture, task_id, minutes_ago[i]);
    }
  forecasts = vd_deadline_monitor_get_n_forecasts (monitor_of (fixture));
  vd_window_reload (fixture->window);
  /* A forecast started before the decisions were stored may still land
   * after the reload's count was read: wait for the one with the pace. */
  WAIT_UNTIL (vd_deadline_monitor_get_n_forecasts (monitor_of (fixture)) > forecasts &&
              g_strcmp0 (forecast_text (fixture),
                         "Clears in ~30 min at the current pace · 1 will miss its deadline") == 0);
  g_assert_cmpstr (forecast_text (fixture), ==,
                   "Clears in ~30 min at the current pace · 1 will miss its deadline");
}

/* Guarded bulk approve */

static VdBulkDialog *
open_bulk_dialog (Fixture *fixture,
                  double   percent)
{
  VdBulkBand band = { "q", NULL, 0.9, 1.0, -1 };
  VdBulkDialog *dialog;
  g_autoptr(GString) queue = new_queue ();

  for (guint i = 1; i <= 10; i++)
    {
      g_autofree char *id = g_strdup_printf ("b%02u", i);

      add_line (queue, id, "support", 0.95, "user_requested", -3600, G_MININT);
    }
  add_line (queue, "low", "support", 0.5, "user_requested", -3600, G_MININT);
  import_queue (fixture, queue);

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.bulk-approve", NULL);
  dialog = vd_test_find_toplevel (VD_TYPE_BULK_DIALOG);
  g_assert_nonnull (dialog);

  _vd_bulk_dialog_set_band (dialog, &band, percent);
  _vd_bulk_dialog_set_seed (dialog, 42);
  WAIT_UNTIL (_vd_bulk_dialog_get_band_size (dialog) == 10);
  g_assert_cmpstr (_vd_bulk_dialog_get_message (dialog), ==,
                   "The band holds 10 items; you decide a sample of 3 first.");

  gtk_widget_activate_action (GTK_WIDGET (dialog), "bulk.start", NULL);
  WAIT_UNTIL (g_strcmp0 (_vd_bulk_dialog_get_page (dialog), "sample") == 0 &&
              !_vd_bulk_dialog_get_busy (dialog));

  return dialog;
}

static void
assert_sample_recorded (Fixture      *fixture,
                        VdBulkDialog *dialog)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VdBulkAction) action = NULL;
  GPtrArray *sample = _vd_bulk_dialog_get_sample (dialog);
  VdBulkBand band = { "q", NULL, 0.9, 1.0, -1 };
  g_autofree char *band_json = vd_bulk_band_to_json (&band);

  vd_store_find_open_bulk_action (fixture->store, band_json, REVIEWER, &action, &error);
  g_assert_no_error (error);
  g_assert_nonnull (action);
  g_assert_cmpuint (action->seed, ==, 42);
  g_assert_cmpuint (action->members->len, ==, 10);
  g_assert_cmpuint (sample->len, ==, 3);
  g_assert_cmpuint (action->sample->len, ==, 3);
  for (guint i = 0; i < sample->len; i++)
    g_assert_cmpstr (g_ptr_array_index (sample, i), ==, g_ptr_array_index (action->sample, i));
}

/* The same seed draws the same sample from the same band. */
static GPtrArray *
expected_sample (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (fixture->tmpdir, "other.db", NULL);
  g_autofree char *queue_path = g_build_filename (fixture->tmpdir, "queue.jsonl", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (queue_path);
  g_autoptr(VdSqliteStore) store = vd_sqlite_store_new (path, &error);
  g_autoptr(VdImporter) importer = NULL;
  g_autoptr(VdPolicy) policy = vd_policy_new ();
  g_auto(VdBulkOutcome) outcome = { 0, };
  VdBulkBand band = { "q", NULL, 0.9, 1.0, -1 };
  VdImportResult result = { 0, };
  GPtrArray *sample = g_ptr_array_new_with_free_func (g_free);

  g_assert_no_error (error);
  importer = vd_importer_new (VD_STORE (store), policy);
  vd_importer_import (importer, &file, 1, &result, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  vd_bulk_step (VD_STORE (store), &band, REVIEWER, 30.0, 42, &outcome, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < outcome.action->sample->len; i++)
    g_ptr_array_add (sample, g_strdup (g_ptr_array_index (outcome.action->sample, i)));

  return sample;
}

/* Start-up as the application does it: a store of more items than the
 * list's first page, a session holding its background work, then the
 * window. */
#define N_HELD_ITEMS (VD_ITEM_LIST_MODEL_FIRST_PAGE + 50)

static void
fixture_setup_held (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GString) queue = new_queue ();
  g_autofree char *db_path = NULL;

  fixture->tmpdir = vd_test_make_tmp_dir ("test-window-sla");
  db_path = g_build_filename (fixture->tmpdir, "verdict.db", NULL);
  fixture->store = vd_test_open_store (db_path);

  /* Below the default threshold, lowest confidence first: "item-000"
   * leads the list. */
  for (guint i = 0; i < N_HELD_ITEMS; i++)
    {
      g_autofree char *task_id = g_strdup_printf ("item-%03u", i);

      add_line (queue, task_id, "support", 0.2 + 0.45 * i / N_HELD_ITEMS, NULL,
                -3600, i == 0 ? 5 * 60 : 5 * 3600);
    }
  vd_test_import_text (fixture->store, fixture->tmpdir, "queue.jsonl", queue->str, NULL, NULL);

  fixture->session = vd_test_session_new (fixture->store);
}

/* The first item comes first; the deadline timer, the deadline checks,
 * the counts, the queue names and the forecast start once it is drawn. */
static void
test_deferred_start (Fixture       *fixture,
                     gconstpointer  data)
{
  VdDeadlineMonitor *monitor = monitor_of (fixture);
  g_autofree char *counts = NULL;
  VdItem *shown;

  vd_session_hold_background (fixture->session, 0);
  vd_session_startup (fixture->session);
  vd_deadline_monitor_set_watching (monitor, TRUE);
  vd_test_iterate_for (100);

  /* Held: nothing scans the store yet. */
  g_assert_true (vd_session_get_background_held (fixture->session));
  g_assert_true (vd_deadline_monitor_get_held (monitor));
  g_assert_false (vd_deadline_monitor_get_running (monitor));
  g_assert_cmpuint (vd_deadline_monitor_get_n_deadline_checks (monitor), ==, 0);

  fixture->window = g_object_ref (vd_window_new (NULL, fixture->session));
  gtk_window_present (GTK_WINDOW (fixture->window));

  WAIT_UNTIL ((shown = vd_test_window_shown_item (fixture->window)) != NULL);
  g_assert_cmpstr (vd_item_get_task_id (shown), ==, "item-000");

  /* Then what waited for it. */
  WAIT_UNTIL (!vd_session_get_background_held (fixture->session));
  g_assert_false (vd_deadline_monitor_get_held (monitor));
  WAIT_UNTIL (vd_deadline_monitor_get_running (monitor) &&
              vd_deadline_monitor_get_n_deadline_checks (monitor) == 1);
  WAIT_UNTIL (forecast_text (fixture) != NULL);
  WAIT_UNTIL (model_ready (fixture) && n_items (fixture) == N_HELD_ITEMS);
  counts = g_strdup_printf ("%u pending of %u", N_HELD_ITEMS, N_HELD_ITEMS);
  WAIT_UNTIL (g_strcmp0 (vd_test_window_label_text (fixture->window, "counts_label"),
                         counts) == 0);

  /* The first item is still the one shown and selected. */
  g_assert_true (vd_test_window_shown_item (fixture->window) == shown);
  g_assert_cmpuint (vd_test_window_selected (fixture->window), ==, 0);

  /* The one due within 10 minutes was found by the check. */
  g_assert_cmpuint (vd_deadline_monitor_get_n_notifications (monitor), ==, 1);

  vd_deadline_monitor_set_watching (monitor, FALSE);
}

static void
approve_in_window (Fixture *fixture,
                   gint64   item_id)
{
  guint decided = vd_test_window_n_decisions (fixture->window);

  show_item (fixture, item_id);
  WAIT_UNTIL (vd_test_window_shown_item (fixture->window) != NULL &&
              vd_item_get_id (vd_test_window_shown_item (fixture->window)) == item_id);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.approve", NULL);
  WAIT_UNTIL (vd_test_window_n_decisions (fixture->window) == decided + 1 &&
              !vd_test_window_busy (fixture->window));
}

static void
test_bulk_approved (Fixture       *fixture,
                    gconstpointer  data)
{
  VdBulkDialog *dialog = open_bulk_dialog (fixture, 30.0);
  g_autoptr(GPtrArray) expected = expected_sample (fixture);
  GPtrArray *sample;

  assert_sample_recorded (fixture, dialog);
  sample = _vd_bulk_dialog_get_sample (dialog);
  for (guint i = 0; i < expected->len; i++)
    g_assert_cmpstr (g_ptr_array_index (sample, i), ==, g_ptr_array_index (expected, i));

  g_assert_cmpstr (_vd_bulk_dialog_get_message (dialog), ==,
                   "Decide the 3 sampled items in the main window, one by one: 3 are left. "
                   "Select an item here to show it there. Approve only what you would approve "
                   "on its own; any other decision cancels the bulk approve.");

  /* The reviewer approves the sample, one by one, in the main window. */
  for (guint i = 0; i < 3; i++)
    {
      gint64 id = _vd_bulk_dialog_get_sample_item_id (dialog, i);

      g_assert_cmpint (id, >, 0);
      approve_in_window (fixture, id);
      WAIT_UNTIL (!_vd_bulk_dialog_get_busy (dialog));
    }

  WAIT_UNTIL (g_str_has_prefix (_vd_bulk_dialog_get_message (dialog),
                                "All 3 sampled items were approved unmodified."));
  g_assert_cmpstr (_vd_bulk_dialog_get_message (dialog), ==,
                   "All 3 sampled items were approved unmodified. Approve the other 7 items of "
                   "the band in one step? Each is recorded in the audit trail, linked to this "
                   "bulk approve.");
  g_assert_cmpuint (count_audit (fixture->store, VD_AUDIT_BULK_APPROVE), ==, 0);

  /* The final confirmation approves the rest, each item audited. */
  gtk_widget_activate_action (GTK_WIDGET (dialog), "bulk.approve-rest", NULL);
  WAIT_UNTIL (g_strcmp0 (_vd_bulk_dialog_get_page (dialog), "done") == 0);
  g_assert_cmpuint (count_audit (fixture->store, VD_AUDIT_BULK_APPROVE), ==, 7);
  g_assert_cmpuint (count_status (fixture->store, VD_STATUS_MASK (VD_TASK_STATUS_APPROVED)),
                    ==, 10);
  g_assert_cmpuint (count_status (fixture->store, VD_STATUS_MASK_UNDECIDED), ==, 1);
  g_assert_nonnull (strstr (_vd_bulk_dialog_get_message (dialog), "7"));

  /* The list follows: only the item outside the band waits. */
  vd_test_window_set_status (fixture->window, VD_TEST_STATUS_PENDING);
  WAIT_UNTIL (model_ready (fixture) && n_items (fixture) == 1);
}

static void
test_bulk_cancelled (Fixture       *fixture,
                     gconstpointer  data)
{
  VdBulkDialog *dialog = open_bulk_dialog (fixture, 30.0);
  GPtrArray *sample;
  g_autofree char *rejected = NULL;

  assert_sample_recorded (fixture, dialog);
  sample = _vd_bulk_dialog_get_sample (dialog);
  rejected = g_strdup (g_ptr_array_index (sample, 1));

  approve_in_window (fixture, _vd_bulk_dialog_get_sample_item_id (dialog, 0));
  WAIT_UNTIL (!_vd_bulk_dialog_get_busy (dialog));
  g_assert_cmpstr (_vd_bulk_dialog_get_page (dialog), ==, "sample");

  /* One rejected sample item cancels it, and the dialog says why. */
  decide (fixture, rejected, VD_DECISION_KIND_REJECT, "Wrong tone");
  vd_bulk_dialog_refresh (dialog);
  WAIT_UNTIL (g_strcmp0 (_vd_bulk_dialog_get_page (dialog), "done") == 0);
  g_assert_nonnull (strstr (_vd_bulk_dialog_get_message (dialog), rejected));
  g_assert_cmpuint (count_audit (fixture->store, VD_AUDIT_BULK_CANCEL), ==, 1);
  g_assert_cmpuint (count_audit (fixture->store, VD_AUDIT_BULK_APPROVE), ==, 0);
  g_assert_cmpuint (count_status (fixture->store, VD_STATUS_MASK_UNDECIDED), ==, 9);
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("VERDICT_REVIEWER", REVIEWER, TRUE);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/window-sla/row-countdown", Fixture, NULL,
              fixture_setup, test_row_countdown, fixture_teardown);
  g_test_add ("/window-sla/timer-fallback", Fixture, NULL,
              fixture_setup, test_timer_fallback, fixture_teardown);
  g_test_add ("/window-sla/escalated-banner", Fixture, NULL,
              fixture_setup, test_escalated_banner, fixture_teardown);
  g_test_add ("/window-sla/refused-decision", Fixture, NULL,
              fixture_setup, test_refused_decision, fixture_teardown);
  g_test_add ("/window-sla/notification", Fixture, NULL,
              fixture_setup, test_notification, fixture_teardown);
  g_test_add ("/window-sla/forecast", Fixture, NULL,
              fixture_setup, test_forecast, fixture_teardown);
  g_test_add ("/window-sla/bulk-approved", Fixture, NULL,
              fixture_setup, test_bulk_approved, fixture_teardown);
  g_test_add ("/window-sla/bulk-cancelled", Fixture, NULL,
              fixture_setup, test_bulk_cancelled, fixture_teardown);
  g_test_add ("/window-sla/deferred-start", Fixture, NULL,
              fixture_setup_held, test_deferred_start, fixture_teardown);

  return g_test_run ();
}
