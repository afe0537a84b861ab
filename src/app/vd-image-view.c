/* vd-image-view.c
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

#define G_LOG_DOMAIN "vd-image-view"

#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gi18n.h>
#include <errno.h>
#include <math.h>
#include <string.h>

#include "vd-app-enums.h"
#include "vd-image-probe.h"
#include "vd-image-view.h"
#include "vd-zoom-paintable.h"

/* Zoom steps and bounds, as factors on the image's own pixels. */
#define ZOOM_STEP 1.25
#define ZOOM_MIN  0.1
#define ZOOM_MAX  8.0

/* Fitted, the image is at most this tall (the frame's largest height). */
#define FIT_HEIGHT 480

/**
 * VdImageView:
 *
 * Shows one attachment given as bytes with a media type and a name.
 *
 * An image (PNG, JPEG, GIF's first frame, WebP where gdk-pixbuf has a
 * loader) is probed first (vd-image-probe.h): over the limits it is a
 * placeholder ("Image too large to show: 60000 × 60000") and nothing is
 * decoded. Otherwise it is decoded in a thread (a GTask that the next
 * attachment or dispose cancels) and shown whole, fitted to the width and
 * 480 pixels of height, never beyond its own size; the zoom buttons, and Ctrl+plus, Ctrl+minus and
 * Ctrl+0 while the view has the focus, zoom it in a scrolled frame. A
 * damaged or mislabelled image, or one without a decoder here, is a
 * placeholder that says so.
 *
 * A PDF or a video is a row with its name, type and size and an Open
 * button that opens it with the system's viewer through
 * gtk_show_uri_full(), which in a Flatpak goes through the OpenURI portal
 * and hands it the file descriptor: the file needs no permission of its
 * own. The file opened is the one given to vd_image_view_set_attachment(),
 * or else a copy of the bytes written (in a thread) to the user cache
 * folder, verdict/attachments/, named by its SHA-256.
 *
 * Below the picture: the name, then "1200 × 800 · 240.0 kB".
 */
struct _VdImageView
{
  GtkWidget parent_instance;

  GtkWidget         *box;
  GtkStack          *stack;
  GtkSpinner        *spinner;
  GtkScrolledWindow *scroller;
  GtkPicture        *picture;
  GtkImage          *message_icon;
  GtkLabel          *message_label;
  GtkLabel          *reason_label;
  GtkImage          *file_icon;
  GtkLabel          *file_name_label;
  GtkLabel          *file_type_label;
  GtkButton         *open_button;
  GtkWidget         *caption_box;
  GtkLabel          *name_label;
  GtkLabel          *details_label;
  GtkWidget         *zoom_box;
  GtkButton         *zoom_fit_button;

  GBytes       *bytes;
  char         *media_type;
  char         *name;
  GFile        *file;
  GCancellable *cancellable;

  VdImageViewState state;
  VdImageInfo      info;
  char            *message;
  char            *details;
  GdkTexture      *texture;
  VdZoomPaintable *zoomed;
  /* 0 fits the width. */
  double zoom;
  guint  refit_source;
};

G_DEFINE_FINAL_TYPE (VdImageView, vd_image_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_STATE,
  PROP_ZOOM,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
vd_image_view_set_state (VdImageView      *self,
                         VdImageViewState  state)
{
  static const char *pages[] = {
    [VD_IMAGE_VIEW_EMPTY] = "empty",
    [VD_IMAGE_VIEW_LOADING] = "loading",
    [VD_IMAGE_VIEW_IMAGE] = "image",
    [VD_IMAGE_VIEW_TOO_LARGE] = "message",
    [VD_IMAGE_VIEW_BROKEN] = "message",
    [VD_IMAGE_VIEW_UNSUPPORTED] = "message",
    [VD_IMAGE_VIEW_FILE] = "file",
  };
  gboolean image = state == VD_IMAGE_VIEW_IMAGE;

  gtk_stack_set_visible_child_name (self->stack, pages[state]);
  gtk_spinner_set_spinning (self->spinner, state == VD_IMAGE_VIEW_LOADING);
  gtk_widget_set_visible (self->zoom_box, image);
  gtk_widget_set_visible (self->caption_box,
                          state != VD_IMAGE_VIEW_EMPTY && state != VD_IMAGE_VIEW_FILE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "image.zoom-in", image);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "image.zoom-out", image);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "image.zoom-fit", image);

  if (self->state == state)
    return;

  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
vd_image_view_show_message (VdImageView      *self,
                            VdImageViewState  state,
                            const char       *icon_name,
                            const char       *message,
                            const char       *reason)
{
  g_free (self->message);
  self->message = g_strdup (message);
  gtk_image_set_from_icon_name (self->message_icon, icon_name);
  gtk_label_set_text (self->message_label, message);
  gtk_label_set_text (self->reason_label, reason != NULL ? reason : "");
  gtk_widget_set_visible (GTK_WIDGET (self->reason_label), reason != NULL && *reason != '\0');
  vd_image_view_set_state (self, state);
}

static void
vd_image_view_update_details (VdImageView *self)
{
  g_autofree char *size_text = g_format_size (self->bytes != NULL ?
                                              g_bytes_get_size (self->bytes) : 0);

  g_free (self->details);
  if (self->info.width > 0)
    /* Translators: an image's width × height in pixels, then its file size */
    self->details = g_strdup_printf (_("%u × %u · %s"), self->info.width, self->info.height,
                                     size_text);
  else
    self->details = g_steal_pointer (&size_text);

  gtk_label_set_text (self->details_label, self->details);
  gtk_label_set_text (self->name_label, self->name != NULL ? self->name : "");
}

/* The scale that shows the whole image in @width and FIT_HEIGHT, never
 * above its own size. */
static double
vd_image_view_fit_scale (VdImageView *self,
                         int          width)
{
  double scale = 1.0;

  if (self->texture == NULL || width <= 0)
    return 1.0;

  scale = MIN (scale, (double) width / gdk_texture_get_width (self->texture));
  scale = MIN (scale, (double) FIT_HEIGHT / gdk_texture_get_height (self->texture));
  return MAX (scale, 0.01);
}

static double
vd_image_view_effective_zoom (VdImageView *self)
{
  if (self->zoom > 0)
    return self->zoom;
  return vd_image_view_fit_scale (self, gtk_widget_get_width (GTK_WIDGET (self)));
}

static void
vd_image_view_apply_zoom (VdImageView *self)
{
  g_autofree char *label = NULL;
  gboolean fit = self->zoom <= 0;

  if (self->zoomed != NULL)
    vd_zoom_paintable_set_scale (self->zoomed, vd_image_view_effective_zoom (self));

  if (fit)
    label = g_strdup (C_("zoom", "Fit"));
  else
    /* Translators: a zoom level, e.g. "125 %" */
    label = g_strdup_printf (_("%d %%"), (int) round (self->zoom * 100));
  gtk_button_set_label (self->zoom_fit_button, label);
}

static gboolean
refit_cb (gpointer  data)
{
  VdImageView *self = data;

  self->refit_source = 0;
  vd_image_view_apply_zoom (self);
  return G_SOURCE_REMOVE;
}

static GtkSizeRequestMode
vd_image_view_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
vd_image_view_measure (GtkWidget      *widget,
                       GtkOrientation  orientation,
                       int             for_size,
                       int            *minimum,
                       int            *natural,
                       int            *minimum_baseline,
                       int            *natural_baseline)
{
  VdImageView *self = VD_IMAGE_VIEW (widget);

  gtk_widget_measure (self->box, orientation, for_size, minimum, natural,
                      minimum_baseline, natural_baseline);
}

/* Fitted, the scale follows the width: set after the allocation, since
 * the new scale changes the size asked for. */
static void
vd_image_view_size_allocate (GtkWidget *widget,
                             int        width,
                             int        height,
                             int        baseline)
{
  VdImageView *self = VD_IMAGE_VIEW (widget);

  gtk_widget_allocate (self->box, width, height, baseline, NULL);

  if (self->zoom <= 0 && self->zoomed != NULL && self->refit_source == 0 &&
      fabs (vd_zoom_paintable_get_scale (self->zoomed) -
            vd_image_view_fit_scale (self, width)) > 1e-6)
    self->refit_source = g_idle_add_full (G_PRIORITY_HIGH_IDLE, refit_cb, self, NULL);
}

/**
 * vd_image_view_set_zoom:
 * @self: an image view
 * @zoom: the scale on the image's pixels (1 is one image pixel a pixel),
 *   or 0 to fit the width
 *
 * Zooms the image shown; it is kept for the next image until fitted again.
 */
void
vd_image_view_set_zoom (VdImageView *self,
                        double       zoom)
{
  g_return_if_fail (VD_IS_IMAGE_VIEW (self));
  g_return_if_fail (zoom >= 0);

  if (zoom > 0)
    zoom = CLAMP (zoom, ZOOM_MIN, ZOOM_MAX);

  if (self->zoom == zoom)
    return;

  self->zoom = zoom;
  vd_image_view_apply_zoom (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
}

/**
 * vd_image_view_get_zoom:
 * @self: an image view
 *
 * Returns: the zoom set, 0 when the image is fitted to the width
 */
double
vd_image_view_get_zoom (VdImageView *self)
{
  g_return_val_if_fail (VD_IS_IMAGE_VIEW (self), 0);

  return self->zoom;
}

void
vd_image_view_zoom_in (VdImageView *self)
{
  g_return_if_fail (VD_IS_IMAGE_VIEW (self));

  vd_image_view_set_zoom (self, vd_image_view_effective_zoom (self) * ZOOM_STEP);
}

void
vd_image_view_zoom_out (VdImageView *self)
{
  g_return_if_fail (VD_IS_IMAGE_VIEW (self));

  vd_image_view_set_zoom (self, vd_image_view_effective_zoom (self) / ZOOM_STEP);
}

void
vd_image_view_zoom_to_fit (VdImageView *self)
{
  g_return_if_fail (VD_IS_IMAGE_VIEW (self));

  vd_image_view_set_zoom (self, 0);
}

static void
zoom_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  VdImageView *self = VD_IMAGE_VIEW (widget);

  if (g_str_equal (action_name, "image.zoom-in"))
    vd_image_view_zoom_in (self);
  else if (g_str_equal (action_name, "image.zoom-out"))
    vd_image_view_zoom_out (self);
  else
    vd_image_view_zoom_to_fit (self);
}

static void
decode_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  GBytes *bytes = task_data;
  GdkTexture *texture;
  GError *error = NULL;

  /* gdk_texture_new_from_bytes() is thread-safe: PNG and JPEG by GTK's own
   * loaders, GIF (its first frame) and WebP through gdk-pixbuf. */
  texture = gdk_texture_new_from_bytes (bytes, &error);
  if (texture == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, texture, g_object_unref);
}

static void
decode_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  VdImageView *self = VD_IMAGE_VIEW (object);
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;

  texture = g_task_propagate_pointer (G_TASK (result), &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (texture == NULL)
    {
      if (g_error_matches (error, GDK_TEXTURE_ERROR, GDK_TEXTURE_ERROR_UNSUPPORTED_FORMAT) ||
          g_error_matches (error, GDK_PIXBUF_ERROR, GDK_PIXBUF_ERROR_UNKNOWN_TYPE) ||
          g_error_matches (error, GDK_PIXBUF_ERROR, GDK_PIXBUF_ERROR_UNSUPPORTED_OPERATION))
        {
          g_autofree char *message = NULL;

          /* Translators: %s is an image format, e.g. "WebP" */
          message = g_strdup_printf (_("No decoder for %s images on this system"),
                                     vd_image_format_get_name (self->info.format));
          vd_image_view_show_message (self, VD_IMAGE_VIEW_UNSUPPORTED, "image-missing-symbolic",
                                      message, _("Install the image loader for this format "
                                                 "to see it here."));
        }
      else
        {
          vd_image_view_show_message (self, VD_IMAGE_VIEW_BROKEN, "image-missing-symbolic",
                                      _("This image is damaged and cannot be shown"),
                                      error->message);
        }
      return;
    }

  g_set_object (&self->texture, texture);
  g_clear_object (&self->zoomed);
  self->zoomed = vd_zoom_paintable_new (GDK_PAINTABLE (texture));
  vd_image_view_apply_zoom (self);
  gtk_picture_set_paintable (self->picture, GDK_PAINTABLE (self->zoomed));
  g_free (self->message);
  self->message = NULL;
  vd_image_view_set_state (self, VD_IMAGE_VIEW_IMAGE);
}

static void
vd_image_view_show_file (VdImageView *self)
{
  g_autofree char *content_type = NULL;
  g_autofree char *description = NULL;
  g_autofree char *size_text = g_format_size (g_bytes_get_size (self->bytes));
  g_autofree char *type_text = NULL;
  g_autoptr(GIcon) icon = NULL;
  gboolean openable;

  openable = g_ascii_strncasecmp (self->media_type, "video/", 6) == 0 ||
    vd_image_format_from_media_type (self->media_type) == VD_IMAGE_FORMAT_PDF;

  content_type = g_content_type_from_mime_type (self->media_type);
  if (content_type != NULL)
    {
      description = g_content_type_get_description (content_type);
      icon = g_content_type_get_symbolic_icon (content_type);
    }
  if (description == NULL)
    description = g_strdup (self->media_type);

  if (openable)
    /* Translators: a file's type, then its size, e.g. "PDF document · 1.2 MB" */
    type_text = g_strdup_printf (_("%s · %s"), description, size_text);
  else
    /* Translators: a file's type, then its size, e.g. "ZIP archive · 1.2 MB" */
    type_text = g_strdup_printf (_("%s · %s · no preview"), description, size_text);

  if (icon != NULL)
    gtk_image_set_from_gicon (self->file_icon, icon);
  else
    gtk_image_set_from_icon_name (self->file_icon, "text-x-generic-symbolic");
  gtk_label_set_text (self->file_name_label, self->name != NULL ? self->name : "");
  gtk_label_set_text (self->file_type_label, type_text);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->file_type_label), NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->open_button), openable);
  gtk_widget_set_sensitive (GTK_WIDGET (self->open_button), TRUE);

  g_free (self->details);
  self->details = g_steal_pointer (&type_text);
  vd_image_view_set_state (self, VD_IMAGE_VIEW_FILE);
}

static void
vd_image_view_reset (VdImageView *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->bytes, g_bytes_unref);
  g_clear_pointer (&self->media_type, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->message, g_free);
  g_clear_pointer (&self->details, g_free);
  g_clear_object (&self->file);
  g_clear_object (&self->texture);
  g_clear_object (&self->zoomed);
  gtk_picture_set_paintable (self->picture, NULL);
  memset (&self->info, 0, sizeof self->info);
}

/**
 * vd_image_view_set_attachment:
 * @self: an image view
 * @bytes: the attachment's contents
 * @media_type: its media type as the queue gave it, e.g. "image/png"
 * @name: (nullable): its name, shown as plain text
 * @file: (nullable): where the same bytes are kept on disk, opened by the
 *   Open button of a PDF or a video; without it, a copy is written to the
 *   cache when the button is pressed
 *
 * Shows an attachment, replacing (and cancelling the decoding of) the one
 * before. An image is probed at once (a header: no I/O) and decoded in a
 * thread; #VdImageView:state says when it is shown.
 */
void
vd_image_view_set_attachment (VdImageView *self,
                              GBytes      *bytes,
                              const char  *media_type,
                              const char  *name,
                              GFile       *file)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) task = NULL;
  VdImageFormat declared;
  gboolean header_ok;
  gsize size;
  const guint8 *data;

  g_return_if_fail (VD_IS_IMAGE_VIEW (self));
  g_return_if_fail (bytes != NULL);
  g_return_if_fail (media_type != NULL);
  g_return_if_fail (file == NULL || G_IS_FILE (file));

  vd_image_view_reset (self);
  self->bytes = g_bytes_ref (bytes);
  self->media_type = g_strdup (media_type);
  self->name = g_strdup (name);
  g_set_object (&self->file, file);

  data = g_bytes_get_data (bytes, &size);
  declared = vd_image_format_from_media_type (media_type);

  if (!vd_image_format_is_image (declared))
    {
      /* A PDF must be one before it is handed to a viewer. */
      if (declared == VD_IMAGE_FORMAT_PDF &&
          vd_image_probe_format (data, size) != VD_IMAGE_FORMAT_PDF)
        {
          vd_image_view_update_details (self);
          vd_image_view_show_message (self, VD_IMAGE_VIEW_BROKEN, "x-office-document-symbolic",
                                      _("This file is not a PDF document"),
                                      _("Its contents do not match its type, application/pdf."));
          return;
        }
      vd_image_view_show_file (self);
      return;
    }

  header_ok = vd_image_probe (data, size, &self->info, &error);
  if (!header_ok || !vd_image_probe_check_file_size (&self->info, size, &error))
    {
      vd_image_view_update_details (self);
      if (g_error_matches (error, VD_IMAGE_PROBE_ERROR, VD_IMAGE_PROBE_ERROR_TOO_LARGE))
        {
          g_autofree char *message = NULL;

          /* Too many pixels, or else too many bytes. */
          if (!header_ok)
            /* Translators: an image's width × height in pixels */
            message = g_strdup_printf (_("Image too large to show: %u × %u"),
                                       self->info.width, self->info.height);
          else
            message = g_strdup (_("Image file too large to show"));
          vd_image_view_show_message (self, VD_IMAGE_VIEW_TOO_LARGE, "image-x-generic-symbolic",
                                      message, error->message);
        }
      else
        {
          vd_image_view_show_message (self, VD_IMAGE_VIEW_BROKEN, "image-missing-symbolic",
                                      _("This image is damaged and cannot be shown"),
                                      error->message);
        }
      return;
    }

  if (self->info.format != declared)
    {
      g_autofree char *reason = NULL;

      vd_image_view_update_details (self);
      /* Translators: a media type, e.g. "image/png", then an image format, e.g. "JPEG" */
      reason = g_strdup_printf (_("It is labelled %s but holds a %s image."),
                                media_type, vd_image_format_get_name (self->info.format));
      vd_image_view_show_message (self, VD_IMAGE_VIEW_BROKEN, "image-missing-symbolic",
                                  _("This image is not what its type says"), reason);
      return;
    }

  vd_image_view_update_details (self);
  vd_image_view_set_state (self, VD_IMAGE_VIEW_LOADING);

  self->cancellable = g_cancellable_new ();
  task = g_task_new (self, self->cancellable, decode_done_cb, NULL);
  g_task_set_source_tag (task, vd_image_view_set_attachment);
  g_task_set_task_data (task, g_bytes_ref (bytes), (GDestroyNotify) g_bytes_unref);
  g_task_run_in_thread (task, decode_thread);
}

/**
 * vd_image_view_clear:
 * @self: an image view
 *
 * Shows nothing, and cancels a decoding under way.
 */
void
vd_image_view_clear (VdImageView *self)
{
  g_return_if_fail (VD_IS_IMAGE_VIEW (self));

  vd_image_view_reset (self);
  vd_image_view_set_state (self, VD_IMAGE_VIEW_EMPTY);
}

/* Opening. */

static void
show_uri_done_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(VdImageView) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!gtk_show_uri_full_finish (GTK_WINDOW (object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autofree char *text = NULL;

      /* Translators: %s says why, from the system */
      text = g_strdup_printf (_("Could not open it: %s"), error->message);
      gtk_label_set_text (self->file_type_label, text);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->file_type_label), text);
    }
  gtk_widget_set_sensitive (GTK_WIDGET (self->open_button), TRUE);
}

static void
vd_image_view_launch (VdImageView *self,
                      GFile       *file)
{
  g_autofree char *uri = g_file_get_uri (file);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  gtk_show_uri_full (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, uri, GDK_CURRENT_TIME,
                     self->cancellable, show_uri_done_cb, g_object_ref (self));
}

static void
write_copy_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  GBytes *bytes = g_object_get_data (G_OBJECT (task), "bytes");
  const char *extension = task_data;
  g_autofree char *checksum = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
  g_autofree char *folder = g_build_filename (g_get_user_cache_dir (), "verdict", "attachments",
                                              NULL);
  g_autofree char *basename = g_strconcat (checksum, extension, NULL);
  g_autofree char *path = g_build_filename (folder, basename, NULL);
  GError *error = NULL;

  if (g_mkdir_with_parents (folder, 0700) != 0)
    {
      int saved_errno = errno;

      g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                               "%s: %s", folder, g_strerror (saved_errno));
      return;
    }

  if (!g_file_test (path, G_FILE_TEST_EXISTS) &&
      !g_file_set_contents_full (path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_pointer (task, g_file_new_for_path (path), g_object_unref);
}

static void
write_copy_done_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  VdImageView *self = VD_IMAGE_VIEW (object);
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;

  file = g_task_propagate_pointer (G_TASK (result), &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (file == NULL)
    {
      g_autofree char *text = NULL;

      text = g_strdup_printf (_("Could not open it: %s"), error->message);
      gtk_label_set_text (self->file_type_label, text);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->file_type_label), text);
      gtk_widget_set_sensitive (GTK_WIDGET (self->open_button), TRUE);
      return;
    }

  vd_image_view_launch (self, file);
}

static const char *
extension_for (const char *media_type)
{
  g_autofree char *lower = g_ascii_strdown (media_type, -1);

  if (vd_image_format_from_media_type (media_type) == VD_IMAGE_FORMAT_PDF)
    return ".pdf";
  if (g_str_has_prefix (lower, "video/mp4"))
    return ".mp4";
  if (g_str_has_prefix (lower, "video/webm"))
    return ".webm";
  if (g_str_has_prefix (lower, "video/ogg"))
    return ".ogv";
  if (g_str_has_prefix (lower, "video/quicktime"))
    return ".mov";
  return "";
}

static void
open_clicked_cb (VdImageView *self)
{
  g_autoptr(GTask) task = NULL;

  if (self->bytes == NULL)
    return;

  gtk_widget_set_sensitive (GTK_WIDGET (self->open_button), FALSE);

  if (self->cancellable == NULL)
    self->cancellable = g_cancellable_new ();

  if (self->file != NULL)
    {
      vd_image_view_launch (self, self->file);
      return;
    }

  task = g_task_new (self, self->cancellable, write_copy_done_cb, NULL);
  g_task_set_source_tag (task, open_clicked_cb);
  g_task_set_task_data (task, (gpointer) extension_for (self->media_type), NULL);
  g_object_set_data_full (G_OBJECT (task), "bytes", g_bytes_ref (self->bytes),
                          (GDestroyNotify) g_bytes_unref);
  g_task_run_in_thread (task, write_copy_thread);
}

/* Getters. */

/**
 * vd_image_view_get_state:
 * @self: an image view
 *
 * Returns: what the view shows
 */
VdImageViewState
vd_image_view_get_state (VdImageView *self)
{
  g_return_val_if_fail (VD_IS_IMAGE_VIEW (self), VD_IMAGE_VIEW_EMPTY);

  return self->state;
}

/**
 * vd_image_view_get_message:
 * @self: an image view
 *
 * Returns: (nullable): the placeholder's headline ("Image too large to
 *   show: 60000 × 60000"), %NULL unless a placeholder is shown
 */
const char *
vd_image_view_get_message (VdImageView *self)
{
  g_return_val_if_fail (VD_IS_IMAGE_VIEW (self), NULL);

  return self->message;
}

/**
 * vd_image_view_get_details:
 * @self: an image view
 *
 * Returns: (nullable): the size line ("1200 × 800 · 240.0 kB"), or for a
 *   file its type and size
 */
const char *
vd_image_view_get_details (VdImageView *self)
{
  g_return_val_if_fail (VD_IS_IMAGE_VIEW (self), NULL);

  return self->details;
}

/**
 * vd_image_view_get_texture:
 * @self: an image view
 *
 * Returns: (nullable) (transfer none): the decoded image, once shown
 */
GdkTexture *
vd_image_view_get_texture (VdImageView *self)
{
  g_return_val_if_fail (VD_IS_IMAGE_VIEW (self), NULL);

  return self->texture;
}

/* GObject. */

static void
vd_image_view_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  VdImageView *self = VD_IMAGE_VIEW (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;

    case PROP_ZOOM:
      g_value_set_double (value, self->zoom);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vd_image_view_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  VdImageView *self = VD_IMAGE_VIEW (object);

  switch (prop_id)
    {
    case PROP_ZOOM:
      vd_image_view_set_zoom (self, g_value_get_double (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vd_image_view_dispose (GObject *object)
{
  VdImageView *self = VD_IMAGE_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->refit_source, g_source_remove);
  g_clear_object (&self->texture);
  g_clear_object (&self->zoomed);
  g_clear_object (&self->file);
  g_clear_pointer (&self->bytes, g_bytes_unref);

  gtk_widget_dispose_template (GTK_WIDGET (self), VD_TYPE_IMAGE_VIEW);

  G_OBJECT_CLASS (vd_image_view_parent_class)->dispose (object);
}

static void
vd_image_view_finalize (GObject *object)
{
  VdImageView *self = VD_IMAGE_VIEW (object);

  g_free (self->media_type);
  g_free (self->name);
  g_free (self->message);
  g_free (self->details);

  G_OBJECT_CLASS (vd_image_view_parent_class)->finalize (object);
}

static void
vd_image_view_class_init (VdImageViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = vd_image_view_get_property;
  object_class->set_property = vd_image_view_set_property;
  object_class->dispose = vd_image_view_dispose;
  object_class->finalize = vd_image_view_finalize;

  widget_class->get_request_mode = vd_image_view_get_request_mode;
  widget_class->measure = vd_image_view_measure;
  widget_class->size_allocate = vd_image_view_size_allocate;

  /**
   * VdImageView:state:
   *
   * What the view shows; changes to %VD_IMAGE_VIEW_IMAGE (or a
   * placeholder) when the decoding thread is done.
   */
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL,
                       VD_TYPE_IMAGE_VIEW_STATE, VD_IMAGE_VIEW_EMPTY,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * VdImageView:zoom:
   *
   * The scale on the image's pixels, 0 to fit the width.
   */
  properties[PROP_ZOOM] =
    g_param_spec_double ("zoom", NULL, NULL,
                         0, ZOOM_MAX, 0,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/verdict/Verdict/vd-image-view.ui");
  gtk_widget_class_bind_template_child (widget_class, VdImageView, box);
  gtk_widget_class_bind_template_child (widget_class, VdImageView, stack);
  gtk_widget_class_bind_template_child (widget_class, VdImageView, spinner);
  gtk_widget_class_bind_template_child (widget_class, VdImageView, scroller);
  gtk_widget_class_bind_template_child (widget_class, VdImageView, picture);
  gtk_widget_class_bind_template_child (widget_class, VdImageView, message_icon);
  gtk_widget_class_bind_template_child (widget_class, VdImageView, message_label);
  gtk_widget_class_bind_template_child (widget_class, VdImageView, reason_label);
  gtk_widget_class_bind_template_child (widget_class, VdImageView, file_icon);
  gtk_widget_class_bind_template_child (widget_class, VdImageView, file_name_label);
  gtk_widget_class_bind_template_child (widget_class, VdImageView, file_type_label);
  gtk_widget_class_bind_template_child (widget_class, VdImageView, open_button);
  gtk_widget_class_bind_template_child (widget_class, VdImageView, caption_box);
  gtk_widget_class_bind_template_child (widget_class, VdImageView, name_label);
  gtk_widget_class_bind_template_child (widget_class, VdImageView, details_label);
  gtk_widget_class_bind_template_child (widget_class, VdImageView, zoom_box);
  gtk_widget_class_bind_template_child (widget_class, VdImageView, zoom_fit_button);
  gtk_widget_class_bind_template_callback (widget_class, open_clicked_cb);

  gtk_widget_class_install_action (widget_class, "image.zoom-in", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "image.zoom-out", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "image.zoom-fit", NULL, zoom_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, GDK_CONTROL_MASK,
                                       "image.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, GDK_CONTROL_MASK,
                                       "image.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Add, GDK_CONTROL_MASK,
                                       "image.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, GDK_CONTROL_MASK,
                                       "image.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Subtract, GDK_CONTROL_MASK,
                                       "image.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, GDK_CONTROL_MASK,
                                       "image.zoom-fit", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_0, GDK_CONTROL_MASK,
                                       "image.zoom-fit", NULL);

  gtk_widget_class_set_css_name (widget_class, "vdimageview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);

  g_type_ensure (VD_TYPE_ZOOM_PAINTABLE);
}

static void
vd_image_view_init (VdImageView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  vd_image_view_apply_zoom (self);
  vd_image_view_set_state (self, VD_IMAGE_VIEW_EMPTY);
}

/**
 * vd_image_view_new:
 *
 * Returns: (transfer full): a new, empty image view
 */
GtkWidget *
vd_image_view_new (void)
{
  return g_object_new (VD_TYPE_IMAGE_VIEW, NULL);
}
