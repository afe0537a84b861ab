/* vd-sla.c: deadlines and their fallback
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

#define G_LOG_DOMAIN "vd-sla"

#include "config.h"

#include <glib/gi18n.h>

#include "vd-item.h"
#include "vd-sla.h"
#include "vd-timestamp.h"

static void
resolve_item (VdItem       *item,
              GDateTime    *now,
              VdSlaOutcome *outcome,
              gpointer      user_data)
{
  VdPolicy *policy = user_data;
  guint minutes;

  vd_policy_resolve_fallback (policy, vd_item_get_task_type (item),
                              vd_item_get_escalation_reason (item), &outcome->rule);

  minutes = vd_policy_get_escalated_sla_minutes (policy);
  if (outcome->rule.fallback == VD_SLA_FALLBACK_ESCALATE && minutes > 0)
    outcome->new_due_at = g_date_time_add_minutes (now, (int) minutes);
}

/**
 * vd_sla_apply:
 * @store: a store
 * @policy: the policy whose fallbacks apply
 * @now: (nullable): the time to compare deadlines with, %NULL for now
 * @result: (out caller-allocates) (optional): what was done
 * @error: return location for a #GError
 *
 * Applies the fallback of every undecided item whose deadline is at or
 * before @now and whose current revision has had none, in transactions of
 * %VD_SLA_BATCH items (see vd_store_apply_fallbacks() for what each
 * fallback records). Blocks on the disk: UI code uses
 * vd_sla_apply_async(). Calling it again with the same @now changes
 * nothing. On failure the batches already committed stay applied.
 *
 * Returns: %TRUE on success
 */
gboolean
vd_sla_apply (VdStore      *store,
              VdPolicy     *policy,
              GDateTime    *now,
              VdSlaResult  *result,
              GError      **error)
{
  g_autoptr(GDateTime) current = NULL;
  VdSlaResult counts = { 0, };

  g_return_val_if_fail (VD_IS_STORE (store), FALSE);
  g_return_val_if_fail (VD_IS_POLICY (policy), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (now == NULL)
    now = current = vd_timestamp_now ();

  for (;;)
    {
      guint before = counts.applied;

      if (!vd_store_apply_fallbacks (store, now, VD_SLA_BATCH, resolve_item, policy, &counts,
                                     error))
        {
          if (result != NULL)
            *result = counts;
          return FALSE;
        }

      /* A short batch was the last one. */
      if (counts.applied - before < VD_SLA_BATCH)
        break;
    }

  if (result != NULL)
    *result = counts;

  return TRUE;
}

typedef struct
{
  VdPolicy    *policy;
  GDateTime   *now;
  VdSlaResult  result;
} ApplyData;

static void
apply_data_free (ApplyData *data)
{
  g_clear_object (&data->policy);
  g_clear_pointer (&data->now, g_date_time_unref);
  g_free (data);
}

static void
apply_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  ApplyData *data = task_data;
  GError *error = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;

  if (vd_sla_apply (source_object, data->policy, data->now, &data->result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * vd_sla_apply_async:
 * @store: a store
 * @policy: the policy whose fallbacks apply; it must not change until the
 *   callback runs
 * @now: (nullable): the time to compare deadlines with, %NULL for the time
 *   the work starts
 * @cancellable: (nullable): a #GCancellable; it only prevents work that has
 *   not started
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Runs vd_sla_apply() on a worker thread.
 */
void
vd_sla_apply_async (VdStore             *store,
                    VdPolicy            *policy,
                    GDateTime           *now,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ApplyData *data;

  g_return_if_fail (VD_IS_STORE (store));
  g_return_if_fail (VD_IS_POLICY (policy));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  data = g_new0 (ApplyData, 1);
  data->policy = g_object_ref (policy);
  data->now = now != NULL ? g_date_time_ref (now) : NULL;

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, vd_sla_apply_async);
  g_task_set_task_data (task, data, (GDestroyNotify) apply_data_free);
  g_task_run_in_thread (task, apply_thread);
}

/**
 * vd_sla_apply_finish:
 * @store: a store
 * @result: the result passed to the callback
 * @sla_result: (out caller-allocates) (optional): what was done
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success
 */
gboolean
vd_sla_apply_finish (VdStore       *store,
                     GAsyncResult  *result,
                     VdSlaResult   *sla_result,
                     GError       **error)
{
  ApplyData *data;

  g_return_val_if_fail (VD_IS_STORE (store), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, store), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == vd_sla_apply_async, FALSE);

  data = g_task_get_task_data (G_TASK (result));
  if (sla_result != NULL)
    *sla_result = data->result;

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * vd_sla_next_deadline:
 * @store: a store
 * @due_at: (out) (transfer full) (nullable): the soonest deadline of an
 *   undecided item without a fallback, %NULL when there is none
 * @error: return location for a #GError
 *
 * The time a deadline timer may sleep until. It may be in the past (an
 * item is already due).
 *
 * Returns: %TRUE on success
 */
gboolean
vd_sla_next_deadline (VdStore     *store,
                      GDateTime  **due_at,
                      GError     **error)
{
  g_return_val_if_fail (VD_IS_STORE (store), FALSE);
  g_return_val_if_fail (due_at != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return vd_store_get_next_deadline (store, due_at, error);
}

static void
next_deadline_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  GDateTime *due_at = NULL;
  GError *error = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;

  if (!vd_sla_next_deadline (source_object, &due_at, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  /* NULL (no deadline) is an answer too: _finish tells it from an error. */
  g_task_return_pointer (task, due_at, (GDestroyNotify) g_date_time_unref);
}

/**
 * vd_sla_next_deadline_async:
 * @store: a store
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Runs vd_sla_next_deadline() on a worker thread.
 */
void
vd_sla_next_deadline_async (VdStore             *store,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (VD_IS_STORE (store));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, vd_sla_next_deadline_async);
  g_task_run_in_thread (task, next_deadline_thread);
}

/**
 * vd_sla_next_deadline_finish:
 * @store: a store
 * @result: the result passed to the callback
 * @due_at: (out) (transfer full) (nullable): the soonest deadline, or %NULL
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success
 */
gboolean
vd_sla_next_deadline_finish (VdStore       *store,
                             GAsyncResult  *result,
                             GDateTime    **due_at,
                             GError       **error)
{
  GError *local_error = NULL;
  GDateTime *found;

  g_return_val_if_fail (VD_IS_STORE (store), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, store), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        vd_sla_next_deadline_async, FALSE);
  g_return_val_if_fail (due_at != NULL, FALSE);

  found = g_task_propagate_pointer (G_TASK (result), &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }

  *due_at = found;
  return TRUE;
}

/**
 * vd_sla_load_policy:
 * @store: a store
 * @error: return location for a #GError
 *
 * The policy the store's latest import used (see
 * vd_store_set_last_policy()), or the default policy when nothing was
 * imported yet: the policy of `verdict-cli sla apply` without `--policy`.
 *
 * Returns: (transfer full): the policy, or %NULL with @error set
 */
VdPolicy *
vd_sla_load_policy (VdStore  *store,
                    GError  **error)
{
  g_autofree char *json = NULL;

  g_return_val_if_fail (VD_IS_STORE (store), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!vd_store_get_last_policy (store, &json, error))
    return NULL;

  if (json == NULL)
    return vd_policy_new ();

  return vd_policy_new_from_data (json, -1, _("the policy of the last import"), error);
}

/**
 * vd_sla_describe_result:
 * @result: what vd_sla_apply() did
 *
 * Returns: (transfer full): a sentence, e.g. "3 deadline fallbacks applied:
 *   1 escalated (1 instead of an unsafe auto-approve), 1 auto-rejected,
 *   1 auto-approved"
 */
char *
vd_sla_describe_result (const VdSlaResult *result)
{
  g_return_val_if_fail (result != NULL, NULL);

  if (result->applied == 0)
    return g_strdup (_("No deadline has passed: nothing to apply"));

  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%u deadline fallback applied: %u escalated (%u instead "
                                       "of an unsafe auto-approve), %u auto-rejected, %u "
                                       "auto-approved",
                                       "%u deadline fallbacks applied: %u escalated (%u instead "
                                       "of an unsafe auto-approve), %u auto-rejected, %u "
                                       "auto-approved",
                                       result->applied),
                          result->applied, result->escalated, result->unsafe,
                          result->auto_rejected, result->auto_approved);
}

/**
 * vd_sla_classify_due:
 * @start: (nullable): when the item's review window began (see
 *   vd_sla_get_deadline_start())
 * @due_at: (nullable): its deadline
 * @now: the time to compare with
 *
 * Returns: where the deadline stands: %VD_DUE_STATE_SOON when less than
 *   %VD_SLA_DUE_SOON_SHARE of the item's SLA (@due_at - @start) is left
 */
VdDueState
vd_sla_classify_due (GDateTime *start,
                     GDateTime *due_at,
                     GDateTime *now)
{
  GTimeSpan left, sla;

  g_return_val_if_fail (now != NULL, VD_DUE_STATE_NONE);

  if (due_at == NULL)
    return VD_DUE_STATE_NONE;

  left = g_date_time_difference (due_at, now);
  if (left <= 0)
    return VD_DUE_STATE_OVERDUE;

  if (start == NULL)
    return VD_DUE_STATE_OK;

  sla = g_date_time_difference (due_at, start);
  if (sla > 0 && (double) left < VD_SLA_DUE_SOON_SHARE * (double) sla)
    return VD_DUE_STATE_SOON;

  return VD_DUE_STATE_OK;
}

/**
 * vd_sla_get_deadline_start:
 * @item: an item with a deadline
 * @policy: (nullable): the policy in force
 *
 * Where the item's review window began, for "less than 10% of the SLA
 * left": the deadline minus the policy's SLA for the item (the escalated
 * SLA for an escalated item, else the one of its task type), or, when the
 * policy gives none, the item's own timestamp (the deadline came with the
 * queue file, counted from when the item was made).
 *
 * Returns: (transfer full): the start of the review window
 */
GDateTime *
vd_sla_get_deadline_start (VdItem   *item,
                           VdPolicy *policy)
{
  GDateTime *due_at;
  guint minutes = 0;

  g_return_val_if_fail (VD_IS_ITEM (item), NULL);
  g_return_val_if_fail (policy == NULL || VD_IS_POLICY (policy), NULL);

  due_at = vd_item_get_due_at (item);
  if (due_at != NULL && policy != NULL)
    {
      if (vd_item_get_status (item) == VD_TASK_STATUS_ESCALATED)
        minutes = vd_policy_get_escalated_sla_minutes (policy);
      if (minutes == 0)
        minutes = vd_policy_get_sla_minutes (policy, vd_item_get_task_type (item));
    }

  if (minutes > 0)
    return g_date_time_add_minutes (due_at, -(int) minutes);

  return g_date_time_ref (vd_item_get_timestamp (item));
}

/**
 * vd_sla_get_due_state:
 * @item: an item
 * @policy: (nullable): the policy in force
 * @now: the time to compare with
 *
 * The deadline state of @item: %VD_DUE_STATE_NONE for an item without a
 * deadline or already decided (it has no deadline to meet any more), else
 * vd_sla_classify_due() from vd_sla_get_deadline_start(). Safe to call on
 * any thread for an item no other thread changes.
 *
 * Returns: where the deadline of @item stands
 */
VdDueState
vd_sla_get_due_state (VdItem    *item,
                      VdPolicy  *policy,
                      GDateTime *now)
{
  g_autoptr(GDateTime) start = NULL;

  g_return_val_if_fail (VD_IS_ITEM (item), VD_DUE_STATE_NONE);
  g_return_val_if_fail (now != NULL, VD_DUE_STATE_NONE);

  if (vd_item_get_due_at (item) == NULL || !vd_item_is_undecided (item))
    return VD_DUE_STATE_NONE;

  start = vd_sla_get_deadline_start (item, policy);

  return vd_sla_classify_due (start, vd_item_get_due_at (item), now);
}

/**
 * vd_sla_format_time_left:
 * @due_at: (nullable): the deadline
 * @now: the time to count from
 * @overdue: (out) (optional): whether the deadline has passed
 *
 * Returns: (transfer full) (nullable): the time left, for people: "45 min
 *   left", "2 h left", "3 d left" or "overdue"; %NULL without a deadline
 */
char *
vd_sla_format_time_left (GDateTime *due_at,
                         GDateTime *now,
                         gboolean  *overdue)
{
  GTimeSpan left;
  gint64 minutes, hours, days;

  g_return_val_if_fail (now != NULL, NULL);

  if (overdue != NULL)
    *overdue = FALSE;

  if (due_at == NULL)
    return NULL;

  left = g_date_time_difference (due_at, now);
  if (left <= 0)
    {
      if (overdue != NULL)
        *overdue = TRUE;
      /* Translators: an item whose deadline has passed */
      return g_strdup (_("overdue"));
    }

  minutes = MAX (1, left / G_TIME_SPAN_MINUTE);
  hours = left / G_TIME_SPAN_HOUR;
  days = left / G_TIME_SPAN_DAY;

  if (hours < 1)
    /* Translators: time left to an item's deadline */
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d min left", "%d min left",
                                         (gulong) minutes), (int) minutes);
  if (days < 2)
    /* Translators: time left to an item's deadline, in hours */
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d h left", "%d h left",
                                         (gulong) hours), (int) hours);

  /* Translators: time left to an item's deadline, in days */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d d left", "%d d left",
                                       (gulong) days), (int) days);
}
