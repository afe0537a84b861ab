/* test-policy-update.c: applying a suggested threshold to a policy file
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
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "vd-core.h"
#include "vd-test-util.h"

typedef struct
{
  VdTestStore  store;
  char        *policy;
} Fixture;

#define POLICY \
  "{\n" \
  "  \"confidence_threshold\": 0.7,\n" \
  "  \"task_types\": {\n" \
  "    \"payment\": {\n" \
  "      \"confidence_threshold\": 0.8,\n" \
  "      \"sla_minutes\": 60\n" \
  "    }\n" \
  "  },\n" \
  "  \"sensitive_keywords\": [\n" \
  "    \"password\"\n" \
  "  ]\n" \
  "}\n"

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) text = g_string_new ("{\"verdict_queue\": 1, \"queue\": \"q\"}\n");

  vd_test_store_set_up (&fixture->store, "policy-update");
  fixture->policy = g_build_filename (fixture->store.dir, "policy.json", NULL);
  g_assert_true (g_file_set_contents (fixture->policy, POLICY, -1, NULL));

  /* Evidence: four payments at 0.9 (three approved, one rejected) and one
   * at 0.5, approved. */
  for (guint i = 0; i < 5; i++)
    g_string_append_printf (text,
                            "{\"task_id\": \"p%u\", \"task_type\": \"payment\", "
                            "\"task_description\": \"x\", \"agent_output\": {\"content\": \"x\", "
                            "\"confidence\": %s}, \"escalation_reason\": \"low_confidence\"}\n",
                            i, i < 4 ? "0.9" : "0.5");
  vd_test_import_text (fixture->store.store, fixture->store.dir, "q.jsonl", text->str, NULL, NULL);

  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *id = g_strdup_printf ("p%u", i);
      g_autoptr(VdDecision) decision = NULL;

      decision = vd_decision_new ("q", id, i == 3 ? VD_DECISION_KIND_REJECT
                                                  : VD_DECISION_KIND_APPROVE, "alice");
      vd_decision_set_feedback (decision, "checked");
      g_assert_true (vd_store_record_decision (fixture->store.store, decision, &error));
      g_assert_no_error (error);
    }
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_pointer (&fixture->policy, g_free);
  vd_test_store_tear_down (&fixture->store);
}

static char *
read_policy (Fixture *fixture)
{
  char *contents = NULL;

  g_assert_true (g_file_get_contents (fixture->policy, &contents, NULL, NULL));
  return contents;
}

static VdAuditEvent *
last_event (Fixture *fixture)
{
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;

  events = vd_store_list_audit (fixture->store.store, 0, 0, &error);
  g_assert_no_error (error);
  return g_object_ref (g_ptr_array_index (events, events->len - 1));
}

static gint64
head (Fixture *fixture)
{
  gint64 seq = 0;

  g_assert_true (vd_store_get_audit_head (fixture->store.store, &seq, NULL, NULL));
  return seq;
}

static void
test_apply_type (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *payload = NULL;
  g_autoptr(VdAuditEvent) event = NULL;
  g_autoptr(JsonObject) object = NULL;
  JsonObject *evidence;

  g_assert_true (vd_policy_apply_threshold (fixture->policy, "payment", 0.9,
                                            fixture->store.store, "alice", &error));
  g_assert_no_error (error);

  contents = read_policy (fixture);
  g_assert_cmpstr (contents, ==,
                   "{\n"
                   "  \"confidence_threshold\": 0.7,\n"
                   "  \"task_types\": {\n"
                   "    \"payment\": {\n"
                   "      \"confidence_threshold\": 0.9,\n"
                   "      \"sla_minutes\": 60\n"
                   "    }\n"
                   "  },\n"
                   "  \"sensitive_keywords\": [\n"
                   "    \"password\"\n"
                   "  ]\n"
                   "}\n");

  event = last_event (fixture);
  g_assert_cmpstr (vd_audit_event_get_event_type (event), ==, VD_AUDIT_THRESHOLD_APPLIED);
  g_assert_cmpstr (vd_audit_event_get_actor (event), ==, "alice");
  object = vd_audit_event_dup_payload (event);
  g_assert_cmpstr (json_object_get_string_member (object, "policy"), ==, fixture->policy);
  g_assert_cmpstr (json_object_get_string_member (object, "field"), ==,
                   "task_types.payment.confidence_threshold");
  g_assert_cmpstr (json_object_get_string_member (object, "task_type"), ==, "payment");
  g_assert_cmpfloat (json_object_get_double_member (object, "old"), ==, 0.8);
  g_assert_cmpfloat (json_object_get_double_member (object, "new"), ==, 0.9);
  evidence = json_object_get_object_member (object, "evidence");
  g_assert_cmpint (json_object_get_int_member (evidence, "items"), ==, 4);
  g_assert_cmpint (json_object_get_int_member (evidence, "approved_unchanged"), ==, 3);
  g_assert_cmpfloat (json_object_get_double_member (evidence, "approval_rate"), ==, 0.75);
  g_assert_cmpint (json_object_get_int_member (evidence, "reviews_saved"), ==, 4);

  g_assert_true (vd_store_verify_audit (fixture->store.store, NULL, NULL, &error));
  g_assert_no_error (error);
}

static void
test_apply_global_and_new_type (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(VdAuditEvent) event = NULL;
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(VdPolicy) policy = NULL;

  g_assert_true (vd_policy_apply_threshold (fixture->policy, NULL, 0.75,
                                            fixture->store.store, "bob", &error));
  g_assert_no_error (error);
  event = last_event (fixture);
  object = vd_audit_event_dup_payload (event);
  g_assert_true (json_object_get_null_member (object, "task_type"));
  g_assert_cmpstr (json_object_get_string_member (object, "field"), ==, "confidence_threshold");
  g_assert_cmpfloat (json_object_get_double_member (object, "old"), ==, 0.7);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (object, "evidence"),
                                               "items"), ==, 4);

  g_assert_true (vd_policy_apply_threshold (fixture->policy, "refund", 0.85,
                                            fixture->store.store, "bob", &error));
  g_assert_no_error (error);

  contents = read_policy (fixture);
  g_assert_cmpstr (contents, ==,
                   "{\n"
                   "  \"confidence_threshold\": 0.75,\n"
                   "  \"task_types\": {\n"
                   "    \"payment\": {\n"
                   "      \"confidence_threshold\": 0.8,\n"
                   "      \"sla_minutes\": 60\n"
                   "    },\n"
                   "    \"refund\": {\n"
                   "      \"confidence_threshold\": 0.85\n"
                   "    }\n"
                   "  },\n"
                   "  \"sensitive_keywords\": [\n"
                   "    \"password\"\n"
                   "  ]\n"
                   "}\n");
  policy = vd_policy_new_from_file (fixture->policy, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (vd_policy_get_threshold_for_type (policy, "refund"), ==, 0.85);
  g_assert_cmpfloat (vd_policy_get_threshold_for_type (policy, "other"), ==, 0.75);
}

static void
assert_refused (Fixture    *fixture,
                const char *path,
                const char *task_type,
                double      threshold,
                const char *reviewer,
                GQuark      domain,
                int         code,
                const char *message)
{
  g_autoptr(GError) error = NULL;
  gint64 before = head (fixture);

  g_assert_false (vd_policy_apply_threshold (path, task_type, threshold, fixture->store.store,
                                             reviewer, &error));
  g_assert_error (error, domain, code);
  if (message != NULL)
    g_assert_cmpstr (error->message, ==, message);
  g_assert_cmpint (head (fixture), ==, before);
}

static void
test_refused (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *missing = g_build_filename (fixture->store.dir, "nope.json", NULL);
  g_autofree char *missing_message = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *invalid_message = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *name;

  missing_message = g_strdup_printf ("Could not read the policy file: Failed to open file "
                                     "“%s”: No such file or directory", missing);
  assert_refused (fixture, missing, "payment", 0.9, "alice", G_FILE_ERROR, G_FILE_ERROR_NOENT,
                  missing_message);

  assert_refused (fixture, fixture->policy, "payment", 1.5, "alice", VD_POLICY_ERROR,
                  VD_POLICY_ERROR_INVALID, "A threshold is a number from 0 to 1, not 1.5");
  assert_refused (fixture, fixture->policy, "payment", 0.9, " ", VD_POLICY_ERROR,
                  VD_POLICY_ERROR_INVALID, "Applying a threshold needs a reviewer id");
  assert_refused (fixture, fixture->policy, "", 0.9, "alice", VD_POLICY_ERROR,
                  VD_POLICY_ERROR_INVALID, "Name a task type, or apply the global threshold");
  contents = read_policy (fixture);
  g_assert_cmpstr (contents, ==, POLICY);
  g_clear_pointer (&contents, g_free);

  /* Broken JSON, and a valid JSON that is not a valid policy: left as
   * they are. */
  g_assert_true (g_file_set_contents (fixture->policy, "{\"confidence_threshold\": ", -1, NULL));
  assert_refused (fixture, fixture->policy, "payment", 0.9, "alice", VD_POLICY_ERROR,
                  VD_POLICY_ERROR_INVALID, NULL);
  contents = read_policy (fixture);
  g_assert_cmpstr (contents, ==, "{\"confidence_threshold\": ");
  g_clear_pointer (&contents, g_free);

  g_assert_true (g_file_set_contents (fixture->policy, "{\"thresold\": 0.5}\n", -1, NULL));
  invalid_message = g_strdup_printf ("%s: unknown field “thresold”", fixture->policy);
  assert_refused (fixture, fixture->policy, NULL, 0.9, "alice", VD_POLICY_ERROR,
                  VD_POLICY_ERROR_INVALID, invalid_message);
  contents = read_policy (fixture);
  g_assert_cmpstr (contents, ==, "{\"thresold\": 0.5}\n");

  /* No temporary file left behind. */
  dir = g_dir_open (fixture->store.dir, 0, NULL);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_assert_false (g_str_has_prefix (name, "policy.json."));
      g_assert_false (g_str_has_suffix (name, ".part"));
    }
}

/* A policy file shared through a symbolic link: the file it points to
 * gets the new threshold, with its permissions, and the link stays. */
static void
test_symlink (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *shared = g_build_filename (fixture->store.dir, "shared", NULL);
  g_autofree char *target = g_build_filename (shared, "policy.json", NULL);
  g_autofree char *link = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(VdPolicy) policy = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *name;
  GStatBuf st;

  g_assert_cmpint (g_mkdir (shared, 0700), ==, 0);
  g_assert_cmpint (g_rename (fixture->policy, target), ==, 0);
  g_assert_cmpint (g_chmod (target, 0640), ==, 0);
  g_assert_cmpint (symlink ("shared/policy.json", fixture->policy), ==, 0);

  g_assert_true (vd_policy_apply_threshold (fixture->policy, "payment", 0.9,
                                            fixture->store.store, "alice", &error));
  g_assert_no_error (error);

  g_assert_cmpint (g_lstat (fixture->policy, &st), ==, 0);
  g_assert_true (S_ISLNK (st.st_mode));
  link = g_file_read_link (fixture->policy, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (link, ==, "shared/policy.json");

  g_assert_cmpint (g_lstat (target, &st), ==, 0);
  g_assert_true (S_ISREG (st.st_mode));
  g_assert_cmpint (st.st_mode & 07777, ==, 0640);
  g_assert_true (g_file_get_contents (target, &contents, NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (strstr (contents, "\"confidence_threshold\": 0.9,"));
  policy = vd_policy_new_from_file (fixture->policy, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (vd_policy_get_threshold_for_type (policy, "payment"), ==, 0.9);

  /* The new file was written in the folder of the file it replaced. */
  dir = g_dir_open (shared, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_assert_cmpstr (name, ==, "policy.json");
}

static void
test_refused_unsafe_text (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GString) deep = g_string_new ("{\"rules\": ");
  g_autoptr(GString) huge = g_string_new ("{}");
  struct {
    const char *text;
    const char *prefix;
    const char *message;   /* after "PATH" */
  } cases[] = {
    { NULL, "", ":1:74: arrays and objects nest more than 64 levels deep" },
    { "{\"sensitive_keywords\": [\"pass\\ud800word\"]}\n", "",
      ": sensitive_keywords[0]: not valid text: it holds an escape that is not a character "
      "(a lone surrogate such as \\ud800) or bytes that are not UTF-8" },
    { "{\"rules\": [{\"name\": \"r\", \"path\": \"a\", \"op\": \">\", \"value\": 1e999}]}\n", "",
      ": rules[0].value: a number too large to represent (such as 1e999)" },
    { "{\"confidence_threshold\": 0.7, \"sla_minutes\": 18446744073709551615}\n", "",
      ":1:46: an integer too large to represent exactly (beyond 9223372036854775807)" },
    /* Not even read. */
    { NULL, "Could not read the policy file: ", ": 4194305 bytes is too large for a policy (at most 4 MiB); is this the right "
      "file?" },
  };

  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, '[');
  cases[0].text = deep->str;
  while (huge->len <= VD_POLICY_MAX_BYTES)
    g_string_append_c (huge, ' ');
  cases[4].text = huge->str;

  /* Each is refused as the loader refuses it, and the file stays as it is. */
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *message = g_strconcat (cases[i].prefix, fixture->policy,
                                                cases[i].message, NULL);
      g_autofree char *contents = NULL;

      g_assert_true (g_file_set_contents (fixture->policy, cases[i].text, -1, NULL));
      assert_refused (fixture, fixture->policy, "payment", 0.9, "alice", VD_POLICY_ERROR,
                      VD_POLICY_ERROR_INVALID, message);
      contents = read_policy (fixture);
      g_assert_cmpstr (contents, ==, cases[i].text);
    }
}

static void
test_async (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VdPolicy) policy = NULL;
  GAsyncResult *result = NULL;

  vd_policy_apply_threshold_async (fixture->policy, "payment", 0.95, fixture->store.store,
                                   "alice", NULL, vd_test_got_result, &result);
  g_assert_true (vd_test_iterate_until (vd_test_has_result, &result, 10000));
  g_assert_true (vd_policy_apply_threshold_finish (result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  policy = vd_policy_new_from_file (fixture->policy, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (vd_policy_get_threshold_for_type (policy, "payment"), ==, 0.95);
}

#define add_fixture_test(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  add_fixture_test ("/policy-update/type", test_apply_type);
  add_fixture_test ("/policy-update/global-and-new-type", test_apply_global_and_new_type);
  add_fixture_test ("/policy-update/refused", test_refused);
  add_fixture_test ("/policy-update/symlink", test_symlink);
  add_fixture_test ("/policy-update/refused-unsafe-text", test_refused_unsafe_text);
  add_fixture_test ("/policy-update/async", test_async);

  return g_test_run ();
}
