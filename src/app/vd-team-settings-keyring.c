/* vd-team-settings-keyring.c: the team server password in the keyring
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
#include <libsecret/secret.h>

#include "vd-team-settings-private.h"

/* A keyring that does not answer in time counts as none. */
#define LOOKUP_TIMEOUT_SECONDS 15

#define NO_KEYRING_MESSAGE _("No keyring is available: the password is kept only until " \
                             "Verdict quits.")

static const SecretSchema *
get_secret_schema (void)
{
  static const SecretSchema schema = {
    VD_TEAM_SETTINGS_SECRET_SCHEMA, SECRET_SCHEMA_NONE,
    {
      { "uri", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };

  return &schema;
}

static void
vd_team_settings_set_password_state (VdTeamSettings *self,
                                     gboolean        stored,
                                     const char     *message)
{
  if (self->password_stored != stored)
    {
      self->password_stored = stored;
      _vd_team_settings_notify (self, PROP_PASSWORD_STORED);
    }

  if (g_strcmp0 (self->password_message, message) != 0)
    {
      g_free (self->password_message);
      self->password_message = g_strdup (message);
      _vd_team_settings_notify (self, PROP_PASSWORD_MESSAGE);
    }
}

/* Looking up */

typedef struct
{
  char  *uri;
  guint  timeout_id;
  gboolean done;
} Lookup;

static void
lookup_free (Lookup *lookup)
{
  g_clear_handle_id (&lookup->timeout_id, g_source_remove);
  g_free (lookup->uri);
  g_free (lookup);
}

/* libsecret's lookup is never cancelled (it may then leave the next one
 * waiting for ever): the task returns at the timeout, the lookup's answer
 * is dropped. */
static gboolean
lookup_timeout_cb (gpointer user_data)
{
  GTask *task = user_data;
  VdTeamSettings *self = g_task_get_source_object (task);
  Lookup *lookup = g_task_get_task_data (task);

  lookup->timeout_id = 0;
  lookup->done = TRUE;
  g_debug ("The Secret Service did not answer within %d s", LOOKUP_TIMEOUT_SECONDS);
  self->no_keyring = TRUE;
  g_task_return_pointer (task, NULL, NULL);

  return G_SOURCE_REMOVE;
}

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  VdTeamSettings *self = g_task_get_source_object (task);
  Lookup *lookup = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  char *password;

  password = secret_password_lookup_finish (result, &error);

  if (lookup->done)
    {
      if (password != NULL)
        secret_password_free (password);
      return;
    }
  lookup->done = TRUE;
  g_clear_handle_id (&lookup->timeout_id, g_source_remove);

  if (error != NULL)
    {
      g_debug ("No Secret Service: %s", error->message);
      self->no_keyring = TRUE;
      g_task_return_pointer (task, NULL, NULL);
      return;
    }

  self->no_keyring = FALSE;
  if (password == NULL)
    {
      g_task_return_pointer (task, NULL, NULL);
      return;
    }

  g_task_return_pointer (task, g_strdup (password), g_free);
  secret_password_free (password);
}

/**
 * vd_team_settings_lookup_password_async:
 * @self: a #VdTeamSettings
 * @uri: the team server's URI (vd_team_settings_get_uri())
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the password, or without one
 * @user_data: data for @callback
 *
 * Finds the password kept for @uri: in memory (given this run without a
 * keyring), else in the keyring.
 */
void
vd_team_settings_lookup_password_async (VdTeamSettings      *self,
                                        const char          *uri,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  const char *kept;
  Lookup *lookup;

  g_return_if_fail (VD_IS_TEAM_SETTINGS (self));
  g_return_if_fail (uri != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vd_team_settings_lookup_password_async);

  kept = g_hash_table_lookup (self->memory_passwords, uri);
  if (kept != NULL)
    {
      g_task_return_pointer (task, g_strdup (kept), g_free);
      return;
    }

  lookup = g_new0 (Lookup, 1);
  lookup->uri = g_strdup (uri);
  g_task_set_task_data (task, lookup, (GDestroyNotify) lookup_free);
  lookup->timeout_id = g_timeout_add_seconds (LOOKUP_TIMEOUT_SECONDS, lookup_timeout_cb, task);
  secret_password_lookup (get_secret_schema (), NULL, lookup_cb, g_steal_pointer (&task),
                          "uri", uri,
                          NULL);
}

/**
 * vd_team_settings_lookup_password_finish:
 * @self: a #VdTeamSettings
 * @result: the result given to the callback
 * @error: return location for an error (cancellation only)
 *
 * Returns: (transfer full) (nullable): the password, %NULL when none is
 *   kept (or there is no keyring)
 */
char *
vd_team_settings_lookup_password_finish (VdTeamSettings  *self,
                                         GAsyncResult    *result,
                                         GError         **error)
{
  g_return_val_if_fail (VD_IS_TEAM_SETTINGS (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Saving */

typedef struct
{
  char     *uri;
  char     *password;
  gboolean  clear;
} Change;

static void
change_free (Change *change)
{
  g_free (change->uri);
  _vd_team_settings_wipe (&change->password);
  g_free (change);
}

static void
store_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  VdTeamSettings *self = g_task_get_source_object (task);
  Change *change = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  gboolean done;

  if (change->clear)
    done = secret_password_clear_finish (result, &error);
  else
    done = secret_password_store_finish (result, &error);

  if (!done && error != NULL)
    {
      g_debug ("The password could not be saved in the keyring: %s", error->message);
      self->no_keyring = TRUE;
      /* Kept here instead, for this run. */
      if (!change->clear)
        g_hash_table_replace (self->memory_passwords, g_strdup (change->uri),
                              g_strdup (change->password));
      vd_team_settings_set_password_state (self, FALSE,
                                           change->clear ? NULL : NO_KEYRING_MESSAGE);
    }
  else
    {
      g_hash_table_remove (self->memory_passwords, change->uri);
      vd_team_settings_set_password_state (self, !change->clear, NULL);
    }

  g_task_return_boolean (task, TRUE);
}

/**
 * vd_team_settings_store_password_async:
 * @self: a #VdTeamSettings
 * @uri: the team server's URI
 * @password: (nullable): the password, %NULL or "" to forget it
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the password is kept
 * @user_data: data for @callback
 *
 * Saves @password for @uri in the keyring; without a keyring, keeps it in
 * memory until Verdict quits (#VdTeamSettings:password-stored is then
 * %FALSE and #VdTeamSettings:password-message says so).
 */
void
vd_team_settings_store_password_async (VdTeamSettings      *self,
                                       const char          *uri,
                                       const char          *password,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *label = NULL;
  Change *change;

  g_return_if_fail (VD_IS_TEAM_SETTINGS (self));
  g_return_if_fail (uri != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vd_team_settings_store_password_async);

  change = g_new0 (Change, 1);
  change->uri = g_strdup (uri);
  change->clear = password == NULL || password[0] == '\0';
  change->password = change->clear ? NULL : g_strdup (password);
  g_task_set_task_data (task, change, (GDestroyNotify) change_free);

  if (change->clear)
    {
      g_hash_table_remove (self->memory_passwords, uri);
      secret_password_clear (get_secret_schema (), NULL, store_cb, g_steal_pointer (&task),
                             "uri", uri,
                             NULL);
      return;
    }

  /* Translators: the name of the password in the keyring; %s is a URI */
  label = g_strdup_printf (_("Verdict team server %s"), uri);
  secret_password_store (get_secret_schema (), SECRET_COLLECTION_DEFAULT, label, password,
                         NULL, store_cb, g_steal_pointer (&task),
                         "uri", uri,
                         NULL);
}

gboolean
vd_team_settings_store_password_finish (VdTeamSettings  *self,
                                        GAsyncResult    *result,
                                        GError         **error)
{
  g_return_val_if_fail (VD_IS_TEAM_SETTINGS (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * vd_team_settings_get_password_stored:
 * @self: a #VdTeamSettings
 *
 * Returns: whether the last password given is saved in the keyring
 */
gboolean
vd_team_settings_get_password_stored (VdTeamSettings *self)
{
  g_return_val_if_fail (VD_IS_TEAM_SETTINGS (self), FALSE);

  return self->password_stored;
}

/**
 * vd_team_settings_get_password_message:
 * @self: a #VdTeamSettings
 *
 * Returns: (nullable): why the password is not saved in the keyring
 */
const char *
vd_team_settings_get_password_message (VdTeamSettings *self)
{
  g_return_val_if_fail (VD_IS_TEAM_SETTINGS (self), NULL);

  return self->password_message;
}
