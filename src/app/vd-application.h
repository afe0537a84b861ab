/* vd-application.h
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

#include "vd-core.h"
#include "vd-session.h"

G_BEGIN_DECLS

#define VD_TYPE_APPLICATION (vd_application_get_type ())

G_DECLARE_FINAL_TYPE (VdApplication, vd_application, VD, APPLICATION, AdwApplication)

VdApplication *vd_application_new          (const char         *application_id,
                                            GApplicationFlags   flags);
VdSession     *vd_application_get_session  (VdApplication      *self);
char          *vd_application_dup_samples_dir (VdApplication   *self);

GSettings     *vd_application_new_settings (void);

G_END_DECLS
