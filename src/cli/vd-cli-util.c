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
#include <string.h>

#include "vd-cli-private.h"
#include "vd-json-write.h"
#include "vd-store-location.h"

/**
 * vd_cli_open_store:
 *
 * Opens the store named by --db, else $VERDICT_DB, else the default path:
 * a PostgreSQL database for a postgresql:// URI or a libpq key=value
 * string (see vd_store_open_location()), else a SQLite file.
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

  return vd_store_open_location (path, error);
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

/* Error messages quote item text, file names and lines of queue files. */
int
vd_cli_fail (const GError *error)
{
  g_autofree char *message = vd_cli_escape_line (error->message);

  g_printerr ("verdict-cli: %s\n", message);
  return VD_CLI_EXIT_FAILURE;
}

int
vd_cli_usage (VdCliGlobals *globals,
              const char   *format,
              ...)
{
  g_autofree char *text = NULL;
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  /* Usage messages repeat arguments, which scripts may take from a queue. */
  message = vd_cli_escape_line (text);

  if (globals->command != NULL)
    g_printerr ("verdict-cli %s: %s\n", globals->command, message);
  else
    g_printerr ("verdict-cli: %s\n", message);

  return VD_CLI_EXIT_USAGE;
}

/* Prints @node as one compact line of JSON, numbers in their shortest
 * exact form. */
void
vd_cli_print_json (JsonNode *node)
{
  g_autofree char *text = vd_json_node_to_string (node, FALSE);

  printf ("%s\n", text);
}

/* Whether @c would act on a terminal instead of showing: C0 controls,
 * DEL and C1 controls (ESC[8m hides the rest of a line, U+009B is a CSI
 * of its own), and the bidi embeddings, overrides and isolates, which
 * reorder what a reviewer reads (CVE-2021-42574). */
static gboolean
is_unsafe (gunichar c)
{
  return c < 0x20 || (c >= 0x7f && c <= 0x9f) ||
         (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
}

/* Appends @c, or its escape when it is unsafe: \n, \r, \t, \xNN for the
 * other C0 controls and DEL, \uNNNN for the rest. */
static void
append_escaped (GString  *out,
                gunichar  c)
{
  if (!is_unsafe (c))
    g_string_append_unichar (out, c);
  else if (c == '\n')
    g_string_append (out, "\\n");
  else if (c == '\r')
    g_string_append (out, "\\r");
  else if (c == '\t')
    g_string_append (out, "\\t");
  else if (c <= 0x7f)
    g_string_append_printf (out, "\\x%02x", c);
  else
    g_string_append_printf (out, "\\u%04x", c);
}

/* Escapes @text into @out, or its first line and at most @max_chars of
 * its characters when @first_line is set; returns whether it stopped
 * short. */
static gboolean
escape (GString    *out,
        const char *text,
        gboolean    keep_layout,
        gboolean    first_line,
        guint       max_chars)
{
  const char *p = text;
  const char *end = text + strlen (text);
  guint n = 0;

  while (p < end)
    {
      gunichar c = g_utf8_get_char_validated (p, end - p);

      if (first_line && (c == '\n' || c == '\r' || n == max_chars))
        return TRUE;
      n++;

      /* Bytes that are not UTF-8 would reach the terminal as they are. */
      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          g_string_append_printf (out, "\\x%02x", (guchar) *p);
          p++;
          continue;
        }

      if (keep_layout && (c == '\n' || c == '\t'))
        g_string_append_c (out, c);
      else if (keep_layout && c == '\r' && p + 1 < end && p[1] == '\n')
        ;   /* a CRLF line end shows as one: a lone \r would overwrite the line */
      else
        append_escaped (out, c);
      p = g_utf8_next_char (p);
    }

  return FALSE;
}

/**
 * vd_cli_escape_line:
 * @text: (nullable): text from a queue, a reviewer, a model or a file
 *
 * Makes @text safe to print on one line of a terminal: every control
 * character (line breaks and tabs too), DEL, the C1 controls and the bidi
 * overrides are shown as escapes such as \x1b or \u202e, as are bytes that
 * are not UTF-8. Backslashes are left as they are, so that paths and
 * regular expressions read normally.
 *
 * Returns: (transfer full) (nullable): the escaped text, or %NULL for %NULL
 */
char *
vd_cli_escape_line (const char *text)
{
  GString *out;

  if (text == NULL)
    return NULL;

  out = g_string_sized_new (strlen (text));
  escape (out, text, FALSE, FALSE, 0);

  return g_string_free (out, FALSE);
}

/**
 * vd_cli_escape_block:
 * @text: (nullable): multi-line text from a queue, a reviewer or a model
 *
 * Like vd_cli_escape_line(), but keeps line breaks and tabs, the layout of
 * content printed as a block of its own.
 *
 * Returns: (transfer full) (nullable): the escaped text, or %NULL for %NULL
 */
char *
vd_cli_escape_block (const char *text)
{
  GString *out;

  if (text == NULL)
    return NULL;

  out = g_string_sized_new (strlen (text));
  escape (out, text, TRUE, FALSE, 0);

  return g_string_free (out, FALSE);
}

/**
 * vd_cli_dup_oneline:
 *
 * Returns: the first line of @text, at most @max_chars characters, with an
 *   ellipsis when cut and unsafe characters escaped: for listings.
 */
char *
vd_cli_dup_oneline (const char *text,
                    guint       max_chars)
{
  GString *out = g_string_new (NULL);

  if (text != NULL && escape (out, text, FALSE, TRUE, max_chars))
    g_string_append (out, "…");

  return g_string_free (out, FALSE);
}

/**
 * vd_cli_unlock_reviewer:
 * @globals: the global options
 * @store: the store whose signer gets the key
 * @reviewer_id: who decides
 * @passphrase_file: (nullable): the command's --passphrase-file
 * @error: return location for a #GError
 *
 * Returns: %FALSE when the reviewer has a key that could not be unlocked
 *   (wrong passphrase, no passphrase to read, a bad key file)
 */
gboolean
vd_cli_unlock_reviewer (VdCliGlobals  *globals,
                        VdStore       *store,
                        const char    *reviewer_id,
                        const char    *passphrase_file,
                        GError       **error)
{
  g_autoptr(VdKeystore) keystore = vd_keystore_new_default ();
  g_autoptr(VdKey) key = NULL;
  g_autofree char *prompt = NULL;
  char *passphrase;

  if (!vd_keystore_has_key (keystore, reviewer_id))
    {
      g_autofree char *id = vd_cli_escape_line (reviewer_id);

      g_printerr (_("verdict-cli: %s has no key: decisions are signed by this installation, "
                    "as an unverified reviewer\n"), id);
      return TRUE;
    }

  prompt = g_strdup_printf (_("Passphrase for %s's key: "), reviewer_id);
  passphrase = vd_passphrase_read (prompt,
                                   passphrase_file != NULL ? passphrase_file
                                                           : globals->passphrase_file,
                                   error);
  if (passphrase == NULL)
    return FALSE;

  key = vd_keystore_unlock (keystore, reviewer_id, passphrase, error);
  vd_passphrase_free (passphrase);
  if (key == NULL)
    return FALSE;

  vd_signer_add_key (vd_store_get_signer (store), key);
  return TRUE;
}
