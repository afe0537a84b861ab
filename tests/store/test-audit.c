/* test-audit.c: the audit trail, its hash chain and tamper detection
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

#define CANONICAL_1 \
  "{\"seq\":1,\"timestamp\":\"2026-11-20T09:15:02.123456Z\",\"actor\":\"alice\"," \
  "\"event\":\"decision\",\"queue\":\"payments\",\"task_id\":\"task_0001\"," \
  "\"payload\":{\"decision\":\"approve\",\"revision\":0}}"
/* sha256 ("0" x 64 || CANONICAL_1), computed independently */
#define HASH_1 "383f366155378604bbc60b360913447a9bc5c5f3009278a14b59bae12279b5c7"

#define CANONICAL_2 \
  "{\"seq\":2,\"timestamp\":\"2026-11-20T09:15:03.000000Z\",\"actor\":\"a\\\"b\\\\c\"," \
  "\"event\":\"export\",\"queue\":\"\",\"task_id\":\"t\\n\\u0001\xc3\xa9\",\"payload\":{}}"
#define HASH_2 "fe5a468f6753f33dbbd7bfdc3a6b5feff4e23ff53fa9ca29f86302a591bdc9f4"

typedef struct
{
  char *dir;
  char *path;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->dir = vd_test_make_tmp_dir ("audit");
  fixture->path = g_build_filename (fixture->dir, "verdict.db", NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  vd_test_remove_tree (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

static VdItem *
make_item (const char *queue,
           const char *task_id,
           const char *content)
{
  VdItem *item = vd_item_new (queue, task_id);

  vd_item_set_task_description (item, "Check the payment");
  vd_item_set_content (item, content);
  vd_item_set_confidence (item, 0.5);
  vd_item_set_escalation_reason (item, VD_ESCALATION_REASON_LOW_CONFIDENCE);
  vd_item_set_status (item, VD_TASK_STATUS_PENDING);

  return item;
}

static void
decide (VdStore        *store,
        const char     *task_id,
        VdDecisionKind  kind,
        const char     *reviewer,
        const char     *feedback)
{
  g_autoptr(VdDecision) decision = vd_decision_new ("payments", task_id, kind, reviewer);
  g_autoptr(GError) error = NULL;

  if (feedback != NULL)
    vd_decision_set_feedback (decision, feedback);
  g_assert_true (vd_store_record_decision (store, decision, &error));
  g_assert_no_error (error);
}

/* Events: 1 signing_started (a new store's first), 2-6 enqueue
 * task_1..task_5, 7 import, 8 export, 9 decision on task_1 (decision 1),
 * 10 decision on task_2 (decision 2). */
static void
build_trail (const char *path)
{
  g_autoptr(VdStore) store = vd_test_open_store (path);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(VdAuditEvent) export = NULL;
  g_autoptr(JsonObject) payload = json_object_new ();
  g_autoptr(GError) error = NULL;
  VdImportResult result = { 0, };

  for (guint i = 1; i <= 5; i++)
    {
      g_autofree char *task_id = g_strdup_printf ("task_%u", i);
      g_autofree char *content = g_strdup_printf ("Pay invoice %u", i);

      g_ptr_array_add (items, make_item ("payments", task_id, content));
    }

  g_assert_true (vd_store_import_items (store, "payments.jsonl", items, &result, NULL, NULL,
                                        NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.imported, ==, 5);

  json_object_set_string_member (payload, "kind", "decisions");
  export = vd_audit_event_new ("system", VD_AUDIT_EXPORT, NULL, NULL, payload);
  g_assert_true (vd_store_append_audit (store, export, &error));
  g_assert_no_error (error);
  g_assert_cmpint (vd_audit_event_get_seq (export), ==, 8);

  decide (store, "task_1", VD_DECISION_KIND_APPROVE, "alice", NULL);
  decide (store, "task_2", VD_DECISION_KIND_REJECT, "bob", "Wrong account");
}

static void
raw_exec (const char *path,
          const char *sql)
{
  sqlite3 *db = NULL;
  char *message = NULL;

  if (!vd_test_store_is_sqlite ())
    {
      g_free (vd_test_store_sql (path, sql));
      return;
    }
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
  sqlite3_close (db);
}

static void
assert_verify_fails (const char *path,
                     gint64      expected_seq,
                     const char *expected_message)
{
  g_autoptr(VdStore) store = vd_test_open_store (path);
  g_autoptr(GError) error = NULL;
  gint64 bad_seq = -1;
  guint64 n_checked = 0;

  g_assert_false (vd_store_verify_audit (store, &bad_seq, &n_checked, &error));
  g_assert_error (error, VD_STORE_ERROR, VD_STORE_ERROR_FAILED);
  g_assert_cmpstr (error->message, ==, expected_message);
  g_assert_cmpint (bad_seq, ==, expected_seq);
}

static void
assert_verify_ok (const char *path,
                  guint64     expected_count)
{
  g_autoptr(VdStore) store = vd_test_open_store (path);
  g_autoptr(GError) error = NULL;
  gint64 bad_seq = -1;
  guint64 n_checked = 0;

  g_assert_true (vd_store_verify_audit (store, &bad_seq, &n_checked, &error));
  g_assert_no_error (error);
  g_assert_cmpint (bad_seq, ==, 0);
  g_assert_cmpuint (n_checked, ==, expected_count);
}

static void
test_canonical (void)
{
  g_autoptr(VdAuditEvent) first = NULL;
  g_autoptr(VdAuditEvent) second = NULL;
  g_autofree char *canonical = NULL;
  g_autofree char *hash = NULL;

  first = vd_audit_event_new_stored (1, "2026-11-20T09:15:02.123456Z", "alice", "decision",
                                     "payments", "task_0001",
                                     "{\"decision\":\"approve\",\"revision\":0}",
                                     VD_AUDIT_GENESIS_HASH, HASH_1);
  canonical = vd_audit_event_dup_canonical (first);
  g_assert_cmpstr (canonical, ==, CANONICAL_1);
  hash = vd_audit_event_compute_hash (first);
  g_assert_cmpstr (hash, ==, HASH_1);

  /* Quotes, backslashes and control characters are escaped; the rest,
   * including non-ASCII text, is kept verbatim. */
  second = vd_audit_event_new_stored (2, "2026-11-20T09:15:03.000000Z", "a\"b\\c", "export",
                                      NULL, "t\n\001\xc3\xa9", "{}", HASH_1, "");
  g_clear_pointer (&canonical, g_free);
  canonical = vd_audit_event_dup_canonical (second);
  g_assert_cmpstr (canonical, ==, CANONICAL_2);
  g_clear_pointer (&hash, g_free);
  hash = vd_audit_event_compute_hash (second);
  g_assert_cmpstr (hash, ==, HASH_2);

  g_assert_cmpstr (vd_audit_event_get_queue (second), ==, "");
  g_assert_cmpstr (vd_audit_event_get_actor (second), ==, "a\"b\\c");
  g_assert_cmpstr (vd_audit_event_get_prev_hash (second), ==, HASH_1);
}

static void
test_seal (void)
{
  g_autoptr(JsonObject) payload = json_object_new ();
  g_autoptr(JsonObject) parsed = NULL;
  g_autoptr(VdAuditEvent) event = NULL;
  g_autoptr(GDateTime) when = NULL;
  g_autofree char *hash = NULL;

  json_object_set_string_member (payload, "source", "q.jsonl");
  json_object_set_int_member (payload, "imported", 3);
  event = vd_audit_event_new ("system", VD_AUDIT_IMPORT, "payments", NULL, payload);

  g_assert_cmpint (vd_audit_event_get_seq (event), ==, 0);
  g_assert_null (vd_audit_event_get_hash (event));
  g_assert_cmpstr (vd_audit_event_get_task_id (event), ==, "");
  g_assert_cmpstr (vd_audit_event_get_payload_json (event), ==,
                   "{\"source\":\"q.jsonl\",\"imported\":3}");

  vd_audit_event_seal (event, 12, HASH_1);
  g_assert_cmpint (vd_audit_event_get_seq (event), ==, 12);
  g_assert_cmpstr (vd_audit_event_get_prev_hash (event), ==, HASH_1);
  when = vd_timestamp_parse (vd_audit_event_get_timestamp (event));
  g_assert_nonnull (when);
  g_assert_true (g_str_has_suffix (vd_audit_event_get_timestamp (event), "Z"));

  hash = vd_audit_event_compute_hash (event);
  g_assert_cmpstr (vd_audit_event_get_hash (event), ==, hash);
  g_assert_cmpuint (strlen (hash), ==, 64);

  parsed = vd_audit_event_dup_payload (event);
  g_assert_nonnull (parsed);
  g_assert_cmpint (json_object_get_int_member (parsed, "imported"), ==, 3);

  g_clear_pointer (&hash, g_free);
  hash = vd_sha256_hex ("abc", -1);
  g_assert_cmpstr (hash, ==, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static void
test_chain (void)
{
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (g_object_unref);
  char prev[65] = VD_AUDIT_GENESIS_HASH;
  VdAuditChain chain;

  for (guint i = 1; i <= 1000; i++)
    {
      g_autoptr(JsonObject) payload = json_object_new ();
      VdAuditEvent *event;

      json_object_set_int_member (payload, "n", i);
      event = vd_audit_event_new ("system", VD_AUDIT_ENQUEUE, "q", "t", payload);
      vd_audit_event_seal (event, i, prev);
      g_strlcpy (prev, vd_audit_event_get_hash (event), sizeof prev);
      g_ptr_array_add (events, event);
    }

  vd_audit_chain_init (&chain);
  for (guint i = 0; i < events->len; i++)
    g_assert_true (vd_audit_chain_next (&chain, g_ptr_array_index (events, i), NULL));
  g_assert_cmpuint (chain.n_checked, ==, 1000);
  g_assert_cmpint (chain.expected_seq, ==, 1001);
  g_assert_cmpstr (chain.prev_hash, ==, prev);

  /* A gap names the missing event. */
  {
    g_autofree char *problem = NULL;

    vd_audit_chain_init (&chain);
    g_assert_true (vd_audit_chain_next (&chain, g_ptr_array_index (events, 0), NULL));
    g_assert_false (vd_audit_chain_next (&chain, g_ptr_array_index (events, 2), &problem));
    g_assert_cmpstr (problem, ==, "audit event 2 is missing (the trail jumps from 1 to 3)");
    g_assert_cmpint (chain.expected_seq, ==, 2);
    g_assert_cmpuint (chain.n_checked, ==, 1);
  }

  /* A repeated event. */
  {
    g_autofree char *problem = NULL;

    vd_audit_chain_init (&chain);
    g_assert_true (vd_audit_chain_next (&chain, g_ptr_array_index (events, 0), NULL));
    g_assert_false (vd_audit_chain_next (&chain, g_ptr_array_index (events, 0), &problem));
    g_assert_cmpstr (problem, ==, "audit event 1: found out of order (event 2 was expected)");
  }

  /* The first event must start from the genesis hash. */
  {
    g_autofree char *problem = NULL;

    vd_audit_chain_init (&chain);
    g_strlcpy (chain.prev_hash, HASH_1, sizeof chain.prev_hash);
    g_assert_false (vd_audit_chain_next (&chain, g_ptr_array_index (events, 0), &problem));
    g_assert_cmpstr (problem, ==, "audit event 1: prev_hash is not the genesis hash");
  }

  /* Content changed after sealing. */
  {
    VdAuditEvent *original = g_ptr_array_index (events, 1);
    g_autoptr(VdAuditEvent) forged = NULL;
    g_autofree char *problem = NULL;

    forged = vd_audit_event_new_stored (2, vd_audit_event_get_timestamp (original),
                                        "mallory",
                                        vd_audit_event_get_event_type (original),
                                        vd_audit_event_get_queue (original),
                                        vd_audit_event_get_task_id (original),
                                        vd_audit_event_get_payload_json (original),
                                        vd_audit_event_get_prev_hash (original),
                                        vd_audit_event_get_hash (original));
    vd_audit_chain_init (&chain);
    g_assert_true (vd_audit_chain_next (&chain, g_ptr_array_index (events, 0), NULL));
    g_assert_false (vd_audit_chain_next (&chain, forged, &problem));
    g_assert_cmpstr (problem, ==, "audit event 2: hash does not match its content");
  }
}

static void
test_store_trail (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(VdStore) store = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GPtrArray) decisions = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *head_hash = NULL;
  g_autoptr(JsonObject) payload = NULL;
  g_autofree char *content_sha256 = NULL;
  gint64 head_seq = -1;
  const char * const types[] = {
    "signing_started", "enqueue", "enqueue", "enqueue", "enqueue", "enqueue", "import", "export",
    "decision", "decision",
  };

  store = vd_test_open_store (fixture->path);

  /* A new trail: signing_started only, chained onto the genesis hash;
   * verifies. */
  g_assert_true (vd_store_get_audit_head (store, &head_seq, &head_hash, &error));
  g_assert_no_error (error);
  g_assert_cmpint (head_seq, ==, 1);
  g_clear_object (&store);
  assert_verify_ok (fixture->path, 1);

  build_trail (fixture->path);
  assert_verify_ok (fixture->path, 10);

  store = vd_test_open_store (fixture->path);
  events = vd_store_list_audit (store, 1, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 10);
  for (guint i = 0; i < events->len; i++)
    {
      VdAuditEvent *event = g_ptr_array_index (events, i);

      g_assert_cmpint (vd_audit_event_get_seq (event), ==, i + 1);
      g_assert_cmpstr (vd_audit_event_get_event_type (event), ==, types[i]);
    }

  /* The first enqueue event, byte for byte. */
  content_sha256 = vd_sha256_hex ("Pay invoice 1", -1);
  g_assert_cmpstr (vd_audit_event_get_prev_hash (g_ptr_array_index (events, 0)), ==,
                   VD_AUDIT_GENESIS_HASH);
  {
    VdAuditEvent *first = g_ptr_array_index (events, 1);
    g_autofree char *expected = NULL;

    expected = g_strdup_printf ("{\"revision\":0,\"confidence\":0.5,\"reason\":"
                                "\"low_confidence\",\"detail\":\"\",\"content_sha256\":\"%s\"}",
                                content_sha256);
    g_assert_cmpstr (vd_audit_event_get_payload_json (first), ==, expected);
    g_assert_cmpstr (vd_audit_event_get_actor (first), ==, "system");
    g_assert_cmpstr (vd_audit_event_get_queue (first), ==, "payments");
    g_assert_cmpstr (vd_audit_event_get_task_id (first), ==, "task_1");
    g_assert_cmpstr (vd_audit_event_get_prev_hash (first), ==,
                     vd_audit_event_get_hash (g_ptr_array_index (events, 0)));
  }

  /* The import event summarises the batch. */
  payload = vd_audit_event_dup_payload (g_ptr_array_index (events, 6));
  g_assert_cmpstr (json_object_get_string_member (payload, "source"), ==, "payments.jsonl");
  g_assert_cmpint (json_object_get_int_member (payload, "imported"), ==, 5);
  g_assert_cmpint (json_object_get_int_member (payload, "queued"), ==, 5);
  g_assert_cmpint (json_object_get_int_member (payload, "skipped"), ==, 0);
  g_assert_cmpstr (vd_audit_event_get_queue (g_ptr_array_index (events, 6)), ==, "payments");
  g_clear_pointer (&payload, json_object_unref);

  /* A decision event: the reviewer is the actor. */
  {
    VdAuditEvent *rejected = g_ptr_array_index (events, 9);

    payload = vd_audit_event_dup_payload (rejected);
    g_assert_cmpstr (vd_audit_event_get_actor (rejected), ==, "bob");
    g_assert_cmpstr (vd_audit_event_get_task_id (rejected), ==, "task_2");
    g_assert_cmpstr (json_object_get_string_member (payload, "decision"), ==, "reject");
    g_assert_cmpstr (json_object_get_string_member (payload, "feedback"), ==, "Wrong account");
    g_assert_cmpstr (json_object_get_string_member (payload, "final_output"), ==, "");
    g_assert_cmpint (json_object_get_int_member (payload, "revision"), ==, 0);
    g_clear_pointer (&content_sha256, g_free);
    content_sha256 = vd_sha256_hex ("Pay invoice 2", -1);
    g_assert_cmpstr (json_object_get_string_member (payload, "content_sha256"), ==,
                     content_sha256);
  }

  /* Decisions link to their events. */
  decisions = vd_store_list_decisions (store, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (decisions->len, ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      VdDecision *decision = g_ptr_array_index (decisions, i);
      VdAuditEvent *event = g_ptr_array_index (events, 8 + i);

      g_assert_cmpint (vd_decision_get_audit_seq (decision), ==, 9 + i);
      g_assert_cmpstr (vd_decision_get_audit_hash (decision), ==, vd_audit_event_get_hash (event));
      g_assert_cmpstr (vd_decision_get_audit_prev_hash (decision), ==,
                       vd_audit_event_get_prev_hash (event));
    }

  /* list_audit pages. */
  g_clear_pointer (&events, g_ptr_array_unref);
  events = vd_store_list_audit (store, 4, 3, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 3);
  g_assert_cmpint (vd_audit_event_get_seq (g_ptr_array_index (events, 0)), ==, 4);
  g_assert_cmpint (vd_audit_event_get_seq (g_ptr_array_index (events, 2)), ==, 6);

  g_clear_pointer (&head_hash, g_free);
  g_assert_true (vd_store_get_audit_head (store, &head_seq, &head_hash, &error));
  g_assert_cmpint (head_seq, ==, 10);
  g_assert_cmpstr (head_hash, ==,
                   vd_decision_get_audit_hash (g_ptr_array_index (decisions, 1)));
}

static void
test_many_appends (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(VdStore) store = vd_test_open_store (fixture->path);
  g_autoptr(GError) error = NULL;
  gint64 bad_seq = -1;
  guint64 n_checked = 0;

  for (guint i = 0; i < 300; i++)
    {
      g_autoptr(JsonObject) payload = json_object_new ();
      g_autoptr(VdAuditEvent) event = NULL;

      json_object_set_int_member (payload, "n", i);
      event = vd_audit_event_new ("system", VD_AUDIT_EXPORT, NULL, NULL, payload);
      g_assert_true (vd_store_append_audit (store, event, &error));
      g_assert_no_error (error);
      g_assert_cmpint (vd_audit_event_get_seq (event), ==, i + 2);
    }

  /* Larger than one verification chunk? No: 300 < 2000; the 100k test in
   * test-store covers chunking. */
  g_assert_true (vd_store_verify_audit (store, &bad_seq, &n_checked, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_checked, ==, 301);
}

typedef struct
{
  VdStore *store;
  guint    thread;
} AppendThread;

static gpointer
append_thread (gpointer data)
{
  AppendThread *self = data;

  for (guint i = 0; i < 50; i++)
    {
      g_autoptr(JsonObject) payload = json_object_new ();
      g_autoptr(VdAuditEvent) event = NULL;
      g_autoptr(GError) error = NULL;

      json_object_set_int_member (payload, "thread", self->thread);
      json_object_set_int_member (payload, "n", i);
      event = vd_audit_event_new ("system", VD_AUDIT_EXPORT, NULL, NULL, payload);
      g_assert_true (vd_store_append_audit (self->store, event, &error));
      g_assert_no_error (error);
    }

  return NULL;
}

static void
test_concurrent_appends (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(VdStore) store = vd_test_open_store (fixture->path);
  AppendThread threads[4];
  GThread *handles[4];

  for (guint i = 0; i < 4; i++)
    {
      threads[i].store = store;
      threads[i].thread = i;
      handles[i] = g_thread_new ("append", append_thread, &threads[i]);
    }

  for (guint i = 0; i < 4; i++)
    g_thread_join (handles[i]);

  g_clear_object (&store);
  assert_verify_ok (fixture->path, 201);
}

static void
test_triggers (Fixture       *fixture,
               gconstpointer  data)
{
  sqlite3 *db = NULL;

  if (vd_test_skip_unless_sqlite ("SQLite's append-only triggers; PostgreSQL's refusals are "
                                  "tested by pg-identity"))
    return;

  build_trail (fixture->path);

  g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE audit SET payload = '{}' WHERE seq = 3",
                                 NULL, NULL, NULL), ==, SQLITE_CONSTRAINT);
  g_assert_cmpstr (sqlite3_errmsg (db), ==, "the audit trail is append-only");
  g_assert_cmpint (sqlite3_exec (db, "DELETE FROM audit WHERE seq = 10",
                                 NULL, NULL, NULL), ==, SQLITE_CONSTRAINT);
  g_assert_cmpstr (sqlite3_errmsg (db), ==, "the audit trail is append-only");
  g_assert_cmpint (sqlite3_exec (db, "DELETE FROM audit", NULL, NULL, NULL), ==,
                   SQLITE_CONSTRAINT);
  sqlite3_close (db);

  assert_verify_ok (fixture->path, 10);
}

/* Runs @sql as someone with the database's file, or its superuser, would:
 * with the append-only triggers off. */
static void
raw_tamper (const char *path,
            const char *sql)
{
  g_autofree char *all = NULL;

  if (vd_test_store_is_sqlite ())
    all = g_strconcat ("DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete; ", sql, NULL);
  else
    all = g_strconcat ("SET session_replication_role = replica; ", sql, NULL);
  raw_exec (path, all);
}

static void
test_tamper_update (Fixture       *fixture,
                    gconstpointer  data)
{
  build_trail (fixture->path);
  raw_tamper (fixture->path,
            "UPDATE audit SET payload = '{\"decision\":\"approve\"}' WHERE seq = 5");
  assert_verify_fails (fixture->path, 5, "audit event 5: hash does not match its content");
}

static void
test_tamper_update_actor (Fixture       *fixture,
                          gconstpointer  data)
{
  build_trail (fixture->path);
  raw_tamper (fixture->path, "UPDATE audit SET actor = 'carol' WHERE seq = 9");
  assert_verify_fails (fixture->path, 9, "audit event 9: hash does not match its content");
}

static void
test_tamper_delete_middle (Fixture       *fixture,
                           gconstpointer  data)
{
  build_trail (fixture->path);
  raw_tamper (fixture->path, "DELETE FROM audit WHERE seq = 6");
  assert_verify_fails (fixture->path, 6, "audit event 6 is missing (the trail jumps from 5 to 7)");
}

static void
test_tamper_swap (Fixture       *fixture,
                  gconstpointer  data)
{
  build_trail (fixture->path);
  /* Swap every column but seq between events 4 and 7. */
  raw_tamper (fixture->path,
            "UPDATE audit SET seq = -4 WHERE seq = 4;"
            "UPDATE audit SET seq = 4 WHERE seq = 7;"
            "UPDATE audit SET seq = 7 WHERE seq = -4;");
  assert_verify_fails (fixture->path, 4,
                       "audit event 4: prev_hash does not match the hash of event 3");
}

static char *
forged_row_sql (const char *path,
                gint64      seq,
                gboolean    valid_hash)
{
  g_autoptr(VdStore) store = vd_test_open_store (path);
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(VdAuditEvent) forged = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = NULL;
  VdAuditEvent *previous;
  char *sql;
  char *result;

  events = vd_store_list_audit (store, seq - 1, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 1);
  previous = g_ptr_array_index (events, 0);

  forged = vd_audit_event_new_stored (seq, "2026-11-20T10:00:00.000000Z", "mallory", "decision",
                                      "payments", "task_3",
                                      "{\"decision\":\"approve\",\"revision\":0}",
                                      vd_audit_event_get_hash (previous), "");
  hash = valid_hash ? vd_audit_event_compute_hash (forged) : g_strnfill (64, 'a');

  sql = sqlite3_mprintf ("INSERT INTO audit (seq, timestamp, actor, event, queue, task_id, "
                         "payload, prev_hash, hash) VALUES (%lld, %Q, %Q, %Q, %Q, %Q, %Q, %Q, %Q)",
                         (long long)seq,
                         vd_audit_event_get_timestamp (forged),
                         vd_audit_event_get_actor (forged),
                         vd_audit_event_get_event_type (forged),
                         vd_audit_event_get_queue (forged),
                         vd_audit_event_get_task_id (forged),
                         vd_audit_event_get_payload_json (forged),
                         vd_audit_event_get_prev_hash (forged),
                         hash);
  result = g_strdup (sql);
  sqlite3_free (sql);

  return result;
}

static void
test_tamper_insert_end (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *insert = NULL;
  g_autofree char *sql = NULL;

  build_trail (fixture->path);
  /* A forged event with a correctly computed hash chained onto the head:
   * it is not signed. */
  insert = forged_row_sql (fixture->path, 11, TRUE);
  raw_tamper (fixture->path, insert);
  assert_verify_fails (fixture->path, 11, "audit event 11: not signed");
}

static void
test_tamper_insert_bad_hash (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autofree char *insert = NULL;

  build_trail (fixture->path);
  insert = forged_row_sql (fixture->path, 11, FALSE);
  raw_exec (fixture->path, insert);
  assert_verify_fails (fixture->path, 11, "audit event 11: hash does not match its content");
}

static void
test_tamper_insert_middle (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autofree char *insert = NULL;
  g_autofree char *sql = NULL;

  build_trail (fixture->path);
  /* Make room at 6 by renumbering 6..10 to 7..11, then insert a forged
   * event at 6 chained correctly onto event 5: it is not signed. */
  insert = forged_row_sql (fixture->path, 6, TRUE);
  sql = g_strconcat ("UPDATE audit SET seq = seq + 1000 WHERE seq >= 6;"
                     "UPDATE audit SET seq = seq - 999 WHERE seq >= 1000;",
                     insert, NULL);
  raw_tamper (fixture->path, sql);
  assert_verify_fails (fixture->path, 6, "audit event 6: not signed");
}

static void
test_tamper_delete_last (Fixture       *fixture,
                         gconstpointer  data)
{
  build_trail (fixture->path);
  raw_tamper (fixture->path, "DELETE FROM audit WHERE seq = 10");
  assert_verify_fails (fixture->path, 10,
                       "audit event 10 is missing: the trail ends at event 9 but its recorded "
                       "head is event 10");
}

static void
test_tamper_truncate_and_head (Fixture       *fixture,
                               gconstpointer  data)
{
  build_trail (fixture->path);
  /* Cut the last event and fix up the recorded head too: the decision that
   * refers to the event still gives it away. */
  if (vd_test_store_is_sqlite ())
    raw_tamper (fixture->path,
                "DELETE FROM audit WHERE seq = 10;"
                "UPDATE meta SET value = '9' WHERE key = 'audit_head_seq';"
                "UPDATE meta SET value = (SELECT hash FROM audit WHERE seq = 9) "
                "WHERE key = 'audit_head_hash';");
  else
    raw_tamper (fixture->path,
                "DELETE FROM audit WHERE seq = 10;"
                "UPDATE audit_head SET seq = 9, hash = (SELECT hash FROM audit WHERE seq = 9);");
  assert_verify_fails (fixture->path, 10,
                       "audit event 10 is missing: decision 2 refers to event 10 but the trail "
                       "ends at event 9");
}

static void
test_tamper_head_hash (Fixture       *fixture,
                       gconstpointer  data)
{
  build_trail (fixture->path);
  if (vd_test_store_is_sqlite ())
    raw_exec (fixture->path, "UPDATE meta SET value = 'x' WHERE key = 'audit_head_hash'");
  else
    raw_exec (fixture->path, "UPDATE audit_head SET hash = 'x'");
  assert_verify_fails (fixture->path, 10,
                       "audit event 10: hash differs from the recorded head of the trail");
}

static void
add_fixture_test (const char *path,
                  void (*func) (Fixture *, gconstpointer))
{
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/audit/canonical", test_canonical);
  g_test_add_func ("/audit/seal", test_seal);
  g_test_add_func ("/audit/chain", test_chain);
  add_fixture_test ("/audit/store-trail", test_store_trail);
  add_fixture_test ("/audit/many-appends", test_many_appends);
  add_fixture_test ("/audit/concurrent-appends", test_concurrent_appends);
  add_fixture_test ("/audit/triggers", test_triggers);
  add_fixture_test ("/audit/tamper/update-payload", test_tamper_update);
  add_fixture_test ("/audit/tamper/update-actor", test_tamper_update_actor);
  add_fixture_test ("/audit/tamper/delete-middle", test_tamper_delete_middle);
  add_fixture_test ("/audit/tamper/swap", test_tamper_swap);
  add_fixture_test ("/audit/tamper/insert-end", test_tamper_insert_end);
  add_fixture_test ("/audit/tamper/insert-bad-hash", test_tamper_insert_bad_hash);
  add_fixture_test ("/audit/tamper/insert-middle", test_tamper_insert_middle);
  add_fixture_test ("/audit/tamper/delete-last", test_tamper_delete_last);
  add_fixture_test ("/audit/tamper/truncate-and-head", test_tamper_truncate_and_head);
  add_fixture_test ("/audit/tamper/head-hash", test_tamper_head_hash);

  return g_test_run ();
}
