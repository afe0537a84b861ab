/* test-window-agent.c
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

#define G_LOG_DOMAIN "test-window-agent"

#include "config.h"

#define G_SETTINGS_ENABLE_BACKEND
#include <gio/gsettingsbackend.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "vd-application.h"
#include "vd-decision-dialog.h"
#include "vd-item-detail.h"
#include "vd-new-task-dialog.h"
#include "vd-agent-banner.h"
#include "vd-test-llm-server.h"
#include "vd-test-gui.h"

#define REVIEWER "tester"
#define QUEUE "payments"
#define TASK_ID "task_0001"
#define FEEDBACK "Keep the $10 shipping fee."

/* The window with the agent: a real store in a temp dir, the test LLM
 * server, and the session's workflow between them. */
typedef struct
{
  char            *tmpdir;
  VdStore         *store;
  VdTestLlmServer *server;
  GSettings       *gsettings;
  VdSession       *session;
  VdLlmSettings   *llm_settings;  /* the session's */
  VdWorkflow      *workflow;      /* the session's */
  VdWindow        *window;
  guint            n_probes;  /* the requests of the first probe */
} Fixture;

static void
add_item (VdStore    *store,
          const char *task_id)
{
  g_autoptr(VdItem) item = vd_item_new (QUEUE, task_id);
  g_autoptr(GPtrArray) items = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  VdImportResult result = { 0 };

  vd_item_set_task_description (item, "Refund order 1182: the customer returned the boots.");
  vd_item_set_task_type (item, "payment");
  vd_item_set_content (item, "Refund $40 to the card on file.");
  vd_item_set_confidence (item, 0.5);
  vd_item_set_reasoning (item, "The receipt is blurry.");
  vd_item_set_escalation_reason (item, VD_ESCALATION_REASON_LOW_CONFIDENCE);
  g_ptr_array_add (items, item);
  g_assert_true (vd_store_import_items (store, "test", items, &result, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.imported, ==, 1);
}

static char *
output_json (const char *content,
             double      confidence,
             const char *reasoning)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_string_member (object, "content", content);
  json_object_set_double_member (object, "confidence", confidence);
  json_object_set_string_member (object, "reasoning", reasoning);
  json_object_set_object_member (object, "metadata", json_object_new ());
  json_node_set_object (node, object);

  return json_to_string (node, FALSE);
}

/* A 127.0.0.1 port nothing listens on. */
static guint16
closed_port (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  guint16 port;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                         &error);
  g_assert_no_error (error);
  g_socket_bind (socket, address, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_socket_close (socket, NULL);

  return port;
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *db_path = NULL;

  fixture->tmpdir = vd_test_make_tmp_dir ("test-window-agent");

  db_path = g_build_filename (fixture->tmpdir, "verdict.db", NULL);
  fixture->store = vd_test_open_store (db_path);
  add_item (fixture->store, TASK_ID);

  fixture->server = vd_test_llm_server_new ();

  fixture->gsettings = vd_application_new_settings ();
  g_assert_nonnull (fixture->gsettings);
  g_settings_set_string (fixture->gsettings, "llm-endpoint",
                         vd_test_llm_server_get_base_url (fixture->server));

  /* The session makes the agent's settings from these, and a workflow
   * with a client for the endpoint once it has the store. */
  fixture->session = vd_session_new (fixture->gsettings);
  vd_session_set_store (fixture->session, fixture->store);
  fixture->llm_settings = g_object_ref (vd_session_get_llm_settings (fixture->session));
  fixture->workflow = g_object_ref (vd_session_get_workflow (fixture->session));
  g_assert_nonnull (vd_workflow_get_client (fixture->workflow));
  g_assert_true (vd_session_get_has_agent (fixture->session));

  fixture->window = g_object_ref (vd_window_new (NULL, fixture->session));
  gtk_window_present (GTK_WINDOW (fixture->window));

  /* The endpoint is probed at once; the tests count the requests after. */
  WAIT_UNTIL (vd_llm_settings_get_reachable (fixture->llm_settings) ==
              VD_REACHABILITY_REACHABLE);
  fixture->n_probes = vd_test_llm_server_get_n_requests (fixture->server);
}

/* The chat requests since the setup. */
static guint
n_requests (Fixture *fixture)
{
  return vd_test_llm_server_get_n_requests (fixture->server) - fixture->n_probes;
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  VdWindow *window = g_steal_pointer (&fixture->window);

  vd_test_close_window (window);

  WAIT_UNTIL (vd_workflow_get_n_running (fixture->workflow) == 0);
  vd_test_release_session (g_steal_pointer (&fixture->session));
  g_assert_finalize_object (g_steal_pointer (&fixture->workflow));
  g_assert_finalize_object (g_steal_pointer (&fixture->llm_settings));
  g_clear_object (&fixture->gsettings);

  vd_test_release_store (g_steal_pointer (&fixture->store));

  g_clear_pointer (&fixture->server, vd_test_llm_server_free);
  vd_test_remove_tree (fixture->tmpdir);
  g_clear_pointer (&fixture->tmpdir, g_free);
}

static VdItem *
shown_item (Fixture *fixture)
{
  return vd_test_window_shown_item (fixture->window);
}

static VdAgentBanner *
banner_of (Fixture *fixture)
{
  return vd_test_window_child (fixture->window, "agent_banner");
}

static VdItemDetail *
detail_of (Fixture *fixture)
{
  return VD_ITEM_DETAIL (GTK_WIDGET (vd_test_window_child (fixture->window, "detail")));
}

static void
collect_labels (GtkWidget  *widget,
                const char *text,
                gboolean   *found)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_is_visible (widget) &&
      g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0)
    *found = TRUE;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL && !*found;
       child = gtk_widget_get_next_sibling (child))
    collect_labels (child, text, found);
}

/* Whether a label showing exactly @text is visible in @root. */
static gboolean
shows_text (GtkWidget  *root,
            const char *text)
{
  gboolean found = FALSE;

  collect_labels (root, text, &found);

  return found;
}

static VdItem *
stored_item (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  VdItem *item = vd_store_get_item (fixture->store, QUEUE, TASK_ID, &error);

  g_assert_no_error (error);
  g_assert_nonnull (item);

  return item;
}

static VdTaskStatus
stored_status (Fixture *fixture)
{
  g_autoptr(VdItem) item = stored_item (fixture);

  return vd_item_get_status (item);
}

static gboolean
revised (Fixture *fixture)
{
  g_autoptr(VdItem) item = stored_item (fixture);

  return vd_item_get_revision (item) == 1 &&
         !vd_workflow_is_revising (fixture->workflow, QUEUE, TASK_ID);
}

static void
wait_shown (Fixture *fixture)
{
  WAIT_UNTIL (shown_item (fixture) != NULL &&
              g_strcmp0 (vd_item_get_task_id (shown_item (fixture)), TASK_ID) == 0 &&
              gtk_widget_is_visible (GTK_WIDGET (detail_of (fixture))));
}

/* Second opinion and decision support land in the detail pane. */
static void
test_agent_second_opinion_assist (Fixture       *fixture,
                                  gconstpointer  data)
{
  GtkWidget *window = GTK_WIDGET (fixture->window);
  VdItemDetail *detail = detail_of (fixture);

  wait_shown (fixture);

  vd_test_llm_server_push (fixture->server,
                           vd_test_reply_new_content ("{\"confidence\": 0.35, \"reasoning\": "
                                                      "\"The amount is not checked against "
                                                      "the order.\"}"));
  g_assert_true (gtk_widget_activate_action (window, "win.second-opinion", NULL));
  g_assert_true (vd_item_detail_get_agent_busy (detail, VD_AGENT_REQUEST_SECOND_OPINION));
  WAIT_UNTIL (!vd_item_detail_get_agent_busy (detail, VD_AGENT_REQUEST_SECOND_OPINION));
  g_assert_true (shows_text (GTK_WIDGET (detail), "The amount is not checked against the order."));
  g_assert_true (shows_text (GTK_WIDGET (detail), "0.35"));
  g_assert_cmpuint (n_requests (fixture), ==, 1);

  vd_test_llm_server_push (fixture->server, vd_test_reply_new_content (
    "{\"options\": [\"approve\", \"reject\", \"modify\"], "
    "\"analysis\": \"The receipt supports $30, not $40.\", "
    "\"recommendation\": \"modify: refund $30\", \"confidence\": 0.8, "
    "\"risks\": [\"Overpaying the shipping fee\"], "
    "\"considerations\": [\"Check the shipping policy\"]}"));
  g_assert_true (gtk_widget_activate_action (window, "win.assist", NULL));
  g_assert_true (vd_item_detail_get_agent_busy (detail, VD_AGENT_REQUEST_ASSIST));
  WAIT_UNTIL (!vd_item_detail_get_agent_busy (detail, VD_AGENT_REQUEST_ASSIST));
  g_assert_true (shows_text (GTK_WIDGET (detail), "modify: refund $30"));
  g_assert_true (shows_text (GTK_WIDGET (detail), "The receipt supports $30, not $40."));
  g_assert_true (shows_text (GTK_WIDGET (detail), "confidence 0.80"));
  /* The second opinion stays. */
  g_assert_true (shows_text (GTK_WIDGET (detail), "The amount is not checked against the order."));
  g_assert_cmpuint (n_requests (fixture), ==, 2);

  /* A failure is shown as such. */
  vd_test_llm_server_push (fixture->server,
                           vd_test_reply_new_content ("{\"confidence\": \"high\"}"));
  g_assert_true (gtk_widget_activate_action (window, "win.second-opinion", NULL));
  WAIT_UNTIL (!vd_item_detail_get_agent_busy (detail, VD_AGENT_REQUEST_SECOND_OPINION));
  g_assert_cmpuint (n_requests (fixture), ==, 3);
}

/* A reject with feedback: the agent revises, the policy approves the
 * revision, and the audit trail holds. */
static void
test_agent_revise_on_reject (Fixture       *fixture,
                             gconstpointer  data)
{
  GtkWidget *window = GTK_WIDGET (fixture->window);
  g_autofree char *json = NULL;
  g_autoptr(VdItem) item = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) body = NULL;
  g_autofree char *request = NULL;
  VdDecisionDialog *dialog;
  gint64 bad_seq = -1;
  guint64 n_checked = 0;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GString) trail = g_string_new (NULL);
  g_autoptr(VdPolicy) rules = vd_policy_new ();

  /* The built-in rules approve the revision (0.93 passes 0.70); without
   * a policy chosen the session's approves nothing. */
  vd_session_set_policy (fixture->session, rules);
  wait_shown (fixture);

  json = output_json ("Refund $30 to the card on file; keep the $10 shipping fee.", 0.93,
                      "Followed the reviewer.");
  vd_test_llm_server_push (fixture->server, vd_test_reply_new_content (json));

  g_assert_true (gtk_widget_activate_action (window, "win.reject", NULL));
  WAIT_UNTIL ((dialog = vd_test_find_toplevel (VD_TYPE_DECISION_DIALOG)) != NULL &&
              gtk_widget_get_mapped (GTK_WIDGET (dialog)));
  gtk_text_buffer_set_text (vd_decision_dialog_get_buffer (dialog), FEEDBACK, -1);
  g_assert_true (vd_decision_dialog_get_can_confirm (dialog));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "dialog.confirm", NULL));

  WAIT_UNTIL (revised (fixture));

  item = stored_item (fixture);
  g_assert_cmpint (vd_item_get_revision (item), ==, 1);
  g_assert_cmpint (vd_item_get_status (item), ==, VD_TASK_STATUS_APPROVED);
  g_assert_cmpstr (vd_item_get_content (item), ==,
                   "Refund $30 to the card on file; keep the $10 shipping fee.");
  g_assert_cmpuint (n_requests (fixture), ==, 1);

  /* The reviser was told the feedback. */
  body = vd_test_llm_server_dup_body (fixture->server, fixture->n_probes);
  request = json_to_string (json_object_get_member (body, "messages"), FALSE);
  g_assert_nonnull (strstr (request, FEEDBACK));

  g_assert_true (vd_store_verify_audit (fixture->store, &bad_seq, &n_checked, &error));
  g_assert_no_error (error);
  g_assert_cmpint (bad_seq, ==, 0);
  events = vd_store_list_audit (fixture->store, 0, 100, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (n_checked, ==, events->len);
  for (guint i = 0; i < events->len; i++)
    {
      VdAuditEvent *event = g_ptr_array_index (events, i);

      g_string_append_printf (trail, "%s:%s;", vd_audit_event_get_actor (event),
                              vd_audit_event_get_event_type (event));
    }
  g_assert_cmpstr (trail->str, ==,
                   "system:signing_started;"
                   "system:enqueue;system:import;" REVIEWER ":decision;system:revision;"
                   "policy:auto_approve;system:import;");

  /* The auto-approved revision left the pending queue. */
  WAIT_UNTIL (shown_item (fixture) == NULL);
}

/* Without a client the reject waits: the item shows "awaiting revision". */
static void
test_agent_awaiting_offline (Fixture       *fixture,
                             gconstpointer  data)
{
  GtkWidget *window = GTK_WIDGET (fixture->window);
  VdDecisionDialog *dialog;
  g_autoptr(VdItem) item = NULL;

  vd_workflow_set_client (fixture->workflow, NULL);
  wait_shown (fixture);
  /* Nothing to ask: the agent's actions do nothing. */
  gtk_widget_activate_action (window, "win.second-opinion", NULL);
  gtk_widget_activate_action (window, "win.assist", NULL);
  gtk_widget_activate_action (window, "win.new-task", NULL);
  g_assert_false (vd_item_detail_get_agent_busy (detail_of (fixture),
                                                 VD_AGENT_REQUEST_SECOND_OPINION));
  g_assert_false (vd_item_detail_get_agent_busy (detail_of (fixture), VD_AGENT_REQUEST_ASSIST));
  g_assert_null (vd_test_find_toplevel (VD_TYPE_NEW_TASK_DIALOG));

  g_assert_true (gtk_widget_activate_action (window, "win.reject", NULL));
  WAIT_UNTIL ((dialog = vd_test_find_toplevel (VD_TYPE_DECISION_DIALOG)) != NULL &&
              gtk_widget_get_mapped (GTK_WIDGET (dialog)));
  gtk_text_buffer_set_text (vd_decision_dialog_get_buffer (dialog), FEEDBACK, -1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "dialog.confirm", NULL));
  WAIT_UNTIL (shown_item (fixture) == NULL && stored_status (fixture) == VD_TASK_STATUS_REJECTED);

  item = stored_item (fixture);
  g_assert_cmpint (vd_item_get_status (item), ==, VD_TASK_STATUS_REJECTED);
  g_assert_cmpint (vd_item_get_revision (item), ==, 0);

  /* Shown among all items, it waits for its revision. */
  vd_test_window_set_status (fixture->window, VD_TEST_STATUS_ALL);
  wait_shown (fixture);
  WAIT_UNTIL (vd_item_detail_get_revision_state (detail_of (fixture)) ==
              VD_REVISION_STATE_AWAITING);
  g_assert_cmpuint (n_requests (fixture), ==, 0);
}

/* The status line shows while the endpoint cannot be reached: one line,
 * the whole error in its tooltip (and in Preferences). */
static void
test_agent_banner (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u/v1", closed_port ());
  GtkWidget *banner = GTK_WIDGET (banner_of (fixture));
  const char *tooltip;

  WAIT_UNTIL (vd_llm_settings_get_reachable (fixture->llm_settings) ==
              VD_REACHABILITY_REACHABLE);
  g_assert_false (vd_agent_banner_get_revealed (banner_of (fixture)));

  vd_llm_settings_set_endpoint (fixture->llm_settings, url);
  WAIT_UNTIL (vd_agent_banner_get_revealed (banner_of (fixture)));
  g_assert_cmpstr (vd_agent_banner_get_text (banner_of (fixture)), ==,
                   "Agent offline — revisions will wait");
  tooltip = gtk_widget_get_tooltip_text (
    GTK_WIDGET (gtk_widget_get_template_child (banner, VD_TYPE_AGENT_BANNER, "label")));
  g_assert_nonnull (tooltip);
  g_assert_true (g_str_has_prefix (tooltip, url));

  /* One line, out of the way. */
  WAIT_UNTIL (gtk_widget_get_height (banner) > 0);
  g_assert_cmpint (gtk_widget_get_height (banner), <=, 40);

  vd_llm_settings_set_endpoint (fixture->llm_settings,
                                vd_test_llm_server_get_base_url (fixture->server));
  WAIT_UNTIL (vd_llm_settings_get_reachable (fixture->llm_settings) ==
              VD_REACHABILITY_REACHABLE);
  g_assert_false (vd_agent_banner_get_revealed (banner_of (fixture)));

  /* No endpoint: no status. */
  vd_llm_settings_set_endpoint (fixture->llm_settings, url);
  WAIT_UNTIL (vd_agent_banner_get_revealed (banner_of (fixture)));
  vd_llm_settings_set_endpoint (fixture->llm_settings, "");
  WAIT_UNTIL (!vd_agent_banner_get_revealed (banner_of (fixture)));
}

static void
count_cb (gpointer data)
{
  (*(guint *) data)++;
}

/* The user set the endpoint to the test server: it is probed at once and
 * answers. Stopped, a Retry shows "Checking…" and then the one-line
 * status; closed, it stays closed until the state changes. */
static void
test_agent_offline_status (Fixture       *fixture,
                           gconstpointer  data)
{
  GtkWidget *banner = GTK_WIDGET (banner_of (fixture));
  GtkWidget *close_button = GTK_WIDGET (gtk_widget_get_template_child (banner,
                                                                       VD_TYPE_AGENT_BANNER,
                                                                       "close_button"));
  GtkWidget *retry_button = GTK_WIDGET (gtk_widget_get_template_child (banner,
                                                                       VD_TYPE_AGENT_BANNER,
                                                                       "retry_button"));
  gboolean saw_checking = FALSE;

  wait_shown (fixture);
  g_assert_cmpuint (fixture->n_probes, >=, 1);
  g_assert_false (vd_agent_banner_get_revealed (banner_of (fixture)));

  g_clear_pointer (&fixture->server, vd_test_llm_server_free);

  vd_agent_banner_retry (banner_of (fixture));
  if (vd_agent_banner_get_checking (banner_of (fixture)))
    {
      saw_checking = TRUE;
      g_assert_true (vd_agent_banner_get_revealed (banner_of (fixture)));
      g_assert_cmpstr (vd_agent_banner_get_text (banner_of (fixture)), ==, "Checking…");
      g_assert_false (gtk_widget_get_sensitive (retry_button));
    }
  g_assert_true (saw_checking);
  WAIT_UNTIL (!vd_agent_banner_get_checking (banner_of (fixture)));
  WAIT_UNTIL (vd_agent_banner_get_revealed (banner_of (fixture)));
  g_assert_cmpstr (vd_agent_banner_get_text (banner_of (fixture)), ==,
                   "Agent offline — revisions will wait");
  g_assert_true (gtk_widget_get_sensitive (retry_button));

  /* Closed: hidden, also through the next failed probe. */
  g_signal_emit_by_name (close_button, "clicked");
  WAIT_UNTIL (!vd_agent_banner_get_revealed (banner_of (fixture)));
  vd_llm_settings_probe (fixture->llm_settings);
  WAIT_UNTIL (!vd_llm_settings_get_probing (fixture->llm_settings));
  vd_test_iterate_for (100);
  g_assert_false (vd_agent_banner_get_revealed (banner_of (fixture)));

  /* A retry from the status line shows it again. */
  g_signal_emit_by_name (retry_button, "clicked");
  WAIT_UNTIL (vd_agent_banner_get_revealed (banner_of (fixture)) &&
              !vd_agent_banner_get_checking (banner_of (fixture)));
}

/* A retry that finds the agent: the status goes and a toast says so. */
static void
test_agent_retry_reachable (Fixture       *fixture,
                            gconstpointer  data)
{
  guint16 port = closed_port ();
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u/v1", port);
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(GError) error = NULL;
  guint n_reached = 0;

  wait_shown (fixture);
  g_signal_connect_swapped (banner_of (fixture), "reached", G_CALLBACK (count_cb), &n_reached);

  vd_llm_settings_set_endpoint (fixture->llm_settings, url);
  WAIT_UNTIL (vd_agent_banner_get_revealed (banner_of (fixture)));

  /* Someone answers at that port now. */
  server = soup_server_new (NULL, NULL);
  soup_server_listen_local (server, port, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);

  vd_agent_banner_retry (banner_of (fixture));
  WAIT_UNTIL (n_reached == 1);
  g_assert_cmpint (vd_llm_settings_get_reachable (fixture->llm_settings), ==,
                   VD_REACHABILITY_REACHABLE);
  WAIT_UNTIL (!vd_agent_banner_get_revealed (banner_of (fixture)));
  WAIT_UNTIL (vd_test_find_label (GTK_WIDGET (fixture->window), "Agent reachable") != NULL);

  g_signal_handlers_disconnect_by_data (banner_of (fixture), &n_reached);
  soup_server_disconnect (server);
}

/* Details: Preferences, on the agent's page. */
static void
test_agent_details (Fixture       *fixture,
                    gconstpointer  data)
{
  AdwPreferencesWindow *preferences;

  wait_shown (fixture);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window),
                                             "win.agent-details", NULL));
  WAIT_UNTIL ((preferences = vd_test_find_toplevel (ADW_TYPE_PREFERENCES_WINDOW)) != NULL &&
              gtk_widget_get_mapped (GTK_WIDGET (preferences)));
  g_assert_cmpstr (G_OBJECT_TYPE_NAME (adw_preferences_window_get_visible_page (preferences)),
                   ==, "VdAgentPreferencesPage");
  gtk_window_destroy (GTK_WINDOW (preferences));
  WAIT_UNTIL (vd_test_find_toplevel (ADW_TYPE_PREFERENCES_WINDOW) == NULL);
}

/* Settings whose schema defaults the endpoint to @endpoint, in a memory
 * backend of their own: the endpoint is the default, not one the user
 * set. */
static GSettings *
settings_defaulting_to (const char *tmpdir,
                        const char *endpoint)
{
  g_autofree char *dir = g_build_filename (tmpdir, "schemas", NULL);
  g_autofree char *xml = g_test_build_filename (G_TEST_DIST, "..", "data",
                                                "io.github.verdict.Verdict.gschema.xml",
                                                NULL);
  g_autofree char *contents = NULL;
  g_autofree char *copy = g_build_filename (dir, "io.github.verdict.Verdict.gschema.xml", NULL);
  g_autofree char *override_path = g_build_filename (dir, "90_test.gschema.override", NULL);
  g_autofree char *override = NULL;
  const char *argv[] = { "glib-compile-schemas", NULL, NULL };
  g_autoptr(GSettingsSchemaSource) source = NULL;
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettingsBackend) backend = g_memory_settings_backend_new ();
  g_autoptr(GError) error = NULL;
  int status = -1;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_file_get_contents (xml, &contents, NULL, &error);
  g_assert_no_error (error);
  g_file_set_contents (copy, contents, -1, &error);
  g_assert_no_error (error);
  override = g_strdup_printf ("[io.github.verdict.Verdict]\nllm-endpoint='%s'\n", endpoint);
  g_file_set_contents (override_path, override, -1, &error);
  g_assert_no_error (error);

  argv[1] = dir;
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                &status, &error);
  g_assert_no_error (error);
  g_assert_cmpint (status, ==, 0);

  source = g_settings_schema_source_new_from_directory (dir, NULL, FALSE, &error);
  g_assert_no_error (error);
  schema = g_settings_schema_source_lookup (source, "io.github.verdict.Verdict", FALSE);
  g_assert_nonnull (schema);

  return g_settings_new_full (schema, backend, NULL);
}

/* With the default settings (here: the default endpoint is the test
 * server) the window starts, shows the item and asks the endpoint
 * nothing; the first agent feature used does. */
static void
test_agent_quiet_start (void)
{
  g_autofree char *tmpdir = vd_test_make_tmp_dir ("test-window-agent-quiet");
  g_autofree char *db_path = g_build_filename (tmpdir, "verdict.db", NULL);
  g_autoptr(VdTestLlmServer) server = vd_test_llm_server_new ();
  g_autoptr(GSettings) gsettings = NULL;
  g_autoptr(GVariant) user_value = NULL;
  VdStore *store;
  VdSession *session;
  VdLlmSettings *llm_settings;
  VdWindow *window;
  VdAgentBanner *banner;
  GtkWindow *dialog;
  guint n_probing = 0;

  gsettings = settings_defaulting_to (tmpdir, vd_test_llm_server_get_base_url (server));
  user_value = g_settings_get_user_value (gsettings, "llm-endpoint");
  g_assert_null (user_value);

  store = vd_test_open_store (db_path);
  add_item (store, TASK_ID);
  session = vd_session_new (gsettings);
  llm_settings = vd_session_get_llm_settings (session);
  g_signal_connect_swapped (llm_settings, "notify::probing", G_CALLBACK (count_cb), &n_probing);
  vd_session_set_store (session, store);
  g_assert_cmpstr (vd_llm_settings_get_endpoint (llm_settings), ==,
                   vd_test_llm_server_get_base_url (server));

  window = g_object_ref (vd_window_new (NULL, session));
  gtk_window_present (GTK_WINDOW (window));
  banner = vd_test_window_child (window, "agent_banner");

  WAIT_UNTIL (vd_test_window_shown_item (window) != NULL);
  vd_test_iterate_for (1000);

  g_assert_cmpuint (vd_test_llm_server_get_n_requests (server), ==, 0);
  g_assert_cmpuint (n_probing, ==, 0);
  g_assert_false (vd_llm_settings_get_probing (llm_settings));
  g_assert_cmpint (vd_llm_settings_get_reachable (llm_settings), ==, VD_REACHABILITY_UNKNOWN);
  g_assert_false (vd_agent_banner_get_revealed (banner));

  /* Agent features are offered, and using one asks the endpoint. */
  g_assert_true (vd_session_get_has_agent (session));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.new-task", NULL));
  WAIT_UNTIL (vd_llm_settings_get_reachable (llm_settings) == VD_REACHABILITY_REACHABLE);
  g_assert_cmpuint (vd_test_llm_server_get_n_requests (server), ==, 1);
  WAIT_UNTIL ((dialog = vd_test_find_toplevel (VD_TYPE_NEW_TASK_DIALOG)) != NULL);
  gtk_window_close (dialog);
  WAIT_UNTIL (vd_test_find_toplevel (VD_TYPE_NEW_TASK_DIALOG) == NULL);

  g_signal_handlers_disconnect_by_data (llm_settings, &n_probing);
  vd_test_close_window (window);
  vd_test_release_session (session);
  vd_test_release_store (store);
  vd_test_remove_tree (tmpdir);
}

/* Ctrl+N's action opens the New Task dialog. */
static void
test_agent_new_task (Fixture       *fixture,
                     gconstpointer  data)
{
  GtkWidget *window = GTK_WIDGET (fixture->window);
  GtkWindow *dialog;

  wait_shown (fixture);
  g_assert_true (gtk_widget_activate_action (window, "win.new-task", NULL));
  WAIT_UNTIL ((dialog = vd_test_find_toplevel (VD_TYPE_NEW_TASK_DIALOG)) != NULL &&
              gtk_widget_get_mapped (GTK_WIDGET (dialog)));
  g_assert_true (gtk_window_get_transient_for (dialog) == GTK_WINDOW (window));

  /* Once is enough: a second Ctrl+N opens no second dialog. */
  gtk_widget_activate_action (window, "win.new-task", NULL);
  g_assert_true (vd_test_find_toplevel (VD_TYPE_NEW_TASK_DIALOG) == dialog);

  gtk_window_close (dialog);
  WAIT_UNTIL (vd_test_find_toplevel (VD_TYPE_NEW_TASK_DIALOG) == NULL);
  g_assert_cmpuint (n_requests (fixture), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("VERDICT_REVIEWER", REVIEWER, TRUE);
  g_unsetenv ("VERDICT_LLM_URL");
  g_unsetenv ("VERDICT_LLM_MODEL");

  /* Generous: the sanitizer builds are slow. */
  vd_test_deadline_seconds = 60;

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/window-agent/second-opinion-assist", Fixture, NULL,
              fixture_setup, test_agent_second_opinion_assist, fixture_teardown);
  g_test_add ("/window-agent/revise-on-reject", Fixture, NULL,
              fixture_setup, test_agent_revise_on_reject, fixture_teardown);
  g_test_add ("/window-agent/awaiting-offline", Fixture, NULL,
              fixture_setup, test_agent_awaiting_offline, fixture_teardown);
  g_test_add ("/window-agent/banner", Fixture, NULL,
              fixture_setup, test_agent_banner, fixture_teardown);
  g_test_add ("/window-agent/new-task", Fixture, NULL,
              fixture_setup, test_agent_new_task, fixture_teardown);
  g_test_add ("/window-agent/offline-status", Fixture, NULL,
              fixture_setup, test_agent_offline_status, fixture_teardown);
  g_test_add ("/window-agent/retry-reachable", Fixture, NULL,
              fixture_setup, test_agent_retry_reachable, fixture_teardown);
  g_test_add ("/window-agent/details", Fixture, NULL,
              fixture_setup, test_agent_details, fixture_teardown);
  g_test_add_func ("/window-agent/quiet-start", test_agent_quiet_start);

  return g_test_run ();
}
