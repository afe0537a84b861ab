/* vd-window-import.c
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

/* Importing queue files: from the menu, the command line, or dropped on
 * the window; one import at a time, with progress and Cancel. */

#define G_LOG_DOMAIN "vd-window"

#include "config.h"

#include <glib/gi18n.h>

#include "vd-window-private.h"

/* Files to import together, and the policy for them (NULL: the window's). */
typedef struct
{
  GPtrArray *files;
  VdPolicy  *policy;
} ImportRequest;

static void
import_request_free (ImportRequest *request)
{
  g_clear_pointer (&request->files, g_ptr_array_unref);
  g_clear_object (&request->policy);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ImportRequest, import_request_free)

void
_vd_window_clear_queued_imports (VdWindow *self)
{
  g_queue_clear_full (&self->queued_imports, (GDestroyNotify) import_request_free);
}

static void
import_progress_cb (VdWindow   *self,
                    double      fraction,
                    VdImporter *importer)
{
  if (self->disposed || importer != self->importer)
    return;

  gtk_progress_bar_set_fraction (self->progress_bar, CLAMP (fraction, 0.0, 1.0));
}

static void
vd_window_show_import_error (VdWindow     *self,
                             const GError *error)
{
  g_autofree char *body = NULL;

  /* The message names the file, the line and the field. */
  body = g_strdup_printf ("%s\n\n%s", error->message,
                          _("Nothing was imported. Correct the file and import it again."));
  _vd_window_show_error (self, _("Import Failed"), body);
}

static char *
format_import_result (const VdImportResult *result)
{
  if (result->revised > 0)
    /* Translators: the result of an import, e.g.
     * "48 imported, 2 revised, 0 skipped, 10 auto-approved" */
    return g_strdup_printf (_("%u imported, %u revised, %u skipped, %u auto-approved"),
                            result->imported, result->revised, result->skipped,
                            result->auto_approved);

  /* Translators: the result of an import, e.g. "48 imported, 0 skipped, 10 auto-approved" */
  return g_strdup_printf (_("%u imported, %u skipped, %u auto-approved"),
                          result->imported, result->skipped, result->auto_approved);
}

static void
import_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(VdWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  VdImporter *importer = VD_IMPORTER (object);
  VdImportResult import_result = { 0 };

  vd_importer_import_finish (importer, result, &import_result, &error);

  g_signal_handlers_disconnect_by_func (importer, import_progress_cb, self);
  g_clear_object (&self->importer);
  g_clear_object (&self->import_cancellable);
  g_clear_pointer (&self->import_files, g_ptr_array_unref);

  if (self->disposed)
    return;

  if (error == NULL)
    {
      g_autofree char *message = format_import_result (&import_result);

      vd_window_show_message (self, message);
    }
  else if (_vd_window_error_is_cancelled (error))
    vd_window_show_message (self, _("Import cancelled; nothing was imported"));
  else
    vd_window_show_import_error (self, error);

  gtk_revealer_set_reveal_child (self->progress_revealer, FALSE);
  _vd_window_update_actions (self);
  _vd_window_notify_importing (self);

  vd_window_reload (self);
  _vd_window_start_import (self);
}

void
_vd_window_start_import (VdWindow *self)
{
  g_autoptr(ImportRequest) request = NULL;
  g_autoptr(VdPolicy) default_policy = NULL;
  g_autofree char *label = NULL;
  VdPolicy *policy;

  if (self->importer != NULL || self->store == NULL || self->disposed)
    return;

  request = g_queue_pop_head (&self->queued_imports);
  if (request == NULL)
    return;

  self->import_files = g_steal_pointer (&request->files);

  policy = request->policy != NULL ? request->policy : self->policy;
  if (policy == NULL)
    policy = default_policy = vd_policy_new ();

  self->importer = vd_importer_new (self->store, policy);
  self->import_cancellable = g_cancellable_new ();
  g_signal_connect_object (self->importer, "progress",
                           G_CALLBACK (import_progress_cb), self,
                           G_CONNECT_SWAPPED);

  if (self->import_files->len == 1)
    {
      g_autofree char *name = g_file_get_basename (g_ptr_array_index (self->import_files, 0));

      /* Translators: %s is a file name */
      label = g_strdup_printf (_("Importing %s…"), name);
    }
  else
    {
      label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "Importing %u file…",
                                            "Importing %u files…",
                                            self->import_files->len),
                               self->import_files->len);
    }

  gtk_label_set_text (self->progress_label, label);
  gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
  gtk_revealer_set_reveal_child (self->progress_revealer, TRUE);
  _vd_window_update_actions (self);
  _vd_window_notify_importing (self);

  vd_importer_import_async (self->importer,
                            (GFile **) self->import_files->pdata,
                            self->import_files->len,
                            self->import_cancellable,
                            import_cb,
                            g_object_ref (self));
}

/**
 * vd_window_import_files:
 * @self: a #VdWindow
 * @files: (array length=n_files): queue files
 * @n_files: the number of files
 *
 * Imports @files into the store with the window's policy; see
 * vd_window_import_files_with_policy().
 */
void
vd_window_import_files (VdWindow  *self,
                        GFile    **files,
                        guint      n_files)
{
  vd_window_import_files_with_policy (self, files, n_files, NULL);
}

/**
 * vd_window_import_files_with_policy:
 * @self: a #VdWindow
 * @files: (array length=n_files): queue files
 * @n_files: the number of files
 * @policy: (nullable): the escalation policy, %NULL for the window's
 *
 * Imports @files into the store on a worker thread, showing the progress
 * and a Cancel button. The result is shown as a toast and the list is
 * reloaded; an error is shown in a dialog and leaves the store unchanged.
 * While the store is still opening or another import runs, the files wait.
 */
void
vd_window_import_files_with_policy (VdWindow  *self,
                                    GFile    **files,
                                    guint      n_files,
                                    VdPolicy  *policy)
{
  ImportRequest *request;

  g_return_if_fail (VD_IS_WINDOW (self));
  g_return_if_fail (files != NULL || n_files == 0);
  g_return_if_fail (policy == NULL || VD_IS_POLICY (policy));

  if (n_files == 0)
    return;

  if (self->store_failed)
    {
      vd_window_show_message (self, _("Cannot import: the review database is not open"));
      return;
    }

  request = g_new0 (ImportRequest, 1);
  request->files = g_ptr_array_new_full (n_files, g_object_unref);
  request->policy = policy != NULL ? g_object_ref (policy) : NULL;
  for (guint i = 0; i < n_files; i++)
    g_ptr_array_add (request->files, g_object_ref (files[i]));
  g_queue_push_tail (&self->queued_imports, request);

  _vd_window_start_import (self);
}

/* Drag and drop: queue files dropped anywhere on the window. */
static gboolean
drop_cb (VdWindow      *self,
         const GValue  *value,
         double         x,
         double         y,
         GtkDropTarget *target)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new ();

  if (G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    {
      for (GSList *l = g_value_get_boxed (value); l != NULL; l = l->next)
        g_ptr_array_add (files, l->data);
    }
  else if (G_VALUE_HOLDS (value, G_TYPE_FILE))
    {
      g_ptr_array_add (files, g_value_get_object (value));
    }

  if (files->len == 0)
    return FALSE;

  vd_window_import_files (self, (GFile **) files->pdata, files->len);

  return TRUE;
}

void
_vd_window_init_import (VdWindow *self)
{
  GtkDropTarget *target;

  target = gtk_drop_target_new (G_TYPE_INVALID, GDK_ACTION_COPY);
  gtk_drop_target_set_gtypes (target, (GType[]) { GDK_TYPE_FILE_LIST, G_TYPE_FILE }, 2);
  g_signal_connect_object (target, "drop", G_CALLBACK (drop_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (target));
}

void
_vd_window_dispose_import (VdWindow *self)
{
  g_cancellable_cancel (self->import_cancellable);
  _vd_window_clear_queued_imports (self);
}
