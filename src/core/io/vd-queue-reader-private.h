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

#include <json-glib/json-glib.h>

#include "vd-queue-reader.h"

G_BEGIN_DECLS

/* The state of one read, shared by vd-queue-reader.c (the scanners) and
 * vd-queue-reader-fields.c (the header's and the items' fields). */
typedef enum
{
  VD_QUEUE_MODE_UNKNOWN,     /* only white space so far */
  VD_QUEUE_MODE_LINES,       /* JSON Lines */
  VD_QUEUE_MODE_ARRAY,       /* inside the top-level array */
  VD_QUEUE_MODE_ARRAY_DONE,  /* after the closing bracket */
} VdQueueMode;

typedef enum
{
  VD_QUEUE_ARRAY_EXPECT_FIRST,  /* after `[` */
  VD_QUEUE_ARRAY_EXPECT_VALUE,  /* after `,` */
  VD_QUEUE_ARRAY_AFTER_VALUE,   /* after an item */
  VD_QUEUE_ARRAY_IN_ITEM,
} VdQueueArrayState;

typedef struct
{
  VdQueueReader     *reader;
  const char        *display_name;
  char              *default_queue;
  char              *queue;        /* the header's queue, else default_queue */
  char              *source;
  JsonParser        *parser;
  GPtrArray         *items;
  /* The task ids seen, as keyed hashes of "queue\x1ftask_id" -> first line */
  guint64           *seen_hashes;
  guint             *seen_lines;
  gsize              seen_size;
  gsize              seen_count;
  guint8             seen_key[16];
  GDateTime         *now;
  char              *folder;       /* the real path of the queue's folder, nullable */
  GError            *error;        /* the first fatal error */

  VdQueueMode        mode;
  guint              line;         /* line of the byte being scanned, from 1 */
  guint              lead;         /* white space skipped on the first line */
  guint              n_records;    /* records (header or items) seen */
  gboolean           header_seen;

  GString           *buf;          /* current line, or current array item */
  gboolean           overlong;     /* dropping the rest of an overlong record */

  VdQueueArrayState array_state;
  guint              item_line;
  guint              item_depth;
  gboolean           in_string;
  gboolean           escape;
  char               last_byte;    /* the last byte fed */
} VdQueueParse;

void       _vd_queue_reader_append_found_string (GString       *out,
                                                 const char    *text);
char      *_vd_queue_reader_dup_found           (JsonNode      *node);
gboolean   _vd_queue_reader_parse_header        (VdQueueParse  *p,
                                                 JsonObject    *object,
                                                 GError       **error);
VdItem    *_vd_queue_reader_parse_item          (VdQueueParse  *p,
                                                 JsonObject    *object,
                                                 GError       **error);
gboolean   _vd_queue_reader_parse_content_types (JsonObject   *object,
                                                 VdItem       *item,
                                                 GError      **error);
gboolean   _vd_queue_reader_parse_attachments   (VdQueueParse *p,
                                                 JsonObject   *object,
                                                 VdItem       *item,
                                                 GError      **error);

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
