/* vd-test-util.h: what the store tests share
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

G_BEGIN_DECLS

/* A temporary directory with a fresh store in it, for a g_test fixture. */
typedef struct
{
  char    *dir;
  char    *db;
  VdStore *store;
} VdTestStore;

void     vd_test_store_set_up    (VdTestStore   *fixture,
                                  const char    *name);
void     vd_test_store_tear_down (VdTestStore   *fixture);

char    *vd_test_make_tmp_dir    (const char    *name);
void     vd_test_remove_tree     (const char    *path);
void     vd_test_assert_finalized (gpointer      object);
gboolean vd_test_iterate_until   (gboolean     (*done) (gpointer user_data),
                                  gpointer       user_data,
                                  guint          max_ms);
void     vd_test_iterate_for     (guint          ms);

G_END_DECLS
