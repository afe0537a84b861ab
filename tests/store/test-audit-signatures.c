/* test-audit-signatures.c: the signed audit trail, the roster gate and the
 * decisions' stamps
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
#include <sqlite3.h>
#include <string.h>

#include "vd-core.h"
#include "vd-test-util.h"

typedef struct
{
  char *dir;
  char *path;
  char *keys_dir;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->dir = vd_test_make_tmp_dir ("audit-signatures");
  fixture->path = g_build_filename (fixture->dir, "verdict.db", NULL);
  fixture->keys_dir = g_build_filename (fixture->dir, "keys", NULL);
  g_setenv ("VERDICT_KEYS_DIR", fixture->keys_dir, TRUE);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  vd_test_remove_tree (fixture->dir);
  g_free (fixture->keys_dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

static VdItem *
make_item (const char   *task_id,
           VdTaskStatus  status)
{
  VdItem *item = vd_item_new ("payments", task_id);
  g_autoptr(JsonObject) metadata = json_object_new ();

  vd_item_set_task_description (item, "Check the payment");
  vd_item_set_content (item, "Pay the invoice");
  vd_item_set_confidence (item, 0.5);
  vd_item_set_escalation_reason (item, VD_ESCALATION_REASON_LOW_CONFIDENCE);
  vd_item_set_status (item, status);
  json_object_set_string_member (metadata, "model", "triage-7b");
  json_object_set_string_member (metadata, "prompt_version", "v12");
  json_object_set_int_member (metadata, "amount", 40);
  vd_item_set_metadata (item, metadata);

  return item;
}

/* t1, t2, t3 pending, t4 escalated, in queue payments. */
static void
import_items (VdStore *store)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  VdImportResult result = { 0, };

  g_ptr_array_add (items, make_item ("t1", VD_TASK_STATUS_PENDING));
  g_ptr_array_add (items, make_item ("t2", VD_TASK_STATUS_PENDING));
  g_ptr_array_add (items, make_item ("t3", VD_TASK_STATUS_PENDING));
  g_ptr_array_add (items, make_item ("t4", VD_TASK_STATUS_ESCALATED));
  g_assert_true (vd_store_import_items (store, "payments.jsonl", items, &result, NULL, NULL,
                                        NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.imported, ==, 4);
}

static VdDecision *
try_decide (VdStore         *store,
            const char      *task_id,
            VdDecisionKind   kind,
            const char      *reviewer,
            GError         **error)
{
  g_autoptr(VdDecision) decision = vd_decision_new ("payments", task_id, kind, reviewer);

  if (kind == VD_DECISION_KIND_REJECT)
    vd_decision_set_feedback (decision, "Wrong account");
  if (!vd_store_record_decision (store, decision, error))
    return NULL;

  return g_steal_pointer (&decision);
}

static VdDecision *
decide (VdStore    *store,
        const char *task_id,
        const char *reviewer)
{
  g_autoptr(GError) error = NULL;
  VdDecision *decision = try_decide (store, task_id, VD_DECISION_KIND_APPROVE, reviewer, &error);

  g_assert_no_error (error);
  g_assert_nonnull (decision);
  return decision;
}

static VdKey *
generate_key (const char *keys_dir,
              const char *reviewer)
{
  g_autoptr(VdKeystore) keystore = vd_keystore_new (keys_dir);
  g_autoptr(GError) error = NULL;
  VdKey *key = vd_keystore_generate (keystore, reviewer, "correct horse", &error);

  g_assert_no_error (error);
  g_assert_nonnull (key);
  return key;
}

static VdAuditReport
verify_ok (VdStore *store)
{
  VdAuditReport report;
  g_autoptr(GError) error = NULL;
  guint64 n_checked = 0;
  gint64 head_seq = 0;

  g_assert_true (vd_store_verify_audit_report (store, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpint (report.bad_seq, ==, 0);
  g_assert_true (vd_store_get_audit_head (store, &head_seq, NULL, &error));
  g_assert_cmpuint (report.n_events, ==, head_seq);
  g_assert_cmpuint (report.n_events, ==, report.n_unsigned + report.n_signed_reviewer +
                                         report.n_signed_installation);

  /* The old entry point agrees. */
  g_assert_true (vd_store_verify_audit (store, NULL, &n_checked, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_checked, ==, report.n_events);

  return report;
}

static void
verify_fails (const char *path,
              gint64      expected_seq,
              const char *expected_message)
{
  g_autoptr(VdStore) store = vd_test_open_store (path);
  g_autoptr(GError) error = NULL;
  VdAuditReport report;

  g_assert_false (vd_store_verify_audit_report (store, &report, &error));
  g_assert_error (error, VD_STORE_ERROR, VD_STORE_ERROR_FAILED);
  g_assert_cmpstr (error->message, ==, expected_message);
  g_assert_cmpint (report.bad_seq, ==, expected_seq);
}

static void
raw_exec (const char *path,
          const char *sql)
{
  sqlite3 *db = NULL;
  char *message = NULL;

  if (!vd_test_store_is_sqlite ())
    {
      g_autofree char *pg_sql = NULL;

      /* The superuser's way around the append-only triggers, which the
       * SQLite statements drop for good. */
      if (g_str_has_prefix (sql, "DROP TRIGGER audit_no_update; "))
        sql += strlen ("DROP TRIGGER audit_no_update; ");
      pg_sql = g_strconcat ("SET session_replication_role = replica; ", sql, NULL);
      g_free (vd_test_store_sql (path, pg_sql));
      return;
    }

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
  sqlite3_close (db);
}

static char *
raw_query_text (const char *path,
                const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *text = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return text;
}

static char *
replace_once (const char *text,
              const char *old,
              const char *new)
{
  const char *at = strstr (text, old);

  g_assert_nonnull (at);
  return g_strdup_printf ("%.*s%s%s", (int) (at - text), text, new, at + strlen (old));
}

static gint64
audit_head (VdStore *store)
{
  g_autoptr(GError) error = NULL;
  gint64 seq = 0;

  g_assert_true (vd_store_get_audit_head (store, &seq, NULL, &error));
  g_assert_no_error (error);
  return seq;
}

static guint
count_decisions (VdStore *store)
{
  g_autoptr(GPtrArray) decisions = NULL;
  g_autoptr(GError) error = NULL;

  decisions = vd_store_list_decisions (store, NULL, NULL, &error);
  g_assert_no_error (error);
  return decisions->len;
}

/* A new store's first event says that signing started, signed by the
 * installation key beside the database. */
static void
test_new_store (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(VdStore) store = vd_test_open_store (fixture->path);
  g_autoptr(VdAuditEvent) first = NULL;
  g_autoptr(JsonObject) payload = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key_path = vd_signer_installation_key_path (fixture->path);
  VdSigner *signer = vd_store_get_signer (store);
  VdKey *installation = vd_signer_get_installation_key (signer);
  VdAuditReport report;

  /* On PostgreSQL, the key lives in the user's data folder instead. */
  if (vd_test_store_is_sqlite ())
    g_assert_true (g_file_test (key_path, G_FILE_TEST_IS_REGULAR));

  first = vd_store_get_audit_event (store, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (vd_audit_event_get_event_type (first), ==, VD_AUDIT_SIGNING_STARTED);
  g_assert_cmpstr (vd_audit_event_get_actor (first), ==, VD_AUDIT_ACTOR_SYSTEM);
  g_assert_cmpstr (vd_audit_event_get_key_id (first), ==, vd_key_get_id (installation));
  g_assert_true (vd_key_verify_audit_hash (installation, vd_audit_event_get_hash (first),
                                           vd_audit_event_get_signature (first)));
  payload = vd_audit_event_dup_payload (first);
  g_assert_cmpstr (json_object_get_string_member (payload, "installation_key"), ==,
                   vd_key_get_id (installation));
  g_assert_cmpint (json_object_get_int_member (payload, "unsigned_before"), ==, 1);

  g_assert_null (vd_store_get_audit_event (store, 2, &error));
  g_assert_error (error, VD_STORE_ERROR, VD_STORE_ERROR_NOT_FOUND);

  report = verify_ok (store);
  g_assert_cmpuint (report.n_events, ==, 1);
  g_assert_cmpuint (report.n_signed_installation, ==, 1);
  g_assert_cmpint (report.signing_started_seq, ==, 1);

  /* Opening again keeps the same key and adds no event. */
  g_clear_object (&store);
  store = vd_test_open_store (fixture->path);
  g_assert_cmpint (audit_head (store), ==, 1);
  report = verify_ok (store);
  g_assert_cmpuint (report.n_signed_installation, ==, 1);
}

/* A reviewer with an unlocked key signs their own events; one without
 * gets the installation key. A later process verifies the reviewer's
 * signatures through the key folder; without the key there they are
 * signed by an unknown key. */
static void
test_reviewer_signed (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(VdStore) store = vd_test_open_store (fixture->path);
  g_autoptr(VdKey) alice = generate_key (fixture->keys_dir, "alice");
  g_autoptr(VdDecision) by_alice = NULL;
  g_autoptr(VdDecision) by_bob = NULL;
  g_autoptr(VdAuditEvent) event = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *moved = NULL;
  g_autofree char *message = NULL;
  VdKey *installation = vd_signer_get_installation_key (vd_store_get_signer (store));
  VdAuditReport report;

  import_items (store);
  vd_signer_add_key (vd_store_get_signer (store), alice);

  by_alice = decide (store, "t1", "alice");
  by_bob = decide (store, "t2", "bob");
  g_assert_cmpstr (vd_decision_get_audit_key_id (by_alice), ==, vd_key_get_id (alice));
  g_assert_cmpstr (vd_decision_get_audit_key_id (by_bob), ==, vd_key_get_id (installation));

  event = vd_store_get_audit_event (store, vd_decision_get_audit_seq (by_alice), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (vd_audit_event_get_signature (event), ==,
                   vd_decision_get_audit_signature (by_alice));
  g_assert_true (vd_key_verify_audit_hash (alice, vd_audit_event_get_hash (event),
                                           vd_audit_event_get_signature (event)));

  report = verify_ok (store);
  g_assert_cmpuint (report.n_signed_reviewer, ==, 1);
  g_assert_cmpuint (report.n_unsigned, ==, 0);

  /* A new process, alice's key locked: her public key is in the folder. */
  g_clear_object (&store);
  store = vd_test_open_store (fixture->path);
  report = verify_ok (store);
  g_assert_cmpuint (report.n_signed_reviewer, ==, 1);
  g_clear_object (&store);

  /* Without the key folder her key is unknown. */
  moved = g_strconcat (fixture->keys_dir, ".moved", NULL);
  g_assert_cmpint (g_rename (fixture->keys_dir, moved), ==, 0);
  message = g_strdup_printf ("audit event %" G_GINT64_FORMAT ": signed by key %s which is not "
                             "known (not this installation's, not in the key folder or the "
                             "roster)", vd_decision_get_audit_seq (by_alice),
                             vd_key_get_id (alice));
  verify_fails (fixture->path, vd_decision_get_audit_seq (by_alice), message);
}

/* The attacker's rewrite: change a decision, drop the triggers and
 * recompute every hash from there on, the recorded head too. The chain
 * holds together; the signatures do not. */
static void
test_recomputed_chain (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(VdStore) store = vd_test_open_store (fixture->path);
  g_autoptr(VdDecision) first = NULL;
  g_autoptr(VdDecision) second = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  g_autofree char *prev_hash = NULL;
  gint64 target;
  sqlite3 *db = NULL;

  import_items (store);
  first = decide (store, "t1", "alice");
  second = decide (store, "t2", "alice");
  target = vd_decision_get_audit_seq (first);
  events = vd_store_list_audit (store, 1, 0, &error);
  g_assert_no_error (error);
  g_clear_object (&store);

  g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "DROP TRIGGER audit_no_update; "
                                 "UPDATE decisions SET decision = 'reject', "
                                 "feedback = 'rewritten' WHERE audit_seq = "
                                 "(SELECT min (audit_seq) FROM decisions)",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  for (guint i = 0; i < events->len; i++)
    {
      VdAuditEvent *event = g_ptr_array_index (events, i);
      gint64 seq = vd_audit_event_get_seq (event);
      g_autoptr(VdAuditEvent) forged = NULL;
      g_autofree char *payload = NULL;
      g_autofree char *hash = NULL;
      char *sql;

      if (seq < target)
        {
          g_free (prev_hash);
          prev_hash = g_strdup (vd_audit_event_get_hash (event));
          continue;
        }

      payload = seq == target
                ? replace_once (vd_audit_event_get_payload_json (event),
                                "\"decision\":\"approve\"", "\"decision\":\"reject\"")
                : g_strdup (vd_audit_event_get_payload_json (event));
      forged = vd_audit_event_new_stored (seq, vd_audit_event_get_timestamp (event),
                                          vd_audit_event_get_actor (event),
                                          vd_audit_event_get_event_type (event),
                                          vd_audit_event_get_queue (event),
                                          vd_audit_event_get_task_id (event),
                                          payload, prev_hash, "");
      hash = vd_audit_event_compute_hash (forged);
      sql = sqlite3_mprintf ("UPDATE audit SET payload = %Q, prev_hash = %Q, hash = %Q "
                             "WHERE seq = %lld; "
                             "UPDATE decisions SET audit_hash = %Q, audit_prev_hash = %Q "
                             "WHERE audit_seq = %lld; "
                             "UPDATE meta SET value = %Q WHERE key = 'audit_head_hash'",
                             payload, prev_hash, hash, (long long) seq, hash, prev_hash,
                             (long long) seq, hash);
      g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
      sqlite3_free (sql);
      g_free (prev_hash);
      prev_hash = g_steal_pointer (&hash);
    }
  sqlite3_close (db);

  message = g_strdup_printf ("audit event %" G_GINT64_FORMAT ": the signature does not verify",
                             target);
  verify_fails (fixture->path, target, message);
}

/* Signatures stripped from the signed part of the trail. */
static void
test_stripped (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(VdStore) store = vd_test_open_store (fixture->path);
  g_autoptr(VdDecision) decision = NULL;
  g_autofree char *sql = NULL;

  import_items (store);
  decision = decide (store, "t1", "alice");
  g_clear_object (&store);

  sql = g_strdup_printf ("DROP TRIGGER audit_no_update; "
                         "UPDATE audit SET key_id = NULL, signature = NULL "
                         "WHERE seq >= %" G_GINT64_FORMAT,
                         vd_decision_get_audit_seq (decision));
  raw_exec (fixture->path, sql);
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("audit event %" G_GINT64_FORMAT ": not signed",
                         vd_decision_get_audit_seq (decision));
  verify_fails (fixture->path, vd_decision_get_audit_seq (decision), sql);

  /* Every signature gone, signing_started too: the first event fails. */
  raw_exec (fixture->path, "UPDATE audit SET key_id = NULL, signature = NULL");
  verify_fails (fixture->path, 1, "audit event 1: not signed");
}

/* An event signed by a reviewer's key that another reviewer caused. */
static void
test_wrong_owner (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(VdStore) store = vd_test_open_store (fixture->path);
  g_autoptr(VdKey) alice = generate_key (fixture->keys_dir, "alice");
  g_autoptr(VdDecision) by_alice = NULL;
  g_autoptr(VdDecision) by_bob = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *signature = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *message = NULL;

  import_items (store);
  by_bob = decide (store, "t1", "bob");
  /* Alice signs bob's event hash, as someone holding her key could. */
  signature = vd_key_sign_audit_hash (alice, vd_decision_get_audit_hash (by_bob), &error);
  g_assert_no_error (error);
  g_clear_object (&store);

  sql = g_strdup_printf ("DROP TRIGGER audit_no_update; "
                         "UPDATE audit SET key_id = '%s', signature = '%s' "
                         "WHERE seq = %" G_GINT64_FORMAT,
                         vd_key_get_id (alice), signature, vd_decision_get_audit_seq (by_bob));
  raw_exec (fixture->path, sql);
  message = g_strdup_printf ("audit event %" G_GINT64_FORMAT ": signed by alice's key %s, but "
                             "the event is bob's", vd_decision_get_audit_seq (by_bob),
                             vd_key_get_id (alice));
  verify_fails (fixture->path, vd_decision_get_audit_seq (by_bob), message);
}

/* A store of schema version 6, with a trail written before signing,
 * migrates: signing_started follows the old events, which stay unsigned
 * and verify; new events are signed. */
static void
test_migrate_v6 (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(VdStore) store = vd_test_open_store (fixture->path);
  g_autoptr(VdDecision) decision = NULL;
  g_autoptr(VdAuditEvent) started = NULL;
  g_autoptr(JsonObject) payload = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *version = NULL;
  g_autofree char *hash = g_strdup (VD_AUDIT_GENESIS_HASH);
  VdAuditReport report;
  sqlite3 *db = NULL;

  g_clear_object (&store);

  /* Take the new file back to schema version 6 with an empty trail, then
   * write three events as Verdict 6 did. */
  raw_exec (fixture->path,
            "DROP TRIGGER audit_no_delete; DELETE FROM audit; DELETE FROM meta;"
            "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit "
            "BEGIN SELECT RAISE (ABORT, 'the audit trail is append-only'); END;"
            "ALTER TABLE audit DROP COLUMN key_id; ALTER TABLE audit DROP COLUMN signature;"
            "ALTER TABLE decisions DROP COLUMN policy_sha256;"
            "ALTER TABLE decisions DROP COLUMN model;"
            "ALTER TABLE decisions DROP COLUMN prompt_version;"
            "ALTER TABLE decisions DROP COLUMN app_version;"
            "DROP TRIGGER stats_calibration_item; DROP TRIGGER stats_reviewers_expected;"
            "DROP TRIGGER stats_insights_decision; DROP TABLE stats_calibration;"
            "DROP TABLE stats_reviewer_decisions;"
            "DROP TABLE stats_timeline;"
            "DROP TRIGGER items_search_delete; DROP TRIGGER items_search_update;"
            "DROP TABLE items_search; DROP TRIGGER stats_items_update;"
            "DROP TRIGGER stats_items_delete; DROP TRIGGER stats_items_revision;"
            "DROP TRIGGER stats_decisions_retract; DROP TABLE stats_items;"
            "ALTER TABLE decisions DROP COLUMN final;"
            "DROP TABLE stats_decisions; DROP TABLE stats_auto_approved;"
            "DELETE FROM meta WHERE key IN ('search_indexed_id', 'stats_item_id', 'stats_decision_id');"
            "PRAGMA user_version = 6;");
  g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
  for (gint64 seq = 1; seq <= 3; seq++)
    {
      g_autoptr(VdAuditEvent) event = NULL;
      g_autofree char *next = NULL;
      char *sql;

      event = vd_audit_event_new_stored (seq, "2026-11-20T09:15:02.000000Z", "system",
                                         VD_AUDIT_IMPORT, "payments", "", "{}", hash, "");
      next = vd_audit_event_compute_hash (event);
      sql = sqlite3_mprintf ("INSERT INTO audit (seq, timestamp, actor, event, queue, task_id, "
                             "payload, prev_hash, hash) VALUES (%lld, "
                             "'2026-11-20T09:15:02.000000Z', 'system', 'import', 'payments', "
                             "'', '{}', %Q, %Q); "
                             "INSERT INTO meta (key, value) VALUES ('audit_head_seq', %lld), "
                             "('audit_head_hash', %Q) ON CONFLICT (key) DO UPDATE "
                             "SET value = excluded.value",
                             (long long) seq, hash, next, (long long) seq, next);
      g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
      sqlite3_free (sql);
      g_free (hash);
      hash = g_steal_pointer (&next);
    }
  sqlite3_close (db);

  store = vd_test_open_store (fixture->path);
  version = raw_query_text (fixture->path, "PRAGMA user_version");
  g_assert_cmpstr (version, ==, G_STRINGIFY (VD_SQLITE_STORE_SCHEMA_VERSION));

  started = vd_store_get_audit_event (store, 4, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (vd_audit_event_get_event_type (started), ==, VD_AUDIT_SIGNING_STARTED);
  g_assert_cmpstr (vd_audit_event_get_prev_hash (started), ==, hash);
  payload = vd_audit_event_dup_payload (started);
  g_assert_cmpint (json_object_get_int_member (payload, "unsigned_before"), ==, 4);

  report = verify_ok (store);
  g_assert_cmpuint (report.n_unsigned, ==, 3);
  g_assert_cmpuint (report.n_signed_installation, ==, 1);
  g_assert_cmpint (report.signing_started_seq, ==, 4);

  import_items (store);
  decision = decide (store, "t1", "alice");
  g_assert_nonnull (vd_decision_get_audit_signature (decision));
  report = verify_ok (store);
  g_assert_cmpuint (report.n_unsigned, ==, 3);

  /* Opening again does not start signing again. */
  g_clear_object (&store);
  store = vd_test_open_store (fixture->path);
  report = verify_ok (store);
  g_assert_cmpint (report.signing_started_seq, ==, 4);
}

static char *
roster_policy (VdKey *alice,
               VdKey *bob)
{
  g_autofree char *alice_pub = vd_key_format_public (alice);
  g_autofree char *bob_pub = vd_key_format_public (bob);

  return g_strdup_printf ("{\"verdict_policy\": 1, \"confidence_threshold\": 0.9, "
                          "\"reviewers\": ["
                          "{\"id\": \"alice\", \"public_key\": \"%s\", "
                          "\"roles\": [\"reviewer\"]}, "
                          "{\"id\": \"bob\", \"public_key\": \"%s\", "
                          "\"roles\": [\"reviewer\", \"senior\"]}]}",
                          alice_pub, bob_pub);
}

static void
assert_refused (VdStore        *store,
                const char     *task_id,
                VdDecisionKind  kind,
                const char     *reviewer,
                gint            code,
                const char     *expected_message)
{
  g_autoptr(VdDecision) decision = NULL;
  g_autoptr(GError) error = NULL;
  gint64 head = audit_head (store);
  guint n_decisions = count_decisions (store);

  decision = try_decide (store, task_id, kind, reviewer, &error);
  g_assert_null (decision);
  g_assert_error (error, VD_KEY_ERROR, code);
  g_assert_cmpstr (error->message, ==, expected_message);

  /* Nothing was written. */
  g_assert_cmpint (audit_head (store), ==, head);
  g_assert_cmpuint (count_decisions (store), ==, n_decisions);
}

/* The roster of the queue's policy decides who may decide what. */
static void
test_roster_gate (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(VdStore) store = vd_test_open_store (fixture->path);
  g_autoptr(VdKey) alice = generate_key (fixture->keys_dir, "alice");
  g_autoptr(VdKey) bob = generate_key (fixture->keys_dir, "bob");
  g_autoptr(VdKey) other = NULL;
  g_autoptr(VdKeystore) keystore = vd_keystore_new (fixture->keys_dir);
  g_autoptr(VdDecision) decision = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *policy = roster_policy (alice, bob);
  g_autofree char *message = NULL;
  VdSigner *signer = vd_store_get_signer (store);
  gint64 head;

  import_items (store);
  g_assert_true (vd_store_set_queue_policy (store, "payments", policy, "policy.json", &error));
  g_assert_no_error (error);

  assert_refused (store, "t1", VD_DECISION_KIND_APPROVE, "carol", VD_KEY_ERROR_NOT_ALLOWED,
                  "carol may not decide payments/t1: carol is not in the policy's reviewers");
  assert_refused (store, "t1", VD_DECISION_KIND_APPROVE, "alice", VD_KEY_ERROR_LOCKED,
                  "alice may not decide payments/t1: alice's key is not unlocked "
                  "(sign in first)");

  /* Another key of alice's is not the roster's. */
  other = vd_key_generate ("alice", &error);
  g_assert_no_error (error);
  vd_signer_add_key (signer, other);
  message = g_strdup_printf ("alice may not decide payments/t1: alice's unlocked key %s is not "
                             "the key in the policy's reviewers (%s)",
                             vd_key_get_id (other), vd_key_get_id (alice));
  assert_refused (store, "t1", VD_DECISION_KIND_APPROVE, "alice", VD_KEY_ERROR_NOT_ALLOWED,
                  message);

  vd_signer_add_key (signer, alice);
  assert_refused (store, "t4", VD_DECISION_KIND_APPROVE, "alice", VD_KEY_ERROR_NOT_ALLOWED,
                  "alice may not decide payments/t4: the item is escalated and alice lacks "
                  "the role “senior”");

  /* Escalating further is how a reviewer hands an item to a senior: it
   * needs no role, and then the item needs one. */
  decision = try_decide (store, "t2", VD_DECISION_KIND_ESCALATE_FURTHER, "alice", &error);
  g_assert_no_error (error);
  g_assert_nonnull (decision);
  g_clear_object (&decision);
  assert_refused (store, "t2", VD_DECISION_KIND_APPROVE, "alice", VD_KEY_ERROR_NOT_ALLOWED,
                  "alice may not decide payments/t2: the item is escalated and alice lacks "
                  "the role “senior”");

  decision = decide (store, "t1", "alice");
  g_assert_cmpstr (vd_decision_get_audit_key_id (decision), ==, vd_key_get_id (alice));
  g_clear_object (&decision);

  assert_refused (store, "t4", VD_DECISION_KIND_APPROVE, "bob", VD_KEY_ERROR_LOCKED,
                  "bob may not decide payments/t4: bob's key is not unlocked (sign in first)");
  vd_signer_add_key (signer, bob);
  decision = decide (store, "t4", "bob");
  g_clear_object (&decision);

  /* A retraction passes the same gate: locked, alice cannot take hers
   * back, and nothing changes. */
  decision = decide (store, "t3", "alice");
  vd_signer_lock (signer, "alice");
  head = audit_head (store);
  g_assert_false (vd_store_retract_decision (store, vd_decision_get_id (decision), "alice",
                                             NULL, &error));
  g_assert_error (error, VD_KEY_ERROR, VD_KEY_ERROR_LOCKED);
  g_clear_error (&error);
  g_assert_cmpint (audit_head (store), ==, head);
  g_clear_object (&alice);
  alice = vd_keystore_unlock (keystore, "alice", "correct horse", &error);
  g_assert_no_error (error);
  vd_signer_add_key (signer, alice);
  g_assert_true (vd_store_retract_decision (store, vd_decision_get_id (decision), "alice", NULL,
                                            &error));
  g_assert_no_error (error);

  verify_ok (store);
}

/* Decisions are stamped with the policy's SHA-256, the model and prompt
 * version of the output and the Verdict version, in the row and in the
 * event. */
static void
test_stamps (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(VdStore) store = vd_test_open_store (fixture->path);
  g_autoptr(VdPolicy) policy = NULL;
  g_autoptr(VdDecision) with_policy = NULL;
  g_autoptr(VdDecision) without = NULL;
  g_autoptr(GPtrArray) decisions = NULL;
  g_autoptr(VdAuditEvent) event = NULL;
  g_autoptr(JsonObject) payload = NULL;
  g_autoptr(GError) error = NULL;
  const char *policy_json = "{\"verdict_policy\": 1, \"confidence_threshold\": 0.9}";
  VdDecision *listed;

  import_items (store);

  /* No policy anywhere: no policy stamp. */
  without = decide (store, "t1", "alice");
  g_assert_null (vd_decision_get_policy_sha256 (without));
  g_assert_cmpstr (vd_decision_get_app_version (without), ==, PACKAGE_VERSION);

  g_assert_true (vd_store_set_queue_policy (store, "payments", policy_json, "p.json", &error));
  g_assert_no_error (error);
  policy = vd_policy_new_from_data (policy_json, -1, "payments", &error);
  g_assert_no_error (error);
  with_policy = decide (store, "t2", "alice");
  g_assert_cmpstr (vd_decision_get_policy_sha256 (with_policy), ==,
                   vd_policy_get_sha256 (policy));

  decisions = vd_store_list_decisions (store, "payments", "t2", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (decisions->len, ==, 1);
  listed = g_ptr_array_index (decisions, 0);
  g_assert_cmpstr (vd_decision_get_policy_sha256 (listed), ==, vd_policy_get_sha256 (policy));
  g_assert_cmpstr (vd_decision_get_model (listed), ==, "triage-7b");
  g_assert_cmpstr (vd_decision_get_prompt_version (listed), ==, "v12");
  g_assert_cmpstr (vd_decision_get_app_version (listed), ==, PACKAGE_VERSION);
  g_assert_cmpstr (vd_decision_get_audit_key_id (listed), ==,
                   vd_decision_get_audit_key_id (with_policy));
  g_assert_cmpstr (vd_decision_get_audit_signature (listed), ==,
                   vd_decision_get_audit_signature (with_policy));

  event = vd_store_get_audit_event (store, vd_decision_get_audit_seq (listed), &error);
  g_assert_no_error (error);
  payload = vd_audit_event_dup_payload (event);
  g_assert_cmpstr (json_object_get_string_member (payload, "policy_sha256"), ==,
                   vd_policy_get_sha256 (policy));
  g_assert_cmpstr (json_object_get_string_member (payload, "model"), ==, "triage-7b");
  g_assert_cmpstr (json_object_get_string_member (payload, "prompt_version"), ==, "v12");
  g_assert_cmpstr (json_object_get_string_member (payload, "app_version"), ==,
                   PACKAGE_VERSION);

  verify_ok (store);
}

static void
add_test (const char *path,
          void (*func) (Fixture *, gconstpointer))
{
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  add_test ("/audit-signatures/new-store", test_new_store);
  add_test ("/audit-signatures/reviewer-signed", test_reviewer_signed);
  if (vd_test_sqlite_only ("/audit-signatures/recomputed-chain",
                           "SQLite only: rewrites the chain through SQLite's meta head"))
    add_test ("/audit-signatures/recomputed-chain", test_recomputed_chain);
  add_test ("/audit-signatures/stripped", test_stripped);
  add_test ("/audit-signatures/wrong-owner", test_wrong_owner);
  if (vd_test_sqlite_only ("/audit-signatures/migrate-v6",
                           "SQLite only: a migration of SQLite's schema 6"))
    add_test ("/audit-signatures/migrate-v6", test_migrate_v6);
  add_test ("/audit-signatures/roster-gate", test_roster_gate);
  add_test ("/audit-signatures/stamps", test_stamps);

  return g_test_run ();
}
