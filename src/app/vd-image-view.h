/* vd-image-view.h
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

G_BEGIN_DECLS

/**
 * VdImageViewState:
 * @VD_IMAGE_VIEW_EMPTY: nothing set
 * @VD_IMAGE_VIEW_LOADING: the image is being decoded in a thread
 * @VD_IMAGE_VIEW_IMAGE: the image is shown
 * @VD_IMAGE_VIEW_TOO_LARGE: the header promises more pixels or bytes than
 *   allowed (vd-image-probe.h): nothing was decoded
 * @VD_IMAGE_VIEW_BROKEN: the file is damaged, incomplete, or not what its
 *   media type says
 * @VD_IMAGE_VIEW_UNSUPPORTED: no decoder for the format on this system
 *   (e.g. WebP without its gdk-pixbuf loader)
 * @VD_IMAGE_VIEW_FILE: a PDF, a video or another file: a row with an Open
 *   button where it can be opened
 *
 * What a #VdImageView shows.
 */
typedef enum
{
  VD_IMAGE_VIEW_EMPTY,
  VD_IMAGE_VIEW_LOADING,
  VD_IMAGE_VIEW_IMAGE,
  VD_IMAGE_VIEW_TOO_LARGE,
  VD_IMAGE_VIEW_BROKEN,
  VD_IMAGE_VIEW_UNSUPPORTED,
  VD_IMAGE_VIEW_FILE,
} VdImageViewState;

#define VD_TYPE_IMAGE_VIEW (vd_image_view_get_type ())

G_DECLARE_FINAL_TYPE (VdImageView, vd_image_view, VD, IMAGE_VIEW, GtkWidget)

GtkWidget        *vd_image_view_new             (void);
void              vd_image_view_set_attachment  (VdImageView *self,
                                                 GBytes      *bytes,
                                                 const char  *media_type,
                                                 const char  *name,
                                                 GFile       *file);
void              vd_image_view_clear           (VdImageView *self);

VdImageViewState  vd_image_view_get_state       (VdImageView *self);
const char       *vd_image_view_get_message     (VdImageView *self);
const char       *vd_image_view_get_details     (VdImageView *self);
GdkTexture       *vd_image_view_get_texture     (VdImageView *self);

double            vd_image_view_get_zoom        (VdImageView *self);
void              vd_image_view_set_zoom        (VdImageView *self,
                                                 double       zoom);
void              vd_image_view_zoom_in         (VdImageView *self);
void              vd_image_view_zoom_out        (VdImageView *self);
void              vd_image_view_zoom_to_fit     (VdImageView *self);

G_END_DECLS
