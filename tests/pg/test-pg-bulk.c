/* test-pg-bulk.c: bulk approval and calibration on PostgreSQL
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

/* tests/deadlines/test-bulk.c's scenarios, with Alice, Bob and Carol
 * logged in as roles of their own: the same results and messages. */
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

/* The band: b00..b29 in queue q, type refund, confidence 0.900..0.987.
 * Around it: o1 too unsure, o2 another type, o3 escalated, o4 another
 * queue, all in the confidence range but o1. */
static char *
band_queue_text (void)
{
  GString *text = g_string_new ("{\"verdict_queue\": 1, \"queue\": \"q\"}\n");

  for (guint i = 0; i < 30; i++)
    g_string_append_printf (text,
                            "{\"task_id\": \"b%02u\", \"task_type\": \"refund\", "
                            "\"task_description\": \"Refund %u\", \"agent_output\": "
                            "{\"content\": \"Refund $%u.\", \"confidence\": 0.9%02u}, "
                            "\"escalation_reason\": \"policy_required\"}\n",
                            i, i, i, i * 3);
  g_string_append (text,
                   "{\"task_id\": \"o1\", \"task_type\": \"refund\", \"task_description\": \"x\", "
                   "\"agent_output\": {\"content\": \"x\", \"confidence\": 0.5}, "
                   "\"escalation_reason\": \"policy_required\"}\n"
                   "{\"task_id\": \"o2\", \"task_type\": \"other\", \"task_description\": \"x\", "
                   "\"agent_output\": {\"content\": \"x\", \"confidence\": 0.95}, "
                   "\"escalation_reason\": \"policy_required\"}\n"
                   "{\"task_id\": \"o3\", \"task_type\": \"refund\", \"task_description\": \"x\", "
                   "\"agent_output\": {\"content\": \"x\", \"confidence\": 0.95}, "
                   "\"escalation_reason\": \"policy_required\", \"status\": \"escalated\"}\n"
                   "{\"task_id\": \"o4\", \"queue\": \"r\", \"task_type\": \"refund\", "
                   "\"task_description\": \"x\", \"agent_output\": {\"content\": \"x\", "
                   "\"confidence\": 0.95}, \"escalation_reason\": \"policy_required\"}\n");

  return g_string_free (text, FALSE);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *text = band_queue_text ();

  if (!vd_test_team_set_up (&fixture->team, text))
    return;

  fixture->alice_role = vd_test_team_add_role (&fixture->team, "alice", NULL);
  fixture->bob_role = vd_test_team_add_role (&fixture->team, "bob", NULL);
  fixture->carol_role = vd_test_team_add_role (&fixture->team, "carol", NULL);
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

static void
add_test (const char *path,
          void      (*func) (Fixture *, gconstpointer))
{
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down);
}

static const VdBulkBand refund_band = { "q", "refund", 0.9, 1.0, -1 };

static void
step (Fixture       *fixture,
      guint32        seed,
      VdBulkOutcome *outcome)
{
  g_autoptr(GError) error = NULL;

  vd_bulk_step (fixture->alice, &refund_band, fixture->alice_role,
                VD_BULK_DEFAULT_SAMPLE_PERCENT, seed, outcome, &error);
  g_assert_no_error (error);
}

static VdTaskStatus
status_of (Fixture    *fixture,
           const char *queue,
           const char *task_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VdItem) item = vd_store_get_item (fixture->alice, queue, task_id, &error);

  g_assert_no_error (error);
  return vd_item_get_status (item);
}

static void
decide_on (VdStore        *store,
           const char     *task_id,
           VdDecisionKind  kind,
           const char     *reviewer)
{
  g_autoptr(VdDecision) decision = vd_decision_new ("q", task_id, kind, reviewer);
  g_autoptr(GError) error = NULL;

  if (kind == VD_DECISION_KIND_REJECT)
    vd_decision_set_feedback (decision, "wrong amount");
  if (kind == VD_DECISION_KIND_MODIFY)
    vd_decision_set_modified_content (decision, "Refund less.");
  g_assert_true (vd_store_record_decision (store, decision, &error));
  g_assert_no_error (error);
}

static GPtrArray *
events_of (VdStore    *store,
           const char *event_type)
{
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *found = g_ptr_array_new_with_free_func (g_object_unref);

  all = vd_store_list_audit (store, 1, 0, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < all->len; i++)
    if (g_str_equal (vd_audit_event_get_event_type (all->pdata[i]), event_type))
      g_ptr_array_add (found, g_object_ref (all->pdata[i]));

  return found;
}

static void
assert_verifies (VdStore *store)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (vd_store_verify_audit (store, NULL, NULL, &error));
  g_assert_no_error (error);
}

static char *
join (GPtrArray *strings)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < strings->len; i++)
    g_string_append_printf (out, "%s%s", i > 0 ? "," : "", (char *) strings->pdata[i]);

  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* The sample of the band with seed 42, in draw order. */
#define SEED_42_SAMPLE "b12,b00,b06"

static void
test_success (Fixture       *fixture,
              gconstpointer  data)
{
  g_auto(VdBulkOutcome) first = { 0, };
  g_auto(VdBulkOutcome) waiting = { 0, };
  g_auto(VdBulkOutcome) done = { 0, };
  g_autoptr(VdBulkAction) again = NULL;
  g_autoptr(GPtrArray) samples = NULL;
  g_autoptr(GPtrArray) approvals = NULL;
  g_autoptr(GPtrArray) decisions = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sample = NULL;
  g_autofree char *expected = NULL;
  guint n_sampled = 0;

  if (fixture->team.pg == NULL)
    return;

  /* 1. The sample: 10% of 30, drawn with the seed, recorded. */
  step (fixture, 42, &first);
  g_assert_cmpint (first.step, ==, VD_BULK_STEP_SAMPLED);
  g_assert_cmpint (first.action->id, ==, 1);
  sample = join (first.undecided);
  g_assert_cmpstr (sample, ==, SEED_42_SAMPLE);
  g_assert_cmpstr (first.message, ==,
                   "Bulk approve 1: 30 items in the band, 3 sampled (seed 42); decide the "
                   "sampled items one by one first, approving those that are right as they "
                   "are, then ask again");

  samples = events_of (fixture->bob, VD_AUDIT_BULK_SAMPLE);
  g_assert_cmpuint (samples->len, ==, 1);
  g_assert_cmpstr (vd_audit_event_get_actor (samples->pdata[0]), ==, fixture->alice_role);
  g_assert_cmpstr (vd_audit_event_get_payload_json (samples->pdata[0]), ==,
                   "{\"bulk_id\":1,\"band\":{\"queue\":\"q\",\"task_type\":\"refund\","
                   "\"min_confidence\":0.9,\"max_confidence\":1},\"seed\":42,"
                   "\"sample_percent\":10,\"band_size\":30,"
                   "\"sample\":[\"b12\",\"b00\",\"b06\"]}");

  /* Another reviewer's connection reads it back the same. */
  again = vd_store_get_bulk_action (fixture->bob, 1, &error);
  g_assert_no_error (error);
  g_clear_pointer (&sample, g_free);
  sample = join (again->sample);
  g_assert_cmpstr (sample, ==, SEED_42_SAMPLE);
  g_assert_cmpuint (again->members->len, ==, 30);
  for (guint i = 0; i < again->members->len; i++)
    n_sampled += g_array_index (again->members, VdBulkMember, i).sampled;
  g_assert_cmpuint (n_sampled, ==, 3);
  g_assert_cmpstr (again->created_by, ==, fixture->alice_role);

  /* 2. Asking again before deciding. */
  step (fixture, 42, &waiting);
  g_assert_cmpint (waiting.step, ==, VD_BULK_STEP_WAITING);
  g_assert_cmpstr (waiting.message, ==,
                   "Bulk approve 1 waits for 3 of its 3 sampled items: decide them first, then "
                   "ask again");

  /* 3. Every sampled item approved unmodified, by anyone: approved. */
  decide_on (fixture->bob, "b12", VD_DECISION_KIND_APPROVE, fixture->bob_role);
  decide_on (fixture->alice, "b00", VD_DECISION_KIND_APPROVE, fixture->alice_role);
  decide_on (fixture->alice, "b06", VD_DECISION_KIND_APPROVE, fixture->alice_role);
  step (fixture, 42, &done);
  g_assert_cmpint (done.step, ==, VD_BULK_STEP_APPROVED);
  g_assert_cmpuint (done.n_approved, ==, 27);
  g_assert_cmpuint (done.n_skipped, ==, 0);
  g_assert_cmpstr (done.message, ==,
                   "Bulk approve 1: all 3 sampled items were approved unmodified; approved the "
                   "other 27 items of the band");
  g_assert_cmpint (done.action->state, ==, VD_BULK_STATE_APPROVED);
  g_assert_cmpuint (done.action->n_approved, ==, 27);
  g_assert_nonnull (done.action->finished_at);
  g_assert_cmpstr (done.action->outcome, ==,
                   "approved 27 item(s) after a sample of 3; 0 left alone (decided or revised "
                   "since the sample was drawn)");

  for (guint i = 0; i < 30; i++)
    {
      g_autofree char *task_id = g_strdup_printf ("b%02u", i);

      g_assert_cmpint (status_of (fixture, "q", task_id), ==, VD_TASK_STATUS_APPROVED);
    }
  g_assert_cmpint (status_of (fixture, "q", "o1"), ==, VD_TASK_STATUS_PENDING);
  g_assert_cmpint (status_of (fixture, "q", "o2"), ==, VD_TASK_STATUS_PENDING);
  g_assert_cmpint (status_of (fixture, "q", "o3"), ==, VD_TASK_STATUS_ESCALATED);
  g_assert_cmpint (status_of (fixture, "r", "o4"), ==, VD_TASK_STATUS_PENDING);

  approvals = events_of (fixture->alice, VD_AUDIT_BULK_APPROVE);
  g_assert_cmpuint (approvals->len, ==, 27);
  g_assert_cmpstr (vd_audit_event_get_task_id (approvals->pdata[0]), ==, "b01");
  g_assert_cmpstr (vd_audit_event_get_actor (approvals->pdata[0]), ==, fixture->alice_role);

  /* The import remembered the queue's policy: its digest is stamped, as
   * on SQLite. */
  decisions = vd_store_list_decisions (fixture->bob, "q", "b01", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (decisions->len, ==, 1);
  g_assert_nonnull (vd_decision_get_policy_sha256 (decisions->pdata[0]));
  expected = g_strdup_printf ("{\"bulk_id\":1,\"decision\":\"approve\",\"revision\":0,"
                              "\"content_sha256\":"
                              "\"0acaa40c2f7511f3ed7d7a0605a230b687f3d6a78474594656b133471fa33115\","
                              "\"final_output\":\"Refund $1.\",\"policy_sha256\":\"%s\","
                              "\"app_version\":\"" PACKAGE_VERSION "\"}",
                              vd_decision_get_policy_sha256 (decisions->pdata[0]));
  g_assert_cmpstr (vd_audit_event_get_payload_json (approvals->pdata[0]), ==, expected);
  g_assert_cmpstr (vd_decision_get_reviewer_id (decisions->pdata[0]), ==, fixture->alice_role);
  g_assert_false (vd_decision_get_automatic (decisions->pdata[0]));
  g_assert_cmpstr (vd_decision_get_final_output (decisions->pdata[0]), ==, "Refund $1.");
  g_assert_cmpint (vd_decision_get_audit_seq (decisions->pdata[0]), ==,
                   vd_audit_event_get_seq (approvals->pdata[0]));
  g_assert_cmpint (vd_decision_get_bulk_id (decisions->pdata[0]), ==, 1);

  /* Finished: it cannot be finished again. */
  g_assert_false (vd_store_finish_bulk_action (fixture->alice, 1, fixture->alice_role, TRUE,
                                               NULL, NULL, NULL, &error));
  g_assert_error (error, VD_STORE_ERROR, VD_STORE_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==,
                   "Bulk approve 1 is already approved: approved 27 item(s) after a sample of "
                   "3; 0 left alone (decided or revised since the sample was drawn)");
  g_clear_error (&error);

  assert_verifies (fixture->alice);
  assert_verifies (fixture->team.admin);
}

static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  g_auto(VdBulkOutcome) first = { 0, };
  g_auto(VdBulkOutcome) cancelled = { 0, };
  g_auto(VdBulkOutcome) next = { 0, };
  g_autoptr(GPtrArray) cancels = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = NULL;
  const char *good;
  const char *bad;

  if (fixture->team.pg == NULL)
    return;

  step (fixture, 42, &first);
  good = first.undecided->pdata[0];
  bad = first.undecided->pdata[1];

  g_assert_false (vd_store_finish_bulk_action (fixture->alice, 1, fixture->alice_role, TRUE,
                                               NULL, NULL, NULL, &error));
  g_assert_error (error, VD_STORE_ERROR, VD_STORE_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==,
                   "Bulk approve 1: 3 sampled item(s) are not approved unmodified by a reviewer: "
                   "the band is not approved");
  g_clear_error (&error);

  /* Nor does anyone but the reviewer who asked. */
  g_assert_false (vd_store_finish_bulk_action (fixture->bob, 1, fixture->bob_role, FALSE, "no",
                                               NULL, NULL, &error));
  g_assert_error (error, VD_STORE_ERROR, VD_STORE_ERROR_INVALID);
  expected = g_strdup_printf ("Bulk approve 1 was asked for by %s: only %s can finish it",
                              fixture->alice_role, fixture->alice_role);
  g_assert_cmpstr (error->message, ==, expected);
  g_clear_error (&error);
  g_clear_pointer (&expected, g_free);

  /* Nor as someone else than the role logged in. */
  g_assert_false (vd_store_finish_bulk_action (fixture->bob, 1, fixture->alice_role, FALSE, "no",
                                               NULL, NULL, &error));
  g_assert_error (error, VD_STORE_ERROR, VD_STORE_ERROR_PERMISSION);
  g_clear_error (&error);

  decide_on (fixture->alice, good, VD_DECISION_KIND_APPROVE, fixture->alice_role);
  decide_on (fixture->carol, bad, VD_DECISION_KIND_REJECT, fixture->carol_role);
  step (fixture, 42, &cancelled);
  g_assert_cmpint (cancelled.step, ==, VD_BULK_STEP_CANCELLED);
  g_assert_cmpstr (cancelled.failed_task_id, ==, bad);
  expected = g_strdup_printf ("Bulk approve 1 is cancelled: sample item %s was rejected by "
                              "%s (“wrong amount”); nothing else in the band was approved",
                              bad, fixture->carol_role);
  g_assert_cmpstr (cancelled.message, ==, expected);
  g_assert_cmpint (cancelled.action->state, ==, VD_BULK_STATE_CANCELLED);

  cancels = events_of (fixture->alice, VD_AUDIT_BULK_CANCEL);
  g_assert_cmpuint (cancels->len, ==, 1);
  g_assert_cmpstr (vd_audit_event_get_actor (cancels->pdata[0]), ==, fixture->alice_role);

  /* Asking again starts over with a new sample of what is left. */
  step (fixture, 42, &next);
  g_assert_cmpint (next.step, ==, VD_BULK_STEP_SAMPLED);
  g_assert_cmpint (next.action->id, ==, 2);
  g_assert_cmpuint (next.action->members->len, ==, 28);

  assert_verifies (fixture->alice);
}

/* An item decided meanwhile, and one another reviewer has claimed, are
 * left alone. */
static void
test_skipped (Fixture       *fixture,
              gconstpointer  data)
{
  g_auto(VdBulkOutcome) first = { 0, };
  g_auto(VdBulkOutcome) done = { 0, };
  g_autoptr(GHashTable) sampled = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  g_autofree char *rejected = NULL;
  g_autofree char *claimed = NULL;

  if (fixture->team.pg == NULL)
    return;

  g_assert_true (vd_bulk_step (fixture->alice, &refund_band, fixture->alice_role, 1.0, 7,
                               &first, NULL));
  g_assert_cmpint (first.step, ==, VD_BULK_STEP_SAMPLED);
  g_assert_cmpuint (first.undecided->len, ==, 3);
  for (guint i = 0; i < first.undecided->len; i++)
    g_hash_table_add (sampled, first.undecided->pdata[i]);

  for (guint i = 0; i < 30 && claimed == NULL; i++)
    {
      g_autofree char *task_id = g_strdup_printf ("b%02u", i);

      if (g_hash_table_contains (sampled, task_id))
        continue;
      if (rejected == NULL)
        {
          decide_on (fixture->bob, task_id, VD_DECISION_KIND_REJECT, fixture->bob_role);
          rejected = g_steal_pointer (&task_id);
        }
      else
        {
          g_assert_true (vd_store_claim_item (fixture->carol,
                                              vd_test_team_item_id (&fixture->team, "q",
                                                                    task_id),
                                              fixture->carol_role, 600, NULL, &error));
          g_assert_no_error (error);
          claimed = g_steal_pointer (&task_id);
        }
    }

  for (guint i = 0; i < first.undecided->len; i++)
    decide_on (fixture->alice, first.undecided->pdata[i], VD_DECISION_KIND_APPROVE,
               fixture->alice_role);

  step (fixture, 7, &done);
  g_assert_cmpint (done.step, ==, VD_BULK_STEP_APPROVED);
  g_assert_cmpuint (done.n_approved, ==, 25);
  g_assert_cmpuint (done.n_skipped, ==, 2);
  g_assert_cmpstr (done.message, ==,
                   "Bulk approve 1: all 3 sampled items were approved unmodified; approved the "
                   "other 25 items of the band (2 left alone: decided or revised since the "
                   "sample was drawn)");
  g_assert_cmpint (status_of (fixture, "q", rejected), ==, VD_TASK_STATUS_REJECTED);
  g_assert_cmpint (status_of (fixture, "q", claimed), ==, VD_TASK_STATUS_PENDING);
  assert_verifies (fixture->alice);
}

/* Calibration */

static gboolean
collect_observation (const VdCalibrationObservation *observation,
                     gpointer                        user_data)
{
  g_string_append_printf (user_data, "%.3f %d %s %s %d %" G_GUINT64_FORMAT "\n",
                          observation->confidence, observation->approved_unchanged,
                          observation->task_type != NULL ? observation->task_type : "-",
                          observation->model != NULL ? observation->model : "-",
                          observation->still_reviewed, (guint64) observation->count);
  return TRUE;
}

static char *
calibration_of (VdStore    *store,
                const char *queue,
                const char *task_type)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (vd_store_foreach_calibration (store, queue, task_type, collect_observation,
                                               text, &error));
  g_assert_no_error (error);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static const char calibration_text[] =
  "{\"verdict_queue\": 1, \"queue\": \"c\"}\n"
  "{\"task_id\": \"c1\", \"task_type\": \"refund\", \"task_description\": \"x\", "
  "\"agent_output\": {\"content\": \"a\", \"confidence\": 0.4, \"metadata\": "
  "{\"model\": \"m-1\"}}, \"escalation_reason\": \"low_confidence\"}\n"
  "{\"task_id\": \"c2\", \"task_type\": \"refund\", \"task_description\": \"x\", "
  "\"agent_output\": {\"content\": \"b\", \"confidence\": 0.4, \"metadata\": "
  "{\"model\": \"m-1\"}}, \"escalation_reason\": \"low_confidence\"}\n"
  "{\"task_id\": \"c3\", \"task_type\": \"chat\", \"task_description\": \"x\", "
  "\"agent_output\": {\"content\": \"c\", \"confidence\": 0.7}, "
  "\"escalation_reason\": \"policy_required\"}\n"
  "{\"task_id\": \"c4\", \"task_type\": \"chat\", \"task_description\": \"x\", "
  "\"agent_output\": {\"content\": \"d\", \"confidence\": 0.2}}\n"
  "{\"task_id\": \"c5\", \"task_type\": \"refund\", \"task_description\": \"x\", "
  "\"agent_output\": {\"content\": \"e\", \"confidence\": 0.4, \"metadata\": "
  "{\"model\": \"m-2\"}}}\n"
  "{\"task_id\": \"c6\", \"task_type\": \"refund\", \"task_description\": \"x\", "
  "\"agent_output\": {\"content\": \"f\", \"confidence\": 0.9}, "
  "\"escalation_reason\": \"policy_required\"}\n";

static void
decide_calibration (VdStore    *store,
                    const char *reviewer)
{
  static const struct { const char *task_id; VdDecisionKind kind; } cases[] = {
    { "c1", VD_DECISION_KIND_APPROVE },
    { "c2", VD_DECISION_KIND_REJECT },
    { "c3", VD_DECISION_KIND_MODIFY },
    { "c4", VD_DECISION_KIND_APPROVE },
    { "c5", VD_DECISION_KIND_APPROVE },
    { "c6", VD_DECISION_KIND_APPROVE },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) decisions = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(VdDecision) decision = vd_decision_new ("c", cases[i].task_id, cases[i].kind,
                                                        reviewer);

      if (cases[i].kind == VD_DECISION_KIND_REJECT)
        vd_decision_set_feedback (decision, "wrong");
      if (cases[i].kind == VD_DECISION_KIND_MODIFY)
        vd_decision_set_modified_content (decision, "better");
      vd_store_record_decision (store, decision, &error);
      g_assert_no_error (error);
    }

  /* A retracted decision counts no more. */
  decisions = vd_store_list_decisions (store, "c", "c6", &error);
  g_assert_no_error (error);
  g_assert_true (vd_store_retract_decision (store,
                                            vd_decision_get_id (decisions->pdata[0]),
                                            reviewer, "oops", &error));
  g_assert_no_error (error);
}

/* The same decisions give the same observations as on SQLite. */
static void
test_calibration (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *dir = NULL;
  g_autofree char *db = NULL;
  g_autoptr(VdStore) sqlite = NULL;
  g_autoptr(GError) error = NULL;
  VdImportResult result = { 0, };
  static const char *filters[][2] = {
    { NULL, NULL }, { "c", NULL }, { "c", "refund" }, { NULL, "chat" }, { "q", NULL },
  };

  if (fixture->team.pg == NULL)
    return;

  dir = vd_test_make_tmp_dir ("pg-calibration");
  db = g_build_filename (dir, "verdict.db", NULL);
  sqlite = VD_STORE (vd_sqlite_store_new (db, &error));
  g_assert_no_error (error);
  vd_test_import_text (sqlite, dir, "c.jsonl", calibration_text, NULL, &result);
  vd_test_import_text (fixture->team.admin, fixture->team.dir, "c.jsonl", calibration_text,
                       NULL, &result);

  decide_calibration (sqlite, "alice");
  decide_calibration (fixture->alice, fixture->alice_role);

  for (guint i = 0; i < G_N_ELEMENTS (filters); i++)
    {
      g_autofree char *expected = calibration_of (sqlite, filters[i][0], filters[i][1]);
      g_autofree char *found = calibration_of (fixture->bob, filters[i][0], filters[i][1]);

      if (i == 0)
        g_assert_cmpstr (expected, !=, "");
      g_assert_cmpstr (found, ==, expected);
    }

  g_clear_object (&sqlite);
  vd_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  add_test ("/pg-bulk/success", test_success);
  add_test ("/pg-bulk/cancel", test_cancel);
  add_test ("/pg-bulk/skipped", test_skipped);
  add_test ("/pg-bulk/calibration", test_calibration);

  return g_test_run ();
}
