/* vd-preferences-window.h
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

#include "vd-session.h"

G_BEGIN_DECLS

#define VD_TYPE_PREFERENCES_WINDOW (vd_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (VdPreferencesWindow, vd_preferences_window, VD, PREFERENCES_WINDOW,
                      AdwPreferencesWindow)

VdPreferencesWindow *vd_preferences_window_new (VdSession *session);

G_END_DECLS
