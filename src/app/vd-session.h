/* vd-session.h
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

#include "vd-core.h"
#include "vd-llm-settings.h"

G_BEGIN_DECLS

#define VD_TYPE_SESSION (vd_session_get_type ())

G_DECLARE_FINAL_TYPE (VdSession, vd_session, VD, SESSION, GObject)

VdSession         *vd_session_new                  (GSettings            *settings);
GSettings         *vd_session_get_settings         (VdSession            *self);

void               vd_session_startup              (VdSession            *self);
void               vd_session_shutdown             (VdSession            *self);

VdStore           *vd_session_get_store            (VdSession            *self);
void               vd_session_set_store            (VdSession            *self,
                                                    VdStore              *store);
const GError      *vd_session_get_store_error      (VdSession            *self);
void               vd_session_set_store_error      (VdSession            *self,
                                                    const GError         *error);

VdPolicy          *vd_session_get_policy           (VdSession            *self);
void               vd_session_set_policy           (VdSession            *self,
                                                    VdPolicy             *policy);
gboolean           vd_session_get_policy_loading   (VdSession            *self);
const char        *vd_session_get_policy_error     (VdSession            *self);
gboolean           vd_session_has_policy_file      (VdSession            *self);
void               vd_session_adopt_policy         (VdSession            *self,
                                                    VdPolicy             *policy);
void               vd_session_read_policy_async    (VdSession            *self,
                                                    const char           *path,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
VdPolicy          *vd_session_read_policy_finish   (VdSession            *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);

const char        *vd_session_get_reviewer_id      (VdSession            *self);
void               vd_session_set_reviewer_id      (VdSession            *self,
                                                    const char           *reviewer_id);
gboolean           vd_session_get_reviewer_from_env (VdSession           *self);

VdLlmSettings     *vd_session_get_llm_settings     (VdSession            *self);
VdWorkflow        *vd_session_get_workflow         (VdSession            *self);
gboolean           vd_session_get_has_agent        (VdSession            *self);
const char        *vd_session_get_revision_failure (VdSession            *self,
                                                    gint64                item_id);

VdDeadlineMonitor *vd_session_get_deadline_monitor (VdSession            *self);
VdImportQueue     *vd_session_get_import_queue     (VdSession            *self);
VdDecisionLog     *vd_session_get_decision_log     (VdSession            *self);

void               vd_session_notify_items_changed (VdSession            *self);

G_END_DECLS
