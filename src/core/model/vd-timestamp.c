/* vd-timestamp.c
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

#define G_LOG_DOMAIN "vd-timestamp"

#include "config.h"

#include <string.h>

#include "vd-timestamp.h"

/**
 * vd_timestamp_parse:
 * @text: an RFC 3339 / ISO 8601 date and time
 *
 * Parses a timestamp as queue files carry it. A time with no zone is read as
 * local time, as the Python reference writes `datetime.now().isoformat()`.
 * A date alone is not accepted: a deadline needs a time.
 *
 * Returns: (transfer full) (nullable): the time, or %NULL if @text is not one
 */
GDateTime *
vd_timestamp_parse (const char *text)
{
  static GTimeZone *local;

  if (text == NULL || strpbrk (text, "Tt ") == NULL)
    return NULL;

  /* Looking the zone up reads /etc/localtime: do it once per process. */
  if (g_once_init_enter (&local))
    g_once_init_leave (&local, g_time_zone_new_local ());

  return g_date_time_new_from_iso8601 (text, local);
}

/**
 * vd_timestamp_format:
 * @datetime: a time
 *
 * Returns: (transfer full): @datetime in UTC with microseconds, e.g.
 *   `2026-11-20T09:15:02.123456Z`: the form every file Verdict writes uses.
 */
char *
vd_timestamp_format (GDateTime *datetime)
{
  g_autoptr(GDateTime) utc = NULL;

  g_return_val_if_fail (datetime != NULL, NULL);

  utc = g_date_time_to_utc (datetime);

  /* Four digits for every year (GDateTime's %Y writes "34" for the year
   * 34, which RFC 3339 and the reader refuse). */
  return g_strdup_printf ("%04d-%02d-%02dT%02d:%02d:%02d.%06dZ",
                          g_date_time_get_year (utc), g_date_time_get_month (utc),
                          g_date_time_get_day_of_month (utc), g_date_time_get_hour (utc),
                          g_date_time_get_minute (utc), g_date_time_get_second (utc),
                          g_date_time_get_microsecond (utc));
}

/**
 * vd_timestamp_from_usec:
 * @usec: microseconds since the Unix epoch
 *
 * Returns: (transfer full): the time in UTC
 */
GDateTime *
vd_timestamp_from_usec (gint64 usec)
{
  g_autoptr(GDateTime) epoch = g_date_time_new_from_unix_utc (0);

  return g_date_time_add (epoch, usec);
}

/**
 * vd_timestamp_to_usec:
 * @datetime: a time
 *
 * Returns: microseconds since the Unix epoch
 */
gint64
vd_timestamp_to_usec (GDateTime *datetime)
{
  g_return_val_if_fail (datetime != NULL, 0);

  return g_date_time_to_unix (datetime) * G_USEC_PER_SEC +
         g_date_time_get_microsecond (datetime);
}

/**
 * vd_timestamp_now:
 *
 * Returns: (transfer full): the current time in UTC
 */
GDateTime *
vd_timestamp_now (void)
{
  return g_date_time_new_now_utc ();
}
