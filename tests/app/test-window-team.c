/* test-window-team.c: the window on a team server that goes away
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

/* A real PostgreSQL cluster (build-aux/pg-test-cluster), real widgets
 * under Xvfb: the window logs in as the reviewer role "alice" with a
 * password, the server is stopped while she rejects an item and started
 * again. The decision is not shown as saved, her feedback is kept, the
 * banner comes and goes, and the database ends with exactly one decision. */

#define G_LOG_DOMAIN "test-window-team"

#include "config.h"

#include <string.h>

#include "vd-connection-banner.h"
#include "vd-decision-dialog.h"
#include "vd-pg-store.h"
#include "vd-reviewer-dialog.h"
#include "vd-team-preferences-page.h"
#include "vd-test-gui.h"
#include "vd-test-pg.h"

#define ROLE "alice"
#define PASSWORD "alice-secret"
#define FEEDBACK "Cite the order number."

typedef struct
{
  VdTestPg  *pg;
  char      *tmpdir;
  char      *conninfo;   /* alice's, over 127.0.0.1 */
  VdSession *session;
  VdWindow  *window;
} Fixture;

static const char queue_text[] =
  "{\"verdict_queue\": 1, \"queue\": \"payments\"}\n"
  "{\"task_id\": \"t-7\", \"task_description\": \"Pay\", "
  "\"agent_output\": {\"content\": \"Pay 1\", \"confidence\": 0.1}}\n"
  "{\"task_id\": \"t-8\", \"task_description\": \"Pay again\", "
  "\"agent_output\": {\"content\": \"Pay 2\", \"confidence\": 0.2}}\n";

/* The server going away makes the background readers (counts, list,
 * deadlines) warn about the lost connection: that is expected here. */
static gboolean
fatal_log_cb (const char     *log_domain,
              GLogLevelFlags  log_level,
              const char     *message,
              gpointer        user_data)
{
  if ((log_level & G_LOG_LEVEL_WARNING) != 0 && message != NULL &&
      (strstr (message, "connection") != NULL || strstr (message, "database server") != NULL))
    return FALSE;

  return TRUE;
}

static void
cluster (const char *command)
{
  const char *script = g_getenv ("VERDICT_PG_TEST_CLUSTER");
  const char *argv[] = { script, command, "fast", NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  int status;

  g_assert_nonnull (script);
  if (g_str_equal (command, "start-server"))
    argv[2] = NULL;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL,
                               NULL, NULL, &err, &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("pg-test-cluster %s failed: %s", command, err);
}

static void
open_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  gboolean *done = user_data;

  vd_session_open_location_finish (VD_SESSION (object), result, NULL);
  *done = TRUE;
}

/* Opens the window's session on the team database as alice. */
static void
open_as_alice (Fixture    *fixture,
               const char *password)
{
  gboolean done = FALSE;

  vd_session_open_location_async (fixture->session, fixture->conninfo, password, NULL,
                                  open_cb, &done);
  /* The header knows it is a team server before the server answers. */
  g_assert_nonnull (vd_session_get_team_server (fixture->session));
  WAIT_UNTIL (done);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *exists = NULL;
  g_autoptr(VdPgStore) admin = NULL;
  g_autoptr(GError) error = NULL;

  fixture->pg = vd_test_pg_set_up (TRUE);
  if (fixture->pg == NULL)
    return;
  fixture->tmpdir = vd_test_make_tmp_dir ("test-window-team");

  /* Roles belong to the cluster: made once for the program's tests. */
  exists = vd_test_pg_query (fixture->pg->admin_conninfo,
                             "SELECT count(*) FROM pg_roles WHERE rolname = '" ROLE "'");
  if (g_str_equal (exists, "0"))
    {
      g_free (vd_test_pg_query (fixture->pg->admin_conninfo,
                                "CREATE ROLE " ROLE " LOGIN PASSWORD '" PASSWORD "'"));
      g_free (vd_test_pg_query (fixture->pg->admin_conninfo,
                                "GRANT verdict_reviewer TO " ROLE));
    }

  /* The items, imported by the administrator. */
  admin = vd_pg_store_new (fixture->pg->conninfo, &error);
  g_assert_no_error (error);
  vd_test_import_text (VD_STORE (admin), fixture->tmpdir, "q.jsonl", queue_text, NULL, NULL);

  fixture->conninfo = g_strdup_printf ("host=127.0.0.1 port=%s dbname=%s user=" ROLE,
                                       g_getenv ("VERDICT_TEST_PG_PORT"), fixture->pg->dbname);
  fixture->session = vd_test_session_new (NULL);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  VdWindow *window = g_steal_pointer (&fixture->window);

  if (window != NULL)
    {
      vd_test_destroy_other_windows (window);
      vd_test_close_window (window);
    }

  if (fixture->session != NULL)
    vd_test_release_session (g_steal_pointer (&fixture->session));
  if (fixture->tmpdir != NULL)
    vd_test_remove_tree (fixture->tmpdir);
  g_clear_pointer (&fixture->tmpdir, g_free);
  g_clear_pointer (&fixture->conninfo, g_free);
  vd_test_pg_tear_down (g_steal_pointer (&fixture->pg));
}

static gint64
count_decisions (Fixture *fixture)
{
  g_autofree char *count = vd_test_pg_query (fixture->pg->conninfo,
                                             "SELECT count(*) FROM decisions");

  return g_ascii_strtoll (count, NULL, 10);
}

static gboolean
shows (Fixture    *fixture,
       const char *task_id)
{
  VdItem *shown = vd_test_window_shown_item (fixture->window);

  return shown != NULL && g_str_equal (vd_item_get_task_id (shown), task_id);
}

static VdDecisionDialog *
open_reject_dialog (Fixture *fixture)
{
  VdDecisionDialog *dialog = NULL;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.reject", NULL));
  WAIT_UNTIL ((dialog = vd_test_find_toplevel (VD_TYPE_DECISION_DIALOG)) != NULL &&
              gtk_widget_get_mapped (GTK_WIDGET (dialog)));

  return dialog;
}

static char *
buffer_text (GtkTextBuffer *buffer)
{
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static void
test_server_lost (Fixture       *fixture,
                  gconstpointer  data)
{
  VdConnectionBanner *banner;
  VdDecisionDialog *dialog;
  GtkWidget *approve_button;
  g_autofree char *kept = NULL;
  VdItem *shown;

  if (fixture->pg == NULL)
    return;

  open_as_alice (fixture, PASSWORD);
  g_assert_null (vd_session_get_store_error (fixture->session));
  /* The reviewer is the database role, whatever was set before. */
  g_assert_cmpstr (vd_session_get_reviewer_id (fixture->session), ==, ROLE);
  g_assert_true (vd_session_get_reviewer_locked (fixture->session));
  vd_session_set_reviewer_id (fixture->session, "mallory");
  g_assert_cmpstr (vd_session_get_reviewer_id (fixture->session), ==, ROLE);

  fixture->window = g_object_ref (vd_window_new (NULL, fixture->session));
  gtk_window_present (GTK_WINDOW (fixture->window));
  banner = vd_test_window_child (fixture->window, "connection_banner");
  approve_button = vd_test_window_child (fixture->window, "approve_button");
  WAIT_UNTIL (shows (fixture, "t-7"));
  g_assert_cmpstr (adw_window_title_get_subtitle (
                     vd_test_window_child (fixture->window, "sidebar_title")),
                   ==, ROLE " · team server");
  g_assert_false (vd_connection_banner_get_revealed (banner));

  /* Alice writes her feedback; the server goes away before she confirms. */
  dialog = open_reject_dialog (fixture);
  gtk_text_buffer_set_text (vd_decision_dialog_get_buffer (dialog), FEEDBACK, -1);
  cluster ("stop-server");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "dialog.confirm", NULL));
  WAIT_UNTIL (vd_test_find_toplevel (VD_TYPE_DECISION_DIALOG) == NULL);

  /* The banner says so; the item is still open and pending, and no
   * decision can be taken until the server is back. */
  WAIT_UNTIL (vd_connection_banner_get_revealed (banner));
  g_assert_true (vd_session_get_disconnected (fixture->session));
  g_assert_cmpstr (vd_connection_banner_get_text (banner), ==,
                   "Connection to the team server lost. Your notes are kept.");
  g_assert_true (shows (fixture, "t-7"));
  shown = vd_test_window_shown_item (fixture->window);
  g_assert_cmpint (vd_item_get_status (shown), ==, VD_TASK_STATUS_PENDING);
  g_assert_cmpint (vd_item_list_model_find (vd_test_window_items (fixture->window),
                                            vd_item_get_id (shown)),
                   !=, GTK_INVALID_LIST_POSITION);
  WAIT_UNTIL (!vd_test_window_busy (fixture->window));
  g_assert_false (gtk_widget_get_sensitive (approve_button));

  /* The server is back: the session finds it by itself. Nothing was
   * saved while it was away. */
  cluster ("start-server");
  WAIT_UNTIL (!vd_session_get_disconnected (fixture->session));
  WAIT_UNTIL (!vd_connection_banner_get_revealed (banner));
  g_assert_cmpint (count_decisions (fixture), ==, 0);
  WAIT_UNTIL (gtk_widget_get_sensitive (approve_button));
  WAIT_UNTIL (shows (fixture, "t-7"));

  /* Reject again: the dialog starts from what she wrote. */
  dialog = open_reject_dialog (fixture);
  kept = buffer_text (vd_decision_dialog_get_buffer (dialog));
  g_assert_cmpstr (kept, ==, FEEDBACK);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "dialog.confirm", NULL));
  WAIT_UNTIL (vd_test_find_toplevel (VD_TYPE_DECISION_DIALOG) == NULL);
  WAIT_UNTIL (vd_test_window_n_decisions (fixture->window) == 1 &&
              !vd_test_window_busy (fixture->window));

  g_assert_cmpint (count_decisions (fixture), ==, 1);
  {
    g_autofree char *who = vd_test_pg_query (fixture->pg->conninfo,
                                             "SELECT reviewer_id || ' ' || decision || ' ' || "
                                             "feedback FROM decisions");

    g_assert_cmpstr (who, ==, ROLE " reject " FEEDBACK);
  }
  g_assert_false (vd_session_get_disconnected (fixture->session));

  /* Back to a file on this computer: the reviewer set here again. */
  {
    g_autofree char *local = g_build_filename (fixture->tmpdir, "local.db", NULL);
    GSettings *settings = vd_session_get_settings (fixture->session);
    gboolean done = FALSE;

    g_settings_set_string (settings, "reviewer-id", "bob");
    g_assert_cmpstr (vd_session_get_reviewer_id (fixture->session), ==, ROLE);
    vd_session_open_location_async (fixture->session, local, NULL, NULL, open_cb, &done);
    WAIT_UNTIL (done);
    g_assert_null (vd_session_get_team_server (fixture->session));
    g_assert_false (vd_session_get_reviewer_locked (fixture->session));
    if (!vd_session_get_reviewer_from_env (fixture->session))
      g_assert_cmpstr (vd_session_get_reviewer_id (fixture->session), ==, "bob");
    g_assert_cmpstr (adw_window_title_get_subtitle (
                       vd_test_window_child (fixture->window, "sidebar_title")),
                     !=, ROLE " · team server");
  }
}

/* A wrong password: the window says which server refused, not a crash. */
static void
test_wrong_password (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *server = NULL;
  AdwStatusPage *page;
  const GError *error;

  if (fixture->pg == NULL)
    return;

  open_as_alice (fixture, "not-her-password");
  error = vd_session_get_store_error (fixture->session);
  g_assert_nonnull (error);
  g_assert_null (vd_session_get_store (fixture->session));
  server = g_strdup_printf ("%s on 127.0.0.1:%s", fixture->pg->dbname,
                            g_getenv ("VERDICT_TEST_PG_PORT"));
  g_assert_nonnull (strstr (error->message, server));
  g_assert_nonnull (strstr (error->message, "password authentication failed for user"));

  fixture->window = g_object_ref (vd_window_new (NULL, fixture->session));
  gtk_window_present (GTK_WINDOW (fixture->window));
  WAIT_UNTIL (g_strcmp0 (vd_test_window_page (fixture->window, "main_stack"), "error") == 0);
  page = vd_test_window_child (fixture->window, "error_page");
  g_assert_cmpstr (adw_status_page_get_title (page), ==, "Cannot Connect to the Team Server");
  g_assert_nonnull (strstr (adw_status_page_get_description (page), server));
  /* Nobody is asked for a reviewer id the database gives. */
  g_assert_null (vd_test_find_toplevel (VD_TYPE_REVIEWER_DIALOG));
}

static gpointer
page_child (VdTeamPreferencesPage *page,
            const char            *id)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (page),
                                                  VD_TYPE_TEAM_PREFERENCES_PAGE, id);

  g_assert_nonnull (child);
  return child;
}

static void
fill_page (VdTeamPreferencesPage *page,
           Fixture               *fixture,
           const char            *password)
{
  gtk_editable_set_text (page_child (page, "host_row"), "127.0.0.1");
  gtk_editable_set_text (page_child (page, "port_row"), g_getenv ("VERDICT_TEST_PG_PORT"));
  gtk_editable_set_text (page_child (page, "database_row"), fixture->pg->dbname);
  gtk_editable_set_text (page_child (page, "user_row"), ROLE);
  gtk_editable_set_text (page_child (page, "password_row"), password);
  /* The test cluster has no certificate. */
  adw_combo_row_set_selected (page_child (page, "tls_row"), 0);
}

/* The Team Server page: Connect says what the server said, and once it
 * answers the settings and the password are kept. */
static void
test_preferences (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(VdTeamSettings) team = NULL;
  g_autoptr(GAsyncResult) found = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *password = NULL;
  VdTeamPreferencesPage *page;
  GtkWidget *window;

  if (fixture->pg == NULL)
    return;

  team = vd_team_settings_new (NULL);
  window = adw_preferences_window_new ();
  page = VD_TEAM_PREFERENCES_PAGE (vd_team_preferences_page_new (team));
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (window), ADW_PREFERENCES_PAGE (page));
  gtk_window_present (GTK_WINDOW (window));
  g_assert_cmpstr (vd_team_preferences_page_get_status (page), ==,
                   "Using the database on this computer");

  /* A wrong password: libpq's words, and nothing is saved. */
  fill_page (page, fixture, "not-her-password");
  gtk_widget_activate (page_child (page, "connect_button"));
  WAIT_UNTIL (vd_team_preferences_page_get_busy (page));
  WAIT_UNTIL (!vd_team_preferences_page_get_busy (page));
  g_assert_nonnull (strstr (vd_team_preferences_page_get_status (page),
                            "password authentication failed for user \"" ROLE "\""));
  g_assert_cmpstr (vd_team_settings_get_uri (team), ==, "");

  /* The right one: connected as the role, the server and password kept. */
  fill_page (page, fixture, PASSWORD);
  gtk_widget_activate (page_child (page, "connect_button"));
  WAIT_UNTIL (vd_team_preferences_page_get_busy (page));
  WAIT_UNTIL (!vd_team_preferences_page_get_busy (page));
  uri = g_strdup_printf ("postgresql://" ROLE "@127.0.0.1:%s/%s",
                         g_getenv ("VERDICT_TEST_PG_PORT"), fixture->pg->dbname);
  g_assert_cmpstr (vd_team_settings_get_uri (team), ==, uri);
  g_assert_cmpstr (vd_team_settings_get_sslmode (team), ==, "disable");
  expected = g_strdup_printf ("Connected as " ROLE " to %s on 127.0.0.1:%s",
                              fixture->pg->dbname, g_getenv ("VERDICT_TEST_PG_PORT"));
  g_assert_true (g_str_has_prefix (vd_team_preferences_page_get_status (page), expected));

  vd_team_settings_lookup_password_async (team, uri, NULL, vd_test_got_result, &found);
  WAIT_UNTIL (vd_test_has_result (&found));
  password = vd_team_settings_lookup_password_finish (team, found, NULL);
  g_assert_cmpstr (password, ==, PASSWORD);

  /* Back to the file on this computer. */
  gtk_widget_activate (page_child (page, "local_button"));
  WAIT_UNTIL (vd_team_settings_get_uri (team)[0] == '\0');

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_test_log_set_fatal_handler (fatal_log_cb, NULL);

  g_test_add ("/window-team/server-lost", Fixture, NULL,
              fixture_setup, test_server_lost, fixture_teardown);
  g_test_add ("/window-team/wrong-password", Fixture, NULL,
              fixture_setup, test_wrong_password, fixture_teardown);
  g_test_add ("/window-team/preferences", Fixture, NULL,
              fixture_setup, test_preferences, fixture_teardown);

  return g_test_run ();
}
