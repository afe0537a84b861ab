/* vd-llm-settings.c
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

#include "vd-app-enums.h"
#include "vd-llm-settings-private.h"

/*
 * The model endpoint as the window uses it: URL, model, timeouts and
 * concurrency from GSettings (the URL and the model may be overridden by
 * $VERDICT_LLM_URL and $VERDICT_LLM_MODEL), the API key from the Secret
 * Service, keyed by the endpoint URL. The key never goes to GSettings, the
 * database or a log. Without a Secret Service (a bare D-Bus session, a
 * locked-down sandbox) a key entered is kept in memory for the session.
 *
 * Whether the endpoint answers is probed with GET {endpoint}/models, but
 * never merely because the app started with the default endpoint: only once
 * the endpoint is configured explicitly ($VERDICT_LLM_URL, or an
 * `llm-endpoint` the user set, even to the default value) or an agent
 * feature called vd_llm_settings_probe(). From then on it is probed when
 * the URL or the key changes, on demand, and every REPROBE_SECONDS while it
 * does not answer.
 *
 * A URL with a user name or password is never used: it would be shown,
 * logged, stored with error messages and used to find the key in the
 * keyring. The key goes only over https or to this computer, unless plain
 * http was allowed for exactly this endpoint (KEY_INSECURE_HTTP_ENDPOINT).
 */

#define KEY_ENDPOINT        "llm-endpoint"
#define KEY_MODEL           "llm-model"
#define KEY_CONNECT_TIMEOUT "llm-connect-timeout"
#define KEY_IDLE_TIMEOUT    "llm-idle-timeout"
#define KEY_CONCURRENCY     "llm-concurrency"
#define KEY_INSECURE_HTTP_ENDPOINT "llm-insecure-http-endpoint"

#define DEFAULT_CONNECT_TIMEOUT 10
#define DEFAULT_IDLE_TIMEOUT    120
#define DEFAULT_CONCURRENCY     4

G_DEFINE_FINAL_TYPE (VdLlmSettings, vd_llm_settings, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];

static guint signals[N_SIGNALS];

void
_vd_llm_settings_notify (VdLlmSettings     *self,
                         VdLlmSettingsProp  prop)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

void
_vd_llm_settings_emit_changed (VdLlmSettings *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
}

gboolean
_vd_llm_settings_set_string (char       **field,
                             const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;

  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

/* "  http://host:1/v1/ " -> "http://host:1/v1" */
static char *
normalize_endpoint (const char *endpoint)
{
  char *text = g_strstrip (g_strdup (endpoint != NULL ? endpoint : ""));
  gsize length = strlen (text);

  while (length > 0 && text[length - 1] == '/')
    text[--length] = '\0';

  return text;
}

/* Why an endpoint URL may not be saved, in the words of the app: %NULL if
 * it may. */
static char *
dup_credentials_problem (const char *endpoint)
{
  g_autoptr(GError) error = NULL;

  if (endpoint[0] == '\0' || vd_llm_check_endpoint_url (endpoint, &error) ||
      !g_error_matches (error, VD_LLM_ERROR, VD_LLM_ERROR_CREDENTIALS))
    return NULL;

  return g_strdup (_("The URL holds a user name or password, which would be shown and stored "
                     "with it. Remove them, and enter the key in the API Key field: it is "
                     "kept in the keyring."));
}

/* @value normalized, or "" when it holds credentials (*refused then). */
static char *
accept_endpoint (const char *value,
                 gboolean   *refused)
{
  g_autofree char *normalized = normalize_endpoint (value);
  g_autofree char *problem = dup_credentials_problem (normalized);

  *refused = problem != NULL;
  if (*refused)
    return g_strdup ("");

  return g_steal_pointer (&normalized);
}

static void
update_endpoint_error (VdLlmSettings *self)
{
  const char *message = "";

  if (self->endpoint_env != NULL ? self->env_refused : self->setting_refused)
    message = self->endpoint_env != NULL
                ? _("VERDICT_LLM_URL holds a user name or password, so no endpoint is used. "
                    "Set it without them, and enter the key in the API Key field: it is kept "
                    "in the keyring.")
                : _("The saved URL holds a user name or password, so it is not used. Enter "
                    "it without them, and the key in the API Key field: it is kept in the "
                    "keyring.");

  if (_vd_llm_settings_set_string (&self->endpoint_error, message))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENDPOINT_ERROR]);
}

static char *
dup_env (const char *name)
{
  const char *value = g_getenv (name);

  if (value == NULL || value[0] == '\0')
    return NULL;

  return g_strdup (value);
}

/* Settings */

static void
vd_llm_settings_endpoint_changed (VdLlmSettings *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENDPOINT]);
  /* The permission is for one URL. */
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ALLOW_INSECURE_HTTP]);

  /* Whatever was known is about the old URL. */
  _vd_llm_settings_set_reachable (self, VD_REACHABILITY_UNKNOWN);
  _vd_llm_settings_set_last_error (self, NULL);

  _vd_llm_settings_lookup_key (self);
  g_signal_emit (self, signals[CHANGED], 0);
  /* Set by hand (without GSettings, any change is) rather than reset. */
  if (self->settings == NULL || vd_llm_settings_get_configured (self))
    self->probe_wanted = TRUE;
  _vd_llm_settings_reprobe (self);
}

/* The key may now go where it could not, or the reverse. */
static void
vd_llm_settings_allow_changed (VdLlmSettings *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ALLOW_INSECURE_HTTP]);
  g_signal_emit (self, signals[CHANGED], 0);
  _vd_llm_settings_reprobe (self);
}

static void
settings_changed_cb (VdLlmSettings *self,
                     const char    *key,
                     GSettings     *settings)
{
  if (g_str_equal (key, KEY_ENDPOINT))
    {
      g_autofree char *value = g_settings_get_string (settings, key);
      g_autofree char *endpoint = accept_endpoint (value, &self->setting_refused);
      g_autofree char *old = g_strdup (vd_llm_settings_get_endpoint (self));

      _vd_llm_settings_set_string (&self->endpoint_setting, endpoint);
      update_endpoint_error (self);
      if (g_strcmp0 (old, vd_llm_settings_get_endpoint (self)) != 0)
        vd_llm_settings_endpoint_changed (self);
    }
  else if (g_str_equal (key, KEY_INSECURE_HTTP_ENDPOINT))
    {
      g_autofree char *value = g_settings_get_string (settings, key);
      g_autofree char *endpoint = normalize_endpoint (value);
      gboolean was_allowed = vd_llm_settings_get_allow_insecure_http (self);

      _vd_llm_settings_set_string (&self->insecure_http_endpoint, endpoint);
      if (was_allowed != vd_llm_settings_get_allow_insecure_http (self))
        vd_llm_settings_allow_changed (self);
    }
  else if (g_str_equal (key, KEY_MODEL))
    {
      g_autofree char *value = g_settings_get_string (settings, key);
      g_autofree char *model = g_strstrip (g_strdup (value));

      if (_vd_llm_settings_set_string (&self->model_setting, model) && self->model_env == NULL)
        {
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL]);
          g_signal_emit (self, signals[CHANGED], 0);
        }
    }
  else if (g_str_equal (key, KEY_CONNECT_TIMEOUT))
    {
      guint value = MAX (g_settings_get_int (settings, key), 1);

      if (value != self->connect_timeout)
        {
          self->connect_timeout = value;
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECT_TIMEOUT]);
          g_signal_emit (self, signals[CHANGED], 0);
        }
    }
  else if (g_str_equal (key, KEY_IDLE_TIMEOUT))
    {
      guint value = MAX (g_settings_get_int (settings, key), 1);

      if (value != self->idle_timeout)
        {
          self->idle_timeout = value;
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IDLE_TIMEOUT]);
          g_signal_emit (self, signals[CHANGED], 0);
        }
    }
  else if (g_str_equal (key, KEY_CONCURRENCY))
    {
      guint value = MAX (g_settings_get_int (settings, key), 1);

      if (value != self->concurrency)
        {
          self->concurrency = value;
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONCURRENCY]);
          g_signal_emit (self, signals[CHANGED], 0);
        }
    }
}

/* Without GSettings the values live here; with them, they are written there
 * and come back through settings_changed_cb(). */
static void
write_string (VdLlmSettings *self,
              const char    *key,
              const char    *value)
{
  if (self->settings != NULL)
    {
      g_settings_set_string (self->settings, key, value);
      return;
    }

  if (g_str_equal (key, KEY_ENDPOINT))
    {
      g_autofree char *old = g_strdup (vd_llm_settings_get_endpoint (self));

      _vd_llm_settings_set_string (&self->endpoint_setting, value);
      if (g_strcmp0 (old, vd_llm_settings_get_endpoint (self)) != 0)
        vd_llm_settings_endpoint_changed (self);
    }
  else if (g_str_equal (key, KEY_INSECURE_HTTP_ENDPOINT))
    {
      gboolean was_allowed = vd_llm_settings_get_allow_insecure_http (self);

      _vd_llm_settings_set_string (&self->insecure_http_endpoint, value);
      if (was_allowed != vd_llm_settings_get_allow_insecure_http (self))
        vd_llm_settings_allow_changed (self);
    }
  else if (_vd_llm_settings_set_string (&self->model_setting, value) && self->model_env == NULL)
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL]);
      g_signal_emit (self, signals[CHANGED], 0);
    }
}

static void
write_uint (VdLlmSettings *self,
            const char    *key,
            guint         *field,
            GParamSpec    *pspec,
            guint          value)
{
  if (self->settings != NULL)
    {
      g_settings_set_int (self->settings, key, (int) value);
      return;
    }

  if (*field == value)
    return;

  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), pspec);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
vd_llm_settings_constructed (GObject *object)
{
  VdLlmSettings *self = (VdLlmSettings *)object;

  G_OBJECT_CLASS (vd_llm_settings_parent_class)->constructed (object);

  self->endpoint_env = dup_env ("VERDICT_LLM_URL");
  if (self->endpoint_env != NULL)
    {
      char *accepted = accept_endpoint (self->endpoint_env, &self->env_refused);

      g_free (self->endpoint_env);
      self->endpoint_env = accepted;
    }
  self->model_env = dup_env ("VERDICT_LLM_MODEL");

  if (self->settings != NULL)
    {
      g_autofree char *endpoint = g_settings_get_string (self->settings, KEY_ENDPOINT);
      g_autofree char *model = g_settings_get_string (self->settings, KEY_MODEL);
      g_autofree char *insecure = g_settings_get_string (self->settings,
                                                         KEY_INSECURE_HTTP_ENDPOINT);

      self->endpoint_setting = accept_endpoint (endpoint, &self->setting_refused);
      self->insecure_http_endpoint = normalize_endpoint (insecure);
      self->model_setting = g_strstrip (g_steal_pointer (&model));
      self->connect_timeout = MAX (g_settings_get_int (self->settings, KEY_CONNECT_TIMEOUT), 1);
      self->idle_timeout = MAX (g_settings_get_int (self->settings, KEY_IDLE_TIMEOUT), 1);
      self->concurrency = MAX (g_settings_get_int (self->settings, KEY_CONCURRENCY), 1);

      g_signal_connect_object (self->settings, "changed",
                               G_CALLBACK (settings_changed_cb), self, G_CONNECT_SWAPPED);
    }
  else
    {
      self->endpoint_setting = g_strdup (VD_LLM_CLIENT_DEFAULT_BASE_URL);
      self->insecure_http_endpoint = g_strdup ("");
      self->model_setting = g_strdup (VD_LLM_CLIENT_DEFAULT_MODEL);
      self->connect_timeout = DEFAULT_CONNECT_TIMEOUT;
      self->idle_timeout = DEFAULT_IDLE_TIMEOUT;
      self->concurrency = DEFAULT_CONCURRENCY;
    }

  update_endpoint_error (self);
  /* No request at start for an endpoint nobody chose. */
  self->probe_wanted = vd_llm_settings_get_configured (self);
  _vd_llm_settings_lookup_key (self);
  _vd_llm_settings_reprobe (self);
}

static void
vd_llm_settings_dispose (GObject *object)
{
  VdLlmSettings *self = (VdLlmSettings *)object;

  g_clear_handle_id (&self->key_timeout_id, g_source_remove);
  g_cancellable_cancel (self->probe_cancellable);
  g_clear_object (&self->probe_cancellable);
  g_clear_handle_id (&self->reprobe_id, g_source_remove);

  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (vd_llm_settings_parent_class)->dispose (object);
}

static void
vd_llm_settings_finalize (GObject *object)
{
  VdLlmSettings *self = (VdLlmSettings *)object;

  _vd_llm_settings_wipe_key (&self->api_key);
  g_clear_object (&self->probe_session);
  g_clear_pointer (&self->probe_waiters, g_ptr_array_unref);
  g_free (self->endpoint_setting);
  g_free (self->endpoint_env);
  g_free (self->endpoint_error);
  g_free (self->insecure_http_endpoint);
  g_free (self->model_setting);
  g_free (self->model_env);
  g_free (self->key_message);
  g_free (self->last_error);

  G_OBJECT_CLASS (vd_llm_settings_parent_class)->finalize (object);
}

static void
vd_llm_settings_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  VdLlmSettings *self = VD_LLM_SETTINGS (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;

    case PROP_ENDPOINT:
      g_value_set_string (value, vd_llm_settings_get_endpoint (self));
      break;

    case PROP_ENDPOINT_FROM_ENV:
      g_value_set_boolean (value, self->endpoint_env != NULL);
      break;

    case PROP_ENDPOINT_ERROR:
      g_value_set_string (value, self->endpoint_error);
      break;

    case PROP_ALLOW_INSECURE_HTTP:
      g_value_set_boolean (value, vd_llm_settings_get_allow_insecure_http (self));
      break;

    case PROP_MODEL:
      g_value_set_string (value, vd_llm_settings_get_model (self));
      break;

    case PROP_MODEL_FROM_ENV:
      g_value_set_boolean (value, self->model_env != NULL);
      break;

    case PROP_CONNECT_TIMEOUT:
      g_value_set_uint (value, self->connect_timeout);
      break;

    case PROP_IDLE_TIMEOUT:
      g_value_set_uint (value, self->idle_timeout);
      break;

    case PROP_CONCURRENCY:
      g_value_set_uint (value, self->concurrency);
      break;

    case PROP_HAS_API_KEY:
      g_value_set_boolean (value, self->api_key != NULL);
      break;

    case PROP_KEY_STORED:
      g_value_set_boolean (value, self->key_stored);
      break;

    case PROP_KEY_MESSAGE:
      g_value_set_string (value, self->key_message);
      break;

    case PROP_KEY_LOADING:
      g_value_set_boolean (value, self->key_loading);
      break;

    case PROP_REACHABLE:
      g_value_set_enum (value, self->reachable);
      break;

    case PROP_LAST_ERROR:
      g_value_set_string (value, self->last_error);
      break;

    case PROP_PROBING:
      g_value_set_boolean (value, self->probe_cancellable != NULL);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vd_llm_settings_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  VdLlmSettings *self = VD_LLM_SETTINGS (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;

    case PROP_ENDPOINT:
      vd_llm_settings_set_endpoint (self, g_value_get_string (value));
      break;

    case PROP_ALLOW_INSECURE_HTTP:
      vd_llm_settings_set_allow_insecure_http (self, g_value_get_boolean (value));
      break;

    case PROP_MODEL:
      vd_llm_settings_set_model (self, g_value_get_string (value));
      break;

    case PROP_CONNECT_TIMEOUT:
      vd_llm_settings_set_connect_timeout (self, g_value_get_uint (value));
      break;

    case PROP_IDLE_TIMEOUT:
      vd_llm_settings_set_idle_timeout (self, g_value_get_uint (value));
      break;

    case PROP_CONCURRENCY:
      vd_llm_settings_set_concurrency (self, g_value_get_uint (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vd_llm_settings_class_init (VdLlmSettingsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = vd_llm_settings_constructed;
  object_class->dispose = vd_llm_settings_dispose;
  object_class->finalize = vd_llm_settings_finalize;
  object_class->get_property = vd_llm_settings_get_property;
  object_class->set_property = vd_llm_settings_set_property;

  /**
   * VdLlmSettings:settings: (nullable)
   *
   * The application's settings; without them the values live in memory.
   */
  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL,
                         G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * VdLlmSettings:endpoint:
   *
   * The base URL in use, without a trailing slash ("" for none):
   * $VERDICT_LLM_URL when set, else the `llm-endpoint` setting. Setting it
   * writes the setting.
   */
  properties[PROP_ENDPOINT] =
    g_param_spec_string ("endpoint", NULL, NULL,
                         "",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * VdLlmSettings:endpoint-from-env:
   *
   * Whether $VERDICT_LLM_URL decides the endpoint (the setting is ignored).
   */
  properties[PROP_ENDPOINT_FROM_ENV] =
    g_param_spec_boolean ("endpoint-from-env", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * VdLlmSettings:endpoint-error:
   *
   * Why the saved endpoint or $VERDICT_LLM_URL is not used ("" when it
   * is): one with a user name or password is refused, and no endpoint is
   * used instead.
   */
  properties[PROP_ENDPOINT_ERROR] =
    g_param_spec_string ("endpoint-error", NULL, NULL,
                         "",
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * VdLlmSettings:allow-insecure-http:
   *
   * Whether the API key may go over plain http to the endpoint in use
   * although it is not on this computer. The permission is saved for that
   * URL only: with another endpoint this is %FALSE again.
   */
  properties[PROP_ALLOW_INSECURE_HTTP] =
    g_param_spec_boolean ("allow-insecure-http", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * VdLlmSettings:model:
   *
   * The model in use: $VERDICT_LLM_MODEL when set, else the `llm-model`
   * setting.
   */
  properties[PROP_MODEL] =
    g_param_spec_string ("model", NULL, NULL,
                         "",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * VdLlmSettings:model-from-env:
   *
   * Whether $VERDICT_LLM_MODEL decides the model.
   */
  properties[PROP_MODEL_FROM_ENV] =
    g_param_spec_boolean ("model-from-env", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * VdLlmSettings:connect-timeout:
   *
   * Seconds to wait for a connection.
   */
  properties[PROP_CONNECT_TIMEOUT] =
    g_param_spec_uint ("connect-timeout", NULL, NULL,
                       1, 300, DEFAULT_CONNECT_TIMEOUT,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * VdLlmSettings:idle-timeout:
   *
   * Seconds the model may stay silent during an answer.
   */
  properties[PROP_IDLE_TIMEOUT] =
    g_param_spec_uint ("idle-timeout", NULL, NULL,
                       1, 3600, DEFAULT_IDLE_TIMEOUT,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * VdLlmSettings:concurrency:
   *
   * How many requests run at once.
   */
  properties[PROP_CONCURRENCY] =
    g_param_spec_uint ("concurrency", NULL, NULL,
                       1, 64, DEFAULT_CONCURRENCY,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * VdLlmSettings:has-api-key:
   *
   * Whether a key is in use for the endpoint. The key itself is never a
   * property.
   */
  properties[PROP_HAS_API_KEY] =
    g_param_spec_boolean ("has-api-key", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * VdLlmSettings:key-stored:
   *
   * Whether the key in use is saved in the keyring. %FALSE with a key means
   * it is kept for this session only; #VdLlmSettings:key-message says why.
   */
  properties[PROP_KEY_STORED] =
    g_param_spec_boolean ("key-stored", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * VdLlmSettings:key-message:
   *
   * Why a key cannot be saved ("" when it can).
   */
  properties[PROP_KEY_MESSAGE] =
    g_param_spec_string ("key-message", NULL, NULL,
                         "",
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * VdLlmSettings:key-loading:
   *
   * Whether the key is being read from the keyring.
   */
  properties[PROP_KEY_LOADING] =
    g_param_spec_boolean ("key-loading", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * VdLlmSettings:reachable:
   *
   * Whether the endpoint answered the last probe.
   */
  properties[PROP_REACHABLE] =
    g_param_spec_enum ("reachable", NULL, NULL,
                       VD_TYPE_REACHABILITY, VD_REACHABILITY_UNKNOWN,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * VdLlmSettings:last-error:
   *
   * What the last probe found wrong, naming the URL ("" when nothing). It
   * may be set while the endpoint is reachable, e.g. for a refused key.
   */
  properties[PROP_LAST_ERROR] =
    g_param_spec_string ("last-error", NULL, NULL,
                         "",
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * VdLlmSettings:probing:
   *
   * Whether a probe is running.
   */
  properties[PROP_PROBING] =
    g_param_spec_boolean ("probing", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * VdLlmSettings::changed:
   *
   * Emitted when anything a client is built from changed (endpoint, model,
   * key, timeouts, concurrency): apply it with
   * vd_llm_settings_apply_to_client() or build a new client.
   */
  signals[CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
vd_llm_settings_init (VdLlmSettings *self)
{
  self->reachable = VD_REACHABILITY_UNKNOWN;
  self->key_message = g_strdup ("");
  self->last_error = g_strdup ("");
  self->endpoint_error = g_strdup ("");
  self->probe_waiters = g_ptr_array_new_with_free_func (g_object_unref);
  self->probe_session = soup_session_new_with_options ("user-agent", "Verdict/" PACKAGE_VERSION,
                                                       NULL);
}

/**
 * vd_llm_settings_new:
 * @settings: (nullable): the application's settings (schema
 *   `io.github.verdict.Verdict`), or %NULL to keep every value in memory
 *
 * Creates the endpoint configuration, starts reading the API key from the
 * keyring and probing the endpoint.
 *
 * Returns: (transfer full): a new #VdLlmSettings
 */
VdLlmSettings *
vd_llm_settings_new (GSettings *settings)
{
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  return g_object_new (VD_TYPE_LLM_SETTINGS, "settings", settings, NULL);
}

/**
 * vd_llm_settings_get_settings:
 * @self: a #VdLlmSettings
 *
 * Returns: (transfer none) (nullable): the settings the values are kept in
 */
GSettings *
vd_llm_settings_get_settings (VdLlmSettings *self)
{
  g_return_val_if_fail (VD_IS_LLM_SETTINGS (self), NULL);

  return self->settings;
}

/**
 * vd_llm_settings_get_endpoint:
 * @self: a #VdLlmSettings
 *
 * Returns: the base URL in use, "" for none
 */
const char *
vd_llm_settings_get_endpoint (VdLlmSettings *self)
{
  g_return_val_if_fail (VD_IS_LLM_SETTINGS (self), NULL);

  if (self->endpoint_env != NULL)
    return self->endpoint_env;

  return self->endpoint_setting != NULL ? self->endpoint_setting : "";
}

/**
 * vd_llm_settings_check_endpoint:
 * @endpoint: (nullable): a base URL as entered
 * @error: return location for a #GError
 *
 * Checks that @endpoint may be saved. One with a user name or password
 * may not (%VD_LLM_ERROR_CREDENTIALS, with a message saying where the key
 * goes instead). One that is merely wrong may: the probe reports it.
 *
 * Returns: %TRUE if vd_llm_settings_set_endpoint() takes @endpoint
 */
gboolean
vd_llm_settings_check_endpoint (const char  *endpoint,
                                GError     **error)
{
  g_autofree char *normalized = normalize_endpoint (endpoint);
  g_autofree char *problem = dup_credentials_problem (normalized);

  if (problem == NULL)
    return TRUE;

  g_set_error_literal (error, VD_LLM_ERROR, VD_LLM_ERROR_CREDENTIALS, problem);
  return FALSE;
}

/**
 * vd_llm_settings_set_endpoint:
 * @self: a #VdLlmSettings
 * @endpoint: (nullable): a base URL such as "http://localhost:11434/v1",
 *   or %NULL or "" for none
 *
 * Saves the endpoint setting (surrounding blanks and trailing slashes
 * dropped). It takes effect unless $VERDICT_LLM_URL is set. An endpoint
 * that vd_llm_settings_check_endpoint() refuses is not saved.
 *
 * Returns: whether @endpoint was saved
 */
gboolean
vd_llm_settings_set_endpoint (VdLlmSettings *self,
                              const char    *endpoint)
{
  g_autofree char *normalized = NULL;

  g_return_val_if_fail (VD_IS_LLM_SETTINGS (self), FALSE);

  if (!vd_llm_settings_check_endpoint (endpoint, NULL))
    return FALSE;

  normalized = normalize_endpoint (endpoint);
  write_string (self, KEY_ENDPOINT, normalized);
  return TRUE;
}

/**
 * vd_llm_settings_get_configured:
 * @self: a #VdLlmSettings
 *
 * Whether the endpoint was chosen rather than taken from the defaults:
 * $VERDICT_LLM_URL is set, or the user set the `llm-endpoint` setting (to
 * any value, the default one included). Only such an endpoint is probed
 * without an agent feature asking for it.
 *
 * Returns: whether the endpoint was configured explicitly
 */
gboolean
vd_llm_settings_get_configured (VdLlmSettings *self)
{
  g_autoptr(GVariant) user_value = NULL;

  g_return_val_if_fail (VD_IS_LLM_SETTINGS (self), FALSE);

  if (self->endpoint_env != NULL)
    return TRUE;
  if (self->settings == NULL)
    return FALSE;

  user_value = g_settings_get_user_value (self->settings, KEY_ENDPOINT);

  return user_value != NULL;
}

/**
 * vd_llm_settings_get_endpoint_error:
 * @self: a #VdLlmSettings
 *
 * Returns: why the saved endpoint or $VERDICT_LLM_URL is not used, "" when
 *   it is
 */
const char *
vd_llm_settings_get_endpoint_error (VdLlmSettings *self)
{
  g_return_val_if_fail (VD_IS_LLM_SETTINGS (self), NULL);

  return self->endpoint_error;
}

/**
 * vd_llm_settings_get_allow_insecure_http:
 * @self: a #VdLlmSettings
 *
 * Returns: whether the API key may go over plain http to the endpoint in
 *   use, wherever it is
 */
gboolean
vd_llm_settings_get_allow_insecure_http (VdLlmSettings *self)
{
  const char *endpoint;

  g_return_val_if_fail (VD_IS_LLM_SETTINGS (self), FALSE);

  endpoint = vd_llm_settings_get_endpoint (self);

  return endpoint[0] != '\0' && self->insecure_http_endpoint != NULL &&
         g_strcmp0 (self->insecure_http_endpoint, endpoint) == 0;
}

/**
 * vd_llm_settings_set_allow_insecure_http:
 * @self: a #VdLlmSettings
 * @allow: whether the key may go over plain http to the endpoint in use
 *
 * Saves the permission for the endpoint in use (none without one).
 */
void
vd_llm_settings_set_allow_insecure_http (VdLlmSettings *self,
                                         gboolean       allow)
{
  const char *endpoint;

  g_return_if_fail (VD_IS_LLM_SETTINGS (self));

  endpoint = vd_llm_settings_get_endpoint (self);
  if (endpoint[0] == '\0' || !!allow == vd_llm_settings_get_allow_insecure_http (self))
    return;

  write_string (self, KEY_INSECURE_HTTP_ENDPOINT, allow ? endpoint : "");
}

/**
 * vd_llm_settings_get_endpoint_from_env:
 * @self: a #VdLlmSettings
 *
 * Returns: whether $VERDICT_LLM_URL decides the endpoint
 */
gboolean
vd_llm_settings_get_endpoint_from_env (VdLlmSettings *self)
{
  g_return_val_if_fail (VD_IS_LLM_SETTINGS (self), FALSE);

  return self->endpoint_env != NULL;
}

/**
 * vd_llm_settings_get_model:
 * @self: a #VdLlmSettings
 *
 * Returns: the model in use
 */
const char *
vd_llm_settings_get_model (VdLlmSettings *self)
{
  g_return_val_if_fail (VD_IS_LLM_SETTINGS (self), NULL);

  if (self->model_env != NULL)
    return self->model_env;

  return self->model_setting != NULL ? self->model_setting : "";
}

/**
 * vd_llm_settings_set_model:
 * @self: a #VdLlmSettings
 * @model: the model name
 *
 * Saves the model setting. It takes effect unless $VERDICT_LLM_MODEL is set.
 */
void
vd_llm_settings_set_model (VdLlmSettings *self,
                           const char    *model)
{
  g_autofree char *stripped = NULL;

  g_return_if_fail (VD_IS_LLM_SETTINGS (self));

  stripped = g_strstrip (g_strdup (model != NULL ? model : ""));
  write_string (self, KEY_MODEL, stripped);
}

/**
 * vd_llm_settings_get_model_from_env:
 * @self: a #VdLlmSettings
 *
 * Returns: whether $VERDICT_LLM_MODEL decides the model
 */
gboolean
vd_llm_settings_get_model_from_env (VdLlmSettings *self)
{
  g_return_val_if_fail (VD_IS_LLM_SETTINGS (self), FALSE);

  return self->model_env != NULL;
}

/**
 * vd_llm_settings_get_connect_timeout:
 * @self: a #VdLlmSettings
 *
 * Returns: seconds to wait for a connection
 */
guint
vd_llm_settings_get_connect_timeout (VdLlmSettings *self)
{
  g_return_val_if_fail (VD_IS_LLM_SETTINGS (self), 0);

  return self->connect_timeout;
}

/**
 * vd_llm_settings_set_connect_timeout:
 * @self: a #VdLlmSettings
 * @seconds: 1..300
 *
 * Saves the connect timeout.
 */
void
vd_llm_settings_set_connect_timeout (VdLlmSettings *self,
                                     guint          seconds)
{
  g_return_if_fail (VD_IS_LLM_SETTINGS (self));

  write_uint (self, KEY_CONNECT_TIMEOUT, &self->connect_timeout,
              properties[PROP_CONNECT_TIMEOUT], CLAMP (seconds, 1, 300));
}

/**
 * vd_llm_settings_get_idle_timeout:
 * @self: a #VdLlmSettings
 *
 * Returns: seconds the model may stay silent during an answer
 */
guint
vd_llm_settings_get_idle_timeout (VdLlmSettings *self)
{
  g_return_val_if_fail (VD_IS_LLM_SETTINGS (self), 0);

  return self->idle_timeout;
}

/**
 * vd_llm_settings_set_idle_timeout:
 * @self: a #VdLlmSettings
 * @seconds: 1..3600
 *
 * Saves the idle timeout.
 */
void
vd_llm_settings_set_idle_timeout (VdLlmSettings *self,
                                  guint          seconds)
{
  g_return_if_fail (VD_IS_LLM_SETTINGS (self));

  write_uint (self, KEY_IDLE_TIMEOUT, &self->idle_timeout,
              properties[PROP_IDLE_TIMEOUT], CLAMP (seconds, 1, 3600));
}

/**
 * vd_llm_settings_get_concurrency:
 * @self: a #VdLlmSettings
 *
 * Returns: how many requests run at once
 */
guint
vd_llm_settings_get_concurrency (VdLlmSettings *self)
{
  g_return_val_if_fail (VD_IS_LLM_SETTINGS (self), 0);

  return self->concurrency;
}

/**
 * vd_llm_settings_set_concurrency:
 * @self: a #VdLlmSettings
 * @concurrency: 1..64
 *
 * Saves how many requests run at once.
 */
void
vd_llm_settings_set_concurrency (VdLlmSettings *self,
                                 guint          concurrency)
{
  g_return_if_fail (VD_IS_LLM_SETTINGS (self));

  write_uint (self, KEY_CONCURRENCY, &self->concurrency,
              properties[PROP_CONCURRENCY], CLAMP (concurrency, 1, 64));
}

/**
 * vd_llm_settings_apply_to_client:
 * @self: a #VdLlmSettings
 * @client: a #VdLlmClient
 *
 * Gives @client the endpoint, model, key, timeouts and concurrency in use.
 * Requests already running keep what they started with.
 */
void
vd_llm_settings_apply_to_client (VdLlmSettings *self,
                                 VdLlmClient   *client)
{
  const char *endpoint;

  g_return_if_fail (VD_IS_LLM_SETTINGS (self));
  g_return_if_fail (VD_IS_LLM_CLIENT (client));

  endpoint = vd_llm_settings_get_endpoint (self);
  if (endpoint[0] != '\0')
    vd_llm_client_set_base_url (client, endpoint);
  vd_llm_client_set_model (client, vd_llm_settings_get_model (self)[0] != '\0'
                                     ? vd_llm_settings_get_model (self)
                                     : VD_LLM_CLIENT_DEFAULT_MODEL);
  vd_llm_client_set_allow_insecure_http (client, vd_llm_settings_get_allow_insecure_http (self));
  vd_llm_client_set_api_key (client, self->api_key);
  vd_llm_client_set_connect_timeout (client, self->connect_timeout);
  vd_llm_client_set_idle_timeout (client, self->idle_timeout);
  vd_llm_client_set_max_concurrent (client, self->concurrency);
}

/**
 * vd_llm_settings_create_client:
 * @self: a #VdLlmSettings
 *
 * Builds a client with the configuration in use. With no endpoint
 * configured there is none: the app then works offline (items rejected
 * with feedback wait for their revision).
 *
 * Returns: (transfer full) (nullable): a new #VdLlmClient, or %NULL
 *   without an endpoint
 */
VdLlmClient *
vd_llm_settings_create_client (VdLlmSettings *self)
{
  VdLlmClient *client;

  g_return_val_if_fail (VD_IS_LLM_SETTINGS (self), NULL);

  if (vd_llm_settings_get_endpoint (self)[0] == '\0')
    return NULL;

  client = vd_llm_client_new (vd_llm_settings_get_endpoint (self), NULL);
  vd_llm_settings_apply_to_client (self, client);

  return client;
}
