/* test-pg-identity.c: the team database refuses what a role may not do
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

#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "vd-test-pg.h"
#include "vd-test-util.h"

/* Each test gets its own database, created by "verdict-cli team init", with
 * reviewers added by "verdict-cli team add-reviewer"; the checks log in as
 * those roles with psql over 127.0.0.1 (SCRAM-SHA-256), as anyone could. */

#define GENESIS "0000000000000000000000000000000000000000000000000000000000000000"

typedef struct
{
  VdTestPg *pg;
  char     *dir;
} Fixture;

typedef struct
{
  int   status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

static Run
spawn (const char * const *argv,
       const char         *password)
{
  g_auto(GStrv) env = g_get_environ ();
  g_autoptr(GError) error = NULL;
  Run run = { 0 };
  int wait_status = 0;

  /* Nothing but the password given here logs in. */
  env = g_environ_unsetenv (env, "PGPASSWORD");
  env = g_environ_setenv (env, "PGPASSFILE", "/nonexistent/verdict-test-pgpass", TRUE);
  env = g_environ_unsetenv (env, "PGSERVICE");
  if (password != NULL)
    env = g_environ_setenv (env, "PGPASSWORD", password, TRUE);

  if (!g_spawn_sync (NULL, (char **) argv, env, G_SPAWN_SEARCH_PATH | G_SPAWN_STDIN_FROM_DEV_NULL,
                     NULL, NULL, &run.out, &run.err, &wait_status, &error))
    g_error ("could not run %s: %s", argv[0], error->message);
  run.status = g_spawn_check_wait_status (wait_status, NULL) ? 0 : 1;
  if (g_test_verbose ())
    g_printerr ("$ %s ... -> %d\n%s%s", argv[0], run.status, run.out, run.err);
  return run;
}

static Run
cli (Fixture    *f,
     const char *passphrase_file,
     ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  const char *arg;
  va_list args;

  g_ptr_array_add (argv, (gpointer) g_getenv ("VERDICT_CLI"));
  va_start (args, passphrase_file);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, (gpointer) "--db");
  g_ptr_array_add (argv, f->pg->conninfo);
  if (passphrase_file != NULL)
    {
      g_ptr_array_add (argv, (gpointer) "--passphrase-file");
      g_ptr_array_add (argv, (gpointer) passphrase_file);
    }
  g_ptr_array_add (argv, NULL);

  return spawn ((const char * const *) argv->pdata, NULL);
}

/* psql on @conninfo, stopping at the first error, printing SQLSTATEs. */
static Run
psql_on (const char *conninfo,
         const char *password,
         const char *sql)
{
  const char *argv[] = {
    "psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-v", "VERBOSITY=verbose",
    "-d", conninfo, "-c", sql, NULL
  };

  return spawn (argv, password);
}

/* psql as @role over 127.0.0.1 with @password. */
static Run
psql_as (Fixture    *f,
         const char *role,
         const char *password,
         const char *sql)
{
  g_autofree char *conninfo = g_strdup_printf ("host=127.0.0.1 port=%s dbname=%s user=%s",
                                               g_getenv ("VERDICT_TEST_PG_PORT"),
                                               f->pg->dbname, role);

  return psql_on (conninfo, password, sql);
}

static char *
query (Fixture    *f,
       const char *sql)
{
  return vd_test_pg_query (f->pg->conninfo, sql);
}

static void
assert_query (Fixture    *f,
              const char *sql,
              const char *expected)
{
  g_autofree char *value = query (f, sql);

  g_assert_cmpstr (value, ==, expected);
}

/* The command failed with SQLSTATE @sqlstate and a message containing
 * @message. */
static void
assert_refused (Run        *run,
                const char *sqlstate,
                const char *message)
{
  g_autofree char *code = g_strdup_printf ("ERROR:  %s:", sqlstate);

  g_assert_cmpint (run->status, !=, 0);
  g_assert_nonnull (strstr (run->err, code));
  g_assert_nonnull (strstr (run->err, message));
  run_clear (run);
}

static void
assert_ok (Run *run)
{
  if (run->status != 0)
    g_error ("expected success, got: %s", run->err);
  run_clear (run);
}

static void
add_reviewer (Fixture    *f,
              const char *role,
              const char *flag)
{
  g_autofree char *file = g_build_filename (f->dir, role, NULL);
  g_autofree char *password = g_strdup_printf ("%s-secret\n", role);
  Run run;

  g_assert_true (g_file_set_contents (file, password, -1, NULL));
  if (flag != NULL)
    run = cli (f, file, "team", "add-reviewer", role, flag, NULL);
  else
    run = cli (f, file, "team", "add-reviewer", role, NULL);
  assert_ok (&run);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  Run run;

  f->pg = vd_test_pg_set_up (FALSE);
  if (f->pg == NULL)
    return;
  f->dir = vd_test_make_tmp_dir ("pg-identity");

  run = cli (f, NULL, "team", "init", NULL);
  assert_ok (&run);
  add_reviewer (f, "alice", NULL);
  add_reviewer (f, "bob", NULL);
  add_reviewer (f, "carol", "--senior");
  add_reviewer (f, "dave", "--admin");

  /* Items as an import would leave them (written by the owner). */
  g_free (query (f, "INSERT INTO items (queue, task_id, created_at, imported_at, status, "
                    "content) VALUES "
                    "('payments', 't-1', 0, 0, 'pending', 'pay 10'), "
                    "('payments', 't-7', 0, 0, 'escalated', 'pay 20000')"));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  vd_test_pg_tear_down (f->pg);
  if (f->dir != NULL)
    vd_test_remove_tree (f->dir);
  g_free (f->dir);
}

/* A decision by @reviewer on @task_id and the item's new status, in one
 * transaction, as Verdict writes it. */
static char *
decision_sql (const char *task_id,
              const char *kind,
              const char *reviewer,
              const char *status)
{
  return g_strdup_printf ("BEGIN;"
                          "SELECT seq FROM audit_head FOR UPDATE;"
                          "INSERT INTO decisions (item_id, queue, task_id, revision, decision, "
                          "  reviewer_id, timestamp, audit_seq, audit_hash, audit_prev_hash) "
                          "SELECT id, queue, task_id, revision, '%s', '%s', 1, 1, 'h1', '"
                          GENESIS "' FROM items WHERE task_id = '%s';"
                          "UPDATE items SET status = '%s', audit_seq = 1 WHERE task_id = '%s';"
                          "COMMIT;",
                          kind, reviewer, task_id, status, task_id);
}

static void
test_init_status (Fixture       *f,
                  gconstpointer  data)
{
  Run run;

  if (f->pg == NULL)
    return;

  assert_query (f, "SELECT value FROM meta WHERE key = 'schema_version'", "1");
  assert_query (f, "SELECT count(*) FROM pg_roles WHERE rolname IN "
                   "('verdict_reviewer', 'verdict_senior', 'verdict_admin')", "3");
  assert_query (f, "SELECT pg_has_role ('carol', 'verdict_senior', 'MEMBER')::text", "true");
  assert_query (f, "SELECT pg_has_role ('dave', 'verdict_senior', 'MEMBER')::text", "false");
  assert_query (f, "SELECT pg_has_role ('dave', 'verdict_reviewer', 'MEMBER')::text", "true");
  assert_query (f, "SELECT rolpassword LIKE 'SCRAM-SHA-256$%' FROM pg_authid "
                   "WHERE rolname = 'alice'", "t");

  run = cli (f, NULL, "team", "status", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "PostgreSQL 15"));
  g_assert_nonnull (strstr (run.out, "Schema version: 1"));
  g_assert_nonnull (strstr (run.out, "alice: verdict_reviewer\n"));
  g_assert_nonnull (strstr (run.out, "carol: verdict_reviewer, verdict_senior\n"));
  g_assert_nonnull (strstr (run.out, "dave: verdict_admin, verdict_reviewer\n"));
  g_assert_nonnull (strstr (run.out, "Audit head: event 0"));
  run_clear (&run);

  /* A second init refuses; migrate has nothing to do. */
  run = cli (f, NULL, "team", "init", NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "already has a Verdict schema (version 1)"));
  run_clear (&run);
  run = cli (f, NULL, "team", "migrate", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "up to date"));
  run_clear (&run);

  /* A database written by a newer Verdict is left alone. */
  g_free (query (f, "UPDATE meta SET value = '99' WHERE key = 'schema_version' RETURNING key"));
  run = cli (f, NULL, "team", "migrate", NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "99"));
  g_assert_nonnull (strstr (run.err, f->pg->dbname));
  run_clear (&run);
  assert_query (f, "SELECT value FROM meta WHERE key = 'schema_version'", "99");

  /* The role's groups become those asked for: carol is senior no more. */
  add_reviewer (f, "carol", NULL);
  assert_query (f, "SELECT pg_has_role ('carol', 'verdict_senior', 'MEMBER')::text", "false");
}

static void
test_wrong_password (Fixture       *f,
                     gconstpointer  data)
{
  Run run;

  if (f->pg == NULL)
    return;

  run = psql_as (f, "alice", "bob-secret", "SELECT 1");
  g_assert_cmpint (run.status, !=, 0);
  g_assert_nonnull (strstr (run.err, "password authentication failed for user \"alice\""));
  run_clear (&run);

  run = psql_as (f, "alice", "alice-secret", "SELECT session_user");
  assert_ok (&run);
}

static void
test_decide_as_other (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *as_bob = decision_sql ("t-1", "approve", "bob", "approved");
  g_autofree char *as_alice = decision_sql ("t-1", "approve", "alice", "approved");
  Run run;

  if (f->pg == NULL)
    return;

  run = psql_as (f, "alice", "alice-secret", as_bob);
  assert_refused (&run, "42501", "verdict: alice may not decide payments/t-1 as bob");
  assert_query (f, "SELECT count(*) FROM decisions", "0");
  assert_query (f, "SELECT status FROM items WHERE task_id = 't-1'", "pending");

  /* An audit event as someone else. */
  run = psql_as (f, "alice", "alice-secret",
                 "INSERT INTO audit (seq, timestamp, actor, event, queue, task_id, payload, "
                 "prev_hash, hash) VALUES (1, 't', 'bob', 'decision', 'payments', 't-1', '{}', '"
                 GENESIS "', 'h1')");
  assert_refused (&run, "42501", "verdict: alice may not write the audit event decision on "
                                 "payments/t-1 as bob");
  assert_query (f, "SELECT count(*) FROM audit", "0");

  /* A status change that comes with no decision. */
  run = psql_as (f, "alice", "alice-secret",
                 "UPDATE items SET status = 'approved' WHERE task_id = 't-1'");
  assert_refused (&run, "42501", "alice may not change payments/t-1 (status pending to "
                                 "approved) without a decision");
  assert_query (f, "SELECT status FROM items WHERE task_id = 't-1'", "pending");

  /* As herself, with psql all the same: recorded as alice. */
  run = psql_as (f, "alice", "alice-secret", as_alice);
  assert_ok (&run);
  assert_query (f, "SELECT reviewer_id || ' ' || db_role FROM decisions", "alice alice");
  assert_query (f, "SELECT status FROM items WHERE task_id = 't-1'", "approved");
}

static void
test_escalated (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *by_alice = decision_sql ("t-7", "approve", "alice", "approved");
  g_autofree char *by_dave = decision_sql ("t-7", "approve", "dave", "approved");
  g_autofree char *by_carol = decision_sql ("t-7", "approve", "carol", "approved");
  Run run;

  if (f->pg == NULL)
    return;

  run = psql_as (f, "alice", "alice-secret", by_alice);
  assert_refused (&run, "42501", "verdict: alice may not decide payments/t-7: the item is "
                                 "escalated and alice is not a member of verdict_senior");
  /* The decision row alone is refused too, status untouched. */
  run = psql_as (f, "alice", "alice-secret",
                 "INSERT INTO decisions (item_id, queue, task_id, revision, decision, "
                 "reviewer_id, timestamp, audit_seq, audit_hash, audit_prev_hash) "
                 "SELECT id, queue, task_id, revision, 'reject', 'alice', 1, 1, 'h1', 'p' "
                 "FROM items WHERE task_id = 't-7'");
  assert_refused (&run, "42501", "verdict: alice may not decide payments/t-7: the item is "
                                 "escalated");
  /* An admin is not a senior. */
  run = psql_as (f, "dave", "dave-secret", by_dave);
  assert_refused (&run, "42501", "verdict: dave may not decide payments/t-7: the item is "
                                 "escalated and dave is not a member of verdict_senior");
  /* Nor does moving the status first help. */
  run = psql_as (f, "alice", "alice-secret",
                 "UPDATE items SET status = 'approved' WHERE task_id = 't-7'");
  assert_refused (&run, "42501", "alice may not change payments/t-7");
  assert_query (f, "SELECT count(*) FROM decisions", "0");
  assert_query (f, "SELECT status FROM items WHERE task_id = 't-7'", "escalated");

  run = psql_as (f, "carol", "carol-secret", by_carol);
  assert_ok (&run);
  assert_query (f, "SELECT reviewer_id FROM decisions", "carol");
  assert_query (f, "SELECT status FROM items WHERE task_id = 't-7'", "approved");
}

static void
test_audit_append_only (Fixture       *f,
                        gconstpointer  data)
{
  Run run;

  if (f->pg == NULL)
    return;

  run = psql_as (f, "alice", "alice-secret",
                 "BEGIN; SELECT seq FROM audit_head FOR UPDATE;"
                 "INSERT INTO audit (seq, timestamp, actor, event, queue, task_id, payload, "
                 "prev_hash, hash) VALUES (1, 't', 'alice', 'decision', 'payments', 't-1', "
                 "'{}', '" GENESIS "', 'h1'); COMMIT;");
  assert_ok (&run);
  assert_query (f, "SELECT actor || ' ' || db_role FROM audit", "alice alice");
  assert_query (f, "SELECT seq || ' ' || hash FROM audit_head", "1 h1");

  for (guint i = 0; i < 3; i++)
    {
      const char *role = (const char *[]) { "alice", "carol", "dave" }[i];
      g_autofree char *password = g_strdup_printf ("%s-secret", role);

      run = psql_as (f, role, password, "UPDATE audit SET actor = 'mallory'");
      assert_refused (&run, "42501", "permission denied for table audit");
      run = psql_as (f, role, password, "DELETE FROM audit");
      assert_refused (&run, "42501", "permission denied for table audit");
      run = psql_as (f, role, password, "UPDATE audit_head SET seq = 0, hash = '" GENESIS "'");
      assert_refused (&run, "42501", "permission denied for table audit_head");
    }

  /* The owner (here the superuser) is refused by the trigger. */
  run = psql_on (f->pg->conninfo, NULL, "UPDATE audit SET actor = 'mallory'");
  assert_refused (&run, "42501", "the audit trail is append-only");
  run = psql_on (f->pg->conninfo, NULL, "DELETE FROM audit");
  assert_refused (&run, "42501", "the audit trail is append-only");
  run = psql_on (f->pg->conninfo, NULL, "TRUNCATE audit");
  g_assert_cmpint (run.status, !=, 0);
  run_clear (&run);

  assert_query (f, "SELECT count(*) || ' ' || string_agg (actor, ',') FROM audit", "1 alice");
}

static void
test_audit_chain (Fixture       *f,
                  gconstpointer  data)
{
  Run run;

  if (f->pg == NULL)
    return;

  /* prev_hash is not the head's. */
  run = psql_as (f, "alice", "alice-secret",
                 "INSERT INTO audit (seq, timestamp, actor, event, queue, task_id, payload, "
                 "prev_hash, hash) VALUES (1, 't', 'alice', 'decision', 'payments', 't-1', "
                 "'{}', 'forged', 'h1')");
  assert_refused (&run, "40001", "does not follow the audit head");
  /* A gap in the sequence. */
  run = psql_as (f, "alice", "alice-secret",
                 "INSERT INTO audit (seq, timestamp, actor, event, queue, task_id, payload, "
                 "prev_hash, hash) VALUES (2, 't', 'alice', 'decision', 'payments', 't-1', "
                 "'{}', '" GENESIS "', 'h2')");
  assert_refused (&run, "40001", "does not follow the audit head");

  assert_query (f, "SELECT count(*) FROM audit", "0");
  assert_query (f, "SELECT seq || ' ' || hash FROM audit_head", "0 " GENESIS);
}

static void
test_import_needs_admin (Fixture       *f,
                         gconstpointer  data)
{
  const char *insert = "INSERT INTO items (queue, task_id, created_at, imported_at, status) "
                       "VALUES ('payments', 't-9', 0, 0, 'pending')";
  Run run;

  if (f->pg == NULL)
    return;

  run = psql_as (f, "alice", "alice-secret", insert);
  assert_refused (&run, "42501", "verdict: alice may not import payments/t-9: imports need "
                                 "verdict_admin");
  run = psql_as (f, "carol", "carol-secret", insert);
  assert_refused (&run, "42501", "verdict: carol may not import payments/t-9");
  assert_query (f, "SELECT count(*) FROM items WHERE task_id = 't-9'", "0");

  /* Policies and settings too. */
  run = psql_as (f, "alice", "alice-secret",
                 "INSERT INTO queue_policies (queue, policy, chosen_at) "
                 "VALUES ('payments', '{}', 0)");
  assert_refused (&run, "42501", "verdict: alice may not change the policy of queue payments: "
                                 "it needs verdict_admin");
  run = psql_as (f, "alice", "alice-secret",
                 "UPDATE meta SET value = '2' WHERE key = 'schema_version'");
  assert_refused (&run, "42501", "verdict: alice may not change the setting schema_version");
  assert_query (f, "SELECT count(*) FROM queue_policies", "0");
  assert_query (f, "SELECT value FROM meta WHERE key = 'schema_version'", "1");

  run = psql_as (f, "dave", "dave-secret", insert);
  assert_ok (&run);
  assert_query (f, "SELECT count(*) FROM items WHERE task_id = 't-9'", "1");
}

/* Automatic decisions: a deadline fallback only once the deadline passed,
 * an import's approval only by an admin; a further escalation is anyone's;
 * an installation key only under one's own name. */
static void
test_automatic (Fixture       *f,
                gconstpointer  data)
{
  const char *fallback = "INSERT INTO decisions (item_id, queue, task_id, revision, decision, "
                         "reviewer_id, automatic, timestamp, audit_seq, audit_hash, "
                         "audit_prev_hash) SELECT id, queue, task_id, revision, 'reject', "
                         "'sla', 1, 1, 1, 'h1', 'p' FROM items WHERE task_id = 't-1'";
  const char *approval = "INSERT INTO decisions (item_id, queue, task_id, revision, decision, "
                         "reviewer_id, automatic, timestamp, audit_seq, audit_hash, "
                         "audit_prev_hash) SELECT id, queue, task_id, revision, 'approve', "
                         "'policy', 1, 1, 1, 'h1', 'p' FROM items WHERE task_id = 't-1'";
  g_autofree char *further = decision_sql ("t-7", "escalate_further", "alice", "escalated");
  Run run;

  if (f->pg == NULL)
    return;

  /* t-1 is due in an hour. */
  g_free (query (f, "UPDATE items SET due_at = (extract (epoch FROM now ()) + 3600)::bigint "
                    "* 1000000 WHERE task_id = 't-1' RETURNING id"));
  run = psql_as (f, "alice", "alice-secret", fallback);
  assert_refused (&run, "42501", "verdict: alice may not apply a deadline fallback to "
                                 "payments/t-1: its deadline has not passed");
  run = psql_as (f, "alice", "alice-secret", "INSERT INTO decisions (item_id, queue, task_id, "
                 "revision, decision, reviewer_id, automatic, timestamp, audit_seq, audit_hash, "
                 "audit_prev_hash) SELECT id, queue, task_id, revision, 'approve', 'robot', 1, "
                 "1, 1, 'h1', 'p' FROM items WHERE task_id = 't-1'");
  assert_refused (&run, "42501", "verdict: alice may not record an automatic decision on "
                                 "payments/t-1 as robot");
  run = psql_as (f, "alice", "alice-secret", approval);
  assert_refused (&run, "42501", "verdict: alice may not approve payments/t-1 automatically");
  assert_query (f, "SELECT count(*) FROM decisions", "0");

  run = psql_as (f, "dave", "dave-secret", approval);
  assert_ok (&run);
  assert_query (f, "SELECT reviewer_id || ' ' || db_role FROM decisions", "policy dave");

  /* An hour ago: now the fallback is anyone's. */
  g_free (query (f, "UPDATE items SET due_at = (extract (epoch FROM now ()) - 3600)::bigint "
                    "* 1000000 WHERE task_id = 't-1' RETURNING id"));
  run = psql_as (f, "alice", "alice-secret", fallback);
  assert_ok (&run);
  assert_query (f, "SELECT count(*) FROM decisions WHERE reviewer_id = 'sla' "
                   "AND db_role = 'alice'", "1");

  /* A non-senior may escalate an escalated item further. */
  run = psql_as (f, "alice", "alice-secret", further);
  assert_ok (&run);
  assert_query (f, "SELECT decision FROM decisions WHERE task_id = 't-7'", "escalate_further");

  run = psql_as (f, "alice", "alice-secret", "INSERT INTO installation_keys (key_id, "
                 "public_key, owner, created_at) VALUES ('k1', 'RW', 'bob', 0)");
  assert_refused (&run, "42501", "verdict: alice may not register the installation key k1 "
                                 "for bob");
  run = psql_as (f, "alice", "alice-secret", "INSERT INTO installation_keys (key_id, "
                 "public_key, created_at) VALUES ('k1', 'RW', 0)");
  assert_ok (&run);
  assert_query (f, "SELECT owner FROM installation_keys", "alice");
}

/* verdict-cli itself, logged in as each role: the store's own queries work
 * within the grants, and the database's refusal reaches the reviewer. */
static Run
cli_as (Fixture    *f,
        const char *role,
        ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *location = g_strdup_printf ("postgresql://%s@127.0.0.1:%s/%s", role,
                                               g_getenv ("VERDICT_TEST_PG_PORT"),
                                               f->pg->dbname);
  g_autofree char *password = g_strdup_printf ("%s-secret", role);
  const char *arg;
  va_list args;

  g_ptr_array_add (argv, (gpointer) g_getenv ("VERDICT_CLI"));
  g_ptr_array_add (argv, (gpointer) "--db");
  g_ptr_array_add (argv, location);
  va_start (args, role);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  return spawn ((const char * const *) argv->pdata, password);
}

static void
test_store_as_reviewers (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *queue = NULL;
  g_autofree char *policy = NULL;
  g_autofree char *task_id = NULL;
  Run run;

  if (f->pg == NULL)
    return;

  queue = g_build_filename (g_getenv ("VERDICT_SAMPLES"), "review-queue.jsonl", NULL);
  policy = g_build_filename (g_getenv ("VERDICT_SAMPLES"), "policy.json", NULL);

  run = cli_as (f, "alice", "import", queue, NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "alice may not import"));
  g_assert_nonnull (strstr (run.err, "imports need verdict_admin"));
  run_clear (&run);
  assert_query (f, "SELECT count(*) FROM items", "2");
  /* Opening the store may start signing; nothing of the import is left. */
  assert_query (f, "SELECT count(*) FROM audit WHERE event <> 'signing_started'", "0");

  run = cli_as (f, "dave", "import", "--policy", policy, queue, NULL);
  assert_ok (&run);
  assert_query (f, "SELECT count(DISTINCT db_role) || ' ' || min (db_role) FROM audit "
                   "WHERE event <> 'signing_started'", "1 dave");
  assert_query (f, "SELECT count(*) || ' ' || min (db_role) FROM decisions "
                   "WHERE reviewer_id = 'policy'", "12 dave");

  task_id = query (f, "SELECT task_id FROM items WHERE status = 'pending' AND queue <> 'payments' "
                      "ORDER BY id LIMIT 1");
  run = cli_as (f, "alice", "decide", task_id, "approve", "--reviewer", "alice", NULL);
  assert_ok (&run);
  run = cli_as (f, "carol", "audit", "verify", NULL);
  assert_ok (&run);
  assert_query (f, "SELECT actor || ' ' || event || ' ' || db_role FROM audit "
                   "ORDER BY seq DESC LIMIT 1", "alice decision alice");
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *home = NULL;
  g_autofree char *keys = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  if (g_getenv ("VERDICT_CLI") == NULL)
    g_error ("VERDICT_CLI is not set: run this test through meson");

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/pg/identity/init-status", test_init_status);
  ADD ("/pg/identity/wrong-password", test_wrong_password);
  ADD ("/pg/identity/decide-as-other", test_decide_as_other);
  ADD ("/pg/identity/escalated", test_escalated);
  ADD ("/pg/identity/audit-append-only", test_audit_append_only);
  ADD ("/pg/identity/audit-chain", test_audit_chain);
  ADD ("/pg/identity/import-needs-admin", test_import_needs_admin);
  ADD ("/pg/identity/automatic", test_automatic);
  ADD ("/pg/identity/store-as-reviewers", test_store_as_reviewers);
#undef ADD

  /* Keys the store makes (the installation's) stay in a folder of the test. */
  home = vd_test_make_tmp_dir ("pg-identity-home");
  g_setenv ("XDG_DATA_HOME", home, TRUE);
  keys = g_build_filename (home, "keys", NULL);
  g_setenv ("VERDICT_KEYS_DIR", keys, TRUE);

  status = g_test_run ();
  vd_test_remove_tree (home);
  return status;
}
