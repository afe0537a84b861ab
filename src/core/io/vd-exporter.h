/* vd-exporter.h
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

#include "vd-format.h"
#include "vd-store.h"

G_BEGIN_DECLS

typedef enum
{
  VD_EXPORT_DECISIONS,   /* "verdict-decisions v1": every decision with its audit link */
  VD_EXPORT_OUTPUTS,     /* "verdict-outputs v1": the final output of every decided item */
} VdExportKind;

#define VD_TYPE_EXPORTER (vd_exporter_get_type ())

G_DECLARE_FINAL_TYPE (VdExporter, vd_exporter, VD, EXPORTER, GObject)

/*
 * Writes exports as JSON Lines. A file is written to a temporary name and
 * renamed into place, so a failed export never leaves half a file; the
 * export itself is recorded in the audit trail.
 *
 * A file export is signed: `FILE.minisig` beside it, in minisign's format,
 * by the exporting reviewer's unlocked key (vd_exporter_set_reviewer()) or
 * else the store's installation key, with the trusted comment
 * `verdict-decisions v1 head=SEQ:HASH lines=N signer=OWNER` (see
 * vd_export_format_trusted_comment()). Each line of a decisions export
 * carries its audit event's canonical text, key id, signature and the
 * signer's public key (docs/formats.md). An export to a stream is not
 * signed as a whole.
 */

VdExporter *vd_exporter_new            (VdStore             *store);
void        vd_exporter_set_reviewer   (VdExporter          *self,
                                        const char          *reviewer_id);
gboolean    vd_exporter_sign_file      (VdExporter          *self,
                                        GFile               *file,
                                        const char          *format,
                                        guint64              lines,
                                        char               **key_id,
                                        GCancellable        *cancellable,
                                        GError             **error);
char       *vd_export_format_trusted_comment (const char    *format,
                                              gint64         head_seq,
                                              const char    *head_hash,
                                              guint64        lines,
                                              const char    *signer);

/* Writes to @stream (e.g. standard output); returns the number of records. */
gboolean    vd_exporter_write          (VdExporter          *self,
                                        VdExportKind         kind,
                                        GOutputStream       *stream,
                                        const char          *destination,
                                        guint64             *n_records,
                                        GCancellable        *cancellable,
                                        GError             **error);
gboolean    vd_exporter_export_file    (VdExporter          *self,
                                        VdExportKind         kind,
                                        GFile               *file,
                                        guint64             *n_records,
                                        GCancellable        *cancellable,
                                        GError             **error);
void        vd_exporter_export_file_async  (VdExporter          *self,
                                            VdExportKind         kind,
                                            GFile               *file,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gboolean    vd_exporter_export_file_finish (VdExporter          *self,
                                            GAsyncResult        *result,
                                            guint64             *n_records,
                                            GError             **error);

/* Other tools' formats (see vd-format.h): the answers to their items. */
gboolean    vd_exporter_export_format_file        (VdExporter          *self,
                                                   const char          *format,
                                                   const char          *queue,
                                                   GFile               *file,
                                                   VdFormatSummary     *summary,
                                                   GCancellable        *cancellable,
                                                   GError             **error);
void        vd_exporter_export_format_file_async  (VdExporter          *self,
                                                   const char          *format,
                                                   const char          *queue,
                                                   GFile               *file,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
gboolean    vd_exporter_export_format_file_finish (VdExporter          *self,
                                                   GAsyncResult        *result,
                                                   VdFormatSummary     *summary,
                                                   GError             **error);

G_END_DECLS
