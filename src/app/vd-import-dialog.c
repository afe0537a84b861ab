/* vd-import-dialog.c
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

#define G_LOG_DOMAIN "vd-import-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "vd-import-dialog.h"

struct _VdImportDialog
{
  AdwWindow        parent_instance;

  VdSession       *session;
  GPtrArray       *files;            /* GFile */
  VdPolicy        *review_all;
  char            *configured_path;  /* nullable: Preferences names none */
  char            *queue_policy_path; /* nullable: no policy.json next to the queue */
  char            *chosen_path;      /* nullable: none chosen yet */

  /* The preview of the current choice, or why there is none. */
  GCancellable    *cancellable;
  VdImportPreview *preview;
  GError          *error;
  GTask           *task;             /* the choose_async() operation */

  /* Template widgets */
  GtkLabel        *files_label;
  GtkLabel        *count_label;
  AdwActionRow    *configured_row;
  AdwActionRow    *sibling_row;
  AdwActionRow    *chosen_row;
  GtkCheckButton  *review_all_check;
  GtkCheckButton  *configured_check;
  GtkCheckButton  *sibling_check;
  GtkCheckButton  *chosen_check;
  GtkSpinner      *preview_spinner;
  GtkLabel        *preview_label;
  GtkLabel        *problem_label;
  GtkLabel        *error_label;
  GtkWidget       *import_button;
  AdwComboRow     *format_row;
  AdwEntryRow     *input_field_row;
  AdwEntryRow     *output_question_row;
  gboolean         focused;          /* Import had the focus once */
};

G_DEFINE_FINAL_TYPE (VdImportDialog, vd_import_dialog, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_FORMAT,
  PROP_INPUT_FIELD,
  PROP_OUTPUT_QUESTION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The formats offered, in the order of the format row; NULL detects the
 * format from the content. Wire names as vd_importer_set_format() takes
 * them. */
static const char * const format_names[] = {
  NULL, "verdict", "langgraph", "label-studio", "argilla", "prodigy",
};

static void
format_selected_cb (VdImportDialog *self)
{
  const char *format = vd_import_dialog_get_format (self);
  gboolean argilla = g_strcmp0 (format, "argilla") == 0;

  /* The field mapping is Argilla's alone. */
  gtk_widget_set_visible (GTK_WIDGET (self->input_field_row), argilla);
  gtk_widget_set_visible (GTK_WIDGET (self->output_question_row), argilla);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FORMAT]);
}

static void
mapping_changed_cb (VdImportDialog *self,
                    AdwEntryRow    *row)
{
  g_object_notify_by_pspec (G_OBJECT (self),
                            properties[row == self->input_field_row
                                       ? PROP_INPUT_FIELD : PROP_OUTPUT_QUESTION]);
}

/* An entry's text, NULL when empty. */
static const char *
entry_text (AdwEntryRow *row)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (row));

  return text != NULL && text[0] != '\0' ? text : NULL;
}

static void
vd_import_dialog_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  VdImportDialog *self = VD_IMPORT_DIALOG (object);

  switch (prop_id)
    {
    case PROP_FORMAT:
      g_value_set_string (value, vd_import_dialog_get_format (self));
      break;

    case PROP_INPUT_FIELD:
      g_value_set_string (value, vd_import_dialog_get_input_field (self));
      break;

    case PROP_OUTPUT_QUESTION:
      g_value_set_string (value, vd_import_dialog_get_output_question (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vd_import_dialog_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  VdImportDialog *self = VD_IMPORT_DIALOG (object);
  const char *text = g_value_get_string (value);

  switch (prop_id)
    {
    case PROP_FORMAT:
      vd_import_dialog_set_format (self, text);
      break;

    case PROP_INPUT_FIELD:
      gtk_editable_set_text (GTK_EDITABLE (self->input_field_row), text != NULL ? text : "");
      break;

    case PROP_OUTPUT_QUESTION:
      gtk_editable_set_text (GTK_EDITABLE (self->output_question_row), text != NULL ? text : "");
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static const char *
choice_path (VdImportDialog *self,
             VdImportChoice  choice)
{
  switch (choice)
    {
    case VD_IMPORT_CHOICE_CONFIGURED:
      return self->configured_path;
    case VD_IMPORT_CHOICE_QUEUE_POLICY:
      return self->queue_policy_path;
    case VD_IMPORT_CHOICE_FILE:
      return self->chosen_path;
    case VD_IMPORT_CHOICE_REVIEW_ALL:
    default:
      return NULL;
    }
}

static GtkCheckButton *
choice_check (VdImportDialog *self,
              VdImportChoice  choice)
{
  switch (choice)
    {
    case VD_IMPORT_CHOICE_CONFIGURED:
      return self->configured_check;
    case VD_IMPORT_CHOICE_QUEUE_POLICY:
      return self->sibling_check;
    case VD_IMPORT_CHOICE_FILE:
      return self->chosen_check;
    case VD_IMPORT_CHOICE_REVIEW_ALL:
    default:
      return self->review_all_check;
    }
}

static void
update_actions (VdImportDialog *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dialog.import",
                                 vd_import_dialog_get_can_import (self));
}

static void
show_label (GtkLabel   *label,
            const char *text)
{
  gtk_label_set_text (label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (label), text != NULL && text[0] != '\0');
}

static void
show_preview (VdImportDialog *self)
{
  g_autofree char *count = NULL;
  g_autofree char *text = NULL;
  g_autofree char *problem = NULL;
  g_autofree char *error = NULL;
  gboolean busy = self->preview == NULL && self->error == NULL;

  gtk_spinner_set_spinning (self->preview_spinner, busy);
  gtk_widget_set_visible (GTK_WIDGET (self->preview_spinner), busy);

  if (busy)
    {
      show_label (self->preview_label, _("Counting the items…"));
      show_label (self->problem_label, NULL);
      show_label (self->error_label, NULL);
      update_actions (self);
      return;
    }

  if (self->error != NULL)
    {
      show_label (self->count_label, NULL);
      show_label (self->preview_label, NULL);
      show_label (self->problem_label, NULL);
      /* Translators: %s names the file, the line and what is wrong */
      error = g_strdup_printf (_("The queue cannot be read: %s"), self->error->message);
      show_label (self->error_label, error);
      update_actions (self);
      return;
    }

  {
    guint n_items = vd_import_preview_get_n_items (self->preview);
    guint n_approved = vd_import_preview_get_n_approved (self->preview);
    guint n_review = vd_import_preview_get_n_review (self->preview);
    GPtrArray *problems = vd_import_preview_get_problems (self->preview);
    const GError *policy_error = vd_import_preview_get_policy_error (self->preview);

    count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u item", "%u items", n_items),
                             n_items);
    show_label (self->count_label, count);

    if (policy_error != NULL)
      {
        text = NULL;
        /* Translators: %s names the policy file and what is wrong in it */
        error = g_strdup_printf (_("This policy cannot be used: %s"), policy_error->message);
      }
    else if (n_approved == 0)
      /* Translators: the preview of an import; %u is a number of items */
      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "Nothing will be approved automatically; "
                                           "%u item goes to review",
                                           "Nothing will be approved automatically; "
                                           "%u items go to review",
                                           n_items),
                              n_items);
    else
      {
        g_autofree char *approved = NULL;
        g_autofree char *review = NULL;

        /* Translators: the first half of the preview of an import, e.g.
         * "12 of 55 items would be approved automatically" */
        approved = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                 "%u of %u item would be approved automatically",
                                                 "%u of %u items would be approved automatically",
                                                 n_items),
                                    n_approved, n_items);
        /* Translators: the second half, e.g. "43 go to review" */
        review = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                               "%u goes to review",
                                               "%u go to review",
                                               n_review),
                                  n_review);
        /* Translators: the two halves above joined */
        text = g_strdup_printf (_("%s; %s"), approved, review);
      }

    if (problems->len > 0)
      {
        g_autofree char *lead = NULL;

        /* Translators: %u is a number of lines; the first problem follows */
        lead = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             "%u line cannot be read; "
                                             "the import will offer to leave it out:",
                                             "%u lines cannot be read; "
                                             "the import will offer to leave them out:",
                                             problems->len),
                                problems->len);
        problem = g_strdup_printf ("%s\n%s", lead, (const char *) g_ptr_array_index (problems, 0));
      }

    show_label (self->preview_label, text);
    show_label (self->problem_label, problem);
    show_label (self->error_label, error);
  }

  update_actions (self);

  /* Once the first preview is there, Enter imports. */
  if (!self->focused && vd_import_dialog_get_can_import (self))
    {
      self->focused = TRUE;
      gtk_widget_grab_focus (self->import_button);
    }
}

static void
preview_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(VdImportDialog) self = user_data;
  g_autoptr(VdImportPreview) preview = NULL;
  g_autoptr(GError) error = NULL;

  preview = vd_import_preview_compute_finish (result, &error);

  /* A newer choice, or the dialog closed. */
  if (g_task_get_cancellable (G_TASK (result)) != self->cancellable ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&self->cancellable);
  self->preview = g_steal_pointer (&preview);
  self->error = g_steal_pointer (&error);
  show_preview (self);
}

static void
update_preview (VdImportDialog *self)
{
  VdImportChoice choice = vd_import_dialog_get_choice (self);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->preview);
  g_clear_error (&self->error);

  self->cancellable = g_cancellable_new ();
  show_preview (self);

  vd_import_preview_compute_async ((GFile **) self->files->pdata, self->files->len,
                                   choice == VD_IMPORT_CHOICE_REVIEW_ALL ? self->review_all : NULL,
                                   choice_path (self, choice),
                                   self->cancellable,
                                   preview_cb,
                                   g_object_ref (self));
}

static void
choice_toggled_cb (VdImportDialog *self,
                   GtkCheckButton *check)
{
  if (gtk_check_button_get_active (check))
    update_preview (self);
}

static char *
policy_name (VdImportDialog *self,
             VdImportChoice  choice)
{
  const char *path = choice_path (self, choice);

  if (path == NULL)
    return g_strdup (_("Review every item"));

  return g_filename_display_basename (path);
}

static void
import_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  VdImportDialog *self = VD_IMPORT_DIALOG (widget);
  g_autoptr(GTask) task = NULL;

  if (!vd_import_dialog_get_can_import (self) || self->task == NULL)
    return;

  task = g_steal_pointer (&self->task);
  g_task_return_pointer (task, g_object_ref (vd_import_preview_get_policy (self->preview)),
                         g_object_unref);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
policy_file_response_cb (GtkNativeDialog *native,
                         int              response,
                         gpointer         user_data)
{
  g_autoptr(VdImportDialog) self = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (native));

      if (file != NULL)
        vd_import_dialog_set_policy_file (self, file);
    }

  gtk_native_dialog_destroy (native);
  g_object_unref (native);
}

static void
choose_policy_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  VdImportDialog *self = VD_IMPORT_DIALOG (widget);
  GtkFileChooserNative *native;
  g_autoptr(GtkFileFilter) policies = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();

  native = gtk_file_chooser_native_new (_("Choose Policy File"),
                                        GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_OPEN,
                                        _("_Choose"),
                                        _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (native), TRUE);

  gtk_file_filter_set_name (policies, _("Policies"));
  gtk_file_filter_add_pattern (policies, "*.json");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (native), policies);
  gtk_file_filter_set_name (all, _("All Files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (native), all);
  gtk_file_chooser_set_filter (GTK_FILE_CHOOSER (native), policies);

  g_signal_connect (native, "response", G_CALLBACK (policy_file_response_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (native));
}

static gboolean
vd_import_dialog_close_request (GtkWindow *window)
{
  VdImportDialog *self = VD_IMPORT_DIALOG (window);
  g_autoptr(GTask) task = g_steal_pointer (&self->task);

  g_cancellable_cancel (self->cancellable);

  if (task != NULL)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                             "%s", _("The import was cancelled"));

  return GTK_WINDOW_CLASS (vd_import_dialog_parent_class)->close_request (window);
}

static void
vd_import_dialog_dispose (GObject *object)
{
  VdImportDialog *self = (VdImportDialog *)object;

  g_cancellable_cancel (self->cancellable);
  if (self->task != NULL)
    {
      g_autoptr(GTask) task = g_steal_pointer (&self->task);

      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               "%s", _("The import was cancelled"));
    }

  gtk_widget_dispose_template (GTK_WIDGET (self), VD_TYPE_IMPORT_DIALOG);

  G_OBJECT_CLASS (vd_import_dialog_parent_class)->dispose (object);
}

static void
vd_import_dialog_finalize (GObject *object)
{
  VdImportDialog *self = (VdImportDialog *)object;

  g_clear_object (&self->session);
  g_clear_pointer (&self->files, g_ptr_array_unref);
  g_clear_object (&self->review_all);
  g_clear_pointer (&self->configured_path, g_free);
  g_clear_pointer (&self->queue_policy_path, g_free);
  g_clear_pointer (&self->chosen_path, g_free);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->preview);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (vd_import_dialog_parent_class)->finalize (object);
}

static void
vd_import_dialog_class_init (VdImportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = vd_import_dialog_dispose;
  object_class->finalize = vd_import_dialog_finalize;
  object_class->get_property = vd_import_dialog_get_property;
  object_class->set_property = vd_import_dialog_set_property;
  window_class->close_request = vd_import_dialog_close_request;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/verdict/Verdict/vd-import-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, VdImportDialog, files_label);
  gtk_widget_class_bind_template_child (widget_class, VdImportDialog, count_label);
  gtk_widget_class_bind_template_child (widget_class, VdImportDialog, configured_row);
  gtk_widget_class_bind_template_child (widget_class, VdImportDialog, sibling_row);
  gtk_widget_class_bind_template_child (widget_class, VdImportDialog, chosen_row);
  gtk_widget_class_bind_template_child (widget_class, VdImportDialog, review_all_check);
  gtk_widget_class_bind_template_child (widget_class, VdImportDialog, configured_check);
  gtk_widget_class_bind_template_child (widget_class, VdImportDialog, sibling_check);
  gtk_widget_class_bind_template_child (widget_class, VdImportDialog, chosen_check);
  gtk_widget_class_bind_template_child (widget_class, VdImportDialog, preview_spinner);
  gtk_widget_class_bind_template_child (widget_class, VdImportDialog, preview_label);
  gtk_widget_class_bind_template_child (widget_class, VdImportDialog, problem_label);
  gtk_widget_class_bind_template_child (widget_class, VdImportDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, VdImportDialog, import_button);
  gtk_widget_class_bind_template_child (widget_class, VdImportDialog, format_row);
  gtk_widget_class_bind_template_child (widget_class, VdImportDialog, input_field_row);
  gtk_widget_class_bind_template_child (widget_class, VdImportDialog, output_question_row);
  gtk_widget_class_bind_template_callback (widget_class, choice_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, format_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, mapping_changed_cb);

  /**
   * VdImportDialog:format:
   *
   * The format the files are read as: "verdict", "langgraph",
   * "label-studio", "argilla" or "prodigy"; NULL detects it from the
   * content (see vd_importer_set_format()).
   */
  properties[PROP_FORMAT] =
    g_param_spec_string ("format", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * VdImportDialog:input-field:
   *
   * Argilla: the record field shown as the task; NULL takes the first text
   * field (see vd_importer_set_field_mapping()).
   */
  properties[PROP_INPUT_FIELD] =
    g_param_spec_string ("input-field", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * VdImportDialog:output-question:
   *
   * Argilla: the question whose suggestion is the output under review;
   * NULL takes the first question with a suggestion.
   */
  properties[PROP_OUTPUT_QUESTION] =
    g_param_spec_string ("output-question", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_install_action (widget_class, "dialog.import", NULL, import_action);
  gtk_widget_class_install_action (widget_class, "dialog.choose-policy", NULL,
                                   choose_policy_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
vd_import_dialog_init (VdImportDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->review_all = vd_policy_new_review_all ();
  self->files = g_ptr_array_new_with_free_func (g_object_unref);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dialog.import", FALSE);
}

static char *
files_text (GPtrArray *files)
{
  g_autoptr(GString) text = g_string_new (NULL);
  guint shown = MIN (files->len, 3);

  for (guint i = 0; i < shown; i++)
    {
      g_autofree char *name = g_file_get_basename (g_ptr_array_index (files, i));
      g_autofree char *display = g_filename_display_name (name != NULL ? name : "");

      if (i > 0)
        g_string_append (text, ", ");
      g_string_append (text, display);
    }

  if (files->len > shown)
    {
      guint rest = files->len - shown;

      /* Translators: after a list of file names, e.g. "a.jsonl, b.jsonl, c.jsonl and 2 more" */
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, " and %u more", " and %u more",
                                                 rest),
                              rest);
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
show_choice_path (AdwActionRow *row,
                  const char   *path)
{
  g_autofree char *display = g_filename_display_name (path);

  adw_action_row_set_subtitle (row, display);
  gtk_widget_set_tooltip_text (GTK_WIDGET (row), display);
  gtk_widget_set_visible (GTK_WIDGET (row), TRUE);
}

/**
 * vd_import_dialog_new:
 * @session: the session (its settings name the configured policy)
 * @files: (array length=n_files): the queue files
 * @n_files: the number of files, at least one
 * @prefer_queue_policy: whether a `policy.json` next to the first file is
 *   chosen at first (the bundled sample) rather than "Review every item"
 *
 * Returns: (transfer none): a new dialog, owned by GTK like every
 *   toplevel; show it with vd_import_dialog_choose_async()
 */
VdImportDialog *
vd_import_dialog_new (VdSession  *session,
                      GFile     **files,
                      guint       n_files,
                      gboolean    prefer_queue_policy)
{
  VdImportDialog *self;
  GSettings *settings;
  g_autofree char *files_label = NULL;
  g_autoptr(GFile) parent = NULL;
  gboolean sibling_is_configured = FALSE;

  g_return_val_if_fail (VD_IS_SESSION (session), NULL);
  g_return_val_if_fail (files != NULL && n_files > 0, NULL);

  self = g_object_new (VD_TYPE_IMPORT_DIALOG, NULL);
  self->session = g_object_ref (session);
  for (guint i = 0; i < n_files; i++)
    g_ptr_array_add (self->files, g_object_ref (files[i]));

  files_label = files_text (self->files);
  gtk_label_set_text (self->files_label, files_label);

  settings = vd_session_get_settings (session);
  if (settings != NULL)
    {
      g_autofree char *path = g_settings_get_string (settings, "policy-path");

      if (path[0] != '\0')
        {
          self->configured_path = g_steal_pointer (&path);
          show_choice_path (self->configured_row, self->configured_path);
        }
    }

  parent = g_file_get_parent (files[0]);
  if (parent != NULL)
    {
      g_autoptr(GFile) sibling = g_file_get_child (parent, "policy.json");
      g_autofree char *path = g_file_get_path (sibling);

      /* A stat, once: the file is read on the preview's thread. The
       * configured policy may be that file: it is offered once, as such. */
      if (path != NULL && g_strcmp0 (path, self->configured_path) == 0)
        sibling_is_configured = TRUE;
      else if (path != NULL && g_file_test (path, G_FILE_TEST_IS_REGULAR))
        {
          self->queue_policy_path = g_steal_pointer (&path);
          show_choice_path (self->sibling_row, self->queue_policy_path);
        }
    }

  if (prefer_queue_policy && self->queue_policy_path != NULL)
    gtk_check_button_set_active (self->sibling_check, TRUE);
  else if (prefer_queue_policy && sibling_is_configured)
    gtk_check_button_set_active (self->configured_check, TRUE);
  else
    update_preview (self);

  return self;
}

/**
 * vd_import_dialog_choose_async:
 * @self: a dialog
 * @parent: (nullable): the window it is modal for
 * @callback: called when a policy is chosen or the dialog closed
 * @user_data: data for @callback
 *
 * Shows the dialog.
 */
void
vd_import_dialog_choose_async (VdImportDialog      *self,
                               GtkWindow           *parent,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (VD_IS_IMPORT_DIALOG (self));
  g_return_if_fail (parent == NULL || GTK_IS_WINDOW (parent));
  g_return_if_fail (self->task == NULL);

  self->task = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (self->task, vd_import_dialog_choose_async);

  gtk_window_set_transient_for (GTK_WINDOW (self), parent);
  gtk_window_present (GTK_WINDOW (self));
}

/**
 * vd_import_dialog_choose_finish:
 * @self: a dialog
 * @result: the result passed to the callback
 * @policy_name_out: (out) (optional) (transfer full): the policy's name for
 *   people: its file name, or "Review every item"
 * @choice: (out) (optional): which choice it was
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the policy to import with, or
 *   %NULL with @error set (G_IO_ERROR_CANCELLED when the dialog was closed)
 */
VdPolicy *
vd_import_dialog_choose_finish (VdImportDialog  *self,
                                GAsyncResult    *result,
                                char           **policy_name_out,
                                VdImportChoice  *choice,
                                GError         **error)
{
  VdPolicy *policy;

  g_return_val_if_fail (VD_IS_IMPORT_DIALOG (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  policy = g_task_propagate_pointer (G_TASK (result), error);
  if (policy == NULL)
    return NULL;

  if (policy_name_out != NULL)
    *policy_name_out = policy_name (self, vd_import_dialog_get_choice (self));
  if (choice != NULL)
    *choice = vd_import_dialog_get_choice (self);

  return policy;
}

/**
 * vd_import_dialog_get_choice:
 * @self: a dialog
 *
 * Returns: the policy chosen
 */
VdImportChoice
vd_import_dialog_get_choice (VdImportDialog *self)
{
  g_return_val_if_fail (VD_IS_IMPORT_DIALOG (self), VD_IMPORT_CHOICE_REVIEW_ALL);

  if (gtk_check_button_get_active (self->configured_check))
    return VD_IMPORT_CHOICE_CONFIGURED;
  if (gtk_check_button_get_active (self->sibling_check))
    return VD_IMPORT_CHOICE_QUEUE_POLICY;
  if (gtk_check_button_get_active (self->chosen_check))
    return VD_IMPORT_CHOICE_FILE;

  return VD_IMPORT_CHOICE_REVIEW_ALL;
}

/**
 * vd_import_dialog_has_choice:
 * @self: a dialog
 * @choice: a choice
 *
 * Returns: whether the dialog offers @choice
 */
gboolean
vd_import_dialog_has_choice (VdImportDialog *self,
                             VdImportChoice  choice)
{
  g_return_val_if_fail (VD_IS_IMPORT_DIALOG (self), FALSE);

  return choice == VD_IMPORT_CHOICE_REVIEW_ALL || choice_path (self, choice) != NULL;
}

/**
 * vd_import_dialog_set_choice:
 * @self: a dialog
 * @choice: a choice the dialog offers
 *
 * Selects @choice, as clicking its row does.
 */
void
vd_import_dialog_set_choice (VdImportDialog *self,
                             VdImportChoice  choice)
{
  g_return_if_fail (VD_IS_IMPORT_DIALOG (self));
  g_return_if_fail (vd_import_dialog_has_choice (self, choice));

  gtk_check_button_set_active (choice_check (self, choice), TRUE);
}

/**
 * vd_import_dialog_set_policy_file:
 * @self: a dialog
 * @file: a policy file
 *
 * Offers @file and selects it, as "Choose Policy File…" does.
 */
void
vd_import_dialog_set_policy_file (VdImportDialog *self,
                                  GFile          *file)
{
  g_autofree char *path = NULL;

  g_return_if_fail (VD_IS_IMPORT_DIALOG (self));
  g_return_if_fail (G_IS_FILE (file));

  path = g_file_get_path (file);
  if (path == NULL)
    return;

  g_free (self->chosen_path);
  self->chosen_path = g_steal_pointer (&path);
  show_choice_path (self->chosen_row, self->chosen_path);

  if (gtk_check_button_get_active (self->chosen_check))
    update_preview (self);
  else
    gtk_check_button_set_active (self->chosen_check, TRUE);
}

/**
 * vd_import_dialog_get_preview:
 * @self: a dialog
 *
 * Returns: (transfer none) (nullable): the preview of the current choice,
 *   %NULL while it is computed or when the files cannot be read
 */
VdImportPreview *
vd_import_dialog_get_preview (VdImportDialog *self)
{
  g_return_val_if_fail (VD_IS_IMPORT_DIALOG (self), NULL);

  return self->preview;
}

/**
 * vd_import_dialog_get_preview_text:
 * @self: a dialog
 *
 * Returns: the sentence that says what the import would do
 */
const char *
vd_import_dialog_get_preview_text (VdImportDialog *self)
{
  g_return_val_if_fail (VD_IS_IMPORT_DIALOG (self), NULL);

  return gtk_label_get_text (self->preview_label);
}

/**
 * vd_import_dialog_get_can_import:
 * @self: a dialog
 *
 * Returns: whether Import is possible: the preview is there and the
 *   policy could be read
 */
gboolean
vd_import_dialog_get_can_import (VdImportDialog *self)
{
  g_return_val_if_fail (VD_IS_IMPORT_DIALOG (self), FALSE);

  return self->preview != NULL &&
         vd_import_preview_get_policy (self->preview) != NULL &&
         vd_import_preview_get_n_items (self->preview) > 0;
}

/**
 * vd_import_dialog_get_format:
 * @self: a #VdImportDialog
 *
 * Returns: (nullable): the wire name of the format chosen, or NULL for
 *   Automatic
 */
const char *
vd_import_dialog_get_format (VdImportDialog *self)
{
  guint selected;

  g_return_val_if_fail (VD_IS_IMPORT_DIALOG (self), NULL);

  selected = adw_combo_row_get_selected (self->format_row);
  if (selected >= G_N_ELEMENTS (format_names))
    return NULL;

  return format_names[selected];
}

/**
 * vd_import_dialog_set_format:
 * @self: a #VdImportDialog
 * @format: (nullable): a wire name, or NULL for Automatic
 */
void
vd_import_dialog_set_format (VdImportDialog *self,
                             const char     *format)
{
  g_return_if_fail (VD_IS_IMPORT_DIALOG (self));

  for (guint i = 0; i < G_N_ELEMENTS (format_names); i++)
    {
      if (g_strcmp0 (format_names[i], format) == 0)
        {
          adw_combo_row_set_selected (self->format_row, i);
          return;
        }
    }

  g_return_if_reached ();
}

/**
 * vd_import_dialog_get_input_field:
 * @self: a #VdImportDialog
 *
 * Returns: (nullable): Argilla's input field, NULL for the default or
 *   when the format is not Argilla
 */
const char *
vd_import_dialog_get_input_field (VdImportDialog *self)
{
  g_return_val_if_fail (VD_IS_IMPORT_DIALOG (self), NULL);

  if (g_strcmp0 (vd_import_dialog_get_format (self), "argilla") != 0)
    return NULL;

  return entry_text (self->input_field_row);
}

/**
 * vd_import_dialog_get_output_question:
 * @self: a #VdImportDialog
 *
 * Returns: (nullable): Argilla's output question, NULL for the default or
 *   when the format is not Argilla
 */
const char *
vd_import_dialog_get_output_question (VdImportDialog *self)
{
  g_return_val_if_fail (VD_IS_IMPORT_DIALOG (self), NULL);

  if (g_strcmp0 (vd_import_dialog_get_format (self), "argilla") != 0)
    return NULL;

  return entry_text (self->output_question_row);
}
