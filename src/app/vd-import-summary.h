/* vd-import-summary.h
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

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define VD_TYPE_IMPORT_SUMMARY (vd_import_summary_get_type ())

G_DECLARE_FINAL_TYPE (VdImportSummary, vd_import_summary, VD, IMPORT_SUMMARY, GtkWidget)

/*
 * The strip above the queue list that says what the last import did,
 * until it is dismissed: "review-queue.jsonl: 55 items — 43 to review, 12
 * approved automatically by policy.json". "Show Approved" (offered when
 * the policy approved something) emits "show-approved".
 */

void        vd_import_summary_show         (VdImportSummary *self,
                                            const char      *text,
                                            guint            n_approved);
void        vd_import_summary_dismiss      (VdImportSummary *self);
gboolean    vd_import_summary_get_shown    (VdImportSummary *self);
const char *vd_import_summary_get_text     (VdImportSummary *self);

G_END_DECLS
