/* vd-minisign.h: signatures in minisign's format
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
 * Signatures that `minisign -V` (0.11) accepts: the pre-hashed form
 * ("ED": Ed25519 over BLAKE2b-512 of the data), an untrusted comment, a
 * trusted comment and the global signature over signature || trusted
 * comment. Verification accepts only the pre-hashed form, and checks the
 * global signature too; a trusted comment must be one line of UTF-8.
 *
 * @keys for verification is an array of public #VdKey: the signature's key
 * id picks the key; an id not among them is %VD_KEY_ERROR_UNKNOWN_KEY.
 */

/* The size of the BLAKE2b-512 digest that a pre-hashed signature covers. */
#define VD_MINISIGN_HASH_BYTES 64

char     *vd_minisign_sign_bytes   (VdKey         *key,
                                    const guint8  *data,
                                    gsize          length,
                                    const char    *trusted_comment,
                                    GError       **error);
char     *vd_minisign_sign_file    (VdKey         *key,
                                    const char    *path,
                                    const char    *trusted_comment,
                                    GCancellable  *cancellable,
                                    GError       **error);
gboolean  vd_minisign_write_signature (VdKey         *key,
                                       const char    *path,
                                       const char    *trusted_comment,
                                       GCancellable  *cancellable,
                                       GError       **error);

gboolean  vd_minisign_verify_bytes (const char    *signature_text,
                                    const guint8  *data,
                                    gsize          length,
                                    GPtrArray     *keys,
                                    VdKey        **signer,
                                    char         **trusted_comment,
                                    GError       **error);
gboolean  vd_minisign_verify_prehashed (const char    *signature_path,
                                       const guint8  *hash,
                                       const char    *data_name,
                                       GPtrArray     *keys,
                                       VdKey        **signer,
                                       char         **trusted_comment,
                                       GError       **error);
gboolean  vd_minisign_verify_file  (const char    *path,
                                    const char    *signature_path,
                                    GPtrArray     *keys,
                                    VdKey        **signer,
                                    char         **trusted_comment,
                                    GCancellable  *cancellable,
                                    GError       **error);

G_END_DECLS
