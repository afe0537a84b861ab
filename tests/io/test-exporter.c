/* test-exporter.c
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

#define G_LOG_DOMAIN "test-exporter"

#include "config.h"

#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "vd-atomic-file-private.h"
#include "vd-core.h"
#include "vd-test-util.h"

typedef struct
{
  char          *dir;
  char          *db;
  VdStore       *store;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  fixture->dir = vd_test_make_tmp_dir ("exporter");
  path = g_build_filename (fixture->dir, "verdict.db", NULL);
  fixture->store = vd_test_open_store (path);
  fixture->db = g_steal_pointer (&path);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_assert_finalize_object (fixture->store);
  g_free (fixture->db);
  g_assert_true (vd_test_remove_tree (fixture->dir));
  g_free (fixture->dir);
}

static void
import_text (Fixture    *fixture,
             const char *name,
             const char *text)
{
  g_autofree char *path = g_build_filename (fixture->dir, name, NULL);
  VdImportResult result;

  vd_test_import_text (fixture->store, fixture->dir, name, text, NULL, &result);
  g_assert_cmpint (g_remove (path), ==, 0);
}

static void
decide (Fixture        *fixture,
        const char     *task_id,
        VdDecisionKind  kind,
        int             revision,
        const char     *feedback,
        const char     *modified_content)
{
  g_autoptr(VdDecision) decision = vd_decision_new ("ops", task_id, kind, "alice");
  g_autoptr(GError) error = NULL;

  vd_decision_set_revision (decision, revision);
  vd_decision_set_feedback (decision, feedback);
  vd_decision_set_modified_content (decision, modified_content);
  vd_decision_set_duration_ms (decision, 1500 + revision);
  g_assert_true (vd_store_record_decision (fixture->store, decision, &error));
  g_assert_no_error (error);
}

#define ITEM(id, content, confidence, extra) \
  "{\"task_id\": \"" id "\", \"task_description\": \"Task " id "\", " extra \
  "\"agent_output\": {\"content\": \"" content "\", \"confidence\": " confidence "}}\n"

/* Items: a1 auto-approved, h1 approved by a human, r1 rejected, m1
 * modified, e1 escalated further (so undecided), p1 still pending, v1
 * escalated further on revision 0 and approved on revision 1. */
static void
populate (Fixture *fixture)
{
  import_text (fixture, "ops.jsonl",
               "{\"verdict_queue\": 1, \"queue\": \"ops\"}\n"
               ITEM ("a1", "Auto output", "0.9", "")
               ITEM ("h1", "Human approved output", "0.3", "")
               ITEM ("r1", "Rejected output", "0.3", "")
               ITEM ("m1", "Original output", "0.3", "")
               ITEM ("e1", "Escalated output", "0.3", "")
               ITEM ("p1", "Pending output", "0.3", "")
               ITEM ("v1", "First draft", "0.3", ""));

  decide (fixture, "h1", VD_DECISION_KIND_APPROVE, 0, "Looks right", NULL);
  decide (fixture, "r1", VD_DECISION_KIND_REJECT, 0, "Wrong customer", NULL);
  decide (fixture, "m1", VD_DECISION_KIND_MODIFY, 0, "Tone", "Modified output");
  decide (fixture, "e1", VD_DECISION_KIND_ESCALATE_FURTHER, 0, "Ask legal", NULL);
  decide (fixture, "v1", VD_DECISION_KIND_ESCALATE_FURTHER, 0, "Needs the dates", NULL);

  import_text (fixture, "ops-2.jsonl",
               "{\"verdict_queue\": 1, \"queue\": \"ops\"}\n"
               ITEM ("v1", "Second draft", "0.3", "\"revision\": 1, "));

  decide (fixture, "v1", VD_DECISION_KIND_APPROVE, 1, "", NULL);
}

static GPtrArray *
read_lines (GFile *file)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  GPtrArray *objects = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  gsize length;

  g_assert_true (g_file_load_contents (file, NULL, &contents, &length, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (length, >, 0);
  g_assert_cmpint (contents[length - 1], ==, '\n');

  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonNode *root;

      if (lines[i + 1] == NULL)
        {
          g_assert_cmpstr (lines[i], ==, "");
          break;
        }

      json_parser_load_from_data (parser, lines[i], -1, &error);
      g_assert_no_error (error);
      root = json_parser_get_root (parser);
      g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
      g_ptr_array_add (objects, json_object_ref (json_node_get_object (root)));
    }

  return objects;
}

static void
check_header (JsonObject *header,
              const char *format_key,
              gint64      head_seq,
              const char *head_hash)
{
  g_autoptr(GDateTime) exported_at = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  JsonObject *head;

  g_assert_cmpint (json_object_get_int_member (header, format_key), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (header, "app"), ==, "Verdict " PACKAGE_VERSION);
  exported_at = vd_timestamp_parse (json_object_get_string_member (header, "exported_at"));
  g_assert_nonnull (exported_at);
  g_assert_cmpint (g_date_time_difference (now, exported_at), >=, 0);
  g_assert_cmpint (g_date_time_difference (now, exported_at), <, 60 * G_USEC_PER_SEC);
  g_assert_true (g_str_has_suffix (json_object_get_string_member (header, "exported_at"), "Z"));
  head = json_object_get_object_member (header, "audit_head");
  g_assert_nonnull (head);
  g_assert_cmpint (json_object_get_int_member (head, "seq"), ==, head_seq);
  g_assert_cmpstr (json_object_get_string_member (head, "hash"), ==, head_hash);
}

static void
get_head (Fixture  *fixture,
          gint64   *seq,
          char    **hash)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (vd_store_get_audit_head (fixture->store, seq, hash, &error));
  g_assert_no_error (error);
}

static VdAuditEvent *
audit_event_at (Fixture *fixture,
                gint64   seq)
{
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;

  events = vd_store_list_audit (fixture->store, seq, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 1);
  g_assert_cmpint (vd_audit_event_get_seq (g_ptr_array_index (events, 0)), ==, seq);
  return g_object_ref (g_ptr_array_index (events, 0));
}

static void
check_export_event (Fixture    *fixture,
                    const char *kind,
                    const char *destination,
                    gint64      records)
{
  g_autoptr(VdAuditEvent) event = NULL;
  g_autoptr(JsonObject) payload = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = NULL;
  gint64 seq, bad_seq = -1;
  guint64 n_checked = 0;

  get_head (fixture, &seq, &hash);
  event = audit_event_at (fixture, seq);
  g_assert_cmpstr (vd_audit_event_get_event_type (event), ==, VD_AUDIT_EXPORT);
  g_assert_cmpstr (vd_audit_event_get_actor (event), ==, VD_AUDIT_ACTOR_SYSTEM);
  payload = vd_audit_event_dup_payload (event);
  g_assert_cmpstr (json_object_get_string_member (payload, "kind"), ==, kind);
  g_assert_cmpstr (json_object_get_string_member (payload, "destination"), ==, destination);
  g_assert_cmpint (json_object_get_int_member (payload, "records"), ==, records);

  g_assert_true (vd_store_verify_audit (fixture->store, &bad_seq, &n_checked, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_checked, ==, (guint64) seq);
}

static void
test_decisions (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(VdExporter) exporter = vd_exporter_new (fixture->store);
  g_autofree char *path = g_build_filename (fixture->dir, "decisions.jsonl", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GPtrArray) decisions = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *head_hash = NULL;
  static const char * const expected_outputs[] = {
    "Auto output", "Human approved output", "", "Modified output", "Escalated output",
    "First draft", "Second draft",
  };
  guint64 n_records = 0;
  gint64 head_seq;

  populate (fixture);
  get_head (fixture, &head_seq, &head_hash);

  g_assert_true (vd_exporter_export_file (exporter, VD_EXPORT_DECISIONS, file, &n_records,
                                          NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_records, ==, 7);

  decisions = vd_store_list_decisions (fixture->store, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (decisions->len, ==, 7);

  lines = read_lines (file);
  g_assert_cmpuint (lines->len, ==, 1 + decisions->len);
  check_header (g_ptr_array_index (lines, 0), "verdict_decisions", head_seq, head_hash);

  for (guint i = 0; i < decisions->len; i++)
    {
      VdDecision *decision = g_ptr_array_index (decisions, i);
      JsonObject *line = g_ptr_array_index (lines, i + 1);
      JsonObject *audit = json_object_get_object_member (line, "audit");
      g_autoptr(VdAuditEvent) event = NULL;
      g_autoptr(VdAuditEvent) previous = NULL;
      g_autofree char *timestamp = vd_timestamp_format (vd_decision_get_timestamp (decision));

      g_autofree char *canonical = NULL;
      /* The stamps appear only when known. */
      guint n_stamps = (vd_decision_get_policy_sha256 (decision) != NULL) +
                       (vd_decision_get_model (decision) != NULL) +
                       (vd_decision_get_prompt_version (decision) != NULL) +
                       (vd_decision_get_app_version (decision) != NULL);

      g_assert_cmpuint (json_object_get_size (line), ==, 12 + n_stamps);
      g_assert_cmpstr (json_object_get_string_member (line, "queue"), ==, "ops");
      g_assert_cmpstr (json_object_get_string_member (line, "task_id"), ==,
                       vd_decision_get_task_id (decision));
      g_assert_cmpstr (json_object_get_string_member (line, "decision"), ==,
                       vd_decision_kind_to_string (vd_decision_get_kind (decision)));
      g_assert_cmpstr (json_object_get_string_member (line, "feedback"), ==,
                       vd_decision_get_feedback (decision) ?: "");
      g_assert_cmpstr (json_object_get_string_member (line, "modified_content"), ==,
                       vd_decision_get_modified_content (decision) ?: "");
      g_assert_cmpstr (json_object_get_string_member (line, "reviewer_id"), ==,
                       vd_decision_get_reviewer_id (decision));
      g_assert_cmpint (json_object_get_boolean_member (line, "automatic"), ==,
                       vd_decision_get_automatic (decision));
      g_assert_cmpstr (json_object_get_string_member (line, "timestamp"), ==, timestamp);
      g_assert_cmpint (json_object_get_int_member (line, "revision"), ==,
                       vd_decision_get_revision (decision));
      g_assert_cmpint (json_object_get_int_member (line, "duration_ms"), ==,
                       vd_decision_get_duration_ms (decision));
      g_assert_cmpstr (json_object_get_string_member (line, "final_output"), ==,
                       expected_outputs[i]);

      /* The audit link: the decision's event, chained to the one before. */
      g_assert_nonnull (audit);
      g_assert_cmpint (json_object_get_int_member (audit, "seq"), ==,
                       vd_decision_get_audit_seq (decision));
      g_assert_cmpstr (json_object_get_string_member (audit, "hash"), ==,
                       vd_decision_get_audit_hash (decision));
      g_assert_cmpstr (json_object_get_string_member (audit, "prev_hash"), ==,
                       vd_decision_get_audit_prev_hash (decision));
      event = audit_event_at (fixture, json_object_get_int_member (audit, "seq"));
      g_assert_cmpstr (vd_audit_event_get_hash (event), ==,
                       json_object_get_string_member (audit, "hash"));
      g_assert_cmpstr (vd_audit_event_get_task_id (event), ==,
                       vd_decision_get_task_id (decision));
      /* What a third party needs to check the event's signature. */
      canonical = vd_audit_event_dup_canonical (event);
      g_assert_cmpstr (json_object_get_string_member (audit, "canonical"), ==, canonical);
      g_assert_cmpstr (json_object_get_string_member (audit, "key_id"), ==,
                       vd_audit_event_get_key_id (event));
      g_assert_cmpstr (json_object_get_string_member (audit, "signature"), ==,
                       vd_audit_event_get_signature (event));
      g_assert_true (g_str_has_prefix (json_object_get_string_member (audit, "public_key"),
                                       "RW"));
      if (json_object_get_int_member (audit, "seq") == 1)
        {
          g_assert_cmpstr (json_object_get_string_member (audit, "prev_hash"), ==,
                           VD_AUDIT_GENESIS_HASH);
        }
      else
        {
          previous = audit_event_at (fixture, json_object_get_int_member (audit, "seq") - 1);
          g_assert_cmpstr (vd_audit_event_get_hash (previous), ==,
                           json_object_get_string_member (audit, "prev_hash"));
        }
    }

  /* Spot checks against the scenario itself. */
  {
    JsonObject *auto_line = g_ptr_array_index (lines, 1);
    JsonObject *reject_line = g_ptr_array_index (lines, 3);
    JsonObject *v1_first = g_ptr_array_index (lines, 6);

    g_assert_cmpstr (json_object_get_string_member (auto_line, "task_id"), ==, "a1");
    g_assert_true (json_object_get_boolean_member (auto_line, "automatic"));
    g_assert_cmpstr (json_object_get_string_member (auto_line, "reviewer_id"), ==, "policy");
    g_assert_cmpstr (json_object_get_string_member (reject_line, "feedback"), ==,
                     "Wrong customer");
    g_assert_cmpstr (json_object_get_string_member (v1_first, "task_id"), ==, "v1");
    g_assert_cmpint (json_object_get_int_member (v1_first, "revision"), ==, 0);
    g_assert_cmpint (json_object_get_int_member (v1_first, "duration_ms"), ==, 1500);
  }

  check_export_event (fixture, "decisions", path, 7);
}

static void
test_outputs (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(VdExporter) exporter = vd_exporter_new (fixture->store);
  g_autofree char *path = g_build_filename (fixture->dir, "outputs.jsonl", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GPtrArray) decisions = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *head_hash = NULL;
  static const struct {
    const char *task_id;
    int         revision;
    const char *status;
    const char *decision;
    const char *final_output;
    const char *decided_by;
  } expected[] = {
    { "a1", 0, "approved", "approve", "Auto output", "policy" },
    { "h1", 0, "approved", "approve", "Human approved output", "alice" },
    { "r1", 0, "rejected", "reject", "", "alice" },
    { "m1", 0, "modified", "modify", "Modified output", "alice" },
    { "v1", 1, "approved", "approve", "Second draft", "alice" },
  };
  guint64 n_records = 0;
  gint64 head_seq;

  populate (fixture);
  get_head (fixture, &head_seq, &head_hash);
  decisions = vd_store_list_decisions (fixture->store, NULL, NULL, &error);
  g_assert_no_error (error);

  g_assert_true (vd_exporter_export_file (exporter, VD_EXPORT_OUTPUTS, file, &n_records,
                                          NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_records, ==, G_N_ELEMENTS (expected));

  /* Only decided items: e1 (escalated further) and p1 (pending) are not. */
  lines = read_lines (file);
  g_assert_cmpuint (lines->len, ==, 1 + G_N_ELEMENTS (expected));
  check_header (g_ptr_array_index (lines, 0), "verdict_outputs", head_seq, head_hash);

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      JsonObject *line = g_ptr_array_index (lines, i + 1);
      g_autoptr(GDateTime) decided_at = NULL;
      VdDecision *latest = NULL;
      g_autofree char *decided_at_text = NULL;

      for (guint j = 0; j < decisions->len; j++)
        if (g_str_equal (vd_decision_get_task_id (g_ptr_array_index (decisions, j)),
                         expected[i].task_id))
          latest = g_ptr_array_index (decisions, j);
      g_assert_nonnull (latest);
      decided_at_text = vd_timestamp_format (vd_decision_get_timestamp (latest));

      g_assert_cmpuint (json_object_get_size (line), ==, 8);
      g_assert_cmpstr (json_object_get_string_member (line, "queue"), ==, "ops");
      g_assert_cmpstr (json_object_get_string_member (line, "task_id"), ==, expected[i].task_id);
      g_assert_cmpint (json_object_get_int_member (line, "revision"), ==, expected[i].revision);
      g_assert_cmpstr (json_object_get_string_member (line, "status"), ==, expected[i].status);
      g_assert_cmpstr (json_object_get_string_member (line, "decision"), ==,
                       expected[i].decision);
      g_assert_cmpstr (json_object_get_string_member (line, "final_output"), ==,
                       expected[i].final_output);
      g_assert_cmpstr (json_object_get_string_member (line, "decided_by"), ==,
                       expected[i].decided_by);
      g_assert_cmpstr (json_object_get_string_member (line, "decided_at"), ==, decided_at_text);
    }

  check_export_event (fixture, "outputs", path, G_N_ELEMENTS (expected));
}

static void
test_empty_store (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(VdExporter) exporter = vd_exporter_new (fixture->store);
  g_autoptr(GOutputStream) stream = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  guint64 n_records = 99;

  /* Nothing decided yet: just the header, and the head is the new store's
   * signing_started event. */
  g_assert_true (vd_exporter_write (exporter, VD_EXPORT_DECISIONS, stream, "-", &n_records,
                                    NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_records, ==, 0);
  g_assert_true (g_output_stream_close (stream, NULL, &error));
  text = g_strndup (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (stream)),
                    g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (stream)));
  g_assert_true (g_str_has_prefix (text, "{\"verdict_decisions\":1,\"exported_at\":\""));
  g_assert_nonnull (strstr (text, "\",\"app\":\"Verdict " PACKAGE_VERSION
                                  "\",\"audit_head\":{\"seq\":1,\"hash\":\""));
  g_assert_true (g_str_has_suffix (text, "\"}}\n"));
  g_assert_true (strchr (text, '\n') == text + strlen (text) - 1);

  check_export_event (fixture, "decisions", "-", 0);
}

static void
test_stream (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(VdExporter) exporter = vd_exporter_new (fixture->store);
  g_autoptr(GOutputStream) stream = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  guint64 n_records = 0;

  populate (fixture);
  g_assert_true (vd_exporter_write (exporter, VD_EXPORT_OUTPUTS, stream, NULL, &n_records,
                                    NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_records, ==, 5);

  /* The stream is left open for the caller. */
  g_assert_false (g_output_stream_is_closed (stream));
  g_assert_true (g_output_stream_close (stream, NULL, &error));
  text = g_strndup (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (stream)),
                    g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (stream)));
  lines = g_strsplit (text, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 7);
  g_assert_true (g_str_has_prefix (lines[1],
                                   "{\"queue\":\"ops\",\"task_id\":\"a1\",\"revision\":0,"
                                   "\"status\":\"approved\",\"decision\":\"approve\","
                                   "\"final_output\":\"Auto output\",\"decided_by\":\"policy\","
                                   "\"decided_at\":\""));
  g_assert_cmpstr (lines[6], ==, "");
  check_export_event (fixture, "outputs", "stream", 5);
}

static void
test_replace (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(VdExporter) exporter = vd_exporter_new (fixture->store);
  g_autofree char *path = g_build_filename (fixture->dir, "out.jsonl", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *name;

  populate (fixture);
  g_file_set_contents (path, "old content\n", -1, &error);
  g_assert_no_error (error);

  g_assert_true (vd_exporter_export_file (exporter, VD_EXPORT_OUTPUTS, file, NULL, NULL,
                                          &error));
  g_assert_no_error (error);
  lines = read_lines (file);
  g_assert_cmpuint (lines->len, ==, 6);

  /* No temporary file is left next to it. */
  dir = g_dir_open (fixture->dir, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_assert_false (g_str_has_suffix (name, ".part"));
}

static guint
count_entries (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  guint n = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    n++;

  return n;
}

static void
test_failed (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(VdExporter) exporter = vd_exporter_new (fixture->store);
  g_autofree char *missing_dir = g_build_filename (fixture->dir, "missing", "out.jsonl", NULL);
  g_autofree char *existing = g_build_filename (fixture->dir, "existing.jsonl", NULL);
  g_autofree char *subdir = g_build_filename (fixture->dir, "taken", NULL);
  g_autoptr(GFile) missing_file = g_file_new_for_path (missing_dir);
  g_autoptr(GFile) existing_file = g_file_new_for_path (existing);
  g_autoptr(GFile) dir_file = g_file_new_for_path (subdir);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *head_hash = NULL;
  g_autofree char *contents = NULL;
  gint64 head_seq, seq;
  guint n_entries;

  populate (fixture);
  g_file_set_contents (existing, "keep me\n", -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_mkdir (subdir, 0700), ==, 0);
  get_head (fixture, &head_seq, &head_hash);
  n_entries = count_entries (fixture->dir);

  /* A folder that does not exist. */
  g_assert_false (vd_exporter_export_file (exporter, VD_EXPORT_DECISIONS, missing_file, NULL,
                                           NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* The destination is a folder: written, then refused at the rename. */
  g_assert_false (vd_exporter_export_file (exporter, VD_EXPORT_DECISIONS, dir_file, NULL,
                                           NULL, &error));
  g_assert_nonnull (error);
  g_test_message ("exporting over a folder: %s", error->message);
  g_clear_error (&error);
  g_assert_true (g_file_test (subdir, G_FILE_TEST_IS_DIR));
  g_assert_cmpuint (count_entries (subdir), ==, 0);

  /* Cancelled: the existing file is untouched. */
  g_cancellable_cancel (cancellable);
  g_assert_false (vd_exporter_export_file (exporter, VD_EXPORT_OUTPUTS, existing_file, NULL,
                                           cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_file_get_contents (existing, &contents, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (contents, ==, "keep me\n");

  /* An unwritable folder (root may write anywhere, so only as a user). */
  if (geteuid () != 0)
    {
      g_autofree char *locked = g_build_filename (fixture->dir, "locked", NULL);
      g_autofree char *target = g_build_filename (locked, "out.jsonl", NULL);
      g_autoptr(GFile) target_file = g_file_new_for_path (target);

      g_assert_cmpint (g_mkdir (locked, 0500), ==, 0);
      g_assert_false (vd_exporter_export_file (exporter, VD_EXPORT_DECISIONS, target_file,
                                               NULL, NULL, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
      g_clear_error (&error);
      g_assert_cmpuint (count_entries (locked), ==, 0);
      g_assert_cmpint (g_rmdir (locked), ==, 0);
    }

  /* Nothing was left behind and no export was audited. */
  g_assert_cmpuint (count_entries (fixture->dir), ==, n_entries);
  g_clear_pointer (&head_hash, g_free);
  get_head (fixture, &seq, &head_hash);
  g_assert_cmpint (seq, ==, head_seq);
}

/* An export to a symbolic link replaces the file it points to, with that
 * file's permissions, in that file's folder; the link stays. A link to a
 * file that does not exist yet creates it. */
static void
test_symlink (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(VdExporter) exporter = vd_exporter_new (fixture->store);
  g_autofree char *real_dir = g_build_filename (fixture->dir, "real", NULL);
  g_autofree char *real = g_build_filename (real_dir, "out.jsonl", NULL);
  g_autofree char *link = g_build_filename (fixture->dir, "link.jsonl", NULL);
  g_autofree char *dangling = g_build_filename (fixture->dir, "dangling.jsonl", NULL);
  g_autofree char *fresh = g_build_filename (real_dir, "fresh.jsonl", NULL);
  g_autoptr(GFile) link_file = g_file_new_for_path (link);
  g_autoptr(GFile) real_file = g_file_new_for_path (real);
  g_autoptr(GFile) dangling_file = g_file_new_for_path (dangling);
  g_autoptr(GFile) fresh_file = g_file_new_for_path (fresh);
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *target = NULL;
  guint n_entries;
  GStatBuf st;

  populate (fixture);
  g_assert_cmpint (g_mkdir (real_dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (real, "old content\n", -1, NULL));
  g_assert_cmpint (g_chmod (real, 0600), ==, 0);
  g_assert_cmpint (symlink ("real/out.jsonl", link), ==, 0);
  g_assert_cmpint (symlink (fresh, dangling), ==, 0);
  n_entries = count_entries (fixture->dir);

  g_assert_true (vd_exporter_export_file (exporter, VD_EXPORT_DECISIONS, link_file, NULL, NULL,
                                          &error));
  g_assert_no_error (error);
  check_export_event (fixture, "decisions", link, 7);

  g_assert_cmpint (g_lstat (link, &st), ==, 0);
  g_assert_true (S_ISLNK (st.st_mode));
  target = g_file_read_link (link, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (target, ==, "real/out.jsonl");
  g_assert_cmpint (g_lstat (real, &st), ==, 0);
  g_assert_true (S_ISREG (st.st_mode));
  g_assert_cmpint (st.st_mode & 07777, ==, 0600);
  lines = read_lines (real_file);
  g_assert_cmpuint (lines->len, ==, 8);
  g_clear_pointer (&lines, g_ptr_array_unref);

  g_assert_true (vd_exporter_export_file (exporter, VD_EXPORT_OUTPUTS, dangling_file, NULL, NULL,
                                          &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_lstat (dangling, &st), ==, 0);
  g_assert_true (S_ISLNK (st.st_mode));
  lines = read_lines (fresh_file);
  g_assert_cmpuint (lines->len, ==, 6);

  /* Nothing else was written in either folder but the signatures, beside
   * the names the exports were given (where `minisign -Vm NAME` looks). */
  {
    g_autofree char *link_signature = g_strconcat (link, ".minisig", NULL);
    g_autofree char *dangling_signature = g_strconcat (dangling, ".minisig", NULL);

    g_assert_true (g_file_test (link_signature, G_FILE_TEST_IS_REGULAR));
    g_assert_true (g_file_test (dangling_signature, G_FILE_TEST_IS_REGULAR));
  }
  g_assert_cmpuint (count_entries (fixture->dir), ==, n_entries + 2);
  g_assert_cmpuint (count_entries (real_dir), ==, 2);
}

typedef struct
{
  const char *text;
  gboolean    fail;
} WriteJob;

static gboolean
write_text (GOutputStream  *stream,
            gpointer        user_data,
            GCancellable   *cancellable,
            GError        **error)
{
  WriteJob *job = user_data;

  if (!g_output_stream_write_all (stream, job->text, strlen (job->text), NULL, cancellable,
                                  error))
    return FALSE;

  if (job->fail)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "no more data");
      return FALSE;
    }

  return TRUE;
}

static gboolean
refuse_ready (gpointer   user_data,
              GError   **error)
{
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED, "not now");
  return FALSE;
}

static char *
read_text (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  g_assert_no_error (error);

  return contents;
}

/* A writer or a step before the rename that fails leaves the destination
 * as it was and no temporary file. */
static void
test_atomic_failed_write (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "keep.txt", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  WriteJob job = { "half of it", TRUE };
  guint n_entries;

  g_assert_true (g_file_set_contents (path, "keep me\n", -1, NULL));
  n_entries = count_entries (fixture->dir);

  g_assert_false (_vd_atomic_file_write (file, write_text, &job, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_clear_error (&error);
  contents = read_text (path);
  g_assert_cmpstr (contents, ==, "keep me\n");
  g_assert_cmpuint (count_entries (fixture->dir), ==, n_entries);
  g_clear_pointer (&contents, g_free);

  job.fail = FALSE;
  g_assert_false (_vd_atomic_file_write_full (file, write_text, refuse_ready, &job, NULL,
                                              &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);
  contents = read_text (path);
  g_assert_cmpstr (contents, ==, "keep me\n");
  g_assert_cmpuint (count_entries (fixture->dir), ==, n_entries);
  g_clear_pointer (&contents, g_free);

  job.text = "all of it";
  g_assert_true (_vd_atomic_file_write (file, write_text, &job, NULL, &error));
  g_assert_no_error (error);
  contents = read_text (path);
  g_assert_cmpstr (contents, ==, "all of it");
  g_assert_cmpuint (count_entries (fixture->dir), ==, n_entries);
}

/* Files already at the names the writer tries first, someone else's file
 * and a link to one, are left alone: the writer moves on to another name.
 * (The names come from g_random_int (); the same seed gives the same
 * names.) */
static void
test_atomic_temp_taken (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "out.txt", NULL);
  g_autofree char *victim = g_build_filename (fixture->dir, "victim.txt", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  WriteJob job = { "new contents", FALSE };
  guint n_entries;
  GStatBuf st;

  g_random_set_seed (20261120);
  first = g_strdup_printf ("%s/.out.txt.%08x.part", fixture->dir, g_random_int ());
  second = g_strdup_printf ("%s/.out.txt.%08x.part", fixture->dir, g_random_int ());
  g_assert_true (g_file_set_contents (first, "someone else's\n", -1, NULL));
  g_assert_true (g_file_set_contents (victim, "victim\n", -1, NULL));
  g_assert_cmpint (symlink (victim, second), ==, 0);
  n_entries = count_entries (fixture->dir);

  g_random_set_seed (20261120);
  g_assert_true (_vd_atomic_file_write (file, write_text, &job, NULL, &error));
  g_assert_no_error (error);

  contents = read_text (path);
  g_assert_cmpstr (contents, ==, "new contents");
  g_clear_pointer (&contents, g_free);
  contents = read_text (first);
  g_assert_cmpstr (contents, ==, "someone else's\n");
  g_clear_pointer (&contents, g_free);
  contents = read_text (victim);
  g_assert_cmpstr (contents, ==, "victim\n");
  g_assert_cmpint (g_lstat (second, &st), ==, 0);
  g_assert_true (S_ISLNK (st.st_mode));
  g_assert_cmpuint (count_entries (fixture->dir), ==, n_entries + 1);
}

/* Parses an export held in @stream: the header's head, and the audit
 * sequence numbers of the decisions, in order. */
static GArray *
parse_decisions_export (GOutputStream  *stream,
                        gint64         *head_seq,
                        char          **head_hash)
{
  GMemoryOutputStream *memory = G_MEMORY_OUTPUT_STREAM (stream);
  g_autofree char *text = g_strndup (g_memory_output_stream_get_data (memory),
                                     g_memory_output_stream_get_data_size (memory));
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  GArray *seqs = g_array_new (FALSE, FALSE, sizeof (gint64));

  g_assert_nonnull (lines[0]);
  for (guint i = 0; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;
      JsonObject *object;

      json_parser_load_from_data (parser, lines[i], -1, &error);
      g_assert_no_error (error);
      object = json_node_get_object (json_parser_get_root (parser));
      if (i == 0)
        {
          JsonObject *head = json_object_get_object_member (object, "audit_head");

          *head_seq = json_object_get_int_member (head, "seq");
          *head_hash = g_strdup (json_object_get_string_member (head, "hash"));
        }
      else
        {
          gint64 seq = json_object_get_int_member (json_object_get_object_member (object,
                                                                                  "audit"),
                                                   "seq");

          g_array_append_val (seqs, seq);
        }
    }

  return seqs;
}

static GArray *
export_decisions (Fixture  *fixture,
                  gint64   *head_seq,
                  char    **head_hash)
{
  g_autoptr(VdExporter) exporter = vd_exporter_new (fixture->store);
  g_autoptr(GOutputStream) stream = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;

  g_assert_true (vd_exporter_write (exporter, VD_EXPORT_DECISIONS, stream, NULL, NULL, NULL,
                                    &error));
  g_assert_no_error (error);

  return parse_decisions_export (stream, head_seq, head_hash);
}

typedef struct
{
  char   *path;
  guint   n_items;
  gint    done;
} Decider;

/* Another process's reviewer, on a connection of its own. */
static gpointer
decide_all (gpointer user_data)
{
  Decider *decider = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(VdStore) store = vd_test_open_store (decider->path);

  for (guint i = 0; i < decider->n_items; i++)
    {
      g_autofree char *task_id = g_strdup_printf ("c%u", i);
      g_autoptr(VdDecision) decision = vd_decision_new ("race", task_id,
                                                        VD_DECISION_KIND_APPROVE, "bob");

      g_assert_true (vd_store_record_decision (VD_STORE (store), decision, &error));
      g_assert_no_error (error);
      /* Spread the decisions over many exports. */
      g_usleep (500);
    }
  g_atomic_int_set (&decider->done, TRUE);

  return NULL;
}

/* The header's audit head and the decisions come from one snapshot: after
 * each decision, the head is that decision's audit event; with decisions
 * committed by another connection during the exports, every export holds
 * exactly the decisions its head covers. */
static void
test_head_matches_decisions (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(GString) queue = g_string_new ("{\"verdict_queue\": 1, \"queue\": \"race\"}\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(GThread) thread = NULL;
  Decider decider = { NULL, 200, FALSE };
  guint n_exports = 0;

  for (guint i = 0; i < decider.n_items; i++)
    g_string_append_printf (queue, "{\"task_id\": \"c%u\", \"task_description\": \"x\", "
                            "\"agent_output\": {\"content\": \"x\", \"confidence\": 0.2}}\n", i);
  for (guint i = 0; i < 3; i++)
    g_string_append_printf (queue, "{\"task_id\": \"s%u\", \"task_description\": \"x\", "
                            "\"agent_output\": {\"content\": \"x\", \"confidence\": 0.2}}\n", i);
  import_text (fixture, "race.jsonl", queue->str);

  /* Interleaved on one connection: the head is the last decision's event
   * (each export's own event comes before the next decision). */
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *task_id = g_strdup_printf ("s%u", i);
      g_autoptr(VdDecision) decision = vd_decision_new ("race", task_id,
                                                        VD_DECISION_KIND_APPROVE, "alice");
      g_autoptr(GArray) seqs = NULL;
      g_autofree char *head_hash = NULL;
      gint64 head_seq = 0;

      g_assert_true (vd_store_record_decision (fixture->store, decision, &error));
      g_assert_no_error (error);

      seqs = export_decisions (fixture, &head_seq, &head_hash);
      g_assert_cmpuint (seqs->len, ==, i + 1);
      g_assert_cmpint (head_seq, ==, vd_decision_get_audit_seq (decision));
      g_assert_cmpstr (head_hash, ==, vd_decision_get_audit_hash (decision));
      g_assert_cmpint (g_array_index (seqs, gint64, seqs->len - 1), ==, head_seq);
    }

  /* Decisions committed by another connection while exporting. */
  decider.path = g_strdup (fixture->db);
  thread = g_thread_new ("decider", decide_all, &decider);

  do
    {
      g_autoptr(GArray) seqs = NULL;
      g_autoptr(GPtrArray) all = NULL;
      g_autofree char *head_hash = NULL;
      gint64 head_seq = 0;
      guint covered = 0;

      seqs = export_decisions (fixture, &head_seq, &head_hash);
      g_assert_cmpint (g_array_index (seqs, gint64, seqs->len - 1), <=, head_seq);

      /* Every decision up to the head, none after it. */
      all = vd_store_list_decisions (fixture->store, NULL, NULL, &error);
      g_assert_no_error (error);
      for (guint i = 0; i < all->len; i++)
        if (vd_decision_get_audit_seq (g_ptr_array_index (all, i)) <= head_seq)
          covered++;
      g_assert_cmpuint (seqs->len, ==, covered);
      n_exports++;
    }
  while (!g_atomic_int_get (&decider.done));

  g_thread_join (g_steal_pointer (&thread));
  g_test_message ("%u exports while another connection decided %u items",
                  n_exports, decider.n_items);
  g_free (decider.path);
}

static void
on_export_done (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static void
test_async (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(VdExporter) exporter = vd_exporter_new (fixture->store);
  g_autofree char *path = g_build_filename (fixture->dir, "async.jsonl", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *result = NULL;
  gpointer weak;
  guint64 n_records = 0;

  populate (fixture);
  vd_exporter_export_file_async (exporter, VD_EXPORT_DECISIONS, file, NULL,
                                 on_export_done, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  g_assert_true (vd_exporter_export_file_finish (exporter, result, &n_records, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_records, ==, 7);
  lines = read_lines (file);
  g_assert_cmpuint (lines->len, ==, 8);
  check_export_event (fixture, "decisions", path, 7);

  /* The worker may drop the task (and the store with it) just after. */
  weak = result;
  g_object_add_weak_pointer (weak, &weak);
  g_object_unref (result);
  while (g_atomic_pointer_get (&weak) != NULL)
    g_usleep (1000);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/exporter/decisions", test_decisions);
  ADD ("/exporter/outputs", test_outputs);
  ADD ("/exporter/empty-store", test_empty_store);
  ADD ("/exporter/stream", test_stream);
  ADD ("/exporter/replace", test_replace);
  ADD ("/exporter/failed", test_failed);
  ADD ("/exporter/async", test_async);
  ADD ("/exporter/symlink", test_symlink);
  ADD ("/exporter/head-matches-decisions", test_head_matches_decisions);
  ADD ("/exporter/atomic-failed-write", test_atomic_failed_write);
  ADD ("/exporter/atomic-temp-taken", test_atomic_temp_taken);

#undef ADD

  return g_test_run ();
}
