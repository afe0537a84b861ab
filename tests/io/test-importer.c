/* test-importer.c
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

#define G_LOG_DOMAIN "test-importer"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "vd-core.h"
#include "vd-test-util.h"

typedef struct
{
  char          *dir;
  VdStore       *store;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  fixture->dir = vd_test_make_tmp_dir ("importer");
  path = g_build_filename (fixture->dir, "verdict.db", NULL);
  fixture->store = vd_test_open_store (path);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_assert_finalize_object (fixture->store);
  vd_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
}

static GFile *
write_file (Fixture    *fixture,
            const char *name,
            const char *text,
            gssize      length)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (fixture->dir, name, NULL);

  g_file_set_contents (path, text, length, &error);
  g_assert_no_error (error);

  return g_file_new_for_path (path);
}

static guint64
count_items (Fixture *fixture)
{
  VdItemQuery query = VD_ITEM_QUERY_INIT;
  g_autoptr(GError) error = NULL;
  guint64 count = G_MAXUINT64;

  g_assert_true (vd_store_count_items (fixture->store, &query, &count, &error));
  g_assert_no_error (error);
  return count;
}

static gint64
audit_head (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = NULL;
  gint64 seq = -1;

  g_assert_true (vd_store_get_audit_head (fixture->store, &seq, &hash, &error));
  g_assert_no_error (error);
  return seq;
}

static VdItem *
get_item (Fixture    *fixture,
          const char *queue,
          const char *task_id)
{
  g_autoptr(GError) error = NULL;
  VdItem *item = vd_store_get_item (fixture->store, queue, task_id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (item);
  return item;
}

/* The events of one type about one task, in order. */
static GPtrArray *
audit_events (Fixture    *fixture,
              const char *event_type,
              const char *task_id)
{
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *found = g_ptr_array_new_with_free_func (g_object_unref);

  all = vd_store_list_audit (fixture->store, 1, 0, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < all->len; i++)
    {
      VdAuditEvent *event = g_ptr_array_index (all, i);

      if (g_str_equal (vd_audit_event_get_event_type (event), event_type) &&
          (task_id == NULL || g_strcmp0 (vd_audit_event_get_task_id (event), task_id) == 0))
        g_ptr_array_add (found, g_object_ref (event));
    }

  return found;
}

static VdPolicy *
demo_policy (void)
{
  g_autoptr(GError) error = NULL;
  VdPolicy *policy;

  policy = vd_policy_new_from_data ("{\"confidence_threshold\": 0.7, "
                                    "\"sensitive_keywords\": [\"delete\", \"personal\"], "
                                    "\"high_risk_actions\": [\"deploy\"], "
                                    "\"always_review_types\": [\"medical\"], "
                                    "\"rules\": [{\"name\": \"large payment\", \"path\": "
                                    "\"amount\", \"op\": \">\", \"value\": 10000, "
                                    "\"reason\": \"high_risk_action\"}]}",
                                    -1, "policy.json", &error);
  g_assert_no_error (error);
  return policy;
}

#define ITEM(id, content, confidence, extra) \
  "{\"task_id\": \"" id "\", \"task_description\": \"Task " id "\", " extra \
  "\"agent_output\": {\"content\": \"" content "\", \"confidence\": " confidence "}}\n"

static const char sample_queue[] =
  "{\"verdict_queue\": 1, \"queue\": \"ops\", \"source\": \"test\"}\n"
  ITEM ("t1", "All good", "0.95", "")
  ITEM ("t2", "Unsure", "0.4", "")
  ITEM ("t3", "Please delete the account", "0.9", "")
  ITEM ("t4", "We will deploy tonight", "0.9", "")
  ITEM ("t5", "Take two tablets", "0.99", "\"task_type\": \"medical\", ")
  ITEM ("t6", "Fine", "0.99", "\"escalation_reason\": \"user_requested\", ")
  ITEM ("t7", "Fine", "0.99", "\"escalation_reason\": \"ambiguous_input\", "
        "\"escalation_detail\": \"two readings\", \"status\": \"escalated\", ")
  "{\"task_id\": \"t8\", \"task_description\": \"Pay\", \"agent_output\": {\"content\": "
  "\"Pay it\", \"confidence\": 0.9, \"metadata\": {\"amount\": 12000}}}\n"
  ITEM ("t9", "Also fine", "0.7", "");

static void
check_item (Fixture            *fixture,
            const char         *task_id,
            VdTaskStatus        status,
            VdEscalationReason  reason,
            const char         *detail)
{
  g_autoptr(VdItem) item = get_item (fixture, "ops", task_id);

  g_assert_cmpint (vd_item_get_status (item), ==, status);
  g_assert_cmpint (vd_item_get_escalation_reason (item), ==, reason);
  g_assert_cmpstr (vd_item_get_escalation_detail (item), ==, detail);
}

static void
test_policy_applied (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(VdPolicy) policy = demo_policy ();
  g_autoptr(VdImporter) importer = vd_importer_new (fixture->store, policy);
  g_autoptr(GFile) file = write_file (fixture, "ops.jsonl", sample_queue, -1);
  g_autoptr(GPtrArray) decisions = NULL;
  g_autoptr(GPtrArray) approvals = NULL;
  g_autoptr(GPtrArray) imports = NULL;
  g_autoptr(GError) error = NULL;
  VdImportResult result = { 99, 99, 99, 99, 99, 99, VD_IMPORT_POLICY_NONE, NULL, NULL, 99 };
  VdDecision *decision;

  g_assert_true (vd_importer_get_store (importer) == fixture->store);
  g_assert_true (vd_importer_get_policy (importer) == policy);

  g_assert_true (vd_importer_import (importer, &file, 1, &result, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (result.policy_kind, ==, VD_IMPORT_POLICY_CHOSEN);
  g_assert_cmpuint (result.review_all, ==, 0);
  g_assert_cmpuint (result.imported, ==, 9);
  g_assert_cmpuint (result.revised, ==, 0);
  g_assert_cmpuint (result.skipped, ==, 0);
  g_assert_cmpuint (result.queued, ==, 7);
  g_assert_cmpuint (result.auto_approved, ==, 2);
  g_assert_cmpuint (result.invalid, ==, 0);
  g_assert_cmpuint (vd_importer_get_problems (importer)->len, ==, 0);
  g_assert_cmpuint (count_items (fixture), ==, 9);

  check_item (fixture, "t1", VD_TASK_STATUS_APPROVED, VD_ESCALATION_REASON_NONE,
              "confidence 0.95 meets the threshold 0.70 and no other check fired");
  check_item (fixture, "t2", VD_TASK_STATUS_PENDING, VD_ESCALATION_REASON_LOW_CONFIDENCE,
              "confidence 0.40 is below the threshold 0.70");
  check_item (fixture, "t3", VD_TASK_STATUS_PENDING, VD_ESCALATION_REASON_SENSITIVE_CONTENT,
              "the output mentions the sensitive keyword “delete”");
  check_item (fixture, "t4", VD_TASK_STATUS_PENDING, VD_ESCALATION_REASON_HIGH_RISK_ACTION,
              "the output mentions the high-risk action “deploy”");
  check_item (fixture, "t5", VD_TASK_STATUS_PENDING, VD_ESCALATION_REASON_POLICY_REQUIRED,
              "task type “medical” always needs review");
  check_item (fixture, "t6", VD_TASK_STATUS_PENDING, VD_ESCALATION_REASON_USER_REQUESTED,
              "reason given by the queue file");
  check_item (fixture, "t7", VD_TASK_STATUS_ESCALATED, VD_ESCALATION_REASON_AMBIGUOUS_INPUT,
              "two readings");
  check_item (fixture, "t8", VD_TASK_STATUS_PENDING, VD_ESCALATION_REASON_HIGH_RISK_ACTION,
              "rule “large payment”: amount 12000 > 10000");
  check_item (fixture, "t9", VD_TASK_STATUS_APPROVED, VD_ESCALATION_REASON_NONE,
              "confidence 0.70 meets the threshold 0.70 and no other check fired");

  /* Auto-approvals are decisions by the policy, each audited. */
  decisions = vd_store_list_decisions (fixture->store, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (decisions->len, ==, 2);
  decision = g_ptr_array_index (decisions, 0);
  g_assert_cmpstr (vd_decision_get_task_id (decision), ==, "t1");
  g_assert_cmpint (vd_decision_get_kind (decision), ==, VD_DECISION_KIND_APPROVE);
  g_assert_true (vd_decision_get_automatic (decision));
  g_assert_cmpstr (vd_decision_get_reviewer_id (decision), ==, VD_AUDIT_ACTOR_POLICY);
  g_assert_cmpstr (vd_decision_get_task_id (g_ptr_array_index (decisions, 1)), ==, "t9");

  approvals = audit_events (fixture, VD_AUDIT_AUTO_APPROVE, "t1");
  g_assert_cmpuint (approvals->len, ==, 1);
  g_assert_cmpstr (vd_audit_event_get_actor (g_ptr_array_index (approvals, 0)), ==,
                   VD_AUDIT_ACTOR_POLICY);
  g_assert_cmpint (vd_audit_event_get_seq (g_ptr_array_index (approvals, 0)), ==,
                   vd_decision_get_audit_seq (decision));
  g_clear_pointer (&approvals, g_ptr_array_unref);
  approvals = audit_events (fixture, VD_AUDIT_AUTO_APPROVE, NULL);
  g_assert_cmpuint (approvals->len, ==, 2);

  /* The import itself is audited with the file's name as its source. */
  imports = audit_events (fixture, VD_AUDIT_IMPORT, NULL);
  g_assert_cmpuint (imports->len, ==, 1);
  {
    g_autoptr(JsonObject) payload = vd_audit_event_dup_payload (g_ptr_array_index (imports, 0));

    g_assert_cmpstr (json_object_get_string_member (payload, "source"), ==, "ops.jsonl");
  }
}

static void
test_default_policy (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(VdPolicy) rules = vd_policy_new ();
  g_autoptr(VdImporter) importer = vd_importer_new (fixture->store, rules);
  g_autoptr(GFile) file = write_file (fixture, "plain.jsonl",
                                      ITEM ("a", "Please delete it", "0.7", "")
                                      ITEM ("b", "x", "0.69", ""), -1);
  g_autoptr(GError) error = NULL;
  VdImportResult result;

  g_assert_true (VD_IS_POLICY (vd_importer_get_policy (importer)));
  g_assert_cmpfloat (vd_policy_get_confidence_threshold (vd_importer_get_policy (importer)),
                     ==, 0.7);

  /* The queue is the file's name; the built-in rules have no keywords.
   * A policy without a file has no source. */
  g_assert_true (vd_importer_import (importer, &file, 1, &result, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (result.policy_kind, ==, VD_IMPORT_POLICY_CHOSEN);
  g_assert_cmpstr (result.policy_source, ==, "");
  g_assert_cmpuint (result.imported, ==, 2);
  g_assert_cmpuint (result.auto_approved, ==, 1);
  g_assert_cmpuint (result.queued, ==, 1);
  {
    g_autoptr(VdItem) a = get_item (fixture, "plain", "a");
    g_autoptr(VdItem) b = get_item (fixture, "plain", "b");

    g_assert_cmpint (vd_item_get_status (a), ==, VD_TASK_STATUS_APPROVED);
    g_assert_cmpint (vd_item_get_escalation_reason (b), ==,
                     VD_ESCALATION_REASON_LOW_CONFIDENCE);
  }
}

static void
assert_queue_policy (Fixture    *fixture,
                     const char *queue,
                     const char *expected_source)
{
  g_autofree char *json = NULL;
  g_autofree char *source = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (vd_store_get_queue_policy (fixture->store, queue, &json, &source, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (source, ==, expected_source);
  if (expected_source == NULL)
    g_assert_null (json);
  else
    g_assert_nonnull (json);
}

/* No policy chosen and none remembered: nothing is approved
 * automatically, each item keeps its most specific reason, and nothing is
 * remembered. */
static void
test_no_policy (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(VdImporter) importer = vd_importer_new (fixture->store, NULL);
  g_autoptr(GFile) file = write_file (fixture, "ops.jsonl", sample_queue, -1);
  g_autoptr(GPtrArray) decisions = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *last = NULL;
  VdImportResult result = { 0, };

  g_assert_null (vd_importer_get_policy (importer));
  g_assert_true (vd_importer_import (importer, &file, 1, &result, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.imported, ==, 9);
  g_assert_cmpuint (result.auto_approved, ==, 0);
  g_assert_cmpuint (result.queued, ==, 9);
  g_assert_cmpint (result.policy_kind, ==, VD_IMPORT_POLICY_NONE);
  g_assert_null (result.policy_source);
  g_assert_null (result.policy_queue);
  /* t6 and t7 came with a reason of their own. */
  g_assert_cmpuint (result.review_all, ==, 7);

  check_item (fixture, "t1", VD_TASK_STATUS_PENDING, VD_ESCALATION_REASON_POLICY_REQUIRED,
              "no policy allowing automatic approval was chosen, so every item is reviewed");
  check_item (fixture, "t2", VD_TASK_STATUS_PENDING, VD_ESCALATION_REASON_LOW_CONFIDENCE,
              "confidence 0.40 is below the threshold 0.70");
  check_item (fixture, "t9", VD_TASK_STATUS_PENDING, VD_ESCALATION_REASON_POLICY_REQUIRED,
              "no policy allowing automatic approval was chosen, so every item is reviewed");
  decisions = vd_store_list_decisions (fixture->store, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (decisions->len, ==, 0);

  assert_queue_policy (fixture, "ops", NULL);
  g_assert_true (vd_store_get_last_policy (fixture->store, &last, &error));
  g_assert_no_error (error);
  g_assert_null (last);
}

/* A chosen policy is remembered for the queues of the file; a later
 * import without one applies it to those queues only. */
static void
test_remembered_policy (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(VdPolicy) policy = demo_policy ();
  g_autoptr(VdImporter) chosen = NULL;
  g_autoptr(VdImporter) none = NULL;
  g_autoptr(GFile) first = write_file (fixture, "first.jsonl",
                                       "{\"verdict_queue\": 1, \"queue\": \"ops\"}\n"
                                       ITEM ("a1", "All good", "0.95", ""), -1);
  g_autoptr(GFile) later = write_file (fixture, "later.jsonl",
                                       ITEM ("b1", "All good", "0.95", "\"queue\": \"ops\", ")
                                       ITEM ("b2", "We will deploy tonight", "0.95",
                                             "\"queue\": \"ops\", ")
                                       ITEM ("b3", "All good", "0.95", "\"queue\": \"new\", "),
                                       -1);
  g_autoptr(GError) error = NULL;
  g_autofree char *last = NULL;
  VdImportResult result = { 0, };

  vd_policy_set_source (policy, "policies/demo.json");
  g_assert_cmpstr (vd_policy_get_source (policy), ==, "policies/demo.json");
  chosen = vd_importer_new (fixture->store, policy);
  g_assert_true (vd_importer_import (chosen, &first, 1, &result, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.auto_approved, ==, 1);
  g_assert_cmpint (result.policy_kind, ==, VD_IMPORT_POLICY_CHOSEN);
  g_assert_cmpstr (result.policy_source, ==, "policies/demo.json");
  assert_queue_policy (fixture, "ops", "policies/demo.json");

  /* The source label is not part of the policy's JSON. */
  g_assert_true (vd_store_get_last_policy (fixture->store, &last, &error));
  g_assert_no_error (error);
  g_assert_null (strstr (last, "demo.json"));
  g_clear_pointer (&last, g_free);

  none = vd_importer_new (fixture->store, NULL);
  memset (&result, 0, sizeof result);
  g_assert_true (vd_importer_import (none, &later, 1, &result, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.imported, ==, 3);
  g_assert_cmpuint (result.auto_approved, ==, 1);
  g_assert_cmpint (result.policy_kind, ==, VD_IMPORT_POLICY_REMEMBERED);
  g_assert_cmpstr (result.policy_queue, ==, "ops");
  g_assert_cmpstr (result.policy_source, ==, "policies/demo.json");
  g_assert_cmpuint (result.review_all, ==, 1);
  {
    g_autoptr(VdItem) b1 = get_item (fixture, "ops", "b1");
    g_autoptr(VdItem) b2 = get_item (fixture, "ops", "b2");
    g_autoptr(VdItem) b3 = get_item (fixture, "new", "b3");

    g_assert_cmpint (vd_item_get_status (b1), ==, VD_TASK_STATUS_APPROVED);
    g_assert_cmpint (vd_item_get_escalation_reason (b2), ==,
                     VD_ESCALATION_REASON_HIGH_RISK_ACTION);
    g_assert_cmpint (vd_item_get_status (b3), ==, VD_TASK_STATUS_PENDING);
    g_assert_cmpint (vd_item_get_escalation_reason (b3), ==,
                     VD_ESCALATION_REASON_POLICY_REQUIRED);
  }
  assert_queue_policy (fixture, "new", NULL);
}

static void
test_atomic (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(VdPolicy) rules = vd_policy_new ();
  g_autoptr(VdImporter) importer = vd_importer_new (fixture->store, rules);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GFile) bad = NULL;
  g_autoptr(GError) error = NULL;
  VdImportResult result = { 0, };

  for (guint i = 0; i < 500; i++)
    g_string_append_printf (text, "{\"task_id\": \"t%u\", \"task_description\": \"d\", "
                            "\"agent_output\": {\"content\": \"c\", \"confidence\": 0.9}}\n", i);
  g_string_append (text, "{\"task_id\": \"last\", \"task_description\": \"d\", "
                   "\"agent_output\": {\"content\": \"c\", \"confidence\": \"high\"}}\n");
  bad = write_file (fixture, "q.jsonl", text->str, text->len);

  g_assert_false (vd_importer_import (importer, &bad, 1, &result, NULL, NULL, NULL, &error));
  g_assert_error (error, VD_QUEUE_ERROR, VD_QUEUE_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==,
                   "q.jsonl:501 (task last): agent_output.confidence must be a number from 0 to 1, "
                   "found \"high\"");
  g_assert_cmpuint (count_items (fixture), ==, 0);
  /* The new store's signing_started event only. */
  g_assert_cmpint (audit_head (fixture), ==, 1);
}

static void
test_atomic_files (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(VdPolicy) rules = vd_policy_new ();
  g_autoptr(VdImporter) importer = vd_importer_new (fixture->store, rules);
  g_autoptr(GError) error = NULL;
  GFile *files[3];
  VdImportResult result = { 0, };

  files[0] = write_file (fixture, "one.jsonl",
                         ITEM ("a", "c", "0.9", "") ITEM ("b", "c", "0.1", ""), -1);
  files[1] = write_file (fixture, "two.jsonl",
                         ITEM ("a", "c", "0.9", "") ITEM ("a", "c", "0.1", ""), -1);
  files[2] = g_file_new_build_filename (fixture->dir, "missing.jsonl", NULL);

  /* A missing file is found before anything is written. */
  g_assert_false (vd_importer_import (importer, (GFile *[]) { files[0], files[2] }, 2, &result,
                                      NULL, NULL, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_cmpuint (count_items (fixture), ==, 0);
  /* The new store's signing_started event only. */
  g_assert_cmpint (audit_head (fixture), ==, 1);
  g_clear_error (&error);

  /* Each file is one transaction: the bad second file leaves nothing of
   * itself, and the good first one stays imported. */
  g_assert_false (vd_importer_import (importer, files, 2, &result, NULL, NULL, NULL, &error));
  g_assert_error (error, VD_QUEUE_ERROR, VD_QUEUE_ERROR_DUPLICATE);
  g_assert_cmpstr (error->message, ==,
                   "two.jsonl:2: task_id: \"a\" appears twice (first on line 1)");
  g_assert_cmpuint (count_items (fixture), ==, 2);
  g_clear_error (&error);

  /* Two good files: one import event each, sums over both. */
  g_object_unref (files[1]);
  files[1] = write_file (fixture, "two.jsonl",
                         ITEM ("a", "c", "0.9", "") ITEM ("z", "c", "0.1", ""), -1);
  g_assert_true (vd_importer_import (importer, files, 2, &result, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.imported, ==, 2);
  g_assert_cmpuint (result.skipped, ==, 2);
  g_assert_cmpuint (result.auto_approved, ==, 1);
  g_assert_cmpuint (result.queued, ==, 1);
  g_assert_cmpuint (count_items (fixture), ==, 4);
  {
    g_autoptr(GPtrArray) imports = audit_events (fixture, VD_AUDIT_IMPORT, NULL);

    /* one.jsonl before, then both files. */
    g_assert_cmpuint (imports->len, ==, 3);
  }

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    g_object_unref (files[i]);
}

static void
test_skip_invalid (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(VdPolicy) rules = vd_policy_new ();
  g_autoptr(VdImporter) importer = vd_importer_new (fixture->store, rules);
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  VdImportResult result = { 0, };
  GPtrArray *problems;

  file = write_file (fixture, "mixed.jsonl",
                     ITEM ("a", "c", "0.9", "")
                     ITEM ("b", "c", "1.5", "")
                     "{oops\n"
                     ITEM ("a", "c", "0.2", "")
                     ITEM ("d", "c", "0.2", ""), -1);

  g_object_set (importer, "skip-invalid", TRUE, NULL);
  g_assert_true (vd_importer_import (importer, &file, 1, &result, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.imported, ==, 2);
  g_assert_cmpuint (result.invalid, ==, 3);
  g_assert_cmpuint (count_items (fixture), ==, 2);

  problems = vd_importer_get_problems (importer);
  g_assert_cmpuint (problems->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (problems, 0), ==,
                   "mixed.jsonl:2 (task b): agent_output.confidence must be a number from 0 to 1, "
                   "found 1.5");
  g_assert_true (g_str_has_prefix (g_ptr_array_index (problems, 1),
                                   "mixed.jsonl:3: not a JSON object: "));
  g_assert_cmpstr (g_ptr_array_index (problems, 2), ==,
                   "mixed.jsonl:4: task_id: \"a\" appears twice (first on line 1)");

  /* Without skip-invalid the same file imports nothing more and the
   * problems of the last import are gone. */
  vd_importer_set_skip_invalid (importer, FALSE);
  g_assert_false (vd_importer_import (importer, &file, 1, &result, NULL, NULL, NULL, &error));
  g_assert_error (error, VD_QUEUE_ERROR, VD_QUEUE_ERROR_INVALID);
  g_assert_cmpuint (vd_importer_get_problems (importer)->len, ==, 0);
}

static void
test_reimport (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(VdPolicy) policy = demo_policy ();
  g_autoptr(VdImporter) importer = vd_importer_new (fixture->store, policy);
  g_autoptr(GFile) file = write_file (fixture, "ops.jsonl", sample_queue, -1);
  g_autoptr(GFile) revised = NULL;
  g_autoptr(GPtrArray) revisions = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(VdItem) item = NULL;
  VdImportResult result = { 0, };
  gint64 head;

  g_assert_true (vd_importer_import (importer, &file, 1, &result, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  head = audit_head (fixture);

  /* The same file again: every item skipped, nothing changed but the
   * import event. */
  g_assert_true (vd_importer_import (importer, &file, 1, &result, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.imported, ==, 0);
  g_assert_cmpuint (result.revised, ==, 0);
  g_assert_cmpuint (result.skipped, ==, 9);
  g_assert_cmpuint (result.queued, ==, 0);
  g_assert_cmpuint (result.auto_approved, ==, 0);
  g_assert_cmpuint (count_items (fixture), ==, 9);
  g_assert_cmpint (audit_head (fixture), ==, head + 1);

  /* A newer revision of t2 updates it and keeps the old output. */
  revised = write_file (fixture, "ops2.jsonl",
                        "{\"verdict_queue\": 1, \"queue\": \"ops\"}\n"
                        ITEM ("t2", "Sure now", "0.5", "\"revision\": 1, ")
                        ITEM ("t3", "Please delete the account", "0.9", ""), -1);
  g_assert_true (vd_importer_import (importer, &revised, 1, &result, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.imported, ==, 0);
  g_assert_cmpuint (result.revised, ==, 1);
  g_assert_cmpuint (result.skipped, ==, 1);
  g_assert_cmpuint (result.queued, ==, 1);

  item = get_item (fixture, "ops", "t2");
  g_assert_cmpint (vd_item_get_revision (item), ==, 1);
  g_assert_cmpstr (vd_item_get_content (item), ==, "Sure now");
  g_assert_cmpint (vd_item_get_escalation_reason (item), ==,
                   VD_ESCALATION_REASON_LOW_CONFIDENCE);
  g_assert_cmpstr (vd_item_get_escalation_detail (item), ==,
                   "confidence 0.50 is below the threshold 0.70");
  revisions = vd_store_list_revisions (fixture->store, vd_item_get_id (item), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (revisions->len, ==, 1);
  g_assert_cmpint (vd_revision_get_revision (g_ptr_array_index (revisions, 0)), ==, 0);
  g_assert_cmpstr (vd_revision_get_content (g_ptr_array_index (revisions, 0)), ==, "Unsure");
}

/* The async variant */

typedef struct
{
  GMainLoop     *loop;
  GAsyncResult  *result;
  GArray        *fractions;
  GCancellable  *cancel_on_progress;
} AsyncState;

static void
on_import_done (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  AsyncState *state = user_data;

  state->result = g_object_ref (result);
  g_main_loop_quit (state->loop);
}

static void
on_progress (VdImporter *importer,
             double      fraction,
             AsyncState *state)
{
  /* Emitted on the thread that started the import. */
  g_assert_true (g_main_context_is_owner (g_main_context_default ()));
  g_array_append_val (state->fractions, fraction);

  if (state->cancel_on_progress != NULL)
    g_cancellable_cancel (state->cancel_on_progress);
}

static void
async_state_init (AsyncState *state)
{
  memset (state, 0, sizeof *state);
  state->loop = g_main_loop_new (NULL, FALSE);
  state->fractions = g_array_new (FALSE, FALSE, sizeof (double));
}

static void
async_state_clear (AsyncState *state)
{
  gpointer task = state->result;

  /* The worker thread may drop its reference on the task (and with it the
   * store) just after the callback ran; progress emissions still queued
   * hold the importer. Wait for both. */
  g_object_add_weak_pointer (task, &task);
  g_clear_object (&state->result);
  while (g_atomic_pointer_get (&task) != NULL)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  while (g_main_context_iteration (NULL, FALSE))
    ;

  g_clear_pointer (&state->loop, g_main_loop_unref);
  g_clear_pointer (&state->fractions, g_array_unref);
}

static GString *
generate_queue (guint       n_items,
                const char *queue)
{
  GString *text = g_string_new (NULL);

  g_string_append_printf (text, "{\"verdict_queue\": 1, \"queue\": \"%s\"}\n", queue);
  for (guint i = 0; i < n_items; i++)
    g_string_append_printf (text,
                            "{\"task_id\": \"task_%07u\", \"task_type\": \"support\", "
                            "\"task_description\": \"Answer ticket %u about a late delivery\", "
                            "\"agent_output\": {\"content\": \"Dear customer, your parcel %u "
                            "left our warehouse yesterday and arrives tomorrow.\", "
                            "\"confidence\": %.2f, \"reasoning\": \"Tracking data\", "
                            "\"metadata\": {\"parcel\": %u}}, "
                            "\"timestamp\": \"2026-11-20T09:15:02.123456\"}\n",
                            i, i, i, (i % 100) / 100.0, i);

  return text;
}

static void
test_async (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(VdPolicy) rules = vd_policy_new ();
  g_autoptr(VdImporter) importer = vd_importer_new (fixture->store, rules);
  g_autoptr(GString) text = generate_queue (5000, "async");
  g_autoptr(GFile) file = write_file (fixture, "async.jsonl", text->str, text->len);
  g_autoptr(GError) error = NULL;
  VdImportResult result = { 0, };
  AsyncState state;

  async_state_init (&state);
  g_signal_connect (importer, "progress", G_CALLBACK (on_progress), &state);

  vd_importer_import_async (importer, &file, 1, NULL, on_import_done, &state);
  g_main_loop_run (state.loop);

  g_assert_true (vd_importer_import_finish (importer, state.result, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.imported, ==, 5000);
  g_assert_cmpuint (result.auto_approved, ==, 1500);
  g_assert_cmpuint (result.queued, ==, 3500);
  g_assert_cmpuint (count_items (fixture), ==, 5000);

  /* Progress rose from 0 to 1, and reached 1 before the callback ran. */
  g_assert_cmpuint (state.fractions->len, >=, 2);
  g_assert_cmpfloat (g_array_index (state.fractions, double, 0), ==, 0.0);
  for (guint i = 1; i < state.fractions->len; i++)
    g_assert_cmpfloat (g_array_index (state.fractions, double, i), >=,
                       g_array_index (state.fractions, double, i - 1));
  g_assert_cmpfloat (g_array_index (state.fractions, double, state.fractions->len - 1), ==, 1.0);

  async_state_clear (&state);
}

static void
test_async_cancel (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(VdPolicy) rules = vd_policy_new ();
  g_autoptr(VdImporter) importer = vd_importer_new (fixture->store, rules);
  g_autoptr(GString) text = generate_queue (20000, "big");
  g_autoptr(GFile) file = write_file (fixture, "big.jsonl", text->str, text->len);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  VdImportResult result = { 0, };
  AsyncState state;

  /* Cancelled before it starts. */
  async_state_init (&state);
  g_cancellable_cancel (cancellable);
  vd_importer_import_async (importer, &file, 1, cancellable, on_import_done, &state);
  g_main_loop_run (state.loop);
  g_assert_false (vd_importer_import_finish (importer, state.result, &result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (count_items (fixture), ==, 0);
  g_clear_error (&error);
  async_state_clear (&state);

  /* Cancelled at the first progress report: the store is unchanged. */
  async_state_init (&state);
  g_cancellable_reset (cancellable);
  state.cancel_on_progress = cancellable;
  g_signal_connect (importer, "progress", G_CALLBACK (on_progress), &state);
  vd_importer_import_async (importer, &file, 1, cancellable, on_import_done, &state);
  g_main_loop_run (state.loop);
  g_assert_false (vd_importer_import_finish (importer, state.result, &result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (state.fractions->len, >=, 1);
  g_assert_cmpuint (count_items (fixture), ==, 0);
  /* The new store's signing_started event only. */
  g_assert_cmpint (audit_head (fixture), ==, 1);
  async_state_clear (&state);
}

static void
test_large (Fixture       *fixture,
            gconstpointer  data)
{
  /* VERDICT_TEST_IMPORT_ITEMS lowers the count for slow setups (valgrind);
   * a multiple of 100 keeps the expected counts exact. */
  const char *override = g_getenv ("VERDICT_TEST_IMPORT_ITEMS");
  const guint n_items = override != NULL ? (guint) g_ascii_strtoull (override, NULL, 10) / 100 * 100
                                         : 100000;
  g_autoptr(VdPolicy) rules = vd_policy_new ();
  g_autoptr(VdImporter) importer = vd_importer_new (fixture->store, rules);
  g_autoptr(VdQueueReader) reader = vd_queue_reader_new ();
  g_autoptr(GString) text = generate_queue (n_items, "large");
  g_autofree char *last_id = g_strdup_printf ("task_%07u", n_items - 1);
  g_autofree char *last_description = g_strdup_printf ("Answer ticket %u about a late delivery",
                                                       n_items - 1);
  g_autoptr(GFile) file = write_file (fixture, "large.jsonl", text->str, text->len);
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTimer) timer = g_timer_new ();
  g_autoptr(VdItem) last = NULL;
  VdImportResult result = { 0, };
  double read_seconds, import_seconds;

  g_assert_cmpuint (n_items, >=, 100);

  items = vd_queue_reader_read_file (reader, file, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, n_items);
  read_seconds = g_timer_elapsed (timer, NULL);
  g_clear_pointer (&items, g_ptr_array_unref);

  g_timer_start (timer);
  g_assert_true (vd_importer_import (importer, &file, 1, &result, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  import_seconds = g_timer_elapsed (timer, NULL);

  g_assert_cmpuint (result.imported, ==, n_items);
  g_assert_cmpuint (result.auto_approved, ==, n_items / 100 * 30);
  g_assert_cmpuint (result.queued, ==, n_items / 100 * 70);
  g_assert_cmpuint (count_items (fixture), ==, n_items);

  last = get_item (fixture, "large", last_id);
  g_assert_cmpstr (vd_item_get_task_description (last), ==, last_description);

  g_test_message ("%u items, %.1f MB: parsed in %.2f s (%.0f items/s), "
                  "imported in %.2f s (%.0f items/s)",
                  n_items, text->len / 1e6, read_seconds, n_items / read_seconds,
                  import_seconds, n_items / import_seconds);
}

/* Streaming: files of several batches (the importer cuts them every 2,000
 * items). */

/* Replaces line @line (from 1) of @text with @replacement. */
static void
replace_line (GString    *text,
              guint       line,
              const char *replacement)
{
  gsize start = 0, end;

  for (guint i = 1; i < line; i++)
    start = strchr (text->str + start, '\n') - text->str + 1;
  end = strchr (text->str + start, '\n') - text->str;
  g_string_erase (text, start, end - start);
  g_string_insert (text, start, replacement);
}

static void
test_stream_atomic (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(VdPolicy) rules = vd_policy_new ();
  g_autoptr(VdImporter) importer = vd_importer_new (fixture->store, rules);
  g_autoptr(GString) text = generate_queue (5000, "stream");
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  VdImportResult result = { 0, };

  /* Line 4990 (item 4988, after the header) is bad: two batches are
   * written before the reader reaches it. */
  replace_line (text, 4990, "{\"task_id\": \"bad\", \"agent_output\": {\"content\": 7}}");
  file = write_file (fixture, "stream.jsonl", text->str, text->len);

  g_assert_false (vd_importer_import (importer, &file, 1, &result, NULL, NULL, NULL, &error));
  g_assert_error (error, VD_QUEUE_ERROR, VD_QUEUE_ERROR_INVALID);
  g_assert_true (g_str_has_prefix (error->message, "stream.jsonl:4990 (task bad): "));
  g_assert_cmpuint (count_items (fixture), ==, 0);
  /* The new store's signing_started event only. */
  g_assert_cmpint (audit_head (fixture), ==, 1);
  g_assert_cmpuint (vd_importer_get_problems (importer)->len, ==, 0);
}

static void
test_stream_skip_invalid (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(VdPolicy) rules = vd_policy_new ();
  g_autoptr(VdImporter) importer = vd_importer_new (fixture->store, rules);
  g_autoptr(GString) text = generate_queue (5000, "skip");
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  VdImportResult result = { 0, };
  /* Around the batch boundaries (items 2,000 and 4,000 are lines 2,001
   * and 4,001), and the first and last items. */
  const guint bad[] = { 2, 2000, 2001, 2002, 4001, 5001 };
  GPtrArray *problems;

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    replace_line (text, bad[i], "{\"task_id\": 1}");
  file = write_file (fixture, "skip.jsonl", text->str, text->len);

  vd_importer_set_skip_invalid (importer, TRUE);
  g_assert_true (vd_importer_import (importer, &file, 1, &result, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.imported, ==, 5000 - G_N_ELEMENTS (bad));
  g_assert_cmpuint (result.invalid, ==, G_N_ELEMENTS (bad));
  g_assert_cmpuint (count_items (fixture), ==, 5000 - G_N_ELEMENTS (bad));

  problems = vd_importer_get_problems (importer);
  g_assert_cmpuint (problems->len, ==, G_N_ELEMENTS (bad));
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *prefix = g_strdup_printf ("skip.jsonl:%u: ", bad[i]);

      g_assert_true (g_str_has_prefix (g_ptr_array_index (problems, i), prefix));
    }

  /* The neighbours of the bad lines (line N holds task N - 2) are in. */
  g_object_unref (get_item (fixture, "skip", "task_0001997"));
  g_object_unref (get_item (fixture, "skip", "task_0002001"));
  g_object_unref (get_item (fixture, "skip", "task_0003998"));
  g_object_unref (get_item (fixture, "skip", "task_0004000"));
  g_object_unref (get_item (fixture, "skip", "task_0004998"));
}

typedef struct
{
  GArray       *fractions;
  GCancellable *cancel_above;  /* cancelled at the first fraction past 0.3 */
} SyncProgress;

static void
on_sync_progress (guint64  done,
                  guint64  total,
                  gpointer user_data)
{
  SyncProgress *progress = user_data;
  double fraction = (double) done / total;

  g_array_append_val (progress->fractions, fraction);
  if (progress->cancel_above != NULL && fraction > 0.3)
    g_cancellable_cancel (progress->cancel_above);
}

static void
test_stream_progress (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(VdPolicy) rules = vd_policy_new ();
  g_autoptr(VdImporter) importer = vd_importer_new (fixture->store, rules);
  g_autoptr(GString) text = generate_queue (9000, "progress");
  g_autoptr(GFile) file = write_file (fixture, "progress.jsonl", text->str, text->len);
  g_autoptr(GArray) fractions = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GError) error = NULL;
  SyncProgress progress = { fractions, NULL };
  VdImportResult result = { 0, };

  g_assert_true (vd_importer_import (importer, &file, 1, &result, on_sync_progress, &progress,
                                     NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.imported, ==, 9000);

  /* 0, one report per batch (5), 1. */
  g_assert_cmpuint (fractions->len, >=, 7);
  g_assert_cmpfloat (g_array_index (fractions, double, 0), ==, 0.0);
  for (guint i = 1; i < fractions->len; i++)
    g_assert_cmpfloat (g_array_index (fractions, double, i), >=,
                       g_array_index (fractions, double, i - 1));
  /* Between the first and the last, something in the middle. */
  g_assert_cmpfloat (g_array_index (fractions, double, 2), >, 0.0);
  g_assert_cmpfloat (g_array_index (fractions, double, 2), <, 1.0);
  g_assert_cmpfloat (g_array_index (fractions, double, fractions->len - 1), ==, 1.0);
}

static void
test_stream_cancel (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(VdPolicy) rules = vd_policy_new ();
  g_autoptr(VdImporter) importer = vd_importer_new (fixture->store, rules);
  g_autoptr(GString) text = generate_queue (20000, "cancel");
  g_autoptr(GFile) file = write_file (fixture, "cancel.jsonl", text->str, text->len);
  g_autoptr(GArray) fractions = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  SyncProgress progress = { fractions, cancellable };
  VdImportResult result = { 0, };

  /* Cancelled with a third of the file written, in its transaction. */
  g_assert_false (vd_importer_import (importer, &file, 1, &result, on_sync_progress, &progress,
                                      cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpfloat (g_array_index (fractions, double, fractions->len - 1), <, 1.0);
  g_assert_cmpuint (count_items (fixture), ==, 0);
  g_assert_cmpint (audit_head (fixture), ==, 1);

  /* The importer works again afterwards. */
  g_clear_error (&error);
  g_assert_true (vd_importer_import (importer, &file, 1, &result, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_items (fixture), ==, 20000);
}

static void
verify_trail (Fixture  *fixture,
              GError  **error,
              gboolean  expect_ok)
{
  VdAuditReport report = { 0, };
  gboolean ok = vd_store_verify_audit_report (fixture->store, &report, error);

  g_assert_true (ok == expect_ok);
}

static void
test_stream_audit (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(VdImporter) importer = vd_importer_new (fixture->store, NULL);
  g_autoptr(GString) text = generate_queue (5000, "trail");
  g_autoptr(GFile) file = write_file (fixture, "trail.jsonl", text->str, text->len);
  g_autoptr(GPtrArray) batches = NULL;
  g_autoptr(GPtrArray) single = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (fixture->dir, "verdict.db", NULL);
  g_autofree char *sql = NULL;
  VdImportResult result = { 0, };
  g_autoptr(JsonObject) payload = NULL;
  JsonArray *listed;
  sqlite3 *db;

  /* Without a policy every item is queued for a human. */
  g_assert_true (vd_importer_import (importer, &file, 1, &result, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.queued, ==, 5000);

  /* One enqueue_batch event per batch of 2,000, none per item. */
  batches = audit_events (fixture, VD_AUDIT_ENQUEUE_BATCH, NULL);
  single = audit_events (fixture, VD_AUDIT_ENQUEUE, NULL);
  g_assert_cmpuint (batches->len, ==, 3);
  g_assert_cmpuint (single->len, ==, 0);
  g_assert_cmpstr (vd_audit_event_get_queue (g_ptr_array_index (batches, 0)), ==, "trail");

  /* The last batch lists its 1,000 items in order, as enqueue did. */
  payload = vd_audit_event_dup_payload (g_ptr_array_index (batches, 2));
  g_assert_cmpint (json_object_get_int_member (payload, "count"), ==, 1000);
  listed = json_object_get_array_member (payload, "items");
  g_assert_cmpuint (json_array_get_length (listed), ==, 1000);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (listed, 999),
                                                  "task_id"), ==, "task_0004999");
  g_assert_true (json_object_has_member (json_array_get_object_element (listed, 0),
                                         "revision"));
  g_assert_true (json_object_has_member (json_array_get_object_element (listed, 0),
                                         "content_sha256"));

  verify_trail (fixture, &error, TRUE);
  g_assert_no_error (error);

  /* An item's batch event altered: verification names it. */
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  sql = g_strdup_printf ("DROP TRIGGER audit_no_update; "
                         "UPDATE audit SET payload = replace (payload, 'task_0004999', "
                         "'task_0004998') WHERE seq = %" G_GINT64_FORMAT,
                         vd_audit_event_get_seq (g_ptr_array_index (batches, 2)));
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_changes (db), ==, 1);
  sqlite3_close (db);

  verify_trail (fixture, &error, FALSE);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "hash does not match its content"));
}

static void
test_stream_signed (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *minisign = g_find_program_in_path ("minisign");
  g_autofree char *pub = g_build_filename (fixture->dir, "agent.pub", NULL);
  g_autofree char *sec = g_build_filename (fixture->dir, "agent.key", NULL);
  g_autofree char *pub_text = NULL;
  g_autofree char *json = NULL;
  g_autoptr(GString) text = generate_queue (5000, "signed");
  g_autoptr(GFile) file = write_file (fixture, "signed.jsonl", text->str, text->len);
  g_autofree char *queue = g_file_get_path (file);
  g_autoptr(VdPolicy) policy = NULL;
  g_autoptr(VdImporter) importer = NULL;
  g_autoptr(GError) error = NULL;
  const char *generate[] = { minisign, "-G", "-W", "-p", pub, "-s", sec, NULL };
  const char *sign[] = { minisign, "-S", "-s", sec, "-m", queue, NULL };
  VdImportResult result = { 0, };
  int status = -1;

  if (minisign == NULL)
    {
      g_test_skip ("minisign is not installed");
      return;
    }

  g_assert_true (g_spawn_sync (NULL, (char **) generate, NULL, G_SPAWN_STDOUT_TO_DEV_NULL |
                               G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL, NULL, &status,
                               &error));
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_true (g_spawn_sync (NULL, (char **) sign, NULL, G_SPAWN_STDOUT_TO_DEV_NULL |
                               G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL, NULL, &status,
                               &error));
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_true (g_file_get_contents (pub, &pub_text, NULL, NULL));

  json = g_strdup_printf ("{\"trusted_sources\": [{\"name\": \"agent\", \"public_key\": "
                          "\"%s\"}], \"require_signed_queues\": true}",
                          g_strstrip (strchr (pub_text, '\n')));
  policy = vd_policy_new_from_data (json, -1, "policy.json", &error);
  g_assert_no_error (error);
  importer = vd_importer_new (fixture->store, policy);

  /* One digit of the last item changed after signing: still valid JSON,
   * read to the end, and refused before the commit. */
  g_string_overwrite (text, strstr (text->str, "parcel 4999") - text->str, "parcel 4998");
  g_assert_true (g_file_set_contents (queue, text->str, text->len, NULL));
  g_assert_false (vd_importer_import (importer, &file, 1, &result, NULL, NULL, NULL, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "signature does not verify"));
  g_assert_cmpuint (count_items (fixture), ==, 0);
  g_assert_cmpint (audit_head (fixture), ==, 1);
  g_clear_error (&error);

  /* As signed: imported, and the import event names the key. */
  g_string_overwrite (text, g_strrstr (text->str, "parcel 4998 left") - text->str, "parcel 4999");
  g_assert_true (g_file_set_contents (queue, text->str, text->len, NULL));
  g_assert_true (vd_importer_import (importer, &file, 1, &result, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_items (fixture), ==, 5000);
  {
    g_autoptr(GPtrArray) imports = audit_events (fixture, VD_AUDIT_IMPORT, NULL);
    g_autoptr(JsonObject) payload = vd_audit_event_dup_payload (g_ptr_array_index (imports, 0));

    g_assert_true (json_object_has_member (payload, "signed_by"));
  }
}

static void
test_sample (Fixture       *fixture,
             gconstpointer  data)
{
  const char *samples = g_getenv ("VERDICT_SAMPLES");
  g_autofree char *queue_path = NULL;
  g_autofree char *policy_path = NULL;
  g_autoptr(VdPolicy) policy = NULL;
  g_autoptr(VdImporter) importer = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  VdImportResult result = { 0, };
  guint n_lines = 0;

  if (samples == NULL)
    {
      g_test_skip ("VERDICT_SAMPLES is not set");
      return;
    }

  queue_path = g_build_filename (samples, "review-queue.jsonl", NULL);
  if (!g_file_test (queue_path, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("no sample queue");
      return;
    }

  policy_path = g_build_filename (samples, "policy.json", NULL);
  if (g_file_test (policy_path, G_FILE_TEST_EXISTS))
    {
      policy = vd_policy_new_from_file (policy_path, &error);
      g_assert_no_error (error);
    }

  g_file_get_contents (queue_path, &contents, NULL, &error);
  g_assert_no_error (error);
  for (const char *s = contents; *s != '\0'; s++)
    if (*s == '\n')
      n_lines++;

  /* Without a policy chosen: every item is queued for review. */
  importer = vd_importer_new (fixture->store, NULL);
  file = g_file_new_for_path (queue_path);
  g_assert_true (vd_importer_import (importer, &file, 1, &result, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.imported, ==, 55);
  g_assert_cmpuint (result.auto_approved, ==, 0);
  g_assert_cmpuint (result.queued, ==, 55);
  g_assert_cmpint (result.policy_kind, ==, VD_IMPORT_POLICY_NONE);
  g_assert_cmpuint (result.review_all, >, 0);
  g_clear_object (&importer);
  g_assert_finalize_object (fixture->store);

  /* With the sample's policy, in a new store: it approves 12 and is
   * remembered for the queue. */
  {
    g_autofree char *path = g_build_filename (fixture->dir, "with-policy.db", NULL);

    fixture->store = vd_test_open_store (path);
  }
  g_assert_nonnull (policy);
  memset (&result, 0, sizeof result);
  importer = vd_importer_new (fixture->store, policy);
  g_assert_true (vd_importer_import (importer, &file, 1, &result, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.auto_approved, ==, 12);
  g_assert_cmpint (result.policy_kind, ==, VD_IMPORT_POLICY_CHOSEN);
  g_assert_cmpstr (result.policy_source, ==, policy_path);
  assert_queue_policy (fixture, "demo", policy_path);
  g_assert_cmpuint (result.invalid, ==, 0);
  g_assert_cmpuint (result.imported, >=, 40);
  /* One item per line after the header. */
  g_assert_cmpuint (result.imported, ==, n_lines - 1);
  g_assert_cmpuint (result.imported, ==, result.queued + result.auto_approved);
  g_assert_cmpuint (result.queued, >, 0);
  g_assert_cmpuint (count_items (fixture), ==, result.imported);
  g_test_message ("sample: %u items, %u queued, %u auto-approved",
                  result.imported, result.queued, result.auto_approved);

  /* The same items under new task ids, imported without a policy: the
   * one remembered for the queue applies. */
  g_clear_object (&importer);
  g_clear_object (&file);
  {
    g_auto(GStrv) parts = g_strsplit (contents, "\"task_id\": \"", -1);
    g_autofree char *again = g_strjoinv ("\"task_id\": \"again-", parts);

    file = write_file (fixture, "again.jsonl", again, -1);
    vd_test_copy_sample_attachments (samples, fixture->dir);
  }
  memset (&result, 0, sizeof result);
  importer = vd_importer_new (fixture->store, NULL);
  g_assert_true (vd_importer_import (importer, &file, 1, &result, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.imported, ==, 55);
  g_assert_cmpuint (result.auto_approved, ==, 12);
  g_assert_cmpint (result.policy_kind, ==, VD_IMPORT_POLICY_REMEMBERED);
  g_assert_cmpstr (result.policy_queue, ==, "demo");
  g_assert_cmpstr (result.policy_source, ==, policy_path);
  g_assert_cmpuint (result.review_all, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/importer/policy-applied", test_policy_applied);
  ADD ("/importer/default-policy", test_default_policy);
  ADD ("/importer/no-policy", test_no_policy);
  ADD ("/importer/remembered-policy", test_remembered_policy);
  ADD ("/importer/atomic", test_atomic);
  ADD ("/importer/atomic-files", test_atomic_files);
  ADD ("/importer/skip-invalid", test_skip_invalid);
  ADD ("/importer/reimport", test_reimport);
  ADD ("/importer/async", test_async);
  ADD ("/importer/async-cancel", test_async_cancel);
  if (vd_test_sqlite_only ("/importer/large",
                           "Too slow on PostgreSQL: it imports a row at a time"))
    ADD ("/importer/large", test_large);
  ADD ("/importer/sample", test_sample);
  ADD ("/importer/stream/atomic", test_stream_atomic);
  ADD ("/importer/stream/skip-invalid", test_stream_skip_invalid);
  ADD ("/importer/stream/progress", test_stream_progress);
  ADD ("/importer/stream/cancel", test_stream_cancel);
  /* TODO(pg): a streamed import on PostgreSQL writes an enqueue event per
   * item, not one enqueue_batch per batch. */
  if (vd_test_sqlite_only ("/importer/stream/audit",
                           "not on PostgreSQL yet: its streamed imports write no enqueue_batch"))
    ADD ("/importer/stream/audit", test_stream_audit);
  ADD ("/importer/stream/signed", test_stream_signed);

#undef ADD

  return g_test_run ();
}
