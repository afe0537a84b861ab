/* vd-cli-decide.c: verdict-cli decide
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


int
vd_cli_decide (VdCliGlobals  *globals,
               int            argc,
               char         **argv)
{
  g_autoptr(VdStore) store = NULL;
  g_autoptr(VdItem) item = NULL;
  g_autoptr(VdDecision) decision = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *queue = NULL;
  g_autofree char *reviewer = NULL;
  g_autofree char *feedback = NULL;
  g_autofree char *content = NULL;
  g_autofree char *helpful = NULL;
  g_autofree char *category = NULL;
  g_autofree char *passphrase_file = NULL;
  VdHelpful helpful_value = VD_HELPFUL_UNSET;
  VdDecisionKind kind;
  GOptionEntry entries[] = {
    { "queue", 0, 0, G_OPTION_ARG_STRING, &queue,
      N_("The queue of the task (needed when several queues have the id)"), N_("Q") },
    { "reviewer", 0, 0, G_OPTION_ARG_STRING, &reviewer,
      N_("Who decides (recorded in the audit trail)"), N_("ID") },
    { "feedback", 0, 0, G_OPTION_ARG_STRING, &feedback,
      N_("The rationale; required to reject (what the agent must fix)"), N_("TEXT") },
    { "content", 0, 0, G_OPTION_ARG_STRING, &content,
      N_("The corrected output; required to modify"), N_("TEXT") },
    { "helpful", 0, 0, G_OPTION_ARG_STRING, &helpful,
      N_("Whether the agent's output helped (the feedback loop)"), N_("yes|no") },
    { "category", 0, 0, G_OPTION_ARG_STRING, &category,
      N_("What the feedback is about: a category of the policy or free text"), N_("NAME") },
    { "passphrase-file", 0, 0, G_OPTION_ARG_FILENAME, &passphrase_file,
      N_("Read the passphrase of the reviewer's key from the first line of FILE"), N_("FILE") },
    { NULL }
  };

  if (!vd_cli_parse (globals, entries, _("TASK_ID approve|reject|modify|escalate_further"),
                     _("Record a review decision."), &argc, &argv))
    return VD_CLI_EXIT_USAGE;
  if (argc != 3)
    return vd_cli_usage (globals, _("name a task id and a decision"));
  if (!vd_decision_kind_from_string (argv[2], &kind))
    return vd_cli_usage (globals,
                         _("the decision is approve, reject, modify or escalate_further, not “%s”"),
                         argv[2]);
  if (reviewer == NULL || *g_strstrip (reviewer) == '\0')
    return vd_cli_usage (globals, _("--reviewer ID is required"));
  if (content != NULL && kind != VD_DECISION_KIND_MODIFY)
    return vd_cli_usage (globals, _("--content goes with modify only"));
  if (helpful != NULL)
    {
      if (g_strcmp0 (helpful, "yes") == 0)
        helpful_value = VD_HELPFUL_YES;
      else if (g_strcmp0 (helpful, "no") == 0)
        helpful_value = VD_HELPFUL_NO;
      else
        return vd_cli_usage (globals, _("--helpful is yes or no, not “%s”"), helpful);
    }
  if (category != NULL && *g_strstrip (category) == '\0')
    return vd_cli_usage (globals, _("--category needs a name"));

  if (!(store = vd_cli_open_store (globals, &error)) ||
      !(item = vd_store_get_item (store, queue, argv[1], &error)) ||
      !vd_cli_unlock_reviewer (globals, store, reviewer, passphrase_file, &error))
    return vd_cli_fail (error);

  decision = vd_decision_new (vd_item_get_queue (item), vd_item_get_task_id (item), kind, reviewer);
  vd_decision_set_revision (decision, vd_item_get_revision (item));
  if (feedback != NULL)
    vd_decision_set_feedback (decision, feedback);
  if (content != NULL)
    vd_decision_set_modified_content (decision, content);
  vd_decision_set_helpful (decision, helpful_value);
  vd_decision_set_category (decision, category);

  /* Claimed for the time of the decision, which ends the claim. */
  if (!vd_cli_claim_for_decision (store, item, reviewer, &error))
    return vd_cli_fail (error);

  if (!vd_store_record_decision (store, decision, &error))
    {
      vd_store_release_claim (store, vd_item_get_id (item), reviewer, NULL);
      return vd_cli_fail (error);
    }

  {
    g_autofree char *queue_name = vd_cli_escape_line (vd_item_get_queue (item));
    g_autofree char *task_id = vd_cli_escape_line (vd_item_get_task_id (item));
    g_autofree char *reviewer_id = vd_cli_escape_line (reviewer);

    printf (_("%s %s/%s (revision %d) by %s: audit #%" PRId64 " %s\n"),
            vd_decision_kind_to_string (kind),
            queue_name, task_id, vd_item_get_revision (item),
            reviewer_id, vd_decision_get_audit_seq (decision),
            vd_decision_get_audit_hash (decision));
    if (vd_decision_get_audit_key_id (decision) != NULL)
      printf (_("signed with key %s\n"), vd_decision_get_audit_key_id (decision));
  }

  /* Four-eyes review: say what the review did to the item. */
  if (!vd_decision_get_final (decision))
    {
      g_autoptr(VdItem) now = vd_store_get_item (store, vd_item_get_queue (item),
                                                 vd_item_get_task_id (item), NULL);

      if (now != NULL && vd_item_get_status (now) == VD_TASK_STATUS_ESCALATED)
        printf ("%s\n", _("the two reviews disagree: the item is escalated (reviewers_disagree)"));
      else
        printf ("%s\n", _("review 1 of 2 recorded: a second reviewer must decide"));
    }

  return VD_CLI_EXIT_OK;
}
