/* bench-insights.c: the statistics page's figures on a large store
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

#define G_LOG_DOMAIN "bench-insights"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include <glib/gstdio.h>

#include "vd-core.h"

/* Usage: bench-insights [N_ITEMS [N_DECISIONS [DB]]]   (default 100000 5000)
 *
 * Opens DB (default: a new store in a temporary folder). When it holds
 * fewer than N_ITEMS items, adds queued items until it does (in
 * transactions of 10,000). Then N_DECISIONS undecided items are decided
 * one by one through vd_store_record_decision(), as a reviewer's decisions
 * are (one audited transaction each), by five reviewers over the last 30
 * days, with durations, a feedback judgement on every third and an
 * occasional rejection or modification. Finally it times
 * vd_insights_compute() and each of its parts. */

#define BATCH 10000

static const char * const reviewers[] = { "alice", "bob", "carol", "dave", "erin" };
static const char * const categories[] = { "accuracy", "tone", "completeness" };

static VdItem *
make_item (guint64 i)
{
  g_autofree char *task_id = g_strdup_printf ("bench_%08" G_GUINT64_FORMAT, i);
  VdItem *item = vd_item_new ("bench", task_id);

  vd_item_set_task_description (item, "Answer the customer's ticket");
  vd_item_set_task_type (item, i % 3 == 0 ? "payment" : "support");
  vd_item_set_content (item, "Your parcel left our warehouse yesterday.");
  vd_item_set_confidence (item, (i * 7919 % 1000) / 1000.0);
  vd_item_set_escalation_reason (item, i % 10 == 0 ? VD_ESCALATION_REASON_POLICY_REQUIRED
                                                   : VD_ESCALATION_REASON_LOW_CONFIDENCE);

  return item;
}

static guint64
count_items (VdStore *store,
             guint    statuses)
{
  VdItemQuery query = VD_ITEM_QUERY_INIT;
  g_autoptr(GError) error = NULL;
  guint64 count = 0;

  query.statuses = statuses;
  if (!vd_store_count_items (store, &query, &count, &error))
    g_error ("%s", error->message);

  return count;
}

static void
fill (VdStore *store,
      guint64  n_items)
{
  guint64 have = count_items (store, 0);
  g_autoptr(GTimer) timer = g_timer_new ();

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

  printf ("added %" G_GUINT64_FORMAT " items in %.1f s\n", n_items - have,
          g_timer_elapsed (timer, NULL));
}

static void
decide (VdStore *store,
        guint64  n_decisions)
{
  VdItemQuery query = VD_ITEM_QUERY_INIT;
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GTimer) timer = g_timer_new ();
  g_autoptr(GError) error = NULL;
  gint64 now = g_get_real_time ();
  guint64 done = 0;

  query.statuses = VD_STATUS_MASK_UNDECIDED;
  query.limit = (guint) n_decisions;
  ids = vd_store_list_ids (store, &query, &error);
  if (ids == NULL)
    g_error ("%s", error->message);

  for (guint start = 0; start < ids->len; start += 500)
    {
      guint n = MIN (500, ids->len - start);
      g_autoptr(GPtrArray) items = vd_store_get_items_by_id (store,
                                                             &g_array_index (ids, gint64, start),
                                                             n, &error);

      if (items == NULL)
        g_error ("%s", error->message);

      for (guint k = 0; k < items->len; k++)
        {
          VdItem *item = g_ptr_array_index (items, k);
          guint64 i = done++;
          VdDecisionKind kind = i % 13 == 0 ? VD_DECISION_KIND_REJECT
                                : i % 17 == 0 ? VD_DECISION_KIND_MODIFY
                                : VD_DECISION_KIND_APPROVE;
          g_autoptr(VdDecision) decision = vd_decision_new (vd_item_get_queue (item),
                                                            vd_item_get_task_id (item), kind,
                                                            reviewers[i % 5]);
          /* Spread over 30 days, reviewers working in runs. */
          g_autoptr(GDateTime) when = vd_timestamp_from_usec (now - 30 * G_TIME_SPAN_DAY +
                                                              (gint64) i * (30 * G_TIME_SPAN_DAY /
                                                                            (gint64) n_decisions));

          vd_decision_set_revision (decision, vd_item_get_revision (item));
          vd_decision_set_timestamp (decision, when);
          vd_decision_set_duration_ms (decision, 500 + (gint64) (i * 7919 % 20000));
          if (kind == VD_DECISION_KIND_REJECT)
            vd_decision_set_feedback (decision, "Wrong customer");
          if (kind == VD_DECISION_KIND_MODIFY)
            vd_decision_set_modified_content (decision, "Your parcel left on Monday.");
          if (i % 3 == 0)
            {
              vd_decision_set_helpful (decision, i % 2 == 0 ? VD_HELPFUL_YES : VD_HELPFUL_NO);
              vd_decision_set_category (decision, categories[i % 3 == 0 ? (i / 3) % 3 : 0]);
            }
          if (!vd_store_record_decision (store, decision, &error))
            g_error ("%s", error->message);
        }
    }

  printf ("recorded %" G_GUINT64_FORMAT " decisions one by one in %.1f s (%.2f ms each)\n",
          done, g_timer_elapsed (timer, NULL),
          done > 0 ? g_timer_elapsed (timer, NULL) * 1000.0 / (double) done : 0.0);
}

static void
measure (VdStore *store)
{
  g_autoptr(GTimer) timer = g_timer_new ();
  g_autoptr(GError) error = NULL;
  VdInsightsQuery query;
  double best = G_MAXDOUBLE;

  vd_insights_query_init (&query);

  for (guint run = 0; run < 3; run++)
    {
      g_autoptr(VdInsights) insights = NULL;
      double seconds;

      g_timer_start (timer);
      insights = vd_insights_compute (store, &query, NULL, &error);
      seconds = g_timer_elapsed (timer, NULL);
      if (insights == NULL)
        g_error ("%s", error->message);
      best = MIN (best, seconds);
      printf ("vd_insights_compute: %.3f s (%" G_GUINT64_FORMAT " items, %" G_GUINT64_FORMAT
              " human decisions, %u reviewers, %" G_GUINT64_FORMAT " calibration "
              "observations, %" G_GUINT64_FORMAT " feedback records)\n",
              seconds, insights->stats.total_tasks,
              insights->stats.human_approved + insights->stats.human_rejected +
              insights->stats.human_modified + insights->stats.human_escalated,
              insights->reviewers->len, insights->calibration->overall->count,
              insights->feedback->total_feedback);
    }
  printf ("vd_insights_compute best of 3: %.3f s\n", best);

  {
    VdStats stats;

    g_timer_start (timer);
    if (!vd_store_get_stats (store, NULL, &stats, &error))
      g_error ("%s", error->message);
    printf ("  stats: %.3f s\n", g_timer_elapsed (timer, NULL));
  }
  {
    g_autoptr(GPtrArray) result = NULL;

    g_timer_start (timer);
    result = vd_insights_compute_reviewers (store, &query, NULL, &error);
    if (result == NULL)
      g_error ("%s", error->message);
    printf ("  reviewers: %.3f s\n", g_timer_elapsed (timer, NULL));
  }
  {
    g_autoptr(VdCalibration) result = NULL;

    g_timer_start (timer);
    result = vd_insights_compute_calibration (store, &query, NULL, &error);
    if (result == NULL)
      g_error ("%s", error->message);
    printf ("  calibration: %.3f s\n", g_timer_elapsed (timer, NULL));
  }
  {
    g_autoptr(VdFeedbackSummary) result = NULL;

    g_timer_start (timer);
    result = vd_insights_compute_feedback (store, NULL, NULL, &error);
    if (result == NULL)
      g_error ("%s", error->message);
    printf ("  feedback: %.3f s\n", g_timer_elapsed (timer, NULL));
  }
  {
    g_autoptr(GDateTime) from = vd_timestamp_now ();
    g_autoptr(GDateTime) start = g_date_time_add_days (from, -30);
    VdDecisionCounts counts;

    g_timer_start (timer);
    for (guint i = 0; i < 30; i++)
      {
        g_autoptr(GDateTime) a = g_date_time_add_days (start, i);
        g_autoptr(GDateTime) b = g_date_time_add_days (start, i + 1);

        if (!vd_store_count_decisions (store, NULL, a, b, &counts, &error))
          g_error ("%s", error->message);
      }
    printf ("  timeline (30 days): %.3f s\n", g_timer_elapsed (timer, NULL));
  }
}

int
main (int    argc,
      char **argv)
{
  guint64 n_items = argc > 1 ? g_ascii_strtoull (argv[1], NULL, 10) : 100000;
  guint64 n_decisions = argc > 2 ? g_ascii_strtoull (argv[2], NULL, 10) : 5000;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(VdSqliteStore) store = NULL;
  g_autoptr(GError) error = NULL;
  guint64 decided;

  if (argc > 3)
    path = g_strdup (argv[3]);
  else
    {
      dir = g_dir_make_tmp ("verdict-bench-insights-XXXXXX", &error);
      if (dir == NULL)
        g_error ("%s", error->message);
      path = g_build_filename (dir, "verdict.db", NULL);
    }

  store = vd_sqlite_store_new (path, &error);
  if (store == NULL)
    g_error ("%s", error->message);

  fill (VD_STORE (store), n_items);
  decided = count_items (VD_STORE (store), VD_STATUS_MASK_DECIDED);
  if (decided < n_decisions)
    decide (VD_STORE (store), n_decisions - decided);
  printf ("%" G_GUINT64_FORMAT " items, %" G_GUINT64_FORMAT " decided\n",
          count_items (VD_STORE (store), 0), count_items (VD_STORE (store),
                                                         VD_STATUS_MASK_DECIDED));

  measure (VD_STORE (store));

  g_clear_object (&store);
  if (dir != NULL)
    {
      g_autofree char *wal = g_strconcat (path, "-wal", NULL);
      g_autofree char *shm = g_strconcat (path, "-shm", NULL);

      g_remove (path);
      g_remove (wal);
      g_remove (shm);
      g_rmdir (dir);
    }

  return EXIT_SUCCESS;
}
