/* vd-diff-stat.c
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

#define G_LOG_DOMAIN "vd-diff-stat"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gi18n.h>

#include "vd-diff-stat.h"

/*
 * vd-diff.h computes a diff of two texts; this file reads a diff someone
 * else made: the unified format of `diff -u` and `git diff` (with its
 * extended headers, renames, copies and binary files).
 *
 * Inside a hunk the counts of its `@@ -a,b +c,d @@` header say how many
 * lines belong to it, so a removed line that reads `-- x` is never taken
 * for the next file's `--- x` header.
 */

G_DEFINE_BOXED_TYPE (VdDiffStat, vd_diff_stat, vd_diff_stat_copy, vd_diff_stat_free)

static VdDiffFile *
vd_diff_file_new (guint first_line)
{
  VdDiffFile *file = g_new0 (VdDiffFile, 1);

  file->first_line = first_line;

  return file;
}

static VdDiffFile *
vd_diff_file_copy (const VdDiffFile *file)
{
  VdDiffFile *copy = g_memdup2 (file, sizeof *file);

  copy->old_path = g_strdup (file->old_path);
  copy->new_path = g_strdup (file->new_path);

  return copy;
}

static void
vd_diff_file_free (VdDiffFile *file)
{
  g_free (file->old_path);
  g_free (file->new_path);
  g_free (file);
}

typedef struct
{
  VdDiffStat *stat;
  VdDiffFile *file;        /* the file being read, owned by stat->files */
  gboolean    file_has_minus;
  gboolean    in_binary;   /* inside a "GIT binary patch" */
  guint64     old_left;    /* lines of the hunk still to come */
  guint64     new_left;
  guint       line;
} Parser;

static gboolean
has_prefix (const char *line,
            gsize       length,
            const char *prefix)
{
  gsize prefix_length = strlen (prefix);

  return length >= prefix_length && memcmp (line, prefix, prefix_length) == 0;
}

static void
parser_end_file (Parser *parser)
{
  if (parser->file != NULL)
    parser->file->n_lines = parser->line - parser->file->first_line;
  parser->file = NULL;
  parser->file_has_minus = FALSE;
  parser->in_binary = FALSE;
  parser->old_left = parser->new_left = 0;
}

static void
parser_begin_file (Parser *parser)
{
  parser_end_file (parser);
  parser->file = vd_diff_file_new (parser->line);
  g_ptr_array_add (parser->stat->files, parser->file);
}

/* git's C-style quoting: \\, \", \t, \n and octal bytes like \303. A
 * backslash with nothing valid after it stays as it is. */
static char *
unquote (const char *text,
         gsize       length)
{
  GString *out = g_string_sized_new (length);

  for (gsize i = 0; i < length; i++)
    {
      char c = text[i];

      if (c != '\\' || i + 1 >= length)
        {
          g_string_append_c (out, c);
          continue;
        }

      c = text[++i];
      if (c >= '0' && c <= '3' && i + 2 < length &&
          text[i + 1] >= '0' && text[i + 1] <= '7' && text[i + 2] >= '0' && text[i + 2] <= '7')
        {
          g_string_append_c (out, (char) ((c - '0') * 64 + (text[i + 1] - '0') * 8 +
                                          (text[i + 2] - '0')));
          i += 2;
        }
      else if (c == 't')
        g_string_append_c (out, '\t');
      else if (c == 'n')
        g_string_append_c (out, '\n');
      else if (c == '"' || c == '\\')
        g_string_append_c (out, c);
      else
        {
          g_string_append_c (out, '\\');
          g_string_append_c (out, c);
        }
    }

  return g_string_free (out, FALSE);
}

/* A path as valid UTF-8, unquoted when git quoted it, without the
 * timestamp `diff -u` puts after a tab. */
static char *
clean_path (const char *text,
            gsize       length)
{
  g_autofree char *raw = NULL;
  const char *tab = memchr (text, '\t', length);

  if (tab != NULL)
    length = tab - text;
  while (length > 0 && g_ascii_isspace (text[length - 1]))
    length--;

  if (length >= 2 && text[0] == '"' && text[length - 1] == '"')
    raw = unquote (text + 1, length - 2);
  else
    {
      raw = g_strndup (text, length);
    }

  return g_utf8_make_valid (raw, -1);
}

static char *
strip_prefix (char       *path,
              const char *prefix)
{
  if (path != NULL && g_str_has_prefix (path, prefix) && path[strlen (prefix)] != '\0')
    {
      char *stripped = g_strdup (path + strlen (prefix));

      g_free (path);
      return stripped;
    }

  return path;
}

/* `a/x b/y` in a `diff --git` line: paths may hold spaces, so the new
 * path starts at the last ` b/`. Quoted paths are split at their quotes. */
static void
parse_git_paths (Parser     *parser,
                 const char *text,
                 gsize       length)
{
  const char *split = NULL;

  if (length > 0 && text[0] == '"')
    {
      for (gsize i = 1; i < length; i++)
        {
          if (text[i] == '\\')
            i++;
          else if (text[i] == '"')
            {
              split = text + i + 1;
              break;
            }
        }
    }
  else
    {
      const char *end = text + length;

      for (const char *p = text; p + 3 <= end; p++)
        if (memcmp (p, " b/", 3) == 0 || (p + 4 <= end && memcmp (p, " \"b/", 4) == 0))
          split = p;
    }

  if (split == NULL || split >= text + length)
    return;

  parser->file->old_path = strip_prefix (clean_path (text, split - text), "a/");
  while (split < text + length && *split == ' ')
    split++;
  parser->file->new_path = strip_prefix (clean_path (split, text + length - split), "b/");
}

/* One side of a `---` / `+++` pair; %NULL for /dev/null. */
static char *
header_path (const char *text,
             gsize       length)
{
  char *path = clean_path (text, length);

  if (g_strcmp0 (path, "/dev/null") == 0)
    g_clear_pointer (&path, g_free);

  return path;
}

static void
parse_file_header (Parser     *parser,
                   const char *minus,
                   gsize       minus_length,
                   const char *plus,
                   gsize       plus_length)
{
  g_autofree char *old_path = header_path (minus + 4, minus_length - 4);
  g_autofree char *new_path = header_path (plus + 4, plus_length - 4);
  VdDiffFile *file;

  if (parser->file == NULL || parser->file_has_minus)
    parser_begin_file (parser);
  file = parser->file;
  parser->file_has_minus = TRUE;

  /* git's a/ and b/ go only when both sides carry them. */
  if ((old_path == NULL || g_str_has_prefix (old_path, "a/")) &&
      (new_path == NULL || g_str_has_prefix (new_path, "b/")))
    {
      old_path = strip_prefix (old_path, "a/");
      new_path = strip_prefix (new_path, "b/");
    }

  if (old_path == NULL)
    file->flags |= VD_DIFF_FILE_NEW;
  if (new_path == NULL)
    file->flags |= VD_DIFF_FILE_DELETED;

  g_free (file->old_path);
  file->old_path = g_steal_pointer (&old_path);
  g_free (file->new_path);
  file->new_path = g_steal_pointer (&new_path);
}

/* `-start[,count]` or `+start[,count]`: the count, 1 when left out. */
static gboolean
parse_range (const char **cursor,
             const char  *end,
             char         sign,
             guint64     *count)
{
  const char *p = *cursor;
  char buffer[64];
  char *number_end;
  gsize n;

  while (p < end && *p == ' ')
    p++;
  if (p >= end || *p != sign)
    return FALSE;
  p++;

  for (n = 0; p + n < end && (g_ascii_isdigit (p[n]) || p[n] == ','); n++)
    ;
  if (n == 0 || n >= sizeof buffer)
    return FALSE;
  memcpy (buffer, p, n);
  buffer[n] = '\0';

  if (!g_ascii_isdigit (buffer[0]))
    return FALSE;
  g_ascii_strtoull (buffer, &number_end, 10);
  if (*number_end == ',')
    {
      if (!g_ascii_isdigit (number_end[1]))
        return FALSE;
      *count = g_ascii_strtoull (number_end + 1, &number_end, 10);
      if (*number_end != '\0')
        return FALSE;
    }
  else if (*number_end == '\0')
    *count = 1;
  else
    return FALSE;

  *cursor = p + n;
  return TRUE;
}

static gboolean
parse_hunk_header (Parser     *parser,
                   const char *line,
                   gsize       length)
{
  const char *cursor = line + 2;
  const char *end = line + length;
  guint64 old_count, new_count;

  if (!parse_range (&cursor, end, '-', &old_count) ||
      !parse_range (&cursor, end, '+', &new_count))
    return FALSE;
  while (cursor < end && *cursor == ' ')
    cursor++;
  if (end - cursor < 2 || memcmp (cursor, "@@", 2) != 0)
    return FALSE;

  /* A fragment with hunks only still counts, as a file with no name. */
  if (parser->file == NULL)
    parser_begin_file (parser);

  parser->old_left = old_count;
  parser->new_left = new_count;
  return TRUE;
}

/* `Binary files a/x and b/y differ` from a plain git diff. */
static void
parse_binary_line (Parser     *parser,
                   const char *line,
                   gsize       length)
{
  const char *text = line + strlen ("Binary files ");
  const char *end = line + length - strlen (" differ");
  const char *and = NULL;

  if (parser->file == NULL || parser->file_has_minus)
    parser_begin_file (parser);
  parser->file->flags |= VD_DIFF_FILE_BINARY;

  if (parser->file->old_path != NULL || parser->file->new_path != NULL)
    return;

  for (const char *p = text; p + 5 <= end; p++)
    if (memcmp (p, " and ", 5) == 0)
      {
        and = p;
        break;
      }
  if (and == NULL)
    return;

  parser->file->old_path = strip_prefix (header_path (text, and - text), "a/");
  parser->file->new_path = strip_prefix (header_path (and + 5, end - and - 5), "b/");
  if (parser->file->old_path == NULL)
    parser->file->flags |= VD_DIFF_FILE_NEW;
  if (parser->file->new_path == NULL)
    parser->file->flags |= VD_DIFF_FILE_DELETED;
}

static void
set_path (char       **path,
          const char  *text,
          gsize        length)
{
  g_free (*path);
  *path = clean_path (text, length);
}

/* A line outside any hunk, other than a `---` / `+++` pair. */
static void
parse_header_line (Parser     *parser,
                   const char *line,
                   gsize       length)
{
  VdDiffFile *file = parser->file;

  if (has_prefix (line, length, "diff --git "))
    {
      parser_begin_file (parser);
      parse_git_paths (parser, line + 11, length - 11);
    }
  else if (has_prefix (line, length, "diff "))
    {
      /* `diff -u old new`, `diff -r ...`: the paths come with `---`. */
      parser_begin_file (parser);
    }
  else if (parser->in_binary)
    {
      /* The base85 lines of a binary patch. */
    }
  else if (has_prefix (line, length, "@@ "))
    {
      if (!parse_hunk_header (parser, line, length))
        parser->stat->n_malformed++;
    }
  else if (has_prefix (line, length, "Binary files ") &&
           length > 20 && memcmp (line + length - 7, " differ", 7) == 0)
    {
      parse_binary_line (parser, line, length);
    }
  else if (file == NULL)
    {
      /* Text before the first file, like a commit message. */
    }
  else if (has_prefix (line, length, "GIT binary patch"))
    {
      file->flags |= VD_DIFF_FILE_BINARY;
      parser->in_binary = TRUE;
    }
  else if (has_prefix (line, length, "new file mode "))
    file->flags |= VD_DIFF_FILE_NEW;
  else if (has_prefix (line, length, "deleted file mode "))
    file->flags |= VD_DIFF_FILE_DELETED;
  else if (has_prefix (line, length, "old mode ") || has_prefix (line, length, "new mode "))
    file->flags |= VD_DIFF_FILE_MODE;
  else if (has_prefix (line, length, "rename from "))
    {
      file->flags |= VD_DIFF_FILE_RENAMED;
      set_path (&file->old_path, line + 12, length - 12);
    }
  else if (has_prefix (line, length, "rename to "))
    {
      file->flags |= VD_DIFF_FILE_RENAMED;
      set_path (&file->new_path, line + 10, length - 10);
    }
  else if (has_prefix (line, length, "copy from "))
    {
      file->flags |= VD_DIFF_FILE_COPIED;
      set_path (&file->old_path, line + 10, length - 10);
    }
  else if (has_prefix (line, length, "copy to "))
    {
      file->flags |= VD_DIFF_FILE_COPIED;
      set_path (&file->new_path, line + 8, length - 8);
    }
}

/* A line inside a hunk; FALSE when it ends the hunk early and is to be
 * read again as a header line. */
static gboolean
parse_hunk_line (Parser     *parser,
                 const char *line,
                 gsize       length)
{
  char first = length > 0 ? line[0] : ' ';

  switch (first)
    {
    case '+':
      if (parser->new_left == 0)
        break;
      parser->new_left--;
      parser->file->added++;
      parser->stat->added++;
      return TRUE;

    case '-':
      if (parser->old_left == 0)
        break;
      parser->old_left--;
      parser->file->removed++;
      parser->stat->removed++;
      return TRUE;

    case ' ':
      /* Some tools drop the blank of an empty context line. */
      if (parser->old_left == 0 || parser->new_left == 0)
        break;
      parser->old_left--;
      parser->new_left--;
      return TRUE;

    case '\\':
      /* "\ No newline at end of file" */
      return TRUE;

    default:
      break;
    }

  /* The hunk is shorter than its header says. */
  parser->stat->n_malformed++;
  parser->old_left = parser->new_left = 0;
  return FALSE;
}

/* Reads one line; TRUE when it read @next too. */
static gboolean
parse_line (Parser     *parser,
            const char *line,
            gsize       length,
            const char *next,
            gsize       next_length)
{
  if ((parser->old_left > 0 || parser->new_left > 0) && parse_hunk_line (parser, line, length))
    return FALSE;

  if (has_prefix (line, length, "\\"))
    {
      /* "\ No newline at end of file" after a hunk's last line. */
      return FALSE;
    }

  if (!parser->in_binary && has_prefix (line, length, "--- ") && next != NULL &&
      has_prefix (next, next_length, "+++ "))
    {
      parse_file_header (parser, line, length, next, next_length);
      return TRUE;
    }

  parse_header_line (parser, line, length);
  return FALSE;
}

/**
 * vd_diff_stat_parse:
 * @text: a unified diff, as `diff -u` or `git diff` writes it
 * @length: the length of @text in bytes, or -1 when it ends with a NUL
 *
 * Counts the files and lines a unified diff changes. Any text is read
 * without failing: lines that are not part of a diff are skipped, and a
 * text that is no diff at all gives no files.
 *
 * Returns: (transfer full): the counts
 */
VdDiffStat *
vd_diff_stat_parse (const char *text,
                    gssize      length)
{
  Parser parser = { 0 };
  const char *end;
  const char *line;

  g_return_val_if_fail (text != NULL || length == 0, NULL);

  if (length < 0)
    length = strlen (text);
  end = text + length;

  parser.stat = g_new0 (VdDiffStat, 1);
  parser.stat->files = g_ptr_array_new_with_free_func ((GDestroyNotify) vd_diff_file_free);

  line = text;
  while (line != NULL && line < end)
    {
      const char *newline = memchr (line, '\n', end - line);
      const char *line_end = newline != NULL ? newline : end;
      const char *next = newline != NULL && newline + 1 < end ? newline + 1 : NULL;
      gsize line_length = line_end - line;
      gsize next_length = 0;

      if (line_length > 0 && line[line_length - 1] == '\r')
        line_length--;

      if (next != NULL)
        {
          const char *next_newline = memchr (next, '\n', end - next);

          next_length = (next_newline != NULL ? next_newline : end) - next;
        }

      if (parse_line (&parser, line, line_length, next, next_length))
        {
          /* The `+++` line was read with its `---`. */
          parser.line++;
          line = next;
          newline = memchr (line, '\n', end - line);
        }

      parser.line++;
      line = newline != NULL ? newline + 1 : NULL;
    }

  if (parser.old_left > 0 || parser.new_left > 0)
    parser.stat->n_malformed++;
  parser_end_file (&parser);

  return parser.stat;
}

/**
 * vd_diff_stat_copy:
 * @stat: counts of a diff
 *
 * Returns: (transfer full): a copy of @stat
 */
VdDiffStat *
vd_diff_stat_copy (const VdDiffStat *stat)
{
  VdDiffStat *copy;

  g_return_val_if_fail (stat != NULL, NULL);

  copy = g_memdup2 (stat, sizeof *stat);
  copy->files = g_ptr_array_new_full (stat->files->len, (GDestroyNotify) vd_diff_file_free);
  for (guint i = 0; i < stat->files->len; i++)
    g_ptr_array_add (copy->files, vd_diff_file_copy (g_ptr_array_index (stat->files, i)));

  return copy;
}

/**
 * vd_diff_stat_free:
 * @stat: (nullable): counts of a diff
 */
void
vd_diff_stat_free (VdDiffStat *stat)
{
  if (stat == NULL)
    return;

  g_ptr_array_unref (stat->files);
  g_free (stat);
}

/**
 * vd_diff_stat_to_string:
 * @stat: counts of a diff
 *
 * Returns: (transfer full): the counts in a line for a reviewer, e.g.
 *   "2 files changed, +14 −3"
 */
char *
vd_diff_stat_to_string (const VdDiffStat *stat)
{
  g_autofree char *files = NULL;

  g_return_val_if_fail (stat != NULL, NULL);

  /* Translators: the start of a diff's summary, e.g. "2 files changed" */
  files = g_strdup_printf (ngettext ("%u file changed", "%u files changed", stat->files->len),
                           stat->files->len);

  /* Translators: a diff's summary: the files changed, then the lines
   * added and removed, e.g. "2 files changed, +14 −3" */
  return g_strdup_printf (_("%s, +%u −%u"), files, stat->added, stat->removed);
}

/**
 * vd_diff_file_get_path:
 * @file: a file of a diff
 *
 * Returns: (nullable): the file's path after the change, or before it for a
 *   deleted file; %NULL when the diff names neither
 */
const char *
vd_diff_file_get_path (const VdDiffFile *file)
{
  g_return_val_if_fail (file != NULL, NULL);

  return file->new_path != NULL ? file->new_path : file->old_path;
}
