/* test-cli-verify.c: verdict-cli export, verify and audit verify --export
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

#define G_LOG_DOMAIN "test-cli-verify"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "vd-core.h"
#include "vd-test-util.h"

typedef struct
{
  char  *dir;
  char  *db;
  char  *keys;
  char  *passphrase;   /* a file holding alice's passphrase */
  char  *export;
  char  *env[2];
  VdKey *alice;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(VdKeystore) keystore = NULL;
  g_autoptr(GError) error = NULL;

  fixture->dir = vd_test_make_tmp_dir ("cli-verify");
  fixture->db = g_build_filename (fixture->dir, "verdict.db", NULL);
  fixture->keys = g_build_filename (fixture->dir, "keys", NULL);
  fixture->export = g_build_filename (fixture->dir, "decisions.jsonl", NULL);
  fixture->passphrase = vd_test_write_file (fixture->dir, "passphrase", "correct horse\n");
  fixture->env[0] = g_strconcat ("VERDICT_KEYS_DIR=", fixture->keys, NULL);
  g_setenv ("VERDICT_KEYS_DIR", fixture->keys, TRUE);

  keystore = vd_keystore_new (fixture->keys);
  fixture->alice = vd_keystore_generate (keystore, "alice", "correct horse", &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->alice);
  g_assert_true (vd_test_remove_tree (fixture->dir));
  g_free (fixture->dir);
  g_free (fixture->db);
  g_free (fixture->keys);
  g_free (fixture->passphrase);
  g_free (fixture->export);
  g_free (fixture->env[0]);
}

#define run_cli(fixture, run, ...) \
  vd_test_run_cli_full (run, (fixture)->db, (fixture)->dir, \
                        (const char * const *) (fixture)->env, __VA_ARGS__)

#define ITEM(id) \
  "{\"task_id\": \"" id "\", \"task_description\": \"Task " id "\", " \
  "\"agent_output\": {\"content\": \"Output " id "\", \"confidence\": 0.2}}\n"

static void
populate_and_export (Fixture *fixture)
{
  g_auto(VdTestRun) run = { 0, };
  g_autofree char *queue = NULL;
  const char *decisions[][2] = { { "t1", "approve" }, { "t2", "reject" }, { "t3", "approve" } };

  queue = vd_test_write_file (fixture->dir, "ops.jsonl",
                              "{\"verdict_queue\": 1, \"queue\": \"ops\"}\n"
                              ITEM ("t1") ITEM ("t2") ITEM ("t3"));
  run_cli (fixture, &run, "import", queue, NULL);
  g_assert_cmpint (run.status, ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (decisions); i++)
    {
      vd_test_run_clear (&run);
      run_cli (fixture, &run, "decide", "--queue", "ops", decisions[i][0], decisions[i][1],
               "--feedback", "Wrong payee", "--reviewer", "alice", "--passphrase-file", fixture->passphrase, NULL);
      g_test_message ("%s%s", run.out, run.err);
      g_assert_cmpint (run.status, ==, 0);
    }

  vd_test_run_clear (&run);
  run_cli (fixture, &run, "export", "decisions", fixture->export, "--reviewer", "alice",
           "--passphrase-file", fixture->passphrase, NULL);
  g_test_message ("%s%s", run.out, run.err);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "3 records written to"));
}

static void
test_export_and_verify (Fixture       *fixture,
                        gconstpointer  data)
{
  g_auto(VdTestRun) run = { 0, };
  g_autofree char *expected = NULL;
  g_autofree char *public_key = vd_key_format_public (fixture->alice);
  g_autofree char *text = NULL;
  g_autofree char *tampered = NULL;

  populate_and_export (fixture);

  /* Found in the keys folder. */
  run_cli (fixture, &run, "verify", fixture->export, NULL);
  g_test_message ("%s%s", run.out, run.err);
  g_assert_cmpint (run.status, ==, 0);
  expected = g_strdup_printf ("decisions.jsonl: 3 decisions, signed by alice (%s), 1 reviewer’s "
                              "key, all signatures valid\n", vd_key_get_id (fixture->alice));
  g_assert_true (g_str_has_suffix (run.out, expected));

  /* Given on the command line, with no store and no keys folder. */
  vd_test_run_clear (&run);
  g_free (fixture->env[0]);
  fixture->env[0] = g_strconcat ("VERDICT_KEYS_DIR=", fixture->dir, "/nowhere", NULL);
  vd_test_run_cli_full (&run, NULL, fixture->dir, (const char * const *) fixture->env,
                        "--db", "/nonexistent/verdict.db", "verify", fixture->export,
                        "--public-key", public_key, NULL);
  g_test_message ("%s%s", run.out, run.err);
  g_assert_cmpint (run.status, ==, 0);

  /* Without any key that signed it. */
  vd_test_run_clear (&run);
  vd_test_run_cli_full (&run, NULL, fixture->dir, (const char * const *) fixture->env,
                        "--db", "/nonexistent/verdict.db", "verify", fixture->export, NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "decisions.jsonl.minisig:"));

  /* One changed byte of a decision. */
  g_assert_true (g_file_get_contents (fixture->export, &text, NULL, NULL));
  tampered = g_strdup (text);
  *strstr (tampered, "\"decision\":\"reject\"") = ' ';
  g_assert_true (g_file_set_contents (fixture->export, tampered, -1, NULL));
  vd_test_run_clear (&run);
  vd_test_run_cli_full (&run, NULL, fixture->dir, (const char * const *) fixture->env,
                        "--db", "/nonexistent/verdict.db", "verify", fixture->export,
                        "--public-key", public_key, NULL);
  g_test_message ("%s", run.err);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "decisions.jsonl:3: "));
}

static void
test_audit_verify_export (Fixture       *fixture,
                          gconstpointer  data)
{
  g_auto(VdTestRun) run = { 0, };
  sqlite3 *handle = NULL;

  populate_and_export (fixture);

  run_cli (fixture, &run, "audit", "verify", "--export", fixture->export, NULL);
  g_test_message ("%s%s", run.out, run.err);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "the store still holds its head"));

  /* A rewrite of the first decision's event after the export, by someone
   * who dropped the triggers. */
  g_assert_cmpint (sqlite3_open (fixture->db, &handle), ==, SQLITE_OK);
  {
    sqlite3_stmt *stmt = NULL;
    g_autoptr(GPtrArray) drops = g_ptr_array_new_with_free_func (g_free);

    g_assert_cmpint (sqlite3_prepare_v2 (handle, "SELECT name FROM sqlite_master "
                                         "WHERE type = 'trigger'", -1, &stmt, NULL),
                     ==, SQLITE_OK);
    while (sqlite3_step (stmt) == SQLITE_ROW)
      g_ptr_array_add (drops, g_strdup_printf ("DROP TRIGGER \"%s\"",
                                               sqlite3_column_text (stmt, 0)));
    sqlite3_finalize (stmt);
    for (guint i = 0; i < drops->len; i++)
      g_assert_cmpint (sqlite3_exec (handle, g_ptr_array_index (drops, i), NULL, NULL, NULL),
                       ==, SQLITE_OK);
  }
  g_assert_cmpint (sqlite3_exec (handle,
                                 "UPDATE audit SET hash = printf('%064d', 1) WHERE seq = "
                                 "(SELECT MIN(seq) FROM audit WHERE event = 'decision')",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (handle);

  vd_test_run_clear (&run);
  run_cli (fixture, &run, "audit", "verify", "--export", fixture->export, NULL);
  g_test_message ("%s%s", run.out, run.err);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "line 2 of "));
  g_assert_nonnull (strstr (run.err, "the audit trail was rewritten after the export"));
}

static void
test_stdout_unsigned (Fixture       *fixture,
                      gconstpointer  data)
{
  g_auto(VdTestRun) run = { 0, };
  g_autofree char *signature = g_strconcat (fixture->export, ".minisig", NULL);

  populate_and_export (fixture);
  g_assert_true (g_file_test (signature, G_FILE_TEST_IS_REGULAR));

  /* Standard output gets the lines with their signatures, no .minisig. */
  run_cli (fixture, &run, "export", "decisions", "-", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "\"signature\":\""));
  g_assert_null (strstr (run.out, "\"signed\":true"));

  /* A missing signature is named. */
  g_assert_cmpint (g_remove (signature), ==, 0);
  vd_test_run_clear (&run);
  run_cli (fixture, &run, "verify", fixture->export, NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "decisions.jsonl.minisig: no such file"));
}

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  ADD ("/cli-verify/export-and-verify", test_export_and_verify);
  ADD ("/cli-verify/audit-verify-export", test_audit_verify_export);
  ADD ("/cli-verify/stdout-unsigned", test_stdout_unsigned);

  return g_test_run ();
}
