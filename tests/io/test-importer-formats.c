/* test-importer-formats.c
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

/* Importing other tools' files: detection, the queue, the policy (never an
 * automatic approval without a confidence), all or nothing, re-imports. */

#include "config.h"

#include <string.h>

#include "vd-core.h"
#include "vd-format.h"
#include "vd-import-preview.h"
#include "vd-test-util.h"

typedef VdTestStore Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  vd_test_store_set_up (fixture, "importer-formats");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  vd_test_store_tear_down (fixture);
}

static char *
data_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "formats", "data", name, NULL);
}

static gboolean
import_path (VdStore         *store,
             const char      *path,
             const char      *format,
             const char      *queue,
             gboolean         skip_invalid,
             VdImportResult  *result,
             GError         **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(VdPolicy) policy = vd_policy_new ();
  g_autoptr(VdImporter) importer = vd_importer_new (store, policy);

  /* Approves anything at 0.5 or more. */
  vd_policy_set_confidence_threshold (policy, 0.5);
  vd_importer_set_format (importer, format);
  vd_importer_set_queue (importer, queue);
  vd_importer_set_skip_invalid (importer, skip_invalid);

  return vd_importer_import (importer, &file, 1, result, NULL, NULL, NULL, error);
}

static void
test_detect_and_import (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *source = data_path ("prodigy-tasks.jsonl");
  g_autofree char *contents = NULL;
  g_autofree char *path = NULL;
  g_autoptr(VdItem) item = NULL;
  g_autoptr(GError) error = NULL;
  VdImportResult result = { 0 };

  g_assert_true (g_file_get_contents (source, &contents, NULL, NULL));
  path = vd_test_write_file (fixture->dir, "news-tasks.jsonl", contents);

  g_assert_true (import_path (fixture->store, path, NULL, NULL, FALSE, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.imported, ==, 5);
  /* 0.87 and 0.64 meet the threshold; the rest have no confidence. */
  g_assert_cmpuint (result.auto_approved, ==, 2);
  g_assert_cmpuint (result.queued, ==, 3);

  /* The queue is the file's base name; the source is kept. */
  item = vd_store_get_item (fixture->store, "news-tasks", "pg:1125418361", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (vd_item_get_source_format (item), ==, "prodigy");
  g_assert_false (vd_item_has_confidence (item));
  g_assert_cmpint (vd_item_get_status (item), ==, VD_TASK_STATUS_PENDING);
  g_assert_cmpint (vd_item_get_escalation_reason (item), ==,
                   VD_ESCALATION_REASON_POLICY_REQUIRED);
  g_clear_object (&item);

  /* meta.score 3.5 is no confidence: escalated, never approved. */
  item = vd_store_get_item (fixture->store, "news-tasks", "pg:92", &error);
  g_assert_no_error (error);
  g_assert_false (vd_item_has_confidence (item));
  g_assert_cmpint (vd_item_get_status (item), ==, VD_TASK_STATUS_PENDING);
  g_clear_object (&item);

  /* The same file again: the same ids, nothing new. */
  memset (&result, 0, sizeof result);
  g_assert_true (import_path (fixture->store, path, "prodigy", NULL, FALSE, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.imported, ==, 0);
  g_assert_cmpuint (result.skipped, ==, 5);
}

static void
test_policy_without_confidence (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autoptr(VdItem) item = NULL;
  g_autoptr(GError) error = NULL;
  VdImportResult result = { 0 };
  VdItem *copy;

  /* A record with no reason of its own and no confidence: the policy
   * escalates it for its confidence. */
  path = vd_test_write_file (fixture->dir, "plain.jsonl",
                             "{\"text\": \"hi\", \"label\": \"GREETING\", "
                             "\"_task_hash\": 5}\n");
  {
    g_autoptr(GPtrArray) items = NULL;
    g_autoptr(GBytes) bytes = g_bytes_new_static ("{\"text\": \"hi\", \"label\": \"X\"}", 28);
    VdFormatReadOptions options = { .filename = "x", .queue = "q" };

    items = vd_format_lookup ("prodigy")->read (bytes, &options, NULL, &error);
    g_assert_no_error (error);
    copy = g_ptr_array_index (items, 0);
    vd_item_set_escalation_reason (copy, VD_ESCALATION_REASON_NONE);
    {
      g_autoptr(VdPolicy) policy = vd_policy_new ();
      g_autoptr(VdPolicyResult) outcome = NULL;

      vd_policy_set_confidence_threshold (policy, 0.0);
      outcome = vd_policy_check_item (policy, copy);
      g_assert_true (outcome->escalate);
      g_assert_cmpint (outcome->reason, ==, VD_ESCALATION_REASON_LOW_CONFIDENCE);
      g_assert_cmpstr (outcome->explanation, ==, "no confidence given");
    }
  }

  g_assert_true (import_path (fixture->store, path, "prodigy", "greetings", FALSE, &result,
                              &error));
  g_assert_no_error (error);
  item = vd_store_get_item (fixture->store, "greetings", "pg:5", &error);
  g_assert_no_error (error);
  g_assert_cmpint (vd_item_get_status (item), ==, VD_TASK_STATUS_PENDING);
}

static void
test_all_or_nothing (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = NULL;
  VdImportResult result = { 0 };

  path = vd_test_write_file (fixture->dir, "bad.jsonl",
                             "{\"text\": \"a\", \"label\": \"X\", \"_task_hash\": 1}\n"
                             "{\"text\": [], \"label\": \"X\", \"_task_hash\": 2}\n");

  g_assert_false (import_path (fixture->store, path, NULL, NULL, FALSE, &result, &error));
  g_assert_error (error, VD_FORMAT_ERROR, VD_FORMAT_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==,
                   "bad.jsonl: line 2 (id 2): text: expected a string, found an array");
  g_clear_error (&error);
  g_assert_null (vd_store_get_item (fixture->store, "bad", "pg:1", &error));
  g_clear_error (&error);

  /* With skip-invalid, the good record goes in and the bad one is told. */
  memset (&result, 0, sizeof result);
  g_assert_true (import_path (fixture->store, path, NULL, NULL, TRUE, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.imported, ==, 1);
  g_assert_cmpuint (result.invalid, ==, 1);

  /* An unknown format name is refused before anything is read. */
  g_assert_false (import_path (fixture->store, path, "nope", NULL, FALSE, &result, &error));
  g_assert_error (error, VD_FORMAT_ERROR, VD_FORMAT_ERROR_UNKNOWN_FORMAT);
  g_assert_nonnull (strstr (error->message, "prodigy"));
  g_clear_error (&error);

  /* Verdict's own queues still import through their reader. */
  vd_test_import_text (fixture->store, fixture->dir, "own.jsonl",
                       "{\"verdict_queue\": 1, \"queue\": \"own\"}\n"
                       "{\"task_id\": \"t\", \"task_description\": \"Check\", "
                       "\"agent_output\": {\"content\": \"x\", \"confidence\": 0.1}}\n",
                       NULL, &result);
  g_assert_cmpuint (result.imported, ==, 1);
}

static void
test_preview (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *path = data_path ("prodigy-tasks.jsonl");
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(VdPolicy) policy = vd_policy_new ();
  g_autoptr(VdImportPreview) preview = NULL;
  g_autoptr(GError) error = NULL;

  vd_policy_set_confidence_threshold (policy, 0.5);
  preview = vd_import_preview_compute (&file, 1, policy, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (vd_import_preview_get_n_items (preview), ==, 5);
  g_assert_cmpuint (vd_import_preview_get_n_approved (preview), ==, 2);
  g_assert_cmpuint (vd_import_preview_get_n_review (preview), ==, 3);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/importer-formats/detect-and-import", Fixture, NULL, fixture_set_up,
              test_detect_and_import, fixture_tear_down);
  g_test_add ("/importer-formats/policy-without-confidence", Fixture, NULL, fixture_set_up,
              test_policy_without_confidence, fixture_tear_down);
  g_test_add ("/importer-formats/all-or-nothing", Fixture, NULL, fixture_set_up,
              test_all_or_nothing, fixture_tear_down);

  g_test_add ("/importer-formats/preview", Fixture, NULL, fixture_set_up,
              test_preview, fixture_tear_down);

  return g_test_run ();
}
