/* test-key-file.c: secret key files sealed with a passphrase
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
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "vd-test-util.h"

typedef struct
{
  char  *dir;
  char  *path;
  VdKey *key;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = vd_test_make_tmp_dir ("key-file");
  g_setenv ("VERDICT_KEYS_DIR", f->dir, TRUE);
  f->path = g_build_filename (f->dir, "alice.key", NULL);
  f->key = vd_key_generate ("alice", &error);
  g_assert_no_error (error);
  g_assert_true (vd_key_file_save (f->key, f->path, "correct horse", &error));
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  vd_test_remove_tree (f->dir);
  g_clear_object (&f->key);
  g_free (f->path);
  g_free (f->dir);
}

static char *
read_text (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  g_assert_no_error (error);
  return text;
}

/* Rewrites the key file with @from replaced by @to (once), keeping its
 * mode. */
static void
replace_in_file (const char *path,
                 const char *from,
                 const char *to)
{
  g_autofree char *text = read_text (path);
  g_autoptr(GString) changed = g_string_new (text);
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (strstr (text, from));
  g_string_replace (changed, from, to, 1);
  g_assert_true (g_file_set_contents_full (path, changed->str, -1, G_FILE_SET_CONTENTS_CONSISTENT,
                                           0600, &error));
  g_assert_no_error (error);
}

/* The value of the JSON string member @name in the key file. */
static char *
member (const char *path,
        const char *name)
{
  g_autofree char *text = read_text (path);
  g_autofree char *needle = g_strdup_printf ("\"%s\":\"", name);
  const char *start = strstr (text, needle);
  const char *end;

  g_assert_nonnull (start);
  start += strlen (needle);
  end = strchr (start, '"');
  return g_strndup (start, end - start);
}

/* @text with one base64 character changed to another. */
static char *
change_one_char (const char *text,
                 guint       index)
{
  char *changed = g_strdup (text);

  changed[index] = changed[index] == 'A' ? 'B' : 'A';
  return changed;
}

static void
assert_load_fails (const char *path,
                   const char *passphrase,
                   int         code,
                   const char *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VdKey) key = vd_key_file_load (path, passphrase, &error);

  g_assert_null (key);
  g_assert_error (error, VD_KEY_ERROR, code);
  g_assert_true (g_str_has_prefix (error->message, path));
  if (strstr (error->message, expected) == NULL)
    g_error ("expected “%s” in “%s”", expected, error->message);
}

static void
test_save_load (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VdKey) loaded = NULL;
  g_autoptr(VdKey) public_key = NULL;
  g_autofree char *text = read_text (f->path);
  g_autofree char *secret_b64 = g_base64_encode (vd_key_peek_secret_bytes (f->key), 64);
  guint8 signature[VD_KEY_SIGNATURE_BYTES];
  gboolean sealed = FALSE;
  GStatBuf st;

  g_assert_cmpint (g_stat (f->path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_true (g_str_has_prefix (text, "untrusted comment: verdict secret key for alice\n{"));
  g_assert_nonnull (strstr (text, "\"kdf\":\"argon2id13\""));
  g_assert_nonnull (strstr (text, "\"opslimit\":"));
  g_assert_nonnull (strstr (text, "\"memlimit\":"));
  /* Neither the secret nor the passphrase is in the file. */
  g_assert_null (strstr (text, secret_b64));
  g_assert_null (strstr (text, "correct horse"));

  loaded = vd_key_file_load (f->path, "correct horse", &error);
  g_assert_no_error (error);
  g_assert_true (vd_key_equal_public (loaded, f->key));
  g_assert_cmpstr (vd_key_get_owner (loaded), ==, "alice");
  g_assert_true (vd_key_has_secret (loaded));
  g_assert_true (vd_key_sign (loaded, (const guint8 *) "m", 1, signature, &error));
  g_assert_true (vd_key_verify (f->key, (const guint8 *) "m", 1, signature));

  public_key = vd_key_file_load_public (f->path, &error);
  g_assert_no_error (error);
  g_assert_true (vd_key_equal_public (public_key, f->key));
  g_assert_false (vd_key_has_secret (public_key));

  g_assert_true (vd_key_file_is_sealed (f->path, &sealed, &error));
  g_assert_true (sealed);

  /* A second save never replaces the key. */
  g_assert_false (vd_key_file_save (f->key, f->path, "other", &error));
  g_assert_error (error, VD_KEY_ERROR, VD_KEY_ERROR_EXISTS);
  g_clear_error (&error);
  loaded = (g_object_unref (loaded), vd_key_file_load (f->path, "correct horse", &error));
  g_assert_no_error (error);
}

static void
test_unsealed (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VdKey) loaded = NULL;
  g_autofree char *path = g_build_filename (f->dir, "installation-key", NULL);
  g_autofree char *text = NULL;
  gboolean sealed = TRUE;

  g_assert_true (vd_key_file_save (f->key, path, NULL, &error));
  g_assert_no_error (error);
  text = read_text (path);
  g_assert_nonnull (strstr (text, "\"kdf\":\"none\""));
  g_assert_nonnull (strstr (text, "\"secret\":\""));
  g_assert_true (vd_key_file_is_sealed (path, &sealed, &error));
  g_assert_false (sealed);

  loaded = vd_key_file_load (path, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (vd_key_equal_public (loaded, f->key));
  g_assert_true (vd_key_has_secret (loaded));

  /* A sealed file needs its passphrase. */
  assert_load_fails (f->path, NULL, VD_KEY_ERROR_PASSPHRASE, "passphrase");
}

static void
test_wrong_passphrase (Fixture       *f,
                       gconstpointer  data)
{
  assert_load_fails (f->path, "correct horsf", VD_KEY_ERROR_PASSPHRASE, "wrong passphrase");
  assert_load_fails (f->path, "", VD_KEY_ERROR_PASSPHRASE, "wrong passphrase");
}

static void
test_truncated (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *text = read_text (f->path);
  g_autoptr(GError) error = NULL;
  gsize length = strlen (text);

  for (gsize cut = 1; cut < length - 1; cut += 37)
    {
      g_assert_true (g_file_set_contents_full (f->path, text, cut, G_FILE_SET_CONTENTS_CONSISTENT,
                                               0600, &error));
      g_assert_no_error (error);
      assert_load_fails (f->path, "correct horse", VD_KEY_ERROR_FORMAT, "");
    }

  g_assert_cmpint (truncate (f->path, 0), ==, 0);
  assert_load_fails (f->path, "correct horse", VD_KEY_ERROR_FORMAT, "untrusted comment");

  /* Without its last newline the file still reads. */
  g_assert_true (g_file_set_contents_full (f->path, text, length - 1, G_FILE_SET_CONTENTS_CONSISTENT,
                                           0600, &error));
  {
    g_autoptr(VdKey) key = vd_key_file_load (f->path, "correct horse", &error);

    g_assert_no_error (error);
    g_assert_nonnull (key);
  }
}

static void
test_changed_byte (Fixture       *f,
                   gconstpointer  data)
{
  static const char *members[] = { "sealed", "salt", "nonce" };
  g_autofree char *text = read_text (f->path);
  g_autoptr(GError) error = NULL;

  for (guint m = 0; m < G_N_ELEMENTS (members); m++)
    {
      g_autofree char *value = member (f->path, members[m]);
      g_autofree char *changed = change_one_char (value, 3);

      replace_in_file (f->path, value, changed);
      assert_load_fails (f->path, "correct horse", VD_KEY_ERROR_PASSPHRASE, "altered");
      g_assert_true (g_file_set_contents_full (f->path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT,
                                               0600, &error));
      g_assert_no_error (error);
    }

  /* Not base64 of the right size. */
  {
    g_autofree char *value = member (f->path, "salt");
    g_autofree char *shorter = g_strndup (value, 8);

    replace_in_file (f->path, value, shorter);
    assert_load_fails (f->path, "correct horse", VD_KEY_ERROR_FORMAT, "“salt”");
    g_assert_true (g_file_set_contents_full (f->path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT,
                                             0600, &error));
  }

  /* A cost limit out of range is refused before any work. */
  replace_in_file (f->path, "\"opslimit\":2", "\"opslimit\":999999999");
  assert_load_fails (f->path, "correct horse", VD_KEY_ERROR_FORMAT, "“opslimit”");
  g_assert_true (g_file_set_contents_full (f->path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT,
                                           0600, &error));

  replace_in_file (f->path, "\"kdf\":\"argon2id13\"", "\"kdf\":\"scrypt\"");
  assert_load_fails (f->path, "correct horse", VD_KEY_ERROR_FORMAT, "“kdf”");
}

static void
test_permissions (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *expected = g_strdup_printf ("%s: readable by others (mode 0644); run "
                                               "chmod 600 %s", f->path, f->path);
  g_autoptr(GError) error = NULL;
  g_autoptr(VdKey) key = NULL;

  g_assert_cmpint (g_chmod (f->path, 0644), ==, 0);
  key = vd_key_file_load (f->path, "correct horse", &error);
  g_assert_null (key);
  g_assert_error (error, VD_KEY_ERROR, VD_KEY_ERROR_PERMISSIONS);
  g_assert_cmpstr (error->message, ==, expected);
  g_clear_error (&error);

  g_assert_cmpint (g_chmod (f->path, 0640), ==, 0);
  assert_load_fails (f->path, "correct horse", VD_KEY_ERROR_PERMISSIONS, "mode 0640");

  g_assert_cmpint (g_chmod (f->path, 0400), ==, 0);
  key = vd_key_file_load (f->path, "correct horse", &error);
  g_assert_no_error (error);
  g_assert_nonnull (key);
}

static void
test_public_mismatch (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VdKey) other = vd_key_generate ("alice", &error);
  g_autoptr(VdKey) impostor = NULL;
  g_autofree char *own_line = vd_key_format_public (f->key);
  g_autofree char *impostor_line = NULL;
  g_autofree char *text = read_text (f->path);

  /* Another public key under the same key id. */
  impostor = vd_key_new_public ("alice", vd_key_get_id_bytes (f->key),
                                vd_key_get_public_bytes (other));
  impostor_line = vd_key_format_public (impostor);
  replace_in_file (f->path, own_line, impostor_line);
  assert_load_fails (f->path, "correct horse", VD_KEY_ERROR_FORMAT,
                     "the public key does not match the secret key");

  /* A key id that is not the public key's. */
  g_assert_true (g_file_set_contents_full (f->path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600,
                                           &error));
  replace_in_file (f->path, vd_key_get_id (f->key), "0123456789ABCDEF");
  assert_load_fails (f->path, "correct horse", VD_KEY_ERROR_FORMAT, "“key_id”");
}

static void
test_change_passphrase (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VdKey) loaded = NULL;
  g_autofree char *before = read_text (f->path);
  g_autofree char *after = NULL;
  GStatBuf st;

  /* The wrong old passphrase changes nothing. */
  g_assert_false (vd_key_file_change_passphrase (f->path, "nope", "new one", &error));
  g_assert_error (error, VD_KEY_ERROR, VD_KEY_ERROR_PASSPHRASE);
  g_clear_error (&error);
  after = read_text (f->path);
  g_assert_cmpstr (before, ==, after);

  g_assert_true (vd_key_file_change_passphrase (f->path, "correct horse", "new one", &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (f->path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  assert_load_fails (f->path, "correct horse", VD_KEY_ERROR_PASSPHRASE, "wrong passphrase");
  loaded = vd_key_file_load (f->path, "new one", &error);
  g_assert_no_error (error);
  g_assert_true (vd_key_equal_public (loaded, f->key));

  /* No temporary file is left behind. */
  {
    g_autoptr(GDir) dir = g_dir_open (f->dir, 0, NULL);
    const char *name;
    guint n = 0;

    while ((name = g_dir_read_name (dir)) != NULL)
      n++;
    g_assert_cmpuint (n, ==, 1);
  }
}

static void
test_not_a_key_file (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "junk.key", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents_full (path, "{\"a\": 1}\n", -1, G_FILE_SET_CONTENTS_CONSISTENT,
                                           0600, &error));
  assert_load_fails (path, "x", VD_KEY_ERROR_FORMAT, "untrusted comment");

  g_assert_true (g_file_set_contents_full (path, "untrusted comment: x\n[1, 2]\n", -1,
                                           G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error));
  assert_load_fails (path, "x", VD_KEY_ERROR_FORMAT, "not a JSON object");

  g_assert_true (g_file_set_contents_full (path, "untrusted comment: x\n{\"verdict_secret_key\":2}\n",
                                           -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error));
  assert_load_fails (path, "x", VD_KEY_ERROR_FORMAT, "version 2");

  assert_load_fails (f->dir, "x", VD_KEY_ERROR_FORMAT, "not a regular file");
  g_free (path);
  path = g_build_filename (f->dir, "missing.key", NULL);
  assert_load_fails (path, "x", VD_KEY_ERROR_NOT_FOUND, "");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add ("/key-file/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("save-load", test_save_load);
  ADD ("unsealed", test_unsealed);
  ADD ("wrong-passphrase", test_wrong_passphrase);
  ADD ("truncated", test_truncated);
  ADD ("changed-byte", test_changed_byte);
  ADD ("permissions", test_permissions);
  ADD ("public-mismatch", test_public_mismatch);
  ADD ("change-passphrase", test_change_passphrase);
  ADD ("not-a-key-file", test_not_a_key_file);

#undef ADD

  return g_test_run ();
}
