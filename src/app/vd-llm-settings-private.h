/* vd-llm-settings-private.h
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


#pragma once

#include <libsoup/soup.h>

#include "vd-llm-settings.h"

G_BEGIN_DECLS

struct _VdLlmSettings
{
  GObject         parent_instance;

  GSettings      *settings;

  char           *endpoint_setting;   /* "" when the setting was refused */
  char           *endpoint_env;       /* "" when the variable was refused */
  gboolean        setting_refused;
  gboolean        env_refused;
  char           *endpoint_error;
  char           *insecure_http_endpoint;
  char           *model_setting;
  char           *model_env;
  guint           connect_timeout;
  guint           idle_timeout;
  guint           concurrency;

  /* The key in use, for the effective endpoint, wiped when dropped. */
  char           *api_key;
  gboolean        key_stored;
  gboolean        no_keyring;
  char           *key_message;
  gboolean        key_loading;
  guint           key_generation;
  guint           key_timeout_id;

  /* Whether the endpoint may be probed: set when it was configured
   * explicitly or an agent feature asked for it. */
  gboolean        probe_wanted;
  VdReachability  reachable;
  char           *last_error;
  SoupSession    *probe_session;
  GCancellable   *probe_cancellable;
  GPtrArray      *probe_waiters;
  guint           reprobe_id;
};

typedef enum {
  PROP_0,
  PROP_SETTINGS,
  PROP_ENDPOINT,
  PROP_ENDPOINT_FROM_ENV,
  PROP_ENDPOINT_ERROR,
  PROP_ALLOW_INSECURE_HTTP,
  PROP_MODEL,
  PROP_MODEL_FROM_ENV,
  PROP_CONNECT_TIMEOUT,
  PROP_IDLE_TIMEOUT,
  PROP_CONCURRENCY,
  PROP_HAS_API_KEY,
  PROP_KEY_STORED,
  PROP_KEY_MESSAGE,
  PROP_KEY_LOADING,
  PROP_REACHABLE,
  PROP_LAST_ERROR,
  PROP_PROBING,
  N_PROPS
} VdLlmSettingsProp;

enum {
  CHANGED,
  N_SIGNALS
};

void      _vd_llm_settings_notify         (VdLlmSettings     *self,
                                           VdLlmSettingsProp  prop);
void      _vd_llm_settings_emit_changed   (VdLlmSettings     *self);
gboolean  _vd_llm_settings_set_string     (char             **field,
                                           const char        *value);

/* vd-llm-settings-keyring.c */
void      _vd_llm_settings_wipe_key       (char             **key);
void      _vd_llm_settings_lookup_key     (VdLlmSettings     *self);

/* vd-llm-settings-probe.c */
void      _vd_llm_settings_set_last_error (VdLlmSettings     *self,
                                           const char        *message);
void      _vd_llm_settings_set_reachable  (VdLlmSettings     *self,
                                           VdReachability     reachable);
void      _vd_llm_settings_reprobe        (VdLlmSettings     *self);

G_END_DECLS
