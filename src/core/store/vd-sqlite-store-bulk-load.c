/* vd-sqlite-store-bulk-load.c
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

/* A bulk load into an empty items table defers the table's secondary
 * indexes: SQLite builds an index from sorted keys several times faster
 * than it keeps one up to date row by row (on a million items, the
 * difference is most of the import). The indexes are dropped inside the
 * import's write transaction and created again from their own stored
 * definitions before it commits, so a failed import rolls back both and
 * readers (WAL snapshots) never see the table without them. The UNIQUE
 * (queue, task_id) index, which the import itself reads, stays. */

#include "config.h"

#include "vd-sqlite-store-private.h"

/**
 * _vd_sqlite_store_defer_item_indexes:
 * @self: a store inside a write transaction
 * @deferred: (out) (transfer full): the CREATE INDEX statements of the
 *   indexes dropped, or %NULL when the items table was not empty
 * @error: return location for a #GError
 *
 * Returns: %TRUE unless SQLite failed
 */
gboolean
_vd_sqlite_store_defer_item_indexes (VdSqliteStore  *self,
                                     GPtrArray     **deferred,
                                     GError        **error)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) definitions = g_ptr_array_new_with_free_func (g_free);

  g_return_val_if_fail (self->in_transaction, FALSE);

  *deferred = NULL;

  {
    g_autoptr(VdSqliteCursor) stmt =
      _vd_sqlite_store_prepare (self, "SELECT EXISTS (SELECT 1 FROM items)", error);

    if (stmt == NULL)
      return FALSE;
    if (sqlite3_step (stmt) != SQLITE_ROW)
      {
        _vd_sqlite_store_set_error (self, error, "Could not count the items");
        return FALSE;
      }
    if (sqlite3_column_int (stmt, 0) != 0)
      return TRUE;
  }

  {
    /* Indexes SQLite made for a constraint have no sql and stay. */
    g_autoptr(VdSqliteCursor) stmt =
      _vd_sqlite_store_prepare (self,
                                "SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                                "AND tbl_name = 'items' AND sql IS NOT NULL ORDER BY name",
                                error);
    int rc;

    if (stmt == NULL)
      return FALSE;
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      {
        g_ptr_array_add (names, g_strdup (_vd_sqlite_column_text (stmt, 0)));
        g_ptr_array_add (definitions, g_strdup (_vd_sqlite_column_text (stmt, 1)));
      }
    if (rc != SQLITE_DONE)
      {
        _vd_sqlite_store_set_error (self, error, "Could not read the items' indexes");
        return FALSE;
      }
  }

  for (guint i = 0; i < names->len; i++)
    {
      char *sql = sqlite3_mprintf ("DROP INDEX \"%w\"", (const char *) names->pdata[i]);
      gboolean ok = _vd_sqlite_store_exec (self, sql, error);

      sqlite3_free (sql);
      if (!ok)
        return FALSE;
    }

  *deferred = g_steal_pointer (&definitions);

  return TRUE;
}

/**
 * _vd_sqlite_store_restore_item_indexes:
 * @self: a store inside the write transaction that deferred the indexes
 * @deferred: (nullable): what _vd_sqlite_store_defer_item_indexes() returned
 * @error: return location for a #GError
 *
 * Creates the deferred indexes again, over every row now in the table.
 *
 * Returns: %TRUE unless SQLite failed
 */
gboolean
_vd_sqlite_store_restore_item_indexes (VdSqliteStore  *self,
                                       GPtrArray      *deferred,
                                       GError        **error)
{
  g_return_val_if_fail (self->in_transaction, FALSE);

  for (guint i = 0; deferred != NULL && i < deferred->len; i++)
    {
      if (!_vd_sqlite_store_exec (self, deferred->pdata[i], error))
        return FALSE;
    }

  return TRUE;
}
