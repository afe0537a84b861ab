/* test-search.c: the item search and its trigram index
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

#include <sqlite3.h>
#include <string.h>

#include "vd-core.h"
#include "vd-test-util.h"

typedef struct
{
  char *dir;
  char *path;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->dir = vd_test_make_tmp_dir ("search");
  fixture->path = g_build_filename (fixture->dir, "verdict.db", NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  vd_test_remove_tree (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

static void
add_fixture_test (const char *path,
                  void (*func) (Fixture *, gconstpointer))
{
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down);
}

/* The texts of the test items: each field of an item takes the next text
 * in turn, so that every text lands in every field of some item. */
static const char * const texts[] = {
  "Überweisung an die Straße 5",
  "École du centre",
  "Inscription à l'e\xcc\x81" "cole",
  "Attach the \xef\xac\x81le to the ticket",
  "ΣΟΦΙΑ asked for a refund",
  "Order \xef\xbc\xa1\xef\xbc\xa2\xef\xbc\xa3-7",
  "Ecole and strasse, without accents",
  "Refund \"quoted\" 100% OR NOT near*",
  "The customer wants a REFUND of 42 EUR",
  "Tracking shows a scan at the depot",
  "",
  "deploy build #17 failed: exit code 2",
};

#define N_ITEMS 40

/* The fields searched, in the order make_item() fills them. */
#define N_FIELDS 5

static const char *
field_text (guint item,
            guint field)
{
  return texts[(item * 3 + field * 5) % G_N_ELEMENTS (texts)];
}

static VdItem *
make_item (guint item,
           int   revision)
{
  g_autofree char *task_id = g_strdup_printf ("T-%02u %s", item,
                                              item % 7 == 0 ? "Straße" : "x");
  VdItem *result = vd_item_new (item % 2 ? "q1" : "q2", task_id);
  g_autoptr(GDateTime) created = g_date_time_new_utc (2026, 11, 20, 9, item, 0);

  vd_item_set_task_description (result, field_text (item, 1));
  vd_item_set_context (result, field_text (item, 2));
  vd_item_set_content (result, revision == 0 ? field_text (item, 3) : "Rewritten answer zqx");
  vd_item_set_reasoning (result, field_text (item, 4));
  vd_item_set_task_type (result, "support");
  vd_item_set_confidence (result, (item * 37 % 100) / 100.0);
  vd_item_set_escalation_reason (result, VD_ESCALATION_REASON_LOW_CONFIDENCE);
  vd_item_set_status (result, VD_TASK_STATUS_PENDING);
  vd_item_set_timestamp (result, created);
  vd_item_set_revision (result, revision);

  return result;
}

static void
import_all (VdStore *store,
            int      revision)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  VdImportResult result = { 0, };

  for (guint i = 0; i < N_ITEMS; i++)
    g_ptr_array_add (items, make_item (i, revision));

  g_assert_true (vd_store_import_items (store, "test.jsonl", items, &result, NULL, NULL, NULL,
                                        &error));
  g_assert_no_error (error);
}

/* The test's own case folding, written from the documented rule (NFKC,
 * Unicode case folding, NFKC), independent of the store's. */
static char *
fold (const char *text)
{
  g_autofree char *nfkc = g_utf8_normalize (text, -1, G_NORMALIZE_NFKC);
  g_autofree char *folded = g_utf8_casefold (nfkc, -1);

  return g_utf8_normalize (folded, -1, G_NORMALIZE_NFKC);
}

static gboolean
item_matches (VdItem     *item,
              const char *needle)
{
  const char *fields[N_FIELDS] = {
    vd_item_get_task_id (item),
    vd_item_get_task_description (item),
    vd_item_get_context (item),
    vd_item_get_content (item),
    vd_item_get_reasoning (item),
  };
  g_autofree char *folded_needle = fold (needle);

  for (guint f = 0; f < N_FIELDS; f++)
    {
      g_autofree char *folded = fold (fields[f]);

      if (strstr (folded, folded_needle) != NULL)
        return TRUE;
    }

  return FALSE;
}

/* The task ids the search for @needle lists, comma-separated in the
 * order asked, and checks that the count agrees. */
static char *
search (VdStore     *store,
        const char  *needle,
        VdSortOrder  sort,
        guint        statuses)
{
  VdItemQuery query = VD_ITEM_QUERY_INIT;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GString) list = g_string_new (NULL);
  guint64 count = 0;

  query.search = needle;
  query.sort = sort;
  query.statuses = statuses;
  ids = vd_store_list_ids (store, &query, &error);
  g_assert_no_error (error);
  g_assert_true (vd_store_count_items (store, &query, &count, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count, ==, ids->len);

  items = vd_store_get_items_by_id (store, (const gint64 *) ids->data, ids->len, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < items->len; i++)
    g_string_append_printf (list, "%s%s", i > 0 ? "," : "",
                            vd_item_get_task_id (g_ptr_array_index (items, i)));

  return g_string_free (g_steal_pointer (&list), FALSE);
}

/* What the search must list for @needle: every item (in the order of the
 * unfiltered listing) with the needle in one of its fields. */
static char *
expected (VdStore     *store,
          const char  *needle,
          VdSortOrder  sort)
{
  VdItemQuery query = VD_ITEM_QUERY_INIT;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GString) list = g_string_new (NULL);
  gboolean first = TRUE;

  query.sort = sort;
  ids = vd_store_list_ids (store, &query, &error);
  g_assert_no_error (error);
  items = vd_store_get_items_by_id (store, (const gint64 *) ids->data, ids->len, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < items->len; i++)
    {
      VdItem *item = g_ptr_array_index (items, i);

      if (!item_matches (item, needle))
        continue;
      g_string_append_printf (list, "%s%s", first ? "" : ",", vd_item_get_task_id (item));
      first = FALSE;
    }

  return g_string_free (g_steal_pointer (&list), FALSE);
}

/* Every substring of 1 to 6 characters of every text, as written and in
 * upper case, finds exactly the items that contain it, case folded, in any
 * of the five fields, in the order of the listing: through the index from
 * three characters on, by reading the rows below. */
static void
assert_all_substrings (VdStore *store)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint n_checked = 0;

  for (guint t = 0; t < G_N_ELEMENTS (texts); t++)
    {
      g_autofree char *nfc = g_utf8_normalize (texts[t], -1, G_NORMALIZE_NFC);
      glong n_chars = g_utf8_strlen (nfc, -1);

      for (glong start = 0; start < n_chars; start++)
        for (glong len = 1; len <= 6 && start + len <= n_chars; len++)
          {
            const char *from = g_utf8_offset_to_pointer (nfc, start);
            const char *to = g_utf8_offset_to_pointer (nfc, start + len);
            g_autofree char *needle = g_strndup (from, to - from);
            g_autofree char *upper = g_utf8_strup (needle, -1);
            const char *needles[] = { needle, upper };

            for (guint n = 0; n < G_N_ELEMENTS (needles); n++)
              {
                g_autofree char *want = NULL;
                g_autofree char *got = NULL;
                VdSortOrder sort = n_checked % 3;

                if (!g_hash_table_add (seen, g_strdup (needles[n])))
                  continue;

                want = expected (store, needles[n], sort);
                got = search (store, needles[n], sort, 0);
                if (g_strcmp0 (want, got) != 0)
                  g_error ("search for \"%s\": expected [%s], got [%s]", needles[n], want, got);
                n_checked++;
              }
          }
    }

  g_assert_cmpuint (n_checked, >, 500);
}

static void
test_substrings (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(VdStore) store = vd_test_open_store (fixture->path);
  g_autofree char *got = NULL;

  import_all (store, 0);
  assert_all_substrings (store);

  /* The cases the window's search has always had, now also in context
   * and reasoning. */
  got = search (store, "STRASSE", VD_SORT_ORDER_CREATED, 0);
  g_assert_cmpstr (got, !=, "");
  g_clear_pointer (&got, g_free);
  got = search (store, "Σοφία", VD_SORT_ORDER_CREATED, 0);
  g_assert_cmpstr (got, ==, "");
  g_clear_pointer (&got, g_free);

  /* FTS5 query syntax in the search text is taken literally. */
  got = search (store, "\"quoted\" 100% OR NOT near*", VD_SORT_ORDER_CREATED, 0);
  g_assert_cmpstr (got, !=, "");
  g_clear_pointer (&got, g_free);
  got = search (store, "quoted OR refund", VD_SORT_ORDER_CREATED, 0);
  g_assert_cmpstr (got, ==, "");
}

/* Filters combine with the index: a status mask and a queue. */
static void
test_filters (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(VdStore) store = vd_test_open_store (fixture->path);
  VdItemQuery query = VD_ITEM_QUERY_INIT;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) all = NULL;
  g_autoptr(GArray) q1 = NULL;
  g_autoptr(GArray) page = NULL;

  import_all (store, 0);

  query.search = "refund";
  query.sort = VD_SORT_ORDER_CONFIDENCE;
  query.statuses = VD_STATUS_MASK_UNDECIDED;
  all = vd_store_list_ids (store, &query, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, >, 4);

  query.queue = "q1";
  q1 = vd_store_list_ids (store, &query, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (q1->len, >, 0);
  g_assert_cmpuint (q1->len, <, all->len);

  /* A page of the same order. */
  query.queue = NULL;
  query.offset = 1;
  query.limit = 2;
  page = vd_store_list_ids (store, &query, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->len, ==, 2);
  g_assert_cmpint (g_array_index (page, gint64, 0), ==, g_array_index (all, gint64, 1));
  g_assert_cmpint (g_array_index (page, gint64, 1), ==, g_array_index (all, gint64, 2));

  query.offset = 0;
  query.limit = 0;
  query.statuses = VD_STATUS_MASK_DECIDED;
  g_clear_pointer (&page, g_array_unref);
  page = vd_store_list_ids (store, &query, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->len, ==, 0);
}

/* A new revision replaces the indexed output: the old text is no longer
 * found, the new one is. */
static void
test_revision (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(VdStore) store = vd_test_open_store (fixture->path);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  import_all (store, 0);
  before = search (store, "zqx", VD_SORT_ORDER_CREATED, 0);
  g_assert_cmpstr (before, ==, "");

  import_all (store, 1);
  after = search (store, "Rewritten answer ZQX", VD_SORT_ORDER_CREATED, 0);
  {
    g_auto(GStrv) found = g_strsplit (after, ",", -1);

    g_assert_cmpuint (g_strv_length (found), ==, N_ITEMS);
  }

  /* Everything matches the rows as they are now, not the old outputs. */
  assert_all_substrings (store);
}

static char *
raw_query_text (const char *path,
                const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *text = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return text;
}

/* A store of schema 7 (no search index) opens, migrates to 8 and finds
 * its old items through the new index. */
static void
test_migrate_7 (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(VdStore) store = vd_test_open_store (fixture->path);
  g_autofree char *version = NULL;
  g_autofree char *tables = NULL;
  sqlite3 *db = NULL;

  import_all (store, 0);
  g_clear_object (&store);

  /* Take the file back to schema 7. */
  g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db,
                                 "DROP TRIGGER stats_calibration_item;"
                                 "DROP TRIGGER stats_reviewers_expected;"
                                 "DROP TRIGGER stats_insights_decision;"
                                 "DROP TABLE stats_calibration;"
                                 "DROP TABLE stats_reviewer_decisions;"
                                 "DROP TABLE stats_timeline;"
                                 "DROP TRIGGER items_search_delete; DROP TRIGGER items_search_update;"
                                 "DROP TABLE items_search; DROP TRIGGER stats_items_update;"
                                 "DROP TRIGGER stats_items_delete; DROP TRIGGER stats_items_revision;"
                                 "DROP TRIGGER stats_decisions_retract; DROP TABLE stats_items;"
                                 "DROP TABLE stats_decisions; DROP TABLE stats_auto_approved;"
                                 "DELETE FROM meta WHERE key IN ('search_indexed_id', 'stats_item_id', 'stats_decision_id');"
                                 "ALTER TABLE decisions DROP COLUMN final;"
                                 "PRAGMA user_version = 7;",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  version = raw_query_text (fixture->path, "PRAGMA user_version");
  g_assert_cmpstr (version, ==, "7");
  g_clear_pointer (&version, g_free);

  store = vd_test_open_store (fixture->path);
  version = raw_query_text (fixture->path, "PRAGMA user_version");
  g_assert_cmpstr (version, ==, G_STRINGIFY (VD_SQLITE_STORE_SCHEMA_VERSION));
  tables = raw_query_text (fixture->path,
                           "SELECT group_concat (name, ',') FROM (SELECT name FROM sqlite_schema "
                           "WHERE name LIKE 'items_search%' ORDER BY name)");
  g_assert_cmpstr (tables, ==,
                   "items_search,items_search_config,items_search_data,items_search_delete,"
                   "items_search_idx,items_search_update");

  assert_all_substrings (store);
}

/* A row another program inserted is indexed when the store next opens. */
static void
test_other_writer (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(VdStore) store = vd_test_open_store (fixture->path);
  g_autofree char *got = NULL;
  g_autofree char *waiting = NULL;
  sqlite3 *db = NULL;

  import_all (store, 0);
  g_clear_object (&store);

  g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db,
                                 "INSERT INTO items (queue, task_id, content, confidence, "
                                 "created_at, imported_at, status) VALUES "
                                 "('q1', 'raw', 'Written elsewhere QQV', 0.5, 1, 1, 'pending')",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  store = vd_test_open_store (fixture->path);
  waiting = raw_query_text (fixture->path,
                            "SELECT (SELECT MAX (id) FROM items) - CAST (value AS INTEGER) "
                            "FROM meta WHERE key = 'search_indexed_id'");
  g_assert_cmpstr (waiting, ==, "0");
  got = search (store, "elsewhere qqv", VD_SORT_ORDER_CREATED, 0);
  g_assert_cmpstr (got, ==, "raw");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  add_fixture_test ("/search/substrings", test_substrings);
  add_fixture_test ("/search/filters", test_filters);
  add_fixture_test ("/search/revision", test_revision);
  if (vd_test_sqlite_only ("/search/migrate-7", "SQLite only: a migration of SQLite's schema 7"))
    add_fixture_test ("/search/migrate-7", test_migrate_7);
  /* On PostgreSQL, the client folds the search text at import. */
  if (vd_test_sqlite_only ("/search/other-writer",
                           "SQLite only: rows written by hand reach SQLite's search index "
                           "through its triggers"))
    add_fixture_test ("/search/other-writer", test_other_writer);

  return g_test_run ();
}
