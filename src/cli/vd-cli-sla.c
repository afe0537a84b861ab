/* vd-cli-sla.c: verdict-cli sla apply, forecast and bulk-approve
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
#include <math.h>
#include <stdio.h>

#include "vd-cli-private.h"

/* Parses --now; NULL (no option) means the current time. */
static gboolean
parse_now (VdCliGlobals  *globals,
           const char    *text,
           GDateTime    **now)
{
  if (text == NULL)
    {
      *now = vd_timestamp_now ();
      return TRUE;
    }

  *now = vd_timestamp_parse (text);
  if (*now == NULL)
    {
      vd_cli_usage (globals, _("--now: expected an RFC 3339 date and time, found “%s”"), text);
      return FALSE;
    }

  return TRUE;
}

int
vd_cli_sla (VdCliGlobals  *globals,
            int            argc,
            char         **argv)
{
  g_autoptr(VdStore) store = NULL;
  g_autoptr(VdPolicy) policy = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GDateTime) next = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *policy_path = NULL;
  g_autofree char *now_text = NULL;
  g_autofree char *summary = NULL;
  VdSlaResult result = { 0, };
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "policy", 0, 0, G_OPTION_ARG_FILENAME, &policy_path,
      N_("The policy with the fallbacks (default: the policy of the last import)"),
      N_("POLICY.json") },
    { "now", 0, 0, G_OPTION_ARG_STRING, &now_text,
      N_("Compare the deadlines with this time instead of the current one"), N_("RFC3339") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the result as one JSON object"), NULL },
    { NULL }
  };

  if (!vd_cli_parse (globals, entries, "apply",
                     _("Apply the deadline fallback of every undecided item whose deadline has "
                       "passed, once. For cron or a systemd timer when no window is open."),
                     &argc, &argv))
    return VD_CLI_EXIT_USAGE;
  if (argc != 2 || !g_str_equal (argv[1], "apply"))
    return vd_cli_usage (globals, _("the sla command is “sla apply [--policy POLICY.json] "
                                    "[--now RFC3339]”"));
  if (!parse_now (globals, now_text, &now))
    return VD_CLI_EXIT_USAGE;

  if (!(store = vd_cli_open_store (globals, &error)))
    return vd_cli_fail (error);

  if (policy_path != NULL)
    policy = vd_policy_new_from_file (policy_path, &error);
  else
    policy = vd_sla_load_policy (store, &error);
  if (policy == NULL)
    return vd_cli_fail (error);

  if (!vd_sla_apply (store, policy, now, &result, &error))
    {
      /* Batches committed before the failure stand: say so. */
      if (result.applied > 0)
        {
          summary = vd_sla_describe_result (&result);
          g_printerr ("verdict-cli: %s\n", summary);
        }
      return vd_cli_fail (error);
    }

  if (!vd_sla_next_deadline (store, &next, &error))
    return vd_cli_fail (error);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) node = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "applied");
      json_builder_add_int_value (builder, result.applied);
      json_builder_set_member_name (builder, "escalated");
      json_builder_add_int_value (builder, result.escalated);
      json_builder_set_member_name (builder, "auto_rejected");
      json_builder_add_int_value (builder, result.auto_rejected);
      json_builder_set_member_name (builder, "auto_approved");
      json_builder_add_int_value (builder, result.auto_approved);
      json_builder_set_member_name (builder, "unsafe_escalated");
      json_builder_add_int_value (builder, result.unsafe);
      json_builder_set_member_name (builder, "next_deadline");
      if (next != NULL)
        {
          g_autofree char *text = vd_timestamp_format (next);

          json_builder_add_string_value (builder, text);
        }
      else
        json_builder_add_null_value (builder);
      json_builder_end_object (builder);

      node = json_builder_get_root (builder);
      vd_cli_print_json (node);
      return VD_CLI_EXIT_OK;
    }

  summary = vd_sla_describe_result (&result);
  printf ("%s\n", summary);
  if (next != NULL)
    {
      g_autofree char *text = vd_timestamp_format (next);

      printf (_("Next deadline: %s\n"), text);
    }
  else
    printf ("%s\n", _("No undecided item waits for a deadline"));

  return VD_CLI_EXIT_OK;
}

int
vd_cli_forecast (VdCliGlobals  *globals,
                 int            argc,
                 char         **argv)
{
  g_autoptr(VdStore) store = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *queue = NULL;
  g_autofree char *now_text = NULL;
  VdForecast forecast = { 0, };
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "queue", 0, 0, G_OPTION_ARG_STRING, &queue, N_("Only this queue"), N_("Q") },
    { "now", 0, 0, G_OPTION_ARG_STRING, &now_text,
      N_("Forecast as of this time instead of the current one"), N_("RFC3339") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print one JSON object"), NULL },
    { NULL }
  };

  if (!vd_cli_parse (globals, entries, "",
                     _("Forecast the reviewers' workload: arrivals and decisions per hour, the "
                       "time to clear the queue at the current pace, and how many items will "
                       "pass their deadline."),
                     &argc, &argv))
    return VD_CLI_EXIT_USAGE;
  if (argc != 1)
    return vd_cli_usage (globals, _("unexpected argument “%s”"), argv[1]);
  if (!parse_now (globals, now_text, &now))
    return VD_CLI_EXIT_USAGE;

  if (!(store = vd_cli_open_store (globals, &error)) ||
      !vd_forecast_compute (store, queue, now, &forecast, &error))
    return vd_cli_fail (error);

  if (json)
    {
      g_autoptr(JsonNode) node = vd_forecast_to_json (&forecast, queue);

      vd_cli_print_json (node);
    }
  else
    {
      g_autofree char *text = vd_forecast_describe (&forecast);

      g_autofree char *queue_name = vd_cli_escape_line (queue);

      if (queue_name != NULL)
        printf (_("Queue %s\n"), queue_name);
      printf ("%s\n", text);
    }

  return VD_CLI_EXIT_OK;
}

int
vd_cli_bulk_approve (VdCliGlobals  *globals,
                     int            argc,
                     char         **argv)
{
  g_autoptr(VdStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(VdBulkOutcome) outcome = { 0, };
  g_autofree char *queue = NULL;
  g_autofree char *task_type = NULL;
  g_autofree char *reason_text = NULL;
  g_autofree char *reviewer = NULL;
  g_autofree char *message = NULL;
  g_autofree char *passphrase_file = NULL;
  VdBulkBand band = { 0, };
  double min_confidence = NAN;
  double max_confidence = 1.0;
  double sample = VD_BULK_DEFAULT_SAMPLE_PERCENT;
  gint64 seed = -1;
  VdEscalationReason reason;
  GOptionEntry entries[] = {
    { "queue", 0, 0, G_OPTION_ARG_STRING, &queue, N_("The queue of the band (required)"),
      N_("Q") },
    { "type", 0, 0, G_OPTION_ARG_STRING, &task_type, N_("Only this task type"), N_("T") },
    { "min-confidence", 0, 0, G_OPTION_ARG_DOUBLE, &min_confidence,
      N_("The lowest confidence of the band, inclusive (required)"), N_("X") },
    { "max-confidence", 0, 0, G_OPTION_ARG_DOUBLE, &max_confidence,
      N_("The highest confidence of the band, inclusive (default 1)"), N_("Y") },
    { "reason", 0, 0, G_OPTION_ARG_STRING, &reason_text, N_("Only this escalation reason"),
      N_("REASON") },
    { "reviewer", 0, 0, G_OPTION_ARG_STRING, &reviewer,
      N_("Who approves (recorded in the audit trail; required)"), N_("ID") },
    { "sample", 0, 0, G_OPTION_ARG_DOUBLE, &sample,
      N_("The spot-check sample in percent of the band (default 10, at least 3 items)"),
      N_("PCT") },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed,
      N_("The seed of the sample's draw (default: random; recorded either way)"), N_("N") },
    { "passphrase-file", 0, 0, G_OPTION_ARG_FILENAME, &passphrase_file,
      N_("Read the passphrase of the reviewer's key from the first line of FILE"), N_("FILE") },
    { NULL }
  };

  if (!vd_cli_parse (globals, entries, "",
                     _("Approve a band of undecided items after a spot check. The first call "
                       "draws a random sample and prints its task ids: decide them one by one "
                       "(verdict-cli decide). The same call again approves the rest of the band "
                       "if every sampled item was approved unmodified, and cancels otherwise."),
                     &argc, &argv))
    return VD_CLI_EXIT_USAGE;
  if (argc != 1)
    return vd_cli_usage (globals, _("unexpected argument “%s”"), argv[1]);
  if (queue == NULL || queue[0] == '\0')
    return vd_cli_usage (globals, _("--queue Q is required"));
  if (isnan (min_confidence))
    return vd_cli_usage (globals, _("--min-confidence X is required"));
  if (reviewer == NULL || *g_strstrip (reviewer) == '\0')
    return vd_cli_usage (globals, _("--reviewer ID is required"));
  if (seed < -1 || seed > G_MAXUINT32)
    return vd_cli_usage (globals, _("--seed: expected a number from 0 to %u"), G_MAXUINT32);

  band.queue = queue;
  band.task_type = task_type;
  band.min_confidence = min_confidence;
  band.max_confidence = max_confidence;
  band.reason = -1;
  if (reason_text != NULL)
    {
      if (!vd_escalation_reason_from_string (reason_text, &reason) ||
          reason == VD_ESCALATION_REASON_NONE)
        return vd_cli_usage (globals,
                             _("--reason: expected one of low_confidence, sensitive_content, "
                               "high_risk_action, ambiguous_input, error_occurred, "
                               "policy_required, user_requested, found “%s”"),
                             reason_text);
      band.reason = reason;
    }

  if (!(store = vd_cli_open_store (globals, &error)) ||
      !vd_cli_unlock_reviewer (globals, store, reviewer, passphrase_file, &error))
    return vd_cli_fail (error);

  if (!vd_bulk_step (store, &band, reviewer, sample, seed, &outcome, &error))
    {
      if (g_error_matches (error, VD_BULK_ERROR, VD_BULK_ERROR_INVALID))
        return vd_cli_usage (globals, "%s", error->message);
      return vd_cli_fail (error);
    }

  /* The messages name task ids, which come from the queue. */
  message = vd_cli_escape_line (outcome.message);
  if (outcome.step == VD_BULK_STEP_CANCELLED)
    {
      g_printerr ("verdict-cli: %s\n", message);
      return VD_CLI_EXIT_FAILURE;
    }

  printf ("%s\n", message);
  for (guint i = 0; i < outcome.undecided->len; i++)
    {
      g_autofree char *task_id = vd_cli_escape_line (g_ptr_array_index (outcome.undecided, i));

      printf ("%s\n", task_id);
    }

  switch (outcome.step)
    {
    case VD_BULK_STEP_SAMPLED:
    case VD_BULK_STEP_APPROVED:
      return VD_CLI_EXIT_OK;

    case VD_BULK_STEP_WAITING:
    case VD_BULK_STEP_CANCELLED:
    default:
      return VD_CLI_EXIT_FAILURE;
    }
}
