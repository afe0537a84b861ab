/* test-cli-keys.c: verdict-cli keys
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

#include <json-glib/json-glib.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "vd-core.h"
#include "vd-test-util.h"
#include "../keys/vd-test-keys.h"

typedef struct
{
  char *dir;
  char *keys_dir;
  char *env_keys;
  char *pass;
} Fixture;

#define run_cli(run, f, ...) \
  vd_test_run_cli_full (run, NULL, (f)->dir, \
                        (const char * const[]) { (f)->env_keys, NULL }, __VA_ARGS__)

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->dir = vd_test_make_tmp_dir ("cli-keys");
  f->keys_dir = g_build_filename (f->dir, "keys", NULL);
  f->env_keys = g_strconcat ("VERDICT_KEYS_DIR=", f->keys_dir, NULL);
  g_setenv ("VERDICT_KEYS_DIR", f->keys_dir, TRUE);
  g_unsetenv ("VERDICT_PASSPHRASE_FD");
  g_unsetenv ("VERDICT_REVIEWER");
  f->pass = vd_test_write_file (f->dir, "pass", "first secret\nsecond secret\n");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  vd_test_remove_tree (f->dir);
  g_free (f->pass);
  g_free (f->env_keys);
  g_free (f->keys_dir);
  g_free (f->dir);
}

static void
generate_alice (Fixture *f)
{
  g_auto(VdTestRun) run = { 0, };
  g_autofree char *pass = vd_test_write_file (f->dir, "alice-pass", "first secret\n");

  run_cli (&run, f, "keys", "generate", "--reviewer", "alice", "--passphrase-file", pass, NULL);
  g_assert_cmpstr (run.err, ==, "");
  g_assert_cmpint (run.status, ==, 0);
}

static void
test_generate_list_export (Fixture       *f,
                           gconstpointer  data)
{
  g_auto(VdTestRun) run = { 0, };
  g_autoptr(GError) error = NULL;
  g_autoptr(VdKeystore) keystore = vd_keystore_new (f->keys_dir);
  g_autoptr(VdKey) key = NULL;
  g_autoptr(VdKey) exported = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *line = NULL;
  g_autofree char *key_path = g_build_filename (f->keys_dir, "alice.key", NULL);
  g_autofree char *expected = NULL;
  JsonObject *object;

  run_cli (&run, f, "keys", "generate", "--reviewer", "alice", "--passphrase-file", f->pass,
           NULL);
  g_assert_cmpstr (run.err, ==, "");
  g_assert_cmpint (run.status, ==, 0);
  /* Neither passphrase shows anywhere. */
  g_assert_null (strstr (run.out, "secret\n"));
  g_assert_false (vd_test_dir_contains (f->keys_dir, "first secret"));

  key = vd_keystore_unlock (keystore, "alice", "first secret", &error);
  g_assert_no_error (error);
  line = vd_key_format_public (key);
  expected = g_strdup_printf ("key id:     %s\n", vd_key_get_id (key));
  g_assert_nonnull (strstr (run.out, expected));
  g_assert_nonnull (strstr (run.out, line));
  g_assert_nonnull (strstr (run.out, key_path));

  run_cli (&run, f, "keys", "list", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_str_has_prefix (run.out, "alice "));
  g_assert_nonnull (strstr (run.out, vd_key_get_id (key)));
  g_assert_nonnull (strstr (run.out, " sealed "));

  run_cli (&run, f, "keys", "list", "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (json_parser_load_from_data (parser, run.out, -1, &error));
  object = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (object, "reviewer"), ==, "alice");
  g_assert_cmpstr (json_object_get_string_member (object, "key_id"), ==, vd_key_get_id (key));
  g_assert_cmpstr (json_object_get_string_member (object, "public_key"), ==, line);
  g_assert_cmpstr (json_object_get_string_member (object, "path"), ==, key_path);
  g_assert_true (json_object_get_boolean_member (object, "sealed"));

  run_cli (&run, f, "keys", "export-public", "alice", NULL);
  g_assert_cmpint (run.status, ==, 0);
  exported = vd_key_parse_public (run.out, "alice", &error);
  g_assert_no_error (error);
  g_assert_true (vd_key_equal_public (exported, key));
  g_clear_pointer (&expected, g_free);
  expected = vd_key_format_public_file (key);
  g_assert_cmpstr (run.out, ==, expected);

  /* What export-public prints is what minisign -p takes. */
  {
    g_autofree char *minisign = vd_test_require_program ("minisign");
    g_autofree char *pub = NULL;
    g_autofree char *file = NULL;
    int status = -1;

    if (minisign != NULL)
      {
        pub = vd_test_write_file (f->dir, "alice.pub", run.out);
        file = vd_test_write_file (f->dir, "decisions.jsonl", "{}\n");
        g_assert_true (vd_minisign_write_signature (key, file, "test", NULL, &error));
        g_assert_no_error (error);
        {
          const char *argv[] = { minisign, "-Vm", file, "-p", pub, "-q", NULL };

          g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL,
                                       G_SPAWN_STDIN_FROM_DEV_NULL, NULL, NULL, NULL, NULL,
                                       &status, &error));
          g_assert_true (g_spawn_check_wait_status (status, NULL));
        }
      }
  }

  run_cli (&run, f, "keys", "export-public", "bob", NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "bob has no key"));
}

static void
test_generate_refused (Fixture       *f,
                       gconstpointer  data)
{
  g_auto(VdTestRun) run = { 0, };
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *key_path = g_build_filename (f->keys_dir, "alice.key", NULL);
  g_autofree char *empty = vd_test_write_file (f->dir, "empty", "\n");

  generate_alice (f);
  g_assert_true (g_file_get_contents (key_path, &before, NULL, NULL));

  /* A second key for alice. */
  run_cli (&run, f, "keys", "generate", "--reviewer", "alice", "--passphrase-file", f->pass,
           NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "alice has a key already"));
  g_assert_nonnull (strstr (run.err, key_path));
  g_assert_true (g_file_get_contents (key_path, &after, NULL, NULL));
  g_assert_cmpstr (before, ==, after);

  /* An empty passphrase. */
  run_cli (&run, f, "keys", "generate", "--reviewer", "bob", "--passphrase-file", empty, NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "empty"));
  g_assert_false (g_file_test (f->keys_dir, G_FILE_TEST_IS_DIR) &&
                  vd_test_dir_contains (f->keys_dir, "\"owner\":\"bob\""));

  /* No reviewer, a reviewer that cannot name a file, a bad subcommand. */
  run_cli (&run, f, "keys", "generate", "--passphrase-file", f->pass, NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "--reviewer"));
  run_cli (&run, f, "keys", "generate", "--reviewer", "../x", "--passphrase-file", f->pass,
           NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "cannot name a key file"));
  run_cli (&run, f, "keys", "destroy", NULL);
  g_assert_cmpint (run.status, ==, 2);
  run_cli (&run, f, "keys", NULL);
  g_assert_cmpint (run.status, ==, 2);
}

static void
test_change_passphrase (Fixture       *f,
                        gconstpointer  data)
{
  g_auto(VdTestRun) run = { 0, };
  g_autoptr(GError) error = NULL;
  g_autoptr(VdKeystore) keystore = vd_keystore_new (f->keys_dir);
  g_autoptr(VdKey) key = NULL;
  g_autofree char *wrong = vd_test_write_file (f->dir, "wrong", "not it\nwhatever\n");

  generate_alice (f);

  /* The wrong old passphrase. */
  run_cli (&run, f, "keys", "change-passphrase", "alice", "--passphrase-file", wrong, NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "wrong passphrase"));

  /* Old then new from the global option's file. */
  run_cli (&run, f, "--passphrase-file", f->pass, "keys", "change-passphrase", "alice", NULL);
  g_assert_cmpstr (run.err, ==, "");
  g_assert_cmpint (run.status, ==, 0);

  g_assert_null (vd_keystore_unlock (keystore, "alice", "first secret", &error));
  g_assert_error (error, VD_KEY_ERROR, VD_KEY_ERROR_PASSPHRASE);
  g_clear_error (&error);
  key = vd_keystore_unlock (keystore, "alice", "second secret", &error);
  g_assert_no_error (error);

  run_cli (&run, f, "keys", "change-passphrase", "bob", "--passphrase-file", f->pass, NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "bob has no"));
}

static void
test_world_readable (Fixture       *f,
                     gconstpointer  data)
{
  g_auto(VdTestRun) run = { 0, };
  g_autofree char *key_path = g_build_filename (f->keys_dir, "alice.key", NULL);
  g_autofree char *expected = NULL;

  generate_alice (f);
  g_assert_cmpint (g_chmod (key_path, 0644), ==, 0);

  run_cli (&run, f, "keys", "change-passphrase", "alice", "--passphrase-file", f->pass, NULL);
  g_assert_cmpint (run.status, ==, 1);
  expected = g_strdup_printf ("verdict-cli: %s: readable by others (mode 0644); run chmod 600 "
                              "%s\n", key_path, key_path);
  g_assert_cmpstr (run.err, ==, expected);
}

/* The passphrase from a pipe named in VERDICT_PASSPHRASE_FD. */
static void
test_passphrase_fd (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(VdKeystore) keystore = vd_keystore_new (f->keys_dir);
  g_autoptr(VdKey) key = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char text[] = "piped secret\n";
  int fds[2];

  g_assert_cmpint (pipe (fds), ==, 0);
  g_assert_cmpint (write (fds[1], text, strlen (text)), ==, (gssize) strlen (text));
  close (fds[1]);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "VERDICT_KEYS_DIR", f->keys_dir, TRUE);
  g_subprocess_launcher_setenv (launcher, "VERDICT_PASSPHRASE_FD", "3", TRUE);
  g_subprocess_launcher_setenv (launcher, "VERDICT_REVIEWER", "dana", TRUE);
  g_subprocess_launcher_take_fd (launcher, fds[0], 3);
  process = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("VERDICT_CLI"),
                                         "keys", "generate", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (err, ==, "");
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);

  key = vd_keystore_unlock (keystore, "dana", "piped secret", &error);
  g_assert_no_error (error);
}

static void
new_session (gpointer user_data)
{
  setsid ();
}

/* No passphrase source and no terminal: a clear error, no key written. */
static void
test_no_terminal (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "VERDICT_KEYS_DIR", f->keys_dir, TRUE);
  g_subprocess_launcher_unsetenv (launcher, "VERDICT_PASSPHRASE_FD");
  g_subprocess_launcher_set_child_setup (launcher, new_session, NULL, NULL);
  process = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("VERDICT_CLI"),
                                         "keys", "generate", "--reviewer", "erin", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, "typed on stdin\n", NULL, &out, &err, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 1);
  g_assert_nonnull (strstr (err, "no terminal"));
  g_assert_nonnull (strstr (err, "--passphrase-file"));
  g_assert_false (g_file_test (f->keys_dir, G_FILE_TEST_EXISTS));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add ("/cli-keys/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("generate-list-export", test_generate_list_export);
  ADD ("generate-refused", test_generate_refused);
  ADD ("change-passphrase", test_change_passphrase);
  ADD ("world-readable", test_world_readable);
  ADD ("passphrase-fd", test_passphrase_fd);
  ADD ("no-terminal", test_no_terminal);

#undef ADD

  return g_test_run ();
}
