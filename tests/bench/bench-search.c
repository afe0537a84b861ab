/* bench-search.c: the item search on a large store
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

#define G_LOG_DOMAIN "bench-search"

#include "config.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>

#include "vd-core.h"

/* Usage: bench-search [--no-index] [N_ITEMS [DB]]   (default 1000000)
 *
 * Opens DB (default: a new store in a temporary folder) and, when it holds
 * fewer than N_ITEMS items, imports queued items through
 * vd_store_import_items() in batches of 10,000, timing the import. With
 * --no-index the search index is switched off first (its triggers
 * dropped, its watermark set past any row id), to measure what the index
 * costs the import; the searches then find nothing new. Then it times, for a set of search texts of different
 * selectivity, what the review list asks per keystroke: every matching id
 * in order (vd_store_list_ids() without a limit) and the count, as the
 * median of 7 runs. */

#define BATCH 10000
#define RUNS 7

static const char * const customers[] = {
  "Anna Schmidt", "Bruno Díaz", "Chloé Martin", "Dmitri Ivanov", "Emeka Okafor",
  "Fatima Zahra", "Grete Straße", "Hiroshi Tanaka", "Ingrid Berg", "Jamal Wright",
};

static const char * const topics[] = {
  "where the parcel is", "a refund for a damaged item", "changing the delivery address",
  "an invoice that shows the wrong VAT", "cancelling a subscription", "a missing discount",
  "a duplicate charge on the card", "the warranty of a blender",
};

static VdItem *
make_item (guint64 i)
{
  g_autofree char *task_id = g_strdup_printf ("bench_%08" G_GUINT64_FORMAT, i);
  g_autofree char *description = g_strdup_printf ("Answer ticket %" G_GUINT64_FORMAT
                                                  ": %s asks about %s", i,
                                                  customers[i % G_N_ELEMENTS (customers)],
                                                  topics[i % G_N_ELEMENTS (topics)]);
  g_autofree char *context = g_strdup_printf ("Order %" G_GUINT64_FORMAT " placed %u days ago; "
                                              "customer since %u; tier %s",
                                              i * 7919 % 10000000, (guint) (i % 30),
                                              (guint) (2010 + i % 15),
                                              i % 5 == 0 ? "gold" : "standard");
  g_autofree char *content = g_strdup_printf ("Dear %s, thank you for your message. Your "
                                              "order %" G_GUINT64_FORMAT " left our warehouse "
                                              "and will arrive within %u days. Kind regards",
                                              customers[i % G_N_ELEMENTS (customers)],
                                              i * 7919 % 10000000, (guint) (1 + i % 6));
  g_autofree char *reasoning = g_strdup_printf ("The tracking number %08" G_GINT64_MODIFIER
                                                "x shows a scan at the depot", i * 2654435761u);
  VdItem *item = vd_item_new ("bench", task_id);

  vd_item_set_task_description (item, description);
  vd_item_set_task_type (item, i % 3 == 0 ? "payment" : "support");
  vd_item_set_context (item, context);
  vd_item_set_content (item, content);
  vd_item_set_reasoning (item, reasoning);
  vd_item_set_confidence (item, (i * 7919 % 1000) / 1000.0);
  vd_item_set_escalation_reason (item, VD_ESCALATION_REASON_LOW_CONFIDENCE);

  return item;
}

static guint64
count_items (VdStore *store)
{
  VdItemQuery query = VD_ITEM_QUERY_INIT;
  g_autoptr(GError) error = NULL;
  guint64 count = 0;

  if (!vd_store_count_items (store, &query, &count, &error))
    g_error ("%s", error->message);

  return count;
}

static void
switch_index_off (const char *path)
{
  sqlite3 *db = NULL;
  char *message = NULL;

  if (sqlite3_open (path, &db) != SQLITE_OK ||
      sqlite3_exec (db,
                    "DROP TRIGGER IF EXISTS items_search_update;"
                    "DROP TRIGGER IF EXISTS items_search_delete;"
                    "UPDATE meta SET value = 9223372036854775807 "
                    "WHERE key = 'search_indexed_id';",
                    NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", path, message != NULL ? message : sqlite3_errmsg (db));
  sqlite3_close (db);
}

static void
fill (VdStore *store,
      guint64  n_items)
{
  guint64 have = count_items (store);
  g_autoptr(GTimer) timer = g_timer_new ();
  double seconds;

  if (have >= n_items)
    {
      printf ("store holds %" G_GUINT64_FORMAT " items\n", have);
      return;
    }

  for (guint64 start = have; start < n_items; start += BATCH)
    {
      g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
      g_autoptr(GError) error = NULL;
      VdImportResult result = { 0, };

      for (guint64 i = start; i < MIN (start + BATCH, n_items); i++)
        g_ptr_array_add (items, make_item (i));
      if (!vd_store_import_items (store, "bench", items, &result, NULL, NULL, NULL, &error))
        g_error ("%s", error->message);
    }

  seconds = g_timer_elapsed (timer, NULL);
  printf ("imported %" G_GUINT64_FORMAT " items in %.2f s (%.1f µs each)\n",
          n_items - have, seconds, seconds * 1e6 / (double) (n_items - have));
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static void
measure (VdStore     *store,
         const char  *search,
         VdSortOrder  sort)
{
  VdItemQuery query = VD_ITEM_QUERY_INIT;
  g_autoptr(GTimer) timer = g_timer_new ();
  double list_ms[RUNS];
  double count_ms[RUNS];
  guint n_ids = 0;
  guint64 count = 0;

  query.search = search;
  query.sort = sort;
  query.statuses = VD_STATUS_MASK_UNDECIDED;

  for (guint run = 0; run < RUNS; run++)
    {
      g_autoptr(GArray) ids = NULL;
      g_autoptr(GError) error = NULL;

      g_timer_start (timer);
      ids = vd_store_list_ids (store, &query, &error);
      list_ms[run] = g_timer_elapsed (timer, NULL) * 1000.0;
      if (ids == NULL)
        g_error ("%s", error->message);
      n_ids = ids->len;

      g_timer_start (timer);
      if (!vd_store_count_items (store, &query, &count, &error))
        g_error ("%s", error->message);
      count_ms[run] = g_timer_elapsed (timer, NULL) * 1000.0;
      g_assert (count == n_ids);
    }

  qsort (list_ms, RUNS, sizeof (double), compare_doubles);
  qsort (count_ms, RUNS, sizeof (double), compare_doubles);
  printf ("%-24s %-10s %8u matches  list %8.2f ms  count %8.2f ms  (median of %d)\n",
          search, vd_sort_order_to_string (sort), n_ids, list_ms[RUNS / 2], count_ms[RUNS / 2],
          RUNS);
}

int
main (int    argc,
      char **argv)
{
  static const char * const searches[] = {
    "bench_00123456",     /* one item, by task id */
    "ticket 4242",        /* a number's prefix: about a hundred */
    "3f2a",               /* a hexadecimal fragment in the reasoning */
    "GRETE STRASSE",      /* a tenth of the items, through the case folding */
    "duplicate charge",   /* an eighth */
    "nothing like this",  /* none */
    "zq",                 /* two characters: reads every row */
  };
  gboolean no_index = argc > 1 && strcmp (argv[1], "--no-index") == 0;
  guint64 n_items;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(VdSqliteStore) store = NULL;
  g_autoptr(GError) error = NULL;

  if (no_index)
    {
      argc--;
      argv++;
    }
  n_items = argc > 1 ? g_ascii_strtoull (argv[1], NULL, 10) : 1000000;

  if (argc > 2)
    path = g_strdup (argv[2]);
  else
    {
      dir = g_dir_make_tmp ("verdict-bench-search-XXXXXX", &error);
      if (dir == NULL)
        g_error ("%s", error->message);
      path = g_build_filename (dir, "verdict.db", NULL);
    }

  store = vd_sqlite_store_new (path, &error);
  if (store == NULL)
    g_error ("%s", error->message);
  if (no_index)
    switch_index_off (path);

  fill (VD_STORE (store), n_items);

  for (guint i = 0; i < G_N_ELEMENTS (searches); i++)
    measure (VD_STORE (store), searches[i], VD_SORT_ORDER_CONFIDENCE);
  measure (VD_STORE (store), "ticket 4242", VD_SORT_ORDER_CREATED);
  measure (VD_STORE (store), "GRETE STRASSE", VD_SORT_ORDER_DUE);

  g_clear_object (&store);
  if (dir != NULL)
    {
      g_autoptr(GDir) contents = g_dir_open (dir, 0, NULL);
      const char *name;
      GStatBuf st;

      if (g_stat (path, &st) == 0)
        printf ("database: %.1f MB\n", st.st_size / 1e6);

      /* The database, its WAL and the installation key beside it. */
      while (contents != NULL && (name = g_dir_read_name (contents)) != NULL)
        {
          g_autofree char *file = g_build_filename (dir, name, NULL);

          g_remove (file);
        }
      g_rmdir (dir);
    }

  return EXIT_SUCCESS;
}
