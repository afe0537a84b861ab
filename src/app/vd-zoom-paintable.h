/* vd-zoom-paintable.h
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

G_BEGIN_DECLS

#define VD_TYPE_ZOOM_PAINTABLE (vd_zoom_paintable_get_type ())

G_DECLARE_FINAL_TYPE (VdZoomPaintable, vd_zoom_paintable, VD, ZOOM_PAINTABLE, GObject)

VdZoomPaintable *vd_zoom_paintable_new       (GdkPaintable    *paintable);
GdkPaintable    *vd_zoom_paintable_get_child (VdZoomPaintable *self);
double           vd_zoom_paintable_get_scale (VdZoomPaintable *self);
void             vd_zoom_paintable_set_scale (VdZoomPaintable *self,
                                              double           scale);

G_END_DECLS
