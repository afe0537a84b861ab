/* vd-key.c
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

#define G_LOG_DOMAIN "vd-key"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <sodium.h>

#include "vd-key.h"

/* "Ed" || key id || public key, as in minisign's public key files. */
#define PUBLIC_LINE_BYTES (2 + VD_KEY_ID_BYTES + VD_KEY_PUBLIC_BYTES)

struct _VdKey
{
  GObject  parent_instance;

  char    *owner;
  char    *id;
  guint8   id_bytes[VD_KEY_ID_BYTES];
  guint8   public_bytes[VD_KEY_PUBLIC_BYTES];

  /* The secret half (libsodium's seed || public key, 64 bytes) in
   * sodium_malloc() memory, or NULL. The mutex keeps vd_key_lock() from
   * wiping it while another thread signs. */
  GMutex   mutex;
  guint8  *secret;
};

G_DEFINE_FINAL_TYPE (VdKey, vd_key, G_TYPE_OBJECT)

G_DEFINE_QUARK (vd-key-error-quark, vd_key_error)

static gsize crypto_ready = 0;
static int crypto_status = -1;

/**
 * vd_crypto_init:
 * @error: return location for a #GError
 *
 * Starts libsodium once; safe to call from any thread, any number of
 * times.
 *
 * Returns: %TRUE when libsodium is ready
 */
gboolean
vd_crypto_init (GError **error)
{
  if (g_once_init_enter (&crypto_ready))
    {
      crypto_status = sodium_init ();
      g_once_init_leave (&crypto_ready, 1);
    }

  if (crypto_status < 0)
    {
      g_set_error_literal (error, VD_KEY_ERROR, VD_KEY_ERROR_FAILED,
                           _("The cryptography library (libsodium) could not start"));
      return FALSE;
    }

  return TRUE;
}

static void
vd_key_finalize (GObject *object)
{
  VdKey *self = (VdKey *)object;

  vd_key_lock (self);
  g_mutex_clear (&self->mutex);
  g_free (self->owner);
  g_free (self->id);

  G_OBJECT_CLASS (vd_key_parent_class)->finalize (object);
}

static void
vd_key_class_init (VdKeyClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = vd_key_finalize;
}

static void
vd_key_init (VdKey *self)
{
  g_mutex_init (&self->mutex);
}

static char *
format_key_id (const guint8 *id_bytes)
{
  guint64 value = 0;

  for (int i = VD_KEY_ID_BYTES - 1; i >= 0; i--)
    value = (value << 8) | id_bytes[i];

  return g_strdup_printf ("%016" G_GINT64_MODIFIER "X", value);
}

static VdKey *
key_new (const char   *owner,
         const guint8 *key_id,
         const guint8 *public_key)
{
  VdKey *self = g_object_new (VD_TYPE_KEY, NULL);

  self->owner = g_strdup (owner != NULL ? owner : "");
  memcpy (self->id_bytes, key_id, VD_KEY_ID_BYTES);
  memcpy (self->public_bytes, public_key, VD_KEY_PUBLIC_BYTES);
  self->id = format_key_id (self->id_bytes);

  return self;
}

/**
 * vd_key_generate:
 * @owner: (nullable): the reviewer ID or "installation"
 * @error: return location for a #GError
 *
 * Generates a new key pair with a random key id.
 *
 * Returns: (transfer full): the key, with its secret half
 */
VdKey *
vd_key_generate (const char  *owner,
                 GError     **error)
{
  guint8 key_id[VD_KEY_ID_BYTES];
  guint8 public_key[VD_KEY_PUBLIC_BYTES];
  guint8 *secret;
  VdKey *self;

  if (!vd_crypto_init (error))
    return NULL;

  secret = sodium_malloc (crypto_sign_SECRETKEYBYTES);
  if (secret == NULL)
    {
      g_set_error_literal (error, VD_KEY_ERROR, VD_KEY_ERROR_FAILED,
                           _("No memory for a secret key"));
      return NULL;
    }

  crypto_sign_keypair (public_key, secret);
  randombytes_buf (key_id, sizeof key_id);

  self = key_new (owner, key_id, public_key);
  self->secret = secret;

  return self;
}

/**
 * vd_key_new_public:
 * @owner: (nullable): the key's owner
 * @key_id: the 8-byte key id
 * @public_key: the 32-byte Ed25519 public key
 *
 * Returns: (transfer full): a public key
 */
VdKey *
vd_key_new_public (const char   *owner,
                   const guint8 *key_id,
                   const guint8 *public_key)
{
  g_return_val_if_fail (key_id != NULL, NULL);
  g_return_val_if_fail (public_key != NULL, NULL);

  return key_new (owner, key_id, public_key);
}

/**
 * vd_key_new_from_secret:
 * @owner: (nullable): the key's owner
 * @key_id: the 8-byte key id
 * @secret_key: the 64-byte secret key (seed || public key)
 * @error: return location for a #GError
 *
 * Makes a key from its secret half, which is copied; the caller wipes its
 * own copy. The public key is derived from the seed, and a secret key whose
 * second half is not that public key is refused.
 *
 * Returns: (transfer full) (nullable): the key, with its secret half
 */
VdKey *
vd_key_new_from_secret (const char    *owner,
                        const guint8  *key_id,
                        const guint8  *secret_key,
                        GError       **error)
{
  guint8 public_key[VD_KEY_PUBLIC_BYTES];
  guint8 *secret;
  VdKey *self;

  g_return_val_if_fail (key_id != NULL, NULL);
  g_return_val_if_fail (secret_key != NULL, NULL);

  if (!vd_crypto_init (error))
    return NULL;

  secret = sodium_malloc (crypto_sign_SECRETKEYBYTES);
  if (secret == NULL)
    {
      g_set_error_literal (error, VD_KEY_ERROR, VD_KEY_ERROR_FAILED,
                           _("No memory for a secret key"));
      return NULL;
    }

  /* Re-deriving the pair from the seed catches a secret key whose stored
   * public half was altered. */
  crypto_sign_seed_keypair (public_key, secret, secret_key);
  if (sodium_memcmp (secret, secret_key, crypto_sign_SECRETKEYBYTES) != 0)
    {
      sodium_free (secret);
      g_set_error_literal (error, VD_KEY_ERROR, VD_KEY_ERROR_FORMAT,
                           _("The secret key is inconsistent: its public half does not "
                             "match its seed"));
      return NULL;
    }

  self = key_new (owner, key_id, public_key);
  self->secret = secret;

  return self;
}

/* The last line of @text that is neither empty nor a comment, trimmed. */
static char *
find_key_line (const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  const char *found = NULL;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strstrip (lines[i]);

      if (*line == '\0'
          || g_str_has_prefix (line, "untrusted comment:")
          || g_str_has_prefix (line, "trusted comment:"))
        continue;
      found = line;
    }

  return g_strdup (found);
}

/**
 * vd_key_parse_public:
 * @text: a minisign public key line, or a whole public key file
 * @owner: (nullable): the owner to give the key
 * @error: return location for a #GError
 *
 * Parses a public key in minisign's format. Whitespace around the line
 * and comment lines are ignored.
 *
 * Returns: (transfer full) (nullable): the public key
 */
VdKey *
vd_key_parse_public (const char  *text,
                     const char  *owner,
                     GError     **error)
{
  g_autofree char *line = NULL;
  guint8 decoded[PUBLIC_LINE_BYTES + 3];
  size_t decoded_len = 0;
  const char *end = NULL;

  g_return_val_if_fail (text != NULL, NULL);

  if (!vd_crypto_init (error))
    return NULL;

  line = find_key_line (text);
  if (line == NULL)
    {
      g_set_error_literal (error, VD_KEY_ERROR, VD_KEY_ERROR_FORMAT,
                           _("The public key is empty"));
      return NULL;
    }

  if (sodium_base642bin (decoded, sizeof decoded, line, strlen (line), NULL,
                         &decoded_len, &end, sodium_base64_VARIANT_ORIGINAL) != 0
      || end == NULL || *end != '\0')
    {
      /* Either not base64 at all, or longer than any key could be. */
      if (strspn (line, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=")
          == strlen (line))
        g_set_error (error, VD_KEY_ERROR, VD_KEY_ERROR_FORMAT,
                     _("The public key has the wrong length: %zu base64 characters "
                       "(a minisign public key has 56)"),
                     strlen (line));
      else
        g_set_error_literal (error, VD_KEY_ERROR, VD_KEY_ERROR_FORMAT,
                             _("The public key is not base64 (a minisign public key is "
                               "one line of 56 characters starting with “RW”)"));
      return NULL;
    }

  if (decoded_len != PUBLIC_LINE_BYTES)
    {
      g_set_error (error, VD_KEY_ERROR, VD_KEY_ERROR_FORMAT,
                   _("The public key has the wrong length: %zu bytes, expected %d"),
                   decoded_len, PUBLIC_LINE_BYTES);
      return NULL;
    }

  if (decoded[0] != 'E' || decoded[1] != 'd')
    {
      g_set_error_literal (error, VD_KEY_ERROR, VD_KEY_ERROR_FORMAT,
                           _("The public key is not an Ed25519 minisign key (it does not "
                             "start with “Ed”)"));
      return NULL;
    }

  return key_new (owner, decoded + 2, decoded + 2 + VD_KEY_ID_BYTES);
}

/**
 * vd_key_dup_public:
 * @self: a #VdKey
 *
 * Returns: (transfer full): a copy of the public half of @self
 */
VdKey *
vd_key_dup_public (VdKey *self)
{
  g_return_val_if_fail (VD_IS_KEY (self), NULL);

  return key_new (self->owner, self->id_bytes, self->public_bytes);
}

const char *
vd_key_get_owner (VdKey *self)
{
  g_return_val_if_fail (VD_IS_KEY (self), NULL);

  return self->owner;
}

/**
 * vd_key_get_id:
 * @self: a #VdKey
 *
 * Returns: the key id in 16 upper-case hex digits, as minisign shows it
 */
const char *
vd_key_get_id (VdKey *self)
{
  g_return_val_if_fail (VD_IS_KEY (self), NULL);

  return self->id;
}

const guint8 *
vd_key_get_id_bytes (VdKey *self)
{
  g_return_val_if_fail (VD_IS_KEY (self), NULL);

  return self->id_bytes;
}

const guint8 *
vd_key_get_public_bytes (VdKey *self)
{
  g_return_val_if_fail (VD_IS_KEY (self), NULL);

  return self->public_bytes;
}

gboolean
vd_key_has_secret (VdKey *self)
{
  gboolean ret;

  g_return_val_if_fail (VD_IS_KEY (self), FALSE);

  g_mutex_lock (&self->mutex);
  ret = self->secret != NULL;
  g_mutex_unlock (&self->mutex);

  return ret;
}

/**
 * vd_key_peek_secret_bytes:
 * @self: a #VdKey
 *
 * The 64-byte secret key, for writing it sealed. The pointer is valid
 * until vd_key_lock() or the key's finalization.
 *
 * Returns: (nullable): the secret key, or %NULL when locked
 */
const guint8 *
vd_key_peek_secret_bytes (VdKey *self)
{
  const guint8 *ret;

  g_return_val_if_fail (VD_IS_KEY (self), NULL);

  g_mutex_lock (&self->mutex);
  ret = self->secret;
  g_mutex_unlock (&self->mutex);

  return ret;
}

/**
 * vd_key_lock:
 * @self: a #VdKey
 *
 * Wipes and frees the secret half; the key stays usable for verifying.
 */
void
vd_key_lock (VdKey *self)
{
  g_return_if_fail (VD_IS_KEY (self));

  g_mutex_lock (&self->mutex);
  /* sodium_free() wipes the memory before releasing it. */
  g_clear_pointer (&self->secret, sodium_free);
  g_mutex_unlock (&self->mutex);
}

gboolean
vd_key_equal_public (VdKey *a,
                     VdKey *b)
{
  g_return_val_if_fail (VD_IS_KEY (a), FALSE);
  g_return_val_if_fail (VD_IS_KEY (b), FALSE);

  return memcmp (a->id_bytes, b->id_bytes, VD_KEY_ID_BYTES) == 0
         && memcmp (a->public_bytes, b->public_bytes, VD_KEY_PUBLIC_BYTES) == 0;
}

/**
 * vd_key_format_public:
 * @self: a #VdKey
 *
 * Returns: (transfer full): the minisign public key line ("RW...")
 */
char *
vd_key_format_public (VdKey *self)
{
  guint8 raw[PUBLIC_LINE_BYTES];

  g_return_val_if_fail (VD_IS_KEY (self), NULL);

  raw[0] = 'E';
  raw[1] = 'd';
  memcpy (raw + 2, self->id_bytes, VD_KEY_ID_BYTES);
  memcpy (raw + 2 + VD_KEY_ID_BYTES, self->public_bytes, VD_KEY_PUBLIC_BYTES);

  return g_base64_encode (raw, sizeof raw);
}

/**
 * vd_key_format_public_file:
 * @self: a #VdKey
 *
 * Returns: (transfer full): a minisign public key file, two lines
 */
char *
vd_key_format_public_file (VdKey *self)
{
  g_autofree char *line = NULL;

  g_return_val_if_fail (VD_IS_KEY (self), NULL);

  line = vd_key_format_public (self);

  return g_strdup_printf ("untrusted comment: minisign public key %s\n%s\n", self->id, line);
}

/**
 * vd_key_sign:
 * @self: a #VdKey with its secret half
 * @message: the bytes to sign
 * @length: their length
 * @signature: (out caller-allocates): VD_KEY_SIGNATURE_BYTES bytes
 * @error: return location for a #GError
 *
 * Signs with Ed25519. Thread-safe.
 *
 * Returns: %TRUE on success, %FALSE with %VD_KEY_ERROR_LOCKED when the key
 *   has no secret half
 */
gboolean
vd_key_sign (VdKey         *self,
             const guint8  *message,
             gsize          length,
             guint8        *signature,
             GError       **error)
{
  g_return_val_if_fail (VD_IS_KEY (self), FALSE);
  g_return_val_if_fail (message != NULL || length == 0, FALSE);
  g_return_val_if_fail (signature != NULL, FALSE);

  if (!vd_crypto_init (error))
    return FALSE;

  g_mutex_lock (&self->mutex);
  if (self->secret == NULL)
    {
      g_mutex_unlock (&self->mutex);
      g_set_error (error, VD_KEY_ERROR, VD_KEY_ERROR_LOCKED,
                   _("The key %s of %s is locked"), self->id, self->owner);
      return FALSE;
    }
  crypto_sign_detached (signature, NULL, message != NULL ? message : (const guint8 *)"",
                        length, self->secret);
  g_mutex_unlock (&self->mutex);

  return TRUE;
}

/**
 * vd_key_verify:
 * @self: a #VdKey
 * @message: the signed bytes
 * @length: their length
 * @signature: VD_KEY_SIGNATURE_BYTES bytes
 *
 * Returns: %TRUE when @signature is @self's Ed25519 signature of @message
 */
gboolean
vd_key_verify (VdKey        *self,
               const guint8 *message,
               gsize         length,
               const guint8 *signature)
{
  g_return_val_if_fail (VD_IS_KEY (self), FALSE);
  g_return_val_if_fail (message != NULL || length == 0, FALSE);
  g_return_val_if_fail (signature != NULL, FALSE);

  if (!vd_crypto_init (NULL))
    return FALSE;

  return crypto_sign_verify_detached (signature,
                                      message != NULL ? message : (const guint8 *)"",
                                      length, self->public_bytes) == 0;
}

static gboolean
is_hash_hex (const char *hash_hex)
{
  if (strlen (hash_hex) != 64)
    return FALSE;
  for (const char *p = hash_hex; *p != '\0'; p++)
    if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
      return FALSE;
  return TRUE;
}

/**
 * vd_key_sign_audit_hash:
 * @self: a #VdKey with its secret half
 * @hash_hex: an audit event's hash, 64 lower-case hex digits
 * @error: return location for a #GError
 *
 * Signs VD_AUDIT_SIGNATURE_PREFIX followed by @hash_hex.
 *
 * Returns: (transfer full) (nullable): the signature in standard base64
 */
char *
vd_key_sign_audit_hash (VdKey       *self,
                        const char  *hash_hex,
                        GError     **error)
{
  g_autofree char *message = NULL;
  guint8 signature[VD_KEY_SIGNATURE_BYTES];

  g_return_val_if_fail (VD_IS_KEY (self), NULL);
  g_return_val_if_fail (hash_hex != NULL, NULL);

  if (!is_hash_hex (hash_hex))
    {
      g_set_error (error, VD_KEY_ERROR, VD_KEY_ERROR_FORMAT,
                   _("Not an audit hash (64 lower-case hex digits): “%s”"), hash_hex);
      return NULL;
    }

  message = g_strconcat (VD_AUDIT_SIGNATURE_PREFIX, hash_hex, NULL);
  if (!vd_key_sign (self, (const guint8 *)message, strlen (message), signature, error))
    return NULL;

  return g_base64_encode (signature, sizeof signature);
}

/**
 * vd_key_verify_audit_hash:
 * @self: a #VdKey
 * @hash_hex: an audit event's hash
 * @signature_base64: the signature in standard base64
 *
 * Returns: %TRUE when the signature is @self's over the audit hash
 */
gboolean
vd_key_verify_audit_hash (VdKey      *self,
                          const char *hash_hex,
                          const char *signature_base64)
{
  g_autofree char *message = NULL;
  guint8 signature[VD_KEY_SIGNATURE_BYTES + 3];
  size_t signature_len = 0;
  const char *end = NULL;

  g_return_val_if_fail (VD_IS_KEY (self), FALSE);

  if (hash_hex == NULL || signature_base64 == NULL || !is_hash_hex (hash_hex))
    return FALSE;
  if (!vd_crypto_init (NULL))
    return FALSE;

  if (sodium_base642bin (signature, sizeof signature, signature_base64,
                         strlen (signature_base64), NULL, &signature_len, &end,
                         sodium_base64_VARIANT_ORIGINAL) != 0
      || *end != '\0' || signature_len != VD_KEY_SIGNATURE_BYTES)
    return FALSE;

  message = g_strconcat (VD_AUDIT_SIGNATURE_PREFIX, hash_hex, NULL);

  return vd_key_verify (self, (const guint8 *)message, strlen (message), signature);
}
