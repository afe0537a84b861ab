/* vd-passphrase.c
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

#define G_LOG_DOMAIN "vd-passphrase"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sodium.h>

#include "vd-key.h"
#include "vd-passphrase.h"

/* Longer lines are refused rather than cut. */
#define MAX_PASSPHRASE_BYTES 1024

/* How many lines each passphrase file has given in this process. */
static GMutex files_mutex;
static GHashTable *files_read;

typedef enum
{
  LINE_OK,
  LINE_EOF,
  LINE_TOO_LONG,
  LINE_ERROR,
} LineStatus;

/* Reads one line from @fd byte by byte (so that nothing after it is
 * consumed) into @buffer, which holds MAX_PASSPHRASE_BYTES + 1 bytes.
 * LINE_EOF only when no byte at all could be read. */
static LineStatus
read_line (int   fd,
           char *buffer,
           int  *saved_errno)
{
  gsize length = 0;
  gboolean any = FALSE;
  gboolean too_long = FALSE;

  for (;;)
    {
      char c;
      gssize n = read (fd, &c, 1);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          *saved_errno = errno;
          sodium_memzero (buffer, MAX_PASSPHRASE_BYTES + 1);
          return LINE_ERROR;
        }
      if (n == 0)
        break;
      any = TRUE;
      if (c == '\n')
        break;
      if (length < MAX_PASSPHRASE_BYTES)
        buffer[length++] = c;
      else
        too_long = TRUE;
    }

  if (length > 0 && buffer[length - 1] == '\r')
    length--;
  buffer[length] = '\0';

  if (too_long)
    {
      sodium_memzero (buffer, MAX_PASSPHRASE_BYTES + 1);
      return LINE_TOO_LONG;
    }

  return any ? LINE_OK : LINE_EOF;
}

static char *
alloc_buffer (GError **error)
{
  char *buffer;

  if (!vd_crypto_init (error))
    return NULL;

  buffer = sodium_malloc (MAX_PASSPHRASE_BYTES + 1);
  if (buffer == NULL)
    g_set_error_literal (error, VD_KEY_ERROR, VD_KEY_ERROR_FAILED,
                         _("No memory for a passphrase"));

  return buffer;
}

static char *
read_from_file (const char  *path,
                GError     **error)
{
  char *buffer = NULL;
  LineStatus status = LINE_EOF;
  guint wanted;
  int saved_errno = 0;
  int fd;

  g_mutex_lock (&files_mutex);
  if (files_read == NULL)
    files_read = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  wanted = GPOINTER_TO_UINT (g_hash_table_lookup (files_read, path));
  g_hash_table_replace (files_read, g_strdup (path), GUINT_TO_POINTER (wanted + 1));
  g_mutex_unlock (&files_mutex);

  fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    {
      saved_errno = errno;
      g_set_error (error, VD_KEY_ERROR, VD_KEY_ERROR_FAILED,
                   _("%s: could not read the passphrase file: %s"),
                   path, g_strerror (saved_errno));
      return NULL;
    }

  if (!(buffer = alloc_buffer (error)))
    {
      close (fd);
      return NULL;
    }

  for (guint i = 0; i <= wanted; i++)
    {
      status = read_line (fd, buffer, &saved_errno);
      if (status != LINE_OK)
        break;
    }
  close (fd);

  switch (status)
    {
    case LINE_OK:
      return buffer;
    case LINE_EOF:
      g_set_error (error, VD_KEY_ERROR, VD_KEY_ERROR_PASSPHRASE,
                   _("%s: no line %u in the passphrase file (it gives one passphrase a "
                     "line, in the order they are asked for)"), path, wanted + 1);
      break;
    case LINE_TOO_LONG:
      g_set_error (error, VD_KEY_ERROR, VD_KEY_ERROR_PASSPHRASE,
                   _("%s: line %u is longer than %d bytes"),
                   path, wanted + 1, MAX_PASSPHRASE_BYTES);
      break;
    case LINE_ERROR:
    default:
      g_set_error (error, VD_KEY_ERROR, VD_KEY_ERROR_FAILED,
                   _("%s: could not read the passphrase file: %s"),
                   path, g_strerror (saved_errno));
      break;
    }

  vd_passphrase_free (buffer);
  return NULL;
}

static char *
read_from_fd (const char  *fd_text,
              GError     **error)
{
  char *buffer;
  LineStatus status;
  guint64 fd = 0;
  int saved_errno = 0;

  if (!g_ascii_string_to_unsigned (fd_text, 10, 0, G_MAXINT, &fd, NULL))
    {
      g_set_error (error, VD_KEY_ERROR, VD_KEY_ERROR_FAILED,
                   _("VERDICT_PASSPHRASE_FD is “%s”, not a file descriptor number"), fd_text);
      return NULL;
    }

  if (!(buffer = alloc_buffer (error)))
    return NULL;

  status = read_line ((int) fd, buffer, &saved_errno);
  if (status == LINE_OK)
    return buffer;

  vd_passphrase_free (buffer);
  if (status == LINE_EOF)
    g_set_error (error, VD_KEY_ERROR, VD_KEY_ERROR_PASSPHRASE,
                 _("No passphrase left on file descriptor %d (VERDICT_PASSPHRASE_FD): it "
                   "gives one passphrase a line"), (int) fd);
  else if (status == LINE_TOO_LONG)
    g_set_error (error, VD_KEY_ERROR, VD_KEY_ERROR_PASSPHRASE,
                 _("The passphrase on file descriptor %d is longer than %d bytes"),
                 (int) fd, MAX_PASSPHRASE_BYTES);
  else
    g_set_error (error, VD_KEY_ERROR, VD_KEY_ERROR_FAILED,
                 _("Could not read file descriptor %d (VERDICT_PASSPHRASE_FD): %s"),
                 (int) fd, g_strerror (saved_errno));

  return NULL;
}

static gboolean
write_text (int         fd,
            const char *text)
{
  gsize length = strlen (text);

  while (length > 0)
    {
      gssize n = write (fd, text, length);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return FALSE;
      text += n;
      length -= (gsize) n;
    }

  return TRUE;
}

static char *
read_from_terminal (const char  *prompt,
                    GError     **error)
{
  struct termios saved, quiet;
  char *buffer;
  LineStatus status;
  gboolean restore = FALSE;
  int saved_errno = 0;
  int fd;

  fd = g_open ("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC, 0);
  if (fd < 0)
    {
      g_set_error_literal (error, VD_KEY_ERROR, VD_KEY_ERROR_PASSPHRASE,
                           _("A passphrase is needed and there is no terminal to ask it on: "
                             "give --passphrase-file FILE, or the number of an open file "
                             "descriptor in VERDICT_PASSPHRASE_FD"));
      return NULL;
    }

  if (!(buffer = alloc_buffer (error)))
    {
      close (fd);
      return NULL;
    }

  if (tcgetattr (fd, &saved) == 0)
    {
      quiet = saved;
      quiet.c_lflag &= ~(tcflag_t) (ECHO | ECHOE | ECHOK | ECHONL);
      quiet.c_lflag |= ICANON;
      restore = tcsetattr (fd, TCSAFLUSH, &quiet) == 0;
    }

  write_text (fd, prompt != NULL ? prompt : _("Passphrase: "));
  status = read_line (fd, buffer, &saved_errno);

  if (restore)
    tcsetattr (fd, TCSAFLUSH, &saved);
  /* The Enter key was not echoed. */
  write_text (fd, "\n");
  close (fd);

  if (status == LINE_OK)
    return buffer;

  vd_passphrase_free (buffer);
  if (status == LINE_TOO_LONG)
    g_set_error (error, VD_KEY_ERROR, VD_KEY_ERROR_PASSPHRASE,
                 _("The passphrase is longer than %d bytes"), MAX_PASSPHRASE_BYTES);
  else if (status == LINE_EOF)
    g_set_error_literal (error, VD_KEY_ERROR, VD_KEY_ERROR_PASSPHRASE,
                         _("No passphrase was typed (end of input)"));
  else
    g_set_error (error, VD_KEY_ERROR, VD_KEY_ERROR_FAILED,
                 _("Could not read the passphrase from the terminal: %s"),
                 g_strerror (saved_errno));

  return NULL;
}

/**
 * vd_passphrase_read:
 * @prompt: (nullable): what to print on the terminal
 * @passphrase_file: (nullable): a file giving one passphrase a line
 * @error: return location for a #GError
 *
 * Reads a passphrase, see vd-passphrase.h for the sources and their order.
 *
 * Returns: (transfer full) (nullable): the passphrase, to free with
 *   vd_passphrase_free()
 */
char *
vd_passphrase_read (const char  *prompt,
                    const char  *passphrase_file,
                    GError     **error)
{
  const char *fd_text;

  if (passphrase_file != NULL)
    return read_from_file (passphrase_file, error);

  fd_text = g_getenv ("VERDICT_PASSPHRASE_FD");
  if (fd_text != NULL && *fd_text != '\0')
    return read_from_fd (fd_text, error);

  return read_from_terminal (prompt, error);
}

/**
 * vd_passphrase_free:
 * @passphrase: (nullable): a passphrase from vd_passphrase_read()
 *
 * Wipes and frees the passphrase.
 */
void
vd_passphrase_free (char *passphrase)
{
  if (passphrase != NULL)
    sodium_free (passphrase);
}
