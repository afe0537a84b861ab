/* test-item-pane.c: the item pane in the window, at its default size
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

#define G_LOG_DOMAIN "test-item-pane"

#include "config.h"

#include <string.h>

#include <gdk/x11/gdkx.h>

#include "vd-item-detail-private.h"
#include "vd-test-gui.h"

/* The lines of the output shown before it is expanded
 * (vd-item-detail.ui). */
#define OUTPUT_LINES 8

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
  g_autoptr(GError) error = NULL;
  g_autoptr(VdPolicy) policy = NULL;
  g_autofree char *db_path = NULL;
  g_autofree char *policy_path = g_build_filename (g_getenv ("VERDICT_SAMPLES"),
                                                  "policy.json", NULL);

  fixture->tmpdir = vd_test_make_tmp_dir ("test-item-pane");
  db_path = g_build_filename (fixture->tmpdir, "verdict.db", NULL);
  g_setenv ("VERDICT_DB", db_path, TRUE);

  fixture->store = vd_test_open_store (db_path);
  fixture->session = vd_test_session_new (fixture->store);

  /* The sample's own policy, as chosen for the import. */
  policy = vd_policy_new_from_file (policy_path, &error);
  g_assert_no_error (error);
  vd_session_set_policy (fixture->session, policy);

  /* At the size a reviewer first sees. */
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

static VdItemDetail *
detail_of (Fixture *fixture)
{
  return VD_ITEM_DETAIL (vd_test_window_child (fixture->window, "detail"));
}

static VdExpandableText *
output_of (Fixture *fixture)
{
  return _vd_item_detail_get_output (detail_of (fixture));
}

static GtkLabel *
output_label (Fixture *fixture)
{
  return _vd_item_detail_get_label (detail_of (fixture), "content");
}

static gboolean
model_ready (Fixture *fixture)
{
  VdItemListModel *items = vd_test_window_items (fixture->window);

  return items != NULL && !vd_item_list_model_get_loading (items);
}

static void
import_and_wait (Fixture    *fixture,
                 const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);

  /* The policy a reviewer chose in the import dialog: the sample's. */
  vd_window_import_files_with_policy (fixture->window, &file, 1,
                                      vd_session_get_policy (fixture->session));
  WAIT_UNTIL (!vd_test_window_importing (fixture->window) && model_ready (fixture) &&
              vd_test_window_shown_item (fixture->window) != NULL);
}

static void
import_sample (Fixture *fixture)
{
  g_autofree char *path = g_build_filename (g_getenv ("VERDICT_SAMPLES"),
                                           "review-queue.jsonl", NULL);

  import_and_wait (fixture, path);
}

static gboolean
count_tick_cb (GtkWidget     *widget,
               GdkFrameClock *clock,
               gpointer       user_data)
{
  (*(guint *) user_data)++;

  return G_SOURCE_CONTINUE;
}

/* Waits until the window has gone through @n more frames: what changed
 * before is laid out then. */
static void
wait_frames (Fixture *fixture,
             guint    n)
{
  guint ticks = 0;
  guint id = gtk_widget_add_tick_callback (GTK_WIDGET (fixture->window), count_tick_cb,
                                           &ticks, NULL);

  WAIT_UNTIL (ticks >= n);
  gtk_widget_remove_tick_callback (GTK_WIDGET (fixture->window), id);
}

/* Selects the item at @position in the queue, as a click does, and waits
 * until the pane shows it, laid out. */
static VdItem *
select_position (Fixture *fixture,
                 guint    position)
{
  GtkSelectionModel *selection =
    gtk_list_view_get_model (vd_test_window_child (fixture->window, "list_view"));
  g_autoptr(VdItem) item = g_list_model_get_item (G_LIST_MODEL (selection), position);

  g_assert_nonnull (item);
  gtk_single_selection_set_selected (GTK_SINGLE_SELECTION (selection), position);
  WAIT_UNTIL (vd_test_window_shown_item (fixture->window) != NULL &&
              vd_item_get_id (vd_test_window_shown_item (fixture->window)) ==
              vd_item_get_id (item));
  WAIT_UNTIL (g_strcmp0 (gtk_label_get_text (output_label (fixture)),
                         vd_item_get_content (item)) == 0);
  wait_frames (fixture, 2);

  return vd_test_window_shown_item (fixture->window);
}

static guint
find_position (Fixture    *fixture,
               const char *task_id)
{
  GListModel *items = G_LIST_MODEL (vd_test_window_items (fixture->window));

  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(VdItem) item = g_list_model_get_item (items, i);

      if (g_strcmp0 (vd_item_get_task_id (item), task_id) == 0)
        return i;
    }

  g_assert_not_reached ();
}

/* The bar of decision buttons: the box of Approve styled as one. */
static GtkWidget *
decision_bar_of (Fixture *fixture)
{
  GtkWidget *widget = vd_test_window_child (fixture->window, "approve_button");

  while (widget != NULL && !gtk_widget_has_css_class (widget, "decision-bar"))
    widget = gtk_widget_get_parent (widget);

  g_assert_nonnull (widget);

  return widget;
}

/* The height of the first line of @label, and where its layout starts. */
static int
first_line_bottom (GtkLabel *label)
{
  PangoLayout *layout = gtk_label_get_layout (label);
  PangoLayoutIter *iter = pango_layout_get_iter (layout);
  int x, y, y1;

  pango_layout_iter_get_line_yrange (iter, NULL, &y1);
  pango_layout_iter_free (iter);
  gtk_label_get_layout_offsets (label, &x, &y);

  return y + PANGO_PIXELS_CEIL (y1);
}

/* The output of the item shown starts inside the part of the pane that is
 * on screen, above the decision bar, with at least its first line. */
/* A Markdown, code or JSON output: its first 20 pixels (a line of text)
 * inside the part of the pane on screen, above the decision bar. */
static void
assert_rich_output_visible (Fixture   *fixture,
                            GtkWidget *rich)
{
  GtkWidget *window = GTK_WIDGET (fixture->window);
  GtkWidget *scrolled = gtk_widget_get_ancestor (rich, GTK_TYPE_SCROLLED_WINDOW);
  GtkWidget *bar = decision_bar_of (fixture);
  GtkAdjustment *adjustment;
  graphene_point_t top_left, first_line;
  graphene_rect_t view, bar_bounds;

  /* The pane's own scroller, not one inside the view. */
  while (gtk_widget_get_ancestor (gtk_widget_get_parent (scrolled), GTK_TYPE_SCROLLED_WINDOW))
    scrolled = gtk_widget_get_ancestor (gtk_widget_get_parent (scrolled),
                                        GTK_TYPE_SCROLLED_WINDOW);
  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));

  g_assert_true (gtk_widget_get_mapped (bar));
  g_assert_cmpfloat (gtk_adjustment_get_value (adjustment), ==,
                     gtk_adjustment_get_lower (adjustment));
  g_assert_cmpint (gtk_widget_get_height (rich), >=, 20);
  g_assert_true (gtk_widget_compute_point (rich, window, &GRAPHENE_POINT_INIT (0, 0),
                                           &top_left));
  g_assert_true (gtk_widget_compute_point (rich, window, &GRAPHENE_POINT_INIT (0, 20),
                                           &first_line));
  g_assert_true (gtk_widget_compute_bounds (scrolled, window, &view));
  g_assert_true (gtk_widget_compute_bounds (bar, window, &bar_bounds));

  g_test_message ("%s: %s output from y %.0f, view %.0f to %.0f, decision bar at %.0f",
                  vd_item_get_task_id (vd_test_window_shown_item (fixture->window)),
                  G_OBJECT_TYPE_NAME (rich), top_left.y, view.origin.y,
                  view.origin.y + view.size.height, bar_bounds.origin.y);

  g_assert_true (graphene_rect_contains_point (&view, &top_left));
  g_assert_cmpfloat (first_line.y, <=, view.origin.y + view.size.height);
  g_assert_cmpfloat (first_line.y, <=, bar_bounds.origin.y);
}

static void
assert_output_visible (Fixture *fixture)
{
  GtkWidget *window = GTK_WIDGET (fixture->window);
  GtkWidget *rich = _vd_item_detail_get_rich_output (detail_of (fixture));
  GtkWidget *label = GTK_WIDGET (output_label (fixture));
  GtkWidget *scrolled = gtk_widget_get_ancestor (label, GTK_TYPE_SCROLLED_WINDOW);
  GtkWidget *bar = decision_bar_of (fixture);
  GtkAdjustment *adjustment =
    gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
  graphene_point_t top_left, first_line, line_end;
  graphene_rect_t view, bar_bounds;
  const char *task_id = vd_item_get_task_id (vd_test_window_shown_item (fixture->window));

  if (rich != NULL && gtk_widget_get_mapped (rich))
    {
      assert_rich_output_visible (fixture, rich);
      return;
    }

  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (output_of (fixture))));
  g_assert_true (gtk_widget_get_mapped (label));
  g_assert_true (gtk_widget_get_mapped (bar));

  /* Nothing was scrolled to get there. */
  g_assert_cmpfloat (gtk_adjustment_get_value (adjustment), ==,
                     gtk_adjustment_get_lower (adjustment));

  g_assert_true (gtk_widget_compute_point (label, window, &GRAPHENE_POINT_INIT (0, 0),
                                           &top_left));
  first_line = GRAPHENE_POINT_INIT (gtk_widget_get_width (label),
                                    first_line_bottom (GTK_LABEL (label)));
  g_assert_true (gtk_widget_compute_point (label, window, &first_line, &line_end));
  g_assert_true (gtk_widget_compute_bounds (scrolled, window, &view));
  g_assert_true (gtk_widget_compute_bounds (bar, window, &bar_bounds));

  g_test_message ("%s: output from y %.0f to %.0f (first line), view %.0f to %.0f, "
                  "decision bar at %.0f", task_id, top_left.y, line_end.y, view.origin.y,
                  view.origin.y + view.size.height, bar_bounds.origin.y);

  g_assert_true (graphene_rect_contains_point (&view, &top_left));
  g_assert_cmpfloat (line_end.x, <=, view.origin.x + view.size.width);
  g_assert_cmpfloat (line_end.y, <=, view.origin.y + view.size.height);
  g_assert_cmpfloat (line_end.y, <=, bar_bounds.origin.y);
  g_assert_cmpfloat (top_left.y, <, bar_bounds.origin.y);
}

static void
test_pane_output_first (Fixture       *fixture,
                        gconstpointer  data)
{
  guint n_items;

  import_sample (fixture);
  n_items = g_list_model_get_n_items (G_LIST_MODEL (vd_test_window_items (fixture->window)));
  g_assert_cmpuint (n_items, >, 10);

  /* The first item, as the window opens it. */
  wait_frames (fixture, 2);
  assert_output_visible (fixture);

  for (guint i = 0; i < n_items; i++)
    {
      VdItem *item = select_position (fixture, i);

      g_assert_true (vd_item_get_status (item) == VD_TASK_STATUS_PENDING ||
                     vd_item_get_status (item) == VD_TASK_STATUS_IN_REVIEW);
      assert_output_visible (fixture);
    }
}

/* Real key events through the X server, as from a keyboard. */
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

static void
run_xdotool (const char * const *args)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) argv = NULL;
  gboolean done = FALSE;

  g_strv_builder_add_many (builder, "timeout", "20", "xdotool", NULL);
  g_strv_builder_addv (builder, (const char **) args);
  argv = g_strv_builder_end (builder);

  process = g_subprocess_newv ((const char * const *) argv, G_SUBPROCESS_FLAGS_NONE, &error);
  g_assert_no_error (error);
  g_subprocess_wait_check_async (process, NULL, subprocess_done_cb, &done);
  WAIT_UNTIL (done);
}

static void
send_key (Fixture    *fixture,
          const char *key)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (fixture->window));
  g_autofree char *xid = NULL;

  g_assert_true (GDK_IS_X11_SURFACE (surface));
  xid = g_strdup_printf ("%lu", (gulong) gdk_x11_surface_get_xid (surface));

  run_xdotool ((const char * const []) { "windowfocus", "--sync", xid, NULL });
  WAIT_UNTIL (gtk_window_is_active (GTK_WINDOW (fixture->window)));
  run_xdotool ((const char * const []) { "key", "--delay", "20", key, NULL });
}

static gboolean
focus_is_in (Fixture   *fixture,
             GtkWidget *ancestor)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (fixture->window));

  return focus != NULL && (focus == ancestor || gtk_widget_is_ancestor (focus, ancestor));
}

static const char *
button_text (Fixture *fixture)
{
  return gtk_button_get_label (vd_expandable_text_get_button (output_of (fixture)));
}

/* A long output is cut to a few lines; the button says how many more
 * there are, and o shows them from the queue list. */
static void
test_pane_long_output (Fixture       *fixture,
                       gconstpointer  data)
{
  VdExpandableText *output;
  GtkLabel *label;
  GtkWidget *button;
  g_autofree char *expected = NULL;
  int n_hidden, n_lines, cut_height;
  GtkWidget *list = vd_test_window_child (fixture->window, "list_view");
  GtkWidget *note = _vd_item_detail_get_note_entry (detail_of (fixture));

  if (!have_xdotool)
    {
      g_test_skip ("xdotool and an X display are needed for real key events");
      return;
    }

  /* A plain-text output of 30 lines (the sample's long drafts are
   * Markdown, shown in their own view). */
  {
    g_autoptr(GString) queue = g_string_new ("{\"task_id\": \"long-letter\", "
                                             "\"task_description\": \"Draft a letter\", "
                                             "\"agent_output\": {\"content\": \"");
    g_autofree char *path = NULL;

    for (int i = 1; i <= 30; i++)
      g_string_append_printf (queue, "Paragraph %d of the letter, one line long.\\n", i);
    g_string_append (queue, "\", \"confidence\": 0.4}}\n"
                     "{\"task_id\": \"short-note\", \"task_description\": \"Draft a note\", "
                     "\"agent_output\": {\"content\": \"One line.\", \"confidence\": 0.3}}\n");
    path = vd_test_write_file (fixture->tmpdir, "long.jsonl", queue->str);
    import_and_wait (fixture, path);
  }
  select_position (fixture, find_position (fixture, "long-letter"));
  output = output_of (fixture);
  label = vd_expandable_text_get_label (output);
  button = GTK_WIDGET (vd_expandable_text_get_button (output));

  WAIT_UNTIL (vd_expandable_text_get_n_hidden_lines (output) > 0);
  assert_output_visible (fixture);
  n_hidden = vd_expandable_text_get_n_hidden_lines (output);
  g_assert_false (vd_expandable_text_get_expanded (output));
  g_assert_true (gtk_widget_get_mapped (button));
  expected = g_strdup_printf ("%d More Lines", n_hidden);
  g_assert_cmpstr (button_text (fixture), ==, expected);

  /* The label is laid out whole and cut: what shows is its first lines. */
  cut_height = gtk_widget_get_height (GTK_WIDGET (output));
  g_assert_cmpint (cut_height, <, gtk_widget_get_height (GTK_WIDGET (label)));
  n_lines = pango_layout_get_line_count (gtk_label_get_layout (label));
  g_assert_cmpint (n_hidden, ==, n_lines - OUTPUT_LINES);

  /* In the note, o is a letter. */
  gtk_widget_grab_focus (note);
  WAIT_UNTIL (focus_is_in (fixture, note));
  send_key (fixture, "o");
  WAIT_UNTIL (g_strcmp0 (vd_item_detail_get_note (detail_of (fixture)), "o") == 0);
  g_assert_false (vd_expandable_text_get_expanded (output));
  vd_item_detail_clear_note (detail_of (fixture));

  /* From the list, o shows the whole output in place... */
  gtk_widget_grab_focus (list);
  WAIT_UNTIL (focus_is_in (fixture, list));
  send_key (fixture, "o");
  WAIT_UNTIL (vd_expandable_text_get_expanded (output));
  wait_frames (fixture, 2);
  g_assert_cmpint (vd_expandable_text_get_n_hidden_lines (output), ==, 0);
  g_assert_cmpstr (button_text (fixture), ==, "Show Less");
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (output)), >,
                   gtk_widget_get_height (GTK_WIDGET (label)));
  g_assert_true (focus_is_in (fixture, list));

  /* ... and takes it back. */
  send_key (fixture, "o");
  WAIT_UNTIL (!vd_expandable_text_get_expanded (output));
  wait_frames (fixture, 2);
  g_assert_cmpstr (button_text (fixture), ==, expected);
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (output)), ==, cut_height);

  /* The button does the same. */
  gtk_widget_activate (button);
  WAIT_UNTIL (vd_expandable_text_get_expanded (output));

  /* Another item starts cut again. */
  select_position (fixture, find_position (fixture, "short-note"));
  g_assert_false (vd_expandable_text_get_expanded (output));
}

/* The value of the metadata row whose key is @key. */
static const char *
metadata_value (Fixture    *fixture,
                const char *key)
{
  GtkGrid *grid = GTK_GRID (_vd_item_detail_get_metadata_grid (detail_of (fixture)));

  for (int row = 0; gtk_grid_get_child_at (grid, 0, row) != NULL; row++)
    {
      GtkWidget *key_label = gtk_grid_get_child_at (grid, 0, row);
      GtkWidget *value_label = gtk_grid_get_child_at (grid, 1, row);

      if (g_strcmp0 (gtk_label_get_text (GTK_LABEL (key_label)), key) == 0)
        {
          g_assert_true (gtk_label_get_selectable (GTK_LABEL (value_label)));
          return gtk_label_get_text (GTK_LABEL (value_label));
        }
    }

  return NULL;
}

static void
test_pane_metadata (Fixture       *fixture,
                    gconstpointer  data)
{
  static const char queue[] =
    "{\"verdict_queue\": 1, \"queue\": \"forum\"}\n"
    "{\"task_id\": \"post-1\", \"task_type\": \"content_moderation\", "
    "\"task_description\": \"Moderate a post\", "
    "\"agent_output\": {\"content\": \"Keep the post.\", \"confidence\": 0.4, "
    "\"metadata\": {\"channel\": \"forum\", \"toxicity\": 0.55, \"reports\": 3, "
    "\"verified\": false, \"editor\": null, \"author\": {\"name\": \"kim\"}, "
    "\"labels\": [\"spam\", \"ads\"]}}, "
    "\"escalation_reason\": \"low_confidence\"}\n";
  g_autofree char *path = g_build_filename (fixture->tmpdir, "forum.jsonl", NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, queue, -1, &error);
  g_assert_no_error (error);
  import_and_wait (fixture, path);
  WAIT_UNTIL (g_strcmp0 (vd_item_get_task_id (vd_test_window_shown_item (fixture->window)),
                         "post-1") == 0);

  g_assert_cmpstr (metadata_value (fixture, "channel"), ==, "forum");
  g_assert_cmpstr (metadata_value (fixture, "toxicity"), ==, "0.55");
  g_assert_cmpstr (metadata_value (fixture, "reports"), ==, "3");
  g_assert_cmpstr (metadata_value (fixture, "verified"), ==, "No");
  g_assert_cmpstr (metadata_value (fixture, "editor"), ==, "—");
  g_assert_cmpstr (metadata_value (fixture, "author.name"), ==, "kim");
  g_assert_cmpstr (metadata_value (fixture, "labels"), ==, "spam, ads");
}

/* An item the policy approved says so, not "Not escalated". */
static void
test_pane_auto_approved (Fixture       *fixture,
                         gconstpointer  data)
{
  VdItemDetail *detail = detail_of (fixture);
  g_autoptr(GPtrArray) labels = NULL;
  VdItem *item;
  double threshold;
  g_autofree char *expected = NULL;

  import_sample (fixture);
  vd_test_window_set_status (fixture->window, VD_TEST_STATUS_DECIDED);
  WAIT_UNTIL (model_ready (fixture) &&
              g_list_model_get_n_items (G_LIST_MODEL (vd_test_window_items (fixture->window))) > 0);
  item = select_position (fixture, 0);

  g_assert_cmpint (vd_item_get_status (item), ==, VD_TASK_STATUS_APPROVED);
  g_assert_cmpint (vd_item_get_escalation_reason (item), ==, VD_ESCALATION_REASON_NONE);

  g_assert_cmpstr (gtk_label_get_text (_vd_item_detail_get_label (detail, "reason")), ==,
                   "Approved automatically by the policy");
  threshold = _vd_item_detail_get_threshold (detail);
  g_assert_cmpfloat (threshold, >, 0.0);
  expected = g_strdup_printf ("confidence %.2f meets the threshold %.2f",
                              vd_item_get_confidence (item), threshold);
  g_assert_cmpstr (gtk_label_get_text (_vd_item_detail_get_label (detail, "escalation-detail")),
                   ==, expected);
  g_assert_true (gtk_widget_is_visible (GTK_WIDGET (_vd_item_detail_get_label (
                                                      detail, "escalation-detail"))));

  labels = vd_test_find_widgets (GTK_WIDGET (detail), GTK_TYPE_LABEL);
  for (guint i = 0; i < labels->len; i++)
    {
      const char *text = gtk_label_get_text (g_ptr_array_index (labels, i));

      g_assert_null (strstr (text, "Not escalated"));
      g_assert_null (strstr (text, "Why It Needs Review"));
    }
}

static void
leave_requested_cb (VdItemDetail *detail,
                    guint        *count)
{
  (*count)++;
}

/* Escape in the approve note gives the keyboard back: a decision key no
 * longer types into it. */
static void
test_pane_escape_note (Fixture       *fixture,
                       gconstpointer  data)
{
  VdItemDetail *detail = detail_of (fixture);
  GtkWidget *note = _vd_item_detail_get_note_entry (detail);
  GtkWidget *list = vd_test_window_child (fixture->window, "list_view");
  gboolean have_focus_list;
  guint n_requests = 0;

  if (!have_xdotool)
    {
      g_test_skip ("xdotool and an X display are needed for real key events");
      return;
    }

  /* Whether the window has the action the pane asks to take the focus. */
  for (guint i = 0; ; i++)
    {
      GType owner;
      const char *name;
      const GVariantType *parameter_type;
      const char *property_name;

      if (!gtk_widget_class_query_action (GTK_WIDGET_GET_CLASS (fixture->window), i,
                                          &owner, &name, &parameter_type, &property_name))
        {
          have_focus_list = FALSE;
          break;
        }
      if (g_str_equal (name, "win.focus-list"))
        {
          have_focus_list = TRUE;
          break;
        }
    }

  g_signal_connect (detail, "leave-requested", G_CALLBACK (leave_requested_cb), &n_requests);

  import_sample (fixture);
  gtk_widget_grab_focus (note);
  WAIT_UNTIL (focus_is_in (fixture, note));
  send_key (fixture, "x");
  WAIT_UNTIL (g_strcmp0 (vd_item_detail_get_note (detail), "x") == 0);

  send_key (fixture, "Escape");
  WAIT_UNTIL (!focus_is_in (fixture, note));
  if (have_focus_list)
    WAIT_UNTIL (focus_is_in (fixture, list));
  else
    g_assert_cmpuint (n_requests, ==, 1);

  /* The note keeps what was typed. */
  g_assert_cmpstr (vd_item_detail_get_note (detail), ==, "x");

  g_signal_handlers_disconnect_by_func (detail, leave_requested_cb, &n_requests);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *xdotool = NULL;

  g_setenv ("VERDICT_REVIEWER", "tester", TRUE);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  xdotool = g_find_program_in_path ("xdotool");
  have_xdotool = xdotool != NULL && GDK_IS_X11_DISPLAY (gdk_display_get_default ());

  g_test_add ("/item-pane/output-first", Fixture, NULL,
              fixture_setup, test_pane_output_first, fixture_teardown);
  g_test_add ("/item-pane/long-output", Fixture, NULL,
              fixture_setup, test_pane_long_output, fixture_teardown);
  g_test_add ("/item-pane/metadata", Fixture, NULL,
              fixture_setup, test_pane_metadata, fixture_teardown);
  g_test_add ("/item-pane/auto-approved", Fixture, NULL,
              fixture_setup, test_pane_auto_approved, fixture_teardown);
  g_test_add ("/item-pane/escape-note", Fixture, NULL,
              fixture_setup, test_pane_escape_note, fixture_teardown);

  return g_test_run ();
}
