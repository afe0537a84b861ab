/* vd-sla.h
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

#include "vd-policy.h"
#include "vd-store.h"

G_BEGIN_DECLS

/*
 * Deadlines (SLA). An item's deadline (due_at) comes from its queue file,
 * else from its arrival plus the SLA of its task type (see
 * vd_policy_assign_due_at(), applied by the importer). When an undecided
 * item passes its deadline, vd_sla_apply() applies the policy's fallback to
 * it exactly once (per revision), audited by the actor "sla":
 *
 *   escalate      the item moves to the escalated list with its reason
 *                 kept, and gets the policy's escalated SLA as its new
 *                 deadline if there is one. A reviewer may still decide it.
 *   auto_reject   an automatic reject with the feedback "deadline passed":
 *                 the item awaits the agent's revision like any rejected
 *                 item. A reviewer's decision on it is then refused.
 *   auto_approve  an automatic approval (final output = the content); a
 *                 reviewer's decision on it is then refused. Not applied
 *                 (the item is escalated instead) when the item's reason
 *                 is high_risk_action or sensitive_content, or its task
 *                 type is in always_review_types, unless its task type
 *                 names auto_approve itself.
 *
 * Both the window (a main-loop timer, see VdSlaTimer) and `verdict-cli sla
 * apply` (cron, a systemd timer) call vd_sla_apply(); applying twice
 * changes nothing. The store finds due items and the next deadline through
 * one partial index of undecided items without a fallback, so a check costs
 * the same with 100 or 100,000 items waiting.
 */

/* Items per transaction of vd_sla_apply(). */
#define VD_SLA_BATCH 500

/*
 * Where an undecided item's deadline stands, for the rows' countdowns and
 * the notification of deadlines about to pass: one rule for the list (main
 * thread) and the deadline monitor (a worker thread). A deadline is close
 * when less than VD_SLA_DUE_SOON_SHARE of the item's SLA is left, counted
 * from vd_sla_get_deadline_start().
 */

/**
 * VdDueState:
 * @VD_DUE_STATE_NONE: no deadline (or nothing left to decide)
 * @VD_DUE_STATE_OK: time enough left
 * @VD_DUE_STATE_SOON: less than 10% of the item's SLA left
 * @VD_DUE_STATE_OVERDUE: the deadline has passed
 */
typedef enum
{
  VD_DUE_STATE_NONE,
  VD_DUE_STATE_OK,
  VD_DUE_STATE_SOON,
  VD_DUE_STATE_OVERDUE,
} VdDueState;

#define VD_SLA_DUE_SOON_SHARE 0.1

gboolean   vd_sla_apply                (VdStore              *store,
                                        VdPolicy             *policy,
                                        GDateTime            *now,
                                        VdSlaResult          *result,
                                        GError              **error);
void       vd_sla_apply_async          (VdStore              *store,
                                        VdPolicy             *policy,
                                        GDateTime            *now,
                                        GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data);
gboolean   vd_sla_apply_finish         (VdStore              *store,
                                        GAsyncResult         *result,
                                        VdSlaResult          *sla_result,
                                        GError              **error);

gboolean   vd_sla_next_deadline        (VdStore              *store,
                                        GDateTime           **due_at,
                                        GError              **error);
void       vd_sla_next_deadline_async  (VdStore              *store,
                                        GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data);
gboolean   vd_sla_next_deadline_finish (VdStore              *store,
                                        GAsyncResult         *result,
                                        GDateTime           **due_at,
                                        GError              **error);

VdPolicy  *vd_sla_load_policy          (VdStore              *store,
                                        GError              **error);

char      *vd_sla_describe_result      (const VdSlaResult    *result);

VdDueState vd_sla_classify_due         (GDateTime            *start,
                                        GDateTime            *due_at,
                                        GDateTime            *now);
GDateTime *vd_sla_get_deadline_start   (VdItem               *item,
                                        VdPolicy             *policy);
VdDueState vd_sla_get_due_state        (VdItem               *item,
                                        VdPolicy             *policy,
                                        GDateTime            *now);
char      *vd_sla_format_time_left     (GDateTime            *due_at,
                                        GDateTime            *now,
                                        gboolean             *overdue);

G_END_DECLS
