/* vd-queue-reader.h
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

#include <gio/gio.h>

#include "vd-types.h"

G_BEGIN_DECLS

#define VD_QUEUE_ERROR (vd_queue_error_quark ())

typedef enum
{
  VD_QUEUE_ERROR_INVALID,     /* a line or field is invalid; the message names file:line: field */
  VD_QUEUE_ERROR_ENCODING,    /* not UTF-8 */
  VD_QUEUE_ERROR_TOO_LONG,    /* a line over the limit */
  VD_QUEUE_ERROR_DUPLICATE,   /* the same task_id twice in one file */
  VD_QUEUE_ERROR_VERSION,     /* a header with a format version this build does not read */
  VD_QUEUE_ERROR_EMPTY,       /* no items at all */
} VdQueueError;

GQuark vd_queue_error_quark (void);

/* The longest line a queue file may have. */
#define VD_QUEUE_MAX_LINE (16 * 1024 * 1024)

#define VD_TYPE_QUEUE_READER (vd_queue_reader_get_type ())

G_DECLARE_FINAL_TYPE (VdQueueReader, vd_queue_reader, VD, QUEUE_READER, GObject)

/*
 * Reads a "verdict-queue v1" file (JSON Lines with an optional header line,
 * or one JSON array of items) into VdItem objects. Reading is all or nothing
 * unless skip-invalid is set, in which case each bad line is reported in
 * vd_queue_reader_get_problems() and the good ones are kept.
 *
 * Every error message has the form "FILE:LINE: FIELD: expected ..., found ..."
 * (FILE is the display name; for a JSON array LINE is the line where the
 * item starts).
 */

/* Called during a read with each batch of items read and checked, in
 * order; takes the array. Returning FALSE (with @error set) stops the read
 * with that error. */
typedef gboolean (*VdQueueBatchFunc) (GPtrArray  *items,
                                      gpointer    user_data,
                                      GError    **error);

VdQueueReader *vd_queue_reader_new             (void);
void           vd_queue_reader_set_skip_invalid (VdQueueReader  *self,
                                                 gboolean        skip_invalid);
gboolean       vd_queue_reader_get_skip_invalid (VdQueueReader  *self);

/* The folder that attachment paths are relative to. read_file() uses the
 * file's own folder unless one is set; read_data() refuses attachment
 * paths without one. */
void           vd_queue_reader_set_base_folder (VdQueueReader  *self,
                                                GFile          *folder);
GFile         *vd_queue_reader_get_base_folder (VdQueueReader  *self);

/* Parses @data; @display_name is used in messages and, without a header, its
 * base name without extension is the queue name. */
GPtrArray     *vd_queue_reader_read_data       (VdQueueReader  *self,
                                                const char     *data,
                                                gsize           length,
                                                const char     *display_name,
                                                VdProgressFunc  progress,
                                                gpointer        progress_data,
                                                GCancellable   *cancellable,
                                                GError        **error);
GPtrArray     *vd_queue_reader_read_file       (VdQueueReader  *self,
                                                GFile          *file,
                                                VdProgressFunc  progress,
                                                gpointer        progress_data,
                                                GCancellable   *cancellable,
                                                GError        **error);

/* After a read: the queue name used, the header's source (nullable), and
 * with skip-invalid the messages of the lines that were left out. */
const char    *vd_queue_reader_get_queue       (VdQueueReader  *self);
const char    *vd_queue_reader_get_source      (VdQueueReader  *self);
GPtrArray     *vd_queue_reader_get_problems    (VdQueueReader  *self);
guint          vd_queue_reader_get_n_problems  (VdQueueReader  *self);

/* Streams the items instead of returning them: a read then returns an
 * empty array, and @func receives every item in batches of @batch_size
 * (the last one shorter). A read that fails afterwards may have delivered
 * some batches already. @func NULL returns to reading whole files. */
void           vd_queue_reader_set_batch_func  (VdQueueReader    *self,
                                                guint             batch_size,
                                                VdQueueBatchFunc  func,
                                                gpointer          user_data);
gboolean       vd_queue_reader_get_file_hash   (VdQueueReader  *self,
                                                guint8         *hash);

char          *vd_queue_name_from_display_name (const char     *display_name);

G_END_DECLS
