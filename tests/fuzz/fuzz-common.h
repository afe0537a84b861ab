/* fuzz-common.h: what every fuzz target sets up
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
#include <stdint.h>
#include <stdlib.h>

/* The bad inputs a fuzzer makes are expected to be refused quietly; a
 * critical or a warning, though, is a broken promise of the code under test
 * (a g_return_if_fail that fired), so it aborts and libFuzzer keeps the
 * input. */
static GLogWriterOutput
fuzz_log_writer (GLogLevelFlags   log_level,
                 const GLogField *fields,
                 gsize            n_fields,
                 gpointer         user_data)
{
  if (log_level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    {
      g_log_writer_standard_streams (log_level, fields, n_fields, user_data);
      abort ();
    }

  return G_LOG_WRITER_HANDLED;
}

static inline void
fuzz_init (void)
{
  g_log_set_writer_func (fuzz_log_writer, NULL, NULL);
}
