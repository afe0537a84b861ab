/* vd-workflow-advice.c: second opinions and decision support for reviewers
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

#include "vd-agent-private.h"
#include "vd-item.h"
#include "vd-store.h"
#include "vd-workflow.h"
#include "vd-workflow-private.h"

/* What vd_workflow_assist_async() tells decision support about an item.
 * The prompts proper are resources of the agents; this only lays out the
 * item's fields. */
static const char assist_situation[] =
  "A human reviewer must decide what happens to an AI agent's output before "
  "it is used.\n"
  "\n"
  "Task type: {{task_type}}\n"
  "\n"
  "Task:\n"
  "{{task_description}}\n"
  "\n"
  "Context:\n"
  "{{context}}\n"
  "\n"
  "The agent's output (revision {{revision}}):\n"
  "{{content}}\n"
  "\n"
  "The agent's confidence: {{confidence}}\n"
  "The agent's reasoning: {{reasoning}}\n"
  "Why a human must look at it: {{reason}} ({{detail}})";

/* The reviewer's options, in the decisions' wire names. */
static const char * const assist_options[] = {
  "approve: use the output as it is",
  "reject: send it back to the agent with feedback to revise it",
  "modify: correct the output by hand and use the corrected text",
  "escalate_further: hand the decision to a more senior reviewer",
  NULL
};

static JsonArray *
strv_to_array (char **strv)
{
  JsonArray *array = json_array_new ();

  for (guint i = 0; strv != NULL && strv[i] != NULL; i++)
    json_array_add_string_element (array, strv[i]);

  return array;
}

typedef struct
{
  VdStore           *store;
  VdItem            *item;
  char              *model;
  const char        *operation;
  double             confidence;
  char              *reasoning;
  VdDecisionSupport *support;
  GError            *agent_error;
} AdviceJob;

static void
advice_job_free (AdviceJob *job)
{
  g_clear_object (&job->store);
  g_clear_object (&job->item);
  g_free (job->model);
  g_free (job->reasoning);
  g_clear_pointer (&job->support, vd_decision_support_free);
  g_clear_error (&job->agent_error);
  g_free (job);
}

static GTask *
advice_task_new (VdWorkflow          *self,
                 VdItem              *item,
                 const char          *operation,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data,
                 gpointer             source_tag)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  AdviceJob *job;

  g_task_set_source_tag (task, source_tag);

  job = g_new0 (AdviceJob, 1);
  job->store = g_object_ref (self->store);
  /* A copy: the caller may change its item meanwhile. */
  job->item = vd_item_copy (item);
  job->operation = operation;
  if (self->client != NULL)
    job->model = g_strdup (vd_llm_client_get_model (self->client));
  g_task_set_task_data (task, job, (GDestroyNotify) advice_job_free);

  return task;
}

/* Records the advice, or the agent's failure to give it (worker). */
static void
advice_record_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  AdviceJob *job = task_data;
  g_autoptr(JsonObject) payload = NULL;
  const char *event_type;
  GError *error = NULL;

  if (job->agent_error != NULL)
    {
      payload = _vd_workflow_error_payload (job->operation, job->item, job->agent_error,
                                            job->model);
      event_type = VD_AUDIT_AGENT_ERROR;
    }
  else if (job->support != NULL)
    {
      VdDecisionSupport *support = job->support;

      payload = json_object_new ();
      json_object_set_int_member (payload, "revision", vd_item_get_revision (job->item));
      json_object_set_string_member (payload, "recommendation", support->recommendation);
      json_object_set_double_member (payload, "confidence", support->confidence);
      json_object_set_array_member (payload, "options", strv_to_array (support->options));
      json_object_set_string_member (payload, "analysis", support->analysis);
      json_object_set_array_member (payload, "risks", strv_to_array (support->risks));
      json_object_set_array_member (payload, "considerations",
                                    strv_to_array (support->considerations));
      json_object_set_string_member (payload, "model", job->model);
      event_type = VD_AUDIT_ASSIST;
    }
  else
    {
      payload = json_object_new ();
      json_object_set_int_member (payload, "revision", vd_item_get_revision (job->item));
      json_object_set_double_member (payload, "confidence", job->confidence);
      json_object_set_double_member (payload, "agent_confidence",
                                     vd_item_get_confidence (job->item));
      json_object_set_string_member (payload, "reasoning", job->reasoning);
      json_object_set_string_member (payload, "model", job->model);
      event_type = VD_AUDIT_SECOND_OPINION;
    }

  if (!_vd_workflow_append_agent_event (job->store, event_type, job->item, payload, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
on_advice_recorded (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  AdviceJob *job = g_task_get_task_data (task);
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (job->agent_error != NULL)
        {
          g_warning ("Could not record the agent error on %s/%s: %s",
                     vd_item_get_queue (job->item), vd_item_get_task_id (job->item),
                     error->message);
          g_error_free (error);
        }
      else
        {
          /* Advice shown to a reviewer must be in the trail. */
          g_prefix_error (&error, "The agent's %s could not be recorded: ",
                          job->operation);
          g_task_return_error (task, error);
          return;
        }
    }

  if (job->agent_error != NULL)
    g_task_return_error (task, g_steal_pointer (&job->agent_error));
  else
    g_task_return_boolean (task, TRUE);
}

/* After the agent: record what came of it, unless cancelled. */
static void
advice_record (GTask  *task,
               GError *error)
{
  VdWorkflow *self = g_task_get_source_object (task);
  AdviceJob *job = g_task_get_task_data (task);

  _vd_workflow_agent_finished (self, error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  job->agent_error = error;
  _vd_workflow_run_step (self, task, advice_record_thread, on_advice_recorded);
  g_object_unref (task);
}

static void
on_evaluate_done (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GTask *task = user_data;
  AdviceJob *job = g_task_get_task_data (task);
  GError *error = NULL;

  vd_agent_evaluate_confidence_finish (VD_AGENT (object), result, &job->confidence,
                                       &job->reasoning, &error);
  advice_record (task, error);
}

/**
 * vd_workflow_second_opinion_async:
 * @self: a #VdWorkflow
 * @item: the item, at the revision to judge
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the result
 * @user_data: data for @callback
 *
 * Asks the confidence evaluator how confident one should be in the item's
 * output, and records the answer as a `second_opinion` audit event by the
 * actor `agent` (a failure as `agent_error`).
 */
void
vd_workflow_second_opinion_async (VdWorkflow          *self,
                                  VdItem              *item,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  GTask *task;
  GError *error = NULL;

  g_return_if_fail (VD_IS_WORKFLOW (self));
  g_return_if_fail (VD_IS_ITEM (item));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = advice_task_new (self, item, "second_opinion", cancellable, callback, user_data,
                          vd_workflow_second_opinion_async);

  if (!_vd_workflow_check_online (self, "no second opinion can be asked for", &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  _vd_workflow_agent_started (self);
  vd_agent_evaluate_confidence_async (self->agent, vd_item_get_task_description (item),
                                      vd_item_get_task_type (item), vd_item_get_context (item),
                                      vd_item_get_content (item), cancellable,
                                      on_evaluate_done, task);
}

/**
 * vd_workflow_second_opinion_finish:
 * @self: a #VdWorkflow
 * @result: the result given to the callback
 * @confidence: (out) (optional): the evaluator's confidence, 0..1
 * @reasoning: (out) (optional) (transfer full): its grounds
 * @error: return location for a #GError
 *
 * Returns: %TRUE if the second opinion was given and recorded
 */
gboolean
vd_workflow_second_opinion_finish (VdWorkflow    *self,
                                   GAsyncResult  *result,
                                   double        *confidence,
                                   char         **reasoning,
                                   GError       **error)
{
  AdviceJob *job;

  g_return_val_if_fail (VD_IS_WORKFLOW (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        vd_workflow_second_opinion_async, FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;

  job = g_task_get_task_data (G_TASK (result));
  if (confidence != NULL)
    *confidence = job->confidence;
  if (reasoning != NULL)
    *reasoning = g_strdup (job->reasoning);

  return TRUE;
}

static void
on_support_done (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  AdviceJob *job = g_task_get_task_data (task);
  GError *error = NULL;

  job->support = vd_agent_decision_support_finish (VD_AGENT (object), result, &error);
  advice_record (task, error);
}

static char *
dup_situation (VdItem *item)
{
  char confidence[G_ASCII_DTOSTR_BUF_SIZE];
  g_autofree char *revision = g_strdup_printf ("%d", vd_item_get_revision (item));
  VdEscalationReason reason = vd_item_get_escalation_reason (item);
  const char *detail = vd_item_get_escalation_detail (item);

  g_ascii_formatd (confidence, sizeof confidence, "%.2f", vd_item_get_confidence (item));

  return _vd_agent_render (assist_situation,
                           "task_type", vd_item_get_task_type (item),
                           "task_description", vd_item_get_task_description (item),
                           "context", vd_item_get_context (item),
                           "revision", revision,
                           "content", vd_item_get_content (item),
                           "confidence", confidence,
                           "reasoning", vd_item_get_reasoning (item),
                           "reason", reason != VD_ESCALATION_REASON_NONE ?
                                     vd_escalation_reason_to_string (reason) : "none",
                           "detail", detail != NULL && detail[0] != '\0' ? detail : "no detail",
                           NULL);
}

/**
 * vd_workflow_assist_async:
 * @self: a #VdWorkflow
 * @item: the item, at the revision to decide
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the result
 * @user_data: data for @callback
 *
 * Asks decision support about the item: the reviewer's options (approve,
 * reject, modify, escalate further), their pros and cons, risks,
 * considerations and a recommendation. The answer is recorded as an
 * `assist` audit event by the actor `agent` (a failure as `agent_error`).
 * The decision stays the reviewer's.
 */
void
vd_workflow_assist_async (VdWorkflow          *self,
                          VdItem              *item,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autofree char *situation = NULL;
  GError *error = NULL;
  GTask *task;

  g_return_if_fail (VD_IS_WORKFLOW (self));
  g_return_if_fail (VD_IS_ITEM (item));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = advice_task_new (self, item, "assist", cancellable, callback, user_data,
                          vd_workflow_assist_async);

  if (!_vd_workflow_check_online (self, "no decision support can be asked for", &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  situation = dup_situation (item);
  _vd_workflow_agent_started (self);
  vd_agent_decision_support_async (self->agent, situation, assist_options, cancellable,
                                   on_support_done, task);
}

/**
 * vd_workflow_assist_finish:
 * @self: a #VdWorkflow
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the decision support, recorded in the trail
 */
VdDecisionSupport *
vd_workflow_assist_finish (VdWorkflow    *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  AdviceJob *job;

  g_return_val_if_fail (VD_IS_WORKFLOW (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == vd_workflow_assist_async,
                        NULL);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return NULL;

  job = g_task_get_task_data (G_TASK (result));
  return g_steal_pointer (&job->support);
}
