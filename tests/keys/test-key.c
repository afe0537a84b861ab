/* test-key.c: Ed25519 keys, their minisign public form, audit signatures
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

#include "vd-test-keys.h"
#include "vd-test-util.h"

#define HASH_A "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0"
#define HASH_B "1f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0"

static void
test_generate_sign_verify (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VdKey) key = vd_key_generate ("alice", &error);
  g_autoptr(VdKey) other = vd_key_generate ("bob", &error);
  static const guint8 message[] = "approve payments/t-7";
  guint8 signature[VD_KEY_SIGNATURE_BYTES];

  g_assert_no_error (error);
  g_assert_cmpstr (vd_key_get_owner (key), ==, "alice");
  g_assert_true (vd_key_has_secret (key));
  g_assert_cmpuint (strlen (vd_key_get_id (key)), ==, 16);
  g_assert_false (vd_key_equal_public (key, other));

  g_assert_true (vd_key_sign (key, message, sizeof message, signature, &error));
  g_assert_no_error (error);
  g_assert_true (vd_key_verify (key, message, sizeof message, signature));
  g_assert_false (vd_key_verify (other, message, sizeof message, signature));
  g_assert_false (vd_key_verify (key, message, sizeof message - 1, signature));
  signature[10] ^= 0x01;
  g_assert_false (vd_key_verify (key, message, sizeof message, signature));

  /* Locked, the key still verifies but no longer signs. */
  vd_key_lock (key);
  g_assert_false (vd_key_has_secret (key));
  g_assert_null (vd_key_peek_secret_bytes (key));
  g_assert_false (vd_key_sign (key, message, sizeof message, signature, &error));
  g_assert_error (error, VD_KEY_ERROR, VD_KEY_ERROR_LOCKED);
}

static void
test_public_round_trip (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VdKey) key = vd_key_generate ("alice", &error);
  g_autoptr(VdKey) from_line = NULL;
  g_autoptr(VdKey) from_file = NULL;
  g_autoptr(VdKey) copy = NULL;
  g_autofree char *line = vd_key_format_public (key);
  g_autofree char *file = vd_key_format_public_file (key);
  g_autofree char *padded = g_strdup_printf ("  \n%s\r\n\n", file);
  g_autofree char *comment = g_strdup_printf ("untrusted comment: minisign public key %s\n",
                                              vd_key_get_id (key));

  g_assert_no_error (error);
  g_assert_cmpuint (strlen (line), ==, 56);
  g_assert_true (g_str_has_prefix (line, "RW"));
  g_assert_true (g_str_has_prefix (file, comment));

  from_line = vd_key_parse_public (line, "alice", &error);
  g_assert_no_error (error);
  g_assert_true (vd_key_equal_public (key, from_line));
  g_assert_cmpstr (vd_key_get_id (from_line), ==, vd_key_get_id (key));
  g_assert_false (vd_key_has_secret (from_line));

  from_file = vd_key_parse_public (padded, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (vd_key_equal_public (key, from_file));
  g_assert_cmpstr (vd_key_get_owner (from_file), ==, "");

  copy = vd_key_dup_public (key);
  g_assert_true (vd_key_equal_public (key, copy));
  g_assert_false (vd_key_has_secret (copy));
  g_assert_cmpstr (vd_key_get_owner (copy), ==, "alice");
}

static void
assert_parse_error (const char *text,
                    const char *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VdKey) key = vd_key_parse_public (text, NULL, &error);

  g_assert_null (key);
  g_assert_error (error, VD_KEY_ERROR, VD_KEY_ERROR_FORMAT);
  if (strstr (error->message, expected) == NULL)
    g_error ("“%s”: expected “%s” in “%s”", text, expected, error->message);
}

static void
test_parse_errors (void)
{
  guint8 raw[42] = { 'E', 'd' };
  g_autofree char *short_line = NULL;
  g_autofree char *wrong_alg = NULL;

  for (guint i = 2; i < sizeof raw; i++)
    raw[i] = (guint8) i;
  short_line = g_base64_encode (raw, 41);
  raw[1] = 'D';
  wrong_alg = g_base64_encode (raw, sizeof raw);

  assert_parse_error ("", "empty");
  assert_parse_error ("untrusted comment: nothing else\n", "empty");
  assert_parse_error ("RW not base64 at all!", "not base64");
  assert_parse_error ("RWQ=", "wrong length");
  assert_parse_error (short_line, "wrong length");
  assert_parse_error (wrong_alg, "“Ed”");
}

static void
test_new_from_secret (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VdKey) key = vd_key_generate ("alice", &error);
  g_autoptr(VdKey) copy = NULL;
  g_autoptr(VdKey) bad = NULL;
  guint8 secret[64];
  guint8 signature[VD_KEY_SIGNATURE_BYTES];

  g_assert_no_error (error);
  memcpy (secret, vd_key_peek_secret_bytes (key), sizeof secret);

  copy = vd_key_new_from_secret ("alice", vd_key_get_id_bytes (key), secret, &error);
  g_assert_no_error (error);
  g_assert_true (vd_key_equal_public (key, copy));
  g_assert_true (vd_key_sign (copy, (const guint8 *) "x", 1, signature, &error));
  g_assert_true (vd_key_verify (key, (const guint8 *) "x", 1, signature));

  /* A public half that is not the seed's. */
  secret[40] ^= 0x01;
  bad = vd_key_new_from_secret ("alice", vd_key_get_id_bytes (key), secret, &error);
  g_assert_null (bad);
  g_assert_error (error, VD_KEY_ERROR, VD_KEY_ERROR_FORMAT);
  memset (secret, 0, sizeof secret);
}

static void
test_audit_hash (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VdKey) key = vd_key_generate ("alice", &error);
  g_autoptr(VdKey) other = vd_key_generate ("bob", &error);
  g_autofree char *signature = NULL;
  g_autofree char *bad = NULL;
  guint8 raw[VD_KEY_SIGNATURE_BYTES];
  g_autofree char *message = g_strconcat (VD_AUDIT_SIGNATURE_PREFIX, HASH_A, NULL);
  g_autofree guchar *decoded = NULL;
  gsize decoded_length = 0;

  signature = vd_key_sign_audit_hash (key, HASH_A, &error);
  g_assert_no_error (error);

  /* The signature is plain Ed25519 over the prefix and the hash. */
  decoded = g_base64_decode (signature, &decoded_length);
  g_assert_cmpuint (decoded_length, ==, VD_KEY_SIGNATURE_BYTES);
  g_assert_true (vd_key_verify (key, (const guint8 *) message, strlen (message), decoded));

  g_assert_true (vd_key_verify_audit_hash (key, HASH_A, signature));
  g_assert_false (vd_key_verify_audit_hash (key, HASH_B, signature));
  g_assert_false (vd_key_verify_audit_hash (other, HASH_A, signature));
  g_assert_false (vd_key_verify_audit_hash (key, HASH_A, "not base64"));
  g_assert_false (vd_key_verify_audit_hash (key, HASH_A, "AAAA"));

  memcpy (raw, decoded, sizeof raw);
  raw[0] ^= 0x80;
  bad = g_base64_encode (raw, sizeof raw);
  g_assert_false (vd_key_verify_audit_hash (key, HASH_A, bad));

  g_assert_null (vd_key_sign_audit_hash (key, "ABCDEF", &error));
  g_assert_error (error, VD_KEY_ERROR, VD_KEY_ERROR_FORMAT);
}

/* PyNaCl, knowing nothing of Verdict, verifies an audit signature from the
 * public key line, the prefix and the hash. */
static void
test_audit_hash_pynacl (void)
{
  static const char script[] =
    "import base64, sys, nacl.signing\n"
    "pk = base64.b64decode(sys.argv[1])\n"
    "assert pk[:2] == b'Ed'\n"
    "key = nacl.signing.VerifyKey(pk[10:])\n"
    "msg = ('verdict-audit-v1:' + sys.argv[2]).encode('ascii')\n"
    "key.verify(msg, base64.b64decode(sys.argv[3]))\n"
    "print('ok')\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(VdKey) key = vd_key_generate ("alice", &error);
  g_autofree char *python = vd_test_require_pynacl ();
  g_autofree char *line = NULL;
  g_autofree char *signature = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = -1;

  if (python == NULL)
    return;

  line = vd_key_format_public (key);
  signature = vd_key_sign_audit_hash (key, HASH_A, &error);
  g_assert_no_error (error);

  {
    const char *argv[] = { python, "-c", script, line, HASH_A, signature, NULL };

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                                 &out, &err, &status, &error));
    g_assert_no_error (error);
    if (!g_spawn_check_wait_status (status, NULL))
      g_error ("PyNaCl refused the signature: %s", err);
    g_assert_cmpstr (out, ==, "ok\n");
  }

  /* And refuses it for another hash. */
  {
    const char *argv[] = { python, "-c", script, line, HASH_B, signature, NULL };

    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                                 &out, &err, &status, &error));
    g_assert_false (g_spawn_check_wait_status (status, NULL));
    g_assert_nonnull (strstr (err, "BadSignatureError"));
  }
}

/* The key id reads as minisign prints it: a key pair made by minisign,
 * whose public key file names the id in its comment. */
static void
test_key_id_as_minisign (void)
{
  g_autofree char *minisign = vd_test_require_program ("minisign");
  g_autofree char *dir = NULL;
  g_autofree char *pub = NULL;
  g_autofree char *sec = NULL;
  g_autofree char *text = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(VdKey) key = NULL;
  int status = -1;

  if (minisign == NULL)
    return;

  dir = vd_test_make_tmp_dir ("key-id");
  pub = g_build_filename (dir, "minisign.pub", NULL);
  sec = g_build_filename (dir, "minisign.key", NULL);

  {
    const char *argv[] = { minisign, "-G", "-W", "-p", pub, "-s", sec, NULL };

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL,
                                 G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                                 NULL, NULL, NULL, NULL, &status, &error));
    g_assert_no_error (error);
    g_assert_true (g_spawn_check_wait_status (status, NULL));
  }

  g_assert_true (g_file_get_contents (pub, &text, NULL, &error));
  g_assert_true (g_str_has_prefix (text, "untrusted comment: minisign public key "));
  expected = g_strndup (text + strlen ("untrusted comment: minisign public key "),
                        strcspn (text + strlen ("untrusted comment: minisign public key "),
                                 "\n"));

  /* minisign prints the number without leading zeros; Verdict always
   * writes 16 digits. The same number either way. */
  key = vd_key_parse_public (text, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (vd_key_get_id (key)), ==, 16);
  g_assert_cmpuint (g_ascii_strtoull (vd_key_get_id (key), NULL, 16), ==,
                    g_ascii_strtoull (expected, NULL, 16));
  g_assert_cmpstr (vd_key_get_id (key) + 16 - strlen (expected), ==, expected);

  vd_test_remove_tree (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/key/generate-sign-verify", test_generate_sign_verify);
  g_test_add_func ("/key/public-round-trip", test_public_round_trip);
  g_test_add_func ("/key/parse-errors", test_parse_errors);
  g_test_add_func ("/key/new-from-secret", test_new_from_secret);
  g_test_add_func ("/key/audit-hash", test_audit_hash);
  g_test_add_func ("/key/audit-hash-pynacl", test_audit_hash_pynacl);
  g_test_add_func ("/key/key-id-as-minisign", test_key_id_as_minisign);

  return g_test_run ();
}
