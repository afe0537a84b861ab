/* test-pg-watch.c: live updates of a VdPgStore through LISTEN/NOTIFY
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

#include "vd-test-pg-team.h"
#include "vd-test-util.h"

/* Alice's store is watched; Bob works through another connection. */
typedef struct
{
  VdTestTeam  team;
  const char *alice_role;
  const char *bob_role;
  VdStore    *alice;
  VdStore    *bob;
  gint64      t1;
  gint64      t2;

  guint       n_audit;
  gint64      head_seq;
  guint       n_claims;
} Fixture;

static const char queue_text[] =
  "{\"verdict_queue\": 1, \"queue\": \"payments\"}\n"
  "{\"task_id\": \"t-7\", \"task_description\": \"Pay\", "
  "\"agent_output\": {\"content\": \"1\", \"confidence\": 0.1}}\n"
  "{\"task_id\": \"t-8\", \"task_description\": \"Pay again\", "
  "\"agent_output\": {\"content\": \"2\", \"confidence\": 0.2}}\n"
  "{\"task_id\": \"t-9\", \"task_description\": \"Pay later\", "
  "\"agent_output\": {\"content\": \"3\", \"confidence\": 0.3}}\n";

static void
audit_appended_cb (VdStore *store,
                   gint64   head_seq,
                   Fixture *fixture)
{
  fixture->n_audit++;
  fixture->head_seq = head_seq;
}

static void
claims_changed_cb (VdStore *store,
                   Fixture *fixture)
{
  fixture->n_claims++;
}

static gint64
head (VdStore *store)
{
  g_autoptr(GError) error = NULL;
  gint64 seq = 0;

  g_assert_true (vd_store_get_audit_head (store, &seq, NULL, &error));
  g_assert_no_error (error);
  return seq;
}

typedef struct
{
  Fixture *fixture;
  guint    n_audit;
  guint    n_claims;
} Expect;

static gboolean
reached (gpointer user_data)
{
  Expect *expect = user_data;

  return expect->fixture->n_audit >= expect->n_audit &&
         expect->fixture->n_claims >= expect->n_claims;
}

/* Watches Alice's store: once its connection listens, the watch announces
 * the head as it is (and the claims), then counting starts from zero. */
static void
start_watch (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  Expect listening = { fixture, 1, 1 };

  g_assert_true (vd_store_watch (fixture->alice, &error));
  g_assert_no_error (error);
  g_assert_true (vd_test_iterate_until (reached, &listening, 5000));
  g_assert_cmpint (fixture->head_seq, ==, head (fixture->alice));
  fixture->n_audit = fixture->n_claims = 0;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  if (!vd_test_team_set_up (&fixture->team, queue_text))
    return;

  fixture->alice_role = vd_test_team_add_role (&fixture->team, "alice", NULL);
  fixture->bob_role = vd_test_team_add_role (&fixture->team, "bob", NULL);
  fixture->alice = vd_test_team_open (&fixture->team, fixture->alice_role);
  fixture->bob = vd_test_team_open (&fixture->team, fixture->bob_role);
  fixture->t1 = vd_test_team_item_id (&fixture->team, "payments", "t-7");
  fixture->t2 = vd_test_team_item_id (&fixture->team, "payments", "t-8");

  g_signal_connect (fixture->alice, "audit-appended", G_CALLBACK (audit_appended_cb), fixture);
  g_signal_connect (fixture->alice, "claims-changed", G_CALLBACK (claims_changed_cb), fixture);
  start_watch (fixture);
  /* Twice is once. */
  g_assert_true (vd_store_watch (fixture->alice, &error));
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->alice);
  g_clear_object (&fixture->bob);
  vd_test_team_tear_down (&fixture->team);
}

static void
decide (VdStore    *store,
        const char *task_id,
        const char *reviewer)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VdDecision) decision = vd_decision_new ("payments", task_id,
                                                    VD_DECISION_KIND_APPROVE, reviewer);

  g_assert_true (vd_store_record_decision (store, decision, &error));
  g_assert_no_error (error);
}

/* Another reviewer's decision is announced within a second, the head
 * with it; the store's own are not. */
static void
test_decision (Fixture       *fixture,
               gconstpointer  data)
{
  Expect expect = { fixture, 1, 0 };
  gint64 start;

  if (fixture->team.pg == NULL)
    return;

  decide (fixture->bob, "t-7", fixture->bob_role);
  start = g_get_monotonic_time ();
  g_assert_true (vd_test_iterate_until (reached, &expect, 1000));
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);
  g_assert_cmpuint (fixture->n_audit, ==, 1);
  g_assert_cmpint (fixture->head_seq, ==, head (fixture->bob));

  /* Alice's own decision is not announced to her: Bob's claim, which
   * commits after it, arrives alone. */
  decide (fixture->alice, "t-8", fixture->alice_role);
  g_assert_true (vd_store_claim_item (fixture->bob, vd_test_team_item_id (&fixture->team,
                                                                            "payments", "t-9"),
                                      fixture->bob_role, 600, NULL, NULL));
  expect.n_claims = 1;
  g_assert_true (vd_test_iterate_until (reached, &expect, 5000));
  g_assert_cmpuint (fixture->n_audit, ==, 1);
}

/* Claims made, released and ended by a decision elsewhere are announced. */
static void
test_claims (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  Expect expect = { fixture, 0, 1 };

  if (fixture->team.pg == NULL)
    return;

  g_assert_true (vd_store_claim_item (fixture->bob, fixture->t1, fixture->bob_role, 600, NULL,
                                      &error));
  g_assert_no_error (error);
  g_assert_true (vd_test_iterate_until (reached, &expect, 1000));
  g_assert_cmpuint (fixture->n_audit, ==, 0);

  g_assert_true (vd_store_release_claim (fixture->bob, fixture->t1, fixture->bob_role, &error));
  g_assert_no_error (error);
  expect.n_claims = 2;
  g_assert_true (vd_test_iterate_until (reached, &expect, 1000));

  /* A decision ends Bob's claim on t-8: both arrive. */
  g_assert_true (vd_store_claim_item (fixture->bob, fixture->t2, fixture->bob_role, 600, NULL,
                                      &error));
  g_assert_no_error (error);
  expect.n_claims = 3;
  g_assert_true (vd_test_iterate_until (reached, &expect, 1000));
  decide (fixture->bob, "t-8", fixture->bob_role);
  expect.n_claims = 4;
  expect.n_audit = 1;
  g_assert_true (vd_test_iterate_until (reached, &expect, 1000));
}

/* Unwatching stops at once; finalizing a watched store too. */
static void
test_unwatch (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  Expect expect = { fixture, 1, 0 };

  if (fixture->team.pg == NULL)
    return;

  /* Announced but not yet dispatched when the watch stops: dropped. */
  decide (fixture->bob, "t-7", fixture->bob_role);
  g_usleep (200 * G_TIME_SPAN_MILLISECOND);
  vd_store_unwatch (fixture->alice);
  vd_store_unwatch (fixture->alice);
  decide (fixture->bob, "t-8", fixture->bob_role);
  vd_test_iterate_for (500);
  g_assert_cmpuint (fixture->n_audit, ==, 0);
  g_assert_cmpuint (fixture->n_claims, ==, 0);

  /* Watching again hears what comes after. */
  start_watch (fixture);
  g_assert_true (vd_store_claim_item (fixture->bob, vd_test_team_item_id (&fixture->team,
                                                                            "payments", "t-9"),
                                      fixture->bob_role, 600, NULL, &error));
  g_assert_no_error (error);
  expect.n_audit = 0;
  expect.n_claims = 1;
  g_assert_true (vd_test_iterate_until (reached, &expect, 1000));

  /* A watched store goes away without waiting. */
  vd_test_assert_finalized (g_steal_pointer (&fixture->alice));
}

/* The server ends the listening connection: the watch connects again and
 * announces once, then hears the next decision. */
static void
test_reconnect (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *sql = NULL;
  g_autofree char *killed = NULL;
  Expect expect = { fixture, 1, 1 };

  if (fixture->team.pg == NULL)
    return;

  sql = g_strdup_printf ("SELECT count (pg_terminate_backend (pid)) FROM pg_stat_activity "
                         "WHERE usename = '%s' AND query LIKE 'LISTEN verdict_audit%%'",
                         fixture->alice_role);
  killed = vd_test_pg_query (fixture->team.pg->conninfo, sql);
  g_assert_cmpstr (killed, ==, "1");

  g_assert_true (vd_test_iterate_until (reached, &expect, 5000));
  g_assert_cmpuint (fixture->n_audit, ==, 1);
  g_assert_cmpuint (fixture->n_claims, ==, 1);

  decide (fixture->bob, "t-7", fixture->bob_role);
  expect.n_audit = 2;
  g_assert_true (vd_test_iterate_until (reached, &expect, 1000));
  g_assert_cmpint (fixture->head_seq, ==, head (fixture->bob));

  /* The store's own connection was not touched. */
  decide (fixture->alice, "t-8", fixture->alice_role);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/pg-watch/decision", Fixture, NULL, fixture_set_up, test_decision,
              fixture_tear_down);
  g_test_add ("/pg-watch/claims", Fixture, NULL, fixture_set_up, test_claims,
              fixture_tear_down);
  g_test_add ("/pg-watch/unwatch", Fixture, NULL, fixture_set_up, test_unwatch,
              fixture_tear_down);
  g_test_add ("/pg-watch/reconnect", Fixture, NULL, fixture_set_up, test_reconnect,
              fixture_tear_down);

  return g_test_run ();
}
