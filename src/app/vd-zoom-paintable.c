/* vd-zoom-paintable.c
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

#define G_LOG_DOMAIN "vd-zoom-paintable"

#include "config.h"

#include <math.h>

#include "vd-zoom-paintable.h"

/**
 * VdZoomPaintable:
 *
 * Another paintable at a scale: its intrinsic size is the child's times the
 * scale, so that a GtkPicture that does not shrink shows the child at
 * exactly that zoom, and a GtkScrolledWindow around it scrolls the rest.
 */
struct _VdZoomPaintable
{
  GObject parent_instance;

  GdkPaintable *child;
  double        scale;
};

static void vd_zoom_paintable_paintable_init (GdkPaintableInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (VdZoomPaintable, vd_zoom_paintable, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (GDK_TYPE_PAINTABLE,
                                                      vd_zoom_paintable_paintable_init))

static void
vd_zoom_paintable_snapshot (GdkPaintable *paintable,
                            GdkSnapshot  *snapshot,
                            double        width,
                            double        height)
{
  VdZoomPaintable *self = VD_ZOOM_PAINTABLE (paintable);

  gdk_paintable_snapshot (self->child, snapshot, width, height);
}

static int
vd_zoom_paintable_get_intrinsic_width (GdkPaintable *paintable)
{
  VdZoomPaintable *self = VD_ZOOM_PAINTABLE (paintable);

  return MAX (1, (int) round (gdk_paintable_get_intrinsic_width (self->child) * self->scale));
}

static int
vd_zoom_paintable_get_intrinsic_height (GdkPaintable *paintable)
{
  VdZoomPaintable *self = VD_ZOOM_PAINTABLE (paintable);

  return MAX (1, (int) round (gdk_paintable_get_intrinsic_height (self->child) * self->scale));
}

static double
vd_zoom_paintable_get_intrinsic_aspect_ratio (GdkPaintable *paintable)
{
  VdZoomPaintable *self = VD_ZOOM_PAINTABLE (paintable);

  return gdk_paintable_get_intrinsic_aspect_ratio (self->child);
}

static void
vd_zoom_paintable_paintable_init (GdkPaintableInterface *iface)
{
  iface->snapshot = vd_zoom_paintable_snapshot;
  iface->get_intrinsic_width = vd_zoom_paintable_get_intrinsic_width;
  iface->get_intrinsic_height = vd_zoom_paintable_get_intrinsic_height;
  iface->get_intrinsic_aspect_ratio = vd_zoom_paintable_get_intrinsic_aspect_ratio;
}

static void
vd_zoom_paintable_dispose (GObject *object)
{
  VdZoomPaintable *self = VD_ZOOM_PAINTABLE (object);

  g_clear_object (&self->child);

  G_OBJECT_CLASS (vd_zoom_paintable_parent_class)->dispose (object);
}

static void
vd_zoom_paintable_class_init (VdZoomPaintableClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = vd_zoom_paintable_dispose;
}

static void
vd_zoom_paintable_init (VdZoomPaintable *self)
{
  self->scale = 1.0;
}

/**
 * vd_zoom_paintable_new:
 * @paintable: the paintable to show, of a static size and contents (a texture)
 *
 * Returns: (transfer full): a paintable of @paintable's size at scale 1
 */
VdZoomPaintable *
vd_zoom_paintable_new (GdkPaintable *paintable)
{
  VdZoomPaintable *self;

  g_return_val_if_fail (GDK_IS_PAINTABLE (paintable), NULL);

  self = g_object_new (VD_TYPE_ZOOM_PAINTABLE, NULL);
  self->child = g_object_ref (paintable);
  return self;
}

/**
 * vd_zoom_paintable_get_child:
 * @self: a zoom paintable
 *
 * Returns: (transfer none): the paintable shown
 */
GdkPaintable *
vd_zoom_paintable_get_child (VdZoomPaintable *self)
{
  g_return_val_if_fail (VD_IS_ZOOM_PAINTABLE (self), NULL);

  return self->child;
}

double
vd_zoom_paintable_get_scale (VdZoomPaintable *self)
{
  g_return_val_if_fail (VD_IS_ZOOM_PAINTABLE (self), 1.0);

  return self->scale;
}

/**
 * vd_zoom_paintable_set_scale:
 * @self: a zoom paintable
 * @scale: the factor on the child's size, above zero
 *
 * Changes the intrinsic size; the contents stay.
 */
void
vd_zoom_paintable_set_scale (VdZoomPaintable *self,
                             double           scale)
{
  g_return_if_fail (VD_IS_ZOOM_PAINTABLE (self));
  g_return_if_fail (scale > 0);

  if (self->scale == scale)
    return;

  self->scale = scale;
  gdk_paintable_invalidate_size (GDK_PAINTABLE (self));
}
