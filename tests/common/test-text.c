/* test-text.c
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

#define G_LOG_DOMAIN "test-text"

#include "config.h"

#include "vd-text.h"

static void
test_text_empty (void)
{
  g_assert_true (vd_text_is_empty (NULL));
  g_assert_true (vd_text_is_empty (""));
  g_assert_false (vd_text_is_empty (" "));
  g_assert_false (vd_text_is_empty ("a"));
}

static void
test_text_blank (void)
{
  g_assert_true (vd_text_is_blank (NULL));
  g_assert_true (vd_text_is_blank (""));
  g_assert_true (vd_text_is_blank (" \t\r\n"));
  /* Unicode white space: no-break space, ideographic space. */
  g_assert_true (vd_text_is_blank ("\u00a0\u3000"));
  g_assert_false (vd_text_is_blank ("  a "));
  /* A zero-width space is invisible but not white space. */
  g_assert_false (vd_text_is_blank ("\u200b"));
}

static void
test_text_line_blank (void)
{
  const char *text = " \t\r\nx";

  g_assert_true (vd_text_line_is_blank (NULL, 0));
  g_assert_true (vd_text_line_is_blank (text, 3));
  g_assert_false (vd_text_line_is_blank (text, 4));
  g_assert_false (vd_text_line_is_blank ("\u00a0", 2));
  g_assert_false (vd_text_line_is_blank ("\f", 1));
}

static void
test_text_invisible (void)
{
  g_assert_true (vd_unichar_is_invisible (0x200B));
  g_assert_true (vd_unichar_is_invisible (0x00AD));
  g_assert_true (vd_unichar_is_invisible (0x202E));
  g_assert_true (vd_unichar_is_invisible (0x034F));
  g_assert_true (vd_unichar_is_invisible (0xFE0F));
  g_assert_true (vd_unichar_is_invisible (0xE0101));
  g_assert_false (vd_unichar_is_invisible ('a'));
  g_assert_false (vd_unichar_is_invisible (' '));
  g_assert_false (vd_unichar_is_invisible (0x00E9));
}

static void
test_text_set_str (void)
{
  g_autofree char *field = NULL;

  g_assert_false (vd_set_str (&field, NULL));
  g_assert_true (vd_set_str (&field, "a"));
  g_assert_cmpstr (field, ==, "a");
  g_assert_false (vd_set_str (&field, "a"));
  g_assert_true (vd_set_str (&field, field + 1));
  g_assert_cmpstr (field, ==, "");
  g_assert_true (vd_set_str (&field, NULL));
  g_assert_null (field);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/text/empty", test_text_empty);
  g_test_add_func ("/text/blank", test_text_blank);
  g_test_add_func ("/text/line-blank", test_text_line_blank);
  g_test_add_func ("/text/invisible", test_text_invisible);
  g_test_add_func ("/text/set-str", test_text_set_str);

  return g_test_run ();
}
