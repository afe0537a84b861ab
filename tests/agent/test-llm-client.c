/* test-llm-client.c
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

#include "config.h"

#include <string.h>

#include "vd-json-guard.h"
#include "vd-llm-client.h"
#include "vd-llm-client-private.h"
#include "vd-test-llm-server.h"
#include "vd-test-util.h"

typedef struct
{
  VdTestLlmServer *server;
  VdLlmClient     *client;
  char            *url;
} Fixture;

typedef struct
{
  gboolean    done;
  char       *text;
  JsonObject *object;
  GError     *error;
  gint64      started;
  gint64      elapsed;
  GPtrArray  *deltas;
} Result;

static void
result_clear (Result *result)
{
  g_free (result->text);
  g_clear_pointer (&result->object, json_object_unref);
  g_clear_error (&result->error);
  g_clear_pointer (&result->deltas, g_ptr_array_unref);
  memset (result, 0, sizeof *result);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->server = vd_test_llm_server_new ();
  fixture->client = vd_llm_client_new (vd_test_llm_server_get_base_url (fixture->server),
                                       "test-model");
  fixture->url = g_strdup (vd_test_llm_server_get_endpoint (fixture->server));
  g_object_set (fixture->client,
                "retry-base-ms", 10,
                "connect-timeout", 5,
                "idle-timeout", 5,
                NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  /* The server goes first: libsoup 3.2's server leaks the connections a
   * client closes while idle. */
  vd_test_llm_server_free (fixture->server);
  g_assert_finalize_object (fixture->client);
  g_free (fixture->url);
}

static void
on_chat_done (GObject      *object,
              GAsyncResult *res,
              gpointer      user_data)
{
  Result *result = user_data;

  result->text = vd_llm_client_chat_finish (VD_LLM_CLIENT (object), res, &result->object,
                                            &result->error);
  result->elapsed = g_get_monotonic_time () - result->started;
  result->done = TRUE;
}

static void
on_stream_done (GObject      *object,
                GAsyncResult *res,
                gpointer      user_data)
{
  Result *result = user_data;

  result->text = vd_llm_client_chat_stream_finish (VD_LLM_CLIENT (object), res,
                                                   &result->object, &result->error);
  result->elapsed = g_get_monotonic_time () - result->started;
  result->done = TRUE;
}

static void
on_delta (const char *delta,
          gpointer    user_data)
{
  Result *result = user_data;

  g_ptr_array_add (result->deltas, g_strdup (delta));
}

static JsonArray *
test_messages (void)
{
  return vd_llm_messages_new ("You are a test.", "Say hello.");
}

static JsonObject *
test_schema (void)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  const char *schema =
    "{\"title\": \"agent output\", \"type\": \"object\","
    " \"properties\": {\"content\": {\"type\": \"string\"},"
    "                  \"confidence\": {\"type\": \"number\"}},"
    " \"required\": [\"content\", \"confidence\"], \"additionalProperties\": false}";

  json_parser_load_from_data (parser, schema, -1, &error);
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static void
start_chat (Fixture        *fixture,
            JsonObject     *schema,
            VdLlmChatFlags  flags,
            GCancellable   *cancellable,
            Result         *result)
{
  g_autoptr(JsonArray) messages = test_messages ();

  result->started = g_get_monotonic_time ();
  vd_llm_client_chat_async (fixture->client, messages, schema, flags, cancellable,
                            on_chat_done, result);
}

static void
run_chat (Fixture        *fixture,
          JsonObject     *schema,
          VdLlmChatFlags  flags,
          Result         *result)
{
  start_chat (fixture, schema, flags, NULL, result);
  vd_test_wait_for (&result->done, 15000);
}

static void
run_stream (Fixture    *fixture,
            JsonObject *schema,
            Result     *result)
{
  g_autoptr(JsonArray) messages = test_messages ();

  result->deltas = g_ptr_array_new_with_free_func (g_free);
  result->started = g_get_monotonic_time ();
  vd_llm_client_chat_stream_async (fixture->client, messages, schema, VD_LLM_CHAT_FLAGS_NONE,
                                   on_delta, result, NULL, NULL, on_stream_done, result);
  vd_test_wait_for (&result->done, 15000);
}

static void
assert_error (Result     *result,
              GQuark      domain,
              int         code,
              const char *message)
{
  g_assert_error (result->error, domain, code);
  g_assert_cmpstr (result->error->message, ==, message);
  g_assert_null (result->text);
  g_assert_null (result->object);
}

static void
assert_url_error (Fixture    *fixture,
                  Result     *result,
                  int         code,
                  const char *what)
{
  g_autofree char *expected = g_strdup_printf ("%s: %s", fixture->url, what);

  assert_error (result, VD_LLM_ERROR, code, expected);
}

static char *
member_to_string (JsonObject *object,
                  const char *name)
{
  g_autoptr(JsonNode) node = json_node_copy (json_object_get_member (object, name));

  g_assert_nonnull (node);
  return json_to_string (node, FALSE);
}

/* Plain text: the request carries model, messages, temperature, no format. */
static void
test_plain (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(JsonObject) body = NULL;
  g_autofree char *messages = NULL;
  g_autofree char *path = NULL;
  g_autofree char *authorization = NULL;
  g_autofree char *content_type = NULL;
  Result result = { 0 };

  vd_test_llm_server_push (fixture->server, vd_test_reply_new_content ("Hello there."));
  run_chat (fixture, NULL, VD_LLM_CHAT_FLAGS_NONE, &result);

  g_assert_no_error (result.error);
  g_assert_cmpstr (result.text, ==, "Hello there.");
  g_assert_null (result.object);

  g_assert_cmpuint (vd_test_llm_server_get_n_requests (fixture->server), ==, 1);
  path = vd_test_llm_server_dup_path (fixture->server, 0);
  g_assert_cmpstr (path, ==, "/v1/chat/completions");
  authorization = vd_test_llm_server_dup_header (fixture->server, 0, "Authorization");
  g_assert_null (authorization);
  content_type = vd_test_llm_server_dup_header (fixture->server, 0, "Content-Type");
  g_assert_cmpstr (content_type, ==, "application/json");

  body = vd_test_llm_server_dup_body (fixture->server, 0);
  g_assert_nonnull (body);
  g_assert_cmpstr (json_object_get_string_member (body, "model"), ==, "test-model");
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (body, "temperature"), 0.2,
                                  1e-9);
  g_assert_false (json_object_get_boolean_member (body, "stream"));
  g_assert_false (json_object_has_member (body, "response_format"));
  messages = member_to_string (body, "messages");
  g_assert_cmpstr (messages, ==,
                   "[{\"role\":\"system\",\"content\":\"You are a test.\"},"
                   "{\"role\":\"user\",\"content\":\"Say hello.\"}]");

  result_clear (&result);
}

static void
test_bearer (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *authorization = NULL;
  Result result = { 0 };

  vd_llm_client_set_api_key (fixture->client, "sk-test-123");
  g_assert_true (vd_llm_client_has_api_key (fixture->client));
  vd_llm_client_set_temperature (fixture->client, 0.0);
  run_chat (fixture, NULL, VD_LLM_CHAT_FLAGS_NONE, &result);

  g_assert_no_error (result.error);
  authorization = vd_test_llm_server_dup_header (fixture->server, 0, "Authorization");
  g_assert_cmpstr (authorization, ==, "Bearer sk-test-123");

  {
    g_autoptr(JsonObject) body = vd_test_llm_server_dup_body (fixture->server, 0);

    g_assert_cmpfloat (json_object_get_double_member (body, "temperature"), ==, 0.0);
  }

  /* An empty key is no key. */
  vd_llm_client_set_api_key (fixture->client, "");
  g_assert_false (vd_llm_client_has_api_key (fixture->client));
  result_clear (&result);
}

static void
test_schema_honoured (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(JsonObject) schema = test_schema ();
  g_autoptr(JsonObject) body = NULL;
  g_autofree char *format = NULL;
  Result result = { 0 };

  vd_test_llm_server_push (fixture->server,
                           vd_test_reply_new_content ("{\"content\": \"Hi\", \"confidence\": 0.8}"));
  run_chat (fixture, schema, VD_LLM_CHAT_FLAGS_NONE, &result);

  g_assert_no_error (result.error);
  g_assert_cmpstr (result.text, ==, "{\"content\": \"Hi\", \"confidence\": 0.8}");
  g_assert_nonnull (result.object);
  g_assert_cmpstr (json_object_get_string_member (result.object, "content"), ==, "Hi");
  g_assert_cmpfloat (json_object_get_double_member (result.object, "confidence"), ==, 0.8);

  body = vd_test_llm_server_dup_body (fixture->server, 0);
  format = member_to_string (body, "response_format");
  g_assert_cmpstr (format, ==,
                   "{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"agentoutput\","
                   "\"schema\":{\"title\":\"agent output\",\"type\":\"object\","
                   "\"properties\":{\"content\":{\"type\":\"string\"},"
                   "\"confidence\":{\"type\":\"number\"}},"
                   "\"required\":[\"content\",\"confidence\"],\"additionalProperties\":false},"
                   "\"strict\":true}}");
  result_clear (&result);
}

/* A server that ignores response_format: the object is found in the text. */
static void
test_schema_ignored (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(JsonObject) schema = test_schema ();
  const char *content = "Sure! Here is the answer:\n```json\n"
                        "{\"content\": \"Use {braces} and \\\"quotes\\\"\", \"confidence\": 0.75}\n"
                        "```\nHope this helps {really}.";
  Result result = { 0 };

  vd_test_llm_server_push (fixture->server, vd_test_reply_new_content (content));
  run_chat (fixture, schema, VD_LLM_CHAT_FLAGS_NONE, &result);

  g_assert_no_error (result.error);
  g_assert_cmpstr (result.text, ==, content);
  g_assert_cmpstr (json_object_get_string_member (result.object, "content"), ==,
                   "Use {braces} and \"quotes\"");
  g_assert_cmpfloat (json_object_get_double_member (result.object, "confidence"), ==, 0.75);
  result_clear (&result);
}

/* 400 naming json_schema: asked again once with json_object, not counted
 * as a retry. */
static void
test_json_object_fallback (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(JsonObject) schema = test_schema ();
  g_autoptr(JsonObject) first = NULL;
  g_autoptr(JsonObject) second = NULL;
  g_autofree char *format = NULL;
  Result result = { 0 };

  vd_llm_client_set_max_retries (fixture->client, 0);
  vd_test_llm_server_push (fixture->server,
                           vd_test_reply_new_raw (400, "application/json",
                                                  "{\"error\": {\"message\": \"Invalid "
                                                  "parameter: 'response_format' of type "
                                                  "'json_schema' is not supported with this "
                                                  "model\"}}"));
  vd_test_llm_server_push (fixture->server,
                           vd_test_reply_new_content ("{\"content\": \"x\", \"confidence\": 1}"));
  run_chat (fixture, schema, VD_LLM_CHAT_FLAGS_NONE, &result);

  g_assert_no_error (result.error);
  g_assert_cmpfloat (json_object_get_double_member (result.object, "confidence"), ==, 1.0);
  g_assert_cmpuint (vd_test_llm_server_get_n_requests (fixture->server), ==, 2);

  first = vd_test_llm_server_dup_body (fixture->server, 0);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (first,
                                                                                 "response_format"),
                                                  "type"), ==, "json_schema");
  second = vd_test_llm_server_dup_body (fixture->server, 1);
  format = member_to_string (second, "response_format");
  g_assert_cmpstr (format, ==, "{\"type\":\"json_object\"}");
  result_clear (&result);
}

/* Any other 400 is final. */
static void
test_bad_request (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(JsonObject) schema = test_schema ();
  Result result = { 0 };

  vd_test_llm_server_push (fixture->server,
                           vd_test_reply_new_raw (400, "application/json",
                                                  "{\"error\": {\"message\": \"messages: "
                                                  "too long\"}}"));
  run_chat (fixture, schema, VD_LLM_CHAT_FLAGS_NONE, &result);

  assert_url_error (fixture, &result, VD_LLM_ERROR_BAD_REQUEST,
                    "request rejected (HTTP 400 Bad Request): messages: too long");
  g_assert_cmpuint (vd_test_llm_server_get_n_requests (fixture->server), ==, 1);
  result_clear (&result);
}

static void
test_json_flag (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(JsonObject) body = NULL;
  g_autofree char *format = NULL;
  Result result = { 0 };

  vd_test_llm_server_push (fixture->server, vd_test_reply_new_content ("{\"a\": [1, 2]}"));
  run_chat (fixture, NULL, VD_LLM_CHAT_FLAGS_JSON, &result);

  g_assert_no_error (result.error);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (result.object, "a")),
                    ==, 2);
  body = vd_test_llm_server_dup_body (fixture->server, 0);
  format = member_to_string (body, "response_format");
  g_assert_cmpstr (format, ==, "{\"type\":\"json_object\"}");
  result_clear (&result);

  /* Without any response_format, the object is still parsed. */
  vd_test_llm_server_push (fixture->server, vd_test_reply_new_content ("ok: {\"b\": true}"));
  {
    g_autoptr(JsonObject) schema = test_schema ();
    g_autoptr(JsonObject) second = NULL;

    run_chat (fixture, schema, VD_LLM_CHAT_FLAGS_NO_RESPONSE_FORMAT, &result);
    g_assert_no_error (result.error);
    g_assert_true (json_object_get_boolean_member (result.object, "b"));
    second = vd_test_llm_server_dup_body (fixture->server, 1);
    g_assert_false (json_object_has_member (second, "response_format"));
  }
  result_clear (&result);
}

static void
test_server_error_retry (Fixture       *fixture,
                         gconstpointer  data)
{
  Result result = { 0 };

  vd_test_llm_server_push (fixture->server,
                           vd_test_reply_new_raw (500, "text/plain", "upstream crashed"));
  vd_test_llm_server_push (fixture->server, vd_test_reply_new_content ("recovered"));
  run_chat (fixture, NULL, VD_LLM_CHAT_FLAGS_NONE, &result);

  g_assert_no_error (result.error);
  g_assert_cmpstr (result.text, ==, "recovered");
  g_assert_cmpuint (vd_test_llm_server_get_n_requests (fixture->server), ==, 2);
  result_clear (&result);
}

static void
test_server_error_exhausted (Fixture       *fixture,
                             gconstpointer  data)
{
  Result result = { 0 };

  vd_llm_client_set_max_retries (fixture->client, 2);
  vd_test_llm_server_set_default (fixture->server,
                                  vd_test_reply_new_raw (502, "application/json",
                                                         "{\"error\": \"model\\n  crashed\"}"));
  run_chat (fixture, NULL, VD_LLM_CHAT_FLAGS_NONE, &result);

  assert_url_error (fixture, &result, VD_LLM_ERROR_SERVER_ERROR,
                    "server error (HTTP 502 Bad Gateway): model crashed (after 3 attempts)");
  g_assert_cmpuint (vd_test_llm_server_get_n_requests (fixture->server), ==, 3);
  result_clear (&result);
}

static void
test_rate_limited (Fixture       *fixture,
                   gconstpointer  data)
{
  VdTestReply *limited = vd_test_reply_new_raw (429, "application/json",
                                                "{\"error\": {\"message\": \"slow down\"}}");
  Result result = { 0 };
  gint64 gap;

  vd_test_reply_set_header (limited, "Retry-After", "1");
  vd_test_llm_server_push (fixture->server, limited);
  vd_test_llm_server_push (fixture->server, vd_test_reply_new_content ("after the pause"));
  run_chat (fixture, NULL, VD_LLM_CHAT_FLAGS_NONE, &result);

  g_assert_no_error (result.error);
  g_assert_cmpstr (result.text, ==, "after the pause");
  g_assert_cmpuint (vd_test_llm_server_get_n_requests (fixture->server), ==, 2);

  /* The retry-base of 10 ms would retry at once: Retry-After wins. */
  gap = vd_test_llm_server_get_arrival (fixture->server, 1) -
        vd_test_llm_server_get_arrival (fixture->server, 0);
  g_assert_cmpint (gap, >=, G_USEC_PER_SEC);
  g_assert_cmpint (gap, <, 3 * G_USEC_PER_SEC);
  result_clear (&result);
}

static void
test_rate_limited_exhausted (Fixture       *fixture,
                             gconstpointer  data)
{
  VdTestReply *limited;
  Result result = { 0 };

  /* Too long a wait asked for: fail at once rather than hang. */
  limited = vd_test_reply_new_raw (429, "text/plain", "");
  vd_test_reply_set_header (limited, "Retry-After", "3600");
  vd_test_llm_server_push (fixture->server, limited);
  run_chat (fixture, NULL, VD_LLM_CHAT_FLAGS_NONE, &result);

  assert_url_error (fixture, &result, VD_LLM_ERROR_RATE_LIMITED,
                    "HTTP 429 Too Many Requests, retry after 3600 s");
  g_assert_cmpuint (vd_test_llm_server_get_n_requests (fixture->server), ==, 1);
  result_clear (&result);

  /* Without Retry-After: backoff, then give up. */
  vd_llm_client_set_max_retries (fixture->client, 1);
  vd_test_llm_server_set_default (fixture->server, vd_test_reply_new_raw (429, "text/plain",
                                                                          "busy"));
  run_chat (fixture, NULL, VD_LLM_CHAT_FLAGS_NONE, &result);
  assert_url_error (fixture, &result, VD_LLM_ERROR_RATE_LIMITED,
                    "rate limited (HTTP 429 Too Many Requests): busy (after 2 attempts)");
  g_assert_cmpuint (vd_test_llm_server_get_n_requests (fixture->server), ==, 3);
  result_clear (&result);
}

static void
test_unauthorized (Fixture       *fixture,
                   gconstpointer  data)
{
  Result result = { 0 };

  vd_test_llm_server_set_default (fixture->server,
                                  vd_test_reply_new_raw (401, "application/json",
                                                         "{\"error\": {\"message\": \"Incorrect "
                                                         "API key provided\"}}"));
  run_chat (fixture, NULL, VD_LLM_CHAT_FLAGS_NONE, &result);
  assert_url_error (fixture, &result, VD_LLM_ERROR_UNAUTHORIZED,
                    "the server wants an API key (HTTP 401 Unauthorized): "
                    "Incorrect API key provided");
  g_assert_cmpuint (vd_test_llm_server_get_n_requests (fixture->server), ==, 1);
  result_clear (&result);

  vd_llm_client_set_api_key (fixture->client, "sk-wrong");
  vd_test_llm_server_set_default (fixture->server, vd_test_reply_new_raw (403, NULL, ""));
  run_chat (fixture, NULL, VD_LLM_CHAT_FLAGS_NONE, &result);
  assert_url_error (fixture, &result, VD_LLM_ERROR_UNAUTHORIZED,
                    "the API key was refused (HTTP 403 Forbidden)");
  g_assert_cmpuint (vd_test_llm_server_get_n_requests (fixture->server), ==, 2);

  /* The key never shows up in an error. */
  g_assert_null (strstr (result.error->message, "sk-wrong"));
  result_clear (&result);
}

static void
test_not_found (Fixture       *fixture,
                gconstpointer  data)
{
  Result result = { 0 };

  vd_test_llm_server_push (fixture->server,
                           vd_test_reply_new_raw (404, "application/json",
                                                  "{\"error\": {\"message\": \"model "
                                                  "'test-model' not found\", "
                                                  "\"type\": \"api_error\"}}"));
  run_chat (fixture, NULL, VD_LLM_CHAT_FLAGS_NONE, &result);
  assert_url_error (fixture, &result, VD_LLM_ERROR_BAD_REQUEST,
                    "request rejected (HTTP 404 Not Found): model 'test-model' not found");
  g_assert_cmpuint (vd_test_llm_server_get_n_requests (fixture->server), ==, 1);
  result_clear (&result);

  /* A wrong base URL: the server's own 404 for an unknown path. */
  vd_llm_client_set_base_url (fixture->client,
                              vd_test_llm_server_get_endpoint (fixture->server));
  run_chat (fixture, NULL, VD_LLM_CHAT_FLAGS_NONE, &result);
  g_assert_error (result.error, VD_LLM_ERROR, VD_LLM_ERROR_BAD_REQUEST);
  g_assert_true (g_str_has_suffix (result.error->message,
                                   "/v1/chat/completions/chat/completions: request rejected "
                                   "(HTTP 404 Not Found): no such endpoint"));
  g_assert_cmpuint (vd_test_llm_server_get_n_requests (fixture->server), ==, 2);
  result_clear (&result);
}

/* The server answers only after the idle timeout. */
static void
test_stall (Fixture       *fixture,
            gconstpointer  data)
{
  VdTestReply *slow = vd_test_reply_new_content ("too late");
  Result result = { 0 };

  vd_test_reply_set_delay (slow, 3000);
  vd_test_llm_server_push (fixture->server, slow);
  vd_llm_client_set_idle_timeout (fixture->client, 1);
  vd_llm_client_set_max_retries (fixture->client, 0);
  run_chat (fixture, NULL, VD_LLM_CHAT_FLAGS_NONE, &result);

  assert_url_error (fixture, &result, VD_LLM_ERROR_TIMEOUT, "no answer for 1 s");
  g_assert_cmpint (result.elapsed, >=, G_USEC_PER_SEC);
  g_assert_cmpint (result.elapsed, <, 2500 * 1000);
  result_clear (&result);
}

/* A stream that stops sending mid-way is a stall as well. */
static void
test_stream_stall (Fixture       *fixture,
                   gconstpointer  data)
{
  const char *deltas[] = { "one ", "two ", NULL };
  VdTestReply *slow = vd_test_reply_new_stream (deltas);
  Result result = { 0 };

  vd_test_reply_set_chunk_delay (slow, 2500);
  vd_test_llm_server_push (fixture->server, slow);
  vd_llm_client_set_idle_timeout (fixture->client, 1);
  run_stream (fixture, NULL, &result);

  /* Not retried: text had been shown already. */
  assert_url_error (fixture, &result, VD_LLM_ERROR_TIMEOUT, "the answer stalled for 1 s");
  g_assert_cmpuint (result.deltas->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (result.deltas, 0), ==, "one ");
  g_assert_cmpuint (vd_test_llm_server_get_n_requests (fixture->server), ==, 1);
  result_clear (&result);
}

/* Accepts the connection and never answers; retried once. */
static void
test_hung_socket (Fixture       *fixture,
                  gconstpointer  data)
{
  Result result = { 0 };

  vd_test_llm_server_set_default (fixture->server, vd_test_reply_new_hang ());
  vd_llm_client_set_idle_timeout (fixture->client, 1);
  vd_llm_client_set_max_retries (fixture->client, 1);
  run_chat (fixture, NULL, VD_LLM_CHAT_FLAGS_NONE, &result);

  assert_url_error (fixture, &result, VD_LLM_ERROR_TIMEOUT, "no answer for 1 s (after 2 attempts)");
  g_assert_cmpuint (vd_test_llm_server_get_n_requests (fixture->server), ==, 2);
  g_assert_cmpint (result.elapsed, >=, 2 * G_USEC_PER_SEC);
  result_clear (&result);
}

static guint16
unused_port (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GError) error = NULL;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                         &error);
  g_assert_no_error (error);
  address = g_inet_socket_address_new (loopback, 0);
  g_socket_bind (socket, address, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);

  /* Closed without listening: connecting is refused. */
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

/* A listener whose accept queue is full: the kernel drops further SYNs, so
 * connecting hangs, all on 127.0.0.1. */
static GSocket *
full_listener (guint16  *port,
               GSocket **filler)
{
  g_autoptr(GSocket) listener = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GError) error = NULL;

  listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                           &error);
  g_assert_no_error (error);
  address = g_inet_socket_address_new (loopback, 0);
  g_socket_bind (listener, address, FALSE, &error);
  g_assert_no_error (error);
  g_socket_set_listen_backlog (listener, 0);
  g_socket_listen (listener, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (listener, &error);
  g_assert_no_error (error);
  *port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));

  /* One connection that is never accepted fills the queue. */
  *filler = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                          &error);
  g_assert_no_error (error);
  g_socket_connect (*filler, bound, NULL, &error);
  g_assert_no_error (error);

  return g_steal_pointer (&listener);
}

static void
test_connect_timeout (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GSocket) listener = NULL;
  g_autoptr(GSocket) filler = NULL;
  g_autofree char *base = NULL;
  g_autofree char *expected = NULL;
  guint16 port;
  Result result = { 0 };

  listener = full_listener (&port, &filler);
  base = g_strdup_printf ("http://127.0.0.1:%u/v1", port);
  vd_llm_client_set_base_url (fixture->client, base);
  vd_llm_client_set_connect_timeout (fixture->client, 1);
  vd_llm_client_set_max_retries (fixture->client, 0);
  run_chat (fixture, NULL, VD_LLM_CHAT_FLAGS_NONE, &result);

  expected = g_strdup_printf ("%s/chat/completions: could not connect within 1 s", base);
  assert_error (&result, VD_LLM_ERROR, VD_LLM_ERROR_TIMEOUT, expected);
  g_assert_cmpint (result.elapsed, >=, G_USEC_PER_SEC);
  g_assert_cmpint (result.elapsed, <, 2500 * 1000);
  result_clear (&result);
}

static void
test_unreachable (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *base = g_strdup_printf ("http://127.0.0.1:%u/v1/", unused_port ());
  g_autofree char *expected = NULL;
  Result result = { 0 };

  vd_llm_client_set_base_url (fixture->client, base);
  vd_llm_client_set_max_retries (fixture->client, 1);
  run_chat (fixture, NULL, VD_LLM_CHAT_FLAGS_NONE, &result);

  g_assert_error (result.error, VD_LLM_ERROR, VD_LLM_ERROR_UNREACHABLE);
  expected = g_strdup_printf ("%schat/completions: ", base);
  g_assert_true (g_str_has_prefix (result.error->message, expected));
  g_assert_true (g_str_has_suffix (result.error->message, "(after 2 attempts)"));
  g_assert_nonnull (strstr (result.error->message, "refused"));
  result_clear (&result);

  vd_llm_client_set_base_url (fixture->client, "ftp://example.com/v1");
  run_chat (fixture, NULL, VD_LLM_CHAT_FLAGS_NONE, &result);
  assert_error (&result, VD_LLM_ERROR, VD_LLM_ERROR_UNREACHABLE,
                "ftp://example.com/v1/chat/completions: not an http or https URL");
  result_clear (&result);
  g_assert_cmpuint (vd_test_llm_server_get_n_requests (fixture->server), ==, 0);
}

static void
test_invalid_json (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *prefix = NULL;
  Result result = { 0 };

  vd_test_llm_server_push (fixture->server,
                           vd_test_reply_new_raw (200, "application/json", "{\"choices\": [tru"));
  run_chat (fixture, NULL, VD_LLM_CHAT_FLAGS_NONE, &result);

  g_assert_error (result.error, VD_LLM_ERROR, VD_LLM_ERROR_BAD_RESPONSE);
  prefix = g_strdup_printf ("%s: the answer is not valid JSON: ", fixture->url);
  g_assert_true (g_str_has_prefix (result.error->message, prefix));
  g_assert_cmpuint (vd_test_llm_server_get_n_requests (fixture->server), ==, 1);
  result_clear (&result);

  vd_test_llm_server_push (fixture->server,
                           vd_test_reply_new_raw (200, "application/json", "{\"choices\": []}"));
  run_chat (fixture, NULL, VD_LLM_CHAT_FLAGS_NONE, &result);
  assert_url_error (fixture, &result, VD_LLM_ERROR_BAD_RESPONSE, "the answer has no choices");
  result_clear (&result);

  vd_test_llm_server_push (fixture->server,
                           vd_test_reply_new_raw (200, "application/json",
                                                  "{\"choices\": [{\"message\": "
                                                  "{\"content\": 42}}]}"));
  run_chat (fixture, NULL, VD_LLM_CHAT_FLAGS_NONE, &result);
  assert_url_error (fixture, &result, VD_LLM_ERROR_BAD_RESPONSE,
                    "choices[0].message.content is not text");
  result_clear (&result);
}

static void
test_no_json_object (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(JsonObject) schema = test_schema ();
  VdTestReply *truncated;
  Result result = { 0 };

  vd_test_llm_server_push (fixture->server,
                           vd_test_reply_new_content ("I would rather\n answer in prose."));
  run_chat (fixture, schema, VD_LLM_CHAT_FLAGS_NONE, &result);
  assert_url_error (fixture, &result, VD_LLM_ERROR_BAD_RESPONSE,
                    "the answer holds no JSON object: “I would rather answer in prose.”");
  result_clear (&result);

  truncated = vd_test_reply_new_content ("{\"content\": \"a long");
  vd_test_reply_set_finish_reason (truncated, "length");
  vd_test_llm_server_push (fixture->server, truncated);
  run_chat (fixture, schema, VD_LLM_CHAT_FLAGS_NONE, &result);
  assert_url_error (fixture, &result, VD_LLM_ERROR_BAD_RESPONSE,
                    "the answer holds no JSON object (cut off at the token limit): "
                    "“{\"content\": \"a long”");
  result_clear (&result);

  vd_test_llm_server_push (fixture->server, vd_test_reply_new_content (NULL));
  run_chat (fixture, schema, VD_LLM_CHAT_FLAGS_NONE, &result);
  assert_url_error (fixture, &result, VD_LLM_ERROR_BAD_RESPONSE, "the answer is empty");
  result_clear (&result);

  /* A JSON array is not an object. */
  vd_test_llm_server_push (fixture->server, vd_test_reply_new_content ("[1, 2, 3]"));
  run_chat (fixture, schema, VD_LLM_CHAT_FLAGS_NONE, &result);
  assert_url_error (fixture, &result, VD_LLM_ERROR_BAD_RESPONSE,
                    "the answer holds no JSON object: “[1, 2, 3]”");
  result_clear (&result);
}

static void
test_refusal (Fixture       *fixture,
              gconstpointer  data)
{
  VdTestReply *refusal = vd_test_reply_new_content (NULL);
  VdTestReply *filtered = vd_test_reply_new_content ("");
  Result result = { 0 };

  vd_test_reply_set_refusal (refusal, "I can't help with that.");
  vd_test_llm_server_push (fixture->server, refusal);
  run_chat (fixture, NULL, VD_LLM_CHAT_FLAGS_NONE, &result);
  assert_url_error (fixture, &result, VD_LLM_ERROR_REFUSED,
                    "the model refused: I can't help with that.");
  result_clear (&result);

  vd_test_reply_set_finish_reason (filtered, "content_filter");
  vd_test_llm_server_push (fixture->server, filtered);
  run_chat (fixture, NULL, VD_LLM_CHAT_FLAGS_NONE, &result);
  assert_url_error (fixture, &result, VD_LLM_ERROR_REFUSED,
                    "the server's content filter withheld the answer");
  result_clear (&result);
  g_assert_cmpuint (vd_test_llm_server_get_n_requests (fixture->server), ==, 2);
}

static void
test_stream (Fixture       *fixture,
             gconstpointer  data)
{
  const char *deltas[] = { "Hel", "lo", ", wörld", NULL };
  VdTestReply *stream = vd_test_reply_new_stream (deltas);
  g_autoptr(JsonObject) body = NULL;
  g_autofree char *accept = NULL;
  Result result = { 0 };

  vd_test_reply_set_chunk_delay (stream, 20);
  vd_test_llm_server_push (fixture->server, stream);
  run_stream (fixture, NULL, &result);

  g_assert_no_error (result.error);
  g_assert_cmpstr (result.text, ==, "Hello, wörld");
  g_assert_null (result.object);
  g_assert_cmpuint (result.deltas->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (result.deltas, 0), ==, "Hel");
  g_assert_cmpstr (g_ptr_array_index (result.deltas, 1), ==, "lo");
  g_assert_cmpstr (g_ptr_array_index (result.deltas, 2), ==, ", wörld");
  g_assert_cmpint (result.elapsed, >=, 60 * 1000);

  body = vd_test_llm_server_dup_body (fixture->server, 0);
  g_assert_true (json_object_get_boolean_member (body, "stream"));
  accept = vd_test_llm_server_dup_header (fixture->server, 0, "Accept");
  g_assert_cmpstr (accept, ==, "text/event-stream");
  result_clear (&result);
}

static void
test_stream_schema (Fixture       *fixture,
                    gconstpointer  data)
{
  const char *deltas[] = { "```json\n{\"con", "tent\": \"strea", "med\", \"confidence\"",
                           ": 0.6}\n```", NULL };
  g_autoptr(JsonObject) schema = test_schema ();
  Result result = { 0 };

  vd_test_llm_server_push (fixture->server, vd_test_reply_new_stream (deltas));
  run_stream (fixture, schema, &result);

  g_assert_no_error (result.error);
  g_assert_cmpuint (result.deltas->len, ==, 4);
  g_assert_cmpstr (json_object_get_string_member (result.object, "content"), ==, "streamed");
  g_assert_cmpfloat (json_object_get_double_member (result.object, "confidence"), ==, 0.6);
  result_clear (&result);
}

/* A stream request answered with one whole JSON object. */
static void
test_stream_ignored (Fixture       *fixture,
                     gconstpointer  data)
{
  Result result = { 0 };

  vd_test_llm_server_push (fixture->server, vd_test_reply_new_content ("all at once"));
  run_stream (fixture, NULL, &result);

  g_assert_no_error (result.error);
  g_assert_cmpstr (result.text, ==, "all at once");
  g_assert_cmpuint (result.deltas->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (result.deltas, 0), ==, "all at once");
  result_clear (&result);
}

static void
test_stream_refusal (Fixture       *fixture,
                     gconstpointer  data)
{
  const char *deltas[] = { NULL };
  VdTestReply *stream = vd_test_reply_new_stream (deltas);
  Result result = { 0 };

  vd_test_reply_set_refusal (stream, "No.");
  vd_test_llm_server_push (fixture->server, stream);
  run_stream (fixture, NULL, &result);
  assert_url_error (fixture, &result, VD_LLM_ERROR_REFUSED, "the model refused: No.");
  result_clear (&result);
}

/* The connection closes after some text: an error, and no retry since the
 * text was shown already. */
static void
test_stream_cut (Fixture       *fixture,
                 gconstpointer  data)
{
  const char *deltas[] = { "partial ", "answer", NULL };
  Result result = { 0 };

  vd_test_llm_server_set_default (fixture->server, vd_test_reply_new_stream_cut (deltas));
  run_stream (fixture, NULL, &result);

  /* libsoup reports the missing last chunk as a plain end of data; the
   * missing [DONE] is what tells. */
  assert_url_error (fixture, &result, VD_LLM_ERROR_BAD_RESPONSE,
                    "the stream ended before [DONE] after 14 bytes of text");
  g_assert_cmpuint (result.deltas->len, ==, 2);
  g_assert_cmpuint (vd_test_llm_server_get_n_requests (fixture->server), ==, 1);
  result_clear (&result);
}

/* Cut before any text: retried, and the retry succeeds. */
static void
test_stream_cut_retried (Fixture       *fixture,
                         gconstpointer  data)
{
  const char *none[] = { NULL };
  const char *deltas[] = { "second ", "try", NULL };
  Result result = { 0 };

  vd_test_llm_server_push (fixture->server, vd_test_reply_new_stream_cut (none));
  vd_test_llm_server_push (fixture->server, vd_test_reply_new_stream (deltas));
  run_stream (fixture, NULL, &result);

  g_assert_no_error (result.error);
  g_assert_cmpstr (result.text, ==, "second try");
  g_assert_cmpuint (result.deltas->len, ==, 2);
  g_assert_cmpuint (vd_test_llm_server_get_n_requests (fixture->server), ==, 2);
  result_clear (&result);
}

/* An event stream that ends cleanly but without data: [DONE]. */
static void
test_stream_no_done (Fixture       *fixture,
                     gconstpointer  data)
{
  Result result = { 0 };
  const char *body = "data: {\"choices\": [{\"delta\": {\"content\": \"abc\"}}]}\n\n";

  vd_test_llm_server_push (fixture->server,
                           vd_test_reply_new_raw (200, "text/event-stream", body));
  run_stream (fixture, NULL, &result);
  assert_url_error (fixture, &result, VD_LLM_ERROR_BAD_RESPONSE,
                    "the stream ended before [DONE] after 3 bytes of text");
  result_clear (&result);

  /* Keep-alive comments, CRLF line ends, a last event without its blank
   * line: all fine. */
  vd_test_llm_server_push (fixture->server,
                           vd_test_reply_new_raw (200, "text/event-stream",
                                                  ": keep-alive\r\n\r\n"
                                                  "event: message\r\n"
                                                  "data: {\"choices\": [{\"delta\": "
                                                  "{\"content\": \"x\"}}]}\r\n\r\n"
                                                  "data: {\"choices\": []}\r\n\r\n"
                                                  "data: [DONE]"));
  run_stream (fixture, NULL, &result);
  g_assert_no_error (result.error);
  g_assert_cmpstr (result.text, ==, "x");
  result_clear (&result);

  /* Garbage in the stream. */
  vd_test_llm_server_push (fixture->server,
                           vd_test_reply_new_raw (200, "text/event-stream",
                                                  "data: {oops\n\ndata: [DONE]\n\n"));
  run_stream (fixture, NULL, &result);
  g_assert_error (result.error, VD_LLM_ERROR, VD_LLM_ERROR_BAD_RESPONSE);
  {
    g_autofree char *prefix = g_strdup_printf ("%s: a stream event is not valid JSON: ",
                                               fixture->url);

    g_assert_true (g_str_has_prefix (result.error->message, prefix));
  }
  result_clear (&result);

  /* An error reported inside the stream. */
  vd_llm_client_set_max_retries (fixture->client, 0);
  vd_test_llm_server_push (fixture->server,
                           vd_test_reply_new_raw (200, "text/event-stream",
                                                  "data: {\"error\": {\"message\": \"out of "
                                                  "memory\"}}\n\n"));
  run_stream (fixture, NULL, &result);
  assert_url_error (fixture, &result, VD_LLM_ERROR_SERVER_ERROR,
                    "the server reported in the stream: out of memory");
  result_clear (&result);
}

static void
assert_url_error_prefix (Fixture    *fixture,
                         Result     *result,
                         int         code,
                         const char *what)
{
  g_autofree char *prefix = g_strdup_printf ("%s: %s", fixture->url, what);

  g_assert_error (result->error, VD_LLM_ERROR, code);
  if (!g_str_has_prefix (result->error->message, prefix))
    g_error ("“%s” does not start with “%s”", result->error->message, prefix);
  g_assert_null (result->text);
}

/* The case from the audit: 400 KB of nesting made json-glib overflow the
 * stack. Every JSON text from the server is refused with an error now. */
static void
test_nested_body (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *deep = vd_test_nested_json (200000, "[", "1", "]");
  g_autofree char *deep_object = vd_test_nested_json (100000, "{\"a\":", "1", "}");
  g_autofree char *event = g_strdup_printf ("data: %s\n\ndata: [DONE]\n\n", deep);
  g_autofree char *deep_content = vd_test_nested_json (100000, "{\"a\":", "1", "}");
  g_autoptr(JsonObject) schema = test_schema ();
  Result result = { 0 };

  g_assert_cmpuint (strlen (deep), >=, 400000);
  vd_llm_client_set_max_retries (fixture->client, 0);

  /* A whole completion. */
  vd_test_llm_server_push (fixture->server, vd_test_reply_new_raw (200, "application/json", deep));
  run_chat (fixture, NULL, VD_LLM_CHAT_FLAGS_NONE, &result);
  assert_url_error (fixture, &result, VD_LLM_ERROR_BAD_RESPONSE,
                    "the answer cannot be read: arrays and objects nest more than 64 levels "
                    "deep (line 1, column 65)");
  result_clear (&result);

  vd_test_llm_server_push (fixture->server,
                           vd_test_reply_new_raw (200, "application/json", deep_object));
  run_chat (fixture, NULL, VD_LLM_CHAT_FLAGS_NONE, &result);
  assert_url_error_prefix (fixture, &result, VD_LLM_ERROR_BAD_RESPONSE,
                           "the answer cannot be read: arrays and objects nest more than 64 "
                           "levels deep");
  result_clear (&result);

  /* An error body: its start is quoted as text. */
  vd_test_llm_server_push (fixture->server, vd_test_reply_new_raw (400, "application/json",
                                                                   deep));
  run_chat (fixture, NULL, VD_LLM_CHAT_FLAGS_NONE, &result);
  assert_url_error_prefix (fixture, &result, VD_LLM_ERROR_BAD_REQUEST,
                           "request rejected (HTTP 400 Bad Request): [[[[");
  result_clear (&result);

  /* A stream event. */
  vd_test_llm_server_push (fixture->server, vd_test_reply_new_raw (200, "text/event-stream",
                                                                   event));
  run_stream (fixture, NULL, &result);
  assert_url_error (fixture, &result, VD_LLM_ERROR_BAD_RESPONSE,
                    "a stream event cannot be read: arrays and objects nest more than 64 "
                    "levels deep (line 1, column 65)");
  result_clear (&result);

  /* The JSON object in the model's text. */
  vd_test_llm_server_push (fixture->server, vd_test_reply_new_content (deep_content));
  run_chat (fixture, schema, VD_LLM_CHAT_FLAGS_NONE, &result);
  assert_url_error_prefix (fixture, &result, VD_LLM_ERROR_BAD_RESPONSE,
                           "the JSON object in the answer cannot be read: arrays and objects "
                           "nest more than 64 levels deep");
  result_clear (&result);

  g_assert_cmpuint (vd_test_llm_server_get_n_requests (fixture->server), ==, 5);
}

/* What json-glib decodes wrongly without a word never reaches a caller:
 * a lone surrogate, a NUL, a number too large, an integer beyond 64 bits. */
static void
test_bad_values (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(JsonObject) schema = test_schema ();
  Result result = { 0 };

  vd_llm_client_set_max_retries (fixture->client, 0);

  vd_test_llm_server_push (fixture->server,
                           vd_test_reply_new_raw (200, "application/json",
                                                  "{\"choices\": [{\"message\": {\"content\": "
                                                  "\"a\\ud800b\"}}]}"));
  run_chat (fixture, NULL, VD_LLM_CHAT_FLAGS_NONE, &result);
  assert_url_error_prefix (fixture, &result, VD_LLM_ERROR_BAD_RESPONSE,
                           "the answer cannot be read: choices[0].message.content: not valid "
                           "text");
  result_clear (&result);

  vd_test_llm_server_push (fixture->server,
                           vd_test_reply_new_raw (200, "application/json",
                                                  "{\"choices\": [{\"message\": {\"content\": "
                                                  "\"cut\\u0000here\"}}]}"));
  run_chat (fixture, NULL, VD_LLM_CHAT_FLAGS_NONE, &result);
  assert_url_error_prefix (fixture, &result, VD_LLM_ERROR_BAD_RESPONSE,
                           "the answer cannot be read: a string holds \\u0000");
  result_clear (&result);

  /* In the model's answer: the value is named by its path. */
  vd_test_llm_server_push (fixture->server,
                           vd_test_reply_new_content ("{\"content\": \"x\", \"confidence\": 0.5, "
                                                      "\"metadata\": {\"score\": 1e999}}"));
  run_chat (fixture, schema, VD_LLM_CHAT_FLAGS_NONE, &result);
  assert_url_error (fixture, &result, VD_LLM_ERROR_BAD_RESPONSE,
                    "the JSON object in the answer cannot be read: metadata.score: a number "
                    "too large to represent (such as 1e999)");
  result_clear (&result);

  vd_test_llm_server_push (fixture->server,
                           vd_test_reply_new_content ("{\"content\": \"x\", "
                                                      "\"confidence\": 18446744073709551615}"));
  run_chat (fixture, schema, VD_LLM_CHAT_FLAGS_NONE, &result);
  assert_url_error_prefix (fixture, &result, VD_LLM_ERROR_BAD_RESPONSE,
                           "the JSON object in the answer cannot be read: an integer too large");
  result_clear (&result);

  /* In a stream event. */
  vd_test_llm_server_push (fixture->server,
                           vd_test_reply_new_raw (200, "text/event-stream",
                                                  "data: {\"choices\": [{\"delta\": "
                                                  "{\"content\": \"\\ud800x\"}}]}\n\n"
                                                  "data: [DONE]\n\n"));
  run_stream (fixture, NULL, &result);
  assert_url_error_prefix (fixture, &result, VD_LLM_ERROR_BAD_RESPONSE,
                           "a stream event cannot be read: choices[0].delta.content: not valid "
                           "text");
  g_assert_cmpuint (result.deltas->len, ==, 0);
  result_clear (&result);
}

/* An answer of 200 KB of braces took 13.6 s of CPU: each '{' was tried
 * as the start of an object. Each candidate is parsed once now, and at
 * most VD_LLM_MAX_EXTRACT_ATTEMPTS of them. */
static void
test_extract_linear (void)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(GError) error = NULL;
  guint attempts = 99;

  /* Never closed: nothing to parse. */
  for (guint i = 0; i < 200000; i++)
    g_string_append_c (text, '{');
  object = _vd_llm_extract_json_object (text->str, text->len, &attempts, &error);
  g_assert_null (object);
  g_assert_error (error, VD_LLM_ERROR, VD_LLM_ERROR_BAD_RESPONSE);
  g_assert_cmpuint (attempts, ==, 0);
  g_clear_error (&error);

  /* Closed: one candidate, too deep for the guard, never given to
   * json-glib. */
  for (guint i = 0; i < 200000; i++)
    g_string_append_c (text, '}');
  object = _vd_llm_extract_json_object (text->str, text->len, &attempts, &error);
  g_assert_null (object);
  g_assert_error (error, VD_JSON_GUARD_ERROR, VD_JSON_GUARD_ERROR_TOO_DEEP);
  g_assert_cmpuint (attempts, ==, 1);
  g_clear_error (&error);

  /* 200 KB of small candidates that do not parse: a bounded number tried. */
  g_string_truncate (text, 0);
  while (text->len < 200000)
    g_string_append (text, "{x}");
  object = _vd_llm_extract_json_object (text->str, text->len, &attempts, &error);
  g_assert_null (object);
  g_assert_error (error, VD_LLM_ERROR, VD_LLM_ERROR_BAD_RESPONSE);
  g_assert_cmpuint (attempts, ==, VD_LLM_MAX_EXTRACT_ATTEMPTS);
  g_clear_error (&error);

  /* Brackets that never close an object ("{]") cost no parse at all. */
  g_string_truncate (text, 0);
  while (text->len < 200000)
    g_string_append (text, "{]");
  g_string_append (text, "{\"found\": true}");
  object = _vd_llm_extract_json_object (text->str, text->len, &attempts, &error);
  g_assert_no_error (error);
  g_assert_nonnull (object);
  g_assert_true (json_object_get_boolean_member (object, "found"));
  g_assert_cmpuint (attempts, ==, 1);
  g_clear_pointer (&object, json_object_unref);

  /* A few failed candidates before the answer are fine. */
  g_string_assign (text, "Use {name} or {id}, then: ```json\n{\"a\": 1}\n```");
  object = _vd_llm_extract_json_object (text->str, -1, &attempts, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (object, "a"), ==, 1);
  g_assert_cmpuint (attempts, ==, 3);
}

/* The same audit case through the client: a quick error, no hang. */
static void
test_braces_answer (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(JsonObject) schema = test_schema ();
  g_autoptr(GString) braces = g_string_new (NULL);
  Result result = { 0 };

  for (guint i = 0; i < 200000; i++)
    g_string_append_c (braces, '{');
  vd_test_llm_server_push (fixture->server, vd_test_reply_new_content (braces->str));
  run_chat (fixture, schema, VD_LLM_CHAT_FLAGS_NONE, &result);
  assert_url_error_prefix (fixture, &result, VD_LLM_ERROR_BAD_RESPONSE,
                           "the answer holds no JSON object: “{{{{");
  result_clear (&result);
}

typedef struct
{
  GString *events;
  guint    n_events;
} Collected;

static gboolean
collect_event (const char  *data,
               gsize        length,
               gpointer     user_data,
               GError     **error)
{
  Collected *collected = user_data;

  g_string_append_len (collected->events, data, length);
  g_string_append_c (collected->events, '|');
  collected->n_events++;
  return TRUE;
}

/* Whatever the chunks, the same events; a line longer than any chunk is
 * put together once. */
static void
test_sse_parser (void)
{
  static const char stream[] =
    ": keep-alive\r\n\r\n"
    "event: message\ndata: {\"a\": 1}\n\n"
    "data: first\ndata:second\r\n\r\n"
    "id: 7\nretry: 10\n\n"
    "data: [DONE]";
  const gsize chunk_sizes[] = { 1, 2, 3, 7, 64, sizeof stream };

  for (guint c = 0; c < G_N_ELEMENTS (chunk_sizes); c++)
    {
      Collected collected = { g_string_new (NULL), 0 };
      g_autoptr(VdLlmSseParser) parser = _vd_llm_sse_parser_new (G_MAXSIZE, G_MAXUINT,
                                                                 collect_event, &collected);
      g_autoptr(GError) error = NULL;
      gsize length = sizeof stream - 1;

      for (gsize i = 0; i < length; i += chunk_sizes[c])
        g_assert_true (_vd_llm_sse_parser_feed (parser, stream + i,
                                                MIN (chunk_sizes[c], length - i), &error));
      g_assert_true (_vd_llm_sse_parser_finish (parser, &error));
      g_assert_no_error (error);
      g_assert_cmpstr (collected.events->str, ==, "{\"a\": 1}|first\nsecond|[DONE]|");
      g_assert_cmpuint (collected.n_events, ==, 3);
      g_assert_cmpuint (_vd_llm_sse_parser_get_n_events (parser), ==, 3);
      g_string_free (collected.events, TRUE);
    }

  /* 4 MiB of one line in 16-byte chunks: rescanning what came before on
   * every chunk would read terabytes. */
  {
    Collected collected = { g_string_new (NULL), 0 };
    g_autoptr(VdLlmSseParser) parser = _vd_llm_sse_parser_new (G_MAXSIZE, G_MAXUINT,
                                                               collect_event, &collected);
    g_autoptr(GError) error = NULL;
    char chunk[16];

    memset (chunk, 'x', sizeof chunk);
    g_assert_true (_vd_llm_sse_parser_feed (parser, "data: ", 6, &error));
    for (guint i = 0; i < 4 * 1024 * 1024 / sizeof chunk; i++)
      g_assert_true (_vd_llm_sse_parser_feed (parser, chunk, sizeof chunk, &error));
    g_assert_true (_vd_llm_sse_parser_feed (parser, "\n\n", 2, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (collected.n_events, ==, 1);
    g_assert_cmpuint (collected.events->len, ==, 4 * 1024 * 1024 + 1);
    g_string_free (collected.events, TRUE);
  }

  /* The caps. */
  {
    Collected collected = { g_string_new (NULL), 0 };
    g_autoptr(VdLlmSseParser) parser = _vd_llm_sse_parser_new (20, G_MAXUINT,
                                                               collect_event, &collected);
    g_autoptr(GError) error = NULL;

    g_assert_true (_vd_llm_sse_parser_feed (parser, "data: 1\n\n", 9, &error));
    g_assert_false (_vd_llm_sse_parser_feed (parser, "data: 22222\n\n", 13, &error));
    g_assert_error (error, VD_LLM_ERROR, VD_LLM_ERROR_BAD_RESPONSE);
    g_assert_cmpstr (error->message, ==, "the stream is larger than 20 bytes");
    g_string_free (collected.events, TRUE);
  }
  {
    Collected collected = { g_string_new (NULL), 0 };
    g_autoptr(VdLlmSseParser) parser = _vd_llm_sse_parser_new (G_MAXSIZE, 2,
                                                               collect_event, &collected);
    g_autoptr(GError) error = NULL;

    g_assert_false (_vd_llm_sse_parser_feed (parser, "data: 1\n\ndata: 2\n\ndata: 3\n\n", 27,
                                             &error));
    g_assert_error (error, VD_LLM_ERROR, VD_LLM_ERROR_BAD_RESPONSE);
    g_assert_cmpstr (error->message, ==, "the stream has more than 2 events");
    g_assert_cmpuint (collected.n_events, ==, 2);
    g_string_free (collected.events, TRUE);
  }
}

static char *
event_stream (guint n_events)
{
  GString *body = g_string_new (NULL);

  for (guint i = 0; i < n_events; i++)
    g_string_append (body, "data: {\"choices\": [{\"delta\": {\"content\": \"0123456789\"}}]}\n\n");
  g_string_append (body, "data: [DONE]\n\n");

  return g_string_free (body, FALSE);
}

/* A streamed answer has caps on its size, its events and its time. */
static void
test_stream_caps (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *body = event_stream (50);
  const char *deltas[] = { "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l",
                           "m", "n", "o", "p", "q", "r", "s", "t", NULL };
  VdTestReply *slow;
  Result result = { 0 };

  _vd_llm_client_set_stream_limits (fixture->client, 1024, 0);
  vd_test_llm_server_push (fixture->server, vd_test_reply_new_raw (200, "text/event-stream",
                                                                   body));
  run_stream (fixture, NULL, &result);
  assert_url_error (fixture, &result, VD_LLM_ERROR_BAD_RESPONSE,
                    "the stream is larger than 1024 bytes");
  result_clear (&result);

  _vd_llm_client_set_stream_limits (fixture->client, 0, 20);
  vd_test_llm_server_push (fixture->server, vd_test_reply_new_raw (200, "text/event-stream",
                                                                   body));
  run_stream (fixture, NULL, &result);
  assert_url_error (fixture, &result, VD_LLM_ERROR_BAD_RESPONSE,
                    "the stream has more than 20 events");
  g_assert_cmpuint (result.deltas->len, ==, 20);
  result_clear (&result);

  /* Neither error is retried: the server would do the same again. */
  g_assert_cmpuint (vd_test_llm_server_get_n_requests (fixture->server), ==, 2);

  /* A steady trickle never trips the idle timeout; the deadline stops it. */
  _vd_llm_client_set_stream_limits (fixture->client, 0, 0);
  vd_llm_client_set_answer_timeout (fixture->client, 1);
  slow = vd_test_reply_new_stream (deltas);
  vd_test_reply_set_chunk_delay (slow, 200);
  vd_test_llm_server_push (fixture->server, slow);
  run_stream (fixture, NULL, &result);
  assert_url_error_prefix (fixture, &result, VD_LLM_ERROR_TIMEOUT,
                           "the answer took longer than 1 s; it was stopped after ");
  g_assert_cmpuint (result.deltas->len, >, 0);
  g_assert_cmpuint (result.deltas->len, <, 20);
  g_assert_cmpint (result.elapsed, <, 4 * G_USEC_PER_SEC);
  g_assert_cmpuint (vd_test_llm_server_get_n_requests (fixture->server), ==, 3);
  result_clear (&result);
}

/* 20 requests, at most 3 at the server at any time, all answered. */
static void
test_concurrency (Fixture       *fixture,
                  gconstpointer  data)
{
  VdTestReply *slow = vd_test_reply_new_content ("done");
  Result results[20] = { { 0 } };

  vd_test_reply_set_delay (slow, 100);
  vd_test_llm_server_set_default (fixture->server, slow);
  vd_llm_client_set_max_concurrent (fixture->client, 3);

  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    {
      g_autofree char *prompt = g_strdup_printf ("request %u", i);
      g_autoptr(JsonArray) messages = vd_llm_messages_new (NULL, prompt);

      vd_llm_client_chat_async (fixture->client, messages, NULL, VD_LLM_CHAT_FLAGS_NONE, NULL,
                                on_chat_done, &results[i]);
    }

  g_assert_cmpuint (vd_llm_client_get_n_running (fixture->client), ==, 3);
  g_assert_cmpuint (vd_llm_client_get_n_waiting (fixture->client), ==, 17);

  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    {
      vd_test_wait_for (&results[i].done, 15000);
      g_assert_no_error (results[i].error);
      g_assert_cmpstr (results[i].text, ==, "done");
    }

  g_assert_cmpuint (vd_test_llm_server_get_n_requests (fixture->server), ==, 20);
  g_assert_cmpuint (vd_test_llm_server_get_peak (fixture->server), ==, 3);
  g_assert_cmpuint (vd_llm_client_get_n_running (fixture->client), ==, 0);
  g_assert_cmpuint (vd_llm_client_get_n_waiting (fixture->client), ==, 0);

  /* First in, first out: request i reached the server about i-th (three
   * connections run side by side, so neighbours may swap). */
  for (guint j = 0; j < G_N_ELEMENTS (results); j++)
    {
      g_autoptr(JsonObject) body = vd_test_llm_server_dup_body (fixture->server, j);
      JsonArray *messages = json_object_get_array_member (body, "messages");
      const char *prompt = json_object_get_string_member (json_array_get_object_element (messages,
                                                                                        0),
                                                          "content");
      guint i;

      g_assert_true (g_str_has_prefix (prompt, "request "));
      i = (guint) g_ascii_strtoull (prompt + strlen ("request "), NULL, 10);
      g_assert_cmpuint (i, <=, j + 2);
      g_assert_cmpuint (i + 2, >=, j);
    }

  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    result_clear (&results[i]);
}

static gboolean
cancel_later (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static void
test_cancel_in_flight (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  VdTestReply *slow = vd_test_reply_new_content ("never seen");
  Result result = { 0 };

  vd_test_reply_set_delay (slow, 3000);
  vd_test_llm_server_push (fixture->server, slow);
  g_timeout_add (200, cancel_later, cancellable);
  start_chat (fixture, NULL, VD_LLM_CHAT_FLAGS_NONE, cancellable, &result);
  vd_test_wait_for (&result.done, 5000);

  assert_error (&result, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Operation was cancelled");
  g_assert_cmpint (result.elapsed, >=, 200 * 1000);
  g_assert_cmpint (result.elapsed, <, 1500 * 1000);
  g_assert_cmpuint (vd_llm_client_get_n_running (fixture->client), ==, 0);
  g_assert_cmpuint (vd_test_llm_server_get_n_requests (fixture->server), ==, 1);
  result_clear (&result);
}

static void
test_cancel_stream (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(JsonArray) messages = test_messages ();
  const char *deltas[] = { "a", "b", "c", "d", NULL };
  VdTestReply *stream = vd_test_reply_new_stream (deltas);
  Result result = { 0 };

  vd_test_reply_set_chunk_delay (stream, 400);
  vd_test_llm_server_push (fixture->server, stream);
  result.deltas = g_ptr_array_new_with_free_func (g_free);
  result.started = g_get_monotonic_time ();
  g_timeout_add (200, cancel_later, cancellable);
  vd_llm_client_chat_stream_async (fixture->client, messages, NULL, VD_LLM_CHAT_FLAGS_NONE,
                                   on_delta, &result, NULL, cancellable, on_stream_done, &result);
  vd_test_wait_for (&result.done, 5000);

  assert_error (&result, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Operation was cancelled");
  g_assert_cmpuint (result.deltas->len, ==, 1);
  result_clear (&result);
}

static void
test_cancel_queued (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  VdTestReply *slow = vd_test_reply_new_content ("first");
  Result first = { 0 };
  Result second = { 0 };
  Result third = { 0 };

  vd_test_reply_set_delay (slow, 300);
  vd_test_llm_server_push (fixture->server, slow);
  vd_test_llm_server_push (fixture->server, vd_test_reply_new_content ("third"));
  vd_llm_client_set_max_concurrent (fixture->client, 1);

  start_chat (fixture, NULL, VD_LLM_CHAT_FLAGS_NONE, NULL, &first);
  start_chat (fixture, NULL, VD_LLM_CHAT_FLAGS_NONE, cancellable, &second);
  start_chat (fixture, NULL, VD_LLM_CHAT_FLAGS_NONE, NULL, &third);
  g_assert_cmpuint (vd_llm_client_get_n_waiting (fixture->client), ==, 2);

  g_cancellable_cancel (cancellable);
  vd_test_wait_for (&second.done, 5000);
  assert_error (&second, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Operation was cancelled");
  g_assert_false (first.done);
  g_assert_cmpuint (vd_llm_client_get_n_waiting (fixture->client), ==, 1);

  vd_test_wait_for (&first.done, 5000);
  vd_test_wait_for (&third.done, 5000);
  g_assert_cmpstr (first.text, ==, "first");
  g_assert_cmpstr (third.text, ==, "third");
  g_assert_cmpuint (vd_test_llm_server_get_n_requests (fixture->server), ==, 2);

  result_clear (&first);
  result_clear (&second);
  result_clear (&third);

  /* Cancelled before the call: nothing is sent. */
  start_chat (fixture, NULL, VD_LLM_CHAT_FLAGS_NONE, cancellable, &second);
  vd_test_wait_for (&second.done, 5000);
  assert_error (&second, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Operation was cancelled");
  g_assert_cmpuint (vd_test_llm_server_get_n_requests (fixture->server), ==, 2);
  result_clear (&second);
}

/* Cancelled while waiting to retry: no second request. */
static void
test_cancel_backoff (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  VdTestReply *busy = vd_test_reply_new_raw (503, "text/plain", "busy");
  Result result = { 0 };

  vd_test_reply_set_header (busy, "Retry-After", "2");
  vd_test_llm_server_push (fixture->server, busy);
  g_timeout_add (300, cancel_later, cancellable);
  start_chat (fixture, NULL, VD_LLM_CHAT_FLAGS_NONE, cancellable, &result);
  vd_test_wait_for (&result.done, 5000);

  assert_error (&result, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Operation was cancelled");
  g_assert_cmpint (result.elapsed, <, 1500 * 1000);
  g_assert_cmpuint (vd_test_llm_server_get_n_requests (fixture->server), ==, 1);
  result_clear (&result);
}

static void
test_extract_json (void)
{
  struct {
    const char *text;
    const char *expected;   /* NULL: none */
  } cases[] = {
    { "{\"a\": 1}", "{\"a\":1}" },
    { "  \n{\"a\": {\"b\": [1, {\"c\": 2}]}}\n", "{\"a\":{\"b\":[1,{\"c\":2}]}}" },
    { "```json\n{\"a\": \"}\"}\n```", "{\"a\":\"}\"}" },
    { "Answer: {\"a\": \"say \\\"{hi}\\\"\"} -- done", "{\"a\":\"say \\\"{hi}\\\"\"}" },
    { "{broken} then {\"ok\": true}", "{\"ok\":true}" },
    { "{\"a\": 1} {\"b\": 2}", "{\"a\":1}" },
    { "[{\"in\": \"array\"}]", "{\"in\":\"array\"}" },
    { "no braces at all", NULL },
    { "{\"unterminated\": ", NULL },
    { "", NULL },
    { "{}", "{}" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonObject) object = _vd_llm_extract_json_object (cases[i].text, -1, NULL,
                                                                  &error);

      if (cases[i].expected == NULL)
        {
          g_assert_null (object);
          g_assert_error (error, VD_LLM_ERROR, VD_LLM_ERROR_BAD_RESPONSE);
        }
      else
        {
          g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);
          g_autofree char *json = json_to_string (node, FALSE);

          g_assert_cmpstr (json, ==, cases[i].expected);
        }
    }
}

static void
test_retry_after (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 1, 1, 12, 0, 0);
  guint seconds = 99;

  g_assert_true (_vd_llm_parse_retry_after ("1", now, &seconds));
  g_assert_cmpuint (seconds, ==, 1);
  g_assert_true (_vd_llm_parse_retry_after (" 120 ", now, &seconds));
  g_assert_cmpuint (seconds, ==, 120);
  g_assert_true (_vd_llm_parse_retry_after ("Thu, 01 Jan 2026 12:00:30 GMT", now, &seconds));
  g_assert_cmpuint (seconds, ==, 30);
  g_assert_true (_vd_llm_parse_retry_after ("Thu, 01 Jan 2026 11:00:00 GMT", now, &seconds));
  g_assert_cmpuint (seconds, ==, 0);
  g_assert_false (_vd_llm_parse_retry_after ("soon", now, &seconds));
  g_assert_false (_vd_llm_parse_retry_after ("5s", now, &seconds));
  g_assert_false (_vd_llm_parse_retry_after ("", now, &seconds));
  g_assert_false (_vd_llm_parse_retry_after (NULL, now, &seconds));
}

static void
test_properties (void)
{
  g_autoptr(VdLlmClient) client = vd_llm_client_new (NULL, NULL);
  g_autofree char *url = NULL;
  g_autofree char *base = NULL;
  guint max_concurrent;

  g_assert_cmpstr (vd_llm_client_get_base_url (client), ==, "http://localhost:11434/v1");
  g_assert_cmpstr (vd_llm_client_get_model (client), ==, "gpt-oss:20b");
  g_assert_false (vd_llm_client_has_api_key (client));
  g_assert_cmpuint (vd_llm_client_get_max_retries (client), ==, 3);
  g_assert_cmpuint (vd_llm_client_get_max_concurrent (client), ==, 4);
  g_assert_cmpuint (vd_llm_client_get_retry_base_ms (client), ==, 500);
  g_assert_cmpuint (vd_llm_client_get_connect_timeout (client), ==, 10);
  g_assert_cmpuint (vd_llm_client_get_idle_timeout (client), ==, 300);
  g_assert_cmpfloat (vd_llm_client_get_temperature (client), ==, 0.2);

  url = vd_llm_client_dup_endpoint_url (client);
  g_assert_cmpstr (url, ==, "http://localhost:11434/v1/chat/completions");

  g_object_set (client, "base-url", "https://api.example.com/v1//", "max-concurrent", 8, NULL);
  g_clear_pointer (&url, g_free);
  url = vd_llm_client_dup_endpoint_url (client);
  g_assert_cmpstr (url, ==, "https://api.example.com/v1/chat/completions");
  g_object_get (client, "base-url", &base, "max-concurrent", &max_concurrent, NULL);
  g_assert_cmpstr (base, ==, "https://api.example.com/v1//");
  g_assert_cmpuint (max_concurrent, ==, 8);

  /* The key is write-only. */
  g_assert_false (g_object_class_find_property (G_OBJECT_GET_CLASS (client),
                                                "api-key")->flags & G_PARAM_READABLE);
}

static void
test_redact (void)
{
  const struct
  {
    const char *text;
    const char *expected;
  } cases[] = {
    { "http://user:sekrit@host/v1", "http://host/v1" },
    { "https://sekrit@host:8443/v1/chat/completions: no answer",
      "https://host:8443/v1/chat/completions: no answer" },
    { "http://host/v1/chat/completions?api_key=sekrit: the answer is empty",
      "http://host/v1/chat/completions: the answer is empty" },
    { "“http://u:sekrit@h/v1?k=sekrit#frag” is not a URL", "“http://h/v1” is not a URL" },
    { "see https://docs.example.com/errors (code 7).",
      "see https://docs.example.com/errors (code 7)." },
    { "two: http://a:sekrit@x/ and ftp://b:sekrit@y/p?q", "two: http://x/ and ftp://y/p" },
    { "Authorization: Bearer sk-sekrit was refused",
      "Authorization: Bearer [redacted] was refused" },
    { "://sekrit@nothing", "://sekrit@nothing" },
    { "no URL at all", "no URL at all" },
    { "", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *redacted = vd_llm_redact_text (cases[i].text);

      g_assert_cmpstr (redacted, ==, cases[i].expected);
    }
}

/* Credentials in the URL: refused by the check, and by the client, which
 * keeps the URL without them and sends nothing. */
static void
test_credentials (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *with_credentials = NULL;
  g_autoptr(VdLlmClient) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *base = NULL;
  Result result = { 0 };

  with_credentials = g_strdup_printf ("http://user:sekrit@%s",
                                      vd_test_llm_server_get_base_url (fixture->server) +
                                      strlen ("http://"));

  g_assert_true (vd_llm_check_endpoint_url ("https://api.example.com/v1?api-version=2", &error));
  g_assert_no_error (error);
  g_assert_false (vd_llm_check_endpoint_url (with_credentials, &error));
  g_assert_error (error, VD_LLM_ERROR, VD_LLM_ERROR_CREDENTIALS);
  g_assert_null (strstr (error->message, "sekrit"));
  g_assert_true (g_str_has_prefix (error->message,
                                   vd_test_llm_server_get_base_url (fixture->server)));
  g_clear_error (&error);
  g_assert_false (vd_llm_check_endpoint_url ("https://token@api.example.com/v1", &error));
  g_assert_error (error, VD_LLM_ERROR, VD_LLM_ERROR_CREDENTIALS);
  g_clear_error (&error);
  g_assert_false (vd_llm_check_endpoint_url ("ftp://example.com/v1", &error));
  g_assert_error (error, VD_LLM_ERROR, VD_LLM_ERROR_INVALID_ENDPOINT);
  g_assert_cmpstr (error->message, ==,
                   "“ftp://example.com/v1” is not an http:// or https:// URL with a host");
  g_clear_error (&error);
  g_assert_false (vd_llm_check_endpoint_url (NULL, &error));
  g_assert_error (error, VD_LLM_ERROR, VD_LLM_ERROR_INVALID_ENDPOINT);
  g_clear_error (&error);

  client = vd_llm_client_new (with_credentials, "test-model");
  g_assert_cmpstr (vd_llm_client_get_base_url (client), ==,
                   vd_test_llm_server_get_base_url (fixture->server));
  g_object_get (client, "base-url", &base, NULL);
  g_assert_null (strstr (base, "sekrit"));

  g_clear_object (&fixture->client);
  fixture->client = g_steal_pointer (&client);
  run_chat (fixture, NULL, VD_LLM_CHAT_FLAGS_NONE, &result);
  g_assert_error (result.error, VD_LLM_ERROR, VD_LLM_ERROR_CREDENTIALS);
  g_assert_null (strstr (result.error->message, "sekrit"));
  g_assert_cmpuint (vd_test_llm_server_get_n_requests (fixture->server), ==, 0);
  result_clear (&result);

  /* A usable URL lifts the refusal. */
  vd_llm_client_set_base_url (fixture->client, vd_test_llm_server_get_base_url (fixture->server));
  run_chat (fixture, NULL, VD_LLM_CHAT_FLAGS_NONE, &result);
  g_assert_no_error (result.error);
  result_clear (&result);
}

/* A key in the query is sent (the server may want it there) but never
 * quoted; nor is the API key when the server quotes it back. */
static void
test_secrets_in_messages (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *with_query = g_strdup_printf ("%s/?api-key=sekrit",
                                                 vd_test_llm_server_get_base_url (fixture->server));
  g_autofree char *endpoint = NULL;
  g_autofree char *path = NULL;
  Result result = { 0 };

  vd_llm_client_set_base_url (fixture->client, with_query);
  endpoint = vd_llm_client_dup_endpoint_url (fixture->client);
  g_assert_true (g_str_has_suffix (endpoint, "/v1/chat/completions?api-key=sekrit"));

  vd_llm_client_set_api_key (fixture->client, "sk-very-secret");
  vd_test_llm_server_push (fixture->server,
                           vd_test_reply_new_raw (401, "application/json",
                                                  "{\"error\": {\"message\": \"Incorrect API "
                                                  "key provided: sk-very-secret\"}}"));
  run_chat (fixture, NULL, VD_LLM_CHAT_FLAGS_NONE, &result);
  assert_url_error (fixture, &result, VD_LLM_ERROR_UNAUTHORIZED,
                    "the API key was refused (HTTP 401 Unauthorized): Incorrect API key "
                    "provided: [API key]");
  path = vd_test_llm_server_dup_path (fixture->server, 0);
  g_assert_cmpstr (path, ==, "/v1/chat/completions");
  result_clear (&result);

  /* With a key, a redirect is not followed: the key would go along. */
  {
    VdTestReply *redirect = vd_test_reply_new_raw (307, "text/plain", "");

    vd_test_reply_set_header (redirect, "Location",
                              "http://u:sekrit@elsewhere.invalid/v1?t=sekrit");
    vd_test_llm_server_push (fixture->server, redirect);
  }
  run_chat (fixture, NULL, VD_LLM_CHAT_FLAGS_NONE, &result);
  assert_url_error (fixture, &result, VD_LLM_ERROR_BAD_REQUEST,
                    "the server redirects (HTTP 307 Temporary Redirect) to "
                    "http://elsewhere.invalid/v1; set the endpoint to where it points");
  g_assert_cmpuint (vd_test_llm_server_get_n_requests (fixture->server), ==, 2);
  result_clear (&result);
}

/* The key goes over https, or over plain http to this computer only,
 * unless allowed. Tests reach no other host: the decision is tested
 * directly, and the client's refusal comes before any connection. */
static void
test_key_over_http (Fixture       *fixture,
                    gconstpointer  data)
{
  const struct
  {
    const char *url;
    gboolean    allowed;
    gboolean    allowed_insecure;
  } cases[] = {
    { "https://api.example.com/v1/chat/completions", TRUE, TRUE },
    { "HTTPS://api.example.com/v1", TRUE, TRUE },
    { "http://api.example.com/v1/chat/completions", FALSE, TRUE },
    { "http://192.0.2.1:8080/v1", FALSE, TRUE },
    { "http://localhost:11434/v1", TRUE, TRUE },
    { "http://LocalHost/v1", TRUE, TRUE },
    { "http://127.0.0.1:8080/v1", TRUE, TRUE },
    { "http://127.8.9.10/v1", TRUE, TRUE },
    { "http://[::1]:8080/v1", TRUE, TRUE },
    { "http://128.0.0.1/v1", FALSE, TRUE },
    { "http://localhost.example.com/v1", FALSE, TRUE },
    { "http://127.0.0.1.example.com/v1", FALSE, TRUE },
    { "http://[::ffff:127.0.0.1]/v1", FALSE, TRUE },
    { "http://0.0.0.0/v1", FALSE, TRUE },
    { "ftp://localhost/v1", FALSE, FALSE },
    { "not a url", FALSE, FALSE },
  };
  g_autoptr(VdLlmClient) remote = vd_llm_client_new ("http://192.0.2.1:9/v1", "test-model");
  Result result = { 0 };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_assert_cmpint (vd_llm_key_allowed_for_url (cases[i].url, FALSE), ==, cases[i].allowed);
      g_assert_cmpint (vd_llm_key_allowed_for_url (cases[i].url, TRUE), ==,
                       cases[i].allowed_insecure);
    }

  /* Refused at once, before any connection is tried. */
  vd_llm_client_set_api_key (remote, "sk-remote");
  g_assert_false (vd_llm_client_get_allow_insecure_http (remote));
  g_clear_object (&fixture->client);
  fixture->client = g_steal_pointer (&remote);
  g_free (fixture->url);
  fixture->url = vd_llm_client_dup_endpoint_url (fixture->client);
  run_chat (fixture, NULL, VD_LLM_CHAT_FLAGS_NONE, &result);
  assert_url_error (fixture, &result, VD_LLM_ERROR_INSECURE,
                    "the API key would travel unencrypted over plain http to another "
                    "computer; use https, or allow plain http for this endpoint");
  g_assert_cmpint (result.elapsed, <, G_USEC_PER_SEC);
  result_clear (&result);

  /* The loopback test server gets it over plain http (see /bearer). */
  g_object_set (fixture->client, "allow-insecure-http", TRUE, NULL);
  g_assert_true (vd_llm_client_get_allow_insecure_http (fixture->client));
}

static void
add_test (const char *path,
          void      (*func) (Fixture *, gconstpointer))
{
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down);
}

int
main (int   argc,
      char *argv[])
{
  /* Only 127.0.0.1 is ever asked; no proxy may get in between. */
  g_unsetenv ("http_proxy");
  g_unsetenv ("https_proxy");
  g_unsetenv ("HTTP_PROXY");
  g_unsetenv ("HTTPS_PROXY");
  g_unsetenv ("all_proxy");
  g_unsetenv ("ALL_PROXY");

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/llm-client/extract-json", test_extract_json);
  g_test_add_func ("/llm-client/retry-after", test_retry_after);
  g_test_add_func ("/llm-client/properties", test_properties);
  g_test_add_func ("/llm-client/extract-linear", test_extract_linear);
  g_test_add_func ("/llm-client/sse-parser", test_sse_parser);
  g_test_add_func ("/llm-client/redact", test_redact);
  add_test ("/llm-client/plain", test_plain);
  add_test ("/llm-client/bearer", test_bearer);
  add_test ("/llm-client/schema-honoured", test_schema_honoured);
  add_test ("/llm-client/schema-ignored", test_schema_ignored);
  add_test ("/llm-client/json-object-fallback", test_json_object_fallback);
  add_test ("/llm-client/bad-request", test_bad_request);
  add_test ("/llm-client/json-flag", test_json_flag);
  add_test ("/llm-client/server-error-retry", test_server_error_retry);
  add_test ("/llm-client/server-error-exhausted", test_server_error_exhausted);
  add_test ("/llm-client/rate-limited", test_rate_limited);
  add_test ("/llm-client/rate-limited-exhausted", test_rate_limited_exhausted);
  add_test ("/llm-client/unauthorized", test_unauthorized);
  add_test ("/llm-client/not-found", test_not_found);
  add_test ("/llm-client/stall", test_stall);
  add_test ("/llm-client/stream-stall", test_stream_stall);
  add_test ("/llm-client/hung-socket", test_hung_socket);
  add_test ("/llm-client/unreachable", test_unreachable);
  add_test ("/llm-client/connect-timeout", test_connect_timeout);
  add_test ("/llm-client/invalid-json", test_invalid_json);
  add_test ("/llm-client/no-json-object", test_no_json_object);
  add_test ("/llm-client/refusal", test_refusal);
  add_test ("/llm-client/stream", test_stream);
  add_test ("/llm-client/stream-schema", test_stream_schema);
  add_test ("/llm-client/stream-ignored", test_stream_ignored);
  add_test ("/llm-client/stream-refusal", test_stream_refusal);
  add_test ("/llm-client/stream-cut", test_stream_cut);
  add_test ("/llm-client/stream-cut-retried", test_stream_cut_retried);
  add_test ("/llm-client/stream-no-done", test_stream_no_done);
  add_test ("/llm-client/concurrency", test_concurrency);
  add_test ("/llm-client/cancel-in-flight", test_cancel_in_flight);
  add_test ("/llm-client/cancel-stream", test_cancel_stream);
  add_test ("/llm-client/cancel-queued", test_cancel_queued);
  add_test ("/llm-client/cancel-backoff", test_cancel_backoff);
  add_test ("/llm-client/nested-body", test_nested_body);
  add_test ("/llm-client/bad-values", test_bad_values);
  add_test ("/llm-client/braces-answer", test_braces_answer);
  add_test ("/llm-client/stream-caps", test_stream_caps);
  add_test ("/llm-client/credentials", test_credentials);
  add_test ("/llm-client/secrets-in-messages", test_secrets_in_messages);
  add_test ("/llm-client/key-over-http", test_key_over_http);

  return g_test_run ();
}
