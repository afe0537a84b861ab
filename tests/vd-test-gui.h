/* vd-test-gui.h: what the tests of the app share
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

#include "vd-core.h"
#include "vd-item-list-model.h"
#include "vd-item-row.h"
#include "vd-session.h"
#include "vd-window.h"
#include "vd-test-util.h"

G_BEGIN_DECLS

/* How long WAIT_UNTIL and the helpers below that wait run the main loop
 * before they fail the test: 120 seconds unless the test program sets
 * another figure before its tests run (the sanitizer builds are slow). */
extern guint vd_test_deadline_seconds;

typedef struct
{
  gint64 deadline;
  guint  wake;
} VdTestWait;

void       vd_test_wait_begin            (VdTestWait  *wait);
void       vd_test_wait_step             (VdTestWait  *wait,
                                          const char  *what);
void       vd_test_wait_end              (VdTestWait  *wait);

/* Runs the main loop until @cond holds; fails the test at the deadline. */
#define WAIT_UNTIL(cond)                                                        \
  G_STMT_START {                                                                \
    VdTestWait _wait;                                                           \
    vd_test_wait_begin (&_wait);                                                \
    while (!(cond))                                                             \
      vd_test_wait_step (&_wait, #cond);                                        \
    vd_test_wait_end (&_wait);                                                  \
  } G_STMT_END

void       vd_test_release_store         (VdStore     *store);
void       vd_test_release_session       (VdSession   *session);
VdSession *vd_test_session_new           (VdStore     *store);
void       vd_test_close_window          (gpointer     window);
void       vd_test_destroy_other_windows (gpointer     window);

gpointer   vd_test_find_toplevel         (GType        type);
GPtrArray *vd_test_find_widgets          (GtkWidget   *root,
                                          GType        type);
GtkLabel  *vd_test_find_label            (GtkWidget   *root,
                                          const char  *text);
VdItemRow *vd_test_find_row              (VdWindow    *window,
                                          const char  *task_id);

/* The main window as a test sees it: its widgets by their ids in
 * vd-window.ui, the model of its list, the item its detail pane shows. */
gpointer   vd_test_window_child          (VdWindow    *window,
                                          const char  *id);
const char *vd_test_window_page          (VdWindow    *window,
                                          const char  *stack_id);
VdItemListModel *vd_test_window_items    (VdWindow    *window);
guint      vd_test_window_selected       (VdWindow    *window);
VdItem    *vd_test_window_shown_item     (VdWindow    *window);
const char *vd_test_window_label_text    (VdWindow    *window,
                                          const char  *label_id);

/* The session's side of it: this run's decisions, the imports. */
guint      vd_test_window_n_decisions    (VdWindow    *window);
gboolean   vd_test_window_busy           (VdWindow    *window);
gboolean   vd_test_window_importing      (VdWindow    *window);

/* The positions of the status filter of the queue pane. */
typedef enum
{
  VD_TEST_STATUS_PENDING,
  VD_TEST_STATUS_ESCALATED,
  VD_TEST_STATUS_DECIDED,
  VD_TEST_STATUS_ALL,
} VdTestStatusFilter;

void       vd_test_window_set_status     (VdWindow    *window,
                                          VdTestStatusFilter filter);
void       vd_test_window_set_reason     (VdWindow    *window,
                                          int          reason);

G_END_DECLS
