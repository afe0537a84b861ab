/* vd-item-row.h
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

#include <gtk/gtk.h>

#include "vd-core.h"

G_BEGIN_DECLS

#define VD_TYPE_ITEM_ROW (vd_item_row_get_type ())

G_DECLARE_FINAL_TYPE (VdItemRow, vd_item_row, VD, ITEM_ROW, GtkWidget)

GtkWidget *vd_item_row_new        (void);
VdItem    *vd_item_row_get_item   (VdItemRow *self);
void       vd_item_row_set_item   (VdItemRow *self,
                                   VdItem    *item);
VdPolicy  *vd_item_row_get_policy (VdItemRow *self);
void       vd_item_row_set_policy (VdItemRow *self,
                                   VdPolicy  *policy);

void       vd_item_row_set_claimed_by (VdItemRow  *self,
                                       const char *reviewer_id);
const char *vd_item_row_get_claimed_by (VdItemRow *self);
const char *vd_item_row_get_accessible_description (VdItemRow *self);
guint      vd_item_row_get_n_ticking (void);

G_END_DECLS
