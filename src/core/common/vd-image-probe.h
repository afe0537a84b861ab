/* vd-image-probe.h
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

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The largest image shown or imported: 50 megapixels (about 200 MB once
 * decoded to RGBA), at most 32768 pixels a side, and 20 MiB of file. A
 * header that promises more is refused before any decoding. */
#define VD_IMAGE_MAX_PIXELS (50 * 1000 * 1000)
#define VD_IMAGE_MAX_SIDE   32768
#define VD_IMAGE_MAX_BYTES  (20 * 1024 * 1024)

#define VD_IMAGE_PROBE_ERROR (vd_image_probe_error_quark ())

/**
 * VdImageProbeError:
 * @VD_IMAGE_PROBE_ERROR_UNKNOWN_FORMAT: the bytes start like none of the
 *   formats known here
 * @VD_IMAGE_PROBE_ERROR_TRUNCATED: the file ends before its dimensions
 * @VD_IMAGE_PROBE_ERROR_CORRUPT: the header is not what its format says
 *   (a zero width, a missing frame header...)
 * @VD_IMAGE_PROBE_ERROR_TOO_LARGE: the dimensions or the file are over the
 *   limits (the dimensions are still given)
 *
 * Why vd_image_probe() refused the bytes.
 */
typedef enum
{
  VD_IMAGE_PROBE_ERROR_UNKNOWN_FORMAT,
  VD_IMAGE_PROBE_ERROR_TRUNCATED,
  VD_IMAGE_PROBE_ERROR_CORRUPT,
  VD_IMAGE_PROBE_ERROR_TOO_LARGE,
} VdImageProbeError;

/**
 * VdImageFormat:
 * @VD_IMAGE_FORMAT_UNKNOWN: none of the below
 * @VD_IMAGE_FORMAT_PNG: PNG
 * @VD_IMAGE_FORMAT_JPEG: JPEG (JFIF or Exif)
 * @VD_IMAGE_FORMAT_GIF: GIF 87a or 89a
 * @VD_IMAGE_FORMAT_WEBP: WebP (lossy, lossless or extended)
 * @VD_IMAGE_FORMAT_PDF: PDF (a document: no dimensions)
 *
 * What a file is by its first bytes.
 */
typedef enum
{
  VD_IMAGE_FORMAT_UNKNOWN,
  VD_IMAGE_FORMAT_PNG,
  VD_IMAGE_FORMAT_JPEG,
  VD_IMAGE_FORMAT_GIF,
  VD_IMAGE_FORMAT_WEBP,
  VD_IMAGE_FORMAT_PDF,
} VdImageFormat;

/**
 * VdImageInfo:
 * @format: what the bytes are
 * @width: the width in pixels, 0 for a PDF or when unknown
 * @height: the height in pixels, 0 for a PDF or when unknown
 *
 * What vd_image_probe() read from a header.
 */
typedef struct
{
  VdImageFormat format;
  guint32       width;
  guint32       height;
} VdImageInfo;

GQuark        vd_image_probe_error_quark        (void);

VdImageFormat vd_image_probe_format             (const guint8  *data,
                                                 gsize          size);
gboolean      vd_image_probe                    (const guint8  *data,
                                                 gsize          size,
                                                 VdImageInfo   *info,
                                                 GError       **error);
gboolean      vd_image_probe_check_file_size    (const VdImageInfo *info,
                                                 guint64        file_size,
                                                 GError       **error);

const char   *vd_image_format_get_name          (VdImageFormat  format);
const char   *vd_image_format_get_media_type    (VdImageFormat  format);
VdImageFormat vd_image_format_from_media_type   (const char    *media_type);
gboolean      vd_image_format_is_image          (VdImageFormat  format);

G_END_DECLS
