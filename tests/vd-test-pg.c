/* vd-test-pg.c: a throwaway PostgreSQL database for a test
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
#include "vd-test-pg.h"

static void
append_quoted (GString    *out,
               const char *value)
{
  g_string_append_c (out, '\'');
  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '\'' || *p == '\\')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '\'');
}

char *
vd_test_pg_conninfo_with_db (const char *conninfo,
                             const char *dbname)
{
  g_autoptr(GString) out = g_string_new (NULL);
  char *message = NULL;
  PQconninfoOption *options = PQconninfoParse (conninfo, &message);

  if (options == NULL)
    g_error ("VERDICT_TEST_PG: %s", message != NULL ? message : "out of memory");

  for (PQconninfoOption *o = options; o->keyword != NULL; o++)
    {
      const char *value = o->val;

      if (g_str_equal (o->keyword, "dbname"))
        value = dbname;
      if (value == NULL)
        continue;
      if (out->len > 0)
        g_string_append_c (out, ' ');
      g_string_append_printf (out, "%s=", o->keyword);
      append_quoted (out, value);
    }
  PQconninfoFree (options);

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static PGconn *
connect_or_fail (const char *conninfo)
{
  PGconn *conn = PQconnectdb (conninfo);

  if (PQstatus (conn) != CONNECTION_OK)
    g_error ("Could not connect to %s: %s", conninfo, PQerrorMessage (conn));
  return conn;
}

static void
exec_or_fail (PGconn     *conn,
              const char *sql)
{
  PGresult *result = PQexec (conn, sql);

  if (PQresultStatus (result) != PGRES_COMMAND_OK && PQresultStatus (result) != PGRES_TUPLES_OK)
    g_error ("%s: %s", sql, PQresultErrorMessage (result));
  PQclear (result);
}

char *
vd_test_pg_query (const char *conninfo,
                  const char *sql)
{
  PGconn *conn = connect_or_fail (conninfo);
  PGresult *result = PQexec (conn, sql);
  char *value = NULL;

  if (PQresultStatus (result) != PGRES_COMMAND_OK && PQresultStatus (result) != PGRES_TUPLES_OK)
    g_error ("%s: %s", sql, PQresultErrorMessage (result));
  if (PQntuples (result) > 0 && PQnfields (result) > 0 && !PQgetisnull (result, 0, 0))
    value = g_strdup (PQgetvalue (result, 0, 0));
  PQclear (result);
  PQfinish (conn);
  return value;
}

VdTestPg *
vd_test_pg_set_up (gboolean with_schema)
{
  const char *admin = g_getenv ("VERDICT_TEST_PG");
  VdTestPg *pg;
  PGconn *conn;
  g_autofree char *create = NULL;

  if (admin == NULL || *admin == '\0')
    {
      g_test_skip ("VERDICT_TEST_PG is not set: no PostgreSQL cluster to test against");
      return NULL;
    }

  pg = g_new0 (VdTestPg, 1);
  pg->admin_conninfo = g_strdup (admin);
  pg->dbname = g_strdup_printf ("verdict_test_%08x%08x", g_random_int (), g_random_int ());
  pg->conninfo = vd_test_pg_conninfo_with_db (admin, pg->dbname);

  conn = connect_or_fail (admin);
  create = g_strdup_printf ("CREATE DATABASE %s", pg->dbname);
  exec_or_fail (conn, create);
  PQfinish (conn);

  if (with_schema)
    {
      g_autoptr(GError) error = NULL;

      conn = connect_or_fail (pg->conninfo);
      if (!vd_pg_schema_init (conn, &error))
        g_error ("%s", error->message);
      PQfinish (conn);
    }

  return pg;
}

void
vd_test_pg_tear_down (VdTestPg *pg)
{
  PGconn *conn;
  g_autofree char *drop = NULL;

  if (pg == NULL)
    return;

  conn = connect_or_fail (pg->admin_conninfo);
  drop = g_strdup_printf ("DROP DATABASE IF EXISTS %s WITH (FORCE)", pg->dbname);
  exec_or_fail (conn, drop);
  PQfinish (conn);

  g_free (pg->admin_conninfo);
  g_free (pg->dbname);
  g_free (pg->conninfo);
  g_free (pg);
}
