/* test-llm-settings.c
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

#define G_LOG_DOMAIN "test-llm-settings"

#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "vd-application.h"
#include "vd-llm-settings.h"
#include "vd-test-gui.h"
#include "vd-test-llm-server.h"

#define NO_KEYRING "No keyring is available: an API key entered here is kept only until " \
                   "Verdict quits."

/* The settings with every key at its default. */
static GSettings *
fresh_settings (void)
{
  GSettings *settings = vd_application_new_settings ();
  const char * const keys[] = {
    "llm-endpoint", "llm-model", "llm-connect-timeout", "llm-idle-timeout", "llm-concurrency",
    "llm-insecure-http-endpoint",
  };

  g_assert_nonnull (settings);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    g_settings_reset (settings, keys[i]);

  return settings;
}

/* Waits for the key lookup and the probe that construction starts. */
static void
wait_idle (VdLlmSettings *settings)
{
  WAIT_UNTIL (!vd_llm_settings_get_key_loading (settings) &&
              !vd_llm_settings_get_probing (settings));
}

static void
count_cb (gpointer data)
{
  (*(guint *) data)++;
}

typedef struct
{
  VdReachability reachable;
  GError        *error;
  gboolean       done;
} ProbeResult;

static void
probe_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  ProbeResult *probe = user_data;

  probe->reachable = vd_llm_settings_probe_finish (VD_LLM_SETTINGS (object), result,
                                                   &probe->error);
  probe->done = TRUE;
}

typedef struct
{
  gboolean  done;
  gboolean  ok;
  GError   *error;
} KeyResult;

static void
key_done_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  KeyResult *key = user_data;

  key->ok = vd_llm_settings_set_api_key_finish (VD_LLM_SETTINGS (object), result, &key->error);
  key->done = TRUE;
}

static void
set_key (VdLlmSettings *settings,
         const char    *api_key)
{
  KeyResult key = { 0 };

  vd_llm_settings_set_api_key_async (settings, api_key, NULL, key_done_cb, &key);
  WAIT_UNTIL (key.done);
  g_assert_no_error (key.error);
  g_assert_true (key.ok);
}

static void
test_settings_defaults (void)
{
  g_autoptr(GSettings) gsettings = fresh_settings ();
  g_autoptr(VdLlmSettings) settings = vd_llm_settings_new (gsettings);

  g_assert_cmpstr (vd_llm_settings_get_endpoint (settings), ==, "http://localhost:11434/v1");
  g_assert_cmpstr (vd_llm_settings_get_model (settings), ==, "gpt-oss:20b");
  g_assert_false (vd_llm_settings_get_endpoint_from_env (settings));
  g_assert_false (vd_llm_settings_get_model_from_env (settings));
  g_assert_cmpuint (vd_llm_settings_get_connect_timeout (settings), ==, 10);
  g_assert_cmpuint (vd_llm_settings_get_idle_timeout (settings), ==, 120);
  g_assert_cmpuint (vd_llm_settings_get_concurrency (settings), ==, 4);
  g_assert_true (vd_llm_settings_get_settings (settings) == gsettings);

  /* Construction starts reading the key, but asks nothing of an endpoint
   * nobody chose: no network at start. */
  g_assert_true (vd_llm_settings_get_key_loading (settings));
  g_assert_false (vd_llm_settings_get_configured (settings));
  g_assert_false (vd_llm_settings_get_probing (settings));
  g_assert_cmpint (vd_llm_settings_get_reachable (settings), ==, VD_REACHABILITY_UNKNOWN);

  wait_idle (settings);
  vd_test_iterate_for (300);
  g_assert_false (vd_llm_settings_get_probing (settings));
  g_assert_cmpint (vd_llm_settings_get_reachable (settings), ==, VD_REACHABILITY_UNKNOWN);
  g_assert_finalize_object (g_steal_pointer (&settings));
}

/* An endpoint the user set, even to the default URL, is probed at start;
 * an agent feature's probe starts the checks for the default one. */
static void
test_settings_configured (void)
{
  g_autoptr(GSettings) gsettings = fresh_settings ();
  g_autoptr(VdLlmSettings) settings = NULL;
  g_autoptr(VdLlmSettings) by_default = NULL;

  g_settings_set_string (gsettings, "llm-endpoint", "http://localhost:11434/v1");
  settings = vd_llm_settings_new (gsettings);
  g_assert_true (vd_llm_settings_get_configured (settings));
  g_assert_true (vd_llm_settings_get_probing (settings));
  wait_idle (settings);
  g_assert_finalize_object (g_steal_pointer (&settings));

  g_settings_reset (gsettings, "llm-endpoint");
  by_default = vd_llm_settings_new (gsettings);
  g_assert_false (vd_llm_settings_get_probing (by_default));
  vd_llm_settings_probe (by_default);
  g_assert_true (vd_llm_settings_get_probing (by_default));
  wait_idle (by_default);
  g_assert_cmpint (vd_llm_settings_get_reachable (by_default), !=, VD_REACHABILITY_UNKNOWN);
  g_assert_finalize_object (g_steal_pointer (&by_default));
}

static void
test_settings_reachable (void)
{
  g_autoptr(VdTestLlmServer) server = vd_test_llm_server_new ();
  g_autoptr(GSettings) gsettings = fresh_settings ();
  g_autoptr(VdLlmSettings) settings = NULL;
  g_autofree char *path = NULL;
  ProbeResult probe = { 0 };
  g_autofree char *with_slash = g_strconcat (vd_test_llm_server_get_base_url (server), "/ ",
                                             NULL);
  guint n_changed = 0;

  g_settings_set_string (gsettings, "llm-endpoint", with_slash);
  settings = vd_llm_settings_new (gsettings);
  g_signal_connect_swapped (settings, "changed", G_CALLBACK (count_cb), &n_changed);

  /* Trailing slash and blanks dropped. */
  g_assert_cmpstr (vd_llm_settings_get_endpoint (settings), ==,
                   vd_test_llm_server_get_base_url (server));
  wait_idle (settings);

  g_assert_cmpint (vd_llm_settings_get_reachable (settings), ==, VD_REACHABILITY_REACHABLE);
  g_assert_cmpstr (vd_llm_settings_get_last_error (settings), ==, "");

  /* GET {base}/models: the test server has no such path (404), which still
   * shows someone is there. */
  g_assert_cmpuint (vd_test_llm_server_get_n_requests (server), ==, 1);
  path = vd_test_llm_server_dup_path (server, 0);
  g_assert_cmpstr (path, ==, "/v1/models");

  /* On demand, with an answer. */
  vd_llm_settings_probe_async (settings, NULL, probe_done_cb, &probe);
  g_assert_true (vd_llm_settings_get_probing (settings));
  WAIT_UNTIL (probe.done);
  g_assert_no_error (probe.error);
  g_assert_cmpint (probe.reachable, ==, VD_REACHABILITY_REACHABLE);
  g_assert_false (vd_llm_settings_get_probing (settings));
  g_assert_cmpuint (vd_test_llm_server_get_n_requests (server), ==, 2);

  g_assert_cmpuint (n_changed, ==, 0);
}

static char *
closed_port_url (void)
{
  VdTestLlmServer *server = vd_test_llm_server_new ();
  char *url = g_strdup (vd_test_llm_server_get_base_url (server));

  vd_test_llm_server_free (server);

  return url;
}

static void
test_settings_unreachable (void)
{
  g_autoptr(VdTestLlmServer) server = vd_test_llm_server_new ();
  g_autoptr(GSettings) gsettings = fresh_settings ();
  g_autoptr(VdLlmSettings) settings = NULL;
  g_autofree char *closed = closed_port_url ();
  g_autofree char *prefix = g_strconcat (closed, " does not answer: ", NULL);
  ProbeResult probe = { 0 };
  const char *message;
  guint n_changed = 0;

  g_settings_set_string (gsettings, "llm-endpoint", closed);
  settings = vd_llm_settings_new (gsettings);
  g_signal_connect_swapped (settings, "changed", G_CALLBACK (count_cb), &n_changed);
  wait_idle (settings);

  g_assert_cmpint (vd_llm_settings_get_reachable (settings), ==, VD_REACHABILITY_UNREACHABLE);
  message = vd_llm_settings_get_last_error (settings);
  g_assert_true (g_str_has_prefix (message, prefix));
  g_assert_nonnull (strstr (message, "Connection refused"));
  g_assert_true (g_str_has_suffix (message, ". Check that the server runs, or change the "
                                            "endpoint in Preferences."));

  /* A new endpoint: unknown at once, then probed. */
  vd_llm_settings_set_endpoint (settings, vd_test_llm_server_get_base_url (server));
  {
    g_autofree char *stored = g_settings_get_string (gsettings, "llm-endpoint");

    g_assert_cmpstr (stored, ==, vd_test_llm_server_get_base_url (server));
  }
  WAIT_UNTIL (g_strcmp0 (vd_llm_settings_get_endpoint (settings),
                         vd_test_llm_server_get_base_url (server)) == 0);
  g_assert_cmpint (vd_llm_settings_get_reachable (settings), ==, VD_REACHABILITY_UNKNOWN);
  g_assert_cmpstr (vd_llm_settings_get_last_error (settings), ==, "");
  g_assert_true (vd_llm_settings_get_probing (settings));
  g_assert_cmpuint (n_changed, ==, 1);
  wait_idle (settings);
  g_assert_cmpint (vd_llm_settings_get_reachable (settings), ==, VD_REACHABILITY_REACHABLE);

  /* And back, through the async probe. */
  vd_llm_settings_set_endpoint (settings, closed);
  WAIT_UNTIL (g_strcmp0 (vd_llm_settings_get_endpoint (settings), closed) == 0);
  vd_llm_settings_probe_async (settings, NULL, probe_done_cb, &probe);
  WAIT_UNTIL (probe.done);
  g_assert_no_error (probe.error);
  g_assert_cmpint (probe.reachable, ==, VD_REACHABILITY_UNREACHABLE);
  g_assert_cmpint (vd_llm_settings_get_reachable (settings), ==, VD_REACHABILITY_UNREACHABLE);
  g_assert_true (g_str_has_prefix (vd_llm_settings_get_last_error (settings), prefix));

  /* Not a URL. */
  vd_llm_settings_set_endpoint (settings, "not a url");
  WAIT_UNTIL (!vd_llm_settings_get_probing (settings) &&
              vd_llm_settings_get_reachable (settings) == VD_REACHABILITY_UNREACHABLE);
  g_assert_cmpstr (vd_llm_settings_get_last_error (settings), ==,
                   "“not a url” is not a valid URL. Enter one like http://localhost:11434/v1.");

  /* No endpoint: nothing to probe, no client. */
  vd_llm_settings_set_endpoint (settings, "  ");
  WAIT_UNTIL (vd_llm_settings_get_endpoint (settings)[0] == '\0');
  g_assert_false (vd_llm_settings_get_probing (settings));
  g_assert_cmpint (vd_llm_settings_get_reachable (settings), ==, VD_REACHABILITY_UNKNOWN);
  g_assert_cmpstr (vd_llm_settings_get_last_error (settings), ==, "");
  g_assert_null (vd_llm_settings_create_client (settings));
}

/* A server of our own for the answers the test LLM server does not give. */
typedef struct
{
  guint  status;
  char  *authorization;
  guint  n_requests;
} StatusServer;

static void
status_handler (SoupServer        *server,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  StatusServer *state = user_data;
  const char *authorization;

  authorization = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                "Authorization");
  g_free (state->authorization);
  state->authorization = g_strdup (authorization);
  state->n_requests++;
  soup_server_message_set_status (msg, state->status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, "{}", 2);
}

static void
test_settings_status (void)
{
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(GSettings) gsettings = fresh_settings ();
  g_autoptr(VdLlmSettings) settings = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *expected = NULL;
  StatusServer state = { .status = 200 };
  GSList *uris;

  soup_server_add_handler (server, NULL, status_handler, &state, NULL);
  soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  url = g_strdup_printf ("http://127.0.0.1:%d/v1", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  g_settings_set_string (gsettings, "llm-endpoint", url);
  settings = vd_llm_settings_new (gsettings);
  wait_idle (settings);
  g_assert_cmpint (vd_llm_settings_get_reachable (settings), ==, VD_REACHABILITY_REACHABLE);
  g_assert_cmpstr (vd_llm_settings_get_last_error (settings), ==, "");
  g_assert_null (state.authorization);

  /* A refused key: there is someone, and the message says what to do. */
  state.status = 401;
  vd_llm_settings_probe (settings);
  wait_idle (settings);
  g_assert_cmpint (vd_llm_settings_get_reachable (settings), ==, VD_REACHABILITY_REACHABLE);
  expected = g_strdup_printf ("%s refused the API key (HTTP 401). Set the key in Preferences.",
                              url);
  g_assert_cmpstr (vd_llm_settings_get_last_error (settings), ==, expected);
  g_clear_pointer (&expected, g_free);

  /* A server error behind a proxy: the model is not there. */
  state.status = 502;
  vd_llm_settings_probe (settings);
  wait_idle (settings);
  g_assert_cmpint (vd_llm_settings_get_reachable (settings), ==, VD_REACHABILITY_UNREACHABLE);
  expected = g_strdup_printf ("%s answers with a server error (HTTP 502).", url);
  g_assert_cmpstr (vd_llm_settings_get_last_error (settings), ==, expected);

  /* The key goes with the probe. */
  state.status = 200;
  set_key (settings, "sk-probe");
  WAIT_UNTIL (g_strcmp0 (state.authorization, "Bearer sk-probe") == 0);
  wait_idle (settings);
  g_assert_cmpint (vd_llm_settings_get_reachable (settings), ==, VD_REACHABILITY_REACHABLE);

  g_assert_finalize_object (g_steal_pointer (&settings));
  g_free (state.authorization);
}

/* Run in a subprocess: setting the environment is safe only before the
 * first thread starts. */
static void
test_settings_env_subprocess (void)
{
  g_autoptr(GSettings) gsettings = fresh_settings ();
  g_autoptr(VdLlmSettings) settings = NULL;
  g_autoptr(VdLlmClient) client = NULL;
  g_autofree char *closed = closed_port_url ();
  g_autofree char *padded = g_strconcat ("  ", closed, "/", NULL);
  g_autofree char *stored = NULL;

  g_setenv ("VERDICT_LLM_URL", padded, TRUE);
  g_setenv ("VERDICT_LLM_MODEL", "llama3:8b", TRUE);
  settings = vd_llm_settings_new (gsettings);

  g_assert_cmpstr (vd_llm_settings_get_endpoint (settings), ==, closed);
  g_assert_cmpstr (vd_llm_settings_get_model (settings), ==, "llama3:8b");
  g_assert_true (vd_llm_settings_get_endpoint_from_env (settings));
  g_assert_true (vd_llm_settings_get_model_from_env (settings));

  /* The settings are written but the environment wins. */
  vd_llm_settings_set_endpoint (settings, "http://elsewhere.invalid/v1");
  vd_llm_settings_set_model (settings, "other");
  stored = g_settings_get_string (gsettings, "llm-endpoint");
  g_assert_cmpstr (stored, ==, "http://elsewhere.invalid/v1");
  g_assert_cmpstr (vd_llm_settings_get_endpoint (settings), ==, closed);
  g_assert_cmpstr (vd_llm_settings_get_model (settings), ==, "llama3:8b");

  client = vd_llm_settings_create_client (settings);
  g_assert_cmpstr (vd_llm_client_get_base_url (client), ==, closed);
  g_assert_cmpstr (vd_llm_client_get_model (client), ==, "llama3:8b");

  wait_idle (settings);
  g_assert_cmpint (vd_llm_settings_get_reachable (settings), ==, VD_REACHABILITY_UNREACHABLE);
}

static void
test_settings_env (void)
{
  g_test_trap_subprocess ("/llm-settings/env/subprocess", 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

static void
test_settings_values (void)
{
  g_autoptr(GSettings) gsettings = fresh_settings ();
  g_autoptr(VdLlmSettings) settings = NULL;
  g_autoptr(VdLlmClient) client = NULL;
  g_autoptr(VdLlmClient) other = vd_llm_client_new ("http://127.0.0.1:9/v1", "x");
  g_autofree char *closed = closed_port_url ();
  guint n_changed = 0;

  g_settings_set_string (gsettings, "llm-endpoint", closed);
  settings = vd_llm_settings_new (gsettings);
  g_signal_connect_swapped (settings, "changed", G_CALLBACK (count_cb), &n_changed);

  /* Written through, read back, clamped to the schema's ranges. */
  vd_llm_settings_set_connect_timeout (settings, 3);
  vd_llm_settings_set_idle_timeout (settings, 45);
  vd_llm_settings_set_concurrency (settings, 100);
  vd_llm_settings_set_model (settings, " qwen2.5:7b ");
  WAIT_UNTIL (n_changed == 4);
  g_assert_cmpint (g_settings_get_int (gsettings, "llm-connect-timeout"), ==, 3);
  g_assert_cmpint (g_settings_get_int (gsettings, "llm-idle-timeout"), ==, 45);
  g_assert_cmpint (g_settings_get_int (gsettings, "llm-concurrency"), ==, 64);
  g_assert_cmpuint (vd_llm_settings_get_connect_timeout (settings), ==, 3);
  g_assert_cmpuint (vd_llm_settings_get_idle_timeout (settings), ==, 45);
  g_assert_cmpuint (vd_llm_settings_get_concurrency (settings), ==, 64);
  g_assert_cmpstr (vd_llm_settings_get_model (settings), ==, "qwen2.5:7b");

  /* A change made elsewhere (another window, dconf) arrives too. */
  g_settings_set_int (gsettings, "llm-concurrency", 2);
  WAIT_UNTIL (vd_llm_settings_get_concurrency (settings) == 2);
  g_assert_cmpuint (n_changed, ==, 5);

  /* Setting a value it has changes nothing. */
  vd_llm_settings_set_concurrency (settings, 2);
  g_assert_cmpuint (n_changed, ==, 5);

  client = vd_llm_settings_create_client (settings);
  g_assert_cmpstr (vd_llm_client_get_base_url (client), ==, closed);
  g_assert_cmpstr (vd_llm_client_get_model (client), ==, "qwen2.5:7b");
  g_assert_cmpuint (vd_llm_client_get_connect_timeout (client), ==, 3);
  g_assert_cmpuint (vd_llm_client_get_idle_timeout (client), ==, 45);
  g_assert_cmpuint (vd_llm_client_get_max_concurrent (client), ==, 2);
  g_assert_false (vd_llm_client_has_api_key (client));

  vd_llm_settings_apply_to_client (settings, other);
  g_assert_cmpstr (vd_llm_client_get_base_url (other), ==, closed);
  g_assert_cmpstr (vd_llm_client_get_model (other), ==, "qwen2.5:7b");
  g_assert_cmpuint (vd_llm_client_get_max_concurrent (other), ==, 2);

  wait_idle (settings);
}

static void
test_settings_memory (void)
{
  g_autoptr(VdLlmSettings) settings = vd_llm_settings_new (NULL);
  g_autofree char *closed = closed_port_url ();
  guint n_changed = 0;

  g_assert_null (vd_llm_settings_get_settings (settings));
  g_assert_cmpstr (vd_llm_settings_get_endpoint (settings), ==, "http://localhost:11434/v1");
  g_assert_cmpstr (vd_llm_settings_get_model (settings), ==, "gpt-oss:20b");
  g_assert_cmpuint (vd_llm_settings_get_idle_timeout (settings), ==, 120);

  g_signal_connect_swapped (settings, "changed", G_CALLBACK (count_cb), &n_changed);
  g_object_set (settings,
                "endpoint", closed,
                "model", "m",
                "connect-timeout", 7,
                "idle-timeout", 8,
                "concurrency", 9,
                NULL);
  g_assert_cmpuint (n_changed, ==, 5);
  g_assert_cmpstr (vd_llm_settings_get_endpoint (settings), ==, closed);
  g_assert_cmpstr (vd_llm_settings_get_model (settings), ==, "m");
  g_assert_cmpuint (vd_llm_settings_get_connect_timeout (settings), ==, 7);
  g_assert_cmpuint (vd_llm_settings_get_idle_timeout (settings), ==, 8);
  g_assert_cmpuint (vd_llm_settings_get_concurrency (settings), ==, 9);

  wait_idle (settings);
  g_assert_cmpint (vd_llm_settings_get_reachable (settings), ==, VD_REACHABILITY_UNREACHABLE);
}

typedef struct
{
  char     *content;
  GError   *error;
  gboolean  done;
} ChatResult;

static void
chat_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  ChatResult *chat = user_data;

  chat->content = vd_llm_client_chat_finish (VD_LLM_CLIENT (object), result, NULL, &chat->error);
  chat->done = TRUE;
}

/* Under this test's D-Bus address there is no Secret Service: the key is
 * used for the session and said to be so. */
static void
test_settings_key_fallback (void)
{
  g_autoptr(VdTestLlmServer) server = vd_test_llm_server_new ();
  g_autoptr(GSettings) gsettings = fresh_settings ();
  g_autoptr(VdLlmSettings) settings = NULL;
  g_autoptr(VdLlmClient) client = NULL;
  g_autoptr(VdLlmClient) keyless = NULL;
  g_autoptr(JsonArray) messages = vd_llm_messages_new ("system", "user");
  g_autofree char *authorization = NULL;
  g_autofree char *probe_authorization = NULL;
  ChatResult chat = { 0 };
  KeyResult no_endpoint = { 0 };
  guint n_changed = 0;

  g_settings_set_string (gsettings, "llm-endpoint", vd_test_llm_server_get_base_url (server));
  settings = vd_llm_settings_new (gsettings);
  g_signal_connect_swapped (settings, "changed", G_CALLBACK (count_cb), &n_changed);
  wait_idle (settings);

  g_assert_false (vd_llm_settings_get_has_api_key (settings));
  g_assert_false (vd_llm_settings_get_key_stored (settings));
  g_assert_cmpstr (vd_llm_settings_get_key_message (settings), ==, NO_KEYRING);

  set_key (settings, "sk-session-only");
  g_assert_true (vd_llm_settings_get_has_api_key (settings));
  g_assert_false (vd_llm_settings_get_key_stored (settings));
  g_assert_cmpstr (vd_llm_settings_get_key_message (settings), ==, NO_KEYRING);
  g_assert_cmpuint (n_changed, ==, 1);

  /* The key is never a property. */
  g_assert_null (g_object_class_find_property (G_OBJECT_GET_CLASS (settings), "api-key"));

  /* A client built now sends it. */
  wait_idle (settings);
  probe_authorization = vd_test_llm_server_dup_header (server,
                                                       vd_test_llm_server_get_n_requests (server) - 1,
                                                       "authorization");
  g_assert_cmpstr (probe_authorization, ==, "Bearer sk-session-only");
  client = vd_llm_settings_create_client (settings);
  g_assert_true (vd_llm_client_has_api_key (client));
  vd_llm_client_chat_async (client, messages, NULL, VD_LLM_CHAT_FLAGS_NONE, NULL,
                            chat_done_cb, &chat);
  WAIT_UNTIL (chat.done);
  g_assert_no_error (chat.error);
  authorization = vd_test_llm_server_dup_header (server,
                                                 vd_test_llm_server_get_n_requests (server) - 1,
                                                 "authorization");
  g_assert_cmpstr (authorization, ==, "Bearer sk-session-only");
  g_free (chat.content);

  /* Forgetting it. */
  set_key (settings, "");
  g_assert_false (vd_llm_settings_get_has_api_key (settings));
  keyless = vd_llm_settings_create_client (settings);
  g_assert_false (vd_llm_client_has_api_key (keyless));
  vd_llm_settings_apply_to_client (settings, client);
  g_assert_false (vd_llm_client_has_api_key (client));

  /* The key belongs to its endpoint: another URL never gets it. */
  set_key (settings, "sk-for-the-test-server");
  g_assert_true (vd_llm_settings_get_has_api_key (settings));
  vd_llm_settings_set_endpoint (settings, "http://127.0.0.1:9/v1");
  WAIT_UNTIL (g_strcmp0 (vd_llm_settings_get_endpoint (settings), "http://127.0.0.1:9/v1") == 0);
  g_assert_false (vd_llm_settings_get_has_api_key (settings));
  wait_idle (settings);
  g_assert_false (vd_llm_settings_get_has_api_key (settings));
  g_assert_cmpstr (vd_llm_settings_get_key_message (settings), ==, NO_KEYRING);

  /* No endpoint, no key. */
  vd_llm_settings_set_endpoint (settings, "");
  WAIT_UNTIL (vd_llm_settings_get_endpoint (settings)[0] == '\0');
  vd_llm_settings_set_api_key_async (settings, "sk", NULL, key_done_cb, &no_endpoint);
  WAIT_UNTIL (no_endpoint.done);
  g_assert_error (no_endpoint.error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (no_endpoint.error->message, ==,
                   "Set an endpoint URL before an API key: the key is kept for one endpoint.");
  g_assert_false (no_endpoint.ok);
  g_assert_false (vd_llm_settings_get_has_api_key (settings));
  g_clear_error (&no_endpoint.error);
}

#define CREDENTIALS_REFUSED "The URL holds a user name or password, which would be shown and " \
                            "stored with it. Remove them, and enter the key in the API Key " \
                            "field: it is kept in the keyring."

/* Credentials in the endpoint URL: not saved when entered, not used when
 * saved by something else (dconf, an older version). */
static void
test_settings_credentials (void)
{
  g_autoptr(GSettings) gsettings = fresh_settings ();
  g_autoptr(VdLlmSettings) settings = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *closed = closed_port_url ();
  g_autofree char *with_credentials = g_strdup_printf ("http://user:sekrit@%s",
                                                       closed + strlen ("http://"));
  g_autofree char *stored = NULL;

  settings = vd_llm_settings_new (gsettings);
  wait_idle (settings);
  g_assert_cmpstr (vd_llm_settings_get_endpoint_error (settings), ==, "");

  g_assert_true (vd_llm_settings_check_endpoint (closed, &error));
  g_assert_true (vd_llm_settings_check_endpoint ("", &error));
  g_assert_true (vd_llm_settings_check_endpoint ("not a url", &error));
  g_assert_no_error (error);
  g_assert_false (vd_llm_settings_check_endpoint (with_credentials, &error));
  g_assert_error (error, VD_LLM_ERROR, VD_LLM_ERROR_CREDENTIALS);
  g_assert_cmpstr (error->message, ==, CREDENTIALS_REFUSED);

  /* Not saved. */
  g_assert_false (vd_llm_settings_set_endpoint (settings, with_credentials));
  stored = g_settings_get_string (gsettings, "llm-endpoint");
  g_assert_cmpstr (stored, ==, "http://localhost:11434/v1");
  g_assert_cmpstr (vd_llm_settings_get_endpoint (settings), ==, "http://localhost:11434/v1");

  /* Saved elsewhere: no endpoint, and the reason. */
  g_settings_set_string (gsettings, "llm-endpoint", with_credentials);
  WAIT_UNTIL (vd_llm_settings_get_endpoint (settings)[0] == '\0');
  g_assert_cmpstr (vd_llm_settings_get_endpoint_error (settings), ==,
                   "The saved URL holds a user name or password, so it is not used. Enter it "
                   "without them, and the key in the API Key field: it is kept in the "
                   "keyring.");
  g_assert_null (vd_llm_settings_create_client (settings));
  wait_idle (settings);
  g_assert_null (strstr (vd_llm_settings_get_last_error (settings), "sekrit"));

  /* A usable URL clears it. */
  g_assert_true (vd_llm_settings_set_endpoint (settings, closed));
  WAIT_UNTIL (g_strcmp0 (vd_llm_settings_get_endpoint (settings), closed) == 0);
  g_assert_cmpstr (vd_llm_settings_get_endpoint_error (settings), ==, "");
  wait_idle (settings);
  g_assert_finalize_object (g_steal_pointer (&settings));
}

static void
test_settings_env_credentials_subprocess (void)
{
  g_autoptr(GSettings) gsettings = fresh_settings ();
  g_autoptr(VdLlmSettings) settings = NULL;

  g_setenv ("VERDICT_LLM_URL", "https://user:sekrit@api.example.com/v1", TRUE);
  settings = vd_llm_settings_new (gsettings);

  g_assert_true (vd_llm_settings_get_endpoint_from_env (settings));
  g_assert_cmpstr (vd_llm_settings_get_endpoint (settings), ==, "");
  g_assert_cmpstr (vd_llm_settings_get_endpoint_error (settings), ==,
                   "VERDICT_LLM_URL holds a user name or password, so no endpoint is used. Set "
                   "it without them, and enter the key in the API Key field: it is kept in the "
                   "keyring.");
  g_assert_null (vd_llm_settings_create_client (settings));
  wait_idle (settings);
}

static void
test_settings_env_credentials (void)
{
  g_test_trap_subprocess ("/llm-settings/env-credentials/subprocess", 0,
                          G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

/* The key goes over plain http to another computer only with the
 * permission, given for one endpoint. Tests reach no other host: what is
 * checked is that nothing is sent without it. */
static void
test_settings_insecure_http (void)
{
  g_autoptr(GSettings) gsettings = fresh_settings ();
  g_autoptr(VdLlmSettings) settings = NULL;
  g_autoptr(VdLlmClient) client = NULL;
  g_autoptr(JsonArray) messages = vd_llm_messages_new ("system", "user");
  g_autofree char *stored = NULL;
  const char *remote = "http://192.0.2.1:9/v1";
  const char *other = "http://192.0.2.2:9/v1";
  ChatResult chat = { 0 };
  guint n_changed = 0;

  g_settings_set_string (gsettings, "llm-endpoint", "");
  settings = vd_llm_settings_new (gsettings);
  g_signal_connect_swapped (settings, "changed", G_CALLBACK (count_cb), &n_changed);
  wait_idle (settings);

  g_assert_false (vd_llm_settings_get_allow_insecure_http (settings));
  /* No endpoint, nothing to allow. */
  vd_llm_settings_set_allow_insecure_http (settings, TRUE);
  g_assert_false (vd_llm_settings_get_allow_insecure_http (settings));

  vd_llm_settings_set_endpoint (settings, remote);
  WAIT_UNTIL (g_strcmp0 (vd_llm_settings_get_endpoint (settings), remote) == 0);
  g_assert_false (vd_llm_settings_get_allow_insecure_http (settings));

  /* With a key, not even the probe goes out. */
  set_key (settings, "sk-remote");
  WAIT_UNTIL (!vd_llm_settings_get_probing (settings));
  g_assert_cmpint (vd_llm_settings_get_reachable (settings), ==, VD_REACHABILITY_UNKNOWN);
  g_assert_cmpstr (vd_llm_settings_get_last_error (settings), ==,
                   "The API key would travel unencrypted over plain HTTP to "
                   "http://192.0.2.1:9/v1, so nothing was sent. Use an https:// URL, or allow "
                   "plain HTTP for this endpoint in Preferences.");

  client = vd_llm_settings_create_client (settings);
  g_assert_true (vd_llm_client_has_api_key (client));
  g_assert_false (vd_llm_client_get_allow_insecure_http (client));
  vd_llm_client_chat_async (client, messages, NULL, VD_LLM_CHAT_FLAGS_NONE, NULL,
                            chat_done_cb, &chat);
  WAIT_UNTIL (chat.done);
  g_assert_error (chat.error, VD_LLM_ERROR, VD_LLM_ERROR_INSECURE);
  g_clear_error (&chat.error);

  /* Allowed: saved for this URL, and given to clients. */
  n_changed = 0;
  g_object_set (settings, "allow-insecure-http", TRUE, NULL);
  WAIT_UNTIL (vd_llm_settings_get_allow_insecure_http (settings));
  g_assert_cmpuint (n_changed, ==, 1);
  stored = g_settings_get_string (gsettings, "llm-insecure-http-endpoint");
  g_assert_cmpstr (stored, ==, remote);
  vd_llm_settings_apply_to_client (settings, client);
  g_assert_true (vd_llm_client_get_allow_insecure_http (client));

  /* Another endpoint does not have it; the first one keeps it. */
  vd_llm_settings_set_endpoint (settings, other);
  WAIT_UNTIL (g_strcmp0 (vd_llm_settings_get_endpoint (settings), other) == 0);
  g_assert_false (vd_llm_settings_get_allow_insecure_http (settings));
  vd_llm_settings_apply_to_client (settings, client);
  g_assert_false (vd_llm_client_get_allow_insecure_http (client));
  vd_llm_settings_set_endpoint (settings, remote);
  WAIT_UNTIL (g_strcmp0 (vd_llm_settings_get_endpoint (settings), remote) == 0);
  g_assert_true (vd_llm_settings_get_allow_insecure_http (settings));

  /* Taken back. */
  vd_llm_settings_set_allow_insecure_http (settings, FALSE);
  WAIT_UNTIL (!vd_llm_settings_get_allow_insecure_http (settings));
  g_clear_pointer (&stored, g_free);
  stored = g_settings_get_string (gsettings, "llm-insecure-http-endpoint");
  g_assert_cmpstr (stored, ==, "");

  /* Stop whatever probe is connecting to the unreachable address; its
   * callback holds the settings until it has run. */
  vd_llm_settings_set_endpoint (settings, "");
  WAIT_UNTIL (vd_llm_settings_get_endpoint (settings)[0] == '\0');
  wait_idle (settings);
  {
    VdLlmSettings *weak = settings;

    g_object_add_weak_pointer (G_OBJECT (weak), (gpointer *) &weak);
    g_clear_object (&settings);
    WAIT_UNTIL (weak == NULL);
  }
}

int
main (int   argc,
      char *argv[])
{
  vd_test_deadline_seconds = 30;

  /* No Secret Service, whatever runs on this machine. */
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/verdict-test-bus", TRUE);
  g_unsetenv ("VERDICT_LLM_URL");
  g_unsetenv ("VERDICT_LLM_MODEL");

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/llm-settings/defaults", test_settings_defaults);
  g_test_add_func ("/llm-settings/configured", test_settings_configured);
  g_test_add_func ("/llm-settings/reachable", test_settings_reachable);
  g_test_add_func ("/llm-settings/unreachable", test_settings_unreachable);
  g_test_add_func ("/llm-settings/status", test_settings_status);
  g_test_add_func ("/llm-settings/env", test_settings_env);
  g_test_add_func ("/llm-settings/env/subprocess", test_settings_env_subprocess);
  g_test_add_func ("/llm-settings/values", test_settings_values);
  g_test_add_func ("/llm-settings/memory", test_settings_memory);
  g_test_add_func ("/llm-settings/key-fallback", test_settings_key_fallback);
  g_test_add_func ("/llm-settings/credentials", test_settings_credentials);
  g_test_add_func ("/llm-settings/env-credentials", test_settings_env_credentials);
  g_test_add_func ("/llm-settings/env-credentials/subprocess",
                   test_settings_env_credentials_subprocess);
  g_test_add_func ("/llm-settings/insecure-http", test_settings_insecure_http);

  return g_test_run ();
}
