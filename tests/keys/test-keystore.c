/* test-keystore.c: the folder of reviewers' keys
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

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "vd-test-util.h"

typedef struct
{
  char       *dir;
  char       *keys_dir;
  VdKeystore *keystore;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->dir = vd_test_make_tmp_dir ("keystore");
  /* A folder that does not exist yet: generating creates it. */
  f->keys_dir = g_build_filename (f->dir, "keys", NULL);
  g_setenv ("VERDICT_KEYS_DIR", f->keys_dir, TRUE);
  f->keystore = vd_keystore_new_default ();
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_assert_finalize_object (f->keystore);
  vd_test_remove_tree (f->dir);
  g_free (f->keys_dir);
  g_free (f->dir);
}

static void
test_default_dir (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *dir = NULL;
  g_autofree char *expected = NULL;

  g_assert_cmpstr (vd_keystore_get_dir (f->keystore), ==, f->keys_dir);

  g_unsetenv ("VERDICT_KEYS_DIR");
  dir = vd_keystore_default_dir ();
  expected = g_build_filename (g_get_user_data_dir (), "verdict", "keys", NULL);
  g_assert_cmpstr (dir, ==, expected);
  g_setenv ("VERDICT_KEYS_DIR", f->keys_dir, TRUE);
}

static void
test_generate_unlock (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VdKey) key = NULL;
  g_autoptr(VdKey) unlocked = NULL;
  g_autoptr(VdKey) public_key = NULL;
  g_autoptr(GPtrArray) keys = NULL;
  g_autofree char *key_path = NULL;
  g_autofree char *pub_path = g_build_filename (f->keys_dir, "alice.pub", NULL);
  g_autofree char *pub_text = NULL;
  g_autofree char *expected_pub = NULL;
  GStatBuf st;

  keys = vd_keystore_list (f->keystore, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (keys->len, ==, 0);
  g_clear_pointer (&keys, g_ptr_array_unref);
  g_assert_false (vd_keystore_has_key (f->keystore, "alice"));

  key = vd_keystore_generate (f->keystore, "alice", "pass one", &error);
  g_assert_no_error (error);
  g_assert_true (vd_key_has_secret (key));
  g_assert_cmpstr (vd_key_get_owner (key), ==, "alice");
  g_assert_true (vd_keystore_has_key (f->keystore, "alice"));

  g_assert_cmpint (g_stat (f->keys_dir, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);
  key_path = vd_keystore_dup_key_path (f->keystore, "alice");
  g_assert_true (g_str_has_prefix (key_path, f->keys_dir));
  g_assert_true (g_str_has_suffix (key_path, "/alice.key"));
  g_assert_cmpint (g_stat (key_path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  g_assert_true (g_file_get_contents (pub_path, &pub_text, NULL, &error));
  expected_pub = vd_key_format_public_file (key);
  g_assert_cmpstr (pub_text, ==, expected_pub);

  unlocked = vd_keystore_unlock (f->keystore, "alice", "pass one", &error);
  g_assert_no_error (error);
  g_assert_true (vd_key_equal_public (key, unlocked));
  g_assert_true (vd_key_has_secret (unlocked));

  public_key = vd_keystore_lookup_public (f->keystore, "alice", &error);
  g_assert_no_error (error);
  g_assert_true (vd_key_equal_public (key, public_key));
  g_assert_cmpstr (vd_key_get_owner (public_key), ==, "alice");

  /* A second key for alice is refused and the first stays. */
  g_assert_null (vd_keystore_generate (f->keystore, "alice", "pass two", &error));
  g_assert_error (error, VD_KEY_ERROR, VD_KEY_ERROR_EXISTS);
  g_clear_error (&error);
  g_clear_object (&unlocked);
  unlocked = vd_keystore_unlock (f->keystore, "alice", "pass one", &error);
  g_assert_no_error (error);

  g_assert_null (vd_keystore_unlock (f->keystore, "alice", "pass two", &error));
  g_assert_error (error, VD_KEY_ERROR, VD_KEY_ERROR_PASSPHRASE);
  g_clear_error (&error);

  g_assert_null (vd_keystore_unlock (f->keystore, "bob", "pass one", &error));
  g_assert_error (error, VD_KEY_ERROR, VD_KEY_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (vd_keystore_lookup_public (f->keystore, "bob", &error));
  g_assert_error (error, VD_KEY_ERROR, VD_KEY_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* The list, sorted, with a stray file and a damaged key left out. */
  g_clear_object (&key);
  key = vd_keystore_generate (f->keystore, "aaron", "pass three", &error);
  g_assert_no_error (error);
  g_free (vd_test_write_file (f->keys_dir, "notes.txt", "hello"));
  g_free (vd_test_write_file (f->keys_dir, "broken.key", "untrusted comment: x\n{"));
  keys = vd_keystore_list (f->keystore, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (keys->len, ==, 2);
  g_assert_cmpstr (vd_key_get_owner (g_ptr_array_index (keys, 0)), ==, "aaron");
  g_assert_cmpstr (vd_key_get_owner (g_ptr_array_index (keys, 1)), ==, "alice");
  g_assert_false (vd_key_has_secret (g_ptr_array_index (keys, 0)));
}

static void
test_change_passphrase (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VdKey) key = vd_keystore_generate (f->keystore, "alice", "old", &error);
  g_autoptr(VdKey) unlocked = NULL;

  g_assert_no_error (error);
  g_assert_false (vd_keystore_change_passphrase (f->keystore, "alice", "wrong", "new", &error));
  g_assert_error (error, VD_KEY_ERROR, VD_KEY_ERROR_PASSPHRASE);
  g_clear_error (&error);

  g_assert_true (vd_keystore_change_passphrase (f->keystore, "alice", "old", "new", &error));
  g_assert_no_error (error);
  g_assert_null (vd_keystore_unlock (f->keystore, "alice", "old", &error));
  g_assert_error (error, VD_KEY_ERROR, VD_KEY_ERROR_PASSPHRASE);
  g_clear_error (&error);
  unlocked = vd_keystore_unlock (f->keystore, "alice", "new", &error);
  g_assert_no_error (error);
  g_assert_true (vd_key_equal_public (key, unlocked));

  g_assert_false (vd_keystore_change_passphrase (f->keystore, "bob", "a", "b", &error));
  g_assert_error (error, VD_KEY_ERROR, VD_KEY_ERROR_NOT_FOUND);
}

static void
test_bad_ids (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *long_id = g_strnfill (129, 'a');
  const char *bad[] = { "", "../alice", "a/b", ".hidden", "tab\there", "back\\slash", long_id };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(VdKey) key = vd_keystore_generate (f->keystore, bad[i], "x", &error);

      g_assert_null (key);
      g_assert_error (error, VD_KEY_ERROR, VD_KEY_ERROR_FORMAT);
      g_assert_nonnull (strstr (error->message, "cannot name a key file"));
      g_assert_null (vd_keystore_dup_key_path (f->keystore, bad[i]));
      g_assert_false (vd_keystore_has_key (f->keystore, bad[i]));
    }

  /* Nothing was written anywhere. */
  g_assert_false (g_file_test (f->keys_dir, G_FILE_TEST_EXISTS));
}

/* A key file of alice's renamed to bob's is not bob's key. */
static void
test_owner_mismatch (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VdKey) key = vd_keystore_generate (f->keystore, "alice", "pw", &error);
  g_autofree char *alice = vd_keystore_dup_key_path (f->keystore, "alice");
  g_autofree char *bob = vd_keystore_dup_key_path (f->keystore, "bob");

  g_assert_no_error (error);
  g_assert_cmpint (g_rename (alice, bob), ==, 0);
  g_assert_null (vd_keystore_unlock (f->keystore, "bob", "pw", &error));
  g_assert_error (error, VD_KEY_ERROR, VD_KEY_ERROR_FORMAT);
  g_assert_nonnull (strstr (error->message, "belongs to “alice”"));
}

static void
test_async (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(VdKey) key = NULL;
  g_autoptr(VdKey) unlocked = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  char passphrase[] = "async pass";

  vd_keystore_generate_async (f->keystore, "carol", passphrase, NULL, vd_test_got_result,
                              &result);
  /* The passphrase was copied: the caller may wipe it at once. */
  memset (passphrase, 0, sizeof passphrase);
  strcpy (passphrase, "async pass");
  g_assert_true (vd_test_iterate_until (vd_test_has_result, &result, 30000));
  key = vd_keystore_generate_finish (f->keystore, result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (vd_key_get_owner (key), ==, "carol");
  g_clear_object (&result);

  vd_keystore_unlock_async (f->keystore, "carol", "async pass", NULL, vd_test_got_result,
                            &result);
  g_assert_true (vd_test_iterate_until (vd_test_has_result, &result, 30000));
  unlocked = vd_keystore_unlock_finish (f->keystore, result, &error);
  g_assert_no_error (error);
  g_assert_true (vd_key_equal_public (key, unlocked));
  g_assert_true (vd_key_has_secret (unlocked));
  g_clear_object (&result);

  vd_keystore_unlock_async (f->keystore, "carol", "wrong", NULL, vd_test_got_result, &result);
  g_assert_true (vd_test_iterate_until (vd_test_has_result, &result, 30000));
  g_assert_null (vd_keystore_unlock_finish (f->keystore, result, &error));
  g_assert_error (error, VD_KEY_ERROR, VD_KEY_ERROR_PASSPHRASE);
  g_clear_error (&error);
  g_clear_object (&result);

  g_cancellable_cancel (cancellable);
  vd_keystore_unlock_async (f->keystore, "carol", "async pass", cancellable,
                            vd_test_got_result, &result);
  g_assert_true (vd_test_iterate_until (vd_test_has_result, &result, 30000));
  g_assert_null (vd_keystore_unlock_finish (f->keystore, result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add ("/keystore/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("default-dir", test_default_dir);
  ADD ("generate-unlock", test_generate_unlock);
  ADD ("change-passphrase", test_change_passphrase);
  ADD ("bad-ids", test_bad_ids);
  ADD ("owner-mismatch", test_owner_mismatch);
  ADD ("async", test_async);

#undef ADD

  return g_test_run ();
}
