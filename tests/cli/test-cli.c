/* test-cli.c: verdict-cli run end to end as a user would
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
#include <json-glib/json-glib.h>
#include <sqlite3.h>
#include <glib/gstdio.h>
#include <string.h>

#include "vd-test-util.h"

typedef struct
{
  char *dir;
  char *db;
  char *queue;
} Fixture;

static const char queue_text[] =
  "{\"verdict_queue\": 1, \"queue\": \"payments\", \"exported_at\": \"2026-11-20T09:00:00Z\", \"source\": \"test\"}\n"
  "{\"task_id\": \"task_0001\", \"task_description\": \"Refund order 1182\", \"task_type\": \"payment\", "
  "\"agent_output\": {\"content\": \"Refund $40 to the card on file.\", \"confidence\": 0.55, \"reasoning\": \"Receipt matches\"}}\n"
  "{\"task_id\": \"task_0002\", \"task_description\": \"Wire to a new supplier\", \"task_type\": \"payment\", "
  "\"agent_output\": {\"content\": \"Send the wire of $25,000.\", \"confidence\": 0.91, \"metadata\": {\"amount\": 25000}}}\n"
  "{\"task_id\": \"task_0003\", \"task_description\": \"Reply to a billing question\", \"task_type\": \"support\", "
  "\"agent_output\": {\"content\": \"Your invoice is attached.\", \"confidence\": 0.95}}\n"
  "{\"task_id\": \"task_0004\", \"task_description\": \"Close the stale account\", \"task_type\": \"support\", "
  "\"agent_output\": {\"content\": \"Delete the account and its personal data.\", \"confidence\": 0.88}}\n";

static const char policy_text[] =
  "{\"confidence_threshold\": 0.7, \"sensitive_keywords\": [\"delete\"], \"high_risk_actions\": [\"wire\"],"
  " \"rules\": [{\"name\": \"large payment\", \"path\": \"amount\", \"op\": \">\", \"value\": 10000}]}\n";

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *policy = NULL;

  fixture->dir = vd_test_make_tmp_dir ("cli");
  fixture->db = g_build_filename (fixture->dir, "store", "verdict.db", NULL);
  fixture->queue = g_build_filename (fixture->dir, "payments.jsonl", NULL);
  g_file_set_contents (fixture->queue, queue_text, -1, &error);
  g_assert_no_error (error);
  policy = g_build_filename (fixture->dir, "policy.json", NULL);
  g_file_set_contents (policy, policy_text, -1, &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  vd_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->db);
  g_free (fixture->queue);
}

static char *
fixture_path (Fixture    *fixture,
              const char *name)
{
  return g_build_filename (fixture->dir, name, NULL);
}

static void
import_queue (Fixture *fixture)
{
  g_auto(VdTestRun) run = { 0 };
  g_autofree char *policy = fixture_path (fixture, "policy.json");

  g_autofree char *expected = NULL;

  vd_test_run_cli (&run, fixture->db, "import", "--policy", policy, fixture->queue, NULL);
  g_assert_cmpstr (run.err, ==, "");
  g_assert_cmpint (run.status, ==, 0);
  expected = g_strdup_printf ("4 imported, 0 revised, 0 skipped, 0 invalid: 3 queued for review, "
                              "1 auto-approved; policy: %s\n", policy);
  g_assert_cmpstr (run.out, ==, expected);
}

static GPtrArray *
parse_json_lines (const char *text)
{
  g_autoptr(GPtrArray) nodes = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      JsonNode *node;

      if (lines[i][0] == '\0')
        continue;
      node = json_from_string (lines[i], &error);
      g_assert_no_error (error);
      g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
      g_ptr_array_add (nodes, node);
    }

  return g_steal_pointer (&nodes);
}

static void
test_end_to_end (Fixture       *fixture,
                 gconstpointer  data)
{
  g_auto(VdTestRun) run = { 0 };
  g_autofree char *export_path = fixture_path (fixture, "decisions.jsonl");
  g_autofree char *outputs_path = fixture_path (fixture, "outputs.jsonl");
  g_autofree char *contents = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *object;

  import_queue (fixture);

  /* Lowest confidence first; the auto-approved task_0003 is not listed. */
  vd_test_run_cli (&run, fixture->db, "list", "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  lines = parse_json_lines (run.out);
  g_assert_cmpuint (lines->len, ==, 3);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (lines->pdata[0]), "task_id"), ==, "task_0001");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (lines->pdata[0]), "escalation_reason"), ==, "low_confidence");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (lines->pdata[1]), "task_id"), ==, "task_0004");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (lines->pdata[1]), "escalation_reason"), ==, "sensitive_content");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (lines->pdata[2]), "task_id"), ==, "task_0002");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (lines->pdata[2]), "escalation_reason"), ==, "high_risk_action");
  g_clear_pointer (&lines, g_ptr_array_unref);
  vd_test_run_clear (&run);

  vd_test_run_cli (&run, fixture->db, "list", "--status", "approved", "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  lines = parse_json_lines (run.out);
  g_assert_cmpuint (lines->len, ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (lines->pdata[0]), "task_id"), ==, "task_0003");
  g_clear_pointer (&lines, g_ptr_array_unref);
  vd_test_run_clear (&run);

  /* --search finds text in any field, ignoring case, through the store's
   * index from three characters on, and by reading the rows below. */
  vd_test_run_cli (&run, fixture->db, "list", "--search", "NEW SUPP", "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  lines = parse_json_lines (run.out);
  g_assert_cmpuint (lines->len, ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (lines->pdata[0]), "task_id"), ==, "task_0002");
  g_clear_pointer (&lines, g_ptr_array_unref);
  vd_test_run_clear (&run);
  vd_test_run_cli (&run, fixture->db, "list", "--search", "TASK_000", "--status", "all", "--json",
                   NULL);
  g_assert_cmpint (run.status, ==, 0);
  lines = parse_json_lines (run.out);
  g_assert_cmpuint (lines->len, ==, 4);
  g_clear_pointer (&lines, g_ptr_array_unref);
  vd_test_run_clear (&run);

  /* Decisions, options after the positional arguments too. */
  vd_test_run_cli (&run, fixture->db, "decide", "task_0001", "approve", "--reviewer", "alice", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_str_has_prefix (run.out, "approve payments/task_0001 (revision 0) by alice: audit #"));
  vd_test_run_clear (&run);
  vd_test_run_cli (&run, fixture->db, "decide", "--queue", "payments", "task_0002", "reject",
           "--reviewer", "bob", "--feedback", "Supplier is not verified yet", NULL);
  g_assert_cmpint (run.status, ==, 0);
  vd_test_run_clear (&run);
  vd_test_run_cli (&run, fixture->db, "decide", "task_0004", "modify", "--reviewer", "alice",
           "--content", "Deactivate the account; keep records for 30 days.",
           "--feedback", "Retention rules", NULL);
  g_assert_cmpint (run.status, ==, 0);
  vd_test_run_clear (&run);

  /* show --json carries the decision. */
  vd_test_run_cli (&run, fixture->db, "show", "task_0004", "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  lines = parse_json_lines (run.out);
  g_assert_cmpuint (lines->len, ==, 1);
  object = json_node_get_object (lines->pdata[0]);
  g_assert_cmpstr (json_object_get_string_member (object, "status"), ==, "modified");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "decisions")), ==, 1);
  g_clear_pointer (&lines, g_ptr_array_unref);
  vd_test_run_clear (&run);

  vd_test_run_cli (&run, fixture->db, "stats", "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  lines = parse_json_lines (run.out);
  object = json_node_get_object (lines->pdata[0]);
  g_assert_cmpint (json_object_get_int_member (object, "total_tasks"), ==, 4);
  g_assert_cmpint (json_object_get_int_member (object, "auto_approved"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (object, "escalated"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (object, "human_approved"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (object, "human_rejected"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (object, "human_modified"), ==, 1);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (object, "avg_confidence"),
                                  (0.55 + 0.91 + 0.95 + 0.88) / 4, 1e-9);
  g_clear_pointer (&lines, g_ptr_array_unref);
  vd_test_run_clear (&run);

  /* Export decisions to a file and to standard output. */
  vd_test_run_cli (&run, fixture->db, "export", "decisions", export_path, NULL);
  g_assert_cmpint (run.status, ==, 0);
  {
    g_autofree char *expected = g_strdup_printf ("4 records written to %s\n", export_path);
    g_assert_cmpstr (run.out, ==, expected);
  }
  vd_test_run_clear (&run);
  g_file_get_contents (export_path, &contents, NULL, &error);
  g_assert_no_error (error);
  lines = parse_json_lines (contents);
  g_assert_cmpuint (lines->len, ==, 5);   /* header + the auto-approval + 3 human decisions */
  object = json_node_get_object (lines->pdata[0]);
  g_assert_cmpint (json_object_get_int_member (object, "verdict_decisions"), ==, 1);
  g_assert_true (json_object_has_member (object, "audit_head"));
  g_clear_pointer (&lines, g_ptr_array_unref);

  vd_test_run_cli (&run, fixture->db, "export", "outputs", "-", NULL);
  g_assert_cmpint (run.status, ==, 0);
  lines = parse_json_lines (run.out);
  g_assert_cmpuint (lines->len, ==, 5);
  for (guint i = 1; i < lines->len; i++)
    {
      object = json_node_get_object (lines->pdata[i]);
      if (g_str_equal (json_object_get_string_member (object, "task_id"), "task_0002"))
        g_assert_cmpstr (json_object_get_string_member (object, "final_output"), ==, "");
      if (g_str_equal (json_object_get_string_member (object, "task_id"), "task_0004"))
        g_assert_cmpstr (json_object_get_string_member (object, "final_output"), ==,
                         "Deactivate the account; keep records for 30 days.");
    }
  g_clear_pointer (&lines, g_ptr_array_unref);
  vd_test_run_clear (&run);

  vd_test_run_cli (&run, fixture->db, "export", "outputs", outputs_path, NULL);
  g_assert_cmpint (run.status, ==, 0);
  vd_test_run_clear (&run);

  vd_test_run_cli (&run, fixture->db, "audit", "verify", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_str_has_prefix (run.out, "audit trail intact: "));
  g_assert_cmpstr (run.err, ==, "");
}

static void
test_failures (Fixture       *fixture,
               gconstpointer  data)
{
  g_auto(VdTestRun) run = { 0 };

  import_queue (fixture);

  /* Deciding twice fails with one clear line. */
  vd_test_run_cli (&run, fixture->db, "decide", "task_0001", "approve", "--reviewer", "alice", NULL);
  g_assert_cmpint (run.status, ==, 0);
  vd_test_run_clear (&run);
  vd_test_run_cli (&run, fixture->db, "decide", "task_0001", "reject", "--reviewer", "bob",
           "--feedback", "no", NULL);
  g_assert_cmpint (run.status, ==, 1);
  /* A note that bob has no key, then the one line. */
  g_assert_true (g_str_has_prefix (run.err, "verdict-cli: bob has no key: "));
  g_assert_nonnull (strstr (run.err, "approved"));
  g_assert_cmpint (strchr (strchr (run.err, '\n') + 1, '\n') - run.err + 1, ==, strlen (run.err));
  vd_test_run_clear (&run);

  /* Reject without feedback: refused by the store. */
  vd_test_run_cli (&run, fixture->db, "decide", "task_0002", "reject", "--reviewer", "bob", NULL);
  g_assert_cmpint (run.status, ==, 1);
  vd_test_run_clear (&run);

  /* Unknown task. */
  vd_test_run_cli (&run, fixture->db, "show", "task_9999", NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "task_9999"));
  vd_test_run_clear (&run);

  /* A bad queue file: file, line and field in one line; nothing imported. */
  {
    g_autofree char *bad = fixture_path (fixture, "bad.jsonl");
    g_autoptr(GError) error = NULL;

    g_file_set_contents (bad,
                         "{\"task_id\": \"t1\", \"task_description\": \"x\", \"agent_output\": {\"content\": \"y\", \"confidence\": 0.5}}\n"
                         "{\"task_id\": \"t2\", \"task_description\": \"x\", \"agent_output\": {\"content\": \"y\", \"confidence\": \"high\"}}\n",
                         -1, &error);
    g_assert_no_error (error);
    vd_test_run_cli (&run, fixture->db, "import", bad, NULL);
    g_assert_cmpint (run.status, ==, 1);
    g_assert_cmpstr (run.err, ==,
                     "verdict-cli: bad.jsonl:2 (task t2): agent_output.confidence must be a number "
                     "from 0 to 1, found \"high\"\n");
    vd_test_run_clear (&run);
    vd_test_run_cli (&run, fixture->db, "list", "--queue", "bad", "--status", "all", NULL);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_cmpstr (run.out, ==, "");
    vd_test_run_clear (&run);

    vd_test_run_cli (&run, fixture->db, "import", "--skip-invalid", bad, NULL);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_cmpstr (run.out, ==,
                     "1 imported, 0 revised, 0 skipped, 1 invalid: 1 queued for review, "
                     "0 auto-approved; no policy chosen: every item queued for review "
                     "(use --policy FILE)\n");
    g_assert_nonnull (strstr (run.err, "bad.jsonl:2 (task t2): agent_output.confidence"));
    vd_test_run_clear (&run);
  }

  /* Re-import is idempotent. */
  {
    g_autofree char *policy = fixture_path (fixture, "policy.json");

    g_autofree char *expected = g_strdup_printf ("0 imported, 0 revised, 4 skipped, 0 invalid: "
                                                 "0 queued for review, 0 auto-approved; "
                                                 "policy: %s\n", policy);

    vd_test_run_cli (&run, fixture->db, "import", "--policy", policy, fixture->queue, NULL);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_cmpstr (run.out, ==, expected);
    vd_test_run_clear (&run);
  }
}

static void
test_usage (Fixture       *fixture,
            gconstpointer  data)
{
  g_auto(VdTestRun) run = { 0 };

  vd_test_run_cli (&run, NULL, NULL);
  g_assert_cmpint (run.status, ==, 2);
  vd_test_run_clear (&run);
  vd_test_run_cli (&run, fixture->db, "frobnicate", NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_cmpstr (run.err, ==, "verdict-cli: unknown command “frobnicate” (see verdict-cli --help)\n");
  vd_test_run_clear (&run);
  vd_test_run_cli (&run, fixture->db, "decide", "task_0001", "approve", NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_cmpstr (run.err, ==, "verdict-cli decide: --reviewer ID is required\n");
  vd_test_run_clear (&run);
  vd_test_run_cli (&run, fixture->db, "decide", "task_0001", "maybe", "--reviewer", "a", NULL);
  g_assert_cmpint (run.status, ==, 2);
  vd_test_run_clear (&run);
  vd_test_run_cli (&run, fixture->db, "list", "--sort", "size", NULL);
  g_assert_cmpint (run.status, ==, 2);
  vd_test_run_clear (&run);
  vd_test_run_cli (&run, fixture->db, "list", "--bogus", NULL);
  g_assert_cmpint (run.status, ==, 2);
  vd_test_run_clear (&run);
  vd_test_run_cli (&run, fixture->db, "export", "everything", "-", NULL);
  g_assert_cmpint (run.status, ==, 2);
  vd_test_run_clear (&run);
  vd_test_run_cli (&run, fixture->db, "audit", NULL);
  g_assert_cmpint (run.status, ==, 2);
  vd_test_run_clear (&run);
  vd_test_run_cli (&run, NULL, "policy", "check", fixture->queue, NULL);
  g_assert_cmpint (run.status, ==, 2);
  vd_test_run_clear (&run);
  vd_test_run_cli (&run, fixture->db, "import", NULL);
  g_assert_cmpint (run.status, ==, 2);
  vd_test_run_clear (&run);
  vd_test_run_cli (&run, NULL, "--version", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==, "verdict-cli " PACKAGE_VERSION "\n");
}

static void
test_policy_check (Fixture       *fixture,
                   gconstpointer  data)
{
  g_auto(VdTestRun) run = { 0 };
  g_autofree char *policy = fixture_path (fixture, "policy.json");
  g_autoptr(GPtrArray) lines = NULL;
  const struct { const char *task_id; gboolean escalate; const char *reason; } expected[] = {
    { "task_0001", TRUE, "low_confidence" },
    { "task_0002", TRUE, "high_risk_action" },
    { "task_0003", FALSE, NULL },
    { "task_0004", TRUE, "sensitive_content" },
  };

  vd_test_run_cli (&run, NULL, "policy", "check", "--policy", policy, "--json", fixture->queue, NULL);
  g_assert_cmpstr (run.err, ==, "");
  g_assert_cmpint (run.status, ==, 0);
  lines = parse_json_lines (run.out);
  /* The last line warns that three items lack "amount" (test_policy_check_warnings). */
  g_assert_cmpuint (lines->len, ==, G_N_ELEMENTS (expected) + 1);
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      JsonObject *object = json_node_get_object (lines->pdata[i]);

      g_assert_cmpstr (json_object_get_string_member (object, "task_id"), ==, expected[i].task_id);
      g_assert_cmpint (json_object_get_boolean_member (object, "escalate"), ==, expected[i].escalate);
      if (expected[i].reason != NULL)
        g_assert_cmpstr (json_object_get_string_member (object, "reason"), ==, expected[i].reason);
      else
        g_assert_true (json_object_get_null_member (object, "reason"));
    }
  vd_test_run_clear (&run);

  /* A policy with a typo is refused, naming the field. */
  {
    g_autofree char *bad = fixture_path (fixture, "typo.json");
    g_autoptr(GError) error = NULL;

    g_file_set_contents (bad, "{\"treshold\": 0.8}", -1, &error);
    g_assert_no_error (error);
    vd_test_run_cli (&run, NULL, "policy", "check", "--policy", bad, fixture->queue, NULL);
    g_assert_cmpint (run.status, ==, 1);
    g_assert_nonnull (strstr (run.err, "treshold"));
  }
}

static void
test_audit_tamper (Fixture       *fixture,
                   gconstpointer  data)
{
  g_auto(VdTestRun) run = { 0 };
  sqlite3 *db = NULL;
  char *message = NULL;

  import_queue (fixture);
  vd_test_run_cli (&run, fixture->db, "decide", "task_0001", "approve", "--reviewer", "alice",
           "--feedback", "Receipt checked", NULL);
  g_assert_cmpint (run.status, ==, 0);
  vd_test_run_clear (&run);

  /* Someone rewrites history with the plain sqlite3 tool. */
  g_assert_cmpint (sqlite3_open (fixture->db, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "DROP TRIGGER IF EXISTS audit_no_update;"
                                     "DROP TRIGGER IF EXISTS audit_no_delete;", NULL, NULL, &message), ==, SQLITE_OK);
  {
    sqlite3_stmt *stmt = NULL;
    int rc;

    /* Drop whatever triggers guard the audit table, whatever their names. */
    g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT name FROM sqlite_master WHERE type = 'trigger'",
                                         -1, &stmt, NULL), ==, SQLITE_OK);
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      {
        g_autofree char *sql = g_strdup_printf ("DROP TRIGGER \"%s\"", sqlite3_column_text (stmt, 0));
        g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
      }
    sqlite3_finalize (stmt);
  }
  g_assert_cmpint (sqlite3_exec (db, "UPDATE audit SET payload = replace(payload, 'Receipt checked', 'Looks fine') "
                                     "WHERE event = 'decision'", NULL, NULL, &message), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_changes (db), ==, 1);
  sqlite3_close (db);

  vd_test_run_cli (&run, fixture->db, "audit", "verify", NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_true (g_str_has_prefix (run.err, "verdict-cli: audit event "));
  g_assert_cmpstr (run.out, ==, "");
}

/* Text a queue carries that would act on a terminal: ESC[8m hides the rest
 * of the line, U+009B is a CSI of its own, BEL rings, U+202E reverses. */
#define HOSTILE_JSON "\\u001b[8mhidden\\u009b31m\\u0007 \\u202eevil"
#define HOSTILE      "\x1b[8mhidden\xc2\x9b" "31m\x07 \xe2\x80\xae" "evil"
#define HOSTILE_SHOWN "\\x1b[8mhidden\\u009b31m\\x07 \\u202eevil"

static void
assert_no_raw_controls (const char *text)
{
  g_assert_null (strchr (text, '\x1b'));
  g_assert_null (strchr (text, '\x07'));
  g_assert_null (strstr (text, "\xc2\x9b"));
  g_assert_null (strstr (text, "\xe2\x80\xae"));
  g_assert_true (g_utf8_validate (text, -1, NULL));
}

static void
test_terminal_escapes (Fixture       *fixture,
                       gconstpointer  data)
{
  g_auto(VdTestRun) run = { 0 };
  g_autofree char *path = fixture_path (fixture, "hostile.jsonl");
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *object;
  JsonArray *decisions;

  g_file_set_contents (path,
                       "{\"verdict_queue\": 1, \"queue\": \"mail\", \"exported_at\": \"2026-11-20T09:00:00Z\"}\n"
                       "{\"task_id\": \"t1\", \"task_description\": \"Answer " HOSTILE_JSON "\", "
                       "\"task_type\": \"support\", \"agent_output\": {\"content\": \"Dear " HOSTILE_JSON
                       "\\nsecond\\tline\", \"confidence\": 0.4, \"reasoning\": \"" HOSTILE_JSON "\"}}\n",
                       -1, &error);
  g_assert_no_error (error);
  vd_test_run_cli (&run, fixture->db, "import", path, NULL);
  g_assert_cmpstr (run.err, ==, "");
  g_assert_cmpint (run.status, ==, 0);
  vd_test_run_clear (&run);

  /* The listing's one-line description. */
  vd_test_run_cli (&run, fixture->db, "list", NULL);
  g_assert_cmpint (run.status, ==, 0);
  assert_no_raw_controls (run.out);
  g_assert_nonnull (strstr (run.out, "Answer " HOSTILE_SHOWN "\n"));
  vd_test_run_clear (&run);

  /* The reviewer id and the feedback are text from elsewhere too. */
  vd_test_run_cli (&run, fixture->db, "decide", "t1", "reject",
                   "--reviewer", "eve" HOSTILE, "--feedback", "No " HOSTILE "\nat all", NULL);
  g_assert_cmpint (run.status, ==, 0);
  assert_no_raw_controls (run.out);
  g_assert_nonnull (strstr (run.out, " by eve" HOSTILE_SHOWN ": audit #"));
  vd_test_run_clear (&run);

  /* Content blocks keep their line breaks and tabs; one-line fields show
   * theirs as escapes. */
  vd_test_run_cli (&run, fixture->db, "show", "t1", NULL);
  g_assert_cmpint (run.status, ==, 0);
  assert_no_raw_controls (run.out);
  g_assert_nonnull (strstr (run.out, "Input: Answer " HOSTILE_SHOWN "\n"));
  g_assert_nonnull (strstr (run.out, "Output:\n    Dear " HOSTILE_SHOWN "\n    second\tline\n"));
  g_assert_nonnull (strstr (run.out, "Reasoning: " HOSTILE_SHOWN "\n"));
  g_assert_nonnull (strstr (run.out, "by eve" HOSTILE_SHOWN " at "));
  g_assert_nonnull (strstr (run.out, ": No " HOSTILE_SHOWN "\\nat all\n"));
  vd_test_run_clear (&run);

  /* Error messages quote what they are about. */
  vd_test_run_cli (&run, fixture->db, "show", "t9" HOSTILE, NULL);
  g_assert_cmpint (run.status, ==, 1);
  assert_no_raw_controls (run.err);
  g_assert_nonnull (strstr (run.err, "t9" HOSTILE_SHOWN));
  g_assert_cmpint (strchr (run.err, '\n') - run.err + 1, ==, strlen (run.err));
  vd_test_run_clear (&run);

  /* JSON is for programs: the exact text, in valid JSON. */
  vd_test_run_cli (&run, fixture->db, "show", "t1", "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  lines = parse_json_lines (run.out);
  g_assert_cmpuint (lines->len, ==, 1);
  object = json_node_get_object (lines->pdata[0]);
  g_assert_cmpstr (json_object_get_string_member (object, "task_description"), ==,
                   "Answer " HOSTILE);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (object,
                                                                               "agent_output"),
                                                  "content"), ==,
                   "Dear " HOSTILE "\nsecond\tline");
  decisions = json_object_get_array_member (object, "decisions");
  g_assert_cmpuint (json_array_get_length (decisions), ==, 1);
  object = json_array_get_object_element (decisions, 0);
  g_assert_cmpstr (json_object_get_string_member (object, "reviewer_id"), ==, "eve" HOSTILE);
  g_assert_cmpstr (json_object_get_string_member (object, "feedback"), ==,
                   "No " HOSTILE "\nat all");
}

/* The read-only commands answer while another process holds the write
 * lock, as a long import does. */
static void
test_read_while_writing (Fixture       *fixture,
                         gconstpointer  data)
{
  g_auto(VdTestRun) run = { 0 };
  const char * const commands[][2] = {
    { "list", NULL },
    { "show", "task_0001" },
    { "stats", NULL },
    { "audit", "verify" },
  };
  sqlite3 *db = NULL;

  import_queue (fixture);

  g_assert_cmpint (sqlite3_open (fixture->db, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "BEGIN IMMEDIATE;"
                                     "INSERT INTO meta (key, value) VALUES ('busy', 'yes')",
                                 NULL, NULL, NULL), ==, SQLITE_OK);

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      vd_test_run_cli (&run, fixture->db, commands[i][0], commands[i][1], NULL);
      g_assert_cmpstr (run.err, ==, "");
      g_assert_cmpint (run.status, ==, 0);
      g_assert_cmpstr (run.out, !=, "");
      vd_test_run_clear (&run);
    }

  g_assert_cmpint (sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

/* Policy hardening: rules that fail closed, hidden keywords, policies
 * that would crash the loader or poison the store. */

static const char hardening_queue[] =
  "{\"verdict_queue\": 1, \"queue\": \"payments\"}\n"
  "{\"task_id\": \"t1\", \"task_description\": \"Refund\", \"task_type\": \"payment\", "
  "\"agent_output\": {\"content\": \"Refund $12,400 to the original card.\", \"confidence\": 0.95, "
  "\"metadata\": {\"amount\": \"12400\"}}}\n"
  "{\"task_id\": \"t2\", \"task_description\": \"Refund\", \"task_type\": \"payment\", "
  "\"agent_output\": {\"content\": \"Refund the card.\", \"confidence\": 0.95, "
  "\"metadata\": {\"amount\": \"12,400\"}}}\n"
  "{\"task_id\": \"t3\", \"task_description\": \"Close\", \"task_type\": \"support\", "
  "\"agent_output\": {\"content\": \"Please d\\u0435lete the account.\", \"confidence\": 0.95}}\n"
  "{\"task_id\": \"t4\", \"task_description\": \"Close\", \"task_type\": \"support\", "
  "\"agent_output\": {\"content\": \"Please del\\u200bete the account.\", \"confidence\": 0.95}}\n"
  "{\"task_id\": \"t5\", \"task_description\": \"Reply\", \"task_type\": \"support\", "
  "\"agent_output\": {\"content\": \"Your invoice is attached.\", \"confidence\": 0.95}}\n";

static const char hardening_policy[] =
  "{\"sensitive_keywords\": [\"delete\"], \"sla_minutes\": 60, \"rules\": [{\"name\": \"large payment\", "
  "\"path\": \"amount\", \"op\": \">\", \"value\": 10000, \"reason\": \"high_risk_action\"}]}\n";

static void
test_policy_check_warnings (Fixture       *fixture,
                            gconstpointer  data)
{
  g_auto(VdTestRun) run = { 0 };
  g_autofree char *queue = vd_test_write_file (fixture->dir, "hardening.jsonl", hardening_queue);
  g_autofree char *policy = vd_test_write_file (fixture->dir, "hardening.json", hardening_policy);
  g_autofree char *strict = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  JsonObject *warning;

  vd_test_run_cli (&run, NULL, "policy", "check", "--policy", policy, queue, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==,
                   "t1               escalate high_risk_action   rule “large payment”: amount "
                   "“12400” (text read as the number 12400) > 10000\n"
                   "t2               escalate high_risk_action   rule “large payment” (amount > "
                   "10000) cannot be applied: amount is “12,400”, not a number; a human must "
                   "check it\n"
                   "t3               escalate sensitive_content  the word “d\u0435lete” mixes "
                   "Latin and Cyrillic letters, a way to hide a keyword\n"
                   "t4               escalate sensitive_content  the output mentions the "
                   "sensitive keyword “delete”\n"
                   "t5               approve  -                  confidence 0.95 meets the "
                   "threshold 0.70 and no other check fired\n");
  g_assert_cmpstr (run.err, ==,
                   "verdict-cli policy: warning: rule 1 “large payment” (amount > 10000): field "
                   "amount is missing from 3 of 5 items; they pass this rule unless it says "
                   "\"when_missing\": \"escalate\"\n");
  vd_test_run_clear (&run);

  vd_test_run_cli (&run, NULL, "policy", "check", "--policy", policy, "--json", queue, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.err, ==, "");
  lines = parse_json_lines (run.out);
  g_assert_cmpuint (lines->len, ==, 6);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (lines->pdata[2]), "check"),
                   ==, "mixed_script");
  warning = json_node_get_object (lines->pdata[5]);
  g_assert_cmpstr (json_object_get_string_member (warning, "warning"), ==, "missing_field");
  g_assert_cmpint (json_object_get_int_member (warning, "rule"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (warning, "name"), ==, "large payment");
  g_assert_cmpstr (json_object_get_string_member (warning, "field"), ==, "amount");
  g_assert_cmpint (json_object_get_int_member (warning, "missing"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (warning, "items"), ==, 5);
  g_assert_true (g_str_has_prefix (json_object_get_string_member (warning, "message"),
                                   "rule 1 “large payment” (amount > 10000): field amount is "
                                   "missing from 3 of 5 items"));
  vd_test_run_clear (&run);

  /* A rule that escalates items without its field needs no warning. */
  strict = vd_test_write_file (fixture->dir, "strict.json",
                               "{\"rules\": [{\"name\": \"large payment\", \"path\": \"amount\", "
                               "\"op\": \">\", \"value\": 10000, \"when_missing\": \"escalate\"}]}");
  vd_test_run_cli (&run, NULL, "policy", "check", "--policy", strict, queue, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.err, ==, "");
  g_assert_nonnull (strstr (run.out, "t5               escalate policy_required    rule “large "
                                     "payment” (amount > 10000): the item has no amount, and the "
                                     "rule says \"when_missing\": \"escalate\"\n"));
}

static void
test_import_bad_policy (Fixture       *fixture,
                        gconstpointer  data)
{
  g_auto(VdTestRun) run = { 0 };
  g_autofree char *queue = vd_test_write_file (fixture->dir, "hardening.jsonl", hardening_queue);
  g_autofree char *policy = vd_test_write_file (fixture->dir, "hardening.json", hardening_policy);
  g_autoptr(GString) deep = g_string_new ("{\"rules\": ");
  struct {
    const char *name;
    const char *text;
    const char *message;
  } cases[] = {
    { "surrogate.json", "{\"sensitive_keywords\": [\"del\\ud800ete\"], \"sla_minutes\": 60}",
      "sensitive_keywords[0]: not valid text: it holds an escape that is not a character (a "
      "lone surrogate such as \\ud800) or bytes that are not UTF-8\n" },
    { "infinite.json", "{\"rules\": [{\"name\": \"r\", \"path\": \"amount\", \"op\": \">\", "
      "\"value\": 1e999}]}",
      "rules[0].value: a number too large to represent (such as 1e999)\n" },
    { "deep.json", NULL, ":1:74: arrays and objects nest more than 64 levels deep\n" },
  };

  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, '[');
  cases[2].text = deep->str;

  /* Refused before anything is stored: the store keeps no policy that
   * `sla apply` cannot read back. */
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = vd_test_write_file (fixture->dir, cases[i].name, cases[i].text);

      g_test_message ("importing with %s", cases[i].name);
      vd_test_run_cli (&run, fixture->db, "import", "--policy", path, queue, NULL);
      g_assert_cmpint (run.status, ==, 1);
      g_assert_cmpstr (run.out, ==, "");
      g_assert_true (g_str_has_suffix (run.err, cases[i].message));
      g_assert_nonnull (strstr (run.err, cases[i].name));
      vd_test_run_clear (&run);

      vd_test_run_cli (&run, NULL, "policy", "check", "--policy", path, NULL);
      g_assert_cmpint (run.status, ==, 1);
      g_assert_true (g_str_has_suffix (run.err, cases[i].message));
      vd_test_run_clear (&run);
    }

  /* A sound policy imports, escalating the string amounts, and its stored
   * copy serves `sla apply`. */
  vd_test_run_cli (&run, fixture->db, "import", "--policy", policy, queue, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_str_has_prefix (run.out, "5 imported, 0 revised, 0 skipped, 0 invalid: "
                                            "4 queued for review, 1 auto-approved; policy: "));
  vd_test_run_clear (&run);
  vd_test_run_cli (&run, fixture->db, "sla", "apply", "--now", "2099-01-01T00:00:00Z", NULL);
  g_assert_cmpstr (run.err, ==, "");
  g_assert_cmpint (run.status, ==, 0);
}

/* Without --policy an import approves only under the policy remembered
 * for the queue, and the summary says which policy applied. */
static void
test_import_policy (Fixture       *fixture,
                    gconstpointer  data)
{
  const char *samples = g_getenv ("VERDICT_SAMPLES");
  g_auto(VdTestRun) run = { 0 };
  g_autofree char *sample = NULL;
  g_autofree char *policy = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *again = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *object;

  if (samples == NULL)
    {
      g_test_skip ("VERDICT_SAMPLES is not set");
      return;
    }
  sample = g_build_filename (samples, "review-queue.jsonl", NULL);
  policy = g_build_filename (samples, "policy.json", NULL);

  /* No policy chosen: the 55 items of the sample all wait for review. */
  vd_test_run_cli (&run, fixture->db, "import", sample, NULL);
  g_assert_cmpstr (run.err, ==, "");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==,
                   "55 imported, 0 revised, 0 skipped, 0 invalid: 55 queued for review, "
                   "0 auto-approved; no policy chosen: every item queued for review "
                   "(use --policy FILE)\n");
  vd_test_run_clear (&run);

  /* The sample's policy, in another store, in JSON: 12 approved. */
  g_free (fixture->db);
  fixture->db = fixture_path (fixture, "chosen.db");
  vd_test_run_cli (&run, fixture->db, "import", "--json", "--policy", policy, sample, NULL);
  g_assert_cmpstr (run.err, ==, "");
  g_assert_cmpint (run.status, ==, 0);
  node = json_from_string (run.out, &error);
  g_assert_no_error (error);
  object = json_node_get_object (node);
  g_assert_cmpint (json_object_get_int_member (object, "imported"), ==, 55);
  g_assert_cmpint (json_object_get_int_member (object, "auto_approved"), ==, 12);
  g_assert_cmpint (json_object_get_int_member (object, "queued"), ==, 43);
  g_assert_cmpstr (json_object_get_string_member (object, "policy"), ==, "chosen");
  g_assert_cmpstr (json_object_get_string_member (object, "policy_source"), ==, policy);
  g_assert_true (json_object_get_null_member (object, "policy_queue"));
  g_assert_cmpint (json_object_get_int_member (object, "review_all"), ==, 0);
  vd_test_run_clear (&run);

  /* The same items under new ids, without --policy: the policy remembered
   * for queue demo applies. */
  g_file_get_contents (sample, &contents, NULL, &error);
  g_assert_no_error (error);
  {
    g_auto(GStrv) parts = g_strsplit (contents, "\"task_id\": \"", -1);
    g_autofree char *text = g_strjoinv ("\"task_id\": \"again-", parts);

    again = vd_test_write_file (fixture->dir, "again.jsonl", text);
    vd_test_copy_sample_attachments (samples, fixture->dir);
  }
  vd_test_run_cli (&run, fixture->db, "import", again, NULL);
  g_assert_cmpstr (run.err, ==, "");
  g_assert_cmpint (run.status, ==, 0);
  expected = g_strdup_printf ("55 imported, 0 revised, 0 skipped, 0 invalid: 43 queued for "
                              "review, 12 auto-approved; policy remembered for queue demo: %s\n",
                              policy);
  g_assert_cmpstr (run.out, ==, expected);
  vd_test_run_clear (&run);

  vd_test_run_cli (&run, fixture->db, "import", "--json", again, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_clear_pointer (&node, json_node_unref);
  node = json_from_string (run.out, &error);
  g_assert_no_error (error);
  object = json_node_get_object (node);
  g_assert_cmpint (json_object_get_int_member (object, "skipped"), ==, 55);
  g_assert_cmpstr (json_object_get_string_member (object, "policy"), ==, "remembered");
  g_assert_cmpstr (json_object_get_string_member (object, "policy_queue"), ==, "demo");
  g_assert_cmpstr (json_object_get_string_member (object, "policy_source"), ==, policy);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/cli/end-to-end", Fixture, NULL, fixture_setup, test_end_to_end, fixture_teardown);
  g_test_add ("/cli/failures", Fixture, NULL, fixture_setup, test_failures, fixture_teardown);
  g_test_add ("/cli/usage", Fixture, NULL, fixture_setup, test_usage, fixture_teardown);
  g_test_add ("/cli/import-policy", Fixture, NULL, fixture_setup, test_import_policy,
              fixture_teardown);
  g_test_add ("/cli/policy-check", Fixture, NULL, fixture_setup, test_policy_check, fixture_teardown);
  g_test_add ("/cli/audit-tamper", Fixture, NULL, fixture_setup, test_audit_tamper, fixture_teardown);
  g_test_add ("/cli/read-while-writing", Fixture, NULL, fixture_setup, test_read_while_writing,
              fixture_teardown);
  g_test_add ("/cli/terminal-escapes", Fixture, NULL, fixture_setup, test_terminal_escapes,
              fixture_teardown);
  g_test_add ("/cli/policy-check-warnings", Fixture, NULL, fixture_setup, test_policy_check_warnings,
              fixture_teardown);
  g_test_add ("/cli/import-bad-policy", Fixture, NULL, fixture_setup, test_import_bad_policy,
              fixture_teardown);

  return g_test_run ();
}
