/* vd-markdown-view.h
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

#include <gtk/gtk.h>

#include "vd-markdown.h"

G_BEGIN_DECLS

/*
 * VdMarkdownView shows Markdown from a queue, read-only, as a column of
 * selectable labels: headings larger, code in monospace on a tinted
 * background (scrolling sideways rather than wrapping), list items indented
 * after their bullet or number, block quotes behind a bar, tables as a grid.
 * The text is parsed by vd_markdown_parse(): raw HTML shows literally,
 * images show as "[image: ALT]" and are never loaded.
 *
 * Links: only http, https and mailto addresses are links. Activating one
 * (click, or Enter on a focused link) asks first: an AdwMessageDialog shows
 * the full address with Cancel and Open Link. Only Open Link emits
 * ::open-link; if no handler returns %TRUE the address is opened with
 * gtk_show_uri(). Any other address (javascript:, file:, data:, relative)
 * shows as plain text followed by a note with the address, never a link.
 */

#define VD_TYPE_MARKDOWN_VIEW (vd_markdown_view_get_type ())

G_DECLARE_FINAL_TYPE (VdMarkdownView, vd_markdown_view, VD, MARKDOWN_VIEW, GtkWidget)

GtkWidget          *vd_markdown_view_new           (void);
void                vd_markdown_view_set_markdown  (VdMarkdownView     *self,
                                                    const char         *text);
VdMarkdownDocument *vd_markdown_view_get_document  (VdMarkdownView     *self);
void                vd_markdown_view_set_document  (VdMarkdownView     *self,
                                                    VdMarkdownDocument *document);
GtkWindow          *vd_markdown_view_get_dialog    (VdMarkdownView     *self);

G_END_DECLS
