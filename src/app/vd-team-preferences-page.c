/* vd-team-preferences-page.c: the "Team Server" page of the preferences
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

#define G_LOG_DOMAIN "vd-team-preferences-page"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "vd-team-preferences-page.h"

struct _VdTeamPreferencesPage
{
  AdwPreferencesPage  parent_instance;

  VdTeamSettings     *settings;
  GCancellable       *cancellable;
  gboolean            busy;

  /* Template widgets */
  AdwEntryRow        *host_row;
  AdwEntryRow        *port_row;
  AdwEntryRow        *database_row;
  AdwEntryRow        *user_row;
  AdwEntryRow        *password_row;
  AdwComboRow        *tls_row;
  AdwActionRow       *status_row;
  GtkImage           *status_icon;
  GtkSpinner         *spinner;
  GtkWidget          *connect_button;
  GtkWidget          *local_button;
};

G_DEFINE_FINAL_TYPE (VdTeamPreferencesPage, vd_team_preferences_page, ADW_TYPE_PREFERENCES_PAGE)

static const char * const sslmodes[] = {
  "disable", "allow", "prefer", "require", "verify-ca", "verify-full",
};

static void
vd_team_preferences_page_set_status (VdTeamPreferencesPage *self,
                                     const char            *icon_name,
                                     const char            *text)
{
  gtk_image_set_from_icon_name (self->status_icon, icon_name);
  adw_action_row_set_subtitle (self->status_row, text);
}

static void
vd_team_preferences_page_set_busy (VdTeamPreferencesPage *self,
                                   gboolean               busy)
{
  self->busy = busy;
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_sensitive (self->connect_button, !busy);
  gtk_widget_set_sensitive (self->local_button, !busy);
}

/* The rows show the settings' server. */
static void
vd_team_preferences_page_load (VdTeamPreferencesPage *self)
{
  const char *uri = vd_team_settings_get_uri (self->settings);
  const char *sslmode = vd_team_settings_get_sslmode (self->settings);
  g_autofree char *host = NULL;
  g_autofree char *dbname = NULL;
  g_autofree char *user = NULL;
  guint port = 0;

  for (guint i = 0; i < G_N_ELEMENTS (sslmodes); i++)
    if (g_str_equal (sslmodes[i], sslmode))
      adw_combo_row_set_selected (self->tls_row, i);

  if (uri[0] == '\0')
    {
      vd_team_preferences_page_set_status (self, "computer-symbolic",
                                           _("Using the database on this computer"));
      return;
    }

  if (vd_team_settings_parse_uri (uri, &host, &port, &dbname, &user, NULL))
    {
      g_autofree char *port_text = port != 0 ? g_strdup_printf ("%u", port) : g_strdup ("");
      g_autofree char *server = vd_team_settings_describe (uri);
      g_autofree char *status = NULL;

      gtk_editable_set_text (GTK_EDITABLE (self->host_row), host);
      gtk_editable_set_text (GTK_EDITABLE (self->port_row), port_text);
      gtk_editable_set_text (GTK_EDITABLE (self->database_row), dbname);
      gtk_editable_set_text (GTK_EDITABLE (self->user_row), user);
      /* Translators: %s is a database and server, e.g. "verdict on db.example.com:5432" */
      status = g_strdup_printf (_("Using the team database %s"), server);
      vd_team_preferences_page_set_status (self, "network-server-symbolic", status);
    }
}

typedef struct
{
  VdTeamPreferencesPage *self;
  char                  *uri;
  char                  *sslmode;
  char                  *password;
} ConnectJob;

static void
connect_job_free (ConnectJob *job)
{
  g_clear_object (&job->self);
  g_free (job->uri);
  g_free (job->sslmode);
  if (job->password != NULL)
    memset (job->password, 0, strlen (job->password));
  g_free (job->password);
  g_free (job);
}

static void
password_stored_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  ConnectJob *job = user_data;
  VdTeamPreferencesPage *self = job->self;
  g_autoptr(GError) error = NULL;

  vd_team_settings_store_password_finish (VD_TEAM_SETTINGS (object), result, &error);

  if (!g_cancellable_is_cancelled (self->cancellable))
    {
      const char *message = vd_team_settings_get_password_message (self->settings);

      /* The application opens the team database on this change. */
      vd_team_settings_set_sslmode (self->settings, job->sslmode);
      vd_team_settings_set_uri (self->settings, job->uri);
      vd_team_preferences_page_set_busy (self, FALSE);
      if (message != NULL)
        {
          g_autofree char *status = g_strdup_printf ("%s %s",
                                                     adw_action_row_get_subtitle (self->status_row),
                                                     message);

          vd_team_preferences_page_set_status (self, "network-server-symbolic", status);
        }
    }

  connect_job_free (job);
}

static void
tested_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  ConnectJob *job = user_data;
  VdTeamPreferencesPage *self = job->self;
  g_autoptr(GError) error = NULL;
  g_autofree char *role = NULL;

  role = vd_team_settings_test_finish (result, &error);

  if (g_cancellable_is_cancelled (self->cancellable))
    {
      connect_job_free (job);
      return;
    }

  if (role == NULL)
    {
      vd_team_preferences_page_set_busy (self, FALSE);
      vd_team_preferences_page_set_status (self, "dialog-error-symbolic", error->message);
      connect_job_free (job);
      return;
    }

  {
    g_autofree char *server = vd_team_settings_describe (job->uri);
    /* Translators: "Connected as alice to verdict on db.example.com:5432" */
    g_autofree char *status = g_strdup_printf (_("Connected as %s to %s"), role, server);

    vd_team_preferences_page_set_status (self, "network-server-symbolic", status);
  }

  vd_team_settings_store_password_async (self->settings, job->uri, job->password,
                                         self->cancellable, password_stored_cb, job);
}

static void
connect_clicked_cb (VdTeamPreferencesPage *self)
{
  const char *host = gtk_editable_get_text (GTK_EDITABLE (self->host_row));
  const char *port_text = gtk_editable_get_text (GTK_EDITABLE (self->port_row));
  const char *dbname = gtk_editable_get_text (GTK_EDITABLE (self->database_row));
  const char *user = gtk_editable_get_text (GTK_EDITABLE (self->user_row));
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));
  guint selected = adw_combo_row_get_selected (self->tls_row);
  g_autofree char *conninfo = NULL;
  guint64 port = 0;
  ConnectJob *job;

  if (self->busy)
    return;

  if (host[0] == '\0' || dbname[0] == '\0' || user[0] == '\0')
    {
      vd_team_preferences_page_set_status (self, "dialog-error-symbolic",
                                           _("Enter the server, the database and your user "
                                             "name."));
      return;
    }
  if (port_text[0] != '\0' &&
      (!g_ascii_string_to_unsigned (port_text, 10, 1, 65535, &port, NULL)))
    {
      vd_team_preferences_page_set_status (self, "dialog-error-symbolic",
                                           _("The port is a number from 1 to 65535."));
      return;
    }

  job = g_new0 (ConnectJob, 1);
  job->self = g_object_ref (self);
  job->uri = vd_team_settings_build_uri (host, (guint) port, dbname, user);
  job->sslmode = g_strdup (sslmodes[MIN (selected, G_N_ELEMENTS (sslmodes) - 1)]);
  job->password = g_strdup (password);

  conninfo = vd_team_settings_with_sslmode (job->uri, job->sslmode);
  vd_team_preferences_page_set_busy (self, TRUE);
  vd_team_preferences_page_set_status (self, "network-server-symbolic", _("Connecting…"));
  vd_team_settings_test_async (conninfo, password, self->cancellable, tested_cb, job);
}

static void
local_clicked_cb (VdTeamPreferencesPage *self)
{
  vd_team_settings_set_uri (self->settings, NULL);
  vd_team_preferences_page_set_status (self, "computer-symbolic",
                                       _("Using the database on this computer"));
}

static void
vd_team_preferences_page_dispose (GObject *object)
{
  VdTeamPreferencesPage *self = (VdTeamPreferencesPage *)object;

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), VD_TYPE_TEAM_PREFERENCES_PAGE);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (vd_team_preferences_page_parent_class)->dispose (object);
}

static void
vd_team_preferences_page_finalize (GObject *object)
{
  VdTeamPreferencesPage *self = (VdTeamPreferencesPage *)object;

  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (vd_team_preferences_page_parent_class)->finalize (object);
}

static void
vd_team_preferences_page_class_init (VdTeamPreferencesPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vd_team_preferences_page_dispose;
  object_class->finalize = vd_team_preferences_page_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/verdict/Verdict/"
                                               "vd-team-preferences-page.ui");
  gtk_widget_class_bind_template_child (widget_class, VdTeamPreferencesPage, host_row);
  gtk_widget_class_bind_template_child (widget_class, VdTeamPreferencesPage, port_row);
  gtk_widget_class_bind_template_child (widget_class, VdTeamPreferencesPage, database_row);
  gtk_widget_class_bind_template_child (widget_class, VdTeamPreferencesPage, user_row);
  gtk_widget_class_bind_template_child (widget_class, VdTeamPreferencesPage, password_row);
  gtk_widget_class_bind_template_child (widget_class, VdTeamPreferencesPage, tls_row);
  gtk_widget_class_bind_template_child (widget_class, VdTeamPreferencesPage, status_row);
  gtk_widget_class_bind_template_child (widget_class, VdTeamPreferencesPage, status_icon);
  gtk_widget_class_bind_template_child (widget_class, VdTeamPreferencesPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, VdTeamPreferencesPage, connect_button);
  gtk_widget_class_bind_template_child (widget_class, VdTeamPreferencesPage, local_button);
  gtk_widget_class_bind_template_callback (widget_class, connect_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, local_clicked_cb);
}

static void
vd_team_preferences_page_init (VdTeamPreferencesPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}

/**
 * vd_team_preferences_page_new:
 * @settings: the team server's settings
 *
 * Returns: (transfer floating): a new #VdTeamPreferencesPage
 */
GtkWidget *
vd_team_preferences_page_new (VdTeamSettings *settings)
{
  VdTeamPreferencesPage *self;

  g_return_val_if_fail (VD_IS_TEAM_SETTINGS (settings), NULL);

  self = g_object_new (VD_TYPE_TEAM_PREFERENCES_PAGE, NULL);
  self->settings = g_object_ref (settings);
  vd_team_preferences_page_load (self);

  return GTK_WIDGET (self);
}

VdTeamSettings *
vd_team_preferences_page_get_settings (VdTeamPreferencesPage *self)
{
  g_return_val_if_fail (VD_IS_TEAM_PREFERENCES_PAGE (self), NULL);

  return self->settings;
}

/**
 * vd_team_preferences_page_get_status:
 * @self: a #VdTeamPreferencesPage
 *
 * Returns: what the page says about the connection (e.g. what libpq said
 *   when Connect failed)
 */
const char *
vd_team_preferences_page_get_status (VdTeamPreferencesPage *self)
{
  g_return_val_if_fail (VD_IS_TEAM_PREFERENCES_PAGE (self), NULL);

  return adw_action_row_get_subtitle (self->status_row);
}

/**
 * vd_team_preferences_page_get_busy:
 * @self: a #VdTeamPreferencesPage
 *
 * Returns: whether a connection is being tried
 */
gboolean
vd_team_preferences_page_get_busy (VdTeamPreferencesPage *self)
{
  g_return_val_if_fail (VD_IS_TEAM_PREFERENCES_PAGE (self), FALSE);

  return self->busy;
}
