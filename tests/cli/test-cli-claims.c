/* test-cli-claims.c: claim, release, list and decide with claims, through
 * the real verdict-cli
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

#include <string.h>

#include "vd-core.h"
#include "vd-test-util.h"

typedef struct
{
  char *dir;
  char *db;
} Fixture;

#define UNVERIFIED(id) \
  "verdict-cli: " id " has no key: decisions are signed by this installation, as an " \
  "unverified reviewer\n"

static const char queue_text[] =
  "{\"verdict_queue\": 1, \"queue\": \"payments\"}\n"
  "{\"task_id\": \"t-7\", \"task_description\": \"Pay\", "
  "\"agent_output\": {\"content\": \"1\", \"confidence\": 0.1}}\n"
  "{\"task_id\": \"t-8\", \"task_description\": \"Pay again\", "
  "\"agent_output\": {\"content\": \"2\", \"confidence\": 0.2}}\n";

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_auto(VdTestRun) run = { 0 };
  g_autofree char *queue = NULL;

  fixture->dir = vd_test_make_tmp_dir ("cli-claims");
  fixture->db = g_build_filename (fixture->dir, "verdict.db", NULL);
  queue = vd_test_write_file (fixture->dir, "q.jsonl", queue_text);
  vd_test_run_cli (&run, fixture->db, "import", queue, NULL);
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

/* When a claim of the store's reviewer @who on t-7 ends, as the CLI prints it. */
static char *
expiry_of (Fixture    *fixture,
           const char *who)
{
  g_autoptr(VdStore) store = vd_test_open_store (fixture->db);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) claims = vd_store_list_claims (store, "payments", &error);

  g_assert_no_error (error);
  for (guint i = 0; i < claims->len; i++)
    {
      VdClaim *claim = g_ptr_array_index (claims, i);

      if (g_str_equal (claim->reviewer_id, who) && g_str_equal (claim->task_id, "t-7"))
        return vd_claim_format_expiry (claim);
    }
  g_assert_not_reached ();
}

static void
test_claim_list_release (Fixture       *fixture,
                         gconstpointer  data)
{
  const char * const as_carol[] = { "VERDICT_REVIEWER=carol", NULL };
  const char * const as_bob[] = { "VERDICT_REVIEWER=bob", NULL };
  g_auto(VdTestRun) run = { 0 };
  g_autofree char *until = NULL;
  g_autofree char *expected = NULL;

  vd_test_run_cli (&run, fixture->db, "claim", "--reviewer", "bob", "payments", "t-7", NULL);
  g_assert_cmpstr (run.err, ==, "");
  g_assert_cmpint (run.status, ==, 0);
  until = expiry_of (fixture, "bob");
  expected = g_strdup_printf ("payments/t-7 claimed by bob until %s\n", until);
  g_assert_cmpstr (run.out, ==, expected);
  vd_test_run_clear (&run);
  g_clear_pointer (&expected, g_free);

  /* Someone else cannot claim it: the message names who and until when. */
  vd_test_run_cli (&run, fixture->db, "claim", "--reviewer", "alice", "payments", "t-7", NULL);
  g_assert_cmpint (run.status, ==, 1);
  expected = g_strdup_printf ("verdict-cli: bob is reviewing payments/t-7 until %s\n", until);
  g_assert_cmpstr (run.err, ==, expected);
  vd_test_run_clear (&run);
  g_clear_pointer (&expected, g_free);

  /* The listing shows the claim; as bob, his own. */
  vd_test_run_cli_full (&run, fixture->db, NULL, as_carol, "list", NULL);
  g_assert_cmpint (run.status, ==, 0);
  expected = g_strdup_printf ("  [claimed by bob until %s]\n", until);
  g_assert_nonnull (strstr (run.out, expected));
  g_assert_null (strstr (strstr (run.out, "claimed") + 1, "claimed"));
  vd_test_run_clear (&run);
  g_clear_pointer (&expected, g_free);

  vd_test_run_cli_full (&run, fixture->db, NULL, as_bob, "list", NULL);
  expected = g_strdup_printf ("  [claimed by you until %s]\n", until);
  g_assert_nonnull (strstr (run.out, expected));
  vd_test_run_clear (&run);

  vd_test_run_cli_full (&run, fixture->db, NULL, as_carol, "list", "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "\"claimed_by\":\"bob\""));
  g_assert_nonnull (strstr (run.out, "\"claimed_until\":\""));
  vd_test_run_clear (&run);

  /* alice's release leaves bob's claim; bob's ends it. */
  vd_test_run_cli (&run, fixture->db, "release", "--reviewer", "alice", "payments", "t-7", NULL);
  g_assert_cmpint (run.status, ==, 0);
  vd_test_run_clear (&run);
  vd_test_run_cli (&run, fixture->db, "claim", "--reviewer", "alice", "payments", "t-7", NULL);
  g_assert_cmpint (run.status, ==, 1);
  vd_test_run_clear (&run);

  vd_test_run_cli_full (&run, fixture->db, NULL, as_bob, "release", "payments", "t-7", NULL);
  g_assert_cmpstr (run.err, ==, "");
  g_assert_cmpstr (run.out, ==, "released t-7\n");
  vd_test_run_clear (&run);
  vd_test_run_cli_full (&run, fixture->db, NULL, as_carol, "list", NULL);
  g_assert_null (strstr (run.out, "claimed"));
  vd_test_run_clear (&run);

  /* A lease from the command line. */
  vd_test_run_cli (&run, fixture->db, "claim", "--reviewer", "alice", "--minutes", "0",
                   "payments", "t-8", NULL);
  g_assert_cmpint (run.status, ==, 0);
  vd_test_run_clear (&run);
  vd_test_run_cli (&run, fixture->db, "claim", "--reviewer", "alice", "--minutes", "1441",
                   "payments", "t-8", NULL);
  g_assert_cmpint (run.status, ==, 2);
  vd_test_run_clear (&run);
  vd_test_run_cli (&run, fixture->db, "claim", "payments", "t-8", NULL);
  g_assert_cmpint (run.status, ==, 2);
}

static void
test_decide (Fixture       *fixture,
             gconstpointer  data)
{
  g_auto(VdTestRun) run = { 0 };
  g_autofree char *until = NULL;
  g_autofree char *expected = NULL;

  vd_test_run_cli (&run, fixture->db, "claim", "--reviewer", "bob", "payments", "t-7", NULL);
  g_assert_cmpint (run.status, ==, 0);
  vd_test_run_clear (&run);
  until = expiry_of (fixture, "bob");

  /* alice's decision is refused while bob's claim lasts. */
  vd_test_run_cli (&run, fixture->db, "decide", "--queue", "payments", "t-7", "approve",
                   "--reviewer", "alice", NULL);
  g_assert_cmpint (run.status, ==, 1);
  expected = g_strdup_printf (UNVERIFIED ("alice")
                              "verdict-cli: bob is reviewing payments/t-7 until %s\n", until);
  g_assert_cmpstr (run.err, ==, expected);
  vd_test_run_clear (&run);

  /* bob decides; the claim ends with it. */
  vd_test_run_cli (&run, fixture->db, "decide", "--queue", "payments", "t-7", "approve",
                   "--reviewer", "bob", NULL);
  g_assert_cmpstr (run.err, ==, UNVERIFIED ("bob"));
  g_assert_cmpint (run.status, ==, 0);
  vd_test_run_clear (&run);
  vd_test_run_cli (&run, fixture->db, "list", "--status", "all", NULL);
  g_assert_null (strstr (run.out, "claimed"));
  vd_test_run_clear (&run);

  /* A decision claims the item for its own time: none is left behind,
   * even when the decision is refused. */
  vd_test_run_cli (&run, fixture->db, "decide", "--queue", "payments", "t-8", "reject",
                   "--reviewer", "alice", NULL);
  g_assert_cmpint (run.status, !=, 0);
  vd_test_run_clear (&run);
  vd_test_run_cli (&run, fixture->db, "claim", "--reviewer", "bob", "payments", "t-8", NULL);
  g_assert_cmpint (run.status, ==, 0);
}

static void
test_policy_lease (Fixture       *fixture,
                   gconstpointer  data)
{
  g_auto(VdTestRun) run = { 0 };
  g_autofree char *policy = vd_test_write_file (fixture->dir, "policy.json",
                                                "{\"claim_minutes\": 30}");
  g_autofree char *bad = vd_test_write_file (fixture->dir, "bad.json",
                                             "{\"claim_minutes\": 1441}");

  vd_test_run_cli (&run, fixture->db, "policy", "check", "--policy", policy, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_str_has_suffix (run.out, "A claim on an open item lasts 30 minutes\n"));
  vd_test_run_clear (&run);

  vd_test_run_cli (&run, fixture->db, "policy", "check", "--policy", bad, NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "claim_minutes"));
  g_assert_nonnull (strstr (run.err, "a whole number of minutes from 1 to 1440 (a day)"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/cli/claims/claim-list-release", Fixture, NULL, fixture_set_up,
              test_claim_list_release, fixture_tear_down);
  g_test_add ("/cli/claims/decide", Fixture, NULL, fixture_set_up, test_decide,
              fixture_tear_down);
  g_test_add ("/cli/claims/policy", Fixture, NULL, fixture_set_up, test_policy_lease,
              fixture_tear_down);

  return g_test_run ();
}
