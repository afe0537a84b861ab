/* vd-llm-settings-keyring.c
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

#define G_LOG_DOMAIN "vd-llm-settings"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <libsecret/secret.h>

#include "vd-llm-settings-private.h"

#define LOOKUP_TIMEOUT_SECONDS 15

#define NO_KEYRING_MESSAGE _("No keyring is available: an API key entered here is kept " \
                             "only until Verdict quits.")

static const SecretSchema *
get_secret_schema (void)
{
  static const SecretSchema schema = {
    VD_LLM_SETTINGS_SECRET_SCHEMA, SECRET_SCHEMA_NONE,
    {
      { "endpoint", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };

  return &schema;
}

void
_vd_llm_settings_wipe_key (char **key)
{
  if (*key != NULL)
    memset (*key, 0, strlen (*key));
  g_clear_pointer (key, g_free);
}

static void
vd_llm_settings_set_key_state (VdLlmSettings *self,
                               gboolean       stored,
                               const char    *message)
{
  if (self->key_stored != stored)
    {
      self->key_stored = stored;
      _vd_llm_settings_notify (self, PROP_KEY_STORED);
    }

  if (_vd_llm_settings_set_string (&self->key_message, message != NULL ? message : ""))
    _vd_llm_settings_notify (self, PROP_KEY_MESSAGE);
}

/* Takes @key. */
static void
vd_llm_settings_take_key (VdLlmSettings *self,
                          char          *key)
{
  gboolean had_key = self->api_key != NULL;

  if (key != NULL && key[0] == '\0')
    _vd_llm_settings_wipe_key (&key);

  if (g_strcmp0 (key, self->api_key) == 0)
    {
      _vd_llm_settings_wipe_key (&key);
      return;
    }

  _vd_llm_settings_wipe_key (&self->api_key);
  self->api_key = key;

  if (had_key != (self->api_key != NULL))
    _vd_llm_settings_notify (self, PROP_HAS_API_KEY);

  _vd_llm_settings_emit_changed (self);
  _vd_llm_settings_reprobe (self);
}

/* The key from the Secret Service */

/* A lookup is never cancelled (libsecret may then leave the next one
 * waiting for ever): a newer one makes it stale, and a keyring that does
 * not answer in LOOKUP_TIMEOUT_SECONDS counts as none. */
typedef struct
{
  GWeakRef self;
  guint    generation;
} Lookup;

static void
lookup_free (Lookup *lookup)
{
  g_weak_ref_clear (&lookup->self);
  g_free (lookup);
}

static Lookup *
lookup_new (VdLlmSettings *self)
{
  Lookup *lookup = g_new0 (Lookup, 1);

  g_weak_ref_init (&lookup->self, self);
  lookup->generation = self->key_generation;

  return lookup;
}

static void
vd_llm_settings_end_lookup (VdLlmSettings *self)
{
  g_clear_handle_id (&self->key_timeout_id, g_source_remove);
  if (!self->key_loading)
    return;

  self->key_loading = FALSE;
  _vd_llm_settings_notify (self, PROP_KEY_LOADING);
}

static void
lookup_key_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Lookup *lookup = user_data;
  g_autoptr(VdLlmSettings) self = g_weak_ref_get (&lookup->self);
  g_autoptr(GError) error = NULL;
  char *key;

  key = secret_password_lookup_finish (result, &error);

  if (self == NULL || lookup->generation != self->key_generation || !self->key_loading)
    {
      if (key != NULL)
        secret_password_free (key);
      lookup_free (lookup);
      return;
    }

  lookup_free (lookup);
  vd_llm_settings_end_lookup (self);

  if (error != NULL)
    {
      g_debug ("No Secret Service: %s", error->message);
      self->no_keyring = TRUE;
      vd_llm_settings_set_key_state (self, FALSE, NO_KEYRING_MESSAGE);
      return;
    }

  self->no_keyring = FALSE;
  vd_llm_settings_set_key_state (self, key != NULL, NULL);
  vd_llm_settings_take_key (self, key);
}

static gboolean
lookup_timeout_cb (gpointer data)
{
  VdLlmSettings *self = data;

  self->key_timeout_id = 0;
  g_debug ("The Secret Service did not answer within %d s", LOOKUP_TIMEOUT_SECONDS);

  vd_llm_settings_end_lookup (self);
  self->no_keyring = TRUE;
  vd_llm_settings_set_key_state (self, FALSE, NO_KEYRING_MESSAGE);

  return G_SOURCE_REMOVE;
}

/* The key belongs to an endpoint: a new URL never gets the old key. */
void
_vd_llm_settings_lookup_key (VdLlmSettings *self)
{
  const char *endpoint = vd_llm_settings_get_endpoint (self);
  gboolean was_loading = self->key_loading;

  self->key_generation++;
  g_clear_handle_id (&self->key_timeout_id, g_source_remove);

  vd_llm_settings_set_key_state (self, FALSE, NULL);
  if (self->api_key != NULL)
    {
      _vd_llm_settings_wipe_key (&self->api_key);
      _vd_llm_settings_notify (self, PROP_HAS_API_KEY);
    }

  if (endpoint[0] == '\0')
    {
      self->key_loading = FALSE;
      if (was_loading)
        _vd_llm_settings_notify (self, PROP_KEY_LOADING);
      return;
    }

  self->key_loading = TRUE;
  self->key_timeout_id = g_timeout_add_seconds (LOOKUP_TIMEOUT_SECONDS, lookup_timeout_cb, self);
  secret_password_lookup (get_secret_schema (), NULL,
                          lookup_key_cb, lookup_new (self),
                          "endpoint", endpoint,
                          NULL);

  if (!was_loading)
    _vd_llm_settings_notify (self, PROP_KEY_LOADING);
}

typedef struct
{
  char     *endpoint;
  gboolean  clear;
} KeyChange;

static void
key_change_free (KeyChange *change)
{
  g_free (change->endpoint);
  g_free (change);
}

static void
store_key_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  VdLlmSettings *self = g_task_get_source_object (task);
  KeyChange *change = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  gboolean done;

  if (change->clear)
    done = secret_password_clear_finish (result, &error);
  else
    done = secret_password_store_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* The endpoint changed meanwhile: what is shown is about the new one. */
  if (g_strcmp0 (change->endpoint, vd_llm_settings_get_endpoint (self)) != 0)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  if (!done && error != NULL)
    {
      g_autofree char *message = NULL;

      g_debug ("The key could not be saved in the keyring: %s", error->message);
      if (self->no_keyring)
        message = g_strdup (NO_KEYRING_MESSAGE);
      else if (change->clear)
        /* Translators: %s is an error message */
        message = g_strdup_printf (_("The key could not be removed from the keyring (%s)."),
                                   error->message);
      else
        /* Translators: %s is an error message */
        message = g_strdup_printf (_("The key could not be saved in the keyring (%s): it is "
                                     "kept only until Verdict quits."),
                                   error->message);
      vd_llm_settings_set_key_state (self, FALSE, message);
    }
  else
    {
      vd_llm_settings_set_key_state (self, !change->clear, NULL);
    }

  g_task_return_boolean (task, TRUE);
}

/**
 * vd_llm_settings_set_api_key_async:
 * @self: a #VdLlmSettings
 * @api_key: (nullable): the key, or %NULL or "" to forget it
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the keyring has the key
 * @user_data: data for @callback
 *
 * Uses @api_key for the current endpoint at once and saves it in the
 * keyring (or removes it from there). When the keyring cannot take it, the
 * key is still used for this session: the operation succeeds, and
 * #VdLlmSettings:key-stored is %FALSE with #VdLlmSettings:key-message
 * saying why.
 */
void
vd_llm_settings_set_api_key_async (VdLlmSettings       *self,
                                   const char          *api_key,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *label = NULL;
  g_autofree char *shown = NULL;
  const char *endpoint;
  KeyChange *change;

  g_return_if_fail (VD_IS_LLM_SETTINGS (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  endpoint = vd_llm_settings_get_endpoint (self);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vd_llm_settings_set_api_key_async);

  if (endpoint[0] == '\0')
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("Set an endpoint URL before an API key: the key is kept "
                                 "for one endpoint."));
      return;
    }

  /* A lookup still running would overwrite what is set now. */
  self->key_generation++;
  vd_llm_settings_end_lookup (self);

  change = g_new0 (KeyChange, 1);
  change->endpoint = g_strdup (endpoint);
  change->clear = api_key == NULL || api_key[0] == '\0';
  g_task_set_task_data (task, change, (GDestroyNotify) key_change_free);

  vd_llm_settings_take_key (self, change->clear ? NULL : g_strdup (api_key));

  /* Not cancelled inside libsecret (see Lookup); the task still returns
   * G_IO_ERROR_CANCELLED when @cancellable was. */
  if (change->clear)
    {
      secret_password_clear (get_secret_schema (), NULL,
                             store_key_cb, g_steal_pointer (&task),
                             "endpoint", endpoint,
                             NULL);
      return;
    }

  shown = vd_llm_redact_text (endpoint);
  /* Translators: the name of the API key in the keyring; %s is a URL */
  label = g_strdup_printf (_("Verdict API key for %s"), shown);
  secret_password_store (get_secret_schema (), SECRET_COLLECTION_DEFAULT, label, api_key,
                         NULL, store_key_cb, g_steal_pointer (&task),
                         "endpoint", endpoint,
                         NULL);
}

/**
 * vd_llm_settings_set_api_key_finish:
 * @self: a #VdLlmSettings
 * @result: the result
 * @error: return location for an error
 *
 * Returns: %TRUE when the key is in use (saved or not: see
 *   #VdLlmSettings:key-stored); %FALSE on cancellation or without an
 *   endpoint
 */
gboolean
vd_llm_settings_set_api_key_finish (VdLlmSettings  *self,
                                    GAsyncResult   *result,
                                    GError        **error)
{
  g_return_val_if_fail (VD_IS_LLM_SETTINGS (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * vd_llm_settings_get_has_api_key:
 * @self: a #VdLlmSettings
 *
 * Returns: whether a key is in use for the endpoint
 */
gboolean
vd_llm_settings_get_has_api_key (VdLlmSettings *self)
{
  g_return_val_if_fail (VD_IS_LLM_SETTINGS (self), FALSE);

  return self->api_key != NULL;
}

/**
 * vd_llm_settings_get_key_stored:
 * @self: a #VdLlmSettings
 *
 * Returns: whether the key in use is saved in the keyring
 */
gboolean
vd_llm_settings_get_key_stored (VdLlmSettings *self)
{
  g_return_val_if_fail (VD_IS_LLM_SETTINGS (self), FALSE);

  return self->key_stored;
}

/**
 * vd_llm_settings_get_key_message:
 * @self: a #VdLlmSettings
 *
 * Returns: why a key cannot be saved, "" when it can
 */
const char *
vd_llm_settings_get_key_message (VdLlmSettings *self)
{
  g_return_val_if_fail (VD_IS_LLM_SETTINGS (self), NULL);

  return self->key_message;
}

/**
 * vd_llm_settings_get_key_loading:
 * @self: a #VdLlmSettings
 *
 * Returns: whether the key is being read from the keyring
 */
gboolean
vd_llm_settings_get_key_loading (VdLlmSettings *self)
{
  g_return_val_if_fail (VD_IS_LLM_SETTINGS (self), FALSE);

  return self->key_loading;
}
