/* vd-passphrase.h: reading a passphrase without echo or argv
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
 * A passphrase comes, in this order, from @passphrase_file (its first line,
 * or the next line on each call for the same file name, so that
 * change-passphrase reads the old and then the new one), from the file
 * descriptor named in $VERDICT_PASSPHRASE_FD (one line per call), or from
 * the terminal (/dev/tty) with echo off, after printing @prompt to it. The
 * result lives in sodium_malloc() memory: free it with vd_passphrase_free(),
 * which wipes it. A trailing "\n" or "\r\n" is not part of the passphrase.
 * With no source (no file, no descriptor, no terminal) the error says how
 * to give one.
 */

char     *vd_passphrase_read  (const char   *prompt,
                               const char   *passphrase_file,
                               GError      **error);
void      vd_passphrase_free  (char         *passphrase);


G_END_DECLS
