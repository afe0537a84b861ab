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

#include "vd-calibration.h"
#include "vd-feedback-summary.h"
#include "vd-policy.h"
#include "vd-signer.h"
#include "vd-types.h"

G_BEGIN_DECLS

/* Actor and event types of deadlines and bulk approvals in the audit trail. */
#define VD_AUDIT_ACTOR_SLA     "sla"           /* the deadline fallback */
#define VD_AUDIT_SLA_FALLBACK  "sla_fallback"  /* a deadline passed; the fallback applied */
#define VD_AUDIT_BULK_SAMPLE   "bulk_sample"   /* a bulk approve drew its spot-check sample */
#define VD_AUDIT_BULK_APPROVE  "bulk_approve"  /* one item approved by a bulk approve */
#define VD_AUDIT_BULK_CANCEL   "bulk_cancel"   /* a bulk approve was cancelled */

/* Event types of the feedback loop, the calibration and the fatigue
 * prompts in the audit trail. */
#define VD_AUDIT_FEEDBACK_SUGGESTION "feedback_suggestion" /* an improvement suggestion */
#define VD_AUDIT_THRESHOLD_APPLIED   "threshold_applied"   /* a suggested threshold was applied */
#define VD_AUDIT_FATIGUE_PROMPT      "fatigue_prompt"      /* a fatigue prompt was shown or dismissed */

/* The feedback of a rejection by the deadline fallback. */
#define VD_SLA_REJECT_FEEDBACK "deadline passed"

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
  VD_STORE_ERROR_CLAIMED,       /* another reviewer's claim on the item has not expired */
  VD_STORE_ERROR_CONNECTION,    /* the connection to the database server was lost */
  VD_STORE_ERROR_PERMISSION,    /* the database refused: the role lacks the privilege */
  VD_STORE_ERROR_UNSUPPORTED,   /* this backend does not do that (yet) */
} VdStoreError;

GQuark vd_store_error_quark (void);

/**
 * VdItemQuery:
 * @statuses: bit mask of `1 << VdTaskStatus` to include; 0 means all
 * @queue: (nullable): only this queue
 * @reason: only this reason, or -1 for any
 * @search: (nullable): text searched in task id, description, context, content and reasoning,
 *   ignoring case (Unicode case folding of the NFKC form: "STRASSE" finds
 *   "Straße")
 * @task_type: (nullable): only this task type
 * @sort: the order; ties are broken by row id
 * @descending: reverse the order
 * @offset: rows to skip
 * @limit: rows at most, 0 for no limit
 * @four_eyes: only items that need two reviewers (reviews_required 2)
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
  gboolean     four_eyes;
} VdItemQuery;

#define VD_ITEM_QUERY_INIT { 0, NULL, -1, NULL, NULL, VD_SORT_ORDER_CREATED, FALSE, 0, 0, FALSE }

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
 * VdImportPolicyKind:
 * @VD_IMPORT_POLICY_NONE: no policy was chosen for the items' queues:
 *   every item was queued for review (vd_policy_new_review_all())
 * @VD_IMPORT_POLICY_CHOSEN: the policy given to the import applied
 * @VD_IMPORT_POLICY_REMEMBERED: no policy was given: the policy remembered
 *   for the queue (vd_store_get_queue_policy()) applied
 *
 * Which policy decided the items of an import. When a file holds several
 * queues and only some have a remembered policy, the import reports
 * %VD_IMPORT_POLICY_REMEMBERED and counts the rest in @review_all.
 */
typedef enum
{
  VD_IMPORT_POLICY_NONE,
  VD_IMPORT_POLICY_CHOSEN,
  VD_IMPORT_POLICY_REMEMBERED,
} VdImportPolicyKind;

/**
 * VdImportResult:
 *
 * What an import did. A plain struct: copy it freely. The strings are
 * interned (g_intern_string()) and live as long as the program.
 */
typedef struct
{
  guint imported;       /* new items */
  guint revised;        /* existing items given a newer revision */
  guint skipped;        /* already present with the same (or a newer) revision */
  guint queued;         /* of imported + revised: waiting for a human */
  guint auto_approved;  /* of imported + revised: approved by the policy */
  guint invalid;        /* lines refused by --skip-invalid */

  /* Set by VdImporter only. */
  VdImportPolicyKind  policy_kind;    /* which policy applied */
  const char         *policy_source;  /* (nullable) its label, e.g. the file it was
                                       * loaded from; NULL with NONE */
  const char         *policy_queue;   /* (nullable) with REMEMBERED: the queue whose
                                       * remembered policy applied (the first one) */
  guint               review_all;     /* items read that were queued only because no
                                       * policy was chosen for their queue */
  const char         *signed_by;      /* (nullable) set before each file's import: the
                                       * key id of the trusted source whose signature
                                       * (FILE.minisig) verified, for its import event */
} VdImportResult;

/**
 * VdSlaOutcome:
 * @rule: which fallback applies (see vd_policy_resolve_fallback())
 * @new_due_at: (nullable): for an escalation, the item's new deadline, or
 *   %NULL to keep the one that passed; the store unrefs it
 *
 * What a #VdSlaResolveFunc decided for one item.
 */
typedef struct
{
  VdFallbackRule  rule;
  GDateTime      *new_due_at;
} VdSlaOutcome;

/* Decides the fallback of an @item whose deadline passed. Called by the
 * store inside its write transaction: it must not call back into the store. */
typedef void (*VdSlaResolveFunc) (VdItem       *item,
                                  GDateTime    *now,
                                  VdSlaOutcome *outcome,
                                  gpointer      user_data);

/**
 * VdSlaResult:
 * @applied: fallbacks applied
 * @escalated: of @applied, items escalated (including @unsafe)
 * @auto_rejected: of @applied, items rejected ("deadline passed")
 * @auto_approved: of @applied, items approved
 * @unsafe: of @escalated, items escalated because an auto-approve was not
 *   safe for them
 *
 * Counts of what applying deadline fallbacks did.
 */
typedef struct
{
  guint applied;
  guint escalated;
  guint auto_rejected;
  guint auto_approved;
  guint unsafe;
} VdSlaResult;

/**
 * VdSlaRecord:
 * @applied: whether a fallback was applied to the item's current revision;
 *   the other fields are set only when it was
 * @fallback: the fallback applied
 * @configured: the fallback the policy named; it differs from @fallback
 *   when an auto-approve was not safe for the item and it was escalated
 * @rule: (nullable): the policy field that named @configured
 * @deadline: (nullable): the deadline that passed
 * @applied_at: (nullable): when the fallback was applied
 *
 * The fallback applied to an item, for display. Clear with
 * vd_sla_record_clear().
 */
typedef struct
{
  gboolean       applied;
  VdSlaFallback  fallback;
  VdSlaFallback  configured;
  char          *rule;
  GDateTime     *deadline;
  GDateTime     *applied_at;
} VdSlaRecord;

void vd_sla_record_clear (VdSlaRecord *record);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (VdSlaRecord, vd_sla_record_clear)

/**
 * VdWorkload:
 * @pending: undecided items (pending, in review or escalated)
 * @with_deadline: of @pending, items with a deadline
 * @arrivals_hour: items imported (or revised) in the last hour
 * @arrivals_day: ... in the last 24 hours
 * @decisions_hour: reviewers' decisions in the last hour, one by one (not
 *   automatic, not retracted, not part of a bulk approve)
 * @decisions_day: ... in the last 24 hours
 *
 * What the store knows about the load on the reviewers, at one moment.
 */
typedef struct
{
  guint64 pending;
  guint64 with_deadline;
  guint64 arrivals_hour;
  guint64 arrivals_day;
  guint64 decisions_hour;
  guint64 decisions_day;
} VdWorkload;

/**
 * VdBulkBand:
 * @queue: the queue
 * @task_type: (nullable): only this task type
 * @min_confidence: the lowest confidence, inclusive
 * @max_confidence: the highest confidence, inclusive
 * @reason: only this escalation reason, or -1 for any
 *
 * A band of items for a bulk approve: the pending and in-review items
 * (never escalated ones) that match every field.
 */
typedef struct
{
  const char *queue;
  const char *task_type;
  double      min_confidence;
  double      max_confidence;
  int         reason;
} VdBulkBand;

/**
 * VdBulkState:
 * @VD_BULK_STATE_SAMPLING: the sample is drawn; waiting for its decisions
 * @VD_BULK_STATE_APPROVED: the band was approved
 * @VD_BULK_STATE_CANCELLED: a sample item was not approved unmodified
 */
typedef enum
{
  VD_BULK_STATE_SAMPLING,
  VD_BULK_STATE_APPROVED,
  VD_BULK_STATE_CANCELLED,
} VdBulkState;

/**
 * VdBulkMember:
 * @item_id: the item's row id
 * @revision: its revision when the band was drawn
 * @sampled: whether it is in the spot-check sample
 *
 * One item of a bulk approve's band.
 */
typedef struct
{
  gint64   item_id;
  int      revision;
  gboolean sampled;
} VdBulkMember;

/**
 * VdBulkAction:
 * @id: its row id, 0 until stored
 * @queue: the band's queue
 * @band_json: the band as canonical compact JSON (how a repeated call finds
 *   the action again)
 * @seed: the seed of the sample's draw
 * @sample_percent: the sample size asked for, in percent of the band
 * @created_by: the reviewer who asked for it
 * @created_at: when
 * @state: where it stands
 * @members: (element-type VdBulkMember): the band when it was drawn, by
 *   row id
 * @sample: (element-type utf8): the task ids of the sample, in draw order
 * @finished_at: (nullable): when it was approved or cancelled
 * @outcome: why it was cancelled, or a summary of the approval; "" while
 *   sampling
 * @n_approved: items approved by it (not counting the sample)
 *
 * A guarded bulk approve, as the store records it.
 */
typedef struct
{
  gint64       id;
  char        *queue;
  char        *band_json;
  guint32      seed;
  double       sample_percent;
  char        *created_by;
  GDateTime   *created_at;
  VdBulkState  state;
  GArray      *members;
  GPtrArray   *sample;
  GDateTime   *finished_at;
  char        *outcome;
  guint        n_approved;
} VdBulkAction;

#define VD_TYPE_BULK_ACTION (vd_bulk_action_get_type ())
GType         vd_bulk_action_get_type (void) G_GNUC_CONST;
VdBulkAction *vd_bulk_action_new      (void);
VdBulkAction *vd_bulk_action_copy     (const VdBulkAction *action);
void          vd_bulk_action_free     (VdBulkAction       *action);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VdBulkAction, vd_bulk_action_free)

const char   *vd_bulk_state_to_string   (VdBulkState  state);
gboolean      vd_bulk_state_from_string (const char  *string,
                                         VdBulkState *state);

/**
 * VdReviewerDecision:
 * @reviewer_id: who decided
 * @queue: the item's queue
 * @timestamp: when, in microseconds since the Unix epoch
 * @duration_ms: how long the item was in front of the reviewer
 * @kind: what the reviewer decided
 * @modified: the reviewer changed the output (a modification, or an
 *   approval with modified content)
 * @expected_decision: (nullable): the decision a known-answer check
 *   expects, as a wire name; %NULL for other items
 *
 * One decision a reviewer took one by one (not automatic, not retracted,
 * not part of a bulk approve's automatic part): what the fatigue figures
 * are computed from. The strings are borrowed for the callback.
 */
typedef struct
{
  const char     *reviewer_id;
  const char     *queue;
  gint64          timestamp;
  gint64          duration_ms;
  VdDecisionKind  kind;
  gboolean        modified;
  const char     *expected_decision;
} VdReviewerDecision;

/* Called for each row of a store listing, inside the store's lock: it must
 * not call back into the store. Returns %TRUE to go on, %FALSE to stop
 * (the listing then succeeds with the rows seen so far). */
typedef gboolean (*VdReviewerDecisionFunc)   (const VdReviewerDecision       *decision,
                                              gpointer                        user_data);
typedef gboolean (*VdCalibrationFunc)        (const VdCalibrationObservation *observation,
                                              gpointer                        user_data);
typedef gboolean (*VdFeedbackRecordFunc)     (const VdFeedbackRecord         *record,
                                              gpointer                        user_data);

/**
 * VdDecisionCounts:
 * @approved: human approvals (not retracted)
 * @rejected: human rejections
 * @modified: human modifications
 * @escalated: human escalations
 * @automatic: decisions by the policy, the deadline fallback or the
 *   automatic part of a bulk approve
 *
 * Decisions in a span of time, by kind.
 */
typedef struct
{
  guint64 approved;
  guint64 rejected;
  guint64 modified;
  guint64 escalated;
  guint64 automatic;
} VdDecisionCounts;

/**
 * VdTrainingRow:
 * @item_id: the item's row id (rows of one item come together)
 * @queue: the item's queue
 * @task_id: its task id
 * @task_type: its task type ("" when none)
 * @task_description: the task given to the agent
 * @context: the context given with it ("" when none)
 * @revision: the revision decided
 * @content: that revision's output
 * @kind: what the reviewer decided
 * @modified_content: the reviewer's corrected output ("" when none)
 * @feedback: the reviewer's feedback
 * @reviewer_id: who decided
 * @timestamp: when, in microseconds since the Unix epoch
 *
 * One human decision with what the agent was given and wrote, for the
 * training data export. Rows come by item, then in the order decided.
 * Strings are borrowed for the callback.
 */
typedef struct
{
  gint64          item_id;
  const char     *queue;
  const char     *task_id;
  const char     *task_type;
  const char     *task_description;
  const char     *context;
  int             revision;
  const char     *content;
  VdDecisionKind  kind;
  const char     *modified_content;
  const char     *feedback;
  const char     *reviewer_id;
  gint64          timestamp;
} VdTrainingRow;

typedef gboolean (*VdTrainingRowFunc)        (const VdTrainingRow            *row,
                                              gpointer                        user_data);

/**
 * VdAuditReport:
 * @n_events: events that checked out (hash chain and signature)
 * @n_signed_reviewer: of them, events signed by a reviewer's key
 * @n_signed_installation: of them, events signed by this installation's key
 * @n_unsigned: of them, events from before signing started (unsigned)
 * @signing_started_seq: the seq of the `signing_started` event, 0 if none
 * @bad_seq: on failure, the first bad sequence number (0 for a database
 *   error)
 *
 * What vd_store_verify_audit_report() found.
 */
typedef struct
{
  guint64 n_events;
  guint64 n_signed_reviewer;
  guint64 n_signed_installation;
  guint64 n_unsigned;
  gint64  signing_started_seq;
  gint64  bad_seq;
} VdAuditReport;

/**
 * VdClaim:
 * @item_id: the item's row id
 * @queue: the item's queue
 * @task_id: the item's task id
 * @reviewer_id: who holds the claim
 * @claimed_at: when it was made or last renewed, in microseconds since the
 *   Unix epoch
 * @expires_at: when its lease ends, in microseconds since the Unix epoch
 *
 * A reviewer's claim on an undecided item: while it has not expired,
 * nobody else can claim or decide the item. Clear one on the stack with
 * vd_claim_clear(); the boxed copies of vd_store_list_claims() are freed
 * with vd_claim_free().
 */
typedef struct
{
  gint64  item_id;
  char   *queue;
  char   *task_id;
  char   *reviewer_id;
  gint64  claimed_at;
  gint64  expires_at;
} VdClaim;

#define VD_TYPE_CLAIM (vd_claim_get_type ())
GType     vd_claim_get_type        (void) G_GNUC_CONST;
VdClaim  *vd_claim_copy            (const VdClaim *claim);
void      vd_claim_free            (VdClaim       *claim);
void      vd_claim_clear           (VdClaim       *claim);
char     *vd_claim_format_expiry   (const VdClaim *claim);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VdClaim, vd_claim_free)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (VdClaim, vd_claim_clear)

#define VD_TYPE_STORE (vd_store_get_type ())

G_DECLARE_INTERFACE (VdStore, vd_store, VD, STORE, GObject)

/*
 * A durable home for items, decisions and the audit trail. Every method is
 * synchronous and thread-safe; the _async variants run it on a worker thread
 * so that a UI thread never waits for the disk. A backend makes every write
 * and the audit events describing it one atomic transaction.
 */
typedef struct _VdImportStream VdImportStream;

/* Called by vd_store_import_stream() inside its transaction for the next
 * batch of items (transfer full); NULL without @error at the end. */
typedef GPtrArray *(*VdImportNextFunc) (VdImportStream  *stream,
                                        gpointer         user_data,
                                        GError         **error);

/* The transaction of a streamed import, as the next function sees it: for
 * store backends; callers use vd_import_stream_get_queue_policy(). */
struct _VdImportStream
{
  VdStore  *store;
  gboolean (*get_queue_policy) (VdImportStream  *stream,
                                const char      *queue,
                                char           **policy_json,
                                char           **policy_source,
                                GError         **error);
  gpointer  backend_data;
};

struct _VdStoreInterface
{
  GTypeInterface parent_iface;

  gboolean    (*import_items)      (VdStore         *self,
                                    const char      *source,
                                    GPtrArray       *items,
                                    const char      *policy_json,
                                    const char      *policy_source,
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
  GBytes     *(*read_attachment)   (VdStore         *self,
                                    const char      *sha256,
                                    GCancellable    *cancellable,
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
                                    VdAuditReport   *report,
                                    GError         **error);
  gboolean    (*retract_decision)  (VdStore         *self,
                                    gint64           decision_id,
                                    const char      *reviewer_id,
                                    const char      *reason,
                                    GError         **error);

  /* Deadlines (SLA) */
  gboolean    (*apply_fallbacks)   (VdStore         *self,
                                    GDateTime       *now,
                                    guint            limit,
                                    VdSlaResolveFunc resolve,
                                    gpointer         resolve_data,
                                    VdSlaResult     *result,
                                    GError         **error);
  gboolean    (*get_next_deadline) (VdStore         *self,
                                    GDateTime      **due_at,
                                    GError         **error);
  gboolean    (*count_due)         (VdStore         *self,
                                    const char      *queue,
                                    GDateTime       *before,
                                    guint64         *count,
                                    GError         **error);
  gboolean    (*get_sla_record)    (VdStore         *self,
                                    gint64           item_id,
                                    VdSlaRecord     *record,
                                    GError         **error);
  gboolean    (*set_last_policy)   (VdStore         *self,
                                    const char      *policy_json,
                                    GError         **error);
  gboolean    (*get_last_policy)   (VdStore         *self,
                                    char           **policy_json,
                                    GError         **error);

  /* Workload */
  gboolean    (*get_workload)      (VdStore         *self,
                                    const char      *queue,
                                    GDateTime       *now,
                                    VdWorkload      *workload,
                                    GError         **error);
  gboolean    (*count_late)        (VdStore         *self,
                                    const char      *queue,
                                    GDateTime       *now,
                                    gint64           usec_per_item,
                                    guint64         *count,
                                    GError         **error);

  /* Bulk approve */
  GArray     *(*list_band)         (VdStore         *self,
                                    const VdBulkBand *band,
                                    GError         **error);
  gboolean    (*create_bulk_action) (VdStore        *self,
                                    VdBulkAction    *action,
                                    GError         **error);
  VdBulkAction *(*get_bulk_action) (VdStore         *self,
                                    gint64           id,
                                    GError         **error);
  gboolean    (*find_open_bulk_action) (VdStore     *self,
                                    const char      *band_json,
                                    const char      *created_by,
                                    VdBulkAction   **action,
                                    GError         **error);
  gboolean    (*finish_bulk_action) (VdStore        *self,
                                    gint64           id,
                                    const char      *reviewer_id,
                                    gboolean         approve,
                                    const char      *outcome,
                                    guint           *n_approved,
                                    guint           *n_skipped,
                                    GError         **error);

  /* The feedback loop, the reviewers' figures and the calibration */
  gboolean    (*add_suggestion)    (VdStore         *self,
                                    const char      *text,
                                    const char      *reviewer_id,
                                    const char      *queue,
                                    const char      *task_id,
                                    gint64          *id,
                                    GError         **error);
  GStrv       (*list_suggestions)  (VdStore         *self,
                                    const char      *queue,
                                    GError         **error);
  gboolean    (*foreach_feedback)  (VdStore         *self,
                                    const char      *queue,
                                    gboolean         with_output,
                                    VdFeedbackRecordFunc func,
                                    gpointer         user_data,
                                    GError         **error);
  gboolean    (*foreach_reviewer_decision) (VdStore *self,
                                    const char      *queue,
                                    GDateTime       *since,
                                    VdReviewerDecisionFunc func,
                                    gpointer         user_data,
                                    GError         **error);
  gboolean    (*get_approval_rate) (VdStore         *self,
                                    const char      *queue,
                                    GDateTime       *since,
                                    guint64         *decisions,
                                    guint64         *approvals,
                                    GError         **error);
  gboolean    (*foreach_calibration) (VdStore       *self,
                                    const char      *queue,
                                    const char      *task_type,
                                    VdCalibrationFunc func,
                                    gpointer         user_data,
                                    GError         **error);
  gboolean    (*count_decisions)   (VdStore         *self,
                                    const char      *queue,
                                    GDateTime       *from,
                                    GDateTime       *to,
                                    VdDecisionCounts *counts,
                                    GError         **error);
  gboolean    (*foreach_training_row) (VdStore      *self,
                                    const char      *queue,
                                    VdTrainingRowFunc func,
                                    gpointer         user_data,
                                    GError         **error);

  /* Exports */
  GPtrArray  *(*list_decisions_at_head) (VdStore    *self,
                                    gint64          *head_seq,
                                    char           **head_hash,
                                    GError         **error);

  /* The policy chosen per queue */
  gboolean    (*set_queue_policy)  (VdStore         *self,
                                    const char      *queue,
                                    const char      *policy_json,
                                    const char      *policy_source,
                                    GError         **error);
  gboolean    (*get_queue_policy)  (VdStore         *self,
                                    const char      *queue,
                                    char           **policy_json,
                                    char           **policy_source,
                                    GError         **error);

  /* Signatures */
  VdSigner   *(*get_signer)        (VdStore         *self);
  VdAuditEvent *(*get_audit_event) (VdStore         *self,
                                    gint64           seq,
                                    GError         **error);

  /* Streamed import */
  gboolean    (*import_stream)     (VdStore          *self,
                                    const char       *source,
                                    VdImportNextFunc  next,
                                    gpointer          next_data,
                                    const char       *policy_json,
                                    const char       *policy_source,
                                    VdImportResult   *result,
                                    GCancellable     *cancellable,
                                    GError          **error);

  /* Live updates: see vd_store_watch() */
  gboolean    (*watch)             (VdStore          *self,
                                    GError          **error);
  void        (*unwatch)           (VdStore          *self);
  /* Claims */
  gboolean    (*claim_item)        (VdStore         *self,
                                    gint64           item_id,
                                    const char      *reviewer_id,
                                    guint            lease_seconds,
                                    VdClaim         *claim,
                                    GError         **error);
  gboolean    (*release_claim)     (VdStore         *self,
                                    gint64           item_id,
                                    const char      *reviewer_id,
                                    GError         **error);
  GPtrArray  *(*list_claims)       (VdStore         *self,
                                    const char      *queue,
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
gboolean    vd_store_import_items_with_policy (VdStore     *self,
                                        const char         *source,
                                        GPtrArray          *items,
                                        const char         *policy_json,
                                        const char         *policy_source,
                                        VdImportResult     *result,
                                        VdProgressFunc      progress,
                                        gpointer            progress_data,
                                        GCancellable       *cancellable,
                                        GError            **error);
gboolean    vd_store_import_stream     (VdStore            *self,
                                        const char         *source,
                                        VdImportNextFunc    next,
                                        gpointer            next_data,
                                        const char         *policy_json,
                                        const char         *policy_source,
                                        VdImportResult     *result,
                                        GCancellable       *cancellable,
                                        GError            **error);
gboolean    vd_import_stream_get_queue_policy (VdImportStream *stream,
                                        const char         *queue,
                                        char              **policy_json,
                                        char              **policy_source,
                                        GError            **error);
VdItem     *vd_store_get_item          (VdStore            *self,
                                        const char         *queue,
                                        const char         *task_id,
                                        GError            **error);
/* The bytes of an imported attachment, by its SHA-256 (see VdAttachment);
 * checked against the hash as they are read. */
GBytes     *vd_store_read_attachment   (VdStore            *self,
                                        const char         *sha256,
                                        GCancellable       *cancellable,
                                        GError            **error);
void        vd_store_read_attachment_async (VdStore             *self,
                                        const char          *sha256,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
GBytes     *vd_store_read_attachment_finish (VdStore            *self,
                                        GAsyncResult        *result,
                                        GError             **error);
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
GPtrArray  *vd_store_list_decisions_at_head (VdStore       *self,
                                        gint64             *head_seq,
                                        char              **head_hash,
                                        GError            **error);
gboolean    vd_store_verify_audit      (VdStore            *self,
                                        gint64             *bad_seq,
                                        guint64            *n_checked,
                                        GError            **error);
gboolean    vd_store_verify_audit_report (VdStore          *self,
                                        VdAuditReport      *report,
                                        GError            **error);
VdAuditEvent *vd_store_get_audit_event (VdStore            *self,
                                        gint64              seq,
                                        GError            **error);
/* The keys this store signs its audit events with and checks them
 * against (see vd-signer.h). */
VdSigner   *vd_store_get_signer        (VdStore            *self);

/* Live updates. While watched, the store emits "audit-appended" (gint64
 * head_seq, the new last audit seq) on the main context that was the
 * thread-default one when vd_store_watch() was called, within about a
 * second of another connection or process appending audit events. Appends
 * made through this store object itself are not announced (the caller
 * knows about them); one emission may cover many events, so a consumer
 * reads the events after the last seq it saw (vd_store_list_audit()).
 * Watching twice is watching once; a backend that cannot watch fails with
 * G_IO_ERROR_NOT_SUPPORTED. Unwatching (or finalizing the store) stops at
 * once: no emission follows it on the main context it was called on. */
gboolean    vd_store_watch             (VdStore            *self,
                                        GError            **error);
void        vd_store_unwatch           (VdStore            *self);
/* For backends: emits "audit-appended" (on the calling thread). */
void        vd_store_emit_audit_appended (VdStore          *self,
                                        gint64              head_seq);
/* For backends that announce other connections' claims ("claims-changed",
 * no arguments, on the same main context): emits it on the calling thread. */
void        vd_store_emit_claims_changed (VdStore          *self);

/* Undoes a human decision by recording a retraction: the decision row is
 * marked retracted (never deleted), the item returns to the status it had
 * before, and a "retraction" audit event names the decision's audit seq. Only
 * the latest decision of an item can be retracted, and only by the reviewer
 * who took it. */
gboolean    vd_store_retract_decision  (VdStore            *self,
                                        gint64              decision_id,
                                        const char         *reviewer_id,
                                        const char         *reason,
                                        GError            **error);

/* Deadlines (SLA): see vd-sla.h for the operations built on these. */
gboolean    vd_store_apply_fallbacks   (VdStore            *self,
                                        GDateTime          *now,
                                        guint               limit,
                                        VdSlaResolveFunc    resolve,
                                        gpointer            resolve_data,
                                        VdSlaResult        *result,
                                        GError            **error);
gboolean    vd_store_get_next_deadline (VdStore            *self,
                                        GDateTime         **due_at,
                                        GError            **error);
gboolean    vd_store_count_due         (VdStore            *self,
                                        const char         *queue,
                                        GDateTime          *before,
                                        guint64            *count,
                                        GError            **error);
gboolean    vd_store_get_sla_record    (VdStore            *self,
                                        gint64              item_id,
                                        VdSlaRecord        *record,
                                        GError            **error);
gboolean    vd_store_set_last_policy   (VdStore            *self,
                                        const char         *policy_json,
                                        GError            **error);
gboolean    vd_store_get_last_policy   (VdStore            *self,
                                        char              **policy_json,
                                        GError            **error);

/* The policy last chosen explicitly for a queue (an import or a run with a
 * policy given): an import or a run without one applies it. Blocks on
 * disk like every store call: UI code calls them from a worker thread. */
gboolean    vd_store_set_queue_policy  (VdStore            *self,
                                        const char         *queue,
                                        const char         *policy_json,
                                        const char         *source,
                                        GError            **error);
gboolean    vd_store_get_queue_policy  (VdStore            *self,
                                        const char         *queue,
                                        char              **policy_json,
                                        char              **source,
                                        GError            **error);

/* Workload: see vd-forecast.h. */
gboolean    vd_store_get_workload      (VdStore            *self,
                                        const char         *queue,
                                        GDateTime          *now,
                                        VdWorkload         *workload,
                                        GError            **error);
gboolean    vd_store_count_late        (VdStore            *self,
                                        const char         *queue,
                                        GDateTime          *now,
                                        gint64              usec_per_item,
                                        guint64            *count,
                                        GError            **error);

/* Bulk approve: see vd-bulk.h. */
GArray     *vd_store_list_band         (VdStore            *self,
                                        const VdBulkBand   *band,
                                        GError            **error);
gboolean    vd_store_create_bulk_action (VdStore           *self,
                                        VdBulkAction       *action,
                                        GError            **error);
VdBulkAction *vd_store_get_bulk_action (VdStore            *self,
                                        gint64              id,
                                        GError            **error);
gboolean    vd_store_find_open_bulk_action (VdStore        *self,
                                        const char         *band_json,
                                        const char         *created_by,
                                        VdBulkAction      **action,
                                        GError            **error);
gboolean    vd_store_finish_bulk_action (VdStore           *self,
                                        gint64              id,
                                        const char         *reviewer_id,
                                        gboolean            approve,
                                        const char         *outcome,
                                        guint              *n_approved,
                                        guint              *n_skipped,
                                        GError            **error);

/* The feedback loop, the reviewers' figures and the calibration: see
 * vd-insights.h for the figures built on these. */
gboolean    vd_store_add_suggestion    (VdStore            *self,
                                        const char         *text,
                                        const char         *reviewer_id,
                                        const char         *queue,
                                        const char         *task_id,
                                        gint64             *id,
                                        GError            **error);
GStrv       vd_store_list_suggestions  (VdStore            *self,
                                        const char         *queue,
                                        GError            **error);
gboolean    vd_store_foreach_feedback  (VdStore            *self,
                                        const char         *queue,
                                        gboolean            with_output,
                                        VdFeedbackRecordFunc func,
                                        gpointer            user_data,
                                        GError            **error);
gboolean    vd_store_foreach_reviewer_decision (VdStore    *self,
                                        const char         *queue,
                                        GDateTime          *since,
                                        VdReviewerDecisionFunc func,
                                        gpointer            user_data,
                                        GError            **error);
gboolean    vd_store_get_approval_rate (VdStore            *self,
                                        const char         *queue,
                                        GDateTime          *since,
                                        guint64            *decisions,
                                        guint64            *approvals,
                                        GError            **error);
gboolean    vd_store_foreach_calibration (VdStore          *self,
                                        const char         *queue,
                                        const char         *task_type,
                                        VdCalibrationFunc   func,
                                        gpointer            user_data,
                                        GError            **error);
gboolean    vd_store_count_decisions   (VdStore            *self,
                                        const char         *queue,
                                        GDateTime          *from,
                                        GDateTime          *to,
                                        VdDecisionCounts   *counts,
                                        GError            **error);
gboolean    vd_store_foreach_training_row (VdStore         *self,
                                        const char         *queue,
                                        VdTrainingRowFunc   func,
                                        gpointer            user_data,
                                        GError            **error);

/* Claims: a reviewer who opens an item claims it for a lease; claiming
 * again renews it. Claims are not audited. */
gboolean    vd_store_claim_item        (VdStore            *self,
                                        gint64              item_id,
                                        const char         *reviewer_id,
                                        guint               lease_seconds,
                                        VdClaim            *claim,
                                        GError            **error);
gboolean    vd_store_release_claim     (VdStore            *self,
                                        gint64              item_id,
                                        const char         *reviewer_id,
                                        GError            **error);
GPtrArray  *vd_store_list_claims       (VdStore            *self,
                                        const char         *queue,
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
void        vd_store_retract_decision_async  (VdStore             *self,
                                              gint64               decision_id,
                                              const char          *reviewer_id,
                                              const char          *reason,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
gboolean    vd_store_retract_decision_finish (VdStore             *self,
                                              GAsyncResult        *result,
                                              GError             **error);
void        vd_store_count_items_async     (VdStore             *self,
                                            const VdItemQuery   *query,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gboolean    vd_store_count_items_finish    (VdStore             *self,
                                            GAsyncResult        *result,
                                            guint64             *count,
                                            GError             **error);
void        vd_store_append_audit_async    (VdStore             *self,
                                            VdAuditEvent        *event,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gboolean    vd_store_append_audit_finish   (VdStore             *self,
                                            GAsyncResult        *result,
                                            GError             **error);
void        vd_store_list_queues_async     (VdStore             *self,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
GStrv       vd_store_list_queues_finish    (VdStore             *self,
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
void        vd_store_claim_item_async      (VdStore             *self,
                                            gint64               item_id,
                                            const char          *reviewer_id,
                                            guint                lease_seconds,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gboolean    vd_store_claim_item_finish     (VdStore             *self,
                                            GAsyncResult        *result,
                                            VdClaim            **claim,
                                            GError             **error);
void        vd_store_release_claim_async   (VdStore             *self,
                                            gint64               item_id,
                                            const char          *reviewer_id,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gboolean    vd_store_release_claim_finish  (VdStore             *self,
                                            GAsyncResult        *result,
                                            GError             **error);
void        vd_store_list_claims_async     (VdStore             *self,
                                            const char          *queue,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
GPtrArray  *vd_store_list_claims_finish    (VdStore             *self,
                                            GAsyncResult        *result,
                                            GError             **error);

G_END_DECLS
