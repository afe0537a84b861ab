/* vd-json-write.c: JSON text for people and other programs
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

#define G_LOG_DOMAIN "vd-json-write"

#include "config.h"

#include <math.h>
#include <string.h>

#include "vd-json-text.h"
#include "vd-json-write.h"

/**
 * vd_json_append_double:
 * @out: where to append
 * @value: a number
 *
 * Appends @value as a JSON number in the shortest of `%.15g`, `%.16g` and
 * `%.17g` that g_ascii_strtod() reads back as the same double, whatever
 * the locale: 0.55 as `0.55`, not json-glib 1.6's `0.55000000000000004`.
 * A value without a fraction keeps a `.0` (`12500.0`, `-0.0`) so that a
 * reader takes it as a double again. JSON has no NaN or infinity: they
 * are written as `null`.
 */
void
vd_json_append_double (GString *out,
                       double   value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  g_return_if_fail (out != NULL);

  if (!isfinite (value))
    {
      g_string_append (out, "null");
      return;
    }

  g_ascii_formatd (buffer, sizeof buffer, "%.15g", value);
  if (g_ascii_strtod (buffer, NULL) != value)
    {
      g_ascii_formatd (buffer, sizeof buffer, "%.16g", value);
      if (g_ascii_strtod (buffer, NULL) != value)
        g_ascii_formatd (buffer, sizeof buffer, "%.17g", value);
    }

  g_string_append (out, buffer);
  if (strpbrk (buffer, ".eE") == NULL)
    g_string_append (out, ".0");
}

static void
append_newline (GString *out,
                guint    depth)
{
  g_string_append_c (out, '\n');
  for (guint i = 0; i < depth; i++)
    g_string_append (out, "  ");
}

static void
append_value (GString  *out,
              JsonNode *node)
{
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
      break;

    case G_TYPE_DOUBLE:
      vd_json_append_double (out, json_node_get_double (node));
      break;

    case G_TYPE_BOOLEAN:
      g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
      break;

    case G_TYPE_STRING:
      vd_json_append_string (out, json_node_get_string (node), -1, VD_JSON_TEXT_DEFAULT);
      break;

    default:
      /* json-glib holds no other value types. */
      g_string_append (out, "null");
      break;
    }
}

static void
append_node (GString  *out,
             JsonNode *node,
             gboolean  pretty,
             guint     depth)
{
  if (node == NULL)
    {
      g_string_append (out, "null");
      return;
    }

  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_node_get_object (node);
        JsonObjectIter iter;
        const char *name;
        JsonNode *member;
        gboolean first = TRUE;

        g_string_append_c (out, '{');
        json_object_iter_init_ordered (&iter, object);
        while (json_object_iter_next_ordered (&iter, &name, &member))
          {
            if (!first)
              g_string_append_c (out, ',');
            first = FALSE;
            if (pretty)
              append_newline (out, depth + 1);
            vd_json_append_string (out, name, -1, VD_JSON_TEXT_DEFAULT);
            g_string_append (out, pretty ? ": " : ":");
            append_node (out, member, pretty, depth + 1);
          }
        if (pretty && !first)
          append_newline (out, depth);
        g_string_append_c (out, '}');
      }
      break;

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        guint length = json_array_get_length (array);

        g_string_append_c (out, '[');
        for (guint i = 0; i < length; i++)
          {
            if (i > 0)
              g_string_append_c (out, ',');
            if (pretty)
              append_newline (out, depth + 1);
            append_node (out, json_array_get_element (array, i), pretty, depth + 1);
          }
        if (pretty && length > 0)
          append_newline (out, depth);
        g_string_append_c (out, ']');
      }
      break;

    case JSON_NODE_VALUE:
      append_value (out, node);
      break;

    case JSON_NODE_NULL:
    default:
      g_string_append (out, "null");
      break;
    }
}

/**
 * vd_json_append_node:
 * @out: where to append
 * @node: (nullable): a JSON node, %NULL for `null`
 * @pretty: whether to indent by two spaces, one member or element a line
 *
 * Appends @node as JSON text: the writer of every JSON that people or
 * other programs read (`verdict-cli --json`, the JSON Lines exports).
 * Members keep their order; strings are escaped as
 * vd_json_append_string() does by default; doubles are written by
 * vd_json_append_double(), integers as integers.
 */
void
vd_json_append_node (GString  *out,
                     JsonNode *node,
                     gboolean  pretty)
{
  g_return_if_fail (out != NULL);

  append_node (out, node, pretty, 0);
}

/**
 * vd_json_node_to_string:
 * @node: (nullable): a JSON node, %NULL for `null`
 * @pretty: whether to indent, see vd_json_append_node()
 *
 * Returns: (transfer full): @node as JSON text, without a trailing newline
 */
char *
vd_json_node_to_string (JsonNode *node,
                        gboolean  pretty)
{
  GString *out = g_string_new (NULL);

  vd_json_append_node (out, node, pretty);

  return g_string_free (out, FALSE);
}
