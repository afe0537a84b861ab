/* vd-key-file.h: secret key files, sealed with a passphrase
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

#include "vd-key.h"

G_BEGIN_DECLS

/*
 * A secret key file holds one key: its owner, key id, public key and the
 * secret key, sealed with crypto_secretbox under a key derived from the
 * passphrase with Argon2id (crypto_pwhash). A file written with a %NULL
 * passphrase holds the secret unsealed (only the installation key, whose
 * protection is the file's mode). Files are written atomically with mode
 * 0600 and refused on reading when group or others may read them, when
 * they are truncated or altered, or when the passphrase is wrong; every
 * refusal names the file.
 *
 * Passphrases are nul-terminated strings the caller owns and wipes.
 */

gboolean  vd_key_file_save               (VdKey        *key,
                                          const char   *path,
                                          const char   *passphrase,
                                          GError      **error);
VdKey    *vd_key_file_load               (const char   *path,
                                          const char   *passphrase,
                                          GError      **error);
VdKey    *vd_key_file_load_public        (const char   *path,
                                          GError      **error);
gboolean  vd_key_file_is_sealed          (const char   *path,
                                          gboolean     *sealed,
                                          GError      **error);
gboolean  vd_key_file_change_passphrase  (const char   *path,
                                          const char   *old_passphrase,
                                          const char   *new_passphrase,
                                          GError      **error);

G_END_DECLS
