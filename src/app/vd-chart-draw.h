/* vd-chart-draw.h
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

void vd_chart_lookup_color (GtkWidget     *widget,
                            const char    *name,
                            GdkRGBA       *color);
void vd_chart_show_text    (cairo_t       *cr,
                            PangoLayout   *layout,
                            const char    *text,
                            double         x,
                            double         y,
                            double         xalign,
                            double         yalign,
                            const GdkRGBA *color,
                            double         alpha);

G_END_DECLS
