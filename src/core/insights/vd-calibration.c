/* vd-calibration.c: the agent's stated confidence against human approval
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

#define G_LOG_DOMAIN "vd-calibration"

#include "config.h"

#include <math.h>
#include <string.h>

#include "vd-calibration.h"

/*
 * Everything is computed in one pass over the observations into one
 * accumulator per group (all, each task type, each model); a group's
 * suggested threshold then needs its observations sorted by confidence,
 * so each accumulator also keeps one small point per observation.
 */

typedef struct
{
  double  confidence;
  guint64 count;
  guint64 approved;
  guint64 saved;
} Point;

typedef struct
{
  guint64  count;
  guint64  approved;
  guint64  bin_count[VD_CALIBRATION_N_BINS];
  guint64  bin_approved[VD_CALIBRATION_N_BINS];
  double   bin_confidence[VD_CALIBRATION_N_BINS];
  double   squared_error;
  GArray  *points;
} Accumulator;

G_DEFINE_BOXED_TYPE (VdCalibrationThreshold, vd_calibration_threshold,
                     vd_calibration_threshold_copy, vd_calibration_threshold_free)
G_DEFINE_BOXED_TYPE (VdCalibrationGroup, vd_calibration_group,
                     vd_calibration_group_copy, vd_calibration_group_free)
G_DEFINE_BOXED_TYPE (VdCalibration, vd_calibration, vd_calibration_copy, vd_calibration_free)

/**
 * vd_calibration_threshold_copy:
 * @threshold: a suggested threshold
 *
 * Returns: (transfer full): a copy of @threshold
 */
VdCalibrationThreshold *
vd_calibration_threshold_copy (const VdCalibrationThreshold *threshold)
{
  g_return_val_if_fail (threshold != NULL, NULL);

  return g_memdup2 (threshold, sizeof *threshold);
}

/**
 * vd_calibration_threshold_free:
 * @threshold: (nullable): a suggested threshold
 *
 * Frees @threshold.
 */
void
vd_calibration_threshold_free (VdCalibrationThreshold *threshold)
{
  g_free (threshold);
}

/**
 * vd_calibration_group_copy:
 * @group: a group's figures
 *
 * Returns: (transfer full): a deep copy of @group
 */
VdCalibrationGroup *
vd_calibration_group_copy (const VdCalibrationGroup *group)
{
  VdCalibrationGroup *copy;

  g_return_val_if_fail (group != NULL, NULL);

  copy = g_memdup2 (group, sizeof *group);
  copy->name = g_strdup (group->name);
  if (group->suggested_threshold != NULL)
    copy->suggested_threshold = vd_calibration_threshold_copy (group->suggested_threshold);

  return copy;
}

/**
 * vd_calibration_group_free:
 * @group: (nullable): a group's figures
 *
 * Frees @group and what it holds.
 */
void
vd_calibration_group_free (VdCalibrationGroup *group)
{
  if (group == NULL)
    return;

  g_free (group->name);
  vd_calibration_threshold_free (group->suggested_threshold);
  g_free (group);
}

static GPtrArray *
copy_groups (GPtrArray *groups)
{
  GPtrArray *copy = g_ptr_array_new_full (groups->len, (GDestroyNotify) vd_calibration_group_free);

  for (guint i = 0; i < groups->len; i++)
    g_ptr_array_add (copy, vd_calibration_group_copy (g_ptr_array_index (groups, i)));

  return copy;
}

/**
 * vd_calibration_copy:
 * @calibration: calibration figures
 *
 * Returns: (transfer full): a deep copy of @calibration
 */
VdCalibration *
vd_calibration_copy (const VdCalibration *calibration)
{
  VdCalibration *copy;

  g_return_val_if_fail (calibration != NULL, NULL);

  copy = g_new0 (VdCalibration, 1);
  copy->target = calibration->target;
  copy->overall = vd_calibration_group_copy (calibration->overall);
  copy->task_types = copy_groups (calibration->task_types);
  copy->models = copy_groups (calibration->models);

  return copy;
}

/**
 * vd_calibration_free:
 * @calibration: (nullable): calibration figures
 *
 * Frees @calibration and all its groups.
 */
void
vd_calibration_free (VdCalibration *calibration)
{
  if (calibration == NULL)
    return;

  vd_calibration_group_free (calibration->overall);
  g_clear_pointer (&calibration->task_types, g_ptr_array_unref);
  g_clear_pointer (&calibration->models, g_ptr_array_unref);
  g_free (calibration);
}

static double
bin_lower (guint bin)
{
  return (double) bin / VD_CALIBRATION_N_BINS;
}

/* The bin of @confidence, decided by comparing with the edges as doubles,
 * so that a confidence written 0.3 is in [0.3, 0.4) as its decimal form
 * says. The product with 10 alone can round across an edge: the double
 * just under 0.9 times 10 is 9.0. */
static guint
bin_index (double confidence)
{
  guint bin;

  g_assert (confidence >= 0.0 && confidence <= 1.0);

  bin = MIN ((guint) (confidence * VD_CALIBRATION_N_BINS), VD_CALIBRATION_N_BINS - 1);
  while (bin + 1 < VD_CALIBRATION_N_BINS && confidence >= bin_lower (bin + 1))
    bin++;
  while (bin > 0 && confidence < bin_lower (bin))
    bin--;

  return bin;
}

static Accumulator *
accumulator_new (void)
{
  Accumulator *acc = g_new0 (Accumulator, 1);

  acc->points = g_array_new (FALSE, FALSE, sizeof (Point));

  return acc;
}

static void
accumulator_free (Accumulator *acc)
{
  g_array_unref (acc->points);
  g_free (acc);
}

static void
accumulator_add (Accumulator                    *acc,
                 const VdCalibrationObservation *observation)
{
  guint64 count = MAX (observation->count, 1);
  guint64 approved = observation->approved_unchanged ? count : 0;
  double outcome = observation->approved_unchanged ? 1.0 : 0.0;
  double error = observation->confidence - outcome;
  guint bin = bin_index (observation->confidence);
  Point point;

  acc->count += count;
  acc->approved += approved;
  acc->bin_count[bin] += count;
  acc->bin_approved[bin] += approved;
  acc->bin_confidence[bin] += observation->confidence * (double) count;
  acc->squared_error += error * error * (double) count;

  point.confidence = observation->confidence;
  point.count = count;
  point.approved = approved;
  point.saved = observation->still_reviewed ? 0 : count;
  g_array_append_val (acc->points, point);
}

static int
compare_points (gconstpointer a,
                gconstpointer b)
{
  const Point *pa = a;
  const Point *pb = b;

  return (pa->confidence > pb->confidence) - (pa->confidence < pb->confidence);
}

/* The lowest observed confidence such that the points at or above it reach
 * @target, or %NULL. Sweeps the distinct confidences upwards, taking the
 * points below the candidate off the totals. */
static VdCalibrationThreshold *
suggest_threshold (GArray *points,
                   double  target)
{
  guint64 total = 0, total_approved = 0, total_saved = 0;
  guint64 below = 0, below_approved = 0, below_saved = 0;
  guint i = 0;

  g_array_sort (points, compare_points);

  for (guint j = 0; j < points->len; j++)
    {
      const Point *point = &g_array_index (points, Point, j);

      total += point->count;
      total_approved += point->approved;
      total_saved += point->saved;
    }

  while (i < points->len)
    {
      double candidate = g_array_index (points, Point, i).confidence;
      guint64 items = total - below;
      guint64 approved = total_approved - below_approved;
      double rate = (double) approved / (double) items;

      if (rate >= target)
        {
          VdCalibrationThreshold *threshold = g_new0 (VdCalibrationThreshold, 1);

          threshold->threshold = candidate;
          threshold->items = items;
          threshold->approved_unchanged = approved;
          threshold->approval_rate = rate;
          threshold->low_evidence = items < VD_CALIBRATION_MIN_EVIDENCE;
          threshold->reviews_saved = total_saved - below_saved;
          threshold->overridden = items - approved;
          return threshold;
        }

      for (; i < points->len && g_array_index (points, Point, i).confidence == candidate; i++)
        {
          const Point *point = &g_array_index (points, Point, i);

          below += point->count;
          below_approved += point->approved;
          below_saved += point->saved;
        }
    }

  return NULL;
}

static VdCalibrationGroup *
accumulator_finish (Accumulator *acc,
                    const char  *name,
                    double       target)
{
  VdCalibrationGroup *group = g_new0 (VdCalibrationGroup, 1);

  group->name = g_strdup (name);
  group->count = acc->count;
  group->approved_unchanged = acc->approved;

  for (guint bin = 0; bin < VD_CALIBRATION_N_BINS; bin++)
    {
      VdCalibrationBin *out = &group->bins[bin];

      out->lower = bin_lower (bin);
      out->upper = bin_lower (bin + 1);
      out->count = acc->bin_count[bin];
      if (out->count == 0)
        continue;

      out->mean_confidence = acc->bin_confidence[bin] / (double) out->count;
      out->approval_rate = (double) acc->bin_approved[bin] / (double) out->count;
      group->ece += (double) out->count / (double) acc->count
                    * fabs (out->approval_rate - out->mean_confidence);
    }

  if (acc->count > 0)
    {
      group->brier = acc->squared_error / (double) acc->count;
      group->suggested_threshold = suggest_threshold (acc->points, target);
    }

  return group;
}

static void
accumulator_add_to (GHashTable                     *groups,
                    const char                     *name,
                    const VdCalibrationObservation *observation)
{
  Accumulator *acc = g_hash_table_lookup (groups, name);

  if (acc == NULL)
    {
      acc = accumulator_new ();
      g_hash_table_insert (groups, g_strdup (name), acc);
    }

  accumulator_add (acc, observation);
}

static int
compare_groups (gconstpointer a,
                gconstpointer b)
{
  const VdCalibrationGroup *ga = *(VdCalibrationGroup * const *) a;
  const VdCalibrationGroup *gb = *(VdCalibrationGroup * const *) b;

  return strcmp (ga->name, gb->name);
}

static GPtrArray *
finish_groups (GHashTable *accumulators,
               double      target)
{
  GPtrArray *groups = g_ptr_array_new_with_free_func ((GDestroyNotify) vd_calibration_group_free);
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, accumulators);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_ptr_array_add (groups, accumulator_finish (value, key, target));

  g_ptr_array_sort (groups, compare_groups);

  return groups;
}

/**
 * vd_calibration_compute:
 * @observations: (array length=n_observations): the items humans decided
 * @n_observations: the number of @observations
 * @target: the approval rate a suggested threshold has to reach, above 0.0
 *   and at most 1.0 (%VD_CALIBRATION_DEFAULT_TARGET usually)
 *
 * Computes the reliability diagram, the expected calibration error and the
 * Brier score of all observations, of each task type and of each model.
 *
 * The suggested threshold of each group is the lowest confidence observed
 * in the group such that the group's items at or above it were approved
 * unchanged at a rate of at least @target. It is the lowest such one, not
 * the lowest above which every threshold qualifies: a rate computed over
 * more items is the better evidence.
 *
 * Returns: (transfer full): the figures, or %NULL (with a critical warning)
 *   when @target or a confidence is out of range
 */
VdCalibration *
vd_calibration_compute (const VdCalibrationObservation *observations,
                        gsize                           n_observations,
                        double                          target)
{
  g_autoptr(GHashTable) task_types = NULL;
  g_autoptr(GHashTable) models = NULL;
  Accumulator *overall;
  VdCalibration *calibration;

  g_return_val_if_fail (observations != NULL || n_observations == 0, NULL);
  g_return_val_if_fail (target > 0.0 && target <= 1.0, NULL);

  for (gsize i = 0; i < n_observations; i++)
    {
      double confidence = observations[i].confidence;

      /* Written so that NaN fails too. */
      if (!(confidence >= 0.0 && confidence <= 1.0))
        {
          g_critical ("%s: observation %" G_GSIZE_FORMAT ": the confidence %g is not "
                      "between 0.0 and 1.0", G_STRFUNC, i, confidence);
          return NULL;
        }
    }

  task_types = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                      (GDestroyNotify) accumulator_free);
  models = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                  (GDestroyNotify) accumulator_free);
  overall = accumulator_new ();

  for (gsize i = 0; i < n_observations; i++)
    {
      const VdCalibrationObservation *observation = &observations[i];

      accumulator_add (overall, observation);
      if (observation->task_type != NULL)
        accumulator_add_to (task_types, observation->task_type, observation);
      if (observation->model != NULL)
        accumulator_add_to (models, observation->model, observation);
    }

  calibration = g_new0 (VdCalibration, 1);
  calibration->target = target;
  calibration->overall = accumulator_finish (overall, NULL, target);
  calibration->task_types = finish_groups (task_types, target);
  calibration->models = finish_groups (models, target);
  accumulator_free (overall);

  return calibration;
}

static VdCalibrationGroup *
find_group (GPtrArray  *groups,
            const char *name)
{
  for (guint i = 0; i < groups->len; i++)
    {
      VdCalibrationGroup *group = g_ptr_array_index (groups, i);

      if (g_strcmp0 (group->name, name) == 0)
        return group;
    }

  return NULL;
}

/**
 * vd_calibration_find_task_type:
 * @calibration: calibration figures
 * @task_type: a task type
 *
 * Returns: (transfer none) (nullable): the figures of @task_type, %NULL when
 *   no observation has it
 */
VdCalibrationGroup *
vd_calibration_find_task_type (const VdCalibration *calibration,
                               const char          *task_type)
{
  g_return_val_if_fail (calibration != NULL, NULL);
  g_return_val_if_fail (task_type != NULL, NULL);

  return find_group (calibration->task_types, task_type);
}

/**
 * vd_calibration_find_model:
 * @calibration: calibration figures
 * @model: a model
 *
 * Returns: (transfer none) (nullable): the figures of @model, %NULL when no
 *   observation has it
 */
VdCalibrationGroup *
vd_calibration_find_model (const VdCalibration *calibration,
                           const char          *model)
{
  g_return_val_if_fail (calibration != NULL, NULL);
  g_return_val_if_fail (model != NULL, NULL);

  return find_group (calibration->models, model);
}

static void
add_rate (JsonBuilder *builder,
          const char  *name,
          gboolean     known,
          double       value)
{
  json_builder_set_member_name (builder, name);
  if (known)
    json_builder_add_double_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
add_threshold (JsonBuilder                  *builder,
               const VdCalibrationThreshold *threshold)
{
  json_builder_set_member_name (builder, "suggested_threshold");
  if (threshold == NULL)
    {
      json_builder_add_null_value (builder);
      return;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "threshold");
  json_builder_add_double_value (builder, threshold->threshold);
  json_builder_set_member_name (builder, "items");
  json_builder_add_int_value (builder, (gint64) threshold->items);
  json_builder_set_member_name (builder, "approved_unchanged");
  json_builder_add_int_value (builder, (gint64) threshold->approved_unchanged);
  json_builder_set_member_name (builder, "approval_rate");
  json_builder_add_double_value (builder, threshold->approval_rate);
  json_builder_set_member_name (builder, "low_evidence");
  json_builder_add_boolean_value (builder, threshold->low_evidence);
  json_builder_set_member_name (builder, "reviews_saved");
  json_builder_add_int_value (builder, (gint64) threshold->reviews_saved);
  json_builder_set_member_name (builder, "overridden");
  json_builder_add_int_value (builder, (gint64) threshold->overridden);
  json_builder_end_object (builder);
}

/* The members of a group's object, without the braces. */
static void
add_group_members (JsonBuilder              *builder,
                   const VdCalibrationGroup *group)
{
  if (group->name != NULL)
    {
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, group->name);
    }
  json_builder_set_member_name (builder, "count");
  json_builder_add_int_value (builder, (gint64) group->count);
  json_builder_set_member_name (builder, "approved_unchanged");
  json_builder_add_int_value (builder, (gint64) group->approved_unchanged);
  add_rate (builder, "ece", group->count > 0, group->ece);
  add_rate (builder, "brier", group->count > 0, group->brier);

  json_builder_set_member_name (builder, "bins");
  json_builder_begin_array (builder);
  for (guint i = 0; i < VD_CALIBRATION_N_BINS; i++)
    {
      const VdCalibrationBin *bin = &group->bins[i];

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "lower");
      json_builder_add_double_value (builder, bin->lower);
      json_builder_set_member_name (builder, "upper");
      json_builder_add_double_value (builder, bin->upper);
      json_builder_set_member_name (builder, "count");
      json_builder_add_int_value (builder, (gint64) bin->count);
      add_rate (builder, "mean_confidence", bin->count > 0, bin->mean_confidence);
      add_rate (builder, "approval_rate", bin->count > 0, bin->approval_rate);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  add_threshold (builder, group->suggested_threshold);
}

/**
 * vd_calibration_group_to_json:
 * @group: a group's figures
 *
 * An object with `name` (absent for all observations), `count`,
 * `approved_unchanged`, `ece` and `brier` (null without observations),
 * `bins` (an array of ten objects with `lower`, `upper`, `count`,
 * `mean_confidence` and `approval_rate`, the last two null for an empty
 * bin) and `suggested_threshold` (null when none reaches the target, else
 * an object with `threshold`, `items`, `approved_unchanged`,
 * `approval_rate`, `low_evidence`, `reviews_saved` and `overridden`).
 *
 * Returns: (transfer full): the JSON object
 */
JsonNode *
vd_calibration_group_to_json (const VdCalibrationGroup *group)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (group != NULL, NULL);

  json_builder_begin_object (builder);
  add_group_members (builder, group);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static void
add_groups (JsonBuilder *builder,
            const char  *name,
            GPtrArray   *groups)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  for (guint i = 0; i < groups->len; i++)
    {
      json_builder_begin_object (builder);
      add_group_members (builder, g_ptr_array_index (groups, i));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

/**
 * vd_calibration_to_json:
 * @calibration: calibration figures
 *
 * The form of `verdict-cli calibration --json`: the members of the overall
 * group (see vd_calibration_group_to_json(): `count`, `ece`, `brier`,
 * `bins`, `suggested_threshold`, ...) after `target`, then `task_types` and
 * `models`, arrays of group objects with their `name`.
 *
 * Returns: (transfer full): the JSON object
 */
JsonNode *
vd_calibration_to_json (const VdCalibration *calibration)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (calibration != NULL, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "target");
  json_builder_add_double_value (builder, calibration->target);
  add_group_members (builder, calibration->overall);
  add_groups (builder, "task_types", calibration->task_types);
  add_groups (builder, "models", calibration->models);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}
