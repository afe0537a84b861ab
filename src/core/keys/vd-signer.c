/* vd-signer.c
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

#define G_LOG_DOMAIN "vd-signer"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <gio/gio.h>

#include "vd-key-file.h"
#include "vd-signer.h"

/* The owner of the installation key, and the actor name its events carry
 * when no reviewer signs them. */
#define INSTALLATION_OWNER "installation"

struct _VdSigner
{
  GObject      parent_instance;

  /* Guards everything below but installation_key, which never changes. */
  GMutex       mutex;

  VdKey       *installation_key;
  GHashTable  *unlocked;        /* reviewer ID → VdKey with its secret half */
  VdRoster    *roster;
  char        *policy_sha256;
  VdKeystore  *keystore;
  GPtrArray   *keystore_keys;   /* VdKey: the keystore's public keys, or NULL
                                 * until first needed */
  GPtrArray   *added;           /* VdKey: vd_signer_add_known_key() */
};

G_DEFINE_FINAL_TYPE (VdSigner, vd_signer, G_TYPE_OBJECT)

static void
vd_signer_finalize (GObject *object)
{
  VdSigner *self = (VdSigner *) object;

  g_clear_object (&self->installation_key);
  g_clear_pointer (&self->unlocked, g_hash_table_unref);
  g_clear_object (&self->roster);
  g_clear_pointer (&self->policy_sha256, g_free);
  g_clear_object (&self->keystore);
  g_clear_pointer (&self->keystore_keys, g_ptr_array_unref);
  g_clear_pointer (&self->added, g_ptr_array_unref);
  g_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (vd_signer_parent_class)->finalize (object);
}

static void
vd_signer_class_init (VdSignerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = vd_signer_finalize;
}

static void
vd_signer_init (VdSigner *self)
{
  g_mutex_init (&self->mutex);
  self->unlocked = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->added = g_ptr_array_new_with_free_func (g_object_unref);
}

/**
 * vd_signer_new:
 * @installation_key: the installation key, with its secret half
 *
 * Returns: (transfer full): a signer that signs automatic events with
 *   @installation_key, with no reviewer unlocked, no roster and no keystore
 */
VdSigner *
vd_signer_new (VdKey *installation_key)
{
  VdSigner *self;

  g_return_val_if_fail (VD_IS_KEY (installation_key), NULL);
  g_return_val_if_fail (vd_key_has_secret (installation_key), NULL);

  self = g_object_new (VD_TYPE_SIGNER, NULL);
  self->installation_key = g_object_ref (installation_key);

  return self;
}

static gboolean
is_in_memory (const char *database_path)
{
  return database_path == NULL ||
         database_path[0] == '\0' ||
         strcmp (database_path, ":memory:") == 0;
}

/**
 * vd_signer_installation_key_path:
 * @database_path: (nullable): the store's database file
 *
 * Returns: (transfer full) (nullable): `DATABASE.installation-key`, or
 *   %NULL for an in-memory store (`:memory:`, empty or %NULL), which has
 *   an ephemeral key
 */
char *
vd_signer_installation_key_path (const char *database_path)
{
  if (is_in_memory (database_path))
    return NULL;

  return g_strconcat (database_path, ".installation-key", NULL);
}

/* Why the store cannot open: the key signs every automatic event and
 * checks the trail, so a bad one is never replaced behind the user's
 * back (that would hide tampering). */
static void
prefix_installation_error (GError     **error,
                           const char  *display_path)
{
  char *message;

  if (error == NULL || *error == NULL)
    return;

  message = g_strdup_printf (
    /* TRANSLATORS: the first %s is the reason, the second a file name */
    _("The installation key cannot be used: %s. It signs this database's audit trail: "
      "restore %s from a backup, or move the database and the key aside to start over"),
    (*error)->message, display_path);
  g_free ((*error)->message);
  (*error)->message = message;
}

static VdKey *
load_installation_key (const char  *path,
                       GError     **error)
{
  g_autofree char *display_path = g_filename_display_name (path);
  g_autoptr(VdKey) key = NULL;
  gboolean sealed = FALSE;

  if (!vd_key_file_is_sealed (path, &sealed, error))
    {
      prefix_installation_error (error, display_path);
      return NULL;
    }

  if (sealed)
    {
      g_set_error (error, VD_KEY_ERROR, VD_KEY_ERROR_FORMAT,
                   _("%s: sealed with a passphrase, but an installation key is not"),
                   display_path);
      prefix_installation_error (error, display_path);
      return NULL;
    }

  key = vd_key_file_load (path, NULL, error);
  if (key == NULL)
    {
      prefix_installation_error (error, display_path);
      return NULL;
    }

  if (!vd_key_has_secret (key))
    {
      g_set_error (error, VD_KEY_ERROR, VD_KEY_ERROR_FORMAT,
                   _("%s: holds no secret key"), display_path);
      prefix_installation_error (error, display_path);
      return NULL;
    }

  return g_steal_pointer (&key);
}

/**
 * vd_signer_new_for_database:
 * @database_path: (nullable): the store's database file, or `:memory:`
 * @error: return location for a #VD_KEY_ERROR error
 *
 * Opens the signer of a store. Its installation key is read from
 * `DATABASE.installation-key` (vd_signer_installation_key_path()), which is
 * created (mode 0600, unsealed) when it does not exist yet; two processes
 * creating it at once end up with the same key. A key file that cannot be
 * read, is corrupt or may be read by others is refused and never
 * replaced: the error names the file and what to do. An in-memory store
 * gets an ephemeral key.
 *
 * The keystore is the default one (vd_keystore_new_default()).
 *
 * Returns: (transfer full) (nullable): the signer, or %NULL on error
 */
VdSigner *
vd_signer_new_for_database (const char  *database_path,
                            GError     **error)
{
  g_autofree char *path = NULL;
  g_autoptr(VdKey) key = NULL;
  g_autoptr(VdSigner) self = NULL;
  g_autoptr(VdKeystore) keystore = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!vd_crypto_init (error))
    return NULL;

  path = vd_signer_installation_key_path (database_path);
  if (path == NULL)
    {
      if (!(key = vd_key_generate (INSTALLATION_OWNER, error)))
        return NULL;
    }
  else if (g_file_test (path, G_FILE_TEST_EXISTS) ||
           g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      if (!(key = load_installation_key (path, error)))
        return NULL;
    }
  else
    {
      g_autoptr(GError) save_error = NULL;

      if (!(key = vd_key_generate (INSTALLATION_OWNER, error)))
        return NULL;

      if (!vd_key_file_save (key, path, NULL, &save_error))
        {
          /* Another process created it first: use theirs. */
          if (!g_error_matches (save_error, VD_KEY_ERROR, VD_KEY_ERROR_EXISTS))
            {
              g_propagate_error (error, g_steal_pointer (&save_error));
              return NULL;
            }

          g_clear_object (&key);
          if (!(key = load_installation_key (path, error)))
            return NULL;
        }
    }

  self = vd_signer_new (key);
  keystore = vd_keystore_new_default ();
  vd_signer_set_keystore (self, keystore);

  return g_steal_pointer (&self);
}

/**
 * vd_signer_get_installation_key:
 * @self: a signer
 *
 * Returns: (transfer none): the installation key, with its secret half;
 *   it lives as long as @self
 */
VdKey *
vd_signer_get_installation_key (VdSigner *self)
{
  g_return_val_if_fail (VD_IS_SIGNER (self), NULL);

  return self->installation_key;
}

/**
 * vd_signer_add_key:
 * @self: a signer
 * @unlocked_key: a reviewer's key with its secret half; its owner is the
 *   reviewer ID
 *
 * Signs the reviewer's events with @unlocked_key from now on, replacing
 * (and locking) the key unlocked for them before, if different.
 */
void
vd_signer_add_key (VdSigner *self,
                   VdKey    *unlocked_key)
{
  g_autoptr(VdKey) previous = NULL;
  const char *owner;

  g_return_if_fail (VD_IS_SIGNER (self));
  g_return_if_fail (VD_IS_KEY (unlocked_key));
  g_return_if_fail (vd_key_has_secret (unlocked_key));

  owner = vd_key_get_owner (unlocked_key);
  g_return_if_fail (owner != NULL && owner[0] != '\0');

  g_mutex_lock (&self->mutex);
  g_hash_table_lookup_extended (self->unlocked, owner, NULL, (gpointer *) &previous);
  if (previous != NULL)
    g_object_ref (previous);
  g_hash_table_insert (self->unlocked, g_strdup (owner), g_object_ref (unlocked_key));
  g_mutex_unlock (&self->mutex);

  /* Outside the mutex: locking waits for a signature in progress. */
  if (previous != NULL && previous != unlocked_key)
    vd_key_lock (previous);
}

/**
 * vd_signer_lock:
 * @self: a signer
 * @reviewer_id: a reviewer ID
 *
 * Forgets the reviewer's unlocked key and wipes its secret half
 * (vd_key_lock()), also for whoever else holds the key object. The
 * reviewer's events are signed by the installation key until a key is
 * added again.
 */
void
vd_signer_lock (VdSigner   *self,
                const char *reviewer_id)
{
  g_autoptr(VdKey) key = NULL;

  g_return_if_fail (VD_IS_SIGNER (self));
  g_return_if_fail (reviewer_id != NULL);

  g_mutex_lock (&self->mutex);
  key = g_hash_table_lookup (self->unlocked, reviewer_id);
  if (key != NULL)
    {
      g_object_ref (key);
      g_hash_table_remove (self->unlocked, reviewer_id);
    }
  g_mutex_unlock (&self->mutex);

  if (key != NULL)
    vd_key_lock (key);
}

/**
 * vd_signer_lock_all:
 * @self: a signer
 *
 * vd_signer_lock() for every reviewer.
 */
void
vd_signer_lock_all (VdSigner *self)
{
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (g_object_unref);
  GHashTableIter iter;
  gpointer key;

  g_return_if_fail (VD_IS_SIGNER (self));

  g_mutex_lock (&self->mutex);
  g_hash_table_iter_init (&iter, self->unlocked);
  while (g_hash_table_iter_next (&iter, NULL, &key))
    g_ptr_array_add (keys, g_object_ref (key));
  g_hash_table_remove_all (self->unlocked);
  g_mutex_unlock (&self->mutex);

  for (guint i = 0; i < keys->len; i++)
    vd_key_lock (g_ptr_array_index (keys, i));
}

/**
 * vd_signer_dup_unlocked:
 * @self: a signer
 * @reviewer_id: a reviewer ID
 *
 * Returns: (transfer full) (nullable): the reviewer's unlocked key, or
 *   %NULL
 */
VdKey *
vd_signer_dup_unlocked (VdSigner   *self,
                        const char *reviewer_id)
{
  VdKey *key = NULL;

  g_return_val_if_fail (VD_IS_SIGNER (self), NULL);

  if (reviewer_id == NULL)
    return NULL;

  g_mutex_lock (&self->mutex);
  key = g_hash_table_lookup (self->unlocked, reviewer_id);
  if (key != NULL)
    g_object_ref (key);
  g_mutex_unlock (&self->mutex);

  return key;
}

gboolean
vd_signer_is_unlocked (VdSigner   *self,
                       const char *reviewer_id)
{
  g_autoptr(VdKey) key = NULL;

  g_return_val_if_fail (VD_IS_SIGNER (self), FALSE);

  key = vd_signer_dup_unlocked (self, reviewer_id);
  return key != NULL;
}

/**
 * vd_signer_dup_key_for_actor:
 * @self: a signer
 * @actor: (nullable): who causes an audit event: a reviewer ID, or an
 *   automatic actor such as `policy`, `sla` or `system`
 *
 * Returns: (transfer full): the key that signs @actor's events: their
 *   unlocked key when there is one, else the installation key
 */
VdKey *
vd_signer_dup_key_for_actor (VdSigner   *self,
                             const char *actor)
{
  VdKey *key;

  g_return_val_if_fail (VD_IS_SIGNER (self), NULL);

  key = vd_signer_dup_unlocked (self, actor);
  if (key == NULL)
    key = g_object_ref (self->installation_key);

  return key;
}

/**
 * vd_signer_set_roster:
 * @self: a signer
 * @roster: (nullable): the roster in force, or %NULL for none
 */
void
vd_signer_set_roster (VdSigner *self,
                      VdRoster *roster)
{
  g_autoptr(VdRoster) old = NULL;

  g_return_if_fail (VD_IS_SIGNER (self));
  g_return_if_fail (roster == NULL || VD_IS_ROSTER (roster));

  g_mutex_lock (&self->mutex);
  old = g_steal_pointer (&self->roster);
  self->roster = roster != NULL ? g_object_ref (roster) : NULL;
  g_mutex_unlock (&self->mutex);
}

/**
 * vd_signer_dup_roster:
 * @self: a signer
 *
 * Returns: (transfer full) (nullable): the roster in force, or %NULL
 */
VdRoster *
vd_signer_dup_roster (VdSigner *self)
{
  VdRoster *roster;

  g_return_val_if_fail (VD_IS_SIGNER (self), NULL);

  g_mutex_lock (&self->mutex);
  roster = self->roster != NULL ? g_object_ref (self->roster) : NULL;
  g_mutex_unlock (&self->mutex);

  return roster;
}

/**
 * vd_signer_set_policy_sha256:
 * @self: a signer
 * @sha256_hex: (nullable): the SHA-256 of the policy in force
 *   (vd_policy_get_sha256()), or %NULL
 */
void
vd_signer_set_policy_sha256 (VdSigner   *self,
                             const char *sha256_hex)
{
  g_return_if_fail (VD_IS_SIGNER (self));

  g_mutex_lock (&self->mutex);
  g_free (self->policy_sha256);
  self->policy_sha256 = g_strdup (sha256_hex);
  g_mutex_unlock (&self->mutex);
}

/**
 * vd_signer_dup_policy_sha256:
 * @self: a signer
 *
 * Returns: (transfer full) (nullable): the SHA-256 set with
 *   vd_signer_set_policy_sha256(), or %NULL
 */
char *
vd_signer_dup_policy_sha256 (VdSigner *self)
{
  char *sha256;

  g_return_val_if_fail (VD_IS_SIGNER (self), NULL);

  g_mutex_lock (&self->mutex);
  sha256 = g_strdup (self->policy_sha256);
  g_mutex_unlock (&self->mutex);

  return sha256;
}

/**
 * vd_signer_set_keystore:
 * @self: a signer
 * @keystore: (nullable): the folder whose public keys verification
 *   accepts, or %NULL for none
 */
void
vd_signer_set_keystore (VdSigner   *self,
                        VdKeystore *keystore)
{
  g_autoptr(VdKeystore) old_keystore = NULL;
  g_autoptr(GPtrArray) old_keys = NULL;

  g_return_if_fail (VD_IS_SIGNER (self));
  g_return_if_fail (keystore == NULL || VD_IS_KEYSTORE (keystore));

  g_mutex_lock (&self->mutex);
  old_keystore = g_steal_pointer (&self->keystore);
  old_keys = g_steal_pointer (&self->keystore_keys);
  self->keystore = keystore != NULL ? g_object_ref (keystore) : NULL;
  g_mutex_unlock (&self->mutex);
}

/**
 * vd_signer_add_known_key:
 * @self: a signer
 * @public_key: a public key to accept when verifying (its owner names
 *   whose it is)
 */
void
vd_signer_add_known_key (VdSigner *self,
                         VdKey    *public_key)
{
  g_return_if_fail (VD_IS_SIGNER (self));
  g_return_if_fail (VD_IS_KEY (public_key));

  g_mutex_lock (&self->mutex);
  for (guint i = 0; i < self->added->len; i++)
    {
      if (vd_key_equal_public (g_ptr_array_index (self->added, i), public_key))
        {
          g_mutex_unlock (&self->mutex);
          return;
        }
    }
  g_ptr_array_add (self->added, vd_key_dup_public (public_key));
  g_mutex_unlock (&self->mutex);
}

static gboolean
key_has_id (VdKey      *key,
            const char *key_id)
{
  return g_ascii_strcasecmp (vd_key_get_id (key), key_id) == 0;
}

static VdKey *
find_in (GPtrArray  *keys,
         const char *key_id)
{
  for (guint i = 0; keys != NULL && i < keys->len; i++)
    {
      if (key_has_id (g_ptr_array_index (keys, i), key_id))
        return g_ptr_array_index (keys, i);
    }

  return NULL;
}

/* With the mutex held. The keystore is read on first use and again when
 * a key is not among what was read (a reviewer may have made a key since). */
static VdKey *
find_in_keystore (VdSigner   *self,
                  const char *key_id)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *keys;
  VdKey *found;

  if (self->keystore == NULL)
    return NULL;

  if ((found = find_in (self->keystore_keys, key_id)) != NULL)
    return found;

  keys = vd_keystore_list (self->keystore, &error);
  if (keys == NULL)
    {
      g_debug ("Cannot list the keys in %s: %s",
               vd_keystore_get_dir (self->keystore), error->message);
      return NULL;
    }

  g_clear_pointer (&self->keystore_keys, g_ptr_array_unref);
  self->keystore_keys = keys;

  return find_in (self->keystore_keys, key_id);
}

/**
 * vd_signer_lookup_known:
 * @self: a signer
 * @key_id: a key ID, 16 hex digits (vd_key_get_id())
 *
 * Finds the public key with @key_id among, in this order, the installation
 * key, the unlocked keys, the roster's keys, the keystore's public keys
 * (read again when @key_id is not among those read before) and the keys
 * added with vd_signer_add_known_key(). The key's owner says whose it is
 * (`installation` for the installation key).
 *
 * Returns: (transfer full) (nullable): a public copy of the key, or %NULL
 *   when no known key has @key_id
 */
VdKey *
vd_signer_lookup_known (VdSigner   *self,
                        const char *key_id)
{
  GHashTableIter iter;
  gpointer value;
  VdKey *found = NULL;
  VdKey *result = NULL;

  g_return_val_if_fail (VD_IS_SIGNER (self), NULL);

  if (key_id == NULL)
    return NULL;

  if (key_has_id (self->installation_key, key_id))
    return vd_key_dup_public (self->installation_key);

  g_mutex_lock (&self->mutex);

  g_hash_table_iter_init (&iter, self->unlocked);
  while (found == NULL && g_hash_table_iter_next (&iter, NULL, &value))
    {
      if (key_has_id (value, key_id))
        found = value;
    }

  if (found == NULL && self->roster != NULL)
    found = vd_roster_lookup_key_id (self->roster, key_id);

  if (found == NULL)
    found = find_in_keystore (self, key_id);

  if (found == NULL)
    found = find_in (self->added, key_id);

  if (found != NULL)
    result = vd_key_dup_public (found);

  g_mutex_unlock (&self->mutex);

  return result;
}

/**
 * vd_signer_authorize:
 * @self: a signer
 * @reviewer_id: who decides
 * @escalated: whether the item is escalated (status `escalated`, or the
 *   reason `escalate_further`)
 * @queue: (nullable): the item's queue, for the message
 * @task_id: the item's task ID, for the message
 * @error: return location for a %VD_KEY_ERROR_NOT_ALLOWED or
 *   %VD_KEY_ERROR_LOCKED error
 *
 * The roster's gate for a human decision. Without a roster everyone may
 * decide. With one, @reviewer_id must be listed, have the role `senior`
 * for an escalated item, have a key unlocked here, and that key must be
 * the roster's key for them. The error names the reviewer, the item and
 * what is missing, e.g. `bob may not decide payments/t-7: the item is
 * escalated and bob lacks the role “senior”`.
 *
 * Returns: %TRUE when @reviewer_id may decide the item
 */
gboolean
vd_signer_authorize (VdSigner    *self,
                     const char  *reviewer_id,
                     gboolean     escalated,
                     const char  *queue,
                     const char  *task_id,
                     GError     **error)
{
  g_autoptr(VdRoster) roster = NULL;
  g_autoptr(VdKey) unlocked = NULL;
  g_autofree char *item = NULL;
  VdKey *listed;

  g_return_val_if_fail (VD_IS_SIGNER (self), FALSE);
  g_return_val_if_fail (reviewer_id != NULL, FALSE);
  g_return_val_if_fail (task_id != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  roster = vd_signer_dup_roster (self);
  if (roster == NULL)
    return TRUE;

  item = queue != NULL && queue[0] != '\0'
         ? g_strdup_printf ("%s/%s", queue, task_id)
         : g_strdup (task_id);

  listed = vd_roster_lookup_key (roster, reviewer_id);
  if (listed == NULL)
    {
      g_set_error (error, VD_KEY_ERROR, VD_KEY_ERROR_NOT_ALLOWED,
                   /* TRANSLATORS: the reviewer ID, the item, the reviewer ID */
                   _("%s may not decide %s: %s is not in the policy's reviewers"),
                   reviewer_id, item, reviewer_id);
      return FALSE;
    }

  if (escalated && !vd_roster_has_role (roster, reviewer_id, VD_ROLE_SENIOR))
    {
      g_set_error (error, VD_KEY_ERROR, VD_KEY_ERROR_NOT_ALLOWED,
                   /* TRANSLATORS: the reviewer ID, the item, the reviewer ID, the role */
                   _("%s may not decide %s: the item is escalated and %s lacks the role “%s”"),
                   reviewer_id, item, reviewer_id, VD_ROLE_SENIOR);
      return FALSE;
    }

  unlocked = vd_signer_dup_unlocked (self, reviewer_id);
  if (unlocked == NULL || !vd_key_has_secret (unlocked))
    {
      g_set_error (error, VD_KEY_ERROR, VD_KEY_ERROR_LOCKED,
                   /* TRANSLATORS: the reviewer ID, the item, the reviewer ID */
                   _("%s may not decide %s: %s's key is not unlocked (sign in first)"),
                   reviewer_id, item, reviewer_id);
      return FALSE;
    }

  if (!vd_key_equal_public (unlocked, listed))
    {
      g_set_error (error, VD_KEY_ERROR, VD_KEY_ERROR_NOT_ALLOWED,
                   /* TRANSLATORS: the reviewer ID, the item, the reviewer ID, two key IDs */
                   _("%s may not decide %s: %s's unlocked key %s is not the key in the "
                     "policy's reviewers (%s)"),
                   reviewer_id, item, reviewer_id, vd_key_get_id (unlocked),
                   vd_key_get_id (listed));
      return FALSE;
    }

  return TRUE;
}
