/* fuzz-minisign.c: libFuzzer target for minisign public keys and signatures
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

#include "vd-key.h"
#include "vd-minisign.h"
#include "fuzz-common.h"

/*
 * The input is a public key line, a newline, then the text of a signature
 * file for the fixed data below (the seeds are real ones, made by
 * minisign 0.11). Besides not crashing:
 *  - a public key that parses formats back to a line that parses to the
 *    same key;
 *  - the signature is checked against the parsed key (or a fixed key when
 *    the line does not parse) and either verifies or is refused with an
 *    error; it verifies only for the parsed key;
 *  - a signature made here with a trusted comment taken from the input,
 *    when that is one line of UTF-8, always verifies.
 */

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

#define SIGNED_DATA "fuzz payload\n"

/* Kept for the life of the process: reachable, so not leaks. */
static VdKey *fixed_key;

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init ();
  fixed_key = vd_key_generate ("fuzz", NULL);
  g_assert_nonnull (fixed_key);

  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(VdKey) parsed = NULL;
  g_autoptr(VdKey) signer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *comment = NULL;
  g_autofree char *key_text = NULL;
  const char *signature_text;
  char *newline;
  gboolean verified;

  newline = strchr (text, '\n');
  if (newline != NULL)
    {
      key_text = g_strndup (text, newline - text);
      signature_text = newline + 1;
    }
  else
    {
      key_text = g_strdup (text);
      signature_text = "";
    }

  parsed = vd_key_parse_public (key_text, "source", &error);
  if (parsed != NULL)
    {
      g_autofree char *line = vd_key_format_public (parsed);
      g_autoptr(VdKey) again = vd_key_parse_public (line, NULL, NULL);

      g_assert_nonnull (again);
      g_assert_true (vd_key_equal_public (parsed, again));
      g_ptr_array_add (keys, g_object_ref (parsed));
    }
  else
    {
      g_assert_nonnull (error);
      g_ptr_array_add (keys, vd_key_dup_public (fixed_key));
    }
  g_clear_error (&error);

  verified = vd_minisign_verify_bytes (signature_text, (const guint8 *) SIGNED_DATA,
                                       strlen (SIGNED_DATA), keys, &signer, &comment, &error);
  if (verified)
    {
      g_assert_no_error (error);
      g_assert_nonnull (parsed);
      g_assert_true (vd_key_equal_public (signer, parsed));
      g_assert_true (g_utf8_validate (comment, -1, NULL));
    }
  else
    g_assert_nonnull (error);
  g_clear_error (&error);

  /* Signing with the input's first line as the trusted comment. */
  if (g_utf8_validate (key_text, -1, NULL) && strchr (key_text, '\r') == NULL)
    {
      g_autoptr(GPtrArray) own = g_ptr_array_new_with_free_func (g_object_unref);
      g_autofree char *signature = NULL;

      signature = vd_minisign_sign_bytes (fixed_key, data, size, key_text, &error);
      g_assert_no_error (error);
      g_ptr_array_add (own, vd_key_dup_public (fixed_key));
      g_assert_true (vd_minisign_verify_bytes (signature, data, size, own, NULL, NULL, &error));
      g_assert_no_error (error);
    }

  return 0;
}
