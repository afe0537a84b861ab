/* vd-workflow-revise.c: the reviser in the review loop
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

#define G_LOG_DOMAIN "vd-workflow"

#include "config.h"

#include "vd-decision.h"
#include "vd-item.h"
#include "vd-store.h"
#include "vd-timestamp.h"
#include "vd-workflow.h"
#include "vd-workflow-private.h"

/* Revising a rejected item */

typedef struct
{
  char       *queue;        /* as asked, maybe NULL; then the item's */
  char       *task_id;
  char       *key;
  VdStore    *store;
  VdPolicy   *policy;
  VdAgent    *agent;
  char       *model;
  VdItem     *item;         /* the rejected revision */
  char       *feedback;
  VdItem     *revised;
  GError     *agent_error;
  gboolean    started;
} ReviseJob;

static void
revise_job_free (ReviseJob *job)
{
  g_free (job->queue);
  g_free (job->task_id);
  g_free (job->key);
  g_clear_object (&job->store);
  g_clear_object (&job->policy);
  g_clear_object (&job->agent);
  g_free (job->model);
  g_clear_object (&job->item);
  g_free (job->feedback);
  g_clear_object (&job->revised);
  g_clear_error (&job->agent_error);
  g_free (job);
}

/* Ends a revision; "revision-finished" follows every "revision-started". */
static void
revise_return (GTask  *task,
               VdItem *stored,
               GError *error)
{
  VdWorkflow *self = g_task_get_source_object (task);
  ReviseJob *job = g_task_get_task_data (task);

  if (job->started)
    {
      job->started = FALSE;
      g_hash_table_remove (self->revising, job->key);
      if (stored != NULL)
        _vd_workflow_emit_item_stored (self, stored);
      _vd_workflow_emit_revision_finished (self, vd_item_get_queue (job->item),
                                           vd_item_get_task_id (job->item), error);
    }

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, stored, g_object_unref);
}

/* The latest decision that stands on the item's current revision. */
static VdDecision *
find_reject (ReviseJob  *job,
             GError    **error)
{
  g_autoptr(GPtrArray) decisions = NULL;
  VdItem *item = job->item;

  decisions = vd_store_list_decisions (job->store, vd_item_get_queue (item),
                                       vd_item_get_task_id (item), error);
  if (decisions == NULL)
    return NULL;

  for (guint i = decisions->len; i > 0; i--)
    {
      VdDecision *decision = g_ptr_array_index (decisions, i - 1);

      if (vd_decision_get_retracted (decision) ||
          vd_decision_get_revision (decision) != vd_item_get_revision (item))
        continue;

      if (vd_decision_get_kind (decision) == VD_DECISION_KIND_REJECT)
        return g_object_ref (decision);
      break;
    }

  g_set_error (error, VD_WORKFLOW_ERROR, VD_WORKFLOW_ERROR_NOT_AWAITING_REVISION,
               "Task %s in queue %s has no reject with feedback on revision %d: nothing to "
               "revise", vd_item_get_task_id (item), vd_item_get_queue (item),
               vd_item_get_revision (item));
  return NULL;
}

static void
revise_load_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  ReviseJob *job = task_data;
  g_autoptr(VdDecision) reject = NULL;
  GError *error = NULL;
  VdTaskStatus status;

  job->item = vd_store_get_item (job->store, job->queue, job->task_id, &error);
  if (job->item == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  status = vd_item_get_status (job->item);
  if (status != VD_TASK_STATUS_REJECTED)
    {
      g_task_return_new_error (task, VD_WORKFLOW_ERROR, VD_WORKFLOW_ERROR_NOT_AWAITING_REVISION,
                               "Task %s in queue %s is %s, not awaiting revision: only a "
                               "rejected item is revised",
                               vd_item_get_task_id (job->item), vd_item_get_queue (job->item),
                               vd_task_status_to_string (status));
      return;
    }

  if (vd_item_get_revision (job->item) >= VD_ITEM_MAX_REVISION)
    {
      g_task_return_new_error (task, VD_WORKFLOW_ERROR, VD_WORKFLOW_ERROR_NOT_AWAITING_REVISION,
                               "Task %s in queue %s is at revision %d, the last an item may "
                               "have: decide it by hand",
                               vd_item_get_task_id (job->item), vd_item_get_queue (job->item),
                               vd_item_get_revision (job->item));
      return;
    }

  reject = find_reject (job, &error);
  if (reject == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  job->feedback = g_strdup (vd_decision_get_feedback (reject));
  g_task_return_boolean (task, TRUE);
}

static void on_revise_agent_done (GObject      *object,
                                  GAsyncResult *result,
                                  gpointer      user_data);

static void
on_revise_load_done (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  VdWorkflow *self = g_task_get_source_object (task);
  ReviseJob *job = g_task_get_task_data (task);
  g_autoptr(VdAgentOutput) previous = NULL;
  GCancellable *cancellable = g_task_get_cancellable (task);
  GError *error = NULL;
  VdWorkflowDelta *target;
  VdItem *item;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      revise_return (task, NULL, error);
      return;
    }

  item = job->item;
  job->key = _vd_workflow_item_key (vd_item_get_queue (item), vd_item_get_task_id (item));
  if (g_hash_table_contains (self->revising, job->key))
    {
      revise_return (task, NULL,
                     g_error_new (VD_WORKFLOW_ERROR, VD_WORKFLOW_ERROR_BUSY,
                                  "The agent is already revising task %s in queue %s",
                                  vd_item_get_task_id (item), vd_item_get_queue (item)));
      return;
    }

  if (g_cancellable_set_error_if_cancelled (cancellable, &error))
    {
      revise_return (task, NULL, error);
      return;
    }

  g_hash_table_add (self->revising, g_strdup (job->key));
  job->started = TRUE;
  _vd_workflow_emit_revision_started (self, vd_item_get_queue (item),
                                      vd_item_get_task_id (item));
  _vd_workflow_agent_started (self);

  previous = vd_agent_output_new (vd_item_get_content (item), vd_item_get_confidence (item),
                                  vd_item_get_reasoning (item), vd_item_get_metadata (item));
  target = _vd_workflow_delta_new (self, vd_item_get_queue (item), vd_item_get_task_id (item));
  vd_agent_revise_async (job->agent, vd_item_get_task_description (item),
                         vd_item_get_task_type (item), vd_item_get_context (item),
                         previous, job->feedback,
                         target != NULL ? _vd_workflow_delta_func : NULL, target,
                         target != NULL ? _vd_workflow_delta_free : NULL,
                         cancellable, on_revise_agent_done, g_steal_pointer (&task));
}

/* The reviser failed: the item stays rejected, the trail says why. */
static void
revise_error_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  ReviseJob *job = task_data;
  g_autoptr(JsonObject) payload = NULL;
  GError *error = NULL;

  payload = _vd_workflow_error_payload ("revise", job->item, job->agent_error, job->model);
  if (!_vd_workflow_append_agent_event (job->store, VD_AUDIT_AGENT_ERROR, job->item, payload,
                                        &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
on_revise_error_done (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ReviseJob *job = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  /* The agent's error is the one to report; a trail that could not be
   * written is worth a warning on its own. */
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    g_warning ("Could not record the agent error on %s/%s: %s",
               vd_item_get_queue (job->item), vd_item_get_task_id (job->item), error->message);

  revise_return (task, NULL, g_steal_pointer (&job->agent_error));
}

static void
revise_store_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  ReviseJob *job = task_data;
  g_autoptr(VdItem) current = NULL;
  GError *error = NULL;
  VdItem *stored;

  /* A reviewer may have retracted the reject while the agent worked. */
  current = vd_store_get_item (job->store, vd_item_get_queue (job->item),
                               vd_item_get_task_id (job->item), &error);
  if (current == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (vd_item_get_revision (current) != vd_item_get_revision (job->item) ||
      vd_item_get_status (current) != VD_TASK_STATUS_REJECTED)
    {
      g_task_return_new_error (task, VD_WORKFLOW_ERROR, VD_WORKFLOW_ERROR_CHANGED,
                               "Task %s in queue %s changed while the agent revised it (now "
                               "revision %d, %s): the new output was dropped",
                               vd_item_get_task_id (current), vd_item_get_queue (current),
                               vd_item_get_revision (current),
                               vd_task_status_to_string (vd_item_get_status (current)));
      return;
    }

  stored = _vd_workflow_store_item (job->store, job->policy, job->revised, &error);
  if (stored == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, stored, g_object_unref);
}

static void
on_revise_store_done (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  VdItem *stored;

  stored = g_task_propagate_pointer (G_TASK (result), &error);
  revise_return (task, stored, error);
}

static void
on_revise_agent_done (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  VdWorkflow *self = g_task_get_source_object (task);
  ReviseJob *job = g_task_get_task_data (task);
  g_autoptr(VdAgentOutput) output = NULL;
  g_autoptr(GDateTime) now = NULL;
  GError *error = NULL;
  VdItem *revised;

  output = vd_agent_revise_finish (VD_AGENT (object), result, &error);
  _vd_workflow_agent_finished (self, error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      revise_return (task, NULL, error);
      return;
    }

  if (output == NULL)
    {
      job->agent_error = error;
      _vd_workflow_run_step (self, task, revise_error_thread, on_revise_error_done);
      return;
    }

  if (g_cancellable_set_error_if_cancelled (g_task_get_cancellable (task), &error))
    {
      revise_return (task, NULL, error);
      return;
    }

  now = vd_timestamp_now ();
  revised = vd_item_copy (job->item);
  vd_item_set_id (revised, 0);
  vd_item_set_content (revised, output->content);
  vd_item_set_confidence (revised, output->confidence);
  vd_item_set_reasoning (revised, output->reasoning);
  vd_item_set_metadata (revised, output->metadata);
  vd_item_set_revision (revised, vd_item_get_revision (job->item) + 1);
  vd_item_set_status (revised, VD_TASK_STATUS_PENDING);
  vd_item_set_escalation_reason (revised, VD_ESCALATION_REASON_NONE);
  vd_item_set_escalation_detail (revised, "");
  vd_item_set_timestamp (revised, now);
  /* A known-answer check was about the first output. */
  vd_item_set_expected_decision (revised, NULL);
  job->revised = revised;
  g_clear_pointer (&output, vd_agent_output_free);

  _vd_workflow_run_step (self, task, revise_store_thread, on_revise_store_done);
}

/**
 * vd_workflow_revise_async:
 * @self: a #VdWorkflow
 * @queue: (nullable): the item's queue; %NULL when @task_id is unambiguous
 * @task_id: the item's task id
 * @cancellable: (nullable): a #GCancellable; cancelling leaves the item
 *   awaiting revision
 * @callback: called with the stored revision
 * @user_data: data for @callback
 *
 * Revises an item awaiting revision (status rejected, with a reject and
 * its feedback as the latest decision that stands): the reviser gets the
 * task, the rejected output and the feedback; its output is stored as
 * revision n+1 and goes through the policy again, to be auto-approved or
 * queued with its history. The rejected output is kept as a revision with
 * the feedback.
 *
 * Without a client this fails with %VD_WORKFLOW_ERROR_OFFLINE and changes
 * nothing. When the reviser fails, the item stays rejected, an
 * `agent_error` audit event records the error, and the error is returned.
 * "revision-started" and "revision-finished" bracket the agent's work.
 */
void
vd_workflow_revise_async (VdWorkflow          *self,
                          const char          *queue,
                          const char          *task_id,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *what = NULL;
  GError *error = NULL;
  ReviseJob *job;

  g_return_if_fail (VD_IS_WORKFLOW (self));
  g_return_if_fail (task_id != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vd_workflow_revise_async);

  what = g_strdup_printf ("task %s stays awaiting revision until one is", task_id);
  if (!_vd_workflow_check_online (self, what, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  job = g_new0 (ReviseJob, 1);
  job->queue = g_strdup (queue);
  job->task_id = g_strdup (task_id);
  job->store = g_object_ref (self->store);
  job->policy = g_object_ref (self->policy);
  job->agent = g_object_ref (self->agent);
  job->model = g_strdup (vd_llm_client_get_model (self->client));
  g_task_set_task_data (task, job, (GDestroyNotify) revise_job_free);

  _vd_workflow_run_step (self, task, revise_load_thread, on_revise_load_done);
}

/**
 * vd_workflow_revise_finish:
 * @self: a #VdWorkflow
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the item as stored at its new revision
 */
VdItem *
vd_workflow_revise_finish (VdWorkflow    *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (VD_IS_WORKFLOW (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == vd_workflow_revise_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Revising every item awaiting revision */

typedef struct
{
  char      *queue;
  VdStore   *store;
  GPtrArray *results;    /* VdWorkflowResult, in listing order */
  guint      next;       /* the next result to start */
  guint      n_running;
  guint      limit;
} ReviseAllJob;

static void
revise_all_job_free (ReviseAllJob *job)
{
  g_free (job->queue);
  g_clear_object (&job->store);
  g_clear_pointer (&job->results, g_ptr_array_unref);
  g_free (job);
}

static void
revise_all_list_thread (GTask        *task,
                        gpointer      source_object,
                        gpointer      task_data,
                        GCancellable *cancellable)
{
  ReviseAllJob *job = task_data;
  VdItemQuery query = VD_ITEM_QUERY_INIT;
  g_autoptr(GArray) ids = NULL;
  GError *error = NULL;

  query.statuses = VD_STATUS_MASK (VD_TASK_STATUS_REJECTED);
  query.queue = job->queue;

  ids = vd_store_list_ids (job->store, &query, &error);
  if (ids == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  /* Only the identities: each revision reads its item afresh. */
  for (guint start = 0; start < ids->len; start += VD_WORKFLOW_BATCH)
    {
      guint n = MIN (VD_WORKFLOW_BATCH, ids->len - start);
      g_autoptr(GPtrArray) items = NULL;

      items = vd_store_get_items_by_id (job->store, &g_array_index (ids, gint64, start), n,
                                        &error);
      if (items == NULL)
        {
          g_task_return_error (task, error);
          return;
        }

      for (guint i = 0; i < items->len; i++)
        {
          VdItem *item = g_ptr_array_index (items, i);
          VdWorkflowResult *result = g_new0 (VdWorkflowResult, 1);

          result->queue = g_strdup (vd_item_get_queue (item));
          result->task_id = g_strdup (vd_item_get_task_id (item));
          g_ptr_array_add (job->results, result);
        }
    }

  g_task_return_boolean (task, TRUE);
}

static void revise_all_pump (GTask *task);

static void
on_revise_one_done (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GPtrArray) pair = user_data;   /* task, result entry */
  GTask *task = g_ptr_array_index (pair, 0);
  VdWorkflowResult *entry = g_ptr_array_index (pair, 1);
  ReviseAllJob *job = g_task_get_task_data (task);

  entry->item = vd_workflow_revise_finish (VD_WORKFLOW (object), result, &entry->error);
  job->n_running--;
  revise_all_pump (task);
}

/* Keeps at most job->limit revisions running; returns once all are done. */
static void
revise_all_pump (GTask *task)
{
  VdWorkflow *self = g_task_get_source_object (task);
  ReviseAllJob *job = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  while (job->n_running < job->limit && job->next < job->results->len &&
         !g_cancellable_is_cancelled (cancellable))
    {
      VdWorkflowResult *entry = g_ptr_array_index (job->results, job->next++);
      GPtrArray *pair = g_ptr_array_new_full (2, NULL);

      g_ptr_array_add (pair, task);
      g_ptr_array_add (pair, entry);
      job->n_running++;
      vd_workflow_revise_async (self, entry->queue, entry->task_id, cancellable,
                                on_revise_one_done, pair);
    }

  if (job->n_running > 0)
    return;

  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&job->results),
                         (GDestroyNotify) g_ptr_array_unref);
  g_object_unref (task);
}

static void
on_revise_all_list_done (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  GTask *task = user_data;   /* owned until revise_all_pump() returns it */
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  revise_all_pump (task);
}

/**
 * vd_workflow_revise_all_async:
 * @self: a #VdWorkflow
 * @queue: (nullable): only items of this queue
 * @cancellable: (nullable): a #GCancellable; revisions not yet started are
 *   not started
 * @callback: called when every revision has ended
 * @user_data: data for @callback
 *
 * Revises every item awaiting revision (see vd_workflow_revise_async()),
 * at most as many at once as the client's #VdLlmClient:max-concurrent.
 */
void
vd_workflow_revise_all_async (VdWorkflow          *self,
                              const char          *queue,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;
  ReviseAllJob *job;

  g_return_if_fail (VD_IS_WORKFLOW (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vd_workflow_revise_all_async);

  if (!_vd_workflow_check_online (self, "the items stay awaiting revision until one is", &error))
    {
      g_task_return_error (task, error);
      return;
    }

  job = g_new0 (ReviseAllJob, 1);
  job->queue = g_strdup (queue);
  job->store = g_object_ref (self->store);
  job->results = g_ptr_array_new_with_free_func ((GDestroyNotify) vd_workflow_result_free);
  job->limit = MAX (1, vd_llm_client_get_max_concurrent (self->client));
  g_task_set_task_data (task, job, (GDestroyNotify) revise_all_job_free);

  /* The step's callback owns the reference _vd_workflow_run_step() gives it. */
  _vd_workflow_run_step (self, task, revise_all_list_thread, on_revise_all_list_done);
}

/**
 * vd_workflow_revise_all_finish:
 * @self: a #VdWorkflow
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (element-type VdWorkflowResult): one result per
 *   item that was awaiting revision, each with the stored revision or the
 *   error; %NULL if the items could not be listed or on cancellation
 */
GPtrArray *
vd_workflow_revise_all_finish (VdWorkflow    *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (VD_IS_WORKFLOW (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        vd_workflow_revise_all_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
