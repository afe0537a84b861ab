/* vd-pg-store-attachments.c: the attachments of a VdPgStore's items
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

#define G_LOG_DOMAIN "vd-pg-store"

#include "config.h"

#include "vd-attachment.h"
#include "vd-pg-store-private.h"

/* An attachment's bytes (those the reader kept, or its file read again
 * and checked against the hash the reader found); NULL without error for
 * an attachment read from a store, whose bytes are stored already. */
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
  if (path == NULL)
    return NULL;

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

/* @bytes as bytea's text input: \x and hex digits. */
static char *
bytea_text (GBytes *bytes)
{
  static const char digits[] = "0123456789abcdef";
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);
  char *text = g_malloc (2 + 2 * size + 1);
  char *p = text;

  *p++ = '\\';
  *p++ = 'x';
  for (gsize i = 0; i < size; i++)
    {
      *p++ = digits[data[i] >> 4];
      *p++ = digits[data[i] & 0xf];
    }
  *p = '\0';
  return text;
}

static gboolean
check_stored (VdPgStore     *self,
              VdAttachment  *attachment,
              GError       **error)
{
  g_autoptr(VdPgParams) params = _vd_pg_params_new ();
  g_autoptr(PGresult) result = NULL;

  _vd_pg_params_add_text (params, vd_attachment_get_sha256 (attachment));
  result = _vd_pg_store_exec (self,
                              "SELECT 1 FROM attachments WHERE sha256 = $1 "
                              "AND data IS NOT NULL LIMIT 1",
                              params, error);
  if (result == NULL)
    return FALSE;
  if (PQntuples (result) == 0)
    {
      g_set_error (error, VD_STORE_ERROR, VD_STORE_ERROR_INVALID,
                   "attachment %s: no bytes, and none in the store with its sha256",
                   vd_attachment_get_name (attachment));
      return FALSE;
    }
  return TRUE;
}

/*
 * Replaces the attachments of item @item_id by those of @item. The bytes
 * live in the row; an attachment read from the store (no bytes of its
 * own) takes those stored under its SHA-256, read before any row changes.
 */
gboolean
_vd_pg_store_save_attachments (VdPgStore  *self,
                               gint64      item_id,
                               VdItem     *item,
                               GError    **error)
{
  GPtrArray *attachments = vd_item_get_attachments (item);
  g_autoptr(VdPgParams) tail = _vd_pg_params_new ();

  for (guint i = 0; attachments != NULL && i < attachments->len; i++)
    {
      VdAttachment *attachment = g_ptr_array_index (attachments, i);
      g_autoptr(VdPgParams) params = _vd_pg_params_new ();
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(GError) local_error = NULL;

      if (!vd_attachment_is_link (attachment))
        {
          bytes = dup_attachment_bytes (attachment, &local_error);
          if (local_error != NULL)
            {
              g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                          "attachment %s: ", vd_attachment_get_name (attachment));
              return FALSE;
            }
          if (bytes == NULL && !check_stored (self, attachment, error))
            return FALSE;
        }

      _vd_pg_params_add_int (params, item_id);
      _vd_pg_params_add_int (params, i);
      _vd_pg_params_add_text (params, vd_attachment_get_name (attachment));
      _vd_pg_params_add_text (params, vd_attachment_get_media_type (attachment));
      _vd_pg_params_add_text (params, vd_attachment_get_sha256 (attachment));
      _vd_pg_params_add_int (params, vd_attachment_get_size (attachment));
      _vd_pg_params_add_text (params, vd_attachment_get_url (attachment));
      g_ptr_array_add (params, bytes != NULL ? bytea_text (bytes) : NULL);
      _vd_pg_params_add_int (params, vd_attachment_is_link (attachment) ? 1 : 0);

      if (!_vd_pg_store_exec_command (self,
                                      "INSERT INTO attachments (item_id, position, name, "
                                      "media_type, sha256, size, url, data) "
                                      "VALUES ($1, $2, $3, $4, $5, $6, $7, CASE WHEN $9 = 1 "
                                      "THEN NULL ELSE coalesce ($8::bytea, "
                                      "(SELECT a.data FROM attachments a WHERE a.sha256 = $5 "
                                      "AND a.data IS NOT NULL LIMIT 1)) END) "
                                      "ON CONFLICT (item_id, position) DO UPDATE SET "
                                      "name = excluded.name, media_type = excluded.media_type, "
                                      "sha256 = excluded.sha256, size = excluded.size, "
                                      "url = excluded.url, data = excluded.data",
                                      params, error))
        return FALSE;
    }

  _vd_pg_params_add_int (tail, item_id);
  _vd_pg_params_add_int (tail, attachments != NULL ? attachments->len : 0);
  return _vd_pg_store_exec_command (self,
                                    "DELETE FROM attachments WHERE item_id = $1 "
                                    "AND position >= $2",
                                    tail, error);
}

/* Sets the attachments of each of @items (without their bytes). */
gboolean
_vd_pg_store_load_attachments (VdPgStore  *self,
                               GPtrArray  *items,
                               GError    **error)
{
  g_autoptr(VdPgParams) params = _vd_pg_params_new ();
  g_autoptr(PGresult) result = NULL;
  g_autoptr(GHashTable) by_id = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                                       NULL);
  g_autoptr(GString) ids = g_string_new ("{");

  if (items->len == 0)
    return TRUE;

  for (guint i = 0; i < items->len; i++)
    {
      VdItem *item = g_ptr_array_index (items, i);
      gint64 id = vd_item_get_id (item);

      vd_item_clear_attachments (item);
      g_hash_table_replace (by_id, g_memdup2 (&id, sizeof id), item);
      g_string_append_printf (ids, "%s%" G_GINT64_FORMAT, i > 0 ? "," : "", id);
    }
  g_string_append_c (ids, '}');

  _vd_pg_params_add_text (params, ids->str);
  result = _vd_pg_store_exec (self,
                              "SELECT item_id, name, media_type, sha256, size, url "
                              "FROM attachments WHERE item_id = ANY ($1::bigint[]) "
                              "ORDER BY item_id, position",
                              params, error);
  if (result == NULL)
    return FALSE;

  for (int r = 0; r < PQntuples (result); r++)
    {
      gint64 id = _vd_pg_get_int (result, r, 0);
      VdItem *item = g_hash_table_lookup (by_id, &id);
      g_autoptr(VdAttachment) attachment = NULL;

      if (item == NULL)
        continue;
      attachment = vd_attachment_new (PQgetvalue (result, r, 1), PQgetvalue (result, r, 2));
      if (!_vd_pg_is_null (result, r, 3))
        vd_attachment_set_sha256 (attachment, PQgetvalue (result, r, 3));
      vd_attachment_set_size (attachment, MAX (0, _vd_pg_get_int (result, r, 4)));
      if (!_vd_pg_is_null (result, r, 5))
        vd_attachment_set_url (attachment, PQgetvalue (result, r, 5));
      vd_item_add_attachment (item, attachment);
    }
  return TRUE;
}
