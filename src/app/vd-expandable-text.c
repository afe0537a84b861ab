/* vd-expandable-text.c
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

#define G_LOG_DOMAIN "vd-expandable-text"

#include "config.h"

#include <glib/gi18n.h>

#include "vd-expandable-text.h"

/* Between the text and the button. */
#define SPACING 6

/* Lines past max_lines shown rather than cut. */
#define SLACK_LINES 2

/**
 * VdExpandableText:
 *
 * A wrapping, selectable text cut to a few lines, with a button below it
 * that shows the rest in place ("Show More", or "12 More Lines" when it
 * counts them) and takes it back ("Show Less"). The button is there only
 * when the text is longer than the lines shown, at the width it has.
 *
 * The text is set on the label (vd_expandable_text_get_label()).
 */
struct _VdExpandableText
{
  GtkWidget  parent_instance;

  GtkLabel  *label;
  GtkButton *button;

  int        max_lines;
  gboolean   expanded;
  gboolean   count_lines;

  /* The number of lines of the text at counted_width, and the height of
   * the first max_lines of them; -1 when unknown. */
  int        n_lines;
  int        cut_height;
  int        counted_width;

  /* At the width last allocated. */
  int        shown_height;
  int        n_hidden_lines;
  gboolean   collapsible;
};

G_DEFINE_FINAL_TYPE (VdExpandableText, vd_expandable_text, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_MAX_LINES,
  PROP_EXPANDED,
  PROP_COUNT_LINES,
  PROP_N_HIDDEN_LINES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static int
vd_expandable_text_count (VdExpandableText *self,
                          int               width)
{
  g_autoptr(PangoLayout) layout = NULL;
  PangoLayoutIter *iter;
  int line = 0;

  if (self->n_lines >= 0 && self->counted_width == width)
    return self->n_lines;

  /* The label's own layout fits its current allocation, not @width. */
  layout = gtk_widget_create_pango_layout (GTK_WIDGET (self->label),
                                           gtk_label_get_text (self->label));
  pango_layout_set_wrap (layout, gtk_label_get_wrap_mode (self->label));
  pango_layout_set_width (layout, width > 0 ? width * PANGO_SCALE : -1);

  self->counted_width = width;
  self->n_lines = pango_layout_get_line_count (layout);
  self->cut_height = 0;

  iter = pango_layout_get_iter (layout);
  do
    {
      int y1;

      if (line++ >= self->max_lines)
        break;
      pango_layout_iter_get_line_yrange (iter, NULL, &y1);
      self->cut_height = PANGO_PIXELS_CEIL (y1);
    }
  while (pango_layout_iter_next_line (iter));
  pango_layout_iter_free (iter);

  return self->n_lines;
}

/* A button that hides a line or two would take their place: such a text
 * is shown whole. */
static gboolean
vd_expandable_text_cut (VdExpandableText *self,
                        int               width)
{
  return self->max_lines > 0 &&
         vd_expandable_text_count (self, width) > self->max_lines + SLACK_LINES;
}

static void
vd_expandable_text_update_button (VdExpandableText *self)
{
  g_autofree char *text = NULL;

  if (self->expanded)
    text = g_strdup (_("Show Less"));
  else if (self->count_lines)
    /* Translators: on a button below a text cut short, e.g. "12 More Lines" */
    text = g_strdup_printf (ngettext ("%d More Line", "%d More Lines", self->n_hidden_lines),
                            self->n_hidden_lines);
  else
    text = g_strdup (_("Show More"));

  if (g_strcmp0 (gtk_button_get_label (self->button), text) != 0)
    gtk_button_set_label (self->button, text);
}

static void
vd_expandable_text_measure (GtkWidget      *widget,
                            GtkOrientation  orientation,
                            int             for_size,
                            int            *minimum,
                            int            *natural,
                            int            *minimum_baseline,
                            int            *natural_baseline)
{
  VdExpandableText *self = VD_EXPANDABLE_TEXT (widget);
  int label_min, label_nat, button_min, button_nat;

  gtk_widget_measure (GTK_WIDGET (self->label), orientation,
                      orientation == GTK_ORIENTATION_VERTICAL ? for_size : -1,
                      &label_min, &label_nat, NULL, NULL);
  gtk_widget_measure (GTK_WIDGET (self->button), orientation, -1,
                      &button_min, &button_nat, NULL, NULL);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = MAX (label_min, button_min);
      *natural = MAX (label_nat, button_nat);
    }
  else if (vd_expandable_text_cut (self, for_size))
    {
      if (!self->expanded)
        label_min = label_nat = MIN (label_nat, self->cut_height);
      *minimum = label_min + SPACING + button_nat;
      *natural = label_nat + SPACING + button_nat;
    }
  else
    {
      *minimum = label_min;
      *natural = label_nat;
    }
}

static GtkSizeRequestMode
vd_expandable_text_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
vd_expandable_text_size_allocate (GtkWidget *widget,
                                  int        width,
                                  int        height,
                                  int        baseline)
{
  VdExpandableText *self = VD_EXPANDABLE_TEXT (widget);
  gboolean collapsible = vd_expandable_text_cut (self, width);
  int n_hidden = collapsible && !self->expanded ? self->n_lines - self->max_lines : 0;
  int label_height, shown_height;

  if (n_hidden != self->n_hidden_lines || collapsible != self->collapsible)
    {
      self->n_hidden_lines = n_hidden;
      self->collapsible = collapsible;
      vd_expandable_text_update_button (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_HIDDEN_LINES]);
    }
  gtk_widget_set_child_visible (GTK_WIDGET (self->button), collapsible);

  /* The label is laid out whole; what is cut is not drawn. */
  gtk_widget_measure (GTK_WIDGET (self->label), GTK_ORIENTATION_VERTICAL, width,
                      NULL, &label_height, NULL, NULL);
  if (!collapsible)
    label_height = MAX (label_height, height);
  gtk_widget_allocate (GTK_WIDGET (self->label), width, label_height, -1, NULL);

  shown_height = n_hidden > 0 ? MIN (self->cut_height, label_height) : label_height;
  self->shown_height = collapsible ? shown_height : height;

  if (collapsible)
    {
      int button_width, button_height;

      gtk_widget_measure (GTK_WIDGET (self->button), GTK_ORIENTATION_HORIZONTAL, -1,
                          NULL, &button_width, NULL, NULL);
      button_width = MIN (button_width, width);
      gtk_widget_measure (GTK_WIDGET (self->button), GTK_ORIENTATION_VERTICAL, button_width,
                          NULL, &button_height, NULL, NULL);
      gtk_widget_allocate (GTK_WIDGET (self->button), button_width, button_height, -1,
                           gsk_transform_translate (NULL,
                                                    &GRAPHENE_POINT_INIT (0,
                                                                          shown_height +
                                                                          SPACING)));
    }
}

static void
vd_expandable_text_snapshot (GtkWidget   *widget,
                             GtkSnapshot *snapshot)
{
  VdExpandableText *self = VD_EXPANDABLE_TEXT (widget);

  gtk_snapshot_push_clip (snapshot,
                          &GRAPHENE_RECT_INIT (0, 0,
                                               gtk_widget_get_width (widget),
                                               self->shown_height));
  gtk_widget_snapshot_child (widget, GTK_WIDGET (self->label), snapshot);
  gtk_snapshot_pop (snapshot);

  gtk_widget_snapshot_child (widget, GTK_WIDGET (self->button), snapshot);
}

static void
label_notify_cb (VdExpandableText *self)
{
  self->n_lines = -1;
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

static void
button_clicked_cb (VdExpandableText *self)
{
  vd_expandable_text_set_expanded (self, !self->expanded);
}

static void
vd_expandable_text_dispose (GObject *object)
{
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (object), VD_TYPE_EXPANDABLE_TEXT);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (vd_expandable_text_parent_class)->dispose (object);
}

static void
vd_expandable_text_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  VdExpandableText *self = VD_EXPANDABLE_TEXT (object);

  switch (prop_id)
    {
    case PROP_MAX_LINES:
      g_value_set_int (value, self->max_lines);
      break;

    case PROP_EXPANDED:
      g_value_set_boolean (value, self->expanded);
      break;

    case PROP_COUNT_LINES:
      g_value_set_boolean (value, self->count_lines);
      break;

    case PROP_N_HIDDEN_LINES:
      g_value_set_int (value, self->n_hidden_lines);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vd_expandable_text_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  VdExpandableText *self = VD_EXPANDABLE_TEXT (object);

  switch (prop_id)
    {
    case PROP_MAX_LINES:
      vd_expandable_text_set_max_lines (self, g_value_get_int (value));
      break;

    case PROP_EXPANDED:
      vd_expandable_text_set_expanded (self, g_value_get_boolean (value));
      break;

    case PROP_COUNT_LINES:
      vd_expandable_text_set_count_lines (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vd_expandable_text_class_init (VdExpandableTextClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vd_expandable_text_dispose;
  object_class->get_property = vd_expandable_text_get_property;
  object_class->set_property = vd_expandable_text_set_property;

  widget_class->get_request_mode = vd_expandable_text_get_request_mode;
  widget_class->measure = vd_expandable_text_measure;
  widget_class->size_allocate = vd_expandable_text_size_allocate;
  widget_class->snapshot = vd_expandable_text_snapshot;

  /**
   * VdExpandableText:max-lines:
   *
   * How many lines are shown before the text is expanded; 0 shows it all.
   */
  properties[PROP_MAX_LINES] =
    g_param_spec_int ("max-lines", NULL, NULL,
                      0, G_MAXINT, 3,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * VdExpandableText:expanded:
   *
   * Whether the whole text is shown.
   */
  properties[PROP_EXPANDED] =
    g_param_spec_boolean ("expanded", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * VdExpandableText:count-lines:
   *
   * Whether the button says how many lines are hidden ("12 More Lines")
   * rather than "Show More".
   */
  properties[PROP_COUNT_LINES] =
    g_param_spec_boolean ("count-lines", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * VdExpandableText:n-hidden-lines:
   *
   * How many lines of the text are hidden, at the width last allocated.
   */
  properties[PROP_N_HIDDEN_LINES] =
    g_param_spec_int ("n-hidden-lines", NULL, NULL,
                      0, G_MAXINT, 0,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/verdict/Verdict/vd-expandable-text.ui");
  gtk_widget_class_bind_template_child (widget_class, VdExpandableText, label);
  gtk_widget_class_bind_template_child (widget_class, VdExpandableText, button);
  gtk_widget_class_bind_template_callback (widget_class, label_notify_cb);
  gtk_widget_class_bind_template_callback (widget_class, button_clicked_cb);

  gtk_widget_class_set_css_name (widget_class, "vdexpandabletext");
}

static void
vd_expandable_text_init (VdExpandableText *self)
{
  self->max_lines = 3;
  self->n_lines = -1;
  self->counted_width = -1;

  gtk_widget_init_template (GTK_WIDGET (self));

  /* What is cut from the label is neither drawn nor picked. */
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
  gtk_widget_set_child_visible (GTK_WIDGET (self->button), FALSE);
  vd_expandable_text_update_button (self);
}

/**
 * vd_expandable_text_new:
 *
 * Returns: (transfer full): a new #VdExpandableText showing three lines
 */
GtkWidget *
vd_expandable_text_new (void)
{
  return g_object_new (VD_TYPE_EXPANDABLE_TEXT, NULL);
}

/**
 * vd_expandable_text_get_label:
 * @self: a #VdExpandableText
 *
 * Returns: (transfer none): the label that holds the text
 */
GtkLabel *
vd_expandable_text_get_label (VdExpandableText *self)
{
  g_return_val_if_fail (VD_IS_EXPANDABLE_TEXT (self), NULL);

  return self->label;
}

/**
 * vd_expandable_text_get_button:
 * @self: a #VdExpandableText
 *
 * Returns: (transfer none): the button that expands the text
 */
GtkButton *
vd_expandable_text_get_button (VdExpandableText *self)
{
  g_return_val_if_fail (VD_IS_EXPANDABLE_TEXT (self), NULL);

  return self->button;
}

int
vd_expandable_text_get_max_lines (VdExpandableText *self)
{
  g_return_val_if_fail (VD_IS_EXPANDABLE_TEXT (self), 0);

  return self->max_lines;
}

/**
 * vd_expandable_text_set_max_lines:
 * @self: a #VdExpandableText
 * @max_lines: the lines shown before the text is expanded, 0 for all
 */
void
vd_expandable_text_set_max_lines (VdExpandableText *self,
                                  int               max_lines)
{
  g_return_if_fail (VD_IS_EXPANDABLE_TEXT (self));
  g_return_if_fail (max_lines >= 0);

  if (self->max_lines == max_lines)
    return;

  self->max_lines = max_lines;
  self->n_lines = -1;
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_LINES]);
}

gboolean
vd_expandable_text_get_expanded (VdExpandableText *self)
{
  g_return_val_if_fail (VD_IS_EXPANDABLE_TEXT (self), FALSE);

  return self->expanded;
}

/**
 * vd_expandable_text_set_expanded:
 * @self: a #VdExpandableText
 * @expanded: whether to show the whole text
 */
void
vd_expandable_text_set_expanded (VdExpandableText *self,
                                 gboolean          expanded)
{
  g_return_if_fail (VD_IS_EXPANDABLE_TEXT (self));

  expanded = !!expanded;
  if (self->expanded == expanded)
    return;

  self->expanded = expanded;
  vd_expandable_text_update_button (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXPANDED]);
}

gboolean
vd_expandable_text_get_count_lines (VdExpandableText *self)
{
  g_return_val_if_fail (VD_IS_EXPANDABLE_TEXT (self), FALSE);

  return self->count_lines;
}

/**
 * vd_expandable_text_set_count_lines:
 * @self: a #VdExpandableText
 * @count_lines: whether the button counts the hidden lines
 */
void
vd_expandable_text_set_count_lines (VdExpandableText *self,
                                    gboolean          count_lines)
{
  g_return_if_fail (VD_IS_EXPANDABLE_TEXT (self));

  count_lines = !!count_lines;
  if (self->count_lines == count_lines)
    return;

  self->count_lines = count_lines;
  vd_expandable_text_update_button (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COUNT_LINES]);
}

/**
 * vd_expandable_text_set_button_tooltip:
 * @self: a #VdExpandableText
 * @tooltip: (nullable): the button's tooltip, e.g. naming its key
 */
void
vd_expandable_text_set_button_tooltip (VdExpandableText *self,
                                       const char       *tooltip)
{
  g_return_if_fail (VD_IS_EXPANDABLE_TEXT (self));

  gtk_widget_set_tooltip_text (GTK_WIDGET (self->button), tooltip);
}

/**
 * vd_expandable_text_get_n_hidden_lines:
 * @self: a #VdExpandableText
 *
 * Returns: how many lines are hidden at the width last allocated
 */
int
vd_expandable_text_get_n_hidden_lines (VdExpandableText *self)
{
  g_return_val_if_fail (VD_IS_EXPANDABLE_TEXT (self), 0);

  return self->n_hidden_lines;
}

/**
 * vd_expandable_text_get_collapsible:
 * @self: a #VdExpandableText
 *
 * Returns: whether the text is longer than the lines shown collapsed, at
 *   the width last allocated
 */
gboolean
vd_expandable_text_get_collapsible (VdExpandableText *self)
{
  g_return_val_if_fail (VD_IS_EXPANDABLE_TEXT (self), FALSE);

  return self->collapsible;
}
