/* vd-pg-store-policy.c: the policies a VdPgStore remembers
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

#include "vd-pg-store-private.h"

#define LAST_POLICY_KEY "last_policy"

gboolean
_vd_pg_store_set_queue_policy_locked (VdPgStore   *self,
                                      const char  *queue,
                                      const char  *policy_json,
                                      const char  *policy_source,
                                      gint64       now_usec,
                                      GError     **error)
{
  g_autoptr(VdPgParams) params = _vd_pg_params_new ();

  _vd_pg_params_add_text (params, queue);
  _vd_pg_params_add_text (params, policy_json);
  _vd_pg_params_add_text (params, policy_source != NULL ? policy_source : "");
  _vd_pg_params_add_int (params, now_usec);
  return _vd_pg_store_exec_command (self,
                                    "INSERT INTO queue_policies (queue, policy, source, "
                                    "chosen_at) VALUES ($1, $2, $3, $4) "
                                    "ON CONFLICT (queue) DO UPDATE SET policy = excluded.policy, "
                                    "source = excluded.source, chosen_at = excluded.chosen_at",
                                    params, error);
}

gboolean
_vd_pg_store_get_queue_policy_locked (VdPgStore   *self,
                                      const char  *queue,
                                      char       **policy_json,
                                      char       **policy_source,
                                      GError     **error)
{
  g_autoptr(VdPgParams) params = _vd_pg_params_new ();
  g_autoptr(PGresult) result = NULL;
  gboolean found;

  _vd_pg_params_add_text (params, queue);
  result = _vd_pg_store_exec (self,
                              "SELECT policy, source FROM queue_policies WHERE queue = $1",
                              params, error);
  if (result == NULL)
    return FALSE;

  found = PQntuples (result) == 1;
  *policy_json = found ? g_strdup (PQgetvalue (result, 0, 0)) : NULL;
  if (policy_source != NULL)
    *policy_source = found ? g_strdup (PQgetvalue (result, 0, 1)) : NULL;
  return TRUE;
}

gboolean
_vd_pg_store_set_queue_policy (VdStore     *store,
                               const char  *queue,
                               const char  *policy_json,
                               const char  *policy_source,
                               GError     **error)
{
  VdPgStore *self = VD_PG_STORE (store);
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  if (!_vd_pg_store_ensure_connected (self, error))
    return FALSE;
  return _vd_pg_store_set_queue_policy_locked (self, queue, policy_json, policy_source,
                                               g_get_real_time (), error);
}

gboolean
_vd_pg_store_get_queue_policy (VdStore     *store,
                               const char  *queue,
                               char       **policy_json,
                               char       **policy_source,
                               GError     **error)
{
  VdPgStore *self = VD_PG_STORE (store);
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  if (!_vd_pg_store_ensure_connected (self, error))
    return FALSE;
  return _vd_pg_store_get_queue_policy_locked (self, queue, policy_json, policy_source, error);
}

gboolean
_vd_pg_store_set_last_policy (VdStore     *store,
                              const char  *policy_json,
                              GError     **error)
{
  VdPgStore *self = VD_PG_STORE (store);
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_autoptr(VdPgParams) params = _vd_pg_params_new ();

  if (!_vd_pg_store_ensure_connected (self, error))
    return FALSE;

  _vd_pg_params_add_text (params, policy_json);
  return _vd_pg_store_exec_command (self,
                                    "INSERT INTO meta (key, value) VALUES ('" LAST_POLICY_KEY
                                    "', $1) ON CONFLICT (key) DO UPDATE SET value = "
                                    "excluded.value",
                                    params, error);
}

gboolean
_vd_pg_store_get_last_policy (VdStore  *store,
                              char    **policy_json,
                              GError  **error)
{
  VdPgStore *self = VD_PG_STORE (store);
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_autoptr(PGresult) result = NULL;

  if (!_vd_pg_store_ensure_connected (self, error))
    return FALSE;

  result = _vd_pg_store_exec (self,
                              "SELECT value FROM meta WHERE key = '" LAST_POLICY_KEY "'",
                              NULL, error);
  if (result == NULL)
    return FALSE;
  *policy_json = PQntuples (result) == 1 ? g_strdup (PQgetvalue (result, 0, 0)) : NULL;
  return TRUE;
}
