/* vd-json-guard.c
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

#define G_LOG_DOMAIN "vd-json-guard"

#include "config.h"

#include <math.h>
#include <string.h>

#include "vd-json-guard.h"

/*
 * Every JSON text that comes from outside (queue files, policies, workflow
 * inputs, model answers) passes here twice:
 *
 *  - before json-glib sees it, a linear scan that knows strings and escapes
 *    counts the nesting of arrays and objects, because json-glib recurses
 *    once per level and a few hundred kilobytes of `[` overflow the stack;
 *  - after json-glib has read it, a walk of the tree checks what only the
 *    decoded values show: json-glib turns a lone surrogate escape (`\ud800`)
 *    into bytes that are not UTF-8, and reads `1e999` as infinity. Either
 *    would pass a check of the raw text and then poison the store.
 */

G_DEFINE_QUARK (vd-json-guard-error-quark, vd_json_guard_error)

/* Whether the integer literal data[start, end) fits in a gint64; json-glib
 * wraps one that does not around without a word. Literals with a fraction
 * or an exponent are read as doubles and checked after parsing. */
static gboolean
integer_fits (const char *data,
              gsize       start,
              gsize       end)
{
  static const char max_digits[] = "9223372036854775807";
  gboolean negative = data[start] == '-';
  gsize first = start + (negative ? 1 : 0);
  gsize n;
  int cmp;

  for (gsize i = first; i < end; i++)
    if (data[i] == '.' || data[i] == 'e' || data[i] == 'E')
      return TRUE;

  while (first + 1 < end && data[first] == '0')
    first++;

  n = end - first;
  if (n != sizeof max_digits - 1)
    return n < sizeof max_digits - 1;

  cmp = memcmp (data + first, max_digits, n);
  /* -9223372036854775808 fits; its last digit is one more. */
  if (negative && cmp > 0)
    return memcmp (data + first, "9223372036854775808", n) == 0;
  return cmp <= 0;
}

static gboolean
is_number_byte (char c)
{
  return g_ascii_isdigit (c) || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E';
}

/* Whether data[i] (after a backslash) starts the escape \u0000. */
static gboolean
is_nul_escape (const char *data,
               gsize       length,
               gsize       i)
{
  return i + 4 < length && data[i] == 'u' &&
         data[i + 1] == '0' && data[i + 2] == '0' && data[i + 3] == '0' && data[i + 4] == '0';
}

/**
 * vd_json_guard_scan:
 * @data: the JSON text
 * @length: its length in bytes
 * @max_depth: the deepest nesting allowed, e.g. %VD_JSON_MAX_DEPTH
 * @line: (out) (optional): where the fault is, from 1
 * @column: (out) (optional): the byte column there, from 1
 * @error: return location for a #GError
 *
 * Checks, in one pass over the bytes, what json-glib would get wrong
 * without a word: arrays and objects nested deeper than @max_depth (its
 * recursion overflows the stack), integers beyond 64 bits (it wraps them
 * around) and the escape `\u0000` (it cuts the string there). The text need
 * not be valid JSON: anything that is not gets its error from the parser
 * afterwards.
 *
 * Returns: %TRUE when @data may be given to json-glib
 */
gboolean
vd_json_guard_scan (const char  *data,
                    gsize        length,
                    guint        max_depth,
                    guint       *line,
                    guint       *column,
                    GError     **error)
{
  gboolean in_string = FALSE;
  gboolean escape = FALSE;
  guint depth = 0;
  guint at_line = 1;
  gsize line_start = 0;
  gsize i;

  g_return_val_if_fail (data != NULL || length == 0, FALSE);

  for (i = 0; i < length; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (escape)
            {
              escape = FALSE;
              if (is_nul_escape (data, length, i))
                {
                  g_set_error_literal (error, VD_JSON_GUARD_ERROR, VD_JSON_GUARD_ERROR_ENCODING,
                                       "a string holds \\u0000 (a NUL character), which text "
                                       "cannot hold");
                  i--;  /* point at the backslash */
                  goto failed;
                }
            }
          else if (c == '\\')
            escape = TRUE;
          else if (c == '"')
            in_string = FALSE;
          else if (c == '\n')
            {
              at_line++;
              line_start = i + 1;
            }
          continue;
        }

      switch (c)
        {
        case '"':
          in_string = TRUE;
          break;

        case '[':
        case '{':
          if (++depth > max_depth)
            {
              g_set_error (error, VD_JSON_GUARD_ERROR, VD_JSON_GUARD_ERROR_TOO_DEEP,
                           "arrays and objects nest more than %u levels deep", max_depth);
              goto failed;
            }
          break;

        case ']':
        case '}':
          if (depth > 0)
            depth--;
          break;

        case '\n':
          at_line++;
          line_start = i + 1;
          break;

        case '-':
        case '0': case '1': case '2': case '3': case '4':
        case '5': case '6': case '7': case '8': case '9':
          {
            gsize end = i + 1;

            while (end < length && is_number_byte (data[end]))
              end++;

            if (!integer_fits (data, i, end))
              {
                g_set_error_literal (error, VD_JSON_GUARD_ERROR, VD_JSON_GUARD_ERROR_RANGE,
                                     "an integer too large to represent exactly (beyond "
                                     "9223372036854775807)");
                goto failed;
              }

            i = end - 1;
          }
          break;

        default:
          break;
        }
    }

  return TRUE;

failed:
  if (line != NULL)
    *line = at_line;
  if (column != NULL)
    *column = (guint) MIN (i - line_start + 1, G_MAXUINT);
  return FALSE;
}

typedef struct
{
  GString  *path;
  GError  **error;
} Walk;

static gboolean
walk_fail (Walk       *walk,
           int         code,
           const char *what)
{
  if (walk->path->len > 0)
    g_set_error (walk->error, VD_JSON_GUARD_ERROR, code, "%s: %s", walk->path->str, what);
  else
    g_set_error (walk->error, VD_JSON_GUARD_ERROR, code, "%s", what);
  return FALSE;
}

#define BAD_STRING "not valid text: it holds an escape that is not a character " \
                   "(a lone surrogate such as \\ud800) or bytes that are not UTF-8"
#define BAD_NAME   "a member name is not valid text: it holds an escape that is not " \
                   "a character (a lone surrogate such as \\ud800)"

static gboolean walk_node (Walk     *walk,
                           JsonNode *node,
                           guint     depth);

static gboolean
walk_object (Walk       *walk,
             JsonObject *object,
             guint       depth)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;

  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &name, &member))
    {
      gsize mark = walk->path->len;

      if (!g_utf8_validate (name, -1, NULL))
        return walk_fail (walk, VD_JSON_GUARD_ERROR_ENCODING, BAD_NAME);

      if (mark > 0)
        g_string_append_c (walk->path, '.');
      g_string_append (walk->path, name);

      if (!walk_node (walk, member, depth + 1))
        return FALSE;

      g_string_truncate (walk->path, mark);
    }

  return TRUE;
}

static gboolean
walk_array (Walk      *walk,
            JsonArray *array,
            guint      depth)
{
  guint n = json_array_get_length (array);

  for (guint i = 0; i < n; i++)
    {
      gsize mark = walk->path->len;

      g_string_append_printf (walk->path, "[%u]", i);
      if (!walk_node (walk, json_array_get_element (array, i), depth + 1))
        return FALSE;
      g_string_truncate (walk->path, mark);
    }

  return TRUE;
}

static gboolean
walk_node (Walk     *walk,
           JsonNode *node,
           guint     depth)
{
  /* A tree built in memory has had no scan: keep the walk bounded too. */
  if (depth > VD_JSON_MAX_DEPTH)
    return walk_fail (walk, VD_JSON_GUARD_ERROR_TOO_DEEP,
                      "arrays and objects nest too deep");

  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      return walk_object (walk, json_node_get_object (node), depth);

    case JSON_NODE_ARRAY:
      return walk_array (walk, json_node_get_array (node), depth);

    case JSON_NODE_VALUE:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_STRING:
          if (!g_utf8_validate (json_node_get_string (node), -1, NULL))
            return walk_fail (walk, VD_JSON_GUARD_ERROR_ENCODING, BAD_STRING);
          break;

        case G_TYPE_DOUBLE:
          if (!isfinite (json_node_get_double (node)))
            return walk_fail (walk, VD_JSON_GUARD_ERROR_NOT_FINITE,
                              "a number too large to represent (such as 1e999)");
          break;

        default:
          break;
        }
      return TRUE;

    case JSON_NODE_NULL:
    default:
      return TRUE;
    }
}

/**
 * vd_json_guard_check_node:
 * @node: a parsed JSON value
 * @field: (nullable): the name of @node in messages, e.g. "agent_output"
 * @error: return location for a #GError
 *
 * Checks every string and member name in @node for valid UTF-8 and every
 * number for being finite. The message names the first bad value by its
 * path, e.g. "agent_output.metadata.lines[2]: ...".
 *
 * Returns: %TRUE when every value in @node may be stored
 */
gboolean
vd_json_guard_check_node (JsonNode    *node,
                          const char  *field,
                          GError     **error)
{
  g_autoptr(GString) path = g_string_new (field);
  Walk walk = { path, error };

  g_return_val_if_fail (node != NULL, FALSE);

  return walk_node (&walk, node, 0);
}

/**
 * vd_json_guard_parse:
 * @data: the JSON text
 * @length: its length in bytes
 * @max_length: the largest @length accepted
 * @error: return location for a #GError
 *
 * Parses @data with every check of this module: its size, its nesting, its
 * encoding before and after decoding, and its numbers. Messages say where
 * in @data (line and column) or in the value (its path) the fault is, and
 * leave the naming of the whole text to the caller.
 *
 * Returns: (transfer full): the root of the parsed value
 */
JsonNode *
vd_json_guard_parse (const char  *data,
                     gsize        length,
                     gsize        max_length,
                     GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *invalid = NULL;
  guint line = 0, column = 0;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  if (length > max_length)
    {
      g_set_error (error, VD_JSON_GUARD_ERROR, VD_JSON_GUARD_ERROR_TOO_LARGE,
                   "larger than %" G_GSIZE_FORMAT " bytes", max_length);
      return NULL;
    }

  if (!vd_json_guard_scan (data, length, VD_JSON_MAX_DEPTH, &line, &column, &local_error))
    {
      g_set_error (error, VD_JSON_GUARD_ERROR, local_error->code, "%s (line %u, column %u)",
                   local_error->message, line, column);
      return NULL;
    }

  if (!g_utf8_validate (data, (gssize) length, &invalid))
    {
      g_set_error (error, VD_JSON_GUARD_ERROR, VD_JSON_GUARD_ERROR_ENCODING,
                   "not valid UTF-8 (byte offset %" G_GSIZE_FORMAT ")",
                   (gsize) (invalid - data));
      return NULL;
    }

  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, data, (gssize) length, &local_error))
    {
      /* json-glib quotes what it could not read, decoded escapes and all. */
      g_autofree char *message = g_utf8_make_valid (local_error->message, -1);

      g_set_error_literal (error, VD_JSON_GUARD_ERROR, VD_JSON_GUARD_ERROR_SYNTAX, message);
      return NULL;
    }

  root = json_parser_steal_root (parser);
  if (root == NULL)
    {
      g_set_error_literal (error, VD_JSON_GUARD_ERROR, VD_JSON_GUARD_ERROR_SYNTAX,
                           "no JSON value");
      return NULL;
    }

  if (!vd_json_guard_check_node (root, NULL, error))
    return NULL;

  return g_steal_pointer (&root);
}

/**
 * vd_json_guard_split_parser_message:
 * @message: a #JsonParser error message
 * @line: (out) (optional): the line it names, or 0
 * @column: (out) (optional): the column it names, or 0
 *
 * Splits json-glib's "<data>:LINE:COLUMN: Parse error: what" into its
 * position and what, for readers that say where the error is in their own
 * terms (a line of a JSON Lines file, a column past a prefix).
 *
 * Returns: (transfer none): the part of @message after the position
 */
const char *
vd_json_guard_split_parser_message (const char *message,
                                    guint64    *line,
                                    guint64    *column)
{
  const char *rest = message;
  guint64 line_number = 0, column_number = 0;
  char *end;

  g_return_val_if_fail (message != NULL, NULL);

  if (g_str_has_prefix (rest, "<data>:"))
    {
      rest += strlen ("<data>:");
      line_number = g_ascii_strtoull (rest, &end, 10);
      if (*end == ':')
        column_number = g_ascii_strtoull (end + 1, &end, 10);
      if (*end == ':')
        rest = end + 1;
      while (*rest == ' ')
        rest++;
      if (g_str_has_prefix (rest, "Parse error: "))
        rest += strlen ("Parse error: ");
    }

  if (line != NULL)
    *line = line_number;
  if (column != NULL)
    *column = column_number;

  return rest;
}
