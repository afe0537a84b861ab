/* test-markdown.c
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

#define G_LOG_DOMAIN "test-markdown"

#include "config.h"

#include <string.h>

#include "vd-markdown.h"

static const VdMarkdownBlock *
block_at (VdMarkdownDocument *doc,
          guint               index)
{
  g_assert_cmpuint (index, <, vd_markdown_document_get_n_blocks (doc));
  return vd_markdown_document_get_block (doc, index);
}

static const VdMarkdownSpan *
span_at (const VdMarkdownBlock *block,
         guint                  index)
{
  g_assert_nonnull (block->spans);
  g_assert_cmpuint (index, <, block->spans->len);
  return g_ptr_array_index (block->spans, index);
}

static void
test_markdown_headings (void)
{
  g_autoptr(VdMarkdownDocument) doc = vd_markdown_parse ("# Title\n\nSome text.\n\n### Small\n"
                                                         "Setext\n---\n", -1);

  g_assert_cmpuint (vd_markdown_document_get_n_blocks (doc), ==, 4);
  g_assert_cmpint (block_at (doc, 0)->kind, ==, VD_MARKDOWN_BLOCK_HEADING);
  g_assert_cmpuint (block_at (doc, 0)->level, ==, 1);
  g_assert_cmpstr (span_at (block_at (doc, 0), 0)->text, ==, "Title");
  g_assert_cmpint (block_at (doc, 1)->kind, ==, VD_MARKDOWN_BLOCK_PARAGRAPH);
  g_assert_cmpstr (span_at (block_at (doc, 1), 0)->text, ==, "Some text.");
  g_assert_cmpuint (block_at (doc, 2)->level, ==, 3);
  g_assert_cmpint (block_at (doc, 3)->kind, ==, VD_MARKDOWN_BLOCK_HEADING);
  g_assert_cmpuint (block_at (doc, 3)->level, ==, 2);
  g_assert_cmpint (vd_markdown_document_get_cap (doc), ==, VD_MARKDOWN_CAP_NONE);
  g_assert_null (vd_markdown_document_dup_cap_note (doc));
}

static void
test_markdown_emphasis (void)
{
  g_autoptr(VdMarkdownDocument) doc =
    vd_markdown_parse ("plain *em* **strong** `code` ~~gone~~ ***both***", -1);
  const VdMarkdownBlock *block = block_at (doc, 0);

  g_assert_cmpuint (block->spans->len, ==, 10);
  g_assert_cmpstr (span_at (block, 0)->text, ==, "plain ");
  g_assert_cmpint (span_at (block, 0)->style, ==, VD_MARKDOWN_STYLE_NONE);
  g_assert_cmpstr (span_at (block, 1)->text, ==, "em");
  g_assert_cmpint (span_at (block, 1)->style, ==, VD_MARKDOWN_STYLE_EMPHASIS);
  g_assert_cmpstr (span_at (block, 3)->text, ==, "strong");
  g_assert_cmpint (span_at (block, 3)->style, ==, VD_MARKDOWN_STYLE_STRONG);
  g_assert_cmpstr (span_at (block, 5)->text, ==, "code");
  g_assert_cmpint (span_at (block, 5)->style, ==, VD_MARKDOWN_STYLE_CODE);
  g_assert_cmpstr (span_at (block, 7)->text, ==, "gone");
  g_assert_cmpint (span_at (block, 7)->style, ==, VD_MARKDOWN_STYLE_STRIKETHROUGH);
  g_assert_cmpstr (span_at (block, 9)->text, ==, "both");
  g_assert_cmpint (span_at (block, 9)->style, ==,
                   VD_MARKDOWN_STYLE_EMPHASIS | VD_MARKDOWN_STYLE_STRONG);
}

static void
test_markdown_lists (void)
{
  g_autoptr(VdMarkdownDocument) doc =
    vd_markdown_parse ("- one\n- two\n  - nested\n\n3. three\n4. four\n\n-\n", -1);
  g_autofree char *text = vd_markdown_document_dup_text (doc);

  g_assert_cmpstr (text, ==, "• one\n• two\n◦ nested\n3. three\n4. four\n• ");
  g_assert_cmpint (block_at (doc, 0)->kind, ==, VD_MARKDOWN_BLOCK_LIST_ITEM);
  g_assert_cmpuint (block_at (doc, 0)->list_depth, ==, 1);
  g_assert_cmpuint (block_at (doc, 2)->list_depth, ==, 2);
  g_assert_cmpstr (block_at (doc, 3)->marker, ==, "3.");
  g_assert_cmpuint (block_at (doc, 3)->list_depth, ==, 1);
}

static void
test_markdown_loose_list_and_quote (void)
{
  g_autoptr(VdMarkdownDocument) doc =
    vd_markdown_parse ("1. first\n\n   more of first\n\n2. second\n\n> quoted\n> > deeper\n", -1);

  g_assert_cmpuint (vd_markdown_document_get_n_blocks (doc), ==, 5);
  g_assert_cmpstr (block_at (doc, 0)->marker, ==, "1.");
  g_assert_cmpint (block_at (doc, 0)->kind, ==, VD_MARKDOWN_BLOCK_LIST_ITEM);
  g_assert_null (block_at (doc, 1)->marker);
  g_assert_cmpint (block_at (doc, 1)->kind, ==, VD_MARKDOWN_BLOCK_PARAGRAPH);
  g_assert_cmpuint (block_at (doc, 1)->list_depth, ==, 1);
  g_assert_cmpstr (block_at (doc, 2)->marker, ==, "2.");
  g_assert_cmpuint (block_at (doc, 3)->quote_depth, ==, 1);
  g_assert_cmpuint (block_at (doc, 3)->list_depth, ==, 0);
  g_assert_cmpuint (block_at (doc, 4)->quote_depth, ==, 2);
}

static void
test_markdown_code (void)
{
  g_autoptr(VdMarkdownDocument) doc =
    vd_markdown_parse ("```python title=x\ndef f():\n    return \"<b>\" & 1\n```\n\n"
                       "    indented\n    code\n\n---\n", -1);

  g_assert_cmpuint (vd_markdown_document_get_n_blocks (doc), ==, 3);
  g_assert_cmpint (block_at (doc, 0)->kind, ==, VD_MARKDOWN_BLOCK_CODE);
  g_assert_cmpstr (block_at (doc, 0)->language, ==, "python");
  g_assert_cmpstr (block_at (doc, 0)->text, ==, "def f():\n    return \"<b>\" & 1");
  g_assert_cmpint (block_at (doc, 1)->kind, ==, VD_MARKDOWN_BLOCK_CODE);
  g_assert_null (block_at (doc, 1)->language);
  g_assert_cmpstr (block_at (doc, 1)->text, ==, "indented\ncode");
  g_assert_cmpint (block_at (doc, 2)->kind, ==, VD_MARKDOWN_BLOCK_RULE);
}

static void
test_markdown_table (void)
{
  g_autoptr(VdMarkdownDocument) doc =
    vd_markdown_parse ("| Clause | Status |\n|:--|--:|\n| 4.2 *liability* | ok |\n| 5 | |\n", -1);
  const VdMarkdownBlock *head = block_at (doc, 0);
  const VdMarkdownBlock *row = block_at (doc, 1);
  GPtrArray *cell;

  g_assert_cmpuint (vd_markdown_document_get_n_blocks (doc), ==, 3);
  g_assert_cmpint (head->kind, ==, VD_MARKDOWN_BLOCK_TABLE_ROW);
  g_assert_true (head->header);
  g_assert_false (row->header);
  g_assert_cmpuint (head->cells->len, ==, 2);
  g_assert_cmpuint (row->cells->len, ==, 2);
  g_assert_cmpuint (block_at (doc, 2)->cells->len, ==, 2);
  cell = g_ptr_array_index (row->cells, 0);
  g_assert_cmpuint (cell->len, ==, 2);
  g_assert_cmpstr (((VdMarkdownSpan *) g_ptr_array_index (cell, 1))->text, ==, "liability");
  g_assert_cmpint (((VdMarkdownSpan *) g_ptr_array_index (cell, 1))->style, ==,
                   VD_MARKDOWN_STYLE_EMPHASIS);

  {
    g_autofree char *text = vd_markdown_document_dup_text (doc);
    g_assert_cmpstr (text, ==, "Clause | Status\n4.2 liability | ok\n5 | ");
  }
}

/* Raw HTML stays literal text: it is never turned into anything else. */
static void
test_markdown_html_literal (void)
{
  g_autoptr(VdMarkdownDocument) doc =
    vd_markdown_parse ("<script>alert(1)</script>\n\nA <b onclick=\"x()\">bold</b> word "
                       "&amp; &lt;i&gt; &#65; &#0; &bogus;\n", -1);
  g_autofree char *text = vd_markdown_document_dup_text (doc);

  g_assert_cmpstr (text, ==,
                   "<script>alert(1)</script>\n"
                   "A <b onclick=\"x()\">bold</b> word & <i> A \uFFFD &bogus;");
  for (guint i = 0; i < vd_markdown_document_get_n_blocks (doc); i++)
    {
      const VdMarkdownBlock *block = block_at (doc, i);

      g_assert_cmpint (block->kind, ==, VD_MARKDOWN_BLOCK_PARAGRAPH);
      for (guint s = 0; s < block->spans->len; s++)
        g_assert_cmpint (span_at (block, s)->style, ==, VD_MARKDOWN_STYLE_NONE);
    }
}

static void
test_markdown_links_and_images (void)
{
  g_autoptr(VdMarkdownDocument) doc =
    vd_markdown_parse ("See [the docs](https://example.org/a?b=1&amp;c=2 \"t\"), "
                       "![a chart](https://tracker.example/pixel.png) and "
                       "[![badge](b.svg)](https://ci.example/) or https://bare.example/x.\n", -1);
  const VdMarkdownBlock *block = block_at (doc, 0);
  gboolean seen_link = FALSE, seen_image = FALSE, seen_badge = FALSE, seen_bare = FALSE;

  for (guint i = 0; i < block->spans->len; i++)
    {
      const VdMarkdownSpan *span = span_at (block, i);

      if (g_strcmp0 (span->text, "the docs") == 0)
        {
          g_assert_cmpint (span->style, ==, VD_MARKDOWN_STYLE_LINK);
          g_assert_cmpstr (span->href, ==, "https://example.org/a?b=1&c=2");
          seen_link = TRUE;
        }
      else if (g_strcmp0 (span->text, "[image: a chart]") == 0)
        {
          g_assert_cmpint (span->style, ==, VD_MARKDOWN_STYLE_IMAGE);
          g_assert_cmpstr (span->href, ==, "https://tracker.example/pixel.png");
          seen_image = TRUE;
        }
      else if (g_strcmp0 (span->text, "[image: badge]") == 0)
        {
          g_assert_cmpint (span->style, ==, VD_MARKDOWN_STYLE_IMAGE | VD_MARKDOWN_STYLE_LINK);
          g_assert_cmpstr (span->href, ==, "https://ci.example/");
          seen_badge = TRUE;
        }
      else if (span->style == VD_MARKDOWN_STYLE_LINK &&
               g_strcmp0 (span->href, "https://bare.example/x") == 0)
        seen_bare = TRUE;
    }

  g_assert_true (seen_link);
  g_assert_true (seen_image);
  g_assert_true (seen_badge);
  g_assert_true (seen_bare);
}

static void
test_markdown_openable (void)
{
  g_assert_true (vd_markdown_link_is_openable ("https://example.org/x?y=1#z"));
  g_assert_true (vd_markdown_link_is_openable ("HTTP://example.org"));
  g_assert_true (vd_markdown_link_is_openable ("mailto:legal@example.org"));
  g_assert_false (vd_markdown_link_is_openable (NULL));
  g_assert_false (vd_markdown_link_is_openable (""));
  g_assert_false (vd_markdown_link_is_openable ("javascript:alert(1)"));
  g_assert_false (vd_markdown_link_is_openable ("JavaScript:alert(1)"));
  g_assert_false (vd_markdown_link_is_openable (" javascript:alert(1)"));
  g_assert_false (vd_markdown_link_is_openable ("java\tscript:alert(1)"));
  g_assert_false (vd_markdown_link_is_openable ("file:///etc/passwd"));
  g_assert_false (vd_markdown_link_is_openable ("data:text/html,<script>x</script>"));
  g_assert_false (vd_markdown_link_is_openable ("vbscript:x"));
  g_assert_false (vd_markdown_link_is_openable ("../relative.md"));
  g_assert_false (vd_markdown_link_is_openable ("https:///no-host"));
  g_assert_false (vd_markdown_link_is_openable ("mailto:"));
}

static void
test_markdown_cap_blocks (void)
{
  g_autoptr(GString) input = g_string_new (NULL);
  g_autoptr(VdMarkdownDocument) doc = NULL;
  g_autofree char *note = NULL;
  const VdMarkdownBlock *last;

  for (guint i = 0; i < VD_MARKDOWN_MAX_BLOCKS + 10; i++)
    g_string_append_printf (input, "para %u\n\n", i);

  doc = vd_markdown_parse (input->str, input->len);
  g_assert_cmpint (vd_markdown_document_get_cap (doc), ==, VD_MARKDOWN_CAP_BLOCKS);
  g_assert_cmpuint (vd_markdown_document_get_n_blocks (doc), ==, VD_MARKDOWN_MAX_BLOCKS + 1);
  last = block_at (doc, VD_MARKDOWN_MAX_BLOCKS);
  g_assert_cmpint (last->kind, ==, VD_MARKDOWN_BLOCK_PLAIN);
  /* Nothing is lost and nothing is shown twice. */
  g_assert_true (g_str_has_prefix (last->text, "\npara 2000\n"));
  g_assert_cmpstr (span_at (block_at (doc, VD_MARKDOWN_MAX_BLOCKS - 1), 0)->text, ==,
                   "para 1999");
  note = vd_markdown_document_dup_cap_note (doc);
  g_assert_nonnull (note);
}

static void
test_markdown_cap_depth (void)
{
  g_autoptr(GString) input = g_string_new ("before\n\n");
  g_autoptr(VdMarkdownDocument) doc = NULL;
  const VdMarkdownBlock *last;

  for (guint i = 0; i < 5000; i++)
    g_string_append (input, "> ");
  g_string_append (input, "deep\n");

  doc = vd_markdown_parse (input->str, input->len);
  g_assert_cmpint (vd_markdown_document_get_cap (doc), ==, VD_MARKDOWN_CAP_DEPTH);
  g_assert_cmpstr (span_at (block_at (doc, 0), 0)->text, ==, "before");
  last = block_at (doc, vd_markdown_document_get_n_blocks (doc) - 1);
  g_assert_cmpint (last->kind, ==, VD_MARKDOWN_BLOCK_PLAIN);
  g_assert_true (g_str_has_suffix (last->text, "> deep\n"));
}

static void
test_markdown_cap_size (void)
{
  gsize size = VD_MARKDOWN_MAX_PLAIN_BYTES + VD_MARKDOWN_MAX_BYTES * 2;
  g_autofree char *input = g_malloc (size + 1);
  g_autoptr(VdMarkdownDocument) doc = NULL;
  g_autofree char *note = NULL;
  const VdMarkdownBlock *last;

  for (gsize i = 0; i < size; i++)
    input[i] = (i % 80 == 79) ? '\n' : 'a' + (i % 26);
  input[size] = '\0';

  doc = vd_markdown_parse (input, size);
  g_assert_cmpint (vd_markdown_document_get_cap (doc), ==, VD_MARKDOWN_CAP_SIZE);
  last = block_at (doc, vd_markdown_document_get_n_blocks (doc) - 1);
  g_assert_cmpint (last->kind, ==, VD_MARKDOWN_BLOCK_PLAIN);
  g_assert_cmpuint (strlen (last->text), ==, VD_MARKDOWN_MAX_PLAIN_BYTES);
  note = vd_markdown_document_dup_cap_note (doc);
  g_assert_nonnull (strstr (note, "256 KiB"));
}

static void
test_markdown_cap_spans (void)
{
  g_autoptr(GString) input = g_string_new (NULL);
  g_autoptr(VdMarkdownDocument) doc = NULL;

  for (guint i = 0; i < VD_MARKDOWN_MAX_SPANS; i++)
    g_string_append (input, "*a* b ");

  doc = vd_markdown_parse (input->str, input->len);
  g_assert_cmpint (vd_markdown_document_get_cap (doc), ==, VD_MARKDOWN_CAP_SPANS);
}

static void
test_markdown_bad_bytes (void)
{
  static const char input[] = "a\0b \xff\xfe *c*\n";
  g_autoptr(VdMarkdownDocument) doc = vd_markdown_parse (input, sizeof input - 1);
  g_autofree char *text = vd_markdown_document_dup_text (doc);

  g_assert_true (g_utf8_validate (text, -1, NULL));
  g_assert_cmpstr (text, ==, "a\uFFFDb \uFFFD\uFFFD c");

  {
    g_autoptr(VdMarkdownDocument) empty = vd_markdown_parse ("", 0);
    g_assert_cmpuint (vd_markdown_document_get_n_blocks (empty), ==, 0);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/markdown/headings", test_markdown_headings);
  g_test_add_func ("/markdown/emphasis", test_markdown_emphasis);
  g_test_add_func ("/markdown/lists", test_markdown_lists);
  g_test_add_func ("/markdown/loose-list-and-quote", test_markdown_loose_list_and_quote);
  g_test_add_func ("/markdown/code", test_markdown_code);
  g_test_add_func ("/markdown/table", test_markdown_table);
  g_test_add_func ("/markdown/html-literal", test_markdown_html_literal);
  g_test_add_func ("/markdown/links-and-images", test_markdown_links_and_images);
  g_test_add_func ("/markdown/openable", test_markdown_openable);
  g_test_add_func ("/markdown/cap-blocks", test_markdown_cap_blocks);
  g_test_add_func ("/markdown/cap-depth", test_markdown_cap_depth);
  g_test_add_func ("/markdown/cap-size", test_markdown_cap_size);
  g_test_add_func ("/markdown/cap-spans", test_markdown_cap_spans);
  g_test_add_func ("/markdown/bad-bytes", test_markdown_bad_bytes);

  return g_test_run ();
}
