/* vd-queue-reader-private.h
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

#include "vd-queue-reader.h"

G_BEGIN_DECLS

GPtrArray *_vd_queue_reader_read_data_chunked (VdQueueReader  *self,
                                               const char     *data,
                                               gsize           length,
                                               gsize           chunk_size,
                                               const char     *display_name,
                                               VdProgressFunc  progress,
                                               gpointer        progress_data,
                                               GCancellable   *cancellable,
                                               GError        **error);

G_END_DECLS
