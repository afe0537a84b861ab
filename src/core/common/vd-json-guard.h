/* vd-json-guard.h
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

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* How deep any JSON the engine reads may nest. json-glib recurses once per
 * level, so an unbounded depth is a stack overflow; real queue files,
 * policies and model answers stay under ten. */
#define VD_JSON_MAX_DEPTH 64

#define VD_JSON_GUARD_ERROR (vd_json_guard_error_quark ())

/**
 * VdJsonGuardError:
 * @VD_JSON_GUARD_ERROR_TOO_DEEP: arrays and objects nest deeper than allowed
 * @VD_JSON_GUARD_ERROR_TOO_LARGE: the text is larger than allowed
 * @VD_JSON_GUARD_ERROR_ENCODING: a string is not valid UTF-8 once its escapes
 *   are decoded (a lone surrogate such as `\ud800`), or holds a NUL
 *   (`\u0000`, which json-glib would silently cut the string at)
 * @VD_JSON_GUARD_ERROR_NOT_FINITE: a number too large to represent (`1e999`)
 * @VD_JSON_GUARD_ERROR_RANGE: an integer outside the 64-bit range, which
 *   json-glib would wrap around silently (2^64 - 1 reads as -1)
 * @VD_JSON_GUARD_ERROR_SYNTAX: not JSON at all
 *
 * Why a JSON text was refused before or after json-glib read it.
 */
typedef enum
{
  VD_JSON_GUARD_ERROR_TOO_DEEP,
  VD_JSON_GUARD_ERROR_TOO_LARGE,
  VD_JSON_GUARD_ERROR_ENCODING,
  VD_JSON_GUARD_ERROR_NOT_FINITE,
  VD_JSON_GUARD_ERROR_RANGE,
  VD_JSON_GUARD_ERROR_SYNTAX,
} VdJsonGuardError;

GQuark      vd_json_guard_error_quark          (void);

gboolean    vd_json_guard_scan                 (const char  *data,
                                                gsize        length,
                                                guint        max_depth,
                                                guint       *line,
                                                guint       *column,
                                                GError     **error);
gboolean    vd_json_guard_check_node           (JsonNode    *node,
                                                const char  *field,
                                                GError     **error);
JsonNode   *vd_json_guard_parse                (const char  *data,
                                                gsize        length,
                                                gsize        max_length,
                                                GError     **error);
const char *vd_json_guard_split_parser_message (const char  *message,
                                                guint64     *line,
                                                guint64     *column);

G_END_DECLS
