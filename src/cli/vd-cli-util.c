/* vd-cli-util.c: helpers shared by the verdict-cli commands
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

/**
 * vd_cli_open_store:
 *
 * Opens the store named by --db, else $VERDICT_DB, else the default path.
 */
VdStore *
vd_cli_open_store (VdCliGlobals  *globals,
                   GError       **error)
{
  g_autofree char *path = NULL;

  if (globals->db_path != NULL)
    path = g_strdup (globals->db_path);
  else
    path = vd_sqlite_store_default_path ();

  return VD_STORE (vd_sqlite_store_new (path, error));
}

VdPolicy *
vd_cli_load_policy (const char  *path,
                    GError     **error)
{
  if (path == NULL)
    return vd_policy_new ();

  return vd_policy_new_from_file (path, error);
}

/**
 * vd_cli_parse:
 *
 * Parses a command's options. On bad usage prints one line and returns
 * %FALSE; the caller exits with %VD_CLI_EXIT_USAGE.
 */
gboolean
vd_cli_parse (VdCliGlobals   *globals,
              GOptionEntry   *entries,
              const char     *parameter_string,
              const char     *summary,
              int            *argc,
              char         ***argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = g_strdup_printf ("%s %s", globals->command, parameter_string);

  context = g_option_context_new (title);
  g_option_context_set_summary (context, summary);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      vd_cli_usage (globals, "%s", error->message);
      return FALSE;
    }

  return TRUE;
}

int
vd_cli_fail (const GError *error)
{
  g_printerr ("verdict-cli: %s\n", error->message);
  return VD_CLI_EXIT_FAILURE;
}

int
vd_cli_usage (VdCliGlobals *globals,
              const char   *format,
              ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  if (globals->command != NULL)
    g_printerr ("verdict-cli %s: %s\n", globals->command, message);
  else
    g_printerr ("verdict-cli: %s\n", message);

  return VD_CLI_EXIT_USAGE;
}

/* Prints @node as one compact line of JSON. */
void
vd_cli_print_json (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, NULL);
  printf ("%s\n", text);
}

/**
 * vd_cli_dup_oneline:
 *
 * Returns: the first line of @text, at most @max_chars characters, with an
 *   ellipsis when cut: for listings.
 */
char *
vd_cli_dup_oneline (const char *text,
                    guint       max_chars)
{
  g_autoptr(GString) out = g_string_new (NULL);
  guint n = 0;
  gboolean cut = FALSE;

  for (const char *p = text; p != NULL && *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '\n' || c == '\r')
        {
          cut = TRUE;
          break;
        }
      if (n == max_chars)
        {
          cut = TRUE;
          break;
        }
      g_string_append_unichar (out, g_unichar_iscntrl (c) ? ' ' : c);
      n++;
    }

  if (cut)
    g_string_append (out, "…");

  return g_string_free (g_steal_pointer (&out), FALSE);
}
