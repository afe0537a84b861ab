/* vd-json-changes.c
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

#define G_LOG_DOMAIN "vd-json-changes"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "vd-json-changes.h"
#include "vd-json-text.h"
#include "vd-json-write.h"

/*
 * What changed between two JSON values (a tool call's arguments before and
 * after a reviewer's Modify), one line a changed value, by its path:
 *
 *   amount: 120 → 150
 *   customer.tier: "gold" → "silver"
 *   + notes: "call first"
 *   - flags[1]: 3
 *
 * Values are written as JSON, so a string keeps its quotes and a number
 * does not: the type stays visible. Members are matched by name, elements
 * by position.
 */

/* Values longer than this are cut in a line, with an ellipsis. */
#define MAX_VALUE_CHARS 200

static gboolean
is_identifier (const char *key)
{
  if (key[0] == '\0' || !(g_ascii_isalpha (key[0]) || key[0] == '_'))
    return FALSE;
  for (const char *p = key; *p != '\0'; p++)
    if (!(g_ascii_isalnum (*p) || *p == '_' || *p == '-'))
      return FALSE;
  return TRUE;
}

/**
 * vd_json_path_append:
 * @path: (nullable): a path made here, %NULL or "" for the root
 * @key: a member name
 *
 * Returns: (transfer full): @path then @key, as `a.b` for a plain name and
 *   `a["odd key"]` for any other
 */
char *
vd_json_path_append (const char *path,
                     const char *key)
{
  g_autoptr(GString) out = g_string_new (path);

  g_return_val_if_fail (key != NULL, NULL);

  if (is_identifier (key))
    {
      if (out->len > 0)
        g_string_append_c (out, '.');
      g_string_append (out, key);
    }
  else
    {
      g_string_append_c (out, '[');
      vd_json_append_string (out, key, -1, VD_JSON_TEXT_ESCAPE_INVISIBLE);
      g_string_append_c (out, ']');
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
value_text (JsonNode *node)
{
  g_autofree char *text = vd_json_node_to_string (node, FALSE);

  if (g_utf8_strlen (text, -1) > MAX_VALUE_CHARS)
    {
      const char *end = g_utf8_offset_to_pointer (text, MAX_VALUE_CHARS);

      return g_strdup_printf ("%.*s…", (int) (end - text), text);
    }
  return g_steal_pointer (&text);
}

static const char *
shown_path (const char *path)
{
  return path[0] != '\0' ? path : _("(the value)");
}

static gboolean
scalars_equal (JsonNode *a,
               JsonNode *b)
{
  GType ta, tb;

  if (JSON_NODE_HOLDS_NULL (a) || JSON_NODE_HOLDS_NULL (b))
    return JSON_NODE_HOLDS_NULL (a) && JSON_NODE_HOLDS_NULL (b);

  ta = json_node_get_value_type (a);
  tb = json_node_get_value_type (b);

  /* Numbers by value: 3 and 3.0 are the same number. */
  if ((ta == G_TYPE_INT64 || ta == G_TYPE_DOUBLE) && (tb == G_TYPE_INT64 || tb == G_TYPE_DOUBLE))
    {
      if (ta == G_TYPE_INT64 && tb == G_TYPE_INT64)
        return json_node_get_int (a) == json_node_get_int (b);
      return json_node_get_double (a) == json_node_get_double (b);
    }

  if (ta != tb)
    return FALSE;
  if (ta == G_TYPE_BOOLEAN)
    return json_node_get_boolean (a) == json_node_get_boolean (b);
  if (ta == G_TYPE_STRING)
    return g_strcmp0 (json_node_get_string (a), json_node_get_string (b)) == 0;

  return json_node_equal (a, b);
}

static void
add_line (GString    *out,
          guint      *n,
          const char *sign,
          const char *path,
          JsonNode   *old_node,
          JsonNode   *new_node)
{
  g_autofree char *old_text = old_node != NULL ? value_text (old_node) : NULL;
  g_autofree char *new_text = new_node != NULL ? value_text (new_node) : NULL;

  if (out->len > 0)
    g_string_append_c (out, '\n');
  (*n)++;

  if (old_text != NULL && new_text != NULL)
    g_string_append_printf (out, "%s: %s → %s", shown_path (path), old_text, new_text);
  else
    g_string_append_printf (out, "%s %s: %s", sign, shown_path (path),
                            old_text != NULL ? old_text : new_text);
}

static void
compare (GString    *out,
         guint      *n,
         const char *path,
         JsonNode   *a,
         JsonNode   *b)
{
  JsonNodeType type_a = JSON_NODE_TYPE (a);
  JsonNodeType type_b = JSON_NODE_TYPE (b);

  if (type_a == JSON_NODE_OBJECT && type_b == JSON_NODE_OBJECT)
    {
      JsonObject *oa = json_node_get_object (a);
      JsonObject *ob = json_node_get_object (b);
      g_autoptr(GList) members_a = json_object_get_members (oa);
      g_autoptr(GList) members_b = json_object_get_members (ob);

      for (GList *l = members_a; l != NULL; l = l->next)
        {
          g_autofree char *sub = vd_json_path_append (path, l->data);

          if (json_object_has_member (ob, l->data))
            compare (out, n, sub, json_object_get_member (oa, l->data),
                     json_object_get_member (ob, l->data));
          else
            add_line (out, n, "-", sub, json_object_get_member (oa, l->data), NULL);
        }
      for (GList *l = members_b; l != NULL; l = l->next)
        if (!json_object_has_member (oa, l->data))
          {
            g_autofree char *sub = vd_json_path_append (path, l->data);

            add_line (out, n, "+", sub, NULL, json_object_get_member (ob, l->data));
          }
      return;
    }

  if (type_a == JSON_NODE_ARRAY && type_b == JSON_NODE_ARRAY)
    {
      JsonArray *aa = json_node_get_array (a);
      JsonArray *ab = json_node_get_array (b);
      guint len_a = json_array_get_length (aa);
      guint len_b = json_array_get_length (ab);

      for (guint i = 0; i < MAX (len_a, len_b); i++)
        {
          g_autofree char *sub = g_strdup_printf ("%s[%u]", path, i);

          if (i < len_a && i < len_b)
            compare (out, n, sub, json_array_get_element (aa, i), json_array_get_element (ab, i));
          else if (i < len_a)
            add_line (out, n, "-", sub, json_array_get_element (aa, i), NULL);
          else
            add_line (out, n, "+", sub, NULL, json_array_get_element (ab, i));
        }
      return;
    }

  if (type_a == JSON_NODE_OBJECT || type_a == JSON_NODE_ARRAY || type_a != type_b ||
      !scalars_equal (a, b))
    add_line (out, n, NULL, path, a, b);
}

/**
 * vd_json_changes_describe:
 * @old_node: (nullable): the value before, %NULL for `null`
 * @new_node: (nullable): the value after, %NULL for `null`
 * @n_changes: (out) (optional): how many lines
 *
 * Describes what changed from @old_node to @new_node, one line a changed,
 * added (`+`) or removed (`-`) value, by its path; see the top of
 * vd-json-changes.c.
 *
 * Returns: (transfer full): the lines, "" when nothing changed
 */
char *
vd_json_changes_describe (JsonNode *old_node,
                          JsonNode *new_node,
                          guint    *n_changes)
{
  g_autoptr(JsonNode) null_a = NULL;
  g_autoptr(JsonNode) null_b = NULL;
  GString *out = g_string_new (NULL);
  guint n = 0;

  if (old_node == NULL)
    old_node = null_a = json_node_new (JSON_NODE_NULL);
  if (new_node == NULL)
    new_node = null_b = json_node_new (JSON_NODE_NULL);

  compare (out, &n, "", old_node, new_node);

  if (n_changes != NULL)
    *n_changes = n;
  return g_string_free (out, FALSE);
}
