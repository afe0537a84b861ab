/* test-cli-hostile.c
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

#define G_LOG_DOMAIN "test-cli-hostile"

#include "config.h"

#include <string.h>

#include "vd-core.h"
#include "vd-test-util.h"

/*
 * Hostile queue files against the real verdict-cli: each must be refused
 * with its file, line and field, exit normally (never a signal: the test
 * helper asserts the process exited), and leave the store as it was.
 */

typedef struct
{
  char *dir;
  char *db;
} Fixture;

#define GOOD(id) \
  "{\"task_id\": \"" id "\", \"task_description\": \"Refund order 1182\", " \
  "\"agent_output\": {\"content\": \"Refund $80 to the card.\", \"confidence\": 0.4, " \
  "\"metadata\": {\"amount\": 80, \"big\": 1.5e300}}}\n"

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture->dir = vd_test_make_tmp_dir ("cli-hostile");
  fixture->db = g_build_filename (fixture->dir, "verdict.db", NULL);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  vd_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->db);
}

static char *
write_queue (Fixture    *fixture,
             const char *name,
             const char *text)
{
  return vd_test_write_file (fixture->dir, name, text);
}

/* How many items the store holds, through the CLI's JSON listing. */
static guint
count_items (Fixture *fixture)
{
  g_auto(VdTestRun) run = { 0 };
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  guint n = 0;

  vd_test_run_cli (&run, fixture->db, "list", "--status", "all", "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);

  for (const char *line = run.out; *line != '\0'; )
    {
      const char *end = strchr (line, '\n');

      n += end != line;
      if (end == NULL)
        break;
      line = end + 1;
    }

  return n;
}

/* The audit's case: 100,000 nested brackets in a 200 KB line of metadata
 * made `verdict-cli import` die with SIGSEGV. */
static void
test_deep_metadata (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *deep = vd_test_nested_json (100000, "[", "", "]");
  g_autofree char *text = g_strdup_printf (GOOD ("t1")
                                           "{\"task_id\": \"t2\", \"task_description\": \"d\", "
                                           "\"agent_output\": {\"content\": \"c\", "
                                           "\"confidence\": 0.5, \"metadata\": {\"x\": %s}}}\n"
                                           GOOD ("t3"), deep);
  g_autofree char *array = g_strdup_printf ("[%s]", deep);
  g_autofree char *queue = write_queue (fixture, "deep.jsonl", text);
  g_autofree char *array_queue = write_queue (fixture, "deep-array.json", array);
  g_auto(VdTestRun) run = { 0 };

  vd_test_run_cli (&run, fixture->db, "import", queue, NULL);
  g_assert_cmpint (run.status, !=, 0);
  g_assert_nonnull (strstr (run.err, "deep.jsonl:2: arrays and objects nest more than 64 "
                                     "levels deep (column 175)"));
  g_assert_cmpuint (count_items (fixture), ==, 0);

  vd_test_run_cli (&run, fixture->db, "import", array_queue, NULL);
  g_assert_cmpint (run.status, !=, 0);
  g_assert_nonnull (strstr (run.err, "deep-array.json:1: arrays and objects nest more than 64 "
                                     "levels deep"));
  g_assert_cmpuint (count_items (fixture), ==, 0);

  /* --skip-invalid keeps the good lines and names the bad one. */
  vd_test_run_cli (&run, fixture->db, "import", "--skip-invalid", queue, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "2 imported"));
  g_assert_nonnull (strstr (run.err, "deep.jsonl:2: "));
  g_assert_cmpuint (count_items (fixture), ==, 2);
}

/* A lone surrogate passed the UTF-8 check of the raw text, and `export
 * outputs` then wrote bytes that are not UTF-8; 1e999 was stored as inf.0
 * and the item's metadata read back as {}. */
static void
test_values_refused (Fixture       *fixture,
                     gconstpointer  data)
{
  static const struct {
    const char *line;
    const char *message;
  } cases[] = {
    { "{\"task_id\": \"s\", \"task_description\": \"d\", \"agent_output\": "
      "{\"content\": \"Refund \\ud800x\", \"confidence\": 0.5}}\n",
      "bad.jsonl:2 (task s): agent_output.content: not valid text" },
    { "{\"task_id\": \"s\", \"task_description\": \"d\", \"agent_output\": "
      "{\"content\": \"c\", \"confidence\": 0.5, \"metadata\": {\"amount\": 1e999}}}\n",
      "bad.jsonl:2 (task s): agent_output.metadata.amount: a number too large to represent" },
    { "{\"task_id\": \"s\", \"task_description\": \"d\", \"agent_output\": "
      "{\"content\": \"c\", \"confidence\": 0.5, \"metadata\": {\"amount\": 18446744073709551615}}}\n",
      "bad.jsonl:2: an integer too large to represent exactly" },
    { "{\"task_id\": \"s\", \"task_description\": \"d\", \"agent_output\": "
      "{\"content\": \"Pay\\u0000 more\", \"confidence\": 0.5}}\n",
      "bad.jsonl:2: a string holds \\u0000" },
    { "{\"task_id\": \"s\", \"task_description\": \"d\", \"agent_output\": "
      "{\"content\": \"c\", \"confidence\": 0.5}, \"revision\": 2147483647}\n",
      "bad.jsonl:2 (task s): revision must be an integer from 0 to 1000000, found 2147483647" },
  };
  g_autofree char *outputs = g_build_filename (fixture->dir, "outputs.jsonl", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = g_strconcat (GOOD ("good"), cases[i].line, NULL);
      g_autofree char *queue = write_queue (fixture, "bad.jsonl", text);
      g_auto(VdTestRun) run = { 0 };

      g_test_message ("case %u", i);
      vd_test_run_cli (&run, fixture->db, "import", queue, NULL);
      g_assert_cmpint (run.status, !=, 0);
      g_assert_nonnull (strstr (run.err, cases[i].message));
      g_assert_cmpuint (count_items (fixture), ==, 0);
    }

  /* The good item's metadata reads back whole, a large finite number and
   * all; the outputs export is text. */
  {
    g_autofree char *queue = write_queue (fixture, "good.jsonl", GOOD ("good"));
    g_auto(VdTestRun) run = { 0 };
    g_autoptr(JsonNode) node = NULL;
    JsonObject *metadata;

    vd_test_run_cli (&run, fixture->db, "import", queue, NULL);
    g_assert_cmpint (run.status, ==, 0);

    vd_test_run_cli (&run, fixture->db, "show", "good", "--json", NULL);
    g_assert_cmpint (run.status, ==, 0);
    node = json_from_string (run.out, &error);
    g_assert_no_error (error);
    metadata = json_object_get_object_member (
      json_object_get_object_member (json_node_get_object (node), "agent_output"), "metadata");
    g_assert_nonnull (metadata);
    g_assert_cmpint (json_object_get_int_member (metadata, "amount"), ==, 80);
    g_assert_cmpfloat (json_object_get_double_member (metadata, "big"), ==, 1.5e300);

    vd_test_run_cli (&run, fixture->db, "decide", "good", "approve", "--reviewer", "alice",
                     NULL);
    g_assert_cmpint (run.status, ==, 0);
    vd_test_run_cli (&run, fixture->db, "export", "outputs", outputs, NULL);
    g_assert_cmpint (run.status, ==, 0);
  }

  g_file_get_contents (outputs, &contents, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_utf8_validate (contents, -1, NULL));
  g_assert_nonnull (strstr (contents, "Refund $80 to the card."));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/cli-hostile/deep-metadata", Fixture, NULL,
              fixture_setup, test_deep_metadata, fixture_teardown);
  g_test_add ("/cli-hostile/values-refused", Fixture, NULL,
              fixture_setup, test_values_refused, fixture_teardown);

  return g_test_run ();
}
