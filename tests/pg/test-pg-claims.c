/* test-pg-claims.c: claims with leases on PostgreSQL, two reviewer roles
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

#include "vd-test-pg-team.h"
#include "vd-test-util.h"

/* Alice and Bob log in as roles of their own, members of
 * verdict_reviewer; the items were imported by the superuser. */
typedef struct
{
  VdTestTeam  team;
  const char *alice_role;
  const char *bob_role;
  VdStore    *alice;
  VdStore    *bob;
  gint64      t1;
  gint64      t2;
} Fixture;

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
  if (!vd_test_team_set_up (&fixture->team, queue_text))
    return;

  fixture->alice_role = vd_test_team_add_role (&fixture->team, "alice", NULL);
  fixture->bob_role = vd_test_team_add_role (&fixture->team, "bob", NULL);
  fixture->alice = vd_test_team_open (&fixture->team, fixture->alice_role);
  fixture->bob = vd_test_team_open (&fixture->team, fixture->bob_role);
  fixture->t1 = vd_test_team_item_id (&fixture->team, "payments", "t-7");
  fixture->t2 = vd_test_team_item_id (&fixture->team, "payments", "t-8");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->alice);
  g_clear_object (&fixture->bob);
  vd_test_team_tear_down (&fixture->team);
}

static gboolean
decide (VdStore     *store,
        const char  *task_id,
        const char  *reviewer,
        GError     **error)
{
  g_autoptr(VdDecision) decision = vd_decision_new ("payments", task_id,
                                                    VD_DECISION_KIND_APPROVE, reviewer);

  return vd_store_record_decision (store, decision, error);
}

/* psql logged in as @role: its exit status, and what it printed to
 * standard error in *@err. */
static int
psql_as (Fixture     *fixture,
         const char  *role,
         const char  *sql,
         char       **err)
{
  g_autofree char *conninfo = vd_test_team_conninfo (&fixture->team, role);
  const char *argv[] = {
    "psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-v", "VERBOSITY=verbose",
    "-d", conninfo, "-c", sql, NULL
  };
  g_auto(GStrv) env = g_environ_setenv (g_get_environ (), "PGPASSWORD",
                                        VD_TEST_TEAM_PASSWORD, TRUE);
  g_autoptr(GError) error = NULL;
  int wait_status = 0;

  g_clear_pointer (err, g_free);
  if (!g_spawn_sync (NULL, (char **) argv, env,
                     G_SPAWN_SEARCH_PATH | G_SPAWN_STDIN_FROM_DEV_NULL |
                     G_SPAWN_STDOUT_TO_DEV_NULL,
                     NULL, NULL, NULL, err, &wait_status, &error))
    g_error ("could not run psql: %s", error->message);
  if (g_test_verbose () || !g_spawn_check_wait_status (wait_status, NULL))
    g_test_message ("psql as %s: %s: %s", role, sql, *err);
  return g_spawn_check_wait_status (wait_status, NULL) ? 0 : 1;
}

static void
test_conflict (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) claims = NULL;
  g_auto(VdClaim) mine = { 0, };
  g_auto(VdClaim) holder = { 0, };
  g_autofree char *until = NULL;
  g_autofree char *expected = NULL;
  gint64 before = g_get_real_time ();

  if (fixture->team.pg == NULL)
    return;

  g_assert_true (vd_store_claim_item (fixture->bob, fixture->t1, fixture->bob_role, 600, &mine,
                                      &error));
  g_assert_no_error (error);
  g_assert_cmpint (mine.item_id, ==, fixture->t1);
  g_assert_cmpstr (mine.reviewer_id, ==, fixture->bob_role);
  g_assert_cmpstr (mine.queue, ==, "payments");
  g_assert_cmpstr (mine.task_id, ==, "t-7");
  /* The database's clock, on this machine. */
  g_assert_cmpint (mine.claimed_at, >=, before - G_USEC_PER_SEC);
  g_assert_cmpint (mine.claimed_at, <=, g_get_real_time () + G_USEC_PER_SEC);
  g_assert_cmpint (mine.expires_at, ==, mine.claimed_at + 600 * G_USEC_PER_SEC);

  /* Alice cannot take it: the same message as on SQLite, and she is told
   * Bob's claim. */
  g_assert_false (vd_store_claim_item (fixture->alice, fixture->t1, fixture->alice_role, 600,
                                       &holder, &error));
  g_assert_error (error, VD_STORE_ERROR, VD_STORE_ERROR_CLAIMED);
  until = vd_claim_format_expiry (&mine);
  expected = g_strdup_printf ("%s is reviewing payments/t-7 until %s", fixture->bob_role, until);
  g_assert_cmpstr (error->message, ==, expected);
  g_assert_cmpstr (holder.reviewer_id, ==, fixture->bob_role);
  g_assert_cmpint (holder.expires_at, ==, mine.expires_at);
  g_clear_error (&error);

  /* Nor claim as someone else: the store says so before the database. */
  g_assert_false (vd_store_claim_item (fixture->alice, fixture->t2, fixture->bob_role, 600, NULL,
                                       &error));
  g_assert_error (error, VD_STORE_ERROR, VD_STORE_ERROR_PERMISSION);
  g_clear_error (&error);

  g_assert_true (vd_store_claim_item (fixture->alice, fixture->t2, fixture->alice_role, 600, NULL,
                                      &error));
  g_assert_no_error (error);

  claims = vd_store_list_claims (fixture->alice, "payments", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (claims->len, ==, 2);
  g_assert_cmpstr (((VdClaim *) claims->pdata[0])->reviewer_id, ==, fixture->bob_role);
  g_assert_cmpstr (((VdClaim *) claims->pdata[1])->reviewer_id, ==, fixture->alice_role);
  g_assert_cmpstr (((VdClaim *) claims->pdata[1])->task_id, ==, "t-8");
  g_clear_pointer (&claims, g_ptr_array_unref);
  claims = vd_store_list_claims (fixture->bob, "other", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (claims->len, ==, 0);
}

static gboolean
alice_claims (gpointer user_data)
{
  Fixture *fixture = user_data;

  return vd_store_claim_item (fixture->alice, fixture->t1, fixture->alice_role, 600, NULL, NULL);
}

static void
test_expiry_and_renew (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) claims = NULL;
  g_auto(VdClaim) first = { 0, };
  g_auto(VdClaim) renewed = { 0, };

  if (fixture->team.pg == NULL)
    return;

  /* A lease of one second, renewed by Bob: still his, for longer. */
  g_assert_true (vd_store_claim_item (fixture->bob, fixture->t1, fixture->bob_role, 1, &first,
                                      &error));
  g_assert_no_error (error);
  g_assert_true (vd_store_claim_item (fixture->bob, fixture->t1, fixture->bob_role, 2, &renewed,
                                      &error));
  g_assert_no_error (error);
  g_assert_cmpint (renewed.expires_at, >, first.expires_at);
  g_assert_false (vd_store_claim_item (fixture->alice, fixture->t1, fixture->alice_role, 600,
                                       NULL, &error));
  g_assert_error (error, VD_STORE_ERROR, VD_STORE_ERROR_CLAIMED);
  g_clear_error (&error);

  /* Once it expires it is no claim: not listed, and Alice takes it over
   * (row-level security lets her update an expired claim of Bob's). */
  g_assert_true (vd_test_iterate_until (alice_claims, fixture, 10000));
  g_assert_cmpint (g_get_real_time (), >=, renewed.expires_at - G_USEC_PER_SEC);

  claims = vd_store_list_claims (fixture->bob, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (claims->len, ==, 1);
  g_assert_cmpstr (((VdClaim *) claims->pdata[0])->reviewer_id, ==, fixture->alice_role);

  g_assert_false (vd_store_claim_item (fixture->bob, fixture->t1, fixture->bob_role, 600, NULL,
                                       &error));
  g_assert_error (error, VD_STORE_ERROR, VD_STORE_ERROR_CLAIMED);
}

static void
test_release (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) claims = NULL;
  g_autofree char *err = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *count = NULL;

  if (fixture->team.pg == NULL)
    return;

  /* Releasing nothing is fine. */
  g_assert_true (vd_store_release_claim (fixture->alice, fixture->t1, fixture->alice_role,
                                         &error));
  g_assert_no_error (error);

  g_assert_true (vd_store_claim_item (fixture->bob, fixture->t1, fixture->bob_role, 600, NULL,
                                      &error));
  g_assert_no_error (error);

  /* Alice cannot release Bob's claim, through the store or psql. */
  g_assert_true (vd_store_release_claim (fixture->alice, fixture->t1, fixture->bob_role, &error));
  g_assert_no_error (error);
  sql = g_strdup_printf ("DELETE FROM claims WHERE item_id = %" G_GINT64_FORMAT, fixture->t1);
  g_assert_cmpint (psql_as (fixture, fixture->alice_role, sql, &err), ==, 0);
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("UPDATE claims SET expires_at = 0 WHERE item_id = %" G_GINT64_FORMAT,
                         fixture->t1);
  g_assert_cmpint (psql_as (fixture, fixture->alice_role, sql, &err), ==, 0);
  g_clear_pointer (&sql, g_free);
  g_assert_false (vd_store_claim_item (fixture->alice, fixture->t1, fixture->alice_role, 600,
                                       NULL, &error));
  g_assert_error (error, VD_STORE_ERROR, VD_STORE_ERROR_CLAIMED);
  g_clear_error (&error);

  /* Nor make a claim in Bob's name. */
  sql = g_strdup_printf ("INSERT INTO claims VALUES (%" G_GINT64_FORMAT ", '%s', 0, "
                         "9000000000000000)", fixture->t2, fixture->bob_role);
  g_assert_cmpint (psql_as (fixture, fixture->alice_role, sql, &err), !=, 0);
  g_assert_nonnull (strstr (err, "42501"));
  count = vd_test_pg_query (fixture->team.pg->conninfo, "SELECT count (*) FROM claims");
  g_assert_cmpstr (count, ==, "1");

  /* Bob's release frees it. */
  g_assert_true (vd_store_release_claim (fixture->bob, fixture->t1, fixture->bob_role, &error));
  g_assert_no_error (error);
  claims = vd_store_list_claims (fixture->alice, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (claims->len, ==, 0);
  g_assert_true (vd_store_claim_item (fixture->alice, fixture->t1, fixture->alice_role, 600, NULL,
                                      &error));
  g_assert_no_error (error);
}

static void
test_decisions (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) claims = NULL;
  g_autoptr(VdItem) item = NULL;
  g_autofree char *err = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *count = NULL;
  gint64 head = 0;
  gint64 head_after = 0;

  if (fixture->team.pg == NULL)
    return;

  g_assert_true (vd_store_claim_item (fixture->bob, fixture->t1, fixture->bob_role, 600, NULL,
                                      &error));
  g_assert_no_error (error);
  g_assert_true (vd_store_get_audit_head (fixture->alice, &head, NULL, &error));
  g_assert_no_error (error);

  /* Alice's decision under Bob's claim is refused by the database, as
   * SQLite's store refuses it, and writes nothing. */
  g_assert_false (decide (fixture->alice, "t-7", fixture->alice_role, &error));
  g_assert_error (error, VD_STORE_ERROR, VD_STORE_ERROR_CLAIMED);
  sql = g_strdup_printf ("%s is reviewing payments/t-7 until ", fixture->bob_role);
  g_assert_true (g_str_has_prefix (error->message, sql));
  g_clear_pointer (&sql, g_free);
  g_clear_error (&error);
  item = vd_store_get_item (fixture->alice, "payments", "t-7", &error);
  g_assert_no_error (error);
  g_assert_cmpint (vd_item_get_status (item), ==, VD_TASK_STATUS_PENDING);
  g_assert_true (vd_store_get_audit_head (fixture->alice, &head_after, NULL, &error));
  g_assert_cmpint (head_after, ==, head);

  /* psql too: the trigger refuses the row itself. */
  sql = g_strdup_printf ("INSERT INTO decisions (item_id, queue, task_id, revision, decision, "
                         "reviewer_id, timestamp, audit_seq, audit_hash, audit_prev_hash) "
                         "VALUES (%" G_GINT64_FORMAT ", 'payments', 't-7', 0, 'approve', '%s', "
                         "0, 0, '', '')", fixture->t1, fixture->alice_role);
  g_assert_cmpint (psql_as (fixture, fixture->alice_role, sql, &err), !=, 0);
  g_assert_nonnull (strstr (err, "VDC01"));
  g_assert_nonnull (strstr (err, "is reviewing payments/t-7 until"));

  /* Bob's decision goes through and ends his claim in the same write. */
  g_assert_true (decide (fixture->bob, "t-7", fixture->bob_role, &error));
  g_assert_no_error (error);
  claims = vd_store_list_claims (fixture->alice, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (claims->len, ==, 0);
  count = vd_test_pg_query (fixture->team.pg->conninfo, "SELECT count (*) FROM claims");
  g_assert_cmpstr (count, ==, "0");

  /* A decided item cannot be claimed. */
  g_assert_false (vd_store_claim_item (fixture->alice, fixture->t1, fixture->alice_role, 600,
                                       NULL, &error));
  g_assert_error (error, VD_STORE_ERROR, VD_STORE_ERROR_ALREADY_DECIDED);
  g_clear_error (&error);

  /* With an own claim, a reviewer decides as before. */
  g_assert_true (vd_store_claim_item (fixture->alice, fixture->t2, fixture->alice_role, 600, NULL,
                                      &error));
  g_assert_no_error (error);
  g_assert_true (decide (fixture->alice, "t-8", fixture->alice_role, &error));
  g_assert_no_error (error);

  /* Unknown items are reported. */
  g_assert_false (vd_store_claim_item (fixture->alice, 99999, fixture->alice_role, 600, NULL,
                                       &error));
  g_assert_error (error, VD_STORE_ERROR, VD_STORE_ERROR_NOT_FOUND);
}

static gboolean
lease_over (gpointer user_data)
{
  const VdClaim *claim = user_data;

  return g_get_real_time () > claim->expires_at + 50 * G_TIME_SPAN_MILLISECOND;
}

static void
test_expired_claim_does_not_block (Fixture       *fixture,
                                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_auto(VdClaim) held = { 0, };

  if (fixture->team.pg == NULL)
    return;

  g_assert_true (vd_store_claim_item (fixture->bob, fixture->t1, fixture->bob_role, 1, &held,
                                      &error));
  g_assert_no_error (error);
  g_assert_true (vd_test_iterate_until (lease_over, &held, 10000));

  g_assert_true (decide (fixture->alice, "t-7", fixture->alice_role, &error));
  g_assert_no_error (error);
}

/* Many reviewers asking for the next item at once never get the same one. */
#define N_WORKERS 8
#define N_ITEMS   40

typedef struct
{
  VdStore    *store;
  const char *role;
  GArray     *ids;
  GError     *error;
} Worker;

static gpointer
claim_next_thread (gpointer data)
{
  Worker *worker = data;

  for (;;)
    {
      g_autoptr(VdItem) item = NULL;

      if (!vd_pg_store_claim_next (VD_PG_STORE (worker->store), "load", worker->role, 600, &item,
                                   &worker->error))
        break;
      if (item == NULL)
        break;
      g_array_append_val (worker->ids, (gint64) { vd_item_get_id (item) });
    }

  return NULL;
}

static void
test_claim_next (void)
{
  g_autoptr(GString) text = g_string_new ("{\"verdict_queue\": 1, \"queue\": \"load\"}\n");
  g_autoptr(GHashTable) seen = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(GError) error = NULL;
  g_autoptr(VdItem) none = NULL;
  VdTestTeam team;
  Worker workers[N_WORKERS] = { { 0, } };
  GThread *threads[N_WORKERS];
  guint total = 0;

  for (guint i = 0; i < N_ITEMS; i++)
    g_string_append_printf (text, "{\"task_id\": \"l-%u\", \"task_description\": \"Check\", "
                            "\"agent_output\": {\"content\": \"%u\", \"confidence\": 0.1}}\n",
                            i, i);
  if (!vd_test_team_set_up (&team, text->str))
    return;

  for (guint i = 0; i < N_WORKERS; i++)
    {
      workers[i].role = vd_test_team_add_role (&team, "worker", NULL);
      workers[i].store = vd_test_team_open (&team, workers[i].role);
      workers[i].ids = g_array_new (FALSE, FALSE, sizeof (gint64));
    }
  for (guint i = 0; i < N_WORKERS; i++)
    threads[i] = g_thread_new ("claim-next", claim_next_thread, &workers[i]);
  for (guint i = 0; i < N_WORKERS; i++)
    g_thread_join (threads[i]);

  for (guint i = 0; i < N_WORKERS; i++)
    {
      g_assert_no_error (workers[i].error);
      for (guint j = 0; j < workers[i].ids->len; j++)
        {
          gint64 *id = &g_array_index (workers[i].ids, gint64, j);

          /* Never twice, to anyone. */
          g_assert_false (g_hash_table_contains (seen, id));
          g_hash_table_add (seen, id);
        }
      total += workers[i].ids->len;
    }
  g_assert_cmpuint (total, ==, N_ITEMS);

  /* All are claimed now. */
  g_assert_true (vd_pg_store_claim_next (VD_PG_STORE (workers[0].store), "load", workers[0].role,
                                         600, &none, &error));
  g_assert_no_error (error);
  g_assert_null (none);

  for (guint i = 0; i < N_WORKERS; i++)
    {
      g_clear_object (&workers[i].store);
      g_array_unref (workers[i].ids);
    }
  vd_test_team_tear_down (&team);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/pg-claims/conflict", Fixture, NULL, fixture_set_up, test_conflict,
              fixture_tear_down);
  g_test_add ("/pg-claims/expiry-renew", Fixture, NULL, fixture_set_up, test_expiry_and_renew,
              fixture_tear_down);
  g_test_add ("/pg-claims/release", Fixture, NULL, fixture_set_up, test_release,
              fixture_tear_down);
  g_test_add ("/pg-claims/decisions", Fixture, NULL, fixture_set_up, test_decisions,
              fixture_tear_down);
  g_test_add ("/pg-claims/expired-claim-does-not-block", Fixture, NULL, fixture_set_up,
              test_expired_claim_does_not_block, fixture_tear_down);
  g_test_add_func ("/pg-claims/claim-next", test_claim_next);

  return g_test_run ();
}
