/* test-queue-reader.c
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

#define G_LOG_DOMAIN "test-queue-reader"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "vd-core.h"

#define GOOD(id) \
  "{\"task_id\": \"" id "\", \"task_description\": \"Check it\", " \
  "\"agent_output\": {\"content\": \"Fine\", \"confidence\": 0.9}}"

static GPtrArray *
read_text (VdQueueReader  *reader,
           const char     *text,
           const char     *name,
           GError        **error)
{
  return vd_queue_reader_read_data (reader, text, strlen (text), name,
                                    NULL, NULL, NULL, error);
}

static VdItem *
item_at (GPtrArray *items,
         guint      index)
{
  g_assert_cmpuint (index, <, items->len);
  return g_ptr_array_index (items, index);
}

static char *
format_utc (GDateTime *datetime)
{
  g_autoptr(GDateTime) utc = g_date_time_to_utc (datetime);

  return g_date_time_format (utc, "%Y-%m-%dT%H:%M:%S.%fZ");
}

static void
assert_timestamp (GDateTime  *datetime,
                  const char *expected_utc)
{
  g_autofree char *text = NULL;

  g_assert_nonnull (datetime);
  text = format_utc (datetime);
  g_assert_cmpstr (text, ==, expected_utc);
}

static void
test_header (void)
{
  g_autoptr(VdQueueReader) reader = vd_queue_reader_new ();
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  const char *text =
    "{\"verdict_queue\": 1, \"queue\": \"payments\", \"exported_at\": "
    "\"2026-11-20T09:00:00Z\", \"source\": \"agent-7\", \"future_key\": [1]}\n"
    "{\"task_id\": \"task_0001\", \"task_description\": \"Refund order 81\", "
    "\"task_type\": \"payment\", \"context\": \"Customer since 2019\", "
    "\"agent_output\": {\"content\": \"Refund $12,400\", \"confidence\": 0.82, "
    "\"reasoning\": \"Policy 4.2\", \"metadata\": {\"amount\": 12400, "
    "\"customer\": {\"tier\": \"gold\"}}}, "
    "\"escalation_reason\": \"high_risk_action\", \"escalation_detail\": \"amount > 10000\", "
    "\"timestamp\": \"2026-11-20T09:15:02.123456Z\", \"due_at\": \"2026-11-21T09:15:02+02:00\", "
    "\"priority\": 3, \"revision\": 2, \"status\": \"escalated\", "
    "\"check\": {\"expected\": \"reject\"}, \"unknown_key\": {\"ignored\": true}}\n"
    "{\"task_id\": \"task_0002\", \"queue\": \"refunds\", \"task_description\": \"\", "
    "\"task_type\": null, \"agent_output\": {\"content\": \"\", \"confidence\": 1}}\n";
  VdItem *item;
  JsonObject *metadata;

  items = read_text (reader, text, "ignored-name.jsonl", &error);
  g_assert_no_error (error);
  g_assert_nonnull (items);
  g_assert_cmpuint (items->len, ==, 2);
  g_assert_cmpstr (vd_queue_reader_get_queue (reader), ==, "payments");
  g_assert_cmpstr (vd_queue_reader_get_source (reader), ==, "agent-7");
  g_assert_cmpuint (vd_queue_reader_get_problems (reader)->len, ==, 0);

  item = item_at (items, 0);
  g_assert_cmpstr (vd_item_get_queue (item), ==, "payments");
  g_assert_cmpstr (vd_item_get_task_id (item), ==, "task_0001");
  g_assert_cmpstr (vd_item_get_task_description (item), ==, "Refund order 81");
  g_assert_cmpstr (vd_item_get_task_type (item), ==, "payment");
  g_assert_cmpstr (vd_item_get_context (item), ==, "Customer since 2019");
  g_assert_cmpstr (vd_item_get_content (item), ==, "Refund $12,400");
  g_assert_cmpfloat (vd_item_get_confidence (item), ==, 0.82);
  g_assert_cmpstr (vd_item_get_reasoning (item), ==, "Policy 4.2");
  metadata = vd_item_get_metadata (item);
  g_assert_cmpint (json_object_get_int_member (metadata, "amount"), ==, 12400);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (metadata,
                                                                                 "customer"),
                                                  "tier"), ==, "gold");
  g_assert_cmpint (vd_item_get_escalation_reason (item), ==,
                   VD_ESCALATION_REASON_HIGH_RISK_ACTION);
  g_assert_cmpstr (vd_item_get_escalation_detail (item), ==, "amount > 10000");
  assert_timestamp (vd_item_get_timestamp (item), "2026-11-20T09:15:02.123456Z");
  assert_timestamp (vd_item_get_due_at (item), "2026-11-21T07:15:02.000000Z");
  g_assert_cmpint (vd_item_get_priority (item), ==, 3);
  g_assert_cmpint (vd_item_get_revision (item), ==, 2);
  g_assert_cmpint (vd_item_get_status (item), ==, VD_TASK_STATUS_ESCALATED);
  g_assert_cmpstr (vd_item_get_expected_decision (item), ==, "reject");

  /* An item-level queue overrides the header's; absent fields default. */
  item = item_at (items, 1);
  g_assert_cmpstr (vd_item_get_queue (item), ==, "refunds");
  g_assert_cmpstr (vd_item_get_task_id (item), ==, "task_0002");
  g_assert_cmpstr (vd_item_get_task_description (item), ==, "");
  g_assert_true (vd_item_get_task_type (item) == NULL ||
                 g_str_equal (vd_item_get_task_type (item), ""));
  g_assert_cmpfloat (vd_item_get_confidence (item), ==, 1.0);
  g_assert_cmpint (vd_item_get_escalation_reason (item), ==, VD_ESCALATION_REASON_NONE);
  g_assert_null (vd_item_get_due_at (item));
  g_assert_cmpint (vd_item_get_priority (item), ==, 0);
  g_assert_cmpint (vd_item_get_revision (item), ==, 0);
  g_assert_cmpint (vd_item_get_status (item), ==, VD_TASK_STATUS_PENDING);
  g_assert_null (vd_item_get_expected_decision (item));
  g_assert_cmpuint (json_object_get_size (vd_item_get_metadata (item)), ==, 0);
}

static void
test_queue_name (void)
{
  const struct { const char *display_name; const char *queue; } cases[] = {
    { "payments.jsonl", "payments" },
    { "/some/dir/payments.queue.jsonl", "payments.queue" },
    { "payments", "payments" },
    { ".jsonl", ".jsonl" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *queue = vd_queue_name_from_display_name (cases[i].display_name);

      g_assert_cmpstr (queue, ==, cases[i].queue);
    }
}

static void
test_no_header (void)
{
  g_autoptr(VdQueueReader) reader = vd_queue_reader_new ();
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) before = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) after = NULL;

  items = read_text (reader, GOOD ("a") "\n" GOOD ("b"), "/some/dir/payments.queue.jsonl",
                     &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 2);
  g_assert_cmpstr (vd_queue_reader_get_queue (reader), ==, "payments.queue");
  g_assert_null (vd_queue_reader_get_source (reader));
  g_assert_cmpstr (vd_item_get_queue (item_at (items, 0)), ==, "payments.queue");
  g_assert_cmpstr (vd_item_get_task_id (item_at (items, 1)), ==, "b");

  /* Without a timestamp an item is stamped with the time of reading. */
  after = g_date_time_new_now_utc ();
  g_assert_cmpint (g_date_time_compare (vd_item_get_timestamp (item_at (items, 0)), before),
                   >=, 0);
  g_assert_cmpint (g_date_time_compare (vd_item_get_timestamp (item_at (items, 0)), after),
                   <=, 0);

  g_clear_pointer (&items, g_ptr_array_unref);
  items = read_text (reader, GOOD ("a"), "plain", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (vd_queue_reader_get_queue (reader), ==, "plain");

  /* A header without a queue keeps the file's name. */
  g_clear_pointer (&items, g_ptr_array_unref);
  items = read_text (reader, "{\"verdict_queue\": 1, \"source\": \"s\"}\n" GOOD ("a"),
                     "ops.jsonl", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (vd_queue_reader_get_queue (reader), ==, "ops");
  g_assert_cmpstr (vd_queue_reader_get_source (reader), ==, "s");
}

static void
test_array (void)
{
  g_autoptr(VdQueueReader) reader = vd_queue_reader_new ();
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  const char *text =
    "  \n"
    "[\n"
    "  {\n"
    "    \"task_id\": \"t1\", \"task_description\": \"brackets ] } [ { and \\\" , in text\",\n"
    "    \"agent_output\": {\"content\": \"ok\", \"confidence\": 0.5,\n"
    "                     \"metadata\": {\"list\": [1, [2, {\"x\": \"]\"}]]}}\n"
    "  },\n"
    "  {\"task_id\": \"t2\", \"task_description\": \"d\",\n"
    "   \"agent_output\": {\"content\": \"c\", \"confidence\": 0.25}}\n"
    "]\n"
    "\n";

  items = read_text (reader, text, "arr.json", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 2);
  g_assert_cmpstr (vd_queue_reader_get_queue (reader), ==, "arr");
  g_assert_cmpstr (vd_item_get_task_description (item_at (items, 0)), ==,
                   "brackets ] } [ { and \" , in text");
  g_assert_cmpstr (vd_item_get_task_id (item_at (items, 1)), ==, "t2");
  g_assert_cmpfloat (vd_item_get_confidence (item_at (items, 1)), ==, 0.25);

  /* A header may be the array's first element. */
  g_clear_pointer (&items, g_ptr_array_unref);
  items = read_text (reader, "[{\"verdict_queue\": 1, \"queue\": \"q9\"}, " GOOD ("x") "]",
                     "arr.json", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 1);
  g_assert_cmpstr (vd_item_get_queue (item_at (items, 0)), ==, "q9");
}

static void
test_array_lines (void)
{
  g_autoptr(VdQueueReader) reader = vd_queue_reader_new ();
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  const char *text =
    "[\n"
    "  " GOOD ("t1") ",\n"
    "  {\n"
    "    \"task_id\": \"t2\",\n"
    "    \"task_description\": \"d\",\n"
    "    \"agent_output\": {\"content\": \"c\", \"confidence\": \"high\"}\n"
    "  },\n"
    "  " GOOD ("t3") "\n"
    "]\n";
  const char *bad_json =
    "[\n"
    "  " GOOD ("t1") ",\n"
    "  {\"task_id\": \"t2\",\n"
    "   \"agent_output\": tru}\n"
    "]\n";

  /* The line is the one where the offending item starts. */
  items = read_text (reader, text, "arr.json", &error);
  g_assert_error (error, VD_QUEUE_ERROR, VD_QUEUE_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==,
                   "arr.json:3 (task t2): agent_output.confidence must be a number from 0 to 1, "
                   "found \"high\"");
  g_assert_null (items);
  g_clear_error (&error);

  items = read_text (reader, bad_json, "arr.json", &error);
  g_assert_error (error, VD_QUEUE_ERROR, VD_QUEUE_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==,
                   "arr.json:3: not a JSON object: unexpected identifier `tru', "
                   "expected value (line 4, column 22)");
  g_clear_error (&error);

  /* With skip-invalid the good items around it are kept. */
  vd_queue_reader_set_skip_invalid (reader, TRUE);
  items = read_text (reader, text, "arr.json", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 2);
  g_assert_cmpstr (vd_item_get_task_id (item_at (items, 0)), ==, "t1");
  g_assert_cmpstr (vd_item_get_task_id (item_at (items, 1)), ==, "t3");
  g_assert_cmpuint (vd_queue_reader_get_problems (reader)->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (vd_queue_reader_get_problems (reader), 0), ==,
                   "arr.json:3 (task t2): agent_output.confidence must be a number from 0 to 1, "
                   "found \"high\"");
}

typedef struct
{
  const char *text;
  int         code;
  const char *message;
} BadCase;

static void
check_bad_cases (const BadCase *cases,
                 guint          n_cases,
                 const char    *name)
{
  guint n_failed = 0;

  for (guint i = 0; i < n_cases; i++)
    {
      g_autoptr(VdQueueReader) reader = vd_queue_reader_new ();
      g_autoptr(GPtrArray) items = NULL;
      g_autoptr(GError) error = NULL;

      items = vd_queue_reader_read_data (reader, cases[i].text, strlen (cases[i].text), name,
                                         NULL, NULL, NULL, &error);
      g_assert_null (items);
      g_assert_null (vd_queue_reader_get_queue (reader));
      g_assert_nonnull (error);

      /* Report every wrong case before failing. */
      if (!g_error_matches (error, VD_QUEUE_ERROR, cases[i].code) ||
          !g_str_equal (error->message, cases[i].message))
        {
          g_test_message ("case %u: %s\n  expected code %d: %s\n  got code %d: %s", i,
                          cases[i].text, cases[i].code, cases[i].message,
                          error->code, error->message);
          n_failed++;
        }
    }

  g_assert_cmpuint (n_failed, ==, 0);
}

#define L1 GOOD ("task_0001") "\n"
#define ITEM(fields) "{\"task_id\": \"t\", \"task_description\": \"d\", " fields "}"
#define OUT(fields) ITEM ("\"agent_output\": {" fields "}")
#define WITH(fields) ITEM ("\"agent_output\": {\"content\": \"c\", \"confidence\": 0.5}, " fields)

static const BadCase field_cases[] = {
  { L1 OUT ("\"content\": \"c\", \"confidence\": \"high\""), VD_QUEUE_ERROR_INVALID,
    "q.jsonl:2 (task t): agent_output.confidence must be a number from 0 to 1, found \"high\"" },
  { L1 OUT ("\"content\": \"c\", \"confidence\": 1.7"), VD_QUEUE_ERROR_INVALID,
    "q.jsonl:2 (task t): agent_output.confidence must be a number from 0 to 1, found 1.7" },
  { L1 OUT ("\"content\": \"c\", \"confidence\": -0.1"), VD_QUEUE_ERROR_INVALID,
    "q.jsonl:2 (task t): agent_output.confidence must be a number from 0 to 1, found -0.1" },
  { L1 OUT ("\"content\": \"c\", \"confidence\": 2"), VD_QUEUE_ERROR_INVALID,
    "q.jsonl:2 (task t): agent_output.confidence must be a number from 0 to 1, found 2" },
  { L1 OUT ("\"content\": \"c\", \"confidence\": true"), VD_QUEUE_ERROR_INVALID,
    "q.jsonl:2 (task t): agent_output.confidence must be a number from 0 to 1, found true" },
  { L1 OUT ("\"content\": \"c\", \"confidence\": null"), VD_QUEUE_ERROR_INVALID,
    "q.jsonl:2 (task t): agent_output.confidence must be a number from 0 to 1, found null" },
  { L1 OUT ("\"content\": \"c\", \"confidence\": 1e400"), VD_QUEUE_ERROR_INVALID,
    "q.jsonl:2 (task t): agent_output.confidence must be a number from 0 to 1, "
    "found a number too large to represent" },
  { L1 OUT ("\"content\": \"c\", \"confidence\": NaN"), VD_QUEUE_ERROR_INVALID,
    "q.jsonl:2: not a JSON object: NaN and Infinity are not JSON numbers (column 92)" },
  { L1 OUT ("\"content\": \"c\", \"confidence\": Infinity"), VD_QUEUE_ERROR_INVALID,
    "q.jsonl:2: not a JSON object: NaN and Infinity are not JSON numbers (column 97)" },
  { L1 OUT ("\"content\": \"c\", \"confidence\": "
            "\"a very long string of more than forty characters in all\""),
    VD_QUEUE_ERROR_INVALID,
    "q.jsonl:2 (task t): agent_output.confidence must be a number from 0 to 1, "
    "found \"a very long string of more than forty ch…\"" },
  { L1 OUT ("\"content\": \"c\""), VD_QUEUE_ERROR_INVALID,
    "q.jsonl:2 (task t): agent_output.confidence is missing (required)" },
  { L1 OUT ("\"confidence\": 0.5"), VD_QUEUE_ERROR_INVALID,
    "q.jsonl:2 (task t): agent_output.content is missing (required)" },
  { L1 OUT ("\"content\": 7, \"confidence\": 0.5"), VD_QUEUE_ERROR_INVALID,
    "q.jsonl:2 (task t): agent_output.content must be a string, found 7" },
  { L1 OUT ("\"content\": \"c\", \"confidence\": 0.5, \"reasoning\": 3"),
    VD_QUEUE_ERROR_INVALID,
    "q.jsonl:2 (task t): agent_output.reasoning must be a string, found 3" },
  { L1 OUT ("\"content\": \"c\", \"confidence\": 0.5, \"metadata\": [1, 2]"),
    VD_QUEUE_ERROR_INVALID,
    "q.jsonl:2 (task t): agent_output.metadata must be an object, found [1,2]" },
  { L1 ITEM ("\"x\": 1"), VD_QUEUE_ERROR_INVALID,
    "q.jsonl:2 (task t): agent_output is missing (required)" },
  { L1 ITEM ("\"agent_output\": \"Fine\""), VD_QUEUE_ERROR_INVALID,
    "q.jsonl:2 (task t): agent_output must be an object, found \"Fine\"" },
  { L1 "{\"task_id\": 42, \"task_description\": \"d\"}", VD_QUEUE_ERROR_INVALID,
    "q.jsonl:2: task_id must be a non-empty string, found 42" },
  { L1 "{\"task_id\": \"\", \"task_description\": \"d\"}", VD_QUEUE_ERROR_INVALID,
    "q.jsonl:2: task_id must be a non-empty string, found \"\"" },
  { L1 "{\"task_description\": \"d\"}", VD_QUEUE_ERROR_INVALID,
    "q.jsonl:2: task_id is missing (required)" },
  { L1 "{\"task_id\": \"t\", \"agent_output\": {}}", VD_QUEUE_ERROR_INVALID,
    "q.jsonl:2 (task t): task_description is missing (required)" },
  { L1 "{\"task_id\": \"t\", \"task_description\": 5}", VD_QUEUE_ERROR_INVALID,
    "q.jsonl:2 (task t): task_description must be a string, found 5" },
  { L1 "{\"task_id\": \"t\", \"queue\": \"\", \"task_description\": \"d\"}",
    VD_QUEUE_ERROR_INVALID,
    "q.jsonl:2 (task t): queue must be a non-empty string, found \"\"" },
  { L1 WITH ("\"task_type\": {}"), VD_QUEUE_ERROR_INVALID,
    "q.jsonl:2 (task t): task_type must be a string, found {}" },
  { L1 WITH ("\"context\": false"), VD_QUEUE_ERROR_INVALID,
    "q.jsonl:2 (task t): context must be a string, found false" },
  { L1 WITH ("\"escalation_reason\": \"urgent\""), VD_QUEUE_ERROR_INVALID,
    "q.jsonl:2 (task t): escalation_reason must be one of low_confidence, sensitive_content, "
    "high_risk_action, ambiguous_input, error_occurred, policy_required, user_requested, "
    "found \"urgent\"" },
  { L1 WITH ("\"escalation_reason\": \"none\""), VD_QUEUE_ERROR_INVALID,
    "q.jsonl:2 (task t): escalation_reason must be one of low_confidence, sensitive_content, "
    "high_risk_action, ambiguous_input, error_occurred, policy_required, user_requested, "
    "found \"none\"" },
  { L1 WITH ("\"escalation_reason\": 1"), VD_QUEUE_ERROR_INVALID,
    "q.jsonl:2 (task t): escalation_reason must be one of low_confidence, sensitive_content, "
    "high_risk_action, ambiguous_input, error_occurred, policy_required, user_requested, "
    "found 1" },
  { L1 WITH ("\"escalation_detail\": 1"), VD_QUEUE_ERROR_INVALID,
    "q.jsonl:2 (task t): escalation_detail must be a string, found 1" },
  { L1 WITH ("\"timestamp\": \"yesterday\""), VD_QUEUE_ERROR_INVALID,
    "q.jsonl:2 (task t): timestamp must be an RFC 3339 date and time, found \"yesterday\"" },
  { L1 WITH ("\"timestamp\": \"2026-11-20\""), VD_QUEUE_ERROR_INVALID,
    "q.jsonl:2 (task t): timestamp must be an RFC 3339 date and time, found \"2026-11-20\"" },
  { L1 WITH ("\"due_at\": 5"), VD_QUEUE_ERROR_INVALID,
    "q.jsonl:2 (task t): due_at must be an RFC 3339 date and time, found 5" },
  { L1 WITH ("\"priority\": 2.5"), VD_QUEUE_ERROR_INVALID,
    "q.jsonl:2 (task t): priority must be an integer from -1000000 to 1000000, found 2.5" },
  { L1 WITH ("\"priority\": \"high\""), VD_QUEUE_ERROR_INVALID,
    "q.jsonl:2 (task t): priority must be an integer from -1000000 to 1000000, found \"high\"" },
  { L1 WITH ("\"priority\": 1e12"), VD_QUEUE_ERROR_INVALID,
    "q.jsonl:2 (task t): priority must be an integer from -1000000 to 1000000, found 1e+12" },
  { L1 WITH ("\"revision\": -1"), VD_QUEUE_ERROR_INVALID,
    "q.jsonl:2 (task t): revision must be an integer from 0 to 1000000, found -1" },
  { L1 WITH ("\"revision\": \"2\""), VD_QUEUE_ERROR_INVALID,
    "q.jsonl:2 (task t): revision must be an integer from 0 to 1000000, found \"2\"" },
  { L1 WITH ("\"status\": \"approved\""), VD_QUEUE_ERROR_INVALID,
    "q.jsonl:2 (task t): status must be pending, in_review or escalated (an imported item must "
    "be undecided), found \"approved\"" },
  { L1 WITH ("\"status\": \"completed\""), VD_QUEUE_ERROR_INVALID,
    "q.jsonl:2 (task t): status must be pending, in_review or escalated (an imported item must "
    "be undecided), found \"completed\"" },
  { L1 WITH ("\"status\": \"done\""), VD_QUEUE_ERROR_INVALID,
    "q.jsonl:2 (task t): status must be one of pending, in_review, escalated, found \"done\"" },
  { L1 WITH ("\"check\": \"x\""), VD_QUEUE_ERROR_INVALID,
    "q.jsonl:2 (task t): check must be an object, found \"x\"" },
  { L1 WITH ("\"check\": {\"expected\": \"maybe\"}"), VD_QUEUE_ERROR_INVALID,
    "q.jsonl:2 (task t): check.expected must be one of approve, reject, modify, escalate_further, "
    "found \"maybe\"" },
  { L1 "{\"task_id\": \"t\",", VD_QUEUE_ERROR_INVALID,
    "q.jsonl:2: not a JSON object: unexpected character `,', expected string constant "
    "(column 16)" },
  { L1 "[1, 2]", VD_QUEUE_ERROR_INVALID,
    "q.jsonl:2: expected a JSON object, found [1,2]" },
  { L1 "\"just text\"", VD_QUEUE_ERROR_INVALID,
    "q.jsonl:2: expected a JSON object, found \"just text\"" },
  { "", VD_QUEUE_ERROR_EMPTY, "q.jsonl: no items" },
  { "\n  \r\n\n", VD_QUEUE_ERROR_EMPTY, "q.jsonl: no items" },
  { "{\"verdict_queue\": 1}\n", VD_QUEUE_ERROR_EMPTY, "q.jsonl: no items" },
  { "[]", VD_QUEUE_ERROR_EMPTY, "q.jsonl: no items" },
  { "{\"verdict_queue\": 2, \"queue\": \"x\"}\n" GOOD ("a"), VD_QUEUE_ERROR_VERSION,
    "q.jsonl:1: verdict_queue must be 1, found 2" },
  { "{\"verdict_queue\": \"1\"}\n" GOOD ("a"), VD_QUEUE_ERROR_VERSION,
    "q.jsonl:1: verdict_queue must be 1, found \"1\"" },
  { "{\"verdict_queue\": 1, \"queue\": 5}\n" GOOD ("a"), VD_QUEUE_ERROR_INVALID,
    "q.jsonl:1: queue must be a non-empty string, found 5" },
  { "{\"verdict_queue\": 1, \"source\": []}\n" GOOD ("a"), VD_QUEUE_ERROR_INVALID,
    "q.jsonl:1: source must be a string, found []" },
  { L1 "\n{\"verdict_queue\": 1}\n", VD_QUEUE_ERROR_INVALID,
    "q.jsonl:3: verdict_queue: a header may only be the first line" },
  { GOOD ("a") "\n" GOOD ("b") "\n\n" GOOD ("a") "\n", VD_QUEUE_ERROR_DUPLICATE,
    "q.jsonl:4: task_id: \"a\" appears twice (first on line 1)" },
  { "[" GOOD ("a") ",", VD_QUEUE_ERROR_INVALID,
    "q.jsonl:1: not a JSON array: the file ends before the closing ']'" },
  { "[\n" GOOD ("a") ",\n" GOOD ("b") "\n", VD_QUEUE_ERROR_INVALID,
    "q.jsonl:3: not a JSON array: the file ends before the closing ']'" },
  { "[\n" GOOD ("a") ",\n]", VD_QUEUE_ERROR_INVALID,
    "q.jsonl:3: not a JSON array: expected an item after ',', found ']'" },
  { "[\n" GOOD ("a") "\n" GOOD ("b") "]", VD_QUEUE_ERROR_INVALID,
    "q.jsonl:3: not a JSON array: expected ',' or ']' after an item, found '{'" },
  { "[\n" GOOD ("a") "\n\xc3\xa9]", VD_QUEUE_ERROR_INVALID,
    "q.jsonl:3: not a JSON array: expected ',' or ']' after an item, found the byte 0xc3" },
  { "[" GOOD ("a") "]\n\n" GOOD ("b"), VD_QUEUE_ERROR_INVALID,
    "q.jsonl:3: unexpected text after the end of the JSON array" },
};

static void
test_errors (void)
{
  check_bad_cases (field_cases, G_N_ELEMENTS (field_cases), "q.jsonl");
}

static void
test_encoding (void)
{
  static const BadCase cases[] = {
    { L1 "{\"task_id\": \"t\xff\"}\n", VD_QUEUE_ERROR_ENCODING,
      "q.jsonl:2: not valid UTF-8 (byte offset 14)" },
    /* An overlong encoding of '/' is not UTF-8 either. */
    { L1 GOOD ("b") "\n" GOOD ("c") "\n{\"task_id\": \"\xc0\xaf\"}", VD_QUEUE_ERROR_ENCODING,
      "q.jsonl:4: not valid UTF-8 (byte offset 13)" },
    /* The offset counts from the start of the line, white space included. */
    { "\n   {\"a\": \"\xe2\x82\"}\n", VD_QUEUE_ERROR_ENCODING,
      "q.jsonl:2: not valid UTF-8 (byte offset 10)" },
  };
  static const char with_nul[] = GOOD ("a") "\n{\"task_id\": \"\0\"}\n";
  g_autoptr(VdQueueReader) reader = vd_queue_reader_new ();
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;

  check_bad_cases (cases, G_N_ELEMENTS (cases), "q.jsonl");

  items = vd_queue_reader_read_data (reader, with_nul, sizeof with_nul - 1, "q.jsonl",
                                     NULL, NULL, NULL, &error);
  g_assert_error (error, VD_QUEUE_ERROR, VD_QUEUE_ERROR_ENCODING);
  g_assert_cmpstr (error->message, ==, "q.jsonl:2: contains a NUL byte (byte offset 13)");
  g_assert_null (items);
}

static void
test_bom (void)
{
  g_autoptr(VdQueueReader) reader = vd_queue_reader_new ();
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;

  items = read_text (reader, "\xef\xbb\xbf{\"verdict_queue\": 1, \"queue\": \"b\"}\n" GOOD ("x"),
                     "q.jsonl", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 1);
  g_assert_cmpstr (vd_queue_reader_get_queue (reader), ==, "b");
}

static void
test_local_time (void)
{
  g_autoptr(VdQueueReader) reader = vd_queue_reader_new ();
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  const char *text =
    WITH ("\"timestamp\": \"2026-11-20T09:15:02.123456\"") "\n"
    "{\"task_id\": \"u\", \"task_description\": \"d\", \"timestamp\": \"2026-07-01T12:00:00\", "
    "\"due_at\": \"2026-07-02 12:00:00\", \"agent_output\": {\"content\": \"c\", "
    "\"confidence\": 0.5}}\n"
    "{\"task_id\": \"v\", \"task_description\": \"d\", \"timestamp\": \"2026-07-01T12:00:00Z\", "
    "\"due_at\": \"2026-07-01T12:00:00-04:00\", \"agent_output\": {\"content\": \"c\", "
    "\"confidence\": 0.5}}\n";

  /* main() sets TZ to Europe/Berlin: UTC+1 in November, UTC+2 in July. */
  items = read_text (reader, text, "q.jsonl", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 3);
  assert_timestamp (vd_item_get_timestamp (item_at (items, 0)), "2026-11-20T08:15:02.123456Z");
  assert_timestamp (vd_item_get_timestamp (item_at (items, 1)), "2026-07-01T10:00:00.000000Z");
  assert_timestamp (vd_item_get_due_at (item_at (items, 1)), "2026-07-02T10:00:00.000000Z");
  assert_timestamp (vd_item_get_timestamp (item_at (items, 2)), "2026-07-01T12:00:00.000000Z");
  assert_timestamp (vd_item_get_due_at (item_at (items, 2)), "2026-07-01T16:00:00.000000Z");
}

static void
test_crlf_blank (void)
{
  g_autoptr(VdQueueReader) reader = vd_queue_reader_new ();
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *bad = NULL;
  const char *text =
    "\r\n"
    "{\"verdict_queue\": 1, \"queue\": \"w\"}\r\n"
    "\r\n"
    "   \t \r\n"
    GOOD ("a") "\r\n"
    "\r\n"
    GOOD ("b") "\r\n";

  /* The header may follow blank lines; CR LF ends a line like LF. */
  items = read_text (reader, text, "q.jsonl", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 2);
  g_assert_cmpstr (vd_queue_reader_get_queue (reader), ==, "w");
  g_assert_cmpstr (vd_item_get_task_id (item_at (items, 0)), ==, "a");
  g_assert_cmpstr (vd_item_get_task_id (item_at (items, 1)), ==, "b");
  g_assert_cmpstr (vd_item_get_content (item_at (items, 1)), ==, "Fine");

  /* Line numbers count every line, blank ones included. */
  bad = g_strconcat (text, "{\"task_id\": \"c\", \"task_description\": \"line\\r\\nbreak\", "
                     "\"agent_output\": {\"content\": \"x\", \"confidence\": 2}}\r\n", NULL);
  g_clear_pointer (&items, g_ptr_array_unref);
  items = read_text (reader, bad, "q.jsonl", &error);
  g_assert_error (error, VD_QUEUE_ERROR, VD_QUEUE_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==,
                   "q.jsonl:8 (task c): agent_output.confidence must be a number from 0 to 1, "
                   "found 2");
  g_assert_null (items);
  g_clear_error (&error);

  /* No newline at the end of the last line. */
  items = read_text (reader, GOOD ("a") "\r\n" GOOD ("b"), "q.jsonl", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 2);
}

static void
test_skip_invalid (void)
{
  g_autoptr(VdQueueReader) reader = vd_queue_reader_new ();
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *problems;
  const char *text =
    "{\"verdict_queue\": 1, \"queue\": \"s\"}\n"
    GOOD ("a") "\n"
    OUT ("\"content\": \"c\", \"confidence\": 7") "\n"
    GOOD ("b") "\n"
    "not json\n"
    GOOD ("a") "\n"
    "{\"task_id\": \"bad\xfe\"}\n"
    GOOD ("c") "\n";

  g_assert_false (vd_queue_reader_get_skip_invalid (reader));
  vd_queue_reader_set_skip_invalid (reader, TRUE);
  g_assert_true (vd_queue_reader_get_skip_invalid (reader));

  items = read_text (reader, text, "q.jsonl", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 3);
  g_assert_cmpstr (vd_item_get_task_id (item_at (items, 0)), ==, "a");
  g_assert_cmpstr (vd_item_get_task_id (item_at (items, 1)), ==, "b");
  g_assert_cmpstr (vd_item_get_task_id (item_at (items, 2)), ==, "c");

  problems = vd_queue_reader_get_problems (reader);
  g_assert_cmpuint (problems->len, ==, 4);
  g_assert_cmpstr (g_ptr_array_index (problems, 0), ==,
                   "q.jsonl:3 (task t): agent_output.confidence must be a number from 0 to 1, "
                   "found 7");
  g_assert_cmpstr (g_ptr_array_index (problems, 1), ==,
                   "q.jsonl:5: not a JSON object: unexpected identifier `not', "
                   "expected value (column 3)");
  g_assert_cmpstr (g_ptr_array_index (problems, 2), ==,
                   "q.jsonl:6: task_id: \"a\" appears twice (first on line 2)");
  g_assert_cmpstr (g_ptr_array_index (problems, 3), ==,
                   "q.jsonl:7: not valid UTF-8 (byte offset 16)");

  /* A bad header still fails the whole read, and clears the problems. */
  g_clear_pointer (&items, g_ptr_array_unref);
  items = read_text (reader, "{\"verdict_queue\": 3}\n" GOOD ("a") "\nx\n", "q.jsonl", &error);
  g_assert_error (error, VD_QUEUE_ERROR, VD_QUEUE_ERROR_VERSION);
  g_assert_null (items);
  g_assert_cmpuint (vd_queue_reader_get_problems (reader)->len, ==, 0);
  g_clear_error (&error);

  /* Every line bad: no items but no error, the problems say why. */
  items = read_text (reader, "x\ny\n", "q.jsonl", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 0);
  g_assert_cmpuint (vd_queue_reader_get_problems (reader)->len, ==, 2);
}

static void
test_duplicates_per_queue (void)
{
  g_autoptr(VdQueueReader) reader = vd_queue_reader_new ();
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;

  /* Identity is (queue, task_id): the same id in two queues is fine. */
  items = read_text (reader,
                     GOOD ("a") "\n"
                     "{\"task_id\": \"a\", \"queue\": \"other\", \"task_description\": \"d\", "
                     "\"agent_output\": {\"content\": \"c\", \"confidence\": 0}}\n",
                     "q.jsonl", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 2);
  g_assert_cmpstr (vd_item_get_queue (item_at (items, 0)), ==, "q");
  g_assert_cmpstr (vd_item_get_queue (item_at (items, 1)), ==, "other");
}

/* Values that json-glib reads without a word but that would poison the
 * store: each is refused with its line and field. */
static const BadCase hostile_cases[] = {
  { L1 OUT ("\"content\": \"Refund \\ud800x\", \"confidence\": 0.5"), VD_QUEUE_ERROR_ENCODING,
    "q.jsonl:2 (task t): agent_output.content: not valid text: it holds an escape that is not a "
    "character (a lone surrogate such as \\ud800) or bytes that are not UTF-8" },
  { L1 WITH ("\"context\": \"\\udc00 is not a character\""), VD_QUEUE_ERROR_ENCODING,
    "q.jsonl:2 (task t): context: not valid text: it holds an escape that is not a "
    "character (a lone surrogate such as \\ud800) or bytes that are not UTF-8" },
  { L1 OUT ("\"content\": \"c\", \"confidence\": 0.5, "
            "\"metadata\": {\"lines\": [1, {\"amount\": 1e999}]}"), VD_QUEUE_ERROR_INVALID,
    "q.jsonl:2 (task t): agent_output.metadata.lines[1].amount: a number too large to represent "
    "(such as 1e999)" },
  { L1 OUT ("\"content\": \"c\", \"confidence\": 0.5, "
            "\"metadata\": {\"amount\": 99999999999999999999}"), VD_QUEUE_ERROR_INVALID,
    "q.jsonl:2: an integer too large to represent exactly (beyond 9223372036854775807) "
    "(column 118)" },
  { L1 OUT ("\"content\": \"Pay\\u0000 the rest\", \"confidence\": 0.5"),
    VD_QUEUE_ERROR_ENCODING,
    "q.jsonl:2: a string holds \\u0000 (a NUL character), which text cannot hold "
    "(column 75)" },
  { L1 WITH ("\"revision\": 2147483647"), VD_QUEUE_ERROR_INVALID,
    "q.jsonl:2 (task t): revision must be an integer from 0 to 1000000, found 2147483647" },
  { L1 WITH ("\"priority\": -2147483648"), VD_QUEUE_ERROR_INVALID,
    "q.jsonl:2 (task t): priority must be an integer from -1000000 to 1000000, found -2147483648" },
  /* json-glib quotes the string it could not read: the message stays text. */
  { L1 "{\"task_id\": \"t\", \"queue\": \"ab\\ude00\", \"x\": 1}", VD_QUEUE_ERROR_INVALID,
    "q.jsonl:2: not a JSON object: invalid string constant \"ab\xef\xbf\xbd\xef\xbf\xbd"
    "\xef\xbf\xbd, \", expected valid string constant (column 39)" },
  { "{\"verdict_queue\": 1, \"queue\": \"pay\\ud800ments\"}\n" GOOD ("t1") "\n",
    VD_QUEUE_ERROR_ENCODING,
    "q.jsonl:1: queue: not valid text: it holds an escape that is not a "
    "character (a lone surrogate such as \\ud800) or bytes that are not UTF-8" },
};

static void
test_hostile_values (void)
{
  check_bad_cases (hostile_cases, G_N_ELEMENTS (hostile_cases), "q.jsonl");
}

/* The case from the audit: 100,000 nested brackets in an item's metadata
 * (a 200 KB line) overflowed json-glib's stack. Now it is a refused line,
 * in both forms of the file, and --skip-invalid keeps the other items. */
static void
test_deep_nesting (void)
{
  g_autoptr(GString) deep = g_string_new (NULL);
  g_autoptr(GString) lines = g_string_new (L1);
  g_autoptr(GString) array = g_string_new ("[\n" GOOD ("t1") ",\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(VdQueueReader) reader = vd_queue_reader_new ();
  g_autoptr(VdQueueReader) skipping = vd_queue_reader_new ();

  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, '[');
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, ']');

  g_string_append_printf (lines, "{\"task_id\": \"deep\", \"task_description\": \"d\", "
                          "\"agent_output\": {\"content\": \"c\", \"confidence\": 0.5, "
                          "\"metadata\": {\"x\": %s}}}\n" GOOD ("t3") "\n", deep->str);

  items = vd_queue_reader_read_data (reader, lines->str, lines->len, "q.jsonl",
                                     NULL, NULL, NULL, &error);
  g_assert_null (items);
  g_assert_error (error, VD_QUEUE_ERROR, VD_QUEUE_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==,
                   "q.jsonl:2: arrays and objects nest more than 64 levels deep (column 177)");
  g_clear_error (&error);

  vd_queue_reader_set_skip_invalid (skipping, TRUE);
  items = vd_queue_reader_read_data (skipping, lines->str, lines->len, "q.jsonl",
                                     NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 2);
  g_assert_cmpuint (vd_queue_reader_get_problems (skipping)->len, ==, 1);
  g_clear_pointer (&items, g_ptr_array_unref);

  /* The array form: the item starts on line 3 and nests on the next one. */
  g_string_append_printf (array, "{\"task_id\": \"deep\", \"task_description\": \"d\",\n"
                          " \"agent_output\": {\"content\": \"c\", \"confidence\": 0.5, "
                          "\"metadata\": %s}}\n]\n", deep->str);
  items = vd_queue_reader_read_data (reader, array->str, array->len, "arr.json",
                                     NULL, NULL, NULL, &error);
  g_assert_null (items);
  g_assert_error (error, VD_QUEUE_ERROR, VD_QUEUE_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==,
                   "arr.json:3: arrays and objects nest more than 64 levels deep "
                   "(line 4, column 128)");
}

static void
test_too_long (void)
{
  g_autoptr(VdQueueReader) reader = vd_queue_reader_new ();
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) text = g_string_new (L1);
  const char *head = "{\"task_id\": \"long\", \"task_description\": \"";
  const char *tail = "\", \"agent_output\": {\"content\": \"c\", \"confidence\": 0.5}}";
  gsize fill = VD_QUEUE_MAX_LINE - strlen (head) - strlen (tail);

  /* A line of exactly the limit is read (the CR does not count)... */
  g_string_append (text, head);
  g_string_set_size (text, text->len + fill);
  memset (text->str + text->len - fill, 'x', fill);
  g_string_append (text, tail);
  g_assert_cmpuint (text->len - strlen (L1), ==, VD_QUEUE_MAX_LINE);
  g_string_append (text, "\r\n" L1);

  /* ...as the duplicate of task_0001 on line 3 shows. */
  items = vd_queue_reader_read_data (reader, text->str, text->len, "q.jsonl",
                                     NULL, NULL, NULL, &error);
  g_assert_error (error, VD_QUEUE_ERROR, VD_QUEUE_ERROR_DUPLICATE);
  g_assert_cmpstr (error->message, ==,
                   "q.jsonl:3: task_id: \"task_0001\" appears twice (first on line 1)");
  g_clear_error (&error);

  /* One byte more is refused. */
  g_string_insert_c (text, strlen (L1) + 50, 'x');
  items = vd_queue_reader_read_data (reader, text->str, text->len, "q.jsonl",
                                     NULL, NULL, NULL, &error);
  g_assert_error (error, VD_QUEUE_ERROR, VD_QUEUE_ERROR_TOO_LONG);
  g_assert_cmpstr (error->message, ==, "q.jsonl:2: line is longer than 16 MiB");
  g_assert_null (items);
  g_clear_error (&error);

  /* With skip-invalid reading goes on after the long line. */
  vd_queue_reader_set_skip_invalid (reader, TRUE);
  g_string_truncate (text, text->len - strlen (L1));
  g_string_append (text, GOOD ("z"));
  items = vd_queue_reader_read_data (reader, text->str, text->len, "q.jsonl",
                                     NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 2);
  g_assert_cmpstr (vd_item_get_task_id (item_at (items, 1)), ==, "z");
  g_assert_cmpuint (vd_queue_reader_get_problems (reader)->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (vd_queue_reader_get_problems (reader), 0), ==,
                   "q.jsonl:2: line is longer than 16 MiB");
}

static void
test_too_long_array (void)
{
  g_autoptr(VdQueueReader) reader = vd_queue_reader_new ();
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) text = g_string_new ("[\n" GOOD ("a") ",\n {\"task_id\": \"");

  g_string_set_size (text, text->len + VD_QUEUE_MAX_LINE);
  memset (text->str + text->len - VD_QUEUE_MAX_LINE, 'y', VD_QUEUE_MAX_LINE);
  g_string_append (text, "\"}\n]\n");

  items = vd_queue_reader_read_data (reader, text->str, text->len, "q.json",
                                     NULL, NULL, NULL, &error);
  g_assert_error (error, VD_QUEUE_ERROR, VD_QUEUE_ERROR_TOO_LONG);
  g_assert_cmpstr (error->message, ==, "q.json:3: item is longer than 16 MiB");
  g_assert_null (items);
}

typedef struct
{
  guint   calls;
  guint64 done;
  guint64 total;
  GCancellable *cancel_at_first;
} Progress;

static void
on_progress (guint64  done,
             guint64  total,
             gpointer user_data)
{
  Progress *progress = user_data;

  g_assert_cmpuint (done, <=, total);
  g_assert_cmpuint (done, >=, progress->done);
  progress->calls++;
  progress->done = done;
  progress->total = total;

  if (progress->cancel_at_first != NULL)
    g_cancellable_cancel (progress->cancel_at_first);
}

static GString *
generate_queue (guint n_items,
                gboolean as_array)
{
  GString *text = g_string_new (as_array ? "[\n" : "{\"verdict_queue\": 1, \"queue\": \"gen\"}\n");

  for (guint i = 0; i < n_items; i++)
    {
      g_string_append_printf (text,
                              "{\"task_id\": \"task_%06u\", \"task_description\": "
                              "\"Summarise ticket %u \\u00e9\\u00e8 \xe2\x82\xac\", "
                              "\"agent_output\": {\"content\": \"Summary %u: the customer "
                              "asks for a refund of the order with an itemised list\", "
                              "\"confidence\": %g, \"metadata\": {\"n\": %u}}}%s\n",
                              i, i, i, (i % 101) / 100.0, i,
                              as_array && i + 1 < n_items ? "," : "");
    }

  if (as_array)
    g_string_append (text, "]\n");

  return text;
}

static char *
write_temp (const char *name,
            GString    *text,
            char      **dir_out)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("verdict-reader-XXXXXX", &error);
  char *path;

  g_assert_no_error (error);
  path = g_build_filename (dir, name, NULL);
  g_file_set_contents (path, text->str, text->len, &error);
  g_assert_no_error (error);
  *dir_out = dir;
  return path;
}

static void
remove_temp (char *path,
             char *dir)
{
  g_assert_cmpint (g_remove (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
  g_free (path);
  g_free (dir);
}

static void
test_file (void)
{
  for (guint form = 0; form < 2; form++)
    {
      g_autoptr(VdQueueReader) reader = vd_queue_reader_new ();
      g_autoptr(GString) text = generate_queue (5000, form == 1);
      g_autoptr(GPtrArray) items = NULL;
      g_autoptr(GPtrArray) from_data = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(GFile) file = NULL;
      char *dir = NULL;
      char *path = write_temp ("generated.jsonl", text, &dir);
      Progress progress = { 0, };

      /* Big enough to be read in several chunks. */
      g_assert_cmpuint (text->len, >, 3 * 256 * 1024);

      file = g_file_new_for_path (path);
      items = vd_queue_reader_read_file (reader, file, on_progress, &progress, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (items->len, ==, 5000);
      g_assert_cmpuint (progress.calls, >=, 3);
      g_assert_cmpuint (progress.done, ==, text->len);
      g_assert_cmpuint (progress.total, ==, text->len);
      g_assert_cmpstr (vd_queue_reader_get_queue (reader), ==,
                       form == 1 ? "generated" : "gen");

      from_data = vd_queue_reader_read_data (reader, text->str, text->len, "generated.jsonl",
                                             NULL, NULL, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (from_data->len, ==, 5000);

      for (guint i = 0; i < items->len; i += 499)
        {
          g_autofree char *id = g_strdup_printf ("task_%06u", i);
          g_autofree char *description = g_strdup_printf ("Summarise ticket %u éè €", i);
          VdItem *item = item_at (items, i);

          g_assert_cmpstr (vd_item_get_task_id (item), ==, id);
          g_assert_cmpstr (vd_item_get_task_description (item), ==, description);
          g_assert_cmpfloat (vd_item_get_confidence (item), ==, (i % 101) / 100.0);
          g_assert_cmpint (json_object_get_int_member (vd_item_get_metadata (item), "n"),
                           ==, i);
          g_assert_cmpstr (vd_item_get_task_description (item_at (from_data, i)), ==,
                           description);
        }

      remove_temp (path, dir);
    }
}

static void
test_file_errors (void)
{
  g_autoptr(VdQueueReader) reader = vd_queue_reader_new ();
  g_autoptr(GString) text = generate_queue (4000, FALSE);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFile) missing = NULL;
  char *dir = NULL;
  char *path;
  Progress progress = { 0, };

  /* An error past the first chunks still names its line. */
  g_string_append (text, OUT ("\"content\": \"c\", \"confidence\": -3") "\n");
  path = write_temp ("late.jsonl", text, &dir);
  file = g_file_new_for_path (path);
  items = vd_queue_reader_read_file (reader, file, NULL, NULL, NULL, &error);
  g_assert_error (error, VD_QUEUE_ERROR, VD_QUEUE_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==,
                   "late.jsonl:4002 (task t): agent_output.confidence must be a number from 0 "
                   "to 1, "
                   "found -3");
  g_assert_null (items);
  g_clear_error (&error);

  /* Cancelled while reading. */
  progress.cancel_at_first = cancellable;
  items = vd_queue_reader_read_file (reader, file, on_progress, &progress, cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (items);
  g_assert_cmpuint (progress.calls, ==, 1);
  g_assert_cmpuint (progress.done, <, text->len);
  g_clear_error (&error);

  items = vd_queue_reader_read_data (reader, text->str, text->len, "late.jsonl",
                                     NULL, NULL, cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (items);
  g_clear_error (&error);

  missing = g_file_new_build_filename (dir, "missing.jsonl", NULL);
  items = vd_queue_reader_read_file (reader, missing, NULL, NULL, NULL, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_null (items);

  remove_temp (path, dir);
}

int
main (int   argc,
      char *argv[])
{
  /* Timestamps without a zone are local time: make local time known. */
  g_setenv ("TZ", "Europe/Berlin", TRUE);

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/queue-reader/header", test_header);
  g_test_add_func ("/queue-reader/queue-name", test_queue_name);
  g_test_add_func ("/queue-reader/no-header", test_no_header);
  g_test_add_func ("/queue-reader/array", test_array);
  g_test_add_func ("/queue-reader/array-lines", test_array_lines);
  g_test_add_func ("/queue-reader/errors", test_errors);
  g_test_add_func ("/queue-reader/encoding", test_encoding);
  g_test_add_func ("/queue-reader/bom", test_bom);
  g_test_add_func ("/queue-reader/local-time", test_local_time);
  g_test_add_func ("/queue-reader/crlf-blank", test_crlf_blank);
  g_test_add_func ("/queue-reader/skip-invalid", test_skip_invalid);
  g_test_add_func ("/queue-reader/duplicates-per-queue", test_duplicates_per_queue);
  g_test_add_func ("/queue-reader/hostile-values", test_hostile_values);
  g_test_add_func ("/queue-reader/deep-nesting", test_deep_nesting);
  g_test_add_func ("/queue-reader/too-long", test_too_long);
  g_test_add_func ("/queue-reader/too-long-array", test_too_long_array);
  g_test_add_func ("/queue-reader/file", test_file);
  g_test_add_func ("/queue-reader/file-errors", test_file_errors);

  return g_test_run ();
}
