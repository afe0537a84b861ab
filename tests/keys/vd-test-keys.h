/* vd-test-keys.h: what the key tests share
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

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The path of the program @name (minisign, python3), or NULL after marking
 * the test skipped; missing in CI (CI=true), the test fails instead, since
 * build-aux/install-deps.sh installs them there. */
static inline char *
vd_test_require_program (const char *name)
{
  char *path = g_find_program_in_path (name);

  if (path != NULL)
    return path;

  if (g_strcmp0 (g_getenv ("CI"), "true") == 0)
    g_test_fail_printf ("%s is missing: build-aux/install-deps.sh test installs it", name);
  else
    g_test_skip_printf ("%s is not installed", name);

  return NULL;
}

/* A Python 3 that can import nacl (python3-nacl): python3 on the PATH,
 * else Debian's /usr/bin/python3 (a python3 of pyenv or a virtualenv
 * earlier on the PATH does not see Debian's packages). NULL after marking
 * the test skipped, or failed in CI, like vd_test_require_program(). */
static inline char *
vd_test_require_pynacl (void)
{
  g_autofree char *on_path = g_find_program_in_path ("python3");
  const char *candidates[] = { on_path, "/usr/bin/python3" };

  for (guint i = 0; i < G_N_ELEMENTS (candidates); i++)
    {
      const char *argv[] = { candidates[i], "-c", "import nacl.signing", NULL };
      int status = -1;

      if (candidates[i] == NULL || !g_file_test (candidates[i], G_FILE_TEST_IS_EXECUTABLE))
        continue;
      if (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL |
                        G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL, NULL, &status, NULL)
          && g_spawn_check_wait_status (status, NULL))
        return g_strdup (candidates[i]);
    }

  if (g_strcmp0 (g_getenv ("CI"), "true") == 0)
    g_test_fail_printf ("python3-nacl is missing: build-aux/install-deps.sh test installs it");
  else
    g_test_skip_printf ("python3-nacl is not installed");

  return NULL;
}

G_END_DECLS
