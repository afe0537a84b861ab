/* vd-item-row.c
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

#define G_LOG_DOMAIN "vd-item-row"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "vd-item-row.h"

/* Confidence below these values is shown as an error or a warning. */
#define LOW_CONFIDENCE    0.5
#define MEDIUM_CONFIDENCE 0.7

struct _VdItemRow
{
  GtkWidget  parent_instance;

  VdItem    *item;

  GtkLabel  *confidence_label;
  GtkLabel  *task_id_label;
  GtkLabel  *task_type_label;
  GtkLabel  *description_label;
  GtkLabel  *reason_label;
  GtkLabel  *revision_label;
};

G_DEFINE_FINAL_TYPE (VdItemRow, vd_item_row, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_ITEM,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const confidence_classes[] = { "error", "warning", "success" };

static char *
first_line (const char *text)
{
  const char *end;

  if (text == NULL)
    return g_strdup ("");

  /* Leading blank lines would leave the row empty. */
  while (*text == '\n' || *text == '\r')
    text++;

  end = strpbrk (text, "\r\n");

  return end != NULL ? g_strndup (text, end - text) : g_strdup (text);
}

static void
vd_item_row_update (VdItemRow *self)
{
  g_autofree char *confidence = NULL;
  g_autofree char *description = NULL;
  g_autofree char *revision = NULL;
  VdEscalationReason reason;
  const char *css_class;
  double value;
  int rev;

  for (guint i = 0; i < G_N_ELEMENTS (confidence_classes); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->confidence_label), confidence_classes[i]);

  if (self->item == NULL)
    {
      gtk_label_set_text (self->confidence_label, "");
      gtk_label_set_text (self->task_id_label, "");
      gtk_label_set_text (self->task_type_label, "");
      gtk_label_set_text (self->description_label, "");
      gtk_label_set_text (self->reason_label, "");
      gtk_widget_set_visible (GTK_WIDGET (self->task_type_label), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->reason_label), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->revision_label), FALSE);
      return;
    }

  value = vd_item_get_confidence (self->item);
  if (value < LOW_CONFIDENCE)
    css_class = "error";
  else if (value < MEDIUM_CONFIDENCE)
    css_class = "warning";
  else
    css_class = "success";

  confidence = g_strdup_printf ("%.2f", value);
  gtk_label_set_text (self->confidence_label, confidence);
  gtk_widget_add_css_class (GTK_WIDGET (self->confidence_label), css_class);

  /* Everything below comes from a queue file: plain text only. */
  gtk_label_set_text (self->task_id_label, vd_item_get_task_id (self->item));

  gtk_label_set_text (self->task_type_label, vd_item_get_task_type (self->item));
  gtk_widget_set_visible (GTK_WIDGET (self->task_type_label),
                          vd_item_get_task_type (self->item) != NULL &&
                          vd_item_get_task_type (self->item)[0] != '\0');

  description = first_line (vd_item_get_task_description (self->item));
  gtk_label_set_text (self->description_label, description);

  reason = vd_item_get_escalation_reason (self->item);
  if (reason != VD_ESCALATION_REASON_NONE)
    {
      gtk_label_set_text (self->reason_label, vd_escalation_reason_to_label (reason));
      gtk_widget_set_visible (GTK_WIDGET (self->reason_label), TRUE);
    }
  else
    {
      gtk_label_set_text (self->reason_label, "");
      gtk_widget_set_visible (GTK_WIDGET (self->reason_label), FALSE);
    }

  rev = vd_item_get_revision (self->item);
  if (rev > 0)
    {
      /* Translators: the revision of the agent's output, e.g. "rev 2" */
      revision = g_strdup_printf (_("rev %d"), rev);
      gtk_label_set_text (self->revision_label, revision);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->revision_label), rev > 0);
}

static void
vd_item_row_dispose (GObject *object)
{
  VdItemRow *self = (VdItemRow *)object;
  GtkWidget *child;

  g_clear_object (&self->item);
  gtk_widget_dispose_template (GTK_WIDGET (self), VD_TYPE_ITEM_ROW);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (vd_item_row_parent_class)->dispose (object);
}

static void
vd_item_row_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  VdItemRow *self = VD_ITEM_ROW (object);

  switch (prop_id)
    {
    case PROP_ITEM:
      g_value_set_object (value, self->item);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vd_item_row_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  VdItemRow *self = VD_ITEM_ROW (object);

  switch (prop_id)
    {
    case PROP_ITEM:
      vd_item_row_set_item (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vd_item_row_class_init (VdItemRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vd_item_row_dispose;
  object_class->get_property = vd_item_row_get_property;
  object_class->set_property = vd_item_row_set_property;

  /**
   * VdItemRow:item: (nullable)
   *
   * The item shown by the row.
   */
  properties[PROP_ITEM] =
    g_param_spec_object ("item", NULL, NULL,
                         VD_TYPE_ITEM,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/verdict/Verdict/vd-item-row.ui");
  gtk_widget_class_bind_template_child (widget_class, VdItemRow, confidence_label);
  gtk_widget_class_bind_template_child (widget_class, VdItemRow, task_id_label);
  gtk_widget_class_bind_template_child (widget_class, VdItemRow, task_type_label);
  gtk_widget_class_bind_template_child (widget_class, VdItemRow, description_label);
  gtk_widget_class_bind_template_child (widget_class, VdItemRow, reason_label);
  gtk_widget_class_bind_template_child (widget_class, VdItemRow, revision_label);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "vditemrow");
}

static void
vd_item_row_init (VdItemRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  vd_item_row_update (self);
}

/**
 * vd_item_row_new:
 *
 * Creates a row showing no item; set one with vd_item_row_set_item().
 *
 * Returns: (transfer full): a new #VdItemRow
 */
GtkWidget *
vd_item_row_new (void)
{
  return g_object_new (VD_TYPE_ITEM_ROW, NULL);
}

/**
 * vd_item_row_get_item:
 * @self: a #VdItemRow
 *
 * Returns: (transfer none) (nullable): the item shown
 */
VdItem *
vd_item_row_get_item (VdItemRow *self)
{
  g_return_val_if_fail (VD_IS_ITEM_ROW (self), NULL);

  return self->item;
}

/**
 * vd_item_row_set_item:
 * @self: a #VdItemRow
 * @item: (nullable): the item to show
 *
 * Shows @item. Its texts are shown as plain text, never as markup.
 */
void
vd_item_row_set_item (VdItemRow *self,
                      VdItem    *item)
{
  g_return_if_fail (VD_IS_ITEM_ROW (self));
  g_return_if_fail (item == NULL || VD_IS_ITEM (item));

  if (!g_set_object (&self->item, item))
    return;

  vd_item_row_update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ITEM]);
}
