/* vd-import-preview.h
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

G_BEGIN_DECLS

#define VD_TYPE_IMPORT_PREVIEW (vd_import_preview_get_type ())

G_DECLARE_FINAL_TYPE (VdImportPreview, vd_import_preview, VD, IMPORT_PREVIEW, GObject)

/*
 * What an import of queue files would do under a policy, without touching
 * a store: the files are read with skip-invalid (the lines that cannot be
 * read are counted as problems, the others kept), and the policy is
 * applied as VdImporter applies it: an item that carries an escalation
 * reason goes to review, the others as the policy decides.
 *
 * The policy is given, or read from a file first; a policy file that
 * cannot be read does not fail the preview: the items are still counted,
 * none is approved, and vd_import_preview_get_policy_error() says why.
 * The preview fails only when a queue file cannot be read at all, or
 * when it is cancelled.
 */

VdImportPreview *vd_import_preview_compute        (GFile               **files,
                                                   guint                 n_files,
                                                   VdPolicy             *policy,
                                                   const char           *policy_path,
                                                   GCancellable         *cancellable,
                                                   GError              **error);
void             vd_import_preview_compute_async  (GFile               **files,
                                                   guint                 n_files,
                                                   VdPolicy             *policy,
                                                   const char           *policy_path,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
VdImportPreview *vd_import_preview_compute_finish (GAsyncResult         *result,
                                                   GError              **error);

guint            vd_import_preview_get_n_items      (VdImportPreview *self);
guint            vd_import_preview_get_n_approved   (VdImportPreview *self);
guint            vd_import_preview_get_n_review     (VdImportPreview *self);
GPtrArray       *vd_import_preview_get_problems     (VdImportPreview *self);
VdPolicy        *vd_import_preview_get_policy       (VdImportPreview *self);
const GError    *vd_import_preview_get_policy_error (VdImportPreview *self);

G_END_DECLS
