/* vd-pg-store-private.h: what the files of VdPgStore share
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

#include <libpq-fe.h>

#include "vd-audit-event.h"
#include "vd-decision.h"
#include "vd-item.h"
#include "vd-pg-store.h"
#include "vd-revision.h"
#include "vd-signer.h"

G_BEGIN_DECLS

typedef struct _VdPgWatch VdPgWatch;

/* A refusal of the database that a claim causes (security.sql). */
#define VD_PG_SQLSTATE_CLAIMED "VDC01"

/*
 * The files of VdPgStore:
 *   vd-pg-store.c            the object, the connection, the helpers below
 *   vd-pg-store-audit.c      the audit trail: append, list, head, verify
 *   vd-pg-store-import.c     imports
 *   vd-pg-store-attachments.c  the items' attachments, their bytes in the rows
 *   vd-pg-store-query.c      items: get, list, count, queues, revisions, statistics
 *   vd-pg-store-decisions.c  decisions: record, list, retract
 *   vd-pg-store-insights.c   suggestions, feedback, the reviewers' decisions, counts,
 *                            training rows
 *   vd-pg-store-policy.c     the queues' policies and the last policy
 *   vd-pg-store-sla.c        the deadlines, their fallbacks, the workload
 *   vd-pg-store-claims.c     claims with leases, vd_pg_store_claim_next()
 *   vd-pg-store-watch.c      live updates: LISTEN on a connection of its own
 *   vd-pg-store-bulk.c       bulk approval of a confidence band
 *   vd-pg-store-calibration.c  the calibration observations
 *
 * Locking: every VdStore method takes self->lock for its whole run; the
 * functions below expect the caller to hold it. A write runs between
 * _vd_pg_store_begin() (which locks the audit head row: writes from every
 * connection are serialised there) and _vd_pg_store_commit().
 */
struct _VdPgStore
{
  GObject      parent_instance;

  char        *conninfo;
  char        *password;
  char        *session_user;
  /* vd_pg_store_allow_any_reviewer() was called by the tables' owner. */
  gboolean     any_reviewer;
  PGconn      *conn;
  GMutex       lock;
  VdSigner    *signer;

  /* The watcher (vd-pg-store-watch.c), guarded by watch_lock. */
  GMutex       watch_lock;
  struct _VdPgWatch *watch;

  /* The audit head as of the open write transaction. */
  gboolean     in_transaction;
  gint64       tx_head_seq;
  char         tx_head_hash[65];
};

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGresult, PQclear)

/* Parameters of a statement, as text (NULL is SQL NULL). */
typedef GPtrArray VdPgParams;

VdPgParams *_vd_pg_params_new        (void);
void        _vd_pg_params_add_text   (VdPgParams  *params,
                                      const char  *text);
void        _vd_pg_params_add_int    (VdPgParams  *params,
                                      gint64       value);
void        _vd_pg_params_add_double (VdPgParams  *params,
                                      double       value);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VdPgParams, g_ptr_array_unref)

/* Columns of an item row, in the order _vd_pg_store_item_from_row() reads;
 * the last counts the reviews that stand on the current revision (four-eyes
 * review), from the table named items (not aliased). */
#define VD_PG_ITEM_COLUMNS \
  "id, queue, task_id, task_description, task_type, context, content, confidence, " \
  "reasoning, metadata, escalation_reason, escalation_detail, created_at, due_at, " \
  "priority, revision, status, expected_decision, task_content_type, " \
  "context_content_type, output_content_type, source, reviews_required, " \
  "(SELECT count (*) FROM decisions r WHERE r.item_id = items.id " \
  "AND r.revision = items.revision AND r.final = 0 AND r.retracted_seq IS NULL)"

/* Whether this connection may record @reviewer_id's decisions,
 * retractions and suggestions: its own, or anyone's after
 * vd_pg_store_allow_any_reviewer(). */
gboolean      _vd_pg_store_may_act_as    (VdPgStore   *self,
                                          const char  *reviewer_id);
/* @text folded for a caseless search as the SQLite backend folds it:
 * NFKC, Unicode case folding, NFKC ("Straße" and "STRASSE" fold alike). */
char         *_vd_pg_casefold            (const char  *text);
/* The separator of the fields in items.search_text. */
#define VD_PG_SEARCH_SEPARATOR "\x1f"

/* Reconnects (once) when the connection was lost. */
gboolean      _vd_pg_store_ensure_connected (VdPgStore   *self,
                                             GError     **error);
/* Runs @sql with @params (may be NULL); NULL and @error when it failed. */
PGresult     *_vd_pg_store_exec          (VdPgStore   *self,
                                          const char  *sql,
                                          VdPgParams  *params,
                                          GError     **error);
gboolean      _vd_pg_store_exec_command  (VdPgStore   *self,
                                          const char  *sql,
                                          VdPgParams  *params,
                                          GError     **error);
/* Sets @error from a failed @result (NULL: the connection's message). */
void          _vd_pg_store_set_error     (VdPgStore   *self,
                                          PGresult    *result,
                                          GError     **error,
                                          const char  *what);
gboolean      _vd_pg_store_begin         (VdPgStore   *self,
                                          GError     **error);
/* A COMMIT that did not report success is a failure: nothing is saved. */
gboolean      _vd_pg_store_commit        (VdPgStore   *self,
                                          GError     **error);
void          _vd_pg_store_rollback      (VdPgStore   *self);

gint64        _vd_pg_get_int             (PGresult    *result,
                                          int          row,
                                          int          column);
double        _vd_pg_get_double          (PGresult    *result,
                                          int          row,
                                          int          column);
/* NULL for SQL NULL. */
const char   *_vd_pg_get_text            (PGresult    *result,
                                          int          row,
                                          int          column);
gboolean      _vd_pg_is_null             (PGresult    *result,
                                          int          row,
                                          int          column);

VdItem       *_vd_pg_store_item_from_row (PGresult    *result,
                                          int          row);
VdItem       *_vd_pg_store_find_item     (VdPgStore   *self,
                                          const char  *queue,
                                          const char  *task_id,
                                          GError     **error);
gboolean      _vd_pg_store_save_attachments (VdPgStore  *self,
                                          gint64       item_id,
                                          VdItem      *item,
                                          GError     **error);
gboolean      _vd_pg_store_load_attachments (VdPgStore  *self,
                                          GPtrArray   *items,
                                          GError     **error);
gboolean      _vd_pg_store_append_locked (VdPgStore     *self,
                                          VdAuditEvent  *event,
                                          GError       **error);
gboolean      _vd_pg_store_set_queue_policy_locked (VdPgStore  *self,
                                          const char  *queue,
                                          const char  *policy_json,
                                          const char  *policy_source,
                                          gint64       now_usec,
                                          GError     **error);
gboolean      _vd_pg_store_get_queue_policy_locked (VdPgStore  *self,
                                          const char  *queue,
                                          char       **policy_json,
                                          char       **policy_source,
                                          GError     **error);
/* A deadline fallback that decided the item refuses reviewers' decisions. */
gboolean      _vd_pg_store_check_fallback (VdPgStore  *self,
                                          VdItem      *item,
                                          GError     **error);
gboolean      _vd_pg_store_start_signing_locked (VdPgStore *self,
                                          GError     **error);

void          _vd_pg_store_set_claimed_error (PGresult *result,
                                          GError     **error);
void          _vd_pg_store_note_backend_locked (VdPgStore *self);

/* VdStore methods */
gboolean      _vd_pg_store_import_items    (VdStore         *store,
                                            const char      *source,
                                            GPtrArray       *items,
                                            const char      *policy_json,
                                            const char      *policy_source,
                                            VdImportResult  *result,
                                            VdProgressFunc   progress,
                                            gpointer         progress_data,
                                            GCancellable    *cancellable,
                                            GError         **error);
gboolean      _vd_pg_store_import_stream   (VdStore          *store,
                                            const char       *source,
                                            VdImportNextFunc  next,
                                            gpointer          next_data,
                                            const char       *policy_json,
                                            const char       *policy_source,
                                            VdImportResult   *result,
                                            GCancellable     *cancellable,
                                            GError          **error);
VdItem       *_vd_pg_store_get_item        (VdStore         *store,
                                            const char      *queue,
                                            const char      *task_id,
                                            GError         **error);
GPtrArray    *_vd_pg_store_get_items_by_id (VdStore         *store,
                                            const gint64    *ids,
                                            guint            n_ids,
                                            GError         **error);
GArray       *_vd_pg_store_list_ids        (VdStore           *store,
                                            const VdItemQuery *query,
                                            GError           **error);
gboolean      _vd_pg_store_count_items     (VdStore           *store,
                                            const VdItemQuery *query,
                                            guint64           *count,
                                            GError           **error);
GStrv         _vd_pg_store_list_queues     (VdStore         *store,
                                            GError         **error);
GPtrArray    *_vd_pg_store_list_revisions  (VdStore         *store,
                                            gint64           item_id,
                                            GError         **error);
gboolean      _vd_pg_store_record_decision (VdStore         *store,
                                            VdDecision      *decision,
                                            GError         **error);
GPtrArray    *_vd_pg_store_list_decisions  (VdStore         *store,
                                            const char      *queue,
                                            const char      *task_id,
                                            GError         **error);
gboolean      _vd_pg_store_retract_decision (VdStore       *store,
                                            gint64           decision_id,
                                            const char      *reviewer_id,
                                            const char      *reason,
                                            GError         **error);
gboolean      _vd_pg_store_get_stats       (VdStore         *store,
                                            const char      *queue,
                                            VdStats         *stats,
                                            GError         **error);
GPtrArray    *_vd_pg_store_list_decisions_at_head (VdStore *store,
                                            gint64          *head_seq,
                                            char           **head_hash,
                                            GError         **error);
gboolean      _vd_pg_store_add_suggestion  (VdStore         *store,
                                            const char      *text,
                                            const char      *reviewer_id,
                                            const char      *queue,
                                            const char      *task_id,
                                            gint64          *id,
                                            GError         **error);
GStrv         _vd_pg_store_list_suggestions (VdStore        *store,
                                            const char      *queue,
                                            GError         **error);
gboolean      _vd_pg_store_foreach_reviewer_decision (VdStore *store,
                                            const char      *queue,
                                            GDateTime       *since,
                                            VdReviewerDecisionFunc func,
                                            gpointer         user_data,
                                            GError         **error);
gboolean      _vd_pg_store_get_approval_rate (VdStore       *store,
                                            const char      *queue,
                                            GDateTime       *since,
                                            guint64         *decisions,
                                            guint64         *approvals,
                                            GError         **error);
gboolean      _vd_pg_store_count_decisions (VdStore          *store,
                                            const char       *queue,
                                            GDateTime        *from,
                                            GDateTime        *to,
                                            VdDecisionCounts *counts,
                                            GError          **error);
gboolean      _vd_pg_store_foreach_feedback (VdStore        *store,
                                            const char      *queue,
                                            gboolean         with_output,
                                            VdFeedbackRecordFunc func,
                                            gpointer         user_data,
                                            GError         **error);
gboolean      _vd_pg_store_foreach_training_row (VdStore    *store,
                                            const char      *queue,
                                            VdTrainingRowFunc func,
                                            gpointer         user_data,
                                            GError         **error);
gboolean      _vd_pg_store_append_audit    (VdStore         *store,
                                            VdAuditEvent    *event,
                                            GError         **error);
GPtrArray    *_vd_pg_store_list_audit      (VdStore         *store,
                                            gint64           from_seq,
                                            guint            limit,
                                            GError         **error);
gboolean      _vd_pg_store_get_audit_head  (VdStore         *store,
                                            gint64          *seq,
                                            char           **hash,
                                            GError         **error);
gboolean      _vd_pg_store_verify_audit    (VdStore         *store,
                                            VdAuditReport   *report,
                                            GError         **error);
VdAuditEvent *_vd_pg_store_get_audit_event (VdStore         *store,
                                            gint64           seq,
                                            GError         **error);
gboolean      _vd_pg_store_set_queue_policy (VdStore        *store,
                                            const char      *queue,
                                            const char      *policy_json,
                                            const char      *policy_source,
                                            GError         **error);
gboolean      _vd_pg_store_get_queue_policy (VdStore        *store,
                                            const char      *queue,
                                            char           **policy_json,
                                            char           **policy_source,
                                            GError         **error);
gboolean      _vd_pg_store_set_last_policy (VdStore         *store,
                                            const char      *policy_json,
                                            GError         **error);
gboolean      _vd_pg_store_get_last_policy (VdStore         *store,
                                            char           **policy_json,
                                            GError         **error);
gboolean      _vd_pg_store_apply_fallbacks (VdStore         *store,
                                            GDateTime       *now,
                                            guint            limit,
                                            VdSlaResolveFunc resolve,
                                            gpointer         resolve_data,
                                            VdSlaResult     *result,
                                            GError         **error);
gboolean      _vd_pg_store_get_next_deadline (VdStore       *store,
                                            GDateTime      **due_at,
                                            GError         **error);
gboolean      _vd_pg_store_count_due       (VdStore         *store,
                                            const char      *queue,
                                            GDateTime       *before,
                                            guint64         *count,
                                            GError         **error);
gboolean      _vd_pg_store_get_sla_record  (VdStore         *store,
                                            gint64           item_id,
                                            VdSlaRecord     *record,
                                            GError         **error);
gboolean      _vd_pg_store_get_workload    (VdStore         *store,
                                            const char      *queue,
                                            GDateTime       *now,
                                            VdWorkload      *workload,
                                            GError         **error);
gboolean      _vd_pg_store_count_late      (VdStore         *store,
                                            const char      *queue,
                                            GDateTime       *now,
                                            gint64           usec_per_item,
                                            guint64         *count,
                                            GError         **error);
GBytes       *_vd_pg_store_read_attachment (VdStore         *store,
                                            const char      *sha256,
                                            GCancellable    *cancellable,
                                            GError         **error);
gboolean      _vd_pg_store_watch           (VdStore         *store,
                                            GError         **error);
void          _vd_pg_store_unwatch         (VdStore         *store);
gboolean      _vd_pg_store_claim_item      (VdStore         *store,
                                            gint64           item_id,
                                            const char      *reviewer_id,
                                            guint            lease_seconds,
                                            VdClaim         *claim,
                                            GError         **error);
gboolean      _vd_pg_store_release_claim   (VdStore         *store,
                                            gint64           item_id,
                                            const char      *reviewer_id,
                                            GError         **error);
GPtrArray    *_vd_pg_store_list_claims     (VdStore         *store,
                                            const char      *queue,
                                            GError         **error);
GArray       *_vd_pg_store_list_band       (VdStore         *store,
                                            const VdBulkBand *band,
                                            GError         **error);
gboolean      _vd_pg_store_create_bulk_action (VdStore      *store,
                                            VdBulkAction    *action,
                                            GError         **error);
VdBulkAction *_vd_pg_store_get_bulk_action (VdStore         *store,
                                            gint64           id,
                                            GError         **error);
gboolean      _vd_pg_store_find_open_bulk_action (VdStore   *store,
                                            const char      *band_json,
                                            const char      *created_by,
                                            VdBulkAction   **action,
                                            GError         **error);
gboolean      _vd_pg_store_finish_bulk_action (VdStore      *store,
                                            gint64           id,
                                            const char      *reviewer_id,
                                            gboolean         approve,
                                            const char      *outcome,
                                            guint           *n_approved,
                                            guint           *n_skipped,
                                            GError         **error);
gboolean      _vd_pg_store_foreach_calibration (VdStore     *store,
                                            const char      *queue,
                                            const char      *task_type,
                                            VdCalibrationFunc func,
                                            gpointer         user_data,
                                            GError         **error);

G_END_DECLS
