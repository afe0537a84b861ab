/* vd-queue-reader-attachments.c
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

#define G_LOG_DOMAIN "vd-queue-reader"

#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>

#include "vd-attachment.h"
#include "vd-audit-event.h"
#include "vd-item.h"
#include "vd-queue-reader.h"
#include "vd-queue-reader-private.h"

/* An item's `content_type` object and its `attachments` array. A path is
 * resolved against the queue's folder and read here, to check its size,
 * its hash and its media type before anything is imported; the store reads
 * it again when it copies the bytes, and checks the hash again. */

static gboolean
node_is_string (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_STRING;
}

static gboolean G_GNUC_PRINTF (2, 3)
fail (GError     **error,
      const char  *format,
      ...)
{
  va_list args;

  va_start (args, format);
  g_propagate_error (error, g_error_new_valist (VD_QUEUE_ERROR, VD_QUEUE_ERROR_INVALID,
                                                format, args));
  va_end (args);
  return FALSE;
}

static gboolean
fail_expected (GError     **error,
               const char  *field,
               const char  *expected,
               JsonNode    *found)
{
  g_autofree char *text = _vd_queue_reader_dup_found (found);

  return fail (error, "%s must be %s, found %s", field, expected, text);
}

#define CONTENT_TYPE_LIST "text/plain, text/markdown, text/x-diff, application/json " \
                          "or text/x-LANGUAGE"

gboolean
_vd_queue_reader_parse_content_types (JsonObject  *object,
                                      VdItem      *item,
                                      GError     **error)
{
  static const char * const keys[] = { "task", "context", "output" };
  JsonNode *node = json_object_get_member (object, "content_type");
  const char *types[G_N_ELEMENTS (keys)] = { NULL, };
  g_autoptr(GList) members = NULL;
  JsonObject *types_object;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return fail_expected (error, "content_type",
                          "an object with task, context and output", node);

  types_object = json_node_get_object (node);
  members = json_object_get_members (types_object);
  for (const GList *l = members; l != NULL; l = l->next)
    {
      const char *key = l->data;
      g_autofree char *field = NULL;
      JsonNode *value = json_object_get_member (types_object, key);
      guint i;

      for (i = 0; i < G_N_ELEMENTS (keys); i++)
        if (g_str_equal (key, keys[i]))
          break;

      if (i == G_N_ELEMENTS (keys))
        {
          g_autoptr(GString) quoted = g_string_new (NULL);

          _vd_queue_reader_append_found_string (quoted, key);
          return fail (error, "content_type: unknown key %s (expected task, context, output)",
                       quoted->str);
        }

      field = g_strconcat ("content_type.", key, NULL);
      if (JSON_NODE_HOLDS_NULL (value))
        continue;
      if (!node_is_string (value) || !vd_content_type_is_valid (json_node_get_string (value)))
        return fail_expected (error, field, CONTENT_TYPE_LIST, value);

      types[i] = json_node_get_string (value);
    }

  vd_item_set_task_content_type (item, types[0]);
  vd_item_set_context_content_type (item, types[1]);
  vd_item_set_output_content_type (item, types[2]);
  return TRUE;
}

/* Strict base64: the standard alphabet, padding only at the end, white
 * space allowed between groups (as line-wrapped encoders write it). */
static GBytes *
decode_base64 (const char  *text,
               const char **problem)
{
  /* Too large is NULL with *problem NULL. */
  g_autoptr(GString) clean = g_string_new (NULL);
  g_autofree guchar *data = NULL;
  gsize length = 0;
  guint padding = 0;

  for (const char *p = text; *p != '\0'; p++)
    {
      char c = *p;

      if (c == ' ' || c == '\n' || c == '\r' || c == '\t')
        continue;
      if (c == '=')
        padding++;
      else if (padding > 0 || !(g_ascii_isalnum (c) || c == '+' || c == '/'))
        {
          *problem = padding > 0 ? "text after the '=' padding" :
                                   "a character that is not base64";
          return NULL;
        }
      g_string_append_c (clean, c);
    }

  if (clean->len % 4 != 0 || padding > 2)
    {
      *problem = "the length is not a multiple of 4";
      return NULL;
    }

  if (clean->len / 4 * 3 > VD_ATTACHMENT_MAX_SIZE + 3)
    {
      *problem = NULL;
      return NULL;
    }

  data = g_base64_decode (clean->str, &length);
  return g_bytes_new_take (g_steal_pointer (&data), length);
}

/* A path relative to the queue's folder, with no `..` and no empty or
 * absolute start. */
static gboolean
path_is_plain (const char *path)
{
  g_auto(GStrv) parts = NULL;

  if (path[0] == '\0' || g_path_is_absolute (path) || path[0] == '~')
    return FALSE;

  parts = g_strsplit (path, "/", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    if (g_str_equal (parts[i], ".."))
      return FALSE;

  return TRUE;
}

/* Reads an attachment's file: resolved inside the folder, a regular file,
 * within the size limit. */
static GBytes *
read_path (VdQueueParse  *p,
           const char    *field,
           const char    *path,
           char         **real_out,
           GError       **error)
{
  g_autofree char *joined = NULL;
  g_autofree char *real = NULL;
  g_autofree char *prefix = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GError) local_error = NULL;
  GStatBuf info;
  gsize length = 0;
  char *resolved;
  int saved;

  if (!path_is_plain (path))
    {
      fail (error, "%s: %s leaves the queue's folder (a path must be relative, without ..)",
            field, path);
      return NULL;
    }

  if (p->folder == NULL)
    {
      fail (error, "%s: %s: a path needs a queue file's folder to read it from", field, path);
      return NULL;
    }

  joined = g_build_filename (p->folder, path, NULL);
  resolved = realpath (joined, NULL);
  if (resolved == NULL)
    {
      saved = errno;
      if (saved == ENOENT || saved == ENOTDIR)
        fail (error, "%s: %s: no such file next to the queue file", field, path);
      else
        fail (error, "%s: %s: %s", field, path, g_strerror (saved));
      return NULL;
    }
  real = g_strdup (resolved);
  free (resolved);

  prefix = g_str_has_suffix (p->folder, "/") ? g_strdup (p->folder)
                                             : g_strconcat (p->folder, "/", NULL);
  if (!g_str_has_prefix (real, prefix))
    {
      fail (error, "%s: %s leaves the queue's folder (a link to a file outside it)",
            field, path);
      return NULL;
    }

  if (g_stat (real, &info) != 0 || !S_ISREG (info.st_mode))
    {
      fail (error, "%s: %s is not a regular file", field, path);
      return NULL;
    }

  if (info.st_size > VD_ATTACHMENT_MAX_SIZE)
    {
      fail (error, "%s: %s is too large (%" G_GINT64_FORMAT " bytes; at most %d MiB)",
            field, path, (gint64) info.st_size, VD_ATTACHMENT_MAX_SIZE / (1024 * 1024));
      return NULL;
    }

  if (!g_file_get_contents (real, &contents, &length, &local_error))
    {
      fail (error, "%s: %s: %s", field, path, local_error->message);
      return NULL;
    }

  if (length > VD_ATTACHMENT_MAX_SIZE)
    {
      fail (error, "%s: %s is too large (at most %d MiB)",
            field, path, VD_ATTACHMENT_MAX_SIZE / (1024 * 1024));
      return NULL;
    }

  *real_out = g_steal_pointer (&real);
  return g_bytes_new_take (g_steal_pointer (&contents), length);
}

static gboolean
url_is_web (const char *url)
{
  return (g_str_has_prefix (url, "https://") || g_str_has_prefix (url, "http://")) &&
         strlen (url) <= 2048 && strpbrk (url, " \t\r\n") == NULL;
}

static VdAttachment *
parse_attachment (VdQueueParse  *p,
                  JsonNode      *node,
                  guint          index,
                  GHashTable    *names,
                  gint64        *total,
                  GError       **error)
{
  g_autoptr(VdAttachment) attachment = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *field = g_strdup_printf ("attachments[%u]", index);
  g_autofree char *named = NULL;
  g_autofree char *media_type = NULL;
  g_autofree char *real = NULL;
  g_autofree char *problem = NULL;
  g_autoptr(GString) quoted = g_string_new (NULL);
  JsonObject *object;
  JsonNode *member;
  const char *name;
  const char *stated_sha256 = NULL;
  const char *path = NULL;
  const char *data = NULL;
  const char *url = NULL;
  guint n_sources;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      fail_expected (error, field, "an object", node);
      return NULL;
    }
  object = json_node_get_object (node);

  member = json_object_get_member (object, "name");
  if (member == NULL)
    {
      fail (error, "%s: name is missing (required)", field);
      return NULL;
    }
  if (!node_is_string (member) || json_node_get_string (member)[0] == '\0' ||
      strlen (json_node_get_string (member)) > VD_ATTACHMENT_MAX_NAME ||
      strpbrk (json_node_get_string (member), "/\\") != NULL)
    {
      g_autofree char *name_field = g_strconcat (field, ".name", NULL);

      fail_expected (error, name_field,
                     "a non-empty file name without / or \\, at most 255 bytes", member);
      return NULL;
    }
  name = json_node_get_string (member);
  _vd_queue_reader_append_found_string (quoted, name);
  named = g_strdup_printf ("%s (%s)", field, quoted->str);

  if (!g_hash_table_add (names, (gpointer) name))
    {
      fail (error, "%s: name: another attachment of this item has the same name", named);
      return NULL;
    }

  member = json_object_get_member (object, "media_type");
  if (member == NULL)
    {
      fail (error, "%s: media_type is missing (required)", named);
      return NULL;
    }
  if (node_is_string (member))
    media_type = g_ascii_strdown (json_node_get_string (member), -1);
  if (media_type == NULL || !vd_media_type_is_valid (media_type))
    {
      g_autofree char *type_field = g_strconcat (named, ": media_type", NULL);

      fail_expected (error, type_field, "a media type such as image/png", member);
      return NULL;
    }

  member = json_object_get_member (object, "sha256");
  if (member != NULL && !JSON_NODE_HOLDS_NULL (member))
    {
      if (!node_is_string (member) ||
          strlen (json_node_get_string (member)) != 64)
        {
          g_autofree char *sha_field = g_strconcat (named, ": sha256", NULL);

          fail_expected (error, sha_field, "64 hex digits", member);
          return NULL;
        }
      stated_sha256 = json_node_get_string (member);
      if (!vd_sha256_is_valid (stated_sha256))
        {
          g_autofree char *lower = g_ascii_strdown (stated_sha256, -1);

          if (!vd_sha256_is_valid (lower))
            {
              g_autofree char *sha_field = g_strconcat (named, ": sha256", NULL);

              fail_expected (error, sha_field, "64 hex digits", member);
              return NULL;
            }
        }
    }

  n_sources = 0;
  for (guint i = 0; i < 3; i++)
    {
      static const char * const keys[] = { "path", "data", "url" };
      const char **out[] = { &path, &data, &url };

      member = json_object_get_member (object, keys[i]);
      if (member == NULL || JSON_NODE_HOLDS_NULL (member))
        continue;
      if (!node_is_string (member))
        {
          g_autofree char *source_field = g_strconcat (named, ": ", keys[i], NULL);

          fail_expected (error, source_field, "a string", member);
          return NULL;
        }
      *out[i] = json_node_get_string (member);
      n_sources++;
    }

  if (n_sources != 1)
    {
      fail (error, "%s: expected exactly one of path, data or url, found %u",
            named, n_sources);
      return NULL;
    }

  attachment = vd_attachment_new (name, media_type);

  if (url != NULL)
    {
      if (!url_is_web (url))
        {
          fail_expected (error, "url", "an http or https address", member);
          g_prefix_error (error, "%s: ", named);
          return NULL;
        }
      vd_attachment_set_url (attachment, url);
      if (stated_sha256 != NULL)
        {
          g_autofree char *lower = g_ascii_strdown (stated_sha256, -1);

          vd_attachment_set_sha256 (attachment, lower);
        }
      return g_steal_pointer (&attachment);
    }

  if (data != NULL)
    {
      const char *why = NULL;

      bytes = decode_base64 (data, &why);
      if (bytes == NULL && why != NULL)
        {
          fail (error, "%s: data: not valid base64 (%s)", named, why);
          return NULL;
        }
      if (bytes == NULL || g_bytes_get_size (bytes) > VD_ATTACHMENT_MAX_SIZE)
        {
          fail (error, "%s: data is too large (at most %d MiB)",
                named, VD_ATTACHMENT_MAX_SIZE / (1024 * 1024));
          return NULL;
        }
    }
  else
    {
      g_autofree char *path_field = g_strconcat (named, ": path", NULL);

      bytes = read_path (p, path_field, path, &real, error);
      if (bytes == NULL)
        return NULL;
    }

  *total += (gint64) g_bytes_get_size (bytes);
  if (*total > VD_ATTACHMENT_MAX_ITEM_SIZE)
    {
      fail (error, "%s: the item's attachments are too large together (at most %d MiB)",
            named, VD_ATTACHMENT_MAX_ITEM_SIZE / (1024 * 1024));
      return NULL;
    }

  {
    gsize size = 0;
    const guint8 *bytes_data = g_bytes_get_data (bytes, &size);
    g_autofree char *sha256 = vd_sha256_hex ((const char *)bytes_data, size);

    if (!vd_media_type_check_bytes (media_type, bytes_data, size, &problem))
      {
        fail (error, "%s: media_type: %s", named, problem);
        return NULL;
      }

    if (stated_sha256 != NULL && g_ascii_strcasecmp (stated_sha256, sha256) != 0)
      {
        fail (error, "%s: sha256 does not match the bytes (stated %s, found %s)",
              named, stated_sha256, sha256);
        return NULL;
      }

    vd_attachment_set_sha256 (attachment, sha256);
    vd_attachment_set_size (attachment, (gint64) size);
  }

  /* A file is read again on import; inline bytes are kept. */
  if (real != NULL)
    vd_attachment_set_source_path (attachment, real);
  else
    vd_attachment_set_bytes (attachment, bytes);

  return g_steal_pointer (&attachment);
}

gboolean
_vd_queue_reader_parse_attachments (VdQueueParse  *p,
                                    JsonObject    *object,
                                    VdItem        *item,
                                    GError       **error)
{
  JsonNode *node = json_object_get_member (object, "attachments");
  g_autoptr(GHashTable) names = NULL;
  JsonArray *array;
  gint64 total = 0;
  guint length;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return fail_expected (error, "attachments", "an array", node);

  array = json_node_get_array (node);
  length = json_array_get_length (array);
  if (length > VD_ATTACHMENT_MAX_PER_ITEM)
    return fail (error, "attachments: %u attachments; an item may have at most %d",
                 length, VD_ATTACHMENT_MAX_PER_ITEM);

  names = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < length; i++)
    {
      g_autoptr(VdAttachment) attachment = NULL;

      attachment = parse_attachment (p, json_array_get_element (array, i), i, names,
                                     &total, error);
      if (attachment == NULL)
        return FALSE;

      vd_item_add_attachment (item, attachment);
    }

  return TRUE;
}
