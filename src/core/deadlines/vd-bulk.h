/* vd-bulk.h
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

#include "vd-store.h"

G_BEGIN_DECLS

#define VD_BULK_ERROR (vd_bulk_error_quark ())

/**
 * VdBulkError:
 * @VD_BULK_ERROR_INVALID: the band or the sample size is invalid (the
 *   message says which field)
 * @VD_BULK_ERROR_EMPTY: no pending or in-review item matches the band
 */
typedef enum
{
  VD_BULK_ERROR_INVALID,
  VD_BULK_ERROR_EMPTY,
} VdBulkError;

/* The spot-check sample: this share of the band, but at least
 * VD_BULK_MIN_SAMPLE items (the whole band when it is smaller). */
#define VD_BULK_DEFAULT_SAMPLE_PERCENT 10.0
#define VD_BULK_MIN_SAMPLE             3

/**
 * VdBulkStep:
 * @VD_BULK_STEP_SAMPLED: a new sample was drawn and recorded: the reviewer
 *   decides its items one by one, then asks again
 * @VD_BULK_STEP_WAITING: some sampled items are still undecided
 * @VD_BULK_STEP_APPROVED: every sampled item was approved unmodified: the
 *   rest of the band is approved
 * @VD_BULK_STEP_CANCELLED: a sampled item was rejected, modified, escalated
 *   or otherwise not approved by a reviewer: the bulk approve is cancelled
 *
 * Where a guarded bulk approve stands after vd_bulk_step().
 */
typedef enum
{
  VD_BULK_STEP_SAMPLED,
  VD_BULK_STEP_WAITING,
  VD_BULK_STEP_APPROVED,
  VD_BULK_STEP_CANCELLED,
} VdBulkStep;

/**
 * VdBulkOutcome:
 * @step: where it stands
 * @action: (nullable): the bulk action as stored after the step
 * @undecided: (element-type utf8): for @VD_BULK_STEP_SAMPLED and
 *   @VD_BULK_STEP_WAITING, the task ids of the sampled items still to
 *   decide, in draw order
 * @failed_task_id: (nullable): for @VD_BULK_STEP_CANCELLED, the sampled item
 *   that cancelled it
 * @message: a sentence for people saying what happened and what to do
 * @n_approved: for @VD_BULK_STEP_APPROVED, the items approved in bulk
 * @n_skipped: for @VD_BULK_STEP_APPROVED, the band's items left alone
 *   because they were decided or revised since the sample was drawn
 *
 * Free its contents with vd_bulk_outcome_clear().
 */
typedef struct
{
  VdBulkStep     step;
  VdBulkAction  *action;
  GPtrArray     *undecided;
  char          *failed_task_id;
  char          *message;
  guint          n_approved;
  guint          n_skipped;
} VdBulkOutcome;

/*
 * A guarded bulk approve. A reviewer names a band of undecided items
 * (#VdBulkBand: queue, task type, confidence range, reason). The first
 * vd_bulk_step() draws a random spot-check sample from it (GRand with a
 * recorded seed; @percent of the band, at least 3 items) and records the
 * band, the seed and the sample (a `bulk_sample` audit event). The reviewer
 * decides the sampled items one by one, with ordinary decisions. The next
 * vd_bulk_step() with the same band and reviewer checks them: if every one
 * was approved unmodified by a reviewer, the rest of the band (as it was
 * when the sample was drawn, and only items still waiting at the same
 * revision) is approved in one transaction, each item with its own
 * decision and `bulk_approve` audit event naming the bulk action; if any
 * was rejected, modified, escalated further, or decided by a deadline
 * fallback, the bulk approve is cancelled (`bulk_cancel`) and the message
 * names the item.
 */

GQuark      vd_bulk_error_quark    (void);

void        vd_bulk_outcome_clear  (VdBulkOutcome        *outcome);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (VdBulkOutcome, vd_bulk_outcome_clear)

char       *vd_bulk_band_to_json   (const VdBulkBand     *band);
guint       vd_bulk_sample_size    (guint                 band_size,
                                    double                percent);

gboolean    vd_bulk_step           (VdStore              *store,
                                    const VdBulkBand     *band,
                                    const char           *reviewer_id,
                                    double                percent,
                                    gint64                seed,
                                    VdBulkOutcome        *outcome,
                                    GError              **error);
void        vd_bulk_step_async     (VdStore              *store,
                                    const VdBulkBand     *band,
                                    const char           *reviewer_id,
                                    double                percent,
                                    gint64                seed,
                                    GCancellable         *cancellable,
                                    GAsyncReadyCallback   callback,
                                    gpointer              user_data);
gboolean    vd_bulk_step_finish    (VdStore              *store,
                                    GAsyncResult         *result,
                                    VdBulkOutcome        *outcome,
                                    GError              **error);

G_END_DECLS
