/* test-cli-agent.c: verdict-cli run, revise, second-opinion and assist,
 * run as a user would against a scripted model server
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

#include <glib/gstdio.h>
#include <string.h>

#include "vd-core.h"
#include "vd-test-llm-server.h"
#include "vd-test-util.h"

typedef struct
{
  char            *dir;
  char            *db;
  VdTestLlmServer *server;
  const char      *base_url;
  const char      *url;
} Fixture;

/* Runs verdict-cli --db DB with the arguments (NULL-terminated), in the
 * environment @env ("NAME=VALUE" strings, maybe NULL) on top of a clean
 * one. The server answers from its own thread meanwhile. */
/* What a reviewer without a key is told on standard error. */
#define UNVERIFIED(id) \
  "verdict-cli: " id " has no key: decisions are signed by this installation, as an " \
  "unverified reviewer\n"

#define run_cli_env(run, fixture, env, ...) \
  vd_test_run_cli_full (run, (fixture)->db, NULL, env, __VA_ARGS__)
#define run_cli(run, fixture, ...) vd_test_run_cli (run, (fixture)->db, __VA_ARGS__)

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->dir = vd_test_make_tmp_dir ("cli-agent");
  fixture->db = g_build_filename (fixture->dir, "verdict.db", NULL);
  fixture->server = vd_test_llm_server_new ();
  fixture->base_url = vd_test_llm_server_get_base_url (fixture->server);
  fixture->url = vd_test_llm_server_get_endpoint (fixture->server);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  vd_test_llm_server_free (fixture->server);
  vd_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->db);
}

static void
push_output (Fixture    *fixture,
             const char *content,
             double      confidence)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *json = NULL;

  json_object_set_string_member (object, "content", content);
  json_object_set_double_member (object, "confidence", confidence);
  json_object_set_string_member (object, "reasoning", "");
  json_object_set_object_member (object, "metadata", json_object_new ());
  json_node_set_object (node, object);
  json = json_to_string (node, FALSE);
  vd_test_llm_server_push (fixture->server, vd_test_reply_new_content (json));
}

static VdItem *
get_item (VdStore    *store,
          const char *queue,
          const char *task_id)
{
  g_autoptr(GError) error = NULL;
  VdItem *item = vd_store_get_item (store, queue, task_id, &error);

  g_assert_no_error (error);
  return item;
}

static guint
count_lines_with (const char *text,
                  const char *needle)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  guint n = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    n += strstr (lines[i], needle) != NULL;

  return n;
}

/* Three items of queue "payments", queued; task_0001 and task_0003 are
 * rejected with feedback. */
static void
prepare_rejected (Fixture *fixture)
{
  g_auto(VdTestRun) run = { 0 };
  g_autofree char *queue = NULL;

  queue = vd_test_write_file (fixture->dir, "payments.jsonl",
    "{\"task_id\": \"task_0001\", \"task_description\": \"Refund order 1182\", "
    "\"task_type\": \"payment\", \"agent_output\": {\"content\": \"Refund $40.\", "
    "\"confidence\": 0.55}, \"escalation_reason\": \"low_confidence\"}\n"
    "{\"task_id\": \"task_0002\", \"task_description\": \"Refund order 1183\", "
    "\"agent_output\": {\"content\": \"Refund $12.\", \"confidence\": 0.6}, "
    "\"escalation_reason\": \"low_confidence\"}\n"
    "{\"task_id\": \"task_0003\", \"task_description\": \"Refund order 1184\", "
    "\"agent_output\": {\"content\": \"Refund $99.\", \"confidence\": 0.4}, "
    "\"escalation_reason\": \"low_confidence\"}\n");
  run_cli (&run, fixture, "import", queue, NULL);
  g_assert_cmpint (run.status, ==, 0);
  vd_test_run_clear (&run);

  run_cli (&run, fixture, "decide", "task_0001", "reject", "--reviewer", "alice",
           "--feedback", "Refund only $30: shipping is not refundable.", NULL);
  g_assert_cmpstr (run.err, ==, UNVERIFIED ("alice"));
  g_assert_cmpint (run.status, ==, 0);
  vd_test_run_clear (&run);

  run_cli (&run, fixture, "decide", "task_0003", "reject", "--reviewer", "alice",
           "--feedback", "Check the order total first.", NULL);
  g_assert_cmpint (run.status, ==, 0);
}

static void
test_run (Fixture       *fixture,
          gconstpointer  data)
{
  g_auto(VdTestRun) run = { 0 };
  g_auto(VdTestRun) again = { 0 };
  g_autoptr(VdStore) store = NULL;
  g_autoptr(VdItem) wire = NULL;
  g_autofree char *inputs = NULL;
  g_autofree char *policy = NULL;
  g_autofree char *summary = NULL;
  guint reasons[VD_ESCALATION_REASON_USER_REQUESTED + 1] = { 0 };
  guint n_approved = 0;

  inputs = vd_test_write_file (fixture->dir, "payments.jsonl",
    "{\"task_description\": \"Refund order 1182\", \"task_type\": \"payment\"}\n"
    "{\"task_id\": \"wire_7\", \"task_description\": \"Wire $27,300 to Baltic Timber\", "
    "\"task_type\": \"payment\", \"context\": \"Paid 5 times before\"}\n"
    "\n"
    "{\"task_description\": \"Close the stale account\", \"task_type\": \"support\"}\n"
    "{\"task_description\": \"Reply to a billing question\"}\n");
  policy = vd_test_write_file (fixture->dir, "policy.json",
                       "{\"confidence_threshold\": 0.7, \"sensitive_keywords\": [\"delete\"]}");

  /* The replies go to the inputs in whatever order the requests arrive:
   * the counts are what is certain. */
  push_output (fixture, "Refund $40 to the card.", 0.55);
  push_output (fixture, "Send the wire of $27,300.", 0.95);
  push_output (fixture, "Delete the account and its data.", 0.9);
  vd_test_llm_server_push (fixture->server, vd_test_reply_new_content ("Sorry, no."));

  run_cli (&run, fixture, "run", "--endpoint", fixture->base_url, "--model", "test-model",
           "--policy", policy, "--concurrency", "2", inputs, NULL);

  g_assert_cmpint (run.status, ==, 1);
  g_assert_cmpstr (run.err, ==,
                   "verdict-cli run: the agent failed on 1 of 4 inputs; they are queued for "
                   "review as error_occurred\n");
  summary = g_strdup_printf ("\n4 inputs: 2 queued for review, 1 auto-approved, 1 failed "
                             "(queued as error_occurred); policy: %s\n", policy);
  g_assert_true (g_str_has_suffix (run.out, summary));
  g_assert_cmpuint (count_lines_with (run.out, "payments/task_0001: "), ==, 1);
  g_assert_cmpuint (count_lines_with (run.out, "payments/wire_7: "), ==, 1);
  g_assert_cmpuint (count_lines_with (run.out, "payments/task_0002: "), ==, 1);
  g_assert_cmpuint (count_lines_with (run.out, "payments/task_0003: "), ==, 1);
  g_assert_cmpuint (count_lines_with (run.out, ": failed, queued as error_occurred: "), ==, 1);
  g_assert_cmpuint (count_lines_with (run.out, ": auto-approved (confidence 0.95)"), ==, 1);
  g_assert_cmpuint (count_lines_with (run.out, ": queued for review: low_confidence "
                                               "(confidence 0.55)"), ==, 1);
  g_assert_cmpuint (count_lines_with (run.out, ": queued for review: sensitive_content "
                                               "(confidence 0.90)"), ==, 1);
  g_assert_cmpuint (vd_test_llm_server_get_n_requests (fixture->server), ==, 4);
  g_assert_cmpuint (vd_test_llm_server_get_peak (fixture->server), <=, 2);

  store = vd_test_open_store (fixture->db);
  for (guint i = 1; i <= 4; i++)
    {
      g_autofree char *task_id = i == 4 ? g_strdup ("wire_7") : g_strdup_printf ("task_%04u", i);
      g_autoptr(VdItem) item = get_item (store, "payments", task_id);

      if (vd_item_get_status (item) == VD_TASK_STATUS_APPROVED)
        n_approved++;
      else
        reasons[vd_item_get_escalation_reason (item)]++;
    }
  g_assert_cmpuint (n_approved, ==, 1);
  g_assert_cmpuint (reasons[VD_ESCALATION_REASON_LOW_CONFIDENCE], ==, 1);
  g_assert_cmpuint (reasons[VD_ESCALATION_REASON_SENSITIVE_CONTENT], ==, 1);
  g_assert_cmpuint (reasons[VD_ESCALATION_REASON_ERROR_OCCURRED], ==, 1);
  wire = get_item (store, "payments", "wire_7");
  g_assert_cmpstr (vd_item_get_context (wire), ==, "Paid 5 times before");
  g_clear_object (&store);

  /* Running the file again: the given id is taken, nothing runs. */
  run_cli (&again, fixture, "run", "--endpoint", fixture->base_url, inputs, NULL);
  g_assert_cmpint (again.status, ==, 1);
  g_assert_cmpstr (again.out, ==, "");
  g_assert_cmpstr (again.err, ==,
                   "verdict-cli: payments.jsonl:2: task_id: “wire_7” already exists in queue "
                   "“payments”\n");
  g_assert_cmpuint (vd_test_llm_server_get_n_requests (fixture->server), ==, 4);
}

/* Every input succeeds: exit 0; the header names the queue; the
 * environment gives the endpoint, the model and the key. No policy was
 * chosen for the queue: the output waits for review. */
static void
test_run_env (Fixture       *fixture,
              gconstpointer  data)
{
  g_auto(VdTestRun) run = { 0 };
  g_autofree char *inputs = NULL;
  g_autofree char *url_env = g_strdup_printf ("VERDICT_LLM_URL=%s", fixture->base_url);
  const char *env[] = { url_env, "VERDICT_LLM_MODEL=env-model", "VERDICT_LLM_API_KEY=sekrit",
                        NULL };
  g_autoptr(JsonObject) body = NULL;
  g_autofree char *authorization = NULL;
  g_autoptr(VdStore) store = NULL;
  g_autoptr(VdItem) item = NULL;

  inputs = vd_test_write_file (fixture->dir, "inputs.jsonl",
    "{\"verdict_queue\": 1, \"queue\": \"moderation\"}\n"
    "{\"task_description\": \"Label this forum reply\", \"task_type\": \"content_moderation\"}\n");
  push_output (fixture, "Keep it, with a civility label.", 0.92);

  run_cli_env (&run, fixture, env, "run", inputs, NULL);
  g_assert_cmpstr (run.err, ==, "");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==,
                   "moderation/task_0001: queued for review: policy_required (confidence 0.92)\n"
                   "1 input: 1 queued for review, 0 auto-approved, 0 failed (queued as "
                   "error_occurred); no policy chosen: every output queued for review "
                   "(use --policy FILE)\n");

  body = vd_test_llm_server_dup_body (fixture->server, 0);
  g_assert_cmpstr (json_object_get_string_member (body, "model"), ==, "env-model");
  authorization = vd_test_llm_server_dup_header (fixture->server, 0, "Authorization");
  g_assert_cmpstr (authorization, ==, "Bearer sekrit");

  store = vd_test_open_store (fixture->db);
  item = get_item (store, "moderation", "task_0001");
  g_assert_cmpstr (vd_item_get_task_type (item), ==, "content_moderation");
}

/* A policy given to run is remembered for the queue; a later run without
 * one applies it, and says so. */
static void
test_run_remembered_policy (Fixture       *fixture,
                            gconstpointer  data)
{
  g_auto(VdTestRun) run = { 0 };
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *policy = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(VdStore) store = NULL;
  g_autofree char *json = NULL;
  g_autofree char *source = NULL;
  g_autoptr(GError) error = NULL;

  policy = vd_test_write_file (fixture->dir, "policy.json", "{\"confidence_threshold\": 0.9}");
  first = vd_test_write_file (fixture->dir, "first.jsonl",
    "{\"verdict_queue\": 1, \"queue\": \"moderation\"}\n"
    "{\"task_description\": \"Label this forum reply\"}\n");
  second = vd_test_write_file (fixture->dir, "second.jsonl",
    "{\"verdict_queue\": 1, \"queue\": \"moderation\"}\n"
    "{\"task_description\": \"Label that forum reply\"}\n");

  push_output (fixture, "Keep it.", 0.95);
  run_cli (&run, fixture, "run", "--endpoint", fixture->base_url, "--policy", policy, first,
           NULL);
  g_assert_cmpstr (run.err, ==, "");
  g_assert_cmpint (run.status, ==, 0);
  expected = g_strdup_printf ("moderation/task_0001: auto-approved (confidence 0.95)\n"
                              "1 input: 0 queued for review, 1 auto-approved, 0 failed (queued "
                              "as error_occurred); policy: %s\n", policy);
  g_assert_cmpstr (run.out, ==, expected);
  vd_test_run_clear (&run);
  g_clear_pointer (&expected, g_free);

  store = vd_test_open_store (fixture->db);
  g_assert_true (vd_store_get_queue_policy (store, "moderation", &json, &source, &error));
  g_assert_no_error (error);
  g_assert_nonnull (json);
  g_assert_cmpstr (source, ==, policy);
  g_clear_object (&store);

  push_output (fixture, "Keep that.", 0.95);
  run_cli (&run, fixture, "run", "--endpoint", fixture->base_url, second, NULL);
  g_assert_cmpstr (run.err, ==, "");
  g_assert_cmpint (run.status, ==, 0);
  expected = g_strdup_printf ("moderation/task_0002: auto-approved (confidence 0.95)\n"
                              "1 input: 0 queued for review, 1 auto-approved, 0 failed (queued "
                              "as error_occurred); policy remembered for queue moderation: %s\n",
                              policy);
  g_assert_cmpstr (run.out, ==, expected);
}

/* A bad line: file:line: field, exit 1, nothing run, nothing stored. */
static void
test_run_invalid (Fixture       *fixture,
                  gconstpointer  data)
{
  g_auto(VdTestRun) run = { 0 };
  g_autofree char *inputs = NULL;

  inputs = vd_test_write_file (fixture->dir, "bad.jsonl",
    "{\"task_description\": \"Refund order 1182\"}\n"
    "{\"task_id\": \"t2\", \"task_type\": \"payment\"}\n");
  run_cli (&run, fixture, "run", "--endpoint", fixture->base_url, inputs, NULL);

  g_assert_cmpint (run.status, ==, 1);
  g_assert_cmpstr (run.out, ==, "");
  g_assert_cmpstr (run.err, ==, "verdict-cli: bad.jsonl:2: task_description: missing (required)\n");
  g_assert_cmpuint (vd_test_llm_server_get_n_requests (fixture->server), ==, 0);
  g_assert_false (g_file_test (fixture->db, G_FILE_TEST_EXISTS));
  vd_test_run_clear (&run);

  g_free (inputs);
  inputs = vd_test_write_file (fixture->dir, "bad.jsonl", "{\"task_description\": \"x\", \"context\": 7}\n");
  run_cli (&run, fixture, "run", "--endpoint", fixture->base_url, inputs, NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_cmpstr (run.err, ==,
                   "verdict-cli: bad.jsonl:1: context: expected a string, found 7\n");
}

/* Credentials in the endpoint URL: refused before anything runs, and
 * never printed. */
static void
test_credentials (Fixture       *fixture,
                  gconstpointer  data)
{
  g_auto(VdTestRun) run = { 0 };
  g_autofree char *inputs = NULL;
  g_autofree char *with_credentials = g_strdup_printf ("http://user:sekrit@%s",
                                                       fixture->base_url + strlen ("http://"));
  g_autofree char *url_env = g_strdup_printf ("VERDICT_LLM_URL=%s", with_credentials);
  const char *env[] = { url_env, NULL };
  g_autofree char *expected = NULL;

  inputs = vd_test_write_file (fixture->dir, "inputs.jsonl",
                               "{\"task_description\": \"Refund order 1182\"}\n");

  run_cli (&run, fixture, "run", "--endpoint", with_credentials, inputs, NULL);
  expected = g_strdup_printf ("verdict-cli run: --endpoint: the URL holds a user name or "
                              "password (%s): remove them and put the key in the "
                              "VERDICT_LLM_API_KEY environment variable\n", fixture->base_url);
  g_assert_cmpstr (run.err, ==, expected);
  g_assert_cmpstr (run.out, ==, "");
  g_assert_cmpint (run.status, ==, 2);
  g_clear_pointer (&expected, g_free);

  run_cli (&run, fixture, "assist", "--endpoint", with_credentials, "task_0001", NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_null (strstr (run.err, "sekrit"));

  run_cli_env (&run, fixture, env, "run", inputs, NULL);
  expected = g_strdup_printf ("verdict-cli: VERDICT_LLM_URL: the URL holds a user name or "
                              "password (%s): remove them and put the key in the "
                              "VERDICT_LLM_API_KEY environment variable\n", fixture->base_url);
  g_assert_cmpstr (run.err, ==, expected);
  g_assert_cmpint (run.status, ==, 1);

  g_assert_cmpuint (vd_test_llm_server_get_n_requests (fixture->server), ==, 0);
  g_assert_false (g_file_test (fixture->db, G_FILE_TEST_EXISTS));
}

/* A token in the endpoint's query, and URLs the server quotes: the
 * request goes out, but neither the output nor the store keeps them. */
static void
test_secrets_not_stored (Fixture       *fixture,
                         gconstpointer  data)
{
  g_auto(VdTestRun) run = { 0 };
  g_autofree char *inputs = NULL;
  g_autofree char *with_query = g_strdup_printf ("%s?api-key=sekrit", fixture->base_url);
  g_autofree char *expected = NULL;
  g_autoptr(VdStore) store = NULL;
  g_autoptr(VdItem) item = NULL;

  inputs = vd_test_write_file (fixture->dir, "payments.jsonl",
                               "{\"task_description\": \"Refund order 1182\"}\n");
  vd_test_llm_server_push (fixture->server,
                           vd_test_reply_new_raw (400, "application/json",
                                                  "{\"error\": {\"message\": \"see "
                                                  "https://u:sekrit@docs.invalid/e?t=sekrit\"}}"));

  run_cli (&run, fixture, "run", "--endpoint", with_query, inputs, NULL);
  g_assert_cmpint (run.status, ==, 1);
  expected = g_strdup_printf ("payments/task_0001: failed, queued as error_occurred: %s: "
                              "request rejected (HTTP 400 Bad Request): see "
                              "https://docs.invalid/e\n", fixture->url);
  g_assert_true (g_str_has_prefix (run.out, expected));
  g_assert_null (strstr (run.out, "sekrit"));
  g_assert_null (strstr (run.err, "sekrit"));
  g_assert_cmpuint (vd_test_llm_server_get_n_requests (fixture->server), ==, 1);

  store = vd_test_open_store (fixture->db);
  item = get_item (store, "payments", "task_0001");
  g_assert_cmpint (vd_item_get_escalation_reason (item), ==,
                   VD_ESCALATION_REASON_ERROR_OCCURRED);
  g_clear_object (&item);
  g_clear_object (&store);
  g_assert_false (vd_test_dir_contains (fixture->dir, "sekrit"));
}

/* The audit's case: a server answering with 400 KB of nesting crashed
 * `run` with a stack overflow. It is an agent failure now. */
static void
test_nested_answer (Fixture       *fixture,
                    gconstpointer  data)
{
  g_auto(VdTestRun) run = { 0 };
  g_autoptr(GString) deep = g_string_new (NULL);
  g_autofree char *inputs = NULL;
  g_autofree char *expected = NULL;

  for (guint i = 0; i < 200000; i++)
    g_string_append_c (deep, '[');
  for (guint i = 0; i < 200000; i++)
    g_string_append_c (deep, ']');
  vd_test_llm_server_set_default (fixture->server,
                                  vd_test_reply_new_raw (200, "application/json", deep->str));
  inputs = vd_test_write_file (fixture->dir, "payments.jsonl",
                               "{\"task_description\": \"Refund order 1182\"}\n");

  run_cli (&run, fixture, "run", "--endpoint", fixture->base_url, inputs, NULL);
  g_assert_cmpint (run.status, ==, 1);
  expected = g_strdup_printf ("payments/task_0001: failed, queued as error_occurred: %s: the "
                              "answer cannot be read: arrays and objects nest more than 64 "
                              "levels deep (line 1, column 65)\n", fixture->url);
  g_assert_true (g_str_has_prefix (run.out, expected));
  g_assert_cmpstr (run.err, ==,
                   "verdict-cli run: the agent failed on 1 of 1 inputs; they are queued for "
                   "review as error_occurred\n");
}

/* The key over plain http to another computer: refused before anything
 * runs, unless --allow-insecure-http. The test reaches no other host, so
 * only the refusal runs here; the decision itself is tested in
 * test-llm-client. */
static void
test_insecure_http (Fixture       *fixture,
                    gconstpointer  data)
{
  g_auto(VdTestRun) run = { 0 };
  g_autofree char *inputs = NULL;
  g_autofree char *authorization = NULL;
  const char *env[] = { "VERDICT_LLM_API_KEY=sekrit", NULL };

  inputs = vd_test_write_file (fixture->dir, "payments.jsonl",
                               "{\"task_description\": \"Refund order 1182\"}\n");

  run_cli_env (&run, fixture, env, "run", "--endpoint", "http://192.0.2.1:9/v1?k=sekrit",
               inputs, NULL);
  g_assert_cmpstr (run.err, ==,
                   "verdict-cli run: VERDICT_LLM_API_KEY would travel unencrypted over plain "
                   "http to http://192.0.2.1:9/v1: use an https:// endpoint, or give "
                   "--allow-insecure-http if you trust every network on the way\n");
  g_assert_cmpstr (run.out, ==, "");
  g_assert_cmpint (run.status, ==, 2);
  g_assert_false (g_file_test (fixture->db, G_FILE_TEST_EXISTS));

  /* This computer needs no permission; the option is accepted anyway. */
  push_output (fixture, "Refund $40.", 0.95);
  run_cli_env (&run, fixture, env, "run", "--allow-insecure-http", "--endpoint",
               fixture->base_url, inputs, NULL);
  g_assert_cmpstr (run.err, ==, "");
  g_assert_cmpint (run.status, ==, 0);
  authorization = vd_test_llm_server_dup_header (fixture->server, 0, "Authorization");
  g_assert_cmpstr (authorization, ==, "Bearer sekrit");
}

static void
test_usage (Fixture       *fixture,
            gconstpointer  data)
{
  const struct
  {
    const char *args[6];
    const char *err;
  } cases[] = {
    { { "run", NULL }, "verdict-cli run: name one inputs file\n" },
    { { "run", "--concurrency", "0", "in.jsonl", NULL },
      "verdict-cli run: --concurrency takes a number from 1 to 64, not 0\n" },
    { { "run", "--endpoint", "ftp://example.com/v1", "in.jsonl", NULL },
      "verdict-cli run: --endpoint: expected an http:// or https:// URL, found "
      "“ftp://example.com/v1”\n" },
    { { "revise", NULL }, "verdict-cli revise: name a task id, or give --all\n" },
    { { "revise", "--all", "task_0001", NULL },
      "verdict-cli revise: give a task id or --all, not both\n" },
    { { "second-opinion", NULL }, "verdict-cli second-opinion: name one task id\n" },
    { { "assist", "a", "b", NULL }, "verdict-cli assist: name one task id\n" },
    { { "assist", "--model", " ", "a", NULL }, "verdict-cli assist: --model needs a name\n" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(VdTestRun) run = { 0 };

      run_cli (&run, fixture, cases[i].args[0], cases[i].args[1], cases[i].args[2],
               cases[i].args[3], cases[i].args[4], NULL);
      g_assert_cmpstr (run.err, ==, cases[i].err);
      g_assert_cmpint (run.status, ==, 2);
      g_assert_cmpstr (run.out, ==, "");
    }

  /* The four commands are in the help. */
  {
    g_auto(VdTestRun) run = { 0 };

    run_cli (&run, fixture, "--help", NULL);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.out, "verdict-cli [--db PATH] run [--endpoint URL] [--allow-insecure-http] [--model "
                                       "NAME] [--policy P] [--concurrency N] INPUTS.jsonl\n"));
    g_assert_nonnull (strstr (run.out, "verdict-cli [--db PATH] revise [--queue Q] [TASK_ID | "
                                       "--all] [--endpoint URL] [--model NAME] [--policy P]\n"));
    g_assert_nonnull (strstr (run.out, "verdict-cli [--db PATH] second-opinion [--queue Q] "
                                       "TASK_ID [--endpoint URL] [--model NAME] [--json]\n"));
    g_assert_nonnull (strstr (run.out, "verdict-cli [--db PATH] assist [--queue Q] TASK_ID "
                                       "[--endpoint URL] [--model NAME] [--json]\n"));
  }
}

static void
test_revise (Fixture       *fixture,
             gconstpointer  data)
{
  g_auto(VdTestRun) run = { 0 };
  g_autoptr(VdStore) store = NULL;
  g_autoptr(VdItem) item = NULL;
  g_autoptr(GPtrArray) revisions = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *prompt = NULL;
  g_autoptr(JsonObject) body = NULL;

  prepare_rejected (fixture);

  push_output (fixture, "Refund $30; shipping stays.", 0.95);
  run_cli (&run, fixture, "revise", "--queue", "payments", "task_0001",
           "--endpoint", fixture->base_url, "--model", "test-model", NULL);
  g_assert_cmpstr (run.err, ==, "");
  g_assert_cmpint (run.status, ==, 0);
  /* No policy chosen for the queue: even a confident revision waits for a
   * reviewer, and the line says why. */
  g_assert_cmpstr (run.out, ==, "payments/task_0001: revision 1 queued for review: "
                                "policy_required (confidence 0.95); no policy chosen: every "
                                "output queued for review (use --policy FILE)\n");

  body = vd_test_llm_server_dup_body (fixture->server, 0);
  prompt = g_strdup (json_object_get_string_member (
    json_array_get_object_element (json_object_get_array_member (body, "messages"), 1),
    "content"));
  g_assert_nonnull (strstr (prompt, "The reviewer's feedback:\nRefund only $30: shipping is "
                                    "not refundable."));

  store = vd_test_open_store (fixture->db);
  item = get_item (store, "payments", "task_0001");
  g_assert_cmpint (vd_item_get_revision (item), ==, 1);
  g_assert_cmpint (vd_item_get_status (item), ==, VD_TASK_STATUS_PENDING);
  revisions = vd_store_list_revisions (store, vd_item_get_id (item), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (revisions->len, ==, 1);
  g_assert_cmpstr (vd_revision_get_feedback (revisions->pdata[0]), ==,
                   "Refund only $30: shipping is not refundable.");
  g_clear_object (&store);
  vd_test_run_clear (&run);

  /* Not rejected. */
  run_cli (&run, fixture, "revise", "task_0002", "--endpoint", fixture->base_url, NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_cmpstr (run.err, ==,
                   "verdict-cli: Task task_0002 in queue payments is pending, not awaiting "
                   "revision: only a rejected item is revised\n");
  vd_test_run_clear (&run);

  /* The model fails: still awaiting revision. */
  vd_test_llm_server_push (fixture->server, vd_test_reply_new_content ("nope"));
  run_cli (&run, fixture, "revise", "task_0003", "--endpoint", fixture->base_url, NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_cmpstr (run.out, ==, "");
  expected = g_strdup_printf ("verdict-cli: task_0003: %s: the answer holds no JSON object: "
                              "“nope” (still awaiting revision)\n", fixture->url);
  g_assert_cmpstr (run.err, ==, expected);
  store = vd_test_open_store (fixture->db);
  g_clear_object (&item);
  item = get_item (store, "payments", "task_0003");
  g_assert_cmpint (vd_item_get_status (item), ==, VD_TASK_STATUS_REJECTED);
  g_clear_object (&store);
  vd_test_run_clear (&run);

  /* The audit trail holds the agent's error and still verifies. */
  run_cli (&run, fixture, "audit", "verify", NULL);
  g_assert_cmpint (run.status, ==, 0);
}

static void
test_revise_all (Fixture       *fixture,
                 gconstpointer  data)
{
  g_auto(VdTestRun) run = { 0 };
  g_auto(VdTestRun) none = { 0 };
  g_autofree char *policy = NULL;
  g_autofree char *expected = NULL;

  prepare_rejected (fixture);
  policy = vd_test_write_file (fixture->dir, "policy.json", "{\"confidence_threshold\": 0.8}");

  /* One at a time: in listing order, so the replies are known. */
  push_output (fixture, "Refund $30; shipping stays.", 0.95);
  push_output (fixture, "Refund $99 after checking the total.", 0.75);
  run_cli (&run, fixture, "revise", "--all", "--endpoint", fixture->base_url,
           "--policy", policy, "--concurrency", "1", NULL);
  g_assert_cmpstr (run.err, ==, "");
  g_assert_cmpint (run.status, ==, 0);
  expected = g_strconcat ("payments/task_0001: revision 1 auto-approved (confidence 0.95)\n"
                          "payments/task_0003: revision 1 queued for review: low_confidence "
                          "(confidence 0.75)\n"
                          "2 awaiting revision: 2 revised (1 auto-approved, 1 queued for "
                          "review), 0 failed; policy: ", policy, "\n", NULL);
  g_assert_cmpstr (run.out, ==, expected);
  g_assert_cmpuint (vd_test_llm_server_get_peak (fixture->server), ==, 1);

  run_cli (&none, fixture, "revise", "--all", "--endpoint", fixture->base_url, NULL);
  g_assert_cmpint (none.status, ==, 0);
  g_assert_cmpstr (none.out, ==, "No item awaits revision\n");
}

static void
test_second_opinion (Fixture       *fixture,
                     gconstpointer  data)
{
  g_auto(VdTestRun) run = { 0 };
  g_auto(VdTestRun) json = { 0 };
  g_auto(VdTestRun) audit = { 0 };
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *object;

  prepare_rejected (fixture);

  vd_test_llm_server_push (fixture->server, vd_test_reply_new_content (
    "{\"confidence\": 0.35, \"reasoning\": \"The amount is not checked.\"}"));
  run_cli (&run, fixture, "second-opinion", "--queue", "payments", "task_0002",
           "--endpoint", fixture->base_url, NULL);
  g_assert_cmpstr (run.err, ==, "");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==,
                   "payments/task_0002 (revision 0): second opinion 0.35, the agent's own 0.60\n"
                   "The amount is not checked.\n");

  vd_test_llm_server_push (fixture->server, vd_test_reply_new_content (
    "{\"confidence\": 0.8, \"reasoning\": \"Matches the receipt.\"}"));
  run_cli (&json, fixture, "second-opinion", "task_0002", "--json",
           "--endpoint", fixture->base_url, NULL);
  g_assert_cmpint (json.status, ==, 0);
  node = json_from_string (json.out, &error);
  g_assert_no_error (error);
  object = json_node_get_object (node);
  g_assert_cmpstr (json_object_get_string_member (object, "queue"), ==, "payments");
  g_assert_cmpstr (json_object_get_string_member (object, "task_id"), ==, "task_0002");
  g_assert_cmpint (json_object_get_int_member (object, "revision"), ==, 0);
  g_assert_cmpfloat (json_object_get_double_member (object, "confidence"), ==, 0.8);
  g_assert_cmpfloat (json_object_get_double_member (object, "agent_confidence"), ==, 0.6);
  g_assert_cmpstr (json_object_get_string_member (object, "reasoning"), ==,
                   "Matches the receipt.");

  run_cli (&audit, fixture, "audit", "verify", NULL);
  g_assert_cmpint (audit.status, ==, 0);
}

static void
test_assist (Fixture       *fixture,
             gconstpointer  data)
{
  static const char answer[] =
    "{\"options\": [\"approve\", \"reject\"], \"analysis\": \"The receipt supports $12.\", "
    "\"recommendation\": \"approve\", \"confidence\": 0.7, \"risks\": [\"A duplicate refund\"], "
    "\"considerations\": [\"Check earlier refunds\"]}";
  g_auto(VdTestRun) run = { 0 };
  g_auto(VdTestRun) json = { 0 };
  g_auto(VdTestRun) missing = { 0 };
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *object;

  prepare_rejected (fixture);

  vd_test_llm_server_push (fixture->server, vd_test_reply_new_content (answer));
  run_cli (&run, fixture, "assist", "task_0002", "--endpoint", fixture->base_url, NULL);
  g_assert_cmpstr (run.err, ==, "");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==,
                   "payments/task_0002 (revision 0)\n"
                   "Recommendation: approve\n"
                   "Confidence: 0.70\n"
                   "Options:\n"
                   "  - approve\n"
                   "  - reject\n"
                   "Analysis: The receipt supports $12.\n"
                   "Risks:\n"
                   "  - A duplicate refund\n"
                   "Considerations:\n"
                   "  - Check earlier refunds\n");

  vd_test_llm_server_push (fixture->server, vd_test_reply_new_content (answer));
  run_cli (&json, fixture, "assist", "--json", "task_0002", "--endpoint", fixture->base_url,
           NULL);
  g_assert_cmpint (json.status, ==, 0);
  node = json_from_string (json.out, &error);
  g_assert_no_error (error);
  object = json_node_get_object (node);
  g_assert_cmpstr (json_object_get_string_member (object, "recommendation"), ==, "approve");
  g_assert_cmpfloat (json_object_get_double_member (object, "confidence"), ==, 0.7);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "options")),
                    ==, 2);
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (object, "risks"),
                                                  0), ==, "A duplicate refund");

  run_cli (&missing, fixture, "assist", "task_0404", "--endpoint", fixture->base_url, NULL);
  g_assert_cmpint (missing.status, ==, 1);
  g_assert_true (g_str_has_prefix (missing.err, "verdict-cli: "));
  g_assert_nonnull (strstr (missing.err, "task_0404"));
  g_assert_cmpuint (vd_test_llm_server_get_n_requests (fixture->server), ==, 2);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/cli-agent/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("run", test_run);
  ADD ("run-env", test_run_env);
  ADD ("run-remembered-policy", test_run_remembered_policy);
  ADD ("run-invalid", test_run_invalid);
  ADD ("usage", test_usage);
  ADD ("credentials", test_credentials);
  ADD ("secrets-not-stored", test_secrets_not_stored);
  ADD ("insecure-http", test_insecure_http);
  ADD ("nested-answer", test_nested_answer);
  ADD ("revise", test_revise);
  ADD ("revise-all", test_revise_all);
  ADD ("second-opinion", test_second_opinion);
  ADD ("assist", test_assist);

#undef ADD

  return g_test_run ();
}
