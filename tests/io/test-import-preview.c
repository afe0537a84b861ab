/* test-import-preview.c: what an import would do under a policy
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
#include "vd-import-preview.h"
#include "vd-test-util.h"

typedef VdTestStore Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  vd_test_store_set_up (fixture, "import-preview");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  vd_test_store_tear_down (fixture);
}

static GFile *
sample_file (const char *name)
{
  g_autofree char *path = g_build_filename (g_getenv ("VERDICT_SAMPLES"), name, NULL);

  return g_file_new_for_path (path);
}

static char *
sample_path (const char *name)
{
  return g_build_filename (g_getenv ("VERDICT_SAMPLES"), name, NULL);
}

/* The preview's counts are what the importer then does. */
static void
test_preview_counts (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GFile) file = sample_file ("review-queue.jsonl");
  g_autofree char *policy_path = sample_path ("policy.json");
  g_autoptr(VdPolicy) review_all = vd_policy_new_review_all ();
  g_autoptr(VdImportPreview) none = NULL;
  g_autoptr(VdImportPreview) sample = NULL;
  g_autoptr(VdImporter) importer = NULL;
  g_autoptr(GError) error = NULL;
  VdImportResult result = { 0 };

  none = vd_import_preview_compute (&file, 1, review_all, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (vd_import_preview_get_n_items (none), ==, 55);
  g_assert_cmpuint (vd_import_preview_get_n_approved (none), ==, 0);
  g_assert_cmpuint (vd_import_preview_get_n_review (none), ==, 55);
  g_assert_cmpuint (vd_import_preview_get_problems (none)->len, ==, 0);
  g_assert_true (vd_import_preview_get_policy (none) == review_all);

  /* Neither a policy nor a file: nothing is approved either. */
  {
    g_autoptr(VdImportPreview) nothing = vd_import_preview_compute (&file, 1, NULL, NULL,
                                                                    NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (vd_import_preview_get_n_approved (nothing), ==, 0);
    g_assert_null (vd_import_preview_get_policy (nothing));
  }

  sample = vd_import_preview_compute (&file, 1, NULL, policy_path, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (vd_import_preview_get_policy (sample));
  g_assert_null (vd_import_preview_get_policy_error (sample));
  g_assert_cmpuint (vd_import_preview_get_n_items (sample), ==, 55);
  g_assert_cmpuint (vd_import_preview_get_n_approved (sample), ==, 12);
  g_assert_cmpuint (vd_import_preview_get_n_review (sample), ==, 43);

  importer = vd_importer_new (fixture->store, vd_import_preview_get_policy (sample));
  vd_importer_import (importer, &file, 1, &result, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result.imported, ==, 55);
  g_assert_cmpuint (result.auto_approved, ==, 12);
}

/* A file of several batches is counted whole, bad lines included. */
static void
test_preview_large (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(VdPolicy) rules = vd_policy_new ();
  g_autoptr(VdImportPreview) preview = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;

  for (guint i = 0; i < 2500; i++)
    {
      if (i == 1000 || i == 2499)
        g_string_append (text, "{\"task_id\": 1}\n");
      else
        g_string_append_printf (text,
                                "{\"task_id\": \"t%u\", \"task_description\": \"Task\", "
                                "\"agent_output\": {\"content\": \"ok\", "
                                "\"confidence\": %s}}\n",
                                i, i % 2 == 0 ? "0.95" : "0.2");
    }
  path = vd_test_write_file (fixture->dir, "large.jsonl", text->str);
  file = g_file_new_for_path (path);

  preview = vd_import_preview_compute (&file, 1, rules, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (vd_import_preview_get_n_items (preview), ==, 2498);
  /* Even lines are confident; line 1001 (i 1000) was one of them. */
  g_assert_cmpuint (vd_import_preview_get_n_approved (preview), ==, 1249);
  g_assert_cmpuint (vd_import_preview_get_problems (preview)->len, ==, 2);
}

static const char mixed_queue[] =
  "{\"task_id\": \"good\", \"task_description\": \"Fine\", "
  "\"agent_output\": {\"content\": \"ok\", \"confidence\": 0.95}}\n"
  "{\"task_id\": \"bad\", \"task_description\": \"Broken\", "
  "\"agent_output\": {\"content\": \"ok\", \"confidence\": \"high\"}}\n"
  "{\"task_id\": \"low\", \"task_description\": \"Unsure\", "
  "\"agent_output\": {\"content\": \"ok\", \"confidence\": 0.2}}\n"
  "{\"task_id\": \"flagged\", \"task_description\": \"Flagged\", "
  "\"agent_output\": {\"content\": \"ok\", \"confidence\": 0.99}, "
  "\"escalation_reason\": \"policy_required\"}\n";

/* Lines that cannot be read are problems; a policy file that cannot be
 * read approves nothing and says why; a file that cannot be read at all
 * fails the preview. */
static void
test_preview_errors (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *path = vd_test_write_file (fixture->dir, "mixed.jsonl", mixed_queue);
  g_autofree char *bad_policy = vd_test_write_file (fixture->dir, "policy.json",
                                                    "{\"confidence_threshold\": \"high\"}");
  g_autofree char *missing_path = g_build_filename (fixture->dir, "missing.jsonl", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) missing = g_file_new_for_path (missing_path);
  g_autoptr(VdPolicy) policy = vd_policy_new ();
  g_autoptr(VdImportPreview) preview = NULL;
  g_autoptr(VdImportPreview) broken = NULL;
  g_autoptr(VdImportPreview) none = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *problems;

  /* 0.95 passes 0.70; 0.2 does not; "flagged" carries its own reason. */
  preview = vd_import_preview_compute (&file, 1, policy, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (vd_import_preview_get_n_items (preview), ==, 3);
  g_assert_cmpuint (vd_import_preview_get_n_approved (preview), ==, 1);
  g_assert_cmpuint (vd_import_preview_get_n_review (preview), ==, 2);
  problems = vd_import_preview_get_problems (preview);
  g_assert_cmpuint (problems->len, ==, 1);
  g_assert_true (g_str_has_prefix (g_ptr_array_index (problems, 0), "mixed.jsonl:2 (task bad): "));

  broken = vd_import_preview_compute (&file, 1, NULL, bad_policy, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (vd_import_preview_get_policy (broken));
  g_assert_nonnull (vd_import_preview_get_policy_error (broken));
  g_assert_nonnull (strstr (vd_import_preview_get_policy_error (broken)->message, "policy.json"));
  g_assert_cmpuint (vd_import_preview_get_n_items (broken), ==, 3);
  g_assert_cmpuint (vd_import_preview_get_n_approved (broken), ==, 0);

  none = vd_import_preview_compute ((GFile *[]) { file, missing }, 2, policy, NULL, NULL, &error);
  g_assert_nonnull (error);
  g_assert_null (none);
}

static void
preview_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GError **error = user_data;
  g_autoptr(VdImportPreview) preview = vd_import_preview_compute_finish (result, error);

  g_assert_true (preview == NULL);
  g_assert_nonnull (*error);
}

static gboolean
error_set (gpointer user_data)
{
  return *(GError **) user_data != NULL;
}

/* Cancelled, the preview says so, at once or on its worker thread. */
static void
test_preview_cancel (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GString) big = g_string_new (NULL);
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFile) sample = sample_file ("review-queue.jsonl");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(VdPolicy) policy = vd_policy_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) async_error = NULL;

  g_cancellable_cancel (cancellable);
  g_assert_null (vd_import_preview_compute (&sample, 1, policy, NULL, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  for (guint i = 0; i < 20000; i++)
    g_string_append_printf (big,
                            "{\"task_id\": \"t-%06u\", \"task_description\": \"Item %u\", "
                            "\"agent_output\": {\"content\": \"Output %u\", "
                            "\"confidence\": 0.%03u}}\n",
                            i, i, i, (i * 7) % 1000);
  path = vd_test_write_file (fixture->dir, "big.jsonl", big->str);
  file = g_file_new_for_path (path);

  g_clear_object (&cancellable);
  cancellable = g_cancellable_new ();
  vd_import_preview_compute_async (&file, 1, policy, NULL, cancellable,
                                   preview_done_cb, &async_error);
  g_cancellable_cancel (cancellable);
  g_assert_true (vd_test_iterate_until (error_set, &async_error, 60000));
  g_assert_error (async_error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/import-preview/large", Fixture, NULL,
              fixture_set_up, test_preview_large, fixture_tear_down);
  g_test_add ("/import-preview/counts", Fixture, NULL,
              fixture_set_up, test_preview_counts, fixture_tear_down);
  g_test_add ("/import-preview/errors", Fixture, NULL,
              fixture_set_up, test_preview_errors, fixture_tear_down);
  g_test_add ("/import-preview/cancel", Fixture, NULL,
              fixture_set_up, test_preview_cancel, fixture_tear_down);

  return g_test_run ();
}
