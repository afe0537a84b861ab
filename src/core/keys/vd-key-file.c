/* vd-key-file.c
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

#define G_LOG_DOMAIN "vd-key-file"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sodium.h>

#include "vd-json-guard.h"
#include "vd-key-file.h"

/* A key file is a few hundred bytes; anything much larger is not one. */
#define MAX_KEY_FILE_SIZE (64 * 1024)

#define KDF_ARGON2ID "argon2id13"
#define KDF_NONE     "none"

/* What a key file says, before the secret is unsealed. */
typedef struct
{
  char    *owner;
  VdKey   *public_key;
  gboolean sealed;
  guint64  opslimit;
  guint64  memlimit;
  guint8   salt[crypto_pwhash_SALTBYTES];
  guint8   nonce[crypto_secretbox_NONCEBYTES];
  guint8   sealed_bytes[crypto_secretbox_MACBYTES + crypto_sign_SECRETKEYBYTES];
  guint8  *secret;   /* sodium_malloc(), only when not sealed */
} KeyFile;

static void
key_file_clear (KeyFile *kf)
{
  g_clear_pointer (&kf->owner, g_free);
  g_clear_object (&kf->public_key);
  g_clear_pointer (&kf->secret, sodium_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (KeyFile, key_file_clear)

static char *
encode (const guint8 *data,
        gsize         length)
{
  return g_base64_encode (data, length);
}

/* Decodes standard base64 of exactly @length bytes into @out. */
static gboolean
decode_exact (const char *text,
              guint8     *out,
              gsize       length)
{
  g_autofree guint8 *buffer = g_malloc (length + 3);
  size_t decoded = 0;
  const char *end = NULL;
  gboolean ok;

  ok = sodium_base642bin (buffer, length + 3, text, strlen (text), NULL, &decoded, &end,
                          sodium_base64_VARIANT_ORIGINAL) == 0
       && *end == '\0' && decoded == length;
  if (ok)
    memcpy (out, buffer, length);
  sodium_memzero (buffer, length + 3);

  return ok;
}

/* Derives the secretbox key from @passphrase into sodium_malloc() memory. */
static guint8 *
derive_key (const char    *path,
            const char    *passphrase,
            const guint8  *salt,
            guint64        opslimit,
            guint64        memlimit,
            GError       **error)
{
  guint8 *box_key = sodium_malloc (crypto_secretbox_KEYBYTES);

  if (box_key == NULL)
    {
      g_set_error (error, VD_KEY_ERROR, VD_KEY_ERROR_FAILED,
                   _("%s: no memory for the key derivation"), path);
      return NULL;
    }

  if (crypto_pwhash (box_key, crypto_secretbox_KEYBYTES, passphrase, strlen (passphrase), salt,
                     opslimit, (size_t) memlimit, crypto_pwhash_ALG_ARGON2ID13) != 0)
    {
      sodium_free (box_key);
      g_set_error (error, VD_KEY_ERROR, VD_KEY_ERROR_FAILED,
                   _("%s: the key derivation (Argon2id) ran out of memory"), path);
      return NULL;
    }

  return box_key;
}

static char *
build_text (VdKey        *key,
            const char   *path,
            const char   *passphrase,
            GError      **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *public_line = vd_key_format_public (key);
  g_autofree char *json = NULL;
  g_autofree char *comment_owner = NULL;
  const guint8 *secret = vd_key_peek_secret_bytes (key);
  const char *owner = vd_key_get_owner (key);

  if (secret == NULL)
    {
      g_set_error (error, VD_KEY_ERROR, VD_KEY_ERROR_LOCKED,
                   _("%s: the key %s is locked; only an unlocked key can be saved"),
                   path, vd_key_get_id (key));
      return NULL;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "verdict_secret_key");
  json_builder_add_int_value (builder, 1);
  json_builder_set_member_name (builder, "owner");
  json_builder_add_string_value (builder, owner);
  json_builder_set_member_name (builder, "key_id");
  json_builder_add_string_value (builder, vd_key_get_id (key));
  json_builder_set_member_name (builder, "public_key");
  json_builder_add_string_value (builder, public_line);

  if (passphrase == NULL)
    {
      g_autofree char *secret_text = encode (secret, crypto_sign_SECRETKEYBYTES);

      json_builder_set_member_name (builder, "kdf");
      json_builder_add_string_value (builder, KDF_NONE);
      json_builder_set_member_name (builder, "secret");
      json_builder_add_string_value (builder, secret_text);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      json = json_to_string (root, FALSE);
      sodium_memzero (secret_text, strlen (secret_text));
    }
  else
    {
      guint8 salt[crypto_pwhash_SALTBYTES];
      guint8 nonce[crypto_secretbox_NONCEBYTES];
      guint8 sealed[crypto_secretbox_MACBYTES + crypto_sign_SECRETKEYBYTES];
      g_autofree char *salt_text = NULL;
      g_autofree char *nonce_text = NULL;
      g_autofree char *sealed_text = NULL;
      guint64 opslimit = crypto_pwhash_OPSLIMIT_INTERACTIVE;
      guint64 memlimit = crypto_pwhash_MEMLIMIT_INTERACTIVE;
      guint8 *box_key;

      randombytes_buf (salt, sizeof salt);
      randombytes_buf (nonce, sizeof nonce);
      box_key = derive_key (path, passphrase, salt, opslimit, memlimit, error);
      if (box_key == NULL)
        return NULL;
      crypto_secretbox_easy (sealed, secret, crypto_sign_SECRETKEYBYTES, nonce, box_key);
      sodium_free (box_key);

      salt_text = encode (salt, sizeof salt);
      nonce_text = encode (nonce, sizeof nonce);
      sealed_text = encode (sealed, sizeof sealed);

      json_builder_set_member_name (builder, "kdf");
      json_builder_add_string_value (builder, KDF_ARGON2ID);
      json_builder_set_member_name (builder, "opslimit");
      json_builder_add_int_value (builder, (gint64) opslimit);
      json_builder_set_member_name (builder, "memlimit");
      json_builder_add_int_value (builder, (gint64) memlimit);
      json_builder_set_member_name (builder, "salt");
      json_builder_add_string_value (builder, salt_text);
      json_builder_set_member_name (builder, "nonce");
      json_builder_add_string_value (builder, nonce_text);
      json_builder_set_member_name (builder, "sealed");
      json_builder_add_string_value (builder, sealed_text);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      json = json_to_string (root, FALSE);
    }

  /* The comment is one line whatever the owner holds. */
  comment_owner = g_strdup (owner);
  for (char *p = comment_owner; *p != '\0'; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f)
      *p = ' ';

  {
    char *text = g_strdup_printf ("untrusted comment: verdict secret key for %s\n%s\n",
                                  comment_owner, json);

    if (passphrase == NULL)
      sodium_memzero (json, strlen (json));
    return text;
  }
}

static gboolean
write_all (int         fd,
           const char *text,
           gsize       length)
{
  while (length > 0)
    {
      gssize n = write (fd, text, length);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return FALSE;
      text += n;
      length -= (gsize) n;
    }

  return TRUE;
}

/* Writes @text to a new file beside @path with mode 0600 from the start,
 * flushes it, then gives it the name @path: with link() when @path must not
 * exist (so that a key appearing meanwhile is never replaced), with
 * rename() when it replaces the old file. */
static gboolean
write_private_file (const char  *path,
                    const char  *text,
                    gboolean     replace,
                    GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *temp = g_strdup_printf ("%s/.%s.XXXXXX", dir, base);
  int saved_errno;
  int fd;

  fd = g_mkstemp_full (temp, O_WRONLY | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      saved_errno = errno;
      g_set_error (error, VD_KEY_ERROR, VD_KEY_ERROR_FAILED, _("%s: could not write it: %s"),
                   path, g_strerror (saved_errno));
      return FALSE;
    }

  if (!write_all (fd, text, strlen (text)) || fsync (fd) != 0)
    {
      saved_errno = errno;
      close (fd);
      g_unlink (temp);
      g_set_error (error, VD_KEY_ERROR, VD_KEY_ERROR_FAILED, _("%s: could not write it: %s"),
                   path, g_strerror (saved_errno));
      return FALSE;
    }
  close (fd);

  if (replace)
    {
      if (g_rename (temp, path) != 0)
        {
          saved_errno = errno;
          g_unlink (temp);
          g_set_error (error, VD_KEY_ERROR, VD_KEY_ERROR_FAILED,
                       _("%s: could not replace it: %s"), path, g_strerror (saved_errno));
          return FALSE;
        }
    }
  else
    {
      if (link (temp, path) != 0)
        {
          saved_errno = errno;
          g_unlink (temp);
          if (saved_errno == EEXIST)
            g_set_error (error, VD_KEY_ERROR, VD_KEY_ERROR_EXISTS,
                         _("%s: a key exists already; it was left as it is"), path);
          else
            g_set_error (error, VD_KEY_ERROR, VD_KEY_ERROR_FAILED,
                         _("%s: could not write it: %s"), path, g_strerror (saved_errno));
          return FALSE;
        }
      g_unlink (temp);
    }

  /* Make the new name durable as well. */
  fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0)
    {
      fsync (fd);
      close (fd);
    }

  return TRUE;
}

/**
 * vd_key_file_save:
 * @key: an unlocked #VdKey
 * @path: where to write the key file; it must not exist
 * @passphrase: (nullable): the passphrase that seals the secret key, or
 *   %NULL to write it unsealed (the installation key only)
 * @error: return location for a #GError
 *
 * Writes a key file with mode 0600. Refuses (%VD_KEY_ERROR_EXISTS) when
 * @path exists.
 *
 * Returns: %TRUE on success
 */
gboolean
vd_key_file_save (VdKey       *key,
                  const char  *path,
                  const char  *passphrase,
                  GError     **error)
{
  g_autofree char *text = NULL;
  gboolean ok;

  g_return_val_if_fail (VD_IS_KEY (key), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (!vd_crypto_init (error))
    return FALSE;

  if (g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, VD_KEY_ERROR, VD_KEY_ERROR_EXISTS,
                   _("%s: a key exists already; it was left as it is"), path);
      return FALSE;
    }

  text = build_text (key, path, passphrase, error);
  if (text == NULL)
    return FALSE;

  ok = write_private_file (path, text, FALSE, error);
  sodium_memzero (text, strlen (text));

  return ok;
}

/* Reads the file's text, refusing one that group or others may read when
 * @check_mode. */
static char *
read_key_text (const char  *path,
               gboolean     check_mode,
               GError     **error)
{
  g_autofree char *text = NULL;
  struct stat st;
  gsize length = 0;
  int saved_errno;
  int fd;

  fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    {
      saved_errno = errno;
      g_set_error (error, VD_KEY_ERROR,
                   saved_errno == ENOENT ? VD_KEY_ERROR_NOT_FOUND : VD_KEY_ERROR_FAILED,
                   _("%s: could not read it: %s"), path, g_strerror (saved_errno));
      return NULL;
    }

  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode))
    {
      close (fd);
      g_set_error (error, VD_KEY_ERROR, VD_KEY_ERROR_FORMAT,
                   _("%s: not a regular file"), path);
      return NULL;
    }

  if (check_mode && (st.st_mode & 077) != 0)
    {
      close (fd);
      g_set_error (error, VD_KEY_ERROR, VD_KEY_ERROR_PERMISSIONS,
                   _("%s: readable by others (mode %04o); run chmod 600 %s"),
                   path, (guint) (st.st_mode & 07777), path);
      return NULL;
    }

  if (st.st_size > MAX_KEY_FILE_SIZE)
    {
      close (fd);
      g_set_error (error, VD_KEY_ERROR, VD_KEY_ERROR_FORMAT,
                   _("%s: not a Verdict key file (larger than %d bytes)"),
                   path, MAX_KEY_FILE_SIZE);
      return NULL;
    }

  text = g_malloc0 ((gsize) st.st_size + 1);
  while (length < (gsize) st.st_size)
    {
      gssize n = read (fd, text + length, (gsize) st.st_size - length);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          saved_errno = errno;
          close (fd);
          g_set_error (error, VD_KEY_ERROR, VD_KEY_ERROR_FAILED,
                       _("%s: could not read it: %s"), path, g_strerror (saved_errno));
          return NULL;
        }
      if (n == 0)
        break;
      length += (gsize) n;
    }
  close (fd);
  text[length] = '\0';

  return g_steal_pointer (&text);
}

static const char *
get_string (JsonObject  *object,
            const char  *path,
            const char  *member,
            GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_set_error (error, VD_KEY_ERROR, VD_KEY_ERROR_FORMAT,
                   _("%s: “%s” is missing or not a string"), path, member);
      return NULL;
    }

  return json_node_get_string (node);
}

static gboolean
get_uint (JsonObject  *object,
          const char  *path,
          const char  *member,
          guint64      min,
          guint64      max,
          guint64     *value,
          GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);
  gint64 v;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_INT64)
    {
      g_set_error (error, VD_KEY_ERROR, VD_KEY_ERROR_FORMAT,
                   _("%s: “%s” is missing or not an integer"), path, member);
      return FALSE;
    }

  v = json_node_get_int (node);
  if (v < 0 || (guint64) v < min || (guint64) v > max)
    {
      g_set_error (error, VD_KEY_ERROR, VD_KEY_ERROR_FORMAT,
                   _("%s: “%s” is out of range (%" G_GINT64_FORMAT ")"), path, member, v);
      return FALSE;
    }

  *value = (guint64) v;
  return TRUE;
}

static gboolean
decode_member (JsonObject  *object,
               const char  *path,
               const char  *member,
               guint8      *out,
               gsize        length,
               GError     **error)
{
  const char *text = get_string (object, path, member, error);

  if (text == NULL)
    return FALSE;

  if (!decode_exact (text, out, length))
    {
      g_set_error (error, VD_KEY_ERROR, VD_KEY_ERROR_FORMAT,
                   _("%s: “%s” is not base64 of %" G_GSIZE_FORMAT " bytes"),
                   path, member, length);
      return FALSE;
    }

  return TRUE;
}

/* Parses the key file at @path into @kf without unsealing anything. */
static gboolean
parse_key_file (const char  *path,
                gboolean     check_mode,
                KeyFile     *kf,
                GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(VdKey) parsed = NULL;
  g_autofree char *text = NULL;
  JsonObject *object;
  const char *json;
  const char *owner;
  const char *key_id;
  const char *public_line;
  const char *kdf;
  JsonNode *version;

  text = read_key_text (path, check_mode, error);
  if (text == NULL)
    return FALSE;

  if (!g_str_has_prefix (text, "untrusted comment:") || strchr (text, '\n') == NULL)
    {
      sodium_memzero (text, strlen (text));
      g_set_error (error, VD_KEY_ERROR, VD_KEY_ERROR_FORMAT,
                   _("%s: not a Verdict secret key file (no “untrusted comment:” line)"), path);
      return FALSE;
    }

  json = strchr (text, '\n') + 1;
  root = vd_json_guard_parse (json, strlen (json), MAX_KEY_FILE_SIZE, &local_error);
  /* The unsealed form holds the secret in the text. */
  sodium_memzero (text, strlen (text));
  if (root == NULL)
    {
      g_set_error (error, VD_KEY_ERROR, VD_KEY_ERROR_FORMAT,
                   _("%s: not a Verdict secret key file (truncated or damaged: %s)"),
                   path, local_error->message);
      return FALSE;
    }
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, VD_KEY_ERROR, VD_KEY_ERROR_FORMAT,
                   _("%s: not a Verdict secret key file (not a JSON object)"), path);
      return FALSE;
    }
  object = json_node_get_object (root);

  version = json_object_get_member (object, "verdict_secret_key");
  if (version == NULL || !JSON_NODE_HOLDS_VALUE (version)
      || json_node_get_value_type (version) != G_TYPE_INT64)
    {
      g_set_error (error, VD_KEY_ERROR, VD_KEY_ERROR_FORMAT,
                   _("%s: not a Verdict secret key file (no “verdict_secret_key”)"), path);
      return FALSE;
    }
  if (json_node_get_int (version) != 1)
    {
      g_set_error (error, VD_KEY_ERROR, VD_KEY_ERROR_FORMAT,
                   _("%s: key file version %" G_GINT64_FORMAT " is not supported (this "
                     "Verdict reads version 1)"), path, json_node_get_int (version));
      return FALSE;
    }

  if (!(owner = get_string (object, path, "owner", error))
      || !(key_id = get_string (object, path, "key_id", error))
      || !(public_line = get_string (object, path, "public_key", error))
      || !(kdf = get_string (object, path, "kdf", error)))
    return FALSE;

  parsed = vd_key_parse_public (public_line, owner, &local_error);
  if (parsed == NULL)
    {
      g_set_error (error, VD_KEY_ERROR, VD_KEY_ERROR_FORMAT, _("%s: “public_key”: %s"),
                   path, local_error->message);
      return FALSE;
    }
  if (!g_str_equal (key_id, vd_key_get_id (parsed)))
    {
      g_set_error (error, VD_KEY_ERROR, VD_KEY_ERROR_FORMAT,
                   _("%s: “key_id” %s is not the public key's id %s"),
                   path, key_id, vd_key_get_id (parsed));
      return FALSE;
    }

  if (g_str_equal (kdf, KDF_NONE))
    {
      kf->secret = sodium_malloc (crypto_sign_SECRETKEYBYTES);
      if (kf->secret == NULL)
        {
          g_set_error (error, VD_KEY_ERROR, VD_KEY_ERROR_FAILED,
                       _("%s: no memory for a secret key"), path);
          return FALSE;
        }
      if (!decode_member (object, path, "secret", kf->secret, crypto_sign_SECRETKEYBYTES,
                          error))
        return FALSE;
      kf->sealed = FALSE;
    }
  else if (g_str_equal (kdf, KDF_ARGON2ID))
    {
      if (!get_uint (object, path, "opslimit", crypto_pwhash_OPSLIMIT_MIN,
                     crypto_pwhash_OPSLIMIT_SENSITIVE, &kf->opslimit, error)
          || !get_uint (object, path, "memlimit", crypto_pwhash_MEMLIMIT_MIN,
                        crypto_pwhash_MEMLIMIT_SENSITIVE, &kf->memlimit, error)
          || !decode_member (object, path, "salt", kf->salt, sizeof kf->salt, error)
          || !decode_member (object, path, "nonce", kf->nonce, sizeof kf->nonce, error)
          || !decode_member (object, path, "sealed", kf->sealed_bytes,
                             sizeof kf->sealed_bytes, error))
        return FALSE;
      kf->sealed = TRUE;
    }
  else
    {
      g_set_error (error, VD_KEY_ERROR, VD_KEY_ERROR_FORMAT,
                   _("%s: unknown “kdf” “%s” (expected “%s” or “%s”)"),
                   path, kdf, KDF_ARGON2ID, KDF_NONE);
      return FALSE;
    }

  kf->owner = g_strdup (owner);
  kf->public_key = g_steal_pointer (&parsed);

  return TRUE;
}

/**
 * vd_key_file_load:
 * @path: a key file
 * @passphrase: (nullable): its passphrase; %NULL only for an unsealed file
 * @error: return location for a #GError
 *
 * Reads and unseals a key file.
 *
 * Returns: (transfer full) (nullable): the key with its secret half
 */
VdKey *
vd_key_file_load (const char  *path,
                  const char  *passphrase,
                  GError     **error)
{
  g_auto(KeyFile) kf = { 0 };
  g_autoptr(GError) local_error = NULL;
  g_autoptr(VdKey) key = NULL;
  guint8 *secret;

  g_return_val_if_fail (path != NULL, NULL);

  if (!vd_crypto_init (error))
    return NULL;

  if (!parse_key_file (path, TRUE, &kf, error))
    return NULL;

  if (kf.sealed)
    {
      guint8 *box_key;
      int opened;

      if (passphrase == NULL)
        {
          g_set_error (error, VD_KEY_ERROR, VD_KEY_ERROR_PASSPHRASE,
                       _("%s: the key is sealed with a passphrase; none was given"), path);
          return NULL;
        }

      box_key = derive_key (path, passphrase, kf.salt, kf.opslimit, kf.memlimit, error);
      if (box_key == NULL)
        return NULL;

      secret = sodium_malloc (crypto_sign_SECRETKEYBYTES);
      if (secret == NULL)
        {
          sodium_free (box_key);
          g_set_error (error, VD_KEY_ERROR, VD_KEY_ERROR_FAILED,
                       _("%s: no memory for a secret key"), path);
          return NULL;
        }
      opened = crypto_secretbox_open_easy (secret, kf.sealed_bytes, sizeof kf.sealed_bytes,
                                           kf.nonce, box_key);
      sodium_free (box_key);
      if (opened != 0)
        {
          sodium_free (secret);
          /* The MAC cannot tell a wrong passphrase from an altered salt,
           * nonce or sealed key. */
          g_set_error (error, VD_KEY_ERROR, VD_KEY_ERROR_PASSPHRASE,
                       _("%s: wrong passphrase (or the sealed key in the file was altered)"),
                       path);
          return NULL;
        }
    }
  else
    secret = g_steal_pointer (&kf.secret);

  key = vd_key_new_from_secret (kf.owner, vd_key_get_id_bytes (kf.public_key), secret,
                                &local_error);
  if (key != NULL
      && memcmp (vd_key_get_public_bytes (key), vd_key_get_public_bytes (kf.public_key),
                 VD_KEY_PUBLIC_BYTES) != 0)
    g_clear_object (&key);
  sodium_free (secret);

  if (key == NULL)
    {
      g_set_error (error, VD_KEY_ERROR, VD_KEY_ERROR_FORMAT,
                   _("%s: the public key does not match the secret key"), path);
      return NULL;
    }

  return g_steal_pointer (&key);
}

/**
 * vd_key_file_load_public:
 * @path: a key file
 * @error: return location for a #GError
 *
 * Reads the owner, key id and public key of a key file without its
 * passphrase.
 *
 * Returns: (transfer full) (nullable): the public key
 */
VdKey *
vd_key_file_load_public (const char  *path,
                         GError     **error)
{
  g_auto(KeyFile) kf = { 0 };

  g_return_val_if_fail (path != NULL, NULL);

  if (!vd_crypto_init (error))
    return NULL;

  if (!parse_key_file (path, FALSE, &kf, error))
    return NULL;

  return g_steal_pointer (&kf.public_key);
}

/**
 * vd_key_file_is_sealed:
 * @path: a key file
 * @sealed: (out): whether a passphrase seals its secret key
 * @error: return location for a #GError
 *
 * Returns: %TRUE when the file could be read
 */
gboolean
vd_key_file_is_sealed (const char  *path,
                       gboolean    *sealed,
                       GError     **error)
{
  g_auto(KeyFile) kf = { 0 };

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (sealed != NULL, FALSE);

  if (!vd_crypto_init (error))
    return FALSE;

  if (!parse_key_file (path, FALSE, &kf, error))
    return FALSE;

  *sealed = kf.sealed;
  return TRUE;
}

/**
 * vd_key_file_change_passphrase:
 * @path: a key file
 * @old_passphrase: (nullable): its passphrase now
 * @new_passphrase: (nullable): the new one (%NULL: unsealed)
 * @error: return location for a #GError
 *
 * Unseals the key with @old_passphrase and replaces the file atomically
 * with one sealed with @new_passphrase (a new salt and nonce).
 *
 * Returns: %TRUE on success; on failure the file is unchanged
 */
gboolean
vd_key_file_change_passphrase (const char  *path,
                               const char  *old_passphrase,
                               const char  *new_passphrase,
                               GError     **error)
{
  g_autoptr(VdKey) key = NULL;
  g_autofree char *text = NULL;
  gboolean ok;

  g_return_val_if_fail (path != NULL, FALSE);

  key = vd_key_file_load (path, old_passphrase, error);
  if (key == NULL)
    return FALSE;

  text = build_text (key, path, new_passphrase, error);
  vd_key_lock (key);
  if (text == NULL)
    return FALSE;

  ok = write_private_file (path, text, TRUE, error);
  sodium_memzero (text, strlen (text));

  return ok;
}
