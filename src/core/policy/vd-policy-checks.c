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

#include <math.h>
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

/* Scripts whose letters look alike: a word that mixes them is a way to
 * hide a keyword ("dеlete" with a Cyrillic е). Other mixes are ordinary
 * (Japanese mixes Han and kana; "iPhone手机" is one word). */
typedef enum
{
  SCRIPT_LATIN = 1 << 0,
  SCRIPT_CYRILLIC = 1 << 1,
  SCRIPT_GREEK = 1 << 2,
} ConfusableScripts;

static guint
confusable_script (gunichar c)
{
  switch (g_unichar_get_script (c))
    {
    case G_UNICODE_SCRIPT_LATIN:
      return SCRIPT_LATIN;
    case G_UNICODE_SCRIPT_CYRILLIC:
      return SCRIPT_CYRILLIC;
    case G_UNICODE_SCRIPT_GREEK:
      return SCRIPT_GREEK;
    default:
      /* Common (digits, signs) and inherited (combining marks) belong to
       * any word. */
      return 0;
    }
}

/* Returns: (nullable) (transfer full): the first word of @text (letters,
 * digits and marks) with letters of two or more of Latin, Cyrillic and
 * Greek, with those scripts in @scripts. @text has had its invisible
 * characters taken out, so that they do not split a word. */
static char *
find_mixed_script_word (const char *text,
                        guint      *scripts)
{
  const char *word_start = NULL;
  guint word_scripts = 0;

  for (const char *p = text; ; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c != 0 && (g_unichar_isalnum (c) || g_unichar_ismark (c)))
        {
          if (word_start == NULL)
            {
              word_start = p;
              word_scripts = 0;
            }
          word_scripts |= confusable_script (c);
          continue;
        }

      /* More than one bit set: more than one script. */
      if (word_start != NULL && (word_scripts & (word_scripts - 1)) != 0)
        {
          *scripts = word_scripts;
          return g_strndup (word_start, p - word_start);
        }

      word_start = NULL;
      if (c == 0)
        return NULL;
    }
}

static char *
describe_scripts (guint scripts)
{
  const char *names[3];
  guint n = 0;

  if (scripts & SCRIPT_LATIN)
    names[n++] = _("Latin");
  if (scripts & SCRIPT_CYRILLIC)
    names[n++] = _("Cyrillic");
  if (scripts & SCRIPT_GREEK)
    names[n++] = _("Greek");

  g_assert (n >= 2);
  if (n == 2)
    /* TRANSLATORS: two script names, e.g. "Latin and Cyrillic" */
    return g_strdup_printf (_("%s and %s"), names[0], names[1]);

  /* TRANSLATORS: three script names, e.g. "Latin, Cyrillic and Greek" */
  return g_strdup_printf (_("%s, %s and %s"), names[0], names[1], names[2]);
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

/**
 * vd_policy_check:
 * @self: a policy
 * @task_type: (nullable): the task type
 * @content: (nullable): the agent's output text
 * @confidence: the agent's confidence
 * @metadata: (nullable): the output's metadata, for rules
 *
 * Runs the checks in order and stops at the first that fires: confidence
 * below the threshold (or not a number), a sensitive keyword in @content, a
 * word of @content that mixes Latin, Cyrillic or Greek letters (when the
 * policy has keywords or actions), a high-risk action in @content, a task
 * type that is always reviewed, a rule on @metadata (one that fires, that
 * cannot compare what it finds, or that finds nothing and says
 * `"when_missing": "escalate"`).
 *
 * The policy is only read: checks may run on several threads at once.
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
  g_autofree char *stripped_content = NULL;
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

  /* Written so that NaN (no confidence given), which compares false with
   * anything, escalates: an item without a confidence is never approved
   * automatically. */
  if (!(confidence >= threshold))
    {
      char *explanation;

      if (isnan (confidence))
        explanation = g_strdup (_("no confidence given"));
      else if (per_type)
        /* TRANSLATORS: the last %s is a task type, e.g. "payments" */
        explanation = g_strdup_printf (_("confidence %s is below the threshold %s for %s"),
                                       confidence_text, threshold_text, task_type);
      else
        explanation = g_strdup_printf (_("confidence %s is below the threshold %s"),
                                       confidence_text, threshold_text);

      return result_new (TRUE, VD_ESCALATION_REASON_LOW_CONFIDENCE,
                         VD_POLICY_CHECK_CONFIDENCE, threshold, NULL, explanation);
    }

  /* Each text is normalised once, whatever the number of keywords. */
  stripped_content = _vd_policy_strip_invisible (content);
  folded_content = _vd_policy_fold_stripped (stripped_content);

  found = word_list_find (&self->sensitive_keywords, folded_content);
  if (found != NULL)
    return result_new (TRUE, VD_ESCALATION_REASON_SENSITIVE_CONTENT,
                       VD_POLICY_CHECK_SENSITIVE_KEYWORD, threshold, found,
                       g_strdup_printf (_("the output mentions the sensitive keyword “%s”"),
                                        found));

  /* A keyword spelt with look-alike letters of another script escapes the
   * search above; with no keywords or actions there is nothing to hide. */
  if (self->sensitive_keywords.words->len > 0 || self->high_risk_actions.words->len > 0)
    {
      guint scripts = 0;
      g_autofree char *word = find_mixed_script_word (stripped_content, &scripts);

      if (word != NULL)
        {
          g_autofree char *names = describe_scripts (scripts);
          g_autoptr(GString) shown = g_string_new (NULL);

          _vd_policy_append_visible (shown, word, 40);
          return result_new (TRUE, VD_ESCALATION_REASON_SENSITIVE_CONTENT,
                             VD_POLICY_CHECK_MIXED_SCRIPT, threshold, word,
                             /* TRANSLATORS: e.g. "the word “dеlete” mixes Latin and
                              * Cyrillic letters, a way to hide a keyword" */
                             g_strdup_printf (_("the word “%s” mixes %s letters, a way to hide "
                                                "a keyword"), shown->str, names));
        }
    }

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
      char *explanation = _vd_policy_rule_check (rule, metadata);

      if (explanation != NULL)
        return result_new (TRUE, rule->reason, VD_POLICY_CHECK_RULE, threshold, rule->name,
                           explanation);
    }

  if (self->review_all)
    return result_new (TRUE, VD_ESCALATION_REASON_POLICY_REQUIRED, VD_POLICY_CHECK_REVIEW_ALL,
                       threshold, NULL,
                       g_strdup (_("no policy allowing automatic approval was chosen, so every "
                                   "item is reviewed")));

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
    case VD_POLICY_CHECK_MIXED_SCRIPT:
      return "mixed_script";
    case VD_POLICY_CHECK_REVIEW_ALL:
      return "review_all";
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
