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
#include "vd-signer.h"
#include "vd-team-settings.h"

G_BEGIN_DECLS

/**
 * VdSigningState:
 * @VD_SIGNING_STATE_UNVERIFIED: the reviewer has no signing key: the
 *   installation's key signs, the reviewer is "unverified"
 * @VD_SIGNING_STATE_LOCKED: the reviewer has a key that is not unlocked
 *   (not signed in yet, continued without signing, or locked)
 * @VD_SIGNING_STATE_UNLOCKED: the reviewer's key is unlocked and signs
 *   their decisions
 *
 * Whether the reviewer's decisions are signed with their own key.
 */
typedef enum
{
  VD_SIGNING_STATE_UNVERIFIED,
  VD_SIGNING_STATE_LOCKED,
  VD_SIGNING_STATE_UNLOCKED,
} VdSigningState;

#define VD_TYPE_SESSION (vd_session_get_type ())

G_DECLARE_FINAL_TYPE (VdSession, vd_session, VD, SESSION, GObject)

VdSession         *vd_session_new                  (GSettings            *settings);
GSettings         *vd_session_get_settings         (VdSession            *self);

void               vd_session_startup              (VdSession            *self);
void               vd_session_shutdown             (VdSession            *self);
void               vd_session_hold_background      (VdSession            *self,
                                                    guint                 max_seconds);
void               vd_session_release_background   (VdSession            *self);
gboolean           vd_session_get_background_held  (VdSession            *self);

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

/* Signing (vd-session-signing.c) */
VdKeystore        *vd_session_get_keystore         (VdSession            *self);
VdSigningState     vd_session_get_signing_state    (VdSession            *self);
VdKey             *vd_session_get_signing_key      (VdSession            *self);
gboolean           vd_session_get_needs_sign_in    (VdSession            *self);
gboolean           vd_session_get_locked           (VdSession            *self);
GPtrArray         *vd_session_list_profiles        (VdSession            *self);
void               vd_session_sign_in_async        (VdSession            *self,
                                                    const char           *reviewer_id,
                                                    const char           *passphrase,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
gboolean           vd_session_sign_in_finish       (VdSession            *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);
void               vd_session_sign_in_from_keyring_async (VdSession      *self,
                                                    const char           *reviewer_id,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
void               vd_session_forget_passphrase    (VdSession            *self);
void               vd_session_refresh_signing      (VdSession            *self);
void               vd_session_continue_unsigned    (VdSession            *self);
void               vd_session_request_sign_in      (VdSession            *self);
void               vd_session_lock                 (VdSession            *self);
void               vd_session_create_key_async     (VdSession            *self,
                                                    const char           *passphrase,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
VdKey             *vd_session_create_key_finish    (VdSession            *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);
VdRoster          *vd_session_get_roster           (VdSession            *self);

/* The store's location and a team server's connection
 * (vd-session-connection.c) */
void               vd_session_open_location_async  (VdSession            *self,
                                                    const char           *location,
                                                    const char           *password,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
gboolean           vd_session_open_location_finish (VdSession            *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);
VdTeamSettings    *vd_session_get_team_settings    (VdSession            *self);
const char        *vd_session_get_team_server      (VdSession            *self);
gboolean           vd_session_get_reviewer_locked  (VdSession            *self);
gboolean           vd_session_get_disconnected     (VdSession            *self);
gboolean           vd_session_get_reconnecting     (VdSession            *self);
const char        *vd_session_get_connection_error (VdSession            *self);
gboolean           vd_session_report_error         (VdSession            *self,
                                                    const GError         *error);
void               vd_session_reconnect            (VdSession            *self);

G_END_DECLS
