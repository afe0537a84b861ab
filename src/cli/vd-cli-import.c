/* vd-cli-import.c: verdict-cli import
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

/* The end of the summary: which policy decided the items. */
static char *
describe_policy (const VdImportResult *result)
{
  g_autofree char *source = vd_cli_escape_line (result->policy_source != NULL ?
                                                result->policy_source : "");
  g_autofree char *queue = vd_cli_escape_line (result->policy_queue != NULL ?
                                               result->policy_queue : "");
  g_autofree char *text = NULL;

  switch (result->policy_kind)
    {
    case VD_IMPORT_POLICY_CHOSEN:
      if (source[0] == '\0')
        return g_strdup (_("policy: the one given"));
      /* TRANSLATORS: %s is the policy file */
      return g_strdup_printf (_("policy: %s"), source);

    case VD_IMPORT_POLICY_REMEMBERED:
      /* TRANSLATORS: the first %s is a queue name, the second the policy file */
      text = g_strdup_printf (_("policy remembered for queue %s: %s"), queue,
                              source[0] != '\0' ? source : _("(no name)"));
      if (result->review_all == 0)
        return g_steal_pointer (&text);
      /* TRANSLATORS: follows "policy remembered for queue Q: FILE" */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "%s; no policy chosen for the queue of %u other "
                                           "item: queued for review (use --policy FILE)",
                                           "%s; no policy chosen for the queues of %u other "
                                           "items: queued for review (use --policy FILE)",
                                           result->review_all),
                              text, result->review_all);

    case VD_IMPORT_POLICY_NONE:
    default:
      return g_strdup (_("no policy chosen: every item queued for review (use --policy FILE)"));
    }
}

static const char *
policy_kind_to_string (VdImportPolicyKind kind)
{
  switch (kind)
    {
    case VD_IMPORT_POLICY_CHOSEN:
      return "chosen";
    case VD_IMPORT_POLICY_REMEMBERED:
      return "remembered";
    case VD_IMPORT_POLICY_NONE:
    default:
      return "none";
    }
}

static void
add_nullable_string (JsonBuilder *builder,
                     const char  *name,
                     const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
add_count (JsonBuilder *builder,
           const char  *name,
           guint        value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

static void
print_json (const VdImportResult *result,
            GPtrArray            *problems)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  add_count (builder, "imported", result->imported);
  add_count (builder, "revised", result->revised);
  add_count (builder, "skipped", result->skipped);
  add_count (builder, "invalid", result->invalid);
  add_count (builder, "queued", result->queued);
  add_count (builder, "auto_approved", result->auto_approved);
  json_builder_set_member_name (builder, "policy");
  json_builder_add_string_value (builder, policy_kind_to_string (result->policy_kind));
  add_nullable_string (builder, "policy_source", result->policy_source);
  add_nullable_string (builder, "policy_queue", result->policy_queue);
  add_count (builder, "review_all", result->review_all);
  json_builder_set_member_name (builder, "problems");
  json_builder_begin_array (builder);
  for (guint i = 0; problems != NULL && i < problems->len; i++)
    json_builder_add_string_value (builder, g_ptr_array_index (problems, i));
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  vd_cli_print_json (root);
}

int
vd_cli_import (VdCliGlobals  *globals,
               int            argc,
               char         **argv)
{
  g_autoptr(VdStore) store = NULL;
  g_autoptr(VdPolicy) policy = NULL;
  g_autoptr(VdImporter) importer = NULL;
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  g_autofree char *policy_path = NULL;
  g_autofree char *policy_text = NULL;
  g_autofree char *format = NULL;
  g_autofree char *queue = NULL;
  g_autofree char *input_field = NULL;
  g_autofree char *output_question = NULL;
  VdImportResult result = { 0 };
  GPtrArray *problems;
  gboolean skip_invalid = FALSE;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "skip-invalid", 0, 0, G_OPTION_ARG_NONE, &skip_invalid,
      N_("Import the valid lines and report each invalid one"), NULL },
    { "policy", 0, 0, G_OPTION_ARG_FILENAME, &policy_path,
      N_("The escalation policy for items that carry no escalation reason; remembered for "
         "the files' queues"), N_("POLICY.json") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      N_("Print the summary as JSON"), NULL },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format,
      N_("The files' format: verdict, langgraph, label-studio, argilla or prodigy "
         "(default: found from each file's content)"), N_("FORMAT") },
    { "queue", 0, 0, G_OPTION_ARG_STRING, &queue,
      N_("The queue of other tools' items (default: the file's name without its "
         "extension)"), N_("QUEUE") },
    { "input-field", 0, 0, G_OPTION_ARG_STRING, &input_field,
      N_("Argilla: the field shown as the task (default: the first text field)"),
      N_("FIELD") },
    { "output-question", 0, 0, G_OPTION_ARG_STRING, &output_question,
      N_("Argilla: the question whose suggestion is the output (default: the first with a "
         "suggestion)"), N_("QUESTION") },
    { NULL }
  };

  if (!vd_cli_parse (globals, entries, _("FILE…"),
                     _("Import queue files (verdict-queue v1), or the files of LangGraph, Label "
                       "Studio, Argilla or Prodigy (see docs/formats.md). All or nothing, unless "
                       "--skip-invalid.\n"
                       "Without --policy, each queue gets the policy last chosen for it; a queue "
                       "without one has every item queued for review."),
                     &argc, &argv))
    return VD_CLI_EXIT_USAGE;

  if (argc < 2)
    return vd_cli_usage (globals, _("name at least one queue file"));

  if (format != NULL && !g_str_equal (format, "verdict"))
    {
      const VdFormatClass *klass = vd_format_lookup (format);

      if (klass == NULL || klass->read == NULL)
        {
          g_autofree char *names = vd_format_list_names (TRUE);

          return vd_cli_usage (globals, _("--format is one of %s, not “%s”"), names, format);
        }
    }

  /* No policy given means none chosen, not the built-in rules. */
  if (policy_path != NULL && !(policy = vd_cli_load_policy (policy_path, &error)))
    return vd_cli_fail (error);

  for (int i = 1; i < argc; i++)
    g_ptr_array_add (files, g_file_new_for_commandline_arg (argv[i]));

  if (!(store = vd_cli_open_store (globals, &error)))
    return vd_cli_fail (error);

  importer = vd_importer_new (store, policy);
  vd_importer_set_skip_invalid (importer, skip_invalid);
  vd_importer_set_format (importer, format);
  vd_importer_set_queue (importer, queue);
  vd_importer_set_field_mapping (importer, input_field, output_question);

  if (!vd_importer_import (importer, (GFile **) files->pdata, files->len, &result,
                           NULL, NULL, NULL, &error))
    return vd_cli_fail (error);

  problems = vd_importer_get_problems (importer);
  for (guint i = 0; problems != NULL && i < problems->len; i++)
    {
      /* A problem quotes the line of the queue file it is about. */
      g_autofree char *problem = vd_cli_escape_line (g_ptr_array_index (problems, i));

      g_printerr (_("verdict-cli: skipped %s\n"), problem);
    }

  if (json)
    {
      print_json (&result, problems);
      return VD_CLI_EXIT_OK;
    }

  policy_text = describe_policy (&result);
  /* TRANSLATORS: the summary of an import; the last %s says which policy applied */
  printf (_("%u imported, %u revised, %u skipped, %u invalid: %u queued for review, "
            "%u auto-approved; %s\n"),
          result.imported, result.revised, result.skipped, result.invalid,
          result.queued, result.auto_approved, policy_text);

  return VD_CLI_EXIT_OK;
}
