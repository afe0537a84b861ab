/* vd-revision.h
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

#include <json-glib/json-glib.h>

#include "vd-types.h"

G_BEGIN_DECLS

#define VD_TYPE_REVISION (vd_revision_get_type ())

G_DECLARE_FINAL_TYPE (VdRevision, vd_revision, VD, REVISION, GObject)

/*
 * An earlier agent output of an item, kept when a newer revision replaced
 * it, with the reviewer feedback that caused the replacement. Immutable.
 */

VdRevision *vd_revision_new            (int          revision,
                                        const char  *content,
                                        double       confidence,
                                        const char  *reasoning,
                                        JsonObject  *metadata,
                                        const char  *feedback,
                                        GDateTime   *created_at);
int         vd_revision_get_revision   (VdRevision  *self);
const char *vd_revision_get_content    (VdRevision  *self);
double      vd_revision_get_confidence (VdRevision  *self);
const char *vd_revision_get_reasoning  (VdRevision  *self);
JsonObject *vd_revision_get_metadata   (VdRevision  *self);
const char *vd_revision_get_feedback   (VdRevision  *self);
GDateTime  *vd_revision_get_created_at (VdRevision  *self);

G_END_DECLS
