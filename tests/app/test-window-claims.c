/* test-window-claims.c: claims on the items a reviewer opens in the window
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

#define G_LOG_DOMAIN "test-window-claims"

#include "config.h"

#include "vd-item-detail.h"
#include "vd-item-row.h"
#include "vd-test-gui.h"

#define REVIEWER "tester"

/* The window works as "tester" on one store object; "bob" works on a
 * second one on the same file, as another desktop would. */
typedef struct
{
  char      *tmpdir;
  char      *db;
  VdStore   *store;
  VdStore   *bob;
  VdSession *session;
  VdWindow  *window;
} Fixture;

static const char queue_text[] =
  "{\"verdict_queue\": 1, \"queue\": \"payments\"}\n"
  "{\"task_id\": \"t-7\", \"task_description\": \"Pay\", "
  "\"agent_output\": {\"content\": \"Pay 1\", \"confidence\": 0.1}}\n"
  "{\"task_id\": \"t-8\", \"task_description\": \"Pay again\", "
  "\"agent_output\": {\"content\": \"Pay 2\", \"confidence\": 0.2}}\n";

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture->tmpdir = vd_test_make_tmp_dir ("test-window-claims");
  fixture->db = g_build_filename (fixture->tmpdir, "verdict.db", NULL);
  fixture->store = vd_test_open_store (fixture->db);
  vd_test_import_text (fixture->store, fixture->tmpdir, "q.jsonl", queue_text, NULL, NULL);
  fixture->bob = vd_test_open_store (fixture->db);
  fixture->session = vd_test_session_new (fixture->store);

  fixture->window = g_object_ref (vd_window_new (NULL, fixture->session));
  gtk_window_present (GTK_WINDOW (fixture->window));
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  VdWindow *window = g_steal_pointer (&fixture->window);

  if (window != NULL)
    {
      vd_test_destroy_other_windows (window);
      vd_test_close_window (window);
    }

  vd_test_release_session (g_steal_pointer (&fixture->session));
  vd_test_release_store (g_steal_pointer (&fixture->store));
  vd_test_release_store (g_steal_pointer (&fixture->bob));
  vd_test_remove_tree (fixture->tmpdir);
  g_clear_pointer (&fixture->tmpdir, g_free);
  g_clear_pointer (&fixture->db, g_free);
}

static gint64
item_id (Fixture    *fixture,
         const char *task_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VdItem) item = vd_store_get_item (fixture->bob, "payments", task_id, &error);

  g_assert_no_error (error);
  return vd_item_get_id (item);
}

/* Who holds a claim on @task_id, as Bob's store sees it (NULL: nobody). */
static char *
holder_of (Fixture    *fixture,
           const char *task_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) claims = vd_store_list_claims (fixture->bob, NULL, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < claims->len; i++)
    {
      VdClaim *claim = g_ptr_array_index (claims, i);

      if (g_str_equal (claim->task_id, task_id))
        return g_strdup (claim->reviewer_id);
    }
  return NULL;
}

static gboolean
held_by (Fixture    *fixture,
         const char *task_id,
         const char *reviewer)
{
  g_autofree char *holder = holder_of (fixture, task_id);

  return g_strcmp0 (holder, reviewer) == 0;
}

static gboolean
shows (Fixture    *fixture,
       const char *task_id)
{
  VdItem *shown = vd_test_window_shown_item (fixture->window);

  return shown != NULL && g_str_equal (vd_item_get_task_id (shown), task_id);
}

static void
show_item (Fixture    *fixture,
           const char *task_id)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-item",
                                             "x", item_id (fixture, task_id)));
  WAIT_UNTIL (shows (fixture, task_id));
}

static void
test_open_claims (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  VdWindow *window;

  /* The item shown first is claimed in the reviewer's name. */
  WAIT_UNTIL (vd_test_window_shown_item (fixture->window) != NULL);
  show_item (fixture, "t-7");
  WAIT_UNTIL (held_by (fixture, "t-7", REVIEWER));

  /* Bob cannot take it. */
  g_assert_false (vd_store_claim_item (fixture->bob, item_id (fixture, "t-7"), "bob", 600, NULL,
                                       &error));
  g_assert_error (error, VD_STORE_ERROR, VD_STORE_ERROR_CLAIMED);

  /* Moving on claims the next and lets go of the first. */
  show_item (fixture, "t-8");
  WAIT_UNTIL (held_by (fixture, "t-8", REVIEWER) && held_by (fixture, "t-7", NULL));

  /* Closing the window lets go of it too. */
  window = g_steal_pointer (&fixture->window);
  vd_test_close_window (window);
  WAIT_UNTIL (held_by (fixture, "t-8", NULL));
}

static void
test_claimed_by_other (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_auto(VdClaim) bobs = { 0, };
  g_autofree char *until = NULL;
  g_autofree char *expected = NULL;
  VdItemDetail *detail = vd_test_window_child (fixture->window, "detail");
  GtkWidget *approve = vd_test_window_child (fixture->window, "approve_button");

  WAIT_UNTIL (vd_test_window_shown_item (fixture->window) != NULL);
  show_item (fixture, "t-7");
  WAIT_UNTIL (held_by (fixture, "t-7", REVIEWER));
  WAIT_UNTIL (gtk_widget_is_sensitive (approve));
  g_assert_null (vd_item_detail_get_claim_note (detail));

  /* Bob has t-8 open. */
  g_assert_true (vd_store_claim_item (fixture->bob, item_id (fixture, "t-8"), "bob", 600, &bobs,
                                      &error));
  g_assert_no_error (error);
  until = vd_claim_format_expiry (&bobs);
  expected = g_strdup_printf ("bob is reviewing this item until %s", until);

  /* Opening it says so, and nothing can be decided. */
  show_item (fixture, "t-8");
  WAIT_UNTIL (g_strcmp0 (vd_item_detail_get_claim_note (detail), expected) == 0);
  WAIT_UNTIL (!gtk_widget_is_sensitive (approve));
  g_assert_false (gtk_widget_is_sensitive (approve));
  g_assert_true (held_by (fixture, "t-8", "bob"));

  /* The list tags his row, not the reviewer's own. */
  WAIT_UNTIL (vd_test_find_row (fixture->window, "t-8") != NULL &&
              g_strcmp0 (vd_item_row_get_claimed_by (vd_test_find_row (fixture->window, "t-8")),
                         "bob") == 0);
  g_assert_null (vd_item_row_get_claimed_by (vd_test_find_row (fixture->window, "t-7")));

  /* Back on t-7 (released when the reviewer left it, claimed again):
   * decisions are offered again. */
  show_item (fixture, "t-7");
  WAIT_UNTIL (vd_item_detail_get_claim_note (detail) == NULL && gtk_widget_is_sensitive (approve));
  WAIT_UNTIL (held_by (fixture, "t-7", REVIEWER));

  /* A decision ends the claim. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.approve", NULL);
  WAIT_UNTIL (held_by (fixture, "t-7", NULL) && vd_test_window_n_decisions (fixture->window) == 1);
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("VERDICT_REVIEWER", REVIEWER, TRUE);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/window-claims/open-claims", Fixture, NULL,
              fixture_setup, test_open_claims, fixture_teardown);
  g_test_add ("/window-claims/claimed-by-other", Fixture, NULL,
              fixture_setup, test_claimed_by_other, fixture_teardown);

  return g_test_run ();
}
