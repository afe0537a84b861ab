/* vd-pg-store-query.c: reading the items of a VdPgStore
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

#include <math.h>

#include "vd-pg-store-private.h"
#include "vd-timestamp.h"

#define N_STATUSES (VD_TASK_STATUS_ESCALATED + 1)

static JsonObject *
parse_object (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  JsonNode *root;

  if (json != NULL && json_parser_load_from_data (parser, json, -1, NULL) &&
      (root = json_parser_get_root (parser)) != NULL && JSON_NODE_HOLDS_OBJECT (root))
    return json_object_ref (json_node_get_object (root));

  return json_object_new ();
}

VdItem *
_vd_pg_store_item_from_row (PGresult *result,
                            int       row)
{
  g_autoptr(VdItem) item = NULL;
  g_autoptr(JsonObject) metadata = NULL;
  g_autoptr(GDateTime) created_at = NULL;
  VdEscalationReason reason = VD_ESCALATION_REASON_NONE;
  VdTaskStatus status = VD_TASK_STATUS_PENDING;

  item = vd_item_new (PQgetvalue (result, row, 1), PQgetvalue (result, row, 2));
  vd_item_set_id (item, _vd_pg_get_int (result, row, 0));
  vd_item_set_task_description (item, PQgetvalue (result, row, 3));
  vd_item_set_task_type (item, PQgetvalue (result, row, 4));
  vd_item_set_context (item, PQgetvalue (result, row, 5));
  vd_item_set_content (item, PQgetvalue (result, row, 6));
  if (_vd_pg_is_null (result, row, 7))
    vd_item_clear_confidence (item);
  else
    vd_item_set_confidence (item, _vd_pg_get_double (result, row, 7));
  vd_item_set_reasoning (item, PQgetvalue (result, row, 8));

  metadata = parse_object (PQgetvalue (result, row, 9));
  vd_item_set_metadata (item, metadata);

  if (!_vd_pg_is_null (result, row, 10))
    vd_escalation_reason_from_string (PQgetvalue (result, row, 10), &reason);
  vd_item_set_escalation_reason (item, reason);
  vd_item_set_escalation_detail (item, PQgetvalue (result, row, 11));

  created_at = vd_timestamp_from_usec (_vd_pg_get_int (result, row, 12));
  vd_item_set_timestamp (item, created_at);
  if (!_vd_pg_is_null (result, row, 13))
    {
      g_autoptr(GDateTime) due_at = vd_timestamp_from_usec (_vd_pg_get_int (result, row, 13));

      vd_item_set_due_at (item, due_at);
    }

  vd_item_set_priority (item, _vd_pg_get_int (result, row, 14));
  vd_item_set_revision (item, _vd_pg_get_int (result, row, 15));
  vd_task_status_from_string (PQgetvalue (result, row, 16), &status);
  vd_item_set_status (item, status);
  if (!_vd_pg_is_null (result, row, 17))
    vd_item_set_expected_decision (item, PQgetvalue (result, row, 17));

  for (int column = 18; column <= 20; column++)
    if (!_vd_pg_is_null (result, row, column))
      g_object_set (item,
                    column == 18 ? "task-content-type" :
                    column == 19 ? "context-content-type" : "output-content-type",
                    PQgetvalue (result, row, column), NULL);

  if (!_vd_pg_is_null (result, row, 21))
    {
      g_autoptr(JsonObject) source = parse_object (PQgetvalue (result, row, 21));

      vd_item_set_source (item, source);
    }

  vd_item_set_reviews_required (item, _vd_pg_get_int (result, row, 22) == 2 ? 2 : 1);
  vd_item_set_n_reviews (item, _vd_pg_get_int (result, row, 23));

  return g_steal_pointer (&item);
}

VdItem *
_vd_pg_store_find_item (VdPgStore   *self,
                        const char  *queue,
                        const char  *task_id,
                        GError     **error)
{
  g_autoptr(VdPgParams) params = _vd_pg_params_new ();
  g_autoptr(PGresult) result = NULL;
  g_autoptr(VdItem) item = NULL;
  g_autoptr(GPtrArray) one = NULL;
  int n;

  _vd_pg_params_add_text (params, task_id);
  if (queue != NULL)
    {
      _vd_pg_params_add_text (params, queue);
      result = _vd_pg_store_exec (self,
                                  "SELECT " VD_PG_ITEM_COLUMNS " FROM items "
                                  "WHERE task_id = $1 AND queue = $2",
                                  params, error);
    }
  else
    {
      result = _vd_pg_store_exec (self,
                                  "SELECT " VD_PG_ITEM_COLUMNS " FROM items "
                                  "WHERE task_id = $1 ORDER BY queue",
                                  params, error);
    }
  if (result == NULL)
    return NULL;

  n = PQntuples (result);
  if (n == 0)
    {
      if (queue != NULL)
        g_set_error (error, VD_STORE_ERROR, VD_STORE_ERROR_NOT_FOUND,
                     "No item %s in queue %s", task_id, queue);
      else
        g_set_error (error, VD_STORE_ERROR, VD_STORE_ERROR_NOT_FOUND,
                     "No item %s in any queue", task_id);
      return NULL;
    }
  if (n > 1)
    {
      g_autoptr(GString) queues = g_string_new (NULL);

      for (int i = 0; i < n; i++)
        g_string_append_printf (queues, "%s%s", i > 0 ? ", " : "", PQgetvalue (result, i, 1));
      g_set_error (error, VD_STORE_ERROR, VD_STORE_ERROR_AMBIGUOUS,
                   "Item %s is in several queues (%s): pass --queue to choose one",
                   task_id, queues->str);
      return NULL;
    }

  item = _vd_pg_store_item_from_row (result, 0);
  one = g_ptr_array_new ();
  g_ptr_array_add (one, item);
  if (!_vd_pg_store_load_attachments (self, one, error))
    return NULL;
  return g_steal_pointer (&item);
}

VdItem *
_vd_pg_store_get_item (VdStore     *store,
                       const char  *queue,
                       const char  *task_id,
                       GError     **error)
{
  VdPgStore *self = VD_PG_STORE (store);
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  if (!_vd_pg_store_ensure_connected (self, error))
    return NULL;
  return _vd_pg_store_find_item (self, queue, task_id, error);
}

GPtrArray *
_vd_pg_store_get_items_by_id (VdStore       *store,
                              const gint64  *ids,
                              guint          n_ids,
                              GError       **error)
{
  VdPgStore *self = VD_PG_STORE (store);
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_autoptr(VdPgParams) params = _vd_pg_params_new ();
  g_autoptr(PGresult) result = NULL;
  g_autoptr(GString) array = g_string_new ("{");
  g_autoptr(GHashTable) by_id = NULL;
  GPtrArray *items;

  if (!_vd_pg_store_ensure_connected (self, error))
    return NULL;

  for (guint i = 0; i < n_ids; i++)
    g_string_append_printf (array, "%s%" G_GINT64_FORMAT, i > 0 ? "," : "", ids[i]);
  g_string_append_c (array, '}');
  _vd_pg_params_add_text (params, array->str);

  result = _vd_pg_store_exec (self,
                              "SELECT " VD_PG_ITEM_COLUMNS " FROM items "
                              "WHERE id = ANY ($1::bigint[])",
                              params, error);
  if (result == NULL)
    return NULL;

  /* In the order asked; an id without a row fails the call, as the
   * interface says. */
  by_id = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_object_unref);
  for (int i = 0; i < PQntuples (result); i++)
    {
      VdItem *item = _vd_pg_store_item_from_row (result, i);
      gint64 id = vd_item_get_id (item);

      g_hash_table_replace (by_id, g_memdup2 (&id, sizeof id), item);
    }

  items = g_ptr_array_new_full (n_ids, g_object_unref);
  for (guint i = 0; i < n_ids; i++)
    {
      VdItem *item = g_hash_table_lookup (by_id, &ids[i]);

      if (item == NULL)
        {
          g_set_error (error, VD_STORE_ERROR, VD_STORE_ERROR_NOT_FOUND,
                       "No item with row id %" G_GINT64_FORMAT, ids[i]);
          g_ptr_array_unref (items);
          return NULL;
        }
      g_ptr_array_add (items, g_object_ref (item));
    }
  if (!_vd_pg_store_load_attachments (self, items, error))
    {
      g_ptr_array_unref (items);
      return NULL;
    }
  return items;
}

/* Appends the WHERE clause for @query, its values to @params. */
static void
append_where (GString           *sql,
              VdPgParams        *params,
              const VdItemQuery *query)
{
  const char *glue = " WHERE ";
  guint all = (1u << N_STATUSES) - 1;
  guint statuses = query->statuses != 0 ? query->statuses & all : all;

  if (statuses != all)
    {
      gboolean first = TRUE;

      g_string_append_printf (sql, "%sstatus IN (", glue);
      for (guint s = 0; s < N_STATUSES; s++)
        {
          if ((statuses & VD_STATUS_MASK (s)) == 0)
            continue;
          g_string_append_printf (sql, "%s'%s'", first ? "" : ", ", vd_task_status_to_string (s));
          first = FALSE;
        }
      if (first)
        g_string_append (sql, "NULL");
      g_string_append_c (sql, ')');
      glue = " AND ";
    }

  if (query->queue != NULL)
    {
      _vd_pg_params_add_text (params, query->queue);
      g_string_append_printf (sql, "%squeue = $%u", glue, params->len);
      glue = " AND ";
    }

  if (query->reason == VD_ESCALATION_REASON_NONE)
    {
      g_string_append_printf (sql, "%sescalation_reason IS NULL", glue);
      glue = " AND ";
    }
  else if (query->reason > VD_ESCALATION_REASON_NONE &&
           query->reason <= VD_ESCALATION_REASON_REVIEWERS_DISAGREE)
    {
      _vd_pg_params_add_text (params, vd_escalation_reason_to_string (query->reason));
      g_string_append_printf (sql, "%sescalation_reason = $%u", glue, params->len);
      glue = " AND ";
    }

  if (query->four_eyes)
    {
      g_string_append_printf (sql, "%sreviews_required > 1", glue);
      glue = " AND ";
    }

  if (query->task_type != NULL)
    {
      _vd_pg_params_add_text (params, query->task_type);
      g_string_append_printf (sql, "%stask_type = $%u", glue, params->len);
      glue = " AND ";
    }

  if (query->search != NULL && query->search[0] != '\0')
    {
      g_autoptr(GString) pattern = g_string_new ("%");
      g_autofree char *folded = _vd_pg_casefold (query->search);

      /* A substring of one field, caseless: the folded needle in the
       * folded fields. */
      for (const char *p = folded; *p != '\0'; p++)
        {
          if (*p == '%' || *p == '_' || *p == '\\')
            g_string_append_c (pattern, '\\');
          g_string_append_c (pattern, *p);
        }
      g_string_append_c (pattern, '%');
      _vd_pg_params_add_text (params, pattern->str);
      g_string_append_printf (sql, "%ssearch_text LIKE $%u", glue, params->len);
    }
}

static void
append_order (GString           *sql,
              const VdItemQuery *query)
{
  const char *dir = query->descending ? "DESC" : "ASC";

  switch (query->sort)
    {
    case VD_SORT_ORDER_CONFIDENCE:
      /* SQLite puts NULL first ascending: so does this. */
      g_string_append_printf (sql, " ORDER BY confidence %s NULLS %s, id %s", dir,
                              query->descending ? "LAST" : "FIRST", dir);
      break;

    case VD_SORT_ORDER_DUE:
      g_string_append_printf (sql, " ORDER BY due_at IS NULL, due_at %s, id %s", dir, dir);
      break;

    case VD_SORT_ORDER_CREATED:
    default:
      g_string_append_printf (sql, " ORDER BY created_at %s, id %s", dir, dir);
      break;
    }
}

GArray *
_vd_pg_store_list_ids (VdStore           *store,
                       const VdItemQuery *query,
                       GError           **error)
{
  VdPgStore *self = VD_PG_STORE (store);
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_autoptr(VdPgParams) params = _vd_pg_params_new ();
  g_autoptr(GString) sql = g_string_new ("SELECT id FROM items");
  g_autoptr(PGresult) result = NULL;
  GArray *ids;

  if (!_vd_pg_store_ensure_connected (self, error))
    return NULL;

  append_where (sql, params, query);
  append_order (sql, query);
  if (query->limit > 0)
    g_string_append_printf (sql, " LIMIT %u", query->limit);
  if (query->offset > 0)
    g_string_append_printf (sql, " OFFSET %u", query->offset);

  result = _vd_pg_store_exec (self, sql->str, params, error);
  if (result == NULL)
    return NULL;

  ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), PQntuples (result));
  for (int i = 0; i < PQntuples (result); i++)
    {
      gint64 id = _vd_pg_get_int (result, i, 0);

      g_array_append_val (ids, id);
    }
  return ids;
}

gboolean
_vd_pg_store_count_items (VdStore           *store,
                          const VdItemQuery *query,
                          guint64           *count,
                          GError           **error)
{
  VdPgStore *self = VD_PG_STORE (store);
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_autoptr(VdPgParams) params = _vd_pg_params_new ();
  g_autoptr(GString) sql = g_string_new ("SELECT count (*) FROM items");
  g_autoptr(PGresult) result = NULL;

  if (!_vd_pg_store_ensure_connected (self, error))
    return FALSE;

  append_where (sql, params, query);
  result = _vd_pg_store_exec (self, sql->str, params, error);
  if (result == NULL)
    return FALSE;

  *count = _vd_pg_get_int (result, 0, 0);
  return TRUE;
}

GStrv
_vd_pg_store_list_queues (VdStore  *store,
                          GError  **error)
{
  VdPgStore *self = VD_PG_STORE (store);
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(PGresult) result = NULL;

  if (!_vd_pg_store_ensure_connected (self, error))
    return NULL;

  result = _vd_pg_store_exec (self, "SELECT DISTINCT queue FROM items ORDER BY queue", NULL,
                              error);
  if (result == NULL)
    return NULL;

  for (int i = 0; i < PQntuples (result); i++)
    g_strv_builder_add (builder, PQgetvalue (result, i, 0));
  return g_strv_builder_end (builder);
}

GPtrArray *
_vd_pg_store_list_revisions (VdStore  *store,
                             gint64    item_id,
                             GError  **error)
{
  VdPgStore *self = VD_PG_STORE (store);
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_autoptr(VdPgParams) params = _vd_pg_params_new ();
  g_autoptr(PGresult) result = NULL;
  GPtrArray *revisions;

  if (!_vd_pg_store_ensure_connected (self, error))
    return NULL;

  _vd_pg_params_add_int (params, item_id);
  result = _vd_pg_store_exec (self,
                              "SELECT revision, content, confidence, reasoning, metadata, "
                              "feedback, created_at FROM revisions WHERE item_id = $1 "
                              "ORDER BY revision",
                              params, error);
  if (result == NULL)
    return NULL;

  revisions = g_ptr_array_new_with_free_func (g_object_unref);
  for (int i = 0; i < PQntuples (result); i++)
    {
      g_autoptr(JsonObject) metadata = parse_object (PQgetvalue (result, i, 4));
      g_autoptr(GDateTime) created_at = vd_timestamp_from_usec (_vd_pg_get_int (result, i, 6));

      g_ptr_array_add (revisions,
                       vd_revision_new (_vd_pg_get_int (result, i, 0),
                                        PQgetvalue (result, i, 1),
                                        _vd_pg_is_null (result, i, 2) ?
                                        NAN : _vd_pg_get_double (result, i, 2),
                                        PQgetvalue (result, i, 3),
                                        metadata,
                                        PQgetvalue (result, i, 5),
                                        created_at));
    }
  return revisions;
}

GBytes *
_vd_pg_store_read_attachment (VdStore       *store,
                              const char    *sha256,
                              GCancellable  *cancellable,
                              GError       **error)
{
  VdPgStore *self = VD_PG_STORE (store);
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_autoptr(VdPgParams) params = _vd_pg_params_new ();
  g_autoptr(PGresult) result = NULL;
  size_t length = 0;
  guchar *data;
  GBytes *bytes;

  if (!_vd_pg_store_ensure_connected (self, error))
    return NULL;

  _vd_pg_params_add_text (params, sha256);
  result = _vd_pg_store_exec (self,
                              "SELECT data FROM attachments WHERE sha256 = $1 "
                              "AND data IS NOT NULL LIMIT 1",
                              params, error);
  if (result == NULL)
    return NULL;
  if (PQntuples (result) == 0)
    {
      g_set_error (error, VD_STORE_ERROR, VD_STORE_ERROR_NOT_FOUND,
                   "No attachment with SHA-256 %s", sha256);
      return NULL;
    }

  data = PQunescapeBytea ((const guchar *) PQgetvalue (result, 0, 0), &length);
  if (data == NULL)
    {
      g_set_error_literal (error, VD_STORE_ERROR, VD_STORE_ERROR_FAILED,
                           "Could not read the attachment: out of memory");
      return NULL;
    }
  bytes = g_bytes_new (data, length);
  PQfreemem (data);

  /* Damaged bytes are an error, never shown as if they were what was
   * imported. */
  {
    g_autofree char *found = vd_sha256_hex (g_bytes_get_data (bytes, NULL),
                                            g_bytes_get_size (bytes));

    if (!g_str_equal (found, sha256))
      {
        g_set_error (error, VD_STORE_ERROR, VD_STORE_ERROR_FAILED,
                     "The attachment %s in the database does not match its SHA-256", sha256);
        g_bytes_unref (bytes);
        return NULL;
      }
  }
  return bytes;
}

/* The workflow statistics, by scanning (SQLite keeps them in tables). */
gboolean
_vd_pg_store_get_stats (VdStore     *store,
                        const char  *queue,
                        VdStats     *stats,
                        GError     **error)
{
  VdPgStore *self = VD_PG_STORE (store);
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_autoptr(VdPgParams) params = _vd_pg_params_new ();
  g_autoptr(PGresult) items = NULL;
  g_autoptr(PGresult) decisions = NULL;
  VdStats result = { 0, };

  if (!_vd_pg_store_ensure_connected (self, error))
    return FALSE;

  _vd_pg_params_add_text (params, queue);
  /* One statement each, and both in one snapshot. */
  if (!_vd_pg_store_exec_command (self, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
                                  NULL, error))
    return FALSE;
  self->in_transaction = TRUE;

  items = _vd_pg_store_exec (self,
                             "SELECT count (*), "
                             "count (*) FILTER (WHERE status IN ('pending', 'in_review', "
                             "'escalated')), coalesce (avg (confidence), 0), "
                             "(SELECT count (*) FROM decisions d JOIN items i "
                             "ON i.id = d.item_id AND i.revision = d.revision "
                             "WHERE d.automatic = 1 AND d.reviewer_id = '"
                             VD_AUDIT_ACTOR_POLICY "' AND d.retracted_seq IS NULL "
                             "AND ($1::text IS NULL OR d.queue = $1)) "
                             "FROM items WHERE $1::text IS NULL OR queue = $1",
                             params, error);
  if (items != NULL)
    decisions = _vd_pg_store_exec (self,
                                   "SELECT decision, count (*) FROM decisions "
                                   "WHERE automatic = 0 AND retracted_seq IS NULL "
                                   "AND final = 1 "
                                   "AND ($1::text IS NULL OR queue = $1) GROUP BY decision",
                                   params, error);
  _vd_pg_store_rollback (self);
  if (items == NULL || decisions == NULL)
    return FALSE;

  result.total_tasks = _vd_pg_get_int (items, 0, 0);
  result.pending = _vd_pg_get_int (items, 0, 1);
  result.avg_confidence = _vd_pg_get_double (items, 0, 2);
  result.auto_approved = _vd_pg_get_int (items, 0, 3);
  result.escalated = result.total_tasks - result.auto_approved;

  for (int i = 0; i < PQntuples (decisions); i++)
    {
      VdDecisionKind kind;
      guint64 n = _vd_pg_get_int (decisions, i, 1);

      if (!vd_decision_kind_from_string (PQgetvalue (decisions, i, 0), &kind))
        continue;
      switch (kind)
        {
        case VD_DECISION_KIND_APPROVE:
          result.human_approved = n;
          break;
        case VD_DECISION_KIND_REJECT:
          result.human_rejected = n;
          break;
        case VD_DECISION_KIND_MODIFY:
          result.human_modified = n;
          break;
        case VD_DECISION_KIND_ESCALATE_FURTHER:
          result.human_escalated = n;
          break;
        default:
          break;
        }
    }

  *stats = result;
  return TRUE;
}
