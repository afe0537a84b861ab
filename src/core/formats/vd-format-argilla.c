/* vd-format-argilla.c
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

#define G_LOG_DOMAIN "vd-format-argilla"

#include "config.h"

#include <stdarg.h>
#include <string.h>

#include <glib/gi18n.h>

#include "vd-format-argilla.h"
#include "vd-json-guard.h"
#include "vd-json-write.h"

/*
 * Argilla v2 records, as the Python SDK exports them
 * (https://docs.argilla.io/latest/how_to_guides/import_export/ and
 * https://docs.argilla.io/latest/how_to_guides/record/; the shapes are those
 * of argilla/src/argilla/records/_io/_generic.py and _resource.py):
 *
 *  - nested (Dataset.records.to_list(), to_json()): `id`, `fields` {name:
 *    value}, `metadata`, `suggestions` {question: {value, score, agent}},
 *    `responses` {question: [{value, user_id, status}]}, `vectors`, `status`,
 *    `_server_id`;
 *  - flat (to_list(flatten=True), to_datasets()): fields, metadata and
 *    vectors as top-level members, `Q.suggestion`, `Q.suggestion.score`,
 *    `Q.suggestion.agent`, `Q.responses`, `Q.responses.users`,
 *    `Q.responses.status` (lists), and `Q.response` as records.log()
 *    reads it.
 *
 * A file is a JSON list of records, JSON Lines, one record, or an object
 * {`settings`, `records`} where `settings` is the dataset's settings
 * (Settings.to_json()), from which the questions' labels are known.
 *
 * One item per record: the input field is the context, the output
 * question's suggestion is the content. The answer is the record with a
 * response for that question by the reviewer, in the form it was read.
 */

#define MAX_FILE_BYTES ((gsize) 256 * 1024 * 1024)
#define MAX_LINE_BYTES ((gsize) 64 * 1024 * 1024)
#define MAX_TEXT_BYTES ((gsize) 16 * 1024 * 1024)
#define HASH_CHARS     16

typedef struct
{
  const char *filename;
  guint       index;     /* record or line number, from 1 */
  gboolean    lines;     /* JSON Lines: say "line" */
  char       *id;        /* the record's id, for messages */
} Where;

static void set_invalid (GError      **error,
                         const Where  *where,
                         const char   *field,
                         const char   *format,
                         ...) G_GNUC_PRINTF (4, 5);

static void
set_invalid (GError      **error,
             const Where  *where,
             const char   *field,
             const char   *format,
             ...)
{
  g_autofree char *what = NULL;
  g_autoptr(GString) message = g_string_new (where->filename);
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);

  if (where->index > 0)
    g_string_append_printf (message, ": %s %u", where->lines ? "line" : "record", where->index);
  if (where->id != NULL)
    g_string_append_printf (message, " (id %s)", where->id);
  if (field != NULL)
    g_string_append_printf (message, ": %s", field);
  g_string_append_printf (message, ": %s", what);

  g_set_error_literal (error, VD_FORMAT_ERROR, VD_FORMAT_ERROR_INVALID, message->str);
}

/* A message of vd_json_guard_parse() without json-glib's "<data>:L:C:"
 * prefix: the position goes after what is wrong. */
static char *
guard_message (const GError *guard_error,
               gboolean      one_line)
{
  guint64 line = 0, column = 0;
  const char *what;

  if (!g_error_matches (guard_error, VD_JSON_GUARD_ERROR, VD_JSON_GUARD_ERROR_SYNTAX))
    return g_strdup (guard_error->message);

  what = vd_json_guard_split_parser_message (guard_error->message, &line, &column);
  if (g_str_has_prefix (what, "Parse error: "))
    what += strlen ("Parse error: ");
  if (line == 0)
    return g_strdup_printf ("not JSON: %s", what);
  if (one_line)
    return g_strdup_printf ("not JSON: %s (column %" G_GUINT64_FORMAT ")", what, column);
  return g_strdup_printf ("not JSON: %s (line %" G_GUINT64_FORMAT ", column %" G_GUINT64_FORMAT
                          ")", what, line, column);
}

static gboolean
node_is_string (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_STRING;
}

static gboolean
node_is_integer (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_INT64;
}

static gboolean
node_is_number (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         (json_node_get_value_type (node) == G_TYPE_INT64 ||
          json_node_get_value_type (node) == G_TYPE_DOUBLE);
}

static gboolean
node_is_absent (JsonNode *node)
{
  return node == NULL || JSON_NODE_HOLDS_NULL (node);
}

static const char *
node_type_name (JsonNode *node)
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
}

static JsonNode *node_copy_deep (JsonNode *node);

static JsonObject *
object_copy_deep (JsonObject *object)
{
  JsonObject *copy = json_object_new ();
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;

  json_object_iter_init_ordered (&iter, object);
  while (json_object_iter_next_ordered (&iter, &name, &member))
    json_object_set_member (copy, name, node_copy_deep (member));

  return copy;
}

/* json_node_copy() shares objects and arrays; an answer changes its copy. */
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
        JsonArray *array_copy = json_array_sized_new (json_array_get_length (array));

        for (guint i = 0; i < json_array_get_length (array); i++)
          json_array_add_element (array_copy, node_copy_deep (json_array_get_element (array, i)));
        copy = json_node_new (JSON_NODE_ARRAY);
        json_node_take_array (copy, array_copy);
        return copy;
      }

    case JSON_NODE_NULL:
    case JSON_NODE_VALUE:
    default:
      return json_node_copy (node);
    }
}

/* The text a scalar or structured value is shown as. */
static char *
value_to_text (JsonNode *value,
               gboolean *is_json)
{
  *is_json = FALSE;
  if (node_is_string (value))
    return g_strdup (json_node_get_string (value));
  if (node_is_integer (value))
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (value));

  *is_json = TRUE;
  return vd_json_node_to_string (value, TRUE);
}

/* "string" (a label or a text question), "list" (multi-label), "integer"
 * (rating) or "json" (ranking, span, anything else). */
static const char *
value_type_for (JsonNode   *value,
                const char *question_type)
{
  if (question_type != NULL)
    {
      if (g_str_equal (question_type, "label_selection") || g_str_equal (question_type, "text"))
        return "string";
      if (g_str_equal (question_type, "multi_label_selection"))
        return "list";
      if (g_str_equal (question_type, "rating"))
        return "integer";
      return "json";
    }

  if (node_is_string (value))
    return "string";
  if (node_is_integer (value))
    return "integer";
  if (JSON_NODE_HOLDS_ARRAY (value))
    {
      JsonArray *array = json_node_get_array (value);

      for (guint i = 0; i < json_array_get_length (array); i++)
        if (!node_is_string (json_array_get_element (array, i)))
          return "json";
      return "list";
    }
  return "json";
}

/* Settings.to_json(): {"questions": [{"name", "settings": {"type",
 * "options": [{"value", "text"}]}}]}, or the SDK's own keys ("type",
 * "labels" as a list or {value: text}, "values" for ratings). Returns
 * {question: {"type": t, "labels": [...]}}. */
static JsonObject *
read_settings (JsonNode     *settings,
               const Where  *where,
               GError      **error)
{
  g_autoptr(JsonObject) questions = json_object_new ();
  JsonNode *list;
  JsonArray *array;

  if (!JSON_NODE_HOLDS_OBJECT (settings))
    {
      set_invalid (error, where, "settings", "expected an object, not %s",
                   node_type_name (settings));
      return NULL;
    }

  list = json_object_get_member (json_node_get_object (settings), "questions");
  if (node_is_absent (list))
    return g_steal_pointer (&questions);
  if (!JSON_NODE_HOLDS_ARRAY (list))
    {
      set_invalid (error, where, "settings.questions", "expected a list, not %s",
                   node_type_name (list));
      return NULL;
    }

  array = json_node_get_array (list);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      g_autofree char *field = g_strdup_printf ("settings.questions[%u]", i);
      g_autoptr(JsonObject) info = json_object_new ();
      g_autoptr(JsonArray) labels = json_array_new ();
      JsonObject *question;
      JsonObject *inner = NULL;
      JsonNode *name, *type, *options, *node;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        {
          set_invalid (error, where, field, "expected an object, not %s",
                       node_type_name (element));
          return NULL;
        }
      question = json_node_get_object (element);
      name = json_object_get_member (question, "name");
      if (!node_is_string (name))
        {
          g_autofree char *name_field = g_strconcat (field, ".name", NULL);

          set_invalid (error, where, name_field, "expected a string, not %s",
                       node_type_name (name));
          return NULL;
        }

      node = json_object_get_member (question, "settings");
      if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
        inner = json_node_get_object (node);

      type = json_object_get_member (question, "type");
      if (!node_is_string (type) && inner != NULL)
        type = json_object_get_member (inner, "type");
      if (node_is_string (type))
        json_object_set_string_member (info, "type", json_node_get_string (type));

      options = inner != NULL ? json_object_get_member (inner, "options") : NULL;
      if (node_is_absent (options))
        options = json_object_get_member (question, "labels");
      if (node_is_absent (options))
        options = json_object_get_member (question, "values");

      if (options != NULL && JSON_NODE_HOLDS_ARRAY (options))
        {
          JsonArray *items = json_node_get_array (options);

          for (guint j = 0; j < json_array_get_length (items); j++)
            {
              JsonNode *option = json_array_get_element (items, j);

              if (JSON_NODE_HOLDS_OBJECT (option))
                option = json_object_get_member (json_node_get_object (option), "value");
              if (node_is_string (option) || node_is_integer (option))
                json_array_add_element (labels, json_node_copy (option));
            }
        }
      else if (options != NULL && JSON_NODE_HOLDS_OBJECT (options))
        {
          g_autoptr(GList) names = json_object_get_members (json_node_get_object (options));

          for (GList *l = names; l != NULL; l = l->next)
            json_array_add_string_element (labels, l->data);
        }

      if (json_array_get_length (labels) > 0)
        json_object_set_array_member (info, "labels", g_steal_pointer (&labels));
      json_object_set_object_member (questions, json_node_get_string (name),
                                     g_steal_pointer (&info));
    }

  return g_steal_pointer (&questions);
}

/* The parts of one record the item is made of. */
typedef struct
{
  gboolean    flat;
  JsonObject *record;
  GPtrArray  *text_fields;   /* const char * names, in order */
  GPtrArray  *questions;     /* char * names with a suggestion, in order */
  JsonObject *shown_metadata;
  JsonObject *responses;     /* {question: [{value, user_id, status}]} */
} Parts;

static void
parts_clear (Parts *parts)
{
  g_clear_pointer (&parts->text_fields, g_ptr_array_unref);
  g_clear_pointer (&parts->questions, g_ptr_array_unref);
  g_clear_pointer (&parts->shown_metadata, json_object_unref);
  g_clear_pointer (&parts->responses, json_object_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Parts, parts_clear)

static const char * const flat_suffixes[] = {
  ".suggestion", ".suggestion.score", ".suggestion.agent",
  ".responses", ".responses.users", ".responses.status", ".response",
};

static gboolean
is_reserved_flat (const char *name)
{
  static const char * const reserved[] = {
    "id", "_server_id", "status", "score", "inserted_at", "updated_at",
  };

  for (guint i = 0; i < G_N_ELEMENTS (reserved); i++)
    if (g_str_equal (name, reserved[i]))
      return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (flat_suffixes); i++)
    if (g_str_has_suffix (name, flat_suffixes[i]) && strlen (name) > strlen (flat_suffixes[i]))
      return TRUE;
  return FALSE;
}

/* The member that holds question @question's part @part of a record. */
static JsonNode *
get_part (const Parts *parts,
          const char  *question,
          const char  *part)
{
  if (parts->flat)
    {
      g_autofree char *key = g_strconcat (question, ".suggestion",
                                          g_str_equal (part, "value") ? NULL : ".", part, NULL);

      return json_object_get_member (parts->record, key);
    }
  else
    {
      JsonNode *suggestions = json_object_get_member (parts->record, "suggestions");
      JsonNode *suggestion;

      if (suggestions == NULL || !JSON_NODE_HOLDS_OBJECT (suggestions))
        return NULL;
      suggestion = json_object_get_member (json_node_get_object (suggestions), question);
      if (suggestion == NULL || !JSON_NODE_HOLDS_OBJECT (suggestion))
        return NULL;
      return json_object_get_member (json_node_get_object (suggestion), part);
    }
}

static char *
part_field (const Parts *parts,
            const char  *question,
            const char  *part)
{
  if (parts->flat)
    return g_strconcat (question, ".suggestion",
                        g_str_equal (part, "value") ? NULL : ".", part, NULL);
  return g_strconcat ("suggestions.", question, ".", part, NULL);
}

static gboolean
read_nested (Parts        *parts,
             const Where  *where,
             GError      **error)
{
  JsonObject *record = parts->record;
  JsonNode *node;
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;

  json_object_iter_init_ordered (&iter, json_object_get_object_member (record, "fields"));
  while (json_object_iter_next_ordered (&iter, &name, &member))
    if (node_is_string (member))
      g_ptr_array_add (parts->text_fields, (gpointer) name);

  node = json_object_get_member (record, "metadata");
  if (!node_is_absent (node))
    {
      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          set_invalid (error, where, "metadata", "expected an object, not %s",
                       node_type_name (node));
          return FALSE;
        }
      json_object_iter_init_ordered (&iter, json_node_get_object (node));
      while (json_object_iter_next_ordered (&iter, &name, &member))
        json_object_set_member (parts->shown_metadata, name, node_copy_deep (member));
    }

  node = json_object_get_member (record, "suggestions");
  if (!node_is_absent (node))
    {
      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          set_invalid (error, where, "suggestions", "expected an object, not %s",
                       node_type_name (node));
          return FALSE;
        }
      json_object_iter_init_ordered (&iter, json_node_get_object (node));
      while (json_object_iter_next_ordered (&iter, &name, &member))
        {
          JsonNode *value;

          if (node_is_absent (member))
            continue;
          if (!JSON_NODE_HOLDS_OBJECT (member))
            {
              g_autofree char *field = g_strconcat ("suggestions.", name, NULL);

              set_invalid (error, where, field, "expected an object {value, score, agent}, not %s",
                           node_type_name (member));
              return FALSE;
            }
          value = json_object_get_member (json_node_get_object (member), "value");
          if (!node_is_absent (value))
            g_ptr_array_add (parts->questions, g_strdup (name));
        }
    }

  node = json_object_get_member (record, "responses");
  if (!node_is_absent (node))
    {
      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          set_invalid (error, where, "responses", "expected an object, not %s",
                       node_type_name (node));
          return FALSE;
        }
      json_object_iter_init_ordered (&iter, json_node_get_object (node));
      while (json_object_iter_next_ordered (&iter, &name, &member))
        {
          g_autofree char *field = g_strconcat ("responses.", name, NULL);
          JsonArray *array;

          if (node_is_absent (member))
            continue;
          if (!JSON_NODE_HOLDS_ARRAY (member))
            {
              set_invalid (error, where, field, "expected a list of responses, not %s",
                           node_type_name (member));
              return FALSE;
            }
          array = json_node_get_array (member);
          for (guint i = 0; i < json_array_get_length (array); i++)
            if (!JSON_NODE_HOLDS_OBJECT (json_array_get_element (array, i)))
              {
                g_autofree char *element = g_strdup_printf ("%s[%u]", field, i);

                set_invalid (error, where, element,
                             "expected an object {value, user_id, status}, not %s",
                             node_type_name (json_array_get_element (array, i)));
                return FALSE;
              }
          if (json_array_get_length (array) > 0)
            json_object_set_member (parts->responses, name, node_copy_deep (member));
        }
    }

  return TRUE;
}

static gboolean
read_flat (Parts        *parts,
           const Where  *where,
           GError      **error)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;

  json_object_iter_init_ordered (&iter, parts->record);
  while (json_object_iter_next_ordered (&iter, &name, &member))
    {
      if (node_is_absent (member))
        continue;

      if (g_str_has_suffix (name, ".suggestion") && strlen (name) > strlen (".suggestion"))
        {
          g_ptr_array_add (parts->questions,
                           g_strndup (name, strlen (name) - strlen (".suggestion")));
          continue;
        }

      if (g_str_has_suffix (name, ".responses") && strlen (name) > strlen (".responses"))
        {
          g_autofree char *question = g_strndup (name, strlen (name) - strlen (".responses"));
          g_autofree char *users_key = g_strconcat (name, ".users", NULL);
          g_autofree char *status_key = g_strconcat (name, ".status", NULL);
          JsonNode *users = json_object_get_member (parts->record, users_key);
          JsonNode *statuses = json_object_get_member (parts->record, status_key);
          g_autoptr(JsonArray) shown = json_array_new ();
          JsonArray *values;

          if (!JSON_NODE_HOLDS_ARRAY (member))
            {
              set_invalid (error, where, name, "expected a list of response values, not %s",
                           node_type_name (member));
              return FALSE;
            }
          if (!node_is_absent (users) && !JSON_NODE_HOLDS_ARRAY (users))
            {
              set_invalid (error, where, users_key, "expected a list of user ids, not %s",
                           node_type_name (users));
              return FALSE;
            }
          if (!node_is_absent (statuses) && !JSON_NODE_HOLDS_ARRAY (statuses))
            {
              set_invalid (error, where, status_key, "expected a list of statuses, not %s",
                           node_type_name (statuses));
              return FALSE;
            }

          values = json_node_get_array (member);
          for (guint i = 0; i < json_array_get_length (values); i++)
            {
              JsonObject *response = json_object_new ();
              JsonArray *u = node_is_absent (users) ? NULL : json_node_get_array (users);
              JsonArray *s = node_is_absent (statuses) ? NULL : json_node_get_array (statuses);

              json_object_set_member (response, "value",
                                      node_copy_deep (json_array_get_element (values, i)));
              if (u != NULL && i < json_array_get_length (u))
                json_object_set_member (response, "user_id",
                                        node_copy_deep (json_array_get_element (u, i)));
              if (s != NULL && i < json_array_get_length (s))
                json_object_set_member (response, "status",
                                        node_copy_deep (json_array_get_element (s, i)));
              json_array_add_object_element (shown, response);
            }
          if (json_array_get_length (shown) > 0)
            json_object_set_array_member (parts->responses, question, g_steal_pointer (&shown));
          continue;
        }

      if (is_reserved_flat (name))
        continue;

      if (node_is_string (member))
        g_ptr_array_add (parts->text_fields, (gpointer) name);
      else if (JSON_NODE_HOLDS_VALUE (member))
        json_object_set_member (parts->shown_metadata, name, json_node_copy (member));
    }

  return TRUE;
}

static char *
record_hash (JsonObject *record)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *canonical = NULL;
  g_autofree char *sum = NULL;

  json_node_set_object (node, record);
  canonical = vd_json_node_to_string (node, FALSE);
  sum = g_compute_checksum_for_string (G_CHECKSUM_SHA256, canonical, -1);
  return g_strndup (sum, HASH_CHARS);
}

static VdItem *
read_record (JsonNode                   *node,
             JsonObject                 *settings,
             const VdFormatReadOptions  *options,
             const char                 *container,
             Where                      *where,
             GError                    **error)
{
  g_auto(Parts) parts = { 0 };
  g_autoptr(VdItem) item = NULL;
  g_autoptr(JsonObject) source = NULL;
  g_autoptr(JsonObject) ids = NULL;
  g_autoptr(JsonObject) argilla = NULL;
  g_autoptr(GString) context = NULL;
  g_autofree char *task_id = NULL;
  g_autofree char *content = NULL;
  g_autofree char *description = NULL;
  const char *input_field = NULL;
  const char *question = NULL;
  const char *question_type = NULL;
  JsonObject *question_info = NULL;
  JsonNode *id, *server_id, *fields, *value, *score, *agent, *status, *input;
  gboolean content_is_json;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      set_invalid (error, where, NULL, "expected a record (an object), not %s",
                   node_type_name (node));
      return NULL;
    }
  parts.record = json_node_get_object (node);

  id = json_object_get_member (parts.record, "id");
  if (node_is_string (id))
    where->id = g_strdup (json_node_get_string (id));
  else if (node_is_integer (id))
    where->id = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (id));
  else if (!node_is_absent (id))
    {
      set_invalid (error, where, "id", "expected a string, not %s", node_type_name (id));
      return NULL;
    }
  if (where->id != NULL && (where->id[0] == '\0' || strlen (where->id) > 1024))
    {
      g_clear_pointer (&where->id, g_free);
      set_invalid (error, where, "id", "expected a non-empty id of at most 1024 bytes");
      return NULL;
    }

  server_id = json_object_get_member (parts.record, "_server_id");
  if (!node_is_absent (server_id) && !node_is_string (server_id))
    {
      set_invalid (error, where, "_server_id", "expected a string, not %s",
                   node_type_name (server_id));
      return NULL;
    }

  status = json_object_get_member (parts.record, "status");
  if (!node_is_absent (status) && !node_is_string (status))
    {
      set_invalid (error, where, "status", "expected a string, not %s", node_type_name (status));
      return NULL;
    }

  parts.text_fields = g_ptr_array_new ();
  parts.questions = g_ptr_array_new_with_free_func (g_free);
  parts.shown_metadata = json_object_new ();
  parts.responses = json_object_new ();

  fields = json_object_get_member (parts.record, "fields");
  if (fields != NULL && JSON_NODE_HOLDS_OBJECT (fields))
    {
      if (!read_nested (&parts, where, error))
        return NULL;
    }
  else
    {
      if (fields != NULL && JSON_NODE_HOLDS_VALUE (fields) &&
          (json_object_has_member (parts.record, "suggestions") ||
           json_object_has_member (parts.record, "responses")))
        {
          set_invalid (error, where, "fields", "expected an object, not %s",
                       node_type_name (fields));
          return NULL;
        }
      parts.flat = TRUE;
      if (!read_flat (&parts, where, error))
        return NULL;
    }

  /* The input. */
  if (options->input_field != NULL)
    {
      JsonObject *holder = parts.flat ? parts.record : json_node_get_object (fields);

      input = json_object_get_member (holder, options->input_field);
      if (node_is_absent (input) || (parts.flat && is_reserved_flat (options->input_field)))
        {
          g_autofree char *field = parts.flat ? g_strdup (options->input_field) :
                                   g_strconcat ("fields.", options->input_field, NULL);

          set_invalid (error, where, field, "the input field \"%s\" is not in this record",
                       options->input_field);
          return NULL;
        }
      input_field = options->input_field;
    }
  else if (parts.text_fields->len > 0)
    {
      input_field = g_ptr_array_index (parts.text_fields, 0);
      input = json_object_get_member (parts.flat ? parts.record : json_node_get_object (fields),
                                      input_field);
    }
  else
    input = NULL;

  context = g_string_new (NULL);
  if (input != NULL)
    {
      gboolean is_json;
      g_autofree char *text = value_to_text (input, &is_json);

      g_string_append (context, text);
    }
  for (guint i = 0; i < parts.text_fields->len; i++)
    {
      const char *name = g_ptr_array_index (parts.text_fields, i);
      JsonObject *holder = parts.flat ? parts.record : json_node_get_object (fields);

      if (input_field != NULL && g_str_equal (name, input_field))
        continue;
      g_string_append_printf (context, "%s%s:\n%s", context->len > 0 ? "\n\n" : "", name,
                              json_object_get_string_member (holder, name));
    }
  if (context->len > MAX_TEXT_BYTES)
    {
      set_invalid (error, where, parts.flat ? NULL : "fields",
                   "the fields hold more than %" G_GSIZE_FORMAT " MiB of text",
                   MAX_TEXT_BYTES / (1024 * 1024));
      return NULL;
    }

  /* The output. */
  if (options->output_question != NULL)
    {
      for (guint i = 0; i < parts.questions->len && question == NULL; i++)
        if (g_str_equal (g_ptr_array_index (parts.questions, i), options->output_question))
          question = options->output_question;
      if (question == NULL)
        {
          g_autofree char *field = parts.flat ?
                                   g_strconcat (options->output_question, ".suggestion", NULL) :
                                   g_strconcat ("suggestions.", options->output_question, NULL);

          set_invalid (error, where, field,
                       "the output question \"%s\" has no suggestion in this record",
                       options->output_question);
          return NULL;
        }
    }
  else if (parts.questions->len > 0)
    question = g_ptr_array_index (parts.questions, 0);
  else
    {
      set_invalid (error, where, parts.flat ? NULL : "suggestions",
                   "no suggestion to review: the record needs a suggested answer to a question");
      return NULL;
    }

  value = get_part (&parts, question, "value");
  score = get_part (&parts, question, "score");
  agent = get_part (&parts, question, "agent");

  if (!node_is_absent (score) && !node_is_number (score) && !JSON_NODE_HOLDS_ARRAY (score))
    {
      g_autofree char *field = part_field (&parts, question, "score");

      set_invalid (error, where, field, "expected a number, not %s", node_type_name (score));
      return NULL;
    }
  if (!node_is_absent (agent) && !node_is_string (agent))
    {
      g_autofree char *field = part_field (&parts, question, "agent");

      set_invalid (error, where, field, "expected a string, not %s", node_type_name (agent));
      return NULL;
    }

  content = value_to_text (value, &content_is_json);
  if (strlen (content) > MAX_TEXT_BYTES)
    {
      g_autofree char *field = part_field (&parts, question, "value");

      set_invalid (error, where, field, "longer than %" G_GSIZE_FORMAT " MiB",
                   MAX_TEXT_BYTES / (1024 * 1024));
      return NULL;
    }

  if (settings != NULL && json_object_has_member (settings, question))
    {
      question_info = json_object_get_object_member (settings, question);
      question_type = json_object_get_string_member_with_default (question_info, "type", NULL);
    }

  /* The item. */
  if (where->id != NULL)
    task_id = g_strconcat ("ar:", where->id, NULL);
  else
    {
      g_autofree char *hash = record_hash (parts.record);

      task_id = g_strconcat ("ar:sha256-", hash, NULL);
    }

  item = vd_item_new (options->queue, task_id);
  description = g_strdup_printf ("Check the suggested answer to the Argilla question \"%s\"",
                                 question);
  vd_item_set_task_description (item, description);
  vd_item_set_task_type (item, question);
  vd_item_set_context (item, context->str);
  vd_item_set_content (item, content);
  if (content_is_json)
    vd_item_set_output_content_type (item, "application/json");

  if (node_is_string (agent))
    {
      g_autofree char *reasoning = g_strdup_printf ("Suggested by %s",
                                                    json_node_get_string (agent));

      vd_item_set_reasoning (item, reasoning);
    }

  if (node_is_number (score) && json_node_get_double (score) >= 0.0 &&
      json_node_get_double (score) <= 1.0)
    {
      vd_item_set_confidence (item, json_node_get_double (score));
      vd_item_set_escalation_reason (item, VD_ESCALATION_REASON_NONE);
    }
  else
    {
      vd_item_clear_confidence (item);
      vd_item_set_escalation_reason (item, VD_ESCALATION_REASON_POLICY_REQUIRED);
      vd_item_set_escalation_detail (item, "Argilla record: the suggestion has no score "
                                     "between 0 and 1, so a human decides");
    }

  argilla = json_object_new ();
  json_object_set_string_member (argilla, "question", question);
  if (input_field != NULL)
    json_object_set_string_member (argilla, "input_field", input_field);
  if (node_is_string (agent))
    json_object_set_string_member (argilla, "agent", json_node_get_string (agent));
  if (question_type != NULL)
    json_object_set_string_member (argilla, "question_type", question_type);
  if (question_info != NULL && json_object_has_member (question_info, "labels"))
    json_object_set_member (argilla, "labels",
                            node_copy_deep (json_object_get_member (question_info, "labels")));
  if (node_is_string (status))
    json_object_set_string_member (argilla, "status", json_node_get_string (status));
  if (json_object_get_size (parts.responses) > 0)
    json_object_set_object_member (argilla, "responses", json_object_ref (parts.responses));
  json_object_set_object_member (parts.shown_metadata, "argilla", json_object_ref (argilla));
  vd_item_set_metadata (item, parts.shown_metadata);

  ids = json_object_new ();
  if (where->id != NULL)
    json_object_set_member (ids, "record_id", json_node_copy (id));
  if (node_is_string (server_id))
    json_object_set_string_member (ids, "_server_id", json_node_get_string (server_id));

  source = json_object_new ();
  json_object_set_string_member (source, "format", "argilla");
  json_object_set_object_member (source, "ids", g_steal_pointer (&ids));
  json_object_set_string_member (source, "form", parts.flat ? "flat" : "nested");
  json_object_set_string_member (source, "container", container);
  json_object_set_string_member (source, "question", question);
  json_object_set_string_member (source, "value_type", value_type_for (value, question_type));
  if (question_info != NULL && json_object_has_member (question_info, "labels"))
    json_object_set_member (source, "labels",
                            node_copy_deep (json_object_get_member (question_info, "labels")));
  json_object_set_object_member (source, "record", object_copy_deep (parts.record));
  vd_item_set_source (item, source);

  return g_steal_pointer (&item);
}

/* Adds the item of one record, or its problem; FALSE stops the read. */
static gboolean
take_record (JsonNode                   *node,
             JsonObject                 *settings,
             const VdFormatReadOptions  *options,
             const char                 *container,
             Where                      *where,
             GPtrArray                  *items,
             GPtrArray                  *problems,
             GError                    **error)
{
  g_autoptr(GError) local_error = NULL;
  VdItem *item;

  item = read_record (node, settings, options, container, where, &local_error);
  g_clear_pointer (&where->id, g_free);

  if (item != NULL)
    {
      g_ptr_array_add (items, item);
      return TRUE;
    }

  if (options->skip_invalid && problems != NULL)
    {
      g_ptr_array_add (problems, g_strdup (local_error->message));
      return TRUE;
    }

  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

static gboolean
read_lines (const char                 *data,
            gsize                       length,
            const VdFormatReadOptions  *options,
            GPtrArray                  *items,
            GPtrArray                  *problems,
            GError                    **error)
{
  Where where = { options->filename, 0, TRUE, NULL };
  gsize start = 0;

  while (start < length)
    {
      const char *eol = memchr (data + start, '\n', length - start);
      gsize end = eol != NULL ? (gsize) (eol - data) : length;
      g_autoptr(JsonNode) node = NULL;
      g_autoptr(GError) local_error = NULL;
      gboolean blank = TRUE;

      where.index++;
      for (gsize i = start; i < end && blank; i++)
        blank = g_ascii_isspace (data[i]);

      if (!blank)
        {
          node = vd_json_guard_parse (data + start, end - start, MAX_LINE_BYTES, &local_error);
          if (node == NULL)
            {
              g_autoptr(GError) line_error = NULL;
              g_autofree char *what = guard_message (local_error, TRUE);

              set_invalid (&line_error, &where, NULL, "%s", what);
              if (!options->skip_invalid || problems == NULL)
                {
                  g_propagate_error (error, g_steal_pointer (&line_error));
                  return FALSE;
                }
              g_ptr_array_add (problems, g_strdup (line_error->message));
            }
          else if (!take_record (node, NULL, options, "jsonl", &where, items, problems, error))
            return FALSE;
        }

      start = end + 1;
    }

  return TRUE;
}

/* Whether @data (starting with `{`) holds one JSON value and nothing
 * else: json-glib reads the first of several and drops the rest, so
 * JSON Lines must be told apart before it parses. */
static gboolean
is_one_value (const char *data,
              gsize       length)
{
  gboolean in_string = FALSE;
  gboolean escape = FALSE;
  gsize depth = 0;
  gsize i;

  for (i = 0; i < length; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (escape)
            escape = FALSE;
          else if (c == '\\')
            escape = TRUE;
          else if (c == '"')
            in_string = FALSE;
          continue;
        }
      if (c == '"')
        in_string = TRUE;
      else if (c == '{' || c == '[')
        depth++;
      else if ((c == '}' || c == ']') && depth > 0 && --depth == 0)
        break;
    }

  for (i++; i < length; i++)
    if (!g_ascii_isspace (data[i]))
      return FALSE;
  return TRUE;
}

static GPtrArray *
argilla_read (GBytes                     *bytes,
              const VdFormatReadOptions  *options,
              GPtrArray                  *problems,
              GError                    **error)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonObject) settings = NULL;
  Where where = { NULL, 0, FALSE, NULL };
  JsonNode *list = NULL;
  const char *data;
  gsize length;
  gsize bom = 0;
  gsize lead;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (options != NULL && options->queue != NULL, NULL);

  where.filename = options->filename != NULL ? options->filename : "input";
  data = g_bytes_get_data (bytes, &length);
  if (data == NULL)
    data = "";

  if (length >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0)
    bom = 3;
  lead = bom;
  while (lead < length && g_ascii_isspace (data[lead]))
    lead++;

  if (lead == length)
    {
      set_invalid (error, &where, NULL, "no Argilla records");
      return NULL;
    }

  if (data[lead] != '[' && data[lead] != '{')
    {
      set_invalid (error, &where, NULL, "not JSON: expected a list of Argilla records or "
                   "JSON Lines of records");
      return NULL;
    }

  if (data[lead] == '{' && !is_one_value (data + lead, length - lead))
    {
      VdFormatReadOptions line_options = *options;

      line_options.filename = where.filename;
      if (!read_lines (data + bom, length - bom, &line_options, items, problems, error))
        return NULL;
      return g_steal_pointer (&items);
    }

  root = vd_json_guard_parse (data + lead, length - lead, MAX_FILE_BYTES, &local_error);
  if (root == NULL && data[lead] == '{')
    {
      VdFormatReadOptions line_options = *options;

      line_options.filename = where.filename;
      if (!read_lines (data + bom, length - bom, &line_options, items, problems, error))
        return NULL;
      return g_steal_pointer (&items);
    }
  if (root == NULL)
    {
      g_autofree char *what = guard_message (local_error, FALSE);

      set_invalid (error, &where, NULL, "%s", what);
      return NULL;
    }

  if (JSON_NODE_HOLDS_OBJECT (root) &&
      json_object_has_member (json_node_get_object (root), "records"))
    {
      JsonObject *wrapper = json_node_get_object (root);
      JsonNode *records = json_object_get_member (wrapper, "records");
      JsonNode *settings_node = json_object_get_member (wrapper, "settings");

      if (!node_is_absent (settings_node))
        {
          settings = read_settings (settings_node, &where, error);
          if (settings == NULL)
            return NULL;
        }
      if (records == NULL || !JSON_NODE_HOLDS_ARRAY (records))
        {
          set_invalid (error, &where, "records", "expected a list of records, not %s",
                       node_type_name (records));
          return NULL;
        }
      list = records;
    }
  else if (JSON_NODE_HOLDS_ARRAY (root))
    list = root;

  if (list != NULL)
    {
      JsonArray *array = json_node_get_array (list);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          where.index = i + 1;
          if (!take_record (json_array_get_element (array, i), settings, options, "json",
                            &where, items, problems, error))
            return NULL;
        }
    }
  else
    {
      where.index = 1;
      where.lines = TRUE;
      if (!take_record (root, NULL, options, "jsonl", &where, items, problems, error))
        return NULL;
    }

  return g_steal_pointer (&items);
}

static gboolean
label_known (JsonArray *labels,
             JsonNode  *value)
{
  for (guint i = 0; i < json_array_get_length (labels); i++)
    {
      JsonNode *label = json_array_get_element (labels, i);

      if (node_is_string (label) && node_is_string (value) &&
          g_str_equal (json_node_get_string (label), json_node_get_string (value)))
        return TRUE;
      if (node_is_integer (label) && node_is_integer (value) &&
          json_node_get_int (label) == json_node_get_int (value))
        return TRUE;
    }
  return FALSE;
}

static char *
labels_text (JsonArray *labels)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < json_array_get_length (labels) && i < 20; i++)
    {
      gboolean is_json;
      g_autofree char *label = value_to_text (json_array_get_element (labels, i), &is_json);

      g_string_append_printf (text, "%s%s", i > 0 ? ", " : "", label);
    }
  if (json_array_get_length (labels) > 20)
    g_string_append (text, ", …");
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* The question's suggested value in the record kept in @source. */
static JsonNode *
source_suggestion (JsonObject *source)
{
  Parts parts = { 0 };
  JsonNode *record = json_object_get_member (source, "record");
  const char *form = json_object_get_string_member_with_default (source, "form", "nested");
  const char *question = json_object_get_string_member_with_default (source, "question", NULL);

  if (record == NULL || !JSON_NODE_HOLDS_OBJECT (record) || question == NULL)
    return NULL;
  parts.flat = g_str_equal (form, "flat");
  parts.record = json_node_get_object (record);
  return get_part (&parts, question, "value");
}

/* The reviewer's modified output as the value Argilla expects for the
 * question: a label or a text (string), labels (list of strings), a rating
 * (integer), or any other JSON of the suggestion's kind. */
static JsonNode *
parse_modified (VdItem      *item,
                const char  *text,
                GError     **error)
{
  JsonObject *source = vd_item_get_source (item);
  const char *value_type = json_object_get_string_member_with_default (source, "value_type",
                                                                       "json");
  const char *question = json_object_get_string_member_with_default (source, "question", "");
  JsonArray *labels = NULL;
  g_autoptr(JsonNode) value = NULL;
  g_autofree char *stripped = g_strstrip (g_strdup (text != NULL ? text : ""));

  if (json_object_has_member (source, "labels") &&
      JSON_NODE_HOLDS_ARRAY (json_object_get_member (source, "labels")))
    labels = json_object_get_array_member (source, "labels");

  if (stripped[0] == '\0')
    {
      g_set_error (error, VD_FORMAT_ERROR, VD_FORMAT_ERROR_NOT_ALLOWED,
                   "%s: the answer to the Argilla question \"%s\" is empty; reject instead",
                   vd_item_get_task_id (item), question);
      return NULL;
    }

  if (g_str_equal (value_type, "string"))
    {
      value = json_node_new (JSON_NODE_VALUE);
      json_node_set_string (value, stripped);
    }
  else if (g_str_equal (value_type, "integer"))
    {
      gint64 number;

      if (!g_ascii_string_to_signed (stripped, 10, G_MININT64, G_MAXINT64, &number, NULL))
        {
          g_set_error (error, VD_FORMAT_ERROR, VD_FORMAT_ERROR_NOT_ALLOWED,
                       "%s: the answer to the Argilla question \"%s\" must be a whole number "
                       "(a rating), not \"%s\"", vd_item_get_task_id (item), question, stripped);
          return NULL;
        }
      value = json_node_new (JSON_NODE_VALUE);
      json_node_set_int (value, number);
    }
  else
    {
      g_autoptr(GError) parse_error = NULL;
      JsonNode *suggestion = source_suggestion (source);

      value = vd_json_guard_parse (stripped, strlen (stripped), MAX_TEXT_BYTES, &parse_error);
      if (value == NULL)
        {
          g_autofree char *what = guard_message (parse_error, FALSE);

          g_set_error (error, VD_FORMAT_ERROR, VD_FORMAT_ERROR_NOT_ALLOWED,
                       "%s: the answer to the Argilla question \"%s\" must be %s (%s)",
                       vd_item_get_task_id (item), question,
                       g_str_equal (value_type, "list") ?
                       "a JSON list of labels such as [\"a\", \"b\"]" : "JSON like the suggestion",
                       what);
          return NULL;
        }

      if (g_str_equal (value_type, "list"))
        {
          JsonArray *array = JSON_NODE_HOLDS_ARRAY (value) ? json_node_get_array (value) : NULL;

          for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
            if (!node_is_string (json_array_get_element (array, i)))
              array = NULL;
          if (array == NULL)
            {
              g_set_error (error, VD_FORMAT_ERROR, VD_FORMAT_ERROR_NOT_ALLOWED,
                           "%s: the answer to the Argilla question \"%s\" must be a JSON list "
                           "of labels such as [\"a\", \"b\"]", vd_item_get_task_id (item),
                           question);
              return NULL;
            }
          for (guint i = 0; labels != NULL && i < json_array_get_length (array); i++)
            if (!label_known (labels, json_array_get_element (array, i)))
              {
                g_autofree char *known = labels_text (labels);

                g_set_error (error, VD_FORMAT_ERROR, VD_FORMAT_ERROR_NOT_ALLOWED,
                             "%s: \"%s\" is not a label of the Argilla question \"%s\" (%s)",
                             vd_item_get_task_id (item),
                             json_array_get_string_element (array, i), question, known);
                return NULL;
              }
          return g_steal_pointer (&value);
        }

      if (suggestion != NULL && JSON_NODE_TYPE (suggestion) != JSON_NODE_TYPE (value))
        {
          g_set_error (error, VD_FORMAT_ERROR, VD_FORMAT_ERROR_NOT_ALLOWED,
                       "%s: the answer to the Argilla question \"%s\" must be %s like the "
                       "suggestion, not %s", vd_item_get_task_id (item), question,
                       node_type_name (suggestion), node_type_name (value));
          return NULL;
        }
      return g_steal_pointer (&value);
    }

  if (labels != NULL && !label_known (labels, value))
    {
      g_autofree char *known = labels_text (labels);

      g_set_error (error, VD_FORMAT_ERROR, VD_FORMAT_ERROR_NOT_ALLOWED,
                   "%s: \"%s\" is not %s of the Argilla question \"%s\" (%s)",
                   vd_item_get_task_id (item), stripped,
                   g_str_equal (value_type, "integer") ? "a rating" : "a label",
                   question, known);
      return NULL;
    }

  return g_steal_pointer (&value);
}

static gboolean
is_argilla_item (VdItem *item)
{
  JsonObject *source = vd_item_get_source (item);

  return source != NULL && g_strcmp0 (vd_item_get_source_format (item), "argilla") == 0 &&
         json_object_has_member (source, "record") &&
         JSON_NODE_HOLDS_OBJECT (json_object_get_member (source, "record"));
}

static gboolean
argilla_check_decision (VdItem      *item,
                        VdDecision  *decision,
                        GError     **error)
{
  g_autoptr(JsonNode) value = NULL;

  g_return_val_if_fail (VD_IS_ITEM (item), FALSE);
  g_return_val_if_fail (VD_IS_DECISION (decision), FALSE);

  if (!is_argilla_item (item) || vd_decision_get_kind (decision) != VD_DECISION_KIND_MODIFY)
    return TRUE;

  value = parse_modified (item, vd_decision_get_modified_content (decision), error);
  return value != NULL;
}

/* The list member @name of @object, made when absent or not a list. */
static JsonArray *
flat_list (JsonObject *object,
           const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    json_object_set_array_member (object, name, json_array_new ());
  return json_object_get_array_member (object, name);
}

static JsonArray *
array_without (JsonArray *array,
               guint      index)
{
  JsonArray *copy = json_array_new ();

  for (guint i = 0; i < json_array_get_length (array); i++)
    if (i != index)
      json_array_add_element (copy, json_node_copy (json_array_get_element (array, i)));
  return copy;
}

static void
answer_flat (JsonObject *record,
             const char *question,
             JsonNode   *value,
             const char *user_id,
             const char *status)
{
  g_autofree char *values_key = g_strconcat (question, ".responses", NULL);
  g_autofree char *users_key = g_strconcat (question, ".responses.users", NULL);
  g_autofree char *status_key = g_strconcat (question, ".responses.status", NULL);
  JsonArray *values = flat_list (record, values_key);
  JsonArray *users = flat_list (record, users_key);
  JsonArray *statuses = flat_list (record, status_key);
  guint length = MAX (json_array_get_length (values),
                      MAX (json_array_get_length (users), json_array_get_length (statuses)));

  while (json_array_get_length (values) < length)
    json_array_add_null_element (values);
  while (json_array_get_length (users) < length)
    json_array_add_null_element (users);
  while (json_array_get_length (statuses) < length)
    json_array_add_null_element (statuses);

  /* One response per user and question: the reviewer's replaces theirs. */
  for (guint i = 0; i < length; i++)
    {
      JsonNode *user = json_array_get_element (users, i);

      if (node_is_string (user) && g_str_equal (json_node_get_string (user), user_id))
        {
          json_object_set_array_member (record, values_key, array_without (values, i));
          json_object_set_array_member (record, users_key, array_without (users, i));
          json_object_set_array_member (record, status_key, array_without (statuses, i));
          values = json_object_get_array_member (record, values_key);
          users = json_object_get_array_member (record, users_key);
          statuses = json_object_get_array_member (record, status_key);
          break;
        }
    }

  json_array_add_element (values, node_copy_deep (value));
  json_array_add_string_element (users, user_id);
  json_array_add_string_element (statuses, status);
}

static void
answer_nested (JsonObject *record,
               const char *question,
               JsonNode   *value,
               const char *user_id,
               const char *status)
{
  JsonNode *node = json_object_get_member (record, "responses");
  JsonObject *responses;
  JsonArray *list;
  JsonArray *kept;
  JsonObject *response;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    json_object_set_object_member (record, "responses", json_object_new ());
  responses = json_object_get_object_member (record, "responses");

  kept = json_array_new ();
  node = json_object_get_member (responses, question);
  list = node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
  for (guint i = 0; list != NULL && i < json_array_get_length (list); i++)
    {
      JsonNode *element = json_array_get_element (list, i);
      JsonNode *user = JSON_NODE_HOLDS_OBJECT (element) ?
                       json_object_get_member (json_node_get_object (element), "user_id") : NULL;

      /* One response per user and question: the reviewer's replaces theirs. */
      if (node_is_string (user) && g_str_equal (json_node_get_string (user), user_id))
        continue;
      json_array_add_element (kept, node_copy_deep (element));
    }

  response = json_object_new ();
  json_object_set_member (response, "value", node_copy_deep (value));
  json_object_set_string_member (response, "user_id", user_id);
  json_object_set_string_member (response, "status", status);
  json_array_add_object_element (kept, response);
  json_object_set_array_member (responses, question, kept);
}

static gboolean
argilla_write (GPtrArray        *entries,
               GOutputStream    *out,
               VdFormatSummary  *summary,
               GCancellable     *cancellable,
               GError          **error)
{
  g_autoptr(JsonArray) records = json_array_new ();
  g_autoptr(GString) text = g_string_new (NULL);
  const char *container = NULL;

  g_return_val_if_fail (entries != NULL, FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (out), FALSE);
  g_return_val_if_fail (summary != NULL, FALSE);

  for (guint i = 0; i < entries->len; i++)
    {
      VdFormatEntry *entry = g_ptr_array_index (entries, i);
      JsonObject *source;
      JsonNode *suggestion;
      g_autoptr(JsonNode) value = NULL;
      g_autoptr(JsonObject) record = NULL;
      const char *question;
      const char *status;
      const char *user_id;
      VdDecisionKind kind;

      if (!is_argilla_item (entry->item))
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

      source = vd_item_get_source (entry->item);
      question = json_object_get_string_member_with_default (source, "question", NULL);
      suggestion = source_suggestion (source);
      if (question == NULL || suggestion == NULL)
        {
          g_set_error (error, VD_FORMAT_ERROR, VD_FORMAT_ERROR_INVALID,
                       "%s: the stored Argilla record has no suggestion to answer",
                       vd_item_get_task_id (entry->item));
          return FALSE;
        }

      kind = vd_decision_get_kind (entry->decision);
      if (kind == VD_DECISION_KIND_MODIFY)
        {
          value = parse_modified (entry->item,
                                  vd_decision_get_modified_content (entry->decision), error);
          if (value == NULL)
            return FALSE;
        }
      else
        value = node_copy_deep (suggestion);
      status = kind == VD_DECISION_KIND_REJECT ? "discarded" : "submitted";
      user_id = vd_decision_get_reviewer_id (entry->decision);

      record = object_copy_deep (json_object_get_object_member (source, "record"));
      if (g_strcmp0 (json_object_get_string_member_with_default (source, "form", NULL),
                     "flat") == 0)
        answer_flat (record, question, value, user_id, status);
      else
        answer_nested (record, question, value, user_id, status);

      if (container == NULL)
        container = json_object_get_string_member_with_default (source, "container", "json");
      json_array_add_object_element (records, g_steal_pointer (&record));
      summary->written++;
    }

  if (g_strcmp0 (container, "jsonl") == 0)
    {
      for (guint i = 0; i < json_array_get_length (records); i++)
        {
          vd_json_append_node (text, json_array_get_element (records, i), FALSE);
          g_string_append_c (text, '\n');
        }
    }
  else
    {
      g_autoptr(JsonNode) root = json_node_new (JSON_NODE_ARRAY);

      json_node_set_array (root, records);
      vd_json_append_node (text, root, TRUE);
      g_string_append_c (text, '\n');
    }

  return g_output_stream_write_all (out, text->str, text->len, NULL, cancellable, error);
}

static gboolean
argilla_sniff (JsonObject *first_record)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;
  JsonNode *fields;

  g_return_val_if_fail (first_record != NULL, FALSE);

  fields = json_object_get_member (first_record, "fields");
  if (fields != NULL && JSON_NODE_HOLDS_OBJECT (fields) &&
      (json_object_has_member (first_record, "suggestions") ||
       json_object_has_member (first_record, "responses") ||
       json_object_has_member (first_record, "_server_id")))
    return TRUE;

  json_object_iter_init_ordered (&iter, first_record);
  while (json_object_iter_next_ordered (&iter, &name, &member))
    if ((g_str_has_suffix (name, ".suggestion") || g_str_has_suffix (name, ".responses")) &&
        strchr (name, '.') != name)
      return TRUE;

  return FALSE;
}

static const VdFormatClass argilla_class = {
  .name = "argilla",
  .label = N_("Argilla records"),
  .sniff = argilla_sniff,
  .read = argilla_read,
  .check_decision = argilla_check_decision,
  .write = argilla_write,
};

/**
 * vd_format_argilla_get_class:
 *
 * Argilla v2 records, nested or flat, read as items and answered with a
 * response by the reviewer (docs/formats.md, "Argilla").
 *
 * Returns: (transfer none): the format's table
 */
const VdFormatClass *
vd_format_argilla_get_class (void)
{
  return &argilla_class;
}
