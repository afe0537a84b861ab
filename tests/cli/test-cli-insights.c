/* test-cli-insights.c: feedback, reviewers, calibration and the training
 * export in verdict-cli
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

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "vd-core.h"
#include "vd-test-util.h"

typedef struct
{
  char *dir;
  char *db;
} Fixture;

/* What a reviewer without a key is told on standard error. */
#define UNVERIFIED(id) \
  "verdict-cli: " id " has no key: decisions are signed by this installation, as an " \
  "unverified reviewer\n"

/* Runs verdict-cli --db DB in the fixture's directory. */
#define run_cli(run, fixture, ...) \
  vd_test_run_cli_full (run, (fixture)->db, (fixture)->dir, NULL, __VA_ARGS__)

static void
assert_run (VdTestRun    *run,
            int         status,
            const char *out,
            const char *err)
{
  g_assert_cmpstr (run->err, ==, err);
  g_assert_cmpstr (run->out, ==, out);
  g_assert_cmpint (run->status, ==, status);
}

#define QUEUE \
  "{\"verdict_queue\": 1, \"queue\": \"q\"}\n" \
  "{\"task_id\": \"p1\", \"task_type\": \"payment\", \"task_description\": \"Pay 1\", " \
  "\"agent_output\": {\"content\": \"Paid 1\", \"confidence\": 0.9, " \
  "\"metadata\": {\"model\": \"m1\"}}, \"escalation_reason\": \"low_confidence\"}\n" \
  "{\"task_id\": \"p2\", \"task_type\": \"payment\", \"task_description\": \"Pay 2\", " \
  "\"agent_output\": {\"content\": \"Paid 2\", \"confidence\": 0.6}, " \
  "\"escalation_reason\": \"low_confidence\"}\n" \
  "{\"task_id\": \"p3\", \"task_type\": \"payment\", \"task_description\": \"Pay 3\", " \
  "\"context\": \"Urgent\", \"agent_output\": {\"content\": \"Paid 3\", \"confidence\": 0.4}, " \
  "\"escalation_reason\": \"low_confidence\"}\n" \
  "{\"task_id\": \"r1\", \"task_type\": \"refund\", \"task_description\": \"Refund 1\", " \
  "\"agent_output\": {\"content\": \"Refunded 1\", \"confidence\": 0.5}, " \
  "\"escalation_reason\": \"low_confidence\", \"check\": {\"expected\": \"approve\"}}\n"

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_auto(VdTestRun) run = { 0, };
  g_autofree char *queue = NULL;

  fixture->dir = vd_test_make_tmp_dir ("cli-insights");
  fixture->db = g_build_filename (fixture->dir, "verdict.db", NULL);
  queue = g_build_filename (fixture->dir, "q.jsonl", NULL);
  g_assert_true (g_file_set_contents (queue, QUEUE, -1, NULL));

  run_cli (&run, fixture, "import", queue, NULL);
  g_assert_cmpint (run.status, ==, 0);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  vd_test_remove_tree (fixture->dir);
  g_clear_pointer (&fixture->dir, g_free);
  g_clear_pointer (&fixture->db, g_free);
}

/* The decisions of the figures below. */
static void
decide_all (Fixture *fixture)
{
  g_auto(VdTestRun) run = { 0, };

  run_cli (&run, fixture, "decide", "p1", "approve", "--reviewer", "alice", "--helpful", "yes",
           "--category", "accuracy", NULL);
  g_assert_cmpint (run.status, ==, 0);
  run_cli (&run, fixture, "decide", "p2", "reject", "--reviewer", "alice", "--feedback",
           "wrong", "--helpful", "no", "--category", "accuracy", NULL);
  g_assert_cmpint (run.status, ==, 0);
  run_cli (&run, fixture, "decide", "p3", "modify", "--reviewer", "bob", "--content", "fixed",
           "--helpful", "no", "--category", "accuracy", NULL);
  g_assert_cmpint (run.status, ==, 0);
  run_cli (&run, fixture, "decide", "r1", "approve", "--reviewer", "bob", "--helpful", "yes",
           "--category", "tone", NULL);
  g_assert_cmpint (run.status, ==, 0);
}

static void
test_decide_feedback (Fixture       *fixture,
                      gconstpointer  data)
{
  g_auto(VdTestRun) run = { 0, };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *decision;

  run_cli (&run, fixture, "decide", "p1", "approve", "--reviewer", "alice", "--helpful", "maybe",
           NULL);
  assert_run (&run, 2, "", "verdict-cli decide: --helpful is yes or no, not “maybe”\n");
  run_cli (&run, fixture, "decide", "p1", "approve", "--reviewer", "alice", "--category", " ",
           NULL);
  assert_run (&run, 2, "", "verdict-cli decide: --category needs a name\n");

  decide_all (fixture);

  run_cli (&run, fixture, "show", "p3", "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (json_parser_load_from_data (parser, run.out, -1, &error));
  g_assert_no_error (error);
  decision = json_array_get_object_element (
    json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                  "decisions"), 0);
  g_assert_false (json_object_get_boolean_member (decision, "helpful"));
  g_assert_cmpstr (json_object_get_string_member (decision, "category"), ==, "accuracy");
  g_assert_true (json_object_get_null_member (json_node_get_object (json_parser_get_root (parser)),
                                              "sla_fallback"));

  run_cli (&run, fixture, "show", "p3", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "\n  Output helpful: no; category: accuracy\n"));
}

static void
test_feedback (Fixture       *fixture,
               gconstpointer  data)
{
  g_auto(VdTestRun) run = { 0, };

  run_cli (&run, fixture, "feedback", "summary", NULL);
  assert_run (&run, 0,
              "total_feedback: 0\n"
              "helpful_count: 0\n"
              "helpful_rate: 0 (0%)\n"
              "categories: -\n"
              "improvement_suggestions: 0\n", "");
  run_cli (&run, fixture, "feedback", "areas", NULL);
  assert_run (&run, 0, "No improvement areas\n", "");

  decide_all (fixture);

  run_cli (&run, fixture, "feedback", "suggest", "Cite sources", "--reviewer", "carol", NULL);
  assert_run (&run, 0, "Suggestion 1 recorded by carol\n", "");
  run_cli (&run, fixture, "feedback", "suggest", "  ", "--reviewer", "carol", NULL);
  assert_run (&run, 2, "", "verdict-cli feedback: the suggestion is empty\n");
  run_cli (&run, fixture, "feedback", "suggest", NULL);
  assert_run (&run, 2, "", "verdict-cli feedback: give the suggestion as one argument (quote it)\n");

  run_cli (&run, fixture, "feedback", "summary", NULL);
  assert_run (&run, 0,
              "total_feedback: 4\n"
              "helpful_count: 2\n"
              "helpful_rate: 0.5 (50%)\n"
              "categories:\n"
              "  accuracy: 3\n"
              "  tone: 1\n"
              "improvement_suggestions: 1\n", "");
  run_cli (&run, fixture, "feedback", "summary", "--json", NULL);
  assert_run (&run, 0,
              "{\"total_feedback\":4,\"helpful_count\":2,\"helpful_rate\":0.5,"
              "\"categories\":{\"accuracy\":3,\"tone\":1},\"improvement_suggestions\":1}\n", "");
  run_cli (&run, fixture, "feedback", "areas", NULL);
  assert_run (&run, 0, "accuracy: 33% helpful\n", "");
  run_cli (&run, fixture, "feedback", "areas", "--json", NULL);
  assert_run (&run, 0, "[\"accuracy: 33% helpful\"]\n", "");

  run_cli (&run, fixture, "feedback", "list", NULL);
  assert_run (&run, 2, "", "verdict-cli feedback: feedback suggest, summary or areas, not “list”\n");
  run_cli (&run, fixture, "feedback", NULL);
  assert_run (&run, 2, "", "verdict-cli feedback: name a subcommand: suggest, summary or areas\n");
}

static void
test_reviewers (Fixture       *fixture,
                gconstpointer  data)
{
  g_auto(VdTestRun) run = { 0, };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonArray *reviewers;
  JsonObject *bob;

  run_cli (&run, fixture, "reviewers", NULL);
  assert_run (&run, 0, "No decisions by reviewers\n", "");

  decide_all (fixture);

  run_cli (&run, fixture, "reviewers", "--now", "2099-01-01T00:00:00Z", NULL);
  assert_run (&run, 0,
              "alice: decided 2, approved 50% (team 50%), median 0.0 s, 10th percentile 0.0 s\n"
              "  Fast approvals (under 3.0 s): current run 0, longest run 1\n"
              "  On a break\n"
              "  Sessions: 1\n"
              "bob: decided 2, approved 50% (team 50%), median 0.0 s, 10th percentile 0.0 s\n"
              "  Fast approvals (under 3.0 s): current run 0, longest run 1\n"
              "  Known-answer checks: 1 of 1 agreed\n"
              "  On a break\n"
              "  Sessions: 1\n", "");

  run_cli (&run, fixture, "reviewers", "--queue", "q", "--json", "--now",
           "2099-01-01T00:00:00Z", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (json_parser_load_from_data (parser, run.out, -1, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (
                     json_parser_get_root (parser)), "queue"), ==, "q");
  reviewers = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                            "reviewers");
  g_assert_cmpuint (json_array_get_length (reviewers), ==, 2);
  bob = json_array_get_object_element (reviewers, 1);
  g_assert_cmpstr (json_object_get_string_member (bob, "reviewer"), ==, "bob");
  g_assert_cmpint (json_object_get_int_member (bob, "decisions"), ==, 2);
  g_assert_cmpfloat (json_object_get_double_member (bob, "team_approval_rate"), ==, 0.5);
  g_assert_true (json_object_get_boolean_member (bob, "on_break"));
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (bob,
                                                                              "known_answer"),
                                               "agreed"), ==, 1);

  run_cli (&run, fixture, "reviewers", "--since", "2099-01-01T00:00:00Z", NULL);
  assert_run (&run, 0, "No decisions by reviewers\n", "");
  run_cli (&run, fixture, "reviewers", "--since", "yesterday", NULL);
  assert_run (&run, 2, "",
              "verdict-cli reviewers: --since: expected an RFC 3339 date and time, found "
              "“yesterday”\n");
}

static void
test_calibration (Fixture       *fixture,
                  gconstpointer  data)
{
  g_auto(VdTestRun) run = { 0, };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *object;
  JsonObject *threshold;

  decide_all (fixture);

  /* 0.9 and 0.5 approved, 0.6 rejected, 0.4 modified: ECE = (0.1 + 0.6 +
   * 0.4 + 0.5) / 4 = 0.4; Brier = (0.01 + 0.36 + 0.16 + 0.25) / 4 = 0.195. */
  run_cli (&run, fixture, "calibration", "--type", "payment", NULL);
  assert_run (&run, 0,
              "Calibration against the reviewers' decisions (target 95% approved unchanged)\n"
              "All: decided 3, approved unchanged 1\n"
              "  ECE 0.367, Brier 0.177\n"
              "  Confidence  Items  Mean   Approved\n"
              "  0.0–0.1       0  -      -\n"
              "  0.1–0.2       0  -      -\n"
              "  0.2–0.3       0  -      -\n"
              "  0.3–0.4       0  -      -\n"
              "  0.4–0.5       1  0.400  0.000\n"
              "  0.5–0.6       0  -      -\n"
              "  0.6–0.7       1  0.600  0.000\n"
              "  0.7–0.8       0  -      -\n"
              "  0.8–0.9       0  -      -\n"
              "  0.9–1.0       1  0.900  1.000\n"
              "  Suggested threshold: 0.90 (items at or above it: 1, approved unchanged: 1, "
              "100%; reviews it would have saved: 1; overridden: 0)\n"
              "  Warning: the suggestion rests on fewer than 30 items\n"
              "Task type payment: decided 3, approved unchanged 1\n"
              "  ECE 0.367, Brier 0.177\n"
              "  Suggested threshold: 0.90 (items at or above it: 1, approved unchanged: 1, "
              "100%; reviews it would have saved: 1; overridden: 0)\n"
              "  Warning: the suggestion rests on fewer than 30 items\n"
              "Model m1: decided 1, approved unchanged 1\n"
              "  ECE 0.100, Brier 0.010\n"
              "  Suggested threshold: 0.90 (items at or above it: 1, approved unchanged: 1, "
              "100%; reviews it would have saved: 1; overridden: 0)\n"
              "  Warning: the suggestion rests on fewer than 30 items\n", "");

  run_cli (&run, fixture, "calibration", "--json", "--target", "0.5", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (json_parser_load_from_data (parser, run.out, -1, &error));
  g_assert_no_error (error);
  object = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (object, "ece"), 0.4, 1e-9);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (object, "brier"), 0.195, 1e-9);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "bins")), ==,
                    10);
  /* At 50 %: from 0.4 up, 2 of 4 approved unchanged. */
  threshold = json_object_get_object_member (object, "suggested_threshold");
  g_assert_cmpfloat (json_object_get_double_member (threshold, "threshold"), ==, 0.4);
  g_assert_cmpint (json_object_get_int_member (threshold, "items"), ==, 4);

  run_cli (&run, fixture, "calibration", "--target", "0", NULL);
  assert_run (&run, 2, "", "verdict-cli calibration: --target is a rate above 0 and at most 1, "
                           "not 0\n");
}

static void
test_calibration_apply (Fixture       *fixture,
                        gconstpointer  data)
{
  g_auto(VdTestRun) run = { 0, };
  g_autofree char *policy = g_build_filename (fixture->dir, "policy.json", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *bad_message = NULL;

  decide_all (fixture);
  g_assert_true (g_file_set_contents (policy, "{\"confidence_threshold\": 0.7}", -1, NULL));

  run_cli (&run, fixture, "calibration", "apply", "--type", "payment", "--threshold", "0.9",
           "--policy", policy, "--reviewer", "alice", NULL);
  expected = g_strdup_printf ("Threshold of payment set to 0.9 in %s (was 0.7), by alice\n",
                              policy);
  assert_run (&run, 0, expected, UNVERIFIED ("alice"));
  g_assert_true (g_file_get_contents (policy, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==,
                   "{\n"
                   "  \"confidence_threshold\": 0.7,\n"
                   "  \"task_types\": {\n"
                   "    \"payment\": {\n"
                   "      \"confidence_threshold\": 0.9\n"
                   "    }\n"
                   "  }\n"
                   "}\n");
  g_clear_pointer (&expected, g_free);

  run_cli (&run, fixture, "calibration", "apply", "--global", "--threshold", "0.8",
           "--policy", policy, "--reviewer", "alice", NULL);
  expected = g_strdup_printf ("Global threshold set to 0.8 in %s (was 0.7), by alice\n", policy);
  assert_run (&run, 0, expected, UNVERIFIED ("alice"));

  run_cli (&run, fixture, "calibration", "apply", "--global", "--type", "x", "--threshold",
           "0.9", "--policy", policy, NULL);
  assert_run (&run, 2, "", "verdict-cli calibration: give either --type T or --global\n");
  run_cli (&run, fixture, "calibration", "apply", "--global", "--threshold", "0.9", NULL);
  assert_run (&run, 2, "", "verdict-cli calibration: --policy POLICY.json is required\n");
  run_cli (&run, fixture, "calibration", "apply", "--global", "--policy", policy, NULL);
  assert_run (&run, 2, "", "verdict-cli calibration: --threshold X is required\n");
  run_cli (&run, fixture, "calibration", "apply", "--global", "--threshold", "2", "--policy",
           policy, NULL);
  assert_run (&run, 2, "", "verdict-cli calibration: --threshold is a number from 0 to 1, "
                           "not 2\n");

  g_assert_true (g_file_set_contents (policy, "{\"thresold\": 0.5}", -1, NULL));
  run_cli (&run, fixture, "calibration", "apply", "--global", "--threshold", "0.9", "--policy",
           policy, "--reviewer", "alice", NULL);
  bad_message = g_strdup_printf ("verdict-cli: %s: unknown field “thresold”\n", policy);
  assert_run (&run, 1, "", bad_message);
  g_clear_pointer (&contents, g_free);
  g_assert_true (g_file_get_contents (policy, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "{\"thresold\": 0.5}");

  run_cli (&run, fixture, "audit", "verify", NULL);
  g_assert_cmpint (run.status, ==, 0);
}

static void
test_export_training (Fixture       *fixture,
                      gconstpointer  data)
{
  g_auto(VdTestRun) run = { 0, };
  g_autofree char *path = g_build_filename (fixture->dir, "train.jsonl", NULL);
  g_autofree char *expected = NULL;
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;

  decide_all (fixture);

  run_cli (&run, fixture, "export", "training", path, NULL);
  expected = g_strdup_printf ("3 supervised pairs and 1 preference pair written to %s\n", path);
  assert_run (&run, 0, expected, "");
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  lines = g_strsplit (contents, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 6);
  g_assert_true (g_str_has_prefix (lines[0], "{\"format\":\"verdict-training\",\"version\":1,"));
  g_assert_cmpstr (lines[3], ==,
                   "{\"type\":\"preference\",\"queue\":\"q\",\"task_id\":\"p3\","
                   "\"task_type\":\"payment\",\"input\":\"Pay 3\\n\\nUrgent\","
                   "\"rejected\":\"Paid 3\",\"chosen\":\"fixed\",\"source\":\"modified\","
                   "\"feedback\":\"\",\"reviewer_id\":\"bob\"}");

  run_cli (&run, fixture, "export", "training", "-", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_str_has_suffix (run.out, lines[4]) || strstr (run.out, lines[4]) != NULL);

  run_cli (&run, fixture, "export", "lessons", path, NULL);
  assert_run (&run, 2, "",
              "verdict-cli export: export decisions, outputs, training, langgraph, "
              "label-studio, argilla, prodigy or csv, not “lessons”\n");
}

/* show names the deadline fallback applied to an item, when and which
 * deadline passed. */
static void
test_show_sla (Fixture       *fixture,
               gconstpointer  data)
{
  g_auto(VdTestRun) run = { 0, };
  g_autofree char *queue = g_build_filename (fixture->dir, "late.jsonl", NULL);

  g_assert_true (g_file_set_contents (queue,
                                      "{\"verdict_queue\": 1, \"queue\": \"q\"}\n"
                                      "{\"task_id\": \"late\", \"task_description\": \"x\", "
                                      "\"agent_output\": {\"content\": \"x\", "
                                      "\"confidence\": 0.5}, \"escalation_reason\": "
                                      "\"low_confidence\", \"due_at\": \"2026-01-01T00:00:00Z\"}\n",
                                      -1, NULL));
  run_cli (&run, fixture, "import", queue, NULL);
  g_assert_cmpint (run.status, ==, 0);

  run_cli (&run, fixture, "show", "late", "--json", NULL);
  g_assert_nonnull (strstr (run.out, "\"sla_fallback\":null}"));
  run_cli (&run, fixture, "show", "late", NULL);
  g_assert_null (strstr (run.out, "Deadline fallback"));

  run_cli (&run, fixture, "sla", "apply", "--now", "2026-01-02T00:00:00Z", NULL);
  g_assert_cmpint (run.status, ==, 0);

  run_cli (&run, fixture, "show", "late", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_str_has_suffix (run.out,
                                   "\nDeadline fallback: escalate (rule default) at "
                                   "2026-01-02T00:00:00.000000Z, deadline "
                                   "2026-01-01T00:00:00.000000Z\n"));
  run_cli (&run, fixture, "show", "late", "--json", NULL);
  g_assert_true (g_str_has_suffix (run.out,
                                   "\"sla_fallback\":{\"fallback\":\"escalate\","
                                   "\"configured\":\"escalate\",\"rule\":\"default\","
                                   "\"deadline\":\"2026-01-01T00:00:00.000000Z\","
                                   "\"applied_at\":\"2026-01-02T00:00:00.000000Z\"}}\n"));
}

#define add_fixture_test(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  add_fixture_test ("/cli-insights/decide-feedback", test_decide_feedback);
  add_fixture_test ("/cli-insights/feedback", test_feedback);
  add_fixture_test ("/cli-insights/reviewers", test_reviewers);
  add_fixture_test ("/cli-insights/calibration", test_calibration);
  add_fixture_test ("/cli-insights/calibration-apply", test_calibration_apply);
  add_fixture_test ("/cli-insights/export-training", test_export_training);
  add_fixture_test ("/cli-insights/show-sla", test_show_sla);

  return g_test_run ();
}
