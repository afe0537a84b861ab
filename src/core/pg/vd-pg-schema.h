/* vd-pg-schema.h
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
#include <libpq-fe.h>

G_BEGIN_DECLS

/* The schema version this Verdict writes (meta key schema_version). */
#define VD_PG_SCHEMA_VERSION 1

/* The resources applied by vd_pg_schema_init(), in this order, under
 * VD_PG_SCHEMA_RESOURCE_PATH. A file missing from the resource is skipped. */
#define VD_PG_SCHEMA_RESOURCE_PATH "/io/github/verdict/Verdict/pg/schema/"

gboolean vd_pg_schema_init        (PGconn   *conn,
                                   GError  **error);
gboolean vd_pg_schema_migrate     (PGconn   *conn,
                                   GError  **error);
gboolean vd_pg_schema_get_version (PGconn   *conn,
                                   int      *version,
                                   GError  **error);
const char * const *vd_pg_schema_get_files (void);
void     vd_pg_schema_ensure_resource (void);

G_END_DECLS
