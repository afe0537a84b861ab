/* fuzz-policy.c: libFuzzer target for the escalation policy
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

#include "vd-item.h"
#include "vd-policy.h"
#include "fuzz-common.h"

/*
 * The input is a policy file. Besides not crashing, the policy keeps these
 * promises, checked on every input:
 *  - a policy that loads runs over a fixed set of items (numbers, numeric
 *    and other strings, nested and missing fields, hidden and look-alike
 *    keywords) without a fault, and every result has a valid UTF-8
 *    explanation;
 *  - written back, it loads again, and writes the same text again: what
 *    the store keeps of an import's policy always reads back;
 *  - the input also serves as an item's content for a fixed policy, so
 *    that the normalisation and the mixed-script search see any bytes.
 */

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* Kept for the life of the process: reachable, so not leaks. */
static GPtrArray *items;
static VdPolicy *content_policy;

static const struct {
  const char *task_type;
  const char *content;
  double      confidence;
  const char *metadata;   /* JSON object, or NULL */
} item_specs[] = {
  { "payment", "Refund $12,400 to the original card.", 0.95, "{\"amount\": \"12400\"}" },
  { "payment", "Wire the funds.", 0.91, "{\"amount\": 25000, \"customer\": {\"tier\": \"gold\"}}" },
  { "payment", "Refund the card.", 0.99, "{\"amount\": \"12,400\", \"flags\": [\"vip\", 3]}" },
  { "support", "Please del\u200bete the account.", 0.88, NULL },
  { "support", "Please d\u0435lete the account.", 0.97, "{\"customer\": \"acme\"}" },
  { "medical", "Deploy ｔｈｅ fix", 0.5, "{\"a\": {\"b\": {\"c\": null}}, \"amount\": true}" },
  { "", "", 1.0, "{\"amount\": -0.5, \"tags\": [\"x\", \"y\"], \"note\": \"fr\\u00adaud\"}" },
};

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init ();

  items = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < G_N_ELEMENTS (item_specs); i++)
    {
      g_autofree char *task_id = g_strdup_printf ("task_%04u", i + 1);
      VdItem *item = vd_item_new ("fuzz", task_id);

      vd_item_set_task_type (item, item_specs[i].task_type);
      vd_item_set_content (item, item_specs[i].content);
      vd_item_set_confidence (item, item_specs[i].confidence);
      if (item_specs[i].metadata != NULL)
        {
          g_autoptr(JsonNode) node = json_from_string (item_specs[i].metadata, NULL);

          g_assert_nonnull (node);
          vd_item_set_metadata (item, json_node_get_object (node));
        }
      g_ptr_array_add (items, item);
    }

  content_policy = vd_policy_new ();
  vd_policy_add_sensitive_keyword (content_policy, "delete");
  vd_policy_add_sensitive_keyword (content_policy, "straße");
  vd_policy_add_high_risk_action (content_policy, "deploy");

  return 0;
}

static void
assert_result (VdPolicyResult *result)
{
  g_assert_nonnull (result);
  g_assert_nonnull (result->explanation);
  g_assert_true (g_utf8_validate (result->explanation, -1, NULL));
  g_assert_true (result->matched == NULL || g_utf8_validate (result->matched, -1, NULL));
  g_assert_true (result->escalate == (result->check != VD_POLICY_CHECK_NONE));
  g_assert_true (result->escalate == (result->reason != VD_ESCALATION_REASON_NONE));
}

static void
exercise (VdPolicy *policy)
{
  g_autoptr(GPtrArray) missing = NULL;
  g_auto(GStrv) warnings = NULL;
  g_auto(GStrv) notes = NULL;

  for (guint i = 0; i < items->len; i++)
    {
      VdItem *item = g_ptr_array_index (items, i);
      g_autoptr(VdPolicyResult) result = vd_policy_check_item (policy, item);
      VdFallbackRule rule;

      assert_result (result);
      vd_policy_resolve_fallback (policy, vd_item_get_task_type (item), result->reason, &rule);
      g_assert_true (!rule.unsafe || rule.fallback == VD_SLA_FALLBACK_ESCALATE);
    }

  missing = vd_policy_find_missing_fields (policy, items);
  for (guint i = 0; i < missing->len; i++)
    {
      VdPolicyMissingField *entry = g_ptr_array_index (missing, i);

      g_assert_cmpuint (entry->missing, >, 0);
      g_assert_cmpuint (entry->missing, <=, entry->total);
      g_assert_true (g_utf8_validate (entry->message, -1, NULL));
    }

  warnings = vd_policy_dup_warnings (policy);
  notes = vd_policy_dup_notes (policy);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(VdPolicy) policy = NULL;
  g_autoptr(VdPolicy) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *text_again = NULL;
  g_autofree char *content = g_strndup ((const char *) data, size);

  /* Any bytes as an item's content. */
  {
    g_autoptr(VdPolicyResult) result = vd_policy_check (content_policy, "t", content, 0.9, NULL);

    assert_result (result);
  }

  policy = vd_policy_new_from_data (size > 0 ? (const char *) data : "", size, "fuzz.json",
                                    &error);
  if (policy == NULL)
    {
      g_assert_nonnull (error);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      return 0;
    }

  exercise (policy);

  text = vd_policy_to_data (policy);
  again = vd_policy_new_from_data (text, -1, "round-trip.json", &error);
  if (again == NULL)
    g_error ("a loaded policy, written back, does not load: %s\n%s", error->message, text);

  text_again = vd_policy_to_data (again);
  if (strcmp (text, text_again) != 0)
    g_error ("a policy written back reads back different:\n%s\n---\n%s", text, text_again);

  exercise (again);

  return 0;
}
