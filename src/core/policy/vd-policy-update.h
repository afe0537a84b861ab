/* vd-policy-update.h
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

gboolean vd_policy_apply_threshold        (const char           *policy_path,
                                           const char           *task_type,
                                           double                threshold,
                                           VdStore              *store,
                                           const char           *reviewer_id,
                                           GError              **error);
void     vd_policy_apply_threshold_async  (const char           *policy_path,
                                           const char           *task_type,
                                           double                threshold,
                                           VdStore              *store,
                                           const char           *reviewer_id,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
gboolean vd_policy_apply_threshold_finish (GAsyncResult         *result,
                                           GError              **error);

G_END_DECLS
