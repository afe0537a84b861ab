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
 */

VdExporter *vd_exporter_new            (VdStore             *store);

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

G_END_DECLS
