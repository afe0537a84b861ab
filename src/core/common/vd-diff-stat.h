/* vd-diff-stat.h
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
 * VdDiffFileFlags:
 * @VD_DIFF_FILE_NONE: a plain change of a text file
 * @VD_DIFF_FILE_NEW: the file is created (`/dev/null` on the old side, or
 *   `new file mode`)
 * @VD_DIFF_FILE_DELETED: the file is deleted
 * @VD_DIFF_FILE_RENAMED: the file is renamed (`rename from` / `rename to`)
 * @VD_DIFF_FILE_COPIED: the file is a copy (`copy from` / `copy to`)
 * @VD_DIFF_FILE_BINARY: the file is binary: no lines are counted for it
 * @VD_DIFF_FILE_MODE: the file's mode changes
 *
 * What a unified diff says about one of its files, besides its lines.
 */
typedef enum
{
  VD_DIFF_FILE_NONE    = 0,
  VD_DIFF_FILE_NEW     = 1 << 0,
  VD_DIFF_FILE_DELETED = 1 << 1,
  VD_DIFF_FILE_RENAMED = 1 << 2,
  VD_DIFF_FILE_COPIED  = 1 << 3,
  VD_DIFF_FILE_BINARY  = 1 << 4,
  VD_DIFF_FILE_MODE    = 1 << 5,
} VdDiffFileFlags;

/**
 * VdDiffFile:
 * @old_path: (nullable): the path on the old side, without git's `a/`;
 *   %NULL for a new file
 * @new_path: (nullable): the path on the new side, without git's `b/`;
 *   %NULL for a deleted file
 * @added: lines added to the file
 * @removed: lines removed from the file
 * @flags: what else the diff says about the file
 * @first_line: the file's first line in the diff text (its `diff --git` or
 *   `---` line), counted from 0
 * @n_lines: how many lines of the diff text belong to the file
 *
 * One file of a unified diff.
 */
typedef struct
{
  char            *old_path;
  char            *new_path;
  guint            added;
  guint            removed;
  VdDiffFileFlags  flags;
  guint            first_line;
  guint            n_lines;
} VdDiffFile;

/**
 * VdDiffStat:
 * @files: (element-type VdDiffFile): the files, in the order of the diff
 * @added: lines added, all files together
 * @removed: lines removed, all files together
 * @n_malformed: lines inside the diff that are not what a unified diff
 *   allows there (a hunk cut short, a header with no file); they are skipped
 *
 * What a unified diff changes, as `git diff --stat` would count it.
 */
typedef struct
{
  GPtrArray *files;
  guint      added;
  guint      removed;
  guint      n_malformed;
} VdDiffStat;

#define VD_TYPE_DIFF_STAT (vd_diff_stat_get_type ())
GType       vd_diff_stat_get_type      (void) G_GNUC_CONST;

VdDiffStat *vd_diff_stat_parse         (const char       *text,
                                        gssize            length);
VdDiffStat *vd_diff_stat_copy          (const VdDiffStat *stat);
void        vd_diff_stat_free          (VdDiffStat       *stat);
char       *vd_diff_stat_to_string     (const VdDiffStat *stat);

const char *vd_diff_file_get_path      (const VdDiffFile *file);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VdDiffStat, vd_diff_stat_free)

G_END_DECLS
