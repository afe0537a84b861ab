/* test-pg-load.c: twenty reviewers deciding at once on one PostgreSQL database
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

#include <libpq-fe.h>
#include <stdio.h>

#include "vd-core.h"
#include "vd-pg-store.h"
#include "vd-store-location.h"
#include "vd-test-pg.h"
#include "vd-test-util.h"

/*
 * A database made by "verdict-cli team init", one admin (lead) and twenty
 * reviewers (r01..r20) added by "verdict-cli team add-reviewer", a queue of
 * VERDICT_LOAD_ITEMS items (default 20000) imported by the admin. Then
 * twenty pg-load-reviewer processes, each logged in over 127.0.0.1 as its
 * own role, decide for VERDICT_LOAD_SECONDS (default 60), each writing the
 * decisions the store acknowledged to a file of its own. Afterwards: no item
 * has two decisions, every acknowledged decision is in the database and
 * every decision in the database was acknowledged, and the audit chain
 * verifies with one event per decision after the import's.
 */

#define N_REVIEWERS 20
#define QUEUE "load"

typedef struct
{
  char         role[8];
  char        *password;
  char        *output;
  GSubprocess *process;
  GDataInputStream *stdout_lines;
  guint        decided, already, claimed, connection, other;
  double       seconds;
  char         next[16];
} Reviewer;

static guint
env_uint (const char *name,
          guint       fallback)
{
  const char *text = g_getenv (name);
  guint64 value;

  if (text == NULL || *text == '\0')
    return fallback;
  value = g_ascii_strtoull (text, NULL, 10);
  g_assert_cmpuint (value, >, 0);
  return (guint) value;
}

static void
add_role (VdTestPg   *pg,
          const char *dir,
          const char *role,
          const char *password,
          const char *flag)
{
  g_autofree char *file = g_build_filename (dir, role, NULL);
  g_auto(VdTestRun) run = { 0, };

  g_assert_true (g_file_set_contents (file, password, -1, NULL));
  if (flag != NULL)
    vd_test_run_cli (&run, pg->conninfo, "team", "add-reviewer", role, flag,
                     "--passphrase-file", file, NULL);
  else
    vd_test_run_cli (&run, pg->conninfo, "team", "add-reviewer", role,
                     "--passphrase-file", file, NULL);
  if (run.status != 0)
    g_error ("team add-reviewer %s: %s", role, run.err);
}

/* @role's connection string over 127.0.0.1, as a reviewer's desktop has. */
static char *
role_conninfo (VdTestPg   *pg,
               const char *role)
{
  return g_strdup_printf ("host=127.0.0.1 port=%s dbname=%s user=%s",
                          g_getenv ("VERDICT_TEST_PG_PORT"), pg->dbname, role);
}

static char *
write_queue (const char *dir,
             guint       n_items)
{
  g_autofree char *path = g_build_filename (dir, "load.jsonl", NULL);
  g_autoptr(GString) text = g_string_new ("{\"verdict_queue\": 1, \"queue\": \"" QUEUE "\"}\n");

  for (guint i = 0; i < n_items; i++)
    g_string_append_printf (text,
                            "{\"task_id\": \"pay-%06u\", \"task_type\": \"payment\", "
                            "\"task_description\": \"Pay invoice INV-%06u: $%u.%02u\", "
                            "\"agent_output\": {\"content\": \"Approve the payment of $%u.%02u.\", "
                            "\"confidence\": 0.%02u, \"reasoning\": \"Matches the PO.\"}, "
                            "\"escalation_reason\": \"low_confidence\", "
                            "\"timestamp\": \"2026-11-25T10:00:00Z\"}\n",
                            i, i, 100 + i % 9000, i % 100, 100 + i % 9000, i % 100,
                            10 + i % 60);
  g_assert_true (g_file_set_contents (path, text->str, text->len, NULL));
  return g_steal_pointer (&path);
}

static void
import_queue (VdStore    *store,
              const char *path,
              guint       n_items)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(VdPolicy) policy = vd_policy_new ();
  g_autoptr(VdImporter) importer = vd_importer_new (store, policy);
  g_autoptr(GError) error = NULL;
  VdImportResult result = { 0, };
  gint64 started = g_get_monotonic_time ();

  g_assert_true (vd_importer_import (importer, &file, 1, &result, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.imported, ==, n_items);
  g_assert_cmpuint (result.queued, ==, n_items);
  g_test_message ("imported %u items in %.1f s", n_items,
                  (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC);
}

/* Every row of @sql on @conninfo (the first column of each, and the others
 * joined with a space). */
static GPtrArray *
query_rows (const char *conninfo,
            const char *sql)
{
  PGconn *conn = PQconnectdb (conninfo);
  PGresult *result;
  GPtrArray *rows = g_ptr_array_new_with_free_func (g_free);

  if (PQstatus (conn) != CONNECTION_OK)
    g_error ("%s", PQerrorMessage (conn));
  result = PQexec (conn, sql);
  if (PQresultStatus (result) != PGRES_TUPLES_OK)
    g_error ("%s: %s", sql, PQresultErrorMessage (result));
  for (int i = 0; i < PQntuples (result); i++)
    {
      GString *row = g_string_new (NULL);

      for (int j = 0; j < PQnfields (result); j++)
        g_string_append_printf (row, "%s%s", j > 0 ? " " : "", PQgetvalue (result, i, j));
      g_ptr_array_add (rows, g_string_free (row, FALSE));
    }
  PQclear (result);
  PQfinish (conn);
  return rows;
}

static gint64
query_int (VdTestPg   *pg,
           const char *sql)
{
  g_autofree char *value = vd_test_pg_query (pg->conninfo, sql);

  g_assert_nonnull (value);
  return g_ascii_strtoll (value, NULL, 10);
}

static void
start_reviewer (Reviewer   *reviewer,
                VdTestPg   *pg,
                const char *dir,
                guint       seconds,
                guint       seed)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *conninfo = role_conninfo (pg, reviewer->role);
  g_autofree char *data_home = g_build_filename (dir, "home", reviewer->role, NULL);
  g_autofree char *seconds_text = g_strdup_printf ("%u", seconds);
  g_autofree char *seed_text = g_strdup_printf ("%u", seed);
  const char *helper = g_getenv ("VERDICT_PG_LOAD_REVIEWER");

  g_assert_nonnull (helper);
  reviewer->output = g_build_filename (data_home, "decisions.txt", NULL);
  g_assert_cmpint (g_mkdir_with_parents (data_home, 0700), ==, 0);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  /* Each reviewer on a desktop of their own: their password, their
   * installation key. */
  g_subprocess_launcher_setenv (launcher, "PGPASSWORD", reviewer->password, TRUE);
  g_subprocess_launcher_setenv (launcher, "PGPASSFILE", "/nonexistent/verdict-test-pgpass", TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", data_home, TRUE);
  reviewer->process = g_subprocess_launcher_spawn (launcher, &error, helper, conninfo,
                                                   seconds_text, reviewer->output, seed_text,
                                                   NULL);
  g_assert_no_error (error);
  reviewer->stdout_lines =
    g_data_input_stream_new (g_subprocess_get_stdout_pipe (reviewer->process));
}

static void
wait_ready (Reviewer *reviewer)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *line = g_data_input_stream_read_line (reviewer->stdout_lines, NULL, NULL,
                                                         &error);

  g_assert_no_error (error);
  if (g_strcmp0 (line, "ready") != 0)
    g_error ("%s did not log in (see its message above)", reviewer->role);
}

static void
go (Reviewer *reviewer)
{
  g_autoptr(GError) error = NULL;
  GOutputStream *input = g_subprocess_get_stdin_pipe (reviewer->process);

  g_assert_true (g_output_stream_write_all (input, "go\n", 3, NULL, NULL, &error));
  g_assert_true (g_output_stream_close (input, NULL, &error));
  g_assert_no_error (error);
}

static void
wait_done (Reviewer *reviewer)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *line = g_data_input_stream_read_line (reviewer->stdout_lines, NULL, NULL,
                                                         &error);

  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait_check (reviewer->process, NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_cmpint (sscanf (line, "done decided=%u already=%u claimed=%u connection=%u "
                           "other=%u seconds=%lf next=%15s", &reviewer->decided,
                           &reviewer->already, &reviewer->claimed, &reviewer->connection,
                           &reviewer->other, &reviewer->seconds, reviewer->next), ==, 7);
}

static void
reviewer_clear (Reviewer *reviewer)
{
  g_clear_object (&reviewer->stdout_lines);
  g_clear_object (&reviewer->process);
  g_clear_pointer (&reviewer->password, g_free);
  g_clear_pointer (&reviewer->output, g_free);
}

/* Reads the reviewers' logs into @acknowledged: "ITEM-ID" -> "KIND ROLE".
 * Returns how many items two logs both claim to have decided. */
static guint
read_logs (Reviewer   *reviewers,
           GHashTable *acknowledged)
{
  guint n_twice = 0;

  for (guint r = 0; r < N_REVIEWERS; r++)
    {
      g_autofree char *text = NULL;
      g_auto(GStrv) lines = NULL;
      guint n_lines = 0;

      g_assert_true (g_file_get_contents (reviewers[r].output, &text, NULL, NULL));
      lines = g_strsplit (text, "\n", -1);
      for (guint i = 0; lines[i] != NULL; i++)
        {
          g_auto(GStrv) fields = NULL;

          if (lines[i][0] == '\0')
            continue;
          fields = g_strsplit (lines[i], " ", 2);
          g_assert_cmpuint (g_strv_length (fields), ==, 2);
          n_lines++;
          if (g_hash_table_contains (acknowledged, fields[0]))
            n_twice++;
          else
            g_hash_table_insert (acknowledged, g_strdup (fields[0]),
                                 g_strdup_printf ("%s %s", fields[1], reviewers[r].role));
        }
      g_assert_cmpuint (n_lines, ==, reviewers[r].decided);
    }
  return n_twice;
}

/* The condition for decisions that count: unretracted, and final where the
 * schema knows reviews that are not (four-eyes). */
static const char *
final_condition (VdTestPg *pg)
{
  g_autofree char *has_final =
    vd_test_pg_query (pg->conninfo,
                      "SELECT count (*) FROM information_schema.columns "
                      "WHERE table_name = 'decisions' AND column_name = 'final'");

  return g_strcmp0 (has_final, "1") == 0 ? "retracted_seq IS NULL AND final = 1"
                                         : "retracted_seq IS NULL";
}

static void
test_twenty_reviewers (void)
{
  VdTestPg *pg = vd_test_pg_set_up (FALSE);
  g_autofree char *dir = NULL;
  g_autofree char *queue_path = NULL;
  g_autofree char *lead_conninfo = NULL;
  g_autofree char *sql = NULL;
  g_autoptr(VdPgStore) lead = NULL;
  g_autoptr(VdStore) superuser = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) acknowledged = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_auto(VdTestRun) run = { 0, };
  Reviewer reviewers[N_REVIEWERS] = { 0, };
  VdAuditReport report = { 0, };
  guint seconds = env_uint ("VERDICT_LOAD_SECONDS", 60);
  guint n_items = env_uint ("VERDICT_LOAD_ITEMS", 20000);
  guint n_decided = 0, n_refused = 0, n_lost = 0, n_unacknowledged = 0;
  gint64 head_before, head_after, started;
  double wall;
  const char *condition;

  if (pg == NULL)
    return;
  dir = vd_test_make_tmp_dir ("pg-load");

  vd_test_run_cli (&run, pg->conninfo, "team", "init", NULL);
  if (run.status != 0)
    g_error ("team init: %s", run.err);
  add_role (pg, dir, "lead", "lead-secret", "--admin");
  for (guint r = 0; r < N_REVIEWERS; r++)
    {
      g_snprintf (reviewers[r].role, sizeof reviewers[r].role, "r%02u", r + 1);
      reviewers[r].password = g_strdup_printf ("%s secret %08x", reviewers[r].role,
                                               g_random_int ());
      add_role (pg, dir, reviewers[r].role, reviewers[r].password, NULL);
    }

  /* The queue, imported by the admin. */
  queue_path = write_queue (dir, n_items);
  lead_conninfo = role_conninfo (pg, "lead");
  lead = vd_pg_store_new_full (lead_conninfo, "lead-secret", &error);
  g_assert_no_error (error);
  import_queue (VD_STORE (lead), queue_path, n_items);
  head_before = query_int (pg, "SELECT seq FROM audit_head");

  /* Twenty reviewers, logged in, then all at once. */
  for (guint r = 0; r < N_REVIEWERS; r++)
    start_reviewer (&reviewers[r], pg, dir, seconds, r + 1);
  for (guint r = 0; r < N_REVIEWERS; r++)
    wait_ready (&reviewers[r]);
  started = g_get_monotonic_time ();
  for (guint r = 0; r < N_REVIEWERS; r++)
    go (&reviewers[r]);
  for (guint r = 0; r < N_REVIEWERS; r++)
    wait_done (&reviewers[r]);
  wall = (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC;

  for (guint r = 0; r < N_REVIEWERS; r++)
    {
      Reviewer *reviewer = &reviewers[r];

      g_test_message ("%s: %u decisions in %.1f s, %.1f/s; refused: %u already decided, "
                      "%u claimed, %u connection, %u other; next item by %s", reviewer->role,
                      reviewer->decided, reviewer->seconds,
                      reviewer->decided / MAX (reviewer->seconds, 0.001), reviewer->already,
                      reviewer->claimed, reviewer->connection, reviewer->other,
                      reviewer->next);
      g_assert_cmpuint (reviewer->connection, ==, 0);
      g_assert_cmpuint (reviewer->other, ==, 0);
      n_decided += reviewer->decided;
      n_refused += reviewer->already + reviewer->claimed;
    }
  g_assert_cmpuint (n_decided, >, 0);
  /* The reviewers raced for the same items: the store refused the losers. */
  g_assert_cmpuint (n_refused, >, 0);

  /* No item was acknowledged to two reviewers, nor decided twice. */
  acknowledged = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_assert_cmpuint (read_logs (reviewers, acknowledged), ==, 0);
  g_assert_cmpuint (g_hash_table_size (acknowledged), ==, n_decided);
  condition = final_condition (pg);
  sql = g_strdup_printf ("SELECT count (*) FROM (SELECT item_id FROM decisions WHERE %s "
                         "GROUP BY item_id HAVING count (*) > 1) twice", condition);
  g_assert_cmpint (query_int (pg, sql), ==, 0);

  /* Nothing lost, nothing made up: the database holds exactly the
   * acknowledged decisions, by whom the logs say, as their own role. */
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("SELECT item_id, decision, reviewer_id FROM decisions "
                         "WHERE automatic = 0 AND %s AND db_role = reviewer_id", condition);
  rows = query_rows (pg->conninfo, sql);
  for (guint i = 0; i < rows->len; i++)
    {
      g_auto(GStrv) fields = g_strsplit (g_ptr_array_index (rows, i), " ", 2);
      const char *expected = g_hash_table_lookup (acknowledged, fields[0]);

      if (g_strcmp0 (expected, fields[1]) != 0)
        n_unacknowledged++;
      else
        g_hash_table_remove (acknowledged, fields[0]);
    }
  n_lost = g_hash_table_size (acknowledged);
  g_assert_cmpuint (n_unacknowledged, ==, 0);
  g_assert_cmpuint (n_lost, ==, 0);
  g_assert_cmpint (query_int (pg, "SELECT count (*) FROM decisions"), ==, n_decided);
  g_assert_cmpint (query_int (pg, "SELECT count (*) FROM items WHERE status <> 'pending'"), ==,
                   n_decided);

  /* One chain: one event per decision after the import's, and it verifies
   * for the superuser, through the store. */
  head_after = query_int (pg, "SELECT seq FROM audit_head");
  g_assert_cmpint (head_after - head_before, ==, n_decided);
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("SELECT count (*) FROM audit WHERE seq > %" G_GINT64_FORMAT
                         " AND event = 'decision'", head_before);
  g_assert_cmpint (query_int (pg, sql), ==, n_decided);
  g_assert_cmpint (query_int (pg, "SELECT count (*) FROM audit WHERE event = 'import'"), ==, 1);
  g_assert_cmpint (query_int (pg, "SELECT count (*) FROM audit WHERE event = 'enqueue'"), ==,
                   n_items);
  g_assert_cmpint (query_int (pg, "SELECT count (DISTINCT audit_seq) FROM decisions"), ==,
                   n_decided);

  superuser = vd_store_open_location (pg->conninfo, &error);
  g_assert_no_error (error);
  g_assert_true (vd_store_verify_audit_report (superuser, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpint (report.bad_seq, ==, 0);
  g_assert_cmpuint (report.n_events, ==, head_after);

  g_test_message ("load: %u decisions in %.1f s, %.1f/s overall, %.1f/s per process; "
                  "%u refused (already decided or claimed); next item by %s", n_decided, wall,
                  n_decided / wall, n_decided / wall / N_REVIEWERS, n_refused,
                  reviewers[0].next);
  /* The figure the note quotes. */
  g_print ("load: %u decisions in %.1f s, %.1f/s, %u processes, 0 double, 0 lost\n",
           n_decided, wall, n_decided / wall, N_REVIEWERS);

  for (guint r = 0; r < N_REVIEWERS; r++)
    reviewer_clear (&reviewers[r]);
  g_clear_object (&superuser);
  g_clear_object (&lead);
  vd_test_remove_tree (dir);
  vd_test_pg_tear_down (pg);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *data_home = NULL;
  int status;

  /* The admin's and the superuser's installation keys go to a folder of
   * this test's own. */
  data_home = vd_test_make_tmp_dir ("test-pg-load");
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/pg-load/twenty-reviewers", test_twenty_reviewers);

  status = g_test_run ();
  vd_test_remove_tree (data_home);
  return status;
}
