/* vd-attachment.c
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

#define G_LOG_DOMAIN "vd-attachment"

#include "config.h"

#include <string.h>

#include "vd-attachment.h"
#include "vd-image-probe.h"
#include "vd-text.h"

struct _VdAttachment
{
  GObject  parent_instance;

  char    *name;
  char    *media_type;
  char    *sha256;
  gint64   size;
  char    *url;
  GBytes  *bytes;
  char    *source_path;
};

G_DEFINE_FINAL_TYPE (VdAttachment, vd_attachment, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_MEDIA_TYPE,
  PROP_SHA256,
  PROP_SIZE,
  PROP_URL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
vd_attachment_finalize (GObject *object)
{
  VdAttachment *self = (VdAttachment *)object;

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->media_type, g_free);
  g_clear_pointer (&self->sha256, g_free);
  g_clear_pointer (&self->url, g_free);
  g_clear_pointer (&self->bytes, g_bytes_unref);
  g_clear_pointer (&self->source_path, g_free);

  G_OBJECT_CLASS (vd_attachment_parent_class)->finalize (object);
}

static void
vd_attachment_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  VdAttachment *self = VD_ATTACHMENT (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_MEDIA_TYPE:
      g_value_set_string (value, self->media_type);
      break;

    case PROP_SHA256:
      g_value_set_string (value, self->sha256);
      break;

    case PROP_SIZE:
      g_value_set_int64 (value, self->size);
      break;

    case PROP_URL:
      g_value_set_string (value, self->url);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vd_attachment_class_init (VdAttachmentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = vd_attachment_finalize;
  object_class->get_property = vd_attachment_get_property;

  properties[PROP_NAME] =
    g_param_spec_string ("name", "Name", "The attachment's name as the queue gave it",
                         "", flags);
  properties[PROP_MEDIA_TYPE] =
    g_param_spec_string ("media-type", "Media type", "The media type, e.g. image/png",
                         "application/octet-stream", flags);
  properties[PROP_SHA256] =
    g_param_spec_string ("sha256", "SHA-256", "Hex SHA-256 of the bytes", NULL, flags);
  properties[PROP_SIZE] =
    g_param_spec_int64 ("size", "Size", "Size in bytes", 0, G_MAXINT64, 0, flags);
  properties[PROP_URL] =
    g_param_spec_string ("url", "URL", "A remote link, never fetched", NULL, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
vd_attachment_init (VdAttachment *self)
{
  self->name = g_strdup ("");
  self->media_type = g_strdup ("application/octet-stream");
}

/**
 * vd_attachment_new:
 * @name: the attachment's name, e.g. `post.png`
 * @media_type: its media type, e.g. `image/png`
 *
 * Returns: (transfer full): an attachment without bytes, hash or link yet
 */
VdAttachment *
vd_attachment_new (const char *name,
                   const char *media_type)
{
  VdAttachment *self = g_object_new (VD_TYPE_ATTACHMENT, NULL);

  g_return_val_if_fail (name != NULL, self);
  g_return_val_if_fail (media_type != NULL, self);

  g_free (self->name);
  self->name = g_strdup (name);
  g_free (self->media_type);
  self->media_type = g_strdup (media_type);

  return self;
}

/**
 * vd_attachment_copy:
 * @self: an attachment
 *
 * Returns: (transfer full): a copy sharing the inline bytes, which never change
 */
VdAttachment *
vd_attachment_copy (VdAttachment *self)
{
  VdAttachment *copy;

  g_return_val_if_fail (VD_IS_ATTACHMENT (self), NULL);

  copy = vd_attachment_new (self->name, self->media_type);
  copy->sha256 = g_strdup (self->sha256);
  copy->size = self->size;
  copy->url = g_strdup (self->url);
  copy->bytes = self->bytes != NULL ? g_bytes_ref (self->bytes) : NULL;
  copy->source_path = g_strdup (self->source_path);

  return copy;
}

const char *
vd_attachment_get_name (VdAttachment *self)
{
  g_return_val_if_fail (VD_IS_ATTACHMENT (self), NULL);

  return self->name;
}

const char *
vd_attachment_get_media_type (VdAttachment *self)
{
  g_return_val_if_fail (VD_IS_ATTACHMENT (self), NULL);

  return self->media_type;
}

/**
 * vd_attachment_get_sha256:
 * @self: an attachment
 *
 * Returns: (nullable): the lowercase hex SHA-256 of the bytes: the one the
 *   queue file stated until the bytes are read, the one computed after
 */
const char *
vd_attachment_get_sha256 (VdAttachment *self)
{
  g_return_val_if_fail (VD_IS_ATTACHMENT (self), NULL);

  return self->sha256;
}

void
vd_attachment_set_sha256 (VdAttachment *self,
                          const char   *sha256)
{
  g_return_if_fail (VD_IS_ATTACHMENT (self));

  if (vd_set_str (&self->sha256, sha256))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHA256]);
}

gint64
vd_attachment_get_size (VdAttachment *self)
{
  g_return_val_if_fail (VD_IS_ATTACHMENT (self), 0);

  return self->size;
}

void
vd_attachment_set_size (VdAttachment *self,
                        gint64        size)
{
  g_return_if_fail (VD_IS_ATTACHMENT (self));
  g_return_if_fail (size >= 0);

  if (self->size == size)
    return;

  self->size = size;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIZE]);
}

/**
 * vd_attachment_get_url:
 * @self: an attachment
 *
 * Returns: (nullable): the remote address of a link attachment; Verdict
 *   never fetches it by itself
 */
const char *
vd_attachment_get_url (VdAttachment *self)
{
  g_return_val_if_fail (VD_IS_ATTACHMENT (self), NULL);

  return self->url;
}

void
vd_attachment_set_url (VdAttachment *self,
                       const char   *url)
{
  g_return_if_fail (VD_IS_ATTACHMENT (self));

  if (vd_set_str (&self->url, url))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_URL]);
}

/**
 * vd_attachment_get_bytes:
 * @self: an attachment
 *
 * Returns: (nullable) (transfer none): the inline bytes of an attachment
 *   read from a queue file's `data`; %NULL for the others
 */
GBytes *
vd_attachment_get_bytes (VdAttachment *self)
{
  g_return_val_if_fail (VD_IS_ATTACHMENT (self), NULL);

  return self->bytes;
}

void
vd_attachment_set_bytes (VdAttachment *self,
                         GBytes       *bytes)
{
  g_return_if_fail (VD_IS_ATTACHMENT (self));

  if (bytes != NULL)
    g_bytes_ref (bytes);
  g_clear_pointer (&self->bytes, g_bytes_unref);
  self->bytes = bytes;
}

/**
 * vd_attachment_get_source_path:
 * @self: an attachment
 *
 * Returns: (nullable): the absolute, resolved path of the file the bytes
 *   are read from when the item is imported
 */
const char *
vd_attachment_get_source_path (VdAttachment *self)
{
  g_return_val_if_fail (VD_IS_ATTACHMENT (self), NULL);

  return self->source_path;
}

void
vd_attachment_set_source_path (VdAttachment *self,
                               const char   *path)
{
  g_return_if_fail (VD_IS_ATTACHMENT (self));

  vd_set_str (&self->source_path, path);
}

/**
 * vd_attachment_is_link:
 * @self: an attachment
 *
 * Returns: %TRUE for a remote link, which has no bytes in the store
 */
gboolean
vd_attachment_is_link (VdAttachment *self)
{
  g_return_val_if_fail (VD_IS_ATTACHMENT (self), FALSE);

  return self->url != NULL && self->bytes == NULL && self->source_path == NULL;
}

/**
 * vd_attachment_to_json:
 * @self: an attachment
 *
 * Returns: (transfer full): `{name, media_type, size, sha256?, url?}`
 */
JsonNode *
vd_attachment_to_json (VdAttachment *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (VD_IS_ATTACHMENT (self), NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, self->name);
  json_builder_set_member_name (builder, "media_type");
  json_builder_add_string_value (builder, self->media_type);
  json_builder_set_member_name (builder, "size");
  json_builder_add_int_value (builder, self->size);
  if (self->sha256 != NULL)
    {
      json_builder_set_member_name (builder, "sha256");
      json_builder_add_string_value (builder, self->sha256);
    }
  if (self->url != NULL)
    {
      json_builder_set_member_name (builder, "url");
      json_builder_add_string_value (builder, self->url);
    }
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static gboolean
is_token_char (char c)
{
  return g_ascii_isalnum (c) || strchr ("!#$&^_.+-", c) != NULL;
}

/**
 * vd_media_type_is_valid:
 * @media_type: (nullable): text
 *
 * Returns: whether @media_type is `type/subtype` in lowercase RFC 6838
 *   characters, without parameters, at most 127 bytes
 */
gboolean
vd_media_type_is_valid (const char *media_type)
{
  const char *slash;

  if (media_type == NULL || strlen (media_type) > 127)
    return FALSE;

  slash = strchr (media_type, '/');
  if (slash == NULL || slash == media_type || slash[1] == '\0')
    return FALSE;

  for (const char *p = media_type; *p != '\0'; p++)
    if (p != slash && (!is_token_char (*p) || g_ascii_isupper (*p)))
      return FALSE;

  return TRUE;
}

/**
 * vd_media_type_sniff:
 * @data: (array length=length): bytes
 * @length: their number
 *
 * Recognises PNG, JPEG, GIF, WebP and PDF by their magic numbers.
 *
 * Returns: (nullable): the media type the bytes are, or %NULL
 */
const char *
vd_media_type_sniff (const guint8 *data,
                     gsize         length)
{
  static const struct {
    const char *type;
    gsize offset;
    const char *magic;
    gsize length;
  } magics[] = {
    { "image/png", 0, "\x89PNG\r\n\x1a\n", 8 },
    { "image/jpeg", 0, "\xff\xd8\xff", 3 },
    { "image/gif", 0, "GIF87a", 6 },
    { "image/gif", 0, "GIF89a", 6 },
    { "application/pdf", 0, "%PDF-", 5 },
  };

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (magics); i++)
    if (length >= magics[i].offset + magics[i].length &&
        memcmp (data + magics[i].offset, magics[i].magic, magics[i].length) == 0)
      return magics[i].type;

  if (length >= 12 && memcmp (data, "RIFF", 4) == 0 && memcmp (data + 8, "WEBP", 4) == 0)
    return "image/webp";

  return NULL;
}

/**
 * vd_media_type_check_bytes:
 * @media_type: a valid media type
 * @data: (array length=length): the bytes
 * @length: their number
 * @problem: (out) (optional): what is wrong, when the bytes are refused
 *
 * Whether @data may be shown as @media_type. An image must be one of
 * PNG, JPEG, GIF or WebP, and its bytes that image, with no dimensions over
 * the limits of vd_image_probe() (no decompression bomb); a PDF must look
 * like one. Other types are not checked.
 *
 * Returns: %TRUE when the bytes do not contradict @media_type
 */
/* An image's header must promise no more pixels than are ever decoded:
 * a decompression bomb is refused here, at import, not only when shown. */
static gboolean
check_image_header (const char    *media_type,
                    const guint8  *data,
                    gsize          length,
                    char         **problem)
{
  g_autoptr(GError) error = NULL;
  VdImageInfo info;

  if (!vd_image_format_is_image (vd_image_format_from_media_type (media_type)))
    return TRUE;

  if (vd_image_probe (data, length, &info, &error) &&
      vd_image_probe_check_file_size (&info, length, &error))
    return TRUE;

  /* A damaged header is imported and shown as a broken image. */
  if (!g_error_matches (error, VD_IMAGE_PROBE_ERROR, VD_IMAGE_PROBE_ERROR_TOO_LARGE))
    return TRUE;

  if (problem != NULL)
    {
      char *message = g_strdup (error->message);

      /* The message continues the field's: "media_type: the image is ..." */
      message[0] = g_ascii_tolower (message[0]);
      *problem = message;
    }
  return FALSE;
}

gboolean
vd_media_type_check_bytes (const char    *media_type,
                           const guint8  *data,
                           gsize          length,
                           char         **problem)
{
  static const char * const checked[] = {
    "image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf",
  };
  const char *found;

  g_return_val_if_fail (media_type != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (checked); i++)
    if (g_str_equal (media_type, checked[i]))
      {
        found = vd_media_type_sniff (data, length);
        if (g_strcmp0 (found, media_type) == 0)
          return check_image_header (media_type, data, length, problem);

        if (problem != NULL)
          *problem = found != NULL ?
                     g_strdup_printf ("the bytes are %s, not %s", found, media_type) :
                     g_strdup_printf ("the bytes are not %s", media_type);
        return FALSE;
      }

  if (g_str_has_prefix (media_type, "image/"))
    {
      if (problem != NULL)
        *problem = g_strdup_printf ("%s is not a supported image type (image/png, image/jpeg, "
                                    "image/gif, image/webp)", media_type);
      return FALSE;
    }

  return TRUE;
}

/**
 * vd_sha256_is_valid:
 * @sha256: (nullable): text
 *
 * Returns: whether @sha256 is 64 lowercase hex digits
 */
gboolean
vd_sha256_is_valid (const char *sha256)
{
  if (sha256 == NULL || strlen (sha256) != 64)
    return FALSE;

  for (const char *p = sha256; *p != '\0'; p++)
    if (!g_ascii_isxdigit (*p) || g_ascii_isupper (*p))
      return FALSE;

  return TRUE;
}
