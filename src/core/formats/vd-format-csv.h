/* vd-format-csv.h
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

#include "vd-format.h"

G_BEGIN_DECLS

/*
 * CSV of decisions for spreadsheets (write only): RFC 4180, UTF-8 without a
 * byte order mark, one header row, one row per decided item of any format.
 * Cells that a spreadsheet would read as a formula get a leading
 * apostrophe (vd_format_csv_append_cell()).
 */

const VdFormatClass *vd_format_csv_get_class   (void);

void                 vd_format_csv_append_cell (GString    *out,
                                                const char *text);

G_END_DECLS
