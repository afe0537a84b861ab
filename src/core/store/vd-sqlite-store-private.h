/* vd-sqlite-store-private.h
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

#pragma once

#include <sqlite3.h>

#include "vd-audit-event.h"
#include "vd-decision.h"
#include "vd-item.h"
#include "vd-revision.h"
#include "vd-signer.h"
#include "vd-sqlite-store.h"

G_BEGIN_DECLS

/*
 * The store is split over several files sharing this structure:
 *   vd-sqlite-store.c            object, opening, schema, statements, transactions
 *   vd-sqlite-store-import.c     import_items
 *   vd-sqlite-store-query.c      items: get, list, count, queues, revisions, stats
 *   vd-sqlite-store-decisions.c  record_decision, list_decisions, list_decisions_at_head
 *   vd-sqlite-store-audit.c      the audit trail: append (signed), list, head, verify
 *   vd-sqlite-store-roster.c     the roster gate on human decisions, decision stamps
 *   vd-sqlite-store-retract.c    retract_decision
 *   vd-sqlite-store-sla.c        deadlines, the last policy, the queue policies, the workload
 *   vd-sqlite-store-bulk.c       bulk approvals
 *   vd-sqlite-store-insights.c   feedback, reviewers' decisions, calibration, timeline
 *   vd-sqlite-store-watch.c      live updates: the watcher thread on its own connection
 *   vd-sqlite-store-claims.c     claims with leases, the claim check of a decision
 *
 * Every method takes self->lock for its whole duration: the connection is
 * serialized by SQLite itself, but a multi-statement transaction, or a cached
 * statement being stepped, must never interleave with another thread's.
 */
struct _VdSqliteStore
{
  GObject      parent_instance;

  char        *path;
  sqlite3     *db;
  GMutex       lock;
  GHashTable  *statements;       /* address of literal SQL -> sqlite3_stmt */
  GHashTable  *text_statements;  /* SQL text built at run time -> sqlite3_stmt */

  /* Signs every appended event; the keys verification accepts. Created at
   * open; thread-safe on its own. */
  VdSigner    *signer;
  /* queue -> QueuePolicy: the remembered policies parsed (roster, SHA-256) */
  GHashTable  *queue_policies;

  /* The audit head as of the open write transaction. */
  gboolean     in_transaction;
  gint64       tx_head_seq;
  char         tx_head_hash[65];
  gboolean     tx_head_changed;
  gint64       tx_begin_seq;     /* the head when the transaction began */

  /* The watcher (vd-sqlite-store-watch.c), or NULL. watch_lock guards the
   * pointer only; it is never held with self->lock taken after it. */
  GMutex                 watch_lock;
  struct _VdSqliteWatch *watch;
};

/* A cached statement in use: g_autoptr(VdSqliteCursor) resets it when it
 * goes out of scope, so that no statement keeps a read transaction open.
 * Declare it after the GMutexLocker so that it is reset before unlocking. */
typedef sqlite3_stmt VdSqliteCursor;

static inline void
_vd_sqlite_cursor_reset (VdSqliteCursor *stmt)
{
  sqlite3_reset (stmt);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VdSqliteCursor, _vd_sqlite_cursor_reset)

/* Columns of an item row, in the order _vd_sqlite_store_item_from_row() reads;
 * the last counts the reviews that stand on the current revision (four-eyes
 * review), from the table named items. */
#define VD_SQLITE_ITEM_COLUMNS \
  "id, queue, task_id, task_description, task_type, context, content, confidence, " \
  "reasoning, metadata, escalation_reason, escalation_detail, created_at, due_at, " \
  "priority, revision, status, expected_decision, task_content_type, " \
  "context_content_type, output_content_type, source, reviews_required, " \
  "(SELECT COUNT(*) FROM decisions r WHERE r.item_id = items.id " \
  "AND r.revision = items.revision AND r.final = 0 AND r.retracted_seq IS NULL)"
#define VD_SQLITE_ITEM_N_COLUMNS 24

/* Internal API: the caller holds self->lock. */
sqlite3_stmt *_vd_sqlite_store_prepare         (VdSqliteStore  *self,
                                                const char     *sql,
                                                GError        **error);
sqlite3_stmt *_vd_sqlite_store_prepare_text    (VdSqliteStore  *self,
                                                const char     *sql,
                                                GError        **error);
gboolean      _vd_sqlite_store_step_done       (VdSqliteStore  *self,
                                                sqlite3_stmt   *stmt,
                                                GError        **error);
gboolean      _vd_sqlite_store_exec            (VdSqliteStore  *self,
                                                const char     *sql,
                                                GError        **error);
void          _vd_sqlite_store_set_error       (VdSqliteStore  *self,
                                                GError        **error,
                                                const char     *what);
gboolean      _vd_sqlite_store_begin           (VdSqliteStore  *self,
                                                GError        **error);
gboolean      _vd_sqlite_store_commit          (VdSqliteStore  *self,
                                                GError        **error);
void          _vd_sqlite_store_rollback        (VdSqliteStore  *self);
/* Indexes the items added in this transaction for search; called by
 * _vd_sqlite_store_commit(), so every import commits through it. */
gboolean      _vd_sqlite_store_index_new_items (VdSqliteStore  *self,
                                                GError        **error);
gboolean      _vd_sqlite_store_count_new_rows  (VdSqliteStore  *self,
                                                GError        **error);
/* A bulk load into an empty items table builds its secondary indexes once
 * at the end (vd-sqlite-store-bulk-load.c). */
gboolean      _vd_sqlite_store_defer_item_indexes   (VdSqliteStore  *self,
                                                     GPtrArray     **deferred,
                                                     GError        **error);
gboolean      _vd_sqlite_store_restore_item_indexes (VdSqliteStore  *self,
                                                     GPtrArray      *deferred,
                                                     GError        **error);

void          _vd_sqlite_bind_text             (sqlite3_stmt   *stmt,
                                                int             index,
                                                const char     *text);
void          _vd_sqlite_bind_text_or_null     (sqlite3_stmt   *stmt,
                                                int             index,
                                                const char     *text);
const char   *_vd_sqlite_column_text           (sqlite3_stmt   *stmt,
                                                int             column);
JsonObject   *_vd_sqlite_parse_object          (const char     *json);

/* Registers vd_contains(text, folded) on the connection: whether @text,
 * folded with _vd_sqlite_casefold(), contains @folded. */
gboolean      _vd_sqlite_store_register_functions (VdSqliteStore *self,
                                                   GError       **error);
char         *_vd_sqlite_casefold              (const char     *text,
                                                gssize          length);

VdItem       *_vd_sqlite_store_item_from_row   (sqlite3_stmt   *stmt);

/* Attachments (vd-sqlite-store-attachments.c). Saving replaces the item's
 * list and copies the bytes into the attachments folder; the paths of the
 * files it created are added to @created, for the caller to delete if the
 * transaction rolls back. */
gboolean      _vd_sqlite_store_load_attachments (VdSqliteStore *self,
                                                VdItem         *item,
                                                GError        **error);
gboolean      _vd_sqlite_store_save_attachments (VdSqliteStore *self,
                                                gint64          item_id,
                                                VdItem         *item,
                                                GPtrArray      *created,
                                                GError        **error);
void          _vd_sqlite_store_delete_created  (GPtrArray      *created);
GBytes       *_vd_sqlite_store_read_attachment (VdStore        *store,
                                                const char     *sha256,
                                                GCancellable   *cancellable,
                                                GError        **error);
VdItem       *_vd_sqlite_store_find_item       (VdSqliteStore  *self,
                                                const char     *queue,
                                                const char     *task_id,
                                                GError        **error);

/* Live updates (vd-sqlite-store-watch.c). note_appended tells the watcher
 * which seqs this store's own connection committed, so that it does not
 * announce them. */
gboolean      _vd_sqlite_store_watch           (VdStore        *store,
                                                GError        **error);
void          _vd_sqlite_store_unwatch         (VdStore        *store);
void          _vd_sqlite_store_note_appended   (VdSqliteStore  *self,
                                                gint64          first_seq,
                                                gint64          last_seq);

gboolean      _vd_sqlite_store_append_locked   (VdSqliteStore  *self,
                                                VdAuditEvent   *event,
                                                GError        **error);
gboolean      _vd_sqlite_store_read_head_locked (VdSqliteStore *self,
                                                gint64         *seq,
                                                char          **hash,
                                                GError        **error);

/* The roster gate and the stamps (vd-sqlite-store-roster.c). The roster
 * in force for @queue is the roster of the queue's remembered policy, else
 * the signer's. Refusals are VD_KEY_ERROR_NOT_ALLOWED / _LOCKED errors
 * naming the reviewer, the item and what is missing. */
gboolean      _vd_sqlite_store_authorize_locked (VdSqliteStore *self,
                                                const char     *reviewer_id,
                                                gboolean        escalated,
                                                const char     *queue,
                                                const char     *task_id,
                                                GError        **error);
/* Sets the decision's stamps (app version, policy SHA-256, model, prompt
 * version) for a decision on @item. */
gboolean      _vd_sqlite_store_stamp_locked    (VdSqliteStore  *self,
                                                VdDecision     *decision,
                                                VdItem         *item,
                                                GError        **error);
void          _vd_sqlite_store_clear_policies  (VdSqliteStore  *self);
/* The public keys of every remembered policy's roster (for verification). */
GPtrArray    *_vd_sqlite_store_list_roster_keys_locked (VdSqliteStore *self,
                                                GError        **error);
/* Appends the signing_started event in the open transaction. */
gboolean      _vd_sqlite_store_start_signing_locked (VdSqliteStore *self,
                                                GError        **error);

/* VdStore methods */
gboolean      _vd_sqlite_store_import_items    (VdStore         *store,
                                                const char      *source,
                                                GPtrArray       *items,
                                                const char      *policy_json,
                                                const char      *policy_source,
                                                VdImportResult  *result,
                                                VdProgressFunc   progress,
                                                gpointer         progress_data,
                                                GCancellable    *cancellable,
                                                GError         **error);
gboolean      _vd_sqlite_store_import_stream   (VdStore          *store,
                                                const char       *source,
                                                VdImportNextFunc  next,
                                                gpointer          next_data,
                                                const char       *policy_json,
                                                const char       *policy_source,
                                                VdImportResult   *result,
                                                GCancellable     *cancellable,
                                                GError          **error);
VdItem       *_vd_sqlite_store_get_item        (VdStore         *store,
                                                const char      *queue,
                                                const char      *task_id,
                                                GError         **error);
GPtrArray    *_vd_sqlite_store_get_items_by_id (VdStore         *store,
                                                const gint64    *ids,
                                                guint            n_ids,
                                                GError         **error);
GArray       *_vd_sqlite_store_list_ids        (VdStore           *store,
                                                const VdItemQuery *query,
                                                GError           **error);
gboolean      _vd_sqlite_store_count_items     (VdStore           *store,
                                                const VdItemQuery *query,
                                                guint64           *count,
                                                GError           **error);
GStrv         _vd_sqlite_store_list_queues     (VdStore         *store,
                                                GError         **error);
GPtrArray    *_vd_sqlite_store_list_revisions  (VdStore         *store,
                                                gint64           item_id,
                                                GError         **error);
gboolean      _vd_sqlite_store_get_stats       (VdStore         *store,
                                                const char      *queue,
                                                VdStats         *stats,
                                                GError         **error);
gboolean      _vd_sqlite_store_record_decision (VdStore         *store,
                                                VdDecision      *decision,
                                                GError         **error);
GPtrArray    *_vd_sqlite_store_list_decisions  (VdStore         *store,
                                                const char      *queue,
                                                const char      *task_id,
                                                GError         **error);
GPtrArray    *_vd_sqlite_store_list_decisions_at_head (VdStore  *store,
                                                gint64          *head_seq,
                                                char           **head_hash,
                                                GError         **error);
gboolean      _vd_sqlite_store_retract_decision (VdStore        *store,
                                                gint64          decision_id,
                                                const char     *reviewer_id,
                                                const char     *reason,
                                                GError        **error);
gboolean      _vd_sqlite_store_append_audit    (VdStore         *store,
                                                VdAuditEvent    *event,
                                                GError         **error);
GPtrArray    *_vd_sqlite_store_list_audit      (VdStore         *store,
                                                gint64           from_seq,
                                                guint            limit,
                                                GError         **error);
gboolean      _vd_sqlite_store_get_audit_head  (VdStore         *store,
                                                gint64          *seq,
                                                char           **hash,
                                                GError         **error);
gboolean      _vd_sqlite_store_verify_audit    (VdStore         *store,
                                                VdAuditReport   *report,
                                                GError         **error);
VdAuditEvent *_vd_sqlite_store_get_audit_event (VdStore         *store,
                                                gint64           seq,
                                                GError         **error);
VdSigner     *_vd_sqlite_store_get_signer      (VdStore         *store);

/* The fallback applied to an item's current revision that decided it
 * (auto-approve or auto-reject): a reviewer's decision on the item is then
 * refused with a message saying so. Returns FALSE with @error set when it
 * refuses (or on a database error). Caller holds the lock. */
gboolean      _vd_sqlite_store_check_fallback  (VdSqliteStore   *self,
                                                VdItem          *item,
                                                GError         **error);

/* Deadlines, the last policy, the queue policies and the workload
 * (vd-sqlite-store-sla.c) */
gboolean      _vd_sqlite_store_apply_fallbacks (VdStore          *store,
                                                GDateTime        *now,
                                                guint             limit,
                                                VdSlaResolveFunc  resolve,
                                                gpointer          resolve_data,
                                                VdSlaResult      *result,
                                                GError          **error);
gboolean      _vd_sqlite_store_get_next_deadline (VdStore        *store,
                                                GDateTime      **due_at,
                                                GError         **error);
gboolean      _vd_sqlite_store_count_due       (VdStore         *store,
                                                const char      *queue,
                                                GDateTime       *before,
                                                guint64         *count,
                                                GError         **error);
gboolean      _vd_sqlite_store_get_sla_record  (VdStore         *store,
                                                gint64           item_id,
                                                VdSlaRecord     *record,
                                                GError         **error);
gboolean      _vd_sqlite_store_set_last_policy (VdStore         *store,
                                                const char      *policy_json,
                                                GError         **error);
gboolean      _vd_sqlite_store_get_last_policy (VdStore         *store,
                                                char           **policy_json,
                                                GError         **error);
gboolean      _vd_sqlite_store_set_queue_policy (VdStore        *store,
                                                const char      *queue,
                                                const char      *policy_json,
                                                const char      *policy_source,
                                                GError         **error);
gboolean      _vd_sqlite_store_get_queue_policy (VdStore        *store,
                                                const char      *queue,
                                                char           **policy_json,
                                                char           **policy_source,
                                                GError         **error);
/* Remembers the policy of @queue; the caller holds the lock (and usually
 * a write transaction). */
gboolean      _vd_sqlite_store_set_queue_policy_locked (VdSqliteStore *self,
                                                const char      *queue,
                                                const char      *policy_json,
                                                const char      *policy_source,
                                                gint64           now_usec,
                                                GError         **error);
gboolean      _vd_sqlite_store_get_workload    (VdStore         *store,
                                                const char      *queue,
                                                GDateTime       *now,
                                                VdWorkload      *workload,
                                                GError         **error);
gboolean      _vd_sqlite_store_count_late      (VdStore         *store,
                                                const char      *queue,
                                                GDateTime       *now,
                                                gint64           usec_per_item,
                                                guint64         *count,
                                                GError         **error);

/* Bulk approvals (vd-sqlite-store-bulk.c) */
GArray       *_vd_sqlite_store_list_band       (VdStore          *store,
                                                const VdBulkBand *band,
                                                GError          **error);
gboolean      _vd_sqlite_store_create_bulk_action (VdStore       *store,
                                                VdBulkAction    *action,
                                                GError         **error);
VdBulkAction *_vd_sqlite_store_get_bulk_action (VdStore         *store,
                                                gint64           id,
                                                GError         **error);
gboolean      _vd_sqlite_store_find_open_bulk_action (VdStore    *store,
                                                const char      *band_json,
                                                const char      *created_by,
                                                VdBulkAction   **action,
                                                GError         **error);
gboolean      _vd_sqlite_store_finish_bulk_action (VdStore       *store,
                                                gint64           id,
                                                const char      *reviewer_id,
                                                gboolean         approve,
                                                const char      *outcome,
                                                guint           *n_approved,
                                                guint           *n_skipped,
                                                GError         **error);

/* The feedback loop, the reviewers' figures, the calibration
 * (vd-sqlite-store-insights.c) */
gboolean      _vd_sqlite_store_add_suggestion  (VdStore         *store,
                                                const char      *text,
                                                const char      *reviewer_id,
                                                const char      *queue,
                                                const char      *task_id,
                                                gint64          *id,
                                                GError         **error);
GStrv         _vd_sqlite_store_list_suggestions (VdStore        *store,
                                                const char      *queue,
                                                GError         **error);
gboolean      _vd_sqlite_store_foreach_feedback (VdStore        *store,
                                                const char      *queue,
                                                gboolean         with_output,
                                                VdFeedbackRecordFunc func,
                                                gpointer         user_data,
                                                GError         **error);
gboolean      _vd_sqlite_store_foreach_reviewer_decision (VdStore *store,
                                                const char      *queue,
                                                GDateTime       *since,
                                                VdReviewerDecisionFunc func,
                                                gpointer         user_data,
                                                GError         **error);
gboolean      _vd_sqlite_store_get_approval_rate (VdStore       *store,
                                                const char      *queue,
                                                GDateTime       *since,
                                                guint64         *decisions,
                                                guint64         *approvals,
                                                GError         **error);
gboolean      _vd_sqlite_store_foreach_calibration (VdStore     *store,
                                                const char      *queue,
                                                const char      *task_type,
                                                VdCalibrationFunc func,
                                                gpointer         user_data,
                                                GError         **error);
gboolean      _vd_sqlite_store_count_decisions (VdStore         *store,
                                                const char      *queue,
                                                GDateTime       *from,
                                                GDateTime       *to,
                                                VdDecisionCounts *counts,
                                                GError         **error);
gboolean      _vd_sqlite_store_foreach_training_row (VdStore    *store,
                                                const char      *queue,
                                                VdTrainingRowFunc func,
                                                gpointer         user_data,
                                                GError         **error);

/* Claims (vd-sqlite-store-claims.c). The schema step that adds them: one
 * row per claimed item, kept after it expires until it is overwritten or
 * the item is decided. A store taken back to an older schema version keeps
 * the table: the step leaves it as it is. */
#define VD_SQLITE_CLAIMS_SCHEMA \
  "CREATE TABLE IF NOT EXISTS claims (" \
  "  item_id INTEGER PRIMARY KEY REFERENCES items (id)," \
  "  reviewer_id TEXT NOT NULL," \
  "  claimed_at INTEGER NOT NULL," \
  "  expires_at INTEGER NOT NULL" \
  ");"

void          _vd_sqlite_store_claims_iface_init (VdStoreInterface *iface);
/* Refuses a decision by @reviewer_id on @item while someone else's claim
 * on it has not expired (VD_STORE_ERROR_CLAIMED), else deletes the item's
 * claim: called by a decision inside its write transaction. */
gboolean      _vd_sqlite_store_settle_claim_locked (VdSqliteStore *self,
                                                VdItem          *item,
                                                const char      *reviewer_id,
                                                GError         **error);

G_END_DECLS
