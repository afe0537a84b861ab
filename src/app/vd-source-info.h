/* vd-source-info.h
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

#include "vd-item.h"

G_BEGIN_DECLS

/*
 * What the window says about an item that came from another tool
 * (vd_item_get_source()): the tool's name, its ids, the item's place in a
 * group, the decisions the tool accepts, and how a confidence reads when
 * the tool gave none. Every function reads only VdItem's API and checks
 * each JSON member's type: the source record comes from a file.
 */

const char *vd_source_info_tool_name          (VdItem         *item);
char       *vd_source_info_format_ids         (VdItem         *item);
gboolean    vd_source_info_get_group          (VdItem         *item,
                                               const char    **group,
                                               gint64         *index,
                                               gint64         *size);
char       *vd_source_info_format_position    (VdItem         *item);
char       *vd_source_info_format_marker      (VdItem         *item);
char       *vd_source_info_format_sibling     (VdItem         *item);
char       *vd_source_info_format_allowed     (VdItem         *item);
gboolean    vd_source_info_reject_drops_group (VdItem         *item);
const char *vd_source_info_reject_drops_note  (void);
char       *vd_source_info_format_confidence  (VdItem         *item);
const char *vd_source_info_no_confidence      (void);
char       *vd_source_info_format_summary     (VdItem         *item);

G_END_DECLS
