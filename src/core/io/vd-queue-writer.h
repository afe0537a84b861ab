/* vd-queue-writer.h
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

#include "vd-types.h"

G_BEGIN_DECLS

/*
 * Writes "verdict-queue v1" lines (docs/formats.md): the inverse of
 * VdQueueReader. An item written here and read back has the same fields,
 * attachments included (as inline `data`, or the `url` of a link).
 * Attachments must carry their bytes (or a source path to read them from)
 * unless they are links: an item read from a store has only the hashes, so
 * fill them from vd_store_read_attachment() first.
 *
 * Only an undecided item with a confidence can be written: the format has
 * no room for decided items nor for a missing confidence, and refuses them
 * (VD_QUEUE_ERROR_INVALID).
 */

char *vd_queue_writer_format_header (const char  *queue,
                                     const char  *source,
                                     JsonObject  *extra);
char *vd_queue_writer_format_item   (VdItem      *item,
                                     GError     **error);
gboolean vd_queue_writer_append_item (GString    *out,
                                      VdItem     *item,
                                      GError    **error);

G_END_DECLS
