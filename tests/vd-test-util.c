/* vd-test-util.c: what the core and command-line tests share
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

#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "vd-pg-store.h"
#include "vd-test-pg.h"
#include "vd-test-util.h"

/* On PostgreSQL, the database that stands for each store path a test
 * opened: a path opened again opens the same database, and
 * vd_test_remove_tree() drops the databases of the paths below it. */
typedef struct
{
  char     *path;
  VdTestPg *pg;
} PgDatabase;

static GPtrArray *pg_databases;
static char *pg_data_home;

static void
pg_database_free (gpointer data)
{
  PgDatabase *database = data;

  vd_test_pg_tear_down (database->pg);
  g_free (database->path);
  g_free (database);
}

static void
pg_clean_up (void)
{
  g_clear_pointer (&pg_databases, g_ptr_array_unref);
  if (pg_data_home != NULL)
    vd_test_remove_tree (pg_data_home);
  g_clear_pointer (&pg_data_home, g_free);
}

/* Whether @path is @dir or lies below it. */
static gboolean
path_is_under (const char *path,
               const char *dir)
{
  size_t len = strlen (dir);

  return strncmp (path, dir, len) == 0 && (path[len] == '\0' || path[len] == G_DIR_SEPARATOR);
}

static void
pg_drop_under (const char *dir)
{
  if (pg_databases == NULL)
    return;
  for (guint i = pg_databases->len; i > 0; i--)
    {
      PgDatabase *database = g_ptr_array_index (pg_databases, i - 1);

      if (path_is_under (database->path, dir))
        g_ptr_array_remove_index (pg_databases, i - 1);
    }
}

/**
 * vd_test_store_is_sqlite:
 *
 * Whether the store tests run on SQLite (VERDICT_TEST_BACKEND unset or
 * "sqlite") or on PostgreSQL ("postgresql", with VERDICT_TEST_PG naming a
 * superuser connection to a cluster).
 */
gboolean
vd_test_store_is_sqlite (void)
{
  const char *backend = g_getenv ("VERDICT_TEST_BACKEND");

  if (backend == NULL || *backend == '\0' || g_str_equal (backend, "sqlite"))
    return TRUE;
  if (g_str_equal (backend, "postgresql"))
    return FALSE;
  g_error ("VERDICT_TEST_BACKEND=%s: expected sqlite or postgresql", backend);
}

/* Skips the test (with @reason) on PostgreSQL: whether it was skipped. */
gboolean
vd_test_skip_unless_sqlite (const char *reason)
{
  g_autofree char *message = NULL;

  if (vd_test_store_is_sqlite ())
    return FALSE;
  message = g_strdup_printf ("SQLite only: %s", reason);
  g_test_skip (message);
  return TRUE;
}

static void
skip_with_reason (gconstpointer data)
{
  g_test_skip (data);
}

/* For a test that needs SQLite: TRUE on SQLite (register it); on
 * PostgreSQL, registers a test at @path that skips with @reason and
 * returns FALSE. @reason must outlive the test run (a literal). */
gboolean
vd_test_sqlite_only (const char *path,
                     const char *reason)
{
  if (vd_test_store_is_sqlite ())
    return TRUE;
  g_test_add_data_func (path, reason, skip_with_reason);
  return FALSE;
}

static VdStore *
open_pg_store (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VdPgStore) store = NULL;
  PgDatabase *database = NULL;

  if (g_getenv ("VERDICT_TEST_PG") == NULL)
    g_error ("VERDICT_TEST_BACKEND=postgresql needs VERDICT_TEST_PG (run the test through "
             "build-aux/pg-test-cluster run)");

  if (pg_databases == NULL)
    {
      pg_databases = g_ptr_array_new_with_free_func (pg_database_free);
      /* The installation keys of the test databases stay out of the
       * user's own folder. */
      pg_data_home = vd_test_make_tmp_dir ("pg-data-home");
      g_setenv ("XDG_DATA_HOME", pg_data_home, TRUE);
      atexit (pg_clean_up);
    }
  for (guint i = 0; i < pg_databases->len && database == NULL; i++)
    {
      PgDatabase *candidate = g_ptr_array_index (pg_databases, i);

      if (g_str_equal (candidate->path, path))
        database = candidate;
    }
  if (database == NULL)
    {
      database = g_new0 (PgDatabase, 1);
      database->path = g_strdup (path);
      database->pg = vd_test_pg_set_up (TRUE);
      g_assert_nonnull (database->pg);
      g_ptr_array_add (pg_databases, database);
    }

  store = vd_pg_store_new (database->pg->conninfo, &error);
  g_assert_no_error (error);
  /* The suite decides as alice, bob and others on one connection. */
  g_assert_true (vd_pg_store_allow_any_reviewer (store, &error));
  g_assert_no_error (error);
  return VD_STORE (g_steal_pointer (&store));
}

/* The libpq connection string of the database that stands for @path on
 * PostgreSQL, NULL on SQLite or when @path was never opened. */
const char *
vd_test_store_location (const char *path)
{
  if (pg_databases == NULL)
    return NULL;
  for (guint i = 0; i < pg_databases->len; i++)
    {
      PgDatabase *database = g_ptr_array_index (pg_databases, i);

      if (g_str_equal (database->path, path))
        return database->pg->conninfo;
    }
  return NULL;
}

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

/* Removes @path and, for a directory, everything below it; returns
 * whether all of it could be removed. */
gboolean
vd_test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;
  gboolean removed = TRUE;

  pg_drop_under (path);
  dir = g_dir_open (path, 0, NULL);
  if (dir == NULL)
    return g_remove (path) == 0;
  while ((name = g_dir_read_name (dir)))
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      removed = vd_test_remove_tree (child) && removed;
    }
  return g_rmdir (path) == 0 && removed;
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

static int
keep_first_value (void  *user_data,
                  int    n_columns,
                  char **values,
                  char **names)
{
  char **first = user_data;

  if (*first == NULL && n_columns > 0 && values[0] != NULL)
    *first = g_strdup (values[0]);
  return 0;
}

/* Runs @sql (statements that both SQLite and PostgreSQL accept) directly
 * on the database of the store at @path, around the store; returns the
 * first value of the first row, NULL when there is none. Fails the test
 * on an error. */
char *
vd_test_store_sql (const char *path,
                   const char *sql)
{
  sqlite3 *db = NULL;
  char *message = NULL;
  char *first = NULL;

  if (!vd_test_store_is_sqlite ())
    {
      const char *location = vd_test_store_location (path);

      g_assert_nonnull (location);
      return vd_test_pg_query (location, sql);
    }

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  if (sqlite3_exec (db, sql, keep_first_value, &first, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
  sqlite3_close (db);
  return first;
}

/* Opens (or creates) the store at @path: the SQLite file, or on
 * PostgreSQL the database that stands for it (a new one the first time). */
VdStore *
vd_test_open_store (const char *path)
{
  g_autoptr(GError) error = NULL;
  VdSqliteStore *store = NULL;

  if (!vd_test_store_is_sqlite ())
    return open_pg_store (path);

  store = vd_sqlite_store_new (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (store);
  return VD_STORE (store);
}

void
vd_test_store_set_up (VdTestStore *fixture,
                      const char  *name)
{
  fixture->dir = vd_test_make_tmp_dir (name);
  fixture->db = g_build_filename (fixture->dir, "verdict.db", NULL);
  fixture->store = vd_test_open_store (fixture->db);
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

/* Writes @contents to the file @name in @dir; returns its path. */
char *
vd_test_write_file (const char *dir,
                    const char *name,
                    const char *contents)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, name, NULL);

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  return path;
}

/* Writes the queue file @text as @name in @dir and imports it into @store
 * through the real importer, with @policy (NULL for the built-in rules,
 * vd_policy_new (), chosen explicitly); fills @result when it is not NULL. */
void
vd_test_import_text (VdStore        *store,
                     const char     *dir,
                     const char     *name,
                     const char     *text,
                     VdPolicy       *policy,
                     VdImportResult *result)
{
  g_autofree char *path = vd_test_write_file (dir, name, text);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(VdPolicy) rules = policy != NULL ? g_object_ref (policy) : vd_policy_new ();
  g_autoptr(VdImporter) importer = vd_importer_new (store, rules);
  g_autoptr(GError) error = NULL;

  g_assert_true (vd_importer_import (importer, &file, 1, result, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
}

void
vd_test_got_result (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

gboolean
vd_test_has_result (gpointer user_data)
{
  return *(GAsyncResult **) user_data != NULL;
}

void
vd_test_run_clear (VdTestRun *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

/* Starts verdict-cli (the VERDICT_CLI of the test environment) with
 * --db @db first when it is not NULL, then @args (NULL-terminated), in
 * @cwd when it is not NULL. Its environment is the test's without
 * VERDICT_DB and the model endpoint variables, in the C locale, with the
 * "NAME=VALUE" strings of @env (maybe NULL) on top. */
GSubprocess *
vd_test_spawn_cli (const char         *db,
                   const char         *cwd,
                   const char * const *env,
                   GSubprocessFlags    flags,
                   const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  const char *cli = g_getenv ("VERDICT_CLI");
  GSubprocess *process;

  g_assert_nonnull (cli);
  g_ptr_array_add (argv, (char *) cli);
  if (db != NULL)
    {
      g_ptr_array_add (argv, (char *) "--db");
      g_ptr_array_add (argv, (char *) db);
    }
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (flags);
  g_subprocess_launcher_unsetenv (launcher, "VERDICT_DB");
  g_subprocess_launcher_unsetenv (launcher, "VERDICT_LLM_URL");
  g_subprocess_launcher_unsetenv (launcher, "VERDICT_LLM_MODEL");
  g_subprocess_launcher_unsetenv (launcher, "VERDICT_LLM_API_KEY");
  g_subprocess_launcher_setenv (launcher, "LANGUAGE", "C", TRUE);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  for (guint i = 0; env != NULL && env[i] != NULL; i++)
    {
      g_auto(GStrv) pair = g_strsplit (env[i], "=", 2);

      g_subprocess_launcher_setenv (launcher, pair[0], pair[1], TRUE);
    }
  if (cwd != NULL)
    g_subprocess_launcher_set_cwd (launcher, cwd);

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  return process;
}

/* Runs verdict-cli as vd_test_spawn_cli starts it, with the arguments
 * after @env (NULL-terminated), and waits for it to exit; the main context
 * of the test does not run meanwhile (a test server answers from its own
 * thread). */
void
vd_test_run_cli_full (VdTestRun          *run,
                      const char         *db,
                      const char         *cwd,
                      const char * const *env,
                      ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  const char *arg;
  va_list ap;

  vd_test_run_clear (run);
  va_start (ap, env);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (args, (char *) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  process = vd_test_spawn_cli (db, cwd, env,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                               (const char * const *) args->pdata);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &run->out, &run->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  run->status = g_subprocess_get_exit_status (process);
}

char *
vd_test_nested_json (guint       depth,
                     const char *open,
                     const char *inner,
                     const char *close)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < depth; i++)
    g_string_append (text, open);
  g_string_append (text, inner);
  for (guint i = 0; i < depth; i++)
    g_string_append (text, close);

  return g_string_free (text, FALSE);
}

gboolean
vd_test_dir_contains (const char *dir,
                      const char *needle)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  gsize needle_length = strlen (needle);
  const char *name;

  g_assert_nonnull (handle);
  while ((name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *contents = NULL;
      gsize length = 0;

      if (!g_file_test (path, G_FILE_TEST_IS_REGULAR) ||
          !g_file_get_contents (path, &contents, &length, NULL))
        continue;

      for (gsize i = 0; i + needle_length <= length; i++)
        if (memcmp (contents + i, needle, needle_length) == 0)
          return TRUE;
    }

  return FALSE;
}

void
vd_test_copy_sample_attachments (const char *samples,
                                 const char *dir)
{
  g_autofree char *from = g_build_filename (samples, "attachments", NULL);
  g_autofree char *to = g_build_filename (dir, "attachments", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) handle = g_dir_open (from, 0, &error);
  const char *name;

  g_assert_no_error (error);
  g_assert_cmpint (g_mkdir_with_parents (to, 0700), ==, 0);
  while ((name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *source = g_build_filename (from, name, NULL);
      g_autofree char *target = g_build_filename (to, name, NULL);
      g_autofree char *contents = NULL;
      gsize length = 0;

      g_file_get_contents (source, &contents, &length, &error);
      g_assert_no_error (error);
      g_file_set_contents (target, contents, length, &error);
      g_assert_no_error (error);
    }
}
