/* vd-test-pg-team.c: a database with reviewers of their own roles
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

#include "config.h"

#include <string.h>

#include "vd-store-location.h"
#include "vd-test-pg-team.h"
#include "vd-test-util.h"

gboolean
vd_test_team_set_up (VdTestTeam *team,
                     const char *queue_text)
{
  g_autoptr(GError) error = NULL;
  VdImportResult result = { 0, };

  memset (team, 0, sizeof *team);
  team->pg = vd_test_pg_set_up (TRUE);
  if (team->pg == NULL)
    return FALSE;

  team->roles = g_ptr_array_new_with_free_func (g_free);
  team->dir = vd_test_make_tmp_dir ("pg-team");
  team->admin = vd_store_open_location (team->pg->conninfo, &error);
  g_assert_no_error (error);
  if (queue_text != NULL)
    vd_test_import_text (team->admin, team->dir, "q.jsonl", queue_text, NULL, &result);

  return TRUE;
}

void
vd_test_team_tear_down (VdTestTeam *team)
{
  g_autofree char *admin_conninfo = NULL;

  if (team->pg == NULL)
    return;

  g_clear_object (&team->admin);
  admin_conninfo = g_strdup (team->pg->admin_conninfo);
  vd_test_pg_tear_down (team->pg);
  team->pg = NULL;

  /* Roles belong to the cluster, not to the database. */
  for (guint i = 0; i < team->roles->len; i++)
    {
      g_autofree char *drop = g_strdup_printf ("DROP ROLE %s",
                                               (char *) g_ptr_array_index (team->roles, i));

      g_free (vd_test_pg_query (admin_conninfo, drop));
    }
  g_clear_pointer (&team->roles, g_ptr_array_unref);

  vd_test_remove_tree (team->dir);
  g_clear_pointer (&team->dir, g_free);
}

const char *
vd_test_team_add_role (VdTestTeam *team,
                       const char *prefix,
                       const char *groups)
{
  char *role = g_strdup_printf ("%s_%08x", prefix, g_random_int ());
  g_autofree char *create = NULL;

  create = g_strdup_printf ("CREATE ROLE %s LOGIN PASSWORD '" VD_TEST_TEAM_PASSWORD "' "
                            "IN ROLE %s", role, groups != NULL ? groups : "verdict_reviewer");
  g_free (vd_test_pg_query (team->pg->conninfo, create));
  g_ptr_array_add (team->roles, role);

  return role;
}

char *
vd_test_team_conninfo (VdTestTeam *team,
                       const char *role)
{
  return g_strdup_printf ("%s user=%s", team->pg->conninfo, role);
}

VdStore *
vd_test_team_open (VdTestTeam *team,
                   const char *role)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *conninfo = vd_test_team_conninfo (team, role);
  VdPgStore *store = vd_pg_store_new_full (conninfo, VD_TEST_TEAM_PASSWORD, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (vd_pg_store_get_session_user (store), ==, role);
  return VD_STORE (store);
}

gint64
vd_test_team_item_id (VdTestTeam *team,
                      const char *queue,
                      const char *task_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VdItem) item = vd_store_get_item (team->admin, queue, task_id, &error);

  g_assert_no_error (error);
  return vd_item_get_id (item);
}
