/* vd-test-util.h: what the core and command-line tests share
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

#include "vd-core.h"

G_BEGIN_DECLS

/* A temporary directory with a fresh store in it, for a g_test fixture. */
typedef struct
{
  char    *dir;
  char    *db;
  VdStore *store;
} VdTestStore;

void     vd_test_store_set_up    (VdTestStore   *fixture,
                                  const char    *name);
void     vd_test_store_tear_down (VdTestStore   *fixture);

char    *vd_test_make_tmp_dir    (const char    *name);
gboolean vd_test_remove_tree     (const char    *path);
void     vd_test_assert_finalized (gpointer      object);
gboolean vd_test_iterate_until   (gboolean     (*done) (gpointer user_data),
                                  gpointer       user_data,
                                  guint          max_ms);
void     vd_test_iterate_for     (guint          ms);

/* The store at @path: a SQLite file, or on PostgreSQL
 * (VERDICT_TEST_BACKEND=postgresql) a database of the cluster named by
 * VERDICT_TEST_PG that stands for @path, opened as its owner with
 * vd_pg_store_allow_any_reviewer(). vd_test_remove_tree() of a folder
 * drops the databases of the paths below it. */
VdStore *vd_test_open_store      (const char    *path);
gboolean vd_test_store_is_sqlite (void);
/* On PostgreSQL, skips the test with @reason and returns TRUE. */
gboolean vd_test_skip_unless_sqlite (const char *reason);
/* TRUE on SQLite; on PostgreSQL registers @path as a test that skips with
 * @reason ("SQLite only: ..."), and returns FALSE. */
gboolean vd_test_sqlite_only     (const char    *path,
                                  const char    *reason);
const char *vd_test_store_location (const char  *path);
char    *vd_test_store_sql       (const char    *path,
                                  const char    *sql);
char    *vd_test_write_file      (const char    *dir,
                                  const char    *name,
                                  const char    *contents);
void     vd_test_import_text     (VdStore        *store,
                                  const char     *dir,
                                  const char     *name,
                                  const char     *text,
                                  VdPolicy       *policy,
                                  VdImportResult *result);

/* For an async call: vd_test_got_result as its callback, with a
 * GAsyncResult * (NULL at first) as user data that vd_test_has_result
 * watches through vd_test_iterate_until. */
void     vd_test_got_result      (GObject       *source,
                                  GAsyncResult  *result,
                                  gpointer       user_data);
gboolean vd_test_has_result      (gpointer       user_data);

/* @depth copies of @open, @inner, then @depth copies of @close: JSON
 * nested as deep as a hostile input nests it. */
char    *vd_test_nested_json     (guint          depth,
                                  const char    *open,
                                  const char    *inner,
                                  const char    *close);
/* Whether the bytes of @needle stand in any regular file of @dir (the
 * database and its journal hold NUL bytes: no string search). */
gboolean vd_test_dir_contains    (const char    *dir,
                                  const char    *needle);
/* Copies the bundled sample's attachments/ folder from @samples into @dir,
 * so that a copy of review-queue.jsonl written to @dir finds its files. */
void     vd_test_copy_sample_attachments (const char *samples,
                                          const char *dir);

/* What a run of verdict-cli printed, and how it exited. */
typedef struct
{
  int   status;
  char *out;
  char *err;
} VdTestRun;

void     vd_test_run_clear       (VdTestRun     *run);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (VdTestRun, vd_test_run_clear)

GSubprocess *vd_test_spawn_cli   (const char         *db,
                                  const char         *cwd,
                                  const char * const *env,
                                  GSubprocessFlags    flags,
                                  const char * const *args);
void     vd_test_run_cli_full    (VdTestRun          *run,
                                  const char         *db,
                                  const char         *cwd,
                                  const char * const *env,
                                  ...) G_GNUC_NULL_TERMINATED;

/* Runs verdict-cli (--db @db first when it is not NULL) with the
 * arguments that follow, NULL-terminated. */
#define vd_test_run_cli(run, db, ...) vd_test_run_cli_full (run, db, NULL, NULL, __VA_ARGS__)

G_END_DECLS
