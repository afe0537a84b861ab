/* vd-fatigue-banner.h
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

/* The audit event of a fatigue prompt; its payload is
 * {"signal":"fast_streak"|"no_pause","state":"shown"|"dismissed",
 *  "streak":N[,"minutes":M]}. */
#define VD_AUDIT_FATIGUE_PROMPT "fatigue_prompt"

#define VD_TYPE_FATIGUE_BANNER (vd_fatigue_banner_get_type ())

G_DECLARE_FINAL_TYPE (VdFatigueBanner, vd_fatigue_banner, VD, FATIGUE_BANNER, GtkWidget)

/*
 * Watches the decisions of this session and, when they show signs of
 * fatigue (a run of fast approvals, or a long stretch without a pause),
 * reveals a dismissible prompt that suggests a closer look or a break. It
 * never blocks reviewing. Every prompt shown and dismissed is recorded in
 * the audit trail; a prompt is not shown again for the same streak or
 * session.
 */

GtkWidget  *vd_fatigue_banner_new            (void);
void        vd_fatigue_banner_set_store      (VdFatigueBanner *self,
                                              VdStore         *store);
void        vd_fatigue_banner_add_decision   (VdFatigueBanner *self,
                                              VdDecision      *decision);
void        vd_fatigue_banner_reset          (VdFatigueBanner *self);
void        vd_fatigue_banner_dismiss        (VdFatigueBanner *self);
gboolean    vd_fatigue_banner_get_revealed   (VdFatigueBanner *self);
const char *vd_fatigue_banner_get_text       (VdFatigueBanner *self);
const char *vd_fatigue_banner_get_signal     (VdFatigueBanner *self);
guint       vd_fatigue_banner_get_n_pending  (VdFatigueBanner *self);

G_END_DECLS
