/* vd-json-text.c
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

#define G_LOG_DOMAIN "vd-json-text"

#include "config.h"

#include "vd-json-text.h"
#include "vd-text.h"

/* \u escapes for @c, as a surrogate pair beyond the BMP. */
static void
append_unicode_escape (GString  *out,
                       gunichar  c)
{
  if (c > 0xFFFF)
    {
      c -= 0x10000;
      g_string_append_printf (out, "\\u%04x\\u%04x",
                              0xD800 + (c >> 10), 0xDC00 + (c & 0x3FF));
    }
  else
    {
      g_string_append_printf (out, "\\u%04x", c);
    }
}

/**
 * vd_json_append_string:
 * @out: where to append
 * @text: a string, UTF-8 as a rule
 * @max_chars: how many characters of @text to write before cutting it
 *   short with "…" inside the quotes, or -1 for all of it
 * @flags: how to escape, see #VdJsonTextFlags
 *
 * Appends @text to @out as a JSON string, quotes included. The one JSON
 * string writer of the engine: the audit trail's canonical text, the
 * policy writer and the values that error messages quote all use it.
 *
 * Bytes that are not UTF-8 are written as they are (and count as one
 * character each): the audit trail has always hashed them so.
 */
void
vd_json_append_string (GString         *out,
                       const char      *text,
                       gssize           max_chars,
                       VdJsonTextFlags  flags)
{
  gssize n_chars = 0;

  g_return_if_fail (out != NULL);
  g_return_if_fail (text != NULL);

  g_string_append_c (out, '"');

  for (const char *p = text; *p != '\0';)
    {
      guchar c = (guchar) *p;

      if (max_chars >= 0 && n_chars++ == max_chars)
        {
          g_string_append (out, "…");
          break;
        }

      if (c >= 0x80)
        {
          gunichar uc = g_utf8_get_char_validated (p, -1);

          if (uc == (gunichar) -1 || uc == (gunichar) -2)
            {
              g_string_append_c (out, (char) c);
              p++;
            }
          else
            {
              const char *next = g_utf8_next_char (p);

              if ((flags & VD_JSON_TEXT_ESCAPE_INVISIBLE) != 0 && vd_unichar_is_invisible (uc))
                append_unicode_escape (out, uc);
              else
                g_string_append_len (out, p, next - p);
              p = next;
            }
          continue;
        }

      switch (c)
        {
        case '"':
          g_string_append (out, "\\\"");
          break;
        case '\\':
          g_string_append (out, "\\\\");
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        case '\r':
          g_string_append (out, "\\r");
          break;
        case '\t':
          g_string_append (out, "\\t");
          break;
        case '\b':
        case '\f':
          if ((flags & VD_JSON_TEXT_NO_SHORT_BF) != 0)
            g_string_append_printf (out, "\\u%04x", c);
          else
            g_string_append (out, c == '\b' ? "\\b" : "\\f");
          break;
        default:
          if (c < 0x20)
            g_string_append_printf (out, "\\u%04x", c);
          else
            g_string_append_c (out, (char) c);
          break;
        }
      p++;
    }

  g_string_append_c (out, '"');
}
