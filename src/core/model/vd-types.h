/* vd-types.h
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

#include <glib-object.h>

G_BEGIN_DECLS

typedef struct _VdAuditEvent   VdAuditEvent;
typedef struct _VdDecision     VdDecision;
typedef struct _VdExporter     VdExporter;
typedef struct _VdImporter     VdImporter;
typedef struct _VdItem         VdItem;
typedef struct _VdPolicy       VdPolicy;
typedef struct _VdQueueReader  VdQueueReader;
typedef struct _VdRevision     VdRevision;
typedef struct _VdSqliteStore  VdSqliteStore;
typedef struct _VdStore        VdStore;

/**
 * VdEscalationReason:
 * @VD_ESCALATION_REASON_NONE: not escalated (auto-approved by the policy)
 *
 * Why an item needs a human. The wire format (queue files, database, exports)
 * is the lower-case name, e.g. `low_confidence`; see
 * vd_escalation_reason_to_string().
 */
typedef enum
{
  VD_ESCALATION_REASON_NONE,
  VD_ESCALATION_REASON_LOW_CONFIDENCE,
  VD_ESCALATION_REASON_SENSITIVE_CONTENT,
  VD_ESCALATION_REASON_HIGH_RISK_ACTION,
  VD_ESCALATION_REASON_AMBIGUOUS_INPUT,
  VD_ESCALATION_REASON_ERROR_OCCURRED,
  VD_ESCALATION_REASON_POLICY_REQUIRED,
  VD_ESCALATION_REASON_USER_REQUESTED,
  VD_ESCALATION_REASON_REVIEWERS_DISAGREE,
} VdEscalationReason;

/**
 * VdTaskStatus:
 *
 * Where an item stands. `pending`, `in_review` and `escalated` are
 * undecided: a reviewer may still decide them. Wire format as for
 * #VdEscalationReason.
 */
typedef enum
{
  VD_TASK_STATUS_PENDING,
  VD_TASK_STATUS_IN_REVIEW,
  VD_TASK_STATUS_APPROVED,
  VD_TASK_STATUS_REJECTED,
  VD_TASK_STATUS_MODIFIED,
  VD_TASK_STATUS_COMPLETED,
  VD_TASK_STATUS_ESCALATED,
} VdTaskStatus;

/**
 * VdDecisionKind:
 *
 * What a reviewer (or the policy, for auto-approvals) decided.
 */
typedef enum
{
  VD_DECISION_KIND_APPROVE,
  VD_DECISION_KIND_REJECT,
  VD_DECISION_KIND_MODIFY,
  VD_DECISION_KIND_ESCALATE_FURTHER,
} VdDecisionKind;

/**
 * VdSortOrder:
 *
 * How item listings are ordered.
 */
typedef enum
{
  VD_SORT_ORDER_CONFIDENCE,
  VD_SORT_ORDER_DUE,
  VD_SORT_ORDER_CREATED,
} VdSortOrder;

/* Whether the reviewer found the agent's output helpful, given with a
 * decision (the feedback loop); UNSET when the reviewer did not say. */
typedef enum
{
  VD_HELPFUL_UNSET,
  VD_HELPFUL_YES,
  VD_HELPFUL_NO,
} VdHelpful;

/* Progress of a long operation, called from the thread doing the work;
 * done <= total. */
typedef void (*VdProgressFunc) (guint64  done,
                                guint64  total,
                                gpointer user_data);

const char *vd_escalation_reason_to_string   (VdEscalationReason  reason);
gboolean    vd_escalation_reason_from_string (const char         *string,
                                              VdEscalationReason *reason);
const char *vd_escalation_reason_to_label    (VdEscalationReason  reason);

const char *vd_task_status_to_string         (VdTaskStatus        status);
gboolean    vd_task_status_from_string       (const char         *string,
                                              VdTaskStatus       *status);
gboolean    vd_task_status_is_undecided      (VdTaskStatus        status);
const char *vd_task_status_to_label          (VdTaskStatus        status);

const char *vd_decision_kind_to_string       (VdDecisionKind      kind);
gboolean    vd_decision_kind_from_string     (const char         *string,
                                              VdDecisionKind     *kind);
VdTaskStatus vd_decision_kind_to_status      (VdDecisionKind      kind);

const char *vd_sort_order_to_string          (VdSortOrder         order);
gboolean    vd_sort_order_from_string        (const char         *string,
                                              VdSortOrder        *order);

G_END_DECLS
