/* test-window.c
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

#define G_LOG_DOMAIN "test-window"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "vd-application.h"
#include "vd-item-row.h"
#include "vd-window-private.h"

/* Generous: the sanitizer builds are slow. */
#define DEADLINE_SECONDS 30

typedef struct
{
  char     *tmpdir;
  char     *db_path;
  VdStore  *store;
  VdWindow *window;
} Fixture;

static gboolean
keep_waking (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Runs the main loop until @cond holds; fails the test at the deadline. */
#define WAIT_UNTIL(cond)                                                        \
  G_STMT_START {                                                                \
    gint64 _deadline = g_get_monotonic_time () + DEADLINE_SECONDS * G_USEC_PER_SEC; \
    guint _wake = g_timeout_add (10, keep_waking, NULL);                        \
    while (!(cond))                                                             \
      {                                                                         \
        if (g_get_monotonic_time () > _deadline)                                \
          g_error ("Timed out waiting for %s", #cond);                          \
        g_main_context_iteration (NULL, TRUE);                                  \
      }                                                                         \
    g_source_remove (_wake);                                                    \
  } G_STMT_END

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          if (g_file_test (child, G_FILE_TEST_IS_DIR))
            remove_tree (child);
          else
            g_unlink (child);
        }
    }

  g_rmdir (path);
}

static char *
write_file (Fixture    *fixture,
            const char *name,
            const char *contents)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (fixture->tmpdir, name, NULL);

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);

  return path;
}

static guint64
count_items (VdStore *store,
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

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->tmpdir = g_dir_make_tmp ("verdict-test-window-XXXXXX", &error);
  g_assert_no_error (error);

  fixture->db_path = g_build_filename (fixture->tmpdir, "verdict.db", NULL);
  g_setenv ("VERDICT_DB", fixture->db_path, TRUE);

  fixture->store = VD_STORE (vd_sqlite_store_new (fixture->db_path, &error));
  g_assert_no_error (error);

  fixture->window = g_object_ref (vd_window_new (NULL));
  vd_window_set_store (fixture->window, fixture->store);
  gtk_window_present (GTK_WINDOW (fixture->window));
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  VdWindow *window = g_steal_pointer (&fixture->window);

  /* Closing must free the window once its pending work has returned. */
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (window);
  WAIT_UNTIL (window == NULL);

  g_assert_finalize_object (g_steal_pointer (&fixture->store));
  remove_tree (fixture->tmpdir);
  g_clear_pointer (&fixture->tmpdir, g_free);
  g_clear_pointer (&fixture->db_path, g_free);
}

static gboolean
page_is (Fixture    *fixture,
         const char *name)
{
  return g_strcmp0 (_vd_window_get_visible_page (fixture->window), name) == 0;
}

static void
import_path (Fixture    *fixture,
             const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);

  vd_window_import_files (fixture->window, &file, 1);
  g_assert_true (vd_window_get_importing (fixture->window));
}

static void
collect_widgets (GtkWidget *widget,
                 GType      type,
                 GPtrArray *found)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    g_ptr_array_add (found, widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_widgets (child, type, found);
}

static GPtrArray *
find_widgets (GtkWidget *root,
              GType      type)
{
  GPtrArray *found = g_ptr_array_new ();

  collect_widgets (root, type, found);

  return found;
}

static VdItemRow *
find_row (Fixture    *fixture,
          const char *task_id)
{
  g_autoptr(GPtrArray) rows = find_widgets (_vd_window_get_list_view (fixture->window),
                                            VD_TYPE_ITEM_ROW);

  for (guint i = 0; i < rows->len; i++)
    {
      VdItem *item = vd_item_row_get_item (g_ptr_array_index (rows, i));

      if (item != NULL && g_strcmp0 (vd_item_get_task_id (item), task_id) == 0 &&
          gtk_widget_get_mapped (g_ptr_array_index (rows, i)))
        return g_ptr_array_index (rows, i);
    }

  return NULL;
}

static GtkLabel *
find_label (GtkWidget  *root,
            const char *text)
{
  g_autoptr(GPtrArray) labels = find_widgets (root, GTK_TYPE_LABEL);

  for (guint i = 0; i < labels->len; i++)
    {
      if (g_strcmp0 (gtk_label_get_text (g_ptr_array_index (labels, i)), text) == 0)
        return g_ptr_array_index (labels, i);
    }

  return NULL;
}

static AdwMessageDialog *
find_message_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return ADW_MESSAGE_DIALOG (window);
    }

  return NULL;
}

static void
test_window_empty (Fixture       *fixture,
                   gconstpointer  data)
{
  WAIT_UNTIL (page_is (fixture, "empty"));

  g_assert_cmpstr (_vd_window_get_subtitle (fixture->window), ==, "");
  g_assert_cmpuint (g_list_model_get_n_items (_vd_window_get_items (fixture->window)), ==, 0);
  g_assert_false (vd_window_get_importing (fixture->window));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (fixture->window)), ==, "Verdict");
}

static void
test_window_import_sample (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autofree char *path = g_build_filename (g_getenv ("VERDICT_SAMPLES"),
                                           "review-queue.jsonl", NULL);
  g_autofree char *subtitle = NULL;
  GListModel *items = _vd_window_get_items (fixture->window);
  guint64 pending, total;
  double previous = -1.0;
  guint n_items;

  WAIT_UNTIL (page_is (fixture, "empty"));

  import_path (fixture, path);
  WAIT_UNTIL (!vd_window_get_importing (fixture->window) && page_is (fixture, "list"));

  pending = count_items (fixture->store, VD_STATUS_MASK_UNDECIDED);
  total = count_items (fixture->store, 0);
  g_assert_cmpuint (pending, >, 0);
  g_assert_cmpuint (pending, <, total);  /* some items are auto-approved */
  g_assert_cmpuint (pending, <=, VD_WINDOW_MAX_ITEMS);

  WAIT_UNTIL (strlen (_vd_window_get_subtitle (fixture->window)) > 0);
  subtitle = g_strdup_printf ("%u pending of %u", (guint) pending, (guint) total);
  g_assert_cmpstr (_vd_window_get_subtitle (fixture->window), ==, subtitle);

  n_items = g_list_model_get_n_items (items);
  g_assert_cmpuint (n_items, ==, pending);
  g_assert_cmpstr (_vd_window_get_capped_text (fixture->window), ==, "");

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(VdItem) item = g_list_model_get_item (items, i);

      g_assert_true (vd_item_is_undecided (item));
      g_assert_cmpfloat (vd_item_get_confidence (item), >=, previous);
      previous = vd_item_get_confidence (item);
    }

  /* The rows the list view shows are the first items, with their texts. */
  {
    g_autoptr(VdItem) first = g_list_model_get_item (items, 0);
    VdItemRow *row;

    WAIT_UNTIL (find_row (fixture, vd_item_get_task_id (first)) != NULL);
    row = find_row (fixture, vd_item_get_task_id (first));
    g_assert_nonnull (find_label (GTK_WIDGET (row), vd_item_get_task_id (first)));
  }

  /* Importing the same file again changes nothing. */
  import_path (fixture, path);
  WAIT_UNTIL (!vd_window_get_importing (fixture->window));
  g_assert_cmpuint (count_items (fixture->store, 0), ==, total);
  g_assert_cmpuint (count_items (fixture->store, VD_STATUS_MASK_UNDECIDED), ==, pending);
}

#define MARKUP_DESCRIPTION "<b>bold</b> & <span foreground=\"red\">red</span> &amp;"
#define MARKUP_TASK_ID "t<b>1</b>&amp;"
#define MARKUP_TASK_TYPE "<i>type</i> & co"

static const char markup_queue[] =
  "{\"task_id\": \"t<b>1</b>&amp;\", "
  "\"task_description\": "
  "\"<b>bold</b> & <span foreground=\\\"red\\\">red</span> &amp;\\nsecond line\", "
  "\"task_type\": \"<i>type</i> & co\", "
  "\"agent_output\": {\"content\": \"<a href='x'>link</a>\", \"confidence\": 0.4}, "
  "\"escalation_reason\": \"sensitive_content\", \"revision\": 2}\n"
  "{\"task_id\": \"middle\", \"task_description\": \"Middle\", "
  "\"agent_output\": {\"content\": \"ok\", \"confidence\": 0.6}, "
  "\"escalation_reason\": \"low_confidence\"}\n"
  "{\"task_id\": \"high\", \"task_description\": \"High\", "
  "\"agent_output\": {\"content\": \"ok\", \"confidence\": 0.95}, "
  "\"escalation_reason\": \"policy_required\"}\n";

static void
assert_badge (Fixture    *fixture,
              const char *task_id,
              const char *text,
              const char *css_class)
{
  VdItemRow *row;
  GtkLabel *badge;

  WAIT_UNTIL (find_row (fixture, task_id) != NULL);
  row = find_row (fixture, task_id);

  badge = find_label (GTK_WIDGET (row), text);
  g_assert_nonnull (badge);
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (badge), "confidence-badge"));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (badge), css_class));
}

static void
test_window_markup (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *path = write_file (fixture, "markup.jsonl", markup_queue);
  g_autoptr(GPtrArray) labels = NULL;
  g_autoptr(GPtrArray) middle_labels = NULL;
  GListModel *items = _vd_window_get_items (fixture->window);
  const char *expected[] = { MARKUP_TASK_ID, "middle", "high" };
  VdItemRow *row;
  GtkLabel *label;

  WAIT_UNTIL (page_is (fixture, "empty"));
  import_path (fixture, path);
  WAIT_UNTIL (!vd_window_get_importing (fixture->window) && page_is (fixture, "list"));

  g_assert_cmpuint (g_list_model_get_n_items (items), ==, 3);
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autoptr(VdItem) item = g_list_model_get_item (items, i);

      g_assert_cmpstr (vd_item_get_task_id (item), ==, expected[i]);
    }
  g_assert_cmpstr (_vd_window_get_subtitle (fixture->window), ==, "3 pending of 3");

  WAIT_UNTIL (find_row (fixture, MARKUP_TASK_ID) != NULL);
  row = find_row (fixture, MARKUP_TASK_ID);

  /* No label of the row interprets markup; the texts appear as they are. */
  labels = find_widgets (GTK_WIDGET (row), GTK_TYPE_LABEL);
  g_assert_cmpuint (labels->len, >=, 6);
  for (guint i = 0; i < labels->len; i++)
    g_assert_false (gtk_label_get_use_markup (g_ptr_array_index (labels, i)));

  label = find_label (GTK_WIDGET (row), MARKUP_DESCRIPTION);
  g_assert_nonnull (label);
  g_assert_cmpstr (gtk_label_get_label (label), ==, MARKUP_DESCRIPTION);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (label)));

  label = find_label (GTK_WIDGET (row), MARKUP_TASK_ID);
  g_assert_nonnull (label);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (label)));

  label = find_label (GTK_WIDGET (row), MARKUP_TASK_TYPE);
  g_assert_nonnull (label);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (label)));

  label = find_label (GTK_WIDGET (row),
                      vd_escalation_reason_to_label (VD_ESCALATION_REASON_SENSITIVE_CONTENT));
  g_assert_nonnull (label);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (label)));

  label = find_label (GTK_WIDGET (row), "rev 2");
  g_assert_nonnull (label);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (label)));

  assert_badge (fixture, MARKUP_TASK_ID, "0.40", "error");
  assert_badge (fixture, "middle", "0.60", "warning");
  assert_badge (fixture, "high", "0.95", "success");

  /* Revision 0 shows no revision label. */
  row = find_row (fixture, "middle");
  middle_labels = find_widgets (GTK_WIDGET (row), GTK_TYPE_LABEL);
  for (guint i = 0; i < middle_labels->len; i++)
    {
      GtkWidget *widget = g_ptr_array_index (middle_labels, i);

      if (g_str_has_prefix (gtk_label_get_text (GTK_LABEL (widget)), "rev "))
        g_assert_false (gtk_widget_get_visible (widget));
    }
}

static const char bad_queue[] =
  "{\"task_id\": \"good\", \"task_description\": \"Fine\", "
  "\"agent_output\": {\"content\": \"ok\", \"confidence\": 0.3}}\n"
  "{\"task_id\": \"bad\", \"task_description\": \"Broken\", "
  "\"agent_output\": {\"content\": \"ok\", \"confidence\": \"high\"}}\n";

static void
test_window_import_error (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *path = write_file (fixture, "bad.jsonl", bad_queue);
  const char *expected =
    "bad.jsonl:2: agent_output.confidence: expected a number from 0 to 1, found \"high\"";
  AdwMessageDialog *dialog;

  WAIT_UNTIL (page_is (fixture, "empty"));
  import_path (fixture, path);
  WAIT_UNTIL (find_message_dialog () != NULL);
  WAIT_UNTIL (!vd_window_get_importing (fixture->window));

  dialog = find_message_dialog ();
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) ==
                 GTK_WINDOW (fixture->window));
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Import Failed");
  g_assert_true (g_str_has_prefix (adw_message_dialog_get_body (dialog), expected));
  g_assert_false (adw_message_dialog_get_body_use_markup (dialog));

  /* Nothing was imported, not even the good first line. */
  g_assert_cmpuint (count_items (fixture->store, 0), ==, 0);
  WAIT_UNTIL (page_is (fixture, "empty"));

  adw_message_dialog_response (dialog, "close");
  WAIT_UNTIL (find_message_dialog () == NULL);
}

static void
test_window_capped (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GString) queue = g_string_new (NULL);
  g_autofree char *path = NULL;
  g_autofree char *capped = NULL;
  guint n = VD_WINDOW_MAX_ITEMS + 20;

  for (guint i = 0; i < n; i++)
    g_string_append_printf (queue,
                            "{\"task_id\": \"task_%04u\", \"task_description\": \"Item %u\", "
                            "\"agent_output\": {\"content\": \"ok\", \"confidence\": 0.%03u}, "
                            "\"escalation_reason\": \"low_confidence\"}\n",
                            i, i, (i * 7) % 1000);
  path = write_file (fixture, "many.jsonl", queue->str);

  WAIT_UNTIL (page_is (fixture, "empty"));
  import_path (fixture, path);
  WAIT_UNTIL (!vd_window_get_importing (fixture->window) && page_is (fixture, "list"));

  g_assert_cmpuint (g_list_model_get_n_items (_vd_window_get_items (fixture->window)), ==,
                    VD_WINDOW_MAX_ITEMS);
  capped = g_strdup_printf ("Showing %u of %u", VD_WINDOW_MAX_ITEMS, n);
  g_assert_cmpstr (_vd_window_get_capped_text (fixture->window), ==, capped);
}

/* The whole application, as `verdict --db PATH FILE` runs it. */
typedef struct
{
  VdApplication *app;
  const char    *expected_page;
  gint64         deadline;
  const char    *needle;      /* a mapped label must contain it, if set */
  gboolean       reached;
  char          *label_text;
} AppRun;

static gboolean
app_check_cb (gpointer data)
{
  AppRun *run = data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (run->app));

  if (VD_IS_WINDOW (window) &&
      g_strcmp0 (_vd_window_get_visible_page (VD_WINDOW (window)), run->expected_page) == 0 &&
      !vd_window_get_importing (VD_WINDOW (window)))
    {
      g_autoptr(GPtrArray) labels = find_widgets (GTK_WIDGET (window), GTK_TYPE_LABEL);

      for (guint i = 0; i < labels->len && run->label_text == NULL && run->needle; i++)
        {
          const char *text = gtk_label_get_text (g_ptr_array_index (labels, i));

          if (gtk_widget_get_mapped (g_ptr_array_index (labels, i)) &&
              strstr (text, run->needle) != NULL)
            run->label_text = g_strdup (text);
        }

      run->reached = run->needle == NULL || run->label_text != NULL;
    }

  if (run->reached || g_get_monotonic_time () > run->deadline)
    {
      g_action_group_activate_action (G_ACTION_GROUP (run->app), "quit", NULL);
      return G_SOURCE_REMOVE;
    }

  return G_SOURCE_CONTINUE;
}

static void
run_application (AppRun      *run,
                 const char **argv)
{
  int status;

  run->app = vd_application_new (APP_ID, G_APPLICATION_NON_UNIQUE);
  run->deadline = g_get_monotonic_time () + DEADLINE_SECONDS * G_USEC_PER_SEC;
  g_timeout_add (20, app_check_cb, run);

  status = g_application_run (G_APPLICATION (run->app),
                              g_strv_length ((char **) argv), (char **) argv);
  g_assert_cmpint (status, ==, 0);
}

static void
test_application_open (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmpdir = g_dir_make_tmp ("verdict-app-test-XXXXXX", &error);
  g_autofree char *db_path = g_build_filename (tmpdir, "opened.db", NULL);
  g_autofree char *env_path = g_build_filename (tmpdir, "env.db", NULL);
  g_autofree char *sample = g_build_filename (g_getenv ("VERDICT_SAMPLES"),
                                             "review-queue.jsonl", NULL);
  g_autoptr(VdSqliteStore) store = NULL;
  const char *argv[] = { "verdict", "--db", db_path, sample, NULL };
  AppRun run = { 0 };
  VdStore *app_store;
  guint64 pending;

  g_assert_no_error (error);
  g_setenv ("VERDICT_DB", env_path, TRUE);

  run.expected_page = "list";
  run_application (&run, argv);
  g_assert_true (run.reached);

  /* --db wins over VERDICT_DB, and the file given was imported into it. */
  app_store = vd_application_get_store (run.app);
  g_assert_nonnull (app_store);
  g_assert_cmpstr (vd_sqlite_store_get_path (VD_SQLITE_STORE (app_store)), ==, db_path);
  pending = count_items (app_store, VD_STATUS_MASK_UNDECIDED);
  g_assert_cmpuint (pending, >, 0);
  g_assert_false (g_file_test (env_path, G_FILE_TEST_EXISTS));

  g_assert_finalize_object (g_steal_pointer (&run.app));

  store = vd_sqlite_store_new (db_path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count_items (VD_STORE (store), VD_STATUS_MASK_UNDECIDED), ==, pending);
  g_clear_object (&store);

  remove_tree (tmpdir);
}

static void
test_application_store_error (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmpdir = g_dir_make_tmp ("verdict-app-test-XXXXXX", &error);
  const char *argv[] = { "verdict", NULL };
  AppRun run = { 0 };

  g_assert_no_error (error);

  /* A folder is no database: the window says so instead of crashing. */
  g_setenv ("VERDICT_DB", tmpdir, TRUE);

  run.expected_page = "error";
  run.needle = tmpdir;
  run_application (&run, argv);
  g_assert_true (run.reached);

  g_assert_null (vd_application_get_store (run.app));
  g_assert_nonnull (vd_application_get_store_error (run.app));
  g_assert_nonnull (run.label_text);
  g_assert_true (g_str_has_prefix (run.label_text,
                                   vd_application_get_store_error (run.app)->message));
  g_assert_true (g_str_has_suffix (run.label_text,
                                   "\n\nStart Verdict with --db PATH to use another database."));

  g_assert_finalize_object (g_steal_pointer (&run.app));
  g_free (run.label_text);

  remove_tree (tmpdir);
}

/* The undecided items the sample queue leaves with @policy. */
static guint64
sample_pending_with (VdPolicy   *policy,
                     const char *tmpdir)
{
  static guint n_stores;
  g_autoptr(GError) error = NULL;
  g_autofree char *db_name = g_strdup_printf ("expected-%u.db", ++n_stores);
  g_autofree char *db_path = g_build_filename (tmpdir, db_name, NULL);
  g_autofree char *sample = g_build_filename (g_getenv ("VERDICT_SAMPLES"),
                                             "review-queue.jsonl", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (sample);
  g_autoptr(VdSqliteStore) store = NULL;
  g_autoptr(VdImporter) importer = NULL;
  VdImportResult result = { 0 };

  store = vd_sqlite_store_new (db_path, &error);
  g_assert_no_error (error);
  importer = vd_importer_new (VD_STORE (store), policy);
  vd_importer_import (importer, &file, 1, &result, NULL, NULL, NULL, &error);
  g_assert_no_error (error);

  return count_items (VD_STORE (store), VD_STATUS_MASK_UNDECIDED);
}

static void
test_application_policy (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmpdir = g_dir_make_tmp ("verdict-app-test-XXXXXX", &error);
  g_autofree char *db_path = g_build_filename (tmpdir, "policy.db", NULL);
  g_autofree char *sample = g_build_filename (g_getenv ("VERDICT_SAMPLES"),
                                             "review-queue.jsonl", NULL);
  g_autofree char *policy_path = g_build_filename (g_getenv ("VERDICT_SAMPLES"),
                                                  "policy.json", NULL);
  g_autoptr(GSettings) settings = vd_application_new_settings ();
  g_autoptr(VdPolicy) sample_policy = NULL;
  g_autoptr(VdPolicy) default_policy = vd_policy_new ();
  const char *argv[] = { "verdict", "--db", db_path, sample, NULL };
  AppRun run = { 0 };
  guint64 expected;

  g_assert_no_error (error);
  g_assert_nonnull (settings);

  sample_policy = vd_policy_new_from_file (policy_path, &error);
  g_assert_no_error (error);
  expected = sample_pending_with (sample_policy, tmpdir);
  g_assert_cmpuint (expected, !=, sample_pending_with (default_policy, tmpdir));

  /* The file given at start is imported with the configured policy, never
   * with the default one while the policy file is still being read. */
  g_settings_set_string (settings, "policy-path", policy_path);
  run.expected_page = "list";
  run_application (&run, argv);
  g_assert_true (run.reached);

  g_assert_cmpfloat (vd_policy_get_threshold_for_type (vd_application_get_policy (run.app),
                                                       "payment"), ==, 0.85);
  g_assert_cmpuint (count_items (vd_application_get_store (run.app), VD_STATUS_MASK_UNDECIDED),
                    ==, expected);

  g_assert_finalize_object (g_steal_pointer (&run.app));
  g_settings_reset (settings, "policy-path");
  remove_tree (tmpdir);
}

static void
test_application_bad_policy (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmpdir = g_dir_make_tmp ("verdict-app-test-XXXXXX", &error);
  g_autofree char *db_path = g_build_filename (tmpdir, "bad-policy.db", NULL);
  g_autofree char *policy_path = g_build_filename (tmpdir, "policy.json", NULL);
  g_autofree char *sample = g_build_filename (g_getenv ("VERDICT_SAMPLES"),
                                             "review-queue.jsonl", NULL);
  g_autoptr(GSettings) settings = vd_application_new_settings ();
  g_autoptr(VdPolicy) default_policy = vd_policy_new ();
  const char *argv[] = { "verdict", "--db", db_path, sample, NULL };
  AppRun run = { 0 };
  guint64 expected;

  g_assert_no_error (error);
  expected = sample_pending_with (default_policy, tmpdir);

  /* A broken policy file: the default policy applies and a toast says why. */
  g_file_set_contents (policy_path, "{\"confidence_threshold\": \"high\"}", -1, &error);
  g_assert_no_error (error);
  g_settings_set_string (settings, "policy-path", policy_path);

  run.expected_page = "list";
  run.needle = "Using the default policy: ";
  run_application (&run, argv);
  g_assert_true (run.reached);

  g_assert_true (g_str_has_prefix (run.label_text, "Using the default policy: "));
  g_assert_true (strstr (run.label_text, "policy.json") != NULL);
  g_assert_cmpfloat (vd_policy_get_confidence_threshold (vd_application_get_policy (run.app)),
                     ==, 0.7);
  g_assert_cmpuint (count_items (vd_application_get_store (run.app), VD_STATUS_MASK_UNDECIDED),
                    ==, expected);

  g_assert_finalize_object (g_steal_pointer (&run.app));
  g_settings_reset (settings, "policy-path");
  g_free (run.label_text);
  remove_tree (tmpdir);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/window/empty", Fixture, NULL,
              fixture_setup, test_window_empty, fixture_teardown);
  g_test_add ("/window/import-sample", Fixture, NULL,
              fixture_setup, test_window_import_sample, fixture_teardown);
  g_test_add ("/window/markup", Fixture, NULL,
              fixture_setup, test_window_markup, fixture_teardown);
  g_test_add ("/window/import-error", Fixture, NULL,
              fixture_setup, test_window_import_error, fixture_teardown);
  g_test_add ("/window/capped", Fixture, NULL,
              fixture_setup, test_window_capped, fixture_teardown);
  g_test_add_func ("/application/open", test_application_open);
  g_test_add_func ("/application/store-error", test_application_store_error);
  g_test_add_func ("/application/policy", test_application_policy);
  g_test_add_func ("/application/bad-policy", test_application_bad_policy);

  return g_test_run ();
}
