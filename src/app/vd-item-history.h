/* vd-item-history.h
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

#define VD_TYPE_ITEM_HISTORY (vd_item_history_get_type ())

G_DECLARE_FINAL_TYPE (VdItemHistory, vd_item_history, VD, ITEM_HISTORY, GtkWidget)

GtkWidget *vd_item_history_new       (void);
VdItem    *vd_item_history_get_item  (VdItemHistory *self);
void       vd_item_history_set_item  (VdItemHistory *self,
                                      VdItem        *item);
VdStore   *vd_item_history_get_store (VdItemHistory *self);
void       vd_item_history_set_store (VdItemHistory *self,
                                      VdStore       *store);
void       vd_item_history_reload    (VdItemHistory *self);
const char *vd_item_history_get_review_summary (VdItemHistory *self);
const char *vd_item_history_get_first_reviewer (VdItemHistory *self);

G_END_DECLS
