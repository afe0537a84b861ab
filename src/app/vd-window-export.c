/* vd-window-export.c
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

/* Exporting the decisions or the final outputs for the agents: choose
 * which, choose where (through the portal), write on a worker thread. */

#define G_LOG_DOMAIN "vd-window"

#include "config.h"

#include <glib/gi18n.h>

#include "vd-window-private.h"

typedef struct
{
  VdWindow     *self;
  VdExportKind  kind;
  GFile        *file;
} ExportJob;

static void
export_job_free (ExportJob *job)
{
  g_clear_object (&job->self);
  g_clear_object (&job->file);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ExportJob, export_job_free)

static void
export_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(ExportJob) job = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *message = NULL;
  guint64 n_records = 0;

  if (!vd_exporter_export_file_finish (VD_EXPORTER (object), result, &n_records, &error))
    {
      if (!_vd_window_error_is_cancelled (error))
        _vd_window_show_error (job->self, _("Export Failed"), error->message);
      return;
    }

  name = g_file_get_basename (job->file);

  if (job->kind == VD_EXPORT_DECISIONS)
    /* Translators: a toast; %u is a count, %s a file name */
    message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "Exported %u decision to %s",
                                            "Exported %u decisions to %s",
                                            (gulong) n_records),
                               (guint) n_records, name);
  else
    /* Translators: a toast; %u is a count, %s a file name */
    message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "Exported %u final output to %s",
                                            "Exported %u final outputs to %s",
                                            (gulong) n_records),
                               (guint) n_records, name);

  vd_window_show_message (job->self, message);
}

/**
 * vd_window_export_file:
 * @self: a #VdWindow
 * @kind: what to export
 * @file: where to write it
 *
 * Exports the decisions or the final outputs of the session's store to
 * @file on a worker thread; a toast gives the count, a dialog the error.
 */
void
vd_window_export_file (VdWindow     *self,
                       VdExportKind  kind,
                       GFile        *file)
{
  g_autoptr(VdExporter) exporter = NULL;
  ExportJob *job;

  g_return_if_fail (VD_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  if (vd_session_get_store (self->session) == NULL)
    return;

  job = g_new0 (ExportJob, 1);
  job->self = g_object_ref (self);
  job->kind = kind;
  job->file = g_object_ref (file);

  exporter = vd_exporter_new (vd_session_get_store (self->session));
  vd_exporter_export_file_async (exporter, kind, file, self->cancellable, export_cb, job);
}

static void
save_response_cb (GtkNativeDialog *native,
                  int              response,
                  gpointer         user_data)
{
  g_autoptr(ExportJob) job = user_data;
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (native));

  gtk_native_dialog_destroy (native);
  g_object_unref (native);

  if (file != NULL && !_vd_window_is_disposed (job->self))
    vd_window_export_file (job->self, job->kind, file);
}

static void
vd_window_choose_export_file (VdWindow     *self,
                              VdExportKind  kind)
{
  GtkFileChooserNative *native;
  g_autoptr(GtkFileFilter) filter = NULL;
  ExportJob *job;

  native = gtk_file_chooser_native_new (kind == VD_EXPORT_DECISIONS
                                        ? _("Export Decisions")
                                        : _("Export Final Outputs"),
                                        GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_SAVE,
                                        _("_Export"),
                                        _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (native), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (native),
                                     kind == VD_EXPORT_DECISIONS
                                     ? "decisions.jsonl"
                                     : "outputs.jsonl");

  filter = gtk_file_filter_new ();
  gtk_file_filter_set_name (filter, _("JSON Lines"));
  gtk_file_filter_add_pattern (filter, "*.jsonl");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (native), filter);

  job = g_new0 (ExportJob, 1);
  job->self = g_object_ref (self);
  job->kind = kind;

  g_signal_connect (native, "response", G_CALLBACK (save_response_cb), job);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (native));
}

static void
export_choice_cb (AdwMessageDialog *dialog,
                  const char       *response,
                  gpointer          user_data)
{
  g_autoptr(VdWindow) self = user_data;

  if (_vd_window_is_disposed (self))
    return;

  if (g_strcmp0 (response, "decisions") == 0)
    vd_window_choose_export_file (self, VD_EXPORT_DECISIONS);
  else if (g_strcmp0 (response, "outputs") == 0)
    vd_window_choose_export_file (self, VD_EXPORT_OUTPUTS);
}

void
_vd_window_export (VdWindow *self)
{
  GtkWidget *dialog;

  if (vd_session_get_store (self->session) == NULL)
    return;

  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Export"),
                                   _("Export every decision with its audit link, or the "
                                     "final output of every decided item for your agents."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "outputs", _("Final _Outputs…"),
                                    "decisions", _("_Decisions…"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "decisions",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "decisions");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (export_choice_cb), g_object_ref (self));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Other tools' formats */

static const struct
{
  const char *format;
  const char *title;
  const char *file_name;
  const char *filter_name;
  const char *pattern;
} export_formats[] = {
  { "langgraph", N_("Export LangGraph Resume"), "resume.json", N_("JSON"), "*.json" },
  { "label-studio", N_("Export Label Studio Annotations"), "annotations.json", N_("JSON"),
    "*.json" },
  { "argilla", N_("Export Argilla Records"), "records.json", N_("JSON"), "*.json" },
  { "prodigy", N_("Export Prodigy Answers"), "answers.jsonl", N_("JSON Lines"), "*.jsonl" },
  { "csv", N_("Export CSV"), "decisions.csv", N_("CSV"), "*.csv" },
};

typedef struct
{
  VdWindow *self;
  char     *format;
} FormatJob;

static void
format_job_free (FormatJob *job)
{
  g_clear_object (&job->self);
  g_free (job->format);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FormatJob, format_job_free)

typedef struct
{
  VdWindow *self;
  GFile    *file;
} FormatExport;

static void
format_export_free (FormatExport *job)
{
  g_clear_object (&job->self);
  g_clear_object (&job->file);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FormatExport, format_export_free)

static void
export_format_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(FormatExport) job = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *written = NULL;
  g_autofree char *message = NULL;
  VdFormatSummary summary = { 0, };

  if (!vd_exporter_export_format_file_finish (VD_EXPORTER (object), result, &summary, &error))
    {
      if (!_vd_window_error_is_cancelled (error))
        _vd_window_show_error (job->self, _("Export Failed"), error->message);
      return;
    }

  name = g_file_get_basename (job->file);
  /* Translators: a toast; %u is a count, %s a file name */
  written = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "Exported %u answer to %s",
                                          "Exported %u answers to %s",
                                          (gulong) summary.written),
                             (guint) summary.written, name);
  if (summary.held_back == 0)
    message = g_steal_pointer (&written);
  else
    /* Translators: a toast; the first %s is "Exported N answers to FILE",
     * %u a count of items not yet decided */
    message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "%s; %u held back until decided",
                                            "%s; %u held back until decided",
                                            (gulong) summary.held_back),
                               written, (guint) summary.held_back);

  vd_window_show_message (job->self, message);
}

/**
 * vd_window_export_format_file:
 * @self: a #VdWindow
 * @format: a format's wire name: "langgraph", "label-studio", "argilla",
 *   "prodigy" or "csv"
 * @file: where to write it
 *
 * Writes the answers for another tool to @file, off the UI thread, signed
 * like every export; a toast says how many were written and held back.
 */
void
vd_window_export_format_file (VdWindow   *self,
                              const char *format,
                              GFile      *file)
{
  g_autoptr(VdExporter) exporter = NULL;
  FormatExport *job;

  g_return_if_fail (VD_IS_WINDOW (self));
  g_return_if_fail (format != NULL);
  g_return_if_fail (G_IS_FILE (file));

  if (vd_session_get_store (self->session) == NULL)
    return;

  job = g_new0 (FormatExport, 1);
  job->self = g_object_ref (self);
  job->file = g_object_ref (file);

  exporter = vd_exporter_new (vd_session_get_store (self->session));
  vd_exporter_export_format_file_async (exporter, format, NULL, file, self->cancellable,
                                        export_format_cb, job);
}

static void
format_response_cb (GtkNativeDialog *native,
                    int              response,
                    gpointer         user_data)
{
  g_autoptr(FormatJob) job = user_data;
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (native));

  gtk_native_dialog_destroy (native);
  g_object_unref (native);

  if (file != NULL && !_vd_window_is_disposed (job->self))
    vd_window_export_format_file (job->self, job->format, file);
}

void
_vd_window_export_format (VdWindow   *self,
                          const char *format)
{
  GtkFileChooserNative *native;
  g_autoptr(GtkFileFilter) filter = NULL;
  FormatJob *job;
  guint i;

  if (vd_session_get_store (self->session) == NULL)
    return;

  for (i = 0; i < G_N_ELEMENTS (export_formats); i++)
    if (g_strcmp0 (export_formats[i].format, format) == 0)
      break;
  g_return_if_fail (i < G_N_ELEMENTS (export_formats));

  native = gtk_file_chooser_native_new (_(export_formats[i].title),
                                        GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_SAVE,
                                        _("_Export"),
                                        _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (native), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (native), export_formats[i].file_name);

  filter = gtk_file_filter_new ();
  gtk_file_filter_set_name (filter, _(export_formats[i].filter_name));
  gtk_file_filter_add_pattern (filter, export_formats[i].pattern);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (native), filter);

  job = g_new0 (FormatJob, 1);
  job->self = g_object_ref (self);
  job->format = g_strdup (format);

  g_signal_connect (native, "response", G_CALLBACK (format_response_cb), job);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (native));
}
