/* test-decision-log.c: the decisions of a run and undoing them
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
  vd_test_store_set_up (fixture, "decision-log");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  vd_test_store_tear_down (fixture);
}

static const char queue_text[] =
  "{\"verdict_queue\": 1, \"queue\": \"q\"}\n"
  "{\"task_id\": \"t1\", \"task_description\": \"One\", "
  "\"agent_output\": {\"content\": \"1\", \"confidence\": 0.1}}\n"
  "{\"task_id\": \"t2\", \"task_description\": \"Two\", "
  "\"agent_output\": {\"content\": \"2\", \"confidence\": 0.2}}\n";

static VdItem *
get_item (Fixture    *fixture,
          const char *task_id)
{
  g_autoptr(GError) error = NULL;
  VdItem *item = vd_store_get_item (fixture->store, "q", task_id, &error);

  g_assert_no_error (error);

  return item;
}

static GAsyncResult *
wait_result (GAsyncResult **slot)
{
  g_assert_true (vd_test_iterate_until (vd_test_has_result, slot, 20000));

  return *slot;
}

typedef struct
{
  gint64 last;
  guint  n;
} Recorded;

static void
recorded_cb (VdDecisionLog *log,
             VdDecision    *decision,
             gint64         item_id,
             Recorded      *recorded)
{
  g_assert_true (VD_IS_DECISION (decision));
  recorded->last = item_id;
  recorded->n++;
}

static void
undone_cb (VdDecisionLog *log,
           gint64         item_id,
           gint64        *last)
{
  *last = item_id;
}

static void
test_record_undo (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(VdDecisionLog) log = vd_decision_log_new (fixture->store);
  g_autoptr(VdItem) t1 = NULL;
  g_autoptr(VdItem) t2 = NULL;
  g_autoptr(VdItem) after = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *result = NULL;
  VdImportResult import = { 0, };
  Recorded recorded = { 0, 0 };
  gint64 undone = 0;
  const char *newest;

  vd_test_import_text (fixture->store, fixture->dir, "q.jsonl", queue_text, NULL, &import);
  t1 = get_item (fixture, "t1");
  t2 = get_item (fixture, "t2");
  g_signal_connect (log, "recorded", G_CALLBACK (recorded_cb), &recorded);
  g_signal_connect (log, "undone", G_CALLBACK (undone_cb), &undone);

  /* Nothing yet: nothing to undo. */
  g_assert_cmpuint (vd_decision_log_get_n_decisions (log), ==, 0);
  g_assert_false (vd_decision_log_get_can_undo (log));
  vd_decision_log_undo_async (log, "Undone", NULL, vd_test_got_result, &result);
  g_assert_cmpint (vd_decision_log_undo_finish (log, wait_result (&result), &error), ==, 0);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_clear_object (&result);

  /* Two decisions on their way: busy, the items are being recorded. */
  {
    g_autoptr(VdDecision) a = vd_decision_new ("q", "t1", VD_DECISION_KIND_APPROVE, "rev");
    g_autoptr(VdDecision) b = vd_decision_new ("q", "t2", VD_DECISION_KIND_REJECT, "rev");
    GAsyncResult *result_b = NULL;

    vd_decision_set_feedback (b, "Fix it.");
    vd_decision_log_record_async (log, a, vd_item_get_id (t1), NULL, vd_test_got_result,
                                  &result);
    vd_decision_log_record_async (log, b, vd_item_get_id (t2), NULL, vd_test_got_result,
                                  &result_b);
    g_assert_true (vd_decision_log_get_busy (log));
    g_assert_true (vd_decision_log_is_recording (log, vd_item_get_id (t1)));
    g_assert_true (vd_decision_log_is_recording (log, vd_item_get_id (t2)));
    g_assert_false (vd_decision_log_get_can_undo (log));

    g_assert_true (vd_decision_log_record_finish (log, wait_result (&result), &error));
    g_assert_no_error (error);
    g_assert_true (vd_decision_log_record_finish (log, wait_result (&result_b), &error));
    g_assert_no_error (error);
    g_clear_object (&result);
    g_clear_object (&result_b);
  }

  g_assert_false (vd_decision_log_get_busy (log));
  g_assert_false (vd_decision_log_is_recording (log, vd_item_get_id (t1)));
  g_assert_cmpuint (vd_decision_log_get_n_decisions (log), ==, 2);
  g_assert_true (vd_decision_log_get_can_undo (log));
  /* The two ran on worker threads: either may have been stored last. */
  g_assert_cmpuint (recorded.n, ==, 2);
  g_assert_true (recorded.last == vd_item_get_id (t1) || recorded.last == vd_item_get_id (t2));
  newest = recorded.last == vd_item_get_id (t1) ? "t1" : "t2";

  /* A refused decision leaves the log as it was. */
  {
    g_autoptr(VdDecision) again = vd_decision_new ("q", "t1", VD_DECISION_KIND_APPROVE, "rev");

    vd_decision_log_record_async (log, again, vd_item_get_id (t1), NULL, vd_test_got_result,
                                  &result);
    g_assert_false (vd_decision_log_record_finish (log, wait_result (&result), &error));
    g_assert_nonnull (error);
    g_clear_error (&error);
    g_clear_object (&result);
    g_assert_cmpuint (vd_decision_log_get_n_decisions (log), ==, 2);
    g_assert_false (vd_decision_log_get_busy (log));
  }

  /* Undo takes back the newest stored: that item is undecided again. */
  vd_decision_log_undo_async (log, "Undone by the reviewer", NULL, vd_test_got_result, &result);
  g_assert_true (vd_decision_log_get_busy (log));
  g_assert_cmpint (vd_decision_log_undo_finish (log, wait_result (&result), &error), ==,
                   recorded.last);
  g_assert_no_error (error);
  g_clear_object (&result);
  g_assert_cmpint (undone, ==, recorded.last);
  g_assert_cmpuint (vd_decision_log_get_n_decisions (log), ==, 1);
  after = get_item (fixture, newest);
  g_assert_cmpint (vd_item_get_status (after), ==, VD_TASK_STATUS_PENDING);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/decision-log/record-undo", Fixture, NULL,
              fixture_set_up, test_record_undo, fixture_tear_down);

  return g_test_run ();
}
