/* vd-diff.c
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

#define G_LOG_DOMAIN "vd-diff"

#include "config.h"

#include <string.h>

#include "vd-diff.h"

/*
 * Both texts are cut into tokens (words, runs of blanks, line breaks and
 * single other characters for a word diff; whole lines for a line diff),
 * each distinct token gets a number, and Myers' O(ND) algorithm in its
 * linear-space form (bisecting on the middle snake) finds the longest
 * common subsequence of the two number sequences.
 *
 * The work is bounded: every step of the search draws on a budget, and a
 * part of the texts whose search runs out of it is reported as deleted and
 * inserted as a whole. The result is then always a correct diff, only a
 * coarser one, and the time stays in the tens of milliseconds whatever the
 * input.
 */

/* Steps of the search (diagonals visited plus tokens compared) per diff. */
#define DIFF_BUDGET (2 * 1000 * 1000)

typedef enum
{
  TOKEN_OTHER,
  TOKEN_WORD,
  TOKEN_BLANK,
  TOKEN_NEWLINE,
} TokenClass;

typedef struct
{
  const char *start;
  gsize       len;
  TokenClass  klass;
} Token;

/* A run of tokens common to both sides. */
typedef struct
{
  guint a;
  guint b;
  guint len;
} Match;

typedef struct
{
  GArray  *tokens_a;
  GArray  *tokens_b;
  guint   *a;
  guint   *b;
  gint64   budget;
  gboolean exhausted;
  GArray  *matches;
} Diff;

G_DEFINE_BOXED_TYPE (VdDiffHunk, vd_diff_hunk, vd_diff_hunk_copy, vd_diff_hunk_free)

/**
 * vd_diff_hunk_new:
 * @kind: what the hunk says about @text
 * @text: the text
 *
 * Returns: (transfer full): a new hunk
 */
VdDiffHunk *
vd_diff_hunk_new (VdDiffKind  kind,
                  const char *text)
{
  VdDiffHunk *hunk = g_new0 (VdDiffHunk, 1);

  hunk->kind = kind;
  hunk->text = g_strdup (text != NULL ? text : "");

  return hunk;
}

/**
 * vd_diff_hunk_copy:
 * @hunk: a hunk
 *
 * Returns: (transfer full): a copy of @hunk
 */
VdDiffHunk *
vd_diff_hunk_copy (const VdDiffHunk *hunk)
{
  g_return_val_if_fail (hunk != NULL, NULL);

  return vd_diff_hunk_new (hunk->kind, hunk->text);
}

/**
 * vd_diff_hunk_free:
 * @hunk: (nullable): a hunk
 *
 * Frees @hunk.
 */
void
vd_diff_hunk_free (VdDiffHunk *hunk)
{
  if (hunk == NULL)
    return;

  g_free (hunk->text);
  g_free (hunk);
}

/* Tokens */

static gboolean
is_word_char (gunichar c)
{
  /* A wide (CJK) character is a word of its own: such text has no spaces. */
  return (g_unichar_isalnum (c) || c == '_') && !g_unichar_iswide (c);
}

static gboolean
is_inline_space (gunichar c)
{
  return g_unichar_isspace (c) && c != '\n' && c != '\r';
}

/* Characters that belong to the one before: combining marks, variation
 * selectors and emoji skin tones. */
static gboolean
is_extending (gunichar c)
{
  return g_unichar_ismark (c) || (c >= 0x1F3FB && c <= 0x1F3FF);
}

static gboolean
is_regional_indicator (gunichar c)
{
  return c >= 0x1F1E6 && c <= 0x1F1FF;
}

#define ZERO_WIDTH_JOINER 0x200D

/* Extends a token over what renders as part of its last character, so that
 * no diff ever splits an accent from its letter or an emoji sequence. */
static const char *
skip_extending (const char *p)
{
  while (*p != '\0')
    {
      gunichar c = g_utf8_get_char (p);

      if (is_extending (c))
        {
          p = g_utf8_next_char (p);
        }
      else if (c == ZERO_WIDTH_JOINER)
        {
          p = g_utf8_next_char (p);
          if (*p != '\0')
            p = g_utf8_next_char (p);
        }
      else
        {
          break;
        }
    }

  return p;
}

static void
add_token (GArray     *tokens,
           const char *start,
           const char *end,
           TokenClass  klass)
{
  Token token = { start, end - start, klass };

  g_array_append_val (tokens, token);
}

static GArray *
tokenize_words (const char *text)
{
  GArray *tokens = g_array_new (FALSE, FALSE, sizeof (Token));
  const char *p = text;

  while (*p != '\0')
    {
      const char *start = p;
      gunichar c = g_utf8_get_char (p);

      p = g_utf8_next_char (p);

      if (c == '\r' && *p == '\n')
        {
          add_token (tokens, start, p + 1, TOKEN_NEWLINE);
          p++;
        }
      else if (c == '\n' || c == '\r')
        {
          add_token (tokens, start, p, TOKEN_NEWLINE);
        }
      else if (is_inline_space (c))
        {
          while (*p != '\0' && is_inline_space (g_utf8_get_char (p)))
            p = g_utf8_next_char (p);
          add_token (tokens, start, p, TOKEN_BLANK);
        }
      else if (is_word_char (c))
        {
          while (*p != '\0')
            {
              gunichar next = g_utf8_get_char (p);

              if (is_word_char (next) || is_extending (next))
                p = g_utf8_next_char (p);
              else
                break;
            }
          p = skip_extending (p);
          add_token (tokens, start, p, TOKEN_WORD);
        }
      else
        {
          /* A flag is a pair of regional indicators. */
          if (is_regional_indicator (c) && *p != '\0' &&
              is_regional_indicator (g_utf8_get_char (p)))
            p = g_utf8_next_char (p);
          p = skip_extending (p);
          add_token (tokens, start, p, TOKEN_OTHER);
        }
    }

  return tokens;
}

static GArray *
tokenize_lines (const char *text)
{
  GArray *tokens = g_array_new (FALSE, FALSE, sizeof (Token));
  const char *p = text;

  while (*p != '\0')
    {
      const char *end = strchr (p, '\n');

      end = end != NULL ? end + 1 : p + strlen (p);
      add_token (tokens, p, end, TOKEN_OTHER);
      p = end;
    }

  return tokens;
}

typedef struct
{
  const char *start;
  gsize       len;
} TokenKey;

static guint
token_key_hash (gconstpointer data)
{
  const TokenKey *key = data;
  guint hash = 5381;

  for (gsize i = 0; i < key->len; i++)
    hash = hash * 33 + (guchar) key->start[i];

  return hash;
}

static gboolean
token_key_equal (gconstpointer a,
                 gconstpointer b)
{
  const TokenKey *ka = a;
  const TokenKey *kb = b;

  return ka->len == kb->len && memcmp (ka->start, kb->start, ka->len) == 0;
}

/* Gives every distinct token a number; equal tokens get equal numbers. */
static guint *
number_tokens (GHashTable *numbers,
               GArray     *tokens,
               TokenKey   *keys)
{
  guint *ids = g_new (guint, MAX (tokens->len, 1));

  for (guint i = 0; i < tokens->len; i++)
    {
      const Token *token = &g_array_index (tokens, Token, i);
      gpointer value;

      keys[i].start = token->start;
      keys[i].len = token->len;

      if (!g_hash_table_lookup_extended (numbers, &keys[i], NULL, &value))
        {
          value = GUINT_TO_POINTER (g_hash_table_size (numbers) + 1);
          g_hash_table_insert (numbers, &keys[i], value);
        }

      ids[i] = GPOINTER_TO_UINT (value);
    }

  return ids;
}

/* The search */

static void
add_match (Diff  *diff,
           guint  a,
           guint  b,
           guint  len)
{
  Match match = { a, b, len };

  if (len == 0)
    return;

  if (diff->matches->len > 0)
    {
      Match *last = &g_array_index (diff->matches, Match, diff->matches->len - 1);

      if (last->a + last->len == a && last->b + last->len == b)
        {
          last->len += len;
          return;
        }
    }

  g_array_append_val (diff->matches, match);
}

/*
 * Finds where a shortest edit script of a[0..n) into b[0..m) crosses the
 * middle, searching forward from the start and backward from the end at
 * once. Both sides are non-empty and differ in their first and last token.
 * Returns FALSE when the budget runs out first.
 */
static gboolean
bisect (Diff        *diff,
        const guint *a,
        gssize       n,
        const guint *b,
        gssize       m,
        gssize      *split_x,
        gssize      *split_y)
{
  gssize max_d = (n + m + 1) / 2;
  gssize offset = max_d;
  gssize length = 2 * max_d + 2;
  gssize delta = n - m;
  gboolean front = (delta % 2) != 0;
  gssize k1_start = 0, k1_end = 0, k2_start = 0, k2_end = 0;
  g_autofree gssize *v1 = g_new (gssize, length);
  g_autofree gssize *v2 = g_new (gssize, length);

  for (gssize i = 0; i < length; i++)
    v1[i] = v2[i] = -1;
  v1[offset + 1] = 0;
  v2[offset + 1] = 0;

  diff->budget -= length;

  for (gssize d = 0; d < max_d; d++)
    {
      if (diff->budget < 0)
        return FALSE;

      /* Forward paths. */
      for (gssize k1 = -d + k1_start; k1 <= d - k1_end; k1 += 2)
        {
          gssize k1_offset = offset + k1;
          gssize x1, y1, start;

          if (k1 == -d || (k1 != d && v1[k1_offset - 1] < v1[k1_offset + 1]))
            x1 = v1[k1_offset + 1];
          else
            x1 = v1[k1_offset - 1] + 1;
          y1 = x1 - k1;

          start = x1;
          while (x1 < n && y1 < m && a[x1] == b[y1])
            {
              x1++;
              y1++;
            }
          diff->budget -= 1 + (x1 - start);
          v1[k1_offset] = x1;

          if (x1 > n)
            {
              k1_end += 2;    /* ran off the right edge */
            }
          else if (y1 > m)
            {
              k1_start += 2;  /* ran off the bottom edge */
            }
          else if (front)
            {
              gssize k2_offset = offset + delta - k1;

              if (k2_offset >= 0 && k2_offset < length && v2[k2_offset] != -1)
                {
                  gssize x2 = n - v2[k2_offset];

                  if (x1 >= x2)
                    {
                      *split_x = x1;
                      *split_y = y1;
                      return TRUE;
                    }
                }
            }
        }

      /* Reverse paths. */
      for (gssize k2 = -d + k2_start; k2 <= d - k2_end; k2 += 2)
        {
          gssize k2_offset = offset + k2;
          gssize x2, y2, start;

          if (k2 == -d || (k2 != d && v2[k2_offset - 1] < v2[k2_offset + 1]))
            x2 = v2[k2_offset + 1];
          else
            x2 = v2[k2_offset - 1] + 1;
          y2 = x2 - k2;

          start = x2;
          while (x2 < n && y2 < m && a[n - x2 - 1] == b[m - y2 - 1])
            {
              x2++;
              y2++;
            }
          diff->budget -= 1 + (x2 - start);
          v2[k2_offset] = x2;

          if (x2 > n)
            {
              k2_end += 2;
            }
          else if (y2 > m)
            {
              k2_start += 2;
            }
          else if (!front)
            {
              gssize k1_offset = offset + delta - k2;

              if (k1_offset >= 0 && k1_offset < length && v1[k1_offset] != -1)
                {
                  gssize x1 = v1[k1_offset];
                  gssize y1 = offset + x1 - k1_offset;

                  if (x1 >= n - x2)
                    {
                      *split_x = x1;
                      *split_y = y1;
                      return TRUE;
                    }
                }
            }
        }
    }

  /* Nothing in common: the caller reports both sides whole. */
  *split_x = -1;
  *split_y = -1;
  return TRUE;
}

static void
diff_range (Diff  *diff,
            guint  a_lo,
            guint  a_hi,
            guint  b_lo,
            guint  b_hi)
{
  guint prefix = 0, suffix = 0;
  gssize x, y;

  while (a_lo + prefix < a_hi && b_lo + prefix < b_hi &&
         diff->a[a_lo + prefix] == diff->b[b_lo + prefix])
    prefix++;
  add_match (diff, a_lo, b_lo, prefix);
  a_lo += prefix;
  b_lo += prefix;

  while (a_lo < a_hi - suffix && b_lo < b_hi - suffix &&
         diff->a[a_hi - suffix - 1] == diff->b[b_hi - suffix - 1])
    suffix++;
  a_hi -= suffix;
  b_hi -= suffix;

  if (a_lo < a_hi && b_lo < b_hi)
    {
      if (!bisect (diff, diff->a + a_lo, a_hi - a_lo, diff->b + b_lo, b_hi - b_lo, &x, &y))
        {
          diff->exhausted = TRUE;
        }
      else if (x >= 0)
        {
          diff_range (diff, a_lo, a_lo + x, b_lo, b_lo + y);
          diff_range (diff, a_lo + x, a_hi, b_lo + y, b_hi);
        }
    }

  add_match (diff, a_hi, b_hi, suffix);
}

/* Hunks */

static gboolean
tokens_are_blank (GArray *tokens,
                  guint   from,
                  guint   len)
{
  for (guint i = from; i < from + len; i++)
    {
      if (g_array_index (tokens, Token, i).klass != TOKEN_BLANK)
        return FALSE;
    }

  return TRUE;
}

static void
add_hunk (GPtrArray  *hunks,
          VdDiffKind  kind,
          GArray     *tokens,
          guint       from,
          guint       to)
{
  const Token *first, *last;
  VdDiffHunk *hunk;

  if (from >= to)
    return;

  first = &g_array_index (tokens, Token, from);
  last = &g_array_index (tokens, Token, to - 1);

  hunk = g_new0 (VdDiffHunk, 1);
  hunk->kind = kind;
  hunk->text = g_strndup (first->start, (last->start + last->len) - first->start);
  g_ptr_array_add (hunks, hunk);
}

static gboolean
same_ids (const guint *x,
          const guint *y,
          guint        len)
{
  return memcmp (x, y, len * sizeof (guint)) == 0;
}

/*
 * Of two equally short diffs, prefers the one whose changes touch: when a
 * deletion (or insertion) is followed by blanks it starts with, as in
 * "policy| policy| |Y" against "policy| |EDIT  |Y", the blanks are kept
 * before it rather than after ("policy |policy |Y"), so that it joins the
 * change that follows.
 */
static GArray *
compact_matches (Diff *diff)
{
  GArray *out = g_array_sized_new (FALSE, FALSE, sizeof (Match), diff->matches->len);
  guint n_a = diff->tokens_a->len;
  guint n_b = diff->tokens_b->len;

  for (guint i = 0; i < diff->matches->len; i++)
    {
      const Match *match = &g_array_index (diff->matches, Match, i);

      if (out->len > 0 &&
          (i + 1 < diff->matches->len ||
           match->a + match->len < n_a || match->b + match->len < n_b) &&
          tokens_are_blank (diff->tokens_a, match->a, match->len))
        {
          Match *previous = &g_array_index (out, Match, out->len - 1);
          guint gap_a_start = previous->a + previous->len;
          guint gap_b_start = previous->b + previous->len;
          guint gap_a = match->a - gap_a_start;
          guint gap_b = match->b - gap_b_start;

          if ((gap_b == 0 && gap_a >= match->len &&
               same_ids (diff->a + gap_a_start, diff->a + match->a, match->len)) ||
              (gap_a == 0 && gap_b >= match->len &&
               same_ids (diff->b + gap_b_start, diff->b + match->b, match->len)))
            {
              previous->len += match->len;
              continue;
            }
        }

      g_array_append_val (out, *match);
    }

  return out;
}

/*
 * Turns the common runs into hunks: between two runs, all that left the old
 * side as one deletion, then all that entered the new side as one insertion.
 * A run of blanks between two changes is no real common ground ("red car" to
 * "blue bike" keeps nothing but a space): it joins the changes around it.
 */
static GPtrArray *
build_hunks (Diff *diff)
{
  GPtrArray *hunks = g_ptr_array_new_with_free_func ((GDestroyNotify) vd_diff_hunk_free);
  guint n_a = diff->tokens_a->len;
  guint n_b = diff->tokens_b->len;
  g_autoptr(GArray) matches = compact_matches (diff);
  guint a_pos = 0, b_pos = 0;

  for (guint i = 0; i <= matches->len; i++)
    {
      Match match;

      if (i < matches->len)
        match = g_array_index (matches, Match, i);
      else
        match = (Match) { n_a, n_b, 0 };

      if (match.len > 0 &&
          (match.a > a_pos || match.b > b_pos) &&
          (i + 1 < matches->len ||
           match.a + match.len < n_a || match.b + match.len < n_b) &&
          tokens_are_blank (diff->tokens_a, match.a, match.len))
        continue;

      add_hunk (hunks, VD_DIFF_DELETE, diff->tokens_a, a_pos, match.a);
      add_hunk (hunks, VD_DIFF_INSERT, diff->tokens_b, b_pos, match.b);
      add_hunk (hunks, VD_DIFF_EQUAL, diff->tokens_a, match.a, match.a + match.len);

      a_pos = match.a + match.len;
      b_pos = match.b + match.len;
    }

  return hunks;
}

static GPtrArray *
diff_tokens (const char *old_text,
             const char *new_text,
             gboolean    by_words,
             gboolean   *coarse)
{
  g_autoptr(GHashTable) numbers = NULL;
  g_autofree char *valid_old = NULL;
  g_autofree char *valid_new = NULL;
  g_autofree TokenKey *keys_a = NULL;
  g_autofree TokenKey *keys_b = NULL;
  GPtrArray *hunks;
  Diff diff = { 0 };

  if (old_text == NULL)
    old_text = "";
  if (new_text == NULL)
    new_text = "";

  /* Cut only at character boundaries, even in broken text. */
  if (!g_utf8_validate (old_text, -1, NULL))
    old_text = valid_old = g_utf8_make_valid (old_text, -1);
  if (!g_utf8_validate (new_text, -1, NULL))
    new_text = valid_new = g_utf8_make_valid (new_text, -1);

  if (by_words)
    {
      diff.tokens_a = tokenize_words (old_text);
      diff.tokens_b = tokenize_words (new_text);
    }
  else
    {
      diff.tokens_a = tokenize_lines (old_text);
      diff.tokens_b = tokenize_lines (new_text);
    }

  numbers = g_hash_table_new (token_key_hash, token_key_equal);
  keys_a = g_new (TokenKey, MAX (diff.tokens_a->len, 1));
  keys_b = g_new (TokenKey, MAX (diff.tokens_b->len, 1));
  diff.a = number_tokens (numbers, diff.tokens_a, keys_a);
  diff.b = number_tokens (numbers, diff.tokens_b, keys_b);
  diff.budget = DIFF_BUDGET;
  diff.matches = g_array_new (FALSE, FALSE, sizeof (Match));

  diff_range (&diff, 0, diff.tokens_a->len, 0, diff.tokens_b->len);
  hunks = build_hunks (&diff);

  if (coarse != NULL)
    *coarse = diff.exhausted;

  g_array_unref (diff.matches);
  g_array_unref (diff.tokens_a);
  g_array_unref (diff.tokens_b);
  g_free (diff.a);
  g_free (diff.b);

  return hunks;
}

/**
 * vd_diff_words:
 * @old_text: (nullable): the old text
 * @new_text: (nullable): the new text
 * @coarse: (out) (optional): set to %TRUE when the diff is coarser than
 *   asked for: done by lines, or with some passages replaced whole
 *
 * Compares two texts word by word. Blanks, line breaks and punctuation are
 * compared too, so the hunks put together give back both texts exactly; a
 * replaced passage is one deletion followed by one insertion. Texts larger
 * than %VD_DIFF_WORD_LIMIT together are compared by lines instead, and the
 * work is bounded, so this returns quickly whatever the input.
 *
 * Returns: (transfer container) (element-type VdDiffHunk): the hunks, in
 *   order; empty when both texts are empty
 */
GPtrArray *
vd_diff_words (const char *old_text,
               const char *new_text,
               gboolean   *coarse)
{
  gsize size = (old_text != NULL ? strlen (old_text) : 0) +
               (new_text != NULL ? strlen (new_text) : 0);

  if (size > VD_DIFF_WORD_LIMIT)
    {
      GPtrArray *hunks = diff_tokens (old_text, new_text, FALSE, NULL);

      if (coarse != NULL)
        *coarse = TRUE;
      return hunks;
    }

  return diff_tokens (old_text, new_text, TRUE, coarse);
}

/**
 * vd_diff_lines:
 * @old_text: (nullable): the old text
 * @new_text: (nullable): the new text
 * @coarse: (out) (optional): set to %TRUE when the work limit left some
 *   passages replaced whole
 *
 * Compares two texts line by line; a line includes its line break.
 *
 * Returns: (transfer container) (element-type VdDiffHunk): the hunks, in
 *   order; empty when both texts are empty
 */
GPtrArray *
vd_diff_lines (const char *old_text,
               const char *new_text,
               gboolean   *coarse)
{
  return diff_tokens (old_text, new_text, FALSE, coarse);
}

/**
 * vd_diff_side:
 * @hunks: (element-type VdDiffHunk): a diff
 * @side: %VD_DIFF_DELETE for the old text, %VD_DIFF_INSERT for the new one
 *
 * Puts one side of a diff back together.
 *
 * Returns: (transfer full): the text of that side
 */
char *
vd_diff_side (GPtrArray  *hunks,
              VdDiffKind  side)
{
  GString *text;

  g_return_val_if_fail (hunks != NULL, NULL);
  g_return_val_if_fail (side == VD_DIFF_DELETE || side == VD_DIFF_INSERT, NULL);

  text = g_string_new (NULL);

  for (guint i = 0; i < hunks->len; i++)
    {
      const VdDiffHunk *hunk = g_ptr_array_index (hunks, i);

      if (hunk->kind == VD_DIFF_EQUAL || hunk->kind == side)
        g_string_append (text, hunk->text);
    }

  return g_string_free (text, FALSE);
}
