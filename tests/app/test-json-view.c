/* test-json-view.c
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

#define G_LOG_DOMAIN "test-json-view"

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "vd-json-view.h"
#include "vd-test-gui.h"

#define PANE_WIDTH 550

/* A tool call's arguments, as a LangGraph agent would send them. */
static const char tool_call[] =
  "{\"to\": \"Hollis & Reed Fabrication LLC\", \"amount\": 12500, \"fee\": 12.5,"
  " \"currency\": \"USD\", \"count\": \"42\", \"urgent\": false, \"memo\": \"\","
  " \"approver\": null, \"note\": \"Line one\\nLine two\","
  " \"invoice\": {\"id\": \"INV-2026-0417\", \"lines\": [{\"sku\": \"BR-12\", \"qty\": 40}]}}";

typedef struct
{
  GtkWindow  *window;
  VdJsonView *view;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  GtkWidget *scroller = gtk_scrolled_window_new ();
  g_autoptr(GError) error = NULL;

  fixture->view = g_object_ref_sink (VD_JSON_VIEW (vd_json_view_new ()));
  gtk_widget_set_margin_start (GTK_WIDGET (fixture->view), 12);
  gtk_widget_set_margin_end (GTK_WIDGET (fixture->view), 12);
  gtk_widget_set_margin_top (GTK_WIDGET (fixture->view), 12);
  gtk_widget_set_margin_bottom (GTK_WIDGET (fixture->view), 12);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), GTK_WIDGET (fixture->view));

  fixture->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_title (fixture->window, "Verdict JSON view");
  gtk_window_set_default_size (fixture->window, PANE_WIDTH, 560);
  gtk_window_set_child (fixture->window, scroller);
  gtk_window_present (fixture->window);

  g_assert_true (vd_json_view_set_text (fixture->view, tool_call, &error));
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  gtk_window_destroy (g_steal_pointer (&fixture->window));
  g_assert_finalize_object (g_steal_pointer (&fixture->view));
}

static void
after_paint_cb (GdkFrameClock *clock,
                guint         *n_frames)
{
  (*n_frames)++;
}

/* With VD_TEST_SCREENSHOT_DIR set, keeps a picture of the window (NAME.png). */
static void
save_screenshot (Fixture    *fixture,
                 const char *name)
{
  const char *dir = g_getenv ("VD_TEST_SCREENSHOT_DIR");
  GtkWidget *widget = GTK_WIDGET (fixture->window);
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *basename = g_strconcat (name, ".png", NULL);
  g_autofree char *path = NULL;
  GdkFrameClock *clock;
  guint n_frames = 0;
  gulong handler;
  int width, height;

  if (dir == NULL)
    return;

  clock = gtk_widget_get_frame_clock (widget);
  WAIT_UNTIL (gtk_widget_get_mapped (widget));
  handler = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &n_frames);
  WAIT_UNTIL ((gtk_widget_queue_draw (widget), n_frames >= 2));
  g_signal_handler_disconnect (clock, handler);

  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  /* A toplevel paints itself through its surface: its child is painted
   * here, on the window's background colour (libadwaita's light one). */
  paintable = gtk_widget_paintable_new (gtk_window_get_child (fixture->window));
  snapshot = gtk_snapshot_new ();
  gtk_snapshot_append_color (snapshot, &(GdkRGBA) { 0.98, 0.98, 0.98, 1 },
                             &GRAPHENE_RECT_INIT (0, 0, width, height));
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_to_node (snapshot);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (widget)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  path = g_build_filename (dir, basename, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
}

static GtkLabel *
find_value (Fixture    *fixture,
            const char *text)
{
  GtkLabel *label = vd_test_find_label (GTK_WIDGET (fixture->view), text);

  g_assert_nonnull (label);
  return label;
}

/* Values are shown by type: text without quotes, the rest styled apart,
 * each with its type in the tooltip. */
static void
test_json_typed (Fixture       *fixture,
                 gconstpointer  data)
{
  GtkLabel *label;

  label = find_value (fixture, "Hollis & Reed Fabrication LLC");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (label), "json-string"));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (GTK_WIDGET (label)), ==, "Text");
  g_assert_true (gtk_label_get_selectable (label));
  g_assert_false (gtk_label_get_use_markup (label));

  label = find_value (fixture, "12500");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (label), "json-number"));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (GTK_WIDGET (label)), ==, "Whole number");

  label = find_value (fixture, "12.5");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (label), "json-number"));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (GTK_WIDGET (label)), ==, "Number");

  /* The text "42" is not the number 42. */
  label = find_value (fixture, "42");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (label), "json-string"));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (label), "json-number"));

  label = find_value (fixture, "false");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (label), "json-boolean"));
  label = find_value (fixture, "null");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (label), "json-null"));
  label = find_value (fixture, "(empty text)");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (label), "json-empty"));
  find_value (fixture, "Line one\nLine two");

  /* Keys in their column; nested values under a fold, open at this depth. */
  find_value (fixture, "amount");
  find_value (fixture, "[0]");
  {
    g_autoptr(GPtrArray) expanders = vd_test_find_widgets (GTK_WIDGET (fixture->view),
                                                           GTK_TYPE_EXPANDER);

    g_assert_cmpuint (expanders->len, ==, 3);
    g_assert_cmpstr (gtk_expander_get_label (g_ptr_array_index (expanders, 0)), ==,
                     "2 fields");
    g_assert_true (gtk_expander_get_expanded (g_ptr_array_index (expanders, 0)));
    g_assert_cmpstr (gtk_expander_get_label (g_ptr_array_index (expanders, 1)), ==, "1 item");
    g_assert_true (gtk_expander_get_expanded (g_ptr_array_index (expanders, 1)));
    /* invoice.lines[0] is at depth 3: folded. */
    g_assert_false (gtk_expander_get_expanded (g_ptr_array_index (expanders, 2)));
    g_assert_null (vd_test_find_label (GTK_WIDGET (fixture->view), "BR-12"));
    gtk_expander_set_expanded (g_ptr_array_index (expanders, 2), TRUE);
  }
  find_value (fixture, "sku");
  find_value (fixture, "BR-12");
  find_value (fixture, "40");

  /* Not wider than the pane. */
  WAIT_UNTIL (gtk_widget_get_width (GTK_WIDGET (fixture->view)) > 0);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (fixture->window)), ==, PANE_WIDTH);
  save_screenshot (fixture, "json-view");
}

static GtkEditable *
find_entry (Fixture    *fixture,
            const char *text)
{
  g_autoptr(GPtrArray) entries = vd_test_find_widgets (GTK_WIDGET (fixture->view),
                                                       GTK_TYPE_ENTRY);

  for (guint i = 0; i < entries->len; i++)
    if (g_strcmp0 (gtk_editable_get_text (g_ptr_array_index (entries, i)), text) == 0)
      return g_ptr_array_index (entries, i);
  g_assert_not_reached ();
}

static void
count_cb (VdJsonView *view,
          guint      *n)
{
  (*n)++;
}

/* Modify: a number stays a number, "abc" is refused for one, a boolean is a
 * switch, and the change reads as a diff. */
static void
test_json_edit (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) edited = NULL;
  g_autoptr(GPtrArray) switches = NULL;
  g_autofree char *changes = NULL;
  JsonObject *object;
  GtkEditable *amount;
  GtkEditable *count;
  guint n_changes = 0;
  guint n_changed = 0;

  g_signal_connect (fixture->view, "changed", G_CALLBACK (count_cb), &n_changed);
  vd_json_view_set_editable (fixture->view, TRUE);
  g_assert_true (vd_json_view_get_valid (fixture->view));

  /* Unchanged, it gives the same value back. */
  edited = vd_json_view_dup_edited_node (fixture->view, &error);
  g_assert_no_error (error);
  g_assert_true (json_node_equal (edited, vd_json_view_get_node (fixture->view)));
  changes = vd_json_view_describe_changes (fixture->view, &n_changes);
  g_assert_cmpstr (changes, ==, "");
  g_clear_pointer (&edited, json_node_unref);
  g_clear_pointer (&changes, g_free);

  amount = find_entry (fixture, "12500");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (amount), "json-number"));
  g_assert_cmpint (gtk_entry_get_input_purpose (GTK_ENTRY (amount)), ==,
                   GTK_INPUT_PURPOSE_NUMBER);

  /* Not a number: refused, with the field's path. */
  gtk_editable_set_text (amount, "abc");
  g_assert_false (vd_json_view_get_valid (fixture->view));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (amount), "error"));
  edited = vd_json_view_dup_edited_node (fixture->view, &error);
  g_assert_null (edited);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_cmpstr (error->message, ==, "amount: “abc” is not a number");
  g_clear_error (&error);

  /* Neither are these: JSON numbers only. */
  gtk_editable_set_text (amount, "12,500");
  g_assert_false (vd_json_view_get_valid (fixture->view));
  gtk_editable_set_text (amount, "1e999");
  g_assert_false (vd_json_view_get_valid (fixture->view));
  gtk_editable_set_text (amount, "0x10");
  g_assert_false (vd_json_view_get_valid (fixture->view));

  gtk_editable_set_text (amount, " 13000 ");
  g_assert_true (vd_json_view_get_valid (fixture->view));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (amount), "error"));

  /* A text field takes anything, and stays text: "42" → "43". */
  count = find_entry (fixture, "42");
  gtk_editable_set_text (count, "43");

  /* The boolean is a switch. */
  switches = vd_test_find_widgets (GTK_WIDGET (fixture->view), GTK_TYPE_SWITCH);
  g_assert_cmpuint (switches->len, ==, 1);
  gtk_switch_set_active (g_ptr_array_index (switches, 0), TRUE);

  /* The fee becomes 12.75, the quantity deep inside 45. */
  gtk_editable_set_text (find_entry (fixture, "12.5"), "12.75");
  gtk_editable_set_text (find_entry (fixture, "40"), "45");

  edited = vd_json_view_dup_edited_node (fixture->view, &error);
  g_assert_no_error (error);
  object = json_node_get_object (edited);
  g_assert_cmpint (json_node_get_value_type (json_object_get_member (object, "amount")), ==,
                   G_TYPE_INT64);
  g_assert_cmpint (json_object_get_int_member (object, "amount"), ==, 13000);
  g_assert_cmpint (json_node_get_value_type (json_object_get_member (object, "count")), ==,
                   G_TYPE_STRING);
  g_assert_cmpstr (json_object_get_string_member (object, "count"), ==, "43");
  g_assert_true (json_object_get_boolean_member (object, "urgent"));
  g_assert_cmpfloat (json_object_get_double_member (object, "fee"), ==, 12.75);
  g_assert_true (json_object_get_null_member (object, "approver"));
  g_assert_cmpstr (json_object_get_string_member (object, "note"), ==, "Line one\nLine two");

  changes = vd_json_view_describe_changes (fixture->view, &n_changes);
  g_assert_cmpstr (changes, ==,
                   "amount: 12500 → 13000\n"
                   "fee: 12.5 → 12.75\n"
                   "count: \"42\" → \"43\"\n"
                   "urgent: false → true\n"
                   "invoice.lines[0].qty: 40 → 45");
  g_assert_cmpuint (n_changes, ==, 5);
  g_assert_cmpuint (n_changed, >=, 5);

  /* The original is untouched. */
  object = json_node_get_object (vd_json_view_get_node (fixture->view));
  g_assert_cmpint (json_object_get_int_member (object, "amount"), ==, 12500);
  save_screenshot (fixture, "json-edit");

  /* Back to reading: the edits are dropped. */
  vd_json_view_set_editable (fixture->view, FALSE);
  g_assert_true (vd_json_view_get_valid (fixture->view));
  find_value (fixture, "12500");
}

static void
test_json_bad_text (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) deep = g_string_new (NULL);

  g_assert_false (vd_json_view_set_text (fixture->view, "{\"a\": ", &error));
  g_assert_nonnull (error);
  g_assert_null (vd_json_view_get_node (fixture->view));
  g_clear_error (&error);

  for (guint i = 0; i < 200; i++)
    g_string_append_c (deep, '[');
  for (guint i = 0; i < 200; i++)
    g_string_append_c (deep, ']');
  g_assert_false (vd_json_view_set_text (fixture->view, deep->str, &error));
  g_assert_error (error, VD_JSON_GUARD_ERROR, VD_JSON_GUARD_ERROR_TOO_DEEP);
  g_clear_error (&error);

  /* A root that is not an object: shown as one value. */
  g_assert_true (vd_json_view_set_text (fixture->view, "\"just text\"", &error));
  g_assert_no_error (error);
  find_value (fixture, "just text");
}

/* A huge array is cut with a line that says how much is not shown. */
static void
test_json_large (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(JsonArray) array = json_array_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);
  g_autofree char *expected = NULL;

  for (guint i = 0; i < VD_JSON_VIEW_MAX_VALUES + 500; i++)
    json_array_add_int_element (array, i);
  json_node_set_array (node, array);

  vd_json_view_set_node (fixture->view, node);
  find_value (fixture, "500 more values not shown");
}

int
main (int   argc,
      char *argv[])
{
  vd_test_deadline_seconds = 30;

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  /* The application's style sheet, as AdwApplication loads it. */
  {
    g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

    gtk_css_provider_load_from_resource (css, RESOURCE_PATH "/style.css");
    gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                                GTK_STYLE_PROVIDER (css),
                                                GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  }

  g_test_add ("/json-view/typed", Fixture, NULL,
              fixture_setup, test_json_typed, fixture_teardown);
  g_test_add ("/json-view/edit", Fixture, NULL,
              fixture_setup, test_json_edit, fixture_teardown);
  g_test_add ("/json-view/bad-text", Fixture, NULL,
              fixture_setup, test_json_bad_text, fixture_teardown);
  g_test_add ("/json-view/large", Fixture, NULL,
              fixture_setup, test_json_large, fixture_teardown);

  return g_test_run ();
}
