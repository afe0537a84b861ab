/* vd-format.c
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

#define G_LOG_DOMAIN "vd-format"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "vd-format.h"
#include "vd-format-argilla.h"
#include "vd-format-csv.h"
#include "vd-format-label-studio.h"
#include "vd-format-langgraph.h"
#include "vd-format-prodigy.h"
#include "vd-json-guard.h"

/* The largest JSON document read whole to find its first record; a JSON
 * Lines file needs only its first line. */
#define DETECT_MAX_DOCUMENT (256 * 1024 * 1024)

G_DEFINE_QUARK (vd-format-error-quark, vd_format_error)

typedef const VdFormatClass *(*GetClassFunc) (void);

/* The formats in menu order: those read first, then the write-only ones. */
static const GetClassFunc format_getters[] = {
  vd_format_langgraph_get_class,
  vd_format_label_studio_get_class,
  vd_format_argilla_get_class,
  vd_format_prodigy_get_class,
  vd_format_csv_get_class,
};

static const VdFormatClass * const *
format_table (guint *n)
{
  static const VdFormatClass *table[G_N_ELEMENTS (format_getters) + 1];
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      for (guint i = 0; i < G_N_ELEMENTS (format_getters); i++)
        table[i] = format_getters[i] ();
      table[G_N_ELEMENTS (format_getters)] = NULL;
      g_once_init_leave (&initialized, 1);
    }

  if (n != NULL)
    *n = G_N_ELEMENTS (format_getters);
  return table;
}

/**
 * vd_format_list:
 * @n: (out) (optional): the number of formats
 *
 * Returns: (transfer none) (array length=n zero-terminated=1): the formats
 *   Verdict reads or writes besides its own, in menu order
 */
const VdFormatClass * const *
vd_format_list (guint *n)
{
  return format_table (n);
}

/**
 * vd_format_lookup:
 * @name: a format's wire name, such as `prodigy`
 *
 * Returns: (nullable): the format, or %NULL when there is none by that name
 *   (also for `verdict`, Verdict's own queue files, which have no class)
 */
const VdFormatClass *
vd_format_lookup (const char *name)
{
  const VdFormatClass * const *table = format_table (NULL);

  if (name == NULL)
    return NULL;

  for (guint i = 0; table[i] != NULL; i++)
    if (g_strcmp0 (table[i]->name, name) == 0)
      return table[i];

  return NULL;
}

/**
 * vd_format_list_names:
 * @for_import: list the formats read (with `verdict` first) rather than
 *   those written
 *
 * Returns: (transfer full): the wire names joined with ", ", for messages
 */
char *
vd_format_list_names (gboolean for_import)
{
  const VdFormatClass * const *table = format_table (NULL);
  GString *names = g_string_new (for_import ? "verdict" : NULL);

  for (guint i = 0; table[i] != NULL; i++)
    {
      gboolean listed = for_import ? table[i]->read != NULL : table[i]->write != NULL;

      if (!listed)
        continue;
      if (names->len > 0)
        g_string_append (names, ", ");
      g_string_append (names, table[i]->name);
    }

  return g_string_free (names, FALSE);
}

static gboolean
is_space (char c)
{
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* The first record of @data: the first element of a JSON array, the object
 * of a JSON document, or the first non-empty line of JSON Lines. NULL (no
 * error) when the text holds no object at all. */
static JsonObject *
first_record (const char  *data,
              gsize        length,
              GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  gsize start = 0;

  while (start < length && is_space (data[start]))
    start++;
  if (start == length)
    return NULL;

  if (data[start] == '{')
    {
      const char *newline = memchr (data + start, '\n', length - start);
      gsize end = newline != NULL ? (gsize) (newline - data) : length;
      gsize rest = end;

      while (rest < length && is_space (data[rest]))
        rest++;

      /* A first line that is a whole object followed by more text is JSON
       * Lines; a line that is not whole is a document spread over lines. */
      if (rest < length)
        {
          g_autoptr(JsonNode) line = vd_json_guard_parse (data + start, end - start,
                                                          DETECT_MAX_DOCUMENT, NULL);

          if (line != NULL)
            root = g_steal_pointer (&line);
        }
    }

  if (root == NULL)
    {
      root = vd_json_guard_parse (data + start, length - start, DETECT_MAX_DOCUMENT, error);
      if (root == NULL)
        return NULL;
    }

  if (JSON_NODE_HOLDS_ARRAY (root))
    {
      JsonArray *array = json_node_get_array (root);
      JsonNode *element;

      if (json_array_get_length (array) == 0)
        return NULL;
      element = json_array_get_element (array, 0);
      if (!JSON_NODE_HOLDS_OBJECT (element))
        return NULL;
      return json_object_ref (json_node_get_object (element));
    }

  if (JSON_NODE_HOLDS_OBJECT (root))
    return json_object_ref (json_node_get_object (root));

  return NULL;
}

static gboolean
is_verdict_queue_line (JsonObject *record)
{
  /* A header line, or an item line (whose queue the header may give). */
  return json_object_has_member (record, "verdict_queue") ||
         (json_object_has_member (record, "task_id") &&
          json_object_has_member (record, "agent_output"));
}

/**
 * vd_format_detect:
 * @bytes: the whole file
 * @filename: (nullable): its display name, for messages
 * @error: return location for a #GError
 *
 * Finds the format of a file from its first record: the first element of a
 * JSON array, the object of a JSON document, or the first non-empty line of
 * JSON Lines. Each format's `sniff` is asked in menu order.
 *
 * Returns: (nullable): the format; %NULL without @error set for Verdict's
 *   own queue files (`verdict`); %NULL with %VD_FORMAT_ERROR_UNKNOWN_FORMAT
 *   when nothing matches
 */
const VdFormatClass *
vd_format_detect (GBytes      *bytes,
                  const char  *filename,
                  GError     **error)
{
  const VdFormatClass * const *table = format_table (NULL);
  g_autoptr(JsonObject) record = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *names = NULL;
  const char *data;
  gsize length = 0;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (filename == NULL)
    filename = _("the file");

  data = g_bytes_get_data (bytes, &length);
  record = first_record (data, length, &local_error);

  if (record != NULL)
    {
      if (is_verdict_queue_line (record))
        return NULL;

      for (guint i = 0; table[i] != NULL; i++)
        if (table[i]->sniff != NULL && table[i]->read != NULL && table[i]->sniff (record))
          return table[i];
    }

  names = vd_format_list_names (TRUE);
  if (local_error != NULL)
    g_set_error (error, VD_FORMAT_ERROR, VD_FORMAT_ERROR_UNKNOWN_FORMAT,
                 _("%s: not a file of a known format (its first record is not JSON: %s); "
                   "the formats are %s"),
                 filename, local_error->message, names);
  else
    g_set_error (error, VD_FORMAT_ERROR, VD_FORMAT_ERROR_UNKNOWN_FORMAT,
                 _("%s: not a file of a known format; the formats are %s (give one with --format)"),
                 filename, names);
  return NULL;
}

static const char *
source_noun (VdItem *item)
{
  const char *format = vd_item_get_source_format (item);

  if (g_strcmp0 (format, "langgraph") == 0)
    return _("this LangGraph interrupt");
  if (g_strcmp0 (format, "label-studio") == 0)
    return _("this Label Studio task");
  if (g_strcmp0 (format, "argilla") == 0)
    return _("this Argilla record");
  if (g_strcmp0 (format, "prodigy") == 0)
    return _("this Prodigy task");
  return _("this item's source");
}

/* The kinds the item's source accepts, for a message: "approve, reject". */
static char *
allowed_kinds (VdItem *item)
{
  static const VdDecisionKind kinds[] = {
    VD_DECISION_KIND_APPROVE,
    VD_DECISION_KIND_REJECT,
    VD_DECISION_KIND_MODIFY,
  };
  GString *names = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      if (!vd_item_allows_decision (item, kinds[i]))
        continue;
      if (names->len > 0)
        g_string_append (names, ", ");
      g_string_append (names, vd_decision_kind_to_string (kinds[i]));
    }

  if (names->len == 0)
    g_string_append (names, _("no decision"));

  return g_string_free (names, FALSE);
}

/**
 * vd_format_check_decision:
 * @item: the item decided
 * @decision: the decision
 * @error: return location for a #GError
 *
 * Whether @item's source accepts @decision back: the kinds it allows
 * (vd_item_allows_decision()), then its format's own checks. Items without
 * a source accept every decision.
 *
 * Returns: %TRUE when the decision may be recorded; %FALSE with
 *   %VD_FORMAT_ERROR_NOT_ALLOWED (or the format's error) naming the item,
 *   the kind and the kinds allowed
 */
gboolean
vd_format_check_decision (VdItem      *item,
                          VdDecision  *decision,
                          GError     **error)
{
  const VdFormatClass *klass;
  VdDecisionKind kind;

  g_return_val_if_fail (VD_IS_ITEM (item), FALSE);
  g_return_val_if_fail (VD_IS_DECISION (decision), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  kind = vd_decision_get_kind (decision);
  if (!vd_item_allows_decision (item, kind))
    {
      g_autofree char *allowed = allowed_kinds (item);

      g_set_error (error, VD_FORMAT_ERROR, VD_FORMAT_ERROR_NOT_ALLOWED,
                   _("%s/%s: %s accepts %s; not %s"),
                   vd_item_get_queue (item), vd_item_get_task_id (item),
                   source_noun (item), allowed, vd_decision_kind_to_string (kind));
      return FALSE;
    }

  if (vd_item_get_source (item) == NULL)
    return TRUE;

  klass = vd_format_lookup (vd_item_get_source_format (item));
  if (klass != NULL && klass->check_decision != NULL)
    return klass->check_decision (item, decision, error);

  return TRUE;
}
