/* test-cli-json.c: numbers in verdict-cli's JSON, as people wrote them
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

#include <json-glib/json-glib.h>
#include <string.h>

#include <glib/gstdio.h>

#include "vd-core.h"
#include "vd-test-util.h"

typedef struct
{
  char *dir;
  char *db;
} Fixture;

#define run_cli(run, fixture, ...) \
  vd_test_run_cli_full (run, (fixture)->db, (fixture)->dir, NULL, __VA_ARGS__)

/* json-glib 1.6 writes 0.55 as 0.55000000000000004 and 0.1 as
 * 0.10000000000000001. */
#define QUEUE \
  "{\"verdict_queue\": 1, \"queue\": \"q\"}\n" \
  "{\"task_id\": \"w1\", \"task_type\": \"payment\", \"task_description\": \"Wire\", " \
  "\"agent_output\": {\"content\": \"Wire $12,500\", \"confidence\": 0.55, " \
  "\"metadata\": {\"amount\": 12500.0, \"fee_rate\": 0.1, \"count\": 3, " \
  "\"tiny\": 1e-7}}, \"escalation_reason\": \"low_confidence\"}\n"

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_auto(VdTestRun) run = { 0, };
  g_autofree char *queue = NULL;

  fixture->dir = vd_test_make_tmp_dir ("cli-json");
  fixture->db = g_build_filename (fixture->dir, "verdict.db", NULL);
  queue = vd_test_write_file (fixture->dir, "q.jsonl", QUEUE);

  run_cli (&run, fixture, "import", queue, NULL);
  g_assert_cmpint (run.status, ==, 0);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  vd_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->db);
}

/* Whether @text holds a number with 16 or more digits after the point:
 * what json-glib's 17 significant digits make of most fractions. */
static gboolean
has_long_fraction (const char *text)
{
  for (const char *p = strchr (text, '.'); p != NULL; p = strchr (p + 1, '.'))
    {
      if (g_ascii_isdigit (p[-1]) && strspn (p + 1, "0123456789") >= 16)
        return TRUE;
    }

  return FALSE;
}

static void
assert_short_numbers (const char *text)
{
  g_test_message ("%s", text);
  g_assert_nonnull (strstr (text, "\"confidence\":0.55,"));
  g_assert_false (has_long_fraction (text));
}

/* show --json and list --json: 0.55 prints as 0.55. */
static void
test_show (Fixture       *fixture,
           gconstpointer  data)
{
  g_auto(VdTestRun) run = { 0, };
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *output;
  JsonObject *metadata;

  run_cli (&run, fixture, "show", "w1", "--json", NULL);
  g_assert_cmpstr (run.err, ==, "");
  g_assert_cmpint (run.status, ==, 0);
  assert_short_numbers (run.out);
  g_assert_nonnull (strstr (run.out, "\"metadata\":{\"amount\":12500.0,\"fee_rate\":0.1,"
                                     "\"count\":3,\"tiny\":1e-07}"));

  /* The same values when read back. */
  node = json_from_string (run.out, &error);
  g_assert_no_error (error);
  output = json_object_get_object_member (json_node_get_object (node), "agent_output");
  g_assert_cmpfloat (json_object_get_double_member (output, "confidence"), ==, 0.55);
  metadata = json_object_get_object_member (output, "metadata");
  g_assert_cmpfloat (json_object_get_double_member (metadata, "amount"), ==, 12500.0);
  g_assert_cmpfloat (json_object_get_double_member (metadata, "fee_rate"), ==, 0.1);
  g_assert_cmpint (json_object_get_int_member (metadata, "count"), ==, 3);
  g_assert_cmpfloat (json_object_get_double_member (metadata, "tiny"), ==, 1e-7);
  vd_test_run_clear (&run);

  run_cli (&run, fixture, "list", "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  assert_short_numbers (run.out);
}

/* The exports (JSON Lines) go through the same writer: one object a
 * line, each read back whole. */
static void
test_export (Fixture       *fixture,
             gconstpointer  data)
{
  g_auto(VdTestRun) run = { 0, };
  static const char *const kinds[] = { "decisions", "outputs", "training" };

  run_cli (&run, fixture, "decide", "w1", "approve", "--reviewer", "alice", NULL);
  g_assert_cmpint (run.status, ==, 0);
  vd_test_run_clear (&run);

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      g_auto(GStrv) lines = NULL;

      run_cli (&run, fixture, "export", kinds[i], "-", NULL);
      g_assert_cmpint (run.status, ==, 0);
      g_assert_true (g_str_has_suffix (run.out, "}\n"));
      g_assert_false (has_long_fraction (run.out));

      lines = g_strsplit (run.out, "\n", -1);
      g_assert_cmpuint (g_strv_length (lines), ==, 3);
      for (guint j = 0; j < 2; j++)
        {
          g_autoptr(JsonNode) node = NULL;
          g_autoptr(GError) error = NULL;

          node = json_from_string (lines[j], &error);
          g_assert_no_error (error);
          g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
        }
      g_assert_nonnull (strstr (lines[1], "\"task_id\":\"w1\""));
      vd_test_run_clear (&run);
    }
}

/* show lists an item's attachments and content types, in text and in
 * JSON, read from the store after the queue's folder is gone; a bad
 * attachment refuses the import with its file, line, task and name. */
static void
test_attachments (Fixture       *fixture,
                  gconstpointer  data)
{
  g_auto(VdTestRun) run = { 0, };
  g_autofree char *folder = g_build_filename (fixture->dir, "drop", NULL);
  g_autofree char *queue = NULL;
  g_autofree char *bad = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *object;
  JsonArray *attachments;

  g_assert_cmpint (g_mkdir (folder, 0700), ==, 0);
  g_free (vd_test_write_file (folder, "log.txt", "hello"));
  queue = vd_test_write_file (folder, "a.jsonl",
                              "{\"task_id\": \"a1\", \"task_description\": \"Deploy\", "
                              "\"escalation_reason\": \"high_risk_action\", "
                              "\"content_type\": {\"output\": \"text/x-diff\"}, "
                              "\"attachments\": [{\"name\": \"log.txt\", "
                              "\"media_type\": \"text/plain\", \"path\": \"log.txt\"}, "
                              "{\"name\": \"PR\", \"media_type\": \"text/html\", "
                              "\"url\": \"https://example.com/pr/1\"}], "
                              "\"agent_output\": {\"content\": \"--- a\\n+++ b\\n\", "
                              "\"confidence\": 0.5}}\n");
  run_cli (&run, fixture, "import", queue, NULL);
  g_assert_cmpint (run.status, ==, 0);
  vd_test_run_clear (&run);
  g_assert_true (vd_test_remove_tree (folder));

  run_cli (&run, fixture, "show", "a1", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "Content types: output text/x-diff, input text/plain, "
                                     "context text/plain\n"));
  g_assert_nonnull (strstr (run.out, "Attachment: log.txt (text/plain, 5 bytes, sha256 "
                                     "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e7304336"
                                     "2938b9824)\n"));
  g_assert_nonnull (strstr (run.out, "Attachment: PR (text/html, link https://example.com/pr/1, "
                                     "not fetched)\n"));
  vd_test_run_clear (&run);

  run_cli (&run, fixture, "show", "a1", "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  node = json_from_string (run.out, &error);
  g_assert_no_error (error);
  object = json_node_get_object (node);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (object,
                                                                                 "content_type"),
                                                  "output"), ==, "text/x-diff");
  attachments = json_object_get_array_member (object, "attachments");
  g_assert_cmpuint (json_array_get_length (attachments), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (attachments, 0),
                                                  "sha256"), ==,
                   "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (attachments, 0),
                                               "size"), ==, 5);
  vd_test_run_clear (&run);

  /* An item without any: both keys, empty and plain. */
  run_cli (&run, fixture, "show", "w1", "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "\"attachments\":[]"));
  g_assert_nonnull (strstr (run.out, "\"content_type\":{\"task\":\"text/plain\""));
  vd_test_run_clear (&run);

  bad = vd_test_write_file (fixture->dir, "bad.jsonl",
                            "{\"task_id\": \"b1\", \"task_description\": \"x\", "
                            "\"attachments\": [{\"name\": \"secret\", "
                            "\"media_type\": \"text/plain\", \"path\": \"../../etc/passwd\"}], "
                            "\"agent_output\": {\"content\": \"x\", \"confidence\": 0.5}}\n");
  run_cli (&run, fixture, "import", bad, NULL);
  g_assert_cmpint (run.status, !=, 0);
  g_assert_nonnull (strstr (run.err, "bad.jsonl:1 (task b1): attachments[0] (\"secret\"): "
                                     "path: ../../etc/passwd leaves the queue's folder"));
  vd_test_run_clear (&run);
  run_cli (&run, fixture, "show", "b1", NULL);
  g_assert_cmpint (run.status, !=, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/cli-json/show", Fixture, NULL, fixture_set_up, test_show, fixture_tear_down);
  g_test_add ("/cli-json/export", Fixture, NULL, fixture_set_up, test_export,
              fixture_tear_down);
  g_test_add ("/cli-json/attachments", Fixture, NULL, fixture_set_up, test_attachments,
              fixture_tear_down);

  return g_test_run ();
}
