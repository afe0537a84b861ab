/* vd-chart-draw.c
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

#define G_LOG_DOMAIN "vd-chart-draw"

#include "config.h"

#include "vd-chart-draw.h"

/* What the statistics charts (reliability, timeline) draw alike. */

/**
 * vd_chart_lookup_color:
 * @widget: the chart
 * @name: (nullable): a named colour of the style sheet, e.g. "accent_color"
 * @color: (out): where to store the colour
 *
 * Looks up a named colour of the theme (Adwaita's, light or dark), with the
 * widget's foreground as the fallback and for %NULL.
 */
void
vd_chart_lookup_color (GtkWidget  *widget,
                       const char *name,
                       GdkRGBA    *color)
{
  GtkStyleContext *context;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (color != NULL);

  context = gtk_widget_get_style_context (widget);
  if (name == NULL || !gtk_style_context_lookup_color (context, name, color))
    gtk_style_context_get_color (context, color);
}

/**
 * vd_chart_show_text:
 * @cr: where to draw
 * @layout: a layout for @cr
 * @text: the text
 * @x: where the text goes
 * @y: where the text goes
 * @xalign: which point of the text is at @x: 0 its left, 0.5 its middle, 1 its right
 * @yalign: which point of the text is at @y: 0 its top, 0.5 its middle, 1 its bottom
 * @color: the colour
 * @alpha: the opacity, times the colour's own
 *
 * Draws a label of a chart; the source of @cr is left as it was.
 */
void
vd_chart_show_text (cairo_t       *cr,
                    PangoLayout   *layout,
                    const char    *text,
                    double         x,
                    double         y,
                    double         xalign,
                    double         yalign,
                    const GdkRGBA *color,
                    double         alpha)
{
  int width, height;

  g_return_if_fail (cr != NULL);
  g_return_if_fail (PANGO_IS_LAYOUT (layout));
  g_return_if_fail (text != NULL);
  g_return_if_fail (color != NULL);

  pango_layout_set_text (layout, text, -1);
  pango_layout_get_pixel_size (layout, &width, &height);

  cairo_save (cr);
  cairo_set_source_rgba (cr, color->red, color->green, color->blue, color->alpha * alpha);
  cairo_move_to (cr, x - xalign * width, y - yalign * height);
  pango_cairo_show_layout (cr, layout);
  cairo_restore (cr);
}
