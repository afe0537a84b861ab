/* vd-test-pg.h: a throwaway PostgreSQL database for a test
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

/* A database with a random name on the cluster named by the environment
 * variable VERDICT_TEST_PG (a libpq connection string to a superuser
 * connection), with the schema applied. */
typedef struct
{
  char *admin_conninfo;   /* VERDICT_TEST_PG */
  char *dbname;
  char *conninfo;         /* admin_conninfo with dbname = the new database */
} VdTestPg;

/* Returns NULL and skips the test (g_test_skip) when VERDICT_TEST_PG is
 * not set. @with_schema: whether to apply the schema. */
VdTestPg *vd_test_pg_set_up           (gboolean     with_schema);
/* Drops the database (WITH (FORCE)) and frees @pg; NULL is fine. */
void      vd_test_pg_tear_down        (VdTestPg    *pg);
/* @conninfo with its dbname replaced by @dbname. */
char     *vd_test_pg_conninfo_with_db (const char  *conninfo,
                                       const char  *dbname);
/* Runs @sql on @conninfo and returns the first value of its first row
 * (NULL when there is none); fails the test on an error. */
char     *vd_test_pg_query            (const char  *conninfo,
                                       const char  *sql);

G_END_DECLS
