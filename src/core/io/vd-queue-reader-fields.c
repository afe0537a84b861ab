/* vd-queue-reader-fields.c
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

#define G_LOG_DOMAIN "vd-queue-reader"

#include "config.h"

#include <math.h>

#include "vd-item.h"
#include "vd-json-text.h"
#include "vd-queue-reader.h"
#include "vd-queue-reader-private.h"
#include "vd-timestamp.h"

/* The fields of the header and of an item, and how found values are shown
 * in the messages. */

#define FOUND_MAX_CHARS 40

/* Found values are shown as JSON; long ones are cut short. */
void
_vd_queue_reader_append_found_string (GString    *out,
                                      const char *text)
{
  vd_json_append_string (out, text, FOUND_MAX_CHARS, VD_JSON_TEXT_NO_SHORT_BF);
}

static char *
format_double (double value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (isnan (value))
    return g_strdup ("NaN");
  if (isinf (value))
    return g_strdup (value > 0 ? "a number too large to represent" :
                                 "a number too small to represent");

  /* The shortest form that reads back as the same number: 1.7, not
   * 1.6999999999999999. */
  for (int precision = 1; precision <= 17; precision++)
    {
      char format[8];

      g_snprintf (format, sizeof format, "%%.%dg", precision);
      g_ascii_formatd (buf, sizeof buf, format, value);
      if (g_ascii_strtod (buf, NULL) == value)
        break;
    }

  return g_strdup (buf);
}

char *
_vd_queue_reader_dup_found (JsonNode *node)
{
  GString *out;

  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_NULL:
      return g_strdup ("null");

    case JSON_NODE_VALUE:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_INT64:
          return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
        case G_TYPE_DOUBLE:
          return format_double (json_node_get_double (node));
        case G_TYPE_BOOLEAN:
          return g_strdup (json_node_get_boolean (node) ? "true" : "false");
        case G_TYPE_STRING:
          out = g_string_new (NULL);
          _vd_queue_reader_append_found_string (out, json_node_get_string (node));
          return g_string_free (out, FALSE);
        default:
          return g_strdup ("a value");
        }

    case JSON_NODE_OBJECT:
    case JSON_NODE_ARRAY:
    default:
      {
        g_autofree char *text = json_to_string (node, FALSE);

        if (g_utf8_strlen (text, -1) <= FOUND_MAX_CHARS)
          return g_steal_pointer (&text);

        out = g_string_new (NULL);
        g_string_append_len (out, text,
                             g_utf8_offset_to_pointer (text, FOUND_MAX_CHARS) - text);
        g_string_append (out, "…");
        return g_string_free (out, FALSE);
      }
    }
}

static gboolean
set_expected (GError     **error,
              const char  *field,
              const char  *expected,
              JsonNode    *found)
{
  g_autofree char *text = _vd_queue_reader_dup_found (found);

  g_set_error (error, VD_QUEUE_ERROR, VD_QUEUE_ERROR_INVALID,
               "%s must be %s, found %s", field, expected, text);
  return FALSE;
}

static gboolean
set_missing (GError     **error,
             const char  *field)
{
  g_set_error (error, VD_QUEUE_ERROR, VD_QUEUE_ERROR_INVALID,
               "%s is missing (required)", field);
  return FALSE;
}

/* A member; JSON null counts as absent for optional fields. */
static JsonNode *
get_member (JsonObject *object,
            const char *name,
            gboolean    required)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node != NULL && !required && JSON_NODE_HOLDS_NULL (node))
    return NULL;

  return node;
}

static gboolean
node_is_string (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_STRING;
}

static gboolean
node_is_number (JsonNode *node)
{
  GType type;

  if (!JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  type = json_node_get_value_type (node);
  return type == G_TYPE_INT64 || type == G_TYPE_DOUBLE;
}

/* Reads a string member. Sets *out to NULL when an optional one is absent. */
static gboolean
get_string (JsonObject  *object,
            const char  *name,
            const char  *field,
            gboolean     required,
            gboolean     non_empty,
            const char **out,
            GError     **error)
{
  JsonNode *node = get_member (object, name, required);

  *out = NULL;

  if (node == NULL)
    return required ? set_missing (error, field) : TRUE;

  if (!node_is_string (node) ||
      (non_empty && *json_node_get_string (node) == '\0'))
    return set_expected (error, field,
                         non_empty ? "a non-empty string" : "a string", node);

  *out = json_node_get_string (node);
  return TRUE;
}

static gboolean
get_int (JsonObject  *object,
         const char  *name,
         gint64       min,
         gint64       max,
         const char  *expected,
         gboolean    *present,
         int         *out,
         GError     **error)
{
  JsonNode *node = get_member (object, name, FALSE);
  double value;

  *present = FALSE;

  if (node == NULL)
    return TRUE;

  if (!node_is_number (node))
    return set_expected (error, name, expected, node);

  /* 3.0 is an integer too: some writers print every number as a float. */
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    value = (double) json_node_get_int (node);
  else
    value = json_node_get_double (node);

  if (!isfinite (value) || value != floor (value) || value < (double) min ||
      value > (double) max)
    return set_expected (error, name, expected, node);

  *present = TRUE;
  *out = (int) value;
  return TRUE;
}

static gboolean
get_timestamp (JsonObject  *object,
               const char  *name,
               GDateTime  **out,
               GError     **error)
{
  JsonNode *node = get_member (object, name, FALSE);

  *out = NULL;

  if (node == NULL)
    return TRUE;

  if (node_is_string (node))
    *out = vd_timestamp_parse (json_node_get_string (node));

  if (*out == NULL)
    return set_expected (error, name, "an RFC 3339 date and time", node);

  return TRUE;
}

#define REASON_LIST "one of low_confidence, sensitive_content, high_risk_action, " \
                    "ambiguous_input, error_occurred, policy_required, user_requested"

gboolean
_vd_queue_reader_parse_header (VdQueueParse  *p,
                               JsonObject    *object,
                               GError       **error)
{
  JsonNode *node = json_object_get_member (object, "verdict_queue");
  const char *queue;
  const char *exported_at;
  const char *source;

  if (!node_is_number (node) ||
      (json_node_get_value_type (node) == G_TYPE_INT64 ?
       json_node_get_int (node) != 1 : json_node_get_double (node) != 1.0))
    {
      g_autofree char *text = _vd_queue_reader_dup_found (node);

      g_set_error (error, VD_QUEUE_ERROR, VD_QUEUE_ERROR_VERSION,
                   "verdict_queue must be 1, found %s", text);
      return FALSE;
    }

  if (!get_string (object, "queue", "queue", FALSE, TRUE, &queue, error) ||
      !get_string (object, "exported_at", "exported_at", FALSE, FALSE, &exported_at, error) ||
      !get_string (object, "source", "source", FALSE, FALSE, &source, error))
    return FALSE;

  if (queue != NULL)
    {
      g_free (p->queue);
      p->queue = g_strdup (queue);
    }

  g_free (p->source);
  p->source = g_strdup (source);
  p->header_seen = TRUE;

  return TRUE;
}

VdItem *
_vd_queue_reader_parse_item (VdQueueParse  *p,
                             JsonObject    *object,
                             GError       **error)
{
  g_autoptr(VdItem) item = NULL;
  g_autoptr(GDateTime) timestamp = NULL;
  g_autoptr(GDateTime) due_at = NULL;
  JsonObject *output;
  JsonObject *metadata = NULL;
  JsonNode *node;
  const char *task_id;
  const char *queue;
  const char *description;
  const char *task_type;
  const char *context;
  const char *content;
  const char *reasoning;
  const char *detail;
  const char *expected = NULL;
  double confidence;
  VdEscalationReason reason = VD_ESCALATION_REASON_NONE;
  VdTaskStatus status = VD_TASK_STATUS_PENDING;
  gboolean has_priority, has_revision;
  int priority = 0;
  int revision = 0;

  if (!get_string (object, "task_id", "task_id", TRUE, TRUE, &task_id, error) ||
      !get_string (object, "queue", "queue", FALSE, TRUE, &queue, error) ||
      !get_string (object, "task_description", "task_description", TRUE, FALSE,
                   &description, error))
    return NULL;

  node = json_object_get_member (object, "agent_output");
  if (node == NULL)
    {
      set_missing (error, "agent_output");
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      set_expected (error, "agent_output", "an object", node);
      return NULL;
    }
  output = json_node_get_object (node);

  if (!get_string (output, "content", "agent_output.content", TRUE, FALSE, &content, error))
    return NULL;

  node = json_object_get_member (output, "confidence");
  if (node == NULL)
    {
      set_missing (error, "agent_output.confidence");
      return NULL;
    }
  confidence = -1.0;
  if (node_is_number (node))
    confidence = json_node_get_value_type (node) == G_TYPE_INT64 ?
                 (double) json_node_get_int (node) : json_node_get_double (node);
  /* Written so that NaN fails too. */
  if (!(confidence >= 0.0 && confidence <= 1.0))
    {
      set_expected (error, "agent_output.confidence", "a number from 0 to 1", node);
      return NULL;
    }

  if (!get_string (output, "reasoning", "agent_output.reasoning", FALSE, FALSE,
                   &reasoning, error))
    return NULL;

  node = get_member (output, "metadata", FALSE);
  if (node != NULL)
    {
      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          set_expected (error, "agent_output.metadata", "an object", node);
          return NULL;
        }
      metadata = json_node_get_object (node);
    }

  if (!get_string (object, "task_type", "task_type", FALSE, FALSE, &task_type, error) ||
      !get_string (object, "context", "context", FALSE, FALSE, &context, error))
    return NULL;

  node = get_member (object, "escalation_reason", FALSE);
  if (node != NULL &&
      (!node_is_string (node) ||
       !vd_escalation_reason_from_string (json_node_get_string (node), &reason)))
    {
      set_expected (error, "escalation_reason", REASON_LIST, node);
      return NULL;
    }

  if (!get_string (object, "escalation_detail", "escalation_detail", FALSE, FALSE,
                   &detail, error) ||
      !get_timestamp (object, "timestamp", &timestamp, error) ||
      !get_timestamp (object, "due_at", &due_at, error) ||
      !get_int (object, "priority", -VD_ITEM_MAX_PRIORITY, VD_ITEM_MAX_PRIORITY,
                "an integer from -" G_STRINGIFY (VD_ITEM_MAX_PRIORITY) " to "
                G_STRINGIFY (VD_ITEM_MAX_PRIORITY), &has_priority, &priority, error) ||
      !get_int (object, "revision", 0, VD_ITEM_MAX_REVISION,
                "an integer from 0 to " G_STRINGIFY (VD_ITEM_MAX_REVISION),
                &has_revision, &revision, error))
    return NULL;

  node = get_member (object, "status", FALSE);
  if (node != NULL)
    {
      if (!node_is_string (node) ||
          !vd_task_status_from_string (json_node_get_string (node), &status))
        {
          set_expected (error, "status", "one of pending, in_review, escalated", node);
          return NULL;
        }
      if (!vd_task_status_is_undecided (status))
        {
          set_expected (error, "status",
                        "pending, in_review or escalated (an imported item must be undecided)",
                        node);
          return NULL;
        }
    }

  node = get_member (object, "check", FALSE);
  if (node != NULL)
    {
      JsonNode *expected_node;
      VdDecisionKind kind;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          set_expected (error, "check", "an object", node);
          return NULL;
        }

      expected_node = get_member (json_node_get_object (node), "expected", FALSE);
      if (expected_node != NULL)
        {
          if (!node_is_string (expected_node) ||
              !vd_decision_kind_from_string (json_node_get_string (expected_node), &kind))
            {
              set_expected (error, "check.expected",
                            "one of approve, reject, modify, escalate_further", expected_node);
              return NULL;
            }
          expected = json_node_get_string (expected_node);
        }
    }

  item = vd_item_new (queue != NULL ? queue : p->queue, task_id);
  vd_item_set_task_description (item, description);
  vd_item_set_task_type (item, task_type);
  vd_item_set_context (item, context);
  vd_item_set_content (item, content);
  vd_item_set_confidence (item, confidence);
  vd_item_set_reasoning (item, reasoning);
  vd_item_set_metadata (item, metadata);
  vd_item_set_escalation_reason (item, reason);
  vd_item_set_escalation_detail (item, detail);
  vd_item_set_timestamp (item, timestamp != NULL ? timestamp : p->now);
  vd_item_set_due_at (item, due_at);
  vd_item_set_priority (item, priority);
  vd_item_set_revision (item, revision);
  vd_item_set_status (item, status);
  vd_item_set_expected_decision (item, expected);

  /* Last: an attachment path is read from disk, worth doing only for an
   * item whose other fields are good. */
  if (!_vd_queue_reader_parse_content_types (object, item, error) ||
      !_vd_queue_reader_parse_attachments (p, object, item, error))
    return NULL;

  return g_steal_pointer (&item);
}
