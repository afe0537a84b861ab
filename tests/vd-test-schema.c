/* vd-test-schema.c
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

/* Stores taken back to an earlier schema, so that tests can migrate them
 * forward again with their data. */

#include "config.h"

#include <sqlite3.h>

#include "vd-test-schema.h"

static void
identity (sqlite3_context  *context,
          int               argc,
          sqlite3_value   **argv)
{
  sqlite3_result_value (context, argv[0]);
}

static void
exec_raw (sqlite3    *db,
          const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

/* The schema 9 forms of what schema 10 changed. */
#define SCHEMA_9_ITEMS \
  "CREATE TABLE items_old (id INTEGER PRIMARY KEY, queue TEXT NOT NULL, " \
  "task_id TEXT NOT NULL, task_description TEXT NOT NULL DEFAULT '', " \
  "task_type TEXT NOT NULL DEFAULT '', context TEXT NOT NULL DEFAULT '', " \
  "content TEXT NOT NULL DEFAULT '', confidence REAL NOT NULL, " \
  "reasoning TEXT NOT NULL DEFAULT '', metadata TEXT NOT NULL DEFAULT '{}', " \
  "escalation_reason TEXT, escalation_detail TEXT NOT NULL DEFAULT '', " \
  "created_at INTEGER NOT NULL, imported_at INTEGER NOT NULL, due_at INTEGER, " \
  "priority INTEGER NOT NULL DEFAULT 0, revision INTEGER NOT NULL DEFAULT 0, " \
  "status TEXT NOT NULL, expected_decision TEXT, audit_seq INTEGER NOT NULL DEFAULT 0, " \
  "sla_fallback TEXT, sla_configured TEXT, sla_rule TEXT, sla_deadline INTEGER, " \
  "sla_applied_at INTEGER, task_content_type TEXT, context_content_type TEXT, " \
  "output_content_type TEXT, UNIQUE (queue, task_id));" \
  "INSERT INTO items_old SELECT id, queue, task_id, task_description, task_type, context, " \
  "content, confidence, reasoning, metadata, escalation_reason, escalation_detail, " \
  "created_at, imported_at, due_at, priority, revision, status, expected_decision, " \
  "audit_seq, sla_fallback, sla_configured, sla_rule, sla_deadline, sla_applied_at, " \
  "task_content_type, context_content_type, output_content_type FROM items;" \
  "DROP TABLE items;" \
  "ALTER TABLE items_old RENAME TO items;" \
  "CREATE TABLE revisions_old (id INTEGER PRIMARY KEY, " \
  "item_id INTEGER NOT NULL REFERENCES items (id), revision INTEGER NOT NULL, " \
  "content TEXT NOT NULL, confidence REAL NOT NULL, reasoning TEXT NOT NULL, " \
  "metadata TEXT NOT NULL, feedback TEXT NOT NULL DEFAULT '', " \
  "created_at INTEGER NOT NULL, UNIQUE (item_id, revision));" \
  "INSERT INTO revisions_old SELECT * FROM revisions;" \
  "DROP TABLE revisions;" \
  "ALTER TABLE revisions_old RENAME TO revisions;" \
  "ALTER TABLE stats_items DROP COLUMN n_confidence;"

#define SCHEMA_9_STATS_TRIGGERS \
  "CREATE TRIGGER stats_items_update AFTER UPDATE OF queue, status, confidence ON items " \
  "  WHEN old.id <= (SELECT CAST (value AS INTEGER) FROM meta WHERE key = 'stats_item_id') " \
  "  AND (old.queue IS NOT new.queue OR old.status IS NOT new.status " \
  "  OR old.confidence IS NOT new.confidence) BEGIN " \
  "  UPDATE stats_items SET n = n - 1, confidence_sum = confidence_sum - old.confidence " \
  "  WHERE queue = old.queue AND status = old.status; " \
  "  INSERT INTO stats_items (queue, status, n, confidence_sum) " \
  "  VALUES (new.queue, new.status, 1, new.confidence) " \
  "  ON CONFLICT (queue, status) DO UPDATE SET n = n + 1, " \
  "  confidence_sum = confidence_sum + excluded.confidence_sum; " \
  "END;" \
  "CREATE TRIGGER stats_items_delete AFTER DELETE ON items " \
  "  WHEN old.id <= (SELECT CAST (value AS INTEGER) FROM meta WHERE key = 'stats_item_id') " \
  "  BEGIN " \
  "  UPDATE stats_items SET n = n - 1, confidence_sum = confidence_sum - old.confidence " \
  "  WHERE queue = old.queue AND status = old.status; " \
  "END;"

/**
 * vd_test_store_undo_four_eyes_schema:
 * @path: a store of the current schema, closed
 *
 * Takes back the step for four-eyes review (schema 10 to 11): the items'
 * reviews_required and the decisions' final. The store is then at schema 10.
 */
void
vd_test_store_undo_four_eyes_schema (const char *path)
{
  sqlite3 *db = NULL;

  sqlite3_stmt *stmt = NULL;
  g_autofree char *trigger = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  /* The trigger as schema 10 wrote it: without the test of final. */
  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "SELECT REPLACE (sql, 'old.final = 1 AND ', '') "
                                       "FROM sqlite_schema WHERE type = 'trigger' "
                                       "AND name = 'stats_decisions_retract'", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  trigger = g_strdup_printf ("%s;", (const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);

  exec_raw (db,
            "DROP TRIGGER stats_decisions_retract;"
            "ALTER TABLE items DROP COLUMN reviews_required;"
            "ALTER TABLE decisions DROP COLUMN final;");
  exec_raw (db, trigger);
  exec_raw (db, "PRAGMA user_version = 10;");
  sqlite3_close (db);
}

/**
 * vd_test_store_undo_formats_schema:
 * @path: a store of the current schema, closed
 *
 * Takes back the steps for four-eyes review (see
 * vd_test_store_undo_four_eyes_schema()) and for other tools' formats
 * (schema 9 to 10): the items
 * and revisions tables with a confidence that must be given and no source,
 * the statistics without their count of confidences, the same indexes and
 * triggers (those on the statistics in their earlier form). The store is
 * then at schema 9.
 */
void
vd_test_store_undo_formats_schema (const char *path)
{
  g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) decision_triggers = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = NULL;
  sqlite3 *db = NULL;

  vd_test_store_undo_four_eyes_schema (path);

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_create_function (db, "vd_casefold", 1, SQLITE_UTF8, NULL, identity,
                                            NULL, NULL), ==, SQLITE_OK);

  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "SELECT name, sql, tbl_name FROM sqlite_schema WHERE sql IS NOT "
                                       "NULL AND ((type = 'index' AND tbl_name IN ('items', "
                                       "'revisions')) OR (type = 'trigger' AND tbl_name IN "
                                       "('items', 'decisions')))", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *name = (const char *) sqlite3_column_text (stmt, 0);

      if (!g_str_equal (name, "stats_items_update") && !g_str_equal (name, "stats_items_delete"))
        g_ptr_array_add (keep, g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
      if (g_str_equal ((const char *) sqlite3_column_text (stmt, 2), "decisions"))
        g_ptr_array_add (decision_triggers, g_strdup (name));
    }
  sqlite3_finalize (stmt);

  exec_raw (db, "BEGIN;"
            "DROP TRIGGER stats_items_update;"
            "DROP TRIGGER stats_items_delete;");
  /* Triggers on decisions that read items would name a missing table
   * while it is rebuilt: out first, in again with the rest. */
  for (guint i = 0; i < decision_triggers->len; i++)
    {
      g_autofree char *drop = g_strdup_printf ("DROP TRIGGER \"%s\";",
                                               (const char *) decision_triggers->pdata[i]);

      exec_raw (db, drop);
    }
  exec_raw (db, SCHEMA_9_ITEMS);
  for (guint i = 0; i < keep->len; i++)
    exec_raw (db, g_ptr_array_index (keep, i));
  exec_raw (db, SCHEMA_9_STATS_TRIGGERS "PRAGMA user_version = 9; COMMIT;");
  sqlite3_close (db);
}


/**
 * vd_test_store_undo_insights_schema:
 * @path: a store at schema 9, closed
 *
 * Takes back the step for the insights' figures (schema 8 to 9): their
 * tables and triggers. The store is then at schema 8.
 */
void
vd_test_store_undo_insights_schema (const char *path)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  exec_raw (db,
            "DROP TRIGGER stats_calibration_item;"
            "DROP TRIGGER stats_reviewers_expected;"
            "DROP TRIGGER stats_insights_decision;"
            "DROP TABLE stats_calibration;"
            "DROP TABLE stats_reviewer_decisions;"
            "DROP TABLE stats_timeline;"
            "PRAGMA user_version = 8;");
  sqlite3_close (db);
}
