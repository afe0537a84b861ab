/* vd-decision-log.h
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

#include "vd-decision.h"
#include "vd-store.h"

G_BEGIN_DECLS

#define VD_TYPE_DECISION_LOG (vd_decision_log_get_type ())

G_DECLARE_FINAL_TYPE (VdDecisionLog, vd_decision_log, VD, DECISION_LOG, GObject)

/*
 * The decisions a reviewer records in one run of the application, newest
 * last: what Undo takes back. Records go to the store on worker threads;
 * while one is on its way (or an undo), the log is busy, and the item it
 * decides can be asked about (vd_decision_log_is_recording()) so that it
 * is not decided twice. An undo retracts the newest decision (the audit
 * trail keeps both), once every record has landed.
 *
 * Signals: "recorded" (VdDecision *decision, gint64 item_id) once the store
 * has a decision; "undone" (gint64 item_id) once it retracted one.
 */

VdDecisionLog *vd_decision_log_new            (VdStore              *store);
VdStore       *vd_decision_log_get_store      (VdDecisionLog        *self);
guint          vd_decision_log_get_n_decisions (VdDecisionLog       *self);
gboolean       vd_decision_log_get_busy       (VdDecisionLog        *self);
gboolean       vd_decision_log_get_can_undo   (VdDecisionLog        *self);
gboolean       vd_decision_log_is_recording   (VdDecisionLog        *self,
                                               gint64                item_id);

void           vd_decision_log_record_async   (VdDecisionLog        *self,
                                               VdDecision           *decision,
                                               gint64                item_id,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
gboolean       vd_decision_log_record_finish  (VdDecisionLog        *self,
                                               GAsyncResult         *result,
                                               GError              **error);

void           vd_decision_log_undo_async     (VdDecisionLog        *self,
                                               const char           *reason,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
gint64         vd_decision_log_undo_finish    (VdDecisionLog        *self,
                                               GAsyncResult         *result,
                                               GError              **error);

G_END_DECLS
