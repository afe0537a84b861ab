/* vd-cli-report.c: verdict-cli stats and audit
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

#include "vd-agreement.h"
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

/* Agreement between the two reviewers of items that need two. */
static void
print_agreement (const VdAgreement *agreement)
{
  printf ("reviews_paired  %" PRIu64 "\n", agreement->n_pairs);
  if (agreement->n_pairs == 0)
    {
      printf ("agreement       %s\n", _("none: no item has two reviews"));
      return;
    }

  printf ("agreement       %.1f%% (%" PRIu64 " of %" PRIu64 ")\n",
          agreement->percent_agreement, agreement->n_agree, agreement->n_pairs);
  if (agreement->kappa_defined)
    printf ("kappa           %.4f\n", agreement->kappa);
  else
    printf ("kappa           %s\n",
            _("undefined: every review was of one and the same kind"));
}

int
vd_cli_stats (VdCliGlobals  *globals,
              int            argc,
              char         **argv)
{
  g_autoptr(VdStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) from = NULL;
  g_autoptr(GDateTime) to = NULL;
  g_autofree char *queue = NULL;
  g_autofree char *from_text = NULL;
  g_autofree char *to_text = NULL;
  VdStats stats = { 0 };
  VdAgreement agreement = { 0, };
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("One JSON object"), NULL },
    { "queue", 0, 0, G_OPTION_ARG_STRING, &queue, N_("Only this queue"), N_("QUEUE") },
    { "from", 0, 0, G_OPTION_ARG_STRING, &from_text,
      N_("Reviewers’ agreement: only items whose second review is from then on"),
      N_("TIME") },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to_text,
      N_("Reviewers’ agreement: only items whose second review is before then"), N_("TIME") },
    { NULL }
  };

  if (!vd_cli_parse (globals, entries, "",
                     _("Print the workflow statistics, and how often the two reviewers of "
                       "items that need two agree (percent agreement and Cohen’s kappa)."),
                     &argc, &argv))
    return VD_CLI_EXIT_USAGE;
  if (argc > 1)
    return vd_cli_usage (globals, _("unexpected argument “%s”"), argv[1]);
  if (!parse_time (globals, "--from", from_text, &from) ||
      !parse_time (globals, "--to", to_text, &to))
    return VD_CLI_EXIT_USAGE;

  if (!(store = vd_cli_open_store (globals, &error)) ||
      !vd_store_get_stats (store, queue, &stats, &error) ||
      !vd_agreement_add_from_store (&agreement, store, queue, from, to, NULL, &error))
    return vd_cli_fail (error);

  vd_agreement_compute (&agreement);

  if (json)
    {
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
      JsonObject *object = json_object_new ();

      json_object_set_int_member (object, "total_tasks", stats.total_tasks);
      json_object_set_int_member (object, "auto_approved", stats.auto_approved);
      json_object_set_int_member (object, "escalated", stats.escalated);
      json_object_set_int_member (object, "human_approved", stats.human_approved);
      json_object_set_int_member (object, "human_rejected", stats.human_rejected);
      json_object_set_int_member (object, "human_modified", stats.human_modified);
      json_object_set_int_member (object, "human_escalated", stats.human_escalated);
      json_object_set_int_member (object, "pending", stats.pending);
      json_object_set_double_member (object, "avg_confidence", stats.avg_confidence);
      json_object_set_object_member (object, "agreement", vd_agreement_to_json (&agreement));
      json_node_take_object (node, object);
      vd_cli_print_json (node);
    }
  else
    {
      printf ("total_tasks     %" PRIu64 "\n", stats.total_tasks);
      printf ("auto_approved   %" PRIu64 "\n", stats.auto_approved);
      printf ("escalated       %" PRIu64 "\n", stats.escalated);
      printf ("human_approved  %" PRIu64 "\n", stats.human_approved);
      printf ("human_rejected  %" PRIu64 "\n", stats.human_rejected);
      printf ("human_modified  %" PRIu64 "\n", stats.human_modified);
      printf ("human_escalated %" PRIu64 "\n", stats.human_escalated);
      printf ("pending         %" PRIu64 "\n", stats.pending);
      printf ("avg_confidence  %.4f\n", stats.avg_confidence);
      print_agreement (&agreement);
    }

  return VD_CLI_EXIT_OK;
}

int
vd_cli_audit (VdCliGlobals  *globals,
              int            argc,
              char         **argv)
{
  g_autoptr(VdStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *head_hash = NULL;
  VdAuditReport report = { 0, };
  gint64 head_seq = 0;
  g_autofree char *export_path = NULL;
  GOptionEntry entries[] = {
    { "export", 0, 0, G_OPTION_ARG_FILENAME, &export_path,
      N_("Also check that the store still holds what this signed export pinned"),
      N_("FILE") },
    { NULL }
  };

  if (!vd_cli_parse (globals, entries, "verify",
                     _("Verify the audit trail’s hash chain and signatures; names the first "
                       "bad event."),
                     &argc, &argv))
    return VD_CLI_EXIT_USAGE;
  if (argc != 2 || !g_str_equal (argv[1], "verify"))
    return vd_cli_usage (globals, _("the audit command is “audit verify”"));

  if (!(store = vd_cli_open_store (globals, &error)))
    return vd_cli_fail (error);

  /* An earlier export pins what the store held: checked first, since it
   * catches a rewrite even by someone who holds the keys. */
  if (export_path != NULL && vd_cli_audit_verify_export (store, export_path) != VD_CLI_EXIT_OK)
    return VD_CLI_EXIT_FAILURE;

  if (!vd_store_verify_audit_report (store, &report, &error))
    {
      int status = vd_cli_fail (error);

      if (report.bad_seq > 0)
        g_printerr (_("verdict-cli: %" PRIu64 " events checked out before the first bad one\n"),
                    report.n_events);
      return status;
    }

  if (!vd_store_get_audit_head (store, &head_seq, &head_hash, &error))
    return vd_cli_fail (error);

  printf (g_dngettext (GETTEXT_PACKAGE,
                       "audit trail intact: %" PRIu64 " event, head #%" PRId64 " %s\n",
                       "audit trail intact: %" PRIu64 " events, head #%" PRId64 " %s\n",
                       report.n_events),
          report.n_events, head_seq, head_hash);
  printf (_("signed by reviewers: %" PRIu64 "\n"), report.n_signed_reviewer);
  printf (_("signed by this installation: %" PRIu64 "\n"), report.n_signed_installation);
  printf (_("unsigned, from before signing started: %" PRIu64 "\n"), report.n_unsigned);

  return VD_CLI_EXIT_OK;
}
