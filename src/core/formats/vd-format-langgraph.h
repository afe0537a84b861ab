/* vd-format-langgraph.h
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

/* The largest LangGraph file read: a thread list with its interrupts. */
#define VD_FORMAT_LANGGRAPH_MAX_BYTES (64 * 1024 * 1024)

/* The reject message sent when the reviewer gave no feedback: the agent
 * must read a refusal, never a plain success. */
#define VD_FORMAT_LANGGRAPH_DEFAULT_REJECT "Rejected by the reviewer in Verdict."

const VdFormatClass *vd_format_langgraph_get_class (void);

G_END_DECLS
