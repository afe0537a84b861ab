/* vd-item-detail-private.h
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

#include "vd-agent-results.h"
#include "vd-item-detail.h"
#include "vd-item-history.h"

G_BEGIN_DECLS

/* Shared by the parts of the pane (vd-item-detail.c, vd-item-history.c,
 * vd-agent-results.c). */
void        _vd_item_detail_set_plain_text    (GtkLabel     *label,
                                               const char   *text);
void        _vd_item_detail_set_description   (GtkWidget    *widget,
                                               const char   *description);
GtkWidget  *_vd_item_detail_data_label_new    (const char   *text,
                                               const char   *description);
GtkWidget  *_vd_item_detail_caption_label_new (const char   *text);
char       *_vd_item_detail_format_time       (GDateTime    *time);

/* Internal state, for the tests. */
const char *_vd_item_detail_get_visible_page (VdItemDetail *self);
gboolean    _vd_item_detail_get_loading      (VdItemDetail *self);
guint       _vd_item_detail_get_n_loads      (VdItemDetail *self);
GtkLabel   *_vd_item_detail_get_label        (VdItemDetail *self,
                                              const char   *name);
GtkLevelBar *_vd_item_detail_get_level_bar   (VdItemDetail *self);
double      _vd_item_detail_get_threshold    (VdItemDetail *self);
GtkWidget  *_vd_item_detail_get_metadata_grid (VdItemDetail *self);
GtkWidget  *_vd_item_detail_get_revisions    (VdItemDetail *self);
GtkWidget  *_vd_item_detail_get_decisions    (VdItemDetail *self);
GtkWidget  *_vd_item_detail_get_note_entry   (VdItemDetail *self);
VdItemHistory *_vd_item_detail_get_history   (VdItemDetail *self);
VdAgentResults *_vd_item_detail_get_agent_results (VdItemDetail *self);
GtkWidget  *_vd_item_detail_get_revision_banner (VdItemDetail *self);
guint       _vd_item_detail_get_n_sla_loads  (VdItemDetail *self);
gboolean    _vd_item_detail_get_sla_loading  (VdItemDetail *self);
GtkWidget  *_vd_item_detail_get_sla_banner   (VdItemDetail *self);
char       *_vd_item_detail_describe_sla     (const VdSlaRecord *record);

char       *_vd_item_detail_format_due       (GDateTime    *due_at,
                                              GDateTime    *now);

gboolean    _vd_item_history_get_loading     (VdItemHistory *self);
guint       _vd_item_history_get_n_loads     (VdItemHistory *self);
GtkWidget  *_vd_item_history_get_revisions   (VdItemHistory *self);
GtkWidget  *_vd_item_history_get_decisions   (VdItemHistory *self);
GtkLabel   *_vd_item_history_get_error_label (VdItemHistory *self);

GtkWidget  *_vd_agent_results_get_section     (VdAgentResults *self,
                                               VdAgentRequest  kind);
GtkSpinner *_vd_agent_results_get_spinner     (VdAgentResults *self,
                                               VdAgentRequest  kind);
GtkLabel   *_vd_agent_results_get_error_label (VdAgentResults *self,
                                               VdAgentRequest  kind);

G_END_DECLS
