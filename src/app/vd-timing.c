/* vd-timing.c
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

#define G_LOG_DOMAIN "vd-timing"

#include "config.h"

#include <stdio.h>

#include "vd-timing.h"

static gint64 process_start;
static GHashTable *marked;   /* names already printed; main thread only */

/**
 * vd_timing_init:
 *
 * Takes the process start time: call it first thing in main().
 */
void
vd_timing_init (void)
{
  if (process_start == 0)
    process_start = g_get_monotonic_time ();
}

/**
 * vd_timing_enabled:
 *
 * Returns: whether VERDICT_TIMING=1 asks for the markers
 */
gboolean
vd_timing_enabled (void)
{
  static int enabled = -1;

  if (enabled < 0)
    enabled = g_strcmp0 (g_getenv ("VERDICT_TIMING"), "1") == 0;

  return enabled;
}

/**
 * vd_timing_elapsed:
 *
 * Returns: microseconds since the process start
 */
gint64
vd_timing_elapsed (void)
{
  vd_timing_init ();

  return g_get_monotonic_time () - process_start;
}

/**
 * vd_timing_mark:
 * @name: what happened, without spaces
 *
 * Prints `verdict-timing: NAME MS` the first time @name is marked, when
 * the markers are enabled.
 */
void
vd_timing_mark (const char *name)
{
  gint64 elapsed;

  g_return_if_fail (name != NULL);

  if (!vd_timing_enabled ())
    return;

  elapsed = vd_timing_elapsed ();

  if (marked == NULL)
    marked = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  if (!g_hash_table_add (marked, g_strdup (name)))
    return;

  printf ("verdict-timing: %s %" G_GINT64_FORMAT "\n", name, elapsed / 1000);
  fflush (stdout);
}
