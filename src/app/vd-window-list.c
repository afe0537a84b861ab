/* vd-window-list.c
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

/* The queue pane: the lazy list of items, its filters and counts, and the
 * selected item shown in the detail pane. */

#define G_LOG_DOMAIN "vd-window"

#include "config.h"

#include <glib/gi18n.h>

#include "vd-item-row.h"
#include "vd-timing.h"
#include "vd-window-private.h"

static const char * const status_filter_names[] = {
  [VD_STATUS_FILTER_PENDING] = "pending",
  [VD_STATUS_FILTER_ESCALATED] = "escalated",
  [VD_STATUS_FILTER_DECIDED] = "decided",
  [VD_STATUS_FILTER_ALL] = "all",
};

#define STATUS_MASK_PENDING (VD_STATUS_MASK (VD_TASK_STATUS_PENDING) | \
                             VD_STATUS_MASK (VD_TASK_STATUS_IN_REVIEW))

VdStatusFilter
_vd_window_get_status_filter (VdWindow *self)
{
  return MIN (gtk_drop_down_get_selected (self->status_dropdown), VD_STATUS_FILTER_ALL);
}

void
_vd_window_set_status_filter (VdWindow       *self,
                              VdStatusFilter  filter)
{
  gtk_drop_down_set_selected (self->status_dropdown, filter);
}

/* The queue chosen in the queue selector, NULL for all queues. */
const char *
_vd_window_get_queue (VdWindow *self)
{
  GListModel *queues = gtk_drop_down_get_model (self->queue_dropdown);
  guint selected = gtk_drop_down_get_selected (self->queue_dropdown);

  /* The first entry is "All Queues". */
  if (queues == NULL || selected == 0 || selected == GTK_INVALID_LIST_POSITION)
    return NULL;

  return gtk_string_list_get_string (GTK_STRING_LIST (queues), selected);
}

static guint
status_filter_to_mask (VdStatusFilter filter)
{
  switch (filter)
    {
    case VD_STATUS_FILTER_PENDING:
      return STATUS_MASK_PENDING;

    case VD_STATUS_FILTER_ESCALATED:
      return VD_STATUS_MASK (VD_TASK_STATUS_ESCALATED);

    case VD_STATUS_FILTER_DECIDED:
      return VD_STATUS_MASK_DECIDED;

    case VD_STATUS_FILTER_ALL:
    default:
      return 0;
    }
}

/* Dropdown labels: ellipsized in the button, whole in the popover. */
static void
label_setup_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *list_item,
                gpointer                  user_data)
{
  gboolean ellipsize = GPOINTER_TO_INT (user_data);
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  if (ellipsize)
    {
      /* The queue pane stays narrow whatever the longest choice. */
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_label_set_width_chars (GTK_LABEL (label), 4);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 10);
    }
  gtk_list_item_set_child (list_item, label);
}

static void
label_bind_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               gpointer                  user_data)
{
  GtkStringObject *string = gtk_list_item_get_item (list_item);

  /* Queue names come from queue files: plain text. */
  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (list_item)),
                      gtk_string_object_get_string (string));
}

static GtkListItemFactory *
label_factory_new (gboolean ellipsize)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (label_setup_cb), GINT_TO_POINTER (ellipsize));
  g_signal_connect (factory, "bind", G_CALLBACK (label_bind_cb), NULL);

  return factory;
}

static void
setup_dropdown (GtkDropDown *dropdown,
                GListModel  *model)
{
  g_autoptr(GtkListItemFactory) factory = label_factory_new (TRUE);
  g_autoptr(GtkListItemFactory) list_factory = label_factory_new (FALSE);

  gtk_drop_down_set_factory (dropdown, factory);
  gtk_drop_down_set_list_factory (dropdown, list_factory);
  gtk_drop_down_set_model (dropdown, model);
}

/* List rows. */
static void
row_setup_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              VdWindow                 *self)
{
  GtkWidget *row = vd_item_row_new ();

  g_object_bind_property (self->session, "policy", row, "policy", G_BINDING_SYNC_CREATE);
  gtk_list_item_set_child (list_item, row);
}

static void
row_bind_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *list_item,
             VdWindow                 *self)
{
  vd_item_row_set_item (VD_ITEM_ROW (gtk_list_item_get_child (list_item)),
                        gtk_list_item_get_item (list_item));
  _vd_window_claims_bind_row (self, VD_ITEM_ROW (gtk_list_item_get_child (list_item)));
}

static void
row_unbind_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               VdWindow                 *self)
{
  _vd_window_claims_unbind_row (self, VD_ITEM_ROW (gtk_list_item_get_child (list_item)));
  vd_item_row_set_item (VD_ITEM_ROW (gtk_list_item_get_child (list_item)), NULL);
}

static gboolean
item_is_materialised (VdWindow *self,
                      VdItem   *item)
{
  return self->items != NULL && vd_item_list_model_is_materialised (self->items, item);
}

VdItem *
_vd_window_get_current_item (VdWindow *self)
{
  /* Only an item shown with its fields can be decided. */
  if (self->current != NULL && self->current == self->shown)
    return self->shown;

  return NULL;
}

/* The counts and the queue names wait until the first item is on screen:
 * the store answers one query at a time. */
static void
vd_window_run_deferred_counts (VdWindow *self)
{
  if (self->counts != NULL)
    vd_queue_counts_set_held (self->counts, FALSE);
}

/* What waited for the first screen: the counts, the queue names (and the
 * forecast after them), the deadline fallbacks and checks. */
static gboolean
deferred_idle_cb (gpointer user_data)
{
  VdWindow *self = user_data;

  self->deferred_idle = 0;
  g_debug ("Starting the work deferred until the first screen");
  if (self->items != NULL)
    vd_item_list_model_set_rest_held (self->items, FALSE);
  vd_window_run_deferred_counts (self);
  vd_session_release_background (self->session);

  return G_SOURCE_REMOVE;
}

static void
vd_window_schedule_deferred (VdWindow *self)
{
  if (self->deferred_idle == 0)
    self->deferred_idle = g_idle_add (deferred_idle_cb, self);
}

static void
vd_window_stop_first_paint (VdWindow *self)
{
  /* A clock disposed with its surface has dropped its handlers already. */
  if (self->first_paint_handler != 0 &&
      g_signal_handler_is_connected (self->first_paint_clock, self->first_paint_handler))
    g_signal_handler_disconnect (self->first_paint_clock, self->first_paint_handler);
  self->first_paint_handler = 0;
  g_clear_object (&self->first_paint_clock);
}

static void
first_paint_cb (GdkFrameClock *clock,
                VdWindow      *self)
{
  vd_window_stop_first_paint (self);

  /* For start-up measurements: see vd-timing.h. */
  vd_timing_mark ("first-item-drawn");
  g_debug ("First item drawn");

  vd_window_schedule_deferred (self);
}

/* The first item is shown (@has_item), or the first screen has none: once
 * it is drawn, the rest of the start-up work runs. Later items only let
 * the counts of a store opened since run. */
static void
vd_window_first_screen (VdWindow *self,
                        gboolean  has_item)
{
  GdkFrameClock *clock;

  if (self->first_screen)
    {
      if (self->deferred_idle == 0 && self->first_paint_handler == 0)
        vd_window_run_deferred_counts (self);
      return;
    }

  self->first_screen = TRUE;
  vd_timing_mark ("first-screen");
  /* For start-up measurements (G_MESSAGES_DEBUG=vd-window). */
  g_debug ("First screen: %s", has_item ? "an item" : "no item");

  clock = gtk_widget_get_frame_clock (GTK_WIDGET (self->list_view));
  if (clock == NULL)
    {
      vd_window_schedule_deferred (self);
      return;
    }

  self->first_paint_clock = g_object_ref (clock);
  self->first_paint_handler = g_signal_connect (clock, "after-paint",
                                                G_CALLBACK (first_paint_cb), self);
  gtk_widget_queue_draw (GTK_WIDGET (self->list_view));
}

/* The header of the item pane says where the reviewer is in the queue;
 * the item's own header is in the detail pane. */
static void
vd_window_update_position (VdWindow *self)
{
  g_autofree char *title = NULL;
  guint selected = _vd_window_get_selected (self);
  guint n_items = self->items != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->items)) : 0;

  if (self->shown != NULL && selected != GTK_INVALID_LIST_POSITION && selected < n_items)
    /* Translators: the position in the queue, e.g. "Item 3 of 43" */
    title = g_strdup_printf (_("Item %u of %u"), selected + 1, n_items);

  adw_window_title_set_title (self->content_title, title != NULL ? title : "");
  adw_window_title_set_subtitle (self->content_title,
                                 self->shown != NULL ? vd_item_get_task_id (self->shown) : "");
}

static void
vd_window_show_item (VdWindow *self,
                     VdItem   *item)
{
  gint64 old_id = self->shown != NULL ? vd_item_get_id (self->shown) : 0;

  if (item == NULL)
    {
      g_clear_object (&self->shown);
      g_object_set (self->detail, "item", NULL, NULL);
      vd_window_update_position (self);
      gtk_stack_set_visible_child_name (self->content_stack, "none");
      _vd_window_update_actions (self);
      return;
    }

  g_set_object (&self->shown, item);

  /* The time to decide counts from when the reviewer first saw the item. */
  if (vd_item_get_id (item) != old_id)
    self->shown_at = g_get_monotonic_time ();

  g_object_set (self->detail, "item", item, NULL);
  vd_window_update_position (self);

  vd_window_first_screen (self, TRUE);
  gtk_stack_set_visible_child_name (self->content_stack, "detail");
  _vd_window_update_actions (self);
}

static gboolean
current_idle_cb (gpointer user_data)
{
  VdWindow *self = user_data;

  self->current_idle = 0;

  if (self->current == NULL)
    return G_SOURCE_REMOVE;

  if (self->current != self->shown && item_is_materialised (self, self->current))
    vd_window_show_item (self, self->current);
  else
    /* The shown item changed (its status after a decision, say). */
    _vd_window_update_actions (self);

  return G_SOURCE_REMOVE;
}

static void
current_notify_cb (VdWindow   *self,
                   GParamSpec *pspec,
                   VdItem     *item)
{
  /* A fetch fills many properties at once: look once they are all set,
   * before the next frame. */
  if (self->current_idle == 0)
    self->current_idle = g_idle_add_full (G_PRIORITY_HIGH_IDLE, current_idle_cb, self, NULL);
}

static void
vd_window_set_current (VdWindow *self,
                       VdItem   *item)
{
  if (self->current == item)
    return;

  if (self->current != NULL)
    g_signal_handlers_disconnect_by_func (self->current, current_notify_cb, self);
  g_clear_handle_id (&self->current_idle, g_source_remove);
  g_set_object (&self->current, item);

  if (item == NULL)
    {
      /* While the model reloads, the item stays in view. */
      if (self->reloading)
        _vd_window_update_actions (self);
      else
        vd_window_show_item (self, NULL);
      return;
    }

  g_signal_connect_object (item, "notify", G_CALLBACK (current_notify_cb), self,
                           G_CONNECT_SWAPPED);

  if (item_is_materialised (self, item))
    {
      vd_window_show_item (self, item);
      return;
    }

  /* A placeholder: its fields are being fetched (after a reload, the same
   * item stays in view meanwhile). */
  if (self->shown == NULL || vd_item_get_id (self->shown) != vd_item_get_id (item))
    gtk_stack_set_visible_child_name (self->content_stack, "loading");
  _vd_window_update_actions (self);
}

static void
selected_item_changed_cb (VdWindow           *self,
                          GParamSpec         *pspec,
                          GtkSingleSelection *selection)
{
  vd_window_set_current (self, gtk_single_selection_get_selected_item (selection));
}

guint
_vd_window_get_selected (VdWindow *self)
{
  if (self->selection == NULL)
    return GTK_INVALID_LIST_POSITION;

  return gtk_single_selection_get_selected (self->selection);
}

static gboolean
focus_is_in (VdWindow  *self,
             GtkWidget *ancestor)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

  return focus != NULL && (focus == ancestor || gtk_widget_is_ancestor (focus, ancestor));
}

/* Frames to wait at most for the rows to exist. */
#define FOCUS_TRIES 30

/* The row widget of the selected item, once the list view made it. */
static GtkWidget *
vd_window_find_selected_row (VdWindow *self)
{
  VdItem *selected;
  gint64 id;

  if (self->selection == NULL ||
      (selected = gtk_single_selection_get_selected_item (self->selection)) == NULL)
    return NULL;

  id = vd_item_get_id (selected);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->list_view));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *row = gtk_widget_get_first_child (child);
      VdItem *item;

      if (row == NULL || !VD_IS_ITEM_ROW (row) || !gtk_widget_get_mapped (child))
        continue;

      item = vd_item_row_get_item (VD_ITEM_ROW (row));
      if (item != NULL && vd_item_get_id (item) == id)
        return child;
    }

  return NULL;
}

/* The keyboard focus on the selected row itself: GtkListView would focus
 * the row it last focused, and its arrow keys would go on from there, not
 * from the item shown. */
static gboolean
vd_window_grab_list_focus (VdWindow *self)
{
  GtkWidget *row = vd_window_find_selected_row (self);

  if (row != NULL)
    return gtk_widget_grab_focus (row);

  /* No row yet: only an empty list may take the focus itself. */
  if (_vd_window_get_selected (self) != GTK_INVALID_LIST_POSITION)
    return FALSE;

  return gtk_widget_grab_focus (GTK_WIDGET (self->list_view));
}

static gboolean
focus_list_tick_cb (GtkWidget     *widget,
                    GdkFrameClock *frame_clock,
                    gpointer       user_data)
{
  VdWindow *self = VD_WINDOW (widget);
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));
  gboolean wanted;

  /* The reviewer may have moved on meanwhile (typing a search, say). */
  wanted = focus == NULL ||
           focus_is_in (self, GTK_WIDGET (self->list_view)) ||
           (self->focus_force && !GTK_IS_EDITABLE (focus) && !GTK_IS_TEXT_VIEW (focus));

  if (wanted && !vd_window_grab_list_focus (self) && ++self->focus_tries < FOCUS_TRIES)
    return G_SOURCE_CONTINUE;

  /* Never left without a focus for want of rows. */
  if (wanted && gtk_root_get_focus (GTK_ROOT (self)) == NULL)
    gtk_widget_grab_focus (GTK_WIDGET (self->list_view));

  self->focus_tick = 0;
  self->focus_force = FALSE;
  self->focus_tries = 0;

  return G_SOURCE_REMOVE;
}

/* The rows exist after a layout: move the keyboard focus in a frame. */
static void
vd_window_focus_list_later (VdWindow *self)
{
  self->focus_tries = 0;
  if (self->focus_tick == 0)
    self->focus_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self),
                                                     focus_list_tick_cb, NULL, NULL);
}

/* Selects @position, scrolls to it and moves the list's keyboard cursor
 * there, so that arrow keys go on from the item shown. */
void
_vd_window_select_position (VdWindow *self,
                            guint     position)
{
  guint n_items;

  if (self->selection == NULL)
    return;

  n_items = g_list_model_get_n_items (G_LIST_MODEL (self->selection));
  if (position >= n_items)
    return;

  gtk_single_selection_set_selected (self->selection, position);
  gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", position);

  /* At once when the row exists, so that a key right after goes on from
   * it; else once the rows exist. */
  if (focus_is_in (self, GTK_WIDGET (self->list_view)) && !vd_window_grab_list_focus (self))
    vd_window_focus_list_later (self);
}

/* Back to the list from a text field or the item pane: the keyboard focus
 * on the selected row, where j, k and the arrows go on from. */
void
_vd_window_focus_list (VdWindow *self)
{
  guint selected = _vd_window_get_selected (self);

  if (adw_leaflet_get_folded (self->leaflet))
    adw_leaflet_set_visible_child (self->leaflet, self->sidebar);

  if (selected != GTK_INVALID_LIST_POSITION)
    gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u",
                                selected);

  if (!vd_window_grab_list_focus (self))
    {
      /* Keys reach the window meanwhile, not the field left. */
      gtk_root_set_focus (GTK_ROOT (self), NULL);
      self->focus_force = TRUE;
      vd_window_focus_list_later (self);
    }
}

/* Rows leave the list under the keyboard focus when the model changes;
 * GTK would then hand the focus to the next focusable widget, a selectable
 * label of the detail pane that selects its text. Keep the focus on the
 * window meanwhile and bring it back to the list once the rows exist. */
gboolean
_vd_window_park_list_focus (VdWindow *self,
                            gboolean  until_loaded)
{
  if (!focus_is_in (self, GTK_WIDGET (self->list_view)))
    return FALSE;

  /* Keys still reach the window's shortcuts meanwhile. */
  gtk_root_set_focus (GTK_ROOT (self), NULL);

  /* After a reload the rows come with the "loaded" signal. */
  if (until_loaded)
    self->focus_after_load = TRUE;
  else
    vd_window_focus_list_later (self);

  return TRUE;
}

gboolean
_vd_window_decided_leaves_view (VdWindow       *self,
                                VdDecisionKind  kind)
{
  switch (_vd_window_get_status_filter (self))
    {
    case VD_STATUS_FILTER_PENDING:
      return TRUE;

    case VD_STATUS_FILTER_ESCALATED:
      return kind != VD_DECISION_KIND_ESCALATE_FURTHER;

    case VD_STATUS_FILTER_DECIDED:
    case VD_STATUS_FILTER_ALL:
    default:
      return FALSE;
    }
}

/* Whether the list shows a part of its status only. */
static gboolean
vd_window_has_narrowing_filter (VdWindow *self)
{
  const VdItemQuery *query = vd_item_list_model_get_query (self->items);

  return query->search != NULL || query->reason >= 0 || query->queue != NULL;
}

void
_vd_window_update_pages (VdWindow *self)
{
  VdStatusFilter status_filter = _vd_window_get_status_filter (self);
  gboolean counts_known;
  guint n_items;

  if (vd_session_get_store (self->session) == NULL || self->items == NULL)
    return;

  n_items = g_list_model_get_n_items (G_LIST_MODEL (self->items));
  counts_known = vd_queue_counts_get_known (self->counts);

  /* An empty database offers the sample queue; anything else is reviewed. */
  if (n_items > 0 || (counts_known && vd_queue_counts_get_store_total (self->counts) > 0))
    gtk_stack_set_visible_child_name (self->main_stack, "review");
  else if (counts_known && !vd_item_list_model_get_loading (self->items))
    gtk_stack_set_visible_child_name (self->main_stack, "empty");

  if (n_items > 0)
    gtk_stack_set_visible_child_name (self->list_stack, "list");
  else if ((vd_item_list_model_get_loading (self->items) && !self->query_set) ||
           vd_session_get_disconnected (self->session))
    /* Not read (the team server is out of reach): nothing is "done". */
    gtk_stack_set_visible_child_name (self->list_stack, "loading");
  else if (vd_window_has_narrowing_filter (self) ||
           status_filter == VD_STATUS_FILTER_DECIDED ||
           status_filter == VD_STATUS_FILTER_ALL)
    gtk_stack_set_visible_child_name (self->list_stack, "no-results");
  else
    {
      if (status_filter == VD_STATUS_FILTER_ESCALATED)
        adw_status_page_set_description (self->done_page,
                                         _("No item waits for a senior reviewer."));
      else
        adw_status_page_set_description (self->done_page,
                                         _("Every item in the queue has been decided. "
                                           "Export the decisions for your agents."));
      gtk_stack_set_visible_child_name (self->list_stack, "done");
    }
}

/* GtkSingleSelection looks for its selected item among every item of a
 * changed range: with a million rows that would create them all. Unselect
 * before the model changes wholesale, keep the item shown meanwhile, and
 * select it again by id when the model has loaded. */
static void
vd_window_begin_reload (VdWindow *self)
{
  if (self->selection == NULL)
    return;

  if (self->shown != NULL && self->select_after_load == 0)
    self->select_after_load = vd_item_get_id (self->shown);

  _vd_window_park_list_focus (self, TRUE);
  self->reloading = TRUE;
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
}

void
_vd_window_reload_items (VdWindow *self)
{
  if (self->items == NULL)
    return;

  vd_window_begin_reload (self);
  vd_item_list_model_reload (self->items);
}

static VdSortOrder
vd_window_get_sort (VdWindow *self)
{
  g_autoptr(GVariant) state = g_action_group_get_action_state (G_ACTION_GROUP (self),
                                                                "sort-order");
  VdSortOrder sort = VD_SORT_ORDER_CONFIDENCE;

  if (state != NULL)
    vd_sort_order_from_string (g_variant_get_string (state, NULL), &sort);

  return sort;
}

static gboolean
query_equal (const VdItemQuery *a,
             const VdItemQuery *b)
{
  return a->statuses == b->statuses &&
         g_strcmp0 (a->queue, b->queue) == 0 &&
         a->reason == b->reason &&
         g_strcmp0 (a->search, b->search) == 0 &&
         a->sort == b->sort;
}

/* Shows what the filters of the queue pane ask for: the status, queue and
 * reason dropdowns, the search entry and the sort order. Unless @force,
 * nothing is done when the list already shows that.
 *
 * Returns: whether the list is loaded again */
static gboolean
vd_window_apply_query (VdWindow *self,
                       gboolean  force)
{
  VdItemQuery query = VD_ITEM_QUERY_INIT;
  g_autofree char *search = NULL;
  guint reason = gtk_drop_down_get_selected (self->reason_dropdown);

  if (self->items == NULL)
    return FALSE;

  search = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->search_entry))));
  if (search[0] == '\0')
    g_clear_pointer (&search, g_free);

  query.statuses = status_filter_to_mask (_vd_window_get_status_filter (self));
  query.queue = _vd_window_get_queue (self);
  /* The first reason is "Any Reason", then the reasons in order. */
  query.reason = (reason == 0 || reason == GTK_INVALID_LIST_POSITION) ? -1 : (int) reason;
  query.search = search;
  query.sort = vd_window_get_sort (self);

  if (!force && query_equal (&query, vd_item_list_model_get_query (self->items)))
    return FALSE;

  vd_window_begin_reload (self);
  vd_item_list_model_set_query (self->items, &query);
  _vd_window_update_pages (self);

  return TRUE;
}

/* At start, the keyboard is ready to decide the first item. */
static void
vd_window_focus_after_load (VdWindow *self,
                            guint     n_items)
{
  GtkWidget *focus;

  if (!self->focus_after_load || n_items == 0)
    return;

  focus = gtk_root_get_focus (GTK_ROOT (self));
  self->focus_after_load = FALSE;
  if (focus == NULL || !(GTK_IS_EDITABLE (focus) || GTK_IS_TEXT_VIEW (focus)))
    {
      self->focus_force = TRUE;
      vd_window_focus_list_later (self);
    }
}

static void
items_loaded_cb (VdWindow        *self,
                 VdItemListModel *items)
{
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (items));
  guint position = GTK_INVALID_LIST_POSITION;

  /* A list not read because the team server went away. */
  vd_session_report_error (self->session, vd_item_list_model_get_error (items));

  self->query_set = TRUE;
  self->reloading = FALSE;

  if (self->select_after_load != 0)
    {
      position = vd_item_list_model_find (items, self->select_after_load);
      self->select_after_load = 0;
    }

  if (position == GTK_INVALID_LIST_POSITION)
    position = _vd_window_get_selected (self);

  if (position == GTK_INVALID_LIST_POSITION && n_items > 0)
    position = 0;

  if (position != GTK_INVALID_LIST_POSITION)
    {
      /* Selected with the first page already: the list stays where the
       * reviewer has scrolled it since. */
      if (position != _vd_window_get_selected (self))
        _vd_window_select_position (self, position);
    }
  else
    vd_window_show_item (self, NULL);

  vd_window_focus_after_load (self, n_items);

  /* Nothing to show: the counts say whether the database is empty. */
  if (n_items == 0)
    vd_window_first_screen (self, FALSE);

  _vd_window_update_pages (self);
  _vd_window_update_actions (self);
}

static void
items_changed_cb (VdWindow   *self,
                  GParamSpec *pspec,
                  GObject    *items)
{
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (items));

  /* The first page of the first query, the rest still loading: the first
   * item is shown at once. */
  if (!self->query_set && n_items > 0 &&
      vd_item_list_model_get_loading (self->items) &&
      _vd_window_get_selected (self) == GTK_INVALID_LIST_POSITION &&
      self->select_after_load == 0)
    {
      self->reloading = FALSE;
      _vd_window_select_position (self, 0);
      vd_window_focus_after_load (self, n_items);
    }

  vd_window_update_position (self);
  _vd_window_update_pages (self);
  _vd_window_update_actions (self);
}

static void queue_selected_cb (VdWindow    *self,
                               GParamSpec  *pspec,
                               GtkDropDown *dropdown);

/* Counts: the whole database (for the empty page), then the queue shown. */
void
_vd_window_set_counts_label (VdWindow *self)
{
  g_autofree char *text = NULL;
  guint64 total, pending;

  if (self->counts == NULL || !vd_queue_counts_get_known (self->counts))
    {
      gtk_label_set_text (self->counts_label, "");
      return;
    }

  total = vd_queue_counts_get_total (self->counts);
  pending = vd_queue_counts_get_pending (self->counts);
  /* Translators: the counts in the queue pane, e.g. "37 pending of 120" */
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%u pending of %u",
                                       "%u pending of %u",
                                       (gulong) total),
                          (guint) pending, (guint) total);
  gtk_label_set_text (self->counts_label, text);
}

static void
counted_cb (VdWindow      *self,
            VdQueueCounts *counts)
{
  if (_vd_window_is_disposed (self) || counts != self->counts)
    return;

  _vd_window_set_counts_label (self);
  _vd_window_update_pages (self);
  /* The store is free again: the forecast of the same queue. */
  _vd_window_show_forecast (self);
}

void
_vd_window_refresh_counts (VdWindow *self)
{
  if (self->counts != NULL)
    vd_queue_counts_refresh (self->counts, _vd_window_get_queue (self));
  _vd_window_refresh_claims (self);
}

/* The queue selector: "All Queues", then the queues of the database. */
static void
queues_changed_cb (VdWindow      *self,
                   GParamSpec    *pspec,
                   VdQueueCounts *counts)
{
  const char * const *queues = vd_queue_counts_get_queues (counts);
  GtkStringList *list = GTK_STRING_LIST (gtk_drop_down_get_model (self->queue_dropdown));
  g_autofree char *current = g_strdup (_vd_window_get_queue (self));
  guint n_old, selected = 0;

  if (_vd_window_is_disposed (self) || counts != self->counts || queues == NULL)
    return;

  for (guint i = 0; queues[i] != NULL; i++)
    if (g_strcmp0 (queues[i], current) == 0)
      selected = i + 1;

  /* Keep "All Queues" (the first entry); replace the rest. */
  g_signal_handlers_block_by_func (self->queue_dropdown, queue_selected_cb, self);
  n_old = g_list_model_get_n_items (G_LIST_MODEL (list));
  gtk_string_list_splice (list, 1, n_old - 1, queues);
  gtk_drop_down_set_selected (self->queue_dropdown, selected);
  g_signal_handlers_unblock_by_func (self->queue_dropdown, queue_selected_cb, self);

  /* The queue chosen is gone (another database): show all of them. */
  if (selected == 0 && current != NULL)
    {
      vd_window_apply_query (self, FALSE);
      _vd_window_refresh_counts (self);
    }
}

void
_vd_window_refresh_queues (VdWindow *self)
{
  if (self->counts != NULL)
    vd_queue_counts_refresh_queues (self->counts);
}

static void
queue_selected_cb (VdWindow    *self,
                   GParamSpec  *pspec,
                   GtkDropDown *dropdown)
{
  if (vd_window_apply_query (self, FALSE))
    _vd_window_refresh_counts (self);
}

/* The status and reason filters, the search (debounced by the entry) and
 * the sort order: the list follows. */
static void
filter_changed_cb (VdWindow *self)
{
  vd_window_apply_query (self, FALSE);
}

static gboolean
status_get_mapping (GValue   *value,
                    GVariant *variant,
                    gpointer  user_data)
{
  const char *name = g_variant_get_string (variant, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (status_filter_names); i++)
    {
      if (g_strcmp0 (name, status_filter_names[i]) == 0)
        {
          g_value_set_uint (value, i);
          return TRUE;
        }
    }

  return FALSE;
}

static GVariant *
status_set_mapping (const GValue       *value,
                    const GVariantType *expected_type,
                    gpointer            user_data)
{
  guint selected = g_value_get_uint (value);

  if (selected >= G_N_ELEMENTS (status_filter_names))
    return NULL;

  return g_variant_new_string (status_filter_names[selected]);
}

/* The sort order: the `sort-order` setting, or a plain action without one;
 * the list reads the action's state. */
static void
sort_change_state_cb (GSimpleAction *action,
                      GVariant      *state,
                      gpointer       user_data)
{
  VdWindow *self = user_data;
  VdSortOrder sort;

  if (!vd_sort_order_from_string (g_variant_get_string (state, NULL), &sort))
    return;

  g_simple_action_set_state (action, state);
  vd_window_apply_query (self, FALSE);
}

static void
vd_window_init_sort (VdWindow *self)
{
  GSettings *settings = vd_session_get_settings (self->session);
  g_autoptr(GAction) action = NULL;

  if (settings != NULL)
    {
      action = g_settings_create_action (settings, "sort-order");
      g_signal_connect_object (settings, "changed::sort-order",
                               G_CALLBACK (filter_changed_cb), self, G_CONNECT_SWAPPED);
    }
  else
    {
      GSimpleAction *simple;

      simple = g_simple_action_new_stateful ("sort-order", G_VARIANT_TYPE_STRING,
                                             g_variant_new_string ("confidence"));
      g_signal_connect_object (simple, "change-state",
                               G_CALLBACK (sort_change_state_cb), self, 0);
      action = G_ACTION (simple);
    }

  g_action_map_add_action (G_ACTION_MAP (self), action);
}

/* Search: the entry debounces typing ("search-changed"). */
static void
stop_search_cb (VdWindow       *self,
                GtkSearchEntry *entry)
{
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  gtk_widget_grab_focus (GTK_WIDGET (self->list_view));
}

static void
search_activate_cb (VdWindow       *self,
                    GtkSearchEntry *entry)
{
  /* Enter: go and decide the matches. */
  if (self->selection != NULL && g_list_model_get_n_items (G_LIST_MODEL (self->selection)) > 0)
    {
      if (_vd_window_get_selected (self) == GTK_INVALID_LIST_POSITION)
        _vd_window_select_position (self, 0);
      gtk_widget_grab_focus (GTK_WIDGET (self->list_view));
    }
}

void
_vd_window_focus_search (VdWindow *self)
{
  if (adw_leaflet_get_folded (self->leaflet))
    adw_leaflet_set_visible_child (self->leaflet, self->sidebar);

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

void
_vd_window_go_back (VdWindow *self)
{
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
  if (focus_is_in (self, self->content) || gtk_root_get_focus (GTK_ROOT (self)) == NULL)
    gtk_widget_grab_focus (GTK_WIDGET (self->list_view));
}

static void
list_activate_cb (VdWindow    *self,
                  guint        position,
                  GtkListView *list_view)
{
  /* Narrow: Enter on a row opens the item. */
  if (adw_leaflet_get_folded (self->leaflet))
    {
      adw_leaflet_set_visible_child (self->leaflet, self->content);
      gtk_widget_grab_focus (GTK_WIDGET (self->approve_button));
    }
}

static void
note_activated_cb (VdWindow     *self,
                   VdItemDetail *detail)
{
  /* Enter in the approve note approves with it. */
  gtk_widget_activate_action (GTK_WIDGET (self), "win.approve", NULL);
}

void
_vd_window_init_list (VdWindow *self)
{
  GSettings *settings = vd_session_get_settings (self->session);
  g_autoptr(GtkListItemFactory) factory = NULL;
  g_autoptr(GtkStringList) queues = NULL;
  g_autoptr(GtkStringList) statuses = NULL;
  g_autoptr(GtkStringList) reasons = NULL;
  const char *status_labels[] = {
    /* Translators: the status filter */
    C_("status filter", "Pending"),
    C_("status filter", "Escalated"),
    C_("status filter", "Decided"),
    C_("status filter", "All"),
    NULL
  };

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (row_setup_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (row_bind_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (row_unbind_cb), self);
  gtk_list_view_set_factory (self->list_view, factory);
  g_signal_connect_object (self->list_view, "activate",
                           G_CALLBACK (list_activate_cb), self, G_CONNECT_SWAPPED);

  /* The queue selector: "All Queues", then the queues of the database. */
  queues = gtk_string_list_new ((const char * const []) { _("All Queues"), NULL });
  setup_dropdown (self->queue_dropdown, G_LIST_MODEL (queues));
  g_signal_connect_object (self->queue_dropdown, "notify::selected",
                           G_CALLBACK (queue_selected_cb), self, G_CONNECT_SWAPPED);

  statuses = gtk_string_list_new (status_labels);
  setup_dropdown (self->status_dropdown, G_LIST_MODEL (statuses));
  if (settings != NULL)
    g_settings_bind_with_mapping (settings, "status-filter",
                                  self->status_dropdown, "selected",
                                  G_SETTINGS_BIND_DEFAULT,
                                  status_get_mapping, status_set_mapping,
                                  NULL, NULL);
  g_signal_connect_object (self->status_dropdown, "notify::selected",
                           G_CALLBACK (filter_changed_cb), self, G_CONNECT_SWAPPED);

  reasons = gtk_string_list_new ((const char * const []) { _("Any Reason"), NULL });
  for (int r = VD_ESCALATION_REASON_LOW_CONFIDENCE; r <= VD_ESCALATION_REASON_USER_REQUESTED; r++)
    gtk_string_list_append (reasons, vd_escalation_reason_to_label (r));
  setup_dropdown (self->reason_dropdown, G_LIST_MODEL (reasons));
  g_signal_connect_object (self->reason_dropdown, "notify::selected",
                           G_CALLBACK (filter_changed_cb), self, G_CONNECT_SWAPPED);

  vd_window_init_sort (self);

  g_signal_connect_object (self->search_entry, "search-changed",
                           G_CALLBACK (filter_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->search_entry, "stop-search",
                           G_CALLBACK (stop_search_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->search_entry, "activate",
                           G_CALLBACK (search_activate_cb), self, G_CONNECT_SWAPPED);

  g_signal_connect_object (self->detail, "note-activated",
                           G_CALLBACK (note_activated_cb), self, G_CONNECT_SWAPPED);

  gtk_stack_set_visible_child_name (self->content_stack, "none");
}

static void
vd_window_drop_model (VdWindow *self)
{
  vd_window_set_current (self, NULL);

  if (self->selection != NULL)
    g_signal_handlers_disconnect_by_data (self->selection, self);
  if (self->items != NULL)
    g_signal_handlers_disconnect_by_data (self->items, self);
  if (self->counts != NULL)
    g_signal_handlers_disconnect_by_data (self->counts, self);

  gtk_list_view_set_model (self->list_view, NULL);
  g_clear_object (&self->selection);
  g_clear_object (&self->items);
  g_clear_object (&self->counts);
}

/* Shows the session's store (or none): a new lazy model over it. */
void
_vd_window_bind_store (VdWindow *self)
{
  VdStore *store = vd_session_get_store (self->session);

  vd_window_drop_model (self);
  self->query_set = FALSE;
  self->select_after_load = 0;
  _vd_window_set_counts_label (self);
  g_object_set (self->detail, "store", store, NULL);

  if (store == NULL)
    return;

  /* The store answers one query at a time: the counts and the queue names
   * (slow on a million rows) wait until the first item is on screen. */
  self->counts = vd_queue_counts_new (store);
  vd_queue_counts_set_held (self->counts, TRUE);
  g_signal_connect_object (self->counts, "counted",
                           G_CALLBACK (counted_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->counts, "notify::queues",
                           G_CALLBACK (queues_changed_cb), self, G_CONNECT_SWAPPED);
  _vd_window_refresh_queues (self);
  _vd_window_refresh_counts (self);

  self->items = vd_item_list_model_new (store);
  /* At start, every row id after the first rows waits for them to be
   * drawn. */
  if (!self->first_screen)
    vd_item_list_model_set_rest_held (self->items, TRUE);
  g_signal_connect_object (self->items, "loaded",
                           G_CALLBACK (items_loaded_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->items, "notify::n-items",
                           G_CALLBACK (items_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->items, "notify::loading",
                           G_CALLBACK (items_changed_cb), self, G_CONNECT_SWAPPED);

  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->items)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  g_signal_connect_object (self->selection, "notify::selected-item",
                           G_CALLBACK (selected_item_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->selection, "notify::selected",
                           G_CALLBACK (vd_window_update_position), self, G_CONNECT_SWAPPED);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));

  self->focus_after_load = TRUE;
  vd_window_apply_query (self, TRUE);
}

void
_vd_window_dispose_list (VdWindow *self)
{
  GSettings *settings = self->session != NULL ? vd_session_get_settings (self->session) : NULL;

  if (self->focus_tick != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->focus_tick);
      self->focus_tick = 0;
    }

  vd_window_stop_first_paint (self);
  g_clear_handle_id (&self->deferred_idle, g_source_remove);

  if (settings != NULL && self->status_dropdown != NULL)
    g_settings_unbind (self->status_dropdown, "selected");

  if (self->list_view != NULL)
    {
      vd_window_drop_model (self);
      gtk_list_view_set_factory (self->list_view, NULL);
    }

  g_clear_object (&self->shown);
}

/* Selecting an item by its row id (from a notification or the bulk
 * approve dialog) */
void
_vd_window_select_item_id (VdWindow *self,
                           gint64    item_id)
{
  guint position;

  g_assert (VD_IS_WINDOW (self));

  if (self->items == NULL)
    return;

  position = vd_item_list_model_find (self->items, item_id);
  if (position != GTK_INVALID_LIST_POSITION && !self->reloading)
    {
      _vd_window_select_position (self, position);
      return;
    }

  /* Not in view: every status shows it, selected once loaded. */
  self->select_after_load = item_id;
  if (_vd_window_get_status_filter (self) != VD_STATUS_FILTER_ALL)
    _vd_window_set_status_filter (self, VD_STATUS_FILTER_ALL);
  else
    _vd_window_reload_items (self);
}
