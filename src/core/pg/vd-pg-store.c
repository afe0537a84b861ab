/* vd-pg-store.c: a store on a PostgreSQL server
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

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gstdio.h>

#include "vd-pg-schema.h"
#include "vd-pg-store-private.h"
#include "vd-timestamp.h"

/* SQLSTATE codes that mean something to a caller. */
#define SQLSTATE_INSUFFICIENT_PRIVILEGE "42501"

static void vd_pg_store_store_iface_init (VdStoreInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (VdPgStore, vd_pg_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (VD_TYPE_STORE,
                                                      vd_pg_store_store_iface_init))

/* Parameters */

VdPgParams *
_vd_pg_params_new (void)
{
  return g_ptr_array_new_with_free_func (g_free);
}

void
_vd_pg_params_add_text (VdPgParams *params,
                        const char *text)
{
  g_ptr_array_add (params, g_strdup (text));
}

void
_vd_pg_params_add_int (VdPgParams *params,
                       gint64      value)
{
  g_ptr_array_add (params, g_strdup_printf ("%" G_GINT64_FORMAT, value));
}

void
_vd_pg_params_add_double (VdPgParams *params,
                          double      value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  g_ptr_array_add (params, g_strdup (g_ascii_dtostr (buffer, sizeof buffer, value)));
}

/* Rows */

gint64
_vd_pg_get_int (PGresult *result,
                int       row,
                int       column)
{
  if (PQgetisnull (result, row, column))
    return 0;
  return g_ascii_strtoll (PQgetvalue (result, row, column), NULL, 10);
}

double
_vd_pg_get_double (PGresult *result,
                   int       row,
                   int       column)
{
  if (PQgetisnull (result, row, column))
    return 0.0;
  return g_ascii_strtod (PQgetvalue (result, row, column), NULL);
}

const char *
_vd_pg_get_text (PGresult *result,
                 int       row,
                 int       column)
{
  if (PQgetisnull (result, row, column))
    return NULL;
  return PQgetvalue (result, row, column);
}

gboolean
_vd_pg_is_null (PGresult *result,
                int       row,
                int       column)
{
  return PQgetisnull (result, row, column);
}

/* Errors and the connection */

/* The SQLSTATEs of a connection that is gone: the connection exceptions
 * (not 08P01, a protocol violation) and the server shutting down. */
static gboolean
is_connection_lost (const char *state)
{
  static const char * const lost[] = {
    "08000", "08003", "08006", "08001", "08004", "57P01", "57P02", "57P03",
  };

  for (guint i = 0; state != NULL && i < G_N_ELEMENTS (lost); i++)
    if (g_str_equal (state, lost[i]))
      return TRUE;
  return FALSE;
}

void
_vd_pg_store_set_error (VdPgStore  *self,
                        PGresult   *result,
                        GError    **error,
                        const char *what)
{
  const char *state = result != NULL ? PQresultErrorField (result, PG_DIAG_SQLSTATE) : NULL;
  const char *text = result != NULL ? PQresultErrorField (result, PG_DIAG_MESSAGE_PRIMARY) : NULL;
  g_autofree char *message = NULL;
  VdStoreError code = VD_STORE_ERROR_FAILED;

  /* The server's own message, without its severity and context lines. */
  if ((text == NULL || *text == '\0') && result != NULL)
    text = PQresultErrorMessage (result);
  if (text == NULL || *text == '\0')
    text = PQerrorMessage (self->conn);
  message = g_strstrip (g_strdup (text));

  if (PQstatus (self->conn) != CONNECTION_OK || is_connection_lost (state))
    code = VD_STORE_ERROR_CONNECTION;
  else if (g_strcmp0 (state, SQLSTATE_INSUFFICIENT_PRIVILEGE) == 0)
    code = VD_STORE_ERROR_PERMISSION;
  else if (g_strcmp0 (state, VD_PG_SQLSTATE_CLAIMED) == 0)
    {
      _vd_pg_store_set_claimed_error (result, error);
      return;
    }

  if (code == VD_STORE_ERROR_CONNECTION)
    g_set_error (error, VD_STORE_ERROR, code,
                 "%s: lost the connection to the database server (%s)", what, message);
  else
    g_set_error (error, VD_STORE_ERROR, code, "%s: %s", what, message);
}

gboolean
_vd_pg_store_ensure_connected (VdPgStore  *self,
                               GError    **error)
{
  if (PQstatus (self->conn) == CONNECTION_OK)
    return TRUE;

  self->in_transaction = FALSE;
  PQreset (self->conn);
  if (PQstatus (self->conn) == CONNECTION_OK)
    return TRUE;

  g_set_error (error, VD_STORE_ERROR, VD_STORE_ERROR_CONNECTION,
               "Could not reconnect to the database server: %s",
               g_strstrip (PQerrorMessage (self->conn)));
  return FALSE;
}

PGresult *
_vd_pg_store_exec (VdPgStore   *self,
                   const char  *sql,
                   VdPgParams  *params,
                   GError     **error)
{
  PGresult *result;
  ExecStatusType status;

  result = PQexecParams (self->conn, sql,
                         params != NULL ? (int) params->len : 0,
                         NULL,
                         params != NULL ? (const char * const *) params->pdata : NULL,
                         NULL, NULL, 0);
  status = PQresultStatus (result);
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK)
    return result;

  _vd_pg_store_set_error (self, result, error,
                          self->in_transaction ? "Could not write to the database"
                                               : "Could not read the database");
  PQclear (result);
  return NULL;
}

gboolean
_vd_pg_store_exec_command (VdPgStore   *self,
                           const char  *sql,
                           VdPgParams  *params,
                           GError     **error)
{
  g_autoptr(PGresult) result = _vd_pg_store_exec (self, sql, params, error);

  return result != NULL;
}

gboolean
_vd_pg_store_begin (VdPgStore  *self,
                    GError    **error)
{
  g_autoptr(PGresult) head = NULL;

  g_assert (!self->in_transaction);

  if (!_vd_pg_store_ensure_connected (self, error) ||
      !_vd_pg_store_exec_command (self, "BEGIN", NULL, error))
    return FALSE;
  self->in_transaction = TRUE;

  /* Every writer locks the head first: one chain, whoever appends. */
  head = _vd_pg_store_exec (self, "SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE",
                            NULL, error);
  if (head == NULL || PQntuples (head) != 1)
    {
      if (head != NULL)
        g_set_error_literal (error, VD_STORE_ERROR, VD_STORE_ERROR_FAILED,
                             "The database has no audit head: is its schema complete?");
      _vd_pg_store_rollback (self);
      return FALSE;
    }

  self->tx_head_seq = _vd_pg_get_int (head, 0, 0);
  g_strlcpy (self->tx_head_hash, PQgetvalue (head, 0, 1), sizeof self->tx_head_hash);
  return TRUE;
}

gboolean
_vd_pg_store_commit (VdPgStore  *self,
                     GError    **error)
{
  g_autoptr(PGresult) result = NULL;

  g_assert (self->in_transaction);
  self->in_transaction = FALSE;

  result = PQexec (self->conn, "COMMIT");
  /* A transaction that failed answers COMMIT with ROLLBACK. */
  if (PQresultStatus (result) != PGRES_COMMAND_OK ||
      g_strcmp0 (PQcmdStatus (result), "COMMIT") != 0)
    {
      const char *state = result != NULL ? PQresultErrorField (result, PG_DIAG_SQLSTATE)
                                         : NULL;

      if (PQresultStatus (result) == PGRES_COMMAND_OK)
        g_set_error_literal (error, VD_STORE_ERROR, VD_STORE_ERROR_FAILED,
                             "The database rolled the transaction back: nothing was saved");
      /* The connection went without the server's answer (an error the
       * server sends, a shutdown's included, means it rolled back): it
       * may have committed before, or not. */
      else if (PQstatus (self->conn) != CONNECTION_OK &&
               (state == NULL || g_str_has_prefix (state, "08")))
        {
          g_autofree char *reason = g_strstrip (g_strdup (PQerrorMessage (self->conn)));
          char *end = strchr (reason, '\n');

          /* libpq's first line; the others guess why. */
          if (end != NULL)
            *end = '\0';
          g_set_error (error, VD_STORE_ERROR, VD_STORE_ERROR_CONNECTION,
                       "The server did not answer the COMMIT (lost the connection to the "
                       "database server: %s): the change may or may not have been saved; "
                       "reload to see", reason);
        }
      else
        _vd_pg_store_set_error (self, result, error,
                                "Could not commit: nothing was saved");
      return FALSE;
    }

  return TRUE;
}

void
_vd_pg_store_rollback (VdPgStore *self)
{
  if (!self->in_transaction)
    return;
  self->in_transaction = FALSE;
  if (PQstatus (self->conn) == CONNECTION_OK)
    PQclear (PQexec (self->conn, "ROLLBACK"));
}

/* The signer */

/* $XDG_DATA_HOME/verdict/installation-keys/<digest of server and
 * database>: the signer's key file is this path with .installation-key. */
static char *
installation_key_base (VdPgStore *self)
{
  g_autofree char *name = NULL;
  g_autofree char *digest = NULL;
  g_autofree char *dir = NULL;
  const char *host = PQhost (self->conn);

  name = g_strdup_printf ("%s:%s/%s", host != NULL ? host : "", PQport (self->conn),
                          PQdb (self->conn));
  digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, name, -1);
  digest[24] = '\0';
  dir = g_build_filename (g_get_user_data_dir (), "verdict", "installation-keys", NULL);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    return NULL;

  return g_build_filename (dir, digest, NULL);
}

/* Registers this installation's public key and learns every other one. */
static gboolean
register_installation_key (VdPgStore  *self,
                           GError    **error)
{
  VdKey *key = vd_signer_get_installation_key (self->signer);
  g_autofree char *public_key = vd_key_format_public (key);
  g_autoptr(VdPgParams) params = _vd_pg_params_new ();
  g_autoptr(PGresult) keys = NULL;

  _vd_pg_params_add_text (params, vd_key_get_id (key));
  _vd_pg_params_add_text (params, public_key);
  _vd_pg_params_add_int (params, g_get_real_time ());
  if (!_vd_pg_store_exec_command (self,
                                  "INSERT INTO installation_keys (key_id, public_key, "
                                  "created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                                  params, error))
    return FALSE;

  keys = _vd_pg_store_exec (self, "SELECT public_key FROM installation_keys", NULL, error);
  if (keys == NULL)
    return FALSE;
  for (int i = 0; i < PQntuples (keys); i++)
    {
      g_autoptr(VdKey) known = vd_key_parse_public (PQgetvalue (keys, i, 0), "installation",
                                                    NULL);

      if (known != NULL)
        vd_signer_add_known_key (self->signer, known);
    }

  return TRUE;
}

/* A new trail starts with signing_started, as SQLite's does. */
static gboolean
start_trail (VdPgStore  *self,
             GError    **error)
{
  if (!_vd_pg_store_begin (self, error))
    return FALSE;
  if (self->tx_head_seq == 0 && !_vd_pg_store_start_signing_locked (self, error))
    {
      _vd_pg_store_rollback (self);
      return FALSE;
    }
  return _vd_pg_store_commit (self, error);
}

static gboolean
connect_store (VdPgStore  *self,
               GError    **error)
{
  g_autoptr(PGresult) user = NULL;
  g_autofree char *base = NULL;
  int version;

  if (self->password != NULL)
    {
      const char *keywords[] = { "dbname", "password", NULL };
      const char *values[] = { self->conninfo, self->password, NULL };

      /* expand_dbname: the connection string's own keywords stay. */
      self->conn = PQconnectdbParams (keywords, values, 1);
    }
  else
    {
      self->conn = PQconnectdb (self->conninfo);
    }

  if (self->conn == NULL || PQstatus (self->conn) != CONNECTION_OK)
    {
      g_set_error (error, VD_STORE_ERROR, VD_STORE_ERROR_CONNECTION,
                   "Could not connect to the database server: %s",
                   self->conn != NULL ? g_strstrip (PQerrorMessage (self->conn))
                                      : "out of memory");
      return FALSE;
    }

  if (!vd_pg_schema_get_version (self->conn, &version, error))
    return FALSE;
  if (version == 0)
    {
      g_set_error (error, VD_STORE_ERROR, VD_STORE_ERROR_VERSION,
                   "The database %s has no Verdict schema: create it with "
                   "“verdict-cli team init”", PQdb (self->conn));
      return FALSE;
    }
  if (version > VD_PG_SCHEMA_VERSION)
    {
      g_set_error (error, VD_STORE_ERROR, VD_STORE_ERROR_VERSION,
                   "The database has schema version %d, newer than this Verdict's (%d)",
                   version, VD_PG_SCHEMA_VERSION);
      return FALSE;
    }

  user = _vd_pg_store_exec (self, "SELECT session_user", NULL, error);
  if (user == NULL)
    return FALSE;
  self->session_user = g_strdup (PQgetvalue (user, 0, 0));

  base = installation_key_base (self);
  if (base == NULL)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "Could not make the folder of installation keys: %s",
                   g_strerror (saved_errno));
      return FALSE;
    }
  self->signer = vd_signer_new_for_database (base, error);
  if (self->signer == NULL)
    return FALSE;

  return register_installation_key (self, error) && start_trail (self, error);
}

/**
 * vd_pg_store_new_full:
 * @conninfo: a libpq connection string (key=value or a postgresql:// URI)
 * @password: (nullable): the password, or %NULL for libpq's own sources
 *   (PGPASSWORD, ~/.pgpass, passfile=)
 *
 * Connects to a database that holds the schema.
 */
VdPgStore *
vd_pg_store_new_full (const char  *conninfo,
                      const char  *password,
                      GError     **error)
{
  g_autoptr(VdPgStore) self = NULL;

  g_return_val_if_fail (conninfo != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (VD_TYPE_PG_STORE, NULL);
  self->conninfo = g_strdup (conninfo);
  self->password = g_strdup (password);

  if (!connect_store (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

VdPgStore *
vd_pg_store_new (const char  *conninfo,
                 GError     **error)
{
  return vd_pg_store_new_full (conninfo, NULL, error);
}

const char *
vd_pg_store_get_conninfo (VdPgStore *self)
{
  g_return_val_if_fail (VD_IS_PG_STORE (self), NULL);

  return self->conninfo;
}

/**
 * vd_pg_store_get_session_user:
 *
 * The role this store is logged in as: the only reviewer id it records
 * human decisions for.
 */
const char *
vd_pg_store_get_session_user (VdPgStore *self)
{
  g_return_val_if_fail (VD_IS_PG_STORE (self), NULL);

  return self->session_user;
}

/**
 * vd_pg_store_allow_any_reviewer:
 *
 * Lets a session of the role that owns the tables (or a superuser), which
 * the database trusts with every row, record decisions, retractions and
 * suggestions under any reviewer id: for moving a SQLite file's history
 * to a server, and for the shared store tests. Their rows still carry the
 * session's role in db_role. Refused with %VD_STORE_ERROR_PERMISSION for
 * any other role.
 *
 * Returns: whether the store now records any reviewer id
 */
gboolean
vd_pg_store_allow_any_reviewer (VdPgStore  *self,
                                GError    **error)
{
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(PGresult) result = NULL;

  g_return_val_if_fail (VD_IS_PG_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  locker = g_mutex_locker_new (&self->lock);
  result = _vd_pg_store_exec (self,
                              "SELECT pg_has_role (session_user, (SELECT relowner FROM pg_class "
                              "WHERE oid = 'public.items'::regclass), 'MEMBER')",
                              NULL, error);
  if (result == NULL)
    return FALSE;
  if (g_strcmp0 (_vd_pg_get_text (result, 0, 0), "t") != 0)
    {
      g_set_error (error, VD_STORE_ERROR, VD_STORE_ERROR_PERMISSION,
                   "%s may not record other reviewers' decisions: only the role that owns "
                   "the Verdict tables may", self->session_user);
      return FALSE;
    }
  self->any_reviewer = TRUE;
  return TRUE;
}

gboolean
_vd_pg_store_may_act_as (VdPgStore  *self,
                         const char *reviewer_id)
{
  return self->any_reviewer || g_strcmp0 (reviewer_id, self->session_user) == 0;
}

static VdSigner *
get_signer (VdStore *store)
{
  return VD_PG_STORE (store)->signer;
}

static void
vd_pg_store_store_iface_init (VdStoreInterface *iface)
{
  iface->import_items = _vd_pg_store_import_items;
  iface->import_stream = _vd_pg_store_import_stream;
  iface->get_item = _vd_pg_store_get_item;
  iface->get_items_by_id = _vd_pg_store_get_items_by_id;
  iface->read_attachment = _vd_pg_store_read_attachment;
  iface->list_ids = _vd_pg_store_list_ids;
  iface->count_items = _vd_pg_store_count_items;
  iface->list_queues = _vd_pg_store_list_queues;
  iface->list_revisions = _vd_pg_store_list_revisions;
  iface->record_decision = _vd_pg_store_record_decision;
  iface->list_decisions = _vd_pg_store_list_decisions;
  iface->get_stats = _vd_pg_store_get_stats;
  iface->append_audit = _vd_pg_store_append_audit;
  iface->list_audit = _vd_pg_store_list_audit;
  iface->get_audit_head = _vd_pg_store_get_audit_head;
  iface->verify_audit = _vd_pg_store_verify_audit;
  iface->retract_decision = _vd_pg_store_retract_decision;
  iface->apply_fallbacks = _vd_pg_store_apply_fallbacks;
  iface->get_next_deadline = _vd_pg_store_get_next_deadline;
  iface->count_due = _vd_pg_store_count_due;
  iface->get_sla_record = _vd_pg_store_get_sla_record;
  iface->set_last_policy = _vd_pg_store_set_last_policy;
  iface->get_last_policy = _vd_pg_store_get_last_policy;
  iface->get_workload = _vd_pg_store_get_workload;
  iface->count_late = _vd_pg_store_count_late;
  iface->list_band = _vd_pg_store_list_band;
  iface->create_bulk_action = _vd_pg_store_create_bulk_action;
  iface->get_bulk_action = _vd_pg_store_get_bulk_action;
  iface->find_open_bulk_action = _vd_pg_store_find_open_bulk_action;
  iface->finish_bulk_action = _vd_pg_store_finish_bulk_action;
  iface->add_suggestion = _vd_pg_store_add_suggestion;
  iface->list_suggestions = _vd_pg_store_list_suggestions;
  iface->foreach_feedback = _vd_pg_store_foreach_feedback;
  iface->foreach_reviewer_decision = _vd_pg_store_foreach_reviewer_decision;
  iface->get_approval_rate = _vd_pg_store_get_approval_rate;
  iface->foreach_calibration = _vd_pg_store_foreach_calibration;
  iface->count_decisions = _vd_pg_store_count_decisions;
  iface->foreach_training_row = _vd_pg_store_foreach_training_row;
  iface->list_decisions_at_head = _vd_pg_store_list_decisions_at_head;
  iface->set_queue_policy = _vd_pg_store_set_queue_policy;
  iface->get_queue_policy = _vd_pg_store_get_queue_policy;
  iface->get_signer = get_signer;
  iface->get_audit_event = _vd_pg_store_get_audit_event;
  iface->watch = _vd_pg_store_watch;
  iface->unwatch = _vd_pg_store_unwatch;
  iface->claim_item = _vd_pg_store_claim_item;
  iface->release_claim = _vd_pg_store_release_claim;
  iface->list_claims = _vd_pg_store_list_claims;
}

static void
vd_pg_store_finalize (GObject *object)
{
  VdPgStore *self = (VdPgStore *)object;

  _vd_pg_store_unwatch (VD_STORE (self));
  g_clear_pointer (&self->conn, PQfinish);
  g_clear_object (&self->signer);
  g_clear_pointer (&self->conninfo, g_free);
  if (self->password != NULL)
    memset (self->password, 0, strlen (self->password));
  g_clear_pointer (&self->password, g_free);
  g_clear_pointer (&self->session_user, g_free);
  g_mutex_clear (&self->lock);
  g_mutex_clear (&self->watch_lock);

  G_OBJECT_CLASS (vd_pg_store_parent_class)->finalize (object);
}

static void
vd_pg_store_class_init (VdPgStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = vd_pg_store_finalize;
}

static void
vd_pg_store_init (VdPgStore *self)
{
  g_mutex_init (&self->lock);
  g_mutex_init (&self->watch_lock);
}
