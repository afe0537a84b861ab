/* vd-import-summary.c
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

#define G_LOG_DOMAIN "vd-import-summary"

#include "config.h"

#include "vd-import-summary.h"

struct _VdImportSummary
{
  GtkWidget    parent_instance;

  GtkRevealer *revealer;
  GtkLabel    *label;
  GtkWidget   *show_approved_button;
};

G_DEFINE_FINAL_TYPE (VdImportSummary, vd_import_summary, GTK_TYPE_WIDGET)

enum {
  SHOW_APPROVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
dismiss_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  vd_import_summary_dismiss (VD_IMPORT_SUMMARY (widget));
}

static void
show_approved_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  g_signal_emit (widget, signals[SHOW_APPROVED], 0);
}

static void
vd_import_summary_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), VD_TYPE_IMPORT_SUMMARY);

  G_OBJECT_CLASS (vd_import_summary_parent_class)->dispose (object);
}

static void
vd_import_summary_class_init (VdImportSummaryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vd_import_summary_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/verdict/Verdict/vd-import-summary.ui");
  gtk_widget_class_bind_template_child (widget_class, VdImportSummary, revealer);
  gtk_widget_class_bind_template_child (widget_class, VdImportSummary, label);
  gtk_widget_class_bind_template_child (widget_class, VdImportSummary, show_approved_button);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);

  gtk_widget_class_install_action (widget_class, "summary.dismiss", NULL, dismiss_action);
  gtk_widget_class_install_action (widget_class, "summary.show-approved", NULL,
                                   show_approved_action);

  /**
   * VdImportSummary::show-approved:
   *
   * The reviewer asked for the items the import approved automatically.
   */
  signals[SHOW_APPROVED] =
    g_signal_new ("show-approved",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
vd_import_summary_init (VdImportSummary *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * vd_import_summary_show:
 * @self: a summary
 * @text: what the import did
 * @n_approved: how many items it approved automatically
 *
 * Shows @text until vd_import_summary_dismiss() or the next import.
 */
void
vd_import_summary_show (VdImportSummary *self,
                        const char      *text,
                        guint            n_approved)
{
  g_return_if_fail (VD_IS_IMPORT_SUMMARY (self));
  g_return_if_fail (text != NULL);

  gtk_label_set_text (self->label, text);
  gtk_widget_set_visible (self->show_approved_button, n_approved > 0);
  gtk_revealer_set_reveal_child (self->revealer, TRUE);
}

void
vd_import_summary_dismiss (VdImportSummary *self)
{
  g_return_if_fail (VD_IS_IMPORT_SUMMARY (self));

  gtk_revealer_set_reveal_child (self->revealer, FALSE);
}

gboolean
vd_import_summary_get_shown (VdImportSummary *self)
{
  g_return_val_if_fail (VD_IS_IMPORT_SUMMARY (self), FALSE);

  return gtk_revealer_get_reveal_child (self->revealer);
}

const char *
vd_import_summary_get_text (VdImportSummary *self)
{
  g_return_val_if_fail (VD_IS_IMPORT_SUMMARY (self), NULL);

  return gtk_label_get_text (self->label);
}
