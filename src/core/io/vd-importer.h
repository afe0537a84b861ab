/* vd-importer.h
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

#define VD_TYPE_IMPORTER (vd_importer_get_type ())

G_DECLARE_FINAL_TYPE (VdImporter, vd_importer, VD, IMPORTER, GObject)

/*
 * Imports queue files into a store: reads every file first (all or nothing
 * unless skip-invalid), runs the policy on items that carry no escalation
 * reason (escalated ones are queued with the reason, the rest auto-approved
 * and audited), then writes each file in one transaction. Attachments are
 * checked as a file is read (paths relative to that file's folder) and
 * copied into the store's own folder within the file's transaction, so the
 * imported items no longer need the file or its folder.
 *
 * Only a chosen policy approves automatically: the importer's own, which
 * the store then remembers for the files' queues, or without one the
 * policy remembered for each item's queue; an item of a queue with no
 * chosen policy is queued for review (vd_policy_new_review_all()).
 *
 * Files of other tools (vd_importer_set_format(), see vd-format.h) are read
 * whole by their format's reader, then take the same policy and store path,
 * one transaction per file. Without a format, each file's is found from its
 * content; a file of no other tool's format is read as a Verdict queue.
 *
 * The async variant runs on a worker thread; the "progress" signal
 * (double fraction 0..1) is emitted on the thread-default main context of
 * the caller of vd_importer_import_async().
 */

VdImporter *vd_importer_new              (VdStore             *store,
                                          VdPolicy            *policy);
void        vd_importer_set_skip_invalid (VdImporter          *self,
                                          gboolean             skip_invalid);
void        vd_importer_set_format       (VdImporter          *self,
                                          const char          *name);
void        vd_importer_set_queue        (VdImporter          *self,
                                          const char          *queue);
void        vd_importer_set_field_mapping (VdImporter         *self,
                                          const char          *input_field,
                                          const char          *output_question);
VdStore    *vd_importer_get_store        (VdImporter          *self);
VdPolicy   *vd_importer_get_policy       (VdImporter          *self);

gboolean    vd_importer_import           (VdImporter          *self,
                                          GFile              **files,
                                          guint                n_files,
                                          VdImportResult      *result,
                                          VdProgressFunc       progress,
                                          gpointer             progress_data,
                                          GCancellable        *cancellable,
                                          GError             **error);
void        vd_importer_import_async     (VdImporter          *self,
                                          GFile              **files,
                                          guint                n_files,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
gboolean    vd_importer_import_finish    (VdImporter          *self,
                                          GAsyncResult        *result,
                                          VdImportResult      *import_result,
                                          GError             **error);

/* With skip-invalid, after an import: the messages of the lines left out. */
GPtrArray  *vd_importer_get_problems     (VdImporter          *self);

G_END_DECLS
