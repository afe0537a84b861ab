/* vd-training-export.h
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

#include "vd-store.h"

G_BEGIN_DECLS

/* The format name and version of the first line of a training export. */
#define VD_TRAINING_FORMAT  "verdict-training"
#define VD_TRAINING_VERSION 1

/**
 * VdTrainingCounts:
 * @supervised: supervised pairs written (input -> approved or modified output)
 * @preference: preference pairs written (input, rejected, chosen)
 *
 * What a training export wrote.
 */
typedef struct
{
  guint64 supervised;
  guint64 preference;
} VdTrainingCounts;

gboolean vd_training_export_write       (VdStore              *store,
                                         const char           *queue,
                                         GOutputStream        *stream,
                                         const char           *destination,
                                         VdTrainingCounts     *counts,
                                         GCancellable         *cancellable,
                                         GError              **error);
gboolean vd_training_export_file        (VdStore              *store,
                                         const char           *queue,
                                         GFile                *file,
                                         VdTrainingCounts     *counts,
                                         GCancellable         *cancellable,
                                         GError              **error);
void     vd_training_export_file_async  (VdStore              *store,
                                         const char           *queue,
                                         GFile                *file,
                                         GCancellable         *cancellable,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data);
gboolean vd_training_export_file_finish (VdStore              *store,
                                         GAsyncResult         *result,
                                         VdTrainingCounts     *counts,
                                         GError              **error);

G_END_DECLS
