/* vd-policy-writer.c
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

#include "vd-json-text.h"
#include "vd-policy-private.h"

/* Shortest decimal text that reads back as the same double. */
char *
_vd_policy_format_number (double value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  if (value == floor (value) && fabs (value) < 1e15)
    return g_strdup_printf ("%.0f", value);

  g_ascii_formatd (buffer, sizeof buffer, "%.15g", value);
  if (g_ascii_strtod (buffer, NULL) != value)
    g_ascii_formatd (buffer, sizeof buffer, "%.17g", value);

  return g_strdup (buffer);
}

/* Characters that render as nothing are written as escapes, so that a
 * reader of the file (or of a message quoting it) sees them. */
static void
append_json_string (GString    *out,
                    const char *text,
                    gssize      max_chars)
{
  vd_json_append_string (out, text, max_chars, VD_JSON_TEXT_ESCAPE_INVISIBLE);
}

/* Scalars as JSON text, doubles in their shortest exact form (json-glib
 * 1.6 writes 0.7 as 0.69999999999999996). */
static void
append_json_scalar (GString  *out,
                    JsonNode *node)
{
  g_autofree char *number = NULL;

  if (JSON_NODE_HOLDS_NULL (node))
    {
      g_string_append (out, "null");
      return;
    }

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
      break;

    case G_TYPE_DOUBLE:
      number = _vd_policy_format_number (json_node_get_double (node));
      g_string_append (out, number);
      /* Keep it a double when read back. */
      if (strpbrk (number, ".eE") == NULL)
        g_string_append (out, ".0");
      break;

    case G_TYPE_BOOLEAN:
      g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
      break;

    case G_TYPE_STRING:
      append_json_string (out, json_node_get_string (node), -1);
      break;

    default:
      g_assert_not_reached ();
    }
}

static void
append_indent (GString *out,
               guint    depth)
{
  for (guint i = 0; i < depth; i++)
    g_string_append (out, "  ");
}

static void
append_json_node (GString  *out,
                  JsonNode *node,
                  guint     depth)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      g_autoptr(GList) members = json_object_get_members (object);

      if (members == NULL)
        {
          g_string_append (out, "{}");
          return;
        }

      g_string_append (out, "{\n");
      for (const GList *l = members; l != NULL; l = l->next)
        {
          append_indent (out, depth + 1);
          append_json_string (out, l->data, -1);
          g_string_append (out, ": ");
          append_json_node (out, json_object_get_member (object, l->data), depth + 1);
          g_string_append (out, l->next != NULL ? ",\n" : "\n");
        }
      append_indent (out, depth);
      g_string_append_c (out, '}');
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      guint length = json_array_get_length (array);

      if (length == 0)
        {
          g_string_append (out, "[]");
          return;
        }

      g_string_append (out, "[\n");
      for (guint i = 0; i < length; i++)
        {
          append_indent (out, depth + 1);
          append_json_node (out, json_array_get_element (array, i), depth + 1);
          g_string_append (out, i + 1 < length ? ",\n" : "\n");
        }
      append_indent (out, depth);
      g_string_append_c (out, ']');
    }
  else
    {
      append_json_scalar (out, node);
    }
}

/* A new node with the same scalar; json_node_copy() would share the value. */
JsonNode *
_vd_policy_scalar_copy (JsonNode *node)
{
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      return json_node_init_int (json_node_alloc (), json_node_get_int (node));
    case G_TYPE_DOUBLE:
      return json_node_init_double (json_node_alloc (), json_node_get_double (node));
    case G_TYPE_STRING:
      return json_node_init_string (json_node_alloc (), json_node_get_string (node));
    default:
      g_assert_not_reached ();
    }
}

/* A value as a reader of an error message or explanation sees it: numbers
 * and JSON literals as written, strings in JSON quotes (cut when long). */
char *
_vd_policy_describe_node (JsonNode *node)
{
  g_autoptr(GString) out = g_string_new (NULL);

  if (JSON_NODE_HOLDS_OBJECT (node))
    return g_strdup (_("an object"));

  if (JSON_NODE_HOLDS_ARRAY (node))
    return g_strdup (_("an array"));

  if (node_is_string (node))
    append_json_string (out, json_node_get_string (node), 60);
  else
    append_json_scalar (out, node);

  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* Saving */

static void
add_string_array (JsonBuilder *builder,
                  const char  *name,
                  GPtrArray   *strings)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  for (guint i = 0; i < strings->len; i++)
    json_builder_add_string_value (builder, g_ptr_array_index (strings, i));
  json_builder_end_array (builder);
}

static void
type_to_json (TypeSettings *settings,
              JsonBuilder  *builder)
{
  json_builder_set_member_name (builder, settings->name);
  json_builder_begin_object (builder);

  if (settings->has_threshold)
    {
      json_builder_set_member_name (builder, "confidence_threshold");
      json_builder_add_double_value (builder, settings->threshold);
    }

  if (settings->sla_minutes > 0)
    {
      json_builder_set_member_name (builder, "sla_minutes");
      json_builder_add_int_value (builder, settings->sla_minutes);
    }

  if (settings->has_fallback)
    {
      json_builder_set_member_name (builder, "fallback");
      json_builder_add_string_value (builder, vd_sla_fallback_to_string (settings->fallback));
    }

  if (settings->reviews_required > 0)
    {
      json_builder_set_member_name (builder, "reviews_required");
      json_builder_add_int_value (builder, settings->reviews_required);
    }

  json_builder_end_object (builder);
}

/**
 * vd_policy_to_json:
 * @self: a policy
 *
 * Returns: (transfer full): the policy in the JSON form that
 *   vd_policy_new_from_json() reads back to an equal policy
 */
JsonNode *
vd_policy_to_json (VdPolicy *self)
{
  g_autoptr(JsonBuilder) builder = NULL;

  g_return_val_if_fail (VD_IS_POLICY (self), NULL);

  builder = json_builder_new ();
  json_builder_begin_object (builder);

  json_builder_set_member_name (builder, "verdict_policy");
  json_builder_add_int_value (builder, POLICY_VERSION);
  if (self->review_all)
    {
      json_builder_set_member_name (builder, "review_all");
      json_builder_add_boolean_value (builder, TRUE);
    }
  /* Only when set, so that a policy without it writes as before. */
  if (self->reviews_required > 0)
    {
      json_builder_set_member_name (builder, "reviews_required");
      json_builder_add_int_value (builder, self->reviews_required);
    }
  json_builder_set_member_name (builder, "confidence_threshold");
  json_builder_add_double_value (builder, self->confidence_threshold);

  add_string_array (builder, "sensitive_keywords", self->sensitive_keywords.words);
  add_string_array (builder, "high_risk_actions", self->high_risk_actions.words);
  add_string_array (builder, "always_review_types", self->always_review_types);

  json_builder_set_member_name (builder, "task_types");
  json_builder_begin_object (builder);
  for (guint i = 0; i < self->task_types->len; i++)
    type_to_json (g_ptr_array_index (self->task_types, i), builder);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "rules");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->rules->len; i++)
    {
      Rule *rule = g_ptr_array_index (self->rules, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, rule->name);
      json_builder_set_member_name (builder, "path");
      json_builder_add_string_value (builder, rule->path);
      json_builder_set_member_name (builder, "op");
      json_builder_add_string_value (builder, _vd_policy_op_names[rule->op]);
      json_builder_set_member_name (builder, "value");
      json_builder_add_value (builder, _vd_policy_scalar_copy (rule->value));
      json_builder_set_member_name (builder, "reason");
      json_builder_add_string_value (builder, vd_escalation_reason_to_string (rule->reason));
      /* Only when not the default, so that a policy without it writes as
       * before the key existed. */
      if (rule->escalate_missing)
        {
          json_builder_set_member_name (builder, "when_missing");
          json_builder_add_string_value (builder, "escalate");
        }
      if (rule->reviews_required > 0)
        {
          json_builder_set_member_name (builder, "reviews_required");
          json_builder_add_int_value (builder, rule->reviews_required);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  /* Deadlines and limits only when set: a policy without them reads and
   * writes as before they existed. */
  if (self->sla_minutes > 0)
    {
      json_builder_set_member_name (builder, "sla_minutes");
      json_builder_add_int_value (builder, self->sla_minutes);
    }

  if (self->has_fallback)
    {
      json_builder_set_member_name (builder, "fallback");
      json_builder_add_string_value (builder, vd_sla_fallback_to_string (self->fallback));
    }

  if (self->escalated_sla_minutes > 0)
    {
      json_builder_set_member_name (builder, "escalated");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "sla_minutes");
      json_builder_add_int_value (builder, self->escalated_sla_minutes);
      json_builder_end_object (builder);
    }

  if (self->claim_minutes > 0)
    {
      json_builder_set_member_name (builder, "claim_minutes");
      json_builder_add_int_value (builder, self->claim_minutes);
    }

  if (self->queues->len > 0)
    {
      json_builder_set_member_name (builder, "queues");
      json_builder_begin_object (builder);
      for (guint i = 0; i < self->queues->len; i++)
        {
          QueueSettings *settings = g_ptr_array_index (self->queues, i);

          json_builder_set_member_name (builder, settings->name);
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "max_pending");
          json_builder_add_int_value (builder, settings->max_pending);
          json_builder_set_member_name (builder, "on_full");
          json_builder_add_string_value (builder,
                                         vd_queue_full_action_to_string (settings->on_full));
          json_builder_end_object (builder);
        }
      json_builder_end_object (builder);
    }

  if (self->feedback_categories->len > 0)
    add_string_array (builder, "feedback_categories", self->feedback_categories);

  /* Signing keys only when set, like the deadlines. */
  if (self->roster != NULL)
    {
      json_builder_set_member_name (builder, "reviewers");
      json_builder_add_value (builder, vd_roster_to_json (self->roster));
    }

  if (self->trusted_sources->len > 0)
    {
      json_builder_set_member_name (builder, "trusted_sources");
      json_builder_begin_array (builder);
      for (guint i = 0; i < self->trusted_sources->len; i++)
        {
          VdKey *key = g_ptr_array_index (self->trusted_sources, i);
          g_autofree char *line = vd_key_format_public (key);
          const char *name = vd_key_get_owner (key);

          /* A source given as a bare key line is written back as one. */
          if (name == NULL || name[0] == '\0')
            {
              json_builder_add_string_value (builder, line);
              continue;
            }

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "name");
          json_builder_add_string_value (builder, name);
          json_builder_set_member_name (builder, "public_key");
          json_builder_add_string_value (builder, line);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
    }

  if (self->require_signed_queues)
    {
      json_builder_set_member_name (builder, "require_signed_queues");
      json_builder_add_boolean_value (builder, TRUE);
    }

  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/**
 * vd_policy_to_data:
 * @self: a policy
 *
 * Returns: (transfer full): the policy as indented JSON text ending in a
 *   newline, numbers in their shortest exact form (0.7, not
 *   0.69999999999999996)
 */
char *
vd_policy_to_data (VdPolicy *self)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GString) out = NULL;

  g_return_val_if_fail (VD_IS_POLICY (self), NULL);

  node = vd_policy_to_json (self);
  out = g_string_new (NULL);
  append_json_node (out, node, 0);
  g_string_append_c (out, '\n');

  return g_string_free (g_steal_pointer (&out), FALSE);
}

/**
 * vd_policy_json_to_data:
 * @node: a JSON tree, e.g. a policy file as parsed
 *
 * Writes @node the way vd_policy_to_data() writes a policy: indented by two
 * spaces, members in their order, numbers in their shortest exact form
 * (0.85, not 0.84999999999999998). Used to change one field of a policy
 * file and keep everything else as it was.
 *
 * Returns: (transfer full): the JSON text ending in a newline
 */
char *
vd_policy_json_to_data (JsonNode *node)
{
  g_autoptr(GString) out = NULL;

  g_return_val_if_fail (node != NULL, NULL);

  out = g_string_new (NULL);
  append_json_node (out, node, 0);
  g_string_append_c (out, '\n');

  return g_string_free (g_steal_pointer (&out), FALSE);
}
