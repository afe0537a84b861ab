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
#include "vd-expandable-text.h"
#include "vd-item-detail.h"
#include "vd-item-history.h"
#include "vd-item-source.h"

G_BEGIN_DECLS

struct _VdItemDetail
{
  GtkWidget          parent_instance;

  VdItem            *item;
  VdStore           *store;
  VdPolicy          *policy;

  gulong             item_notify_id;
  guint              due_timeout_id;
  double             threshold;

  /* Template widgets */
  GtkStack          *stack;
  GtkLabel          *read_only_label;
  GtkLabel          *claim_label;
  GtkLabel          *review_label;
  GtkScrolledWindow *scrolled_window;
  GtkLabel          *task_id_label;
  GtkLabel          *queue_label;
  GtkLabel          *status_label;
  GtkLabel          *task_type_label;
  GtkLabel          *revision_label;
  GtkLabel          *priority_label;
  GtkLabel          *received_label;
  GtkLabel          *due_label;
  GtkLabel          *confidence_label;
  GtkOverlay        *confidence_overlay;
  GtkLevelBar       *confidence_bar;
  GtkWidget         *threshold_marker;
  GtkLabel          *threshold_label;
  GtkWidget         *reason_box;
  GtkLabel          *reason_label;
  GtkWidget         *reason_separator;
  GtkLabel          *escalation_detail_label;
  GtkLabel          *source_label;
  GtkWidget         *output_section;
  VdExpandableText  *content_text;
  VdExpandableText  *reasoning_text;
  VdExpandableText  *description_text;
  VdExpandableText  *context_text;
  GtkWidget         *context_box;
  GtkWidget         *reasoning_box;

  /* The labels of the texts above. */
  GtkLabel          *description_label;
  GtkLabel          *context_label;
  GtkLabel          *content_label;
  GtkLabel          *reasoning_label;
  GtkWidget         *metadata_section;
  GtkGrid           *metadata_grid;
  VdItemHistory     *history;
  VdItemSource      *source_view;
  VdAgentResults    *agent_results;
  GtkWidget         *revision_banner;
  GtkImage          *revision_icon;
  GtkSpinner        *revision_spinner;
  GtkLabel          *revision_state_label;

  VdRevisionState    revision_state;
  GtkEntry          *note_entry;

  /* The deadline fallback applied to the item, read in a thread. */
  GtkWidget         *sla_banner;
  GtkLabel          *sla_label;
  GCancellable      *sla_cancellable;
  guint              n_sla_loads;

  /* Rich views of the texts by content type (vd-item-detail-content.c):
   * each slot sits after its plain text in the same card, empty for
   * text/plain. */
  GtkWidget         *content_slot;
  GtkWidget         *description_slot;
  GtkWidget         *context_slot;
  GtkWidget         *attachments_section;
  GtkWidget         *attachments_box;
  GCancellable      *attachments_cancellable;
  guint              n_attachment_loads;
};

/* Shared by the parts of the pane (vd-item-detail*.c, vd-item-history.c,
 * vd-agent-results.c). */
void        _vd_item_detail_set_plain_text    (GtkLabel     *label,
                                               const char   *text);
void        _vd_item_detail_set_description   (GtkWidget    *widget,
                                               const char   *description);
GtkWidget  *_vd_item_detail_data_label_new    (const char   *text,
                                               const char   *description);
GtkWidget  *_vd_item_detail_caption_label_new (const char   *text);
char       *_vd_item_detail_format_time       (GDateTime    *time);
void        _vd_item_detail_set_one_css_class (GtkWidget    *widget,
                                               const char   *css_class);

/* vd-item-detail-metadata.c */
void        _vd_item_detail_update_metadata   (VdItemDetail *self);
char       *_vd_item_detail_format_number     (double        value);
char       *_vd_item_detail_format_value      (JsonNode     *node);

/* vd-item-detail-deadline.c */
void        _vd_item_detail_load_sla          (VdItemDetail *self);

/* vd-item-detail-content.c */
void        _vd_item_detail_init_content      (VdItemDetail *self);
void        _vd_item_detail_update_content    (VdItemDetail *self);
void        _vd_item_detail_clear_content     (VdItemDetail *self);
GtkWidget  *_vd_item_detail_get_rich_output  (VdItemDetail *self);
GtkWidget  *_vd_item_detail_get_attachments  (VdItemDetail *self);
guint       _vd_item_detail_get_n_attachment_loads (VdItemDetail *self);

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
VdExpandableText *_vd_item_detail_get_output (VdItemDetail *self);
VdItemHistory *_vd_item_detail_get_history   (VdItemDetail *self);
VdAgentResults *_vd_item_detail_get_agent_results (VdItemDetail *self);
GtkWidget  *_vd_item_detail_get_revision_banner (VdItemDetail *self);
VdItemSource *_vd_item_detail_get_source_view (VdItemDetail *self);
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
