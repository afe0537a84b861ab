/* vd-sign-in-page.h
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

#define VD_TYPE_SIGN_IN_PAGE (vd_sign_in_page_get_type ())

G_DECLARE_FINAL_TYPE (VdSignInPage, vd_sign_in_page, VD, SIGN_IN_PAGE, AdwBin)

VdSignInPage *vd_sign_in_page_new         (VdSession    *session);
void          vd_sign_in_page_reset       (VdSignInPage *self);
gboolean      vd_sign_in_page_get_busy    (VdSignInPage *self);
const char   *vd_sign_in_page_get_error   (VdSignInPage *self);

G_END_DECLS
