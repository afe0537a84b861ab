/* vd-queue-writer.c
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

#define G_LOG_DOMAIN "vd-queue-writer"

#include "config.h"

#include <glib/gi18n.h>

#include "vd-attachment.h"
#include "vd-item.h"
#include "vd-json-write.h"
#include "vd-queue-reader.h"
#include "vd-queue-writer.h"
#include "vd-timestamp.h"

/* Every field the reader knows is written when it differs from the
 * reader's default, and only then, so that a written line reads back to
 * the same item and stays as short as a hand-written one. */

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

static void
add_optional (JsonBuilder *builder,
              const char  *name,
              const char  *value)
{
  if (value != NULL)
    add_string (builder, name, value);
}

static void
add_timestamp (JsonBuilder *builder,
               const char  *name,
               GDateTime   *value)
{
  g_autofree char *text = NULL;

  if (value == NULL)
    return;

  text = vd_timestamp_format (value);
  add_string (builder, name, text);
}

static gboolean
is_plain (const char *content_type)
{
  return content_type == NULL || g_str_equal (content_type, "text/plain");
}

static gboolean
add_content_types (JsonBuilder *builder,
                   VdItem      *item)
{
  const char *task = vd_item_get_task_content_type (item);
  const char *context = vd_item_get_context_content_type (item);
  const char *output = vd_item_get_output_content_type (item);

  if (is_plain (task) && is_plain (context) && is_plain (output))
    return TRUE;

  json_builder_set_member_name (builder, "content_type");
  json_builder_begin_object (builder);
  if (!is_plain (task))
    add_string (builder, "task", task);
  if (!is_plain (context))
    add_string (builder, "context", context);
  if (!is_plain (output))
    add_string (builder, "output", output);
  json_builder_end_object (builder);
  return TRUE;
}

static gboolean
add_attachment (JsonBuilder   *builder,
                VdItem        *item,
                guint          index,
                VdAttachment  *attachment,
                GError       **error)
{
  g_autoptr(GBytes) read = NULL;
  GBytes *bytes;
  const char *sha256 = vd_attachment_get_sha256 (attachment);

  json_builder_begin_object (builder);
  add_string (builder, "name", vd_attachment_get_name (attachment));
  add_string (builder, "media_type", vd_attachment_get_media_type (attachment));

  if (vd_attachment_is_link (attachment))
    {
      add_string (builder, "url", vd_attachment_get_url (attachment));
      add_optional (builder, "sha256", sha256);
      json_builder_end_object (builder);
      return TRUE;
    }

  bytes = vd_attachment_get_bytes (attachment);
  if (bytes == NULL && vd_attachment_get_source_path (attachment) != NULL)
    {
      g_autofree char *contents = NULL;
      gsize length = 0;

      if (!g_file_get_contents (vd_attachment_get_source_path (attachment), &contents,
                                &length, error))
        return FALSE;
      bytes = read = g_bytes_new_take (g_steal_pointer (&contents), length);
    }

  if (bytes == NULL)
    {
      g_set_error (error, VD_QUEUE_ERROR, VD_QUEUE_ERROR_INVALID,
                   _("%s/%s: attachments[%u] (“%s”): its bytes are not loaded"),
                   vd_item_get_queue (item), vd_item_get_task_id (item), index,
                   vd_attachment_get_name (attachment));
      return FALSE;
    }

  {
    gsize size;
    const guchar *data = g_bytes_get_data (bytes, &size);
    g_autofree char *encoded = g_base64_encode (data, size);

    add_string (builder, "data", encoded);
  }
  add_optional (builder, "sha256", sha256);
  json_builder_end_object (builder);
  return TRUE;
}

static gboolean
add_attachments (JsonBuilder  *builder,
                 VdItem       *item,
                 GError      **error)
{
  GPtrArray *attachments = vd_item_get_attachments (item);

  if (attachments == NULL || attachments->len == 0)
    return TRUE;

  json_builder_set_member_name (builder, "attachments");
  json_builder_begin_array (builder);
  for (guint i = 0; i < attachments->len; i++)
    if (!add_attachment (builder, item, i, g_ptr_array_index (attachments, i), error))
      return FALSE;
  json_builder_end_array (builder);
  return TRUE;
}

/**
 * vd_queue_writer_format_header:
 * @queue: (nullable): the queue of the file's items
 * @source: (nullable): what wrote the file
 * @extra: (nullable): more members, copied after the standard ones (the
 *   reader ignores keys it does not know)
 *
 * Returns: (transfer full): the header line, without its line end
 */
char *
vd_queue_writer_format_header (const char *queue,
                               const char *source,
                               JsonObject *extra)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "verdict_queue");
  json_builder_add_int_value (builder, 1);
  add_optional (builder, "queue", queue);
  add_timestamp (builder, "exported_at", now);
  add_optional (builder, "source", source);
  if (extra != NULL)
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *node;

      json_object_iter_init (&iter, extra);
      while (json_object_iter_next (&iter, &name, &node))
        {
          json_builder_set_member_name (builder, name);
          json_builder_add_value (builder, json_node_copy (node));
        }
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return vd_json_node_to_string (root, FALSE);
}

/**
 * vd_queue_writer_append_item:
 * @out: where to append
 * @item: an undecided item
 * @error: return location for an error
 *
 * Appends @item as one line of a queue file, with its line end. On failure
 * @out is left as it was.
 *
 * Returns: %TRUE on success
 */
gboolean
vd_queue_writer_append_item (GString  *out,
                             VdItem   *item,
                             GError  **error)
{
  g_autofree char *line = vd_queue_writer_format_item (item, error);

  if (line == NULL)
    return FALSE;

  g_string_append (out, line);
  g_string_append_c (out, '\n');
  return TRUE;
}

/**
 * vd_queue_writer_format_item:
 * @item: an undecided item
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): @item as one line of a queue file,
 *   without its line end; %NULL with @error set when the format cannot hold
 *   it
 */
char *
vd_queue_writer_format_item (VdItem  *item,
                             GError **error)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *metadata;
  VdTaskStatus status;
  VdEscalationReason reason;

  g_return_val_if_fail (VD_IS_ITEM (item), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  status = vd_item_get_status (item);
  if (!vd_task_status_is_undecided (status))
    {
      g_set_error (error, VD_QUEUE_ERROR, VD_QUEUE_ERROR_INVALID,
                   _("%s/%s: status: a queue file holds only undecided items, found %s"),
                   vd_item_get_queue (item), vd_item_get_task_id (item),
                   vd_task_status_to_string (status));
      return NULL;
    }
  if (!vd_item_has_confidence (item))
    {
      g_set_error (error, VD_QUEUE_ERROR, VD_QUEUE_ERROR_INVALID,
                   _("%s/%s: agent_output.confidence: the item has none, and a queue "
                     "file requires one"),
                   vd_item_get_queue (item), vd_item_get_task_id (item));
      return NULL;
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  add_string (builder, "task_id", vd_item_get_task_id (item));
  add_string (builder, "queue", vd_item_get_queue (item));
  add_optional (builder, "task_type", vd_item_get_task_type (item));
  add_string (builder, "task_description", vd_item_get_task_description (item));
  add_optional (builder, "context", vd_item_get_context (item));

  json_builder_set_member_name (builder, "agent_output");
  json_builder_begin_object (builder);
  add_string (builder, "content", vd_item_get_content (item));
  json_builder_set_member_name (builder, "confidence");
  json_builder_add_double_value (builder, vd_item_get_confidence (item));
  add_optional (builder, "reasoning", vd_item_get_reasoning (item));
  metadata = vd_item_get_metadata (item);
  if (metadata != NULL)
    {
      JsonNode *node = json_node_new (JSON_NODE_OBJECT);

      json_node_set_object (node, metadata);
      json_builder_set_member_name (builder, "metadata");
      json_builder_add_value (builder, node);
    }
  json_builder_end_object (builder);

  reason = vd_item_get_escalation_reason (item);
  if (reason != VD_ESCALATION_REASON_NONE)
    add_string (builder, "escalation_reason", vd_escalation_reason_to_string (reason));
  add_optional (builder, "escalation_detail", vd_item_get_escalation_detail (item));
  add_timestamp (builder, "timestamp", vd_item_get_timestamp (item));
  add_timestamp (builder, "due_at", vd_item_get_due_at (item));
  if (vd_item_get_priority (item) != 0)
    {
      json_builder_set_member_name (builder, "priority");
      json_builder_add_int_value (builder, vd_item_get_priority (item));
    }
  if (vd_item_get_revision (item) != 0)
    {
      json_builder_set_member_name (builder, "revision");
      json_builder_add_int_value (builder, vd_item_get_revision (item));
    }
  if (status != VD_TASK_STATUS_PENDING)
    add_string (builder, "status", vd_task_status_to_string (status));
  if (vd_item_get_expected_decision (item) != NULL)
    {
      json_builder_set_member_name (builder, "check");
      json_builder_begin_object (builder);
      add_string (builder, "expected", vd_item_get_expected_decision (item));
      json_builder_end_object (builder);
    }
  add_content_types (builder, item);
  if (!add_attachments (builder, item, error))
    return NULL;
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return vd_json_node_to_string (root, FALSE);
}
