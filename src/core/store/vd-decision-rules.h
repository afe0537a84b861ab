/* vd-decision-rules.h: what every store backend checks and writes for a decision
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

#include "vd-decision.h"
#include "vd-item.h"
#include "vd-store.h"

#include "vd-policy.h"
#include "vd-signer.h"

G_BEGIN_DECLS

/* Events of four-eyes review: a first review that leaves the item pending,
 * and two reviews that disagree and escalate it. */
#define VD_AUDIT_REVIEW    "review"
#define VD_AUDIT_ESCALATED "escalated"

/* One review of an item that needs two: who, what, and with which words.
 * The second reviewer's decision is compared with the first's. */
typedef struct
{
  char           *reviewer_id;
  VdDecisionKind  kind;
  char           *feedback;
  char           *modified_content;
  gint64          audit_seq;
} VdReview;

VdReview   *vd_review_new                          (const char     *reviewer_id,
                                                    VdDecisionKind  kind,
                                                    const char     *feedback,
                                                    const char     *modified_content,
                                                    gint64          audit_seq);
void        vd_review_free                         (VdReview       *review);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VdReview, vd_review_free)

gboolean    vd_decision_rules_check                (VdItem         *item,
                                                    VdDecision     *decision,
                                                    GError        **error);
void        vd_decision_rules_set_already_decided  (VdItem         *item,
                                                    const char     *reviewer_id,
                                                    GDateTime      *when,
                                                    GError        **error);
gboolean    vd_decision_rules_check_fallback       (VdItem         *item,
                                                    const char     *fallback,
                                                    GDateTime      *deadline,
                                                    GDateTime      *applied_at,
                                                    GError        **error);

/* What a decision writes: its event, and what it does to the item. */
typedef struct
{
  const char         *event_type;
  char               *payload;
  gboolean            final;
  VdTaskStatus        status;
  VdEscalationReason  reason;     /* VD_ESCALATION_REASON_NONE: unchanged */
} VdDecisionOutcome;

void        vd_decision_outcome_clear              (VdDecisionOutcome *outcome);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (VdDecisionOutcome, vd_decision_outcome_clear)

/* Four-eyes review */
gboolean    vd_decision_rules_needs_two_reviews    (VdItem         *item);
gboolean    vd_decision_rules_outcome              (VdItem         *item,
                                                    VdDecision     *decision,
                                                    const VdReview *first,
                                                    VdDecisionOutcome *outcome,
                                                    GError        **error);
gboolean    vd_decision_rules_check_review         (VdItem         *item,
                                                    VdDecision     *decision,
                                                    const VdReview *first,
                                                    GError        **error);
gboolean    vd_decision_rules_reviews_agree        (const VdReview *first,
                                                    VdDecision     *second);

/* Audit payloads (canonical JSON text, as the trail hashes it) */
char       *vd_decision_rules_decision_payload     (VdItem         *item,
                                                    VdDecision     *decision,
                                                    const VdReview *first);
char       *vd_decision_rules_review_payload       (VdItem         *item,
                                                    VdDecision     *decision);
char       *vd_decision_rules_disagreement_payload (VdItem         *item,
                                                    VdDecision     *decision,
                                                    const VdReview *first);
char       *vd_decision_rules_retraction_payload   (gint64          decision_seq,
                                                    const char     *kind,
                                                    int             revision,
                                                    const char     *reason);
void        vd_decision_rules_add_stamps           (GString        *payload,
                                                    VdDecision     *decision);
void        vd_decision_rules_add_reviewed         (GString        *payload,
                                                    VdItem         *item);

/* The roster gate and the decision's stamps */
gboolean    vd_decision_rules_authorize            (VdSigner       *signer,
                                                    VdPolicy       *queue_policy,
                                                    const char     *reviewer_id,
                                                    gboolean        escalated,
                                                    const char     *queue,
                                                    const char     *task_id,
                                                    GError        **error);
void        vd_decision_rules_stamp                (VdDecision     *decision,
                                                    VdItem         *item,
                                                    VdPolicy       *queue_policy,
                                                    VdSigner       *signer);

/* Import events */
char       *vd_decision_rules_item_payload         (VdItem         *item,
                                                    const char     *content_sha256,
                                                    gboolean        with_reason,
                                                    int             previous_revision);

/* Deadline fallbacks */
const char *vd_decision_rules_fallback_status      (VdSlaFallback   fallback);
char       *vd_decision_rules_fallback_resolve     (VdItem         *item,
                                                    VdSlaOutcome   *outcome);
char       *vd_decision_rules_fallback_payload     (VdItem         *item,
                                                    VdSlaOutcome   *outcome,
                                                    const char     *now_text,
                                                    const char     *source_note);

G_END_DECLS
