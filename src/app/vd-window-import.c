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
 * the window. The session's import queue runs them one at a time; the
 * window shows the progress (bound in vd-window.ui), a Cancel button and
 * what came of it. */

#define G_LOG_DOMAIN "vd-window"

#include "config.h"

#include <glib/gi18n.h>

#include "vd-window-private.h"

static VdImportQueue *
vd_window_get_imports (VdWindow *self)
{
  return vd_session_get_import_queue (self->session);
}

static void
import_started_cb (VdWindow      *self,
                   VdImportQueue *imports)
{
  g_autofree char *label = NULL;
  guint n_files = 0;
  GFile **files = vd_import_queue_get_files (imports, &n_files);

  if (_vd_window_is_disposed (self))
    return;

  if (n_files == 1)
    {
      g_autofree char *name = g_file_get_basename (files[0]);

      /* Translators: %s is a file name */
      label = g_strdup_printf (_("Importing %s…"), name);
    }
  else
    {
      label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "Importing %u file…",
                                            "Importing %u files…",
                                            n_files),
                               n_files);
    }

  gtk_label_set_text (self->progress_label, label);
  _vd_window_update_actions (self);
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
import_finished_cb (VdWindow             *self,
                    const VdImportResult *result,
                    const GError         *error,
                    VdImportQueue        *imports)
{
  if (_vd_window_is_disposed (self))
    return;

  if (error == NULL)
    {
      g_autofree char *message = format_import_result (result);

      vd_window_show_message (self, message);
    }
  else if (_vd_window_error_is_cancelled (error))
    vd_window_show_message (self, _("Import cancelled; nothing was imported"));
  else
    {
      g_autofree char *body = NULL;

      /* The message names the file, the line and the field. */
      body = g_strdup_printf ("%s\n\n%s", error->message,
                              _("Nothing was imported. Correct the file and import it again."));
      _vd_window_show_error (self, _("Import Failed"), body);
    }

  _vd_window_update_actions (self);
  vd_window_reload (self);
}

/**
 * vd_window_import_files:
 * @self: a #VdWindow
 * @files: (array length=n_files): queue files
 * @n_files: the number of files
 *
 * Imports @files into the store with the session's policy; see
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
 * @policy: (nullable): the escalation policy, %NULL for the session's
 *
 * Imports @files into the store through the session's import queue, on a
 * worker thread, showing the progress and a Cancel button. The result is
 * shown as a toast and the list is reloaded; an error is shown in a dialog
 * and leaves the store unchanged. While the store is still opening, the
 * configured policy is being read or another import runs, the files wait.
 */
void
vd_window_import_files_with_policy (VdWindow  *self,
                                    GFile    **files,
                                    guint      n_files,
                                    VdPolicy  *policy)
{
  g_return_if_fail (VD_IS_WINDOW (self));
  g_return_if_fail (files != NULL || n_files == 0);
  g_return_if_fail (policy == NULL || VD_IS_POLICY (policy));

  if (n_files == 0)
    return;

  if (vd_session_get_store_error (self->session) != NULL)
    {
      vd_window_show_message (self, _("Cannot import: the review database is not open"));
      return;
    }

  vd_import_queue_add (vd_window_get_imports (self), files, n_files, policy);
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

static void
cancel_import_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  vd_import_queue_cancel (vd_window_get_imports (VD_WINDOW (widget)));
}

void
_vd_window_class_init_import (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_child (widget_class, VdWindow, progress_label);
  gtk_widget_class_install_action (widget_class, "win.cancel-import", NULL, cancel_import_action);
}

void
_vd_window_init_import (VdWindow *self)
{
  VdImportQueue *imports = vd_window_get_imports (self);
  GtkDropTarget *target;

  target = gtk_drop_target_new (G_TYPE_INVALID, GDK_ACTION_COPY);
  gtk_drop_target_set_gtypes (target, (GType[]) { GDK_TYPE_FILE_LIST, G_TYPE_FILE }, 2);
  g_signal_connect_object (target, "drop", G_CALLBACK (drop_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (target));

  g_signal_connect_object (imports, "started",
                           G_CALLBACK (import_started_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (imports, "finished",
                           G_CALLBACK (import_finished_cb), self, G_CONNECT_SWAPPED);

  /* An import the session runs already. */
  if (vd_import_queue_get_running (imports))
    import_started_cb (self, imports);
}
