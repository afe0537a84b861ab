/* bench-sla.c: the deadline checks, the forecast and bulk sampling at scale
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

#define G_LOG_DOMAIN "bench-sla"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "vd-core.h"

/* Usage: bench-sla [N_ITEMS]   (default 100000)
 *
 * Stores N undecided items whose deadlines are spread over the next week
 * (one every few seconds), plus N decided items, into a new store in a
 * temporary folder. Then measures what the window's deadline timer does:
 * the next-deadline query; an idle check (vd_sla_apply with nothing due:
 * the timer's wake-up); checks that apply 1, 100 and 10,000 fallbacks; the
 * CPU a running VdSlaTimer uses while it sleeps; and the forecast and a
 * bulk-approve sample over the same store. */

static VdItem *
make_item (guint      i,
           GDateTime *base,
           gboolean   decided)
{
  g_autofree char *task_id = g_strdup_printf ("%s_%07u", decided ? "done" : "task", i);
  VdItem *item = vd_item_new ("bench", task_id);

  vd_item_set_task_description (item, "Answer the ticket");
  vd_item_set_task_type (item, i % 3 == 0 ? "payment" : "support");
  vd_item_set_content (item, "Your parcel left our warehouse yesterday.");
  vd_item_set_confidence (item, 0.5 + (i % 50) / 100.0);
  if (decided)
    {
      vd_item_set_status (item, VD_TASK_STATUS_APPROVED);
    }
  else
    {
      g_autoptr(GDateTime) due = g_date_time_add_seconds (base, 60.0 + 6.0 * i);

      vd_item_set_escalation_reason (item, VD_ESCALATION_REASON_LOW_CONFIDENCE);
      vd_item_set_due_at (item, due);
    }

  return item;
}

static double
cpu_seconds (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 +
         usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
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

static void
apply_at (VdStore    *store,
          VdPolicy   *policy,
          GDateTime  *now,
          const char *what)
{
  g_autoptr(GTimer) timer = g_timer_new ();
  g_autoptr(GError) error = NULL;
  VdSlaResult result = { 0, };
  double seconds;

  if (!vd_sla_apply (store, policy, now, &result, &error))
    g_error ("%s", error->message);
  seconds = g_timer_elapsed (timer, NULL);
  g_print ("apply (%s): %u fallbacks in %.2f ms%s", what, result.applied, seconds * 1e3,
           result.applied > 0 ? "" : "\n");
  if (result.applied > 0)
    g_print (" = %.1f us per item\n", seconds * 1e6 / result.applied);
}

static gboolean
on_stop (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *db_path = NULL;
  g_autoptr(VdSqliteStore) sqlite_store = NULL;
  g_autoptr(VdPolicy) policy = vd_policy_new ();
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GDateTime) base = vd_timestamp_now ();
  g_autoptr(GTimer) timer = g_timer_new ();
  VdImportResult imported = { 0, };
  VdStore *store;
  guint n_items = 100000;
  guint rounds;
  double seconds;

  if (argc > 1)
    n_items = (guint) strtoul (argv[1], NULL, 10);
  if (n_items < 20000)
    {
      g_printerr ("Usage: %s [N_ITEMS]   (at least 20000)\n", argv[0]);
      return 2;
    }

  dir = g_dir_make_tmp ("verdict-bench-sla-XXXXXX", &error);
  if (dir == NULL)
    g_error ("%s", error->message);
  db_path = g_build_filename (dir, "verdict.db", NULL);
  sqlite_store = vd_sqlite_store_new (db_path, &error);
  if (sqlite_store == NULL)
    g_error ("%s", error->message);
  store = VD_STORE (sqlite_store);

  for (guint i = 0; i < n_items; i++)
    g_ptr_array_add (items, make_item (i, base, FALSE));
  for (guint i = 0; i < n_items; i++)
    g_ptr_array_add (items, make_item (i, base, TRUE));
  g_timer_start (timer);
  if (!vd_store_import_items (store, "bench", items, &imported, NULL, NULL, NULL, &error))
    g_error ("%s", error->message);
  g_print ("stored %u undecided items with deadlines (one every 6 s over %.1f days) and %u "
           "decided ones in %.1f s\n",
           n_items, n_items * 6.0 / 86400.0, imported.auto_approved,
           g_timer_elapsed (timer, NULL));
  g_clear_pointer (&items, g_ptr_array_unref);

  /* The first write after the import also checkpoints its write-ahead log
   * into the database: a one-off cost, measured apart. */
  {
    g_autoptr(GDateTime) first = g_date_time_add_seconds (base, 60.0);

    apply_at (store, policy, first, "first write after the import, 1 due");
  }

  /* The timer's question: when is the next deadline? */
  rounds = 2000;
  g_timer_start (timer);
  for (guint i = 0; i < rounds; i++)
    {
      g_autoptr(GDateTime) due = NULL;

      if (!vd_sla_next_deadline (store, &due, &error))
        g_error ("%s", error->message);
      g_assert (due != NULL);
    }
  seconds = g_timer_elapsed (timer, NULL);
  g_print ("next_deadline: %.1f us per query (%u queries)\n", seconds * 1e6 / rounds, rounds);

  /* A wake-up with nothing due: what every check costs before anything
   * passes. */
  rounds = 500;
  g_timer_start (timer);
  for (guint i = 0; i < rounds; i++)
    {
      VdSlaResult result = { 0, };

      if (!vd_sla_apply (store, policy, base, &result, &error))
        g_error ("%s", error->message);
      g_assert (result.applied == 0);
    }
  seconds = g_timer_elapsed (timer, NULL);
  g_print ("apply (nothing due): %.1f us per check (%u checks)\n", seconds * 1e6 / rounds,
           rounds);

  {
    g_autoptr(GDateTime) one = g_date_time_add_seconds (base, 60.0 + 6.0);
    g_autoptr(GDateTime) hundred = g_date_time_add_seconds (base, 60.0 + 6.0 * 101);
    g_autoptr(GDateTime) ten_thousand = g_date_time_add_seconds (base, 60.0 + 6.0 * 10101);

    apply_at (store, policy, one, "1 due");
    apply_at (store, policy, hundred, "100 due");
    apply_at (store, policy, ten_thousand, "10,000 due");
  }

  /* A running timer with the next deadline hours away: how much it wakes
   * and what CPU it uses in 3 s of idling. */
  {
    g_autoptr(VdSlaTimer) sla_timer = vd_sla_timer_new (store, policy);
    g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
    double cpu_before;
    guint64 checks;

    /* Push every deadline a day away, through a connection of its own (as
     * another process would), so that the first check finds nothing due. */
    {
      g_autofree char *sql = g_strdup_printf ("UPDATE items SET due_at = due_at + %"
                                              G_GINT64_FORMAT " WHERE sla_fallback IS NULL",
                                              G_TIME_SPAN_DAY);
      sqlite3 *db = NULL;

      if (sqlite3_open (db_path, &db) != SQLITE_OK ||
          sqlite3_exec (db, sql, NULL, NULL, NULL) != SQLITE_OK)
        g_error ("%s", sqlite3_errmsg (db));
      sqlite3_close (db);
    }

    cpu_before = cpu_seconds ();
    g_timer_start (timer);
    vd_sla_timer_start (sla_timer);
    g_timeout_add (3000, on_stop, loop);
    g_main_loop_run (loop);
    seconds = g_timer_elapsed (timer, NULL);
    checks = vd_sla_timer_get_n_checks (sla_timer);
    vd_sla_timer_stop (sla_timer);
    g_print ("timer idle: %" G_GUINT64_FORMAT " check(s) in %.1f s, %.1f ms CPU (all of it "
             "the first check and the main loop)\n",
             checks, seconds, (cpu_seconds () - cpu_before) * 1e3);
  }

  /* The forecast over the same store. */
  {
    VdForecast forecast = { 0, };

    g_timer_start (timer);
    if (!vd_forecast_compute (store, NULL, NULL, &forecast, &error))
      g_error ("%s", error->message);
    seconds = g_timer_elapsed (timer, NULL);
    g_print ("forecast: %.1f ms (%" G_GUINT64_FORMAT " waiting, %" G_GUINT64_FORMAT
             " with a deadline)\n", seconds * 1e3, forecast.pending, forecast.with_deadline);
  }

  /* A bulk approve's first step over a band of everything waiting. */
  {
    VdBulkBand band = { "bench", NULL, 0.0, 1.0, -1 };
    g_auto(VdBulkOutcome) outcome = { 0, };

    g_timer_start (timer);
    if (!vd_bulk_step (store, &band, "bench", 1.0, 1, &outcome, &error))
      g_error ("%s", error->message);
    seconds = g_timer_elapsed (timer, NULL);
    g_print ("bulk sample: %u of %u items drawn and recorded in %.1f ms\n",
             outcome.undecided->len, outcome.action->members->len, seconds * 1e3);
  }

  g_clear_object (&sqlite_store);
  remove_files (dir);

  return EXIT_SUCCESS;
}
