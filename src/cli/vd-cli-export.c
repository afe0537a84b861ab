/* vd-cli-export.c: verdict-cli export
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

#include <gio/gunixoutputstream.h>
#include <unistd.h>

/* The reviewer who exports: their unlocked key signs FILE.minisig, else
 * the installation key does. */
static gboolean
unlock_reviewer (VdCliGlobals  *globals,
                 VdStore       *store,
                 VdExporter    *exporter,
                 const char    *reviewer,
                 const char    *passphrase_file,
                 GError       **error)
{
  if (reviewer == NULL || reviewer[0] == '\0')
    reviewer = g_getenv ("VERDICT_REVIEWER");
  if (reviewer == NULL || reviewer[0] == '\0')
    return TRUE;

  if (!vd_cli_unlock_reviewer (globals, store, reviewer, passphrase_file, error))
    return FALSE;

  vd_exporter_set_reviewer (exporter, reviewer);

  return TRUE;
}

static int
export_training (VdCliGlobals *globals,
                 const char   *destination,
                 const char   *reviewer,
                 const char   *passphrase_file)
{
  g_autoptr(VdStore) store = NULL;
  g_autoptr(VdExporter) exporter = NULL;
  g_autoptr(GError) error = NULL;
  VdTrainingCounts counts = { 0, };

  if (!(store = vd_cli_open_store (globals, &error)))
    return vd_cli_fail (error);

  exporter = vd_exporter_new (store);
  if (!g_str_equal (destination, "-") &&
      !unlock_reviewer (globals, store, exporter, reviewer, passphrase_file, &error))
    return vd_cli_fail (error);

  if (g_str_equal (destination, "-"))
    {
      g_autoptr(GOutputStream) out = g_unix_output_stream_new (STDOUT_FILENO, FALSE);

      if (!vd_training_export_write (store, NULL, out, "-", &counts, NULL, &error))
        return vd_cli_fail (error);
    }
  else
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (destination);
      g_autofree char *supervised = NULL;
      g_autofree char *preference = NULL;
      g_autofree char *name = vd_cli_escape_line (destination);

      if (!vd_training_export_file (store, NULL, file, &counts, NULL, &error))
        return vd_cli_fail (error);
      /* The export stands even when its signature cannot be written. */
      if (!vd_exporter_sign_file (exporter, file, VD_TRAINING_FORMAT " v1",
                                  counts.supervised + counts.preference, NULL, NULL, &error))
        return vd_cli_fail (error);

      supervised = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%" PRIu64 " supervised pair",
                                                 "%" PRIu64 " supervised pairs",
                                                 counts.supervised),
                                    counts.supervised);
      preference = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%" PRIu64 " preference pair",
                                                 "%" PRIu64 " preference pairs",
                                                 counts.preference),
                                    counts.preference);
      /* TRANSLATORS: e.g. "3 supervised pairs and 1 preference pair written to train.jsonl" */
      printf (_("%s and %s written to %s\n"), supervised, preference, name);
    }

  return VD_CLI_EXIT_OK;
}

/* Answers to another tool: its items with their final decisions. */
static int
export_format (VdCliGlobals        *globals,
               const VdFormatClass *klass,
               const char          *destination,
               const char          *queue,
               const char          *reviewer,
               const char          *passphrase_file)
{
  g_autoptr(VdStore) store = NULL;
  g_autoptr(VdExporter) exporter = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *written = NULL;
  VdFormatSummary summary = { 0 };

  if (g_str_equal (destination, "-"))
    return vd_cli_usage (globals, _("a %s export is written to a file, not standard output"),
                         klass->name);

  if (!(store = vd_cli_open_store (globals, &error)))
    return vd_cli_fail (error);

  exporter = vd_exporter_new (store);
  if (!unlock_reviewer (globals, store, exporter, reviewer, passphrase_file, &error))
    return vd_cli_fail (error);

  file = g_file_new_for_commandline_arg (destination);
  if (!vd_exporter_export_format_file (exporter, klass->name, queue, file, &summary, NULL,
                                       &error))
    return vd_cli_fail (error);

  name = vd_cli_escape_line (destination);
  written = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Wrote %" PRIu64 " record to %s",
                                          "Wrote %" PRIu64 " records to %s", summary.written),
                             summary.written, name);
  /* TRANSLATORS: follows "Wrote N records to FILE" */
  printf (_("%s; held back %" PRIu64 " (undecided, escalated or part of an undecided "
            "group)\n"), written, summary.held_back);

  return VD_CLI_EXIT_OK;
}

int
vd_cli_export (VdCliGlobals  *globals,
               int            argc,
               char         **argv)
{
  g_autoptr(VdStore) store = NULL;
  g_autoptr(VdExporter) exporter = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *reviewer = NULL;
  g_autofree char *passphrase_file = NULL;
  g_autofree char *queue = NULL;
  const VdFormatClass *klass;
  guint64 n_records = 0;
  VdExportKind kind;
  GOptionEntry entries[] = {
    { "reviewer", 0, 0, G_OPTION_ARG_STRING, &reviewer,
      N_("Who exports (default: $VERDICT_REVIEWER): their key signs FILE.minisig"),
      N_("ID") },
    { "passphrase-file", 0, 0, G_OPTION_ARG_FILENAME, &passphrase_file,
      N_("Read the key’s passphrase from the first line of FILE"), N_("FILE") },
    { "queue", 0, 0, G_OPTION_ARG_STRING, &queue,
      N_("Only this queue’s items (other tools’ formats)"), N_("QUEUE") },
    { NULL }
  };

  if (!vd_cli_parse (globals, entries,
                     _("decisions|outputs|training|langgraph|label-studio|argilla|prodigy|csv "
                       "FILE"),
                     _("Export every decision (verdict-decisions v1), the final outputs of decided "
                       "items (verdict-outputs v1) or training data for the agent from the "
                       "reviewers' decisions (verdict-training v1). FILE “-” is standard output.\n"
                       "langgraph, label-studio, argilla and prodigy answer those tools' items "
                       "in their own form; csv lists every decided item (docs/formats.md).\n"
                       "A file export is signed: FILE.minisig, by the reviewer’s key when they "
                       "have one, else by this installation’s key."),
                     &argc, &argv))
    return VD_CLI_EXIT_USAGE;
  if (argc != 3)
    return vd_cli_usage (globals,
                         _("name what to export (decisions, outputs or training) and a file"));

  klass = vd_format_lookup (argv[1]);
  if (klass != NULL && klass->write != NULL)
    return export_format (globals, klass, argv[2], queue, reviewer, passphrase_file);

  if (g_str_equal (argv[1], "training"))
    return export_training (globals, argv[2], reviewer, passphrase_file);
  else if (g_str_equal (argv[1], "decisions"))
    kind = VD_EXPORT_DECISIONS;
  else if (g_str_equal (argv[1], "outputs"))
    kind = VD_EXPORT_OUTPUTS;
  else
    return vd_cli_usage (globals, _("export decisions, outputs, training, langgraph, "
                                    "label-studio, argilla, prodigy or csv, not “%s”"),
                         argv[1]);

  if (!(store = vd_cli_open_store (globals, &error)))
    return vd_cli_fail (error);

  exporter = vd_exporter_new (store);
  if (!g_str_equal (argv[2], "-") &&
      !unlock_reviewer (globals, store, exporter, reviewer, passphrase_file, &error))
    return vd_cli_fail (error);

  if (g_str_equal (argv[2], "-"))
    {
      g_autoptr(GOutputStream) out = g_unix_output_stream_new (STDOUT_FILENO, FALSE);

      if (!vd_exporter_write (exporter, kind, out, "-", &n_records, NULL, &error) ||
          !g_output_stream_flush (out, NULL, &error))
        return vd_cli_fail (error);
    }
  else
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (argv[2]);
      g_autofree char *name = vd_cli_escape_line (argv[2]);

      if (!vd_exporter_export_file (exporter, kind, file, &n_records, NULL, &error))
        return vd_cli_fail (error);

      printf (g_dngettext (GETTEXT_PACKAGE, "%" PRIu64 " record written to %s\n",
                           "%" PRIu64 " records written to %s\n", n_records),
              n_records, name);
    }

  return VD_CLI_EXIT_OK;
}
