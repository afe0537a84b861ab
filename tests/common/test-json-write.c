/* test-json-write.c: JSON text with numbers in their shortest exact form
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

#include "config.h"

#include <locale.h>
#include <math.h>
#include <string.h>

#include "vd-json-write.h"

static char *
double_text (double value)
{
  GString *out = g_string_new (NULL);

  vd_json_append_double (out, value);
  return g_string_free (out, FALSE);
}

static JsonNode *
parse (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (json_parser_load_from_data (parser, text, -1, &error));
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

/* Doubles people meet, written as they would write them. */
static void
test_doubles (void)
{
  static const struct { double value; const char *text; } cases[] = {
    { 0.55, "0.55" },
    { 0.1, "0.1" },
    { 0.7, "0.7" },
    { 0.92, "0.92" },
    { 1e-7, "1e-07" },
    { 12500.0, "12500.0" },
    { 22000.5, "22000.5" },
    { 9007199254740992.0, "9007199254740992.0" },  /* 2^53 */
    { 0.0, "0.0" },
    { -0.0, "-0.0" },
    { -1.25, "-1.25" },
    { 1.5e300, "1.5e+300" },
    { 0.1 + 0.2, "0.30000000000000004" },
    { 1.0 / 3.0, "0.3333333333333333" },
    { 2.0 / 3.0, "0.6666666666666666" },
    { 123456789012.345, "123456789012.345" },
    { 5e-324, "4.94065645841247e-324" },
    { G_MAXDOUBLE, "1.7976931348623157e+308" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = double_text (cases[i].value);

      g_test_message ("%.17g", cases[i].value);
      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

/* JSON has no NaN or infinity; the guard refuses them on the way in, and
 * the writer writes null rather than invalid text. */
static void
test_not_finite (void)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);
  g_autoptr(JsonArray) array = json_array_new ();
  g_autofree char *text = NULL;

  json_array_add_double_element (array, NAN);
  json_array_add_double_element (array, INFINITY);
  json_array_add_double_element (array, -INFINITY);
  json_node_set_array (node, array);
  text = vd_json_node_to_string (node, FALSE);
  g_assert_cmpstr (text, ==, "[null,null,null]");
}

/* Integers stay integers, at the ends of their range too. */
static void
test_integers (void)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) back = NULL;
  g_autofree char *text = NULL;
  JsonArray *array;

  node = parse ("[0, -1, 12500, 9007199254740993, 9223372036854775807, "
                "-9223372036854775808, 12500.0]");
  text = vd_json_node_to_string (node, FALSE);
  g_assert_cmpstr (text, ==, "[0,-1,12500,9007199254740993,9223372036854775807,"
                             "-9223372036854775808,12500.0]");

  back = parse (text);
  array = json_node_get_array (back);
  g_assert_cmpint (json_node_get_value_type (json_array_get_element (array, 3)), ==, G_TYPE_INT64);
  g_assert_cmpint (json_array_get_int_element (array, 3), ==, G_GINT64_CONSTANT (9007199254740993));
  g_assert_cmpint (json_array_get_int_element (array, 4), ==, G_MAXINT64);
  g_assert_cmpint (json_array_get_int_element (array, 5), ==, G_MININT64);
  g_assert_cmpint (json_node_get_value_type (json_array_get_element (array, 6)), ==, G_TYPE_DOUBLE);
}

static void
check_round_trip (GArray *values)
{
  g_autoptr(JsonArray) array = json_array_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);
  g_autoptr(JsonNode) back = NULL;
  g_autofree char *text = NULL;
  JsonArray *read;

  for (guint i = 0; i < values->len; i++)
    json_array_add_double_element (array, g_array_index (values, double, i));
  json_node_set_array (node, array);

  text = vd_json_node_to_string (node, FALSE);
  back = parse (text);
  read = json_node_get_array (back);
  g_assert_cmpuint (json_array_get_length (read), ==, values->len);

  for (guint i = 0; i < values->len; i++)
    {
      double value = g_array_index (values, double, i);
      JsonNode *element = json_array_get_element (read, i);
      double got = json_node_get_double (element);
      g_autofree char *one = double_text (value);

      /* Bit for bit, the sign of zero included; and each text the shortest
       * of the three precisions that reads back. */
      g_assert_cmpint (json_node_get_value_type (element), ==, G_TYPE_DOUBLE);
      if (memcmp (&got, &value, sizeof value) != 0)
        g_error ("%.17g was written as %s and read back as %.17g", value, one, got);
      g_assert_cmpfloat (g_ascii_strtod (one, NULL), ==, value);
      g_assert_cmpuint (strlen (one), <=, strlen ("-1.2345678901234567e-308"));
    }
}

/* Many random doubles, over the whole range and between 0 and 1 (where
 * confidences live), read back exactly by json-glib's parser. */
static void
test_round_trip (void)
{
  g_autoptr(GArray) values = g_array_new (FALSE, FALSE, sizeof (double));

  for (guint i = 0; i < 20000; i++)
    {
      double value = g_test_rand_double ();

      g_array_append_val (values, value);
      value = g_test_rand_double_range (0.0, 1.0);
      g_array_append_val (values, value);
      /* Two decimals, as people type confidences and amounts. */
      value = (double) g_test_rand_int_range (0, 1000000) / 100.0;
      g_array_append_val (values, value);
    }

  check_round_trip (values);
}

/* Values with two decimals come out with at most two decimals. */
static void
test_short_decimals (void)
{
  for (int cents = 0; cents < 100000; cents += 7)
    {
      double value = cents / 100.0;
      g_autofree char *text = double_text (value);
      g_autofree char *expected = NULL;

      if (cents % 100 == 0)
        expected = g_strdup_printf ("%d.0", cents / 100);
      else if (cents % 10 == 0)
        expected = g_strdup_printf ("%d.%d", cents / 100, (cents % 100) / 10);
      else
        expected = g_strdup_printf ("%d.%02d", cents / 100, cents % 100);
      g_assert_cmpstr (text, ==, expected);
    }
}

/* Objects keep their order, strings are escaped as vd_json_append_string()
 * does, and the pretty form indents by two spaces. */
static void
test_structure (void)
{
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *compact = NULL;
  g_autofree char *pretty = NULL;
  g_autoptr(JsonNode) back = NULL;

  node = parse ("{\"z\": 1, \"a\": [0.55, true, false, null, {}, []], "
                "\"s\": \"line\\nbreak \\\"quoted\\\" \\\\ tab\\t\\u0001 Straße\", "
                "\"o\": {\"confidence\": 0.55}}");
  compact = vd_json_node_to_string (node, FALSE);
  g_assert_cmpstr (compact, ==,
                   "{\"z\":1,\"a\":[0.55,true,false,null,{},[]],"
                   "\"s\":\"line\\nbreak \\\"quoted\\\" \\\\ tab\\t\\u0001 Straße\","
                   "\"o\":{\"confidence\":0.55}}");

  pretty = vd_json_node_to_string (node, TRUE);
  g_assert_cmpstr (pretty, ==,
                   "{\n"
                   "  \"z\": 1,\n"
                   "  \"a\": [\n"
                   "    0.55,\n"
                   "    true,\n"
                   "    false,\n"
                   "    null,\n"
                   "    {},\n"
                   "    []\n"
                   "  ],\n"
                   "  \"s\": \"line\\nbreak \\\"quoted\\\" \\\\ tab\\t\\u0001 Straße\",\n"
                   "  \"o\": {\n"
                   "    \"confidence\": 0.55\n"
                   "  }\n"
                   "}");

  /* Both read back as the same tree. */
  back = parse (pretty);
  g_assert_true (json_node_equal (back, node));
  g_clear_pointer (&back, json_node_unref);
  back = parse (compact);
  g_assert_true (json_node_equal (back, node));

  /* A lone value, and no node at all. */
  g_clear_pointer (&compact, g_free);
  compact = vd_json_node_to_string (json_object_get_member (json_node_get_object (node), "s"),
                                    TRUE);
  g_assert_true (g_str_has_prefix (compact, "\"line\\n"));
  g_clear_pointer (&compact, g_free);
  compact = vd_json_node_to_string (NULL, FALSE);
  g_assert_cmpstr (compact, ==, "null");
}

int
main (int   argc,
      char *argv[])
{
  /* The numbers must not follow the locale's decimal separator. */
  setlocale (LC_ALL, "");

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/json-write/doubles", test_doubles);
  g_test_add_func ("/json-write/not-finite", test_not_finite);
  g_test_add_func ("/json-write/integers", test_integers);
  g_test_add_func ("/json-write/round-trip", test_round_trip);
  g_test_add_func ("/json-write/short-decimals", test_short_decimals);
  g_test_add_func ("/json-write/structure", test_structure);

  return g_test_run ();
}
