/* test-item-content.c: the item pane's texts by content type, its
 * attachments, and the Modify dialog for code and JSON, in the window at
 * its default size
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

#define G_LOG_DOMAIN "test-item-content"

#include "config.h"

#include <string.h>

#include "vd-code-view.h"
#include "vd-decision-dialog.h"
#include "vd-image-view.h"
#include "vd-item-detail-private.h"
#include "vd-json-view.h"
#include "vd-markdown-view.h"
#include "vd-test-gui.h"

#define IMAGE_WIDTH  400
#define IMAGE_HEIGHT 300

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

  fixture->tmpdir = vd_test_make_tmp_dir ("test-item-content");
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

/* A queue file with one item per content type and a PNG next to it. */
static char *
write_queue (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8,
                                                IMAGE_WIDTH, IMAGE_HEIGHT);
  g_autofree char *png_path = g_build_filename (fixture->tmpdir, "post.png", NULL);
  g_autofree char *path = g_build_filename (fixture->tmpdir, "content.jsonl", NULL);
  const char *queue =
    "{\"verdict_queue\": 1, \"queue\": \"content\"}\n"
    "{\"task_id\": \"md-1\", \"task_description\": \"Draft a clause\", "
    "\"content_type\": {\"output\": \"text/markdown\"}, "
    "\"attachments\": [{\"name\": \"post.png\", \"media_type\": \"image/png\", \"path\": \"post.png\"}, "
    "{\"name\": \"thread\", \"media_type\": \"text/html\", \"url\": \"https://forum.example/t/81\"}], "
    "\"agent_output\": {\"content\": \"# Clause Heading\\n\\nThe *tenant* pays.\\n\\n- First point\\n- Second point\\n- Last point\", \"confidence\": 0.5}, "
    "\"timestamp\": \"2026-11-20T07:00:00Z\"}\n"
    "{\"task_id\": \"diff-1\", \"task_description\": \"Ship the fix\", "
    "\"content_type\": {\"output\": \"text/x-diff\"}, "
    "\"agent_output\": {\"content\": \"--- a/app.py\\n+++ b/app.py\\n@@ -1,2 +1,2 @@\\n-x = 1\\n+x = 2\\n y = 3\\n\", \"confidence\": 0.5}, "
    "\"timestamp\": \"2026-11-20T07:01:00Z\"}\n"
    "{\"task_id\": \"json-1\", \"task_description\": \"Call the refund tool\", "
    "\"content_type\": {\"output\": \"application/json\"}, "
    "\"agent_output\": {\"content\": \"{\\\"amount\\\": 42, \\\"currency\\\": \\\"USD\\\"}\", \"confidence\": 0.5}, "
    "\"timestamp\": \"2026-11-20T07:02:00Z\"}\n";

  gdk_pixbuf_fill (pixbuf, 0x3366ccff);
  gdk_pixbuf_save (pixbuf, png_path, "png", &error, NULL);
  g_assert_no_error (error);

  g_file_set_contents (path, queue, -1, &error);
  g_assert_no_error (error);

  return g_steal_pointer (&path);
}

static VdItem *
show_task (Fixture    *fixture,
           const char *task_id)
{
  return select_position (fixture, find_position (fixture, task_id));
}

static gboolean
widget_has_label_text (GtkWidget  *widget,
                       const char *text)
{
  if (GTK_IS_LABEL (widget) && strstr (gtk_label_get_text (GTK_LABEL (widget)), text) != NULL)
    return TRUE;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (widget_has_label_text (child, text))
      return TRUE;

  return FALSE;
}

/* The rich output starts on screen above the decision bar. */
static void
assert_rich_output_visible (Fixture   *fixture,
                            GtkWidget *view)
{
  GtkWidget *window = GTK_WIDGET (fixture->window);
  GtkWidget *bar = decision_bar_of (fixture);
  graphene_rect_t bounds, bar_bounds;

  g_assert_true (gtk_widget_get_mapped (view));
  g_assert_true (gtk_widget_compute_bounds (view, window, &bounds));
  g_assert_true (gtk_widget_compute_bounds (bar, window, &bar_bounds));
  g_test_message ("output at y %.0f, height %.0f, decision bar at %.0f",
                  bounds.origin.y, bounds.size.height, bar_bounds.origin.y);
  g_assert_cmpfloat (bounds.origin.y + 40, <, bar_bounds.origin.y);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (output_of (fixture))));
}

static void
test_content_markdown (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *path = write_queue (fixture);
  GtkWidget *view;

  import_and_wait (fixture, path);
  g_assert_cmpstr (vd_item_get_output_content_type (show_task (fixture, "md-1")), ==,
                   "text/markdown");

  view = _vd_item_detail_get_rich_output (detail_of (fixture));
  g_assert_true (VD_IS_MARKDOWN_VIEW (view));
  g_assert_true (widget_has_label_text (view, "Clause Heading"));
  assert_rich_output_visible (fixture, view);

  /* Short Markdown shows whole: its scroller takes the height it needs. */
  {
    GtkLabel *last = vd_test_find_label (view, "Last point");
    GtkWidget *scroller = gtk_widget_get_ancestor (view, GTK_TYPE_SCROLLED_WINDOW);
    graphene_rect_t last_bounds, scroller_bounds;

    g_assert_nonnull (last);
    g_assert_true (gtk_widget_compute_bounds (GTK_WIDGET (last), GTK_WIDGET (fixture->window),
                                              &last_bounds));
    g_assert_true (gtk_widget_compute_bounds (scroller, GTK_WIDGET (fixture->window),
                                              &scroller_bounds));
    g_assert_cmpfloat (last_bounds.origin.y + last_bounds.size.height, <=,
                       scroller_bounds.origin.y + scroller_bounds.size.height);
  }
}

static void
test_content_diff (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *path = write_queue (fixture);
  GtkSourceBuffer *buffer;
  GtkWidget *view;

  import_and_wait (fixture, path);
  show_task (fixture, "diff-1");

  view = _vd_item_detail_get_rich_output (detail_of (fixture));
  g_assert_true (VD_IS_CODE_VIEW (view));
  buffer = GTK_SOURCE_BUFFER (gtk_text_view_get_buffer (
    GTK_TEXT_VIEW (vd_code_view_get_source_view (VD_CODE_VIEW (view)))));
  g_assert_nonnull (gtk_source_buffer_get_language (buffer));
  g_assert_cmpstr (gtk_source_language_get_id (gtk_source_buffer_get_language (buffer)), ==,
                   "diff");
  assert_rich_output_visible (fixture, view);
}

static void
test_content_json (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *path = write_queue (fixture);
  GtkWidget *view;

  import_and_wait (fixture, path);
  show_task (fixture, "json-1");

  view = _vd_item_detail_get_rich_output (detail_of (fixture));
  g_assert_true (VD_IS_JSON_VIEW (view));
  g_assert_false (vd_json_view_get_editable (VD_JSON_VIEW (view)));
  assert_rich_output_visible (fixture, view);

  /* Plain text again on the next item without a content type. */
  show_task (fixture, "md-1");
  show_task (fixture, "json-1");
  g_assert_true (VD_IS_JSON_VIEW (_vd_item_detail_get_rich_output (detail_of (fixture))));
}

static GtkWidget *
find_child_by_name (GtkWidget  *widget,
                    const char *name)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (g_strcmp0 (gtk_widget_get_name (child), name) == 0)
      return child;

  return NULL;
}

static void
test_content_attachments (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *path = write_queue (fixture);
  g_autofree char *size = g_strdup_printf ("%u × %u", IMAGE_WIDTH, IMAGE_HEIGHT);
  VdItemDetail *detail;
  GtkWidget *box;
  GtkWidget *image;
  GtkWidget *link;

  import_and_wait (fixture, path);
  show_task (fixture, "md-1");
  detail = detail_of (fixture);
  box = _vd_item_detail_get_attachments (detail);
  g_assert_true (gtk_widget_get_mapped (box));

  image = find_child_by_name (box, "attachment-view");
  g_assert_true (VD_IS_IMAGE_VIEW (image));
  WAIT_UNTIL (vd_image_view_get_state (VD_IMAGE_VIEW (image)) == VD_IMAGE_VIEW_IMAGE);
  g_assert_nonnull (strstr (vd_image_view_get_details (VD_IMAGE_VIEW (image)), size));
  g_assert_cmpint (gdk_texture_get_width (vd_image_view_get_texture (VD_IMAGE_VIEW (image))),
                   ==, IMAGE_WIDTH);

  /* The link shows its address and is never fetched. */
  link = find_child_by_name (box, "attachment-link");
  g_assert_nonnull (link);
  g_assert_true (widget_has_label_text (link, "https://forum.example/t/81"));

  /* No attachments on the next item: the section hides. */
  show_task (fixture, "diff-1");
  g_assert_false (gtk_widget_get_visible (gtk_widget_get_parent (box)));
}

/* Modify on JSON edits the values with their types: the number stays a
 * number in the modified content that is saved. */
static void
test_content_modify_json (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *path = write_queue (fixture);
  g_autoptr(GPtrArray) views = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  GtkEditable *amount = NULL;
  VdDecisionDialog *dialog;
  JsonObject *object;
  JsonNode *node;
  VdItem *item;

  import_and_wait (fixture, path);
  item = show_task (fixture, "json-1");

  dialog = vd_decision_dialog_new (VD_DECISION_KIND_MODIFY, item);
  gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (fixture->window));
  gtk_window_present (GTK_WINDOW (dialog));

  views = vd_test_find_widgets (GTK_WIDGET (dialog), VD_TYPE_JSON_VIEW);
  g_assert_cmpuint (views->len, ==, 1);
  g_assert_true (vd_json_view_get_editable (g_ptr_array_index (views, 0)));
  g_assert_false (vd_decision_dialog_get_can_confirm (dialog));

  entries = vd_test_find_widgets (g_ptr_array_index (views, 0), GTK_TYPE_EDITABLE);
  for (guint i = 0; i < entries->len; i++)
    if (g_strcmp0 (gtk_editable_get_text (g_ptr_array_index (entries, i)), "42") == 0)
      amount = g_ptr_array_index (entries, i);
  g_assert_nonnull (amount);
  gtk_editable_set_text (amount, "43");

  g_assert_true (vd_decision_dialog_get_can_confirm (dialog));
  text = vd_decision_dialog_dup_text (dialog);
  g_test_message ("modified content: %s", text);

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  object = json_node_get_object (json_parser_get_root (parser));
  node = json_object_get_member (object, "amount");
  g_assert_cmpint (json_node_get_node_type (node), ==, JSON_NODE_VALUE);
  g_assert_true (json_node_get_value_type (node) == G_TYPE_INT64 ||
                 json_node_get_value_type (node) == G_TYPE_DOUBLE);
  g_assert_cmpfloat (json_node_get_double (node), ==, 43.0);
  g_assert_cmpstr (json_object_get_string_member (object, "currency"), ==, "USD");

  gtk_window_destroy (GTK_WINDOW (dialog));
}

/* Modify on a diff edits in a source view. */
static void
test_content_modify_diff (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *path = write_queue (fixture);
  g_autoptr(GPtrArray) views = NULL;
  g_autofree char *text = NULL;
  VdDecisionDialog *dialog;
  GtkTextBuffer *buffer;
  GtkTextIter end;
  VdItem *item;

  import_and_wait (fixture, path);
  item = show_task (fixture, "diff-1");

  dialog = vd_decision_dialog_new (VD_DECISION_KIND_MODIFY, item);
  gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (fixture->window));
  gtk_window_present (GTK_WINDOW (dialog));

  views = vd_test_find_widgets (GTK_WIDGET (dialog), VD_TYPE_CODE_VIEW);
  g_assert_cmpuint (views->len, ==, 1);
  g_assert_true (vd_code_view_get_editable (g_ptr_array_index (views, 0)));

  buffer = gtk_text_view_get_buffer (
    GTK_TEXT_VIEW (vd_code_view_get_source_view (g_ptr_array_index (views, 0))));
  gtk_text_buffer_get_end_iter (buffer, &end);
  gtk_text_buffer_insert (buffer, &end, "+z = 4\n", -1);

  g_assert_true (vd_decision_dialog_get_can_confirm (dialog));
  text = vd_decision_dialog_dup_text (dialog);
  g_assert_true (g_str_has_suffix (text, "+z = 4\n"));

  gtk_window_destroy (GTK_WINDOW (dialog));
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("VERDICT_REVIEWER", "tester", TRUE);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/item-content/markdown", Fixture, NULL,
              fixture_setup, test_content_markdown, fixture_teardown);
  g_test_add ("/item-content/diff", Fixture, NULL,
              fixture_setup, test_content_diff, fixture_teardown);
  g_test_add ("/item-content/json", Fixture, NULL,
              fixture_setup, test_content_json, fixture_teardown);
  g_test_add ("/item-content/attachments", Fixture, NULL,
              fixture_setup, test_content_attachments, fixture_teardown);

  g_test_add ("/item-content/modify-json", Fixture, NULL,
              fixture_setup, test_content_modify_json, fixture_teardown);
  g_test_add ("/item-content/modify-diff", Fixture, NULL,
              fixture_setup, test_content_modify_diff, fixture_teardown);

  return g_test_run ();
}
