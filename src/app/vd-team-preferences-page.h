/* vd-team-preferences-page.h
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

#include "vd-team-settings.h"

G_BEGIN_DECLS

#define VD_TYPE_TEAM_PREFERENCES_PAGE (vd_team_preferences_page_get_type ())

/*
 * The "Team Server" page of the preferences: server, port, database,
 * user, TLS mode and password of a PostgreSQL team database. Connect
 * tries it on a worker thread and says what the server or libpq said;
 * once it answers, the settings and the password (in the keyring) are
 * saved and the application opens the team database. "Use Local
 * Database" goes back to the file on this computer.
 */
G_DECLARE_FINAL_TYPE (VdTeamPreferencesPage, vd_team_preferences_page,
                      VD, TEAM_PREFERENCES_PAGE, AdwPreferencesPage)

GtkWidget      *vd_team_preferences_page_new        (VdTeamSettings        *settings);
VdTeamSettings *vd_team_preferences_page_get_settings (VdTeamPreferencesPage *self);
const char     *vd_team_preferences_page_get_status (VdTeamPreferencesPage *self);
gboolean        vd_team_preferences_page_get_busy   (VdTeamPreferencesPage *self);

G_END_DECLS
