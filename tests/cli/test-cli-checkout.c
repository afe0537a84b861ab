/* test-cli-checkout.c
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

#include <libpq-fe.h>

#include "vd-core.h"
#include "vd-test-pg.h"
#include "vd-test-util.h"

/* `team checkout` and `team checkin` of verdict-cli, end to end: the team's
 * store is a SQLite file here, Alice's offline store another one. */
typedef struct
{
  char *dir;
  char *team;
  char *offline;
  char *slice;
  char *decisions;
} Fixture;

#define ITEM(id, confidence) \
  "{\"task_id\": \"" id "\", \"task_description\": \"Pay " id "\", " \
  "\"escalation_reason\": \"high_risk_action\", " \
  "\"agent_output\": {\"content\": \"Refund " id "\", \"confidence\": " confidence "}}\n"

static const char queue_text[] =
  "{\"verdict_queue\": 1, \"queue\": \"payments\"}\n"
  ITEM ("t-1", "0.1") ITEM ("t-2", "0.2") ITEM ("t-3", "0.3") ITEM ("t-4", "0.4");

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_auto(VdTestRun) run = { 0 };
  g_autofree char *queue = NULL;

  fixture->dir = vd_test_make_tmp_dir ("cli-checkout");
  fixture->team = g_build_filename (fixture->dir, "team.db", NULL);
  fixture->offline = g_build_filename (fixture->dir, "offline.db", NULL);
  fixture->slice = g_build_filename (fixture->dir, "slice.jsonl", NULL);
  fixture->decisions = g_build_filename (fixture->dir, "decisions.jsonl", NULL);
  queue = vd_test_write_file (fixture->dir, "q.jsonl", queue_text);
  vd_test_run_cli (&run, fixture->team, "import", queue, NULL);
  g_assert_cmpint (run.status, ==, 0);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  vd_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->team);
  g_free (fixture->offline);
  g_free (fixture->slice);
  g_free (fixture->decisions);
}

static void
run_ok (const char *db,
        ...)
{
  g_auto(VdTestRun) run = { 0 };
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  const char * const as_alice[] = { "VERDICT_REVIEWER=alice", NULL };
  const char *arg;
  va_list list;

  va_start (list, db);
  while ((arg = va_arg (list, const char *)) != NULL)
    g_ptr_array_add (args, (gpointer) arg);
  va_end (list);
  g_ptr_array_add (args, NULL);

  process = vd_test_spawn_cli (db, NULL, as_alice,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                               (const char * const *) args->pdata);
  g_assert_true (g_subprocess_communicate_utf8 (process, NULL, NULL, &run.out, &run.err,
                                                &error));
  g_assert_no_error (error);
  if (g_subprocess_get_exit_status (process) != 0)
    g_error ("%s %s failed: %s", (const char *) args->pdata[0],
             args->len > 2 ? (const char *) args->pdata[1] : "", run.err);
}

/* The public key that signed the offline store's events: every line of
 * its export carries it. */
static char *
dup_line_key (const char *path)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *audit;

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  lines = g_strsplit (contents, "\n", -1);
  g_assert_true (json_parser_load_from_data (parser, lines[1], -1, NULL));
  audit = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)),
                                         "audit");
  return g_strdup (json_object_get_string_member (audit, "public_key"));
}

static void
test_round_trip (Fixture       *fixture,
                 gconstpointer  data)
{
  const char * const as_alice[] = { "VERDICT_REVIEWER=alice", NULL };
  g_auto(VdTestRun) run = { 0 };
  g_autofree char *key = NULL;
  g_autofree char *minisig = g_strconcat (fixture->slice, ".minisig", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *object;
  JsonArray *decisions;

  /* Alice takes three items for a day. */
  vd_test_run_cli_full (&run, fixture->team, NULL, as_alice, "team", "checkout", "--queue",
                        "payments", "--count", "3", fixture->slice, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_str_has_prefix (run.out, "Checked out 3 items of payments to "));
  g_assert_true (g_file_test (minisig, G_FILE_TEST_EXISTS));
  vd_test_run_clear (&run);

  /* Bob cannot decide them meanwhile. */
  vd_test_run_cli (&run, fixture->team, "decide", "--reviewer", "bob", "--queue", "payments",
                   "t-1", "approve", NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "alice is reviewing payments/t-1 until "));
  vd_test_run_clear (&run);

  /* At home: import, decide, export. */
  run_ok (fixture->offline, "import", fixture->slice, NULL);
  run_ok (fixture->offline, "decide", "--reviewer", "alice", "--queue", "payments", "t-1",
          "approve", NULL);
  run_ok (fixture->offline, "decide", "--reviewer", "alice", "--queue", "payments", "t-2",
          "reject", "--feedback", "Wrong payee", NULL);
  run_ok (fixture->offline, "decide", "--reviewer", "alice", "--queue", "payments", "t-3",
          "modify", "--content", "Refund half", NULL);
  run_ok (fixture->offline, "export", "decisions", fixture->decisions, NULL);
  key = dup_line_key (fixture->decisions);

  /* Meanwhile Alice's claim on t-2 is released and Bob decides it. */
  run_ok (fixture->team, "release", "payments", "t-2", NULL);
  vd_test_run_cli (&run, fixture->team, "decide", "--reviewer", "bob", "--queue", "payments",
                   "t-2", "approve", NULL);
  g_assert_cmpint (run.status, ==, 0);
  vd_test_run_clear (&run);

  /* Without the offline store's key the file is refused. */
  vd_test_run_cli_full (&run, fixture->team, NULL, as_alice, "team", "checkin",
                        fixture->decisions, NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "decisions.jsonl"));
  vd_test_run_clear (&run);

  /* With it: two applied, Bob's decision stays, exit 3 for the conflict. */
  vd_test_run_cli_full (&run, fixture->team, NULL, as_alice, "team", "checkin",
                        "--public-key", key, fixture->decisions, NULL);
  g_assert_cmpint (run.status, ==, 3);
  g_assert_nonnull (strstr (run.out, "t-1: approve applied\n"));
  g_assert_nonnull (strstr (run.out, "t-3: modify applied\n"));
  g_assert_nonnull (strstr (run.out, "t-2: decided meanwhile by bob at "));
  g_assert_nonnull (strstr (run.out, " (approve); your reject was not applied\n"));
  g_assert_true (g_str_has_suffix (run.out, "2 applied, 0 already applied, 1 conflict\n"));
  vd_test_run_clear (&run);

  vd_test_run_cli (&run, fixture->team, "show", "--queue", "payments", "t-3", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "Status: modified\n"));
  g_assert_nonnull (strstr (run.out, "Decision: modify by alice at "));
  vd_test_run_clear (&run);

  /* Again, for a machine: nothing new. */
  vd_test_run_cli_full (&run, fixture->team, NULL, as_alice, "team", "checkin", "--json",
                        "--public-key", key, fixture->decisions, NULL);
  g_assert_cmpint (run.status, ==, 3);
  g_assert_true (json_parser_load_from_data (parser, run.out, -1, &error));
  g_assert_no_error (error);
  object = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpint (json_object_get_int_member (object, "applied"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (object, "already_applied"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (object, "conflicts"), ==, 1);
  decisions = json_object_get_array_member (object, "decisions");
  g_assert_cmpuint (json_array_get_length (decisions), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (decisions, 1),
                                                  "status"), ==, "conflict");
  vd_test_run_clear (&run);

  /* The team's trail verifies, the checkin events included. */
  vd_test_run_cli (&run, fixture->team, "audit", "verify", NULL);
  g_assert_cmpint (run.status, ==, 0);
}

static void
test_usage (Fixture       *fixture,
            gconstpointer  data)
{
  const char * const as_alice[] = { "VERDICT_REVIEWER=alice", NULL };
  g_auto(VdTestRun) run = { 0 };

  vd_test_run_cli_full (&run, fixture->team, NULL, as_alice, "team", "checkout", "--count",
                        "3", fixture->slice, NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "--queue QUEUE is required"));
  vd_test_run_clear (&run);

  vd_test_run_cli (&run, fixture->team, "team", "checkout", "--queue", "payments", "--count",
                   "3", fixture->slice, NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "--reviewer ID is required"));
  vd_test_run_clear (&run);

  /* A queue with nothing free: an error, and no file. */
  vd_test_run_cli_full (&run, fixture->team, NULL, as_alice, "team", "checkout", "--queue",
                        "nothing", "--count", "3", fixture->slice, NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "queue nothing has no undecided item"));
  g_assert_false (g_file_test (fixture->slice, G_FILE_TEST_EXISTS));
}

/* The test database as a postgresql:// URI (the socket folder and port as
 * query parameters). */
static char *
database_uri (VdTestPg *pg)
{
  g_autoptr(GString) uri = g_string_new ("postgresql:///");
  PQconninfoOption *options = PQconninfoParse (pg->conninfo, NULL);
  char separator = '?';

  g_assert_nonnull (options);
  g_string_append_uri_escaped (uri, pg->dbname, NULL, FALSE);
  for (PQconninfoOption *o = options; o->keyword != NULL; o++)
    {
      if (o->val == NULL || g_str_equal (o->keyword, "dbname"))
        continue;
      g_string_append_printf (uri, "%c%s=", separator, o->keyword);
      g_string_append_uri_escaped (uri, o->val, NULL, FALSE);
      separator = '&';
    }
  PQconninfoFree (options);
  return g_string_free (g_steal_pointer (&uri), FALSE);
}

/* The same round trip with the team on PostgreSQL: the reviewer is the
 * session's role. Registered in suite pg with a throwaway cluster; alone
 * it skips. */
static void
test_postgresql (Fixture       *fixture,
                 gconstpointer  data)
{
  VdTestPg *pg = vd_test_pg_set_up (TRUE);
  g_autofree char *db = NULL;
  g_autofree char *user = NULL;
  g_autofree char *key = NULL;
  g_autofree char *queue = NULL;
  g_autofree char *expected = NULL;
  g_auto(VdTestRun) run = { 0 };

  if (pg == NULL)
    return;
  db = database_uri (pg);
  user = vd_test_pg_query (pg->conninfo, "SELECT session_user");
  queue = g_build_filename (fixture->dir, "q.jsonl", NULL);
  vd_test_run_cli (&run, db, "import", queue, NULL);
  g_assert_cmpint (run.status, ==, 0);
  vd_test_run_clear (&run);

  vd_test_run_cli (&run, db, "team", "checkout", "--queue", "payments", "--count", "2",
                   fixture->slice, NULL);
  if (run.status != 0 && strstr (run.err, "does not support claims") != NULL)
    {
      g_test_skip ("this PostgreSQL store keeps no claims yet");
      vd_test_pg_tear_down (pg);
      return;
    }
  g_assert_cmpint (run.status, ==, 0);
  expected = g_strdup_printf ("Checked out 2 items of payments to %s, claimed by %s until ",
                              fixture->slice, user);
  g_assert_true (g_str_has_prefix (run.out, expected));
  vd_test_run_clear (&run);

  run_ok (fixture->offline, "import", fixture->slice, NULL);
  run_ok (fixture->offline, "decide", "--reviewer", user, "--queue", "payments", "t-1",
          "approve", NULL);
  run_ok (fixture->offline, "decide", "--reviewer", user, "--queue", "payments", "t-2",
          "reject", "--feedback", "Wrong payee", NULL);
  run_ok (fixture->offline, "export", "decisions", fixture->decisions, NULL);
  key = dup_line_key (fixture->decisions);

  vd_test_run_cli (&run, db, "team", "checkin", "--public-key", key, fixture->decisions, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_str_has_suffix (run.out, "2 applied, 0 already applied, 0 conflicts\n"));
  vd_test_run_clear (&run);

  vd_test_run_cli (&run, db, "team", "checkin", "--public-key", key, fixture->decisions, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_str_has_suffix (run.out, "0 applied, 2 already applied, 0 conflicts\n"));
  vd_test_run_clear (&run);

  vd_test_run_cli (&run, db, "list", "--status", "rejected", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "t-2"));
  vd_test_run_clear (&run);

  vd_test_run_cli (&run, db, "audit", "verify", NULL);
  g_assert_cmpint (run.status, ==, 0);
  vd_test_run_clear (&run);

  vd_test_pg_tear_down (pg);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/cli-checkout/round-trip", Fixture, NULL, fixture_set_up, test_round_trip,
              fixture_tear_down);
  g_test_add ("/cli-checkout/usage", Fixture, NULL, fixture_set_up, test_usage,
              fixture_tear_down);

  g_test_add ("/cli-checkout/postgresql", Fixture, NULL, fixture_set_up, test_postgresql,
              fixture_tear_down);

  return g_test_run ();
}
