/* vd-llm-client-private.h
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

#include "vd-llm-client.h"

G_BEGIN_DECLS

JsonObject *_vd_llm_extract_json_object (const char *text);
gboolean    _vd_llm_parse_retry_after   (const char *value,
                                         GDateTime  *now,
                                         guint      *seconds);

G_END_DECLS
