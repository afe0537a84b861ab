/* test-agent.c
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

#include "vd-agent.h"
#include "vd-agent-private.h"
#include "vd-test-llm-server.h"

typedef struct
{
  VdTestLlmServer *server;
  VdLlmClient     *client;
  VdAgent         *agent;
  char            *url;
} Fixture;

typedef struct
{
  gboolean           done;
  VdAgentOutput     *output;
  VdDecisionSupport *support;
  double             confidence;
  char              *reasoning;
  gboolean           ok;
  GError            *error;
  GString           *streamed;
} Result;

static void
result_clear (Result *result)
{
  g_clear_pointer (&result->output, vd_agent_output_free);
  g_clear_pointer (&result->support, vd_decision_support_free);
  g_clear_pointer (&result->reasoning, g_free);
  g_clear_error (&result->error);
  if (result->streamed != NULL)
    g_string_free (result->streamed, TRUE);
  memset (result, 0, sizeof *result);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->server = vd_test_llm_server_new ();
  fixture->client = vd_llm_client_new (vd_test_llm_server_get_base_url (fixture->server),
                                       "test-model");
  g_object_set (fixture->client, "retry-base-ms", 10, "max-retries", 0, NULL);
  fixture->agent = vd_agent_new (fixture->client);
  fixture->url = g_strdup (vd_test_llm_server_get_endpoint (fixture->server));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_assert_finalize_object (fixture->agent);
  g_assert_finalize_object (fixture->client);
  vd_test_llm_server_free (fixture->server);
  g_free (fixture->url);
}

static void
on_task_done (GObject      *object,
              GAsyncResult *res,
              gpointer      user_data)
{
  Result *result = user_data;

  result->output = vd_agent_run_task_finish (VD_AGENT (object), res, &result->error);
  result->done = TRUE;
}

static void
on_revise_done (GObject      *object,
                GAsyncResult *res,
                gpointer      user_data)
{
  Result *result = user_data;

  result->output = vd_agent_revise_finish (VD_AGENT (object), res, &result->error);
  result->done = TRUE;
}

static void
on_evaluate_done (GObject      *object,
                  GAsyncResult *res,
                  gpointer      user_data)
{
  Result *result = user_data;

  result->ok = vd_agent_evaluate_confidence_finish (VD_AGENT (object), res,
                                                    &result->confidence, &result->reasoning,
                                                    &result->error);
  result->done = TRUE;
}

static void
on_decide_done (GObject      *object,
                GAsyncResult *res,
                gpointer      user_data)
{
  Result *result = user_data;

  result->support = vd_agent_decision_support_finish (VD_AGENT (object), res, &result->error);
  result->done = TRUE;
}

static void
on_delta (const char *delta,
          gpointer    user_data)
{
  Result *result = user_data;

  g_string_append (result->streamed, delta);
}

static void
run_task (Fixture *fixture,
          Result  *result)
{
  vd_agent_run_task_async (fixture->agent, "Pay invoice 42 of ACME Corp.", "payment",
                           "ACME is a known vendor.", NULL, NULL, NULL, NULL,
                           on_task_done, result);
  vd_test_wait_for (&result->done, 10000);
}

static void
push_content (Fixture    *fixture,
              const char *content)
{
  vd_test_llm_server_push (fixture->server, vd_test_reply_new_content (content));
}

static JsonObject *
request_message (Fixture *fixture,
                 guint    request,
                 guint    message)
{
  g_autoptr(JsonObject) body = vd_test_llm_server_dup_body (fixture->server, request);
  JsonArray *messages = json_object_get_array_member (body, "messages");

  g_assert_cmpuint (json_array_get_length (messages), ==, 2);
  return json_object_ref (json_array_get_object_element (messages, message));
}

static void
assert_prompt (Fixture    *fixture,
               guint       request,
               const char *system_resource,
               const char *user_text)
{
  g_autoptr(JsonObject) system = request_message (fixture, request, 0);
  g_autoptr(JsonObject) user = request_message (fixture, request, 1);
  g_autofree char *system_text = _vd_agent_load_prompt (system_resource, NULL);

  g_assert_nonnull (system_text);
  g_assert_cmpstr (json_object_get_string_member (system, "role"), ==, "system");
  g_assert_cmpstr (json_object_get_string_member (system, "content"), ==, system_text);
  g_assert_cmpstr (json_object_get_string_member (user, "role"), ==, "user");
  g_assert_cmpstr (json_object_get_string_member (user, "content"), ==, user_text);
}

static void
assert_schema_sent (Fixture    *fixture,
                    guint       request,
                    const char *name,
                    const char *schema_resource)
{
  g_autoptr(JsonObject) body = vd_test_llm_server_dup_body (fixture->server, request);
  g_autoptr(JsonObject) expected = _vd_agent_load_schema (schema_resource, NULL);
  JsonObject *format = json_object_get_object_member (body, "response_format");
  JsonObject *json_schema = json_object_get_object_member (format, "json_schema");
  g_autoptr(JsonNode) sent_node = NULL;
  g_autoptr(JsonNode) expected_node = NULL;

  g_assert_cmpstr (json_object_get_string_member (format, "type"), ==, "json_schema");
  g_assert_cmpstr (json_object_get_string_member (json_schema, "name"), ==, name);
  g_assert_true (json_object_get_boolean_member (json_schema, "strict"));
  sent_node = json_node_init_object (json_node_alloc (),
                                     json_object_get_object_member (json_schema, "schema"));
  expected_node = json_node_init_object (json_node_alloc (), expected);
  g_assert_true (json_node_equal (sent_node, expected_node));
}

static void
assert_bad_response (Fixture    *fixture,
                     Result     *result,
                     const char *agent,
                     const char *what)
{
  g_autofree char *expected = g_strdup_printf ("%s: %s answer: %s", fixture->url, agent, what);

  g_assert_error (result->error, VD_LLM_ERROR, VD_LLM_ERROR_BAD_RESPONSE);
  g_assert_cmpstr (result->error->message, ==, expected);
  g_assert_null (result->output);
  g_assert_null (result->support);
}

/* Every prompt and schema is there, and every placeholder gets a value. */
static void
test_resources (void)
{
  const char *prompts[] = { "task-system.md", "task-user.md", "revise-system.md",
                            "revise-user.md", "evaluate-system.md", "evaluate-user.md",
                            "decide-system.md", "decide-user.md" };
  const struct {
    const char *name;
    const char *title;
    guint       n_required;
  } schemas[] = {
    { "agent-output.schema.json", "agent_output", 4 },
    { "confidence-assessment.schema.json", "confidence_assessment", 2 },
    { "decision-support.schema.json", "decision_support", 6 },
  };
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (prompts); i++)
    {
      g_autofree char *text = _vd_agent_load_prompt (prompts[i], &error);

      g_assert_no_error (error);
      g_assert_true (g_utf8_validate (text, -1, NULL));
      g_assert_cmpuint (strlen (text), >, 20);
    }

  for (guint i = 0; i < G_N_ELEMENTS (schemas); i++)
    {
      g_autoptr(JsonObject) schema = _vd_agent_load_schema (schemas[i].name, &error);
      JsonArray *required;

      g_assert_no_error (error);
      g_assert_cmpstr (json_object_get_string_member (schema, "title"), ==, schemas[i].title);
      g_assert_false (json_object_get_boolean_member (schema, "additionalProperties"));
      required = json_object_get_array_member (schema, "required");
      g_assert_cmpuint (json_array_get_length (required), ==, schemas[i].n_required);
    }

  g_assert_null (_vd_agent_load_prompt ("no-such-prompt.md", &error));
  g_assert_error (error, G_RESOURCE_ERROR, G_RESOURCE_ERROR_NOT_FOUND);
}

static void
test_render (void)
{
  g_autofree char *text = NULL;

  text = _vd_agent_render ("A {{x}} and {{y}}; {{x}} again; {{ not closed",
                           "x", "one {{y}}", "y", NULL, NULL);
  g_assert_cmpstr (text, ==, "A one {{y}} and ; one {{y}} again; {{ not closed");

  g_clear_pointer (&text, g_free);
  if (g_test_subprocess ())
    {
      text = _vd_agent_render ("{{unknown}}", "x", "1", NULL);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*No value for the placeholder*unknown*");
}

static JsonObject *
parse_object (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

/* Each malformed answer gives an exact message naming the field. */
static void
test_parse_output (void)
{
  const struct {
    const char *json;
    const char *message;     /* NULL: valid */
  } cases[] = {
    { "{\"content\": \"ok\", \"confidence\": 0.8, \"reasoning\": \"r\", \"metadata\": {}}", NULL },
    { "{\"content\": \"ok\", \"confidence\": 1}", NULL },
    { "{\"content\": \"ok\", \"confidence\": 0}", NULL },
    { "{\"content\": \"ok\", \"confidence\": \" 0.8 \"}", NULL },
    { "{\"content\": \"ok\", \"confidence\": 0.5, \"reasoning\": null, \"metadata\": null}",
      NULL },
    { "{\"content\": \"ok\", \"confidence\": \"high\"}",
      "confidence: expected a number from 0 to 1, found \"high\"" },
    { "{\"content\": \"ok\", \"confidence\": 1.7}",
      "confidence: expected a number from 0 to 1, found 1.7" },
    { "{\"content\": \"ok\", \"confidence\": -0.1}",
      "confidence: expected a number from 0 to 1, found -0.1" },
    { "{\"content\": \"ok\", \"confidence\": 85}",
      "confidence: expected a number from 0 to 1, found 85" },
    { "{\"content\": \"ok\", \"confidence\": \"85%\"}",
      "confidence: expected a number from 0 to 1, found \"85%\"" },
    { "{\"content\": \"ok\", \"confidence\": \"\"}",
      "confidence: expected a number from 0 to 1, found \"\"" },
    { "{\"content\": \"ok\", \"confidence\": \"nan\"}",
      "confidence: expected a number from 0 to 1, found \"nan\"" },
    { "{\"content\": \"ok\", \"confidence\": true}",
      "confidence: expected a number from 0 to 1, found true" },
    { "{\"content\": \"ok\", \"confidence\": null}",
      "confidence: expected a number from 0 to 1, found null" },
    { "{\"content\": \"ok\", \"confidence\": [0.5]}",
      "confidence: expected a number from 0 to 1, found a list" },
    { "{\"content\": \"ok\"}", "confidence: missing" },
    { "{\"confidence\": 0.9}", "content: missing" },
    { "{\"content\": null, \"confidence\": 0.9}", "content: expected text, found null" },
    { "{\"content\": 42, \"confidence\": 0.9}", "content: expected text, found 42" },
    { "{\"content\": {\"text\": \"hi\"}, \"confidence\": 0.9}",
      "content: expected text, found an object" },
    { "{\"content\": \"ok\", \"confidence\": 0.9, \"reasoning\": false}",
      "reasoning: expected text, found false" },
    { "{\"content\": \"ok\", \"confidence\": 0.9, \"metadata\": [1]}",
      "metadata: expected an object, found a list" },
    { "{\"content\": \"ok\", \"confidence\": \"a very long text that goes on and on and on\"}",
      "confidence: expected a number from 0 to 1, found "
      "\"a very long text that goes on and on and…\"" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonObject) object = parse_object (cases[i].json);
      g_autoptr(GError) error = NULL;
      g_autoptr(VdAgentOutput) output = _vd_agent_output_parse (object, &error);

      if (cases[i].message == NULL)
        {
          g_assert_no_error (error);
          g_assert_nonnull (output);
          g_assert_cmpstr (output->content, ==, "ok");
          g_assert_nonnull (output->reasoning);
          g_assert_nonnull (output->metadata);
        }
      else
        {
          g_assert_error (error, VD_LLM_ERROR, VD_LLM_ERROR_BAD_RESPONSE);
          g_assert_cmpstr (error->message, ==, cases[i].message);
          g_assert_null (output);
        }
    }

  {
    g_autoptr(JsonObject) object = parse_object ("{\"content\": \"ok\", \"confidence\": "
                                                 "\"0.25\"}");
    g_autoptr(VdAgentOutput) output = _vd_agent_output_parse (object, NULL);

    g_assert_cmpfloat (output->confidence, ==, 0.25);
    g_assert_cmpstr (output->reasoning, ==, "");
    g_assert_cmpuint (json_object_get_size (output->metadata), ==, 0);
  }
}

static void
test_parse_decision_support (void)
{
  const struct {
    const char *json;
    const char *message;
  } cases[] = {
    { "{\"analysis\": \"a\", \"recommendation\": \"r\", \"confidence\": 0.6}", NULL },
    { "{\"recommendation\": \"r\", \"confidence\": 0.6}", "analysis: missing" },
    { "{\"analysis\": \"a\", \"confidence\": 0.6}", "recommendation: missing" },
    { "{\"analysis\": \"a\", \"recommendation\": \"r\"}", "confidence: missing" },
    { "{\"analysis\": \"a\", \"recommendation\": \"r\", \"confidence\": 2}",
      "confidence: expected a number from 0 to 1, found 2" },
    { "{\"options\": \"approve\", \"analysis\": \"a\", \"recommendation\": \"r\", "
      "\"confidence\": 0.6}", "options: expected a list of texts, found \"approve\"" },
    { "{\"analysis\": \"a\", \"recommendation\": \"r\", \"confidence\": 0.6, "
      "\"risks\": [\"fraud\", 3]}", "risks[1]: expected text, found 3" },
    { "{\"analysis\": \"a\", \"recommendation\": \"r\", \"confidence\": 0.6, "
      "\"considerations\": [{}]}", "considerations[0]: expected text, found an object" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonObject) object = parse_object (cases[i].json);
      g_autoptr(GError) error = NULL;
      g_autoptr(VdDecisionSupport) support = _vd_decision_support_parse (object, &error);

      if (cases[i].message == NULL)
        {
          g_assert_no_error (error);
          g_assert_cmpuint (g_strv_length (support->options), ==, 0);
          g_assert_cmpuint (g_strv_length (support->risks), ==, 0);
          g_assert_cmpuint (g_strv_length (support->considerations), ==, 0);
          g_assert_cmpfloat (support->confidence, ==, 0.6);
        }
      else
        {
          g_assert_error (error, VD_LLM_ERROR, VD_LLM_ERROR_BAD_RESPONSE);
          g_assert_cmpstr (error->message, ==, cases[i].message);
          g_assert_null (support);
        }
    }
}

static void
test_task (Fixture       *fixture,
           gconstpointer  data)
{
  Result result = { 0 };

  push_content (fixture,
                "{\"content\": \"Approve payment of $12,000 to ACME Corp.\", "
                "\"confidence\": 0.85, \"reasoning\": \"Known vendor, matching invoice.\", "
                "\"metadata\": {\"amount\": 12000, \"action\": \"pay\"}}");
  run_task (fixture, &result);

  g_assert_no_error (result.error);
  g_assert_cmpstr (result.output->content, ==, "Approve payment of $12,000 to ACME Corp.");
  g_assert_cmpfloat (result.output->confidence, ==, 0.85);
  g_assert_cmpstr (result.output->reasoning, ==, "Known vendor, matching invoice.");
  g_assert_cmpint (json_object_get_int_member (result.output->metadata, "amount"), ==, 12000);
  g_assert_cmpstr (json_object_get_string_member (result.output->metadata, "action"), ==, "pay");
  g_assert_cmpstr (json_object_get_string_member (result.output->metadata, "model"), ==,
                   "test-model");
  g_assert_true (g_str_has_prefix (json_object_get_string_member (result.output->metadata,
                                                                  "prompt_version"),
                                   "task-"));

  assert_prompt (fixture, 0, "task-system.md",
                 "Task type: payment\n\nTask:\nPay invoice 42 of ACME Corp.\n\n"
                 "Context:\nACME is a known vendor.\n");
  assert_schema_sent (fixture, 0, "agent_output", "agent-output.schema.json");

  {
    g_autoptr(VdAgentOutput) copy = vd_agent_output_copy (result.output);

    g_assert_cmpstr (copy->content, ==, result.output->content);
    g_assert_true (copy->metadata == result.output->metadata);
    g_assert_true (G_TYPE_IS_BOXED (VD_TYPE_AGENT_OUTPUT));
  }
  result_clear (&result);
}

/* The answer streams in, then is parsed whole. */
static void
test_task_stream (Fixture       *fixture,
                  gconstpointer  data)
{
  const char *deltas[] = { "{\"content\": \"Remove the ", "post.\", \"confidence\": ",
                           "0.92, \"reasoning\": \"Spam link.\"}", NULL };
  Result result = { 0 };

  vd_test_llm_server_push (fixture->server, vd_test_reply_new_stream (deltas));
  result.streamed = g_string_new (NULL);
  vd_agent_run_task_async (fixture->agent, "Moderate this post.", "content_moderation", NULL,
                           on_delta, &result, NULL, NULL, on_task_done, &result);
  vd_test_wait_for (&result.done, 10000);

  g_assert_no_error (result.error);
  g_assert_cmpstr (result.streamed->str, ==,
                   "{\"content\": \"Remove the post.\", \"confidence\": 0.92, "
                   "\"reasoning\": \"Spam link.\"}");
  g_assert_cmpstr (result.output->content, ==, "Remove the post.");
  g_assert_cmpfloat (result.output->confidence, ==, 0.92);

  /* No context: the placeholder is empty, not "(null)". */
  assert_prompt (fixture, 0, "task-system.md",
                 "Task type: content_moderation\n\nTask:\nModerate this post.\n\nContext:\n\n");
  {
    g_autoptr(JsonObject) body = vd_test_llm_server_dup_body (fixture->server, 0);

    g_assert_true (json_object_get_boolean_member (body, "stream"));
  }
  result_clear (&result);
}

static void
test_revise (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(VdAgentOutput) previous = vd_agent_output_new ("Pay $12,000 now.", 0.55,
                                                           "Amount unclear.", NULL);
  Result result = { 0 };

  push_content (fixture,
                "Revised:\n{\"content\": \"Hold the payment until the PO is matched.\", "
                "\"confidence\": 0.9, \"reasoning\": \"Followed the feedback.\"}");
  vd_agent_revise_async (fixture->agent, "Pay invoice 42 of ACME Corp.", "payment",
                         "ACME is a known vendor.", previous,
                         "Check the purchase order first.", NULL, NULL, NULL, NULL,
                         on_revise_done, &result);
  vd_test_wait_for (&result.done, 10000);

  g_assert_no_error (result.error);
  g_assert_cmpstr (result.output->content, ==, "Hold the payment until the PO is matched.");
  g_assert_cmpfloat (result.output->confidence, ==, 0.9);
  /* The only metadata is what Verdict records: the model and the
   * version of the reviser's prompts. */
  g_assert_cmpuint (json_object_get_size (result.output->metadata), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (result.output->metadata, "model"), ==,
                   "test-model");
  g_assert_true (g_str_has_prefix (json_object_get_string_member (result.output->metadata,
                                                                  "prompt_version"),
                                   "revise-"));
  g_assert_cmpuint (strlen (json_object_get_string_member (result.output->metadata,
                                                           "prompt_version")),
                    ==, strlen ("revise-") + 12);

  assert_prompt (fixture, 0, "revise-system.md",
                 "Task type: payment\n\nTask:\nPay invoice 42 of ACME Corp.\n\n"
                 "Context:\nACME is a known vendor.\n\n"
                 "Your previous output:\nPay $12,000 now.\n\n"
                 "Your previous confidence: 0.55\n"
                 "Your previous reasoning: Amount unclear.\n\n"
                 "The reviewer's feedback:\nCheck the purchase order first.\n");
  assert_schema_sent (fixture, 0, "agent_output", "agent-output.schema.json");
  result_clear (&result);
}

static void
test_evaluate (Fixture       *fixture,
               gconstpointer  data)
{
  Result result = { 0 };

  /* A numeric string is accepted. */
  push_content (fixture, "{\"confidence\": \"0.4\", \"reasoning\": \"No PO number given.\"}");
  vd_agent_evaluate_confidence_async (fixture->agent, "Pay invoice 42.", "payment", "",
                                      "Pay $12,000 now.", NULL, on_evaluate_done, &result);
  vd_test_wait_for (&result.done, 10000);

  g_assert_no_error (result.error);
  g_assert_true (result.ok);
  g_assert_cmpfloat (result.confidence, ==, 0.4);
  g_assert_cmpstr (result.reasoning, ==, "No PO number given.");

  assert_prompt (fixture, 0, "evaluate-system.md",
                 "Task type: payment\n\nTask:\nPay invoice 42.\n\nContext:\n\n\n"
                 "The agent's response:\nPay $12,000 now.\n");
  assert_schema_sent (fixture, 0, "confidence_assessment", "confidence-assessment.schema.json");
  result_clear (&result);

  push_content (fixture, "{\"confidence\": 1.01, \"reasoning\": \"sure\"}");
  vd_agent_evaluate_confidence_async (fixture->agent, "Pay invoice 42.", NULL, NULL,
                                      "Pay.", NULL, on_evaluate_done, &result);
  vd_test_wait_for (&result.done, 10000);
  g_assert_false (result.ok);
  assert_bad_response (fixture, &result, "confidence evaluator",
                       "confidence: expected a number from 0 to 1, found 1.01");
  result_clear (&result);
}

static void
test_decision_support (Fixture       *fixture,
                       gconstpointer  data)
{
  const char *options[] = { "Approve the refund", "Reject the refund", NULL };
  Result result = { 0 };

  push_content (fixture,
                "{\"options\": [\"Approve the refund\", \"Reject the refund\", "
                "\"Ask for a receipt\"], \"analysis\": \"Approving is fast but risky.\", "
                "\"recommendation\": \"Ask for a receipt\", \"confidence\": 0.7, "
                "\"risks\": [\"Fraud\"], \"considerations\": [\"Customer history\", "
                "\"Amount\"]}");
  vd_agent_decision_support_async (fixture->agent, "A customer asks for a $900 refund.",
                                   options, NULL, on_decide_done, &result);
  vd_test_wait_for (&result.done, 10000);

  g_assert_no_error (result.error);
  g_assert_cmpuint (g_strv_length (result.support->options), ==, 3);
  g_assert_cmpstr (result.support->options[2], ==, "Ask for a receipt");
  g_assert_cmpstr (result.support->analysis, ==, "Approving is fast but risky.");
  g_assert_cmpstr (result.support->recommendation, ==, "Ask for a receipt");
  g_assert_cmpfloat (result.support->confidence, ==, 0.7);
  g_assert_cmpuint (g_strv_length (result.support->risks), ==, 1);
  g_assert_cmpstr (result.support->considerations[1], ==, "Amount");

  assert_prompt (fixture, 0, "decide-system.md",
                 "Situation:\nA customer asks for a $900 refund.\n\n"
                 "Options:\n- Approve the refund\n- Reject the refund\n");
  assert_schema_sent (fixture, 0, "decision_support", "decision-support.schema.json");

  {
    g_autoptr(VdDecisionSupport) copy = vd_decision_support_copy (result.support);

    g_assert_cmpstrv (copy->options, result.support->options);
    g_assert_cmpstr (copy->recommendation, ==, "Ask for a receipt");
  }
  result_clear (&result);

  push_content (fixture, "{\"options\": [\"a\"], \"analysis\": \"x\", \"confidence\": 0.5}");
  vd_agent_decision_support_async (fixture->agent, "Decide.", NULL, NULL, on_decide_done,
                                   &result);
  vd_test_wait_for (&result.done, 10000);
  assert_bad_response (fixture, &result, "decision support", "recommendation: missing");
  result_clear (&result);
}

/* The malformed answers, end to end: the message names URL, agent, field. */
static void
test_bad_answers (Fixture       *fixture,
                  gconstpointer  data)
{
  Result result = { 0 };

  push_content (fixture, "{\"content\": \"Publish it.\", \"confidence\": \"high\"}");
  run_task (fixture, &result);
  assert_bad_response (fixture, &result, "task agent",
                       "confidence: expected a number from 0 to 1, found \"high\"");
  result_clear (&result);

  push_content (fixture, "```json\n{\"content\": \"Publish it.\", \"confidence\": 1.7}\n```");
  run_task (fixture, &result);
  assert_bad_response (fixture, &result, "task agent",
                       "confidence: expected a number from 0 to 1, found 1.7");
  result_clear (&result);

  push_content (fixture, "{\"reasoning\": \"forgot the rest\", \"confidence\": 0.5}");
  run_task (fixture, &result);
  assert_bad_response (fixture, &result, "task agent", "content: missing");
  result_clear (&result);

  /* Not JSON at all: the client says so. */
  push_content (fixture, "{\"content\": \"x\", \"confidence\": }");
  run_task (fixture, &result);
  g_assert_error (result.error, VD_LLM_ERROR, VD_LLM_ERROR_BAD_RESPONSE);
  {
    g_autofree char *expected = g_strdup_printf ("%s: the answer holds no JSON object: "
                                                 "“{\"content\": \"x\", \"confidence\": }”",
                                                 fixture->url);

    g_assert_cmpstr (result.error->message, ==, expected);
  }
  result_clear (&result);

  /* Text around the JSON is fine. */
  push_content (fixture, "Here is my answer.\n\n{\"content\": \"Publish it.\", "
                "\"confidence\": 0.75}\n\nLet me know if you need more.");
  run_task (fixture, &result);
  g_assert_no_error (result.error);
  g_assert_cmpstr (result.output->content, ==, "Publish it.");
  g_assert_cmpfloat (result.output->confidence, ==, 0.75);
  result_clear (&result);
}

/* Errors of the client reach the caller as they are. */
static void
test_client_errors (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Result result = { 0 };

  vd_test_llm_server_push (fixture->server, vd_test_reply_new_raw (500, "text/plain", "boom"));
  run_task (fixture, &result);
  g_assert_error (result.error, VD_LLM_ERROR, VD_LLM_ERROR_SERVER_ERROR);
  {
    g_autofree char *expected = g_strdup_printf ("%s: server error (HTTP 500 Internal Server "
                                                 "Error): boom", fixture->url);

    g_assert_cmpstr (result.error->message, ==, expected);
  }
  result_clear (&result);

  g_cancellable_cancel (cancellable);
  vd_agent_run_task_async (fixture->agent, "Anything.", NULL, NULL, NULL, NULL, NULL,
                           cancellable, on_task_done, &result);
  vd_test_wait_for (&result.done, 10000);
  g_assert_error (result.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  result_clear (&result);
  g_assert_cmpuint (vd_test_llm_server_get_n_requests (fixture->server), ==, 1);
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

  g_test_add_func ("/agent/resources", test_resources);
  g_test_add_func ("/agent/render", test_render);
  g_test_add_func ("/agent/parse-output", test_parse_output);
  g_test_add_func ("/agent/parse-decision-support", test_parse_decision_support);
  add_test ("/agent/task", test_task);
  add_test ("/agent/task-stream", test_task_stream);
  add_test ("/agent/revise", test_revise);
  add_test ("/agent/evaluate", test_evaluate);
  add_test ("/agent/decision-support", test_decision_support);
  add_test ("/agent/bad-answers", test_bad_answers);
  add_test ("/agent/client-errors", test_client_errors);

  return g_test_run ();
}
