/* vd-team-settings.c: the team server the window connects to
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

#define G_LOG_DOMAIN "vd-team-settings"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <libpq-fe.h>

#include "vd-pg-schema.h"
#include "vd-team-settings-private.h"

G_DEFINE_FINAL_TYPE (VdTeamSettings, vd_team_settings, G_TYPE_OBJECT)

enum {
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static const char * const sslmodes[] = {
  "disable", "allow", "prefer", "require", "verify-ca", "verify-full", NULL,
};

void
_vd_team_settings_notify (VdTeamSettings *self,
                          guint           prop_id)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

void
_vd_team_settings_wipe (char **password)
{
  if (*password != NULL)
    memset (*password, 0, strlen (*password));
  g_clear_pointer (password, g_free);
}

static void
wipe_free (gpointer password)
{
  char *text = password;

  _vd_team_settings_wipe (&text);
}

static void
vd_team_settings_take (VdTeamSettings *self,
                       char          **field,
                       char           *value,
                       guint           prop_id)
{
  if (g_strcmp0 (*field, value) == 0)
    {
      g_free (value);
      return;
    }

  g_free (*field);
  *field = value;
  _vd_team_settings_notify (self, prop_id);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
setting_changed_cb (VdTeamSettings *self,
                    const char     *key,
                    GSettings      *settings)
{
  if (g_str_equal (key, "team-server-uri"))
    vd_team_settings_take (self, &self->uri, g_settings_get_string (settings, key), PROP_URI);
  else if (g_str_equal (key, "team-server-sslmode"))
    vd_team_settings_take (self, &self->sslmode, g_settings_get_string (settings, key),
                           PROP_SSLMODE);
}

static void
vd_team_settings_dispose (GObject *object)
{
  VdTeamSettings *self = (VdTeamSettings *)object;

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (vd_team_settings_parent_class)->dispose (object);
}

static void
vd_team_settings_finalize (GObject *object)
{
  VdTeamSettings *self = (VdTeamSettings *)object;

  g_clear_pointer (&self->uri, g_free);
  g_clear_pointer (&self->sslmode, g_free);
  g_clear_pointer (&self->password_message, g_free);
  g_clear_pointer (&self->memory_passwords, g_hash_table_unref);

  G_OBJECT_CLASS (vd_team_settings_parent_class)->finalize (object);
}

static void
vd_team_settings_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  VdTeamSettings *self = VD_TEAM_SETTINGS (object);

  switch (prop_id)
    {
    case PROP_URI:
      g_value_set_string (value, self->uri);
      break;

    case PROP_SSLMODE:
      g_value_set_string (value, self->sslmode);
      break;

    case PROP_PASSWORD_STORED:
      g_value_set_boolean (value, self->password_stored);
      break;

    case PROP_PASSWORD_MESSAGE:
      g_value_set_string (value, self->password_message);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vd_team_settings_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  VdTeamSettings *self = VD_TEAM_SETTINGS (object);

  switch (prop_id)
    {
    case PROP_URI:
      vd_team_settings_set_uri (self, g_value_get_string (value));
      break;

    case PROP_SSLMODE:
      vd_team_settings_set_sslmode (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vd_team_settings_class_init (VdTeamSettingsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = vd_team_settings_dispose;
  object_class->finalize = vd_team_settings_finalize;
  object_class->get_property = vd_team_settings_get_property;
  object_class->set_property = vd_team_settings_set_property;

  /**
   * VdTeamSettings:uri:
   *
   * The team server's database as a postgresql:// URI without its
   * password; "" for the local database file.
   */
  properties[PROP_URI] =
    g_param_spec_string ("uri", NULL, NULL,
                         "",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * VdTeamSettings:sslmode:
   *
   * libpq's sslmode for the connection.
   */
  properties[PROP_SSLMODE] =
    g_param_spec_string ("sslmode", NULL, NULL,
                         "prefer",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * VdTeamSettings:password-stored:
   *
   * Whether the last password given is saved in the keyring.
   */
  properties[PROP_PASSWORD_STORED] =
    g_param_spec_boolean ("password-stored", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * VdTeamSettings:password-message: (nullable)
   *
   * Why the password is not saved in the keyring, or %NULL.
   */
  properties[PROP_PASSWORD_MESSAGE] =
    g_param_spec_string ("password-message", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * VdTeamSettings::changed:
   *
   * The URI or the TLS mode changed.
   */
  signals[CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
vd_team_settings_init (VdTeamSettings *self)
{
  self->uri = g_strdup ("");
  self->sslmode = g_strdup ("prefer");
  self->memory_passwords = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                  wipe_free);
}

/**
 * vd_team_settings_new:
 * @settings: (nullable): the application's settings, %NULL to keep
 *   everything in memory
 *
 * Returns: (transfer full): a new #VdTeamSettings
 */
VdTeamSettings *
vd_team_settings_new (GSettings *settings)
{
  VdTeamSettings *self;

  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  self = g_object_new (VD_TYPE_TEAM_SETTINGS, NULL);
  if (settings != NULL)
    {
      self->settings = g_object_ref (settings);
      g_clear_pointer (&self->uri, g_free);
      g_clear_pointer (&self->sslmode, g_free);
      self->uri = g_settings_get_string (settings, "team-server-uri");
      self->sslmode = g_settings_get_string (settings, "team-server-sslmode");
      g_signal_connect_object (settings, "changed",
                               G_CALLBACK (setting_changed_cb), self, G_CONNECT_SWAPPED);
    }

  return self;
}

const char *
vd_team_settings_get_uri (VdTeamSettings *self)
{
  g_return_val_if_fail (VD_IS_TEAM_SETTINGS (self), NULL);

  return self->uri;
}

/**
 * vd_team_settings_set_uri:
 * @self: a #VdTeamSettings
 * @uri: (nullable): a postgresql:// URI without a password, or %NULL or ""
 *   for the local database file
 */
void
vd_team_settings_set_uri (VdTeamSettings *self,
                          const char     *uri)
{
  g_return_if_fail (VD_IS_TEAM_SETTINGS (self));

  if (uri == NULL)
    uri = "";

  if (self->settings != NULL)
    g_settings_set_string (self->settings, "team-server-uri", uri);
  vd_team_settings_take (self, &self->uri, g_strdup (uri), PROP_URI);
}

const char *
vd_team_settings_get_sslmode (VdTeamSettings *self)
{
  g_return_val_if_fail (VD_IS_TEAM_SETTINGS (self), NULL);

  return self->sslmode;
}

/**
 * vd_team_settings_set_sslmode:
 * @self: a #VdTeamSettings
 * @sslmode: one of libpq's sslmode values (disable, allow, prefer,
 *   require, verify-ca, verify-full)
 */
void
vd_team_settings_set_sslmode (VdTeamSettings *self,
                              const char     *sslmode)
{
  g_return_if_fail (VD_IS_TEAM_SETTINGS (self));
  g_return_if_fail (sslmode != NULL && g_strv_contains (sslmodes, sslmode));

  if (self->settings != NULL)
    g_settings_set_string (self->settings, "team-server-sslmode", sslmode);
  vd_team_settings_take (self, &self->sslmode, g_strdup (sslmode), PROP_SSLMODE);
}

/**
 * vd_team_settings_dup_conninfo:
 * @self: a #VdTeamSettings
 *
 * Returns: (transfer full) (nullable): the URI with its TLS mode, to
 *   connect with; %NULL for the local database file
 */
char *
vd_team_settings_dup_conninfo (VdTeamSettings *self)
{
  g_return_val_if_fail (VD_IS_TEAM_SETTINGS (self), NULL);

  if (self->uri[0] == '\0')
    return NULL;

  return vd_team_settings_with_sslmode (self->uri, self->sslmode);
}

/**
 * vd_team_settings_build_uri:
 * @host: the server's host name or address
 * @port: its port, 0 for libpq's default
 * @dbname: the database
 * @user: the reviewer's role
 *
 * Returns: (transfer full): postgresql://USER@HOST:PORT/DBNAME, each part
 *   escaped
 */
char *
vd_team_settings_build_uri (const char *host,
                            guint       port,
                            const char *dbname,
                            const char *user)
{
  GString *uri = g_string_new ("postgresql://");

  g_return_val_if_fail (host != NULL, NULL);
  g_return_val_if_fail (dbname != NULL, NULL);
  g_return_val_if_fail (user != NULL, NULL);

  if (user[0] != '\0')
    {
      g_string_append_uri_escaped (uri, user, NULL, FALSE);
      g_string_append_c (uri, '@');
    }
  if (strchr (host, ':') != NULL)
    g_string_append_printf (uri, "[%s]", host);
  else
    g_string_append_uri_escaped (uri, host, NULL, FALSE);
  if (port != 0)
    g_string_append_printf (uri, ":%u", port);
  g_string_append_c (uri, '/');
  g_string_append_uri_escaped (uri, dbname, NULL, FALSE);

  return g_string_free (uri, FALSE);
}

static void
replace_string (char       **field,
                const char  *value)
{
  g_free (*field);
  *field = g_strdup (value);
}

/**
 * vd_team_settings_parse_uri:
 * @uri: a libpq connection string (URI or key=value)
 * @host: (out) (optional): the host, "" when none
 * @port: (out) (optional): the port, 0 when none
 * @dbname: (out) (optional): the database, "" when none
 * @user: (out) (optional): the role, "" when none
 * @error: return location for an error naming what libpq did not accept
 *
 * Returns: whether @uri could be read
 */
gboolean
vd_team_settings_parse_uri (const char  *uri,
                            char       **host,
                            guint       *port,
                            char       **dbname,
                            char       **user,
                            GError     **error)
{
  PQconninfoOption *options;
  char *message = NULL;

  g_return_val_if_fail (uri != NULL, FALSE);

  options = PQconninfoParse (uri, &message);
  if (options == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   /* Translators: %s is libpq's message */
                   _("Not a PostgreSQL connection string: %s"),
                   message != NULL ? g_strstrip (message) : _("out of memory"));
      PQfreemem (message);
      return FALSE;
    }

  if (host != NULL)
    *host = g_strdup ("");
  if (port != NULL)
    *port = 0;
  if (dbname != NULL)
    *dbname = g_strdup ("");
  if (user != NULL)
    *user = g_strdup ("");

  for (PQconninfoOption *o = options; o->keyword != NULL; o++)
    {
      if (o->val == NULL)
        continue;
      if (host != NULL && g_str_equal (o->keyword, "host"))
        replace_string (host, o->val);
      else if (port != NULL && g_str_equal (o->keyword, "port"))
        *port = (guint) g_ascii_strtoull (o->val, NULL, 10);
      else if (dbname != NULL && g_str_equal (o->keyword, "dbname"))
        replace_string (dbname, o->val);
      else if (user != NULL && g_str_equal (o->keyword, "user"))
        replace_string (user, o->val);
    }

  PQconninfoFree (options);
  return TRUE;
}

/**
 * vd_team_settings_with_sslmode:
 * @conninfo: a libpq connection string (URI or key=value)
 * @sslmode: (nullable): libpq's sslmode
 *
 * Returns: (transfer full): @conninfo with @sslmode, unless it names one
 *   itself
 */
char *
vd_team_settings_with_sslmode (const char *conninfo,
                               const char *sslmode)
{
  g_return_val_if_fail (conninfo != NULL, NULL);

  if (sslmode == NULL || sslmode[0] == '\0' || strstr (conninfo, "sslmode=") != NULL)
    return g_strdup (conninfo);

  if (g_str_has_prefix (conninfo, "postgresql://") || g_str_has_prefix (conninfo, "postgres://"))
    return g_strdup_printf ("%s%csslmode=%s", conninfo,
                            strchr (conninfo, '?') != NULL ? '&' : '?', sslmode);

  return g_strdup_printf ("%s sslmode=%s", conninfo, sslmode);
}

/**
 * vd_team_settings_describe:
 * @conninfo: a libpq connection string
 *
 * Returns: (transfer full): the database and its server for people,
 *   e.g. "verdict on db.example.com:5432"
 */
char *
vd_team_settings_describe (const char *conninfo)
{
  g_autofree char *host = NULL;
  g_autofree char *dbname = NULL;
  g_autofree char *user = NULL;
  g_autofree char *where = NULL;
  guint port = 0;

  g_return_val_if_fail (conninfo != NULL, NULL);

  if (!vd_team_settings_parse_uri (conninfo, &host, &port, &dbname, &user, NULL))
    return g_strdup (_("the team server"));

  /* libpq's defaults: the database named as the user, a local server. */
  if (dbname[0] == '\0')
    replace_string (&dbname, user[0] != '\0' ? user : "postgres");
  if (host[0] == '\0')
    replace_string (&host, "localhost");

  where = port != 0 ? g_strdup_printf ("%s:%u", host, port) : g_strdup (host);
  /* Translators: a database on a server, e.g. "verdict on db.example.com:5432" */
  return g_strdup_printf (_("%s on %s"), dbname, where);
}

/* Trying a connection */

typedef struct
{
  char *conninfo;
  char *password;
} TestJob;

static void
test_job_free (TestJob *job)
{
  g_free (job->conninfo);
  _vd_team_settings_wipe (&job->password);
  g_free (job);
}

static void
test_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  TestJob *job = task_data;
  const char *keywords[] = { "dbname", "connect_timeout", "password", NULL };
  const char *values[] = { job->conninfo, "10", job->password, NULL };
  g_autoptr(GError) error = NULL;
  PGconn *conn;
  int version = 0;

  /* expand_dbname: the connection string's own keywords stay. Without a
   * password (the list ends before it), libpq's own sources apply. */
  conn = PQconnectdbParams (keywords, values, 1);

  if (conn == NULL || PQstatus (conn) != CONNECTION_OK)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED, "%s",
                               conn != NULL ? g_strstrip (PQerrorMessage (conn))
                                            : _("out of memory"));
    }
  else if (!vd_pg_schema_get_version (conn, &version, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
    }
  else if (version == 0)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                               _("The database %s has no Verdict schema: an administrator "
                                 "creates it with “verdict-cli team init”"), PQdb (conn));
    }
  else
    {
      g_task_return_pointer (task, g_strdup (PQuser (conn)), g_free);
    }

  if (conn != NULL)
    PQfinish (conn);
}

/**
 * vd_team_settings_test_async:
 * @conninfo: a libpq connection string
 * @password: (nullable): the role's password
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the server answered, or did not
 * @user_data: data for @callback
 *
 * Connects to @conninfo on a worker thread and checks that the database
 * holds Verdict's schema.
 */
void
vd_team_settings_test_async (const char          *conninfo,
                             const char          *password,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  TestJob *job;

  g_return_if_fail (conninfo != NULL);

  job = g_new0 (TestJob, 1);
  job->conninfo = g_strdup (conninfo);
  job->password = password != NULL && password[0] != '\0' ? g_strdup (password) : NULL;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, vd_team_settings_test_async);
  g_task_set_task_data (task, job, (GDestroyNotify) test_job_free);
  g_task_run_in_thread (task, test_thread);
}

/**
 * vd_team_settings_test_finish:
 * @result: the result given to the callback
 * @error: return location for what libpq or the server said
 *
 * Returns: (transfer full) (nullable): the role the connection logged in
 *   as, or %NULL with @error set
 */
char *
vd_team_settings_test_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
