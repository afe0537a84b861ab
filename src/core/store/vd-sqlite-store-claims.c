/* vd-sqlite-store-claims.c
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

#define G_LOG_DOMAIN "vd-sqlite-store"

#include "config.h"

#include <string.h>

#include "vd-sqlite-store-private.h"

/* Claims with leases. A claim is a row of `claims` per item; an expired
 * one counts as no claim and is overwritten by the next claim. Claims are
 * working state, not decisions: they are not audited. Time is the wall
 * clock of the process, like every stamp the store writes. */

#define UNDECIDED "status IN ('pending', 'in_review', 'escalated')"

static const char *
or_empty (const char *text)
{
  return text != NULL ? text : "";
}

static void
set_claimed_error (VdClaim  *holder,
                   GError  **error)
{
  g_autofree char *until = vd_claim_format_expiry (holder);

  g_set_error (error, VD_STORE_ERROR, VD_STORE_ERROR_CLAIMED,
               "%s is reviewing %s/%s until %s",
               holder->reviewer_id, holder->queue, holder->task_id, until);
}

/* Reads the claim on @item_id into @claim (reviewer, times); returns FALSE
 * on a database error, with @found telling whether a row exists. */
static gboolean
read_claim_locked (VdSqliteStore  *self,
                   gint64          item_id,
                   VdClaim        *claim,
                   gboolean       *found,
                   GError        **error)
{
  g_autoptr(VdSqliteCursor) stmt = NULL;
  int rc;

  stmt = _vd_sqlite_store_prepare (self,
                                   "SELECT reviewer_id, claimed_at, expires_at FROM claims "
                                   "WHERE item_id = ?1",
                                   error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, item_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      *found = FALSE;
      return TRUE;
    }
  if (rc != SQLITE_ROW)
    {
      _vd_sqlite_store_set_error (self, error, "Could not read a claim");
      return FALSE;
    }

  *found = TRUE;
  claim->item_id = item_id;
  g_free (claim->reviewer_id);
  claim->reviewer_id = g_strdup (_vd_sqlite_column_text (stmt, 0));
  claim->claimed_at = sqlite3_column_int64 (stmt, 1);
  claim->expires_at = sqlite3_column_int64 (stmt, 2);
  return TRUE;
}

static gboolean
delete_claim_locked (VdSqliteStore  *self,
                     gint64          item_id,
                     const char     *reviewer_id,
                     GError        **error)
{
  g_autoptr(VdSqliteCursor) stmt = NULL;

  stmt = _vd_sqlite_store_prepare (self,
                                   "DELETE FROM claims WHERE item_id = ?1 "
                                   "AND (?2 IS NULL OR reviewer_id = ?2)",
                                   error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, item_id);
  _vd_sqlite_bind_text_or_null (stmt, 2, reviewer_id);
  return _vd_sqlite_store_step_done (self, stmt, error);
}

static gboolean
claim_locked (VdSqliteStore  *self,
              gint64          item_id,
              const char     *reviewer_id,
              guint           lease_seconds,
              VdClaim        *claim,
              GError        **error)
{
  g_autoptr(VdSqliteCursor) item = NULL;
  g_autoptr(VdSqliteCursor) upsert = NULL;
  gint64 now = g_get_real_time ();
  gboolean found = FALSE;
  int rc;

  item = _vd_sqlite_store_prepare (self,
                                   "SELECT queue, task_id, " UNDECIDED ", status "
                                   "FROM items WHERE id = ?1",
                                   error);
  if (item == NULL)
    return FALSE;

  sqlite3_bind_int64 (item, 1, item_id);
  rc = sqlite3_step (item);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, VD_STORE_ERROR, VD_STORE_ERROR_NOT_FOUND,
                   "No item with row id %" G_GINT64_FORMAT " (database %s)", item_id, self->path);
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    {
      _vd_sqlite_store_set_error (self, error, "Could not read the item to claim");
      return FALSE;
    }

  claim->queue = g_strdup (_vd_sqlite_column_text (item, 0));
  claim->task_id = g_strdup (_vd_sqlite_column_text (item, 1));
  if (!sqlite3_column_int (item, 2))
    {
      g_set_error (error, VD_STORE_ERROR, VD_STORE_ERROR_ALREADY_DECIDED,
                   "Item %s in queue %s is already %s: only undecided items can be claimed",
                   claim->task_id, claim->queue, _vd_sqlite_column_text (item, 3));
      return FALSE;
    }

  if (!read_claim_locked (self, item_id, claim, &found, error))
    return FALSE;

  if (found && g_strcmp0 (claim->reviewer_id, reviewer_id) != 0 && claim->expires_at > now)
    {
      set_claimed_error (claim, error);
      return FALSE;
    }

  upsert = _vd_sqlite_store_prepare (self,
                                     "INSERT INTO claims (item_id, reviewer_id, claimed_at, "
                                     "expires_at) VALUES (?1, ?2, ?3, ?4) "
                                     "ON CONFLICT (item_id) DO UPDATE SET "
                                     "reviewer_id = excluded.reviewer_id, "
                                     "claimed_at = excluded.claimed_at, "
                                     "expires_at = excluded.expires_at",
                                     error);
  if (upsert == NULL)
    return FALSE;

  claim->item_id = item_id;
  g_free (claim->reviewer_id);
  claim->reviewer_id = g_strdup (reviewer_id);
  claim->claimed_at = now;
  claim->expires_at = now + (gint64) lease_seconds * G_USEC_PER_SEC;

  sqlite3_bind_int64 (upsert, 1, item_id);
  _vd_sqlite_bind_text (upsert, 2, reviewer_id);
  sqlite3_bind_int64 (upsert, 3, claim->claimed_at);
  sqlite3_bind_int64 (upsert, 4, claim->expires_at);
  return _vd_sqlite_store_step_done (self, upsert, error);
}

static void
take_claim (VdClaim *to,
            VdClaim *from)
{
  *to = *from;
  memset (from, 0, sizeof *from);
}

static gboolean
claim_item (VdStore     *store,
            gint64       item_id,
            const char  *reviewer_id,
            guint        lease_seconds,
            VdClaim     *claim,
            GError     **error)
{
  VdSqliteStore *self = VD_SQLITE_STORE (store);
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_auto(VdClaim) result = { 0, };

  /* A write transaction from the start: two reviewers claiming at once
   * are serialized by SQLite's write lock, and the second sees the first. */
  if (!_vd_sqlite_store_begin (self, error))
    return FALSE;

  if (!claim_locked (self, item_id, reviewer_id, lease_seconds, &result, error))
    {
      _vd_sqlite_store_rollback (self);
      /* Tell the caller whose claim stands in the way. */
      if (claim != NULL && result.reviewer_id != NULL &&
          g_strcmp0 (result.reviewer_id, reviewer_id) != 0)
        take_claim (claim, &result);
      return FALSE;
    }

  if (!_vd_sqlite_store_commit (self, error))
    return FALSE;

  if (claim != NULL)
    take_claim (claim, &result);

  return TRUE;
}

static gboolean
release_claim (VdStore     *store,
               gint64       item_id,
               const char  *reviewer_id,
               GError     **error)
{
  VdSqliteStore *self = VD_SQLITE_STORE (store);
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  if (!_vd_sqlite_store_begin (self, error))
    return FALSE;

  if (!delete_claim_locked (self, item_id, reviewer_id, error))
    {
      _vd_sqlite_store_rollback (self);
      return FALSE;
    }

  return _vd_sqlite_store_commit (self, error);
}

static GPtrArray *
list_claims (VdStore     *store,
             const char  *queue,
             GError     **error)
{
  VdSqliteStore *self = VD_SQLITE_STORE (store);
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_autoptr(VdSqliteCursor) stmt = NULL;
  g_autoptr(GPtrArray) claims = g_ptr_array_new_with_free_func ((GDestroyNotify)vd_claim_free);
  int rc;

  stmt = _vd_sqlite_store_prepare (self,
                                   "SELECT c.item_id, i.queue, i.task_id, c.reviewer_id, "
                                   "c.claimed_at, c.expires_at "
                                   "FROM claims c JOIN items i ON i.id = c.item_id "
                                   "WHERE c.expires_at > ?1 AND (?2 IS NULL OR i.queue = ?2) "
                                   "AND i." UNDECIDED " ORDER BY c.item_id",
                                   error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, g_get_real_time ());
  _vd_sqlite_bind_text_or_null (stmt, 2, queue);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      VdClaim *claim = g_new0 (VdClaim, 1);

      claim->item_id = sqlite3_column_int64 (stmt, 0);
      claim->queue = g_strdup (_vd_sqlite_column_text (stmt, 1));
      claim->task_id = g_strdup (_vd_sqlite_column_text (stmt, 2));
      claim->reviewer_id = g_strdup (_vd_sqlite_column_text (stmt, 3));
      claim->claimed_at = sqlite3_column_int64 (stmt, 4);
      claim->expires_at = sqlite3_column_int64 (stmt, 5);
      g_ptr_array_add (claims, claim);
    }

  if (rc != SQLITE_DONE)
    {
      _vd_sqlite_store_set_error (self, error, "Could not list the claims");
      return NULL;
    }

  return g_steal_pointer (&claims);
}

gboolean
_vd_sqlite_store_settle_claim_locked (VdSqliteStore  *self,
                                      VdItem         *item,
                                      const char     *reviewer_id,
                                      GError        **error)
{
  g_auto(VdClaim) claim = { 0, };
  gboolean found = FALSE;

  g_assert (self->in_transaction);

  if (!read_claim_locked (self, vd_item_get_id (item), &claim, &found, error))
    return FALSE;

  if (found && g_strcmp0 (claim.reviewer_id, or_empty (reviewer_id)) != 0 &&
      claim.expires_at > g_get_real_time ())
    {
      claim.queue = g_strdup (vd_item_get_queue (item));
      claim.task_id = g_strdup (vd_item_get_task_id (item));
      set_claimed_error (&claim, error);
      return FALSE;
    }

  return !found || delete_claim_locked (self, vd_item_get_id (item), NULL, error);
}

void
_vd_sqlite_store_claims_iface_init (VdStoreInterface *iface)
{
  iface->claim_item = claim_item;
  iface->release_claim = release_claim;
  iface->list_claims = list_claims;
}
