/* vd-policy-loader.c
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
#include <glib/gstdio.h>
#include <sys/stat.h>

#include "vd-json-guard.h"
#include "vd-policy-private.h"

/* Loading */

typedef struct
{
  const char *source;
} Loader;

static gboolean G_GNUC_PRINTF (4, 5)
fail (Loader      *loader,
      GError     **error,
      const char  *field,
      const char  *format,
      ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  if (field != NULL)
    g_set_error (error, VD_POLICY_ERROR, VD_POLICY_ERROR_INVALID,
                 "%s: %s: %s", loader->source, field, message);
  else
    g_set_error (error, VD_POLICY_ERROR, VD_POLICY_ERROR_INVALID,
                 "%s: %s", loader->source, message);

  return FALSE;
}

static gboolean
fail_expected (Loader      *loader,
               GError     **error,
               const char  *field,
               const char  *expected,
               JsonNode    *found)
{
  g_autofree char *found_text = _vd_policy_describe_node (found);

  /* TRANSLATORS: e.g. "expected a number from 0 to 1, found 1.5" */
  return fail (loader, error, field, _("expected %s, found %s"), expected, found_text);
}

static gboolean
read_threshold (Loader      *loader,
                JsonNode    *node,
                const char  *field,
                double      *out,
                GError     **error)
{
  double value;

  if (!node_is_number (node))
    return fail_expected (loader, error, field, _("a number from 0 to 1"), node);

  value = node_get_number (node);
  if (!(value >= 0.0 && value <= 1.0))
    return fail_expected (loader, error, field, _("a number from 0 to 1"), node);

  *out = value;
  return TRUE;
}

static gboolean
read_nonempty_string (Loader       *loader,
                      JsonNode     *node,
                      const char   *field,
                      const char  **out,
                      GError      **error)
{
  if (!node_is_string (node) || json_node_get_string (node)[0] == '\0')
    return fail_expected (loader, error, field, _("a non-empty string"), node);

  *out = json_node_get_string (node);
  return TRUE;
}

/* A whole number from @min to @max; 3.0 counts as 3. */
static gboolean
read_whole_number (Loader      *loader,
                   JsonNode    *node,
                   const char  *field,
                   const char  *expected,
                   gint64       min,
                   gint64       max,
                   gint64      *out,
                   GError     **error)
{
  double value;

  if (!node_is_number (node))
    return fail_expected (loader, error, field, expected, node);

  value = node_get_number (node);
  if (value != floor (value) || value < (double) min || value > (double) max)
    return fail_expected (loader, error, field, expected, node);

  *out = (gint64) value;
  return TRUE;
}

/* "reviews_required": 1, or 2 for four-eyes review. */
static gboolean
read_reviews_required (Loader      *loader,
                       JsonNode    *node,
                       const char  *field,
                       guint       *out,
                       GError     **error)
{
  gint64 value;

  if (!read_whole_number (loader, node, field, _("1 or 2"), 1, MAX_REVIEWS_REQUIRED, &value,
                          error))
    return FALSE;

  *out = (guint) value;
  return TRUE;
}

static gboolean
read_sla_minutes (Loader      *loader,
                  JsonNode    *node,
                  const char  *field,
                  guint       *out,
                  GError     **error)
{
  g_autofree char *expected =
    /* TRANSLATORS: %d is the largest value, ten years in minutes */
    g_strdup_printf (_("a whole number of minutes from 1 to %d (ten years)"), MAX_SLA_MINUTES);
  gint64 minutes = 0;

  if (!read_whole_number (loader, node, field, expected, 1, MAX_SLA_MINUTES, &minutes, error))
    return FALSE;

  *out = (guint) minutes;
  return TRUE;
}

static gboolean
read_fallback (Loader         *loader,
               JsonNode       *node,
               const char     *field,
               VdSlaFallback  *out,
               GError        **error)
{
  if (!node_is_string (node) || !vd_sla_fallback_from_string (json_node_get_string (node), out))
    return fail_expected (loader, error, field, _("one of escalate, auto_reject, auto_approve"),
                          node);

  return TRUE;
}

/* Reads an array of non-empty strings, calling @add for each. With
 * @visible (what to expect instead), a string must also keep a character
 * once invisible ones are taken out: a keyword of zero-width spaces alone
 * would match every output. */
static gboolean
read_string_list (VdPolicy     *self,
                  Loader       *loader,
                  JsonNode     *node,
                  const char   *field,
                  const char   *visible,
                  void        (*add) (VdPolicy *, const char *),
                  GError      **error)
{
  JsonArray *array;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return fail_expected (loader, error, field, _("an array of strings"), node);

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *element_field = g_strdup_printf ("%s[%u]", field, i);
      const char *word = NULL;

      if (!read_nonempty_string (loader, json_array_get_element (array, i),
                                 element_field, &word, error))
        return FALSE;

      if (visible != NULL)
        {
          g_autofree char *folded = _vd_policy_fold_text (word);

          if (folded[0] == '\0')
            return fail_expected (loader, error, element_field, visible,
                                  json_array_get_element (array, i));
        }

      add (self, word);
    }

  return TRUE;
}

/* Reads an object whose members are named entries (task types, queues),
 * calling @read with each name and value. */
static gboolean
read_named_entries (VdPolicy     *self,
                    Loader       *loader,
                    JsonNode     *node,
                    const char   *field,
                    gboolean    (*read) (VdPolicy *, Loader *, const char *, JsonNode *,
                                         GError **),
                    GError      **error)
{
  g_autoptr(GList) members = NULL;
  JsonObject *object;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return fail_expected (loader, error, field, _("an object"), node);

  object = json_node_get_object (node);
  members = json_object_get_members (object);
  for (const GList *l = members; l != NULL; l = l->next)
    {
      if (!read (self, loader, l->data, json_object_get_member (object, l->data), error))
        return FALSE;
    }

  return TRUE;
}

/* Fields of a "task_types" entry. To support a new per-type setting, add
 * a field to TypeSettings, a reader here and a line in type_to_json(). */

static gboolean
read_type_threshold (VdPolicy      *self,
                     Loader        *loader,
                     TypeSettings  *settings,
                     JsonNode      *node,
                     const char    *field,
                     GError       **error)
{
  if (!read_threshold (loader, node, field, &settings->threshold, error))
    return FALSE;

  settings->has_threshold = TRUE;
  return TRUE;
}

static gboolean
read_type_sla_minutes (VdPolicy      *self,
                       Loader        *loader,
                       TypeSettings  *settings,
                       JsonNode      *node,
                       const char    *field,
                       GError       **error)
{
  return read_sla_minutes (loader, node, field, &settings->sla_minutes, error);
}

static gboolean
read_type_fallback (VdPolicy      *self,
                    Loader        *loader,
                    TypeSettings  *settings,
                    JsonNode      *node,
                    const char    *field,
                    GError       **error)
{
  if (!read_fallback (loader, node, field, &settings->fallback, error))
    return FALSE;

  settings->has_fallback = TRUE;
  return TRUE;
}

static gboolean
read_type_reviews_required (VdPolicy      *self,
                            Loader        *loader,
                            TypeSettings  *settings,
                            JsonNode      *node,
                            const char    *field,
                            GError       **error)
{
  return read_reviews_required (loader, node, field, &settings->reviews_required, error);
}

static const struct {
  const char *name;
  gboolean  (*read) (VdPolicy *, Loader *, TypeSettings *, JsonNode *, const char *, GError **);
} type_fields[] = {
  { "confidence_threshold", read_type_threshold },
  { "sla_minutes", read_type_sla_minutes },
  { "fallback", read_type_fallback },
  { "reviews_required", read_type_reviews_required },
};

static gboolean
read_type_settings (VdPolicy    *self,
                    Loader      *loader,
                    const char  *task_type,
                    JsonNode    *node,
                    GError     **error)
{
  g_autofree char *field = g_strdup_printf ("task_types.%s", task_type);
  g_autoptr(GList) members = NULL;
  TypeSettings *settings;
  JsonObject *object;

  if (task_type[0] == '\0')
    return fail (loader, error, "task_types", _("a task type name must not be empty"));

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return fail_expected (loader, error, field, _("an object"), node);

  settings = _vd_policy_ensure_type_settings (self, task_type);
  object = json_node_get_object (node);
  members = json_object_get_members (object);

  for (const GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      g_autofree char *member_field = g_strdup_printf ("%s.%s", field, name);
      gboolean known = FALSE;

      for (guint i = 0; i < G_N_ELEMENTS (type_fields); i++)
        {
          if (strcmp (type_fields[i].name, name) != 0)
            continue;

          if (!type_fields[i].read (self, loader, settings,
                                    json_object_get_member (object, name),
                                    member_field, error))
            return FALSE;

          known = TRUE;
          break;
        }

      if (!known)
        return fail (loader, error, field, _("unknown field “%s”"), name);
    }

  return TRUE;
}

static gboolean
read_rule (VdPolicy    *self,
           Loader      *loader,
           guint        index,
           JsonNode    *node,
           GError     **error)
{
  /* The first four are required. */
  static const char * const rule_keys[] = {
    "name", "path", "op", "value", "reason", "when_missing", "reviews_required", NULL
  };
  g_autofree char *field = g_strdup_printf ("rules[%u]", index);
  g_autofree char *sub = NULL;
  g_autoptr(GList) members = NULL;
  g_autoptr(Rule) rule = NULL;
  JsonObject *object;
  JsonNode *member;
  const char *text = NULL;
  gboolean op_found = FALSE;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return fail_expected (loader, error, field, _("an object"), node);

  object = json_node_get_object (node);
  members = json_object_get_members (object);

  for (const GList *l = members; l != NULL; l = l->next)
    {
      if (!g_strv_contains (rule_keys, l->data))
        return fail (loader, error, field, _("unknown field “%s”"), (const char *) l->data);
    }

  for (guint i = 0; i < 4; i++)
    {
      if (!json_object_has_member (object, rule_keys[i]))
        return fail (loader, error, field, _("missing field “%s”"), rule_keys[i]);
    }

  rule = g_new0 (Rule, 1);
  rule->reason = VD_ESCALATION_REASON_POLICY_REQUIRED;

  sub = g_strdup_printf ("%s.name", field);
  if (!read_nonempty_string (loader, json_object_get_member (object, "name"), sub, &text, error))
    return FALSE;
  rule->name = g_strdup (text);
  g_free (sub);

  sub = g_strdup_printf ("%s.path", field);
  member = json_object_get_member (object, "path");
  if (!node_is_string (member))
    return fail_expected (loader, error, sub, _("a metadata path such as “customer.tier”"),
                          member);
  rule->path = g_strdup (json_node_get_string (member));
  rule->segments = g_strsplit (rule->path, ".", -1);
  for (guint i = 0; rule->path[0] == '\0' || rule->segments[i] != NULL; i++)
    {
      /* g_strsplit() gives no segment at all for "". */
      if (rule->path[0] == '\0' || rule->segments[i][0] == '\0')
        return fail_expected (loader, error, sub, _("a metadata path such as “customer.tier”"),
                              member);
    }
  g_free (sub);

  sub = g_strdup_printf ("%s.op", field);
  member = json_object_get_member (object, "op");
  for (guint i = 0; i < G_N_ELEMENTS (_vd_policy_op_names) && node_is_string (member); i++)
    {
      if (strcmp (_vd_policy_op_names[i], json_node_get_string (member)) == 0)
        {
          rule->op = i;
          op_found = TRUE;
          break;
        }
    }
  if (!op_found)
    return fail_expected (loader, error, sub, _("one of >, >=, <, <=, ==, !=, contains"), member);
  g_free (sub);

  sub = g_strdup_printf ("%s.value", field);
  member = json_object_get_member (object, "value");
  switch (rule->op)
    {
    case RULE_OP_GT:
    case RULE_OP_GE:
    case RULE_OP_LT:
    case RULE_OP_LE:
      if (!node_is_number (member))
        {
          g_autofree char *expected =
            g_strdup_printf (_("a number for “%s”"), _vd_policy_op_names[rule->op]);

          return fail_expected (loader, error, sub, expected, member);
        }
      break;

    case RULE_OP_CONTAINS:
      if (!node_is_string (member))
        return fail_expected (loader, error, sub, _("a string for “contains”"), member);
      break;

    case RULE_OP_EQ:
    case RULE_OP_NE:
    default:
      if (!node_is_number (member) && !node_is_string (member))
        return fail_expected (loader, error, sub, _("a number or a string"), member);
      break;
    }
  rule->value = _vd_policy_scalar_copy (member);
  if (rule->op == RULE_OP_CONTAINS)
    {
      rule->compare_value = _vd_policy_fold_text (json_node_get_string (member));
      if (rule->compare_value[0] == '\0')
        return fail_expected (loader, error, sub,
                              _("a string with at least one visible character for “contains”"),
                              member);
    }
  else if (node_is_string (member))
    {
      rule->compare_value = _vd_policy_clean_text (json_node_get_string (member));
    }
  g_free (sub);

  sub = g_strdup_printf ("%s.reason", field);
  member = json_object_get_member (object, "reason");
  if (member != NULL &&
      (!node_is_string (member) ||
       !vd_escalation_reason_from_string (json_node_get_string (member), &rule->reason) ||
       rule->reason == VD_ESCALATION_REASON_REVIEWERS_DISAGREE))
    return fail_expected (loader, error, sub,
                          _("one of low_confidence, sensitive_content, high_risk_action, "
                            "ambiguous_input, error_occurred, policy_required, user_requested"),
                          member);
  g_free (sub);

  /* What a rule does when the item lacks its field: by default it does
   * not fire, as a Python rule of the reference would not. */
  sub = g_strdup_printf ("%s.when_missing", field);
  member = json_object_get_member (object, "when_missing");
  if (member != NULL)
    {
      const char *when = node_is_string (member) ? json_node_get_string (member) : "";

      if (strcmp (when, "escalate") == 0)
        rule->escalate_missing = TRUE;
      else if (strcmp (when, "ignore") != 0)
        return fail_expected (loader, error, sub, _("one of ignore, escalate"), member);
    }

  member = json_object_get_member (object, "reviews_required");
  if (member != NULL)
    {
      g_free (sub);
      sub = g_strdup_printf ("%s.reviews_required", field);
      if (!read_reviews_required (loader, member, sub, &rule->reviews_required, error))
        return FALSE;
    }

  g_ptr_array_add (self->rules, g_steal_pointer (&rule));
  return TRUE;
}

/* Top-level fields. Each reader gets the member's node and field name. */

static gboolean
read_version (VdPolicy    *self,
              Loader      *loader,
              JsonNode    *node,
              const char  *field,
              GError     **error)
{
  if (!node_is_number (node) || node_get_number (node) != POLICY_VERSION)
    return fail_expected (loader, error, field, "1", node);

  return TRUE;
}

/* "review_all": true queues every item for a human. */
static gboolean
read_review_all (VdPolicy    *self,
                 Loader      *loader,
                 JsonNode    *node,
                 const char  *field,
                 GError     **error)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return fail_expected (loader, error, field, "true or false", node);

  self->review_all = json_node_get_boolean (node);

  return TRUE;
}

static gboolean
read_global_reviews_required (VdPolicy    *self,
                              Loader      *loader,
                              JsonNode    *node,
                              const char  *field,
                              GError     **error)
{
  return read_reviews_required (loader, node, field, &self->reviews_required, error);
}

static gboolean
read_global_threshold (VdPolicy    *self,
                       Loader      *loader,
                       JsonNode    *node,
                       const char  *field,
                       GError     **error)
{
  return read_threshold (loader, node, field, &self->confidence_threshold, error);
}

static gboolean
read_sensitive_keywords (VdPolicy    *self,
                         Loader      *loader,
                         JsonNode    *node,
                         const char  *field,
                         GError     **error)
{
  return read_string_list (self, loader, node, field,
                           _("a keyword with at least one visible character"),
                           vd_policy_add_sensitive_keyword, error);
}

static gboolean
read_high_risk_actions (VdPolicy    *self,
                        Loader      *loader,
                        JsonNode    *node,
                        const char  *field,
                        GError     **error)
{
  return read_string_list (self, loader, node, field,
                           _("an action with at least one visible character"),
                           vd_policy_add_high_risk_action, error);
}

static gboolean
read_always_review_types (VdPolicy    *self,
                          Loader      *loader,
                          JsonNode    *node,
                          const char  *field,
                          GError     **error)
{
  return read_string_list (self, loader, node, field, NULL, vd_policy_add_always_review_type,
                           error);
}

static gboolean
read_task_types (VdPolicy    *self,
                 Loader      *loader,
                 JsonNode    *node,
                 const char  *field,
                 GError     **error)
{
  return read_named_entries (self, loader, node, field, read_type_settings, error);
}

static gboolean
read_rules (VdPolicy    *self,
            Loader      *loader,
            JsonNode    *node,
            const char  *field,
            GError     **error)
{
  JsonArray *array;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return fail_expected (loader, error, field, _("an array of rules"), node);

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      if (!read_rule (self, loader, i, json_array_get_element (array, i), error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
read_global_sla_minutes (VdPolicy    *self,
                         Loader      *loader,
                         JsonNode    *node,
                         const char  *field,
                         GError     **error)
{
  return read_sla_minutes (loader, node, field, &self->sla_minutes, error);
}

static gboolean
read_claim_minutes (VdPolicy    *self,
                    Loader      *loader,
                    JsonNode    *node,
                    const char  *field,
                    GError     **error)
{
  g_autofree char *expected =
    /* TRANSLATORS: %d is the largest value, a day in minutes */
    g_strdup_printf (_("a whole number of minutes from 1 to %d (a day)"),
                     VD_POLICY_MAX_CLAIM_MINUTES);
  gint64 minutes = 0;

  if (!read_whole_number (loader, node, field, expected, 1, VD_POLICY_MAX_CLAIM_MINUTES,
                          &minutes, error))
    return FALSE;

  self->claim_minutes = (guint) minutes;
  return TRUE;
}

static gboolean
read_global_fallback (VdPolicy    *self,
                      Loader      *loader,
                      JsonNode    *node,
                      const char  *field,
                      GError     **error)
{
  if (!read_fallback (loader, node, field, &self->fallback, error))
    return FALSE;

  self->has_fallback = TRUE;
  return TRUE;
}

/* "escalated": {"sla_minutes": N}: the deadline of items the fallback
 * escalated. */
static gboolean
read_escalated (VdPolicy    *self,
                Loader      *loader,
                JsonNode    *node,
                const char  *field,
                GError     **error)
{
  g_autoptr(GList) members = NULL;
  JsonObject *object;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return fail_expected (loader, error, field, _("an object"), node);

  object = json_node_get_object (node);
  members = json_object_get_members (object);
  for (const GList *l = members; l != NULL; l = l->next)
    {
      g_autofree char *member_field = g_strdup_printf ("%s.%s", field, (const char *) l->data);

      if (strcmp (l->data, "sla_minutes") != 0)
        return fail (loader, error, field, _("unknown field “%s”"), (const char *) l->data);

      if (!read_sla_minutes (loader, json_object_get_member (object, l->data), member_field,
                             &self->escalated_sla_minutes, error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
read_queue_settings (VdPolicy    *self,
                     Loader      *loader,
                     const char  *queue,
                     JsonNode    *node,
                     GError     **error)
{
  g_autofree char *field = g_strdup_printf ("queues.%s", queue);
  g_autofree char *sub = NULL;
  g_autoptr(GList) members = NULL;
  VdQueueFullAction on_full = VD_QUEUE_FULL_PAUSE_AGENT;
  JsonObject *object;
  JsonNode *member;
  gint64 max_pending = 0;

  if (queue[0] == '\0')
    return fail (loader, error, "queues", _("a queue name must not be empty"));

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return fail_expected (loader, error, field, _("an object"), node);

  object = json_node_get_object (node);
  members = json_object_get_members (object);
  for (const GList *l = members; l != NULL; l = l->next)
    {
      if (strcmp (l->data, "max_pending") != 0 && strcmp (l->data, "on_full") != 0)
        return fail (loader, error, field, _("unknown field “%s”"), (const char *) l->data);
    }

  if (!json_object_has_member (object, "max_pending"))
    return fail (loader, error, field, _("missing field “%s”"), "max_pending");

  sub = g_strdup_printf ("%s.max_pending", field);
  if (!read_whole_number (loader, json_object_get_member (object, "max_pending"), sub,
                          _("a whole number of items from 1 up"), 1, MAX_PENDING_LIMIT,
                          &max_pending, error))
    return FALSE;
  g_free (sub);

  sub = g_strdup_printf ("%s.on_full", field);
  member = json_object_get_member (object, "on_full");
  if (member != NULL &&
      (!node_is_string (member) ||
       !vd_queue_full_action_from_string (json_node_get_string (member), &on_full)))
    return fail_expected (loader, error, sub, _("one of pause_agent, refuse"), member);

  vd_policy_set_queue_limit (self, queue, (guint) max_pending, on_full);
  return TRUE;
}

static gboolean
read_queues (VdPolicy    *self,
             Loader      *loader,
             JsonNode    *node,
             const char  *field,
             GError     **error)
{
  return read_named_entries (self, loader, node, field, read_queue_settings, error);
}

/* "feedback_categories": the short list a reviewer picks a feedback
 * category from; free text stays possible. */
static gboolean
read_feedback_categories (VdPolicy    *self,
                          Loader      *loader,
                          JsonNode    *node,
                          const char  *field,
                          GError     **error)
{
  JsonArray *array;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return fail_expected (loader, error, field, _("an array of strings"), node);

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *element_field = g_strdup_printf ("%s[%u]", field, i);
      JsonNode *element = json_array_get_element (array, i);
      const char *name;

      if (!node_is_string (element) || json_node_get_string (element)[0] == '\0' ||
          g_utf8_strlen (json_node_get_string (element), -1) > VD_POLICY_CATEGORY_MAX_CHARS)
        return fail_expected (loader, error, element_field,
                              _("a non-empty string of at most 40 characters"), element);

      name = json_node_get_string (element);
      if (g_ptr_array_find_with_equal_func (self->feedback_categories, name, g_str_equal, NULL))
        return fail (loader, error, element_field, _("“%s” is listed twice"), name);

      vd_policy_add_feedback_category (self, name);
    }

  return TRUE;
}

/* "reviewers": the roster of who may decide (see vd-roster.h). Its errors
 * name the member already, e.g. "reviewers[1].public_key: ...". */
static gboolean
read_reviewers (VdPolicy    *self,
                Loader      *loader,
                JsonNode    *node,
                const char  *field,
                GError     **error)
{
  g_autoptr(GError) roster_error = NULL;
  VdRoster *roster;

  roster = vd_roster_new_from_json (node, &roster_error);
  if (roster == NULL)
    return fail (loader, error, NULL, "%s", roster_error->message);

  g_clear_object (&self->roster);
  self->roster = roster;
  return TRUE;
}

static gboolean
same_key_listed (VdPolicy    *self,
                 Loader      *loader,
                 VdKey       *key,
                 const char  *field,
                 GError     **error)
{
  for (guint i = 0; i < self->trusted_sources->len; i++)
    {
      if (vd_key_equal_public (g_ptr_array_index (self->trusted_sources, i), key))
        return fail (loader, error, field, _("the key %s is listed twice (also %s[%u])"),
                     vd_key_get_id (key), "trusted_sources", i);
    }

  return TRUE;
}

/* One entry of "trusted_sources": a minisign public key line, or
 * {"name": "triage-agent", "public_key": "RW..."}. */
static gboolean
read_trusted_source (VdPolicy    *self,
                     Loader      *loader,
                     JsonNode    *node,
                     const char  *field,
                     GError     **error)
{
  g_autofree char *key_field = NULL;
  g_autoptr(GError) key_error = NULL;
  g_autoptr(VdKey) key = NULL;
  const char *name = NULL;
  JsonNode *key_node = node;

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      g_autoptr(GList) members = json_object_get_members (object);
      g_autofree char *name_field = g_strdup_printf ("%s.name", field);

      for (const GList *l = members; l != NULL; l = l->next)
        {
          if (strcmp (l->data, "name") != 0 && strcmp (l->data, "public_key") != 0)
            return fail (loader, error, field, _("unknown field “%s”"), (const char *) l->data);
        }

      if (!json_object_has_member (object, "name"))
        return fail (loader, error, field, _("missing field “%s”"), "name");
      if (!json_object_has_member (object, "public_key"))
        return fail (loader, error, field, _("missing field “%s”"), "public_key");

      if (!read_nonempty_string (loader, json_object_get_member (object, "name"), name_field,
                                 &name, error))
        return FALSE;

      key_node = json_object_get_member (object, "public_key");
      key_field = g_strdup_printf ("%s.public_key", field);
    }
  else
    {
      key_field = g_strdup (field);
    }

  if (!node_is_string (key_node))
    return fail_expected (loader, error, key_field,
                          JSON_NODE_HOLDS_OBJECT (node)
                          ? _("a minisign public key (a line starting with “RW”)")
                          : _("a minisign public key, or an object with “name” and "
                              "“public_key”"),
                          key_node);

  key = vd_key_parse_public (json_node_get_string (key_node), name, &key_error);
  if (key == NULL)
    return fail (loader, error, key_field, "%s", key_error->message);

  if (!same_key_listed (self, loader, key, key_field, error))
    return FALSE;

  g_ptr_array_add (self->trusted_sources, g_steal_pointer (&key));
  return TRUE;
}

/* "trusted_sources": the public keys whose signatures on a queue file
 * (FILE.minisig) are accepted. */
static gboolean
read_trusted_sources (VdPolicy    *self,
                      Loader      *loader,
                      JsonNode    *node,
                      const char  *field,
                      GError     **error)
{
  JsonArray *array;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return fail_expected (loader, error, field, _("an array of public keys"), node);

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *element_field = g_strdup_printf ("%s[%u]", field, i);

      if (!read_trusted_source (self, loader, json_array_get_element (array, i), element_field,
                                error))
        return FALSE;
    }

  return TRUE;
}

/* "require_signed_queues": true refuses a queue file without a good
 * signature by a trusted source. */
static gboolean
read_require_signed_queues (VdPolicy    *self,
                            Loader      *loader,
                            JsonNode    *node,
                            const char  *field,
                            GError     **error)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return fail_expected (loader, error, field, "true or false", node);

  self->require_signed_queues = json_node_get_boolean (node);

  return TRUE;
}

static const struct {
  const char *name;
  gboolean  (*read) (VdPolicy *, Loader *, JsonNode *, const char *, GError **);
} top_fields[] = {
  { "verdict_policy", read_version },
  { "review_all", read_review_all },
  { "reviews_required", read_global_reviews_required },
  { "confidence_threshold", read_global_threshold },
  { "sensitive_keywords", read_sensitive_keywords },
  { "high_risk_actions", read_high_risk_actions },
  { "always_review_types", read_always_review_types },
  { "task_types", read_task_types },
  { "rules", read_rules },
  { "sla_minutes", read_global_sla_minutes },
  { "fallback", read_global_fallback },
  { "escalated", read_escalated },
  { "claim_minutes", read_claim_minutes },
  { "queues", read_queues },
  { "feedback_categories", read_feedback_categories },
  { "reviewers", read_reviewers },
  { "trusted_sources", read_trusted_sources },
  { "require_signed_queues", read_require_signed_queues },
};

/* Checks that need the whole policy, whatever the order of its fields. */
static gboolean
check_consistency (VdPolicy  *self,
                   Loader    *loader,
                   GError   **error)
{
  for (guint i = 0; i < self->task_types->len; i++)
    {
      TypeSettings *settings = g_ptr_array_index (self->task_types, i);

      /* A type that always needs a human cannot be approved without one
       * when its deadline passes: refuse rather than guess which wins. */
      if (settings->has_fallback && settings->fallback == VD_SLA_FALLBACK_AUTO_APPROVE &&
          vd_policy_is_always_review_type (self, settings->name))
        return fail (loader, error, settings->fallback_field,
                     _("“auto_approve” would approve items of “%s” without a human when "
                       "their deadline passes, but always_review_types names “%s”: choose "
                       "escalate or auto_reject, or take the type out of always_review_types"),
                     settings->name, settings->name);
    }

  /* Nothing could be imported: say so now rather than at the first import. */
  if (self->require_signed_queues && self->trusted_sources->len == 0)
    return fail (loader, error, NULL,
                 _("require_signed_queues needs trusted_sources (the public keys of the "
                   "agents that sign queue files)"));

  return TRUE;
}

/**
 * vd_policy_new_from_json:
 * @node: the policy as JSON
 * @source_name: (nullable): the file name to put in error messages
 * @error: return location for a #VD_POLICY_ERROR_INVALID error
 *
 * Builds a policy from its JSON form (see vd-policy.h), validating every
 * field. An error names the source, the field, what was expected and what
 * was found, e.g. `policy.json: confidence_threshold: expected a number
 * from 0 to 1, found 1.5`. Unknown fields are refused.
 *
 * Returns: (transfer full) (nullable): the policy, or %NULL on error
 */
VdPolicy *
vd_policy_new_from_json (JsonNode    *node,
                         const char  *source_name,
                         GError     **error)
{
  g_autoptr(VdPolicy) self = NULL;
  g_autoptr(GList) members = NULL;
  Loader loader = { source_name != NULL ? source_name : "policy" };
  JsonObject *object;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (node == NULL)
    {
      fail (&loader, error, NULL, _("expected a JSON object, found nothing"));
      return NULL;
    }

  /* Every string valid UTF-8 once its escapes are decoded (json-glib turns
   * "\ud800" into bytes that are not) and every number finite (it reads
   * 1e999 as infinity): either would pass the checks below, then break the
   * store's copy of the policy and its written form. First, since even the
   * message about a root that is not an object quotes it. */
  {
    g_autoptr(GError) guard_error = NULL;

    if (!vd_json_guard_check_node (node, NULL, &guard_error))
      {
        fail (&loader, error, NULL, "%s", guard_error->message);
        return NULL;
      }
  }

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      fail_expected (&loader, error, NULL, _("a JSON object"), node);
      return NULL;
    }

  self = vd_policy_new ();
  object = json_node_get_object (node);
  members = json_object_get_members (object);

  for (const GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      gboolean known = FALSE;

      for (guint i = 0; i < G_N_ELEMENTS (top_fields); i++)
        {
          if (strcmp (top_fields[i].name, name) != 0)
            continue;

          if (!top_fields[i].read (self, &loader, json_object_get_member (object, name),
                                   name, error))
            return NULL;

          known = TRUE;
          break;
        }

      if (!known)
        {
          fail (&loader, error, NULL, _("unknown field “%s”"), name);
          return NULL;
        }
    }

  if (!check_consistency (self, &loader, error))
    return NULL;

  return g_steal_pointer (&self);
}

/* json-glib reports "<data>:LINE:COLUMN: Parse error: ..."; show the
 * source name instead of "<data>". The message quotes the text it stopped
 * at, cut after a number of bytes that may fall inside a character: make
 * it valid UTF-8 again, as every message must be. */
static char *
rewrite_parse_error (const char *source,
                     const char *message)
{
  const char *prefix = "<data>:";
  g_autofree char *valid = g_utf8_make_valid (message, -1);

  if (g_str_has_prefix (valid, prefix))
    return g_strdup_printf ("%s:%s", source, valid + strlen (prefix));

  return g_strdup_printf ("%s: %s", source, valid);
}

/* The text that is a byte offset into @data, as "LINE:COLUMN" from 1. */
static char *
describe_offset (const char *data,
                 gsize       offset)
{
  guint line = 1;
  gsize line_start = 0;

  for (gsize i = 0; i < offset; i++)
    {
      if (data[i] == '\n')
        {
          line++;
          line_start = i + 1;
        }
    }

  return g_strdup_printf ("%u:%" G_GSIZE_FORMAT, line, offset - line_start + 1);
}

static gboolean
fail_too_large (const char  *source,
                guint64      size,
                GError     **error)
{
  g_set_error (error, VD_POLICY_ERROR, VD_POLICY_ERROR_INVALID,
               /* TRANSLATORS: %s is a file name, then its size in bytes and the limit
                * in MiB */
               _("%s: %" G_GUINT64_FORMAT " bytes is too large for a policy (at most %d MiB); "
                 "is this the right file?"),
               source, size, VD_POLICY_MAX_BYTES / (1024 * 1024));
  return FALSE;
}

/**
 * vd_policy_new_from_data:
 * @data: the policy as JSON text
 * @length: the length of @data, or -1 if it is nul-terminated
 * @source_name: (nullable): the file name to put in error messages
 * @error: return location for a #VD_POLICY_ERROR_INVALID error
 *
 * Parses and validates a policy of at most %VD_POLICY_MAX_BYTES. Faults in
 * the text (invalid JSON, nesting deeper than %VD_JSON_MAX_DEPTH, bytes
 * that are not UTF-8, a NUL, an integer beyond 64 bits) are reported with
 * the line and column; faults in values with the field, e.g.
 * `policy.json: rules[0].value: a number too large to represent`.
 *
 * Returns: (transfer full) (nullable): the policy, or %NULL on error
 */
VdPolicy *
vd_policy_new_from_data (const char  *data,
                         gssize       length,
                         const char  *source_name,
                         GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *source = source_name != NULL ? source_name : "policy";
  const char *invalid = NULL;
  guint line = 0, column = 0;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (length < 0)
    length = strlen (data);

  if ((gsize) length > VD_POLICY_MAX_BYTES)
    {
      fail_too_large (source, (guint64) length, error);
      return NULL;
    }

  /* Before json-glib: it recurses once per level of nesting, wraps big
   * integers around and cuts strings at \u0000. */
  if (!vd_json_guard_scan (data, length, VD_JSON_MAX_DEPTH, &line, &column, &local_error))
    {
      g_set_error (error, VD_POLICY_ERROR, VD_POLICY_ERROR_INVALID, "%s:%u:%u: %s",
                   source, line, column, local_error->message);
      return NULL;
    }

  if (!g_utf8_validate (data, length, &invalid))
    {
      g_autofree char *where = describe_offset (data, invalid - data);

      if (*invalid == '\0')
        g_set_error (error, VD_POLICY_ERROR, VD_POLICY_ERROR_INVALID,
                     _("%s:%s: a NUL byte, which a text file does not hold; is this the "
                       "right file?"), source, where);
      else
        g_set_error (error, VD_POLICY_ERROR, VD_POLICY_ERROR_INVALID,
                     _("%s:%s: not valid UTF-8 text; save the file as UTF-8"), source, where);
      return NULL;
    }

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, length, &local_error))
    {
      g_autofree char *message = rewrite_parse_error (source, local_error->message);

      g_set_error_literal (error, VD_POLICY_ERROR, VD_POLICY_ERROR_INVALID, message);
      return NULL;
    }

  return vd_policy_new_from_json (json_parser_get_root (parser), source, error);
}

/* Reads a policy file, refusing one larger than VD_POLICY_MAX_BYTES before
 * reading it whole. */
gboolean
_vd_policy_read_file (const char  *path,
                      char       **contents,
                      gsize       *length,
                      GError     **error)
{
  GStatBuf st;

  if (g_stat (path, &st) == 0 && S_ISREG (st.st_mode) &&
      (guint64) st.st_size > VD_POLICY_MAX_BYTES)
    {
      g_autofree char *display_name = g_filename_display_name (path);

      return fail_too_large (display_name, (guint64) st.st_size, error);
    }

  return g_file_get_contents (path, contents, length, error);
}

/**
 * vd_policy_new_from_file:
 * @path: a policy file
 * @error: return location for an error
 *
 * Loads a policy file. Errors name @path as given; so does the policy's
 * source (vd_policy_get_source()).
 *
 * Returns: (transfer full) (nullable): the policy, or %NULL on error
 */
VdPolicy *
vd_policy_new_from_file (const char  *path,
                         GError     **error)
{
  g_autofree char *contents = NULL;
  g_autofree char *display_name = NULL;
  VdPolicy *policy;
  gsize length;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!_vd_policy_read_file (path, &contents, &length, error))
    return NULL;

  display_name = g_filename_display_name (path);
  policy = vd_policy_new_from_data (contents, length, display_name, error);
  if (policy != NULL)
    {
      vd_policy_set_source (policy, display_name);
      _vd_policy_set_file_bytes (policy, contents, length);
    }

  return policy;
}
