/* vd-json-write.h
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

void  vd_json_append_double  (GString  *out,
                              double    value);
void  vd_json_append_node    (GString  *out,
                              JsonNode *node,
                              gboolean  pretty);
char *vd_json_node_to_string (JsonNode *node,
                              gboolean  pretty);

G_END_DECLS
