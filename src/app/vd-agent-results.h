/* vd-agent-results.h
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

#include <adwaita.h>

#include "vd-agent.h"
#include "vd-item-detail.h"

G_BEGIN_DECLS

#define VD_TYPE_AGENT_RESULTS (vd_agent_results_get_type ())

/*
 * The "Second Opinion" and "Decision Support" sections of the item detail
 * pane. Use it through the vd_item_detail_set_second_opinion() family.
 */
G_DECLARE_FINAL_TYPE (VdAgentResults, vd_agent_results, VD, AGENT_RESULTS, GtkWidget)

GtkWidget *vd_agent_results_new                (void);
void       vd_agent_results_set_agent_confidence (VdAgentResults          *self,
                                                  double                   confidence,
                                                  double                   threshold);
void       vd_agent_results_set_second_opinion (VdAgentResults          *self,
                                                const VdAgentOutput     *opinion);
void       vd_agent_results_set_assist         (VdAgentResults          *self,
                                                const VdDecisionSupport *support);
void       vd_agent_results_set_busy           (VdAgentResults          *self,
                                                VdAgentRequest           kind,
                                                gboolean                 busy);
gboolean   vd_agent_results_get_busy           (VdAgentResults          *self,
                                                VdAgentRequest           kind);
void       vd_agent_results_set_error          (VdAgentResults          *self,
                                                VdAgentRequest           kind,
                                                const char              *message);
void       vd_agent_results_clear              (VdAgentResults          *self);

G_END_DECLS
