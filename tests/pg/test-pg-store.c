/* test-pg-store.c: VdPgStore against a real PostgreSQL cluster
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
#include "vd-pg-store.h"
#include "vd-store-location.h"
#include "vd-test-pg.h"
#include "vd-test-util.h"

#define N_SAMPLE_ITEMS 55

static VdStore *
open_store (VdTestPg *pg)
{
  g_autoptr(GError) error = NULL;
  VdStore *store = vd_store_open_location (pg->conninfo, &error);

  g_assert_no_error (error);
  g_assert_true (VD_IS_PG_STORE (store));
  return store;
}

static void
import_sample (VdStore        *store,
               VdImportResult *result)
{
  g_autofree char *path = g_build_filename (g_getenv ("VERDICT_SAMPLES"), "review-queue.jsonl",
                                            NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(VdPolicy) policy = vd_policy_new ();
  g_autoptr(VdImporter) importer = vd_importer_new (store, policy);
  g_autoptr(GError) error = NULL;

  g_assert_true (vd_importer_import (importer, &file, 1, result, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
}

static guint64
count (VdStore    *store,
       guint       statuses,
       const char *search)
{
  VdItemQuery query = VD_ITEM_QUERY_INIT;
  g_autoptr(GError) error = NULL;
  guint64 n = 0;

  query.statuses = statuses;
  query.search = search;
  g_assert_true (vd_store_count_items (store, &query, &n, &error));
  g_assert_no_error (error);
  return n;
}

static void
assert_chain_verifies (VdStore *store)
{
  VdAuditReport report = { 0, };
  g_autoptr(GError) error = NULL;

  g_assert_true (vd_store_verify_audit_report (store, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpint (report.bad_seq, ==, 0);
  g_assert_cmpint (report.signing_started_seq, ==, 1);
  g_assert_cmpuint (report.n_events, >, 1);
}

static gboolean
decide (VdStore         *store,
        const char      *task_id,
        VdDecisionKind   kind,
        const char      *reviewer,
        const char      *feedback,
        const char      *content,
        GError         **error)
{
  g_autoptr(VdDecision) decision = vd_decision_new ("demo", task_id, kind, reviewer);

  if (feedback != NULL)
    vd_decision_set_feedback (decision, feedback);
  if (content != NULL)
    vd_decision_set_modified_content (decision, content);
  return vd_store_record_decision (store, decision, error);
}

/* An import, then what the lists, counts and searches read. */
static void
test_import_query (void)
{
  VdTestPg *pg = vd_test_pg_set_up (TRUE);
  g_autoptr(VdStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(VdItem) item = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_auto(GStrv) queues = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *sha256 = NULL;
  VdAttachment *attachment;
  VdItemQuery query = VD_ITEM_QUERY_INIT;
  VdImportResult result = { 0, };
  VdImportResult again = { 0, };

  if (pg == NULL)
    return;
  store = open_store (pg);

  import_sample (store, &result);
  g_assert_cmpuint (result.imported, ==, N_SAMPLE_ITEMS);
  g_assert_cmpuint (result.queued + result.auto_approved, ==, N_SAMPLE_ITEMS);
  g_assert_cmpuint (result.queued, >, 0);
  g_assert_cmpuint (result.auto_approved, >, 0);
  import_sample (store, &again);
  g_assert_cmpuint (again.imported, ==, 0);
  g_assert_cmpuint (again.skipped, ==, N_SAMPLE_ITEMS);

  g_assert_cmpuint (count (store, 0, NULL), ==, N_SAMPLE_ITEMS);
  g_assert_cmpuint (count (store, VD_STATUS_MASK_UNDECIDED, NULL), ==, result.queued);
  g_assert_cmpuint (count (store, VD_STATUS_MASK_DECIDED, NULL), ==, result.auto_approved);
  /* Search ignores case, in every text field. */
  g_assert_cmpuint (count (store, 0, "MERIDIAN TRADING"), ==, 1);
  g_assert_cmpuint (count (store, 0, "pay-88280"), ==, 1);
  g_assert_cmpuint (count (store, 0, "100%_no such text"), ==, 0);

  queues = vd_store_list_queues (store, &error);
  g_assert_no_error (error);
  g_assert_cmpstrv (queues, ((const char *[]) { "demo", NULL }));

  item = vd_store_get_item (store, NULL, "pay-88280", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (vd_item_get_queue (item), ==, "demo");
  g_assert_cmpint (vd_item_get_status (item), ==, VD_TASK_STATUS_PENDING);
  g_assert_cmpint (vd_item_get_escalation_reason (item), ==, VD_ESCALATION_REASON_ERROR_OCCURRED);
  g_assert_nonnull (strstr (vd_item_get_task_description (item), "Meridian Trading"));

  /* Attachments, and their bytes, are in the database. */
  g_clear_object (&item);
  item = vd_store_get_item (store, "demo", "cm-20441", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (vd_item_get_attachments (item)->len, ==, 1);
  attachment = g_ptr_array_index (vd_item_get_attachments (item), 0);
  g_assert_cmpstr (vd_attachment_get_name (attachment), ==, "cm-20441.png");
  bytes = vd_store_read_attachment (store, vd_attachment_get_sha256 (attachment), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_bytes_get_size (bytes), ==, vd_attachment_get_size (attachment));
  sha256 = vd_sha256_hex (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_assert_cmpstr (sha256, ==, vd_attachment_get_sha256 (attachment));

  g_assert_null (vd_store_get_item (store, "demo", "no-such-item", &error));
  g_assert_error (error, VD_STORE_ERROR, VD_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Lowest confidence first, as the review list shows it. */
  query.sort = VD_SORT_ORDER_CONFIDENCE;
  query.limit = 3;
  ids = vd_store_list_ids (store, &query, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, 3);
  items = vd_store_get_items_by_id (store, (const gint64 *) ids->data, ids->len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 3);
  g_assert_cmpint (vd_item_get_id (g_ptr_array_index (items, 0)), ==,
                   g_array_index (ids, gint64, 0));
  g_assert_cmpfloat (vd_item_get_confidence (g_ptr_array_index (items, 0)), <=,
                     vd_item_get_confidence (g_ptr_array_index (items, 2)));

  assert_chain_verifies (store);

  g_clear_object (&store);
  vd_test_pg_tear_down (pg);
}

/* Decisions of every kind; the store's refusals; another connection sees
 * the same. */
static void
test_decide (void)
{
  VdTestPg *pg = vd_test_pg_set_up (TRUE);
  g_autoptr(VdStore) store = NULL;
  g_autoptr(VdStore) reopened = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) decisions = NULL;
  g_autoptr(VdItem) item = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *reopened_hash = NULL;
  VdImportResult result = { 0, };
  gint64 seq = 0, reopened_seq = 0;
  gint64 modify_id;
  guint64 n_human = 0, n_approvals = 0;
  g_autoptr(GDateTime) from = NULL;
  g_autoptr(GDateTime) to = NULL;
  VdDecisionCounts counts = { 0, };
  VdStats stats = { 0, };
  const char *me;

  if (pg == NULL)
    return;
  store = open_store (pg);
  me = vd_pg_store_get_session_user (VD_PG_STORE (store));
  g_assert_cmpstr (me, ==, "postgres");
  import_sample (store, &result);

  g_assert_true (decide (store, "pay-88280", VD_DECISION_KIND_APPROVE, me, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (decide (store, "pay-88252", VD_DECISION_KIND_REJECT, me, "wrong amount", NULL,
                         &error));
  g_assert_no_error (error);
  g_assert_true (decide (store, "cm-20489", VD_DECISION_KIND_MODIFY, me, NULL, "Removed.",
                         &error));
  g_assert_no_error (error);

  /* Refused, nothing written. */
  g_assert_false (decide (store, "pay-88280", VD_DECISION_KIND_REJECT, me, "no", NULL, &error));
  g_assert_error (error, VD_STORE_ERROR, VD_STORE_ERROR_ALREADY_DECIDED);
  g_clear_error (&error);
  g_assert_false (decide (store, "ml-lease-0390", VD_DECISION_KIND_REJECT, me, NULL, NULL,
                          &error));
  g_assert_error (error, VD_STORE_ERROR, VD_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (decide (store, "ml-lease-0390", VD_DECISION_KIND_APPROVE, "mallory", NULL,
                          NULL, &error));
  g_assert_error (error, VD_STORE_ERROR, VD_STORE_ERROR_PERMISSION);
  g_assert_nonnull (strstr (error->message, "mallory"));
  g_clear_error (&error);

  decisions = vd_store_list_decisions (store, "demo", "pay-88252", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (decisions->len, ==, 1);
  g_assert_cmpint (vd_decision_get_kind (g_ptr_array_index (decisions, 0)), ==,
                   VD_DECISION_KIND_REJECT);
  g_assert_cmpstr (vd_decision_get_feedback (g_ptr_array_index (decisions, 0)), ==,
                   "wrong amount");
  g_assert_cmpstr (vd_decision_get_reviewer_id (g_ptr_array_index (decisions, 0)), ==, me);
  g_assert_false (vd_decision_get_automatic (g_ptr_array_index (decisions, 0)));
  g_assert_cmpuint (count (store, VD_STATUS_MASK_DECIDED, NULL), ==, result.auto_approved + 3);
  assert_chain_verifies (store);

  /* The statistics count what was decided, and by whom. */
  g_assert_true (vd_store_get_stats (store, "demo", &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.total_tasks, ==, N_SAMPLE_ITEMS);
  g_assert_cmpuint (stats.auto_approved, ==, result.auto_approved);
  g_assert_cmpuint (stats.pending, ==, result.queued - 3);
  g_assert_cmpuint (stats.human_approved, ==, 1);
  g_assert_cmpuint (stats.human_rejected, ==, 1);
  g_assert_cmpuint (stats.human_modified, ==, 1);
  g_assert_cmpfloat (stats.avg_confidence, >, 0.0);

  g_assert_true (vd_store_get_approval_rate (store, "demo", NULL, &n_human, &n_approvals,
                                             &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_human, ==, 3);
  g_assert_cmpuint (n_approvals, ==, 1);
  from = g_date_time_new_from_unix_utc (0);
  to = g_date_time_add_days (from, 365 * 100);
  g_assert_true (vd_store_count_decisions (store, NULL, from, to, &counts, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counts.approved, ==, 1);
  g_assert_cmpuint (counts.rejected, ==, 1);
  g_assert_cmpuint (counts.modified, ==, 1);
  g_assert_cmpuint (counts.automatic, ==, result.auto_approved);

  /* Taking the modification back: by its reviewer only, once. */
  g_clear_pointer (&decisions, g_ptr_array_unref);
  decisions = vd_store_list_decisions (store, "demo", "cm-20489", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (decisions->len, ==, 1);
  modify_id = vd_decision_get_id (g_ptr_array_index (decisions, 0));
  g_assert_false (vd_store_retract_decision (store, modify_id, "mallory", "oops", &error));
  g_assert_error (error, VD_STORE_ERROR, VD_STORE_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_true (vd_store_retract_decision (store, modify_id, me, "oops", &error));
  g_assert_no_error (error);
  item = vd_store_get_item (store, "demo", "cm-20489", &error);
  g_assert_no_error (error);
  g_assert_cmpint (vd_item_get_status (item), ==, VD_TASK_STATUS_PENDING);
  g_clear_object (&item);
  g_assert_false (vd_store_retract_decision (store, modify_id, me, "again", &error));
  g_assert_error (error, VD_STORE_ERROR, VD_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (decide (store, "cm-20489", VD_DECISION_KIND_MODIFY, me, NULL, "Removed.",
                         &error));
  g_assert_no_error (error);
  assert_chain_verifies (store);
  g_assert_true (vd_store_get_audit_head (store, &seq, &hash, &error));
  g_assert_no_error (error);

  /* Another connection (a reopened store) sees the same. */
  reopened = open_store (pg);
  item = vd_store_get_item (reopened, "demo", "cm-20489", &error);
  g_assert_no_error (error);
  g_assert_cmpint (vd_item_get_status (item), ==, VD_TASK_STATUS_MODIFIED);
  g_assert_true (vd_store_get_audit_head (reopened, &reopened_seq, &reopened_hash, &error));
  g_assert_cmpint (reopened_seq, ==, seq);
  g_assert_cmpstr (reopened_hash, ==, hash);
  assert_chain_verifies (reopened);

  g_clear_object (&store);
  g_clear_object (&reopened);
  vd_test_pg_tear_down (pg);
}

static void
terminate_backends (VdTestPg *pg)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count (pg_terminate_backend (pid)) "
                                          "FROM pg_stat_activity WHERE datname = '%s' "
                                          "AND pid <> pg_backend_pid ()", pg->dbname);
  g_autofree char *n = vd_test_pg_query (pg->admin_conninfo, sql);

  g_assert_cmpstr (n, ==, "1");
}

/* A killed connection fails the call in flight; the next call reconnects. */
static void
test_connection_lost (void)
{
  VdTestPg *pg = vd_test_pg_set_up (TRUE);
  g_autoptr(VdStore) store = NULL;
  g_autoptr(GError) error = NULL;
  VdImportResult result = { 0, };
  VdItemQuery query = VD_ITEM_QUERY_INIT;
  guint64 n = 0;

  if (pg == NULL)
    return;
  store = open_store (pg);
  import_sample (store, &result);

  terminate_backends (pg);
  g_assert_false (vd_store_count_items (store, &query, &n, &error));
  g_assert_error (error, VD_STORE_ERROR, VD_STORE_ERROR_CONNECTION);
  g_clear_error (&error);
  g_assert_cmpuint (count (store, 0, NULL), ==, N_SAMPLE_ITEMS);

  /* A write cut off is reported as failed and not saved. */
  terminate_backends (pg);
  g_assert_false (decide (store, "pay-88280", VD_DECISION_KIND_APPROVE, "postgres", NULL, NULL,
                          &error));
  g_assert_error (error, VD_STORE_ERROR, VD_STORE_ERROR_CONNECTION);
  g_clear_error (&error);
  g_assert_cmpuint (count (store, VD_STATUS_MASK_DECIDED, NULL), ==, result.auto_approved);
  g_assert_true (decide (store, "pay-88280", VD_DECISION_KIND_APPROVE, "postgres", NULL, NULL,
                         &error));
  g_assert_no_error (error);
  assert_chain_verifies (store);

  g_clear_object (&store);
  vd_test_pg_tear_down (pg);
}

/* A reviewer logged in as a role of their own (a member of
 * verdict_reviewer, with a password): decides as themself only, and the
 * chain holds. */
static void
test_reviewer_role (void)
{
  VdTestPg *pg = vd_test_pg_set_up (TRUE);
  g_autoptr(VdStore) admin = NULL;
  g_autoptr(VdPgStore) reviewer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *role = NULL;
  g_autofree char *create = NULL;
  g_autofree char *conninfo = NULL;
  g_autofree char *has_group = NULL;
  g_autofree char *admin_conninfo = NULL;
  VdImportResult result = { 0, };

  if (pg == NULL)
    return;
  has_group = vd_test_pg_query (pg->conninfo,
                                "SELECT count (*) FROM pg_roles WHERE rolname = 'verdict_reviewer'");
  if (g_strcmp0 (has_group, "1") != 0)
    {
      g_test_skip ("the schema has no group roles (no security.sql)");
      vd_test_pg_tear_down (pg);
      return;
    }

  admin = open_store (pg);
  import_sample (admin, &result);

  role = g_strdup_printf ("reviewer_%08x", g_random_int ());
  create = g_strdup_printf ("CREATE ROLE %s LOGIN PASSWORD 'secret words' IN ROLE verdict_reviewer",
                            role);
  g_free (vd_test_pg_query (pg->conninfo, create));
  conninfo = g_strdup_printf ("%s user=%s", pg->conninfo, role);

  reviewer = vd_pg_store_new_full (conninfo, "secret words", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (vd_pg_store_get_session_user (reviewer), ==, role);

  g_assert_true (decide (VD_STORE (reviewer), "pay-88252", VD_DECISION_KIND_REJECT, role,
                         "wrong amount", NULL, &error));
  g_assert_no_error (error);
  g_assert_false (decide (VD_STORE (reviewer), "cm-20489", VD_DECISION_KIND_APPROVE, "postgres",
                          NULL, NULL, &error));
  g_assert_error (error, VD_STORE_ERROR, VD_STORE_ERROR_PERMISSION);
  g_clear_error (&error);

  assert_chain_verifies (VD_STORE (reviewer));
  assert_chain_verifies (admin);

  g_clear_object (&reviewer);
  g_clear_object (&admin);
  admin_conninfo = g_strdup (pg->admin_conninfo);
  vd_test_pg_tear_down (pg);
  /* Roles belong to the cluster, not the database. */
  g_clear_pointer (&create, g_free);
  create = g_strdup_printf ("DROP ROLE %s", role);
  g_free (vd_test_pg_query (admin_conninfo, create));
}

typedef struct
{
  VdStore  *store;
  guint     seed;
  guint     n_decided;
  guint     n_refused;
} Worker;

/* Decides undecided items, picked at random, until none is left. */
static gpointer
work (gpointer data)
{
  Worker *worker = data;
  GRand *rand = g_rand_new_with_seed (worker->seed);

  for (;;)
    {
      VdItemQuery query = VD_ITEM_QUERY_INIT;
      g_autoptr(GArray) ids = NULL;
      g_autoptr(GPtrArray) items = NULL;
      g_autoptr(GError) error = NULL;
      VdItem *item;
      gint64 id;

      query.statuses = VD_STATUS_MASK_UNDECIDED;
      ids = vd_store_list_ids (worker->store, &query, &error);
      g_assert_no_error (error);
      if (ids->len == 0)
        break;

      id = g_array_index (ids, gint64, g_rand_int_range (rand, 0, ids->len));
      items = vd_store_get_items_by_id (worker->store, &id, 1, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (items->len, ==, 1);
      item = g_ptr_array_index (items, 0);

      if (decide (worker->store, vd_item_get_task_id (item), VD_DECISION_KIND_APPROVE,
                  "postgres", NULL, NULL, &error))
        worker->n_decided++;
      else
        {
          g_assert_error (error, VD_STORE_ERROR, VD_STORE_ERROR_ALREADY_DECIDED);
          worker->n_refused++;
        }
    }

  g_rand_free (rand);
  return NULL;
}

/* Two stores deciding from 8 threads: one chain, no item decided twice. */
static void
test_concurrent (void)
{
  VdTestPg *pg = vd_test_pg_set_up (TRUE);
  g_autoptr(VdStore) first = NULL;
  g_autoptr(VdStore) second = NULL;
  g_autofree char *twice = NULL;
  g_autofree char *n_decisions = NULL;
  VdImportResult result = { 0, };
  Worker workers[8];
  GThread *threads[8];
  guint n_decided = 0;

  if (pg == NULL)
    return;
  first = open_store (pg);
  second = open_store (pg);
  import_sample (first, &result);

  for (guint i = 0; i < G_N_ELEMENTS (workers); i++)
    {
      workers[i] = (Worker) { i % 2 == 0 ? first : second, i + 1, 0, 0 };
      threads[i] = g_thread_new ("decider", work, &workers[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (workers); i++)
    {
      g_thread_join (threads[i]);
      n_decided += workers[i].n_decided;
    }

  g_assert_cmpuint (n_decided, ==, result.queued);
  twice = vd_test_pg_query (pg->conninfo,
                            "SELECT count (*) FROM (SELECT item_id FROM decisions "
                            "GROUP BY item_id HAVING count (*) > 1) t");
  g_assert_cmpstr (twice, ==, "0");
  n_decisions = vd_test_pg_query (pg->conninfo, "SELECT count (*) FROM decisions");
  g_assert_cmpint (g_ascii_strtoll (n_decisions, NULL, 10), ==, N_SAMPLE_ITEMS);
  assert_chain_verifies (first);
  assert_chain_verifies (second);

  g_clear_object (&first);
  g_clear_object (&second);
  vd_test_pg_tear_down (pg);
}

/* A location opens the backend it names. */
static void
test_location (void)
{
  g_assert_true (vd_store_location_is_postgresql ("postgresql://alice@db.example/verdict"));
  g_assert_true (vd_store_location_is_postgresql ("postgres://db.example/verdict"));
  g_assert_true (vd_store_location_is_postgresql ("host=/tmp dbname=verdict"));
  g_assert_true (vd_store_location_is_postgresql ("dbname=verdict"));
  g_assert_true (vd_store_location_is_postgresql ("user=alice host=db.example"));
  g_assert_false (vd_store_location_is_postgresql ("colour=blue.db"));
  g_assert_false (vd_store_location_is_postgresql ("/home/alice/verdict.db"));
  g_assert_false (vd_store_location_is_postgresql ("postgresql.db"));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *data_home = NULL;
  int status;

  /* The installation keys go to a folder of this test's own. */
  data_home = vd_test_make_tmp_dir ("test-pg-store");
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/pg-store/location", test_location);
  g_test_add_func ("/pg-store/import-query", test_import_query);
  g_test_add_func ("/pg-store/decide", test_decide);
  g_test_add_func ("/pg-store/reviewer-role", test_reviewer_role);
  g_test_add_func ("/pg-store/connection-lost", test_connection_lost);
  g_test_add_func ("/pg-store/concurrent", test_concurrent);

  status = g_test_run ();
  vd_test_remove_tree (data_home);
  return status;
}
