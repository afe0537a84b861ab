/* test-bulk.c: guarded bulk approve
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

#include <glib/gstdio.h>
#include <string.h>

#include "vd-core.h"
#include "vd-test-util.h"

typedef struct
{
  char    *dir;
  VdStore *store;
} Fixture;

/* The band: b00..b29 in queue q, type refund, confidence 0.900..0.987.
 * Around it: o1 too unsure, o2 another type, o3 escalated, o4 another
 * queue, all in the confidence range but o1. */
static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) text = g_string_new ("{\"verdict_queue\": 1, \"queue\": \"q\"}\n");
  g_autoptr(VdImporter) importer = NULL;
  g_autoptr(GFile) file = NULL;
  g_autofree char *db = NULL;
  g_autofree char *path = NULL;
  VdImportResult result = { 0, };

  fixture->dir = vd_test_make_tmp_dir ("bulk");
  db = g_build_filename (fixture->dir, "verdict.db", NULL);
  fixture->store = vd_test_open_store (db);

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

  path = g_build_filename (fixture->dir, "q.jsonl", NULL);
  g_file_set_contents (path, text->str, -1, &error);
  g_assert_no_error (error);
  file = g_file_new_for_path (path);
  importer = vd_importer_new (fixture->store, NULL);
  g_assert_true (vd_importer_import (importer, &file, 1, &result, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.imported, ==, 34);
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

static const VdBulkBand refund_band = { "q", "refund", 0.9, 1.0, -1 };

static void
step (Fixture       *fixture,
      guint32        seed,
      VdBulkOutcome *outcome)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (vd_bulk_step (fixture->store, &refund_band, "alice",
                               VD_BULK_DEFAULT_SAMPLE_PERCENT, seed, outcome, &error));
  g_assert_no_error (error);
}

static VdTaskStatus
status_of (Fixture    *fixture,
           const char *queue,
           const char *task_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VdItem) item = vd_store_get_item (fixture->store, queue, task_id, &error);

  g_assert_no_error (error);
  return vd_item_get_status (item);
}

static void
decide (Fixture        *fixture,
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
  g_assert_true (vd_store_record_decision (fixture->store, decision, &error));
  g_assert_no_error (error);
}

static GPtrArray *
events_of (Fixture    *fixture,
           const char *event_type)
{
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *found = g_ptr_array_new_with_free_func (g_object_unref);

  all = vd_store_list_audit (fixture->store, 1, 0, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < all->len; i++)
    if (g_str_equal (vd_audit_event_get_event_type (all->pdata[i]), event_type))
      g_ptr_array_add (found, g_object_ref (all->pdata[i]));

  return found;
}

static void
assert_verifies (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (vd_store_verify_audit (fixture->store, NULL, NULL, &error));
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

static void
test_sample_size (void)
{
  g_assert_cmpuint (vd_bulk_sample_size (30, 10.0), ==, 3);
  g_assert_cmpuint (vd_bulk_sample_size (31, 10.0), ==, 4);
  g_assert_cmpuint (vd_bulk_sample_size (100, 10.0), ==, 10);
  g_assert_cmpuint (vd_bulk_sample_size (5, 10.0), ==, 3);
  g_assert_cmpuint (vd_bulk_sample_size (2, 10.0), ==, 2);
  g_assert_cmpuint (vd_bulk_sample_size (1000, 0.5), ==, 5);
  g_assert_cmpuint (vd_bulk_sample_size (1000, 100.0), ==, 1000);

  {
    VdBulkBand band = { "q", NULL, 0.8, 1.0, VD_ESCALATION_REASON_LOW_CONFIDENCE };
    g_autofree char *a = vd_bulk_band_to_json (&band);
    g_autofree char *b = vd_bulk_band_to_json (&refund_band);

    g_assert_cmpstr (a, ==, "{\"queue\":\"q\",\"min_confidence\":0.8,\"max_confidence\":1,"
                            "\"reason\":\"low_confidence\"}");
    g_assert_cmpstr (b, ==, "{\"queue\":\"q\",\"task_type\":\"refund\",\"min_confidence\":0.9,"
                            "\"max_confidence\":1}");
  }
}

/* The sample of the band with seed 42, in draw order. */
#define SEED_42_SAMPLE "b12,b00,b06"

static void
test_success (Fixture       *fixture,
              gconstpointer  data)
{
  g_auto(VdBulkOutcome) first = { 0, };
  g_auto(VdBulkOutcome) waiting = { 0, };
  g_auto(VdBulkOutcome) still = { 0, };
  g_auto(VdBulkOutcome) done = { 0, };
  g_autoptr(VdBulkAction) stored = NULL;
  g_autoptr(GPtrArray) samples = NULL;
  g_autoptr(GPtrArray) approvals = NULL;
  g_autoptr(GPtrArray) decisions = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sample = NULL;
  guint n_sampled = 0;

  /* 1. The sample: 10% of 30, drawn with the seed, recorded. */
  step (fixture, 42, &first);
  g_assert_cmpint (first.step, ==, VD_BULK_STEP_SAMPLED);
  g_assert_cmpint (first.action->id, ==, 1);
  g_assert_cmpuint (first.action->seed, ==, 42);
  g_assert_cmpint (first.action->state, ==, VD_BULK_STATE_SAMPLING);
  sample = join (first.undecided);
  g_assert_cmpstr (sample, ==, SEED_42_SAMPLE);
  g_assert_cmpstr (first.message, ==,
                   "Bulk approve 1: 30 items in the band, 3 sampled (seed 42); decide the "
                   "sampled items one by one first, approving those that are right as they "
                   "are, then ask again");

  samples = events_of (fixture, VD_AUDIT_BULK_SAMPLE);
  g_assert_cmpuint (samples->len, ==, 1);
  g_assert_cmpstr (vd_audit_event_get_actor (samples->pdata[0]), ==, "alice");
  g_assert_cmpstr (vd_audit_event_get_queue (samples->pdata[0]), ==, "q");
  g_assert_cmpstr (vd_audit_event_get_payload_json (samples->pdata[0]), ==,
                   "{\"bulk_id\":1,\"band\":{\"queue\":\"q\",\"task_type\":\"refund\","
                   "\"min_confidence\":0.9,\"max_confidence\":1},\"seed\":42,"
                   "\"sample_percent\":10,\"band_size\":30,"
                   "\"sample\":[\"b12\",\"b00\",\"b06\"]}");

  /* The same seed on the same band draws the same sample. */
  {
    g_autoptr(VdBulkAction) again = vd_store_get_bulk_action (fixture->store, 1, &error);
    g_autofree char *text = NULL;

    g_assert_no_error (error);
    text = join (again->sample);
    g_assert_cmpstr (text, ==, SEED_42_SAMPLE);
    g_assert_cmpuint (again->members->len, ==, 30);
    for (guint i = 0; i < again->members->len; i++)
      n_sampled += g_array_index (again->members, VdBulkMember, i).sampled;
    g_assert_cmpuint (n_sampled, ==, 3);
    g_assert_cmpstr (again->band_json, ==, "{\"queue\":\"q\",\"task_type\":\"refund\","
                                           "\"min_confidence\":0.9,\"max_confidence\":1}");
  }

  /* 2. Asking again before deciding: which ones are still to decide. */
  step (fixture, 42, &waiting);
  g_assert_cmpint (waiting.step, ==, VD_BULK_STEP_WAITING);
  g_assert_cmpstr (waiting.message, ==,
                   "Bulk approve 1 waits for 3 of its 3 sampled items: decide them first, then "
                   "ask again");
  g_assert_cmpuint (waiting.undecided->len, ==, 3);

  decide (fixture, "b12", VD_DECISION_KIND_APPROVE, "bob");
  step (fixture, 42, &still);
  g_assert_cmpint (still.step, ==, VD_BULK_STEP_WAITING);
  {
    g_autofree char *text = join (still.undecided);

    g_assert_cmpstr (text, ==, "b00,b06");
  }

  /* 3. Every sampled item approved unmodified: the band is approved. */
  decide (fixture, "b00", VD_DECISION_KIND_APPROVE, "alice");
  decide (fixture, "b06", VD_DECISION_KIND_APPROVE, "alice");
  step (fixture, 42, &done);
  g_assert_cmpint (done.step, ==, VD_BULK_STEP_APPROVED);
  g_assert_cmpuint (done.n_approved, ==, 27);
  g_assert_cmpuint (done.n_skipped, ==, 0);
  g_assert_cmpuint (done.undecided->len, ==, 0);
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

  /* The audit trail: one bulk_approve per item, each naming the action. */
  approvals = events_of (fixture, VD_AUDIT_BULK_APPROVE);
  g_assert_cmpuint (approvals->len, ==, 27);
  g_assert_cmpstr (vd_audit_event_get_task_id (approvals->pdata[0]), ==, "b01");
  g_assert_cmpstr (vd_audit_event_get_actor (approvals->pdata[0]), ==, "alice");
  g_assert_cmpstr (vd_audit_event_get_payload_json (approvals->pdata[0]), ==,
                   "{\"bulk_id\":1,\"decision\":\"approve\",\"revision\":0,\"content_sha256\":"
                   "\"0acaa40c2f7511f3ed7d7a0605a230b687f3d6a78474594656b133471fa33115\","
                   "\"final_output\":\"Refund $1.\",\"app_version\":\"" PACKAGE_VERSION "\"}");
  for (guint i = 0; i < approvals->len; i++)
    {
      g_autoptr(JsonObject) payload = vd_audit_event_dup_payload (approvals->pdata[i]);

      g_assert_cmpint (json_object_get_int_member (payload, "bulk_id"), ==, 1);
    }

  decisions = vd_store_list_decisions (fixture->store, "q", "b01", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (decisions->len, ==, 1);
  g_assert_cmpstr (vd_decision_get_reviewer_id (decisions->pdata[0]), ==, "alice");
  g_assert_false (vd_decision_get_automatic (decisions->pdata[0]));
  g_assert_cmpstr (vd_decision_get_final_output (decisions->pdata[0]), ==, "Refund $1.");
  g_assert_cmpint (vd_decision_get_audit_seq (decisions->pdata[0]), ==,
                   vd_audit_event_get_seq (approvals->pdata[0]));
  g_assert_cmpint (vd_decision_get_bulk_id (decisions->pdata[0]), ==, 1);

  /* The decisions export links the decision to its bulk approve. */
  {
    g_autoptr(VdExporter) exporter = vd_exporter_new (fixture->store);
    g_autoptr(GOutputStream) stream = g_memory_output_stream_new_resizable ();
    g_autofree char *text = NULL;

    g_assert_true (vd_exporter_write (exporter, VD_EXPORT_DECISIONS, stream, "-", NULL, NULL,
                                      &error));
    g_assert_no_error (error);
    g_assert_true (g_output_stream_close (stream, NULL, NULL));
    text = g_strndup (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (stream)),
                      g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (stream)));
    g_assert_nonnull (strstr (text, "\"task_id\":\"b01\",\"decision\":\"approve\""));
    g_assert_nonnull (strstr (text, "\"final_output\":\"Refund $1.\",\"bulk_id\":1,"
                                    "\"app_version\":"));
  }

  stored = vd_store_get_bulk_action (fixture->store, 1, &error);
  g_assert_cmpint (stored->state, ==, VD_BULK_STATE_APPROVED);

  /* Finished: it cannot be finished again; the band is empty now. */
  g_assert_false (vd_store_finish_bulk_action (fixture->store, 1, "alice", TRUE, NULL, NULL,
                                               NULL, &error));
  g_assert_error (error, VD_STORE_ERROR, VD_STORE_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==,
                   "Bulk approve 1 is already approved: approved 27 item(s) after a sample of "
                   "3; 0 left alone (decided or revised since the sample was drawn)");
  g_clear_error (&error);
  {
    g_auto(VdBulkOutcome) empty = { 0, };

    g_assert_false (vd_bulk_step (fixture->store, &refund_band, "alice", 10.0, 42, &empty,
                                  &error));
    g_assert_error (error, VD_BULK_ERROR, VD_BULK_ERROR_EMPTY);
    g_assert_cmpstr (error->message, ==,
                     "No pending item in queue q matches the band {\"queue\":\"q\","
                     "\"task_type\":\"refund\",\"min_confidence\":0.9,\"max_confidence\":1}: "
                     "nothing to approve");
  }

  assert_verifies (fixture);
}

static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  g_auto(VdBulkOutcome) first = { 0, };
  g_auto(VdBulkOutcome) cancelled = { 0, };
  g_auto(VdBulkOutcome) next = { 0, };
  g_autoptr(GPtrArray) cancels = NULL;
  g_autoptr(GPtrArray) approvals = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = NULL;
  const char *good;
  const char *bad;
  guint n_pending = 0;

  step (fixture, 42, &first);
  good = first.undecided->pdata[0];
  bad = first.undecided->pdata[1];

  /* The store itself refuses to approve while the sample does not vouch
   * for the band. */
  g_assert_false (vd_store_finish_bulk_action (fixture->store, 1, "alice", TRUE, NULL, NULL,
                                               NULL, &error));
  g_assert_error (error, VD_STORE_ERROR, VD_STORE_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==,
                   "Bulk approve 1: 3 sampled item(s) are not approved unmodified by a reviewer: "
                   "the band is not approved");
  g_clear_error (&error);

  /* Nor does anyone but the reviewer who asked. */
  g_assert_false (vd_store_finish_bulk_action (fixture->store, 1, "bob", FALSE, "no", NULL,
                                               NULL, &error));
  g_assert_error (error, VD_STORE_ERROR, VD_STORE_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==,
                   "Bulk approve 1 was asked for by alice: only alice can finish it");
  g_clear_error (&error);

  /* One rejected sample item cancels it, though another is undecided. */
  decide (fixture, good, VD_DECISION_KIND_APPROVE, "alice");
  decide (fixture, bad, VD_DECISION_KIND_REJECT, "carol");
  step (fixture, 42, &cancelled);
  g_assert_cmpint (cancelled.step, ==, VD_BULK_STEP_CANCELLED);
  g_assert_cmpstr (cancelled.failed_task_id, ==, bad);
  expected = g_strdup_printf ("Bulk approve 1 is cancelled: sample item %s was rejected by "
                              "carol (“wrong amount”); nothing else in the band was approved",
                              bad);
  g_assert_cmpstr (cancelled.message, ==, expected);
  g_assert_cmpint (cancelled.action->state, ==, VD_BULK_STATE_CANCELLED);
  g_assert_cmpstr (cancelled.action->outcome, ==, expected);

  /* Nothing else was approved; the trail says why it stopped. */
  for (guint i = 0; i < 30; i++)
    {
      g_autofree char *task_id = g_strdup_printf ("b%02u", i);

      n_pending += status_of (fixture, "q", task_id) == VD_TASK_STATUS_PENDING;
    }
  g_assert_cmpuint (n_pending, ==, 28);
  approvals = events_of (fixture, VD_AUDIT_BULK_APPROVE);
  g_assert_cmpuint (approvals->len, ==, 0);
  cancels = events_of (fixture, VD_AUDIT_BULK_CANCEL);
  g_assert_cmpuint (cancels->len, ==, 1);
  g_assert_cmpstr (vd_audit_event_get_actor (cancels->pdata[0]), ==, "alice");
  {
    g_autoptr(JsonObject) payload = vd_audit_event_dup_payload (cancels->pdata[0]);

    g_assert_cmpint (json_object_get_int_member (payload, "bulk_id"), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (payload, "outcome"), ==, expected);
  }

  /* Asking again starts over with a new sample of what is left. */
  step (fixture, 42, &next);
  g_assert_cmpint (next.step, ==, VD_BULK_STEP_SAMPLED);
  g_assert_cmpint (next.action->id, ==, 2);
  g_assert_cmpuint (next.action->members->len, ==, 28);

  assert_verifies (fixture);
}

static void
test_other_failures (Fixture       *fixture,
                     gconstpointer  data)
{
  static const struct { VdDecisionKind kind; const char *said; } cases[] = {
    { VD_DECISION_KIND_MODIFY, "was modified by alice: its output was not right as it was" },
    { VD_DECISION_KIND_ESCALATE_FURTHER, "was escalated further by alice" },
  };

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_auto(VdBulkOutcome) first = { 0, };
      g_auto(VdBulkOutcome) cancelled = { 0, };
      g_autofree char *expected = NULL;

      step (fixture, 100 + c, &first);
      g_assert_cmpint (first.step, ==, VD_BULK_STEP_SAMPLED);
      decide (fixture, first.undecided->pdata[0], cases[c].kind, "alice");
      step (fixture, 100 + c, &cancelled);
      g_assert_cmpint (cancelled.step, ==, VD_BULK_STEP_CANCELLED);
      expected = g_strdup_printf ("Bulk approve %" G_GINT64_FORMAT " is cancelled: sample item "
                                  "%s %s; nothing else in the band was approved",
                                  first.action->id, (char *) first.undecided->pdata[0],
                                  cases[c].said);
      g_assert_cmpstr (cancelled.message, ==, expected);
    }
}

static void
test_skipped (Fixture       *fixture,
              gconstpointer  data)
{
  g_auto(VdBulkOutcome) first = { 0, };
  g_auto(VdBulkOutcome) done = { 0, };
  g_autoptr(GHashTable) sampled = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *outside = NULL;

  /* Seed 7, and a whole-band percentage below the minimum: 3 items. */
  g_assert_true (vd_bulk_step (fixture->store, &refund_band, " alice ", 1.0, 7, &first, NULL));
  g_assert_cmpint (first.step, ==, VD_BULK_STEP_SAMPLED);
  g_assert_cmpuint (first.undecided->len, ==, 3);
  g_assert_cmpstr (first.action->created_by, ==, "alice");
  for (guint i = 0; i < first.undecided->len; i++)
    g_hash_table_add (sampled, first.undecided->pdata[i]);

  /* Meanwhile a reviewer rejects an item of the band outside the sample. */
  for (guint i = 0; i < 30 && outside == NULL; i++)
    {
      g_autofree char *task_id = g_strdup_printf ("b%02u", i);

      if (!g_hash_table_contains (sampled, task_id))
        {
          decide (fixture, task_id, VD_DECISION_KIND_REJECT, "bob");
          outside = g_steal_pointer (&task_id);
        }
    }

  for (guint i = 0; i < first.undecided->len; i++)
    decide (fixture, first.undecided->pdata[i], VD_DECISION_KIND_APPROVE, "alice");

  step (fixture, 7, &done);
  g_assert_cmpint (done.step, ==, VD_BULK_STEP_APPROVED);
  g_assert_cmpuint (done.n_approved, ==, 26);
  g_assert_cmpuint (done.n_skipped, ==, 1);
  g_assert_cmpstr (done.message, ==,
                   "Bulk approve 1: all 3 sampled items were approved unmodified; approved the "
                   "other 26 items of the band (1 left alone: decided or revised since the "
                   "sample was drawn)");
  g_assert_cmpint (status_of (fixture, "q", outside), ==, VD_TASK_STATUS_REJECTED);
  assert_verifies (fixture);
}

static void
test_invalid (Fixture       *fixture,
              gconstpointer  data)
{
  static const struct {
    VdBulkBand  band;
    const char *reviewer;
    double      percent;
    const char *message;
  } cases[] = {
    { { "q", NULL, 0.95, 0.9, -1 }, "alice", 10.0,
      "The lowest confidence 0.95 is above the highest 0.9" },
    { { "q", NULL, -0.1, 0.9, -1 }, "alice", 10.0,
      "The confidence range must lie within 0 to 1" },
    { { "", NULL, 0.5, 0.9, -1 }, "alice", 10.0, "A bulk approve needs a queue" },
    { { "q", NULL, 0.5, 0.9, -1 }, "alice", 0.0,
      "The sample must be more than 0% and at most 100% of the band, not 0%" },
    { { "q", NULL, 0.5, 0.9, -1 }, "alice", 150.0,
      "The sample must be more than 0% and at most 100% of the band, not 150%" },
    { { "q", NULL, 0.5, 0.9, -1 }, "  ", 10.0, "A bulk approve needs a reviewer id" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(VdBulkOutcome) outcome = { 0, };
      g_autoptr(GError) error = NULL;

      g_assert_false (vd_bulk_step (fixture->store, &cases[i].band, cases[i].reviewer,
                                    cases[i].percent, 1, &outcome, &error));
      g_assert_error (error, VD_BULK_ERROR, VD_BULK_ERROR_INVALID);
      g_assert_cmpstr (error->message, ==, cases[i].message);
      g_assert_null (outcome.action);
    }

  /* A reason narrows the band: none of them is low_confidence. */
  {
    VdBulkBand band = { "q", NULL, 0.0, 1.0, VD_ESCALATION_REASON_LOW_CONFIDENCE };
    g_auto(VdBulkOutcome) outcome = { 0, };
    g_autoptr(GError) error = NULL;

    g_assert_false (vd_bulk_step (fixture->store, &band, "alice", 10.0, 1, &outcome, &error));
    g_assert_error (error, VD_BULK_ERROR, VD_BULK_ERROR_EMPTY);
  }
}

static void
on_step (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static void
test_async (Fixture       *fixture,
            gconstpointer  data)
{
  g_auto(VdBulkOutcome) outcome = { 0, };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sample = NULL;
  VdBulkBand band = refund_band;
  GAsyncResult *slot = NULL;

  vd_bulk_step_async (fixture->store, &band, "alice", 10.0, 42, NULL, on_step, &slot);
  /* The band is copied: changing it now changes nothing. */
  band.queue = "r";
  while (slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  result = g_steal_pointer (&slot);
  g_assert_true (vd_bulk_step_finish (fixture->store, result, &outcome, &error));
  g_assert_no_error (error);
  g_assert_cmpint (outcome.step, ==, VD_BULK_STEP_SAMPLED);
  sample = join (outcome.undecided);
  g_assert_cmpstr (sample, ==, SEED_42_SAMPLE);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/bulk/sample-size", test_sample_size);
  add_test ("/bulk/success", test_success);
  add_test ("/bulk/cancel", test_cancel);
  add_test ("/bulk/other-failures", test_other_failures);
  add_test ("/bulk/skipped", test_skipped);
  add_test ("/bulk/invalid", test_invalid);
  add_test ("/bulk/async", test_async);

  return g_test_run ();
}
