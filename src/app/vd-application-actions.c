/* vd-application-actions.c
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

#define G_LOG_DOMAIN "vd-application"

#include "config.h"

#include <glib/gi18n.h>

#include "vd-application-private.h"
#include "vd-preferences-window.h"

#define WEBSITE   "https://github.com/verdict/verdict"
#define ISSUE_URL "https://github.com/verdict/verdict/issues"

static void
vd_application_actions_quit (GSimpleAction *action,
                             GVariant      *parameter,
                             gpointer       user_data)
{
  VdApplication *self = user_data;
  g_autoptr(GList) windows = NULL;

  /* Destroying the windows lets them store their state first. */
  windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));
  for (const GList *l = windows; l != NULL; l = l->next)
    gtk_window_destroy (l->data);

  g_application_quit (G_APPLICATION (self));
}

static void
vd_application_actions_about (GSimpleAction *action,
                              GVariant      *parameter,
                              gpointer       user_data)
{
  VdApplication *self = user_data;
  static const char *developers[] = { "The Verdict developers", NULL };
  GtkWindow *window;
  GtkWidget *about;

  window = gtk_application_get_active_window (GTK_APPLICATION (self));

  about = adw_about_window_new ();
  adw_about_window_set_application_name (ADW_ABOUT_WINDOW (about), _("Verdict"));
  adw_about_window_set_application_icon (ADW_ABOUT_WINDOW (about), APP_ID);
  adw_about_window_set_developer_name (ADW_ABOUT_WINDOW (about), _("The Verdict developers"));
  adw_about_window_set_developers (ADW_ABOUT_WINDOW (about), developers);
  adw_about_window_set_version (ADW_ABOUT_WINDOW (about), PACKAGE_VERSION);
  adw_about_window_set_copyright (ADW_ABOUT_WINDOW (about), "© 2026 The Verdict developers");
  adw_about_window_set_license_type (ADW_ABOUT_WINDOW (about), GTK_LICENSE_GPL_3_0);
  adw_about_window_set_website (ADW_ABOUT_WINDOW (about), WEBSITE);
  adw_about_window_set_issue_url (ADW_ABOUT_WINDOW (about), ISSUE_URL);
  /* Translators: put your names here, one per line */
  adw_about_window_set_translator_credits (ADW_ABOUT_WINDOW (about), _("translator-credits"));
  gtk_window_set_transient_for (GTK_WINDOW (about), window);
  gtk_window_set_modal (GTK_WINDOW (about), TRUE);
  gtk_window_present (GTK_WINDOW (about));
}

static void
vd_application_actions_shortcuts (GSimpleAction *action,
                                  GVariant      *parameter,
                                  gpointer       user_data)
{
  VdApplication *self = user_data;
  GtkWindow *window;

  window = gtk_application_get_active_window (GTK_APPLICATION (self));
  if (window != NULL)
    gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL);
}

static void
vd_application_actions_preferences (GSimpleAction *action,
                                    GVariant      *parameter,
                                    gpointer       user_data)
{
  VdApplication *self = user_data;
  VdPreferencesWindow *preferences;

  preferences = vd_preferences_window_new (vd_application_get_session (self));
  gtk_window_set_transient_for (GTK_WINDOW (preferences),
                                gtk_application_get_active_window (GTK_APPLICATION (self)));
  gtk_window_present (GTK_WINDOW (preferences));
}

static void
import_response_cb (GtkNativeDialog *native,
                    int              response,
                    gpointer         user_data)
{
  g_autoptr(VdApplication) self = user_data;
  g_autoptr(GListModel) files = NULL;
  g_autoptr(GPtrArray) array = NULL;
  VdWindow *window;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (native));
      array = g_ptr_array_new_with_free_func (g_object_unref);

      for (guint i = 0; i < g_list_model_get_n_items (files); i++)
        g_ptr_array_add (array, g_list_model_get_item (files, i));
    }

  gtk_native_dialog_destroy (native);
  g_object_unref (native);

  if (array == NULL || array->len == 0)
    return;

  window = _vd_application_ensure_window (self);
  vd_window_ask_import (window, (GFile **) array->pdata, array->len, FALSE);
}

static void
vd_application_actions_import (GSimpleAction *action,
                               GVariant      *parameter,
                               gpointer       user_data)
{
  VdApplication *self = user_data;
  GtkFileChooserNative *native;
  g_autoptr(GtkFileFilter) queues = NULL;
  g_autoptr(GtkFileFilter) all = NULL;
  VdWindow *window;

  window = _vd_application_ensure_window (self);

  native = gtk_file_chooser_native_new (_("Import Review Queue"),
                                        GTK_WINDOW (window),
                                        GTK_FILE_CHOOSER_ACTION_OPEN,
                                        _("_Import"),
                                        _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (native), TRUE);
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (native), TRUE);

  queues = gtk_file_filter_new ();
  gtk_file_filter_set_name (queues, _("Review Queues"));
  gtk_file_filter_add_pattern (queues, "*.jsonl");
  gtk_file_filter_add_pattern (queues, "*.json");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (native), queues);

  all = gtk_file_filter_new ();
  gtk_file_filter_set_name (all, _("All Files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (native), all);

  gtk_file_chooser_set_filter (GTK_FILE_CHOOSER (native), queues);

  g_signal_connect (native, "response", G_CALLBACK (import_response_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (native));
}

/* The bundled sample, through the import dialog with the sample's own
 * policy offered first: the reviewer sees what it would approve. */
static void
vd_application_actions_open_sample (GSimpleAction *action,
                                    GVariant      *parameter,
                                    gpointer       user_data)
{
  VdApplication *self = user_data;
  g_autofree char *dir = vd_application_dup_samples_dir (self);
  g_autofree char *path = g_build_filename (dir, "review-queue.jsonl", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  VdWindow *window;

  window = _vd_application_ensure_window (self);
  gtk_window_present (GTK_WINDOW (window));
  vd_window_ask_import (window, &file, 1, TRUE);
}

/* A notification's default action: the item whose deadline is closest. */
static void
vd_application_actions_show_item (GSimpleAction *action,
                                  GVariant      *parameter,
                                  gpointer       user_data)
{
  VdApplication *self = user_data;
  VdWindow *window = _vd_application_ensure_window (self);

  gtk_window_present (GTK_WINDOW (window));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-item", "x",
                              g_variant_get_int64 (parameter));
}

static const GActionEntry app_actions[] = {
  { "show-item", vd_application_actions_show_item, "x" },
  { "quit", vd_application_actions_quit },
  { "about", vd_application_actions_about },
  { "shortcuts", vd_application_actions_shortcuts },
  { "preferences", vd_application_actions_preferences },
  { "import", vd_application_actions_import },
  { "open-sample", vd_application_actions_open_sample },
};

static const struct {
  const char *action;
  const char *accels[2];
} app_accels[] = {
  { "app.quit", { "<Control>q", NULL } },
  { "app.import", { "<Control>o", NULL } },
  { "app.preferences", { "<Control>comma", NULL } },
};

void
_vd_application_init_actions (VdApplication *self)
{
  g_assert (VD_IS_APPLICATION (self));

  g_action_map_add_action_entries (G_ACTION_MAP (self),
                                   app_actions,
                                   G_N_ELEMENTS (app_actions),
                                   self);

  for (guint i = 0; i < G_N_ELEMENTS (app_accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self),
                                           app_accels[i].action,
                                           app_accels[i].accels);
}
