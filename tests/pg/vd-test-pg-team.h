/* vd-test-pg-team.h: a database with reviewers of their own roles
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

#include "vd-core.h"
#include "vd-pg-store.h"
#include "vd-test-pg.h"

G_BEGIN_DECLS

#define VD_TEST_TEAM_PASSWORD "team secret"

/* A fresh database with the schema, an admin store (the superuser) and
 * the items of @queue_text imported into it. Reviewers are login roles,
 * members of verdict_reviewer, named PREFIX_<random> so that the tests of
 * one cluster do not meet. */
typedef struct
{
  VdTestPg  *pg;
  char      *dir;
  VdStore   *admin;
  GPtrArray *roles;   /* the role names made, dropped at tear down */
} VdTestTeam;

/* FALSE (the test skipped) without a cluster. */
gboolean   vd_test_team_set_up      (VdTestTeam  *team,
                                     const char  *queue_text);
void       vd_test_team_tear_down   (VdTestTeam  *team);
/* A new reviewer role; returns its name (owned by @team). */
const char *vd_test_team_add_role   (VdTestTeam  *team,
                                     const char  *prefix,
                                     const char  *groups);
/* A store logged in as @role. */
VdStore   *vd_test_team_open        (VdTestTeam  *team,
                                     const char  *role);
char      *vd_test_team_conninfo    (VdTestTeam  *team,
                                     const char  *role);
gint64     vd_test_team_item_id     (VdTestTeam  *team,
                                     const char  *queue,
                                     const char  *task_id);

G_END_DECLS
