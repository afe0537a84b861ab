/* test-backpressure.c: queue limits in the agent loop, against the test LLM server
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

#include <glib/gstdio.h>
#include <string.h>

#include "vd-core.h"
#include "vd-test-util.h"
#include "vd-test-llm-server.h"
#include "vd-workflow-private.h"

typedef struct
{
  char            *dir;
  VdStore         *store;
  VdTestLlmServer *server;
  VdLlmClient     *client;
} Fixture;

typedef struct
{
  gboolean  done;
  VdItem   *item;
  GError   *error;
} Submitted;

static void
submitted_clear (Submitted *submitted)
{
  g_clear_object (&submitted->item);
  g_clear_error (&submitted->error);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Submitted, submitted_clear)

typedef struct
{
  guint    n_emitted;
  char    *queue;
  guint64  pending;
  guint    limit;
} FullWatch;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db = NULL;

  fixture->dir = vd_test_make_tmp_dir ("backpressure");
  db = g_build_filename (fixture->dir, "verdict.db", NULL);
  fixture->store = vd_test_open_store (db);

  fixture->server = vd_test_llm_server_new ();
  fixture->client = vd_llm_client_new (vd_test_llm_server_get_base_url (fixture->server),
                                       "test-model");
  g_object_set (fixture->client, "retry-base-ms", 10, "max-retries", 0, NULL);

  /* Every answer is unsure: every output is queued for a reviewer. */
  vd_test_llm_server_set_default (fixture->server,
                                  vd_test_reply_new_content ("{\"content\": \"Refund $40.\", "
                                                             "\"confidence\": 0.4, "
                                                             "\"reasoning\": \"r\", "
                                                             "\"metadata\": {}}"));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  vd_test_assert_finalized (fixture->client);
  vd_test_assert_finalized (fixture->store);
  vd_test_llm_server_free (fixture->server);
  vd_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
}

static void
on_submitted (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Submitted *submitted = user_data;

  submitted->item = vd_workflow_submit_finish (VD_WORKFLOW (object), result, &submitted->error);
  submitted->done = TRUE;
}

static void
submit (VdWorkflow   *workflow,
        const char   *task_id,
        GCancellable *cancellable,
        Submitted    *submitted)
{
  vd_workflow_submit_async (workflow, "payments", task_id, "Refund order", "payment", NULL,
                            cancellable, on_submitted, submitted);
}

static guint64
count_undecided (Fixture *fixture)
{
  VdItemQuery query = VD_ITEM_QUERY_INIT;
  g_autoptr(GError) error = NULL;
  guint64 count = 0;

  query.statuses = VD_STATUS_MASK_UNDECIDED;
  query.queue = "payments";
  g_assert_true (vd_store_count_items (fixture->store, &query, &count, &error));
  g_assert_no_error (error);
  return count;
}

static void
on_queue_full (VdWorkflow *workflow,
               const char *queue,
               guint64     pending,
               guint       limit,
               FullWatch  *watch)
{
  watch->n_emitted++;
  g_free (watch->queue);
  watch->queue = g_strdup (queue);
  watch->pending = pending;
  watch->limit = limit;
}

static void
test_refuse (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VdPolicy) policy =
    vd_policy_new_from_data ("{\"sla_minutes\": 30, \"queues\": {\"payments\": "
                             "{\"max_pending\": 2, \"on_full\": \"refuse\"}}}",
                             -1, "policy.json", &error);
  g_autoptr(VdWorkflow) workflow = NULL;
  g_autoptr(GDateTime) before = g_date_time_new_now_utc ();
  g_auto(Submitted) a = { 0, };
  g_auto(Submitted) b = { 0, };
  g_auto(Submitted) c = { 0, };
  g_auto(Submitted) d = { 0, };
  g_autofree char *decided = NULL;

  g_assert_no_error (error);
  workflow = vd_workflow_new (fixture->store, policy, fixture->client);

  /* Three at once into an empty queue with room for two: the one that
   * reaches the limit last is refused before its agent runs, counting the
   * two on their way (which one depends on which id check ends first). */
  submit (workflow, "t1", NULL, &a);
  submit (workflow, "t2", NULL, &b);
  submit (workflow, "t3", NULL, &c);
  vd_test_wait_for (&a.done, 5000);
  vd_test_wait_for (&b.done, 5000);
  vd_test_wait_for (&c.done, 5000);
  {
    Submitted *all[] = { &a, &b, &c };
    Submitted *refused = NULL;
    Submitted *stored = NULL;

    for (guint i = 0; i < G_N_ELEMENTS (all); i++)
      {
        if (all[i]->error != NULL)
          {
            g_assert_null (refused);
            refused = all[i];
          }
        else
          stored = all[i];
      }

    g_assert_nonnull (refused);
    g_assert_null (refused->item);
    g_assert_error (refused->error, VD_BACKPRESSURE_ERROR, VD_BACKPRESSURE_ERROR_QUEUE_FULL);
    g_assert_cmpstr (refused->error->message, ==,
                     "queue “payments” is full: 2 pending items, the limit is 2; new inputs "
                     "are refused");

    /* The agent's queued outputs get the SLA of their type as deadline. */
    g_assert_nonnull (vd_item_get_due_at (stored->item));
    g_assert_cmpint (g_date_time_difference (vd_item_get_due_at (stored->item), before), >=,
                     30 * G_TIME_SPAN_MINUTE);
    g_assert_cmpint (g_date_time_difference (vd_item_get_due_at (stored->item), before), <,
                     31 * G_TIME_SPAN_MINUTE);
    decided = g_strdup (vd_item_get_task_id (stored->item));
  }
  g_assert_cmpuint (vd_test_llm_server_get_n_requests (fixture->server), ==, 2);
  g_assert_cmpuint (count_undecided (fixture), ==, 2);

  /* A decision makes room for one more. */
  {
    g_autoptr(VdDecision) decision = vd_decision_new ("payments", decided,
                                                      VD_DECISION_KIND_APPROVE, "alice");

    g_assert_true (vd_store_record_decision (fixture->store, decision, &error));
    g_assert_no_error (error);
  }
  submit (workflow, "t4", NULL, &d);
  vd_test_wait_for (&d.done, 5000);
  g_assert_no_error (d.error);
  g_assert_cmpstr (vd_item_get_task_id (d.item), ==, "t4");
  g_assert_cmpuint (vd_test_llm_server_get_n_requests (fixture->server), ==, 3);

  vd_test_assert_finalized (g_steal_pointer (&workflow));
}

static void
test_pause (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VdPolicy) policy =
    vd_policy_new_from_data ("{\"queues\": {\"payments\": {\"max_pending\": 1, "
                             "\"on_full\": \"pause_agent\"}}}",
                             -1, "policy.json", &error);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(VdWorkflow) workflow = NULL;
  g_auto(Submitted) a = { 0, };
  g_auto(Submitted) b = { 0, };
  g_auto(Submitted) c = { 0, };
  g_auto(Submitted) d = { 0, };
  Submitted *first;
  Submitted *second;
  FullWatch watch = { 0, };

  g_assert_no_error (error);
  workflow = vd_workflow_new (fixture->store, policy, fixture->client);
  _vd_workflow_set_backpressure_interval (workflow, 50);
  g_signal_connect (workflow, "queue-full", G_CALLBACK (on_queue_full), &watch);

  submit (workflow, "t1", NULL, &a);
  vd_test_wait_for (&a.done, 5000);
  g_assert_no_error (a.error);
  g_assert_cmpuint (watch.n_emitted, ==, 0);

  /* Full: the next two wait, in order, without running the agent; the
   * wait is announced once. */
  submit (workflow, "t2", NULL, &b);
  submit (workflow, "t3", NULL, &c);
  vd_test_iterate_for (300);
  g_assert_false (b.done);
  g_assert_false (c.done);
  g_assert_cmpuint (vd_test_llm_server_get_n_requests (fixture->server), ==, 1);
  g_assert_cmpuint (watch.n_emitted, ==, 1);
  g_assert_cmpstr (watch.queue, ==, "payments");
  g_assert_cmpuint (watch.pending, ==, 1);
  g_assert_cmpuint (watch.limit, ==, 1);

  /* A reviewer decides: one of them goes (the first to reach the gate),
   * the other waits behind it again. */
  {
    g_autoptr(VdDecision) decision = vd_decision_new ("payments", "t1",
                                                      VD_DECISION_KIND_APPROVE, "alice");

    g_assert_true (vd_store_record_decision (fixture->store, decision, &error));
    g_assert_no_error (error);
  }
  while (!b.done && !c.done)
    g_main_context_iteration (NULL, TRUE);
  first = b.done ? &b : &c;
  second = b.done ? &c : &b;
  g_assert_no_error (first->error);
  vd_test_iterate_for (200);
  g_assert_false (second->done);
  g_assert_cmpuint (vd_test_llm_server_get_n_requests (fixture->server), ==, 2);
  g_assert_cmpuint (count_undecided (fixture), ==, 1);
  g_assert_cmpuint (watch.n_emitted, ==, 2);

  /* Cancelling a waiting submission ends its wait; nothing is stored. */
  submit (workflow, "t4", cancellable, &d);
  vd_test_iterate_for (100);
  g_cancellable_cancel (cancellable);
  {
    g_autoptr(VdDecision) decision = vd_decision_new ("payments",
                                                      vd_item_get_task_id (first->item),
                                                      VD_DECISION_KIND_APPROVE, "alice");

    g_assert_true (vd_store_record_decision (fixture->store, decision, &error));
  }
  vd_test_wait_for (&second->done, 5000);
  vd_test_wait_for (&d.done, 5000);
  g_assert_no_error (second->error);
  g_assert_error (d.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (vd_test_llm_server_get_n_requests (fixture->server), ==, 3);

  g_signal_handlers_disconnect_by_data (workflow, &watch);
  g_free (watch.queue);
  vd_test_assert_finalized (g_steal_pointer (&workflow));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/backpressure/workflow/refuse", Fixture, NULL, fixture_set_up, test_refuse,
              fixture_tear_down);
  g_test_add ("/backpressure/workflow/pause", Fixture, NULL, fixture_set_up, test_pause,
              fixture_tear_down);

  return g_test_run ();
}
