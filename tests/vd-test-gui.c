/* vd-test-gui.c: what the tests of the app share
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

#define G_LOG_DOMAIN "vd-test-gui"

#include "config.h"

#include <stdlib.h>

#include "vd-test-gui.h"

#include "vd-application.h"
#include "vd-item-detail.h"
#include "vd-item-row.h"

guint vd_test_deadline_seconds = 120;

static char *keys_dir;

static void
remove_keys_dir (void)
{
  if (keys_dir != NULL)
    vd_test_remove_tree (keys_dir);
  g_clear_pointer (&keys_dir, g_free);
}

/* Every GUI test program starts with a fresh, empty keys folder: no test
 * reads or writes the user's keys, and without a key for the reviewer the
 * window asks no one to sign in. A test that needs keys sets
 * VERDICT_KEYS_DIR itself. */
__attribute__ ((constructor)) static void
set_up_keys_dir (void)
{
  keys_dir = g_dir_make_tmp ("verdict-test-keys-XXXXXX", NULL);
  if (keys_dir == NULL)
    g_error ("Cannot create a temporary keys folder");
  g_setenv ("VERDICT_KEYS_DIR", keys_dir, TRUE);
  atexit (remove_keys_dir);
}

static gboolean
keep_waking (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* A wait of WAIT_UNTIL: a timer wakes the main loop every 10 ms, so that
 * a condition no source reports on is still checked. */
void
vd_test_wait_begin (VdTestWait *wait)
{
  wait->deadline = g_get_monotonic_time () +
                   (gint64) vd_test_deadline_seconds * G_USEC_PER_SEC;
  wait->wake = g_timeout_add (10, keep_waking, NULL);
}

/* One turn of the main loop of a wait for @what, which has not come yet;
 * fails the test at the deadline. */
void
vd_test_wait_step (VdTestWait *wait,
                   const char *what)
{
  if (g_get_monotonic_time () > wait->deadline)
    g_error ("Timed out waiting for %s", what);
  g_main_context_iteration (NULL, TRUE);
}

void
vd_test_wait_end (VdTestWait *wait)
{
  g_source_remove (wait->wake);
  wait->wake = 0;
}

/* Drops the last reference to @store and checks that it is finalized then:
 * reads still running on worker threads hold the store until they return. */
void
vd_test_release_store (VdStore *store)
{
  WAIT_UNTIL (G_OBJECT (store)->ref_count == 1);
  g_assert_finalize_object (store);
}

/* Drops the last reference to @session and checks that it is finalized
 * then: work still running (a revision, say) holds it until it returns. */
void
vd_test_release_session (VdSession *session)
{
  WAIT_UNTIL (G_OBJECT (session)->ref_count == 1);
  g_assert_finalize_object (session);
}

/* A session with the application's settings (the schema of the build
 * tree, in memory) and @store, if not %NULL; the reviewer is
 * VERDICT_REVIEWER or the setting, as in the application. It has no model
 * endpoint (the default one, on localhost, would take every reject to an
 * agent): the tests of the agent give theirs. */
VdSession *
vd_test_session_new (VdStore *store)
{
  g_autoptr(GSettings) settings = vd_application_new_settings ();
  VdSession *session;

  g_assert_nonnull (settings);
  g_settings_set_string (settings, "llm-endpoint", "");
  session = vd_session_new (settings);
  if (store != NULL)
    vd_session_set_store (session, store);

  return session;
}

/* Destroys @window, drops the reference the caller held and waits until
 * the window is freed: once the pending work it started has returned. */
void
vd_test_close_window (gpointer window)
{
  g_object_add_weak_pointer (G_OBJECT (window), &window);
  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (window);
  WAIT_UNTIL (window == NULL);
}

/* Destroys every toplevel but @window (dialogs a test left open). */
void
vd_test_destroy_other_windows (gpointer window)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = g_list_model_get_n_items (toplevels); i > 0; i--)
    {
      g_autoptr(GtkWindow) other = g_list_model_get_item (toplevels, i - 1);

      if (other != GTK_WINDOW (window))
        gtk_window_destroy (other);
    }
}

/* The first visible toplevel of @type, or NULL. */
gpointer
vd_test_find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) &&
          gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }

  return NULL;
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

/* @root and the widgets below it that are of @type, in depth-first order
 * (the array holds no references). */
GPtrArray *
vd_test_find_widgets (GtkWidget *root,
                      GType      type)
{
  GPtrArray *found = g_ptr_array_new ();

  collect_widgets (root, type, found);

  return found;
}

/* The first label below @root whose text is @text, or NULL. */
GtkLabel *
vd_test_find_label (GtkWidget  *root,
                    const char *text)
{
  g_autoptr(GPtrArray) labels = vd_test_find_widgets (root, GTK_TYPE_LABEL);

  for (guint i = 0; i < labels->len; i++)
    {
      if (g_strcmp0 (gtk_label_get_text (g_ptr_array_index (labels, i)), text) == 0)
        return g_ptr_array_index (labels, i);
    }

  return NULL;
}

/* The row of the list of @window that shows the item @task_id, once it is
 * mapped; NULL until then. */
VdItemRow *
vd_test_find_row (VdWindow   *window,
                  const char *task_id)
{
  g_autoptr(GPtrArray) rows = vd_test_find_widgets (vd_test_window_child (window, "list_view"),
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

/* The widget of @window's template with the id @id. */
gpointer
vd_test_window_child (VdWindow   *window,
                      const char *id)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (window), VD_TYPE_WINDOW, id);

  g_assert_nonnull (child);

  return child;
}

/* The page a stack of @window shows: "main_stack", "list_stack". */
const char *
vd_test_window_page (VdWindow   *window,
                     const char *stack_id)
{
  return gtk_stack_get_visible_child_name (vd_test_window_child (window, stack_id));
}

/* The lazy model of the queue pane, NULL while there is no store. */
VdItemListModel *
vd_test_window_items (VdWindow *window)
{
  GtkSelectionModel *selection = gtk_list_view_get_model (vd_test_window_child (window,
                                                                                "list_view"));

  if (selection == NULL)
    return NULL;

  return VD_ITEM_LIST_MODEL (gtk_single_selection_get_model (GTK_SINGLE_SELECTION (selection)));
}

/* The position selected in the queue pane. */
guint
vd_test_window_selected (VdWindow *window)
{
  GtkSelectionModel *selection = gtk_list_view_get_model (vd_test_window_child (window,
                                                                                "list_view"));

  if (selection == NULL)
    return GTK_INVALID_LIST_POSITION;

  return gtk_single_selection_get_selected (GTK_SINGLE_SELECTION (selection));
}

/* The item the detail pane shows, NULL for none. */
VdItem *
vd_test_window_shown_item (VdWindow *window)
{
  return vd_item_detail_get_item (vd_test_window_child (window, "detail"));
}

/* Chooses a status in the queue pane's filter, as the reviewer does. */
void
vd_test_window_set_status (VdWindow           *window,
                           VdTestStatusFilter  filter)
{
  gtk_drop_down_set_selected (vd_test_window_child (window, "status_dropdown"), filter);
}

/* Chooses an escalation reason (or -1: any) in the queue pane's filter. */
void
vd_test_window_set_reason (VdWindow *window,
                           int       reason)
{
  gtk_drop_down_set_selected (vd_test_window_child (window, "reason_dropdown"),
                              reason < 0 ? 0 : (guint) reason);
}

/* The text of a label of @window: "counts_label", "forecast_label"... */
const char *
vd_test_window_label_text (VdWindow   *window,
                           const char *label_id)
{
  return gtk_label_get_text (vd_test_window_child (window, label_id));
}

/* The decisions of this run the store has. */
guint
vd_test_window_n_decisions (VdWindow *window)
{
  VdDecisionLog *log = vd_session_get_decision_log (vd_window_get_session (window));

  return log != NULL ? vd_decision_log_get_n_decisions (log) : 0;
}

/* Whether decisions or an undo are on their way to the store. */
gboolean
vd_test_window_busy (VdWindow *window)
{
  VdDecisionLog *log = vd_session_get_decision_log (vd_window_get_session (window));

  return log != NULL && vd_decision_log_get_busy (log);
}

/* Whether an import runs. */
gboolean
vd_test_window_importing (VdWindow *window)
{
  VdSession *session = vd_window_get_session (window);

  return vd_import_queue_get_running (vd_session_get_import_queue (session));
}
