/* test-watch.c: live updates of a store (vd_store_watch)
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

/* How soon another connection's decision must be announced. */
#define ANNOUNCE_MS 1000
/* Longer than the watcher's interval (500 ms) with a margin: how long to
 * wait before concluding that nothing was announced. */
#define QUIET_MS 1200

typedef struct
{
  VdTestStore  base;
  VdStore     *other;      /* a second connection to the same file */
  guint        n_emitted;
  gint64       last_head;
} Fixture;

static const char queue_text[] =
  "{\"verdict_queue\": 1, \"queue\": \"q\"}\n"
  "{\"task_id\": \"t1\", \"task_description\": \"One\", "
  "\"agent_output\": {\"content\": \"1\", \"confidence\": 0.1}}\n"
  "{\"task_id\": \"t2\", \"task_description\": \"Two\", "
  "\"agent_output\": {\"content\": \"2\", \"confidence\": 0.2}}\n";

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  VdImportResult result = { 0, };

  vd_test_store_set_up (&fixture->base, "watch");
  vd_test_import_text (fixture->base.store, fixture->base.dir, "q.jsonl", queue_text, NULL,
                       &result);
  g_assert_cmpuint (result.imported, ==, 2);
  fixture->other = vd_test_open_store (fixture->base.db);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (fixture->other != NULL)
    vd_test_assert_finalized (g_steal_pointer (&fixture->other));
  vd_test_store_tear_down (&fixture->base);
}

static void
appended_cb (VdStore *store,
             gint64   head_seq,
             Fixture *fixture)
{
  g_assert_true (store == fixture->base.store);
  /* Always on the thread that watches. */
  g_assert_true (g_main_context_is_owner (g_main_context_default ()));
  fixture->n_emitted++;
  fixture->last_head = head_seq;
}

static gboolean
emitted (gpointer user_data)
{
  Fixture *fixture = user_data;

  return fixture->n_emitted > 0;
}

static void
decide (VdStore    *store,
        const char *task_id,
        const char *reviewer)
{
  g_autoptr(VdDecision) decision = vd_decision_new ("q", task_id, VD_DECISION_KIND_APPROVE,
                                                    reviewer);
  g_autoptr(GError) error = NULL;

  g_assert_true (vd_store_record_decision (store, decision, &error));
  g_assert_no_error (error);
}

static gint64
head_of (VdStore *store)
{
  g_autoptr(GError) error = NULL;
  gint64 seq = 0;

  g_assert_true (vd_store_get_audit_head (store, &seq, NULL, &error));
  g_assert_no_error (error);

  return seq;
}

static void
watch (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;

  g_signal_connect (fixture->base.store, "audit-appended", G_CALLBACK (appended_cb), fixture);
  g_assert_true (vd_store_watch (fixture->base.store, &error));
  g_assert_no_error (error);

  /* PostgreSQL's watcher connects on its own thread and, once it listens,
   * announces the head once so that nothing appended meanwhile is missed;
   * consumers read from the last seq they saw. Wait for that, then count
   * from zero. */
  if (!vd_test_store_is_sqlite ())
    {
      g_assert_true (vd_test_iterate_until (emitted, fixture, ANNOUNCE_MS));
      fixture->n_emitted = 0;
    }
}

/* Another connection's decision is announced within a second, with the
 * new head; the watched store's own writes are not. */
static void
test_other_connection (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  watch (fixture);
  /* Watching twice is watching once. */
  g_assert_true (vd_store_watch (fixture->base.store, &error));
  g_assert_no_error (error);

  decide (fixture->base.store, "t1", "alice");
  vd_test_iterate_for (QUIET_MS);
  g_assert_cmpuint (fixture->n_emitted, ==, 0);

  decide (fixture->other, "t2", "bob");
  g_assert_true (vd_test_iterate_until (emitted, fixture, ANNOUNCE_MS));
  g_assert_cmpuint (fixture->n_emitted, ==, 1);
  g_assert_cmpint (fixture->last_head, ==, head_of (fixture->other));

  /* Nothing more until something more is appended. */
  vd_test_iterate_for (QUIET_MS);
  g_assert_cmpuint (fixture->n_emitted, ==, 1);

  vd_store_unwatch (fixture->base.store);
}

/* Unwatching stops the thread: an emission already posted is dropped and
 * later appends are not announced. */
static void
test_unwatch (Fixture       *fixture,
              gconstpointer  data)
{
  gint64 start;

  watch (fixture);
  decide (fixture->other, "t1", "bob");
  /* The main context does not run meanwhile: the watcher posts its
   * emission, which waits there. */
  g_usleep (QUIET_MS * G_TIME_SPAN_MILLISECOND);

  start = g_get_monotonic_time ();
  vd_store_unwatch (fixture->base.store);
  /* No wait for the watcher's next check. */
  g_assert_cmpint (g_get_monotonic_time () - start, <, 400 * G_TIME_SPAN_MILLISECOND);

  vd_test_iterate_for (100);
  decide (fixture->other, "t2", "bob");
  vd_test_iterate_for (QUIET_MS);
  g_assert_cmpuint (fixture->n_emitted, ==, 0);

  /* Unwatching again does nothing; watching again announces again. */
  vd_store_unwatch (fixture->base.store);
  watch (fixture);
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) decisions = vd_store_list_decisions (fixture->other, "q", "t2",
                                                              &error);

    g_assert_no_error (error);
    g_assert_cmpuint (decisions->len, ==, 1);
    g_assert_true (vd_store_retract_decision (fixture->other,
                                              vd_decision_get_id (decisions->pdata[0]),
                                              "bob", "changed my mind", &error));
    g_assert_no_error (error);
  }
  g_assert_true (vd_test_iterate_until (emitted, fixture, ANNOUNCE_MS));
  g_assert_cmpint (fixture->last_head, ==, head_of (fixture->other));
}

/* A store finalized while watched stops its watcher promptly, and an
 * emission posted for it is dropped. */
static void
test_finalize (Fixture       *fixture,
               gconstpointer  data)
{
  gint64 start;

  watch (fixture);
  decide (fixture->other, "t1", "bob");
  g_usleep (QUIET_MS * G_TIME_SPAN_MILLISECOND);

  start = g_get_monotonic_time ();
  vd_test_assert_finalized (g_steal_pointer (&fixture->base.store));
  g_assert_cmpint (g_get_monotonic_time () - start, <, 400 * G_TIME_SPAN_MILLISECOND);

  vd_test_iterate_for (100);
  g_assert_cmpuint (fixture->n_emitted, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/watch/other-connection", Fixture, NULL,
                fixture_set_up, test_other_connection, fixture_tear_down);
  g_test_add ("/watch/unwatch", Fixture, NULL,
                fixture_set_up, test_unwatch, fixture_tear_down);
  g_test_add ("/watch/finalize", Fixture, NULL,
                fixture_set_up, test_finalize, fixture_tear_down);

  return g_test_run ();
}
