/* vd-bulk.c: guarded bulk approve
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

#define G_LOG_DOMAIN "vd-bulk"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>
#include <inttypes.h>

#include "vd-audit-event-private.h"
#include "vd-bulk.h"
#include "vd-decision.h"
#include "vd-item.h"
#include "vd-text.h"

G_DEFINE_QUARK (vd-bulk-error-quark, vd_bulk_error)

/**
 * vd_bulk_outcome_clear:
 * @outcome: an outcome
 *
 * Frees what @outcome holds and zeroes it.
 */
void
vd_bulk_outcome_clear (VdBulkOutcome *outcome)
{
  g_return_if_fail (outcome != NULL);

  g_clear_pointer (&outcome->action, vd_bulk_action_free);
  g_clear_pointer (&outcome->undecided, g_ptr_array_unref);
  g_clear_pointer (&outcome->failed_task_id, g_free);
  g_clear_pointer (&outcome->message, g_free);
  memset (outcome, 0, sizeof *outcome);
}

/**
 * vd_bulk_band_to_json:
 * @band: a band
 *
 * The band's canonical form: compact JSON with the keys `queue`,
 * `task_type` (only when set), `min_confidence`, `max_confidence` and
 * `reason` (only when set), numbers in their shortest exact form. Two
 * requests for the same band give the same text.
 *
 * Returns: (transfer full): the JSON text
 */
char *
vd_bulk_band_to_json (const VdBulkBand *band)
{
  GString *json;

  g_return_val_if_fail (band != NULL && band->queue != NULL, NULL);

  json = _vd_json_object_begin ();
  _vd_json_object_add_string (json, "queue", band->queue);
  if (band->task_type != NULL)
    _vd_json_object_add_string (json, "task_type", band->task_type);
  _vd_json_object_add_double (json, "min_confidence", band->min_confidence);
  _vd_json_object_add_double (json, "max_confidence", band->max_confidence);
  if (band->reason >= 0)
    _vd_json_object_add_string (json, "reason", vd_escalation_reason_to_string (band->reason));

  return _vd_json_object_end (json);
}

/**
 * vd_bulk_sample_size:
 * @band_size: the items in the band
 * @percent: the share to sample, above 0 and at most 100
 *
 * Returns: @percent of @band_size rounded up, at least
 *   %VD_BULK_MIN_SAMPLE, at most @band_size
 */
guint
vd_bulk_sample_size (guint  band_size,
                     double percent)
{
  double wanted;
  guint size;

  g_return_val_if_fail (percent > 0.0 && percent <= 100.0, band_size);

  /* A hair below the product first: 10% of 30 is 3, not 4 after rounding
   * noise. */
  wanted = ceil ((double) band_size * percent / 100.0 - 1e-9);
  size = (guint) MAX (wanted, (double) VD_BULK_MIN_SAMPLE);

  return MIN (size, band_size);
}

static gboolean
check_band (const VdBulkBand  *band,
            double             percent,
            const char        *reviewer_id,
            GError           **error)
{
  if (band->queue == NULL || band->queue[0] == '\0')
    {
      g_set_error_literal (error, VD_BULK_ERROR, VD_BULK_ERROR_INVALID,
                           _("A bulk approve needs a queue"));
      return FALSE;
    }

  if (!(band->min_confidence >= 0.0 && band->min_confidence <= 1.0) ||
      !(band->max_confidence >= 0.0 && band->max_confidence <= 1.0))
    {
      g_set_error_literal (error, VD_BULK_ERROR, VD_BULK_ERROR_INVALID,
                           _("The confidence range must lie within 0 to 1"));
      return FALSE;
    }

  if (band->min_confidence > band->max_confidence)
    {
      g_set_error (error, VD_BULK_ERROR, VD_BULK_ERROR_INVALID,
                   _("The lowest confidence %g is above the highest %g"),
                   band->min_confidence, band->max_confidence);
      return FALSE;
    }

  if (!(percent > 0.0 && percent <= 100.0))
    {
      g_set_error (error, VD_BULK_ERROR, VD_BULK_ERROR_INVALID,
                   _("The sample must be more than 0%% and at most 100%% of the band, not %g%%"),
                   percent);
      return FALSE;
    }

  if (vd_text_is_blank (reviewer_id))
    {
      g_set_error_literal (error, VD_BULK_ERROR, VD_BULK_ERROR_INVALID,
                           _("A bulk approve needs a reviewer id"));
      return FALSE;
    }

  return TRUE;
}

/* Sampling */

/* Draws @size members: a partial Fisher-Yates shuffle of the band in row id
 * order, so that the same band and seed give the same sample. Returns the
 * drawn indexes in draw order. */
static GArray *
draw_sample (guint   band_size,
             guint   size,
             guint32 seed)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  g_autoptr(GArray) order = g_array_sized_new (FALSE, FALSE, sizeof (guint), band_size);
  GArray *drawn = g_array_sized_new (FALSE, FALSE, sizeof (guint), size);

  for (guint i = 0; i < band_size; i++)
    g_array_append_val (order, i);

  for (guint i = 0; i < size; i++)
    {
      guint j = (guint) g_rand_int_range (rand, (gint32) i, (gint32) band_size);
      guint tmp = g_array_index (order, guint, i);

      g_array_index (order, guint, i) = g_array_index (order, guint, j);
      g_array_index (order, guint, j) = tmp;
      g_array_append_val (drawn, g_array_index (order, guint, i));
    }

  return drawn;
}

static gboolean
start (VdStore           *store,
       const VdBulkBand  *band,
       const char        *band_json,
       const char        *reviewer_id,
       double             percent,
       gint64             seed,
       VdBulkOutcome     *outcome,
       GError           **error)
{
  g_autoptr(VdBulkAction) action = vd_bulk_action_new ();
  g_autoptr(GArray) members = NULL;
  g_autoptr(GArray) drawn = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GPtrArray) items = NULL;
  guint size;

  members = vd_store_list_band (store, band, error);
  if (members == NULL)
    return FALSE;

  if (members->len == 0)
    {
      g_autofree char *band_text = vd_bulk_band_to_json (band);

      g_set_error (error, VD_BULK_ERROR, VD_BULK_ERROR_EMPTY,
                   _("No pending item in queue %s matches the band %s: nothing to approve"),
                   band->queue, band_text);
      return FALSE;
    }

  action->seed = seed >= 0 ? (guint32) seed : g_random_int ();
  size = vd_bulk_sample_size (members->len, percent);
  drawn = draw_sample (members->len, size, action->seed);

  /* The sampled items, in draw order, for their task ids. */
  ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), size);
  for (guint i = 0; i < drawn->len; i++)
    {
      VdBulkMember *member = &g_array_index (members, VdBulkMember,
                                             g_array_index (drawn, guint, i));

      member->sampled = TRUE;
      g_array_append_val (ids, member->item_id);
    }

  items = vd_store_get_items_by_id (store, (const gint64 *) (gpointer) ids->data, ids->len,
                                    error);
  if (items == NULL)
    return FALSE;

  action->queue = g_strdup (band->queue);
  action->band_json = g_strdup (band_json);
  action->sample_percent = percent;
  action->created_by = g_strdup (reviewer_id);
  g_array_append_vals (action->members, members->data, members->len);
  for (guint i = 0; i < items->len; i++)
    g_ptr_array_add (action->sample, g_strdup (vd_item_get_task_id (g_ptr_array_index (items, i))));

  if (!vd_store_create_bulk_action (store, action, error))
    return FALSE;

  outcome->step = VD_BULK_STEP_SAMPLED;
  outcome->undecided = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < action->sample->len; i++)
    g_ptr_array_add (outcome->undecided, g_strdup (g_ptr_array_index (action->sample, i)));
  outcome->message =
    g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                  "Bulk approve %" PRId64 ": %u item in the band, "
                                  "%u sampled (seed %u); decide the sampled items one by one "
                                  "first, approving those that are right as they are, then ask "
                                  "again",
                                  "Bulk approve %" PRId64 ": %u items in the band, "
                                  "%u sampled (seed %u); decide the sampled items one by one "
                                  "first, approving those that are right as they are, then ask "
                                  "again",
                                  members->len),
                     action->id, members->len, action->sample->len, action->seed);
  outcome->action = g_steal_pointer (&action);

  return TRUE;
}

/* Checking the sample */

/* The decision that stands on @revision of @item, or NULL. */
static VdDecision *
standing_decision (GPtrArray *decisions,
                   int        revision)
{
  for (guint i = decisions->len; i > 0; i--)
    {
      VdDecision *decision = g_ptr_array_index (decisions, i - 1);

      if (!vd_decision_get_retracted (decision) && vd_decision_get_revision (decision) == revision)
        return decision;
    }

  return NULL;
}

/* Why a sampled item's decision does not vouch for the band, or NULL when
 * it does (a reviewer approved it unmodified). */
static char *
sample_failure (VdItem      *item,
                VdDecision  *decision)
{
  const char *task_id = vd_item_get_task_id (item);
  const char *reviewer = vd_decision_get_reviewer_id (decision);
  const char *feedback = vd_decision_get_feedback (decision);

  if (vd_decision_get_automatic (decision))
    return g_strdup_printf (_("sample item %s was %s by the %s, not by a reviewer"),
                            task_id,
                            vd_decision_get_kind (decision) == VD_DECISION_KIND_APPROVE
                            ? _("approved") : _("rejected"),
                            g_strcmp0 (reviewer, VD_AUDIT_ACTOR_SLA) == 0
                            ? _("deadline fallback") : _("policy"));

  switch (vd_decision_get_kind (decision))
    {
    case VD_DECISION_KIND_APPROVE:
      return NULL;

    case VD_DECISION_KIND_REJECT:
      return g_strdup_printf (_("sample item %s was rejected by %s (“%s”)"),
                              task_id, reviewer, feedback != NULL ? feedback : "");

    case VD_DECISION_KIND_MODIFY:
      return g_strdup_printf (_("sample item %s was modified by %s: its output was not right "
                                "as it was"),
                              task_id, reviewer);

    case VD_DECISION_KIND_ESCALATE_FURTHER:
      return g_strdup_printf (_("sample item %s was escalated further by %s"), task_id, reviewer);

    default:
      g_assert_not_reached ();
    }
}

static gboolean
finish (VdStore        *store,
        VdBulkAction   *action,
        const char     *reviewer_id,
        gboolean        approve,
        const char     *why,
        VdBulkOutcome  *outcome,
        GError        **error)
{
  if (!vd_store_finish_bulk_action (store, action->id, reviewer_id, approve, why,
                                    &outcome->n_approved, &outcome->n_skipped, error))
    return FALSE;

  outcome->action = vd_store_get_bulk_action (store, action->id, error);
  return outcome->action != NULL;
}

static gboolean
check (VdStore        *store,
       VdBulkAction   *action,
       const char     *reviewer_id,
       VdBulkOutcome  *outcome,
       GError        **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) revisions = g_array_new (FALSE, FALSE, sizeof (int));
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GPtrArray) undecided = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) by_task_id = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *failure = NULL;
  g_autofree char *failed_task_id = NULL;

  for (guint i = 0; i < action->members->len; i++)
    {
      VdBulkMember *member = &g_array_index (action->members, VdBulkMember, i);

      if (!member->sampled)
        continue;
      g_array_append_val (ids, member->item_id);
      g_array_append_val (revisions, member->revision);
    }

  items = vd_store_get_items_by_id (store, (const gint64 *) (gpointer) ids->data, ids->len,
                                    error);
  if (items == NULL)
    return FALSE;

  /* In draw order, so that messages list the items as first shown. */
  for (guint i = 0; i < items->len; i++)
    g_hash_table_insert (by_task_id, (gpointer) vd_item_get_task_id (g_ptr_array_index (items, i)),
                         GUINT_TO_POINTER (i + 1));

  for (guint s = 0; s < action->sample->len && failure == NULL; s++)
    {
      guint index = GPOINTER_TO_UINT (g_hash_table_lookup (by_task_id,
                                                           g_ptr_array_index (action->sample, s)));
      g_autoptr(GPtrArray) decisions = NULL;
      VdDecision *decision;
      VdItem *item;
      int revision;

      if (index == 0)
        continue;

      item = g_ptr_array_index (items, index - 1);
      revision = g_array_index (revisions, int, index - 1);

      decisions = vd_store_list_decisions (store, vd_item_get_queue (item),
                                           vd_item_get_task_id (item), error);
      if (decisions == NULL)
        return FALSE;

      decision = standing_decision (decisions, revision);
      if (decision != NULL)
        failure = sample_failure (item, decision);
      else if (vd_item_get_revision (item) != revision)
        failure = g_strdup_printf (_("sample item %s was revised since the sample was drawn"),
                                   vd_item_get_task_id (item));
      else
        g_ptr_array_add (undecided, g_strdup (vd_item_get_task_id (item)));

      if (failure != NULL)
        failed_task_id = g_strdup (vd_item_get_task_id (item));
    }

  if (failure != NULL)
    {
      g_autofree char *why = g_strdup_printf (_("Bulk approve %" PRId64 " is "
                                                "cancelled: %s; nothing else in the band was "
                                                "approved"),
                                              action->id, failure);

      if (!finish (store, action, reviewer_id, FALSE, why, outcome, error))
        return FALSE;

      outcome->step = VD_BULK_STEP_CANCELLED;
      outcome->failed_task_id = g_steal_pointer (&failed_task_id);
      outcome->message = g_steal_pointer (&why);
      return TRUE;
    }

  if (undecided->len > 0)
    {
      outcome->step = VD_BULK_STEP_WAITING;
      outcome->message =
        g_strdup_printf (_("Bulk approve %" PRId64 " waits for %u of its %u sampled "
                           "items: decide them first, then ask again"),
                         action->id, undecided->len, action->sample->len);
      outcome->undecided = g_steal_pointer (&undecided);
      outcome->action = vd_bulk_action_copy (action);
      return TRUE;
    }

  if (!finish (store, action, reviewer_id, TRUE, NULL, outcome, error))
    return FALSE;

  outcome->step = VD_BULK_STEP_APPROVED;
  if (outcome->n_skipped > 0)
    outcome->message =
      g_strdup_printf (_("Bulk approve %" PRId64 ": all %u sampled items were approved "
                         "unmodified; approved the other %u items of the band (%u left alone: "
                         "decided or revised since the sample was drawn)"),
                       action->id, action->sample->len, outcome->n_approved,
                       outcome->n_skipped);
  else
    outcome->message =
      g_strdup_printf (_("Bulk approve %" PRId64 ": all %u sampled items were approved "
                         "unmodified; approved the other %u items of the band"),
                       action->id, action->sample->len, outcome->n_approved);

  return TRUE;
}

/**
 * vd_bulk_step:
 * @store: a store
 * @band: the band of items
 * @reviewer_id: who asks
 * @percent: the sample's share of the band when a new one is drawn
 *   (%VD_BULK_DEFAULT_SAMPLE_PERCENT is the default)
 * @seed: the seed of a new draw, from 0 to %G_MAXUINT32, or -1 for a random
 *   one (recorded either way)
 * @outcome: (out caller-allocates): where the bulk approve stands
 * @error: return location for a #GError
 *
 * Takes the next step of the guarded bulk approve of @band by
 * @reviewer_id: without one that is open (still sampling), draws and
 * records a sample (%VD_BULK_STEP_SAMPLED); else checks the open one's
 * sample and approves the band (%VD_BULK_STEP_APPROVED), cancels it
 * (%VD_BULK_STEP_CANCELLED) or says which sampled items are still
 * undecided (%VD_BULK_STEP_WAITING). @percent and @seed matter only when a
 * sample is drawn.
 *
 * Returns: %TRUE on success (whatever the step); %FALSE with @error set for
 *   an invalid band (%VD_BULK_ERROR_INVALID), an empty one
 *   (%VD_BULK_ERROR_EMPTY) or a store error
 */
gboolean
vd_bulk_step (VdStore           *store,
              const VdBulkBand  *band,
              const char        *reviewer_id,
              double             percent,
              gint64             seed,
              VdBulkOutcome     *outcome,
              GError           **error)
{
  g_autoptr(VdBulkAction) open_action = NULL;
  g_autofree char *band_json = NULL;
  g_autofree char *reviewer = NULL;
  VdBulkOutcome result = { 0, };

  g_return_val_if_fail (VD_IS_STORE (store), FALSE);
  g_return_val_if_fail (band != NULL, FALSE);
  g_return_val_if_fail (seed >= -1 && seed <= G_MAXUINT32, FALSE);
  g_return_val_if_fail (outcome != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  memset (outcome, 0, sizeof *outcome);

  if (!check_band (band, percent, reviewer_id, error))
    return FALSE;

  reviewer = g_strstrip (g_strdup (reviewer_id));
  band_json = vd_bulk_band_to_json (band);

  if (!vd_store_find_open_bulk_action (store, band_json, reviewer, &open_action, error))
    return FALSE;

  if (open_action == NULL)
    {
      if (!start (store, band, band_json, reviewer, percent, seed, &result, error))
        {
          vd_bulk_outcome_clear (&result);
          return FALSE;
        }
    }
  else if (!check (store, open_action, reviewer, &result, error))
    {
      vd_bulk_outcome_clear (&result);
      return FALSE;
    }

  if (result.undecided == NULL)
    result.undecided = g_ptr_array_new_with_free_func (g_free);

  *outcome = result;
  return TRUE;
}

typedef struct
{
  char          *queue;
  char          *task_type;
  VdBulkBand     band;
  char          *reviewer_id;
  double         percent;
  gint64         seed;
  VdBulkOutcome  outcome;
} StepData;

static void
step_data_free (StepData *data)
{
  g_free (data->queue);
  g_free (data->task_type);
  g_free (data->reviewer_id);
  vd_bulk_outcome_clear (&data->outcome);
  g_free (data);
}

static void
step_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  StepData *data = task_data;
  GError *error = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;

  if (vd_bulk_step (source_object, &data->band, data->reviewer_id, data->percent, data->seed,
                    &data->outcome, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * vd_bulk_step_async:
 * @store: a store
 * @band: the band; copied
 * @reviewer_id: who asks
 * @percent: the sample's share of the band
 * @seed: the seed of a new draw, or -1 for a random one
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Runs vd_bulk_step() on a worker thread.
 */
void
vd_bulk_step_async (VdStore             *store,
                    const VdBulkBand    *band,
                    const char          *reviewer_id,
                    double               percent,
                    gint64               seed,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  StepData *data;

  g_return_if_fail (VD_IS_STORE (store));
  g_return_if_fail (band != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  data = g_new0 (StepData, 1);
  data->band = *band;
  data->queue = g_strdup (band->queue);
  data->task_type = g_strdup (band->task_type);
  data->band.queue = data->queue;
  data->band.task_type = data->task_type;
  data->reviewer_id = g_strdup (reviewer_id);
  data->percent = percent;
  data->seed = seed;

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, vd_bulk_step_async);
  g_task_set_task_data (task, data, (GDestroyNotify) step_data_free);
  g_task_run_in_thread (task, step_thread);
}

/**
 * vd_bulk_step_finish:
 * @store: a store
 * @result: the result passed to the callback
 * @outcome: (out caller-allocates): where the bulk approve stands
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success
 */
gboolean
vd_bulk_step_finish (VdStore        *store,
                     GAsyncResult   *result,
                     VdBulkOutcome  *outcome,
                     GError        **error)
{
  StepData *data;

  g_return_val_if_fail (VD_IS_STORE (store), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, store), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == vd_bulk_step_async, FALSE);
  g_return_val_if_fail (outcome != NULL, FALSE);

  memset (outcome, 0, sizeof *outcome);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;

  data = g_task_get_task_data (G_TASK (result));
  *outcome = data->outcome;
  memset (&data->outcome, 0, sizeof data->outcome);

  return TRUE;
}
