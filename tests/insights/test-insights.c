/* test-insights.c: the statistics page's figures, through a real store
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

#include <sqlite3.h>
#include <string.h>

#include "vd-core.h"
#include "vd-test-util.h"

typedef VdTestStore Fixture;

#define EPSILON 1e-9

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  vd_test_store_set_up (fixture, "insights");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  vd_test_store_tear_down (fixture);
}

static void
import_text (Fixture    *fixture,
             const char *text)
{
  vd_test_import_text (fixture->store, fixture->dir, "q.jsonl", text, NULL, NULL);
}

/* One queued item line. */
static void
add_item (GString    *text,
          const char *queue,
          const char *task_id,
          const char *task_type,
          double      confidence,
          const char *reason,
          const char *extra)
{
  g_string_append_printf (text,
                          "{\"queue\": \"%s\", \"task_id\": \"%s\", \"task_type\": \"%s\", "
                          "\"task_description\": \"Do %s\", \"agent_output\": "
                          "{\"content\": \"Output of %s\", \"confidence\": %.2f%s}, "
                          "\"escalation_reason\": \"%s\"%s}\n",
                          queue, task_id, task_type, task_id, task_id, confidence,
                          extra != NULL && g_str_has_prefix (extra, ", \"metadata\"") ? extra : "",
                          reason,
                          extra != NULL && !g_str_has_prefix (extra, ", \"metadata\"") ? extra : "");
}

static VdDecision *
decide_full (Fixture        *fixture,
             const char     *queue,
             const char     *task_id,
             VdDecisionKind  kind,
             const char     *reviewer,
             gint64          timestamp_usec,
             gint64          duration_ms,
             VdHelpful       helpful,
             const char     *category)
{
  g_autoptr(VdDecision) decision = vd_decision_new (queue, task_id, kind, reviewer);
  g_autoptr(VdItem) item = NULL;
  g_autoptr(GError) error = NULL;

  item = vd_store_get_item (fixture->store, queue, task_id, &error);
  g_assert_no_error (error);
  vd_decision_set_revision (decision, vd_item_get_revision (item));
  if (timestamp_usec != 0)
    {
      g_autoptr(GDateTime) when = vd_timestamp_from_usec (timestamp_usec);

      vd_decision_set_timestamp (decision, when);
    }
  vd_decision_set_duration_ms (decision, duration_ms);
  if (kind == VD_DECISION_KIND_REJECT)
    vd_decision_set_feedback (decision, "Not right");
  if (kind == VD_DECISION_KIND_MODIFY)
    vd_decision_set_modified_content (decision, "Better output");
  vd_decision_set_helpful (decision, helpful);
  vd_decision_set_category (decision, category);

  g_assert_true (vd_store_record_decision (fixture->store, decision, &error));
  g_assert_no_error (error);

  return g_steal_pointer (&decision);
}

static void
decide (Fixture        *fixture,
        const char     *queue,
        const char     *task_id,
        VdDecisionKind  kind,
        const char     *reviewer,
        gint64          timestamp_usec,
        gint64          duration_ms)
{
  g_autoptr(VdDecision) decision = decide_full (fixture, queue, task_id, kind, reviewer,
                                                timestamp_usec, duration_ms,
                                                VD_HELPFUL_UNSET, NULL);
}

static VdInsights *
compute (Fixture         *fixture,
         VdInsightsQuery *query)
{
  g_autoptr(GError) error = NULL;
  VdInsights *insights = vd_insights_compute (fixture->store, query, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (insights);
  return insights;
}

#define T0 ((gint64) 1772366400 * G_USEC_PER_SEC)  /* 2026-03-01T12:00:00Z */

/* alice: ten fast approvals (1 s each), a slow rejection of a known-answer
 * check that expects it, a slow approval; bob: an approval and a rejection,
 * the approval on a check that expected a rejection. */
static void
test_reviewers (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GString) text = g_string_new ("{\"verdict_queue\": 1, \"queue\": \"q\"}\n");
  g_autoptr(VdInsights) insights = NULL;
  g_autoptr(GDateTime) now = NULL;
  const VdInsightsReviewer *alice;
  const VdInsightsReviewer *bob;
  const VdFatigueSession *session;
  VdInsightsQuery query;

  for (guint i = 0; i < 12; i++)
    {
      g_autofree char *id = g_strdup_printf ("a%02u", i);

      add_item (text, "q", id, "payment", 0.5, "low_confidence",
                i == 10 ? ", \"check\": {\"expected\": \"reject\"}" : NULL);
    }
  add_item (text, "q", "b00", "payment", 0.5, "low_confidence",
            ", \"check\": {\"expected\": \"reject\"}");
  add_item (text, "q", "b01", "payment", 0.5, "low_confidence", NULL);
  /* Approved by the policy: no reviewer's decision. */
  g_string_append (text, "{\"task_id\": \"auto\", \"task_description\": \"x\", "
                         "\"agent_output\": {\"content\": \"x\", \"confidence\": 0.99}}\n");
  import_text (fixture, text->str);

  for (guint i = 0; i < 10; i++)
    {
      g_autofree char *id = g_strdup_printf ("a%02u", i);

      decide (fixture, "q", id, VD_DECISION_KIND_APPROVE, "alice",
              T0 + i * 10 * G_USEC_PER_SEC, 1000);
    }
  decide (fixture, "q", "a10", VD_DECISION_KIND_REJECT, "alice", T0 + 100 * G_USEC_PER_SEC,
          20000);
  decide (fixture, "q", "a11", VD_DECISION_KIND_APPROVE, "alice", T0 + 110 * G_USEC_PER_SEC,
          5000);
  decide (fixture, "q", "b00", VD_DECISION_KIND_APPROVE, "bob", T0, 8000);
  decide (fixture, "q", "b01", VD_DECISION_KIND_REJECT, "bob", T0 + G_USEC_PER_SEC, 9000);

  now = vd_timestamp_from_usec (T0 + 170 * G_USEC_PER_SEC);
  vd_insights_query_init (&query);
  query.now = now;
  insights = compute (fixture, &query);

  g_assert_cmpuint (insights->reviewers->len, ==, 2);
  alice = g_ptr_array_index (insights->reviewers, 0);
  bob = g_ptr_array_index (insights->reviewers, 1);
  g_assert_cmpstr (alice->reviewer_id, ==, "alice");
  g_assert_cmpstr (bob->reviewer_id, ==, "bob");
  g_assert_true (vd_insights_find_reviewer (insights, "bob") == bob);
  g_assert_null (vd_insights_find_reviewer (insights, "policy"));

  g_assert_cmpuint (alice->report->decisions, ==, 12);
  g_assert_cmpuint (alice->report->approvals, ==, 11);
  g_assert_cmpfloat_with_epsilon (alice->report->approval_rate, 11.0 / 12.0, EPSILON);
  /* 12 of 14 decisions of the team were approvals. */
  g_assert_cmpfloat_with_epsilon (alice->report->team_approval_rate, 12.0 / 14.0, EPSILON);
  /* Durations sorted: ten of 1000, 5000, 20000: ranks 6 and 2. */
  g_assert_cmpint (alice->report->median_ms, ==, 1000);
  g_assert_cmpint (alice->report->p10_ms, ==, 1000);
  g_assert_cmpfloat_with_epsilon (alice->report->fast_limit_ms, 3000.0, EPSILON);
  g_assert_cmpuint (alice->report->checks_seen, ==, 1);
  g_assert_cmpuint (alice->report->checks_agreed, ==, 1);
  g_assert_cmpuint (alice->report->sessions->len, ==, 1);
  session = &g_array_index (alice->report->sessions, VdFatigueSession, 0);
  g_assert_cmpuint (session->longest_fast_streak, ==, 10);
  g_assert_true (session->fast_streak_signal);
  g_assert_false (alice->report->on_break);
  g_assert_cmpint (alice->report->time_since_break_usec, ==, 170 * G_USEC_PER_SEC);
  /* The last approval took 5 s: the run of fast ones ended. */
  g_assert_cmpuint (alice->report->current_fast_streak, ==, 0);
  g_assert_false (alice->report->fast_streak_signal);
  g_assert_false (alice->report->no_pause_signal);

  g_assert_cmpuint (bob->report->decisions, ==, 2);
  g_assert_cmpuint (bob->report->approvals, ==, 1);
  g_assert_cmpuint (bob->report->checks_seen, ==, 1);
  g_assert_cmpuint (bob->report->checks_agreed, ==, 0);
  g_assert_cmpint (bob->report->median_ms, ==, 8000);

  /* --since drops alice's first ten and bob's. */
  g_clear_pointer (&insights, vd_insights_free);
  {
    g_autoptr(GDateTime) since = vd_timestamp_from_usec (T0 + 100 * G_USEC_PER_SEC);

    query.since = since;
    insights = compute (fixture, &query);
  }
  g_assert_cmpuint (insights->reviewers->len, ==, 1);
  alice = g_ptr_array_index (insights->reviewers, 0);
  g_assert_cmpuint (alice->report->decisions, ==, 2);
  g_assert_cmpfloat_with_epsilon (alice->report->team_approval_rate, 0.5, EPSILON);
}

/* The fast-approval signal on a run that is still going. */
static void
test_fast_streak_signal (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GString) text = g_string_new ("{\"verdict_queue\": 1, \"queue\": \"q\"}\n");
  g_autoptr(VdInsights) insights = NULL;
  g_autoptr(GDateTime) now = NULL;
  const VdInsightsReviewer *carol;
  VdInsightsQuery query;

  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *id = g_strdup_printf ("c%02u", i);

      add_item (text, "q", id, "payment", 0.5, "low_confidence", NULL);
    }
  import_text (fixture, text->str);

  decide (fixture, "q", "c00", VD_DECISION_KIND_APPROVE, "carol", T0, 12000);
  for (guint i = 1; i < 4; i++)
    {
      g_autofree char *id = g_strdup_printf ("c%02u", i);

      /* 2 s: over a quarter of the median (12 s / 4 = 3 s is the limit). */
      decide (fixture, "q", id, VD_DECISION_KIND_APPROVE, "carol",
              T0 + i * 5 * G_USEC_PER_SEC, 2000);
    }

  now = vd_timestamp_from_usec (T0 + 20 * G_USEC_PER_SEC);
  vd_insights_query_init (&query);
  query.now = now;
  query.fatigue.fast_streak_signal = 3;
  insights = compute (fixture, &query);

  carol = vd_insights_find_reviewer (insights, "carol");
  g_assert_nonnull (carol);
  g_assert_cmpint (carol->report->median_ms, ==, 2000);
  g_assert_cmpuint (carol->report->current_fast_streak, ==, 3);
  g_assert_true (carol->report->fast_streak_signal);
}

/* The feedback summary and improvement areas through the store, with the
 * reference's edge cases. */
static void
test_feedback (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GString) text = g_string_new ("{\"verdict_queue\": 1, \"queue\": \"q\"}\n");
  g_autoptr(VdInsights) insights = NULL;
  g_autoptr(VdDecision) retracted = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) json = NULL;
  g_autofree char *json_text = NULL;
  const VdFeedbackSummary *summary;
  VdAuditEvent *event;
  VdInsightsQuery query;
  gint64 id = 0;
  static const struct {
    const char *category;
    VdHelpful   helpful;
  } records[] = {
    /* Exactly 3 records, 1 helpful: an area. */
    { "accuracy", VD_HELPFUL_NO },
    { "accuracy", VD_HELPFUL_YES },
    { "accuracy", VD_HELPFUL_NO },
    /* Exactly 50 %: not an area. */
    { "tone", VD_HELPFUL_NO },
    { "tone", VD_HELPFUL_YES },
    { "tone", VD_HELPFUL_YES },
    { "tone", VD_HELPFUL_NO },
    /* Two records, none helpful: too few. */
    { "format", VD_HELPFUL_NO },
    { "format", VD_HELPFUL_NO },
    /* No category: the empty one. */
    { NULL, VD_HELPFUL_YES },
  };

  for (guint i = 0; i < G_N_ELEMENTS (records) + 2; i++)
    {
      g_autofree char *task = g_strdup_printf ("f%02u", i);

      add_item (text, "q", task, "payment", 0.5, "low_confidence", NULL);
    }
  import_text (fixture, text->str);

  /* No records at all. */
  vd_insights_query_init (&query);
  insights = compute (fixture, &query);
  g_assert_cmpuint (insights->feedback->total_feedback, ==, 0);
  g_assert_cmpuint (insights->feedback->helpful_count, ==, 0);
  g_assert_cmpfloat (insights->feedback->helpful_rate, ==, 0.0);
  g_assert_cmpuint (insights->feedback->categories->len, ==, 0);
  g_assert_cmpuint (insights->feedback->improvement_suggestions, ==, 0);
  g_assert_cmpuint (g_strv_length (insights->improvement_areas), ==, 0);
  g_clear_pointer (&insights, vd_insights_free);

  for (guint i = 0; i < G_N_ELEMENTS (records); i++)
    {
      g_autofree char *task = g_strdup_printf ("f%02u", i);
      g_autoptr(VdDecision) decision = NULL;

      decision = decide_full (fixture, "q", task,
                              i % 2 == 0 ? VD_DECISION_KIND_APPROVE : VD_DECISION_KIND_REJECT,
                              "alice", 0, 1000, records[i].helpful, records[i].category);
    }
  /* A decision without a judgement is no record. */
  decide (fixture, "q", "f10", VD_DECISION_KIND_APPROVE, "alice", 0, 1000);
  /* A retracted judgement no longer counts. */
  retracted = decide_full (fixture, "q", "f11", VD_DECISION_KIND_APPROVE, "alice", 0, 1000,
                           VD_HELPFUL_NO, "accuracy");
  g_assert_true (vd_store_retract_decision (fixture->store, vd_decision_get_id (retracted),
                                            "alice", "misclick", &error));
  g_assert_no_error (error);

  g_assert_true (vd_store_add_suggestion (fixture->store, "Cite the contract", "bob", "q",
                                          "f00", &id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (id, ==, 1);
  g_assert_true (vd_store_add_suggestion (fixture->store, "Shorter answers", "bob", NULL, NULL,
                                          &id, &error));
  g_assert_cmpint (id, ==, 2);
  g_assert_false (vd_store_add_suggestion (fixture->store, "  ", "bob", NULL, NULL, NULL,
                                           &error));
  g_assert_error (error, VD_STORE_ERROR, VD_STORE_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==,
                   "An improvement suggestion needs text: say what the agent should do better");
  g_clear_error (&error);

  /* The suggestion is audited. */
  events = vd_store_list_audit (fixture->store, 0, 0, &error);
  g_assert_no_error (error);
  event = g_ptr_array_index (events, events->len - 1);
  g_assert_cmpstr (vd_audit_event_get_event_type (event), ==, VD_AUDIT_FEEDBACK_SUGGESTION);
  g_assert_cmpstr (vd_audit_event_get_actor (event), ==, "bob");
  g_assert_cmpstr (vd_audit_event_get_payload_json (event), ==, "{\"text\":\"Shorter answers\"}");

  insights = compute (fixture, &query);
  summary = insights->feedback;
  g_assert_cmpuint (summary->total_feedback, ==, 10);
  g_assert_cmpuint (summary->helpful_count, ==, 4);
  g_assert_cmpfloat_with_epsilon (summary->helpful_rate, 0.4, EPSILON);
  g_assert_cmpuint (summary->improvement_suggestions, ==, 2);
  g_assert_cmpuint (summary->categories->len, ==, 4);
  g_assert_cmpstr (g_array_index (summary->categories, VdFeedbackCategory, 0).name, ==,
                   "accuracy");
  g_assert_cmpuint (g_array_index (summary->categories, VdFeedbackCategory, 0).count, ==, 3);
  g_assert_cmpuint (g_array_index (summary->categories, VdFeedbackCategory, 0).helpful, ==, 1);
  g_assert_cmpstr (g_array_index (summary->categories, VdFeedbackCategory, 1).name, ==, "tone");
  g_assert_cmpuint (g_array_index (summary->categories, VdFeedbackCategory, 1).count, ==, 4);
  g_assert_cmpstr (g_array_index (summary->categories, VdFeedbackCategory, 2).name, ==,
                   "format");
  g_assert_cmpstr (g_array_index (summary->categories, VdFeedbackCategory, 3).name, ==, "");
  g_assert_cmpuint (g_strv_length (insights->improvement_areas), ==, 1);
  g_assert_cmpstr (insights->improvement_areas[0], ==, "accuracy: 33% helpful");

  json = vd_feedback_summary_to_json (summary);
  json_text = json_to_string (json, FALSE);
  g_assert_cmpstr (json_text, ==,
                   "{\"total_feedback\":10,\"helpful_count\":4,\"helpful_rate\":0.40000000000000002,"
                   "\"categories\":{\"accuracy\":3,\"tone\":4,\"format\":2,\"\":1},"
                   "\"improvement_suggestions\":2}");

  /* The decision's judgement is in its audit payload and reads back. */
  {
    g_autoptr(GPtrArray) decisions = vd_store_list_decisions (fixture->store, "q", "f00",
                                                              &error);
    VdDecision *first;

    g_assert_no_error (error);
    first = g_ptr_array_index (decisions, 0);
    g_assert_cmpint (vd_decision_get_helpful (first), ==, VD_HELPFUL_NO);
    g_assert_cmpstr (vd_decision_get_category (first), ==, "accuracy");
  }
  g_clear_pointer (&events, g_ptr_array_unref);
  events = vd_store_list_audit (fixture->store, 0, 0, &error);
  for (guint i = 0; i < events->len; i++)
    {
      event = g_ptr_array_index (events, i);
      if (g_str_equal (vd_audit_event_get_event_type (event), VD_AUDIT_DECISION) &&
          g_str_equal (vd_audit_event_get_task_id (event), "f00"))
        {
          g_assert_nonnull (strstr (vd_audit_event_get_payload_json (event),
                                    "\"helpful\":\"no\",\"category\":\"accuracy\""));
          break;
        }
    }
  g_assert_true (vd_store_verify_audit (fixture->store, NULL, NULL, &error));
  g_assert_no_error (error);

  /* The decisions export carries the judgement, only where one was given. */
  {
    g_autoptr(VdExporter) exporter = vd_exporter_new (fixture->store);
    g_autoptr(GOutputStream) stream = g_memory_output_stream_new_resizable ();
    g_autofree char *export_text = NULL;

    g_assert_true (vd_exporter_write (exporter, VD_EXPORT_DECISIONS, stream, "-", NULL, NULL,
                                      &error));
    g_assert_no_error (error);
    g_assert_true (g_output_stream_close (stream, NULL, NULL));
    export_text = g_strndup (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (stream)),
                             g_memory_output_stream_get_data_size (
                               G_MEMORY_OUTPUT_STREAM (stream)));
    g_assert_nonnull (strstr (export_text, "\"task_id\":\"f00\",\"decision\":\"approve\""));
    g_assert_nonnull (strstr (export_text, "\"final_output\":\"Output of f00\","
                                           "\"helpful\":false,\"category\":\"accuracy\","));
    g_assert_nonnull (strstr (export_text, "\"final_output\":\"Output of f10\","));
    g_assert_null (strstr (export_text, "\"final_output\":\"Output of f10\",\"helpful\""));
  }
}

/* A synthetic history whose calibration figures are known:
 *   0.95 x4, all approved unchanged (one escalated by a policy rule)
 *   0.85 x4, three approved, one modified
 *   0.35 x2, one approved, one rejected
 * ECE = 0.4 * 0.05 + 0.4 * 0.10 + 0.2 * 0.15 = 0.09;
 * Brier = (4 * 0.0025 + 3 * 0.0225 + 0.7225 + 0.4225 + 0.1225) / 10 = 0.1345. */
static void
test_calibration (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GString) text = g_string_new ("{\"verdict_queue\": 1, \"queue\": \"q\"}\n");
  g_autoptr(VdInsights) insights = NULL;
  g_autoptr(VdCalibration) revised = NULL;
  g_autoptr(GError) error = NULL;
  const VdCalibrationGroup *overall;
  const VdCalibrationGroup *group;
  VdInsightsQuery query;

  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *id = g_strdup_printf ("hi%u", i);

      add_item (text, "q", id, "payment", 0.95,
                i == 0 ? "policy_required" : "low_confidence",
                ", \"metadata\": {\"model\": \"m1\"}");
    }
  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *id = g_strdup_printf ("mid%u", i);

      add_item (text, "q", id, "payment", 0.85, "low_confidence", NULL);
    }
  add_item (text, "q", "lo0", "refund", 0.35, "low_confidence", NULL);
  add_item (text, "q", "lo1", "refund", 0.35, "low_confidence", NULL);
  /* In another queue: decided on revision 0 (0.2, rejected), then revision
   * 1 (0.9, approved). */
  add_item (text, "r", "rev", "refund", 0.2, "low_confidence", NULL);
  import_text (fixture, text->str);

  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *hi = g_strdup_printf ("hi%u", i);
      g_autofree char *mid = g_strdup_printf ("mid%u", i);

      decide (fixture, "q", hi, VD_DECISION_KIND_APPROVE, "alice", 0, 1000);
      decide (fixture, "q", mid, i == 3 ? VD_DECISION_KIND_MODIFY : VD_DECISION_KIND_APPROVE,
              "alice", 0, 1000);
    }
  decide (fixture, "q", "lo0", VD_DECISION_KIND_APPROVE, "alice", 0, 1000);
  decide (fixture, "q", "lo1", VD_DECISION_KIND_REJECT, "alice", 0, 1000);
  decide (fixture, "r", "rev", VD_DECISION_KIND_REJECT, "alice", 0, 1000);
  g_string_assign (text, "{\"verdict_queue\": 1, \"queue\": \"r\"}\n");
  add_item (text, "r", "rev", "refund", 0.9, "low_confidence", ", \"revision\": 1");
  import_text (fixture, text->str);
  decide (fixture, "r", "rev", VD_DECISION_KIND_APPROVE, "alice", 0, 1000);

  vd_insights_query_init (&query);
  query.queue = "q";
  insights = compute (fixture, &query);
  overall = insights->calibration->overall;
  g_assert_cmpuint (overall->count, ==, 10);
  g_assert_cmpuint (overall->approved_unchanged, ==, 8);
  g_assert_cmpfloat_with_epsilon (overall->ece, 0.09, EPSILON);
  g_assert_cmpfloat_with_epsilon (overall->brier, 0.1345, EPSILON);
  g_assert_cmpuint (overall->bins[9].count, ==, 4);
  g_assert_cmpfloat_with_epsilon (overall->bins[9].approval_rate, 1.0, EPSILON);
  g_assert_cmpuint (overall->bins[8].count, ==, 4);
  g_assert_cmpfloat_with_epsilon (overall->bins[8].approval_rate, 0.75, EPSILON);
  g_assert_cmpfloat_with_epsilon (overall->bins[8].mean_confidence, 0.85, EPSILON);
  g_assert_cmpuint (overall->bins[3].count, ==, 2);
  g_assert_cmpuint (overall->bins[0].count, ==, 0);

  /* At 95 %: only the 0.95 items qualify; one of them would be reviewed
   * anyway (a policy rule), so three reviews are saved. */
  g_assert_nonnull (overall->suggested_threshold);
  g_assert_cmpfloat_with_epsilon (overall->suggested_threshold->threshold, 0.95, EPSILON);
  g_assert_cmpuint (overall->suggested_threshold->items, ==, 4);
  g_assert_cmpuint (overall->suggested_threshold->approved_unchanged, ==, 4);
  g_assert_cmpuint (overall->suggested_threshold->reviews_saved, ==, 3);
  g_assert_cmpuint (overall->suggested_threshold->overridden, ==, 0);
  g_assert_true (overall->suggested_threshold->low_evidence);

  /* Per task type and per model. */
  g_assert_cmpuint (insights->calibration->task_types->len, ==, 2);
  group = vd_calibration_find_task_type (insights->calibration, "refund");
  g_assert_cmpuint (group->count, ==, 2);
  g_assert_cmpfloat_with_epsilon (group->brier, (0.4225 + 0.1225) / 2, EPSILON);
  g_assert_null (group->suggested_threshold);
  g_assert_cmpuint (insights->calibration->models->len, ==, 1);
  group = vd_calibration_find_model (insights->calibration, "m1");
  g_assert_cmpuint (group->count, ==, 4);

  /* A decision on an older revision counts with that revision's
   * confidence. */
  query.queue = "r";
  revised = vd_insights_compute_calibration (fixture->store, &query, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (revised->overall->count, ==, 2);
  g_assert_cmpuint (revised->overall->bins[2].count, ==, 1);
  g_assert_cmpfloat_with_epsilon (revised->overall->bins[2].approval_rate, 0.0, EPSILON);
  g_assert_cmpuint (revised->overall->bins[9].count, ==, 1);
  g_assert_cmpfloat_with_epsilon (revised->overall->ece, 0.5 * 0.2 + 0.5 * 0.1, EPSILON);
  g_assert_cmpfloat_with_epsilon (revised->overall->brier, (0.04 + 0.01) / 2, EPSILON);
}

static gint64
utc_midnight_usec (GDateTime *now,
                   int        days_back)
{
  g_autoptr(GDateTime) utc = g_date_time_to_utc (now);
  g_autoptr(GDateTime) midnight = g_date_time_new_utc (g_date_time_get_year (utc),
                                                       g_date_time_get_month (utc),
                                                       g_date_time_get_day_of_month (utc),
                                                       0, 0, 0);
  g_autoptr(GDateTime) day = g_date_time_add_days (midnight, -days_back);

  return vd_timestamp_to_usec (day);
}

static void
test_timeline (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GString) text = g_string_new ("{\"verdict_queue\": 1, \"queue\": \"q\"}\n");
  g_autoptr(VdInsights) insights = NULL;
  g_autoptr(GDateTime) now = vd_timestamp_now ();
  const VdInsightsDay *days;
  VdInsightsQuery query;

  for (guint i = 0; i < 6; i++)
    {
      g_autofree char *id = g_strdup_printf ("t%u", i);

      add_item (text, "q", id, "payment", 0.5, "low_confidence", NULL);
    }
  /* Approved by the policy at import, today. */
  g_string_append (text, "{\"task_id\": \"auto\", \"task_description\": \"x\", "
                         "\"agent_output\": {\"content\": \"x\", \"confidence\": 0.99}}\n");
  import_text (fixture, text->str);

  /* Three days ago: outside a 3-day series. */
  decide (fixture, "q", "t0", VD_DECISION_KIND_APPROVE, "alice",
          utc_midnight_usec (now, 3) + G_USEC_PER_SEC, 1000);
  decide (fixture, "q", "t1", VD_DECISION_KIND_APPROVE, "alice",
          utc_midnight_usec (now, 2), 1000);
  decide (fixture, "q", "t2", VD_DECISION_KIND_REJECT, "alice",
          utc_midnight_usec (now, 1) - 1, 1000);
  decide (fixture, "q", "t3", VD_DECISION_KIND_MODIFY, "alice",
          utc_midnight_usec (now, 1), 1000);
  decide (fixture, "q", "t4", VD_DECISION_KIND_ESCALATE_FURTHER, "alice",
          utc_midnight_usec (now, 0), 1000);

  vd_insights_query_init (&query);
  query.now = now;
  query.timeline_days = 3;
  insights = compute (fixture, &query);

  g_assert_cmpuint (insights->timeline->len, ==, 3);
  days = (const VdInsightsDay *) insights->timeline->data;
  g_assert_cmpint (days[0].day, ==, utc_midnight_usec (now, 2) / G_USEC_PER_SEC);
  g_assert_cmpint (days[2].day, ==, utc_midnight_usec (now, 0) / G_USEC_PER_SEC);
  g_assert_cmpuint (days[0].approved, ==, 1);
  g_assert_cmpuint (days[0].rejected, ==, 1);
  g_assert_cmpuint (days[1].modified, ==, 1);
  g_assert_cmpuint (days[1].approved + days[1].rejected + days[1].escalated, ==, 0);
  g_assert_cmpuint (days[2].escalated, ==, 1);
  g_assert_cmpuint (days[2].automatic, ==, 1);

  /* The reference's stats come along. */
  g_assert_cmpuint (insights->stats.total_tasks, ==, 7);
  g_assert_cmpuint (insights->stats.auto_approved, ==, 1);
  g_assert_cmpuint (insights->stats.human_approved, ==, 2);
}

/* A v3 database (as the previous version wrote it) is migrated to v4 and
 * keeps its data. */
static void
test_migration (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GString) text = g_string_new ("{\"verdict_queue\": 1, \"queue\": \"q\"}\n");
  g_autoptr(GPtrArray) decisions = NULL;
  g_autoptr(VdDecision) fresh = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  add_item (text, "q", "m0", "payment", 0.5, "low_confidence", NULL);
  add_item (text, "q", "m1", "payment", 0.5, "low_confidence", NULL);
  import_text (fixture, text->str);
  decide (fixture, "q", "m0", VD_DECISION_KIND_APPROVE, "alice", 0, 1234);
  vd_test_assert_finalized (g_steal_pointer (&fixture->store));

  /* Take the file back to schema version 3. */
  g_assert_cmpint (sqlite3_open (fixture->db, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db,
                                 "DROP TRIGGER stats_calibration_item;"
                                 "DROP TRIGGER stats_reviewers_expected;"
                                 "DROP TRIGGER stats_insights_decision;"
                                 "DROP TABLE stats_calibration;"
                                 "DROP TABLE stats_reviewer_decisions;"
                                 "DROP TABLE stats_timeline;"
                                 "DROP TRIGGER items_search_delete; DROP TRIGGER items_search_update;"
                                 "DROP TABLE items_search; DROP TRIGGER stats_items_update;"
                                 "DROP TRIGGER stats_items_delete; DROP TRIGGER stats_items_revision;"
                                 "DROP TRIGGER stats_decisions_retract; DROP TABLE stats_items;"
                                 "DROP TABLE stats_decisions; DROP TABLE stats_auto_approved;"
                                 "DELETE FROM meta WHERE key IN ('search_indexed_id', 'stats_item_id', 'stats_decision_id');"
                                 "DROP INDEX decisions_reviewer_timestamp;"
                                 "DROP INDEX decisions_helpful;"
                                 "DROP TABLE feedback_suggestions;"
                                 "DROP TABLE queue_policies;"
                                 "DROP TABLE attachments;"
                                 "ALTER TABLE items DROP COLUMN task_content_type;"
                                 "ALTER TABLE items DROP COLUMN context_content_type;"
                                 "ALTER TABLE items DROP COLUMN output_content_type;"
                                 "ALTER TABLE decisions DROP COLUMN helpful;"
                                 "ALTER TABLE decisions DROP COLUMN category;"
                                 "ALTER TABLE audit DROP COLUMN key_id;"
                                 "ALTER TABLE audit DROP COLUMN signature;"
                                 "ALTER TABLE decisions DROP COLUMN policy_sha256;"
                                 "ALTER TABLE decisions DROP COLUMN model;"
                                 "ALTER TABLE decisions DROP COLUMN prompt_version;"
                                 "ALTER TABLE decisions DROP COLUMN app_version;"
                                 "ALTER TABLE decisions DROP COLUMN final;"
                                 "PRAGMA user_version = 3;",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  fixture->store = VD_STORE (vd_sqlite_store_new (fixture->db, &error));
  g_assert_no_error (error);

  g_assert_cmpint (sqlite3_open (fixture->db, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, VD_SQLITE_STORE_SCHEMA_VERSION);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  decisions = vd_store_list_decisions (fixture->store, "q", "m0", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (decisions->len, ==, 1);
  g_assert_cmpint (vd_decision_get_duration_ms (g_ptr_array_index (decisions, 0)), ==, 1234);
  g_assert_cmpint (vd_decision_get_helpful (g_ptr_array_index (decisions, 0)), ==,
                   VD_HELPFUL_UNSET);
  g_assert_null (vd_decision_get_category (g_ptr_array_index (decisions, 0)));

  fresh = decide_full (fixture, "q", "m1", VD_DECISION_KIND_APPROVE, "bob", 0, 10,
                       VD_HELPFUL_YES, "tone");
  g_assert_true (vd_store_add_suggestion (fixture->store, "More detail", "bob", NULL, NULL,
                                          NULL, &error));
  g_assert_no_error (error);
  /* Taking the store back to version 3 dropped its signatures: the
   * signed trail now misses them from its first event. */
  g_assert_false (vd_store_verify_audit (fixture->store, NULL, NULL, &error));
  g_assert_cmpstr (error->message, ==, "audit event 1: not signed");
}

static void
test_async (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GString) text = g_string_new ("{\"verdict_queue\": 1, \"queue\": \"q\"}\n");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(VdInsights) insights = NULL;
  g_autoptr(VdInsights) copy = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *result = NULL;
  VdInsightsQuery query;

  add_item (text, "q", "x0", "payment", 0.5, "low_confidence", NULL);
  import_text (fixture, text->str);
  decide (fixture, "q", "x0", VD_DECISION_KIND_APPROVE, "alice", 0, 1000);

  vd_insights_query_init (&query);
  vd_insights_compute_async (fixture->store, &query, NULL, vd_test_got_result, &result);
  g_assert_true (vd_test_iterate_until (vd_test_has_result, &result, 10000));
  insights = vd_insights_compute_finish (fixture->store, result, &error);
  g_assert_no_error (error);
  g_clear_object (&result);
  g_assert_cmpuint (insights->stats.human_approved, ==, 1);
  g_assert_cmpuint (insights->timeline->len, ==, 30);
  g_assert_cmpuint (insights->reviewers->len, ==, 1);

  copy = vd_insights_copy (insights);
  g_assert_cmpuint (copy->reviewers->len, ==, 1);
  g_assert_cmpuint (copy->calibration->overall->count, ==, 1);

  g_cancellable_cancel (cancellable);
  vd_insights_compute_async (fixture->store, &query, cancellable, vd_test_got_result, &result);
  g_assert_true (vd_test_iterate_until (vd_test_has_result, &result, 10000));
  g_assert_null (vd_insights_compute_finish (fixture->store, result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_object (&result);
}

#define add_fixture_test(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

int
main (int   argc,
      char *argv[])
{
  /* Days of the timeline are local days: make them UTC days. */
  g_setenv ("TZ", "UTC", TRUE);
  g_test_init (&argc, &argv, NULL);

  add_fixture_test ("/insights/reviewers", test_reviewers);
  add_fixture_test ("/insights/fast-streak-signal", test_fast_streak_signal);
  add_fixture_test ("/insights/feedback", test_feedback);
  add_fixture_test ("/insights/calibration", test_calibration);
  add_fixture_test ("/insights/timeline", test_timeline);
  if (vd_test_sqlite_only ("/insights/migration",
                           "SQLite only: a migration of SQLite's schema 3"))
    add_fixture_test ("/insights/migration", test_migration);
  add_fixture_test ("/insights/async", test_async);

  return g_test_run ();
}
