/* test-training-export.c: training data from the decisions
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

#include <string.h>

#include "vd-core.h"
#include "vd-test-util.h"

typedef VdTestStore Fixture;

static void
import_text (Fixture    *fixture,
             const char *text)
{
  vd_test_import_text (fixture->store, fixture->dir, "q.jsonl", text, NULL, NULL);
}

static void
decide (Fixture        *fixture,
        const char     *task_id,
        VdDecisionKind  kind,
        int             revision)
{
  g_autoptr(VdDecision) decision = vd_decision_new ("q", task_id, kind, "alice");
  g_autoptr(GError) error = NULL;

  vd_decision_set_revision (decision, revision);
  if (kind == VD_DECISION_KIND_REJECT)
    vd_decision_set_feedback (decision, "Not right");
  if (kind == VD_DECISION_KIND_MODIFY)
    vd_decision_set_modified_content (decision, "Better output");
  g_assert_true (vd_store_record_decision (fixture->store, decision, &error));
  g_assert_no_error (error);
}

#define ITEM(id, extra) \
  "{\"task_id\": \"" id "\", \"task_type\": \"payment\", \"task_description\": \"Do " id "\", " \
  "\"agent_output\": {\"content\": \"Output of " id "\", \"confidence\": 0.5}, " \
  "\"escalation_reason\": \"low_confidence\"" extra "}\n"

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  vd_test_store_set_up (fixture, "training");

  import_text (fixture,
               "{\"verdict_queue\": 1, \"queue\": \"q\"}\n"
               ITEM ("e0", "")
               ITEM ("e1", "")
               ITEM ("e2", "")
               ITEM ("e3", "")
               ITEM ("e4", ", \"context\": \"Some context\"")
               "{\"task_id\": \"auto\", \"task_description\": \"x\", "
               "\"agent_output\": {\"content\": \"x\", \"confidence\": 0.99}}\n");
  decide (fixture, "e0", VD_DECISION_KIND_APPROVE, 0);
  decide (fixture, "e1", VD_DECISION_KIND_MODIFY, 0);
  decide (fixture, "e2", VD_DECISION_KIND_REJECT, 0);
  decide (fixture, "e3", VD_DECISION_KIND_ESCALATE_FURTHER, 0);
  decide (fixture, "e4", VD_DECISION_KIND_APPROVE, 0);
  import_text (fixture,
               "{\"verdict_queue\": 1, \"queue\": \"q\"}\n"
               "{\"task_id\": \"e2\", \"task_type\": \"payment\", \"task_description\": "
               "\"Do e2\", \"agent_output\": {\"content\": \"Output of e2, revised\", "
               "\"confidence\": 0.6}, \"escalation_reason\": \"low_confidence\", "
               "\"revision\": 1}\n");
  decide (fixture, "e2", VD_DECISION_KIND_APPROVE, 1);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  vd_test_store_tear_down (fixture);
}

static const char * const expected_records[] = {
  "{\"type\":\"supervised\",\"queue\":\"q\",\"task_id\":\"e0\",\"task_type\":\"payment\","
  "\"input\":\"Do e0\",\"output\":\"Output of e0\",\"source\":\"approved\","
  "\"reviewer_id\":\"alice\",\"revision\":0}",
  "{\"type\":\"supervised\",\"queue\":\"q\",\"task_id\":\"e1\",\"task_type\":\"payment\","
  "\"input\":\"Do e1\",\"output\":\"Better output\",\"source\":\"modified\","
  "\"reviewer_id\":\"alice\",\"revision\":0}",
  "{\"type\":\"preference\",\"queue\":\"q\",\"task_id\":\"e1\",\"task_type\":\"payment\","
  "\"input\":\"Do e1\",\"rejected\":\"Output of e1\",\"chosen\":\"Better output\","
  "\"source\":\"modified\",\"feedback\":\"\",\"reviewer_id\":\"alice\"}",
  "{\"type\":\"supervised\",\"queue\":\"q\",\"task_id\":\"e2\",\"task_type\":\"payment\","
  "\"input\":\"Do e2\",\"output\":\"Output of e2, revised\",\"source\":\"approved\","
  "\"reviewer_id\":\"alice\",\"revision\":1}",
  "{\"type\":\"preference\",\"queue\":\"q\",\"task_id\":\"e2\",\"task_type\":\"payment\","
  "\"input\":\"Do e2\",\"rejected\":\"Output of e2\",\"chosen\":\"Output of e2, revised\","
  "\"source\":\"revised_after_reject\",\"feedback\":\"Not right\",\"reviewer_id\":\"alice\"}",
  "{\"type\":\"supervised\",\"queue\":\"q\",\"task_id\":\"e4\",\"task_type\":\"payment\","
  "\"input\":\"Do e4\\n\\nSome context\",\"output\":\"Output of e4\",\"source\":\"approved\","
  "\"reviewer_id\":\"alice\",\"revision\":0}",
};

static void
assert_export (const char *contents)
{
  g_auto(GStrv) lines = g_strsplit (contents, "\n", -1);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) exported_at = NULL;
  JsonObject *header;

  g_assert_cmpuint (g_strv_length (lines), ==, G_N_ELEMENTS (expected_records) + 2);
  g_assert_cmpstr (lines[G_N_ELEMENTS (expected_records) + 1], ==, "");

  g_assert_true (json_parser_load_from_data (parser, lines[0], -1, &error));
  g_assert_no_error (error);
  header = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpuint (json_object_get_size (header), ==, 4);
  g_assert_cmpstr (json_object_get_string_member (header, "format"), ==, "verdict-training");
  g_assert_cmpint (json_object_get_int_member (header, "version"), ==, 1);
  exported_at = vd_timestamp_parse (json_object_get_string_member (header, "exported_at"));
  g_assert_nonnull (exported_at);
  g_assert_cmpstr (json_object_get_string_member (header, "app"), ==,
                   "Verdict " PACKAGE_VERSION);

  for (guint i = 0; i < G_N_ELEMENTS (expected_records); i++)
    g_assert_cmpstr (lines[i + 1], ==, expected_records[i]);
}

static void
test_file (Fixture       *fixture,
           gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "train.jsonl", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *expected_payload = NULL;
  g_autoptr(GDir) dir = NULL;
  VdTrainingCounts counts = { 0, };
  VdAuditEvent *event;
  const char *name;

  g_assert_true (g_file_set_contents (path, "old", -1, NULL));
  g_assert_true (vd_training_export_file (fixture->store, NULL, file, &counts, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counts.supervised, ==, 4);
  g_assert_cmpuint (counts.preference, ==, 2);

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  assert_export (contents);

  /* No temporary file left behind. */
  dir = g_dir_open (fixture->dir, 0, NULL);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_assert_false (g_str_has_suffix (name, ".part"));

  /* Audited. */
  events = vd_store_list_audit (fixture->store, 0, 0, &error);
  g_assert_no_error (error);
  event = g_ptr_array_index (events, events->len - 1);
  g_assert_cmpstr (vd_audit_event_get_event_type (event), ==, VD_AUDIT_EXPORT);
  expected_payload = g_strdup_printf ("{\"kind\":\"training\",\"destination\":\"%s\","
                                      "\"records\":6,\"supervised\":4,\"preference\":2}", path);
  g_assert_cmpstr (vd_audit_event_get_payload_json (event), ==, expected_payload);
}

static void
test_stream (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GOutputStream) stream = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;

  g_assert_true (vd_training_export_write (fixture->store, "q", stream, "-", NULL, NULL,
                                           &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_close (stream, NULL, NULL));
  contents = g_strndup (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (stream)),
                        g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (stream)));
  assert_export (contents);
}

static void
test_failure (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "missing", "train.jsonl", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *kept = g_build_filename (fixture->dir, "kept.jsonl", NULL);
  g_autoptr(GFile) kept_file = g_file_new_for_path (kept);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gint64 head = 0;
  gint64 head_after = 0;

  g_assert_true (vd_store_get_audit_head (fixture->store, &head, NULL, &error));
  g_assert_false (vd_training_export_file (fixture->store, NULL, file, NULL, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_clear_error (&error);

  /* Cancelled: the destination keeps what it had. */
  g_assert_true (g_file_set_contents (kept, "old", -1, NULL));
  g_cancellable_cancel (cancellable);
  g_assert_false (vd_training_export_file (fixture->store, NULL, kept_file, NULL, cancellable,
                                           &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_true (g_file_get_contents (kept, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "old");

  /* Nothing audited for a failed export. */
  g_assert_true (vd_store_get_audit_head (fixture->store, &head_after, NULL, NULL));
  g_assert_cmpint (head_after, ==, head);
}

static void
test_async (Fixture       *fixture,
            gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "async.jsonl", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  VdTrainingCounts counts = { 0, };
  GAsyncResult *result = NULL;

  vd_training_export_file_async (fixture->store, NULL, file, NULL, vd_test_got_result, &result);
  g_assert_true (vd_test_iterate_until (vd_test_has_result, &result, 10000));
  g_assert_true (vd_training_export_file_finish (fixture->store, result, &counts, &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  g_assert_cmpuint (counts.supervised + counts.preference, ==, 6);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  assert_export (contents);
}

#define add_fixture_test(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  add_fixture_test ("/training-export/file", test_file);
  add_fixture_test ("/training-export/stream", test_stream);
  add_fixture_test ("/training-export/failure", test_failure);
  add_fixture_test ("/training-export/async", test_async);

  return g_test_run ();
}
