/* vd-agent.h
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
#include <json-glib/json-glib.h>

#include "vd-llm-client.h"

G_BEGIN_DECLS

/**
 * VdAgentOutput:
 * @content: the output for the task
 * @confidence: the agent's confidence, 0..1
 * @reasoning: why the confidence is what it is (never %NULL, maybe empty)
 * @metadata: facts a policy rule may check (never %NULL, maybe empty)
 *
 * What the task agent or the reviser produced. It becomes an item revision
 * only in the workflow.
 */
typedef struct
{
  char       *content;
  double      confidence;
  char       *reasoning;
  JsonObject *metadata;
} VdAgentOutput;

/**
 * VdDecisionSupport:
 * @options: the options considered (never %NULL)
 * @analysis: pros and cons
 * @recommendation: the option recommended, and why
 * @confidence: confidence in the recommendation, 0..1
 * @risks: the risks named (never %NULL)
 * @considerations: what the reviewer should weigh (never %NULL)
 *
 * Decision support for a reviewer; the decision stays theirs.
 */
typedef struct
{
  GStrv   options;
  char   *analysis;
  char   *recommendation;
  double  confidence;
  GStrv   risks;
  GStrv   considerations;
} VdDecisionSupport;

#define VD_TYPE_AGENT_OUTPUT     (vd_agent_output_get_type ())
#define VD_TYPE_DECISION_SUPPORT (vd_decision_support_get_type ())
#define VD_TYPE_AGENT            (vd_agent_get_type ())

G_DECLARE_FINAL_TYPE (VdAgent, vd_agent, VD, AGENT, GObject)

GType              vd_agent_output_get_type              (void) G_GNUC_CONST;
VdAgentOutput     *vd_agent_output_new                   (const char           *content,
                                                          double                confidence,
                                                          const char           *reasoning,
                                                          JsonObject           *metadata);
VdAgentOutput     *vd_agent_output_copy                  (const VdAgentOutput  *output);
void               vd_agent_output_free                  (VdAgentOutput        *output);

GType              vd_decision_support_get_type          (void) G_GNUC_CONST;
VdDecisionSupport *vd_decision_support_copy              (const VdDecisionSupport *support);
void               vd_decision_support_free              (VdDecisionSupport    *support);

VdAgent           *vd_agent_new                          (VdLlmClient          *client);
VdLlmClient       *vd_agent_get_client                   (VdAgent              *self);

void               vd_agent_run_task_async               (VdAgent              *self,
                                                          const char           *task_description,
                                                          const char           *task_type,
                                                          const char           *context,
                                                          VdLlmDeltaFunc        delta_func,
                                                          gpointer              delta_data,
                                                          GDestroyNotify        delta_destroy,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
VdAgentOutput     *vd_agent_run_task_finish              (VdAgent              *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);

void               vd_agent_revise_async                 (VdAgent              *self,
                                                          const char           *task_description,
                                                          const char           *task_type,
                                                          const char           *context,
                                                          const VdAgentOutput  *previous,
                                                          const char           *feedback,
                                                          VdLlmDeltaFunc        delta_func,
                                                          gpointer              delta_data,
                                                          GDestroyNotify        delta_destroy,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
VdAgentOutput     *vd_agent_revise_finish                (VdAgent              *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);

void               vd_agent_evaluate_confidence_async    (VdAgent              *self,
                                                          const char           *task_description,
                                                          const char           *task_type,
                                                          const char           *context,
                                                          const char           *content,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
gboolean           vd_agent_evaluate_confidence_finish   (VdAgent              *self,
                                                          GAsyncResult         *result,
                                                          double               *confidence,
                                                          char                **reasoning,
                                                          GError              **error);

void               vd_agent_decision_support_async       (VdAgent              *self,
                                                          const char           *situation,
                                                          const char * const   *options,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
VdDecisionSupport *vd_agent_decision_support_finish      (VdAgent              *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VdAgentOutput, vd_agent_output_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VdDecisionSupport, vd_decision_support_free)

G_END_DECLS
