/* vd-cli-claims.c: claim, release
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

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "vd-cli-private.h"

/* How long a claim made by a command lasts: the queue's remembered
 * policy's `claim_minutes`, else the default. */
static gboolean
lease_minutes (VdStore     *store,
               const char  *queue,
               guint       *minutes,
               GError     **error)
{
  g_autofree char *json = NULL;
  g_autofree char *label = NULL;
  g_autoptr(VdPolicy) policy = NULL;

  *minutes = VD_POLICY_DEFAULT_CLAIM_MINUTES;
  if (!vd_store_get_queue_policy (store, queue, &json, NULL, error))
    return FALSE;
  if (json == NULL)
    return TRUE;

  /* TRANSLATORS: names a stored policy in its load errors */
  label = g_strdup_printf (_("the policy remembered for queue %s"), queue);
  if (!(policy = vd_policy_new_from_data (json, -1, label, error)))
    return FALSE;

  *minutes = vd_policy_get_claim_minutes (policy);
  return TRUE;
}

/* The reviewer of a command: --reviewer, else $VERDICT_REVIEWER. */
static const char *
command_reviewer (const char *option)
{
  const char *reviewer = option != NULL ? option : g_getenv ("VERDICT_REVIEWER");

  return reviewer != NULL && reviewer[0] != '\0' ? reviewer : NULL;
}

int
vd_cli_claim (VdCliGlobals  *globals,
              int            argc,
              char         **argv)
{
  g_autoptr(VdStore) store = NULL;
  g_autoptr(VdItem) item = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *reviewer_option = NULL;
  g_auto(VdClaim) claim = { 0, };
  const char *reviewer;
  gboolean release = g_str_equal (globals->command, "release");
  int minutes = 0;
  guint lease = 0;
  GOptionEntry claim_entries[] = {
    { "reviewer", 0, 0, G_OPTION_ARG_STRING, &reviewer_option,
      N_("Who claims the item (default: $VERDICT_REVIEWER)"), N_("ID") },
    { "minutes", 0, 0, G_OPTION_ARG_INT, &minutes,
      N_("How long the claim lasts (default: the queue policy's claim_minutes, else 10)"),
      N_("N") },
    { NULL }
  };
  GOptionEntry release_entries[] = {
    { "reviewer", 0, 0, G_OPTION_ARG_STRING, &reviewer_option,
      N_("Whose claim to release (default: $VERDICT_REVIEWER)"), N_("ID") },
    { NULL }
  };

  if (!vd_cli_parse (globals, release ? release_entries : claim_entries, "QUEUE TASK_ID",
                     release ? _("Release your claim on an item.")
                             : _("Claim an item, or renew your claim on it, so that nobody else "
                                 "decides it while the claim lasts."),
                     &argc, &argv))
    return VD_CLI_EXIT_USAGE;
  if (argc != 3)
    return vd_cli_usage (globals, _("name a queue and a task id"));
  if ((reviewer = command_reviewer (reviewer_option)) == NULL)
    return vd_cli_usage (globals, _("--reviewer ID is required"));
  if (!release && (minutes < 0 || minutes > VD_POLICY_MAX_CLAIM_MINUTES))
    return vd_cli_usage (globals, _("--minutes takes 1 to %d"), VD_POLICY_MAX_CLAIM_MINUTES);

  if (!(store = vd_cli_open_store (globals, &error)) ||
      !(item = vd_store_get_item (store, argv[1], argv[2], &error)))
    return vd_cli_fail (error);

  if (release)
    {
      g_autofree char *task_id = vd_cli_escape_line (vd_item_get_task_id (item));

      if (!vd_store_release_claim (store, vd_item_get_id (item), reviewer, &error))
        return vd_cli_fail (error);
      printf (_("released %s\n"), task_id);
      return VD_CLI_EXIT_OK;
    }

  lease = (guint) minutes;
  if (lease == 0 && !lease_minutes (store, vd_item_get_queue (item), &lease, &error))
    return vd_cli_fail (error);

  if (!vd_store_claim_item (store, vd_item_get_id (item), reviewer, lease * 60, &claim, &error))
    return vd_cli_fail (error);

  {
    g_autofree char *queue_name = vd_cli_escape_line (claim.queue);
    g_autofree char *task_id = vd_cli_escape_line (claim.task_id);
    g_autofree char *reviewer_id = vd_cli_escape_line (claim.reviewer_id);
    g_autofree char *until = vd_claim_format_expiry (&claim);

    /* TRANSLATORS: "queue/task claimed by reviewer until 14:32" */
    printf (_("%s/%s claimed by %s until %s\n"), queue_name, task_id, reviewer_id, until);
  }

  return VD_CLI_EXIT_OK;
}

/**
 * vd_cli_claim_for_decision:
 * @store: the store
 * @item: the item about to be decided
 * @reviewer_id: who decides
 * @error: return location for a #GError
 *
 * Claims @item for @reviewer_id for the time of a decision, so that a
 * decision never lands on an item someone else has open. An item that is
 * no longer undecided is left to the decision to report.
 *
 * Returns: %FALSE with @error set if someone else holds a claim
 */
gboolean
vd_cli_claim_for_decision (VdStore     *store,
                           VdItem      *item,
                           const char  *reviewer_id,
                           GError     **error)
{
  g_autoptr(GError) local_error = NULL;

  if (vd_store_claim_item (store, vd_item_get_id (item), reviewer_id, 60, NULL, &local_error))
    return TRUE;

  if (g_error_matches (local_error, VD_STORE_ERROR, VD_STORE_ERROR_CLAIMED) ||
      g_error_matches (local_error, VD_STORE_ERROR, VD_STORE_ERROR_FAILED))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  return TRUE;
}

/**
 * vd_cli_dup_claims:
 * @store: the store
 * @queue: (nullable): only this queue
 * @error: return location for a #GError
 *
 * Returns: (transfer full): item row id (gint64 *) -> #VdClaim, the
 *   unexpired claims
 */
GHashTable *
vd_cli_dup_claims (VdStore     *store,
                   const char  *queue,
                   GError     **error)
{
  g_autoptr(GPtrArray) claims = vd_store_list_claims (store, queue, error);
  GHashTable *by_item;

  if (claims == NULL)
    return NULL;

  by_item = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL,
                                   (GDestroyNotify)vd_claim_free);
  for (guint i = 0; i < claims->len; i++)
    {
      VdClaim *claim = vd_claim_copy (g_ptr_array_index (claims, i));

      g_hash_table_replace (by_item, &claim->item_id, claim);
    }

  return by_item;
}
