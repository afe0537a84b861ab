/* vd-deadline-monitor.h
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
#include "vd-sla-timer.h"
#include "vd-store.h"

G_BEGIN_DECLS

#define VD_TYPE_DEADLINE_MONITOR (vd_deadline_monitor_get_type ())

G_DECLARE_FINAL_TYPE (VdDeadlineMonitor, vd_deadline_monitor, VD, DEADLINE_MONITOR, GObject)

/*
 * What a running application knows about the deadlines of one store, for
 * windows to show (no widgets here):
 *
 *   fallbacks   a VdSlaTimer applies the policy's deadline fallbacks while
 *               the monitor runs; "fallbacks-applied" and fallback-message
 *               say what happened ("2 items passed their deadline: ...").
 *   forecast    vd_deadline_monitor_refresh_forecast() computes the
 *               forecast of a queue on a worker thread, and again every
 *               5 minutes; "forecast-changed" when a computation ends, with
 *               forecast-queue, forecast-text and forecast-details.
 *   near        while watching (the reviewer is away from the windows),
 *               a check every minute finds undecided items within 10
 *               minutes of their deadline or with less than 10% of their
 *               SLA left (vd_sla_get_due_state()); "notification" offers
 *               one notification when new items come close, and
 *               notification-shown turns FALSE when watching stops (the
 *               notification is to be withdrawn).
 *
 * All of it runs on the thread-default main context of the thread that
 * creates the monitor; the store is only touched on worker threads.
 */

VdDeadlineMonitor *vd_deadline_monitor_new                (VdStore           *store,
                                                           VdPolicy          *policy);
VdStore           *vd_deadline_monitor_get_store          (VdDeadlineMonitor *self);
VdPolicy          *vd_deadline_monitor_get_policy         (VdDeadlineMonitor *self);
void               vd_deadline_monitor_set_policy         (VdDeadlineMonitor *self,
                                                           VdPolicy          *policy);
VdSlaTimer        *vd_deadline_monitor_get_timer          (VdDeadlineMonitor *self);

/* Fallbacks */
gboolean           vd_deadline_monitor_get_running        (VdDeadlineMonitor *self);
void               vd_deadline_monitor_start              (VdDeadlineMonitor *self);
void               vd_deadline_monitor_stop               (VdDeadlineMonitor *self);
void               vd_deadline_monitor_reschedule         (VdDeadlineMonitor *self);
gboolean           vd_deadline_monitor_get_held           (VdDeadlineMonitor *self);
void               vd_deadline_monitor_set_held           (VdDeadlineMonitor *self,
                                                           gboolean           held);
const char        *vd_deadline_monitor_get_fallback_message (VdDeadlineMonitor *self);

/* Forecast */
void               vd_deadline_monitor_refresh_forecast   (VdDeadlineMonitor *self,
                                                           const char        *queue);
const char        *vd_deadline_monitor_get_forecast_queue (VdDeadlineMonitor *self);
const char        *vd_deadline_monitor_get_forecast_text  (VdDeadlineMonitor *self);
const char        *vd_deadline_monitor_get_forecast_details (VdDeadlineMonitor *self);
guint              vd_deadline_monitor_get_n_forecasts    (VdDeadlineMonitor *self);

/* Deadlines about to pass */
gboolean           vd_deadline_monitor_get_watching       (VdDeadlineMonitor *self);
void               vd_deadline_monitor_set_watching       (VdDeadlineMonitor *self,
                                                           gboolean           watching);
void               vd_deadline_monitor_check              (VdDeadlineMonitor *self);
guint              vd_deadline_monitor_get_n_deadline_checks (VdDeadlineMonitor *self);
guint              vd_deadline_monitor_get_n_notifications (VdDeadlineMonitor *self);
gboolean           vd_deadline_monitor_get_notification_shown (VdDeadlineMonitor *self);
const char        *vd_deadline_monitor_get_notification_title (VdDeadlineMonitor *self);
const char        *vd_deadline_monitor_get_notification_body (VdDeadlineMonitor *self);
gint64             vd_deadline_monitor_get_notification_item (VdDeadlineMonitor *self);

G_END_DECLS
