/* vd-item-source.c
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

#define G_LOG_DOMAIN "vd-item-source"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "vd-item-source.h"
#include "vd-source-info.h"

/*
 * The item pane's "Source" card for an item from another tool: the tool,
 * its own ids, the decisions it accepts, and for an item of a group (the
 * actions of one LangGraph interrupt) its place and the other items of the
 * group, read from the store off the UI thread. Activating another item
 * emits "sibling-activated" and asks the window to show it
 * ("win.show-item").
 */

/* The most items of a group that are listed. */
#define MAX_SIBLINGS 200

struct _VdItemSource
{
  GtkWidget     parent_instance;

  VdItem       *item;
  VdStore      *store;
  GPtrArray    *siblings;
  GCancellable *cancellable;

  GtkLabel     *tool_label;
  GtkLabel     *ids_label;
  GtkLabel     *allowed_label;
  GtkLabel     *position_label;
  GtkListBox   *siblings_list;
  GtkLabel     *warning_label;
};

G_DEFINE_FINAL_TYPE (VdItemSource, vd_item_source, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_ITEM,
  PROP_STORE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIBLING_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
set_label (GtkLabel   *label,
           const char *text)
{
  gtk_label_set_text (label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (label), text != NULL && text[0] != '\0');
}

static gboolean
is_shown_item (VdItemSource *self,
               VdItem       *sibling)
{
  return self->item != NULL && vd_item_same_task (self->item, sibling);
}

static void
vd_item_source_update_siblings (VdItemSource *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->siblings_list))) != NULL)
    gtk_list_box_remove (self->siblings_list, child);

  for (guint i = 0; self->siblings != NULL && i < self->siblings->len; i++)
    {
      VdItem *sibling = g_ptr_array_index (self->siblings, i);
      g_autofree char *title = vd_source_info_format_sibling (sibling);
      GtkWidget *row = adw_action_row_new ();
      gboolean shown = is_shown_item (self, sibling);

      /* Titles come from the source: plain text. */
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                   shown ? _("Shown now") : vd_item_get_task_id (sibling));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), !shown);
      if (!shown)
        {
          GtkWidget *arrow = gtk_image_new_from_icon_name ("go-next-symbolic");

          gtk_widget_set_valign (arrow, GTK_ALIGN_CENTER);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), arrow);
        }
      else
        gtk_widget_add_css_class (row, "dim-label");
      g_object_set_data_full (G_OBJECT (row), "vd-item", g_object_ref (sibling), g_object_unref);
      gtk_list_box_append (self->siblings_list, row);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->siblings_list),
                          self->siblings != NULL && self->siblings->len > 0);
}

static void
row_activated_cb (VdItemSource  *self,
                  GtkListBoxRow *row,
                  GtkListBox    *list)
{
  VdItem *sibling = g_object_get_data (G_OBJECT (row), "vd-item");

  if (sibling == NULL || is_shown_item (self, sibling))
    return;

  g_signal_emit (self, signals[SIBLING_ACTIVATED], 0, sibling);

  if (vd_item_get_id (sibling) != 0)
    gtk_widget_activate_action (GTK_WIDGET (self), "win.show-item", "x",
                                vd_item_get_id (sibling));
}

/* The other items of a group, read from the store */

typedef struct
{
  VdStore *store;
  char    *queue;
  char    *group;
} SiblingLoad;

static void
sibling_load_free (SiblingLoad *load)
{
  g_clear_object (&load->store);
  g_free (load->queue);
  g_free (load->group);
  g_free (load);
}

static gint64
group_index (VdItem *item)
{
  gint64 index = G_MAXINT64;

  vd_source_info_get_group (item, NULL, &index, NULL);

  return index;
}

static int
compare_index (gconstpointer a,
               gconstpointer b)
{
  gint64 ia = group_index (*(VdItem **) a);
  gint64 ib = group_index (*(VdItem **) b);

  return ia < ib ? -1 : ia > ib;
}

/* The longest part of the group key (an interrupt id, a thread id) finds
 * the group's items through the store's search index; the key itself then
 * decides which of them belong. */
static char *
search_text_for (const char *group)
{
  g_auto(GStrv) parts = g_strsplit_set (group, "/:", -1);
  const char *longest = group;
  gsize longest_len = 0;

  for (guint i = 0; parts[i] != NULL; i++)
    if (strlen (parts[i]) > longest_len)
      {
        longest = parts[i];
        longest_len = strlen (parts[i]);
      }

  return g_strdup (longest_len > 0 ? longest : group);
}

static void
load_siblings_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  SiblingLoad *load = task_data;
  VdItemQuery query = VD_ITEM_QUERY_INIT;
  g_autofree char *search = search_text_for (load->group);
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GPtrArray) siblings = g_ptr_array_new_with_free_func (g_object_unref);
  GError *error = NULL;

  query.queue = load->queue;
  query.search = search;
  query.limit = MAX_SIBLINGS * 4;

  found = vd_store_list_items (load->store, &query, &error);
  if (found == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  for (guint i = 0; i < found->len && siblings->len < MAX_SIBLINGS; i++)
    {
      VdItem *item = g_ptr_array_index (found, i);
      const char *group = NULL;

      if (vd_source_info_get_group (item, &group, NULL, NULL) &&
          g_strcmp0 (group, load->group) == 0)
        g_ptr_array_add (siblings, g_object_ref (item));
    }

  g_ptr_array_sort (siblings, compare_index);
  g_task_return_pointer (task, g_steal_pointer (&siblings), (GDestroyNotify) g_ptr_array_unref);
}

static void
load_siblings_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  VdItemSource *self = VD_ITEM_SOURCE (object);
  g_autoptr(GPtrArray) siblings = NULL;
  g_autoptr(GError) error = NULL;

  siblings = g_task_propagate_pointer (G_TASK (result), &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (error != NULL)
    {
      g_warning ("Cannot list the items of the group: %s", error->message);
      return;
    }

  /* The store knows of no item of the group (it keeps no source for
   * them): the list stays as it is. */
  if (siblings->len > 0)
    vd_item_source_set_siblings (self, siblings);
}

static void
vd_item_source_load_siblings (VdItemSource *self)
{
  g_autoptr(GTask) task = NULL;
  SiblingLoad *load;
  const char *group = NULL;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  if (self->store == NULL || self->item == NULL ||
      !vd_source_info_get_group (self->item, &group, NULL, NULL))
    return;

  self->cancellable = g_cancellable_new ();
  load = g_new0 (SiblingLoad, 1);
  load->store = g_object_ref (self->store);
  load->queue = g_strdup (vd_item_get_queue (self->item));
  load->group = g_strdup (group);

  task = g_task_new (self, self->cancellable, load_siblings_cb, NULL);
  g_task_set_source_tag (task, vd_item_source_load_siblings);
  g_task_set_task_data (task, load, (GDestroyNotify) sibling_load_free);
  g_task_set_return_on_cancel (task, TRUE);
  g_task_run_in_thread (task, load_siblings_thread);
}

static void
vd_item_source_update (VdItemSource *self)
{
  JsonObject *source = self->item != NULL ? vd_item_get_source (self->item) : NULL;
  g_autofree char *tool = NULL;
  g_autofree char *ids = NULL;
  g_autofree char *position = NULL;
  g_autofree char *allowed = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self), source != NULL);
  g_clear_pointer (&self->siblings, g_ptr_array_unref);

  if (source == NULL)
    {
      set_label (self->tool_label, NULL);
      set_label (self->ids_label, NULL);
      set_label (self->position_label, NULL);
      set_label (self->allowed_label, NULL);
      set_label (self->warning_label, NULL);
      vd_item_source_update_siblings (self);
      return;
    }

  /* Translators: where an item came from, e.g. "From LangGraph" */
  tool = g_strdup_printf (_("From %s"), vd_source_info_tool_name (self->item) != NULL
                          ? vd_source_info_tool_name (self->item)
                          : vd_item_get_source_format (self->item));
  ids = vd_source_info_format_ids (self->item);
  position = vd_source_info_format_position (self->item);
  allowed = vd_source_info_format_allowed (self->item);

  set_label (self->tool_label, tool);
  set_label (self->ids_label, ids);
  set_label (self->position_label, position);
  set_label (self->allowed_label, allowed);
  set_label (self->warning_label, vd_source_info_reject_drops_group (self->item)
                                  ? vd_source_info_reject_drops_note () : NULL);

  vd_item_source_update_siblings (self);
  vd_item_source_load_siblings (self);
}

static void
vd_item_source_dispose (GObject *object)
{
  VdItemSource *self = (VdItemSource *)object;
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), VD_TYPE_ITEM_SOURCE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->item);
  g_clear_object (&self->store);
  g_clear_pointer (&self->siblings, g_ptr_array_unref);

  G_OBJECT_CLASS (vd_item_source_parent_class)->dispose (object);
}

static void
vd_item_source_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  VdItemSource *self = VD_ITEM_SOURCE (object);

  switch (prop_id)
    {
    case PROP_ITEM:
      g_value_set_object (value, self->item);
      break;

    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vd_item_source_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  VdItemSource *self = VD_ITEM_SOURCE (object);

  switch (prop_id)
    {
    case PROP_ITEM:
      vd_item_source_set_item (self, g_value_get_object (value));
      break;

    case PROP_STORE:
      vd_item_source_set_store (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vd_item_source_class_init (VdItemSourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vd_item_source_dispose;
  object_class->get_property = vd_item_source_get_property;
  object_class->set_property = vd_item_source_set_property;

  /**
   * VdItemSource:item:
   *
   * The item whose source is shown; the widget hides itself for an item
   * of a Verdict queue.
   */
  properties[PROP_ITEM] =
    g_param_spec_object ("item", NULL, NULL,
                         VD_TYPE_ITEM,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * VdItemSource:store:
   *
   * Where the other items of the item's group are read from.
   */
  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         VD_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * VdItemSource::sibling-activated:
   * @self: a #VdItemSource
   * @sibling: the other item of the group the reviewer chose
   */
  signals[SIBLING_ACTIVATED] =
    g_signal_new ("sibling-activated",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, VD_TYPE_ITEM);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/verdict/Verdict/vd-item-source.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, VdItemSource, tool_label);
  gtk_widget_class_bind_template_child (widget_class, VdItemSource, ids_label);
  gtk_widget_class_bind_template_child (widget_class, VdItemSource, allowed_label);
  gtk_widget_class_bind_template_child (widget_class, VdItemSource, position_label);
  gtk_widget_class_bind_template_child (widget_class, VdItemSource, siblings_list);
  gtk_widget_class_bind_template_child (widget_class, VdItemSource, warning_label);
}

static void
vd_item_source_init (VdItemSource *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect_object (self->siblings_list, "row-activated",
                           G_CALLBACK (row_activated_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}

GtkWidget *
vd_item_source_new (void)
{
  return g_object_new (VD_TYPE_ITEM_SOURCE, NULL);
}

/**
 * vd_item_source_get_item:
 * @self: a #VdItemSource
 *
 * Returns: (transfer none) (nullable): the item shown
 */
VdItem *
vd_item_source_get_item (VdItemSource *self)
{
  g_return_val_if_fail (VD_IS_ITEM_SOURCE (self), NULL);

  return self->item;
}

/**
 * vd_item_source_set_item:
 * @self: a #VdItemSource
 * @item: (nullable): the item to show
 *
 * Shows @item's source; for an item of a group, lists the other items of
 * the group once the store has them.
 */
void
vd_item_source_set_item (VdItemSource *self,
                         VdItem       *item)
{
  g_return_if_fail (VD_IS_ITEM_SOURCE (self));
  g_return_if_fail (item == NULL || VD_IS_ITEM (item));

  if (!g_set_object (&self->item, item))
    return;

  vd_item_source_update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ITEM]);
}

/**
 * vd_item_source_get_store:
 * @self: a #VdItemSource
 *
 * Returns: (transfer none) (nullable): the store the group is read from
 */
VdStore *
vd_item_source_get_store (VdItemSource *self)
{
  g_return_val_if_fail (VD_IS_ITEM_SOURCE (self), NULL);

  return self->store;
}

/**
 * vd_item_source_set_store:
 * @self: a #VdItemSource
 * @store: (nullable): the store
 */
void
vd_item_source_set_store (VdItemSource *self,
                          VdStore      *store)
{
  g_return_if_fail (VD_IS_ITEM_SOURCE (self));
  g_return_if_fail (store == NULL || VD_IS_STORE (store));

  if (!g_set_object (&self->store, store))
    return;

  vd_item_source_load_siblings (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}

/**
 * vd_item_source_set_siblings:
 * @self: a #VdItemSource
 * @siblings: (nullable) (element-type VdItem): the items of the shown
 *   item's group, in the group's order, the shown item among them
 *
 * Lists the items of the group. Set by the widget itself when it has a
 * store; setting the item again clears the list.
 */
void
vd_item_source_set_siblings (VdItemSource *self,
                             GPtrArray    *siblings)
{
  g_return_if_fail (VD_IS_ITEM_SOURCE (self));

  g_clear_pointer (&self->siblings, g_ptr_array_unref);
  if (siblings != NULL)
    self->siblings = g_ptr_array_ref (siblings);

  vd_item_source_update_siblings (self);
}

/**
 * vd_item_source_get_n_siblings:
 * @self: a #VdItemSource
 *
 * Returns: how many items of the group are listed, the shown one included
 */
guint
vd_item_source_get_n_siblings (VdItemSource *self)
{
  g_return_val_if_fail (VD_IS_ITEM_SOURCE (self), 0);

  return self->siblings != NULL ? self->siblings->len : 0;
}

/**
 * vd_item_source_get_text:
 * @self: a #VdItemSource
 * @part: "tool", "ids", "allowed", "position" or "warning"
 *
 * Returns: (nullable): the text shown for @part, NULL when it is hidden
 */
const char *
vd_item_source_get_text (VdItemSource *self,
                         const char   *part)
{
  GtkLabel *label = NULL;

  g_return_val_if_fail (VD_IS_ITEM_SOURCE (self), NULL);
  g_return_val_if_fail (part != NULL, NULL);

  if (g_str_equal (part, "tool"))
    label = self->tool_label;
  else if (g_str_equal (part, "ids"))
    label = self->ids_label;
  else if (g_str_equal (part, "allowed"))
    label = self->allowed_label;
  else if (g_str_equal (part, "position"))
    label = self->position_label;
  else if (g_str_equal (part, "warning"))
    label = self->warning_label;
  else
    g_return_val_if_reached (NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (label)))
    return NULL;

  return gtk_label_get_text (label);
}
