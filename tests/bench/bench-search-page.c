/* bench-search-page.c: the review list's search on a large store
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

#define G_LOG_DOMAIN "bench-search-page"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "vd-core.h"

/* Usage: bench-search-page DB TERM...
 *
 * For each TERM, what the review list asks of the store on a keystroke:
 * the number of matching items and the ids of the first page, in the
 * window's default order. Each term is searched 5 times; the program prints
 * each term's median and, last, the line "search-ms MEDIAN" with the median
 * over every term's median, in milliseconds. */

#define RUNS 5
#define PAGE 200

static int
compare_double (gconstpointer  a,
                gconstpointer  b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return x < y ? -1 : x > y ? 1 : 0;
}

static double
median (GArray *values)
{
  g_array_sort (values, compare_double);
  return g_array_index (values, double, values->len / 2);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(VdSqliteStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) medians = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GTimer) timer = g_timer_new ();

  if (argc < 3)
    {
      fprintf (stderr, "usage: bench-search-page DB TERM...\n");
      return 2;
    }

  store = vd_sqlite_store_new (argv[1], &error);
  if (store == NULL)
    g_error ("%s", error->message);

  for (int t = 2; t < argc; t++)
    {
      g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
      guint64 count = 0;
      guint page = 0;
      double m;

      for (guint run = 0; run < RUNS; run++)
        {
          VdItemQuery query = VD_ITEM_QUERY_INIT;
          g_autoptr(GArray) ids = NULL;
          double ms;

          query.search = argv[t];
          g_timer_start (timer);
          if (!vd_store_count_items (VD_STORE (store), &query, &count, &error))
            g_error ("%s", error->message);
          query.limit = PAGE;
          ids = vd_store_list_ids (VD_STORE (store), &query, &error);
          if (ids == NULL)
            g_error ("%s", error->message);
          ms = g_timer_elapsed (timer, NULL) * 1000.0;
          page = ids->len;
          g_array_append_val (times, ms);
        }
      m = median (times);
      g_array_append_val (medians, m);
      printf ("search \"%s\": %" G_GUINT64_FORMAT " matches, first %u ids, median %.1f ms\n",
              argv[t], count, page, m);
    }

  printf ("search-ms %.1f\n", median (medians));

  return EXIT_SUCCESS;
}
