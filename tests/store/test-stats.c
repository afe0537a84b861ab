/* test-stats.c: the statistics from maintained counts against a scan
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

#include <math.h>
#include <sqlite3.h>
#include <string.h>

#include "vd-core.h"
#include "vd-test-util.h"
#include "vd-test-schema.h"

typedef struct
{
  char    *dir;
  char    *path;
  VdStore *store;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->dir = vd_test_make_tmp_dir ("stats");
  fixture->path = g_build_filename (fixture->dir, "verdict.db", NULL);
  fixture->store = vd_test_open_store (fixture->path);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->store);
  vd_test_remove_tree (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

/* The figures as the store computed them before schema 8, by scanning the
 * items and decisions with plain SQL: the oracle. */
static void
scan_stats (const char *path,
            const char *queue,
            VdStats    *stats)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  memset (stats, 0, sizeof *stats);
  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);

  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "SELECT COUNT(*), COALESCE (SUM (status IN ('pending', "
                                       "'in_review', 'escalated')), 0), "
                                       "COALESCE (AVG (confidence), 0.0) FROM items "
                                       "WHERE ?1 IS NULL OR queue = ?1",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, queue, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  stats->total_tasks = sqlite3_column_int64 (stmt, 0);
  stats->pending = sqlite3_column_int64 (stmt, 1);
  stats->avg_confidence = sqlite3_column_double (stmt, 2);
  sqlite3_finalize (stmt);

  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "SELECT COUNT(*) FROM decisions d "
                                       "JOIN items i ON i.id = d.item_id "
                                       "AND i.revision = d.revision "
                                       "WHERE d.automatic = 1 AND d.reviewer_id = 'policy' "
                                       "AND d.retracted_seq IS NULL "
                                       "AND (?1 IS NULL OR d.queue = ?1)",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, queue, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  stats->auto_approved = sqlite3_column_int64 (stmt, 0);
  stats->escalated = stats->total_tasks - stats->auto_approved;
  sqlite3_finalize (stmt);

  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "SELECT decision, COUNT(*) FROM decisions "
                                       "WHERE automatic = 0 AND retracted_seq IS NULL "
                                       "AND (?1 IS NULL OR queue = ?1) GROUP BY decision",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, queue, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *kind = (const char *) sqlite3_column_text (stmt, 0);
      guint64 n = sqlite3_column_int64 (stmt, 1);

      if (g_str_equal (kind, "approve"))
        stats->human_approved = n;
      else if (g_str_equal (kind, "reject"))
        stats->human_rejected = n;
      else if (g_str_equal (kind, "modify"))
        stats->human_modified = n;
      else if (g_str_equal (kind, "escalate_further"))
        stats->human_escalated = n;
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);
}

static void
assert_stats_for (VdStore    *store,
                  const char *path,
                  const char *queue)
{
  g_autoptr(GError) error = NULL;
  VdStats got;
  VdStats want;

  g_assert_true (vd_store_get_stats (store, queue, &got, &error));
  g_assert_no_error (error);
  scan_stats (path, queue, &want);

  g_assert_cmpuint (got.total_tasks, ==, want.total_tasks);
  g_assert_cmpuint (got.auto_approved, ==, want.auto_approved);
  g_assert_cmpuint (got.escalated, ==, want.escalated);
  g_assert_cmpuint (got.pending, ==, want.pending);
  g_assert_cmpuint (got.human_approved, ==, want.human_approved);
  g_assert_cmpuint (got.human_rejected, ==, want.human_rejected);
  g_assert_cmpuint (got.human_modified, ==, want.human_modified);
  g_assert_cmpuint (got.human_escalated, ==, want.human_escalated);
  /* A sum kept up to date adds in another order than AVG's scan. */
  g_assert_cmpfloat_with_epsilon (got.avg_confidence, want.avg_confidence, 1e-9);
}

/* The figures for all queues and for each, both ways. */
static void
assert_stats (Fixture *fixture)
{
  static const char * const queues[] = { NULL, "demo", "q", "nope" };

  for (guint i = 0; i < G_N_ELEMENTS (queues); i++)
    assert_stats_for (fixture->store, fixture->path, queues[i]);
}

static void
import_file (Fixture    *fixture,
             const char *path,
             VdPolicy   *policy)
{
  g_autoptr(VdImporter) importer = vd_importer_new (fixture->store, policy);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  VdImportResult result = { 0, };

  g_assert_true (vd_importer_import (importer, &file, 1, &result, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
}

static VdItem *
get_item (Fixture    *fixture,
          const char *queue,
          const char *task_id)
{
  g_autoptr(GError) error = NULL;
  VdItem *item = vd_store_get_item (fixture->store, queue, task_id, &error);

  g_assert_no_error (error);
  return item;
}

static gint64
decide (Fixture        *fixture,
        const char     *queue,
        const char     *task_id,
        VdDecisionKind  kind,
        const char     *reviewer)
{
  g_autoptr(VdItem) item = get_item (fixture, queue, task_id);
  g_autoptr(VdDecision) decision = vd_decision_new (queue, task_id, kind, reviewer);
  g_autoptr(GError) error = NULL;

  vd_decision_set_revision (decision, vd_item_get_revision (item));
  if (kind == VD_DECISION_KIND_REJECT)
    vd_decision_set_feedback (decision, "wrong");
  if (kind == VD_DECISION_KIND_MODIFY)
    vd_decision_set_modified_content (decision, "Better.");
  g_assert_true (vd_store_record_decision (fixture->store, decision, &error));
  g_assert_no_error (error);

  return vd_decision_get_id (decision);
}

/* The undecided items of a queue, by task id. */
static GPtrArray *
undecided (Fixture    *fixture,
           const char *queue)
{
  VdItemQuery query = VD_ITEM_QUERY_INIT;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = NULL;
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);

  query.queue = queue;
  query.statuses = VD_STATUS_MASK_UNDECIDED;
  items = vd_store_list_items (fixture->store, &query, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < items->len; i++)
    g_ptr_array_add (ids, g_strdup (vd_item_get_task_id (g_ptr_array_index (items, i))));

  return ids;
}

static VdItem *
make_revision (const char *task_id,
               gboolean    automatic,
               double      confidence)
{
  VdItem *item = vd_item_new ("q", task_id);
  g_autoptr(GDateTime) created = g_date_time_new_utc (2026, 11, 20, 9, 0, 0);

  vd_item_set_task_description (item, "Refund, revised");
  vd_item_set_task_type (item, "refund");
  vd_item_set_content (item, "Refund $5, revised.");
  vd_item_set_confidence (item, confidence);
  vd_item_set_escalation_reason (item, automatic ? VD_ESCALATION_REASON_NONE
                                                 : VD_ESCALATION_REASON_POLICY_REQUIRED);
  vd_item_set_status (item, automatic ? VD_TASK_STATUS_APPROVED : VD_TASK_STATUS_PENDING);
  vd_item_set_timestamp (item, created);
  vd_item_set_revision (item, 1);

  return item;
}

/* Every kind of write that moves a figure, compared after each step with
 * the scan: the import (auto-approvals), human decisions, a retraction, a
 * bulk approve, deadline fallbacks, revisions of decided and auto-approved
 * items, another connection's view and a migration from schema 7. */
static void
test_against_scan (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *samples = g_test_build_filename (G_TEST_DIST, "..", "data", "samples",
                                                    NULL);
  g_autofree char *queue_path = g_build_filename (samples, "review-queue.jsonl", NULL);
  g_autofree char *policy_path = g_build_filename (samples, "policy.json", NULL);
  g_autofree char *bulk_path = g_build_filename (fixture->dir, "q.jsonl", NULL);
  g_autoptr(GString) text = g_string_new ("{\"verdict_queue\": 1, \"queue\": \"q\"}\n");
  g_autoptr(VdPolicy) policy = NULL;
  g_autoptr(GPtrArray) demo = NULL;
  g_autoptr(GPtrArray) revisions = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) far = g_date_time_new_utc (2100, 1, 1, 0, 0, 0);
  VdBulkBand band = { "q", "refund", 0.9, 1.0, -1 };
  VdImportResult result;
  VdSlaResult sla = { 0, };
  sqlite3 *db = NULL;
  gint64 last;

  assert_stats (fixture);

  /* The sample queue through its policy: auto-approvals and reviews. */
  policy = vd_policy_new_from_file (policy_path, &error);
  g_assert_no_error (error);
  import_file (fixture, queue_path, policy);
  for (guint i = 0; i < 30; i++)
    g_string_append_printf (text,
                            "{\"task_id\": \"b%02u\", \"task_type\": \"refund\", "
                            "\"task_description\": \"Refund %u\", \"agent_output\": "
                            "{\"content\": \"Refund $%u.\", \"confidence\": 0.9%02u}, "
                            "\"escalation_reason\": \"policy_required\"}\n",
                            i, i, i, i * 3);
  g_assert_true (g_file_set_contents (bulk_path, text->str, -1, &error));
  g_assert_no_error (error);
  import_file (fixture, bulk_path, NULL);
  assert_stats (fixture);

  /* Human decisions of every kind, then a retraction. */
  demo = undecided (fixture, "demo");
  g_assert_cmpuint (demo->len, >=, 8);
  decide (fixture, "demo", demo->pdata[0], VD_DECISION_KIND_APPROVE, "alice");
  decide (fixture, "demo", demo->pdata[1], VD_DECISION_KIND_REJECT, "bob");
  decide (fixture, "demo", demo->pdata[2], VD_DECISION_KIND_MODIFY, "alice");
  decide (fixture, "demo", demo->pdata[3], VD_DECISION_KIND_ESCALATE_FURTHER, "bob");
  last = decide (fixture, "demo", demo->pdata[4], VD_DECISION_KIND_APPROVE, "bob");
  assert_stats (fixture);
  g_assert_true (vd_store_retract_decision (fixture->store, last, "bob", "misclick", &error));
  g_assert_no_error (error);
  assert_stats (fixture);

  /* A bulk approve: the sample decided one by one, then the rest. */
  {
    g_auto(VdBulkOutcome) first = { 0, };
    g_auto(VdBulkOutcome) done = { 0, };

    g_assert_true (vd_bulk_step (fixture->store, &band, "alice", VD_BULK_DEFAULT_SAMPLE_PERCENT,
                                 42, &first, &error));
    g_assert_no_error (error);
    g_assert_cmpint (first.step, ==, VD_BULK_STEP_SAMPLED);
    for (guint i = 0; i < first.undecided->len; i++)
      decide (fixture, "q", first.undecided->pdata[i], VD_DECISION_KIND_APPROVE, "alice");
    g_assert_true (vd_bulk_step (fixture->store, &band, "alice", VD_BULK_DEFAULT_SAMPLE_PERCENT,
                                 42, &done, &error));
    g_assert_no_error (error);
    g_assert_cmpint (done.step, ==, VD_BULK_STEP_APPROVED);
    g_assert_cmpuint (done.n_approved, >, 0);
  }
  assert_stats (fixture);

  /* Deadline fallbacks decide what is overdue. */
  g_assert_true (vd_sla_apply (fixture->store, policy, far, &sla, &error));
  g_assert_no_error (error);
  assert_stats (fixture);

  /* New revisions: of a bulk-approved item (now auto-approved by the
   * policy), and of an item decided by a human (queued again). */
  g_ptr_array_add (revisions, make_revision ("b29", TRUE, 0.99));
  g_ptr_array_add (revisions, make_revision ("b28", FALSE, 0.42));
  memset (&result, 0, sizeof result);
  g_assert_true (vd_store_import_items (fixture->store, "q.jsonl", revisions, &result, NULL, NULL,
                                        NULL, &error));
  g_assert_no_error (error);
  assert_stats (fixture);
  g_ptr_array_set_size (revisions, 0);
  {
    g_autoptr(VdItem) again = make_revision ("b29", FALSE, 0.5);

    vd_item_set_revision (again, 2);
    g_ptr_array_add (revisions, g_steal_pointer (&again));
  }
  memset (&result, 0, sizeof result);
  g_assert_true (vd_store_import_items (fixture->store, "q.jsonl", revisions, &result, NULL, NULL,
                                        NULL, &error));
  g_assert_no_error (error);
  assert_stats (fixture);

  /* Another connection sees the same; so does a store migrated from
   * schema 7, which counts everything afresh. */
  g_clear_object (&fixture->store);
  fixture->store = vd_test_open_store (fixture->path);
  assert_stats (fixture);
  g_clear_object (&fixture->store);

  vd_test_store_undo_formats_schema (fixture->path);
  g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db,
                                 "DROP TRIGGER stats_calibration_item;"
                                 "DROP TRIGGER stats_reviewers_expected;"
                                 "DROP TRIGGER stats_insights_decision;"
                                 "DROP TABLE stats_calibration;"
                                 "DROP TABLE stats_reviewer_decisions;"
                                 "DROP TABLE stats_timeline;"
                                 "DROP TRIGGER items_search_delete;"
                                 "DROP TRIGGER items_search_update; DROP TABLE items_search;"
                                 "DROP TRIGGER stats_items_update; DROP TRIGGER stats_items_delete;"
                                 "DROP TRIGGER stats_items_revision;"
                                 "DROP TRIGGER stats_decisions_retract; DROP TABLE stats_items;"
                                 "DROP TABLE stats_decisions; DROP TABLE stats_auto_approved;"
                                 "DELETE FROM meta WHERE key IN ('search_indexed_id', "
                                 "'stats_item_id', 'stats_decision_id');"
                                 "PRAGMA user_version = 7;",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  fixture->store = vd_test_open_store (fixture->path);
  assert_stats (fixture);
}

/* The insights' figures as the store computed them before schema 9, by
 * joining the decisions with their items and revisions: the oracle. Each
 * row is printed as one line, so that two listings compare as strings. */
#define ORACLE_ONE_BY_ONE "d.automatic = 0 AND d.retracted_seq IS NULL AND d.bulk_id IS NULL"
#define ORACLE_REVISION_JOIN \
  "JOIN items i ON i.id = d.item_id " \
  "LEFT JOIN revisions r ON r.item_id = d.item_id AND r.revision = d.revision " \
  "AND d.revision <> i.revision "

static char *
scan_lines (const char *path,
            const char *sql,
            const char *queue,
            const char *text2,
            gint64      int2)
{
  GString *out = g_string_new (NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (queue != NULL)
    sqlite3_bind_text (stmt, 1, queue, -1, SQLITE_STATIC);
  if (text2 != NULL)
    sqlite3_bind_text (stmt, 2, text2, -1, SQLITE_STATIC);
  else if (int2 != 0)
    sqlite3_bind_int64 (stmt, 2, int2);

  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      for (int col = 0; col < sqlite3_column_count (stmt); col++)
        {
          const char *text = (const char *) sqlite3_column_text (stmt, col);

          if (sqlite3_column_type (stmt, col) == SQLITE_FLOAT)
            g_string_append_printf (out, "%a|", sqlite3_column_double (stmt, col));
          else
            g_string_append_printf (out, "%s|", text != NULL && text[0] != '\0' ? text : "-");
        }
      g_string_append_c (out, '\n');
    }

  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return g_string_free (out, FALSE);
}

static gboolean
print_observation (const VdCalibrationObservation *observation,
                   gpointer                        user_data)
{
  g_string_append_printf (user_data, "%a|%d|%s|%s|%d|%" G_GUINT64_FORMAT "|\n",
                          observation->confidence, observation->approved_unchanged ? 1 : 0,
                          observation->task_type != NULL ? observation->task_type : "-",
                          observation->model != NULL ? observation->model : "-",
                          observation->still_reviewed ? 1 : 0, observation->count);
  return TRUE;
}

static gboolean
print_reviewer_decision (const VdReviewerDecision *decision,
                         gpointer                  user_data)
{
  g_string_append_printf (user_data, "%s|%s|%" G_GINT64_FORMAT "|%" G_GINT64_FORMAT "|%s|%d|%s|\n",
                          decision->reviewer_id, decision->queue, decision->timestamp,
                          decision->duration_ms, vd_decision_kind_to_string (decision->kind),
                          decision->modified ? 1 : 0,
                          decision->expected_decision != NULL ? decision->expected_decision
                                                              : "-");
  return TRUE;
}

static void
assert_calibration_for (Fixture    *fixture,
                        const char *queue,
                        const char *task_type)
{
  g_autoptr(GString) got = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *want = NULL;

  /* The scan's SQL, with the filters spelled out as the store wrote them. */
  want = scan_lines (fixture->path,
                     queue != NULL && task_type != NULL ?
                     "SELECT COALESCE (r.confidence, i.confidence), "
                     "d.decision = 'approve' AND d.modified_content = '', i.task_type, "
                     "CASE WHEN json_valid (COALESCE (r.metadata, i.metadata)) "
                     "THEN json_extract (COALESCE (r.metadata, i.metadata), '$.model') END, "
                     "COALESCE (i.escalation_reason, '') NOT IN ('low_confidence', 'none', ''), "
                     "COUNT(*) FROM decisions d " ORACLE_REVISION_JOIN
                     "WHERE " ORACLE_ONE_BY_ONE " AND d.queue = ?1 AND i.task_type = ?2 "
                     "GROUP BY 1, 2, 3, 4, 5" :
                     queue != NULL ?
                     "SELECT COALESCE (r.confidence, i.confidence), "
                     "d.decision = 'approve' AND d.modified_content = '', i.task_type, "
                     "CASE WHEN json_valid (COALESCE (r.metadata, i.metadata)) "
                     "THEN json_extract (COALESCE (r.metadata, i.metadata), '$.model') END, "
                     "COALESCE (i.escalation_reason, '') NOT IN ('low_confidence', 'none', ''), "
                     "COUNT(*) FROM decisions d " ORACLE_REVISION_JOIN
                     "WHERE " ORACLE_ONE_BY_ONE " AND d.queue = ?1 GROUP BY 1, 2, 3, 4, 5" :
                     task_type != NULL ?
                     "SELECT COALESCE (r.confidence, i.confidence), "
                     "d.decision = 'approve' AND d.modified_content = '', i.task_type, "
                     "CASE WHEN json_valid (COALESCE (r.metadata, i.metadata)) "
                     "THEN json_extract (COALESCE (r.metadata, i.metadata), '$.model') END, "
                     "COALESCE (i.escalation_reason, '') NOT IN ('low_confidence', 'none', ''), "
                     "COUNT(*) FROM decisions d " ORACLE_REVISION_JOIN
                     "WHERE " ORACLE_ONE_BY_ONE " AND i.task_type = ?2 GROUP BY 1, 2, 3, 4, 5" :
                     "SELECT COALESCE (r.confidence, i.confidence), "
                     "d.decision = 'approve' AND d.modified_content = '', i.task_type, "
                     "CASE WHEN json_valid (COALESCE (r.metadata, i.metadata)) "
                     "THEN json_extract (COALESCE (r.metadata, i.metadata), '$.model') END, "
                     "COALESCE (i.escalation_reason, '') NOT IN ('low_confidence', 'none', ''), "
                     "COUNT(*) FROM decisions d " ORACLE_REVISION_JOIN
                     "WHERE " ORACLE_ONE_BY_ONE " GROUP BY 1, 2, 3, 4, 5",
                     queue, task_type, 0);

  g_assert_true (vd_store_foreach_calibration (fixture->store, queue, task_type,
                                               print_observation, got, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (got->str, ==, want);
}

static void
assert_reviewers_for (Fixture    *fixture,
                      const char *queue,
                      GDateTime  *since)
{
  g_autoptr(GString) got = g_string_new (NULL);
  g_autoptr(GString) sql = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *want = NULL;
  g_autofree char *want_rate = NULL;
  g_autofree char *got_rate = NULL;
  guint64 decisions = 0;
  guint64 approvals = 0;
  gint64 since_usec = since != NULL ? vd_timestamp_to_usec (since) : 0;

  sql = g_string_new ("SELECT d.reviewer_id, d.queue, d.timestamp, d.duration_ms, d.decision, "
                      "d.modified_content <> '', i.expected_decision "
                      "FROM decisions d JOIN items i ON i.id = d.item_id "
                      "WHERE " ORACLE_ONE_BY_ONE);
  if (queue != NULL)
    g_string_append (sql, " AND d.queue = ?1");
  if (since != NULL)
    g_string_append (sql, " AND d.timestamp >= ?2");
  g_string_append (sql, " ORDER BY d.reviewer_id, d.timestamp, d.id");
  want = scan_lines (fixture->path, sql->str, queue, NULL, since_usec);
  g_assert_true (vd_store_foreach_reviewer_decision (fixture->store, queue, since,
                                                     print_reviewer_decision, got, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (got->str, ==, want);

  g_string_assign (sql, "SELECT COUNT(*), COALESCE (SUM (d.decision = 'approve' "
                   "AND d.modified_content = ''), 0) FROM decisions d WHERE " ORACLE_ONE_BY_ONE);
  if (queue != NULL)
    g_string_append (sql, " AND d.queue = ?1");
  if (since != NULL)
    g_string_append (sql, " AND d.timestamp >= ?2");
  want_rate = scan_lines (fixture->path, sql->str, queue, NULL, since_usec);
  g_assert_true (vd_store_get_approval_rate (fixture->store, queue, since, &decisions,
                                             &approvals, &error));
  g_assert_no_error (error);
  got_rate = g_strdup_printf ("%" G_GUINT64_FORMAT "|%" G_GUINT64_FORMAT "|\n",
                              decisions, approvals);
  g_assert_cmpstr (got_rate, ==, want_rate);
}

/* The decisions in force in [@from, @to) by kind, as the scan counted them. */
static void
scan_counts (const char       *path,
             const char       *queue,
             GDateTime        *from,
             GDateTime        *to,
             VdDecisionCounts *counts)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  memset (counts, 0, sizeof *counts);
  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "SELECT decision, automatic <> 0 OR bulk_id IS NOT NULL, "
                                       "COUNT(*) FROM decisions "
                                       "WHERE timestamp >= ?2 AND timestamp < ?3 "
                                       "AND retracted_seq IS NULL "
                                       "AND (?1 IS NULL OR queue = ?1) GROUP BY 1, 2",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, queue, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, vd_timestamp_to_usec (from));
  sqlite3_bind_int64 (stmt, 3, vd_timestamp_to_usec (to));
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *kind = (const char *) sqlite3_column_text (stmt, 0);
      guint64 n = sqlite3_column_int64 (stmt, 2);

      if (sqlite3_column_int (stmt, 1) != 0)
        counts->automatic += n;
      else if (g_str_equal (kind, "approve"))
        counts->approved += n;
      else if (g_str_equal (kind, "reject"))
        counts->rejected += n;
      else if (g_str_equal (kind, "modify"))
        counts->modified += n;
      else if (g_str_equal (kind, "escalate_further"))
        counts->escalated += n;
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);
}

/* The timeline's days from local midnight in @tz, and spans that do not
 * start on a quarter hour, against the scan. */
static void
assert_timeline_for (Fixture    *fixture,
                     const char *queue,
                     GTimeZone  *tz)
{
  g_autoptr(GDateTime) now = g_date_time_new_now (tz);
  g_autoptr(GDateTime) today = g_date_time_new (tz, g_date_time_get_year (now),
                                                g_date_time_get_month (now),
                                                g_date_time_get_day_of_month (now), 0, 0, 0.0);
  for (int offset = -23; offset <= 1; offset++)
    for (guint odd = 0; odd < 2; odd++)
      {
        g_autoptr(GDateTime) day = g_date_time_add_days (today, offset);
        g_autoptr(GDateTime) from = g_date_time_add_seconds (day, odd ? 7.0 : 0.0);
        g_autoptr(GDateTime) to = g_date_time_add_days (day, 1);
        g_autoptr(GError) error = NULL;
        VdDecisionCounts got;
        VdDecisionCounts want;

        g_assert_true (vd_store_count_decisions (fixture->store, queue, from, to, &got, &error));
        g_assert_no_error (error);
        scan_counts (fixture->path, queue, from, to, &want);
        g_assert_cmpuint (got.approved, ==, want.approved);
        g_assert_cmpuint (got.rejected, ==, want.rejected);
        g_assert_cmpuint (got.modified, ==, want.modified);
        g_assert_cmpuint (got.escalated, ==, want.escalated);
        g_assert_cmpuint (got.automatic, ==, want.automatic);
      }
}

/* Every listing the insights read, for all queues and each, all task
 * types and some, all time and a recent span, local days in three time
 * zones; and the calibration they give, threshold included. */
static guint64
assert_insights (Fixture   *fixture,
                 GDateTime *since)
{
  static const char * const queues[] = { NULL, "r", "s", "nope" };
  static const char * const types[] = { NULL, "refund", "payment", "support" };
  VdInsightsQuery query;
  g_autoptr(VdCalibration) calibration = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (queues); i++)
    {
      for (guint j = 0; j < G_N_ELEMENTS (types); j++)
        assert_calibration_for (fixture, queues[i], types[j]);
      assert_reviewers_for (fixture, queues[i], NULL);
      assert_reviewers_for (fixture, queues[i], since);
    }

  {
    g_autoptr(GTimeZone) local = g_time_zone_new_local ();
    g_autoptr(GTimeZone) nepal = g_time_zone_new_identifier ("+05:45");
    g_autoptr(GTimeZone) west = g_time_zone_new_identifier ("-09:30");

    for (guint i = 0; i < 3; i++)
      assert_timeline_for (fixture, queues[i], local);
    assert_timeline_for (fixture, NULL, nepal);
    assert_timeline_for (fixture, NULL, west);
  }

  vd_insights_query_init (&query);
  calibration = vd_insights_compute_calibration (fixture->store, &query, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (calibration);

  return calibration->overall->count;
}

static const char * const task_types[] = { "refund", "payment", "support", "content_moderation" };
static const VdEscalationReason reasons[] = {
  VD_ESCALATION_REASON_LOW_CONFIDENCE, VD_ESCALATION_REASON_POLICY_REQUIRED,
  VD_ESCALATION_REASON_NONE, VD_ESCALATION_REASON_HIGH_RISK_ACTION,
};
static const char * const metadata[] = { "{\"model\": \"m-a\"}", "{\"model\": \"m-b\"}",
                                         "{\"model\": 7}", "{}", "{\"model\": null}",
                                         "{\"model\": \"\"}" };
static const char * const kinds[] = { "approve", "reject", "modify", "escalate_further" };
static const char * const people[] = { "alice", "bob", "carol" };

static VdItem *
random_item (GRand      *rand,
             const char *queue,
             guint       i,
             int         revision)
{
  g_autofree char *task_id = g_strdup_printf ("t%04u", i);
  g_autoptr(JsonNode) node = json_from_string (metadata[g_rand_int_range (rand, 0, 6)], NULL);
  g_autoptr(GDateTime) created = g_date_time_new_utc (2026, 11, 1 + i % 20, 9, 0, 0);
  VdItem *item = vd_item_new (queue, task_id);
  int decimals = g_rand_int_range (rand, 1, 4);
  double scale = decimals == 1 ? 10.0 : decimals == 2 ? 100.0 : 1000.0;

  vd_item_set_task_description (item, "Refund the customer");
  vd_item_set_task_type (item, task_types[g_rand_int_range (rand, 0, 4)]);
  vd_item_set_content (item, revision > 0 ? "Refund $5, revised." : "Refund $5.");
  vd_item_set_confidence (item, g_rand_int_range (rand, 0, (int) scale + 1) / scale);
  vd_item_set_metadata (item, json_node_get_object (node));
  vd_item_set_escalation_reason (item, reasons[g_rand_int_range (rand, 0, 4)]);
  if (g_rand_boolean (rand))
    vd_item_set_expected_decision (item, kinds[g_rand_int_range (rand, 0, 2)]);
  vd_item_set_status (item, g_rand_int_range (rand, 0, 10) == 0 ? VD_TASK_STATUS_APPROVED
                                                                 : VD_TASK_STATUS_PENDING);
  vd_item_set_timestamp (item, created);
  vd_item_set_due_at (item, created);
  vd_item_set_revision (item, revision);

  return item;
}

static void
import_items (Fixture   *fixture,
              GPtrArray *items)
{
  g_autoptr(GError) error = NULL;
  VdImportResult result = { 0, };

  g_assert_true (vd_store_import_items (fixture->store, "random.jsonl", items, &result, NULL,
                                        NULL, NULL, &error));
  g_assert_no_error (error);
}

/* Decides about @share in 100 of the undecided items of @queue, one by
 * one, at random times and kinds; returns their ids in @ids. */
static void
decide_some (Fixture    *fixture,
             GRand      *rand,
             const char *queue,
             int         share,
             GArray     *ids)
{
  g_autoptr(GPtrArray) task_ids = undecided (fixture, queue);
  gint64 base = g_get_real_time () - 20 * G_TIME_SPAN_DAY;

  for (guint i = 0; i < task_ids->len; i++)
    {
      g_autoptr(VdItem) item = NULL;
      g_autoptr(VdDecision) decision = NULL;
      g_autoptr(GDateTime) when = NULL;
      g_autoptr(GError) error = NULL;
      VdDecisionKind kind;

      if (g_rand_int_range (rand, 0, 100) >= share)
        continue;

      item = get_item (fixture, queue, task_ids->pdata[i]);
      g_assert_true (vd_decision_kind_from_string (kinds[g_rand_int_range (rand, 0, 4)], &kind));
      decision = vd_decision_new (queue, task_ids->pdata[i], kind,
                                  people[g_rand_int_range (rand, 0, 3)]);
      when = vd_timestamp_from_usec (base + g_rand_int_range (rand, 0, 20 * 24 * 60) *
                                     G_TIME_SPAN_MINUTE);
      vd_decision_set_revision (decision, vd_item_get_revision (item));
      vd_decision_set_timestamp (decision, when);
      vd_decision_set_duration_ms (decision, g_rand_int_range (rand, 300, 60000));
      if (kind == VD_DECISION_KIND_REJECT)
        vd_decision_set_feedback (decision, "wrong");
      if (kind == VD_DECISION_KIND_MODIFY ||
          (kind == VD_DECISION_KIND_APPROVE && g_rand_int_range (rand, 0, 8) == 0))
        vd_decision_set_modified_content (decision, "Better.");
      if (!vd_store_record_decision (fixture->store, decision, &error))
        {
          /* An approval with changes is refused: not one by one then. */
          g_clear_error (&error);
          continue;
        }
      g_array_append_val (ids, (gint64) { vd_decision_get_id (decision) });
    }
}

/* Retracts one in @every of @ids, as their reviewers; a decision that is
 * no longer the item's latest cannot be, and stays. Returns how many were. */
static guint
retract_some (Fixture *fixture,
              GArray  *ids,
              guint    every)
{
  guint retracted = 0;

  for (guint i = 0; i < ids->len; i += every)
    {
      gint64 id = g_array_index (ids, gint64, i);

      for (guint p = 0; p < G_N_ELEMENTS (people); p++)
        {
          g_autoptr(GError) error = NULL;

          if (vd_store_retract_decision (fixture->store, id, people[p], "misclick", &error))
            {
              retracted++;
              break;
            }
          g_assert_error (error, VD_STORE_ERROR, VD_STORE_ERROR_INVALID);
        }
    }

  return retracted;
}

/* A few thousand items in two queues with every confidence precision,
 * model and escalation reason; decisions, retractions, a bulk approve,
 * new revisions (of decided items, changing what calibration groups them
 * by), deadline fallbacks, reopening and a migration from schema 8: after
 * each, every listing the insights read equals the scan's. */
static void
test_insights_against_scan (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autofree char *samples = g_test_build_filename (G_TEST_DIST, "..", "data", "samples",
                                                    NULL);
  g_autofree char *policy_path = g_build_filename (samples, "policy.json", NULL);
  g_autoptr(GRand) rand = g_rand_new_with_seed (14);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GDateTime) since = vd_timestamp_from_usec (g_get_real_time () - 10 * G_TIME_SPAN_DAY);
  g_autoptr(GDateTime) far = g_date_time_new_utc (2100, 1, 1, 0, 0, 0);
  g_autoptr(VdPolicy) policy = NULL;
  g_autoptr(GError) error = NULL;
  VdBulkBand band = { "r", "refund", 0.5, 1.0, -1 };
  VdSlaResult sla = { 0, };
  sqlite3 *db = NULL;
  guint n_items = g_test_slow () ? 6000 : 2000;
  guint64 counted;

  for (guint i = 0; i < n_items; i++)
    g_ptr_array_add (items, random_item (rand, i % 3 == 0 ? "s" : "r", i, 0));
  import_items (fixture, items);
  assert_insights (fixture, since);

  /* Decisions, then some taken back. */
  decide_some (fixture, rand, "r", 40, ids);
  decide_some (fixture, rand, "s", 40, ids);
  g_assert_cmpuint (assert_insights (fixture, since), >, n_items / 5);
  g_assert_cmpuint (retract_some (fixture, ids, 5), >, n_items / 50);
  assert_insights (fixture, since);

  /* A bulk approve: its sample decided one by one, the rest not. */
  {
    g_auto(VdBulkOutcome) first = { 0, };
    g_auto(VdBulkOutcome) done = { 0, };

    g_assert_true (vd_bulk_step (fixture->store, &band, "alice", VD_BULK_DEFAULT_SAMPLE_PERCENT,
                                 42, &first, &error));
    g_assert_no_error (error);
    g_assert_cmpint (first.step, ==, VD_BULK_STEP_SAMPLED);
    for (guint i = 0; i < first.undecided->len; i++)
      decide (fixture, "r", first.undecided->pdata[i], VD_DECISION_KIND_APPROVE, "bob");
    g_assert_true (vd_bulk_step (fixture->store, &band, "alice", VD_BULK_DEFAULT_SAMPLE_PERCENT,
                                 42, &done, &error));
    g_assert_no_error (error);
    g_assert_cmpint (done.step, ==, VD_BULK_STEP_APPROVED);
  }
  assert_insights (fixture, since);

  /* New revisions of a third of the items, decided or not: new
   * confidence, model, task type, escalation reason, expected decision. */
  g_ptr_array_set_size (items, 0);
  for (guint i = 0; i < n_items; i += 3)
    g_ptr_array_add (items, random_item (rand, i % 3 == 0 ? "s" : "r", i, 1));
  for (guint i = 1; i < n_items; i += 3)
    g_ptr_array_add (items, random_item (rand, i % 3 == 0 ? "s" : "r", i, 1));
  import_items (fixture, items);
  assert_insights (fixture, since);

  /* More decisions on the new revisions, retractions of old and new. */
  g_array_set_size (ids, 0);
  decide_some (fixture, rand, "r", 30, ids);
  decide_some (fixture, rand, "s", 30, ids);
  g_assert_cmpuint (retract_some (fixture, ids, 4), >, n_items / 50);
  assert_insights (fixture, since);

  /* Another program changes decisions behind the store's back. */
  g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db,
                                 "UPDATE decisions SET timestamp = timestamp - 3600000000 "
                                 "WHERE id % 7 = 0;"
                                 "UPDATE decisions SET reviewer_id = 'dave', duration_ms = 5 "
                                 "WHERE id % 11 = 0;"
                                 "UPDATE decisions SET modified_content = 'Other.' "
                                 "WHERE id % 13 = 0 AND automatic = 0;",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  assert_insights (fixture, since);

  /* Deadline fallbacks decide what is left. */
  policy = vd_policy_new_from_file (policy_path, &error);
  g_assert_no_error (error);
  g_assert_true (vd_sla_apply (fixture->store, policy, far, &sla, &error));
  g_assert_no_error (error);
  counted = assert_insights (fixture, since);

  /* Another connection; then the store taken back to schema 8 and
   * migrated, which fills the figures from the decisions. */
  g_clear_object (&fixture->store);
  fixture->store = vd_test_open_store (fixture->path);
  g_assert_cmpuint (assert_insights (fixture, since), ==, counted);
  g_clear_object (&fixture->store);

  vd_test_store_undo_formats_schema (fixture->path);
  vd_test_store_undo_insights_schema (fixture->path);
  fixture->store = vd_test_open_store (fixture->path);
  g_assert_cmpuint (assert_insights (fixture, since), ==, counted);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  /* On PostgreSQL the figures are the scan itself (test-store's
   * /store/stats and pg-store check them). */
  if (vd_test_sqlite_only ("/stats/against-scan",
                           "SQLite only: SQLite's statistics tables against a scan of its file"))
    g_test_add ("/stats/against-scan", Fixture, NULL, fixture_set_up, test_against_scan,
                fixture_tear_down);
  if (vd_test_sqlite_only ("/stats/insights-against-scan",
                           "SQLite only: SQLite's statistics tables against a scan of its file"))
    g_test_add ("/stats/insights-against-scan", Fixture, NULL, fixture_set_up,
                test_insights_against_scan, fixture_tear_down);

  return g_test_run ();
}
