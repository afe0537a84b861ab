/* test-store-formats.c
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

/* The store and other tools' items (schema 9): the source record, a
 * confidence that may be absent, decisions the source refuses, and the
 * migration from schema 8. */

#include "config.h"

#include <math.h>
#include <string.h>

#include <sqlite3.h>

#include "vd-core.h"
#include "vd-format.h"
#include "vd-test-util.h"

typedef VdTestStore Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  vd_test_store_set_up (fixture, "store-formats");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  vd_test_store_tear_down (fixture);
}

static char *
raw_query_text (const char *path,
                const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *result;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  result = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return result;
}

static gint64
audit_head (VdStore *store)
{
  g_autoptr(GError) error = NULL;
  gint64 seq = -1;

  g_assert_true (vd_store_get_audit_head (store, &seq, NULL, &error));
  g_assert_no_error (error);
  return seq;
}

/* An interrupt's action that accepts approve and reject only, without a
 * confidence, and a plain item with one. */
static void
import_two (VdStore *store)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(JsonNode) source = json_from_string ("{\"format\": \"langgraph\", "
                                                 "\"ids\": {\"thread_id\": \"t1\"}, "
                                                 "\"allowed_decisions\": [\"approve\", "
                                                 "\"reject\"]}", NULL);
  g_autoptr(GError) error = NULL;
  VdImportResult result = { 0 };
  VdItem *item;

  item = vd_item_new ("payments", "lg:t1:i1:0");
  vd_item_set_content (item, "{\"amount\": 5}");
  vd_item_set_task_description (item, "Pay");
  vd_item_clear_confidence (item);
  vd_item_set_source (item, json_node_get_object (source));
  vd_item_set_escalation_reason (item, VD_ESCALATION_REASON_POLICY_REQUIRED);
  g_ptr_array_add (items, item);

  item = vd_item_new ("payments", "plain");
  vd_item_set_content (item, "Fine");
  vd_item_set_task_description (item, "Check");
  vd_item_set_confidence (item, 0.5);
  vd_item_set_escalation_reason (item, VD_ESCALATION_REASON_LOW_CONFIDENCE);
  g_ptr_array_add (items, item);

  g_assert_true (vd_store_import_items (store, "test", items, &result, NULL, NULL, NULL,
                                        &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.imported, ==, 2);
}

static void
test_source_and_no_confidence (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(VdItem) item = NULL;
  g_autoptr(VdItem) plain = NULL;
  g_autoptr(GError) error = NULL;
  VdStats stats = { 0 };

  import_two (fixture->store);

  item = vd_store_get_item (fixture->store, "payments", "lg:t1:i1:0", &error);
  g_assert_no_error (error);
  g_assert_false (vd_item_has_confidence (item));
  g_assert_cmpstr (vd_item_get_source_format (item), ==, "langgraph");
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (vd_item_get_source (item), "ids"),
                     "thread_id"), ==, "t1");

  plain = vd_store_get_item (fixture->store, "payments", "plain", &error);
  g_assert_no_error (error);
  g_assert_true (vd_item_has_confidence (plain));
  g_assert_null (vd_item_get_source (plain));

  /* The average leaves the item without a confidence out (not 0). */
  g_assert_true (vd_store_get_stats (fixture->store, "payments", &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.total_tasks, ==, 2);
  g_assert_cmpfloat_with_epsilon (stats.avg_confidence, 0.5, 1e-9);

  /* A bulk approve's band over every confidence leaves it out. */
  {
    VdBulkBand band = { "payments", NULL, 0.0, 1.0, -1 };
    g_autoptr(GArray) members = vd_store_list_band (fixture->store, &band, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (members->len, ==, 1);
    g_assert_cmpint (g_array_index (members, VdBulkMember, 0).item_id, ==,
                     vd_item_get_id (plain));
  }

  /* A new revision keeps the old output, still without a confidence. */
  {
    g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
    g_autoptr(GPtrArray) revisions = NULL;
    g_autoptr(VdItem) revised = vd_item_copy (item);
    VdImportResult result = { 0 };

    vd_item_set_id (revised, 0);
    vd_item_set_revision (revised, 1);
    vd_item_set_content (revised, "{\"amount\": 7}");
    g_ptr_array_add (items, g_object_ref (revised));
    g_assert_true (vd_store_import_items (fixture->store, "test", items, &result, NULL, NULL,
                                          NULL, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (result.revised, ==, 1);

    revisions = vd_store_list_revisions (fixture->store, vd_item_get_id (item), &error);
    g_assert_no_error (error);
    g_assert_cmpuint (revisions->len, ==, 1);
    g_assert_true (isnan (vd_revision_get_confidence (g_ptr_array_index (revisions, 0))));
  }
}

static void
test_refused_decision (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(VdDecision) modify = NULL;
  g_autoptr(VdDecision) approve = NULL;
  g_autoptr(GPtrArray) decisions = NULL;
  g_autoptr(GError) error = NULL;
  gint64 head;

  import_two (fixture->store);
  head = audit_head (fixture->store);

  modify = vd_decision_new ("payments", "lg:t1:i1:0", VD_DECISION_KIND_MODIFY, "alice");
  vd_decision_set_modified_content (modify, "{\"amount\": 6}");
  g_assert_false (vd_store_record_decision (fixture->store, modify, &error));
  g_assert_error (error, VD_FORMAT_ERROR, VD_FORMAT_ERROR_NOT_ALLOWED);
  g_assert_cmpstr (error->message, ==,
                   "payments/lg:t1:i1:0: this LangGraph interrupt accepts approve, reject; "
                   "not modify");
  g_clear_error (&error);

  /* Nothing was written. */
  g_assert_cmpint (audit_head (fixture->store), ==, head);
  decisions = vd_store_list_decisions (fixture->store, "payments", "lg:t1:i1:0", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (decisions->len, ==, 0);

  approve = vd_decision_new ("payments", "lg:t1:i1:0", VD_DECISION_KIND_APPROVE, "alice");
  g_assert_true (vd_store_record_decision (fixture->store, approve, &error));
  g_assert_no_error (error);
  g_assert_cmpint (audit_head (fixture->store), ==, head + 1);
}

static void
resolve_auto_approve (VdItem       *item,
                      GDateTime    *now,
                      VdSlaOutcome *outcome,
                      gpointer      user_data)
{
  outcome->rule.fallback = GPOINTER_TO_INT (user_data);
  outcome->rule.configured = outcome->rule.fallback;
  outcome->rule.rule = "fallback";
  outcome->rule.unsafe = FALSE;
}

static void
test_fallback_refused (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(JsonNode) source = json_from_string ("{\"format\": \"langgraph\", "
                                                 "\"allowed_decisions\": [\"reject\"]}", NULL);
  g_autoptr(GDateTime) due = g_date_time_new_from_unix_utc (1000);
  g_autoptr(GDateTime) now = g_date_time_new_from_unix_utc (5000);
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(VdItem) after = NULL;
  g_autoptr(GError) error = NULL;
  VdImportResult result = { 0 };
  VdSlaResult sla = { 0 };
  VdAuditEvent *last;
  VdItem *item;

  item = vd_item_new ("q", "lg:a:b:0");
  vd_item_set_content (item, "{}");
  vd_item_set_task_description (item, "Run");
  vd_item_clear_confidence (item);
  vd_item_set_source (item, json_node_get_object (source));
  vd_item_set_escalation_reason (item, VD_ESCALATION_REASON_POLICY_REQUIRED);
  vd_item_set_due_at (item, due);
  g_ptr_array_add (items, item);
  g_assert_true (vd_store_import_items (fixture->store, "test", items, &result, NULL, NULL,
                                        NULL, &error));
  g_assert_no_error (error);

  g_assert_true (vd_store_apply_fallbacks (fixture->store, now, 100, resolve_auto_approve,
                                           GINT_TO_POINTER (VD_SLA_FALLBACK_AUTO_APPROVE),
                                           &sla, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (sla.applied, ==, 1);
  g_assert_cmpuint (sla.auto_approved, ==, 0);
  g_assert_cmpuint (sla.escalated, ==, 1);

  after = vd_store_get_item (fixture->store, "q", "lg:a:b:0", &error);
  g_assert_no_error (error);
  g_assert_cmpint (vd_item_get_status (after), ==, VD_TASK_STATUS_ESCALATED);

  events = vd_store_list_audit (fixture->store, 0, 1000, &error);
  g_assert_no_error (error);
  last = g_ptr_array_index (events, events->len - 1);
  g_assert_nonnull (strstr (vd_audit_event_get_payload_json (last),
                            "\"note\":\"auto_approve fell back to escalate: q/lg:a:b:0: this "
                            "LangGraph interrupt accepts reject; not approve\""));
}

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

/* The schema 8 forms of what schema 9 changed. */
#define SCHEMA_8_ITEMS \
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

#define SCHEMA_8_STATS_TRIGGERS \
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

/* Turns the current store at @path back into schema 8: the items and
 * revisions tables with a confidence that must be given and no source, the
 * statistics without their count of confidences, the same indexes and
 * triggers (those on the statistics in their schema 8 form). */
static void
downgrade_to_8 (const char *path)
{
  g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = NULL;
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_create_function (db, "vd_casefold", 1, SQLITE_UTF8, NULL, identity,
                                            NULL, NULL), ==, SQLITE_OK);

  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "SELECT name, sql FROM sqlite_schema WHERE sql IS NOT "
                                       "NULL AND ((type = 'index' AND tbl_name IN ('items', "
                                       "'revisions')) OR (type = 'trigger' AND tbl_name IN "
                                       "('items', 'decisions')))", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *name = (const char *) sqlite3_column_text (stmt, 0);

      if (!g_str_equal (name, "stats_items_update") && !g_str_equal (name, "stats_items_delete"))
        g_ptr_array_add (keep, g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
    }
  sqlite3_finalize (stmt);

  exec_raw (db, "BEGIN;"
            "DROP TRIGGER stats_decisions_retract;"
            "DROP TRIGGER stats_items_update;"
            "DROP TRIGGER stats_items_delete;"
            SCHEMA_8_ITEMS);
  for (guint i = 0; i < keep->len; i++)
    exec_raw (db, g_ptr_array_index (keep, i));
  exec_raw (db, SCHEMA_8_STATS_TRIGGERS "PRAGMA user_version = 8; COMMIT;");
  sqlite3_close (db);
}

static char *
schema_names (const char *path)
{
  return raw_query_text (path, "SELECT group_concat (name, ',') FROM (SELECT name FROM "
                         "sqlite_schema WHERE type IN ('index', 'trigger', 'table') "
                         "ORDER BY name)");
}

static void
test_migrate_8 (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *fresh_names = NULL;
  g_autofree char *names = NULL;
  g_autofree char *value = NULL;
  g_autoptr(VdStore) store = NULL;
  g_autoptr(VdItem) item = NULL;
  g_autoptr(VdDecision) decision = NULL;
  g_autoptr(GPtrArray) decisions = NULL;
  g_autoptr(GError) error = NULL;
  VdImportResult result = { 0 };
  VdStats before = { 0 }, after = { 0 };
  guint64 n_checked = 0;
  gint64 id;

  vd_test_import_text (fixture->store, fixture->dir, "q.jsonl",
                       "{\"task_id\": \"a\", \"task_description\": \"Check\", "
                       "\"agent_output\": {\"content\": \"One\", \"confidence\": 0.25}}\n"
                       "{\"task_id\": \"b\", \"task_description\": \"Check\", "
                       "\"agent_output\": {\"content\": \"Two\", \"confidence\": 0.35}}\n",
                       NULL, &result);
  decision = vd_decision_new ("q", "a", VD_DECISION_KIND_APPROVE, "alice");
  g_assert_true (vd_store_record_decision (fixture->store, decision, &error));
  g_assert_no_error (error);
  g_assert_true (vd_store_get_stats (fixture->store, NULL, &before, &error));
  g_assert_no_error (error);
  item = vd_store_get_item (fixture->store, "q", "b", &error);
  g_assert_no_error (error);
  id = vd_item_get_id (item);
  g_clear_object (&item);
  g_clear_object (&fixture->store);

  fresh_names = schema_names (fixture->db);
  downgrade_to_8 (fixture->db);
  value = raw_query_text (fixture->db, "SELECT \"notnull\" FROM pragma_table_info ('items') "
                          "WHERE name = 'confidence'");
  g_assert_cmpstr (value, ==, "1");
  g_clear_pointer (&value, g_free);

  store = vd_test_open_store (fixture->db);

  value = raw_query_text (fixture->db, "PRAGMA user_version");
  g_assert_cmpstr (value, ==, "10");
  g_clear_pointer (&value, g_free);
  value = raw_query_text (fixture->db, "SELECT \"notnull\" FROM pragma_table_info ('items') "
                          "WHERE name = 'confidence'");
  g_assert_cmpstr (value, ==, "0");
  g_clear_pointer (&value, g_free);
  value = raw_query_text (fixture->db, "SELECT count(*) FROM pragma_table_info ('items') "
                          "WHERE name = 'source'");
  g_assert_cmpstr (value, ==, "1");
  g_clear_pointer (&value, g_free);
  value = raw_query_text (fixture->db, "PRAGMA foreign_keys");
  g_clear_pointer (&value, g_free);

  /* The same tables, indexes and triggers as a new store's. */
  names = schema_names (fixture->db);
  g_assert_cmpstr (names, ==, fresh_names);

  /* Row ids, decisions, statistics and the trail are as they were. */
  item = vd_store_get_item (store, "q", "b", &error);
  g_assert_no_error (error);
  g_assert_cmpint (vd_item_get_id (item), ==, id);
  g_assert_cmpfloat_with_epsilon (vd_item_get_confidence (item), 0.35, 1e-9);
  decisions = vd_store_list_decisions (store, "q", "a", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (decisions->len, ==, 1);
  g_assert_true (vd_store_get_stats (store, NULL, &after, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (after.total_tasks, ==, before.total_tasks);
  g_assert_cmpfloat_with_epsilon (after.avg_confidence, before.avg_confidence, 1e-9);
  g_assert_true (vd_store_verify_audit (store, NULL, &n_checked, &error));
  g_assert_no_error (error);

  /* The triggers work on the new table: a decision moves the counts. */
  g_clear_object (&decision);
  decision = vd_decision_new ("q", "b", VD_DECISION_KIND_APPROVE, "alice");
  g_assert_true (vd_store_record_decision (store, decision, &error));
  g_assert_no_error (error);
  g_assert_true (vd_store_get_stats (store, NULL, &after, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (after.pending, ==, 0);

  /* An item without a confidence can now be stored. */
  import_two (store);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/store-formats/source-and-no-confidence", Fixture, NULL, fixture_set_up,
              test_source_and_no_confidence, fixture_tear_down);
  g_test_add ("/store-formats/refused-decision", Fixture, NULL, fixture_set_up,
              test_refused_decision, fixture_tear_down);
  g_test_add ("/store-formats/fallback-refused", Fixture, NULL, fixture_set_up,
              test_fallback_refused, fixture_tear_down);
  g_test_add ("/store-formats/migrate-8", Fixture, NULL, fixture_set_up,
              test_migrate_8, fixture_tear_down);

  return g_test_run ();
}
