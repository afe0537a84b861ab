/* vd-agent-banner.h
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

#include <gtk/gtk.h>

#include "vd-llm-settings.h"

G_BEGIN_DECLS

#define VD_TYPE_AGENT_BANNER (vd_agent_banner_get_type ())

G_DECLARE_FINAL_TYPE (VdAgentBanner, vd_agent_banner, VD, AGENT_BANNER, GtkWidget)

GtkWidget     *vd_agent_banner_new              (void);
VdLlmSettings *vd_agent_banner_get_llm_settings (VdAgentBanner *self);
void           vd_agent_banner_set_llm_settings (VdAgentBanner *self,
                                                 VdLlmSettings *llm_settings);
gboolean       vd_agent_banner_get_revealed     (VdAgentBanner *self);
const char    *vd_agent_banner_get_text         (VdAgentBanner *self);
gboolean       vd_agent_banner_get_checking     (VdAgentBanner *self);
void           vd_agent_banner_dismiss          (VdAgentBanner *self);
void           vd_agent_banner_retry            (VdAgentBanner *self);

G_END_DECLS
