/* vd-text.c
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

#define G_LOG_DOMAIN "vd-text"

#include "config.h"

#include "vd-text.h"

/**
 * vd_text_is_empty:
 * @text: (nullable): a string
 *
 * Whether @text holds nothing at all. A value that is only white space is
 * not empty: see vd_text_is_blank() for the check a required field wants.
 *
 * Returns: %TRUE if @text is %NULL or ""
 */
gboolean
vd_text_is_empty (const char *text)
{
  return text == NULL || text[0] == '\0';
}

/**
 * vd_text_is_blank:
 * @text: (nullable): a UTF-8 string
 *
 * Whether @text says nothing a reader could see: a reviewer id or a
 * feedback of spaces and line breaks is as good as none. White space is
 * Unicode's (g_unichar_isspace()), so a no-break space counts too.
 *
 * Returns: %TRUE if @text is %NULL, empty or only white space
 */
gboolean
vd_text_is_blank (const char *text)
{
  if (text == NULL)
    return TRUE;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      if (!g_unichar_isspace (g_utf8_get_char (p)))
        return FALSE;
    }

  return TRUE;
}

/**
 * vd_text_line_is_blank:
 * @line: a line of a JSON Lines file, without its line feed
 * @length: the length of @line in bytes
 *
 * Whether a line of a JSON Lines file (a queue or an inputs file) is
 * blank and so skipped. Only the white space that JSON allows between
 * values counts, and a CR for files with CRLF line ends: anything else is
 * a line to read, and to report when it is not JSON.
 *
 * Returns: %TRUE if @line holds only spaces, tabs and carriage returns
 */
gboolean
vd_text_line_is_blank (const char *line,
                       gsize       length)
{
  g_return_val_if_fail (line != NULL || length == 0, FALSE);

  for (gsize i = 0; i < length; i++)
    {
      if (line[i] != ' ' && line[i] != '\t' && line[i] != '\r')
        return FALSE;
    }

  return TRUE;
}

/**
 * vd_unichar_is_invisible:
 * @c: a Unicode character
 *
 * Whether @c renders as nothing: the format characters (zero-width space
 * and joiners, soft hyphen, bidi controls, tags) and the other
 * default-ignorable code points that Unicode files as marks or letters
 * (combining grapheme joiner, variation selectors, Hangul fillers). Left
 * in, they split a keyword ("del\u200bete") without a reader seeing it.
 *
 * Returns: %TRUE if @c is invisible
 */
gboolean
vd_unichar_is_invisible (gunichar c)
{
  if (g_unichar_type (c) == G_UNICODE_FORMAT)
    return TRUE;

  return c == 0x034F ||                    /* combining grapheme joiner */
         c == 0x115F || c == 0x1160 ||     /* Hangul fillers */
         c == 0x17B4 || c == 0x17B5 ||     /* Khmer inherent vowels */
         (c >= 0x180B && c <= 0x180F) ||   /* Mongolian variation selectors */
         c == 0x3164 || c == 0xFFA0 ||     /* Hangul fillers */
         (c >= 0xFE00 && c <= 0xFE0F) ||   /* variation selectors */
         (c >= 0xE0100 && c <= 0xE01EF);   /* variation selectors supplement */
}

/**
 * vd_set_str:
 * @str_pointer: (inout) (not optional) (nullable): a string field
 * @new_str: (nullable): the new value
 *
 * Replaces *@str_pointer with a copy of @new_str unless they are equal,
 * so that a setter can notify only on a real change: g_set_str() of GLib
 * 2.76, which the 2.74 this builds against lacks.
 *
 * Returns: %TRUE if the value changed
 */
gboolean
vd_set_str (char       **str_pointer,
            const char  *new_str)
{
  char *copy;

  g_return_val_if_fail (str_pointer != NULL, FALSE);

  if (g_strcmp0 (*str_pointer, new_str) == 0)
    return FALSE;

  /* Copied first: @new_str may point into the old value. */
  copy = g_strdup (new_str);
  g_free (*str_pointer);
  *str_pointer = copy;

  return TRUE;
}
