/* vd-markdown.h: Markdown parsed into a small, safe document model
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

#include <glib-object.h>

G_BEGIN_DECLS

/*
 * vd_markdown_parse() reads Markdown (CommonMark with tables, strikethrough
 * and bare web and mail addresses as links, parsed by md4c) into a flat list
 * of blocks, each holding plain text or styled spans. What the model never
 * keeps:
 *  - raw HTML: HTML blocks and inline tags are not recognised as HTML at all;
 *    they stay in the text, literally, as the author wrote them;
 *  - images: an image becomes a span "[image: ALT]" with the style
 *    VD_MARKDOWN_STYLE_IMAGE and the image's address as its href; nothing is
 *    ever fetched.
 * Link addresses are kept as written (entities decoded); whether one may be
 * offered for opening is vd_markdown_link_is_openable()'s answer.
 *
 * Caps: the first VD_MARKDOWN_MAX_BYTES of the input are parsed; a block or
 * container nesting deeper than VD_MARKDOWN_MAX_DEPTH, more than
 * VD_MARKDOWN_MAX_BLOCKS blocks or more than VD_MARKDOWN_MAX_SPANS spans stop
 * the parse. The rest of the input then becomes one block of kind
 * VD_MARKDOWN_BLOCK_PLAIN (at most VD_MARKDOWN_MAX_PLAIN_BYTES of it), and
 * vd_markdown_document_get_cap() says which cap was reached;
 * vd_markdown_document_dup_cap_note() words it for the reviewer. Invalid
 * UTF-8 and NUL bytes become U+FFFD.
 */

#define VD_MARKDOWN_MAX_BYTES       (256 * 1024)
#define VD_MARKDOWN_MAX_PLAIN_BYTES (1024 * 1024)
#define VD_MARKDOWN_MAX_DEPTH       16
#define VD_MARKDOWN_MAX_BLOCKS      2000
#define VD_MARKDOWN_MAX_SPANS       20000

typedef enum
{
  VD_MARKDOWN_BLOCK_PARAGRAPH,
  VD_MARKDOWN_BLOCK_HEADING,
  VD_MARKDOWN_BLOCK_LIST_ITEM,
  VD_MARKDOWN_BLOCK_CODE,
  VD_MARKDOWN_BLOCK_TABLE_ROW,
  VD_MARKDOWN_BLOCK_RULE,
  VD_MARKDOWN_BLOCK_PLAIN,
} VdMarkdownBlockKind;

typedef enum
{
  VD_MARKDOWN_STYLE_NONE          = 0,
  VD_MARKDOWN_STYLE_EMPHASIS      = 1 << 0,
  VD_MARKDOWN_STYLE_STRONG        = 1 << 1,
  VD_MARKDOWN_STYLE_CODE          = 1 << 2,
  VD_MARKDOWN_STYLE_STRIKETHROUGH = 1 << 3,
  VD_MARKDOWN_STYLE_LINK          = 1 << 4,
  VD_MARKDOWN_STYLE_IMAGE         = 1 << 5,
} VdMarkdownStyle;

typedef enum
{
  VD_MARKDOWN_CAP_NONE,
  VD_MARKDOWN_CAP_SIZE,
  VD_MARKDOWN_CAP_DEPTH,
  VD_MARKDOWN_CAP_BLOCKS,
  VD_MARKDOWN_CAP_SPANS,
} VdMarkdownCap;

/* A run of text in one style. @href is set when @style has LINK or IMAGE:
 * the link's address, or for an image outside a link the image's address. */
typedef struct
{
  char            *text;
  VdMarkdownStyle  style;
  char            *href;
} VdMarkdownSpan;

/* One block. Which fields are used depends on @kind:
 *  - PARAGRAPH, HEADING, LIST_ITEM: @spans (of VdMarkdownSpan);
 *    HEADING: @level 1 to 6;
 *  - CODE: @text (without the final newline) and @language (or NULL);
 *  - TABLE_ROW: @cells, one GPtrArray of VdMarkdownSpan per cell;
 *    @header for the rows of the table's head; @n_columns;
 *  - PLAIN: @text, the unparsed rest of the input after a cap;
 *  - RULE: nothing.
 * Every block has @quote_depth (how many block quotes hold it) and
 * @list_depth (how many lists); the first block of a list item has @marker
 * ("•", "◦", "▪" by depth, or "3." in an ordered list), the item's other
 * blocks have none. */
typedef struct
{
  VdMarkdownBlockKind  kind;
  guint                level;
  guint                quote_depth;
  guint                list_depth;
  char                *marker;
  char                *language;
  char                *text;
  GPtrArray           *spans;
  GPtrArray           *cells;
  gboolean             header;
  guint                n_columns;
} VdMarkdownBlock;

typedef struct _VdMarkdownDocument VdMarkdownDocument;

#define VD_TYPE_MARKDOWN_DOCUMENT (vd_markdown_document_get_type ())

GType                  vd_markdown_document_get_type      (void) G_GNUC_CONST;

VdMarkdownDocument    *vd_markdown_parse                  (const char               *text,
                                                           gssize                    length);

VdMarkdownDocument    *vd_markdown_document_ref           (VdMarkdownDocument       *self);
void                   vd_markdown_document_unref         (VdMarkdownDocument       *self);

guint                  vd_markdown_document_get_n_blocks  (const VdMarkdownDocument *self);
const VdMarkdownBlock *vd_markdown_document_get_block     (const VdMarkdownDocument *self,
                                                           guint                     index);
VdMarkdownCap          vd_markdown_document_get_cap       (const VdMarkdownDocument *self);
char                  *vd_markdown_document_dup_cap_note  (const VdMarkdownDocument *self);
char                  *vd_markdown_document_dup_text      (const VdMarkdownDocument *self);

gboolean               vd_markdown_link_is_openable       (const char               *href);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VdMarkdownDocument, vd_markdown_document_unref)

G_END_DECLS
