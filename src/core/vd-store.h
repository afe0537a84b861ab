/* vd-store.h
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

#include <gio/gio.h>

#include "vd-types.h"

G_BEGIN_DECLS

#define VD_STORE_ERROR (vd_store_error_quark ())

typedef enum
{
  VD_STORE_ERROR_FAILED,        /* the database reported an error */
  VD_STORE_ERROR_NOT_FOUND,     /* no such item */
  VD_STORE_ERROR_AMBIGUOUS,     /* a task id without a queue matches several queues */
  VD_STORE_ERROR_ALREADY_DECIDED, /* the item is not undecided */
  VD_STORE_ERROR_STALE_REVISION,  /* the decision is for an older revision */
  VD_STORE_ERROR_INVALID,       /* the arguments are invalid (e.g. reject without feedback) */
  VD_STORE_ERROR_VERSION,       /* the database was written by a newer Verdict */
  VD_STORE_ERROR_CANCELLED,
} VdStoreError;

GQuark vd_store_error_quark (void);

/**
 * VdItemQuery:
 * @statuses: bit mask of `1 << VdTaskStatus` to include; 0 means all
 * @queue: (nullable): only this queue
 * @reason: only this reason, or -1 for any
 * @search: (nullable): text searched in task id, description and content
 * @task_type: (nullable): only this task type
 * @sort: the order; ties are broken by row id
 * @descending: reverse the order
 * @offset: rows to skip
 * @limit: rows at most, 0 for no limit
 *
 * What to list. Filtering and sorting happen in the store (indexed).
 */
typedef struct
{
  guint        statuses;
  const char  *queue;
  int          reason;
  const char  *search;
  const char  *task_type;
  VdSortOrder  sort;
  gboolean     descending;
  guint        offset;
  guint        limit;
} VdItemQuery;

#define VD_ITEM_QUERY_INIT { 0, NULL, -1, NULL, NULL, VD_SORT_ORDER_CREATED, FALSE, 0, 0 }

/* Status masks for VdItemQuery.statuses. */
#define VD_STATUS_MASK(s) (1u << (s))
#define VD_STATUS_MASK_UNDECIDED (VD_STATUS_MASK (VD_TASK_STATUS_PENDING) | \
                                  VD_STATUS_MASK (VD_TASK_STATUS_IN_REVIEW) | \
                                  VD_STATUS_MASK (VD_TASK_STATUS_ESCALATED))
#define VD_STATUS_MASK_DECIDED (VD_STATUS_MASK (VD_TASK_STATUS_APPROVED) | \
                                VD_STATUS_MASK (VD_TASK_STATUS_REJECTED) | \
                                VD_STATUS_MASK (VD_TASK_STATUS_MODIFIED) | \
                                VD_STATUS_MASK (VD_TASK_STATUS_COMPLETED))

/**
 * VdStats:
 *
 * The reference's workflow statistics, computed by the store.
 * escalated counts items a human had to see; auto_approved the rest;
 * human_* count human decisions by kind; avg_confidence is the mean agent
 * confidence of the current revision of every item (0.0 with none).
 */
typedef struct
{
  guint64 total_tasks;
  guint64 auto_approved;
  guint64 escalated;
  guint64 human_approved;
  guint64 human_rejected;
  guint64 human_modified;
  guint64 human_escalated;
  guint64 pending;
  double  avg_confidence;
} VdStats;

/**
 * VdImportResult:
 *
 * What an import did.
 */
typedef struct
{
  guint imported;       /* new items */
  guint revised;        /* existing items given a newer revision */
  guint skipped;        /* already present with the same (or a newer) revision */
  guint queued;         /* of imported + revised: waiting for a human */
  guint auto_approved;  /* of imported + revised: approved by the policy */
  guint invalid;        /* lines refused by --skip-invalid */
} VdImportResult;

#define VD_TYPE_STORE (vd_store_get_type ())

G_DECLARE_INTERFACE (VdStore, vd_store, VD, STORE, GObject)

/*
 * A durable home for items, decisions and the audit trail. Every method is
 * synchronous and thread-safe; the _async variants run it on a worker thread
 * so that a UI thread never waits for the disk. A backend makes every write
 * and the audit events describing it one atomic transaction.
 */
struct _VdStoreInterface
{
  GTypeInterface parent_iface;

  gboolean    (*import_items)      (VdStore         *self,
                                    const char      *source,
                                    GPtrArray       *items,
                                    VdImportResult  *result,
                                    VdProgressFunc   progress,
                                    gpointer         progress_data,
                                    GCancellable    *cancellable,
                                    GError         **error);
  VdItem     *(*get_item)          (VdStore         *self,
                                    const char      *queue,
                                    const char      *task_id,
                                    GError         **error);
  GPtrArray  *(*get_items_by_id)   (VdStore         *self,
                                    const gint64    *ids,
                                    guint            n_ids,
                                    GError         **error);
  GArray     *(*list_ids)          (VdStore         *self,
                                    const VdItemQuery *query,
                                    GError         **error);
  gboolean    (*count_items)       (VdStore         *self,
                                    const VdItemQuery *query,
                                    guint64         *count,
                                    GError         **error);
  GStrv       (*list_queues)       (VdStore         *self,
                                    GError         **error);
  GPtrArray  *(*list_revisions)    (VdStore         *self,
                                    gint64           item_id,
                                    GError         **error);
  gboolean    (*record_decision)   (VdStore         *self,
                                    VdDecision      *decision,
                                    GError         **error);
  GPtrArray  *(*list_decisions)    (VdStore         *self,
                                    const char      *queue,
                                    const char      *task_id,
                                    GError         **error);
  gboolean    (*get_stats)         (VdStore         *self,
                                    const char      *queue,
                                    VdStats         *stats,
                                    GError         **error);
  gboolean    (*append_audit)      (VdStore         *self,
                                    VdAuditEvent    *event,
                                    GError         **error);
  GPtrArray  *(*list_audit)        (VdStore         *self,
                                    gint64           from_seq,
                                    guint            limit,
                                    GError         **error);
  gboolean    (*get_audit_head)    (VdStore         *self,
                                    gint64          *seq,
                                    char           **hash,
                                    GError         **error);
  gboolean    (*verify_audit)      (VdStore         *self,
                                    gint64          *bad_seq,
                                    guint64         *n_checked,
                                    GError         **error);
};

gboolean    vd_store_import_items      (VdStore            *self,
                                        const char         *source,
                                        GPtrArray          *items,
                                        VdImportResult     *result,
                                        VdProgressFunc      progress,
                                        gpointer            progress_data,
                                        GCancellable       *cancellable,
                                        GError            **error);
VdItem     *vd_store_get_item          (VdStore            *self,
                                        const char         *queue,
                                        const char         *task_id,
                                        GError            **error);
GPtrArray  *vd_store_get_items_by_id   (VdStore            *self,
                                        const gint64       *ids,
                                        guint               n_ids,
                                        GError            **error);
GArray     *vd_store_list_ids          (VdStore            *self,
                                        const VdItemQuery  *query,
                                        GError            **error);
GPtrArray  *vd_store_list_items        (VdStore            *self,
                                        const VdItemQuery  *query,
                                        GError            **error);
gboolean    vd_store_count_items       (VdStore            *self,
                                        const VdItemQuery  *query,
                                        guint64            *count,
                                        GError            **error);
GStrv       vd_store_list_queues       (VdStore            *self,
                                        GError            **error);
GPtrArray  *vd_store_list_revisions    (VdStore            *self,
                                        gint64              item_id,
                                        GError            **error);
gboolean    vd_store_record_decision   (VdStore            *self,
                                        VdDecision         *decision,
                                        GError            **error);
GPtrArray  *vd_store_list_decisions    (VdStore            *self,
                                        const char         *queue,
                                        const char         *task_id,
                                        GError            **error);
gboolean    vd_store_get_stats         (VdStore            *self,
                                        const char         *queue,
                                        VdStats            *stats,
                                        GError            **error);
gboolean    vd_store_append_audit      (VdStore            *self,
                                        VdAuditEvent       *event,
                                        GError            **error);
GPtrArray  *vd_store_list_audit        (VdStore            *self,
                                        gint64              from_seq,
                                        guint               limit,
                                        GError            **error);
gboolean    vd_store_get_audit_head    (VdStore            *self,
                                        gint64             *seq,
                                        char              **hash,
                                        GError            **error);
gboolean    vd_store_verify_audit      (VdStore            *self,
                                        gint64             *bad_seq,
                                        guint64            *n_checked,
                                        GError            **error);

/* Asynchronous variants for UI code: the work runs on a worker thread. */
void        vd_store_list_ids_async        (VdStore             *self,
                                            const VdItemQuery   *query,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
GArray     *vd_store_list_ids_finish       (VdStore             *self,
                                            GAsyncResult        *result,
                                            GError             **error);
void        vd_store_get_items_by_id_async (VdStore             *self,
                                            const gint64        *ids,
                                            guint                n_ids,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
GPtrArray  *vd_store_get_items_by_id_finish (VdStore            *self,
                                            GAsyncResult        *result,
                                            GError             **error);
void        vd_store_record_decision_async (VdStore             *self,
                                            VdDecision          *decision,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gboolean    vd_store_record_decision_finish (VdStore            *self,
                                            GAsyncResult        *result,
                                            GError             **error);
void        vd_store_get_stats_async       (VdStore             *self,
                                            const char          *queue,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gboolean    vd_store_get_stats_finish      (VdStore             *self,
                                            GAsyncResult        *result,
                                            VdStats             *stats,
                                            GError             **error);

G_END_DECLS
