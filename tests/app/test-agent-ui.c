/* test-agent-ui.c: the agent's preferences page and the New Task dialog
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

#define G_LOG_DOMAIN "test-agent-ui"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "vd-agent-preferences-page.h"
#include "vd-application.h"
#include "vd-new-task-dialog.h"
#include "vd-test-llm-server.h"
#include "vd-test-gui.h"

#define NO_KEYRING "No keyring is available: an API key entered here is kept only until " \
                   "Verdict quits."

static gpointer
child (gpointer    widget,
       GType       type,
       const char *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (widget), type, name);

  g_assert_nonnull (object);

  return object;
}

static char *
buffer_text (GtkTextView *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);

  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static gboolean
buffer_has_prefix (GtkTextView *view,
                   const char  *prefix)
{
  g_autofree char *text = buffer_text (view);

  return g_str_has_prefix (text, prefix);
}

static GSettings *
fresh_settings (void)
{
  GSettings *settings = vd_application_new_settings ();
  const char * const keys[] = {
    "llm-endpoint", "llm-model", "llm-connect-timeout", "llm-idle-timeout", "llm-concurrency",
  };

  g_assert_nonnull (settings);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    g_settings_reset (settings, keys[i]);

  return settings;
}

static char *
closed_port_url (void)
{
  VdTestLlmServer *server = vd_test_llm_server_new ();
  char *url = g_strdup (vd_test_llm_server_get_base_url (server));

  vd_test_llm_server_free (server);

  return url;
}

/* The preferences page */

#define PAGE VD_TYPE_AGENT_PREFERENCES_PAGE

static void
test_preferences_page (void)
{
  g_autoptr(VdTestLlmServer) server = vd_test_llm_server_new ();
  g_autoptr(GSettings) gsettings = fresh_settings ();
  g_autoptr(VdLlmSettings) settings = NULL;
  g_autofree char *closed = closed_port_url ();
  g_autofree char *unreachable = NULL;
  GtkWindow *window;
  GtkWidget *page;
  AdwEntryRow *endpoint_row;
  AdwEntryRow *model_row;
  AdwPasswordEntryRow *key_row;
  AdwActionRow *key_status_row;
  AdwActionRow *connection_row;
  GtkWidget *remove_button, *test_button;
  GtkSpinButton *connect_spin, *idle_spin, *concurrency_spin;

  g_settings_set_string (gsettings, "llm-endpoint", vd_test_llm_server_get_base_url (server));
  settings = vd_llm_settings_new (gsettings);

  page = vd_agent_preferences_page_new (settings);
  g_assert_true (vd_agent_preferences_page_get_settings (VD_AGENT_PREFERENCES_PAGE (page)) ==
                 settings);
  g_assert_cmpstr (adw_preferences_page_get_title (ADW_PREFERENCES_PAGE (page)), ==, "Agent");
  g_assert_cmpstr (adw_preferences_page_get_icon_name (ADW_PREFERENCES_PAGE (page)), ==,
                   "network-server-symbolic");

  window = GTK_WINDOW (adw_preferences_window_new ());
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (window), ADW_PREFERENCES_PAGE (page));
  gtk_window_present (window);

  endpoint_row = child (page, PAGE, "endpoint_row");
  model_row = child (page, PAGE, "model_row");
  key_row = child (page, PAGE, "key_row");
  key_status_row = child (page, PAGE, "key_status_row");
  connection_row = child (page, PAGE, "connection_row");
  remove_button = child (page, PAGE, "key_remove_button");
  test_button = child (page, PAGE, "test_button");
  connect_spin = child (page, PAGE, "connect_timeout_spin");
  idle_spin = child (page, PAGE, "idle_timeout_spin");
  concurrency_spin = child (page, PAGE, "concurrency_spin");

  /* What is in use, shown. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (endpoint_row)), ==,
                   vd_test_llm_server_get_base_url (server));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (model_row)), ==, "gpt-oss:20b");
  g_assert_cmpfloat (gtk_spin_button_get_value (connect_spin), ==, 10);
  g_assert_cmpfloat (gtk_spin_button_get_value (idle_spin), ==, 120);
  g_assert_cmpfloat (gtk_spin_button_get_value (concurrency_spin), ==, 4);
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (endpoint_row)));

  WAIT_UNTIL (!vd_llm_settings_get_probing (settings) &&
              !vd_llm_settings_get_key_loading (settings));
  g_assert_cmpstr (adw_action_row_get_subtitle (connection_row), ==, "Reachable");
  g_assert_cmpstr (adw_action_row_get_subtitle (key_status_row), ==, "None. " NO_KEYRING);
  g_assert_false (gtk_widget_get_sensitive (remove_button));
  g_assert_true (gtk_widget_get_sensitive (test_button));

  /* Spin buttons write the settings through. */
  gtk_spin_button_set_value (connect_spin, 30);
  gtk_spin_button_set_value (idle_spin, 600);
  gtk_spin_button_set_value (concurrency_spin, 8);
  g_assert_cmpuint (vd_llm_settings_get_connect_timeout (settings), ==, 30);
  g_assert_cmpuint (vd_llm_settings_get_idle_timeout (settings), ==, 600);
  g_assert_cmpuint (vd_llm_settings_get_concurrency (settings), ==, 8);
  g_assert_cmpint (g_settings_get_int (gsettings, "llm-connect-timeout"), ==, 30);
  g_assert_cmpint (g_settings_get_int (gsettings, "llm-idle-timeout"), ==, 600);
  g_assert_cmpint (g_settings_get_int (gsettings, "llm-concurrency"), ==, 8);

  /* And a change made elsewhere shows. */
  g_settings_set_int (gsettings, "llm-concurrency", 3);
  WAIT_UNTIL (gtk_spin_button_get_value (concurrency_spin) == 3);

  /* The model, applied. */
  gtk_editable_set_text (GTK_EDITABLE (model_row), " llama3.1:8b ");
  g_signal_emit_by_name (model_row, "apply");
  g_assert_cmpstr (vd_llm_settings_get_model (settings), ==, "llama3.1:8b");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (model_row)), ==, "llama3.1:8b");

  /* A key: used at once, not shown again, kept for the session only. */
  gtk_editable_set_text (GTK_EDITABLE (key_row), "sk-page");
  g_signal_emit_by_name (key_row, "apply");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (key_row)), ==, "");
  g_assert_true (vd_llm_settings_get_has_api_key (settings));
  WAIT_UNTIL (g_strcmp0 (adw_action_row_get_subtitle (key_status_row),
                         "Set for this session. " NO_KEYRING) == 0);
  g_assert_true (gtk_widget_get_sensitive (remove_button));

  gtk_widget_activate (remove_button);
  WAIT_UNTIL (!vd_llm_settings_get_has_api_key (settings));
  WAIT_UNTIL (g_strcmp0 (adw_action_row_get_subtitle (key_status_row),
                         "None. " NO_KEYRING) == 0);
  g_assert_false (gtk_widget_get_sensitive (remove_button));

  /* Another endpoint, applied, then tested. */
  gtk_editable_set_text (GTK_EDITABLE (endpoint_row), closed);
  g_signal_emit_by_name (endpoint_row, "apply");
  g_assert_cmpstr (vd_llm_settings_get_endpoint (settings), ==, closed);
  {
    g_autofree char *stored = g_settings_get_string (gsettings, "llm-endpoint");

    g_assert_cmpstr (stored, ==, closed);
  }
  WAIT_UNTIL (!vd_llm_settings_get_probing (settings));
  WAIT_UNTIL (!gtk_widget_get_visible (GTK_WIDGET (child (page, PAGE, "connection_spinner"))));

  /* An edit in progress survives a probe. */
  gtk_editable_set_text (GTK_EDITABLE (model_row), "half-typ");
  gtk_widget_activate (test_button);
  WAIT_UNTIL (vd_llm_settings_get_probing (settings));
  g_assert_cmpstr (adw_action_row_get_subtitle (connection_row), ==, "Checking…");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (child (page, PAGE, "connection_spinner"))));
  g_assert_false (gtk_widget_get_sensitive (test_button));
  WAIT_UNTIL (!vd_llm_settings_get_probing (settings));
  unreachable = g_strdup_printf ("Not reachable. %s does not answer: ", closed);
  g_assert_true (g_str_has_prefix (adw_action_row_get_subtitle (connection_row), unreachable));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (child (page, PAGE, "connection_icon")),
                                           "error"));
  g_assert_true (gtk_widget_get_sensitive (test_button));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (model_row)), ==, "half-typ");
  g_assert_cmpstr (vd_llm_settings_get_model (settings), ==, "llama3.1:8b");

  /* No endpoint: nothing to test, no key to set. */
  gtk_editable_set_text (GTK_EDITABLE (endpoint_row), "");
  g_signal_emit_by_name (endpoint_row, "apply");
  g_assert_cmpstr (adw_action_row_get_subtitle (connection_row), ==,
                   "No endpoint: the agent is off");
  g_assert_false (gtk_widget_get_sensitive (test_button));
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (key_row)));

  /* The page lets go of everything. */
  g_object_ref (page);
  gtk_window_destroy (window);
  vd_agent_preferences_page_set_settings (VD_AGENT_PREFERENCES_PAGE (page), NULL);
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (endpoint_row)));
  g_assert_finalize_object (page);
  WAIT_UNTIL (!vd_llm_settings_get_probing (settings) &&
              !vd_llm_settings_get_key_loading (settings));
  g_assert_finalize_object (g_steal_pointer (&settings));
}

/* The New Task dialog, against the test server and a real store */

typedef struct
{
  VdTestLlmServer *server;
  char            *tmpdir;
  VdStore         *store;
  VdPolicy        *policy;
  VdLlmClient     *client;
  VdWorkflow      *workflow;
  GtkWindow       *parent;
  gpointer         dialog;    /* weak */

  gboolean         done;
  VdItem          *item;
  gboolean         show_in_queue;
  GError          *error;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db_path = NULL;
  g_autofree char *policy_path = g_build_filename (g_getenv ("VERDICT_SAMPLES"),
                                                  "policy.json", NULL);

  fixture->server = vd_test_llm_server_new ();
  fixture->tmpdir = vd_test_make_tmp_dir ("test-agent-ui");

  db_path = g_build_filename (fixture->tmpdir, "verdict.db", NULL);
  fixture->store = vd_test_open_store (db_path);

  /* The sample policy: threshold 0.7, 0.85 for the "payment" type. */
  fixture->policy = vd_policy_new_from_file (policy_path, &error);
  g_assert_no_error (error);

  fixture->client = vd_llm_client_new (vd_test_llm_server_get_base_url (fixture->server),
                                       "test-model");
  vd_llm_client_set_retry_base_ms (fixture->client, 10);
  fixture->workflow = vd_workflow_new (fixture->store, fixture->policy, fixture->client);

  fixture->parent = GTK_WINDOW (gtk_window_new ());
  gtk_window_present (fixture->parent);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  WAIT_UNTIL (vd_workflow_get_n_running (fixture->workflow) == 0);
  WAIT_UNTIL (g_list_model_get_n_items (gtk_window_get_toplevels ()) == 1);
  /* Freed once the request it made has come back. */
  WAIT_UNTIL (fixture->dialog == NULL);

  gtk_window_destroy (g_steal_pointer (&fixture->parent));
  g_clear_object (&fixture->item);
  g_clear_error (&fixture->error);
  g_assert_finalize_object (g_steal_pointer (&fixture->workflow));
  g_assert_finalize_object (g_steal_pointer (&fixture->client));
  g_assert_finalize_object (g_steal_pointer (&fixture->policy));
  g_assert_finalize_object (g_steal_pointer (&fixture->store));
  g_clear_pointer (&fixture->server, vd_test_llm_server_free);
  vd_test_remove_tree (fixture->tmpdir);
  g_clear_pointer (&fixture->tmpdir, g_free);
}

static void
run_done_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Fixture *fixture = user_data;

  g_assert_null (object);
  fixture->item = vd_new_task_dialog_run_finish (result, &fixture->show_in_queue,
                                                 &fixture->error);
  fixture->done = TRUE;
}

#define DIALOG VD_TYPE_NEW_TASK_DIALOG

/* Opens the dialog the way the window does and finds it. */
static VdNewTaskDialog *
open_dialog (Fixture      *fixture,
             GCancellable *cancellable)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  vd_new_task_dialog_run_async (fixture->parent, fixture->workflow, cancellable,
                                run_done_cb, fixture);

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (VD_IS_NEW_TASK_DIALOG (window))
        {
          g_assert_true (gtk_window_get_transient_for (window) == fixture->parent);
          g_assert_true (gtk_window_get_modal (window));
          g_assert_true (vd_new_task_dialog_get_workflow (VD_NEW_TASK_DIALOG (window)) ==
                         fixture->workflow);
          fixture->dialog = window;
          g_object_add_weak_pointer (G_OBJECT (window), &fixture->dialog);
          return VD_NEW_TASK_DIALOG (window);
        }
    }

  g_assert_not_reached ();
}

static void
fill_in (VdNewTaskDialog *dialog,
         const char      *queue,
         const char      *task_type,
         const char      *input,
         const char      *context)
{
  if (queue != NULL)
    gtk_editable_set_text (GTK_EDITABLE (child (dialog, DIALOG, "queue_row")), queue);
  gtk_editable_set_text (GTK_EDITABLE (child (dialog, DIALOG, "type_row")), task_type);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (child (dialog, DIALOG, "input_view")),
                            input, -1);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (child (dialog, DIALOG, "context_view")),
                            context, -1);
}

static gboolean
visible (VdNewTaskDialog *dialog,
         const char      *name)
{
  return gtk_widget_get_visible (GTK_WIDGET (child (dialog, DIALOG, name)));
}

static const char *
label_text (VdNewTaskDialog *dialog,
            const char      *name)
{
  return gtk_label_get_text (child (dialog, DIALOG, name));
}

static void
test_new_task_approved (Fixture       *fixture,
                        gconstpointer  data)
{
  const char *deltas[] = { "{\"content\": \"Refund ", "approved: the receipt shows $95.\", ",
                           "\"confidence\": 0.91, \"reasoning\": \"Receipt & amount <b>match</b>.\"}",
                           NULL };
  VdTestReply *reply = vd_test_reply_new_stream (deltas);
  VdNewTaskDialog *dialog;
  GtkTextView *output;
  GtkWidget *run_button;
  g_autoptr(VdItem) stored = NULL;
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *final = NULL;

  /* Slow enough to see the text arrive piece by piece. */
  vd_test_reply_set_chunk_delay (reply, 300);
  vd_test_llm_server_push (fixture->server, reply);

  dialog = open_dialog (fixture, NULL);
  output = child (dialog, DIALOG, "output_view");
  run_button = child (dialog, DIALOG, "run_button");

  /* Nothing to run yet; the queue has its default. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (dialog, DIALOG, "queue_row"))),
                   ==, "tasks");
  g_assert_false (gtk_widget_get_sensitive (run_button));
  g_assert_false (visible (dialog, "output_box"));
  g_assert_false (visible (dialog, "show_button"));

  fill_in (dialog, NULL, "refund", "Refund order 1182: customer says $95, invoice says $120.",
           "Receipt attached.");
  g_assert_true (gtk_widget_get_sensitive (run_button));

  /* Run: the output streams in while the agent writes. */
  gtk_widget_activate (run_button);
  WAIT_UNTIL (visible (dialog, "output_box"));
  g_assert_false (gtk_widget_get_sensitive (run_button));
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (child (dialog, DIALOG, "form_box"))));
  WAIT_UNTIL (buffer_has_prefix (output, "{\"content\": \"Refund "));
  g_assert_false (visible (dialog, "result_box"));
  g_assert_true (gtk_spinner_get_spinning (child (dialog, DIALOG, "spinner")));
  g_assert_cmpstr (label_text (dialog, "progress_label"), ==, "task_0001: the agent is writing…");
  WAIT_UNTIL (buffer_has_prefix (output, "{\"content\": \"Refund approved: the receipt"));
  g_assert_false (visible (dialog, "result_box"));

  /* Then what the policy made of it. */
  WAIT_UNTIL (visible (dialog, "result_box"));
  final = buffer_text (output);
  g_assert_cmpstr (final, ==, "Refund approved: the receipt shows $95.");
  g_assert_cmpstr (label_text (dialog, "outcome_label"), ==, "Auto-approved");
  g_assert_cmpstr (label_text (dialog, "confidence_label"), ==, "0.91");
  g_assert_cmpstr (label_text (dialog, "reasoning_label"), ==, "Receipt & amount <b>match</b>.");
  g_assert_false (gtk_label_get_use_markup (child (dialog, DIALOG, "reasoning_label")));
  g_assert_cmpstr (label_text (dialog, "progress_label"), ==,
                   "Stored as task_0001 in queue tasks");
  g_assert_false (gtk_spinner_get_spinning (child (dialog, DIALOG, "spinner")));
  g_assert_false (visible (dialog, "run_button"));
  g_assert_true (visible (dialog, "show_button"));
  g_assert_false (fixture->done);

  /* What the agent was asked. */
  body = vd_test_llm_server_dup_body (fixture->server, 0);
  g_assert_true (json_object_get_boolean_member (body, "stream"));
  g_assert_cmpstr (json_object_get_string_member (body, "model"), ==, "test-model");

  /* Stored, auto-approved. */
  stored = vd_store_get_item (fixture->store, "tasks", "task_0001", &error);
  g_assert_no_error (error);
  g_assert_cmpint (vd_item_get_status (stored), ==, VD_TASK_STATUS_APPROVED);
  g_assert_cmpstr (vd_item_get_content (stored), ==, "Refund approved: the receipt shows $95.");
  g_assert_cmpstr (vd_item_get_task_type (stored), ==, "refund");
  g_assert_cmpstr (vd_item_get_context (stored), ==, "Receipt attached.");
  g_assert_cmpstr (vd_item_get_task_description (stored), ==,
                   "Refund order 1182: customer says $95, invoice says $120.");

  /* Show in Queue answers with the item. */
  gtk_widget_activate (child (dialog, DIALOG, "show_button"));
  WAIT_UNTIL (fixture->done);
  g_assert_no_error (fixture->error);
  g_assert_nonnull (fixture->item);
  g_assert_true (fixture->show_in_queue);
  g_assert_cmpstr (vd_item_get_queue (fixture->item), ==, "tasks");
  g_assert_cmpstr (vd_item_get_task_id (fixture->item), ==, "task_0001");
}

static void
test_new_task_escalated (Fixture       *fixture,
                         gconstpointer  data)
{
  const char *deltas[] = { "{\"content\": \"Pay it.\", \"confidence\": 0.8, ",
                           "\"reasoning\": \"Looks right.\"}", NULL };
  g_autofree char *expected = NULL;
  VdNewTaskDialog *dialog;

  vd_test_llm_server_push (fixture->server, vd_test_reply_new_stream (deltas));
  dialog = open_dialog (fixture, NULL);
  fill_in (dialog, " payments ", "payment", "Pay invoice 7.", "");

  /* The action Ctrl+Enter is bound to. */
  gtk_widget_activate_action (GTK_WIDGET (dialog), "new-task.run", NULL);
  WAIT_UNTIL (visible (dialog, "result_box"));

  /* 0.8 is below the 0.85 threshold for payments. */
  expected = g_strdup_printf ("Queued for review: %s",
                              vd_escalation_reason_to_label (VD_ESCALATION_REASON_LOW_CONFIDENCE));
  g_assert_cmpstr (label_text (dialog, "outcome_label"), ==, expected);
  g_assert_cmpstr (label_text (dialog, "confidence_label"), ==, "0.80");
  g_assert_true (visible (dialog, "detail_label"));
  g_assert_cmpstr (label_text (dialog, "progress_label"), ==,
                   "Stored as task_0001 in queue payments");
  g_assert_cmpstr (gtk_button_get_label (child (dialog, DIALOG, "cancel_button")), ==, "_Close");

  /* Closing still answers with the item, without showing it. */
  gtk_widget_activate (child (dialog, DIALOG, "cancel_button"));
  WAIT_UNTIL (fixture->done);
  g_assert_no_error (fixture->error);
  g_assert_nonnull (fixture->item);
  g_assert_false (fixture->show_in_queue);
  g_assert_cmpint (vd_item_get_status (fixture->item), ==, VD_TASK_STATUS_PENDING);
  g_assert_cmpint (vd_item_get_escalation_reason (fixture->item), ==,
                   VD_ESCALATION_REASON_LOW_CONFIDENCE);
}

/* Cancel while the agent works: nothing is stored, the dialog answers NULL. */
static void
test_new_task_cancel (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  VdNewTaskDialog *dialog;

  vd_test_llm_server_push (fixture->server, vd_test_reply_new_hang ());
  dialog = open_dialog (fixture, NULL);
  fill_in (dialog, NULL, "", "Never answered.", "");
  gtk_widget_activate_action (GTK_WIDGET (dialog), "new-task.run", NULL);
  WAIT_UNTIL (vd_test_llm_server_get_n_requests (fixture->server) == 1);
  g_assert_cmpstr (label_text (dialog, "progress_label"), ==, "task_0001: waiting for the model…");

  gtk_widget_activate (child (dialog, DIALOG, "cancel_button"));
  WAIT_UNTIL (fixture->done);
  g_assert_no_error (fixture->error);
  g_assert_null (fixture->item);
  g_assert_false (fixture->show_in_queue);

  WAIT_UNTIL (vd_workflow_get_n_running (fixture->workflow) == 0);
  g_assert_null (vd_store_get_item (fixture->store, "tasks", "task_0001", &error));
  g_assert_error (error, VD_STORE_ERROR, VD_STORE_ERROR_NOT_FOUND);
}

/* Without an endpoint: the error shows and the form can be run again. */
static void
test_new_task_offline (Fixture       *fixture,
                       gconstpointer  data)
{
  VdNewTaskDialog *dialog;

  vd_workflow_set_client (fixture->workflow, NULL);
  dialog = open_dialog (fixture, NULL);
  fill_in (dialog, "q", "t", "Do it.", "");
  gtk_widget_activate_action (GTK_WIDGET (dialog), "new-task.run", NULL);
  WAIT_UNTIL (visible (dialog, "error_label"));

  g_assert_true (g_str_has_prefix (label_text (dialog, "error_label"),
                                   "The task could not be run: "));
  g_assert_false (visible (dialog, "result_box"));
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (child (dialog, DIALOG, "run_button"))));
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (child (dialog, DIALOG, "form_box"))));
  g_assert_cmpuint (vd_test_llm_server_get_n_requests (fixture->server), ==, 0);

  /* An empty queue cannot run. */
  gtk_editable_set_text (GTK_EDITABLE (child (dialog, DIALOG, "queue_row")), "  ");
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (child (dialog, DIALOG, "run_button"))));

  gtk_window_close (GTK_WINDOW (dialog));
  WAIT_UNTIL (fixture->done);
  g_assert_no_error (fixture->error);
  g_assert_null (fixture->item);
}

/* The caller's cancellable closes the dialog. */
static void
test_new_task_cancellable (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();

  open_dialog (fixture, cancellable);
  g_cancellable_cancel (cancellable);
  WAIT_UNTIL (fixture->done);
  g_assert_error (fixture->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (fixture->item);
}

/* With VERDICT_SHOW_NEW_TASK set, opens the dialog for a look (or a
 * screenshot) at a slow scripted server, until it is closed. */
static void
show_for_a_look (void)
{
  const char *deltas[] = {
    "{\"content\": \"Hold the refund. ", "The receipt shows $95.00, ",
    "but the customer claims $120.00; ", "ask for the second receipt before paying.\", ",
    "\"confidence\": 0.58, \"reasoning\": \"The amounts differ and only one receipt ",
    "is attached.\"}", NULL,
  };
  Fixture fixture = { 0 };
  VdTestReply *reply = vd_test_reply_new_stream (deltas);
  g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();
  VdNewTaskDialog *dialog;

  gtk_css_provider_load_from_resource (css, RESOURCE_PATH "/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                              GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);

  fixture_setup (&fixture, NULL);
  gtk_window_set_default_size (fixture.parent, 1000, 800);
  vd_test_reply_set_chunk_delay (reply, 700);
  vd_test_llm_server_push (fixture.server, reply);

  dialog = open_dialog (&fixture, NULL);
  fill_in (dialog, "refunds", "refund",
           "Refund order 1182: the customer says they paid $120.00 and asks for the money "
           "back; the receipt attached shows $95.00.",
           "Customer since 2019, two refunds this year.");
  if (g_strcmp0 (g_getenv ("VERDICT_SHOW_NEW_TASK"), "run") == 0)
    gtk_widget_activate_action (GTK_WIDGET (dialog), "new-task.run", NULL);

  while (!fixture.done)
    g_main_context_iteration (NULL, TRUE);
}

/* With VERDICT_SHOW_AGENT_PREFERENCES set, shows the page in a preferences
 * window, until it is closed. */
static void
show_preferences_for_a_look (void)
{
  g_autoptr(VdTestLlmServer) server = vd_test_llm_server_new ();
  g_autoptr(GSettings) gsettings = fresh_settings ();
  g_autoptr(VdLlmSettings) settings = NULL;
  GtkWindow *window;

  g_settings_set_string (gsettings, "llm-endpoint", vd_test_llm_server_get_base_url (server));
  settings = vd_llm_settings_new (gsettings);
  window = GTK_WINDOW (adw_preferences_window_new ());
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (window),
                              ADW_PREFERENCES_PAGE (vd_agent_preferences_page_new (settings)));
  gtk_window_set_default_size (window, 640, 760);
  gtk_window_present (window);

  while (g_list_model_get_n_items (gtk_window_get_toplevels ()) > 0)
    g_main_context_iteration (NULL, TRUE);
}

int
main (int   argc,
      char *argv[])
{
  /* No Secret Service, whatever runs on this machine. */
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/verdict-test-bus", TRUE);
  g_unsetenv ("VERDICT_LLM_URL");
  g_unsetenv ("VERDICT_LLM_MODEL");

  /* Generous: the sanitizer builds are slow. */
  vd_test_deadline_seconds = 30;

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  if (g_getenv ("VERDICT_SHOW_NEW_TASK") != NULL)
    {
      show_for_a_look ();
      return 0;
    }

  if (g_getenv ("VERDICT_SHOW_AGENT_PREFERENCES") != NULL)
    {
      show_preferences_for_a_look ();
      return 0;
    }

  g_test_add_func ("/agent-ui/preferences-page", test_preferences_page);
  g_test_add ("/agent-ui/new-task/approved", Fixture, NULL,
              fixture_setup, test_new_task_approved, fixture_teardown);
  g_test_add ("/agent-ui/new-task/escalated", Fixture, NULL,
              fixture_setup, test_new_task_escalated, fixture_teardown);
  g_test_add ("/agent-ui/new-task/cancel", Fixture, NULL,
              fixture_setup, test_new_task_cancel, fixture_teardown);
  g_test_add ("/agent-ui/new-task/offline", Fixture, NULL,
              fixture_setup, test_new_task_offline, fixture_teardown);
  g_test_add ("/agent-ui/new-task/cancellable", Fixture, NULL,
              fixture_setup, test_new_task_cancellable, fixture_teardown);

  return g_test_run ();
}
