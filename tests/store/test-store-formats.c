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
#include "vd-test-schema.h"

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
  vd_test_store_undo_formats_schema (fixture->db);
  vd_test_store_undo_insights_schema (fixture->db);
  value = raw_query_text (fixture->db, "SELECT \"notnull\" FROM pragma_table_info ('items') "
                          "WHERE name = 'confidence'");
  g_assert_cmpstr (value, ==, "1");
  g_clear_pointer (&value, g_free);

  store = vd_test_open_store (fixture->db);

  value = raw_query_text (fixture->db, "PRAGMA user_version");
  g_assert_cmpstr (value, ==, G_STRINGIFY (VD_SQLITE_STORE_SCHEMA_VERSION));
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
  if (vd_test_sqlite_only ("/store-formats/migrate-8",
                           "SQLite only: a migration of SQLite's schema 8"))
    g_test_add ("/store-formats/migrate-8", Fixture, NULL, fixture_set_up,
                test_migrate_8, fixture_tear_down);

  return g_test_run ();
}
