/* test-team-settings.c: the team server's settings and password
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

#define G_LOG_DOMAIN "test-team-settings"

#include "config.h"

#include <string.h>

#include "vd-application.h"
#include "vd-session.h"
#include "vd-team-settings.h"
#include "vd-test-util.h"

static void
wait_for (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
}

static void
got_result (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static void
count_cb (guint *count)
{
  (*count)++;
}

/* URIs are built escaped and read back as they were given. */
static void
test_uri (void)
{
  g_autofree char *uri = NULL;
  g_autofree char *v6 = NULL;
  g_autofree char *host = NULL;
  g_autofree char *dbname = NULL;
  g_autofree char *user = NULL;
  g_autoptr(GError) error = NULL;
  guint port = 0;

  uri = vd_team_settings_build_uri ("db.example.com", 5433, "review queue", "o'brien");
  g_assert_cmpstr (uri, ==, "postgresql://o%27brien@db.example.com:5433/review%20queue");
  g_assert_true (vd_team_settings_parse_uri (uri, &host, &port, &dbname, &user, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (host, ==, "db.example.com");
  g_assert_cmpuint (port, ==, 5433);
  g_assert_cmpstr (dbname, ==, "review queue");
  g_assert_cmpstr (user, ==, "o'brien");

  v6 = vd_team_settings_build_uri ("::1", 0, "verdict", "alice");
  g_assert_cmpstr (v6, ==, "postgresql://alice@[::1]/verdict");

  g_assert_false (vd_team_settings_parse_uri ("postgresql://alice@h/db?nosuchkey=1", NULL, NULL,
                                              NULL, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
}

static void
test_sslmode_and_describe (void)
{
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *c = NULL;
  g_autofree char *d = NULL;
  g_autofree char *described = NULL;
  g_autofree char *keywords = NULL;

  a = vd_team_settings_with_sslmode ("postgresql://alice@h/db", "require");
  g_assert_cmpstr (a, ==, "postgresql://alice@h/db?sslmode=require");
  b = vd_team_settings_with_sslmode ("postgresql://alice@h/db?connect_timeout=5", "verify-full");
  g_assert_cmpstr (b, ==, "postgresql://alice@h/db?connect_timeout=5&sslmode=verify-full");
  /* The connection string's own mode wins. */
  c = vd_team_settings_with_sslmode ("host=h dbname=db sslmode=disable", "require");
  g_assert_cmpstr (c, ==, "host=h dbname=db sslmode=disable");
  d = vd_team_settings_with_sslmode ("host=h dbname=db", "prefer");
  g_assert_cmpstr (d, ==, "host=h dbname=db sslmode=prefer");

  described = vd_team_settings_describe ("postgresql://alice:secret@db.example.com:5432/verdict");
  g_assert_cmpstr (described, ==, "verdict on db.example.com:5432");
  /* Never the password. */
  g_assert_null (strstr (described, "secret"));
  keywords = vd_team_settings_describe ("host=127.0.0.1 port=6000 dbname=team user=bob");
  g_assert_cmpstr (keywords, ==, "team on 127.0.0.1:6000");
}

/* The settings keys, and what the application opens from them. */
static void
test_settings (void)
{
  g_autoptr(GSettings) settings = vd_application_new_settings ();
  g_autoptr(VdTeamSettings) team = NULL;
  g_autofree char *conninfo = NULL;
  g_autofree char *stored = NULL;
  guint changed = 0;

  g_assert_nonnull (settings);
  g_settings_reset (settings, "team-server-uri");
  g_settings_reset (settings, "team-server-sslmode");

  team = vd_team_settings_new (settings);
  g_signal_connect_swapped (team, "changed", G_CALLBACK (count_cb), &changed);
  g_assert_cmpstr (vd_team_settings_get_uri (team), ==, "");
  g_assert_cmpstr (vd_team_settings_get_sslmode (team), ==, "prefer");
  g_assert_null (vd_team_settings_dup_conninfo (team));

  vd_team_settings_set_uri (team, "postgresql://alice@db/verdict");
  vd_team_settings_set_sslmode (team, "verify-full");
  g_assert_cmpuint (changed, ==, 2);
  stored = g_settings_get_string (settings, "team-server-uri");
  g_assert_cmpstr (stored, ==, "postgresql://alice@db/verdict");
  conninfo = vd_team_settings_dup_conninfo (team);
  g_assert_cmpstr (conninfo, ==, "postgresql://alice@db/verdict?sslmode=verify-full");

  /* Another object on the same settings hears of it. */
  g_settings_set_string (settings, "team-server-uri", "");
  g_assert_cmpstr (vd_team_settings_get_uri (team), ==, "");
  g_assert_cmpuint (changed, ==, 3);
}

/* Without a Secret Service, the password is kept in memory for the run. */
static void
test_password_without_keyring (void)
{
  g_autoptr(VdTeamSettings) team = vd_team_settings_new (NULL);
  g_autoptr(GAsyncResult) stored = NULL;
  g_autoptr(GAsyncResult) found = NULL;
  g_autoptr(GAsyncResult) other = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *password = NULL;
  g_autofree char *none = NULL;

  vd_team_settings_store_password_async (team, "postgresql://alice@db/verdict", "s3cret",
                                         NULL, got_result, &stored);
  wait_for (&stored);
  g_assert_true (vd_team_settings_store_password_finish (team, stored, &error));
  g_assert_no_error (error);

  vd_team_settings_lookup_password_async (team, "postgresql://alice@db/verdict", NULL,
                                          got_result, &found);
  wait_for (&found);
  password = vd_team_settings_lookup_password_finish (team, found, &error);
  g_assert_no_error (error);
  if (vd_team_settings_get_password_stored (team))
    {
      /* A keyring answered (a desktop session): it has the password. */
      g_assert_cmpstr (password, ==, "s3cret");
      return;
    }
  g_assert_cmpstr (password, ==, "s3cret");
  g_assert_nonnull (vd_team_settings_get_password_message (team));

  /* Kept for that server only. */
  vd_team_settings_lookup_password_async (team, "postgresql://bob@db/verdict", NULL,
                                          got_result, &other);
  wait_for (&other);
  none = vd_team_settings_lookup_password_finish (team, other, &error);
  g_assert_no_error (error);
  g_assert_null (none);
}

/* Connect says what libpq said, off the calling thread. */
static void
test_connect_refused (void)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *role = NULL;

  vd_team_settings_test_async ("host=127.0.0.1 port=1 dbname=verdict user=alice", "x", NULL,
                               got_result, &result);
  wait_for (&result);
  role = vd_team_settings_test_finish (result, &error);
  g_assert_null (role);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);
  g_assert_nonnull (strstr (error->message, "127.0.0.1"));
  g_assert_nonnull (strstr (error->message, "refused"));
}

/* A session on a team server follows its database role (set up without a
 * server here: the reviewer stays until a store says who). */
static void
test_session_location (void)
{
  g_autoptr(VdSession) session = vd_session_new (NULL);

  g_assert_null (vd_session_get_team_server (session));
  g_assert_false (vd_session_get_reviewer_locked (session));
  g_assert_false (vd_session_get_disconnected (session));
  g_assert_nonnull (vd_session_get_team_settings (session));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/team-settings/uri", test_uri);
  g_test_add_func ("/team-settings/sslmode-and-describe", test_sslmode_and_describe);
  g_test_add_func ("/team-settings/settings", test_settings);
  g_test_add_func ("/team-settings/password-without-keyring", test_password_without_keyring);
  g_test_add_func ("/team-settings/connect-refused", test_connect_refused);
  g_test_add_func ("/team-settings/session", test_session_location);

  return g_test_run ();
}
