/* vd-timestamp.h
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

/* RFC 3339 timestamps as the file formats use them. A timestamp with no
 * zone (as Python's datetime.isoformat() writes) is local time. */
GDateTime *vd_timestamp_parse        (const char *text);
char      *vd_timestamp_format       (GDateTime  *datetime);
GDateTime *vd_timestamp_from_usec    (gint64      usec);
gint64     vd_timestamp_to_usec      (GDateTime  *datetime);
GDateTime *vd_timestamp_now          (void);

G_END_DECLS
