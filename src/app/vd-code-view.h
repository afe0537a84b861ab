/* vd-code-view.h
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

#include <gtksourceview/gtksource.h>

#include "vd-diff-stat.h"

G_BEGIN_DECLS

/* Texts longer than this many bytes are shown cut at a line end, with a
 * note above them. */
#define VD_CODE_VIEW_MAX_BYTES (1024 * 1024)

/* Diffs up to this many bytes are highlighted by the language of each
 * file as well; longer ones only in the diff's own colours. */
#define VD_CODE_VIEW_MAX_FILE_HIGHLIGHT_BYTES (512 * 1024)

#define VD_TYPE_CODE_VIEW (vd_code_view_get_type ())

G_DECLARE_FINAL_TYPE (VdCodeView, vd_code_view, VD, CODE_VIEW, GtkWidget)

GtkWidget         *vd_code_view_new                   (void);
void               vd_code_view_set_text              (VdCodeView *self,
                                                       const char *text,
                                                       const char *content_type);
char              *vd_code_view_get_text              (VdCodeView *self);
const char        *vd_code_view_get_content_type      (VdCodeView *self);
gboolean           vd_code_view_get_editable          (VdCodeView *self);
void               vd_code_view_set_editable          (VdCodeView *self,
                                                       gboolean    editable);
int                vd_code_view_get_max_content_height (VdCodeView *self);
void               vd_code_view_set_max_content_height (VdCodeView *self,
                                                        int         height);
const VdDiffStat  *vd_code_view_get_diff_stat         (VdCodeView *self);
GtkSourceView     *vd_code_view_get_source_view       (VdCodeView *self);
GtkLabel          *vd_code_view_get_summary           (VdCodeView *self);

GtkSourceLanguage *vd_code_view_language_for_content_type (const char *content_type);
GtkSourceLanguage *vd_code_view_language_for_path         (const char *path);

G_END_DECLS
