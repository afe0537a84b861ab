/* vd-cli-checkout.c
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

#include "vd-checkout.h"
#include "vd-cli-private.h"
#include "vd-pg-store.h"
#include "vd-store-location.h"

/* `team checkout` and `team checkin`: the offline slice of a team queue.
 * Both work on any store (a team's PostgreSQL database, or a shared
 * SQLite file). */

/* Exit status of a checkin with conflicts. */
#define EXIT_CONFLICTS 3

/* The reviewer: on PostgreSQL the session's role (the database allows no
 * other), else --reviewer or $VERDICT_REVIEWER. */
static const char *
command_reviewer (VdCliGlobals  *globals,
                  VdStore       *store,
                  const char    *option,
                  GError       **error)
{
  const char *reviewer = option != NULL ? option : g_getenv ("VERDICT_REVIEWER");

  if (VD_IS_PG_STORE (store))
    {
      const char *session = vd_pg_store_get_session_user (VD_PG_STORE (store));

      if (option != NULL && g_strcmp0 (option, session) != 0)
        {
          g_set_error (error, VD_STORE_ERROR, VD_STORE_ERROR_PERMISSION,
                       _("you are logged in to the team database as %s, not %s"),
                       session, option);
          return NULL;
        }
      return session;
    }

  if (reviewer == NULL || reviewer[0] == '\0')
    {
      g_set_error_literal (error, VD_STORE_ERROR, VD_STORE_ERROR_INVALID,
                           _("--reviewer ID is required (or $VERDICT_REVIEWER)"));
      return NULL;
    }

  return reviewer;
}

/* How the checkout file names the store: its location without a
 * password. */
static char *
dup_store_label (VdCliGlobals *globals)
{
  const char *location = globals->db_path;
  g_autoptr(GUri) uri = NULL;

  if (location == NULL)
    return vd_sqlite_store_default_path ();

  if (vd_store_location_is_postgresql (location))
    {
      g_auto(GStrv) words = NULL;
      g_autoptr(GString) kept = NULL;

      uri = g_uri_parse (location, G_URI_FLAGS_HAS_PASSWORD | G_URI_FLAGS_ENCODED, NULL);
      if (uri != NULL)
        return g_uri_to_string_partial (uri, G_URI_HIDE_PASSWORD | G_URI_HIDE_QUERY);

      /* A key=value string. */
      words = g_strsplit (location, " ", -1);
      kept = g_string_new (NULL);
      for (guint i = 0; words[i] != NULL; i++)
        if (words[i][0] != '\0' && !g_str_has_prefix (words[i], "password="))
          g_string_append_printf (kept, "%s%s", kept->len > 0 ? " " : "", words[i]);
      return g_string_free (g_steal_pointer (&kept), FALSE);
    }

  return g_canonicalize_filename (location, NULL);
}

static char *
format_local (gint64 usec)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (usec / G_USEC_PER_SEC);

  return g_date_time_format (time, "%Y-%m-%d %H:%M");
}

static char *
format_utc (gint64 usec)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);

  return vd_timestamp_format (time);
}

int
vd_cli_team_checkout (VdCliGlobals  *globals,
                      int            argc,
                      char         **argv)
{
  g_autoptr(VdStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  g_autofree char *queue = NULL;
  g_autofree char *reviewer_option = NULL;
  g_autofree char *passphrase_file = NULL;
  g_autofree char *label = NULL;
  g_autofree char *name = NULL;
  g_auto(VdCheckoutResult) result = { 0, };
  const char *reviewer;
  int count = 0;
  int hours = 24;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "queue", 0, 0, G_OPTION_ARG_STRING, &queue, N_("The queue to take items from"),
      N_("QUEUE") },
    { "count", 0, 0, G_OPTION_ARG_INT, &count, N_("How many items to take"), N_("N") },
    { "hours", 0, 0, G_OPTION_ARG_INT, &hours,
      N_("How long the claims last (default 24, at most 720)"), N_("H") },
    { "reviewer", 0, 0, G_OPTION_ARG_STRING, &reviewer_option,
      N_("Who takes them (default: $VERDICT_REVIEWER; on PostgreSQL the logged-in role)"),
      N_("ID") },
    { "passphrase-file", 0, 0, G_OPTION_ARG_FILENAME, &passphrase_file,
      N_("Read the passphrase of the reviewer’s key from FILE"), N_("FILE") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print one JSON object"), NULL },
    { NULL }
  };

  if (!vd_cli_parse (globals, entries, "checkout --queue QUEUE --count N FILE",
                     _("Claim N undecided items of a queue for a long lease and write them to "
                       "FILE, a queue file signed in FILE.minisig, to review offline: import "
                       "it into a store of your own, decide, export the decisions and bring "
                       "them back with “team checkin”."),
                     &argc, &argv))
    return VD_CLI_EXIT_USAGE;
  if (argc != 3)
    return vd_cli_usage (globals, _("name one file to write"));
  if (queue == NULL || queue[0] == '\0')
    return vd_cli_usage (globals, _("--queue QUEUE is required"));
  if (count < 1)
    return vd_cli_usage (globals, _("--count takes a number of items, at least 1"));
  if (hours < 1 || hours > 720)
    return vd_cli_usage (globals, _("--hours takes 1 to 720"));

  if (!(store = vd_cli_open_store (globals, &error)) ||
      !(reviewer = command_reviewer (globals, store, reviewer_option, &error)))
    return vd_cli_fail (error);
  if (!vd_cli_unlock_reviewer (globals, store, reviewer, passphrase_file, &error))
    return vd_cli_fail (error);

  label = dup_store_label (globals);
  file = g_file_new_for_commandline_arg (argv[2]);
  name = g_filename_display_name (argv[2]);
  if (!vd_checkout_write (store, label, queue, (guint) count, (guint) hours * 3600, reviewer,
                          file, &result, NULL, &error))
    return vd_cli_fail (error);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *until = format_utc (result.expires_at);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "file");
      json_builder_add_string_value (builder, name);
      json_builder_set_member_name (builder, "queue");
      json_builder_add_string_value (builder, queue);
      json_builder_set_member_name (builder, "reviewer");
      json_builder_add_string_value (builder, reviewer);
      json_builder_set_member_name (builder, "items");
      json_builder_add_int_value (builder, result.n_items);
      json_builder_set_member_name (builder, "claimed_until");
      json_builder_add_string_value (builder, until);
      json_builder_set_member_name (builder, "signed_by");
      if (result.key_id != NULL)
        json_builder_add_string_value (builder, result.key_id);
      else
        json_builder_add_null_value (builder);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      vd_cli_print_json (root);
    }
  else
    {
      g_autofree char *until = format_local (result.expires_at);
      g_autofree char *shown_queue = vd_cli_escape_line (queue);
      g_autofree char *shown_reviewer = vd_cli_escape_line (reviewer);

      printf (g_dngettext (GETTEXT_PACKAGE,
                           "Checked out %u item of %s to %s, claimed by %s until %s\n",
                           "Checked out %u items of %s to %s, claimed by %s until %s\n",
                           result.n_items),
              result.n_items, shown_queue, name, shown_reviewer, until);
      if (result.n_items < (guint) count)
        printf (_("(only %u were free)\n"), result.n_items);
    }

  if (result.sign_error != NULL)
    {
      fprintf (stderr, _("%s was written, but its signature %s.minisig could not be: %s\n"),
               name, name, result.sign_error->message);
      return VD_CLI_EXIT_FAILURE;
    }

  return VD_CLI_EXIT_OK;
}

static gboolean
add_key_text (GPtrArray   *keys,
              const char  *text,
              const char  *what,
              GError     **error)
{
  VdKey *key = vd_key_parse_public (text, NULL, error);

  if (key == NULL)
    {
      g_prefix_error (error, "%s: ", what);
      return FALSE;
    }
  g_ptr_array_add (keys, key);
  return TRUE;
}

/* The keys that may have signed the decisions: those given, the keystore's
 * and the team store's. */
static gboolean
collect_keys (GPtrArray  *keys,
              VdStore    *store,
              GStrv       public_keys,
              GStrv       public_key_files,
              GError    **error)
{
  g_autoptr(VdKeystore) keystore = vd_keystore_new_default ();
  g_autoptr(GPtrArray) listed = vd_keystore_list (keystore, NULL);
  VdSigner *signer = vd_store_get_signer (store);

  for (guint i = 0; public_keys != NULL && public_keys[i] != NULL; i++)
    if (!add_key_text (keys, public_keys[i], "--public-key", error))
      return FALSE;

  for (guint i = 0; public_key_files != NULL && public_key_files[i] != NULL; i++)
    {
      g_autofree char *text = NULL;
      g_autofree char *name = g_filename_display_name (public_key_files[i]);

      if (!g_file_get_contents (public_key_files[i], &text, NULL, error) ||
          !add_key_text (keys, text, name, error))
        return FALSE;
    }

  for (guint i = 0; listed != NULL && i < listed->len; i++)
    g_ptr_array_add (keys, vd_key_dup_public (g_ptr_array_index (listed, i)));

  if (signer != NULL)
    {
      g_autoptr(VdRoster) roster = vd_signer_dup_roster (signer);

      g_ptr_array_add (keys, vd_key_dup_public (vd_signer_get_installation_key (signer)));
      if (roster != NULL)
        {
          g_autoptr(GPtrArray) roster_keys = vd_roster_list_keys (roster);

          for (guint i = 0; i < roster_keys->len; i++)
            g_ptr_array_add (keys, vd_key_dup_public (g_ptr_array_index (roster_keys, i)));
        }
    }

  return TRUE;
}

static void
print_checkin_json (GPtrArray *outcomes,
                    guint     *counts)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "applied");
  json_builder_add_int_value (builder, counts[VD_CHECKIN_APPLIED]);
  json_builder_set_member_name (builder, "already_applied");
  json_builder_add_int_value (builder, counts[VD_CHECKIN_ALREADY_APPLIED]);
  json_builder_set_member_name (builder, "conflicts");
  json_builder_add_int_value (builder, counts[VD_CHECKIN_CONFLICT]);
  json_builder_set_member_name (builder, "decisions");
  json_builder_begin_array (builder);
  for (guint i = 0; i < outcomes->len; i++)
    {
      VdCheckinOutcome *outcome = g_ptr_array_index (outcomes, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "line");
      json_builder_add_int_value (builder, outcome->line);
      json_builder_set_member_name (builder, "queue");
      json_builder_add_string_value (builder, outcome->queue);
      json_builder_set_member_name (builder, "task_id");
      json_builder_add_string_value (builder, outcome->task_id);
      json_builder_set_member_name (builder, "decision");
      json_builder_add_string_value (builder, vd_decision_kind_to_string (outcome->kind));
      json_builder_set_member_name (builder, "status");
      json_builder_add_string_value (builder, vd_checkin_status_to_string (outcome->status));
      if (outcome->message != NULL)
        {
          json_builder_set_member_name (builder, "message");
          json_builder_add_string_value (builder, outcome->message);
        }
      if (outcome->decision_seq > 0)
        {
          json_builder_set_member_name (builder, "audit_seq");
          json_builder_add_int_value (builder, outcome->decision_seq);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  vd_cli_print_json (root);
}

int
vd_cli_team_checkin (VdCliGlobals  *globals,
                     int            argc,
                     char         **argv)
{
  g_autoptr(VdStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) outcomes = NULL;
  g_autofree char *reviewer_option = NULL;
  g_autofree char *passphrase_file = NULL;
  g_auto(GStrv) public_keys = NULL;
  g_auto(GStrv) public_key_files = NULL;
  const char *reviewer;
  guint counts[3] = { 0, };
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "reviewer", 0, 0, G_OPTION_ARG_STRING, &reviewer_option,
      N_("Whose decisions these are (default: $VERDICT_REVIEWER; on PostgreSQL the "
         "logged-in role)"), N_("ID") },
    { "passphrase-file", 0, 0, G_OPTION_ARG_FILENAME, &passphrase_file,
      N_("Read the passphrase of the reviewer’s key from FILE"), N_("FILE") },
    { "public-key", 0, 0, G_OPTION_ARG_STRING_ARRAY, &public_keys,
      N_("A public key that may have signed DECISIONS (minisign’s RW… line)"), N_("KEY") },
    { "public-key-file", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &public_key_files,
      N_("A minisign public key file that may have signed DECISIONS"), N_("FILE") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print one JSON object"), NULL },
    { NULL }
  };

  if (!vd_cli_parse (globals, entries, "checkin DECISIONS",
                     _("Bring back the decisions of an offline checkout: DECISIONS is the "
                       "signed export of the store you reviewed in (verdict-cli export "
                       "decisions). Each decision is recorded as yours when the item is "
                       "still undecided, at the revision you reviewed and not held by "
                       "someone else; any other is a conflict and is not applied. Exits 0 "
                       "when everything was applied, 3 when there were conflicts."),
                     &argc, &argv))
    return VD_CLI_EXIT_USAGE;
  if (argc != 3)
    return vd_cli_usage (globals, _("name one decisions export"));

  if (!(store = vd_cli_open_store (globals, &error)) ||
      !(reviewer = command_reviewer (globals, store, reviewer_option, &error)) ||
      !vd_cli_unlock_reviewer (globals, store, reviewer, passphrase_file, &error) ||
      !collect_keys (keys, store, public_keys, public_key_files, &error))
    return vd_cli_fail (error);

  outcomes = vd_checkin_apply (store, reviewer, argv[2], keys, NULL, &error);
  if (outcomes == NULL)
    return vd_cli_fail (error);

  for (guint i = 0; i < outcomes->len; i++)
    counts[((VdCheckinOutcome *) g_ptr_array_index (outcomes, i))->status]++;

  if (json)
    print_checkin_json (outcomes, counts);
  else
    {
      for (guint i = 0; i < outcomes->len; i++)
        {
          VdCheckinOutcome *outcome = g_ptr_array_index (outcomes, i);
          g_autofree char *task_id = vd_cli_escape_line (outcome->task_id);

          if (outcome->status == VD_CHECKIN_CONFLICT)
            {
              g_autofree char *message = vd_cli_escape_line (outcome->message);

              printf ("%s\n", message);
            }
          else if (outcome->status == VD_CHECKIN_ALREADY_APPLIED)
            /* TRANSLATORS: "t-7: approve already applied" */
            printf (_("%s: %s already applied\n"), task_id,
                    vd_decision_kind_to_string (outcome->kind));
          else
            /* TRANSLATORS: "t-7: approve applied" */
            printf (_("%s: %s applied\n"), task_id, vd_decision_kind_to_string (outcome->kind));
        }
      printf (g_dngettext (GETTEXT_PACKAGE, "%u applied, %u already applied, %u conflict\n",
                           "%u applied, %u already applied, %u conflicts\n",
                           counts[VD_CHECKIN_CONFLICT]),
              counts[VD_CHECKIN_APPLIED], counts[VD_CHECKIN_ALREADY_APPLIED],
              counts[VD_CHECKIN_CONFLICT]);
    }

  return counts[VD_CHECKIN_CONFLICT] > 0 ? EXIT_CONFLICTS : VD_CLI_EXIT_OK;
}
