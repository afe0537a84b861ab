/* vd-atomic-file-private.h
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

#include <gio/gio.h>

G_BEGIN_DECLS

/* Writes the whole contents to @stream. */
typedef gboolean (*VdAtomicWriteFunc) (GOutputStream  *stream,
                                       gpointer        user_data,
                                       GCancellable   *cancellable,
                                       GError        **error);

/* Called once the new contents are on the disk, just before they replace
 * the file; a failure leaves the file as it was. */
typedef gboolean (*VdAtomicReadyFunc) (gpointer        user_data,
                                       GError        **error);

gboolean _vd_atomic_file_write      (GFile              *file,
                                     VdAtomicWriteFunc   write,
                                     gpointer            user_data,
                                     GCancellable       *cancellable,
                                     GError            **error);
gboolean _vd_atomic_file_write_full (GFile              *file,
                                     VdAtomicWriteFunc   write,
                                     VdAtomicReadyFunc   ready,
                                     gpointer            user_data,
                                     GCancellable       *cancellable,
                                     GError            **error);

G_END_DECLS
