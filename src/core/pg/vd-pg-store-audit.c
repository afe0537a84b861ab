/* vd-pg-store-audit.c: the audit trail of a VdPgStore
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

#include "vd-audit-event-private.h"
#include "vd-json-write.h"
#include "vd-pg-store-private.h"
#include "vd-policy.h"
#include "vd-roster.h"

#define AUDIT_COLUMNS "seq, timestamp, actor, event, queue, task_id, payload, prev_hash, hash, " \
  "key_id, signature"

/* Rows read per query while verifying. */
#define VERIFY_CHUNK 2000

/*
 * Seals @event onto the head of the open transaction, signs it like the
 * SQLite store does (the actor's unlocked key, else the installation key)
 * and inserts it; the database's trigger checks that it follows the head.
 */
gboolean
_vd_pg_store_append_locked (VdPgStore     *self,
                            VdAuditEvent  *event,
                            GError       **error)
{
  g_autoptr(VdPgParams) params = _vd_pg_params_new ();
  g_autoptr(VdKey) key = NULL;
  g_autofree char *signature = NULL;
  gint64 seq;

  g_assert (self->in_transaction);
  g_assert (VD_IS_AUDIT_EVENT (event));

  seq = self->tx_head_seq + 1;
  vd_audit_event_seal (event, seq, self->tx_head_hash);

  key = vd_signer_dup_key_for_actor (self->signer, vd_audit_event_get_actor (event));
  signature = vd_key_sign_audit_hash (key, vd_audit_event_get_hash (event), error);
  if (signature == NULL)
    return FALSE;
  vd_audit_event_set_signature (event, vd_key_get_id (key), signature);

  _vd_pg_params_add_int (params, seq);
  _vd_pg_params_add_text (params, vd_audit_event_get_timestamp (event));
  _vd_pg_params_add_text (params, vd_audit_event_get_actor (event));
  _vd_pg_params_add_text (params, vd_audit_event_get_event_type (event));
  _vd_pg_params_add_text (params, vd_audit_event_get_queue (event));
  _vd_pg_params_add_text (params, vd_audit_event_get_task_id (event));
  _vd_pg_params_add_text (params, vd_audit_event_get_payload_json (event));
  _vd_pg_params_add_text (params, vd_audit_event_get_prev_hash (event));
  _vd_pg_params_add_text (params, vd_audit_event_get_hash (event));
  _vd_pg_params_add_text (params, vd_audit_event_get_key_id (event));
  _vd_pg_params_add_text (params, vd_audit_event_get_signature (event));

  if (!_vd_pg_store_exec_command (self,
                                  "INSERT INTO audit (" AUDIT_COLUMNS ") "
                                  "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
                                  params, error))
    return FALSE;

  self->tx_head_seq = seq;
  g_strlcpy (self->tx_head_hash, vd_audit_event_get_hash (event), sizeof self->tx_head_hash);
  return TRUE;
}

gboolean
_vd_pg_store_start_signing_locked (VdPgStore  *self,
                                   GError    **error)
{
  g_autoptr(VdAuditEvent) event = NULL;
  VdKey *installation = vd_signer_get_installation_key (self->signer);
  GString *payload;

  payload = _vd_json_object_begin ();
  _vd_json_object_add_string (payload, "installation_key", vd_key_get_id (installation));
  _vd_json_object_add_int (payload, "unsigned_before", self->tx_head_seq + 1);
  event = _vd_audit_event_new_take_json (VD_AUDIT_ACTOR_SYSTEM, VD_AUDIT_SIGNING_STARTED,
                                         NULL, NULL, _vd_json_object_end (payload));

  return _vd_pg_store_append_locked (self, event, error);
}

gboolean
_vd_pg_store_append_audit (VdStore       *store,
                           VdAuditEvent  *event,
                           GError       **error)
{
  VdPgStore *self = VD_PG_STORE (store);
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  if (!_vd_pg_store_begin (self, error))
    return FALSE;
  if (!_vd_pg_store_append_locked (self, event, error))
    {
      _vd_pg_store_rollback (self);
      return FALSE;
    }
  return _vd_pg_store_commit (self, error);
}

static VdAuditEvent *
event_from_row (PGresult *result,
                int       row)
{
  VdAuditEvent *event;

  event = vd_audit_event_new_stored (_vd_pg_get_int (result, row, 0),
                                     PQgetvalue (result, row, 1),
                                     PQgetvalue (result, row, 2),
                                     PQgetvalue (result, row, 3),
                                     PQgetvalue (result, row, 4),
                                     PQgetvalue (result, row, 5),
                                     PQgetvalue (result, row, 6),
                                     PQgetvalue (result, row, 7),
                                     PQgetvalue (result, row, 8));
  vd_audit_event_set_signature (event, _vd_pg_get_text (result, row, 9),
                                _vd_pg_get_text (result, row, 10));
  return event;
}

VdAuditEvent *
_vd_pg_store_get_audit_event (VdStore  *store,
                              gint64    seq,
                              GError  **error)
{
  VdPgStore *self = VD_PG_STORE (store);
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_autoptr(VdPgParams) params = _vd_pg_params_new ();
  g_autoptr(PGresult) result = NULL;

  if (!_vd_pg_store_ensure_connected (self, error))
    return NULL;

  _vd_pg_params_add_int (params, seq);
  result = _vd_pg_store_exec (self, "SELECT " AUDIT_COLUMNS " FROM audit WHERE seq = $1",
                              params, error);
  if (result == NULL)
    return NULL;
  if (PQntuples (result) == 0)
    {
      g_set_error (error, VD_STORE_ERROR, VD_STORE_ERROR_NOT_FOUND,
                   "There is no audit event %" G_GINT64_FORMAT, seq);
      return NULL;
    }
  return event_from_row (result, 0);
}

GPtrArray *
_vd_pg_store_list_audit (VdStore  *store,
                         gint64    from_seq,
                         guint     limit,
                         GError  **error)
{
  VdPgStore *self = VD_PG_STORE (store);
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_autoptr(VdPgParams) params = _vd_pg_params_new ();
  g_autoptr(PGresult) result = NULL;
  GPtrArray *events;

  if (!_vd_pg_store_ensure_connected (self, error))
    return NULL;

  _vd_pg_params_add_int (params, from_seq);
  if (limit > 0)
    _vd_pg_params_add_int (params, limit);
  else
    g_ptr_array_add (params, NULL);
  result = _vd_pg_store_exec (self,
                              "SELECT " AUDIT_COLUMNS " FROM audit WHERE seq >= $1 "
                              "ORDER BY seq LIMIT $2::bigint",
                              params, error);
  if (result == NULL)
    return NULL;

  events = g_ptr_array_new_full (PQntuples (result), g_object_unref);
  for (int i = 0; i < PQntuples (result); i++)
    g_ptr_array_add (events, event_from_row (result, i));
  return events;
}

gboolean
_vd_pg_store_get_audit_head (VdStore  *store,
                             gint64   *seq,
                             char    **hash,
                             GError  **error)
{
  VdPgStore *self = VD_PG_STORE (store);
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_autoptr(PGresult) result = NULL;

  if (!_vd_pg_store_ensure_connected (self, error))
    return FALSE;

  result = _vd_pg_store_exec (self, "SELECT seq, hash FROM audit_head WHERE id = 1", NULL, error);
  if (result == NULL)
    return FALSE;
  if (PQntuples (result) != 1)
    {
      g_set_error_literal (error, VD_STORE_ERROR, VD_STORE_ERROR_FAILED,
                           "The database has no audit head: is its schema complete?");
      return FALSE;
    }

  if (seq != NULL)
    *seq = _vd_pg_get_int (result, 0, 0);
  if (hash != NULL)
    *hash = g_strdup (PQgetvalue (result, 0, 1));
  return TRUE;
}

/* What verification knows of the keys. */
typedef struct
{
  GHashTable *installation;  /* key id -> VdKey: every installation_keys row */
  GHashTable *keys;          /* key id -> VdKey: other keys found */
  GPtrArray  *roster_keys;   /* of every remembered policy's roster */
  VdSigner   *signer;
} Keys;

static VdKey *
lookup_key (Keys       *keys,
            const char *key_id,
            gboolean   *installation)
{
  VdKey *key;

  *installation = FALSE;
  if ((key = g_hash_table_lookup (keys->installation, key_id)) != NULL)
    {
      *installation = TRUE;
      return key;
    }
  if ((key = g_hash_table_lookup (keys->keys, key_id)) != NULL)
    return key;

  key = vd_signer_lookup_known (keys->signer, key_id);
  for (guint i = 0; key == NULL && i < keys->roster_keys->len; i++)
    {
      VdKey *candidate = g_ptr_array_index (keys->roster_keys, i);

      if (g_strcmp0 (vd_key_get_id (candidate), key_id) == 0)
        key = g_object_ref (candidate);
    }
  if (key == NULL)
    return NULL;
  g_hash_table_insert (keys->keys, g_strdup (key_id), key);
  return key;
}

/* One event's signature: NULL when it holds, else the problem. */
static char *
check_signature (Keys          *keys,
                 VdAuditEvent  *event,
                 gint64         signing_from,
                 VdAuditReport *report)
{
  gint64 seq = vd_audit_event_get_seq (event);
  const char *key_id = vd_audit_event_get_key_id (event);
  const char *signature = vd_audit_event_get_signature (event);
  gboolean installation;
  VdKey *key;

  if (key_id == NULL && signature == NULL && seq < signing_from)
    {
      report->n_unsigned++;
      return NULL;
    }
  if (key_id == NULL || signature == NULL)
    return g_strdup_printf ("audit event %" G_GINT64_FORMAT ": not signed", seq);

  key = lookup_key (keys, key_id, &installation);
  if (key == NULL)
    return g_strdup_printf ("audit event %" G_GINT64_FORMAT ": signed by key %s which is not "
                            "known (not this installation's, not in the key folder or the "
                            "roster)",
                            seq, key_id);
  if (!vd_key_verify_audit_hash (key, vd_audit_event_get_hash (event), signature))
    return g_strdup_printf ("audit event %" G_GINT64_FORMAT ": the signature does not verify",
                            seq);
  if (installation)
    {
      report->n_signed_installation++;
      return NULL;
    }
  if (g_strcmp0 (vd_key_get_owner (key), vd_audit_event_get_actor (event)) != 0)
    return g_strdup_printf ("audit event %" G_GINT64_FORMAT ": signed by %s's key %s, but the "
                            "event is %s's", seq, vd_key_get_owner (key), key_id,
                            vd_audit_event_get_actor (event));
  report->n_signed_reviewer++;
  return NULL;
}

static gboolean
load_installation_keys (VdPgStore  *self,
                        Keys       *keys,
                        GError    **error)
{
  g_autoptr(PGresult) result = _vd_pg_store_exec (self,
                                                  "SELECT public_key FROM installation_keys",
                                                  NULL, error);

  g_autoptr(PGresult) policies = NULL;

  if (result == NULL)
    return FALSE;
  for (int i = 0; i < PQntuples (result); i++)
    {
      VdKey *key = vd_key_parse_public (PQgetvalue (result, i, 0), "installation", NULL);

      if (key != NULL)
        g_hash_table_insert (keys->installation, g_strdup (vd_key_get_id (key)), key);
    }

  /* The keys of the rosters of the queues' remembered policies; a policy
   * that does not read has none to offer. */
  policies = _vd_pg_store_exec (self, "SELECT queue, policy FROM queue_policies ORDER BY queue",
                                NULL, error);
  if (policies == NULL)
    return FALSE;
  for (int i = 0; i < PQntuples (policies); i++)
    {
      g_autoptr(VdPolicy) policy = vd_policy_new_from_data (PQgetvalue (policies, i, 1), -1,
                                                            PQgetvalue (policies, i, 0), NULL);
      g_autoptr(GPtrArray) roster_keys = NULL;
      VdRoster *roster;

      if (policy == NULL || (roster = vd_policy_get_roster (policy)) == NULL)
        continue;
      roster_keys = vd_roster_list_keys (roster);
      for (guint j = 0; roster_keys != NULL && j < roster_keys->len; j++)
        g_ptr_array_add (keys->roster_keys, g_object_ref (g_ptr_array_index (roster_keys, j)));
    }
  return TRUE;
}

/* Whether the trail, which ends at @last_seq with @last_hash, ends at its
 * recorded head, and nothing refers to an event after it (the messages
 * are the SQLite backend's). */
static gboolean
check_head (VdPgStore   *self,
            gint64       last_seq,
            const char  *last_hash,
            gint64      *bad_seq,
            GError     **error)
{
  static const struct {
    const char *sql;
    const char *what;
  } references[] = {
    { "SELECT id, audit_seq FROM decisions ORDER BY audit_seq DESC LIMIT 1", "decision" },
    { "SELECT id, audit_seq FROM items ORDER BY audit_seq DESC LIMIT 1", "item" },
  };
  g_autoptr(PGresult) head = NULL;
  gint64 head_seq;

  head = _vd_pg_store_exec (self, "SELECT seq, hash FROM audit_head WHERE id = 1", NULL, error);
  if (head == NULL)
    return FALSE;
  if (PQntuples (head) != 1)
    {
      *bad_seq = last_seq;
      g_set_error (error, VD_STORE_ERROR, VD_STORE_ERROR_FAILED,
                   "audit event %" G_GINT64_FORMAT ": the recorded head of the trail is "
                   "missing", last_seq);
      return FALSE;
    }

  head_seq = _vd_pg_get_int (head, 0, 0);
  if (head_seq > last_seq)
    {
      *bad_seq = last_seq + 1;
      g_set_error (error, VD_STORE_ERROR, VD_STORE_ERROR_FAILED,
                   "audit event %" G_GINT64_FORMAT " is missing: the trail ends at event %"
                   G_GINT64_FORMAT " but its recorded head is event %" G_GINT64_FORMAT,
                   last_seq + 1, last_seq, head_seq);
      return FALSE;
    }
  if (head_seq < last_seq)
    {
      *bad_seq = head_seq + 1;
      g_set_error (error, VD_STORE_ERROR, VD_STORE_ERROR_FAILED,
                   "audit event %" G_GINT64_FORMAT " was not appended by Verdict: "
                   "the recorded head of the trail is event %" G_GINT64_FORMAT,
                   head_seq + 1, head_seq);
      return FALSE;
    }
  if (g_strcmp0 (_vd_pg_get_text (head, 0, 1), last_hash) != 0)
    {
      *bad_seq = last_seq;
      g_set_error (error, VD_STORE_ERROR, VD_STORE_ERROR_FAILED,
                   "audit event %" G_GINT64_FORMAT ": hash differs from the recorded "
                   "head of the trail", last_seq);
      return FALSE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (references); i++)
    {
      g_autoptr(PGresult) row = _vd_pg_store_exec (self, references[i].sql, NULL, error);

      if (row == NULL)
        return FALSE;
      if (PQntuples (row) > 0 && _vd_pg_get_int (row, 0, 1) > last_seq)
        {
          *bad_seq = last_seq + 1;
          g_set_error (error, VD_STORE_ERROR, VD_STORE_ERROR_FAILED,
                       "audit event %" G_GINT64_FORMAT " is missing: %s %" G_GINT64_FORMAT
                       " refers to event %" G_GINT64_FORMAT " but the trail ends at event %"
                       G_GINT64_FORMAT,
                       last_seq + 1, references[i].what, _vd_pg_get_int (row, 0, 0),
                       _vd_pg_get_int (row, 0, 1), last_seq);
          return FALSE;
        }
    }

  return TRUE;
}

/* Checks the chain, every signature and the head, in one snapshot. */
static gboolean
verify_locked (VdPgStore      *self,
               VdAuditReport  *report,
               GError        **error)
{
  g_autoptr(GHashTable) installation = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                              g_object_unref);
  g_autoptr(GHashTable) known = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                       g_object_unref);
  g_autoptr(GPtrArray) roster_keys = g_ptr_array_new_with_free_func (g_object_unref);
  Keys keys = { installation, known, roster_keys, self->signer };
  g_autoptr(PGresult) started = NULL;
  VdAuditChain chain;
  gint64 after = 0;

  vd_audit_chain_init (&chain);
  if (!load_installation_keys (self, &keys, error))
    return FALSE;

  started = _vd_pg_store_exec (self, "SELECT coalesce (min (seq), 0) FROM audit WHERE event = '"
                               VD_AUDIT_SIGNING_STARTED "'", NULL, error);
  if (started == NULL)
    return FALSE;
  report->signing_started_seq = _vd_pg_get_int (started, 0, 0);

  for (;;)
    {
      g_autoptr(VdPgParams) params = _vd_pg_params_new ();
      g_autoptr(PGresult) rows = NULL;
      int n_rows;

      _vd_pg_params_add_int (params, after);
      _vd_pg_params_add_int (params, VERIFY_CHUNK);
      rows = _vd_pg_store_exec (self,
                                "SELECT " AUDIT_COLUMNS " FROM audit WHERE seq > $1 "
                                "ORDER BY seq LIMIT $2",
                                params, error);
      if (rows == NULL)
        return FALSE;
      n_rows = PQntuples (rows);

      for (int i = 0; i < n_rows; i++)
        {
          g_autoptr(VdAuditEvent) event = event_from_row (rows, i);
          g_autofree char *problem = NULL;

          after = vd_audit_event_get_seq (event);
          if (!vd_audit_chain_next (&chain, event, &problem))
            {
              report->bad_seq = chain.expected_seq;
              g_set_error_literal (error, VD_STORE_ERROR, VD_STORE_ERROR_FAILED, problem);
              return FALSE;
            }
          problem = check_signature (&keys, event, MAX (report->signing_started_seq, 1), report);
          if (problem != NULL)
            {
              report->bad_seq = after;
              g_set_error_literal (error, VD_STORE_ERROR, VD_STORE_ERROR_FAILED, problem);
              return FALSE;
            }
        }

      if (n_rows < VERIFY_CHUNK)
        break;
    }

  /* The chain alone cannot see events cut off its end. */
  if (!check_head (self, chain.expected_seq - 1, chain.prev_hash, &report->bad_seq, error))
    return FALSE;

  if (report->signing_started_seq == 0 && chain.expected_seq > 1)
    {
      report->bad_seq = 1;
      g_set_error_literal (error, VD_STORE_ERROR, VD_STORE_ERROR_FAILED,
                           "the audit trail has no signing_started event");
      return FALSE;
    }

  return TRUE;
}

gboolean
_vd_pg_store_verify_audit (VdStore        *store,
                           VdAuditReport  *report,
                           GError        **error)
{
  VdPgStore *self = VD_PG_STORE (store);
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  gboolean ok;

  if (!_vd_pg_store_ensure_connected (self, error) ||
      !_vd_pg_store_exec_command (self, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
                                  NULL, error))
    return FALSE;
  self->in_transaction = TRUE;

  ok = verify_locked (self, report, error);
  _vd_pg_store_rollback (self);

  if (ok)
    report->bad_seq = 0;
  report->n_events = report->n_unsigned + report->n_signed_reviewer +
                     report->n_signed_installation;
  return ok;
}
