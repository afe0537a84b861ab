/* vd-format.c
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

#define G_LOG_DOMAIN "vd-format"

#include "config.h"

#include "vd-format.h"

/* Placeholder on the langgraph branch: the core helper's vd-format.c (the
 * table, lookup, detect and check) replaces this file at merge. */
G_DEFINE_QUARK (vd-format-error-quark, vd_format_error)
