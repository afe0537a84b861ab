/* vd-cli-feedback.c: verdict-cli feedback (the feedback loop)
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
#include <stdio.h>

#include "vd-cli-private.h"

static int
feedback_suggest (VdCliGlobals  *globals,
                  int            argc,
                  char         **argv)
{
  g_autoptr(VdStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *reviewer = NULL;
  g_autofree char *queue = NULL;
  g_autofree char *task_id = NULL;
  gint64 id = 0;
  GOptionEntry entries[] = {
    { "reviewer", 0, 0, G_OPTION_ARG_STRING, &reviewer,
      N_("Who suggests it (default: the user name)"), N_("ID") },
    { "queue", 0, 0, G_OPTION_ARG_STRING, &queue, N_("The queue it is about"), N_("Q") },
    { "task", 0, 0, G_OPTION_ARG_STRING, &task_id, N_("The item it is about"), N_("TASK_ID") },
    { NULL }
  };

  if (!vd_cli_parse (globals, entries, _("TEXT"),
                     _("Record an improvement suggestion for the agent (audited)."),
                     &argc, &argv))
    return VD_CLI_EXIT_USAGE;
  if (argc != 2)
    return vd_cli_usage (globals, _("give the suggestion as one argument (quote it)"));
  if (*g_strstrip (argv[1]) == '\0')
    return vd_cli_usage (globals, _("the suggestion is empty"));
  if (reviewer == NULL)
    reviewer = g_strdup (g_get_user_name ());
  if (*g_strstrip (reviewer) == '\0')
    return vd_cli_usage (globals, _("--reviewer needs an id"));

  if (!(store = vd_cli_open_store (globals, &error)) ||
      !vd_store_add_suggestion (store, argv[1], reviewer, queue, task_id, &id, &error))
    return vd_cli_fail (error);

  {
    g_autofree char *reviewer_id = vd_cli_escape_line (reviewer);

    printf (_("Suggestion %" PRId64 " recorded by %s\n"), id, reviewer_id);
  }

  return VD_CLI_EXIT_OK;
}

static int
feedback_summary (VdCliGlobals  *globals,
                  int            argc,
                  char         **argv)
{
  g_autoptr(VdStore) store = NULL;
  g_autoptr(VdFeedbackSummary) summary = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *queue = NULL;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "queue", 0, 0, G_OPTION_ARG_STRING, &queue, N_("Only this queue"), N_("Q") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print one JSON object"), NULL },
    { NULL }
  };

  if (!vd_cli_parse (globals, entries, "",
                     _("Summarise the reviewers' feedback on the agent's outputs."),
                     &argc, &argv))
    return VD_CLI_EXIT_USAGE;
  if (argc != 1)
    return vd_cli_usage (globals, _("unexpected argument “%s”"), argv[1]);

  if (!(store = vd_cli_open_store (globals, &error)) ||
      !(summary = vd_insights_compute_feedback (store, queue, NULL, &error)))
    return vd_cli_fail (error);

  if (json)
    {
      g_autoptr(JsonNode) node = vd_feedback_summary_to_json (summary);

      vd_cli_print_json (node);
      return VD_CLI_EXIT_OK;
    }

  {
    g_autofree char *percent = vd_feedback_format_percent (summary->helpful_rate);
    char rate[G_ASCII_DTOSTR_BUF_SIZE];

    g_ascii_formatd (rate, sizeof rate, "%g", summary->helpful_rate);
    printf ("total_feedback: %" PRIu64 "\n", summary->total_feedback);
    printf ("helpful_count: %" PRIu64 "\n", summary->helpful_count);
    printf ("helpful_rate: %s (%s)\n", rate, percent);
    printf ("categories:%s\n", summary->categories->len == 0 ? " -" : "");
    for (guint i = 0; i < summary->categories->len; i++)
      {
        const VdFeedbackCategory *category = &g_array_index (summary->categories,
                                                             VdFeedbackCategory, i);
        g_autofree char *name = vd_cli_escape_line (category->name);

        printf ("  %s: %" PRIu64 "\n", name, category->count);
      }
    printf ("improvement_suggestions: %" PRIu64 "\n", summary->improvement_suggestions);
  }

  return VD_CLI_EXIT_OK;
}

static int
feedback_areas (VdCliGlobals  *globals,
                int            argc,
                char         **argv)
{
  g_autoptr(VdStore) store = NULL;
  g_autoptr(VdFeedbackSummary) summary = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) areas = NULL;
  g_autofree char *queue = NULL;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "queue", 0, 0, G_OPTION_ARG_STRING, &queue, N_("Only this queue"), N_("Q") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print one JSON array"), NULL },
    { NULL }
  };

  if (!vd_cli_parse (globals, entries, "",
                     _("List the improvement areas: feedback categories with at least 3 records "
                       "of which under half found the output helpful."),
                     &argc, &argv))
    return VD_CLI_EXIT_USAGE;
  if (argc != 1)
    return vd_cli_usage (globals, _("unexpected argument “%s”"), argv[1]);

  if (!(store = vd_cli_open_store (globals, &error)) ||
      !(summary = vd_insights_compute_feedback (store, queue, NULL, &error)))
    return vd_cli_fail (error);

  areas = vd_feedback_summary_get_improvement_areas (summary);

  if (json)
    {
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);
      JsonArray *array = json_array_new ();

      for (guint i = 0; areas[i] != NULL; i++)
        json_array_add_string_element (array, areas[i]);
      json_node_take_array (node, array);
      vd_cli_print_json (node);
      return VD_CLI_EXIT_OK;
    }

  if (areas[0] == NULL)
    printf ("%s\n", _("No improvement areas"));
  for (guint i = 0; areas[i] != NULL; i++)
    {
      g_autofree char *area = vd_cli_escape_line (areas[i]);

      printf ("%s\n", area);
    }

  return VD_CLI_EXIT_OK;
}

int
vd_cli_feedback (VdCliGlobals  *globals,
                 int            argc,
                 char         **argv)
{
  if (argc >= 2 && g_str_equal (argv[1], "suggest"))
    return feedback_suggest (globals, argc - 1, argv + 1);
  if (argc >= 2 && g_str_equal (argv[1], "summary"))
    return feedback_summary (globals, argc - 1, argv + 1);
  if (argc >= 2 && g_str_equal (argv[1], "areas"))
    return feedback_areas (globals, argc - 1, argv + 1);

  if (argc >= 2)
    return vd_cli_usage (globals, _("feedback suggest, summary or areas, not “%s”"), argv[1]);

  return vd_cli_usage (globals, _("name a subcommand: suggest, summary or areas"));
}
