/* vd-atomic-file.c
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

#define G_LOG_DOMAIN "vd-atomic-file"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "vd-atomic-file-private.h"

/* Flushes a local file to the disk before it is renamed into place, so that
 * a crash never leaves an empty file under the final name. */
static gboolean
sync_file (GFile   *file,
           GError **error)
{
  const char *path = g_file_peek_path (file);
  int fd;
  int saved_errno;

  if (path == NULL)
    return TRUE;

  fd = g_open (path, O_RDONLY, 0);
  if (fd < 0 || fsync (fd) != 0)
    {
      saved_errno = errno;
      if (fd >= 0)
        close (fd);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "Could not write %s to the disk: %s", path, g_strerror (saved_errno));
      return FALSE;
    }

  close (fd);
  return TRUE;
}

/* Creates a new, uniquely named file next to @file. */
static GFileOutputStream *
create_temp_sibling (GFile         *file,
                     GFile        **temp_out,
                     GCancellable  *cancellable,
                     GError       **error)
{
  g_autoptr(GFile) parent = g_file_get_parent (file);
  g_autofree char *basename = g_file_get_basename (file);

  if (parent == NULL || basename == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_FILENAME,
                   "Cannot export to %s", g_file_peek_path (file));
      return NULL;
    }

  for (guint attempt = 0; ; attempt++)
    {
      g_autofree char *name = g_strdup_printf (".%s.%08x.part", basename, g_random_int ());
      g_autoptr(GFile) temp = g_file_get_child (parent, name);
      g_autoptr(GError) local_error = NULL;
      GFileOutputStream *stream;

      stream = g_file_create (temp, G_FILE_CREATE_NONE, cancellable, &local_error);
      if (stream != NULL)
        {
          *temp_out = g_steal_pointer (&temp);
          return stream;
        }

      if (!g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_EXISTS) || attempt == 10)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
    }
}

/*
 * _vd_atomic_file_write:
 * @file: the destination; replaced if it exists
 * @write: writes the contents
 * @user_data: data for @write
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Writes to a temporary file next to @file, flushes it to the disk and
 * renames it over @file only when complete: on any error, @file is left as
 * it was and the temporary file is removed.
 *
 * Returns: %TRUE on success
 */
gboolean
_vd_atomic_file_write (GFile              *file,
                       VdAtomicWriteFunc   write,
                       gpointer            user_data,
                       GCancellable       *cancellable,
                       GError            **error)
{
  g_autoptr(GFileOutputStream) stream = NULL;
  g_autoptr(GFile) temp = NULL;
  gboolean ok;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  stream = create_temp_sibling (file, &temp, cancellable, error);
  if (stream == NULL)
    return FALSE;

  ok = write (G_OUTPUT_STREAM (stream), user_data, cancellable, error);

  /* Close even after a failure; the first error is the one reported. */
  if (!g_output_stream_close (G_OUTPUT_STREAM (stream), NULL, ok ? error : NULL))
    ok = FALSE;

  ok = ok &&
       sync_file (temp, error) &&
       !g_cancellable_set_error_if_cancelled (cancellable, error) &&
       g_file_move (temp, file, G_FILE_COPY_OVERWRITE | G_FILE_COPY_NO_FALLBACK_FOR_MOVE,
                    NULL, NULL, NULL, error);

  if (!ok)
    g_file_delete (temp, NULL, NULL);

  return ok;
}
