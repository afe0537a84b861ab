/* test-passphrase.c: passphrases from a file, a descriptor, or nowhere
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
#include <unistd.h>

#include "vd-test-util.h"

static void
assert_reads (const char *file,
              const char *expected)
{
  g_autoptr(GError) error = NULL;
  char *passphrase = vd_passphrase_read (NULL, file, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (passphrase, ==, expected);
  vd_passphrase_free (passphrase);
}

static void
test_file (void)
{
  g_autofree char *dir = vd_test_make_tmp_dir ("passphrase");
  g_autofree char *path = vd_test_write_file (dir, "pass", "first one\r\nsecond one\n\nlast");
  g_autofree char *other = vd_test_write_file (dir, "other", "other first\n");
  g_autoptr(GError) error = NULL;

  g_unsetenv ("VERDICT_PASSPHRASE_FD");

  /* Each call takes the next line of the same file; files count apart. */
  assert_reads (path, "first one");
  assert_reads (other, "other first");
  assert_reads (path, "second one");
  assert_reads (path, "");
  assert_reads (path, "last");

  g_assert_null (vd_passphrase_read (NULL, path, &error));
  g_assert_error (error, VD_KEY_ERROR, VD_KEY_ERROR_PASSPHRASE);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_nonnull (strstr (error->message, "no line 5"));
  g_clear_error (&error);

  g_assert_null (vd_passphrase_read (NULL, "/nonexistent/pass", &error));
  g_assert_error (error, VD_KEY_ERROR, VD_KEY_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "/nonexistent/pass"));

  vd_test_remove_tree (dir);
}

static void
test_fd (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *fd_text = NULL;
  const char text[] = "from a pipe\nand again\r\n";
  int fds[2];

  g_assert_cmpint (pipe (fds), ==, 0);
  g_assert_cmpint (write (fds[1], text, strlen (text)), ==, (gssize) strlen (text));
  close (fds[1]);

  fd_text = g_strdup_printf ("%d", fds[0]);
  g_setenv ("VERDICT_PASSPHRASE_FD", fd_text, TRUE);

  assert_reads (NULL, "from a pipe");
  assert_reads (NULL, "and again");

  g_assert_null (vd_passphrase_read (NULL, NULL, &error));
  g_assert_error (error, VD_KEY_ERROR, VD_KEY_ERROR_PASSPHRASE);
  g_assert_nonnull (strstr (error->message, "VERDICT_PASSPHRASE_FD"));
  g_clear_error (&error);
  close (fds[0]);

  g_setenv ("VERDICT_PASSPHRASE_FD", "seven", TRUE);
  g_assert_null (vd_passphrase_read (NULL, NULL, &error));
  g_assert_error (error, VD_KEY_ERROR, VD_KEY_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "seven"));
  g_unsetenv ("VERDICT_PASSPHRASE_FD");
}

static void
test_too_long (void)
{
  g_autofree char *dir = vd_test_make_tmp_dir ("passphrase-long");
  g_autofree char *line = g_strnfill (5000, 'x');
  g_autofree char *path = vd_test_write_file (dir, "pass", line);
  g_autoptr(GError) error = NULL;

  g_assert_null (vd_passphrase_read (NULL, path, &error));
  g_assert_error (error, VD_KEY_ERROR, VD_KEY_ERROR_PASSPHRASE);
  g_assert_nonnull (strstr (error->message, "longer than"));
  vd_test_remove_tree (dir);
}

/* With no file, no descriptor and no controlling terminal (a new
 * session has none), the error says how to give a passphrase. */
static void
test_no_source (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(GError) error = NULL;
      char *passphrase;

      g_unsetenv ("VERDICT_PASSPHRASE_FD");
      if (setsid () < 0)
        g_error ("setsid failed");
      passphrase = vd_passphrase_read ("Passphrase: ", NULL, &error);
      g_assert_null (passphrase);
      g_assert_error (error, VD_KEY_ERROR, VD_KEY_ERROR_PASSPHRASE);
      g_assert_nonnull (strstr (error->message, "--passphrase-file"));
      g_assert_nonnull (strstr (error->message, "VERDICT_PASSPHRASE_FD"));
      return;
    }

  g_test_trap_subprocess (NULL, 30 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/passphrase/file", test_file);
  g_test_add_func ("/passphrase/fd", test_fd);
  g_test_add_func ("/passphrase/too-long", test_too_long);
  g_test_add_func ("/passphrase/no-source", test_no_source);

  return g_test_run ();
}
