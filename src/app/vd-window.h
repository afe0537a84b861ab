/* vd-window.h
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

#include <adwaita.h>

#include "vd-core.h"
#include "vd-session.h"

G_BEGIN_DECLS

#define VD_TYPE_WINDOW (vd_window_get_type ())

G_DECLARE_FINAL_TYPE (VdWindow, vd_window, VD, WINDOW, AdwApplicationWindow)

VdWindow   *vd_window_new                      (GtkApplication  *application,
                                                VdSession       *session);
VdSession  *vd_window_get_session              (VdWindow        *self);
void        vd_window_import_files             (VdWindow        *self,
                                                GFile          **files,
                                                guint            n_files);
void        vd_window_import_files_with_policy (VdWindow        *self,
                                                GFile          **files,
                                                guint            n_files,
                                                VdPolicy        *policy);
void        vd_window_ask_import               (VdWindow        *self,
                                                GFile          **files,
                                                guint            n_files,
                                                gboolean         queue_policy);
void        vd_window_reload                   (VdWindow        *self);
void        vd_window_show_message             (VdWindow        *self,
                                                const char      *message);
void        vd_window_export_file              (VdWindow        *self,
                                                VdExportKind     kind,
                                                GFile           *file);
void        vd_window_export_format_file       (VdWindow        *self,
                                                const char      *format,
                                                GFile           *file);

G_END_DECLS
