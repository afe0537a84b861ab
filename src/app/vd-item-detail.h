/* vd-item-detail.h
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
#include "vd-core.h"

G_BEGIN_DECLS

/**
 * VdAgentRequest:
 * @VD_AGENT_REQUEST_SECOND_OPINION: the confidence evaluator's second look
 *   at the output
 * @VD_AGENT_REQUEST_ASSIST: decision support for the reviewer
 *
 * What the agent is asked about the item shown.
 */
typedef enum
{
  VD_AGENT_REQUEST_SECOND_OPINION,
  VD_AGENT_REQUEST_ASSIST,
} VdAgentRequest;

/**
 * VdRevisionState:
 * @VD_REVISION_STATE_NONE: no revision pending
 * @VD_REVISION_STATE_AWAITING: rejected with feedback, the revision waits
 *   for the endpoint
 * @VD_REVISION_STATE_RUNNING: the agent is revising the item
 * @VD_REVISION_STATE_FAILED: the last revision attempt failed
 *
 * Where the item is in the revise-on-reject loop.
 */
typedef enum
{
  VD_REVISION_STATE_NONE,
  VD_REVISION_STATE_AWAITING,
  VD_REVISION_STATE_RUNNING,
  VD_REVISION_STATE_FAILED,
} VdRevisionState;

#define VD_TYPE_ITEM_DETAIL (vd_item_detail_get_type ())

G_DECLARE_FINAL_TYPE (VdItemDetail, vd_item_detail, VD, ITEM_DETAIL, GtkWidget)

GtkWidget  *vd_item_detail_new        (void);
VdItem     *vd_item_detail_get_item   (VdItemDetail *self);
void        vd_item_detail_set_item   (VdItemDetail *self,
                                       VdItem       *item);
VdStore    *vd_item_detail_get_store  (VdItemDetail *self);
void        vd_item_detail_set_store  (VdItemDetail *self,
                                       VdStore      *store);
VdPolicy   *vd_item_detail_get_policy (VdItemDetail *self);
void        vd_item_detail_set_policy (VdItemDetail *self,
                                       VdPolicy     *policy);
void        vd_item_detail_reload     (VdItemDetail *self);
const char *vd_item_detail_get_note   (VdItemDetail *self);
void        vd_item_detail_clear_note (VdItemDetail *self);
void        vd_item_detail_set_read_only_reason (VdItemDetail *self,
                                                 const char   *reason);
const char *vd_item_detail_get_read_only_reason (VdItemDetail *self);
void        vd_item_detail_set_claim_note (VdItemDetail *self,
                                           const char   *note);
const char *vd_item_detail_get_claim_note (VdItemDetail *self);

void        vd_item_detail_set_second_opinion  (VdItemDetail            *self,
                                                const VdAgentOutput     *opinion);
void        vd_item_detail_set_assist          (VdItemDetail            *self,
                                                const VdDecisionSupport *support);
void        vd_item_detail_set_agent_busy      (VdItemDetail            *self,
                                                VdAgentRequest           kind,
                                                gboolean                 busy);
gboolean    vd_item_detail_get_agent_busy      (VdItemDetail            *self,
                                                VdAgentRequest           kind);
void        vd_item_detail_set_agent_error     (VdItemDetail            *self,
                                                VdAgentRequest           kind,
                                                const char              *message);
void        vd_item_detail_set_revision_state  (VdItemDetail            *self,
                                                VdRevisionState          state,
                                                const char              *message);
VdRevisionState vd_item_detail_get_revision_state (VdItemDetail         *self);

const char   *vd_item_detail_get_first_reviewer (VdItemDetail *self);

G_END_DECLS
