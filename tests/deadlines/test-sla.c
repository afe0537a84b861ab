/* test-sla.c: deadlines, their fallback, the deadline timer and backpressure
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
#include <sqlite3.h>
#include <string.h>

#include "vd-core.h"
#include "vd-test-util.h"

typedef VdTestStore Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  vd_test_store_set_up (fixture, "sla");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  vd_test_store_tear_down (fixture);
}

static void
add_test (const char *path,
          void      (*func) (Fixture *, gconstpointer))
{
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down);
}

static VdPolicy *
load_policy (const char *json)
{
  g_autoptr(GError) error = NULL;
  VdPolicy *policy = vd_policy_new_from_data (json, -1, "policy.json", &error);

  g_assert_no_error (error);
  g_assert_nonnull (policy);
  return policy;
}

static void
assert_policy_error (const char *json,
                     const char *message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VdPolicy) policy = NULL;

  g_test_message ("loading %s", json);
  policy = vd_policy_new_from_data (json, -1, "policy.json", &error);
  g_assert_null (policy);
  g_assert_error (error, VD_POLICY_ERROR, VD_POLICY_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, message);
}

/* Imports @queue_text as the queue file q.jsonl with @policy. */
static void
import_text (Fixture    *fixture,
             VdPolicy   *policy,
             const char *queue_text)
{
  VdImportResult result = { 0, };

  vd_test_import_text (fixture->store, fixture->dir, "q.jsonl", queue_text, policy, &result);
}

static GDateTime *
at (const char *text)
{
  GDateTime *time = vd_timestamp_parse (text);

  g_assert_nonnull (time);
  return time;
}

static VdItem *
get_item (Fixture    *fixture,
          const char *task_id)
{
  g_autoptr(GError) error = NULL;
  VdItem *item = vd_store_get_item (fixture->store, "q", task_id, &error);

  g_assert_no_error (error);
  return item;
}

static VdTaskStatus
status_of (Fixture    *fixture,
           const char *task_id)
{
  g_autoptr(VdItem) item = get_item (fixture, task_id);

  return vd_item_get_status (item);
}

static char *
due_of (Fixture    *fixture,
        const char *task_id)
{
  g_autoptr(VdItem) item = get_item (fixture, task_id);

  if (vd_item_get_due_at (item) == NULL)
    return NULL;
  return vd_timestamp_format (vd_item_get_due_at (item));
}

static gint64
audit_head (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  gint64 seq = 0;

  g_assert_true (vd_store_get_audit_head (fixture->store, &seq, NULL, &error));
  g_assert_no_error (error);
  return seq;
}

static void
assert_verifies (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (vd_store_verify_audit (fixture->store, NULL, NULL, &error));
  g_assert_no_error (error);
}

/* The events of type @event_type, in order. */
static GPtrArray *
events_of (Fixture    *fixture,
           const char *event_type)
{
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *found = g_ptr_array_new_with_free_func (g_object_unref);

  all = vd_store_list_audit (fixture->store, 1, 0, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < all->len; i++)
    {
      VdAuditEvent *event = g_ptr_array_index (all, i);

      if (g_str_equal (vd_audit_event_get_event_type (event), event_type))
        g_ptr_array_add (found, g_object_ref (event));
    }

  return found;
}

static VdSlaResult
apply_at (Fixture    *fixture,
          VdPolicy   *policy,
          const char *now_text)
{
  g_autoptr(GDateTime) now = at (now_text);
  g_autoptr(GError) error = NULL;
  VdSlaResult result = { 0, };

  g_assert_true (vd_sla_apply (fixture->store, policy, now, &result, &error));
  g_assert_no_error (error);
  return result;
}

static gboolean
try_decide (Fixture         *fixture,
            const char      *task_id,
            VdDecisionKind   kind,
            const char      *feedback,
            GError         **error)
{
  g_autoptr(VdItem) item = get_item (fixture, task_id);
  g_autoptr(VdDecision) decision = vd_decision_new ("q", task_id, kind, "alice");

  vd_decision_set_revision (decision, vd_item_get_revision (item));
  if (feedback != NULL)
    vd_decision_set_feedback (decision, feedback);
  return vd_store_record_decision (fixture->store, decision, error);
}

/* A queue file in queue "q" whose items carry their own deadlines, so that
 * the tests set the clock. */
static const char timed_queue[] =
  "{\"verdict_queue\": 1, \"queue\": \"q\"}\n"
  "{\"task_id\": \"t1\", \"task_type\": \"payment\", \"task_description\": \"Refund\", "
  "\"agent_output\": {\"content\": \"Refund $40.\", \"confidence\": 0.5}, "
  "\"due_at\": \"2026-03-01T10:00:00Z\"}\n"
  "{\"task_id\": \"t2\", \"task_type\": \"payment\", \"task_description\": \"Wire\", "
  "\"agent_output\": {\"content\": \"Wire $9,000.\", \"confidence\": 0.9}, "
  "\"escalation_reason\": \"high_risk_action\", \"due_at\": \"2026-03-01T11:00:00Z\"}\n"
  "{\"task_id\": \"t3\", \"task_type\": \"support\", \"task_description\": \"Answer\", "
  "\"agent_output\": {\"content\": \"Your invoice is attached.\", \"confidence\": 0.6}, "
  "\"due_at\": \"2026-03-01T12:00:00Z\"}\n"
  "{\"task_id\": \"t4\", \"task_type\": \"support\", \"task_description\": \"Close\", "
  "\"agent_output\": {\"content\": \"Delete the account.\", \"confidence\": 0.9}, "
  "\"escalation_reason\": \"sensitive_content\", \"due_at\": \"2026-03-01T13:00:00Z\"}\n"
  "{\"task_id\": \"t5\", \"task_type\": \"support\", \"task_description\": \"No deadline\", "
  "\"agent_output\": {\"content\": \"Later.\", \"confidence\": 0.1}}\n";

/* Policy: fields, round trip, messages */

static const char full_policy[] =
  "{\n"
  "  \"verdict_policy\": 1,\n"
  "  \"confidence_threshold\": 0.7,\n"
  "  \"sensitive_keywords\": [],\n"
  "  \"high_risk_actions\": [],\n"
  "  \"always_review_types\": [\n"
  "    \"medical\"\n"
  "  ],\n"
  "  \"task_types\": {\n"
  "    \"payment\": {\n"
  "      \"confidence_threshold\": 0.85,\n"
  "      \"sla_minutes\": 60,\n"
  "      \"fallback\": \"auto_reject\"\n"
  "    },\n"
  "    \"chat\": {\n"
  "      \"fallback\": \"auto_approve\"\n"
  "    }\n"
  "  },\n"
  "  \"rules\": [],\n"
  "  \"sla_minutes\": 240,\n"
  "  \"fallback\": \"escalate\",\n"
  "  \"escalated\": {\n"
  "    \"sla_minutes\": 120\n"
  "  },\n"
  "  \"queues\": {\n"
  "    \"payments\": {\n"
  "      \"max_pending\": 500,\n"
  "      \"on_full\": \"refuse\"\n"
  "    },\n"
  "    \"chat\": {\n"
  "      \"max_pending\": 20,\n"
  "      \"on_full\": \"pause_agent\"\n"
  "    }\n"
  "  }\n"
  "}\n";

static void
test_policy_fields (void)
{
  g_autoptr(VdPolicy) policy = load_policy (full_policy);
  g_autoptr(VdPolicy) defaults = vd_policy_new ();
  g_autoptr(VdPolicy) again = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  g_autofree char *data_again = NULL;
  VdQueueFullAction on_full = VD_QUEUE_FULL_PAUSE_AGENT;
  const char *rule = NULL;
  guint max_pending = 0;

  g_assert_cmpuint (vd_policy_get_sla_minutes (policy, "payment"), ==, 60);
  g_assert_cmpuint (vd_policy_get_sla_minutes (policy, "chat"), ==, 240);
  g_assert_cmpuint (vd_policy_get_sla_minutes (policy, NULL), ==, 240);
  g_assert_cmpint (vd_policy_get_fallback (policy, "payment", &rule), ==,
                   VD_SLA_FALLBACK_AUTO_REJECT);
  g_assert_cmpstr (rule, ==, "task_types.payment.fallback");
  g_assert_cmpint (vd_policy_get_fallback (policy, "chat", &rule), ==,
                   VD_SLA_FALLBACK_AUTO_APPROVE);
  g_assert_cmpstr (rule, ==, "task_types.chat.fallback");
  g_assert_cmpint (vd_policy_get_fallback (policy, "other", &rule), ==, VD_SLA_FALLBACK_ESCALATE);
  g_assert_cmpstr (rule, ==, "fallback");
  g_assert_cmpuint (vd_policy_get_escalated_sla_minutes (policy), ==, 120);
  g_assert_true (vd_policy_get_queue_limit (policy, "payments", &max_pending, &on_full));
  g_assert_cmpuint (max_pending, ==, 500);
  g_assert_cmpint (on_full, ==, VD_QUEUE_FULL_REFUSE);
  g_assert_true (vd_policy_get_queue_limit (policy, "chat", &max_pending, &on_full));
  g_assert_cmpuint (max_pending, ==, 20);
  g_assert_cmpint (on_full, ==, VD_QUEUE_FULL_PAUSE_AGENT);
  g_assert_false (vd_policy_get_queue_limit (policy, "other", NULL, NULL));

  /* Written back exactly as read, and read back to the same text. */
  data = vd_policy_to_data (policy);
  g_assert_cmpstr (data, ==, full_policy);
  node = vd_policy_to_json (policy);
  again = vd_policy_new_from_json (node, "again", &error);
  g_assert_no_error (error);
  data_again = vd_policy_to_data (again);
  g_assert_cmpstr (data_again, ==, full_policy);

  /* Without the fields: no SLA, escalate by default, no limits. */
  g_assert_cmpuint (vd_policy_get_sla_minutes (defaults, "payment"), ==, 0);
  g_assert_cmpint (vd_policy_get_fallback (defaults, "payment", &rule), ==,
                   VD_SLA_FALLBACK_ESCALATE);
  g_assert_cmpstr (rule, ==, "default");
  g_assert_cmpuint (vd_policy_get_escalated_sla_minutes (defaults), ==, 0);
  g_assert_false (vd_policy_get_queue_limit (defaults, "payments", NULL, NULL));

  /* An on_full left out is pause_agent, and written out. */
  {
    g_autoptr(VdPolicy) minimal = load_policy ("{\"queues\": {\"q\": {\"max_pending\": 3.0}}}");
    g_autofree char *text = vd_policy_to_data (minimal);

    g_assert_true (vd_policy_get_queue_limit (minimal, "q", &max_pending, &on_full));
    g_assert_cmpuint (max_pending, ==, 3);
    g_assert_cmpint (on_full, ==, VD_QUEUE_FULL_PAUSE_AGENT);
    g_assert_nonnull (strstr (text, "\"q\": {\n      \"max_pending\": 3,\n"
                                    "      \"on_full\": \"pause_agent\"\n    }"));
  }

  /* The setters build the same policy. */
  {
    g_autoptr(VdPolicy) built = vd_policy_new ();
    g_autofree char *text = NULL;

    vd_policy_add_always_review_type (built, "medical");
    vd_policy_set_type_threshold (built, "payment", 0.85);
    vd_policy_set_sla_minutes (built, "payment", 60);
    vd_policy_set_fallback (built, "payment", VD_SLA_FALLBACK_AUTO_REJECT);
    vd_policy_set_fallback (built, "chat", VD_SLA_FALLBACK_AUTO_APPROVE);
    vd_policy_set_sla_minutes (built, NULL, 240);
    vd_policy_set_fallback (built, NULL, VD_SLA_FALLBACK_ESCALATE);
    vd_policy_set_escalated_sla_minutes (built, 120);
    vd_policy_set_queue_limit (built, "payments", 500, VD_QUEUE_FULL_REFUSE);
    vd_policy_set_queue_limit (built, "chat", 20, VD_QUEUE_FULL_PAUSE_AGENT);
    vd_policy_set_queue_limit (built, "gone", 5, VD_QUEUE_FULL_REFUSE);
    vd_policy_set_queue_limit (built, "gone", 0, VD_QUEUE_FULL_REFUSE);
    text = vd_policy_to_data (built);
    g_assert_cmpstr (text, ==, full_policy);
  }

  /* Wire names. */
  {
    VdSlaFallback fallback;
    VdQueueFullAction action;

    g_assert_cmpstr (vd_sla_fallback_to_string (VD_SLA_FALLBACK_AUTO_APPROVE), ==,
                     "auto_approve");
    g_assert_true (vd_sla_fallback_from_string ("auto_reject", &fallback));
    g_assert_cmpint (fallback, ==, VD_SLA_FALLBACK_AUTO_REJECT);
    g_assert_false (vd_sla_fallback_from_string ("approve", &fallback));
    g_assert_cmpstr (vd_queue_full_action_to_string (VD_QUEUE_FULL_REFUSE), ==, "refuse");
    g_assert_true (vd_queue_full_action_from_string ("pause_agent", &action));
    g_assert_cmpint (action, ==, VD_QUEUE_FULL_PAUSE_AGENT);
    g_assert_false (vd_queue_full_action_from_string ("drop", &action));
  }
}

static void
test_policy_errors (void)
{
  static const struct { const char *json; const char *message; } cases[] = {
    { "{\"sla_minutes\": 0}",
      "policy.json: sla_minutes: expected a whole number of minutes from 1 to 5256000 (ten "
      "years), found 0" },
    { "{\"sla_minutes\": 1.5}",
      "policy.json: sla_minutes: expected a whole number of minutes from 1 to 5256000 (ten "
      "years), found 1.5" },
    { "{\"sla_minutes\": \"60\"}",
      "policy.json: sla_minutes: expected a whole number of minutes from 1 to 5256000 (ten "
      "years), found \"60\"" },
    { "{\"sla_minutes\": 5256001}",
      "policy.json: sla_minutes: expected a whole number of minutes from 1 to 5256000 (ten "
      "years), found 5256001" },
    { "{\"fallback\": \"approve\"}",
      "policy.json: fallback: expected one of escalate, auto_reject, auto_approve, found "
      "\"approve\"" },
    { "{\"fallback\": null}",
      "policy.json: fallback: expected one of escalate, auto_reject, auto_approve, found null" },
    { "{\"task_types\": {\"payment\": {\"sla_minutes\": -5}}}",
      "policy.json: task_types.payment.sla_minutes: expected a whole number of minutes from 1 "
      "to 5256000 (ten years), found -5" },
    { "{\"task_types\": {\"payment\": {\"fallback\": \"reject\"}}}",
      "policy.json: task_types.payment.fallback: expected one of escalate, auto_reject, "
      "auto_approve, found \"reject\"" },
    { "{\"escalated\": 120}",
      "policy.json: escalated: expected an object, found 120" },
    { "{\"escalated\": {\"fallback\": \"auto_reject\"}}",
      "policy.json: escalated: unknown field “fallback”" },
    { "{\"escalated\": {\"sla_minutes\": 0}}",
      "policy.json: escalated.sla_minutes: expected a whole number of minutes from 1 to "
      "5256000 (ten years), found 0" },
    { "{\"queues\": []}",
      "policy.json: queues: expected an object, found an array" },
    { "{\"queues\": {\"\": {\"max_pending\": 5}}}",
      "policy.json: queues: a queue name must not be empty" },
    { "{\"queues\": {\"payments\": 500}}",
      "policy.json: queues.payments: expected an object, found 500" },
    { "{\"queues\": {\"payments\": {\"on_full\": \"refuse\"}}}",
      "policy.json: queues.payments: missing field “max_pending”" },
    { "{\"queues\": {\"payments\": {\"max_pending\": 0}}}",
      "policy.json: queues.payments.max_pending: expected a whole number of items from 1 up, "
      "found 0" },
    { "{\"queues\": {\"payments\": {\"max_pending\": 2.5}}}",
      "policy.json: queues.payments.max_pending: expected a whole number of items from 1 up, "
      "found 2.5" },
    { "{\"queues\": {\"payments\": {\"max_pending\": 5, \"on_full\": \"drop\"}}}",
      "policy.json: queues.payments.on_full: expected one of pause_agent, refuse, found "
      "\"drop\"" },
    { "{\"queues\": {\"payments\": {\"max_pending\": 5, \"limit\": 5}}}",
      "policy.json: queues.payments: unknown field “limit”" },
    { "{\"sla\": 60}",
      "policy.json: unknown field “sla”" },
    /* The refused unsafe auto-approve: a type that always needs a human,
     * whichever field comes first. */
    { "{\"always_review_types\": [\"medical\"], "
      "\"task_types\": {\"medical\": {\"fallback\": \"auto_approve\"}}}",
      "policy.json: task_types.medical.fallback: “auto_approve” would approve items of "
      "“medical” without a human when their deadline passes, but always_review_types names "
      "“medical”: choose escalate or auto_reject, or take the type out of "
      "always_review_types" },
    { "{\"task_types\": {\"medical\": {\"fallback\": \"auto_approve\"}}, "
      "\"always_review_types\": [\"medical\"]}",
      "policy.json: task_types.medical.fallback: “auto_approve” would approve items of "
      "“medical” without a human when their deadline passes, but always_review_types names "
      "“medical”: choose escalate or auto_reject, or take the type out of "
      "always_review_types" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_policy_error (cases[i].json, cases[i].message);

  /* Other fallbacks for an always-reviewed type are fine. */
  g_object_unref (load_policy ("{\"always_review_types\": [\"medical\"], \"task_types\": "
                               "{\"medical\": {\"fallback\": \"auto_reject\"}}}"));
}

static void
assert_resolved (VdPolicy           *policy,
                 const char         *task_type,
                 VdEscalationReason  reason,
                 VdSlaFallback       fallback,
                 VdSlaFallback       configured,
                 const char         *rule,
                 gboolean            unsafe)
{
  VdFallbackRule resolved = { 0, };

  vd_policy_resolve_fallback (policy, task_type, reason, &resolved);
  g_assert_cmpint (resolved.fallback, ==, fallback);
  g_assert_cmpint (resolved.configured, ==, configured);
  g_assert_cmpstr (resolved.rule, ==, rule);
  g_assert_cmpint (resolved.unsafe, ==, unsafe);
}

static void
test_policy_unsafe (void)
{
  g_autoptr(VdPolicy) policy =
    load_policy ("{\"fallback\": \"auto_approve\", \"always_review_types\": [\"legal\"], "
                 "\"task_types\": {\"chat\": {\"fallback\": \"auto_approve\"}, "
                 "\"payment\": {\"fallback\": \"auto_reject\"}}}");
  g_autoptr(VdPolicy) plain = load_policy ("{\"fallback\": \"auto_reject\"}");
  g_auto(GStrv) warnings = NULL;
  g_auto(GStrv) notes = NULL;
  g_auto(GStrv) none = NULL;

  /* The global auto-approve: not for risky reasons or always-reviewed types. */
  assert_resolved (policy, "support", VD_ESCALATION_REASON_LOW_CONFIDENCE,
                   VD_SLA_FALLBACK_AUTO_APPROVE, VD_SLA_FALLBACK_AUTO_APPROVE, "fallback", FALSE);
  assert_resolved (policy, "support", VD_ESCALATION_REASON_HIGH_RISK_ACTION,
                   VD_SLA_FALLBACK_ESCALATE, VD_SLA_FALLBACK_AUTO_APPROVE, "fallback", TRUE);
  assert_resolved (policy, "support", VD_ESCALATION_REASON_SENSITIVE_CONTENT,
                   VD_SLA_FALLBACK_ESCALATE, VD_SLA_FALLBACK_AUTO_APPROVE, "fallback", TRUE);
  assert_resolved (policy, "legal", VD_ESCALATION_REASON_POLICY_REQUIRED,
                   VD_SLA_FALLBACK_ESCALATE, VD_SLA_FALLBACK_AUTO_APPROVE, "fallback", TRUE);
  assert_resolved (policy, NULL, VD_ESCALATION_REASON_AMBIGUOUS_INPUT,
                   VD_SLA_FALLBACK_AUTO_APPROVE, VD_SLA_FALLBACK_AUTO_APPROVE, "fallback", FALSE);

  /* A type that names auto_approve itself: a deliberate choice, applied. */
  assert_resolved (policy, "chat", VD_ESCALATION_REASON_HIGH_RISK_ACTION,
                   VD_SLA_FALLBACK_AUTO_APPROVE, VD_SLA_FALLBACK_AUTO_APPROVE,
                   "task_types.chat.fallback", FALSE);
  assert_resolved (policy, "chat", VD_ESCALATION_REASON_SENSITIVE_CONTENT,
                   VD_SLA_FALLBACK_AUTO_APPROVE, VD_SLA_FALLBACK_AUTO_APPROVE,
                   "task_types.chat.fallback", FALSE);

  /* Other fallbacks are never changed. */
  assert_resolved (policy, "payment", VD_ESCALATION_REASON_HIGH_RISK_ACTION,
                   VD_SLA_FALLBACK_AUTO_REJECT, VD_SLA_FALLBACK_AUTO_REJECT,
                   "task_types.payment.fallback", FALSE);
  assert_resolved (plain, "x", VD_ESCALATION_REASON_SENSITIVE_CONTENT,
                   VD_SLA_FALLBACK_AUTO_REJECT, VD_SLA_FALLBACK_AUTO_REJECT, "fallback", FALSE);

  /* What policy check says, in words. */
  warnings = vd_policy_dup_warnings (policy);
  g_assert_cmpuint (g_strv_length (warnings), ==, 1);
  g_assert_cmpstr (warnings[0], ==,
                   "the global fallback “auto_approve” approves undecided items without a "
                   "human when their deadline passes; items whose reason is high_risk_action "
                   "or sensitive_content, or whose task type is in always_review_types, are "
                   "escalated instead unless their task type names auto_approve itself");
  notes = vd_policy_dup_notes (policy);
  g_assert_cmpuint (g_strv_length (notes), ==, 1);
  g_assert_cmpstr (notes[0], ==,
                   "task type “chat” names the fallback “auto_approve” itself, a deliberate "
                   "choice: its undecided items are approved without a human when their "
                   "deadline passes, even those whose reason is high_risk_action or "
                   "sensitive_content");
  none = vd_policy_dup_warnings (plain);
  g_assert_cmpuint (g_strv_length (none), ==, 0);
}

/* Deadlines at import */

static void
test_due_at_import (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(VdPolicy) policy =
    load_policy ("{\"sla_minutes\": 240, \"task_types\": {\"payment\": {\"sla_minutes\": 30}}}");
  g_autoptr(GDateTime) before = vd_timestamp_now ();
  g_autoptr(GDateTime) after = NULL;
  g_autoptr(VdItem) t1 = NULL;
  g_autoptr(VdItem) t3 = NULL;
  g_autoptr(VdItem) t6 = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *last = NULL;
  g_autofree char *expected_last = NULL;
  g_autofree char *t2_due = NULL;
  g_autofree char *t6_due = NULL;
  GTimeSpan offset;

  import_text (fixture, policy,
               "{\"verdict_queue\": 1, \"queue\": \"q\"}\n"
               "{\"task_id\": \"t1\", \"task_type\": \"payment\", \"task_description\": \"a\", "
               "\"agent_output\": {\"content\": \"x\", \"confidence\": 0.5}}\n"
               "{\"task_id\": \"t2\", \"task_type\": \"payment\", \"task_description\": \"b\", "
               "\"agent_output\": {\"content\": \"x\", \"confidence\": 0.5}, "
               "\"due_at\": \"2026-03-01T10:00:00+01:00\"}\n"
               "{\"task_id\": \"t3\", \"task_type\": \"support\", \"task_description\": \"c\", "
               "\"agent_output\": {\"content\": \"x\", \"confidence\": 0.2}, "
               "\"escalation_reason\": \"user_requested\"}\n"
               "{\"task_id\": \"t4\", \"task_type\": \"support\", \"task_description\": \"d\", "
               "\"agent_output\": {\"content\": \"fine\", \"confidence\": 0.95}}\n");
  after = vd_timestamp_now ();

  /* Arrival + the type's SLA, or the global one; a queue file's own
   * deadline stands; an auto-approved item needs none. */
  t1 = get_item (fixture, "t1");
  offset = g_date_time_difference (vd_item_get_due_at (t1), before);
  g_assert_cmpint (offset, >=, 30 * G_TIME_SPAN_MINUTE);
  g_assert_cmpint (offset, <=, 30 * G_TIME_SPAN_MINUTE + g_date_time_difference (after, before));
  t2_due = due_of (fixture, "t2");
  g_assert_cmpstr (t2_due, ==, "2026-03-01T09:00:00.000000Z");
  t3 = get_item (fixture, "t3");
  g_assert_cmpint (g_date_time_difference (vd_item_get_due_at (t3), vd_item_get_due_at (t1)), ==,
                   210 * G_TIME_SPAN_MINUTE);
  g_assert_null (due_of (fixture, "t4"));
  g_assert_cmpint (status_of (fixture, "t4"), ==, VD_TASK_STATUS_APPROVED);

  /* The import's policy is remembered, for `sla apply` without one. */
  g_assert_true (vd_store_get_last_policy (fixture->store, &last, &error));
  g_assert_no_error (error);
  expected_last = vd_policy_to_data (policy);
  g_assert_cmpstr (last, ==, expected_last);

  /* A later revision gets a fresh deadline from its own arrival. */
  import_text (fixture, policy,
               "{\"verdict_queue\": 1, \"queue\": \"q\"}\n"
               "{\"task_id\": \"t6\", \"task_type\": \"payment\", \"task_description\": \"a\", "
               "\"agent_output\": {\"content\": \"x\", \"confidence\": 0.5}, "
               "\"due_at\": \"2026-03-01T10:00:00Z\", \"revision\": 0}\n");
  t6_due = due_of (fixture, "t6");
  g_assert_cmpstr (t6_due, ==, "2026-03-01T10:00:00.000000Z");
  import_text (fixture, policy,
               "{\"verdict_queue\": 1, \"queue\": \"q\"}\n"
               "{\"task_id\": \"t6\", \"task_type\": \"payment\", \"task_description\": \"a\", "
               "\"agent_output\": {\"content\": \"y\", \"confidence\": 0.5}, \"revision\": 1}\n");
  t6 = get_item (fixture, "t6");
  g_assert_cmpint (g_date_time_difference (vd_item_get_due_at (t6), after), >=,
                   30 * G_TIME_SPAN_MINUTE);

  /* vd_policy_assign_due_at() itself. */
  {
    g_autoptr(VdItem) item = vd_item_new ("q", "x");
    g_autoptr(GDateTime) arrival = at ("2026-03-01T10:00:00Z");
    g_autoptr(VdPolicy) none = vd_policy_new ();
    g_autofree char *due = NULL;

    vd_item_set_task_type (item, "payment");
    g_assert_false (vd_policy_assign_due_at (none, item, arrival));
    g_assert_null (vd_item_get_due_at (item));
    g_assert_true (vd_policy_assign_due_at (policy, item, arrival));
    due = vd_timestamp_format (vd_item_get_due_at (item));
    g_assert_cmpstr (due, ==, "2026-03-01T10:30:00.000000Z");
    g_assert_false (vd_policy_assign_due_at (policy, item, after));
  }
}

/* Fallbacks */

static void
test_fallback_escalate (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(VdPolicy) policy = load_policy ("{\"escalated\": {\"sla_minutes\": 90}}");
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(VdSlaRecord) record = { 0, };
  g_autofree char *new_due = NULL;
  g_autoptr(VdItem) t1 = NULL;
  VdSlaResult result;
  gint64 head;

  import_text (fixture, policy, timed_queue);

  /* Before the first deadline nothing happens. */
  result = apply_at (fixture, policy, "2026-03-01T09:59:59Z");
  g_assert_cmpuint (result.applied, ==, 0);
  g_assert_cmpint (status_of (fixture, "t1"), ==, VD_TASK_STATUS_PENDING);

  /* At it, the default fallback escalates, reason kept, new deadline. */
  result = apply_at (fixture, policy, "2026-03-01T10:00:00Z");
  g_assert_cmpuint (result.applied, ==, 1);
  g_assert_cmpuint (result.escalated, ==, 1);
  g_assert_cmpuint (result.unsafe, ==, 0);
  t1 = get_item (fixture, "t1");
  g_assert_cmpint (vd_item_get_status (t1), ==, VD_TASK_STATUS_ESCALATED);
  g_assert_cmpint (vd_item_get_escalation_reason (t1), ==, VD_ESCALATION_REASON_LOW_CONFIDENCE);
  new_due = due_of (fixture, "t1");
  g_assert_cmpstr (new_due, ==, "2026-03-01T11:30:00.000000Z");

  events = events_of (fixture, VD_AUDIT_SLA_FALLBACK);
  g_assert_cmpuint (events->len, ==, 1);
  g_assert_cmpstr (vd_audit_event_get_actor (events->pdata[0]), ==, "sla");
  g_assert_cmpstr (vd_audit_event_get_queue (events->pdata[0]), ==, "q");
  g_assert_cmpstr (vd_audit_event_get_task_id (events->pdata[0]), ==, "t1");
  g_assert_cmpstr (vd_audit_event_get_payload_json (events->pdata[0]), ==,
                   "{\"fallback\":\"escalate\",\"configured\":\"escalate\",\"rule\":\"default\","
                   "\"deadline\":\"2026-03-01T10:00:00.000000Z\","
                   "\"applied_at\":\"2026-03-01T10:00:00.000000Z\",\"revision\":0,"
                   "\"status\":\"escalated\",\"content_sha256\":"
                   "\"7d313b674b0a2e926b5c01463f55a00595903dd34953ffd325db2a823d2de76f\","
                   "\"new_due_at\":\"2026-03-01T11:30:00.000000Z\"}");

  g_assert_true (vd_store_get_sla_record (fixture->store, vd_item_get_id (t1), &record, &error));
  g_assert_no_error (error);
  g_assert_true (record.applied);
  g_assert_cmpint (record.fallback, ==, VD_SLA_FALLBACK_ESCALATE);
  g_assert_cmpint (record.configured, ==, VD_SLA_FALLBACK_ESCALATE);
  g_assert_cmpstr (record.rule, ==, "default");
  {
    g_autofree char *deadline = vd_timestamp_format (record.deadline);
    g_autofree char *applied_at = vd_timestamp_format (record.applied_at);

    g_assert_cmpstr (deadline, ==, "2026-03-01T10:00:00.000000Z");
    g_assert_cmpstr (applied_at, ==, "2026-03-01T10:00:00.000000Z");
  }

  /* Once: again at the same time, or past the new deadline, nothing. */
  head = audit_head (fixture);
  result = apply_at (fixture, policy, "2026-03-01T10:00:00Z");
  g_assert_cmpuint (result.applied, ==, 0);
  result = apply_at (fixture, policy, "2026-03-01T10:59:59Z");
  g_assert_cmpuint (result.applied, ==, 0);
  g_assert_cmpint (audit_head (fixture), ==, head);

  /* An escalated item is still a reviewer's to decide. */
  g_assert_true (try_decide (fixture, "t1", VD_DECISION_KIND_APPROVE, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (status_of (fixture, "t1"), ==, VD_TASK_STATUS_APPROVED);

  /* Later deadlines follow, each once; the item without one never. */
  result = apply_at (fixture, policy, "2030-01-01T00:00:00Z");
  g_assert_cmpuint (result.applied, ==, 3);
  g_assert_cmpuint (result.escalated, ==, 3);
  g_assert_cmpint (status_of (fixture, "t5"), ==, VD_TASK_STATUS_PENDING);
  result = apply_at (fixture, policy, "2030-01-01T00:00:00Z");
  g_assert_cmpuint (result.applied, ==, 0);

  /* An item without a fallback has no record. */
  {
    g_auto(VdSlaRecord) none = { 0, };
    g_autoptr(VdItem) t5 = get_item (fixture, "t5");

    g_assert_true (vd_store_get_sla_record (fixture->store, vd_item_get_id (t5), &none, &error));
    g_assert_false (none.applied);
    g_assert_null (none.rule);
    g_assert_false (vd_store_get_sla_record (fixture->store, 999, &none, &error));
    g_assert_error (error, VD_STORE_ERROR, VD_STORE_ERROR_NOT_FOUND);
  }

  assert_verifies (fixture);
}

static void
test_fallback_auto_reject (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(VdPolicy) policy = load_policy ("{\"fallback\": \"auto_reject\"}");
  g_autoptr(GPtrArray) decisions = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;
  VdDecision *decision;
  VdSlaResult result;
  VdStats stats;

  import_text (fixture, policy, timed_queue);

  result = apply_at (fixture, policy, "2026-03-01T10:30:00Z");
  g_assert_cmpuint (result.applied, ==, 1);
  g_assert_cmpuint (result.auto_rejected, ==, 1);
  g_assert_cmpint (status_of (fixture, "t1"), ==, VD_TASK_STATUS_REJECTED);

  /* Recorded like a reviewer's reject, by "sla", automatically. */
  decisions = vd_store_list_decisions (fixture->store, "q", "t1", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (decisions->len, ==, 1);
  decision = decisions->pdata[0];
  g_assert_cmpint (vd_decision_get_kind (decision), ==, VD_DECISION_KIND_REJECT);
  g_assert_cmpstr (vd_decision_get_reviewer_id (decision), ==, "sla");
  g_assert_true (vd_decision_get_automatic (decision));
  g_assert_cmpstr (vd_decision_get_feedback (decision), ==, "deadline passed");
  g_assert_cmpstr (vd_decision_get_final_output (decision), ==, "");
  {
    g_autofree char *when = vd_timestamp_format (vd_decision_get_timestamp (decision));

    g_assert_cmpstr (when, ==, "2026-03-01T10:30:00.000000Z");
  }

  events = events_of (fixture, VD_AUDIT_SLA_FALLBACK);
  g_assert_cmpuint (events->len, ==, 1);
  g_assert_cmpint (vd_decision_get_audit_seq (decision), ==,
                   vd_audit_event_get_seq (events->pdata[0]));
  g_assert_cmpstr (vd_audit_event_get_payload_json (events->pdata[0]), ==,
                   "{\"fallback\":\"auto_reject\",\"configured\":\"auto_reject\","
                   "\"rule\":\"fallback\",\"deadline\":\"2026-03-01T10:00:00.000000Z\","
                   "\"applied_at\":\"2026-03-01T10:30:00.000000Z\",\"revision\":0,"
                   "\"status\":\"rejected\",\"content_sha256\":"
                   "\"7d313b674b0a2e926b5c01463f55a00595903dd34953ffd325db2a823d2de76f\","
                   "\"feedback\":\"deadline passed\"}");

  /* A reviewer's decision afterwards is refused, naming the fallback. */
  g_assert_false (try_decide (fixture, "t1", VD_DECISION_KIND_APPROVE, NULL, &error));
  g_assert_error (error, VD_STORE_ERROR, VD_STORE_ERROR_ALREADY_DECIDED);
  g_assert_cmpstr (error->message, ==,
                   "Item t1 in queue q: the deadline fallback “auto_reject” was applied at "
                   "2026-03-01T10:30:00.000000Z (the deadline was 2026-03-01T10:00:00.000000Z): "
                   "the item was rejected with the feedback “deadline passed” and awaits the "
                   "agent's revision, so a reviewer's decision on revision 0 is refused");
  g_clear_error (&error);

  /* ...and it cannot be retracted. */
  g_assert_false (vd_store_retract_decision (fixture->store, vd_decision_get_id (decision),
                                             "sla", NULL, &error));
  g_assert_error (error, VD_STORE_ERROR, VD_STORE_ERROR_INVALID);
  {
    g_autofree char *message =
      g_strdup_printf ("Decision %" G_GINT64_FORMAT " on item t1 in queue q was made by the "
                       "deadline fallback: only a reviewer's decision can be retracted",
                       vd_decision_get_id (decision));

    g_assert_cmpstr (error->message, ==, message);
  }
  g_clear_error (&error);

  /* A fallback is not the policy's auto-approval in the statistics. */
  g_assert_true (vd_store_get_stats (fixture->store, NULL, &stats, &error));
  g_assert_cmpuint (stats.auto_approved, ==, 0);
  g_assert_cmpuint (stats.escalated, ==, 5);
  g_assert_cmpuint (stats.human_rejected, ==, 0);

  /* The agent's next revision is a new request: a reviewer may decide it,
   * and its own deadline gets its own fallback. */
  import_text (fixture, policy,
               "{\"verdict_queue\": 1, \"queue\": \"q\"}\n"
               "{\"task_id\": \"t1\", \"task_type\": \"payment\", \"task_description\": \"Refund\", "
               "\"agent_output\": {\"content\": \"Refund $40 to the card.\", \"confidence\": 0.5}, "
               "\"due_at\": \"2026-03-02T10:00:00Z\", \"revision\": 1}\n");
  g_assert_cmpint (status_of (fixture, "t1"), ==, VD_TASK_STATUS_PENDING);
  result = apply_at (fixture, policy, "2026-03-01T10:30:00Z");
  g_assert_cmpuint (result.applied, ==, 0);
  result = apply_at (fixture, policy, "2026-03-02T10:00:00Z");
  g_assert_cmpuint (result.auto_rejected, ==, 4);
  g_assert_cmpint (status_of (fixture, "t1"), ==, VD_TASK_STATUS_REJECTED);

  assert_verifies (fixture);
}

static void
test_fallback_auto_approve (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(VdPolicy) policy =
    load_policy ("{\"fallback\": \"auto_approve\", \"escalated\": {\"sla_minutes\": 60}, "
                 "\"task_types\": {\"support\": {\"fallback\": \"auto_approve\"}}}");
  g_autoptr(GPtrArray) decisions = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *t2_due = NULL;
  VdSlaResult result;

  import_text (fixture, policy, timed_queue);

  /* t1 low_confidence: approved. t2 high_risk_action under the global
   * fallback: escalated instead. t3, t4 support names auto_approve itself:
   * approved, even t4's sensitive content. */
  result = apply_at (fixture, policy, "2026-03-01T13:00:00Z");
  g_assert_cmpuint (result.applied, ==, 4);
  g_assert_cmpuint (result.auto_approved, ==, 3);
  g_assert_cmpuint (result.escalated, ==, 1);
  g_assert_cmpuint (result.unsafe, ==, 1);
  g_assert_cmpint (status_of (fixture, "t1"), ==, VD_TASK_STATUS_APPROVED);
  g_assert_cmpint (status_of (fixture, "t2"), ==, VD_TASK_STATUS_ESCALATED);
  g_assert_cmpint (status_of (fixture, "t3"), ==, VD_TASK_STATUS_APPROVED);
  g_assert_cmpint (status_of (fixture, "t4"), ==, VD_TASK_STATUS_APPROVED);
  t2_due = due_of (fixture, "t2");
  g_assert_cmpstr (t2_due, ==, "2026-03-01T14:00:00.000000Z");

  decisions = vd_store_list_decisions (fixture->store, "q", "t1", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (decisions->len, ==, 1);
  g_assert_cmpint (vd_decision_get_kind (decisions->pdata[0]), ==, VD_DECISION_KIND_APPROVE);
  g_assert_cmpstr (vd_decision_get_reviewer_id (decisions->pdata[0]), ==, "sla");
  g_assert_true (vd_decision_get_automatic (decisions->pdata[0]));
  g_assert_cmpstr (vd_decision_get_final_output (decisions->pdata[0]), ==, "Refund $40.");

  events = events_of (fixture, VD_AUDIT_SLA_FALLBACK);
  g_assert_cmpuint (events->len, ==, 4);
  g_assert_cmpstr (vd_audit_event_get_task_id (events->pdata[1]), ==, "t2");
  g_assert_cmpstr (vd_audit_event_get_payload_json (events->pdata[1]), ==,
                   "{\"fallback\":\"escalate\",\"configured\":\"auto_approve\","
                   "\"rule\":\"fallback\",\"deadline\":\"2026-03-01T11:00:00.000000Z\","
                   "\"applied_at\":\"2026-03-01T13:00:00.000000Z\",\"revision\":0,"
                   "\"status\":\"escalated\",\"content_sha256\":"
                   "\"e9ceb300d68b5343fd7efd593e0d42c9988656f35c9c0821d5fdbdb18257f161\","
                   "\"note\":\"auto_approve does not apply to an item whose reason is "
                   "high_risk_action unless its task type names auto_approve itself\","
                   "\"new_due_at\":\"2026-03-01T14:00:00.000000Z\"}");
  {
    g_autoptr(JsonObject) t4 = vd_audit_event_dup_payload (events->pdata[3]);

    g_assert_cmpstr (json_object_get_string_member (t4, "fallback"), ==, "auto_approve");
    g_assert_cmpstr (json_object_get_string_member (t4, "rule"), ==,
                     "task_types.support.fallback");
    g_assert_cmpstr (json_object_get_string_member (t4, "final_output"), ==,
                     "Delete the account.");
  }

  g_assert_false (try_decide (fixture, "t1", VD_DECISION_KIND_REJECT, "wrong", &error));
  g_assert_error (error, VD_STORE_ERROR, VD_STORE_ERROR_ALREADY_DECIDED);
  g_assert_cmpstr (error->message, ==,
                   "Item t1 in queue q: the deadline fallback “auto_approve” was applied at "
                   "2026-03-01T13:00:00.000000Z (the deadline was 2026-03-01T10:00:00.000000Z): "
                   "the item was approved without a reviewer, so a reviewer's decision on "
                   "revision 0 is refused");
  g_clear_error (&error);

  /* The escalated one stays decidable. */
  g_assert_true (try_decide (fixture, "t2", VD_DECISION_KIND_REJECT, "too much", &error));
  g_assert_no_error (error);

  assert_verifies (fixture);
}

static void
test_fallback_batches (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(VdPolicy) policy = load_policy ("{\"fallback\": \"auto_reject\"}");
  g_autoptr(GString) text = g_string_new ("{\"verdict_queue\": 1, \"queue\": \"q\"}\n");
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GDateTime) due = NULL;
  g_autoptr(GError) error = NULL;
  guint n = VD_SLA_BATCH * 2 + 7;
  VdSlaResult result;
  guint64 count = 0;

  for (guint i = 0; i < n; i++)
    g_string_append_printf (text,
                            "{\"task_id\": \"t%04u\", \"task_description\": \"d\", "
                            "\"agent_output\": {\"content\": \"c%u\", \"confidence\": 0.1}, "
                            "\"due_at\": \"2026-03-01T10:%02u:00Z\"}\n",
                            i, i, i % 60);
  import_text (fixture, policy, text->str);

  g_autoptr(GDateTime) when = at ("2026-03-01T10:29:00Z");
  g_assert_true (vd_store_count_due (fixture->store, NULL, when, &count, &error));
  g_assert_cmpuint (count, ==, 30 * (n / 60) + MIN (n % 60, 30));
  g_assert_true (vd_store_count_due (fixture->store, "q", when, &count, &error));
  g_assert_cmpuint (count, ==, 30 * (n / 60) + MIN (n % 60, 30));
  g_assert_true (vd_store_count_due (fixture->store, "other", when, &count, &error));
  g_assert_cmpuint (count, ==, 0);

  result = apply_at (fixture, policy, "2026-03-01T11:00:00Z");
  g_assert_cmpuint (result.applied, ==, n);
  g_assert_cmpuint (result.auto_rejected, ==, n);
  events = events_of (fixture, VD_AUDIT_SLA_FALLBACK);
  g_assert_cmpuint (events->len, ==, n);

  /* Soonest deadline first. */
  g_assert_cmpstr (vd_audit_event_get_task_id (events->pdata[0]), ==, "t0000");
  g_assert_cmpstr (vd_audit_event_get_task_id (events->pdata[1]), ==, "t0060");

  g_assert_true (vd_sla_next_deadline (fixture->store, &due, &error));
  g_assert_no_error (error);
  g_assert_null (due);
  assert_verifies (fixture);
}

static void
test_next_deadline (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(VdPolicy) policy = vd_policy_new ();
  g_autoptr(GDateTime) due = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  g_assert_true (vd_sla_next_deadline (fixture->store, &due, &error));
  g_assert_no_error (error);
  g_assert_null (due);

  import_text (fixture, policy, timed_queue);
  g_assert_true (vd_sla_next_deadline (fixture->store, &due, &error));
  text = vd_timestamp_format (due);
  g_assert_cmpstr (text, ==, "2026-03-01T10:00:00.000000Z");
  g_clear_pointer (&due, g_date_time_unref);
  g_clear_pointer (&text, g_free);

  /* A decided item no longer counts... */
  g_assert_true (try_decide (fixture, "t1", VD_DECISION_KIND_APPROVE, NULL, &error));
  g_assert_true (vd_sla_next_deadline (fixture->store, &due, &error));
  text = vd_timestamp_format (due);
  g_assert_cmpstr (text, ==, "2026-03-01T11:00:00.000000Z");
  g_clear_pointer (&due, g_date_time_unref);
  g_clear_pointer (&text, g_free);

  /* ...nor one whose fallback was applied, even with a new deadline. */
  vd_policy_set_escalated_sla_minutes (policy, 5);
  apply_at (fixture, policy, "2026-03-01T11:00:00Z");
  g_assert_true (vd_sla_next_deadline (fixture->store, &due, &error));
  text = vd_timestamp_format (due);
  g_assert_cmpstr (text, ==, "2026-03-01T12:00:00.000000Z");
}

static void
on_next_deadline (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static void
on_applied_async (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return g_steal_pointer (slot);
}

static void
test_async (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(VdPolicy) policy = vd_policy_new ();
  g_autoptr(GDateTime) now = at ("2026-03-01T11:30:00Z");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GDateTime) due = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  GAsyncResult *slot = NULL;
  VdSlaResult sla_result = { 0, };

  vd_sla_next_deadline_async (fixture->store, NULL, on_next_deadline, &slot);
  result = wait_for (&slot);
  g_assert_true (vd_sla_next_deadline_finish (fixture->store, result, &due, &error));
  g_assert_no_error (error);
  g_assert_null (due);
  g_clear_object (&result);

  import_text (fixture, policy, timed_queue);
  vd_sla_apply_async (fixture->store, policy, now, NULL, on_applied_async, &slot);
  result = wait_for (&slot);
  g_assert_true (vd_sla_apply_finish (fixture->store, result, &sla_result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (sla_result.applied, ==, 2);
  g_clear_object (&result);

  vd_sla_next_deadline_async (fixture->store, NULL, on_next_deadline, &slot);
  result = wait_for (&slot);
  g_assert_true (vd_sla_next_deadline_finish (fixture->store, result, &due, &error));
  text = vd_timestamp_format (due);
  g_assert_cmpstr (text, ==, "2026-03-01T12:00:00.000000Z");
}

static void
test_load_policy (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(VdPolicy) policy = load_policy (full_policy);
  g_autoptr(VdPolicy) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *default_text = NULL;
  g_autoptr(VdPolicy) defaults = vd_policy_new ();
  char *none = (char *) "unset";

  /* Nothing imported: the default policy. */
  g_assert_true (vd_store_get_last_policy (fixture->store, &none, &error));
  g_assert_null (none);
  loaded = vd_sla_load_policy (fixture->store, &error);
  g_assert_no_error (error);
  text = vd_policy_to_data (loaded);
  default_text = vd_policy_to_data (defaults);
  g_assert_cmpstr (text, ==, default_text);
  g_clear_object (&loaded);
  g_clear_pointer (&text, g_free);

  import_text (fixture, policy, timed_queue);
  loaded = vd_sla_load_policy (fixture->store, &error);
  g_assert_no_error (error);
  text = vd_policy_to_data (loaded);
  g_assert_cmpstr (text, ==, full_policy);
  g_clear_object (&loaded);

  /* A broken stored policy is reported, not replaced by the default. */
  g_assert_true (vd_store_set_last_policy (fixture->store, "{\"fallback\": 1}", &error));
  loaded = vd_sla_load_policy (fixture->store, &error);
  g_assert_null (loaded);
  g_assert_error (error, VD_POLICY_ERROR, VD_POLICY_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==,
                   "the policy of the last import: fallback: expected one of escalate, "
                   "auto_reject, auto_approve, found 1");
}

static void
test_describe (void)
{
  VdSlaResult none = { 0, };
  VdSlaResult some = { 4, 2, 1, 1, 1 };
  g_autofree char *a = vd_sla_describe_result (&none);
  g_autofree char *b = vd_sla_describe_result (&some);

  g_assert_cmpstr (a, ==, "No deadline has passed: nothing to apply");
  g_assert_cmpstr (b, ==, "4 deadline fallbacks applied: 2 escalated (1 instead of an unsafe "
                          "auto-approve), 1 auto-rejected, 1 auto-approved");
}

/* The deadline timer */

typedef struct
{
  guint        n_applied;
  VdSlaResult  last;
} TimerWatch;

static void
on_timer_applied (VdSlaTimer        *timer,
                  const VdSlaResult *result,
                  TimerWatch        *watch)
{
  watch->n_applied++;
  watch->last = *result;
}

/* Runs the main loop until the timer has made @n checks; fails after
 * @max_ms, so that a check that never comes names itself. */
static void
wait_checks (VdSlaTimer *timer,
             guint       n,
             guint       max_ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) max_ms * 1000;

  while (vd_sla_timer_get_n_checks (timer) < n && g_get_monotonic_time () < end)
    {
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
  g_assert_cmpuint (vd_sla_timer_get_n_checks (timer), ==, n);
}

static void
test_timer (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(VdPolicy) policy = vd_policy_new ();
  g_autoptr(VdSlaTimer) timer = NULL;
  g_autoptr(GDateTime) now = vd_timestamp_now ();
  /* Far enough ahead that the import, on a loaded machine, ends well
   * before it. */
  g_autoptr(GDateTime) soon = g_date_time_add_seconds (now, 2.5);
  g_autoptr(GDateTime) later = g_date_time_add_hours (now, 5);
  g_autofree char *soon_text = vd_timestamp_format (soon);
  g_autofree char *later_text = vd_timestamp_format (later);
  g_autofree char *text = NULL;
  TimerWatch watch = { 0, };
  gint64 started;

  text = g_strdup_printf ("{\"verdict_queue\": 1, \"queue\": \"q\"}\n"
                          "{\"task_id\": \"t1\", \"task_description\": \"d\", \"agent_output\": "
                          "{\"content\": \"c\", \"confidence\": 0.1}, \"due_at\": \"%s\"}\n"
                          "{\"task_id\": \"t2\", \"task_description\": \"d\", \"agent_output\": "
                          "{\"content\": \"c\", \"confidence\": 0.1}, \"due_at\": \"%s\"}\n",
                          soon_text, later_text);
  import_text (fixture, policy, text);

  timer = vd_sla_timer_new (fixture->store, policy);
  vd_sla_timer_set_min_interval_ms (timer, 50);
  g_signal_connect (timer, "applied", G_CALLBACK (on_timer_applied), &watch);
  g_assert_false (vd_sla_timer_get_running (timer));

  /* The first check finds nothing due and sleeps until t1's deadline. */
  started = g_get_monotonic_time ();
  vd_sla_timer_start (timer);
  g_assert_true (vd_sla_timer_get_running (timer));
  while (vd_sla_timer_get_next_deadline (timer) == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (g_date_time_equal (vd_sla_timer_get_next_deadline (timer), soon));
  g_assert_cmpuint (vd_sla_timer_get_n_checks (timer), ==, 1);

  while (watch.n_applied == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (g_get_monotonic_time () - started, >=, 500 * 1000);
  g_assert_cmpuint (watch.last.applied, ==, 1);
  g_assert_cmpuint (watch.last.escalated, ==, 1);
  g_assert_cmpint (status_of (fixture, "t1"), ==, VD_TASK_STATUS_ESCALATED);

  /* Then it sleeps until t2's deadline, hours away: idle, no more checks. */
  while (vd_sla_timer_get_next_deadline (timer) == NULL ||
         !g_date_time_equal (vd_sla_timer_get_next_deadline (timer), later))
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (vd_sla_timer_get_n_checks (timer), ==, 2);
  vd_test_iterate_for (300);
  g_assert_cmpuint (vd_sla_timer_get_n_checks (timer), ==, 2);

  /* A reschedule (after an import) checks again once. */
  vd_sla_timer_reschedule (timer);
  wait_checks (timer, 3, 10000);
  vd_test_iterate_for (300);
  g_assert_cmpuint (vd_sla_timer_get_n_checks (timer), ==, 3);
  g_assert_cmpuint (watch.n_applied, ==, 1);

  vd_sla_timer_stop (timer);
  g_assert_false (vd_sla_timer_get_running (timer));
  vd_sla_timer_reschedule (timer);
  vd_test_iterate_for (100);
  g_assert_cmpuint (vd_sla_timer_get_n_checks (timer), ==, 3);
  vd_test_assert_finalized (g_steal_pointer (&timer));
}

/* Backpressure */

static void
import_pending (Fixture    *fixture,
                const char *queue,
                guint       n)
{
  g_autoptr(VdPolicy) policy = vd_policy_new ();
  g_autoptr(GString) text = g_string_new (NULL);

  g_string_append_printf (text, "{\"verdict_queue\": 1, \"queue\": \"%s\"}\n", queue);
  for (guint i = 0; i < n; i++)
    g_string_append_printf (text, "{\"task_id\": \"%s%u\", \"task_description\": \"d\", "
                            "\"agent_output\": {\"content\": \"c\", \"confidence\": 0.1}}\n",
                            queue, i);
  import_text (fixture, policy, text->str);
}

static void
test_backpressure_check (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(VdPolicy) policy =
    load_policy ("{\"queues\": {\"payments\": {\"max_pending\": 3, \"on_full\": \"refuse\"}, "
                 "\"chat\": {\"max_pending\": 1, \"on_full\": \"pause_agent\"}}}");
  g_autoptr(GError) error = NULL;
  guint64 pending = 99;
  guint limit = 99;

  /* No limit: not even counted. */
  g_assert_cmpint (vd_backpressure_check (fixture->store, policy, "other", 0, &pending, &limit,
                                          &error), ==, VD_BACKPRESSURE_OK);
  g_assert_no_error (error);
  g_assert_cmpuint (pending, ==, 0);
  g_assert_cmpuint (limit, ==, 0);

  import_pending (fixture, "payments", 2);
  g_assert_cmpint (vd_backpressure_check (fixture->store, policy, "payments", 0, &pending, &limit,
                                          &error), ==, VD_BACKPRESSURE_OK);
  g_assert_cmpuint (pending, ==, 2);
  g_assert_cmpuint (limit, ==, 3);

  /* Inputs on their way count too. */
  g_assert_cmpint (vd_backpressure_check (fixture->store, policy, "payments", 1, &pending, &limit,
                                          &error), ==, VD_BACKPRESSURE_REFUSE);
  g_assert_error (error, VD_BACKPRESSURE_ERROR, VD_BACKPRESSURE_ERROR_QUEUE_FULL);
  g_assert_cmpuint (pending, ==, 3);
  g_clear_error (&error);

  import_pending (fixture, "payments", 3);
  g_assert_cmpint (vd_backpressure_check (fixture->store, policy, "payments", 0, &pending, &limit,
                                          &error), ==, VD_BACKPRESSURE_REFUSE);
  g_assert_error (error, VD_BACKPRESSURE_ERROR, VD_BACKPRESSURE_ERROR_QUEUE_FULL);
  g_assert_cmpstr (error->message, ==,
                   "queue “payments” is full: 3 pending items, the limit is 3; new inputs are "
                   "refused");
  g_assert_cmpuint (pending, ==, 3);
  g_clear_error (&error);

  /* A decided item frees a place. */
  {
    g_autoptr(VdDecision) decision = vd_decision_new ("payments", "payments0",
                                                      VD_DECISION_KIND_APPROVE, "alice");

    g_assert_true (vd_store_record_decision (fixture->store, decision, &error));
    g_assert_no_error (error);
  }
  g_assert_cmpint (vd_backpressure_check (fixture->store, policy, "payments", 0, &pending, NULL,
                                          &error), ==, VD_BACKPRESSURE_OK);
  g_assert_cmpuint (pending, ==, 2);

  import_pending (fixture, "chat", 1);
  g_assert_cmpint (vd_backpressure_check (fixture->store, policy, "chat", 0, &pending, &limit,
                                          &error), ==, VD_BACKPRESSURE_PAUSE);
  g_assert_no_error (error);
  g_assert_cmpuint (pending, ==, 1);
  g_assert_cmpuint (limit, ==, 1);

  {
    g_autofree char *text = vd_backpressure_describe_pause ("payments", 500, 500);

    g_assert_cmpstr (text, ==, "queue payments is full (500 pending, limit 500): waiting for "
                               "reviewers…");
  }
}

static gboolean
decide_chat0 (gpointer user_data)
{
  VdStore *store = user_data;
  g_autoptr(VdDecision) decision = vd_decision_new ("chat", "chat0", VD_DECISION_KIND_APPROVE,
                                                    "alice");
  g_autoptr(GError) error = NULL;

  g_assert_true (vd_store_record_decision (store, decision, &error));
  g_assert_no_error (error);
  return G_SOURCE_REMOVE;
}

static void
on_waited (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static void
test_backpressure_wait (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(VdPolicy) policy = load_policy ("{\"queues\": {\"chat\": {\"max_pending\": 1}}}");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *slot = NULL;
  gint64 started;

  /* Below the limit: done at once. */
  vd_backpressure_wait_async (fixture->store, policy, "chat", 20, NULL, on_waited, &slot);
  result = wait_for (&slot);
  g_assert_true (vd_backpressure_wait_finish (fixture->store, result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  /* Full: waits until a reviewer decides, polling. */
  import_pending (fixture, "chat", 1);
  started = g_get_monotonic_time ();
  g_timeout_add (200, decide_chat0, fixture->store);
  vd_backpressure_wait_async (fixture->store, policy, "chat", 20, NULL, on_waited, &slot);
  result = wait_for (&slot);
  g_assert_true (vd_backpressure_wait_finish (fixture->store, result, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_get_monotonic_time () - started, >=, 200 * 1000);
  g_clear_object (&result);

  /* Cancelled while full. */
  import_pending (fixture, "chat", 2);
  vd_backpressure_wait_async (fixture->store, policy, "chat", 20, cancellable, on_waited, &slot);
  vd_test_iterate_for (60);
  g_assert_null (slot);
  g_cancellable_cancel (cancellable);
  result = wait_for (&slot);
  g_assert_false (vd_backpressure_wait_finish (fixture->store, result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* Where a deadline stands: the rule the rows and the deadline monitor share */

static void
test_due_state (void)
{
  g_autoptr(GDateTime) arrival = g_date_time_new_utc (2026, 11, 20, 7, 0, 0);
  g_autoptr(GDateTime) due = g_date_time_add_minutes (arrival, 100);
  g_autoptr(GDateTime) at_89 = g_date_time_add_minutes (arrival, 89);
  g_autoptr(GDateTime) at_91 = g_date_time_add_minutes (arrival, 91);
  g_autoptr(GDateTime) at_100 = g_date_time_add_minutes (arrival, 100);

  /* 10% of a 100-minute SLA: the last 10 minutes. */
  g_assert_cmpint (vd_sla_classify_due (arrival, due, at_89), ==, VD_DUE_STATE_OK);
  g_assert_cmpint (vd_sla_classify_due (arrival, due, at_91), ==, VD_DUE_STATE_SOON);
  g_assert_cmpint (vd_sla_classify_due (arrival, due, at_100), ==, VD_DUE_STATE_OVERDUE);
  g_assert_cmpint (vd_sla_classify_due (arrival, NULL, at_91), ==, VD_DUE_STATE_NONE);
  g_assert_cmpint (vd_sla_classify_due (NULL, due, at_91), ==, VD_DUE_STATE_OK);
}

/* Where the review window starts: the policy's SLA when it gives one (the
 * escalated SLA for an escalated item), else the item's own timestamp. */
static void
test_deadline_start (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VdPolicy) policy = vd_policy_new_from_data ("{\"sla_minutes\": 480, "
                                                        "\"escalated\": {\"sla_minutes\": 240}, "
                                                        "\"task_types\": {\"payment\": "
                                                        "{\"sla_minutes\": 120}}}",
                                                        -1, "policy.json", &error);
  g_autoptr(VdPolicy) no_sla = vd_policy_new ();
  g_autoptr(VdItem) item = vd_item_new ("q", "t1");
  g_autoptr(GDateTime) made = g_date_time_new_utc (2026, 11, 18, 9, 0, 0);
  g_autoptr(GDateTime) due = g_date_time_new_utc (2026, 11, 20, 12, 0, 0);
  g_autoptr(GDateTime) at_1h_left = g_date_time_new_utc (2026, 11, 20, 11, 0, 0);
  GDateTime *start;

  g_assert_no_error (error);
  vd_item_set_timestamp (item, made);
  vd_item_set_due_at (item, due);
  vd_item_set_task_type (item, "payment");

  /* The type's SLA: 2 h before the deadline; 1 h left is 50%, no warning,
   * though the item was made two days earlier. */
  start = vd_sla_get_deadline_start (item, policy);
  g_assert_cmpint (g_date_time_difference (due, start), ==, 120 * G_TIME_SPAN_MINUTE);
  g_assert_cmpint (vd_sla_classify_due (start, due, at_1h_left), ==, VD_DUE_STATE_OK);
  g_date_time_unref (start);

  /* Another type: the global SLA. */
  vd_item_set_task_type (item, "chat");
  start = vd_sla_get_deadline_start (item, policy);
  g_assert_cmpint (g_date_time_difference (due, start), ==, 480 * G_TIME_SPAN_MINUTE);
  g_date_time_unref (start);

  /* Escalated: the escalated SLA. */
  vd_item_set_status (item, VD_TASK_STATUS_ESCALATED);
  start = vd_sla_get_deadline_start (item, policy);
  g_assert_cmpint (g_date_time_difference (due, start), ==, 240 * G_TIME_SPAN_MINUTE);
  g_date_time_unref (start);

  /* No SLA in the policy, or no policy: the deadline came with the queue
   * file and counts from the item's timestamp; 1 h left of 51 h warns. */
  start = vd_sla_get_deadline_start (item, no_sla);
  g_assert_true (g_date_time_equal (start, made));
  g_assert_cmpint (vd_sla_classify_due (start, due, at_1h_left), ==, VD_DUE_STATE_SOON);
  g_date_time_unref (start);
  start = vd_sla_get_deadline_start (item, NULL);
  g_assert_true (g_date_time_equal (start, made));
  g_date_time_unref (start);
}

static void
test_time_left (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 11, 20, 12, 0, 0);
  g_autoptr(GDateTime) in_20_min = g_date_time_add_minutes (now, 20);
  g_autoptr(GDateTime) in_5_h = g_date_time_add_hours (now, 5);
  g_autoptr(GDateTime) in_3_d = g_date_time_add_days (now, 3);
  g_autoptr(GDateTime) past = g_date_time_add_seconds (now, -1);
  g_autofree char *a = NULL, *b = NULL, *c = NULL, *d = NULL;
  gboolean overdue = TRUE;

  g_assert_null (vd_sla_format_time_left (NULL, now, &overdue));
  g_assert_false (overdue);
  a = vd_sla_format_time_left (in_20_min, now, &overdue);
  g_assert_cmpstr (a, ==, "20 min left");
  g_assert_false (overdue);
  b = vd_sla_format_time_left (in_5_h, now, &overdue);
  g_assert_cmpstr (b, ==, "5 h left");
  c = vd_sla_format_time_left (in_3_d, now, &overdue);
  g_assert_cmpstr (c, ==, "3 d left");
  d = vd_sla_format_time_left (past, now, &overdue);
  g_assert_cmpstr (d, ==, "overdue");
  g_assert_true (overdue);
}

/* A decided item has no deadline to meet any more; one without a deadline
 * has none either. */
static void
test_due_state_item (void)
{
  g_autoptr(VdItem) item = vd_item_new ("q", "t1");
  g_autoptr(GDateTime) made = g_date_time_new_utc (2026, 11, 20, 7, 0, 0);
  g_autoptr(GDateTime) due = g_date_time_add_minutes (made, 100);
  g_autoptr(GDateTime) at_95 = g_date_time_add_minutes (made, 95);

  vd_item_set_timestamp (item, made);
  g_assert_cmpint (vd_sla_get_due_state (item, NULL, at_95), ==, VD_DUE_STATE_NONE);
  vd_item_set_due_at (item, due);
  g_assert_cmpint (vd_sla_get_due_state (item, NULL, at_95), ==, VD_DUE_STATE_SOON);
  vd_item_set_status (item, VD_TASK_STATUS_APPROVED);
  g_assert_cmpint (vd_sla_get_due_state (item, NULL, at_95), ==, VD_DUE_STATE_NONE);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sla/policy/fields", test_policy_fields);
  g_test_add_func ("/sla/policy/errors", test_policy_errors);
  g_test_add_func ("/sla/policy/unsafe", test_policy_unsafe);
  g_test_add_func ("/sla/describe", test_describe);
  g_test_add_func ("/sla/due-state", test_due_state);
  g_test_add_func ("/sla/due-state/item", test_due_state_item);
  g_test_add_func ("/sla/deadline-start", test_deadline_start);
  g_test_add_func ("/sla/time-left", test_time_left);
  add_test ("/sla/due-at/import", test_due_at_import);
  add_test ("/sla/fallback/escalate", test_fallback_escalate);
  add_test ("/sla/fallback/auto-reject", test_fallback_auto_reject);
  add_test ("/sla/fallback/auto-approve", test_fallback_auto_approve);
  add_test ("/sla/fallback/batches", test_fallback_batches);
  add_test ("/sla/next-deadline", test_next_deadline);
  add_test ("/sla/async", test_async);
  add_test ("/sla/load-policy", test_load_policy);
  add_test ("/sla/timer", test_timer);
  add_test ("/backpressure/check", test_backpressure_check);
  add_test ("/backpressure/wait", test_backpressure_wait);

  return g_test_run ();
}
