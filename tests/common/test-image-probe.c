/* test-image-probe.c
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

#define G_LOG_DOMAIN "test-image-probe"

#include "config.h"

#include <string.h>

#include "vd-image-probe.h"

/* The real images in tests/data/images, made with ImageMagick. */
static GBytes *
load_image (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "images", name, NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (contents, length);
}

static void
assert_probe (const char    *name,
              VdImageFormat  format,
              guint          width,
              guint          height)
{
  g_autoptr(GBytes) bytes = load_image (name);
  g_autoptr(GError) error = NULL;
  VdImageInfo info;
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);

  g_assert_cmpint (vd_image_probe_format (data, size), ==, format);
  g_assert_true (vd_image_probe (data, size, &info, &error));
  g_assert_no_error (error);
  g_assert_cmpint (info.format, ==, format);
  g_assert_cmpuint (info.width, ==, width);
  g_assert_cmpuint (info.height, ==, height);
  g_assert_true (vd_image_probe_check_file_size (&info, size, &error));
  g_assert_no_error (error);
}

static void
test_probe_formats (void)
{
  assert_probe ("photo.png", VD_IMAGE_FORMAT_PNG, 48, 32);
  assert_probe ("photo.jpg", VD_IMAGE_FORMAT_JPEG, 48, 32);
  assert_probe ("animated.gif", VD_IMAGE_FORMAT_GIF, 20, 10);
  assert_probe ("lossy.webp", VD_IMAGE_FORMAT_WEBP, 24, 16);
  assert_probe ("lossless.webp", VD_IMAGE_FORMAT_WEBP, 24, 16);
  assert_probe ("extended.webp", VD_IMAGE_FORMAT_WEBP, 24, 16);
}

static void
test_probe_pdf (void)
{
  static const char pdf[] = "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n";
  g_autoptr(GError) error = NULL;
  VdImageInfo info;

  g_assert_true (vd_image_probe ((const guint8 *) pdf, strlen (pdf), &info, &error));
  g_assert_no_error (error);
  g_assert_cmpint (info.format, ==, VD_IMAGE_FORMAT_PDF);
  g_assert_cmpuint (info.width, ==, 0);
  g_assert_false (vd_image_format_is_image (info.format));
  /* A document is not held to the image file size limit. */
  g_assert_true (vd_image_probe_check_file_size (&info, (guint64) VD_IMAGE_MAX_BYTES * 4, NULL));
}

/* Every prefix of a real file shorter than its header is refused as
 * incomplete (or, shorter than its magic, as unknown): never a read past
 * the end (the ASan build checks that). */
static void
test_probe_truncated (void)
{
  const char *names[] = { "photo.png", "photo.jpg", "animated.gif", "lossy.webp",
                          "lossless.webp", "extended.webp" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(GBytes) bytes = load_image (names[i]);
      gsize size;
      const guint8 *data = g_bytes_get_data (bytes, &size);
      gboolean seen_truncated = FALSE;

      for (gsize cut = 0; cut < size; cut++)
        {
          g_autoptr(GError) error = NULL;
          g_autofree guint8 *copy = g_memdup2 (data, cut);
          VdImageInfo info;

          if (vd_image_probe (copy, cut, &info, &error))
            break;
          g_assert_nonnull (error);
          g_assert_true (g_error_matches (error, VD_IMAGE_PROBE_ERROR,
                                          VD_IMAGE_PROBE_ERROR_TRUNCATED) ||
                         g_error_matches (error, VD_IMAGE_PROBE_ERROR,
                                          VD_IMAGE_PROBE_ERROR_UNKNOWN_FORMAT));
          g_assert_cmpuint (info.width, ==, 0);
          if (error->code == VD_IMAGE_PROBE_ERROR_TRUNCATED)
            seen_truncated = TRUE;
        }
      g_assert_true (seen_truncated);
    }
}

static void
put_be32 (guint8  *p,
          guint32  v)
{
  p[0] = v >> 24;
  p[1] = v >> 16;
  p[2] = v >> 8;
  p[3] = v;
}

/* A PNG header that promises 60000 × 60000 pixels in a few bytes. */
static void
test_probe_bomb_png (void)
{
  g_autoptr(GBytes) bytes = load_image ("photo.png");
  g_autofree guint8 *data = g_memdup2 (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_autoptr(GError) error = NULL;
  VdImageInfo info;

  put_be32 (data + 16, 60000);
  put_be32 (data + 20, 60000);
  g_assert_false (vd_image_probe (data, g_bytes_get_size (bytes), &info, &error));
  g_assert_error (error, VD_IMAGE_PROBE_ERROR, VD_IMAGE_PROBE_ERROR_TOO_LARGE);
  g_assert_cmpint (info.format, ==, VD_IMAGE_FORMAT_PNG);
  g_assert_cmpuint (info.width, ==, 60000);
  g_assert_cmpuint (info.height, ==, 60000);
  g_assert_nonnull (strstr (error->message, "60000 × 60000"));

  /* Within the pixels but over the side limit. */
  g_clear_error (&error);
  put_be32 (data + 16, 40000);
  put_be32 (data + 20, 10);
  g_assert_false (vd_image_probe (data, g_bytes_get_size (bytes), &info, &error));
  g_assert_error (error, VD_IMAGE_PROBE_ERROR, VD_IMAGE_PROBE_ERROR_TOO_LARGE);

  /* At the limits exactly: allowed. */
  g_clear_error (&error);
  put_be32 (data + 16, 10000);
  put_be32 (data + 20, 5000);
  g_assert_true (vd_image_probe (data, g_bytes_get_size (bytes), &info, &error));
  g_assert_no_error (error);

  /* Over 2^31: not a PNG. */
  put_be32 (data + 16, 0x80000000u);
  g_assert_false (vd_image_probe (data, g_bytes_get_size (bytes), &info, &error));
  g_assert_error (error, VD_IMAGE_PROBE_ERROR, VD_IMAGE_PROBE_ERROR_CORRUPT);
}

static void
test_probe_bomb_others (void)
{
  /* GIF: 65535 × 65535 in ten bytes. */
  static const guint8 gif[] = { 'G', 'I', 'F', '8', '9', 'a', 0xff, 0xff, 0xff, 0xff };
  /* JPEG: SOI, then a baseline frame header of 60000 × 60000. */
  static const guint8 jpeg[] = { 0xff, 0xd8, 0xff, 0xc0, 0x00, 0x11, 0x08, 0xea, 0x60,
                                 0xea, 0x60, 0x03 };
  /* WebP VP8X: a canvas of 16777216 × 16777216. */
  static const guint8 webp[] = { 'R', 'I', 'F', 'F', 0x40, 0, 0, 0, 'W', 'E', 'B', 'P',
                                 'V', 'P', '8', 'X', 10, 0, 0, 0, 0, 0, 0, 0,
                                 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
  struct {
    const guint8 *data;
    gsize         size;
    guint         width;
    guint         height;
  } cases[] = {
    { gif, sizeof gif, 65535, 65535 },
    { jpeg, sizeof jpeg, 60000, 60000 },
    { webp, sizeof webp, 16777216, 16777216 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      VdImageInfo info;

      g_assert_false (vd_image_probe (cases[i].data, cases[i].size, &info, &error));
      g_assert_error (error, VD_IMAGE_PROBE_ERROR, VD_IMAGE_PROBE_ERROR_TOO_LARGE);
      g_assert_cmpuint (info.width, ==, cases[i].width);
      g_assert_cmpuint (info.height, ==, cases[i].height);
    }
}

static void
test_probe_corrupt (void)
{
  /* PNG whose first chunk is not IHDR. */
  static const guint8 png[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13,
                                'I', 'D', 'A', 'T', 0, 0, 0, 1, 0, 0, 0, 1 };
  /* JPEG with the image data before any frame header. */
  static const guint8 jpeg_sos[] = { 0xff, 0xd8, 0xff, 0xda, 0x00, 0x08 };
  /* JPEG with a segment length of 1. */
  static const guint8 jpeg_len[] = { 0xff, 0xd8, 0xff, 0xe0, 0x00, 0x01, 0x00 };
  /* JPEG with a byte that is no marker where one must be. */
  static const guint8 jpeg_junk[] = { 0xff, 0xd8, 0xff, 0xe0, 0x00, 0x02, 0x42, 0x42 };
  /* GIF of width zero. */
  static const guint8 gif[] = { 'G', 'I', 'F', '8', '7', 'a', 0, 0, 1, 0 };
  /* WebP with an unknown first chunk. */
  static const guint8 webp[] = { 'R', 'I', 'F', 'F', 0x40, 0, 0, 0, 'W', 'E', 'B', 'P',
                                 'A', 'L', 'P', 'H', 10, 0, 0, 0 };
  /* WebP VP8 without its start code. */
  static const guint8 vp8[] = { 'R', 'I', 'F', 'F', 0x40, 0, 0, 0, 'W', 'E', 'B', 'P',
                                'V', 'P', '8', ' ', 10, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                                1, 0, 1, 0 };
  struct {
    const guint8 *data;
    gsize         size;
  } cases[] = {
    { png, sizeof png },
    { jpeg_sos, sizeof jpeg_sos },
    { jpeg_len, sizeof jpeg_len },
    { jpeg_junk, sizeof jpeg_junk },
    { gif, sizeof gif },
    { webp, sizeof webp },
    { vp8, sizeof vp8 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      VdImageInfo info;

      g_assert_false (vd_image_probe (cases[i].data, cases[i].size, &info, &error));
      g_assert_error (error, VD_IMAGE_PROBE_ERROR, VD_IMAGE_PROBE_ERROR_CORRUPT);
      g_assert_cmpint (info.format, !=, VD_IMAGE_FORMAT_UNKNOWN);
      g_assert_cmpuint (info.width, ==, 0);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
    }
}

static void
test_probe_garbage (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (12);
  static const char text[] = "Reported post: an image with the caption";
  g_autoptr(GError) error = NULL;
  VdImageInfo info;

  g_assert_false (vd_image_probe (NULL, 0, &info, &error));
  g_assert_error (error, VD_IMAGE_PROBE_ERROR, VD_IMAGE_PROBE_ERROR_UNKNOWN_FORMAT);
  g_clear_error (&error);

  g_assert_false (vd_image_probe ((const guint8 *) text, strlen (text), &info, &error));
  g_assert_error (error, VD_IMAGE_PROBE_ERROR, VD_IMAGE_PROBE_ERROR_UNKNOWN_FORMAT);
  g_assert_cmpint (info.format, ==, VD_IMAGE_FORMAT_UNKNOWN);
  g_clear_error (&error);

  /* Random bytes after each magic number: refused or accepted, never a
   * fault, and an accepted image is within the limits. */
  for (guint round = 0; round < 2000; round++)
    {
      static const char *magics[] = { "\x89PNG\r\n\x1a\n", "\xff\xd8\xff", "GIF89a",
                                      "RIFF\0\0\0\0WEBPVP8L", "RIFF\0\0\0\0WEBPVP8X" };
      const char *magic = magics[round % G_N_ELEMENTS (magics)];
      gsize magic_len = round % G_N_ELEMENTS (magics) >= 3 ? 16 : strlen (magic);
      gsize size = magic_len + g_rand_int_range (rand, 0, 64);
      g_autofree guint8 *data = g_malloc (size);

      memcpy (data, magic, magic_len);
      for (gsize i = magic_len; i < size; i++)
        data[i] = g_rand_int_range (rand, 0, 256);

      if (vd_image_probe (data, size, &info, &error))
        {
          g_assert_cmpuint (info.width, >, 0);
          g_assert_cmpuint ((guint64) info.width * info.height, <=, VD_IMAGE_MAX_PIXELS);
        }
      else
        {
          g_assert_nonnull (error);
          g_clear_error (&error);
        }
    }
}

static void
test_probe_file_size (void)
{
  g_autoptr(GError) error = NULL;
  VdImageInfo info = { VD_IMAGE_FORMAT_PNG, 10, 10 };

  g_assert_true (vd_image_probe_check_file_size (&info, VD_IMAGE_MAX_BYTES, &error));
  g_assert_no_error (error);
  g_assert_false (vd_image_probe_check_file_size (&info, VD_IMAGE_MAX_BYTES + 1, &error));
  g_assert_error (error, VD_IMAGE_PROBE_ERROR, VD_IMAGE_PROBE_ERROR_TOO_LARGE);
}

static void
test_probe_media_types (void)
{
  g_assert_cmpint (vd_image_format_from_media_type ("image/png"), ==, VD_IMAGE_FORMAT_PNG);
  g_assert_cmpint (vd_image_format_from_media_type ("IMAGE/JPEG; q=1"), ==,
                   VD_IMAGE_FORMAT_JPEG);
  g_assert_cmpint (vd_image_format_from_media_type ("image/webp"), ==, VD_IMAGE_FORMAT_WEBP);
  g_assert_cmpint (vd_image_format_from_media_type ("application/pdf"), ==,
                   VD_IMAGE_FORMAT_PDF);
  g_assert_cmpint (vd_image_format_from_media_type ("video/mp4"), ==, VD_IMAGE_FORMAT_UNKNOWN);
  g_assert_cmpint (vd_image_format_from_media_type (NULL), ==, VD_IMAGE_FORMAT_UNKNOWN);
  g_assert_cmpstr (vd_image_format_get_media_type (VD_IMAGE_FORMAT_GIF), ==, "image/gif");
  g_assert_null (vd_image_format_get_media_type (VD_IMAGE_FORMAT_UNKNOWN));
  g_assert_cmpstr (vd_image_format_get_name (VD_IMAGE_FORMAT_WEBP), ==, "WebP");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/image-probe/formats", test_probe_formats);
  g_test_add_func ("/image-probe/pdf", test_probe_pdf);
  g_test_add_func ("/image-probe/truncated", test_probe_truncated);
  g_test_add_func ("/image-probe/bomb-png", test_probe_bomb_png);
  g_test_add_func ("/image-probe/bomb-others", test_probe_bomb_others);
  g_test_add_func ("/image-probe/corrupt", test_probe_corrupt);
  g_test_add_func ("/image-probe/garbage", test_probe_garbage);
  g_test_add_func ("/image-probe/file-size", test_probe_file_size);
  g_test_add_func ("/image-probe/media-types", test_probe_media_types);

  return g_test_run ();
}
