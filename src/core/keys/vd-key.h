/* vd-key.h: an Ed25519 signing key of a reviewer or of this installation
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

#include <glib-object.h>

G_BEGIN_DECLS

/*
 * A VdKey is an Ed25519 key pair in minisign's terms: an 8-byte key id
 * (random, chosen when the key is generated) and a 32-byte public key,
 * optionally with the secret half. The secret half lives in memory
 * obtained with sodium_malloc() and is wiped by vd_key_lock() and on
 * finalize. Public keys are written in minisign's format, base64 of
 * "Ed" || key id || public key (42 bytes, a 56-character "RW..." line), so
 * that `minisign -V -P` verifies what Verdict signs.
 *
 * The key id is the number minisign shows (minisign drops leading
 * zeros): the 8 bytes read as a little-endian 64-bit number, in 16
 * upper-case hex digits.
 */

#define VD_KEY_ERROR (vd_key_error_quark ())

typedef enum
{
  VD_KEY_ERROR_FAILED,        /* libsodium could not start, no memory, I/O */
  VD_KEY_ERROR_FORMAT,        /* a key, key file or signature is malformed */
  VD_KEY_ERROR_PASSPHRASE,    /* wrong passphrase */
  VD_KEY_ERROR_PERMISSIONS,   /* a secret key file others may read */
  VD_KEY_ERROR_NOT_FOUND,     /* no key for this reviewer */
  VD_KEY_ERROR_EXISTS,        /* a key exists already */
  VD_KEY_ERROR_LOCKED,        /* the secret half is not unlocked */
  VD_KEY_ERROR_SIGNATURE,     /* a signature does not verify */
  VD_KEY_ERROR_UNKNOWN_KEY,   /* signed by a key that is not known */
  VD_KEY_ERROR_NOT_ALLOWED,   /* a roster refuses the reviewer or the role */
} VdKeyError;

#define VD_KEY_ID_BYTES        8
#define VD_KEY_PUBLIC_BYTES    32
#define VD_KEY_SIGNATURE_BYTES 64

/* Prefix of the message signed for an audit event: the signature covers
 * the ASCII bytes VD_AUDIT_SIGNATURE_PREFIX followed by the event's hash in
 * 64 lower-case hex digits. */
#define VD_AUDIT_SIGNATURE_PREFIX "verdict-audit-v1:"

#define VD_TYPE_KEY (vd_key_get_type ())

G_DECLARE_FINAL_TYPE (VdKey, vd_key, VD, KEY, GObject)

GQuark        vd_key_error_quark         (void);

gboolean      vd_crypto_init             (GError       **error);

VdKey        *vd_key_generate            (const char    *owner,
                                          GError       **error);
VdKey        *vd_key_new_public          (const char    *owner,
                                          const guint8  *key_id,
                                          const guint8  *public_key);
VdKey        *vd_key_new_from_secret     (const char    *owner,
                                          const guint8  *key_id,
                                          const guint8  *secret_key,
                                          GError       **error);
VdKey        *vd_key_parse_public        (const char    *text,
                                          const char    *owner,
                                          GError       **error);
VdKey        *vd_key_dup_public          (VdKey         *self);

const char   *vd_key_get_owner           (VdKey         *self);
const char   *vd_key_get_id              (VdKey         *self);
const guint8 *vd_key_get_id_bytes        (VdKey         *self);
const guint8 *vd_key_get_public_bytes    (VdKey         *self);
gboolean      vd_key_has_secret          (VdKey         *self);
const guint8 *vd_key_peek_secret_bytes   (VdKey         *self);
void          vd_key_lock                (VdKey         *self);
gboolean      vd_key_equal_public        (VdKey         *a,
                                          VdKey         *b);

char         *vd_key_format_public       (VdKey         *self);
char         *vd_key_format_public_file  (VdKey         *self);

gboolean      vd_key_sign                (VdKey         *self,
                                          const guint8  *message,
                                          gsize          length,
                                          guint8        *signature,
                                          GError       **error);
gboolean      vd_key_verify              (VdKey         *self,
                                          const guint8  *message,
                                          gsize          length,
                                          const guint8  *signature);

char         *vd_key_sign_audit_hash     (VdKey         *self,
                                          const char    *hash_hex,
                                          GError       **error);
gboolean      vd_key_verify_audit_hash   (VdKey         *self,
                                          const char    *hash_hex,
                                          const char    *signature_base64);

G_END_DECLS
