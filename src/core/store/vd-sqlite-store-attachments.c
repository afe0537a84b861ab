/* vd-sqlite-store-attachments.c: items' attachments in a VdSqliteStore
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

#define G_LOG_DOMAIN "vd-sqlite-store"

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>

#include "vd-attachment.h"
#include "vd-audit-event.h"
#include "vd-audit-event-private.h"
#include "vd-sqlite-store-private.h"

/*
 * The bytes of an attachment are a file `attachments/ab/cdef...` next to
 * the database, named by their SHA-256, so the same bytes are kept once and
 * a file never changes. A file is written under a temporary name and
 * renamed into place inside the write transaction (which no other process
 * can hold at the same time); the files an import created are deleted if
 * it rolls back. A file left by a crash before the commit is unused, never
 * wrong.
 */

static char *
dup_attachments_dir (VdSqliteStore *self)
{
  g_autofree char *dir = g_path_get_dirname (self->path);

  return g_build_filename (dir, "attachments", NULL);
}

static char *
dup_blob_path (VdSqliteStore *self,
               const char    *sha256)
{
  g_autofree char *dir = dup_attachments_dir (self);
  char prefix[3] = { sha256[0], sha256[1], '\0' };

  return g_build_filename (dir, prefix, sha256 + 2, NULL);
}

gboolean
_vd_sqlite_store_load_attachments (VdSqliteStore  *self,
                                   VdItem         *item,
                                   GError        **error)
{
  g_autoptr(VdSqliteCursor) stmt = NULL;
  int rc;

  stmt = _vd_sqlite_store_prepare (self,
                                   "SELECT name, media_type, sha256, size, url FROM attachments "
                                   "WHERE item_id = ?1 ORDER BY position",
                                   error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, vd_item_get_id (item));
  vd_item_clear_attachments (item);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(VdAttachment) attachment = NULL;

      attachment = vd_attachment_new (_vd_sqlite_column_text (stmt, 0),
                                      _vd_sqlite_column_text (stmt, 1));
      if (sqlite3_column_type (stmt, 2) != SQLITE_NULL)
        vd_attachment_set_sha256 (attachment, _vd_sqlite_column_text (stmt, 2));
      vd_attachment_set_size (attachment, MAX (0, sqlite3_column_int64 (stmt, 3)));
      if (sqlite3_column_type (stmt, 4) != SQLITE_NULL)
        vd_attachment_set_url (attachment, _vd_sqlite_column_text (stmt, 4));
      vd_item_add_attachment (item, attachment);
    }

  if (rc != SQLITE_DONE)
    {
      _vd_sqlite_store_set_error (self, error, "Could not read the attachments");
      return FALSE;
    }

  return TRUE;
}

/* The bytes to keep: inline ones, or the queue folder's file read again
 * and checked against the hash the reader found. */
static GBytes *
dup_attachment_bytes (VdAttachment  *attachment,
                      GError       **error)
{
  const char *path = vd_attachment_get_source_path (attachment);
  g_autofree char *contents = NULL;
  g_autofree char *sha256 = NULL;
  gsize length = 0;

  if (vd_attachment_get_bytes (attachment) != NULL)
    return g_bytes_ref (vd_attachment_get_bytes (attachment));

  if (!g_file_get_contents (path, &contents, &length, error))
    return NULL;

  sha256 = vd_sha256_hex (contents, length);
  if (length > VD_ATTACHMENT_MAX_SIZE ||
      g_strcmp0 (sha256, vd_attachment_get_sha256 (attachment)) != 0)
    {
      g_set_error (error, VD_STORE_ERROR, VD_STORE_ERROR_INVALID,
                   "%s changed while it was imported", path);
      return NULL;
    }

  return g_bytes_new_take (g_steal_pointer (&contents), length);
}

/* Writes the bytes under their hash unless they are there already. */
static gboolean
store_bytes (VdSqliteStore  *self,
             VdAttachment   *attachment,
             GPtrArray      *created,
             GError        **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *path = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *sha256 = NULL;
  g_autofree char *temp = NULL;
  const char *data;
  gsize size;

  /* Read from this store (a revision of a stored item keeps its
   * attachments): the bytes are here already. */
  if (vd_attachment_get_bytes (attachment) == NULL &&
      vd_attachment_get_source_path (attachment) == NULL)
    {
      const char *stored = vd_attachment_get_sha256 (attachment);

      path = vd_sha256_is_valid (stored) ? dup_blob_path (self, stored) : NULL;
      if (path == NULL || !g_file_test (path, G_FILE_TEST_IS_REGULAR))
        {
          g_set_error (error, VD_STORE_ERROR, VD_STORE_ERROR_INVALID,
                       "no bytes, and none in the store with its sha256");
          return FALSE;
        }
      return TRUE;
    }

  bytes = dup_attachment_bytes (attachment, error);
  if (bytes == NULL)
    return FALSE;

  data = g_bytes_get_data (bytes, &size);
  sha256 = vd_sha256_hex (data != NULL ? data : "", size);
  if (g_strcmp0 (sha256, vd_attachment_get_sha256 (attachment)) != 0)
    {
      g_set_error (error, VD_STORE_ERROR, VD_STORE_ERROR_INVALID,
                   "the bytes do not match the attachment's sha256");
      return FALSE;
    }

  path = dup_blob_path (self, sha256);
  if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
    return TRUE;

  dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "Could not create %s: %s", dir, g_strerror (saved));
      return FALSE;
    }

  temp = g_strdup_printf ("%s.%u.tmp", path, g_random_int ());
  if (!g_file_set_contents_full (temp, data != NULL ? data : "", size,
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0600, error))
    return FALSE;

  if (g_rename (temp, path) != 0)
    {
      int saved = errno;

      g_unlink (temp);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "Could not write %s: %s", path, g_strerror (saved));
      return FALSE;
    }

  g_ptr_array_add (created, g_steal_pointer (&path));
  return TRUE;
}

gboolean
_vd_sqlite_store_save_attachments (VdSqliteStore  *self,
                                   gint64          item_id,
                                   VdItem         *item,
                                   GPtrArray      *created,
                                   GError        **error)
{
  GPtrArray *attachments = vd_item_get_attachments (item);
  g_autoptr(VdSqliteCursor) clear = NULL;

  clear = _vd_sqlite_store_prepare (self, "DELETE FROM attachments WHERE item_id = ?1", error);
  if (clear == NULL)
    return FALSE;
  sqlite3_bind_int64 (clear, 1, item_id);
  if (!_vd_sqlite_store_step_done (self, clear, error))
    return FALSE;

  for (guint i = 0; i < attachments->len; i++)
    {
      VdAttachment *attachment = g_ptr_array_index (attachments, i);
      g_autoptr(VdSqliteCursor) stmt = NULL;

      if (!vd_attachment_is_link (attachment) &&
          !store_bytes (self, attachment, created, error))
        {
          g_prefix_error (error, "attachment %s: ", vd_attachment_get_name (attachment));
          return FALSE;
        }

      stmt = _vd_sqlite_store_prepare (self,
                                       "INSERT INTO attachments (item_id, position, name, "
                                       "media_type, sha256, size, url) "
                                       "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                                       error);
      if (stmt == NULL)
        return FALSE;

      sqlite3_bind_int64 (stmt, 1, item_id);
      sqlite3_bind_int (stmt, 2, (int) i);
      _vd_sqlite_bind_text (stmt, 3, vd_attachment_get_name (attachment));
      _vd_sqlite_bind_text (stmt, 4, vd_attachment_get_media_type (attachment));
      _vd_sqlite_bind_text_or_null (stmt, 5, vd_attachment_get_sha256 (attachment));
      sqlite3_bind_int64 (stmt, 6, vd_attachment_get_size (attachment));
      _vd_sqlite_bind_text_or_null (stmt, 7, vd_attachment_get_url (attachment));

      if (!_vd_sqlite_store_step_done (self, stmt, error))
        return FALSE;
    }

  return TRUE;
}

void
_vd_sqlite_store_delete_created (GPtrArray *created)
{
  for (guint i = 0; i < created->len; i++)
    g_unlink (g_ptr_array_index (created, i));
  g_ptr_array_set_size (created, 0);
}

GBytes *
_vd_sqlite_store_read_attachment (VdStore       *store,
                                  const char    *sha256,
                                  GCancellable  *cancellable,
                                  GError       **error)
{
  VdSqliteStore *self = VD_SQLITE_STORE (store);
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *found = NULL;
  gsize length = 0;

  if (!vd_sha256_is_valid (sha256))
    {
      g_set_error (error, VD_STORE_ERROR, VD_STORE_ERROR_NOT_FOUND,
                   "%s is not a SHA-256 of an attachment", sha256);
      return NULL;
    }

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  /* Files never change once written: no lock needed to read one. */
  path = dup_blob_path (self, sha256);
  if (!g_file_get_contents (path, &contents, &length, error))
    return NULL;

  /* A damaged file is an error, never shown as if it were what was
   * imported. */
  found = vd_sha256_hex (contents, length);
  if (!g_str_equal (found, sha256))
    {
      g_set_error (error, VD_STORE_ERROR, VD_STORE_ERROR_FAILED,
                   "The attachment file %s does not match its SHA-256", path);
      return NULL;
    }

  return g_bytes_new_take (g_steal_pointer (&contents), length);
}
