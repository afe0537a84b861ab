/* vd-pg-store-claims.c: claims with leases in a VdPgStore
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

#define G_LOG_DOMAIN "vd-pg-store"

#include "config.h"

#include <string.h>

#include "vd-pg-store-private.h"

/*
 * Claims with leases, as the SQLite store has them (a row of `claims` per
 * item; an expired one counts as none and is taken over by the next
 * claim), with the database's clock. A claim locks the item's row with
 * SELECT ... FOR UPDATE SKIP LOCKED: a row that another session holds (a
 * claim or a decision in flight) is tried once more after a moment, then
 * reported as claimed. Claims are not audited, so their transactions do
 * not lock the audit head. The database refuses a decision under another
 * reviewer's claim and deletes the claim of a decided item itself
 * (security.sql, verdict_settle_claim).
 */

#define UNDECIDED "status IN ('pending', 'in_review', 'escalated')"

/* How long a locked item is waited for before it counts as claimed. */
#define LOCKED_RETRY_USEC (200 * G_TIME_SPAN_MILLISECOND)

static void
set_claimed_error (VdClaim  *holder,
                   GError  **error)
{
  g_autofree char *until = vd_claim_format_expiry (holder);

  g_set_error (error, VD_STORE_ERROR, VD_STORE_ERROR_CLAIMED,
               "%s is reviewing %s/%s until %s",
               holder->reviewer_id, holder->queue, holder->task_id, until);
}

/**
 * _vd_pg_store_set_claimed_error:
 * @result: a result that failed with SQLSTATE VD_PG_SQLSTATE_CLAIMED
 *
 * Reports the database's refusal of a decision under another reviewer's
 * claim as the SQLite store does: "bob is reviewing payments/t-7 until
 * 14:32", the time of day local to this process.
 */
void
_vd_pg_store_set_claimed_error (PGresult  *result,
                                GError   **error)
{
  const char *primary = PQresultErrorField (result, PG_DIAG_MESSAGE_PRIMARY);
  const char *detail = PQresultErrorField (result, PG_DIAG_MESSAGE_DETAIL);
  g_autofree char *message = g_strdup (primary != NULL ? primary : "");
  const char *text = message;
  const char *open = detail != NULL ? strrchr (detail, '(') : NULL;
  char *until;

  if (g_str_has_prefix (text, "verdict: "))
    text += strlen ("verdict: ");

  until = g_strrstr (message, " until ");
  if (until != NULL && open != NULL)
    {
      VdClaim holder = { 0, };
      g_autofree char *local = NULL;

      holder.expires_at = g_ascii_strtoll (open + 1, NULL, 10);
      local = vd_claim_format_expiry (&holder);
      *until = '\0';
      g_set_error (error, VD_STORE_ERROR, VD_STORE_ERROR_CLAIMED, "%s until %s", text, local);
      return;
    }

  g_set_error_literal (error, VD_STORE_ERROR, VD_STORE_ERROR_CLAIMED, text);
}

/* The identity rule of the database, said first by the store. */
static gboolean
check_reviewer (VdPgStore   *self,
                const char  *reviewer_id,
                GError     **error)
{
  if (_vd_pg_store_may_act_as (self, reviewer_id))
    return TRUE;

  g_set_error (error, VD_STORE_ERROR, VD_STORE_ERROR_PERMISSION,
               "%s may not claim items as %s: this connection is logged in to the database "
               "as %s", self->session_user, reviewer_id, self->session_user);
  return FALSE;
}

/* A transaction that does not lock the audit head: claims append no
 * events, and claiming reviewers need not wait for each other's decisions. */
static gboolean
begin_unaudited (VdPgStore  *self,
                 GError    **error)
{
  g_assert (!self->in_transaction);

  if (!_vd_pg_store_ensure_connected (self, error) ||
      !_vd_pg_store_exec_command (self, "BEGIN", NULL, error))
    return FALSE;
  self->in_transaction = TRUE;
  _vd_pg_store_note_backend_locked (self);
  return TRUE;
}

/* Reads the claim on @item_id into @claim (reviewer, times); FALSE on a
 * database error, with @found telling whether a row exists. */
static gboolean
read_claim_locked (VdPgStore  *self,
                   gint64      item_id,
                   VdClaim    *claim,
                   gboolean   *found,
                   GError    **error)
{
  g_autoptr(VdPgParams) params = _vd_pg_params_new ();
  g_autoptr(PGresult) result = NULL;

  _vd_pg_params_add_int (params, item_id);
  result = _vd_pg_store_exec (self,
                              "SELECT reviewer_id, claimed_at, expires_at FROM claims "
                              "WHERE item_id = $1",
                              params, error);
  if (result == NULL)
    return FALSE;

  *found = PQntuples (result) > 0;
  if (*found)
    {
      claim->item_id = item_id;
      g_free (claim->reviewer_id);
      claim->reviewer_id = g_strdup (_vd_pg_get_text (result, 0, 0));
      claim->claimed_at = _vd_pg_get_int (result, 0, 1);
      claim->expires_at = _vd_pg_get_int (result, 0, 2);
    }
  return TRUE;
}

/* Makes or renews @claim, or takes over an expired one; *@taken is FALSE
 * when another reviewer's unexpired claim stands (one committed since the
 * statement that chose the item read the claims). */
static gboolean
upsert_claim_locked (VdPgStore   *self,
                     VdClaim     *claim,
                     gboolean    *taken,
                     GError     **error)
{
  g_autoptr(VdPgParams) params = _vd_pg_params_new ();
  g_autoptr(PGresult) result = NULL;

  _vd_pg_params_add_int (params, claim->item_id);
  _vd_pg_params_add_text (params, claim->reviewer_id);
  _vd_pg_params_add_int (params, claim->claimed_at);
  _vd_pg_params_add_int (params, claim->expires_at);
  result = _vd_pg_store_exec (self,
                              "INSERT INTO claims (item_id, reviewer_id, claimed_at, "
                              "expires_at) VALUES ($1, $2, $3, $4) "
                              "ON CONFLICT (item_id) DO UPDATE SET "
                              "reviewer_id = excluded.reviewer_id, "
                              "claimed_at = excluded.claimed_at, "
                              "expires_at = excluded.expires_at "
                              "WHERE claims.reviewer_id = excluded.reviewer_id "
                              "OR claims.expires_at <= excluded.claimed_at",
                              params, error);
  if (result == NULL)
    return FALSE;

  *taken = g_strcmp0 (PQcmdTuples (result), "1") == 0;
  return TRUE;
}

/* Locks the item's row, skipping it when another session holds it: then
 * @result has no row. */
static PGresult *
lock_item_locked (VdPgStore  *self,
                  gint64      item_id,
                  GError    **error)
{
  g_autoptr(VdPgParams) params = _vd_pg_params_new ();

  _vd_pg_params_add_int (params, item_id);
  return _vd_pg_store_exec (self,
                            "SELECT queue, task_id, " UNDECIDED ", status, "
                            "verdict_now_usec () FROM items WHERE id = $1 "
                            "FOR UPDATE SKIP LOCKED",
                            params, error);
}

/* Says why the item's row stayed locked: whose claim it is, or that it
 * is being decided or claimed right now. */
static void
set_busy_error (VdPgStore  *self,
                gint64      item_id,
                VdClaim    *claim,
                GError    **error)
{
  g_autoptr(VdPgParams) params = _vd_pg_params_new ();
  g_autoptr(PGresult) item = NULL;
  gboolean found = FALSE;

  _vd_pg_params_add_int (params, item_id);
  item = _vd_pg_store_exec (self,
                            "SELECT queue, task_id, verdict_now_usec () FROM items "
                            "WHERE id = $1",
                            params, error);
  if (item == NULL)
    return;
  if (PQntuples (item) == 0)
    {
      g_set_error (error, VD_STORE_ERROR, VD_STORE_ERROR_NOT_FOUND,
                   "No item with row id %" G_GINT64_FORMAT " (database %s)", item_id,
                   PQdb (self->conn));
      return;
    }

  claim->queue = g_strdup (_vd_pg_get_text (item, 0, 0));
  claim->task_id = g_strdup (_vd_pg_get_text (item, 0, 1));
  if (!read_claim_locked (self, item_id, claim, &found, error))
    return;

  if (found && claim->expires_at > _vd_pg_get_int (item, 0, 2))
    set_claimed_error (claim, error);
  else
    g_set_error (error, VD_STORE_ERROR, VD_STORE_ERROR_CLAIMED,
                 "Another reviewer is deciding or claiming %s/%s right now: try again in "
                 "a moment", claim->queue, claim->task_id);
}

static gboolean
item_exists_locked (VdPgStore  *self,
                    gint64      item_id,
                    GError    **error)
{
  g_autoptr(VdPgParams) params = _vd_pg_params_new ();
  g_autoptr(PGresult) result = NULL;

  _vd_pg_params_add_int (params, item_id);
  result = _vd_pg_store_exec (self, "SELECT 1 FROM items WHERE id = $1", params, error);
  if (result == NULL)
    return FALSE;
  if (PQntuples (result) == 0)
    {
      g_set_error (error, VD_STORE_ERROR, VD_STORE_ERROR_NOT_FOUND,
                   "No item with row id %" G_GINT64_FORMAT " (database %s)", item_id,
                   PQdb (self->conn));
      return FALSE;
    }
  return TRUE;
}

static gboolean
claim_locked (VdPgStore   *self,
              gint64       item_id,
              const char  *reviewer_id,
              guint        lease_seconds,
              VdClaim     *claim,
              GError     **error)
{
  g_autoptr(PGresult) item = NULL;
  gboolean found = FALSE;
  gboolean taken = FALSE;
  gint64 now;

  item = lock_item_locked (self, item_id, error);
  if (item != NULL && PQntuples (item) == 0)
    {
      /* No such item, or held by another session: once more, after a
       * moment (READ COMMITTED: the statement sees what committed since). */
      g_clear_pointer (&item, PQclear);
      if (!item_exists_locked (self, item_id, error))
        return FALSE;
      g_usleep (LOCKED_RETRY_USEC);
      item = lock_item_locked (self, item_id, error);
      if (item != NULL && PQntuples (item) == 0)
        {
          set_busy_error (self, item_id, claim, error);
          return FALSE;
        }
    }
  if (item == NULL)
    return FALSE;

  claim->queue = g_strdup (_vd_pg_get_text (item, 0, 0));
  claim->task_id = g_strdup (_vd_pg_get_text (item, 0, 1));
  if (g_strcmp0 (_vd_pg_get_text (item, 0, 2), "t") != 0)
    {
      g_set_error (error, VD_STORE_ERROR, VD_STORE_ERROR_ALREADY_DECIDED,
                   "Item %s in queue %s is already %s: only undecided items can be claimed",
                   claim->task_id, claim->queue, _vd_pg_get_text (item, 0, 3));
      return FALSE;
    }
  now = _vd_pg_get_int (item, 0, 4);

  if (!read_claim_locked (self, item_id, claim, &found, error))
    return FALSE;

  if (found && g_strcmp0 (claim->reviewer_id, reviewer_id) != 0 && claim->expires_at > now)
    {
      set_claimed_error (claim, error);
      return FALSE;
    }

  claim->item_id = item_id;
  g_free (claim->reviewer_id);
  claim->reviewer_id = g_strdup (reviewer_id);
  claim->claimed_at = now;
  claim->expires_at = now + (gint64) lease_seconds * G_USEC_PER_SEC;
  if (!upsert_claim_locked (self, claim, &taken, error))
    return FALSE;
  if (!taken)
    {
      /* The item's row lock makes this unlikely; say whose claim won. */
      g_clear_pointer (&claim->reviewer_id, g_free);
      if (read_claim_locked (self, item_id, claim, &found, error))
        set_claimed_error (claim, error);
      return FALSE;
    }
  return TRUE;
}

static void
take_claim (VdClaim *to,
            VdClaim *from)
{
  *to = *from;
  memset (from, 0, sizeof *from);
}

gboolean
_vd_pg_store_claim_item (VdStore     *store,
                         gint64       item_id,
                         const char  *reviewer_id,
                         guint        lease_seconds,
                         VdClaim     *claim,
                         GError     **error)
{
  VdPgStore *self = VD_PG_STORE (store);
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_auto(VdClaim) result = { 0, };

  if (!check_reviewer (self, reviewer_id, error) ||
      !begin_unaudited (self, error))
    return FALSE;

  if (!claim_locked (self, item_id, reviewer_id, lease_seconds, &result, error))
    {
      _vd_pg_store_rollback (self);
      /* Tell the caller whose claim stands in the way. */
      if (claim != NULL && result.reviewer_id != NULL &&
          g_strcmp0 (result.reviewer_id, reviewer_id) != 0)
        take_claim (claim, &result);
      return FALSE;
    }

  if (!_vd_pg_store_commit (self, error))
    return FALSE;

  if (claim != NULL)
    take_claim (claim, &result);

  return TRUE;
}

gboolean
_vd_pg_store_release_claim (VdStore     *store,
                            gint64       item_id,
                            const char  *reviewer_id,
                            GError     **error)
{
  VdPgStore *self = VD_PG_STORE (store);
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_autoptr(VdPgParams) params = _vd_pg_params_new ();

  if (!_vd_pg_store_ensure_connected (self, error))
    return FALSE;
  _vd_pg_store_note_backend_locked (self);

  /* Row-level security hides other reviewers' claims from a DELETE: only
   * the reviewer's own goes. */
  _vd_pg_params_add_int (params, item_id);
  _vd_pg_params_add_text (params, reviewer_id);
  return _vd_pg_store_exec_command (self,
                                    "DELETE FROM claims WHERE item_id = $1 "
                                    "AND ($2::text IS NULL OR reviewer_id = $2)",
                                    params, error);
}

GPtrArray *
_vd_pg_store_list_claims (VdStore     *store,
                          const char  *queue,
                          GError     **error)
{
  VdPgStore *self = VD_PG_STORE (store);
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_autoptr(VdPgParams) params = _vd_pg_params_new ();
  g_autoptr(PGresult) result = NULL;
  g_autoptr(GPtrArray) claims = g_ptr_array_new_with_free_func ((GDestroyNotify) vd_claim_free);

  if (!_vd_pg_store_ensure_connected (self, error))
    return NULL;
  _vd_pg_store_note_backend_locked (self);

  _vd_pg_params_add_text (params, queue);
  result = _vd_pg_store_exec (self,
                              "SELECT c.item_id, i.queue, i.task_id, c.reviewer_id, "
                              "c.claimed_at, c.expires_at "
                              "FROM claims c JOIN items i ON i.id = c.item_id "
                              "WHERE c.expires_at > verdict_now_usec () "
                              "AND ($1::text IS NULL OR i.queue = $1) "
                              "AND i." UNDECIDED " ORDER BY c.item_id",
                              params, error);
  if (result == NULL)
    return NULL;

  for (int i = 0; i < PQntuples (result); i++)
    {
      VdClaim *claim = g_new0 (VdClaim, 1);

      claim->item_id = _vd_pg_get_int (result, i, 0);
      claim->queue = g_strdup (_vd_pg_get_text (result, i, 1));
      claim->task_id = g_strdup (_vd_pg_get_text (result, i, 2));
      claim->reviewer_id = g_strdup (_vd_pg_get_text (result, i, 3));
      claim->claimed_at = _vd_pg_get_int (result, i, 4);
      claim->expires_at = _vd_pg_get_int (result, i, 5);
      g_ptr_array_add (claims, claim);
    }

  return g_steal_pointer (&claims);
}

/* Whether the session may decide escalated items (a database without the
 * group roles has no such rule). */
static gboolean
may_decide_escalated (VdPgStore  *self,
                      gboolean   *may,
                      GError    **error)
{
  g_autoptr(PGresult) result = NULL;

  result = _vd_pg_store_exec (self,
                              "SELECT CASE WHEN EXISTS (SELECT 1 FROM pg_roles "
                              "WHERE rolname = 'verdict_senior') "
                              "THEN pg_has_role (session_user, 'verdict_senior', 'MEMBER') "
                              "ELSE true END",
                              NULL, error);
  if (result == NULL)
    return FALSE;

  *may = g_strcmp0 (_vd_pg_get_text (result, 0, 0), "t") == 0;
  return TRUE;
}

/* Tries to hand out an item that another session's claim, committed
 * after the choice was made, may have taken meanwhile. */
#define CLAIM_NEXT_ATTEMPTS 16

static gboolean
claim_next_locked (VdPgStore   *self,
                   const char  *queue,
                   const char  *reviewer_id,
                   guint        lease_seconds,
                   VdItem     **item,
                   GError     **error)
{
  gboolean senior = FALSE;

  if (!may_decide_escalated (self, &senior, error))
    return FALSE;

  for (guint attempt = 0; attempt < CLAIM_NEXT_ATTEMPTS; attempt++)
    {
      g_autoptr(VdPgParams) params = _vd_pg_params_new ();
      g_autoptr(PGresult) result = NULL;
      g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
      g_auto(VdClaim) claim = { 0, };
      gboolean taken = FALSE;
      gint64 now;

      /* Deadlines first, then the oldest: the order of the review list by
       * due date. Rows other sessions hold are skipped, not waited for. */
      _vd_pg_params_add_text (params, queue);
      _vd_pg_params_add_text (params, senior ? "t" : "f");
      result = _vd_pg_store_exec (self,
                                  "SELECT " VD_PG_ITEM_COLUMNS ", verdict_now_usec () "
                                  "FROM items WHERE " UNDECIDED " "
                                  "AND ($1::text IS NULL OR queue = $1) "
                                  "AND ($2::boolean OR status <> 'escalated') "
                                  "AND NOT EXISTS (SELECT 1 FROM claims c "
                                  "WHERE c.item_id = items.id "
                                  "AND c.expires_at > verdict_now_usec ()) "
                                  "ORDER BY due_at IS NULL, due_at, created_at, id "
                                  "LIMIT 1 FOR UPDATE SKIP LOCKED",
                                  params, error);
      if (result == NULL)
        return FALSE;
      if (PQntuples (result) == 0)
        return TRUE;

      g_ptr_array_add (items, _vd_pg_store_item_from_row (result, 0));
      now = _vd_pg_get_int (result, 0, PQnfields (result) - 1);

      /* The row is locked now, but the claims were read before: a claim
       * committed in between makes the upsert take nothing. */
      claim.item_id = vd_item_get_id (g_ptr_array_index (items, 0));
      claim.reviewer_id = g_strdup (reviewer_id);
      claim.claimed_at = now;
      claim.expires_at = now + (gint64) lease_seconds * G_USEC_PER_SEC;
      if (!upsert_claim_locked (self, &claim, &taken, error))
        return FALSE;
      if (!taken)
        continue;

      if (!_vd_pg_store_load_attachments (self, items, error))
        return FALSE;
      *item = g_object_ref (g_ptr_array_index (items, 0));
      return TRUE;
    }

  return TRUE;
}

/**
 * vd_pg_store_claim_next:
 * @self: a store
 * @queue: (nullable): the queue, or %NULL for every queue
 * @reviewer_id: who claims (the session's role)
 * @lease_seconds: how long the claim lasts from now (more than 0)
 * @item: (out) (transfer full) (nullable): the item claimed, %NULL when
 *   none is left
 * @error: return location for a #GError
 *
 * Claims the next undecided item of @queue that nobody has claimed (or
 * whose claim expired), the earliest deadline first, then the oldest, in
 * one transaction with `FOR UPDATE SKIP LOCKED`: reviewers asking at the
 * same time never get the same item, and never wait for each other; a
 * reviewer asking again gets the next one (their own claims stand, to be
 * decided or released). Escalated items are handed only to members of
 * verdict_senior.
 *
 * Returns: %TRUE on success, with *@item %NULL when no item is free
 */
gboolean
vd_pg_store_claim_next (VdPgStore   *self,
                        const char  *queue,
                        const char  *reviewer_id,
                        guint        lease_seconds,
                        VdItem     **item,
                        GError     **error)
{
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (VD_IS_PG_STORE (self), FALSE);
  g_return_val_if_fail (reviewer_id != NULL, FALSE);
  g_return_val_if_fail (lease_seconds > 0, FALSE);
  g_return_val_if_fail (item != NULL && *item == NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  locker = g_mutex_locker_new (&self->lock);
  if (!check_reviewer (self, reviewer_id, error) ||
      !begin_unaudited (self, error))
    return FALSE;

  if (!claim_next_locked (self, queue, reviewer_id, lease_seconds, item, error))
    {
      _vd_pg_store_rollback (self);
      return FALSE;
    }

  if (!_vd_pg_store_commit (self, error))
    {
      g_clear_object (item);
      return FALSE;
    }

  return TRUE;
}
