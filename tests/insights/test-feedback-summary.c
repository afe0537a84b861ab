/* test-feedback-summary.c
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

#define G_LOG_DOMAIN "test-feedback-summary"

#include "config.h"

#include "vd-feedback-summary.h"

#define T0 (G_GINT64_CONSTANT (1780000000) * G_USEC_PER_SEC)

static GArray *
records_new (void)
{
  return g_array_new (FALSE, TRUE, sizeof (VdFeedbackRecord));
}

/* Appends @count records of @category, the first @helpful of them
 * helpful. */
static void
add (GArray     *records,
     const char *category,
     guint       count,
     guint       helpful)
{
  for (guint i = 0; i < count; i++)
    {
      VdFeedbackRecord record = {
        .task_id = "task_0001",
        .original_output = "The output",
        .feedback = "Some words",
        .was_helpful = i < helpful,
        .category = category,
        .timestamp = T0 + records->len * G_USEC_PER_SEC,
      };

      g_array_append_val (records, record);
    }
}

static VdFeedbackSummary *
summarise (GArray             *records,
           const char * const *suggestions)
{
  return vd_feedback_summary_compute ((const VdFeedbackRecord *) records->data, records->len,
                                      suggestions);
}

static char *
to_string (const VdFeedbackSummary *summary)
{
  g_autoptr(JsonNode) node = vd_feedback_summary_to_json (summary);

  return json_to_string (node, FALSE);
}

/* The reference's summary of nothing. */
static void
test_empty (void)
{
  g_autoptr(VdFeedbackSummary) summary = vd_feedback_summary_compute (NULL, 0, NULL);
  g_auto(GStrv) areas = NULL;
  g_autofree char *text = NULL;

  g_assert_cmpuint (summary->total_feedback, ==, 0);
  g_assert_cmpuint (summary->helpful_count, ==, 0);
  g_assert_cmpfloat (summary->helpful_rate, ==, 0.0);
  g_assert_cmpuint (summary->categories->len, ==, 0);
  g_assert_cmpuint (summary->improvement_suggestions, ==, 0);

  areas = vd_feedback_summary_get_improvement_areas (summary);
  g_assert_nonnull (areas);
  g_assert_cmpuint (g_strv_length (areas), ==, 0);

  text = to_string (summary);
  g_assert_cmpstr (text, ==,
                   "{\"total_feedback\":0,\"helpful_count\":0,\"helpful_rate\":0.0,"
                   "\"categories\":{},\"improvement_suggestions\":0}");
}

/* Three records is enough for an area, two is not. */
static void
test_exactly_three (void)
{
  g_autoptr(GArray) records = records_new ();
  g_autoptr(VdFeedbackSummary) summary = NULL;
  g_auto(GStrv) areas = NULL;

  add (records, "accuracy", 3, 1);
  add (records, "tone", 2, 0);
  summary = summarise (records, NULL);
  areas = vd_feedback_summary_get_improvement_areas (summary);

  g_assert_cmpuint (g_strv_length (areas), ==, 1);
  g_assert_cmpstr (areas[0], ==, "accuracy: 33% helpful");

  /* A third "tone" record, not helpful, makes it an area (0%). */
  add (records, "tone", 1, 0);
  g_clear_pointer (&summary, vd_feedback_summary_free);
  g_clear_pointer (&areas, g_strfreev);
  summary = summarise (records, NULL);
  areas = vd_feedback_summary_get_improvement_areas (summary);
  g_assert_cmpuint (g_strv_length (areas), ==, 2);
  g_assert_cmpstr (areas[0], ==, "accuracy: 33% helpful");
  g_assert_cmpstr (areas[1], ==, "tone: 0% helpful");
}

/* "Below 50%" is strict: exactly half helpful is no area. */
static void
test_exactly_half (void)
{
  g_autoptr(GArray) records = records_new ();
  g_autoptr(VdFeedbackSummary) summary = NULL;
  g_auto(GStrv) areas = NULL;

  add (records, "format", 4, 2);
  add (records, "length", 6, 3);
  add (records, "scope", 7, 3);
  summary = summarise (records, NULL);
  areas = vd_feedback_summary_get_improvement_areas (summary);

  /* 3 of 7 is 42.86%. */
  g_assert_cmpuint (g_strv_length (areas), ==, 1);
  g_assert_cmpstr (areas[0], ==, "scope: 43% helpful");
  g_assert_cmpuint (summary->helpful_count, ==, 8);
  g_assert_cmpfloat (summary->helpful_rate, ==, 8.0 / 17.0);
}

/* Categories and areas come in the order of each category's first record. */
static void
test_order (void)
{
  g_autoptr(GArray) records = records_new ();
  g_autoptr(VdFeedbackSummary) summary = NULL;
  g_auto(GStrv) areas = NULL;
  g_autofree char *text = NULL;
  static const char * const suggestions[] = { "Cite sources", "Shorter answers", NULL };

  add (records, "tone", 1, 0);
  add (records, "accuracy", 1, 0);
  add (records, NULL, 1, 1);
  add (records, "tone", 3, 1);
  add (records, "accuracy", 2, 0);
  add (records, "zeal", 8, 1);
  summary = summarise (records, suggestions);

  g_assert_cmpuint (summary->categories->len, ==, 4);
  g_assert_cmpstr (g_array_index (summary->categories, VdFeedbackCategory, 0).name, ==, "tone");
  g_assert_cmpuint (g_array_index (summary->categories, VdFeedbackCategory, 0).count, ==, 4);
  g_assert_cmpuint (g_array_index (summary->categories, VdFeedbackCategory, 0).helpful, ==, 1);
  g_assert_cmpstr (g_array_index (summary->categories, VdFeedbackCategory, 1).name, ==,
                   "accuracy");
  g_assert_cmpstr (g_array_index (summary->categories, VdFeedbackCategory, 2).name, ==, "");
  g_assert_cmpstr (g_array_index (summary->categories, VdFeedbackCategory, 3).name, ==, "zeal");

  areas = vd_feedback_summary_get_improvement_areas (summary);
  g_assert_cmpuint (g_strv_length (areas), ==, 3);
  g_assert_cmpstr (areas[0], ==, "tone: 25% helpful");
  g_assert_cmpstr (areas[1], ==, "accuracy: 0% helpful");
  /* 1/8 = 12.5% exactly: Python rounds the tie to the even 12. */
  g_assert_cmpstr (areas[2], ==, "zeal: 12% helpful");

  text = to_string (summary);
  g_assert_cmpstr (text, ==,
                   "{\"total_feedback\":16,\"helpful_count\":3,\"helpful_rate\":0.1875,"
                   "\"categories\":{\"tone\":4,\"accuracy\":3,\"\":1,\"zeal\":8},"
                   "\"improvement_suggestions\":2}");
}

/* The whole percents of Python's f"{rate:.0%}", each checked with Python 3:
 * rate * 100 as a double, then rounded half to even. */
static void
test_percent (void)
{
  static const struct {
    double      rate;
    const char *expected;
  } cases[] = {
    { 0.0, "0%" },
    { 1.0, "100%" },
    { 0.125, "12%" },      /* 12.5: the tie goes to the even 12 */
    { 0.375, "38%" },      /* 37.5: to the even 38 */
    { 0.625, "62%" },
    { 0.045, "4%" },       /* 4.5 as a double: to 4, where C's round() gives 5 */
    { 0.025, "2%" },
    { 0.015, "2%" },
    { 0.005, "0%" },
    { 0.285, "28%" },      /* 28.499999999999996 */
    { 0.4375, "44%" },
    { 0.495, "50%" },
    { 0.4999, "50%" },
    { 1.0 / 3.0, "33%" },
    { 2.0 / 3.0, "67%" },
    { 1.0 / 6.0, "17%" },
    { 3.0 / 40.0, "8%" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *percent = vd_feedback_format_percent (cases[i].rate);

      g_assert_cmpstr (percent, ==, cases[i].expected);
    }

  /* glibc's printf rounds the exact binary value half to even too: every
   * fraction with a denominator up to 400 agrees with it. */
  for (guint n = 1; n <= 400; n++)
    for (guint h = 0; h <= n; h++)
      {
        double rate = (double) h / (double) n;
        g_autofree char *percent = vd_feedback_format_percent (rate);
        g_autofree char *expected = g_strdup_printf ("%.0f%%", rate * 100.0);

        g_assert_cmpstr (percent, ==, expected);
      }
}

/* Ties that reach the areas: 3 of 8 and 1 of 8 helpful. */
static void
test_area_rounding (void)
{
  g_autoptr(GArray) records = records_new ();
  g_autoptr(VdFeedbackSummary) summary = NULL;
  g_auto(GStrv) areas = NULL;

  add (records, "a", 8, 3);
  add (records, "b", 8, 1);
  add (records, "c", 200, 9);
  summary = summarise (records, NULL);
  areas = vd_feedback_summary_get_improvement_areas (summary);

  g_assert_cmpuint (g_strv_length (areas), ==, 3);
  g_assert_cmpstr (areas[0], ==, "a: 38% helpful");
  g_assert_cmpstr (areas[1], ==, "b: 12% helpful");
  /* 9/200 = 0.045: 4.5 rounds to the even 4. */
  g_assert_cmpstr (areas[2], ==, "c: 4% helpful");
}

static void
test_copy (void)
{
  g_autoptr(GArray) records = records_new ();
  g_autoptr(VdFeedbackSummary) summary = NULL;
  g_autoptr(VdFeedbackSummary) copy = NULL;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  static const char * const suggestions[] = { "More context", NULL };

  add (records, "tone", 3, 1);
  add (records, "accuracy", 5, 4);
  summary = summarise (records, suggestions);
  copy = vd_feedback_summary_copy (summary);

  g_assert_true (copy->categories != summary->categories);
  g_assert_true (g_array_index (copy->categories, VdFeedbackCategory, 0).name !=
                 g_array_index (summary->categories, VdFeedbackCategory, 0).name);
  a = to_string (summary);
  b = to_string (copy);
  g_assert_cmpstr (a, ==, b);
  g_assert_cmpstr (a, ==,
                   "{\"total_feedback\":8,\"helpful_count\":5,\"helpful_rate\":0.625,"
                   "\"categories\":{\"tone\":3,\"accuracy\":5},\"improvement_suggestions\":1}");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/feedback-summary/empty", test_empty);
  g_test_add_func ("/feedback-summary/exactly-three", test_exactly_three);
  g_test_add_func ("/feedback-summary/exactly-half", test_exactly_half);
  g_test_add_func ("/feedback-summary/order", test_order);
  g_test_add_func ("/feedback-summary/percent", test_percent);
  g_test_add_func ("/feedback-summary/area-rounding", test_area_rounding);
  g_test_add_func ("/feedback-summary/copy", test_copy);

  return g_test_run ();
}
