/* vd-minisign.c
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

#define G_LOG_DOMAIN "vd-minisign"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <sodium.h>

#include "vd-atomic-file-private.h"
#include "vd-minisign.h"

#define UNTRUSTED_PREFIX "untrusted comment: "
#define TRUSTED_PREFIX   "trusted comment: "

/* "ED" || key id || Ed25519 signature of the BLAKE2b-512 hash. */
#define SIG_BLOCK_BYTES (2 + VD_KEY_ID_BYTES + VD_KEY_SIGNATURE_BYTES)
#define HASH_BYTES      crypto_generichash_BYTES_MAX

/* A signature file is four short lines; the trusted comment is the only
 * part of any length. */
#define MAX_SIGNATURE_FILE_SIZE (64 * 1024)

#define READ_CHUNK (64 * 1024)

static gboolean
check_trusted_comment (const char  *trusted_comment,
                       GError     **error)
{
  if (strchr (trusted_comment, '\n') != NULL || strchr (trusted_comment, '\r') != NULL
      || !g_utf8_validate (trusted_comment, -1, NULL))
    {
      g_set_error_literal (error, VD_KEY_ERROR, VD_KEY_ERROR_FORMAT,
                           _("A trusted comment must be one line of UTF-8"));
      return FALSE;
    }

  return TRUE;
}

/* The signature file's text for the BLAKE2b-512 @hash. */
static char *
sign_hash (VdKey         *key,
           const guint8  *hash,
           const char    *trusted_comment,
           GError       **error)
{
  g_autofree char *comment = NULL;
  g_autofree guint8 *global_message = NULL;
  g_autofree char *sig_text = NULL;
  g_autofree char *global_text = NULL;
  guint8 block[SIG_BLOCK_BYTES];
  guint8 global[VD_KEY_SIGNATURE_BYTES];
  gsize comment_length;

  if (trusted_comment == NULL)
    comment = g_strdup_printf ("timestamp:%" G_GINT64_FORMAT,
                               g_get_real_time () / G_USEC_PER_SEC);
  else if (!check_trusted_comment (trusted_comment, error))
    return NULL;
  else
    comment = g_strdup (trusted_comment);

  block[0] = 'E';
  block[1] = 'D';
  memcpy (block + 2, vd_key_get_id_bytes (key), VD_KEY_ID_BYTES);
  if (!vd_key_sign (key, hash, HASH_BYTES, block + 2 + VD_KEY_ID_BYTES, error))
    return NULL;

  /* The global signature binds the trusted comment to the signature. */
  comment_length = strlen (comment);
  global_message = g_malloc (VD_KEY_SIGNATURE_BYTES + comment_length);
  memcpy (global_message, block + 2 + VD_KEY_ID_BYTES, VD_KEY_SIGNATURE_BYTES);
  memcpy (global_message + VD_KEY_SIGNATURE_BYTES, comment, comment_length);
  if (!vd_key_sign (key, global_message, VD_KEY_SIGNATURE_BYTES + comment_length, global, error))
    return NULL;

  sig_text = g_base64_encode (block, sizeof block);
  global_text = g_base64_encode (global, sizeof global);

  return g_strdup_printf (UNTRUSTED_PREFIX "signature from verdict secret key %s\n"
                          "%s\n" TRUSTED_PREFIX "%s\n%s\n",
                          vd_key_get_id (key), sig_text, comment, global_text);
}

/**
 * vd_minisign_sign_bytes:
 * @key: an unlocked #VdKey
 * @data: the bytes to sign
 * @length: their length
 * @trusted_comment: (nullable): one line; %NULL for "timestamp:N"
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the text of a minisign signature file
 */
char *
vd_minisign_sign_bytes (VdKey         *key,
                        const guint8  *data,
                        gsize          length,
                        const char    *trusted_comment,
                        GError       **error)
{
  guint8 hash[HASH_BYTES];

  g_return_val_if_fail (VD_IS_KEY (key), NULL);
  g_return_val_if_fail (data != NULL || length == 0, NULL);

  if (!vd_crypto_init (error))
    return NULL;

  crypto_generichash (hash, sizeof hash, data, length, NULL, 0);

  return sign_hash (key, hash, trusted_comment, error);
}

/* BLAKE2b-512 of the file at @path, read in chunks. */
static gboolean
hash_file (const char    *path,
           guint8        *hash,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree guint8 *buffer = NULL;
  crypto_generichash_state state;

  stream = g_file_read (file, cancellable, &local_error);
  if (stream == NULL)
    {
      g_set_error (error, VD_KEY_ERROR, VD_KEY_ERROR_FAILED, _("%s: could not read it: %s"),
                   path, local_error->message);
      return FALSE;
    }

  buffer = g_malloc (READ_CHUNK);
  crypto_generichash_init (&state, NULL, 0, HASH_BYTES);
  for (;;)
    {
      gssize n = g_input_stream_read (G_INPUT_STREAM (stream), buffer, READ_CHUNK,
                                      cancellable, &local_error);

      if (n < 0)
        {
          g_set_error (error, VD_KEY_ERROR, VD_KEY_ERROR_FAILED,
                       _("%s: could not read it: %s"), path, local_error->message);
          return FALSE;
        }
      if (n == 0)
        break;
      crypto_generichash_update (&state, buffer, (gsize) n);
    }
  crypto_generichash_final (&state, hash, HASH_BYTES);

  return TRUE;
}

/**
 * vd_minisign_sign_file:
 * @key: an unlocked #VdKey
 * @path: the file to sign
 * @trusted_comment: (nullable): one line; %NULL for "timestamp:N"
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Signs the file, which is read in chunks whatever its size.
 *
 * Returns: (transfer full) (nullable): the text of a minisign signature file
 */
char *
vd_minisign_sign_file (VdKey         *key,
                       const char    *path,
                       const char    *trusted_comment,
                       GCancellable  *cancellable,
                       GError       **error)
{
  guint8 hash[HASH_BYTES];

  g_return_val_if_fail (VD_IS_KEY (key), NULL);
  g_return_val_if_fail (path != NULL, NULL);

  if (!vd_crypto_init (error))
    return NULL;

  if (!hash_file (path, hash, cancellable, error))
    return NULL;

  return sign_hash (key, hash, trusted_comment, error);
}

static gboolean
write_text (GOutputStream  *stream,
            gpointer        user_data,
            GCancellable   *cancellable,
            GError        **error)
{
  const char *text = user_data;

  return g_output_stream_write_all (stream, text, strlen (text), NULL, cancellable, error);
}

/**
 * vd_minisign_write_signature:
 * @key: an unlocked #VdKey
 * @path: the file to sign
 * @trusted_comment: (nullable): one line; %NULL for "timestamp:N"
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Signs @path and writes the signature to `PATH.minisig` atomically,
 * replacing an older one.
 *
 * Returns: %TRUE on success
 */
gboolean
vd_minisign_write_signature (VdKey         *key,
                             const char    *path,
                             const char    *trusted_comment,
                             GCancellable  *cancellable,
                             GError       **error)
{
  g_autofree char *text = NULL;
  g_autofree char *sig_path = NULL;
  g_autoptr(GFile) sig_file = NULL;

  g_return_val_if_fail (VD_IS_KEY (key), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  text = vd_minisign_sign_file (key, path, trusted_comment, cancellable, error);
  if (text == NULL)
    return FALSE;

  sig_path = g_strconcat (path, ".minisig", NULL);
  sig_file = g_file_new_for_path (sig_path);

  return _vd_atomic_file_write (sig_file, write_text, text, cancellable, error);
}

static gboolean
decode_line (const char  *display,
             guint        line_number,
             const char  *text,
             guint8      *out,
             gsize        length,
             const char  *what,
             GError     **error)
{
  g_autofree guint8 *buffer = g_malloc (length + 3);
  size_t decoded = 0;
  const char *end = NULL;

  if (sodium_base642bin (buffer, length + 3, text, strlen (text), NULL, &decoded, &end,
                         sodium_base64_VARIANT_ORIGINAL) != 0
      || *end != '\0')
    {
      g_set_error (error, VD_KEY_ERROR, VD_KEY_ERROR_FORMAT,
                   _("%s: line %u: the %s is not base64"), display, line_number, what);
      return FALSE;
    }
  if (decoded != length)
    {
      g_set_error (error, VD_KEY_ERROR, VD_KEY_ERROR_FORMAT,
                   _("%s: line %u: the %s has %zu bytes, expected %" G_GSIZE_FORMAT),
                   display, line_number, what, decoded, length);
      return FALSE;
    }

  memcpy (out, buffer, length);
  return TRUE;
}

/* Checks the signature text against the BLAKE2b-512 @hash of @data_name.
 * @display names the signature in messages. */
static gboolean
verify_hash (const char    *display,
             const char    *data_name,
             const char    *signature_text,
             const guint8  *hash,
             GPtrArray     *keys,
             VdKey        **signer,
             char         **trusted_comment,
             GError       **error)
{
  g_auto(GStrv) lines = NULL;
  g_autofree guint8 *global_message = NULL;
  g_autofree char *key_id = NULL;
  guint8 block[SIG_BLOCK_BYTES];
  guint8 global[VD_KEY_SIGNATURE_BYTES];
  const char *comment;
  VdKey *key = NULL;
  guint n_lines;
  gsize comment_length;

  if (!g_utf8_validate (signature_text, -1, NULL))
    {
      g_set_error (error, VD_KEY_ERROR, VD_KEY_ERROR_FORMAT,
                   _("%s: not a minisign signature (not text)"), display);
      return FALSE;
    }

  lines = g_strsplit (signature_text, "\n", -1);
  n_lines = g_strv_length (lines);
  for (guint i = 0; i < n_lines; i++)
    {
      gsize length = strlen (lines[i]);

      if (length > 0 && lines[i][length - 1] == '\r')
        lines[i][length - 1] = '\0';
    }
  /* Trailing empty lines are the file's last newline. */
  while (n_lines > 0 && *lines[n_lines - 1] == '\0')
    n_lines--;

  if (n_lines == 0 || !g_str_has_prefix (lines[0], UNTRUSTED_PREFIX))
    {
      g_set_error (error, VD_KEY_ERROR, VD_KEY_ERROR_FORMAT,
                   _("%s: line 1: not a minisign signature (no “untrusted comment:”)"),
                   display);
      return FALSE;
    }
  if (n_lines < 2)
    {
      g_set_error (error, VD_KEY_ERROR, VD_KEY_ERROR_FORMAT,
                   _("%s: line 2: the signature is missing (the file is truncated)"), display);
      return FALSE;
    }
  if (!decode_line (display, 2, g_strstrip (lines[1]), block, sizeof block, _("signature"),
                    error))
    return FALSE;
  if (block[0] == 'E' && block[1] == 'd')
    {
      g_set_error (error, VD_KEY_ERROR, VD_KEY_ERROR_FORMAT,
                   _("%s: line 2: a legacy signature (not pre-hashed, “Ed”); sign with "
                     "minisign 0.11 or later without -l"), display);
      return FALSE;
    }
  if (block[0] != 'E' || block[1] != 'D')
    {
      g_set_error (error, VD_KEY_ERROR, VD_KEY_ERROR_FORMAT,
                   _("%s: line 2: an unknown signature algorithm (not “ED”)"), display);
      return FALSE;
    }
  if (n_lines < 3 || !g_str_has_prefix (lines[2], TRUSTED_PREFIX))
    {
      g_set_error (error, VD_KEY_ERROR, VD_KEY_ERROR_FORMAT,
                   _("%s: line 3: the “trusted comment:” line is missing"), display);
      return FALSE;
    }
  comment = lines[2] + strlen (TRUSTED_PREFIX);
  if (n_lines < 4)
    {
      g_set_error (error, VD_KEY_ERROR, VD_KEY_ERROR_FORMAT,
                   _("%s: line 4: the global signature is missing (the file is truncated)"),
                   display);
      return FALSE;
    }
  if (!decode_line (display, 4, g_strstrip (lines[3]), global, sizeof global,
                    _("global signature"), error))
    return FALSE;
  if (n_lines > 4)
    {
      g_set_error (error, VD_KEY_ERROR, VD_KEY_ERROR_FORMAT,
                   _("%s: line 5: unexpected text after the global signature"), display);
      return FALSE;
    }

  {
    g_autoptr(VdKey) probe = NULL;
    static const guint8 zero[VD_KEY_PUBLIC_BYTES] = { 0 };

    probe = vd_key_new_public (NULL, block + 2, zero);
    key_id = g_strdup (vd_key_get_id (probe));
  }

  for (guint i = 0; keys != NULL && i < keys->len; i++)
    {
      VdKey *candidate = g_ptr_array_index (keys, i);

      if (memcmp (vd_key_get_id_bytes (candidate), block + 2, VD_KEY_ID_BYTES) == 0)
        {
          key = candidate;
          break;
        }
    }
  if (key == NULL)
    {
      g_set_error (error, VD_KEY_ERROR, VD_KEY_ERROR_UNKNOWN_KEY,
                   _("%s: signed by key %s, which is not a trusted key"), display, key_id);
      return FALSE;
    }

  if (!vd_key_verify (key, hash, HASH_BYTES, block + 2 + VD_KEY_ID_BYTES))
    {
      g_set_error (error, VD_KEY_ERROR, VD_KEY_ERROR_SIGNATURE,
                   _("%s: the signature by key %s does not verify: %s was changed after it "
                     "was signed, or the signature is not for it"),
                   display, key_id, data_name);
      return FALSE;
    }

  comment_length = strlen (comment);
  global_message = g_malloc (VD_KEY_SIGNATURE_BYTES + comment_length);
  memcpy (global_message, block + 2 + VD_KEY_ID_BYTES, VD_KEY_SIGNATURE_BYTES);
  memcpy (global_message + VD_KEY_SIGNATURE_BYTES, comment, comment_length);
  if (!vd_key_verify (key, global_message, VD_KEY_SIGNATURE_BYTES + comment_length, global))
    {
      g_set_error (error, VD_KEY_ERROR, VD_KEY_ERROR_SIGNATURE,
                   _("%s: line 4: the global signature does not verify: the trusted comment "
                     "was changed"), display);
      return FALSE;
    }

  if (signer != NULL)
    *signer = g_object_ref (key);
  if (trusted_comment != NULL)
    *trusted_comment = g_strdup (comment);

  return TRUE;
}

/**
 * vd_minisign_verify_bytes:
 * @signature_text: the text of a minisign signature file
 * @data: the signed bytes
 * @length: their length
 * @keys: (element-type VdKey): the trusted public keys
 * @signer: (out) (optional) (transfer full): the key that signed
 * @trusted_comment: (out) (optional) (transfer full): the trusted comment
 * @error: return location for a #GError
 *
 * Returns: %TRUE when the signature and the global signature verify
 */
gboolean
vd_minisign_verify_bytes (const char    *signature_text,
                          const guint8  *data,
                          gsize          length,
                          GPtrArray     *keys,
                          VdKey        **signer,
                          char         **trusted_comment,
                          GError       **error)
{
  guint8 hash[HASH_BYTES];

  g_return_val_if_fail (signature_text != NULL, FALSE);
  g_return_val_if_fail (data != NULL || length == 0, FALSE);

  if (!vd_crypto_init (error))
    return FALSE;

  crypto_generichash (hash, sizeof hash, data, length, NULL, 0);

  return verify_hash (_("the signature"), _("the data"), signature_text, hash, keys, signer,
                      trusted_comment, error);
}

/**
 * vd_minisign_verify_file:
 * @path: the signed file
 * @signature_path: (nullable): its signature; %NULL for `PATH.minisig`
 * @keys: (element-type VdKey): the trusted public keys
 * @signer: (out) (optional) (transfer full): the key that signed
 * @trusted_comment: (out) (optional) (transfer full): the trusted comment
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Returns: %TRUE when the signature and the global signature verify
 */
gboolean
vd_minisign_verify_file (const char    *path,
                         const char    *signature_path,
                         GPtrArray     *keys,
                         VdKey        **signer,
                         char         **trusted_comment,
                         GCancellable  *cancellable,
                         GError       **error)
{
  g_autofree char *default_path = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GError) local_error = NULL;
  guint8 hash[HASH_BYTES];
  gsize length = 0;

  g_return_val_if_fail (path != NULL, FALSE);

  if (!vd_crypto_init (error))
    return FALSE;

  if (signature_path == NULL)
    signature_path = default_path = g_strconcat (path, ".minisig", NULL);

  if (!g_file_get_contents (signature_path, &text, &length, &local_error))
    {
      g_set_error (error, VD_KEY_ERROR,
                   g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT)
                   ? VD_KEY_ERROR_NOT_FOUND : VD_KEY_ERROR_FAILED,
                   _("%s: could not read the signature: %s"), signature_path,
                   local_error->message);
      return FALSE;
    }
  if (length > MAX_SIGNATURE_FILE_SIZE || strlen (text) != length)
    {
      g_set_error (error, VD_KEY_ERROR, VD_KEY_ERROR_FORMAT,
                   _("%s: not a minisign signature (binary, or larger than %d bytes)"),
                   signature_path, MAX_SIGNATURE_FILE_SIZE);
      return FALSE;
    }

  if (!hash_file (path, hash, cancellable, error))
    return FALSE;

  return verify_hash (signature_path, path, text, hash, keys, signer, trusted_comment, error);
}
