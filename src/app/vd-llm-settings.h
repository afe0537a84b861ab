/* vd-llm-settings.h
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

#include <gio/gio.h>

#include "vd-llm-client.h"

G_BEGIN_DECLS

/**
 * VdReachability:
 * @VD_REACHABILITY_UNKNOWN: not probed yet (or a probe is running for a
 *   changed endpoint)
 * @VD_REACHABILITY_REACHABLE: the endpoint answered
 * @VD_REACHABILITY_UNREACHABLE: no answer (see #VdLlmSettings:last-error)
 *
 * Whether the model endpoint answered the last probe.
 */
typedef enum
{
  VD_REACHABILITY_UNKNOWN,
  VD_REACHABILITY_REACHABLE,
  VD_REACHABILITY_UNREACHABLE,
} VdReachability;

#define VD_LLM_SETTINGS_SECRET_SCHEMA "io.github.verdict.Verdict.ApiKey"

#define VD_TYPE_LLM_SETTINGS (vd_llm_settings_get_type ())

G_DECLARE_FINAL_TYPE (VdLlmSettings, vd_llm_settings, VD, LLM_SETTINGS, GObject)

VdLlmSettings  *vd_llm_settings_new                    (GSettings            *settings);

gboolean        vd_llm_settings_check_endpoint         (const char           *endpoint,
                                                        GError              **error);

GSettings      *vd_llm_settings_get_settings           (VdLlmSettings        *self);
const char     *vd_llm_settings_get_endpoint           (VdLlmSettings        *self);
gboolean        vd_llm_settings_set_endpoint           (VdLlmSettings        *self,
                                                        const char           *endpoint);
gboolean        vd_llm_settings_get_endpoint_from_env  (VdLlmSettings        *self);
gboolean        vd_llm_settings_get_configured         (VdLlmSettings        *self);
const char     *vd_llm_settings_get_endpoint_error     (VdLlmSettings        *self);
gboolean        vd_llm_settings_get_allow_insecure_http (VdLlmSettings       *self);
void            vd_llm_settings_set_allow_insecure_http (VdLlmSettings       *self,
                                                         gboolean             allow);
const char     *vd_llm_settings_get_model              (VdLlmSettings        *self);
void            vd_llm_settings_set_model              (VdLlmSettings        *self,
                                                        const char           *model);
gboolean        vd_llm_settings_get_model_from_env     (VdLlmSettings        *self);
guint           vd_llm_settings_get_connect_timeout    (VdLlmSettings        *self);
void            vd_llm_settings_set_connect_timeout    (VdLlmSettings        *self,
                                                        guint                 seconds);
guint           vd_llm_settings_get_idle_timeout       (VdLlmSettings        *self);
void            vd_llm_settings_set_idle_timeout       (VdLlmSettings        *self,
                                                        guint                 seconds);
guint           vd_llm_settings_get_concurrency        (VdLlmSettings        *self);
void            vd_llm_settings_set_concurrency        (VdLlmSettings        *self,
                                                        guint                 concurrency);

gboolean        vd_llm_settings_get_has_api_key        (VdLlmSettings        *self);
gboolean        vd_llm_settings_get_key_stored         (VdLlmSettings        *self);
const char     *vd_llm_settings_get_key_message        (VdLlmSettings        *self);
gboolean        vd_llm_settings_get_key_loading        (VdLlmSettings        *self);
void            vd_llm_settings_set_api_key_async      (VdLlmSettings        *self,
                                                        const char           *api_key,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
gboolean        vd_llm_settings_set_api_key_finish     (VdLlmSettings        *self,
                                                        GAsyncResult         *result,
                                                        GError              **error);

VdReachability  vd_llm_settings_get_reachable          (VdLlmSettings        *self);
const char     *vd_llm_settings_get_last_error         (VdLlmSettings        *self);
gboolean        vd_llm_settings_get_probing            (VdLlmSettings        *self);
void            vd_llm_settings_probe                  (VdLlmSettings        *self);
void            vd_llm_settings_probe_async            (VdLlmSettings        *self,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
VdReachability  vd_llm_settings_probe_finish           (VdLlmSettings        *self,
                                                        GAsyncResult         *result,
                                                        GError              **error);

VdLlmClient    *vd_llm_settings_create_client          (VdLlmSettings        *self);
void            vd_llm_settings_apply_to_client        (VdLlmSettings        *self,
                                                        VdLlmClient          *client);

G_END_DECLS
