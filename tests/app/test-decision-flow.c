/* test-decision-flow.c: the decision flow without slips
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

/* Toasts clear of the decision bar, dialogs that say what they require
 * and quote the output, the rating apart from the decisions, and the
 * keyboard: the name prompt resumes its decision, j and the arrows move
 * one selection, Undo and Escape bring the focus to the selected row. Real
 * key events through xdotool where the keys themselves are the point. */

#include "config.h"

#include <gdk/x11/gdkx.h>

#include "vd-application.h"
#include "vd-decision-dialog.h"
#include "vd-feedback-input.h"
#include "vd-item-row.h"
#include "vd-reviewer-dialog.h"
#include "vd-test-gui.h"

#define REVIEWER "tester"
#define QUEUE "flow"
#define N_ITEMS 5

typedef struct
{
  char      *tmpdir;
  VdStore   *store;
  VdSession *session;
  VdWindow  *window;
} Fixture;

static gboolean have_xdotool;

/* Items t0 … t4, in this order in the list (lowest confidence first). */
static void
add_items (VdStore *store)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  VdImportResult result = { 0 };

  for (guint i = 0; i < N_ITEMS; i++)
    {
      g_autofree char *task_id = g_strdup_printf ("t%u", i);
      g_autofree char *content = g_strdup_printf ("Output number %u of the agent.", i);
      VdItem *item = vd_item_new (QUEUE, task_id);

      vd_item_set_task_description (item, "Answer the customer.");
      vd_item_set_content (item, content);
      vd_item_set_confidence (item, 0.1 + i * 0.1);
      vd_item_set_escalation_reason (item, VD_ESCALATION_REASON_LOW_CONFIDENCE);
      g_ptr_array_add (items, item);
    }

  g_assert_true (vd_store_import_items (store, "test", items, &result, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.imported, ==, N_ITEMS);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *db_path = NULL;

  fixture->tmpdir = vd_test_make_tmp_dir ("test-decision-flow");
  db_path = g_build_filename (fixture->tmpdir, "verdict.db", NULL);
  fixture->store = vd_test_open_store (db_path);
  add_items (fixture->store);
  fixture->session = vd_test_session_new (fixture->store);

  fixture->window = g_object_ref (vd_window_new (NULL, fixture->session));
  gtk_window_present (GTK_WINDOW (fixture->window));
  WAIT_UNTIL (vd_test_window_shown_item (fixture->window) != NULL &&
              vd_test_window_items (fixture->window) != NULL &&
              g_list_model_get_n_items (G_LIST_MODEL (vd_test_window_items (fixture->window))) ==
              N_ITEMS);
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

static GtkWidget *
child (Fixture    *fixture,
       const char *id)
{
  return vd_test_window_child (fixture->window, id);
}

static VdItem *
shown_item (Fixture *fixture)
{
  return vd_test_window_shown_item (fixture->window);
}

static const char *
shown_task (Fixture *fixture)
{
  VdItem *item = shown_item (fixture);

  return item != NULL ? vd_item_get_task_id (item) : NULL;
}

static guint
selected (Fixture *fixture)
{
  return vd_test_window_selected (fixture->window);
}

static const char *
selected_task (Fixture *fixture)
{
  GtkSelectionModel *model = gtk_list_view_get_model (GTK_LIST_VIEW (child (fixture,
                                                                            "list_view")));
  VdItem *item = gtk_single_selection_get_selected_item (GTK_SINGLE_SELECTION (model));

  return item != NULL ? vd_item_get_task_id (item) : NULL;
}

/* The task of the row that has the keyboard focus, NULL when no row has. */
static const char *
focused_task (Fixture *fixture)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (fixture->window));
  GtkWidget *row = NULL;
  VdItem *item;

  if (focus == NULL || !gtk_widget_is_ancestor (focus, child (fixture, "list_view")))
    return NULL;

  if (VD_IS_ITEM_ROW (focus))
    row = focus;
  else if (gtk_widget_get_first_child (focus) != NULL &&
           VD_IS_ITEM_ROW (gtk_widget_get_first_child (focus)))
    row = gtk_widget_get_first_child (focus);
  else
    row = gtk_widget_get_ancestor (focus, VD_TYPE_ITEM_ROW);

  if (row == NULL || (item = vd_item_row_get_item (VD_ITEM_ROW (row))) == NULL)
    return NULL;

  return vd_item_get_task_id (item);
}

static gboolean
focus_on_selected_row (Fixture *fixture)
{
  return selected_task (fixture) != NULL &&
         g_strcmp0 (focused_task (fixture), selected_task (fixture)) == 0;
}

static GPtrArray *
decisions_of (Fixture    *fixture,
              const char *task_id)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *decisions = vd_store_list_decisions (fixture->store, QUEUE, task_id, &error);

  g_assert_no_error (error);

  return decisions;
}

static guint
n_decisions (Fixture    *fixture,
             const char *task_id)
{
  g_autoptr(GPtrArray) decisions = decisions_of (fixture, task_id);

  return decisions->len;
}

/* Real key events */

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

/* Sends @keys (xdotool names, space separated) to @widget's window, once
 * GTK has seen that window become active. */
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

  focus[2] = xid;
  run_xdotool (focus);
  if (GTK_IS_WINDOW (native))
    WAIT_UNTIL (gtk_window_is_active (GTK_WINDOW (native)));

  g_strv_builder_add_many (builder, "key", "--delay", "40", NULL);
  g_strv_builder_addv (builder, (const char **) split);
  key = g_strv_builder_end (builder);
  run_xdotool ((const char **) key);
}

static gboolean
need_xdotool (void)
{
  if (!have_xdotool)
    g_test_skip ("xdotool is needed to send real key events");

  return have_xdotool;
}

/* The list has the keyboard focus on its selected row (as at start). */
static void
wait_list_focus (Fixture *fixture)
{
  WAIT_UNTIL (focus_on_selected_row (fixture));
}

/* Toasts */

static gboolean
rects_intersect (const graphene_rect_t *a,
                 const graphene_rect_t *b)
{
  graphene_rect_t both;

  return graphene_rect_intersection (a, b, &both) &&
         both.size.width > 0.5f && both.size.height > 0.5f;
}

static GtkWidget *
find_toast (Fixture *fixture)
{
  GType type = g_type_from_name ("AdwToastWidget");
  g_autoptr(GPtrArray) toasts = NULL;

  if (type == G_TYPE_INVALID)
    return NULL;

  toasts = vd_test_find_widgets (GTK_WIDGET (fixture->window), type);
  for (guint i = 0; i < toasts->len; i++)
    if (gtk_widget_get_mapped (g_ptr_array_index (toasts, i)))
      return g_ptr_array_index (toasts, i);

  return NULL;
}

/* After a decision the Undo toast shows, but never over the decision
 * bar; Ctrl+Z (win.undo) still takes the decision back. */
static void
test_flow_toast (Fixture       *fixture,
                 gconstpointer  data)
{
  GtkWidget *window = GTK_WIDGET (fixture->window);
  GtkWidget *bar = child (fixture, "decision_bar");
  graphene_rect_t bar_bounds, toast_bounds;
  GtkWidget *toast;
  gint64 end;

  g_assert_cmpstr (shown_task (fixture), ==, "t0");
  g_assert_true (gtk_widget_activate_action (window, "win.approve", NULL));
  WAIT_UNTIL ((toast = find_toast (fixture)) != NULL && gtk_widget_get_height (toast) > 0);
  WAIT_UNTIL (n_decisions (fixture, "t0") == 1 && !vd_test_window_busy (fixture->window));

  /* Through its slide in and after. */
  end = g_get_monotonic_time () + 600 * G_TIME_SPAN_MILLISECOND;
  do
    {
      g_assert_true (gtk_widget_compute_bounds (bar, window, &bar_bounds));
      g_assert_true (gtk_widget_compute_bounds (toast, window, &toast_bounds));
      g_assert_false (rects_intersect (&bar_bounds, &toast_bounds));
      vd_test_iterate_for (20);
    }
  while (g_get_monotonic_time () < end);

  g_assert_true (gtk_widget_activate_action (window, "win.undo", NULL));
  WAIT_UNTIL (g_strcmp0 (shown_task (fixture), "t0") == 0 &&
              vd_item_is_undecided (shown_item (fixture)));
}

/* Dialogs */

static VdDecisionDialog *
wait_dialog (VdDecisionKind kind)
{
  VdDecisionDialog *dialog;

  WAIT_UNTIL ((dialog = vd_test_find_toplevel (VD_TYPE_DECISION_DIALOG)) != NULL &&
              gtk_widget_get_mapped (GTK_WIDGET (dialog)));
  g_assert_cmpint (vd_decision_dialog_get_kind (dialog), ==, kind);

  return dialog;
}

/* Reject says in its placeholder that feedback is required, quotes the
 * output, and on an empty confirm says why and goes back to the text. */
static void
test_flow_reject_dialog (Fixture       *fixture,
                         gconstpointer  data)
{
  GtkWidget *window = GTK_WIDGET (fixture->window);
  VdDecisionDialog *dialog;
  GtkWidget *focus;

  g_assert_true (gtk_widget_activate_action (window, "win.reject", NULL));
  dialog = wait_dialog (VD_DECISION_KIND_REJECT);

  g_assert_cmpstr (vd_decision_dialog_get_placeholder (dialog), ==,
                   "Tell the agent what to fix (required)");
  g_assert_cmpstr (vd_decision_dialog_get_quoted_output (dialog), ==,
                   "Output number 0 of the agent.");
  /* The rating is not asked here. */
  g_assert_false (gtk_widget_get_visible (
    GTK_WIDGET (vd_decision_dialog_get_feedback_input (dialog))));
  g_assert_null (vd_decision_dialog_get_error (dialog));

  /* An empty confirm (the button's action) says why. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "dialog.confirm", NULL));
  g_assert_nonnull (vd_decision_dialog_get_error (dialog));
  g_assert_true (g_str_has_prefix (vd_decision_dialog_get_error (dialog), "Feedback is required"));
  focus = gtk_window_get_focus (GTK_WINDOW (dialog));
  g_assert_true (GTK_IS_TEXT_VIEW (focus));
  g_assert_nonnull (vd_test_find_toplevel (VD_TYPE_DECISION_DIALOG));
  g_assert_cmpuint (n_decisions (fixture, "t0"), ==, 0);

  /* Typing clears it; the decision goes through. */
  gtk_text_buffer_set_text (vd_decision_dialog_get_buffer (dialog), "Cite the order number.", -1);
  g_assert_null (vd_decision_dialog_get_error (dialog));

  if (have_xdotool)
    {
      /* Ctrl+Enter with nothing written says why as well. */
      gtk_text_buffer_set_text (vd_decision_dialog_get_buffer (dialog), "", -1);
      send_keys (GTK_WIDGET (dialog), "ctrl+Return");
      WAIT_UNTIL (vd_decision_dialog_get_error (dialog) != NULL);
      send_keys (GTK_WIDGET (dialog), "F i x");
      WAIT_UNTIL (vd_decision_dialog_get_error (dialog) == NULL);
    }

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "dialog.confirm", NULL));
  WAIT_UNTIL (vd_test_find_toplevel (VD_TYPE_DECISION_DIALOG) == NULL);
  WAIT_UNTIL (n_decisions (fixture, "t0") == 1 && !vd_test_window_busy (fixture->window));

  /* Escalate asks for its reason the same way. */
  WAIT_UNTIL (gtk_widget_is_sensitive (child (fixture, "approve_button")));
  g_assert_true (gtk_widget_activate_action (window, "win.escalate", NULL));
  dialog = wait_dialog (VD_DECISION_KIND_ESCALATE_FURTHER);
  g_assert_true (g_str_has_suffix (vd_decision_dialog_get_placeholder (dialog), "(required)"));
  g_assert_nonnull (vd_decision_dialog_get_quoted_output (dialog));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "dialog.confirm", NULL));
  g_assert_nonnull (vd_decision_dialog_get_error (dialog));
  gtk_window_close (GTK_WINDOW (dialog));
  WAIT_UNTIL (vd_test_find_toplevel (VD_TYPE_DECISION_DIALOG) == NULL);
}

/* The rating */

/* A compact control in the item's header bar, apart from the decisions:
 * what it says goes with the next decision, and it starts anew per item. */
static void
test_flow_rating (Fixture       *fixture,
                  gconstpointer  data)
{
  GtkWidget *window = GTK_WIDGET (fixture->window);
  VdFeedbackInput *rating = VD_FEEDBACK_INPUT (child (fixture, "feedback_input"));
  g_autoptr(GPtrArray) decisions = NULL;
  VdDecision *decision;

  g_assert_nonnull (gtk_widget_get_ancestor (GTK_WIDGET (rating), ADW_TYPE_HEADER_BAR));
  g_assert_false (gtk_widget_is_ancestor (GTK_WIDGET (rating), child (fixture, "decision_bar")));
  g_assert_cmpint (vd_feedback_input_get_helpful (rating), ==, VD_HELPFUL_UNSET);

  if (have_xdotool)
    {
      g_autoptr(GPtrArray) popovers = vd_test_find_widgets (GTK_WIDGET (rating),
                                                            GTK_TYPE_POPOVER);
      GtkWidget *popover;

      g_assert_cmpuint (popovers->len, >, 0);
      popover = g_ptr_array_index (popovers, 0);

      /* h opens it. */
      wait_list_focus (fixture);
      send_keys (window, "h");
      WAIT_UNTIL (gtk_widget_get_mapped (popover));
      gtk_popover_popdown (GTK_POPOVER (popover));
      WAIT_UNTIL (!gtk_widget_get_mapped (popover));
    }

  vd_feedback_input_set_helpful (rating, VD_HELPFUL_NO);
  vd_feedback_input_set_category (rating, "tone");

  g_assert_true (gtk_widget_activate_action (window, "win.approve", NULL));
  WAIT_UNTIL (n_decisions (fixture, "t0") == 1 && !vd_test_window_busy (fixture->window));
  decisions = decisions_of (fixture, "t0");
  decision = g_ptr_array_index (decisions, 0);
  g_assert_cmpint (vd_decision_get_helpful (decision), ==, VD_HELPFUL_NO);
  g_assert_cmpstr (vd_decision_get_category (decision), ==, "tone");

  WAIT_UNTIL (g_strcmp0 (shown_task (fixture), "t1") == 0);
  g_assert_cmpint (vd_feedback_input_get_helpful (rating), ==, VD_HELPFUL_UNSET);
  g_assert_null (vd_feedback_input_dup_category (rating));
}

/* Keyboard slips */

/* The name prompt that a decision opened resumes that decision. */
static void
test_flow_name_prompt (void)
{
  g_autofree char *tmpdir = vd_test_make_tmp_dir ("test-decision-flow-name");
  g_autofree char *db_path = g_build_filename (tmpdir, "verdict.db", NULL);
  g_autoptr(GSettings) settings = vd_application_new_settings ();
  VdReviewerDialog *dialog;
  Fixture fixture = { 0 };
  VdDecisionDialog *reject;

  g_settings_reset (settings, "reviewer-id");
  g_unsetenv ("VERDICT_REVIEWER");

  fixture.store = vd_test_open_store (db_path);
  add_items (fixture.store);
  fixture.session = vd_test_session_new (fixture.store);
  fixture.window = g_object_ref (vd_window_new (NULL, fixture.session));
  gtk_window_present (GTK_WINDOW (fixture.window));
  WAIT_UNTIL (shown_item (&fixture) != NULL);

  /* The prompt of the first start, answered; then the name is gone again
   * (reset in Preferences, say). */
  WAIT_UNTIL ((dialog = vd_test_find_toplevel (VD_TYPE_REVIEWER_DIALOG)) != NULL);
  gtk_editable_set_text (vd_reviewer_dialog_get_entry (dialog), "zed");
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "continue");
  gtk_window_close (GTK_WINDOW (dialog));
  WAIT_UNTIL (g_strcmp0 (vd_session_get_reviewer_id (fixture.session), "zed") == 0);
  WAIT_UNTIL (vd_test_find_toplevel (VD_TYPE_REVIEWER_DIALOG) == NULL);
  g_settings_reset (settings, "reviewer-id");
  WAIT_UNTIL (vd_session_get_reviewer_id (fixture.session) == NULL);
  g_assert_cmpuint (n_decisions (&fixture, "t0"), ==, 0);

  /* a: the prompt; once the name is saved, the approval goes on. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture.window), "win.approve", NULL));
  WAIT_UNTIL ((dialog = vd_test_find_toplevel (VD_TYPE_REVIEWER_DIALOG)) != NULL);
  g_assert_cmpuint (n_decisions (&fixture, "t0"), ==, 0);
  gtk_editable_set_text (vd_reviewer_dialog_get_entry (dialog), "alice");
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "continue");
  gtk_window_close (GTK_WINDOW (dialog));
  WAIT_UNTIL (n_decisions (&fixture, "t0") == 1 && !vd_test_window_busy (fixture.window));
  {
    g_autoptr(GPtrArray) decisions = decisions_of (&fixture, "t0");
    VdDecision *decision = g_ptr_array_index (decisions, 0);

    g_assert_cmpint (vd_decision_get_kind (decision), ==, VD_DECISION_KIND_APPROVE);
    g_assert_cmpstr (vd_decision_get_reviewer_id (decision), ==, "alice");
  }

  /* r without a name: the prompt, then the reject dialog. */
  g_settings_reset (settings, "reviewer-id");
  WAIT_UNTIL (vd_session_get_reviewer_id (fixture.session) == NULL &&
              g_strcmp0 (shown_task (&fixture), "t1") == 0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture.window), "win.reject", NULL));
  WAIT_UNTIL ((dialog = vd_test_find_toplevel (VD_TYPE_REVIEWER_DIALOG)) != NULL);
  gtk_editable_set_text (vd_reviewer_dialog_get_entry (dialog), "bob");
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "continue");
  gtk_window_close (GTK_WINDOW (dialog));
  reject = wait_dialog (VD_DECISION_KIND_REJECT);
  g_assert_cmpstr (vd_decision_dialog_get_quoted_output (reject), ==,
                   "Output number 1 of the agent.");
  gtk_window_close (GTK_WINDOW (reject));
  WAIT_UNTIL (vd_test_find_toplevel (VD_TYPE_DECISION_DIALOG) == NULL);

  fixture.tmpdir = g_steal_pointer (&tmpdir);
  fixture_teardown (&fixture, NULL);
  g_settings_reset (settings, "reviewer-id");
  g_setenv ("VERDICT_REVIEWER", REVIEWER, TRUE);
}

/* j, then Down: two rows on, the focus ring on the selected row. */
static void
test_flow_j_then_down (Fixture       *fixture,
                       gconstpointer  data)
{
  GtkWidget *window = GTK_WIDGET (fixture->window);

  if (!need_xdotool ())
    return;

  wait_list_focus (fixture);
  g_assert_cmpuint (selected (fixture), ==, 0);

  send_keys (window, "j");
  WAIT_UNTIL (selected (fixture) == 1);
  WAIT_UNTIL (focus_on_selected_row (fixture));

  send_keys (window, "Down");
  WAIT_UNTIL (selected (fixture) == 2);
  WAIT_UNTIL (g_strcmp0 (shown_task (fixture), "t2") == 0);
  WAIT_UNTIL (focus_on_selected_row (fixture));

  /* And back: k, then Up. */
  send_keys (window, "k");
  WAIT_UNTIL (selected (fixture) == 1);
  send_keys (window, "Up");
  WAIT_UNTIL (selected (fixture) == 0);
  WAIT_UNTIL (focus_on_selected_row (fixture));
}

/* After Undo the undone item is selected and its row has the focus. */
static void
test_flow_undo_focus (Fixture       *fixture,
                      gconstpointer  data)
{
  GtkWidget *window = GTK_WIDGET (fixture->window);

  if (!need_xdotool ())
    return;

  wait_list_focus (fixture);
  send_keys (window, "j");
  WAIT_UNTIL (g_strcmp0 (shown_task (fixture), "t1") == 0 && focus_on_selected_row (fixture));

  send_keys (window, "a");
  WAIT_UNTIL (n_decisions (fixture, "t1") == 1 && !vd_test_window_busy (fixture->window));
  WAIT_UNTIL (g_strcmp0 (shown_task (fixture), "t2") == 0);

  send_keys (window, "ctrl+z");
  WAIT_UNTIL (g_strcmp0 (selected_task (fixture), "t1") == 0 &&
              g_strcmp0 (shown_task (fixture), "t1") == 0 &&
              vd_item_is_undecided (shown_item (fixture)));
  WAIT_UNTIL (focus_on_selected_row (fixture));

  /* The arrows go on from there. */
  send_keys (window, "Down");
  WAIT_UNTIL (g_strcmp0 (selected_task (fixture), "t2") == 0 && focus_on_selected_row (fixture));
}

/* A text field of the window other than the search entry, outside
 * popovers. */
static GtkWidget *
find_text_field (Fixture *fixture)
{
  GType types[] = { GTK_TYPE_TEXT, GTK_TYPE_TEXT_VIEW };

  for (guint t = 0; t < G_N_ELEMENTS (types); t++)
    {
      g_autoptr(GPtrArray) fields = vd_test_find_widgets (child (fixture, "detail"), types[t]);

      for (guint i = 0; i < fields->len; i++)
        {
          GtkWidget *field = g_ptr_array_index (fields, i);

          if (gtk_widget_get_mapped (field) && gtk_widget_get_focusable (field) &&
              (!GTK_IS_TEXT_VIEW (field) || gtk_text_view_get_editable (GTK_TEXT_VIEW (field))) &&
              (!GTK_IS_TEXT (field) || gtk_editable_get_editable (GTK_EDITABLE (field))) &&
              gtk_widget_get_ancestor (field, GTK_TYPE_POPOVER) == NULL)
            return field;
        }
    }

  return NULL;
}

/* Escape in a text field returns to the list: the next key decides. */
static void
test_flow_escape (Fixture       *fixture,
                  gconstpointer  data)
{
  GtkWidget *window = GTK_WIDGET (fixture->window);
  GtkWidget *field;

  /* The action exists by this name: other widgets call it. */
  wait_list_focus (fixture);
  gtk_widget_grab_focus (child (fixture, "search_entry"));
  WAIT_UNTIL (focused_task (fixture) == NULL);
  g_assert_true (gtk_widget_activate_action (window, "win.focus-list", NULL));
  WAIT_UNTIL (focus_on_selected_row (fixture));

  if (!need_xdotool ())
    return;

  field = find_text_field (fixture);
  if (field == NULL)
    {
      g_test_skip ("The item pane has no text field");
      return;
    }

  gtk_widget_grab_focus (field);
  WAIT_UNTIL (gtk_root_get_focus (GTK_ROOT (window)) == field ||
              gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (window)), field));
  send_keys (window, "Escape");
  WAIT_UNTIL (focus_on_selected_row (fixture));

  send_keys (window, "a");
  WAIT_UNTIL (n_decisions (fixture, "t0") == 1 && !vd_test_window_busy (fixture->window));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *xdotool = NULL;

  g_setenv ("VERDICT_REVIEWER", REVIEWER, TRUE);
  g_unsetenv ("VERDICT_LLM_URL");

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  xdotool = g_find_program_in_path ("xdotool");
  have_xdotool = xdotool != NULL && GDK_IS_X11_DISPLAY (gdk_display_get_default ());

  g_test_add ("/decision-flow/toast", Fixture, NULL,
              fixture_setup, test_flow_toast, fixture_teardown);
  g_test_add ("/decision-flow/reject-dialog", Fixture, NULL,
              fixture_setup, test_flow_reject_dialog, fixture_teardown);
  g_test_add ("/decision-flow/rating", Fixture, NULL,
              fixture_setup, test_flow_rating, fixture_teardown);
  g_test_add_func ("/decision-flow/name-prompt", test_flow_name_prompt);
  g_test_add ("/decision-flow/j-then-down", Fixture, NULL,
              fixture_setup, test_flow_j_then_down, fixture_teardown);
  g_test_add ("/decision-flow/undo-focus", Fixture, NULL,
              fixture_setup, test_flow_undo_focus, fixture_teardown);
  g_test_add ("/decision-flow/escape", Fixture, NULL,
              fixture_setup, test_flow_escape, fixture_teardown);

  return g_test_run ();
}
