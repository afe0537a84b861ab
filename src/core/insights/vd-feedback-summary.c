/* vd-feedback-summary.c: the summary of the reviewers' feedback
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

#define G_LOG_DOMAIN "vd-feedback-summary"

#include "config.h"

#include <math.h>

#include "vd-feedback-summary.h"

G_DEFINE_BOXED_TYPE (VdFeedbackSummary, vd_feedback_summary, vd_feedback_summary_copy,
                     vd_feedback_summary_free)

static void
category_clear (gpointer data)
{
  VdFeedbackCategory *category = data;

  g_clear_pointer (&category->name, g_free);
}

static GArray *
categories_new (guint reserved)
{
  GArray *categories = g_array_sized_new (FALSE, TRUE, sizeof (VdFeedbackCategory), reserved);

  g_array_set_clear_func (categories, category_clear);

  return categories;
}

/**
 * vd_feedback_summary_copy:
 * @summary: a summary
 *
 * Returns: (transfer full): a deep copy of @summary
 */
VdFeedbackSummary *
vd_feedback_summary_copy (const VdFeedbackSummary *summary)
{
  VdFeedbackSummary *copy;

  g_return_val_if_fail (summary != NULL, NULL);

  copy = g_memdup2 (summary, sizeof *summary);
  copy->categories = categories_new (summary->categories->len);
  for (guint i = 0; i < summary->categories->len; i++)
    {
      VdFeedbackCategory category = g_array_index (summary->categories, VdFeedbackCategory, i);

      category.name = g_strdup (category.name);
      g_array_append_val (copy->categories, category);
    }

  return copy;
}

/**
 * vd_feedback_summary_free:
 * @summary: (nullable): a summary
 *
 * Frees @summary and its categories.
 */
void
vd_feedback_summary_free (VdFeedbackSummary *summary)
{
  if (summary == NULL)
    return;

  g_clear_pointer (&summary->categories, g_array_unref);
  g_free (summary);
}

/**
 * vd_feedback_summary_compute:
 * @records: (array length=n_records): the feedback records
 * @n_records: the number of @records
 * @suggestions: (nullable) (array zero-terminated=1): the improvement
 *   suggestions
 *
 * Summarises the feedback as the reference's `HumanFeedbackLoop` does.
 *
 * Returns: (transfer full): the summary
 */
VdFeedbackSummary *
vd_feedback_summary_compute (const VdFeedbackRecord *records,
                             gsize                   n_records,
                             const char * const     *suggestions)
{
  g_autoptr(GHashTable) index = NULL;
  VdFeedbackSummary *summary;

  g_return_val_if_fail (records != NULL || n_records == 0, NULL);

  /* Category name -> position in summary->categories, plus one. */
  index = g_hash_table_new (g_str_hash, g_str_equal);

  summary = g_new0 (VdFeedbackSummary, 1);
  summary->categories = categories_new (0);

  for (gsize i = 0; i < n_records; i++)
    {
      const char *name = records[i].category != NULL ? records[i].category : "";
      guint position = GPOINTER_TO_UINT (g_hash_table_lookup (index, name));
      VdFeedbackCategory *category;

      if (position == 0)
        {
          VdFeedbackCategory added = { g_strdup (name), 0, 0 };

          g_array_append_val (summary->categories, added);
          position = summary->categories->len;
          /* The key lives as long as the array's copy of the name. */
          g_hash_table_insert (index, added.name, GUINT_TO_POINTER (position));
        }

      category = &g_array_index (summary->categories, VdFeedbackCategory, position - 1);
      category->count++;
      summary->total_feedback++;
      if (records[i].was_helpful)
        {
          category->helpful++;
          summary->helpful_count++;
        }
    }

  if (summary->total_feedback > 0)
    summary->helpful_rate = (double) summary->helpful_count / (double) summary->total_feedback;

  if (suggestions != NULL)
    summary->improvement_suggestions = g_strv_length ((char **) suggestions);

  return summary;
}

/**
 * vd_feedback_format_percent:
 * @rate: a rate, 0.0 or more
 *
 * Formats @rate as a whole percent the way the reference's Python does
 * (`f"{rate:.0%}"`): @rate * 100 as a double, rounded to the nearest
 * integer, a tie (an exact .5 in binary) to the even one. So 0.125 gives
 * "12%", 0.375 "38%" and 1/3 "33%".
 *
 * Returns: (transfer full): the percent, e.g. "12%"
 */
char *
vd_feedback_format_percent (double rate)
{
  double value;
  double whole;
  double fraction;

  g_return_val_if_fail (isfinite (rate) && rate >= 0.0, NULL);

  value = rate * 100.0;
  whole = floor (value);
  /* Exact: the integer part of a double subtracts without rounding. */
  fraction = value - whole;

  if (fraction > 0.5 || (fraction == 0.5 && fmod (whole, 2.0) != 0.0))
    whole += 1.0;

  return g_strdup_printf ("%.0f%%", whole);
}

/**
 * vd_feedback_summary_get_improvement_areas:
 * @summary: a summary
 *
 * The reference's improvement areas: every category with at least
 * %VD_FEEDBACK_AREA_MIN_RECORDS records of which strictly under half were
 * helpful, as "<category>: <rate> helpful" with the rate formatted by
 * vd_feedback_format_percent(), in the order of @summary's categories
 * (the order of each category's first record, as the reference's
 * dictionary keeps it).
 *
 * Returns: (transfer full) (array zero-terminated=1): the areas, an empty
 *   array when there are none
 */
char **
vd_feedback_summary_get_improvement_areas (const VdFeedbackSummary *summary)
{
  g_autoptr(GStrvBuilder) builder = NULL;

  g_return_val_if_fail (summary != NULL, NULL);

  builder = g_strv_builder_new ();
  for (guint i = 0; i < summary->categories->len; i++)
    {
      const VdFeedbackCategory *category = &g_array_index (summary->categories,
                                                           VdFeedbackCategory, i);
      g_autofree char *percent = NULL;
      g_autofree char *area = NULL;

      /* helpful / count < 0.5, without rounding. */
      if (category->count < VD_FEEDBACK_AREA_MIN_RECORDS ||
          2 * category->helpful >= category->count)
        continue;

      percent = vd_feedback_format_percent ((double) category->helpful / (double) category->count);
      area = g_strdup_printf ("%s: %s helpful", category->name, percent);
      g_strv_builder_add (builder, area);
    }

  return g_strv_builder_end (builder);
}

/**
 * vd_feedback_summary_to_json:
 * @summary: a summary
 *
 * The reference's summary: an object with `total_feedback`,
 * `helpful_count`, `helpful_rate`, `categories` (an object of counts by
 * category, in the order of the categories) and `improvement_suggestions`
 * (a count).
 *
 * Returns: (transfer full): the JSON object
 */
JsonNode *
vd_feedback_summary_to_json (const VdFeedbackSummary *summary)
{
  g_autoptr(JsonBuilder) builder = NULL;

  g_return_val_if_fail (summary != NULL, NULL);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "total_feedback");
  json_builder_add_int_value (builder, (gint64) summary->total_feedback);
  json_builder_set_member_name (builder, "helpful_count");
  json_builder_add_int_value (builder, (gint64) summary->helpful_count);
  json_builder_set_member_name (builder, "helpful_rate");
  json_builder_add_double_value (builder, summary->helpful_rate);
  json_builder_set_member_name (builder, "categories");
  json_builder_begin_object (builder);
  for (guint i = 0; i < summary->categories->len; i++)
    {
      const VdFeedbackCategory *category = &g_array_index (summary->categories,
                                                           VdFeedbackCategory, i);

      json_builder_set_member_name (builder, category->name);
      json_builder_add_int_value (builder, (gint64) category->count);
    }
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "improvement_suggestions");
  json_builder_add_int_value (builder, (gint64) summary->improvement_suggestions);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}
