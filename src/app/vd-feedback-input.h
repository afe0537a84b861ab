/* vd-feedback-input.h
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

G_BEGIN_DECLS

#define VD_TYPE_FEEDBACK_INPUT (vd_feedback_input_get_type ())

G_DECLARE_FINAL_TYPE (VdFeedbackInput, vd_feedback_input, VD, FEEDBACK_INPUT, GtkWidget)

/*
 * The feedback loop's part of a decision, all optional: whether the agent's
 * output was helpful (a yes/no toggle pair that can also stay unset) and a
 * category (the policy's feedback categories, or free text), in the popover
 * of a "Rate Output" button.
 */

GtkWidget  *vd_feedback_input_new            (void);
void        vd_feedback_input_set_categories (VdFeedbackInput    *self,
                                              const char * const *categories);
VdHelpful   vd_feedback_input_get_helpful    (VdFeedbackInput    *self);
void        vd_feedback_input_set_helpful    (VdFeedbackInput    *self,
                                              VdHelpful           helpful);
char       *vd_feedback_input_dup_category   (VdFeedbackInput    *self);
void        vd_feedback_input_set_category   (VdFeedbackInput    *self,
                                              const char         *category);
void        vd_feedback_input_clear          (VdFeedbackInput    *self);
void        vd_feedback_input_popup          (VdFeedbackInput    *self);
guint       vd_feedback_input_get_n_categories (VdFeedbackInput  *self);
void        vd_feedback_input_set_item       (VdFeedbackInput    *self,
                                              VdItem             *item);
void        vd_feedback_input_copy_from      (VdFeedbackInput    *self,
                                              VdFeedbackInput    *other);
void        vd_feedback_input_apply          (VdFeedbackInput    *self,
                                              VdDecision         *decision);

G_END_DECLS
