/* vd-workflow.c
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

/* How often a full queue (on_full: pause_agent) is counted again. */
#define BACKPRESSURE_INTERVAL_MS 2000

/**
 * VdWorkflow:
 *
 * The review loop around the agents: a new input goes to the task agent,
 * its output through the escalation policy, and the result into the store,
 * auto-approved (and audited) or queued for a human with its reason. A
 * reviewer's reject with feedback makes the item "awaiting revision"
 * (status rejected); the reviser then writes revision n+1, which goes
 * through the policy again. Everything is stored through the import path of
 * the store, so the audit trail records enqueue, auto_approve and revision
 * events as for imported queues, and earlier revisions are kept with the
 * feedback that caused each one.
 *
 * Without a client (no endpoint configured) nothing is run: the calls fail
 * with %VD_WORKFLOW_ERROR_OFFLINE and items stay as they are. When the
 * task agent fails after the client's retries, the item is queued with the
 * reason `error_occurred` and the error text, empty content and confidence
 * 0, as the reference does; when the reviser fails, the item stays rejected
 * and an `agent_error` event records why.
 *
 * Store work runs on worker threads; the agents run on the thread-default
 * main context of the caller, where the callbacks and signals arrive too.
 */

G_DEFINE_FINAL_TYPE (VdWorkflow, vd_workflow, G_TYPE_OBJECT)

G_DEFINE_QUARK (vd-workflow-error-quark, vd_workflow_error)

G_DEFINE_BOXED_TYPE (VdWorkflowResult, vd_workflow_result,
                     vd_workflow_result_copy, vd_workflow_result_free)

enum {
  PROP_0,
  PROP_STORE,
  PROP_POLICY,
  PROP_CLIENT,
  PROP_UNREACHABLE,
  PROP_N_RUNNING,
  N_PROPS
};

enum {
  TASK_STARTED,
  OUTPUT_DELTA,
  ITEM_STORED,
  REVISION_STARTED,
  REVISION_FINISHED,
  QUEUE_FULL,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* Per queue: the next task number to hand out, and the ids in use by
 * submissions that have not been stored yet. A queue with a max_pending
 * limit also has a gate: its submissions pass one at a time, each counting
 * the ones admitted before it that are not stored yet. */
typedef struct
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
} Counter;

struct _VdWorkflowDelta
{
  VdWorkflow *self;
  char       *queue;
  char       *task_id;
};

static void
counter_free (Counter *counter)
{
  /* Waiting tasks hold a reference on the workflow: none can be left. */
  g_assert (g_queue_is_empty (&counter->waiting));
  g_assert (g_queue_is_empty (&counter->gated));
  g_hash_table_unref (counter->reserved);
  g_free (counter);
}

/* Results */

/**
 * vd_workflow_result_copy:
 * @result: a #VdWorkflowResult
 *
 * Returns: (transfer full): a copy of @result
 */
VdWorkflowResult *
vd_workflow_result_copy (const VdWorkflowResult *result)
{
  VdWorkflowResult *copy;

  g_return_val_if_fail (result != NULL, NULL);

  copy = g_new0 (VdWorkflowResult, 1);
  copy->queue = g_strdup (result->queue);
  copy->task_id = g_strdup (result->task_id);
  copy->item = result->item != NULL ? g_object_ref (result->item) : NULL;
  copy->error = result->error != NULL ? g_error_copy (result->error) : NULL;

  return copy;
}

void
vd_workflow_result_free (VdWorkflowResult *result)
{
  if (result == NULL)
    return;

  g_free (result->queue);
  g_free (result->task_id);
  g_clear_object (&result->item);
  g_clear_error (&result->error);
  g_free (result);
}

/* Shared with the other vd-workflow-*.c files */

char *
_vd_workflow_item_key (const char *queue,
                       const char *task_id)
{
  return g_strconcat (queue, "\x1f", task_id, NULL);
}

gboolean
_vd_workflow_check_online (VdWorkflow  *self,
                           const char  *what,
                           GError     **error)
{
  if (self->agent != NULL)
    return TRUE;

  g_set_error (error, VD_WORKFLOW_ERROR, VD_WORKFLOW_ERROR_OFFLINE,
               "No model endpoint is configured: %s", what);
  return FALSE;
}

/* Runs @func on a worker thread with the task data of @outer; @done gets
 * the step's GTask, and a reference to @outer as its user data. The step
 * has no source object: the worker thread may hold it a little after
 * @done ran, and that must not keep the workflow alive. */
void
_vd_workflow_run_step (VdWorkflow          *self,
                       GTask               *outer,
                       GTaskThreadFunc      func,
                       GAsyncReadyCallback  done)
{
  g_autoptr(GTask) step = NULL;

  g_assert (g_task_get_source_object (outer) == self);

  step = g_task_new (NULL, NULL, done, g_object_ref (outer));
  g_task_set_source_tag (step, _vd_workflow_run_step);
  g_task_set_task_data (step, g_task_get_task_data (outer), NULL);
  g_task_run_in_thread (step, func);
}

static void
set_n_running (VdWorkflow *self,
               guint       n_running)
{
  if (self->n_running == n_running)
    return;

  self->n_running = n_running;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_RUNNING]);
}

static void
set_unreachable (VdWorkflow *self,
                 gboolean    unreachable)
{
  if (self->unreachable == unreachable)
    return;

  self->unreachable = unreachable;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UNREACHABLE]);
}

void
_vd_workflow_agent_started (VdWorkflow *self)
{
  set_n_running (self, self->n_running + 1);
}

/* After an agent call: one fewer running, and whether the endpoint
 * answered at all. */
void
_vd_workflow_agent_finished (VdWorkflow   *self,
                             const GError *error)
{
  g_assert (self->n_running > 0);
  set_n_running (self, self->n_running - 1);

  if (error == NULL)
    set_unreachable (self, FALSE);
  else if (g_error_matches (error, VD_LLM_ERROR, VD_LLM_ERROR_UNREACHABLE))
    set_unreachable (self, TRUE);
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    set_unreachable (self, FALSE);
}

/* A delta callback's data when someone listens to "output-delta"; %NULL,
 * for no streaming, otherwise. */
VdWorkflowDelta *
_vd_workflow_delta_new (VdWorkflow *self,
                        const char *queue,
                        const char *task_id)
{
  VdWorkflowDelta *delta;

  if (!g_signal_has_handler_pending (self, signals[OUTPUT_DELTA], 0, TRUE))
    return NULL;

  delta = g_new0 (VdWorkflowDelta, 1);
  delta->self = g_object_ref (self);
  delta->queue = g_strdup (queue);
  delta->task_id = g_strdup (task_id);

  return delta;
}

void
_vd_workflow_delta_func (const char *text,
                         gpointer    user_data)
{
  VdWorkflowDelta *delta = user_data;

  g_signal_emit (delta->self, signals[OUTPUT_DELTA], 0, delta->queue, delta->task_id, text);
}

void
_vd_workflow_delta_free (gpointer data)
{
  VdWorkflowDelta *delta = data;

  g_object_unref (delta->self);
  g_free (delta->queue);
  g_free (delta->task_id);
  g_free (delta);
}

void
_vd_workflow_emit_item_stored (VdWorkflow *self,
                               VdItem     *item)
{
  g_signal_emit (self, signals[ITEM_STORED], 0, item);
}

void
_vd_workflow_emit_revision_started (VdWorkflow *self,
                                    const char *queue,
                                    const char *task_id)
{
  g_signal_emit (self, signals[REVISION_STARTED], 0, queue, task_id);
}

void
_vd_workflow_emit_revision_finished (VdWorkflow   *self,
                                     const char   *queue,
                                     const char   *task_id,
                                     const GError *error)
{
  g_signal_emit (self, signals[REVISION_FINISHED], 0, queue, task_id, error);
}

/* The policy decides the agent's outputs as the importer decides items
 * without a reason; an item that has one (an agent error) keeps it. */
static void
apply_policy (VdPolicy *policy,
              VdItem   *item)
{
  g_autoptr(VdPolicyResult) result = NULL;

  if (vd_item_get_escalation_reason (item) != VD_ESCALATION_REASON_NONE)
    return;

  result = vd_policy_check_item (policy, item);

  if (result->escalate)
    vd_item_set_escalation_reason (item, result->reason);
  else
    vd_item_set_status (item, VD_TASK_STATUS_APPROVED);

  vd_item_set_escalation_detail (item, result->explanation != NULL ? result->explanation : "");
}

/* Applies the policy to @item, stores it through the import path (a new
 * item, or a newer revision: the store keeps the old one with its feedback
 * and audits both) and reads it back. */
VdItem *
_vd_workflow_store_item (VdStore     *store,
                         VdPolicy    *policy,
                         VdItem      *item,
                         GError     **error)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new ();
  VdImportResult result = { 0 };

  apply_policy (policy, item);
  /* A queued output gets the deadline of its type, from now. */
  if (vd_item_get_status (item) != VD_TASK_STATUS_APPROVED)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

      vd_policy_assign_due_at (policy, item, now);
    }
  g_ptr_array_add (items, item);

  if (!vd_store_import_items (store, VD_WORKFLOW_SOURCE, items, &result, NULL, NULL, NULL, error))
    return NULL;

  /* Skipped: someone stored this revision first. */
  if (result.skipped > 0)
    {
      g_set_error (error, VD_WORKFLOW_ERROR, VD_WORKFLOW_ERROR_CHANGED,
                   "Revision %d of task %s in queue %s was stored by someone else meanwhile",
                   vd_item_get_revision (item), vd_item_get_task_id (item),
                   vd_item_get_queue (item));
      return NULL;
    }

  return vd_store_get_item (store, vd_item_get_queue (item), vd_item_get_task_id (item), error);
}

gboolean
_vd_workflow_append_agent_event (VdStore     *store,
                                 const char  *event_type,
                                 VdItem      *item,
                                 JsonObject  *payload,
                                 GError     **error)
{
  g_autoptr(VdAuditEvent) event = NULL;

  event = vd_audit_event_new (VD_AUDIT_ACTOR_AGENT, event_type, vd_item_get_queue (item),
                              vd_item_get_task_id (item), payload);

  return vd_store_append_audit (store, event, error);
}

static const char *
llm_error_name (const GError *error)
{
  static const char * const names[] = {
    [VD_LLM_ERROR_UNREACHABLE] = "unreachable",
    [VD_LLM_ERROR_TIMEOUT] = "timeout",
    [VD_LLM_ERROR_RATE_LIMITED] = "rate_limited",
    [VD_LLM_ERROR_SERVER_ERROR] = "server_error",
    [VD_LLM_ERROR_BAD_RESPONSE] = "bad_response",
    [VD_LLM_ERROR_REFUSED] = "refused",
    [VD_LLM_ERROR_UNAUTHORIZED] = "unauthorized",
    [VD_LLM_ERROR_BAD_REQUEST] = "bad_request",
    [VD_LLM_ERROR_INVALID_ENDPOINT] = "invalid_endpoint",
    [VD_LLM_ERROR_CREDENTIALS] = "credentials_in_url",
    [VD_LLM_ERROR_INSECURE] = "insecure",
  };

  if (error->domain == VD_LLM_ERROR && error->code >= 0 &&
      (gsize) error->code < G_N_ELEMENTS (names))
    return names[error->code];

  return "failed";
}

/* The payload of an "agent_error" event. */
JsonObject *
_vd_workflow_error_payload (const char   *operation,
                            VdItem       *item,
                            const GError *agent_error,
                            const char   *model)
{
  JsonObject *payload = json_object_new ();
  g_autofree char *message = vd_llm_redact_text (agent_error->message);

  json_object_set_string_member (payload, "operation", operation);
  json_object_set_int_member (payload, "revision", vd_item_get_revision (item));
  json_object_set_string_member (payload, "error", llm_error_name (agent_error));
  /* The trail is append-only: what it takes cannot be taken back. */
  json_object_set_string_member (payload, "message", message);
  json_object_set_string_member (payload, "model", model != NULL ? model : "");

  return payload;
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

static Counter *
get_counter (VdWorkflow *self,
             const char *queue)
{
  Counter *counter = g_hash_table_lookup (self->counters, queue);

  if (counter == NULL)
    {
      counter = g_new0 (Counter, 1);
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
  Counter *counter;

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
  Counter *counter;

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
assign_id (Counter   *counter,
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
  Counter *counter = g_hash_table_lookup (self->counters, first_job->queue);
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

  g_signal_emit (self, signals[TASK_STARTED], 0, job->queue, job->task_id);
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
                       Counter    *counter);

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
  Counter *counter = g_hash_table_lookup (self->counters, job->queue);

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
  Counter *counter = g_hash_table_lookup (self->counters, job->queue);
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
          g_signal_emit (self, signals[QUEUE_FULL], 0, job->queue, job->pending, job->limit);
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
           Counter    *counter)
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
  Counter *counter;

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
  g_signal_emit (self, signals[ITEM_STORED], 0, stored);
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
  Counter *counter;

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

/* GObject */

static void
vd_workflow_dispose (GObject *object)
{
  VdWorkflow *self = VD_WORKFLOW (object);

  g_clear_object (&self->agent);
  g_clear_object (&self->client);
  g_clear_object (&self->policy);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (vd_workflow_parent_class)->dispose (object);
}

static void
vd_workflow_finalize (GObject *object)
{
  VdWorkflow *self = VD_WORKFLOW (object);

  g_hash_table_unref (self->counters);
  g_hash_table_unref (self->revising);

  G_OBJECT_CLASS (vd_workflow_parent_class)->finalize (object);
}

static void
vd_workflow_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  VdWorkflow *self = VD_WORKFLOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_POLICY:
      g_value_set_object (value, self->policy);
      break;

    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;

    case PROP_UNREACHABLE:
      g_value_set_boolean (value, self->unreachable);
      break;

    case PROP_N_RUNNING:
      g_value_set_uint (value, self->n_running);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vd_workflow_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  VdWorkflow *self = VD_WORKFLOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;

    case PROP_POLICY:
      vd_workflow_set_policy (self, g_value_get_object (value));
      break;

    case PROP_CLIENT:
      vd_workflow_set_client (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vd_workflow_constructed (GObject *object)
{
  VdWorkflow *self = VD_WORKFLOW (object);

  G_OBJECT_CLASS (vd_workflow_parent_class)->constructed (object);

  g_assert (VD_IS_STORE (self->store));

  if (self->policy == NULL)
    self->policy = vd_policy_new ();
}

static void
vd_workflow_class_init (VdWorkflowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = vd_workflow_constructed;
  object_class->dispose = vd_workflow_dispose;
  object_class->finalize = vd_workflow_finalize;
  object_class->get_property = vd_workflow_get_property;
  object_class->set_property = vd_workflow_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         VD_TYPE_STORE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * VdWorkflow:policy:
   *
   * The escalation policy for the agent's outputs. Operations already
   * running keep the policy they started with.
   */
  properties[PROP_POLICY] =
    g_param_spec_object ("policy", NULL, NULL,
                         VD_TYPE_POLICY,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * VdWorkflow:client:
   *
   * The model endpoint, or %NULL when none is configured (offline review).
   * Operations already running keep the client they started with.
   */
  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL,
                         VD_TYPE_LLM_CLIENT,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * VdWorkflow:unreachable:
   *
   * Whether the last agent call could not reach the endpoint; any answer
   * from it, or a new client, clears it.
   */
  properties[PROP_UNREACHABLE] =
    g_param_spec_boolean ("unreachable", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * VdWorkflow:n-running:
   *
   * How many agent calls of this workflow are running or waiting in the
   * client's queue.
   */
  properties[PROP_N_RUNNING] =
    g_param_spec_uint ("n-running", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * VdWorkflow::task-started:
   * @self: the workflow
   * @queue: the queue
   * @task_id: the task id, generated or given
   *
   * The task agent starts on a submitted task.
   */
  signals[TASK_STARTED] =
    g_signal_new ("task-started",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);

  /**
   * VdWorkflow::output-delta:
   * @self: the workflow
   * @queue: the item's queue
   * @task_id: the item's task id
   * @delta: the text that just arrived
   *
   * The agent's answer as it streams in, for a task or a revision. Calls
   * stream only while a handler is connected when they start.
   */
  signals[OUTPUT_DELTA] =
    g_signal_new ("output-delta",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING);

  /**
   * VdWorkflow::item-stored:
   * @self: the workflow
   * @item: the item as stored
   *
   * A new item or a new revision was stored (auto-approved or queued).
   */
  signals[ITEM_STORED] =
    g_signal_new ("item-stored",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, VD_TYPE_ITEM);

  /**
   * VdWorkflow::revision-started:
   * @self: the workflow
   * @queue: the item's queue
   * @task_id: the item's task id
   *
   * The reviser starts on an item awaiting revision.
   */
  signals[REVISION_STARTED] =
    g_signal_new ("revision-started",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);

  /**
   * VdWorkflow::revision-finished:
   * @self: the workflow
   * @queue: the item's queue
   * @task_id: the item's task id
   * @error: (nullable): why it failed; %NULL when the revision was stored
   *
   * The reviser is done with an item.
   */
  signals[REVISION_FINISHED] =
    g_signal_new ("revision-finished",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_ERROR);

  /**
   * VdWorkflow::queue-full:
   * @self: the workflow
   * @queue: the queue
   * @pending: its undecided items, with the submissions on their way
   * @limit: its max_pending
   *
   * A submission for @queue waits because the queue is at its limit and
   * its policy says pause_agent (vd_backpressure_describe_pause() words
   * it). Emitted once until a submission for the queue passes again.
   * Submissions wait in order and are counted again every two seconds; with
   * on_full refuse they fail with %VD_BACKPRESSURE_ERROR_QUEUE_FULL instead.
   */
  signals[QUEUE_FULL] =
    g_signal_new ("queue-full",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_UINT64, G_TYPE_UINT);
}

/* Shared with the tests through vd-workflow-private.h */
void
_vd_workflow_set_backpressure_interval (VdWorkflow *self,
                                        guint       interval_ms)
{
  g_return_if_fail (VD_IS_WORKFLOW (self));
  g_return_if_fail (interval_ms > 0);

  self->backpressure_interval_ms = interval_ms;
}

static void
vd_workflow_init (VdWorkflow *self)
{
  self->backpressure_interval_ms = BACKPRESSURE_INTERVAL_MS;
  self->counters = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify) counter_free);
  self->revising = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

/**
 * vd_workflow_new:
 * @store: where items, decisions and the trail live
 * @policy: (nullable): the escalation policy; %NULL for vd_policy_new()
 * @client: (nullable): the model endpoint; %NULL when none is configured
 *
 * Returns: (transfer full): a new #VdWorkflow
 */
VdWorkflow *
vd_workflow_new (VdStore     *store,
                 VdPolicy    *policy,
                 VdLlmClient *client)
{
  g_return_val_if_fail (VD_IS_STORE (store), NULL);
  g_return_val_if_fail (policy == NULL || VD_IS_POLICY (policy), NULL);
  g_return_val_if_fail (client == NULL || VD_IS_LLM_CLIENT (client), NULL);

  return g_object_new (VD_TYPE_WORKFLOW,
                       "store", store,
                       "policy", policy,
                       "client", client,
                       NULL);
}

/**
 * vd_workflow_get_store:
 * @self: a #VdWorkflow
 *
 * Returns: (transfer none): the store
 */
VdStore *
vd_workflow_get_store (VdWorkflow *self)
{
  g_return_val_if_fail (VD_IS_WORKFLOW (self), NULL);

  return self->store;
}

/**
 * vd_workflow_get_policy:
 * @self: a #VdWorkflow
 *
 * Returns: (transfer none): the escalation policy
 */
VdPolicy *
vd_workflow_get_policy (VdWorkflow *self)
{
  g_return_val_if_fail (VD_IS_WORKFLOW (self), NULL);

  return self->policy;
}

/**
 * vd_workflow_set_policy:
 * @self: a #VdWorkflow
 * @policy: (nullable): the escalation policy; %NULL for vd_policy_new()
 */
void
vd_workflow_set_policy (VdWorkflow *self,
                        VdPolicy   *policy)
{
  g_autoptr(VdPolicy) fallback = NULL;

  g_return_if_fail (VD_IS_WORKFLOW (self));
  g_return_if_fail (policy == NULL || VD_IS_POLICY (policy));

  if (policy == NULL)
    policy = fallback = vd_policy_new ();

  if (g_set_object (&self->policy, policy))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POLICY]);
}

/**
 * vd_workflow_get_client:
 * @self: a #VdWorkflow
 *
 * Returns: (transfer none) (nullable): the client, %NULL when offline
 */
VdLlmClient *
vd_workflow_get_client (VdWorkflow *self)
{
  g_return_val_if_fail (VD_IS_WORKFLOW (self), NULL);

  return self->client;
}

/**
 * vd_workflow_set_client:
 * @self: a #VdWorkflow
 * @client: (nullable): the model endpoint; %NULL when none is configured
 *
 * Changes the endpoint for the operations started from now on.
 */
void
vd_workflow_set_client (VdWorkflow  *self,
                        VdLlmClient *client)
{
  g_return_if_fail (VD_IS_WORKFLOW (self));
  g_return_if_fail (client == NULL || VD_IS_LLM_CLIENT (client));

  if (!g_set_object (&self->client, client))
    return;

  g_clear_object (&self->agent);
  if (client != NULL)
    self->agent = vd_agent_new (client);

  set_unreachable (self, FALSE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
}

/**
 * vd_workflow_get_unreachable:
 * @self: a #VdWorkflow
 *
 * Returns: whether the last agent call could not reach the endpoint
 */
gboolean
vd_workflow_get_unreachable (VdWorkflow *self)
{
  g_return_val_if_fail (VD_IS_WORKFLOW (self), FALSE);

  return self->unreachable;
}

/**
 * vd_workflow_is_revising:
 * @self: a #VdWorkflow
 * @queue: the item's queue
 * @task_id: the item's task id
 *
 * Returns: whether the reviser is working on the item now
 */
gboolean
vd_workflow_is_revising (VdWorkflow *self,
                         const char *queue,
                         const char *task_id)
{
  g_autofree char *key = NULL;

  g_return_val_if_fail (VD_IS_WORKFLOW (self), FALSE);
  g_return_val_if_fail (queue != NULL, FALSE);
  g_return_val_if_fail (task_id != NULL, FALSE);

  key = _vd_workflow_item_key (queue, task_id);
  return g_hash_table_contains (self->revising, key);
}

/**
 * vd_workflow_get_n_running:
 * @self: a #VdWorkflow
 *
 * Returns: how many agent calls are running or waiting
 */
guint
vd_workflow_get_n_running (VdWorkflow *self)
{
  g_return_val_if_fail (VD_IS_WORKFLOW (self), 0);

  return self->n_running;
}
