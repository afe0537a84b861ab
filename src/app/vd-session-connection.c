/* vd-session-connection.c: the session's store on a team server
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

/*
 * Opening the store a location names (a SQLite file or a PostgreSQL
 * server) on a worker thread, and the state of a server's connection:
 * any store call that fails with VD_STORE_ERROR_CONNECTION and is
 * reported here makes the session "disconnected"; it then tries the
 * server again off the UI thread after 1, 2, 5, 10, then every 30
 * seconds (or at once on vd_session_reconnect()), and is connected again
 * once a call goes through. On a team server the reviewer is the
 * database role the connection logged in as.
 */

#define G_LOG_DOMAIN "vd-session"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "vd-pg-store.h"
#include "vd-session-private.h"
#include "vd-store-location.h"
#include "vd-team-settings.h"

static const guint retry_delays[] = { 1, 2, 5, 10, 30 };

static void
vd_session_set_connection_error (VdSession  *self,
                                 const char *message)
{
  if (g_strcmp0 (self->connection_error, message) == 0)
    return;

  g_free (self->connection_error);
  self->connection_error = g_strdup (message);
  _vd_session_notify (self, PROP_CONNECTION_ERROR);
}

static void
vd_session_set_team_server (VdSession  *self,
                            const char *team_server)
{
  if (g_strcmp0 (self->team_server, team_server) == 0)
    return;

  g_free (self->team_server);
  self->team_server = g_strdup (team_server);
  _vd_session_notify (self, PROP_TEAM_SERVER);
}

static void
vd_session_set_reconnecting (VdSession *self,
                             gboolean   reconnecting)
{
  if (self->reconnecting == reconnecting)
    return;

  self->reconnecting = reconnecting;
  _vd_session_notify (self, PROP_RECONNECTING);
}

static void
vd_session_set_disconnected (VdSession *self,
                             gboolean   disconnected)
{
  if (self->disconnected == disconnected)
    return;

  self->disconnected = disconnected;
  _vd_session_notify (self, PROP_DISCONNECTED);
}

/* Retrying */

static void vd_session_try_server (VdSession *self);

static gboolean
retry_cb (gpointer user_data)
{
  VdSession *self = user_data;

  self->retry_source = 0;
  vd_session_try_server (self);

  return G_SOURCE_REMOVE;
}

static void
vd_session_schedule_retry (VdSession *self)
{
  guint delay = retry_delays[MIN (self->retry_step, G_N_ELEMENTS (retry_delays) - 1)];

  g_clear_handle_id (&self->retry_source, g_source_remove);
  self->retry_step++;
  g_debug ("Trying the team server again in %u s", delay);
  self->retry_source = g_timeout_add_seconds (delay, retry_cb, self);
}

static void
try_server_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  VdStore *store = task_data;
  g_autofree char *hash = NULL;
  GError *error = NULL;
  gint64 seq;

  /* Any call reconnects a store whose connection was lost. */
  if (vd_store_get_audit_head (store, &seq, &hash, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
try_server_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  VdSession *self = VD_SESSION (object);
  VdStore *store = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  g_task_propagate_boolean (G_TASK (result), &error);

  if (g_cancellable_is_cancelled (self->connection_cancellable))
    return;

  vd_session_set_reconnecting (self, FALSE);

  /* Another store meanwhile, or connected again by another call. */
  if (store != self->store || !self->disconnected)
    return;

  if (g_error_matches (error, VD_STORE_ERROR, VD_STORE_ERROR_CONNECTION))
    {
      vd_session_set_connection_error (self, error->message);
      vd_session_schedule_retry (self);
      return;
    }

  /* The server answers (perhaps with an error of its own): connected. */
  g_debug ("The team server answers again");
  self->retry_step = 0;
  g_object_freeze_notify (G_OBJECT (self));
  vd_session_set_connection_error (self, NULL);
  vd_session_set_disconnected (self, FALSE);
  g_object_thaw_notify (G_OBJECT (self));
}

static void
vd_session_try_server (VdSession *self)
{
  g_autoptr(GTask) task = NULL;

  g_clear_handle_id (&self->retry_source, g_source_remove);
  if (self->store == NULL || !self->disconnected || self->reconnecting)
    return;

  vd_session_set_reconnecting (self, TRUE);

  task = g_task_new (self, self->connection_cancellable, try_server_cb, NULL);
  g_task_set_source_tag (task, vd_session_try_server);
  g_task_set_task_data (task, g_object_ref (self->store), g_object_unref);
  g_task_run_in_thread (task, try_server_thread);
}

/* Opening */

typedef struct
{
  char *location;
  char *password;
} OpenJob;

static void
open_job_free (OpenJob *job)
{
  g_free (job->location);
  if (job->password != NULL)
    memset (job->password, 0, strlen (job->password));
  g_free (job->password);
  g_free (job);
}

static void
open_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  OpenJob *job = task_data;
  g_autoptr(GError) error = NULL;
  VdStore *store;

  if (vd_store_location_is_postgresql (job->location))
    {
      store = VD_STORE (vd_pg_store_new_full (job->location, job->password, &error));
      if (store == NULL)
        {
          g_autofree char *server = vd_team_settings_describe (job->location);

          /* Translators: %s is the database and server, e.g. "verdict on db.example.com:5432" */
          g_prefix_error (&error, _("Cannot open the team database %s: "), server);
        }
    }
  else
    {
      store = vd_store_open_location (job->location, &error);
    }

  if (store == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, store, g_object_unref);
}

static void
open_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  VdSession *self = VD_SESSION (object);
  g_autoptr(GTask) outer = user_data;
  g_autoptr(VdStore) store = NULL;
  g_autoptr(GError) error = NULL;

  store = g_task_propagate_pointer (G_TASK (result), &error);

  if (g_task_return_error_if_cancelled (outer))
    return;

  if (store == NULL)
    {
      g_debug ("Cannot open the review database: %s", error->message);
      vd_session_set_store_error (self, error);
      g_task_return_error (outer, g_steal_pointer (&error));
      return;
    }

  vd_session_set_store (self, store);
  g_task_return_boolean (outer, TRUE);
}

/**
 * vd_session_open_location_async:
 * @self: a #VdSession
 * @location: a SQLite file's path or a PostgreSQL connection string (see
 *   vd_store_location_is_postgresql())
 * @password: (nullable): the password of a PostgreSQL role, %NULL for
 *   libpq's own sources (PGPASSWORD, ~/.pgpass)
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the store is open or could not be
 * @user_data: data for @callback
 *
 * Opens the store at @location on a worker thread and makes it the
 * session's (vd_session_set_store()), or says why it could not
 * (vd_session_set_store_error()). A PostgreSQL location shows as the
 * session's team server at once, so that nobody is asked for a reviewer
 * id the database will give.
 */
void
vd_session_open_location_async (VdSession           *self,
                                const char          *location,
                                const char          *password,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GTask *outer;
  OpenJob *job;

  g_return_if_fail (VD_IS_SESSION (self));
  g_return_if_fail (location != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  outer = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (outer, vd_session_open_location_async);

  if (vd_store_location_is_postgresql (location))
    {
      g_autofree char *server = vd_team_settings_describe (location);

      vd_session_set_team_server (self, server);
    }
  else
    vd_session_set_team_server (self, NULL);

  job = g_new0 (OpenJob, 1);
  job->location = g_strdup (location);
  job->password = g_strdup (password);

  task = g_task_new (self, cancellable, open_cb, outer);
  g_task_set_source_tag (task, vd_session_open_location_async);
  g_task_set_task_data (task, job, (GDestroyNotify) open_job_free);
  g_task_run_in_thread (task, open_thread);
}

/**
 * vd_session_open_location_finish:
 * @self: a #VdSession
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Returns: whether the store is open
 */
gboolean
vd_session_open_location_finish (VdSession     *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (VD_IS_SESSION (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* The session's side */

void
_vd_session_init_connection (VdSession *self)
{
  self->connection_cancellable = g_cancellable_new ();
  self->team_settings = vd_team_settings_new (self->settings);
}

void
_vd_session_dispose_connection (VdSession *self)
{
  g_cancellable_cancel (self->connection_cancellable);
  g_clear_handle_id (&self->retry_source, g_source_remove);
  g_clear_object (&self->connection_cancellable);
  g_clear_object (&self->team_settings);
  g_clear_pointer (&self->team_server, g_free);
  g_clear_pointer (&self->team_reviewer, g_free);
  g_clear_pointer (&self->connection_error, g_free);
}

/* A new store (or none): connected, and on a team server the reviewer is
 * the database role. */
void
_vd_session_store_changed_connection (VdSession *self)
{
  gboolean was_team;

  g_clear_handle_id (&self->retry_source, g_source_remove);
  self->retry_step = 0;

  g_object_freeze_notify (G_OBJECT (self));
  vd_session_set_disconnected (self, FALSE);
  vd_session_set_connection_error (self, NULL);

  was_team = self->team_reviewer != NULL;
  g_clear_pointer (&self->team_reviewer, g_free);
  if (VD_IS_PG_STORE (self->store))
    {
      VdPgStore *store = VD_PG_STORE (self->store);
      g_autofree char *server = vd_team_settings_describe (vd_pg_store_get_conninfo (store));

      vd_session_set_team_server (self, server);
      self->team_reviewer = g_strdup (vd_pg_store_get_session_user (store));
      _vd_session_take_reviewer_id (self, g_strdup (self->team_reviewer));
    }
  else if (self->store != NULL)
    {
      vd_session_set_team_server (self, NULL);
      /* Back on a local file: the reviewer set on this computer. */
      if (was_team && self->reviewer_from_env)
        _vd_session_take_reviewer_id (self, g_strdup (g_getenv ("VERDICT_REVIEWER")));
      else if (was_team && self->settings != NULL)
        _vd_session_take_reviewer_id (self, g_settings_get_string (self->settings,
                                                                   "reviewer-id"));
    }
  g_object_thaw_notify (G_OBJECT (self));
}

gboolean
_vd_session_get_connection_property (VdSession *self,
                                     guint      prop_id,
                                     GValue    *value)
{
  switch (prop_id)
    {
    case PROP_TEAM_SERVER:
      g_value_set_string (value, self->team_server);
      return TRUE;

    case PROP_DISCONNECTED:
      g_value_set_boolean (value, self->disconnected);
      return TRUE;

    case PROP_RECONNECTING:
      g_value_set_boolean (value, self->reconnecting);
      return TRUE;

    case PROP_CONNECTION_ERROR:
      g_value_set_string (value, self->connection_error);
      return TRUE;

    default:
      return FALSE;
    }
}

void
_vd_session_class_init_connection (GObjectClass  *object_class,
                                   GParamSpec   **properties)
{
  /**
   * VdSession:team-server: (nullable)
   *
   * The database and server of a store on a team server, for people
   * (e.g. "verdict on db.example.com:5432"); %NULL for a local file.
   */
  properties[PROP_TEAM_SERVER] =
    g_param_spec_string ("team-server", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * VdSession:disconnected:
   *
   * Whether the connection to the team server was lost: the session
   * tries it again until it answers; decisions wait.
   */
  properties[PROP_DISCONNECTED] =
    g_param_spec_boolean ("disconnected", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * VdSession:reconnecting:
   *
   * Whether a try to reach the team server again is on its way.
   */
  properties[PROP_RECONNECTING] =
    g_param_spec_boolean ("reconnecting", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * VdSession:connection-error: (nullable)
   *
   * What the server or libpq said when the connection was lost, or at the
   * last try since.
   */
  properties[PROP_CONNECTION_ERROR] =
    g_param_spec_string ("connection-error", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
}

/**
 * vd_session_get_team_server:
 * @self: a #VdSession
 *
 * Returns: (nullable): the team server the store is on, for people; %NULL
 *   for a local file
 */
const char *
vd_session_get_team_server (VdSession *self)
{
  g_return_val_if_fail (VD_IS_SESSION (self), NULL);

  return self->team_server;
}

/**
 * vd_session_get_team_settings:
 * @self: a #VdSession
 *
 * Returns: (transfer none): the team server's settings and password
 */
VdTeamSettings *
vd_session_get_team_settings (VdSession *self)
{
  g_return_val_if_fail (VD_IS_SESSION (self), NULL);

  return self->team_settings;
}

/**
 * vd_session_get_disconnected:
 * @self: a #VdSession
 *
 * Returns: whether the connection to the team server is lost
 */
gboolean
vd_session_get_disconnected (VdSession *self)
{
  g_return_val_if_fail (VD_IS_SESSION (self), FALSE);

  return self->disconnected;
}

gboolean
vd_session_get_reconnecting (VdSession *self)
{
  g_return_val_if_fail (VD_IS_SESSION (self), FALSE);

  return self->reconnecting;
}

const char *
vd_session_get_connection_error (VdSession *self)
{
  g_return_val_if_fail (VD_IS_SESSION (self), NULL);

  return self->connection_error;
}

/**
 * vd_session_get_reviewer_locked:
 * @self: a #VdSession
 *
 * Returns: whether the reviewer id is the team server's database role,
 *   which nobody can change while connected
 */
gboolean
vd_session_get_reviewer_locked (VdSession *self)
{
  g_return_val_if_fail (VD_IS_SESSION (self), FALSE);

  return self->team_server != NULL;
}

/**
 * vd_session_report_error:
 * @self: a #VdSession
 * @error: (nullable): how a call to the session's store failed
 *
 * Tells the session how a store call failed: a lost connection makes it
 * disconnected (and it tries the server again by itself).
 *
 * Returns: whether @error is a lost connection
 */
gboolean
vd_session_report_error (VdSession    *self,
                         const GError *error)
{
  g_return_val_if_fail (VD_IS_SESSION (self), FALSE);

  if (!g_error_matches (error, VD_STORE_ERROR, VD_STORE_ERROR_CONNECTION) ||
      self->store == NULL)
    return FALSE;

  vd_session_set_connection_error (self, error->message);
  if (self->disconnected)
    return TRUE;

  g_debug ("Lost the team server: %s", error->message);
  self->retry_step = 0;
  vd_session_set_disconnected (self, TRUE);
  vd_session_schedule_retry (self);

  return TRUE;
}

/**
 * vd_session_reconnect:
 * @self: a #VdSession
 *
 * Tries the team server at once, when the connection is lost.
 */
void
vd_session_reconnect (VdSession *self)
{
  g_return_if_fail (VD_IS_SESSION (self));

  vd_session_try_server (self);
}
