/* vd-team-settings-private.h: what the split files of VdTeamSettings share
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

/* For vd-team-settings*.c only. */

#pragma once

#include "vd-team-settings.h"

G_BEGIN_DECLS

#define VD_TEAM_SETTINGS_SECRET_SCHEMA "io.github.verdict.Verdict.TeamServer"

struct _VdTeamSettings
{
  GObject     parent_instance;

  GSettings  *settings;          /* NULL: kept in memory */
  char       *uri;
  char       *sslmode;

  /* The password: the keyring's, or kept here when there is none. */
  GHashTable *memory_passwords;  /* uri -> password */
  gboolean    no_keyring;
  gboolean    password_stored;
  char       *password_message;
};

enum {
  PROP_0,
  PROP_URI,
  PROP_SSLMODE,
  PROP_PASSWORD_STORED,
  PROP_PASSWORD_MESSAGE,
  N_PROPS
};

void _vd_team_settings_notify        (VdTeamSettings *self,
                                      guint           prop_id);
void _vd_team_settings_wipe          (char          **password);

G_END_DECLS
