/* vd-import-dialog.h
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

#include <adwaita.h>

#include "vd-import-preview.h"
#include "vd-session.h"

G_BEGIN_DECLS

/**
 * VdImportChoice:
 * @VD_IMPORT_CHOICE_REVIEW_ALL: every item goes to review (the default)
 * @VD_IMPORT_CHOICE_CONFIGURED: the policy file set in Preferences
 * @VD_IMPORT_CHOICE_QUEUE_POLICY: the `policy.json` next to the (first)
 *   queue file
 * @VD_IMPORT_CHOICE_FILE: a policy file chosen in the dialog
 *
 * The policies the import dialog offers.
 */
typedef enum
{
  VD_IMPORT_CHOICE_REVIEW_ALL,
  VD_IMPORT_CHOICE_CONFIGURED,
  VD_IMPORT_CHOICE_QUEUE_POLICY,
  VD_IMPORT_CHOICE_FILE,
} VdImportChoice;

#define VD_TYPE_IMPORT_DIALOG (vd_import_dialog_get_type ())

G_DECLARE_FINAL_TYPE (VdImportDialog, vd_import_dialog, VD, IMPORT_DIALOG, AdwWindow)

/*
 * "Import Queue": the files, their item count and the policy to import
 * them with, with a preview of what it would approve automatically
 * (VdImportPreview, on a worker thread, again whenever the choice
 * changes). Import is possible once the preview is there and the policy
 * could be read. Wrapped as an async operation: the result is the policy
 * chosen, or G_IO_ERROR_CANCELLED when the dialog was closed.
 */

VdImportDialog  *vd_import_dialog_new             (VdSession            *session,
                                                   GFile               **files,
                                                   guint                 n_files,
                                                   gboolean              prefer_queue_policy);
void             vd_import_dialog_choose_async    (VdImportDialog       *self,
                                                   GtkWindow            *parent,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
VdPolicy        *vd_import_dialog_choose_finish   (VdImportDialog       *self,
                                                   GAsyncResult         *result,
                                                   char                **policy_name_out,
                                                   VdImportChoice       *choice,
                                                   GError              **error);

VdImportChoice   vd_import_dialog_get_choice      (VdImportDialog       *self);
void             vd_import_dialog_set_choice      (VdImportDialog       *self,
                                                   VdImportChoice        choice);
gboolean         vd_import_dialog_has_choice      (VdImportDialog       *self,
                                                   VdImportChoice        choice);
void             vd_import_dialog_set_policy_file (VdImportDialog       *self,
                                                   GFile                *file);
VdImportPreview *vd_import_dialog_get_preview     (VdImportDialog       *self);
const char      *vd_import_dialog_get_preview_text (VdImportDialog      *self);
gboolean         vd_import_dialog_get_can_import  (VdImportDialog       *self);

/* The format choice (properties format, input-field, output-question). */
const char      *vd_import_dialog_get_format      (VdImportDialog       *self);
void             vd_import_dialog_set_format      (VdImportDialog       *self,
                                                   const char           *format);
const char      *vd_import_dialog_get_input_field (VdImportDialog       *self);
const char      *vd_import_dialog_get_output_question (VdImportDialog   *self);

G_END_DECLS
