/* fuzz-diff-stat.c: libFuzzer target for the counts of a unified diff
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

/*
 * The input is read as a diff an agent put in an item's output. Besides
 * crashes and leaks, a failed check here is what vd_diff_stat_parse ()
 * promises: the totals are the sums of the files, each file's lines lie
 * inside the text and after the previous file's, and paths are valid
 * UTF-8.
 */

#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vd-diff-stat.h"
#include "fuzz-common.h"

int LLVMFuzzerInitialize (int    *argc,
                          char ***argv);

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init ();
  return 0;
}

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(VdDiffStat) stat = vd_diff_stat_parse ((const char *) data, size);
  g_autoptr(VdDiffStat) copy = vd_diff_stat_copy (stat);
  g_autofree char *summary = vd_diff_stat_to_string (copy);
  guint64 added = 0, removed = 0;
  guint n_lines = 1, next_line = 0;

  for (size_t i = 0; i < size; i++)
    if (data[i] == '\n')
      n_lines++;

  for (guint i = 0; i < stat->files->len; i++)
    {
      const VdDiffFile *file = g_ptr_array_index (stat->files, i);

      added += file->added;
      removed += file->removed;
      if (file->first_line < next_line ||
          (guint64) file->first_line + file->n_lines > n_lines)
        abort ();
      next_line = file->first_line + file->n_lines;
      if ((file->old_path != NULL && !g_utf8_validate (file->old_path, -1, NULL)) ||
          (file->new_path != NULL && !g_utf8_validate (file->new_path, -1, NULL)))
        abort ();
    }

  if (added != stat->added || removed != stat->removed || summary == NULL ||
      copy->files->len != stat->files->len)
    abort ();

  return 0;
}
