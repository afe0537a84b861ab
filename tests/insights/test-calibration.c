/* test-calibration.c
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

#define G_LOG_DOMAIN "test-calibration"

#include "config.h"

#include <math.h>

#include "vd-calibration.h"

/* Sums of a few hundred doubles stay far inside this of the exact value. */
#define EPSILON 1e-12

/* Appends @count observations at @confidence, the first @approved of them
 * approved unchanged. */
static void
add_many (GArray     *observations,
          const char *task_type,
          const char *model,
          double      confidence,
          guint       count,
          guint       approved)
{
  for (guint i = 0; i < count; i++)
    {
      VdCalibrationObservation observation = {
        .confidence = confidence,
        .approved_unchanged = i < approved,
        .task_type = task_type,
        .model = model,
      };

      g_array_append_val (observations, observation);
    }
}

static VdCalibration *
compute (GArray *observations,
         double  target)
{
  return vd_calibration_compute ((const VdCalibrationObservation *) observations->data,
                                 observations->len, target);
}

static GArray *
observations_new (void)
{
  return g_array_new (FALSE, TRUE, sizeof (VdCalibrationObservation));
}

static void
test_bin_edges (void)
{
  static const double confidences[] = { 0.0, 0.05, 0.1, 0.3, 0.7, 0.9, 0.95, 0.99999, 1.0 };
  static const guint64 expected[VD_CALIBRATION_N_BINS] = { 2, 1, 0, 1, 0, 0, 0, 1, 0, 4 };
  g_autoptr(GArray) observations = observations_new ();
  g_autoptr(VdCalibration) calibration = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (confidences); i++)
    add_many (observations, "t", NULL, confidences[i], 1, 1);

  calibration = compute (observations, VD_CALIBRATION_DEFAULT_TARGET);
  g_assert_nonnull (calibration);

  for (guint i = 0; i < VD_CALIBRATION_N_BINS; i++)
    {
      const VdCalibrationBin *bin = &calibration->overall->bins[i];

      g_assert_cmpuint (bin->count, ==, expected[i]);
      g_assert_cmpfloat (bin->lower, ==, i / 10.0);
      g_assert_cmpfloat (bin->upper, ==, (i + 1) / 10.0);
    }

  /* The last bin holds 0.9, 0.95, 0.99999 and 1.0. */
  g_assert_cmpfloat_with_epsilon (calibration->overall->bins[9].mean_confidence,
                                  (0.9 + 0.95 + 0.99999 + 1.0) / 4, EPSILON);
  /* The double just under 0.9 times 10 rounds to 9.0, and still belongs in
   * the bin below 0.9. */
  g_clear_pointer (&calibration, vd_calibration_free);
  add_many (observations, "t", NULL, nextafter (0.9, 0.0), 1, 1);
  calibration = compute (observations, VD_CALIBRATION_DEFAULT_TARGET);
  g_assert_cmpuint (calibration->overall->bins[8].count, ==, 1);
  g_assert_cmpuint (calibration->overall->bins[9].count, ==, 4);

  /* The bin of 0.1 holds exactly 0.1, not the bin below. */
  g_assert_cmpfloat (calibration->overall->bins[1].mean_confidence, ==, 0.1);
  g_assert_cmpfloat (calibration->overall->bins[2].mean_confidence, ==, 0.0);
  g_assert_cmpfloat (calibration->overall->bins[2].approval_rate, ==, 0.0);
}

/* Ten bins, 100 items each at the bin's centre, approved exactly at the
 * stated confidence: a perfectly calibrated agent. */
static void
test_perfect (void)
{
  g_autoptr(GArray) observations = observations_new ();
  g_autoptr(VdCalibration) calibration = NULL;
  double expected_brier = 0.0;

  for (guint bin = 0; bin < VD_CALIBRATION_N_BINS; bin++)
    {
      double confidence = 0.05 + bin / 10.0;

      add_many (observations, "t", NULL, confidence, 100, 5 + 10 * bin);
      /* Each item contributes c(1-c) on average. */
      expected_brier += confidence * (1 - confidence) / VD_CALIBRATION_N_BINS;
    }

  calibration = compute (observations, VD_CALIBRATION_DEFAULT_TARGET);

  g_assert_cmpuint (calibration->overall->count, ==, 1000);
  g_assert_cmpuint (calibration->overall->approved_unchanged, ==, 500);
  g_assert_cmpfloat_with_epsilon (calibration->overall->ece, 0.0, EPSILON);
  /* .0475 + .1275 + .1875 + .2275 + .2475, twice, over ten. */
  g_assert_cmpfloat_with_epsilon (expected_brier, 0.1675, EPSILON);
  g_assert_cmpfloat_with_epsilon (calibration->overall->brier, 0.1675, EPSILON);

  for (guint bin = 0; bin < VD_CALIBRATION_N_BINS; bin++)
    {
      const VdCalibrationBin *b = &calibration->overall->bins[bin];

      g_assert_cmpuint (b->count, ==, 100);
      g_assert_cmpfloat_with_epsilon (b->mean_confidence, 0.05 + bin / 10.0, EPSILON);
      g_assert_cmpfloat_with_epsilon (b->approval_rate, 0.05 + bin / 10.0, EPSILON);
    }

  /* Only the top bin reaches 95%: 95 of its 100 items were approved (at
   * 0.85 and above it is 180 of 200). */
  g_assert_nonnull (calibration->overall->suggested_threshold);
  g_assert_cmpfloat_with_epsilon (calibration->overall->suggested_threshold->threshold, 0.95,
                                  EPSILON);
  g_assert_cmpuint (calibration->overall->suggested_threshold->items, ==, 100);
  g_assert_cmpuint (calibration->overall->suggested_threshold->approved_unchanged, ==, 95);
}

/* Confidences drawn uniformly and outcomes drawn with exactly that
 * probability: calibrated by construction, so the ECE is only sampling
 * noise (about 0.003 for 20,000 items a bin) and the Brier score is near
 * E[c(1-c)] = 1/6. Seeded, so the figures are the same on every run. */
static void
test_perfect_random (void)
{
  g_autoptr(GArray) observations = observations_new ();
  g_autoptr(VdCalibration) calibration = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (20260101);

  for (guint i = 0; i < 200000; i++)
    {
      VdCalibrationObservation observation = { 0, };

      observation.confidence = g_rand_double (rand);
      observation.approved_unchanged = g_rand_double (rand) < observation.confidence;
      g_array_append_val (observations, observation);
    }

  calibration = compute (observations, VD_CALIBRATION_DEFAULT_TARGET);

  g_assert_cmpuint (calibration->overall->count, ==, 200000);
  g_assert_cmpfloat (calibration->overall->ece, <, 0.01);
  g_assert_cmpfloat_with_epsilon (calibration->overall->brier, 1.0 / 6.0, 0.005);
  for (guint bin = 0; bin < VD_CALIBRATION_N_BINS; bin++)
    g_assert_cmpfloat_with_epsilon (calibration->overall->bins[bin].approval_rate,
                                    calibration->overall->bins[bin].mean_confidence, 0.02);
}

/* An agent that always says 0.9 and is right 60% of the time is 0.3 over
 * confident. */
static void
test_overconfident (void)
{
  g_autoptr(GArray) observations = observations_new ();
  g_autoptr(VdCalibration) calibration = NULL;

  add_many (observations, "t", NULL, 0.9, 100, 60);
  calibration = compute (observations, VD_CALIBRATION_DEFAULT_TARGET);

  g_assert_cmpfloat_with_epsilon (calibration->overall->ece, 0.3, EPSILON);
  /* 0.6 * 0.1^2 + 0.4 * 0.9^2 */
  g_assert_cmpfloat_with_epsilon (calibration->overall->brier, 0.33, EPSILON);
  g_assert_cmpuint (calibration->overall->bins[9].count, ==, 100);
  g_assert_cmpfloat_with_epsilon (calibration->overall->bins[9].approval_rate, 0.6, EPSILON);
  g_assert_null (calibration->overall->suggested_threshold);
}

/* Two bins, one over and one under confident by 0.15. */
static void
test_two_sided (void)
{
  g_autoptr(GArray) observations = observations_new ();
  g_autoptr(VdCalibration) calibration = NULL;

  add_many (observations, "t", NULL, 0.85, 50, 35);
  add_many (observations, "t", NULL, 0.25, 50, 5);
  calibration = compute (observations, VD_CALIBRATION_DEFAULT_TARGET);

  g_assert_cmpfloat_with_epsilon (calibration->overall->ece, 0.15, EPSILON);
  /* (35 * 0.15^2 + 15 * 0.85^2 + 5 * 0.75^2 + 45 * 0.25^2) / 100 */
  g_assert_cmpfloat_with_epsilon (calibration->overall->brier, 0.1725, EPSILON);
}

static void
test_brier_small (void)
{
  const VdCalibrationObservation observations[] = {
    { .confidence = 0.8, .approved_unchanged = TRUE },
    { .confidence = 0.6, .approved_unchanged = FALSE },
    { .confidence = 1.0, .approved_unchanged = TRUE },
    { .confidence = 0.0, .approved_unchanged = FALSE },
  };
  g_autoptr(VdCalibration) calibration = NULL;

  calibration = vd_calibration_compute (observations, G_N_ELEMENTS (observations), 0.95);

  /* (0.2^2 + 0.6^2 + 0 + 0) / 4 */
  g_assert_cmpfloat_with_epsilon (calibration->overall->brier, 0.1, EPSILON);
  /* Bins 8 and 6 are off by 0.2 and 0.6, a quarter of the items each. */
  g_assert_cmpfloat_with_epsilon (calibration->overall->ece, 0.2, EPSILON);
  /* At 0.8: 0.8 and 1.0, both approved. */
  g_assert_nonnull (calibration->overall->suggested_threshold);
  g_assert_cmpfloat (calibration->overall->suggested_threshold->threshold, ==, 0.8);
  g_assert_cmpuint (calibration->overall->suggested_threshold->items, ==, 2);
  g_assert_true (calibration->overall->suggested_threshold->low_evidence);
}

static void
test_threshold_lowest (void)
{
  g_autoptr(GArray) observations = observations_new ();
  g_autoptr(VdCalibration) calibration = NULL;
  const VdCalibrationThreshold *threshold;

  /* At 0.5: 44 of 50 (88%); at 0.7: 39 of 40 (97.5%); at 0.9: 30 of 30. */
  add_many (observations, "summary", NULL, 0.5, 10, 5);
  add_many (observations, "summary", NULL, 0.7, 10, 9);
  add_many (observations, "summary", NULL, 0.9, 30, 30);
  calibration = compute (observations, VD_CALIBRATION_DEFAULT_TARGET);

  threshold = calibration->overall->suggested_threshold;
  g_assert_nonnull (threshold);
  g_assert_cmpfloat (threshold->threshold, ==, 0.7);
  g_assert_cmpuint (threshold->items, ==, 40);
  g_assert_cmpuint (threshold->approved_unchanged, ==, 39);
  g_assert_cmpfloat (threshold->approval_rate, ==, 0.975);
  g_assert_false (threshold->low_evidence);
  g_assert_cmpuint (threshold->reviews_saved, ==, 40);
  g_assert_cmpuint (threshold->overridden, ==, 1);

  /* At a target of 99% only 0.9 qualifies; at 85% already 0.5. */
  g_clear_pointer (&calibration, vd_calibration_free);
  calibration = compute (observations, 0.99);
  g_assert_cmpfloat (calibration->overall->suggested_threshold->threshold, ==, 0.9);
  g_assert_cmpuint (calibration->overall->suggested_threshold->items, ==, 30);
  g_assert_cmpuint (calibration->overall->suggested_threshold->overridden, ==, 0);

  g_clear_pointer (&calibration, vd_calibration_free);
  calibration = compute (observations, 0.85);
  g_assert_cmpfloat (calibration->overall->suggested_threshold->threshold, ==, 0.5);
  g_assert_cmpuint (calibration->overall->suggested_threshold->items, ==, 50);
  g_assert_cmpuint (calibration->overall->suggested_threshold->overridden, ==, 6);
}

static void
test_threshold_none (void)
{
  g_autoptr(GArray) observations = observations_new ();
  g_autoptr(VdCalibration) calibration = NULL;

  add_many (observations, "t", NULL, 0.6, 20, 9);
  add_many (observations, "t", NULL, 0.8, 20, 18);
  calibration = compute (observations, VD_CALIBRATION_DEFAULT_TARGET);

  /* 27/40 = 67.5% and 18/20 = 90%: none reaches 95%. */
  g_assert_null (calibration->overall->suggested_threshold);
  g_assert_null (vd_calibration_find_task_type (calibration, "t")->suggested_threshold);

  /* With a target of 90%, 0.8 does. */
  g_clear_pointer (&calibration, vd_calibration_free);
  calibration = compute (observations, 0.9);
  g_assert_nonnull (calibration->overall->suggested_threshold);
  g_assert_cmpfloat (calibration->overall->suggested_threshold->threshold, ==, 0.8);
}

static void
test_threshold_boundary (void)
{
  g_autoptr(GArray) observations = observations_new ();
  g_autoptr(VdCalibration) calibration = NULL;

  /* 19 of 20 is exactly 95%: "at least" the target qualifies. */
  add_many (observations, "t", NULL, 0.6, 20, 19);
  calibration = compute (observations, VD_CALIBRATION_DEFAULT_TARGET);
  g_assert_nonnull (calibration->overall->suggested_threshold);
  g_assert_cmpfloat (calibration->overall->suggested_threshold->approval_rate, ==, 0.95);
  g_assert_cmpfloat (calibration->overall->suggested_threshold->threshold, ==, 0.6);
}

static void
test_threshold_evidence (void)
{
  g_autoptr(GArray) observations = observations_new ();
  g_autoptr(VdCalibration) calibration = NULL;

  add_many (observations, "t", NULL, 0.8, 29, 29);
  calibration = compute (observations, VD_CALIBRATION_DEFAULT_TARGET);
  g_assert_cmpuint (calibration->overall->suggested_threshold->items, ==, 29);
  g_assert_true (calibration->overall->suggested_threshold->low_evidence);

  /* The 30th item is enough. */
  add_many (observations, "t", NULL, 0.8, 1, 1);
  g_clear_pointer (&calibration, vd_calibration_free);
  calibration = compute (observations, VD_CALIBRATION_DEFAULT_TARGET);
  g_assert_cmpuint (calibration->overall->suggested_threshold->items, ==, 30);
  g_assert_false (calibration->overall->suggested_threshold->low_evidence);
}

/* The lowest qualifying candidate wins even when a higher one would not
 * qualify on its own. */
static void
test_threshold_not_monotonic (void)
{
  g_autoptr(GArray) observations = observations_new ();
  g_autoptr(VdCalibration) calibration = NULL;

  add_many (observations, "t", NULL, 0.5, 100, 100);
  add_many (observations, "t", NULL, 0.9, 5, 0);
  calibration = compute (observations, VD_CALIBRATION_DEFAULT_TARGET);

  /* At 0.5: 100 of 105 = 95.2%; at 0.9: 0 of 5. */
  g_assert_cmpfloat (calibration->overall->suggested_threshold->threshold, ==, 0.5);
  g_assert_cmpuint (calibration->overall->suggested_threshold->items, ==, 105);
  g_assert_cmpuint (calibration->overall->suggested_threshold->overridden, ==, 5);
}

static void
test_threshold_still_reviewed (void)
{
  g_autoptr(GArray) observations = observations_new ();
  g_autoptr(VdCalibration) calibration = NULL;

  add_many (observations, "t", NULL, 0.8, 40, 40);
  /* 10 of them went to a reviewer for their content: no threshold saves
   * those reviews. */
  for (guint i = 0; i < 10; i++)
    g_array_index (observations, VdCalibrationObservation, i).still_reviewed = TRUE;
  /* Below the threshold: counts neither way. */
  add_many (observations, "t", NULL, 0.3, 10, 0);
  g_array_index (observations, VdCalibrationObservation, 45).still_reviewed = TRUE;

  calibration = compute (observations, VD_CALIBRATION_DEFAULT_TARGET);
  g_assert_cmpfloat (calibration->overall->suggested_threshold->threshold, ==, 0.8);
  g_assert_cmpuint (calibration->overall->suggested_threshold->items, ==, 40);
  g_assert_cmpuint (calibration->overall->suggested_threshold->reviews_saved, ==, 30);
}

static void
test_groups (void)
{
  g_autoptr(GArray) observations = observations_new ();
  g_autoptr(VdCalibration) calibration = NULL;
  VdCalibrationGroup *group;

  add_many (observations, "summary", "llama3:v2", 0.9, 40, 40);
  add_many (observations, "summary", NULL, 0.6, 10, 2);
  add_many (observations, "email", "llama3:v1", 0.9, 10, 5);
  add_many (observations, "email", "llama3:v2", 0.7, 10, 10);
  add_many (observations, NULL, "llama3:v1", 0.2, 5, 1);

  calibration = compute (observations, VD_CALIBRATION_DEFAULT_TARGET);

  g_assert_cmpuint (calibration->overall->count, ==, 75);
  g_assert_null (calibration->overall->name);

  /* Sorted by name; the item without a task type is in none. */
  g_assert_cmpuint (calibration->task_types->len, ==, 2);
  group = g_ptr_array_index (calibration->task_types, 0);
  g_assert_cmpstr (group->name, ==, "email");
  g_assert_cmpuint (group->count, ==, 20);
  g_assert_cmpuint (group->approved_unchanged, ==, 15);
  /* Bin 9: 0.9 against 0.5, bin 7: 0.7 against 1.0, half the items each. */
  g_assert_cmpfloat_with_epsilon (group->ece, 0.5 * 0.4 + 0.5 * 0.3, EPSILON);
  /* At 0.7: 15 of 20; at 0.9: 5 of 10. */
  g_assert_null (group->suggested_threshold);

  group = g_ptr_array_index (calibration->task_types, 1);
  g_assert_cmpstr (group->name, ==, "summary");
  g_assert_cmpuint (group->count, ==, 50);
  g_assert_cmpfloat (group->suggested_threshold->threshold, ==, 0.9);
  g_assert_cmpuint (group->suggested_threshold->items, ==, 40);
  g_assert_true (vd_calibration_find_task_type (calibration, "summary") == group);
  g_assert_null (vd_calibration_find_task_type (calibration, "code"));

  /* The items without a model are in no model group. */
  g_assert_cmpuint (calibration->models->len, ==, 2);
  group = g_ptr_array_index (calibration->models, 0);
  g_assert_cmpstr (group->name, ==, "llama3:v1");
  g_assert_cmpuint (group->count, ==, 15);
  g_assert_cmpuint (group->approved_unchanged, ==, 6);
  group = g_ptr_array_index (calibration->models, 1);
  g_assert_cmpstr (group->name, ==, "llama3:v2");
  g_assert_cmpuint (group->count, ==, 50);
  g_assert_cmpfloat (group->suggested_threshold->threshold, ==, 0.7);
  g_assert_cmpuint (group->suggested_threshold->items, ==, 50);
  g_assert_true (vd_calibration_find_model (calibration, "llama3:v2") == group);
  g_assert_null (vd_calibration_find_model (calibration, "gpt"));
}

static void
assert_groups_equal (const VdCalibrationGroup *a,
                     const VdCalibrationGroup *b)
{
  g_assert_cmpstr (a->name, ==, b->name);
  g_assert_cmpuint (a->count, ==, b->count);
  g_assert_cmpuint (a->approved_unchanged, ==, b->approved_unchanged);
  g_assert_cmpfloat_with_epsilon (a->ece, b->ece, EPSILON);
  g_assert_cmpfloat_with_epsilon (a->brier, b->brier, EPSILON);
  for (guint i = 0; i < VD_CALIBRATION_N_BINS; i++)
    {
      g_assert_cmpuint (a->bins[i].count, ==, b->bins[i].count);
      g_assert_cmpfloat_with_epsilon (a->bins[i].mean_confidence, b->bins[i].mean_confidence,
                                      EPSILON);
      g_assert_cmpfloat_with_epsilon (a->bins[i].approval_rate, b->bins[i].approval_rate,
                                      EPSILON);
    }
  g_assert_true ((a->suggested_threshold == NULL) == (b->suggested_threshold == NULL));
  if (a->suggested_threshold != NULL)
    g_assert_cmpmem (a->suggested_threshold, sizeof *a->suggested_threshold,
                     b->suggested_threshold, sizeof *b->suggested_threshold);
}

/* Rows of an SQL GROUP BY with a count give the figures of the rows they
 * stand for. */
static void
test_counts (void)
{
  const VdCalibrationObservation grouped[] = {
    { .confidence = 0.55, .approved_unchanged = TRUE, .task_type = "t", .count = 7 },
    { .confidence = 0.55, .approved_unchanged = FALSE, .task_type = "t", .count = 3 },
    { .confidence = 0.85, .approved_unchanged = TRUE, .task_type = "t", .count = 38 },
    { .confidence = 0.85, .approved_unchanged = FALSE, .task_type = "t", .count = 1,
      .still_reviewed = TRUE },
    { .confidence = 0.15, .approved_unchanged = FALSE, .task_type = "u", .count = 0 },
  };
  g_autoptr(GArray) expanded = observations_new ();
  g_autoptr(VdCalibration) a = NULL;
  g_autoptr(VdCalibration) b = NULL;

  add_many (expanded, "t", NULL, 0.55, 10, 7);
  add_many (expanded, "t", NULL, 0.85, 39, 38);
  g_array_index (expanded, VdCalibrationObservation, expanded->len - 1).still_reviewed = TRUE;
  add_many (expanded, "u", NULL, 0.15, 1, 0);

  a = vd_calibration_compute (grouped, G_N_ELEMENTS (grouped), 0.95);
  b = compute (expanded, 0.95);

  g_assert_cmpuint (a->overall->count, ==, 50);
  assert_groups_equal (a->overall, b->overall);
  g_assert_cmpuint (a->task_types->len, ==, b->task_types->len);
  for (guint i = 0; i < a->task_types->len; i++)
    assert_groups_equal (g_ptr_array_index (a->task_types, i),
                         g_ptr_array_index (b->task_types, i));

  /* At 0.85: 38 of 39, one of them reviewed for another reason. */
  g_assert_cmpfloat (a->overall->suggested_threshold->threshold, ==, 0.85);
  g_assert_cmpuint (a->overall->suggested_threshold->items, ==, 39);
  g_assert_cmpuint (a->overall->suggested_threshold->reviews_saved, ==, 38);
}

static void
test_empty (void)
{
  g_autoptr(VdCalibration) calibration = vd_calibration_compute (NULL, 0, 0.95);
  g_autoptr(JsonNode) node = NULL;
  JsonObject *object;

  g_assert_nonnull (calibration);
  g_assert_cmpuint (calibration->overall->count, ==, 0);
  g_assert_cmpfloat (calibration->overall->ece, ==, 0.0);
  g_assert_cmpfloat (calibration->overall->brier, ==, 0.0);
  g_assert_null (calibration->overall->suggested_threshold);
  g_assert_cmpuint (calibration->task_types->len, ==, 0);
  g_assert_cmpuint (calibration->models->len, ==, 0);

  node = vd_calibration_to_json (calibration);
  object = json_node_get_object (node);
  g_assert_true (json_object_get_null_member (object, "ece"));
  g_assert_true (json_object_get_null_member (object, "brier"));
  g_assert_true (json_object_get_null_member (object, "suggested_threshold"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "bins")), ==,
                    10);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "task_types")),
                    ==, 0);
}

static void
test_json (void)
{
  g_autoptr(GArray) observations = observations_new ();
  g_autoptr(VdCalibration) calibration = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) group_node = NULL;
  g_autofree char *text = NULL;
  JsonObject *object, *threshold, *bin, *group;
  JsonArray *bins, *groups;

  add_many (observations, "summary", "m1", 0.9, 100, 60);
  add_many (observations, "summary", "m1", 0.95, 40, 40);
  calibration = compute (observations, VD_CALIBRATION_DEFAULT_TARGET);
  node = vd_calibration_to_json (calibration);
  object = json_node_get_object (node);

  g_assert_cmpfloat (json_object_get_double_member (object, "target"), ==, 0.95);
  g_assert_false (json_object_has_member (object, "name"));
  g_assert_cmpint (json_object_get_int_member (object, "count"), ==, 140);
  g_assert_cmpint (json_object_get_int_member (object, "approved_unchanged"), ==, 100);
  g_assert_cmpfloat (json_object_get_double_member (object, "ece"), ==,
                     calibration->overall->ece);
  g_assert_cmpfloat (json_object_get_double_member (object, "brier"), ==,
                     calibration->overall->brier);

  bins = json_object_get_array_member (object, "bins");
  g_assert_cmpuint (json_array_get_length (bins), ==, 10);
  bin = json_array_get_object_element (bins, 0);
  g_assert_cmpfloat (json_object_get_double_member (bin, "lower"), ==, 0.0);
  g_assert_cmpfloat (json_object_get_double_member (bin, "upper"), ==, 0.1);
  g_assert_cmpint (json_object_get_int_member (bin, "count"), ==, 0);
  g_assert_true (json_object_get_null_member (bin, "mean_confidence"));
  g_assert_true (json_object_get_null_member (bin, "approval_rate"));
  bin = json_array_get_object_element (bins, 9);
  g_assert_cmpint (json_object_get_int_member (bin, "count"), ==, 140);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (bin, "approval_rate"),
                                  100.0 / 140.0, EPSILON);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (bin, "mean_confidence"),
                                  (90.0 + 38.0) / 140.0, EPSILON);

  /* At 0.9: 100 of 140; at 0.95: 40 of 40. */
  threshold = json_object_get_object_member (object, "suggested_threshold");
  g_assert_nonnull (threshold);
  g_assert_cmpfloat (json_object_get_double_member (threshold, "threshold"), ==, 0.95);
  g_assert_cmpint (json_object_get_int_member (threshold, "items"), ==, 40);
  g_assert_cmpint (json_object_get_int_member (threshold, "approved_unchanged"), ==, 40);
  g_assert_cmpfloat (json_object_get_double_member (threshold, "approval_rate"), ==, 1.0);
  g_assert_false (json_object_get_boolean_member (threshold, "low_evidence"));
  g_assert_cmpint (json_object_get_int_member (threshold, "reviews_saved"), ==, 40);
  g_assert_cmpint (json_object_get_int_member (threshold, "overridden"), ==, 0);

  groups = json_object_get_array_member (object, "task_types");
  g_assert_cmpuint (json_array_get_length (groups), ==, 1);
  group = json_array_get_object_element (groups, 0);
  g_assert_cmpstr (json_object_get_string_member (group, "name"), ==, "summary");
  g_assert_cmpint (json_object_get_int_member (group, "count"), ==, 140);
  g_assert_true (json_object_has_member (group, "ece"));
  g_assert_true (json_object_has_member (group, "brier"));
  g_assert_true (json_object_has_member (group, "bins"));
  g_assert_true (json_object_has_member (group, "suggested_threshold"));
  groups = json_object_get_array_member (object, "models");
  g_assert_cmpuint (json_array_get_length (groups), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (groups, 0),
                                                  "name"), ==, "m1");

  /* A group on its own has the same members as in the whole. */
  group_node = vd_calibration_group_to_json (vd_calibration_find_model (calibration, "m1"));
  text = json_to_string (group_node, FALSE);
  g_assert_true (g_str_has_prefix (text, "{\"name\":\"m1\",\"count\":140,"
                                         "\"approved_unchanged\":100,\"ece\":"));
  g_assert_true (json_node_equal (group_node, json_array_get_element (groups, 0)));
}

static void
test_copy (void)
{
  g_autoptr(GArray) observations = observations_new ();
  g_autoptr(VdCalibration) calibration = NULL;
  g_autoptr(VdCalibration) copy = NULL;
  g_autoptr(JsonNode) a = NULL;
  g_autoptr(JsonNode) b = NULL;

  add_many (observations, "summary", "m1", 0.9, 30, 29);
  add_many (observations, "email", "m2", 0.4, 30, 10);
  calibration = compute (observations, 0.9);
  copy = vd_calibration_copy (calibration);

  g_assert_true (copy->overall != calibration->overall);
  g_assert_true (copy->overall->suggested_threshold != calibration->overall->suggested_threshold);
  g_assert_true (copy->task_types != calibration->task_types);
  a = vd_calibration_to_json (calibration);
  b = vd_calibration_to_json (copy);
  g_assert_true (json_node_equal (a, b));
  g_assert_true (G_TYPE_IS_BOXED (VD_TYPE_CALIBRATION));
}

static void
test_invalid (void)
{
  const VdCalibrationObservation high[] = {
    { .confidence = 0.5 },
    { .confidence = 1.5 },
  };
  const VdCalibrationObservation nan_confidence[] = {
    { .confidence = NAN },
  };
  VdCalibration *calibration;

  g_test_expect_message ("vd-calibration", G_LOG_LEVEL_CRITICAL,
                         "vd_calibration_compute: observation 1: the confidence 1.5 is not "
                         "between 0.0 and 1.0");
  calibration = vd_calibration_compute (high, G_N_ELEMENTS (high), 0.95);
  g_test_assert_expected_messages ();
  g_assert_null (calibration);

  g_test_expect_message ("vd-calibration", G_LOG_LEVEL_CRITICAL,
                         "vd_calibration_compute: observation 0: the confidence nan is not "
                         "between 0.0 and 1.0");
  calibration = vd_calibration_compute (nan_confidence, 1, 0.95);
  g_test_assert_expected_messages ();
  g_assert_null (calibration);

  g_test_expect_message ("vd-calibration", G_LOG_LEVEL_CRITICAL,
                         "vd_calibration_compute: assertion 'target > 0.0 && target <= 1.0' "
                         "failed");
  calibration = vd_calibration_compute (high, 1, 0.0);
  g_test_assert_expected_messages ();
  g_assert_null (calibration);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/calibration/bins/edges", test_bin_edges);
  g_test_add_func ("/calibration/ece/perfect", test_perfect);
  g_test_add_func ("/calibration/ece/perfect-random", test_perfect_random);
  g_test_add_func ("/calibration/ece/overconfident", test_overconfident);
  g_test_add_func ("/calibration/ece/two-sided", test_two_sided);
  g_test_add_func ("/calibration/brier/small", test_brier_small);
  g_test_add_func ("/calibration/threshold/lowest", test_threshold_lowest);
  g_test_add_func ("/calibration/threshold/none", test_threshold_none);
  g_test_add_func ("/calibration/threshold/boundary", test_threshold_boundary);
  g_test_add_func ("/calibration/threshold/evidence", test_threshold_evidence);
  g_test_add_func ("/calibration/threshold/not-monotonic", test_threshold_not_monotonic);
  g_test_add_func ("/calibration/threshold/still-reviewed", test_threshold_still_reviewed);
  g_test_add_func ("/calibration/groups", test_groups);
  g_test_add_func ("/calibration/counts", test_counts);
  g_test_add_func ("/calibration/empty", test_empty);
  g_test_add_func ("/calibration/json", test_json);
  g_test_add_func ("/calibration/copy", test_copy);
  g_test_add_func ("/calibration/invalid", test_invalid);

  return g_test_run ();
}
