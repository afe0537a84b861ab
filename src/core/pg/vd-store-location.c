/* vd-store-location.c: opening the store a location names
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

#define G_LOG_DOMAIN "vd-store-location"

#include "config.h"

#include <libpq-fe.h>
#include <string.h>

#include "vd-pg-store.h"
#include "vd-sqlite-store.h"
#include "vd-store-location.h"

/**
 * vd_store_location_is_postgresql:
 * @location: a --db / VERDICT_DB value
 *
 * Whether @location names a PostgreSQL database: a postgresql:// or
 * postgres:// URI, or a libpq key=value string: one that starts with
 * one of libpq's keywords and an equals sign (host=, dbname=, user=, ...).
 * Anything else is the path of a SQLite file.
 */
gboolean
vd_store_location_is_postgresql (const char *location)
{
  PQconninfoOption *options;
  const char *equals;
  gboolean keyword = FALSE;

  g_return_val_if_fail (location != NULL, FALSE);

  if (g_str_has_prefix (location, "postgresql://") ||
      g_str_has_prefix (location, "postgres://"))
    return TRUE;

  equals = strchr (location, '=');
  if (equals == NULL || equals == location)
    return FALSE;

  options = PQconndefaults ();
  for (PQconninfoOption *o = options; o != NULL && o->keyword != NULL && !keyword; o++)
    keyword = strlen (o->keyword) == (gsize) (equals - location) &&
              strncmp (o->keyword, location, equals - location) == 0;
  PQconninfoFree (options);

  return keyword;
}

/**
 * vd_store_open_location:
 * @location: a PostgreSQL connection string (see
 *   vd_store_location_is_postgresql()) or a SQLite file's path
 *
 * Returns: (transfer full): the store, a #VdPgStore or a #VdSqliteStore
 */
VdStore *
vd_store_open_location (const char  *location,
                        GError     **error)
{
  g_return_val_if_fail (location != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (vd_store_location_is_postgresql (location))
    return VD_STORE (vd_pg_store_new (location, error));

  return VD_STORE (vd_sqlite_store_new (location, error));
}
