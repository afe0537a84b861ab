/* test-image-view.c
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

#define G_LOG_DOMAIN "test-image-view"

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "vd-image-probe.h"
#include "vd-image-view.h"
#include "vd-test-gui.h"

/* The item pane's width in the window at its default size. */
#define PANE_WIDTH 550

typedef struct
{
  GtkWindow   *window;
  VdImageView *view;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 12);
  gtk_widget_set_margin_bottom (box, 12);

  fixture->view = g_object_ref_sink (VD_IMAGE_VIEW (vd_image_view_new ()));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (fixture->view));

  fixture->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_title (fixture->window, "Verdict image view");
  gtk_window_set_default_size (fixture->window, PANE_WIDTH, 640);
  gtk_window_set_child (fixture->window, box);
  gtk_window_present (fixture->window);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  VdImageView *view = g_steal_pointer (&fixture->view);

  /* Freed once a decoding thread still running has come back. */
  g_object_add_weak_pointer (G_OBJECT (view), (gpointer *) &view);
  gtk_window_destroy (g_steal_pointer (&fixture->window));
  g_object_unref (view);
  WAIT_UNTIL (view == NULL);
}

static GBytes *
load_image (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "images", name, NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (contents, length);
}

/* A 1200 × 800 photo-like PNG, made here with gdk-pixbuf. */
static GBytes *
make_large_png (void)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 1200, 800);
  g_autoptr(GError) error = NULL;
  guint8 *pixels = gdk_pixbuf_get_pixels (pixbuf);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);
  char *buffer = NULL;
  gsize size = 0;

  for (int y = 0; y < 800; y++)
    for (int x = 0; x < 1200; x++)
      {
        guint8 *p = pixels + y * stride + x * 3;

        p[0] = 0x35 + (x * 0xb0) / 1200;
        p[1] = 0x84 - (y * 0x40) / 800;
        p[2] = ((x / 100 + y / 100) % 2) ? 0xe4 : 0x80;
      }

  gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "png", &error, NULL);
  g_assert_no_error (error);
  return g_bytes_new_take (buffer, size);
}

static void
after_paint_cb (GdkFrameClock *clock,
                guint         *n_frames)
{
  (*n_frames)++;
}

/* With VD_TEST_SCREENSHOT_DIR set, keeps a picture of the window as it is
 * painted now (NAME.png), to be looked at. */
static void
save_screenshot (Fixture    *fixture,
                 const char *name)
{
  const char *dir = g_getenv ("VD_TEST_SCREENSHOT_DIR");
  GtkWidget *widget = GTK_WIDGET (fixture->window);
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *basename = g_strconcat (name, ".png", NULL);
  g_autofree char *path = NULL;
  guint n_frames = 0;
  gulong handler;
  int width, height;

  if (dir == NULL)
    return;

  WAIT_UNTIL (gtk_widget_get_mapped (widget));
  handler = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &n_frames);
  WAIT_UNTIL ((gtk_widget_queue_draw (widget), n_frames >= 2));
  g_signal_handler_disconnect (clock, handler);

  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  /* A toplevel paints itself through its surface: its child is painted
   * here, on the window's background colour (libadwaita's light one). */
  paintable = gtk_widget_paintable_new (gtk_window_get_child (fixture->window));
  snapshot = gtk_snapshot_new ();
  gtk_snapshot_append_color (snapshot, &(GdkRGBA) { 0.98, 0.98, 0.98, 1 },
                             &GRAPHENE_RECT_INIT (0, 0, width, height));
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_to_node (snapshot);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (widget)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  path = g_build_filename (dir, basename, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
}

static void
test_image_png (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GBytes) bytes = load_image ("photo.png");
  g_autofree char *size_text = g_format_size (g_bytes_get_size (bytes));
  g_autofree char *expected = g_strdup_printf ("48 × 32 · %s", size_text);
  GdkTexture *texture;

  vd_image_view_set_attachment (fixture->view, bytes, "image/png", "reported-post.png", NULL);
  /* Decoded in a thread: the loading state first. */
  g_assert_cmpint (vd_image_view_get_state (fixture->view), ==, VD_IMAGE_VIEW_LOADING);
  WAIT_UNTIL (vd_image_view_get_state (fixture->view) == VD_IMAGE_VIEW_IMAGE);

  texture = vd_image_view_get_texture (fixture->view);
  g_assert_nonnull (texture);
  g_assert_cmpint (gdk_texture_get_width (texture), ==, 48);
  g_assert_cmpint (gdk_texture_get_height (texture), ==, 32);
  g_assert_cmpstr (vd_image_view_get_details (fixture->view), ==, expected);
  g_assert_null (vd_image_view_get_message (fixture->view));
  g_assert_nonnull (vd_test_find_label (GTK_WIDGET (fixture->view), expected));
  g_assert_nonnull (vd_test_find_label (GTK_WIDGET (fixture->view), "reported-post.png"));

  /* The next attachment drops the texture, and nothing else holds it. */
  g_object_add_weak_pointer (G_OBJECT (texture), (gpointer *) &texture);
  vd_image_view_clear (fixture->view);
  WAIT_UNTIL (texture == NULL);
}

/* A large image fits the pane's width, never wider; zoomed, it is shown at
 * that scale in a frame that scrolls. */
static void
test_image_fit_and_zoom (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GBytes) bytes = make_large_png ();
  g_autoptr(GPtrArray) pictures = NULL;
  GtkWidget *picture;

  vd_image_view_set_attachment (fixture->view, bytes, "image/png", "moderation-1.png", NULL);
  WAIT_UNTIL (vd_image_view_get_state (fixture->view) == VD_IMAGE_VIEW_IMAGE);
  g_assert_true (g_str_has_prefix (vd_image_view_get_details (fixture->view), "1200 × 800 · "));

  pictures = vd_test_find_widgets (GTK_WIDGET (fixture->view), GTK_TYPE_PICTURE);
  g_assert_cmpuint (pictures->len, ==, 1);
  picture = g_ptr_array_index (pictures, 0);

  /* Fitted: the pane's width less the margins, the height in proportion. */
  WAIT_UNTIL (gtk_widget_get_width (picture) > 0 &&
              gtk_widget_get_width (picture) <= PANE_WIDTH - 24);
  g_assert_cmpint (gtk_widget_get_width (picture), >=, PANE_WIDTH - 24 - 2);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (fixture->window)), ==, PANE_WIDTH);
  save_screenshot (fixture, "image-view-fit");

  g_assert_cmpfloat (vd_image_view_get_zoom (fixture->view), ==, 0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->view), "image.zoom-fit",
                                             NULL));
  vd_image_view_set_zoom (fixture->view, 1.0);
  WAIT_UNTIL (gtk_widget_get_width (picture) == 1200);
  g_assert_cmpint (gtk_widget_get_height (picture), ==, 800);
  /* The window keeps its width: the frame scrolls. */
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (fixture->window)), ==, PANE_WIDTH);
  save_screenshot (fixture, "image-view-100");

  /* Zoom out from 100 %, by the action the buttons and Ctrl+minus use. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->view), "image.zoom-out",
                                             NULL));
  g_assert_cmpfloat_with_epsilon (vd_image_view_get_zoom (fixture->view), 0.8, 1e-9);
  WAIT_UNTIL (gtk_widget_get_width (picture) == 960);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->view), "image.zoom-fit",
                                             NULL));
  g_assert_cmpfloat (vd_image_view_get_zoom (fixture->view), ==, 0);
  WAIT_UNTIL (gtk_widget_get_width (picture) <= PANE_WIDTH - 24);

  /* Zoom in from the fitted width: one step above what is shown. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->view), "image.zoom-in",
                                             NULL));
  g_assert_cmpfloat_with_epsilon (vd_image_view_get_zoom (fixture->view),
                                  (PANE_WIDTH - 24) / 1200.0 * 1.25, 0.01);
}

/* The keys work while the view has the focus. */
static void
test_image_zoom_keys (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GBytes) bytes = load_image ("photo.png");
  GtkEventController *controller = NULL;
  GListModel *controllers;

  vd_image_view_set_attachment (fixture->view, bytes, "image/png", "photo.png", NULL);
  WAIT_UNTIL (vd_image_view_get_state (fixture->view) == VD_IMAGE_VIEW_IMAGE);

  /* The class's shortcuts: Ctrl+plus, Ctrl+minus and Ctrl+0 are bound. */
  controllers = gtk_widget_observe_controllers (GTK_WIDGET (fixture->view));
  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) c = g_list_model_get_item (controllers, i);

      if (GTK_IS_SHORTCUT_CONTROLLER (c))
        controller = c;
    }
  g_assert_nonnull (controller);
  {
    const struct {
      guint       key;
      const char *action;
    } keys[] = {
      { GDK_KEY_plus, "image.zoom-in" },
      { GDK_KEY_minus, "image.zoom-out" },
      { GDK_KEY_0, "image.zoom-fit" },
    };

    for (guint k = 0; k < G_N_ELEMENTS (keys); k++)
      {
        gboolean found = FALSE;

        for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (controller)); i++)
          {
            g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller),
                                                                     i);
            g_autofree char *trigger = gtk_shortcut_trigger_to_string (
              gtk_shortcut_get_trigger (shortcut));
            g_autofree char *expected = gtk_accelerator_name (keys[k].key, GDK_CONTROL_MASK);
            GtkShortcutAction *action = gtk_shortcut_get_action (shortcut);

            if (g_str_equal (trigger, expected) && GTK_IS_NAMED_ACTION (action) &&
                g_str_equal (gtk_named_action_get_action_name (GTK_NAMED_ACTION (action)),
                             keys[k].action))
              found = TRUE;
          }
        g_assert_true (found);
      }
  }
  g_object_unref (controllers);

  /* 48 pixels shown at their size when fitted: in from there is 125 %. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->view), "image.zoom-in",
                                             NULL));
  g_assert_cmpfloat_with_epsilon (vd_image_view_get_zoom (fixture->view), 1.25, 1e-9);
  g_assert_nonnull (vd_test_find_label (GTK_WIDGET (fixture->view), "125 %"));

  /* Without an image, the zoom actions are off. */
  vd_image_view_clear (fixture->view);
  gtk_widget_activate_action (GTK_WIDGET (fixture->view), "image.zoom-in", NULL);
  g_assert_cmpfloat_with_epsilon (vd_image_view_get_zoom (fixture->view), 1.25, 1e-9);
}

static gboolean
has_pixbuf_loader (const char *format)
{
  GSList *formats = gdk_pixbuf_get_formats ();
  gboolean found = FALSE;

  for (GSList *l = formats; l != NULL; l = l->next)
    {
      g_autofree char *name = gdk_pixbuf_format_get_name (l->data);

      if (g_ascii_strcasecmp (name, format) == 0)
        found = TRUE;
    }
  g_slist_free (formats);
  return found;
}

static void
assert_no_decoder (Fixture    *fixture,
                   const char *message)
{
  g_assert_cmpint (vd_image_view_get_state (fixture->view), ==, VD_IMAGE_VIEW_UNSUPPORTED);
  g_assert_cmpstr (vd_image_view_get_message (fixture->view), ==, message);
  g_assert_nonnull (vd_test_find_label (GTK_WIDGET (fixture->view), message));
  g_assert_null (vd_image_view_get_texture (fixture->view));
}

/* PNG and JPEG by GTK itself; GIF and WebP by gdk-pixbuf's loaders, a
 * clear placeholder where one is missing (the test "image-view-no-loaders"
 * runs this with none). */
static void
test_image_formats (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GBytes) jpeg = load_image ("photo.jpg");
  g_autoptr(GBytes) gif = load_image ("animated.gif");
  g_autoptr(GBytes) webp = load_image ("lossy.webp");
  GdkTexture *texture;
  guint32 pixel = 0;
  gboolean webp_loader = has_pixbuf_loader ("webp");
  gboolean gif_loader = has_pixbuf_loader ("gif");

  if (g_getenv ("VD_TEST_NO_PIXBUF_LOADERS") != NULL)
    g_assert_false (webp_loader || gif_loader);

  vd_image_view_set_attachment (fixture->view, jpeg, "image/jpeg", "photo.jpg", NULL);
  WAIT_UNTIL (vd_image_view_get_state (fixture->view) == VD_IMAGE_VIEW_IMAGE);
  texture = vd_image_view_get_texture (fixture->view);
  g_assert_cmpint (gdk_texture_get_width (texture), ==, 48);

  /* GIF: its first frame, which is green. */
  vd_image_view_set_attachment (fixture->view, gif, "image/gif", "animated.gif", NULL);
  WAIT_UNTIL (vd_image_view_get_state (fixture->view) != VD_IMAGE_VIEW_LOADING);
  if (gif_loader)
    {
      g_assert_cmpint (vd_image_view_get_state (fixture->view), ==, VD_IMAGE_VIEW_IMAGE);
      texture = vd_image_view_get_texture (fixture->view);
      g_assert_cmpint (gdk_texture_get_width (texture), ==, 20);
      g_assert_cmpint (gdk_texture_get_height (texture), ==, 10);
      {
        g_autofree guint32 *pixels = g_new (guint32, 20 * 10);

        gdk_texture_download (texture, (guchar *) pixels, 20 * 4);
        pixel = pixels[0];
      }
      /* GDK_MEMORY_DEFAULT is B8G8R8A8 premultiplied: #2ec27e, opaque. */
      g_assert_cmphex (pixel, ==, 0xff2ec27e);
    }
  else
    {
      assert_no_decoder (fixture, "No decoder for GIF images on this system");
    }

  vd_image_view_set_attachment (fixture->view, webp, "image/webp", "lossy.webp", NULL);
  WAIT_UNTIL (vd_image_view_get_state (fixture->view) != VD_IMAGE_VIEW_LOADING);
  if (webp_loader)
    {
      g_assert_cmpint (vd_image_view_get_state (fixture->view), ==, VD_IMAGE_VIEW_IMAGE);
      g_assert_cmpint (gdk_texture_get_width (vd_image_view_get_texture (fixture->view)), ==, 24);
    }
  else
    {
      assert_no_decoder (fixture, "No decoder for WebP images on this system");
      save_screenshot (fixture, "image-view-no-decoder");
    }
  /* The size is known from the header either way. */
  g_assert_true (g_str_has_prefix (vd_image_view_get_details (fixture->view), "24 × 16 · "));
}

/* A PNG cut in its header is refused by the probe; one cut in its data
 * fails in the decoder: both are a placeholder, never a crash. */
static void
test_image_truncated (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GBytes) whole = load_image ("photo.png");
  g_autoptr(GBytes) header_cut = g_bytes_new_from_bytes (whole, 0, 20);
  g_autoptr(GBytes) data_cut = g_bytes_new_from_bytes (whole, 0,
                                                       g_bytes_get_size (whole) - 40);

  vd_image_view_set_attachment (fixture->view, header_cut, "image/png", "cut.png", NULL);
  g_assert_cmpint (vd_image_view_get_state (fixture->view), ==, VD_IMAGE_VIEW_BROKEN);
  g_assert_cmpstr (vd_image_view_get_message (fixture->view), ==,
                   "This image is damaged and cannot be shown");
  g_assert_nonnull (vd_test_find_label (GTK_WIDGET (fixture->view),
                                        "The PNG file ends before its image size: it is "
                                        "incomplete"));
  save_screenshot (fixture, "image-view-broken");

  vd_image_view_set_attachment (fixture->view, data_cut, "image/png", "cut.png", NULL);
  g_assert_cmpint (vd_image_view_get_state (fixture->view), ==, VD_IMAGE_VIEW_LOADING);
  WAIT_UNTIL (vd_image_view_get_state (fixture->view) != VD_IMAGE_VIEW_LOADING);
  g_assert_cmpint (vd_image_view_get_state (fixture->view), ==, VD_IMAGE_VIEW_BROKEN);
  g_assert_null (vd_image_view_get_texture (fixture->view));
  g_assert_true (g_str_has_prefix (vd_image_view_get_details (fixture->view), "48 × 32 · "));
}

static void
put_be32 (guint8  *p,
          guint32  v)
{
  p[0] = v >> 24;
  p[1] = v >> 16;
  p[2] = v >> 8;
  p[3] = v;
}

/* A small PNG whose header says 60000 × 60000: refused at once, nothing
 * decoded (no loading state, no thread). */
static void
test_image_bomb (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GBytes) real = load_image ("photo.png");
  guint8 *copy = g_memdup2 (g_bytes_get_data (real, NULL), g_bytes_get_size (real));
  g_autoptr(GBytes) bomb = NULL;
  g_autoptr(GPtrArray) spinners = NULL;

  put_be32 (copy + 16, 60000);
  put_be32 (copy + 20, 60000);
  bomb = g_bytes_new_take (copy, g_bytes_get_size (real));

  vd_image_view_set_attachment (fixture->view, bomb, "image/png", "bomb.png", NULL);
  g_assert_cmpint (vd_image_view_get_state (fixture->view), ==, VD_IMAGE_VIEW_TOO_LARGE);
  g_assert_cmpstr (vd_image_view_get_message (fixture->view), ==,
                   "Image too large to show: 60000 × 60000");
  g_assert_nonnull (vd_test_find_label (GTK_WIDGET (fixture->view),
                                        "Image too large to show: 60000 × 60000"));
  g_assert_null (vd_image_view_get_texture (fixture->view));
  spinners = vd_test_find_widgets (GTK_WIDGET (fixture->view), GTK_TYPE_SPINNER);
  g_assert_false (gtk_spinner_get_spinning (g_ptr_array_index (spinners, 0)));

  /* A file over the byte limit, whatever its pixels. */
  {
    g_autofree guint8 *big = g_malloc0 (VD_IMAGE_MAX_BYTES + 1);
    g_autoptr(GBytes) big_bytes = NULL;

    memcpy (big, g_bytes_get_data (real, NULL), g_bytes_get_size (real));
    big_bytes = g_bytes_new_take (g_steal_pointer (&big), VD_IMAGE_MAX_BYTES + 1);
    vd_image_view_set_attachment (fixture->view, big_bytes, "image/png", "big.png", NULL);
    g_assert_cmpint (vd_image_view_get_state (fixture->view), ==, VD_IMAGE_VIEW_TOO_LARGE);
    g_assert_cmpstr (vd_image_view_get_message (fixture->view), ==,
                     "Image file too large to show");
    vd_image_view_set_attachment (fixture->view, bomb, "image/png", "bomb.png", NULL);
  }

  /* It stays so: nothing is decoding. */
  for (guint i = 0; i < 10; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpint (vd_image_view_get_state (fixture->view), ==, VD_IMAGE_VIEW_TOO_LARGE);
  save_screenshot (fixture, "image-view-too-large");
}

/* Bytes that are not what the media type says, and garbage. */
static void
test_image_mismatch (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GBytes) jpeg = load_image ("photo.jpg");
  g_autoptr(GBytes) text = g_bytes_new_static ("hello", 5);

  vd_image_view_set_attachment (fixture->view, jpeg, "image/png", "photo.png", NULL);
  g_assert_cmpint (vd_image_view_get_state (fixture->view), ==, VD_IMAGE_VIEW_BROKEN);
  g_assert_cmpstr (vd_image_view_get_message (fixture->view), ==,
                   "This image is not what its type says");
  g_assert_nonnull (vd_test_find_label (GTK_WIDGET (fixture->view),
                                        "It is labelled image/png but holds a JPEG image."));

  vd_image_view_set_attachment (fixture->view, text, "image/gif", "x.gif", NULL);
  g_assert_cmpint (vd_image_view_get_state (fixture->view), ==, VD_IMAGE_VIEW_BROKEN);

  vd_image_view_set_attachment (fixture->view, text, "application/pdf", "x.pdf", NULL);
  g_assert_cmpint (vd_image_view_get_state (fixture->view), ==, VD_IMAGE_VIEW_BROKEN);
  g_assert_cmpstr (vd_image_view_get_message (fixture->view), ==,
                   "This file is not a PDF document");
}

/* A new attachment while one decodes: the first is cancelled, the last wins. */
static void
test_image_replace (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GBytes) large = make_large_png ();
  g_autoptr(GBytes) gif = load_image ("animated.gif");

  vd_image_view_set_attachment (fixture->view, large, "image/png", "large.png", NULL);
  vd_image_view_set_attachment (fixture->view, gif, "image/gif", "animated.gif", NULL);
  WAIT_UNTIL (vd_image_view_get_state (fixture->view) == VD_IMAGE_VIEW_IMAGE);
  g_assert_cmpint (gdk_texture_get_width (vd_image_view_get_texture (fixture->view)), ==, 20);

  /* Long enough for the first thread to be done: its result is dropped. */
  vd_image_view_set_attachment (fixture->view, large, "image/png", "large.png", NULL);
  vd_image_view_clear (fixture->view);
  for (guint i = 0; i < 50; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpint (vd_image_view_get_state (fixture->view), ==, VD_IMAGE_VIEW_EMPTY);
}

/* Documents and videos: a row with the name, the type and size, and Open. */
static void
test_image_files (Fixture       *fixture,
                  gconstpointer  data)
{
  static const char pdf[] = "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n";
  g_autoptr(GBytes) pdf_bytes = g_bytes_new_static (pdf, strlen (pdf));
  g_autoptr(GBytes) video = g_bytes_new_static ("\0\0\0\x18" "ftypmp42", 12);
  g_autoptr(GPtrArray) buttons = NULL;
  GtkWidget *open_button = NULL;

  vd_image_view_set_attachment (fixture->view, pdf_bytes, "application/pdf", "clause-7.pdf",
                                NULL);
  g_assert_cmpint (vd_image_view_get_state (fixture->view), ==, VD_IMAGE_VIEW_FILE);
  g_assert_nonnull (vd_test_find_label (GTK_WIDGET (fixture->view), "clause-7.pdf"));
  g_assert_nonnull (strstr (vd_image_view_get_details (fixture->view), " · "));

  buttons = vd_test_find_widgets (GTK_WIDGET (fixture->view), GTK_TYPE_BUTTON);
  for (guint i = 0; i < buttons->len; i++)
    if (g_strcmp0 (gtk_button_get_label (g_ptr_array_index (buttons, i)), "_Open") == 0)
      open_button = g_ptr_array_index (buttons, i);
  g_assert_nonnull (open_button);
  g_assert_true (gtk_widget_get_visible (open_button));
  g_assert_true (gtk_widget_is_sensitive (open_button));
  save_screenshot (fixture, "image-view-pdf");

  vd_image_view_set_attachment (fixture->view, video, "video/mp4", "screen-recording.mp4", NULL);
  g_assert_cmpint (vd_image_view_get_state (fixture->view), ==, VD_IMAGE_VIEW_FILE);
  g_assert_true (gtk_widget_get_visible (open_button));

  /* Other files are named, never handed to the system. */
  vd_image_view_set_attachment (fixture->view, video, "application/x-msdownload", "setup.exe",
                                NULL);
  g_assert_cmpint (vd_image_view_get_state (fixture->view), ==, VD_IMAGE_VIEW_FILE);
  g_assert_false (gtk_widget_get_visible (open_button));
  g_assert_nonnull (strstr (vd_image_view_get_details (fixture->view), "no preview"));
}

/* Open without a file of its own: a copy named by its SHA-256 goes to the
 * cache, then to the system; a type nothing handles comes back as a
 * message in the row, and the button works again. */
static void
test_image_open (Fixture       *fixture,
                 gconstpointer  data)
{
  /* Bytes that sniff as nothing in particular: no application takes them. */
  static const char contents[] = "\x01\x02\x03\xfe\xff\x00\x10verdict";
  g_autoptr(GBytes) bytes = g_bytes_new_static (contents, sizeof contents - 1);
  g_autofree char *checksum = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
  g_autofree char *copy = g_build_filename (g_get_user_cache_dir (), "verdict", "attachments",
                                            checksum, NULL);
  g_autoptr(GPtrArray) buttons = NULL;
  GtkWidget *open_button = NULL;
  g_autofree char *written = NULL;
  gsize length = 0;

  g_assert_true (g_str_has_prefix (copy, g_getenv ("XDG_CACHE_HOME")));
  vd_image_view_set_attachment (fixture->view, bytes, "video/x-verdict-test", "clip", NULL);
  g_assert_cmpint (vd_image_view_get_state (fixture->view), ==, VD_IMAGE_VIEW_FILE);

  buttons = vd_test_find_widgets (GTK_WIDGET (fixture->view), GTK_TYPE_BUTTON);
  for (guint i = 0; i < buttons->len; i++)
    if (g_strcmp0 (gtk_button_get_label (g_ptr_array_index (buttons, i)), "_Open") == 0)
      open_button = g_ptr_array_index (buttons, i);
  g_assert_nonnull (open_button);

  g_signal_emit_by_name (open_button, "clicked");
  g_assert_false (gtk_widget_get_sensitive (open_button));
  WAIT_UNTIL (gtk_widget_get_sensitive (open_button));

  g_assert_true (g_file_get_contents (copy, &written, &length, NULL));
  g_assert_cmpmem (written, length, contents, sizeof contents - 1);
  {
    g_autoptr(GPtrArray) labels = vd_test_find_widgets (GTK_WIDGET (fixture->view),
                                                        GTK_TYPE_LABEL);
    gboolean said = FALSE;

    for (guint i = 0; i < labels->len; i++)
      if (g_str_has_prefix (gtk_label_get_text (g_ptr_array_index (labels, i)),
                            "Could not open it: "))
        said = TRUE;
    g_assert_true (said);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *cache = vd_test_make_tmp_dir ("test-image-view");
  int status;

  /* Before GLib reads it: the copies for Open go to a folder of the test. */
  g_setenv ("XDG_CACHE_HOME", cache, TRUE);
  vd_test_deadline_seconds = 30;

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  /* The application's style sheet, as AdwApplication loads it. */
  {
    g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

    gtk_css_provider_load_from_resource (css, RESOURCE_PATH "/style.css");
    gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                                GTK_STYLE_PROVIDER (css),
                                                GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  }

  g_test_add ("/image-view/png", Fixture, NULL,
              fixture_setup, test_image_png, fixture_teardown);
  g_test_add ("/image-view/fit-and-zoom", Fixture, NULL,
              fixture_setup, test_image_fit_and_zoom, fixture_teardown);
  g_test_add ("/image-view/zoom-keys", Fixture, NULL,
              fixture_setup, test_image_zoom_keys, fixture_teardown);
  g_test_add ("/image-view/formats", Fixture, NULL,
              fixture_setup, test_image_formats, fixture_teardown);
  g_test_add ("/image-view/truncated", Fixture, NULL,
              fixture_setup, test_image_truncated, fixture_teardown);
  g_test_add ("/image-view/bomb", Fixture, NULL,
              fixture_setup, test_image_bomb, fixture_teardown);
  g_test_add ("/image-view/mismatch", Fixture, NULL,
              fixture_setup, test_image_mismatch, fixture_teardown);
  g_test_add ("/image-view/replace", Fixture, NULL,
              fixture_setup, test_image_replace, fixture_teardown);
  g_test_add ("/image-view/files", Fixture, NULL,
              fixture_setup, test_image_files, fixture_teardown);
  g_test_add ("/image-view/open", Fixture, NULL,
              fixture_setup, test_image_open, fixture_teardown);

  status = g_test_run ();
  vd_test_remove_tree (cache);
  return status;
}
