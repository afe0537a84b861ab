/* vd-markdown-view.c
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

#define G_LOG_DOMAIN "vd-markdown-view"

#include "config.h"

#include <glib/gi18n.h>
#include <adwaita.h>

#include "vd-markdown-view.h"

/* Indent of one list level, in pixels; the bullet column is as wide. */
#define LIST_INDENT 22
/* How much of an address a note about a refused link shows. */
#define NOTE_MAX_CHARS 200

struct _VdMarkdownView
{
  GtkWidget           parent_instance;

  GtkBox             *box;

  VdMarkdownDocument *document;
  AdwMessageDialog   *dialog;
};

G_DEFINE_FINAL_TYPE (VdMarkdownView, vd_markdown_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_DOCUMENT,
  N_PROPS
};

enum {
  OPEN_LINK,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
append_note (GString    *markup,
             const char *href)
{
  g_autofree char *shown = NULL;
  g_autofree char *note = NULL;
  g_autofree char *escaped = NULL;

  if (g_utf8_strlen (href, -1) > NOTE_MAX_CHARS)
    {
      g_autofree char *start = g_utf8_substring (href, 0, NOTE_MAX_CHARS);
      shown = g_strconcat (start, "…", NULL);
    }
  else
    shown = g_strdup (href);

  /* Translators: after a link's text whose address is never opened (such
   * as javascript: or file:); %s is the address */
  note = g_strdup_printf (_("[link not opened: %s]"), shown);
  escaped = g_markup_escape_text (note, -1);
  g_string_append_printf (markup, " <span size=\"small\" fgalpha=\"65%%\">%s</span>", escaped);
}

/* Pango markup for a run of spans: every text and address escaped. */
static char *
spans_to_markup (GPtrArray *spans)
{
  GString *markup = g_string_new (NULL);

  for (guint i = 0; i < spans->len; i++)
    {
      const VdMarkdownSpan *span = g_ptr_array_index (spans, i);
      g_autofree char *text = g_markup_escape_text (span->text, -1);
      gboolean linked = (span->style & (VD_MARKDOWN_STYLE_LINK | VD_MARKDOWN_STYLE_IMAGE)) != 0;
      gboolean openable = linked && vd_markdown_link_is_openable (span->href);

      if (openable)
        {
          g_autofree char *href = g_markup_escape_text (span->href, -1);
          g_string_append_printf (markup, "<a href=\"%s\">", href);
        }
      if (span->style & VD_MARKDOWN_STYLE_STRONG)
        g_string_append (markup, "<b>");
      if (span->style & VD_MARKDOWN_STYLE_EMPHASIS)
        g_string_append (markup, "<i>");
      if (span->style & VD_MARKDOWN_STYLE_STRIKETHROUGH)
        g_string_append (markup, "<s>");
      if (span->style & VD_MARKDOWN_STYLE_CODE)
        g_string_append (markup,
                         "<span font_family=\"monospace\" background=\"#808080\" bgalpha=\"18%\">");

      g_string_append (markup, text);

      if (span->style & VD_MARKDOWN_STYLE_CODE)
        g_string_append (markup, "</span>");
      if (span->style & VD_MARKDOWN_STYLE_STRIKETHROUGH)
        g_string_append (markup, "</s>");
      if (span->style & VD_MARKDOWN_STYLE_EMPHASIS)
        g_string_append (markup, "</i>");
      if (span->style & VD_MARKDOWN_STYLE_STRONG)
        g_string_append (markup, "</b>");
      if (openable)
        g_string_append (markup, "</a>");
      else if ((span->style & VD_MARKDOWN_STYLE_LINK) && span->href != NULL)
        append_note (markup, span->href);
    }

  return g_string_free (markup, FALSE);
}

static void
confirm_response_cb (VdMarkdownView   *self,
                     const char       *response,
                     AdwMessageDialog *dialog)
{
  g_autofree char *uri = g_strdup (g_object_get_data (G_OBJECT (dialog), "vd-uri"));
  gboolean handled = FALSE;

  if (self->dialog == dialog)
    self->dialog = NULL;

  if (g_strcmp0 (response, "open") != 0 || uri == NULL)
    return;

  g_signal_emit (self, signals[OPEN_LINK], 0, uri, &handled);
  if (!handled)
    {
      GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

      gtk_show_uri (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, uri, GDK_CURRENT_TIME);
    }
}

static gboolean
activate_link_cb (VdMarkdownView *self,
                  const char     *uri,
                  GtkLabel       *label)
{
  GtkRoot *root;
  AdwMessageDialog *dialog;

  /* Whatever happens next, the label never opens anything itself. */
  if (!vd_markdown_link_is_openable (uri))
    return TRUE;

  if (self->dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->dialog));

  root = gtk_widget_get_root (GTK_WIDGET (self));
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root)
                                                       : NULL,
                                                       _("Open Link?"), uri));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "open", _("_Open Link"),
                                    NULL);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "vd-uri", g_strdup (uri), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (confirm_response_cb), self,
                           G_CONNECT_SWAPPED);

  self->dialog = dialog;
  gtk_window_present (GTK_WINDOW (dialog));

  return TRUE;
}

static GtkWidget *
new_text_label (VdMarkdownView *self,
                const char     *markup)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_markup (GTK_LABEL (label), markup);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_widget_set_hexpand (label, TRUE);
  g_signal_connect_object (label, "activate-link", G_CALLBACK (activate_link_cb), self,
                           G_CONNECT_SWAPPED);

  return label;
}

static GtkWidget *
new_plain_label (const char *text,
                 gboolean    wrap)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap (GTK_LABEL (label), wrap);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);

  return label;
}

static GtkWidget *
new_sideways (GtkWidget *child)
{
  GtkWidget *scrolled = gtk_scrolled_window_new ();

  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled),
                                  GTK_POLICY_AUTOMATIC, GTK_POLICY_NEVER);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), child);

  return scrolled;
}

static GtkWidget *
build_code (const VdMarkdownBlock *block)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *label = new_plain_label (block->text, FALSE);
  GtkWidget *scrolled;

  if (block->language != NULL)
    {
      GtkWidget *caption = new_plain_label (block->language, FALSE);

      gtk_widget_add_css_class (caption, "caption");
      gtk_widget_add_css_class (caption, "dim-label");
      gtk_box_append (GTK_BOX (box), caption);
    }

  gtk_widget_add_css_class (label, "monospace");
  gtk_widget_add_css_class (label, "vd-markdown-code-text");
  gtk_label_set_yalign (GTK_LABEL (label), 0);
  scrolled = new_sideways (label);
  gtk_widget_add_css_class (scrolled, "vd-markdown-code");
  gtk_box_append (GTK_BOX (box), scrolled);

  return box;
}

/* The rows of one table: blocks[first] up to the first non-row. */
static GtkWidget *
build_table (VdMarkdownView     *self,
             VdMarkdownDocument *document,
             guint              *index)
{
  GtkWidget *grid = gtk_grid_new ();
  guint n_blocks = vd_markdown_document_get_n_blocks (document);
  int row = 0;

  gtk_grid_set_column_spacing (GTK_GRID (grid), 18);
  gtk_grid_set_row_spacing (GTK_GRID (grid), 6);

  for (; *index < n_blocks; (*index)++)
    {
      const VdMarkdownBlock *block = vd_markdown_document_get_block (document, *index);

      if (block->kind != VD_MARKDOWN_BLOCK_TABLE_ROW)
        break;

      for (guint c = 0; c < block->cells->len; c++)
        {
          g_autofree char *markup = spans_to_markup (g_ptr_array_index (block->cells, c));
          GtkWidget *label = new_text_label (self, markup);

          gtk_widget_set_hexpand (label, FALSE);
          if (block->header)
            gtk_widget_add_css_class (label, "heading");
          gtk_grid_attach (GTK_GRID (grid), label, (int) c, row, 1, 1);
        }
      row++;

      if (block->header)
        {
          gtk_grid_attach (GTK_GRID (grid), gtk_separator_new (GTK_ORIENTATION_HORIZONTAL),
                           0, row, MAX ((int) block->cells->len, 1), 1);
          row++;
        }
    }

  /* The caller's loop steps past the last row. */
  (*index)--;

  /* Not in a sideways scroller: the cells wrap to the pane's width. */
  return grid;
}

static const char *
heading_class (guint level)
{
  switch (level)
    {
    case 1:
      return "title-2";
    case 2:
      return "title-3";
    case 3:
      return "title-4";
    default:
      return "heading";
    }
}

static GtkWidget *
build_block (VdMarkdownView        *self,
             VdMarkdownDocument    *document,
             const VdMarkdownBlock *block,
             guint                 *index)
{
  GtkWidget *widget = NULL;

  switch (block->kind)
    {
    case VD_MARKDOWN_BLOCK_PARAGRAPH:
    case VD_MARKDOWN_BLOCK_LIST_ITEM:
    case VD_MARKDOWN_BLOCK_HEADING:
      {
        g_autofree char *markup = spans_to_markup (block->spans);

        widget = new_text_label (self, markup);
        if (block->kind == VD_MARKDOWN_BLOCK_HEADING)
          gtk_widget_add_css_class (widget, heading_class (block->level));
        break;
      }

    case VD_MARKDOWN_BLOCK_CODE:
      widget = build_code (block);
      break;

    case VD_MARKDOWN_BLOCK_TABLE_ROW:
      widget = build_table (self, document, index);
      break;

    case VD_MARKDOWN_BLOCK_RULE:
      widget = gtk_separator_new (GTK_ORIENTATION_HORIZONTAL);
      break;

    case VD_MARKDOWN_BLOCK_PLAIN:
      {
        g_autofree char *note = vd_markdown_document_dup_cap_note (document);
        GtkWidget *note_label = new_plain_label (note, TRUE);

        widget = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
        gtk_widget_add_css_class (note_label, "dim-label");
        gtk_widget_add_css_class (note_label, "vd-markdown-note");
        gtk_box_append (GTK_BOX (widget), note_label);
        gtk_box_append (GTK_BOX (widget), new_plain_label (block->text, TRUE));
        break;
      }

    default:
      g_assert_not_reached ();
    }

  if (block->marker != NULL)
    {
      GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
      GtkWidget *marker = gtk_label_new (block->marker);

      gtk_label_set_xalign (GTK_LABEL (marker), 0);
      gtk_widget_set_valign (marker, GTK_ALIGN_START);
      gtk_widget_set_size_request (marker, LIST_INDENT - 4, -1);
      gtk_box_append (GTK_BOX (row), marker);
      gtk_box_append (GTK_BOX (row), widget);
      gtk_widget_set_margin_start (row, LIST_INDENT * (int) (block->list_depth - 1));
      widget = row;
    }
  else if (block->list_depth > 0)
    {
      gtk_widget_set_margin_start (widget, LIST_INDENT * (int) block->list_depth);
    }

  for (guint q = 0; q < block->quote_depth; q++)
    {
      GtkWidget *quote = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

      gtk_widget_add_css_class (quote, "vd-markdown-quote");
      gtk_box_append (GTK_BOX (quote), widget);
      widget = quote;
    }

  return widget;
}

static void
rebuild (VdMarkdownView *self)
{
  GtkWidget *child;
  guint n_blocks;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->box))) != NULL)
    gtk_box_remove (self->box, child);

  if (self->document == NULL)
    return;

  n_blocks = vd_markdown_document_get_n_blocks (self->document);
  for (guint i = 0; i < n_blocks; i++)
    {
      const VdMarkdownBlock *block = vd_markdown_document_get_block (self->document, i);

      gtk_box_append (self->box, build_block (self, self->document, block, &i));
    }
}

/**
 * vd_markdown_view_set_document:
 * @self: a view
 * @document: (nullable): a parsed document, for a caller that parsed it
 *   elsewhere (vd_markdown_parse() is thread-safe)
 *
 * Shows @document.
 */
void
vd_markdown_view_set_document (VdMarkdownView     *self,
                               VdMarkdownDocument *document)
{
  g_return_if_fail (VD_IS_MARKDOWN_VIEW (self));

  if (self->document == document)
    return;

  g_clear_pointer (&self->document, vd_markdown_document_unref);
  if (document != NULL)
    self->document = vd_markdown_document_ref (document);

  rebuild (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DOCUMENT]);
}

/**
 * vd_markdown_view_set_markdown:
 * @self: a view
 * @text: (nullable): Markdown from a queue
 *
 * Parses @text (at most VD_MARKDOWN_MAX_BYTES of it as Markdown, so quick)
 * and shows it.
 */
void
vd_markdown_view_set_markdown (VdMarkdownView *self,
                               const char     *text)
{
  g_autoptr(VdMarkdownDocument) document = NULL;

  g_return_if_fail (VD_IS_MARKDOWN_VIEW (self));

  document = vd_markdown_parse (text != NULL ? text : "", -1);
  vd_markdown_view_set_document (self, document);
}

/**
 * vd_markdown_view_get_document:
 * @self: a view
 *
 * Returns: (transfer none) (nullable): the document shown
 */
VdMarkdownDocument *
vd_markdown_view_get_document (VdMarkdownView *self)
{
  g_return_val_if_fail (VD_IS_MARKDOWN_VIEW (self), NULL);

  return self->document;
}

/**
 * vd_markdown_view_get_dialog:
 * @self: a view
 *
 * Returns: (transfer none) (nullable): the link confirmation on screen, if any
 */
GtkWindow *
vd_markdown_view_get_dialog (VdMarkdownView *self)
{
  g_return_val_if_fail (VD_IS_MARKDOWN_VIEW (self), NULL);

  return self->dialog != NULL ? GTK_WINDOW (self->dialog) : NULL;
}

GtkWidget *
vd_markdown_view_new (void)
{
  return g_object_new (VD_TYPE_MARKDOWN_VIEW, NULL);
}

static void
vd_markdown_view_dispose (GObject *object)
{
  VdMarkdownView *self = VD_MARKDOWN_VIEW (object);

  if (self->dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (g_steal_pointer (&self->dialog)));

  gtk_widget_dispose_template (GTK_WIDGET (object), VD_TYPE_MARKDOWN_VIEW);
  g_clear_pointer (&self->document, vd_markdown_document_unref);

  G_OBJECT_CLASS (vd_markdown_view_parent_class)->dispose (object);
}

static void
vd_markdown_view_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  VdMarkdownView *self = VD_MARKDOWN_VIEW (object);

  switch (prop_id)
    {
    case PROP_DOCUMENT:
      g_value_set_boxed (value, self->document);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vd_markdown_view_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  VdMarkdownView *self = VD_MARKDOWN_VIEW (object);

  switch (prop_id)
    {
    case PROP_DOCUMENT:
      vd_markdown_view_set_document (self, g_value_get_boxed (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vd_markdown_view_class_init (VdMarkdownViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vd_markdown_view_dispose;
  object_class->get_property = vd_markdown_view_get_property;
  object_class->set_property = vd_markdown_view_set_property;

  properties[PROP_DOCUMENT] =
    g_param_spec_boxed ("document", NULL, NULL,
                        VD_TYPE_MARKDOWN_DOCUMENT,
                        G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * VdMarkdownView::open-link:
   * @self: the view
   * @uri: the address the reviewer chose to open
   *
   * Emitted only after the reviewer confirmed opening @uri. Return %TRUE
   * to open it yourself; otherwise the view calls gtk_show_uri().
   */
  signals[OPEN_LINK] =
    g_signal_new ("open-link",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0,
                  g_signal_accumulator_true_handled, NULL,
                  NULL,
                  G_TYPE_BOOLEAN, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/verdict/Verdict/vd-markdown-view.ui");
  gtk_widget_class_bind_template_child (widget_class, VdMarkdownView, box);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
vd_markdown_view_init (VdMarkdownView *self)
{
  static GdkDisplay *styled_display;
  GdkDisplay *display;

  gtk_widget_init_template (GTK_WIDGET (self));

  display = gtk_widget_get_display (GTK_WIDGET (self));
  if (display != NULL && display != styled_display)
    {
      g_autoptr(GtkCssProvider) provider = gtk_css_provider_new ();

      gtk_css_provider_load_from_resource (provider,
                                           "/io/github/verdict/Verdict/vd-markdown-view.css");
      gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                                  GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
      styled_display = display;
    }
}
