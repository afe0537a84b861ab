/* vd-application.c
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

#include <string.h>

#include <glib/gi18n.h>

#include "vd-application-private.h"
#include "vd-store-location.h"
#include "vd-timing.h"
#include "vd-window.h"

/* The schema id does not change with the development profile. */
#define SETTINGS_SCHEMA_ID "io.github.verdict.Verdict"

#define NOTIFICATION_ID "deadlines"

struct _VdApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;
  GCancellable   *cancellable;

  char           *db_path;        /* from --db */
  guint           reopen_idle;    /* the team server changed */

  /* The store, the policy, the agent, the deadlines: shared by the
   * windows. */
  VdSession      *session;
  char           *policy_message; /* a policy error not shown yet */

  /* The deadline monitor's notifications, while no window is active. */
  GSignalGroup   *monitor_signals;
};

G_DEFINE_FINAL_TYPE (VdApplication, vd_application, ADW_TYPE_APPLICATION)

/**
 * vd_application_new_settings:
 *
 * Creates the application's settings when the schema is installed (or
 * found through `GSETTINGS_SCHEMA_DIR`).
 *
 * Returns: (transfer full) (nullable): the settings, or %NULL without a schema
 */
GSettings *
vd_application_new_settings (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source == NULL)
    return NULL;

  schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema == NULL)
    schema = g_settings_schema_source_lookup (source, SETTINGS_SCHEMA_ID, TRUE);
  if (schema == NULL)
    return NULL;

  return g_settings_new_full (schema, NULL, NULL);
}

static void
vd_application_flush_policy_message (VdApplication *self)
{
  GtkWindow *window;

  if (self->policy_message == NULL)
    return;

  window = gtk_application_get_active_window (GTK_APPLICATION (self));
  if (!VD_IS_WINDOW (window))
    return;

  vd_window_show_message (VD_WINDOW (window), self->policy_message);
  g_clear_pointer (&self->policy_message, g_free);
}

VdWindow *
_vd_application_ensure_window (VdApplication *self)
{
  GtkWindow *window;

  g_assert (VD_IS_APPLICATION (self));

  window = gtk_application_get_active_window (GTK_APPLICATION (self));
  if (VD_IS_WINDOW (window))
    return VD_WINDOW (window);

  return vd_window_new (GTK_APPLICATION (self), self->session);
}

/* Where the store is: --db, else VERDICT_DB, else the team server of the
 * preferences, else the `database-path` setting or the default file.
 * @overridden: whether --db or VERDICT_DB named it. */
static char *
vd_application_dup_location (VdApplication *self,
                             gboolean      *overridden)
{
  VdTeamSettings *team = vd_session_get_team_settings (self->session);
  g_autofree char *conninfo = NULL;
  const char *env;

  *overridden = TRUE;

  if (self->db_path != NULL && self->db_path[0] != '\0')
    return g_strdup (self->db_path);

  env = g_getenv ("VERDICT_DB");
  if (env != NULL && env[0] != '\0')
    return g_strdup (env);

  *overridden = FALSE;

  conninfo = vd_team_settings_dup_conninfo (team);
  if (conninfo != NULL)
    return g_steal_pointer (&conninfo);

  if (self->settings != NULL)
    {
      g_autofree char *path = g_settings_get_string (self->settings, "database-path");

      if (path[0] != '\0')
        return g_steal_pointer (&path);
    }

  return vd_sqlite_store_default_path ();
}

static void
store_opened_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(VdApplication) self = user_data;
  g_autoptr(GError) error = NULL;

  /* The session has the store, or says why not. */
  vd_session_open_location_finish (VD_SESSION (object), result, &error);
  vd_timing_mark ("store-opened");

  g_application_release (G_APPLICATION (self));
}

typedef struct
{
  VdApplication *self;
  char          *location;
} OpenJob;

static void
open_job_free (OpenJob *job)
{
  g_clear_object (&job->self);
  g_free (job->location);
  g_free (job);
}

static void
password_found_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  OpenJob *job = user_data;
  VdApplication *self = job->self;
  g_autofree char *password = NULL;

  password = vd_team_settings_lookup_password_finish (VD_TEAM_SETTINGS (object), result, NULL);

  if (!g_cancellable_is_cancelled (self->cancellable))
    vd_session_open_location_async (self->session, job->location, password,
                                    self->cancellable, store_opened_cb, g_object_ref (self));
  else
    g_application_release (G_APPLICATION (self));

  if (password != NULL)
    memset (password, 0, strlen (password));
  open_job_free (job);
}

/* Opens the store on a worker thread; a team server's password comes from
 * the keyring first (or libpq's own sources when none is kept). */
static void
vd_application_open_store (VdApplication *self)
{
  VdTeamSettings *team = vd_session_get_team_settings (self->session);
  gboolean overridden;
  g_autofree char *location = vd_application_dup_location (self, &overridden);
  OpenJob *job;

  g_debug ("Opening the review database %s",
           vd_store_location_is_postgresql (location) ? "on the team server" : location);

  g_application_hold (G_APPLICATION (self));

  if (overridden || !vd_store_location_is_postgresql (location))
    {
      vd_session_open_location_async (self->session, location, NULL, self->cancellable,
                                      store_opened_cb, g_object_ref (self));
      return;
    }

  job = g_new0 (OpenJob, 1);
  job->self = g_object_ref (self);
  job->location = g_steal_pointer (&location);
  vd_team_settings_lookup_password_async (team, vd_team_settings_get_uri (team),
                                          self->cancellable, password_found_cb, job);
}

/* The team server chosen in the preferences (or the local file again):
 * the windows follow the session to the new store. */
static gboolean
reopen_idle_cb (gpointer user_data)
{
  VdApplication *self = user_data;
  gboolean overridden;
  g_autofree char *location = vd_application_dup_location (self, &overridden);

  self->reopen_idle = 0;
  if (!overridden)
    vd_application_open_store (self);

  return G_SOURCE_REMOVE;
}

/* Once for a server and its TLS mode set together. */
static void
team_settings_changed_cb (VdApplication *self)
{
  if (self->reopen_idle == 0)
    self->reopen_idle = g_idle_add (reopen_idle_cb, self);
}

/* The configured policy file could not be read: the active window says
 * so, now or once there is one. */
static void
policy_error_cb (VdApplication *self)
{
  const char *message = vd_session_get_policy_error (self->session);

  if (message == NULL)
    return;

  g_free (self->policy_message);
  self->policy_message = g_strdup (message);
  vd_application_flush_policy_message (self);
}

/* Deadlines about to pass are notified while the reviewer is away: no
 * window of the application is active. */
static void
vd_application_update_watching (VdApplication *self)
{
  VdDeadlineMonitor *monitor = vd_session_get_deadline_monitor (self->session);
  gboolean active = FALSE;

  if (monitor == NULL)
    return;

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    if (gtk_window_is_active (l->data))
      active = TRUE;

  vd_deadline_monitor_set_watching (monitor, !active);
}

static void
window_added_cb (VdApplication *self,
                 GtkWindow     *window)
{
  g_signal_connect_object (window, "notify::is-active",
                           G_CALLBACK (vd_application_update_watching), self,
                           G_CONNECT_SWAPPED);
}

static void
notification_cb (VdApplication     *self,
                 const char        *title,
                 const char        *body,
                 gint64             item_id,
                 VdDeadlineMonitor *monitor)
{
  g_autoptr(GNotification) notification = g_notification_new (title);

  g_notification_set_body (notification, body);
  g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_HIGH);
  g_notification_set_default_action_and_target_value (notification, "app.show-item",
                                                      g_variant_new_int64 (item_id));
  g_application_send_notification (G_APPLICATION (self), NOTIFICATION_ID, notification);
}

/* The reviewer is back: the list shows it all. */
static void
notification_shown_cb (VdApplication     *self,
                       GParamSpec        *pspec,
                       VdDeadlineMonitor *monitor)
{
  if (!vd_deadline_monitor_get_notification_shown (monitor))
    g_application_withdraw_notification (G_APPLICATION (self), NOTIFICATION_ID);
}

/* The longest the deadline fallbacks and checks wait for the first window
 * to draw its first item (no window: the application runs as a service). */
#define BACKGROUND_HOLD_SECONDS 10

static int
vd_application_handle_local_options (GApplication *app,
                                     GVariantDict *options)
{
  VdApplication *self = VD_APPLICATION (app);
  g_autofree char *db_path = NULL;

  if (g_variant_dict_lookup (options, "db", "^ay", &db_path))
    {
      g_free (self->db_path);
      self->db_path = g_steal_pointer (&db_path);
    }

  return G_APPLICATION_CLASS (vd_application_parent_class)->handle_local_options (app, options);
}

static void
vd_application_startup (GApplication *app)
{
  VdApplication *self = VD_APPLICATION (app);

  G_APPLICATION_CLASS (vd_application_parent_class)->startup (app);

  gtk_window_set_default_icon_name (APP_ID);

  self->settings = vd_application_new_settings ();
  self->session = vd_session_new (self->settings);
  g_signal_connect_object (self->session, "notify::policy-error",
                           G_CALLBACK (policy_error_cb), self, G_CONNECT_SWAPPED);

  self->monitor_signals = g_signal_group_new (VD_TYPE_DEADLINE_MONITOR);
  g_signal_group_connect_object (self->monitor_signals, "notification",
                                 G_CALLBACK (notification_cb), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->monitor_signals, "notify::notification-shown",
                                 G_CALLBACK (notification_shown_cb), self, G_CONNECT_SWAPPED);
  g_object_bind_property (self->session, "deadline-monitor",
                          self->monitor_signals, "target",
                          G_BINDING_SYNC_CREATE);
  g_signal_connect (self, "window-added", G_CALLBACK (window_added_cb), NULL);

  _vd_application_init_actions (self);
  g_signal_connect_object (vd_session_get_team_settings (self->session), "changed",
                           G_CALLBACK (team_settings_changed_cb), self, G_CONNECT_SWAPPED);

  /* The policy file, then the deadline fallbacks with it, once the first
   * window has drawn its first item. */
  vd_session_hold_background (self->session, BACKGROUND_HOLD_SECONDS);
  vd_session_startup (self->session);
  vd_application_open_store (self);
}

static void
vd_application_shutdown (GApplication *app)
{
  VdApplication *self = VD_APPLICATION (app);
  VdDeadlineMonitor *monitor = vd_session_get_deadline_monitor (self->session);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->reopen_idle, g_source_remove);

  if (monitor != NULL && vd_deadline_monitor_get_notification_shown (monitor))
    g_application_withdraw_notification (app, NOTIFICATION_ID);
  g_signal_group_set_target (self->monitor_signals, NULL);
  g_signal_handlers_disconnect_by_func (self, window_added_cb, NULL);
  vd_session_shutdown (self->session);

  G_APPLICATION_CLASS (vd_application_parent_class)->shutdown (app);
}

static void
vd_application_activate (GApplication *app)
{
  VdApplication *self = VD_APPLICATION (app);
  VdWindow *window;

  window = _vd_application_ensure_window (self);
  gtk_window_present (GTK_WINDOW (window));
  vd_application_flush_policy_message (self);
}

static void
vd_application_open (GApplication  *app,
                     GFile        **files,
                     int            n_files,
                     const char    *hint)
{
  VdApplication *self = VD_APPLICATION (app);
  g_autofree char *dir = vd_application_dup_samples_dir (self);
  g_autofree char *sample_path = g_build_filename (dir, "review-queue.jsonl", NULL);
  g_autoptr(GFile) sample = g_file_new_for_path (sample_path);
  VdWindow *window;

  /* The bundled sample, alone: with its own policy, as "Open Sample" does. */
  if (n_files == 1 && g_file_equal (files[0], sample))
    {
      g_action_group_activate_action (G_ACTION_GROUP (self), "open-sample", NULL);
      return;
    }

  window = _vd_application_ensure_window (self);
  gtk_window_present (GTK_WINDOW (window));
  vd_application_flush_policy_message (self);

  vd_window_ask_import (window, files, n_files, FALSE);
}

static void
vd_application_dispose (GObject *object)
{
  VdApplication *self = (VdApplication *)object;

  g_clear_object (&self->monitor_signals);
  g_clear_object (&self->session);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (vd_application_parent_class)->dispose (object);
}

static void
vd_application_finalize (GObject *object)
{
  VdApplication *self = (VdApplication *)object;

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->db_path, g_free);
  g_clear_pointer (&self->policy_message, g_free);

  G_OBJECT_CLASS (vd_application_parent_class)->finalize (object);
}

static void
vd_application_class_init (VdApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = vd_application_dispose;
  object_class->finalize = vd_application_finalize;

  app_class->handle_local_options = vd_application_handle_local_options;
  app_class->startup = vd_application_startup;
  app_class->shutdown = vd_application_shutdown;
  app_class->activate = vd_application_activate;
  app_class->open = vd_application_open;
}

static void
vd_application_init (VdApplication *self)
{
  self->cancellable = g_cancellable_new ();

  g_application_add_main_option (G_APPLICATION (self), "db", 0,
                                 G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME,
                                 _("Open the review database at PATH"), _("PATH"));
  g_application_set_option_context_parameter_string (G_APPLICATION (self), _("[FILE…]"));
  g_application_set_option_context_summary (
    G_APPLICATION (self), _("Review the decisions AI agents escalate to a human."));
}

/**
 * vd_application_new:
 * @application_id: the application id
 * @flags: flags; %G_APPLICATION_HANDLES_OPEN is always added
 *
 * Returns: (transfer full): a new #VdApplication
 */
VdApplication *
vd_application_new (const char        *application_id,
                    GApplicationFlags  flags)
{
  g_return_val_if_fail (application_id != NULL, NULL);

  return g_object_new (VD_TYPE_APPLICATION,
                       "application-id", application_id,
                       "flags", flags | G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", RESOURCE_PATH,
                       NULL);
}

/**
 * vd_application_get_session:
 * @self: a #VdApplication
 *
 * Returns: (transfer none) (nullable): what the windows share: the store,
 *   the policy, the agent, the deadlines; %NULL before startup
 */
VdSession *
vd_application_get_session (VdApplication *self)
{
  g_return_val_if_fail (VD_IS_APPLICATION (self), NULL);

  return self->session;
}

/**
 * vd_application_dup_samples_dir:
 * @self: a #VdApplication
 *
 * The folder of the bundled sample queue: `VERDICT_SAMPLES_DIR` when set
 * (to run from the build tree), else the installed one.
 *
 * Returns: (transfer full): a path
 */
char *
vd_application_dup_samples_dir (VdApplication *self)
{
  const char *env;

  g_return_val_if_fail (VD_IS_APPLICATION (self), NULL);

  env = g_getenv ("VERDICT_SAMPLES_DIR");
  if (env != NULL && env[0] != '\0')
    return g_strdup (env);

  return g_build_filename (PKGDATADIR, "samples", NULL);
}
