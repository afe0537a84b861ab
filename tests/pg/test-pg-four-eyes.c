/* test-pg-four-eyes.c: four-eyes review on PostgreSQL, reviewers as roles
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

#include "vd-decision-rules.h"
#include "vd-test-pg-team.h"
#include "vd-test-util.h"

/* payments need two reviewers; refunds one */
#define POLICY \
  "{\"verdict_policy\": 1, \"review_all\": true, " \
  "\"task_types\": {\"payments\": {\"reviews_required\": 2}}}"

#define ITEM(ID, TYPE) \
  "{\"task_id\": \"" ID "\", \"task_type\": \"" TYPE "\", \"task_description\": \"Pay\", " \
  "\"agent_output\": {\"content\": \"Pay " ID ".\", \"confidence\": 0.95}}\n"

static const char queue_text[] =
  "{\"verdict_queue\": 1, \"queue\": \"payments\"}\n"
  ITEM ("pay1", "payments")
  ITEM ("pay2", "payments")
  ITEM ("refund1", "refund");

/* Alice and Bob are reviewers, Carol a senior; the items were imported by
 * the superuser with the policy above. */
typedef struct
{
  VdTestTeam  team;
  const char *alice_role;
  const char *bob_role;
  const char *carol_role;
  VdStore    *alice;
  VdStore    *bob;
  VdStore    *carol;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VdPolicy) policy = NULL;
  VdImportResult result = { 0, };

  if (!vd_test_team_set_up (&fixture->team, NULL))
    return;

  policy = vd_policy_new_from_data (POLICY, -1, "policy.json", &error);
  g_assert_no_error (error);
  vd_test_import_text (fixture->team.admin, fixture->team.dir, "q.jsonl", queue_text, policy,
                       &result);
  g_assert_cmpuint (result.imported, ==, 3);

  fixture->alice_role = vd_test_team_add_role (&fixture->team, "alice", NULL);
  fixture->bob_role = vd_test_team_add_role (&fixture->team, "bob", NULL);
  fixture->carol_role = vd_test_team_add_role (&fixture->team, "carol", "verdict_senior");
  fixture->alice = vd_test_team_open (&fixture->team, fixture->alice_role);
  fixture->bob = vd_test_team_open (&fixture->team, fixture->bob_role);
  fixture->carol = vd_test_team_open (&fixture->team, fixture->carol_role);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->alice);
  g_clear_object (&fixture->bob);
  g_clear_object (&fixture->carol);
  vd_test_team_tear_down (&fixture->team);
}

static gboolean
decide (VdStore         *store,
        const char      *task_id,
        VdDecisionKind   kind,
        const char      *reviewer,
        VdDecision     **out,
        GError         **error)
{
  g_autoptr(VdDecision) decision = vd_decision_new ("payments", task_id, kind, reviewer);
  gboolean ok;

  if (kind == VD_DECISION_KIND_REJECT)
    vd_decision_set_feedback (decision, "wrong account");
  ok = vd_store_record_decision (store, decision, error);
  if (out != NULL)
    *out = g_steal_pointer (&decision);
  return ok;
}

static VdItem *
get_item (VdStore    *store,
          const char *task_id)
{
  g_autoptr(GError) error = NULL;
  VdItem *item = vd_store_get_item (store, "payments", task_id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (item);
  return item;
}

static void
assert_verifies (VdStore *store)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (vd_store_verify_audit (store, NULL, NULL, &error));
  g_assert_no_error (error);
}

/* The payload of the trail's last event, which must be of @type by @actor. */
static JsonObject *
last_event (VdStore    *store,
            const char *type,
            const char *actor)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = vd_store_list_audit (store, 0, 0, &error);
  g_autoptr(JsonNode) node = NULL;
  VdAuditEvent *event;

  g_assert_no_error (error);
  event = g_ptr_array_index (events, events->len - 1);
  g_assert_cmpstr (vd_audit_event_get_event_type (event), ==, type);
  g_assert_cmpstr (vd_audit_event_get_actor (event), ==, actor);
  node = json_from_string (vd_audit_event_get_payload_json (event), &error);
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (node));
}

static const char *
review_member (JsonObject *payload,
               guint       index,
               const char *member)
{
  JsonArray *reviews = json_object_get_array_member (payload, "reviews");

  g_assert_nonnull (reviews);
  g_assert_cmpuint (json_array_get_length (reviews), ==, 2);
  return json_object_get_string_member (json_array_get_object_element (reviews, index), member);
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
    "psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-d", conninfo, "-c", sql, NULL
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
test_agree (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VdDecision) first = NULL;
  g_autoptr(VdDecision) second = NULL;
  g_autoptr(VdItem) item = NULL;
  g_autoptr(JsonObject) payload = NULL;
  g_autoptr(GPtrArray) decisions = NULL;
  VdStats stats = { 0 };

  if (fixture->team.pg == NULL)
    return;

  item = get_item (fixture->alice, "pay1");
  g_assert_cmpint (vd_item_get_reviews_required (item), ==, 2);
  g_assert_cmpint (vd_item_get_n_reviews (item), ==, 0);
  g_clear_object (&item);
  item = get_item (fixture->alice, "refund1");
  g_assert_cmpint (vd_item_get_reviews_required (item), ==, 1);
  g_clear_object (&item);

  g_assert_true (decide (fixture->alice, "pay1", VD_DECISION_KIND_APPROVE, fixture->alice_role,
                         &first, &error));
  g_assert_no_error (error);
  g_assert_false (vd_decision_get_final (first));

  /* One review: the item waits for the second. */
  item = get_item (fixture->bob, "pay1");
  g_assert_cmpint (vd_item_get_status (item), ==, VD_TASK_STATUS_PENDING);
  g_assert_cmpint (vd_item_get_n_reviews (item), ==, 1);
  g_clear_object (&item);
  payload = last_event (fixture->bob, VD_AUDIT_REVIEW, fixture->alice_role);
  g_assert_cmpstr (json_object_get_string_member (payload, "decision"), ==, "approve");
  g_assert_cmpint (json_object_get_int_member (payload, "reviews_required"), ==, 2);
  g_clear_pointer (&payload, json_object_unref);
  g_assert_true (vd_store_get_stats (fixture->bob, NULL, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.human_approved, ==, 0);

  g_assert_true (decide (fixture->bob, "pay1", VD_DECISION_KIND_APPROVE, fixture->bob_role,
                         &second, &error));
  g_assert_no_error (error);
  g_assert_true (vd_decision_get_final (second));

  item = get_item (fixture->alice, "pay1");
  g_assert_cmpint (vd_item_get_status (item), ==, VD_TASK_STATUS_APPROVED);
  payload = last_event (fixture->alice, VD_AUDIT_DECISION, fixture->bob_role);
  g_assert_cmpstr (review_member (payload, 0, "reviewer"), ==, fixture->alice_role);
  g_assert_cmpstr (review_member (payload, 1, "reviewer"), ==, fixture->bob_role);

  /* The workflow's counts: one decision, not two. */
  g_assert_true (vd_store_get_stats (fixture->alice, NULL, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.human_approved, ==, 1);

  decisions = vd_store_list_decisions (fixture->alice, "payments", "pay1", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (decisions->len, ==, 2);
  g_assert_false (vd_decision_get_final (decisions->pdata[0]));
  g_assert_true (vd_decision_get_final (decisions->pdata[1]));

  /* A one-review item is decided at once. */
  g_clear_object (&first);
  g_assert_true (decide (fixture->alice, "refund1", VD_DECISION_KIND_APPROVE,
                         fixture->alice_role, &first, &error));
  g_assert_no_error (error);
  g_assert_true (vd_decision_get_final (first));

  assert_verifies (fixture->alice);
  assert_verifies (fixture->team.admin);
}

static void
test_disagree (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VdDecision) second = NULL;
  g_autoptr(VdItem) item = NULL;
  g_autoptr(JsonObject) payload = NULL;

  if (fixture->team.pg == NULL)
    return;

  g_assert_true (decide (fixture->alice, "pay2", VD_DECISION_KIND_APPROVE, fixture->alice_role,
                         NULL, &error));
  g_assert_no_error (error);
  g_assert_true (decide (fixture->bob, "pay2", VD_DECISION_KIND_REJECT, fixture->bob_role,
                         &second, &error));
  g_assert_no_error (error);
  g_assert_false (vd_decision_get_final (second));

  item = get_item (fixture->alice, "pay2");
  g_assert_cmpint (vd_item_get_status (item), ==, VD_TASK_STATUS_ESCALATED);
  g_assert_cmpint (vd_item_get_escalation_reason (item), ==,
                   VD_ESCALATION_REASON_REVIEWERS_DISAGREE);
  g_clear_object (&item);

  payload = last_event (fixture->alice, VD_AUDIT_ESCALATED, fixture->bob_role);
  g_assert_cmpstr (json_object_get_string_member (payload, "reason"), ==, "reviewers_disagree");
  g_assert_cmpstr (review_member (payload, 0, "reviewer"), ==, fixture->alice_role);
  g_assert_cmpstr (review_member (payload, 0, "decision"), ==, "approve");
  g_assert_cmpstr (review_member (payload, 1, "reviewer"), ==, fixture->bob_role);
  g_assert_cmpstr (review_member (payload, 1, "feedback"), ==, "wrong account");
  g_clear_pointer (&payload, json_object_unref);
  assert_verifies (fixture->alice);

  /* The escalating review stands: the item needs a decision. */
  g_assert_false (vd_store_retract_decision (fixture->bob, vd_decision_get_id (second),
                                             fixture->bob_role, NULL, &error));
  g_assert_error (error, VD_STORE_ERROR, VD_STORE_ERROR_INVALID);
  g_clear_error (&error);

  /* Only a senior decides the escalated item, alone. */
  g_assert_false (decide (fixture->alice, "pay2", VD_DECISION_KIND_APPROVE, fixture->alice_role,
                          NULL, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_true (decide (fixture->carol, "pay2", VD_DECISION_KIND_REJECT, fixture->carol_role,
                         NULL, &error));
  g_assert_no_error (error);
  item = get_item (fixture->alice, "pay2");
  g_assert_cmpint (vd_item_get_status (item), ==, VD_TASK_STATUS_REJECTED);
  payload = last_event (fixture->alice, VD_AUDIT_DECISION, fixture->carol_role);
  g_assert_true (json_object_get_boolean_member (payload, "escalated"));
  assert_verifies (fixture->carol);
}

static void
test_same_reviewer (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VdItem) item = NULL;
  g_autofree char *expected = NULL;

  if (fixture->team.pg == NULL)
    return;

  g_assert_true (decide (fixture->alice, "pay1", VD_DECISION_KIND_APPROVE, fixture->alice_role,
                         NULL, &error));
  g_assert_no_error (error);
  g_assert_false (decide (fixture->alice, "pay1", VD_DECISION_KIND_APPROVE, fixture->alice_role,
                          NULL, &error));
  g_assert_error (error, VD_STORE_ERROR, VD_STORE_ERROR_INVALID);
  /* The message of the SQLite store. */
  expected = g_strdup_printf ("%s has already reviewed item pay1 in queue payments (approve); "
                              "the policy requires two reviews: a second reviewer must decide",
                              fixture->alice_role);
  g_assert_cmpstr (error->message, ==, expected);
  g_clear_error (&error);

  item = get_item (fixture->bob, "pay1");
  g_assert_cmpint (vd_item_get_status (item), ==, VD_TASK_STATUS_PENDING);
  g_assert_cmpint (vd_item_get_n_reviews (item), ==, 1);
  assert_verifies (fixture->bob);
}

/* A decisions row that psql writes as @role on @task_id; the database's
 * rules refuse it before any other column is looked at. */
static char *
decision_row (Fixture    *fixture,
              const char *role,
              const char *task_id,
              int         final)
{
  return g_strdup_printf ("INSERT INTO decisions (item_id, queue, task_id, revision, decision, "
                          "reviewer_id, automatic, timestamp, final_output, audit_seq, "
                          "audit_hash, audit_prev_hash, final) "
                          "SELECT id, queue, task_id, revision, 'approve', '%s', 0, 0, '', "
                          "0, '', '', %d FROM items WHERE queue = 'payments' "
                          "AND task_id = '%s'", role, final, task_id);
}

static void
test_database_refuses (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *review = NULL;
  g_autoptr(VdItem) item = NULL;

  if (fixture->team.pg == NULL)
    return;

  g_assert_true (decide (fixture->alice, "pay1", VD_DECISION_KIND_APPROVE, fixture->alice_role,
                         NULL, &error));
  g_assert_no_error (error);

  /* Alice, past the store, decides as the second reviewer. */
  sql = decision_row (fixture, fixture->alice_role, "pay1", 1);
  g_assert_cmpint (psql_as (fixture, fixture->alice_role, sql, &err), !=, 0);
  g_assert_nonnull (strstr (err, "has already reviewed it"));
  g_clear_pointer (&sql, g_free);

  /* Nor writes a second review of her own. */
  sql = decision_row (fixture, fixture->alice_role, "pay1", 0);
  g_assert_cmpint (psql_as (fixture, fixture->alice_role, sql, &err), !=, 0);
  g_assert_nonnull (strstr (err, "has already reviewed it"));
  g_clear_pointer (&sql, g_free);

  /* Bob decides pay2 alone. */
  sql = decision_row (fixture, fixture->bob_role, "pay2", 1);
  g_assert_cmpint (psql_as (fixture, fixture->bob_role, sql, &err), !=, 0);
  g_assert_nonnull (strstr (err, "alone: the policy requires two reviews"));
  g_clear_pointer (&sql, g_free);

  /* A review approving the item in one transaction. */
  review = decision_row (fixture, fixture->bob_role, "pay2", 0);
  sql = g_strdup_printf ("BEGIN; %s; UPDATE items SET status = 'approved' "
                         "WHERE queue = 'payments' AND task_id = 'pay2'; COMMIT;", review);
  g_assert_cmpint (psql_as (fixture, fixture->bob_role, sql, &err), !=, 0);
  g_assert_nonnull (strstr (err, "with a review"));

  item = get_item (fixture->bob, "pay1");
  g_assert_cmpint (vd_item_get_status (item), ==, VD_TASK_STATUS_PENDING);
  g_clear_object (&item);
  item = get_item (fixture->bob, "pay2");
  g_assert_cmpint (vd_item_get_status (item), ==, VD_TASK_STATUS_PENDING);

  /* Bob, the second reviewer, may. */
  g_assert_true (decide (fixture->bob, "pay1", VD_DECISION_KIND_APPROVE, fixture->bob_role,
                         NULL, &error));
  g_assert_no_error (error);
  assert_verifies (fixture->bob);
}

/* Lists and bulk approvals see which items need two reviewers. */
static void
test_lists_and_band (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GArray) members = NULL;
  VdItemQuery query = VD_ITEM_QUERY_INIT;
  const VdBulkBand band = { "payments", NULL, 0.0, 1.0, -1 };
  guint64 count = 0;

  if (fixture->team.pg == NULL)
    return;

  query.four_eyes = TRUE;
  items = vd_store_list_items (fixture->alice, &query, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 2);
  g_assert_cmpstr (vd_item_get_task_id (items->pdata[0]), ==, "pay1");
  g_assert_cmpstr (vd_item_get_task_id (items->pdata[1]), ==, "pay2");

  /* Reviewers who disagree: the item is listed under that reason. */
  g_assert_true (decide (fixture->alice, "pay2", VD_DECISION_KIND_APPROVE, fixture->alice_role,
                         NULL, &error));
  g_assert_true (decide (fixture->bob, "pay2", VD_DECISION_KIND_REJECT, fixture->bob_role,
                         NULL, &error));
  g_assert_no_error (error);
  query.four_eyes = FALSE;
  query.reason = VD_ESCALATION_REASON_REVIEWERS_DISAGREE;
  g_assert_true (vd_store_count_items (fixture->alice, &query, &count, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count, ==, 1);

  /* One bulk approve is one reviewer: only refund1 is in the band. */
  members = vd_store_list_band (fixture->alice, &band, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (members->len, ==, 1);
  g_assert_cmpint (g_array_index (members, VdBulkMember, 0).item_id, ==,
                   vd_test_team_item_id (&fixture->team, "payments", "refund1"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/pg-four-eyes/agree", Fixture, NULL, fixture_set_up, test_agree,
              fixture_tear_down);
  g_test_add ("/pg-four-eyes/disagree", Fixture, NULL, fixture_set_up, test_disagree,
              fixture_tear_down);
  g_test_add ("/pg-four-eyes/same-reviewer", Fixture, NULL, fixture_set_up, test_same_reviewer,
              fixture_tear_down);
  g_test_add ("/pg-four-eyes/database-refuses", Fixture, NULL, fixture_set_up,
              test_database_refuses, fixture_tear_down);
  g_test_add ("/pg-four-eyes/lists-and-band", Fixture, NULL, fixture_set_up,
              test_lists_and_band, fixture_tear_down);

  return g_test_run ();
}
