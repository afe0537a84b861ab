/* vd-timeline-chart.c
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

#define G_LOG_DOMAIN "vd-timeline-chart"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "vd-chart-draw.h"
#include "vd-timeline-chart.h"

/* The series, bottom to top, and the theme colours they are drawn in. */
enum {
  SERIES_APPROVED,
  SERIES_MODIFIED,
  SERIES_REJECTED,
  SERIES_ESCALATED,
  SERIES_AUTOMATIC,
  N_SERIES
};

#define PAD 6.0

struct _VdTimelineChart
{
  GtkWidget  parent_instance;

  GArray    *days;          /* VdInsightsDay, oldest first */
  guint      n_snapshots;
};

G_DEFINE_FINAL_TYPE (VdTimelineChart, vd_timeline_chart, GTK_TYPE_WIDGET)

static guint64
day_value (const VdInsightsDay *day,
           guint                series)
{
  switch (series)
    {
    case SERIES_APPROVED:
      return day->approved;
    case SERIES_MODIFIED:
      return day->modified;
    case SERIES_REJECTED:
      return day->rejected;
    case SERIES_ESCALATED:
      return day->escalated;
    case SERIES_AUTOMATIC:
    default:
      return day->automatic;
    }
}

static guint64
day_total (const VdInsightsDay *day)
{
  return day->approved + day->modified + day->rejected + day->escalated + day->automatic;
}

static void
series_color (GtkWidget *widget,
              guint      series,
              GdkRGBA   *color)
{
  static const char *names[N_SERIES] = {
    "success_color", "accent_color", "error_color", "warning_color", NULL,
  };

  vd_chart_lookup_color (widget, names[series], color);
  if (series == SERIES_AUTOMATIC)
    color->alpha *= 0.35;
}

/* The smallest of 1, 2, 3, 4, 5, 6 and 8 times a power of ten (or 10 for
 * the values up to ten) at or above @value: a round top for the axis whose
 * half is round too. */
static double
nice_ceiling (double value)
{
  static const double steps[] = { 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0 };
  double magnitude;

  if (value <= 10.0)
    return value <= 2.0 ? 2.0 : (value <= 4.0 ? 4.0 : 10.0);

  magnitude = pow (10.0, floor (log10 (value)));
  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    if (value <= steps[i] * magnitude)
      return steps[i] * magnitude;

  return 10.0 * magnitude;
}

static char *
format_day (gint64 day)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (day);

  /* Translators: a day on the axis of a chart, see g_date_time_format() */
  return time != NULL ? g_date_time_format (time, _("%b %-d")) : g_strdup ("?");
}

static void
vd_timeline_chart_draw (VdTimelineChart *self,
                        cairo_t         *cr,
                        double           width,
                        double           height)
{
  GtkWidget *widget = GTK_WIDGET (self);
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, NULL);
  g_autofree char *max_text = NULL;
  GdkRGBA fg, grid;
  guint64 max_total = 0;
  double top, left, right, bottom, plot_w, plot_h, slot, bar_w, max_value;
  int text_w, text_h, label_w;
  guint n_days = self->days != NULL ? self->days->len : 0;
  guint step;

  vd_chart_lookup_color (widget, NULL, &fg);
  grid = fg;
  grid.alpha *= 0.15;

  for (guint i = 0; i < n_days; i++)
    max_total = MAX (max_total, day_total (&g_array_index (self->days, VdInsightsDay, i)));
  max_value = nice_ceiling ((double) max_total);

  pango_cairo_update_layout (cr, layout);
  max_text = g_strdup_printf ("%.0f", max_value);
  pango_layout_set_text (layout, max_text, -1);
  pango_layout_get_pixel_size (layout, &text_w, &text_h);

  top = text_h / 2.0 + 2.0;
  left = text_w + 2 * PAD;
  right = width - PAD;
  bottom = height - text_h - PAD;
  plot_w = right - left;
  plot_h = bottom - top;
  if (plot_w <= 0 || plot_h <= 0)
    return;

  /* The grid: 0, half and the top, labelled. */
  for (guint i = 0; i <= 2; i++)
    {
      double value = max_value * i / 2.0;
      double y = round (bottom - plot_h * i / 2.0) + 0.5;
      g_autofree char *text = g_strdup_printf ("%.0f", value);

      gdk_cairo_set_source_rgba (cr, &grid);
      cairo_set_line_width (cr, 1.0);
      cairo_move_to (cr, left, y);
      cairo_line_to (cr, right, y);
      cairo_stroke (cr);

      if (i == 1 && fmod (value, 1.0) != 0.0)
        continue;

      cairo_save (cr);
      cairo_push_group (cr);
      vd_chart_show_text (cr, layout, text, left - PAD, y, 1.0, 0.5, &fg, 1.0);
      cairo_pop_group_to_source (cr);
      cairo_paint_with_alpha (cr, 0.7);
      cairo_restore (cr);
    }

  if (n_days == 0)
    return;

  slot = plot_w / n_days;
  bar_w = MAX (1.0, slot * 0.7);

  for (guint i = 0; i < n_days; i++)
    {
      const VdInsightsDay *day = &g_array_index (self->days, VdInsightsDay, i);
      double x = left + slot * i + (slot - bar_w) / 2.0;
      double y = bottom;

      for (guint series = 0; series < N_SERIES; series++)
        {
          guint64 value = day_value (day, series);
          double h;
          GdkRGBA color;

          if (value == 0)
            continue;

          h = plot_h * value / max_value;
          series_color (widget, series, &color);
          gdk_cairo_set_source_rgba (cr, &color);
          cairo_rectangle (cr, x, y - h, bar_w, h);
          cairo_fill (cr);
          y -= h;
        }
    }

  /* Day labels where they fit: the first, then every step-th. */
  {
    g_autofree char *sample = format_day (g_array_index (self->days, VdInsightsDay, 0).day);

    pango_layout_set_text (layout, sample, -1);
    pango_layout_get_pixel_size (layout, &label_w, NULL);
  }
  step = (guint) MAX (1.0, ceil ((label_w + 2 * PAD) / slot));

  for (guint i = 0; i < n_days; i += step)
    {
      g_autofree char *text = format_day (g_array_index (self->days, VdInsightsDay, i).day);
      double x = left + slot * (i + 0.5);

      cairo_save (cr);
      cairo_push_group (cr);
      vd_chart_show_text (cr, layout, text, CLAMP (x, left + label_w / 2.0, right - label_w / 2.0),
                          bottom + PAD / 2.0 + text_h / 2.0, 0.5, 0.5, &fg, 1.0);
      cairo_pop_group_to_source (cr);
      cairo_paint_with_alpha (cr, 0.7);
      cairo_restore (cr);
    }
}

static void
vd_timeline_chart_snapshot (GtkWidget   *widget,
                            GtkSnapshot *snapshot)
{
  VdTimelineChart *self = VD_TIMELINE_CHART (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  cairo_t *cr;

  if (width <= 0 || height <= 0)
    return;

  self->n_snapshots++;

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  vd_timeline_chart_draw (self, cr, width, height);
  cairo_destroy (cr);
}

static void
vd_timeline_chart_measure (GtkWidget      *widget,
                           GtkOrientation  orientation,
                           int             for_size,
                           int            *minimum,
                           int            *natural,
                           int            *minimum_baseline,
                           int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 200;
      *natural = 560;
    }
  else
    {
      *minimum = 140;
      *natural = 200;
    }
}

static void
vd_timeline_chart_css_changed (GtkWidget         *widget,
                               GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (vd_timeline_chart_parent_class)->css_changed (widget, change);

  /* The colours come from the theme: light, dark or high contrast. */
  gtk_widget_queue_draw (widget);
}

static void
vd_timeline_chart_finalize (GObject *object)
{
  VdTimelineChart *self = (VdTimelineChart *)object;

  g_clear_pointer (&self->days, g_array_unref);

  G_OBJECT_CLASS (vd_timeline_chart_parent_class)->finalize (object);
}

static void
vd_timeline_chart_class_init (VdTimelineChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = vd_timeline_chart_finalize;
  widget_class->snapshot = vd_timeline_chart_snapshot;
  widget_class->measure = vd_timeline_chart_measure;
  widget_class->css_changed = vd_timeline_chart_css_changed;

  gtk_widget_class_set_css_name (widget_class, "vdtimelinechart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
vd_timeline_chart_init (VdTimelineChart *self)
{
  self->days = g_array_new (FALSE, FALSE, sizeof (VdInsightsDay));

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Decisions per day"),
                                  -1);
}

/**
 * vd_timeline_chart_new:
 *
 * Returns: (transfer floating): a new, empty chart
 */
GtkWidget *
vd_timeline_chart_new (void)
{
  return g_object_new (VD_TYPE_TIMELINE_CHART, NULL);
}

/**
 * vd_timeline_chart_set_days:
 * @self: a #VdTimelineChart
 * @days: (nullable) (element-type VdInsightsDay): the days, oldest first
 *
 * Shows @days (copied).
 */
void
vd_timeline_chart_set_days (VdTimelineChart *self,
                            GArray          *days)
{
  g_autofree char *text = NULL;
  guint64 totals[N_SERIES] = { 0, };

  g_return_if_fail (VD_IS_TIMELINE_CHART (self));

  g_array_set_size (self->days, 0);
  if (days != NULL && days->len > 0)
    g_array_append_vals (self->days, days->data, days->len);

  for (guint i = 0; i < self->days->len; i++)
    for (guint series = 0; series < N_SERIES; series++)
      totals[series] += day_value (&g_array_index (self->days, VdInsightsDay, i), series);

  /* Translators: the summary of a chart for screen readers */
  text = g_strdup_printf (_("Over %u days: %u approved, %u modified, %u rejected, "
                            "%u escalated, %u decided automatically"),
                          self->days->len, (guint) totals[SERIES_APPROVED],
                          (guint) totals[SERIES_MODIFIED], (guint) totals[SERIES_REJECTED],
                          (guint) totals[SERIES_ESCALATED], (guint) totals[SERIES_AUTOMATIC]);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text,
                                  -1);

  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/**
 * vd_timeline_chart_get_n_days:
 * @self: a #VdTimelineChart
 *
 * Returns: the days shown
 */
guint
vd_timeline_chart_get_n_days (VdTimelineChart *self)
{
  g_return_val_if_fail (VD_IS_TIMELINE_CHART (self), 0);

  return self->days->len;
}

/**
 * vd_timeline_chart_dup_text:
 * @self: a #VdTimelineChart
 *
 * The figures of the chart as text, one line per day with decisions.
 *
 * Returns: (transfer full): the text
 */
char *
vd_timeline_chart_dup_text (VdTimelineChart *self)
{
  g_autoptr(GString) text = g_string_new (NULL);

  g_return_val_if_fail (VD_IS_TIMELINE_CHART (self), NULL);

  for (guint i = 0; i < self->days->len; i++)
    {
      const VdInsightsDay *day = &g_array_index (self->days, VdInsightsDay, i);
      g_autofree char *date = NULL;

      if (day_total (day) == 0)
        continue;

      date = format_day (day->day);
      if (text->len > 0)
        g_string_append_c (text, '\n');
      /* Translators: one day of the decisions-over-time chart as text */
      g_string_append_printf (text, _("%s: %u approved, %u modified, %u rejected, "
                                      "%u escalated, %u automatic"),
                              date, (guint) day->approved, (guint) day->modified,
                              (guint) day->rejected, (guint) day->escalated,
                              (guint) day->automatic);
    }

  if (text->len == 0)
    g_string_append (text, _("No decisions in this period."));

  return g_string_free (g_steal_pointer (&text), FALSE);
}

/**
 * vd_timeline_chart_get_n_snapshots:
 * @self: a #VdTimelineChart
 *
 * Returns: how many times the chart was drawn
 */
guint
vd_timeline_chart_get_n_snapshots (VdTimelineChart *self)
{
  g_return_val_if_fail (VD_IS_TIMELINE_CHART (self), 0);

  return self->n_snapshots;
}
