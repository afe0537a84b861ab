/* pg-load-reviewer.c: one reviewer of the load test, in a process of its own
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

#include <stdio.h>
#include <stdlib.h>

#include "vd-core.h"
#include "vd-pg-store.h"

/*
 *   pg-load-reviewer CONNINFO SECONDS OUTPUT SEED
 *
 * Logs in with CONNINFO (the password from PGPASSWORD, as libpq reads
 * it), prints "ready", waits for a line on its standard input, then decides
 * undecided items for SECONDS seconds or until none is left. Every decision
 * the store acknowledged is written to OUTPUT as "ITEM-ID KIND", one a line,
 * before the next one is tried. At the end it prints one line:
 *
 *   done decided=N already=N claimed=N connection=N other=N seconds=S next=HOW
 *
 * (the store's refusals counted by kind; HOW is "claims") and the first
 * unexpected error's
 * message, if any, on standard error.
 *
 * Which item next: first the HOT_ITEMS oldest undecided items, in the same
 * order as every other reviewer, without claims (so that reviewers race
 * for the same rows and the store must refuse the losers); then the rest,
 * claimed one by one with vd_pg_store_claim_next(), which never hands
 * two reviewers the same item.
 */

#define HOT_ITEMS     20
#define BATCH_SIZE    32
#define CLAIM_SECONDS 120

typedef struct
{
  guint decided;
  guint already;
  guint claimed;
  guint connection;
  guint other;
} Counts;

typedef struct
{
  VdStore    *store;
  const char *reviewer;
  GRand      *rand;
  FILE       *out;
  gint64      deadline;
  Counts      counts;
  char       *first_unexpected;
} Worker;

static gboolean
before_deadline (Worker *worker)
{
  return g_get_monotonic_time () < worker->deadline;
}

static VdDecisionKind
pick_kind (GRand *rand)
{
  int dice = g_rand_int_range (rand, 0, 20);

  if (dice < 12)
    return VD_DECISION_KIND_APPROVE;
  if (dice < 17)
    return VD_DECISION_KIND_REJECT;
  return VD_DECISION_KIND_MODIFY;
}

static void
count_error (Worker       *worker,
             const GError *error)
{
  Counts *counts = &worker->counts;

  if (g_error_matches (error, VD_STORE_ERROR, VD_STORE_ERROR_ALREADY_DECIDED))
    counts->already++;
  else if (g_error_matches (error, VD_STORE_ERROR, VD_STORE_ERROR_CLAIMED))
    counts->claimed++;
  else if (g_error_matches (error, VD_STORE_ERROR, VD_STORE_ERROR_CONNECTION))
    counts->connection++;
  else
    {
      counts->other++;
      if (worker->first_unexpected == NULL)
        worker->first_unexpected = g_strdup (error->message);
    }
}

/* The undecided items' ids, oldest first; NULL on an error (counted). */
static GArray *
list_undecided (Worker *worker)
{
  VdItemQuery query = VD_ITEM_QUERY_INIT;
  g_autoptr(GError) error = NULL;
  GArray *ids;

  query.statuses = VD_STATUS_MASK_UNDECIDED;
  query.sort = VD_SORT_ORDER_CREATED;
  ids = vd_store_list_ids (worker->store, &query, &error);
  if (ids == NULL)
    count_error (worker, error);
  return ids;
}

static void
decide (Worker *worker,
        VdItem *item)
{
  VdDecisionKind kind = pick_kind (worker->rand);
  g_autoptr(VdDecision) decision = vd_decision_new (vd_item_get_queue (item),
                                                    vd_item_get_task_id (item), kind,
                                                    worker->reviewer);
  g_autoptr(GError) error = NULL;

  vd_decision_set_revision (decision, vd_item_get_revision (item));
  vd_decision_set_duration_ms (decision, g_rand_int_range (worker->rand, 500, 9000));
  if (kind == VD_DECISION_KIND_REJECT)
    vd_decision_set_feedback (decision, "The amount does not match the invoice.");
  else if (kind == VD_DECISION_KIND_MODIFY)
    {
      g_autofree char *content = g_strdup_printf ("%s (checked by %s)",
                                                  vd_item_get_content (item), worker->reviewer);

      vd_decision_set_modified_content (decision, content);
      vd_decision_set_feedback (decision, "Said which contract it follows.");
    }

  if (!vd_store_record_decision (worker->store, decision, &error))
    {
      count_error (worker, error);
      return;
    }

  worker->counts.decided++;
  fprintf (worker->out, "%" G_GINT64_FORMAT " %s\n", vd_item_get_id (item),
           vd_decision_kind_to_string (kind));
  fflush (worker->out);
}

/* Decides the items of @ids that are still undecided when read, in order. */
static void
decide_ids (Worker *worker,
            GArray *ids)
{
  for (guint next = 0; next < ids->len && before_deadline (worker); )
    {
      g_autoptr(GPtrArray) items = NULL;
      g_autoptr(GError) error = NULL;
      guint n = MIN (BATCH_SIZE, ids->len - next);

      items = vd_store_get_items_by_id (worker->store, &g_array_index (ids, gint64, next), n,
                                        &error);
      if (items == NULL)
        {
          count_error (worker, error);
          continue;
        }
      next += n;

      for (guint i = 0; i < items->len && before_deadline (worker); i++)
        if (vd_item_is_undecided (g_ptr_array_index (items, i)))
          decide (worker, g_ptr_array_index (items, i));
    }
}

/* The rest: claim the next free item, decide it. */
static void
work_by_claims (Worker *worker)
{
  while (before_deadline (worker))
    {
      g_autoptr(VdItem) item = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(GArray) ids = NULL;

      if (!vd_pg_store_claim_next (VD_PG_STORE (worker->store), NULL, worker->reviewer,
                                   CLAIM_SECONDS, &item, &error))
        {
          count_error (worker, error);
          continue;
        }
      if (item != NULL)
        {
          decide (worker, item);
          continue;
        }

      /* Nothing free: done, unless others still hold claims. */
      ids = list_undecided (worker);
      if (ids != NULL && ids->len == 0)
        return;
      g_usleep (50 * 1000);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(VdPgStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) hot = NULL;
  g_autoptr(GRand) rand = NULL;
  Worker worker = { 0, };
  char line[64];
  gint64 started;

  if (argc != 5)
    {
      g_printerr ("usage: pg-load-reviewer CONNINFO SECONDS OUTPUT SEED\n");
      return 2;
    }

  store = vd_pg_store_new (argv[1], &error);
  if (store == NULL)
    {
      g_printerr ("pg-load-reviewer: %s\n", error->message);
      return 1;
    }
  rand = g_rand_new_with_seed ((guint32) g_ascii_strtoull (argv[4], NULL, 10));
  worker.store = VD_STORE (store);
  worker.reviewer = vd_pg_store_get_session_user (store);
  worker.rand = rand;
  worker.out = fopen (argv[3], "w");
  if (worker.out == NULL)
    {
      g_printerr ("pg-load-reviewer: cannot write %s\n", argv[3]);
      return 1;
    }

  /* Logged in: wait for the others. */
  printf ("ready\n");
  fflush (stdout);
  if (fgets (line, sizeof line, stdin) == NULL)
    return 1;

  started = g_get_monotonic_time ();
  worker.deadline = started + (gint64) g_ascii_strtoull (argv[2], NULL, 10) * G_USEC_PER_SEC;

  /* The race: the oldest items, in the same order as everyone. */
  hot = list_undecided (&worker);
  if (hot != NULL)
    {
      g_array_set_size (hot, MIN (HOT_ITEMS, hot->len));
      decide_ids (&worker, hot);
    }
  work_by_claims (&worker);

  if (fclose (worker.out) != 0)
    return 1;

  printf ("done decided=%u already=%u claimed=%u connection=%u other=%u seconds=%.3f "
          "next=%s\n", worker.counts.decided, worker.counts.already, worker.counts.claimed,
          worker.counts.connection, worker.counts.other,
          (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC,
          "claims"
          );
  if (worker.first_unexpected != NULL)
    g_printerr ("pg-load-reviewer %s: %s\n", worker.reviewer, worker.first_unexpected);
  g_free (worker.first_unexpected);
  return 0;
}
