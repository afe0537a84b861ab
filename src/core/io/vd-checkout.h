/* vd-checkout.h
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

/*
 * The offline slice of a team queue (docs/formats.md, "Working offline on
 * a team queue"). Checkout claims items of a queue for a long lease and
 * writes them as a signed queue file; the reviewer imports it into a local
 * store, decides, and exports the decisions. Checkin verifies that export
 * and records each of its decisions on the team store when nothing
 * happened to the item meanwhile; anything else is a conflict, reported
 * and never written over.
 */

#define VD_CHECKOUT_ERROR (vd_checkout_error_quark ())

typedef enum
{
  VD_CHECKOUT_ERROR_NOTHING,   /* no undecided item of the queue was free to claim */
  VD_CHECKOUT_ERROR_FORMAT,    /* the decisions file is not a decisions export */
} VdCheckoutError;

GQuark vd_checkout_error_quark (void);

/* The format of a checkout file's signature's trusted comment. */
#define VD_CHECKOUT_FORMAT "verdict-queue v1"

/**
 * VdCheckoutResult:
 * @n_items: items claimed and written
 * @expires_at: when their claims end, in microseconds since the Unix epoch
 * @key_id: (nullable): the key that signed `FILE.minisig`; %NULL when the
 *   file could not be signed (then @sign_error says why)
 * @sign_error: (nullable): why the file has no signature
 *
 * What vd_checkout_write() did. Clear with vd_checkout_result_clear().
 */
typedef struct
{
  guint   n_items;
  gint64  expires_at;
  char   *key_id;
  GError *sign_error;
} VdCheckoutResult;

void vd_checkout_result_clear (VdCheckoutResult *result);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (VdCheckoutResult, vd_checkout_result_clear)

gboolean vd_checkout_write (VdStore           *store,
                            const char        *store_label,
                            const char        *queue,
                            guint              count,
                            guint              lease_seconds,
                            const char        *reviewer_id,
                            GFile             *file,
                            VdCheckoutResult  *result,
                            GCancellable      *cancellable,
                            GError           **error);

/**
 * VdCheckinStatus:
 * @VD_CHECKIN_APPLIED: recorded on the team store now
 * @VD_CHECKIN_ALREADY_APPLIED: recorded by an earlier checkin of the same
 *   decision
 * @VD_CHECKIN_CONFLICT: not recorded: the item changed meanwhile
 */
typedef enum
{
  VD_CHECKIN_APPLIED,
  VD_CHECKIN_ALREADY_APPLIED,
  VD_CHECKIN_CONFLICT,
} VdCheckinStatus;

/**
 * VdCheckinOutcome:
 * @line: the line of the decisions file
 * @queue: the item's queue
 * @task_id: its task id
 * @kind: the offline decision
 * @status: what happened to it
 * @message: for a conflict, why, e.g. `decided meanwhile by bob at 14:32
 *   (approve); your reject was not applied`; %NULL otherwise
 * @line_hash: the hash of the decision's offline audit event
 * @decision_seq: for an applied decision, the seq of its event on the
 *   team store
 *
 * One decision of a checkin.
 */
typedef struct
{
  guint            line;
  char            *queue;
  char            *task_id;
  VdDecisionKind   kind;
  VdCheckinStatus  status;
  char            *message;
  char            *line_hash;
  gint64           decision_seq;
} VdCheckinOutcome;

void vd_checkin_outcome_free (VdCheckinOutcome *outcome);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VdCheckinOutcome, vd_checkin_outcome_free)

const char *vd_checkin_status_to_string (VdCheckinStatus status);

GPtrArray *vd_checkin_apply (VdStore       *store,
                             const char    *reviewer_id,
                             const char    *path,
                             GPtrArray     *keys,
                             GCancellable  *cancellable,
                             GError       **error);

G_END_DECLS
