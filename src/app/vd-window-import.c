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
 * the window. Every import a person starts goes through the import dialog
 * (VdImportDialog), where the policy is chosen with a preview of what it
 * would approve; nothing is approved automatically unless somebody chose
 * a policy that does. The session's import queue runs them one at a time;
 * the window shows the progress (bound in vd-window.ui), a Cancel button,
 * and then the summary strip above the list (VdImportSummary) until it is
 * dismissed. A failed import offers to import the lines that can be read,
 * with the same policy. */

#define G_LOG_DOMAIN "vd-window"

#include "config.h"

#include <glib/gi18n.h>

#include "vd-import-dialog.h"
#include "vd-import-preview.h"
#include "vd-import-summary.h"
#include "vd-window-private.h"

static VdImportQueue *
vd_window_get_imports (VdWindow *self)
{
  return vd_session_get_import_queue (self->session);
}

static VdImportSummary *
vd_window_get_summary (VdWindow *self)
{
  return VD_IMPORT_SUMMARY (gtk_widget_get_template_child (GTK_WIDGET (self), VD_TYPE_WINDOW,
                                                           "import_summary"));
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
files_display_name (GFile **files,
                    guint   n_files)
{
  g_autofree char *basename = NULL;

  if (n_files != 1)
    /* Translators: stands for the files of an import, e.g. "3 files: 120 items — ..." */
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u file", "%u files", n_files),
                            n_files);

  basename = g_file_get_basename (files[0]);

  return g_filename_display_name (basename != NULL ? basename : "");
}

/* "review-queue.jsonl: 55 items — 43 to review, 12 approved automatically
 * by policy.json" */
static char *
format_import_result (const VdImportResult *result,
                      GFile               **files,
                      guint                 n_files,
                      const char           *policy_name)
{
  g_autofree char *name = files_display_name (files, n_files);
  g_autofree char *items = NULL;
  g_autofree char *review = NULL;
  g_autofree char *approved = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  guint n_items = result->imported + result->revised;

  items = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u new item", "%u new items", n_items),
                           n_items);
  /* Translators: part of the import summary, e.g. "43 to review" */
  review = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u to review", "%u to review",
                                         result->queued),
                            result->queued);

  if (result->auto_approved == 0)
    approved = g_strdup (_("none approved automatically"));
  else if (policy_name != NULL)
    /* Translators: part of the import summary, e.g. "12 approved automatically by policy.json" */
    approved = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             "%u approved automatically by %s",
                                             "%u approved automatically by %s",
                                             result->auto_approved),
                                result->auto_approved, policy_name);
  else
    approved = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             "%u approved automatically",
                                             "%u approved automatically",
                                             result->auto_approved),
                                result->auto_approved);

  /* Translators: the import summary, e.g. "review-queue.jsonl: 55 new items — 43 to
   * review, 12 approved automatically by policy.json" */
  g_string_printf (text, _("%s: %s — %s, %s"), name, items, review, approved);

  if (result->skipped > 0)
    {
      g_string_append (text, "; ");
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE,
                                                 "%u already present",
                                                 "%u already present",
                                                 result->skipped),
                              result->skipped);
    }

  if (result->invalid > 0)
    {
      g_string_append (text, "; ");
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE,
                                                 "%u invalid line left out",
                                                 "%u invalid lines left out",
                                                 result->invalid),
                              result->invalid);
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* The error dialog of a failed import, and what it needs to import the
 * lines that can be read. */
typedef struct
{
  VdWindow  *window;
  GPtrArray *files;
  VdPolicy  *policy;
  char      *policy_name;
  char      *format;
  char      *input_field;
  char      *output_question;
  char      *message;
} FailedImport;

static void
failed_import_free (FailedImport *failed)
{
  g_clear_object (&failed->window);
  g_clear_pointer (&failed->files, g_ptr_array_unref);
  g_clear_object (&failed->policy);
  g_clear_pointer (&failed->policy_name, g_free);
  g_clear_pointer (&failed->format, g_free);
  g_clear_pointer (&failed->input_field, g_free);
  g_clear_pointer (&failed->output_question, g_free);
  g_clear_pointer (&failed->message, g_free);
  g_free (failed);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FailedImport, failed_import_free)

static void
failed_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    FailedImport     *failed)
{
  if (g_strcmp0 (response, "import-valid") == 0 && !_vd_window_is_disposed (failed->window))
    vd_import_queue_add_format (vd_window_get_imports (failed->window),
                                (GFile **) failed->files->pdata, failed->files->len,
                                failed->policy, failed->policy_name, TRUE,
                                failed->format, failed->input_field, failed->output_question);
}

static void
copy_details_cb (GtkButton    *button,
                 FailedImport *failed)
{
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (button)), failed->message);
  gtk_button_set_label (button, _("Copied"));
}

static void
show_failed_import (FailedImport    *failed,
                    VdImportPreview *preview)
{
  g_autofree char *body = NULL;
  GtkWidget *dialog;
  GtkWidget *copy;
  guint n_valid = preview != NULL ? vd_import_preview_get_n_items (preview) : 0;

  if (_vd_window_is_disposed (failed->window))
    {
      failed_import_free (failed);
      return;
    }

  body = g_strdup_printf ("%s\n\n%s", failed->message,
                          n_valid > 0
                          ? _("Nothing was imported. Correct the file and import it again, "
                              "or import the items that can be read.")
                          : _("Nothing was imported. Correct the file and import it again."));

  dialog = adw_message_dialog_new (GTK_WINDOW (failed->window), _("Import Failed"), NULL);
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (dialog), body);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "close");
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "close");

  if (n_valid > 0)
    {
      g_autofree char *label = NULL;

      /* Translators: a button; %u is the number of items that can be read */
      label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "Import %u Valid Item",
                                            "Import %u Valid Items",
                                            n_valid),
                               n_valid);
      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "import-valid", label);
      adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "import-valid",
                                                  ADW_RESPONSE_SUGGESTED);
    }

  /* Copying keeps the dialog open: an extra button, not a response. */
  copy = gtk_button_new_with_mnemonic (_("Copy _Details"));
  gtk_widget_set_halign (copy, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (copy, _("Copy the full message to the clipboard"));
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), copy);

  g_signal_connect (copy, "clicked", G_CALLBACK (copy_details_cb), failed);
  g_signal_connect_data (dialog, "response", G_CALLBACK (failed_response_cb), failed,
                         (GClosureNotify) (void (*) (void)) failed_import_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
failed_preview_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  FailedImport *failed = user_data;
  g_autoptr(VdImportPreview) preview = NULL;
  g_autoptr(GError) error = NULL;

  /* Without a count, the dialog offers no partial import. */
  preview = vd_import_preview_compute_finish (result, &error);
  show_failed_import (failed, preview);
}

static void
import_finished_cb (VdWindow             *self,
                    const VdImportResult *result,
                    const GError         *error,
                    VdImportQueue        *imports)
{
  guint n_files = 0;
  GFile **files = vd_import_queue_get_files (imports, &n_files);

  if (_vd_window_is_disposed (self))
    return;

  if (error == NULL)
    {
      const char *policy_name = vd_import_queue_get_running_policy_name (imports);
      g_autofree char *message = format_import_result (result, files, n_files, policy_name);

      /* The strip stays above the list; a toast only reaches a narrow
       * window showing the item, where the list is not in view. A toast
       * over the whole window would cover the decision bar. */
      vd_import_summary_show (vd_window_get_summary (self), message, result->auto_approved);
      if (adw_leaflet_get_folded (self->leaflet) &&
          adw_leaflet_get_visible_child (self->leaflet) == self->content)
        vd_window_show_message (self, message);
    }
  else if (_vd_window_error_is_cancelled (error))
    vd_window_show_message (self, _("Import cancelled; nothing was imported"));
  else if (files != NULL)
    {
      FailedImport *failed = g_new0 (FailedImport, 1);

      failed->window = g_object_ref (self);
      failed->files = g_ptr_array_new_full (n_files, g_object_unref);
      for (guint i = 0; i < n_files; i++)
        g_ptr_array_add (failed->files, g_object_ref (files[i]));
      failed->policy = g_object_ref (vd_import_queue_get_running_policy (imports));
      failed->policy_name = g_strdup (vd_import_queue_get_running_policy_name (imports));
      {
        const char *input_field = NULL;
        const char *output_question = NULL;
        const char *format = vd_import_queue_get_running_format (imports, &input_field,
                                                                 &output_question);

        failed->format = g_strdup (format);
        failed->input_field = g_strdup (input_field);
        failed->output_question = g_strdup (output_question);
      }
      /* The message names the file, the line, the task and the field. */
      failed->message = g_strdup (error->message);

      /* How many items can be read: the count of "Import N Valid Items". */
      vd_import_preview_compute_async (files, n_files, failed->policy, NULL, self->cancellable,
                                       failed_preview_cb, failed);
    }
  else
    _vd_window_show_error (self, _("Import Failed"), error->message);

  _vd_window_update_actions (self);
  vd_window_reload (self);
}

/**
 * vd_window_import_files:
 * @self: a #VdWindow
 * @files: (array length=n_files): queue files
 * @n_files: the number of files
 *
 * Imports @files with the policy that approves nothing automatically:
 * every item goes to review. A person's import goes through
 * vd_window_ask_import() instead, where a policy can be chosen.
 */
void
vd_window_import_files (VdWindow  *self,
                        GFile    **files,
                        guint      n_files)
{
  g_autoptr(VdPolicy) review_all = vd_policy_new_review_all ();

  vd_window_import_files_with_policy (self, files, n_files, review_all);
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
 * shown above the list until dismissed and the list is reloaded; an error
 * is shown in a dialog and leaves the store unchanged. While the store is
 * still opening, the configured policy is being read or another import
 * runs, the files wait.
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

typedef struct
{
  VdWindow  *window;
  GPtrArray *files;
  gboolean   adopt_queue_policy;
} AskImport;

static void
ask_import_free (AskImport *ask)
{
  g_clear_object (&ask->window);
  g_clear_pointer (&ask->files, g_ptr_array_unref);
  g_free (ask);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AskImport, ask_import_free)

static void
ask_import_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(AskImport) ask = user_data;
  g_autoptr(VdPolicy) policy = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *policy_name = NULL;
  VdImportChoice choice = VD_IMPORT_CHOICE_REVIEW_ALL;
  VdWindow *self = ask->window;

  policy = vd_import_dialog_choose_finish (VD_IMPORT_DIALOG (object), result,
                                           &policy_name, &choice, &error);
  if (policy == NULL || _vd_window_is_disposed (self))
    return;

  if (vd_session_get_store_error (self->session) != NULL)
    {
      vd_window_show_message (self, _("Cannot import: the review database is not open"));
      return;
    }

  /* The bundled sample's own policy also sets the deadlines and the
   * thresholds shown, for this run, as Open Sample Queue always did. */
  if (ask->adopt_queue_policy && choice == VD_IMPORT_CHOICE_QUEUE_POLICY)
    vd_session_adopt_policy (self->session, policy);

  vd_import_queue_add_format (vd_window_get_imports (self),
                              (GFile **) ask->files->pdata, ask->files->len,
                              policy, policy_name, FALSE,
                              vd_import_dialog_get_format (VD_IMPORT_DIALOG (object)),
                              vd_import_dialog_get_input_field (VD_IMPORT_DIALOG (object)),
                              vd_import_dialog_get_output_question (VD_IMPORT_DIALOG (object)));
}

/**
 * vd_window_ask_import:
 * @self: a #VdWindow
 * @files: (array length=n_files): queue files
 * @n_files: the number of files
 * @queue_policy: whether the `policy.json` next to the first file is
 *   offered first and, when chosen, adopted by the session (the bundled
 *   sample)
 *
 * Asks which policy to import @files with ("Import Queue", with a preview
 * of what it would approve automatically), then imports them with it as
 * vd_window_import_files_with_policy() does. Closing the dialog imports
 * nothing.
 */
void
vd_window_ask_import (VdWindow  *self,
                      GFile    **files,
                      guint      n_files,
                      gboolean   queue_policy)
{
  VdImportDialog *dialog;
  AskImport *ask;

  g_return_if_fail (VD_IS_WINDOW (self));
  g_return_if_fail (files != NULL || n_files == 0);

  if (n_files == 0)
    return;

  /* Nothing is imported before the reviewer signed in or chose not to. */
  if (_vd_window_defer_import (self, files, n_files, queue_policy))
    return;

  /* Nothing is imported before the reviewer signed in or chose not to. */
  if (_vd_window_defer_import (self, files, n_files, queue_policy))
    return;

  if (vd_session_get_store_error (self->session) != NULL)
    {
      vd_window_show_message (self, _("Cannot import: the review database is not open"));
      return;
    }

  ask = g_new0 (AskImport, 1);
  ask->window = g_object_ref (self);
  ask->files = g_ptr_array_new_full (n_files, g_object_unref);
  for (guint i = 0; i < n_files; i++)
    g_ptr_array_add (ask->files, g_object_ref (files[i]));
  ask->adopt_queue_policy = queue_policy;

  dialog = vd_import_dialog_new (self->session, files, n_files, queue_policy);
  vd_import_dialog_choose_async (dialog, GTK_WINDOW (self), ask_import_cb, ask);
}

/* "Show Approved": every decided item, which right after an import are
 * those its policy approved (the list filters by status, not by who
 * decided). */
static void
show_approved_cb (VdWindow        *self,
                  VdImportSummary *summary)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  gtk_drop_down_set_selected (self->queue_dropdown, 0);
  gtk_drop_down_set_selected (self->reason_dropdown, 0);
  _vd_window_set_status_filter (self, VD_STATUS_FILTER_DECIDED);
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

  vd_window_ask_import (self, (GFile **) files->pdata, files->len, FALSE);

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
  g_type_ensure (VD_TYPE_IMPORT_SUMMARY);
  gtk_widget_class_bind_template_child (widget_class, VdWindow, progress_label);
  gtk_widget_class_bind_template_child_full (widget_class, "import_summary", FALSE, 0);
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

  g_signal_connect_object (vd_window_get_summary (self), "show-approved",
                           G_CALLBACK (show_approved_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (imports, "started",
                           G_CALLBACK (import_started_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (imports, "finished",
                           G_CALLBACK (import_finished_cb), self, G_CONNECT_SWAPPED);

  /* An import the session runs already. */
  if (vd_import_queue_get_running (imports))
    import_started_cb (self, imports);
}
