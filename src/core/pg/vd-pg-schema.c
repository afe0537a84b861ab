/* vd-pg-schema.c
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

#define G_LOG_DOMAIN "vd-pg-schema"

#include "config.h"

#include <stdlib.h>
#include <gio/gio.h>

#include "vd-pg-resources.h"
#include "vd-pg-schema.h"
#include "vd-store.h"

/* The schema's files, applied in this order: the tables first, then the
 * roles, grants and policies written on their names. */
static const char * const schema_files[] = {
  "tables.sql",
  "security.sql",
  NULL
};

/**
 * vd_pg_schema_ensure_resource:
 *
 * Registers the resource holding the schema's SQL (once).
 */
void
vd_pg_schema_ensure_resource (void)
{
  static gsize registered = 0;

  if (g_once_init_enter (&registered))
    {
      vd_pg_register_resource ();
      g_once_init_leave (&registered, 1);
    }
}

const char * const *
vd_pg_schema_get_files (void)
{
  return schema_files;
}

static gboolean
exec_simple (PGconn      *conn,
             const char  *sql,
             const char  *what,
             GError     **error)
{
  PGresult *result = PQexec (conn, sql);
  ExecStatusType status = PQresultStatus (result);
  gboolean ok = status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;

  if (!ok)
    {
      const char *text = PQresultErrorMessage (result);
      g_autofree char *message = NULL;

      if (text == NULL || *text == '\0')
        text = PQerrorMessage (conn);
      message = g_strchomp (g_strdup (text));
      g_set_error (error, VD_STORE_ERROR,
                   PQstatus (conn) == CONNECTION_OK ? VD_STORE_ERROR_FAILED
                                                    : VD_STORE_ERROR_CONNECTION,
                   "%s: %s", what, message);
    }
  PQclear (result);
  return ok;
}

static GBytes *
lookup_file (const char *name)
{
  g_autofree char *path = g_strconcat (VD_PG_SCHEMA_RESOURCE_PATH, name, NULL);

  return g_resources_lookup_data (path, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
}

static gboolean
apply_files (PGconn  *conn,
             GError **error)
{
  for (guint i = 0; schema_files[i] != NULL; i++)
    {
      g_autoptr(GBytes) bytes = lookup_file (schema_files[i]);
      g_autofree char *sql = NULL;
      g_autofree char *what = NULL;
      gsize size;
      const char *data;

      if (bytes == NULL)
        continue;
      data = g_bytes_get_data (bytes, &size);
      sql = g_strndup (data, size);
      what = g_strdup_printf ("Could not apply the schema file %s", schema_files[i]);
      if (!exec_simple (conn, sql, what, error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
set_version (PGconn  *conn,
             int      version,
             GError **error)
{
  g_autofree char *text = g_strdup_printf ("%d", version);
  const char *values[] = { text };
  PGresult *result;
  gboolean ok;

  result = PQexecParams (conn,
                         "INSERT INTO meta (key, value) VALUES ('schema_version', $1) "
                         "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                         1, NULL, values, NULL, NULL, 0);
  ok = PQresultStatus (result) == PGRES_COMMAND_OK;
  if (!ok)
    g_set_error (error, VD_STORE_ERROR, VD_STORE_ERROR_FAILED,
                 "Could not record the schema version: %s", PQresultErrorMessage (result));
  PQclear (result);
  return ok;
}

/* Runs @body between BEGIN and COMMIT; a failed COMMIT is a failure. */
static gboolean
in_transaction (PGconn    *conn,
                gboolean (*body) (PGconn *, GError **),
                GError   **error)
{
  if (!exec_simple (conn, "BEGIN", "Could not begin a transaction", error))
    return FALSE;
  if (!body (conn, error))
    {
      PQclear (PQexec (conn, "ROLLBACK"));
      return FALSE;
    }
  return exec_simple (conn, "COMMIT", "Could not commit the schema", error);
}

static gboolean
init_body (PGconn  *conn,
           GError **error)
{
  return apply_files (conn, error) && set_version (conn, VD_PG_SCHEMA_VERSION, error);
}

/**
 * vd_pg_schema_init:
 * @conn: a connection to an empty database, as a role that may create
 *   tables (and roles, for security.sql)
 *
 * Creates the schema: every file of vd_pg_schema_get_files() in the
 * resource, then meta schema_version, in one transaction.
 */
gboolean
vd_pg_schema_init (PGconn  *conn,
                   GError **error)
{
  g_return_val_if_fail (conn != NULL, FALSE);

  vd_pg_schema_ensure_resource ();
  return in_transaction (conn, init_body, error);
}

/**
 * vd_pg_schema_get_version:
 * @version: (out): the database's schema version, 0 when it has none
 *
 * Reads meta schema_version.
 */
gboolean
vd_pg_schema_get_version (PGconn  *conn,
                          int     *version,
                          GError **error)
{
  PGresult *result;
  gboolean ok;

  g_return_val_if_fail (conn != NULL, FALSE);
  g_return_val_if_fail (version != NULL, FALSE);

  *version = 0;
  /* meta is named only once it exists: a query naming a missing table
   * fails however it is written. */
  result = PQexec (conn, "SELECT to_regclass ('meta') IS NOT NULL");
  ok = PQresultStatus (result) == PGRES_TUPLES_OK && PQntuples (result) == 1;
  if (ok && g_str_equal (PQgetvalue (result, 0, 0), "t"))
    {
      PQclear (result);
      result = PQexec (conn, "SELECT value FROM meta WHERE key = 'schema_version'");
      ok = PQresultStatus (result) == PGRES_TUPLES_OK;
      if (ok && PQntuples (result) == 1)
        *version = atoi (PQgetvalue (result, 0, 0));
    }
  if (!ok)
    g_set_error (error, VD_STORE_ERROR,
                 PQstatus (conn) == CONNECTION_OK ? VD_STORE_ERROR_FAILED
                                                  : VD_STORE_ERROR_CONNECTION,
                 "Could not read the schema version: %s", PQerrorMessage (conn));
  PQclear (result);
  return ok;
}

/* Migration steps: migrations[N - 1] takes the schema from version N to
 * N + 1. Append a step for every change; never edit an old one. */
static const char * const migrations[] = {
  NULL
};

/**
 * vd_pg_schema_migrate:
 *
 * Brings the database to VD_PG_SCHEMA_VERSION: creates the schema in a
 * database that has none, applies the missing steps in one transaction,
 * and refuses a database written by a newer Verdict.
 */
gboolean
vd_pg_schema_migrate (PGconn  *conn,
                      GError **error)
{
  int version;

  g_return_val_if_fail (conn != NULL, FALSE);

  if (!vd_pg_schema_get_version (conn, &version, error))
    return FALSE;
  if (version == 0)
    return vd_pg_schema_init (conn, error);
  if (version > VD_PG_SCHEMA_VERSION)
    {
      g_set_error (error, VD_STORE_ERROR, VD_STORE_ERROR_VERSION,
                   "The database has schema version %d, newer than this Verdict's (%d)",
                   version, VD_PG_SCHEMA_VERSION);
      return FALSE;
    }
  if (version == VD_PG_SCHEMA_VERSION)
    return TRUE;

  if (!exec_simple (conn, "BEGIN", "Could not begin a transaction", error))
    return FALSE;
  for (int v = version; v < VD_PG_SCHEMA_VERSION; v++)
    {
      g_autofree char *what = g_strdup_printf ("Could not migrate the schema from version %d", v);

      if (migrations[v - 1] != NULL && !exec_simple (conn, migrations[v - 1], what, error))
        {
          PQclear (PQexec (conn, "ROLLBACK"));
          return FALSE;
        }
    }
  if (!set_version (conn, VD_PG_SCHEMA_VERSION, error))
    {
      PQclear (PQexec (conn, "ROLLBACK"));
      return FALSE;
    }
  return exec_simple (conn, "COMMIT", "Could not commit the migration", error);
}
