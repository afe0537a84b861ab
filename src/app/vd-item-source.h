/* vd-item-source.h
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

#include <adwaita.h>

#include "vd-core.h"

G_BEGIN_DECLS

#define VD_TYPE_ITEM_SOURCE (vd_item_source_get_type ())

G_DECLARE_FINAL_TYPE (VdItemSource, vd_item_source, VD, ITEM_SOURCE, GtkWidget)

GtkWidget  *vd_item_source_new          (void);
VdItem     *vd_item_source_get_item     (VdItemSource *self);
void        vd_item_source_set_item     (VdItemSource *self,
                                         VdItem       *item);
VdStore    *vd_item_source_get_store    (VdItemSource *self);
void        vd_item_source_set_store    (VdItemSource *self,
                                         VdStore      *store);
void        vd_item_source_set_siblings (VdItemSource *self,
                                         GPtrArray    *siblings);
guint       vd_item_source_get_n_siblings (VdItemSource *self);

const char *vd_item_source_get_text     (VdItemSource *self,
                                         const char   *part);

G_END_DECLS
