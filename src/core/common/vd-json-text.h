/* vd-json-text.h
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

/**
 * VdJsonTextFlags:
 * @VD_JSON_TEXT_DEFAULT: the escapes the audit trail hashes: `\"`, `\\`,
 *   `\b`, `\f`, `\n`, `\r`, `\t`, `\u00XX` for the other C0 controls; every
 *   other byte as it is
 * @VD_JSON_TEXT_ESCAPE_INVISIBLE: characters that render as nothing
 *   (vd_unichar_is_invisible()) as `\uXXXX`, beyond the BMP as a surrogate
 *   pair, so that a reader of a policy file sees them
 * @VD_JSON_TEXT_NO_SHORT_BF: backspace and form feed as `\u0008` and
 *   `\u000c`, as the queue reader has always quoted them in its messages
 *
 * How vd_json_append_string() writes a string. The default must never
 * change: audit hashes of existing stores are computed over its output.
 */
typedef enum
{
  VD_JSON_TEXT_DEFAULT          = 0,
  VD_JSON_TEXT_ESCAPE_INVISIBLE = 1 << 0,
  VD_JSON_TEXT_NO_SHORT_BF      = 1 << 1,
} VdJsonTextFlags;

void vd_json_append_string (GString         *out,
                            const char      *text,
                            gssize           max_chars,
                            VdJsonTextFlags  flags);

G_END_DECLS
