/* vd-workflow-submit.c: submitting new tasks and the backpressure gate
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

#include <string.h>

#include "vd-audit-event.h"
#include "vd-backpressure.h"
#include "vd-item.h"
#include "vd-policy.h"
#include "vd-store.h"
#include "vd-workflow.h"
#include "vd-workflow-private.h"

/* Generated task ids: task_0001, task_0002, ... */
#define TASK_ID_PREFIX "task_"

/* Per queue: the next task number to hand out, and the ids in use by
 * submissions that have not been stored yet. A queue with a max_pending
 * limit also has a gate: its submissions pass one at a time, each counting
 * the ones admitted before it that are not stored yet. */
struct _VdWorkflowCounter
{
  guint       next;
  gboolean    loaded;
  gboolean    loading;
  GQueue      waiting;    /* GTask (a reference each) wanting a generated id */
  GHashTable *reserved;   /* task id -> NULL */
  GQueue      gated;      /* GTask (a reference each) waiting at the gate */
  gboolean    gating;     /* the head is being counted, or waits for the interval */
  gboolean    paused;     /* "queue-full" was emitted and nothing passed since */
  guint       admitted;   /* passed the gate, not stored or failed yet */
};

void
_vd_workflow_counter_free (VdWorkflowCounter *counter)
{
  /* Waiting tasks hold a reference on the workflow: none can be left. */
  g_assert (g_queue_is_empty (&counter->waiting));
  g_assert (g_queue_is_empty (&counter->gated));
  g_hash_table_unref (counter->reserved);
  g_free (counter);
}

/* The number of a task id of the generated form ("task_0042" -> 42), or 0. */
static guint
task_number (const char *task_id)
{
  const char *digits;
  guint64 value;
  char *end = NULL;

  if (task_id == NULL || !g_str_has_prefix (task_id, TASK_ID_PREFIX))
    return 0;

  digits = task_id + strlen (TASK_ID_PREFIX);
  if (!g_ascii_isdigit (*digits))
    return 0;

  value = g_ascii_strtoull (digits, &end, 10);
  if (*end != '\0' || value >= G_MAXUINT)
    return 0;

  return (guint) value;
}

/* Submitting a task */

typedef struct
{
  char        *queue;
  char        *task_id;
  char        *task_description;
  char        *task_type;
  char        *context;
  gboolean     generated;
  gboolean     reserved;
  gboolean     admitted;    /* through the backpressure gate */
  guint        in_flight;   /* for the gate's count: admitted before it */
  guint64      pending;     /* the gate's count */
  guint        limit;
  VdStore     *store;
  VdPolicy    *policy;
  VdAgent     *agent;
  VdItem      *item;
} SubmitJob;

static void
submit_job_free (SubmitJob *job)
{
  g_free (job->queue);
  g_free (job->task_id);
  g_free (job->task_description);
  g_free (job->task_type);
  g_free (job->context);
  g_clear_object (&job->store);
  g_clear_object (&job->policy);
  g_clear_object (&job->agent);
  g_clear_object (&job->item);
  g_free (job);
}

static VdWorkflowCounter *
get_counter (VdWorkflow *self,
             const char *queue)
{
  VdWorkflowCounter *counter = g_hash_table_lookup (self->counters, queue);

  if (counter == NULL)
    {
      counter = g_new0 (VdWorkflowCounter, 1);
      counter->next = 1;
      g_queue_init (&counter->waiting);
      g_queue_init (&counter->gated);
      counter->reserved = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_hash_table_insert (self->counters, g_strdup (queue), counter);
    }

  return counter;
}

static void
release_id (VdWorkflow *self,
            SubmitJob  *job)
{
  VdWorkflowCounter *counter;

  if (!job->reserved)
    return;

  counter = g_hash_table_lookup (self->counters, job->queue);
  g_assert (counter != NULL);
  g_hash_table_remove (counter->reserved, job->task_id);
  job->reserved = FALSE;
}

/* A submission that passed the gate is stored or failed: it no longer
 * counts for the queue's limit. */
static void
release_admission (VdWorkflow *self,
                   SubmitJob  *job)
{
  VdWorkflowCounter *counter;

  if (!job->admitted)
    return;

  counter = g_hash_table_lookup (self->counters, job->queue);
  g_assert (counter != NULL && counter->admitted > 0);
  counter->admitted--;
  job->admitted = FALSE;
}

static void
submit_fail (GTask  *task,
             GError *error)
{
  release_admission (g_task_get_source_object (task), g_task_get_task_data (task));
  release_id (g_task_get_source_object (task), g_task_get_task_data (task));
  g_task_return_error (task, error);
}

/* The next free generated id of a loaded counter. */
static void
assign_id (VdWorkflowCounter   *counter,
           SubmitJob *job)
{
  g_assert (counter->loaded);
  g_assert (!job->reserved);

  do
    {
      g_free (job->task_id);
      job->task_id = g_strdup_printf (TASK_ID_PREFIX "%04u", counter->next++);
    }
  while (g_hash_table_contains (counter->reserved, job->task_id));

  g_hash_table_add (counter->reserved, g_strdup (job->task_id));
  job->reserved = TRUE;
}

static void submit_check (GTask *task);

/* The highest task number among the stored items of the job's queue
 * (worker). */
static void
scan_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  SubmitJob *job = task_data;
  VdItemQuery query = VD_ITEM_QUERY_INIT;
  guint highest = 0;
  GError *error = NULL;

  query.queue = job->queue;
  query.search = TASK_ID_PREFIX;
  query.limit = VD_WORKFLOW_BATCH;

  for (;;)
    {
      g_autoptr(GPtrArray) items = vd_store_list_items (job->store, &query, &error);

      if (items == NULL)
        {
          g_task_return_error (task, error);
          return;
        }

      for (guint i = 0; i < items->len; i++)
        highest = MAX (highest, task_number (vd_item_get_task_id (g_ptr_array_index (items, i))));

      if (items->len < VD_WORKFLOW_BATCH)
        break;
      query.offset += VD_WORKFLOW_BATCH;
    }

  g_task_return_int (task, highest);
}

/* The scan ran as a step of the first submission waiting for the queue. */
static void
on_scan_done (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) first = user_data;
  VdWorkflow *self = g_task_get_source_object (first);
  SubmitJob *first_job = g_task_get_task_data (first);
  VdWorkflowCounter *counter = g_hash_table_lookup (self->counters, first_job->queue);
  GError *error = NULL;
  gssize highest;

  g_assert (counter != NULL);
  counter->loading = FALSE;

  highest = g_task_propagate_int (G_TASK (result), &error);
  if (error != NULL)
    {
      GTask *task;

      /* Every waiting submission fails; a later one scans again. */
      while ((task = g_queue_pop_head (&counter->waiting)) != NULL)
        {
          g_task_return_error (task, g_error_copy (error));
          g_object_unref (task);
        }
      g_error_free (error);
      return;
    }

  counter->next = MAX (counter->next, (guint) highest + 1);
  counter->loaded = TRUE;

  /* In order of submission. */
  while (!g_queue_is_empty (&counter->waiting))
    {
      g_autoptr(GTask) task = g_queue_pop_head (&counter->waiting);

      assign_id (counter, g_task_get_task_data (task));
      submit_check (task);
    }
}

/* Whether the task id is taken in the store (worker). */
static void
check_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  SubmitJob *job = task_data;
  g_autoptr(VdItem) item = NULL;
  GError *error = NULL;

  item = vd_store_get_item (job->store, job->queue, job->task_id, &error);
  if (item != NULL)
    g_task_return_boolean (task, TRUE);
  else if (g_error_matches (error, VD_STORE_ERROR, VD_STORE_ERROR_NOT_FOUND))
    {
      g_error_free (error);
      g_task_return_boolean (task, FALSE);
    }
  else
    g_task_return_error (task, error);
}

static void on_task_agent_done (GObject      *object,
                                GAsyncResult *result,
                                gpointer      user_data);

static void
start_agent (GTask *task)
{
  VdWorkflow *self = g_task_get_source_object (task);
  SubmitJob *job = g_task_get_task_data (task);
  VdWorkflowDelta *target;

  _vd_workflow_emit_task_started (self, job->queue, job->task_id);
  _vd_workflow_agent_started (self);

  target = _vd_workflow_delta_new (self, job->queue, job->task_id);
  vd_agent_run_task_async (job->agent, job->task_description, job->task_type, job->context,
                           target != NULL ? _vd_workflow_delta_func : NULL, target,
                           target != NULL ? _vd_workflow_delta_free : NULL,
                           g_task_get_cancellable (task), on_task_agent_done,
                           g_object_ref (task));
}

/* The backpressure gate (see vd-backpressure.h) */

static void gate_next (VdWorkflow *self,
                       VdWorkflowCounter    *counter);

static void
gate_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  SubmitJob *job = task_data;
  GError *error = NULL;
  VdBackpressure state;

  state = vd_backpressure_check (job->store, job->policy, job->queue, job->in_flight,
                                 &job->pending, &job->limit, &error);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_int (task, state);
}

static gboolean
on_gate_interval (gpointer user_data)
{
  GTask *task = user_data;
  VdWorkflow *self = g_task_get_source_object (task);
  SubmitJob *job = g_task_get_task_data (task);
  VdWorkflowCounter *counter = g_hash_table_lookup (self->counters, job->queue);

  counter->gating = FALSE;
  gate_next (self, counter);

  return G_SOURCE_REMOVE;
}

static void
on_gate_done (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GTask) head = NULL;
  VdWorkflow *self = g_task_get_source_object (task);
  SubmitJob *job = g_task_get_task_data (task);
  VdWorkflowCounter *counter = g_hash_table_lookup (self->counters, job->queue);
  GError *error = NULL;
  gssize state;

  state = g_task_propagate_int (G_TASK (result), &error);

  if (error == NULL && state == VD_BACKPRESSURE_PAUSE &&
      !g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    {
      g_autoptr(GSource) source = NULL;

      /* Say it once per full spell; the head keeps its place. */
      if (!counter->paused)
        {
          counter->paused = TRUE;
          _vd_workflow_emit_queue_full (self, job->queue, job->pending, job->limit);
        }

      source = g_timeout_source_new (self->backpressure_interval_ms);
      g_source_set_static_name (source, "[verdict] queue full");
      g_task_attach_source (task, source, on_gate_interval);
      return;
    }

  head = g_queue_pop_head (&counter->gated);
  g_assert (head == task);
  counter->gating = FALSE;

  if (error != NULL || g_cancellable_set_error_if_cancelled (g_task_get_cancellable (task),
                                                             &error))
    submit_fail (task, error);
  else
    {
      counter->paused = FALSE;
      counter->admitted++;
      job->admitted = TRUE;
      start_agent (task);
    }

  gate_next (self, counter);
}

/* Counts the queue for the submission at the head of the gate; cancelled
 * ones leave at once. */
static void
gate_next (VdWorkflow *self,
           VdWorkflowCounter    *counter)
{
  GTask *head;

  while ((head = g_queue_peek_head (&counter->gated)) != NULL && !counter->gating)
    {
      SubmitJob *job = g_task_get_task_data (head);
      GError *error = NULL;

      if (g_cancellable_set_error_if_cancelled (g_task_get_cancellable (head), &error))
        {
          g_queue_pop_head (&counter->gated);
          submit_fail (head, error);
          g_object_unref (head);
          continue;
        }

      counter->gating = TRUE;
      job->in_flight = counter->admitted;
      _vd_workflow_run_step (self, head, gate_thread, on_gate_done);
    }
}

static void
gate_enter (GTask *task)
{
  VdWorkflow *self = g_task_get_source_object (task);
  SubmitJob *job = g_task_get_task_data (task);
  VdWorkflowCounter *counter;

  /* Without a limit for the queue nothing is counted. */
  if (!vd_policy_get_queue_limit (job->policy, job->queue, NULL, NULL))
    {
      start_agent (task);
      return;
    }

  counter = get_counter (self, job->queue);
  g_queue_push_tail (&counter->gated, g_object_ref (task));
  gate_next (self, counter);
}

static void
on_check_done (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  VdWorkflow *self = g_task_get_source_object (task);
  SubmitJob *job = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  GError *error = NULL;
  gboolean taken;

  taken = g_task_propagate_boolean (G_TASK (result), &error);
  if (error != NULL)
    {
      submit_fail (task, error);
      return;
    }

  if (taken && job->generated)
    {
      /* Stored meanwhile by another program: take the next number. */
      release_id (self, job);
      assign_id (get_counter (self, job->queue), job);
      submit_check (task);
      return;
    }

  if (taken)
    {
      submit_fail (task, g_error_new (VD_WORKFLOW_ERROR, VD_WORKFLOW_ERROR_EXISTS,
                                      "Task %s already exists in queue %s: give the input "
                                      "another task id, or none to have one generated",
                                      job->task_id, job->queue));
      return;
    }

  if (g_cancellable_set_error_if_cancelled (cancellable, &error))
    {
      submit_fail (task, error);
      return;
    }

  gate_enter (task);
}

static void
submit_check (GTask *task)
{
  _vd_workflow_run_step (g_task_get_source_object (task), task, check_thread, on_check_done);
}

static void
store_new_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  SubmitJob *job = task_data;
  GError *error = NULL;
  VdItem *stored;

  stored = _vd_workflow_store_item (job->store, job->policy, job->item, &error);
  if (stored == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, stored, g_object_unref);
}

static void
on_store_new_done (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  VdWorkflow *self = g_task_get_source_object (task);
  g_autoptr(VdItem) stored = NULL;
  GError *error = NULL;

  stored = g_task_propagate_pointer (G_TASK (result), &error);
  if (stored == NULL)
    {
      submit_fail (task, error);
      return;
    }

  release_admission (self, g_task_get_task_data (task));
  release_id (self, g_task_get_task_data (task));
  _vd_workflow_emit_item_stored (self, stored);
  g_task_return_pointer (task, g_steal_pointer (&stored), g_object_unref);
}

static void
on_task_agent_done (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  VdWorkflow *self = g_task_get_source_object (task);
  SubmitJob *job = g_task_get_task_data (task);
  g_autoptr(VdAgentOutput) output = NULL;
  g_autoptr(GError) error = NULL;
  VdItem *item;

  output = vd_agent_run_task_finish (VD_AGENT (object), result, &error);
  _vd_workflow_agent_finished (self, error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      submit_fail (task, g_steal_pointer (&error));
      return;
    }

  item = vd_item_new (job->queue, job->task_id);
  vd_item_set_task_description (item, job->task_description);
  vd_item_set_task_type (item, job->task_type);
  vd_item_set_context (item, job->context);

  if (output != NULL)
    {
      vd_item_set_content (item, output->content);
      vd_item_set_confidence (item, output->confidence);
      vd_item_set_reasoning (item, output->reasoning);
      vd_item_set_metadata (item, output->metadata);
    }
  else
    {
      /* As the reference does: a human sees the failure, nothing is lost.
       * The detail goes into the store and the audit trail for good, so no
       * URL goes there with a key in it. */
      g_autofree char *detail = vd_llm_redact_text (error->message);

      g_debug ("The task agent failed on %s/%s: %s", job->queue, job->task_id, detail);
      vd_item_set_confidence (item, 0.0);
      vd_item_set_escalation_reason (item, VD_ESCALATION_REASON_ERROR_OCCURRED);
      vd_item_set_escalation_detail (item, detail);
    }

  job->item = item;
  /* The output's metadata is shared with the item: let go of it here,
   * before the item moves to a worker thread. */
  g_clear_pointer (&output, vd_agent_output_free);

  _vd_workflow_run_step (self, task, store_new_thread, on_store_new_done);
}

/**
 * vd_workflow_submit_async:
 * @self: a #VdWorkflow
 * @queue: the queue the item goes to
 * @task_id: (nullable): the task id; %NULL to generate the next
 *   `task_NNNN` of @queue, in order of submission, after the highest one in
 *   the store
 * @task_description: what the agent is to do
 * @task_type: (nullable): the kind of task
 * @context: (nullable): background for the task
 * @cancellable: (nullable): a #GCancellable; cancelling before the item is
 *   stored stores nothing
 * @callback: called with the stored item
 * @user_data: data for @callback
 *
 * Runs the task agent on a new input, applies the policy and stores the
 * result as revision 0: auto-approved (audited as such) or queued with its
 * reason. When the agent fails (after the client's retries), the item is
 * queued with the reason `error_occurred` and the error text as its
 * detail. "task-started" is emitted once the task id is settled and the
 * agent starts; "output-delta" while it writes, if anyone listens.
 *
 * When the policy gives @queue a `max_pending` limit and the queue holds
 * that many undecided items (counting submissions already on their way),
 * the submission waits ("queue-full", on_full pause_agent) until reviewers
 * drain it, or fails with %VD_BACKPRESSURE_ERROR_QUEUE_FULL (on_full
 * refuse) before the agent runs; nothing stored is touched.
 */
void
vd_workflow_submit_async (VdWorkflow          *self,
                          const char          *queue,
                          const char          *task_id,
                          const char          *task_description,
                          const char          *task_type,
                          const char          *context,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;
  SubmitJob *job;
  VdWorkflowCounter *counter;

  g_return_if_fail (VD_IS_WORKFLOW (self));
  g_return_if_fail (queue != NULL && queue[0] != '\0');
  g_return_if_fail (task_id == NULL || task_id[0] != '\0');
  g_return_if_fail (task_description != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vd_workflow_submit_async);

  if (!_vd_workflow_check_online (self, "the task was not run", &error))
    {
      g_task_return_error (task, error);
      return;
    }

  job = g_new0 (SubmitJob, 1);
  job->queue = g_strdup (queue);
  job->task_id = g_strdup (task_id);
  job->task_description = g_strdup (task_description);
  job->task_type = g_strdup (task_type != NULL ? task_type : "");
  job->context = g_strdup (context != NULL ? context : "");
  job->generated = task_id == NULL;
  job->store = g_object_ref (self->store);
  job->policy = g_object_ref (self->policy);
  job->agent = g_object_ref (self->agent);
  g_task_set_task_data (task, job, (GDestroyNotify) submit_job_free);

  counter = get_counter (self, queue);

  if (task_id != NULL)
    {
      if (g_hash_table_contains (counter->reserved, task_id))
        {
          g_task_return_new_error (task, VD_WORKFLOW_ERROR, VD_WORKFLOW_ERROR_EXISTS,
                                   "Task %s of queue %s is already being submitted",
                                   task_id, queue);
          return;
        }

      g_hash_table_add (counter->reserved, g_strdup (task_id));
      job->reserved = TRUE;
      /* Generated ids go past it. */
      if (task_number (task_id) > 0)
        counter->next = MAX (counter->next, task_number (task_id) + 1);
      submit_check (task);
      return;
    }

  if (counter->loaded)
    {
      assign_id (counter, job);
      submit_check (task);
      return;
    }

  if (!counter->loading)
    {
      counter->loading = TRUE;
      _vd_workflow_run_step (self, task, scan_thread, on_scan_done);
    }
  g_queue_push_tail (&counter->waiting, g_steal_pointer (&task));
}

/**
 * vd_workflow_submit_finish:
 * @self: a #VdWorkflow
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the item as stored: auto-approved, or queued
 *   with its reason (`error_occurred` when the agent failed); %NULL when
 *   nothing was stored (offline, cancelled, a taken task id, a store error)
 */
VdItem *
vd_workflow_submit_finish (VdWorkflow    *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (VD_IS_WORKFLOW (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == vd_workflow_submit_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
