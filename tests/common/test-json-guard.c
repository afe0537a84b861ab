/* test-json-guard.c
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

#define G_LOG_DOMAIN "test-json-guard"

#include "config.h"

#include <math.h>
#include <string.h>

#include "vd-json-guard.h"
#include "vd-test-util.h"

static void
test_guard_depth (void)
{
  g_autofree char *ok = vd_test_nested_json (VD_JSON_MAX_DEPTH, "[", "1", "]");
  g_autofree char *deep = vd_test_nested_json (VD_JSON_MAX_DEPTH + 1, "[", "1", "]");
  g_autofree char *objects = vd_test_nested_json (VD_JSON_MAX_DEPTH + 1, "{\"a\":", "1", "}");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  guint line = 0, column = 0;

  g_assert_true (vd_json_guard_scan (ok, strlen (ok), VD_JSON_MAX_DEPTH, NULL, NULL, &error));
  g_assert_no_error (error);
  node = vd_json_guard_parse (ok, strlen (ok), G_MAXSIZE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (node);

  g_assert_false (vd_json_guard_scan (deep, strlen (deep), VD_JSON_MAX_DEPTH, &line, &column,
                                      &error));
  g_assert_error (error, VD_JSON_GUARD_ERROR, VD_JSON_GUARD_ERROR_TOO_DEEP);
  g_assert_cmpuint (line, ==, 1);
  g_assert_cmpuint (column, ==, VD_JSON_MAX_DEPTH + 1);
  g_clear_error (&error);

  g_assert_null (vd_json_guard_parse (objects, strlen (objects), G_MAXSIZE, &error));
  g_assert_error (error, VD_JSON_GUARD_ERROR, VD_JSON_GUARD_ERROR_TOO_DEEP);
  g_assert_nonnull (strstr (error->message, "64 levels"));
  g_clear_error (&error);

  /* Brackets inside strings, escaped quotes and all, do not count. */
  {
    g_autofree char *inner = vd_test_nested_json (200, "[", "", "");
    g_autofree char *text = g_strdup_printf ("{\"a\": \"\\\"%s\", \"b\": [[1]]}", inner);

    g_assert_true (vd_json_guard_scan (text, strlen (text), 3, NULL, NULL, &error));
    g_assert_no_error (error);
  }
}

/* The case from the audit: 100,000 nested brackets in a 200 KB text made
 * json-glib overflow the stack. */
static void
test_guard_deep_no_crash (void)
{
  g_autofree char *deep = vd_test_nested_json (100000, "[", "", "]");
  g_autoptr(GError) error = NULL;

  g_assert_null (vd_json_guard_parse (deep, strlen (deep), G_MAXSIZE, &error));
  g_assert_error (error, VD_JSON_GUARD_ERROR, VD_JSON_GUARD_ERROR_TOO_DEEP);
}

static void
test_guard_line_column (void)
{
  const char *text = "{\n  \"a\": \"x\\ny\",\n  \"b\": [[[1]]]\n}";
  g_autoptr(GError) error = NULL;
  guint line = 0, column = 0;

  g_assert_false (vd_json_guard_scan (text, strlen (text), 3, &line, &column, &error));
  g_assert_error (error, VD_JSON_GUARD_ERROR, VD_JSON_GUARD_ERROR_TOO_DEEP);
  g_assert_cmpuint (line, ==, 3);
  g_assert_cmpuint (column, ==, 10);
}

static void
test_guard_size (void)
{
  const char *text = "{\"a\": 1}";
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  g_assert_null (vd_json_guard_parse (text, strlen (text), 4, &error));
  g_assert_error (error, VD_JSON_GUARD_ERROR, VD_JSON_GUARD_ERROR_TOO_LARGE);
  g_clear_error (&error);

  node = vd_json_guard_parse (text, strlen (text), strlen (text), &error);
  g_assert_no_error (error);
  g_assert_nonnull (node);
}

typedef struct
{
  const char *text;
  int         code;
  const char *in_message;
} Refused;

static void
test_guard_values (void)
{
  static const Refused cases[] = {
    /* json-glib decodes a lone surrogate into bytes that are not UTF-8. */
    { "{\"a\": {\"b\": \"\\ud800x\"}}", VD_JSON_GUARD_ERROR_ENCODING, "a.b: " },
    { "{\"a\": [\"ok\", \"\\udc00 tail\"]}", VD_JSON_GUARD_ERROR_ENCODING, "a[1]: " },
    /* ... and cuts a string at \u0000. */
    { "{\"a\": \"x\\u0000y\"}", VD_JSON_GUARD_ERROR_ENCODING, "line 1, column 9" },
    /* ... reads 1e999 as infinity ... */
    { "{\"rules\": [{\"value\": 1e999}]}", VD_JSON_GUARD_ERROR_NOT_FINITE,
      "rules[0].value: " },
    { "{\"a\": -1e999}", VD_JSON_GUARD_ERROR_NOT_FINITE, "a: " },
    /* ... and wraps integers beyond 64 bits around. */
    { "{\"amount\": 99999999999999999999}", VD_JSON_GUARD_ERROR_RANGE, "column 12" },
    { "{\"amount\": 9223372036854775808}", VD_JSON_GUARD_ERROR_RANGE, NULL },
    { "{\"amount\": -9223372036854775809}", VD_JSON_GUARD_ERROR_RANGE, NULL },
    { "[1,\n 2,\n 300000000000000000000000]", VD_JSON_GUARD_ERROR_RANGE, "line 3, column 2" },
    { "{\"a\": }", VD_JSON_GUARD_ERROR_SYNTAX, NULL },
    { "{\"a\": \"\xff\"}", VD_JSON_GUARD_ERROR_ENCODING, "byte offset 7" },
    { "", VD_JSON_GUARD_ERROR_SYNTAX, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = NULL;

      g_test_message ("case %u: %s", i, cases[i].text);
      node = vd_json_guard_parse (cases[i].text, strlen (cases[i].text), G_MAXSIZE, &error);
      g_assert_null (node);
      g_assert_error (error, VD_JSON_GUARD_ERROR, cases[i].code);
      if (cases[i].in_message != NULL)
        g_assert_nonnull (strstr (error->message, cases[i].in_message));
    }
}

static void
test_guard_accepted (void)
{
  static const char *cases[] = {
    "{\"amount\": 9223372036854775807, \"low\": -9223372036854775808}",
    "{\"amount\": 0000000000000000000000012}",
    "{\"x\": 1.5e300, \"y\": 1e-999, \"z\": 123456789012345678901234.5}",
    "{\"text\": \"caf\\u00e9 \\ud83d\\ude00 \\\\u0000 is text\"}",
    "[\"\\\\\", \"\\\"\", 18446744073709551615.0]",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = NULL;

      g_test_message ("case %u: %s", i, cases[i]);
      node = vd_json_guard_parse (cases[i], strlen (cases[i]), G_MAXSIZE, &error);
      g_assert_no_error (error);
      g_assert_nonnull (node);
    }
}

/* A tree built in memory (not parsed) is checked the same way. */
static void
test_guard_check_node (void)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "list");
  json_builder_begin_array (builder);
  json_builder_add_double_value (builder, 1.0);
  json_builder_add_double_value (builder, INFINITY);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);

  g_assert_false (vd_json_guard_check_node (node, "metadata", &error));
  g_assert_error (error, VD_JSON_GUARD_ERROR, VD_JSON_GUARD_ERROR_NOT_FINITE);
  g_assert_nonnull (g_strstr_len (error->message, -1, "metadata.list[1]: "));
}

static void
test_guard_parser_message (void)
{
  guint64 line = 9, column = 9;

  g_assert_cmpstr (vd_json_guard_split_parser_message ("<data>:3:7: Parse error: unexpected "
                                                       "character", &line, &column),
                   ==, "unexpected character");
  g_assert_cmpuint (line, ==, 3);
  g_assert_cmpuint (column, ==, 7);

  g_assert_cmpstr (vd_json_guard_split_parser_message ("no position", &line, &column),
                   ==, "no position");
  g_assert_cmpuint (line, ==, 0);
  g_assert_cmpuint (column, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/json-guard/depth", test_guard_depth);
  g_test_add_func ("/json-guard/deep-no-crash", test_guard_deep_no_crash);
  g_test_add_func ("/json-guard/line-column", test_guard_line_column);
  g_test_add_func ("/json-guard/size", test_guard_size);
  g_test_add_func ("/json-guard/values", test_guard_values);
  g_test_add_func ("/json-guard/accepted", test_guard_accepted);
  g_test_add_func ("/json-guard/check-node", test_guard_check_node);
  g_test_add_func ("/json-guard/parser-message", test_guard_parser_message);

  return g_test_run ();
}
