/* vd-json-view.h
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
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Containers nested deeper than this start folded. */
#define VD_JSON_VIEW_EXPAND_DEPTH 3

/* Values shown at most; the rest is counted in a line that says so. */
#define VD_JSON_VIEW_MAX_VALUES 2000

/* The largest JSON text vd_json_view_set_text() reads. */
#define VD_JSON_VIEW_MAX_BYTES (4 * 1024 * 1024)

#define VD_TYPE_JSON_VIEW (vd_json_view_get_type ())

G_DECLARE_FINAL_TYPE (VdJsonView, vd_json_view, VD, JSON_VIEW, GtkWidget)

GtkWidget  *vd_json_view_new              (void);
void        vd_json_view_set_node         (VdJsonView  *self,
                                           JsonNode    *node);
gboolean    vd_json_view_set_text         (VdJsonView  *self,
                                           const char  *text,
                                           GError     **error);
JsonNode   *vd_json_view_get_node         (VdJsonView  *self);

gboolean    vd_json_view_get_editable     (VdJsonView  *self);
void        vd_json_view_set_editable     (VdJsonView  *self,
                                           gboolean     editable);
gboolean    vd_json_view_get_valid        (VdJsonView  *self);
JsonNode   *vd_json_view_dup_edited_node  (VdJsonView  *self,
                                           GError     **error);
char       *vd_json_view_describe_changes (VdJsonView  *self,
                                           guint       *n_changes);

G_END_DECLS
