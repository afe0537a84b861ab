/* vd-bulk-dialog.h
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
#include "vd-session.h"

G_BEGIN_DECLS

#define VD_TYPE_BULK_DIALOG (vd_bulk_dialog_get_type ())

G_DECLARE_FINAL_TYPE (VdBulkDialog, vd_bulk_dialog, VD, BULK_DIALOG, AdwWindow)

VdBulkDialog *vd_bulk_dialog_new     (GtkWindow    *parent,
                                      VdSession    *session,
                                      const char   *queue);
void          vd_bulk_dialog_refresh (VdBulkDialog *self);

/* Internal state, for the tests. */
void          _vd_bulk_dialog_set_seed      (VdBulkDialog     *self,
                                             gint64            seed);
void          _vd_bulk_dialog_set_band      (VdBulkDialog     *self,
                                             const VdBulkBand *band,
                                             double            percent);
const char   *_vd_bulk_dialog_get_page      (VdBulkDialog     *self);
gint64        _vd_bulk_dialog_get_band_size (VdBulkDialog     *self);
GPtrArray    *_vd_bulk_dialog_get_sample    (VdBulkDialog     *self);
gboolean      _vd_bulk_dialog_get_busy      (VdBulkDialog     *self);
const char   *_vd_bulk_dialog_get_message   (VdBulkDialog     *self);
gint64        _vd_bulk_dialog_get_sample_item_id (VdBulkDialog *self,
                                             guint             index);

G_END_DECLS
