/* test-json-changes.c
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

#define G_LOG_DOMAIN "test-json-changes"

#include "config.h"

#include "vd-json-changes.h"

static void
assert_changes (const char *old_text,
                const char *new_text,
                const char *expected,
                guint       expected_n)
{
  g_autoptr(JsonNode) old_node = json_from_string (old_text, NULL);
  g_autoptr(JsonNode) new_node = json_from_string (new_text, NULL);
  g_autofree char *text = NULL;
  guint n = 99;

  g_assert_nonnull (old_node);
  g_assert_nonnull (new_node);
  text = vd_json_changes_describe (old_node, new_node, &n);
  g_assert_cmpstr (text, ==, expected);
  g_assert_cmpuint (n, ==, expected_n);
}

static void
test_changes_none (void)
{
  assert_changes ("{\"a\": 1, \"b\": [true, null, \"x\"]}",
                  "{\"b\": [true, null, \"x\"], \"a\": 1}", "", 0);
  /* The same number, written as an integer or not. */
  assert_changes ("{\"amount\": 3}", "{\"amount\": 3.0}", "", 0);
}

static void
test_changes_values (void)
{
  assert_changes ("{\"amount\": 120, \"customer\": {\"tier\": \"gold\"}, \"ok\": true}",
                  "{\"amount\": 150, \"customer\": {\"tier\": \"silver\"}, \"ok\": false}",
                  "amount: 120 → 150\n"
                  "customer.tier: \"gold\" → \"silver\"\n"
                  "ok: true → false", 3);
  /* A type change shows: a string keeps its quotes, a number has none. */
  assert_changes ("{\"amount\": 120}", "{\"amount\": \"120\"}",
                  "amount: 120 → \"120\"", 1);
  assert_changes ("{\"amount\": 12.5}", "{\"amount\": 12}", "amount: 12.5 → 12", 1);
}

static void
test_changes_structure (void)
{
  assert_changes ("{\"flags\": [\"a\", 3], \"old\": null}",
                  "{\"flags\": [\"a\"], \"notes\": \"call first\"}",
                  "- flags[1]: 3\n"
                  "- old: null\n"
                  "+ notes: \"call first\"", 3);
  assert_changes ("{\"odd key\": 1, \"a.b\": {\"x\": 1}}",
                  "{\"odd key\": 2, \"a.b\": {\"x\": [1]}}",
                  "[\"odd key\"]: 1 → 2\n"
                  "[\"a.b\"].x: 1 → [1]", 2);
  assert_changes ("5", "6", "(the value): 5 → 6", 1);
  assert_changes ("[1, 2]", "{\"a\": 1}", "(the value): [1,2] → {\"a\":1}", 1);
}

static void
test_changes_null_and_long (void)
{
  g_autoptr(JsonNode) node = json_from_string ("1", NULL);
  g_autofree char *text = vd_json_changes_describe (NULL, node, NULL);
  g_autofree char *path = vd_json_path_append ("a", "b");
  g_autoptr(GString) long_text = g_string_new ("\"");
  g_autoptr(JsonNode) long_node = NULL;
  g_autofree char *long_diff = NULL;

  g_assert_cmpstr (text, ==, "(the value): null → 1");
  g_assert_cmpstr (path, ==, "a.b");

  for (guint i = 0; i < 500; i++)
    g_string_append_c (long_text, 'x');
  g_string_append_c (long_text, '"');
  long_node = json_from_string (long_text->str, NULL);
  long_diff = vd_json_changes_describe (node, long_node, NULL);
  g_assert_true (g_str_has_suffix (long_diff, "…"));
  g_assert_cmpuint (g_utf8_strlen (long_diff, -1), <, 260);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/json-changes/none", test_changes_none);
  g_test_add_func ("/json-changes/values", test_changes_values);
  g_test_add_func ("/json-changes/structure", test_changes_structure);
  g_test_add_func ("/json-changes/null-and-long", test_changes_null_and_long);

  return g_test_run ();
}
