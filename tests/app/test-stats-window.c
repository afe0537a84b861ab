/* test-stats-window.c: the statistics window, the fatigue prompt and the
 * feedback given with decisions, on real stores under Xvfb
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

#define G_LOG_DOMAIN "test-stats-window"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "vd-application.h"
#include "vd-decision-dialog.h"
#include "vd-item-detail.h"
#include "vd-fatigue-banner.h"
#include "vd-feedback-input.h"
#include "vd-policy-update.h"
#include "vd-preferences-window.h"
#include "vd-reliability-chart.h"
#include "vd-stats-window.h"
#include "vd-timeline-chart.h"
#include "vd-test-gui.h"

#define REVIEWER "tester"

/* Widgets */

/* The big figure above a caption of the overview or calibration. */
static const char *
figure_value (GtkWidget  *root,
              const char *caption)
{
  GtkLabel *label = vd_test_find_label (root, caption);
  GtkWidget *value;

  g_assert_nonnull (label);
  value = gtk_widget_get_prev_sibling (GTK_WIDGET (label));
  g_assert_true (GTK_IS_LABEL (value));

  return gtk_label_get_text (GTK_LABEL (value));
}

static AdwActionRow *
find_row (GtkWidget  *root,
          const char *title)
{
  g_autoptr(GPtrArray) rows = vd_test_find_widgets (root, ADW_TYPE_ACTION_ROW);

  for (guint i = 0; i < rows->len; i++)
    if (g_strcmp0 (adw_preferences_row_get_title (g_ptr_array_index (rows, i)), title) == 0)
      return g_ptr_array_index (rows, i);

  return NULL;
}

static gboolean
row_has_label (AdwActionRow *row,
               const char   *text)
{
  return vd_test_find_label (GTK_WIDGET (row), text) != NULL;
}

/* Draws @widget into a new render node as its window would, and counts
 * the pixels that are not transparent. */
static guint
count_painted_pixels (GtkWidget *widget)
{
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  cairo_surface_t *surface;
  cairo_t *cr;
  const guchar *data;
  int width, height, stride;
  guint painted = 0;

  GTK_WIDGET_GET_CLASS (widget)->snapshot (widget, snapshot);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  g_assert_cmpint (gsk_render_node_get_node_type (node), ==, GSK_CAIRO_NODE);

  /* The node records the drawing: play it into an image. */
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, gtk_widget_get_width (widget),
                                        gtk_widget_get_height (widget));
  cr = cairo_create (surface);
  gsk_render_node_draw (node, cr);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  data = cairo_image_surface_get_data (surface);
  width = cairo_image_surface_get_width (surface);
  height = cairo_image_surface_get_height (surface);
  stride = cairo_image_surface_get_stride (surface);

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      if (((const guint32 *) (data + y * stride))[x] >> 24 != 0)
        painted++;

  cairo_surface_destroy (surface);

  return painted;
}

/* A store with a known history */

typedef struct
{
  const char     *queue;
  const char     *task_id;
  const char     *task_type;
  double          confidence;
  VdDecisionKind  kind;          /* -1: left undecided */
  const char     *reviewer;
  gint64          duration_ms;
  VdHelpful       helpful;
  const char     *category;
} HistorySpec;

#define UNDECIDED ((VdDecisionKind) -1)

/* In decision order, one minute apart, the last one a minute ago. */
static const HistorySpec history[] = {
  { "ops", "p1", "payment", 0.95, VD_DECISION_KIND_APPROVE, "alice", 2000, VD_HELPFUL_YES, "accuracy" },
  { "ops", "p2", "payment", 0.92, VD_DECISION_KIND_APPROVE, "alice", 1500, VD_HELPFUL_UNSET, NULL },
  { "ops", "p3", "payment", 0.88, VD_DECISION_KIND_APPROVE, "alice", 8000, VD_HELPFUL_UNSET, NULL },
  { "ops", "p4", "payment", 0.55, VD_DECISION_KIND_REJECT, "alice", 12000, VD_HELPFUL_NO, "accuracy" },
  { "ops", "p5", "payment", 0.62, VD_DECISION_KIND_MODIFY, "bob", 20000, VD_HELPFUL_NO, "accuracy" },
  { "ops", "e1", "email", 0.81, VD_DECISION_KIND_APPROVE, "bob", 4000, VD_HELPFUL_YES, "tone" },
  { "ops", "e2", "email", 0.45, VD_DECISION_KIND_ESCALATE_FURTHER, "bob", 9000, VD_HELPFUL_UNSET, NULL },
  { "support", "s1", "email", 0.77, VD_DECISION_KIND_APPROVE, "alice", 3500, VD_HELPFUL_UNSET, NULL },
  { "ops", "e3", "email", 0.30, UNDECIDED, NULL, 0, VD_HELPFUL_UNSET, NULL },
  { "support", "s2", "email", 0.66, UNDECIDED, NULL, 0, VD_HELPFUL_UNSET, NULL },
};

typedef struct
{
  char      *tmpdir;
  char      *policy_path;
  VdStore   *store;
  GSettings *settings;
  GDateTime *times[G_N_ELEMENTS (history)];
} Fixture;

static void
write_queue (Fixture    *fixture,
             const char *queue)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(VdPolicy) policy = vd_policy_new ();
  g_autofree char *name = g_strdup_printf ("%s.jsonl", queue);
  VdImportResult result = { 0 };
  guint n = 0;

  g_string_append_printf (text, "{\"verdict_queue\": 1, \"queue\": \"%s\"}\n", queue);
  for (guint i = 0; i < G_N_ELEMENTS (history); i++)
    {
      if (g_strcmp0 (history[i].queue, queue) != 0)
        continue;

      g_string_append_printf (text,
                              "{\"task_id\": \"%s\", \"task_type\": \"%s\", "
                              "\"task_description\": \"Task %s\", "
                              "\"agent_output\": {\"content\": \"Output of %s\", "
                              "\"confidence\": %.2f}, "
                              "\"escalation_reason\": \"low_confidence\", "
                              "\"timestamp\": \"2026-11-20T07:00:00Z\"}\n",
                              history[i].task_id, history[i].task_type, history[i].task_id,
                              history[i].task_id, history[i].confidence);
      n++;
    }

  vd_test_import_text (fixture->store, fixture->tmpdir, name, text->str, policy, &result);
  g_assert_cmpuint (result.imported, ==, n);
}

static void
record_history (Fixture *fixture)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  write_queue (fixture, "ops");
  write_queue (fixture, "support");

  for (guint i = 0; i < G_N_ELEMENTS (history); i++)
    {
      const HistorySpec *spec = &history[i];
      g_autoptr(VdItem) item = NULL;
      g_autoptr(VdDecision) decision = NULL;
      g_autoptr(GError) error = NULL;

      if (spec->kind == UNDECIDED)
        continue;

      item = vd_store_get_item (fixture->store, spec->queue, spec->task_id, &error);
      g_assert_no_error (error);

      fixture->times[i] = g_date_time_add_minutes (now, -8 + (int) i);
      decision = vd_decision_new (spec->queue, spec->task_id, spec->kind, spec->reviewer);
      vd_decision_set_revision (decision, vd_item_get_revision (item));
      vd_decision_set_timestamp (decision, fixture->times[i]);
      vd_decision_set_duration_ms (decision, spec->duration_ms);
      vd_decision_set_helpful (decision, spec->helpful);
      vd_decision_set_category (decision, spec->category);
      if (spec->kind == VD_DECISION_KIND_MODIFY)
        vd_decision_set_modified_content (decision, "Corrected output");
      else if (spec->kind != VD_DECISION_KIND_APPROVE)
        vd_decision_set_feedback (decision, "Needs a second look");

      vd_store_record_decision (fixture->store, decision, &error);
      g_assert_no_error (error);
    }
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db_path = NULL;
  g_autofree char *sample_policy = g_build_filename (g_getenv ("VERDICT_SAMPLES"),
                                                    "policy.json", NULL);
  g_autofree char *contents = NULL;

  fixture->tmpdir = vd_test_make_tmp_dir ("test-stats");

  db_path = g_build_filename (fixture->tmpdir, "verdict.db", NULL);
  fixture->store = vd_test_open_store (db_path);

  /* A policy file of our own, that applying a threshold may change. */
  g_file_get_contents (sample_policy, &contents, NULL, &error);
  g_assert_no_error (error);
  fixture->policy_path = g_build_filename (fixture->tmpdir, "policy.json", NULL);
  g_file_set_contents (fixture->policy_path, contents, -1, &error);
  g_assert_no_error (error);

  fixture->settings = vd_application_new_settings ();
  g_assert_nonnull (fixture->settings);
  g_settings_set_string (fixture->settings, "policy-path", fixture->policy_path);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_settings_reset (fixture->settings, "policy-path");
  g_settings_reset (fixture->settings, "fatigue-fast-streak");
  g_settings_reset (fixture->settings, "fatigue-fast-floor");
  g_settings_reset (fixture->settings, "llm-endpoint");
  g_clear_object (&fixture->settings);

  vd_test_release_store (g_steal_pointer (&fixture->store));

  for (guint i = 0; i < G_N_ELEMENTS (fixture->times); i++)
    g_clear_pointer (&fixture->times[i], g_date_time_unref);
  vd_test_remove_tree (fixture->tmpdir);
  g_clear_pointer (&fixture->tmpdir, g_free);
  g_clear_pointer (&fixture->policy_path, g_free);
}

/* A session with the fixture's settings (and policy file), @store and
 * @reviewer signed in; no model endpoint: no agent revises rejects. */
static VdSession *
new_session (Fixture    *fixture,
             VdStore    *store,
             const char *reviewer)
{
  VdSession *session;

  g_settings_set_string (fixture->settings, "llm-endpoint", "");
  session = vd_session_new (fixture->settings);

  vd_session_set_store (session, store);
  vd_session_set_reviewer_id (session, reviewer);

  return session;
}

/* The window holds the session: closing it lets both go. */
static VdStatsWindow *
new_stats (Fixture    *fixture,
           VdStore    *store,
           const char *reviewer)
{
  g_autoptr(VdSession) session = new_session (fixture, store, reviewer);

  return vd_stats_window_new (session);
}

static VdStatsWindow *
open_stats (Fixture    *fixture,
            const char *reviewer)
{
  VdStatsWindow *window = new_stats (fixture, fixture->store, reviewer);

  gtk_window_present (GTK_WINDOW (window));

  return window;
}

static gboolean
page_is (VdStatsWindow *window,
         const char    *name)
{
  return g_strcmp0 (vd_stats_window_get_page (window), name) == 0;
}

/* Closing frees the window once the computation it cancelled is back. */
static void
close_stats (VdStatsWindow *window)
{
  g_object_ref (window);
  vd_test_close_window (window);
}

/* The statistics window */

static void
test_stats_empty (Fixture       *fixture,
                  gconstpointer  data)
{
  VdStatsWindow *window = open_stats (fixture, "lead");

  /* The figures come from a worker thread: loading first. */
  g_assert_cmpstr (vd_stats_window_get_page (window), ==, "loading");
  g_assert_cmpuint (vd_stats_window_get_n_computed (window), ==, 0);

  WAIT_UNTIL (vd_stats_window_get_n_computed (window) == 1);
  g_assert_cmpstr (vd_stats_window_get_page (window), ==, "empty");
  g_assert_nonnull (vd_test_find_label (GTK_WIDGET (window), "No Items Yet"));
  g_assert_cmpuint (vd_stats_window_get_insights (window)->stats.total_tasks, ==, 0);

  close_stats (window);
}

/* A failure to compute shows its message on the error page as text: the
 * page's description is markup, and the message quotes the database's
 * path (and may quote queue text). */
static void
test_stats_error_markup (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *dir = g_build_filename (fixture->tmpdir, "a<b>&c", NULL);
  g_autofree char *db_path = g_build_filename (dir, "verdict.db", NULL);
  g_autoptr(VdStore) store = NULL;
  g_autoptr(GPtrArray) labels = NULL;
  VdStatsWindow *window;
  sqlite3 *db = NULL;
  gboolean shown = FALSE;

  store = vd_test_open_store (db_path);

  /* Someone broke the database behind the store's back. */
  g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "ALTER TABLE decisions RENAME TO gone", NULL, NULL, NULL),
                   ==, SQLITE_OK);
  sqlite3_close (db);

  window = new_stats (fixture, store, "lead");
  gtk_window_present (GTK_WINDOW (window));
  WAIT_UNTIL (vd_stats_window_get_n_computed (window) == 1);
  g_assert_cmpstr (vd_stats_window_get_page (window), ==, "error");

  labels = vd_test_find_widgets (GTK_WIDGET (window), GTK_TYPE_LABEL);
  for (guint i = 0; i < labels->len; i++)
    if (strstr (gtk_label_get_text (g_ptr_array_index (labels, i)), db_path) != NULL)
      shown = TRUE;
  g_assert_true (shown);

  close_stats (window);
  vd_test_release_store (g_steal_pointer (&store));
}

static char *
day_line (Fixture    *fixture,
          GDateTime  *day_time,
          guint       approved,
          guint       modified,
          guint       rejected,
          guint       escalated)
{
  g_autofree char *date = g_date_time_format (day_time, "%b %-d");

  return g_strdup_printf ("%s: %u approved, %u modified, %u rejected, %u escalated, 0 automatic",
                          date, approved, modified, rejected, escalated);
}

static void
test_stats_figures (Fixture       *fixture,
                    gconstpointer  data)
{
  VdStatsWindow *window;
  GtkWidget *root;
  GtkWidget *timeline, *reliability;
  const VdInsights *insights;
  AdwActionRow *row;
  g_autoptr(GString) expected_days = g_string_new (NULL);
  g_autofree char *timeline_text = NULL;
  g_autofree char *reliability_text = NULL;
  VdStats stats;
  g_autoptr(GError) error = NULL;
  guint n_snapshots;

  record_history (fixture);
  vd_store_get_stats (fixture->store, NULL, &stats, &error);
  g_assert_no_error (error);

  window = open_stats (fixture, "lead");
  root = GTK_WIDGET (window);
  g_assert_cmpstr (vd_stats_window_get_page (window), ==, "loading");
  WAIT_UNTIL (page_is (window, "figures"));
  insights = vd_stats_window_get_insights (window);

  /* The reference's statistics, as text. */
  g_assert_cmpstr (figure_value (root, "Total tasks"), ==, "10");
  g_assert_cmpstr (figure_value (root, "Approved by a human"), ==, "5");
  g_assert_cmpstr (figure_value (root, "Rejected"), ==, "1");
  g_assert_cmpstr (figure_value (root, "Modified"), ==, "1");
  g_assert_cmpstr (figure_value (root, "Escalated further"), ==, "1");
  g_assert_cmpstr (figure_value (root, "Average confidence"), ==, "0.69");
  {
    g_autofree char *auto_approved = g_strdup_printf ("%" G_GUINT64_FORMAT, stats.auto_approved);
    g_autofree char *escalated = g_strdup_printf ("%" G_GUINT64_FORMAT, stats.escalated);

    g_assert_cmpuint (stats.auto_approved, ==, 0);
    g_assert_cmpuint (stats.escalated, ==, 10);
    g_assert_cmpstr (figure_value (root, "Auto-approved"), ==, auto_approved);
    g_assert_cmpstr (figure_value (root, "Escalated to a human"), ==, escalated);
  }

  /* Decisions over time: one line per day with decisions, from the
   * decisions' own local days. */
  {
    GDateTime *last_day = NULL;
    guint counts[4] = { 0, };

    for (guint i = 0; i <= G_N_ELEMENTS (history); i++)
      {
        GDateTime *time = i < G_N_ELEMENTS (history) ? fixture->times[i] : NULL;

        if (i < G_N_ELEMENTS (history) && time == NULL)
          continue;

        if (last_day != NULL &&
            (time == NULL || g_date_time_get_day_of_year (time) !=
                             g_date_time_get_day_of_year (last_day)))
          {
            g_autofree char *line = day_line (fixture, last_day, counts[0], counts[1],
                                              counts[2], counts[3]);

            if (expected_days->len > 0)
              g_string_append_c (expected_days, '\n');
            g_string_append (expected_days, line);
            memset (counts, 0, sizeof counts);
          }

        if (time == NULL)
          break;

        last_day = time;
        switch ((int) history[i].kind)
          {
          case VD_DECISION_KIND_APPROVE:
            counts[0]++;
            break;
          case VD_DECISION_KIND_MODIFY:
            counts[1]++;
            break;
          case VD_DECISION_KIND_REJECT:
            counts[2]++;
            break;
          default:
            counts[3]++;
            break;
          }
      }
  }
  timeline = vd_stats_window_get_timeline_chart (window);
  g_assert_cmpuint (vd_timeline_chart_get_n_days (VD_TIMELINE_CHART (timeline)), ==, 30);
  timeline_text = vd_timeline_chart_dup_text (VD_TIMELINE_CHART (timeline));
  g_assert_cmpstr (timeline_text, ==, expected_days->str);
  /* The table view shows the same text. */
  g_assert_nonnull (vd_test_find_label (root, expected_days->str));

  /* The reliability diagram: the eight decided items, in five bins. */
  reliability = vd_stats_window_get_reliability_chart (window);
  g_assert_cmpuint (vd_reliability_chart_get_count (VD_RELIABILITY_CHART (reliability)), ==, 8);
  g_assert_cmpuint (insights->calibration->overall->count, ==, 8);
  reliability_text = vd_reliability_chart_dup_text (VD_RELIABILITY_CHART (reliability));
  g_assert_cmpstr (reliability_text, ==,
                   "0.4–0.5: 1 items, mean confidence 0.45, 0% approved unchanged\n"
                   "0.5–0.6: 1 items, mean confidence 0.55, 0% approved unchanged\n"
                   "0.6–0.7: 1 items, mean confidence 0.62, 0% approved unchanged\n"
                   "0.7–0.8: 1 items, mean confidence 0.77, 100% approved unchanged\n"
                   "0.8–0.9: 2 items, mean confidence 0.84, 100% approved unchanged\n"
                   "0.9–1.0: 2 items, mean confidence 0.94, 100% approved unchanged");
  g_assert_nonnull (vd_test_find_label (root, reliability_text));
  {
    g_autofree char *ece = g_strdup_printf ("%.3f", insights->calibration->overall->ece);
    g_autofree char *brier = g_strdup_printf ("%.3f", insights->calibration->overall->brier);

    g_assert_cmpstr (figure_value (root, "Expected calibration error (ECE)"), ==, ece);
    g_assert_cmpstr (figure_value (root, "Brier score"), ==, brier);
    g_assert_cmpstr (figure_value (root, "Items decided by a human"), ==, "8");
  }

  /* Both charts have a size and were drawn, and draw something. */
  WAIT_UNTIL (vd_timeline_chart_get_n_snapshots (VD_TIMELINE_CHART (timeline)) > 0 &&
              vd_reliability_chart_get_n_snapshots (VD_RELIABILITY_CHART (reliability)) > 0);
  g_assert_cmpint (gtk_widget_get_width (timeline), >, 0);
  g_assert_cmpint (gtk_widget_get_height (timeline), >, 0);
  g_assert_cmpint (gtk_widget_get_width (reliability), >, 0);
  g_assert_cmpint (gtk_widget_get_height (reliability), >, 0);
  g_assert_cmpuint (count_painted_pixels (timeline), >, 100);
  g_assert_cmpuint (count_painted_pixels (reliability), >, 100);

  /* The suggested thresholds: all task types at 0.77 on 5 items, the
   * payments at 0.88 on 3, both flagged as little evidence. */
  row = find_row (root, "All task types");
  g_assert_nonnull (row);
  g_assert_cmpstr (adw_action_row_get_subtitle (row), ==,
                   "100% of 5 items at or above it approved unchanged; would have saved 5 "
                   "reviews. Fewer than 30 items: too little evidence to rely on.");
  g_assert_true (row_has_label (row, "0.77"));
  row = find_row (root, "payment");
  g_assert_nonnull (row);
  g_assert_cmpstr (adw_action_row_get_subtitle (row), ==,
                   "100% of 3 items at or above it approved unchanged; would have saved 3 "
                   "reviews. Fewer than 30 items: too little evidence to rely on.");
  g_assert_true (row_has_label (row, "0.88"));
  g_assert_nonnull (find_row (root, "email"));

  /* The reviewers: nearest-rank median and 10th percentile. */
  row = find_row (root, "alice");
  g_assert_nonnull (row);
  g_assert_cmpstr (adw_action_row_get_subtitle (row), ==,
                   "5 decisions · median 3.5 s · 10th percentile 1.5 s\n"
                   "approves 80% (team 62%) · longest fast streak 2 · no known-answer checks");
  row = find_row (root, "bob");
  g_assert_nonnull (row);
  g_assert_cmpstr (adw_action_row_get_subtitle (row), ==,
                   "3 decisions · median 9.0 s · 10th percentile 4.0 s\n"
                   "approves 33% (team 62%) · longest fast streak 0 · no known-answer checks");

  /* The feedback summary: accuracy is an improvement area (3 records, one
   * helpful), tone is not. */
  row = find_row (root, "Feedback given");
  g_assert_true (row_has_label (row, "4"));
  row = find_row (root, "Helpful");
  g_assert_true (row_has_label (row, "2 (50%)"));
  row = find_row (root, "accuracy");
  g_assert_cmpstr (adw_action_row_get_subtitle (row), ==, "3 records, 33% helpful");
  g_assert_true (row_has_label (row, "Improvement area"));
  row = find_row (root, "tone");
  g_assert_cmpstr (adw_action_row_get_subtitle (row), ==, "1 record, 100% helpful");
  g_assert_false (row_has_label (row, "Improvement area"));
  row = find_row (root, "Improvement areas");
  g_assert_cmpstr (adw_action_row_get_subtitle (row), ==, "accuracy: 33% helpful");

  /* In the dark style the charts are drawn again, in its colours. */
  n_snapshots = vd_timeline_chart_get_n_snapshots (VD_TIMELINE_CHART (timeline));
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_FORCE_DARK);
  WAIT_UNTIL (vd_timeline_chart_get_n_snapshots (VD_TIMELINE_CHART (timeline)) > n_snapshots);
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_DEFAULT);

  /* One queue: loading again, then its own figures. */
  WAIT_UNTIL (vd_stats_window_get_n_queues (window) == 2);
  vd_stats_window_set_queue (window, "support");
  g_assert_cmpstr (vd_stats_window_get_page (window), ==, "loading");
  WAIT_UNTIL (page_is (window, "figures"));
  g_assert_cmpstr (vd_stats_window_get_queue (window), ==, "support");
  g_assert_cmpstr (figure_value (root, "Total tasks"), ==, "2");
  g_assert_cmpstr (figure_value (root, "Approved by a human"), ==, "1");
  g_assert_null (find_row (root, "bob"));

  close_stats (window);
}

static void
changed_cb (GSettings  *settings,
            const char *key,
            guint      *n_changed)
{
  (*n_changed)++;
}

static void
test_stats_apply_threshold (Fixture       *fixture,
                            gconstpointer  data)
{
  VdStatsWindow *window;
  AdwActionRow *row;
  g_autoptr(GPtrArray) buttons = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(VdPolicy) before = NULL;
  g_autoptr(VdPolicy) after = NULL;
  AdwMessageDialog *dialog;
  GtkButton *apply = NULL;
  VdAuditEvent *last;
  guint n_changed = 0;

  record_history (fixture);
  before = vd_policy_new_from_file (fixture->policy_path, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (vd_policy_get_threshold_for_type (before, "payment"), ==, 0.85);

  g_signal_connect (fixture->settings, "changed::policy-path", G_CALLBACK (changed_cb),
                    &n_changed);

  window = open_stats (fixture, "lead");
  WAIT_UNTIL (page_is (window, "figures"));

  row = find_row (GTK_WIDGET (window), "payment");
  g_assert_nonnull (row);
  buttons = vd_test_find_widgets (GTK_WIDGET (row), GTK_TYPE_BUTTON);
  for (guint i = 0; i < buttons->len; i++)
    if (g_strcmp0 (gtk_button_get_label (g_ptr_array_index (buttons, i)), "_Apply…") == 0)
      apply = g_ptr_array_index (buttons, i);
  g_assert_nonnull (apply);
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (apply)));

  /* Nothing is written without the reviewer's confirmation. */
  g_signal_emit_by_name (apply, "clicked");
  WAIT_UNTIL ((dialog = vd_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG)) != NULL);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==,
                   "Apply Threshold 0.88 to “payment”?");
  adw_message_dialog_response (dialog, "cancel");
  gtk_window_close (GTK_WINDOW (dialog));
  WAIT_UNTIL (vd_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG) == NULL);
  g_assert_cmpuint (n_changed, ==, 0);

  g_signal_emit_by_name (apply, "clicked");
  WAIT_UNTIL ((dialog = vd_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG)) != NULL);
  adw_message_dialog_response (dialog, "apply");
  gtk_window_close (GTK_WINDOW (dialog));

  /* The policy is written, audited, and the application told to read it. */
  WAIT_UNTIL (n_changed == 1);
  after = vd_policy_new_from_file (fixture->policy_path, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (vd_policy_get_threshold_for_type (after, "payment"), ==, 0.88);
  g_assert_cmpfloat (vd_policy_get_confidence_threshold (after), ==,
                     vd_policy_get_confidence_threshold (before));

  events = vd_store_list_audit (fixture->store, 0, 0, &error);
  g_assert_no_error (error);
  last = g_ptr_array_index (events, events->len - 1);
  g_assert_cmpstr (vd_audit_event_get_actor (last), ==, "lead");
  g_assert_cmpstr (vd_audit_event_get_event_type (last), ==, VD_AUDIT_THRESHOLD_APPLIED);

  g_signal_handlers_disconnect_by_func (fixture->settings, changed_cb, &n_changed);
  close_stats (window);
}

static void
test_stats_no_policy_file (Fixture       *fixture,
                           gconstpointer  data)
{
  VdStatsWindow *window;
  AdwActionRow *row;
  g_autoptr(GPtrArray) buttons = NULL;

  /* The built-in policy has no file to write to. */
  g_settings_set_string (fixture->settings, "policy-path", "");
  record_history (fixture);

  window = open_stats (fixture, "lead");
  WAIT_UNTIL (page_is (window, "figures"));
  row = find_row (GTK_WIDGET (window), "payment");
  buttons = vd_test_find_widgets (GTK_WIDGET (row), GTK_TYPE_BUTTON);
  g_assert_cmpuint (buttons->len, ==, 1);
  g_assert_false (gtk_widget_get_sensitive (g_ptr_array_index (buttons, 0)));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (g_ptr_array_index (buttons, 0)), ==,
                   "Choose a policy file in the preferences to apply a threshold");

  close_stats (window);
}

static void
test_stats_close_while_loading (Fixture       *fixture,
                                gconstpointer  data)
{
  VdStatsWindow *window;

  record_history (fixture);

  /* Closed at once: the computation is cancelled, the window freed. */
  window = open_stats (fixture, NULL);
  g_assert_cmpstr (vd_stats_window_get_page (window), ==, "loading");
  close_stats (window);
}

/* The fatigue prompt */

static guint
count_prompts (VdStore    *store,
               const char *state,
               JsonObject **last_payload)
{
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;
  guint n = 0;

  events = vd_store_list_audit (store, 0, 0, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < events->len; i++)
    {
      VdAuditEvent *event = g_ptr_array_index (events, i);
      g_autoptr(JsonObject) payload = NULL;

      if (g_strcmp0 (vd_audit_event_get_event_type (event), VD_AUDIT_FATIGUE_PROMPT) != 0)
        continue;

      payload = vd_audit_event_dup_payload (event);
      if (g_strcmp0 (json_object_get_string_member (payload, "state"), state) != 0)
        continue;

      g_assert_cmpstr (vd_audit_event_get_actor (event), ==, REVIEWER);
      n++;
      if (last_payload != NULL)
        {
          g_clear_pointer (last_payload, json_object_unref);
          *last_payload = g_steal_pointer (&payload);
        }
    }

  return n;
}

static VdWindow *
open_review_window (Fixture *fixture)
{
  g_autofree char *sample = g_build_filename (g_getenv ("VERDICT_SAMPLES"),
                                              "review-queue.jsonl", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (sample);
  g_autoptr(VdSession) session = new_session (fixture, fixture->store, REVIEWER);
  VdWindow *window = g_object_ref (vd_window_new (NULL, session));

  gtk_window_present (GTK_WINDOW (window));
  vd_window_import_files (window, &file, 1);
  WAIT_UNTIL (!vd_test_window_importing (window) &&
              g_strcmp0 (vd_test_window_page (window, "main_stack"), "review") == 0 &&
              vd_test_window_shown_item (window) != NULL);

  return window;
}

static void
close_review_window (VdWindow *window)
{
  vd_test_destroy_other_windows (window);

  vd_test_close_window (window);
}

/* Approves the item shown and waits until the store has it and the next
 * item is shown. */
static void
approve_shown (VdWindow *window)
{
  guint n = vd_test_window_n_decisions (window);
  VdItem *shown = vd_test_window_shown_item (window);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.approve", NULL));
  WAIT_UNTIL (vd_test_window_n_decisions (window) == n + 1 &&
              vd_test_window_shown_item (window) != NULL &&
              vd_test_window_shown_item (window) != shown &&
              vd_fatigue_banner_get_n_pending (vd_test_window_child (window,
                                                                     "fatigue_banner")) == 0);
}

static void
test_fatigue_banner_window (Fixture       *fixture,
                            gconstpointer  data)
{
  VdWindow *window;
  VdFatigueBanner *banner;
  g_autoptr(GPtrArray) buttons = NULL;
  JsonObject *payload = NULL;
  GtkButton *dismiss = NULL;

  g_settings_set_int (fixture->settings, "fatigue-fast-streak", 4);
  /* Each approval here counts as fast even on a slow, loaded machine (the
   * sanitizers, the item pane's rich views): the floor is what decides. */
  g_settings_set_int (fixture->settings, "fatigue-fast-floor", 60);
  window = open_review_window (fixture);
  banner = vd_test_window_child (window, "fatigue_banner");
  g_assert_false (vd_fatigue_banner_get_revealed (banner));

  /* Three quick approvals: no prompt yet. */
  for (guint i = 0; i < 3; i++)
    approve_shown (window);
  g_assert_false (vd_fatigue_banner_get_revealed (banner));
  g_assert_cmpuint (count_prompts (fixture->store, "shown", NULL), ==, 0);

  /* The fourth: the prompt, and its audit entry. */
  approve_shown (window);
  g_assert_true (vd_fatigue_banner_get_revealed (banner));
  g_assert_cmpstr (vd_fatigue_banner_get_signal (banner), ==, "fast_streak");
  g_assert_cmpstr (vd_fatigue_banner_get_text (banner), ==,
                   "You approved 4 items in a row in under 60 s each. "
                   "Take a closer look, or a short break.");
  g_assert_cmpuint (count_prompts (fixture->store, "shown", &payload), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (payload, "signal"), ==, "fast_streak");
  g_assert_cmpint (json_object_get_int_member (payload, "streak"), ==, 4);
  g_clear_pointer (&payload, json_object_unref);

  /* Reviewing goes on with the prompt on screen. */
  g_assert_true (gtk_widget_get_sensitive (vd_test_window_child (window, "approve_button")));
  approve_shown (window);
  g_assert_cmpuint (count_prompts (fixture->store, "shown", NULL), ==, 1);

  /* Dismissed with its button: hidden and recorded with the streak. */
  buttons = vd_test_find_widgets (GTK_WIDGET (banner), GTK_TYPE_BUTTON);
  g_assert_cmpuint (buttons->len, ==, 1);
  dismiss = g_ptr_array_index (buttons, 0);
  g_signal_emit_by_name (dismiss, "clicked");
  g_assert_false (vd_fatigue_banner_get_revealed (banner));
  WAIT_UNTIL (vd_fatigue_banner_get_n_pending (banner) == 0);
  g_assert_cmpuint (count_prompts (fixture->store, "dismissed", &payload), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (payload, "signal"), ==, "fast_streak");
  g_assert_cmpint (json_object_get_int_member (payload, "streak"), ==, 4);
  g_clear_pointer (&payload, json_object_unref);

  /* The same streak goes on: not prompted again. */
  approve_shown (window);
  g_assert_false (vd_fatigue_banner_get_revealed (banner));
  g_assert_cmpuint (count_prompts (fixture->store, "shown", NULL), ==, 1);

  /* The trail is intact with the prompts in it. */
  {
    g_autoptr(GError) error = NULL;
    gint64 bad_seq = -1;
    guint64 n_checked = 0;

    g_assert_true (vd_store_verify_audit (fixture->store, &bad_seq, &n_checked, &error));
    g_assert_no_error (error);
  }

  close_review_window (window);
}

static VdDecision *
decision_at (const char     *queue,
             const char     *task_id,
             VdDecisionKind  kind,
             GDateTime      *time,
             gint64          duration_ms)
{
  VdDecision *decision = vd_decision_new (queue, task_id, kind, REVIEWER);

  vd_decision_set_timestamp (decision, time);
  vd_decision_set_duration_ms (decision, duration_ms);

  return decision;
}

static void
test_fatigue_banner_no_pause (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  VdFatigueBanner *banner = VD_FATIGUE_BANNER (g_object_ref_sink (vd_fatigue_banner_new ()));
  JsonObject *payload = NULL;

  vd_fatigue_banner_set_store (banner, fixture->store);
  gtk_window_set_child (window, GTK_WIDGET (banner));
  gtk_window_present (window);

  /* A slow, careful review every 5 minutes for 95 minutes: no fast
   * streak, but no pause either. The prompt comes when 90 minutes are
   * reached, once for the session. */
  for (int minutes = -95; minutes <= 0; minutes += 5)
    {
      g_autoptr(GDateTime) time = g_date_time_add_minutes (now, minutes);
      g_autoptr(VdDecision) decision = decision_at ("ops", "x", VD_DECISION_KIND_APPROVE, time,
                                                    40000);

      vd_fatigue_banner_add_decision (banner, decision);
      g_assert_true (vd_fatigue_banner_get_revealed (banner) == (minutes >= -5));
    }

  g_assert_cmpstr (vd_fatigue_banner_get_signal (banner), ==, "no_pause");
  g_assert_cmpstr (vd_fatigue_banner_get_text (banner), ==,
                   "You have been reviewing for 90 minutes without a pause. "
                   "A short break keeps your judgement sharp.");
  WAIT_UNTIL (vd_fatigue_banner_get_n_pending (banner) == 0);
  g_assert_cmpuint (count_prompts (fixture->store, "shown", &payload), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (payload, "signal"), ==, "no_pause");
  g_assert_cmpint (json_object_get_int_member (payload, "minutes"), ==, 90);
  g_assert_cmpint (json_object_get_int_member (payload, "streak"), ==, 0);
  g_clear_pointer (&payload, json_object_unref);

  vd_fatigue_banner_dismiss (banner);
  WAIT_UNTIL (vd_fatigue_banner_get_n_pending (banner) == 0);
  g_assert_cmpuint (count_prompts (fixture->store, "dismissed", NULL), ==, 1);

  /* Turned off in the preferences: nothing. */
  vd_fatigue_banner_reset (banner);
  g_object_set (banner, "break-minutes", 0, NULL);
  for (int minutes = -95; minutes <= 0; minutes += 5)
    {
      g_autoptr(GDateTime) time = g_date_time_add_minutes (now, minutes);
      g_autoptr(VdDecision) decision = decision_at ("ops", "x", VD_DECISION_KIND_APPROVE, time,
                                                    40000);

      vd_fatigue_banner_add_decision (banner, decision);
    }
  g_assert_false (vd_fatigue_banner_get_revealed (banner));

  gtk_window_destroy (window);
  WAIT_UNTIL (vd_fatigue_banner_get_n_pending (banner) == 0);
  g_assert_finalize_object (banner);
}

/* Helpful and category with decisions */

static VdDecision *
stored_decision (VdStore *store,
                 VdItem  *item)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) decisions = vd_store_list_decisions (store, vd_item_get_queue (item),
                                                            vd_item_get_task_id (item),
                                                            &error);

  g_assert_no_error (error);
  g_assert_cmpuint (decisions->len, ==, 1);

  return g_object_ref (g_ptr_array_index (decisions, 0));
}

static void
test_feedback_with_decisions (Fixture       *fixture,
                              gconstpointer  data)
{
  VdWindow *window = open_review_window (fixture);
  g_autoptr(VdItem) first = NULL;
  g_autoptr(VdItem) second = NULL;
  g_autoptr(VdItem) third = NULL;
  g_autoptr(VdDecision) approved = NULL;
  g_autoptr(VdDecision) rejected = NULL;
  g_autoptr(VdDecision) plain = NULL;
  g_autofree char *category = NULL;
  VdFeedbackInput *pane = vd_test_window_child (window, "feedback_input");
  VdDecisionDialog *dialog;
  VdFeedbackInput *input;

  /* Next to the approve button: helpful, with a category. */
  first = g_object_ref (vd_test_window_shown_item (window));
  vd_feedback_input_set_helpful (pane, VD_HELPFUL_YES);
  vd_feedback_input_set_category (pane, "  accuracy ");
  approve_shown (window);
  approved = stored_decision (fixture->store, first);
  g_assert_cmpint (vd_decision_get_helpful (approved), ==, VD_HELPFUL_YES);
  g_assert_cmpstr (vd_decision_get_category (approved), ==, "accuracy");

  /* The next item starts with nothing said. */
  g_assert_cmpint (vd_feedback_input_get_helpful (pane), ==, VD_HELPFUL_UNSET);
  g_assert_null (vd_feedback_input_dup_category (pane));

  /* A rejection: the dialog starts from what was said in the pane. */
  second = g_object_ref (vd_test_window_shown_item (window));
  vd_feedback_input_set_helpful (pane, VD_HELPFUL_NO);
  vd_feedback_input_set_category (pane, "tone");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.reject", NULL));
  WAIT_UNTIL ((dialog = vd_test_find_toplevel (VD_TYPE_DECISION_DIALOG)) != NULL);
  input = vd_decision_dialog_get_feedback_input (dialog);
  g_assert_cmpint (vd_feedback_input_get_helpful (input), ==, VD_HELPFUL_NO);
  category = vd_feedback_input_dup_category (input);
  g_assert_cmpstr (category, ==, "tone");
  vd_feedback_input_set_category (input, "completeness");
  gtk_text_buffer_set_text (vd_decision_dialog_get_buffer (dialog), "Cite the invoice.", -1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "dialog.confirm", NULL));
  WAIT_UNTIL (vd_test_find_toplevel (VD_TYPE_DECISION_DIALOG) == NULL &&
              vd_test_window_n_decisions (window) == 2);
  rejected = stored_decision (fixture->store, second);
  g_assert_cmpint (vd_decision_get_kind (rejected), ==, VD_DECISION_KIND_REJECT);
  g_assert_cmpint (vd_decision_get_helpful (rejected), ==, VD_HELPFUL_NO);
  g_assert_cmpstr (vd_decision_get_category (rejected), ==, "completeness");
  g_assert_cmpstr (vd_decision_get_feedback (rejected), ==, "Cite the invoice.");

  /* Nothing said: nothing stored. */
  WAIT_UNTIL (vd_test_window_shown_item (window) != NULL &&
              vd_test_window_shown_item (window) != second);
  third = g_object_ref (vd_test_window_shown_item (window));
  approve_shown (window);
  plain = stored_decision (fixture->store, third);
  g_assert_cmpint (vd_decision_get_helpful (plain), ==, VD_HELPFUL_UNSET);
  g_assert_null (vd_decision_get_category (plain));

  close_review_window (window);
}

static void
test_feedback_input_categories (void)
{
  g_autoptr(VdPolicy) policy = vd_policy_new ();
  g_auto(GStrv) categories = NULL;
  VdFeedbackInput *input = VD_FEEDBACK_INPUT (g_object_ref_sink (vd_feedback_input_new ()));
  VdFeedbackInput *copy = VD_FEEDBACK_INPUT (g_object_ref_sink (vd_feedback_input_new ()));
  g_autoptr(VdDecision) decision = vd_decision_new ("q", "t", VD_DECISION_KIND_APPROVE, "r");
  g_autofree char *copied = NULL;

  vd_policy_add_feedback_category (policy, "accuracy");
  vd_policy_add_feedback_category (policy, "tone");
  categories = vd_policy_dup_feedback_categories (policy);
  vd_feedback_input_set_categories (input, (const char * const *) categories);

  /* The pair is exclusive, and can be unset again. */
  vd_feedback_input_set_helpful (input, VD_HELPFUL_YES);
  g_assert_cmpint (vd_feedback_input_get_helpful (input), ==, VD_HELPFUL_YES);
  vd_feedback_input_set_helpful (input, VD_HELPFUL_NO);
  g_assert_cmpint (vd_feedback_input_get_helpful (input), ==, VD_HELPFUL_NO);

  /* A blank category is none. */
  vd_feedback_input_set_category (input, "   ");
  g_assert_null (vd_feedback_input_dup_category (input));
  vd_feedback_input_set_category (input, "my own");

  vd_feedback_input_copy_from (copy, input);
  g_assert_cmpint (vd_feedback_input_get_helpful (copy), ==, VD_HELPFUL_NO);
  copied = vd_feedback_input_dup_category (copy);
  g_assert_cmpstr (copied, ==, "my own");
  g_assert_cmpuint (vd_feedback_input_get_n_categories (copy), ==, 2);

  vd_feedback_input_apply (copy, decision);
  g_assert_cmpint (vd_decision_get_helpful (decision), ==, VD_HELPFUL_NO);
  g_assert_cmpstr (vd_decision_get_category (decision), ==, "my own");

  vd_feedback_input_clear (copy);
  g_assert_cmpint (vd_feedback_input_get_helpful (copy), ==, VD_HELPFUL_UNSET);
  g_assert_null (vd_feedback_input_dup_category (copy));

  g_assert_finalize_object (input);
  g_assert_finalize_object (copy);
}

/* The thresholds' defaults in the schema, as the issue gives them. */
static void
test_fatigue_settings (void)
{
  g_autoptr(GSettings) settings = vd_application_new_settings ();

  g_assert_nonnull (settings);
  g_assert_cmpint (g_settings_get_int (settings, "fatigue-fast-streak"), ==, 10);
  g_assert_cmpint (g_settings_get_int (settings, "fatigue-fast-floor"), ==, 3);
  g_assert_cmpint (g_settings_get_int (settings, "fatigue-break-minutes"), ==, 90);
}

/* The thresholds' rows in the preferences, bound to the settings. */
static void
test_preferences_fatigue (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *db_path = g_build_filename (fixture->tmpdir, "app.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) spins = NULL;
  VdApplication *app;
  GSettings *settings;
  VdPreferencesWindow *window;
  GtkSpinButton *streak, *floor_spin, *minutes;

  g_setenv ("VERDICT_DB", db_path, TRUE);
  app = vd_application_new ("io.github.verdict.Verdict", G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  settings = vd_session_get_settings (vd_application_get_session (app));
  g_assert_nonnull (settings);

  window = vd_preferences_window_new (vd_application_get_session (app));
  gtk_window_present (GTK_WINDOW (window));

  spins = vd_test_find_widgets (GTK_WIDGET (window), GTK_TYPE_SPIN_BUTTON);
  streak = floor_spin = minutes = NULL;
  for (guint i = 0; i < spins->len; i++)
    {
      GtkWidget *row = gtk_widget_get_ancestor (g_ptr_array_index (spins, i),
                                                ADW_TYPE_ACTION_ROW);
      const char *title = row != NULL ? adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row))
                                      : NULL;

      if (g_strcmp0 (title, "Fast-Approve Streak") == 0)
        streak = g_ptr_array_index (spins, i);
      else if (g_strcmp0 (title, "Fast Floor") == 0)
        floor_spin = g_ptr_array_index (spins, i);
      else if (g_strcmp0 (title, "Break Reminder") == 0)
        minutes = g_ptr_array_index (spins, i);
    }
  g_assert_nonnull (streak);
  g_assert_nonnull (floor_spin);
  g_assert_nonnull (minutes);

  g_assert_cmpint (gtk_spin_button_get_value_as_int (streak), ==, 10);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (floor_spin), ==, 3);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (minutes), ==, 90);

  gtk_spin_button_set_value (streak, 15);
  g_assert_cmpint (g_settings_get_int (settings, "fatigue-fast-streak"), ==, 15);
  g_settings_set_int (settings, "fatigue-break-minutes", 45);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (minutes), ==, 45);

  g_settings_reset (settings, "fatigue-fast-streak");
  g_settings_reset (settings, "fatigue-break-minutes");
  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (app);
  g_unsetenv ("VERDICT_DB");
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("VERDICT_REVIEWER", REVIEWER, TRUE);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/feedback-input/categories", test_feedback_input_categories);
  g_test_add_func ("/fatigue/settings", test_fatigue_settings);
  g_test_add ("/stats-window/empty", Fixture, NULL,
              fixture_setup, test_stats_empty, fixture_teardown);
  g_test_add ("/stats-window/error-markup", Fixture, NULL,
              fixture_setup, test_stats_error_markup, fixture_teardown);
  g_test_add ("/stats-window/figures", Fixture, NULL,
              fixture_setup, test_stats_figures, fixture_teardown);
  g_test_add ("/stats-window/apply-threshold", Fixture, NULL,
              fixture_setup, test_stats_apply_threshold, fixture_teardown);
  g_test_add ("/stats-window/no-policy-file", Fixture, NULL,
              fixture_setup, test_stats_no_policy_file, fixture_teardown);
  g_test_add ("/stats-window/close-while-loading", Fixture, NULL,
              fixture_setup, test_stats_close_while_loading, fixture_teardown);
  g_test_add ("/fatigue-banner/window", Fixture, NULL,
              fixture_setup, test_fatigue_banner_window, fixture_teardown);
  g_test_add ("/fatigue-banner/no-pause", Fixture, NULL,
              fixture_setup, test_fatigue_banner_no_pause, fixture_teardown);
  g_test_add ("/preferences/fatigue", Fixture, NULL,
              fixture_setup, test_preferences_fatigue, fixture_teardown);
  g_test_add ("/feedback/with-decisions", Fixture, NULL,
              fixture_setup, test_feedback_with_decisions, fixture_teardown);

  return g_test_run ();
}
