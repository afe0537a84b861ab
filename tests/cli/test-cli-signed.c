/* test-cli-signed.c: reviewers' keys in verdict-cli: unlocking, signed
 * decisions, the roster and audit verify's counts
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

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "vd-core.h"
#include "vd-test-util.h"

#define PASSPHRASE "correct horse battery"

#define QUEUE \
  "{\"verdict_queue\": 1, \"queue\": \"payments\"}\n" \
  "{\"task_id\": \"t1\", \"task_description\": \"Refund order 1\", " \
  "\"agent_output\": {\"content\": \"Refund $10.\", \"confidence\": 0.4, " \
  "\"metadata\": {\"model\": \"triage-7b\", \"prompt_version\": \"v12\"}}, " \
  "\"escalation_reason\": \"low_confidence\"}\n" \
  "{\"task_id\": \"t2\", \"task_description\": \"Refund order 2\", " \
  "\"agent_output\": {\"content\": \"Refund $20.\", \"confidence\": 0.4}, " \
  "\"escalation_reason\": \"low_confidence\"}\n" \
  "{\"task_id\": \"t3\", \"task_description\": \"Refund order 3\", " \
  "\"agent_output\": {\"content\": \"Refund $30.\", \"confidence\": 0.4}, " \
  "\"escalation_reason\": \"low_confidence\"}\n"

typedef struct
{
  char  *dir;
  char  *db;
  char  *keys_dir;
  char  *keys_env;
  char  *passphrase_file;
  VdKey *alice;
} Fixture;

#define run_cli(run, fixture, ...) \
  vd_test_run_cli_full (run, (fixture)->db, NULL, \
                        (const char * const[]) { (fixture)->keys_env, NULL }, __VA_ARGS__)

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(VdKeystore) keystore = NULL;
  g_auto(VdTestRun) run = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *queue = NULL;

  fixture->dir = vd_test_make_tmp_dir ("cli-signed");
  fixture->db = g_build_filename (fixture->dir, "verdict.db", NULL);
  fixture->keys_dir = g_build_filename (fixture->dir, "keys", NULL);
  fixture->keys_env = g_strconcat ("VERDICT_KEYS_DIR=", fixture->keys_dir, NULL);
  g_setenv ("VERDICT_KEYS_DIR", fixture->keys_dir, TRUE);
  fixture->passphrase_file = vd_test_write_file (fixture->dir, "passphrase",
                                                 PASSPHRASE "\n");

  keystore = vd_keystore_new (fixture->keys_dir);
  fixture->alice = vd_keystore_generate (keystore, "alice", PASSPHRASE, &error);
  g_assert_no_error (error);

  queue = vd_test_write_file (fixture->dir, "q.jsonl", QUEUE);
  run_cli (&run, fixture, "import", queue, NULL);
  g_assert_cmpint (run.status, ==, 0);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->alice);
  vd_test_remove_tree (fixture->dir);
  g_free (fixture->passphrase_file);
  g_free (fixture->keys_env);
  g_free (fixture->keys_dir);
  g_free (fixture->db);
  g_free (fixture->dir);
}

static char *
audit_head_of (Fixture *fixture)
{
  g_autoptr(VdStore) store = vd_test_open_store (fixture->db);
  g_autoptr(GPtrArray) decisions = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = NULL;
  gint64 seq = 0;

  g_assert_true (vd_store_get_audit_head (store, &seq, &hash, &error));
  decisions = vd_store_list_decisions (store, NULL, NULL, &error);
  g_assert_no_error (error);

  return g_strdup_printf ("%" G_GINT64_FORMAT " %s %u", seq, hash, decisions->len);
}

/* --passphrase-file unlocks alice's key: the decision is signed with it,
 * show says so, and audit verify counts it. */
static void
test_passphrase_file (Fixture       *fixture,
                      gconstpointer  data)
{
  g_auto(VdTestRun) run = { 0 };
  g_autofree char *signed_line = NULL;
  g_autofree char *signer = NULL;

  run_cli (&run, fixture, "decide", "t1", "approve", "--reviewer", "alice",
           "--passphrase-file", fixture->passphrase_file, NULL);
  g_assert_cmpstr (run.err, ==, "");
  g_assert_cmpint (run.status, ==, 0);
  signed_line = g_strdup_printf ("signed with key %s\n", vd_key_get_id (fixture->alice));
  g_assert_true (g_str_has_suffix (run.out, signed_line));

  /* bob has no key: a note says how his decision is signed. */
  run_cli (&run, fixture, "decide", "t2", "approve", "--reviewer", "bob", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.err, ==, "verdict-cli: bob has no key: decisions are signed by this "
                                "installation, as an unverified reviewer\n");

  run_cli (&run, fixture, "show", "t1", NULL);
  g_assert_cmpint (run.status, ==, 0);
  signer = g_strdup_printf ("\n  signed by alice, key %s\n", vd_key_get_id (fixture->alice));
  g_assert_nonnull (strstr (run.out, signer));
  g_assert_nonnull (strstr (run.out, "; model triage-7b; prompt version v12; Verdict "
                                     PACKAGE_VERSION "\n"));

  run_cli (&run, fixture, "show", "t2", NULL);
  g_assert_nonnull (strstr (run.out, "\n  signed by this installation (unverified reviewer)\n"));

  run_cli (&run, fixture, "show", "t1", "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "\"signed_by\":\"alice\""));
  g_assert_nonnull (strstr (run.out, "\"model\":\"triage-7b\""));
  g_assert_nonnull (strstr (run.out, "\"app_version\":\"" PACKAGE_VERSION "\""));

  run_cli (&run, fixture, "audit", "verify", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "\nsigned by reviewers: 1\n"));
  g_assert_nonnull (strstr (run.out, "\nunsigned, from before signing started: 0\n"));
}

/* VERDICT_PASSPHRASE_FD names a descriptor the passphrase is read from. */
static void
test_passphrase_fd (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *signed_line = NULL;
  int fd = open (fixture->passphrase_file, O_RDONLY | O_CLOEXEC);

  g_assert_cmpint (fd, >=, 0);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "LANGUAGE", "C", TRUE);
  g_subprocess_launcher_setenv (launcher, "VERDICT_KEYS_DIR", fixture->keys_dir, TRUE);
  g_subprocess_launcher_setenv (launcher, "VERDICT_PASSPHRASE_FD", "3", TRUE);
  g_subprocess_launcher_take_fd (launcher, fd, 3);
  process = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("VERDICT_CLI"),
                                         "--db", fixture->db, "decide", "t1", "approve",
                                         "--reviewer", "alice", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (err, ==, "");
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
  signed_line = g_strdup_printf ("signed with key %s\n", vd_key_get_id (fixture->alice));
  g_assert_true (g_str_has_suffix (out, signed_line));
}

/* A wrong passphrase stops the command before anything is written. */
static void
test_wrong_passphrase (Fixture       *fixture,
                       gconstpointer  data)
{
  g_auto(VdTestRun) run = { 0 };
  g_autofree char *wrong = vd_test_write_file (fixture->dir, "wrong", "not it\n");
  g_autofree char *before = audit_head_of (fixture);
  g_autofree char *after = NULL;

  run_cli (&run, fixture, "decide", "t1", "approve", "--reviewer", "alice",
           "--passphrase-file", wrong, NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_cmpstr (run.out, ==, "");
  g_assert_true (g_str_has_prefix (run.err, "verdict-cli: "));
  g_assert_nonnull (strstr (run.err, "wrong passphrase"));
  g_assert_null (strstr (run.err, "not it"));

  after = audit_head_of (fixture);
  g_assert_cmpstr (after, ==, before);
}

/* A roster in the queue's policy refuses a reviewer it does not list,
 * with the message, and nothing is written. */
static void
test_roster_refusal (Fixture       *fixture,
                     gconstpointer  data)
{
  g_auto(VdTestRun) run = { 0 };
  g_autofree char *public_key = vd_key_format_public (fixture->alice);
  g_autofree char *policy_text = NULL;
  g_autofree char *policy = NULL;
  g_autofree char *queue = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  policy_text = g_strdup_printf ("{\"verdict_policy\": 1, \"confidence_threshold\": 0.9, "
                                 "\"reviewers\": [{\"id\": \"alice\", \"public_key\": \"%s\", "
                                 "\"roles\": [\"reviewer\"]}]}", public_key);
  policy = vd_test_write_file (fixture->dir, "policy.json", policy_text);
  queue = vd_test_write_file (fixture->dir, "q2.jsonl",
                              "{\"verdict_queue\": 1, \"queue\": \"payments\"}\n"
                              "{\"task_id\": \"t9\", \"task_description\": \"Refund 9\", "
                              "\"agent_output\": {\"content\": \"Refund $90.\", "
                              "\"confidence\": 0.4}, \"escalation_reason\": "
                              "\"low_confidence\"}\n");
  run_cli (&run, fixture, "import", "--policy", policy, queue, NULL);
  g_assert_cmpint (run.status, ==, 0);

  before = audit_head_of (fixture);
  run_cli (&run, fixture, "decide", "t9", "approve", "--reviewer", "bob", NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_true (g_str_has_suffix (run.err, "verdict-cli: bob may not decide payments/t9: bob "
                                            "is not in the policy's reviewers\n"));
  after = audit_head_of (fixture);
  g_assert_cmpstr (after, ==, before);

  run_cli (&run, fixture, "decide", "t9", "approve", "--reviewer", "alice",
           "--passphrase-file", fixture->passphrase_file, NULL);
  g_assert_cmpstr (run.err, ==, "");
  g_assert_cmpint (run.status, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/cli-signed/passphrase-file", test_passphrase_file);
  ADD ("/cli-signed/passphrase-fd", test_passphrase_fd);
  ADD ("/cli-signed/wrong-passphrase", test_wrong_passphrase);
  ADD ("/cli-signed/roster-refusal", test_roster_refusal);

  return g_test_run ();
}
