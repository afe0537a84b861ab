/* test-pg-store-cli.c: verdict-cli --db postgresql://... against a real cluster
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

#include <libpq-fe.h>

#include "vd-test-pg.h"
#include "vd-test-util.h"

/* The test database as a postgresql:// URI (the socket folder and port as
 * query parameters). */
static char *
database_uri (VdTestPg *pg)
{
  g_autoptr(GString) uri = g_string_new ("postgresql:///");
  PQconninfoOption *options = PQconninfoParse (pg->conninfo, NULL);
  char separator = '?';

  g_assert_nonnull (options);
  g_string_append_uri_escaped (uri, pg->dbname, NULL, FALSE);
  for (PQconninfoOption *o = options; o->keyword != NULL; o++)
    {
      if (o->val == NULL || g_str_equal (o->keyword, "dbname"))
        continue;
      g_string_append_printf (uri, "%c%s=", separator, o->keyword);
      g_string_append_uri_escaped (uri, o->val, NULL, FALSE);
      separator = '&';
    }
  PQconninfoFree (options);
  return g_string_free (g_steal_pointer (&uri), FALSE);
}

static void
test_cli (void)
{
  VdTestPg *pg = vd_test_pg_set_up (TRUE);
  g_autofree char *db = NULL;
  g_autofree char *queue = NULL;
  g_auto(VdTestRun) run = { 0, };

  if (pg == NULL)
    return;
  db = database_uri (pg);
  queue = g_build_filename (g_getenv ("VERDICT_SAMPLES"), "review-queue.jsonl", NULL);

  vd_test_run_cli (&run, db, "import", queue, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "55 imported"));
  vd_test_run_clear (&run);

  vd_test_run_cli (&run, db, "list", "--status", "pending", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "pay-88280"));
  vd_test_run_clear (&run);

  vd_test_run_cli (&run, db, "show", "pay-88280", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "Meridian Trading"));
  vd_test_run_clear (&run);

  vd_test_run_cli (&run, db, "decide", "pay-88280", "approve", "--reviewer", "postgres", NULL);
  g_assert_cmpint (run.status, ==, 0);
  vd_test_run_clear (&run);

  /* Not as someone else: the connection is postgres's. */
  vd_test_run_cli (&run, db, "decide", "pay-88252", "approve", "--reviewer", "mallory", NULL);
  g_assert_cmpint (run.status, !=, 0);
  g_assert_nonnull (strstr (run.err, "may not decide as mallory"));
  vd_test_run_clear (&run);

  vd_test_run_cli (&run, db, "list", "--status", "approved", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "pay-88280"));
  g_assert_null (strstr (run.out, "pay-88252"));
  vd_test_run_clear (&run);

  vd_test_run_cli (&run, db, "audit", "verify", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "audit trail intact: 58 events"));
  vd_test_run_clear (&run);

  vd_test_run_cli (&run, db, "stats", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "human_approved  1"));
  vd_test_run_clear (&run);

  vd_test_run_cli (&run, db, "feedback", "suggest", "Cite the sanctions list checked.",
                   "--reviewer", "postgres", NULL);
  g_assert_cmpint (run.status, ==, 0);
  vd_test_run_clear (&run);

  /* The signed export names the head it covers. */
  vd_test_run_cli (&run, db, "export", "decisions", "-", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "\"audit_head\":{\"seq\":59,"));
  g_assert_nonnull (strstr (run.out, "pay-88280"));
  vd_test_run_clear (&run);

  vd_test_run_cli (&run, db, "forecast", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "Waiting: 54 undecided items"));
  vd_test_run_clear (&run);

  vd_test_run_cli (&run, db, "reviewers", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "postgres: decided 1, approved 100%"));
  vd_test_run_clear (&run);

  /* The calibration scans the decisions. */
  vd_test_run_cli (&run, db, "calibration", NULL);
  g_assert_cmpint (run.status, ==, 0);
  vd_test_run_clear (&run);

  vd_test_run_cli (&run, db, "audit", "verify", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "audit trail intact: 60 events"));
  vd_test_run_clear (&run);

  /* The feedback loop and the training export read the decisions. */
  vd_test_run_cli (&run, db, "decide", "pay-88252", "reject", "--feedback", "wrong amount",
                   "--helpful", "no", "--category", "accuracy", "--reviewer", "postgres", NULL);
  g_assert_cmpint (run.status, ==, 0);
  vd_test_run_clear (&run);

  vd_test_run_cli (&run, db, "feedback", "summary", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "accuracy: 1"));
  vd_test_run_clear (&run);

  vd_test_run_cli (&run, db, "export", "training", "-", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "\"task_id\":\"pay-88280\""));
  vd_test_run_clear (&run);

  vd_test_pg_tear_down (pg);
}

/* Deadlines: the policy's fallbacks applied, the same figures as SQLite
 * gives, and a reviewer's decision on an item the deadline decided is
 * refused with why. */
static void
test_sla (void)
{
  VdTestPg *pg = vd_test_pg_set_up (TRUE);
  g_autofree char *db = NULL;
  g_autofree char *queue = NULL;
  g_autofree char *policy = NULL;
  g_auto(VdTestRun) run = { 0, };

  if (pg == NULL)
    return;
  db = database_uri (pg);
  queue = g_build_filename (g_getenv ("VERDICT_SAMPLES"), "review-queue.jsonl", NULL);
  policy = g_build_filename (g_getenv ("VERDICT_SAMPLES"), "policy.json", NULL);

  vd_test_run_cli (&run, db, "import", "--policy", policy, queue, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_str_has_prefix (run.out, "55 imported, 0 revised, 0 skipped, 0 invalid: "
                                            "43 queued for review, 12 auto-approved"));
  vd_test_run_clear (&run);

  /* The deadlines (hours from the import) a day earlier: a fallback
   * needs a deadline passed by the database's own clock. Moved behind the
   * triggers' back, as only a superuser can. */
  g_free (vd_test_pg_query (pg->conninfo,
                            "SET session_replication_role = replica; "
                            "UPDATE items SET due_at = due_at - 86400000000 "
                            "WHERE due_at IS NOT NULL"));
  vd_test_run_cli (&run, db, "sla", "apply", NULL);
  g_assert_cmpstr (run.err, ==, "");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_str_has_prefix (run.out, "43 deadline fallbacks applied: 34 escalated (0 "
                                            "instead of an unsafe auto-approve), 9 "
                                            "auto-rejected, 0 auto-approved"));
  vd_test_run_clear (&run);

  vd_test_run_cli (&run, db, "decide", "cm-20489", "approve", "--reviewer", "postgres", NULL);
  g_assert_cmpint (run.status, !=, 0);
  g_assert_nonnull (strstr (run.err, "the deadline fallback “auto_reject” was applied"));
  vd_test_run_clear (&run);

  vd_test_run_cli (&run, db, "audit", "verify", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "audit trail intact: 100 events"));
  vd_test_run_clear (&run);

  vd_test_pg_tear_down (pg);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *data_home = vd_test_make_tmp_dir ("test-pg-store-cli");
  int status;

  /* The installation keys go to a folder of this test's own. */
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/pg-store-cli/import-decide-verify", test_cli);
  g_test_add_func ("/pg-store-cli/sla", test_sla);

  status = g_test_run ();
  vd_test_remove_tree (data_home);
  return status;
}
