/* test-minisign.c: signatures in minisign's format, against minisign 0.11
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

static const char data[] = "{\"task_id\":\"t-7\",\"decision\":\"approve\"}\n";

static GPtrArray *
keys_of (VdKey *key)
{
  GPtrArray *keys = g_ptr_array_new_with_free_func (g_object_unref);

  if (key != NULL)
    g_ptr_array_add (keys, vd_key_dup_public (key));
  return keys;
}

/* Runs minisign with @args; returns whether it exited with 0. */
static gboolean
run_minisign (const char * const *args,
              char              **err_out)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = -1;

  g_assert_true (g_spawn_sync (NULL, (char **) args, NULL, G_SPAWN_STDIN_FROM_DEV_NULL, NULL, NULL,
                               &out, &err, &status, &error));
  g_assert_no_error (error);
  if (err_out != NULL)
    *err_out = g_strconcat (out, err, NULL);
  return g_spawn_check_wait_status (status, NULL);
}

static void
assert_verify_fails (const char *signature,
                     GPtrArray  *keys,
                     int         code,
                     const char *expected)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (vd_minisign_verify_bytes (signature, (const guint8 *) data, strlen (data),
                                            keys, NULL, NULL, &error));
  g_assert_error (error, VD_KEY_ERROR, code);
  if (strstr (error->message, expected) == NULL)
    g_error ("expected “%s” in “%s”", expected, error->message);
}

static void
test_bytes (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VdKey) key = vd_key_generate ("alice", &error);
  g_autoptr(VdKey) other = vd_key_generate ("bob", &error);
  g_autoptr(GPtrArray) keys = keys_of (key);
  g_autoptr(GPtrArray) other_keys = keys_of (other);
  g_autoptr(VdKey) signer = NULL;
  g_autofree char *comment = NULL;
  g_autofree char *signature = NULL;
  g_auto(GStrv) lines = NULL;

  signature = vd_minisign_sign_bytes (key, (const guint8 *) data, strlen (data),
                                      "verdict-decisions v1 lines=1", &error);
  g_assert_no_error (error);
  lines = g_strsplit (signature, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 5);
  g_assert_true (g_str_has_prefix (lines[0], "untrusted comment: "));
  g_assert_true (g_str_has_prefix (lines[1], "RU"));    /* base64 of "ED" */
  g_assert_cmpstr (lines[2], ==, "trusted comment: verdict-decisions v1 lines=1");
  g_assert_cmpstr (lines[4], ==, "");

  g_assert_true (vd_minisign_verify_bytes (signature, (const guint8 *) data, strlen (data),
                                           keys, &signer, &comment, &error));
  g_assert_no_error (error);
  g_assert_true (vd_key_equal_public (signer, key));
  g_assert_cmpstr (comment, ==, "verdict-decisions v1 lines=1");

  /* One changed byte in the data. */
  {
    g_autofree char *changed = g_strdup (data);

    changed[3] = 'T';
    g_assert_false (vd_minisign_verify_bytes (signature, (const guint8 *) changed,
                                              strlen (changed), keys, NULL, NULL, &error));
    g_assert_error (error, VD_KEY_ERROR, VD_KEY_ERROR_SIGNATURE);
    g_clear_error (&error);
  }

  /* A key that is not trusted. */
  assert_verify_fails (signature, other_keys, VD_KEY_ERROR_UNKNOWN_KEY, vd_key_get_id (key));

  /* The trusted comment changed: the global signature catches it. */
  {
    g_autoptr(GString) changed = g_string_new (signature);

    g_string_replace (changed, "lines=1", "lines=2", 1);
    assert_verify_fails (changed->str, keys, VD_KEY_ERROR_SIGNATURE, "trusted comment");
  }

  /* Damaged files name the line. */
  {
    g_autofree char *no_comment = g_strdup (strchr (signature, '\n') + 1);
    g_autofree char *truncated = g_strndup (signature, strlen (lines[0]) + 1 + 20);
    g_autofree char *two_lines = g_strdup_printf ("%s\n%s\n", lines[0], lines[1]);
    g_autofree char *three_lines = g_strdup_printf ("%s\n%s\n%s\n", lines[0], lines[1],
                                                    lines[2]);
    g_autofree char *bad_global = g_strdup_printf ("%s\n%s\n%s\n!!!!\n", lines[0], lines[1],
                                                   lines[2]);
    g_autofree char *extra = g_strdup_printf ("%sjunk\n", signature);
    g_autofree char *no_trusted = g_strdup_printf ("%s\n%s\ncomment: x\n%s\n", lines[0],
                                                   lines[1], lines[3]);
    guint8 legacy[74];
    g_autofree guchar *raw = NULL;
    g_autofree char *legacy_line = NULL;
    g_autofree char *legacy_sig = NULL;
    gsize raw_length = 0;

    assert_verify_fails (no_comment, keys, VD_KEY_ERROR_FORMAT, "line 1");
    assert_verify_fails ("", keys, VD_KEY_ERROR_FORMAT, "line 1");
    assert_verify_fails (truncated, keys, VD_KEY_ERROR_FORMAT, "line 2");
    assert_verify_fails (two_lines, keys, VD_KEY_ERROR_FORMAT, "line 3");
    assert_verify_fails (three_lines, keys, VD_KEY_ERROR_FORMAT, "line 4");
    assert_verify_fails (bad_global, keys, VD_KEY_ERROR_FORMAT, "line 4");
    assert_verify_fails (extra, keys, VD_KEY_ERROR_FORMAT, "line 5");
    assert_verify_fails (no_trusted, keys, VD_KEY_ERROR_FORMAT, "line 3");

    raw = g_base64_decode (lines[1], &raw_length);
    g_assert_cmpuint (raw_length, ==, sizeof legacy);
    memcpy (legacy, raw, sizeof legacy);
    legacy[1] = 'd';
    legacy_line = g_base64_encode (legacy, sizeof legacy);
    legacy_sig = g_strdup_printf ("%s\n%s\n%s\n%s\n", lines[0], legacy_line, lines[2],
                                  lines[3]);
    assert_verify_fails (legacy_sig, keys, VD_KEY_ERROR_FORMAT, "legacy");
  }

  /* A trusted comment is one line. */
  g_assert_null (vd_minisign_sign_bytes (key, (const guint8 *) data, strlen (data),
                                         "two\nlines", &error));
  g_assert_error (error, VD_KEY_ERROR, VD_KEY_ERROR_FORMAT);
  g_clear_error (&error);

  /* A locked key does not sign. */
  vd_key_lock (key);
  g_assert_null (vd_minisign_sign_bytes (key, (const guint8 *) data, strlen (data), NULL,
                                         &error));
  g_assert_error (error, VD_KEY_ERROR, VD_KEY_ERROR_LOCKED);
}

/* Verdict signs, minisign 0.11 verifies. */
static void
test_verdict_signs_minisign_verifies (void)
{
  g_autofree char *minisign = vd_test_require_program ("minisign");
  g_autoptr(GError) error = NULL;
  g_autoptr(VdKey) key = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *sig_path = NULL;
  g_autofree char *pub_path = NULL;
  g_autofree char *line = NULL;
  g_autofree char *pub_text = NULL;
  g_autofree char *sig_text = NULL;
  g_autofree char *output = NULL;

  if (minisign == NULL)
    return;

  dir = vd_test_make_tmp_dir ("minisign-verifies");
  key = vd_key_generate ("alice", &error);
  g_assert_no_error (error);
  line = vd_key_format_public (key);
  pub_text = vd_key_format_public_file (key);
  pub_path = vd_test_write_file (dir, "alice.pub", pub_text);
  path = vd_test_write_file (dir, "decisions.jsonl", data);
  sig_path = g_strconcat (path, ".minisig", NULL);

  g_assert_true (vd_minisign_write_signature (key, path, "verdict-decisions v1 head=3:ab",
                                              NULL, &error));
  g_assert_no_error (error);

  {
    const char *args[] = { minisign, "-Vm", path, "-P", line, NULL };

    if (!run_minisign (args, &output))
      g_error ("minisign refused Verdict's signature: %s", output);
    g_assert_nonnull (strstr (output, "verdict-decisions v1 head=3:ab"));
    g_clear_pointer (&output, g_free);
  }
  {
    const char *args[] = { minisign, "-Vm", path, "-p", pub_path, NULL };

    g_assert_true (run_minisign (args, NULL));
  }

  /* Our own check agrees. */
  {
    g_autoptr(GPtrArray) keys = keys_of (key);
    g_autofree char *comment = NULL;

    g_assert_true (vd_minisign_verify_file (path, NULL, keys, NULL, &comment, NULL, &error));
    g_assert_no_error (error);
    g_assert_cmpstr (comment, ==, "verdict-decisions v1 head=3:ab");
  }

  /* A changed trusted comment: minisign refuses it. */
  g_assert_true (g_file_get_contents (sig_path, &sig_text, NULL, &error));
  {
    g_autoptr(GString) changed = g_string_new (sig_text);
    const char *args[] = { minisign, "-Vm", path, "-P", line, NULL };

    g_string_replace (changed, "head=3", "head=4", 1);
    g_free (vd_test_write_file (dir, "decisions.jsonl.minisig", changed->str));
    g_assert_false (run_minisign (args, NULL));
    g_free (vd_test_write_file (dir, "decisions.jsonl.minisig", sig_text));
    g_assert_true (run_minisign (args, NULL));
  }

  /* One changed byte in the file: minisign refuses it. */
  {
    g_autofree char *changed = g_strdup (data);
    const char *args[] = { minisign, "-Vm", path, "-P", line, NULL };

    changed[5] = 'X';
    g_free (vd_test_write_file (dir, "decisions.jsonl", changed));
    g_assert_false (run_minisign (args, NULL));
  }

  vd_test_remove_tree (dir);
}

/* minisign signs, Verdict verifies (a queue file from an agent system). */
static void
test_minisign_signs_verdict_verifies (void)
{
  g_autofree char *minisign = vd_test_require_program ("minisign");
  g_autoptr(GError) error = NULL;
  g_autoptr(VdKey) public_key = NULL;
  g_autoptr(VdKey) signer = NULL;
  g_autoptr(GPtrArray) keys = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *pub = NULL;
  g_autofree char *sec = NULL;
  g_autofree char *sig_path = NULL;
  g_autofree char *pub_text = NULL;
  g_autofree char *sig_text = NULL;
  g_autofree char *comment = NULL;

  if (minisign == NULL)
    return;

  dir = vd_test_make_tmp_dir ("verdict-verifies");
  pub = g_build_filename (dir, "agent.pub", NULL);
  sec = g_build_filename (dir, "agent.key", NULL);
  path = vd_test_write_file (dir, "queue.jsonl", data);
  sig_path = g_strconcat (path, ".minisig", NULL);

  {
    const char *args[] = { minisign, "-G", "-W", "-p", pub, "-s", sec, NULL };

    g_assert_true (run_minisign (args, NULL));
  }
  {
    const char *args[] = { minisign, "-S", "-s", sec, "-m", path, "-t", "triage-agent batch 9",
                           NULL };

    g_assert_true (run_minisign (args, NULL));
  }

  g_assert_true (g_file_get_contents (pub, &pub_text, NULL, &error));
  public_key = vd_key_parse_public (pub_text, "triage-agent", &error);
  g_assert_no_error (error);
  keys = keys_of (public_key);

  g_assert_true (vd_minisign_verify_file (path, NULL, keys, &signer, &comment, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (comment, ==, "triage-agent batch 9");
  g_assert_cmpstr (vd_key_get_owner (signer), ==, "triage-agent");

  /* A changed trusted comment. */
  g_assert_true (g_file_get_contents (sig_path, &sig_text, NULL, &error));
  {
    g_autoptr(GString) changed = g_string_new (sig_text);
    g_autofree char *other_sig = NULL;

    g_string_replace (changed, "batch 9", "batch 8", 1);
    other_sig = vd_test_write_file (dir, "changed.minisig", changed->str);
    g_assert_false (vd_minisign_verify_file (path, other_sig, keys, NULL, NULL, NULL, &error));
    g_assert_error (error, VD_KEY_ERROR, VD_KEY_ERROR_SIGNATURE);
    g_assert_true (g_str_has_prefix (error->message, other_sig));
    g_assert_nonnull (strstr (error->message, "trusted comment"));
    g_clear_error (&error);
  }

  /* One changed byte in the file. */
  {
    g_autofree char *changed = g_strdup (data);

    changed[0] = '[';
    g_free (vd_test_write_file (dir, "queue.jsonl", changed));
    g_assert_false (vd_minisign_verify_file (path, NULL, keys, NULL, NULL, NULL, &error));
    g_assert_error (error, VD_KEY_ERROR, VD_KEY_ERROR_SIGNATURE);
    g_assert_true (g_str_has_prefix (error->message, sig_path));
    g_assert_nonnull (strstr (error->message, path));
    g_clear_error (&error);
  }

  /* No signature at all. */
  g_assert_false (vd_minisign_verify_file (sig_path, NULL, keys, NULL, NULL, NULL, &error));
  g_assert_error (error, VD_KEY_ERROR, VD_KEY_ERROR_NOT_FOUND);

  vd_test_remove_tree (dir);
}

/* A file larger than the read buffer hashes as the whole: what the file
 * signature says holds for the same bytes in memory. */
static void
test_large_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VdKey) key = vd_key_generate ("alice", &error);
  g_autoptr(GPtrArray) keys = keys_of (key);
  g_autofree char *dir = vd_test_make_tmp_dir ("minisign-large");
  g_autofree char *path = g_build_filename (dir, "big", NULL);
  g_autofree char *signature = NULL;
  g_autofree guint8 *big = g_malloc (1000003);

  for (gsize i = 0; i < 1000003; i++)
    big[i] = (guint8) (i * 7 + i / 251);
  g_assert_true (g_file_set_contents (path, (const char *) big, 1000003, &error));

  signature = vd_minisign_sign_file (key, path, "big", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (vd_minisign_verify_bytes (signature, big, 1000003, keys, NULL, NULL, &error));
  g_assert_no_error (error);

  big[999999] ^= 1;
  g_assert_false (vd_minisign_verify_bytes (signature, big, 1000003, keys, NULL, NULL, &error));
  g_assert_error (error, VD_KEY_ERROR, VD_KEY_ERROR_SIGNATURE);
  vd_test_remove_tree (dir);
}

/* A queue file's signature is checked against the digest of the bytes the
 * reader parsed: a file replaced after the read does not change the
 * outcome, and a digest of other bytes fails. */
static void
test_reader_digest (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VdKey) key = vd_key_generate ("triage-agent", &error);
  g_autoptr(GPtrArray) keys = keys_of (key);
  g_autofree char *dir = vd_test_make_tmp_dir ("minisign-reader");
  g_autofree char *path = g_build_filename (dir, "payments.jsonl", NULL);
  g_autofree char *signature_path = g_strconcat (path, ".minisig", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(VdQueueReader) reader = vd_queue_reader_new ();
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GPtrArray) again = NULL;
  g_autoptr(VdKey) signer = NULL;
  guint8 hash[VD_MINISIGN_HASH_BYTES];
  const char *queue =
    "{\"task_id\":\"t-1\",\"task_description\":\"Refund\",\"agent_output\":{\"content\":\"Refund $12.\",\"confidence\":0.4}}\n";
  const char *forged =
    "{\"task_id\":\"t-1\",\"task_description\":\"Refund\",\"agent_output\":{\"content\":\"Refund $9000.\",\"confidence\":0.4}}\n";

  g_assert_true (g_file_set_contents (path, queue, -1, &error));
  g_assert_true (vd_minisign_write_signature (key, path, "queue", NULL, &error));
  g_assert_no_error (error);

  items = vd_queue_reader_read_file (reader, file, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 1);
  g_assert_true (vd_queue_reader_get_file_hash (reader, hash));

  /* The file is replaced after it was read: what was read still verifies. */
  g_assert_true (g_file_set_contents (path, forged, -1, &error));
  g_assert_true (vd_minisign_verify_prehashed (signature_path, hash, "payments.jsonl", keys,
                                               &signer, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (vd_key_get_id (signer), ==, vd_key_get_id (key));

  /* Reading the replaced file gives its own digest, which fails. */
  again = vd_queue_reader_read_file (reader, file, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (vd_queue_reader_get_file_hash (reader, hash));
  g_assert_false (vd_minisign_verify_prehashed (signature_path, hash, "payments.jsonl", keys,
                                                NULL, NULL, &error));
  g_assert_error (error, VD_KEY_ERROR, VD_KEY_ERROR_SIGNATURE);
  g_clear_error (&error);

  /* Data not read from a file has no digest. */
  g_clear_pointer (&again, g_ptr_array_unref);
  again = vd_queue_reader_read_data (reader, queue, strlen (queue), "payments.jsonl", NULL,
                                     NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (vd_queue_reader_get_file_hash (reader, hash));

  vd_test_remove_tree (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/minisign/bytes", test_bytes);
  g_test_add_func ("/minisign/verdict-signs-minisign-verifies",
                   test_verdict_signs_minisign_verifies);
  g_test_add_func ("/minisign/minisign-signs-verdict-verifies",
                   test_minisign_signs_verdict_verifies);
  g_test_add_func ("/minisign/large-file", test_large_file);
  g_test_add_func ("/minisign/reader-digest", test_reader_digest);

  return g_test_run ();
}
