/* vd-cli-keys.c: verdict-cli keys
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
#include <stdio.h>
#include <string.h>

#include "vd-cli-private.h"

/* Whether the passphrase will be typed on the terminal, where a typing
 * mistake goes unseen and is worth a second asking. */
static gboolean
asks_terminal (const char *passphrase_file)
{
  const char *fd_text = g_getenv ("VERDICT_PASSPHRASE_FD");

  return passphrase_file == NULL && (fd_text == NULL || *fd_text == '\0');
}

/* Reads a new passphrase: refuses an empty one, and on a terminal asks
 * twice. */
static char *
read_new_passphrase (const char  *passphrase_file,
                     GError     **error)
{
  char *passphrase;
  char *again;
  gboolean same;

  passphrase = vd_passphrase_read (_("New passphrase: "), passphrase_file, error);
  if (passphrase == NULL)
    return NULL;

  if (*passphrase == '\0')
    {
      vd_passphrase_free (passphrase);
      g_set_error_literal (error, VD_KEY_ERROR, VD_KEY_ERROR_PASSPHRASE,
                           _("The passphrase is empty; a key needs a passphrase"));
      return NULL;
    }

  if (!asks_terminal (passphrase_file))
    return passphrase;

  again = vd_passphrase_read (_("The same passphrase again: "), NULL, error);
  if (again == NULL)
    {
      vd_passphrase_free (passphrase);
      return NULL;
    }
  same = g_str_equal (passphrase, again);
  vd_passphrase_free (again);
  if (!same)
    {
      vd_passphrase_free (passphrase);
      g_set_error_literal (error, VD_KEY_ERROR, VD_KEY_ERROR_PASSPHRASE,
                           _("The two passphrases differ; nothing was changed"));
      return NULL;
    }

  return passphrase;
}

static int
keys_generate (VdKeystore *keystore,
               const char *reviewer_id,
               const char *passphrase_file)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VdKey) key = NULL;
  g_autofree char *key_path = NULL;
  g_autofree char *public_line = NULL;
  g_autofree char *shown = NULL;
  char *passphrase;

  /* Refuse before asking for a passphrase that would not be used. */
  if (vd_keystore_has_key (keystore, reviewer_id))
    {
      g_autofree char *path = vd_keystore_dup_key_path (keystore, reviewer_id);

      g_set_error (&error, VD_KEY_ERROR, VD_KEY_ERROR_EXISTS,
                   _("%s has a key already (%s); change its passphrase with “verdict-cli "
                     "keys change-passphrase %s”, or move the file away first"),
                   reviewer_id, path, reviewer_id);
      return vd_cli_fail (error);
    }

  passphrase = read_new_passphrase (passphrase_file, &error);
  if (passphrase == NULL)
    return vd_cli_fail (error);

  key = vd_keystore_generate (keystore, reviewer_id, passphrase, &error);
  vd_passphrase_free (passphrase);
  if (key == NULL)
    return vd_cli_fail (error);
  vd_key_lock (key);

  key_path = vd_keystore_dup_key_path (keystore, reviewer_id);
  public_line = vd_key_format_public (key);
  shown = vd_cli_escape_line (reviewer_id);

  printf (_("Generated a key for %s\n"), shown);
  printf (_("key id:     %s\n"), vd_key_get_id (key));
  printf (_("public key: %s\n"), public_line);
  printf (_("secret key: %s (sealed with the passphrase)\n"), key_path);

  return VD_CLI_EXIT_OK;
}

static int
keys_list (VdKeystore *keystore,
           gboolean    json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) keys = NULL;

  keys = vd_keystore_list (keystore, &error);
  if (keys == NULL)
    return vd_cli_fail (error);

  if (!json && keys->len == 0)
    {
      g_autofree char *dir = vd_cli_escape_line (vd_keystore_get_dir (keystore));

      printf (_("No keys in %s (create one with “verdict-cli keys generate --reviewer ID”)\n"),
              dir);
      return VD_CLI_EXIT_OK;
    }

  for (guint i = 0; i < keys->len; i++)
    {
      VdKey *key = g_ptr_array_index (keys, i);
      const char *reviewer_id = vd_key_get_owner (key);
      g_autofree char *path = vd_keystore_dup_key_path (keystore, reviewer_id);
      g_autofree char *public_line = vd_key_format_public (key);
      g_autoptr(GError) file_error = NULL;
      gboolean sealed = FALSE;

      if (!vd_key_file_is_sealed (path, &sealed, &file_error))
        return vd_cli_fail (file_error);

      if (json)
        {
          g_autoptr(JsonBuilder) builder = json_builder_new ();
          g_autoptr(JsonNode) node = NULL;

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "reviewer");
          json_builder_add_string_value (builder, reviewer_id);
          json_builder_set_member_name (builder, "key_id");
          json_builder_add_string_value (builder, vd_key_get_id (key));
          json_builder_set_member_name (builder, "public_key");
          json_builder_add_string_value (builder, public_line);
          json_builder_set_member_name (builder, "path");
          json_builder_add_string_value (builder, path);
          json_builder_set_member_name (builder, "sealed");
          json_builder_add_boolean_value (builder, sealed);
          json_builder_end_object (builder);
          node = json_builder_get_root (builder);
          vd_cli_print_json (node);
        }
      else
        {
          g_autofree char *shown = vd_cli_escape_line (reviewer_id);
          g_autofree char *shown_path = vd_cli_escape_line (path);

          printf ("%-16s %s %s %s %s\n", shown, vd_key_get_id (key), public_line,
                  sealed ? _("sealed") : _("unsealed"), shown_path);
        }
    }

  return VD_CLI_EXIT_OK;
}

static int
keys_export_public (VdKeystore *keystore,
                    const char *reviewer_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VdKey) key = NULL;
  g_autofree char *text = NULL;

  key = vd_keystore_lookup_public (keystore, reviewer_id, &error);
  if (key == NULL)
    return vd_cli_fail (error);

  text = vd_key_format_public_file (key);
  fputs (text, stdout);

  return VD_CLI_EXIT_OK;
}

static int
keys_change_passphrase (VdKeystore *keystore,
                        const char *reviewer_id,
                        const char *passphrase_file)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *shown = NULL;
  char *old_passphrase;
  char *new_passphrase;
  gboolean ok;

  if (!vd_keystore_has_key (keystore, reviewer_id))
    {
      g_autoptr(VdKey) none = vd_keystore_lookup_public (keystore, reviewer_id, &error);

      if (error == NULL)
        g_set_error (&error, VD_KEY_ERROR, VD_KEY_ERROR_NOT_FOUND,
                     _("%s has no secret key in %s"), reviewer_id,
                     vd_keystore_get_dir (keystore));
      return vd_cli_fail (error);
    }

  old_passphrase = vd_passphrase_read (_("Current passphrase: "), passphrase_file, &error);
  if (old_passphrase == NULL)
    return vd_cli_fail (error);

  /* Check the old one before asking for the new one. */
  {
    g_autoptr(VdKey) key = vd_keystore_unlock (keystore, reviewer_id, old_passphrase, &error);

    if (key == NULL)
      {
        vd_passphrase_free (old_passphrase);
        return vd_cli_fail (error);
      }
    vd_key_lock (key);
  }

  new_passphrase = read_new_passphrase (passphrase_file, &error);
  if (new_passphrase == NULL)
    {
      vd_passphrase_free (old_passphrase);
      return vd_cli_fail (error);
    }

  ok = vd_keystore_change_passphrase (keystore, reviewer_id, old_passphrase, new_passphrase,
                                      &error);
  vd_passphrase_free (old_passphrase);
  vd_passphrase_free (new_passphrase);
  if (!ok)
    return vd_cli_fail (error);

  path = vd_keystore_dup_key_path (keystore, reviewer_id);
  shown = vd_cli_escape_line (path);
  printf (_("Changed the passphrase of %s\n"), shown);

  return VD_CLI_EXIT_OK;
}

int
vd_cli_keys (VdCliGlobals  *globals,
             int            argc,
             char         **argv)
{
  g_autoptr(VdKeystore) keystore = NULL;
  g_autofree char *reviewer = NULL;
  g_autofree char *passphrase_file = NULL;
  const char *sub;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "reviewer", 0, 0, G_OPTION_ARG_STRING, &reviewer,
      N_("The reviewer (default: $VERDICT_REVIEWER)"), N_("ID") },
    { "passphrase-file", 0, 0, G_OPTION_ARG_FILENAME, &passphrase_file,
      N_("Read passphrases from FILE, one a line, instead of the terminal"), N_("FILE") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("One JSON object per line"), NULL },
    { NULL }
  };

  if (!vd_cli_parse (globals, entries,
                     "generate|list|export-public|change-passphrase",
                     _("Reviewers' signing keys. “generate --reviewer ID” creates a key "
                       "sealed with a passphrase; “list” shows the keys; “export-public ID” "
                       "prints a public key in minisign's format; “change-passphrase ID” "
                       "seals a key with a new passphrase. Passphrases come from the "
                       "terminal, --passphrase-file FILE or the descriptor in "
                       "VERDICT_PASSPHRASE_FD. Keys live in $VERDICT_KEYS_DIR, else "
                       "~/.local/share/verdict/keys."),
                     &argc, &argv))
    return VD_CLI_EXIT_USAGE;

  if (argc < 2)
    return vd_cli_usage (globals, _("which keys command? generate, list, export-public or "
                                    "change-passphrase"));
  sub = argv[1];

  if (passphrase_file == NULL && globals->passphrase_file != NULL)
    passphrase_file = g_strdup (globals->passphrase_file);

  keystore = vd_keystore_new_default ();

  if (g_str_equal (sub, "generate"))
    {
      g_autofree char *path = NULL;

      if (argc != 2)
        return vd_cli_usage (globals, _("generate takes no arguments: “keys generate "
                                        "--reviewer ID”"));
      if (reviewer == NULL)
        reviewer = g_strdup (g_getenv ("VERDICT_REVIEWER"));
      if (reviewer == NULL || *reviewer == '\0')
        return vd_cli_usage (globals, _("--reviewer ID is required"));
      /* The keystore says why an ID cannot name a key file. */
      path = vd_keystore_dup_key_path (keystore, reviewer);
      if (path == NULL)
        {
          g_autoptr(GError) error = NULL;
          g_autoptr(VdKey) none = vd_keystore_lookup_public (keystore, reviewer, &error);

          return vd_cli_fail (error);
        }
      return keys_generate (keystore, reviewer, passphrase_file);
    }
  else if (g_str_equal (sub, "list"))
    {
      if (argc != 2)
        return vd_cli_usage (globals, _("list takes no arguments"));
      return keys_list (keystore, json);
    }
  else if (g_str_equal (sub, "export-public"))
    {
      if (argc != 3)
        return vd_cli_usage (globals, _("the command is “keys export-public ID”"));
      return keys_export_public (keystore, argv[2]);
    }
  else if (g_str_equal (sub, "change-passphrase"))
    {
      if (argc != 3)
        return vd_cli_usage (globals, _("the command is “keys change-passphrase ID”"));
      return keys_change_passphrase (keystore, argv[2], passphrase_file);
    }

  return vd_cli_usage (globals, _("unknown keys command “%s” (generate, list, export-public, "
                                  "change-passphrase)"), sub);
}
