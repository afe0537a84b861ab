/* vd-window-private.h
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

#include "vd-window.h"

G_BEGIN_DECLS

/* Internal state, for the window's own parts and the tests. */
const char *_vd_window_get_visible_page (VdWindow *self);
GListModel *_vd_window_get_items        (VdWindow *self);
GtkWidget  *_vd_window_get_list_view    (VdWindow *self);
const char *_vd_window_get_subtitle     (VdWindow *self);
const char *_vd_window_get_capped_text  (VdWindow *self);

G_END_DECLS
