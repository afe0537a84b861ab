/* vd-agreement.h: how often two reviewers of one item agree
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
#include <json-glib/json-glib.h>

#include "vd-types.h"

G_BEGIN_DECLS

#define VD_AGREEMENT_N_KINDS (VD_DECISION_KIND_ESCALATE_FURTHER + 1)

/**
 * VdAgreement:
 * @table: pairs of reviews by the first review's kind (row) and the
 *   second's (column)
 * @n_pairs: items with two reviews counted
 * @n_agree: of them, those whose reviews are of the same kind
 * @percent_agreement: @n_agree of @n_pairs in percent; 0 without pairs
 * @kappa_defined: whether Cohen's kappa is defined: there are pairs, and
 *   the agreement expected by chance is below 1 (both reviewers always
 *   chose one and the same kind)
 * @kappa: Cohen's kappa when @kappa_defined, else 0
 *
 * Agreement between the two reviewers of items that need two, over the
 * decision kinds. Fill @table with vd_agreement_add(), or from decisions
 * with vd_agreement_add_decisions(), then vd_agreement_compute().
 */
typedef struct
{
  guint64  table[VD_AGREEMENT_N_KINDS][VD_AGREEMENT_N_KINDS];
  guint64  n_pairs;
  guint64  n_agree;
  double   percent_agreement;
  gboolean kappa_defined;
  double   kappa;
} VdAgreement;

void        vd_agreement_add           (VdAgreement    *agreement,
                                        VdDecisionKind  first,
                                        VdDecisionKind  second);
void        vd_agreement_add_decisions (VdAgreement    *agreement,
                                        GPtrArray      *decisions,
                                        GDateTime      *from,
                                        GDateTime      *to);
gboolean    vd_agreement_add_from_store (VdAgreement   *agreement,
                                        VdStore        *store,
                                        const char     *queue,
                                        GDateTime      *from,
                                        GDateTime      *to,
                                        GCancellable   *cancellable,
                                        GError        **error);
void        vd_agreement_compute       (VdAgreement    *agreement);
JsonObject *vd_agreement_to_json       (const VdAgreement *agreement);

G_END_DECLS
