/* vd-reliability-chart.c
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

#define G_LOG_DOMAIN "vd-reliability-chart"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "vd-chart-draw.h"
#include "vd-reliability-chart.h"

#define PAD 6.0

struct _VdReliabilityChart
{
  GtkWidget         parent_instance;

  VdCalibrationBin  bins[VD_CALIBRATION_N_BINS];
  guint64           count;
  double            ece;
  double            brier;
  guint             n_snapshots;
};

G_DEFINE_FINAL_TYPE (VdReliabilityChart, vd_reliability_chart, GTK_TYPE_WIDGET)

static void
vd_reliability_chart_draw (VdReliabilityChart *self,
                           cairo_t            *cr,
                           double              width,
                           double              height)
{
  GtkWidget *widget = GTK_WIDGET (self);
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, NULL);
  g_autoptr(PangoLayout) small = gtk_widget_create_pango_layout (widget, NULL);
  PangoAttrList *attrs;
  GdkRGBA fg, accent, grid;
  double left, right, top, bottom, sx, sy, x0, y0;
  guint64 max_count = 0;
  int text_w, text_h;
  const double dash[] = { 4.0, 4.0 };

  vd_chart_lookup_color (widget, NULL, &fg);
  vd_chart_lookup_color (widget, "accent_color", &accent);
  grid = fg;
  grid.alpha *= 0.15;

  pango_cairo_update_layout (cr, layout);
  pango_cairo_update_layout (cr, small);
  attrs = pango_attr_list_new ();
  pango_attr_list_insert (attrs, pango_attr_scale_new (PANGO_SCALE_SMALL));
  pango_layout_set_attributes (small, attrs);
  pango_attr_list_unref (attrs);

  pango_layout_set_text (layout, "100%", -1);
  pango_layout_get_pixel_size (layout, &text_w, &text_h);

  /* The plot, at most twice as wide as high and centred, the axis labels
   * left of and below it, room above for the counts and the axis title. */
  left = text_w + 2 * PAD;
  top = 2 * text_h + PAD;
  right = width - PAD;
  bottom = height - 2 * text_h - PAD;
  sy = bottom - top;
  sx = MIN (right - left, 2.0 * sy);
  if (sx <= 0 || sy <= 0)
    return;
  x0 = left + floor ((right - left - sx) / 2.0);
  y0 = top + sy;

  /* The grid and the axes' labels: 0, 50% and 100% both ways. */
  cairo_set_line_width (cr, 1.0);
  for (guint i = 0; i <= 4; i++)
    {
      double f = i / 4.0;

      gdk_cairo_set_source_rgba (cr, &grid);
      cairo_move_to (cr, x0, round (y0 - sy * f) + 0.5);
      cairo_line_to (cr, x0 + sx, round (y0 - sy * f) + 0.5);
      cairo_move_to (cr, round (x0 + sx * f) + 0.5, y0);
      cairo_line_to (cr, round (x0 + sx * f) + 0.5, y0 - sy);
      cairo_stroke (cr);

      if (i % 2 == 0)
        {
          g_autofree char *percent = g_strdup_printf ("%u%%", i * 25);
          g_autofree char *fraction = g_strdup_printf ("%.1f", f);

          vd_chart_show_text (cr, layout, percent, x0 - PAD, y0 - sy * f, 1.0, 0.5, &fg, 0.7);
          vd_chart_show_text (cr, layout, fraction, x0 + sx * f, y0 + PAD / 2.0, 0.5, 0.0,
                              &fg, 0.7);
        }
    }

  /* Axis titles. */
  vd_chart_show_text (cr, layout, _("Stated confidence"), x0 + sx / 2.0, y0 + PAD / 2.0 + text_h,
                      0.5, 0.0, &fg, 0.85);
  vd_chart_show_text (cr, layout, _("Approved unchanged"), x0, top - text_h - PAD / 2.0, 0.0, 1.0,
                      &fg, 0.85);

  /* The diagonal: a perfectly calibrated agent. */
  cairo_save (cr);
  cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, fg.alpha * 0.45);
  cairo_set_dash (cr, dash, G_N_ELEMENTS (dash), 0);
  cairo_move_to (cr, x0, y0);
  cairo_line_to (cr, x0 + sx, y0 - sy);
  cairo_stroke (cr);
  cairo_restore (cr);

  for (guint i = 0; i < VD_CALIBRATION_N_BINS; i++)
    max_count = MAX (max_count, self->bins[i].count);

  /* One bar per bin, more opaque the more items it holds, with its count
   * above it and a point at the bin's mean confidence. */
  for (guint i = 0; i < VD_CALIBRATION_N_BINS; i++)
    {
      const VdCalibrationBin *bin = &self->bins[i];
      g_autofree char *count = NULL;
      double bx, bw, bh, weight;

      /* Items without a confidence are never counted in a bin. */
      if (bin->count == 0 || isnan (bin->mean_confidence))
        continue;

      bx = x0 + sx * bin->lower + 1.5;
      bw = sx * (bin->upper - bin->lower) - 3.0;
      bh = sy * bin->approval_rate;
      weight = 0.25 + 0.45 * ((double) bin->count / (double) max_count);

      cairo_set_source_rgba (cr, accent.red, accent.green, accent.blue, accent.alpha * weight);
      cairo_rectangle (cr, bx, y0 - bh, bw, bh);
      cairo_fill (cr);

      gdk_cairo_set_source_rgba (cr, &accent);
      cairo_arc (cr, x0 + sx * bin->mean_confidence, y0 - bh, 3.5, 0, 2 * G_PI);
      cairo_fill (cr);

      /* Short, to fit over a narrow bar: 4.9k, 12k. */
      if (bin->count >= 10000)
        count = g_strdup_printf ("%.0fk", bin->count / 1000.0);
      else if (bin->count >= 1000)
        count = g_strdup_printf ("%.1fk", bin->count / 1000.0);
      else
        count = g_strdup_printf ("%" G_GUINT64_FORMAT, bin->count);
      vd_chart_show_text (cr, small, count, bx + bw / 2.0, y0 - bh - 5.0, 0.5, 1.0, &fg, 0.8);
    }
}

static void
vd_reliability_chart_snapshot (GtkWidget   *widget,
                               GtkSnapshot *snapshot)
{
  VdReliabilityChart *self = VD_RELIABILITY_CHART (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  cairo_t *cr;

  if (width <= 0 || height <= 0)
    return;

  self->n_snapshots++;

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  vd_reliability_chart_draw (self, cr, width, height);
  cairo_destroy (cr);
}

static void
vd_reliability_chart_measure (GtkWidget      *widget,
                              GtkOrientation  orientation,
                              int             for_size,
                              int            *minimum,
                              int            *natural,
                              int            *minimum_baseline,
                              int            *natural_baseline)
{
  *minimum = 200;
  *natural = 320;
}

static void
vd_reliability_chart_css_changed (GtkWidget         *widget,
                                  GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (vd_reliability_chart_parent_class)->css_changed (widget, change);

  gtk_widget_queue_draw (widget);
}

static void
vd_reliability_chart_class_init (VdReliabilityChartClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  widget_class->snapshot = vd_reliability_chart_snapshot;
  widget_class->measure = vd_reliability_chart_measure;
  widget_class->css_changed = vd_reliability_chart_css_changed;

  gtk_widget_class_set_css_name (widget_class, "vdreliabilitychart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
vd_reliability_chart_init (VdReliabilityChart *self)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Reliability diagram: stated confidence against approval"),
                                  -1);
}

/**
 * vd_reliability_chart_new:
 *
 * Returns: (transfer floating): a new, empty chart
 */
GtkWidget *
vd_reliability_chart_new (void)
{
  return g_object_new (VD_TYPE_RELIABILITY_CHART, NULL);
}

/**
 * vd_reliability_chart_set_group:
 * @self: a #VdReliabilityChart
 * @group: (nullable): the calibration figures to show, %NULL for none
 *
 * Shows the bins of @group (copied).
 */
void
vd_reliability_chart_set_group (VdReliabilityChart       *self,
                                const VdCalibrationGroup *group)
{
  g_autofree char *text = NULL;

  g_return_if_fail (VD_IS_RELIABILITY_CHART (self));

  memset (self->bins, 0, sizeof self->bins);
  self->count = 0;
  self->ece = 0.0;
  self->brier = 0.0;

  if (group != NULL)
    {
      memcpy (self->bins, group->bins, sizeof self->bins);
      self->count = group->count;
      self->ece = group->ece;
      self->brier = group->brier;
    }

  /* Translators: the summary of a chart for screen readers; ECE is the
   * expected calibration error */
  text = g_strdup_printf (_("%u items decided by a human; expected calibration error %.3f, "
                            "Brier score %.3f"),
                          (guint) self->count, self->ece, self->brier);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text,
                                  -1);

  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/**
 * vd_reliability_chart_get_count:
 * @self: a #VdReliabilityChart
 *
 * Returns: the items the diagram rests on
 */
guint64
vd_reliability_chart_get_count (VdReliabilityChart *self)
{
  g_return_val_if_fail (VD_IS_RELIABILITY_CHART (self), 0);

  return self->count;
}

/**
 * vd_reliability_chart_dup_text:
 * @self: a #VdReliabilityChart
 *
 * The figures of the diagram as text, one line per bin with items.
 *
 * Returns: (transfer full): the text
 */
char *
vd_reliability_chart_dup_text (VdReliabilityChart *self)
{
  g_autoptr(GString) text = g_string_new (NULL);

  g_return_val_if_fail (VD_IS_RELIABILITY_CHART (self), NULL);

  for (guint i = 0; i < VD_CALIBRATION_N_BINS; i++)
    {
      const VdCalibrationBin *bin = &self->bins[i];

      /* Items without a confidence are never counted in a bin. */
      if (bin->count == 0 || isnan (bin->mean_confidence))
        continue;

      if (text->len > 0)
        g_string_append_c (text, '\n');
      /* Translators: one bin of the reliability diagram as text, e.g.
       * "0.8–0.9: 40 items, mean confidence 0.85, 90% approved unchanged" */
      g_string_append_printf (text, _("%.1f–%.1f: %u items, mean confidence %.2f, "
                                      "%.0f%% approved unchanged"),
                              bin->lower, bin->upper, (guint) bin->count, bin->mean_confidence,
                              bin->approval_rate * 100.0);
    }

  if (text->len == 0)
    g_string_append (text, _("No item was decided by a human yet."));

  return g_string_free (g_steal_pointer (&text), FALSE);
}

/**
 * vd_reliability_chart_get_n_snapshots:
 * @self: a #VdReliabilityChart
 *
 * Returns: how many times the chart was drawn
 */
guint
vd_reliability_chart_get_n_snapshots (VdReliabilityChart *self)
{
  g_return_val_if_fail (VD_IS_RELIABILITY_CHART (self), 0);

  return self->n_snapshots;
}
