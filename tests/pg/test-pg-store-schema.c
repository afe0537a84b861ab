/* test-pg-store-schema.c: the PostgreSQL schema (src/core/pg/schema/)
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

#include <libpq-fe.h>

#include "vd-pg-schema.h"
#include "vd-store.h"
#include "vd-test-pg.h"

#define GENESIS "0000000000000000000000000000000000000000000000000000000000000000"

static PGconn *
connect_to (VdTestPg *pg)
{
  PGconn *conn = PQconnectdb (pg->conninfo);

  g_assert_cmpint (PQstatus (conn), ==, CONNECTION_OK);
  return conn;
}

static char *
exec_error (PGconn     *conn,
            const char *sql)
{
  PGresult *result = PQexec (conn, sql);
  char *state = NULL;

  if (PQresultStatus (result) == PGRES_FATAL_ERROR)
    state = g_strdup (PQresultErrorField (result, PG_DIAG_SQLSTATE));
  PQclear (result);
  return state;
}

/* An empty database gets the schema at version 1; migrating it again
 * changes nothing; a newer version is refused. */
static void
test_schema_version (void)
{
  VdTestPg *pg = vd_test_pg_set_up (FALSE);
  g_autoptr(GError) error = NULL;
  PGconn *conn;
  int version = -1;
  g_autofree char *head = NULL;

  if (pg == NULL)
    return;
  conn = connect_to (pg);

  g_assert_true (vd_pg_schema_get_version (conn, &version, &error));
  g_assert_no_error (error);
  g_assert_cmpint (version, ==, 0);

  g_assert_true (vd_pg_schema_migrate (conn, &error));
  g_assert_no_error (error);
  g_assert_true (vd_pg_schema_get_version (conn, &version, &error));
  g_assert_cmpint (version, ==, VD_PG_SCHEMA_VERSION);

  g_assert_true (vd_pg_schema_migrate (conn, &error));
  g_assert_no_error (error);

  head = vd_test_pg_query (pg->conninfo, "SELECT seq || ' ' || hash FROM audit_head");
  g_assert_cmpstr (head, ==, "0 " GENESIS);

  g_free (vd_test_pg_query (pg->conninfo,
                            "UPDATE meta SET value = '99' WHERE key = 'schema_version'"));
  g_assert_false (vd_pg_schema_migrate (conn, &error));
  g_assert_error (error, VD_STORE_ERROR, VD_STORE_ERROR_VERSION);

  PQfinish (conn);
  vd_test_pg_tear_down (pg);
}

/* Initialising twice fails as a whole and leaves the first schema. */
static void
test_schema_atomic (void)
{
  VdTestPg *pg = vd_test_pg_set_up (TRUE);
  g_autoptr(GError) error = NULL;
  PGconn *conn;
  int version = -1;

  if (pg == NULL)
    return;
  conn = connect_to (pg);

  g_assert_false (vd_pg_schema_init (conn, &error));
  g_assert_error (error, VD_STORE_ERROR, VD_STORE_ERROR_FAILED);
  g_clear_error (&error);
  g_assert_true (vd_pg_schema_get_version (conn, &version, &error));
  g_assert_cmpint (version, ==, VD_PG_SCHEMA_VERSION);

  PQfinish (conn);
  vd_test_pg_tear_down (pg);
}

/* The audit trigger: an event must follow the head, which it advances;
 * the trail is append-only; listeners hear the new seq. */
static void
test_audit_head (void)
{
  VdTestPg *pg = vd_test_pg_set_up (TRUE);
  PGconn *conn, *listener;
  g_autofree char *state = NULL;
  g_autofree char *head = NULL;
  PGnotify *notify;

  if (pg == NULL)
    return;
  conn = connect_to (pg);
  listener = connect_to (pg);
  PQclear (PQexec (listener, "LISTEN verdict_audit"));

  state = exec_error (conn, "INSERT INTO audit (seq, timestamp, actor, event, payload, prev_hash, hash) "
                            "VALUES (2, 't', 'postgres', 'e', '{}', '" GENESIS "', 'h1')");
  g_assert_cmpstr (state, ==, "40001");
  g_clear_pointer (&state, g_free);
  state = exec_error (conn, "INSERT INTO audit (seq, timestamp, actor, event, payload, prev_hash, hash) "
                            "VALUES (1, 't', 'postgres', 'e', '{}', 'wrong', 'h1')");
  g_assert_cmpstr (state, ==, "40001");
  g_clear_pointer (&state, g_free);

  state = exec_error (conn, "INSERT INTO audit (seq, timestamp, actor, event, payload, prev_hash, hash) "
                            "VALUES (1, 't', 'postgres', 'e', '{}', '" GENESIS "', 'h1')");
  g_assert_null (state);
  head = vd_test_pg_query (pg->conninfo, "SELECT seq || ' ' || hash FROM audit_head");
  g_assert_cmpstr (head, ==, "1 h1");

  state = exec_error (conn, "UPDATE audit SET actor = 'b'");
  g_assert_cmpstr (state, ==, "42501");
  g_clear_pointer (&state, g_free);
  state = exec_error (conn, "DELETE FROM audit");
  g_assert_cmpstr (state, ==, "42501");
  g_clear_pointer (&state, g_free);

  for (guint i = 0; i < 100; i++)
    {
      PQconsumeInput (listener);
      notify = PQnotifies (listener);
      if (notify != NULL)
        break;
      g_usleep (G_USEC_PER_SEC / 50);
    }
  g_assert_nonnull (notify);
  g_assert_cmpstr (notify->relname, ==, "verdict_audit");
  g_assert_cmpstr (notify->extra, ==, "1");
  PQfreemem (notify);

  PQfinish (listener);
  PQfinish (conn);
  vd_test_pg_tear_down (pg);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/pg-schema/version", test_schema_version);
  g_test_add_func ("/pg-schema/atomic", test_schema_atomic);
  g_test_add_func ("/pg-schema/audit-head", test_audit_head);

  return g_test_run ();
}
