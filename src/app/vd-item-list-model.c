/* vd-item-list-model.c
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

#define G_LOG_DOMAIN "vd-item-list-model"

#include "config.h"

#include <string.h>

#include "vd-item-list-model.h"
#include "vd-timing.h"

/* Items kept at most. A list view shows a few dozen rows; the rest of the
 * cache makes scrolling back and forth free. */
#define CACHE_SIZE 2000

/* Rows fetched around a position asked for, and at most in one batch. */
#define FETCH_WINDOW 100
#define FETCH_MAX    500

/*
 * The first query of a model is resolved in two steps: the first rows of
 * the ordered view (served by an index in a few milliseconds), then, once
 * the fields of the rows shown have been read, every row id (a second on
 * a million rows). The store answers one query at a time: resolving every
 * id first would keep the first rows off the screen until it is done.
 */
#define FIRST_PAGE VD_ITEM_LIST_MODEL_FIRST_PAGE

/* How long the rest waits at most for the first rows to be read: when
 * nothing asks for them (no view), it goes ahead. */
#define REST_DELAY_MS 200

/*
 * How fresh an item handed out is. Every batch fetch gets a serial number;
 * an item remembers the serial of the fetch whose fields it holds and of
 * the one under way for it. reload() declares every fetch so far stale,
 * refresh_item() every fetch of one item; an item is fetched again when it
 * is asked for and holds nothing newer. Fields are copied only from a
 * fetch newer than the one they came from, so that two fetches of the same
 * row finishing out of order leave the newer data.
 */
typedef struct
{
  guint64 fetched;        /* 0: a placeholder holding only its id */
  guint64 pending;
  guint64 refresh_after;
} ItemState;

/* An item in the cache, linked into the LRU queue (most recent first). */
typedef struct
{
  GList   link;
  gint64  id;
  VdItem *item;
} Entry;

/* An item asked for since the last batch, with its position then. */
typedef struct
{
  guint   position;       /* G_MAXUINT: only this item */
  VdItem *item;
} Want;

/* Resolving a query: the model, and whether it is still the one wanted. */
typedef struct _Resolve Resolve;

struct _VdItemListModel
{
  GObject        parent_instance;

  VdStore       *store;
  GMainContext  *context;

  VdItemQuery    query;
  char          *queue;
  char          *search;
  char          *task_type;

  GArray        *ids;                 /* gint64 row ids: position -> id */
  GCancellable  *resolving;           /* the query being resolved, or NULL */
  Resolve       *rest;                /* every id, after the first page */
  guint          rest_source;
  guint          n_fetching;
  gboolean       rest_held;
  GError        *error;               /* of the last resolution */

  GHashTable    *cache;               /* gint64 id -> Entry */
  GQueue         lru;
  GArray        *wanted;              /* Want */
  GSource       *fetch_source;
  GCancellable  *cancellable;         /* every fetch; cancelled on dispose */
  guint64        serial;
  guint64        valid_after;
};

static void vd_item_list_model_list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (VdItemListModel, vd_item_list_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      vd_item_list_model_list_model_iface_init))

enum {
  PROP_0,
  PROP_STORE,
  PROP_N_ITEMS,
  PROP_LOADING,
  PROP_ITEM_TYPE,
  N_PROPS
};

enum {
  LOADED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static GQuark
item_state_quark (void)
{
  static GQuark quark;

  if (G_UNLIKELY (quark == 0))
    quark = g_quark_from_static_string ("vd-item-list-model-state");

  return quark;
}

static ItemState *
item_state (VdItem *item)
{
  ItemState *state = g_object_get_qdata (G_OBJECT (item), item_state_quark ());

  if (state == NULL)
    {
      state = g_new0 (ItemState, 1);
      g_object_set_qdata_full (G_OBJECT (item), item_state_quark (), state, g_free);
    }

  return state;
}

static gboolean
needs_fetch (VdItemListModel *self,
             VdItem          *item)
{
  ItemState *state = item_state (item);

  return MAX (state->fetched, state->pending) <= MAX (self->valid_after, state->refresh_after);
}

static guint
n_positions (VdItemListModel *self)
{
  return self->ids != NULL ? self->ids->len : 0;
}

static gint64
id_at (VdItemListModel *self,
       guint            position)
{
  return g_array_index (self->ids, gint64, position);
}

static void start_rest (VdItemListModel *self);

/* Cache */

static void
entry_free (gpointer data)
{
  Entry *entry = data;

  g_clear_object (&entry->item);
  g_free (entry);
}

static void
evict (VdItemListModel *self)
{
  while (self->lru.length > CACHE_SIZE)
    {
      GList *link = g_queue_pop_tail_link (&self->lru);
      Entry *entry = link->data;

      /* Whoever still holds the item keeps a valid object; it is just no
       * longer handed out or updated here. */
      g_hash_table_remove (self->cache, &entry->id);
    }
}

/* The cached item for @id, created as a placeholder when missing, now the
 * most recently used. */
static VdItem *
lookup_item (VdItemListModel *self,
             gint64           id)
{
  Entry *entry = g_hash_table_lookup (self->cache, &id);

  if (entry != NULL)
    {
      g_queue_unlink (&self->lru, &entry->link);
      g_queue_push_head_link (&self->lru, &entry->link);
      return entry->item;
    }

  entry = g_new0 (Entry, 1);
  entry->id = id;
  entry->item = g_object_new (VD_TYPE_ITEM, NULL);
  vd_item_set_id (entry->item, id);
  entry->link.data = entry;

  g_hash_table_insert (self->cache, &entry->id, entry);
  g_queue_push_head_link (&self->lru, &entry->link);
  evict (self);

  return entry->item;
}

static void
clear_cache (VdItemListModel *self)
{
  /* The entries' links are freed with them. */
  g_queue_init (&self->lru);
  g_hash_table_remove_all (self->cache);
}

/* Fetching */

typedef struct
{
  VdItemListModel *self;
  GPtrArray       *items;    /* VdItem placeholders, in the order of ids */
  GArray          *ids;
  guint64          serial;
} Fetch;

static void
fetch_free (Fetch *fetch)
{
  g_clear_object (&fetch->self);
  g_clear_pointer (&fetch->items, g_ptr_array_unref);
  g_clear_pointer (&fetch->ids, g_array_unref);
  g_free (fetch);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Fetch, fetch_free)

static void
copy_fields (VdItem *item,
             VdItem *from)
{
  g_object_freeze_notify (G_OBJECT (item));

  vd_item_set_queue (item, vd_item_get_queue (from));
  vd_item_set_task_id (item, vd_item_get_task_id (from));
  vd_item_set_task_description (item, vd_item_get_task_description (from));
  vd_item_set_task_type (item, vd_item_get_task_type (from));
  vd_item_set_context (item, vd_item_get_context (from));
  vd_item_set_content (item, vd_item_get_content (from));
  if (vd_item_has_confidence (from))
    vd_item_set_confidence (item, vd_item_get_confidence (from));
  else
    vd_item_clear_confidence (item);
  vd_item_set_reasoning (item, vd_item_get_reasoning (from));
  vd_item_set_metadata (item, vd_item_get_metadata (from));
  vd_item_set_escalation_reason (item, vd_item_get_escalation_reason (from));
  vd_item_set_escalation_detail (item, vd_item_get_escalation_detail (from));
  vd_item_set_timestamp (item, vd_item_get_timestamp (from));
  vd_item_set_due_at (item, vd_item_get_due_at (from));
  vd_item_set_priority (item, vd_item_get_priority (from));
  vd_item_set_revision (item, vd_item_get_revision (from));
  vd_item_set_reviews_required (item, vd_item_get_reviews_required (from));
  vd_item_set_n_reviews (item, vd_item_get_n_reviews (from));
  vd_item_set_status (item, vd_item_get_status (from));
  vd_item_set_expected_decision (item, vd_item_get_expected_decision (from));
  vd_item_set_task_content_type (item, vd_item_get_task_content_type (from));
  vd_item_set_context_content_type (item, vd_item_get_context_content_type (from));
  vd_item_set_output_content_type (item, vd_item_get_output_content_type (from));
  vd_item_set_source (item, vd_item_get_source (from));
  vd_item_clear_attachments (item);
  for (guint i = 0; i < vd_item_get_attachments (from)->len; i++)
    {
      g_autoptr(VdAttachment) attachment =
        vd_attachment_copy (g_ptr_array_index (vd_item_get_attachments (from), i));

      vd_item_add_attachment (item, attachment);
    }

  g_object_thaw_notify (G_OBJECT (item));
}

static void
fetch_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(Fetch) fetch = user_data;
  g_autoptr(GPtrArray) fetched = NULL;
  g_autoptr(GError) error = NULL;

  fetched = vd_store_get_items_by_id_finish (VD_STORE (object), result, &error);
  vd_timing_mark ("list-first-fetch");

  g_assert (fetch->self->n_fetching > 0);
  fetch->self->n_fetching--;

  if (fetched == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not read %u items of the review list: %s",
                   fetch->ids->len, error->message);
    }

  for (guint i = 0; i < fetch->items->len; i++)
    {
      VdItem *item = g_ptr_array_index (fetch->items, i);
      ItemState *state = item_state (item);

      if (state->pending == fetch->serial)
        state->pending = 0;

      if (fetched == NULL || fetch->serial <= state->fetched)
        continue;

      state->fetched = fetch->serial;
      copy_fields (item, g_ptr_array_index (fetched, i));
    }

  /* The first rows are there: now every id. */
  if (fetch->self->rest != NULL && fetch->self->store != NULL && !fetch->self->rest_held)
    start_rest (fetch->self);
}

static void
add_to_fetch (VdItemListModel *self,
              Fetch           *fetch,
              VdItem          *item)
{
  gint64 id = vd_item_get_id (item);

  item_state (item)->pending = fetch->serial;
  g_ptr_array_add (fetch->items, g_object_ref (item));
  g_array_append_val (fetch->ids, id);
}

/* Adds the rows around @position that hold nothing fresh, while the batch
 * has room. */
static void
add_window (VdItemListModel *self,
            Fetch           *fetch,
            guint            position)
{
  guint n = n_positions (self);
  guint first;
  guint last;

  if (position >= n)
    return;

  first = position > FETCH_WINDOW / 2 ? position - FETCH_WINDOW / 2 : 0;
  last = MIN (n, first + FETCH_WINDOW);
  if (last - first < FETCH_WINDOW)
    first = last > FETCH_WINDOW ? last - FETCH_WINDOW : 0;

  for (guint p = first; p < last && fetch->ids->len < FETCH_MAX; p++)
    {
      VdItem *item = lookup_item (self, id_at (self, p));

      if (needs_fetch (self, item))
        add_to_fetch (self, fetch, item);
    }
}

/* Runs once per main loop iteration in which items were asked for: every
 * item asked for, and the rows around them, in one batch. */
static gboolean
fetch_idle (gpointer user_data)
{
  VdItemListModel *self = user_data;
  g_autoptr(GArray) wanted = NULL;
  g_autoptr(Fetch) fetch = NULL;

  g_clear_pointer (&self->fetch_source, g_source_unref);
  wanted = g_steal_pointer (&self->wanted);
  self->wanted = g_array_new (FALSE, FALSE, sizeof (Want));

  fetch = g_new0 (Fetch, 1);
  fetch->self = g_object_ref (self);
  fetch->items = g_ptr_array_new_with_free_func (g_object_unref);
  fetch->ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  fetch->serial = ++self->serial;

  /* What was asked for always comes, evicted or not: someone holds it. */
  for (guint i = 0; i < wanted->len; i++)
    {
      Want *want = &g_array_index (wanted, Want, i);

      if (needs_fetch (self, want->item))
        add_to_fetch (self, fetch, want->item);
    }

  /* Neighbours, most recent request first (the rows being shown), for as
   * long as the position still shows the same item. */
  for (guint i = wanted->len; i > 0 && fetch->ids->len < FETCH_MAX; i--)
    {
      Want *want = &g_array_index (wanted, Want, i - 1);

      if (want->position < n_positions (self) &&
          id_at (self, want->position) == vd_item_get_id (want->item))
        add_window (self, fetch, want->position);
    }

  for (guint i = 0; i < wanted->len; i++)
    g_object_unref (g_array_index (wanted, Want, i).item);

  if (fetch->ids->len == 0)
    return G_SOURCE_REMOVE;

  g_debug ("Fetching %u items", fetch->ids->len);
  self->n_fetching++;
  vd_store_get_items_by_id_async (self->store,
                                  (const gint64 *) (gpointer) fetch->ids->data,
                                  fetch->ids->len,
                                  self->cancellable,
                                  fetch_cb,
                                  fetch);
  g_steal_pointer (&fetch);

  return G_SOURCE_REMOVE;
}

static void
want_item (VdItemListModel *self,
           guint            position,
           VdItem          *item)
{
  Want want = { position, NULL };

  /* Disposed: nothing to fetch from. */
  if (self->store == NULL)
    return;

  want.item = g_object_ref (item);
  g_array_append_val (self->wanted, want);

  if (self->fetch_source == NULL)
    {
      /* Above redraw priority: with software rendering a spinner can keep
       * the frame clock busy, and a default-idle fetch would then starve. */
      self->fetch_source = g_idle_source_new ();
      g_source_set_priority (self->fetch_source, G_PRIORITY_HIGH_IDLE);
      g_source_set_static_name (self->fetch_source, "[vd-item-list-model] fetch");
      g_source_set_callback (self->fetch_source, fetch_idle, self, NULL);
      g_source_attach (self->fetch_source, self->context);
    }
}

/* Resolving a query */

struct _Resolve
{
  VdItemListModel *self;
  GCancellable    *cancellable;
};

static void
resolve_free (Resolve *resolve)
{
  g_clear_object (&resolve->self);
  g_clear_object (&resolve->cancellable);
  g_free (resolve);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Resolve, resolve_free)

/* The result of a resolution: @ids replace the positions, or, when they
 * begin with the first page shown (@append), are added after it. */
static void
apply_ids (VdItemListModel *self,
           GArray          *ids,
           gboolean         append)
{
  guint old_n = n_positions (self);
  guint new_n = ids->len;

  if (append && self->ids != NULL && old_n <= new_n &&
      memcmp (self->ids->data, ids->data, old_n * sizeof (gint64)) == 0)
    {
      g_clear_pointer (&self->ids, g_array_unref);
      self->ids = g_array_ref (ids);
      if (new_n > old_n)
        g_list_model_items_changed (G_LIST_MODEL (self), old_n, 0, new_n - old_n);
    }
  else
    {
      g_clear_pointer (&self->ids, g_array_unref);
      self->ids = g_array_ref (ids);
      if (old_n > 0 || new_n > 0)
        g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n, new_n);
    }

  if (old_n != new_n)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

static void
finish_resolve (VdItemListModel *self,
                GArray          *ids,
                GError          *error,
                gboolean         append)
{
  g_autoptr(GArray) empty = NULL;

  vd_timing_mark ("list-resolved");
  g_clear_object (&self->resolving);
  g_clear_error (&self->error);

  if (ids == NULL)
    {
      g_debug ("Could not list the items: %s", error->message);
      self->error = g_error_copy (error);
      ids = empty = g_array_new (FALSE, FALSE, sizeof (gint64));
      append = FALSE;
    }

  apply_ids (self, ids, append);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);

  g_signal_emit (self, signals[LOADED], 0);
}

static void
list_ids_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(Resolve) resolve = user_data;
  VdItemListModel *self = resolve->self;
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GError) error = NULL;

  ids = vd_store_list_ids_finish (VD_STORE (object), result, &error);

  /* A newer query replaced this one: its result is not wanted. */
  if (resolve->cancellable != self->resolving)
    return;

  finish_resolve (self, ids, error, FALSE);
}

static void
rest_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(Resolve) resolve = user_data;
  VdItemListModel *self = resolve->self;
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GError) error = NULL;

  ids = vd_store_list_ids_finish (VD_STORE (object), result, &error);

  if (resolve->cancellable != self->resolving)
    return;

  g_debug ("Listed all %u items", ids != NULL ? ids->len : 0);
  finish_resolve (self, ids, error, TRUE);
}

static void
stop_rest (VdItemListModel *self)
{
  g_clear_handle_id (&self->rest_source, g_source_remove);
  g_clear_pointer (&self->rest, resolve_free);
}

/* Every id of the query whose first page is shown. */
static void
start_rest (VdItemListModel *self)
{
  Resolve *resolve = g_steal_pointer (&self->rest);

  g_clear_handle_id (&self->rest_source, g_source_remove);

  if (resolve == NULL)
    return;

  if (resolve->cancellable != self->resolving)
    {
      resolve_free (resolve);
      return;
    }

  vd_store_list_ids_async (self->store, &self->query, self->resolving, rest_cb, resolve);
}

static gboolean
rest_timeout_cb (gpointer user_data)
{
  VdItemListModel *self = user_data;

  self->rest_source = 0;

  /* Rows being read: the rest follows them. */
  if (self->n_fetching > 0 || self->fetch_source != NULL || self->rest_held)
    return G_SOURCE_REMOVE;

  start_rest (self);

  return G_SOURCE_REMOVE;
}

static void
first_page_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(Resolve) resolve = user_data;
  VdItemListModel *self = resolve->self;
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GError) error = NULL;

  ids = vd_store_list_ids_finish (VD_STORE (object), result, &error);

  if (resolve->cancellable != self->resolving)
    return;

  /* The whole result already, or an error. */
  if (ids == NULL || ids->len < FIRST_PAGE)
    {
      finish_resolve (self, ids, error, FALSE);
      return;
    }

  vd_timing_mark ("list-first-page");
  g_debug ("Showing the first %u items", ids->len);
  g_clear_error (&self->error);
  apply_ids (self, ids, FALSE);

  /* Still loading: the rest comes once the first rows have been read. */
  stop_rest (self);
  self->rest = g_steal_pointer (&resolve);
  if (!self->rest_held)
    self->rest_source = g_timeout_add (REST_DELAY_MS, rest_timeout_cb, self);
}

static void
resolve_query (VdItemListModel *self)
{
  g_autoptr(Resolve) resolve = NULL;
  gboolean was_loading;

  was_loading = self->resolving != NULL;
  if (was_loading)
    g_cancellable_cancel (self->resolving);
  g_clear_object (&self->resolving);
  self->resolving = g_cancellable_new ();

  stop_rest (self);

  resolve = g_new0 (Resolve, 1);
  resolve->self = g_object_ref (self);
  resolve->cancellable = g_object_ref (self->resolving);

  if (self->ids == NULL)
    {
      /* The first query: its first rows first. */
      VdItemQuery page = self->query;

      page.limit = FIRST_PAGE;
      vd_store_list_ids_async (self->store, &page, self->resolving,
                               first_page_cb, g_steal_pointer (&resolve));
    }
  else
    vd_store_list_ids_async (self->store, &self->query, self->resolving,
                             list_ids_cb, g_steal_pointer (&resolve));

  if (!was_loading)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

/* GListModel */

static GType
vd_item_list_model_get_item_type (GListModel *model)
{
  return VD_TYPE_ITEM;
}

static guint
vd_item_list_model_get_n_items (GListModel *model)
{
  return n_positions (VD_ITEM_LIST_MODEL (model));
}

static gpointer
vd_item_list_model_get_item (GListModel *model,
                             guint       position)
{
  VdItemListModel *self = VD_ITEM_LIST_MODEL (model);
  VdItem *item;

  if (position >= n_positions (self))
    return NULL;

  item = lookup_item (self, id_at (self, position));
  if (needs_fetch (self, item))
    want_item (self, position, item);

  return g_object_ref (item);
}

static void
vd_item_list_model_list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = vd_item_list_model_get_item_type;
  iface->get_n_items = vd_item_list_model_get_n_items;
  iface->get_item = vd_item_list_model_get_item;
}

/* GObject */

static void
vd_item_list_model_dispose (GObject *object)
{
  VdItemListModel *self = (VdItemListModel *)object;

  g_cancellable_cancel (self->cancellable);
  if (self->resolving != NULL)
    g_cancellable_cancel (self->resolving);
  g_clear_object (&self->resolving);
  stop_rest (self);

  if (self->fetch_source != NULL)
    {
      g_source_destroy (self->fetch_source);
      g_clear_pointer (&self->fetch_source, g_source_unref);
    }

  if (self->wanted != NULL)
    {
      for (guint i = 0; i < self->wanted->len; i++)
        g_object_unref (g_array_index (self->wanted, Want, i).item);
      g_array_set_size (self->wanted, 0);
    }

  if (self->cache != NULL)
    clear_cache (self);

  g_clear_object (&self->store);

  G_OBJECT_CLASS (vd_item_list_model_parent_class)->dispose (object);
}

static void
vd_item_list_model_finalize (GObject *object)
{
  VdItemListModel *self = (VdItemListModel *)object;

  g_clear_pointer (&self->queue, g_free);
  g_clear_pointer (&self->search, g_free);
  g_clear_pointer (&self->task_type, g_free);
  g_clear_pointer (&self->ids, g_array_unref);
  g_clear_error (&self->error);
  g_clear_pointer (&self->cache, g_hash_table_unref);
  g_clear_pointer (&self->wanted, g_array_unref);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->context, g_main_context_unref);

  G_OBJECT_CLASS (vd_item_list_model_parent_class)->finalize (object);
}

static void
vd_item_list_model_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  VdItemListModel *self = VD_ITEM_LIST_MODEL (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_N_ITEMS:
      g_value_set_uint (value, n_positions (self));
      break;

    case PROP_LOADING:
      g_value_set_boolean (value, vd_item_list_model_get_loading (self));
      break;

    case PROP_ITEM_TYPE:
      g_value_set_gtype (value, VD_TYPE_ITEM);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vd_item_list_model_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  VdItemListModel *self = VD_ITEM_LIST_MODEL (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vd_item_list_model_class_init (VdItemListModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = vd_item_list_model_dispose;
  object_class->finalize = vd_item_list_model_finalize;
  object_class->get_property = vd_item_list_model_get_property;
  object_class->set_property = vd_item_list_model_set_property;

  /**
   * VdItemListModel:store:
   *
   * The store the items come from.
   */
  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         VD_TYPE_STORE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * VdItemListModel:n-items:
   *
   * The number of items: of the query last resolved.
   */
  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * VdItemListModel:loading:
   *
   * Whether a query is being resolved.
   */
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * VdItemListModel:item-type:
   *
   * The type of the items: #VdItem.
   */
  properties[PROP_ITEM_TYPE] =
    g_param_spec_gtype ("item-type", NULL, NULL,
                        VD_TYPE_ITEM,
                        (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * VdItemListModel::loaded:
   * @self: the model
   *
   * Emitted when a query has been resolved, after ::items-changed; also
   * when that failed (see vd_item_list_model_get_error()).
   */
  signals[LOADED] =
    g_signal_new ("loaded",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0,
                  NULL, NULL,
                  NULL,
                  G_TYPE_NONE, 0);
}

static void
vd_item_list_model_init (VdItemListModel *self)
{
  VdItemQuery query = VD_ITEM_QUERY_INIT;

  self->query = query;
  self->context = g_main_context_ref_thread_default ();
  self->cache = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, entry_free);
  g_queue_init (&self->lru);
  self->wanted = g_array_new (FALSE, FALSE, sizeof (Want));
  self->cancellable = g_cancellable_new ();
}

/**
 * vd_item_list_model_new:
 * @store: the store to list items of
 *
 * Creates an empty model; vd_item_list_model_set_query() fills it.
 *
 * Returns: (transfer full): a new model
 */
VdItemListModel *
vd_item_list_model_new (VdStore *store)
{
  g_return_val_if_fail (VD_IS_STORE (store), NULL);

  return g_object_new (VD_TYPE_ITEM_LIST_MODEL,
                       "store", store,
                       NULL);
}

/**
 * vd_item_list_model_get_store:
 * @self: a model
 *
 * Returns: (transfer none): the store
 */
VdStore *
vd_item_list_model_get_store (VdItemListModel *self)
{
  g_return_val_if_fail (VD_IS_ITEM_LIST_MODEL (self), NULL);

  return self->store;
}

/**
 * vd_item_list_model_set_query:
 * @self: a model
 * @query: the filters and the order
 *
 * Resolves @query on a worker thread; a query still being resolved is
 * cancelled. When the row ids are there, the model emits one
 * ::items-changed replacing every item, then ::loaded. Until then it keeps
 * showing the previous result.
 */
void
vd_item_list_model_set_query (VdItemListModel   *self,
                              const VdItemQuery *query)
{
  g_return_if_fail (VD_IS_ITEM_LIST_MODEL (self));
  g_return_if_fail (query != NULL);

  /* Duplicate before freeing: @query may point into our own copy. */
  {
    char *queue = g_strdup (query->queue);
    char *search = g_strdup (query->search);
    char *task_type = g_strdup (query->task_type);

    self->query = *query;
    g_free (self->queue);
    g_free (self->search);
    g_free (self->task_type);
    self->queue = queue;
    self->search = search;
    self->task_type = task_type;
  }

  self->query.queue = self->queue;
  self->query.search = self->search;
  self->query.task_type = self->task_type;
  self->query.offset = 0;
  self->query.limit = 0;

  /* Items already fetched are still good: only the selection changed. */
  resolve_query (self);
}

/**
 * vd_item_list_model_get_query:
 * @self: a model
 *
 * Returns: (transfer none): the query last set
 */
const VdItemQuery *
vd_item_list_model_get_query (VdItemListModel *self)
{
  g_return_val_if_fail (VD_IS_ITEM_LIST_MODEL (self), NULL);

  return &self->query;
}

/**
 * vd_item_list_model_reload:
 * @self: a model
 *
 * Resolves the current query again, and fetches the items shown again as
 * they are asked for: after an import, or anything else that changed many
 * items. Items handed out before stay the same objects while their row is
 * in the result; their properties are updated in place.
 */
void
vd_item_list_model_reload (VdItemListModel *self)
{
  g_return_if_fail (VD_IS_ITEM_LIST_MODEL (self));

  /* Whatever was fetched up to now may be out of date. */
  self->valid_after = self->serial;

  resolve_query (self);
}

/**
 * vd_item_list_model_set_rest_held:
 * @self: a model
 * @held: whether the rest of a first query waits
 *
 * While held, the rest of a first query (every id after its first page)
 * waits: a window holds it until its first item is drawn, so that the
 * store and the processor are free for that. Letting go resolves it
 * when it waits.
 */
void
vd_item_list_model_set_rest_held (VdItemListModel *self,
                                  gboolean         held)
{
  g_return_if_fail (VD_IS_ITEM_LIST_MODEL (self));

  held = !!held;
  if (self->rest_held == held)
    return;

  self->rest_held = held;
  if (!held && self->rest != NULL && self->store != NULL)
    start_rest (self);
}

/**
 * vd_item_list_model_get_loading:
 * @self: a model
 *
 * Returns: %TRUE while a query is being resolved
 */
gboolean
vd_item_list_model_get_loading (VdItemListModel *self)
{
  g_return_val_if_fail (VD_IS_ITEM_LIST_MODEL (self), FALSE);

  return self->resolving != NULL;
}

/**
 * vd_item_list_model_get_error:
 * @self: a model
 *
 * Returns: (nullable) (transfer none): why the query last resolved could
 *   not be read (the model is then empty), or %NULL
 */
const GError *
vd_item_list_model_get_error (VdItemListModel *self)
{
  g_return_val_if_fail (VD_IS_ITEM_LIST_MODEL (self), NULL);

  return self->error;
}

/**
 * vd_item_list_model_find:
 * @self: a model
 * @id: a row id
 *
 * Looks for @id among the positions (a scan: about a millisecond for a
 * million items).
 *
 * Returns: its position, or %G_MAXUINT (`GTK_INVALID_LIST_POSITION`)
 */
guint
vd_item_list_model_find (VdItemListModel *self,
                         gint64           id)
{
  const gint64 *ids;
  guint n;

  g_return_val_if_fail (VD_IS_ITEM_LIST_MODEL (self), G_MAXUINT);

  n = n_positions (self);
  if (n == 0)
    return G_MAXUINT;

  ids = (const gint64 *) (gpointer) self->ids->data;
  for (guint i = 0; i < n; i++)
    {
      if (ids[i] == id)
        return i;
    }

  return G_MAXUINT;
}

/**
 * vd_item_list_model_remove:
 * @self: a model
 * @position: a position
 *
 * Drops the item at @position at once, e.g. a decided item from a view of
 * undecided ones, without resolving the query again.
 */
void
vd_item_list_model_remove (VdItemListModel *self,
                           guint            position)
{
  g_return_if_fail (VD_IS_ITEM_LIST_MODEL (self));
  g_return_if_fail (position < n_positions (self));

  g_array_remove_index (self->ids, position);

  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

/**
 * vd_item_list_model_refresh_item:
 * @self: a model
 * @id: a row id
 *
 * Fetches the item with row id @id again if it was handed out, e.g. after a
 * decision changed its status. Its properties change in place.
 */
void
vd_item_list_model_refresh_item (VdItemListModel *self,
                                 gint64           id)
{
  Entry *entry;
  guint position;

  g_return_if_fail (VD_IS_ITEM_LIST_MODEL (self));

  entry = g_hash_table_lookup (self->cache, &id);
  if (entry == NULL)
    return;

  item_state (entry->item)->refresh_after = self->serial;

  /* Only this row: its neighbours have not changed. */
  position = G_MAXUINT;
  want_item (self, position, entry->item);
}

/**
 * vd_item_list_model_is_materialised:
 * @self: a model
 * @item: an item from @self
 *
 * Returns: %TRUE once @item holds the fields of its row
 */
gboolean
vd_item_list_model_is_materialised (VdItemListModel *self,
                                    VdItem          *item)
{
  ItemState *state;

  g_return_val_if_fail (VD_IS_ITEM_LIST_MODEL (self), FALSE);
  g_return_val_if_fail (VD_IS_ITEM (item), FALSE);

  state = g_object_get_qdata (G_OBJECT (item), item_state_quark ());

  return state != NULL && state->fetched > 0;
}

/**
 * vd_item_list_model_get_n_materialised:
 * @self: a model
 *
 * Returns: how many items in the cache hold the fields of their row
 */
guint
vd_item_list_model_get_n_materialised (VdItemListModel *self)
{
  guint n = 0;

  g_return_val_if_fail (VD_IS_ITEM_LIST_MODEL (self), 0);

  for (GList *l = self->lru.head; l != NULL; l = l->next)
    {
      Entry *entry = l->data;

      if (vd_item_list_model_is_materialised (self, entry->item))
        n++;
    }

  return n;
}
