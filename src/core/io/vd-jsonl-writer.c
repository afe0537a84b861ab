/* vd-jsonl-writer.c
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

#define G_LOG_DOMAIN "vd-jsonl-writer"

#include "config.h"

#include "vd-json-write.h"
#include "vd-jsonl-writer-private.h"

/* Output is written in blocks of about this size. */
#define WRITE_BLOCK (64 * 1024)

void
_vd_jsonl_writer_init (VdJsonlWriter *writer,
                       GOutputStream *stream,
                       GCancellable  *cancellable)
{
  g_assert (writer != NULL);
  g_assert (G_IS_OUTPUT_STREAM (stream));

  writer->stream = stream;
  writer->cancellable = cancellable;
  writer->buffer = g_string_sized_new (WRITE_BLOCK + 4096);
}

/* Drops what was not flushed. */
void
_vd_jsonl_writer_clear (VdJsonlWriter *writer)
{
  if (writer->buffer != NULL)
    g_string_free (g_steal_pointer (&writer->buffer), TRUE);
}

gboolean
_vd_jsonl_writer_flush (VdJsonlWriter  *writer,
                        GError        **error)
{
  gboolean ok;

  if (writer->buffer->len == 0)
    return TRUE;

  ok = g_output_stream_write_all (writer->stream, writer->buffer->str, writer->buffer->len,
                                  NULL, writer->cancellable, error);
  g_string_truncate (writer->buffer, 0);
  return ok;
}

/* Takes @builder's object as one line. */
gboolean
_vd_jsonl_writer_add (VdJsonlWriter  *writer,
                      JsonBuilder    *builder,
                      GError        **error)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);

  vd_json_append_node (writer->buffer, root, FALSE);
  g_string_append_c (writer->buffer, '\n');

  if (writer->buffer->len >= WRITE_BLOCK)
    return _vd_jsonl_writer_flush (writer, error);

  return TRUE;
}

/* A text member; the export formats write a missing text as "". */
void
_vd_jsonl_add_string (JsonBuilder *builder,
                      const char  *name,
                      const char  *value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value != NULL ? value : "");
}
