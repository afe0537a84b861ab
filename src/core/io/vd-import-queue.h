/* vd-import-queue.h
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

#include "vd-policy.h"
#include "vd-store.h"

G_BEGIN_DECLS

#define VD_TYPE_IMPORT_QUEUE (vd_import_queue_get_type ())

G_DECLARE_FINAL_TYPE (VdImportQueue, vd_import_queue, VD, IMPORT_QUEUE, GObject)

/*
 * Queue files waiting to be imported into a store: from the menu, the
 * command line or dropped on a window. One import runs at a time, on a
 * worker thread (VdImporter); the others wait, and so do all of them while
 * there is no store yet or while the queue is held (the configured policy
 * is still being read). A request without a policy of its own gets the
 * queue's, which approves nothing automatically unless set.
 *
 * Signals: "started" when an import starts (its files:
 * vd_import_queue_get_files()), "finished" (const VdImportResult *result,
 * const GError *error) when it ends, with @error set when it failed or was
 * cancelled (nothing imported then). While "finished" is emitted, the
 * getters of the running import describe the one that ended.
 */

VdImportQueue *vd_import_queue_new         (void);
VdStore       *vd_import_queue_get_store   (VdImportQueue  *self);
void           vd_import_queue_set_store   (VdImportQueue  *self,
                                            VdStore        *store);
VdPolicy      *vd_import_queue_get_policy  (VdImportQueue  *self);
void           vd_import_queue_set_policy  (VdImportQueue  *self,
                                            VdPolicy       *policy);
gboolean       vd_import_queue_get_held    (VdImportQueue  *self);
void           vd_import_queue_set_held    (VdImportQueue  *self,
                                            gboolean        held);
gboolean       vd_import_queue_get_running (VdImportQueue  *self);
double         vd_import_queue_get_fraction (VdImportQueue *self);
GFile        **vd_import_queue_get_files   (VdImportQueue  *self,
                                            guint          *n_files);
VdPolicy      *vd_import_queue_get_running_policy       (VdImportQueue *self);
const char    *vd_import_queue_get_running_policy_name  (VdImportQueue *self);
gboolean       vd_import_queue_get_running_skip_invalid (VdImportQueue *self);
const char    *vd_import_queue_get_running_format       (VdImportQueue  *self,
                                                         const char    **input_field,
                                                         const char    **output_question);

void           vd_import_queue_add         (VdImportQueue  *self,
                                            GFile         **files,
                                            guint           n_files,
                                            VdPolicy       *policy);
void           vd_import_queue_add_full    (VdImportQueue  *self,
                                            GFile         **files,
                                            guint           n_files,
                                            VdPolicy       *policy,
                                            const char     *policy_name,
                                            gboolean        skip_invalid);
void           vd_import_queue_add_format  (VdImportQueue  *self,
                                            GFile         **files,
                                            guint           n_files,
                                            VdPolicy       *policy,
                                            const char     *policy_name,
                                            gboolean        skip_invalid,
                                            const char     *format,
                                            const char     *input_field,
                                            const char     *output_question);
void           vd_import_queue_cancel      (VdImportQueue  *self);
void           vd_import_queue_clear       (VdImportQueue  *self);

G_END_DECLS
