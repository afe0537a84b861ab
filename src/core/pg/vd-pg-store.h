/* vd-pg-store.h
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

#include "vd-store.h"

G_BEGIN_DECLS

#define VD_TYPE_PG_STORE (vd_pg_store_get_type ())

G_DECLARE_FINAL_TYPE (VdPgStore, vd_pg_store, VD, PG_STORE, GObject)

/*
 * A store on a PostgreSQL server (libpq). One connection guarded by a
 * mutex: every method runs synchronously on the calling thread (the
 * _async wrappers of VdStore run them in worker threads). The reviewer id
 * of the connection is its session_user: a decision by anyone else is
 * refused. A lost connection fails the call in flight with
 * VD_STORE_ERROR_CONNECTION; the next call reconnects.
 *
 * The database must hold the schema (vd_pg_schema_init(), `verdict-cli
 * team init`). The installation key that signs automatic events lives in
 * $XDG_DATA_HOME/verdict/installation-keys/, one per server and database,
 * and its public key is registered in the table installation_keys.
 */
VdPgStore  *vd_pg_store_new                  (const char  *conninfo,
                                              GError     **error);
VdPgStore  *vd_pg_store_new_full             (const char  *conninfo,
                                              const char  *password,
                                              GError     **error);
const char *vd_pg_store_get_conninfo         (VdPgStore   *self);
const char *vd_pg_store_get_session_user     (VdPgStore   *self);
gboolean    vd_pg_store_claim_next           (VdPgStore   *self,
                                              const char  *queue,
                                              const char  *reviewer_id,
                                              guint        lease_seconds,
                                              VdItem     **item,
                                              GError     **error);
gboolean    vd_pg_store_allow_any_reviewer   (VdPgStore   *self,
                                              GError     **error);

G_END_DECLS
