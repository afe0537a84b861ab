/* vd-sqlite-store-audit.c: the audit trail of a VdSqliteStore
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

#include <stdlib.h>
#include <string.h>

#include "vd-sqlite-store-private.h"

#define AUDIT_COLUMNS "seq, timestamp, actor, event, queue, task_id, payload, prev_hash, hash"

/* Rows read per query while verifying: bounds memory on long trails. */
#define VERIFY_CHUNK 2000

/*
 * Seals @event onto the head of the open transaction and inserts it. Every
 * write path appends through here, inside its own transaction, so that the
 * audit trail and the data it describes are committed together.
 */
gboolean
_vd_sqlite_store_append_locked (VdSqliteStore  *self,
                                VdAuditEvent   *event,
                                GError        **error)
{
  g_autoptr(VdSqliteCursor) stmt = NULL;
  gint64 seq;

  g_assert (self->in_transaction);
  g_assert (VD_IS_AUDIT_EVENT (event));

  seq = self->tx_head_seq + 1;
  vd_audit_event_seal (event, seq, self->tx_head_hash);

  stmt = _vd_sqlite_store_prepare (self,
                                   "INSERT INTO audit (" AUDIT_COLUMNS ") "
                                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                                   error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, seq);
  _vd_sqlite_bind_text (stmt, 2, vd_audit_event_get_timestamp (event));
  _vd_sqlite_bind_text (stmt, 3, vd_audit_event_get_actor (event));
  _vd_sqlite_bind_text (stmt, 4, vd_audit_event_get_event_type (event));
  _vd_sqlite_bind_text (stmt, 5, vd_audit_event_get_queue (event));
  _vd_sqlite_bind_text (stmt, 6, vd_audit_event_get_task_id (event));
  _vd_sqlite_bind_text (stmt, 7, vd_audit_event_get_payload_json (event));
  _vd_sqlite_bind_text (stmt, 8, vd_audit_event_get_prev_hash (event));
  _vd_sqlite_bind_text (stmt, 9, vd_audit_event_get_hash (event));

  if (!_vd_sqlite_store_step_done (self, stmt, error))
    return FALSE;

  self->tx_head_seq = seq;
  g_strlcpy (self->tx_head_hash, vd_audit_event_get_hash (event), sizeof self->tx_head_hash);
  self->tx_head_changed = TRUE;

  return TRUE;
}

gboolean
_vd_sqlite_store_append_audit (VdStore       *store,
                               VdAuditEvent  *event,
                               GError       **error)
{
  VdSqliteStore *self = VD_SQLITE_STORE (store);
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  if (!_vd_sqlite_store_begin (self, error))
    return FALSE;

  if (!_vd_sqlite_store_append_locked (self, event, error))
    {
      _vd_sqlite_store_rollback (self);
      return FALSE;
    }

  return _vd_sqlite_store_commit (self, error);
}

static VdAuditEvent *
event_from_row (sqlite3_stmt *stmt)
{
  return vd_audit_event_new_stored (sqlite3_column_int64 (stmt, 0),
                                    _vd_sqlite_column_text (stmt, 1),
                                    _vd_sqlite_column_text (stmt, 2),
                                    _vd_sqlite_column_text (stmt, 3),
                                    _vd_sqlite_column_text (stmt, 4),
                                    _vd_sqlite_column_text (stmt, 5),
                                    _vd_sqlite_column_text (stmt, 6),
                                    _vd_sqlite_column_text (stmt, 7),
                                    _vd_sqlite_column_text (stmt, 8));
}

GPtrArray *
_vd_sqlite_store_list_audit (VdStore  *store,
                             gint64    from_seq,
                             guint     limit,
                             GError  **error)
{
  VdSqliteStore *self = VD_SQLITE_STORE (store);
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_autoptr(VdSqliteCursor) stmt = NULL;
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (g_object_unref);
  int rc;

  stmt = _vd_sqlite_store_prepare (self,
                                   "SELECT " AUDIT_COLUMNS " FROM audit WHERE seq >= ?1 "
                                   "ORDER BY seq LIMIT ?2",
                                   error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, from_seq);
  sqlite3_bind_int64 (stmt, 2, limit > 0 ? (gint64)limit : -1);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (events, event_from_row (stmt));

  if (rc != SQLITE_DONE)
    {
      _vd_sqlite_store_set_error (self, error, "Could not read the audit trail");
      return NULL;
    }

  return g_steal_pointer (&events);
}

gboolean
_vd_sqlite_store_read_head_locked (VdSqliteStore  *self,
                                   gint64         *seq,
                                   char          **hash,
                                   GError        **error)
{
  g_autoptr(VdSqliteCursor) stmt = NULL;
  int rc;

  stmt = _vd_sqlite_store_prepare (self, "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1",
                                   error);
  if (stmt == NULL)
    return FALSE;

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *seq = sqlite3_column_int64 (stmt, 0);
      *hash = g_strdup (_vd_sqlite_column_text (stmt, 1));
      return TRUE;
    }
  else if (rc == SQLITE_DONE)
    {
      *seq = 0;
      *hash = g_strdup (VD_AUDIT_GENESIS_HASH);
      return TRUE;
    }

  _vd_sqlite_store_set_error (self, error, "Could not read the audit trail");
  return FALSE;
}

gboolean
_vd_sqlite_store_get_audit_head (VdStore  *store,
                                 gint64   *seq,
                                 char    **hash,
                                 GError  **error)
{
  VdSqliteStore *self = VD_SQLITE_STORE (store);
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_autofree char *head_hash = NULL;
  gint64 head_seq;

  if (!_vd_sqlite_store_read_head_locked (self, &head_seq, &head_hash, error))
    return FALSE;

  if (seq != NULL)
    *seq = head_seq;
  if (hash != NULL)
    *hash = g_steal_pointer (&head_hash);

  return TRUE;
}

typedef enum
{
  VERIFY_OK,
  VERIFY_BROKEN,
  VERIFY_ERROR,
} VerifyStatus;

static VerifyStatus
verify_chain (VdSqliteStore  *self,
              VdAuditChain   *chain,
              gint64         *bad_seq,
              GError        **error)
{
  gint64 after = 0;

  for (;;)
    {
      g_autoptr(VdSqliteCursor) stmt = NULL;
      guint n_rows = 0;
      int rc;

      stmt = _vd_sqlite_store_prepare (self,
                                       "SELECT " AUDIT_COLUMNS " FROM audit WHERE seq > ?1 "
                                       "ORDER BY seq LIMIT ?2",
                                       error);
      if (stmt == NULL)
        return VERIFY_ERROR;

      sqlite3_bind_int64 (stmt, 1, after);
      sqlite3_bind_int (stmt, 2, VERIFY_CHUNK);

      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          g_autoptr(VdAuditEvent) event = event_from_row (stmt);
          g_autofree char *problem = NULL;

          n_rows++;
          after = vd_audit_event_get_seq (event);

          if (!vd_audit_chain_next (chain, event, &problem))
            {
              *bad_seq = chain->expected_seq;
              g_set_error_literal (error, VD_STORE_ERROR, VD_STORE_ERROR_FAILED, problem);
              return VERIFY_BROKEN;
            }
        }

      if (rc != SQLITE_DONE)
        {
          _vd_sqlite_store_set_error (self, error, "Could not read the audit trail");
          return VERIFY_ERROR;
        }

      if (n_rows < VERIFY_CHUNK)
        return VERIFY_OK;
    }
}

static gboolean
read_meta (VdSqliteStore  *self,
           const char     *key,
           char          **value,
           GError        **error)
{
  g_autoptr(VdSqliteCursor) stmt = NULL;
  int rc;

  stmt = _vd_sqlite_store_prepare (self, "SELECT value FROM meta WHERE key = ?1", error);
  if (stmt == NULL)
    return FALSE;

  _vd_sqlite_bind_text (stmt, 1, key);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *value = g_strdup (_vd_sqlite_column_text (stmt, 0));
  else if (rc == SQLITE_DONE)
    *value = NULL;
  else
    {
      _vd_sqlite_store_set_error (self, error, "Could not read the database");
      return FALSE;
    }

  return TRUE;
}

/* The chain alone cannot see events cut off its end: compare the last event
 * with the head recorded by every append transaction, and with the events
 * items and decisions refer to. */
static VerifyStatus
verify_tail (VdSqliteStore  *self,
             gint64          last_seq,
             const char     *last_hash,
             gint64         *bad_seq,
             GError        **error)
{
  static const struct {
    const char *sql;
    const char *what;
  } references[] = {
    { "SELECT id, audit_seq FROM decisions ORDER BY audit_seq DESC LIMIT 1", "decision" },
    { "SELECT id, audit_seq FROM items ORDER BY audit_seq DESC LIMIT 1", "item" },
  };
  g_autofree char *head_seq_text = NULL;
  g_autofree char *head_hash = NULL;

  if (!read_meta (self, "audit_head_seq", &head_seq_text, error) ||
      !read_meta (self, "audit_head_hash", &head_hash, error))
    return VERIFY_ERROR;

  if (head_seq_text != NULL)
    {
      gint64 head_seq = g_ascii_strtoll (head_seq_text, NULL, 10);

      if (head_seq > last_seq)
        {
          *bad_seq = last_seq + 1;
          g_set_error (error, VD_STORE_ERROR, VD_STORE_ERROR_FAILED,
                       "audit event %" G_GINT64_FORMAT " is missing: the trail ends at event %"
                       G_GINT64_FORMAT " but its recorded head is event %" G_GINT64_FORMAT,
                       last_seq + 1, last_seq, head_seq);
          return VERIFY_BROKEN;
        }

      if (head_seq < last_seq)
        {
          *bad_seq = head_seq + 1;
          g_set_error (error, VD_STORE_ERROR, VD_STORE_ERROR_FAILED,
                       "audit event %" G_GINT64_FORMAT " was not appended by Verdict: "
                       "the recorded head of the trail is event %" G_GINT64_FORMAT,
                       head_seq + 1, head_seq);
          return VERIFY_BROKEN;
        }

      if (g_strcmp0 (head_hash, last_hash) != 0)
        {
          *bad_seq = last_seq;
          g_set_error (error, VD_STORE_ERROR, VD_STORE_ERROR_FAILED,
                       "audit event %" G_GINT64_FORMAT ": hash differs from the recorded "
                       "head of the trail", last_seq);
          return VERIFY_BROKEN;
        }
    }
  else if (last_seq > 0)
    {
      *bad_seq = last_seq;
      g_set_error (error, VD_STORE_ERROR, VD_STORE_ERROR_FAILED,
                   "audit event %" G_GINT64_FORMAT ": the recorded head of the trail is "
                   "missing", last_seq);
      return VERIFY_BROKEN;
    }

  for (guint i = 0; i < G_N_ELEMENTS (references); i++)
    {
      g_autoptr(VdSqliteCursor) stmt = NULL;
      int rc;

      stmt = _vd_sqlite_store_prepare (self, references[i].sql, error);
      if (stmt == NULL)
        return VERIFY_ERROR;

      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW && sqlite3_column_int64 (stmt, 1) > last_seq)
        {
          *bad_seq = last_seq + 1;
          g_set_error (error, VD_STORE_ERROR, VD_STORE_ERROR_FAILED,
                       "audit event %" G_GINT64_FORMAT " is missing: %s %" G_GINT64_FORMAT
                       " refers to event %" G_GINT64_FORMAT " but the trail ends at event %"
                       G_GINT64_FORMAT,
                       last_seq + 1, references[i].what,
                       (gint64)sqlite3_column_int64 (stmt, 0),
                       (gint64)sqlite3_column_int64 (stmt, 1), last_seq);
          return VERIFY_BROKEN;
        }
      else if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        {
          _vd_sqlite_store_set_error (self, error, "Could not read the database");
          return VERIFY_ERROR;
        }
    }

  return VERIFY_OK;
}

gboolean
_vd_sqlite_store_verify_audit (VdStore  *store,
                               gint64   *bad_seq,
                               guint64  *n_checked,
                               GError  **error)
{
  VdSqliteStore *self = VD_SQLITE_STORE (store);
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  VdAuditChain chain;
  VerifyStatus status;
  gint64 bad = 0;

  vd_audit_chain_init (&chain);

  /* One read transaction: every chunk and the tail checks see one snapshot
   * even while another process appends. */
  if (!_vd_sqlite_store_exec (self, "BEGIN", error))
    return FALSE;

  status = verify_chain (self, &chain, &bad, error);
  if (status == VERIFY_OK)
    status = verify_tail (self, chain.expected_seq - 1, chain.prev_hash, &bad, error);

  sqlite3_exec (self->db, "COMMIT", NULL, NULL, NULL);

  if (bad_seq != NULL)
    *bad_seq = status == VERIFY_BROKEN ? bad : 0;
  if (n_checked != NULL)
    *n_checked = chain.n_checked;

  return status == VERIFY_OK;
}
