/* vd-test-util.c: what the store tests share
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

#include <glib/gstdio.h>

#include "vd-test-util.h"

/* A new empty directory under the temporary directory, named after @name. */
char *
vd_test_make_tmp_dir (const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *template = g_strdup_printf ("verdict-%s-XXXXXX", name);
  char *dir = g_dir_make_tmp (template, &error);

  g_assert_no_error (error);
  g_assert_nonnull (dir);
  return dir;
}

/* Removes @path and, for a directory, everything below it. */
void
vd_test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    {
      g_remove (path);
      return;
    }
  while ((name = g_dir_read_name (dir)))
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      vd_test_remove_tree (child);
    }
  g_rmdir (path);
}

/* Unrefs @object and checks that it is finalized. A worker thread of an
 * async call may drop its reference a moment after the callback ran. */
void
vd_test_assert_finalized (gpointer object)
{
  gpointer weak = object;
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  g_object_add_weak_pointer (object, &weak);
  g_object_unref (object);
  while (weak != NULL && g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  g_assert_null (weak);
}

void
vd_test_store_set_up (VdTestStore *fixture,
                      const char  *name)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = vd_test_make_tmp_dir (name);
  fixture->db = g_build_filename (fixture->dir, "verdict.db", NULL);
  fixture->store = VD_STORE (vd_sqlite_store_new (fixture->db, &error));
  g_assert_no_error (error);
}

void
vd_test_store_tear_down (VdTestStore *fixture)
{
  if (fixture->store != NULL)
    vd_test_assert_finalized (g_steal_pointer (&fixture->store));
  vd_test_remove_tree (fixture->dir);
  g_clear_pointer (&fixture->dir, g_free);
  g_clear_pointer (&fixture->db, g_free);
}

/* Runs the default main context until @done returns TRUE or @max_ms have
 * passed; returns what @done said last. */
gboolean
vd_test_iterate_until (gboolean (*done) (gpointer user_data),
                       gpointer   user_data,
                       guint      max_ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) max_ms * 1000;

  while (!done (user_data))
    {
      if (g_get_monotonic_time () > end)
        return done (user_data);
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
  return TRUE;
}

static gboolean
set_flag (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the default main context for @ms milliseconds. */
void
vd_test_iterate_for (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, set_flag, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}
