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
 *   done decided=N already=N claimed=N connection=N other=N seconds=S
 *
 * (the store's refusals counted by kind) and the first unexpected error's
 * message, if any, on standard error.
 *
 * Which item next: first the HOT oldest undecided items, in the same order
 * as every other reviewer (so that reviewers race for the same rows), then
 * the rest in an order of its own (SEED).
 */

#define HOT_ITEMS  100
#define BATCH_SIZE 32

typedef struct
{
  guint decided;
  guint already;
  guint claimed;
  guint connection;
  guint other;
} Counts;

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

/* The undecided items' ids, oldest first. */
static GArray *
list_undecided (VdStore  *store,
                GError  **error)
{
  VdItemQuery query = VD_ITEM_QUERY_INIT;

  query.statuses = VD_STATUS_MASK_UNDECIDED;
  query.sort = VD_SORT_ORDER_CREATED;
  return vd_store_list_ids (store, &query, error);
}

static void
shuffle (GArray *ids,
         guint   from,
         GRand  *rand)
{
  for (guint i = ids->len; i > from + 1; i--)
    {
      guint j = g_rand_int_range (rand, from, i);
      gint64 swap = g_array_index (ids, gint64, i - 1);

      g_array_index (ids, gint64, i - 1) = g_array_index (ids, gint64, j);
      g_array_index (ids, gint64, j) = swap;
    }
}

static void
count_error (Counts       *counts,
             const GError *error,
             char        **first_unexpected)
{
  if (g_error_matches (error, VD_STORE_ERROR, VD_STORE_ERROR_ALREADY_DECIDED))
    counts->already++;
  else if (g_error_matches (error, VD_STORE_ERROR, VD_STORE_ERROR_CLAIMED))
    counts->claimed++;
  else if (g_error_matches (error, VD_STORE_ERROR, VD_STORE_ERROR_CONNECTION))
    counts->connection++;
  else
    {
      counts->other++;
      if (*first_unexpected == NULL)
        *first_unexpected = g_strdup (error->message);
    }
}

static gboolean
decide (VdStore     *store,
        VdItem      *item,
        const char  *reviewer,
        GRand       *rand,
        FILE        *out,
        Counts      *counts,
        char       **first_unexpected)
{
  VdDecisionKind kind = pick_kind (rand);
  g_autoptr(VdDecision) decision = vd_decision_new (vd_item_get_queue (item),
                                                    vd_item_get_task_id (item), kind, reviewer);
  g_autoptr(GError) error = NULL;

  vd_decision_set_revision (decision, vd_item_get_revision (item));
  vd_decision_set_duration_ms (decision, g_rand_int_range (rand, 500, 9000));
  if (kind == VD_DECISION_KIND_REJECT)
    vd_decision_set_feedback (decision, "The amount does not match the invoice.");
  else if (kind == VD_DECISION_KIND_MODIFY)
    {
      g_autofree char *content = g_strdup_printf ("%s (checked by %s)",
                                                  vd_item_get_content (item), reviewer);

      vd_decision_set_modified_content (decision, content);
      vd_decision_set_feedback (decision, "Said which contract it follows.");
    }

  if (!vd_store_record_decision (store, decision, &error))
    {
      count_error (counts, error, first_unexpected);
      return FALSE;
    }

  counts->decided++;
  fprintf (out, "%" G_GINT64_FORMAT " %s\n", vd_item_get_id (item),
           vd_decision_kind_to_string (kind));
  fflush (out);
  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(VdPgStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GRand) rand = NULL;
  g_autofree char *first_unexpected = NULL;
  char line[64];
  const char *reviewer;
  Counts counts = { 0, };
  gint64 deadline, started;
  guint next = 0;
  gboolean listed_all = FALSE;
  FILE *out;

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
  reviewer = vd_pg_store_get_session_user (store);
  rand = g_rand_new_with_seed ((guint32) g_ascii_strtoull (argv[4], NULL, 10));
  out = fopen (argv[3], "w");
  if (out == NULL)
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
  deadline = started + (gint64) g_ascii_strtoull (argv[2], NULL, 10) * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < deadline)
    {
      g_autoptr(GPtrArray) items = NULL;
      guint n;

      if (ids == NULL || next >= ids->len)
        {
          /* Once the list is used up, read it again: what is left. */
          g_clear_pointer (&ids, g_array_unref);
          ids = list_undecided (VD_STORE (store), &error);
          if (ids == NULL)
            {
              count_error (&counts, error, &first_unexpected);
              g_clear_error (&error);
              continue;
            }
          if (ids->len == 0)
            break;
          shuffle (ids, listed_all ? 0 : MIN (HOT_ITEMS, ids->len), rand);
          listed_all = TRUE;
          next = 0;
        }

      n = MIN (BATCH_SIZE, ids->len - next);
      items = vd_store_get_items_by_id (VD_STORE (store), &g_array_index (ids, gint64, next), n,
                                        &error);
      if (items == NULL)
        {
          count_error (&counts, error, &first_unexpected);
          g_clear_error (&error);
          continue;
        }
      next += n;

      for (guint i = 0; i < items->len && g_get_monotonic_time () < deadline; i++)
        {
          VdItem *item = g_ptr_array_index (items, i);

          if (vd_item_is_undecided (item))
            decide (VD_STORE (store), item, reviewer, rand, out, &counts, &first_unexpected);
        }
    }

  if (fclose (out) != 0)
    return 1;

  printf ("done decided=%u already=%u claimed=%u connection=%u other=%u seconds=%.3f\n",
          counts.decided, counts.already, counts.claimed, counts.connection, counts.other,
          (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC);
  if (first_unexpected != NULL)
    g_printerr ("pg-load-reviewer %s: %s\n", reviewer, first_unexpected);
  return 0;
}
