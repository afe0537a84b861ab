/* test-diff-stat.c
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

#define G_LOG_DOMAIN "test-diff-stat"

#include "config.h"

#include <locale.h>
#include <string.h>

#include "vd-diff-stat.h"

static const VdDiffFile *
file_at (const VdDiffStat *stat,
         guint             index)
{
  g_assert_cmpuint (index, <, stat->files->len);
  return g_ptr_array_index (stat->files, index);
}

static void
test_git_two_files (void)
{
  const char *diff =
    "diff --git a/app/server.py b/app/server.py\n"
    "index 3b18e51..a9c2f04 100644\n"
    "--- a/app/server.py\n"
    "+++ b/app/server.py\n"
    "@@ -1,4 +1,5 @@\n"
    " import os\n"
    "-import sys\n"
    "+import logging\n"
    "+import signal\n"
    " \n"
    " def main():\n"
    "@@ -10,2 +11,2 @@ def main():\n"
    "--- a removed line that looks like a header\n"
    "+++ an added line that looks like a header\n"
    "-    return 0\n"
    "+    return 1\n"
    "diff --git a/README.md b/README.md\n"
    "--- a/README.md\n"
    "+++ b/README.md\n"
    "@@ -1 +1,2 @@\n"
    " # Server\n"
    "+Run it with `make run`.\n";
  g_autoptr(VdDiffStat) stat = vd_diff_stat_parse (diff, -1);
  g_autofree char *summary = NULL;
  const VdDiffFile *file;

  g_assert_cmpuint (stat->files->len, ==, 2);
  g_assert_cmpuint (stat->n_malformed, ==, 0);

  file = file_at (stat, 0);
  g_assert_cmpstr (file->old_path, ==, "app/server.py");
  g_assert_cmpstr (file->new_path, ==, "app/server.py");
  g_assert_cmpuint (file->added, ==, 4);
  g_assert_cmpuint (file->removed, ==, 3);
  g_assert_cmpint (file->flags, ==, VD_DIFF_FILE_NONE);
  g_assert_cmpuint (file->first_line, ==, 0);
  g_assert_cmpuint (file->n_lines, ==, 16);

  file = file_at (stat, 1);
  g_assert_cmpstr (vd_diff_file_get_path (file), ==, "README.md");
  g_assert_cmpuint (file->added, ==, 1);
  g_assert_cmpuint (file->removed, ==, 0);
  g_assert_cmpuint (file->first_line, ==, 16);
  g_assert_cmpuint (file->n_lines, ==, 6);

  g_assert_cmpuint (stat->added, ==, 5);
  g_assert_cmpuint (stat->removed, ==, 3);

  summary = vd_diff_stat_to_string (stat);
  g_assert_cmpstr (summary, ==, "2 files changed, +5 −3");
}

static void
test_plain_diff_u (void)
{
  /* `diff -u`: no prefixes, timestamps after a tab, CRLF line ends. */
  const char *diff =
    "--- old/config.ini\t2026-01-02 10:00:00.000000000 +0100\r\n"
    "+++ new/config.ini\t2026-01-02 10:05:00.000000000 +0100\r\n"
    "@@ -1,3 +1,3 @@\r\n"
    " [server]\r\n"
    "-port = 80\r\n"
    "+port = 8080\r\n"
    " host = example.org\r\n";
  g_autoptr(VdDiffStat) stat = vd_diff_stat_parse (diff, -1);
  const VdDiffFile *file;

  g_assert_cmpuint (stat->files->len, ==, 1);
  file = file_at (stat, 0);
  g_assert_cmpstr (file->old_path, ==, "old/config.ini");
  g_assert_cmpstr (file->new_path, ==, "new/config.ini");
  g_assert_cmpuint (file->added, ==, 1);
  g_assert_cmpuint (file->removed, ==, 1);
  g_assert_cmpuint (stat->n_malformed, ==, 0);
}

static void
test_rename (void)
{
  const char *diff =
    "diff --git a/src/old name.c b/src/new name.c\n"
    "similarity index 90%\n"
    "rename from src/old name.c\n"
    "rename to src/new name.c\n"
    "index 1111111..2222222 100644\n"
    "--- a/src/old name.c\n"
    "+++ b/src/new name.c\n"
    "@@ -1 +1 @@\n"
    "-int x;\n"
    "+int y;\n"
    "diff --git a/docs/a.txt b/docs/b.txt\n"
    "similarity index 100%\n"
    "rename from docs/a.txt\n"
    "rename to docs/b.txt\n";
  g_autoptr(VdDiffStat) stat = vd_diff_stat_parse (diff, -1);
  const VdDiffFile *file;

  g_assert_cmpuint (stat->files->len, ==, 2);

  file = file_at (stat, 0);
  g_assert_true (file->flags & VD_DIFF_FILE_RENAMED);
  g_assert_cmpstr (file->old_path, ==, "src/old name.c");
  g_assert_cmpstr (file->new_path, ==, "src/new name.c");
  g_assert_cmpuint (file->added, ==, 1);
  g_assert_cmpuint (file->removed, ==, 1);

  /* A pure rename: no hunk, no lines. */
  file = file_at (stat, 1);
  g_assert_cmpint (file->flags, ==, VD_DIFF_FILE_RENAMED);
  g_assert_cmpstr (file->old_path, ==, "docs/a.txt");
  g_assert_cmpstr (file->new_path, ==, "docs/b.txt");
  g_assert_cmpuint (file->added, ==, 0);
  g_assert_cmpuint (file->removed, ==, 0);
  g_assert_cmpuint (file->n_lines, ==, 4);
}

static void
test_new_and_deleted (void)
{
  const char *diff =
    "diff --git a/tests/test_new.py b/tests/test_new.py\n"
    "new file mode 100644\n"
    "index 0000000..e69de29\n"
    "--- /dev/null\n"
    "+++ b/tests/test_new.py\n"
    "@@ -0,0 +1,2 @@\n"
    "+def test_it():\n"
    "+    assert True\n"
    "diff --git a/legacy.py b/legacy.py\n"
    "deleted file mode 100644\n"
    "--- a/legacy.py\n"
    "+++ /dev/null\n"
    "@@ -1,3 +0,0 @@\n"
    "-a = 1\n"
    "-b = 2\n"
    "-c = 3\n"
    "diff --git a/run.sh b/run.sh\n"
    "old mode 100644\n"
    "new mode 100755\n";
  g_autoptr(VdDiffStat) stat = vd_diff_stat_parse (diff, -1);
  const VdDiffFile *file;

  g_assert_cmpuint (stat->files->len, ==, 3);

  file = file_at (stat, 0);
  g_assert_cmpint (file->flags, ==, VD_DIFF_FILE_NEW);
  g_assert_null (file->old_path);
  g_assert_cmpstr (file->new_path, ==, "tests/test_new.py");
  g_assert_cmpuint (file->added, ==, 2);

  file = file_at (stat, 1);
  g_assert_cmpint (file->flags, ==, VD_DIFF_FILE_DELETED);
  g_assert_cmpstr (file->old_path, ==, "legacy.py");
  g_assert_null (file->new_path);
  g_assert_cmpstr (vd_diff_file_get_path (file), ==, "legacy.py");
  g_assert_cmpuint (file->removed, ==, 3);

  file = file_at (stat, 2);
  g_assert_cmpint (file->flags, ==, VD_DIFF_FILE_MODE);
  g_assert_cmpstr (file->new_path, ==, "run.sh");

  g_assert_cmpuint (stat->added, ==, 2);
  g_assert_cmpuint (stat->removed, ==, 3);
  g_assert_cmpuint (stat->n_malformed, ==, 0);
}

static void
test_binary (void)
{
  const char *diff =
    "Binary files /dev/null and b/font.woff differ\n"
    "diff --git a/logo.png b/logo.png\n"
    "index 1234567..89abcde 100644\n"
    "Binary files a/logo.png and b/logo.png differ\n"
    "diff --git a/icon.png b/icon.png\n"
    "new file mode 100644\n"
    "index 0000000..1111111\n"
    "GIT binary patch\n"
    "literal 12\n"
    "--- not a header: base85 data\n"
    "+++ nor this\n"
    "TcmZ?wbhEHbWMp7q\n"
    "\n"
    "literal 0\n"
    "HcmV?d00001\n"
    "\n";
  g_autoptr(VdDiffStat) stat = vd_diff_stat_parse (diff, -1);
  const VdDiffFile *file;

  g_assert_cmpuint (stat->files->len, ==, 3);

  /* Without a `diff --git` line, the paths come from the binary line. */
  file = file_at (stat, 0);
  g_assert_cmpint (file->flags, ==, VD_DIFF_FILE_BINARY | VD_DIFF_FILE_NEW);
  g_assert_null (file->old_path);
  g_assert_cmpstr (file->new_path, ==, "font.woff");

  file = file_at (stat, 1);
  g_assert_cmpint (file->flags, ==, VD_DIFF_FILE_BINARY);
  g_assert_cmpstr (file->new_path, ==, "logo.png");

  /* The base85 lines are data, even those that look like headers. */
  file = file_at (stat, 2);
  g_assert_cmpint (file->flags, ==, VD_DIFF_FILE_BINARY | VD_DIFF_FILE_NEW);
  g_assert_cmpstr (file->new_path, ==, "icon.png");
  g_assert_cmpuint (file->added, ==, 0);

  g_assert_cmpuint (stat->added, ==, 0);
  g_assert_cmpuint (stat->removed, ==, 0);
}

static void
test_no_newline_markers (void)
{
  const char *diff =
    "--- a/VERSION\n"
    "+++ b/VERSION\n"
    "@@ -1 +1 @@\n"
    "-1.0\n"
    "\\ No newline at end of file\n"
    "+1.1\n"
    "\\ No newline at end of file\n"
    "--- a/NOTES\n"
    "+++ b/NOTES\n"
    "@@ -1,2 +1,2 @@\n"
    " first\n"
    "-second\n"
    "\\ No newline at end of file\n"
    "+second\n";
  g_autoptr(VdDiffStat) stat = vd_diff_stat_parse (diff, -1);

  g_assert_cmpuint (stat->files->len, ==, 2);
  g_assert_cmpstr (vd_diff_file_get_path (file_at (stat, 0)), ==, "VERSION");
  g_assert_cmpuint (file_at (stat, 0)->added, ==, 1);
  g_assert_cmpuint (file_at (stat, 0)->removed, ==, 1);
  g_assert_cmpstr (vd_diff_file_get_path (file_at (stat, 1)), ==, "NOTES");
  g_assert_cmpuint (file_at (stat, 1)->added, ==, 1);
  g_assert_cmpuint (file_at (stat, 1)->removed, ==, 1);
  g_assert_cmpuint (stat->n_malformed, ==, 0);
}

static void
test_quoted_paths (void)
{
  const char *diff =
    "diff --git \"a/d\\303\\251j\\303\\240 vu.txt\" \"b/d\\303\\251j\\303\\240 vu.txt\"\n"
    "--- \"a/d\\303\\251j\\303\\240 vu.txt\"\n"
    "+++ \"b/d\\303\\251j\\303\\240 vu.txt\"\n"
    "@@ -1 +1 @@\n"
    "-a\n"
    "+b\n";
  g_autoptr(VdDiffStat) stat = vd_diff_stat_parse (diff, -1);

  g_assert_cmpuint (stat->files->len, ==, 1);
  g_assert_cmpstr (file_at (stat, 0)->old_path, ==, "déjà vu.txt");
  g_assert_cmpstr (file_at (stat, 0)->new_path, ==, "déjà vu.txt");
}

static void
test_fragment_and_preamble (void)
{
  /* A commit message before the diff, and a hunk with no file headers. */
  const char *patch =
    "From 1234 Mon Sep 17 00:00:00 2001\n"
    "Subject: [PATCH] fix it\n"
    "\n"
    "---\n"
    " a.c | 2 +-\n"
    "\n";
  const char *fragment =
    "@@ -3,2 +3,3 @@\n"
    " x\n"
    "+y\n"
    " z\n";
  g_autoptr(VdDiffStat) preamble = vd_diff_stat_parse (patch, -1);
  g_autoptr(VdDiffStat) hunks = vd_diff_stat_parse (fragment, -1);
  g_autofree char *summary = NULL;

  g_assert_cmpuint (preamble->files->len, ==, 0);
  g_assert_cmpuint (preamble->n_malformed, ==, 0);

  g_assert_cmpuint (hunks->files->len, ==, 1);
  g_assert_null (vd_diff_file_get_path (file_at (hunks, 0)));
  g_assert_cmpuint (hunks->added, ==, 1);

  summary = vd_diff_stat_to_string (hunks);
  g_assert_cmpstr (summary, ==, "1 file changed, +1 −0");
}

static void
test_malformed (void)
{
  /* A hunk cut short, then a header that is no header. */
  const char *cut =
    "--- a/x\n"
    "+++ b/x\n"
    "@@ -1,5 +1,5 @@\n"
    "-one\n"
    "+uno\n"
    "garbage in the middle\n"
    "@@ -a,b +c,d @@\n"
    "@@ -1,99999999999999999999999 +1 @@\n"
    "-only this\n";
  const char *inputs[] = {
    "",
    "\n",
    "@@",
    "@@ -",
    "@@ -1,",
    "@@ -1, +1 @@",
    "@@ -1 +1",
    "--- ",
    "--- \n+++ ",
    "--- a\n+++ b\n@@ -1 +1 @@\n",
    "diff --git",
    "diff --git \"a/unterminated",
    "diff --git a/x b/",
    "Binary files  differ",
    "Binary files a/x and  differ",
    "rename from x\nrename to y\n",
    "\\\\\\\n\\",
    "+++ b/x\n--- a/x\n",
    "GIT binary patch\n",
    /* Quoted paths ending in a backslash (found by fuzz-diff-stat). */
    "--- \"a/x\\\"\n+++ \"b/x\\\"\n",
    "diff --git \"a/\\\" \"b/\\\"\n",
    "--- \"a/\\000\\3\\q\"\n+++ b/y\n",
  };
  g_autoptr(VdDiffStat) stat = vd_diff_stat_parse (cut, -1);

  g_assert_cmpuint (stat->files->len, ==, 1);
  g_assert_cmpuint (file_at (stat, 0)->added, ==, 1);
  /* The second hunk counts as much as it has. */
  g_assert_cmpuint (file_at (stat, 0)->removed, ==, 2);
  g_assert_cmpuint (stat->n_malformed, ==, 3);

  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autoptr(VdDiffStat) other = vd_diff_stat_parse (inputs[i], -1);
      g_autoptr(VdDiffStat) copy = vd_diff_stat_copy (other);
      g_autofree char *summary = vd_diff_stat_to_string (copy);

      g_assert_nonnull (summary);
      g_assert_cmpuint (copy->files->len, ==, other->files->len);
    }

  /* More lines of one side than the hunk header says: the hunk ends
   * there, and what follows is not counted. */
  {
    g_autoptr(VdDiffStat) plus = vd_diff_stat_parse ("@@ -1,2 +1,1 @@\n-a\n+b\n+c\n-d\n", -1);
    g_autoptr(VdDiffStat) minus = vd_diff_stat_parse ("@@ -1,1 +1,2 @@\n-a\n-b\n+c\n+d\n", -1);

    g_assert_cmpuint (plus->added, ==, 1);
    g_assert_cmpuint (plus->removed, ==, 1);
    g_assert_cmpuint (plus->n_malformed, ==, 1);
    g_assert_cmpuint (minus->added, ==, 0);
    g_assert_cmpuint (minus->removed, ==, 1);
    g_assert_cmpuint (minus->n_malformed, ==, 1);
  }

  /* Invalid UTF-8 in a path comes out valid. */
  {
    g_autoptr(VdDiffStat) bad = vd_diff_stat_parse ("--- a/\xff\xfe\n+++ b/\xff\xfe\n", -1);

    g_assert_cmpuint (bad->files->len, ==, 1);
    g_assert_true (g_utf8_validate (file_at (bad, 0)->new_path, -1, NULL));
  }
}

/* Every prefix of a real diff, and bytes with NULs inside: never a crash,
 * and the counts of a prefix never exceed those of the whole. */
static void
test_prefixes (void)
{
  const char *diff =
    "diff --git a/a.py b/a.py\n"
    "--- a/a.py\n"
    "+++ b/a.py\n"
    "@@ -1,3 +1,3 @@\n"
    " a\n"
    "-b\n"
    "\\ No newline at end of file\n"
    "+c\n"
    "diff --git a/b.png b/b.png\n"
    "Binary files a/b.png and b/b.png differ\n";
  gsize length = strlen (diff);
  g_autoptr(VdDiffStat) whole = vd_diff_stat_parse (diff, -1);
  char with_nul[] = "--- a/x\n+++ b/x\n@@ -1 +1 @@\n-\0x\n+y\n";

  for (gsize i = 0; i <= length; i++)
    {
      g_autoptr(VdDiffStat) stat = vd_diff_stat_parse (diff, i);

      g_assert_cmpuint (stat->files->len, <=, whole->files->len);
      g_assert_cmpuint (stat->added, <=, whole->added);
      g_assert_cmpuint (stat->removed, <=, whole->removed);
    }

  {
    g_autoptr(VdDiffStat) stat = vd_diff_stat_parse (with_nul, sizeof with_nul - 1);

    g_assert_cmpuint (stat->added, ==, 1);
    g_assert_cmpuint (stat->removed, ==, 1);
  }
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/diff-stat/git-two-files", test_git_two_files);
  g_test_add_func ("/diff-stat/plain-diff-u", test_plain_diff_u);
  g_test_add_func ("/diff-stat/rename", test_rename);
  g_test_add_func ("/diff-stat/new-and-deleted", test_new_and_deleted);
  g_test_add_func ("/diff-stat/binary", test_binary);
  g_test_add_func ("/diff-stat/no-newline-markers", test_no_newline_markers);
  g_test_add_func ("/diff-stat/quoted-paths", test_quoted_paths);
  g_test_add_func ("/diff-stat/fragment-and-preamble", test_fragment_and_preamble);
  g_test_add_func ("/diff-stat/malformed", test_malformed);
  g_test_add_func ("/diff-stat/prefixes", test_prefixes);

  return g_test_run ();
}
