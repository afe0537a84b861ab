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

#include "vd-test-gui.h"

#include "vd-item-row.h"
#include "vd-window-private.h"

guint vd_test_deadline_seconds = 120;

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
  g_autoptr(GPtrArray) rows = vd_test_find_widgets (_vd_window_get_list_view (window),
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
