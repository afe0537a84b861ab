/* vd-timing.h
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

/*
 * Start-up markers for measurements. With VERDICT_TIMING=1 in the
 * environment, vd_timing_mark() prints
 * `verdict-timing: NAME <milliseconds since process start>` on standard
 * output, once per name. The process start is what vd_timing_init() saw,
 * called first thing in main(); without it, the first marker's time.
 */

void      vd_timing_init    (void);
gboolean  vd_timing_enabled (void);
gint64    vd_timing_elapsed (void);
void      vd_timing_mark    (const char *name);

G_END_DECLS
