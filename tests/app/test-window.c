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
#include <gdk/x11/gdkx.h>

#include "vd-application.h"
#include "vd-bulk-dialog.h"
#include "vd-decision-dialog.h"
#include "vd-import-dialog.h"
#include "vd-import-summary.h"
#include "vd-item-detail.h"
#include "vd-item-row.h"
#include "vd-reviewer-dialog.h"
#include "vd-test-gui.h"

#define REVIEWER "tester"

typedef struct
{
  char      *tmpdir;
  char      *db_path;
  VdStore   *store;
  VdSession *session;
  VdWindow  *window;
} Fixture;

#define STATUS_MASK_PENDING (VD_STATUS_MASK (VD_TASK_STATUS_PENDING) | \
                             VD_STATUS_MASK (VD_TASK_STATUS_IN_REVIEW))

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

static VdItem *
get_item_by_id (VdStore *store,
                gint64   id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = vd_store_get_items_by_id (store, &id, 1, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 1);

  return g_object_ref (g_ptr_array_index (items, 0));
}

static GPtrArray *
list_decisions (VdStore    *store,
                const char *queue,
                const char *task_id)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *decisions = vd_store_list_decisions (store, queue, task_id, &error);

  g_assert_no_error (error);

  return decisions;
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

  fixture->store = vd_test_open_store (fixture->db_path);
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
  /* Closing must free the window once its pending work has returned. */
  vd_test_close_window (window);

  vd_test_release_session (g_steal_pointer (&fixture->session));
  vd_test_release_store (g_steal_pointer (&fixture->store));
  vd_test_remove_tree (fixture->tmpdir);
  g_clear_pointer (&fixture->tmpdir, g_free);
  g_clear_pointer (&fixture->db_path, g_free);
}

/* The window as the tests look at it (see vd-test-gui.h). */
static const char *
reviewer_text (VdWindow *window)
{
  return adw_window_title_get_subtitle (vd_test_window_child (window, "sidebar_title"));
}

static VdItem *
shown_item (Fixture *fixture)
{
  return vd_test_window_shown_item (fixture->window);
}

static guint
n_decided (Fixture *fixture)
{
  return vd_test_window_n_decisions (fixture->window);
}

static gboolean
busy (Fixture *fixture)
{
  return vd_test_window_busy (fixture->window);
}

static gboolean
importing (Fixture *fixture)
{
  return vd_test_window_importing (fixture->window);
}

static const char *
counts_text (Fixture *fixture)
{
  return vd_test_window_label_text (fixture->window, "counts_label");
}

static GtkWidget *
child (Fixture    *fixture,
       const char *id)
{
  return vd_test_window_child (fixture->window, id);
}

static gboolean
page_is (Fixture    *fixture,
         const char *name)
{
  return g_strcmp0 (vd_test_window_page (fixture->window, "main_stack"), name) == 0;
}

static gboolean
list_page_is (Fixture    *fixture,
              const char *name)
{
  return g_strcmp0 (vd_test_window_page (fixture->window, "list_stack"), name) == 0;
}

static VdItemListModel *
items_of (Fixture *fixture)
{
  return vd_test_window_items (fixture->window);
}

static guint
n_items (Fixture *fixture)
{
  VdItemListModel *items = items_of (fixture);

  return items != NULL ? g_list_model_get_n_items (G_LIST_MODEL (items)) : 0;
}

static gboolean
model_ready (Fixture *fixture)
{
  return items_of (fixture) != NULL && !vd_item_list_model_get_loading (items_of (fixture));
}

/* Imports @path under the built-in rules (vd_policy_new()), which approve
 * some items automatically: the tests below that use this mean that
 * policy. An import a person starts goes through the import dialog. */
static void
import_path (Fixture    *fixture,
             const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(VdPolicy) rules = vd_policy_new ();

  vd_window_import_files_with_policy (fixture->window, &file, 1, rules);
  g_assert_true (importing (fixture));
}

static void
import_and_wait (Fixture    *fixture,
                 const char *path)
{
  import_path (fixture, path);
  WAIT_UNTIL (!importing (fixture) && page_is (fixture, "review") &&
              model_ready (fixture) && shown_item (fixture) != NULL);
}

static char *
sample_path (void)
{
  return g_build_filename (g_getenv ("VERDICT_SAMPLES"), "review-queue.jsonl", NULL);
}

static gboolean
focus_is_in (GtkWidget *window,
             GtkWidget *ancestor)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (window));

  return focus != NULL && (focus == ancestor || gtk_widget_is_ancestor (focus, ancestor));
}

/* Real key events: the X server delivers them to the window, as from a
 * keyboard (xdotool through XTest). */
static gboolean have_xdotool;

static void
subprocess_done_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_subprocess_wait_check_finish (G_SUBPROCESS (object), result, &error);
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

/* Runs xdotool with @args and waits for it, at most 20 s. */
static void
run_xdotool (const char **args)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) argv = NULL;
  gboolean done = FALSE;

  g_strv_builder_add_many (builder, "timeout", "20", "xdotool", NULL);
  g_strv_builder_addv (builder, args);
  argv = g_strv_builder_end (builder);

  process = g_subprocess_newv ((const char * const *) argv, G_SUBPROCESS_FLAGS_NONE, &error);
  g_assert_no_error (error);
  g_subprocess_wait_check_async (process, NULL, subprocess_done_cb, &done);
  WAIT_UNTIL (done);
}

static void
send_keys (GtkWidget  *widget,
           const char *keys)
{
  g_autofree char *xid = NULL;
  g_auto(GStrv) split = g_strsplit (keys, " ", -1);
  GtkNative *native = gtk_widget_get_native (widget);
  GdkSurface *surface = gtk_native_get_surface (native);
  const char *focus[] = { "windowfocus", "--sync", NULL, NULL };
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) key = NULL;

  g_assert_true (GDK_IS_X11_SURFACE (surface));
  xid = g_strdup_printf ("%lu", (gulong) gdk_x11_surface_get_xid (surface));

  /* The X server moves the focus at once; GTK sends key events to the
   * surface it knows has the focus. Without a window manager a dialog that
   * just closed may still hold it in GTK's view: the key would be lost.
   * Send the keys once GTK has seen the window become active. */
  focus[2] = xid;
  run_xdotool (focus);
  if (GTK_IS_WINDOW (native))
    {
      gint64 end = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

      while (!gtk_window_is_active (GTK_WINDOW (native)) && g_get_monotonic_time () < end)
        {
          if (!g_main_context_iteration (NULL, FALSE))
            g_usleep (1000);
        }
    }

  g_strv_builder_add_many (builder, "key", "--delay", "20", NULL);
  g_strv_builder_addv (builder, (const char **) split);
  key = g_strv_builder_end (builder);
  run_xdotool ((const char **) key);
}

/* Sends @key to the window and waits until the selection is at
 * @position. Under Xvfb with no window manager an X key event can be lost
 * while the focus moves back from a dialog that just closed; a key that
 * changed nothing after 5 s is sent once more, and the test says so. */
static void
move_with_key (Fixture    *fixture,
               const char *key,
               guint       position)
{
  GtkWidget *window = GTK_WIDGET (fixture->window);
  gint64 end;

  send_keys (window, key);
  end = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (vd_test_window_selected (fixture->window) != position &&
         g_get_monotonic_time () < end)
    {
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }

  if (vd_test_window_selected (fixture->window) != position)
    {
      g_test_message ("The key %s changed nothing after 5 s: sending it again", key);
      send_keys (window, key);
    }

  WAIT_UNTIL (vd_test_window_selected (fixture->window) == position);
}

/* The window's shortcuts reach it while the queue list has the focus: the
 * list binds keys of its own (Ctrl+Shift+A unselects all). */
static void
test_window_shortcuts_from_list (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autofree char *path = sample_path ();
  GtkWidget *window = GTK_WIDGET (fixture->window);
  GtkWidget *dialog;

  if (!have_xdotool)
    {
      g_test_skip ("xdotool is needed to send real key events");
      return;
    }

  WAIT_UNTIL (page_is (fixture, "empty"));
  import_and_wait (fixture, path);
  WAIT_UNTIL (focus_is_in (window, child (fixture, "list_view")));

  send_keys (window, "ctrl+b");
  WAIT_UNTIL ((dialog = vd_test_find_toplevel (VD_TYPE_BULK_DIALOG)) != NULL &&
              gtk_widget_get_visible (dialog));
  gtk_window_destroy (GTK_WINDOW (dialog));
  WAIT_UNTIL (vd_test_find_toplevel (VD_TYPE_BULK_DIALOG) == NULL);
}

static gpointer
template_child (gpointer    widget,
                         GType       type,
                         const char *id)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (widget), type, id);

  g_assert_nonnull (object);

  return object;
}

/* Bulk Approve: the queue is one of the store's, from a list, and Draw
 * Sample is in view at the dialog's default size. */
static void
test_window_bulk_dialog (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *path = sample_path ();
  g_autofree char *other = vd_test_write_file (fixture->tmpdir, "other.jsonl",
                                               "{\"task_id\": \"o1\", \"task_description\": \"d\", "
                                               "\"agent_output\": {\"content\": \"c\", "
                                               "\"confidence\": 0.2}}\n");
  GtkWidget *dialog;
  AdwComboRow *queue_row;
  GtkWidget *start;
  GListModel *queues;
  graphene_rect_t bounds;

  WAIT_UNTIL (page_is (fixture, "empty"));
  import_and_wait (fixture, path);
  import_path (fixture, other);
  WAIT_UNTIL (!importing (fixture));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window),
                                             "win.bulk-approve", NULL));
  WAIT_UNTIL ((dialog = vd_test_find_toplevel (VD_TYPE_BULK_DIALOG)) != NULL &&
              gtk_widget_get_mapped (dialog));

  queue_row = template_child (dialog, VD_TYPE_BULK_DIALOG, "queue_row");
  g_assert_true (ADW_IS_COMBO_ROW (queue_row));
  queues = adw_combo_row_get_model (queue_row);
  WAIT_UNTIL (g_list_model_get_n_items (queues) == 2);
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (queues), 0), ==, "demo");
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (queues), 1), ==, "other");
  g_assert_cmpuint (adw_combo_row_get_selected (queue_row), !=, GTK_INVALID_LIST_POSITION);

  /* Another queue: the band follows. */
  adw_combo_row_set_selected (queue_row, 1);
  WAIT_UNTIL (_vd_bulk_dialog_get_band_size (VD_BULK_DIALOG (dialog)) >= 0);

  start = template_child (dialog, VD_TYPE_BULK_DIALOG, "start_button");
  WAIT_UNTIL (gtk_widget_get_mapped (start) && gtk_widget_get_height (start) > 0);
  g_assert_true (gtk_widget_compute_bounds (start, dialog, &bounds));
  g_assert_cmpfloat (bounds.origin.y, >=, 0);
  g_assert_cmpfloat (bounds.origin.y + bounds.size.height, <=, gtk_widget_get_height (dialog));
  g_assert_cmpfloat (bounds.origin.x + bounds.size.width, <=, gtk_widget_get_width (dialog));

  gtk_window_destroy (GTK_WINDOW (dialog));
  WAIT_UNTIL (vd_test_find_toplevel (VD_TYPE_BULK_DIALOG) == NULL);
}

static void
test_window_empty (Fixture       *fixture,
                   gconstpointer  data)
{
  WAIT_UNTIL (page_is (fixture, "empty"));

  WAIT_UNTIL (g_strcmp0 (counts_text (fixture), "0 pending of 0") == 0);
  g_assert_cmpuint (n_items (fixture), ==, 0);
  g_assert_false (importing (fixture));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (fixture->window)), ==, "Verdict");
  g_assert_cmpstr (vd_session_get_reviewer_id (fixture->session), ==, REVIEWER);
  g_assert_cmpstr (reviewer_text (fixture->window), ==, "Reviewing as " REVIEWER);

  /* Nothing to decide, nothing to undo. */
  g_assert_false (gtk_widget_get_sensitive (child (fixture, "approve_button")));
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.approve", NULL);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.undo", NULL);
  g_assert_cmpuint (n_decided (fixture), ==, 0);
  g_assert_false (busy (fixture));
}

/* The positions of the model are those of the store's listing. */
static void
assert_model_matches (Fixture           *fixture,
                      const VdItemQuery *query)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = vd_store_list_ids (fixture->store, query, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (n_items (fixture), ==, ids->len);
  for (guint i = 0; i < ids->len; i++)
    g_assert_cmpuint (vd_item_list_model_find (items_of (fixture),
                                               g_array_index (ids, gint64, i)), ==, i);
}

static void
test_window_import_sample (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autofree char *path = sample_path ();
  g_autofree char *counts = NULL;
  VdItemQuery query = VD_ITEM_QUERY_INIT;
  guint64 pending, total;
  VdItem *shown;

  WAIT_UNTIL (page_is (fixture, "empty"));
  import_and_wait (fixture, path);

  pending = count_items (fixture->store, STATUS_MASK_PENDING);
  total = count_items (fixture->store, 0);
  g_assert_cmpuint (pending, >, 0);
  g_assert_cmpuint (pending, <, total);  /* some items are auto-approved */

  counts = g_strdup_printf ("%u pending of %u", (guint) pending, (guint) total);
  WAIT_UNTIL (g_strcmp0 (counts_text (fixture), counts) == 0);
  g_assert_true (list_page_is (fixture, "list"));

  /* Pending items, lowest confidence first. */
  query.statuses = STATUS_MASK_PENDING;
  query.sort = VD_SORT_ORDER_CONFIDENCE;
  assert_model_matches (fixture, &query);

  /* The first item is selected and shown, and the keyboard is on the list. */
  shown = shown_item (fixture);
  {
    g_autoptr(VdItem) first = g_list_model_get_item (G_LIST_MODEL (items_of (fixture)), 0);

    g_assert_cmpint (vd_item_get_id (shown), ==, vd_item_get_id (first));
  }
  g_assert_true (VD_ITEM_DETAIL (child (fixture, "detail")) != NULL);
  g_assert_true (vd_item_detail_get_item (VD_ITEM_DETAIL (child (fixture, "detail")))
                 == shown);
  WAIT_UNTIL (focus_is_in (GTK_WIDGET (fixture->window),
                           child (fixture, "list_view")));
  WAIT_UNTIL (vd_test_find_row (fixture->window, vd_item_get_task_id (shown)) != NULL);

  /* Importing the same file again changes nothing. */
  import_path (fixture, path);
  WAIT_UNTIL (!importing (fixture));
  g_assert_cmpuint (count_items (fixture->store, 0), ==, total);
  g_assert_cmpuint (count_items (fixture->store, STATUS_MASK_PENDING), ==, pending);
}

#define MARKUP_DESCRIPTION "<b>bold</b> & <span foreground=\"red\">red</span> &amp;"
#define MARKUP_TASK_ID "t<b>1</b>&amp;"
#define MARKUP_TASK_TYPE "<i>type</i> & co"
#define MARKUP_CONTENT "<a href='x'>link</a> & <tt>mono</tt>"

static const char markup_queue[] =
  "{\"task_id\": \"t<b>1</b>&amp;\", "
  "\"task_description\": "
  "\"<b>bold</b> & <span foreground=\\\"red\\\">red</span> &amp;\\nsecond line\", "
  "\"task_type\": \"<i>type</i> & co\", "
  "\"context\": \"<big>context</big> &lt;\", "
  "\"agent_output\": {\"content\": \"<a href='x'>link</a> & <tt>mono</tt>\", "
  "\"confidence\": 0.4, \"reasoning\": \"<u>why</u> &\", "
  "\"metadata\": {\"<k>\": \"<v> & w\"}}, "
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

  WAIT_UNTIL (vd_test_find_row (fixture->window, task_id) != NULL);
  row = vd_test_find_row (fixture->window, task_id);

  badge = vd_test_find_label (GTK_WIDGET (row), text);
  g_assert_nonnull (badge);
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (badge), "confidence-badge"));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (badge), css_class));
}

/* No label anywhere in @root interprets queue text as markup: a label
 * either shows its text as it is, or escapes it so that it shows so. */
static void
assert_no_markup_labels (GtkWidget *root)
{
  const char *needles[] = { "<b>", "<span", "<i>", "<a href", "<big>", "<u>", "<k>", "<v>", "&amp;" };
  g_autoptr(GPtrArray) labels = vd_test_find_widgets (root, GTK_TYPE_LABEL);

  for (guint i = 0; i < labels->len; i++)
    {
      GtkLabel *label = g_ptr_array_index (labels, i);

      for (guint n = 0; n < G_N_ELEMENTS (needles); n++)
        {
          if (strstr (gtk_label_get_label (label), needles[n]) == NULL)
            continue;

          if (gtk_label_get_use_markup (label))
            g_assert_nonnull (strstr (gtk_label_get_text (label), needles[n]));
          else
            g_assert_cmpstr (gtk_label_get_text (label), ==, gtk_label_get_label (label));
        }
    }
}

static gboolean
some_label_contains (GtkWidget  *root,
                     const char *text)
{
  g_autoptr(GPtrArray) labels = vd_test_find_widgets (root, GTK_TYPE_LABEL);

  for (guint i = 0; i < labels->len; i++)
    {
      if (strstr (gtk_label_get_text (g_ptr_array_index (labels, i)), text) != NULL)
        return TRUE;
    }

  return FALSE;
}

static void
test_window_markup (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *path = vd_test_write_file (fixture->tmpdir, "markup.jsonl", markup_queue);
  GtkWidget *window = GTK_WIDGET (fixture->window);
  GtkWidget *detail = child (fixture, "detail");
  const char *expected[] = { MARKUP_TASK_ID, "middle", "high" };
  VdDecisionDialog *dialog;
  VdItemRow *row;
  GtkLabel *label;

  WAIT_UNTIL (page_is (fixture, "empty"));
  import_and_wait (fixture, path);

  g_assert_cmpuint (n_items (fixture), ==, 3);
  WAIT_UNTIL (g_strcmp0 (counts_text (fixture), "3 pending of 3") == 0);

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    WAIT_UNTIL (vd_test_find_row (fixture->window, expected[i]) != NULL);

  /* The rows, in order, show every field as it is. */
  row = vd_test_find_row (fixture->window, MARKUP_TASK_ID);
  label = vd_test_find_label (GTK_WIDGET (row), MARKUP_DESCRIPTION);
  g_assert_nonnull (label);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (label)));
  g_assert_nonnull (vd_test_find_label (GTK_WIDGET (row), MARKUP_TASK_ID));
  g_assert_nonnull (vd_test_find_label (GTK_WIDGET (row), MARKUP_TASK_TYPE));
  g_assert_nonnull (vd_test_find_label (GTK_WIDGET (row),
                                vd_escalation_reason_to_label (VD_ESCALATION_REASON_SENSITIVE_CONTENT)));
  label = vd_test_find_label (GTK_WIDGET (row), "rev 2");
  g_assert_nonnull (label);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (label)));

  /* Against the default policy's threshold of 0.70. */
  assert_badge (fixture, MARKUP_TASK_ID, "0.40", "error");
  assert_badge (fixture, "middle", "0.60", "warning");
  assert_badge (fixture, "high", "0.95", "success");

  /* The detail pane and the header show the first item literally too. */
  g_assert_cmpstr (vd_item_get_task_id (shown_item (fixture)), ==,
                   MARKUP_TASK_ID);
  WAIT_UNTIL (some_label_contains (detail, MARKUP_CONTENT));
  g_assert_true (some_label_contains (detail, MARKUP_DESCRIPTION));
  g_assert_true (some_label_contains (detail, "<big>context</big> &lt;"));
  g_assert_true (some_label_contains (detail, "<u>why</u> &"));
  g_assert_true (some_label_contains (window, MARKUP_TASK_ID));
  assert_no_markup_labels (window);

  /* The decision dialog quotes the item as plain text. */
  g_assert_true (gtk_widget_activate_action (window, "win.reject", NULL));
  WAIT_UNTIL ((dialog = vd_test_find_toplevel (VD_TYPE_DECISION_DIALOG)) != NULL);
  g_assert_true (some_label_contains (GTK_WIDGET (dialog), MARKUP_TASK_ID " — " MARKUP_DESCRIPTION));
  assert_no_markup_labels (GTK_WIDGET (dialog));
  gtk_text_buffer_set_text (vd_decision_dialog_get_buffer (dialog), "<b>fix</b> & retry", -1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "dialog.confirm", NULL));
  WAIT_UNTIL (vd_test_find_toplevel (VD_TYPE_DECISION_DIALOG) == NULL);
  WAIT_UNTIL (n_decided (fixture) == 1 &&
              !busy (fixture));

  /* The toast names the item literally. */
  WAIT_UNTIL (some_label_contains (window, "Rejected “" MARKUP_TASK_ID "”"));
  assert_no_markup_labels (window);

  {
    g_autoptr(GPtrArray) decisions = list_decisions (fixture->store, NULL, MARKUP_TASK_ID);

    g_assert_cmpuint (decisions->len, ==, 1);
    g_assert_cmpstr (vd_decision_get_feedback (g_ptr_array_index (decisions, 0)), ==,
                     "<b>fix</b> & retry");
  }
}

static void
got_text_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  char **text = user_data;

  *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (object), result, &error);
  g_assert_no_error (error);
}

static GtkButton *
find_button (GtkWidget  *root,
             const char *label)
{
  g_autoptr(GPtrArray) buttons = vd_test_find_widgets (root, GTK_TYPE_BUTTON);

  for (guint i = 0; i < buttons->len; i++)
    if (g_strcmp0 (gtk_button_get_label (g_ptr_array_index (buttons, i)), label) == 0)
      return g_ptr_array_index (buttons, i);

  return NULL;
}

static VdImportSummary *
summary_of (Fixture *fixture)
{
  return VD_IMPORT_SUMMARY (child (fixture, "import_summary"));
}

/* Opens the import dialog for @path, as Import Queue… does once the file
 * is chosen, and waits for its preview. */
static VdImportDialog *
ask_import (Fixture    *fixture,
            const char *path,
            gboolean    queue_policy)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  VdImportDialog *dialog;

  vd_window_ask_import (fixture->window, &file, 1, queue_policy);
  WAIT_UNTIL ((dialog = vd_test_find_toplevel (VD_TYPE_IMPORT_DIALOG)) != NULL &&
              gtk_widget_get_mapped (GTK_WIDGET (dialog)) &&
              vd_import_dialog_get_preview (dialog) != NULL);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) ==
                 GTK_WINDOW (fixture->window));
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (dialog)));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (dialog)), ==, "Import Queue");

  return dialog;
}

static void
confirm_import (Fixture        *fixture,
                VdImportDialog *dialog)
{
  g_assert_true (vd_import_dialog_get_can_import (dialog));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "dialog.import", NULL));
  WAIT_UNTIL (vd_test_find_toplevel (VD_TYPE_IMPORT_DIALOG) == NULL);
  WAIT_UNTIL (!importing (fixture) && vd_import_summary_get_shown (summary_of (fixture)) &&
              page_is (fixture, "review") && model_ready (fixture));
}

/* Import Queue… with the default choice: nothing is approved, and the
 * strip above the list says so until it is dismissed. */
static void
test_window_import_review_all (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autofree char *path = sample_path ();
  VdImportDialog *dialog;

  WAIT_UNTIL (page_is (fixture, "empty"));
  dialog = ask_import (fixture, path, FALSE);

  /* The sample's policy is offered, not chosen. */
  g_assert_true (vd_import_dialog_has_choice (dialog, VD_IMPORT_CHOICE_QUEUE_POLICY));
  g_assert_cmpint (vd_import_dialog_get_choice (dialog), ==, VD_IMPORT_CHOICE_REVIEW_ALL);
  g_assert_cmpstr (vd_import_dialog_get_preview_text (dialog), ==,
                   "Nothing will be approved automatically; 55 items go to review");
  g_assert_nonnull (vd_test_find_label (GTK_WIDGET (dialog), "review-queue.jsonl"));
  g_assert_nonnull (vd_test_find_label (GTK_WIDGET (dialog), "55 items"));

  confirm_import (fixture, dialog);

  g_assert_cmpuint (count_items (fixture->store, 0), ==, 55);
  g_assert_cmpuint (count_items (fixture->store, VD_STATUS_MASK_UNDECIDED), ==, 55);
  g_assert_cmpuint (count_items (fixture->store, VD_STATUS_MASK (VD_TASK_STATUS_APPROVED)), ==, 0);
  g_assert_cmpstr (vd_import_summary_get_text (summary_of (fixture)), ==,
                   "review-queue.jsonl: 55 new items — 55 to review, "
                   "none approved automatically");
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (vd_test_find_label (GTK_WIDGET (fixture->window),
                                                                        vd_import_summary_get_text (summary_of (fixture))))));

  /* It stays (no timeout) until dismissed. */
  vd_test_iterate_for (200);
  g_assert_true (vd_import_summary_get_shown (summary_of (fixture)));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (summary_of (fixture)),
                                             "summary.dismiss", NULL));
  g_assert_false (vd_import_summary_get_shown (summary_of (fixture)));
}

/* Open Sample Queue: the sample's own policy is chosen at first, the
 * preview says what it approves, the import does that, and Show Approved
 * lists those items. A broken policy file cannot be imported with. */
static void
test_window_import_policy (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autofree char *path = sample_path ();
  g_autofree char *bad_policy = vd_test_write_file (fixture->tmpdir, "bad-policy.json",
                                                    "{\"confidence_threshold\": \"high\"}");
  g_autoptr(GFile) bad_file = g_file_new_for_path (bad_policy);
  const char *expected = "12 of 55 items would be approved automatically; 43 go to review";
  VdImportDialog *dialog;

  WAIT_UNTIL (page_is (fixture, "empty"));
  dialog = ask_import (fixture, path, TRUE);
  g_assert_cmpint (vd_import_dialog_get_choice (dialog), ==, VD_IMPORT_CHOICE_QUEUE_POLICY);
  g_assert_cmpstr (vd_import_dialog_get_preview_text (dialog), ==, expected);
  g_assert_nonnull (vd_test_find_label (GTK_WIDGET (dialog), expected));

  /* Another choice: the preview follows, and back. */
  vd_import_dialog_set_choice (dialog, VD_IMPORT_CHOICE_REVIEW_ALL);
  WAIT_UNTIL (vd_import_dialog_get_preview (dialog) != NULL);
  g_assert_cmpuint (vd_import_preview_get_n_approved (vd_import_dialog_get_preview (dialog)), ==, 0);

  /* A policy file that cannot be read: its error, and no Import. */
  vd_import_dialog_set_policy_file (dialog, bad_file);
  g_assert_cmpint (vd_import_dialog_get_choice (dialog), ==, VD_IMPORT_CHOICE_FILE);
  WAIT_UNTIL (vd_import_dialog_get_preview (dialog) != NULL);
  g_assert_false (vd_import_dialog_get_can_import (dialog));
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (dialog), "dialog.import", NULL) &&
                  vd_test_find_toplevel (VD_TYPE_IMPORT_DIALOG) == NULL);
  g_assert_true (some_label_contains (GTK_WIDGET (dialog), "This policy cannot be used: "));
  g_assert_true (some_label_contains (GTK_WIDGET (dialog), "bad-policy.json"));

  vd_import_dialog_set_choice (dialog, VD_IMPORT_CHOICE_QUEUE_POLICY);
  WAIT_UNTIL (vd_import_dialog_get_preview (dialog) != NULL);
  g_assert_cmpstr (vd_import_dialog_get_preview_text (dialog), ==, expected);

  confirm_import (fixture, dialog);
  g_assert_cmpuint (count_items (fixture->store, VD_STATUS_MASK (VD_TASK_STATUS_APPROVED)), ==, 12);
  g_assert_cmpuint (count_items (fixture->store, VD_STATUS_MASK_UNDECIDED), ==, 43);
  g_assert_cmpstr (vd_import_summary_get_text (summary_of (fixture)), ==,
                   "review-queue.jsonl: 55 new items — 43 to review, "
                   "12 approved automatically by policy.json");

  /* Show Approved: the list holds those twelve. */
  {
    GtkButton *button = find_button (GTK_WIDGET (summary_of (fixture)), "_Show Approved");

    g_assert_nonnull (button);
    g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (button)));
    gtk_widget_activate (GTK_WIDGET (button));
  }
  WAIT_UNTIL (model_ready (fixture) &&
              vd_item_list_model_get_query (items_of (fixture))->statuses == VD_STATUS_MASK_DECIDED);
  g_assert_cmpuint (n_items (fixture), ==, 12);
  for (guint i = 0; i < 12; i++)
    {
      g_autoptr(VdItem) item = g_list_model_get_item (G_LIST_MODEL (items_of (fixture)), i);
      g_autoptr(VdItem) stored = get_item_by_id (fixture->store, vd_item_get_id (item));

      g_assert_cmpint (vd_item_get_status (stored), ==, VD_TASK_STATUS_APPROVED);
    }

  /* The status filter is a setting: the next tests start on Pending. */
  vd_test_window_set_status (fixture->window, VD_TEST_STATUS_PENDING);
  WAIT_UNTIL (model_ready (fixture) &&
              vd_item_list_model_get_query (items_of (fixture))->statuses == STATUS_MASK_PENDING);
}

/* Escape, or closing the dialog, imports nothing. */
static void
test_window_import_cancel (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autofree char *path = sample_path ();
  VdImportDialog *dialog;

  WAIT_UNTIL (page_is (fixture, "empty"));
  dialog = ask_import (fixture, path, FALSE);

  if (have_xdotool)
    send_keys (GTK_WIDGET (dialog), "Escape");
  else
    gtk_window_close (GTK_WINDOW (dialog));

  WAIT_UNTIL (vd_test_find_toplevel (VD_TYPE_IMPORT_DIALOG) == NULL);
  vd_test_iterate_for (100);
  g_assert_false (importing (fixture));
  g_assert_cmpuint (count_items (fixture->store, 0), ==, 0);
  g_assert_true (page_is (fixture, "empty"));

  /* No policy chosen anywhere: the session's and vd_window_import_files()
   * approve nothing. */
  g_assert_true (vd_policy_get_review_all (vd_session_get_policy (fixture->session)));
  {
    g_autoptr(GFile) file = g_file_new_for_path (path);

    vd_window_import_files (fixture->window, &file, 1);
    WAIT_UNTIL (!importing (fixture) && count_items (fixture->store, 0) == 55);
    g_assert_cmpuint (count_items (fixture->store, VD_STATUS_MASK (VD_TASK_STATUS_APPROVED)),
                      ==, 0);
  }
}

static const char bad_queue[] =
  "{\"task_id\": \"good\", \"task_description\": \"Fine\", "
  "\"agent_output\": {\"content\": \"ok\", \"confidence\": 0.3}}\n"
  "{\"task_id\": \"bad-7\", \"task_description\": \"Broken\", "
  "\"agent_output\": {\"content\": \"ok\", \"confidence\": \"high\"}}\n"
  "{\"task_id\": \"also-good\", \"task_description\": \"Fine too\", "
  "\"agent_output\": {\"content\": \"ok\", \"confidence\": 0.99}}\n";

/* A file with a bad line: the dialog quotes the message, copies it, and
 * imports the valid items with the policy chosen. */
static void
test_window_import_error (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *path = vd_test_write_file (fixture->tmpdir, "bad.jsonl", bad_queue);
  const char *expected =
    "bad.jsonl:2 (task bad-7): agent_output.confidence must be a number from 0 to 1, found "
    "\"high\"";
  g_autofree char *policy_path = vd_test_write_file (fixture->tmpdir, "policy.json",
                                                     "{\"confidence_threshold\": 0.9}");
  g_autofree char *clipboard_text = NULL;
  g_autofree char *message = NULL;
  AdwMessageDialog *dialog;
  VdImportDialog *import_dialog;
  GtkButton *copy;

  WAIT_UNTIL (page_is (fixture, "empty"));

  /* The preview counts the valid items and says a line cannot be read. */
  import_dialog = ask_import (fixture, path, TRUE);
  g_assert_cmpint (vd_import_dialog_get_choice (import_dialog), ==, VD_IMPORT_CHOICE_QUEUE_POLICY);
  g_assert_cmpstr (vd_import_dialog_get_preview_text (import_dialog), ==,
                   "1 of 2 items would be approved automatically; 1 goes to review");
  g_assert_true (some_label_contains (GTK_WIDGET (import_dialog),
                                      "1 line cannot be read; the import will offer to leave it out:\n"
                                      "bad.jsonl:2 (task bad-7): "));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (import_dialog), "dialog.import", NULL));

  WAIT_UNTIL ((dialog = vd_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG)) != NULL);
  WAIT_UNTIL (!importing (fixture));

  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) ==
                 GTK_WINDOW (fixture->window));
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Import Failed");
  g_assert_false (adw_message_dialog_get_body_use_markup (dialog));

  /* The body quotes the importer's message: file, line, task and field. */
  {
    const char *body = adw_message_dialog_get_body (dialog);
    const char *end = strstr (body, "\n\n");

    g_assert_nonnull (end);
    message = g_strndup (body, end - body);
    g_assert_cmpstr (message, ==, expected);
  }

  /* Nothing was imported, not even the good lines. */
  g_assert_cmpuint (count_items (fixture->store, 0), ==, 0);

  g_assert_true (adw_message_dialog_has_response (dialog, "import-valid"));
  g_assert_cmpstr (adw_message_dialog_get_response_label (dialog, "import-valid"), ==,
                   "Import 2 Valid Items");

  /* Copy Details: the full message on the clipboard, the dialog open. */
  copy = find_button (GTK_WIDGET (dialog), "Copy _Details");
  g_assert_nonnull (copy);
  gtk_widget_activate (GTK_WIDGET (copy));
  WAIT_UNTIL (g_strcmp0 (gtk_button_get_label (copy), "Copied") == 0);
  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (GTK_WIDGET (fixture->window)),
                                 NULL, got_text_cb, &clipboard_text);
  WAIT_UNTIL (clipboard_text != NULL);
  g_assert_cmpstr (clipboard_text, ==, message);
  g_assert_true (vd_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG) == (gpointer) dialog);

  /* Import 2 Valid Items, with the policy chosen: 0.99 passes 0.9. */
  adw_message_dialog_response (dialog, "import-valid");
  gtk_window_close (GTK_WINDOW (dialog));
  WAIT_UNTIL (vd_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG) == NULL);
  WAIT_UNTIL (!importing (fixture) && count_items (fixture->store, 0) == 2 &&
              vd_import_summary_get_shown (summary_of (fixture)));
  g_assert_cmpuint (count_items (fixture->store, VD_STATUS_MASK (VD_TASK_STATUS_APPROVED)), ==, 1);
  g_assert_cmpstr (vd_import_summary_get_text (summary_of (fixture)), ==,
                   "bad.jsonl: 2 new items — 1 to review, 1 approved automatically by "
                   "policy.json; 1 invalid line left out");
}

/* The decision flow, driven by keys. */

static gint64
shown_id (Fixture *fixture)
{
  VdItem *shown = shown_item (fixture);

  return shown != NULL ? vd_item_get_id (shown) : 0;
}

static gint64
id_at (Fixture *fixture,
       guint    position)
{
  g_autoptr(VdItem) item = g_list_model_get_item (G_LIST_MODEL (items_of (fixture)),
                                                  position);

  return item != NULL ? vd_item_get_id (item) : 0;
}

static void
wait_decided (Fixture *fixture,
              guint    n_session)
{
  WAIT_UNTIL (n_decided (fixture) == n_session &&
              !busy (fixture) &&
              shown_item (fixture) != NULL);
}

/* The decision on @id as stored, with everything a decision must carry. */
static VdDecision *
assert_decided (Fixture        *fixture,
                gint64          id,
                VdDecisionKind  kind,
                VdTaskStatus    status)
{
  g_autoptr(VdItem) item = get_item_by_id (fixture->store, id);
  g_autoptr(GPtrArray) decisions = NULL;
  VdDecision *decision;

  g_assert_cmpint (vd_item_get_status (item), ==, status);

  decisions = list_decisions (fixture->store, vd_item_get_queue (item),
                              vd_item_get_task_id (item));
  g_assert_cmpuint (decisions->len, >=, 1);
  decision = g_ptr_array_index (decisions, decisions->len - 1);
  g_assert_cmpint (vd_decision_get_kind (decision), ==, kind);
  g_assert_cmpstr (vd_decision_get_reviewer_id (decision), ==, REVIEWER);
  g_assert_cmpint (vd_decision_get_duration_ms (decision), >, 0);
  g_assert_cmpint (vd_decision_get_revision (decision), ==, vd_item_get_revision (item));
  g_assert_false (vd_decision_get_automatic (decision));

  return g_object_ref (decision);
}

static VdDecisionDialog *
wait_dialog (VdDecisionKind kind)
{
  VdDecisionDialog *dialog;

  WAIT_UNTIL ((dialog = vd_test_find_toplevel (VD_TYPE_DECISION_DIALOG)) != NULL &&
              gtk_widget_get_mapped (GTK_WIDGET (dialog)));
  g_assert_cmpint (vd_decision_dialog_get_kind (dialog), ==, kind);

  return dialog;
}

static gboolean
buffer_has_tagged_text (GtkTextBuffer *buffer,
                        const char    *tag_name,
                        const char    *text)
{
  GtkTextTag *tag = gtk_text_tag_table_lookup (gtk_text_buffer_get_tag_table (buffer), tag_name);
  GtkTextIter iter, end;

  gtk_text_buffer_get_start_iter (buffer, &iter);
  do
    {
      if (gtk_text_iter_starts_tag (&iter, tag))
        {
          g_autofree char *tagged = NULL;

          end = iter;
          gtk_text_iter_forward_to_tag_toggle (&end, tag);
          tagged = gtk_text_iter_get_text (&iter, &end);
          if (strstr (tagged, text) != NULL)
            return TRUE;
        }
    }
  while (gtk_text_iter_forward_char (&iter));

  return FALSE;
}

static void
test_window_decisions (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *path = sample_path ();
  GtkWidget *window = GTK_WIDGET (fixture->window);
  g_autoptr(VdDecision) approved = NULL;
  g_autoptr(VdDecision) rejected = NULL;
  g_autoptr(VdDecision) modified = NULL;
  g_autoptr(VdDecision) escalated = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *original = NULL;
  g_autofree char *changed = NULL;
  g_autofree char *counts = NULL;
  VdDecisionDialog *dialog;
  gint64 first, second, third, fourth, fifth;
  gint64 bad_seq = -1;
  guint64 n_checked = 0, pending;
  const char *kinds[4];
  guint n_decisions = 0;

  if (!have_xdotool)
    {
      g_test_skip ("xdotool is needed to send real key events");
      return;
    }

  WAIT_UNTIL (page_is (fixture, "empty"));
  import_and_wait (fixture, path);
  WAIT_UNTIL (focus_is_in (window, child (fixture, "list_view")));
  pending = count_items (fixture->store, STATUS_MASK_PENDING);

  first = shown_id (fixture);
  second = id_at (fixture, 1);
  third = id_at (fixture, 2);
  fourth = id_at (fixture, 3);
  fifth = id_at (fixture, 4);
  g_assert_cmpint (first, ==, id_at (fixture, 0));

  /* a: approve at once; the next item is selected, the decided one leaves. */
  vd_test_iterate_for (20);
  send_keys (window, "a");
  wait_decided (fixture, 1);
  g_assert_cmpint (shown_id (fixture), ==, second);
  g_assert_cmpuint (vd_item_list_model_find (items_of (fixture), first), ==,
                    GTK_INVALID_LIST_POSITION);
  g_assert_cmpuint (n_items (fixture), ==, pending - 1);
  approved = assert_decided (fixture, first, VD_DECISION_KIND_APPROVE, VD_TASK_STATUS_APPROVED);
  /* No note was typed. */
  g_assert_true (vd_decision_get_feedback (approved) == NULL ||
                 vd_decision_get_feedback (approved)[0] == '\0');

  /* r: the dialog requires feedback before it can reject. */
  send_keys (window, "r");
  dialog = wait_dialog (VD_DECISION_KIND_REJECT);
  g_assert_false (vd_decision_dialog_get_can_confirm (dialog));
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (dialog), "dialog.confirm", NULL) &&
                  vd_test_find_toplevel (VD_TYPE_DECISION_DIALOG) == NULL);
  gtk_text_buffer_set_text (vd_decision_dialog_get_buffer (dialog), "   ", -1);
  g_assert_false (vd_decision_dialog_get_can_confirm (dialog));
  gtk_text_buffer_set_text (vd_decision_dialog_get_buffer (dialog),
                            "Quote the contract clause for the fee.", -1);
  g_assert_true (vd_decision_dialog_get_can_confirm (dialog));
  send_keys (GTK_WIDGET (dialog), "ctrl+Return");
  WAIT_UNTIL (vd_test_find_toplevel (VD_TYPE_DECISION_DIALOG) == NULL);
  wait_decided (fixture, 2);
  g_assert_cmpint (shown_id (fixture), ==, third);
  rejected = assert_decided (fixture, second, VD_DECISION_KIND_REJECT, VD_TASK_STATUS_REJECTED);
  g_assert_cmpstr (vd_decision_get_feedback (rejected), ==,
                   "Quote the contract clause for the fee.");

  /* Escape in a dialog decides nothing. */
  send_keys (window, "e");
  dialog = wait_dialog (VD_DECISION_KIND_ESCALATE_FURTHER);
  send_keys (GTK_WIDGET (dialog), "Escape");
  WAIT_UNTIL (vd_test_find_toplevel (VD_TYPE_DECISION_DIALOG) == NULL);
  vd_test_iterate_for (50);
  g_assert_cmpuint (n_decided (fixture), ==, 2);
  g_assert_cmpint (shown_id (fixture), ==, third);

  /* m: the editor starts from the output and shows the changes. */
  send_keys (window, "m");
  dialog = wait_dialog (VD_DECISION_KIND_MODIFY);
  original = vd_decision_dialog_dup_text (dialog);
  {
    g_autoptr(VdItem) item = get_item_by_id (fixture->store, third);

    g_assert_cmpstr (original, ==, vd_item_get_content (item));
  }
  g_assert_false (vd_decision_dialog_get_can_confirm (dialog));
  changed = g_strconcat ("Corrected by the reviewer. ", original, NULL);
  gtk_text_buffer_set_text (vd_decision_dialog_get_buffer (dialog), changed, -1);
  g_assert_true (vd_decision_dialog_get_can_confirm (dialog));
  g_assert_true (buffer_has_tagged_text (vd_decision_dialog_get_diff_buffer (dialog),
                                         "inserted", "Corrected"));
  g_assert_false (buffer_has_tagged_text (vd_decision_dialog_get_diff_buffer (dialog),
                                          "deleted", "Corrected"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "dialog.confirm", NULL));
  WAIT_UNTIL (vd_test_find_toplevel (VD_TYPE_DECISION_DIALOG) == NULL);
  wait_decided (fixture, 3);
  g_assert_cmpint (shown_id (fixture), ==, fourth);
  modified = assert_decided (fixture, third, VD_DECISION_KIND_MODIFY, VD_TASK_STATUS_MODIFIED);
  g_assert_cmpstr (vd_decision_get_modified_content (modified), ==, changed);

  /* e: escalate with a reason. */
  send_keys (window, "e");
  dialog = wait_dialog (VD_DECISION_KIND_ESCALATE_FURTHER);
  g_assert_false (vd_decision_dialog_get_can_confirm (dialog));
  gtk_text_buffer_set_text (vd_decision_dialog_get_buffer (dialog),
                            "Needs the payments lead: unusual payee.", -1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "dialog.confirm", NULL));
  WAIT_UNTIL (vd_test_find_toplevel (VD_TYPE_DECISION_DIALOG) == NULL);
  wait_decided (fixture, 4);
  g_assert_cmpint (shown_id (fixture), ==, fifth);
  escalated = assert_decided (fixture, fourth, VD_DECISION_KIND_ESCALATE_FURTHER,
                              VD_TASK_STATUS_ESCALATED);
  g_assert_cmpstr (vd_decision_get_feedback (escalated), ==,
                   "Needs the payments lead: unusual payee.");
  g_assert_cmpuint (n_items (fixture), ==, pending - 4);
  counts = g_strdup_printf ("%u pending of", (guint) pending - 4);
  WAIT_UNTIL (g_str_has_prefix (counts_text (fixture), counts));

  /* j and k move; Down and Up too, from the detail pane. */
  move_with_key (fixture, "j", 1);
  move_with_key (fixture, "k", 0);
  /* From the detail pane: the focus on its Approve button. A focus move
   * the list still had pending from the last decision comes within a few
   * frames: let it pass, then take the focus. */
  vd_test_iterate_for (200);
  g_assert_true (gtk_widget_grab_focus (child (fixture, "approve_button")));
  g_assert_true (gtk_widget_has_focus (child (fixture, "approve_button")));
  move_with_key (fixture, "Down", 1);
  move_with_key (fixture, "Up", 0);
  WAIT_UNTIL (shown_id (fixture) == fifth);

  /* Ctrl+Z: the escalation is retracted (not deleted), the item is back. */
  send_keys (window, "ctrl+z");
  WAIT_UNTIL (n_decided (fixture) == 3 &&
              !busy (fixture) &&
              shown_id (fixture) == fourth);
  g_assert_cmpuint (vd_item_list_model_find (items_of (fixture), fourth), !=,
                    GTK_INVALID_LIST_POSITION);
  {
    g_autoptr(VdItem) item = get_item_by_id (fixture->store, fourth);
    g_autoptr(GPtrArray) decisions = list_decisions (fixture->store, vd_item_get_queue (item),
                                                     vd_item_get_task_id (item));

    g_assert_cmpint (vd_item_get_status (item), ==, VD_TASK_STATUS_PENDING);
    g_assert_cmpuint (decisions->len, ==, 1);
  }
  WAIT_UNTIL (some_label_contains (window, "Decision undone"));
  WAIT_UNTIL (n_items (fixture) == pending - 3);

  /* The audit trail: the decisions in order, then the retraction; intact. */
  events = vd_store_list_audit (fixture->store, 0, 0, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < events->len; i++)
    {
      VdAuditEvent *event = g_ptr_array_index (events, i);
      const char *type = vd_audit_event_get_event_type (event);

      if (g_strcmp0 (type, VD_AUDIT_DECISION) == 0)
        {
          g_assert_cmpuint (n_decisions, <, G_N_ELEMENTS (kinds));
          g_assert_cmpstr (vd_audit_event_get_actor (event), ==, REVIEWER);
          kinds[n_decisions++] = vd_audit_event_get_task_id (event);
        }
      else if (g_strcmp0 (type, VD_AUDIT_RETRACTION) == 0)
        {
          g_assert_cmpuint (n_decisions, ==, 4);
          g_assert_cmpuint (i, ==, events->len - 1);
          g_assert_cmpstr (vd_audit_event_get_actor (event), ==, REVIEWER);
          g_assert_cmpstr (vd_audit_event_get_task_id (event), ==, vd_decision_get_task_id (escalated));
        }
    }
  g_assert_cmpuint (n_decisions, ==, 4);
  g_assert_cmpstr (kinds[0], ==, vd_decision_get_task_id (approved));
  g_assert_cmpstr (kinds[1], ==, vd_decision_get_task_id (rejected));
  g_assert_cmpstr (kinds[2], ==, vd_decision_get_task_id (modified));
  g_assert_cmpstr (kinds[3], ==, vd_decision_get_task_id (escalated));
  g_assert_cmpstr (vd_audit_event_get_event_type (g_ptr_array_index (events, events->len - 1)),
                   ==, VD_AUDIT_RETRACTION);
  g_assert_true (vd_store_verify_audit (fixture->store, &bad_seq, &n_checked, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_checked, ==, events->len);

  /* Typing "a" in the search entry searches; it approves nothing. */
  send_keys (window, "ctrl+f");
  WAIT_UNTIL (focus_is_in (window, child (fixture, "search_entry")));
  send_keys (window, "a");
  WAIT_UNTIL (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (child (fixture, "search_entry"))),
                         "a") == 0);
  vd_test_iterate_for (400);
  WAIT_UNTIL (model_ready (fixture));
  g_assert_cmpuint (n_decided (fixture), ==, 3);
  g_assert_cmpuint (count_items (fixture->store, STATUS_MASK_PENDING), ==, pending - 3);
}

/* The time from a decision key to the next item painted, for the report. */
typedef struct
{
  gint64 key_time;
  gint64 shown_time;
  gint64 painted_time;
  gint64 expected;
  Fixture *fixture;
} Latency;

static gboolean
key_capture_cb (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                Latency               *latency)
{
  if (keyval == GDK_KEY_a && latency->key_time == 0)
    latency->key_time = g_get_monotonic_time ();

  return FALSE;
}

static void
before_paint_cb (GdkFrameClock *clock,
                 Latency       *latency)
{
  if (latency->key_time != 0 && latency->shown_time == 0 &&
      shown_id (latency->fixture) == latency->expected)
    latency->shown_time = g_get_monotonic_time ();
}

static void
after_paint_cb (GdkFrameClock *clock,
                Latency       *latency)
{
  if (latency->key_time != 0 && latency->painted_time == 0 &&
      shown_id (latency->fixture) == latency->expected)
    latency->painted_time = g_get_monotonic_time ();
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static void
test_window_latency (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *path = sample_path ();
  GtkWidget *window = GTK_WIDGET (fixture->window);
  GtkEventController *controller;
  GdkFrameClock *clock;
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) shown_times = g_array_new (FALSE, FALSE, sizeof (gint64));
  Latency latency = { 0 };
  gulong paint_id, before_id;
  guint rounds = 10;

  if (!have_xdotool)
    {
      g_test_skip ("xdotool is needed to send real key events");
      return;
    }

  WAIT_UNTIL (page_is (fixture, "empty"));
  import_and_wait (fixture, path);
  WAIT_UNTIL (focus_is_in (window, child (fixture, "list_view")));

  controller = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect (controller, "key-pressed", G_CALLBACK (key_capture_cb), &latency);
  gtk_widget_add_controller (window, controller);
  clock = gtk_widget_get_frame_clock (window);
  paint_id = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &latency);
  before_id = g_signal_connect (clock, "before-paint", G_CALLBACK (before_paint_cb), &latency);

  for (guint i = 0; i < rounds; i++)
    {
      gint64 elapsed;

      latency = (Latency) { 0, 0, 0, id_at (fixture, 1), fixture };
      send_keys (window, "a");
      WAIT_UNTIL (latency.painted_time != 0);
      wait_decided (fixture, i + 1);
      elapsed = latency.painted_time - latency.key_time;
      g_array_append_val (times, elapsed);
      elapsed = latency.shown_time - latency.key_time;
      g_array_append_val (shown_times, elapsed);
    }

  g_signal_handler_disconnect (clock, paint_id);
  g_signal_handler_disconnect (clock, before_id);
  gtk_widget_remove_controller (window, controller);

  /* Shown: the next item is in the detail pane when its frame starts. */
  g_array_sort (times, compare_gint64);
  g_array_sort (shown_times, compare_gint64);
  g_test_message ("Decision key to next item painted: median %.1f ms, max %.1f ms; "
                  "to the frame that paints it: median %.1f ms (%u decisions)",
                  g_array_index (times, gint64, rounds / 2) / 1000.0,
                  g_array_index (times, gint64, rounds - 1) / 1000.0,
                  g_array_index (shown_times, gint64, rounds / 2) / 1000.0, rounds);
  if (g_getenv ("VERDICT_REPORT_LATENCY") != NULL)
    g_printerr ("LATENCY median_ms=%.2f max_ms=%.2f\n",
                g_array_index (times, gint64, rounds / 2) / 1000.0,
                g_array_index (times, gint64, rounds - 1) / 1000.0);
  g_assert_cmpuint (n_decided (fixture), ==, rounds);
}

/* The bar at the bottom of the window while an import runs. */
static GtkRevealer *
progress_revealer (Fixture *fixture)
{
  GtkWidget *bar = vd_test_window_child (fixture->window, "progress_label");

  return GTK_REVEALER (gtk_widget_get_ancestor (bar, GTK_TYPE_REVEALER));
}

/* A decision while a big import runs: neither waits for the other. */
static void
test_window_decide_while_importing (Fixture       *fixture,
                                    gconstpointer  data)
{
  g_autofree char *sample = sample_path ();
  g_autoptr(GString) big = g_string_new (NULL);
  g_autofree char *big_path = NULL;
  g_autoptr(VdDecision) decision = NULL;
  guint n_big = 10000;
  gint64 first, second;
  guint64 before;

  WAIT_UNTIL (page_is (fixture, "empty"));
  import_and_wait (fixture, sample);
  before = count_items (fixture->store, 0);

  for (guint i = 0; i < n_big; i++)
    g_string_append_printf (big,
                            "{\"queue\": \"bulk\", \"task_id\": \"bulk-%06u\", "
                            "\"task_description\": \"Generated item %u for the import test\", "
                            "\"agent_output\": {\"content\": \"Output %u\", \"confidence\": 0.%03u}, "
                            "\"escalation_reason\": \"low_confidence\"}\n",
                            i, i, i, (i * 7) % 1000);
  big_path = vd_test_write_file (fixture->tmpdir, "big.jsonl", big->str);

  first = shown_id (fixture);
  second = id_at (fixture, 1);
  vd_test_iterate_for (5);

  import_path (fixture, big_path);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.approve", NULL));

  /* The next item is there at once, while the import still runs. */
  g_assert_cmpint (shown_id (fixture), ==, second);
  g_assert_true (importing (fixture));

  /* Its progress shows meanwhile, with the file's name. */
  g_assert_true (gtk_revealer_get_reveal_child (progress_revealer (fixture)));
  g_assert_cmpstr (vd_test_window_label_text (fixture->window, "progress_label"), ==,
                   "Importing big.jsonl…");

  WAIT_UNTIL (!importing (fixture));
  g_assert_false (gtk_revealer_get_reveal_child (progress_revealer (fixture)));
  wait_decided (fixture, 1);
  WAIT_UNTIL (model_ready (fixture));

  decision = assert_decided (fixture, first, VD_DECISION_KIND_APPROVE, VD_TASK_STATUS_APPROVED);
  g_assert_cmpuint (count_items (fixture->store, 0), ==, before + n_big);
  WAIT_UNTIL (some_label_contains (GTK_WIDGET (fixture->window), "big.jsonl: 10000 new items — "));
}

static GPtrArray *
read_lines (const char *path)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  GPtrArray *array = g_ptr_array_new_with_free_func (g_free);

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (lines[i][0] != '\0')
      g_ptr_array_add (array, g_strdup (lines[i]));

  return array;
}

/* Deciding a whole small queue: "All Done", then the export it offers. */
static void
test_window_all_done (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *path = vd_test_write_file (fixture->tmpdir, "three.jsonl",
                                      "{\"task_id\": \"one\", \"task_description\": \"One\", "
                                      "\"agent_output\": {\"content\": \"1\", \"confidence\": 0.1}}\n"
                                      "{\"task_id\": \"two\", \"task_description\": \"Two\", "
                                      "\"agent_output\": {\"content\": \"2\", \"confidence\": 0.2}}\n"
                                      "{\"task_id\": \"three\", \"task_description\": \"Three\", "
                                      "\"agent_output\": {\"content\": \"3\", \"confidence\": 0.3}}\n");
  g_autofree char *export_path = g_build_filename (fixture->tmpdir, "decisions.jsonl", NULL);
  g_autoptr(GFile) export_file = g_file_new_for_path (export_path);
  g_autoptr(GPtrArray) lines = NULL;
  GtkWidget *window = GTK_WIDGET (fixture->window);

  WAIT_UNTIL (page_is (fixture, "empty"));
  import_and_wait (fixture, path);

  for (guint i = 0; i < 3; i++)
    {
      WAIT_UNTIL (shown_item (fixture) != NULL &&
                  gtk_widget_get_sensitive (child (fixture, "approve_button")));
      g_assert_true (gtk_widget_activate_action (window, "win.approve", NULL));
      WAIT_UNTIL (n_decided (fixture) == i + 1 &&
                  !busy (fixture));
    }

  WAIT_UNTIL (list_page_is (fixture, "done"));
  g_assert_cmpuint (n_items (fixture), ==, 0);
  g_assert_null (shown_item (fixture));
  WAIT_UNTIL (g_strcmp0 (counts_text (fixture), "0 pending of 3") == 0);

  /* Nothing left to decide. */
  g_assert_false (gtk_widget_get_sensitive (child (fixture, "approve_button")));

  vd_window_export_file (fixture->window, VD_EXPORT_DECISIONS, export_file);
  WAIT_UNTIL (some_label_contains (window, "Exported 3 decisions to decisions.jsonl"));
  lines = read_lines (export_path);
  g_assert_cmpuint (lines->len, ==, 4);  /* the header and three decisions */
  g_assert_nonnull (strstr (g_ptr_array_index (lines, 1), "\"" REVIEWER "\""));

  /* Undo brings the last item back into the pending view. */
  g_assert_true (gtk_widget_activate_action (window, "win.undo", NULL));
  WAIT_UNTIL (n_items (fixture) == 1 && list_page_is (fixture, "list") &&
              shown_item (fixture) != NULL);
  g_assert_cmpstr (vd_item_get_task_id (shown_item (fixture)), ==, "three");
}

/* Filters, search, sort: the model follows them, in SQL order. */
static void
test_window_filters (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *path = sample_path ();
  GtkWidget *window = GTK_WIDGET (fixture->window);
  VdItemQuery query = VD_ITEM_QUERY_INIT;
  VdEscalationReason reason;
  GtkEditable *search;

  WAIT_UNTIL (page_is (fixture, "empty"));
  import_and_wait (fixture, path);

  /* Sort by due time, then by creation time, through the action. */
  g_action_group_activate_action (G_ACTION_GROUP (window), "sort-order",
                                  g_variant_new_string ("due"));
  WAIT_UNTIL (model_ready (fixture));
  query.statuses = STATUS_MASK_PENDING;
  query.sort = VD_SORT_ORDER_DUE;
  assert_model_matches (fixture, &query);

  g_action_group_activate_action (G_ACTION_GROUP (window), "sort-order",
                                  g_variant_new_string ("created"));
  WAIT_UNTIL (model_ready (fixture) && vd_item_list_model_get_query (items_of (fixture))->sort ==
              VD_SORT_ORDER_CREATED);
  query.sort = VD_SORT_ORDER_CREATED;
  assert_model_matches (fixture, &query);

  /* Every status, one reason. */
  vd_test_window_set_status (fixture->window, VD_TEST_STATUS_ALL);
  WAIT_UNTIL (model_ready (fixture) && vd_item_list_model_get_query (items_of (fixture))->statuses == 0);
  query.statuses = 0;
  assert_model_matches (fixture, &query);
  g_assert_cmpuint (n_items (fixture), ==, count_items (fixture->store, 0));

  /* The reason of an item shown: at least that item has it. */
  WAIT_UNTIL (shown_item (fixture) != NULL);
  reason = vd_item_get_escalation_reason (shown_item (fixture));
  vd_test_window_set_reason (fixture->window, reason);
  WAIT_UNTIL (model_ready (fixture) &&
              vd_item_list_model_get_query (items_of (fixture))->reason == (int) reason);
  query.reason = reason;
  assert_model_matches (fixture, &query);
  g_assert_cmpuint (n_items (fixture), >, 0);
  g_assert_cmpuint (n_items (fixture), <, count_items (fixture->store, 0));

  /* Decided items only: none decided by a reviewer yet, some by the policy. */
  vd_test_window_set_reason (fixture->window, -1);
  vd_test_window_set_status (fixture->window, VD_TEST_STATUS_DECIDED);
  WAIT_UNTIL (model_ready (fixture) &&
              vd_item_list_model_get_query (items_of (fixture))->statuses == VD_STATUS_MASK_DECIDED);
  query.reason = -1;
  query.statuses = VD_STATUS_MASK_DECIDED;
  assert_model_matches (fixture, &query);

  /* A decided item cannot be decided again. */
  WAIT_UNTIL (shown_item (fixture) != NULL &&
              shown_id (fixture) == id_at (fixture, vd_test_window_selected (fixture->window)));
  g_assert_false (vd_item_is_undecided (shown_item (fixture)));
  gtk_widget_activate_action (window, "win.approve", NULL);
  vd_test_iterate_for (50);
  g_assert_cmpuint (n_decided (fixture), ==, 0);

  /* Search narrows the pending items; no match shows the empty result. */
  vd_test_window_set_status (fixture->window, VD_TEST_STATUS_PENDING);
  search = GTK_EDITABLE (child (fixture, "search_entry"));
  gtk_editable_set_text (search, "invoice");
  WAIT_UNTIL (model_ready (fixture) && vd_item_list_model_get_query (items_of (fixture))->search != NULL);
  query.statuses = STATUS_MASK_PENDING;
  query.search = "invoice";
  assert_model_matches (fixture, &query);
  g_assert_cmpuint (n_items (fixture), >, 0);

  gtk_editable_set_text (search, "no such words anywhere");
  WAIT_UNTIL (model_ready (fixture) && list_page_is (fixture, "no-results"));
  g_assert_cmpuint (n_items (fixture), ==, 0);
  g_assert_null (shown_item (fixture));
  gtk_editable_set_text (search, "");
  WAIT_UNTIL (model_ready (fixture) && list_page_is (fixture, "list") &&
              shown_item (fixture) != NULL);
}

/* Narrow: one pane at a time, with a way back. */
static void
test_window_narrow (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *path = sample_path ();
  GtkWidget *window = GTK_WIDGET (fixture->window);
  g_autoptr(GPtrArray) leaflets = NULL;
  AdwLeaflet *leaflet;

  WAIT_UNTIL (page_is (fixture, "empty"));
  import_and_wait (fixture, path);

  leaflets = vd_test_find_widgets (window, ADW_TYPE_LEAFLET);
  g_assert_cmpuint (leaflets->len, ==, 1);
  leaflet = g_ptr_array_index (leaflets, 0);
  WAIT_UNTIL (!adw_leaflet_get_folded (leaflet));

  gtk_window_set_default_size (GTK_WINDOW (window), 400, 700);
  WAIT_UNTIL (adw_leaflet_get_folded (leaflet));

  /* Enter on a row opens the item; decisions work there; back returns. */
  g_signal_emit_by_name (child (fixture, "list_view"), "activate", 0);
  WAIT_UNTIL (gtk_widget_get_mapped (child (fixture, "detail")));
  g_assert_true (gtk_widget_activate_action (window, "win.back", NULL));
  WAIT_UNTIL (gtk_widget_get_mapped (child (fixture, "list_view")) &&
              !adw_leaflet_get_child_transition_running (leaflet));
  g_assert_false (gtk_widget_get_mapped (child (fixture, "detail")));
}

/* First start: the reviewer id is asked for and kept in the settings. */
static void
test_window_reviewer (void)
{
  g_autoptr(GSettings) settings = vd_application_new_settings ();
  VdReviewerDialog *dialog;
  VdSession *session;
  VdWindow *window;

  g_assert_nonnull (settings);
  g_settings_reset (settings, "reviewer-id");
  g_unsetenv ("VERDICT_REVIEWER");

  session = vd_test_session_new (NULL);
  window = vd_window_new (NULL, session);
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_null (vd_session_get_reviewer_id (session));
  g_assert_cmpstr (reviewer_text (window), ==, "No reviewer id set");

  WAIT_UNTIL ((dialog = vd_test_find_toplevel (VD_TYPE_REVIEWER_DIALOG)) != NULL);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (window));
  g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "continue"));
  gtk_editable_set_text (vd_reviewer_dialog_get_entry (dialog), "  ");
  g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "continue"));
  gtk_editable_set_text (vd_reviewer_dialog_get_entry (dialog), " alice ");
  g_assert_true (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "continue"));
  /* As the Continue button does: respond, then close. */
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "continue");
  gtk_window_close (GTK_WINDOW (dialog));

  WAIT_UNTIL (g_strcmp0 (vd_session_get_reviewer_id (session), "alice") == 0);
  WAIT_UNTIL (vd_test_find_toplevel (VD_TYPE_REVIEWER_DIALOG) == NULL);
  {
    g_autofree char *stored = g_settings_get_string (settings, "reviewer-id");

    g_assert_cmpstr (stored, ==, "alice");
  }
  g_assert_cmpstr (reviewer_text (window), ==, "Reviewing as alice");

  /* The setting follows a change elsewhere (the preferences). */
  g_settings_set_string (settings, "reviewer-id", "carol");
  g_assert_cmpstr (vd_session_get_reviewer_id (session), ==, "carol");
  gtk_window_destroy (GTK_WINDOW (window));
  WAIT_UNTIL (window == NULL);
  vd_test_release_session (session);

  /* VERDICT_REVIEWER wins over the setting, and nothing is asked. */
  g_setenv ("VERDICT_REVIEWER", "bob", TRUE);
  session = vd_test_session_new (NULL);
  window = vd_window_new (NULL, session);
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_cmpstr (vd_session_get_reviewer_id (session), ==, "bob");
  g_settings_set_string (settings, "reviewer-id", "dave");
  g_assert_cmpstr (vd_session_get_reviewer_id (session), ==, "bob");
  vd_test_iterate_for (100);
  g_assert_null (vd_test_find_toplevel (VD_TYPE_REVIEWER_DIALOG));
  gtk_window_destroy (GTK_WINDOW (window));
  WAIT_UNTIL (window == NULL);
  vd_test_release_session (session);

  g_settings_reset (settings, "reviewer-id");
  g_setenv ("VERDICT_REVIEWER", REVIEWER, TRUE);
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
  gboolean       list_focused;
  int            import_choice;   /* VdImportChoice to pick, -1: the dialog's own */
  guint          n_imports;       /* import dialogs confirmed */
} AppRun;

/* An import dialog: the choice the run asks for, then Import. */
static void
app_confirm_import (AppRun *run)
{
  VdImportDialog *dialog = vd_test_find_toplevel (VD_TYPE_IMPORT_DIALOG);

  if (dialog == NULL || !gtk_widget_get_mapped (GTK_WIDGET (dialog)))
    return;

  if (run->import_choice >= 0 &&
      (int) vd_import_dialog_get_choice (dialog) != run->import_choice)
    {
      g_assert_true (vd_import_dialog_has_choice (dialog, run->import_choice));
      vd_import_dialog_set_choice (dialog, run->import_choice);
      return;
    }

  if (vd_import_dialog_get_can_import (dialog) &&
      gtk_widget_activate_action (GTK_WIDGET (dialog), "dialog.import", NULL))
    run->n_imports++;
}

static gboolean
app_check_cb (gpointer data)
{
  AppRun *run = data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (run->app));

  app_confirm_import (run);

  if (VD_IS_WINDOW (window) &&
      g_strcmp0 (vd_test_window_page (VD_WINDOW (window), "main_stack"), run->expected_page) == 0 &&
      !vd_test_window_importing (VD_WINDOW (window)))
    {
      g_autoptr(GPtrArray) labels = vd_test_find_widgets (GTK_WIDGET (window), GTK_TYPE_LABEL);

      for (guint i = 0; i < labels->len && run->label_text == NULL && run->needle; i++)
        {
          const char *text = gtk_label_get_text (g_ptr_array_index (labels, i));

          if (gtk_widget_get_mapped (g_ptr_array_index (labels, i)) &&
              strstr (text, run->needle) != NULL)
            run->label_text = g_strdup (text);
        }

      run->list_focused = focus_is_in (GTK_WIDGET (window),
                                       vd_test_window_child (VD_WINDOW (window), "list_view")) &&
                          vd_test_window_shown_item (VD_WINDOW (window)) != NULL;

      run->reached = (run->needle == NULL || run->label_text != NULL) &&
                     (g_strcmp0 (run->expected_page, "review") != 0 || run->list_focused);
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
  run->deadline = g_get_monotonic_time () + vd_test_deadline_seconds * G_USEC_PER_SEC;
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
  g_autofree char *sample = sample_path ();
  g_autoptr(VdSqliteStore) store = NULL;
  const char *argv[] = { "verdict", "--db", db_path, sample, NULL };
  const char *argv_again[] = { "verdict", "--db", db_path, NULL };
  AppRun run = { .import_choice = -1 };
  AppRun again = { .import_choice = -1 };
  VdStore *app_store;
  guint64 pending;

  g_assert_no_error (error);
  g_setenv ("VERDICT_DB", env_path, TRUE);

  run.expected_page = "review";
  run_application (&run, argv);
  g_assert_true (run.reached);
  g_assert_cmpuint (run.n_imports, ==, 1);

  /* --db wins over VERDICT_DB, and the file given was imported into it. */
  app_store = vd_session_get_store (vd_application_get_session (run.app));
  g_assert_nonnull (app_store);
  g_assert_cmpstr (vd_sqlite_store_get_path (VD_SQLITE_STORE (app_store)), ==, db_path);
  pending = count_items (app_store, VD_STATUS_MASK_UNDECIDED);
  g_assert_cmpuint (pending, >, 0);
  g_assert_false (g_file_test (env_path, G_FILE_TEST_EXISTS));

  g_assert_finalize_object (g_steal_pointer (&run.app));

  /* Started again on a store holding items: the first pending item is
   * selected and the keyboard is where `a` approves it. */
  again.expected_page = "review";
  run_application (&again, argv_again);
  g_assert_true (again.reached);
  g_assert_true (again.list_focused);
  g_assert_finalize_object (g_steal_pointer (&again.app));

  store = vd_sqlite_store_new (db_path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count_items (VD_STORE (store), VD_STATUS_MASK_UNDECIDED), ==, pending);
  g_clear_object (&store);

  vd_test_remove_tree (tmpdir);
}

static void
test_application_store_error (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmpdir = g_dir_make_tmp ("verdict-app-test-XXXXXX", &error);
  const char *argv[] = { "verdict", NULL };
  AppRun run = { .import_choice = -1 };
  VdSession *session;

  g_assert_no_error (error);

  /* A folder is no database: the window says so instead of crashing. */
  g_setenv ("VERDICT_DB", tmpdir, TRUE);

  run.expected_page = "error";
  run.needle = tmpdir;
  run_application (&run, argv);
  g_assert_true (run.reached);

  session = vd_application_get_session (run.app);
  g_assert_null (vd_session_get_store (session));
  g_assert_nonnull (vd_session_get_store_error (session));
  g_assert_nonnull (run.label_text);
  g_assert_true (g_str_has_prefix (run.label_text, vd_session_get_store_error (session)->message));
  g_assert_true (g_str_has_suffix (run.label_text,
                                   "\n\nStart Verdict with --db PATH to use another database."));

  g_assert_finalize_object (g_steal_pointer (&run.app));
  g_free (run.label_text);

  vd_test_remove_tree (tmpdir);
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
  g_autofree char *sample = sample_path ();
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
  g_autofree char *sample = sample_path ();
  g_autofree char *policy_path = g_build_filename (g_getenv ("VERDICT_SAMPLES"),
                                                  "policy.json", NULL);
  g_autoptr(GSettings) settings = vd_application_new_settings ();
  g_autoptr(VdPolicy) sample_policy = NULL;
  g_autoptr(VdPolicy) default_policy = vd_policy_new ();
  const char *argv[] = { "verdict", "--db", db_path, sample, NULL };
  AppRun run = { .import_choice = VD_IMPORT_CHOICE_CONFIGURED };
  VdSession *session;
  guint64 expected;

  g_assert_no_error (error);
  g_assert_nonnull (settings);

  sample_policy = vd_policy_new_from_file (policy_path, &error);
  g_assert_no_error (error);
  expected = sample_pending_with (sample_policy, tmpdir);
  g_assert_cmpuint (expected, !=, sample_pending_with (default_policy, tmpdir));

  /* The file given at start is imported with the configured policy when
   * the import dialog is confirmed with it. */
  g_settings_set_string (settings, "policy-path", policy_path);
  run.expected_page = "review";
  run_application (&run, argv);
  g_assert_true (run.reached);

  session = vd_application_get_session (run.app);
  g_assert_cmpuint (run.n_imports, ==, 1);
  g_assert_cmpfloat (vd_policy_get_threshold_for_type (vd_session_get_policy (session),
                                                       "payment"), ==, 0.85);
  g_assert_cmpuint (count_items (vd_session_get_store (session), VD_STATUS_MASK_UNDECIDED),
                    ==, expected);

  g_assert_finalize_object (g_steal_pointer (&run.app));
  g_settings_reset (settings, "policy-path");
  vd_test_remove_tree (tmpdir);
}

static void
test_application_bad_policy (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmpdir = g_dir_make_tmp ("verdict-app-test-XXXXXX", &error);
  g_autofree char *db_path = g_build_filename (tmpdir, "bad-policy.db", NULL);
  g_autofree char *policy_path = g_build_filename (tmpdir, "policy.json", NULL);
  g_autofree char *sample = sample_path ();
  g_autoptr(GSettings) settings = vd_application_new_settings ();
  g_autoptr(VdPolicy) default_policy = vd_policy_new_review_all ();
  const char *argv[] = { "verdict", "--db", db_path, sample, NULL };
  AppRun run = { .import_choice = VD_IMPORT_CHOICE_REVIEW_ALL };
  VdSession *session;
  guint64 expected;

  g_assert_no_error (error);
  expected = sample_pending_with (default_policy, tmpdir);
  g_assert_cmpuint (expected, ==, 55);

  /* A broken policy file: the default policy, which approves nothing,
   * applies and a toast says why. */
  g_file_set_contents (policy_path, "{\"confidence_threshold\": \"high\"}", -1, &error);
  g_assert_no_error (error);
  g_settings_set_string (settings, "policy-path", policy_path);

  run.expected_page = "review";
  run.needle = "Using the default policy: ";
  run_application (&run, argv);
  g_assert_true (run.reached);

  g_assert_true (g_str_has_prefix (run.label_text, "Using the default policy: "));
  g_assert_true (strstr (run.label_text, "policy.json") != NULL);
  session = vd_application_get_session (run.app);
  g_assert_cmpfloat (vd_policy_get_confidence_threshold (vd_session_get_policy (session)),
                     ==, 0.7);
  g_assert_true (vd_policy_get_review_all (vd_session_get_policy (session)));
  g_assert_cmpuint (count_items (vd_session_get_store (session), VD_STATUS_MASK_UNDECIDED),
                    ==, expected);

  g_assert_finalize_object (g_steal_pointer (&run.app));
  g_settings_reset (settings, "policy-path");
  g_free (run.label_text);
  vd_test_remove_tree (tmpdir);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *xdotool = NULL;

  g_setenv ("VERDICT_REVIEWER", REVIEWER, TRUE);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  xdotool = g_find_program_in_path ("xdotool");
  have_xdotool = xdotool != NULL && GDK_IS_X11_DISPLAY (gdk_display_get_default ());

  g_test_add ("/window/empty", Fixture, NULL,
              fixture_setup, test_window_empty, fixture_teardown);
  g_test_add ("/window/import-sample", Fixture, NULL,
              fixture_setup, test_window_import_sample, fixture_teardown);
  g_test_add ("/window/markup", Fixture, NULL,
              fixture_setup, test_window_markup, fixture_teardown);
  g_test_add ("/window/import-error", Fixture, NULL,
              fixture_setup, test_window_import_error, fixture_teardown);
  g_test_add ("/window/import-review-all", Fixture, NULL,
              fixture_setup, test_window_import_review_all, fixture_teardown);
  g_test_add ("/window/import-policy", Fixture, NULL,
              fixture_setup, test_window_import_policy, fixture_teardown);
  g_test_add ("/window/import-cancel", Fixture, NULL,
              fixture_setup, test_window_import_cancel, fixture_teardown);
  g_test_add ("/window/bulk-dialog", Fixture, NULL,
              fixture_setup, test_window_bulk_dialog, fixture_teardown);
  g_test_add ("/window/decisions", Fixture, NULL,
              fixture_setup, test_window_decisions, fixture_teardown);
  g_test_add ("/window/shortcuts-from-list", Fixture, NULL,
              fixture_setup, test_window_shortcuts_from_list, fixture_teardown);
  g_test_add ("/window/latency", Fixture, NULL,
              fixture_setup, test_window_latency, fixture_teardown);
  g_test_add ("/window/decide-while-importing", Fixture, NULL,
              fixture_setup, test_window_decide_while_importing, fixture_teardown);
  g_test_add ("/window/all-done", Fixture, NULL,
              fixture_setup, test_window_all_done, fixture_teardown);
  g_test_add ("/window/filters", Fixture, NULL,
              fixture_setup, test_window_filters, fixture_teardown);
  g_test_add ("/window/narrow", Fixture, NULL,
              fixture_setup, test_window_narrow, fixture_teardown);
  g_test_add_func ("/window/reviewer", test_window_reviewer);
  g_test_add_func ("/application/open", test_application_open);
  g_test_add_func ("/application/store-error", test_application_store_error);
  g_test_add_func ("/application/policy", test_application_policy);
  g_test_add_func ("/application/bad-policy", test_application_bad_policy);

  return g_test_run ();
}
