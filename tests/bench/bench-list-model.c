/* bench-list-model.c: the review list over a million items
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

#define G_LOG_DOMAIN "bench-list-model"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "vd-item-list-model.h"

/* Usage: bench-list-model [N_ITEMS]   (default 1000000)
 *
 * Generates N items into a new store in a temporary folder (straight SQL
 * in one transaction, the store's own indexes built afterwards), then
 * measures what the window does with it: open the store, resolve the
 * review list (undecided items, lowest confidence first, and other
 * queries), materialise the first 50 rows, and the peak memory of all
 * that. */

#define DEADLINE_SECONDS 120

static gboolean
keep_waking (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

#define WAIT_UNTIL(cond)                                                        \
  G_STMT_START {                                                                \
    gint64 _deadline = g_get_monotonic_time () + DEADLINE_SECONDS * G_USEC_PER_SEC; \
    guint _wake = g_timeout_add (1, keep_waking, NULL);                         \
    while (!(cond))                                                             \
      {                                                                         \
        if (g_get_monotonic_time () > _deadline)                                \
          g_error ("Timed out waiting for %s", #cond);                          \
        g_main_context_iteration (NULL, TRUE);                                  \
      }                                                                         \
    g_source_remove (_wake);                                                    \
  } G_STMT_END

static void
exec_or_die (sqlite3    *db,
             const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

/* Fills the items table of the store at @path the way an import would
 * leave it: a fifth auto-approved, the rest waiting in several statuses,
 * two queues, two thirds with a deadline. */
static void
generate (const char *path,
          guint       n_items)
{
  static const char * const statuses[] = {
    "pending", "pending", "pending", "pending", "pending", "pending",
    "in_review", "escalated", "approved", "approved",
  };
  static const char * const reasons[] = {
    "low_confidence", "sensitive_content", "high_risk_action", "ambiguous_input",
    "error_occurred", "policy_required", "user_requested",
  };
  g_autoptr(GPtrArray) indexes = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GTimer) timer = g_timer_new ();
  sqlite3_stmt *stmt = NULL;
  sqlite3 *db = NULL;
  gint64 base = G_GINT64_CONSTANT (1795165200) * G_USEC_PER_SEC;   /* 2026-11-20T09:00Z */

  if (sqlite3_open (path, &db) != SQLITE_OK)
    g_error ("Could not open %s", path);

  /* Building the indexes once at the end is faster than keeping them up
   * to date row by row. */
  if (sqlite3_prepare_v2 (db, "SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND "
                          "tbl_name = 'items' AND sql IS NOT NULL", -1, &stmt, NULL) != SQLITE_OK)
    g_error ("%s", sqlite3_errmsg (db));
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autofree char *drop = g_strdup_printf ("DROP INDEX %s", sqlite3_column_text (stmt, 0));

      g_ptr_array_add (indexes, g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
      g_ptr_array_add (indexes, g_steal_pointer (&drop));
    }
  sqlite3_finalize (stmt);

  exec_or_die (db, "PRAGMA synchronous = OFF");
  exec_or_die (db, "PRAGMA cache_size = -65536");
  exec_or_die (db, "BEGIN");
  for (guint i = 1; i < indexes->len; i += 2)
    exec_or_die (db, g_ptr_array_index (indexes, i));

  if (sqlite3_prepare_v2 (db,
                          "INSERT INTO items (queue, task_id, task_description, task_type, "
                          "context, content, confidence, reasoning, metadata, "
                          "escalation_reason, escalation_detail, created_at, imported_at, "
                          "due_at, priority, revision, status, audit_seq) "
                          "VALUES (?1, ?2, ?3, 'support', 'Order placed 3 days ago', ?4, ?5, "
                          "'Tracking shows a scan at the depot', ?6, ?7, ?8, ?9, ?10, ?11, "
                          "?12, 0, ?13, 0)",
                          -1, &stmt, NULL) != SQLITE_OK)
    g_error ("%s", sqlite3_errmsg (db));

  for (guint i = 0; i < n_items; i++)
    {
      char task_id[32];
      char description[96];
      char content[128];
      char metadata[64];
      const char *status = statuses[i % G_N_ELEMENTS (statuses)];
      gboolean approved = strcmp (status, "approved") == 0;

      g_snprintf (task_id, sizeof task_id, "task_%07u", i);
      g_snprintf (description, sizeof description,
                  "Answer ticket %u: the customer asks where the order is", i);
      g_snprintf (content, sizeof content,
                  "Your parcel %u left our warehouse yesterday and will arrive tomorrow "
                  "before noon.", i);
      g_snprintf (metadata, sizeof metadata, "{\"order\":%u,\"customer\":{\"tier\":\"gold\"}}", i);

      sqlite3_reset (stmt);
      sqlite3_bind_text (stmt, 1, i % 4 == 0 ? "beta" : "alpha", -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, task_id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 3, description, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 4, content, -1, SQLITE_TRANSIENT);
      sqlite3_bind_double (stmt, 5, (double) (((guint64) i * 7919) % n_items) / n_items);
      sqlite3_bind_text (stmt, 6, metadata, -1, SQLITE_TRANSIENT);
      if (approved)
        {
          sqlite3_bind_null (stmt, 7);
          sqlite3_bind_text (stmt, 8, "", -1, SQLITE_STATIC);
        }
      else
        {
          sqlite3_bind_text (stmt, 7, reasons[(i / 10) % G_N_ELEMENTS (reasons)], -1,
                             SQLITE_STATIC);
          sqlite3_bind_text (stmt, 8, "confidence below the threshold 0.70", -1, SQLITE_STATIC);
        }
      sqlite3_bind_int64 (stmt, 9, base + (gint64) (((guint64) i * 31) % n_items) * 1000);
      sqlite3_bind_int64 (stmt, 10, base);
      if (i % 3 == 0)
        sqlite3_bind_null (stmt, 11);
      else
        sqlite3_bind_int64 (stmt, 11, base + (gint64) (((guint64) i * 13) % n_items) * 60000);
      sqlite3_bind_int (stmt, 12, i % 5);
      sqlite3_bind_text (stmt, 13, status, -1, SQLITE_STATIC);

      if (sqlite3_step (stmt) != SQLITE_DONE)
        g_error ("%s", sqlite3_errmsg (db));
    }
  sqlite3_finalize (stmt);

  g_print ("generate: %u rows inserted in %.2f s\n", n_items, g_timer_elapsed (timer, NULL));
  g_timer_start (timer);
  for (guint i = 0; i < indexes->len; i += 2)
    exec_or_die (db, g_ptr_array_index (indexes, i));
  exec_or_die (db, "COMMIT");
  exec_or_die (db, "PRAGMA wal_checkpoint(TRUNCATE)");
  exec_or_die (db, "ANALYZE");
  sqlite3_close (db);
  g_print ("generate: %u indexes built in %.2f s\n", indexes->len / 2,
           g_timer_elapsed (timer, NULL));
}

static void
remove_files (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_remove (path);
    }

  g_rmdir (dir);
}

/* A line of /proc/self/status, e.g. "VmHWM", in MiB. */
static double
proc_status_mib (const char *key)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  gsize key_len = strlen (key);

  if (!g_file_get_contents ("/proc/self/status", &text, NULL, NULL))
    return -1;

  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (strncmp (lines[i], key, key_len) == 0 && lines[i][key_len] == ':')
        return g_ascii_strtod (lines[i] + key_len + 1, NULL) / 1024.0;
    }

  return -1;
}

static void
on_loaded (VdItemListModel *model,
           guint           *n_loaded)
{
  (*n_loaded)++;
}

static double
resolve (VdItemListModel   *model,
         guint             *n_loaded,
         const VdItemQuery *query,
         const char        *what)
{
  g_autoptr(GTimer) timer = g_timer_new ();
  guint before = *n_loaded;
  double seconds;

  vd_item_list_model_set_query (model, query);
  WAIT_UNTIL (*n_loaded > before);
  seconds = g_timer_elapsed (timer, NULL);

  g_print ("resolve:  %-42s %8u items in %6.3f s\n", what,
           g_list_model_get_n_items (G_LIST_MODEL (model)), seconds);

  return seconds;
}

static gboolean
first_rows_ready (VdItemListModel *model,
                  GPtrArray       *rows)
{
  for (guint i = 0; i < rows->len; i++)
    {
      if (!vd_item_list_model_is_materialised (model, g_ptr_array_index (rows, i)))
        return FALSE;
    }

  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *db_path = NULL;
  g_autoptr(VdSqliteStore) store = NULL;
  g_autoptr(VdItemListModel) model = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GTimer) timer = NULL;
  VdItemQuery query = VD_ITEM_QUERY_INIT;
  GStatBuf st;
  guint n_items = 1000000;
  guint n_loaded = 0;

  /* The generator runs as a process of its own, so that its memory does
   * not count in the peak measured here. */
  if (argc == 4 && strcmp (argv[1], "--generate") == 0)
    {
      generate (argv[2], (guint) strtoul (argv[3], NULL, 10));
      return EXIT_SUCCESS;
    }

  if (argc > 1)
    n_items = (guint) strtoul (argv[1], NULL, 10);
  if (n_items == 0)
    {
      g_printerr ("Usage: %s [N_ITEMS]\n", argv[0]);
      return 2;
    }

  dir = g_dir_make_tmp ("verdict-bench-XXXXXX", &error);
  if (dir == NULL)
    g_error ("%s", error->message);
  db_path = g_build_filename (dir, "verdict.db", NULL);

  /* The schema, from the store itself. */
  store = vd_sqlite_store_new (db_path, &error);
  if (store == NULL)
    g_error ("%s", error->message);
  g_clear_object (&store);
  {
    g_autofree char *n_text = g_strdup_printf ("%u", n_items);
    const char *child_argv[] = { "/proc/self/exe", "--generate", db_path, n_text, NULL };
    int status = 0;

    if (!g_spawn_sync (NULL, (char **) child_argv, NULL, G_SPAWN_CHILD_INHERITS_STDOUT,
                       NULL, NULL, NULL, NULL, &status, &error) ||
        !g_spawn_check_wait_status (status, &error))
      g_error ("Could not generate the items: %s", error->message);
  }
  if (g_stat (db_path, &st) == 0)
    g_print ("generate: database %.0f MB\n", st.st_size / 1e6);

  g_print ("memory:   %.1f MiB before opening the store\n", proc_status_mib ("VmRSS"));

  timer = g_timer_new ();
  store = vd_sqlite_store_new (db_path, &error);
  if (store == NULL)
    g_error ("%s", error->message);
  g_print ("open:     store opened in %.3f s\n", g_timer_elapsed (timer, NULL));

  model = vd_item_list_model_new (VD_STORE (store));
  g_signal_connect (model, "loaded", G_CALLBACK (on_loaded), &n_loaded);

  /* What the window shows first: undecided, lowest confidence first. */
  query.statuses = VD_STATUS_MASK_UNDECIDED;
  query.sort = VD_SORT_ORDER_CONFIDENCE;
  resolve (model, &n_loaded, &query, "undecided, confidence (the window's)");

  g_timer_start (timer);
  rows = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < 50; i++)
    g_ptr_array_add (rows, g_list_model_get_item (G_LIST_MODEL (model), i));
  WAIT_UNTIL (first_rows_ready (model, rows));
  g_print ("rows:     first 50 rows materialised in %.4f s (%u items hold fields)\n",
           g_timer_elapsed (timer, NULL), vd_item_list_model_get_n_materialised (model));
  g_print ("memory:   peak %.1f MiB, now %.1f MiB (store open, list resolved, rows read)\n",
           proc_status_mib ("VmHWM"), proc_status_mib ("VmRSS"));

  g_timer_start (timer);
  {
    guint middle = g_list_model_get_n_items (G_LIST_MODEL (model)) / 2;
    g_autoptr(VdItem) last = NULL;

    for (guint i = 0; i < 50; i++)
      {
        g_clear_object (&last);
        last = g_list_model_get_item (G_LIST_MODEL (model), middle + i);
      }
    WAIT_UNTIL (vd_item_list_model_is_materialised (model, last));
  }
  g_print ("rows:     50 rows in the middle materialised in %.4f s\n",
           g_timer_elapsed (timer, NULL));

  {
    guint last = g_list_model_get_n_items (G_LIST_MODEL (model)) - 1;
    g_autoptr(VdItem) item = g_list_model_get_item (G_LIST_MODEL (model), last);
    guint position;

    /* The worst case: the last position, or none. */
    g_timer_start (timer);
    position = vd_item_list_model_find (model, vd_item_get_id (item));
    g_assert_cmpuint (position, ==, last);
    g_assert_cmpuint (vd_item_list_model_find (model, 0), ==, G_MAXUINT);
    g_print ("find:     the last row id and a missing one found in %.4f s\n",
             g_timer_elapsed (timer, NULL));
  }

  query.statuses = VD_STATUS_MASK (VD_TASK_STATUS_PENDING);
  resolve (model, &n_loaded, &query, "pending, confidence");
  query.statuses = VD_STATUS_MASK_UNDECIDED;
  query.sort = VD_SORT_ORDER_DUE;
  resolve (model, &n_loaded, &query, "undecided, deadline");
  query.sort = VD_SORT_ORDER_CREATED;
  resolve (model, &n_loaded, &query, "undecided, oldest first");
  query.queue = "beta";
  query.sort = VD_SORT_ORDER_CONFIDENCE;
  resolve (model, &n_loaded, &query, "undecided in one queue, confidence");
  query.queue = NULL;
  query.statuses = 0;
  resolve (model, &n_loaded, &query, "all, confidence");
  query.statuses = VD_STATUS_MASK_DECIDED;
  query.sort = VD_SORT_ORDER_CREATED;
  query.descending = TRUE;
  resolve (model, &n_loaded, &query, "decided, newest first");
  query.statuses = VD_STATUS_MASK_UNDECIDED;
  query.sort = VD_SORT_ORDER_CONFIDENCE;
  query.descending = FALSE;
  query.search = "PARCEL 4242 ";
  resolve (model, &n_loaded, &query, "undecided, search \"PARCEL 4242 \"");
  query.search = "straße";
  resolve (model, &n_loaded, &query, "undecided, search a non-ASCII word (none)");
  query.search = NULL;

  g_print ("memory:   peak %.1f MiB over all of it\n", proc_status_mib ("VmHWM"));

  g_clear_pointer (&rows, g_ptr_array_unref);
  /* Fetches still under way hold the model; let them finish. */
  {
    VdItemListModel *last = g_steal_pointer (&model);

    g_object_add_weak_pointer (G_OBJECT (last), (gpointer *) &last);
    g_object_unref (last);
    WAIT_UNTIL (last == NULL);
  }
  g_clear_object (&store);
  remove_files (dir);

  return EXIT_SUCCESS;
}
