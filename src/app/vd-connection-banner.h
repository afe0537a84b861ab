/* vd-connection-banner.h
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

#include "vd-session.h"

G_BEGIN_DECLS

#define VD_TYPE_CONNECTION_BANNER (vd_connection_banner_get_type ())

G_DECLARE_FINAL_TYPE (VdConnectionBanner, vd_connection_banner, VD, CONNECTION_BANNER, GtkWidget)

GtkWidget  *vd_connection_banner_new          (void);
VdSession  *vd_connection_banner_get_session  (VdConnectionBanner *self);
void        vd_connection_banner_set_session  (VdConnectionBanner *self,
                                               VdSession          *session);
gboolean    vd_connection_banner_get_revealed (VdConnectionBanner *self);
const char *vd_connection_banner_get_text     (VdConnectionBanner *self);

G_END_DECLS
