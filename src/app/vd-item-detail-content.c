/* vd-item-detail-content.c
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

/* The item pane's texts by content type (Markdown, code and diffs, JSON)
 * and its Attachments section: images read from the store in a thread,
 * other files with an Open row, links shown and opened only after a
 * confirmation. */

#define G_LOG_DOMAIN "vd-item-detail"

#include "config.h"

#include <glib/gi18n.h>

#include "vd-code-view.h"
#include "vd-image-view.h"
#include "vd-item-detail-private.h"
#include "vd-json-view.h"
#include "vd-markdown-view.h"
#include "vd-text.h"

/* The height a rich output takes at most in the pane, so that its
 * beginning and the decision bar stay in view at the default size. */
#define OUTPUT_MAX_HEIGHT 260

/* The same for the task and the context, below the output. */
#define INPUT_MAX_HEIGHT 200

static gboolean
content_type_is_code (const char *content_type)
{
  return g_strcmp0 (content_type, "text/x-diff") == 0 ||
         (content_type != NULL && g_str_has_prefix (content_type, "text/x-"));
}

/* A view for @text of @content_type, capped at @max_height, or %NULL when
 * the plain text shows it (text/plain, or JSON that does not parse). */
static GtkWidget *
rich_view_new (const char *text,
               const char *content_type,
               int         max_height,
               const char *description)
{
  GtkWidget *view = NULL;
  GtkWidget *scrolled;

  if (text == NULL || content_type == NULL || g_str_equal (content_type, "text/plain"))
    return NULL;

  if (content_type_is_code (content_type))
    {
      view = vd_code_view_new ();
      vd_code_view_set_text (VD_CODE_VIEW (view), text, content_type);
      vd_code_view_set_max_content_height (VD_CODE_VIEW (view), max_height);
      _vd_item_detail_set_description (view, description);
      return view;
    }

  if (g_str_equal (content_type, "text/markdown"))
    {
      view = vd_markdown_view_new ();
      vd_markdown_view_set_markdown (VD_MARKDOWN_VIEW (view), text);
    }
  else if (g_str_equal (content_type, "application/json"))
    {
      g_autoptr(GError) error = NULL;

      view = vd_json_view_new ();
      if (!vd_json_view_set_text (VD_JSON_VIEW (view), text, &error))
        {
          /* Not JSON after all: the plain text shows it as it is. */
          g_debug ("JSON output does not parse: %s", error->message);
          g_object_ref_sink (view);
          g_object_unref (view);
          return NULL;
        }
    }
  else
    {
      return NULL;
    }

  _vd_item_detail_set_description (view, description);

  scrolled = gtk_scrolled_window_new ();
  /* The width is the pane's: the view wraps to it, and its height for
   * that width is what the scroller takes, up to the cap. */
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled),
                                  GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), max_height);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), view);

  return scrolled;
}

static void
slot_clear (GtkWidget *slot)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (slot)) != NULL)
    gtk_box_remove (GTK_BOX (slot), child);
  gtk_widget_set_visible (slot, FALSE);
}

/* Shows @text in @slot when its content type has a view, hiding @plain;
 * otherwise shows @plain. */
static void
slot_update (GtkWidget        *slot,
             VdExpandableText *plain,
             const char       *text,
             const char       *content_type,
             int               max_height,
             const char       *description)
{
  GtkWidget *view;

  slot_clear (slot);
  view = rich_view_new (text, content_type, max_height, description);
  if (view != NULL)
    gtk_box_append (GTK_BOX (slot), view);
  gtk_widget_set_visible (slot, view != NULL);
  gtk_widget_set_visible (GTK_WIDGET (plain), view == NULL);
}

static GtkWidget *
slot_new_after (GtkWidget *sibling)
{
  GtkWidget *parent = gtk_widget_get_parent (sibling);
  GtkWidget *slot = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  gtk_widget_set_visible (slot, FALSE);
  gtk_box_insert_child_after (GTK_BOX (parent), slot, sibling);

  return slot;
}

/* Links */

static void
link_response_cb (AdwMessageDialog *dialog,
                  const char       *response,
                  gpointer          user_data)
{
  const char *uri = g_object_get_data (G_OBJECT (dialog), "vd-uri");
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (dialog));

  if (g_strcmp0 (response, "open") == 0 && uri != NULL)
    gtk_show_uri (parent, uri, GDK_CURRENT_TIME);
}

static void
link_open_clicked_cb (GtkButton *button,
                      gpointer   user_data)
{
  const char *uri = g_object_get_data (G_OBJECT (button), "vd-uri");
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (button));
  AdwMessageDialog *dialog;

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
  g_signal_connect (dialog, "response", G_CALLBACK (link_response_cb), NULL);
  gtk_window_present (GTK_WINDOW (dialog));
}

static GtkWidget *
link_row_new (VdAttachment *attachment)
{
  const char *url = vd_attachment_get_url (attachment);
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *labels = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  GtkWidget *name = _vd_item_detail_data_label_new (vd_attachment_get_name (attachment),
                                                    _("Attachment name"));
  GtkWidget *address = _vd_item_detail_data_label_new (url, _("Link address"));
  GtkWidget *button = gtk_button_new_with_mnemonic (_("_Open…"));

  gtk_widget_add_css_class (name, "heading");
  gtk_widget_add_css_class (address, "caption");
  gtk_widget_add_css_class (address, "dim-label");
  gtk_widget_set_hexpand (labels, TRUE);
  gtk_box_append (GTK_BOX (labels), name);
  gtk_box_append (GTK_BOX (labels), address);
  gtk_box_append (GTK_BOX (row), gtk_image_new_from_icon_name ("web-browser-symbolic"));
  gtk_box_append (GTK_BOX (row), labels);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, _("Open the link after confirming its address; it is "
                                         "not fetched before"));
  g_object_set_data_full (G_OBJECT (button), "vd-uri", g_strdup (url), g_free);
  g_signal_connect (button, "clicked", G_CALLBACK (link_open_clicked_cb), NULL);
  gtk_box_append (GTK_BOX (row), button);

  gtk_widget_add_css_class (row, "card");
  gtk_widget_add_css_class (row, "detail-card");
  gtk_widget_set_name (row, "attachment-link");

  return row;
}

/* Stored attachments */

typedef struct
{
  VdImageView  *view;
  VdAttachment *attachment;
} LoadData;

static void
load_data_free (LoadData *data)
{
  g_clear_object (&data->view);
  g_clear_object (&data->attachment);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LoadData, load_data_free)

static void
read_attachment_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(LoadData) data = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  VdAttachment *attachment = data->attachment;

  bytes = vd_store_read_attachment_finish (VD_STORE (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (bytes == NULL)
    {
      /* Shown as a broken file with the reason, never a crash. */
      g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);

      g_warning ("Could not read the attachment “%s”: %s",
                 vd_attachment_get_name (attachment), error->message);
      vd_image_view_set_attachment (data->view, empty,
                                    vd_attachment_get_media_type (attachment),
                                    vd_attachment_get_name (attachment), NULL);
      return;
    }

  vd_image_view_set_attachment (data->view, bytes,
                                vd_attachment_get_media_type (attachment),
                                vd_attachment_get_name (attachment), NULL);
}

static GtkWidget *
stored_view_new (VdItemDetail *self,
                 VdAttachment *attachment)
{
  GtkWidget *view = vd_image_view_new ();
  GBytes *inline_bytes = vd_attachment_get_bytes (attachment);
  const char *sha256 = vd_attachment_get_sha256 (attachment);

  gtk_widget_set_name (view, "attachment-view");

  if (inline_bytes != NULL)
    {
      vd_image_view_set_attachment (VD_IMAGE_VIEW (view), inline_bytes,
                                    vd_attachment_get_media_type (attachment),
                                    vd_attachment_get_name (attachment), NULL);
    }
  else if (self->store != NULL && sha256 != NULL)
    {
      LoadData *data = g_new0 (LoadData, 1);

      data->view = g_object_ref (VD_IMAGE_VIEW (view));
      data->attachment = g_object_ref (attachment);
      self->n_attachment_loads++;
      vd_store_read_attachment_async (self->store, sha256, self->attachments_cancellable,
                                      read_attachment_cb, data);
    }

  return view;
}

void
_vd_item_detail_clear_content (VdItemDetail *self)
{
  g_cancellable_cancel (self->attachments_cancellable);
  g_clear_object (&self->attachments_cancellable);
}

static void
vd_item_detail_update_attachments (VdItemDetail *self)
{
  GPtrArray *attachments = vd_item_get_attachments (self->item);
  GtkWidget *child;

  _vd_item_detail_clear_content (self);
  while ((child = gtk_widget_get_first_child (self->attachments_box)) != NULL)
    gtk_box_remove (GTK_BOX (self->attachments_box), child);

  gtk_widget_set_visible (self->attachments_section,
                          attachments != NULL && attachments->len > 0);
  if (attachments == NULL || attachments->len == 0)
    return;

  self->attachments_cancellable = g_cancellable_new ();
  for (guint i = 0; i < attachments->len; i++)
    {
      VdAttachment *attachment = g_ptr_array_index (attachments, i);

      if (vd_attachment_is_link (attachment))
        gtk_box_append (GTK_BOX (self->attachments_box), link_row_new (attachment));
      else
        gtk_box_append (GTK_BOX (self->attachments_box), stored_view_new (self, attachment));
    }
}

/* The attachments shown, by their names and hashes, to tell whether they
 * changed with the item. */
static char *
attachments_key (VdItem *item)
{
  GPtrArray *attachments = vd_item_get_attachments (item);
  GString *key = g_string_new (NULL);

  for (guint i = 0; attachments != NULL && i < attachments->len; i++)
    {
      VdAttachment *attachment = g_ptr_array_index (attachments, i);

      g_string_append_printf (key, "%s\n%s\n%s\n%s\n",
                              vd_attachment_get_name (attachment),
                              vd_attachment_get_media_type (attachment),
                              vd_attachment_get_sha256 (attachment) ? vd_attachment_get_sha256 (attachment) : "",
                              vd_attachment_get_url (attachment) ? vd_attachment_get_url (attachment) : "");
    }

  return g_string_free (key, FALSE);
}

void
_vd_item_detail_update_content (VdItemDetail *self)
{
  g_autofree char *key = NULL;
  const char *old_key;

  slot_update (self->content_slot, self->content_text,
               vd_item_get_content (self->item),
               vd_item_get_output_content_type (self->item),
               OUTPUT_MAX_HEIGHT, _("Agent output"));
  slot_update (self->description_slot, self->description_text,
               vd_item_get_task_description (self->item),
               vd_item_get_task_content_type (self->item),
               INPUT_MAX_HEIGHT, _("Task description"));
  slot_update (self->context_slot, self->context_text,
               vd_item_get_context (self->item),
               vd_item_get_context_content_type (self->item),
               INPUT_MAX_HEIGHT, _("Context"));

  /* An image is read again only when the attachments change, not on every
   * change of the item. */
  key = attachments_key (self->item);
  old_key = g_object_get_data (G_OBJECT (self->attachments_box), "vd-key");
  if (old_key == NULL || !g_str_equal (old_key, key) ||
      g_object_get_data (G_OBJECT (self->attachments_box), "vd-item") != self->item)
    {
      vd_item_detail_update_attachments (self);
      g_object_set_data_full (G_OBJECT (self->attachments_box), "vd-key",
                              g_steal_pointer (&key), g_free);
      g_object_set_data (G_OBJECT (self->attachments_box), "vd-item", self->item);
    }
}

void
_vd_item_detail_init_content (VdItemDetail *self)
{
  GtkWidget *heading;
  GtkWidget *parent;

  self->content_slot = slot_new_after (GTK_WIDGET (self->content_text));
  self->description_slot = slot_new_after (GTK_WIDGET (self->description_text));
  self->context_slot = slot_new_after (GTK_WIDGET (self->context_text));

  /* Right after the output: what comes with it. */
  self->attachments_section = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  heading = gtk_label_new (_("Attachments"));
  gtk_label_set_xalign (GTK_LABEL (heading), 0.0);
  gtk_widget_add_css_class (heading, "heading");
  gtk_box_append (GTK_BOX (self->attachments_section), heading);
  self->attachments_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_box_append (GTK_BOX (self->attachments_section), self->attachments_box);
  gtk_widget_set_visible (self->attachments_section, FALSE);

  parent = gtk_widget_get_parent (self->output_section);
  gtk_box_insert_child_after (GTK_BOX (parent), self->attachments_section, self->output_section);
}

/* Internal state, for the tests */

GtkWidget *
_vd_item_detail_get_rich_output (VdItemDetail *self)
{
  GtkWidget *child = gtk_widget_get_first_child (self->content_slot);

  if (child == NULL || !gtk_widget_get_visible (self->content_slot))
    return NULL;
  if (GTK_IS_SCROLLED_WINDOW (child))
    child = gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (child));
  if (GTK_IS_VIEWPORT (child))
    child = gtk_viewport_get_child (GTK_VIEWPORT (child));

  return child;
}

GtkWidget *
_vd_item_detail_get_attachments (VdItemDetail *self)
{
  return self->attachments_box;
}

guint
_vd_item_detail_get_n_attachment_loads (VdItemDetail *self)
{
  return self->n_attachment_loads;
}
