/* vd-team-settings.h
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

G_BEGIN_DECLS

#define VD_TYPE_TEAM_SETTINGS (vd_team_settings_get_type ())

G_DECLARE_FINAL_TYPE (VdTeamSettings, vd_team_settings, VD, TEAM_SETTINGS, GObject)

/*
 * The team server the window connects to: the `team-server-uri` and
 * `team-server-sslmode` settings, and the role's password in the keyring
 * (libsecret; without a Secret Service, kept in memory until Verdict
 * quits). "changed" is emitted when the URI or the TLS mode changes.
 */

VdTeamSettings *vd_team_settings_new               (GSettings            *settings);

const char     *vd_team_settings_get_uri           (VdTeamSettings       *self);
void            vd_team_settings_set_uri           (VdTeamSettings       *self,
                                                    const char           *uri);
const char     *vd_team_settings_get_sslmode       (VdTeamSettings       *self);
void            vd_team_settings_set_sslmode       (VdTeamSettings       *self,
                                                    const char           *sslmode);
char           *vd_team_settings_dup_conninfo      (VdTeamSettings       *self);

char           *vd_team_settings_build_uri         (const char           *host,
                                                    guint                 port,
                                                    const char           *dbname,
                                                    const char           *user);
gboolean        vd_team_settings_parse_uri         (const char           *uri,
                                                    char                **host,
                                                    guint                *port,
                                                    char                **dbname,
                                                    char                **user,
                                                    GError              **error);
char           *vd_team_settings_with_sslmode      (const char           *conninfo,
                                                    const char           *sslmode);
char           *vd_team_settings_describe          (const char           *conninfo);

/* The password (vd-team-settings-keyring.c) */
void            vd_team_settings_lookup_password_async  (VdTeamSettings       *self,
                                                         const char           *uri,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
char           *vd_team_settings_lookup_password_finish (VdTeamSettings       *self,
                                                         GAsyncResult         *result,
                                                         GError              **error);
void            vd_team_settings_store_password_async   (VdTeamSettings       *self,
                                                         const char           *uri,
                                                         const char           *password,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
gboolean        vd_team_settings_store_password_finish  (VdTeamSettings       *self,
                                                         GAsyncResult         *result,
                                                         GError              **error);
gboolean        vd_team_settings_get_password_stored    (VdTeamSettings       *self);
const char     *vd_team_settings_get_password_message   (VdTeamSettings       *self);

/* Trying a connection */
void            vd_team_settings_test_async        (const char           *conninfo,
                                                    const char           *password,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
char           *vd_team_settings_test_finish       (GAsyncResult         *result,
                                                    GError              **error);

G_END_DECLS
