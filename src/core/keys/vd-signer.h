/* vd-signer.h: the keys a process signs and checks with
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

#include "vd-key.h"
#include "vd-keystore.h"
#include "vd-roster.h"

G_BEGIN_DECLS

/*
 * A store's signer: the installation key (unsealed, in the file
 * `<database>.installation-key` beside the database, mode 0600, created on
 * first use; an ephemeral one for an in-memory store), the reviewers' keys
 * unlocked in this process, the roster that applies (from the policy in
 * force, or none), the SHA-256 of that policy for the decisions' stamps,
 * and the public keys it accepts when verifying (the installation key, the
 * unlocked keys, the roster's keys, the keystore's public keys and any key
 * added with vd_signer_add_known_key()).
 *
 * Every audit event is signed when it is appended: by the actor's unlocked
 * key when the actor is a reviewer with one, else by the installation key.
 *
 * vd_signer_authorize() is the roster's gate for a human decision: without
 * a roster everyone may decide. With one, the reviewer must be listed, the
 * reviewer's key must be unlocked here and be the roster's key for that
 * reviewer, and an escalated item needs the role "senior". The error
 * (%VD_KEY_ERROR_NOT_ALLOWED or %VD_KEY_ERROR_LOCKED) names the reviewer,
 * the item and what is missing.
 *
 * A signer is used from the store's worker threads: every function is
 * thread-safe.
 */

#define VD_TYPE_SIGNER (vd_signer_get_type ())

G_DECLARE_FINAL_TYPE (VdSigner, vd_signer, VD, SIGNER, GObject)

VdSigner   *vd_signer_new                   (VdKey        *installation_key);
VdSigner   *vd_signer_new_for_database      (const char   *database_path,
                                             GError      **error);
char       *vd_signer_installation_key_path (const char   *database_path);

VdKey      *vd_signer_get_installation_key  (VdSigner     *self);

void        vd_signer_add_key               (VdSigner     *self,
                                             VdKey        *unlocked_key);
void        vd_signer_lock                  (VdSigner     *self,
                                             const char   *reviewer_id);
void        vd_signer_lock_all              (VdSigner     *self);
VdKey      *vd_signer_dup_unlocked          (VdSigner     *self,
                                             const char   *reviewer_id);
gboolean    vd_signer_is_unlocked           (VdSigner     *self,
                                             const char   *reviewer_id);
VdKey      *vd_signer_dup_key_for_actor     (VdSigner     *self,
                                             const char   *actor);

void        vd_signer_set_roster            (VdSigner     *self,
                                             VdRoster     *roster);
VdRoster   *vd_signer_dup_roster            (VdSigner     *self);
void        vd_signer_set_policy_sha256     (VdSigner     *self,
                                             const char   *sha256_hex);
char       *vd_signer_dup_policy_sha256     (VdSigner     *self);

void        vd_signer_set_keystore          (VdSigner     *self,
                                             VdKeystore   *keystore);
void        vd_signer_add_known_key         (VdSigner     *self,
                                             VdKey        *public_key);
VdKey      *vd_signer_lookup_known          (VdSigner     *self,
                                             const char   *key_id);

gboolean    vd_signer_authorize             (VdSigner     *self,
                                             const char   *reviewer_id,
                                             gboolean      escalated,
                                             const char   *queue,
                                             const char   *task_id,
                                             GError      **error);

G_END_DECLS
