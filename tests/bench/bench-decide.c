/* bench-decide.c: a reviewer's decision round trip on a large store
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

#define G_LOG_DOMAIN "bench-decide"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "vd-core.h"

/* Usage: bench-decide DB [N]   (default 1000)
 *
 * Approves N undecided items one after the other as the window does: the
 * decision goes through vd_store_record_decision_async() from a main loop,
 * and when it returns the next item is read with
 * vd_store_get_items_by_id_async(). Each latency runs from the call to the
 * moment the next item is in hand. Prints the lines "decide-p50-ms X" and
 * "decide-p99-ms Y". */

typedef struct
{
  VdStore   *store;
  GArray    *ids;
  GPtrArray *items;
  GArray    *latencies;
  GTimer    *timer;
  GMainLoop *loop;
  guint      next;
  guint      n;
} Bench;

static void decide_next (Bench *bench);

static void
next_item_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Bench *bench = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = NULL;
  double ms;

  items = vd_store_get_items_by_id_finish (VD_STORE (object), result, &error);
  if (items == NULL)
    g_error ("%s", error->message);
  ms = g_timer_elapsed (bench->timer, NULL) * 1000.0;
  g_array_append_val (bench->latencies, ms);
  bench->next++;
  decide_next (bench);
}

static void
decided_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Bench *bench = user_data;
  g_autoptr(GError) error = NULL;

  if (!vd_store_record_decision_finish (VD_STORE (object), result, &error))
    g_error ("%s", error->message);
  vd_store_get_items_by_id_async (bench->store,
                                  &g_array_index (bench->ids, gint64, bench->next + 1), 1,
                                  NULL, next_item_cb, bench);
}

static void
decide_next (Bench *bench)
{
  VdItem *item;
  g_autoptr(VdDecision) decision = NULL;

  if (bench->next >= bench->n)
    {
      g_main_loop_quit (bench->loop);
      return;
    }

  item = g_ptr_array_index (bench->items, bench->next);
  decision = vd_decision_new (vd_item_get_queue (item), vd_item_get_task_id (item),
                              VD_DECISION_KIND_APPROVE, "alice");
  vd_decision_set_revision (decision, vd_item_get_revision (item));
  vd_decision_set_duration_ms (decision, 4000);
  g_timer_start (bench->timer);
  vd_store_record_decision_async (bench->store, decision, NULL, decided_cb, bench);
}

static int
compare_double (gconstpointer  a,
                gconstpointer  b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return x < y ? -1 : x > y ? 1 : 0;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(VdSqliteStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GArray) latencies = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GTimer) timer = g_timer_new ();
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  VdItemQuery query = VD_ITEM_QUERY_INIT;
  guint n = argc > 2 ? (guint) g_ascii_strtoull (argv[2], NULL, 10) : 1000;
  Bench bench = { 0, };
  guint len;

  if (argc < 2 || n == 0)
    {
      fprintf (stderr, "usage: bench-decide DB [N]\n");
      return 2;
    }

  store = vd_sqlite_store_new (argv[1], &error);
  if (store == NULL)
    g_error ("%s", error->message);

  query.statuses = VD_STATUS_MASK_UNDECIDED;
  query.limit = n + 1;
  ids = vd_store_list_ids (VD_STORE (store), &query, &error);
  if (ids == NULL)
    g_error ("%s", error->message);
  if (ids->len < n + 1)
    g_error ("%u undecided items, %u needed", ids->len, n + 1);
  items = vd_store_get_items_by_id (VD_STORE (store), (const gint64 *) ids->data, n, &error);
  if (items == NULL)
    g_error ("%s", error->message);

  bench.store = VD_STORE (store);
  bench.ids = ids;
  bench.items = items;
  bench.latencies = latencies;
  bench.timer = timer;
  bench.loop = loop;
  bench.n = n;
  decide_next (&bench);
  g_main_loop_run (loop);

  g_array_sort (latencies, compare_double);
  len = latencies->len;
  printf ("%u decisions, each followed by the next item's read\n", len);
  printf ("decide-p50-ms %.2f\n", g_array_index (latencies, double, len / 2));
  printf ("decide-p99-ms %.2f\n", g_array_index (latencies, double, MIN (len - 1, len * 99 / 100)));

  return EXIT_SUCCESS;
}
