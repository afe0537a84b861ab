/* vd-item-list-model.h
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

#pragma once

#include <gio/gio.h>

#include "vd-core.h"

G_BEGIN_DECLS

#define VD_TYPE_ITEM_LIST_MODEL (vd_item_list_model_get_type ())

G_DECLARE_FINAL_TYPE (VdItemListModel, vd_item_list_model, VD, ITEM_LIST_MODEL, GObject)

/*
 * A GListModel of VdItem backed lazily by a VdStore, for queues of a million
 * items. A query (filters and sort, done in SQL) is resolved on a worker
 * thread into the row ids in order; positions map to those ids. get_item()
 * never touches the disk: it returns at once a VdItem holding only its id
 * (vd_item_get_id) from a small cache, and fetches the rows around it in one
 * batch on a worker thread, filling the same objects in place (their
 * properties notify, so bound rows update). Only rows GTK asks for are
 * materialised; the cache is bounded.
 *
 * Properties: store (VdStore, construct-only), n-items (guint), loading
 * (boolean: a query is being resolved), item-type (VdItem).
 * Signals: "loaded" (emitted on the main context when a query has been
 * resolved and items-changed emitted; carries no arguments).
 *
 * The first query of a model comes in two steps when it has at least
 * VD_ITEM_LIST_MODEL_FIRST_PAGE rows: those first rows (one items-changed
 * adding them, loading still TRUE), then, once the rows asked for have
 * been read, the rest (one items-changed adding them after, then
 * "loaded"). Later queries replace every item at once.
 */

/* Enough rows for the tallest list; GtkListView makes a row widget for
 * each item up to 200, so a larger first page costs the first frame. */
#define VD_ITEM_LIST_MODEL_FIRST_PAGE 50

VdItemListModel *vd_item_list_model_new          (VdStore           *store);
VdStore         *vd_item_list_model_get_store    (VdItemListModel   *self);

/* Copies @query (strings too); resolves it asynchronously. Limit and offset
 * are ignored: the model covers the whole result. */
void             vd_item_list_model_set_query    (VdItemListModel   *self,
                                                  const VdItemQuery *query);
const VdItemQuery *vd_item_list_model_get_query  (VdItemListModel   *self);
/* While held, the rest of a first query waits (see the .c file). */
void             vd_item_list_model_set_rest_held (VdItemListModel  *self,
                                                   gboolean          held);
/* Resolves the current query again (after an import or an undo). */
void             vd_item_list_model_reload       (VdItemListModel   *self);
gboolean         vd_item_list_model_get_loading  (VdItemListModel   *self);
/* Why the query last resolved could not be read (the model is then empty),
 * or NULL. */
const GError    *vd_item_list_model_get_error    (VdItemListModel   *self);

/* Position of the item with row id @id, or GTK_INVALID_LIST_POSITION
 * (G_MAXUINT) when it is not in the model. */
guint            vd_item_list_model_find         (VdItemListModel   *self,
                                                  gint64             id);
/* Drops one position at once (a decided item leaving a "pending" view),
 * without resolving the query again. */
void             vd_item_list_model_remove       (VdItemListModel   *self,
                                                  guint              position);
/* Fetches the item with row id @id again (after a decision changed it). */
void             vd_item_list_model_refresh_item (VdItemListModel   *self,
                                                  gint64             id);
/* TRUE once the item's fields have been fetched. */
gboolean         vd_item_list_model_is_materialised (VdItemListModel *self,
                                                     VdItem          *item);
/* How many items hold their fields right now (for tests and benchmarks). */
guint            vd_item_list_model_get_n_materialised (VdItemListModel *self);

G_END_DECLS
