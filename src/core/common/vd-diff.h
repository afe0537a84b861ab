/* vd-diff.h
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

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * VdDiffKind:
 * @VD_DIFF_EQUAL: the text is in both sides
 * @VD_DIFF_INSERT: the text is only in the new side
 * @VD_DIFF_DELETE: the text is only in the old side
 *
 * What a hunk of a diff says about its text.
 */
typedef enum
{
  VD_DIFF_EQUAL,
  VD_DIFF_INSERT,
  VD_DIFF_DELETE,
} VdDiffKind;

/**
 * VdDiffHunk:
 * @kind: what the hunk says about @text
 * @text: the text, never %NULL or empty
 *
 * One piece of a diff. The %VD_DIFF_EQUAL and %VD_DIFF_DELETE hunks in order
 * spell the old text, the %VD_DIFF_EQUAL and %VD_DIFF_INSERT hunks the new one.
 */
typedef struct
{
  VdDiffKind  kind;
  char       *text;
} VdDiffHunk;

/* Above this many bytes (both sides together) a word diff is done by lines. */
#define VD_DIFF_WORD_LIMIT (1024 * 1024)

#define VD_TYPE_DIFF_HUNK (vd_diff_hunk_get_type ())
GType       vd_diff_hunk_get_type (void) G_GNUC_CONST;
VdDiffHunk *vd_diff_hunk_new      (VdDiffKind        kind,
                                   const char       *text);
VdDiffHunk *vd_diff_hunk_copy     (const VdDiffHunk *hunk);
void        vd_diff_hunk_free     (VdDiffHunk       *hunk);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VdDiffHunk, vd_diff_hunk_free)

GPtrArray  *vd_diff_words         (const char       *old_text,
                                   const char       *new_text,
                                   gboolean         *coarse);
GPtrArray  *vd_diff_lines         (const char       *old_text,
                                   const char       *new_text,
                                   gboolean         *coarse);
char       *vd_diff_side          (GPtrArray        *hunks,
                                   VdDiffKind        side);

G_END_DECLS
