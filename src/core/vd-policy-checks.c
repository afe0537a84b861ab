/* vd-policy-checks.c
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

#define G_LOG_DOMAIN "vd-policy"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "vd-item.h"
#include "vd-policy-private.h"

G_DEFINE_BOXED_TYPE (VdPolicyResult, vd_policy_result,
                     vd_policy_result_copy, vd_policy_result_free)

/* Two figures for a sentence, with two decimals unless more are needed to
 * show that they differ (0.699 must not read as "0.70 is below 0.70"). */
static void
format_figures (double   a,
                double   b,
                char   **a_text,
                char   **b_text)
{
  for (int precision = 2; ; precision++)
    {
      *a_text = g_strdup_printf ("%.*f", precision, a);
      *b_text = g_strdup_printf ("%.*f", precision, b);

      if (a == b || precision >= 17 || strcmp (*a_text, *b_text) != 0)
        return;

      g_free (*a_text);
      g_free (*b_text);
    }
}

/* Returns: (nullable): the first word found in @folded_content */
static const char *
word_list_find (WordList   *list,
                const char *folded_content)
{
  for (guint i = 0; i < list->folded->len; i++)
    {
      if (strstr (folded_content, g_ptr_array_index (list->folded, i)) != NULL)
        return g_ptr_array_index (list->words, i);
    }

  return NULL;
}

/* Walks a dotted path through nested metadata objects.
 * Returns: (nullable): the value, or %NULL when the path leads nowhere */
static JsonNode *
lookup_path (JsonObject  *metadata,
             char       **segments)
{
  JsonObject *object = metadata;
  JsonNode *node = NULL;

  for (guint i = 0; segments[i] != NULL; i++)
    {
      if (object == NULL || !json_object_has_member (object, segments[i]))
        return NULL;

      node = json_object_get_member (object, segments[i]);
      object = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
    }

  return node;
}

static gboolean
folded_equal (const char *a,
              const char *b)
{
  g_autofree char *folded_a = _vd_policy_fold_text (a);
  g_autofree char *folded_b = _vd_policy_fold_text (b);

  return strcmp (folded_a, folded_b) == 0;
}

/* Whether two scalars are equal; a number never equals a string. */
static gboolean
values_equal (JsonNode *actual,
              JsonNode *expected)
{
  if (node_is_number (actual) && node_is_number (expected))
    return node_get_number (actual) == node_get_number (expected);

  if (node_is_string (actual) && node_is_string (expected))
    return strcmp (json_node_get_string (actual), json_node_get_string (expected)) == 0;

  return FALSE;
}

static gboolean
rule_matches (Rule       *rule,
              JsonObject *metadata,
              JsonNode  **out_actual)
{
  JsonNode *actual;

  *out_actual = NULL;

  if (metadata == NULL)
    return FALSE;

  actual = lookup_path (metadata, rule->segments);
  if (actual == NULL)
    return FALSE;

  *out_actual = actual;

  switch (rule->op)
    {
    case RULE_OP_GT:
    case RULE_OP_GE:
    case RULE_OP_LT:
    case RULE_OP_LE:
      {
        double a, b;

        /* A numeric string such as "12000" is text, not a number. */
        if (!node_is_number (actual))
          return FALSE;

        a = node_get_number (actual);
        b = node_get_number (rule->value);

        switch (rule->op)
          {
          case RULE_OP_GT:
            return a > b;
          case RULE_OP_GE:
            return a >= b;
          case RULE_OP_LT:
            return a < b;
          case RULE_OP_LE:
            return a <= b;
          case RULE_OP_EQ:
          case RULE_OP_NE:
          case RULE_OP_CONTAINS:
          default:
            g_assert_not_reached ();
          }
      }

    case RULE_OP_EQ:
      return values_equal (actual, rule->value);

    case RULE_OP_NE:
      return !values_equal (actual, rule->value);

    case RULE_OP_CONTAINS:
      {
        const char *needle = json_node_get_string (rule->value);

        if (node_is_string (actual))
          {
            g_autofree char *haystack = _vd_policy_fold_text (json_node_get_string (actual));
            g_autofree char *folded_needle = _vd_policy_fold_text (needle);

            return strstr (haystack, folded_needle) != NULL;
          }

        if (JSON_NODE_HOLDS_ARRAY (actual))
          {
            JsonArray *array = json_node_get_array (actual);

            for (guint i = 0; i < json_array_get_length (array); i++)
              {
                JsonNode *element = json_array_get_element (array, i);

                if (node_is_string (element) &&
                    folded_equal (json_node_get_string (element), needle))
                  return TRUE;
              }
          }

        return FALSE;
      }

    default:
      g_assert_not_reached ();
    }
}

/* Checking */

static VdPolicyResult *
result_new (gboolean            escalate,
            VdEscalationReason  reason,
            VdPolicyCheck       check,
            double              threshold,
            const char         *matched,
            char               *explanation)
{
  VdPolicyResult *result = g_new0 (VdPolicyResult, 1);

  result->escalate = escalate;
  result->reason = reason;
  result->check = check;
  result->threshold = threshold;
  result->matched = g_strdup (matched);
  result->explanation = explanation;

  return result;
}

static char *
describe_actual (JsonNode *actual)
{
  if (JSON_NODE_HOLDS_ARRAY (actual) || JSON_NODE_HOLDS_OBJECT (actual))
    {
      g_autoptr(GString) out = g_string_new (NULL);
      g_autofree char *compact = NULL;

      /* Short enough for a sentence: the compact JSON. */
      compact = json_to_string (actual, FALSE);
      g_string_append (out, compact);
      return g_string_free (g_steal_pointer (&out), FALSE);
    }

  if (node_is_string (actual))
    return g_strdup_printf ("“%s”", json_node_get_string (actual));

  if (node_is_number (actual))
    return _vd_policy_format_number (node_get_number (actual));

  return _vd_policy_describe_node (actual);
}

/**
 * vd_policy_check:
 * @self: a policy
 * @task_type: (nullable): the task type
 * @content: (nullable): the agent's output text
 * @confidence: the agent's confidence
 * @metadata: (nullable): the output's metadata, for rules
 *
 * Runs the checks in order and stops at the first that fires: confidence
 * below the threshold, a sensitive keyword in @content, a high-risk action
 * in @content, a task type that is always reviewed, a rule on @metadata.
 *
 * Returns: (transfer full): the outcome, with a sentence for display
 */
VdPolicyResult *
vd_policy_check (VdPolicy   *self,
                 const char *task_type,
                 const char *content,
                 double      confidence,
                 JsonObject *metadata)
{
  g_autofree char *folded_content = NULL;
  g_autofree char *confidence_text = NULL;
  g_autofree char *threshold_text = NULL;
  TypeSettings *settings;
  gboolean per_type;
  double threshold;
  const char *found;

  g_return_val_if_fail (VD_IS_POLICY (self), NULL);

  if (task_type == NULL)
    task_type = "";
  if (content == NULL)
    content = "";

  settings = _vd_policy_find_type_settings (self, task_type);
  per_type = settings != NULL && settings->has_threshold;
  threshold = per_type ? settings->threshold : self->confidence_threshold;
  format_figures (confidence, threshold, &confidence_text, &threshold_text);

  if (confidence < threshold)
    {
      char *explanation;

      if (per_type)
        /* TRANSLATORS: the last %s is a task type, e.g. "payments" */
        explanation = g_strdup_printf (_("confidence %s is below the threshold %s for %s"),
                                       confidence_text, threshold_text, task_type);
      else
        explanation = g_strdup_printf (_("confidence %s is below the threshold %s"),
                                       confidence_text, threshold_text);

      return result_new (TRUE, VD_ESCALATION_REASON_LOW_CONFIDENCE,
                         VD_POLICY_CHECK_CONFIDENCE, threshold, NULL, explanation);
    }

  folded_content = _vd_policy_fold_text (content);

  found = word_list_find (&self->sensitive_keywords, folded_content);
  if (found != NULL)
    return result_new (TRUE, VD_ESCALATION_REASON_SENSITIVE_CONTENT,
                       VD_POLICY_CHECK_SENSITIVE_KEYWORD, threshold, found,
                       g_strdup_printf (_("the output mentions the sensitive keyword “%s”"),
                                        found));

  found = word_list_find (&self->high_risk_actions, folded_content);
  if (found != NULL)
    return result_new (TRUE, VD_ESCALATION_REASON_HIGH_RISK_ACTION,
                       VD_POLICY_CHECK_HIGH_RISK_ACTION, threshold, found,
                       g_strdup_printf (_("the output mentions the high-risk action “%s”"),
                                        found));

  if (task_type[0] != '\0' &&
      g_ptr_array_find_with_equal_func (self->always_review_types, task_type,
                                        g_str_equal, NULL))
    return result_new (TRUE, VD_ESCALATION_REASON_POLICY_REQUIRED,
                       VD_POLICY_CHECK_ALWAYS_REVIEW_TYPE, threshold, task_type,
                       g_strdup_printf (_("task type “%s” always needs review"), task_type));

  for (guint i = 0; i < self->rules->len; i++)
    {
      Rule *rule = g_ptr_array_index (self->rules, i);
      g_autofree char *actual_text = NULL;
      g_autofree char *expected_text = NULL;
      JsonNode *actual;

      if (!rule_matches (rule, metadata, &actual))
        continue;

      actual_text = describe_actual (actual);
      expected_text = describe_actual (rule->value);

      return result_new (TRUE, rule->reason, VD_POLICY_CHECK_RULE, threshold, rule->name,
                         /* TRANSLATORS: e.g. "rule “large payment”: amount 12500 > 10000" */
                         g_strdup_printf (_("rule “%s”: %s %s %s %s"),
                                          rule->name, rule->path, actual_text,
                                          _vd_policy_op_names[rule->op], expected_text));
    }

  return result_new (FALSE, VD_ESCALATION_REASON_NONE, VD_POLICY_CHECK_NONE, threshold, NULL,
                     per_type
                     ? g_strdup_printf (_("confidence %s meets the threshold %s for %s and "
                                          "no other check fired"),
                                        confidence_text, threshold_text, task_type)
                     : g_strdup_printf (_("confidence %s meets the threshold %s and no other "
                                          "check fired"),
                                        confidence_text, threshold_text));
}

/**
 * vd_policy_check_item:
 * @self: a policy
 * @item: an item
 *
 * Checks @item's task type, content, confidence and metadata with
 * vd_policy_check().
 *
 * Returns: (transfer full): the outcome
 */
VdPolicyResult *
vd_policy_check_item (VdPolicy *self,
                      VdItem   *item)
{
  g_return_val_if_fail (VD_IS_POLICY (self), NULL);
  g_return_val_if_fail (VD_IS_ITEM (item), NULL);

  return vd_policy_check (self,
                          vd_item_get_task_type (item),
                          vd_item_get_content (item),
                          vd_item_get_confidence (item),
                          vd_item_get_metadata (item));
}

/**
 * vd_policy_check_to_string:
 * @check: a check
 *
 * Returns: the check's stable name, e.g. `sensitive_keyword`
 */
const char *
vd_policy_check_to_string (VdPolicyCheck check)
{
  switch (check)
    {
    case VD_POLICY_CHECK_NONE:
      return "none";
    case VD_POLICY_CHECK_CONFIDENCE:
      return "confidence";
    case VD_POLICY_CHECK_SENSITIVE_KEYWORD:
      return "sensitive_keyword";
    case VD_POLICY_CHECK_HIGH_RISK_ACTION:
      return "high_risk_action";
    case VD_POLICY_CHECK_ALWAYS_REVIEW_TYPE:
      return "always_review_type";
    case VD_POLICY_CHECK_RULE:
      return "rule";
    default:
      g_return_val_if_reached (NULL);
    }
}

/* Results */

/**
 * vd_policy_result_copy:
 * @result: a result
 *
 * Returns: (transfer full): a copy of @result
 */
VdPolicyResult *
vd_policy_result_copy (const VdPolicyResult *result)
{
  VdPolicyResult *copy;

  g_return_val_if_fail (result != NULL, NULL);

  copy = g_new0 (VdPolicyResult, 1);
  *copy = *result;
  copy->explanation = g_strdup (result->explanation);
  copy->matched = g_strdup (result->matched);

  return copy;
}

void
vd_policy_result_free (VdPolicyResult *result)
{
  if (result == NULL)
    return;

  g_free (result->explanation);
  g_free (result->matched);
  g_free (result);
}
