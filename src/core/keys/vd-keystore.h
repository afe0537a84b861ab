/* vd-keystore.h: the folder of reviewers' keys
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

#include "vd-key.h"

G_BEGIN_DECLS

/*
 * The keystore is a folder (mode 0700) with, per reviewer ID, `ID.key` (the
 * sealed secret key, see vd-key-file.h) and `ID.pub` (the public key in
 * minisign's public key file format). Reviewer IDs that are not safe as
 * file names (empty, "/", leading ".", control characters, longer than 128
 * bytes) are refused. The default folder is $VERDICT_KEYS_DIR when set,
 * else `$XDG_DATA_HOME/verdict/keys`.
 */

#define VD_TYPE_KEYSTORE (vd_keystore_get_type ())

G_DECLARE_FINAL_TYPE (VdKeystore, vd_keystore, VD, KEYSTORE, GObject)

char       *vd_keystore_default_dir          (void);

VdKeystore *vd_keystore_new                  (const char   *dir);
VdKeystore *vd_keystore_new_default          (void);
const char *vd_keystore_get_dir              (VdKeystore   *self);

gboolean    vd_keystore_has_key              (VdKeystore   *self,
                                              const char   *reviewer_id);
char       *vd_keystore_dup_key_path         (VdKeystore   *self,
                                              const char   *reviewer_id);
GPtrArray  *vd_keystore_list                 (VdKeystore   *self,
                                              GError      **error);
VdKey      *vd_keystore_generate             (VdKeystore   *self,
                                              const char   *reviewer_id,
                                              const char   *passphrase,
                                              GError      **error);
VdKey      *vd_keystore_unlock               (VdKeystore   *self,
                                              const char   *reviewer_id,
                                              const char   *passphrase,
                                              GError      **error);
VdKey      *vd_keystore_lookup_public        (VdKeystore   *self,
                                              const char   *reviewer_id,
                                              GError      **error);
gboolean    vd_keystore_change_passphrase    (VdKeystore   *self,
                                              const char   *reviewer_id,
                                              const char   *old_passphrase,
                                              const char   *new_passphrase,
                                              GError      **error);

void        vd_keystore_unlock_async         (VdKeystore          *self,
                                              const char          *reviewer_id,
                                              const char          *passphrase,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
VdKey      *vd_keystore_unlock_finish        (VdKeystore          *self,
                                              GAsyncResult        *result,
                                              GError             **error);
void        vd_keystore_generate_async       (VdKeystore          *self,
                                              const char          *reviewer_id,
                                              const char          *passphrase,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
VdKey      *vd_keystore_generate_finish      (VdKeystore          *self,
                                              GAsyncResult        *result,
                                              GError             **error);

G_END_DECLS
