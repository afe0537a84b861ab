/* vd-decision-dialog.h
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

#include <adwaita.h>

#include "vd-core.h"
#include "vd-feedback-input.h"

G_BEGIN_DECLS

#define VD_TYPE_DECISION_DIALOG (vd_decision_dialog_get_type ())

G_DECLARE_FINAL_TYPE (VdDecisionDialog, vd_decision_dialog, VD, DECISION_DIALOG, AdwWindow)

/*
 * Asks for what a decision needs beyond a key press: the feedback of a
 * rejection (what the agent must fix), the corrected output of a
 * modification (with the changes shown before saving), or the reason for
 * escalating, with the output judged quoted above. The text is required,
 * as its placeholder says; confirming without it (for a modification:
 * without a change) shows why and returns to the text. The rating given in
 * the window (helpful, category) goes through with the decision.
 */

VdDecisionDialog *vd_decision_dialog_new           (VdDecisionKind        kind,
                                                    VdItem               *item);
VdDecisionKind    vd_decision_dialog_get_kind      (VdDecisionDialog     *self);
GtkTextBuffer    *vd_decision_dialog_get_buffer    (VdDecisionDialog     *self);
GtkTextBuffer    *vd_decision_dialog_get_diff_buffer (VdDecisionDialog   *self);
char             *vd_decision_dialog_dup_text      (VdDecisionDialog     *self);
gboolean          vd_decision_dialog_get_can_confirm (VdDecisionDialog   *self);
const char       *vd_decision_dialog_get_error     (VdDecisionDialog     *self);
const char       *vd_decision_dialog_get_placeholder (VdDecisionDialog   *self);
const char       *vd_decision_dialog_get_quoted_output (VdDecisionDialog *self);
const char       *vd_decision_dialog_get_source_note (VdDecisionDialog   *self);
VdFeedbackInput  *vd_decision_dialog_get_feedback_input (VdDecisionDialog *self);

void              vd_decision_dialog_run_async     (GtkWindow            *parent,
                                                    VdDecisionKind        kind,
                                                    VdItem               *item,
                                                    VdFeedbackInput      *initial,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
char             *vd_decision_dialog_run_finish    (GAsyncResult         *result,
                                                    VdHelpful            *helpful,
                                                    char                **category,
                                                    GError              **error);

G_END_DECLS
