/* test-format-langgraph.c
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

#include <math.h>
#include <string.h>

#include "vd-decision.h"
#include "vd-format-langgraph.h"
#include "vd-item.h"
#include "vd-json-guard.h"
#include "vd-json-write.h"

/*
 * The files under data/ are written from the tools' documented schemas:
 *  - langgraph-threads-js.json: threads as the LangGraph SDK's
 *    client.threads.search() returns them (langgraph-sdk ThreadState/Thread:
 *    thread_id, created_at, updated_at, metadata, status, values,
 *    interrupts {task_id: [{value, id}]}), with the request of LangChain
 *    JS v1's humanInTheLoopMiddleware as written by langchain 1.5.14
 *    (node_modules/langchain/dist/agents/middleware/hitl.js:
 *    {actionRequests: [{name, args, description}], reviewConfigs:
 *    [{actionName, allowedDecisions}]}); the first thread is what
 *    tests/interop/langgraph/graph.mjs produces.
 *  - langgraph-threads-python.json: the newer list form of `interrupts`
 *    ([{value, id}]) with the Python middleware's HITLRequest
 *    (langchain/agents/middleware/human_in_the_loop.py: action_requests,
 *    review_configs, here one entry per tool name, allowed_decisions).
 *  - langgraph-agent-inbox.json: Agent Inbox's HumanInterrupt
 *    (github.com/langchain-ai/agent-inbox README, "Interrupts":
 *    action_request {action, args}, config {allow_ignore, allow_respond,
 *    allow_edit, allow_accept}, description), sent as a list, two
 *    interrupts of one thread (parallel tasks).
 * The .resume.json files are what each graph expects back: the middleware's
 * {decisions: [{type: approve|edit|reject, editedAction|edited_action,
 * message}]}, and for Agent Inbox a list of HumanResponse {type:
 * accept|edit|response|ignore, args}.
 */

static GBytes *
load_data (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "formats", "data", name, NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (contents, length);
}

static GPtrArray *
read_text (const char  *text,
           gboolean     skip_invalid,
           GPtrArray   *problems,
           GError     **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));
  VdFormatReadOptions options = { "in.json", "lg", skip_invalid, NULL, NULL };

  return vd_format_langgraph_get_class ()->read (bytes, &options, problems, error);
}

static GPtrArray *
read_file (const char *name)
{
  g_autoptr(GBytes) bytes = load_data (name);
  g_autoptr(GError) error = NULL;
  VdFormatReadOptions options = { name, "lg", FALSE, NULL, NULL };
  GPtrArray *items;

  items = vd_format_langgraph_get_class ()->read (bytes, &options, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (items);
  for (guint i = 0; i < items->len; i++)
    {
      g_autoptr(GError) invalid = NULL;

      vd_item_validate (g_ptr_array_index (items, i), &invalid);
      g_assert_no_error (invalid);
    }
  return items;
}

static VdItem *
find_item (GPtrArray  *items,
           const char *task_id)
{
  for (guint i = 0; i < items->len; i++)
    if (g_strcmp0 (vd_item_get_task_id (g_ptr_array_index (items, i)), task_id) == 0)
      return g_ptr_array_index (items, i);
  g_error ("no item %s", task_id);
  return NULL;
}

static char *
allowed_string (VdItem *item)
{
  JsonObject *source = vd_item_get_source (item);
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);

  json_node_set_array (node, json_object_get_array_member (source, "allowed_decisions"));
  return vd_json_node_to_string (node, FALSE);
}

static char *
canonical (const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = vd_json_guard_parse (text, strlen (text), G_MAXSIZE, &error);

  g_assert_no_error (error);
  return vd_json_node_to_string (node, FALSE);
}

/* A decision on @item; @text is the feedback or, for an edit, the edited action. */
static VdDecision *
decide (VdItem         *item,
        VdDecisionKind  kind,
        const char     *text)
{
  VdDecision *decision = vd_decision_new (vd_item_get_queue (item), vd_item_get_task_id (item),
                                          kind, "alice");

  if (kind == VD_DECISION_KIND_MODIFY)
    vd_decision_set_modified_content (decision, text);
  else if (text != NULL)
    vd_decision_set_feedback (decision, text);
  return decision;
}

/* Writes @items with @decisions (one per item, NULL: undecided). */
static char *
write_entries (GPtrArray       *items,
               VdDecision     **decisions,
               VdFormatSummary *summary)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;
  gboolean ok;

  for (guint i = 0; i < items->len; i++)
    {
      VdFormatEntry *entry = g_new0 (VdFormatEntry, 1);

      entry->item = g_ptr_array_index (items, i);
      entry->decision = decisions[i];
      g_ptr_array_add (entries, entry);
    }

  ok = vd_format_langgraph_get_class ()->write (entries, out, summary, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  g_output_stream_write_all (out, "", 1, NULL, NULL, NULL);
  g_output_stream_close (out, NULL, NULL);
  return g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (out));
}

static void
assert_resume (const char *written,
               const char *expected_file)
{
  g_autoptr(GBytes) expected = load_data (expected_file);
  g_autofree char *expected_text = g_strndup (g_bytes_get_data (expected, NULL),
                                              g_bytes_get_size (expected));
  g_autofree char *a = canonical (written);
  g_autofree char *b = canonical (expected_text);

  g_assert_cmpstr (a, ==, b);
}

static void
test_read_javascript (void)
{
  g_autoptr(GPtrArray) items = read_file ("langgraph-threads-js.json");
  g_autofree char *allowed = NULL;
  g_autoptr(GDateTime) expected_time = g_date_time_new_from_iso8601 ("2026-03-02T09:14:07.981Z",
                                                                      NULL);
  VdItem *item;
  JsonObject *source, *ids;

  /* The idle thread has no interrupt: three actions and one. */
  g_assert_cmpuint (items->len, ==, 4);

  item = find_item (items, "lg:5f0d2c61-8a4e-4c1b-9a77-1f0c3b8e2d10:"
                           "b6eccded1c3c08870e072bfffdf87a05:1");
  g_assert_cmpstr (vd_item_get_queue (item), ==, "lg");
  g_assert_cmpstr (vd_item_get_task_description (item), ==,
                   "Transfer money: check the amount and the account");
  g_assert_cmpstr (vd_item_get_content (item), ==,
                   "{\n"
                   "  \"action\": \"transfer_funds\",\n"
                   "  \"args\": {\n"
                   "    \"from_account\": \"ops\",\n"
                   "    \"to_account\": \"ACME-4411\",\n"
                   "    \"amount\": 1250.5,\n"
                   "    \"currency\": \"EUR\",\n"
                   "    \"urgent\": false,\n"
                   "    \"memo\": null,\n"
                   "    \"tags\": [\n"
                   "      \"invoice\",\n"
                   "      3\n"
                   "    ]\n"
                   "  }\n"
                   "}");
  g_assert_cmpstr (vd_item_get_output_content_type (item), ==, "application/json");
  g_assert_false (vd_item_has_confidence (item));
  g_assert_true (isnan (vd_item_get_confidence (item)));
  g_assert_cmpint (vd_item_get_escalation_reason (item), ==, VD_ESCALATION_REASON_POLICY_REQUIRED);
  g_assert_cmpstr (vd_item_get_escalation_detail (item), ==,
                   "LangGraph interrupt: the graph waits for a human decision");
  g_assert_true (g_date_time_equal (vd_item_get_timestamp (item), expected_time));
  g_assert_cmpstr (json_object_get_string_member (vd_item_get_metadata (item), "action"), ==,
                   "transfer_funds");

  source = vd_item_get_source (item);
  g_assert_cmpstr (vd_item_get_source_format (item), ==, "langgraph");
  g_assert_cmpstr (json_object_get_string_member (source, "schema"), ==, "hitl-middleware");
  g_assert_cmpstr (json_object_get_string_member (source, "casing"), ==, "javascript");
  g_assert_cmpstr (json_object_get_string_member (source, "group"), ==,
                   "5f0d2c61-8a4e-4c1b-9a77-1f0c3b8e2d10/b6eccded1c3c08870e072bfffdf87a05");
  g_assert_cmpint (json_object_get_int_member (source, "group_index"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (source, "group_size"), ==, 3);
  ids = json_object_get_object_member (source, "ids");
  g_assert_cmpstr (json_object_get_string_member (ids, "thread_id"), ==,
                   "5f0d2c61-8a4e-4c1b-9a77-1f0c3b8e2d10");
  g_assert_cmpstr (json_object_get_string_member (ids, "interrupt_id"), ==,
                   "b6eccded1c3c08870e072bfffdf87a05");
  g_assert_cmpint (json_object_get_int_member (ids, "action_index"), ==, 1);
  allowed = allowed_string (item);
  g_assert_cmpstr (allowed, ==, "[\"approve\",\"modify\",\"reject\"]");

  /* delete_file may not be edited. */
  item = find_item (items, "lg:5f0d2c61-8a4e-4c1b-9a77-1f0c3b8e2d10:"
                           "b6eccded1c3c08870e072bfffdf87a05:2");
  g_assert_true (vd_item_allows_decision (item, VD_DECISION_KIND_APPROVE));
  g_assert_true (vd_item_allows_decision (item, VD_DECISION_KIND_REJECT));
  g_assert_false (vd_item_allows_decision (item, VD_DECISION_KIND_MODIFY));
  g_assert_true (vd_item_allows_decision (item, VD_DECISION_KIND_ESCALATE_FURTHER));

  /* One action alone: no group, and a description made from the action. */
  item = find_item (items, "lg:a3b1e9f0-4d2c-4f6e-8b1a-77c2d9e0f412:"
                           "68000a0370f44bd7c7634a6bbebcfbb9:0");
  g_assert_false (json_object_has_member (vd_item_get_source (item), "group"));
  g_assert_cmpstr (vd_item_get_task_description (item), ==, "Run the tool “run_sql”?");
}

static void
test_read_python (void)
{
  g_autoptr(GPtrArray) items = read_file ("langgraph-threads-python.json");
  g_autofree char *refund = NULL;
  g_autofree char *close = NULL;
  VdItem *item;

  g_assert_cmpuint (items->len, ==, 3);
  item = g_ptr_array_index (items, 1);
  g_assert_cmpstr (vd_item_get_task_id (item), ==,
                   "lg:7d1c0b2e-5e3f-4f0a-b6c1-2a9e8d7f6b55:3f2a9c1e7b6d4e8f0a1b2c3d4e5f6a7b:1");
  g_assert_cmpstr (json_object_get_string_member (vd_item_get_source (item), "casing"), ==,
                   "python");
  /* One review config for the tool name: both refunds use it. */
  refund = allowed_string (item);
  g_assert_cmpstr (refund, ==, "[\"approve\",\"modify\",\"reject\"]");
  close = allowed_string (g_ptr_array_index (items, 2));
  g_assert_cmpstr (close, ==, "[\"approve\",\"reject\"]");
  g_assert_cmpstr (vd_item_get_task_description (g_ptr_array_index (items, 2)), ==,
                   "Close the ticket once the refunds went out");
}

static void
test_read_agent_inbox (void)
{
  g_autoptr(GPtrArray) items = read_file ("langgraph-agent-inbox.json");
  g_autofree char *email = NULL;
  g_autofree char *meeting = NULL;
  g_autofree char *question = NULL;
  JsonObject *source;

  g_assert_cmpuint (items->len, ==, 3);
  source = vd_item_get_source (g_ptr_array_index (items, 0));
  g_assert_cmpstr (json_object_get_string_member (source, "schema"), ==, "human-interrupt");
  g_assert_false (json_object_has_member (source, "casing"));
  email = allowed_string (g_ptr_array_index (items, 0));
  meeting = allowed_string (g_ptr_array_index (items, 1));
  question = allowed_string (g_ptr_array_index (items, 2));
  g_assert_cmpstr (email, ==, "[\"approve\",\"modify\",\"reject\"]");
  g_assert_cmpstr (meeting, ==, "[\"approve\",\"reject\"]");
  g_assert_cmpstr (question, ==, "[\"reject\"]");
  g_assert_cmpstr (vd_item_get_task_description (g_ptr_array_index (items, 0)), ==,
                   "# Email from Carol\n\nCan we meet Thursday?");
  g_assert_cmpint (json_object_get_int_member (vd_item_get_source (g_ptr_array_index (items, 2)),
                                               "group_size"), ==, 2);
}

static void
test_stable_ids (void)
{
  g_autoptr(GPtrArray) a = read_file ("langgraph-agent-inbox.json");
  g_autoptr(GPtrArray) b = read_file ("langgraph-agent-inbox.json");

  g_assert_cmpuint (a->len, ==, b->len);
  for (guint i = 0; i < a->len; i++)
    g_assert_cmpstr (vd_item_get_task_id (g_ptr_array_index (a, i)), ==,
                     vd_item_get_task_id (g_ptr_array_index (b, i)));
}

static void
test_roundtrip_javascript (void)
{
  g_autoptr(GPtrArray) items = read_file ("langgraph-threads-js.json");
  VdDecision *decisions[4];
  VdFormatSummary summary = { 0, };
  g_autofree char *written = NULL;
  g_autoptr(GError) error = NULL;

  decisions[0] = decide (g_ptr_array_index (items, 0), VD_DECISION_KIND_APPROVE, NULL);
  decisions[1] = decide (g_ptr_array_index (items, 1), VD_DECISION_KIND_MODIFY,
                         "{\"action\": \"transfer_funds\", \"args\": {\"from_account\": \"ops\", "
                         "\"to_account\": \"ACME-4411\", \"amount\": 1200, \"currency\": \"EUR\", "
                         "\"urgent\": true, \"memo\": \"March\", \"tags\": [\"invoice\", 3]}}");
  decisions[2] = decide (g_ptr_array_index (items, 2), VD_DECISION_KIND_REJECT,
                         "Keep the reports: finance still reads them.");
  decisions[3] = NULL;  /* run_sql: undecided, held back */

  g_assert_true (vd_format_langgraph_get_class ()->check_decision (g_ptr_array_index (items, 1),
                                                                   decisions[1], &error));
  g_assert_no_error (error);

  written = write_entries (items, decisions, &summary);
  assert_resume (written, "langgraph-threads-js.resume.json");
  g_assert_cmpuint (summary.written, ==, 3);
  g_assert_cmpuint (summary.held_back, ==, 1);
  g_assert_cmpuint (summary.other, ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (decisions); i++)
    g_clear_object (&decisions[i]);
}

static void
test_roundtrip_python (void)
{
  g_autoptr(GPtrArray) items = read_file ("langgraph-threads-python.json");
  VdDecision *decisions[3];
  VdFormatSummary summary = { 0, };
  g_autofree char *written = NULL;

  decisions[0] = decide (g_ptr_array_index (items, 0), VD_DECISION_KIND_APPROVE, NULL);
  decisions[1] = decide (g_ptr_array_index (items, 1), VD_DECISION_KIND_MODIFY,
                         "{\"action\":\"refund_order\",\"args\":{\"order_id\":88413,"
                         "\"amount\":100,\"reason\":\"late\",\"notify\":true}}");
  /* No feedback: the reject still carries a message. */
  decisions[2] = decide (g_ptr_array_index (items, 2), VD_DECISION_KIND_REJECT, NULL);

  written = write_entries (items, decisions, &summary);
  assert_resume (written, "langgraph-threads-python.resume.json");
  g_assert_cmpuint (summary.written, ==, 3);
  g_assert_cmpuint (summary.held_back, ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (decisions); i++)
    g_clear_object (&decisions[i]);
}

static void
test_roundtrip_agent_inbox (void)
{
  g_autoptr(GPtrArray) items = read_file ("langgraph-agent-inbox.json");
  VdDecision *decisions[3];
  VdFormatSummary summary = { 0, };
  g_autofree char *written = NULL;

  decisions[0] = decide (g_ptr_array_index (items, 0), VD_DECISION_KIND_MODIFY,
                         "{\"action\": \"write_email\", \"args\": {\"to\": \"carol@example.com\", "
                         "\"subject\": \"Re: meeting\", "
                         "\"content\": \"Thursday at 11 works better.\"}}");
  decisions[1] = decide (g_ptr_array_index (items, 1), VD_DECISION_KIND_APPROVE, NULL);
  decisions[2] = decide (g_ptr_array_index (items, 2), VD_DECISION_KIND_REJECT,
                         "Yes, book room 4.");

  written = write_entries (items, decisions, &summary);
  assert_resume (written, "langgraph-agent-inbox.resume.json");
  g_assert_cmpuint (summary.written, ==, 3);

  for (guint i = 0; i < G_N_ELEMENTS (decisions); i++)
    g_clear_object (&decisions[i]);
}

/* A reject becomes a response when the interrupt takes one and the reviewer
 * wrote feedback, an ignore otherwise. */
static void
test_ignore (void)
{
  g_autoptr(GPtrArray) items = read_file ("langgraph-agent-inbox.json");
  VdDecision *decisions[3];
  VdFormatSummary summary = { 0, };
  g_autofree char *written = NULL;
  g_autofree char *got = NULL;
  g_autofree char *expected = NULL;

  decisions[0] = decide (g_ptr_array_index (items, 0), VD_DECISION_KIND_REJECT, NULL);
  decisions[1] = decide (g_ptr_array_index (items, 1), VD_DECISION_KIND_REJECT, "Not now.");
  decisions[2] = decide (g_ptr_array_index (items, 2), VD_DECISION_KIND_REJECT, NULL);

  written = write_entries (items, decisions, &summary);
  got = canonical (written);
  expected = canonical ("{\"e2c4a6f8-1b3d-4e5f-8a7b-9c0d1e2f3a4b\": {"
                        "\"d41d8cd98f00b204e9800998ecf8427e\": "
                        "[{\"type\": \"ignore\", \"args\": null}],"
                        "\"0cc175b9c0f1b6a831c399e269772661\": "
                        "[{\"type\": \"ignore\", \"args\": null},"
                        " {\"type\": \"ignore\", \"args\": null}]}}");
  g_assert_cmpstr (got, ==, expected);

  for (guint i = 0; i < G_N_ELEMENTS (decisions); i++)
    g_clear_object (&decisions[i]);
}

/* An interrupt with an undecided or escalated action is not written at all. */
static void
test_held_back (void)
{
  g_autoptr(GPtrArray) items = read_file ("langgraph-agent-inbox.json");
  g_autoptr(VdItem) other = vd_item_new ("lg", "plain-1");
  VdDecision *decisions[4];
  VdFormatSummary summary = { 0, };
  g_autofree char *written = NULL;
  g_autofree char *got = NULL;
  g_autofree char *expected = NULL;

  g_ptr_array_add (items, g_object_ref (other));
  decisions[0] = decide (g_ptr_array_index (items, 0), VD_DECISION_KIND_APPROVE, NULL);
  decisions[1] = decide (g_ptr_array_index (items, 1), VD_DECISION_KIND_APPROVE, NULL);
  decisions[2] = decide (g_ptr_array_index (items, 2), VD_DECISION_KIND_ESCALATE_FURTHER, NULL);
  decisions[3] = decide (other, VD_DECISION_KIND_APPROVE, NULL);

  written = write_entries (items, decisions, &summary);
  got = canonical (written);
  expected = canonical ("{\"e2c4a6f8-1b3d-4e5f-8a7b-9c0d1e2f3a4b\": {"
                        "\"d41d8cd98f00b204e9800998ecf8427e\": "
                        "[{\"type\": \"accept\", \"args\": null}]}}");
  g_assert_cmpstr (got, ==, expected);
  g_assert_cmpuint (summary.written, ==, 1);
  g_assert_cmpuint (summary.held_back, ==, 2);
  g_assert_cmpuint (summary.other, ==, 1);

  /* Nothing decided: an empty object, everything held back. */
  summary = (VdFormatSummary) { 0, };
  g_clear_object (&decisions[0]);
  g_clear_object (&decisions[1]);
  g_clear_object (&decisions[2]);
  g_clear_pointer (&written, g_free);
  written = write_entries (items, decisions, &summary);
  g_assert_cmpstr (written, ==, "{}\n");
  g_assert_cmpuint (summary.held_back, ==, 3);

  g_clear_object (&decisions[3]);
}

static void
test_check_decision (void)
{
  g_autoptr(GPtrArray) items = read_file ("langgraph-threads-js.json");
  VdItem *item = g_ptr_array_index (items, 1);
  const struct {
    const char *edit;
    const char *message;
  } bad[] = {
    { "amount: 1200", "the edited action is not JSON" },
    { "[1, 2]", "must be a JSON object {\"action\": \"transfer_funds\"" },
    { "{\"from_account\": \"ops\"}", "must be a JSON object" },
    { "{\"action\": \"transfer_funds\", \"args\": [1]}", "must be a JSON object" },
    { "{\"action\": \"transfer_funds\", \"args\": {}, \"extra\": 1}", "must be a JSON object" },
    { "{\"action\": \"steal_funds\", \"args\": {}}", "an edit keeps the action “transfer_funds”" },
    { "{\"action\": \"transfer_funds\", \"args\": {\"a\": \"\\ud800\"}}", "not JSON" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(VdDecision) decision = decide (item, VD_DECISION_KIND_MODIFY, bad[i].edit);
      g_autoptr(GError) error = NULL;

      g_assert_false (vd_format_langgraph_get_class ()->check_decision (item, decision, &error));
      g_assert_error (error, VD_FORMAT_ERROR, VD_FORMAT_ERROR_INVALID);
      if (strstr (error->message, bad[i].message) == NULL)
        g_error ("edit %s: message “%s” lacks “%s”", bad[i].edit, error->message,
                 bad[i].message);
    }

  {
    g_autoptr(VdDecision) approve = decide (item, VD_DECISION_KIND_APPROVE, NULL);
    g_autoptr(VdDecision) edit = decide (item, VD_DECISION_KIND_MODIFY,
                                         "{\"action\": \"transfer_funds\", \"args\": {}}");
    g_autoptr(GError) error = NULL;

    g_assert_true (vd_format_langgraph_get_class ()->check_decision (item, approve, &error));
    g_assert_true (vd_format_langgraph_get_class ()->check_decision (item, edit, &error));
    g_assert_no_error (error);
  }
}

/* Interrupts without their thread ({value, id}, a run's __interrupt__), and
 * values without their id. */
static void
test_bare_values (void)
{
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  VdDecision *decisions[1];
  VdFormatSummary summary = { 0, };
  g_autofree char *written = NULL;
  g_autofree char *got = NULL;
  const char *key;

  items = read_text ("[{\"id\": \"i1\", \"value\": {\"actionRequests\": [{\"name\": \"t\", "
                     "\"args\": {\"n\": 1}}], \"reviewConfigs\": [{\"actionName\": \"t\", "
                     "\"allowedDecisions\": [\"approve\"]}]}}]", FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 1);
  g_assert_cmpstr (vd_item_get_task_id (g_ptr_array_index (items, 0)), ==, "lg:-:i1:0");
  decisions[0] = decide (g_ptr_array_index (items, 0), VD_DECISION_KIND_APPROVE, NULL);
  written = write_entries (items, decisions, &summary);
  got = canonical (written);
  g_assert_cmpstr (got, ==, "{\"\":{\"i1\":{\"decisions\":[{\"type\":\"approve\"}]}}}");
  g_clear_object (&decisions[0]);
  g_clear_pointer (&items, g_ptr_array_unref);
  g_clear_pointer (&written, g_free);
  g_clear_pointer (&got, g_free);

  /* A bare HumanInterrupt list: one value; its key is a hash of it. */
  items = read_text ("[{\"action_request\": {\"action\": \"a\", \"args\": {}}, \"config\": "
                     "{\"allow_ignore\": false, \"allow_respond\": false, \"allow_edit\": false, "
                     "\"allow_accept\": true}}]", FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 1);
  key = json_object_get_string_member (vd_item_get_source (g_ptr_array_index (items, 0)), "key");
  g_assert_cmpuint (strlen (key), ==, 16);
  g_assert_true (json_object_get_null_member (
    json_object_get_object_member (vd_item_get_source (g_ptr_array_index (items, 0)), "ids"),
    "interrupt_id"));
  decisions[0] = decide (g_ptr_array_index (items, 0), VD_DECISION_KIND_APPROVE, NULL);
  written = write_entries (items, decisions, &summary);
  got = canonical (written);
  {
    g_autofree char *expected = NULL;

    expected = g_strdup_printf ("{\"\":{\"%s\":[{\"type\":\"accept\",\"args\":null}]}}", key);
    g_assert_cmpstr (got, ==, expected);
  }
  g_clear_object (&decisions[0]);
}

static void
test_sniff (void)
{
  const char *yes[] = {
    "{\"thread_id\": \"t\", \"interrupts\": {}}",
    "{\"action_request\": {}}",
    "{\"actionRequests\": []}",
    "{\"action_requests\": []}",
    "{\"id\": \"x\", \"value\": {\"actionRequests\": []}}",
  };
  const char *no[] = {
    "{\"data\": {\"text\": \"x\"}, \"predictions\": []}",
    "{\"text\": \"x\", \"_input_hash\": 1}",
    "{\"thread_id\": \"t\"}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (yes) + G_N_ELEMENTS (no); i++)
    {
      gboolean expect = i < G_N_ELEMENTS (yes);
      const char *text = expect ? yes[i] : no[i - G_N_ELEMENTS (yes)];
      g_autoptr(JsonNode) node = json_from_string (text, NULL);

      g_assert_cmpint (vd_format_langgraph_get_class ()->sniff (json_node_get_object (node)), ==,
                       expect);
    }
}

#define MIDDLEWARE(requests, configs) \
  "[{\"thread_id\": \"t1\", \"interrupts\": {\"task\": [{\"id\": \"i1\", \"value\": " \
  "{\"actionRequests\": " requests ", \"reviewConfigs\": " configs "}}]}}]"
#define OK_REQUESTS "[{\"name\": \"t\", \"args\": {}}]"
#define OK_CONFIGS "[{\"actionName\": \"t\", \"allowedDecisions\": [\"approve\"]}]"
#define INBOX(config) \
  "[{\"thread_id\": \"t1\", \"interrupts\": [{\"id\": \"i1\", \"value\": [{\"action_request\": " \
  "{\"action\": \"a\", \"args\": {}}, \"config\": " config "}]}]}]"

static void
test_malformed (void)
{
  g_autofree char *deep = NULL;
  g_autofree char *huge = NULL;
  g_autofree char *huge_doc = NULL;
  g_autofree char *deep_doc = NULL;
  GString *nested = g_string_new (NULL);
  const struct {
    const char *text;
    const char *message;
  } cases[] = {
    { "", "in.json: empty file" },
    { "[]", "in.json: no threads or interrupts" },
    { "[{\"thread_id\": 7, \"interrupts\": {}}]",
      "in.json: record 1: thread_id: expected a string" },
    { "[{\"thread_id\": \"t1\"}]", "in.json: record 1 (id t1): interrupts: missing" },
    { "[{\"thread_id\": \"t1\", \"interrupts\": \"x\"}]",
      "in.json: record 1 (id t1): interrupts: expected an object of task ids or a list" },
    { "[{\"thread_id\": \"t1\", \"interrupts\": {\"task\": {}}}]",
      "in.json: record 1 (id t1): interrupts.task: expected a list of interrupts" },
    { "[{\"thread_id\": \"t1\", \"interrupts\": {\"task\": [{\"value\": {}}]}}]",
      "in.json: record 1 (id t1): interrupts.task[0]: the interrupt has no id "
      "(LangGraph could not be resumed by it)" },
    { "[{\"thread_id\": \"t1\", \"interrupts\": {\"task\": [{\"id\": 3, \"value\": {}}]}}]",
      "in.json: record 1 (id t1): interrupts.task[0].id: expected a string" },
    { "[{\"thread_id\": \"t1\", \"interrupts\": {\"task\": [{\"id\": \"i1\", "
      "\"value\": \"ok?\"}]}}]",
      "in.json: record 1 (id t1): interrupts.task[0].value: expected a HumanInterrupt or a "
      "human-in-the-loop request object" },
    { "[{\"thread_id\": \"t1\", \"interrupts\": {\"task\": [{\"id\": \"i1\", "
      "\"value\": {\"q\": 1}}]}}]",
      "in.json: record 1 (id t1): interrupts.task[0].value: not a HumanInterrupt (action_request) "
      "nor a human-in-the-loop request (action_requests, review_configs)" },
    /* Missing, misspelled or wrongly typed review configs: never "allow all". */
    { MIDDLEWARE (OK_REQUESTS, "[]"),
      "in.json: record 1 (id t1): interrupts.task[0].value.reviewConfigs: empty" },
    { "[{\"thread_id\": \"t1\", \"interrupts\": {\"task\": [{\"id\": \"i1\", \"value\": "
      "{\"actionRequests\": " OK_REQUESTS "}}]}}]",
      "in.json: record 1 (id t1): interrupts.task[0].value.reviewConfigs: missing" },
    { "[{\"thread_id\": \"t1\", \"interrupts\": {\"task\": [{\"id\": \"i1\", \"value\": "
      "{\"actionRequests\": " OK_REQUESTS ", \"review_configs\": " OK_CONFIGS "}}]}}]",
      "in.json: record 1 (id t1): interrupts.task[0].value: mixes Python (action_requests, "
      "review_configs) and JavaScript (actionRequests, reviewConfigs) names" },
    { MIDDLEWARE (OK_REQUESTS, "[{\"actionName\": \"t\", \"allowedDecision\": [\"approve\"]}]"),
      "in.json: record 1 (id t1): interrupts.task[0].value.reviewConfigs[0].allowedDecisions: "
      "missing" },
    { MIDDLEWARE (OK_REQUESTS, "[{\"actionName\": \"t\", \"allowedDecisions\": \"approve\"}]"),
      "in.json: record 1 (id t1): interrupts.task[0].value.reviewConfigs[0].allowedDecisions: "
      "expected a list" },
    { MIDDLEWARE (OK_REQUESTS, "[{\"actionName\": \"t\", \"allowedDecisions\": [\"aprove\"]}]"),
      "in.json: record 1 (id t1): interrupts.task[0].value.reviewConfigs[0].allowedDecisions[0]: "
      "unknown decision “aprove” (expected approve, edit or reject)" },
    { MIDDLEWARE (OK_REQUESTS, "[{\"actionName\": \"u\", \"allowedDecisions\": [\"approve\"]}]"),
      "in.json: record 1 (id t1): interrupts.task[0].value.actionRequests[0].name: no entry of "
      "reviewConfigs names this action" },
    { MIDDLEWARE ("[{\"name\": \"t\", \"args\": \"{}\"}]", OK_CONFIGS),
      "in.json: record 1 (id t1): interrupts.task[0].value.actionRequests[0].args: expected an "
      "object" },
    { MIDDLEWARE ("[{\"name\": \"t\"}]", OK_CONFIGS),
      "in.json: record 1 (id t1): interrupts.task[0].value.actionRequests[0].args: missing" },
    { MIDDLEWARE ("[{\"name\": \"t\", \"args\": {}, \"description\": 5}]", OK_CONFIGS),
      "in.json: record 1 (id t1): interrupts.task[0].value.actionRequests[0].description: "
      "expected a string" },
    { MIDDLEWARE ("[{\"name\": \"\", \"args\": {}}]", OK_CONFIGS),
      "in.json: record 1 (id t1): interrupts.task[0].value.actionRequests[0].name: empty" },
    /* HumanInterrupt: each config flag is needed. */
    { INBOX ("{\"allow_ignore\": true, \"allow_respond\": true, \"allow_edit\": true}"),
      "in.json: record 1 (id t1): interrupts[0].value[0].config.allow_accept: missing" },
    { INBOX ("{\"allow_ignore\": true, \"allow_respond\": \"yes\", \"allow_edit\": true, "
             "\"allow_accept\": true}"),
      "in.json: record 1 (id t1): interrupts[0].value[0].config.allow_respond: expected true or "
      "false" },
    { INBOX ("{\"allow_ignore\": false, \"allow_respond\": false, \"allow_edit\": false, "
             "\"allow_accept\": false}"),
      "in.json: record 1 (id t1): interrupts[0].value[0].config: allows no decision" },
    { "[{\"thread_id\": \"t1\", \"interrupts\": [{\"id\": \"i1\", \"value\": [{\"action_request\": "
      "{\"action\": \"a\", \"args\": {}}, \"config\": {}}, 3]}]}]",
      "in.json: record 1 (id t1): interrupts[0].value[0].config.allow_ignore: missing" },
    { "[{\"thread_id\": \"t1\", \"updated_at\": \"yesterday\", \"interrupts\": {}}]",
      "in.json: record 1 (id t1): updated_at: not an ISO 8601 time" },
    { "[{\"thread_id\": \"t1\", \"interrupts\": [{\"id\": \"i1\", \"value\": {\"action_request\": "
      "{\"action\": \"a\", \"args\": {}}, \"config\": {\"allow_ignore\": true, \"allow_respond\": "
      "true, \"allow_edit\": true, \"allow_accept\": true}}}]}, {\"thread_id\": \"t1\", "
      "\"interrupts\": [{\"id\": \"i1\", \"value\": {\"action_request\": {\"action\": \"a\", "
      "\"args\": {}}, \"config\": {\"allow_ignore\": true, \"allow_respond\": true, "
      "\"allow_edit\": true, \"allow_accept\": true}}}]}]",
      "in.json: record 2: the same interrupt action as an earlier record (lg:t1:i1:0)" },
    { "[{\"thread_id\": \"t\\ud800\", \"interrupts\": {}}]", "in.json: " },
    { "[{\"thread_id\": \"t1\", \"interrupts\": {}", "in.json: " },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GPtrArray) items = NULL;
      g_autoptr(GError) error = NULL;

      items = read_text (cases[i].text, FALSE, NULL, &error);
      g_assert_null (items);
      g_assert_error (error, VD_FORMAT_ERROR, VD_FORMAT_ERROR_INVALID);
      if (g_str_has_suffix (cases[i].message, ": "))
        g_assert_true (g_str_has_prefix (error->message, cases[i].message));
      else
        g_assert_cmpstr (error->message, ==, cases[i].message);
    }

  /* Deep nesting inside the arguments, and a huge name. */
  for (guint i = 0; i < 200; i++)
    g_string_append_c (nested, '[');
  for (guint i = 0; i < 200; i++)
    g_string_append_c (nested, ']');
  deep = g_string_free (nested, FALSE);
  deep_doc = g_strdup_printf (MIDDLEWARE ("[{\"name\": \"t\", \"args\": {\"x\": %s}}]", OK_CONFIGS),
                              deep);
  huge = g_strnfill (5000, 'n');
  huge_doc = g_strdup_printf (MIDDLEWARE ("[{\"name\": \"%s\", \"args\": {}}]", OK_CONFIGS), huge);
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) items = read_text (deep_doc, FALSE, NULL, &error);

    g_assert_null (items);
    g_assert_error (error, VD_FORMAT_ERROR, VD_FORMAT_ERROR_INVALID);
    g_assert_true (g_str_has_prefix (error->message, "in.json: "));
    g_assert_nonnull (strstr (error->message, "deep"));
  }
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) items = read_text (huge_doc, FALSE, NULL, &error);

    g_assert_null (items);
    g_assert_cmpstr (error->message, ==,
                     "in.json: record 1 (id t1): interrupts.task[0].value.actionRequests[0].name: "
                     "longer than 1024 bytes");
  }
}

static void
test_skip_invalid (void)
{
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;

  items = read_text ("[{\"thread_id\": \"bad\", \"interrupts\": 1},"
                     " {\"thread_id\": \"t2\", \"interrupts\": [{\"id\": \"i\", \"value\": "
                     "{\"action_requests\": [{\"name\": \"t\", \"args\": {}}], \"review_configs\": "
                     "[{\"action_name\": \"t\", \"allowed_decisions\": [\"reject\"]}]}}]}]",
                     TRUE, problems, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 1);
  g_assert_cmpstr (vd_item_get_task_id (g_ptr_array_index (items, 0)), ==, "lg:t2:i:0");
  g_assert_cmpuint (problems->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (problems, 0), ==,
                   "in.json: record 1 (id bad): interrupts: expected an object of task ids or a "
                   "list");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/format/langgraph/read-javascript", test_read_javascript);
  g_test_add_func ("/format/langgraph/read-python", test_read_python);
  g_test_add_func ("/format/langgraph/read-agent-inbox", test_read_agent_inbox);
  g_test_add_func ("/format/langgraph/stable-ids", test_stable_ids);
  g_test_add_func ("/format/langgraph/roundtrip-javascript", test_roundtrip_javascript);
  g_test_add_func ("/format/langgraph/roundtrip-python", test_roundtrip_python);
  g_test_add_func ("/format/langgraph/roundtrip-agent-inbox", test_roundtrip_agent_inbox);
  g_test_add_func ("/format/langgraph/ignore", test_ignore);
  g_test_add_func ("/format/langgraph/held-back", test_held_back);
  g_test_add_func ("/format/langgraph/check-decision", test_check_decision);
  g_test_add_func ("/format/langgraph/bare-values", test_bare_values);
  g_test_add_func ("/format/langgraph/sniff", test_sniff);
  g_test_add_func ("/format/langgraph/malformed", test_malformed);
  g_test_add_func ("/format/langgraph/skip-invalid", test_skip_invalid);

  return g_test_run ();
}
