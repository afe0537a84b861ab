/* vd-item.h
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

#include <json-glib/json-glib.h>

#include "vd-attachment.h"
#include "vd-types.h"

G_BEGIN_DECLS

#define VD_TYPE_ITEM (vd_item_get_type ())

/* The bounds of an item's revision and priority: far beyond any real
 * rework loop or scale of urgency, and far enough from the int limits that
 * a revise (revision + 1) or a comparison never overflows. */
#define VD_ITEM_MAX_REVISION 1000000
#define VD_ITEM_MAX_PRIORITY 1000000

G_DECLARE_FINAL_TYPE (VdItem, vd_item, VD, ITEM, GObject)

/*
 * An escalation request: one task, the agent's output for it, and why (or
 * whether) a human must see it. Identity is (queue, task-id).
 *
 * Properties (all readable and writable, notify on change):
 *   id (int64, store row id, 0 when not stored), queue, task-id,
 *   task-description, task-type, context, content, confidence (double 0..1),
 *   reasoning, metadata (JsonObject, never NULL), escalation-reason
 *   (VdEscalationReason), escalation-detail (text explaining which policy
 *   check fired), timestamp (GDateTime, never NULL), due-at (GDateTime,
 *   nullable), priority (int), revision (int >= 0), status (VdTaskStatus),
 *   expected-decision (known-answer check, nullable wire name),
 *   task-content-type, context-content-type, output-content-type (see
 *   vd_content_type_is_valid(); never NULL, default text/plain), source
 *   (JsonObject, nullable: the other tool's record, vd_item_get_source()).
 *
 * The confidence is NaN when the source gave none (vd_item_has_confidence()).
 *
 * An item also holds its attachments (VdAttachment, in the queue file's
 * order), which are not a property: vd_item_get_attachments().
 */

VdItem             *vd_item_new                    (const char         *queue,
                                                    const char         *task_id);
VdItem             *vd_item_copy                   (VdItem             *self);
gboolean            vd_item_same_task              (VdItem             *a,
                                                    VdItem             *b);

gint64              vd_item_get_id                 (VdItem             *self);
void                vd_item_set_id                 (VdItem             *self,
                                                    gint64              id);
const char         *vd_item_get_queue              (VdItem             *self);
void                vd_item_set_queue              (VdItem             *self,
                                                    const char         *queue);
const char         *vd_item_get_task_id            (VdItem             *self);
void                vd_item_set_task_id            (VdItem             *self,
                                                    const char         *task_id);
const char         *vd_item_get_task_description   (VdItem             *self);
void                vd_item_set_task_description   (VdItem             *self,
                                                    const char         *task_description);
const char         *vd_item_get_task_type          (VdItem             *self);
void                vd_item_set_task_type          (VdItem             *self,
                                                    const char         *task_type);
const char         *vd_item_get_context            (VdItem             *self);
void                vd_item_set_context            (VdItem             *self,
                                                    const char         *context);
const char         *vd_item_get_content            (VdItem             *self);
void                vd_item_set_content            (VdItem             *self,
                                                    const char         *content);
double              vd_item_get_confidence         (VdItem             *self);
void                vd_item_set_confidence         (VdItem             *self,
                                                    double              confidence);
const char         *vd_item_get_reasoning          (VdItem             *self);
void                vd_item_set_reasoning          (VdItem             *self,
                                                    const char         *reasoning);
JsonObject         *vd_item_get_metadata           (VdItem             *self);
void                vd_item_set_metadata           (VdItem             *self,
                                                    JsonObject         *metadata);
VdEscalationReason  vd_item_get_escalation_reason  (VdItem             *self);
void                vd_item_set_escalation_reason  (VdItem             *self,
                                                    VdEscalationReason  reason);
const char         *vd_item_get_escalation_detail  (VdItem             *self);
void                vd_item_set_escalation_detail  (VdItem             *self,
                                                    const char         *detail);
GDateTime          *vd_item_get_timestamp          (VdItem             *self);
void                vd_item_set_timestamp          (VdItem             *self,
                                                    GDateTime          *timestamp);
GDateTime          *vd_item_get_due_at             (VdItem             *self);
void                vd_item_set_due_at             (VdItem             *self,
                                                    GDateTime          *due_at);
int                 vd_item_get_reviews_required   (VdItem             *self);
void                vd_item_set_reviews_required   (VdItem             *self,
                                                    int                 reviews_required);
int                 vd_item_get_n_reviews          (VdItem             *self);
void                vd_item_set_n_reviews          (VdItem             *self,
                                                    int                 n_reviews);
int                 vd_item_get_priority           (VdItem             *self);
void                vd_item_set_priority           (VdItem             *self,
                                                    int                 priority);
int                 vd_item_get_revision           (VdItem             *self);
void                vd_item_set_revision           (VdItem             *self,
                                                    int                 revision);
VdTaskStatus        vd_item_get_status             (VdItem             *self);
void                vd_item_set_status             (VdItem             *self,
                                                    VdTaskStatus        status);
const char         *vd_item_get_expected_decision  (VdItem             *self);
void                vd_item_set_expected_decision  (VdItem             *self,
                                                    const char         *expected_decision);
const char         *vd_item_get_task_content_type  (VdItem             *self);
void                vd_item_set_task_content_type  (VdItem             *self,
                                                    const char         *content_type);
const char         *vd_item_get_context_content_type (VdItem           *self);
void                vd_item_set_context_content_type (VdItem           *self,
                                                    const char         *content_type);
const char         *vd_item_get_output_content_type (VdItem            *self);
void                vd_item_set_output_content_type (VdItem            *self,
                                                    const char         *content_type);
GPtrArray          *vd_item_get_attachments        (VdItem             *self);
void                vd_item_add_attachment         (VdItem             *self,
                                                    VdAttachment       *attachment);
void                vd_item_clear_attachments      (VdItem             *self);
VdAttachment       *vd_item_find_attachment        (VdItem             *self,
                                                    const char         *name);

gboolean            vd_content_type_is_valid       (const char         *content_type);

gboolean            vd_item_has_confidence         (VdItem             *self);
void                vd_item_clear_confidence       (VdItem             *self);
JsonObject         *vd_item_get_source             (VdItem             *self);
void                vd_item_set_source             (VdItem             *self,
                                                    JsonObject         *source);
const char         *vd_item_get_source_format      (VdItem             *self);
gboolean            vd_item_allows_decision        (VdItem             *self,
                                                    VdDecisionKind      kind);
gboolean            vd_item_is_undecided           (VdItem             *self);
gboolean            vd_item_validate               (VdItem             *self,
                                                    GError            **error);
char               *vd_item_dup_metadata_json      (VdItem             *self);
JsonNode           *vd_item_to_json                (VdItem             *self);

G_END_DECLS
