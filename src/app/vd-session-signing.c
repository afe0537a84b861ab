/* vd-session-signing.c: the reviewer's signing key in the session
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

/*
 * The session owns the sign-in: the keystore (VERDICT_KEYS_DIR or the
 * user's data folder), the reviewer's key while it is unlocked, and
 * whether the windows cover their content with the sign-in page. An
 * unlocked key is handed to the store's signer, which signs the
 * reviewer's audit events with it; locking wipes it there and here.
 *
 * Unlocking and creating keys run Argon2id, which takes a noticeable
 * fraction of a second: they run on worker threads through the
 * keystore's async calls. The passphrase is kept in the keyring only when
 * the `remember-passphrase` setting asks for it, at sign-in.
 */

#define G_LOG_DOMAIN "vd-session"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <libsecret/secret.h>

#include "vd-app-enums.h"
#include "vd-session-private.h"

#define PASSPHRASE_SCHEMA "io.github.verdict.Verdict.SigningKey"

static const SecretSchema *
get_passphrase_schema (void)
{
  static const SecretSchema schema = {
    PASSPHRASE_SCHEMA, SECRET_SCHEMA_NONE,
    {
      { "reviewer", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };

  return &schema;
}

static void
wipe_string (char *string)
{
  if (string == NULL)
    return;

  memset (string, 0, strlen (string));
  g_free (string);
}

static gboolean
vd_session_remembers_passphrase (VdSession *self)
{
  return self->settings != NULL &&
         g_settings_get_boolean (self->settings, "remember-passphrase");
}

static VdSigner *
vd_session_get_signer (VdSession *self)
{
  return self->store != NULL ? vd_store_get_signer (self->store) : NULL;
}

/* The store's signer follows the session: the keystore's public keys are
 * known, the policy's roster and hash apply, the unlocked key signs. */
void
_vd_session_apply_signer (VdSession *self)
{
  VdSigner *signer = vd_session_get_signer (self);

  if (signer == NULL || self->keystore == NULL)
    return;

  vd_signer_set_keystore (signer, self->keystore);
  if (self->policy != NULL)
    {
      vd_signer_set_roster (signer, vd_policy_get_roster (self->policy));
      vd_signer_set_policy_sha256 (signer, vd_policy_get_sha256 (self->policy));
    }
  if (self->key != NULL)
    vd_signer_add_key (signer, self->key);
}

/* Wipes the unlocked key, here and in the store's signer. */
static void
vd_session_drop_key (VdSession *self)
{
  VdSigner *signer = vd_session_get_signer (self);

  if (self->key == NULL)
    return;

  if (signer != NULL)
    vd_signer_lock (signer, vd_key_get_owner (self->key));
  vd_key_lock (self->key);
  g_clear_object (&self->key);
  _vd_session_notify (self, PROP_SIGNING_KEY);
}

/* Derives the state from the reviewer, the keystore and the key. */
void
_vd_session_update_signing (VdSession *self)
{
  gboolean has_key;
  gboolean needs_sign_in;
  VdSigningState state;

  /* Another reviewer: the key unlocked for the previous one signs no more. */
  if (self->key != NULL && g_strcmp0 (vd_key_get_owner (self->key), self->reviewer_id) != 0)
    {
      vd_session_drop_key (self);
      self->sign_in_decided = FALSE;
      self->locked = FALSE;
    }

  has_key = self->reviewer_id != NULL &&
            vd_keystore_has_key (self->keystore, self->reviewer_id);

  if (self->key != NULL)
    state = VD_SIGNING_STATE_UNLOCKED;
  else if (has_key)
    state = VD_SIGNING_STATE_LOCKED;
  else
    state = VD_SIGNING_STATE_UNVERIFIED;

  needs_sign_in = state == VD_SIGNING_STATE_LOCKED && (!self->sign_in_decided || self->locked);
  if (state != VD_SIGNING_STATE_LOCKED && self->locked)
    {
      self->locked = FALSE;
      _vd_session_notify (self, PROP_LOCKED);
    }

  if (state != self->signing_state)
    {
      self->signing_state = state;
      _vd_session_notify (self, PROP_SIGNING_STATE);
    }

  if (needs_sign_in != self->needs_sign_in)
    {
      self->needs_sign_in = needs_sign_in;
      _vd_session_notify (self, PROP_NEEDS_SIGN_IN);
    }
}

static void
reviewer_changed_cb (VdSession *self)
{
  _vd_session_update_signing (self);
}

void
_vd_session_init_signing (VdSession *self)
{
  self->keystore = vd_keystore_new_default ();
  g_signal_connect (self, "notify::reviewer-id", G_CALLBACK (reviewer_changed_cb), NULL);
  _vd_session_update_signing (self);
}

void
_vd_session_dispose_signing (VdSession *self)
{
  g_signal_handlers_disconnect_by_func (self, reviewer_changed_cb, NULL);
  vd_session_drop_key (self);
  g_clear_object (&self->keystore);
}

void
_vd_session_class_init_signing (GObjectClass  *object_class,
                                GParamSpec   **properties)
{
  /**
   * VdSession:signing-state:
   *
   * Whether the reviewer's decisions are signed with their own key.
   */
  properties[PROP_SIGNING_STATE] =
    g_param_spec_enum ("signing-state", NULL, NULL,
                       VD_TYPE_SIGNING_STATE,
                       VD_SIGNING_STATE_UNVERIFIED,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * VdSession:signing-key: (nullable)
   *
   * The reviewer's unlocked key, while it is unlocked.
   */
  properties[PROP_SIGNING_KEY] =
    g_param_spec_object ("signing-key", NULL, NULL,
                         VD_TYPE_KEY,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * VdSession:needs-sign-in:
   *
   * Whether the windows show the sign-in page over their content: the
   * reviewer has a key that is locked, and has neither signed in nor
   * chosen to continue without signing (or the key was locked since).
   */
  properties[PROP_NEEDS_SIGN_IN] =
    g_param_spec_boolean ("needs-sign-in", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * VdSession:locked:
   *
   * Whether the key was locked after a sign-in (by the reviewer or after
   * the idle time): the sign-in page says "Locked".
   */
  properties[PROP_LOCKED] =
    g_param_spec_boolean ("locked", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
}

/* Takes @key as the reviewer's: signed in. */
static void
vd_session_take_key (VdSession *self,
                     VdKey     *key)
{
  VdSigner *signer;
  gboolean was_locked = self->locked;

  /* The reviewer whose key it is reviews from now on. */
  if (g_strcmp0 (vd_key_get_owner (key), self->reviewer_id) != 0)
    vd_session_set_reviewer_id (self, vd_key_get_owner (key));

  vd_session_drop_key (self);
  self->key = key;
  self->sign_in_decided = TRUE;
  self->locked = FALSE;

  signer = vd_session_get_signer (self);
  if (signer != NULL)
    vd_signer_add_key (signer, key);

  _vd_session_notify (self, PROP_SIGNING_KEY);
  if (was_locked)
    _vd_session_notify (self, PROP_LOCKED);
  _vd_session_update_signing (self);
}

/* The keyring */

static void
store_passphrase_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!secret_password_store_finish (result, &error))
    g_debug ("The passphrase was not kept in the keyring: %s", error->message);
}

static void
vd_session_store_passphrase (VdSession  *self,
                             const char *reviewer_id,
                             const char *passphrase)
{
  g_autofree char *label = NULL;

  /* Translators: the keyring item's label, %s is the reviewer id */
  label = g_strdup_printf (_("Verdict signing key passphrase for %s"), reviewer_id);
  secret_password_store (get_passphrase_schema (), SECRET_COLLECTION_DEFAULT, label,
                         passphrase, NULL, store_passphrase_cb, NULL,
                         "reviewer", reviewer_id,
                         NULL);
}

static void
clear_passphrase_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!secret_password_clear_finish (result, &error) && error != NULL)
    g_debug ("The passphrase was not removed from the keyring: %s", error->message);
}

/**
 * vd_session_forget_passphrase:
 * @self: a #VdSession
 *
 * Removes the reviewer's passphrase from the keyring, in the background.
 */
void
vd_session_forget_passphrase (VdSession *self)
{
  g_return_if_fail (VD_IS_SESSION (self));

  if (self->reviewer_id == NULL)
    return;

  secret_password_clear (get_passphrase_schema (), NULL, clear_passphrase_cb, NULL,
                         "reviewer", self->reviewer_id,
                         NULL);
}

/* Sign-in */

typedef struct
{
  char *reviewer_id;
  char *passphrase;    /* wiped when done; NULL: from the keyring */
} SignIn;

static void
sign_in_free (SignIn *sign_in)
{
  g_free (sign_in->reviewer_id);
  wipe_string (sign_in->passphrase);
  g_free (sign_in);
}

static void
unlock_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  VdSession *self = g_task_get_source_object (task);
  SignIn *sign_in = g_task_get_task_data (task);
  g_autoptr(VdKey) key = NULL;
  GError *error = NULL;

  key = vd_keystore_unlock_finish (VD_KEYSTORE (object), result, &error);

  if (key == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (g_task_return_error_if_cancelled (task))
    {
      vd_key_lock (key);
      return;
    }

  vd_session_take_key (self, g_steal_pointer (&key));
  if (vd_session_remembers_passphrase (self) && sign_in->passphrase != NULL)
    vd_session_store_passphrase (self, sign_in->reviewer_id, sign_in->passphrase);

  g_task_return_boolean (task, TRUE);
}

/**
 * vd_session_sign_in_async:
 * @self: a #VdSession
 * @reviewer_id: whose key to unlock
 * @passphrase: its passphrase
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Unlocks @reviewer_id's key on a worker thread; on success @reviewer_id
 * reviews, and the store's signer signs their events with the key.
 */
void
vd_session_sign_in_async (VdSession           *self,
                          const char          *reviewer_id,
                          const char          *passphrase,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  SignIn *sign_in;

  g_return_if_fail (VD_IS_SESSION (self));
  g_return_if_fail (reviewer_id != NULL);
  g_return_if_fail (passphrase != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vd_session_sign_in_async);

  sign_in = g_new0 (SignIn, 1);
  sign_in->reviewer_id = g_strdup (reviewer_id);
  sign_in->passphrase = g_strdup (passphrase);
  g_task_set_task_data (task, sign_in, (GDestroyNotify) sign_in_free);

  vd_keystore_unlock_async (self->keystore, reviewer_id, passphrase, cancellable,
                            unlock_cb, g_steal_pointer (&task));
}

/**
 * vd_session_sign_in_finish:
 * @self: a #VdSession
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Returns: whether the key is unlocked; %VD_KEY_ERROR_PASSPHRASE for a
 *   wrong passphrase
 */
gboolean
vd_session_sign_in_finish (VdSession     *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (VD_IS_SESSION (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
lookup_passphrase_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  VdSession *self = g_task_get_source_object (task);
  SignIn *sign_in = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  char *passphrase;

  passphrase = secret_password_lookup_finish (result, &error);

  if (passphrase == NULL)
    {
      g_debug ("No passphrase from the keyring: %s", error != NULL ? error->message : "none");
      g_task_return_new_error (task, VD_KEY_ERROR, VD_KEY_ERROR_NOT_FOUND,
                               /* Translators: %s is the reviewer id */
                               _("The keyring has no passphrase for %s: enter it"),
                               sign_in->reviewer_id);
      return;
    }

  vd_keystore_unlock_async (self->keystore, sign_in->reviewer_id, passphrase,
                            g_task_get_cancellable (task), unlock_cb, g_object_ref (task));
  secret_password_free (passphrase);
}

/**
 * vd_session_sign_in_from_keyring_async:
 * @self: a #VdSession
 * @reviewer_id: whose key to unlock
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Like vd_session_sign_in_async() with the passphrase kept in the
 * keyring; finish it with vd_session_sign_in_finish().
 */
void
vd_session_sign_in_from_keyring_async (VdSession           *self,
                                       const char          *reviewer_id,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  SignIn *sign_in;

  g_return_if_fail (VD_IS_SESSION (self));
  g_return_if_fail (reviewer_id != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vd_session_sign_in_async);

  sign_in = g_new0 (SignIn, 1);
  sign_in->reviewer_id = g_strdup (reviewer_id);
  g_task_set_task_data (task, sign_in, (GDestroyNotify) sign_in_free);

  secret_password_lookup (get_passphrase_schema (), cancellable,
                          lookup_passphrase_cb, g_steal_pointer (&task),
                          "reviewer", reviewer_id,
                          NULL);
}

/**
 * vd_session_continue_unsigned:
 * @self: a #VdSession
 *
 * The reviewer reviews without unlocking their key: the installation's
 * key signs their decisions, shown as an "unverified reviewer".
 */
void
vd_session_continue_unsigned (VdSession *self)
{
  g_return_if_fail (VD_IS_SESSION (self));

  self->sign_in_decided = TRUE;
  if (self->locked)
    {
      self->locked = FALSE;
      _vd_session_notify (self, PROP_LOCKED);
    }
  _vd_session_update_signing (self);
}

/**
 * vd_session_request_sign_in:
 * @self: a #VdSession
 *
 * Shows the sign-in page again (after "Continue Without Signing").
 */
void
vd_session_request_sign_in (VdSession *self)
{
  g_return_if_fail (VD_IS_SESSION (self));

  if (self->key != NULL)
    return;

  self->sign_in_decided = FALSE;
  _vd_session_update_signing (self);
}

/**
 * vd_session_lock:
 * @self: a #VdSession
 *
 * Wipes the reviewer's unlocked key (here and in the store's signer);
 * the windows cover their content until the reviewer signs in again.
 */
void
vd_session_lock (VdSession *self)
{
  g_return_if_fail (VD_IS_SESSION (self));

  if (self->key == NULL)
    return;

  vd_session_drop_key (self);
  self->locked = TRUE;
  _vd_session_update_signing (self);
  _vd_session_notify (self, PROP_LOCKED);
}

/* Creating a key */

static void
generate_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  VdSession *self = g_task_get_source_object (task);
  g_autoptr(VdKey) key = NULL;
  GError *error = NULL;

  key = vd_keystore_generate_finish (VD_KEYSTORE (object), result, &error);

  if (key == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  /* The new key is unlocked: the reviewer is signed in with it. */
  vd_session_take_key (self, g_object_ref (key));
  g_task_return_pointer (task, g_steal_pointer (&key), g_object_unref);
}

/**
 * vd_session_create_key_async:
 * @self: a #VdSession
 * @passphrase: the new key's passphrase
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Generates a key for the reviewer in the keystore on a worker thread;
 * the reviewer is then signed in with it.
 */
void
vd_session_create_key_async (VdSession           *self,
                             const char          *passphrase,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (VD_IS_SESSION (self));
  g_return_if_fail (passphrase != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vd_session_create_key_async);

  if (self->reviewer_id == NULL)
    {
      g_task_return_new_error (task, VD_KEY_ERROR, VD_KEY_ERROR_NOT_FOUND,
                               _("Set a reviewer ID before creating a signing key"));
      return;
    }

  vd_keystore_generate_async (self->keystore, self->reviewer_id, passphrase, cancellable,
                              generate_cb, g_steal_pointer (&task));
}

/**
 * vd_session_create_key_finish:
 * @self: a #VdSession
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the new key
 */
VdKey *
vd_session_create_key_finish (VdSession     *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (VD_IS_SESSION (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Accessors */

/**
 * vd_session_get_keystore:
 * @self: a #VdSession
 *
 * Returns: (transfer none): the folder of reviewers' keys
 */
VdKeystore *
vd_session_get_keystore (VdSession *self)
{
  g_return_val_if_fail (VD_IS_SESSION (self), NULL);

  return self->keystore;
}

VdSigningState
vd_session_get_signing_state (VdSession *self)
{
  g_return_val_if_fail (VD_IS_SESSION (self), VD_SIGNING_STATE_UNVERIFIED);

  return self->signing_state;
}

/**
 * vd_session_get_signing_key:
 * @self: a #VdSession
 *
 * Returns: (transfer none) (nullable): the reviewer's unlocked key
 */
VdKey *
vd_session_get_signing_key (VdSession *self)
{
  g_return_val_if_fail (VD_IS_SESSION (self), NULL);

  return self->key;
}

gboolean
vd_session_get_needs_sign_in (VdSession *self)
{
  g_return_val_if_fail (VD_IS_SESSION (self), FALSE);

  return self->needs_sign_in;
}

gboolean
vd_session_get_locked (VdSession *self)
{
  g_return_val_if_fail (VD_IS_SESSION (self), FALSE);

  return self->locked;
}

/**
 * vd_session_refresh_signing:
 * @self: a #VdSession
 *
 * Looks at the keystore again (a key was created elsewhere, say).
 */
void
vd_session_refresh_signing (VdSession *self)
{
  g_return_if_fail (VD_IS_SESSION (self));

  _vd_session_update_signing (self);
}

static int
compare_ids (gconstpointer a,
             gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/**
 * vd_session_list_profiles:
 * @self: a #VdSession
 *
 * The reviewers with a key in the keystore, sorted.
 *
 * Returns: (transfer full) (element-type utf8): reviewer ids
 */
GPtrArray *
vd_session_list_profiles (VdSession *self)
{
  GPtrArray *profiles = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_return_val_if_fail (VD_IS_SESSION (self), profiles);

  dir = g_dir_open (vd_keystore_get_dir (self->keystore), 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      if (g_str_has_suffix (name, ".key") && name[0] != '.')
        {
          g_autofree char *id = g_strndup (name, strlen (name) - strlen (".key"));

          if (vd_keystore_has_key (self->keystore, id))
            g_ptr_array_add (profiles, g_steal_pointer (&id));
        }
    }

  g_ptr_array_sort (profiles, compare_ids);

  return profiles;
}

/**
 * vd_session_get_roster:
 * @self: a #VdSession
 *
 * Returns: (transfer none) (nullable): the roster of the session's policy
 */
VdRoster *
vd_session_get_roster (VdSession *self)
{
  g_return_val_if_fail (VD_IS_SESSION (self), NULL);

  return self->policy != NULL ? vd_policy_get_roster (self->policy) : NULL;
}
