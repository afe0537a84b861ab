/* vd-llm-settings-probe.c
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
#include <libsoup/soup.h>

#include "vd-llm-settings-private.h"

/* A probe is a small GET: it gets a short time, whatever the timeouts for
 * real requests say. */
#define PROBE_TIMEOUT_SECONDS 5

#define REPROBE_SECONDS 30

void
_vd_llm_settings_set_last_error (VdLlmSettings *self,
                                 const char    *message)
{
  if (_vd_llm_settings_set_string (&self->last_error, message != NULL ? message : ""))
    _vd_llm_settings_notify (self, PROP_LAST_ERROR);
}

void
_vd_llm_settings_set_reachable (VdLlmSettings  *self,
                                VdReachability  reachable)
{
  if (self->reachable == reachable)
    return;

  self->reachable = reachable;
  _vd_llm_settings_notify (self, PROP_REACHABLE);
}

/* Probing the endpoint */

static gboolean
reprobe_cb (gpointer data)
{
  VdLlmSettings *self = data;

  self->reprobe_id = 0;
  _vd_llm_settings_reprobe (self);

  return G_SOURCE_REMOVE;
}

/* Something the answer depends on changed: probe again, if probing is
 * wanted at all (see vd_llm_settings_probe()). */
void
_vd_llm_settings_reprobe (VdLlmSettings *self)
{
  if (self->probe_wanted)
    {
      vd_llm_settings_probe (self);
      return;
    }

  /* Nothing asked yet: what was known is about another URL or key. */
  g_clear_handle_id (&self->reprobe_id, g_source_remove);
}

static void
finish_probe (VdLlmSettings  *self,
              VdReachability  reachable,
              const char     *message)
{
  g_autoptr(GPtrArray) waiters = g_steal_pointer (&self->probe_waiters);

  g_clear_object (&self->probe_cancellable);
  self->probe_waiters = g_ptr_array_new_with_free_func (g_object_unref);

  _vd_llm_settings_set_last_error (self, message);
  _vd_llm_settings_set_reachable (self, reachable);
  _vd_llm_settings_notify (self, PROP_PROBING);

  g_clear_handle_id (&self->reprobe_id, g_source_remove);
  if (reachable == VD_REACHABILITY_UNREACHABLE)
    self->reprobe_id = g_timeout_add_seconds (REPROBE_SECONDS, reprobe_cb, self);

  for (guint i = 0; i < waiters->len; i++)
    g_task_return_int (g_ptr_array_index (waiters, i), reachable);
}

static void
probe_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(VdLlmSettings) self = user_data;
  SoupSession *session = SOUP_SESSION (object);
  SoupMessage *msg = soup_session_get_async_result_message (session, result);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  g_autofree char *url = NULL;
  VdReachability reachable;
  guint status;

  body = soup_session_send_and_read_finish (session, result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  url = vd_llm_redact_text (vd_llm_settings_get_endpoint (self));

  if (error != NULL)
    {
      g_autofree char *reason = vd_llm_redact_text (error->message);

      /* Translators: the first %s is a URL, the second an error message */
      message = g_strdup_printf (_("%s does not answer: %s. Check that the server runs, or "
                                   "change the endpoint in Preferences."),
                                 url, reason);
      finish_probe (self, VD_REACHABILITY_UNREACHABLE, message);
      return;
    }

  status = soup_message_get_status (msg);

  if (status == SOUP_STATUS_UNAUTHORIZED || status == SOUP_STATUS_FORBIDDEN)
    {
      reachable = VD_REACHABILITY_REACHABLE;
      /* Translators: %s is a URL, %u an HTTP status code, e.g. "401" */
      message = g_strdup_printf (_("%s refused the API key (HTTP %u). Set the key in "
                                   "Preferences."),
                                 url, status);
    }
  else if (SOUP_STATUS_IS_SERVER_ERROR (status))
    {
      reachable = VD_REACHABILITY_UNREACHABLE;
      /* Translators: %s is a URL, %u an HTTP status code, e.g. "502" */
      message = g_strdup_printf (_("%s answers with a server error (HTTP %u)."), url, status);
    }
  else
    {
      /* Any other answer, a 404 included (not every server lists its
       * models), shows someone is there. */
      reachable = VD_REACHABILITY_REACHABLE;
    }

  finish_probe (self, reachable, message);
}

/* {endpoint}/models, before a query the endpoint may have. */
static char *
dup_models_url (const char *endpoint)
{
  gsize length = strcspn (endpoint, "?#");
  g_autofree char *base = g_strndup (endpoint, length);

  while (length > 0 && base[length - 1] == '/')
    base[--length] = '\0';

  return g_strconcat (base, "/models", endpoint + strcspn (endpoint, "?#"), NULL);
}

/**
 * vd_llm_settings_probe:
 * @self: a #VdLlmSettings
 *
 * Asks the endpoint again whether it answers; a probe still running is
 * replaced. Agent features call this when they are used: from then on the
 * endpoint is also probed again when its URL or key changes, and while it
 * does not answer. #VdLlmSettings:probing is %TRUE meanwhile, and
 * #VdLlmSettings:reachable and #VdLlmSettings:last-error change when the
 * answer is there.
 */
void
vd_llm_settings_probe (VdLlmSettings *self)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autofree char *url = NULL;
  const char *endpoint;
  gboolean was_probing;

  g_return_if_fail (VD_IS_LLM_SETTINGS (self));

  self->probe_wanted = TRUE;
  was_probing = self->probe_cancellable != NULL;
  g_cancellable_cancel (self->probe_cancellable);
  g_clear_object (&self->probe_cancellable);
  g_clear_handle_id (&self->reprobe_id, g_source_remove);

  endpoint = vd_llm_settings_get_endpoint (self);
  if (endpoint[0] == '\0')
    {
      if (!was_probing)
        _vd_llm_settings_notify (self, PROP_PROBING);
      finish_probe (self, VD_REACHABILITY_UNKNOWN, NULL);
      return;
    }

  url = dup_models_url (endpoint);
  msg = soup_message_new (SOUP_METHOD_GET, url);
  if (msg == NULL)
    {
      g_autofree char *message = NULL;
      g_autofree char *shown = vd_llm_redact_text (endpoint);

      if (!was_probing)
        _vd_llm_settings_notify (self, PROP_PROBING);
      /* Translators: %s is what was entered as the endpoint URL */
      message = g_strdup_printf (_("“%s” is not a valid URL. Enter one like "
                                   "http://localhost:11434/v1."),
                                 shown);
      finish_probe (self, VD_REACHABILITY_UNREACHABLE, message);
      return;
    }

  /* Not even a probe sends the key where it would travel unencrypted. */
  if (self->api_key != NULL &&
      !vd_llm_key_allowed_for_url (url, vd_llm_settings_get_allow_insecure_http (self)))
    {
      g_autofree char *message = NULL;
      g_autofree char *shown = vd_llm_redact_text (endpoint);

      if (!was_probing)
        _vd_llm_settings_notify (self, PROP_PROBING);
      /* Translators: %s is a URL */
      message = g_strdup_printf (_("The API key would travel unencrypted over plain HTTP to "
                                   "%s, so nothing was sent. Use an https:// URL, or allow "
                                   "plain HTTP for this endpoint in Preferences."),
                                 shown);
      finish_probe (self, VD_REACHABILITY_UNKNOWN, message);
      return;
    }

  if (self->api_key != NULL)
    {
      g_autofree char *authorization = g_strconcat ("Bearer ", self->api_key, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg),
                                    "Authorization", authorization);
      memset (authorization, 0, strlen (authorization));
    }

  soup_session_set_timeout (self->probe_session,
                            MIN (self->connect_timeout, PROBE_TIMEOUT_SECONDS));

  self->probe_cancellable = g_cancellable_new ();
  soup_session_send_and_read_async (self->probe_session, msg, G_PRIORITY_DEFAULT,
                                    self->probe_cancellable, probe_cb, g_object_ref (self));

  if (!was_probing)
    _vd_llm_settings_notify (self, PROP_PROBING);
}

/**
 * vd_llm_settings_probe_async:
 * @self: a #VdLlmSettings
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the answer
 * @user_data: data for @callback
 *
 * Probes the endpoint (as vd_llm_settings_probe() does) and calls back with
 * the result, e.g. for a "Test Connection" button.
 */
void
vd_llm_settings_probe_async (VdLlmSettings       *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (VD_IS_LLM_SETTINGS (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vd_llm_settings_probe_async);
  g_ptr_array_add (self->probe_waiters, task);

  vd_llm_settings_probe (self);
}

/**
 * vd_llm_settings_probe_finish:
 * @self: a #VdLlmSettings
 * @result: the result
 * @error: return location for an error (only %G_IO_ERROR_CANCELLED)
 *
 * Returns: whether the endpoint answered; the reason it did not is in
 *   #VdLlmSettings:last-error
 */
VdReachability
vd_llm_settings_probe_finish (VdLlmSettings  *self,
                              GAsyncResult   *result,
                              GError        **error)
{
  gssize value;

  g_return_val_if_fail (VD_IS_LLM_SETTINGS (self), VD_REACHABILITY_UNKNOWN);
  g_return_val_if_fail (g_task_is_valid (result, self), VD_REACHABILITY_UNKNOWN);

  value = g_task_propagate_int (G_TASK (result), error);

  return value < 0 ? VD_REACHABILITY_UNKNOWN : (VdReachability) value;
}

/**
 * vd_llm_settings_get_reachable:
 * @self: a #VdLlmSettings
 *
 * Returns: whether the endpoint answered the last probe
 */
VdReachability
vd_llm_settings_get_reachable (VdLlmSettings *self)
{
  g_return_val_if_fail (VD_IS_LLM_SETTINGS (self), VD_REACHABILITY_UNKNOWN);

  return self->reachable;
}

/**
 * vd_llm_settings_get_last_error:
 * @self: a #VdLlmSettings
 *
 * Returns: what the last probe found wrong, "" when nothing
 */
const char *
vd_llm_settings_get_last_error (VdLlmSettings *self)
{
  g_return_val_if_fail (VD_IS_LLM_SETTINGS (self), NULL);

  return self->last_error;
}

/**
 * vd_llm_settings_get_probing:
 * @self: a #VdLlmSettings
 *
 * Returns: whether a probe is running
 */
gboolean
vd_llm_settings_get_probing (VdLlmSettings *self)
{
  g_return_val_if_fail (VD_IS_LLM_SETTINGS (self), FALSE);

  return self->probe_cancellable != NULL;
}
