/* fuzz-markdown.c
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

#include "vd-markdown.h"
#include "fuzz-common.h"

/*
 * The input is Markdown an agent wrote. Besides not crashing, the model
 * keeps these promises, checked on every input:
 *  - every text, language, marker and address is valid UTF-8;
 *  - the caps hold: at most VD_MARKDOWN_MAX_BLOCKS blocks plus the plain
 *    rest, and the plain rest only after a cap and only as the last block;
 *  - headings have a level from 1 to 6, table rows have cells;
 *  - a span styled as a link or an image has an address, other spans none;
 *  - the document's text and its cap note are valid UTF-8.
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

static void
check_utf8 (const char *text)
{
  if (text != NULL && !g_utf8_validate (text, -1, NULL))
    abort ();
}

static void
check_spans (GPtrArray *spans)
{
  if (spans == NULL)
    abort ();

  for (guint i = 0; i < spans->len; i++)
    {
      const VdMarkdownSpan *span = g_ptr_array_index (spans, i);
      gboolean linked = (span->style & (VD_MARKDOWN_STYLE_LINK | VD_MARKDOWN_STYLE_IMAGE)) != 0;

      if (span->text == NULL || linked != (span->href != NULL))
        abort ();
      check_utf8 (span->text);
      check_utf8 (span->href);
      (void) vd_markdown_link_is_openable (span->href);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(VdMarkdownDocument) doc = vd_markdown_parse ((const char *) data, (gssize) size);
  g_autofree char *text = NULL;
  g_autofree char *note = NULL;
  guint n_blocks = vd_markdown_document_get_n_blocks (doc);
  VdMarkdownCap cap = vd_markdown_document_get_cap (doc);

  if (n_blocks > VD_MARKDOWN_MAX_BLOCKS + 1)
    abort ();

  for (guint i = 0; i < n_blocks; i++)
    {
      const VdMarkdownBlock *block = vd_markdown_document_get_block (doc, i);

      check_utf8 (block->marker);
      check_utf8 (block->language);
      check_utf8 (block->text);

      switch (block->kind)
        {
        case VD_MARKDOWN_BLOCK_HEADING:
          if (block->level < 1 || block->level > 6)
            abort ();
          check_spans (block->spans);
          break;
        case VD_MARKDOWN_BLOCK_PARAGRAPH:
        case VD_MARKDOWN_BLOCK_LIST_ITEM:
          check_spans (block->spans);
          break;
        case VD_MARKDOWN_BLOCK_TABLE_ROW:
          if (block->cells == NULL)
            abort ();
          for (guint c = 0; c < block->cells->len; c++)
            check_spans (g_ptr_array_index (block->cells, c));
          break;
        case VD_MARKDOWN_BLOCK_CODE:
          if (block->text == NULL)
            abort ();
          break;
        case VD_MARKDOWN_BLOCK_PLAIN:
          if (cap == VD_MARKDOWN_CAP_NONE || i != n_blocks - 1 || block->text == NULL ||
              strlen (block->text) > VD_MARKDOWN_MAX_PLAIN_BYTES)
            abort ();
          break;
        case VD_MARKDOWN_BLOCK_RULE:
          break;
        default:
          abort ();
        }

      if (block->quote_depth + block->list_depth > VD_MARKDOWN_MAX_DEPTH)
        abort ();
    }

  text = vd_markdown_document_dup_text (doc);
  check_utf8 (text);
  note = vd_markdown_document_dup_cap_note (doc);
  check_utf8 (note);

  return 0;
}
