/* test-import-queue.c: queue files waiting for their import
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

#include "vd-core.h"
#include "vd-test-util.h"

typedef VdTestStore Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  vd_test_store_set_up (fixture, "import-queue");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  vd_test_store_tear_down (fixture);
}

typedef struct
{
  guint           n_started;
  guint           n_finished;
  char           *first_name;
  VdImportResult  result;
  GError         *error;
} Watch;

static void
started_cb (VdImportQueue *queue,
            Watch         *watch)
{
  guint n_files = 0;
  GFile **files = vd_import_queue_get_files (queue, &n_files);

  g_assert_true (vd_import_queue_get_running (queue));
  g_assert_cmpuint (n_files, >, 0);
  g_free (watch->first_name);
  watch->first_name = g_file_get_basename (files[0]);
  watch->n_started++;
}

static void
finished_cb (VdImportQueue        *queue,
             const VdImportResult *result,
             const GError         *error,
             Watch                *watch)
{
  g_assert_false (vd_import_queue_get_running (queue));
  g_assert_true ((result == NULL) != (error == NULL));
  g_clear_error (&watch->error);
  if (result != NULL)
    watch->result = *result;
  else
    watch->error = g_error_copy (error);
  watch->n_finished++;
}

static gboolean
finished (gpointer user_data)
{
  Watch *watch = user_data;

  return watch->n_finished == watch->n_started && watch->n_started > 0;
}

static GFile *
write_queue (Fixture    *fixture,
             const char *name,
             const char *task_id)
{
  g_autofree char *text = g_strdup_printf ("{\"task_id\": \"%s\", \"task_description\": \"d\", "
                                           "\"agent_output\": {\"content\": \"c\", "
                                           "\"confidence\": 0.95}}\n", task_id);
  g_autofree char *path = vd_test_write_file (fixture->dir, name, text);

  return g_file_new_for_path (path);
}

/* Files wait for a store and while held; then one import at a time, with
 * the queue's policy or the request's own. */
static void
test_queue (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(VdImportQueue) queue = vd_import_queue_new ();
  g_autoptr(GFile) a = write_queue (fixture, "a.jsonl", "a");
  g_autoptr(GFile) b = write_queue (fixture, "b.jsonl", "b");
  g_autoptr(VdPolicy) rules = vd_policy_new ();
  Watch watch = { 0, };

  g_signal_connect (queue, "started", G_CALLBACK (started_cb), &watch);
  g_signal_connect (queue, "finished", G_CALLBACK (finished_cb), &watch);

  /* No store yet: it waits. */
  vd_import_queue_add (queue, &a, 1, NULL);
  g_assert_false (vd_import_queue_get_running (queue));

  /* Held: still waiting. */
  vd_import_queue_set_held (queue, TRUE);
  vd_import_queue_set_store (queue, fixture->store);
  g_assert_false (vd_import_queue_get_running (queue));

  /* Let go: a starts at once, b waits for it. */
  vd_import_queue_add (queue, &b, 1, rules);
  vd_import_queue_set_held (queue, FALSE);
  g_assert_true (vd_import_queue_get_running (queue));
  g_assert_cmpuint (watch.n_started, ==, 1);
  g_assert_cmpstr (watch.first_name, ==, "a.jsonl");

  while (watch.n_finished < 2)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (finished (&watch));
  g_assert_cmpuint (watch.n_started, ==, 2);
  g_assert_cmpstr (watch.first_name, ==, "b.jsonl");
  g_assert_no_error (watch.error);
  g_assert_cmpuint (watch.result.imported, ==, 1);
  g_assert_cmpfloat (vd_import_queue_get_fraction (queue), ==, 1.0);

  /* a with the queue's policy, which approves nothing by default (each
   * file is its own queue); b with its own (0.95 passes 0.7: approved). */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(VdItem) item_a = vd_store_get_item (fixture->store, "a", "a", &error);
    g_autoptr(VdItem) item_b = NULL;

    g_assert_no_error (error);
    item_b = vd_store_get_item (fixture->store, "b", "b", &error);
    g_assert_no_error (error);
    g_assert_true (vd_item_is_undecided (item_a));
    g_assert_false (vd_item_is_undecided (item_b));
  }

  /* Cancelled: nothing imported, the error says so. */
  {
    g_autoptr(GFile) c = write_queue (fixture, "c.jsonl", "c");

    vd_import_queue_add (queue, &c, 1, NULL);
    g_assert_true (vd_import_queue_get_running (queue));
    vd_import_queue_cancel (queue);
    while (watch.n_finished < 3)
      g_main_context_iteration (NULL, TRUE);
    g_assert_error (watch.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  }

  /* Cleared: the waiting files are dropped. */
  vd_import_queue_set_held (queue, TRUE);
  vd_import_queue_add (queue, &a, 1, NULL);
  vd_import_queue_clear (queue);
  vd_import_queue_set_held (queue, FALSE);
  g_assert_false (vd_import_queue_get_running (queue));
  g_assert_cmpuint (watch.n_started, ==, 3);

  g_clear_error (&watch.error);
  g_free (watch.first_name);
}

typedef struct
{
  gboolean        skip_invalid;
  char           *policy_name;
  VdPolicy       *policy;
  guint           n_files;
  VdImportResult  result;
  gboolean        done;
} Ended;

static void
ended_cb (VdImportQueue        *queue,
          const VdImportResult *result,
          const GError         *error,
          Ended                *ended)
{
  g_assert_no_error ((GError *) error);
  ended->skip_invalid = vd_import_queue_get_running_skip_invalid (queue);
  ended->policy_name = g_strdup (vd_import_queue_get_running_policy_name (queue));
  ended->policy = vd_import_queue_get_running_policy (queue);
  vd_import_queue_get_files (queue, &ended->n_files);
  ended->result = *result;
  ended->done = TRUE;
}

/* Skip-invalid leaves the bad lines out; "finished" names the request. */
static void
test_skip_invalid (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(VdImportQueue) queue = vd_import_queue_new ();
  g_autoptr(VdPolicy) policy = vd_policy_new ();
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  Ended ended = { 0, };

  path = vd_test_write_file (fixture->dir, "mixed.jsonl",
                             "{\"task_id\": \"good\", \"task_description\": \"d\", "
                             "\"agent_output\": {\"content\": \"c\", \"confidence\": 0.95}}\n"
                             "{\"task_id\": \"bad\", \"task_description\": \"d\", "
                             "\"agent_output\": {\"content\": \"c\", \"confidence\": 2}}\n");
  file = g_file_new_for_path (path);

  g_signal_connect (queue, "finished", G_CALLBACK (ended_cb), &ended);
  vd_import_queue_set_store (queue, fixture->store);
  vd_import_queue_add_full (queue, &file, 1, policy, "rules.json", TRUE);
  g_assert_true (vd_import_queue_get_running_policy (queue) == policy);

  while (!ended.done)
    g_main_context_iteration (NULL, TRUE);

  g_assert_true (ended.skip_invalid);
  g_assert_cmpstr (ended.policy_name, ==, "rules.json");
  g_assert_true (ended.policy == policy);
  g_assert_cmpuint (ended.n_files, ==, 1);
  g_assert_cmpuint (ended.result.imported, ==, 1);
  g_assert_cmpuint (ended.result.invalid, ==, 1);
  g_assert_cmpuint (ended.result.auto_approved, ==, 1);
  g_assert_null (vd_import_queue_get_running_policy (queue));
  g_assert_null (vd_import_queue_get_files (queue, NULL));

  g_free (ended.policy_name);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/import-queue/queue", Fixture, NULL, fixture_set_up, test_queue, fixture_tear_down);
  g_test_add ("/import-queue/skip-invalid", Fixture, NULL,
              fixture_set_up, test_skip_invalid, fixture_tear_down);

  return g_test_run ();
}
