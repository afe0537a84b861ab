/* vd-sqlite-store.h
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

#define VD_TYPE_SQLITE_STORE (vd_sqlite_store_get_type ())

G_DECLARE_FINAL_TYPE (VdSqliteStore, vd_sqlite_store, VD, SQLITE_STORE, GObject)

/* The schema version this build writes (PRAGMA user_version). */
#define VD_SQLITE_STORE_SCHEMA_VERSION 12

VdSqliteStore *vd_sqlite_store_new          (const char           *path,
                                             GError              **error);
void           vd_sqlite_store_new_async    (const char           *path,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
VdSqliteStore *vd_sqlite_store_new_finish   (GAsyncResult         *result,
                                             GError              **error);
const char    *vd_sqlite_store_get_path     (VdSqliteStore        *self);

char          *vd_sqlite_store_default_path (void);

G_END_DECLS
