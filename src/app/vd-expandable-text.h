/* vd-expandable-text.h
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

#define VD_TYPE_EXPANDABLE_TEXT (vd_expandable_text_get_type ())

G_DECLARE_FINAL_TYPE (VdExpandableText, vd_expandable_text, VD, EXPANDABLE_TEXT, GtkWidget)

GtkWidget  *vd_expandable_text_new                (void);
GtkLabel   *vd_expandable_text_get_label          (VdExpandableText *self);
GtkButton  *vd_expandable_text_get_button         (VdExpandableText *self);
int         vd_expandable_text_get_max_lines      (VdExpandableText *self);
void        vd_expandable_text_set_max_lines      (VdExpandableText *self,
                                                   int               max_lines);
gboolean    vd_expandable_text_get_expanded       (VdExpandableText *self);
void        vd_expandable_text_set_expanded       (VdExpandableText *self,
                                                   gboolean          expanded);
gboolean    vd_expandable_text_get_count_lines    (VdExpandableText *self);
void        vd_expandable_text_set_count_lines    (VdExpandableText *self,
                                                   gboolean          count_lines);
void        vd_expandable_text_set_button_tooltip (VdExpandableText *self,
                                                   const char       *tooltip);
int         vd_expandable_text_get_n_hidden_lines (VdExpandableText *self);
gboolean    vd_expandable_text_get_collapsible    (VdExpandableText *self);

G_END_DECLS
