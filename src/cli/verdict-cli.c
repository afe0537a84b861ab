/* verdict-cli.c: the command-line tool
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
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "vd-cli-private.h"

static const struct
{
  const char       *name;
  VdCliCommandFunc  func;
  const char       *synopsis;
} commands[] = {
  { "import", vd_cli_import, "import [--skip-invalid] [--policy POLICY.json] [--json] FILE..." },
  { "list", vd_cli_list, "list [--status STATUS] [--queue Q] [--sort confidence|due|created] [--json]" },
  { "show", vd_cli_show, "show [--queue Q] TASK_ID [--json]" },
  { "decide", vd_cli_decide,
    "decide [--queue Q] TASK_ID approve|reject|modify|escalate_further --reviewer ID "
    "[--feedback TEXT] [--content TEXT] [--helpful yes|no] [--category NAME]" },
  { "claim", vd_cli_claim, "claim [--reviewer ID] [--minutes N] QUEUE TASK_ID" },
  { "release", vd_cli_claim, "release [--reviewer ID] QUEUE TASK_ID" },
  { "export", vd_cli_export,
    "export decisions|outputs|training FILE [--reviewer ID]      (FILE \"-\" is standard output)" },
  { "stats", vd_cli_stats, "stats [--json]" },
  { "audit", vd_cli_audit, "audit verify [--export FILE]" },
  { "verify", vd_cli_verify,
    "verify FILE [--policy POLICY.json] [--public-key RW...|--public-key-file F]" },
  { "policy", vd_cli_policy, "policy check --policy POLICY.json [--json] [FILE]" },
  { "sla", vd_cli_sla, "sla apply [--policy POLICY.json] [--now RFC3339] [--json]" },
  { "feedback", vd_cli_feedback,
    "feedback suggest TEXT [--reviewer ID] | feedback summary [--json] | feedback areas" },
  { "reviewers", vd_cli_reviewers, "reviewers [--queue Q] [--since RFC3339] [--json]" },
  { "calibration", vd_cli_calibration,
    "calibration [--queue Q] [--type T] [--target 0.95] [--json]" },
  { "calibration apply", vd_cli_calibration,
    "calibration apply --type T|--global --threshold X --policy FILE [--reviewer ID]" },
  { "forecast", vd_cli_forecast, "forecast [--queue Q] [--now RFC3339] [--json]" },
  { "bulk-approve", vd_cli_bulk_approve,
    "bulk-approve --queue Q [--type T] --min-confidence X [--max-confidence Y] [--reason R] "
    "--reviewer ID [--sample PCT] [--seed N]" },
  { "run", vd_cli_run,
    "run [--endpoint URL] [--allow-insecure-http] [--model NAME] [--policy P] [--concurrency N] INPUTS.jsonl" },
  { "revise", vd_cli_revise,
    "revise [--queue Q] [TASK_ID | --all] [--endpoint URL] [--model NAME] [--policy P]" },
  { "second-opinion", vd_cli_second_opinion,
    "second-opinion [--queue Q] TASK_ID [--endpoint URL] [--model NAME] [--json]" },
  { "assist", vd_cli_assist,
    "assist [--queue Q] TASK_ID [--endpoint URL] [--model NAME] [--json]" },
  { "keys", vd_cli_keys,
    "keys generate --reviewer ID | keys list [--json] | keys export-public ID | "
    "keys change-passphrase ID" },
  { "team", vd_cli_team,
    "team init|migrate|status [--db postgresql://...] | team add-reviewer ROLE [--senior] "
    "[--admin]" },
};

static void
print_help (FILE *stream)
{
  fprintf (stream, "%s\n",
           _("Usage: verdict-cli [--db PATH] [--passphrase-file FILE] COMMAND [OPTION…]"));
  fprintf (stream, "\n%s\n", _("Review AI agent output: import queues, decide, export, audit."));
  fprintf (stream, "\n%s\n", _("Commands:"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (stream, "  verdict-cli [--db PATH] %s\n", commands[i].synopsis);
  fprintf (stream, "\n%s\n", _("Options:"));
  fprintf (stream, "  --db PATH    %s\n",
           _("the store to use (default: $VERDICT_DB, else ~/.local/share/verdict/verdict.db)"));
  fprintf (stream, "  --passphrase-file FILE  %s\n",
           _("read passphrases from FILE, one a line, instead of the terminal (also: "
             "VERDICT_PASSPHRASE_FD=N reads them from file descriptor N)"));
  fprintf (stream, "  --version    %s\n", _("print the version"));
  fprintf (stream, "\n%s\n", _("Policies: import and run approve automatically only under a "
                                 "policy someone chose, with --policy (remembered for the queue) "
                                 "or earlier for the same queue; without one every item is "
                                 "queued for review."));
  fprintf (stream, "\n%s\n", _("“verdict-cli COMMAND --help” describes a command."));
}

int
main (int    argc,
      char **argv)
{
  VdCliGlobals globals = { 0 };
  int i = 1;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* Global options come before the command. */
  while (i < argc && argv[i][0] == '-')
    {
      if (g_str_equal (argv[i], "--db"))
        {
          if (i + 1 >= argc || argv[i + 1][0] == '\0')
            return vd_cli_usage (&globals, _("--db needs a path"));
          globals.db_path = argv[i + 1];
          i += 2;
        }
      else if (g_str_has_prefix (argv[i], "--db="))
        {
          globals.db_path = argv[i] + strlen ("--db=");
          if (*globals.db_path == '\0')
            return vd_cli_usage (&globals, _("--db needs a path"));
          i++;
        }
      else if (g_str_equal (argv[i], "--passphrase-file"))
        {
          if (i + 1 >= argc || argv[i + 1][0] == '\0')
            return vd_cli_usage (&globals, _("--passphrase-file needs a file"));
          globals.passphrase_file = argv[i + 1];
          i += 2;
        }
      else if (g_str_has_prefix (argv[i], "--passphrase-file="))
        {
          globals.passphrase_file = argv[i] + strlen ("--passphrase-file=");
          if (*globals.passphrase_file == '\0')
            return vd_cli_usage (&globals, _("--passphrase-file needs a file"));
          i++;
        }
      else if (g_str_equal (argv[i], "--help") || g_str_equal (argv[i], "-h"))
        {
          print_help (stdout);
          return VD_CLI_EXIT_OK;
        }
      else if (g_str_equal (argv[i], "--version"))
        {
          printf ("verdict-cli %s\n", PACKAGE_VERSION);
          return VD_CLI_EXIT_OK;
        }
      else
        return vd_cli_usage (&globals, _("unknown option “%s”"), argv[i]);
    }

  if (i >= argc)
    {
      print_help (stderr);
      return VD_CLI_EXIT_USAGE;
    }

  for (guint c = 0; c < G_N_ELEMENTS (commands); c++)
    {
      if (g_str_equal (commands[c].name, argv[i]))
        {
          globals.command = argv[i];
          return commands[c].func (&globals, argc - i, argv + i);
        }
    }

  if (g_str_equal (argv[i], "help"))
    {
      print_help (stdout);
      return VD_CLI_EXIT_OK;
    }

  return vd_cli_usage (&globals, _("unknown command “%s” (see verdict-cli --help)"), argv[i]);
}
