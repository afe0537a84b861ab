/* vd-sqlite-store-roster.c: the roster gate and the decisions' stamps
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

#include "vd-audit-event-private.h"
#include "vd-decision-rules.h"
#include "vd-sqlite-store-private.h"

/* A queue's remembered policy, parsed once per text. */
typedef struct
{
  char     *json;
  VdPolicy *policy;
} QueuePolicy;

static void
queue_policy_free (gpointer data)
{
  QueuePolicy *entry = data;

  g_free (entry->json);
  g_clear_object (&entry->policy);
  g_free (entry);
}

void
_vd_sqlite_store_clear_policies (VdSqliteStore *self)
{
  if (self->queue_policies != NULL)
    g_hash_table_remove_all (self->queue_policies);
}

/* The remembered policy of @queue parsed, or NULL (and no error) when the
 * queue has none. Caller holds the lock. */
static VdPolicy *
queue_policy_locked (VdSqliteStore  *self,
                     const char     *queue,
                     GError        **error)
{
  g_autoptr(VdSqliteCursor) stmt = NULL;
  g_autoptr(GError) local_error = NULL;
  QueuePolicy *entry;
  const char *json;
  int rc;

  if (self->queue_policies == NULL)
    self->queue_policies = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                  queue_policy_free);

  stmt = _vd_sqlite_store_prepare (self, "SELECT policy FROM queue_policies WHERE queue = ?1",
                                   error);
  if (stmt == NULL)
    return NULL;

  _vd_sqlite_bind_text (stmt, 1, queue);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return NULL;
  if (rc != SQLITE_ROW)
    {
      _vd_sqlite_store_set_error (self, error, "Could not read the queue's policy");
      return NULL;
    }

  json = _vd_sqlite_column_text (stmt, 0);
  entry = g_hash_table_lookup (self->queue_policies, queue);
  if (entry != NULL && g_str_equal (entry->json, json))
    return entry->policy;

  entry = g_new0 (QueuePolicy, 1);
  entry->json = g_strdup (json);
  entry->policy = vd_policy_new_from_data (json, -1, queue, &local_error);
  if (entry->policy == NULL)
    {
      /* Fail closed: a roster that does not read refuses every decision. */
      g_set_error (error, VD_STORE_ERROR, VD_STORE_ERROR_FAILED,
                   "The policy remembered for queue %s does not read: %s",
                   queue, local_error->message);
      queue_policy_free (entry);
      return NULL;
    }

  g_hash_table_replace (self->queue_policies, g_strdup (queue), entry);
  return entry->policy;
}

gboolean
_vd_sqlite_store_authorize_locked (VdSqliteStore  *self,
                                   const char     *reviewer_id,
                                   gboolean        escalated,
                                   const char     *queue,
                                   const char     *task_id,
                                   GError        **error)
{
  g_autoptr(GError) local_error = NULL;
  VdPolicy *policy;

  policy = queue_policy_locked (self, queue, &local_error);
  if (policy == NULL && local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  return vd_decision_rules_authorize (self->signer, policy, reviewer_id, escalated, queue,
                                      task_id, error);
}

gboolean
_vd_sqlite_store_stamp_locked (VdSqliteStore  *self,
                               VdDecision     *decision,
                               VdItem         *item,
                               GError        **error)
{
  g_autoptr(GError) local_error = NULL;
  VdPolicy *policy;

  policy = queue_policy_locked (self, vd_item_get_queue (item), &local_error);
  if (policy == NULL && local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  vd_decision_rules_stamp (decision, item, policy, self->signer);

  return TRUE;
}

GPtrArray *
_vd_sqlite_store_list_roster_keys_locked (VdSqliteStore  *self,
                                          GError        **error)
{
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) queues = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(VdSqliteCursor) stmt = NULL;
  int rc;

  stmt = _vd_sqlite_store_prepare (self, "SELECT queue FROM queue_policies ORDER BY queue",
                                   error);
  if (stmt == NULL)
    return NULL;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (queues, g_strdup (_vd_sqlite_column_text (stmt, 0)));
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      _vd_sqlite_store_set_error (self, error, "Could not read the queues' policies");
      return NULL;
    }

  for (guint i = 0; i < queues->len; i++)
    {
      VdPolicy *policy;
      VdRoster *roster;
      g_autoptr(GPtrArray) roster_keys = NULL;

      /* A policy that does not read has no keys to offer. */
      policy = queue_policy_locked (self, g_ptr_array_index (queues, i), NULL);
      if (policy == NULL || (roster = vd_policy_get_roster (policy)) == NULL)
        continue;

      roster_keys = vd_roster_list_keys (roster);
      for (guint j = 0; roster_keys != NULL && j < roster_keys->len; j++)
        g_ptr_array_add (keys, g_object_ref (g_ptr_array_index (roster_keys, j)));
    }

  return g_steal_pointer (&keys);
}
