/* vd-signing-status.h
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

#define VD_TYPE_SIGNING_STATUS (vd_signing_status_get_type ())

G_DECLARE_FINAL_TYPE (VdSigningStatus, vd_signing_status, VD, SIGNING_STATUS, AdwBin)

VdSession  *vd_signing_status_get_session (VdSigningStatus *self);
void        vd_signing_status_set_session (VdSigningStatus *self,
                                           VdSession       *session);
const char *vd_signing_status_get_text    (VdSigningStatus *self);

G_END_DECLS
