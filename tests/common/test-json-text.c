/* test-json-text.c
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

#define G_LOG_DOMAIN "test-json-text"

#include "config.h"

#include "vd-json-text.h"

static char *
quote (const char      *text,
       gssize           max_chars,
       VdJsonTextFlags  flags)
{
  GString *out = g_string_new (NULL);

  vd_json_append_string (out, text, max_chars, flags);
  return g_string_free (out, FALSE);
}

#define assert_quoted(text, max_chars, flags, expected) \
  G_STMT_START { \
    g_autofree char *quoted_ = quote ((text), (max_chars), (flags)); \
    g_assert_cmpstr (quoted_, ==, (expected)); \
  } G_STMT_END

/* The audit trail hashes this form: any change here breaks the hash
 * chains of existing stores. */
static void
test_json_text_default (void)
{
  assert_quoted ("", -1, VD_JSON_TEXT_DEFAULT, "\"\"");
  assert_quoted ("a\"b\\c/d", -1, VD_JSON_TEXT_DEFAULT, "\"a\\\"b\\\\c/d\"");
  assert_quoted ("\b\f\n\r\t", -1, VD_JSON_TEXT_DEFAULT, "\"\\b\\f\\n\\r\\t\"");
  assert_quoted ("\x01\x1f\x7f", -1, VD_JSON_TEXT_DEFAULT, "\"\\u0001\\u001f\x7f\"");
  /* Non-ASCII, U+2028 and invisible characters stay as they are. */
  assert_quoted ("é\u2028\u200b😀", -1, VD_JSON_TEXT_DEFAULT, "\"é\u2028\u200b😀\"");
  /* So do bytes that are not UTF-8. */
  assert_quoted ("a\xff\xc3\"", -1, VD_JSON_TEXT_DEFAULT, "\"a\xff\xc3\\\"\"");
}

static void
test_json_text_invisible (void)
{
  assert_quoted ("del\u200bete", -1, VD_JSON_TEXT_ESCAPE_INVISIBLE, "\"del\\u200bete\"");
  assert_quoted ("\u00ad\ufe0f", -1, VD_JSON_TEXT_ESCAPE_INVISIBLE, "\"\\u00ad\\ufe0f\"");
  /* Beyond the BMP: a surrogate pair (U+E0001 LANGUAGE TAG). */
  assert_quoted ("\U000E0001", -1, VD_JSON_TEXT_ESCAPE_INVISIBLE, "\"\\udb40\\udc01\"");
  assert_quoted ("é\b", -1, VD_JSON_TEXT_ESCAPE_INVISIBLE, "\"é\\b\"");
}

static void
test_json_text_no_short_bf (void)
{
  assert_quoted ("\b\f\n", -1, VD_JSON_TEXT_NO_SHORT_BF, "\"\\u0008\\u000c\\n\"");
}

static void
test_json_text_cut (void)
{
  assert_quoted ("abcdef", 3, VD_JSON_TEXT_DEFAULT, "\"abc…\"");
  assert_quoted ("abc", 3, VD_JSON_TEXT_DEFAULT, "\"abc\"");
  assert_quoted ("abc", 0, VD_JSON_TEXT_DEFAULT, "\"…\"");
  /* Characters count, not bytes, and an escape is one character. */
  assert_quoted ("éé\"é", 3, VD_JSON_TEXT_DEFAULT, "\"éé\\\"…\"");
  assert_quoted ("a\u200bbc", 2, VD_JSON_TEXT_ESCAPE_INVISIBLE, "\"a\\u200b…\"");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/json-text/default", test_json_text_default);
  g_test_add_func ("/json-text/invisible", test_json_text_invisible);
  g_test_add_func ("/json-text/no-short-bf", test_json_text_no_short_bf);
  g_test_add_func ("/json-text/cut", test_json_text_cut);

  return g_test_run ();
}
