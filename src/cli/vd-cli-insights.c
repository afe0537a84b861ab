/* vd-cli-insights.c: verdict-cli reviewers and calibration
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

#define G_LOG_DOMAIN "verdict-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>

#include "vd-cli-private.h"

/* Parses an optional RFC 3339 option; NULL text leaves *out NULL. */
static gboolean
parse_time (VdCliGlobals  *globals,
            const char    *option,
            const char    *text,
            GDateTime    **out)
{
  if (text == NULL)
    return TRUE;

  *out = vd_timestamp_parse (text);
  if (*out == NULL)
    {
      vd_cli_usage (globals, _("%s: expected an RFC 3339 date and time, found “%s”"),
                    option, text);
      return FALSE;
    }

  return TRUE;
}

static char *
format_seconds (gint64 ms)
{
  return g_strdup_printf (_("%.1f s"), (double) ms / 1000.0);
}

static char *
format_minutes (gint64 usec)
{
  return g_strdup_printf (_("%" G_GINT64_FORMAT " min"), usec / G_TIME_SPAN_MINUTE);
}

static void
print_reviewer (const VdInsightsReviewer *reviewer)
{
  const VdFatigueReport *report = reviewer->report;
  g_autofree char *rate = vd_feedback_format_percent (report->approval_rate);
  g_autofree char *team = report->team_approval_rate >= 0.0
                          ? vd_feedback_format_percent (report->team_approval_rate)
                          : g_strdup ("-");
  g_autofree char *median = format_seconds (report->median_ms);
  g_autofree char *p10 = format_seconds (report->p10_ms);
  g_autofree char *limit = format_seconds ((gint64) report->fast_limit_ms);
  g_autofree char *reviewer_id = vd_cli_escape_line (reviewer->reviewer_id);
  guint64 longest = 0;

  for (guint i = 0; i < report->sessions->len; i++)
    longest = MAX (longest,
                   g_array_index (report->sessions, VdFatigueSession, i).longest_fast_streak);

  printf (_("%s: decided %" PRIu64 ", approved %s (team %s), median %s, 10th percentile %s\n"),
          reviewer_id, report->decisions, rate, team, median, p10);
  printf (_("  Fast approvals (under %s): current run %" PRIu64 ", longest run %" PRIu64 "\n"),
          limit, report->current_fast_streak, longest);
  if (report->checks_seen > 0)
    printf (_("  Known-answer checks: %" PRIu64 " of %" PRIu64 " agreed\n"),
            report->checks_agreed, report->checks_seen);
  if (report->on_break)
    printf ("%s\n", _("  On a break"));
  else
    {
      g_autofree char *since = format_minutes (report->time_since_break_usec);

      printf (_("  Working without a break for %s\n"), since);
    }
  printf (_("  Sessions: %u\n"), report->sessions->len);
  if (report->fast_streak_signal)
    printf ("%s\n", _("  Signal: a run of fast approvals: suggest a slower look"));
  if (report->no_pause_signal)
    printf ("%s\n", _("  Signal: a long stretch without a pause: suggest a break"));
}

int
vd_cli_reviewers (VdCliGlobals  *globals,
                  int            argc,
                  char         **argv)
{
  g_autoptr(VdStore) store = NULL;
  g_autoptr(GPtrArray) reviewers = NULL;
  g_autoptr(GDateTime) since = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *queue = NULL;
  g_autofree char *since_text = NULL;
  g_autofree char *now_text = NULL;
  gboolean json = FALSE;
  VdInsightsQuery query;
  GOptionEntry entries[] = {
    { "queue", 0, 0, G_OPTION_ARG_STRING, &queue, N_("Only this queue"), N_("Q") },
    { "since", 0, 0, G_OPTION_ARG_STRING, &since_text,
      N_("Only decisions at or after this time"), N_("RFC3339") },
    { "now", 0, 0, G_OPTION_ARG_STRING, &now_text,
      N_("Compute as of this time instead of the current one"), N_("RFC3339") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print one JSON object"), NULL },
    { NULL }
  };

  if (!vd_cli_parse (globals, entries, "",
                     _("Show each reviewer's figures: decisions, time per item, approval rate "
                       "against the team's, runs of fast approvals, time since the last break "
                       "and agreement with known-answer checks."),
                     &argc, &argv))
    return VD_CLI_EXIT_USAGE;
  if (argc != 1)
    return vd_cli_usage (globals, _("unexpected argument “%s”"), argv[1]);
  if (!parse_time (globals, "--since", since_text, &since) ||
      !parse_time (globals, "--now", now_text, &now))
    return VD_CLI_EXIT_USAGE;

  vd_insights_query_init (&query);
  query.queue = queue;
  query.since = since;
  query.now = now;

  if (!(store = vd_cli_open_store (globals, &error)) ||
      !(reviewers = vd_insights_compute_reviewers (store, &query, NULL, &error)))
    return vd_cli_fail (error);

  if (json)
    {
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
      JsonObject *object = json_object_new ();
      JsonArray *array = json_array_new ();

      if (queue != NULL)
        json_object_set_string_member (object, "queue", queue);
      else
        json_object_set_null_member (object, "queue");
      for (guint i = 0; i < reviewers->len; i++)
        {
          const VdInsightsReviewer *reviewer = g_ptr_array_index (reviewers, i);

          json_array_add_element (array, vd_fatigue_report_to_json (reviewer->report,
                                                                    reviewer->reviewer_id));
        }
      json_object_set_array_member (object, "reviewers", array);
      json_node_take_object (node, object);
      vd_cli_print_json (node);
      return VD_CLI_EXIT_OK;
    }

  if (reviewers->len == 0)
    printf ("%s\n", _("No decisions by reviewers"));
  for (guint i = 0; i < reviewers->len; i++)
    print_reviewer (g_ptr_array_index (reviewers, i));

  return VD_CLI_EXIT_OK;
}

static void
print_threshold (const VdCalibrationThreshold *threshold,
                 double                        target)
{
  g_autofree char *target_text = vd_feedback_format_percent (target);
  g_autofree char *rate = NULL;

  if (threshold == NULL)
    {
      printf (_("  Suggested threshold: none reaches %s approved unchanged\n"), target_text);
      return;
    }

  rate = vd_feedback_format_percent (threshold->approval_rate);
  printf (_("  Suggested threshold: %.2f (items at or above it: %" PRIu64 ", approved "
            "unchanged: %" PRIu64 ", %s; reviews it would have saved: %" PRIu64 "; "
            "overridden: %" PRIu64 ")\n"),
          threshold->threshold, threshold->items, threshold->approved_unchanged, rate,
          threshold->reviews_saved, threshold->overridden);
  if (threshold->low_evidence)
    printf (_("  Warning: the suggestion rests on fewer than %d items\n"),
            VD_CALIBRATION_MIN_EVIDENCE);
}

static void
print_group (const VdCalibrationGroup *group,
             const char               *title,
             double                    target,
             gboolean                  with_bins)
{
  printf (_("%s: decided %" PRIu64 ", approved unchanged %" PRIu64 "\n"),
          title, group->count, group->approved_unchanged);
  if (group->count == 0)
    return;

  printf (_("  ECE %.3f, Brier %.3f\n"), group->ece, group->brier);
  if (with_bins)
    {
      printf ("%s\n", _("  Confidence  Items  Mean   Approved"));
      for (guint i = 0; i < VD_CALIBRATION_N_BINS; i++)
        {
          const VdCalibrationBin *bin = &group->bins[i];

          if (bin->count == 0)
            printf ("  %.1f–%.1f  %6" PRIu64 "  -      -\n", bin->lower, bin->upper, bin->count);
          else
            printf ("  %.1f–%.1f  %6" PRIu64 "  %.3f  %.3f\n", bin->lower, bin->upper,
                    bin->count, bin->mean_confidence, bin->approval_rate);
        }
    }
  print_threshold (group->suggested_threshold, target);
}

static int
calibration_apply (VdCliGlobals  *globals,
                   int            argc,
                   char         **argv)
{
  g_autoptr(VdStore) store = NULL;
  g_autoptr(VdPolicy) before = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *task_type = NULL;
  g_autofree char *policy_path = NULL;
  g_autofree char *reviewer = NULL;
  g_autofree char *passphrase_file = NULL;
  gboolean global = FALSE;
  double threshold = NAN;
  double old_value;
  GOptionEntry entries[] = {
    { "type", 0, 0, G_OPTION_ARG_STRING, &task_type,
      N_("Set the threshold of this task type"), N_("T") },
    { "global", 0, 0, G_OPTION_ARG_NONE, &global,
      N_("Set the global confidence_threshold"), NULL },
    { "threshold", 0, 0, G_OPTION_ARG_DOUBLE, &threshold,
      N_("The new threshold, 0 to 1 (required)"), N_("X") },
    { "policy", 0, 0, G_OPTION_ARG_FILENAME, &policy_path,
      N_("The policy file to change (required)"), N_("POLICY.json") },
    { "reviewer", 0, 0, G_OPTION_ARG_STRING, &reviewer,
      N_("Who applies it (default: the user name)"), N_("ID") },
    { "passphrase-file", 0, 0, G_OPTION_ARG_FILENAME, &passphrase_file,
      N_("Read the passphrase of the reviewer's key from the first line of FILE"), N_("FILE") },
    { NULL }
  };

  if (!vd_cli_parse (globals, entries, "",
                     _("Apply a confidence threshold to a policy file: a reviewer's explicit "
                       "action, recorded in the audit trail with the evidence from the stored "
                       "decisions."),
                     &argc, &argv))
    return VD_CLI_EXIT_USAGE;
  if (argc != 1)
    return vd_cli_usage (globals, _("unexpected argument “%s”"), argv[1]);
  if ((task_type == NULL) == !global)
    return vd_cli_usage (globals, _("give either --type T or --global"));
  if (task_type != NULL && *g_strstrip (task_type) == '\0')
    return vd_cli_usage (globals, _("--type needs a task type"));
  if (isnan (threshold))
    return vd_cli_usage (globals, _("--threshold X is required"));
  if (threshold < 0.0 || threshold > 1.0)
    return vd_cli_usage (globals, _("--threshold is a number from 0 to 1, not %g"), threshold);
  if (policy_path == NULL)
    return vd_cli_usage (globals, _("--policy POLICY.json is required"));
  if (reviewer == NULL)
    reviewer = g_strdup (g_get_user_name ());
  if (*g_strstrip (reviewer) == '\0')
    return vd_cli_usage (globals, _("--reviewer needs an id"));

  if (!(before = vd_cli_load_policy (policy_path, &error)))
    return vd_cli_fail (error);
  old_value = task_type != NULL ? vd_policy_get_threshold_for_type (before, task_type)
                                : vd_policy_get_confidence_threshold (before);

  if (!(store = vd_cli_open_store (globals, &error)) ||
      !vd_cli_unlock_reviewer (globals, store, reviewer, passphrase_file, &error) ||
      !vd_policy_apply_threshold (policy_path, task_type, threshold, store, reviewer, &error))
    return vd_cli_fail (error);

  {
    g_autofree char *type_name = vd_cli_escape_line (task_type);
    g_autofree char *path = vd_cli_escape_line (policy_path);
    g_autofree char *reviewer_id = vd_cli_escape_line (reviewer);

    if (type_name != NULL)
      printf (_("Threshold of %s set to %g in %s (was %g), by %s\n"),
              type_name, threshold, path, old_value, reviewer_id);
    else
      printf (_("Global threshold set to %g in %s (was %g), by %s\n"),
              threshold, path, old_value, reviewer_id);
  }

  return VD_CLI_EXIT_OK;
}

int
vd_cli_calibration (VdCliGlobals  *globals,
                    int            argc,
                    char         **argv)
{
  g_autoptr(VdStore) store = NULL;
  g_autoptr(VdCalibration) calibration = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *queue = NULL;
  g_autofree char *task_type = NULL;
  g_autofree char *target_text = NULL;
  double target = VD_CALIBRATION_DEFAULT_TARGET;
  gboolean json = FALSE;
  VdInsightsQuery query;
  GOptionEntry entries[] = {
    { "queue", 0, 0, G_OPTION_ARG_STRING, &queue, N_("Only this queue"), N_("Q") },
    { "type", 0, 0, G_OPTION_ARG_STRING, &task_type, N_("Only this task type"), N_("T") },
    { "target", 0, 0, G_OPTION_ARG_DOUBLE, &target,
      N_("The approval rate a suggested threshold must reach (default 0.95)"), N_("RATE") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print one JSON object"), NULL },
    { NULL }
  };

  if (argc >= 2 && g_str_equal (argv[1], "apply"))
    return calibration_apply (globals, argc - 1, argv + 1);

  if (!vd_cli_parse (globals, entries, _("[apply]"),
                     _("Compare the agent's stated confidence with the reviewers' decisions: "
                       "reliability bins, expected calibration error (ECE), Brier score and a "
                       "suggested threshold per task type and model. "
                       "“calibration apply --help” applies a threshold to a policy file."),
                     &argc, &argv))
    return VD_CLI_EXIT_USAGE;
  if (argc != 1)
    return vd_cli_usage (globals, _("unexpected argument “%s”"), argv[1]);
  if (!(target > 0.0 && target <= 1.0))
    return vd_cli_usage (globals, _("--target is a rate above 0 and at most 1, not %g"), target);

  vd_insights_query_init (&query);
  query.queue = queue;
  query.task_type = task_type;
  query.target = target;

  if (!(store = vd_cli_open_store (globals, &error)) ||
      !(calibration = vd_insights_compute_calibration (store, &query, NULL, &error)))
    return vd_cli_fail (error);

  if (json)
    {
      g_autoptr(JsonNode) node = vd_calibration_to_json (calibration);

      vd_cli_print_json (node);
      return VD_CLI_EXIT_OK;
    }

  target_text = vd_feedback_format_percent (target);
  printf (_("Calibration against the reviewers' decisions (target %s approved unchanged)\n"),
          target_text);
  print_group (calibration->overall, _("All"), target, TRUE);
  for (guint i = 0; i < calibration->task_types->len; i++)
    {
      const VdCalibrationGroup *group = g_ptr_array_index (calibration->task_types, i);
      g_autofree char *name = vd_cli_escape_line (group->name);
      g_autofree char *title = g_strdup_printf (_("Task type %s"), name);

      print_group (group, title, target, FALSE);
    }
  for (guint i = 0; i < calibration->models->len; i++)
    {
      const VdCalibrationGroup *group = g_ptr_array_index (calibration->models, i);
      g_autofree char *name = vd_cli_escape_line (group->name);
      g_autofree char *title = g_strdup_printf (_("Model %s"), name);

      print_group (group, title, target, FALSE);
    }

  return VD_CLI_EXIT_OK;
}
