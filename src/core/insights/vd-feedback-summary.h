/* vd-feedback-summary.h
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

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* A category needs this many records to be an improvement area. */
#define VD_FEEDBACK_AREA_MIN_RECORDS 3

/**
 * VdFeedbackRecord:
 * @task_id: the item the feedback is about
 * @original_output: the agent's output the reviewer judged
 * @feedback: the reviewer's words
 * @was_helpful: whether the reviewer found the output helpful
 * @category: (nullable): what the feedback is about; %NULL counts as the
 *   empty category
 * @timestamp: when the feedback was given, in microseconds since the Unix
 *   epoch
 *
 * A reviewer's judgement of an agent's output. The strings are borrowed:
 * they only need to live during vd_feedback_summary_compute().
 */
typedef struct
{
  const char *task_id;
  const char *original_output;
  const char *feedback;
  gboolean    was_helpful;
  const char *category;
  gint64      timestamp;
} VdFeedbackRecord;

/**
 * VdFeedbackCategory:
 * @name: the category
 * @count: the records in it
 * @helpful: of @count, those marked helpful
 *
 * The records of one category.
 */
typedef struct
{
  char    *name;
  guint64  count;
  guint64  helpful;
} VdFeedbackCategory;

/**
 * VdFeedbackSummary:
 * @total_feedback: the records
 * @helpful_count: of @total_feedback, those marked helpful
 * @helpful_rate: @helpful_count / @total_feedback, 0.0 without records
 * @categories: (element-type VdFeedbackCategory): one entry per category,
 *   in the order of the first record of each
 * @improvement_suggestions: the improvement suggestions
 *
 * The summary of the feedback loop, as the reference's
 * `HumanFeedbackLoop` gives it.
 */
typedef struct
{
  guint64  total_feedback;
  guint64  helpful_count;
  double   helpful_rate;
  GArray  *categories;
  guint64  improvement_suggestions;
} VdFeedbackSummary;

#define VD_TYPE_FEEDBACK_SUMMARY (vd_feedback_summary_get_type ())
GType              vd_feedback_summary_get_type              (void) G_GNUC_CONST;
VdFeedbackSummary *vd_feedback_summary_copy                  (const VdFeedbackSummary *summary);
void               vd_feedback_summary_free                  (VdFeedbackSummary       *summary);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VdFeedbackSummary, vd_feedback_summary_free)

VdFeedbackSummary *vd_feedback_summary_compute               (const VdFeedbackRecord  *records,
                                                              gsize                    n_records,
                                                              const char * const      *suggestions);
char             **vd_feedback_summary_get_improvement_areas (const VdFeedbackSummary *summary);
JsonNode          *vd_feedback_summary_to_json               (const VdFeedbackSummary *summary);

char              *vd_feedback_format_percent                (double                   rate);

G_END_DECLS
