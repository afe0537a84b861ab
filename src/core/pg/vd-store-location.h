/* vd-store-location.h
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

#include "vd-store.h"

G_BEGIN_DECLS

gboolean  vd_store_location_is_postgresql (const char  *location);
VdStore  *vd_store_open_location          (const char  *location,
                                           GError     **error);

G_END_DECLS
