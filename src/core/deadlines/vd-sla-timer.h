/* vd-sla-timer.h
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

#define VD_TYPE_SLA_TIMER (vd_sla_timer_get_type ())

G_DECLARE_FINAL_TYPE (VdSlaTimer, vd_sla_timer, VD, SLA_TIMER, GObject)

/*
 * Applies deadline fallbacks while an application runs: one timer source on
 * the thread-default main context of the thread that calls
 * vd_sla_timer_start(), never a timer or thread per item.
 *
 * A check runs vd_sla_apply_async() and then vd_sla_next_deadline_async()
 * (both on worker threads), and the timer sleeps until that deadline, at
 * most max-sleep-ms (other processes may import items with earlier
 * deadlines; the clock may jump) and at least min-interval-ms after the
 * previous check (deadlines close together are handled in one check). Call
 * vd_sla_timer_reschedule() after an import or a retraction in the same
 * process: deadlines may then be sooner.
 *
 * Signals:
 *   "applied" (const VdSlaResult *result): a check applied fallbacks
 *   "failed" (const GError *error): a check failed; the timer tries again
 *     after max-sleep-ms
 * Properties: store, policy (read-write), next-deadline (GDateTime, read
 * only, nullable: the soonest deadline found by the last check),
 * max-sleep-ms, min-interval-ms, running (read only).
 */

VdSlaTimer *vd_sla_timer_new               (VdStore     *store,
                                            VdPolicy    *policy);
VdStore    *vd_sla_timer_get_store         (VdSlaTimer  *self);
VdPolicy   *vd_sla_timer_get_policy        (VdSlaTimer  *self);
void        vd_sla_timer_set_policy        (VdSlaTimer  *self,
                                            VdPolicy    *policy);
GDateTime  *vd_sla_timer_get_next_deadline (VdSlaTimer  *self);
guint       vd_sla_timer_get_max_sleep_ms  (VdSlaTimer  *self);
void        vd_sla_timer_set_max_sleep_ms  (VdSlaTimer  *self,
                                            guint        max_sleep_ms);
guint       vd_sla_timer_get_min_interval_ms (VdSlaTimer *self);
void        vd_sla_timer_set_min_interval_ms (VdSlaTimer *self,
                                            guint        min_interval_ms);
gboolean    vd_sla_timer_get_running       (VdSlaTimer  *self);
guint64     vd_sla_timer_get_n_checks      (VdSlaTimer  *self);

void        vd_sla_timer_start             (VdSlaTimer  *self);
void        vd_sla_timer_stop              (VdSlaTimer  *self);
void        vd_sla_timer_reschedule        (VdSlaTimer  *self);

G_END_DECLS
