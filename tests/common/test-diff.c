/* test-diff.c
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

#define G_LOG_DOMAIN "test-diff"

#include "config.h"

#include <string.h>
#include <time.h>

#include "vd-diff.h"

/* The sanitizers slow everything down several times. */
#if defined(__SANITIZE_ADDRESS__)
# define TIME_LIMIT_MS 1000.0
#else
# define TIME_LIMIT_MS 100.0
#endif

#define E VD_DIFF_EQUAL
#define I VD_DIFF_INSERT
#define D VD_DIFF_DELETE

typedef struct
{
  VdDiffKind  kind;
  const char *text;
} Expected;

static const char *
kind_name (VdDiffKind kind)
{
  switch (kind)
    {
    case VD_DIFF_EQUAL:
      return "=";
    case VD_DIFF_INSERT:
      return "+";
    case VD_DIFF_DELETE:
      return "-";
    default:
      return "?";
    }
}

/* The hunks as one line, e.g. `=[The ] -[red] +[blue]`, for clear failures. */
static char *
describe (GPtrArray *hunks)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < hunks->len; i++)
    {
      const VdDiffHunk *hunk = g_ptr_array_index (hunks, i);

      g_string_append_printf (out, "%s%s[%s]", i > 0 ? " " : "", kind_name (hunk->kind),
                              hunk->text);
    }

  return g_string_free (out, FALSE);
}

static char *
describe_expected (const Expected *expected,
                   guint           n_expected)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < n_expected; i++)
    g_string_append_printf (out, "%s%s[%s]", i > 0 ? " " : "", kind_name (expected[i].kind),
                            expected[i].text);

  return g_string_free (out, FALSE);
}

/* Every diff gives back both texts, in valid UTF-8, with no empty hunk and
 * no two neighbours of the same kind. */
static void
assert_consistent (GPtrArray  *hunks,
                   const char *old_text,
                   const char *new_text)
{
  g_autofree char *old_side = vd_diff_side (hunks, VD_DIFF_DELETE);
  g_autofree char *new_side = vd_diff_side (hunks, VD_DIFF_INSERT);

  g_assert_cmpstr (old_side, ==, old_text);
  g_assert_cmpstr (new_side, ==, new_text);

  for (guint i = 0; i < hunks->len; i++)
    {
      const VdDiffHunk *hunk = g_ptr_array_index (hunks, i);

      g_assert_nonnull (hunk->text);
      g_assert_cmpuint (strlen (hunk->text), >, 0);
      g_assert_true (g_utf8_validate (hunk->text, -1, NULL));

      if (i > 0)
        {
          const VdDiffHunk *previous = g_ptr_array_index (hunks, i - 1);

          g_assert_cmpint (previous->kind, !=, hunk->kind);
          /* A replacement is a deletion, then an insertion. */
          g_assert_false (previous->kind == VD_DIFF_INSERT && hunk->kind == VD_DIFF_DELETE);
        }
    }
}

#define assert_words(old_text, new_text, ...)                                      \
  G_STMT_START {                                                                  \
    const Expected _expected[] = { __VA_ARGS__ };                                 \
    check_diff (old_text, new_text, TRUE, _expected, G_N_ELEMENTS (_expected));   \
  } G_STMT_END

#define assert_lines(old_text, new_text, ...)                                      \
  G_STMT_START {                                                                  \
    const Expected _expected[] = { __VA_ARGS__ };                                 \
    check_diff (old_text, new_text, FALSE, _expected, G_N_ELEMENTS (_expected));  \
  } G_STMT_END

static void
check_diff (const char     *old_text,
            const char     *new_text,
            gboolean        by_words,
            const Expected *expected,
            guint           n_expected)
{
  g_autoptr(GPtrArray) hunks = NULL;
  g_autofree char *got = NULL;
  g_autofree char *want = NULL;
  gboolean coarse = TRUE;

  if (by_words)
    hunks = vd_diff_words (old_text, new_text, &coarse);
  else
    hunks = vd_diff_lines (old_text, new_text, &coarse);

  got = describe (hunks);
  want = describe_expected (expected, n_expected);
  g_assert_cmpstr (got, ==, want);
  g_assert_false (coarse);

  assert_consistent (hunks, old_text != NULL ? old_text : "", new_text != NULL ? new_text : "");
}

static void
test_diff_identical (void)
{
  assert_words ("Approve the refund.", "Approve the refund.",
                { E, "Approve the refund." });
  assert_lines ("one\ntwo\n", "one\ntwo\n",
                { E, "one\ntwo\n" });
}

static void
test_diff_empty (void)
{
  g_autoptr(GPtrArray) both = NULL;
  g_autoptr(GPtrArray) nulls = NULL;
  gboolean coarse = TRUE;

  both = vd_diff_words ("", "", &coarse);
  g_assert_cmpuint (both->len, ==, 0);
  g_assert_false (coarse);

  nulls = vd_diff_lines (NULL, NULL, NULL);
  g_assert_cmpuint (nulls->len, ==, 0);

  assert_words ("", "Reject: the IBAN is invalid.",
                { I, "Reject: the IBAN is invalid." });
  assert_words ("Reject: the IBAN is invalid.", "",
                { D, "Reject: the IBAN is invalid." });
  assert_words (NULL, "new", { I, "new" });
  assert_words ("old", NULL, { D, "old" });
  assert_lines ("", "a\nb\n", { I, "a\nb\n" });
  assert_lines ("a\nb", "", { D, "a\nb" });
}

static void
test_diff_words (void)
{
  /* One word replaced. */
  assert_words ("The quick brown fox", "The quick red fox",
                { E, "The quick " }, { D, "brown" }, { I, "red" }, { E, " fox" });

  /* A word inserted keeps its space with it. */
  assert_words ("pay the invoice", "pay the full invoice",
                { E, "pay the " }, { I, "full " }, { E, "invoice" });

  /* A clause removed; the punctuation is compared too. */
  assert_words ("Approve the refund, then notify the customer.", "Approve the refund.",
                { E, "Approve the refund" }, { D, ", then notify the customer" }, { E, "." });

  /* A number changed inside a sentence. */
  assert_words ("Transfer $12,500.00 today.", "Transfer $12,750.00 today.",
                { E, "Transfer $12," }, { D, "500" }, { I, "750" }, { E, ".00 today." });

  /* Nothing but a space in common: one replacement, not two. */
  assert_words ("red car", "blue bike",
                { D, "red car" }, { I, "blue bike" });

  /* Two separate changes stay separate around a real word. */
  assert_words ("one two three", "uno two tres",
                { D, "one" }, { I, "uno" }, { E, " two " }, { D, "three" }, { I, "tres" });

  /* A repeated word: the blank goes with the word kept, the change is one. */
  assert_words ("pay policy policy now", "pay policy NEW  now",
                { E, "pay policy " }, { D, "policy " }, { I, "NEW  " }, { E, "now" });

  /* Whole texts replaced. */
  assert_words ("alpha", "beta", { D, "alpha" }, { I, "beta" });

  /* Line breaks are tokens of their own. */
  assert_words ("a\nb", "a\n\nb", { E, "a\n" }, { I, "\n" }, { E, "b" });
  assert_words ("line one\r\nline two", "line one\nline two",
                { E, "line one" }, { D, "\r\n" }, { I, "\n" }, { E, "line two" });

  /* Blanks are kept exactly. */
  assert_words ("a  b", "a b", { E, "a" }, { D, "  " }, { I, " " }, { E, "b" });
  assert_words ("x\ty", "x\ty z", { E, "x\ty" }, { I, " z" });
}

static void
test_diff_unicode (void)
{
  /* Non-ASCII letters are word characters. */
  assert_words ("Überweisung an Müller GmbH", "Überweisung an Möller GmbH",
                { E, "Überweisung an " }, { D, "Müller" }, { I, "Möller" }, { E, " GmbH" });

  /* A combining accent stays with its letter. */
  assert_words ("cafe\xcc\x81 ouvert", "caf\xc3\xa9 ouvert",
                { D, "cafe\xcc\x81" }, { I, "caf\xc3\xa9" }, { E, " ouvert" });
  /* A mark with no letter before it stands alone. */
  assert_words ("\xcc\x81x", "\xcc\x81y", { E, "\xcc\x81" }, { D, "x" }, { I, "y" });

  /* Chinese has no spaces: each ideograph is a word. */
  assert_words ("今天天气很好", "今天天气不好",
                { E, "今天天气" }, { D, "很" }, { I, "不" }, { E, "好" });

  /* Emoji sequences and flags are never cut apart. */
  assert_words ("👩‍💻 done", "👩‍🔬 done",
                { D, "👩‍💻" }, { I, "👩‍🔬" }, { E, " done" });
  assert_words ("ok 👍🏽", "ok 👍🏿",
                { E, "ok " }, { D, "👍🏽" }, { I, "👍🏿" });
  assert_words ("🇩🇪🇫🇷", "🇩🇪🇮🇹",
                { E, "🇩🇪" }, { D, "🇫🇷" }, { I, "🇮🇹" });
  assert_words ("Ελληνικά κείμενα", "Ελληνικά γράμματα",
                { E, "Ελληνικά " }, { D, "κείμενα" }, { I, "γράμματα" });
}

static void
test_diff_invalid_utf8 (void)
{
  g_autoptr(GPtrArray) hunks = vd_diff_words ("abc\xff def", "abc\xff xyz", NULL);
  g_autofree char *got = describe (hunks);

  /* Broken bytes become U+FFFD; the diff is still valid UTF-8. */
  g_assert_cmpstr (got, ==, "=[abc\xef\xbf\xbd ] -[def] +[xyz]");
  assert_consistent (hunks, "abc\xef\xbf\xbd def", "abc\xef\xbf\xbd xyz");
}

static void
test_diff_lines (void)
{
  assert_lines ("one\ntwo\nthree\n", "one\n2\nthree\nfour",
                { E, "one\n" }, { D, "two\n" }, { I, "2\n" }, { E, "three\n" }, { I, "four" });
  assert_lines ("a\nb\nc\n", "b\nc\n", { D, "a\n" }, { E, "b\nc\n" });
  /* A changed last line without a line break. */
  assert_lines ("a\nb", "a\nb\n", { E, "a\n" }, { D, "b" }, { I, "b\n" });
}

/* The longest common subsequence of two line lists, the slow way. */
static guint
lcs_length (GStrv a,
            GStrv b)
{
  guint n = g_strv_length (a), m = g_strv_length (b);
  g_autofree guint *table = g_new0 (guint, (n + 1) * (m + 1));

  for (guint i = 1; i <= n; i++)
    for (guint j = 1; j <= m; j++)
      {
        if (g_str_equal (a[i - 1], b[j - 1]))
          table[i * (m + 1) + j] = table[(i - 1) * (m + 1) + j - 1] + 1;
        else
          table[i * (m + 1) + j] = MAX (table[(i - 1) * (m + 1) + j],
                                        table[i * (m + 1) + j - 1]);
      }

  return table[n * (m + 1) + m];
}

static char *
random_lines (GRand *rand,
              GStrv *lines)
{
  static const char * const alphabet[] = { "a\n", "b\n", "c\n", "d\n" };
  GStrvBuilder *builder = g_strv_builder_new ();
  GString *text = g_string_new (NULL);
  guint n = g_rand_int_range (rand, 0, 30);

  for (guint i = 0; i < n; i++)
    {
      const char *line = alphabet[g_rand_int_range (rand, 0, G_N_ELEMENTS (alphabet))];

      g_string_append (text, line);
      g_strv_builder_add (builder, line);
    }

  *lines = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);

  return g_string_free (text, FALSE);
}

/* Without a budget problem the diff is minimal: it keeps as many lines as
 * the longest common subsequence has. */
static void
test_diff_minimal (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261120);

  for (guint round = 0; round < 2000; round++)
    {
      g_auto(GStrv) a_lines = NULL;
      g_auto(GStrv) b_lines = NULL;
      g_autofree char *a = random_lines (rand, &a_lines);
      g_autofree char *b = random_lines (rand, &b_lines);
      g_autoptr(GPtrArray) hunks = NULL;
      gboolean coarse = TRUE;
      guint kept = 0;

      hunks = vd_diff_lines (a, b, &coarse);
      g_assert_false (coarse);
      assert_consistent (hunks, a, b);

      for (guint i = 0; i < hunks->len; i++)
        {
          const VdDiffHunk *hunk = g_ptr_array_index (hunks, i);

          if (hunk->kind == VD_DIFF_EQUAL)
            kept += strlen (hunk->text) / 2;
        }

      g_assert_cmpuint (kept, ==, lcs_length (a_lines, b_lines));
    }
}

/* Random small word texts over a tiny vocabulary: many ties and repeats. */
static void
test_diff_random_words (void)
{
  static const char * const words[] = { "a", "b", " ", "  ", "\n", ",", "é", "今", "👍🏽" };
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);

  for (guint round = 0; round < 3000; round++)
    {
      g_autoptr(GString) a = g_string_new (NULL);
      g_autoptr(GString) b = g_string_new (NULL);
      g_autoptr(GPtrArray) hunks = NULL;
      guint n_a = g_rand_int_range (rand, 0, 25);
      guint n_b = g_rand_int_range (rand, 0, 25);

      for (guint i = 0; i < n_a; i++)
        g_string_append (a, words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))]);
      for (guint i = 0; i < n_b; i++)
        g_string_append (b, words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))]);

      hunks = vd_diff_words (a->str, b->str, NULL);
      assert_consistent (hunks, a->str, b->str);
    }
}

static const char * const vocabulary[] = {
  "the", "payment", "invoice", "supplier", "approve", "reject", "customer", "account",
  "amount", "contract", "deploy", "release", "review", "policy", "confidence", "agent",
  "output", "refund", "schedule", "risk", "médecin", "Zahlung", "付款", "data", "model",
  "threshold", "escalate", "queue", "reason", "context", "notes", "and", "of", "to", "in",
};

/* About @size bytes of prose: words, punctuation and paragraphs. */
static GString *
random_text (GRand *rand,
             gsize  size)
{
  GString *text = g_string_new (NULL);

  while (text->len < size)
    {
      guint r = g_rand_int_range (rand, 0, 100);

      g_string_append (text, vocabulary[g_rand_int_range (rand, 0, G_N_ELEMENTS (vocabulary))]);
      if (r < 5)
        g_string_append (text, ".\n\n");
      else if (r < 12)
        g_string_append (text, ", ");
      else
        g_string_append_c (text, ' ');
    }

  return text;
}

/* The CPU time of this thread, in microseconds: unlike the wall clock, it
 * does not grow while other tests run in parallel. */
static gint64
cpu_time_us (void)
{
  struct timespec now;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &now);

  return (gint64) now.tv_sec * G_USEC_PER_SEC + now.tv_nsec / 1000;
}

static double
elapsed_ms (gint64 start)
{
  return (cpu_time_us () - start) / 1000.0;
}

/* 100 KB of text with a hundred scattered edits: a full word diff, fast. */
static void
test_diff_big_edits (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  g_autoptr(GString) old_text = random_text (rand, 100 * 1024);
  g_autoptr(GString) new_text = g_string_new (old_text->str);
  g_autoptr(GPtrArray) hunks = NULL;
  gboolean coarse = TRUE;
  guint n_edits = 100;
  gsize inserted = 0;
  guint n_changes = 0;
  gint64 start;
  double ms;

  /* Edits from the end backwards, so that positions stay valid; each
   * inserts a marker word the old text cannot contain. */
  for (guint i = 0; i < n_edits; i++)
    {
      gsize pos = new_text->len - (i + 1) * (new_text->len / (n_edits + 1));
      g_autofree char *marker = g_strdup_printf (" EDIT%03u ", i);

      while (pos > 0 && new_text->str[pos] != ' ')
        pos--;
      if (i % 3 == 0)
        {
          /* Replace the next word. */
          gsize end = pos + 1;

          while (end < new_text->len && new_text->str[end] != ' ' &&
                 new_text->str[end] != '\n' && new_text->str[end] != ',')
            end++;
          g_string_erase (new_text, pos, end - pos);
        }
      g_string_insert (new_text, pos, marker);
      inserted += strlen (marker);
    }

  start = cpu_time_us ();
  hunks = vd_diff_words (old_text->str, new_text->str, &coarse);
  ms = elapsed_ms (start);

  g_test_message ("word diff of %zu and %zu bytes with %u edits: %u hunks in %.1f ms",
                  old_text->len, new_text->len, n_edits, hunks->len, ms);

  g_assert_false (coarse);
  assert_consistent (hunks, old_text->str, new_text->str);
  g_assert_cmpfloat (ms, <, TIME_LIMIT_MS);

  /* Every change is one of the edits, and no bigger than it. */
  for (guint i = 0; i < hunks->len; i++)
    {
      const VdDiffHunk *hunk = g_ptr_array_index (hunks, i);

      if (hunk->kind == VD_DIFF_INSERT)
        {
          g_assert_nonnull (strstr (hunk->text, "EDIT"));
          g_assert_cmpuint (strlen (hunk->text), <=, strlen (" EDIT000 "));
          n_changes++;
        }
      else if (hunk->kind == VD_DIFF_DELETE)
        {
          g_assert_cmpuint (strlen (hunk->text), <, 32);
        }
    }
  g_assert_cmpuint (n_changes, ==, n_edits);
  g_assert_cmpuint (inserted, >=, n_edits * strlen ("EDIT000 "));
}

/* Two unrelated 100 KB texts over the same words: the worst case for the
 * search, which must stop at its budget and still give a correct diff. */
static void
test_diff_big_unrelated (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (11);
  g_autoptr(GString) old_text = random_text (rand, 100 * 1024);
  g_autoptr(GString) new_text = random_text (rand, 100 * 1024);
  g_autoptr(GPtrArray) hunks = NULL;
  gboolean coarse = FALSE;
  gint64 start;
  double ms;

  start = cpu_time_us ();
  hunks = vd_diff_words (old_text->str, new_text->str, &coarse);
  ms = elapsed_ms (start);

  g_test_message ("word diff of two unrelated texts of %zu and %zu bytes: "
                  "%u hunks in %.1f ms (coarse: %s)",
                  old_text->len, new_text->len, hunks->len, ms, coarse ? "yes" : "no");

  g_assert_true (coarse);
  assert_consistent (hunks, old_text->str, new_text->str);
  g_assert_cmpfloat (ms, <, TIME_LIMIT_MS);
}

/* Beyond the word limit the diff goes by lines, still bounded in time. */
static void
test_diff_over_limit (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (3);
  g_autoptr(GString) old_text = random_text (rand, VD_DIFF_WORD_LIMIT / 2 + 1024);
  g_autoptr(GString) new_text = g_string_new (old_text->str);
  g_autoptr(GString) unrelated = random_text (rand, VD_DIFF_WORD_LIMIT / 2 + 1024);
  g_autoptr(GPtrArray) hunks = NULL;
  g_autoptr(GPtrArray) worst = NULL;
  gboolean coarse = FALSE;
  gint64 start;
  double ms;

  g_string_insert (new_text, new_text->len / 2, "\nA NEW LINE\n");

  start = cpu_time_us ();
  hunks = vd_diff_words (old_text->str, new_text->str, &coarse);
  ms = elapsed_ms (start);
  g_test_message ("diff of %zu and %zu bytes, by lines: %u hunks in %.1f ms",
                  old_text->len, new_text->len, hunks->len, ms);

  g_assert_true (coarse);
  assert_consistent (hunks, old_text->str, new_text->str);
  g_assert_cmpfloat (ms, <, TIME_LIMIT_MS * 3);

  /* Whole lines: every hunk but the last ends with a line break. */
  for (guint i = 0; i + 1 < hunks->len; i++)
    {
      const VdDiffHunk *hunk = g_ptr_array_index (hunks, i);

      g_assert_true (g_str_has_suffix (hunk->text, "\n"));
    }

  start = cpu_time_us ();
  worst = vd_diff_words (old_text->str, unrelated->str, NULL);
  ms = elapsed_ms (start);
  g_test_message ("diff of two unrelated texts of %zu and %zu bytes: %u hunks in %.1f ms",
                  old_text->len, unrelated->len, worst->len, ms);
  assert_consistent (worst, old_text->str, unrelated->str);
  g_assert_cmpfloat (ms, <, TIME_LIMIT_MS * 3);
}

static void
test_diff_hunk_boxed (void)
{
  g_autoptr(VdDiffHunk) hunk = vd_diff_hunk_new (VD_DIFF_INSERT, "añadido");
  g_autoptr(VdDiffHunk) copy = g_boxed_copy (VD_TYPE_DIFF_HUNK, hunk);

  g_assert_cmpint (copy->kind, ==, VD_DIFF_INSERT);
  g_assert_cmpstr (copy->text, ==, "añadido");
  g_assert_true (copy->text != hunk->text);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/diff/identical", test_diff_identical);
  g_test_add_func ("/diff/empty", test_diff_empty);
  g_test_add_func ("/diff/words", test_diff_words);
  g_test_add_func ("/diff/unicode", test_diff_unicode);
  g_test_add_func ("/diff/invalid-utf8", test_diff_invalid_utf8);
  g_test_add_func ("/diff/lines", test_diff_lines);
  g_test_add_func ("/diff/minimal", test_diff_minimal);
  g_test_add_func ("/diff/random-words", test_diff_random_words);
  g_test_add_func ("/diff/big-edits", test_diff_big_edits);
  g_test_add_func ("/diff/big-unrelated", test_diff_big_unrelated);
  g_test_add_func ("/diff/over-limit", test_diff_over_limit);
  g_test_add_func ("/diff/hunk-boxed", test_diff_hunk_boxed);

  return g_test_run ();
}
