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

#include "vd-audit-event.h"
#include "vd-item.h"
#include "vd-policy.h"
#include "vd-store.h"
#include "vd-workflow.h"
#include "vd-workflow-private.h"

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

struct _VdWorkflowDelta
{
  VdWorkflow *self;
  char       *queue;
  char       *task_id;
};

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
_vd_workflow_emit_task_started (VdWorkflow *self,
                                const char *queue,
                                const char *task_id)
{
  g_signal_emit (self, signals[TASK_STARTED], 0, queue, task_id);
}

void
_vd_workflow_emit_queue_full (VdWorkflow *self,
                              const char *queue,
                              guint64     pending,
                              guint       limit)
{
  g_signal_emit (self, signals[QUEUE_FULL], 0, queue, pending, limit);
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

  vd_item_set_reviews_required (item, vd_policy_get_reviews_required (policy, item));

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
                                          (GDestroyNotify) _vd_workflow_counter_free);
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
