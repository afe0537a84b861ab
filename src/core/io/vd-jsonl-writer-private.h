/* vd-jsonl-writer-private.h
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
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Writes JSON Lines to a stream in blocks, one object a line: the
 * exports (decisions, outputs, training data) stream whole stores
 * through it without holding them. Numbers are written in their
 * shortest exact form (vd_json_append_node()). */
typedef struct
{
  GOutputStream *stream;
  GCancellable  *cancellable;
  GString       *buffer;
} VdJsonlWriter;

void     _vd_jsonl_writer_init  (VdJsonlWriter  *writer,
                                 GOutputStream  *stream,
                                 GCancellable   *cancellable);
void     _vd_jsonl_writer_clear (VdJsonlWriter  *writer);
gboolean _vd_jsonl_writer_add   (VdJsonlWriter  *writer,
                                 JsonBuilder    *builder,
                                 GError        **error);
gboolean _vd_jsonl_writer_flush (VdJsonlWriter  *writer,
                                 GError        **error);

void     _vd_jsonl_add_string   (JsonBuilder    *builder,
                                 const char     *name,
                                 const char     *value);

G_END_DECLS
