/* test-bulk-load.c
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

/* An import into an empty store builds the items' indexes at the end of
 * its transaction: the indexes are all there afterwards, whether the
 * import succeeded or was rolled back, and the store answers through them. */

#include "config.h"

#include <sqlite3.h>

#include "vd-core.h"
#include "vd-test-util.h"

#define HEADER "{\"verdict_queue\": 1, \"queue\": \"bulk\"}\n"
#define ITEM(ID, CONF) \
  "{\"task_id\": \"" ID "\", \"task_type\": \"payment\", \"task_description\": \"pay " ID "\", " \
  "\"agent_output\": {\"content\": \"ok\", \"confidence\": " CONF ", \"reasoning\": \"r\"}, " \
  "\"escalation_reason\": \"low_confidence\", \"timestamp\": \"2026-11-25T10:00:00Z\"}\n"

/* The store's indexes on items, with their definitions, one a line. */
static char *
item_indexes (const char *db)
{
  g_autoptr(GString) out = g_string_new (NULL);
  sqlite3 *handle = NULL;
  sqlite3_stmt *stmt = NULL;

  if (!vd_test_store_is_sqlite ())
    return vd_test_store_sql (db, "SELECT string_agg (indexname || ' ' || indexdef, E'\\n' "
                                  "ORDER BY indexname) FROM pg_indexes "
                                  "WHERE tablename = 'items'");

  g_assert_cmpint (sqlite3_open_v2 (db, &handle, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (handle,
                                       "SELECT name, COALESCE (sql, '') FROM sqlite_master "
                                       "WHERE type = 'index' AND tbl_name = 'items' "
                                       "ORDER BY name", -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (out, "%s %s\n", sqlite3_column_text (stmt, 0),
                            sqlite3_column_text (stmt, 1));
  sqlite3_finalize (stmt);

  g_assert_cmpint (sqlite3_prepare_v2 (handle, "PRAGMA integrity_check", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "ok");
  sqlite3_finalize (stmt);
  sqlite3_close (handle);

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static gboolean
import_file (VdStore     *store,
             const char  *dir,
             const char  *name,
             const char  *text,
             GError     **error)
{
  g_autofree char *path = vd_test_write_file (dir, name, text);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(VdPolicy) policy = vd_policy_new ();
  g_autoptr(VdImporter) importer = vd_importer_new (store, policy);
  VdImportResult result = { 0, };

  return vd_importer_import (importer, &file, 1, &result, NULL, NULL, NULL, error);
}

static void
test_indexes_kept (VdTestStore   *fixture,
                   gconstpointer  data)
{
  g_autofree char *fresh = item_indexes (fixture->db);
  g_autofree char *after_failure = NULL;
  g_autofree char *after_first = NULL;
  g_autofree char *after_second = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  VdItemQuery query = VD_ITEM_QUERY_INIT;

  /* A store has indexes on items besides the unique one. */
  g_assert_nonnull (strstr (fresh, "CREATE INDEX items_status_confidence"));
  g_assert_nonnull (strstr (fresh, vd_test_store_is_sqlite () ? "sqlite_autoindex_items_1"
                                                              : "items_queue_task_id_key"));

  /* A bad third line rolls the whole file back, the index drop included. */
  g_assert_false (import_file (fixture->store, fixture->dir, "bad.jsonl",
                               HEADER ITEM ("t-1", "0.2") ITEM ("t-2", "0.4")
                               "{\"task_id\": 7}\n", &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  after_failure = item_indexes (fixture->db);
  g_assert_cmpstr (after_failure, ==, fresh);
  items = vd_store_list_items (fixture->store, &query, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 0);
  g_clear_pointer (&items, g_ptr_array_unref);

  /* A good file into the empty store: the same indexes, over its rows. */
  g_assert_true (import_file (fixture->store, fixture->dir, "good.jsonl",
                              HEADER ITEM ("t-1", "0.2") ITEM ("t-2", "0.4") ITEM ("t-3", "0.1"),
                              &error));
  g_assert_no_error (error);
  after_first = item_indexes (fixture->db);
  g_assert_cmpstr (after_first, ==, fresh);

  /* A second file into the store that now has items keeps them too. */
  g_assert_true (import_file (fixture->store, fixture->dir, "more.jsonl",
                              HEADER ITEM ("t-4", "0.3"), &error));
  g_assert_no_error (error);
  after_second = item_indexes (fixture->db);
  g_assert_cmpstr (after_second, ==, fresh);

  /* Read through the rebuilt (status, confidence) order. */
  query.statuses = VD_STATUS_MASK_UNDECIDED;
  query.sort = VD_SORT_ORDER_CONFIDENCE;
  items = vd_store_list_items (fixture->store, &query, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 4);
  g_assert_cmpstr (vd_item_get_task_id (items->pdata[0]), ==, "t-3");
  g_assert_cmpstr (vd_item_get_task_id (items->pdata[1]), ==, "t-1");
  g_assert_cmpstr (vd_item_get_task_id (items->pdata[2]), ==, "t-4");
  g_assert_cmpstr (vd_item_get_task_id (items->pdata[3]), ==, "t-2");
}

static void
set_up (VdTestStore   *fixture,
        gconstpointer  data)
{
  vd_test_store_set_up (fixture, "bulk-load");
}

static void
tear_down (VdTestStore   *fixture,
           gconstpointer  data)
{
  vd_test_store_tear_down (fixture);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/store/bulk-load/indexes-kept", VdTestStore, NULL,
              set_up, test_indexes_kept, tear_down);

  return g_test_run ();
}
