/* vd-cli-policy.c: verdict-cli policy check
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

/* Who may decide and which queue sources are trusted: a reader checking a
 * policy sees the roster spelled out. */
static void
print_signing (VdPolicy *policy)
{
  VdRoster *roster = vd_policy_get_roster (policy);
  GPtrArray *sources = vd_policy_get_trusted_sources (policy);

  if (roster != NULL)
    {
      printf (_("Reviewers who may decide:\n"));
      for (guint i = 0; i < vd_roster_get_n_reviewers (roster); i++)
        {
          const char *id = vd_roster_get_reviewer_id (roster, i);
          g_autofree char *roles = g_strjoinv (", ", (char **) vd_roster_get_roles (roster, id));
          g_autofree char *id_line = vd_cli_escape_line (id);
          g_autofree char *roles_line = vd_cli_escape_line (roles);

          /* TRANSLATORS: a reviewer ID, the key ID, the roles */
          printf (_("  %s (key %s): %s\n"), id_line,
                  vd_key_get_id (vd_roster_lookup_key (roster, id)), roles_line);
        }
    }

  if (sources->len > 0)
    printf (g_dngettext (GETTEXT_PACKAGE, "%u trusted queue source\n",
                         "%u trusted queue sources\n", sources->len),
            sources->len);

  if (vd_policy_get_require_signed_queues (policy))
    printf (_("Queue files must be signed by a trusted source\n"));
}

int
vd_cli_policy (VdCliGlobals  *globals,
               int            argc,
               char         **argv)
{
  g_autoptr(VdPolicy) policy = NULL;
  g_autoptr(VdQueueReader) reader = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GPtrArray) missing = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *policy_path = NULL;
  g_auto(GStrv) warnings = NULL;
  g_auto(GStrv) notes = NULL;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "policy", 0, 0, G_OPTION_ARG_FILENAME, &policy_path, N_("The escalation policy"),
      N_("POLICY.json") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("One JSON object per line"), NULL },
    { NULL }
  };

  if (!vd_cli_parse (globals, entries, "check [FILE]",
                     _("Check a policy and run it over a queue file without importing it. "
                       "Escalation reasons the file carries are ignored: the policy decides. "
                       "Risky deadline fallbacks are pointed out."),
                     &argc, &argv))
    return VD_CLI_EXIT_USAGE;
  if ((argc != 2 && argc != 3) || !g_str_equal (argv[1], "check"))
    return vd_cli_usage (globals, _("the policy command is “policy check --policy POLICY.json [FILE]”"));
  if (policy_path == NULL)
    return vd_cli_usage (globals, _("--policy POLICY.json is required"));

  if (!(policy = vd_policy_new_from_file (policy_path, &error)))
    return vd_cli_fail (error);

  /* Choices the loader allows but a reader should see spelled out. */
  warnings = vd_policy_dup_warnings (policy);
  for (guint i = 0; warnings[i] != NULL; i++)
    {
      g_autofree char *warning = vd_cli_escape_line (warnings[i]);

      g_printerr (_("verdict-cli policy: warning: %s\n"), warning);
    }
  notes = vd_policy_dup_notes (policy);
  for (guint i = 0; notes[i] != NULL; i++)
    {
      g_autofree char *note = vd_cli_escape_line (notes[i]);

      g_printerr (_("verdict-cli policy: note: %s\n"), note);
    }

  if (argc == 2)
    {
      g_autofree char *name = g_filename_display_name (policy_path);
      g_autofree char *display = vd_cli_escape_line (name);

      printf (_("%s is a valid policy\n"), display);
      print_signing (policy);
      printf (g_dngettext (GETTEXT_PACKAGE, "A claim on an open item lasts %u minute\n",
                           "A claim on an open item lasts %u minutes\n",
                           vd_policy_get_claim_minutes (policy)),
              vd_policy_get_claim_minutes (policy));
      return VD_CLI_EXIT_OK;
    }

  /* Not in --json output: its lines are the items'. */
  if (!json)
    print_signing (policy);

  reader = vd_queue_reader_new ();
  file = g_file_new_for_commandline_arg (argv[2]);
  if (!(items = vd_queue_reader_read_file (reader, file, NULL, NULL, NULL, &error)))
    return vd_cli_fail (error);

  for (guint i = 0; i < items->len; i++)
    {
      VdItem *item = g_ptr_array_index (items, i);
      g_autoptr(VdPolicyResult) result = vd_policy_check_item (policy, item);

      if (json)
        {
          g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
          JsonObject *object = json_object_new ();

          json_object_set_string_member (object, "task_id", vd_item_get_task_id (item));
          json_object_set_boolean_member (object, "escalate", result->escalate);
          if (result->escalate)
            json_object_set_string_member (object, "reason",
                                           vd_escalation_reason_to_string (result->reason));
          else
            json_object_set_null_member (object, "reason");
          json_object_set_string_member (object, "check", vd_policy_check_to_string (result->check));
          json_object_set_string_member (object, "explanation", result->explanation);
          json_node_take_object (node, object);
          vd_cli_print_json (node);
        }
      else
        {
          /* The explanation quotes the keyword or value that matched. */
          g_autofree char *task_id = vd_cli_escape_line (vd_item_get_task_id (item));
          g_autofree char *explanation = vd_cli_escape_line (result->explanation);

          printf ("%-16s %-8s %-18s %s\n",
                  task_id,
                  result->escalate ? "escalate" : "approve",
                  result->escalate ? vd_escalation_reason_to_string (result->reason) : "-",
                  explanation != NULL ? explanation : "");
        }
    }

  /* Rules that pass items lacking their field: often a misspelt path. */
  missing = vd_policy_find_missing_fields (policy, items);
  for (guint i = 0; i < missing->len; i++)
    {
      VdPolicyMissingField *entry = g_ptr_array_index (missing, i);

      if (json)
        {
          g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
          JsonObject *object = json_object_new ();

          json_object_set_string_member (object, "warning", "missing_field");
          json_object_set_int_member (object, "rule", entry->rule + 1);
          json_object_set_string_member (object, "name", entry->name);
          json_object_set_string_member (object, "field", entry->path);
          json_object_set_int_member (object, "missing", entry->missing);
          json_object_set_int_member (object, "items", entry->total);
          json_object_set_string_member (object, "message", entry->message);
          json_node_take_object (node, object);
          vd_cli_print_json (node);
        }
      else
        {
          /* The message quotes the rule's name and path. */
          g_autofree char *message = vd_cli_escape_line (entry->message);

          g_printerr (_("verdict-cli policy: warning: %s\n"), message);
        }
    }

  return VD_CLI_EXIT_OK;
}
