/* vd-cli-verify.c: verdict-cli verify, and audit verify --export
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
#include "vd-export-verify.h"

static void
add_keys (GPtrArray *keys,
          GPtrArray *more)
{
  for (guint i = 0; more != NULL && i < more->len; i++)
    g_ptr_array_add (keys, vd_key_dup_public (g_ptr_array_index (more, i)));
}

/* The keys of this machine: the keystore's public keys and, when the store
 * exists, its installation key and its roster's keys. */
static void
add_local_keys (GPtrArray *keys,
                VdStore   *store)
{
  g_autoptr(VdKeystore) keystore = vd_keystore_new_default ();
  g_autoptr(GPtrArray) listed = vd_keystore_list (keystore, NULL);

  add_keys (keys, listed);

  if (store != NULL && vd_store_get_signer (store) != NULL)
    {
      VdSigner *signer = vd_store_get_signer (store);
      g_autoptr(VdRoster) roster = vd_signer_dup_roster (signer);

      g_ptr_array_add (keys, vd_key_dup_public (vd_signer_get_installation_key (signer)));
      if (roster != NULL)
        {
          g_autoptr(GPtrArray) roster_keys = vd_roster_list_keys (roster);

          add_keys (keys, roster_keys);
        }
    }
}

static VdStore *
open_existing_store (VdCliGlobals *globals)
{
  g_autofree char *path = NULL;

  path = globals->db_path != NULL ? g_strdup (globals->db_path)
                                  : vd_sqlite_store_default_path ();
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    return NULL;

  return vd_cli_open_store (globals, NULL);
}

static void
print_summary (const char     *path,
               VdExportReport *report)
{
  g_autofree char *name = vd_cli_escape_line (path);
  g_autofree char *signer = vd_cli_escape_line (report->signer);
  g_autofree char *lines = NULL;

  if (g_str_equal (report->format, "verdict-decisions"))
    lines = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%" PRIu64 " decision",
                                          "%" PRIu64 " decisions", report->n_lines),
                             report->n_lines);
  else
    lines = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%" PRIu64 " line",
                                          "%" PRIu64 " lines", report->n_lines),
                             report->n_lines);

  /* TRANSLATORS: e.g. "decisions.jsonl: 42 decisions, signed by alice (ABCD…)" */
  printf (_("%s: %s, signed by %s (%s)"), name, lines, signer, report->signer_key_id);
  if (g_str_equal (report->format, "verdict-decisions"))
    {
      printf (g_dngettext (GETTEXT_PACKAGE, ", %u reviewer’s key", ", %u reviewers’ keys",
                           report->n_line_keys), report->n_line_keys);
      if (report->n_unsigned > 0)
        printf (g_dngettext (GETTEXT_PACKAGE,
                             ", %" PRIu64 " decision from before signing started",
                             ", %" PRIu64 " decisions from before signing started",
                             report->n_unsigned), report->n_unsigned);
    }
  printf ("%s\n", _(", all signatures valid"));
}

int
vd_cli_verify (VdCliGlobals  *globals,
               int            argc,
               char         **argv)
{
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(VdPolicy) policy = NULL;
  g_autoptr(VdStore) store = NULL;
  g_autoptr(VdExportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *policy_path = NULL;
  g_auto(GStrv) public_keys = NULL;
  g_auto(GStrv) public_key_files = NULL;
  VdRoster *roster = NULL;
  GOptionEntry entries[] = {
    { "policy", 0, 0, G_OPTION_ARG_FILENAME, &policy_path,
      N_("Check the decisions against this policy’s reviewers and roles"), N_("POLICY.json") },
    { "public-key", 0, 0, G_OPTION_ARG_STRING_ARRAY, &public_keys,
      N_("A public key that may have signed the file (minisign’s RW… line)"), N_("KEY") },
    { "public-key-file", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &public_key_files,
      N_("A minisign public key file that may have signed the file"), N_("FILE") },
    { NULL }
  };

  if (!vd_cli_parse (globals, entries, _("FILE"),
                     _("Verify a signed export offline: FILE.minisig over the whole file, "
                       "and for decisions each line’s hash, signature and place in the "
                       "audit trail; with --policy, who may decide what. The file’s key "
                       "comes from --public-key, the policy’s reviewers, the keys folder or "
                       "the store’s installation key."),
                     &argc, &argv))
    return VD_CLI_EXIT_USAGE;
  if (argc != 2)
    return vd_cli_usage (globals, _("name one export file"));

  for (guint i = 0; public_keys != NULL && public_keys[i] != NULL; i++)
    {
      VdKey *key = vd_key_parse_public (public_keys[i], NULL, &error);

      if (key == NULL)
        return vd_cli_usage (globals, _("--public-key: %s"), error->message);
      g_ptr_array_add (keys, key);
    }

  for (guint i = 0; public_key_files != NULL && public_key_files[i] != NULL; i++)
    {
      g_autofree char *text = NULL;
      g_autofree char *name = g_filename_display_name (public_key_files[i]);
      VdKey *key;

      if (!g_file_get_contents (public_key_files[i], &text, NULL, &error))
        return vd_cli_fail (error);
      key = vd_key_parse_public (text, NULL, &error);
      if (key == NULL)
        return vd_cli_usage (globals, "%s: %s", name, error->message);
      g_ptr_array_add (keys, key);
    }

  if (policy_path != NULL)
    {
      g_autoptr(GPtrArray) roster_keys = NULL;

      policy = vd_cli_load_policy (policy_path, &error);
      if (policy == NULL)
        return vd_cli_fail (error);
      roster = vd_policy_get_roster (policy);
      if (roster != NULL)
        {
          roster_keys = vd_roster_list_keys (roster);
          add_keys (keys, roster_keys);
        }
    }

  store = open_existing_store (globals);
  add_local_keys (keys, store);

  report = vd_export_verify_file (argv[1], keys, roster, NULL, &error);
  if (report == NULL)
    return vd_cli_fail (error);

  print_summary (argv[1], report);

  return VD_CLI_EXIT_OK;
}

/**
 * vd_cli_audit_verify_export:
 * @store: the store whose trail was verified
 * @path: an export of the store
 *
 * `audit verify --export FILE`: verifies the export with this machine's
 * keys and checks that the store still holds the export's head and every
 * exported decision's event unchanged.
 *
 * Returns: the exit status
 */
int
vd_cli_audit_verify_export (VdStore    *store,
                            const char *path)
{
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(VdExportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = vd_cli_escape_line (path);

  add_local_keys (keys, store);

  report = vd_export_verify_file (path, keys, NULL, NULL, &error);
  if (report == NULL || !vd_export_verify_store (report, path, store, &error))
    return vd_cli_fail (error);

  if (report->has_head)
    printf (g_dngettext (GETTEXT_PACKAGE,
                         "%s: the store still holds its head #%" PRId64 " and its %u "
                         "decision’s event unchanged\n",
                         "%s: the store still holds its head #%" PRId64 " and its %u "
                         "decisions’ events unchanged\n",
                         report->events->len),
            name, report->head_seq, report->events->len);
  else
    printf (_("%s: signature valid; it names no audit head to check\n"), name);

  return VD_CLI_EXIT_OK;
}
