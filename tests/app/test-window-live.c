/* test-window-live.c: other reviewers' changes, live in the main window
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

#define G_LOG_DOMAIN "test-window-live"

#include "config.h"

#include <string.h>

#include "vd-feedback-input.h"
#include "vd-item-detail-private.h"
#include "vd-item-row.h"
#include "vd-test-gui.h"

#define REVIEWER "alice"

typedef struct
{
  char      *tmpdir;
  char      *db_path;
  VdStore   *store;
  VdSession *session;
  VdWindow  *window;
} Fixture;

static const char queue_text[] =
  "{\"verdict_queue\": 1, \"queue\": \"q\"}\n"
  "{\"task_id\": \"t1\", \"task_description\": \"Task one\", "
  "\"agent_output\": {\"content\": \"Output one\", \"confidence\": 0.1}}\n"
  "{\"task_id\": \"t2\", \"task_description\": \"Task two\", "
  "\"agent_output\": {\"content\": \"Output two\", \"confidence\": 0.2}}\n"
  "{\"task_id\": \"t3\", \"task_description\": \"Task three\", "
  "\"agent_output\": {\"content\": \"Output three\", \"confidence\": 0.3}}\n";

static gboolean
model_ready (Fixture *fixture)
{
  VdItemListModel *items = vd_test_window_items (fixture->window);

  return items != NULL && !vd_item_list_model_get_loading (items);
}

static const char *
counts_text (Fixture *fixture)
{
  return vd_test_window_label_text (fixture->window, "counts_label");
}

static void
import_queue (Fixture    *fixture,
              const char *name,
              const char *text)
{
  g_autofree char *path = vd_test_write_file (fixture->tmpdir, name, text);
  g_autoptr(GFile) file = g_file_new_for_path (path);

  vd_window_import_files (fixture->window, &file, 1);
  WAIT_UNTIL (!vd_test_window_importing (fixture->window) &&
              g_strcmp0 (vd_test_window_page (fixture->window, "main_stack"), "review") == 0 &&
              model_ready (fixture) && vd_test_window_shown_item (fixture->window) != NULL);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture->tmpdir = vd_test_make_tmp_dir ("test-window-live");
  fixture->db_path = g_build_filename (fixture->tmpdir, "verdict.db", NULL);
  fixture->store = vd_test_open_store (fixture->db_path);
  fixture->session = vd_test_session_new (fixture->store);

  fixture->window = g_object_ref (vd_window_new (NULL, fixture->session));
  gtk_window_present (GTK_WINDOW (fixture->window));

  import_queue (fixture, "queue.jsonl", queue_text);
  WAIT_UNTIL (g_strcmp0 (counts_text (fixture), "3 pending of 3") == 0);
  g_assert_cmpstr (vd_item_get_task_id (vd_test_window_shown_item (fixture->window)), ==, "t1");
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  VdWindow *window = g_steal_pointer (&fixture->window);

  vd_test_destroy_other_windows (window);
  vd_test_close_window (window);

  vd_test_release_session (g_steal_pointer (&fixture->session));
  vd_test_release_store (g_steal_pointer (&fixture->store));
  vd_test_remove_tree (fixture->tmpdir);
  g_clear_pointer (&fixture->tmpdir, g_free);
  g_clear_pointer (&fixture->db_path, g_free);
}

/* The window claims the item it shows (vd-window-claims.c), which keeps
 * other reviewers from deciding it. An item decided elsewhere while open is
 * one whose claim was given up or ran out: wait for the window's claim and
 * take it back, as an expired lease would. */
static gboolean
window_claim_held (Fixture    *fixture,
                   const char *task_id,
                   char      **reviewer_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) claims = vd_store_list_claims (fixture->store, "q", &error);

  g_assert_no_error (error);
  for (guint i = 0; i < claims->len; i++)
    {
      VdClaim *claim = g_ptr_array_index (claims, i);

      if (g_strcmp0 (claim->task_id, task_id) == 0)
        {
          *reviewer_id = g_strdup (claim->reviewer_id);
          return TRUE;
        }
    }

  return FALSE;
}

static void
lift_window_claim (Fixture    *fixture,
                   const char *task_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VdItem) item = NULL;
  g_autofree char *reviewer_id = NULL;

  WAIT_UNTIL (window_claim_held (fixture, task_id, &reviewer_id));
  item = vd_store_get_item (fixture->store, "q", task_id, &error);
  g_assert_no_error (error);
  vd_store_release_claim (fixture->store, vd_item_get_id (item), reviewer_id, &error);
  g_assert_no_error (error);
}

/* verdict-cli decide as another reviewer, on the window's database. */
static void
decide_elsewhere (Fixture    *fixture,
                  const char *reviewer,
                  const char *task_id,
                  const char *kind,
                  const char *feedback)
{
  g_auto(VdTestRun) run = { 0, };

  if (feedback != NULL)
    vd_test_run_cli (&run, fixture->db_path, "decide", "--queue", "q", "--reviewer", reviewer,
                     "--feedback", feedback, task_id, kind, NULL);
  else
    vd_test_run_cli (&run, fixture->db_path, "decide", "--queue", "q", "--reviewer", reviewer,
                     task_id, kind, NULL);
  if (run.status != 0)
    g_printerr ("%s%s", run.out, run.err);
  g_assert_cmpint (run.status, ==, 0);
}

static VdTaskStatus
row_status (Fixture    *fixture,
            const char *task_id)
{
  VdItemRow *row = vd_test_find_row (fixture->window, task_id);
  VdItem *item = row != NULL ? vd_item_row_get_item (row) : NULL;

  return item != NULL ? vd_item_get_status (item) : VD_TASK_STATUS_PENDING;
}

static const char *
notice (Fixture *fixture)
{
  VdItemDetail *detail = vd_test_window_child (fixture->window, "detail");

  return vd_item_detail_get_read_only_reason (detail);
}

/* Another reviewer decides a row that is not open: its status and the
 * counts change; the open item stays as it was. */
static void
test_row_and_counts (Fixture       *fixture,
                     gconstpointer  data)
{
  decide_elsewhere (fixture, "bob", "t2", "approve", NULL);

  WAIT_UNTIL (row_status (fixture, "t2") == VD_TASK_STATUS_APPROVED);
  WAIT_UNTIL (g_strcmp0 (counts_text (fixture), "2 pending of 3") == 0);

  g_assert_cmpint (row_status (fixture, "t1"), ==, VD_TASK_STATUS_PENDING);
  g_assert_cmpstr (vd_item_get_task_id (vd_test_window_shown_item (fixture->window)), ==, "t1");
  g_assert_null (notice (fixture));
  g_assert_true (gtk_widget_get_sensitive (vd_test_window_child (fixture->window,
                                                                 "approve_button")));
}

/* The open item decided elsewhere: the pane says by whom, when and how,
 * its decisions are off, and what the reviewer typed stays. */
static void
test_open_item (Fixture       *fixture,
                gconstpointer  data)
{
  VdItemDetail *detail = vd_test_window_child (fixture->window, "detail");
  VdFeedbackInput *rating = vd_test_window_child (fixture->window, "feedback_input");
  GtkEditable *note = GTK_EDITABLE (_vd_item_detail_get_note_entry (detail));
  g_autofree char *category = NULL;
  const char *text;

  gtk_editable_set_text (note, "The figures do not add up");
  vd_feedback_input_set_category (rating, "arithmetic");

  lift_window_claim (fixture, "t1");
  decide_elsewhere (fixture, "bob", "t1", "reject", "Wrong total");

  WAIT_UNTIL (notice (fixture) != NULL &&
              vd_item_get_status (vd_test_window_shown_item (fixture->window)) ==
              VD_TASK_STATUS_REJECTED &&
              !gtk_widget_get_sensitive (vd_test_window_child (fixture->window,
                                                               "approve_button")));

  text = notice (fixture);
  g_assert_true (g_str_has_prefix (text, "Decided by bob at "));
  g_assert_true (g_str_has_suffix (text, ": reject"));
  g_assert_cmpstr (vd_item_get_task_id (vd_test_window_shown_item (fixture->window)), ==, "t1");
  g_assert_cmpstr (gtk_editable_get_text (note), ==, "The figures do not add up");
  category = vd_feedback_input_dup_category (rating);
  g_assert_cmpstr (category, ==, "arithmetic");
  WAIT_UNTIL (g_strcmp0 (counts_text (fixture), "2 pending of 3") == 0);

  /* The next item has no notice. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.next", NULL);
  WAIT_UNTIL (g_strcmp0 (vd_item_get_task_id (vd_test_window_shown_item (fixture->window)),
                         "t2") == 0);
  g_assert_null (notice (fixture));
}

/* Escalated further elsewhere: the pane says so, and the item is still
 * to be decided. */
static void
test_open_item_escalated (Fixture       *fixture,
                          gconstpointer  data)
{
  lift_window_claim (fixture, "t1");
  decide_elsewhere (fixture, "bob", "t1", "escalate_further", NULL);

  WAIT_UNTIL (notice (fixture) != NULL &&
              vd_item_get_status (vd_test_window_shown_item (fixture->window)) ==
              VD_TASK_STATUS_ESCALATED);
  g_assert_true (g_str_has_prefix (notice (fixture), "Escalated by bob at "));
  g_assert_true (gtk_widget_get_sensitive (vd_test_window_child (fixture->window,
                                                                 "approve_button")));
}

/* Items imported by another process appear in the list. */
static void
test_import_elsewhere (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_auto(VdTestRun) run = { 0, };

  path = vd_test_write_file (fixture->tmpdir, "more.jsonl",
                             "{\"verdict_queue\": 1, \"queue\": \"q\"}\n"
                             "{\"task_id\": \"t4\", \"task_description\": \"Task four\", "
                             "\"agent_output\": {\"content\": \"Four\", \"confidence\": 0.4}}\n");
  vd_test_run_cli (&run, fixture->db_path, "import", path, NULL);
  if (run.status != 0)
    g_printerr ("%s%s", run.out, run.err);
  g_assert_cmpint (run.status, ==, 0);

  WAIT_UNTIL (model_ready (fixture) &&
              g_list_model_get_n_items (G_LIST_MODEL (vd_test_window_items (fixture->window))) ==
              4 &&
              g_strcmp0 (counts_text (fixture), "4 pending of 4") == 0);
  /* The reviewer stays where they were. */
  g_assert_cmpstr (vd_item_get_task_id (vd_test_window_shown_item (fixture->window)), ==, "t1");
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("VERDICT_REVIEWER", REVIEWER, TRUE);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/window-live/row-and-counts", Fixture, NULL,
              fixture_setup, test_row_and_counts, fixture_teardown);
  g_test_add ("/window-live/open-item", Fixture, NULL,
              fixture_setup, test_open_item, fixture_teardown);
  g_test_add ("/window-live/open-item-escalated", Fixture, NULL,
              fixture_setup, test_open_item_escalated, fixture_teardown);
  g_test_add ("/window-live/import-elsewhere", Fixture, NULL,
              fixture_setup, test_import_elsewhere, fixture_teardown);

  return g_test_run ();
}
