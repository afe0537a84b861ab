/* fuzz-image-probe.c: libFuzzer target for the image header probe
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

#include "config.h"

#include <string.h>

#include "vd-image-probe.h"
#include "fuzz-common.h"

/*
 * The input is the start of a file. Besides not reading past it, the probe
 * keeps these promises, checked on every input:
 *  - the format it reports is the one vd_image_probe_format() gives;
 *  - an accepted raster image has both dimensions above zero and is within
 *    VD_IMAGE_MAX_SIDE and VD_IMAGE_MAX_PIXELS; an accepted PDF has none;
 *  - a refusal has an error of its domain with a UTF-8 message, and only a
 *    refusal for size keeps the dimensions;
 *  - a shorter prefix of an input that is accepted is never accepted with
 *    other dimensions (the probe reads only what it needs).
 */

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init ();
  return 0;
}

static gboolean
probe_copy (const uint8_t *data,
            size_t         size,
            VdImageInfo   *info,
            GError       **error)
{
  /* An exact-size copy, so that ASan sees a read past the end. */
  g_autofree guint8 *copy = size > 0 ? g_memdup2 (data, size) : NULL;

  return vd_image_probe (copy, size, info, error);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  VdImageInfo info;
  gboolean ok;

  ok = probe_copy (data, size, &info, &error);
  g_assert_cmpint (info.format, ==, vd_image_probe_format (data, size));

  if (ok)
    {
      g_assert_no_error (error);
      if (vd_image_format_is_image (info.format))
        {
          g_assert_cmpuint (info.width, >, 0);
          g_assert_cmpuint (info.height, >, 0);
          g_assert_cmpuint (info.width, <=, VD_IMAGE_MAX_SIDE);
          g_assert_cmpuint (info.height, <=, VD_IMAGE_MAX_SIDE);
          g_assert_cmpuint ((guint64) info.width * info.height, <=, VD_IMAGE_MAX_PIXELS);
        }
      else
        {
          g_assert_cmpint (info.format, ==, VD_IMAGE_FORMAT_PDF);
          g_assert_cmpuint (info.width, ==, 0);
        }
    }
  else
    {
      g_assert_nonnull (error);
      g_assert_true (error->domain == VD_IMAGE_PROBE_ERROR);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      if (error->code != VD_IMAGE_PROBE_ERROR_TOO_LARGE)
        g_assert_cmpuint (info.width, ==, 0);
    }

  if (size > 0)
    {
      g_autoptr(GError) prefix_error = NULL;
      VdImageInfo prefix;

      if (probe_copy (data, size / 2, &prefix, &prefix_error) && ok)
        {
          g_assert_cmpuint (prefix.width, ==, info.width);
          g_assert_cmpuint (prefix.height, ==, info.height);
        }
    }

  g_assert_true (vd_image_probe_check_file_size (&info, size, NULL));

  return 0;
}
