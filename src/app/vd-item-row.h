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

/**
 * VdDueState:
 * @VD_DUE_STATE_NONE: no deadline
 * @VD_DUE_STATE_OK: time enough left
 * @VD_DUE_STATE_SOON: less than 10% of the item's SLA left
 * @VD_DUE_STATE_OVERDUE: the deadline has passed
 */
typedef enum
{
  VD_DUE_STATE_NONE,
  VD_DUE_STATE_OK,
  VD_DUE_STATE_SOON,
  VD_DUE_STATE_OVERDUE,
} VdDueState;

#define VD_TYPE_ITEM_ROW (vd_item_row_get_type ())

G_DECLARE_FINAL_TYPE (VdItemRow, vd_item_row, VD, ITEM_ROW, GtkWidget)

GtkWidget *vd_item_row_new        (void);
VdItem    *vd_item_row_get_item   (VdItemRow *self);
void       vd_item_row_set_item   (VdItemRow *self,
                                   VdItem    *item);
VdPolicy  *vd_item_row_get_policy (VdItemRow *self);
void       vd_item_row_set_policy (VdItemRow *self,
                                   VdPolicy  *policy);

/* How long until @due_at from @now: "45 min left", "2 h left", "3 d left",
 * or "overdue"; NULL without a deadline. *overdue says which. */
char      *vd_item_row_format_due (GDateTime *due_at,
                                   GDateTime *now,
                                   gboolean  *overdue);
GDateTime *vd_item_row_get_deadline_start (VdItem    *item,
                                           VdPolicy  *policy);
VdDueState vd_item_row_classify_due (GDateTime *arrival,
                                     GDateTime *due_at,
                                     GDateTime *now);

const char *vd_item_row_get_accessible_description (VdItemRow *self);
guint      vd_item_row_get_n_ticking (void);

G_END_DECLS
