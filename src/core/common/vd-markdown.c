/* vd-markdown.c
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

#define G_LOG_DOMAIN "vd-markdown"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>
#include <md4c.h>

#include "vd-markdown.h"

struct _VdMarkdownDocument
{
  GPtrArray     *blocks;
  VdMarkdownCap  cap;
  gsize          n_hidden_bytes;
};

typedef struct
{
  gboolean ordered;
  guint64  next_number;
} ListLevel;

typedef struct
{
  VdMarkdownDocument *doc;
  const char         *input;
  gsize               input_length;

  /* Where the parse is: the containers that hold the next block. */
  guint               depth;
  guint               quote_depth;
  guint               list_depth;
  ListLevel           lists[VD_MARKDOWN_MAX_DEPTH + 1];
  char               *pending_marker;
  gboolean            in_head;

  /* The block text goes to, if any, and in a table row its cell. */
  VdMarkdownBlock    *current;
  GPtrArray          *cell;
  GString            *code;

  /* Inline state: styles open by count, the outermost link, the image
   * whose description is being read. */
  guint               n_emphasis;
  guint               n_strong;
  guint               n_code;
  guint               n_strike;
  char               *link_href;
  guint               image_depth;
  char               *image_href;
  GString            *image_alt;

  guint               n_spans;
  gsize               committed;
} Parser;

static void
span_free (gpointer data)
{
  VdMarkdownSpan *span = data;

  g_free (span->text);
  g_free (span->href);
  g_free (span);
}

static void
block_free (gpointer data)
{
  VdMarkdownBlock *block = data;

  g_free (block->marker);
  g_free (block->language);
  g_free (block->text);
  g_clear_pointer (&block->spans, g_ptr_array_unref);
  g_clear_pointer (&block->cells, g_ptr_array_unref);
  g_free (block);
}

static void
document_clear (gpointer data)
{
  VdMarkdownDocument *self = data;

  g_clear_pointer (&self->blocks, g_ptr_array_unref);
}

G_DEFINE_BOXED_TYPE (VdMarkdownDocument, vd_markdown_document,
                     vd_markdown_document_ref, vd_markdown_document_unref)

/**
 * vd_markdown_document_ref:
 * @self: a document
 *
 * Returns: (transfer full): @self
 */
VdMarkdownDocument *
vd_markdown_document_ref (VdMarkdownDocument *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return g_atomic_rc_box_acquire (self);
}

void
vd_markdown_document_unref (VdMarkdownDocument *self)
{
  g_return_if_fail (self != NULL);

  g_atomic_rc_box_release_full (self, document_clear);
}

guint
vd_markdown_document_get_n_blocks (const VdMarkdownDocument *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->blocks->len;
}

/**
 * vd_markdown_document_get_block:
 * @self: a document
 * @index: below vd_markdown_document_get_n_blocks()
 *
 * Returns: (transfer none): the block, owned by @self
 */
const VdMarkdownBlock *
vd_markdown_document_get_block (const VdMarkdownDocument *self,
                                guint                     index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->blocks->len, NULL);

  return g_ptr_array_index (self->blocks, index);
}

VdMarkdownCap
vd_markdown_document_get_cap (const VdMarkdownDocument *self)
{
  g_return_val_if_fail (self != NULL, VD_MARKDOWN_CAP_NONE);

  return self->cap;
}

/**
 * vd_markdown_document_dup_cap_note:
 * @self: a document
 *
 * Returns: (transfer full) (nullable): a sentence for the reviewer saying
 *   why the rest of the text shows as plain text, or %NULL under every cap
 */
char *
vd_markdown_document_dup_cap_note (const VdMarkdownDocument *self)
{
  g_autofree char *hidden = NULL;
  const char *why = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  switch (self->cap)
    {
    case VD_MARKDOWN_CAP_NONE:
      return NULL;
    case VD_MARKDOWN_CAP_SIZE:
      why = _("The Markdown is longer than 256 KiB: the rest is shown as plain text.");
      break;
    case VD_MARKDOWN_CAP_DEPTH:
      why = _("Quotes and lists are nested too deeply: the rest is shown as plain text.");
      break;
    case VD_MARKDOWN_CAP_BLOCKS:
      why = _("The Markdown has too many paragraphs: the rest is shown as plain text.");
      break;
    case VD_MARKDOWN_CAP_SPANS:
      why = _("The Markdown has too many styled words: the rest is shown as plain text.");
      break;
    default:
      g_assert_not_reached ();
    }

  if (self->n_hidden_bytes == 0)
    return g_strdup (why);

  hidden = g_format_size (self->n_hidden_bytes);
  /* Translators: the first %s is a sentence, the second a size ("3.1 MB") */
  return g_strdup_printf (_("%s The last %s are not shown."), why, hidden);
}

static void
append_spans_text (GString   *out,
                   GPtrArray *spans)
{
  for (guint i = 0; i < spans->len; i++)
    {
      const VdMarkdownSpan *span = g_ptr_array_index (spans, i);

      g_string_append (out, span->text);
    }
}

/**
 * vd_markdown_document_dup_text:
 * @self: a document
 *
 * The document's text as it reads, one block a line: list markers, table
 * cells between " | ", no styles.
 *
 * Returns: (transfer full): the text
 */
char *
vd_markdown_document_dup_text (const VdMarkdownDocument *self)
{
  GString *out;

  g_return_val_if_fail (self != NULL, NULL);

  out = g_string_new (NULL);

  for (guint i = 0; i < self->blocks->len; i++)
    {
      const VdMarkdownBlock *block = g_ptr_array_index (self->blocks, i);

      if (i > 0)
        g_string_append_c (out, '\n');
      if (block->marker != NULL)
        g_string_append_printf (out, "%s ", block->marker);

      switch (block->kind)
        {
        case VD_MARKDOWN_BLOCK_PARAGRAPH:
        case VD_MARKDOWN_BLOCK_HEADING:
        case VD_MARKDOWN_BLOCK_LIST_ITEM:
          append_spans_text (out, block->spans);
          break;
        case VD_MARKDOWN_BLOCK_CODE:
        case VD_MARKDOWN_BLOCK_PLAIN:
          g_string_append (out, block->text);
          break;
        case VD_MARKDOWN_BLOCK_TABLE_ROW:
          for (guint c = 0; c < block->cells->len; c++)
            {
              if (c > 0)
                g_string_append (out, " | ");
              append_spans_text (out, g_ptr_array_index (block->cells, c));
            }
          break;
        case VD_MARKDOWN_BLOCK_RULE:
          g_string_append (out, "―――");
          break;
        default:
          g_assert_not_reached ();
        }
    }

  return g_string_free (out, FALSE);
}

/**
 * vd_markdown_link_is_openable:
 * @href: (nullable): a link's address
 *
 * Whether the app may offer to open @href: only absolute http, https and
 * mailto addresses, so never javascript:, file:, data: or a relative path.
 *
 * Returns: %TRUE if @href is a web or mail address
 */
gboolean
vd_markdown_link_is_openable (const char *href)
{
  g_autofree char *scheme = NULL;
  g_autoptr(GUri) uri = NULL;

  if (href == NULL)
    return FALSE;

  for (const char *p = href; *p != '\0'; p++)
    if (g_ascii_iscntrl (*p) || *p == ' ')
      return FALSE;

  scheme = g_uri_parse_scheme (href);
  if (scheme == NULL)
    return FALSE;

  uri = g_uri_parse (href, G_URI_FLAGS_ENCODED, NULL);
  if (uri == NULL)
    return FALSE;

  if (g_ascii_strcasecmp (scheme, "mailto") == 0)
    return g_uri_get_path (uri)[0] != '\0';

  if (g_ascii_strcasecmp (scheme, "http") == 0 || g_ascii_strcasecmp (scheme, "https") == 0)
    return g_uri_get_host (uri) != NULL && g_uri_get_host (uri)[0] != '\0';

  return FALSE;
}

/* Parsing */

static void
append_entity (GString    *out,
               const char *text,
               gsize       size)
{
  static const struct { const char *name; const char *value; } named[] = {
    { "&amp;", "&" }, { "&lt;", "<" }, { "&gt;", ">" }, { "&quot;", "\"" },
    { "&apos;", "'" }, { "&nbsp;", "\u00a0" }, { "&copy;", "©" }, { "&reg;", "®" },
    { "&mdash;", "—" }, { "&ndash;", "–" }, { "&hellip;", "…" },
  };

  if (size > 3 && text[1] == '#')
    {
      g_autofree char *digits = g_strndup (text + 2, size - 3);
      guint64 value = 0;
      gboolean ok;

      if (digits[0] == 'x' || digits[0] == 'X')
        ok = digits[1] != '\0' && g_ascii_string_to_unsigned (digits + 1, 16, 0, 0x10FFFF,
                                                              &value, NULL);
      else
        ok = g_ascii_string_to_unsigned (digits, 10, 0, 0x10FFFF, &value, NULL);

      if (!ok || value == 0 || (value >= 0xD800 && value <= 0xDFFF))
        value = 0xFFFD;

      g_string_append_unichar (out, (gunichar) value);
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (named); i++)
    if (strlen (named[i].name) == size && memcmp (named[i].name, text, size) == 0)
      {
        g_string_append (out, named[i].value);
        return;
      }

  g_string_append_len (out, text, size);
}

static void
append_piece (GString     *out,
              MD_TEXTTYPE  type,
              const char  *text,
              gsize        size)
{
  switch (type)
    {
    case MD_TEXT_NULLCHAR:
      g_string_append (out, "\uFFFD");
      break;
    case MD_TEXT_BR:
      g_string_append_c (out, '\n');
      break;
    case MD_TEXT_SOFTBR:
      g_string_append_c (out, ' ');
      break;
    case MD_TEXT_ENTITY:
      append_entity (out, text, size);
      break;
    case MD_TEXT_NORMAL:
    case MD_TEXT_CODE:
    case MD_TEXT_HTML:
    case MD_TEXT_LATEXMATH:
    default:
      g_string_append_len (out, text, size);
      break;
    }
}

static char *
attribute_to_string (const MD_ATTRIBUTE *attr)
{
  GString *out = g_string_new (NULL);

  if (attr->text == NULL || attr->substr_offsets == NULL)
    return g_string_free (out, FALSE);

  for (guint i = 0; attr->substr_offsets[i] < attr->size; i++)
    {
      MD_OFFSET begin = attr->substr_offsets[i];
      MD_OFFSET end = attr->substr_offsets[i + 1];

      append_piece (out, attr->substr_types[i], attr->text + begin, end - begin);
    }

  return g_string_free (out, FALSE);
}

static void
note_input (Parser     *p,
            const char *text,
            gsize       size)
{
  if (text >= p->input && text + size <= p->input + p->input_length)
    {
      gsize end = (gsize) (text - p->input) + size;

      p->committed = MAX (p->committed, end);
    }
}

static VdMarkdownStyle
current_style (Parser *p)
{
  VdMarkdownStyle style = VD_MARKDOWN_STYLE_NONE;

  if (p->n_emphasis > 0)
    style |= VD_MARKDOWN_STYLE_EMPHASIS;
  if (p->n_strong > 0)
    style |= VD_MARKDOWN_STYLE_STRONG;
  if (p->n_code > 0)
    style |= VD_MARKDOWN_STYLE_CODE;
  if (p->n_strike > 0)
    style |= VD_MARKDOWN_STYLE_STRIKETHROUGH;
  if (p->link_href != NULL)
    style |= VD_MARKDOWN_STYLE_LINK;

  return style;
}

/* Starts a block in the current containers; FALSE over the block cap.
 * The callbacks stop md4c with a negative value: it ignores positive ones
 * from nested steps. */
static gboolean
begin_block (Parser              *p,
             VdMarkdownBlockKind  kind)
{
  VdMarkdownBlock *block;

  if (p->doc->blocks->len >= VD_MARKDOWN_MAX_BLOCKS)
    {
      p->doc->cap = VD_MARKDOWN_CAP_BLOCKS;
      return FALSE;
    }

  block = g_new0 (VdMarkdownBlock, 1);
  block->kind = kind;
  block->quote_depth = p->quote_depth;
  block->list_depth = p->list_depth;
  block->marker = g_steal_pointer (&p->pending_marker);
  if (block->marker != NULL && kind == VD_MARKDOWN_BLOCK_PARAGRAPH)
    block->kind = VD_MARKDOWN_BLOCK_LIST_ITEM;
  if (kind == VD_MARKDOWN_BLOCK_TABLE_ROW)
    block->cells = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  else
    block->spans = g_ptr_array_new_with_free_func (span_free);

  g_ptr_array_add (p->doc->blocks, block);
  p->current = block;
  p->cell = NULL;

  return TRUE;
}

static void
end_block (Parser *p)
{
  if (p->current != NULL && p->current->kind == VD_MARKDOWN_BLOCK_CODE && p->code != NULL)
    {
      if (p->code->len > 0 && p->code->str[p->code->len - 1] == '\n')
        g_string_truncate (p->code, p->code->len - 1);
      p->current->text = g_string_free (g_steal_pointer (&p->code), FALSE);
    }

  p->current = NULL;
  p->cell = NULL;
}

/* Adds text in the current style where text goes; FALSE over a cap. */
static gboolean
add_span (Parser          *p,
          const char      *text,
          VdMarkdownStyle  style,
          const char      *href)
{
  GPtrArray *spans;
  VdMarkdownSpan *span;

  if (p->current == NULL)
    {
      if (!begin_block (p, VD_MARKDOWN_BLOCK_PARAGRAPH))
        return FALSE;
    }

  if (p->current->kind == VD_MARKDOWN_BLOCK_TABLE_ROW)
    {
      if (p->cell == NULL)
        {
          p->cell = g_ptr_array_new_with_free_func (span_free);
          g_ptr_array_add (p->current->cells, p->cell);
        }
      spans = p->cell;
    }
  else if (p->current->spans != NULL)
    spans = p->current->spans;
  else
    return TRUE;

  if (spans->len > 0)
    {
      VdMarkdownSpan *last = g_ptr_array_index (spans, spans->len - 1);

      if (last->style == style && g_strcmp0 (last->href, href) == 0)
        {
          char *joined = g_strconcat (last->text, text, NULL);

          g_free (last->text);
          last->text = joined;
          return TRUE;
        }
    }

  if (++p->n_spans > VD_MARKDOWN_MAX_SPANS)
    {
      p->doc->cap = VD_MARKDOWN_CAP_SPANS;
      return FALSE;
    }

  span = g_new0 (VdMarkdownSpan, 1);
  span->text = g_strdup (text);
  span->style = style;
  span->href = g_strdup (href);
  g_ptr_array_add (spans, span);

  return TRUE;
}

static char *
list_marker (Parser *p)
{
  ListLevel *level = &p->lists[p->depth];
  static const char *bullets[] = { "•", "◦", "▪" };

  if (level->ordered)
    return g_strdup_printf ("%" G_GUINT64_FORMAT ".", level->next_number++);

  return g_strdup (bullets[MIN (p->list_depth, G_N_ELEMENTS (bullets)) - 1]);
}

static int
enter_block (MD_BLOCKTYPE  type,
             void         *detail,
             void         *user_data)
{
  Parser *p = user_data;

  switch (type)
    {
    case MD_BLOCK_DOC:
      return 0;

    case MD_BLOCK_QUOTE:
    case MD_BLOCK_UL:
    case MD_BLOCK_OL:
      end_block (p);
      if (p->depth >= VD_MARKDOWN_MAX_DEPTH)
        {
          p->doc->cap = VD_MARKDOWN_CAP_DEPTH;
          return -1;
        }
      p->depth++;
      if (type == MD_BLOCK_QUOTE)
        {
          p->quote_depth++;
          p->lists[p->depth] = (ListLevel) { FALSE, 0 };
        }
      else
        {
          p->list_depth++;
          p->lists[p->depth].ordered = type == MD_BLOCK_OL;
          p->lists[p->depth].next_number =
            type == MD_BLOCK_OL ? ((MD_BLOCK_OL_DETAIL *) detail)->start : 0;
        }
      return 0;

    case MD_BLOCK_LI:
      end_block (p);
      g_free (p->pending_marker);
      p->pending_marker = list_marker (p);
      return 0;

    case MD_BLOCK_HR:
      end_block (p);
      if (!begin_block (p, VD_MARKDOWN_BLOCK_RULE))
        return -1;
      return 0;

    case MD_BLOCK_H:
      end_block (p);
      if (!begin_block (p, VD_MARKDOWN_BLOCK_HEADING))
        return -1;
      p->current->level = CLAMP (((MD_BLOCK_H_DETAIL *) detail)->level, 1, 6);
      return 0;

    case MD_BLOCK_CODE:
      {
        MD_BLOCK_CODE_DETAIL *code = detail;
        g_autofree char *lang = NULL;

        end_block (p);
        if (!begin_block (p, VD_MARKDOWN_BLOCK_CODE))
          return -1;
        p->code = g_string_new (NULL);
        lang = attribute_to_string (&code->lang);
        if (lang[0] != '\0' && g_utf8_strlen (lang, -1) <= 32)
          p->current->language = g_steal_pointer (&lang);
        return 0;
      }

    case MD_BLOCK_HTML:
    case MD_BLOCK_P:
      end_block (p);
      if (!begin_block (p, VD_MARKDOWN_BLOCK_PARAGRAPH))
        return -1;
      return 0;

    case MD_BLOCK_TABLE:
      end_block (p);
      return 0;

    case MD_BLOCK_THEAD:
      p->in_head = TRUE;
      return 0;

    case MD_BLOCK_TBODY:
      p->in_head = FALSE;
      return 0;

    case MD_BLOCK_TR:
      end_block (p);
      if (!begin_block (p, VD_MARKDOWN_BLOCK_TABLE_ROW))
        return -1;
      p->current->header = p->in_head;
      return 0;

    case MD_BLOCK_TH:
    case MD_BLOCK_TD:
      if (p->current == NULL || p->current->kind != VD_MARKDOWN_BLOCK_TABLE_ROW)
        return 0;
      p->cell = g_ptr_array_new_with_free_func (span_free);
      g_ptr_array_add (p->current->cells, p->cell);
      p->current->n_columns = p->current->cells->len;
      return 0;

    default:
      return 0;
    }
}

static int
leave_block (MD_BLOCKTYPE  type,
             void         *detail,
             void         *user_data)
{
  Parser *p = user_data;

  switch (type)
    {
    case MD_BLOCK_QUOTE:
    case MD_BLOCK_UL:
    case MD_BLOCK_OL:
      end_block (p);
      if (p->depth > 0)
        {
          if (type == MD_BLOCK_QUOTE)
            p->quote_depth--;
          else
            p->list_depth--;
          p->depth--;
        }
      return 0;

    case MD_BLOCK_LI:
      end_block (p);
      /* An empty item still shows its marker. */
      if (p->pending_marker != NULL)
        {
          if (!begin_block (p, VD_MARKDOWN_BLOCK_LIST_ITEM))
            return -1;
          end_block (p);
        }
      return 0;

    case MD_BLOCK_TH:
    case MD_BLOCK_TD:
      p->cell = NULL;
      return 0;

    case MD_BLOCK_THEAD:
      p->in_head = FALSE;
      return 0;

    case MD_BLOCK_HR:
    case MD_BLOCK_H:
    case MD_BLOCK_CODE:
    case MD_BLOCK_HTML:
    case MD_BLOCK_P:
    case MD_BLOCK_TR:
    case MD_BLOCK_TABLE:
    case MD_BLOCK_DOC:
    case MD_BLOCK_TBODY:
    default:
      end_block (p);
      return 0;
    }
}

static int
enter_span (MD_SPANTYPE  type,
            void        *detail,
            void        *user_data)
{
  Parser *p = user_data;

  if (p->image_depth > 0)
    {
      if (type == MD_SPAN_IMG)
        p->image_depth++;
      return 0;
    }

  switch (type)
    {
    case MD_SPAN_EM:
      p->n_emphasis++;
      break;
    case MD_SPAN_STRONG:
      p->n_strong++;
      break;
    case MD_SPAN_CODE:
      p->n_code++;
      break;
    case MD_SPAN_DEL:
      p->n_strike++;
      break;
    case MD_SPAN_A:
      if (p->link_href == NULL)
        p->link_href = attribute_to_string (&((MD_SPAN_A_DETAIL *) detail)->href);
      break;
    case MD_SPAN_IMG:
      p->image_depth = 1;
      p->image_href = attribute_to_string (&((MD_SPAN_IMG_DETAIL *) detail)->src);
      p->image_alt = g_string_new (NULL);
      break;
    case MD_SPAN_LATEXMATH:
    case MD_SPAN_LATEXMATH_DISPLAY:
    case MD_SPAN_WIKILINK:
    case MD_SPAN_U:
    default:
      break;
    }

  return 0;
}

static int
leave_span (MD_SPANTYPE  type,
            void        *detail,
            void        *user_data)
{
  Parser *p = user_data;

  if (p->image_depth > 0)
    {
      g_autofree char *alt = NULL;
      g_autofree char *text = NULL;
      g_autofree char *href = NULL;
      VdMarkdownStyle style;

      if (type != MD_SPAN_IMG || --p->image_depth > 0)
        return 0;

      alt = g_string_free (g_steal_pointer (&p->image_alt), FALSE);
      href = g_steal_pointer (&p->image_href);
      /* Translators: an image the text shows but that is not loaded; %s is
       * its description as the author wrote it */
      text = g_strdup_printf (_("[image: %s]"), alt);
      style = current_style (p) | VD_MARKDOWN_STYLE_IMAGE;

      return add_span (p, text, style, p->link_href != NULL ? p->link_href : href) ? 0 : -1;
    }

  switch (type)
    {
    case MD_SPAN_EM:
      p->n_emphasis = p->n_emphasis > 0 ? p->n_emphasis - 1 : 0;
      break;
    case MD_SPAN_STRONG:
      p->n_strong = p->n_strong > 0 ? p->n_strong - 1 : 0;
      break;
    case MD_SPAN_CODE:
      p->n_code = p->n_code > 0 ? p->n_code - 1 : 0;
      break;
    case MD_SPAN_DEL:
      p->n_strike = p->n_strike > 0 ? p->n_strike - 1 : 0;
      break;
    case MD_SPAN_A:
      g_clear_pointer (&p->link_href, g_free);
      break;
    case MD_SPAN_IMG:
    case MD_SPAN_LATEXMATH:
    case MD_SPAN_LATEXMATH_DISPLAY:
    case MD_SPAN_WIKILINK:
    case MD_SPAN_U:
    default:
      break;
    }

  return 0;
}

static int
text_cb (MD_TEXTTYPE  type,
         const char  *text,
         MD_SIZE      size,
         void        *user_data)
{
  Parser *p = user_data;
  g_autoptr(GString) piece = NULL;

  note_input (p, text, size);

  if (p->image_depth > 0)
    {
      append_piece (p->image_alt, type, text, size);
      return 0;
    }

  if (p->code != NULL)
    {
      append_piece (p->code, type, text, size);
      return 0;
    }

  piece = g_string_new (NULL);
  append_piece (piece, type, text, size);

  return add_span (p, piece->str, current_style (p), p->link_href) ? 0 : -1;
}

/* Where the unparsed rest starts: the line after the last text kept. */
static gsize
rest_offset (Parser *p)
{
  const char *newline;

  if (p->committed == 0)
    return 0;

  newline = memchr (p->input + p->committed, '\n', p->input_length - p->committed);
  if (newline == NULL)
    return p->input_length;

  return (gsize) (newline - p->input) + 1;
}

static void
add_plain (VdMarkdownDocument *doc,
           const char         *text,
           gsize               length)
{
  VdMarkdownBlock *block;
  const char *end;

  if (length > VD_MARKDOWN_MAX_PLAIN_BYTES)
    {
      g_utf8_validate (text, VD_MARKDOWN_MAX_PLAIN_BYTES, &end);
      doc->n_hidden_bytes = length - (gsize) (end - text);
      length = (gsize) (end - text);
    }

  block = g_new0 (VdMarkdownBlock, 1);
  block->kind = VD_MARKDOWN_BLOCK_PLAIN;
  block->text = g_strndup (text, length);
  g_ptr_array_add (doc->blocks, block);
}

/**
 * vd_markdown_parse:
 * @text: Markdown, in UTF-8 (invalid bytes are replaced)
 * @length: the length of @text in bytes, or -1 if it ends with a NUL
 *
 * Parses @text into blocks, within the caps the header describes.
 *
 * Returns: (transfer full): the document
 */
VdMarkdownDocument *
vd_markdown_parse (const char *text,
                   gssize      length)
{
  static const MD_PARSER parser = {
    .abi_version = 0,
    .flags = MD_FLAG_TABLES | MD_FLAG_STRIKETHROUGH | MD_FLAG_PERMISSIVEAUTOLINKS |
             MD_FLAG_NOHTML,
    .enter_block = enter_block,
    .leave_block = leave_block,
    .enter_span = enter_span,
    .leave_span = leave_span,
    .text = text_cb,
  };
  g_autofree char *valid = NULL;
  VdMarkdownDocument *doc;
  Parser p = { 0 };
  gsize parse_length;
  int ret;

  g_return_val_if_fail (text != NULL || length == 0, NULL);

  if (length < 0)
    length = (gssize) strlen (text);

  valid = g_utf8_make_valid (text != NULL ? text : "", length);

  doc = g_atomic_rc_box_new0 (VdMarkdownDocument);
  doc->blocks = g_ptr_array_new_with_free_func (block_free);

  p.doc = doc;
  p.input = valid;
  p.input_length = strlen (valid);

  parse_length = p.input_length;
  if (parse_length > VD_MARKDOWN_MAX_BYTES)
    {
      const char *cut = g_utf8_find_prev_char (valid, valid + VD_MARKDOWN_MAX_BYTES + 1);
      const char *newline;

      parse_length = (gsize) (cut - valid);
      newline = g_strrstr_len (valid, parse_length, "\n");
      if (newline != NULL)
        parse_length = (gsize) (newline - valid) + 1;
      doc->cap = VD_MARKDOWN_CAP_SIZE;
    }

  ret = md_parse (valid, (MD_SIZE) parse_length, &parser, &p);

  end_block (&p);
  g_free (p.pending_marker);
  g_free (p.link_href);
  g_free (p.image_href);
  if (p.image_alt != NULL)
    g_string_free (p.image_alt, TRUE);
  if (p.code != NULL)
    g_string_free (p.code, TRUE);

  if (ret != 0 && doc->cap == VD_MARKDOWN_CAP_NONE)
    {
      /* md4c ran out of memory: show the whole text as it is. */
      g_ptr_array_set_size (doc->blocks, 0);
      doc->cap = VD_MARKDOWN_CAP_SIZE;
      add_plain (doc, valid, p.input_length);
    }
  else if (ret != 0)
    {
      gsize rest = rest_offset (&p);

      if (rest < p.input_length)
        add_plain (doc, valid + rest, p.input_length - rest);
    }
  else if (doc->cap == VD_MARKDOWN_CAP_SIZE)
    {
      add_plain (doc, valid + parse_length, p.input_length - parse_length);
    }

  return doc;
}
