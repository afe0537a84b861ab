/* vd-decision.h
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

#include <json-glib/json-glib.h>

#include "vd-types.h"

G_BEGIN_DECLS

#define VD_TYPE_DECISION (vd_decision_get_type ())

G_DECLARE_FINAL_TYPE (VdDecision, vd_decision, VD, DECISION, GObject)

/*
 * One review of one revision of an item: by a human (reviewer-id) or, when
 * automatic is TRUE, by the policy (reviewer-id "policy").
 *
 * Properties: id (int64), queue, task-id, kind (VdDecisionKind), feedback,
 * modified-content, reviewer-id, timestamp (GDateTime), revision,
 * duration-ms (int64), automatic (boolean), final-output (read-only, derived),
 * audit-seq (int64), audit-hash, audit-prev-hash (set once stored),
 * retracted (boolean) and retraction-seq (int64, the retraction's audit
 * event; 0 when the decision stands), helpful (VdHelpful, the feedback loop:
 * whether the agent's output helped) and category (nullable: the feedback
 * category, one of the policy's feedback_categories or free text).
 */

VdDecision     *vd_decision_new                  (const char     *queue,
                                                  const char     *task_id,
                                                  VdDecisionKind  kind,
                                                  const char     *reviewer_id);

gint64          vd_decision_get_id               (VdDecision     *self);
void            vd_decision_set_id               (VdDecision     *self,
                                                  gint64          id);
const char     *vd_decision_get_queue            (VdDecision     *self);
void            vd_decision_set_queue            (VdDecision     *self,
                                                  const char     *queue);
const char     *vd_decision_get_task_id          (VdDecision     *self);
VdDecisionKind  vd_decision_get_kind             (VdDecision     *self);
const char     *vd_decision_get_feedback         (VdDecision     *self);
void            vd_decision_set_feedback         (VdDecision     *self,
                                                  const char     *feedback);
const char     *vd_decision_get_modified_content (VdDecision     *self);
void            vd_decision_set_modified_content (VdDecision     *self,
                                                  const char     *modified_content);
const char     *vd_decision_get_reviewer_id      (VdDecision     *self);
GDateTime      *vd_decision_get_timestamp        (VdDecision     *self);
void            vd_decision_set_timestamp        (VdDecision     *self,
                                                  GDateTime      *timestamp);
int             vd_decision_get_revision         (VdDecision     *self);
void            vd_decision_set_revision         (VdDecision     *self,
                                                  int             revision);
gint64          vd_decision_get_duration_ms      (VdDecision     *self);
void            vd_decision_set_duration_ms      (VdDecision     *self,
                                                  gint64          duration_ms);
gboolean        vd_decision_get_automatic        (VdDecision     *self);
void            vd_decision_set_automatic        (VdDecision     *self,
                                                  gboolean        automatic);
gint64          vd_decision_get_audit_seq        (VdDecision     *self);
const char     *vd_decision_get_audit_hash       (VdDecision     *self);
const char     *vd_decision_get_audit_prev_hash  (VdDecision     *self);
void            vd_decision_set_audit            (VdDecision     *self,
                                                  gint64          seq,
                                                  const char     *hash,
                                                  const char     *prev_hash);

gboolean        vd_decision_get_final            (VdDecision     *self);
void            vd_decision_set_final            (VdDecision     *self,
                                                  gboolean        final);
gboolean        vd_decision_get_retracted        (VdDecision     *self);
void            vd_decision_set_retracted        (VdDecision     *self,
                                                  gboolean        retracted);
gint64          vd_decision_get_retraction_seq   (VdDecision     *self);
void            vd_decision_set_retraction_seq   (VdDecision     *self,
                                                  gint64          seq);

VdHelpful       vd_decision_get_helpful          (VdDecision     *self);
void            vd_decision_set_helpful          (VdDecision     *self,
                                                  VdHelpful       helpful);
const char     *vd_decision_get_category         (VdDecision     *self);
void            vd_decision_set_category         (VdDecision     *self,
                                                  const char     *category);
gint64          vd_decision_get_bulk_id          (VdDecision     *self);
void            vd_decision_set_bulk_id          (VdDecision     *self,
                                                  gint64          bulk_id);
/* Stamps (nullable): the policy's SHA-256, the model and prompt version the
 * output came from, the Verdict version that recorded the decision. */
const char     *vd_decision_get_policy_sha256    (VdDecision     *self);
void            vd_decision_set_policy_sha256    (VdDecision     *self,
                                                  const char     *policy_sha256);
const char     *vd_decision_get_model            (VdDecision     *self);
void            vd_decision_set_model            (VdDecision     *self,
                                                  const char     *model);
const char     *vd_decision_get_prompt_version   (VdDecision     *self);
void            vd_decision_set_prompt_version   (VdDecision     *self,
                                                  const char     *prompt_version);
const char     *vd_decision_get_app_version      (VdDecision     *self);
void            vd_decision_set_app_version      (VdDecision     *self,
                                                  const char     *app_version);

/* The key id and signature of the decision's audit event (nullable). */
const char     *vd_decision_get_audit_key_id     (VdDecision     *self);
const char     *vd_decision_get_audit_signature  (VdDecision     *self);
void            vd_decision_set_audit_signature  (VdDecision     *self,
                                                  const char     *key_id,
                                                  const char     *signature);

char           *vd_decision_compute_final_output (VdDecision     *self,
                                                  const char     *content);
const char     *vd_decision_get_final_output     (VdDecision     *self);

G_END_DECLS
