/* vd-text.h
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

gboolean vd_text_is_empty        (const char  *text);
gboolean vd_text_is_blank        (const char  *text);
gboolean vd_text_line_is_blank   (const char  *line,
                                  gsize        length);
gboolean vd_unichar_is_invisible (gunichar     c);

gboolean vd_set_str              (char       **str_pointer,
                                  const char  *new_str);

G_END_DECLS
