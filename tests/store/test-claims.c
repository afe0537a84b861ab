/* test-claims.c: claims with leases, two reviewers on one database
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

/* Alice works through the fixture's store, Bob through a second store
 * object on the same file, as a second window or process would. */
typedef struct
{
  VdTestStore  base;
  VdStore     *bob;
  gint64       t1;
  gint64       t2;
} Fixture;

static const char queue_text[] =
  "{\"verdict_queue\": 1, \"queue\": \"payments\"}\n"
  "{\"task_id\": \"t-7\", \"task_description\": \"Pay\", "
  "\"agent_output\": {\"content\": \"1\", \"confidence\": 0.1}}\n"
  "{\"task_id\": \"t-8\", \"task_description\": \"Pay again\", "
  "\"agent_output\": {\"content\": \"2\", \"confidence\": 0.2}}\n";

static gint64
item_id (VdStore    *store,
         const char *task_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VdItem) item = vd_store_get_item (store, "payments", task_id, &error);

  g_assert_no_error (error);
  return vd_item_get_id (item);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  VdImportResult result = { 0, };

  vd_test_store_set_up (&fixture->base, "claims");
  vd_test_import_text (fixture->base.store, fixture->base.dir, "q.jsonl", queue_text, NULL,
                       &result);
  g_assert_cmpuint (result.queued, ==, 2);
  fixture->bob = vd_test_open_store (fixture->base.db);
  fixture->t1 = item_id (fixture->base.store, "t-7");
  fixture->t2 = item_id (fixture->base.store, "t-8");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->bob);
  vd_test_store_tear_down (&fixture->base);
}

static gboolean
claim (VdStore     *store,
       gint64       id,
       const char  *reviewer,
       guint        lease,
       VdClaim     *out,
       GError     **error)
{
  return vd_store_claim_item (store, id, reviewer, lease, out, error);
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

  g_assert_true (claim (fixture->bob, fixture->t1, "bob", 600, &mine, &error));
  g_assert_no_error (error);
  g_assert_cmpint (mine.item_id, ==, fixture->t1);
  g_assert_cmpstr (mine.reviewer_id, ==, "bob");
  g_assert_cmpstr (mine.queue, ==, "payments");
  g_assert_cmpstr (mine.task_id, ==, "t-7");
  g_assert_cmpint (mine.claimed_at, >=, before);
  g_assert_cmpint (mine.expires_at, ==, mine.claimed_at + 600 * G_USEC_PER_SEC);

  /* Alice cannot take it; the error names who and until when, and she is
   * told Bob's claim. */
  g_assert_false (claim (fixture->base.store, fixture->t1, "alice", 600, &holder, &error));
  g_assert_error (error, VD_STORE_ERROR, VD_STORE_ERROR_CLAIMED);
  until = vd_claim_format_expiry (&mine);
  expected = g_strdup_printf ("bob is reviewing payments/t-7 until %s", until);
  g_assert_cmpstr (error->message, ==, expected);
  g_assert_cmpstr (holder.reviewer_id, ==, "bob");
  g_assert_cmpint (holder.expires_at, ==, mine.expires_at);
  g_clear_error (&error);

  /* The other item is free. */
  g_assert_true (claim (fixture->base.store, fixture->t2, "alice", 600, NULL, &error));
  g_assert_no_error (error);

  /* Both see both claims; per queue too. */
  claims = vd_store_list_claims (fixture->base.store, "payments", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (claims->len, ==, 2);
  g_assert_cmpstr (((VdClaim *) claims->pdata[0])->reviewer_id, ==, "bob");
  g_assert_cmpstr (((VdClaim *) claims->pdata[1])->reviewer_id, ==, "alice");
  g_assert_cmpstr (((VdClaim *) claims->pdata[1])->task_id, ==, "t-8");
  g_clear_pointer (&claims, g_ptr_array_unref);
  claims = vd_store_list_claims (fixture->bob, "other", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (claims->len, ==, 0);
}

static gboolean
claim_succeeds (gpointer user_data)
{
  Fixture *fixture = user_data;

  return claim (fixture->base.store, fixture->t1, "alice", 600, NULL, NULL);
}

static void
test_expiry_and_renew (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) claims = NULL;
  g_auto(VdClaim) first = { 0, };
  g_auto(VdClaim) renewed = { 0, };

  /* A lease of one second, renewed by Bob: still his, for longer. */
  g_assert_true (claim (fixture->bob, fixture->t1, "bob", 1, &first, &error));
  g_assert_no_error (error);
  g_assert_true (claim (fixture->bob, fixture->t1, "bob", 2, &renewed, &error));
  g_assert_no_error (error);
  g_assert_cmpint (renewed.expires_at, >, first.expires_at);
  g_assert_false (claim (fixture->base.store, fixture->t1, "alice", 600, NULL, &error));
  g_assert_error (error, VD_STORE_ERROR, VD_STORE_ERROR_CLAIMED);
  g_clear_error (&error);

  /* Once it expires, it is no claim: not listed, and Alice takes the item. */
  g_assert_true (vd_test_iterate_until (claim_succeeds, fixture, 10000));
  g_assert_cmpint (g_get_real_time (), >=, renewed.expires_at);

  claims = vd_store_list_claims (fixture->bob, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (claims->len, ==, 1);
  g_assert_cmpstr (((VdClaim *) claims->pdata[0])->reviewer_id, ==, "alice");

  g_assert_false (claim (fixture->bob, fixture->t1, "bob", 600, NULL, &error));
  g_assert_error (error, VD_STORE_ERROR, VD_STORE_ERROR_CLAIMED);
}

static void
test_release (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) claims = NULL;

  /* Releasing nothing is fine. */
  g_assert_true (vd_store_release_claim (fixture->base.store, fixture->t1, "alice", &error));
  g_assert_no_error (error);

  g_assert_true (claim (fixture->bob, fixture->t1, "bob", 600, NULL, &error));
  g_assert_no_error (error);

  /* Alice cannot release Bob's claim: it stays. */
  g_assert_true (vd_store_release_claim (fixture->base.store, fixture->t1, "alice", &error));
  g_assert_no_error (error);
  g_assert_false (claim (fixture->base.store, fixture->t1, "alice", 600, NULL, &error));
  g_assert_error (error, VD_STORE_ERROR, VD_STORE_ERROR_CLAIMED);
  g_clear_error (&error);

  /* Bob's release frees it. */
  g_assert_true (vd_store_release_claim (fixture->bob, fixture->t1, "bob", &error));
  g_assert_no_error (error);
  claims = vd_store_list_claims (fixture->base.store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (claims->len, ==, 0);
  g_assert_true (claim (fixture->base.store, fixture->t1, "alice", 600, NULL, &error));
  g_assert_no_error (error);
}

static void
test_decisions (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) claims = NULL;
  g_autoptr(VdDecision) alice = vd_decision_new ("payments", "t-7", VD_DECISION_KIND_APPROVE,
                                                 "alice");
  g_autoptr(VdDecision) bob = vd_decision_new ("payments", "t-7", VD_DECISION_KIND_APPROVE,
                                               "bob");
  g_autoptr(VdItem) item = NULL;
  gint64 head = 0;
  gint64 head_after = 0;

  g_assert_true (claim (fixture->bob, fixture->t1, "bob", 600, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (vd_store_get_audit_head (fixture->base.store, &head, NULL, &error));
  g_assert_no_error (error);

  /* Alice's decision under Bob's claim is refused, and writes nothing. */
  g_assert_false (vd_store_record_decision (fixture->base.store, alice, &error));
  g_assert_error (error, VD_STORE_ERROR, VD_STORE_ERROR_CLAIMED);
  g_assert_true (g_str_has_prefix (error->message, "bob is reviewing payments/t-7 until "));
  g_clear_error (&error);
  item = vd_store_get_item (fixture->base.store, "payments", "t-7", &error);
  g_assert_no_error (error);
  g_assert_cmpint (vd_item_get_status (item), ==, VD_TASK_STATUS_PENDING);
  g_assert_true (vd_store_get_audit_head (fixture->base.store, &head_after, NULL, &error));
  g_assert_cmpint (head_after, ==, head);

  /* Bob's decision goes through and ends his claim in the same write. */
  g_assert_true (vd_store_record_decision (fixture->bob, bob, &error));
  g_assert_no_error (error);
  claims = vd_store_list_claims (fixture->base.store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (claims->len, ==, 0);

  /* A decided item cannot be claimed. */
  g_assert_false (claim (fixture->base.store, fixture->t1, "alice", 600, NULL, &error));
  g_assert_error (error, VD_STORE_ERROR, VD_STORE_ERROR_ALREADY_DECIDED);
  g_clear_error (&error);

  /* Without a claim, or with an own claim, anyone decides as before. */
  {
    g_autoptr(VdDecision) other = vd_decision_new ("payments", "t-8", VD_DECISION_KIND_APPROVE,
                                                   "alice");

    g_assert_true (claim (fixture->base.store, fixture->t2, "alice", 600, NULL, &error));
    g_assert_no_error (error);
    g_assert_true (vd_store_record_decision (fixture->base.store, other, &error));
    g_assert_no_error (error);
  }

  /* Unknown items are reported. */
  g_assert_false (claim (fixture->base.store, 99999, "alice", 600, NULL, &error));
  g_assert_error (error, VD_STORE_ERROR, VD_STORE_ERROR_NOT_FOUND);
}

static gboolean
lease_over (gpointer user_data)
{
  const VdClaim *claim = user_data;

  return g_get_real_time () > claim->expires_at;
}

static void
test_expired_claim_does_not_block (Fixture       *fixture,
                                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VdDecision) alice = vd_decision_new ("payments", "t-7", VD_DECISION_KIND_APPROVE,
                                                 "alice");
  g_auto(VdClaim) held = { 0, };

  g_assert_true (claim (fixture->bob, fixture->t1, "bob", 1, &held, &error));
  g_assert_no_error (error);
  /* Wait until Bob's lease ends, as the store's clock sees it. */
  g_assert_true (vd_test_iterate_until (lease_over, &held, 10000));

  g_assert_true (vd_store_record_decision (fixture->base.store, alice, &error));
  g_assert_no_error (error);
}

static void
test_async (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) claims = NULL;
  g_autoptr(VdClaim) holder = NULL;
  GAsyncResult *result = NULL;

  vd_store_claim_item_async (fixture->bob, fixture->t1, "bob", 600, NULL,
                             vd_test_got_result, &result);
  g_assert_true (vd_test_iterate_until (vd_test_has_result, &result, 20000));
  g_assert_true (vd_store_claim_item_finish (fixture->bob, result, &holder, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (holder->reviewer_id, ==, "bob");
  g_clear_pointer (&holder, vd_claim_free);
  g_clear_object (&result);

  vd_store_claim_item_async (fixture->base.store, fixture->t1, "alice", 600, NULL,
                             vd_test_got_result, &result);
  g_assert_true (vd_test_iterate_until (vd_test_has_result, &result, 20000));
  g_assert_false (vd_store_claim_item_finish (fixture->base.store, result, &holder, &error));
  g_assert_error (error, VD_STORE_ERROR, VD_STORE_ERROR_CLAIMED);
  g_assert_cmpstr (holder->reviewer_id, ==, "bob");
  g_clear_error (&error);
  g_clear_object (&result);

  vd_store_list_claims_async (fixture->base.store, "payments", NULL, vd_test_got_result,
                              &result);
  g_assert_true (vd_test_iterate_until (vd_test_has_result, &result, 20000));
  claims = vd_store_list_claims_finish (fixture->base.store, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (claims->len, ==, 1);
  g_clear_object (&result);

  vd_store_release_claim_async (fixture->bob, fixture->t1, "bob", NULL, vd_test_got_result,
                                &result);
  g_assert_true (vd_test_iterate_until (vd_test_has_result, &result, 20000));
  g_assert_true (vd_store_release_claim_finish (fixture->bob, result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);
}

static void
test_policy (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VdPolicy) none = vd_policy_new_from_data ("{}", -1, "policy.json", &error);
  g_autoptr(VdPolicy) set = NULL;
  g_autoptr(VdPolicy) again = NULL;
  g_autoptr(VdPolicy) bad = NULL;
  g_autofree char *data = NULL;
  g_autofree char *plain = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (vd_policy_get_claim_minutes (none), ==, 10);
  /* A policy without it writes as before. */
  plain = vd_policy_to_data (none);
  g_assert_null (strstr (plain, "claim_minutes"));

  set = vd_policy_new_from_data ("{\"claim_minutes\": 1440}", -1, "policy.json", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (vd_policy_get_claim_minutes (set), ==, 1440);
  data = vd_policy_to_data (set);
  again = vd_policy_new_from_data (data, -1, "again", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (vd_policy_get_claim_minutes (again), ==, 1440);

  bad = vd_policy_new_from_data ("{\"claim_minutes\": 0}", -1, "policy.json", &error);
  g_assert_null (bad);
  g_assert_nonnull (error);
  g_assert_cmpstr (error->message, ==, "policy.json: claim_minutes: expected a whole number of "
                   "minutes from 1 to 1440 (a day), found 0");
  g_clear_error (&error);
  bad = vd_policy_new_from_data ("{\"claim_minutes\": 1.5}", -1, "policy.json", &error);
  g_assert_null (bad);
  g_assert_nonnull (error);
}

#define CLAIMS_TEST(func) (func)

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/claims/conflict", Fixture, NULL, fixture_set_up, CLAIMS_TEST (test_conflict),
              fixture_tear_down);
  g_test_add ("/claims/expiry-renew", Fixture, NULL, fixture_set_up,
              CLAIMS_TEST (test_expiry_and_renew), fixture_tear_down);
  g_test_add ("/claims/release", Fixture, NULL, fixture_set_up, CLAIMS_TEST (test_release),
              fixture_tear_down);
  g_test_add ("/claims/decisions", Fixture, NULL, fixture_set_up, CLAIMS_TEST (test_decisions),
              fixture_tear_down);
  g_test_add ("/claims/expired-claim-does-not-block", Fixture, NULL, fixture_set_up,
              CLAIMS_TEST (test_expired_claim_does_not_block), fixture_tear_down);
  g_test_add_func ("/claims/policy", test_policy);
  g_test_add ("/claims/async", Fixture, NULL, fixture_set_up, CLAIMS_TEST (test_async),
              fixture_tear_down);

  return g_test_run ();
}
