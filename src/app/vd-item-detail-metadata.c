/* vd-item-detail-metadata.c
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

#define G_LOG_DOMAIN "vd-item-detail"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "vd-item-detail-private.h"

/* The metadata of the item shown: keys and values as a reviewer reads
 * them, not as JSON. */

/* More metadata entries than this are counted, not listed. */
#define MAX_METADATA_ROWS 200

/* Where there is no value. */
#define NO_VALUE "—"

/* The shortest text that reads back as the same double: 0.55, not
 * 0.55000000000000004; 12500, not 12500.0. */
char *
_vd_item_detail_format_number (double value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isfinite (value))
    return g_strdup (NO_VALUE);

  /* Whole amounts as written, not as 1.25e+04. */
  if (value == floor (value) && fabs (value) < 1e17)
    return g_strdup (g_ascii_formatd (buffer, sizeof buffer, "%.0f", value));

  for (int precision = 1; precision < 17; precision++)
    {
      char format[8];

      g_snprintf (format, sizeof format, "%%.%dg", precision);
      g_ascii_formatd (buffer, sizeof buffer, format, value);
      if (g_ascii_strtod (buffer, NULL) == value)
        return g_strdup (buffer);
    }

  return g_strdup (g_ascii_formatd (buffer, sizeof buffer, "%.17g", value));
}

static void append_value (GString  *text,
                          JsonNode *node,
                          gboolean  nested);

static void
append_object (GString    *text,
               JsonObject *object,
               gboolean    nested)
{
  g_autoptr(GList) members = json_object_get_members (object);

  if (nested)
    g_string_append_c (text, '{');
  for (const GList *l = members; l != NULL; l = l->next)
    {
      if (l != members)
        g_string_append (text, ", ");
      /* Translators: a key and its value in a list of metadata, e.g. "tier: gold" */
      g_string_append_printf (text, _("%s: "), (const char *) l->data);
      append_value (text, json_object_get_member (object, l->data), TRUE);
    }
  if (nested)
    g_string_append_c (text, '}');
}

static void
append_array (GString   *text,
              JsonArray *array,
              gboolean   nested)
{
  guint length = json_array_get_length (array);
  gboolean lines = FALSE;

  /* At the top, a list of records reads best one record a line. */
  for (guint i = 0; i < length && !nested; i++)
    lines |= !JSON_NODE_HOLDS_VALUE (json_array_get_element (array, i)) &&
             !JSON_NODE_HOLDS_NULL (json_array_get_element (array, i));

  if (nested)
    g_string_append_c (text, '[');
  for (guint i = 0; i < length; i++)
    {
      if (i > 0)
        g_string_append (text, lines ? "\n" : ", ");
      append_value (text, json_array_get_element (array, i), nested || !lines);
    }
  if (nested)
    g_string_append_c (text, ']');
}

static void
append_value (GString  *text,
              JsonNode *node,
              gboolean  nested)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      if (json_object_get_size (json_node_get_object (node)) == 0)
        g_string_append (text, nested ? "{}" : NO_VALUE);
      else
        append_object (text, json_node_get_object (node), nested);
      break;

    case JSON_NODE_ARRAY:
      if (json_array_get_length (json_node_get_array (node)) == 0)
        g_string_append (text, nested ? "[]" : NO_VALUE);
      else
        append_array (text, json_node_get_array (node), nested);
      break;

    case JSON_NODE_NULL:
      g_string_append (text, NO_VALUE);
      break;

    case JSON_NODE_VALUE:
    default:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_BOOLEAN:
          g_string_append (text, json_node_get_boolean (node) ? _("Yes") : _("No"));
          break;

        case G_TYPE_INT64:
          g_string_append_printf (text, "%" G_GINT64_FORMAT, json_node_get_int (node));
          break;

        case G_TYPE_DOUBLE:
          {
            g_autofree char *number = _vd_item_detail_format_number (json_node_get_double (node));

            g_string_append (text, number);
          }
          break;

        case G_TYPE_STRING:
          {
            const char *string = json_node_get_string (node);

            g_string_append (text, *string != '\0' || nested ? string : NO_VALUE);
          }
          break;

        default:
          g_string_append (text, NO_VALUE);
          break;
        }
      break;
    }
}

/**
 * _vd_item_detail_format_value:
 * @node: a metadata value
 *
 * Strings as they are, numbers in their shortest exact form, booleans as
 * Yes or No, nothing (null, "", {} or []) as a dash, a list of plain values
 * as "a, b", a list of records one a line as "key: value, key: value".
 *
 * Returns: (transfer full): the value as a reviewer reads it
 */
char *
_vd_item_detail_format_value (JsonNode *node)
{
  GString *text = g_string_new (NULL);

  append_value (text, node, FALSE);

  return g_string_free (text, FALSE);
}

/* Nested objects become dotted keys ("customer.tier"). */
static void
flatten_metadata (JsonObject *object,
                  const char *prefix,
                  GPtrArray  *keys,
                  GPtrArray  *values)
{
  g_autoptr(GList) members = json_object_get_members (object);

  for (const GList *l = members; l != NULL; l = l->next)
    {
      const char *member = l->data;
      JsonNode *node = json_object_get_member (object, member);
      g_autofree char *key = prefix != NULL ? g_strconcat (prefix, ".", member, NULL)
                                            : g_strdup (member);

      if (JSON_NODE_HOLDS_OBJECT (node) && json_object_get_size (json_node_get_object (node)) > 0)
        {
          flatten_metadata (json_node_get_object (node), key, keys, values);
          continue;
        }

      g_ptr_array_add (keys, g_steal_pointer (&key));
      g_ptr_array_add (values, _vd_item_detail_format_value (node));
    }
}

void
_vd_item_detail_update_metadata (VdItemDetail *self)
{
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func (g_free);
  JsonObject *metadata = vd_item_get_metadata (self->item);
  GtkWidget *child;
  guint n_rows;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->metadata_grid))) != NULL)
    gtk_grid_remove (self->metadata_grid, child);

  if (metadata != NULL)
    flatten_metadata (metadata, NULL, keys, values);

  n_rows = MIN (keys->len, MAX_METADATA_ROWS);
  for (guint i = 0; i < n_rows; i++)
    {
      GtkWidget *key = _vd_item_detail_data_label_new (g_ptr_array_index (keys, i),
                                                       _("Metadata key"));
      GtkWidget *value = _vd_item_detail_data_label_new (g_ptr_array_index (values, i),
                                                         g_ptr_array_index (keys, i));

      gtk_label_set_yalign (GTK_LABEL (key), 0.0);
      gtk_label_set_max_width_chars (GTK_LABEL (key), 28);
      gtk_widget_add_css_class (key, "dim-label");
      gtk_widget_set_hexpand (value, TRUE);
      gtk_widget_add_css_class (value, "metadata-value");

      gtk_grid_attach (self->metadata_grid, key, 0, i, 1, 1);
      gtk_grid_attach (self->metadata_grid, value, 1, i, 1, 1);
    }

  if (keys->len > n_rows)
    {
      g_autofree char *more = NULL;

      /* Translators: below a cut-short list of metadata entries */
      more = g_strdup_printf (_("%u more entries not shown"), keys->len - n_rows);
      gtk_grid_attach (self->metadata_grid, _vd_item_detail_caption_label_new (more),
                       0, n_rows, 2, 1);
    }

  gtk_widget_set_visible (self->metadata_section, keys->len > 0);
}
