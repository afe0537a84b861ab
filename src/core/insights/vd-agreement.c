/* vd-agreement.c: how often two reviewers of one item agree
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

#define G_LOG_DOMAIN "vd-agreement"

#include "config.h"

#include <math.h>

#include "vd-agreement.h"
#include "vd-decision.h"
#include "vd-item.h"
#include "vd-store.h"
#include "vd-timestamp.h"

/* Below this distance from 1 the chance agreement counts as 1: kappa's
 * denominator would be rounding noise. */
#define CHANCE_EPSILON 1e-12

/**
 * vd_agreement_add:
 * @agreement: an agreement being counted
 * @first: the first review's kind
 * @second: the second review's kind
 *
 * Counts one item with two reviews.
 */
void
vd_agreement_add (VdAgreement    *agreement,
                  VdDecisionKind  first,
                  VdDecisionKind  second)
{
  g_return_if_fail (agreement != NULL);
  g_return_if_fail (first < VD_AGREEMENT_N_KINDS && second < VD_AGREEMENT_N_KINDS);

  agreement->table[first][second]++;
}

static gboolean
in_range (VdDecision *decision,
          GDateTime  *from,
          GDateTime  *to)
{
  GDateTime *when = vd_decision_get_timestamp (decision);

  if (when == NULL)
    return from == NULL && to == NULL;

  return (from == NULL || g_date_time_compare (when, from) >= 0) &&
         (to == NULL || g_date_time_compare (when, to) < 0);
}

/**
 * vd_agreement_add_decisions:
 * @agreement: an agreement being counted
 * @decisions: (element-type VdDecision): decisions as vd_store_list_decisions()
 *   gives them, in the order they were recorded
 * @from: (nullable): count only pairs whose second review is from then on
 * @to: (nullable): and before then
 *
 * Finds the pairs of reviews: on one revision of one item, a review that is
 * not final on its own (final = FALSE) that stands, and the next decision
 * that stands by another reviewer (the agreeing final decision, or the
 * review that disagreed). Retracted decisions do not count.
 */
void
vd_agreement_add_decisions (VdAgreement *agreement,
                            GPtrArray   *decisions,
                            GDateTime   *from,
                            GDateTime   *to)
{
  g_autoptr(GHashTable) firsts = NULL;

  g_return_if_fail (agreement != NULL);
  g_return_if_fail (decisions != NULL);

  /* "queue\ntask_id\nrevision" -> the first review that waits for a second */
  firsts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < decisions->len; i++)
    {
      VdDecision *decision = g_ptr_array_index (decisions, i);
      g_autofree char *key = NULL;
      VdDecision *first;

      if (vd_decision_get_retracted (decision) || vd_decision_get_automatic (decision))
        continue;

      key = g_strdup_printf ("%s\n%s\n%d", vd_decision_get_queue (decision),
                             vd_decision_get_task_id (decision),
                             vd_decision_get_revision (decision));
      first = g_hash_table_lookup (firsts, key);

      if (first == NULL)
        {
          if (!vd_decision_get_final (decision))
            g_hash_table_insert (firsts, g_steal_pointer (&key), decision);
          continue;
        }

      if (g_strcmp0 (vd_decision_get_reviewer_id (first),
                     vd_decision_get_reviewer_id (decision)) == 0)
        continue;

      if (in_range (decision, from, to))
        vd_agreement_add (agreement, vd_decision_get_kind (first),
                          vd_decision_get_kind (decision));
      g_hash_table_remove (firsts, key);
    }
}

/* Items read at a time. */
#define CHUNK 256

/**
 * vd_agreement_add_from_store:
 * @agreement: an agreement being counted
 * @store: a store
 * @queue: (nullable): only this queue
 * @from: (nullable): see vd_agreement_add_decisions()
 * @to: (nullable): see vd_agreement_add_decisions()
 * @cancellable: (nullable): a cancellable
 * @error: return location for an error
 *
 * Counts the pairs of reviews of the items that need two reviewers, reading
 * only those items' decisions: a store where no item needs two costs one
 * indexed count.
 *
 * Returns: %TRUE on success
 */
gboolean
vd_agreement_add_from_store (VdAgreement   *agreement,
                             VdStore       *store,
                             const char    *queue,
                             GDateTime     *from,
                             GDateTime     *to,
                             GCancellable  *cancellable,
                             GError       **error)
{
  VdItemQuery query = VD_ITEM_QUERY_INIT;
  g_autoptr(GArray) ids = NULL;

  g_return_val_if_fail (agreement != NULL, FALSE);
  g_return_val_if_fail (VD_IS_STORE (store), FALSE);

  query.queue = queue;
  query.four_eyes = TRUE;
  ids = vd_store_list_ids (store, &query, error);
  if (ids == NULL)
    return FALSE;

  for (guint start = 0; start < ids->len; start += CHUNK)
    {
      g_autoptr(GPtrArray) items = NULL;
      guint n = MIN (CHUNK, ids->len - start);

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;

      items = vd_store_get_items_by_id (store, &g_array_index (ids, gint64, start), n, error);
      if (items == NULL)
        return FALSE;

      for (guint i = 0; i < items->len; i++)
        {
          VdItem *item = g_ptr_array_index (items, i);
          g_autoptr(GPtrArray) decisions = NULL;

          decisions = vd_store_list_decisions (store, vd_item_get_queue (item),
                                               vd_item_get_task_id (item), error);
          if (decisions == NULL)
            return FALSE;
          vd_agreement_add_decisions (agreement, decisions, from, to);
        }
    }

  return TRUE;
}

/**
 * vd_agreement_compute:
 * @agreement: a filled table
 *
 * Computes the counts, the percent agreement and Cohen's kappa,
 * κ = (p_o − p_e) / (1 − p_e), where p_o is the observed agreement and p_e
 * the agreement expected by chance from each reviewer's own kinds.
 */
void
vd_agreement_compute (VdAgreement *agreement)
{
  guint64 rows[VD_AGREEMENT_N_KINDS] = { 0, };
  guint64 columns[VD_AGREEMENT_N_KINDS] = { 0, };
  double observed;
  double chance = 0.0;
  double n;

  g_return_if_fail (agreement != NULL);

  agreement->n_pairs = 0;
  agreement->n_agree = 0;
  agreement->percent_agreement = 0.0;
  agreement->kappa_defined = FALSE;
  agreement->kappa = 0.0;

  for (guint r = 0; r < VD_AGREEMENT_N_KINDS; r++)
    for (guint c = 0; c < VD_AGREEMENT_N_KINDS; c++)
      {
        guint64 count = agreement->table[r][c];

        agreement->n_pairs += count;
        rows[r] += count;
        columns[c] += count;
        if (r == c)
          agreement->n_agree += count;
      }

  if (agreement->n_pairs == 0)
    return;

  n = (double) agreement->n_pairs;
  observed = (double) agreement->n_agree / n;
  agreement->percent_agreement = 100.0 * observed;

  for (guint k = 0; k < VD_AGREEMENT_N_KINDS; k++)
    chance += ((double) rows[k] / n) * ((double) columns[k] / n);

  if (chance >= 1.0 - CHANCE_EPSILON)
    return;

  agreement->kappa_defined = TRUE;
  agreement->kappa = (observed - chance) / (1.0 - chance);
}

/**
 * vd_agreement_to_json:
 * @agreement: a computed agreement
 *
 * Returns: (transfer full): `pairs`, `agreeing`, `percent_agreement` (null
 *   without pairs) and `kappa` (null when undefined)
 */
JsonObject *
vd_agreement_to_json (const VdAgreement *agreement)
{
  JsonObject *object;

  g_return_val_if_fail (agreement != NULL, NULL);

  object = json_object_new ();
  json_object_set_int_member (object, "pairs", agreement->n_pairs);
  json_object_set_int_member (object, "agreeing", agreement->n_agree);
  if (agreement->n_pairs > 0)
    json_object_set_double_member (object, "percent_agreement", agreement->percent_agreement);
  else
    json_object_set_null_member (object, "percent_agreement");
  if (agreement->kappa_defined)
    json_object_set_double_member (object, "kappa", agreement->kappa);
  else
    json_object_set_null_member (object, "kappa");

  return object;
}
