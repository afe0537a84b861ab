/* vd-reviewer-dialog.c
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

#define G_LOG_DOMAIN "vd-reviewer-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "vd-reviewer-dialog.h"

struct _VdReviewerDialog
{
  AdwMessageDialog  parent_instance;

  GtkEntry         *entry;

  GTask            *task;
};

G_DEFINE_FINAL_TYPE (VdReviewerDialog, vd_reviewer_dialog, ADW_TYPE_MESSAGE_DIALOG)

static char *
vd_reviewer_dialog_dup_id (VdReviewerDialog *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->entry));

  return g_strstrip (g_strdup (text));
}

static void
entry_changed_cb (VdReviewerDialog *self,
                  GtkEditable      *entry)
{
  g_autofree char *id = vd_reviewer_dialog_dup_id (self);

  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "continue", id[0] != '\0');
}

static void
vd_reviewer_dialog_response (AdwMessageDialog *dialog,
                             const char       *response)
{
  VdReviewerDialog *self = VD_REVIEWER_DIALOG (dialog);
  g_autoptr(GTask) task = g_steal_pointer (&self->task);
  g_autofree char *id = vd_reviewer_dialog_dup_id (self);

  if (task != NULL)
    {
      if (g_strcmp0 (response, "continue") == 0 && id[0] != '\0')
        g_task_return_pointer (task, g_steal_pointer (&id), g_free);
      else
        g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                 "No reviewer id was given");
    }

  if (ADW_MESSAGE_DIALOG_CLASS (vd_reviewer_dialog_parent_class)->response != NULL)
    ADW_MESSAGE_DIALOG_CLASS (vd_reviewer_dialog_parent_class)->response (dialog, response);
}

static void
vd_reviewer_dialog_dispose (GObject *object)
{
  VdReviewerDialog *self = (VdReviewerDialog *)object;
  g_autoptr(GTask) task = g_steal_pointer (&self->task);

  if (task != NULL)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                             "No reviewer id was given");

  gtk_widget_dispose_template (GTK_WIDGET (self), VD_TYPE_REVIEWER_DIALOG);

  G_OBJECT_CLASS (vd_reviewer_dialog_parent_class)->dispose (object);
}

static void
vd_reviewer_dialog_class_init (VdReviewerDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  AdwMessageDialogClass *dialog_class = ADW_MESSAGE_DIALOG_CLASS (klass);

  object_class->dispose = vd_reviewer_dialog_dispose;
  dialog_class->response = vd_reviewer_dialog_response;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/verdict/Verdict/vd-reviewer-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, VdReviewerDialog, entry);
}

static void
vd_reviewer_dialog_init (VdReviewerDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect_object (self->entry, "changed",
                           G_CALLBACK (entry_changed_cb), self, G_CONNECT_SWAPPED);
}

/**
 * vd_reviewer_dialog_get_entry:
 * @self: a #VdReviewerDialog
 *
 * Returns: (transfer none): the entry for the reviewer id
 */
GtkEditable *
vd_reviewer_dialog_get_entry (VdReviewerDialog *self)
{
  g_return_val_if_fail (VD_IS_REVIEWER_DIALOG (self), NULL);

  return GTK_EDITABLE (self->entry);
}

/**
 * vd_reviewer_dialog_run_async:
 * @parent: the window the dialog belongs to
 * @initial: (nullable): the reviewer id to start from
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the dialog is answered
 * @user_data: data for @callback
 *
 * Asks for the reviewer id, modal for @parent.
 */
void
vd_reviewer_dialog_run_async (GtkWindow           *parent,
                              const char          *initial,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  VdReviewerDialog *self;

  g_return_if_fail (GTK_IS_WINDOW (parent));

  self = g_object_new (VD_TYPE_REVIEWER_DIALOG,
                       "transient-for", parent,
                       NULL);
  self->task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (self->task, vd_reviewer_dialog_run_async);

  if (initial != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->entry), initial);
  entry_changed_cb (self, GTK_EDITABLE (self->entry));

  if (cancellable != NULL)
    g_signal_connect_object (cancellable, "cancelled",
                             G_CALLBACK (gtk_window_destroy), self, G_CONNECT_SWAPPED);

  gtk_window_present (GTK_WINDOW (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->entry));
}

/**
 * vd_reviewer_dialog_run_finish:
 * @result: the result given to the callback
 * @error: return location for an error, %G_IO_ERROR_CANCELLED when dismissed
 *
 * Returns: (transfer full) (nullable): the reviewer id, stripped, never empty
 */
char *
vd_reviewer_dialog_run_finish (GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        vd_reviewer_dialog_run_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
