/* vd-format-label-studio.c
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

#define G_LOG_DOMAIN "vd-format-label-studio"

#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <string.h>

#include <glib/gi18n.h>

#include "vd-decision.h"
#include "vd-format-label-studio.h"
#include "vd-item.h"
#include "vd-json-guard.h"
#include "vd-json-write.h"
#include "vd-timestamp.h"

/*
 * Label Studio's task JSON, as its documentation describes it:
 *
 *  - tasks (https://labelstud.io/guide/tasks): a list of tasks or one task,
 *    each `{"id", "data": {...}, "predictions": [...], "annotations": [...],
 *    "meta": {...}}`; `data` holds the inputs the labelling config names
 *    as `$field`;
 *  - predictions (https://labelstud.io/guide/predictions): `{"model_version",
 *    "score", "result": [{"id", "from_name", "to_name", "type", "value",
 *    "score"?}]}`; text classification is `"type": "choices"` with
 *    `value.choices` (a list of strings), generation is `"type": "textarea"`
 *    with `value.text` (a list of strings);
 *  - export (https://labelstud.io/guide/export, the "JSON" format and
 *    https://labelstud.io/guide/task_format): annotations are
 *    `{"result", "was_cancelled", "ground_truth", "lead_time" (seconds),
 *    "completed_by", ...}` and import back the same way (Label Studio's
 *    label_studio/tasks/serializers.py, add_annotations: `ground_truth`
 *    is true when left out, a missing `completed_by` is the importing
 *    user; add_tasks keeps `data` and `meta`, which may be a list).
 *
 * One task is one item. Its output is the prediction with the highest
 * score (the first when none has a score); the other predictions are kept
 * readable in the metadata. A result of one choices or textarea entry is
 * shown as text; any other result (several entries, labels, rating,
 * taxonomy, ...) is shown as its JSON and edited as JSON.
 *
 * The answer is the task again (`id`, `data`, `meta`) with one annotation:
 * the approved result, the edited result, or an empty cancelled one for a
 * reject. `completed_by` is left out: Label Studio sets it to the user who
 * imports the file, and a Verdict reviewer is not a Label Studio user. The
 * reviewer, the decision and the feedback go to the task's
 * `meta.verdict`, which Label Studio keeps and shows with the task.
 */

#define FORMAT_NAME "label-studio"

/* A whole task file is parsed at once. */
#define MAX_FILE_BYTES (64 * 1024 * 1024)

/* The longest text (an input field, an output, an edit) and the longest
 * name (from_name, to_name, type, model_version, id) read. */
#define MAX_TEXT_BYTES (4 * 1024 * 1024)
#define MAX_NAME_BYTES 1024

/* How an output is shown and edited (source member `output`). */
#define OUTPUT_CHOICES  "choices"
#define OUTPUT_TEXTAREA "textarea"
#define OUTPUT_JSON     "json"

typedef struct
{
  const char *filename;
  guint       index;      /* 1-based */
  char       *id_label;   /* the task's id as text, NULL when it has none */
} Where;

static gboolean fail (const Where *where,
                      GError     **error,
                      const char  *field,
                      const char  *format,
                      ...) G_GNUC_PRINTF (4, 5);

static gboolean
fail (const Where *where,
      GError     **error,
      const char  *field,
      const char  *format,
      ...)
{
  g_autoptr(GString) message = g_string_new (NULL);
  g_autofree char *what = NULL;
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);

  g_string_append_printf (message, "%s: record %u", where->filename, where->index);
  if (where->id_label != NULL)
    g_string_append_printf (message, " (id %s)", where->id_label);
  g_string_append (message, ": ");
  if (field != NULL)
    g_string_append_printf (message, "%s: ", field);
  g_string_append (message, what);

  g_set_error_literal (error, VD_FORMAT_ERROR, VD_FORMAT_ERROR_INVALID, message->str);
  return FALSE;
}

static const char *
describe_node (JsonNode *node)
{
  if (node == NULL)
    return "nothing";

  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      return "an object";
    case JSON_NODE_ARRAY:
      return "a list";
    case JSON_NODE_NULL:
      return "null";
    case JSON_NODE_VALUE:
    default:
      break;
    }

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      return "a string";
    case G_TYPE_BOOLEAN:
      return "true or false";
    default:
      return "a number";
    }
}

static gboolean
node_is_string (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_STRING;
}

static gboolean
node_get_number (JsonNode *node,
                 double   *number)
{
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  type = json_node_get_value_type (node);
  if (type == G_TYPE_INT64)
    *number = (double) json_node_get_int (node);
  else if (type == G_TYPE_DOUBLE)
    *number = json_node_get_double (node);
  else
    return FALSE;

  return TRUE;
}

/* A member that may be absent or null; present, it must be of the type
 * asked for. */
static gboolean
optional_string (const Where *where,
                 JsonObject  *object,
                 const char  *name,
                 const char  *path,
                 const char **value,
                 GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);

  *value = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!node_is_string (node))
    return fail (where, error, path, "expected a string, found %s", describe_node (node));
  if (strlen (json_node_get_string (node)) > MAX_NAME_BYTES)
    return fail (where, error, path, "longer than %d bytes", MAX_NAME_BYTES);

  *value = json_node_get_string (node);
  return TRUE;
}

static gboolean
required_name (const Where *where,
               JsonObject  *object,
               const char  *name,
               const char  *path,
               const char **value,
               GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL)
    return fail (where, error, path, "missing");
  if (!optional_string (where, object, name, path, value, error))
    return FALSE;
  if (*value == NULL)
    return fail (where, error, path, "expected a string, found null");
  if (**value == '\0')
    return fail (where, error, path, "empty");

  return TRUE;
}

static gboolean
optional_number (const Where *where,
                 JsonObject  *object,
                 const char  *name,
                 const char  *path,
                 gboolean    *has_value,
                 double      *value,
                 GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);

  *has_value = FALSE;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!node_get_number (node, value))
    return fail (where, error, path, "expected a number, found %s", describe_node (node));

  *has_value = TRUE;
  return TRUE;
}

/* A list of strings such as value.choices or value.text. */
static gboolean
check_string_list (const Where *where,
                   JsonObject  *value,
                   const char  *name,
                   const char  *path,
                   GError     **error)
{
  JsonNode *node = json_object_get_member (value, name);
  JsonArray *array;
  guint n;

  if (node == NULL)
    return fail (where, error, path, "missing");
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return fail (where, error, path, "expected a list of strings, found %s",
                 describe_node (node));

  array = json_node_get_array (node);
  n = json_array_get_length (array);
  if (n == 0)
    return fail (where, error, path, "empty");

  for (guint i = 0; i < n; i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (!node_is_string (element))
        return fail (where, error, path, "item %u: expected a string, found %s", i,
                     describe_node (element));
      if (strlen (json_node_get_string (element)) > MAX_TEXT_BYTES)
        return fail (where, error, path, "item %u: longer than %d bytes", i, MAX_TEXT_BYTES);
    }

  return TRUE;
}

static gboolean
check_result_entry (const Where *where,
                    JsonNode    *node,
                    const char  *path,
                    GError     **error)
{
  g_autofree char *from_path = g_strdup_printf ("%s.from_name", path);
  g_autofree char *to_path = g_strdup_printf ("%s.to_name", path);
  g_autofree char *type_path = g_strdup_printf ("%s.type", path);
  g_autofree char *id_path = g_strdup_printf ("%s.id", path);
  g_autofree char *score_path = g_strdup_printf ("%s.score", path);
  g_autofree char *value_path = g_strdup_printf ("%s.value", path);
  const char *from_name, *to_name, *type, *id;
  JsonObject *entry;
  JsonNode *value;
  gboolean has_score;
  double score;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return fail (where, error, path, "expected a result object, found %s", describe_node (node));

  entry = json_node_get_object (node);
  if (!required_name (where, entry, "from_name", from_path, &from_name, error) ||
      !required_name (where, entry, "to_name", to_path, &to_name, error) ||
      !required_name (where, entry, "type", type_path, &type, error) ||
      !optional_string (where, entry, "id", id_path, &id, error) ||
      !optional_number (where, entry, "score", score_path, &has_score, &score, error))
    return FALSE;

  value = json_object_get_member (entry, "value");
  if (value == NULL)
    return fail (where, error, value_path, "missing");
  if (!JSON_NODE_HOLDS_OBJECT (value))
    return fail (where, error, value_path, "expected an object, found %s", describe_node (value));

  if (g_str_equal (type, "choices"))
    {
      g_autofree char *choices_path = g_strdup_printf ("%s.choices", value_path);

      return check_string_list (where, json_node_get_object (value), "choices", choices_path,
                                error);
    }

  if (g_str_equal (type, "textarea"))
    {
      g_autofree char *text_path = g_strdup_printf ("%s.text", value_path);

      return check_string_list (where, json_node_get_object (value), "text", text_path, error);
    }

  return TRUE;
}

typedef struct
{
  JsonObject *object;
  JsonArray  *result;
  const char *model_version;
  gboolean    has_score;
  double      score;
} Prediction;

static gboolean
read_prediction (const Where *where,
                 JsonNode    *node,
                 guint        index,
                 Prediction  *prediction,
                 GError     **error)
{
  g_autofree char *path = g_strdup_printf ("predictions[%u]", index);
  g_autofree char *score_path = g_strdup_printf ("%s.score", path);
  g_autofree char *version_path = g_strdup_printf ("%s.model_version", path);
  g_autofree char *result_path = g_strdup_printf ("%s.result", path);
  JsonNode *result;
  guint n;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return fail (where, error, path, "expected a prediction object, found %s",
                 describe_node (node));

  prediction->object = json_node_get_object (node);
  if (!optional_number (where, prediction->object, "score", score_path,
                        &prediction->has_score, &prediction->score, error) ||
      !optional_string (where, prediction->object, "model_version", version_path,
                        &prediction->model_version, error))
    return FALSE;

  result = json_object_get_member (prediction->object, "result");
  if (result == NULL)
    return fail (where, error, result_path, "missing");
  if (!JSON_NODE_HOLDS_ARRAY (result))
    return fail (where, error, result_path, "expected a list of results, found %s",
                 describe_node (result));

  prediction->result = json_node_get_array (result);
  n = json_array_get_length (prediction->result);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *entry_path = g_strdup_printf ("%s[%u]", result_path, i);

      if (!check_result_entry (where, json_array_get_element (prediction->result, i),
                               entry_path, error))
        return FALSE;
    }

  return TRUE;
}

static const char *
output_kind (JsonArray *result)
{
  JsonObject *entry;
  const char *type;

  if (json_array_get_length (result) != 1)
    return OUTPUT_JSON;

  entry = json_array_get_object_element (result, 0);
  type = json_object_get_string_member (entry, "type");
  if (g_str_equal (type, "choices"))
    return OUTPUT_CHOICES;
  if (g_str_equal (type, "textarea"))
    return OUTPUT_TEXTAREA;

  return OUTPUT_JSON;
}

/* Doubles as people write them (0.91, not 0.91000000000000003). */
static char *
pretty_json (JsonNode *node)
{
  return vd_json_node_to_string (node, TRUE);
}

static char *
join_strings (JsonArray *array)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      if (i > 0)
        g_string_append_c (text, '\n');
      g_string_append (text, json_array_get_string_element (array, i));
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* The output as the reviewer reads it. The result has been checked. */
static char *
render_result (JsonArray  *result,
               const char *kind)
{
  g_autoptr(JsonNode) node = NULL;
  JsonObject *value;

  if (g_str_equal (kind, OUTPUT_JSON))
    {
      node = json_node_new (JSON_NODE_ARRAY);
      json_node_set_array (node, result);
      return pretty_json (node);
    }

  value = json_object_get_object_member (json_array_get_object_element (result, 0), "value");
  return join_strings (json_object_get_array_member (value,
                                                     g_str_equal (kind, OUTPUT_CHOICES) ?
                                                     "choices" : "text"));
}

/* Label Studio's dynamic choices (`<Choices value="$options">`,
 * https://labelstud.io/tags/choices): a data field holding a list of
 * options whose members become the `<Choice>` tags' attributes, so
 * `{"value": "..."}`. The first such field gives
 * the choices a modified classification must keep to. */
static JsonArray *
find_choices (JsonObject *data)
{
  g_autoptr(GList) members = json_object_get_members (data);

  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *node = json_object_get_member (data, l->data);
      g_autoptr(JsonArray) choices = NULL;
      JsonArray *array;
      guint n;

      if (!JSON_NODE_HOLDS_ARRAY (node))
        continue;

      array = json_node_get_array (node);
      n = json_array_get_length (array);
      if (n == 0)
        continue;

      choices = json_array_sized_new (n);
      for (guint i = 0; i < n; i++)
        {
          JsonNode *element = json_array_get_element (array, i);
          JsonNode *value;

          if (!JSON_NODE_HOLDS_OBJECT (element))
            break;
          value = json_object_get_member (json_node_get_object (element), "value");
          if (!node_is_string (value))
            break;
          json_array_add_string_element (choices, json_node_get_string (value));
        }

      if (json_array_get_length (choices) == n)
        return g_steal_pointer (&choices);
    }

  return NULL;
}

/* The input: the data field the result's to_name names when there is one,
 * else the first string field. */
static const char *
find_input_field (JsonObject *data,
                  const char *to_name)
{
  g_autoptr(GList) members = NULL;

  if (to_name != NULL && node_is_string (json_object_get_member (data, to_name)))
    return to_name;

  members = json_object_get_members (data);
  for (GList *l = members; l != NULL; l = l->next)
    if (node_is_string (json_object_get_member (data, l->data)))
      return l->data;

  return NULL;
}

/* The input as the reviewer reads it: the input field's text alone, or,
 * when the task has other text fields (a prompt beside the document, a
 * question beside its reference), every text field under its name, the
 * input field first. NULL when a field or all of them together are longer
 * than MAX_TEXT_BYTES (@too_long names the field, or is NULL for all). */
static char *
build_context (JsonObject  *data,
               const char  *input_field,
               const char **too_long)
{
  g_autoptr(GList) members = json_object_get_members (data);
  g_autoptr(GString) context = g_string_new (NULL);
  const char *input = json_object_get_string_member (data, input_field);
  guint n_texts = 0;

  *too_long = NULL;
  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *node = json_object_get_member (data, l->data);

      if (!node_is_string (node))
        continue;
      n_texts++;
      if (strlen (json_node_get_string (node)) > MAX_TEXT_BYTES)
        {
          *too_long = l->data;
          return NULL;
        }
    }

  if (n_texts == 1)
    return g_strdup (input);

  g_string_append_printf (context, "%s:\n%s", input_field, input);
  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *node = json_object_get_member (data, l->data);

      if (!node_is_string (node) || g_str_equal (l->data, input_field))
        continue;
      g_string_append_printf (context, "\n\n%s:\n%s", (const char *) l->data,
                              json_node_get_string (node));
      if (context->len > MAX_TEXT_BYTES)
        return NULL;
    }

  return g_string_free (g_steal_pointer (&context), FALSE);
}

static void
copy_member (JsonObject *to,
             const char *to_name,
             JsonObject *from,
             const char *from_name)
{
  JsonNode *node = json_object_get_member (from, from_name);

  if (node != NULL)
    json_object_set_member (to, to_name, json_node_copy (node));
}

static JsonNode *
array_node (JsonArray *array)
{
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);

  json_node_take_array (node, array);
  return node;
}

/* The other predictions, as the reviewer reads them beside the output. */
static JsonArray *
describe_other_predictions (Prediction *predictions,
                            guint       n,
                            guint       chosen)
{
  JsonArray *others = json_array_new ();

  for (guint i = 0; i < n; i++)
    {
      JsonObject *other;

      if (i == chosen)
        continue;

      other = json_object_new ();
      json_object_set_int_member (other, "prediction", i);
      if (predictions[i].model_version != NULL)
        json_object_set_string_member (other, "model_version", predictions[i].model_version);
      if (predictions[i].has_score)
        json_object_set_double_member (other, "score", predictions[i].score);
      if (json_array_get_length (predictions[i].result) == 0)
        json_object_set_string_member (other, "output", "");
      else if (g_str_equal (output_kind (predictions[i].result), OUTPUT_JSON))
        json_object_set_array_member (other, "output", json_array_ref (predictions[i].result));
      else
        {
          g_autofree char *text = render_result (predictions[i].result,
                                                 output_kind (predictions[i].result));

          json_object_set_string_member (other, "output", text);
        }
      json_array_add_object_element (others, other);
    }

  return others;
}

static gboolean
in_unit_range (double  value)
{
  return value >= 0.0 && value <= 1.0;
}

/* The prediction's score when it is in 0..1, else the lowest result score
 * when every result entry has one in 0..1, else none. */
static gboolean
find_confidence (Prediction *prediction,
                 double     *confidence)
{
  double lowest = 1.0;
  guint n = json_array_get_length (prediction->result);

  if (prediction->has_score && in_unit_range (prediction->score))
    {
      *confidence = prediction->score;
      return TRUE;
    }

  for (guint i = 0; i < n; i++)
    {
      JsonObject *entry = json_array_get_object_element (prediction->result, i);
      double score;

      if (!node_get_number (json_object_get_member (entry, "score"), &score) ||
          !in_unit_range (score))
        return FALSE;
      lowest = MIN (lowest, score);
    }

  *confidence = lowest;
  return n > 0;
}

static VdItem *
read_task (JsonNode                  *node,
           guint                      index,
           const VdFormatReadOptions *options,
           GHashTable                *seen,
           GError                   **error)
{
  Where where = { options->filename, index, NULL };
  g_autofree Prediction *predictions = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(VdItem) item = NULL;
  g_autoptr(GDateTime) created = NULL;
  g_autoptr(JsonArray) choices = NULL;
  g_autofree char *task_id = NULL;
  g_autofree char *content = NULL;
  g_autofree char *context = NULL;
  g_autofree char *free_label = NULL;
  g_autoptr(GString) reasoning = NULL;
  JsonObject *task, *data, *source, *ids, *metadata;
  JsonNode *id, *member;
  JsonArray *prediction_list;
  const char *created_at, *kind, *input_field, *from_name, *to_name, *type;
  const char *too_long = NULL;
  Prediction *chosen;
  guint n_predictions, chosen_index = 0;
  double confidence;
  gboolean has_confidence;
  gboolean has_meta = FALSE;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return fail (&where, error, NULL, "expected a task object, found %s",
                 describe_node (node)), NULL;

  task = json_node_get_object (node);

  id = json_object_get_member (task, "id");
  if (id != NULL && JSON_NODE_HOLDS_NULL (id))
    id = NULL;
  if (id != NULL)
    {
      if (JSON_NODE_HOLDS_VALUE (id) && json_node_get_value_type (id) == G_TYPE_INT64)
        free_label = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (id));
      else if (node_is_string (id) && *json_node_get_string (id) != '\0' &&
               strlen (json_node_get_string (id)) <= MAX_NAME_BYTES &&
               g_utf8_validate (json_node_get_string (id), -1, NULL))
        free_label = g_strdup (json_node_get_string (id));
      else if (node_is_string (id))
        return fail (&where, error, "id", "expected a non-empty text of at most %d bytes",
                     MAX_NAME_BYTES), NULL;
      else
        return fail (&where, error, "id", "expected an integer or a string, found %s",
                     describe_node (id)), NULL;
      where.id_label = free_label;
      task_id = g_strconcat ("ls:", free_label, NULL);
    }
  else
    {
      g_autofree char *canonical = json_to_string (node, FALSE);
      g_autofree char *sum = g_compute_checksum_for_string (G_CHECKSUM_SHA256, canonical, -1);

      sum[16] = '\0';
      task_id = g_strconcat ("ls:sha256-", sum, NULL);
    }

  /* Escapes that decode to no character, numbers beyond double. */
  if (!vd_json_guard_check_node (node, NULL, &local_error))
    return fail (&where, error, NULL, "%s", local_error->message), NULL;

  if (g_hash_table_contains (seen, task_id))
    return fail (&where, error, id != NULL ? "id" : NULL, "the same task as record %u",
                 GPOINTER_TO_UINT (g_hash_table_lookup (seen, task_id))), NULL;

  member = json_object_get_member (task, "data");
  if (member == NULL)
    return fail (&where, error, "data", "missing"), NULL;
  if (!JSON_NODE_HOLDS_OBJECT (member))
    return fail (&where, error, "data", "expected an object, found %s",
                 describe_node (member)), NULL;
  data = json_node_get_object (member);

  /* Label Studio takes an object or a list here. */
  member = json_object_get_member (task, "meta");
  if (member != NULL && !JSON_NODE_HOLDS_NULL (member))
    {
      if (!JSON_NODE_HOLDS_OBJECT (member) && !JSON_NODE_HOLDS_ARRAY (member))
        return fail (&where, error, "meta", "expected an object or a list, found %s",
                     describe_node (member)), NULL;
      has_meta = TRUE;
    }

  member = json_object_get_member (task, "annotations");
  if (member != NULL && !JSON_NODE_HOLDS_NULL (member) && !JSON_NODE_HOLDS_ARRAY (member))
    return fail (&where, error, "annotations", "expected a list, found %s",
                 describe_node (member)), NULL;

  if (!optional_string (&where, task, "created_at", "created_at", &created_at, error))
    return NULL;
  if (created_at != NULL && (created = vd_timestamp_parse (created_at)) == NULL)
    return fail (&where, error, "created_at", "expected an RFC 3339 time such as "
                 "2026-03-09T21:52:49Z"), NULL;

  member = json_object_get_member (task, "predictions");
  if (member == NULL)
    return fail (&where, error, "predictions", "missing: a task needs a prediction to review"),
           NULL;
  if (!JSON_NODE_HOLDS_ARRAY (member))
    return fail (&where, error, "predictions", "expected a list, found %s",
                 describe_node (member)), NULL;
  prediction_list = json_node_get_array (member);
  n_predictions = json_array_get_length (prediction_list);
  if (n_predictions == 0)
    return fail (&where, error, "predictions", "empty: a task needs a prediction to review"),
           NULL;

  predictions = g_new0 (Prediction, n_predictions);
  for (guint i = 0; i < n_predictions; i++)
    {
      if (!read_prediction (&where, json_array_get_element (prediction_list, i), i,
                            &predictions[i], error))
        return NULL;
      if (predictions[i].has_score &&
          (!predictions[chosen_index].has_score ||
           predictions[i].score > predictions[chosen_index].score))
        chosen_index = i;
    }

  chosen = &predictions[chosen_index];
  if (json_array_get_length (chosen->result) == 0)
    {
      g_autofree char *path = g_strdup_printf ("predictions[%u].result", chosen_index);

      return fail (&where, error, path, "empty: the prediction has nothing to review"), NULL;
    }

  kind = output_kind (chosen->result);
  content = render_result (chosen->result, kind);
  if (strlen (content) > MAX_TEXT_BYTES)
    {
      g_autofree char *path = g_strdup_printf ("predictions[%u].result", chosen_index);

      return fail (&where, error, path, "longer than %d bytes", MAX_TEXT_BYTES), NULL;
    }

  {
    JsonObject *first = json_array_get_object_element (chosen->result, 0);

    from_name = json_object_get_string_member (first, "from_name");
    to_name = json_object_get_string_member (first, "to_name");
    type = json_object_get_string_member (first, "type");
  }

  input_field = find_input_field (data, to_name);
  if (input_field != NULL)
    {
      context = build_context (data, input_field, &too_long);
      if (context == NULL)
        {
          g_autofree char *path = g_strdup_printf ("data.%s", too_long);

          return fail (&where, error, too_long != NULL ? path : "data",
                       too_long != NULL ? "longer than %d bytes" :
                       "the text fields are longer than %d bytes together",
                       MAX_TEXT_BYTES), NULL;
        }
    }

  if (g_str_equal (kind, OUTPUT_CHOICES))
    choices = find_choices (data);

  item = vd_item_new (options->queue, task_id);

  if (g_str_equal (kind, OUTPUT_JSON))
    {
      vd_item_set_task_description (item, _("Check the prediction's Label Studio results"));
      vd_item_set_task_type (item, "annotation");
      vd_item_set_output_content_type (item, "application/json");
    }
  else if (g_str_equal (kind, OUTPUT_CHOICES))
    {
      g_autofree char *text = g_strdup_printf (_("Check the predicted choice for “%s”"),
                                               from_name);

      vd_item_set_task_description (item, text);
      vd_item_set_task_type (item, "classification");
    }
  else
    {
      g_autofree char *text = g_strdup_printf (_("Check the predicted text for “%s”"),
                                               from_name);

      vd_item_set_task_description (item, text);
      vd_item_set_task_type (item, "generation");
    }

  if (context != NULL)
    vd_item_set_context (item, context);
  else
    {
      g_autoptr(JsonNode) data_node = json_node_new (JSON_NODE_OBJECT);
      g_autofree char *text = NULL;

      json_node_set_object (data_node, data);
      text = pretty_json (data_node);
      vd_item_set_context (item, text);
      vd_item_set_context_content_type (item, "application/json");
    }

  vd_item_set_content (item, content);

  reasoning = g_string_new (NULL);
  if (chosen->model_version != NULL && chosen->has_score)
    g_string_append_printf (reasoning, _("Prediction by model version “%s”, score %g."),
                            chosen->model_version, chosen->score);
  else if (chosen->model_version != NULL)
    g_string_append_printf (reasoning, _("Prediction by model version “%s”, no score."),
                            chosen->model_version);
  else if (chosen->has_score)
    g_string_append_printf (reasoning, _("Prediction with no model version, score %g."),
                            chosen->score);
  else
    g_string_append (reasoning, _("Prediction with no model version and no score."));
  if (n_predictions > 1)
    {
      g_string_append_c (reasoning, ' ');
      g_string_append_printf (reasoning,
                              ngettext ("The task has %u other prediction: see "
                                        "other_predictions in the metadata.",
                                        "The task has %u other predictions: see "
                                        "other_predictions in the metadata.",
                                        n_predictions - 1),
                              n_predictions - 1);
    }
  vd_item_set_reasoning (item, reasoning->str);

  has_confidence = find_confidence (chosen, &confidence);
  if (has_confidence)
    {
      vd_item_set_confidence (item, confidence);
      vd_item_set_escalation_reason (item, VD_ESCALATION_REASON_NONE);
    }
  else
    {
      vd_item_clear_confidence (item);
      vd_item_set_escalation_reason (item, VD_ESCALATION_REASON_POLICY_REQUIRED);
      vd_item_set_escalation_detail (item, _("Label Studio task: the prediction gives no "
                                             "score between 0 and 1"));
    }

  if (created != NULL)
    vd_item_set_timestamp (item, created);

  metadata = json_object_new ();
  if (chosen->model_version != NULL)
    json_object_set_string_member (metadata, "model_version", chosen->model_version);
  if (chosen->has_score)
    json_object_set_double_member (metadata, "score", chosen->score);
  json_object_set_int_member (metadata, "prediction", chosen_index);
  if (!g_str_equal (kind, OUTPUT_JSON))
    {
      json_object_set_string_member (metadata, "from_name", from_name);
      json_object_set_string_member (metadata, "to_name", to_name);
      json_object_set_string_member (metadata, "type", type);
    }
  if (input_field != NULL)
    json_object_set_string_member (metadata, "input_field", input_field);
  if (choices != NULL)
    json_object_set_array_member (metadata, "choices", json_array_ref (choices));
  if (n_predictions > 1)
    json_object_set_array_member (metadata, "other_predictions",
                                  describe_other_predictions (predictions, n_predictions,
                                                              chosen_index));
  if (has_meta)
    copy_member (metadata, "meta", task, "meta");
  vd_item_set_metadata (item, metadata);
  json_object_unref (metadata);

  source = json_object_new ();
  ids = json_object_new ();
  if (id != NULL)
    json_object_set_member (ids, "task_id", json_node_copy (id));
  else
    json_object_set_string_member (ids, "task_hash", task_id + strlen ("ls:sha256-"));
  json_object_set_string_member (source, "format", FORMAT_NAME);
  json_object_set_object_member (source, "ids", ids);
  copy_member (source, "data", task, "data");
  if (has_meta)
    copy_member (source, "meta", task, "meta");
  json_object_set_member (source, "result",
                          json_node_copy (json_object_get_member (chosen->object, "result")));
  if (chosen->model_version != NULL)
    json_object_set_string_member (source, "model_version", chosen->model_version);
  json_object_set_string_member (source, "output", kind);
  if (choices != NULL)
    json_object_set_array_member (source, "choices", json_array_ref (choices));
  vd_item_set_source (item, source);
  json_object_unref (source);

  if (!vd_item_validate (item, &local_error))
    return fail (&where, error, NULL, "%s", local_error->message), NULL;

  g_hash_table_insert (seen, g_strdup (task_id), GUINT_TO_POINTER (index));
  return g_steal_pointer (&item);
}

/* Parses the whole file with the guard's checks except the walk of the
 * tree, which runs per task so that its message names the task. */
static JsonNode *
parse_file (GBytes     *bytes,
            const char *filename,
            GError    **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize length;
  const char *data = g_bytes_get_data (bytes, &length);
  const char *invalid = NULL;
  guint line = 0, column = 0;
  JsonNode *root;

  if (data == NULL || length == 0)
    {
      g_set_error (error, VD_FORMAT_ERROR, VD_FORMAT_ERROR_INVALID,
                   "%s: no tasks: the file is empty", filename);
      return NULL;
    }

  if (length > MAX_FILE_BYTES)
    {
      g_set_error (error, VD_FORMAT_ERROR, VD_FORMAT_ERROR_INVALID,
                   "%s: larger than %d MiB", filename, MAX_FILE_BYTES / (1024 * 1024));
      return NULL;
    }

  if (!vd_json_guard_scan (data, length, VD_JSON_MAX_DEPTH, &line, &column, &local_error))
    {
      g_set_error (error, VD_FORMAT_ERROR, VD_FORMAT_ERROR_INVALID,
                   "%s: line %u, column %u: %s", filename, line, column, local_error->message);
      return NULL;
    }

  if (!g_utf8_validate (data, (gssize) length, &invalid))
    {
      g_set_error (error, VD_FORMAT_ERROR, VD_FORMAT_ERROR_INVALID,
                   "%s: not valid UTF-8 (byte offset %" G_GSIZE_FORMAT ")", filename,
                   (gsize) (invalid - data));
      return NULL;
    }

  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, data, (gssize) length, &local_error))
    {
      guint64 at_line, at_column;
      const char *what = vd_json_guard_split_parser_message (local_error->message,
                                                             &at_line, &at_column);
      g_autofree char *valid = g_utf8_make_valid (what, -1);

      g_set_error (error, VD_FORMAT_ERROR, VD_FORMAT_ERROR_INVALID,
                   "%s: line %" G_GUINT64_FORMAT ", column %" G_GUINT64_FORMAT ": %s",
                   filename, at_line, at_column, valid);
      return NULL;
    }

  root = json_parser_steal_root (parser);
  if (root == NULL)
    {
      g_set_error (error, VD_FORMAT_ERROR, VD_FORMAT_ERROR_INVALID,
                   "%s: no tasks: the file is empty", filename);
      return NULL;
    }

  return root;
}

static GPtrArray *
label_studio_read (GBytes                    *bytes,
                   const VdFormatReadOptions *options,
                   GPtrArray                 *problems,
                   GError                   **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonArray) tasks = NULL;
  VdFormatReadOptions named;
  const char *filename;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (options != NULL && options->queue != NULL, NULL);

  filename = options->filename != NULL ? options->filename : "tasks.json";
  root = parse_file (bytes, filename, error);
  if (root == NULL)
    return NULL;

  named = *options;
  named.filename = filename;

  /* One task, or a list of them. */
  if (JSON_NODE_HOLDS_OBJECT (root))
    {
      tasks = json_array_new ();
      json_array_add_element (tasks, json_node_ref (root));
    }
  else if (JSON_NODE_HOLDS_ARRAY (root))
    tasks = json_array_ref (json_node_get_array (root));
  else
    {
      g_set_error (error, VD_FORMAT_ERROR, VD_FORMAT_ERROR_INVALID,
                   "%s: expected a task object or a list of tasks, found %s", filename,
                   describe_node (root));
      return NULL;
    }

  for (guint i = 0; i < json_array_get_length (tasks); i++)
    {
      g_autoptr(GError) local_error = NULL;
      VdItem *item = read_task (json_array_get_element (tasks, i), i + 1, &named, seen,
                                &local_error);

      if (item != NULL)
        g_ptr_array_add (items, item);
      else if (options->skip_invalid)
        {
          if (problems != NULL)
            g_ptr_array_add (problems, g_strdup (local_error->message));
        }
      else
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
    }

  return g_steal_pointer (&items);
}

static gboolean
label_studio_sniff (JsonObject *first_record)
{
  JsonNode *data = json_object_get_member (first_record, "data");
  JsonNode *predictions = json_object_get_member (first_record, "predictions");
  JsonNode *annotations = json_object_get_member (first_record, "annotations");

  return data != NULL && JSON_NODE_HOLDS_OBJECT (data) &&
         ((predictions != NULL && JSON_NODE_HOLDS_ARRAY (predictions)) ||
          (annotations != NULL && JSON_NODE_HOLDS_ARRAY (annotations)));
}

static gboolean edit_fail (GError    **error,
                           const char *format,
                           ...) G_GNUC_PRINTF (2, 3);

static gboolean
edit_fail (GError    **error,
           const char *format,
           ...)
{
  g_autofree char *what = NULL;
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error (error, VD_FORMAT_ERROR, VD_FORMAT_ERROR_INVALID,
               "the modified output %s", what);
  return FALSE;
}

static JsonArray *
edit_choices (JsonObject *source,
              JsonObject *entry,
              const char *content,
              GError    **error)
{
  g_auto(GStrv) lines = g_strsplit (content, "\n", -1);
  g_autoptr(JsonArray) picked = json_array_new ();
  g_autoptr(JsonArray) result = json_array_new ();
  JsonNode *choices = json_object_get_member (source, "choices");
  JsonObject *edited, *value;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = g_strstrip (lines[i]);
      gboolean known = choices == NULL;

      if (*line == '\0')
        continue;

      if (choices != NULL && JSON_NODE_HOLDS_ARRAY (choices))
        {
          JsonArray *array = json_node_get_array (choices);

          for (guint j = 0; j < json_array_get_length (array) && !known; j++)
            {
              JsonNode *choice = json_array_get_element (array, j);

              known = node_is_string (choice) && g_str_equal (json_node_get_string (choice), line);
            }

          if (!known)
            {
              g_autoptr(GString) list = g_string_new (NULL);

              for (guint j = 0; j < json_array_get_length (array); j++)
                {
                  JsonNode *choice = json_array_get_element (array, j);

                  if (!node_is_string (choice))
                    continue;
                  if (list->len > 0)
                    g_string_append (list, ", ");
                  g_string_append (list, json_node_get_string (choice));
                }

              return edit_fail (error, "names “%s”, which is not one of the task's choices (%s)",
                                line, list->str), NULL;
            }
        }

      json_array_add_string_element (picked, line);
    }

  if (json_array_get_length (picked) == 0)
    return edit_fail (error, "names no choice: write one choice a line"), NULL;

  edited = json_object_new ();
  {
    g_autoptr(GList) members = json_object_get_members (entry);

    for (GList *l = members; l != NULL; l = l->next)
      if (!g_str_equal (l->data, "value") && !g_str_equal (l->data, "score"))
        copy_member (edited, l->data, entry, l->data);
  }
  value = json_object_new ();
  json_object_set_array_member (value, "choices", g_steal_pointer (&picked));
  json_object_set_object_member (edited, "value", value);
  json_array_add_object_element (result, edited);

  return g_steal_pointer (&result);
}

static JsonArray *
edit_text (JsonObject *entry,
           const char *content,
           GError    **error)
{
  g_autofree char *stripped = g_strstrip (g_strdup (content));
  g_autoptr(JsonArray) result = json_array_new ();
  JsonObject *edited, *value;
  JsonArray *text;

  if (*stripped == '\0')
    return edit_fail (error, "is empty"), NULL;

  edited = json_object_new ();
  {
    g_autoptr(GList) members = json_object_get_members (entry);

    for (GList *l = members; l != NULL; l = l->next)
      if (!g_str_equal (l->data, "value") && !g_str_equal (l->data, "score"))
        copy_member (edited, l->data, entry, l->data);
  }
  text = json_array_new ();
  json_array_add_string_element (text, content);
  value = json_object_new ();
  json_object_set_array_member (value, "text", text);
  json_object_set_object_member (edited, "value", value);
  json_array_add_object_element (result, edited);

  return g_steal_pointer (&result);
}

static JsonArray *
edit_json (const char *content,
           GError    **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonArray *array;
  guint n;

  node = vd_json_guard_parse (content, strlen (content), MAX_TEXT_BYTES, &local_error);
  if (node == NULL)
    return edit_fail (error, "is not JSON: %s", local_error->message), NULL;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return edit_fail (error, "must be a list of Label Studio results, found %s",
                      describe_node (node)), NULL;

  array = json_node_get_array (node);
  n = json_array_get_length (array);
  if (n == 0)
    return edit_fail (error, "is an empty list of results"), NULL;

  for (guint i = 0; i < n; i++)
    {
      Where where = { "", 0, NULL };
      g_autofree char *path = g_strdup_printf ("[%u]", i);

      if (!check_result_entry (&where, json_array_get_element (array, i), path, &local_error))
        {
          /* Keep only "FIELD: what" of the reader's message. */
          const char *what = strstr (local_error->message, ": [");

          return edit_fail (error, "is not a valid Label Studio result: %s",
                            what != NULL ? what + 2 : local_error->message), NULL;
        }
    }

  return json_array_ref (array);
}

/* The result a modify decision answers with, built from the source's
 * chosen result and the reviewer's edited text. */
static JsonArray *
edited_result (JsonObject *source,
               const char *content,
               GError    **error)
{
  JsonNode *result = json_object_get_member (source, "result");
  JsonNode *output = json_object_get_member (source, "output");
  const char *kind;
  JsonArray *array;

  if (content == NULL)
    return edit_fail (error, "is missing"), NULL;

  if (result == NULL || !JSON_NODE_HOLDS_ARRAY (result) || !node_is_string (output))
    {
      g_set_error_literal (error, VD_FORMAT_ERROR, VD_FORMAT_ERROR_INVALID,
                           "the item's Label Studio source has no result to answer");
      return NULL;
    }

  kind = json_node_get_string (output);
  array = json_node_get_array (result);

  if (g_str_equal (kind, OUTPUT_JSON) || json_array_get_length (array) != 1 ||
      !JSON_NODE_HOLDS_OBJECT (json_array_get_element (array, 0)))
    return edit_json (content, error);
  if (g_str_equal (kind, OUTPUT_CHOICES))
    return edit_choices (source, json_array_get_object_element (array, 0), content, error);

  return edit_text (json_array_get_object_element (array, 0), content, error);
}

static gboolean
label_studio_check_decision (VdItem     *item,
                             VdDecision *decision,
                             GError    **error)
{
  g_autoptr(JsonArray) result = NULL;
  JsonObject *source;

  g_return_val_if_fail (VD_IS_ITEM (item), FALSE);
  g_return_val_if_fail (VD_IS_DECISION (decision), FALSE);

  source = vd_item_get_source (item);
  if (source == NULL || !g_str_equal (vd_item_get_source_format (item), FORMAT_NAME))
    return TRUE;
  if (vd_decision_get_kind (decision) != VD_DECISION_KIND_MODIFY)
    return TRUE;

  result = edited_result (source, vd_decision_get_modified_content (decision), error);
  return result != NULL;
}

static JsonObject *
answer_task (VdItem     *item,
             VdDecision *decision,
             GError    **error)
{
  g_autoptr(JsonObject) task = json_object_new ();
  g_autoptr(JsonArray) result = NULL;
  g_autofree char *decided_at = NULL;
  JsonObject *source = vd_item_get_source (item);
  JsonObject *annotation, *meta, *verdict;
  JsonNode *ids, *member;
  VdDecisionKind kind = vd_decision_get_kind (decision);
  const char *feedback = vd_decision_get_feedback (decision);

  switch (kind)
    {
    case VD_DECISION_KIND_APPROVE:
      member = json_object_get_member (source, "result");
      if (member == NULL || !JSON_NODE_HOLDS_ARRAY (member))
        {
          g_set_error (error, VD_FORMAT_ERROR, VD_FORMAT_ERROR_INVALID,
                       "%s: the item's Label Studio source has no result to answer",
                       vd_item_get_task_id (item));
          return NULL;
        }
      result = json_array_ref (json_node_get_array (member));
      break;

    case VD_DECISION_KIND_MODIFY:
    {
      g_autoptr(GError) local_error = NULL;

      result = edited_result (source, vd_decision_get_modified_content (decision),
                              &local_error);
      if (result == NULL)
        {
          g_set_error (error, VD_FORMAT_ERROR, VD_FORMAT_ERROR_INVALID, "%s: %s",
                       vd_item_get_task_id (item), local_error->message);
          return NULL;
        }
    }
    break;

    case VD_DECISION_KIND_REJECT:
    case VD_DECISION_KIND_ESCALATE_FURTHER:
    default:
      result = json_array_new ();
      break;
    }

  ids = json_object_get_member (source, "ids");
  if (ids != NULL && JSON_NODE_HOLDS_OBJECT (ids))
    copy_member (task, "id", json_node_get_object (ids), "task_id");
  copy_member (task, "data", source, "data");

  annotation = json_object_new ();
  json_object_set_array_member (annotation, "result", g_steal_pointer (&result));
  json_object_set_boolean_member (annotation, "was_cancelled", kind == VD_DECISION_KIND_REJECT);
  json_object_set_boolean_member (annotation, "ground_truth", FALSE);
  json_object_set_double_member (annotation, "lead_time",
                                 MAX (vd_decision_get_duration_ms (decision), 0) / 1000.0);
  json_object_set_array_member (task, "annotations", json_array_new ());
  json_array_add_object_element (json_object_get_array_member (task, "annotations"),
                                 annotation);

  /* The task's own meta, and what Verdict adds to it; a list (which
   * cannot take a member) moves to task_meta. */
  meta = json_object_new ();
  member = json_object_get_member (source, "meta");
  if (member != NULL && JSON_NODE_HOLDS_ARRAY (member))
    json_object_set_member (meta, "task_meta", json_node_copy (member));
  else if (member != NULL && JSON_NODE_HOLDS_OBJECT (member))
    {
      JsonObject *original = json_node_get_object (member);
      g_autoptr(GList) members = json_object_get_members (original);

      for (GList *l = members; l != NULL; l = l->next)
        if (!g_str_equal (l->data, "verdict"))
          copy_member (meta, l->data, original, l->data);
    }

  verdict = json_object_new ();
  json_object_set_string_member (verdict, "decision", vd_decision_kind_to_string (kind));
  if (vd_decision_get_reviewer_id (decision) != NULL)
    json_object_set_string_member (verdict, "reviewer", vd_decision_get_reviewer_id (decision));
  if (vd_decision_get_automatic (decision))
    json_object_set_boolean_member (verdict, "automatic", TRUE);
  decided_at = vd_timestamp_format (vd_decision_get_timestamp (decision));
  json_object_set_string_member (verdict, "decided_at", decided_at);
  if (feedback != NULL && *feedback != '\0')
    json_object_set_string_member (verdict, "feedback", feedback);
  json_object_set_string_member (verdict, "item", vd_item_get_task_id (item));
  json_object_set_object_member (meta, "verdict", verdict);
  json_object_set_object_member (task, "meta", meta);

  return g_steal_pointer (&task);
}

static gboolean
label_studio_write (GPtrArray       *entries,
                    GOutputStream   *out,
                    VdFormatSummary *summary,
                    GCancellable    *cancellable,
                    GError         **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  JsonArray *tasks;
  gsize length;

  g_return_val_if_fail (entries != NULL, FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (out), FALSE);
  g_return_val_if_fail (summary != NULL, FALSE);

  tasks = json_array_new ();
  root = array_node (tasks);

  for (guint i = 0; i < entries->len; i++)
    {
      VdFormatEntry *entry = g_ptr_array_index (entries, i);
      JsonObject *task;

      if (vd_item_get_source (entry->item) == NULL ||
          !g_str_equal (vd_item_get_source_format (entry->item), FORMAT_NAME))
        {
          summary->other++;
          continue;
        }

      if (entry->decision == NULL ||
          vd_decision_get_kind (entry->decision) == VD_DECISION_KIND_ESCALATE_FURTHER)
        {
          summary->held_back++;
          continue;
        }

      task = answer_task (entry->item, entry->decision, error);
      if (task == NULL)
        return FALSE;
      json_array_add_object_element (tasks, task);
      summary->written++;
    }

  text = pretty_json (root);
  length = strlen (text);
  text = g_realloc (text, length + 2);
  text[length++] = '\n';
  text[length] = '\0';

  return g_output_stream_write_all (out, text, length, NULL, cancellable, error);
}

static const VdFormatClass label_studio_class = {
  .name = FORMAT_NAME,
  .label = N_("Label Studio tasks"),
  .sniff = label_studio_sniff,
  .read = label_studio_read,
  .check_decision = label_studio_check_decision,
  .write = label_studio_write,
};

/**
 * vd_format_label_studio_get_class:
 *
 * Label Studio task JSON: tasks with predictions read as items, decisions
 * written as the tasks with one annotation each.
 *
 * Returns: (transfer none): the format
 */
const VdFormatClass *
vd_format_label_studio_get_class (void)
{
  return &label_studio_class;
}
