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
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "vd-atomic-file-private.h"

/* How many names a temporary file tries before giving up, and how many
 * links a destination may go through (Linux's own limit). */
#define MAX_ATTEMPTS 100
#define MAX_LINKS    40

/* The temporary file's descriptor as a stream: written, flushed with
 * fsync () and closed through that one descriptor, never reopened by name
 * (where someone else's file could have taken its place). */
#define VD_TYPE_FD_STREAM (vd_fd_stream_get_type ())
G_DECLARE_FINAL_TYPE (VdFdStream, vd_fd_stream, VD, FD_STREAM, GOutputStream)

struct _VdFdStream
{
  GOutputStream  parent_instance;

  int            fd;
  const char    *display_path;   /* the destination, for messages */
};

G_DEFINE_FINAL_TYPE (VdFdStream, vd_fd_stream, G_TYPE_OUTPUT_STREAM)

static gssize
vd_fd_stream_write_fn (GOutputStream  *stream,
                       const void     *buffer,
                       gsize           count,
                       GCancellable   *cancellable,
                       GError        **error)
{
  VdFdStream *self = VD_FD_STREAM (stream);
  gssize n;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return -1;

  do
    n = write (self->fd, buffer, count);
  while (n < 0 && errno == EINTR);

  if (n < 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "Could not write %s: %s", self->display_path, g_strerror (saved_errno));
      return -1;
    }

  return n;
}

static void
vd_fd_stream_class_init (VdFdStreamClass *klass)
{
  GOutputStreamClass *stream_class = G_OUTPUT_STREAM_CLASS (klass);

  stream_class->write_fn = vd_fd_stream_write_fn;
}

static void
vd_fd_stream_init (VdFdStream *self)
{
  self->fd = -1;
}

/* Sets @error to what failed, then why (@saved_errno). */
static void set_errno_error (GError     **error,
                             int          saved_errno,
                             const char  *format,
                             ...) G_GNUC_PRINTF (3, 4);

static void
set_errno_error (GError     **error,
                 int          saved_errno,
                 const char  *format,
                 ...)
{
  g_autofree char *what = NULL;
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
               "%s: %s", what, g_strerror (saved_errno));
}

/* Follows @path through its symbolic links to the file they name, which
 * need not exist yet: replacing that file keeps every link a link. */
static char *
resolve_links (const char  *path,
               GError     **error)
{
  g_autofree char *current = g_strdup (path);

  for (guint hops = 0; hops <= MAX_LINKS; hops++)
    {
      g_autoptr(GError) local_error = NULL;
      g_autofree char *target = NULL;
      g_autofree char *dir = NULL;
      GStatBuf st;

      if (g_lstat (current, &st) != 0 || !S_ISLNK (st.st_mode))
        return g_steal_pointer (&current);

      target = g_file_read_link (current, &local_error);
      if (target == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                       "Could not follow the link %s: %s", current, local_error->message);
          return NULL;
        }

      if (g_path_is_absolute (target))
        {
          g_free (current);
          current = g_steal_pointer (&target);
        }
      else
        {
          dir = g_path_get_dirname (current);
          g_free (current);
          current = g_build_filename (dir, target, NULL);
        }
    }

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_TOO_MANY_LINKS,
               "Could not follow the links from %s: more than %d, or a loop", path, MAX_LINKS);
  return NULL;
}

/* Creates a new file in @dir with a name no other file has (O_EXCL: an
 * existing file of that name is never opened, whoever made it). */
static int
create_temp (const char  *dir,
             const char  *basename,
             const char  *display_path,
             char       **temp_path,
             GError     **error)
{
  for (guint attempt = 0; ; attempt++)
    {
      g_autofree char *name = g_strdup_printf (".%s.%08x.part", basename, g_random_int ());
      g_autofree char *path = g_build_filename (dir, name, NULL);
      int fd;

      do
        fd = open (path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0644);
      while (fd < 0 && errno == EINTR);

      if (fd >= 0)
        {
          *temp_path = g_steal_pointer (&path);
          return fd;
        }

      if (errno != EEXIST || attempt == MAX_ATTEMPTS)
        {
          set_errno_error (error, errno, "Could not create a file in %s to replace %s",
                           dir, display_path);
          return -1;
        }
    }
}

/* Makes the rename itself survive a crash. The file already has its new
 * contents under its name, so a failure here is no reason to report the
 * write as failed: it is only said. */
static void
sync_folder (const char *dir)
{
  int fd;

  fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    {
      g_warning ("Could not open the folder %s to flush it to the disk: %s",
                 dir, g_strerror (errno));
      return;
    }

  /* Some file systems cannot flush a folder; theirs is not our concern. */
  if (fsync (fd) != 0 && errno != EINVAL && errno != ENOTSUP)
    g_warning ("Could not flush the folder %s to the disk: %s; a crash now may bring back "
               "the old contents of the file replaced in it", dir, g_strerror (errno));

  close (fd);
}

/*
 * _vd_atomic_file_write_full:
 * @file: the destination, a local file; replaced if it exists
 * @write: writes the contents
 * @ready: (nullable): called when the contents are on the disk, before the
 *   rename
 * @user_data: data for @write and @ready
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Writes to a new file (O_EXCL) in the destination's folder, flushes it to
 * the disk through the descriptor it was written with, renames it over the
 * destination and flushes the folder: a crash leaves the old contents or
 * the new ones, never part of them. When @file is a symbolic link, the
 * file it points to is replaced and the link stays. A new file gets mode
 * 0644 (less the umask), a replaced one keeps its mode.
 *
 * On any error, @file is left as it was and the temporary file is removed.
 *
 * Returns: %TRUE if @file now has the new contents
 */
gboolean
_vd_atomic_file_write_full (GFile              *file,
                            VdAtomicWriteFunc   write,
                            VdAtomicReadyFunc   ready,
                            gpointer            user_data,
                            GCancellable       *cancellable,
                            GError            **error)
{
  g_autoptr(VdFdStream) stream = NULL;
  g_autofree char *target = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *basename = NULL;
  g_autofree char *temp_path = NULL;
  const char *path;
  GStatBuf st;
  gboolean ok;
  int fd;

  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (write != NULL, FALSE);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  path = g_file_peek_path (file);
  if (path == NULL)
    {
      g_autofree char *uri = g_file_get_uri (file);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   "Cannot write %s: not a local file; choose a file on this computer", uri);
      return FALSE;
    }

  target = resolve_links (path, error);
  if (target == NULL)
    return FALSE;

  dir = g_path_get_dirname (target);
  basename = g_path_get_basename (target);

  fd = create_temp (dir, basename, path, &temp_path, error);
  if (fd < 0)
    return FALSE;

  stream = g_object_new (VD_TYPE_FD_STREAM, NULL);
  stream->fd = fd;
  stream->display_path = path;

  /* A replaced file keeps its permissions. */
  if (g_stat (target, &st) == 0 && S_ISREG (st.st_mode) && fchmod (fd, st.st_mode & 07777) != 0)
    {
      set_errno_error (error, errno, "Could not give the new %s the old one's permissions", path);
      ok = FALSE;
    }
  else
    ok = write (G_OUTPUT_STREAM (stream), user_data, cancellable, error);

  /* Close even after a failure; the first error is the one reported. */
  if (!g_output_stream_close (G_OUTPUT_STREAM (stream), NULL, ok ? error : NULL))
    ok = FALSE;

  if (ok && fsync (fd) != 0)
    {
      set_errno_error (error, errno, "Could not write %s to the disk", path);
      ok = FALSE;
    }

  /* close () reports what some file systems (NFS) only find out then. */
  if (close (fd) != 0 && ok)
    {
      set_errno_error (error, errno, "Could not write %s to the disk", path);
      ok = FALSE;
    }
  stream->fd = -1;

  ok = ok &&
       !g_cancellable_set_error_if_cancelled (cancellable, error) &&
       (ready == NULL || ready (user_data, error));

  if (ok && g_rename (temp_path, target) != 0)
    {
      set_errno_error (error, errno, "Could not replace %s, which is unchanged", path);
      ok = FALSE;
    }

  if (!ok)
    {
      g_unlink (temp_path);
      return FALSE;
    }

  sync_folder (dir);

  return TRUE;
}

/*
 * _vd_atomic_file_write:
 *
 * _vd_atomic_file_write_full() without a step before the rename.
 */
gboolean
_vd_atomic_file_write (GFile              *file,
                       VdAtomicWriteFunc   write,
                       gpointer            user_data,
                       GCancellable       *cancellable,
                       GError            **error)
{
  return _vd_atomic_file_write_full (file, write, NULL, user_data, cancellable, error);
}
