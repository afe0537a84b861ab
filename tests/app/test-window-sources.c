/* test-window-sources.c: other tools' items in the window
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

/* Items built in memory with a source record (vd_item_set_source()) as
 * the format readers make them: "No confidence given" in the row and the
 * pane, the source card (tool, ids, the actions of one LangGraph
 * interrupt, the decisions the source accepts), decisions the source does
 * not accept disabled in the window, the note about LangChain's
 * JavaScript middleware before a reject, and the import dialog's format
 * choice. */

#define G_LOG_DOMAIN "test-window-sources"

#include "config.h"

#include <string.h>

#include <gdk/x11/gdkx.h>

#include "vd-decision-dialog.h"
#include "vd-import-dialog.h"
#include "vd-item-detail-private.h"
#include "vd-item-source.h"
#include "vd-test-gui.h"

#define QUEUE "inbox"
#define THREAD "6f1c0a2e-thread"
#define INTERRUPT "b7e4-interrupt"

/* A LangGraph action as the langgraph reader makes it (see
 * /work/tasks/i15-design.md, "LangGraph source members"). */
static VdItem *
langgraph_item (guint       index,
                const char *casing,
                const char *name,
                const char *args)
{
  g_autofree char *task_id = g_strdup_printf ("lg:%s:%s:%u", THREAD, INTERRUPT, index);
  g_autoptr(JsonObject) source = json_object_new ();
  JsonObject *ids = json_object_new ();
  JsonArray *allowed = json_array_new ();
  VdItem *item = vd_item_new (QUEUE, task_id);

  vd_item_set_task_description (item, name);
  vd_item_set_content (item, args);
  vd_item_set_output_content_type (item, "application/json");
  vd_item_set_reasoning (item, "Tool execution pending approval");
  vd_item_clear_confidence (item);
  vd_item_set_escalation_reason (item, VD_ESCALATION_REASON_POLICY_REQUIRED);
  vd_item_set_escalation_detail (item,
                                 "LangGraph interrupt: the graph waits for a human decision");

  json_object_set_string_member (source, "format", "langgraph");
  json_object_set_string_member (source, "schema", "hitl-middleware");
  json_object_set_string_member (source, "casing", casing);
  json_object_set_string_member (ids, "thread_id", THREAD);
  json_object_set_string_member (ids, "interrupt_id", INTERRUPT);
  json_object_set_int_member (ids, "action_index", index);
  json_object_set_object_member (source, "ids", ids);
  json_object_set_string_member (source, "group", THREAD "/" INTERRUPT);
  json_object_set_int_member (source, "group_index", index);
  json_object_set_int_member (source, "group_size", 3);
  json_array_add_string_element (allowed, "approve");
  json_array_add_string_element (allowed, "reject");
  json_object_set_array_member (source, "allowed_decisions", allowed);
  vd_item_set_source (item, source);

  return item;
}

static GPtrArray *
langgraph_group (const char *casing)
{
  GPtrArray *items = g_ptr_array_new_with_free_func (g_object_unref);

  g_ptr_array_add (items, langgraph_item (0, casing, "search_flights",
                                          "{\n  \"from\": \"CDG\",\n  \"to\": \"JFK\"\n}"));
  g_ptr_array_add (items, langgraph_item (1, casing, "send_email",
                                          "{\n  \"to\": \"ops@example.com\",\n"
                                          "  \"subject\": \"Refund approved\",\n"
                                          "  \"body\": \"The refund of 412.50 EUR for booking "
                                          "QX7H2 was approved.\"\n}"));
  g_ptr_array_add (items, langgraph_item (2, casing, "issue_refund",
                                          "{\n  \"booking\": \"QX7H2\",\n"
                                          "  \"amount\": 412.5\n}"));

  return items;
}

static GtkWindow *
present_in_window (GtkWidget *widget,
                   int        width,
                   int        height)
{
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());

  gtk_window_set_default_size (window, width, height);
  gtk_window_set_child (window, widget);
  gtk_window_present (window);

  return window;
}

/* A row: a dash with "No confidence given", never 0.00. */
static void
test_row_no_confidence (void)
{
  g_autoptr(GPtrArray) group = langgraph_group ("python");
  g_autoptr(VdItem) plain = vd_item_new (QUEUE, "plain");
  VdItemRow *row = VD_ITEM_ROW (vd_item_row_new ());
  GtkWindow *window;
  GtkLabel *badge;

  g_object_ref_sink (row);
  vd_item_row_set_item (row, g_ptr_array_index (group, 1));
  window = present_in_window (g_object_ref (GTK_WIDGET (row)), 400, 80);

  WAIT_UNTIL (vd_test_find_label (GTK_WIDGET (row), "—") != NULL);
  badge = vd_test_find_label (GTK_WIDGET (row), "—");
  g_assert_cmpstr (gtk_widget_get_tooltip_text (GTK_WIDGET (badge)), ==, "No confidence given");
  g_assert_null (vd_test_find_label (GTK_WIDGET (row), "0.00"));

  /* The compact group marker. */
  g_assert_nonnull (vd_test_find_label (GTK_WIDGET (row), "LangGraph 2/3"));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (vd_test_find_label (GTK_WIDGET (row),
                                                                          "LangGraph 2/3"))));

  /* An item with a confidence reads as before, without a marker. */
  vd_item_set_confidence (plain, 0.0);
  vd_item_row_set_item (row, plain);
  WAIT_UNTIL (vd_test_find_label (GTK_WIDGET (row), "0.00") != NULL);
  g_assert_null (vd_test_find_label (GTK_WIDGET (row), "LangGraph 2/3"));

  gtk_window_destroy (window);
  g_object_unref (row);
  g_assert_finalize_object (row);
}

typedef struct
{
  GtkWindow    *window;
  VdItemDetail *detail;
} Pane;

static void
pane_open (Pane *pane)
{
  pane->detail = g_object_ref_sink (VD_ITEM_DETAIL (vd_item_detail_new ()));
  pane->window = present_in_window (GTK_WIDGET (pane->detail), 800, 900);
}

static void
pane_close (Pane *pane)
{
  VdItemDetail *detail = g_steal_pointer (&pane->detail);

  gtk_window_destroy (g_steal_pointer (&pane->window));
  g_assert_finalize_object (detail);
}

/* The pane: "No confidence given" and no level bar that reads as 0. */
static void
test_pane_no_confidence (void)
{
  g_autoptr(GPtrArray) group = langgraph_group ("python");
  Pane pane;
  GtkLabel *label;

  pane_open (&pane);
  vd_item_detail_set_item (pane.detail, g_ptr_array_index (group, 0));
  WAIT_UNTIL (g_strcmp0 (_vd_item_detail_get_visible_page (pane.detail), "item") == 0);

  label = _vd_item_detail_get_label (pane.detail, "confidence");
  g_assert_cmpstr (gtk_label_get_text (label), ==, "No confidence given");
  g_assert_false (gtk_widget_is_visible (GTK_WIDGET (_vd_item_detail_get_level_bar (pane.detail))));
  g_assert_null (vd_test_find_label (GTK_WIDGET (pane.detail), "0.00"));

  pane_close (&pane);
}

static void
sibling_activated_cb (VdItemSource  *source,
                      VdItem        *sibling,
                      VdItem       **out)
{
  g_set_object (out, sibling);
}

static GtkWidget *
find_row_with_title (GtkWidget  *root,
                     const char *title)
{
  g_autoptr(GPtrArray) rows = vd_test_find_widgets (root, ADW_TYPE_ACTION_ROW);

  for (guint i = 0; i < rows->len; i++)
    if (g_strcmp0 (adw_preferences_row_get_title (g_ptr_array_index (rows, i)), title) == 0)
      return g_ptr_array_index (rows, i);

  return NULL;
}

/* The source card: the tool, its ids, the decisions it accepts, the place
 * in the interrupt and the other actions, which select their item. */
static void
test_pane_group (void)
{
  g_autoptr(GPtrArray) group = langgraph_group ("python");
  g_autoptr(VdItem) activated = NULL;
  VdItemSource *source;
  GtkWidget *row;
  Pane pane;

  pane_open (&pane);
  vd_item_detail_set_item (pane.detail, g_ptr_array_index (group, 1));
  source = _vd_item_detail_get_source_view (pane.detail);
  WAIT_UNTIL (gtk_widget_is_visible (GTK_WIDGET (source)));

  g_assert_cmpstr (vd_item_source_get_text (source, "tool"), ==, "From LangGraph");
  g_assert_cmpstr (vd_item_source_get_text (source, "ids"), ==,
                   "thread_id " THREAD "\ninterrupt_id " INTERRUPT "\naction_index 1");
  g_assert_cmpstr (vd_item_source_get_text (source, "position"), ==,
                   "Action 2 of 3 in this interrupt");
  g_assert_cmpstr (vd_item_source_get_text (source, "allowed"), ==,
                   "LangGraph accepts only: Approve, Reject");
  /* Python's middleware keeps the approved actions: no warning. */
  g_assert_null (vd_item_source_get_text (source, "warning"));

  vd_item_source_set_siblings (source, group);
  g_assert_cmpuint (vd_item_source_get_n_siblings (source), ==, 3);
  g_assert_nonnull (find_row_with_title (GTK_WIDGET (source), "Action 1: search_flights"));
  g_assert_nonnull (find_row_with_title (GTK_WIDGET (source), "Action 2: send_email"));
  row = find_row_with_title (GTK_WIDGET (source), "Action 3: issue_refund");
  g_assert_nonnull (row);

  /* The shown action is listed but not offered. */
  g_assert_false (gtk_list_box_row_get_activatable (
    GTK_LIST_BOX_ROW (find_row_with_title (GTK_WIDGET (source), "Action 2: send_email"))));

  g_signal_connect (source, "sibling-activated", G_CALLBACK (sibling_activated_cb), &activated);
  g_signal_emit_by_name (row, "activate");
  WAIT_UNTIL (activated != NULL);
  g_assert_cmpstr (vd_item_get_task_id (activated), ==, "lg:" THREAD ":" INTERRUPT ":2");

  /* An item of a Verdict queue has no source card. */
  {
    g_autoptr(VdItem) plain = vd_item_new (QUEUE, "plain");

    vd_item_detail_set_item (pane.detail, plain);
    WAIT_UNTIL (!gtk_widget_get_visible (GTK_WIDGET (source)));
  }

  pane_close (&pane);
}

/* Rejecting one action of a multi-action interrupt from LangChain's
 * JavaScript middleware: said in the reject dialog and in the pane. */
static void
test_js_warning (void)
{
  g_autoptr(GPtrArray) js = langgraph_group ("javascript");
  g_autoptr(GPtrArray) py = langgraph_group ("python");
  VdDecisionDialog *dialog;
  const char *note;
  Pane pane;

  dialog = vd_decision_dialog_new (VD_DECISION_KIND_REJECT, g_ptr_array_index (js, 1));
  note = vd_decision_dialog_get_source_note (dialog);
  g_assert_nonnull (note);
  g_assert_nonnull (strstr (note, "JavaScript middleware drops the approved actions"));
  gtk_window_destroy (GTK_WINDOW (dialog));

  /* Not for Python's middleware, not for escalating. */
  dialog = vd_decision_dialog_new (VD_DECISION_KIND_REJECT, g_ptr_array_index (py, 1));
  g_assert_null (vd_decision_dialog_get_source_note (dialog));
  gtk_window_destroy (GTK_WINDOW (dialog));
  dialog = vd_decision_dialog_new (VD_DECISION_KIND_ESCALATE_FURTHER, g_ptr_array_index (js, 1));
  g_assert_null (vd_decision_dialog_get_source_note (dialog));
  gtk_window_destroy (GTK_WINDOW (dialog));

  pane_open (&pane);
  vd_item_detail_set_item (pane.detail, g_ptr_array_index (js, 0));
  WAIT_UNTIL (vd_item_source_get_text (_vd_item_detail_get_source_view (pane.detail),
                                       "warning") != NULL);
  pane_close (&pane);
}

/* The window */

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
  g_autoptr(GPtrArray) items = langgraph_group ("javascript");
  g_autoptr(GError) error = NULL;
  g_autofree char *db_path = NULL;
  VdImportResult result = { 0 };

  fixture->tmpdir = vd_test_make_tmp_dir ("test-window-sources");
  db_path = g_build_filename (fixture->tmpdir, "verdict.db", NULL);
  fixture->store = vd_test_open_store (db_path);

  /* The store of this branch keeps neither a missing confidence nor the
   * source: the items go in with a confidence and plain, and the test
   * gives the window's item what the reader would (give_source()). */
  for (guint i = 0; i < items->len; i++)
    {
      vd_item_set_confidence (g_ptr_array_index (items, i), 0.5);
      vd_item_set_source (g_ptr_array_index (items, i), NULL);
    }
  g_assert_true (vd_store_import_items (fixture->store, "test", items, &result, NULL, NULL, NULL,
                                        &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.imported, ==, 3);

  fixture->session = vd_test_session_new (fixture->store);
  fixture->window = g_object_ref (vd_window_new (NULL, fixture->session));
  gtk_window_present (GTK_WINDOW (fixture->window));
  WAIT_UNTIL (vd_test_window_shown_item (fixture->window) != NULL);
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

/* Whether the decision bar's button for @action can be pressed. */
static gboolean
sensitive (Fixture    *fixture,
           const char *action)
{
  g_autoptr(GPtrArray) buttons = vd_test_find_widgets (GTK_WIDGET (fixture->window),
                                                       GTK_TYPE_BUTTON);

  for (guint i = 0; i < buttons->len; i++)
    {
      GtkWidget *button = g_ptr_array_index (buttons, i);

      if (g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (button)), action) == 0 &&
          gtk_widget_get_mapped (button))
        return gtk_widget_is_sensitive (button);
    }

  g_assert_not_reached ();
}

/* An item of the window as the reader makes it: its source, and no
 * confidence. */
static void
give_item_source (VdItem *item)
{
  g_autoptr(GPtrArray) group = langgraph_group ("javascript");
  VdItem *same = NULL;

  for (guint i = 0; i < group->len; i++)
    if (vd_item_same_task (g_ptr_array_index (group, i), item))
      same = g_ptr_array_index (group, i);
  g_assert_nonnull (same);

  vd_item_set_source (item, vd_item_get_source (same));
  vd_item_clear_confidence (item);
}

static VdItem *
give_source (Fixture *fixture)
{
  VdItem *shown = vd_test_window_shown_item (fixture->window);

  give_item_source (shown);

  return shown;
}

/* A decision the source does not accept is disabled; the others and
 * Escalate stay. */
static void
test_window_allowed (Fixture       *fixture,
                     gconstpointer  data)
{
  WAIT_UNTIL (sensitive (fixture, "win.modify"));
  g_assert_true (sensitive (fixture, "win.approve"));
  g_assert_true (sensitive (fixture, "win.reject"));

  give_source (fixture);
  WAIT_UNTIL (!sensitive (fixture, "win.modify"));
  g_assert_true (sensitive (fixture, "win.approve"));
  g_assert_true (sensitive (fixture, "win.reject"));
  g_assert_true (sensitive (fixture, "win.escalate"));

  /* The key does nothing either: no dialog opens. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.modify", NULL);
  for (guint i = 0; i < 10; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_null (vd_test_find_toplevel (VD_TYPE_DECISION_DIALOG));
}

/* The pane at the window's default size, saved as a PNG when
 * VERDICT_SCREENSHOT names a file (data/screenshots/langgraph-item.png). */
static void
save_screenshot (GtkWidget  *widget,
                 const char *path)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);

  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
}

static void
test_window_langgraph (Fixture       *fixture,
                       gconstpointer  data)
{
  VdItemDetail *detail = vd_test_window_child (fixture->window, "detail");
  g_autoptr(GPtrArray) group = langgraph_group ("javascript");
  const char *path = g_getenv ("VERDICT_SCREENSHOT");
  VdItemSource *source;

  /* The second action of the interrupt. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.next", NULL);
  WAIT_UNTIL (g_str_has_suffix (vd_item_get_task_id (vd_test_window_shown_item (fixture->window)),
                                ":1"));
  give_source (fixture);

  source = _vd_item_detail_get_source_view (detail);
  WAIT_UNTIL (gtk_widget_is_visible (GTK_WIDGET (source)));
  vd_item_source_set_siblings (source, group);
  g_assert_cmpstr (vd_item_source_get_text (source, "position"), ==,
                   "Action 2 of 3 in this interrupt");
  g_assert_nonnull (vd_item_source_get_text (source, "warning"));
  g_assert_cmpstr (gtk_label_get_text (_vd_item_detail_get_label (detail, "confidence")), ==,
                   "No confidence given");

  g_assert_nonnull (strstr (gtk_label_get_text (_vd_item_detail_get_label (detail, "source")),
                           "From LangGraph · Action 2 of 3 in this interrupt"));

  if (path != NULL)
    {
      GtkWidget *root = GTK_WIDGET (fixture->window);
      GListModel *items = G_LIST_MODEL (vd_test_window_items (fixture->window));
      gint64 frame;

      /* Every row as the reader makes it. */
      for (guint i = 0; i < g_list_model_get_n_items (items); i++)
        {
          g_autoptr(VdItem) item = g_list_model_get_item (items, i);

          if (vd_item_get_source (item) == NULL)
            give_item_source (item);
        }

      /* Focused, as a reviewer sees it, and the history read. */
      if (GDK_IS_X11_SURFACE (gtk_native_get_surface (GTK_NATIVE (root))))
        {
          g_autofree char *xid = g_strdup_printf (
            "%lu", (gulong) gdk_x11_surface_get_xid (gtk_native_get_surface (GTK_NATIVE (root))));
          const char *argv[] = { "xdotool", "windowfocus", "--sync", xid, NULL };

          if (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL,
                            NULL, NULL, NULL))
            WAIT_UNTIL (gtk_window_is_active (GTK_WINDOW (root)));
        }
      WAIT_UNTIL (!_vd_item_detail_get_loading (detail));

      /* The app's style sheet (the application loads it), and no page
       * still fading in. */
      {
        g_autoptr(GtkCssProvider) provider = gtk_css_provider_new ();

        gtk_css_provider_load_from_resource (provider, "/io/github/verdict/Verdict/style.css");
        gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                                    GTK_STYLE_PROVIDER (provider),
                                                    GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
      }
      WAIT_UNTIL (!gtk_stack_get_transition_running (
        vd_test_window_child (fixture->window, "main_stack")));

      /* Two painted frames after the last change. */
      frame = gdk_frame_clock_get_frame_counter (gtk_widget_get_frame_clock (root));
      gtk_widget_queue_draw (root);
      WAIT_UNTIL (gdk_frame_clock_get_frame_counter (gtk_widget_get_frame_clock (root)) >=
                  frame + 2);
      save_screenshot (root, path);
    }
}

/* The import dialog keeps the format and Argilla's field mapping. */
static void
test_import_format (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->tmpdir, "records.json", NULL);
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  VdImportDialog *dialog;
  g_autofree char *format = NULL;
  g_autofree char *field = NULL;
  g_autofree char *question = NULL;

  g_assert_true (g_file_set_contents (path, "{\"verdict_queue\": 1, \"queue\": \"q\"}\n", -1,
                                      &error));
  g_assert_no_error (error);
  file = g_file_new_for_path (path);

  dialog = vd_import_dialog_new (fixture->session, &file, 1, FALSE);
  g_assert_null (vd_import_dialog_get_format (dialog));

  g_object_set (dialog,
                "format", "argilla",
                "input-field", "prompt",
                "output-question", "response",
                NULL);
  g_object_get (dialog,
                "format", &format,
                "input-field", &field,
                "output-question", &question,
                NULL);
  g_assert_cmpstr (format, ==, "argilla");
  g_assert_cmpstr (field, ==, "prompt");
  g_assert_cmpstr (question, ==, "response");

  /* The mapping is Argilla's alone. */
  vd_import_dialog_set_format (dialog, "langgraph");
  g_assert_cmpstr (vd_import_dialog_get_format (dialog), ==, "langgraph");
  g_assert_null (vd_import_dialog_get_input_field (dialog));
  g_assert_null (vd_import_dialog_get_output_question (dialog));

  vd_import_dialog_set_format (dialog, NULL);
  g_assert_null (vd_import_dialog_get_format (dialog));

  gtk_window_destroy (GTK_WINDOW (dialog));
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("VERDICT_REVIEWER", "tester", TRUE);
  g_unsetenv ("VERDICT_LLM_URL");

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/window-sources/row-no-confidence", test_row_no_confidence);
  g_test_add_func ("/window-sources/pane-no-confidence", test_pane_no_confidence);
  g_test_add_func ("/window-sources/pane-group", test_pane_group);
  g_test_add_func ("/window-sources/js-warning", test_js_warning);
  g_test_add ("/window-sources/allowed-decisions", Fixture, NULL,
              fixture_setup, test_window_allowed, fixture_teardown);
  g_test_add ("/window-sources/langgraph-item", Fixture, NULL,
              fixture_setup, test_window_langgraph, fixture_teardown);
  g_test_add ("/window-sources/import-format", Fixture, NULL,
              fixture_setup, test_import_format, fixture_teardown);

  return g_test_run ();
}
