/* vd-sqlite-store-bulk.c: bulk approvals in a VdSqliteStore
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
#include "vd-format.h"
#include "vd-sqlite-store-private.h"
#include "vd-timestamp.h"

/* What a roster refusal of a bulk approve names as the item. */
#define BULK_TASK_LABEL "(bulk approve)"

GArray *
_vd_sqlite_store_list_band (VdStore           *store,
                            const VdBulkBand  *band,
                            GError           **error)
{
  VdSqliteStore *self = VD_SQLITE_STORE (store);
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_autoptr(VdSqliteCursor) stmt = NULL;
  g_autoptr(GArray) members = g_array_new (FALSE, FALSE, sizeof (VdBulkMember));
  g_autoptr(GString) sql = NULL;
  int rc;

  /* Escalated items are left out: someone asked for a closer look. So are
   * items the policy gives to two reviewers: one bulk approve is one. */
  sql = g_string_new ("SELECT id, revision FROM items WHERE queue = ?1 "
                      "AND status IN ('pending', 'in_review') AND reviews_required = 1 "
                      "AND confidence >= ?2 AND confidence <= ?3");
  if (band->task_type != NULL)
    g_string_append (sql, " AND task_type = ?4");
  if (band->reason >= 0)
    g_string_append (sql, " AND escalation_reason = ?5");
  g_string_append (sql, " ORDER BY id");

  stmt = _vd_sqlite_store_prepare_text (self, sql->str, error);
  if (stmt == NULL)
    return NULL;

  _vd_sqlite_bind_text (stmt, 1, band->queue);
  sqlite3_bind_double (stmt, 2, band->min_confidence);
  sqlite3_bind_double (stmt, 3, band->max_confidence);
  if (band->task_type != NULL)
    _vd_sqlite_bind_text (stmt, 4, band->task_type);
  if (band->reason >= 0)
    _vd_sqlite_bind_text (stmt, 5, vd_escalation_reason_to_string (band->reason));

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      VdBulkMember member = { 0, };

      member.item_id = sqlite3_column_int64 (stmt, 0);
      member.revision = sqlite3_column_int (stmt, 1);
      g_array_append_val (members, member);
    }

  if (rc != SQLITE_DONE)
    {
      _vd_sqlite_store_set_error (self, error, "Could not list the band");
      return NULL;
    }

  return g_steal_pointer (&members);
}

static char *
strings_to_json (GPtrArray *strings)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_array (builder);
  for (guint i = 0; i < strings->len; i++)
    json_builder_add_string_value (builder, g_ptr_array_index (strings, i));
  json_builder_end_array (builder);

  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

static GPtrArray *
strings_from_json (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  GPtrArray *strings = g_ptr_array_new_with_free_func (g_free);
  JsonNode *root;

  if (!json_parser_load_from_data (parser, json, -1, NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    return strings;

  for (guint i = 0; i < json_array_get_length (json_node_get_array (root)); i++)
    {
      const char *text = json_array_get_string_element (json_node_get_array (root), i);

      g_ptr_array_add (strings, g_strdup (text != NULL ? text : ""));
    }

  return strings;
}

/* Appends "name":RAW to a payload begun with _vd_json_object_begin() that
 * already has a member. */
static void
add_raw_member (GString    *payload,
                const char *name,
                const char *raw)
{
  g_assert (payload->str[payload->len - 1] != '{');
  g_string_append_printf (payload, ",\"%s\":%s", name, raw);
}

static gboolean
insert_action (VdSqliteStore  *self,
               VdBulkAction   *action,
               const char     *sample_json,
               gint64          now_usec,
               GError        **error)
{
  g_autoptr(VdSqliteCursor) stmt = NULL;

  stmt = _vd_sqlite_store_prepare (self,
                                   "INSERT INTO bulk_actions (queue, band, seed, sample_percent, "
                                   "sample, created_by, created_at, state, audit_seq) "
                                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'sampling', 0)",
                                   error);
  if (stmt == NULL)
    return FALSE;

  _vd_sqlite_bind_text (stmt, 1, action->queue);
  _vd_sqlite_bind_text (stmt, 2, action->band_json);
  sqlite3_bind_int64 (stmt, 3, action->seed);
  sqlite3_bind_double (stmt, 4, action->sample_percent);
  _vd_sqlite_bind_text (stmt, 5, sample_json);
  _vd_sqlite_bind_text (stmt, 6, action->created_by);
  sqlite3_bind_int64 (stmt, 7, now_usec);

  if (!_vd_sqlite_store_step_done (self, stmt, error))
    return FALSE;

  action->id = sqlite3_last_insert_rowid (self->db);
  return TRUE;
}

static gboolean
insert_members (VdSqliteStore  *self,
                VdBulkAction   *action,
                GError        **error)
{
  g_autoptr(VdSqliteCursor) stmt = NULL;

  stmt = _vd_sqlite_store_prepare (self,
                                   "INSERT INTO bulk_items (bulk_id, item_id, revision, sampled) "
                                   "VALUES (?1, ?2, ?3, ?4)",
                                   error);
  if (stmt == NULL)
    return FALSE;

  for (guint i = 0; i < action->members->len; i++)
    {
      VdBulkMember *member = &g_array_index (action->members, VdBulkMember, i);

      sqlite3_bind_int64 (stmt, 1, action->id);
      sqlite3_bind_int64 (stmt, 2, member->item_id);
      sqlite3_bind_int (stmt, 3, member->revision);
      sqlite3_bind_int (stmt, 4, member->sampled ? 1 : 0);

      if (!_vd_sqlite_store_step_done (self, stmt, error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
set_action_audit_seq (VdSqliteStore  *self,
                      gint64          id,
                      gint64          seq,
                      GError        **error)
{
  g_autoptr(VdSqliteCursor) stmt = NULL;

  stmt = _vd_sqlite_store_prepare (self, "UPDATE bulk_actions SET audit_seq = ?2 WHERE id = ?1",
                                   error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_int64 (stmt, 2, seq);

  return _vd_sqlite_store_step_done (self, stmt, error);
}

static gboolean
create_locked (VdSqliteStore  *self,
               VdBulkAction   *action,
               gint64          now_usec,
               GError        **error)
{
  g_autoptr(VdAuditEvent) event = NULL;
  g_autofree char *sample_json = strings_to_json (action->sample);
  GString *payload;

  if (!insert_action (self, action, sample_json, now_usec, error) ||
      !insert_members (self, action, error))
    return FALSE;

  payload = _vd_json_object_begin ();
  _vd_json_object_add_int (payload, "bulk_id", action->id);
  add_raw_member (payload, "band", action->band_json);
  _vd_json_object_add_int (payload, "seed", action->seed);
  _vd_json_object_add_double (payload, "sample_percent", action->sample_percent);
  _vd_json_object_add_int (payload, "band_size", action->members->len);
  add_raw_member (payload, "sample", sample_json);

  event = _vd_audit_event_new_take_json (action->created_by, VD_AUDIT_BULK_SAMPLE,
                                         action->queue, NULL, _vd_json_object_end (payload));

  return _vd_sqlite_store_append_locked (self, event, error) &&
         set_action_audit_seq (self, action->id, vd_audit_event_get_seq (event), error);
}

gboolean
_vd_sqlite_store_create_bulk_action (VdStore       *store,
                                     VdBulkAction  *action,
                                     GError       **error)
{
  VdSqliteStore *self = VD_SQLITE_STORE (store);
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_autoptr(GDateTime) now = vd_timestamp_now ();

  if (!_vd_sqlite_store_begin (self, error))
    return FALSE;

  if (!create_locked (self, action, vd_timestamp_to_usec (now), error))
    {
      action->id = 0;
      _vd_sqlite_store_rollback (self);
      return FALSE;
    }

  if (!_vd_sqlite_store_commit (self, error))
    {
      action->id = 0;
      return FALSE;
    }

  g_clear_pointer (&action->created_at, g_date_time_unref);
  action->created_at = g_date_time_ref (now);
  action->state = VD_BULK_STATE_SAMPLING;

  return TRUE;
}

/* Reading actions back */

static gboolean
read_members (VdSqliteStore  *self,
              VdBulkAction   *action,
              GError        **error)
{
  g_autoptr(VdSqliteCursor) stmt = NULL;
  int rc;

  stmt = _vd_sqlite_store_prepare (self,
                                   "SELECT item_id, revision, sampled FROM bulk_items "
                                   "WHERE bulk_id = ?1 ORDER BY item_id",
                                   error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, action->id);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      VdBulkMember member = { 0, };

      member.item_id = sqlite3_column_int64 (stmt, 0);
      member.revision = sqlite3_column_int (stmt, 1);
      member.sampled = sqlite3_column_int (stmt, 2) != 0;
      g_array_append_val (action->members, member);
    }

  if (rc != SQLITE_DONE)
    {
      _vd_sqlite_store_set_error (self, error, "Could not read the bulk approve");
      return FALSE;
    }

  return TRUE;
}

static VdBulkAction *
read_action_locked (VdSqliteStore  *self,
                    gint64          id,
                    GError        **error)
{
  g_autoptr(VdSqliteCursor) stmt = NULL;
  g_autoptr(VdBulkAction) action = NULL;
  int rc;

  stmt = _vd_sqlite_store_prepare (self,
                                   "SELECT queue, band, seed, sample_percent, sample, "
                                   "created_by, created_at, state, finished_at, outcome, "
                                   "n_approved FROM bulk_actions WHERE id = ?1",
                                   error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, id);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, VD_STORE_ERROR, VD_STORE_ERROR_NOT_FOUND,
                   "There is no bulk approve %" G_GINT64_FORMAT, id);
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      _vd_sqlite_store_set_error (self, error, "Could not read the bulk approve");
      return NULL;
    }

  action = vd_bulk_action_new ();
  action->id = id;
  action->queue = g_strdup (_vd_sqlite_column_text (stmt, 0));
  action->band_json = g_strdup (_vd_sqlite_column_text (stmt, 1));
  action->seed = (guint32) sqlite3_column_int64 (stmt, 2);
  action->sample_percent = sqlite3_column_double (stmt, 3);
  g_ptr_array_unref (action->sample);
  action->sample = strings_from_json (_vd_sqlite_column_text (stmt, 4));
  action->created_by = g_strdup (_vd_sqlite_column_text (stmt, 5));
  action->created_at = vd_timestamp_from_usec (sqlite3_column_int64 (stmt, 6));
  vd_bulk_state_from_string (_vd_sqlite_column_text (stmt, 7), &action->state);
  if (sqlite3_column_type (stmt, 8) != SQLITE_NULL)
    action->finished_at = vd_timestamp_from_usec (sqlite3_column_int64 (stmt, 8));
  g_free (action->outcome);
  action->outcome = g_strdup (_vd_sqlite_column_text (stmt, 9));
  action->n_approved = sqlite3_column_int (stmt, 10);
  sqlite3_reset (stmt);

  if (!read_members (self, action, error))
    return NULL;

  return g_steal_pointer (&action);
}

VdBulkAction *
_vd_sqlite_store_get_bulk_action (VdStore  *store,
                                  gint64    id,
                                  GError  **error)
{
  VdSqliteStore *self = VD_SQLITE_STORE (store);
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  VdBulkAction *action;

  if (!_vd_sqlite_store_exec (self, "BEGIN", error))
    return NULL;

  action = read_action_locked (self, id, error);
  sqlite3_exec (self->db, "COMMIT", NULL, NULL, NULL);

  return action;
}

gboolean
_vd_sqlite_store_find_open_bulk_action (VdStore        *store,
                                        const char     *band_json,
                                        const char     *created_by,
                                        VdBulkAction  **action,
                                        GError        **error)
{
  VdSqliteStore *self = VD_SQLITE_STORE (store);
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_autoptr(VdSqliteCursor) stmt = NULL;
  gboolean ok = TRUE;
  gint64 id = 0;
  int rc;

  if (!_vd_sqlite_store_exec (self, "BEGIN", error))
    return FALSE;

  stmt = _vd_sqlite_store_prepare (self,
                                   "SELECT id FROM bulk_actions WHERE band = ?1 "
                                   "AND created_by = ?2 AND state = 'sampling' "
                                   "ORDER BY id DESC LIMIT 1",
                                   error);
  if (stmt == NULL)
    ok = FALSE;

  if (ok)
    {
      _vd_sqlite_bind_text (stmt, 1, band_json);
      _vd_sqlite_bind_text (stmt, 2, created_by);

      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        id = sqlite3_column_int64 (stmt, 0);
      else if (rc != SQLITE_DONE)
        {
          _vd_sqlite_store_set_error (self, error, "Could not read the bulk approvals");
          ok = FALSE;
        }
      sqlite3_reset (stmt);
    }

  *action = NULL;
  if (ok && id != 0)
    {
      *action = read_action_locked (self, id, error);
      ok = *action != NULL;
    }

  sqlite3_exec (self->db, "COMMIT", NULL, NULL, NULL);

  return ok;
}

/* Finishing: approving the band or cancelling */

/* The sampled members whose standing decision on their sampled revision is
 * not a reviewer's unmodified, one-by-one approval. */
static gboolean
count_failed_samples (VdSqliteStore  *self,
                      gint64          id,
                      guint64        *n_failed,
                      GError        **error)
{
  g_autoptr(VdSqliteCursor) stmt = NULL;

  stmt = _vd_sqlite_store_prepare (self,
                                   "SELECT COUNT(*) FROM bulk_items b "
                                   "JOIN items i ON i.id = b.item_id "
                                   "WHERE b.bulk_id = ?1 AND b.sampled = 1 AND NOT ("
                                   "i.revision = b.revision AND i.status = 'approved' AND "
                                   "EXISTS (SELECT 1 FROM decisions d WHERE d.id = "
                                   "(SELECT MAX (d2.id) FROM decisions d2 "
                                   "WHERE d2.item_id = b.item_id AND d2.retracted_seq IS NULL) "
                                   "AND d.revision = b.revision AND d.decision = 'approve' "
                                   "AND d.automatic = 0 AND d.bulk_id IS NULL))",
                                   error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, id);

  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      _vd_sqlite_store_set_error (self, error, "Could not check the sample");
      return FALSE;
    }

  *n_failed = sqlite3_column_int64 (stmt, 0);
  return TRUE;
}

static gboolean
approve_member (VdSqliteStore  *self,
                VdItem         *item,
                gint64          bulk_id,
                const char     *reviewer_id,
                gint64          now_usec,
                GError        **error)
{
  g_autoptr(VdSqliteCursor) insert = NULL;
  g_autoptr(VdSqliteCursor) update = NULL;
  g_autoptr(VdAuditEvent) event = NULL;
  g_autofree char *content_sha256 = vd_sha256_hex (vd_item_get_content (item), -1);
  g_autoptr(VdDecision) stamps = vd_decision_new (vd_item_get_queue (item),
                                                  vd_item_get_task_id (item),
                                                  VD_DECISION_KIND_APPROVE, reviewer_id);
  GString *payload;

  if (!_vd_sqlite_store_stamp_locked (self, stamps, item, error))
    return FALSE;

  payload = _vd_json_object_begin ();
  _vd_json_object_add_int (payload, "bulk_id", bulk_id);
  _vd_json_object_add_string (payload, "decision",
                              vd_decision_kind_to_string (VD_DECISION_KIND_APPROVE));
  _vd_json_object_add_int (payload, "revision", vd_item_get_revision (item));
  _vd_json_object_add_string (payload, "content_sha256", content_sha256);
  _vd_json_object_add_string (payload, "final_output", vd_item_get_content (item));
  vd_decision_rules_add_stamps (payload, stamps);

  event = _vd_audit_event_new_take_json (reviewer_id, VD_AUDIT_BULK_APPROVE,
                                         vd_item_get_queue (item), vd_item_get_task_id (item),
                                         _vd_json_object_end (payload));
  if (!_vd_sqlite_store_append_locked (self, event, error))
    return FALSE;

  insert = _vd_sqlite_store_prepare (self,
                                     "INSERT INTO decisions (item_id, queue, task_id, revision, "
                                     "decision, feedback, modified_content, reviewer_id, "
                                     "automatic, timestamp, duration_ms, final_output, "
                                     "audit_seq, audit_hash, audit_prev_hash, previous_status, "
                                     "bulk_id, policy_sha256, model, prompt_version, "
                                     "app_version) "
                                     "VALUES (?1, ?2, ?3, ?4, 'approve', '', '', ?5, 0, ?6, 0, "
                                     "?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
                                     error);
  if (insert == NULL)
    return FALSE;

  sqlite3_bind_int64 (insert, 1, vd_item_get_id (item));
  _vd_sqlite_bind_text (insert, 2, vd_item_get_queue (item));
  _vd_sqlite_bind_text (insert, 3, vd_item_get_task_id (item));
  sqlite3_bind_int (insert, 4, vd_item_get_revision (item));
  _vd_sqlite_bind_text (insert, 5, reviewer_id);
  sqlite3_bind_int64 (insert, 6, now_usec);
  _vd_sqlite_bind_text (insert, 7, vd_item_get_content (item));
  sqlite3_bind_int64 (insert, 8, vd_audit_event_get_seq (event));
  _vd_sqlite_bind_text (insert, 9, vd_audit_event_get_hash (event));
  _vd_sqlite_bind_text (insert, 10, vd_audit_event_get_prev_hash (event));
  _vd_sqlite_bind_text (insert, 11, vd_task_status_to_string (vd_item_get_status (item)));
  sqlite3_bind_int64 (insert, 12, bulk_id);
  _vd_sqlite_bind_text_or_null (insert, 13, vd_decision_get_policy_sha256 (stamps));
  _vd_sqlite_bind_text_or_null (insert, 14, vd_decision_get_model (stamps));
  _vd_sqlite_bind_text_or_null (insert, 15, vd_decision_get_prompt_version (stamps));
  _vd_sqlite_bind_text_or_null (insert, 16, vd_decision_get_app_version (stamps));

  if (!_vd_sqlite_store_step_done (self, insert, error))
    return FALSE;

  update = _vd_sqlite_store_prepare (self,
                                     "UPDATE items SET status = 'approved', audit_seq = ?2 "
                                     "WHERE id = ?1",
                                     error);
  if (update == NULL)
    return FALSE;

  sqlite3_bind_int64 (update, 1, vd_item_get_id (item));
  sqlite3_bind_int64 (update, 2, vd_audit_event_get_seq (event));

  return _vd_sqlite_store_step_done (self, update, error);
}

/* Approves every member outside the sample that is still waiting, at the
 * revision the sample vouches for. */
static gboolean
approve_members (VdSqliteStore  *self,
                 gint64          id,
                 const char     *reviewer_id,
                 gint64          now_usec,
                 guint          *n_approved,
                 guint          *n_skipped,
                 GError        **error)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) revisions = g_array_new (FALSE, FALSE, sizeof (int));
  sqlite3_stmt *stmt;
  int rc;

  stmt = _vd_sqlite_store_prepare (self,
                                   "SELECT " VD_SQLITE_ITEM_COLUMNS ", "
                                   "(SELECT b.revision FROM bulk_items b "
                                   "WHERE b.bulk_id = ?1 AND b.item_id = items.id) "
                                   "FROM items WHERE id IN (SELECT item_id FROM bulk_items "
                                   "WHERE bulk_id = ?1 AND sampled = 0) ORDER BY id",
                                   error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, id);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      int revision = sqlite3_column_int (stmt, VD_SQLITE_ITEM_N_COLUMNS);

      g_ptr_array_add (items, _vd_sqlite_store_item_from_row (stmt));
      g_array_append_val (revisions, revision);
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      _vd_sqlite_store_set_error (self, error, "Could not read the band");
      return FALSE;
    }

  for (guint i = 0; i < items->len; i++)
    {
      VdItem *item = g_ptr_array_index (items, i);
      VdTaskStatus status = vd_item_get_status (item);

      /* An item the policy gives to two reviewers is never approved in
       * bulk: it is left alone, among the skipped. */
      if ((status != VD_TASK_STATUS_PENDING && status != VD_TASK_STATUS_IN_REVIEW) ||
          vd_item_get_revision (item) != g_array_index (revisions, int, i) ||
          vd_item_get_reviews_required (item) > 1)
        {
          (*n_skipped)++;
          continue;
        }

      /* An item whose source does not accept an approval is left alone. */
      {
        g_autoptr(VdDecision) approval = vd_decision_new (vd_item_get_queue (item),
                                                          vd_item_get_task_id (item),
                                                          VD_DECISION_KIND_APPROVE,
                                                          reviewer_id);

        if (!vd_format_check_decision (item, approval, NULL))
          {
            (*n_skipped)++;
            continue;
          }
      }

      if (!approve_member (self, item, id, reviewer_id, now_usec, error))
        {
          g_prefix_error (error, "%s: %s: ", vd_item_get_queue (item),
                          vd_item_get_task_id (item));
          return FALSE;
        }
      (*n_approved)++;
    }

  return TRUE;
}

static gboolean
mark_finished (VdSqliteStore  *self,
               gint64          id,
               VdBulkState     state,
               const char     *outcome,
               guint           n_approved,
               gint64          now_usec,
               GError        **error)
{
  g_autoptr(VdSqliteCursor) stmt = NULL;

  stmt = _vd_sqlite_store_prepare (self,
                                   "UPDATE bulk_actions SET state = ?2, finished_at = ?3, "
                                   "outcome = ?4, n_approved = ?5 WHERE id = ?1",
                                   error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, id);
  _vd_sqlite_bind_text (stmt, 2, vd_bulk_state_to_string (state));
  sqlite3_bind_int64 (stmt, 3, now_usec);
  _vd_sqlite_bind_text (stmt, 4, outcome);
  sqlite3_bind_int (stmt, 5, n_approved);

  return _vd_sqlite_store_step_done (self, stmt, error);
}

static gboolean
finish_locked (VdSqliteStore  *self,
               gint64          id,
               const char     *reviewer_id,
               gboolean        approve,
               const char     *outcome,
               guint          *n_approved,
               guint          *n_skipped,
               GError        **error)
{
  g_autoptr(VdBulkAction) action = NULL;
  g_autoptr(GDateTime) now = vd_timestamp_now ();
  gint64 now_usec = vd_timestamp_to_usec (now);

  action = read_action_locked (self, id, error);
  if (action == NULL)
    return FALSE;

  if (action->state != VD_BULK_STATE_SAMPLING)
    {
      g_set_error (error, VD_STORE_ERROR, VD_STORE_ERROR_INVALID,
                   "Bulk approve %" G_GINT64_FORMAT " is already %s: %s",
                   id, vd_bulk_state_to_string (action->state), action->outcome);
      return FALSE;
    }

  if (g_strcmp0 (action->created_by, reviewer_id) != 0)
    {
      g_set_error (error, VD_STORE_ERROR, VD_STORE_ERROR_INVALID,
                   "Bulk approve %" G_GINT64_FORMAT " was asked for by %s: only %s can "
                   "finish it",
                   id, action->created_by, action->created_by);
      return FALSE;
    }

  if (approve)
    {
      g_autofree char *summary = NULL;
      guint64 n_failed = 0;

      if (!count_failed_samples (self, id, &n_failed, error))
        return FALSE;

      if (n_failed > 0)
        {
          g_set_error (error, VD_STORE_ERROR, VD_STORE_ERROR_INVALID,
                       "Bulk approve %" G_GINT64_FORMAT ": %" G_GUINT64_FORMAT " sampled "
                       "item(s) are not approved unmodified by a reviewer: the band is not "
                       "approved",
                       id, n_failed);
          return FALSE;
        }

      /* The roster gate, once for the band: its items are never escalated. */
      if (!_vd_sqlite_store_authorize_locked (self, reviewer_id, FALSE, action->queue,
                                              BULK_TASK_LABEL, error) ||
          !approve_members (self, id, reviewer_id, now_usec, n_approved, n_skipped, error))
        return FALSE;

      summary = g_strdup_printf ("approved %u item(s) after a sample of %u; %u left alone "
                                 "(decided or revised since the sample was drawn)",
                                 *n_approved, action->sample->len, *n_skipped);

      return mark_finished (self, id, VD_BULK_STATE_APPROVED, summary, *n_approved, now_usec,
                            error);
    }
  else
    {
      g_autoptr(VdAuditEvent) event = NULL;
      GString *payload = _vd_json_object_begin ();

      _vd_json_object_add_int (payload, "bulk_id", id);
      _vd_json_object_add_string (payload, "outcome", outcome);
      event = _vd_audit_event_new_take_json (reviewer_id, VD_AUDIT_BULK_CANCEL, action->queue,
                                             NULL, _vd_json_object_end (payload));

      return _vd_sqlite_store_append_locked (self, event, error) &&
             mark_finished (self, id, VD_BULK_STATE_CANCELLED, outcome, 0, now_usec, error);
    }
}

gboolean
_vd_sqlite_store_finish_bulk_action (VdStore     *store,
                                     gint64       id,
                                     const char  *reviewer_id,
                                     gboolean     approve,
                                     const char  *outcome,
                                     guint       *n_approved,
                                     guint       *n_skipped,
                                     GError     **error)
{
  VdSqliteStore *self = VD_SQLITE_STORE (store);
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  guint approved = 0;
  guint skipped = 0;

  if (!_vd_sqlite_store_begin (self, error))
    return FALSE;

  if (!finish_locked (self, id, reviewer_id, approve, outcome, &approved, &skipped, error))
    {
      _vd_sqlite_store_rollback (self);
      return FALSE;
    }

  if (!_vd_sqlite_store_commit (self, error))
    return FALSE;

  if (n_approved != NULL)
    *n_approved = approved;
  if (n_skipped != NULL)
    *n_skipped = skipped;

  return TRUE;
}
