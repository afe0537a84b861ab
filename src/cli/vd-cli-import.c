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
  VdImportResult result = { 0 };
  GPtrArray *problems;
  gboolean skip_invalid = FALSE;
  GOptionEntry entries[] = {
    { "skip-invalid", 0, 0, G_OPTION_ARG_NONE, &skip_invalid,
      N_("Import the valid lines and report each invalid one"), NULL },
    { "policy", 0, 0, G_OPTION_ARG_FILENAME, &policy_path,
      N_("The escalation policy for items that carry no escalation reason"), N_("POLICY.json") },
    { NULL }
  };

  if (!vd_cli_parse (globals, entries, _("FILE…"),
                     _("Import queue files (verdict-queue v1). All or nothing, unless --skip-invalid."),
                     &argc, &argv))
    return VD_CLI_EXIT_USAGE;

  if (argc < 2)
    return vd_cli_usage (globals, _("name at least one queue file"));

  if (!(policy = vd_cli_load_policy (policy_path, &error)))
    return vd_cli_fail (error);

  for (int i = 1; i < argc; i++)
    g_ptr_array_add (files, g_file_new_for_commandline_arg (argv[i]));

  if (!(store = vd_cli_open_store (globals, &error)))
    return vd_cli_fail (error);

  importer = vd_importer_new (store, policy);
  vd_importer_set_skip_invalid (importer, skip_invalid);

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

  /* TRANSLATORS: the summary of an import */
  printf (_("%u imported, %u revised, %u skipped, %u invalid: %u queued for review, %u auto-approved\n"),
          result.imported, result.revised, result.skipped, result.invalid,
          result.queued, result.auto_approved);

  return VD_CLI_EXIT_OK;
}
