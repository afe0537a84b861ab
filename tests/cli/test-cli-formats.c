/* test-cli-formats.c
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

/* verdict-cli and other tools' files, run as a separate process on a
 * Prodigy file (tests/formats/data/prodigy-tasks.jsonl, written from
 * https://prodi.gy/docs/api-interfaces): import, list, show, a decision
 * the source refuses, decisions, the export and its signature. */

#include "config.h"

#include <string.h>

#include "vd-core.h"
#include "vd-format.h"
#include "vd-test-util.h"

typedef struct
{
  char *dir;
  char *db;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->dir = vd_test_make_tmp_dir ("cli-formats");
  fixture->db = g_build_filename (fixture->dir, "verdict.db", NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  vd_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->db);
}

#define run_cli(run, fixture, ...) \
  vd_test_run_cli_full (run, (fixture)->db, (fixture)->dir, NULL, __VA_ARGS__)

static void
assert_ok (VdTestRun *run)
{
  if (run->status != 0)
    g_error ("verdict-cli failed (%d): %s", run->status, run->err);
}

static char *
copy_tasks (Fixture *fixture)
{
  g_autofree char *source = g_test_build_filename (G_TEST_DIST, "formats", "data",
                                                   "prodigy-tasks.jsonl", NULL);
  g_autofree char *contents = NULL;

  g_assert_true (g_file_get_contents (source, &contents, NULL, NULL));
  return vd_test_write_file (fixture->dir, "news.jsonl", contents);
}

static void
test_round_trip (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *tasks = copy_tasks (fixture);
  g_autofree char *out = g_build_filename (fixture->dir, "answers.jsonl", NULL);
  g_autofree char *written = NULL;
  g_auto(GStrv) lines = NULL;
  g_auto(VdTestRun) run = { 0 };

  run_cli (&run, fixture, "import", tasks, NULL);
  assert_ok (&run);
  g_assert_nonnull (strstr (run.out, "5 imported"));
  vd_test_run_clear (&run);

  /* Importing again changes nothing: the ids come from the task hashes. */
  run_cli (&run, fixture, "import", "--format", "prodigy", tasks, NULL);
  assert_ok (&run);
  g_assert_nonnull (strstr (run.out, "0 imported, 0 revised, 5 skipped"));
  vd_test_run_clear (&run);

  /* No confidence: a dash in the list, words in show, null in JSON. */
  run_cli (&run, fixture, "list", "--queue", "news", NULL);
  assert_ok (&run);
  g_assert_nonnull (strstr (run.out, "pg:1125418361"));
  g_assert_nonnull (strstr (run.out, "   —  "));
  g_assert_null (strstr (run.out, "nan"));
  vd_test_run_clear (&run);

  run_cli (&run, fixture, "show", "--queue", "news", "pg:1125418361", NULL);
  assert_ok (&run);
  g_assert_nonnull (strstr (run.out, "Confidence: no confidence given"));
  g_assert_nonnull (strstr (run.out, "Source: prodigy; ids _input_hash=427129841 "
                                     "_task_hash=1125418361"));
  vd_test_run_clear (&run);

  run_cli (&run, fixture, "show", "--json", "--queue", "news", "pg:1125418361", NULL);
  assert_ok (&run);
  g_assert_nonnull (strstr (run.out, "\"confidence\":null"));
  g_assert_nonnull (strstr (run.out, "\"format\":\"prodigy\""));
  vd_test_run_clear (&run);

  /* Spans cannot be edited as text: refused, nothing stored. */
  run_cli (&run, fixture, "decide", "--queue", "news", "--reviewer", "alice",
           "--content", "Tim [PERSON]", "pg:55120934", "modify", NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "news/pg:55120934: the spans of a Prodigy task cannot be "
                                     "edited as text"));
  vd_test_run_clear (&run);
  run_cli (&run, fixture, "show", "--queue", "news", "pg:55120934", NULL);
  assert_ok (&run);
  g_assert_nonnull (strstr (run.out, "Status: pending"));
  vd_test_run_clear (&run);

  /* Without a policy every item waits for a human: two approved or
   * modified, two rejected, one left. */
  run_cli (&run, fixture, "decide", "--queue", "news", "--reviewer", "alice",
           "pg:-1403240473", "approve", NULL);
  assert_ok (&run);
  vd_test_run_clear (&run);
  run_cli (&run, fixture, "decide", "--queue", "news", "--reviewer", "alice",
           "--feedback", "Tim Cook is one name", "pg:55120934", "reject", NULL);
  assert_ok (&run);
  vd_test_run_clear (&run);
  run_cli (&run, fixture, "decide", "--queue", "news", "--reviewer", "alice",
           "--content", "Sports", "pg:1125418361", "modify", NULL);
  assert_ok (&run);
  vd_test_run_clear (&run);
  run_cli (&run, fixture, "decide", "--queue", "news", "--reviewer", "alice",
           "--feedback", "Mixed, not negative", "pg:78", "reject", NULL);
  assert_ok (&run);
  vd_test_run_clear (&run);

  run_cli (&run, fixture, "export", "prodigy", "answers.jsonl", NULL);
  assert_ok (&run);
  g_assert_cmpstr (run.out, ==, "Wrote 4 records to answers.jsonl; held back 1 (undecided, "
                                "escalated or part of an undecided group)\n");
  vd_test_run_clear (&run);

  g_assert_true (g_file_get_contents (out, &written, NULL, NULL));
  lines = g_strsplit (written, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 5);
  g_assert_nonnull (strstr (lines[0], "\"_task_hash\":-1403240473"));
  g_assert_nonnull (strstr (lines[0], "\"answer\":\"accept\""));
  g_assert_nonnull (strstr (lines[1], "\"accept\":[\"SPORTS\"]"));
  g_assert_nonnull (strstr (lines[2], "\"answer\":\"reject\""));
  g_assert_nonnull (strstr (lines[3], "\"_task_hash\":78"));
  g_assert_nonnull (strstr (lines[3], "\"answer\":\"reject\""));
  g_assert_nonnull (strstr (lines[3], "\"_annotator_id\":\"alice\""));

  /* The answers read back as Prodigy tasks. */
  run_cli (&run, fixture, "import", "--queue", "again", "--format", "prodigy", out, NULL);
  assert_ok (&run);
  g_assert_nonnull (strstr (run.out, "4 imported"));
  vd_test_run_clear (&run);

  /* Signed by the installation key, with the format in the comment. */
  {
    g_autoptr(VdStore) store = vd_test_open_store (fixture->db);
    g_autoptr(GPtrArray) keys = g_ptr_array_new ();
    g_autoptr(GError) error = NULL;
    g_autofree char *comment = NULL;

    g_ptr_array_add (keys, vd_signer_get_installation_key (vd_store_get_signer (store)));
    g_assert_true (vd_minisign_verify_file (out, NULL, keys, NULL, &comment, NULL, &error));
    g_assert_no_error (error);
    g_assert_true (g_str_has_prefix (comment, "verdict-prodigy v1 head="));
    g_assert_nonnull (strstr (comment, " lines=4 "));
  }
}

static void
test_bad_input (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *bad = vd_test_write_file (fixture->dir, "bad.jsonl",
                                             "{\"text\": \"a\", \"_task_hash\": 1}\n"
                                             "{\"text\": 7, \"_task_hash\": 2}\n");
  g_auto(VdTestRun) run = { 0 };

  run_cli (&run, fixture, "import", bad, NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_cmpstr (run.err, ==, "verdict-cli: bad.jsonl: line 2 (id 2): text: expected a "
                                "string, found a number\n");
  vd_test_run_clear (&run);

  run_cli (&run, fixture, "import", "--format", "nope", bad, NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "--format is one of verdict, "));
  vd_test_run_clear (&run);

  run_cli (&run, fixture, "export", "nope", "x.jsonl", NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "prodigy"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/cli-formats/round-trip", Fixture, NULL, fixture_set_up, test_round_trip,
              fixture_tear_down);
  g_test_add ("/cli-formats/bad-input", Fixture, NULL, fixture_set_up, test_bad_input,
              fixture_tear_down);

  return g_test_run ();
}
