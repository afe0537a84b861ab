/* test-window-four-eyes.c: two reviewers on one desktop, in the window
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

#include "vd-item-detail-private.h"
#include "vd-test-gui.h"

#define QUEUE_TEXT \
  "{\"verdict_queue\": 1, \"queue\": \"wires\"}\n" \
  "{\"task_id\": \"w1\", \"task_description\": \"Wire\", \"task_type\": \"payments\", " \
  "\"agent_output\": {\"content\": \"Send $25,000.\", \"confidence\": 0.9}}\n"

typedef struct
{
  char      *tmpdir;
  VdStore   *store;
  VdSession *session;
  VdWindow  *window;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VdPolicy) policy = NULL;
  g_autoptr(VdDecision) review = NULL;
  g_autofree char *db_path = NULL;
  VdImportResult result = { 0 };

  fixture->tmpdir = vd_test_make_tmp_dir ("test-window-four-eyes");
  db_path = g_build_filename (fixture->tmpdir, "verdict.db", NULL);
  fixture->store = vd_test_open_store (db_path);

  policy = vd_policy_new_from_data ("{\"review_all\": true, \"task_types\": "
                                    "{\"payments\": {\"reviews_required\": 2}}}",
                                    -1, "policy.json", &error);
  g_assert_no_error (error);
  vd_test_import_text (fixture->store, fixture->tmpdir, "wires.jsonl", QUEUE_TEXT, policy,
                       &result);
  g_assert_cmpuint (result.imported, ==, 1);

  /* alice reviewed w1 earlier, on this desktop. */
  review = vd_decision_new ("wires", "w1", VD_DECISION_KIND_APPROVE, "alice");
  g_assert_true (vd_store_record_decision (fixture->store, review, &error));
  g_assert_no_error (error);

  fixture->session = vd_test_session_new (fixture->store);
  vd_session_set_reviewer_id (fixture->session, "alice");
  fixture->window = g_object_ref (vd_window_new (NULL, fixture->session));
  gtk_window_present (GTK_WINDOW (fixture->window));
  WAIT_UNTIL (vd_test_window_shown_item (fixture->window) != NULL);
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
}

static VdItemDetail *
detail (Fixture *fixture)
{
  return vd_test_window_child (fixture->window, "detail");
}

static const char *
review_line (Fixture *fixture)
{
  GtkLabel *label = _vd_item_detail_get_label (detail (fixture), "review");

  return gtk_widget_get_visible (GTK_WIDGET (label)) ? gtk_label_get_text (label) : NULL;
}

static VdTaskStatus
stored_status (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VdItem) item = vd_store_get_item (fixture->store, "wires", "w1", &error);

  g_assert_no_error (error);
  return vd_item_get_status (item);
}

/* alice sees her review and may not decide again; bob may, and decides. */
static void
test_second_reviewer (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) decisions = NULL;

  WAIT_UNTIL (vd_item_detail_get_read_only_reason (detail (fixture)) != NULL);
  g_assert_cmpstr (vd_item_detail_get_read_only_reason (detail (fixture)), ==,
                   "You (alice) have already reviewed this item: the policy requires a "
                   "second reviewer to decide it");
  g_assert_cmpstr (review_line (fixture), ==,
                   "Reviewed by alice: approve — needs a second reviewer");
  /* Its row in the list says so too. */
  WAIT_UNTIL (vd_test_find_label (GTK_WIDGET (fixture->window), "1 of 2 reviews") != NULL);

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.approve", NULL);
  vd_test_iterate_for (300);
  g_assert_cmpuint (vd_test_window_n_decisions (fixture->window), ==, 0);
  g_assert_cmpint (stored_status (fixture), ==, VD_TASK_STATUS_PENDING);

  /* bob signs in on the same desktop. */
  vd_session_set_reviewer_id (fixture->session, "bob");
  WAIT_UNTIL (vd_item_detail_get_read_only_reason (detail (fixture)) == NULL);
  g_assert_cmpstr (review_line (fixture), ==,
                   "Reviewed by alice: approve — needs a second reviewer");

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.approve", NULL);
  WAIT_UNTIL (stored_status (fixture) == VD_TASK_STATUS_APPROVED);

  decisions = vd_store_list_decisions (fixture->store, "wires", "w1", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (decisions->len, ==, 2);
  g_assert_cmpstr (vd_decision_get_reviewer_id (decisions->pdata[1]), ==, "bob");
  g_assert_true (vd_decision_get_final (decisions->pdata[1]));
  g_assert_true (vd_store_verify_audit (fixture->store, NULL, NULL, &error));
  g_assert_no_error (error);
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("VERDICT_REVIEWER", "alice", TRUE);
  g_unsetenv ("VERDICT_LLM_URL");

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/window-four-eyes/second-reviewer", Fixture, NULL,
              fixture_setup, test_second_reviewer, fixture_teardown);

  return g_test_run ();
}
