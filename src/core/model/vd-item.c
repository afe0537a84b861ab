/* vd-item.c
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

#define G_LOG_DOMAIN "vd-item"

#include "config.h"

#include <math.h>
#include <string.h>

#include "vd-attachment.h"
#include "vd-enums.h"
#include "vd-item.h"
#include "vd-json-guard.h"
#include "vd-text.h"
#include "vd-timestamp.h"

struct _VdItem
{
  GObject             parent_instance;

  gint64              id;
  char               *queue;
  char               *task_id;
  char               *task_description;
  char               *task_type;
  char               *context;
  char               *content;
  double              confidence;
  char               *reasoning;
  JsonObject         *metadata;
  VdEscalationReason  escalation_reason;
  char               *escalation_detail;
  GDateTime          *timestamp;
  GDateTime          *due_at;
  int                 priority;
  int                 revision;
  int                 reviews_required;
  int                 n_reviews;
  VdTaskStatus        status;
  char               *expected_decision;
  char               *task_content_type;
  char               *context_content_type;
  char               *output_content_type;
  GPtrArray          *attachments;
  JsonObject         *source;
};

G_DEFINE_FINAL_TYPE (VdItem, vd_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_QUEUE,
  PROP_TASK_ID,
  PROP_TASK_DESCRIPTION,
  PROP_TASK_TYPE,
  PROP_CONTEXT,
  PROP_CONTENT,
  PROP_CONFIDENCE,
  PROP_REASONING,
  PROP_METADATA,
  PROP_ESCALATION_REASON,
  PROP_ESCALATION_DETAIL,
  PROP_TIMESTAMP,
  PROP_DUE_AT,
  PROP_PRIORITY,
  PROP_REVISION,
  PROP_STATUS,
  PROP_EXPECTED_DECISION,
  PROP_TASK_CONTENT_TYPE,
  PROP_CONTEXT_CONTENT_TYPE,
  PROP_OUTPUT_CONTENT_TYPE,
  PROP_SOURCE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Text fields are never NULL: a NULL value is stored as "". Notifies only
 * when the value really changes. */
static void
set_text (VdItem      *self,
          char       **field,
          const char  *value,
          guint        prop_id)
{
  if (vd_set_str (field, value != NULL ? value : ""))
    g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static gboolean
date_time_equal0 (GDateTime *a,
                  GDateTime *b)
{
  if (a == NULL || b == NULL)
    return a == b;

  return g_date_time_equal (a, b);
}

static JsonNode *node_copy_deep (JsonNode *node);

static JsonObject *
object_copy_deep (JsonObject *object)
{
  JsonObject *copy = json_object_new ();
  g_autoptr(GList) members = json_object_get_members (object);

  /* get_members() keeps the file's order, which the copy preserves. */
  for (const GList *l = members; l != NULL; l = l->next)
    json_object_set_member (copy, l->data,
                            node_copy_deep (json_object_get_member (object, l->data)));

  return copy;
}

/* json_node_copy() shares objects, arrays and even values (which setters
 * change in place), so every node is rebuilt. */
static JsonNode *
node_copy_deep (JsonNode *node)
{
  JsonNode *copy;

  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      copy = json_node_new (JSON_NODE_OBJECT);
      json_node_take_object (copy, object_copy_deep (json_node_get_object (node)));
      return copy;

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        guint length = json_array_get_length (array);
        JsonArray *array_copy = json_array_sized_new (length);

        for (guint i = 0; i < length; i++)
          json_array_add_element (array_copy,
                                  node_copy_deep (json_array_get_element (array, i)));

        copy = json_node_new (JSON_NODE_ARRAY);
        json_node_take_array (copy, array_copy);
        return copy;
      }

    case JSON_NODE_NULL:
      return json_node_new (JSON_NODE_NULL);

    case JSON_NODE_VALUE:
    default:
      break;
    }

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      return json_node_init_int (json_node_alloc (), json_node_get_int (node));
    case G_TYPE_DOUBLE:
      return json_node_init_double (json_node_alloc (), json_node_get_double (node));
    case G_TYPE_BOOLEAN:
      return json_node_init_boolean (json_node_alloc (), json_node_get_boolean (node));
    case G_TYPE_STRING:
      return json_node_init_string (json_node_alloc (), json_node_get_string (node));
    default:
      g_assert_not_reached ();
    }
}

static JsonNode *
copy_metadata_node (JsonObject *metadata)
{
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_node_take_object (node, object_copy_deep (metadata));
  return node;
}

static void
vd_item_finalize (GObject *object)
{
  VdItem *self = (VdItem *)object;

  g_clear_pointer (&self->queue, g_free);
  g_clear_pointer (&self->task_id, g_free);
  g_clear_pointer (&self->task_description, g_free);
  g_clear_pointer (&self->task_type, g_free);
  g_clear_pointer (&self->context, g_free);
  g_clear_pointer (&self->content, g_free);
  g_clear_pointer (&self->reasoning, g_free);
  g_clear_pointer (&self->metadata, json_object_unref);
  g_clear_pointer (&self->escalation_detail, g_free);
  g_clear_pointer (&self->timestamp, g_date_time_unref);
  g_clear_pointer (&self->due_at, g_date_time_unref);
  g_clear_pointer (&self->expected_decision, g_free);
  g_clear_pointer (&self->task_content_type, g_free);
  g_clear_pointer (&self->context_content_type, g_free);
  g_clear_pointer (&self->output_content_type, g_free);
  g_clear_pointer (&self->attachments, g_ptr_array_unref);
  g_clear_pointer (&self->source, json_object_unref);

  G_OBJECT_CLASS (vd_item_parent_class)->finalize (object);
}

static void
vd_item_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  VdItem *self = VD_ITEM (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;

    case PROP_QUEUE:
      g_value_set_string (value, self->queue);
      break;

    case PROP_TASK_ID:
      g_value_set_string (value, self->task_id);
      break;

    case PROP_TASK_DESCRIPTION:
      g_value_set_string (value, self->task_description);
      break;

    case PROP_TASK_TYPE:
      g_value_set_string (value, self->task_type);
      break;

    case PROP_CONTEXT:
      g_value_set_string (value, self->context);
      break;

    case PROP_CONTENT:
      g_value_set_string (value, self->content);
      break;

    case PROP_CONFIDENCE:
      g_value_set_double (value, self->confidence);
      break;

    case PROP_REASONING:
      g_value_set_string (value, self->reasoning);
      break;

    case PROP_METADATA:
      g_value_set_boxed (value, self->metadata);
      break;

    case PROP_ESCALATION_REASON:
      g_value_set_enum (value, self->escalation_reason);
      break;

    case PROP_ESCALATION_DETAIL:
      g_value_set_string (value, self->escalation_detail);
      break;

    case PROP_TIMESTAMP:
      g_value_set_boxed (value, self->timestamp);
      break;

    case PROP_DUE_AT:
      g_value_set_boxed (value, self->due_at);
      break;

    case PROP_PRIORITY:
      g_value_set_int (value, self->priority);
      break;

    case PROP_REVISION:
      g_value_set_int (value, self->revision);
      break;

    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;

    case PROP_EXPECTED_DECISION:
      g_value_set_string (value, self->expected_decision);
      break;

    case PROP_SOURCE:
      g_value_set_boxed (value, self->source);
      break;

    case PROP_TASK_CONTENT_TYPE:
      g_value_set_string (value, self->task_content_type);
      break;

    case PROP_CONTEXT_CONTENT_TYPE:
      g_value_set_string (value, self->context_content_type);
      break;

    case PROP_OUTPUT_CONTENT_TYPE:
      g_value_set_string (value, self->output_content_type);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vd_item_set_property (GObject      *object,
                      guint         prop_id,
                      const GValue *value,
                      GParamSpec   *pspec)
{
  VdItem *self = VD_ITEM (object);

  switch (prop_id)
    {
    case PROP_ID:
      vd_item_set_id (self, g_value_get_int64 (value));
      break;

    case PROP_QUEUE:
      vd_item_set_queue (self, g_value_get_string (value));
      break;

    case PROP_TASK_ID:
      vd_item_set_task_id (self, g_value_get_string (value));
      break;

    case PROP_TASK_DESCRIPTION:
      vd_item_set_task_description (self, g_value_get_string (value));
      break;

    case PROP_TASK_TYPE:
      vd_item_set_task_type (self, g_value_get_string (value));
      break;

    case PROP_CONTEXT:
      vd_item_set_context (self, g_value_get_string (value));
      break;

    case PROP_CONTENT:
      vd_item_set_content (self, g_value_get_string (value));
      break;

    case PROP_CONFIDENCE:
      vd_item_set_confidence (self, g_value_get_double (value));
      break;

    case PROP_REASONING:
      vd_item_set_reasoning (self, g_value_get_string (value));
      break;

    case PROP_METADATA:
      vd_item_set_metadata (self, g_value_get_boxed (value));
      break;

    case PROP_ESCALATION_REASON:
      vd_item_set_escalation_reason (self, g_value_get_enum (value));
      break;

    case PROP_ESCALATION_DETAIL:
      vd_item_set_escalation_detail (self, g_value_get_string (value));
      break;

    case PROP_TIMESTAMP:
      /* The timestamp is never NULL: setting NULL keeps the current one. */
      if (g_value_get_boxed (value) != NULL)
        vd_item_set_timestamp (self, g_value_get_boxed (value));
      break;

    case PROP_DUE_AT:
      vd_item_set_due_at (self, g_value_get_boxed (value));
      break;

    case PROP_PRIORITY:
      vd_item_set_priority (self, g_value_get_int (value));
      break;

    case PROP_REVISION:
      vd_item_set_revision (self, g_value_get_int (value));
      break;

    case PROP_STATUS:
      vd_item_set_status (self, g_value_get_enum (value));
      break;

    case PROP_EXPECTED_DECISION:
      vd_item_set_expected_decision (self, g_value_get_string (value));
      break;

    case PROP_SOURCE:
      vd_item_set_source (self, g_value_get_boxed (value));
      break;

    case PROP_TASK_CONTENT_TYPE:
      vd_item_set_task_content_type (self, g_value_get_string (value));
      break;

    case PROP_CONTEXT_CONTENT_TYPE:
      vd_item_set_context_content_type (self, g_value_get_string (value));
      break;

    case PROP_OUTPUT_CONTENT_TYPE:
      vd_item_set_output_content_type (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static GParamSpec *
text_property (const char *name,
               const char *nick,
               const char *blurb)
{
  return g_param_spec_string (name, nick, blurb, "",
                              (G_PARAM_READWRITE |
                               G_PARAM_EXPLICIT_NOTIFY |
                               G_PARAM_STATIC_STRINGS));
}

static void
vd_item_class_init (VdItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = (G_PARAM_READWRITE |
                             G_PARAM_EXPLICIT_NOTIFY |
                             G_PARAM_STATIC_STRINGS);

  object_class->finalize = vd_item_finalize;
  object_class->get_property = vd_item_get_property;
  object_class->set_property = vd_item_set_property;

  /**
   * VdItem:id:
   *
   * The row id in the store, 0 while the item is not stored.
   */
  properties[PROP_ID] =
    g_param_spec_int64 ("id", "Id", "Row id in the store",
                        0, G_MAXINT64, 0, flags);

  properties[PROP_QUEUE] =
    text_property ("queue", "Queue", "Name of the queue the item came from");
  properties[PROP_TASK_ID] =
    text_property ("task-id", "Task id", "Id of the task within its queue");
  properties[PROP_TASK_DESCRIPTION] =
    text_property ("task-description", "Task description", "The task given to the agent");
  properties[PROP_TASK_TYPE] =
    text_property ("task-type", "Task type", "Kind of task, e.g. payments");
  properties[PROP_CONTEXT] =
    text_property ("context", "Context", "Extra context for the reviewer");
  properties[PROP_CONTENT] =
    text_property ("content", "Content", "The agent's output");

  properties[PROP_CONFIDENCE] =
    g_param_spec_double ("confidence", "Confidence", "The agent's confidence, 0 to 1",
                         0.0, 1.0, 0.0, flags);

  properties[PROP_REASONING] =
    text_property ("reasoning", "Reasoning", "The agent's reasoning");

  /**
   * VdItem:metadata:
   *
   * The agent output's metadata object; never %NULL.
   */
  properties[PROP_METADATA] =
    g_param_spec_boxed ("metadata", "Metadata", "The agent output's metadata",
                        JSON_TYPE_OBJECT, flags);

  properties[PROP_ESCALATION_REASON] =
    g_param_spec_enum ("escalation-reason", "Escalation reason", "Why a human must see the item",
                       VD_TYPE_ESCALATION_REASON, VD_ESCALATION_REASON_NONE, flags);

  properties[PROP_ESCALATION_DETAIL] =
    text_property ("escalation-detail", "Escalation detail",
                   "Which policy check fired, and why");

  /**
   * VdItem:timestamp:
   *
   * When the request was made; never %NULL.
   */
  properties[PROP_TIMESTAMP] =
    g_param_spec_boxed ("timestamp", "Timestamp", "When the request was made",
                        G_TYPE_DATE_TIME, flags);

  /**
   * VdItem:due-at: (nullable)
   *
   * The deadline for a decision, if any.
   */
  properties[PROP_DUE_AT] =
    g_param_spec_boxed ("due-at", "Due at", "Deadline for a decision",
                        G_TYPE_DATE_TIME, flags);

  properties[PROP_PRIORITY] =
    g_param_spec_int ("priority", "Priority", "Priority, higher first",
                      -VD_ITEM_MAX_PRIORITY, VD_ITEM_MAX_PRIORITY, 0, flags);

  properties[PROP_REVISION] =
    g_param_spec_int ("revision", "Revision", "Revision of the agent output, 0 for the first",
                      0, VD_ITEM_MAX_REVISION, 0, flags);

  properties[PROP_STATUS] =
    g_param_spec_enum ("status", "Status", "Where the item stands",
                       VD_TYPE_TASK_STATUS, VD_TASK_STATUS_PENDING, flags);

  /**
   * VdItem:expected-decision: (nullable)
   *
   * The decision a known-answer check expects, as a wire name, or %NULL.
   */
  properties[PROP_EXPECTED_DECISION] =
    g_param_spec_string ("expected-decision", "Expected decision",
                         "Decision a known-answer check expects",
                         NULL, flags);

  /**
   * VdItem:task-content-type:
   *
   * How the task description is written: `text/plain` (the default),
   * `text/markdown`, `text/x-diff`, `application/json` or `text/x-LANGUAGE`.
   * Never %NULL. Likewise #VdItem:context-content-type and
   * #VdItem:output-content-type (the agent output's content).
   */
  properties[PROP_TASK_CONTENT_TYPE] =
    g_param_spec_string ("task-content-type", "Task content type",
                         "Content type of the task description", "text/plain", flags);
  properties[PROP_CONTEXT_CONTENT_TYPE] =
    g_param_spec_string ("context-content-type", "Context content type",
                         "Content type of the context", "text/plain", flags);
  properties[PROP_OUTPUT_CONTENT_TYPE] =
    g_param_spec_string ("output-content-type", "Output content type",
                         "Content type of the agent output", "text/plain", flags);

  /**
   * VdItem:source:
   *
   * Where an item imported from another tool's format came from, or %NULL
   * for Verdict's own queue files and the agent; see vd_item_get_source().
   */
  properties[PROP_SOURCE] =
    g_param_spec_boxed ("source", "Source", "The other tool's record the item came from",
                        JSON_TYPE_OBJECT, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
vd_item_init (VdItem *self)
{
  self->queue = g_strdup ("");
  self->task_id = g_strdup ("");
  self->task_description = g_strdup ("");
  self->task_type = g_strdup ("");
  self->context = g_strdup ("");
  self->content = g_strdup ("");
  self->reasoning = g_strdup ("");
  self->metadata = json_object_new ();
  self->escalation_reason = VD_ESCALATION_REASON_NONE;
  self->escalation_detail = g_strdup ("");
  self->reviews_required = 1;
  self->timestamp = vd_timestamp_now ();
  self->status = VD_TASK_STATUS_PENDING;
  self->task_content_type = g_strdup ("text/plain");
  self->context_content_type = g_strdup ("text/plain");
  self->output_content_type = g_strdup ("text/plain");
  self->attachments = g_ptr_array_new_with_free_func (g_object_unref);
}

/**
 * vd_item_new:
 * @queue: (nullable): the queue name
 * @task_id: (nullable): the task id
 *
 * Creates an item with every other field at its default: empty texts, empty
 * metadata, confidence 0, status pending, not escalated, timestamp now.
 *
 * Returns: (transfer full): a new item
 */
VdItem *
vd_item_new (const char *queue,
             const char *task_id)
{
  return g_object_new (VD_TYPE_ITEM,
                       "queue", queue,
                       "task-id", task_id,
                       NULL);
}

/**
 * vd_item_copy:
 * @self: an item
 *
 * Copies every field, the metadata and the attachments deeply, so that changing the copy never
 * changes @self.
 *
 * Returns: (transfer full): a new item
 */
VdItem *
vd_item_copy (VdItem *self)
{
  VdItem *copy;

  g_return_val_if_fail (VD_IS_ITEM (self), NULL);

  copy = g_object_new (VD_TYPE_ITEM, NULL);
  copy->id = self->id;
  g_free (copy->queue);
  copy->queue = g_strdup (self->queue);
  g_free (copy->task_id);
  copy->task_id = g_strdup (self->task_id);
  g_free (copy->task_description);
  copy->task_description = g_strdup (self->task_description);
  g_free (copy->task_type);
  copy->task_type = g_strdup (self->task_type);
  g_free (copy->context);
  copy->context = g_strdup (self->context);
  g_free (copy->content);
  copy->content = g_strdup (self->content);
  copy->confidence = self->confidence;
  g_free (copy->reasoning);
  copy->reasoning = g_strdup (self->reasoning);

  g_clear_pointer (&copy->metadata, json_object_unref);
  copy->metadata = object_copy_deep (self->metadata);

  copy->escalation_reason = self->escalation_reason;
  g_free (copy->escalation_detail);
  copy->escalation_detail = g_strdup (self->escalation_detail);
  g_clear_pointer (&copy->timestamp, g_date_time_unref);
  copy->timestamp = g_date_time_ref (self->timestamp);
  copy->due_at = self->due_at ? g_date_time_ref (self->due_at) : NULL;
  copy->priority = self->priority;
  copy->revision = self->revision;
  copy->reviews_required = self->reviews_required;
  copy->n_reviews = self->n_reviews;
  copy->status = self->status;
  copy->expected_decision = g_strdup (self->expected_decision);
  vd_set_str (&copy->task_content_type, self->task_content_type);
  vd_set_str (&copy->context_content_type, self->context_content_type);
  vd_set_str (&copy->output_content_type, self->output_content_type);
  for (guint i = 0; i < self->attachments->len; i++)
    g_ptr_array_add (copy->attachments,
                     vd_attachment_copy (g_ptr_array_index (self->attachments, i)));
  if (self->source != NULL)
    copy->source = object_copy_deep (self->source);

  return copy;
}

/**
 * vd_item_same_task:
 * @a: (nullable): an item
 * @b: (nullable): another item
 *
 * Whether @a and @b are the same task: the same identity (queue, task id),
 * whatever their revision or status. Two %NULL items are the same.
 *
 * Returns: %TRUE for the same task
 */
gboolean
vd_item_same_task (VdItem *a,
                   VdItem *b)
{
  g_return_val_if_fail (a == NULL || VD_IS_ITEM (a), FALSE);
  g_return_val_if_fail (b == NULL || VD_IS_ITEM (b), FALSE);

  if (a == NULL || b == NULL)
    return a == b;

  return g_strcmp0 (a->queue, b->queue) == 0 && g_strcmp0 (a->task_id, b->task_id) == 0;
}

gint64
vd_item_get_id (VdItem *self)
{
  g_return_val_if_fail (VD_IS_ITEM (self), 0);

  return self->id;
}

void
vd_item_set_id (VdItem *self,
                gint64  id)
{
  g_return_if_fail (VD_IS_ITEM (self));
  g_return_if_fail (id >= 0);

  if (self->id == id)
    return;

  self->id = id;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
}

const char *
vd_item_get_queue (VdItem *self)
{
  g_return_val_if_fail (VD_IS_ITEM (self), NULL);

  return self->queue;
}

void
vd_item_set_queue (VdItem     *self,
                   const char *queue)
{
  g_return_if_fail (VD_IS_ITEM (self));

  set_text (self, &self->queue, queue, PROP_QUEUE);
}

const char *
vd_item_get_task_id (VdItem *self)
{
  g_return_val_if_fail (VD_IS_ITEM (self), NULL);

  return self->task_id;
}

void
vd_item_set_task_id (VdItem     *self,
                     const char *task_id)
{
  g_return_if_fail (VD_IS_ITEM (self));

  set_text (self, &self->task_id, task_id, PROP_TASK_ID);
}

const char *
vd_item_get_task_description (VdItem *self)
{
  g_return_val_if_fail (VD_IS_ITEM (self), NULL);

  return self->task_description;
}

void
vd_item_set_task_description (VdItem     *self,
                              const char *task_description)
{
  g_return_if_fail (VD_IS_ITEM (self));

  set_text (self, &self->task_description, task_description, PROP_TASK_DESCRIPTION);
}

const char *
vd_item_get_task_type (VdItem *self)
{
  g_return_val_if_fail (VD_IS_ITEM (self), NULL);

  return self->task_type;
}

void
vd_item_set_task_type (VdItem     *self,
                       const char *task_type)
{
  g_return_if_fail (VD_IS_ITEM (self));

  set_text (self, &self->task_type, task_type, PROP_TASK_TYPE);
}

const char *
vd_item_get_context (VdItem *self)
{
  g_return_val_if_fail (VD_IS_ITEM (self), NULL);

  return self->context;
}

void
vd_item_set_context (VdItem     *self,
                     const char *context)
{
  g_return_if_fail (VD_IS_ITEM (self));

  set_text (self, &self->context, context, PROP_CONTEXT);
}

const char *
vd_item_get_content (VdItem *self)
{
  g_return_val_if_fail (VD_IS_ITEM (self), NULL);

  return self->content;
}

void
vd_item_set_content (VdItem     *self,
                     const char *content)
{
  g_return_if_fail (VD_IS_ITEM (self));

  set_text (self, &self->content, content, PROP_CONTENT);
}

double
vd_item_get_confidence (VdItem *self)
{
  g_return_val_if_fail (VD_IS_ITEM (self), 0.0);

  return self->confidence;
}

/**
 * vd_item_has_confidence:
 * @self: an item
 *
 * Returns: %FALSE when the source gave no confidence (vd_item_clear_confidence());
 *   vd_item_get_confidence() is then NaN, which is never shown as a number
 *   and never counted in calibration
 */
gboolean
vd_item_has_confidence (VdItem *self)
{
  g_return_val_if_fail (VD_IS_ITEM (self), FALSE);

  return !isnan (self->confidence);
}

/**
 * vd_item_clear_confidence:
 * @self: an item
 *
 * Marks the confidence as not given (NaN): the source format has none.
 */
void
vd_item_clear_confidence (VdItem *self)
{
  g_return_if_fail (VD_IS_ITEM (self));

  if (isnan (self->confidence))
    return;

  self->confidence = NAN;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONFIDENCE]);
}

/**
 * vd_item_set_confidence:
 * @self: an item
 * @confidence: a confidence from 0 to 1 inclusive
 */
void
vd_item_set_confidence (VdItem *self,
                        double  confidence)
{
  g_return_if_fail (VD_IS_ITEM (self));
  g_return_if_fail (!isnan (confidence));
  g_return_if_fail (confidence >= 0.0 && confidence <= 1.0);

  if (self->confidence == confidence)
    return;

  self->confidence = confidence;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONFIDENCE]);
}

const char *
vd_item_get_reasoning (VdItem *self)
{
  g_return_val_if_fail (VD_IS_ITEM (self), NULL);

  return self->reasoning;
}

void
vd_item_set_reasoning (VdItem     *self,
                       const char *reasoning)
{
  g_return_if_fail (VD_IS_ITEM (self));

  set_text (self, &self->reasoning, reasoning, PROP_REASONING);
}

/**
 * vd_item_get_metadata:
 * @self: an item
 *
 * Returns: (transfer none): the metadata object, never %NULL
 */
JsonObject *
vd_item_get_metadata (VdItem *self)
{
  g_return_val_if_fail (VD_IS_ITEM (self), NULL);

  return self->metadata;
}

/**
 * vd_item_set_metadata:
 * @self: an item
 * @metadata: (nullable): the metadata; %NULL means an empty object
 *
 * Takes a reference on @metadata. Notifies only when the new object's
 * content differs from the old one's.
 */
void
vd_item_set_metadata (VdItem     *self,
                      JsonObject *metadata)
{
  g_autoptr(JsonObject) new_metadata = NULL;
  gboolean changed;

  g_return_if_fail (VD_IS_ITEM (self));

  if (metadata == self->metadata)
    return;

  new_metadata = metadata ? json_object_ref (metadata) : json_object_new ();
  changed = !json_object_equal (self->metadata, new_metadata);

  g_clear_pointer (&self->metadata, json_object_unref);
  self->metadata = g_steal_pointer (&new_metadata);

  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_METADATA]);
}

VdEscalationReason
vd_item_get_escalation_reason (VdItem *self)
{
  g_return_val_if_fail (VD_IS_ITEM (self), VD_ESCALATION_REASON_NONE);

  return self->escalation_reason;
}

void
vd_item_set_escalation_reason (VdItem             *self,
                               VdEscalationReason  reason)
{
  g_return_if_fail (VD_IS_ITEM (self));
  g_return_if_fail (reason <= VD_ESCALATION_REASON_REVIEWERS_DISAGREE);

  if (self->escalation_reason == reason)
    return;

  self->escalation_reason = reason;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ESCALATION_REASON]);
}

const char *
vd_item_get_escalation_detail (VdItem *self)
{
  g_return_val_if_fail (VD_IS_ITEM (self), NULL);

  return self->escalation_detail;
}

void
vd_item_set_escalation_detail (VdItem     *self,
                               const char *detail)
{
  g_return_if_fail (VD_IS_ITEM (self));

  set_text (self, &self->escalation_detail, detail, PROP_ESCALATION_DETAIL);
}

/**
 * vd_item_get_timestamp:
 * @self: an item
 *
 * Returns: (transfer none): when the request was made
 */
GDateTime *
vd_item_get_timestamp (VdItem *self)
{
  g_return_val_if_fail (VD_IS_ITEM (self), NULL);

  return self->timestamp;
}

void
vd_item_set_timestamp (VdItem    *self,
                       GDateTime *timestamp)
{
  g_return_if_fail (VD_IS_ITEM (self));
  g_return_if_fail (timestamp != NULL);

  if (date_time_equal0 (self->timestamp, timestamp))
    return;

  g_clear_pointer (&self->timestamp, g_date_time_unref);
  self->timestamp = g_date_time_ref (timestamp);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMESTAMP]);
}

/**
 * vd_item_get_due_at:
 * @self: an item
 *
 * Returns: (transfer none) (nullable): the deadline, if any
 */
GDateTime *
vd_item_get_due_at (VdItem *self)
{
  g_return_val_if_fail (VD_IS_ITEM (self), NULL);

  return self->due_at;
}

/**
 * vd_item_set_due_at:
 * @self: an item
 * @due_at: (nullable): the deadline, or %NULL for none
 */
void
vd_item_set_due_at (VdItem    *self,
                    GDateTime *due_at)
{
  g_return_if_fail (VD_IS_ITEM (self));

  if (date_time_equal0 (self->due_at, due_at))
    return;

  g_clear_pointer (&self->due_at, g_date_time_unref);
  self->due_at = due_at ? g_date_time_ref (due_at) : NULL;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DUE_AT]);
}

/**
 * vd_item_get_reviews_required:
 * @self: an item
 *
 * Returns: how many distinct reviewers must agree before a human decision
 *   on the item is final: 1, or 2 for four-eyes review. Only the policy
 *   sets it, at import.
 */
int
vd_item_get_reviews_required (VdItem *self)
{
  g_return_val_if_fail (VD_IS_ITEM (self), 1);

  return self->reviews_required;
}

void
vd_item_set_reviews_required (VdItem *self,
                              int     reviews_required)
{
  g_return_if_fail (VD_IS_ITEM (self));
  g_return_if_fail (reviews_required == 1 || reviews_required == 2);

  self->reviews_required = reviews_required;
}

/**
 * vd_item_get_n_reviews:
 * @self: an item
 *
 * Returns: on an item that needs two reviewers, how many reviews stand on
 *   its current revision without having decided it, as the store read
 *   them: 1 while it waits for the second reviewer
 */
int
vd_item_get_n_reviews (VdItem *self)
{
  g_return_val_if_fail (VD_IS_ITEM (self), 0);

  return self->n_reviews;
}

void
vd_item_set_n_reviews (VdItem *self,
                       int     n_reviews)
{
  g_return_if_fail (VD_IS_ITEM (self));
  g_return_if_fail (n_reviews >= 0);

  self->n_reviews = n_reviews;
}

int
vd_item_get_priority (VdItem *self)
{
  g_return_val_if_fail (VD_IS_ITEM (self), 0);

  return self->priority;
}

void
vd_item_set_priority (VdItem *self,
                      int     priority)
{
  g_return_if_fail (VD_IS_ITEM (self));

  if (self->priority == priority)
    return;

  self->priority = priority;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PRIORITY]);
}

int
vd_item_get_revision (VdItem *self)
{
  g_return_val_if_fail (VD_IS_ITEM (self), 0);

  return self->revision;
}

void
vd_item_set_revision (VdItem *self,
                      int     revision)
{
  g_return_if_fail (VD_IS_ITEM (self));
  g_return_if_fail (revision >= 0 && revision <= VD_ITEM_MAX_REVISION);

  if (self->revision == revision)
    return;

  self->revision = revision;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REVISION]);
}

VdTaskStatus
vd_item_get_status (VdItem *self)
{
  g_return_val_if_fail (VD_IS_ITEM (self), VD_TASK_STATUS_PENDING);

  return self->status;
}

void
vd_item_set_status (VdItem       *self,
                    VdTaskStatus  status)
{
  g_return_if_fail (VD_IS_ITEM (self));
  g_return_if_fail (status <= VD_TASK_STATUS_ESCALATED);

  if (self->status == status)
    return;

  self->status = status;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
}

/**
 * vd_item_get_expected_decision:
 * @self: an item
 *
 * Returns: (nullable): the wire name of the decision a known-answer check
 *   expects, or %NULL
 */
const char *
vd_item_get_expected_decision (VdItem *self)
{
  g_return_val_if_fail (VD_IS_ITEM (self), NULL);

  return self->expected_decision;
}

/**
 * vd_item_set_expected_decision:
 * @self: an item
 * @expected_decision: (nullable): a decision wire name, or %NULL for none
 */
void
vd_item_set_expected_decision (VdItem     *self,
                               const char *expected_decision)
{
  g_return_if_fail (VD_IS_ITEM (self));

  if (vd_set_str (&self->expected_decision, expected_decision))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXPECTED_DECISION]);
}

/**
 * vd_item_is_undecided:
 * @self: an item
 *
 * Returns: %TRUE if a reviewer may still decide the item
 */
gboolean
vd_item_is_undecided (VdItem *self)
{
  g_return_val_if_fail (VD_IS_ITEM (self), FALSE);

  return vd_task_status_is_undecided (self->status);
}

/**
 * vd_item_validate:
 * @self: an item
 * @error: return location for a #GError in %VD_JSON_GUARD_ERROR
 *
 * Checks what the store is about to keep, whatever the item came from (a
 * queue file, a model's answer, a form): every text field and every string
 * in the metadata is valid UTF-8 and every number in the metadata is
 * finite, so that nothing stored can fail to read back or to export. The
 * message names the field, e.g. "agent_output.metadata.amount: ...".
 *
 * Returns: %TRUE when the item may be stored
 */
gboolean
vd_item_validate (VdItem  *self,
                  GError **error)
{
  const struct {
    const char *field;
    const char *text;
  } texts[] = {
    { "queue", self->queue },
    { "task_id", self->task_id },
    { "task_description", self->task_description },
    { "task_type", self->task_type },
    { "context", self->context },
    { "agent_output.content", self->content },
    { "agent_output.reasoning", self->reasoning },
    { "escalation_detail", self->escalation_detail },
    { "check.expected", self->expected_decision },
  };
  const struct {
    const char *field;
    const char *type;
  } types[] = {
    { "content_type.task", self->task_content_type },
    { "content_type.context", self->context_content_type },
    { "content_type.output", self->output_content_type },
  };
  g_autoptr(JsonNode) node = NULL;

  g_return_val_if_fail (VD_IS_ITEM (self), FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    if (texts[i].text != NULL && !g_utf8_validate (texts[i].text, -1, NULL))
      {
        g_set_error (error, VD_JSON_GUARD_ERROR, VD_JSON_GUARD_ERROR_ENCODING,
                     "%s: not valid UTF-8 text", texts[i].field);
        return FALSE;
      }

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    if (!vd_content_type_is_valid (types[i].type))
      {
        g_set_error (error, VD_JSON_GUARD_ERROR, VD_JSON_GUARD_ERROR_SYNTAX,
                     "%s: not a content type Verdict shows", types[i].field);
        return FALSE;
      }

  for (guint i = 0; i < self->attachments->len; i++)
    {
      VdAttachment *attachment = g_ptr_array_index (self->attachments, i);
      const char *name = vd_attachment_get_name (attachment);

      if (!g_utf8_validate (name, -1, NULL) ||
          !vd_media_type_is_valid (vd_attachment_get_media_type (attachment)) ||
          (vd_attachment_get_url (attachment) != NULL &&
           !g_utf8_validate (vd_attachment_get_url (attachment), -1, NULL)))
        {
          g_set_error (error, VD_JSON_GUARD_ERROR, VD_JSON_GUARD_ERROR_SYNTAX,
                       "attachments[%u]: not a valid attachment", i);
          return FALSE;
        }
    }

  /* NaN means "not given" (vd_item_clear_confidence()). */
  if (isinf (self->confidence))
    {
      g_set_error_literal (error, VD_JSON_GUARD_ERROR, VD_JSON_GUARD_ERROR_NOT_FINITE,
                           "agent_output.confidence: not a finite number");
      return FALSE;
    }

  if (self->source != NULL)
    {
      g_autoptr(JsonNode) source = json_node_new (JSON_NODE_OBJECT);

      json_node_set_object (source, self->source);
      if (!vd_json_guard_check_node (source, "source", error))
        return FALSE;
    }

  node = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (node, self->metadata);
  return vd_json_guard_check_node (node, "agent_output.metadata", error);
}

/**
 * vd_item_dup_metadata_json:
 * @self: an item
 *
 * Returns: (transfer full): the metadata as compact JSON text, e.g. `{}`
 */
char *
vd_item_dup_metadata_json (VdItem *self)
{
  g_autoptr(JsonNode) node = NULL;

  g_return_val_if_fail (VD_IS_ITEM (self), NULL);

  node = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (node, self->metadata);

  return json_to_string (node, FALSE);
}

/**
 * vd_item_to_json:
 * @self: an item
 *
 * Builds the item as one line of a "verdict-queue v1" file: `queue`,
 * `task_id`, `task_description`, `task_type`, `context`, `agent_output`
 * {`content`, `confidence`, `reasoning`, `metadata`}, `escalation_reason`
 * (left out when not escalated), `escalation_detail`, `timestamp`, `due_at`
 * (when set), `priority`, `revision`, `status`, and `check` {`expected`}
 * when a known-answer check is set, `content_type` {`task`, `context`,
 * `output`} when any is not text/plain, and `attachments` (each
 * {`name`, `media_type`, `size`, `sha256`, `url`?}, as stored: no bytes)
 * when there are any. Timestamps are UTC RFC 3339.
 *
 * Returns: (transfer full): a JSON object node
 */
JsonNode *
vd_item_to_json (VdItem *self)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autofree char *timestamp = NULL;

  g_return_val_if_fail (VD_IS_ITEM (self), NULL);

  builder = json_builder_new ();
  json_builder_begin_object (builder);

  json_builder_set_member_name (builder, "queue");
  json_builder_add_string_value (builder, self->queue);
  json_builder_set_member_name (builder, "task_id");
  json_builder_add_string_value (builder, self->task_id);
  json_builder_set_member_name (builder, "task_description");
  json_builder_add_string_value (builder, self->task_description);
  json_builder_set_member_name (builder, "task_type");
  json_builder_add_string_value (builder, self->task_type);
  json_builder_set_member_name (builder, "context");
  json_builder_add_string_value (builder, self->context);

  json_builder_set_member_name (builder, "agent_output");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "content");
  json_builder_add_string_value (builder, self->content);
  json_builder_set_member_name (builder, "confidence");
  if (isnan (self->confidence))
    json_builder_add_null_value (builder);
  else
    json_builder_add_double_value (builder, self->confidence);
  json_builder_set_member_name (builder, "reasoning");
  json_builder_add_string_value (builder, self->reasoning);
  json_builder_set_member_name (builder, "metadata");
  json_builder_add_value (builder, copy_metadata_node (self->metadata));
  json_builder_end_object (builder);

  if (self->escalation_reason != VD_ESCALATION_REASON_NONE)
    {
      json_builder_set_member_name (builder, "escalation_reason");
      json_builder_add_string_value (builder,
                                     vd_escalation_reason_to_string (self->escalation_reason));
    }

  json_builder_set_member_name (builder, "escalation_detail");
  json_builder_add_string_value (builder, self->escalation_detail);

  timestamp = vd_timestamp_format (self->timestamp);
  json_builder_set_member_name (builder, "timestamp");
  json_builder_add_string_value (builder, timestamp);

  if (self->due_at != NULL)
    {
      g_autofree char *due_at = vd_timestamp_format (self->due_at);

      json_builder_set_member_name (builder, "due_at");
      json_builder_add_string_value (builder, due_at);
    }

  json_builder_set_member_name (builder, "priority");
  json_builder_add_int_value (builder, self->priority);
  json_builder_set_member_name (builder, "revision");
  json_builder_add_int_value (builder, self->revision);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, vd_task_status_to_string (self->status));

  if (!g_str_equal (self->task_content_type, "text/plain") ||
      !g_str_equal (self->context_content_type, "text/plain") ||
      !g_str_equal (self->output_content_type, "text/plain"))
    {
      json_builder_set_member_name (builder, "content_type");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "task");
      json_builder_add_string_value (builder, self->task_content_type);
      json_builder_set_member_name (builder, "context");
      json_builder_add_string_value (builder, self->context_content_type);
      json_builder_set_member_name (builder, "output");
      json_builder_add_string_value (builder, self->output_content_type);
      json_builder_end_object (builder);
    }

  if (self->attachments->len > 0)
    {
      json_builder_set_member_name (builder, "attachments");
      json_builder_begin_array (builder);
      for (guint i = 0; i < self->attachments->len; i++)
        json_builder_add_value (builder,
                                vd_attachment_to_json (g_ptr_array_index (self->attachments, i)));
      json_builder_end_array (builder);
    }

  if (self->expected_decision != NULL)
    {
      json_builder_set_member_name (builder, "check");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "expected");
      json_builder_add_string_value (builder, self->expected_decision);
      json_builder_end_object (builder);
    }

  if (self->source != NULL)
    {
      json_builder_set_member_name (builder, "source");
      json_builder_add_value (builder, copy_metadata_node (self->source));
    }

  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static void
set_content_type (VdItem      *self,
                  char       **field,
                  const char  *value,
                  guint        prop_id)
{
  if (vd_set_str (field, value != NULL ? value : "text/plain"))
    g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

/**
 * vd_item_get_task_content_type:
 * @self: an item
 *
 * Returns: the content type of the task description, `text/plain` unless
 *   the queue file said otherwise
 */
const char *
vd_item_get_task_content_type (VdItem *self)
{
  g_return_val_if_fail (VD_IS_ITEM (self), NULL);

  return self->task_content_type;
}

/**
 * vd_item_set_task_content_type:
 * @self: an item
 * @content_type: (nullable): a content type, %NULL for `text/plain`
 */
void
vd_item_set_task_content_type (VdItem     *self,
                               const char *content_type)
{
  g_return_if_fail (VD_IS_ITEM (self));

  set_content_type (self, &self->task_content_type, content_type, PROP_TASK_CONTENT_TYPE);
}

const char *
vd_item_get_context_content_type (VdItem *self)
{
  g_return_val_if_fail (VD_IS_ITEM (self), NULL);

  return self->context_content_type;
}

void
vd_item_set_context_content_type (VdItem     *self,
                                  const char *content_type)
{
  g_return_if_fail (VD_IS_ITEM (self));

  set_content_type (self, &self->context_content_type, content_type,
                    PROP_CONTEXT_CONTENT_TYPE);
}

const char *
vd_item_get_output_content_type (VdItem *self)
{
  g_return_val_if_fail (VD_IS_ITEM (self), NULL);

  return self->output_content_type;
}

void
vd_item_set_output_content_type (VdItem     *self,
                                 const char *content_type)
{
  g_return_if_fail (VD_IS_ITEM (self));

  set_content_type (self, &self->output_content_type, content_type,
                    PROP_OUTPUT_CONTENT_TYPE);
}

/**
 * vd_item_get_attachments:
 * @self: an item
 *
 * Returns: (transfer none) (element-type VdAttachment): the attachments in
 *   the queue file's order; never %NULL
 */
GPtrArray *
vd_item_get_attachments (VdItem *self)
{
  g_return_val_if_fail (VD_IS_ITEM (self), NULL);

  return self->attachments;
}

/**
 * vd_item_add_attachment:
 * @self: an item
 * @attachment: an attachment, added last
 */
void
vd_item_add_attachment (VdItem       *self,
                        VdAttachment *attachment)
{
  g_return_if_fail (VD_IS_ITEM (self));
  g_return_if_fail (VD_IS_ATTACHMENT (attachment));

  g_ptr_array_add (self->attachments, g_object_ref (attachment));
}

/**
 * vd_item_clear_attachments:
 * @self: an item
 */
void
vd_item_clear_attachments (VdItem *self)
{
  g_return_if_fail (VD_IS_ITEM (self));

  g_ptr_array_set_size (self->attachments, 0);
}

/**
 * vd_item_find_attachment:
 * @self: an item
 * @name: an attachment's name
 *
 * Returns: (nullable) (transfer none): the attachment called @name
 */
VdAttachment *
vd_item_find_attachment (VdItem     *self,
                         const char *name)
{
  g_return_val_if_fail (VD_IS_ITEM (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = 0; i < self->attachments->len; i++)
    if (g_str_equal (vd_attachment_get_name (g_ptr_array_index (self->attachments, i)), name))
      return g_ptr_array_index (self->attachments, i);

  return NULL;
}

/**
 * vd_content_type_is_valid:
 * @content_type: (nullable): text
 *
 * The content types of an item's texts: `text/plain`, `text/markdown`,
 * `text/x-diff`, `application/json`, or `text/x-LANGUAGE` where LANGUAGE
 * is 1 to 32 of `a-z 0-9 + # . -` starting with a letter (`text/x-python`,
 * `text/x-c++`).
 *
 * Returns: whether @content_type is one of them
 */
gboolean
vd_content_type_is_valid (const char *content_type)
{
  const char *language;
  gsize length;

  if (content_type == NULL)
    return FALSE;

  if (g_str_equal (content_type, "text/plain") ||
      g_str_equal (content_type, "text/markdown") ||
      g_str_equal (content_type, "text/x-diff") ||
      g_str_equal (content_type, "application/json"))
    return TRUE;

  if (!g_str_has_prefix (content_type, "text/x-"))
    return FALSE;

  language = content_type + strlen ("text/x-");
  length = strlen (language);
  if (length == 0 || length > 32 || !g_ascii_islower (language[0]))
    return FALSE;

  for (const char *p = language; *p != '\0'; p++)
    if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && strchr ("+#.-", *p) == NULL)
      return FALSE;

  return TRUE;
}

/**
 * vd_item_get_source:
 * @self: an item
 *
 * The record of another tool's format the item was imported from:
 *
 * - `format`: `langgraph`, `label-studio`, `argilla` or `prodigy`
 * - `ids`: an object of the source's own ids (thread and interrupt ids, task
 *   ids, record ids, hashes), shown to the reviewer
 * - `group`, `group_index`, `group_size` (optional): items that belong
 *   together, such as the actions of one interrupt, share `group`
 * - `allowed_decisions` (optional): the decision wire names the source
 *   accepts back (vd_item_allows_decision())
 * - anything else the format's writer needs to answer the source
 *
 * Returns: (transfer none) (nullable): the source record, or %NULL for an
 *   item from a Verdict queue file or the agent
 */
JsonObject *
vd_item_get_source (VdItem *self)
{
  g_return_val_if_fail (VD_IS_ITEM (self), NULL);

  return self->source;
}

/**
 * vd_item_set_source:
 * @self: an item
 * @source: (nullable): the source record, copied deeply
 */
void
vd_item_set_source (VdItem     *self,
                    JsonObject *source)
{
  g_return_if_fail (VD_IS_ITEM (self));

  if (source == NULL && self->source == NULL)
    return;

  g_clear_pointer (&self->source, json_object_unref);
  if (source != NULL)
    self->source = object_copy_deep (source);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SOURCE]);
}

/**
 * vd_item_get_source_format:
 * @self: an item
 *
 * Returns: the source's `format`, or `verdict` for an item without a source
 */
const char *
vd_item_get_source_format (VdItem *self)
{
  const char *format = NULL;

  g_return_val_if_fail (VD_IS_ITEM (self), NULL);

  if (self->source != NULL)
    format = json_object_get_string_member_with_default (self->source, "format", NULL);

  return format != NULL ? format : "verdict";
}

/**
 * vd_item_allows_decision:
 * @self: an item
 * @kind: a decision kind
 *
 * Whether the item's source accepts @kind back. An item without a source,
 * or whose source lists no `allowed_decisions`, allows every kind. Escalating
 * further is always allowed: it hands the item to a senior reviewer inside
 * Verdict and answers nothing to the source.
 *
 * Returns: %TRUE when a decision of @kind may be recorded
 */
gboolean
vd_item_allows_decision (VdItem         *self,
                         VdDecisionKind  kind)
{
  JsonNode *allowed;
  JsonArray *array;
  const char *name;

  g_return_val_if_fail (VD_IS_ITEM (self), FALSE);

  if (kind == VD_DECISION_KIND_ESCALATE_FURTHER)
    return TRUE;
  if (self->source == NULL ||
      (allowed = json_object_get_member (self->source, "allowed_decisions")) == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (allowed))
    return FALSE;

  name = vd_decision_kind_to_string (kind);
  array = json_node_get_array (allowed);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_VALUE (element) &&
          json_node_get_value_type (element) == G_TYPE_STRING &&
          g_strcmp0 (json_node_get_string (element), name) == 0)
        return TRUE;
    }

  return FALSE;
}
