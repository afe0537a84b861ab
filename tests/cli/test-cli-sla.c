/* test-cli-sla.c: verdict-cli sla apply, forecast, bulk-approve, policy check
 * and run against full queues, end to end as a user would
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
#include "vd-test-llm-server.h"
#include "vd-test-util.h"

typedef struct
{
  char            *dir;
  char            *db;
  VdTestLlmServer *server;
} Fixture;

/* What a reviewer without a key is told on standard error. */
#define UNVERIFIED(id) \
  "verdict-cli: " id " has no key: decisions are signed by this installation, as an " \
  "unverified reviewer\n"

/* Runs verdict-cli --db DB with the arguments (NULL-terminated) and waits
 * for it; the test server answers from its own thread meanwhile. */
#define run_cli(run, fixture, ...) vd_test_run_cli (run, (fixture)->db, __VA_ARGS__)

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->dir = vd_test_make_tmp_dir ("cli-sla");
  fixture->db = g_build_filename (fixture->dir, "verdict.db", NULL);
  fixture->server = vd_test_llm_server_new ();
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  vd_test_llm_server_free (fixture->server);
  vd_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->db);
}

static VdTaskStatus
status_of (Fixture    *fixture,
           const char *queue,
           const char *task_id)
{
  g_autoptr(VdStore) store = vd_test_open_store (fixture->db);
  g_autoptr(GError) error = NULL;
  g_autoptr(VdItem) item = vd_store_get_item (store, queue, task_id, &error);

  g_assert_no_error (error);
  return vd_item_get_status (item);
}

static const char timed_queue[] =
  "{\"verdict_queue\": 1, \"queue\": \"q\"}\n"
  "{\"task_id\": \"t1\", \"task_type\": \"payment\", \"task_description\": \"Refund\", "
  "\"agent_output\": {\"content\": \"Refund $40.\", \"confidence\": 0.5}, "
  "\"due_at\": \"2026-03-01T10:00:00Z\"}\n"
  "{\"task_id\": \"t2\", \"task_type\": \"payment\", \"task_description\": \"Wire\", "
  "\"agent_output\": {\"content\": \"Wire $9,000.\", \"confidence\": 0.9}, "
  "\"escalation_reason\": \"high_risk_action\", \"due_at\": \"2026-03-01T11:00:00Z\"}\n"
  "{\"task_id\": \"t3\", \"task_type\": \"support\", \"task_description\": \"Answer\", "
  "\"agent_output\": {\"content\": \"Your invoice is attached.\", \"confidence\": 0.6}, "
  "\"due_at\": \"2026-03-01T12:00:00Z\"}\n";

static void
test_policy_check (Fixture       *fixture,
                   gconstpointer  data)
{
  g_auto(VdTestRun) run = { 0 };
  g_autofree char *queue = vd_test_write_file (fixture->dir, "q.jsonl", timed_queue);
  g_autofree char *policy =
    vd_test_write_file (fixture->dir, "policy.json",
                "{\"fallback\": \"auto_approve\", \"task_types\": {\"support\": "
                "{\"sla_minutes\": 30, \"fallback\": \"auto_approve\"}}}");
  g_autofree char *unsafe =
    vd_test_write_file (fixture->dir, "unsafe.json",
                "{\"always_review_types\": [\"support\"], \"task_types\": {\"support\": "
                "{\"fallback\": \"auto_approve\"}}}");

  /* The words policy check finds for a risky choice and a deliberate one. */
  run_cli (&run, fixture, "policy", "check", "--policy", policy, queue, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.err, ==,
                   "verdict-cli policy: warning: the global fallback “auto_approve” approves "
                   "undecided items without a human when their deadline passes; items whose "
                   "reason is high_risk_action or sensitive_content, or whose task type is in "
                   "always_review_types, are escalated instead unless their task type names "
                   "auto_approve itself\n"
                   "verdict-cli policy: note: task type “support” names the fallback "
                   "“auto_approve” itself, a deliberate choice: its undecided items are approved "
                   "without a human when their deadline passes, even those whose reason is "
                   "high_risk_action or sensitive_content\n");
  g_assert_true (g_str_has_prefix (run.out, "t1 "));
  vd_test_run_clear (&run);

  /* Without a queue file it checks the policy alone. */
  run_cli (&run, fixture, "policy", "check", "--policy", policy, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "policy.json is a valid policy\n"));
  vd_test_run_clear (&run);

  /* The refused unsafe auto-approve. */
  run_cli (&run, fixture, "policy", "check", "--policy", unsafe, NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_true (g_str_has_suffix (run.err,
                                   "unsafe.json: task_types.support.fallback: “auto_approve” "
                                   "would approve items of “support” without a human when "
                                   "their deadline passes, but always_review_types names "
                                   "“support”: choose escalate or auto_reject, or take the "
                                   "type out of always_review_types\n"));
  g_assert_cmpstr (run.out, ==, "");
}

static void
test_sla_apply (Fixture       *fixture,
                gconstpointer  data)
{
  g_auto(VdTestRun) run = { 0 };
  g_autofree char *queue = vd_test_write_file (fixture->dir, "q.jsonl", timed_queue);
  g_autofree char *policy =
    vd_test_write_file (fixture->dir, "policy.json",
                "{\"fallback\": \"auto_reject\", \"escalated\": {\"sla_minutes\": 60}, "
                "\"task_types\": {\"support\": {\"fallback\": \"escalate\"}}}");
  g_autofree char *approving = vd_test_write_file (fixture->dir, "approve.json",
                                           "{\"fallback\": \"auto_approve\"}");

  run_cli (&run, fixture, "import", "--policy", policy, queue, NULL);
  g_assert_cmpint (run.status, ==, 0);
  vd_test_run_clear (&run);

  /* Before the first deadline. */
  run_cli (&run, fixture, "sla", "apply", "--now", "2026-03-01T09:00:00Z", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==, "No deadline has passed: nothing to apply\n"
                                "Next deadline: 2026-03-01T10:00:00.000000Z\n");
  g_assert_cmpstr (run.err, ==, "");
  vd_test_run_clear (&run);

  /* Without --policy, the import's policy applies: t1 auto-rejected. */
  run_cli (&run, fixture, "sla", "apply", "--now", "2026-03-01T10:00:00Z", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==, "1 deadline fallback applied: 0 escalated (0 instead of an "
                                "unsafe auto-approve), 1 auto-rejected, 0 auto-approved\n"
                                "Next deadline: 2026-03-01T11:00:00.000000Z\n");
  vd_test_run_clear (&run);
  g_assert_cmpint (status_of (fixture, "q", "t1"), ==, VD_TASK_STATUS_REJECTED);

  /* A reviewer's decision on it is refused, saying why. */
  run_cli (&run, fixture, "decide", "t1", "approve", "--reviewer", "alice", NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_cmpstr (run.err, ==, UNVERIFIED ("alice")
                   "verdict-cli: Item t1 in queue q: the deadline fallback “auto_reject” was "
                   "applied at 2026-03-01T10:00:00.000000Z (the deadline was "
                   "2026-03-01T10:00:00.000000Z): the item was rejected with the feedback "
                   "“deadline passed” and awaits the agent's revision, so a reviewer's decision "
                   "on revision 0 is refused\n");
  vd_test_run_clear (&run);

  /* --policy overrides the import's: its global auto-approve approves t3
   * but escalates t2 (high risk) instead. Applying again changes nothing. */
  run_cli (&run, fixture, "sla", "apply", "--policy", approving, "--now",
           "2026-03-01T12:00:00Z", "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==, "{\"applied\":2,\"escalated\":1,\"auto_rejected\":0,"
                                "\"auto_approved\":1,\"unsafe_escalated\":1,"
                                "\"next_deadline\":null}\n");
  vd_test_run_clear (&run);
  g_assert_cmpint (status_of (fixture, "q", "t2"), ==, VD_TASK_STATUS_ESCALATED);
  g_assert_cmpint (status_of (fixture, "q", "t3"), ==, VD_TASK_STATUS_APPROVED);
  run_cli (&run, fixture, "sla", "apply", "--policy", approving, "--now",
           "2026-03-01T12:00:00Z", "--json", NULL);
  g_assert_cmpstr (run.out, ==, "{\"applied\":0,\"escalated\":0,\"auto_rejected\":0,"
                                "\"auto_approved\":0,\"unsafe_escalated\":0,"
                                "\"next_deadline\":null}\n");
  vd_test_run_clear (&run);

  /* An escalated item is still a reviewer's to decide. */
  run_cli (&run, fixture, "decide", "t2", "approve", "--reviewer", "alice", NULL);
  g_assert_cmpint (run.status, ==, 0);
  vd_test_run_clear (&run);

  run_cli (&run, fixture, "audit", "verify", NULL);
  g_assert_cmpint (run.status, ==, 0);
  vd_test_run_clear (&run);

  /* Usage. */
  run_cli (&run, fixture, "sla", "apply", "--now", "tomorrow", NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_cmpstr (run.err, ==, "verdict-cli sla: --now: expected an RFC 3339 date and time, "
                                "found “tomorrow”\n");
  vd_test_run_clear (&run);
  run_cli (&run, fixture, "sla", NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_cmpstr (run.err, ==, "verdict-cli sla: the sla command is “sla apply [--policy "
                                "POLICY.json] [--now RFC3339]”\n");
}

static void
test_forecast (Fixture       *fixture,
               gconstpointer  data)
{
  g_auto(VdTestRun) run = { 0 };
  g_autofree char *queue = vd_test_write_file (fixture->dir, "q.jsonl", timed_queue);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *object;

  run_cli (&run, fixture, "import", queue, NULL);
  g_assert_cmpint (run.status, ==, 0);
  vd_test_run_clear (&run);

  /* Three waiting, all with a deadline, nobody deciding. */
  run_cli (&run, fixture, "forecast", "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (json_parser_load_from_data (parser, run.out, -1, &error));
  g_assert_no_error (error);
  object = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpuint (json_object_get_size (object), ==, 10);
  g_assert_true (json_object_get_null_member (object, "queue"));
  g_assert_cmpint (json_object_get_int_member (object, "pending"), ==, 3);
  g_assert_cmpfloat (json_object_get_double_member (object, "arrival_rate_hour"), ==, 3.0);
  g_assert_cmpfloat (json_object_get_double_member (object, "arrival_rate_day"), ==, 0.125);
  g_assert_cmpfloat (json_object_get_double_member (object, "decision_rate_hour"), ==, 0.0);
  g_assert_cmpfloat (json_object_get_double_member (object, "decision_rate_day"), ==, 0.0);
  g_assert_cmpint (json_object_get_int_member (object, "sample_decisions"), ==, 0);
  g_assert_true (json_object_get_null_member (object, "pace"));
  g_assert_true (json_object_get_null_member (object, "hours_to_clear"));
  g_assert_true (json_object_get_null_member (object, "will_miss_deadline"));
  vd_test_run_clear (&run);

  /* One decision is not a pace. */
  run_cli (&run, fixture, "decide", "t3", "approve", "--reviewer", "alice", NULL);
  vd_test_run_clear (&run);
  run_cli (&run, fixture, "forecast", "--queue", "q", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==,
                   "Queue q\n"
                   "Waiting: 2 undecided items, 2 with a deadline\n"
                   "Arrivals: 3.00 per hour in the last hour, 0.12 per hour over the last day\n"
                   "Decisions: 1.00 per hour in the last hour, 0.04 per hour over the last day\n"
                   "Not enough decisions yet to forecast: 1 decision in the last day, the "
                   "pace needs 5 over 10 minutes.\n");
  vd_test_run_clear (&run);

  run_cli (&run, fixture, "forecast", "--queue", "other", "--json", NULL);
  g_assert_cmpstr (run.out, ==,
                   "{\"queue\":\"other\",\"pending\":0,\"arrival_rate_hour\":0.0,"
                   "\"arrival_rate_day\":0.0,\"decision_rate_hour\":0.0,"
                   "\"decision_rate_day\":0.0,\"sample_decisions\":0,\"pace\":null,"
                   "\"hours_to_clear\":null,\"will_miss_deadline\":null}\n");
  vd_test_run_clear (&run);

  run_cli (&run, fixture, "forecast", "extra", NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_cmpstr (run.err, ==, "verdict-cli forecast: unexpected argument “extra”\n");
}

static char *
band_queue (void)
{
  GString *text = g_string_new ("{\"verdict_queue\": 1, \"queue\": \"q\"}\n");

  for (guint i = 0; i < 10; i++)
    g_string_append_printf (text, "{\"task_id\": \"b%u\", \"task_type\": \"refund\", "
                            "\"task_description\": \"d\", \"agent_output\": {\"content\": "
                            "\"Refund $%u.\", \"confidence\": 0.95}, "
                            "\"escalation_reason\": \"policy_required\"}\n", i, i);

  return g_string_free (text, FALSE);
}

/* The lines after the first of @out. */
static GStrv
ids_after_message (const char *out)
{
  g_auto(GStrv) lines = g_strsplit (out, "\n", -1);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 1; lines[i] != NULL; i++)
    if (lines[i][0] != '\0')
      g_strv_builder_add (builder, lines[i]);

  return g_strv_builder_end (builder);
}

static void
test_bulk_approve (Fixture       *fixture,
                   gconstpointer  data)
{
  g_auto(VdTestRun) run = { 0 };
  g_autofree char *text = band_queue ();
  g_autofree char *queue = vd_test_write_file (fixture->dir, "q.jsonl", text);
  g_auto(GStrv) sample = NULL;

#define BULK "bulk-approve", "--queue", "q", "--type", "refund", "--min-confidence", "0.9", \
             "--reviewer", "alice", "--seed", "42"

  run_cli (&run, fixture, "import", queue, NULL);
  vd_test_run_clear (&run);

  /* First call: the sample to decide. */
  run_cli (&run, fixture, BULK, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.err, ==, UNVERIFIED ("alice"));
  g_assert_true (g_str_has_prefix (run.out, "Bulk approve 1: 10 items in the band, 3 sampled "
                                            "(seed 42); decide the sampled items one by one "
                                            "first, approving those that are right as they "
                                            "are, then ask again\n"));
  sample = ids_after_message (run.out);
  g_assert_cmpuint (g_strv_length (sample), ==, 3);
  vd_test_run_clear (&run);

  /* Again at once: still waiting for them. */
  run_cli (&run, fixture, BULK, NULL);
  g_assert_cmpint (run.status, ==, 1);
  {
    g_autofree char *expected =
      g_strdup_printf ("Bulk approve 1 waits for 3 of its 3 sampled items: decide them first, "
                       "then ask again\n%s\n%s\n%s\n", sample[0], sample[1], sample[2]);

    g_assert_cmpstr (run.out, ==, expected);
  }
  vd_test_run_clear (&run);

  for (guint i = 0; i < 3; i++)
    {
      run_cli (&run, fixture, "decide", sample[i], "approve", "--reviewer", "bob", NULL);
      g_assert_cmpint (run.status, ==, 0);
      vd_test_run_clear (&run);
    }

  /* Third call: the rest of the band is approved. */
  run_cli (&run, fixture, BULK, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==, "Bulk approve 1: all 3 sampled items were approved unmodified; "
                                "approved the other 7 items of the band\n");
  vd_test_run_clear (&run);
  for (guint i = 0; i < 10; i++)
    {
      g_autofree char *task_id = g_strdup_printf ("b%u", i);

      g_assert_cmpint (status_of (fixture, "q", task_id), ==, VD_TASK_STATUS_APPROVED);
    }

  run_cli (&run, fixture, "audit", "verify", NULL);
  g_assert_cmpint (run.status, ==, 0);
  vd_test_run_clear (&run);

  /* Usage. */
  run_cli (&run, fixture, "bulk-approve", "--min-confidence", "0.9", "--reviewer", "a", NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_cmpstr (run.err, ==, "verdict-cli bulk-approve: --queue Q is required\n");
  vd_test_run_clear (&run);
  run_cli (&run, fixture, "bulk-approve", "--queue", "q", "--reviewer", "a", NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_cmpstr (run.err, ==, "verdict-cli bulk-approve: --min-confidence X is required\n");
  vd_test_run_clear (&run);
  run_cli (&run, fixture, "bulk-approve", "--queue", "q", "--min-confidence", "0.9", NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_cmpstr (run.err, ==, "verdict-cli bulk-approve: --reviewer ID is required\n");
  vd_test_run_clear (&run);
  run_cli (&run, fixture, "bulk-approve", "--queue", "q", "--min-confidence", "0.9",
           "--max-confidence", "0.8", "--reviewer", "a", NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_cmpstr (run.err, ==, UNVERIFIED ("a")
                                "verdict-cli bulk-approve: The lowest confidence 0.9 is above "
                                "the highest 0.8\n");
  vd_test_run_clear (&run);
  run_cli (&run, fixture, "bulk-approve", "--queue", "q", "--min-confidence", "0.9",
           "--reason", "urgent", "--reviewer", "a", NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_cmpstr (run.err, ==, "verdict-cli bulk-approve: --reason: expected one of "
                                "low_confidence, sensitive_content, high_risk_action, "
                                "ambiguous_input, error_occurred, policy_required, "
                                "user_requested, found “urgent”\n");
  vd_test_run_clear (&run);

  /* Nothing left in the band. */
  run_cli (&run, fixture, BULK, NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_cmpstr (run.err, ==, UNVERIFIED ("alice")
                                "verdict-cli: No pending item in queue q matches the band "
                                "{\"queue\":\"q\",\"task_type\":\"refund\","
                                "\"min_confidence\":0.9,\"max_confidence\":1}: nothing to "
                                "approve\n");
#undef BULK
}

static void
test_bulk_cancel (Fixture       *fixture,
                  gconstpointer  data)
{
  g_auto(VdTestRun) run = { 0 };
  g_autofree char *text = band_queue ();
  g_autofree char *queue = vd_test_write_file (fixture->dir, "q.jsonl", text);
  g_autofree char *expected = NULL;
  g_auto(GStrv) sample = NULL;
  guint n_pending = 0;

  run_cli (&run, fixture, "import", queue, NULL);
  vd_test_run_clear (&run);

  run_cli (&run, fixture, "bulk-approve", "--queue", "q", "--min-confidence", "0.9",
           "--reviewer", "alice", "--sample", "20", NULL);
  g_assert_cmpint (run.status, ==, 0);
  sample = ids_after_message (run.out);
  g_assert_cmpuint (g_strv_length (sample), ==, 3);
  vd_test_run_clear (&run);

  run_cli (&run, fixture, "decide", sample[2], "reject", "--reviewer", "bob",
           "--feedback", "Wrong card", NULL);
  g_assert_cmpint (run.status, ==, 0);
  vd_test_run_clear (&run);

  run_cli (&run, fixture, "bulk-approve", "--queue", "q", "--min-confidence", "0.9",
           "--reviewer", "alice", "--sample", "20", NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_cmpstr (run.out, ==, "");
  expected = g_strdup_printf (UNVERIFIED ("alice")
                              "verdict-cli: Bulk approve 1 is cancelled: sample item %s was "
                              "rejected by bob (“Wrong card”); nothing else in the band was "
                              "approved\n", sample[2]);
  g_assert_cmpstr (run.err, ==, expected);

  for (guint i = 0; i < 10; i++)
    {
      g_autofree char *task_id = g_strdup_printf ("b%u", i);

      n_pending += status_of (fixture, "q", task_id) == VD_TASK_STATUS_PENDING;
    }
  g_assert_cmpuint (n_pending, ==, 9);
}

/* run against a full queue */

static const char pending_queue[] =
  "{\"verdict_queue\": 1, \"queue\": \"payments\"}\n"
  "{\"task_id\": \"old\", \"task_description\": \"d\", \"agent_output\": "
  "{\"content\": \"c\", \"confidence\": 0.1}}\n";

static void
test_run_refuse (Fixture       *fixture,
                 gconstpointer  data)
{
  g_auto(VdTestRun) run = { 0 };
  g_autofree char *queue = vd_test_write_file (fixture->dir, "old.jsonl", pending_queue);
  g_autofree char *policy =
    vd_test_write_file (fixture->dir, "policy.json",
                "{\"queues\": {\"payments\": {\"max_pending\": 1, \"on_full\": \"refuse\"}}}");
  g_autofree char *inputs =
    vd_test_write_file (fixture->dir, "payments.jsonl",
                "{\"task_id\": \"n1\", \"task_description\": \"Refund order 1\"}\n");
  g_autofree char *summary = NULL;

  run_cli (&run, fixture, "import", queue, NULL);
  vd_test_run_clear (&run);

  run_cli (&run, fixture, "run", "--endpoint", vd_test_llm_server_get_base_url (fixture->server),
           "--policy", policy, inputs, NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_cmpstr (run.err, ==,
                   "verdict-cli: payments.jsonl:1: queue “payments” is full: 1 pending item, "
                   "the limit is 1; new inputs are refused\n"
                   "verdict-cli run: 1 of 1 inputs were not stored\n");
  summary = g_strdup_printf ("1 input: 0 queued for review, 0 auto-approved, 0 failed "
                             "(queued as error_occurred), 1 not stored; policy: %s\n", policy);
  g_assert_cmpstr (run.out, ==, summary);
  g_assert_cmpuint (vd_test_llm_server_get_n_requests (fixture->server), ==, 0);
  g_assert_cmpint (status_of (fixture, "payments", "old"), ==, VD_TASK_STATUS_PENDING);
}

typedef struct
{
  GDataInputStream *stream;
  GString          *out;
  gboolean          waiting;
  gboolean          eof;
} Reader;

static void
on_line (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Reader *reader = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;

  line = g_data_input_stream_read_line_finish_utf8 (reader->stream, result, NULL, &error);
  g_assert_no_error (error);
  if (line == NULL)
    {
      reader->eof = TRUE;
      return;
    }

  g_string_append_printf (reader->out, "%s\n", line);
  if (g_str_has_suffix (line, "waiting for reviewers…"))
    reader->waiting = TRUE;
  g_data_input_stream_read_line_async (reader->stream, G_PRIORITY_DEFAULT, NULL, on_line,
                                       reader);
}

static void
test_run_pause (Fixture       *fixture,
                gconstpointer  data)
{
  g_auto(VdTestRun) import = { 0 };
  g_autofree char *queue = vd_test_write_file (fixture->dir, "old.jsonl", pending_queue);
  g_autofree char *policy =
    vd_test_write_file (fixture->dir, "policy.json",
                "{\"queues\": {\"payments\": {\"max_pending\": 1, \"on_full\": "
                "\"pause_agent\"}}}");
  g_autofree char *inputs =
    vd_test_write_file (fixture->dir, "payments.jsonl",
                "{\"task_id\": \"n1\", \"task_description\": \"Refund order 1\"}\n");
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *expected = NULL;
  g_autoptr(GError) error = NULL;
  Reader reader = { 0, };
  gint64 waited_since;

  vd_test_llm_server_set_default (fixture->server,
                                  vd_test_reply_new_content ("{\"content\": \"Refund $5.\", "
                                                             "\"confidence\": 0.4, "
                                                             "\"reasoning\": \"r\", "
                                                             "\"metadata\": {}}"));
  run_cli (&import, fixture, "import", queue, NULL);

  g_ptr_array_add (args, (char *) "run");
  g_ptr_array_add (args, (char *) "--endpoint");
  g_ptr_array_add (args, (char *) vd_test_llm_server_get_base_url (fixture->server));
  g_ptr_array_add (args, (char *) "--policy");
  g_ptr_array_add (args, policy);
  g_ptr_array_add (args, inputs);
  g_ptr_array_add (args, NULL);
  process = vd_test_spawn_cli (fixture->db, NULL, NULL, G_SUBPROCESS_FLAGS_STDOUT_PIPE,
                               (const char * const *) args->pdata);

  /* It says it waits, and runs nothing meanwhile. */
  reader.stream = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  reader.out = out;
  g_data_input_stream_read_line_async (reader.stream, G_PRIORITY_DEFAULT, NULL, on_line,
                                       &reader);
  vd_test_wait_for (&reader.waiting, 10000);
  g_assert_cmpstr (out->str, ==,
                   "queue payments is full (1 pending, limit 1): waiting for reviewers…\n");
  g_assert_cmpuint (vd_test_llm_server_get_n_requests (fixture->server), ==, 0);

  /* A reviewer decides: the run goes on and ends well. */
  waited_since = g_get_monotonic_time ();
  {
    g_autoptr(VdStore) store = vd_test_open_store (fixture->db);
    g_autoptr(VdDecision) decision = vd_decision_new ("payments", "old",
                                                      VD_DECISION_KIND_APPROVE, "alice");

    g_assert_true (vd_store_record_decision (store, decision, &error));
    g_assert_no_error (error);
  }
  vd_test_wait_for (&reader.eof, 10000);
  g_assert_cmpint (g_get_monotonic_time () - waited_since, <, 5 * G_USEC_PER_SEC);
  g_assert_true (g_subprocess_wait_check (process, NULL, &error));
  g_assert_no_error (error);
  expected = g_strdup_printf ("queue payments is full (1 pending, limit 1): waiting for "
                              "reviewers…\n"
                              "payments/n1: queued for review: low_confidence (confidence 0.40)\n"
                              "1 input: 1 queued for review, 0 auto-approved, 0 failed (queued "
                              "as error_occurred); policy: %s\n", policy);
  g_assert_cmpstr (out->str, ==, expected);
  g_assert_cmpuint (vd_test_llm_server_get_n_requests (fixture->server), ==, 1);
  g_clear_object (&reader.stream);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/cli-sla/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("policy-check", test_policy_check);
  ADD ("sla-apply", test_sla_apply);
  ADD ("forecast", test_forecast);
  ADD ("bulk-approve", test_bulk_approve);
  ADD ("bulk-cancel", test_bulk_cancel);
  ADD ("run-refuse", test_run_refuse);
  ADD ("run-pause", test_run_pause);

#undef ADD

  return g_test_run ();
}
