/* vd-roster.h: who may decide, with which key and which roles
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

#include "vd-key.h"

G_BEGIN_DECLS

/*
 * The roster of a policy file:
 *   "reviewers": [{"id": "alice", "public_key": "RW...", "roles": ["reviewer"]},
 *                 {"id": "bob", "public_key": "RW...", "roles": ["reviewer", "senior"]}]
 * IDs are unique and non-empty; public_key is a minisign public key line;
 * roles are non-empty strings (unknown roles are kept, they grant nothing).
 * Parse errors name the member, e.g. `reviewers[1].public_key: ...`.
 */

#define VD_ROLE_REVIEWER "reviewer"
#define VD_ROLE_SENIOR   "senior"

#define VD_TYPE_ROSTER (vd_roster_get_type ())

G_DECLARE_FINAL_TYPE (VdRoster, vd_roster, VD, ROSTER, GObject)

VdRoster           *vd_roster_new_from_json  (JsonNode     *reviewers,
                                              GError      **error);
JsonNode           *vd_roster_to_json        (VdRoster     *self);

guint               vd_roster_get_n_reviewers (VdRoster    *self);
const char         *vd_roster_get_reviewer_id (VdRoster    *self,
                                               guint        index);
gboolean            vd_roster_has_reviewer   (VdRoster     *self,
                                              const char   *reviewer_id);
VdKey              *vd_roster_lookup_key     (VdRoster     *self,
                                              const char   *reviewer_id);
VdKey              *vd_roster_lookup_key_id  (VdRoster     *self,
                                              const char   *key_id);
const char * const *vd_roster_get_roles      (VdRoster     *self,
                                              const char   *reviewer_id);
gboolean            vd_roster_has_role       (VdRoster     *self,
                                              const char   *reviewer_id,
                                              const char   *role);
GPtrArray          *vd_roster_list_keys      (VdRoster     *self);

G_END_DECLS
