/* test-four-eyes.c: items the policy gives to two reviewers
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
#include "vd-decision-rules.h"
#include "vd-test-util.h"

/* payments need two reviewers; so does any item over 10,000 */
#define POLICY \
  "{\"verdict_policy\": 1, \"review_all\": true, " \
  "\"task_types\": {\"payments\": {\"reviews_required\": 2}}, " \
  "\"rules\": [{\"name\": \"large\", \"path\": \"amount\", \"op\": \">\", " \
  "\"value\": 10000, \"reviews_required\": 2}]}"

#define ITEM(ID, TYPE, AMOUNT) \
  "{\"task_id\": \"" ID "\", \"task_type\": \"" TYPE "\", \"task_description\": \"Pay\", " \
  "\"agent_output\": {\"content\": \"Pay " ID ".\", \"confidence\": 0.95, " \
  "\"metadata\": {\"amount\": " AMOUNT "}}}\n"

typedef struct
{
  char    *dir;
  VdStore *store;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VdPolicy) policy = NULL;
  g_autofree char *db = NULL;
  VdImportResult result = { 0, };

  fixture->dir = vd_test_make_tmp_dir ("four-eyes");
  db = g_build_filename (fixture->dir, "verdict.db", NULL);
  fixture->store = VD_STORE (vd_sqlite_store_new (db, &error));
  g_assert_no_error (error);

  policy = vd_policy_new_from_data (POLICY, -1, "policy.json", &error);
  g_assert_no_error (error);

  vd_test_import_text (fixture->store, fixture->dir, "q.jsonl",
                       ITEM ("pay1", "payments", "10")
                       ITEM ("big1", "refund", "25000")
                       ITEM ("small1", "refund", "50")
                       ITEM ("small2", "refund", "60"),
                       policy, &result);
  g_assert_cmpuint (result.imported, ==, 4);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  vd_test_assert_finalized (fixture->store);
  vd_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
}

static void
add_test (const char *path,
          void      (*func) (Fixture *, gconstpointer))
{
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down);
}

static void
assert_verifies (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (vd_store_verify_audit (fixture->store, NULL, NULL, &error));
  g_assert_no_error (error);
}

static void
assert_human_approved (Fixture *fixture,
                       guint64  expected)
{
  g_autoptr(GError) error = NULL;
  VdStats stats = { 0 };

  g_assert_true (vd_store_get_stats (fixture->store, NULL, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.human_approved, ==, expected);
}

static VdItem *
get_item (Fixture    *fixture,
          const char *task_id)
{
  g_autoptr(GError) error = NULL;
  VdItem *item = vd_store_get_item (fixture->store, "q", task_id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (item);
  return item;
}

static VdDecision *
make_decision (const char     *task_id,
               VdDecisionKind  kind,
               const char     *reviewer)
{
  VdDecision *decision = vd_decision_new ("q", task_id, kind, reviewer);

  if (kind == VD_DECISION_KIND_REJECT)
    vd_decision_set_feedback (decision, "wrong account");
  return decision;
}

static gboolean
decide (Fixture         *fixture,
        const char      *task_id,
        VdDecisionKind   kind,
        const char      *reviewer,
        VdDecision     **out,
        GError         **error)
{
  g_autoptr(VdDecision) decision = make_decision (task_id, kind, reviewer);
  gboolean ok = vd_store_record_decision (fixture->store, decision, error);

  if (out != NULL)
    *out = g_steal_pointer (&decision);
  return ok;
}

/* The payload of the trail's last event, which must be of @type. */
static JsonObject *
last_event (Fixture    *fixture,
            const char *type)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = vd_store_list_audit (fixture->store, 0, 0, &error);
  g_autoptr(JsonNode) node = NULL;
  VdAuditEvent *event;

  g_assert_no_error (error);
  event = g_ptr_array_index (events, events->len - 1);
  g_assert_cmpstr (vd_audit_event_get_event_type (event), ==, type);
  node = json_from_string (vd_audit_event_get_payload_json (event), &error);
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (node));
}

static void
test_reviews_required (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(VdItem) pay = get_item (fixture, "pay1");
  g_autoptr(VdItem) big = get_item (fixture, "big1");
  g_autoptr(VdItem) small = get_item (fixture, "small1");

  /* The task type's and the rule's, and the default. */
  g_assert_cmpint (vd_item_get_reviews_required (pay), ==, 2);
  g_assert_cmpint (vd_item_get_reviews_required (big), ==, 2);
  g_assert_cmpint (vd_item_get_reviews_required (small), ==, 1);
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
  JsonArray *reviews;

  g_assert_true (decide (fixture, "pay1", VD_DECISION_KIND_APPROVE, "alice", &first, &error));
  g_assert_no_error (error);
  g_assert_false (vd_decision_get_final (first));

  /* One review: the item waits for the second. */
  item = get_item (fixture, "pay1");
  g_assert_cmpint (vd_item_get_status (item), ==, VD_TASK_STATUS_PENDING);
  payload = last_event (fixture, VD_AUDIT_REVIEW);
  g_assert_cmpstr (json_object_get_string_member (payload, "decision"), ==, "approve");
  g_assert_cmpint (json_object_get_int_member (payload, "review"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (payload, "reviews_required"), ==, 2);
  g_clear_pointer (&payload, json_object_unref);
  g_clear_object (&item);
  assert_verifies (fixture);

  g_assert_true (decide (fixture, "pay1", VD_DECISION_KIND_APPROVE, "bob", &second, &error));
  g_assert_no_error (error);
  g_assert_true (vd_decision_get_final (second));

  item = get_item (fixture, "pay1");
  g_assert_cmpint (vd_item_get_status (item), ==, VD_TASK_STATUS_APPROVED);
  payload = last_event (fixture, VD_AUDIT_DECISION);
  reviews = json_object_get_array_member (payload, "reviews");
  g_assert_cmpuint (json_array_get_length (reviews), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (reviews, 0),
                                                  "reviewer"), ==, "alice");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (reviews, 1),
                                                  "reviewer"), ==, "bob");
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (reviews, 0),
                                               "seq"), ==, vd_decision_get_audit_seq (first));

  /* The workflow's counts: one decision, not two. */
  assert_human_approved (fixture, 1);

  decisions = vd_store_list_decisions (fixture->store, "q", "pay1", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (decisions->len, ==, 2);
  g_assert_false (vd_decision_get_final (decisions->pdata[0]));
  g_assert_true (vd_decision_get_final (decisions->pdata[1]));
  assert_verifies (fixture);
}

static void
test_disagree (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VdDecision) second = NULL;
  g_autoptr(VdItem) item = NULL;
  g_autoptr(JsonObject) payload = NULL;
  JsonArray *reviews;

  g_assert_true (decide (fixture, "big1", VD_DECISION_KIND_APPROVE, "alice", NULL, &error));
  g_assert_true (decide (fixture, "big1", VD_DECISION_KIND_REJECT, "bob", &second, &error));
  g_assert_no_error (error);
  g_assert_false (vd_decision_get_final (second));

  item = get_item (fixture, "big1");
  g_assert_cmpint (vd_item_get_status (item), ==, VD_TASK_STATUS_ESCALATED);
  g_assert_cmpint (vd_item_get_escalation_reason (item), ==,
                   VD_ESCALATION_REASON_REVIEWERS_DISAGREE);

  payload = last_event (fixture, VD_AUDIT_ESCALATED);
  g_assert_cmpstr (json_object_get_string_member (payload, "reason"), ==, "reviewers_disagree");
  reviews = json_object_get_array_member (payload, "reviews");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (reviews, 0),
                                                  "decision"), ==, "approve");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (reviews, 1),
                                                  "feedback"), ==, "wrong account");
  assert_verifies (fixture);

  /* The escalating review stands: the item needs a decision. */
  g_assert_false (vd_store_retract_decision (fixture->store, vd_decision_get_id (second), "bob",
                                             NULL, &error));
  g_assert_error (error, VD_STORE_ERROR, VD_STORE_ERROR_INVALID);
  g_clear_error (&error);

  /* Without a roster anybody may decide the escalated item, alone. */
  g_assert_true (decide (fixture, "big1", VD_DECISION_KIND_REJECT, "carol", NULL, &error));
  g_assert_no_error (error);
  g_clear_object (&item);
  item = get_item (fixture, "big1");
  g_assert_cmpint (vd_item_get_status (item), ==, VD_TASK_STATUS_REJECTED);
  g_clear_pointer (&payload, json_object_unref);
  payload = last_event (fixture, VD_AUDIT_DECISION);
  g_assert_true (json_object_get_boolean_member (payload, "escalated"));
  assert_verifies (fixture);

  /* The statistics page's agreement: one pair, which disagreed. */
  {
    VdInsightsQuery query;
    g_autoptr(VdInsights) insights = NULL;

    vd_insights_query_init (&query);
    insights = vd_insights_compute (fixture->store, &query, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (insights->agreement.n_pairs, ==, 1);
    g_assert_cmpuint (insights->agreement.n_agree, ==, 0);
    g_assert_cmpfloat (insights->agreement.percent_agreement, ==, 0.0);
  }
}

static void
test_same_reviewer (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VdItem) item = NULL;

  g_assert_true (decide (fixture, "pay1", VD_DECISION_KIND_APPROVE, "alice", NULL, &error));
  g_assert_false (decide (fixture, "pay1", VD_DECISION_KIND_APPROVE, "alice", NULL, &error));
  g_assert_error (error, VD_STORE_ERROR, VD_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "alice has already reviewed item pay1 in queue "
                                            "q"));
  g_assert_nonnull (strstr (error->message, "a second reviewer must decide"));

  item = get_item (fixture, "pay1");
  g_assert_cmpint (vd_item_get_status (item), ==, VD_TASK_STATUS_PENDING);
  assert_verifies (fixture);
}

static void
test_retract_review (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VdDecision) first = NULL;
  g_autoptr(VdItem) item = NULL;
  g_autoptr(JsonObject) payload = NULL;

  g_assert_true (decide (fixture, "pay1", VD_DECISION_KIND_APPROVE, "alice", &first, &error));
  g_assert_true (vd_store_retract_decision (fixture->store, vd_decision_get_id (first), "alice",
                                            "wrong item", &error));
  g_assert_no_error (error);
  payload = last_event (fixture, VD_AUDIT_RETRACTION);
  g_assert_cmpint (json_object_get_int_member (payload, "decision_seq"), ==,
                   vd_decision_get_audit_seq (first));
  assert_verifies (fixture);

  /* alice reviews again, as if for the first time; bob's review agrees. */
  g_assert_true (decide (fixture, "pay1", VD_DECISION_KIND_REJECT, "alice", NULL, &error));
  g_assert_no_error (error);
  item = get_item (fixture, "pay1");
  g_assert_cmpint (vd_item_get_status (item), ==, VD_TASK_STATUS_PENDING);
  g_clear_object (&item);
  g_assert_true (decide (fixture, "pay1", VD_DECISION_KIND_REJECT, "bob", NULL, &error));
  g_assert_no_error (error);
  item = get_item (fixture, "pay1");
  g_assert_cmpint (vd_item_get_status (item), ==, VD_TASK_STATUS_REJECTED);
  assert_human_approved (fixture, 0);
  assert_verifies (fixture);
}

static void
test_rule_amount (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VdItem) big = NULL;
  g_autoptr(VdItem) small = NULL;
  g_autoptr(JsonObject) payload = NULL;

  /* Over the amount: a review; under it: a decision, as always. */
  g_assert_true (decide (fixture, "big1", VD_DECISION_KIND_APPROVE, "alice", NULL, &error));
  big = get_item (fixture, "big1");
  g_assert_cmpint (vd_item_get_status (big), ==, VD_TASK_STATUS_PENDING);

  g_assert_true (decide (fixture, "small1", VD_DECISION_KIND_APPROVE, "alice", NULL, &error));
  g_assert_no_error (error);
  small = get_item (fixture, "small1");
  g_assert_cmpint (vd_item_get_status (small), ==, VD_TASK_STATUS_APPROVED);
  payload = last_event (fixture, VD_AUDIT_DECISION);
  /* A one-review decision's payload is as it always was. */
  g_assert_false (json_object_has_member (payload, "reviews"));
  assert_verifies (fixture);
}

static void
test_bulk_skips (Fixture       *fixture,
                 gconstpointer  data)
{
  static const VdBulkBand band = { "q", NULL, 0.9, 1.0, -1 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) members = NULL;
  g_autoptr(VdItem) pay = NULL;

  /* The two-review items are never in a bulk approve's band. */
  members = vd_store_list_band (fixture->store, &band, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (members->len, ==, 2);
  for (guint i = 0; i < members->len; i++)
    {
      g_autoptr(GPtrArray) items = NULL;
      gint64 id = g_array_index (members, VdBulkMember, i).item_id;

      items = vd_store_get_items_by_id (fixture->store, &id, 1, &error);
      g_assert_no_error (error);
      g_assert_cmpint (vd_item_get_reviews_required (items->pdata[0]), ==, 1);
    }

  pay = get_item (fixture, "pay1");
  g_assert_cmpint (vd_item_get_status (pay), ==, VD_TASK_STATUS_PENDING);
  assert_verifies (fixture);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  add_test ("/four-eyes/reviews-required", test_reviews_required);
  add_test ("/four-eyes/agree", test_agree);
  add_test ("/four-eyes/disagree", test_disagree);
  add_test ("/four-eyes/same-reviewer", test_same_reviewer);
  add_test ("/four-eyes/retract-review", test_retract_review);
  add_test ("/four-eyes/rule-amount", test_rule_amount);
  add_test ("/four-eyes/bulk-skips", test_bulk_skips);

  return g_test_run ();
}
