/* vd-format-prodigy.c
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

#define G_LOG_DOMAIN "vd-format-prodigy"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "vd-format-prodigy.h"
#include "vd-json-guard.h"
#include "vd-json-write.h"

/*
 * Prodigy tasks, one JSON object a line (https://prodi.gy/docs/api-loaders,
 * "JSONL"), as the annotation interfaces define them
 * (https://prodi.gy/docs/api-interfaces):
 *
 *   classification  {"text": ..., "label": "POSITIVE"}
 *   choice          {"text": ..., "options": [{"id": ..., "text": ...}], "accept": [ids]}
 *   ner / spans     {"text": ..., "spans": [{"start", "end", "label"}]}
 *
 * with `_input_hash` and `_task_hash` (https://prodi.gy/docs/api-components,
 * "set_hashes"), `meta` (shown under the task; any object), and once
 * annotated `answer` ("accept", "reject" or "ignore"). The LLM recipes
 * (https://prodi.gy/docs/large-language-models) prefill the label,
 * options or spans and keep the model's text under `llm` {"prompt",
 * "response"}; a model answer under `meta` (`llm_response`, `llm_answer`,
 * `response`) is shown as the output too.
 *
 * An item's output is, in this order: the model's answer in `meta` or
 * `llm.response`; the accepted options' texts; the label; the spans. Its
 * source keeps the whole task (`task`), which the writer answers with
 * `answer` added, and how the output maps back (`output`).
 */

/* One line may be large (long texts, tokens); a file of such lines is
 * read whole by the importer, which caps its size. */
#define MAX_LINE (16 * 1024 * 1024)

/* Members of `meta` that hold a model's prefilled answer, in order. */
static const char * const meta_answer_members[] = {
  "llm_response", "llm_answer", "response",
};

typedef enum
{
  OUTPUT_META,      /* meta.MEMBER holds the output text */
  OUTPUT_LLM,       /* llm.response */
  OUTPUT_ACCEPT,    /* the accepted options */
  OUTPUT_LABEL,     /* the label */
  OUTPUT_SPANS,     /* the spans, not editable as text */
  OUTPUT_TEXT,      /* nothing but the text: accept or reject it */
} OutputKind;

static const char * const output_names[] = {
  "meta", "llm", "accept", "label", "spans", "text",
};

static gboolean
node_is_string (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_STRING;
}

static gboolean
node_is_number (JsonNode *node)
{
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  type = json_node_get_value_type (node);
  return type == G_TYPE_INT64 || type == G_TYPE_DOUBLE;
}

static gboolean
node_is_int (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_INT64;
}

static const char *
node_type_name (JsonNode *node)
{
  if (JSON_NODE_HOLDS_NULL (node))
    return "null";
  if (JSON_NODE_HOLDS_OBJECT (node))
    return "an object";
  if (JSON_NODE_HOLDS_ARRAY (node))
    return "an array";
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      return "a string";
    case G_TYPE_BOOLEAN:
      return "a boolean";
    default:
      return "a number";
    }
}

/* Where a record is, for messages: "FILE: line N (id X)". */
typedef struct
{
  const char *filename;
  guint       line;
  char       *id;
} Where;

G_GNUC_PRINTF (4, 5)
static void
set_invalid (GError      **error,
             const Where  *where,
             const char   *field,
             const char   *format,
             ...)
{
  g_autofree char *what = NULL;
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);

  if (where->id != NULL)
    g_set_error (error, VD_FORMAT_ERROR, VD_FORMAT_ERROR_INVALID, "%s: line %u (id %s): %s%s%s",
                 where->filename, where->line, where->id, field != NULL ? field : "",
                 field != NULL ? ": " : "", what);
  else
    g_set_error (error, VD_FORMAT_ERROR, VD_FORMAT_ERROR_INVALID, "%s: line %u: %s%s%s",
                 where->filename, where->line, field != NULL ? field : "",
                 field != NULL ? ": " : "", what);
}

static gboolean
expect (JsonNode     *node,
        gboolean      ok,
        const Where  *where,
        const char   *field,
        const char   *expected,
        GError      **error)
{
  if (ok)
    return TRUE;
  set_invalid (error, where, field, "expected %s, found %s", expected, node_type_name (node));
  return FALSE;
}

static gboolean
prodigy_sniff (JsonObject *record)
{
  JsonNode *text = json_object_get_member (record, "text");

  /* Every Prodigy task has its hashes once Prodigy saw it; a fresh task
   * for a recipe has a text and one of the interfaces' members. */
  if (json_object_has_member (record, "_input_hash") ||
      json_object_has_member (record, "_task_hash"))
    return TRUE;

  return node_is_string (text) &&
         !json_object_has_member (record, "data") &&
         !json_object_has_member (record, "fields") &&
         (json_object_has_member (record, "label") ||
          json_object_has_member (record, "options") ||
          json_object_has_member (record, "spans") ||
          json_object_has_member (record, "answer"));
}

static char *
sha256_prefix (const char *text)
{
  g_autofree char *sum = g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, -1);

  return g_strndup (sum, 16);
}

/* Texts of the accepted options, one a line, in the options' order. */
static char *
accepted_texts (JsonArray *options,
                JsonArray *accept)
{
  GString *out = g_string_new (NULL);

  /* No `accept` yet: nothing chosen. */
  if (accept == NULL)
    return g_string_free (out, FALSE);

  for (guint i = 0; i < json_array_get_length (options); i++)
    {
      JsonObject *option = json_array_get_object_element (options, i);
      JsonNode *id = json_object_get_member (option, "id");

      for (guint j = 0; j < json_array_get_length (accept); j++)
        {
          if (json_node_equal (id, json_array_get_element (accept, j)))
            {
              if (out->len > 0)
                g_string_append_c (out, '\n');
              g_string_append (out, json_object_get_string_member (option, "text"));
              break;
            }
        }
    }

  return g_string_free (out, FALSE);
}

static char *
spans_text (const char *text,
            JsonArray  *spans)
{
  GString *out = g_string_new (NULL);
  glong n_chars = g_utf8_strlen (text, -1);

  for (guint i = 0; i < json_array_get_length (spans); i++)
    {
      JsonObject *span = json_array_get_object_element (spans, i);
      gint64 start = json_object_get_int_member (span, "start");
      gint64 end = json_object_get_int_member (span, "end");
      const char *label = json_object_get_string_member (span, "label");

      if (out->len > 0)
        g_string_append_c (out, '\n');
      /* Prodigy's offsets count characters. */
      if (start >= 0 && end >= start && end <= n_chars)
        {
          const char *from = g_utf8_offset_to_pointer (text, start);
          const char *to = g_utf8_offset_to_pointer (text, end);

          g_string_append_printf (out, "%.*s", (int) (to - from), from);
        }
      g_string_append_printf (out, " [%s]", label);
    }

  return g_string_free (out, FALSE);
}

static gboolean
check_options (JsonObject   *task,
               const Where  *where,
               JsonArray   **options_out,
               JsonArray   **accept_out,
               GError      **error)
{
  JsonNode *node = json_object_get_member (task, "options");
  JsonNode *accept;
  JsonArray *options;

  *options_out = NULL;
  *accept_out = NULL;
  if (node == NULL)
    return TRUE;
  if (!expect (node, JSON_NODE_HOLDS_ARRAY (node), where, "options", "an array", error))
    return FALSE;

  options = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (options); i++)
    {
      JsonNode *element = json_array_get_element (options, i);
      g_autofree char *field = g_strdup_printf ("options[%u]", i);
      g_autofree char *id_field = g_strdup_printf ("options[%u].id", i);
      g_autofree char *text_field = g_strdup_printf ("options[%u].text", i);
      JsonNode *id;
      JsonNode *text;

      if (!expect (element, JSON_NODE_HOLDS_OBJECT (element), where, field, "an object", error))
        return FALSE;
      id = json_object_get_member (json_node_get_object (element), "id");
      text = json_object_get_member (json_node_get_object (element), "text");
      if (id == NULL)
        {
          set_invalid (error, where, id_field, "missing");
          return FALSE;
        }
      if (!expect (id, node_is_string (id) || node_is_int (id), where, id_field,
                   "a string or an integer", error))
        return FALSE;
      if (text == NULL)
        {
          set_invalid (error, where, text_field, "missing");
          return FALSE;
        }
      if (!expect (text, node_is_string (text), where, text_field, "a string", error))
        return FALSE;
    }

  accept = json_object_get_member (task, "accept");
  if (accept != NULL)
    {
      JsonArray *ids;

      if (!expect (accept, JSON_NODE_HOLDS_ARRAY (accept), where, "accept", "an array", error))
        return FALSE;
      ids = json_node_get_array (accept);
      for (guint i = 0; i < json_array_get_length (ids); i++)
        {
          JsonNode *id = json_array_get_element (ids, i);
          g_autofree char *field = g_strdup_printf ("accept[%u]", i);

          if (!expect (id, node_is_string (id) || node_is_int (id), where, field,
                       "a string or an integer", error))
            return FALSE;
        }
      *accept_out = ids;
    }

  *options_out = options;
  return TRUE;
}

static gboolean
check_spans (JsonObject   *task,
             const Where  *where,
             JsonArray   **spans_out,
             GError      **error)
{
  JsonNode *node = json_object_get_member (task, "spans");
  JsonArray *spans;

  *spans_out = NULL;
  if (node == NULL)
    return TRUE;
  if (!expect (node, JSON_NODE_HOLDS_ARRAY (node), where, "spans", "an array", error))
    return FALSE;

  spans = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (spans); i++)
    {
      JsonNode *element = json_array_get_element (spans, i);
      g_autofree char *field = g_strdup_printf ("spans[%u]", i);
      static const char * const ints[] = { "start", "end" };
      JsonObject *span;
      JsonNode *label;

      if (!expect (element, JSON_NODE_HOLDS_OBJECT (element), where, field, "an object", error))
        return FALSE;
      span = json_node_get_object (element);
      for (guint k = 0; k < G_N_ELEMENTS (ints); k++)
        {
          JsonNode *value = json_object_get_member (span, ints[k]);
          g_autofree char *member = g_strdup_printf ("spans[%u].%s", i, ints[k]);

          if (value == NULL)
            {
              set_invalid (error, where, member, "missing");
              return FALSE;
            }
          if (!expect (value, node_is_int (value), where, member, "an integer", error))
            return FALSE;
        }
      label = json_object_get_member (span, "label");
      {
        g_autofree char *member = g_strdup_printf ("spans[%u].label", i);

        if (label == NULL)
          {
            set_invalid (error, where, member, "missing");
            return FALSE;
          }
        if (!expect (label, node_is_string (label), where, member, "a string", error))
          return FALSE;
      }
    }

  *spans_out = spans;
  return TRUE;
}

/* Reads one task into an item, or NULL with @error. */
static VdItem *
read_task (JsonNode                   *root,
           const VdFormatReadOptions  *options,
           Where                      *where,
           GDateTime                  *now,
           GError                    **error)
{
  g_autoptr(VdItem) item = NULL;
  g_autoptr(JsonObject) source = NULL;
  g_autoptr(JsonObject) ids = NULL;
  g_autoptr(JsonObject) output = NULL;
  g_autoptr(JsonObject) metadata = NULL;
  g_autoptr(GDateTime) timestamp = NULL;
  g_autofree char *task_id = NULL;
  g_autofree char *content = NULL;
  g_autofree char *description = NULL;
  JsonObject *task;
  JsonNode *text_node, *label_node, *meta_node, *llm_node, *score_node, *answer_node;
  JsonNode *input_hash, *task_hash, *view_node, *ts_node;
  JsonObject *meta = NULL;
  JsonArray *option_list, *accept, *spans;
  OutputKind kind;
  const char *text;
  const char *meta_member = NULL;
  double score = NAN;

  if (!expect (root, JSON_NODE_HOLDS_OBJECT (root), where, NULL, "a task object", error))
    return NULL;
  task = json_node_get_object (root);

  input_hash = json_object_get_member (task, "_input_hash");
  task_hash = json_object_get_member (task, "_task_hash");
  if (task_hash != NULL && node_is_int (task_hash))
    where->id = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (task_hash));

  if (input_hash != NULL &&
      !expect (input_hash, node_is_int (input_hash), where, "_input_hash", "an integer", error))
    return NULL;
  if (task_hash != NULL &&
      !expect (task_hash, node_is_int (task_hash), where, "_task_hash", "an integer", error))
    return NULL;

  text_node = json_object_get_member (task, "text");
  if (text_node == NULL)
    {
      set_invalid (error, where, "text", "missing");
      return NULL;
    }
  if (!expect (text_node, node_is_string (text_node), where, "text", "a string", error))
    return NULL;
  text = json_node_get_string (text_node);

  label_node = json_object_get_member (task, "label");
  if (label_node != NULL &&
      !expect (label_node, node_is_string (label_node), where, "label", "a string", error))
    return NULL;

  answer_node = json_object_get_member (task, "answer");
  if (answer_node != NULL &&
      (!expect (answer_node, node_is_string (answer_node), where, "answer", "a string", error)))
    return NULL;
  if (answer_node != NULL &&
      !g_strv_contains ((const char * const[]) { "accept", "reject", "ignore", NULL },
                        json_node_get_string (answer_node)))
    {
      set_invalid (error, where, "answer", "expected one of accept, reject, ignore");
      return NULL;
    }

  view_node = json_object_get_member (task, "_view_id");
  if (view_node != NULL &&
      !expect (view_node, node_is_string (view_node), where, "_view_id", "a string", error))
    return NULL;

  ts_node = json_object_get_member (task, "_timestamp");
  if (ts_node != NULL &&
      !expect (ts_node, node_is_int (ts_node), where, "_timestamp", "an integer", error))
    return NULL;

  meta_node = json_object_get_member (task, "meta");
  if (meta_node != NULL)
    {
      if (!expect (meta_node, JSON_NODE_HOLDS_OBJECT (meta_node), where, "meta", "an object",
                   error))
        return NULL;
      meta = json_node_get_object (meta_node);
    }

  llm_node = json_object_get_member (task, "llm");
  if (llm_node != NULL)
    {
      JsonNode *response;

      if (!expect (llm_node, JSON_NODE_HOLDS_OBJECT (llm_node), where, "llm", "an object",
                   error))
        return NULL;
      response = json_object_get_member (json_node_get_object (llm_node), "response");
      if (response != NULL &&
          !expect (response, node_is_string (response), where, "llm.response", "a string",
                   error))
        return NULL;
      if (response == NULL)
        llm_node = NULL;
    }

  if (!check_options (task, where, &option_list, &accept, error) ||
      !check_spans (task, where, &spans, error))
    return NULL;

  if (meta != NULL)
    {
      for (guint i = 0; i < G_N_ELEMENTS (meta_answer_members) && meta_member == NULL; i++)
        {
          JsonNode *node = json_object_get_member (meta, meta_answer_members[i]);
          g_autofree char *field = g_strdup_printf ("meta.%s", meta_answer_members[i]);

          if (node == NULL)
            continue;
          if (!expect (node, node_is_string (node), where, field, "a string", error))
            return NULL;
          meta_member = meta_answer_members[i];
        }

      /* The score Prodigy's sorters and active learning show: 0..1. */
      score_node = json_object_get_member (meta, "score");
      if (score_node != NULL)
        {
          if (!expect (score_node, node_is_number (score_node), where, "meta.score", "a number",
                       error))
            return NULL;
          score = json_node_get_double (score_node);
          if (!(score >= 0.0 && score <= 1.0))
            score = NAN;
        }
    }

  if (meta_member != NULL)
    {
      kind = OUTPUT_META;
      content = g_strdup (json_object_get_string_member (meta, meta_member));
    }
  else if (llm_node != NULL)
    {
      kind = OUTPUT_LLM;
      content = g_strdup (json_object_get_string_member (json_node_get_object (llm_node),
                                                        "response"));
    }
  else if (option_list != NULL)
    {
      kind = OUTPUT_ACCEPT;
      content = accepted_texts (option_list, accept);
    }
  else if (label_node != NULL)
    {
      kind = OUTPUT_LABEL;
      content = g_strdup (json_node_get_string (label_node));
    }
  else if (spans != NULL)
    {
      kind = OUTPUT_SPANS;
      content = spans_text (text, spans);
    }
  else
    {
      kind = OUTPUT_TEXT;
      content = g_strdup (text);
    }

  if (task_hash != NULL)
    task_id = g_strdup_printf ("pg:%" G_GINT64_FORMAT, json_node_get_int (task_hash));
  else
    {
      g_autofree char *canonical = vd_json_node_to_string (root, FALSE);
      g_autofree char *digest = sha256_prefix (canonical);

      task_id = g_strdup_printf ("pg:%s", digest);
    }

  switch (kind)
    {
    case OUTPUT_META:
    case OUTPUT_LLM:
      description = g_strdup (_("Check the model's answer for this text"));
      break;
    case OUTPUT_ACCEPT:
      description = g_strdup (_("Check the options chosen for this text"));
      break;
    case OUTPUT_LABEL:
      description = g_strdup_printf (_("Does the label “%s” fit this text?"),
                                     json_node_get_string (label_node));
      break;
    case OUTPUT_SPANS:
      description = g_strdup (_("Check the highlighted spans of this text"));
      break;
    case OUTPUT_TEXT:
    default:
      description = g_strdup (_("Accept or reject this text"));
      break;
    }

  ids = json_object_new ();
  if (input_hash != NULL)
    json_object_set_int_member (ids, "_input_hash", json_node_get_int (input_hash));
  if (task_hash != NULL)
    json_object_set_int_member (ids, "_task_hash", json_node_get_int (task_hash));

  output = json_object_new ();
  json_object_set_string_member (output, "kind", output_names[kind]);
  if (meta_member != NULL)
    json_object_set_string_member (output, "member", meta_member);

  source = json_object_new ();
  json_object_set_string_member (source, "format", "prodigy");
  json_object_set_object_member (source, "ids", json_object_ref (ids));
  json_object_set_object_member (source, "output", json_object_ref (output));
  json_object_set_member (source, "task", json_node_copy (root));

  metadata = json_object_new ();
  if (label_node != NULL)
    json_object_set_string_member (metadata, "label", json_node_get_string (label_node));
  if (option_list != NULL)
    {
      JsonArray *texts = json_array_new ();

      for (guint i = 0; i < json_array_get_length (option_list); i++)
        json_array_add_string_element (texts,
                                       json_object_get_string_member (
                                         json_array_get_object_element (option_list, i),
                                         "text"));
      json_object_set_array_member (metadata, "options", texts);
    }
  if (view_node != NULL)
    json_object_set_string_member (metadata, "_view_id", json_node_get_string (view_node));
  if (answer_node != NULL)
    json_object_set_string_member (metadata, "answer", json_node_get_string (answer_node));
  if (meta != NULL)
    json_object_set_member (metadata, "meta", json_node_copy (meta_node));

  if (ts_node != NULL)
    timestamp = g_date_time_new_from_unix_utc (json_node_get_int (ts_node));
  if (timestamp == NULL)
    timestamp = g_date_time_ref (now);

  item = vd_item_new (options->queue, task_id);
  vd_item_set_task_description (item, description);
  vd_item_set_task_type (item, view_node != NULL ? json_node_get_string (view_node) : "prodigy");
  vd_item_set_context (item, text);
  vd_item_set_content (item, content);
  vd_item_set_metadata (item, metadata);
  vd_item_set_timestamp (item, timestamp);
  vd_item_set_source (item, source);
  if (isnan (score))
    {
      vd_item_clear_confidence (item);
      vd_item_set_escalation_reason (item, VD_ESCALATION_REASON_POLICY_REQUIRED);
      vd_item_set_escalation_detail (item, _("Prodigy task: no score given, a human decides"));
    }
  else
    {
      vd_item_set_confidence (item, score);
      vd_item_set_escalation_reason (item, VD_ESCALATION_REASON_NONE);
    }

  return g_steal_pointer (&item);
}

static GPtrArray *
prodigy_read (GBytes                     *bytes,
              const VdFormatReadOptions  *options,
              GPtrArray                  *problems,
              GError                    **error)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  const char *filename = options->filename != NULL ? options->filename : "prodigy.jsonl";
  const char *data;
  gsize length = 0;
  gsize start = 0;
  guint line = 0;

  data = g_bytes_get_data (bytes, &length);

  while (start < length)
    {
      const char *newline = memchr (data + start, '\n', length - start);
      gsize end = newline != NULL ? (gsize) (newline - data) : length;
      g_autoptr(GError) local_error = NULL;
      g_autoptr(JsonNode) root = NULL;
      g_autoptr(VdItem) item = NULL;
      Where where = { filename, ++line, NULL };
      gsize first = start;

      while (first < end && (data[first] == ' ' || data[first] == '\t' || data[first] == '\r'))
        first++;

      if (first < end)
        {
          root = vd_json_guard_parse (data + first, end - first, MAX_LINE, &local_error);
          if (root == NULL)
            {
              g_autoptr(GError) parse_error = g_steal_pointer (&local_error);

              set_invalid (&local_error, &where, NULL, "%s", parse_error->message);
            }
          else
            item = read_task (root, options, &where, now, &local_error);

          if (item != NULL)
            g_ptr_array_add (items, g_steal_pointer (&item));
          else if (options->skip_invalid && problems != NULL)
            g_ptr_array_add (problems, g_strdup (local_error->message));
          else
            {
              g_free (where.id);
              g_propagate_error (error, g_steal_pointer (&local_error));
              return NULL;
            }
        }

      g_free (where.id);
      start = end + 1;
    }

  return g_steal_pointer (&items);
}

static OutputKind
output_kind (JsonObject *source)
{
  JsonNode *output = json_object_get_member (source, "output");
  JsonNode *kind;

  if (output == NULL || !JSON_NODE_HOLDS_OBJECT (output))
    return OUTPUT_TEXT;
  kind = json_object_get_member (json_node_get_object (output), "kind");
  if (!node_is_string (kind))
    return OUTPUT_TEXT;
  for (guint i = 0; i < G_N_ELEMENTS (output_names); i++)
    if (g_strcmp0 (output_names[i], json_node_get_string (kind)) == 0)
      return i;
  return OUTPUT_TEXT;
}

static JsonObject *
source_task (JsonObject *source)
{
  JsonNode *task = json_object_get_member (source, "task");

  if (task == NULL || !JSON_NODE_HOLDS_OBJECT (task))
    return NULL;
  return json_node_get_object (task);
}

/* The ids of the options the edited text names, one option a line (its
 * text or its id), or NULL when a line names none. */
static JsonArray *
edited_accept (JsonObject  *task,
               const char  *edited,
               char       **unknown)
{
  g_autoptr(JsonArray) ids = json_array_new ();
  g_auto(GStrv) lines = g_strsplit (edited != NULL ? edited : "", "\n", -1);
  JsonNode *options_node = json_object_get_member (task, "options");
  JsonArray *options;

  if (options_node == NULL || !JSON_NODE_HOLDS_ARRAY (options_node))
    return NULL;
  options = json_node_get_array (options_node);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *line = g_strstrip (g_strdup (lines[i]));
      gboolean found = FALSE;

      if (*line == '\0')
        continue;
      for (guint j = 0; j < json_array_get_length (options) && !found; j++)
        {
          JsonNode *element = json_array_get_element (options, j);
          JsonObject *option;
          JsonNode *id, *text;
          g_autofree char *id_text = NULL;

          if (!JSON_NODE_HOLDS_OBJECT (element))
            continue;
          option = json_node_get_object (element);
          id = json_object_get_member (option, "id");
          text = json_object_get_member (option, "text");
          if (id == NULL)
            continue;
          if (node_is_int (id))
            id_text = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (id));
          else if (node_is_string (id))
            id_text = g_strdup (json_node_get_string (id));
          if ((node_is_string (text) && g_strcmp0 (json_node_get_string (text), line) == 0) ||
              g_strcmp0 (id_text, line) == 0)
            {
              json_array_add_element (ids, json_node_copy (id));
              found = TRUE;
            }
        }
      if (!found)
        {
          if (unknown != NULL)
            *unknown = g_steal_pointer (&line);
          return NULL;
        }
    }

  return g_steal_pointer (&ids);
}

static gboolean
prodigy_check_decision (VdItem      *item,
                        VdDecision  *decision,
                        GError     **error)
{
  JsonObject *source = vd_item_get_source (item);
  JsonObject *task;
  const char *edited;

  if (vd_decision_get_kind (decision) != VD_DECISION_KIND_MODIFY || source == NULL)
    return TRUE;

  task = source_task (source);
  edited = vd_decision_get_modified_content (decision);
  switch (output_kind (source))
    {
    case OUTPUT_SPANS:
      g_set_error (error, VD_FORMAT_ERROR, VD_FORMAT_ERROR_UNSUPPORTED,
                   _("%s/%s: the spans of a Prodigy task cannot be edited as text; accept or "
                     "reject them"),
                   vd_item_get_queue (item), vd_item_get_task_id (item));
      return FALSE;

    case OUTPUT_ACCEPT:
      {
        g_autoptr(JsonArray) ids = NULL;
        g_autofree char *unknown = NULL;

        if (task != NULL)
          ids = edited_accept (task, edited, &unknown);
        if (ids == NULL)
          {
            g_set_error (error, VD_FORMAT_ERROR, VD_FORMAT_ERROR_INVALID,
                         _("%s/%s: “%s” is not one of this Prodigy task's options; "
                           "write one option's text or id a line"),
                         vd_item_get_queue (item), vd_item_get_task_id (item),
                         unknown != NULL ? unknown : "");
            return FALSE;
          }
        return TRUE;
      }

    case OUTPUT_LABEL:
      {
        g_autofree char *label = g_strstrip (g_strdup (edited != NULL ? edited : ""));

        if (*label == '\0' || strchr (label, '\n') != NULL)
          {
            g_set_error (error, VD_FORMAT_ERROR, VD_FORMAT_ERROR_INVALID,
                         _("%s/%s: a Prodigy label is one line of text"),
                         vd_item_get_queue (item), vd_item_get_task_id (item));
            return FALSE;
          }
        return TRUE;
      }

    case OUTPUT_META:
    case OUTPUT_LLM:
    case OUTPUT_TEXT:
    default:
      return TRUE;
    }
}

/* The task answered: the original line with `answer`, the reviewer's edit
 * where the output came from, and who answered when (`_annotator_id`,
 * `_timestamp`, as Prodigy's own database export writes them). */
static JsonNode *
answer_task (VdItem     *item,
             VdDecision *decision)
{
  JsonObject *source = vd_item_get_source (item);
  JsonObject *original = source_task (source);
  g_autoptr(JsonNode) node = NULL;
  JsonObject *task;
  const char *answer = "accept";
  GDateTime *when = vd_decision_get_timestamp (decision);

  if (original == NULL)
    return NULL;

  {
    g_autoptr(JsonNode) shared = json_node_new (JSON_NODE_OBJECT);
    g_autofree char *copy = NULL;

    /* json_node_copy() shares the members, which are changed below: the
     * task is copied through its text. */
    json_node_set_object (shared, original);
    copy = vd_json_node_to_string (shared, FALSE);
    node = json_from_string (copy, NULL);
    if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
      return NULL;
  }
  task = json_node_get_object (node);

  switch (vd_decision_get_kind (decision))
    {
    case VD_DECISION_KIND_REJECT:
      answer = "reject";
      break;

    case VD_DECISION_KIND_MODIFY:
      {
        const char *edited = vd_decision_get_modified_content (decision);

        switch (output_kind (source))
          {
          case OUTPUT_META:
            {
              JsonNode *output = json_object_get_member (source, "output");
              const char *member = json_object_get_string_member_with_default (
                json_node_get_object (output), "member", "llm_response");
              JsonNode *meta = json_object_get_member (task, "meta");

              if (meta != NULL && JSON_NODE_HOLDS_OBJECT (meta))
                json_object_set_string_member (json_node_get_object (meta), member, edited);
            }
            break;

          case OUTPUT_LLM:
            {
              JsonNode *llm = json_object_get_member (task, "llm");

              if (llm != NULL && JSON_NODE_HOLDS_OBJECT (llm))
                json_object_set_string_member (json_node_get_object (llm), "response", edited);
            }
            break;

          case OUTPUT_ACCEPT:
            {
              JsonArray *ids = edited_accept (task, edited, NULL);

              if (ids != NULL)
                json_object_set_array_member (task, "accept", ids);
            }
            break;

          case OUTPUT_LABEL:
            {
              g_autofree char *label = g_strstrip (g_strdup (edited));

              json_object_set_string_member (task, "label", label);
            }
            break;

          case OUTPUT_TEXT:
            json_object_set_string_member (task, "text", edited);
            break;

          case OUTPUT_SPANS:
          default:
            break;
          }
      }
      break;

    case VD_DECISION_KIND_APPROVE:
    case VD_DECISION_KIND_ESCALATE_FURTHER:
    default:
      break;
    }

  json_object_set_string_member (task, "answer", answer);
  if (when != NULL)
    json_object_set_int_member (task, "_timestamp", g_date_time_to_unix (when));
  json_object_set_string_member (task, "_annotator_id", vd_decision_get_reviewer_id (decision));

  return g_steal_pointer (&node);
}

static gboolean
prodigy_write (GPtrArray        *entries,
               GOutputStream    *out,
               VdFormatSummary  *summary,
               GCancellable     *cancellable,
               GError          **error)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < entries->len; i++)
    {
      VdFormatEntry *entry = g_ptr_array_index (entries, i);
      g_autoptr(JsonNode) answered = NULL;

      if (g_strcmp0 (vd_item_get_source_format (entry->item), "prodigy") != 0)
        {
          summary->other++;
          continue;
        }
      if (entry->decision == NULL ||
          vd_decision_get_kind (entry->decision) == VD_DECISION_KIND_ESCALATE_FURTHER ||
          (answered = answer_task (entry->item, entry->decision)) == NULL)
        {
          summary->held_back++;
          continue;
        }

      vd_json_append_node (text, answered, FALSE);
      g_string_append_c (text, '\n');
      summary->written++;

      if (text->len >= 1024 * 1024)
        {
          if (!g_output_stream_write_all (out, text->str, text->len, NULL, cancellable, error))
            return FALSE;
          g_string_truncate (text, 0);
        }
    }

  return g_output_stream_write_all (out, text->str, text->len, NULL, cancellable, error);
}

static const VdFormatClass prodigy_class = {
  .name = "prodigy",
  .label = N_("Prodigy tasks"),
  .sniff = prodigy_sniff,
  .read = prodigy_read,
  .check_decision = prodigy_check_decision,
  .write = prodigy_write,
};

/**
 * vd_format_prodigy_get_class:
 *
 * Returns: (transfer none): the Prodigy JSON Lines format
 */
const VdFormatClass *
vd_format_prodigy_get_class (void)
{
  return &prodigy_class;
}
