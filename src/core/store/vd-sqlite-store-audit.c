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

#include "vd-audit-event-private.h"
#include "vd-sqlite-store-private.h"

#define AUDIT_COLUMNS "seq, timestamp, actor, event, queue, task_id, payload, prev_hash, hash, " \
  "key_id, signature"

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
  g_autoptr(VdKey) key = NULL;
  g_autofree char *signature = NULL;
  gint64 seq;

  g_assert (self->in_transaction);
  g_assert (VD_IS_AUDIT_EVENT (event));

  seq = self->tx_head_seq + 1;
  vd_audit_event_seal (event, seq, self->tx_head_hash);

  /* The actor's unlocked key, else the installation key. */
  key = vd_signer_dup_key_for_actor (self->signer, vd_audit_event_get_actor (event));
  signature = vd_key_sign_audit_hash (key, vd_audit_event_get_hash (event), error);
  if (signature == NULL)
    return FALSE;
  vd_audit_event_set_signature (event, vd_key_get_id (key), signature);

  stmt = _vd_sqlite_store_prepare (self,
                                   "INSERT INTO audit (" AUDIT_COLUMNS ") "
                                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
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
  _vd_sqlite_bind_text (stmt, 10, vd_audit_event_get_key_id (event));
  _vd_sqlite_bind_text (stmt, 11, vd_audit_event_get_signature (event));

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

/*
 * The first event of the signed trail: every event from this one on is
 * signed. unsigned_before is its own seq: the events before it were
 * written before signing started (by an older Verdict).
 */
gboolean
_vd_sqlite_store_start_signing_locked (VdSqliteStore  *self,
                                       GError        **error)
{
  g_autoptr(VdAuditEvent) event = NULL;
  VdKey *installation = vd_signer_get_installation_key (self->signer);
  GString *payload;

  g_assert (self->in_transaction);

  payload = _vd_json_object_begin ();
  _vd_json_object_add_string (payload, "installation_key", vd_key_get_id (installation));
  _vd_json_object_add_int (payload, "unsigned_before", self->tx_head_seq + 1);
  event = _vd_audit_event_new_take_json (VD_AUDIT_ACTOR_SYSTEM, VD_AUDIT_SIGNING_STARTED,
                                         NULL, NULL, _vd_json_object_end (payload));

  return _vd_sqlite_store_append_locked (self, event, error);
}

static VdAuditEvent *
event_from_row (sqlite3_stmt *stmt)
{
  VdAuditEvent *event;

  event = vd_audit_event_new_stored (sqlite3_column_int64 (stmt, 0),
                                     _vd_sqlite_column_text (stmt, 1),
                                     _vd_sqlite_column_text (stmt, 2),
                                     _vd_sqlite_column_text (stmt, 3),
                                     _vd_sqlite_column_text (stmt, 4),
                                     _vd_sqlite_column_text (stmt, 5),
                                     _vd_sqlite_column_text (stmt, 6),
                                     _vd_sqlite_column_text (stmt, 7),
                                     _vd_sqlite_column_text (stmt, 8));
  vd_audit_event_set_signature (event,
                                (const char *)sqlite3_column_text (stmt, 9),
                                (const char *)sqlite3_column_text (stmt, 10));

  return event;
}

VdAuditEvent *
_vd_sqlite_store_get_audit_event (VdStore  *store,
                                  gint64    seq,
                                  GError  **error)
{
  VdSqliteStore *self = VD_SQLITE_STORE (store);
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_autoptr(VdSqliteCursor) stmt = NULL;
  int rc;

  stmt = _vd_sqlite_store_prepare (self,
                                   "SELECT " AUDIT_COLUMNS " FROM audit WHERE seq = ?1",
                                   error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, seq);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return event_from_row (stmt);

  if (rc == SQLITE_DONE)
    g_set_error (error, VD_STORE_ERROR, VD_STORE_ERROR_NOT_FOUND,
                 "There is no audit event %" G_GINT64_FORMAT, seq);
  else
    _vd_sqlite_store_set_error (self, error, "Could not read the audit trail");

  return NULL;
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

/* What the signature checks need while the trail streams past. */
typedef struct
{
  VdSigner   *signer;
  VdKey      *installation;
  GHashTable *keys;           /* key id -> VdKey, those seen so far */
  GPtrArray  *roster_keys;    /* of every remembered policy */
  gint64      signing_from;   /* seq of signing_started; 1 when there is none */
} Signatures;

static void
signatures_clear (Signatures *check)
{
  g_clear_pointer (&check->keys, g_hash_table_unref);
  g_clear_pointer (&check->roster_keys, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Signatures, signatures_clear)

static VdKey *
lookup_key (Signatures *check,
            const char *key_id)
{
  VdKey *key = g_hash_table_lookup (check->keys, key_id);

  if (key != NULL)
    return key;

  key = vd_signer_lookup_known (check->signer, key_id);
  for (guint i = 0; key == NULL && i < check->roster_keys->len; i++)
    {
      VdKey *candidate = g_ptr_array_index (check->roster_keys, i);

      if (g_strcmp0 (vd_key_get_id (candidate), key_id) == 0)
        key = g_object_ref (candidate);
    }

  if (key == NULL)
    return NULL;

  g_hash_table_insert (check->keys, g_strdup (key_id), key);
  return key;
}

/* One event's signature check: the key is found in order (the key cache
 * is not shared between threads), the Ed25519 check itself runs on a
 * worker thread. */
typedef struct
{
  VdKey      *key;        /* borrowed from Signatures.keys; NULL: unsigned or unknown */
  const char *hash;
  const char *signature;
  gboolean    valid;
} SignatureJob;

typedef struct
{
  SignatureJob *jobs;
  guint         n_jobs;
  guint         first;
  guint         stride;
} SignatureSlice;

static gpointer
verify_slice (gpointer data)
{
  SignatureSlice *slice = data;

  for (guint i = slice->first; i < slice->n_jobs; i += slice->stride)
    if (slice->jobs[i].key != NULL)
      slice->jobs[i].valid = vd_key_verify_audit_hash (slice->jobs[i].key, slice->jobs[i].hash,
                                                       slice->jobs[i].signature);

  return NULL;
}

/* Ed25519 verification is what a long trail's check costs: it is spread
 * over the processors, a chunk of events at a time. */
static void
verify_jobs (SignatureJob *jobs,
             guint         n_jobs)
{
  SignatureSlice slices[8];
  GThread *threads[8] = { NULL, };
  guint n_threads = CLAMP (g_get_num_processors (), 1, (guint) G_N_ELEMENTS (slices));

  if (n_jobs < 64)
    n_threads = 1;

  for (guint t = 0; t < n_threads; t++)
    slices[t] = (SignatureSlice) { jobs, n_jobs, t, n_threads };

  /* The calling thread takes the first slice; a thread that cannot be
   * started leaves its slice to it as well. */
  for (guint t = 1; t < n_threads; t++)
    threads[t] = g_thread_try_new ("vd-audit-verify", verify_slice, &slices[t], NULL);

  verify_slice (&slices[0]);
  for (guint t = 1; t < n_threads; t++)
    {
      if (threads[t] != NULL)
        g_thread_join (threads[t]);
      else
        verify_slice (&slices[t]);
    }
}

/* Finds the key of an event whose hash checked out, for verify_jobs(). */
static void
prepare_signature (Signatures   *check,
                   VdAuditEvent *event,
                   SignatureJob *job)
{
  const char *key_id = vd_audit_event_get_key_id (event);

  job->key = NULL;
  job->hash = vd_audit_event_get_hash (event);
  job->signature = vd_audit_event_get_signature (event);
  job->valid = FALSE;

  if (key_id != NULL && job->signature != NULL)
    job->key = lookup_key (check, key_id);
}

/* Judges the signature of an event once verify_jobs() checked it. */
static char *
check_signature (Signatures         *check,
                 VdAuditEvent       *event,
                 const SignatureJob *job,
                 VdAuditReport      *report)
{
  gint64 seq = vd_audit_event_get_seq (event);
  const char *key_id = vd_audit_event_get_key_id (event);
  const char *signature = vd_audit_event_get_signature (event);
  const char *actor = vd_audit_event_get_actor (event);
  VdKey *key = job->key;

  if (key_id == NULL && signature == NULL && seq < check->signing_from)
    {
      report->n_unsigned++;
      return NULL;
    }

  if (key_id == NULL || signature == NULL)
    return g_strdup_printf ("audit event %" G_GINT64_FORMAT ": not signed", seq);

  if (key == NULL)
    return g_strdup_printf ("audit event %" G_GINT64_FORMAT ": signed by key %s which is not "
                            "known (not this installation's, not in the key folder or the "
                            "roster)", seq, key_id);

  if (!job->valid)
    return g_strdup_printf ("audit event %" G_GINT64_FORMAT ": the signature does not verify",
                            seq);

  if (vd_key_equal_public (key, check->installation))
    {
      report->n_signed_installation++;
      return NULL;
    }

  /* A reviewer's key vouches for that reviewer's events only. */
  if (g_strcmp0 (vd_key_get_owner (key), actor) != 0)
    return g_strdup_printf ("audit event %" G_GINT64_FORMAT ": signed by %s's key %s, but the "
                            "event is %s's", seq, vd_key_get_owner (key), key_id, actor);

  report->n_signed_reviewer++;
  return NULL;
}

/* The seq of the first signing_started event, 0 when there is none. */
static gboolean
find_signing_started (VdSqliteStore  *self,
                      gint64         *seq,
                      GError        **error)
{
  g_autoptr(VdSqliteCursor) stmt = NULL;
  int rc;

  stmt = _vd_sqlite_store_prepare (self,
                                   "SELECT min (seq) FROM audit WHERE event = '"
                                   VD_AUDIT_SIGNING_STARTED "'",
                                   error);
  if (stmt == NULL)
    return FALSE;

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      _vd_sqlite_store_set_error (self, error, "Could not read the audit trail");
      return FALSE;
    }

  *seq = sqlite3_column_int64 (stmt, 0);
  return TRUE;
}

/* The signing_started event says which events predate it. */
static char *
check_signing_started (VdAuditEvent *event)
{
  g_autoptr(JsonObject) payload = vd_audit_event_dup_payload (event);
  gint64 seq = vd_audit_event_get_seq (event);

  if (payload == NULL ||
      !json_object_has_member (payload, "unsigned_before") ||
      json_node_get_value_type (json_object_get_member (payload, "unsigned_before")) !=
      G_TYPE_INT64 ||
      json_object_get_int_member (payload, "unsigned_before") != seq ||
      g_strcmp0 (vd_audit_event_get_actor (event), VD_AUDIT_ACTOR_SYSTEM) != 0)
    return g_strdup_printf ("audit event %" G_GINT64_FORMAT ": a signing_started event that "
                            "does not start signing at itself", seq);

  return NULL;
}

/* Checks the trail a chunk at a time: the links and hashes in order, then
 * the chunk's signatures together, then judges each event in order, so
 * that the first bad event is the one named whatever is wrong with it. */
static VerifyStatus
verify_chain (VdSqliteStore  *self,
              VdAuditChain   *chain,
              Signatures     *check,
              VdAuditReport  *report,
              GError        **error)
{
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree SignatureJob *jobs = g_new0 (SignatureJob, VERIFY_CHUNK);
  gint64 after = 0;

  for (;;)
    {
      g_autoptr(VdSqliteCursor) stmt = NULL;
      g_autofree char *chain_problem = NULL;
      gint64 chain_bad_seq = 0;
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
      g_ptr_array_set_size (events, 0);

      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          VdAuditEvent *event = event_from_row (stmt);

          n_rows++;
          after = vd_audit_event_get_seq (event);

          if (!vd_audit_chain_next (chain, event, &chain_problem))
            {
              chain_bad_seq = chain->expected_seq;
              g_object_unref (event);
              break;
            }

          prepare_signature (check, event, &jobs[events->len]);
          g_ptr_array_add (events, event);
        }

      if (chain_problem == NULL && rc != SQLITE_DONE)
        {
          _vd_sqlite_store_set_error (self, error, "Could not read the audit trail");
          return VERIFY_ERROR;
        }

      verify_jobs (jobs, events->len);

      for (guint i = 0; i < events->len; i++)
        {
          VdAuditEvent *event = g_ptr_array_index (events, i);
          gint64 seq = vd_audit_event_get_seq (event);
          g_autofree char *problem = NULL;

          if (seq == check->signing_from && report->signing_started_seq != 0)
            problem = check_signing_started (event);
          if (problem == NULL)
            problem = check_signature (check, event, &jobs[i], report);
          if (problem != NULL)
            {
              report->bad_seq = seq;
              g_set_error_literal (error, VD_STORE_ERROR, VD_STORE_ERROR_FAILED, problem);
              return VERIFY_BROKEN;
            }
        }

      if (chain_problem != NULL)
        {
          report->bad_seq = chain_bad_seq;
          g_set_error_literal (error, VD_STORE_ERROR, VD_STORE_ERROR_FAILED, chain_problem);
          return VERIFY_BROKEN;
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
_vd_sqlite_store_verify_audit (VdStore        *store,
                               VdAuditReport  *report,
                               GError        **error)
{
  VdSqliteStore *self = VD_SQLITE_STORE (store);
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_auto(Signatures) check = { 0, };
  VdAuditChain chain;
  VerifyStatus status = VERIFY_ERROR;

  vd_audit_chain_init (&chain);
  check.signer = self->signer;
  check.installation = vd_signer_get_installation_key (self->signer);
  check.keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);

  /* One read transaction: every chunk and the tail checks see one snapshot
   * even while another process appends. */
  if (!_vd_sqlite_store_exec (self, "BEGIN", error))
    return FALSE;

  check.roster_keys = _vd_sqlite_store_list_roster_keys_locked (self, error);
  if (check.roster_keys != NULL &&
      find_signing_started (self, &report->signing_started_seq, error))
    {
      /* Without a signing_started event every event must be signed. */
      check.signing_from = MAX (report->signing_started_seq, 1);

      status = verify_chain (self, &chain, &check, report, error);
      if (status == VERIFY_OK)
        status = verify_tail (self, chain.expected_seq - 1, chain.prev_hash, &report->bad_seq,
                              error);
      if (status == VERIFY_OK && report->signing_started_seq == 0)
        {
          report->bad_seq = 1;
          g_set_error (error, VD_STORE_ERROR, VD_STORE_ERROR_FAILED,
                       "the audit trail has no signing_started event, which every store of "
                       "schema version %d has before its signed events",
                       VD_SQLITE_STORE_SCHEMA_VERSION);
          status = VERIFY_BROKEN;
        }
    }

  sqlite3_exec (self->db, "COMMIT", NULL, NULL, NULL);

  if (status != VERIFY_BROKEN)
    report->bad_seq = 0;
  /* Events whose hash and signature both checked out. */
  report->n_events = report->n_unsigned + report->n_signed_reviewer +
                     report->n_signed_installation;

  return status == VERIFY_OK;
}
