/* vd-reviewer-dialog.h
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

G_BEGIN_DECLS

#define VD_TYPE_REVIEWER_DIALOG (vd_reviewer_dialog_get_type ())

G_DECLARE_FINAL_TYPE (VdReviewerDialog, vd_reviewer_dialog, VD, REVIEWER_DIALOG, AdwMessageDialog)

/* Asks for the reviewer id recorded with every decision (at first start). */

GtkEditable *vd_reviewer_dialog_get_entry  (VdReviewerDialog     *self);
void         vd_reviewer_dialog_run_async  (GtkWindow            *parent,
                                            const char           *initial,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
char        *vd_reviewer_dialog_run_finish (GAsyncResult         *result,
                                            GError              **error);

G_END_DECLS
