/* vd-workflow.h
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

#pragma once

#include <gio/gio.h>

#include "vd-agent.h"
#include "vd-llm-client.h"
#include "vd-types.h"

G_BEGIN_DECLS

#define VD_WORKFLOW_ERROR (vd_workflow_error_quark ())

/**
 * VdWorkflowError:
 * @VD_WORKFLOW_ERROR_OFFLINE: no model endpoint is configured; nothing was
 *   run and nothing changed
 * @VD_WORKFLOW_ERROR_NOT_AWAITING_REVISION: the item is not rejected, or its
 *   latest decision is not a reject with feedback
 * @VD_WORKFLOW_ERROR_BUSY: the agent is already revising the item
 * @VD_WORKFLOW_ERROR_EXISTS: the task id is already taken in the queue
 * @VD_WORKFLOW_ERROR_CHANGED: the item changed (a decision was retracted,
 *   another revision arrived) while the agent worked; its answer was dropped
 * @VD_WORKFLOW_ERROR_INVALID_INPUT: a line of an inputs file is invalid; the
 *   message names file:line: field
 *
 * Errors of #VdWorkflow. Errors of the model keep their #VdLlmError, of the
 * store their #VdStoreError.
 */
typedef enum
{
  VD_WORKFLOW_ERROR_OFFLINE,
  VD_WORKFLOW_ERROR_NOT_AWAITING_REVISION,
  VD_WORKFLOW_ERROR_BUSY,
  VD_WORKFLOW_ERROR_EXISTS,
  VD_WORKFLOW_ERROR_CHANGED,
  VD_WORKFLOW_ERROR_INVALID_INPUT,
} VdWorkflowError;

/* The audit trail's actor and event types for the agent. */
#define VD_AUDIT_ACTOR_AGENT     "agent"
#define VD_AUDIT_AGENT_ERROR     "agent_error"     /* an agent failed on an item */
#define VD_AUDIT_SECOND_OPINION  "second_opinion"  /* the confidence evaluator judged an item */
#define VD_AUDIT_ASSIST          "assist"          /* decision support for an item */

/* The source named in the import events of the agent's items. */
#define VD_WORKFLOW_SOURCE       "agent"

/**
 * VdTaskInput:
 * @task_id: (nullable): the task id, or %NULL to have one generated
 * @task_description: what the agent is to do
 * @task_type: the kind of task (never %NULL, maybe empty)
 * @context: background for the task (never %NULL, maybe empty)
 * @line: the line of the inputs file it came from, 0 for none
 *
 * One task for the agent.
 */
typedef struct
{
  char  *task_id;
  char  *task_description;
  char  *task_type;
  char  *context;
  guint  line;
} VdTaskInput;

/**
 * VdWorkflowResult:
 * @queue: the item's queue
 * @task_id: the item's task id
 * @item: (nullable): the item as stored, %NULL on failure
 * @error: (nullable): why it failed, %NULL on success
 *
 * The outcome of the agent's work on one item, from
 * vd_workflow_revise_all_finish().
 */
typedef struct
{
  char    *queue;
  char    *task_id;
  VdItem  *item;
  GError  *error;
} VdWorkflowResult;

#define VD_TYPE_TASK_INPUT      (vd_task_input_get_type ())
#define VD_TYPE_WORKFLOW_RESULT (vd_workflow_result_get_type ())
#define VD_TYPE_WORKFLOW        (vd_workflow_get_type ())

G_DECLARE_FINAL_TYPE (VdWorkflow, vd_workflow, VD, WORKFLOW, GObject)

GQuark            vd_workflow_error_quark            (void);

GType             vd_task_input_get_type             (void) G_GNUC_CONST;
VdTaskInput      *vd_task_input_new                  (const char           *task_id,
                                                      const char           *task_description,
                                                      const char           *task_type,
                                                      const char           *context);
VdTaskInput      *vd_task_input_copy                 (const VdTaskInput    *input);
void              vd_task_input_free                 (VdTaskInput          *input);

GPtrArray        *vd_task_inputs_read_file           (GFile                *file,
                                                      char                **queue,
                                                      GCancellable         *cancellable,
                                                      GError              **error);
GPtrArray        *vd_task_inputs_read_data           (const char           *data,
                                                      gsize                 length,
                                                      const char           *display_name,
                                                      char                **queue,
                                                      GError              **error);

GType             vd_workflow_result_get_type        (void) G_GNUC_CONST;
VdWorkflowResult *vd_workflow_result_copy            (const VdWorkflowResult *result);
void              vd_workflow_result_free            (VdWorkflowResult     *result);

VdWorkflow       *vd_workflow_new                    (VdStore              *store,
                                                      VdPolicy             *policy,
                                                      VdLlmClient          *client);

VdStore          *vd_workflow_get_store              (VdWorkflow           *self);
VdPolicy         *vd_workflow_get_policy             (VdWorkflow           *self);
void              vd_workflow_set_policy             (VdWorkflow           *self,
                                                      VdPolicy             *policy);
VdLlmClient      *vd_workflow_get_client             (VdWorkflow           *self);
void              vd_workflow_set_client             (VdWorkflow           *self,
                                                      VdLlmClient          *client);
gboolean          vd_workflow_get_unreachable        (VdWorkflow           *self);
gboolean          vd_workflow_is_revising            (VdWorkflow           *self,
                                                      const char           *queue,
                                                      const char           *task_id);
guint             vd_workflow_get_n_running          (VdWorkflow           *self);

void              vd_workflow_submit_async           (VdWorkflow           *self,
                                                      const char           *queue,
                                                      const char           *task_id,
                                                      const char           *task_description,
                                                      const char           *task_type,
                                                      const char           *context,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
VdItem           *vd_workflow_submit_finish          (VdWorkflow           *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);

void              vd_workflow_revise_async           (VdWorkflow           *self,
                                                      const char           *queue,
                                                      const char           *task_id,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
VdItem           *vd_workflow_revise_finish          (VdWorkflow           *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);

void              vd_workflow_revise_all_async       (VdWorkflow           *self,
                                                      const char           *queue,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
GPtrArray        *vd_workflow_revise_all_finish      (VdWorkflow           *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);

void              vd_workflow_second_opinion_async   (VdWorkflow           *self,
                                                      VdItem               *item,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
gboolean          vd_workflow_second_opinion_finish  (VdWorkflow           *self,
                                                      GAsyncResult         *result,
                                                      double               *confidence,
                                                      char                **reasoning,
                                                      GError              **error);

void              vd_workflow_assist_async           (VdWorkflow           *self,
                                                      VdItem               *item,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
VdDecisionSupport *vd_workflow_assist_finish         (VdWorkflow           *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VdTaskInput, vd_task_input_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VdWorkflowResult, vd_workflow_result_free)

G_END_DECLS
