/* vd-pg-store-calibration.c: the calibration observations of a VdPgStore
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

static const char *
empty_to_null (const char *text)
{
  return text != NULL && text[0] != '\0' ? text : NULL;
}

/*
 * What the SQLite store keeps in stats_calibration, read here from the
 * decisions themselves: the reviewers' one-by-one decisions in force
 * (neither automatic, nor retracted, nor part of a bulk approval), each
 * with the confidence, task type and model of the revision it was about
 * (the revisions row when the item moved on since), whether it approved
 * the output unchanged, and whether the item would reach a reviewer
 * whatever the threshold (escalated for anything but its confidence).
 * Decisions about a revision without a confidence are left out. Ordered
 * as SQLite orders them (no model last, text by its bytes).
 */
gboolean
_vd_pg_store_foreach_calibration (VdStore            *store,
                                  const char         *queue,
                                  const char         *task_type,
                                  VdCalibrationFunc   func,
                                  gpointer            user_data,
                                  GError            **error)
{
  VdPgStore *self = VD_PG_STORE (store);
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_autoptr(VdPgParams) params = _vd_pg_params_new ();
  g_autoptr(PGresult) result = NULL;

  if (!_vd_pg_store_ensure_connected (self, error))
    return FALSE;

  _vd_pg_params_add_text (params, queue);
  _vd_pg_params_add_text (params, task_type);
  result = _vd_pg_store_exec (self,
                              "SELECT confidence, approved, task_type, model, still_reviewed, "
                              "count (*) FROM ("
                              "SELECT COALESCE (r.confidence, i.confidence) AS confidence, "
                              "(d.decision = 'approve' AND d.modified_content = '') AS approved, "
                              "i.task_type COLLATE \"C\" AS task_type, "
                              "(COALESCE (r.metadata, i.metadata)::jsonb ->> 'model') "
                              "COLLATE \"C\" AS model, "
                              "COALESCE (i.escalation_reason, '') NOT IN "
                              "('low_confidence', 'none', '') AS still_reviewed "
                              "FROM decisions d JOIN items i ON i.id = d.item_id "
                              "LEFT JOIN revisions r ON r.item_id = d.item_id "
                              "AND r.revision = d.revision AND d.revision <> i.revision "
                              "WHERE d.automatic = 0 AND d.retracted_seq IS NULL "
                              "AND d.bulk_id IS NULL "
                              "AND COALESCE (r.confidence, i.confidence) IS NOT NULL "
                              "AND ($1::text IS NULL OR d.queue = $1) "
                              "AND ($2::text IS NULL OR i.task_type = $2)) o "
                              "GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4 NULLS LAST, 5",
                              params, error);
  if (result == NULL)
    {
      g_prefix_error (error, "Could not read the calibration observations: ");
      return FALSE;
    }

  for (int i = 0; i < PQntuples (result); i++)
    {
      VdCalibrationObservation observation = {
        .confidence = CLAMP (_vd_pg_get_double (result, i, 0), 0.0, 1.0),
        .approved_unchanged = g_strcmp0 (_vd_pg_get_text (result, i, 1), "t") == 0,
        .task_type = empty_to_null (_vd_pg_get_text (result, i, 2)),
        .model = empty_to_null (_vd_pg_get_text (result, i, 3)),
        .still_reviewed = g_strcmp0 (_vd_pg_get_text (result, i, 4), "t") == 0,
        .count = _vd_pg_get_int (result, i, 5),
      };

      if (!func (&observation, user_data))
        return TRUE;
    }

  return TRUE;
}
