/* vd-pg-store-sla.c: the deadlines of a VdPgStore (reads only)
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
#include "vd-timestamp.h"

/* Undecided items with a deadline and no fallback yet (index items_sla_due). */
#define DUE_WHERE "sla_fallback IS NULL AND due_at IS NOT NULL " \
  "AND status IN ('pending', 'in_review', 'escalated')"

gboolean
_vd_pg_store_get_next_deadline (VdStore     *store,
                                GDateTime  **due_at,
                                GError     **error)
{
  VdPgStore *self = VD_PG_STORE (store);
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_autoptr(PGresult) result = NULL;

  if (!_vd_pg_store_ensure_connected (self, error))
    return FALSE;

  result = _vd_pg_store_exec (self,
                              "SELECT due_at FROM items WHERE " DUE_WHERE
                              " ORDER BY due_at LIMIT 1",
                              NULL, error);
  if (result == NULL)
    return FALSE;
  *due_at = PQntuples (result) == 1 ? vd_timestamp_from_usec (_vd_pg_get_int (result, 0, 0))
                                    : NULL;
  return TRUE;
}

gboolean
_vd_pg_store_count_due (VdStore     *store,
                        const char  *queue,
                        GDateTime   *before,
                        guint64     *count,
                        GError     **error)
{
  VdPgStore *self = VD_PG_STORE (store);
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_autoptr(VdPgParams) params = _vd_pg_params_new ();
  g_autoptr(PGresult) result = NULL;

  if (!_vd_pg_store_ensure_connected (self, error))
    return FALSE;

  _vd_pg_params_add_int (params, vd_timestamp_to_usec (before));
  _vd_pg_params_add_text (params, queue);
  result = _vd_pg_store_exec (self,
                              "SELECT count (*) FROM items WHERE " DUE_WHERE
                              " AND due_at <= $1 AND ($2::text IS NULL OR queue = $2)",
                              params, error);
  if (result == NULL)
    return FALSE;
  *count = _vd_pg_get_int (result, 0, 0);
  return TRUE;
}

gboolean
_vd_pg_store_get_sla_record (VdStore      *store,
                             gint64        item_id,
                             VdSlaRecord  *record,
                             GError      **error)
{
  VdPgStore *self = VD_PG_STORE (store);
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_autoptr(VdPgParams) params = _vd_pg_params_new ();
  g_autoptr(PGresult) result = NULL;

  memset (record, 0, sizeof *record);
  if (!_vd_pg_store_ensure_connected (self, error))
    return FALSE;

  _vd_pg_params_add_int (params, item_id);
  result = _vd_pg_store_exec (self,
                              "SELECT sla_fallback, sla_configured, sla_rule, sla_deadline, "
                              "sla_applied_at FROM items WHERE id = $1",
                              params, error);
  if (result == NULL)
    return FALSE;
  if (PQntuples (result) == 0)
    {
      g_set_error (error, VD_STORE_ERROR, VD_STORE_ERROR_NOT_FOUND,
                   "No item with id %" G_GINT64_FORMAT, item_id);
      return FALSE;
    }

  if (_vd_pg_is_null (result, 0, 0) ||
      !vd_sla_fallback_from_string (PQgetvalue (result, 0, 0), &record->fallback))
    return TRUE;

  record->applied = TRUE;
  if (!vd_sla_fallback_from_string (PQgetvalue (result, 0, 1), &record->configured))
    record->configured = record->fallback;
  record->rule = g_strdup (PQgetvalue (result, 0, 2));
  record->deadline = vd_timestamp_from_usec (_vd_pg_get_int (result, 0, 3));
  record->applied_at = vd_timestamp_from_usec (_vd_pg_get_int (result, 0, 4));
  return TRUE;
}

/* The load on the reviewers at @now, in one snapshot. */
gboolean
_vd_pg_store_get_workload (VdStore     *store,
                           const char  *queue,
                           GDateTime   *now,
                           VdWorkload  *workload,
                           GError     **error)
{
  VdPgStore *self = VD_PG_STORE (store);
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_autoptr(VdPgParams) params = _vd_pg_params_new ();
  g_autoptr(PGresult) result = NULL;
  gint64 now_usec = vd_timestamp_to_usec (now);

  if (!_vd_pg_store_ensure_connected (self, error))
    return FALSE;

  _vd_pg_params_add_text (params, queue);
  _vd_pg_params_add_int (params, now_usec);
  _vd_pg_params_add_int (params, now_usec - G_TIME_SPAN_HOUR);
  _vd_pg_params_add_int (params, now_usec - G_TIME_SPAN_DAY);
  result = _vd_pg_store_exec (self,
                              "SELECT "
                              "(SELECT count (*) FROM items WHERE status IN ('pending', "
                              "'in_review', 'escalated') AND ($1::text IS NULL OR queue = $1)), "
                              "(SELECT count (due_at) FROM items WHERE status IN ('pending', "
                              "'in_review', 'escalated') AND ($1::text IS NULL OR queue = $1)), "
                              "(SELECT count (*) FILTER (WHERE imported_at > $3::bigint) FROM items "
                              "WHERE imported_at > $4::bigint AND imported_at <= $2::bigint "
                              "AND ($1::text IS NULL OR queue = $1)), "
                              "(SELECT count (*) FROM items WHERE imported_at > $4::bigint "
                              "AND imported_at <= $2::bigint AND ($1::text IS NULL OR queue = $1)), "
                              "(SELECT count (*) FILTER (WHERE timestamp > $3::bigint) "
                              "FROM decisions WHERE timestamp > $4::bigint "
                              "AND timestamp <= $2::bigint AND automatic = 0 "
                              "AND retracted_seq IS NULL AND bulk_id IS NULL "
                              "AND ($1::text IS NULL OR queue = $1)), "
                              "(SELECT count (*) FROM decisions WHERE timestamp > $4::bigint "
                              "AND timestamp <= $2::bigint AND automatic = 0 "
                              "AND retracted_seq IS NULL AND bulk_id IS NULL "
                              "AND ($1::text IS NULL OR queue = $1))",
                              params, error);
  if (result == NULL)
    return FALSE;

  workload->pending = _vd_pg_get_int (result, 0, 0);
  workload->with_deadline = _vd_pg_get_int (result, 0, 1);
  workload->arrivals_hour = _vd_pg_get_int (result, 0, 2);
  workload->arrivals_day = _vd_pg_get_int (result, 0, 3);
  workload->decisions_hour = _vd_pg_get_int (result, 0, 4);
  workload->decisions_day = _vd_pg_get_int (result, 0, 5);
  return TRUE;
}

/* The items that would be late if the k-th in deadline order were decided
 * at now + k * @usec_per_item. */
gboolean
_vd_pg_store_count_late (VdStore     *store,
                         const char  *queue,
                         GDateTime   *now,
                         gint64       usec_per_item,
                         guint64     *count,
                         GError     **error)
{
  VdPgStore *self = VD_PG_STORE (store);
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_autoptr(VdPgParams) params = _vd_pg_params_new ();
  g_autoptr(PGresult) result = NULL;

  if (!_vd_pg_store_ensure_connected (self, error))
    return FALSE;

  _vd_pg_params_add_int (params, vd_timestamp_to_usec (now));
  _vd_pg_params_add_int (params, usec_per_item);
  _vd_pg_params_add_text (params, queue);
  result = _vd_pg_store_exec (self,
                              "SELECT count (*) FROM (SELECT due_at, row_number () OVER "
                              "(ORDER BY due_at, id) AS k FROM items WHERE status IN "
                              "('pending', 'in_review', 'escalated') AND due_at IS NOT NULL "
                              "AND ($3::text IS NULL OR queue = $3)) t "
                              "WHERE $1::bigint + k * $2::bigint > due_at",
                              params, error);
  if (result == NULL)
    return FALSE;
  *count = _vd_pg_get_int (result, 0, 0);
  return TRUE;
}
