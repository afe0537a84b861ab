/* vd-calibration.h
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

/* Equal-width bins over [0, 1]; bin i holds [i/10, (i+1)/10), the last one
 * [0.9, 1.0] with 1.0 included. */
#define VD_CALIBRATION_N_BINS 10

/* The approval rate a suggested threshold has to reach by default. */
#define VD_CALIBRATION_DEFAULT_TARGET 0.95

/* A suggested threshold resting on fewer items than this is flagged. */
#define VD_CALIBRATION_MIN_EVIDENCE 30

/**
 * VdCalibrationObservation:
 * @confidence: the agent's stated confidence, 0.0 to 1.0 inclusive
 * @approved_unchanged: whether the human approved the output as it was
 *   (not modified, rejected or escalated further)
 * @task_type: (nullable): the item's task type; observations without one
 *   only count in the overall figures
 * @model: (nullable): the model (or model and prompt version) that wrote the
 *   output; observations without one are in no model group
 * @count: how many identical observations this one stands for, so that the
 *   rows of an SQL `GROUP BY` can be passed as they are; 0 counts as 1
 * @still_reviewed: the item would reach a reviewer at any threshold (it was
 *   escalated for its content, a high-risk action or the policy, not for its
 *   confidence), so no threshold saves its review
 *
 * One item a human decided. The strings are borrowed: they only need to
 * live during vd_calibration_compute().
 */
typedef struct
{
  double      confidence;
  gboolean    approved_unchanged;
  const char *task_type;
  const char *model;
  guint64     count;
  gboolean    still_reviewed;
} VdCalibrationObservation;

/**
 * VdCalibrationBin:
 * @lower: the lowest confidence in the bin
 * @upper: the bin's upper end (excluded, except 1.0 for the last bin)
 * @count: observations in the bin
 * @mean_confidence: their mean stated confidence (0.0 when @count is 0)
 * @approval_rate: the share of them approved unchanged (0.0 when @count
 *   is 0)
 *
 * One bar of a reliability diagram.
 */
typedef struct
{
  double  lower;
  double  upper;
  guint64 count;
  double  mean_confidence;
  double  approval_rate;
} VdCalibrationBin;

/**
 * VdCalibrationThreshold:
 * @threshold: the suggested confidence threshold: the lowest confidence
 *   observed such that the items at or above it were approved unchanged at
 *   least at the target rate
 * @items: the items at or above @threshold: the evidence it rests on
 * @approved_unchanged: of @items, those approved unchanged
 * @approval_rate: @approved_unchanged / @items
 * @low_evidence: @items is under %VD_CALIBRATION_MIN_EVIDENCE
 * @reviews_saved: of @items, those whose review the threshold would have
 *   saved (all but the ones marked @still_reviewed)
 * @overridden: of @items, those the human did not approve unchanged: what
 *   the threshold would have let through without a look
 *
 * A threshold the history supports. Applying it is a reviewer's decision.
 */
typedef struct
{
  double   threshold;
  guint64  items;
  guint64  approved_unchanged;
  double   approval_rate;
  gboolean low_evidence;
  guint64  reviews_saved;
  guint64  overridden;
} VdCalibrationThreshold;

/**
 * VdCalibrationGroup:
 * @name: (nullable): the task type or model, %NULL for all observations
 * @count: the observations in the group
 * @approved_unchanged: of @count, those approved unchanged
 * @ece: the expected calibration error: the sum over the bins of
 *   (bin count / @count) * |approval rate - mean confidence| (0.0 when
 *   @count is 0)
 * @brier: the Brier score: the mean of (confidence - outcome)^2, the
 *   outcome being 1 for approved unchanged and 0 otherwise (0.0 when @count
 *   is 0)
 * @bins: the reliability diagram
 * @suggested_threshold: (nullable): the suggested threshold, %NULL when no
 *   threshold reaches the target
 *
 * The calibration figures of a set of observations.
 */
typedef struct
{
  char                   *name;
  guint64                 count;
  guint64                 approved_unchanged;
  double                  ece;
  double                  brier;
  VdCalibrationBin        bins[VD_CALIBRATION_N_BINS];
  VdCalibrationThreshold *suggested_threshold;
} VdCalibrationGroup;

/**
 * VdCalibration:
 * @target: the approval rate the suggested thresholds reach
 * @overall: all observations
 * @task_types: (element-type VdCalibrationGroup): one group per task type,
 *   sorted by name (byte order)
 * @models: (element-type VdCalibrationGroup): one group per model, sorted by
 *   name (byte order)
 *
 * How well the agent's stated confidence predicts a human's approval.
 */
typedef struct
{
  double              target;
  VdCalibrationGroup *overall;
  GPtrArray          *task_types;
  GPtrArray          *models;
} VdCalibration;

#define VD_TYPE_CALIBRATION_THRESHOLD (vd_calibration_threshold_get_type ())
GType                   vd_calibration_threshold_get_type (void) G_GNUC_CONST;
VdCalibrationThreshold *vd_calibration_threshold_copy     (const VdCalibrationThreshold *threshold);
void                    vd_calibration_threshold_free     (VdCalibrationThreshold       *threshold);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VdCalibrationThreshold, vd_calibration_threshold_free)

#define VD_TYPE_CALIBRATION_GROUP (vd_calibration_group_get_type ())
GType               vd_calibration_group_get_type (void) G_GNUC_CONST;
VdCalibrationGroup *vd_calibration_group_copy     (const VdCalibrationGroup *group);
void                vd_calibration_group_free     (VdCalibrationGroup       *group);
JsonNode           *vd_calibration_group_to_json  (const VdCalibrationGroup *group);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VdCalibrationGroup, vd_calibration_group_free)

#define VD_TYPE_CALIBRATION (vd_calibration_get_type ())
GType               vd_calibration_get_type       (void) G_GNUC_CONST;
VdCalibration      *vd_calibration_copy           (const VdCalibration            *calibration);
void                vd_calibration_free           (VdCalibration                  *calibration);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VdCalibration, vd_calibration_free)

VdCalibration      *vd_calibration_compute        (const VdCalibrationObservation *observations,
                                                   gsize                           n_observations,
                                                   double                          target);
VdCalibrationGroup *vd_calibration_find_task_type (const VdCalibration            *calibration,
                                                   const char                     *task_type);
VdCalibrationGroup *vd_calibration_find_model     (const VdCalibration            *calibration,
                                                   const char                     *model);
JsonNode           *vd_calibration_to_json        (const VdCalibration            *calibration);

G_END_DECLS
