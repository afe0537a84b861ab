/* vd-agent-preferences-page.h
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

#include <adwaita.h>

#include "vd-llm-settings.h"

G_BEGIN_DECLS

#define VD_TYPE_AGENT_PREFERENCES_PAGE (vd_agent_preferences_page_get_type ())

/*
 * The "Agent" page of the preferences: the model endpoint, the API key,
 * timeouts and concurrency, and a connection test, all edited through a
 * #VdLlmSettings. Add it to a preferences window with
 * adw_preferences_window_add (window, ADW_PREFERENCES_PAGE (page)).
 */
G_DECLARE_FINAL_TYPE (VdAgentPreferencesPage, vd_agent_preferences_page,
                      VD, AGENT_PREFERENCES_PAGE, AdwPreferencesPage)

GtkWidget     *vd_agent_preferences_page_new          (VdLlmSettings          *settings);
VdLlmSettings *vd_agent_preferences_page_get_settings (VdAgentPreferencesPage *self);
void           vd_agent_preferences_page_set_settings (VdAgentPreferencesPage *self,
                                                       VdLlmSettings          *settings);

G_END_DECLS
