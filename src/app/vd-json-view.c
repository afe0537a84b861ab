/* vd-json-view.c
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

#define G_LOG_DOMAIN "vd-json-view"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "vd-json-changes.h"
#include "vd-json-guard.h"
#include "vd-json-view.h"
#include "vd-json-write.h"

/**
 * VdJsonView:
 *
 * A JSON value (such as a tool call's arguments) as a reviewer reads it:
 * one row a member, names in a column and values beside them, nested
 * objects and arrays indented under a fold that starts open down to
 * %VD_JSON_VIEW_EXPAND_DEPTH. Values are styled by type (CSS classes
 * `json-string`, `json-number`, `json-boolean`, `json-null` under the node
 * `vdjsonview`): text without quotes in the body font, numbers, `true`,
 * `false` and `null` in a fixed-width font and their own colours, an empty
 * text as "(empty text)"; every value says its type in its tooltip and
 * accessible description. All of it is selectable plain text.
 *
 * Editable (vd_json_view_set_editable()), it is the Modify form of the
 * same value, unfolded: the structure stays, each leaf is edited with its
 * type kept:
 * a text in an entry (a text view when it has several lines), a number in
 * an entry that accepts only a JSON number (anything else marks the field
 * invalid, and #VdJsonView:valid goes false), true or false with a switch;
 * `null` stays. vd_json_view_dup_edited_node() gives the new value and
 * vd_json_view_describe_changes() what changed, one line a value
 * (vd-json-changes.h).
 */

typedef enum
{
  LEAF_TEXT,
  LEAF_NUMBER,
  LEAF_BOOLEAN,
} LeafKind;

/* One editable value: its node inside self->edited, changed in place. */
typedef struct
{
  VdJsonView *self;
  JsonNode   *node;
  char       *path;
  LeafKind    kind;
  gboolean    valid;
  GtkWidget  *widget;
} Leaf;

struct _VdJsonView
{
  GtkWidget parent_instance;

  GtkWidget *child;
  JsonNode  *node;
  JsonNode  *edited;
  gboolean   editable;

  GPtrArray *leaves;
  guint      n_invalid;
  guint      budget;
};

G_DEFINE_FINAL_TYPE (VdJsonView, vd_json_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_EDITABLE,
  PROP_VALID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
leaf_free (Leaf *leaf)
{
  g_free (leaf->path);
  g_free (leaf);
}

static const char *
type_description (JsonNode *node)
{
  GType type;

  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      return _("Fields");
    case JSON_NODE_ARRAY:
      return _("List");
    case JSON_NODE_NULL:
      return _("Nothing (null)");
    case JSON_NODE_VALUE:
    default:
      break;
    }

  type = json_node_get_value_type (node);
  if (type == G_TYPE_STRING)
    return _("Text");
  if (type == G_TYPE_BOOLEAN)
    return _("True or false");
  if (type == G_TYPE_INT64)
    return _("Whole number");
  return _("Number");
}

static void
describe (GtkWidget  *widget,
          const char *description)
{
  gtk_widget_set_tooltip_text (widget, description);
  gtk_accessible_update_property (GTK_ACCESSIBLE (widget),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description,
                                  -1);
}

static GtkWidget *
value_label_new (const char *text,
                 const char *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_yalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_widget_add_css_class (label, css_class);
  return label;
}

static char *
scalar_text (JsonNode *node)
{
  if (JSON_NODE_HOLDS_NULL (node))
    return g_strdup ("null");
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));
  return vd_json_node_to_string (node, FALSE);
}

static const char *
scalar_class (JsonNode *node)
{
  GType type;

  if (JSON_NODE_HOLDS_NULL (node))
    return "json-null";
  type = json_node_get_value_type (node);
  if (type == G_TYPE_STRING)
    return "json-string";
  if (type == G_TYPE_BOOLEAN)
    return "json-boolean";
  return "json-number";
}

static GtkWidget *
scalar_view_new (JsonNode *node)
{
  g_autofree char *text = scalar_text (node);
  GtkWidget *label;

  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING &&
      text[0] == '\0')
    {
      label = value_label_new (_("(empty text)"), "json-string");
      gtk_widget_add_css_class (label, "json-empty");
    }
  else
    {
      label = value_label_new (text, scalar_class (node));
    }

  describe (label, type_description (node));
  return label;
}

/* Editing. */

static void
vd_json_view_set_leaf_valid (Leaf     *leaf,
                             gboolean  valid)
{
  VdJsonView *self = leaf->self;
  guint before = self->n_invalid;

  if (leaf->valid == valid)
    return;

  leaf->valid = valid;
  self->n_invalid += valid ? -1 : 1;
  if (valid)
    gtk_widget_remove_css_class (leaf->widget, "error");
  else
    gtk_widget_add_css_class (leaf->widget, "error");
  gtk_accessible_update_state (GTK_ACCESSIBLE (leaf->widget), GTK_ACCESSIBLE_STATE_INVALID,
                               valid ? GTK_ACCESSIBLE_INVALID_FALSE : GTK_ACCESSIBLE_INVALID_TRUE,
                               -1);

  if ((before == 0) != (self->n_invalid == 0))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALID]);
}

/* A JSON number exactly: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
static gboolean
parse_number (const char *text,
              JsonNode   *node)
{
  g_autofree char *copy = g_strstrip (g_strdup (text));
  const char *p = copy;
  gboolean is_int = TRUE;
  gint64 integer;
  double value;

  if (*p == '-')
    p++;
  if (*p == '0')
    p++;
  else if (g_ascii_isdigit (*p))
    while (g_ascii_isdigit (*p))
      p++;
  else
    return FALSE;

  if (*p == '.')
    {
      p++;
      is_int = FALSE;
      if (!g_ascii_isdigit (*p))
        return FALSE;
      while (g_ascii_isdigit (*p))
        p++;
    }
  if (*p == 'e' || *p == 'E')
    {
      p++;
      is_int = FALSE;
      if (*p == '+' || *p == '-')
        p++;
      if (!g_ascii_isdigit (*p))
        return FALSE;
      while (g_ascii_isdigit (*p))
        p++;
    }
  if (*p != '\0')
    return FALSE;

  if (is_int && g_ascii_string_to_signed (copy, 10, G_MININT64, G_MAXINT64, &integer, NULL))
    {
      json_node_set_int (node, integer);
      return TRUE;
    }

  value = g_ascii_strtod (copy, NULL);
  if (!isfinite (value))
    return FALSE;
  json_node_set_double (node, value);
  return TRUE;
}

static void
leaf_changed (Leaf *leaf)
{
  g_signal_emit (leaf->self, signals[CHANGED], 0);
}

static void
entry_changed_cb (GtkEditable *editable,
                  Leaf        *leaf)
{
  const char *text = gtk_editable_get_text (editable);

  if (leaf->kind == LEAF_NUMBER)
    vd_json_view_set_leaf_valid (leaf, parse_number (text, leaf->node));
  else
    json_node_set_string (leaf->node, text);

  leaf_changed (leaf);
}

static void
buffer_changed_cb (GtkTextBuffer *buffer,
                   Leaf          *leaf)
{
  g_autofree char *text = NULL;
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  json_node_set_string (leaf->node, text);
  leaf_changed (leaf);
}

static void
switch_active_cb (GtkSwitch  *toggle,
                  GParamSpec *pspec,
                  Leaf       *leaf)
{
  json_node_set_boolean (leaf->node, gtk_switch_get_active (toggle));
  leaf_changed (leaf);
}

static GtkWidget *
scalar_editor_new (VdJsonView *self,
                   JsonNode   *node,
                   const char *path)
{
  Leaf *leaf;
  GType type;
  GtkWidget *widget;

  if (JSON_NODE_HOLDS_NULL (node))
    return scalar_view_new (node);

  leaf = g_new0 (Leaf, 1);
  leaf->self = self;
  leaf->node = node;
  leaf->path = g_strdup (path);
  leaf->valid = TRUE;
  type = json_node_get_value_type (node);

  if (type == G_TYPE_BOOLEAN)
    {
      leaf->kind = LEAF_BOOLEAN;
      widget = gtk_switch_new ();
      gtk_switch_set_active (GTK_SWITCH (widget), json_node_get_boolean (node));
      gtk_widget_set_halign (widget, GTK_ALIGN_START);
      gtk_widget_set_valign (widget, GTK_ALIGN_CENTER);
      g_signal_connect (widget, "notify::active", G_CALLBACK (switch_active_cb), leaf);
    }
  else if (type == G_TYPE_STRING && strchr (json_node_get_string (node), '\n') != NULL)
    {
      GtkWidget *view = gtk_text_view_new ();
      GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));

      leaf->kind = LEAF_TEXT;
      gtk_text_buffer_set_text (buffer, json_node_get_string (node), -1);
      gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_WORD_CHAR);
      gtk_text_view_set_accepts_tab (GTK_TEXT_VIEW (view), FALSE);
      gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 6);
      gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (view), 6);
      gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 6);
      gtk_text_view_set_right_margin (GTK_TEXT_VIEW (view), 6);
      /* Room for a few lines before its text is laid out. */
      gtk_widget_set_size_request (view, -1, 72);
      gtk_widget_add_css_class (view, "json-text-editor");
      gtk_widget_set_hexpand (view, TRUE);
      g_signal_connect (buffer, "changed", G_CALLBACK (buffer_changed_cb), leaf);
      widget = view;
    }
  else
    {
      widget = gtk_entry_new ();
      gtk_widget_set_hexpand (widget, TRUE);
      if (type == G_TYPE_STRING)
        {
          leaf->kind = LEAF_TEXT;
          gtk_editable_set_text (GTK_EDITABLE (widget), json_node_get_string (node));
        }
      else
        {
          g_autofree char *text = vd_json_node_to_string (node, FALSE);

          leaf->kind = LEAF_NUMBER;
          gtk_editable_set_text (GTK_EDITABLE (widget), text);
          gtk_entry_set_input_purpose (GTK_ENTRY (widget), GTK_INPUT_PURPOSE_NUMBER);
          gtk_widget_add_css_class (widget, "json-number");
        }
      g_signal_connect (widget, "changed", G_CALLBACK (entry_changed_cb), leaf);
    }

  leaf->widget = widget;
  describe (widget, type_description (node));
  gtk_accessible_update_property (GTK_ACCESSIBLE (widget),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  path[0] != '\0' ? path : _("Value"),
                                  -1);
  g_ptr_array_add (self->leaves, leaf);
  return widget;
}

/* json_node_copy() shares objects, arrays and even scalar values (which
 * json_node_set_int() and the like change in place); the edits must not
 * reach the value set, nor the value handed out. */
static JsonNode *
deep_copy (JsonNode *node)
{
  JsonNode *copy;

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      g_autoptr(JsonObject) new_object = json_object_new ();
      g_autoptr(GList) members = json_object_get_members (object);

      for (GList *l = members; l != NULL; l = l->next)
        json_object_set_member (new_object, l->data,
                                deep_copy (json_object_get_member (object, l->data)));
      copy = json_node_new (JSON_NODE_OBJECT);
      json_node_set_object (copy, new_object);
      return copy;
    }

  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      g_autoptr(JsonArray) new_array = json_array_sized_new (json_array_get_length (array));

      for (guint i = 0; i < json_array_get_length (array); i++)
        json_array_add_element (new_array, deep_copy (json_array_get_element (array, i)));
      copy = json_node_new (JSON_NODE_ARRAY);
      json_node_set_array (copy, new_array);
      return copy;
    }

  copy = json_node_new (JSON_NODE_TYPE (node));
  if (JSON_NODE_HOLDS_VALUE (node))
    {
      GType type = json_node_get_value_type (node);

      if (type == G_TYPE_INT64)
        json_node_set_int (copy, json_node_get_int (node));
      else if (type == G_TYPE_DOUBLE)
        json_node_set_double (copy, json_node_get_double (node));
      else if (type == G_TYPE_BOOLEAN)
        json_node_set_boolean (copy, json_node_get_boolean (node));
      else
        json_node_set_string (copy, json_node_get_string (node));
    }
  return copy;
}

/* Building. */

static GtkWidget *build_value (VdJsonView *self,
                               JsonNode   *node,
                               const char *path,
                               guint       depth);

static char *
container_summary (JsonNode *node)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      guint n = json_object_get_size (json_node_get_object (node));

      /* Translators: the size of a folded JSON object */
      return g_strdup_printf (ngettext ("%u field", "%u fields", n), n);
    }
  else
    {
      guint n = json_array_get_length (json_node_get_array (node));

      /* Translators: the size of a folded JSON array */
      return g_strdup_printf (ngettext ("%u item", "%u items", n), n);
    }
}

static void
add_row (VdJsonView *self,
         GtkGrid    *grid,
         int         row,
         const char *key,
         JsonNode   *value,
         const char *path,
         guint       depth)
{
  GtkWidget *key_label = gtk_label_new (key);
  GtkWidget *value_widget;

  gtk_label_set_xalign (GTK_LABEL (key_label), 0);
  gtk_label_set_yalign (GTK_LABEL (key_label), 0);
  gtk_label_set_selectable (GTK_LABEL (key_label), TRUE);
  gtk_label_set_wrap (GTK_LABEL (key_label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (key_label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_max_width_chars (GTK_LABEL (key_label), 24);
  gtk_widget_add_css_class (key_label, "json-key");
  gtk_widget_add_css_class (key_label, "dim-label");

  if (JSON_NODE_HOLDS_OBJECT (value) || JSON_NODE_HOLDS_ARRAY (value))
    {
      g_autofree char *summary = container_summary (value);
      GtkWidget *expander = gtk_expander_new (summary);

      /* Every field of the Modify form in sight: nothing edited unseen. */
      gtk_expander_set_expanded (GTK_EXPANDER (expander),
                                 self->editable || depth + 1 < VD_JSON_VIEW_EXPAND_DEPTH);
      gtk_expander_set_child (GTK_EXPANDER (expander),
                              build_value (self, value, path, depth + 1));
      gtk_widget_add_css_class (expander, "json-container");
      value_widget = expander;
    }
  else if (self->editable)
    {
      value_widget = scalar_editor_new (self, value, path);
      gtk_widget_set_valign (key_label, GTK_ALIGN_CENTER);
    }
  else
    {
      value_widget = scalar_view_new (value);
    }

  gtk_grid_attach (grid, key_label, 0, row, 1, 1);
  gtk_grid_attach (grid, value_widget, 1, row, 1, 1);
}

static GtkWidget *
build_container (VdJsonView *self,
                 JsonNode   *node,
                 const char *path,
                 guint       depth)
{
  GtkWidget *grid = gtk_grid_new ();
  guint n_items = 0;
  int row = 0;

  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
  gtk_grid_set_row_spacing (GTK_GRID (grid), self->editable ? 6 : 4);
  gtk_widget_add_css_class (grid, "json-members");

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      g_autoptr(GList) members = json_object_get_members (object);

      n_items = g_list_length (members);
      for (GList *l = members; l != NULL && self->budget > 0; l = l->next, row++)
        {
          g_autofree char *sub = vd_json_path_append (path, l->data);

          self->budget--;
          add_row (self, GTK_GRID (grid), row, l->data,
                   json_object_get_member (object, l->data), sub, depth);
        }
    }
  else
    {
      JsonArray *array = json_node_get_array (node);

      n_items = json_array_get_length (array);
      for (guint i = 0; i < n_items && self->budget > 0; i++, row++)
        {
          g_autofree char *sub = g_strdup_printf ("%s[%u]", path, i);
          g_autofree char *key = g_strdup_printf ("[%u]", i);

          self->budget--;
          add_row (self, GTK_GRID (grid), row, key, json_array_get_element (array, i), sub,
                   depth);
        }
    }

  if (n_items == 0)
    {
      GtkWidget *label = value_label_new (JSON_NODE_HOLDS_OBJECT (node) ? _("(no fields)") :
                                          _("(empty list)"), "json-null");

      gtk_grid_attach (GTK_GRID (grid), label, 0, 0, 2, 1);
    }
  else if ((guint) row < n_items)
    {
      g_autofree char *text = NULL;
      GtkWidget *label;

      /* Translators: at the end of a long JSON value cut short */
      text = g_strdup_printf (ngettext ("%u more value not shown", "%u more values not shown",
                                        n_items - row), n_items - row);
      label = value_label_new (text, "json-null");
      gtk_widget_add_css_class (label, "dim-label");
      gtk_grid_attach (GTK_GRID (grid), label, 0, row, 2, 1);
    }

  return grid;
}

static GtkWidget *
build_value (VdJsonView *self,
             JsonNode   *node,
             const char *path,
             guint       depth)
{
  if (JSON_NODE_HOLDS_OBJECT (node) || JSON_NODE_HOLDS_ARRAY (node))
    return build_container (self, node, path, depth);
  if (self->editable)
    return scalar_editor_new (self, node, path);
  return scalar_view_new (node);
}

static void
vd_json_view_clear_tree (VdJsonView *self)
{
  g_clear_pointer (&self->child, gtk_widget_unparent);
  g_ptr_array_set_size (self->leaves, 0);
  if (self->n_invalid > 0)
    {
      self->n_invalid = 0;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALID]);
    }
}

static void
vd_json_view_rebuild (VdJsonView *self)
{
  vd_json_view_clear_tree (self);
  g_clear_pointer (&self->edited, json_node_unref);

  if (self->node == NULL)
    return;

  self->budget = VD_JSON_VIEW_MAX_VALUES;
  if (self->editable)
    {
      self->edited = deep_copy (self->node);
      self->child = build_value (self, self->edited, "", 0);
    }
  else
    {
      self->child = build_value (self, self->node, "", 0);
    }
  gtk_widget_set_parent (self->child, GTK_WIDGET (self));
}

/* Public API. */

/**
 * vd_json_view_set_node:
 * @self: a JSON view
 * @node: (nullable): the value to show (copied), %NULL for nothing
 *
 * Shows @node; editable, its edits start again from it.
 */
void
vd_json_view_set_node (VdJsonView *self,
                       JsonNode   *node)
{
  g_return_if_fail (VD_IS_JSON_VIEW (self));

  g_clear_pointer (&self->node, json_node_unref);
  if (node != NULL)
    self->node = deep_copy (node);
  vd_json_view_rebuild (self);
}

/**
 * vd_json_view_set_text:
 * @self: a JSON view
 * @text: a JSON text, from a queue or a model
 * @error: why it is not shown
 *
 * Reads @text through the JSON guard (vd-json-guard.h: depth, UTF-8,
 * numbers; at most %VD_JSON_VIEW_MAX_BYTES) and shows it. On error the view shows nothing.
 *
 * Returns: %TRUE when @text was JSON and is shown
 */
gboolean
vd_json_view_set_text (VdJsonView *self,
                       const char *text,
                       GError    **error)
{
  g_autoptr(JsonNode) node = NULL;

  g_return_val_if_fail (VD_IS_JSON_VIEW (self), FALSE);
  g_return_val_if_fail (text != NULL, FALSE);

  node = vd_json_guard_parse (text, strlen (text), VD_JSON_VIEW_MAX_BYTES, error);
  vd_json_view_set_node (self, node);
  return node != NULL;
}

/**
 * vd_json_view_get_node:
 * @self: a JSON view
 *
 * Returns: (nullable) (transfer none): the value set, not the edits
 */
JsonNode *
vd_json_view_get_node (VdJsonView *self)
{
  g_return_val_if_fail (VD_IS_JSON_VIEW (self), NULL);

  return self->node;
}

gboolean
vd_json_view_get_editable (VdJsonView *self)
{
  g_return_val_if_fail (VD_IS_JSON_VIEW (self), FALSE);

  return self->editable;
}

/**
 * vd_json_view_set_editable:
 * @self: a JSON view
 * @editable: whether the leaves are fields
 *
 * Turns the view into the Modify form of its value, or back; either way
 * the edits start again from the value set.
 */
void
vd_json_view_set_editable (VdJsonView *self,
                           gboolean    editable)
{
  g_return_if_fail (VD_IS_JSON_VIEW (self));

  editable = !!editable;
  if (self->editable == editable)
    return;

  self->editable = editable;
  vd_json_view_rebuild (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EDITABLE]);
}

/**
 * vd_json_view_get_valid:
 * @self: a JSON view
 *
 * Returns: %FALSE while a field holds what its type does not accept
 */
gboolean
vd_json_view_get_valid (VdJsonView *self)
{
  g_return_val_if_fail (VD_IS_JSON_VIEW (self), FALSE);

  return self->n_invalid == 0;
}

/**
 * vd_json_view_dup_edited_node:
 * @self: a JSON view
 * @error: which field is not valid, by its path
 *
 * Returns: (transfer full) (nullable): the value with the edits (the value
 *   set when not editable), %NULL with @error while a field is not valid
 *   or when nothing is set
 */
JsonNode *
vd_json_view_dup_edited_node (VdJsonView *self,
                              GError    **error)
{
  g_return_val_if_fail (VD_IS_JSON_VIEW (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (self->node == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("No value to edit"));
      return NULL;
    }

  for (guint i = 0; i < self->leaves->len; i++)
    {
      Leaf *leaf = g_ptr_array_index (self->leaves, i);

      if (!leaf->valid)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       /* Translators: a field's path, then what was typed in it */
                       _("%s: “%s” is not a number"),
                       leaf->path[0] != '\0' ? leaf->path : _("The value"),
                       gtk_editable_get_text (GTK_EDITABLE (leaf->widget)));
          return NULL;
        }
    }

  return deep_copy (self->edited != NULL ? self->edited : self->node);
}

/**
 * vd_json_view_describe_changes:
 * @self: a JSON view
 * @n_changes: (out) (optional): how many values changed
 *
 * Returns: (transfer full): what the edits changed, one line a value
 *   (vd_json_changes_describe()), "" when nothing changed or a field is
 *   not valid
 */
char *
vd_json_view_describe_changes (VdJsonView *self,
                               guint      *n_changes)
{
  g_return_val_if_fail (VD_IS_JSON_VIEW (self), NULL);

  if (n_changes != NULL)
    *n_changes = 0;
  if (self->node == NULL || self->edited == NULL || self->n_invalid > 0)
    return g_strdup ("");

  return vd_json_changes_describe (self->node, self->edited, n_changes);
}

/* GObject. */

static void
vd_json_view_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  VdJsonView *self = VD_JSON_VIEW (object);

  switch (prop_id)
    {
    case PROP_EDITABLE:
      g_value_set_boolean (value, self->editable);
      break;

    case PROP_VALID:
      g_value_set_boolean (value, vd_json_view_get_valid (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vd_json_view_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  VdJsonView *self = VD_JSON_VIEW (object);

  switch (prop_id)
    {
    case PROP_EDITABLE:
      vd_json_view_set_editable (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vd_json_view_dispose (GObject *object)
{
  VdJsonView *self = VD_JSON_VIEW (object);

  /* The widgets first: their handlers point at the leaves. */
  g_clear_pointer (&self->child, gtk_widget_unparent);
  g_clear_pointer (&self->leaves, g_ptr_array_unref);
  g_clear_pointer (&self->edited, json_node_unref);
  g_clear_pointer (&self->node, json_node_unref);

  G_OBJECT_CLASS (vd_json_view_parent_class)->dispose (object);
}

static void
vd_json_view_class_init (VdJsonViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = vd_json_view_get_property;
  object_class->set_property = vd_json_view_set_property;
  object_class->dispose = vd_json_view_dispose;

  /**
   * VdJsonView:editable:
   *
   * Whether the leaves are fields that edit the value, types kept.
   */
  properties[PROP_EDITABLE] =
    g_param_spec_boolean ("editable", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * VdJsonView:valid:
   *
   * %FALSE while a number field holds something else.
   */
  properties[PROP_VALID] =
    g_param_spec_boolean ("valid", NULL, NULL, TRUE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * VdJsonView::changed:
   *
   * A field was edited (valid or not).
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "vdjsonview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
vd_json_view_init (VdJsonView *self)
{
  self->leaves = g_ptr_array_new_with_free_func ((GDestroyNotify) leaf_free);
}

/**
 * vd_json_view_new:
 *
 * Returns: (transfer full): a new, empty, read-only JSON view
 */
GtkWidget *
vd_json_view_new (void)
{
  return g_object_new (VD_TYPE_JSON_VIEW, NULL);
}
