/* test-policy.c
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

#define G_LOG_DOMAIN "test-policy"

#include "config.h"

#include <glib/gstdio.h>

#include <math.h>
#include <string.h>

#include "vd-core.h"
#include "vd-test-util.h"
#include "vd-enums.h"

static VdPolicy *
load (const char *json)
{
  g_autoptr(GError) error = NULL;
  VdPolicy *policy;

  policy = vd_policy_new_from_data (json, -1, "policy.json", &error);
  g_assert_no_error (error);
  g_assert_true (VD_IS_POLICY (policy));

  return policy;
}

static JsonObject *
parse_object (const char *json)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;

  if (json == NULL)
    return NULL;

  node = json_from_string (json, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));

  return json_node_dup_object (node);
}

static VdPolicyResult *
check (VdPolicy   *policy,
       const char *task_type,
       const char *content,
       double      confidence,
       const char *metadata_json)
{
  g_autoptr(JsonObject) metadata = parse_object (metadata_json);

  return vd_policy_check (policy, task_type, content, confidence, metadata);
}

static void
assert_result (VdPolicyResult     *result,
               gboolean            escalate,
               VdEscalationReason  reason,
               VdPolicyCheck       check_kind,
               const char         *matched,
               const char         *explanation)
{
  g_assert_nonnull (result);
  g_assert_cmpint (result->escalate, ==, escalate);
  g_assert_cmpstr (vd_escalation_reason_to_string (result->reason), ==,
                   vd_escalation_reason_to_string (reason));
  g_assert_cmpstr (vd_policy_check_to_string (result->check), ==,
                   vd_policy_check_to_string (check_kind));
  g_assert_cmpstr (result->matched, ==, matched);
  g_assert_cmpstr (result->explanation, ==, explanation);
}

/* The demo policy of the reference, with a per-type threshold, an
 * always-reviewed type and a rule. */
static const char *demo_policy =
  "{\n"
  "  \"verdict_policy\": 1,\n"
  "  \"confidence_threshold\": 0.7,\n"
  "  \"sensitive_keywords\": [\"delete\", \"financial\", \"personal\"],\n"
  "  \"high_risk_actions\": [\"execute\", \"deploy\", \"publish\"],\n"
  "  \"always_review_types\": [\"medical\"],\n"
  "  \"task_types\": { \"payments\": { \"confidence_threshold\": 0.85 } },\n"
  "  \"rules\": [\n"
  "    { \"name\": \"large payment\", \"path\": \"amount\", \"op\": \">\",\n"
  "      \"value\": 10000, \"reason\": \"high_risk_action\" }\n"
  "  ]\n"
  "}\n";

static void
test_defaults (void)
{
  g_autoptr(VdPolicy) policy = vd_policy_new ();
  g_autoptr(VdPolicyResult) result = NULL;
  g_autofree char *data = NULL;

  g_assert_cmpfloat (vd_policy_get_confidence_threshold (policy), ==, 0.7);
  g_assert_cmpfloat (vd_policy_get_threshold_for_type (policy, "payments"), ==, 0.7);
  g_assert_cmpfloat (vd_policy_get_threshold_for_type (policy, NULL), ==, 0.7);

  result = check (policy, "payments", "delete everything and deploy", 0.91, "{\"amount\": 1e9}");
  assert_result (result, FALSE, VD_ESCALATION_REASON_NONE, VD_POLICY_CHECK_NONE, NULL,
                 "confidence 0.91 meets the threshold 0.70 and no other check fired");
  g_assert_cmpfloat (result->threshold, ==, 0.7);

  data = vd_policy_to_data (policy);
  g_assert_cmpstr (data, ==,
                   "{\n"
                   "  \"verdict_policy\": 1,\n"
                   "  \"confidence_threshold\": 0.7,\n"
                   "  \"sensitive_keywords\": [],\n"
                   "  \"high_risk_actions\": [],\n"
                   "  \"always_review_types\": [],\n"
                   "  \"task_types\": {},\n"
                   "  \"rules\": []\n"
                   "}\n");
}

static void
test_every_reason (void)
{
  g_autoptr(VdPolicy) policy = load (demo_policy);
  VdEscalationReason reasons[] = {
    VD_ESCALATION_REASON_LOW_CONFIDENCE,
    VD_ESCALATION_REASON_SENSITIVE_CONTENT,
    VD_ESCALATION_REASON_HIGH_RISK_ACTION,
    VD_ESCALATION_REASON_AMBIGUOUS_INPUT,
    VD_ESCALATION_REASON_ERROR_OCCURRED,
    VD_ESCALATION_REASON_POLICY_REQUIRED,
    VD_ESCALATION_REASON_USER_REQUESTED,
  };
  VdPolicyResult *result;

  result = check (policy, "support", "The answer is 42.", 0.5, NULL);
  assert_result (result, TRUE, VD_ESCALATION_REASON_LOW_CONFIDENCE, VD_POLICY_CHECK_CONFIDENCE,
                 NULL, "confidence 0.50 is below the threshold 0.70");
  vd_policy_result_free (result);

  result = check (policy, "support", "I will delete the account.", 0.9, NULL);
  assert_result (result, TRUE, VD_ESCALATION_REASON_SENSITIVE_CONTENT,
                 VD_POLICY_CHECK_SENSITIVE_KEYWORD, "delete",
                 "the output mentions the sensitive keyword “delete”");
  vd_policy_result_free (result);

  result = check (policy, "support", "Ready to deploy to production.", 0.9, NULL);
  assert_result (result, TRUE, VD_ESCALATION_REASON_HIGH_RISK_ACTION,
                 VD_POLICY_CHECK_HIGH_RISK_ACTION, "deploy",
                 "the output mentions the high-risk action “deploy”");
  vd_policy_result_free (result);

  result = check (policy, "medical", "Take ibuprofen with food.", 0.99, NULL);
  assert_result (result, TRUE, VD_ESCALATION_REASON_POLICY_REQUIRED,
                 VD_POLICY_CHECK_ALWAYS_REVIEW_TYPE, "medical",
                 "task type “medical” always needs review");
  vd_policy_result_free (result);

  result = check (policy, "support", "Refund issued.", 0.9, "{\"amount\": 12500}");
  assert_result (result, TRUE, VD_ESCALATION_REASON_HIGH_RISK_ACTION, VD_POLICY_CHECK_RULE,
                 "large payment", "rule “large payment”: amount 12500 > 10000");
  vd_policy_result_free (result);

  /* A rule may give any reason; without one it is policy_required. */
  for (guint i = 0; i < G_N_ELEMENTS (reasons); i++)
    {
      const char *name = vd_escalation_reason_to_string (reasons[i]);
      g_autofree char *json =
        g_strdup_printf ("{\"rules\": [{\"name\": \"r\", \"path\": \"x\", \"op\": \"==\", "
                         "\"value\": 1, \"reason\": \"%s\"}]}", name);
      g_autoptr(VdPolicy) rule_policy = load (json);

      result = check (rule_policy, "", "", 1.0, "{\"x\": 1}");
      assert_result (result, TRUE, reasons[i], VD_POLICY_CHECK_RULE, "r", "rule “r”: x 1 == 1");
      vd_policy_result_free (result);
    }

  {
    g_autoptr(VdPolicy) rule_policy =
      load ("{\"rules\": [{\"name\": \"r\", \"path\": \"x\", \"op\": \"==\", \"value\": 1}]}");

    result = check (rule_policy, "", "", 1.0, "{\"x\": 1}");
    assert_result (result, TRUE, VD_ESCALATION_REASON_POLICY_REQUIRED, VD_POLICY_CHECK_RULE,
                   "r", "rule “r”: x 1 == 1");
    vd_policy_result_free (result);
  }

  result = check (policy, "support", "All good.", 0.95, "{\"amount\": 500}");
  assert_result (result, FALSE, VD_ESCALATION_REASON_NONE, VD_POLICY_CHECK_NONE, NULL,
                 "confidence 0.95 meets the threshold 0.70 and no other check fired");
  vd_policy_result_free (result);
}

static void
test_order (void)
{
  g_autoptr(VdPolicy) policy = load (demo_policy);
  VdPolicyResult *result;
  const char *everything = "Deploy the build and delete the old one";
  const char *metadata = "{\"amount\": 50000}";

  /* Every check would fire: the confidence check comes first. */
  result = check (policy, "medical", everything, 0.3, metadata);
  g_assert_cmpint (result->reason, ==, VD_ESCALATION_REASON_LOW_CONFIDENCE);
  g_assert_cmpint (result->check, ==, VD_POLICY_CHECK_CONFIDENCE);
  vd_policy_result_free (result);

  /* Then the sensitive keyword, although the action occurs earlier in the text. */
  result = check (policy, "medical", everything, 0.9, metadata);
  g_assert_cmpint (result->reason, ==, VD_ESCALATION_REASON_SENSITIVE_CONTENT);
  g_assert_cmpstr (result->matched, ==, "delete");
  vd_policy_result_free (result);

  /* Then the high-risk action. */
  result = check (policy, "medical", "Deploy the build", 0.9, metadata);
  g_assert_cmpint (result->reason, ==, VD_ESCALATION_REASON_HIGH_RISK_ACTION);
  g_assert_cmpint (result->check, ==, VD_POLICY_CHECK_HIGH_RISK_ACTION);
  vd_policy_result_free (result);

  /* Then the always-reviewed type, before the rule (whose reason is also
   * high_risk_action, so the check tells them apart). */
  result = check (policy, "medical", "Build ready", 0.9, metadata);
  g_assert_cmpint (result->reason, ==, VD_ESCALATION_REASON_POLICY_REQUIRED);
  g_assert_cmpint (result->check, ==, VD_POLICY_CHECK_ALWAYS_REVIEW_TYPE);
  vd_policy_result_free (result);

  /* Then the rule. */
  result = check (policy, "support", "Build ready", 0.9, metadata);
  g_assert_cmpint (result->reason, ==, VD_ESCALATION_REASON_HIGH_RISK_ACTION);
  g_assert_cmpint (result->check, ==, VD_POLICY_CHECK_RULE);
  vd_policy_result_free (result);

  /* Keywords are tried in the policy's order, not by position in the text. */
  result = check (policy, "support", "personal financial data", 0.9, NULL);
  g_assert_cmpstr (result->matched, ==, "financial");
  vd_policy_result_free (result);

  /* The first matching rule wins. */
  {
    g_autoptr(VdPolicy) rules =
      load ("{\"rules\": ["
            "{\"name\": \"first\", \"path\": \"a\", \"op\": \">\", \"value\": 10, "
            "\"reason\": \"ambiguous_input\"},"
            "{\"name\": \"second\", \"path\": \"a\", \"op\": \">\", \"value\": 1, "
            "\"reason\": \"user_requested\"}]}");

    result = check (rules, "", "", 1.0, "{\"a\": 100}");
    g_assert_cmpstr (result->matched, ==, "first");
    g_assert_cmpint (result->reason, ==, VD_ESCALATION_REASON_AMBIGUOUS_INPUT);
    vd_policy_result_free (result);

    result = check (rules, "", "", 1.0, "{\"a\": 5}");
    g_assert_cmpstr (result->matched, ==, "second");
    g_assert_cmpint (result->reason, ==, VD_ESCALATION_REASON_USER_REQUESTED);
    vd_policy_result_free (result);
  }
}

static void
test_threshold_boundary (void)
{
  g_autoptr(VdPolicy) policy = vd_policy_new ();
  VdPolicyResult *result;

  /* Strictly below: 0.7 with threshold 0.7 passes. */
  result = check (policy, "", "", 0.7, NULL);
  assert_result (result, FALSE, VD_ESCALATION_REASON_NONE, VD_POLICY_CHECK_NONE, NULL,
                 "confidence 0.70 meets the threshold 0.70 and no other check fired");
  vd_policy_result_free (result);

  /* Just below shows enough digits to see the difference. */
  result = check (policy, "", "", 0.69999, NULL);
  assert_result (result, TRUE, VD_ESCALATION_REASON_LOW_CONFIDENCE, VD_POLICY_CHECK_CONFIDENCE,
                 NULL, "confidence 0.69999 is below the threshold 0.70000");
  vd_policy_result_free (result);

  result = check (policy, "", "", 0.699, NULL);
  g_assert_cmpstr (result->explanation, ==, "confidence 0.699 is below the threshold 0.700");
  vd_policy_result_free (result);

  /* Threshold 0: nothing is too unsure. Threshold 1: only certainty passes. */
  vd_policy_set_confidence_threshold (policy, 0.0);
  result = check (policy, "", "", 0.0, NULL);
  g_assert_false (result->escalate);
  g_assert_cmpstr (result->explanation, ==,
                   "confidence 0.00 meets the threshold 0.00 and no other check fired");
  vd_policy_result_free (result);

  vd_policy_set_confidence_threshold (policy, 1.0);
  result = check (policy, "", "", 0.999, NULL);
  g_assert_true (result->escalate);
  g_assert_cmpstr (result->explanation, ==, "confidence 0.999 is below the threshold 1.000");
  vd_policy_result_free (result);
  result = check (policy, "", "", 1.0, NULL);
  g_assert_false (result->escalate);
  vd_policy_result_free (result);
}

static void
test_type_thresholds (void)
{
  g_autoptr(VdPolicy) policy = load (demo_policy);
  g_autoptr(VdPolicy) built = vd_policy_new ();
  g_autoptr(VdPolicy) empty_entry =
    load ("{\"confidence_threshold\": 0.6, \"task_types\": {\"legal\": {}}}");
  VdPolicyResult *result;

  g_assert_cmpfloat (vd_policy_get_threshold_for_type (policy, "payments"), ==, 0.85);
  g_assert_cmpfloat (vd_policy_get_threshold_for_type (policy, "support"), ==, 0.7);

  result = check (policy, "payments", "Refund ok", 0.8, NULL);
  assert_result (result, TRUE, VD_ESCALATION_REASON_LOW_CONFIDENCE, VD_POLICY_CHECK_CONFIDENCE,
                 NULL, "confidence 0.80 is below the threshold 0.85 for payments");
  g_assert_cmpfloat (result->threshold, ==, 0.85);
  vd_policy_result_free (result);

  /* The same confidence passes for a type without its own threshold. */
  result = check (policy, "support", "Refund ok", 0.8, NULL);
  assert_result (result, FALSE, VD_ESCALATION_REASON_NONE, VD_POLICY_CHECK_NONE, NULL,
                 "confidence 0.80 meets the threshold 0.70 and no other check fired");
  g_assert_cmpfloat (result->threshold, ==, 0.7);
  vd_policy_result_free (result);

  result = check (policy, "payments", "Refund ok", 0.9, NULL);
  assert_result (result, FALSE, VD_ESCALATION_REASON_NONE, VD_POLICY_CHECK_NONE, NULL,
                 "confidence 0.90 meets the threshold 0.85 for payments and no other check "
                 "fired");
  vd_policy_result_free (result);

  /* A type threshold may also be lower than the global one. */
  vd_policy_set_type_threshold (built, "triage", 0.5);
  result = check (built, "triage", "ok", 0.6, NULL);
  g_assert_false (result->escalate);
  g_assert_cmpfloat (result->threshold, ==, 0.5);
  vd_policy_result_free (result);
  result = check (built, "other", "ok", 0.6, NULL);
  g_assert_true (result->escalate);
  g_assert_cmpstr (result->explanation, ==, "confidence 0.60 is below the threshold 0.70");
  vd_policy_result_free (result);

  /* Setting it again replaces it. */
  vd_policy_set_type_threshold (built, "triage", 0.65);
  g_assert_cmpfloat (vd_policy_get_threshold_for_type (built, "triage"), ==, 0.65);

  /* An entry without a threshold falls back to the global one. */
  g_assert_cmpfloat (vd_policy_get_threshold_for_type (empty_entry, "legal"), ==, 0.6);
  result = check (empty_entry, "legal", "ok", 0.55, NULL);
  g_assert_cmpstr (result->explanation, ==, "confidence 0.55 is below the threshold 0.60");
  vd_policy_result_free (result);
}

static void
test_unicode_folding (void)
{
  g_autoptr(VdPolicy) policy = vd_policy_new ();
  static const struct {
    const char *content;
    const char *matched;   /* NULL: no escalation */
  } cases[] = {
    /* ß folds to ss, both ways */
    { "Name: Hauptstrasse 1", "straße" },
    { "HAUPTSTRASSE 1", "straße" },
    { "Hauptstraße 1", "straße" },
    /* accented capitals, precomposed and decomposed */
    { "ÉCOLE NORMALE", "école" },
    { "E\xcc\x81" "COLE NORMALE", "école" },
    { "ecole normale", NULL },
    /* Greek with final sigma */
    { "ΟΔΥΣΣΕΥΣ", "οδυσσευς" },
    /* an upper-case keyword matches lower-case text */
    { "please check the passport number", "PASSPORT" },
    /* compatibility forms: full-width letters and the fi ligature */
    { "ｄｅｐｌｏｙ now", "deploy" },
    { "ﬁle the claim", "file" },
    /* plain miss */
    { "nothing to see", NULL },
  };

  vd_policy_add_sensitive_keyword (policy, "straße");
  vd_policy_add_sensitive_keyword (policy, "école");
  vd_policy_add_sensitive_keyword (policy, "οδυσσευς");
  vd_policy_add_sensitive_keyword (policy, "PASSPORT");
  vd_policy_add_high_risk_action (policy, "deploy");
  vd_policy_add_high_risk_action (policy, "file");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(VdPolicyResult) result = check (policy, "", cases[i].content, 0.9, NULL);

      g_test_message ("content: %s", cases[i].content);
      g_assert_cmpint (result->escalate, ==, cases[i].matched != NULL);
      g_assert_cmpstr (result->matched, ==, cases[i].matched);
    }
}

static void
test_only_content_searched (void)
{
  g_autoptr(VdPolicy) policy = load (demo_policy);
  g_autoptr(VdItem) item = vd_item_new ("q", "task_0001");
  g_autoptr(JsonObject) metadata = parse_object ("{\"note\": \"delete\", \"amount\": 3}");
  g_autoptr(VdPolicyResult) result = NULL;

  vd_item_set_task_description (item, "Delete the personal records and deploy");
  vd_item_set_context (item, "financial");
  vd_item_set_reasoning (item, "execute");
  vd_item_set_task_type (item, "support");
  vd_item_set_content (item, "Summary written.");
  vd_item_set_confidence (item, 0.8);
  vd_item_set_metadata (item, metadata);

  result = vd_policy_check_item (policy, item);
  assert_result (result, FALSE, VD_ESCALATION_REASON_NONE, VD_POLICY_CHECK_NONE, NULL,
                 "confidence 0.80 meets the threshold 0.70 and no other check fired");
}

static void
test_check_item (void)
{
  g_autoptr(VdPolicy) policy = load (demo_policy);
  g_autoptr(VdItem) item = vd_item_new ("payments", "task_0002");
  g_autoptr(JsonObject) metadata = parse_object ("{\"amount\": 20000.5}");
  VdPolicyResult *result;

  vd_item_set_task_type (item, "payments");
  vd_item_set_content (item, "Wire the funds");
  vd_item_set_confidence (item, 0.8);
  vd_item_set_metadata (item, metadata);

  /* Uses the item's task type (threshold 0.85) and confidence. */
  result = vd_policy_check_item (policy, item);
  g_assert_cmpstr (result->explanation, ==,
                   "confidence 0.80 is below the threshold 0.85 for payments");
  vd_policy_result_free (result);

  /* ...its content... */
  vd_item_set_confidence (item, 0.9);
  vd_item_set_content (item, "Publish the refund notice");
  result = vd_policy_check_item (policy, item);
  g_assert_cmpstr (result->matched, ==, "publish");
  vd_policy_result_free (result);

  /* ...and its metadata. */
  vd_item_set_content (item, "Wire the funds");
  result = vd_policy_check_item (policy, item);
  g_assert_cmpstr (result->explanation, ==, "rule “large payment”: amount 20000.5 > 10000");
  vd_policy_result_free (result);
}

typedef struct
{
  const char *op;
  const char *value;      /* JSON */
  const char *metadata;   /* JSON object, or NULL */
  gboolean    matches;
} OpCase;

static void
run_op_cases (const OpCase *cases,
              guint         n_cases,
              const char   *path)
{
  for (guint i = 0; i < n_cases; i++)
    {
      g_autofree char *json =
        g_strdup_printf ("{\"rules\": [{\"name\": \"r\", \"path\": \"%s\", \"op\": \"%s\", "
                         "\"value\": %s}]}", path, cases[i].op, cases[i].value);
      g_autoptr(VdPolicy) policy = load (json);
      g_autoptr(VdPolicyResult) result = check (policy, "", "", 1.0, cases[i].metadata);

      g_test_message ("%s %s %s on %s", path, cases[i].op, cases[i].value,
                      cases[i].metadata ? cases[i].metadata : "(no metadata)");
      g_assert_cmpint (result->escalate, ==, cases[i].matches);
      g_assert_cmpint (result->check, ==,
                       cases[i].matches ? VD_POLICY_CHECK_RULE : VD_POLICY_CHECK_NONE);
    }
}

static void
test_rule_operators (void)
{
  static const OpCase cases[] = {
    { ">", "10000", "{\"amount\": 10001}", TRUE },
    { ">", "10000", "{\"amount\": 10000}", FALSE },
    { ">", "10000", "{\"amount\": 10000.5}", TRUE },
    { ">=", "10000", "{\"amount\": 10000}", TRUE },
    { ">=", "10000", "{\"amount\": 9999.99}", FALSE },
    { "<", "0.5", "{\"amount\": 0.25}", TRUE },
    { "<", "0.5", "{\"amount\": 0.5}", FALSE },
    { "<=", "-3", "{\"amount\": -3}", TRUE },
    { "<=", "-3", "{\"amount\": -2}", FALSE },
    { "==", "3", "{\"amount\": 3.0}", TRUE },
    { "==", "3", "{\"amount\": 4}", FALSE },
    { "==", "\"gold\"", "{\"amount\": \"gold\"}", TRUE },
    { "==", "\"gold\"", "{\"amount\": \"Gold\"}", FALSE },
    { "!=", "3", "{\"amount\": 4}", TRUE },
    { "!=", "3", "{\"amount\": 3}", FALSE },
    { "!=", "\"gold\"", "{\"amount\": \"silver\"}", TRUE },
    { "!=", "\"gold\"", "{\"amount\": \"gold\"}", FALSE },
    { "contains", "\"fraud\"", "{\"amount\": \"Possible FRAUD detected\"}", TRUE },
    { "contains", "\"fraud\"", "{\"amount\": \"all clear\"}", FALSE },
    { "contains", "\"vip\"", "{\"amount\": [\"new\", \"VIP\"]}", TRUE },
    { "contains", "\"vip\"", "{\"amount\": [\"new\", \"vipx\"]}", FALSE },
    { "contains", "\"straße\"", "{\"amount\": \"HAUPTSTRASSE\"}", TRUE },
  };

  run_op_cases (cases, G_N_ELEMENTS (cases), "amount");
}

static void
test_type_mismatch (void)
{
  /* Rules fail closed: what a rule cannot compare escalates (TRUE). */
  static const OpCase cases[] = {
    /* A plain decimal number in a string is compared as that number. */
    { ">", "10000", "{\"amount\": \"12400\"}", TRUE },
    { ">", "10000", "{\"amount\": \"9000\"}", FALSE },
    { ">=", "10000", "{\"amount\": \"10000.0\"}", TRUE },
    { "<", "10000", "{\"amount\": \"5\"}", TRUE },
    { "<", "0", "{\"amount\": \"3\"}", FALSE },
    { "<=", "-5", "{\"amount\": \"-5.25\"}", TRUE },
    /* Any other string cannot be compared with a number. */
    { ">", "10000", "{\"amount\": \"12,400\"}", TRUE },
    { "<", "10000", "{\"amount\": \"$5\"}", TRUE },
    { "<", "10000", "{\"amount\": \"1e3\"}", TRUE },
    { "<", "10000", "{\"amount\": \" 5\"}", TRUE },
    { "<", "10000", "{\"amount\": \"+5\"}", TRUE },
    { "<", "10000", "{\"amount\": \"5.\"}", TRUE },
    { "<", "10000", "{\"amount\": \".5\"}", TRUE },
    { "<", "10000", "{\"amount\": \"\"}", TRUE },
    { "<", "10000", "{\"amount\": \"NaN\"}", TRUE },
    { "<", "10000", "{\"amount\": \"\uff15\"}", TRUE },
    /* Booleans, null, arrays and objects are not numbers either. */
    { ">", "0", "{\"amount\": true}", TRUE },
    { ">", "0", "{\"amount\": null}", TRUE },
    { ">", "0", "{\"amount\": [5]}", TRUE },
    { ">", "0", "{\"amount\": {\"value\": 5}}", TRUE },
    /* == and != compare a numeric string as a number too... */
    { "==", "12000", "{\"amount\": \"12000\"}", TRUE },
    { "!=", "12000", "{\"amount\": \"12000\"}", FALSE },
    { "!=", "12000", "{\"amount\": \"12000.5\"}", TRUE },
    /* ...and escalate on what they cannot compare, whichever way. */
    { "==", "12000", "{\"amount\": \"12 000\"}", TRUE },
    { "!=", "12000", "{\"amount\": \"twelve\"}", TRUE },
    { "==", "\"1\"", "{\"amount\": 1}", TRUE },
    { "!=", "\"1\"", "{\"amount\": 1}", TRUE },
    { "==", "1", "{\"amount\": true}", TRUE },
    { "!=", "1", "{\"amount\": null}", TRUE },
    { "==", "\"gold\"", "{\"amount\": [\"gold\"]}", TRUE },
    /* contains needs a string or an array of strings. */
    { "contains", "\"1\"", "{\"amount\": 12}", TRUE },
    { "contains", "\"1\"", "{\"amount\": [1, 2]}", TRUE },
    { "contains", "\"1\"", "{\"amount\": [\"x\", 1]}", TRUE },
    { "contains", "\"a\"", "{\"amount\": {\"a\": \"a\"}}", TRUE },
    { "contains", "\"a\"", "{\"amount\": null}", TRUE },
    { "contains", "\"a\"", "{\"amount\": [\"x\", \"y\"]}", FALSE },
  };

  run_op_cases (cases, G_N_ELEMENTS (cases), "amount");
}

static void
test_nested_paths (void)
{
  static const OpCase cases[] = {
    { "==", "\"gold\"", "{\"customer\": {\"tier\": \"gold\"}}", TRUE },
    { "==", "\"gold\"", "{\"customer\": {\"tier\": \"silver\"}}", FALSE },
    { "!=", "\"gold\"", "{\"customer\": {\"tier\": \"silver\"}}", TRUE },
    /* A dotted key is not a path: the field is missing. */
    { "==", "\"gold\"", "{\"customer.tier\": \"gold\"}", FALSE },
    /* The path goes through something that is not an object: the rule
     * cannot read its field and escalates. */
    { "==", "\"gold\"", "{\"customer\": \"gold\"}", TRUE },
    { "!=", "\"gold\"", "{\"customer\": \"gold\"}", TRUE },
    { "!=", "\"gold\"", "{\"customer\": [{\"tier\": \"gold\"}]}", TRUE },
    { "==", "\"gold\"", "{\"customer\": null}", TRUE },
  };
  static const OpCase deep[] = {
    { ">", "2", "{\"a\": {\"b\": {\"c\": 3}}}", TRUE },
    { ">", "2", "{\"a\": {\"b\": {\"c\": 1}}}", FALSE },
    { ">", "2", "{\"a\": {\"b\": {}}}", FALSE },
    { ">", "2", "{\"a\": {\"b\": 3}}", TRUE },
  };
  g_autoptr(VdPolicy) policy =
    load ("{\"rules\": [{\"name\": \"gold customer\", \"path\": \"customer.tier\", "
          "\"op\": \"==\", \"value\": \"gold\"}]}");
  g_autoptr(VdPolicyResult) result = NULL;

  run_op_cases (cases, G_N_ELEMENTS (cases), "customer.tier");
  run_op_cases (deep, G_N_ELEMENTS (deep), "a.b.c");

  result = check (policy, "", "", 1.0, "{\"customer\": {\"tier\": \"gold\"}}");
  g_assert_cmpstr (result->explanation, ==,
                   "rule “gold customer”: customer.tier “gold” == “gold”");
}

static void
test_missing_paths (void)
{
  /* A missing path never matches, whatever the operator. */
  static const OpCase cases[] = {
    { ">", "0", "{}", FALSE },
    { "<", "0", "{\"other\": -1}", FALSE },
    { "==", "\"x\"", "{}", FALSE },
    { "!=", "\"x\"", "{}", FALSE },
    { "!=", "1", "{\"amount\": {}}", FALSE },
    { "contains", "\"x\"", "{}", FALSE },
    { "!=", "\"x\"", NULL, FALSE },
  };

  run_op_cases (cases, G_N_ELEMENTS (cases), "amount.value");
}

static void
test_explanations (void)
{
  g_autoptr(VdPolicy) policy =
    load ("{\"rules\": ["
          "{\"name\": \"precise\", \"path\": \"a\", \"op\": \">=\", \"value\": 0.1},"
          "{\"name\": \"tags\", \"path\": \"t\", \"op\": \"contains\", \"value\": \"VIP\"},"
          "{\"name\": \"not gold\", \"path\": \"tier\", \"op\": \"!=\", \"value\": \"gold\"},"
          "{\"name\": \"Note\", \"path\": \"n\", \"op\": \"contains\", \"value\": \"refund\"}"
          "]}");
  VdPolicyResult *result;

  result = check (policy, "", "", 1.0, "{\"a\": 0.30000000000000004}");
  g_assert_cmpstr (result->explanation, ==, "rule “precise”: a 0.30000000000000004 >= 0.1");
  vd_policy_result_free (result);

  result = check (policy, "", "", 1.0, "{\"t\": [\"new\", \"vip\"]}");
  g_assert_cmpstr (result->explanation, ==,
                   "rule “tags”: t [\"new\",\"vip\"] contains “VIP”");
  vd_policy_result_free (result);

  /* A number is not a string: the rule cannot tell, and says so. */
  result = check (policy, "", "", 1.0, "{\"tier\": 3}");
  g_assert_cmpstr (result->explanation, ==,
                   "rule “not gold” (tier != “gold”) cannot be applied: tier is 3, not a "
                   "string; a human must check it");
  vd_policy_result_free (result);

  result = check (policy, "", "", 1.0, "{\"tier\": \"gold\", \"n\": \"Partial Refund\"}");
  g_assert_cmpstr (result->explanation, ==,
                   "rule “Note”: n “Partial Refund” contains “refund”");
  g_assert_cmpstr (result->matched, ==, "Note");
  vd_policy_result_free (result);
}

static void
assert_load_error (const char *json,
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

static void
test_loader_errors (void)
{
  static const struct {
    const char *json;
    const char *message;
  } cases[] = {
    { "{\"confidence_threshold\": 1.5}",
      "policy.json: confidence_threshold: expected a number from 0 to 1, found 1.5" },
    { "{\"confidence_threshold\": -0.1}",
      "policy.json: confidence_threshold: expected a number from 0 to 1, found -0.1" },
    { "{\"confidence_threshold\": \"high\"}",
      "policy.json: confidence_threshold: expected a number from 0 to 1, found \"high\"" },
    { "{\"confidence_threshold\": null}",
      "policy.json: confidence_threshold: expected a number from 0 to 1, found null" },
    { "{\"confidence_threshold\": 0.7, \"treshold\": 0.5}",
      "policy.json: unknown field “treshold”" },
    { "{\"verdict_policy\": 2}",
      "policy.json: verdict_policy: expected 1, found 2" },
    { "{\"verdict_policy\": \"1\"}",
      "policy.json: verdict_policy: expected 1, found \"1\"" },
    { "[]",
      "policy.json: expected a JSON object, found an array" },
    { "0.7",
      "policy.json: expected a JSON object, found 0.7" },
    { "",
      "policy.json: expected a JSON object, found nothing" },
    { "{\"sensitive_keywords\": \"delete\"}",
      "policy.json: sensitive_keywords: expected an array of strings, found \"delete\"" },
    { "{\"sensitive_keywords\": [\"delete\", 3]}",
      "policy.json: sensitive_keywords[1]: expected a non-empty string, found 3" },
    { "{\"high_risk_actions\": [\"\"]}",
      "policy.json: high_risk_actions[0]: expected a non-empty string, found \"\"" },
    { "{\"high_risk_actions\": {}}",
      "policy.json: high_risk_actions: expected an array of strings, found an object" },
    { "{\"always_review_types\": [null]}",
      "policy.json: always_review_types[0]: expected a non-empty string, found null" },
    { "{\"task_types\": []}",
      "policy.json: task_types: expected an object, found an array" },
    { "{\"task_types\": {\"payments\": 0.8}}",
      "policy.json: task_types.payments: expected an object, found 0.8" },
    { "{\"task_types\": {\"payments\": {\"confidence_threshold\": 2}}}",
      "policy.json: task_types.payments.confidence_threshold: expected a number from 0 to 1, "
      "found 2" },
    { "{\"task_types\": {\"payments\": {\"confidence_threshold\": 0.8, \"sla_hours\": 30}}}",
      "policy.json: task_types.payments: unknown field “sla_hours”" },
    { "{\"task_types\": {\"\": {}}}",
      "policy.json: task_types: a task type name must not be empty" },
    { "{\"rules\": {}}",
      "policy.json: rules: expected an array of rules, found an object" },
    { "{\"rules\": [1]}",
      "policy.json: rules[0]: expected an object, found 1" },
    { "{\"rules\": [{\"name\": \"r\", \"path\": \"a\", \"op\": \">\", \"value\": 1, "
      "\"when\": \"always\"}]}",
      "policy.json: rules[0]: unknown field “when”" },
    { "{\"rules\": [{\"path\": \"a\", \"op\": \">\", \"value\": 1}]}",
      "policy.json: rules[0]: missing field “name”" },
    { "{\"rules\": [{\"name\": \"r\", \"op\": \">\", \"value\": 1}]}",
      "policy.json: rules[0]: missing field “path”" },
    { "{\"rules\": [{\"name\": \"r\", \"path\": \"a\", \"value\": 1}]}",
      "policy.json: rules[0]: missing field “op”" },
    { "{\"rules\": [{\"name\": \"r\", \"path\": \"a\", \"op\": \">\"}]}",
      "policy.json: rules[0]: missing field “value”" },
    { "{\"rules\": [{\"name\": \"\", \"path\": \"a\", \"op\": \">\", \"value\": 1}]}",
      "policy.json: rules[0].name: expected a non-empty string, found \"\"" },
    { "{\"rules\": [{\"name\": \"r\", \"path\": \"a..b\", \"op\": \">\", \"value\": 1}]}",
      "policy.json: rules[0].path: expected a metadata path such as “customer.tier”, "
      "found \"a..b\"" },
    { "{\"rules\": [{\"name\": \"r\", \"path\": \"\", \"op\": \">\", \"value\": 1}]}",
      "policy.json: rules[0].path: expected a metadata path such as “customer.tier”, "
      "found \"\"" },
    { "{\"rules\": [{\"name\": \"r\", \"path\": [\"a\"], \"op\": \">\", \"value\": 1}]}",
      "policy.json: rules[0].path: expected a metadata path such as “customer.tier”, "
      "found an array" },
    { "{\"rules\": ["
      "{\"name\": \"a\", \"path\": \"a\", \"op\": \">\", \"value\": 1},"
      "{\"name\": \"b\", \"path\": \"b\", \"op\": \"==\", \"value\": \"x\"},"
      "{\"name\": \"c\", \"path\": \"c\", \"op\": \"=~\", \"value\": \"x\"}]}",
      "policy.json: rules[2].op: expected one of >, >=, <, <=, ==, !=, contains, found \"=~\"" },
    { "{\"rules\": [{\"name\": \"r\", \"path\": \"a\", \"op\": 1, \"value\": 1}]}",
      "policy.json: rules[0].op: expected one of >, >=, <, <=, ==, !=, contains, found 1" },
    { "{\"rules\": [{\"name\": \"r\", \"path\": \"a\", \"op\": \">\", \"value\": \"10000\"}]}",
      "policy.json: rules[0].value: expected a number for “>”, found \"10000\"" },
    { "{\"rules\": [{\"name\": \"r\", \"path\": \"a\", \"op\": \"<=\", \"value\": null}]}",
      "policy.json: rules[0].value: expected a number for “<=”, found null" },
    { "{\"rules\": [{\"name\": \"r\", \"path\": \"a\", \"op\": \"contains\", \"value\": 3}]}",
      "policy.json: rules[0].value: expected a string for “contains”, found 3" },
    { "{\"rules\": [{\"name\": \"r\", \"path\": \"a\", \"op\": \"==\", \"value\": true}]}",
      "policy.json: rules[0].value: expected a number or a string, found true" },
    { "{\"rules\": [{\"name\": \"r\", \"path\": \"a\", \"op\": \"!=\", \"value\": [1]}]}",
      "policy.json: rules[0].value: expected a number or a string, found an array" },
    { "{\"rules\": [{\"name\": \"r\", \"path\": \"a\", \"op\": \"==\", \"value\": 1, "
      "\"reason\": \"urgent\"}]}",
      "policy.json: rules[0].reason: expected one of low_confidence, sensitive_content, "
      "high_risk_action, ambiguous_input, error_occurred, policy_required, user_requested, "
      "found \"urgent\"" },
    { "{\"rules\": [{\"name\": \"r\", \"path\": \"a\", \"op\": \"==\", \"value\": 1, "
      "\"reason\": \"none\"}]}",
      "policy.json: rules[0].reason: expected one of low_confidence, sensitive_content, "
      "high_risk_action, ambiguous_input, error_occurred, policy_required, user_requested, "
      "found \"none\"" },
    /* A long value is cut in the message. */
    { "{\"confidence_threshold\": "
      "\"0123456789012345678901234567890123456789012345678901234567890123456789\"}",
      "policy.json: confidence_threshold: expected a number from 0 to 1, found "
      "\"012345678901234567890123456789012345678901234567890123456789…\"" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_load_error (cases[i].json, cases[i].message);
}

static void
test_invalid_json (void)
{
  /* The parser's line and column, with the file name. */
  assert_load_error ("{\n  \"confidence_threshold\": 0.7,\n}\n",
                     "policy.json:2:30: Parse error: unexpected character `,', "
                     "expected character `]'");
  assert_load_error ("{\"confidence_threshold\": 0.7}\n}",
                     "policy.json:2:1: Parse error: unexpected character `}', "
                     "expected end of file");
  assert_load_error ("{\n  \"sensitive_keywords\": [\"a\"],\n  \"rules\": [\n"
                     "    { \"name\": \"x\" \n  ]\n}\n",
                     "policy.json:4:17: Parse error: invalid string constant \"x\", "
                     "expected valid string constant");

  /* json-glib quotes the text it stopped at cut inside a character (here
   * U+100B): the message is still valid UTF-8 (found by fuzz-policy). */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(VdPolicy) policy =
      vd_policy_new_from_data ("{\"sensitive_keyworstrPPPPPPPPPPa\xc2\x9f" "edel\\u100be\"]}\n",
                               -1, "policy.json", &error);

    g_assert_null (policy);
    g_assert_true (g_utf8_validate (error->message, -1, NULL));
    g_assert_true (g_str_has_prefix (error->message, "policy.json:1:46: Parse error: "));
  }

  /* Invalid UTF-8, with the line it is on. */
  assert_load_error ("{\n  \"sensitive_keywords\": [\n    \"caf\xe9\"\n  ]\n}\n",
                     "policy.json:3:9: not valid UTF-8 text; save the file as UTF-8");
}

static const char *full_policy =
  "{\n"
  "  \"verdict_policy\": 1,\n"
  "  \"confidence_threshold\": 0.7,\n"
  "  \"sensitive_keywords\": [\n"
  "    \"delete\",\n"
  "    \"straße\",\n"
  "    \"say \\\"hi\\\"\\n\\tnow\\\\\"\n"
  "  ],\n"
  "  \"high_risk_actions\": [\n"
  "    \"deploy\"\n"
  "  ],\n"
  "  \"always_review_types\": [\n"
  "    \"medical\",\n"
  "    \"legal\"\n"
  "  ],\n"
  "  \"task_types\": {\n"
  "    \"payments\": {\n"
  "      \"confidence_threshold\": 0.85\n"
  "    },\n"
  "    \"code\": {\n"
  "      \"confidence_threshold\": 1.0\n"
  "    },\n"
  "    \"triage\": {}\n"
  "  },\n"
  "  \"rules\": [\n"
  "    {\n"
  "      \"name\": \"large payment\",\n"
  "      \"path\": \"amount\",\n"
  "      \"op\": \">\",\n"
  "      \"value\": 10000,\n"
  "      \"reason\": \"high_risk_action\"\n"
  "    },\n"
  "    {\n"
  "      \"name\": \"tiny\",\n"
  "      \"path\": \"amount\",\n"
  "      \"op\": \"<=\",\n"
  "      \"value\": 0.01,\n"
  "      \"reason\": \"ambiguous_input\"\n"
  "    },\n"
  "    {\n"
  "      \"name\": \"gold\",\n"
  "      \"path\": \"customer.tier\",\n"
  "      \"op\": \"==\",\n"
  "      \"value\": \"gold\",\n"
  "      \"reason\": \"policy_required\"\n"
  "    },\n"
  "    {\n"
  "      \"name\": \"flag\",\n"
  "      \"path\": \"flags\",\n"
  "      \"op\": \"contains\",\n"
  "      \"value\": \"fraud\",\n"
  "      \"reason\": \"user_requested\"\n"
  "    }\n"
  "  ]\n"
  "}\n";

static void
test_round_trip (void)
{
  g_autoptr(VdPolicy) policy = load (full_policy);
  g_autoptr(VdPolicy) again = NULL;
  g_autoptr(VdPolicy) from_node = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) node_again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  g_autofree char *data_again = NULL;

  /* The canonical text reads back to itself. */
  data = vd_policy_to_data (policy);
  g_assert_cmpstr (data, ==, full_policy);

  again = load (data);
  data_again = vd_policy_to_data (again);
  g_assert_cmpstr (data_again, ==, data);

  node = vd_policy_to_json (policy);
  from_node = vd_policy_new_from_json (node, "node", &error);
  g_assert_no_error (error);
  node_again = vd_policy_to_json (from_node);
  g_assert_true (json_node_equal (node, node_again));

  /* And the reloaded policy behaves the same. */
  {
    g_autoptr(VdPolicyResult) a = check (policy, "code", "x", 0.99, NULL);
    g_autoptr(VdPolicyResult) b = check (again, "code", "x", 0.99, NULL);

    g_assert_cmpstr (a->explanation, ==, "confidence 0.99 is below the threshold 1.00 for code");
    g_assert_cmpstr (b->explanation, ==, a->explanation);
  }

  /* A rule without a reason is written with its default reason, and a
   * file without "verdict_policy" gains it. */
  {
    g_autoptr(VdPolicy) minimal =
      load ("{\"confidence_threshold\": 1, \"rules\": [{\"name\": \"r\", \"path\": \"p\", "
            "\"op\": \"!=\", \"value\": -2.5}]}");
    g_autofree char *text = vd_policy_to_data (minimal);

    g_assert_cmpstr (text, ==,
                     "{\n"
                     "  \"verdict_policy\": 1,\n"
                     "  \"confidence_threshold\": 1.0,\n"
                     "  \"sensitive_keywords\": [],\n"
                     "  \"high_risk_actions\": [],\n"
                     "  \"always_review_types\": [],\n"
                     "  \"task_types\": {},\n"
                     "  \"rules\": [\n"
                     "    {\n"
                     "      \"name\": \"r\",\n"
                     "      \"path\": \"p\",\n"
                     "      \"op\": \"!=\",\n"
                     "      \"value\": -2.5,\n"
                     "      \"reason\": \"policy_required\"\n"
                     "    }\n"
                     "  ]\n"
                     "}\n");
  }
}

static void
test_built_policy (void)
{
  g_autoptr(VdPolicy) policy = vd_policy_new ();
  g_autofree char *data = NULL;
  double threshold;

  vd_policy_set_confidence_threshold (policy, 0.6);
  g_object_get (policy, "confidence-threshold", &threshold, NULL);
  g_assert_cmpfloat (threshold, ==, 0.6);

  vd_policy_add_sensitive_keyword (policy, "secret");
  vd_policy_add_high_risk_action (policy, "drop table");
  vd_policy_add_always_review_type (policy, "legal");
  vd_policy_set_type_threshold (policy, "payments", 0.9);

  data = vd_policy_to_data (policy);
  g_assert_cmpstr (data, ==,
                   "{\n"
                   "  \"verdict_policy\": 1,\n"
                   "  \"confidence_threshold\": 0.6,\n"
                   "  \"sensitive_keywords\": [\n"
                   "    \"secret\"\n"
                   "  ],\n"
                   "  \"high_risk_actions\": [\n"
                   "    \"drop table\"\n"
                   "  ],\n"
                   "  \"always_review_types\": [\n"
                   "    \"legal\"\n"
                   "  ],\n"
                   "  \"task_types\": {\n"
                   "    \"payments\": {\n"
                   "      \"confidence_threshold\": 0.9\n"
                   "    }\n"
                   "  },\n"
                   "  \"rules\": []\n"
                   "}\n");
}

static void
on_notify (GObject    *object,
           GParamSpec *pspec,
           guint      *count)
{
  (*count)++;
}

static void
test_threshold_property (void)
{
  g_autoptr(VdPolicy) policy = vd_policy_new ();
  guint count = 0;

  g_signal_connect (policy, "notify::confidence-threshold", G_CALLBACK (on_notify), &count);

  vd_policy_set_confidence_threshold (policy, 0.7);
  g_assert_cmpuint (count, ==, 0);
  vd_policy_set_confidence_threshold (policy, 0.8);
  g_assert_cmpuint (count, ==, 1);
  g_object_set (policy, "confidence-threshold", 0.8, NULL);
  g_assert_cmpuint (count, ==, 1);
  g_object_set (policy, "confidence-threshold", 0.5, NULL);
  g_assert_cmpuint (count, ==, 2);
  g_assert_cmpfloat (vd_policy_get_confidence_threshold (policy), ==, 0.5);
}

static void
test_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *bad_path = NULL;
  g_autofree char *missing = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(VdPolicy) policy = NULL;
  g_autoptr(VdPolicy) bad = NULL;
  g_autoptr(VdPolicy) none = NULL;

  dir = vd_test_make_tmp_dir ("policy");

  path = g_build_filename (dir, "policy.json", NULL);
  g_file_set_contents (path, demo_policy, -1, &error);
  g_assert_no_error (error);
  policy = vd_policy_new_from_file (path, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (vd_policy_get_threshold_for_type (policy, "payments"), ==, 0.85);

  /* Errors name the file as given. */
  bad_path = g_build_filename (dir, "bad.json", NULL);
  g_file_set_contents (bad_path, "{\n  \"confidence_threshold\": 7\n}\n", -1, &error);
  g_assert_no_error (error);
  bad = vd_policy_new_from_file (bad_path, &error);
  g_assert_null (bad);
  g_assert_error (error, VD_POLICY_ERROR, VD_POLICY_ERROR_INVALID);
  expected = g_strdup_printf ("%s: confidence_threshold: expected a number from 0 to 1, found 7",
                              bad_path);
  g_assert_cmpstr (error->message, ==, expected);
  g_clear_error (&error);

  missing = g_build_filename (dir, "missing.json", NULL);
  none = vd_policy_new_from_file (missing, &error);
  g_assert_null (none);
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_clear_error (&error);

  g_assert_cmpint (g_remove (path), ==, 0);
  g_assert_cmpint (g_remove (bad_path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
test_sample_policy (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *data = NULL;
  g_autoptr(VdPolicy) policy = NULL;
  g_autoptr(VdPolicy) again = NULL;
  g_autofree char *data_again = NULL;
  const char *samples = g_getenv ("VERDICT_SAMPLES");

  if (samples != NULL)
    path = g_build_filename (samples, "policy.json", NULL);
  else
    path = g_test_build_filename (G_TEST_DIST, "..", "data", "samples", "policy.json", NULL);

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("data/samples/policy.json is not there yet");
      return;
    }

  policy = vd_policy_new_from_file (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (policy);

  data = vd_policy_to_data (policy);
  again = load (data);
  data_again = vd_policy_to_data (again);
  g_assert_cmpstr (data_again, ==, data);

  /* What the file says survives the round trip: every field it gives, and
   * every field of every rule, comes back equal. */
  {
    g_autoptr(JsonParser) parser = json_parser_new ();
    g_autoptr(JsonNode) written = vd_policy_to_json (policy);
    g_autoptr(GList) members = NULL;
    JsonObject *file_object;
    JsonObject *written_object = json_node_get_object (written);

    json_parser_load_from_file (parser, path, &error);
    g_assert_no_error (error);
    file_object = json_node_get_object (json_parser_get_root (parser));
    members = json_object_get_members (file_object);

    for (const GList *l = members; l != NULL; l = l->next)
      {
        JsonNode *file_value = json_object_get_member (file_object, l->data);
        JsonNode *written_value = json_object_get_member (written_object, l->data);

        g_test_message ("sample field %s", (const char *) l->data);
        g_assert_nonnull (written_value);

        if (g_str_equal (l->data, "rules"))
          {
            JsonArray *file_rules = json_node_get_array (file_value);
            JsonArray *written_rules = json_node_get_array (written_value);

            g_assert_cmpuint (json_array_get_length (file_rules), ==,
                              json_array_get_length (written_rules));
            for (guint i = 0; i < json_array_get_length (file_rules); i++)
              {
                JsonObject *file_rule = json_array_get_object_element (file_rules, i);
                JsonObject *written_rule = json_array_get_object_element (written_rules, i);
                g_autoptr(GList) keys = json_object_get_members (file_rule);

                for (const GList *k = keys; k != NULL; k = k->next)
                  g_assert_true (json_node_equal (json_object_get_member (file_rule, k->data),
                                                  json_object_get_member (written_rule,
                                                                          k->data)));
              }
          }
        else
          {
            g_assert_true (json_node_equal (file_value, written_value));
          }
      }
  }

  /* An output the policy cannot be sure of is escalated for low confidence. */
  {
    g_autoptr(VdPolicyResult) result = check (policy, "", "ok", 0.0, NULL);

    if (vd_policy_get_confidence_threshold (policy) > 0.0)
      g_assert_cmpint (result->reason, ==, VD_ESCALATION_REASON_LOW_CONFIDENCE);
  }
}

static void
test_result_boxed (void)
{
  g_autoptr(VdPolicy) policy = load (demo_policy);
  g_autoptr(VdPolicyResult) result = check (policy, "", "delete it", 0.9, NULL);
  g_autoptr(VdPolicyResult) copy = NULL;
  VdPolicyResult *boxed;

  g_assert_true (G_TYPE_IS_BOXED (VD_TYPE_POLICY_RESULT));

  copy = vd_policy_result_copy (result);
  g_assert_true (copy != result);
  g_assert_true (copy->explanation != result->explanation);
  g_assert_cmpint (copy->escalate, ==, TRUE);
  g_assert_cmpint (copy->reason, ==, VD_ESCALATION_REASON_SENSITIVE_CONTENT);
  g_assert_cmpint (copy->check, ==, VD_POLICY_CHECK_SENSITIVE_KEYWORD);
  g_assert_cmpfloat (copy->threshold, ==, 0.7);
  g_assert_cmpstr (copy->matched, ==, "delete");
  g_assert_cmpstr (copy->explanation, ==, "the output mentions the sensitive keyword “delete”");

  boxed = g_boxed_copy (VD_TYPE_POLICY_RESULT, result);
  g_assert_cmpstr (boxed->matched, ==, "delete");
  g_boxed_free (VD_TYPE_POLICY_RESULT, boxed);

  /* A result with nothing matched copies too. */
  {
    g_autoptr(VdPolicyResult) none = check (policy, "", "fine", 0.9, NULL);
    g_autoptr(VdPolicyResult) none_copy = vd_policy_result_copy (none);

    g_assert_null (none_copy->matched);
    g_assert_false (none_copy->escalate);
  }

  vd_policy_result_free (NULL);
}

/* The feedback loop's categories: read, kept by the writer, refused when
 * malformed, and of no effect on the checks. */
static void
test_feedback_categories (void)
{
  g_autoptr(VdPolicy) policy = NULL;
  g_autoptr(VdPolicy) plain = NULL;
  g_autoptr(VdPolicy) reread = NULL;
  g_autoptr(VdPolicyResult) result = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *data = NULL;
  g_auto(GStrv) categories = NULL;
  g_auto(GStrv) none = NULL;
  static const struct {
    const char *json;
    const char *message;
  } cases[] = {
    { "{\"feedback_categories\": \"tone\"}",
      "policy.json: feedback_categories: expected an array of strings, found \"tone\"" },
    { "{\"feedback_categories\": [\"tone\", \"\"]}",
      "policy.json: feedback_categories[1]: expected a non-empty string of at most 40 "
      "characters, found \"\"" },
    { "{\"feedback_categories\": [\"tone\", \"tone\"]}",
      "policy.json: feedback_categories[1]: “tone” is listed twice" },
    { "{\"feedback_categories\": [\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"]}",
      "policy.json: feedback_categories[0]: expected a non-empty string of at most 40 "
      "characters, found \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"" },
  };

  policy = load ("{\"confidence_threshold\": 0.7, "
                 "\"feedback_categories\": [\"accuracy\", \"tone\", \"Ton für Kunden\"]}");
  categories = vd_policy_dup_feedback_categories (policy);
  g_assert_cmpstrv (categories, ((const char * const[]) { "accuracy", "tone",
                                                          "Ton für Kunden", NULL }));

  data = vd_policy_to_data (policy);
  g_assert_nonnull (strstr (data, "  \"feedback_categories\": [\n    \"accuracy\",\n"
                                  "    \"tone\",\n    \"Ton für Kunden\"\n  ]\n}\n"));
  reread = load (data);
  g_clear_pointer (&categories, g_strfreev);
  categories = vd_policy_dup_feedback_categories (reread);
  g_assert_cmpuint (g_strv_length (categories), ==, 3);

  /* Without the field: none, and the writer leaves it out. */
  plain = load ("{\"confidence_threshold\": 0.7}");
  none = vd_policy_dup_feedback_categories (plain);
  g_assert_cmpuint (g_strv_length (none), ==, 0);
  node = vd_policy_to_json (plain);
  g_assert_false (json_object_has_member (json_node_get_object (node), "feedback_categories"));

  result = vd_policy_check (policy, NULL, "fine", 0.9, NULL);
  g_assert_cmpint (result->reason, ==, VD_ESCALATION_REASON_NONE);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(VdPolicy) bad = vd_policy_new_from_data (cases[i].json, -1, "policy.json",
                                                         &error);

      g_assert_null (bad);
      g_assert_error (error, VD_POLICY_ERROR, VD_POLICY_ERROR_INVALID);
      g_assert_cmpstr (error->message, ==, cases[i].message);
    }
}

static void
test_check_names (void)
{
  g_assert_cmpstr (vd_policy_check_to_string (VD_POLICY_CHECK_NONE), ==, "none");
  g_assert_cmpstr (vd_policy_check_to_string (VD_POLICY_CHECK_CONFIDENCE), ==, "confidence");
  g_assert_cmpstr (vd_policy_check_to_string (VD_POLICY_CHECK_SENSITIVE_KEYWORD), ==,
                   "sensitive_keyword");
  g_assert_cmpstr (vd_policy_check_to_string (VD_POLICY_CHECK_HIGH_RISK_ACTION), ==,
                   "high_risk_action");
  g_assert_cmpstr (vd_policy_check_to_string (VD_POLICY_CHECK_ALWAYS_REVIEW_TYPE), ==,
                   "always_review_type");
  g_assert_cmpstr (vd_policy_check_to_string (VD_POLICY_CHECK_RULE), ==, "rule");
}

/* Hardening: no input crashes the loader or slips past a rule. */

static void
test_guard_text (void)
{
  g_autoptr(GString) deep = g_string_new ("{\"rules\": ");
  g_autoptr(GString) deeper = g_string_new ("{\"rules\": ");
  g_autoptr(GString) large = g_string_new ("{}");
  g_autoptr(GError) error = NULL;
  g_autoptr(VdPolicy) policy = NULL;
  g_autofree char *message = NULL;

  /* Nesting json-glib would recurse through until the stack overflows. */
  for (guint i = 0; i < 100; i++)
    g_string_append_c (deep, '[');
  assert_load_error (deep->str,
                     "policy.json:1:74: arrays and objects nest more than 64 levels deep");
  /* 3 MB of it, under the size cap: refused at the 65th level. */
  for (guint i = 0; i < 500000; i++)
    g_string_append (deeper, "[{\"a\":");
  policy = vd_policy_new_from_data (deeper->str, deeper->len, "policy.json", &error);
  g_assert_null (policy);
  g_assert_error (error, VD_POLICY_ERROR, VD_POLICY_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==,
                   "policy.json:1:198: arrays and objects nest more than 64 levels deep");
  g_clear_error (&error);

  /* What json-glib would read wrongly without a word. */
  assert_load_error ("{\"confidence_threshold\": 99999999999999999999}",
                     "policy.json:1:26: an integer too large to represent exactly "
                     "(beyond 9223372036854775807)");
  assert_load_error ("{\"sensitive_keywords\": [\"de\\u0000lete\"]}",
                     "policy.json:1:28: a string holds \\u0000 (a NUL character), which text "
                     "cannot hold");
  policy = vd_policy_new_from_data ("{}\0{}", 5, "policy.json", &error);
  g_assert_null (policy);
  g_assert_cmpstr (error->message, ==,
                   "policy.json:1:3: a NUL byte, which a text file does not hold; is this the "
                   "right file?");
  g_clear_error (&error);

  /* The size cap. */
  g_string_append_len (large, "\n", 1);
  while (large->len <= VD_POLICY_MAX_BYTES)
    g_string_append_c (large, ' ');
  message = g_strdup_printf ("policy.json: %" G_GSIZE_FORMAT " bytes is too large for a policy "
                             "(at most 4 MiB); is this the right file?", large->len);
  policy = vd_policy_new_from_data (large->str, large->len, "policy.json", &error);
  g_assert_null (policy);
  g_assert_cmpstr (error->message, ==, message);
  g_clear_error (&error);
  g_string_truncate (large, VD_POLICY_MAX_BYTES);
  policy = vd_policy_new_from_data (large->str, large->len, "policy.json", &error);
  g_assert_no_error (error);
  g_assert_nonnull (policy);
}

static void
test_guard_values (void)
{
  static const struct {
    const char *json;
    const char *message;
  } cases[] = {
#define SURROGATE "not valid text: it holds an escape that is not a character (a lone " \
                  "surrogate such as \\ud800) or bytes that are not UTF-8"
#define TOO_LARGE "a number too large to represent (such as 1e999)"
    { "{\"sensitive_keywords\": [\"delete\", \"x\\ud800y\"]}",
      "policy.json: sensitive_keywords[1]: " SURROGATE },
    { "{\"high_risk_actions\": [\"\\udc00 x\"]}",
      "policy.json: high_risk_actions[0]: " SURROGATE },
    { "{\"always_review_types\": [\"a\\ud800b\"]}",
      "policy.json: always_review_types[0]: " SURROGATE },
    { "{\"rules\": [{\"name\": \"\\ud800r\", \"path\": \"a\", \"op\": \">\", \"value\": 1}]}",
      "policy.json: rules[0].name: " SURROGATE },
    { "{\"rules\": [{\"name\": \"r\", \"path\": \"a\\ud800.b\", \"op\": \">\", \"value\": 1}]}",
      "policy.json: rules[0].path: " SURROGATE },
    { "{\"rules\": [{\"name\": \"r\", \"path\": \"a\", \"op\": \"==\", \"value\": \"\\ud800 \"}]}",
      "policy.json: rules[0].value: " SURROGATE },
    { "{\"feedback_categories\": [\"tone\\udfff!\"]}",
      "policy.json: feedback_categories[0]: " SURROGATE },
    { "{\"task_types\": {\"pay\\ud800x\": {}}}",
      "policy.json: task_types: a member name is not valid text: it holds an escape that is "
      "not a character (a lone surrogate such as \\ud800)" },
    { "{\"rules\": [{\"name\": \"r\", \"path\": \"a\", \"op\": \">\", \"value\": 1e999}]}",
      "policy.json: rules[0].value: " TOO_LARGE },
    { "{\"rules\": [{\"name\": \"r\", \"path\": \"a\", \"op\": \"!=\", \"value\": -1e999}]}",
      "policy.json: rules[0].value: " TOO_LARGE },
    { "{\"confidence_threshold\": 1e999}",
      "policy.json: confidence_threshold: " TOO_LARGE },
    /* Even a root that is not an object: the message would quote it
     * (found by fuzz-policy). */
    { "\"d\\ud800x\"", "policy.json: " SURROGATE },
    /* Refused even where the loader would refuse the field anyway. */
    { "{\"unknown\": [1e400]}",
      "policy.json: unknown[0]: " TOO_LARGE },
#undef SURROGATE
#undef TOO_LARGE
  };
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(VdPolicy) policy = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_load_error (cases[i].json, cases[i].message);

  /* A tree built in memory gets the same checks. */
  json_object_set_double_member (object, "confidence_threshold", INFINITY);
  json_node_set_object (node, object);
  policy = vd_policy_new_from_json (node, "node", &error);
  g_assert_null (policy);
  g_assert_error (error, VD_POLICY_ERROR, VD_POLICY_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "node: confidence_threshold: a number too large to "
                   "represent (such as 1e999)");
}

static void
test_guard_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = vd_test_make_tmp_dir ("policy-guard");
  g_autofree char *path = g_build_filename (dir, "huge.json", NULL);
  g_autofree char *expected = NULL;
  g_autofree char *text = g_malloc (VD_POLICY_MAX_BYTES + 2);
  g_autoptr(VdPolicy) policy = NULL;

  /* Refused by its size before it is read. */
  memset (text, ' ', VD_POLICY_MAX_BYTES + 1);
  text[0] = '{';
  text[1] = '}';
  text[VD_POLICY_MAX_BYTES + 1] = '\0';
  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  policy = vd_policy_new_from_file (path, &error);
  g_assert_null (policy);
  g_assert_error (error, VD_POLICY_ERROR, VD_POLICY_ERROR_INVALID);
  expected = g_strdup_printf ("%s: 4194305 bytes is too large for a policy (at most 4 MiB); "
                              "is this the right file?", path);
  g_assert_cmpstr (error->message, ==, expected);

  vd_test_remove_tree (dir);
}

static void
test_numeric_text (void)
{
  g_autoptr(VdPolicy) policy = load (demo_policy);
  g_autoptr(VdItem) item = vd_item_new ("payments", "task_0001");
  g_autoptr(JsonObject) metadata = parse_object ("{\"amount\": \"12400\"}");
  g_autoptr(VdPolicyResult) result = NULL;

  /* The audit's case: a $12,400 payment whose amount is a string was
   * auto-approved at confidence 0.95. */
  vd_item_set_content (item, "Refund $12,400 to the original card.");
  vd_item_set_confidence (item, 0.95);
  vd_item_set_metadata (item, metadata);
  result = vd_policy_check_item (policy, item);
  assert_result (result, TRUE, VD_ESCALATION_REASON_HIGH_RISK_ACTION, VD_POLICY_CHECK_RULE,
                 "large payment",
                 "rule “large payment”: amount “12400” (text read as the number 12400) > 10000");
  vd_policy_result_free (g_steal_pointer (&result));

  /* Below the limit it passes, as the number would. */
  result = check (policy, "", "Refund $40.", 0.95, "{\"amount\": \"40.00\"}");
  g_assert_false (result->escalate);
}

static void
test_uncomparable (void)
{
  g_autoptr(VdPolicy) policy =
    load ("{\"rules\": ["
          "{\"name\": \"large payment\", \"path\": \"amount\", \"op\": \">\", \"value\": 10000,"
          " \"reason\": \"high_risk_action\"},"
          "{\"name\": \"gold customer\", \"path\": \"customer.tier\", \"op\": \"==\","
          " \"value\": \"gold\"},"
          "{\"name\": \"flag\", \"path\": \"flags\", \"op\": \"contains\", \"value\": \"fraud\","
          " \"reason\": \"user_requested\"}]}");
  static const struct {
    const char         *metadata;
    VdEscalationReason  reason;
    const char         *matched;
    const char         *explanation;
  } cases[] = {
    { "{\"amount\": \"12,400\"}", VD_ESCALATION_REASON_HIGH_RISK_ACTION, "large payment",
      "rule “large payment” (amount > 10000) cannot be applied: amount is “12,400”, not a "
      "number; a human must check it" },
    { "{\"amount\": \"12\\u200b400\"}", VD_ESCALATION_REASON_HIGH_RISK_ACTION, "large payment",
      "rule “large payment” (amount > 10000) cannot be applied: amount is “12\\u{200B}400”, "
      "not a number; a human must check it" },
    { "{\"amount\": {\"value\": 12400, \"currency\": \"USD\"}}",
      VD_ESCALATION_REASON_HIGH_RISK_ACTION, "large payment",
      "rule “large payment” (amount > 10000) cannot be applied: amount is "
      "{\"value\":12400,\"currency\":\"USD\"}, not a number; a human must check it" },
    { "{\"amount\": null}", VD_ESCALATION_REASON_HIGH_RISK_ACTION, "large payment",
      "rule “large payment” (amount > 10000) cannot be applied: amount is null, not a number; "
      "a human must check it" },
    { "{\"amount\": \"about 0123456789012345678901234567890123456789012345678901234567890\"}",
      VD_ESCALATION_REASON_HIGH_RISK_ACTION, "large payment",
      "rule “large payment” (amount > 10000) cannot be applied: amount is "
      "“about 012345678901234567890123456789012345678901234567890123…”, not a number; a human "
      "must check it" },
    { "{\"amount\": 5, \"customer\": \"acme\"}", VD_ESCALATION_REASON_POLICY_REQUIRED,
      "gold customer",
      "rule “gold customer” (customer.tier == “gold”) cannot be applied: customer is “acme”, "
      "not an object; a human must check it" },
    { "{\"amount\": 5, \"customer\": {\"tier\": 1}}", VD_ESCALATION_REASON_POLICY_REQUIRED,
      "gold customer",
      "rule “gold customer” (customer.tier == “gold”) cannot be applied: customer.tier is 1, "
      "not a string; a human must check it" },
    { "{\"flags\": 3}", VD_ESCALATION_REASON_USER_REQUESTED, "flag",
      "rule “flag” (flags contains “fraud”) cannot be applied: flags is 3, not a string or an "
      "array of strings; a human must check it" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(VdPolicyResult) result = check (policy, "", "fine", 0.95, cases[i].metadata);

      g_test_message ("metadata: %s", cases[i].metadata);
      assert_result (result, TRUE, cases[i].reason, VD_POLICY_CHECK_RULE, cases[i].matched,
                     cases[i].explanation);
    }

  /* A number that is not finite, from a caller that built the metadata. */
  {
    g_autoptr(JsonObject) metadata = json_object_new ();
    g_autoptr(VdPolicyResult) result = NULL;

    json_object_set_double_member (metadata, "amount", INFINITY);
    result = vd_policy_check (policy, "", "fine", 0.95, metadata);
    g_assert_cmpstr (result->explanation, ==,
                     "rule “large payment” (amount > 10000) cannot be applied: amount is inf, "
                     "not a finite number; a human must check it");
  }
}

static void
test_when_missing (void)
{
  static const char *escalating =
    "{\"rules\": [{\"name\": \"large payment\", \"path\": \"amount\", \"op\": \">\", "
    "\"value\": 10000, \"reason\": \"high_risk_action\", \"when_missing\": \"escalate\"}]}";
  g_autoptr(VdPolicy) ignoring = NULL;
  g_autoptr(VdPolicy) explicit_ignore = NULL;
  g_autoptr(VdPolicy) policy = load (escalating);
  g_autoptr(VdPolicy) again = NULL;
  g_autofree char *data = NULL;
  g_autofree char *data_again = NULL;
  g_autofree char *ignore_data = NULL;
  VdPolicyResult *result;

  assert_load_error ("{\"rules\": [{\"name\": \"r\", \"path\": \"a\", \"op\": \">\", "
                     "\"value\": 1, \"when_missing\": \"always\"}]}",
                     "policy.json: rules[0].when_missing: expected one of ignore, escalate, "
                     "found \"always\"");
  assert_load_error ("{\"rules\": [{\"name\": \"r\", \"path\": \"a\", \"op\": \">\", "
                     "\"value\": 1, \"when_missing\": true}]}",
                     "policy.json: rules[0].when_missing: expected one of ignore, escalate, "
                     "found true");

  /* Escalates items without the field, with or without metadata. */
  result = check (policy, "", "fine", 0.95, "{\"other\": 1}");
  assert_result (result, TRUE, VD_ESCALATION_REASON_HIGH_RISK_ACTION, VD_POLICY_CHECK_RULE,
                 "large payment",
                 "rule “large payment” (amount > 10000): the item has no amount, and the rule "
                 "says \"when_missing\": \"escalate\"");
  vd_policy_result_free (result);
  result = check (policy, "", "fine", 0.95, NULL);
  g_assert_true (result->escalate);
  vd_policy_result_free (result);
  result = check (policy, "", "fine", 0.95, "{\"amount\": 5}");
  g_assert_false (result->escalate);
  vd_policy_result_free (result);

  /* The default (and "ignore") lets them pass, as the reference would. */
  ignoring = load ("{\"rules\": [{\"name\": \"r\", \"path\": \"amount\", \"op\": \">\", "
                   "\"value\": 10000}]}");
  explicit_ignore = load ("{\"rules\": [{\"name\": \"r\", \"path\": \"amount\", \"op\": \">\", "
                          "\"value\": 10000, \"when_missing\": \"ignore\"}]}");
  result = check (ignoring, "", "fine", 0.95, "{}");
  g_assert_false (result->escalate);
  vd_policy_result_free (result);
  result = check (explicit_ignore, "", "fine", 0.95, "{}");
  g_assert_false (result->escalate);
  vd_policy_result_free (result);

  /* Written back when it is not the default, and read back the same. */
  data = vd_policy_to_data (policy);
  g_assert_nonnull (strstr (data, "      \"reason\": \"high_risk_action\",\n"
                                  "      \"when_missing\": \"escalate\"\n"));
  again = load (data);
  data_again = vd_policy_to_data (again);
  g_assert_cmpstr (data_again, ==, data);
  result = check (again, "", "fine", 0.95, "{}");
  g_assert_true (result->escalate);
  vd_policy_result_free (result);

  ignore_data = vd_policy_to_data (explicit_ignore);
  g_assert_null (strstr (ignore_data, "when_missing"));
}

static void
test_invisible_characters (void)
{
  g_autoptr(VdPolicy) policy =
    load ("{\"sensitive_keywords\": [\"delete\", \"pass\\u200bword\"], "
          "\"high_risk_actions\": [\"deploy\"], "
          "\"rules\": [{\"name\": \"fraud\", \"path\": \"note\", \"op\": \"contains\", "
          "\"value\": \"fraud\"}, {\"name\": \"gold\", \"path\": \"tier\", \"op\": \"==\", "
          "\"value\": \"gold\"}]}");
  static const struct {
    const char *content;
    const char *matched;
  } cases[] = {
    { "please del\u200bete it", "delete" },              /* zero-width space */
    { "please de\u00adlete it", "delete" },              /* soft hyphen */
    { "please del\u200dete it", "delete" },              /* zero-width joiner */
    { "please d\u2060elete it", "delete" },              /* word joiner */
    { "please dele\ufeffte it", "delete" },              /* BOM */
    { "please de\u202elete it", "delete" },              /* right-to-left override */
    { "please de\u2066lete\u2069 it", "delete" },        /* bidi isolate */
    { "please de\u034flete it", "delete" },              /* combining grapheme joiner */
    { "please del\ufe0fete it", "delete" },              /* variation selector */
    { "please d\U000E0041elete it", "delete" },          /* tag character */
    { "DEL\u200bETE", "delete" },
    { "the password is", "pass\u200bword" },             /* in the keyword too */
    { "dep\u200bloy now", "deploy" },
    { "nothing here", NULL },
  };
  g_autofree char *data = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(VdPolicyResult) result = check (policy, "", cases[i].content, 0.9, NULL);

      g_test_message ("content: %s", cases[i].content);
      g_assert_cmpint (result->escalate, ==, cases[i].matched != NULL);
      g_assert_cmpstr (result->matched, ==, cases[i].matched);
    }

  /* Rules see through them too. */
  {
    g_autoptr(VdPolicyResult) a = check (policy, "", "ok", 0.9, "{\"note\": \"fr\\u200baud\"}");
    g_autoptr(VdPolicyResult) b = check (policy, "", "ok", 0.9, "{\"tier\": \"go\\u200bld\"}");
    g_autoptr(VdPolicyResult) c = check (policy, "", "ok", 0.9, "{\"tier\": \"\\uff47old\"}");
    g_autoptr(VdPolicyResult) d = check (policy, "", "ok", 0.9, "{\"tier\": \"Gold\"}");

    g_assert_cmpstr (a->matched, ==, "fraud");
    g_assert_cmpstr (b->matched, ==, "gold");
    g_assert_cmpstr (c->matched, ==, "gold");
    g_assert_false (d->escalate);
  }

  /* A keyword of invisible characters alone would match every output. */
  assert_load_error ("{\"sensitive_keywords\": [\"\\u200b\\u00ad\"]}",
                     "policy.json: sensitive_keywords[0]: expected a keyword with at least one "
                     "visible character, found \"\\u200b\\u00ad\"");
  assert_load_error ("{\"high_risk_actions\": [\"\\u2060\"]}",
                     "policy.json: high_risk_actions[0]: expected an action with at least one "
                     "visible character, found \"\\u2060\"");
  assert_load_error ("{\"rules\": [{\"name\": \"r\", \"path\": \"a\", \"op\": \"contains\", "
                     "\"value\": \"\\ufeff\"}]}",
                     "policy.json: rules[0].value: expected a string with at least one visible "
                     "character for “contains”, found \"\\ufeff\"");
  {
    g_autoptr(VdPolicy) built = vd_policy_new ();
    g_autoptr(VdPolicyResult) result = NULL;
    g_autofree char *text = NULL;

    vd_policy_add_sensitive_keyword (built, "\u200b");
    result = check (built, "", "anything", 0.9, NULL);
    g_assert_false (result->escalate);
    text = vd_policy_to_data (built);
    g_assert_nonnull (strstr (text, "\"sensitive_keywords\": [],"));
  }

  /* The written form spells them out, and reads back the same. */
  data = vd_policy_to_data (policy);
  g_assert_nonnull (strstr (data, "\"pass\\u200bword\""));
  {
    g_autoptr(VdPolicy) again = load (data);
    g_autofree char *data_again = vd_policy_to_data (again);

    g_assert_cmpstr (data_again, ==, data);
  }
}

static void
test_mixed_scripts (void)
{
  g_autoptr(VdPolicy) policy = load ("{\"sensitive_keywords\": [\"delete\"]}");
  g_autoptr(VdPolicy) actions = load ("{\"high_risk_actions\": [\"deploy\"]}");
  g_autoptr(VdPolicy) plain = vd_policy_new ();
  static const struct {
    const char *content;
    const char *word;          /* NULL: not escalated */
    const char *explanation;
  } cases[] = {
    { "Please d\u0435lete the file", "d\u0435lete",
      "the word “d\u0435lete” mixes Latin and Cyrillic letters, a way to hide a keyword" },
    { "Please d\u03b5lete the file", "d\u03b5lete",
      "the word “d\u03b5lete” mixes Latin and Greek letters, a way to hide a keyword" },
    { "d\u0435l\u03b5te", "d\u0435l\u03b5te",
      "the word “d\u0435l\u03b5te” mixes Latin, Cyrillic and Greek letters, a way to hide a "
      "keyword" },
    /* Invisible characters do not split the word. */
    { "d\u200b\u0435lete", "d\u0435lete",
      "the word “d\u0435lete” mixes Latin and Cyrillic letters, a way to hide a keyword" },
    { "\u0440\u0430yment", "\u0440\u0430yment",
      "the word “\u0440\u0430yment” mixes Latin and Cyrillic letters, a way to hide a keyword" },
    /* Whole words of one script, digits, marks and signs are ordinary. */
    { "Meeting in \u041c\u043e\u0441\u043a\u0432\u0430 and London", NULL, NULL },
    { "\u0395\u03bb\u03bb\u03ac\u03b4\u03b1 5G caf\u00e9 cafe\u0301 na\u00efve x\u00b2", NULL,
      NULL },
    { "a pulse of 5\u00b5s", NULL, NULL },
    { "iPhone\u624b\u673a", NULL, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(VdPolicyResult) result = check (policy, "", cases[i].content, 0.9, NULL);
      g_autoptr(VdPolicyResult) by_action = check (actions, "", cases[i].content, 0.9, NULL);
      g_autoptr(VdPolicyResult) by_plain = check (plain, "", cases[i].content, 0.9, NULL);

      g_test_message ("content: %s", cases[i].content);
      if (cases[i].word != NULL)
        assert_result (result, TRUE, VD_ESCALATION_REASON_SENSITIVE_CONTENT,
                       VD_POLICY_CHECK_MIXED_SCRIPT, cases[i].word, cases[i].explanation);
      else
        g_assert_false (result->escalate);
      g_assert_cmpint (by_action->escalate, ==, result->escalate);
      /* Nothing to hide from a policy without keywords or actions. */
      g_assert_false (by_plain->escalate);
    }

  /* A keyword found as it is wins, with its own explanation. */
  {
    g_autoptr(VdPolicyResult) result = check (policy, "", "delete d\u0435lete", 0.9, NULL);

    g_assert_cmpint (result->check, ==, VD_POLICY_CHECK_SENSITIVE_KEYWORD);
  }

  /* A long word is cut in the sentence. */
  {
    g_autoptr(GString) word = g_string_new ("\u0430");
    g_autoptr(VdPolicyResult) result = NULL;

    for (guint i = 0; i < 100; i++)
      g_string_append_c (word, 'b');
    result = check (policy, "", word->str, 0.9, NULL);
    g_assert_cmpint (result->check, ==, VD_POLICY_CHECK_MIXED_SCRIPT);
    g_assert_cmpstr (result->explanation, ==,
                     "the word “\u0430bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb…” mixes Latin and "
                     "Cyrillic letters, a way to hide a keyword");
  }

  g_assert_cmpstr (vd_policy_check_to_string (VD_POLICY_CHECK_MIXED_SCRIPT), ==, "mixed_script");
}

static void
test_nan_confidence (void)
{
  g_autoptr(VdPolicy) policy = vd_policy_new ();
  g_autoptr(VdPolicyResult) result = check (policy, "", "fine", NAN, NULL);

  assert_result (result, TRUE, VD_ESCALATION_REASON_LOW_CONFIDENCE, VD_POLICY_CHECK_CONFIDENCE,
                 NULL, "no confidence given");
}

/* A policy nobody chose approves nothing: every item that no other check
 * escalates is queued as policy_required; the others keep their reason. */
static void
test_review_all (void)
{
  g_autoptr(VdPolicy) policy = vd_policy_new_review_all ();
  g_autoptr(VdPolicy) loaded = NULL;
  g_autoptr(VdPolicy) plain = NULL;
  g_autoptr(VdPolicyResult) sure = check (policy, "payment", "Pay invoice 12", 0.99, NULL);
  g_autoptr(VdPolicyResult) unsure = check (policy, "payment", "Pay invoice 12", 0.2, NULL);
  g_autofree char *data = NULL;

  g_assert_true (vd_policy_get_review_all (policy));
  assert_result (sure, TRUE, VD_ESCALATION_REASON_POLICY_REQUIRED, VD_POLICY_CHECK_REVIEW_ALL,
                 NULL, "no policy allowing automatic approval was chosen, so every item is "
                 "reviewed");
  g_assert_cmpstr (vd_policy_check_to_string (sure->check), ==, "review_all");
  g_assert_cmpint (unsure->reason, ==, VD_ESCALATION_REASON_LOW_CONFIDENCE);

  /* It survives the round trip through the store's JSON. */
  data = vd_policy_to_data (policy);
  g_assert_nonnull (strstr (data, "\"review_all\": true"));
  loaded = load (data);
  g_assert_true (vd_policy_get_review_all (loaded));

  plain = load ("{\"review_all\": false}");
  g_assert_false (vd_policy_get_review_all (plain));
  assert_load_error ("{\"review_all\": 1}",
                     "policy.json: review_all: expected true or false, found 1");
}

static VdItem *
item_with_metadata (const char *task_id,
                    const char *metadata_json)
{
  g_autoptr(JsonObject) metadata = parse_object (metadata_json);
  VdItem *item = vd_item_new ("q", task_id);

  if (metadata != NULL)
    vd_item_set_metadata (item, metadata);
  return item;
}

static void
test_missing_fields (void)
{
  g_autoptr(VdPolicy) policy =
    load ("{\"rules\": ["
          "{\"name\": \"large payment\", \"path\": \"amount\", \"op\": \">\", \"value\": 10000},"
          "{\"name\": \"strict\", \"path\": \"amount\", \"op\": \">\", \"value\": 1,"
          " \"when_missing\": \"escalate\"},"
          "{\"name\": \"gold\", \"path\": \"customer.tier\", \"op\": \"==\", \"value\": \"gold\"},"
          "{\"name\": \"present\", \"path\": \"present\", \"op\": \"==\", \"value\": 1}]}");
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) missing = NULL;
  VdPolicyMissingField *entry;

  g_ptr_array_add (items, item_with_metadata ("a", "{\"amount\": 5, \"present\": 1, "
                                              "\"customer\": {\"tier\": \"gold\"}}"));
  g_ptr_array_add (items, item_with_metadata ("b", "{\"present\": 1}"));
  g_ptr_array_add (items, item_with_metadata ("c", NULL));
  /* A path through a value that is not an object escalates: not missing. */
  g_ptr_array_add (items, item_with_metadata ("d", "{\"amount\": \"x\", \"present\": 2, "
                                              "\"customer\": \"acme\"}"));

  missing = vd_policy_find_missing_fields (policy, items);
  g_assert_cmpuint (missing->len, ==, 3);

  entry = g_ptr_array_index (missing, 0);
  g_assert_cmpuint (entry->rule, ==, 0);
  g_assert_cmpstr (entry->name, ==, "large payment");
  g_assert_cmpstr (entry->path, ==, "amount");
  g_assert_cmpuint (entry->missing, ==, 2);
  g_assert_cmpuint (entry->total, ==, 4);
  g_assert_cmpstr (entry->message, ==,
                   "rule 1 “large payment” (amount > 10000): field amount is missing from 2 of 4 "
                   "items; they pass this rule unless it says \"when_missing\": \"escalate\"");

  entry = g_ptr_array_index (missing, 1);
  g_assert_cmpuint (entry->rule, ==, 2);
  g_assert_cmpuint (entry->missing, ==, 2);
  g_assert_cmpstr (entry->message, ==,
                   "rule 3 “gold” (customer.tier == “gold”): field customer.tier is missing from "
                   "2 of 4 items; they pass this rule unless it says \"when_missing\": "
                   "\"escalate\"");

  entry = g_ptr_array_index (missing, 2);
  g_assert_cmpuint (entry->rule, ==, 3);
  g_assert_cmpuint (entry->missing, ==, 1);
  g_assert_cmpstr (entry->message, ==,
                   "rule 4 “present” (present == 1): field present is missing from 1 of 4 items; "
                   "it passes this rule unless the rule says \"when_missing\": \"escalate\"");
}

typedef struct
{
  VdPolicy *policy;
  gboolean  ok;
} ThreadData;

static gpointer
check_in_thread (gpointer user_data)
{
  ThreadData *data = user_data;
  g_autoptr(JsonObject) metadata = parse_object ("{\"amount\": \"12400\"}");

  data->ok = TRUE;
  for (guint i = 0; i < 200; i++)
    {
      g_autoptr(VdPolicyResult) a = vd_policy_check (data->policy, "", "del\u200bete", 0.9, NULL);
      g_autoptr(VdPolicyResult) b = vd_policy_check (data->policy, "", "d\u0435lete", 0.9, NULL);
      g_autoptr(VdPolicyResult) c = vd_policy_check (data->policy, "", "ok", 0.9, metadata);

      data->ok = data->ok &&
                 a->check == VD_POLICY_CHECK_SENSITIVE_KEYWORD &&
                 b->check == VD_POLICY_CHECK_MIXED_SCRIPT &&
                 c->check == VD_POLICY_CHECK_RULE;
    }

  return NULL;
}

static void
test_threads (void)
{
  g_autoptr(VdPolicy) policy = load (demo_policy);
  ThreadData data[4];
  GThread *threads[4];

  /* The importer and the agent loop check items on worker threads. */
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    {
      data[i].policy = policy;
      threads[i] = g_thread_new ("check", check_in_thread, &data[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    {
      g_thread_join (threads[i]);
      g_assert_true (data[i].ok);
    }
}

/* Reviewers, trusted queue sources and the policy's SHA-256 */

static char *
signing_policy_json (VdKey *alice,
                     VdKey *bob,
                     VdKey *agent,
                     VdKey *other_agent)
{
  g_autofree char *alice_line = vd_key_format_public (alice);
  g_autofree char *bob_line = vd_key_format_public (bob);
  g_autofree char *agent_line = vd_key_format_public (agent);
  g_autofree char *other_line = vd_key_format_public (other_agent);

  return g_strdup_printf ("{\n"
                          "  \"confidence_threshold\": 0.8,\n"
                          "  \"reviewers\": [\n"
                          "    {\"id\": \"alice\", \"public_key\": \"%s\", \"roles\": [\"reviewer\"]},\n"
                          "    {\"id\": \"bob\", \"public_key\": \"%s\",\n"
                          "     \"roles\": [\"reviewer\", \"senior\"]}\n"
                          "  ],\n"
                          "  \"trusted_sources\": [\"%s\",\n"
                          "    {\"name\": \"triage-agent\", \"public_key\": \"%s\"}],\n"
                          "  \"require_signed_queues\": true\n"
                          "}\n",
                          alice_line, bob_line, agent_line, other_line);
}

static VdKey *
new_key (const char *owner)
{
  g_autoptr(GError) error = NULL;
  VdKey *key = vd_key_generate (owner, &error);

  g_assert_no_error (error);
  return key;
}

static void
test_signing_keys (void)
{
  g_autoptr(VdKey) alice = new_key ("alice");
  g_autoptr(VdKey) bob = new_key ("bob");
  g_autoptr(VdKey) agent = new_key (NULL);
  g_autoptr(VdKey) other_agent = new_key ("triage-agent");
  g_autofree char *json = signing_policy_json (alice, bob, agent, other_agent);
  g_autoptr(VdPolicy) policy = load (json);
  g_autoptr(VdPolicy) plain = load ("{\"confidence_threshold\": 0.8}");
  g_autoptr(VdPolicy) again = NULL;
  g_autofree char *data = NULL;
  g_autofree char *data_again = NULL;
  g_autofree char *plain_data = NULL;
  GPtrArray *sources;
  VdRoster *roster;

  roster = vd_policy_get_roster (policy);
  g_assert_nonnull (roster);
  g_assert_cmpuint (vd_roster_get_n_reviewers (roster), ==, 2);
  g_assert_true (vd_key_equal_public (vd_roster_lookup_key (roster, "alice"), alice));
  g_assert_true (vd_roster_has_role (roster, "bob", VD_ROLE_SENIOR));
  g_assert_false (vd_roster_has_role (roster, "alice", VD_ROLE_SENIOR));

  sources = vd_policy_get_trusted_sources (policy);
  g_assert_cmpuint (sources->len, ==, 2);
  g_assert_true (vd_key_equal_public (g_ptr_array_index (sources, 0), agent));
  g_assert_cmpstr (vd_key_get_owner (g_ptr_array_index (sources, 0)), ==, "");
  g_assert_true (vd_key_equal_public (g_ptr_array_index (sources, 1), other_agent));
  g_assert_cmpstr (vd_key_get_owner (g_ptr_array_index (sources, 1)), ==, "triage-agent");
  g_assert_true (vd_policy_get_require_signed_queues (policy));

  /* Without the keys: no roster, no sources, unsigned queues accepted,
   * and the written form is as before they existed. */
  g_assert_null (vd_policy_get_roster (plain));
  g_assert_nonnull (vd_policy_get_trusted_sources (plain));
  g_assert_cmpuint (vd_policy_get_trusted_sources (plain)->len, ==, 0);
  g_assert_false (vd_policy_get_require_signed_queues (plain));
  plain_data = vd_policy_to_data (plain);
  g_assert_null (strstr (plain_data, "reviewers"));
  g_assert_null (strstr (plain_data, "trusted_sources"));
  g_assert_null (strstr (plain_data, "require_signed_queues"));

  /* Written back and read again: the same roster and sources, the same
   * text, and a bare key stays bare. */
  data = vd_policy_to_data (policy);
  again = load (data);
  data_again = vd_policy_to_data (again);
  g_assert_cmpstr (data, ==, data_again);
  g_assert_cmpuint (vd_roster_get_n_reviewers (vd_policy_get_roster (again)), ==, 2);
  g_assert_true (vd_key_equal_public (vd_roster_lookup_key (vd_policy_get_roster (again), "bob"),
                                      bob));
  g_assert_true (vd_roster_has_role (vd_policy_get_roster (again), "bob", VD_ROLE_SENIOR));
  g_assert_cmpuint (vd_policy_get_trusted_sources (again)->len, ==, 2);
  g_assert_cmpstr (vd_key_get_owner (g_ptr_array_index (vd_policy_get_trusted_sources (again), 0)),
                   ==, "");
  g_assert_cmpstr (vd_key_get_owner (g_ptr_array_index (vd_policy_get_trusted_sources (again), 1)),
                   ==, "triage-agent");
  g_assert_true (vd_policy_get_require_signed_queues (again));
}

static void
assert_policy_refused (const char *json,
                       const char *message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VdPolicy) policy = vd_policy_new_from_data (json, -1, "POLICY.json", &error);

  g_assert_null (policy);
  g_assert_error (error, VD_POLICY_ERROR, VD_POLICY_ERROR_INVALID);
  if (!g_str_has_prefix (error->message, message))
    g_error ("expected a message starting with “%s”, got “%s”", message, error->message);
}

static void
test_signing_errors (void)
{
  g_autoptr(VdKey) alice = new_key ("alice");
  g_autoptr(VdKey) bob = new_key ("bob");
  g_autofree char *alice_line = vd_key_format_public (alice);
  g_autofree char *bob_line = vd_key_format_public (bob);
  g_autofree char *bad_bob = g_strdup (bob_line);
  g_autofree char *json = NULL;

  /* One changed character in the key type: not an Ed25519 minisign key. */
  bad_bob[1] = 'X';

  json = g_strdup_printf ("{\"reviewers\": [{\"id\": \"alice\", \"public_key\": \"%s\", "
                          "\"roles\": [\"reviewer\"]}, {\"id\": \"bob\", \"public_key\": "
                          "\"%s\", \"roles\": [\"reviewer\"]}]}", alice_line, bad_bob);
  assert_policy_refused (json, "POLICY.json: reviewers[1].public_key: The public key is not "
                         "an Ed25519 minisign key");
  g_clear_pointer (&json, g_free);

  json = g_strdup_printf ("{\"reviewers\": [{\"id\": \"alice\", \"public_key\": \"%s\", "
                          "\"roles\": [\"reviewer\"]}, {\"id\": \"alice\", \"public_key\": "
                          "\"%s\", \"roles\": [\"senior\"]}]}", alice_line, bob_line);
  assert_policy_refused (json, "POLICY.json: reviewers[1].id: “alice” is listed twice "
                         "(also reviewers[0])");
  g_clear_pointer (&json, g_free);

  assert_policy_refused ("{\"reviewers\": []}", "POLICY.json: reviewers: the list is empty");
  assert_policy_refused ("{\"reviewers\": {\"alice\": 1}}",
                         "POLICY.json: reviewers: expected an array of reviewers, found an "
                         "object");

  json = g_strdup_printf ("{\"trusted_sources\": [\"%s\", \"RWQ\"]}", alice_line);
  assert_policy_refused (json, "POLICY.json: trusted_sources[1]: The public key has the wrong "
                         "length");
  g_clear_pointer (&json, g_free);

  json = g_strdup_printf ("{\"trusted_sources\": [{\"name\": \"agent\", \"public_key\": "
                          "\"%s\"}]}", bad_bob);
  assert_policy_refused (json, "POLICY.json: trusted_sources[0].public_key: The public key is "
                         "not an Ed25519 minisign key");
  g_clear_pointer (&json, g_free);

  json = g_strdup_printf ("{\"trusted_sources\": [{\"name\": \"agent\", \"key\": \"%s\"}]}",
                          alice_line);
  assert_policy_refused (json, "POLICY.json: trusted_sources[0]: unknown field “key”");
  g_clear_pointer (&json, g_free);

  json = g_strdup_printf ("{\"trusted_sources\": [{\"public_key\": \"%s\"}]}", alice_line);
  assert_policy_refused (json, "POLICY.json: trusted_sources[0]: missing field “name”");
  g_clear_pointer (&json, g_free);

  json = g_strdup_printf ("{\"trusted_sources\": [{\"name\": \"\", \"public_key\": \"%s\"}]}",
                          alice_line);
  assert_policy_refused (json, "POLICY.json: trusted_sources[0].name: expected a non-empty "
                         "string, found \"\"");
  g_clear_pointer (&json, g_free);

  json = g_strdup_printf ("{\"trusted_sources\": [\"%s\", {\"name\": \"a\", \"public_key\": "
                          "\"%s\"}]}", alice_line, alice_line);
  {
    g_autofree char *message = g_strdup_printf ("POLICY.json: trusted_sources[1].public_key: "
                                                "the key %s is listed twice "
                                                "(also trusted_sources[0])",
                                                vd_key_get_id (alice));
    assert_policy_refused (json, message);
  }
  g_clear_pointer (&json, g_free);

  assert_policy_refused ("{\"trusted_sources\": [42]}",
                         "POLICY.json: trusted_sources[0]: expected a minisign public key, or "
                         "an object with “name” and “public_key”, found 42");
  assert_policy_refused ("{\"trusted_sources\": \"RW\"}",
                         "POLICY.json: trusted_sources: expected an array of public keys");
  assert_policy_refused ("{\"require_signed_queues\": \"yes\"}",
                         "POLICY.json: require_signed_queues: expected true or false, found "
                         "\"yes\"");

  /* Whatever the order of the fields. */
  assert_policy_refused ("{\"require_signed_queues\": true}",
                         "POLICY.json: require_signed_queues needs trusted_sources");
  assert_policy_refused ("{\"require_signed_queues\": true, \"trusted_sources\": []}",
                         "POLICY.json: require_signed_queues needs trusted_sources");
  json = g_strdup_printf ("{\"require_signed_queues\": false, \"trusted_sources\": []}");
  g_object_unref (load (json));
}

static void
test_sha256 (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = vd_test_make_tmp_dir ("policy-sha");
  g_autofree char *path = g_build_filename (dir, "policy.json", NULL);
  /* Spaced as nobody's writer would: the hash is of these bytes. */
  const char *text = "{ \"confidence_threshold\" : 0.8,\n  \"sensitive_keywords\": [\"iban\"] }\n";
  g_autofree char *file_sha = g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, -1);
  g_autoptr(VdPolicy) from_file = NULL;
  g_autoptr(VdPolicy) from_data = NULL;
  g_autoptr(VdPolicy) built = vd_policy_new ();
  g_autofree char *written = NULL;
  g_autofree char *written_sha = NULL;
  g_autofree char *built_sha = NULL;
  g_autofree char *changed_sha = NULL;

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  from_file = vd_policy_new_from_file (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (vd_policy_get_sha256 (from_file), ==, file_sha);
  /* Asked again: the same string. */
  g_assert_true (vd_policy_get_sha256 (from_file) == vd_policy_get_sha256 (from_file));

  /* Not from a file: the hash of the written form, which the store keeps. */
  from_data = load (text);
  written = vd_policy_to_data (from_data);
  written_sha = g_compute_checksum_for_string (G_CHECKSUM_SHA256, written, -1);
  g_assert_cmpstr (vd_policy_get_sha256 (from_data), ==, written_sha);
  g_assert_cmpstr (written_sha, !=, file_sha);

  g_clear_pointer (&written, g_free);
  written = vd_policy_to_data (built);
  built_sha = g_compute_checksum_for_string (G_CHECKSUM_SHA256, written, -1);
  g_assert_cmpstr (vd_policy_get_sha256 (built), ==, built_sha);

  /* Changed after loading: no longer the file's bytes. */
  vd_policy_set_confidence_threshold (from_file, 0.9);
  g_clear_pointer (&written, g_free);
  written = vd_policy_to_data (from_file);
  changed_sha = g_compute_checksum_for_string (G_CHECKSUM_SHA256, written, -1);
  g_assert_cmpstr (vd_policy_get_sha256 (from_file), ==, changed_sha);
  g_assert_cmpstr (changed_sha, !=, file_sha);

  vd_policy_add_sensitive_keyword (built, "password");
  g_assert_cmpstr (vd_policy_get_sha256 (built), !=, built_sha);

  vd_test_remove_tree (dir);
}

static VdItem *
payment_item (const char *task_type,
              const char *metadata_json)
{
  g_autoptr(JsonObject) metadata = parse_object (metadata_json);
  VdItem *item = vd_item_new ("q", "t1");

  vd_item_set_task_type (item, task_type);
  vd_item_set_metadata (item, metadata);
  return item;
}

/* Four-eyes review: the highest reviews_required that applies wins. */
static void
test_reviews_required (void)
{
  static const struct {
    const char *json;
    const char *message;
  } errors[] = {
    { "{\"task_types\": {\"payments\": {\"reviews_required\": 3}}}",
      "policy.json: task_types.payments.reviews_required: expected 1 or 2, found 3" },
    { "{\"reviews_required\": 0}",
      "policy.json: reviews_required: expected 1 or 2, found 0" },
    { "{\"reviews_required\": 1.5}",
      "policy.json: reviews_required: expected 1 or 2, found 1.5" },
    { "{\"reviews_required\": \"2\"}",
      "policy.json: reviews_required: expected 1 or 2, found \"2\"" },
    { "{\"rules\": [{\"name\": \"big\", \"path\": \"amount\", \"op\": \">\", "
      "\"value\": 10000, \"reviews_required\": true}]}",
      "policy.json: rules[0].reviews_required: expected 1 or 2, found true" },
    { "{\"rules\": [{\"name\": \"big\", \"path\": \"amount\", \"op\": \">\", "
      "\"value\": 10000, \"reason\": \"reviewers_disagree\"}]}",
      "policy.json: rules[0].reason: expected one of low_confidence, sensitive_content, "
      "high_risk_action, ambiguous_input, error_occurred, policy_required, user_requested, "
      "found \"reviewers_disagree\"" },
  };
  g_autoptr(VdPolicy) none = load ("{}");
  g_autoptr(VdPolicy) policy = NULL;
  g_autoptr(VdPolicy) global = NULL;
  g_autoptr(VdPolicy) again = NULL;
  g_autoptr(VdItem) small = payment_item ("refund", "{\"amount\": 50}");
  g_autoptr(VdItem) big = payment_item ("refund", "{\"amount\": 50000}");
  g_autoptr(VdItem) pay = payment_item ("payments", "{\"amount\": 50}");
  g_autoptr(VdItem) odd = payment_item ("refund", "{\"amount\": \"lots\"}");
  g_autofree char *data = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (errors); i++)
    assert_load_error (errors[i].json, errors[i].message);

  g_assert_cmpuint (vd_policy_get_reviews_required (none, big), ==, 1);

  policy = load ("{\"task_types\": {\"payments\": {\"reviews_required\": 2}}, "
                 "\"rules\": [{\"name\": \"big\", \"path\": \"amount\", \"op\": \">\", "
                 "\"value\": 10000, \"reviews_required\": 2}]}");
  g_assert_cmpuint (vd_policy_get_reviews_required (policy, small), ==, 1);
  g_assert_cmpuint (vd_policy_get_reviews_required (policy, big), ==, 2);
  g_assert_cmpuint (vd_policy_get_reviews_required (policy, pay), ==, 2);
  /* A rule that cannot compare fails closed: two reviewers. */
  g_assert_cmpuint (vd_policy_get_reviews_required (policy, odd), ==, 2);

  /* The top level's applies to everything; a type's 1 does not lower it. */
  global = load ("{\"reviews_required\": 2, "
                 "\"task_types\": {\"refund\": {\"reviews_required\": 1}}}");
  g_assert_cmpuint (vd_policy_get_reviews_required (global, small), ==, 2);

  /* Written back and read again, the same. */
  data = vd_policy_to_data (policy);
  g_assert_nonnull (strstr (data, "\"reviews_required\": 2"));
  again = load (data);
  g_assert_cmpuint (vd_policy_get_reviews_required (again, big), ==, 2);
  g_assert_cmpuint (vd_policy_get_reviews_required (again, pay), ==, 2);
  g_assert_cmpuint (vd_policy_get_reviews_required (again, small), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/policy/defaults", test_defaults);
  g_test_add_func ("/policy/every-reason", test_every_reason);
  g_test_add_func ("/policy/order", test_order);
  g_test_add_func ("/policy/threshold-boundary", test_threshold_boundary);
  g_test_add_func ("/policy/type-thresholds", test_type_thresholds);
  g_test_add_func ("/policy/unicode-folding", test_unicode_folding);
  g_test_add_func ("/policy/only-content-searched", test_only_content_searched);
  g_test_add_func ("/policy/check-item", test_check_item);
  g_test_add_func ("/policy/rules/operators", test_rule_operators);
  g_test_add_func ("/policy/rules/type-mismatch", test_type_mismatch);
  g_test_add_func ("/policy/rules/nested-paths", test_nested_paths);
  g_test_add_func ("/policy/rules/missing-paths", test_missing_paths);
  g_test_add_func ("/policy/explanations", test_explanations);
  g_test_add_func ("/policy/load/errors", test_loader_errors);
  g_test_add_func ("/policy/load/invalid-json", test_invalid_json);
  g_test_add_func ("/policy/load/file", test_file);
  g_test_add_func ("/policy/load/sample", test_sample_policy);
  g_test_add_func ("/policy/round-trip", test_round_trip);
  g_test_add_func ("/policy/built", test_built_policy);
  g_test_add_func ("/policy/threshold-property", test_threshold_property);
  g_test_add_func ("/policy/result-boxed", test_result_boxed);
  g_test_add_func ("/policy/check-names", test_check_names);
  g_test_add_func ("/policy/feedback-categories", test_feedback_categories);
  g_test_add_func ("/policy/guard/text", test_guard_text);
  g_test_add_func ("/policy/guard/values", test_guard_values);
  g_test_add_func ("/policy/guard/file", test_guard_file);
  g_test_add_func ("/policy/rules/numeric-text", test_numeric_text);
  g_test_add_func ("/policy/rules/uncomparable", test_uncomparable);
  g_test_add_func ("/policy/rules/when-missing", test_when_missing);
  g_test_add_func ("/policy/rules/missing-fields", test_missing_fields);
  g_test_add_func ("/policy/keywords/invisible", test_invisible_characters);
  g_test_add_func ("/policy/keywords/mixed-scripts", test_mixed_scripts);
  g_test_add_func ("/policy/nan-confidence", test_nan_confidence);
  g_test_add_func ("/policy/review-all", test_review_all);
  g_test_add_func ("/policy/reviews-required", test_reviews_required);
  g_test_add_func ("/policy/threads", test_threads);
  g_test_add_func ("/policy/signing/keys", test_signing_keys);
  g_test_add_func ("/policy/signing/errors", test_signing_errors);
  g_test_add_func ("/policy/signing/sha256", test_sha256);

  return g_test_run ();
}
