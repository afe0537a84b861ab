/* vd-test-schema.h
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

#include <glib.h>

G_BEGIN_DECLS

void vd_test_store_undo_four_eyes_schema (const char *path);
void vd_test_store_undo_formats_schema  (const char *path);
void vd_test_store_undo_insights_schema (const char *path);

G_END_DECLS
