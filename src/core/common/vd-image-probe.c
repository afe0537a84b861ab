/* vd-image-probe.c
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

#define G_LOG_DOMAIN "vd-image-probe"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "vd-image-probe.h"

/*
 * What a file is, and how large an image it holds, from its header alone:
 * nothing here decodes pixels or allocates by what the file says, so a
 * decompression bomb (a small file that promises 60000 × 60000 pixels) is
 * refused by its header, before a decoder sees it. Every read is bounded by
 * the bytes given.
 */

G_DEFINE_QUARK (vd-image-probe-error-quark, vd_image_probe_error)

static const guint8 png_magic[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };

static guint32
read_be16 (const guint8 *p)
{
  return ((guint32) p[0] << 8) | p[1];
}

static guint32
read_be32 (const guint8 *p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
}

static guint32
read_le16 (const guint8 *p)
{
  return ((guint32) p[1] << 8) | p[0];
}

static guint32
read_le24 (const guint8 *p)
{
  return ((guint32) p[2] << 16) | ((guint32) p[1] << 8) | p[0];
}

static guint32
read_le32 (const guint8 *p)
{
  return ((guint32) p[3] << 24) | ((guint32) p[2] << 16) | ((guint32) p[1] << 8) | p[0];
}

/**
 * vd_image_probe_format:
 * @data: (array length=size) (nullable): the first bytes of a file
 * @size: how many bytes @data holds
 *
 * Says what a file is by its magic number, without reading further.
 *
 * Returns: the format, %VD_IMAGE_FORMAT_UNKNOWN when none matches
 */
VdImageFormat
vd_image_probe_format (const guint8 *data,
                       gsize         size)
{
  g_return_val_if_fail (data != NULL || size == 0, VD_IMAGE_FORMAT_UNKNOWN);

  if (size >= sizeof png_magic && memcmp (data, png_magic, sizeof png_magic) == 0)
    return VD_IMAGE_FORMAT_PNG;
  if (size >= 3 && data[0] == 0xff && data[1] == 0xd8 && data[2] == 0xff)
    return VD_IMAGE_FORMAT_JPEG;
  if (size >= 6 && (memcmp (data, "GIF87a", 6) == 0 || memcmp (data, "GIF89a", 6) == 0))
    return VD_IMAGE_FORMAT_GIF;
  if (size >= 12 && memcmp (data, "RIFF", 4) == 0 && memcmp (data + 8, "WEBP", 4) == 0)
    return VD_IMAGE_FORMAT_WEBP;
  if (size >= 5 && memcmp (data, "%PDF-", 5) == 0)
    return VD_IMAGE_FORMAT_PDF;

  return VD_IMAGE_FORMAT_UNKNOWN;
}

static gboolean
truncated (VdImageFormat  format,
           GError       **error)
{
  g_set_error (error, VD_IMAGE_PROBE_ERROR, VD_IMAGE_PROBE_ERROR_TRUNCATED,
               /* Translators: %s is an image format, e.g. "PNG" */
               _("The %s file ends before its image size: it is incomplete"),
               vd_image_format_get_name (format));
  return FALSE;
}

static gboolean
corrupt (VdImageFormat  format,
         const char    *what,
         GError       **error)
{
  g_set_error (error, VD_IMAGE_PROBE_ERROR, VD_IMAGE_PROBE_ERROR_CORRUPT,
               /* Translators: %s is an image format, e.g. "PNG", then what is wrong */
               _("The %s header is damaged: %s"),
               vd_image_format_get_name (format), what);
  return FALSE;
}

/* The signature, then the IHDR chunk first: length 13, type, width, height. */
static gboolean
probe_png (const guint8 *data,
           gsize         size,
           VdImageInfo  *info,
           GError      **error)
{
  if (size < 24)
    return truncated (VD_IMAGE_FORMAT_PNG, error);
  if (read_be32 (data + 8) != 13 || memcmp (data + 12, "IHDR", 4) != 0)
    return corrupt (VD_IMAGE_FORMAT_PNG, _("the first chunk is not IHDR"), error);

  info->width = read_be32 (data + 16);
  info->height = read_be32 (data + 20);
  /* The PNG specification caps both at 2^31 - 1. */
  if (info->width > G_MAXINT32 || info->height > G_MAXINT32)
    return corrupt (VD_IMAGE_FORMAT_PNG, _("the size is out of range"), error);

  return TRUE;
}

/* SOF0..SOF15 carry the frame size, except DHT (C4), JPG (C8) and DAC (CC). */
static gboolean
is_jpeg_sof (guint8  marker)
{
  return marker >= 0xc0 && marker <= 0xcf &&
         marker != 0xc4 && marker != 0xc8 && marker != 0xcc;
}

/* Walks the marker segments up to the first frame header. */
static gboolean
probe_jpeg (const guint8 *data,
            gsize         size,
            VdImageInfo  *info,
            GError      **error)
{
  gsize pos = 2;

  for (;;)
    {
      guint8 marker;
      guint32 length;

      if (pos >= size)
        return truncated (VD_IMAGE_FORMAT_JPEG, error);
      if (data[pos] != 0xff)
        return corrupt (VD_IMAGE_FORMAT_JPEG, _("a segment does not start with a marker"),
                        error);

      /* Any number of 0xFF fill bytes may precede a marker. */
      while (pos < size && data[pos] == 0xff)
        pos++;
      if (pos >= size)
        return truncated (VD_IMAGE_FORMAT_JPEG, error);
      marker = data[pos++];

      /* Markers that stand alone, without a length. */
      if (marker == 0x01 || (marker >= 0xd0 && marker <= 0xd7))
        continue;
      if (marker == 0x00 || marker == 0xd8 || marker == 0xd9 || marker == 0xda)
        return corrupt (VD_IMAGE_FORMAT_JPEG, _("there is no frame header before the image data"),
                        error);

      if (size - pos < 2)
        return truncated (VD_IMAGE_FORMAT_JPEG, error);
      length = read_be16 (data + pos);
      if (length < 2)
        return corrupt (VD_IMAGE_FORMAT_JPEG, _("a segment length is too short"), error);

      if (is_jpeg_sof (marker))
        {
          /* Length, precision, height, width. */
          if (length < 7)
            return corrupt (VD_IMAGE_FORMAT_JPEG, _("the frame header is too short"), error);
          if (size - pos < 7)
            return truncated (VD_IMAGE_FORMAT_JPEG, error);

          info->height = read_be16 (data + pos + 3);
          info->width = read_be16 (data + pos + 5);
          return TRUE;
        }

      if (size - pos < length)
        return truncated (VD_IMAGE_FORMAT_JPEG, error);
      pos += length;
    }
}

/* The logical screen descriptor follows the six bytes of signature. */
static gboolean
probe_gif (const guint8 *data,
           gsize         size,
           VdImageInfo  *info,
           GError      **error)
{
  if (size < 10)
    return truncated (VD_IMAGE_FORMAT_GIF, error);

  info->width = read_le16 (data + 6);
  info->height = read_le16 (data + 8);
  return TRUE;
}

/* "RIFF", size, "WEBP", then the first chunk: VP8 (lossy), VP8L (lossless)
 * or VP8X (extended, with the canvas size). */
static gboolean
probe_webp (const guint8 *data,
            gsize         size,
            VdImageInfo  *info,
            GError      **error)
{
  const guint8 *chunk;

  if (size < 20)
    return truncated (VD_IMAGE_FORMAT_WEBP, error);
  chunk = data + 12;

  if (memcmp (chunk, "VP8 ", 4) == 0)
    {
      /* A 3-byte frame tag, the start code, then 14-bit sizes with 2 bits of scale. */
      if (size < 30)
        return truncated (VD_IMAGE_FORMAT_WEBP, error);
      if (data[23] != 0x9d || data[24] != 0x01 || data[25] != 0x2a)
        return corrupt (VD_IMAGE_FORMAT_WEBP, _("the VP8 start code is missing"), error);
      info->width = read_le16 (data + 26) & 0x3fff;
      info->height = read_le16 (data + 28) & 0x3fff;
      return TRUE;
    }

  if (memcmp (chunk, "VP8L", 4) == 0)
    {
      guint32 bits;

      /* The signature byte 0x2f, then width - 1 and height - 1 in 14 bits each. */
      if (size < 25)
        return truncated (VD_IMAGE_FORMAT_WEBP, error);
      if (data[20] != 0x2f)
        return corrupt (VD_IMAGE_FORMAT_WEBP, _("the VP8L signature is missing"), error);
      bits = read_le32 (data + 21);
      info->width = (bits & 0x3fff) + 1;
      info->height = ((bits >> 14) & 0x3fff) + 1;
      return TRUE;
    }

  if (memcmp (chunk, "VP8X", 4) == 0)
    {
      /* Flags (4 bytes), then canvas width - 1 and height - 1 in 24 bits each. */
      if (size < 30)
        return truncated (VD_IMAGE_FORMAT_WEBP, error);
      info->width = read_le24 (data + 24) + 1;
      info->height = read_le24 (data + 27) + 1;
      return TRUE;
    }

  return corrupt (VD_IMAGE_FORMAT_WEBP, _("the first chunk is not VP8, VP8L or VP8X"), error);
}

/**
 * vd_image_probe:
 * @data: (array length=size): the first bytes of a file (the whole file, or
 *   at least its first 64 KiB: a JPEG may hold metadata before its size)
 * @size: how many bytes @data holds
 * @info: (out caller-allocates): what the header says
 * @error: the reason it is refused
 *
 * Reads the format and the image size from a header, without decoding, and
 * refuses an image over %VD_IMAGE_MAX_PIXELS or %VD_IMAGE_MAX_SIDE. A PDF
 * has no size here and passes. The file size limit is separate
 * (vd_image_probe_check_file_size()).
 *
 * On %VD_IMAGE_PROBE_ERROR_TOO_LARGE, @info still holds the format and the
 * dimensions, for a message such as "60000 × 60000"; on other errors it
 * holds the format and zero dimensions.
 *
 * Returns: %TRUE when the image may be decoded
 */
gboolean
vd_image_probe (const guint8 *data,
                gsize         size,
                VdImageInfo  *info,
                GError      **error)
{
  gboolean ok = FALSE;

  g_return_val_if_fail (data != NULL || size == 0, FALSE);
  g_return_val_if_fail (info != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  memset (info, 0, sizeof *info);
  info->format = vd_image_probe_format (data, size);

  switch (info->format)
    {
    case VD_IMAGE_FORMAT_PNG:
      ok = probe_png (data, size, info, error);
      break;
    case VD_IMAGE_FORMAT_JPEG:
      ok = probe_jpeg (data, size, info, error);
      break;
    case VD_IMAGE_FORMAT_GIF:
      ok = probe_gif (data, size, info, error);
      break;
    case VD_IMAGE_FORMAT_WEBP:
      ok = probe_webp (data, size, info, error);
      break;
    case VD_IMAGE_FORMAT_PDF:
      return TRUE;
    case VD_IMAGE_FORMAT_UNKNOWN:
    default:
      g_set_error_literal (error, VD_IMAGE_PROBE_ERROR, VD_IMAGE_PROBE_ERROR_UNKNOWN_FORMAT,
                           _("Not a PNG, JPEG, GIF, WebP or PDF file"));
      return FALSE;
    }

  if (!ok)
    {
      info->width = info->height = 0;
      return FALSE;
    }

  if (info->width == 0 || info->height == 0)
    {
      info->width = info->height = 0;
      return corrupt (info->format, _("the width or the height is zero"), error);
    }

  if (info->width > VD_IMAGE_MAX_SIDE || info->height > VD_IMAGE_MAX_SIDE ||
      (guint64) info->width * info->height > VD_IMAGE_MAX_PIXELS)
    {
      g_set_error (error, VD_IMAGE_PROBE_ERROR, VD_IMAGE_PROBE_ERROR_TOO_LARGE,
                   /* Translators: an image's width × height, then the limits */
                   _("The image is %u × %u pixels: over the limit of %u megapixels "
                     "and %u pixels a side"),
                   info->width, info->height, VD_IMAGE_MAX_PIXELS / 1000000,
                   VD_IMAGE_MAX_SIDE);
      return FALSE;
    }

  return TRUE;
}

/**
 * vd_image_probe_check_file_size:
 * @info: what vd_image_probe() said
 * @file_size: the size of the whole file in bytes
 * @error: the reason it is refused
 *
 * Refuses an image file over %VD_IMAGE_MAX_BYTES. Documents (PDF) and
 * unknown files are not images and pass: their limit is the caller's.
 *
 * Returns: %TRUE when the file is small enough
 */
gboolean
vd_image_probe_check_file_size (const VdImageInfo *info,
                                guint64            file_size,
                                GError           **error)
{
  g_return_val_if_fail (info != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (vd_image_format_is_image (info->format) && file_size > VD_IMAGE_MAX_BYTES)
    {
      g_autofree char *size_text = g_format_size (file_size);
      g_autofree char *limit_text = g_format_size (VD_IMAGE_MAX_BYTES);

      g_set_error (error, VD_IMAGE_PROBE_ERROR, VD_IMAGE_PROBE_ERROR_TOO_LARGE,
                   /* Translators: two file sizes, e.g. "31.5 MB" and "21.0 MB" */
                   _("The image file is %s: over the limit of %s"), size_text, limit_text);
      return FALSE;
    }

  return TRUE;
}

/**
 * vd_image_format_get_name:
 * @format: a format
 *
 * Returns: the format's usual name ("PNG", "JPEG"...), or "unknown"
 */
const char *
vd_image_format_get_name (VdImageFormat  format)
{
  switch (format)
    {
    case VD_IMAGE_FORMAT_PNG:
      return "PNG";
    case VD_IMAGE_FORMAT_JPEG:
      return "JPEG";
    case VD_IMAGE_FORMAT_GIF:
      return "GIF";
    case VD_IMAGE_FORMAT_WEBP:
      return "WebP";
    case VD_IMAGE_FORMAT_PDF:
      return "PDF";
    case VD_IMAGE_FORMAT_UNKNOWN:
    default:
      return _("unknown");
    }
}

/**
 * vd_image_format_get_media_type:
 * @format: a format
 *
 * Returns: (nullable): the format's media type ("image/png"...), %NULL when unknown
 */
const char *
vd_image_format_get_media_type (VdImageFormat  format)
{
  switch (format)
    {
    case VD_IMAGE_FORMAT_PNG:
      return "image/png";
    case VD_IMAGE_FORMAT_JPEG:
      return "image/jpeg";
    case VD_IMAGE_FORMAT_GIF:
      return "image/gif";
    case VD_IMAGE_FORMAT_WEBP:
      return "image/webp";
    case VD_IMAGE_FORMAT_PDF:
      return "application/pdf";
    case VD_IMAGE_FORMAT_UNKNOWN:
    default:
      return NULL;
    }
}

/**
 * vd_image_format_from_media_type:
 * @media_type: (nullable): a media type, e.g. "image/png"; parameters
 *   (";charset=...") and case are ignored
 *
 * Returns: the format a file of that media type should be, or
 *   %VD_IMAGE_FORMAT_UNKNOWN
 */
VdImageFormat
vd_image_format_from_media_type (const char *media_type)
{
  static const struct {
    const char   *media_type;
    VdImageFormat format;
  } types[] = {
    { "image/png", VD_IMAGE_FORMAT_PNG },
    { "image/jpeg", VD_IMAGE_FORMAT_JPEG },
    { "image/jpg", VD_IMAGE_FORMAT_JPEG },
    { "image/pjpeg", VD_IMAGE_FORMAT_JPEG },
    { "image/gif", VD_IMAGE_FORMAT_GIF },
    { "image/webp", VD_IMAGE_FORMAT_WEBP },
    { "application/pdf", VD_IMAGE_FORMAT_PDF },
  };
  g_autofree char *bare = NULL;
  const char *end;

  if (media_type == NULL)
    return VD_IMAGE_FORMAT_UNKNOWN;

  end = strchr (media_type, ';');
  bare = g_strstrip (g_ascii_strdown (media_type,
                                      end != NULL ? end - media_type : -1));

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    if (strcmp (bare, types[i].media_type) == 0)
      return types[i].format;

  return VD_IMAGE_FORMAT_UNKNOWN;
}

/**
 * vd_image_format_is_image:
 * @format: a format
 *
 * Returns: %TRUE for the raster formats (PNG, JPEG, GIF, WebP)
 */
gboolean
vd_image_format_is_image (VdImageFormat  format)
{
  return format == VD_IMAGE_FORMAT_PNG || format == VD_IMAGE_FORMAT_JPEG ||
         format == VD_IMAGE_FORMAT_GIF || format == VD_IMAGE_FORMAT_WEBP;
}
