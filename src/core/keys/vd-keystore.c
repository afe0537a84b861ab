/* vd-keystore.c
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

#define G_LOG_DOMAIN "vd-keystore"

#include "config.h"

#include <errno.h>
#include <string.h>

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <sodium.h>

#include "vd-key-file.h"
#include "vd-keystore.h"

#define MAX_REVIEWER_ID_BYTES 128

struct _VdKeystore
{
  GObject  parent_instance;

  char    *dir;
};

G_DEFINE_FINAL_TYPE (VdKeystore, vd_keystore, G_TYPE_OBJECT)

static void
vd_keystore_finalize (GObject *object)
{
  VdKeystore *self = (VdKeystore *)object;

  g_free (self->dir);

  G_OBJECT_CLASS (vd_keystore_parent_class)->finalize (object);
}

static void
vd_keystore_class_init (VdKeystoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = vd_keystore_finalize;
}

static void
vd_keystore_init (VdKeystore *self)
{
}

/**
 * vd_keystore_default_dir:
 *
 * Returns: (transfer full): $VERDICT_KEYS_DIR when set and not empty, else
 *   `$XDG_DATA_HOME/verdict/keys`
 */
char *
vd_keystore_default_dir (void)
{
  const char *env = g_getenv ("VERDICT_KEYS_DIR");

  if (env != NULL && *env != '\0')
    return g_strdup (env);

  return g_build_filename (g_get_user_data_dir (), "verdict", "keys", NULL);
}

/**
 * vd_keystore_new:
 * @dir: the keystore folder; created (mode 0700) when a key is generated
 *
 * Returns: (transfer full): a keystore
 */
VdKeystore *
vd_keystore_new (const char *dir)
{
  VdKeystore *self;

  g_return_val_if_fail (dir != NULL, NULL);

  self = g_object_new (VD_TYPE_KEYSTORE, NULL);
  self->dir = g_strdup (dir);

  return self;
}

/**
 * vd_keystore_new_default:
 *
 * Returns: (transfer full): the keystore in vd_keystore_default_dir()
 */
VdKeystore *
vd_keystore_new_default (void)
{
  g_autofree char *dir = vd_keystore_default_dir ();

  return vd_keystore_new (dir);
}

const char *
vd_keystore_get_dir (VdKeystore *self)
{
  g_return_val_if_fail (VD_IS_KEYSTORE (self), NULL);

  return self->dir;
}

static gboolean
check_reviewer_id (const char  *reviewer_id,
                   GError     **error)
{
  const char *problem = NULL;

  if (reviewer_id == NULL || *reviewer_id == '\0')
    problem = _("it is empty");
  else if (strlen (reviewer_id) > MAX_REVIEWER_ID_BYTES)
    problem = _("it is longer than 128 bytes");
  else if (!g_utf8_validate (reviewer_id, -1, NULL))
    problem = _("it is not valid UTF-8");
  else if (reviewer_id[0] == '.')
    problem = _("it starts with “.”");
  else if (strchr (reviewer_id, '/') != NULL || strchr (reviewer_id, '\\') != NULL)
    problem = _("it holds a slash");
  else
    {
      for (const char *p = reviewer_id; *p != '\0'; p++)
        if ((guchar) *p < 0x20 || *p == 0x7f)
          problem = _("it holds a control character");
    }

  if (problem != NULL)
    {
      g_autofree char *shown = g_strescape (reviewer_id != NULL ? reviewer_id : "", NULL);

      g_set_error (error, VD_KEY_ERROR, VD_KEY_ERROR_FORMAT,
                   _("The reviewer ID “%s” cannot name a key file: %s"), shown, problem);
      return FALSE;
    }

  return TRUE;
}

static char *
dup_path (VdKeystore *self,
          const char *reviewer_id,
          const char *suffix)
{
  g_autofree char *name = g_strconcat (reviewer_id, suffix, NULL);

  return g_build_filename (self->dir, name, NULL);
}

/**
 * vd_keystore_has_key:
 * @self: a #VdKeystore
 * @reviewer_id: a reviewer ID
 *
 * Returns: whether the reviewer has a secret key file here
 */
gboolean
vd_keystore_has_key (VdKeystore *self,
                     const char *reviewer_id)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (VD_IS_KEYSTORE (self), FALSE);

  if (!check_reviewer_id (reviewer_id, NULL))
    return FALSE;

  path = dup_path (self, reviewer_id, ".key");
  return g_file_test (path, G_FILE_TEST_EXISTS);
}

/**
 * vd_keystore_dup_key_path:
 * @self: a #VdKeystore
 * @reviewer_id: a reviewer ID
 *
 * Returns: (transfer full) (nullable): the path of the reviewer's secret
 *   key file (which may not exist), or %NULL for an ID that cannot name one
 */
char *
vd_keystore_dup_key_path (VdKeystore *self,
                          const char *reviewer_id)
{
  g_return_val_if_fail (VD_IS_KEYSTORE (self), NULL);

  if (!check_reviewer_id (reviewer_id, NULL))
    return NULL;

  return dup_path (self, reviewer_id, ".key");
}

static int
compare_keys (gconstpointer a,
              gconstpointer b)
{
  VdKey *ka = *(VdKey **)a;
  VdKey *kb = *(VdKey **)b;

  return strcmp (vd_key_get_owner (ka), vd_key_get_owner (kb));
}

/**
 * vd_keystore_list:
 * @self: a #VdKeystore
 * @error: return location for a #GError
 *
 * Lists the public halves of the secret keys in the folder, sorted by
 * reviewer ID; each key's owner is its reviewer ID. A missing folder is an
 * empty list. A key file that cannot be read is left out.
 *
 * Returns: (transfer full) (element-type VdKey) (nullable): the keys
 */
GPtrArray *
vd_keystore_list (VdKeystore  *self,
                  GError     **error)
{
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_return_val_if_fail (VD_IS_KEYSTORE (self), NULL);

  dir = g_dir_open (self->dir, 0, &local_error);
  if (dir == NULL)
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return g_steal_pointer (&keys);
      g_set_error (error, VD_KEY_ERROR, VD_KEY_ERROR_FAILED, _("%s: could not list it: %s"),
                   self->dir, local_error->message);
      return NULL;
    }

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autoptr(GError) file_error = NULL;
      g_autoptr(VdKey) key = NULL;
      g_autofree char *reviewer_id = NULL;
      g_autofree char *path = NULL;

      if (!g_str_has_suffix (name, ".key"))
        continue;
      reviewer_id = g_strndup (name, strlen (name) - strlen (".key"));
      if (!check_reviewer_id (reviewer_id, NULL))
        continue;

      path = g_build_filename (self->dir, name, NULL);
      key = vd_key_file_load_public (path, &file_error);
      if (key == NULL)
        {
          g_debug ("Skipping %s: %s", path, file_error->message);
          continue;
        }
      if (!g_str_equal (vd_key_get_owner (key), reviewer_id))
        {
          g_debug ("Skipping %s: it is %s's key", path, vd_key_get_owner (key));
          continue;
        }
      g_ptr_array_add (keys, g_steal_pointer (&key));
    }

  g_ptr_array_sort (keys, compare_keys);

  return g_steal_pointer (&keys);
}

static gboolean
ensure_dir (VdKeystore  *self,
            GError     **error)
{
  if (g_mkdir_with_parents (self->dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, VD_KEY_ERROR, VD_KEY_ERROR_FAILED,
                   _("%s: could not create the key folder: %s"),
                   self->dir, g_strerror (saved_errno));
      return FALSE;
    }

  return TRUE;
}

/**
 * vd_keystore_generate:
 * @self: a #VdKeystore
 * @reviewer_id: the reviewer ID
 * @passphrase: the passphrase that seals the key
 * @error: return location for a #GError
 *
 * Generates a key for @reviewer_id and writes `ID.key` (sealed, mode 0600)
 * and `ID.pub`. Refuses (%VD_KEY_ERROR_EXISTS) when the reviewer has a key.
 *
 * Returns: (transfer full) (nullable): the new key, unlocked
 */
VdKey *
vd_keystore_generate (VdKeystore  *self,
                      const char  *reviewer_id,
                      const char  *passphrase,
                      GError     **error)
{
  g_autoptr(VdKey) key = NULL;
  g_autofree char *key_path = NULL;
  g_autofree char *pub_path = NULL;
  g_autofree char *pub_text = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (VD_IS_KEYSTORE (self), NULL);
  g_return_val_if_fail (passphrase != NULL, NULL);

  if (!check_reviewer_id (reviewer_id, error))
    return NULL;

  key_path = dup_path (self, reviewer_id, ".key");
  pub_path = dup_path (self, reviewer_id, ".pub");

  if (g_file_test (key_path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, VD_KEY_ERROR, VD_KEY_ERROR_EXISTS,
                   _("%s has a key already (%s); change its passphrase instead, or move "
                     "the file away first"), reviewer_id, key_path);
      return NULL;
    }

  if (!ensure_dir (self, error))
    return NULL;

  key = vd_key_generate (reviewer_id, error);
  if (key == NULL)
    return NULL;

  if (!vd_key_file_save (key, key_path, passphrase, error))
    return NULL;

  pub_text = vd_key_format_public_file (key);
  if (!g_file_set_contents_full (pub_path, pub_text, -1,
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0644, &local_error))
    {
      g_set_error (error, VD_KEY_ERROR, VD_KEY_ERROR_FAILED,
                   _("%s: could not write the public key: %s"), pub_path,
                   local_error->message);
      g_unlink (key_path);
      return NULL;
    }

  return g_steal_pointer (&key);
}

/**
 * vd_keystore_unlock:
 * @self: a #VdKeystore
 * @reviewer_id: the reviewer ID
 * @passphrase: the key's passphrase
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the reviewer's key, unlocked
 */
VdKey *
vd_keystore_unlock (VdKeystore  *self,
                    const char  *reviewer_id,
                    const char  *passphrase,
                    GError     **error)
{
  g_autoptr(VdKey) key = NULL;
  g_autofree char *path = NULL;

  g_return_val_if_fail (VD_IS_KEYSTORE (self), NULL);

  if (!check_reviewer_id (reviewer_id, error))
    return NULL;

  path = dup_path (self, reviewer_id, ".key");
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, VD_KEY_ERROR, VD_KEY_ERROR_NOT_FOUND,
                   _("%s has no key in %s (create one with “verdict-cli keys generate "
                     "--reviewer %s”)"), reviewer_id, self->dir, reviewer_id);
      return NULL;
    }

  key = vd_key_file_load (path, passphrase, error);
  if (key == NULL)
    return NULL;

  if (!g_str_equal (vd_key_get_owner (key), reviewer_id))
    {
      g_set_error (error, VD_KEY_ERROR, VD_KEY_ERROR_FORMAT,
                   _("%s: the key belongs to “%s”, not to “%s”"),
                   path, vd_key_get_owner (key), reviewer_id);
      return NULL;
    }

  return g_steal_pointer (&key);
}

/**
 * vd_keystore_lookup_public:
 * @self: a #VdKeystore
 * @reviewer_id: the reviewer ID
 * @error: return location for a #GError
 *
 * Reads the reviewer's public key from `ID.pub`, else from `ID.key`.
 *
 * Returns: (transfer full) (nullable): the public key, owned by
 *   @reviewer_id, or %NULL with %VD_KEY_ERROR_NOT_FOUND
 */
VdKey *
vd_keystore_lookup_public (VdKeystore  *self,
                           const char  *reviewer_id,
                           GError     **error)
{
  g_autofree char *pub_path = NULL;
  g_autofree char *key_path = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GError) local_error = NULL;
  VdKey *key;

  g_return_val_if_fail (VD_IS_KEYSTORE (self), NULL);

  if (!check_reviewer_id (reviewer_id, error))
    return NULL;

  pub_path = dup_path (self, reviewer_id, ".pub");
  key_path = dup_path (self, reviewer_id, ".key");

  if (g_file_get_contents (pub_path, &text, NULL, &local_error))
    {
      key = vd_key_parse_public (text, reviewer_id, &local_error);
      if (key == NULL)
        g_set_error (error, VD_KEY_ERROR, VD_KEY_ERROR_FORMAT, "%s: %s",
                     pub_path, local_error->message);
      return key;
    }

  if (g_file_test (key_path, G_FILE_TEST_EXISTS))
    {
      g_autoptr(VdKey) from_file = vd_key_file_load_public (key_path, error);

      if (from_file == NULL)
        return NULL;
      return vd_key_new_public (reviewer_id, vd_key_get_id_bytes (from_file),
                                vd_key_get_public_bytes (from_file));
    }

  g_set_error (error, VD_KEY_ERROR, VD_KEY_ERROR_NOT_FOUND, _("%s has no key in %s"),
               reviewer_id, self->dir);
  return NULL;
}

/**
 * vd_keystore_change_passphrase:
 * @self: a #VdKeystore
 * @reviewer_id: the reviewer ID
 * @old_passphrase: the passphrase now
 * @new_passphrase: the new one
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success; on failure the key file is unchanged
 */
gboolean
vd_keystore_change_passphrase (VdKeystore  *self,
                               const char  *reviewer_id,
                               const char  *old_passphrase,
                               const char  *new_passphrase,
                               GError     **error)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (VD_IS_KEYSTORE (self), FALSE);
  g_return_val_if_fail (old_passphrase != NULL, FALSE);
  g_return_val_if_fail (new_passphrase != NULL, FALSE);

  if (!check_reviewer_id (reviewer_id, error))
    return FALSE;

  path = dup_path (self, reviewer_id, ".key");
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, VD_KEY_ERROR, VD_KEY_ERROR_NOT_FOUND, _("%s has no key in %s"),
                   reviewer_id, self->dir);
      return FALSE;
    }

  return vd_key_file_change_passphrase (path, old_passphrase, new_passphrase, error);
}

/* What a thread needs to unlock or generate; the passphrase is a copy in
 * sodium_malloc() memory, wiped when the task is done. */
typedef struct
{
  char *reviewer_id;
  char *passphrase;
} KeyTaskData;

static void
key_task_data_free (KeyTaskData *data)
{
  g_free (data->reviewer_id);
  g_clear_pointer (&data->passphrase, sodium_free);
  g_free (data);
}

static GTask *
key_task_new (VdKeystore          *self,
              const char          *reviewer_id,
              const char          *passphrase,
              gpointer             source_tag,
              GCancellable        *cancellable,
              GAsyncReadyCallback  callback,
              gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  KeyTaskData *data = g_new0 (KeyTaskData, 1);
  g_autoptr(GError) error = NULL;

  g_task_set_source_tag (task, source_tag);
  data->reviewer_id = g_strdup (reviewer_id);
  g_task_set_task_data (task, data, (GDestroyNotify) key_task_data_free);

  if (passphrase != NULL)
    {
      gsize length = strlen (passphrase);

      if (vd_crypto_init (&error))
        data->passphrase = sodium_malloc (length + 1);
      if (data->passphrase != NULL)
        memcpy (data->passphrase, passphrase, length + 1);
    }

  return task;
}

/* Unlocks or generates, as the task's source tag says: both derive a key
 * from the passphrase with Argon2id, which takes a noticeable time. */
static void
key_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  KeyTaskData *data = task_data;
  g_autoptr(GError) error = NULL;
  VdKey *key;

  if (g_task_return_error_if_cancelled (task))
    return;

  if (g_task_get_source_tag (task) == vd_keystore_unlock_async)
    key = vd_keystore_unlock (VD_KEYSTORE (source_object), data->reviewer_id,
                              data->passphrase, &error);
  else
    key = vd_keystore_generate (VD_KEYSTORE (source_object), data->reviewer_id,
                                data->passphrase, &error);
  g_clear_pointer (&data->passphrase, sodium_free);

  if (key == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, key, g_object_unref);
}

static void
key_task_run (VdKeystore          *self,
              const char          *reviewer_id,
              const char          *passphrase,
              gpointer             source_tag,
              GCancellable        *cancellable,
              GAsyncReadyCallback  callback,
              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  task = key_task_new (self, reviewer_id, passphrase, source_tag, cancellable, callback,
                       user_data);
  if (((KeyTaskData *) g_task_get_task_data (task))->passphrase == NULL)
    {
      g_task_return_new_error (task, VD_KEY_ERROR, VD_KEY_ERROR_FAILED,
                               _("No memory for the passphrase"));
      return;
    }
  g_task_run_in_thread (task, key_thread);
}

static VdKey *
key_task_finish (VdKeystore    *self,
                 GAsyncResult  *result,
                 gpointer       source_tag,
                 GError       **error)
{
  g_return_val_if_fail (VD_IS_KEYSTORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * vd_keystore_unlock_async:
 * @self: a #VdKeystore
 * @reviewer_id: the reviewer ID
 * @passphrase: the key's passphrase, copied at once; the caller may wipe
 *   it when this returns
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the key is unlocked or could not be
 * @user_data: data for @callback
 *
 * vd_keystore_unlock() in a thread: Argon2id takes a noticeable time.
 */
void
vd_keystore_unlock_async (VdKeystore          *self,
                          const char          *reviewer_id,
                          const char          *passphrase,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_return_if_fail (VD_IS_KEYSTORE (self));
  g_return_if_fail (reviewer_id != NULL);
  g_return_if_fail (passphrase != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  key_task_run (self, reviewer_id, passphrase, vd_keystore_unlock_async, cancellable,
                callback, user_data);
}

/**
 * vd_keystore_unlock_finish:
 * @self: a #VdKeystore
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the unlocked key
 */
VdKey *
vd_keystore_unlock_finish (VdKeystore    *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  return key_task_finish (self, result, vd_keystore_unlock_async, error);
}

/**
 * vd_keystore_generate_async:
 * @self: a #VdKeystore
 * @reviewer_id: the reviewer ID
 * @passphrase: the passphrase that seals the key, copied at once
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the key is written or could not be
 * @user_data: data for @callback
 *
 * vd_keystore_generate() in a thread.
 */
void
vd_keystore_generate_async (VdKeystore          *self,
                            const char          *reviewer_id,
                            const char          *passphrase,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_return_if_fail (VD_IS_KEYSTORE (self));
  g_return_if_fail (reviewer_id != NULL);
  g_return_if_fail (passphrase != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  key_task_run (self, reviewer_id, passphrase, vd_keystore_generate_async, cancellable,
                callback, user_data);
}

/**
 * vd_keystore_generate_finish:
 * @self: a #VdKeystore
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the new key, unlocked
 */
VdKey *
vd_keystore_generate_finish (VdKeystore    *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  return key_task_finish (self, result, vd_keystore_generate_async, error);
}
