/* vd-agent-private.h
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

#include "vd-agent.h"

G_BEGIN_DECLS

#define VD_AGENT_PROMPTS_PATH "/io/github/verdict/Verdict/core/prompts/"

char              *_vd_agent_load_prompt       (const char   *name,
                                                GError      **error);
JsonObject        *_vd_agent_load_schema       (const char   *name,
                                                GError      **error);
char              *_vd_agent_render            (const char   *template_text,
                                                ...) G_GNUC_NULL_TERMINATED;

VdAgentOutput     *_vd_agent_output_parse      (JsonObject   *object,
                                                GError      **error);
gboolean           _vd_agent_assessment_parse  (JsonObject   *object,
                                                double       *confidence,
                                                char        **reasoning,
                                                GError      **error);
VdDecisionSupport *_vd_decision_support_parse  (JsonObject   *object,
                                                GError      **error);

G_END_DECLS
