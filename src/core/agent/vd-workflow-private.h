/* vd-workflow-private.h
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

#include "vd-workflow.h"

G_BEGIN_DECLS

/* Items read per store call when walking a listing. */
#define VD_WORKFLOW_BATCH 1000

/* vd-workflow.c holds the object, vd-workflow-submit.c submission and the
 * backpressure gate, vd-workflow-revise.c the reviser, vd-workflow-advice.c
 * the second opinion and decision support, vd-workflow-inputs.c the inputs
 * files. */
struct _VdWorkflow
{
  GObject      parent_instance;

  VdStore     *store;
  VdPolicy    *policy;
  VdLlmClient *client;
  VdAgent     *agent;      /* for client; NULL when offline */

  GHashTable  *counters;   /* queue -> task id counter */
  GHashTable  *revising;   /* item key -> NULL: revisions running */
  guint        n_running;
  gboolean     unreachable;
  guint        backpressure_interval_ms;  /* how often a full queue is counted again */
};

/* The deltas of one streamed agent call, emitted as "output-delta". */
typedef struct _VdWorkflowCounter VdWorkflowCounter;
typedef struct _VdWorkflowDelta VdWorkflowDelta;

/* For tests: how often a queue that is full (pause_agent) is counted again
 * while new inputs wait; 2000 ms by default. */
void             _vd_workflow_set_backpressure_interval (VdWorkflow       *self,
                                                      guint                interval_ms);

void             _vd_workflow_counter_free           (VdWorkflowCounter   *counter);

char            *_vd_workflow_item_key               (const char          *queue,
                                                      const char          *task_id);
gboolean         _vd_workflow_check_online           (VdWorkflow          *self,
                                                      const char          *what,
                                                      GError             **error);
void             _vd_workflow_run_step               (VdWorkflow          *self,
                                                      GTask               *outer,
                                                      GTaskThreadFunc      func,
                                                      GAsyncReadyCallback  done);
void             _vd_workflow_agent_started          (VdWorkflow          *self);
void             _vd_workflow_agent_finished         (VdWorkflow          *self,
                                                      const GError        *error);

VdWorkflowDelta *_vd_workflow_delta_new              (VdWorkflow          *self,
                                                      const char          *queue,
                                                      const char          *task_id);
void             _vd_workflow_delta_func             (const char          *delta,
                                                      gpointer             user_data);
void             _vd_workflow_delta_free             (gpointer             data);

void             _vd_workflow_emit_item_stored       (VdWorkflow          *self,
                                                      VdItem              *item);
void             _vd_workflow_emit_task_started      (VdWorkflow          *self,
                                                      const char          *queue,
                                                      const char          *task_id);
void             _vd_workflow_emit_queue_full        (VdWorkflow          *self,
                                                      const char          *queue,
                                                      guint64              pending,
                                                      guint                limit);
void             _vd_workflow_emit_revision_started  (VdWorkflow          *self,
                                                      const char          *queue,
                                                      const char          *task_id);
void             _vd_workflow_emit_revision_finished (VdWorkflow          *self,
                                                      const char          *queue,
                                                      const char          *task_id,
                                                      const GError        *error);

/* Worker thread only. */
VdItem          *_vd_workflow_store_item             (VdStore             *store,
                                                      VdPolicy            *policy,
                                                      VdItem              *item,
                                                      GError             **error);
gboolean         _vd_workflow_append_agent_event     (VdStore             *store,
                                                      const char          *event_type,
                                                      VdItem              *item,
                                                      JsonObject          *payload,
                                                      GError             **error);
JsonObject      *_vd_workflow_error_payload          (const char          *operation,
                                                      VdItem              *item,
                                                      const GError        *agent_error,
                                                      const char          *model);

G_END_DECLS
