/* test-export-signed.c: signed exports, their verification, signed queues
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

#define G_LOG_DOMAIN "test-export-signed"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "vd-core.h"
#include "vd-export-verify.h"
#include "vd-test-util.h"

typedef struct
{
  char          *dir;
  char          *db;
  VdStore       *store;
  VdKey         *alice;    /* unlocked, in the keys folder */
  VdKey         *bob;      /* unlocked, in the keys folder */
  char          *export;   /* dir/decisions.jsonl */
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VdKeystore) keystore = NULL;
  g_autofree char *keys_dir = NULL;
  VdSigner *signer;

  fixture->dir = vd_test_make_tmp_dir ("export-signed");
  keys_dir = g_build_filename (fixture->dir, "keys", NULL);
  g_setenv ("VERDICT_KEYS_DIR", keys_dir, TRUE);
  fixture->db = g_build_filename (fixture->dir, "verdict.db", NULL);
  fixture->store = vd_test_open_store (fixture->db);
  fixture->export = g_build_filename (fixture->dir, "decisions.jsonl", NULL);

  keystore = vd_keystore_new (keys_dir);
  fixture->alice = vd_keystore_generate (keystore, "alice", "alice's passphrase", &error);
  g_assert_no_error (error);
  fixture->bob = vd_keystore_generate (keystore, "bob", "bob's passphrase", &error);
  g_assert_no_error (error);

  signer = vd_store_get_signer (fixture->store);
  g_assert_nonnull (signer);
  vd_signer_add_key (signer, fixture->alice);
  vd_signer_add_key (signer, fixture->bob);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->alice);
  g_clear_object (&fixture->bob);
  g_assert_finalize_object (fixture->store);
  g_assert_true (vd_test_remove_tree (fixture->dir));
  g_free (fixture->dir);
  g_free (fixture->db);
  g_free (fixture->export);
}

#define ITEM(id) \
  "{\"task_id\": \"" id "\", \"task_description\": \"Task " id "\", " \
  "\"agent_output\": {\"content\": \"Output " id "\", \"confidence\": 0.2}}\n"

static void
decide (Fixture        *fixture,
        const char     *task_id,
        VdDecisionKind  kind,
        const char     *reviewer,
        const char     *feedback)
{
  g_autoptr(VdDecision) decision = vd_decision_new ("ops", task_id, kind, reviewer);
  g_autoptr(GError) error = NULL;

  vd_decision_set_feedback (decision, feedback);
  if (kind == VD_DECISION_KIND_MODIFY)
    vd_decision_set_modified_content (decision, "Better output");
  g_assert_true (vd_store_record_decision (fixture->store, decision, &error));
  g_assert_no_error (error);
}

/* t1 approved and t2 rejected by alice, t3 escalated further by bob and
 * then approved by alice, t4 modified by bob. */
static void
populate (Fixture *fixture)
{
  VdImportResult result;

  vd_test_import_text (fixture->store, fixture->dir, "ops.jsonl",
                       "{\"verdict_queue\": 1, \"queue\": \"ops\"}\n"
                       ITEM ("t1") ITEM ("t2") ITEM ("t3") ITEM ("t4"), NULL, &result);
  g_assert_cmpuint (result.imported, ==, 4);

  decide (fixture, "t1", VD_DECISION_KIND_APPROVE, "alice", "");
  decide (fixture, "t2", VD_DECISION_KIND_REJECT, "alice", "Wrong payee");
  decide (fixture, "t3", VD_DECISION_KIND_ESCALATE_FURTHER, "bob", "Needs a senior");
  decide (fixture, "t3", VD_DECISION_KIND_APPROVE, "alice", "Fine after all");
  decide (fixture, "t4", VD_DECISION_KIND_MODIFY, "bob", "Tone");
}

static void
export_as (Fixture    *fixture,
           const char *reviewer)
{
  g_autoptr(VdExporter) exporter = vd_exporter_new (fixture->store);
  g_autoptr(GFile) file = g_file_new_for_path (fixture->export);
  g_autoptr(GError) error = NULL;
  guint64 n = 0;

  vd_exporter_set_reviewer (exporter, reviewer);
  g_assert_true (vd_exporter_export_file (exporter, VD_EXPORT_DECISIONS, file, &n, NULL,
                                          &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 5);
}

static char *
find_tool (const char *name)
{
  char *path = g_find_program_in_path (name);

  if (path == NULL && g_strcmp0 (g_getenv ("CI"), "true") == 0)
    g_error ("%s is a test dependency and is not installed (build-aux/install-deps.sh)", name);

  return path;
}

/* Runs a program; returns its exit status. */
static int
run (const char * const *argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  int status = -1;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL,
                               NULL, NULL, &err, &status, &error));
  g_assert_no_error (error);
  if (status != 0)
    g_test_message ("%s: %s", argv[0], err);

  return g_spawn_check_wait_status (status, NULL) ? 0 : 1;
}

/* Replaces the first @old of the file with @new. */
static void
edit_file (const char *path,
           const char *old,
           const char *new)
{
  g_autofree char *text = NULL;
  g_autoptr(GString) edited = NULL;
  g_autoptr(GError) error = NULL;
  const char *at;

  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  at = strstr (text, old);
  g_assert_nonnull (at);
  edited = g_string_new_len (text, at - text);
  g_string_append (edited, new);
  g_string_append (edited, at + strlen (old));
  g_assert_true (g_file_set_contents (path, edited->str, edited->len, &error));
}

static char *
read_line (const char *path,
           guint       number)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), >, number);

  return g_strdup (lines[number - 1]);
}

static void
test_minisign_and_python (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *minisign = find_tool ("minisign");
  g_autofree char *python = g_strdup ("/usr/bin/python3");
  g_autofree char *script = g_test_build_filename (G_TEST_DIST, "..", "docs",
                                                   "verify-export.py", NULL);
  g_autofree char *public_key = vd_key_format_public (fixture->alice);
  g_autofree char *header = NULL;
  g_autofree char *signature = NULL;
  const char *minisign_argv[] = { minisign, "-Vm", fixture->export, "-P", public_key, NULL };
  const char *python_argv[] = { python, script, fixture->export, public_key, NULL };
  gboolean have_nacl;

  populate (fixture);
  export_as (fixture, "alice");

  header = read_line (fixture->export, 1);
  g_assert_nonnull (strstr (header, "\"signed\":true"));
  g_assert_nonnull (strstr (header, "\"signer\":\"alice\""));
  {
    g_autofree char *path = g_strconcat (fixture->export, ".minisig", NULL);

    g_assert_true (g_file_get_contents (path, &signature, NULL, NULL));
    g_assert_nonnull (strstr (signature, "trusted comment: verdict-decisions v1 head="));
    g_assert_nonnull (strstr (signature, " lines=5 signer=alice\n"));
  }

  {
    const char *probe[] = { python, "-c", "import nacl.signing", NULL };

    have_nacl = g_file_test (python, G_FILE_TEST_IS_EXECUTABLE) && run (probe) == 0;
    if (!have_nacl && g_strcmp0 (g_getenv ("CI"), "true") == 0)
      g_error ("python3-nacl is a test dependency and is not installed");
  }

  if (minisign != NULL)
    g_assert_cmpint (run (minisign_argv), ==, 0);
  if (have_nacl)
    g_assert_cmpint (run (python_argv), ==, 0);

  /* One changed byte: both refuse. */
  edit_file (fixture->export, "Wrong payee", "Wrong payeE");
  if (minisign != NULL)
    g_assert_cmpint (run (minisign_argv), !=, 0);
  if (have_nacl)
    g_assert_cmpint (run (python_argv), !=, 0);

  if (minisign == NULL || !have_nacl)
    g_test_skip ("minisign or python3-nacl is not installed");
}

static void
test_installation_signs (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *minisign = find_tool ("minisign");
  VdKey *installation = vd_signer_get_installation_key (vd_store_get_signer (fixture->store));
  g_autofree char *public_key = vd_key_format_public (installation);
  g_autofree char *header = NULL;
  const char *minisign_argv[] = { minisign, "-Vm", fixture->export, "-P", public_key, NULL };

  populate (fixture);
  /* carol has no key: the installation signs for her. */
  export_as (fixture, "carol");

  header = read_line (fixture->export, 1);
  g_assert_nonnull (strstr (header, "\"signer\":\"installation\""));

  if (minisign == NULL)
    {
      g_test_skip ("minisign is not installed");
      return;
    }
  g_assert_cmpint (run (minisign_argv), ==, 0);
}

static GPtrArray *
keys_of (VdKey *key)
{
  GPtrArray *keys = g_ptr_array_new_with_free_func (g_object_unref);

  if (key != NULL)
    g_ptr_array_add (keys, vd_key_dup_public (key));

  return keys;
}

static VdExportReport *
verify (Fixture   *fixture,
        VdRoster  *roster,
        GError   **error)
{
  g_autoptr(GPtrArray) keys = keys_of (fixture->alice);

  return vd_export_verify_file (fixture->export, keys, roster, NULL, error);
}

static void
assert_refused (Fixture    *fixture,
                VdRoster   *roster,
                int         code,
                const char *expected)
{
  g_autoptr(VdExportReport) report = NULL;
  g_autoptr(GError) error = NULL;

  report = verify (fixture, roster, &error);
  g_assert_null (report);
  g_assert_error (error, VD_EXPORT_VERIFY_ERROR, code);
  g_test_message ("%s", error->message);
  if (strstr (error->message, expected) == NULL)
    g_error ("“%s” does not say “%s”", error->message, expected);
}

static void
test_verify_intact (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(VdExportReport) report = NULL;
  g_autoptr(GError) error = NULL;

  populate (fixture);
  export_as (fixture, "alice");

  report = verify (fixture, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (report);
  g_assert_cmpstr (report->format, ==, "verdict-decisions");
  g_assert_cmpuint (report->n_lines, ==, 5);
  g_assert_cmpstr (report->signer, ==, "alice");
  g_assert_cmpstr (report->signer_key_id, ==, vd_key_get_id (fixture->alice));
  g_assert_cmpuint (report->n_line_keys, ==, 2);
  g_assert_cmpuint (report->events->len, ==, 5);
}

static void
test_tamper_byte (Fixture       *fixture,
                  gconstpointer  data)
{
  populate (fixture);
  export_as (fixture, "alice");

  /* In a field the event signs: the line is named. */
  edit_file (fixture->export, "\"feedback\":\"Wrong payee\"", "\"feedback\":\"Wrong payeE\"");
  assert_refused (fixture, NULL, VD_EXPORT_VERIFY_ERROR_MISMATCH,
                  "decisions.jsonl:3: feedback differs from the signed audit event");
}

static void
test_tamper_canonical (Fixture       *fixture,
                       gconstpointer  data)
{
  populate (fixture);
  export_as (fixture, "alice");

  /* In the signed text itself: the hash no longer matches. */
  edit_file (fixture->export, "\\\"feedback\\\":\\\"Tone\\\"", "\\\"feedback\\\":\\\"Tonk\\\"");
  assert_refused (fixture, NULL, VD_EXPORT_VERIFY_ERROR_CHAIN,
                  "decisions.jsonl:6: audit event");
}

static void
test_tamper_unsigned_field (Fixture       *fixture,
                            gconstpointer  data)
{
  populate (fixture);
  export_as (fixture, "alice");

  /* A field only the file's signature covers. */
  edit_file (fixture->export, "\"duration_ms\":0", "\"duration_ms\":1");
  assert_refused (fixture, NULL, VD_EXPORT_VERIFY_ERROR_SIGNATURE,
                  "changed after it was signed");
}

static void
test_tamper_removed (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *line = NULL;

  populate (fixture);
  export_as (fixture, "alice");

  line = read_line (fixture->export, 3);
  edit_file (fixture->export, line, "");
  edit_file (fixture->export, "\n\n", "\n");
  assert_refused (fixture, NULL, VD_EXPORT_VERIFY_ERROR_CHAIN,
                  "4 lines after the header, but the signature covers 5: a line was removed");
}

static void
test_tamper_swapped (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *second = NULL;
  g_autofree char *third = NULL;
  g_autofree char *both = NULL;
  g_autofree char *swapped = NULL;

  populate (fixture);
  export_as (fixture, "alice");

  second = read_line (fixture->export, 2);
  third = read_line (fixture->export, 3);
  both = g_strconcat (second, "\n", third, "\n", NULL);
  swapped = g_strconcat (third, "\n", second, "\n", NULL);
  edit_file (fixture->export, both, swapped);
  assert_refused (fixture, NULL, VD_EXPORT_VERIFY_ERROR_CHAIN,
                  "decisions.jsonl:3: audit event");
  assert_refused (fixture, NULL, VD_EXPORT_VERIFY_ERROR_CHAIN, "out of order");
}

static void
test_tamper_comment (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *signature = g_strconcat (fixture->export, ".minisig", NULL);

  populate (fixture);
  export_as (fixture, "alice");

  edit_file (signature, "signer=alice", "signer=alicf");
  assert_refused (fixture, NULL, VD_EXPORT_VERIFY_ERROR_SIGNATURE,
                  "decisions.jsonl.minisig: the trusted comment or the signature was changed");
}

static void
test_unknown_file_key (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GPtrArray) keys = keys_of (fixture->bob);
  g_autoptr(VdExportReport) report = NULL;
  g_autoptr(GError) error = NULL;

  populate (fixture);
  export_as (fixture, "alice");

  report = vd_export_verify_file (fixture->export, keys, NULL, NULL, &error);
  g_assert_null (report);
  g_assert_error (error, VD_EXPORT_VERIFY_ERROR, VD_EXPORT_VERIFY_ERROR_UNKNOWN_KEY);
  g_assert_nonnull (strstr (error->message, vd_key_get_id (fixture->alice)));
}

static VdRoster *
make_roster (VdKey      *alice_key,
             const char *alice_roles,
             VdKey      *bob_key,
             const char *bob_roles)
{
  g_autofree char *alice = vd_key_format_public (alice_key);
  g_autofree char *bob = vd_key_format_public (bob_key);
  g_autofree char *json = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  VdRoster *roster;

  json = g_strdup_printf ("[{\"id\": \"alice\", \"public_key\": \"%s\", \"roles\": [%s]},"
                          " {\"id\": \"bob\", \"public_key\": \"%s\", \"roles\": [%s]}]",
                          alice, alice_roles, bob, bob_roles);
  node = json_from_string (json, &error);
  g_assert_no_error (error);
  roster = vd_roster_new_from_json (node, &error);
  g_assert_no_error (error);

  return roster;
}

static void
test_roster (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(VdRoster) good = NULL;
  g_autoptr(VdRoster) wrong_key = NULL;
  g_autoptr(VdRoster) no_senior = NULL;
  g_autoptr(VdExportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(VdKey) mallory = vd_key_generate ("mallory", &error);

  g_assert_no_error (error);
  populate (fixture);
  export_as (fixture, "alice");

  good = make_roster (fixture->alice, "\"reviewer\", \"senior\"", fixture->bob, "\"reviewer\"");
  report = verify (fixture, good, &error);
  g_assert_no_error (error);
  g_assert_nonnull (report);

  /* The roster gives alice another key than the one that signed. */
  wrong_key = make_roster (mallory, "\"reviewer\", \"senior\"", fixture->bob, "\"reviewer\"");
  assert_refused (fixture, wrong_key, VD_EXPORT_VERIFY_ERROR_ROSTER,
                  "decisions.jsonl:2: signed by key");
  assert_refused (fixture, wrong_key, VD_EXPORT_VERIFY_ERROR_ROSTER,
                  "which is not alice’s key");

  /* alice approved t3 after bob escalated it further. */
  no_senior = make_roster (fixture->alice, "\"reviewer\"", fixture->bob, "\"reviewer\"");
  assert_refused (fixture, no_senior, VD_EXPORT_VERIFY_ERROR_ROSTER,
                  "decisions.jsonl:5: alice decided ops/t3, an escalated item, without the "
                  "role “senior”");
}

/* An attacker with write access to the database: drops the triggers and
 * changes an event's hash. */
static void
rewrite_event (const char *db,
               gint64      seq)
{
  sqlite3 *handle = NULL;
  sqlite3_stmt *stmt = NULL;
  g_autoptr(GPtrArray) triggers = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *update = NULL;

  if (!vd_test_store_is_sqlite ())
    {
      /* As the superuser, with the append-only triggers off. */
      update = g_strdup_printf ("SET session_replication_role = replica; "
                                "UPDATE audit SET hash = '%064d' WHERE seq = %" G_GINT64_FORMAT,
                                7, seq);
      g_free (vd_test_store_sql (db, update));
      return;
    }

  g_assert_cmpint (sqlite3_open (db, &handle), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (handle, "SELECT name FROM sqlite_master "
                                       "WHERE type = 'trigger'", -1, &stmt, NULL), ==,
                   SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (triggers, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);
  for (guint i = 0; i < triggers->len; i++)
    {
      g_autofree char *drop = g_strdup_printf ("DROP TRIGGER \"%s\"",
                                               (char *) g_ptr_array_index (triggers, i));

      g_assert_cmpint (sqlite3_exec (handle, drop, NULL, NULL, NULL), ==, SQLITE_OK);
    }
  update = g_strdup_printf ("UPDATE audit SET hash = '%064d' WHERE seq = %" G_GINT64_FORMAT,
                            7, seq);
  g_assert_cmpint (sqlite3_exec (handle, update, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (handle);
}

static void
test_store_against_export (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(VdExportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(VdStore) reopened = NULL;
  gint64 seq;

  populate (fixture);
  export_as (fixture, "alice");

  report = verify (fixture, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (vd_export_verify_store (report, fixture->export, fixture->store, &error));
  g_assert_no_error (error);

  /* The second decision's event, rewritten after the export. */
  seq = g_array_index (report->events, VdExportedEvent, 1).seq;
  rewrite_event (fixture->db, seq);
  reopened = vd_test_open_store (fixture->db);
  g_assert_false (vd_export_verify_store (report, fixture->export, reopened, &error));
  g_test_message ("%s", error->message);
  g_assert_error (error, VD_EXPORT_VERIFY_ERROR, VD_EXPORT_VERIFY_ERROR_STORE);
  g_assert_nonnull (strstr (error->message, "line 3 of "));
  g_assert_nonnull (strstr (error->message,
                            "decisions.jsonl: the audit trail was rewritten after the export"));
}

/* Signed queue files. */

static VdPolicy *
trusting_policy (const char *public_key,
                 gboolean    required)
{
  g_autofree char *json = NULL;
  g_autoptr(GError) error = NULL;
  VdPolicy *policy;

  json = g_strdup_printf ("{\"trusted_sources\": [{\"name\": \"triage-agent\", "
                          "\"public_key\": \"%s\"}], \"require_signed_queues\": %s}",
                          public_key, required ? "true" : "false");
  policy = vd_policy_new_from_data (json, -1, "policy.json", &error);
  g_assert_no_error (error);

  return policy;
}

static gboolean
import_file (Fixture    *fixture,
             const char *path,
             VdPolicy   *policy,
             GError    **error)
{
  g_autoptr(VdImporter) importer = vd_importer_new (fixture->store, policy);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  VdImportResult result = { 0, };

  return vd_importer_import (importer, &file, 1, &result, NULL, NULL, NULL, error);
}

static guint64
count_items (Fixture *fixture)
{
  VdItemQuery query = VD_ITEM_QUERY_INIT;
  g_autoptr(GError) error = NULL;
  guint64 count = 0;

  g_assert_true (vd_store_count_items (fixture->store, &query, &count, &error));
  g_assert_no_error (error);

  return count;
}

static void
test_signed_queues (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *minisign = find_tool ("minisign");
  g_autofree char *queue = NULL;
  g_autofree char *signature = NULL;
  g_autofree char *pub = g_build_filename (fixture->dir, "agent.pub", NULL);
  g_autofree char *sec = g_build_filename (fixture->dir, "agent.key", NULL);
  g_autofree char *pub_text = NULL;
  g_autofree char *public_key = NULL;
  g_autofree char *other_key = vd_key_format_public (fixture->bob);
  g_autoptr(VdPolicy) required = NULL;
  g_autoptr(VdPolicy) optional = NULL;
  g_autoptr(VdPolicy) untrusting = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;
  const char *generate[] = { minisign, "-G", "-W", "-p", pub, "-s", sec, NULL };
  const char *sign[] = { minisign, "-S", "-s", sec, "-m", NULL, NULL };
  VdAuditEvent *last;

  if (minisign == NULL)
    {
      g_test_skip ("minisign is not installed");
      return;
    }

  queue = vd_test_write_file (fixture->dir, "agent.jsonl",
                              "{\"verdict_queue\": 1, \"queue\": \"ops\"}\n"
                              ITEM ("q1") ITEM ("q2"));
  signature = g_strconcat (queue, ".minisig", NULL);
  g_assert_cmpint (run (generate), ==, 0);
  g_assert_true (g_file_get_contents (pub, &pub_text, NULL, NULL));
  public_key = g_strdup (g_strstrip (strchr (pub_text, '\n')));
  required = trusting_policy (public_key, TRUE);
  optional = trusting_policy (other_key, FALSE);
  untrusting = trusting_policy (other_key, TRUE);

  /* Unsigned, and a signature required: refused, nothing imported. */
  g_assert_false (import_file (fixture, queue, required, &error));
  g_assert_nonnull (strstr (error->message, "agent.jsonl: unsigned queue; the policy requires "
                                            "a signature by one of its trusted_sources"));
  g_clear_error (&error);
  g_assert_cmpuint (count_items (fixture), ==, 0);

  /* Signed by minisign itself with the trusted key. */
  sign[5] = queue;
  g_assert_cmpint (run (sign), ==, 0);

  /* Signed, but by a key the policy does not trust. */
  g_assert_false (import_file (fixture, queue, untrusting, &error));
  g_assert_nonnull (strstr (error->message, "which is not among the policy’s trusted_sources"));
  g_clear_error (&error);
  /* Not required, but present and checked against trusted sources. */
  g_assert_false (import_file (fixture, queue, optional, &error));
  g_clear_error (&error);
  g_assert_cmpuint (count_items (fixture), ==, 0);

  /* Changed after signing. */
  edit_file (queue, "Output q2", "Output q3");
  g_assert_false (import_file (fixture, queue, required, &error));
  g_assert_nonnull (strstr (error->message, "agent.jsonl.minisig: signature does not verify"));
  g_clear_error (&error);
  g_assert_cmpuint (count_items (fixture), ==, 0);

  /* Put back: accepted, and the import event names the signer. */
  edit_file (queue, "Output q3", "Output q2");
  g_assert_true (import_file (fixture, queue, required, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_items (fixture), ==, 2);

  events = vd_store_list_audit (fixture->store, 1, 0, &error);
  g_assert_no_error (error);
  for (guint i = events->len; i > 0; i--)
    {
      last = g_ptr_array_index (events, i - 1);
      if (g_str_equal (vd_audit_event_get_event_type (last), VD_AUDIT_IMPORT))
        break;
    }
  {
    g_autofree char *expected = NULL;
    g_autoptr(VdKey) agent = vd_key_parse_public (public_key, NULL, &error);

    g_assert_no_error (error);
    expected = g_strdup_printf ("\"signed_by\":\"%s\"", vd_key_get_id (agent));
    g_assert_nonnull (strstr (vd_audit_event_get_payload_json (last), expected));
  }
}

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  ADD ("/export-signed/minisign-and-python", test_minisign_and_python);
  ADD ("/export-signed/installation", test_installation_signs);
  ADD ("/export-signed/verify-intact", test_verify_intact);
  ADD ("/export-signed/tamper/byte", test_tamper_byte);
  ADD ("/export-signed/tamper/canonical", test_tamper_canonical);
  ADD ("/export-signed/tamper/unsigned-field", test_tamper_unsigned_field);
  ADD ("/export-signed/tamper/removed", test_tamper_removed);
  ADD ("/export-signed/tamper/swapped", test_tamper_swapped);
  ADD ("/export-signed/tamper/comment", test_tamper_comment);
  ADD ("/export-signed/unknown-file-key", test_unknown_file_key);
  ADD ("/export-signed/roster", test_roster);
  ADD ("/export-signed/store-against-export", test_store_against_export);
  ADD ("/export-signed/signed-queues", test_signed_queues);

  return g_test_run ();
}
