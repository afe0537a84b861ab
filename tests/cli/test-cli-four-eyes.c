/* test-cli-four-eyes.c: two reviewers on one store, through verdict-cli
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

#include "vd-test-util.h"

static const char queue_text[] =
  "{\"task_id\": \"w1\", \"task_description\": \"Wire\", \"task_type\": \"payments\", "
  "\"agent_output\": {\"content\": \"Send $25,000.\", \"confidence\": 0.9, "
  "\"metadata\": {\"amount\": 25000}}}\n"
  "{\"task_id\": \"w2\", \"task_description\": \"Wire\", \"task_type\": \"payments\", "
  "\"agent_output\": {\"content\": \"Send $30,000.\", \"confidence\": 0.9, "
  "\"metadata\": {\"amount\": 30000}}}\n"
  "{\"task_id\": \"r1\", \"task_description\": \"Refund\", \"task_type\": \"refund\", "
  "\"agent_output\": {\"content\": \"Refund $5.\", \"confidence\": 0.9, "
  "\"metadata\": {\"amount\": 5}}}\n";

static const char policy_text[] =
  "{\"review_all\": true, \"rules\": [{\"name\": \"large\", \"path\": \"amount\", "
  "\"op\": \">\", \"value\": 10000, \"reviews_required\": 2}]}\n";

static void
run_ok (VdTestRun  *run,
        const char *db,
        const char *what)
{
  if (run->status != 0)
    g_test_message ("%s: %s", what, run->err);
  g_assert_cmpint (run->status, ==, 0);
}

static JsonObject *
parse (const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = json_from_string (text, &error);

  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (node));
}

static void
test_two_reviewers (void)
{
  g_autofree char *dir = vd_test_make_tmp_dir ("cli-four-eyes");
  g_autofree char *db = g_build_filename (dir, "verdict.db", NULL);
  g_autofree char *queue = vd_test_write_file (dir, "q.jsonl", queue_text);
  g_autofree char *policy = vd_test_write_file (dir, "policy.json", policy_text);
  g_autoptr(JsonObject) shown = NULL;
  g_autoptr(JsonObject) stats = NULL;
  JsonObject *agreement;
  JsonArray *decisions;

  {
    g_auto(VdTestRun) run = { 0 };

    vd_test_run_cli (&run, db, "import", "--policy", policy, queue, NULL);
    run_ok (&run, db, "import");
  }

  /* alice reviews w1: one of two. */
  {
    g_auto(VdTestRun) run = { 0 };

    vd_test_run_cli (&run, db, "decide", "w1", "approve", "--reviewer", "alice", NULL);
    run_ok (&run, db, "decide");
    g_assert_nonnull (strstr (run.out, "review 1 of 2 recorded: a second reviewer must decide"));
  }

  /* alice again: refused. */
  {
    g_auto(VdTestRun) run = { 0 };

    vd_test_run_cli (&run, db, "decide", "w1", "approve", "--reviewer", "alice", NULL);
    g_assert_cmpint (run.status, !=, 0);
    g_assert_nonnull (strstr (run.err, "alice has already reviewed item w1"));
  }

  /* bob agrees: decided. */
  {
    g_auto(VdTestRun) run = { 0 };

    vd_test_run_cli (&run, db, "decide", "w1", "approve", "--reviewer", "bob", NULL);
    run_ok (&run, db, "decide");
    g_assert_null (strstr (run.out, "review 1 of 2"));
  }

  /* w2: alice approves, bob rejects: escalated. */
  {
    g_auto(VdTestRun) run = { 0 };
    g_auto(VdTestRun) second = { 0 };

    vd_test_run_cli (&run, db, "decide", "w2", "approve", "--reviewer", "alice", NULL);
    run_ok (&run, db, "decide");
    vd_test_run_cli (&second, db, "decide", "w2", "reject", "--reviewer", "bob",
                     "--feedback", "wrong beneficiary", NULL);
    run_ok (&second, db, "decide");
    g_assert_nonnull (strstr (second.out, "the two reviews disagree: the item is escalated"));
  }

  /* The one-review item is decided at once. */
  {
    g_auto(VdTestRun) run = { 0 };

    vd_test_run_cli (&run, db, "decide", "r1", "approve", "--reviewer", "alice", NULL);
    run_ok (&run, db, "decide");
    g_assert_null (strstr (run.out, "review 1 of 2"));
  }

  {
    g_auto(VdTestRun) run = { 0 };

    vd_test_run_cli (&run, db, "show", "w1", NULL);
    run_ok (&run, db, "show");
    g_assert_nonnull (strstr (run.out, "Review: approve by alice"));
    g_assert_nonnull (strstr (run.out, "Decision: approve by bob"));
    g_assert_nonnull (strstr (run.out, "Status: approved"));
  }

  {
    g_auto(VdTestRun) run = { 0 };

    vd_test_run_cli (&run, db, "show", "w2", "--json", NULL);
    run_ok (&run, db, "show");
    shown = parse (run.out);
    g_assert_cmpstr (json_object_get_string_member (shown, "status"), ==, "escalated");
    g_assert_cmpstr (json_object_get_string_member (shown, "escalation_reason"), ==,
                     "reviewers_disagree");
    g_assert_cmpint (json_object_get_int_member (shown, "reviews_required"), ==, 2);
    decisions = json_object_get_array_member (shown, "decisions");
    g_assert_cmpuint (json_array_get_length (decisions), ==, 2);
    g_assert_false (json_object_get_boolean_member (json_array_get_object_element (decisions, 1),
                                                    "final"));
  }

  /* Two pairs: one agrees, one does not; kappa of that table is 0. */
  {
    g_auto(VdTestRun) run = { 0 };

    vd_test_run_cli (&run, db, "stats", "--json", NULL);
    run_ok (&run, db, "stats");
    stats = parse (run.out);
    agreement = json_object_get_object_member (stats, "agreement");
    g_assert_cmpint (json_object_get_int_member (agreement, "pairs"), ==, 2);
    g_assert_cmpint (json_object_get_int_member (agreement, "agreeing"), ==, 1);
    g_assert_cmpfloat_with_epsilon (json_object_get_double_member (agreement,
                                                                   "percent_agreement"),
                                    50.0, 1e-9);
    g_assert_cmpfloat_with_epsilon (json_object_get_double_member (agreement, "kappa"), 0.0,
                                    1e-9);
  }

  {
    g_auto(VdTestRun) run = { 0 };

    vd_test_run_cli (&run, db, "stats", NULL);
    run_ok (&run, db, "stats");
    g_assert_nonnull (strstr (run.out, "reviews_paired  2\n"));
    g_assert_nonnull (strstr (run.out, "agreement       50.0% (1 of 2)\n"));
    g_assert_nonnull (strstr (run.out, "kappa           0.0000\n"));
    g_assert_null (strstr (run.out, "nan"));
  }

  {
    g_auto(VdTestRun) run = { 0 };

    vd_test_run_cli (&run, db, "audit", "verify", NULL);
    run_ok (&run, db, "audit verify");
    g_assert_nonnull (strstr (run.out, "audit trail intact"));
  }

  vd_test_remove_tree (dir);
}

/* Only agreeing approvals: kappa is undefined, and says so. */
static void
test_kappa_undefined (void)
{
  g_autofree char *dir = vd_test_make_tmp_dir ("cli-four-eyes");
  g_autofree char *db = g_build_filename (dir, "verdict.db", NULL);
  g_autofree char *queue = vd_test_write_file (dir, "q.jsonl", queue_text);
  g_autofree char *policy = vd_test_write_file (dir, "policy.json", policy_text);
  g_auto(VdTestRun) import = { 0 };
  g_auto(VdTestRun) stats = { 0 };
  const char *steps[][2] = { { "w1", "alice" }, { "w1", "bob" } };

  vd_test_run_cli (&import, db, "import", "--policy", policy, queue, NULL);
  run_ok (&import, db, "import");

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      g_auto(VdTestRun) run = { 0 };

      vd_test_run_cli (&run, db, "decide", steps[i][0], "approve", "--reviewer", steps[i][1],
                       NULL);
      run_ok (&run, db, "decide");
    }

  vd_test_run_cli (&stats, db, "stats", NULL);
  run_ok (&stats, db, "stats");
  g_assert_nonnull (strstr (stats.out, "agreement       100.0% (1 of 1)\n"));
  g_assert_nonnull (strstr (stats.out, "kappa           undefined"));
  g_assert_null (strstr (stats.out, "nan"));

  vd_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cli/four-eyes/two-reviewers", test_two_reviewers);
  g_test_add_func ("/cli/four-eyes/kappa-undefined", test_kappa_undefined);

  return g_test_run ();
}
