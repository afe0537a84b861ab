/* vd-policy-rules.c
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
#include "vd-text.h"

/*
 * Declarative rules on an item's metadata. They fail closed: a rule fires
 * when its condition holds, and also when it cannot tell (the field holds
 * a value of the wrong kind, or the path runs through something that is
 * not an object), so that a value a rule was written for never passes
 * because it came in another form ("12,400" for 12400). Only a field that
 * is not there at all lets the item pass, unless the rule says
 * "when_missing": "escalate".
 */

/* Metadata text as a reader of an explanation sees it: cut when long, and
 * with what renders as nothing (or moves text around) spelled out as
 * \u{200B}, so that a reviewer sees why a value did not match. */
void
_vd_policy_append_visible (GString    *out,
                           const char *text,
                           guint       max_chars)
{
  g_autofree char *valid = g_utf8_make_valid (text, -1);
  guint n = 0;

  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p), n++)
    {
      gunichar c = g_utf8_get_char (p);

      if (n == max_chars)
        {
          g_string_append (out, "…");
          return;
        }

      if (vd_unichar_is_invisible (c) || g_unichar_iscntrl (c))
        g_string_append_printf (out, "\\u{%04X}", c);
      else
        g_string_append_unichar (out, c);
    }
}

static char *
describe_actual (JsonNode *actual)
{
  g_autoptr(GString) out = g_string_new (NULL);

  if (JSON_NODE_HOLDS_ARRAY (actual) || JSON_NODE_HOLDS_OBJECT (actual))
    {
      g_autofree char *compact = json_to_string (actual, FALSE);

      /* Short enough for a sentence: the compact JSON, cut when long. */
      _vd_policy_append_visible (out, compact, 60);
      return g_string_free (g_steal_pointer (&out), FALSE);
    }

  if (node_is_string (actual))
    {
      g_string_append (out, "“");
      _vd_policy_append_visible (out, json_node_get_string (actual), 60);
      g_string_append (out, "”");
      return g_string_free (g_steal_pointer (&out), FALSE);
    }

  if (node_is_number (actual))
    return _vd_policy_format_number (node_get_number (actual));

  return _vd_policy_describe_node (actual);
}

/* A rule as written, e.g. `amount > 10000`, `customer.tier == “gold”`. */
char *
_vd_policy_describe_rule (Rule *rule)
{
  g_autofree char *value = describe_actual (rule->value);

  return g_strdup_printf ("%s %s %s", rule->path, _vd_policy_op_names[rule->op], value);
}

typedef enum
{
  PATH_FOUND,
  PATH_MISSING,   /* an object on the way lacks the next member */
  PATH_BLOCKED,   /* a value on the way is not an object */
} PathStatus;

/* Walks a dotted path through nested metadata objects. On PATH_FOUND,
 * @node is the value; on PATH_BLOCKED, the value that is not an object and
 * @depth how many segments lead to it. */
static PathStatus
lookup_path (JsonObject  *metadata,
             char       **segments,
             JsonNode   **node,
             guint       *depth)
{
  JsonObject *object = metadata;

  *node = NULL;
  *depth = 0;

  if (metadata == NULL)
    return PATH_MISSING;

  for (guint i = 0; segments[i] != NULL; i++)
    {
      JsonNode *member;

      if (object == NULL)
        return PATH_BLOCKED;

      member = json_object_get_member (object, segments[i]);
      if (member == NULL)
        return PATH_MISSING;

      *node = member;
      *depth = i + 1;
      object = JSON_NODE_HOLDS_OBJECT (member) ? json_node_get_object (member) : NULL;
    }

  return PATH_FOUND;
}

typedef enum
{
  RULE_PASSES,         /* compared, and the condition does not hold */
  RULE_FIRES,
  RULE_MISSING,        /* the item lacks the field */
  RULE_UNCOMPARABLE,   /* the field holds what the rule cannot compare */
} RuleOutcome;

typedef struct
{
  JsonNode   *actual;     /* the value found, or where the path stopped */
  char       *where;      /* the path to @actual */
  const char *expected;   /* for RULE_UNCOMPARABLE: what the rule needed */
  gboolean    from_text;  /* a numeric string compared as its number */
  double      number;
} RuleEval;

static void
rule_eval_clear (RuleEval *eval)
{
  g_clear_pointer (&eval->where, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (RuleEval, rule_eval_clear)

/* Whether @text is a plain decimal number: an optional minus sign, digits,
 * and optionally a point and more digits. Nothing else (no exponent, sign
 * "+", spaces, thousands separators or currency): anything else a rule
 * cannot be sure to read as the writer meant it. */
static gboolean
parse_decimal (const char *text,
               double     *out)
{
  const char *p = text;

  if (*p == '-')
    p++;
  if (!g_ascii_isdigit (*p))
    return FALSE;
  while (g_ascii_isdigit (*p))
    p++;
  if (*p == '.')
    {
      p++;
      if (!g_ascii_isdigit (*p))
        return FALSE;
      while (g_ascii_isdigit (*p))
        p++;
    }
  if (*p != '\0')
    return FALSE;

  *out = g_ascii_strtod (text, NULL);
  return isfinite (*out);
}

/* The finite number in @eval->actual, a JSON number or a plain decimal
 * string. */
static gboolean
read_actual_number (RuleEval *eval)
{
  JsonNode *actual = eval->actual;

  eval->expected = _("a number");

  if (node_is_number (actual))
    {
      eval->number = node_get_number (actual);
      if (!isfinite (eval->number))
        eval->expected = _("a finite number");
      return isfinite (eval->number);
    }

  if (node_is_string (actual) && parse_decimal (json_node_get_string (actual), &eval->number))
    {
      eval->from_text = TRUE;
      return TRUE;
    }

  return FALSE;
}

static gboolean
compare_numbers (RuleOp op,
                 double a,
                 double b)
{
  switch (op)
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
      return a == b;
    case RULE_OP_NE:
      return a != b;
    case RULE_OP_CONTAINS:
    default:
      g_assert_not_reached ();
    }
}

static RuleOutcome
evaluate_contains (Rule     *rule,
                   RuleEval *eval)
{
  JsonNode *actual = eval->actual;
  gboolean other = FALSE;
  JsonArray *array;

  eval->expected = _("a string or an array of strings");

  if (node_is_string (actual))
    {
      g_autofree char *haystack = _vd_policy_fold_text (json_node_get_string (actual));

      return strstr (haystack, rule->compare_value) != NULL ? RULE_FIRES : RULE_PASSES;
    }

  if (!JSON_NODE_HOLDS_ARRAY (actual))
    return RULE_UNCOMPARABLE;

  array = json_node_get_array (actual);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      g_autofree char *folded = NULL;

      if (!node_is_string (element))
        {
          other = TRUE;
          continue;
        }

      folded = _vd_policy_fold_text (json_node_get_string (element));
      if (strcmp (folded, rule->compare_value) == 0)
        return RULE_FIRES;
    }

  /* [1, 2] may well hold what the rule looks for, in another form. */
  return other ? RULE_UNCOMPARABLE : RULE_PASSES;
}

/* Decides a rule on @metadata. Fails closed: whatever the rule cannot
 * compare is RULE_UNCOMPARABLE, for the caller to escalate. */
static RuleOutcome
evaluate_rule (Rule       *rule,
               JsonObject *metadata,
               RuleEval   *eval)
{
  guint depth;

  switch (lookup_path (metadata, rule->segments, &eval->actual, &depth))
    {
    case PATH_MISSING:
      return RULE_MISSING;

    case PATH_BLOCKED:
      {
        g_autofree char **prefix = g_new0 (char *, depth + 1);

        memcpy (prefix, rule->segments, depth * sizeof (char *));
        eval->where = g_strjoinv (".", prefix);
        eval->expected = _("an object");
        return RULE_UNCOMPARABLE;
      }

    case PATH_FOUND:
    default:
      eval->where = g_strdup (rule->path);
      break;
    }

  switch (rule->op)
    {
    case RULE_OP_GT:
    case RULE_OP_GE:
    case RULE_OP_LT:
    case RULE_OP_LE:
      if (!read_actual_number (eval))
        return RULE_UNCOMPARABLE;
      return compare_numbers (rule->op, eval->number, node_get_number (rule->value))
             ? RULE_FIRES : RULE_PASSES;

    case RULE_OP_EQ:
    case RULE_OP_NE:
      if (node_is_number (rule->value))
        {
          if (!read_actual_number (eval))
            return RULE_UNCOMPARABLE;
          return compare_numbers (rule->op, eval->number, node_get_number (rule->value))
                 ? RULE_FIRES : RULE_PASSES;
        }
      else
        {
          g_autofree char *cleaned = NULL;
          gboolean equal;

          eval->expected = _("a string");
          if (!node_is_string (eval->actual))
            return RULE_UNCOMPARABLE;

          cleaned = _vd_policy_clean_text (json_node_get_string (eval->actual));
          equal = strcmp (cleaned, rule->compare_value) == 0;
          return equal == (rule->op == RULE_OP_EQ) ? RULE_FIRES : RULE_PASSES;
        }

    case RULE_OP_CONTAINS:
      return evaluate_contains (rule, eval);

    default:
      g_assert_not_reached ();
    }
}

/* The sentence for a rule that did not pass, or NULL when it passed. */
static char *
explain_rule (Rule        *rule,
              RuleOutcome  outcome,
              RuleEval    *eval)
{
  g_autofree char *actual_text = NULL;
  g_autofree char *expected_text = NULL;
  g_autofree char *rule_text = NULL;

  switch (outcome)
    {
    case RULE_FIRES:
      actual_text = describe_actual (eval->actual);
      expected_text = describe_actual (rule->value);
      if (eval->from_text)
        {
          g_autofree char *number = _vd_policy_format_number (eval->number);

          return g_strdup_printf (/* TRANSLATORS: e.g. "rule “large payment”: amount
                                   * “12400” (text read as the number 12400) > 10000" */
                                  _("rule “%s”: %s %s (text read as the number %s) %s %s"),
                                  rule->name, rule->path, actual_text, number,
                                  _vd_policy_op_names[rule->op], expected_text);
        }
      /* TRANSLATORS: e.g. "rule “large payment”: amount 12500 > 10000" */
      return g_strdup_printf (_("rule “%s”: %s %s %s %s"),
                              rule->name, rule->path, actual_text,
                              _vd_policy_op_names[rule->op], expected_text);

    case RULE_MISSING:
      if (!rule->escalate_missing)
        return NULL;
      rule_text = _vd_policy_describe_rule (rule);
      return g_strdup_printf (/* TRANSLATORS: e.g. "rule “large payment” (amount > 10000):
                               * the item has no amount, and the rule says ..." */
                              _("rule “%s” (%s): the item has no %s, and the rule says "
                                "\"when_missing\": \"escalate\""),
                              rule->name, rule_text, rule->path);

    case RULE_UNCOMPARABLE:
      rule_text = _vd_policy_describe_rule (rule);
      actual_text = describe_actual (eval->actual);
      return g_strdup_printf (/* TRANSLATORS: e.g. "rule “large payment” (amount > 10000)
                               * cannot be applied: amount is “12,400”, not a number; ..." */
                              _("rule “%s” (%s) cannot be applied: %s is %s, not %s; a human "
                                "must check it"),
                              rule->name, rule_text, eval->where, actual_text, eval->expected);

    case RULE_PASSES:
    default:
      return NULL;
    }
}


/**
 * _vd_policy_rule_check:
 * @rule: a rule
 * @metadata: (nullable): an item's metadata
 *
 * Returns: (transfer full) (nullable): the explanation when @rule escalates
 *   the item (it fires, cannot compare what it finds, or finds nothing and
 *   says `"when_missing": "escalate"`); %NULL when it lets the item pass
 */
char *
_vd_policy_rule_check (Rule       *rule,
                       JsonObject *metadata)
{
  g_auto(RuleEval) eval = { 0 };
  RuleOutcome outcome;

  outcome = evaluate_rule (rule, metadata, &eval);
  return explain_rule (rule, outcome, &eval);
}

/**
 * vd_policy_find_missing_fields:
 * @self: a policy
 * @items: (element-type VdItem): the items of a queue file
 *
 * Finds the rules that let an item without their field pass (those that do
 * not say `"when_missing": "escalate"`) and that some of @items lack the
 * field of: often a misspelt path, or items that were meant to be covered.
 * A field is missing when its path ends at an object without it; a path
 * through a value that is not an object is not missing (the rule escalates
 * such an item).
 *
 * Returns: (transfer container) (element-type VdPolicyMissingField): one
 *   entry per such rule, in rule order; possibly empty
 */
GPtrArray *
vd_policy_find_missing_fields (VdPolicy  *self,
                               GPtrArray *items)
{
  g_autoptr(GPtrArray) found = NULL;

  g_return_val_if_fail (VD_IS_POLICY (self), NULL);
  g_return_val_if_fail (items != NULL, NULL);

  found = g_ptr_array_new_with_free_func ((GDestroyNotify) vd_policy_missing_field_free);

  for (guint i = 0; i < self->rules->len; i++)
    {
      Rule *rule = g_ptr_array_index (self->rules, i);
      VdPolicyMissingField *entry;
      g_autofree char *rule_text = NULL;
      guint missing = 0;

      if (rule->escalate_missing)
        continue;

      for (guint j = 0; j < items->len; j++)
        {
          VdItem *item = g_ptr_array_index (items, j);
          JsonNode *node;
          guint depth;

          if (lookup_path (vd_item_get_metadata (item), rule->segments, &node, &depth) ==
              PATH_MISSING)
            missing++;
        }

      if (missing == 0)
        continue;

      rule_text = _vd_policy_describe_rule (rule);
      entry = g_new0 (VdPolicyMissingField, 1);
      entry->rule = i;
      entry->name = g_strdup (rule->name);
      entry->path = g_strdup (rule->path);
      entry->missing = missing;
      entry->total = items->len;
      entry->message =
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                      /* TRANSLATORS: the plural follows the number of
                                       * items that lack the field, e.g. "rule 1 “large
                                       * payment” (amount > 10000): field amount is missing
                                       * from 1 of 55 items; it passes this rule unless ..." */
                                      "rule %u “%s” (%s): field %s is missing from %u of %u "
                                      "items; it passes this rule unless the rule says "
                                      "\"when_missing\": \"escalate\"",
                                      "rule %u “%s” (%s): field %s is missing from %u of %u "
                                      "items; they pass this rule unless it says "
                                      "\"when_missing\": \"escalate\"",
                                      missing),
                         i + 1, rule->name, rule_text, rule->path, missing, items->len);
      g_ptr_array_add (found, entry);
    }

  return g_steal_pointer (&found);
}

void
vd_policy_missing_field_free (VdPolicyMissingField *missing)
{
  if (missing == NULL)
    return;

  g_free (missing->name);
  g_free (missing->path);
  g_free (missing->message);
  g_free (missing);
}

/**
 * vd_policy_get_reviews_required:
 * @self: a policy
 * @item: an item being imported
 *
 * How many distinct reviewers must agree on @item: the highest of the
 * top-level `reviews_required`, its task type's and every rule's that
 * escalates the item (a rule that cannot compare what it finds fails
 * closed: it applies). Without any of them, 1.
 *
 * Returns: 1, or 2 for four-eyes review
 */
guint
vd_policy_get_reviews_required (VdPolicy *self,
                                VdItem   *item)
{
  TypeSettings *settings;
  guint required;

  g_return_val_if_fail (VD_IS_POLICY (self), 1);
  g_return_val_if_fail (VD_IS_ITEM (item), 1);

  required = MAX (1, self->reviews_required);

  settings = _vd_policy_find_type_settings (self, vd_item_get_task_type (item));
  if (settings != NULL)
    required = MAX (required, settings->reviews_required);

  for (guint i = 0; i < self->rules->len && required < MAX_REVIEWS_REQUIRED; i++)
    {
      Rule *rule = g_ptr_array_index (self->rules, i);
      g_autofree char *explanation = NULL;

      if (rule->reviews_required <= required)
        continue;

      explanation = _vd_policy_rule_check (rule, vd_item_get_metadata (item));
      if (explanation != NULL)
        required = rule->reviews_required;
    }

  return required;
}
