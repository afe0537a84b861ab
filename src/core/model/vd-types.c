/* vd-types.c
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

#define G_LOG_DOMAIN "vd-types"

#include "config.h"

#include <glib/gi18n.h>

#include "vd-types.h"

/* The wire names are part of the file formats: never rename them. */
static const char * const reason_names[] = {
  [VD_ESCALATION_REASON_NONE] = "none",
  [VD_ESCALATION_REASON_LOW_CONFIDENCE] = "low_confidence",
  [VD_ESCALATION_REASON_SENSITIVE_CONTENT] = "sensitive_content",
  [VD_ESCALATION_REASON_HIGH_RISK_ACTION] = "high_risk_action",
  [VD_ESCALATION_REASON_AMBIGUOUS_INPUT] = "ambiguous_input",
  [VD_ESCALATION_REASON_ERROR_OCCURRED] = "error_occurred",
  [VD_ESCALATION_REASON_POLICY_REQUIRED] = "policy_required",
  [VD_ESCALATION_REASON_USER_REQUESTED] = "user_requested",
  [VD_ESCALATION_REASON_REVIEWERS_DISAGREE] = "reviewers_disagree",
};

static const char * const status_names[] = {
  [VD_TASK_STATUS_PENDING] = "pending",
  [VD_TASK_STATUS_IN_REVIEW] = "in_review",
  [VD_TASK_STATUS_APPROVED] = "approved",
  [VD_TASK_STATUS_REJECTED] = "rejected",
  [VD_TASK_STATUS_MODIFIED] = "modified",
  [VD_TASK_STATUS_COMPLETED] = "completed",
  [VD_TASK_STATUS_ESCALATED] = "escalated",
};

static const char * const decision_names[] = {
  [VD_DECISION_KIND_APPROVE] = "approve",
  [VD_DECISION_KIND_REJECT] = "reject",
  [VD_DECISION_KIND_MODIFY] = "modify",
  [VD_DECISION_KIND_ESCALATE_FURTHER] = "escalate_further",
};

static const char * const sort_names[] = {
  [VD_SORT_ORDER_CONFIDENCE] = "confidence",
  [VD_SORT_ORDER_DUE] = "due",
  [VD_SORT_ORDER_CREATED] = "created",
};

static gboolean
lookup (const char * const *names,
        guint               n_names,
        const char         *string,
        guint              *out)
{
  if (string == NULL)
    return FALSE;

  for (guint i = 0; i < n_names; i++)
    {
      if (g_strcmp0 (names[i], string) == 0)
        {
          *out = i;
          return TRUE;
        }
    }

  return FALSE;
}

const char *
vd_escalation_reason_to_string (VdEscalationReason reason)
{
  g_return_val_if_fail (reason < G_N_ELEMENTS (reason_names), NULL);

  return reason_names[reason];
}

/**
 * vd_escalation_reason_from_string:
 * @string: (nullable): a wire name such as `low_confidence`
 * @reason: (out): where to store the value
 *
 * Returns: %TRUE if @string names a reason. `none` is not accepted: it is not
 *   a reason a queue file may give.
 */
gboolean
vd_escalation_reason_from_string (const char         *string,
                                  VdEscalationReason *reason)
{
  guint value;

  g_return_val_if_fail (reason != NULL, FALSE);

  if (!lookup (reason_names, G_N_ELEMENTS (reason_names), string, &value) ||
      value == VD_ESCALATION_REASON_NONE)
    return FALSE;

  *reason = value;
  return TRUE;
}

/**
 * vd_escalation_reason_to_label:
 * @reason: a reason
 *
 * Returns: a short translated label for display.
 */
const char *
vd_escalation_reason_to_label (VdEscalationReason reason)
{
  switch (reason)
    {
    case VD_ESCALATION_REASON_NONE:
      return _("Not escalated");
    case VD_ESCALATION_REASON_LOW_CONFIDENCE:
      return _("Low confidence");
    case VD_ESCALATION_REASON_SENSITIVE_CONTENT:
      return _("Sensitive content");
    case VD_ESCALATION_REASON_HIGH_RISK_ACTION:
      return _("High-risk action");
    case VD_ESCALATION_REASON_AMBIGUOUS_INPUT:
      return _("Ambiguous input");
    case VD_ESCALATION_REASON_ERROR_OCCURRED:
      return _("Agent error");
    case VD_ESCALATION_REASON_POLICY_REQUIRED:
      return _("Required by policy");
    case VD_ESCALATION_REASON_USER_REQUESTED:
      return _("Requested by user");
    case VD_ESCALATION_REASON_REVIEWERS_DISAGREE:
      return _("Reviewers disagree");
    default:
      g_return_val_if_reached (NULL);
    }
}

const char *
vd_task_status_to_string (VdTaskStatus status)
{
  g_return_val_if_fail (status < G_N_ELEMENTS (status_names), NULL);

  return status_names[status];
}

/**
 * vd_task_status_to_label:
 * @status: a status
 *
 * Returns: a short translated label for display, in sentence case as the
 *   GNOME HIG asks for a label ("In review")
 */
const char *
vd_task_status_to_label (VdTaskStatus status)
{
  switch (status)
    {
    case VD_TASK_STATUS_PENDING:
      return C_("item status", "Pending");
    case VD_TASK_STATUS_IN_REVIEW:
      return C_("item status", "In review");
    case VD_TASK_STATUS_APPROVED:
      return C_("item status", "Approved");
    case VD_TASK_STATUS_REJECTED:
      return C_("item status", "Rejected");
    case VD_TASK_STATUS_MODIFIED:
      return C_("item status", "Modified");
    case VD_TASK_STATUS_COMPLETED:
      return C_("item status", "Completed");
    case VD_TASK_STATUS_ESCALATED:
      return C_("item status", "Escalated");
    default:
      g_return_val_if_reached ("");
    }
}

gboolean
vd_task_status_from_string (const char   *string,
                            VdTaskStatus *status)
{
  guint value;

  g_return_val_if_fail (status != NULL, FALSE);

  if (!lookup (status_names, G_N_ELEMENTS (status_names), string, &value))
    return FALSE;

  *status = value;
  return TRUE;
}

/**
 * vd_task_status_is_undecided:
 * @status: a status
 *
 * Returns: %TRUE if a reviewer may still decide an item in @status.
 */
gboolean
vd_task_status_is_undecided (VdTaskStatus status)
{
  return status == VD_TASK_STATUS_PENDING ||
         status == VD_TASK_STATUS_IN_REVIEW ||
         status == VD_TASK_STATUS_ESCALATED;
}

const char *
vd_decision_kind_to_string (VdDecisionKind kind)
{
  g_return_val_if_fail (kind < G_N_ELEMENTS (decision_names), NULL);

  return decision_names[kind];
}

gboolean
vd_decision_kind_from_string (const char     *string,
                              VdDecisionKind *kind)
{
  guint value;

  g_return_val_if_fail (kind != NULL, FALSE);

  if (!lookup (decision_names, G_N_ELEMENTS (decision_names), string, &value))
    return FALSE;

  *kind = value;
  return TRUE;
}

/**
 * vd_decision_kind_to_status:
 * @kind: a decision
 *
 * Returns: the status an item takes when decided with @kind.
 */
VdTaskStatus
vd_decision_kind_to_status (VdDecisionKind kind)
{
  switch (kind)
    {
    case VD_DECISION_KIND_APPROVE:
      return VD_TASK_STATUS_APPROVED;
    case VD_DECISION_KIND_REJECT:
      return VD_TASK_STATUS_REJECTED;
    case VD_DECISION_KIND_MODIFY:
      return VD_TASK_STATUS_MODIFIED;
    case VD_DECISION_KIND_ESCALATE_FURTHER:
      return VD_TASK_STATUS_ESCALATED;
    default:
      g_return_val_if_reached (VD_TASK_STATUS_PENDING);
    }
}

const char *
vd_sort_order_to_string (VdSortOrder order)
{
  g_return_val_if_fail (order < G_N_ELEMENTS (sort_names), NULL);

  return sort_names[order];
}

gboolean
vd_sort_order_from_string (const char  *string,
                           VdSortOrder *order)
{
  guint value;

  g_return_val_if_fail (order != NULL, FALSE);

  if (!lookup (sort_names, G_N_ELEMENTS (sort_names), string, &value))
    return FALSE;

  *order = value;
  return TRUE;
}
