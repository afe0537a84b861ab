/* vd-workflow-inputs.c: task inputs for the agent, and reading them from files
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

#define G_LOG_DOMAIN "vd-workflow"

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "vd-json-guard.h"
#include "vd-queue-reader.h"
#include "vd-text.h"
#include "vd-workflow.h"

/* How much of a wrong value an error message quotes. */
#define FOUND_MAX_CHARS 40

G_DEFINE_BOXED_TYPE (VdTaskInput, vd_task_input, vd_task_input_copy, vd_task_input_free)

/**
 * vd_task_input_new:
 * @task_id: (nullable): the task id, %NULL to have one generated
 * @task_description: what to do
 * @task_type: (nullable): the kind of task
 * @context: (nullable): background for the task
 *
 * Returns: (transfer full): a new #VdTaskInput
 */
VdTaskInput *
vd_task_input_new (const char *task_id,
                   const char *task_description,
                   const char *task_type,
                   const char *context)
{
  VdTaskInput *input;

  g_return_val_if_fail (task_description != NULL, NULL);

  input = g_new0 (VdTaskInput, 1);
  input->task_id = g_strdup (task_id);
  input->task_description = g_strdup (task_description);
  input->task_type = g_strdup (task_type != NULL ? task_type : "");
  input->context = g_strdup (context != NULL ? context : "");

  return input;
}

VdTaskInput *
vd_task_input_copy (const VdTaskInput *input)
{
  VdTaskInput *copy;

  g_return_val_if_fail (input != NULL, NULL);

  copy = vd_task_input_new (input->task_id, input->task_description, input->task_type,
                            input->context);
  copy->line = input->line;

  return copy;
}

void
vd_task_input_free (VdTaskInput *input)
{
  if (input == NULL)
    return;

  g_free (input->task_id);
  g_free (input->task_description);
  g_free (input->task_type);
  g_free (input->context);
  g_free (input);
}

/* Reading */

typedef struct
{
  const char *display_name;
  guint       line;
  GHashTable *seen;        /* task id -> first line */
  char      **queue;       /* the queue name, replaced by a header's */
  guint       n_records;
  GPtrArray  *inputs;
} Reader;

/* How a wrong value looks in a message: text quoted and cut short,
 * structures as compact JSON. */
static char *
dup_found (JsonNode *node)
{
  g_autoptr(JsonNode) copy = NULL;
  g_autofree char *text = NULL;

  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING &&
      g_utf8_strlen (json_node_get_string (node), -1) > FOUND_MAX_CHARS)
    {
      g_autofree char *start = g_utf8_substring (json_node_get_string (node), 0,
                                                 FOUND_MAX_CHARS);
      g_autofree char *quoted = NULL;

      copy = json_node_new (JSON_NODE_VALUE);
      json_node_set_string (copy, start);
      quoted = json_to_string (copy, FALSE);
      /* The ellipsis goes inside the quotes. */
      quoted[strlen (quoted) - 1] = '\0';
      return g_strconcat (quoted, "…\"", NULL);
    }

  text = json_to_string (node, FALSE);
  if (g_utf8_strlen (text, -1) > FOUND_MAX_CHARS * 2)
    {
      g_autofree char *start = g_utf8_substring (text, 0, FOUND_MAX_CHARS * 2);

      return g_strconcat (start, "…", NULL);
    }

  return g_steal_pointer (&text);
}

static gboolean
fail (Reader      *r,
      GError     **error,
      const char  *format,
      ...) G_GNUC_PRINTF (3, 4);

static gboolean
fail (Reader      *r,
      GError     **error,
      const char  *format,
      ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  if (r->line > 0)
    g_set_error (error, VD_WORKFLOW_ERROR, VD_WORKFLOW_ERROR_INVALID_INPUT,
                 "%s:%u: %s", r->display_name, r->line, message);
  else
    g_set_error (error, VD_WORKFLOW_ERROR, VD_WORKFLOW_ERROR_INVALID_INPUT,
                 "%s: %s", r->display_name, message);

  return FALSE;
}

/* An optional text member (JSON null counts as absent), or a required
 * non-empty one. */
static gboolean
get_text (Reader       *r,
          JsonObject   *object,
          const char   *name,
          gboolean      required,
          gboolean      non_empty,
          const char  **out,
          GError      **error)
{
  JsonNode *node = json_object_get_member (object, name);

  *out = NULL;

  if (node == NULL || (!required && JSON_NODE_HOLDS_NULL (node)))
    {
      if (required)
        return fail (r, error, "%s: missing (required)", name);
      return TRUE;
    }

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING ||
      (non_empty && *json_node_get_string (node) == '\0'))
    {
      g_autofree char *found = dup_found (node);

      return fail (r, error, "%s: expected %s, found %s", name,
                   non_empty ? "a non-empty string" : "a string", found);
    }

  *out = json_node_get_string (node);
  return TRUE;
}

static gboolean
read_header (Reader      *r,
             JsonObject  *object,
             GError     **error)
{
  JsonNode *node = json_object_get_member (object, "verdict_queue");
  const char *queue;

  if (r->n_records != 1)
    return fail (r, error, "verdict_queue: a header may only be the first line");

  if (!JSON_NODE_HOLDS_VALUE (node) ||
      (json_node_get_value_type (node) == G_TYPE_INT64 && json_node_get_int (node) != 1) ||
      (json_node_get_value_type (node) == G_TYPE_DOUBLE && json_node_get_double (node) != 1.0) ||
      (json_node_get_value_type (node) != G_TYPE_INT64 &&
       json_node_get_value_type (node) != G_TYPE_DOUBLE))
    {
      g_autofree char *found = dup_found (node);

      return fail (r, error, "verdict_queue: expected 1, found %s", found);
    }

  if (!get_text (r, object, "queue", FALSE, TRUE, &queue, error))
    return FALSE;

  if (queue != NULL)
    {
      g_free (*r->queue);
      *r->queue = g_strdup (queue);
    }

  return TRUE;
}

static gboolean
read_input (Reader      *r,
            JsonObject  *object,
            GError     **error)
{
  const char *task_id;
  const char *description;
  const char *task_type;
  const char *context;
  VdTaskInput *input;
  gpointer first_line;

  if (!get_text (r, object, "task_id", FALSE, TRUE, &task_id, error) ||
      !get_text (r, object, "task_description", TRUE, TRUE, &description, error) ||
      !get_text (r, object, "task_type", FALSE, FALSE, &task_type, error) ||
      !get_text (r, object, "context", FALSE, FALSE, &context, error))
    return FALSE;

  if (task_id != NULL &&
      g_hash_table_lookup_extended (r->seen, task_id, NULL, &first_line))
    {
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_VALUE);
      g_autofree char *quoted = NULL;

      json_node_set_string (node, task_id);
      quoted = dup_found (node);
      return fail (r, error, "task_id: %s is already on line %u", quoted,
                   GPOINTER_TO_UINT (first_line));
    }

  if (task_id != NULL)
    g_hash_table_insert (r->seen, g_strdup (task_id), GUINT_TO_POINTER (r->line));

  input = vd_task_input_new (task_id, description, task_type, context);
  input->line = r->line;
  g_ptr_array_add (r->inputs, input);

  return TRUE;
}

/* "<data>:1:7: Parse error: unexpected character" -> "unexpected
 * character (column 7)". */
static char *
dup_parse_message (const char *message)
{
  guint64 column;
  const char *rest = vd_json_guard_split_parser_message (message, NULL, &column);

  if (column == 0)
    return g_strdup (rest);

  return g_strdup_printf ("%s (column %u)", rest, (guint) column);
}

static gboolean
read_line (Reader      *r,
           JsonParser  *parser,
           const char  *text,
           gsize        length,
           GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;
  JsonObject *object;
  guint column = 0;

  if (length > VD_QUEUE_MAX_LINE)
    return fail (r, error, "the line is longer than 16 MiB");

  if (!g_utf8_validate (text, length, NULL))
    return fail (r, error, "not valid UTF-8");

  /* json-glib would overflow the stack on deep nesting, wrap large
   * integers around and cut strings at \u0000: the guard goes first. */
  if (!vd_json_guard_scan (text, length, VD_JSON_MAX_DEPTH, NULL, &column, &local_error))
    return fail (r, error, "%s (column %u)", local_error->message, column);

  if (!json_parser_load_from_data (parser, text, length, &local_error))
    {
      g_autofree char *message = dup_parse_message (local_error->message);

      return fail (r, error, "not a JSON object: %s", message);
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_autofree char *found = root != NULL ? dup_found (root) : g_strdup ("nothing");

      return fail (r, error, "expected a JSON object, found %s", found);
    }

  /* What only decoding shows (a lone surrogate, 1e999), named by field. */
  if (!vd_json_guard_check_node (root, NULL, &local_error))
    return fail (r, error, "%s", local_error->message);

  object = json_node_get_object (root);
  r->n_records++;

  if (json_object_has_member (object, "verdict_queue"))
    return read_header (r, object, error);

  return read_input (r, object, error);
}

/**
 * vd_task_inputs_read_data:
 * @data: the contents of an inputs file
 * @length: the length of @data in bytes
 * @display_name: the file's name for messages and the default queue name
 * @queue: (out) (optional) (transfer full): the queue the inputs go to
 * @error: return location for a #GError
 *
 * Reads task inputs: JSON Lines, one object per line with `task_id`
 * (optional, non-empty), `task_description` (required, non-empty),
 * `task_type` and `context` (optional texts), after an optional header line
 * `{"verdict_queue": 1, "queue": "..."}` as in a queue file. The queue is
 * the header's or, without one, the file's base name without its
 * extension. Blank lines are skipped and counted. One bad line fails the
 * whole read with %VD_WORKFLOW_ERROR_INVALID_INPUT naming file:line: field.
 *
 * Returns: (transfer container) (element-type VdTaskInput): the inputs in
 *   file order
 */
GPtrArray *
vd_task_inputs_read_data (const char  *data,
                          gsize        length,
                          const char  *display_name,
                          char       **queue,
                          GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) inputs = NULL;
  g_autofree char *queue_name = NULL;
  Reader r = { 0 };
  const char *p = data;
  const char *end;
  gboolean ok = TRUE;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (display_name != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  inputs = g_ptr_array_new_with_free_func ((GDestroyNotify) vd_task_input_free);
  queue_name = vd_queue_name_from_display_name (display_name);
  r.display_name = display_name;
  r.seen = seen;
  r.inputs = inputs;
  r.queue = &queue_name;

  if (data == NULL)
    p = "";
  end = p + length;

  /* A byte-order mark is not part of the first line. */
  if (length >= 3 && memcmp (p, "\xef\xbb\xbf", 3) == 0)
    p += 3;

  while (ok && p < end)
    {
      const char *newline = memchr (p, '\n', end - p);
      const char *line_end = newline != NULL ? newline : end;
      gsize line_length = line_end - p;

      r.line++;
      if (line_length > 0 && p[line_length - 1] == '\r')
        line_length--;

      if (!vd_text_line_is_blank (p, line_length))
        ok = read_line (&r, parser, p, line_length, error);

      p = newline != NULL ? newline + 1 : end;
    }

  if (ok && inputs->len == 0)
    {
      r.line = 0;
      ok = fail (&r, error, "no inputs");
    }

  if (!ok)
    return NULL;

  if (queue != NULL)
    *queue = g_steal_pointer (&queue_name);

  return g_steal_pointer (&inputs);
}

/**
 * vd_task_inputs_read_file:
 * @file: an inputs file
 * @queue: (out) (optional) (transfer full): the queue the inputs go to
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Reads @file with vd_task_inputs_read_data(), naming it by its base name
 * in messages. Blocks: call it from a worker thread in a UI.
 *
 * Returns: (transfer container) (element-type VdTaskInput): the inputs
 */
GPtrArray *
vd_task_inputs_read_file (GFile         *file,
                          char         **queue,
                          GCancellable  *cancellable,
                          GError       **error)
{
  g_autofree char *contents = NULL;
  g_autofree char *basename = NULL;
  g_autofree char *display_name = NULL;
  gsize length = 0;

  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!g_file_load_contents (file, cancellable, &contents, &length, NULL, error))
    return NULL;

  basename = g_file_get_basename (file);
  display_name = basename != NULL ? g_filename_display_name (basename)
                                  : g_file_get_parse_name (file);

  return vd_task_inputs_read_data (contents, length, display_name, queue, error);
}
