/* vd-json-changes.h
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

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

char *vd_json_changes_describe (JsonNode   *old_node,
                                JsonNode   *new_node,
                                guint      *n_changes);
char *vd_json_path_append      (const char *path,
                                const char *key);

G_END_DECLS
