/* test-format-prodigy.c
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

/* The data files follow Prodigy's documented task formats:
 * https://prodi.gy/docs/api-interfaces (classification, choice, ner_manual)
 * and https://prodi.gy/docs/api-loaders (JSONL, `meta`, `_input_hash`,
 * `_task_hash`). */

#include "config.h"

#include <math.h>
#include <string.h>

#include "vd-core.h"
#include "vd-format.h"
#include "vd-format-prodigy.h"
#include "vd-test-util.h"

static GBytes *
load_data (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "formats", "data", name, NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (contents, length);
}

static GPtrArray *
read_bytes (GBytes     *bytes,
            gboolean    skip_invalid,
            GPtrArray  *problems,
            GError    **error)
{
  VdFormatReadOptions options = {
    .filename = "tasks.jsonl",
    .queue = "news",
    .skip_invalid = skip_invalid,
  };

  return vd_format_prodigy_get_class ()->read (bytes, &options, problems, error);
}

static GPtrArray *
read_text (const char  *text,
           GError     **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));

  return read_bytes (bytes, FALSE, NULL, error);
}

static void
test_read (void)
{
  g_autoptr(GBytes) bytes = load_data ("prodigy-tasks.jsonl");
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  VdItem *item;
  JsonObject *source, *ids;

  items = read_bytes (bytes, FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 5);

  /* Classification: the label is the output, meta.score the confidence. */
  item = g_ptr_array_index (items, 0);
  g_assert_cmpstr (vd_item_get_queue (item), ==, "news");
  g_assert_cmpstr (vd_item_get_task_id (item), ==, "pg:-1403240473");
  g_assert_cmpstr (vd_item_get_context (item), ==,
                   "Apple updates its analytics service with new metrics");
  g_assert_cmpstr (vd_item_get_content (item), ==, "TECHNOLOGY");
  g_assert_cmpstr (vd_item_get_task_type (item), ==, "classification");
  g_assert_true (vd_item_has_confidence (item));
  g_assert_cmpfloat_with_epsilon (vd_item_get_confidence (item), 0.87, 1e-9);
  g_assert_cmpint (vd_item_get_escalation_reason (item), ==, VD_ESCALATION_REASON_NONE);
  g_assert_cmpstr (vd_item_get_source_format (item), ==, "prodigy");
  source = vd_item_get_source (item);
  ids = json_object_get_object_member (source, "ids");
  g_assert_cmpint (json_object_get_int_member (ids, "_input_hash"), ==, 1863145851);
  g_assert_cmpint (json_object_get_int_member (ids, "_task_hash"), ==, -1403240473);
  g_assert_cmpstr (json_object_get_string_member (vd_item_get_metadata (item), "label"), ==,
                   "TECHNOLOGY");

  /* Choice: the accepted options' texts; no score, so a human decides. */
  item = g_ptr_array_index (items, 1);
  g_assert_cmpstr (vd_item_get_content (item), ==, "Business");
  g_assert_false (vd_item_has_confidence (item));
  g_assert_true (isnan (vd_item_get_confidence (item)));
  g_assert_cmpint (vd_item_get_escalation_reason (item), ==,
                   VD_ESCALATION_REASON_POLICY_REQUIRED);

  /* Spans, the line after an empty one. */
  item = g_ptr_array_index (items, 2);
  g_assert_cmpstr (vd_item_get_task_id (item), ==, "pg:55120934");
  g_assert_cmpstr (vd_item_get_content (item), ==, "Tim Cook [PERSON]\nBerlin [GPE]");

  /* The model's answer in meta is the output. */
  item = g_ptr_array_index (items, 3);
  g_assert_cmpstr (vd_item_get_content (item), ==, "mixed");
  g_assert_false (vd_item_has_confidence (item));

  /* A score outside 0..1 is no confidence. */
  item = g_ptr_array_index (items, 4);
  g_assert_false (vd_item_has_confidence (item));

  /* Every item passes the model's own checks. */
  for (guint i = 0; i < items->len; i++)
    {
      vd_item_validate (g_ptr_array_index (items, i), &error);
      g_assert_no_error (error);
    }

  /* Ids stay the same when the file is read again. */
  {
    g_autoptr(GPtrArray) again = read_bytes (bytes, FALSE, NULL, &error);

    g_assert_no_error (error);
    for (guint i = 0; i < items->len; i++)
      g_assert_cmpstr (vd_item_get_task_id (g_ptr_array_index (items, i)), ==,
                       vd_item_get_task_id (g_ptr_array_index (again, i)));
  }
}

static void
test_no_hash (void)
{
  g_autoptr(GPtrArray) first = NULL;
  g_autoptr(GPtrArray) second = NULL;
  g_autoptr(GError) error = NULL;
  const char *text = "{\"text\": \"hello\", \"label\": \"GREETING\"}\n";

  first = read_text (text, &error);
  g_assert_no_error (error);
  second = read_text (text, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (first->len, ==, 1);
  g_assert_true (g_str_has_prefix (vd_item_get_task_id (g_ptr_array_index (first, 0)), "pg:"));
  g_assert_cmpuint (strlen (vd_item_get_task_id (g_ptr_array_index (first, 0))), ==, 19);
  g_assert_cmpstr (vd_item_get_task_id (g_ptr_array_index (first, 0)), ==,
                   vd_item_get_task_id (g_ptr_array_index (second, 0)));
}

/* Options offered but none accepted yet (found by the fuzzer): no output,
 * and an edit chooses them. */
static void
test_options_without_accept (void)
{
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(VdDecision) decision = NULL;
  VdItem *item;

  items = read_text ("{\"text\": \"a\", \"options\": [{\"id\": 1, \"text\": \"One\"}, "
                     "{\"id\": 0, \"text\": \"Two\"}], \"acceqt\": [1, 2]}\n", &error);
  g_assert_no_error (error);
  item = g_ptr_array_index (items, 0);
  g_assert_cmpstr (vd_item_get_content (item), ==, "");

  decision = vd_decision_new ("news", vd_item_get_task_id (item), VD_DECISION_KIND_MODIFY,
                              "alice");
  vd_decision_set_modified_content (decision, "Two\n1");
  g_assert_true (vd_format_check_decision (item, decision, &error));
  g_assert_no_error (error);
}

static VdDecision *
decide (VdItem         *item,
        VdDecisionKind  kind,
        const char     *modified)
{
  VdDecision *decision = vd_decision_new (vd_item_get_queue (item), vd_item_get_task_id (item),
                                          kind, "alice");
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_utc (1780000000);
  g_autoptr(GError) error = NULL;

  vd_decision_set_timestamp (decision, when);
  if (modified != NULL)
    vd_decision_set_modified_content (decision, modified);
  g_assert_true (vd_format_check_decision (item, decision, &error));
  g_assert_no_error (error);
  return decision;
}

static void
test_round_trip (void)
{
  g_autoptr(GBytes) bytes = load_data ("prodigy-tasks.jsonl");
  g_autoptr(GBytes) expected = load_data ("prodigy-answers.jsonl");
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) decisions = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GBytes) written = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(VdItem) other = vd_item_new ("news", "plain");
  VdFormatSummary summary = { 0 };
  struct { VdDecisionKind kind; const char *modified; } plan[] = {
    { VD_DECISION_KIND_APPROVE, NULL },
    { VD_DECISION_KIND_MODIFY, "Sports\n" },
    { VD_DECISION_KIND_REJECT, NULL },
    { VD_DECISION_KIND_MODIFY, "negative" },
    { VD_DECISION_KIND_ESCALATE_FURTHER, NULL },
  };

  items = read_bytes (bytes, FALSE, NULL, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < items->len; i++)
    {
      VdFormatEntry *entry = g_new0 (VdFormatEntry, 1);

      entry->item = g_ptr_array_index (items, i);
      entry->decision = decide (entry->item, plan[i].kind, plan[i].modified);
      g_ptr_array_add (decisions, entry->decision);
      g_ptr_array_add (entries, entry);
    }

  /* An undecided item and one from a Verdict queue. */
  {
    VdFormatEntry *entry = g_new0 (VdFormatEntry, 1);

    entry->item = g_ptr_array_index (items, 0);
    g_ptr_array_add (entries, entry);
    entry = g_new0 (VdFormatEntry, 1);
    entry->item = other;
    g_ptr_array_add (entries, entry);
  }

  g_assert_true (vd_format_prodigy_get_class ()->write (entries, out, &summary, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (summary.written, ==, 4);
  g_assert_cmpuint (summary.held_back, ==, 2);
  g_assert_cmpuint (summary.other, ==, 1);

  g_output_stream_close (out, NULL, &error);
  g_assert_no_error (error);
  written = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
  if (g_getenv ("VD_WRITE_EXPECTED") != NULL)
    g_file_set_contents (g_getenv ("VD_WRITE_EXPECTED"), g_bytes_get_data (written, NULL),
                         g_bytes_get_size (written), NULL);
  g_assert_cmpmem (g_bytes_get_data (written, NULL), g_bytes_get_size (written),
                   g_bytes_get_data (expected, NULL), g_bytes_get_size (expected));

  /* The items' sources are untouched by the answers. */
  g_assert_false (json_object_has_member (
    json_object_get_object_member (vd_item_get_source (g_ptr_array_index (items, 0)), "task"),
    "answer"));

  /* An option that is not one of the task's is refused. */
  {
    g_autoptr(VdDecision) bad = vd_decision_new ("news", "x", VD_DECISION_KIND_MODIFY, "alice");

    vd_decision_set_modified_content (bad, "Weather");
    g_assert_false (vd_format_check_decision (g_ptr_array_index (items, 1), bad, &error));
    g_assert_error (error, VD_FORMAT_ERROR, VD_FORMAT_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message, "“Weather” is not one of"));
    g_clear_error (&error);
  }
}

static void
assert_invalid (const char *text,
                const char *message)
{
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;

  items = read_text (text, &error);
  g_assert_null (items);
  g_assert_error (error, VD_FORMAT_ERROR, VD_FORMAT_ERROR_INVALID);
  if (!g_str_has_prefix (error->message, message))
    g_error ("expected “%s…”, got “%s”", message, error->message);
}

static void
test_malformed (void)
{
  g_autofree char *deep = NULL;
  g_autofree char *huge = NULL;

  assert_invalid ("{\"text\": \"a\"}\n{\"text\": 5, \"_task_hash\": 9}\n",
                  "tasks.jsonl: line 2 (id 9): text: expected a string, found a number");
  assert_invalid ("{\"label\": \"X\"}", "tasks.jsonl: line 1: text: missing");
  assert_invalid ("[1, 2]", "tasks.jsonl: line 1: expected a task object, found an array");
  assert_invalid ("{\"text\": \"a\", \"_task_hash\": \"9\"}",
                  "tasks.jsonl: line 1: _task_hash: expected an integer, found a string");
  assert_invalid ("{\"text\": \"a\", \"options\": [{\"id\": [], \"text\": \"A\"}]}",
                  "tasks.jsonl: line 1: options[0].id: expected a string or an integer");
  assert_invalid ("{\"text\": \"a\", \"options\": [{\"id\": 1}]}",
                  "tasks.jsonl: line 1: options[0].text: missing");
  assert_invalid ("{\"text\": \"a\", \"accept\": 1, \"options\": []}",
                  "tasks.jsonl: line 1: accept: expected an array, found a number");
  assert_invalid ("{\"text\": \"a\", \"spans\": [{\"end\": 1, \"label\": \"X\"}]}",
                  "tasks.jsonl: line 1: spans[0].start: missing");
  assert_invalid ("{\"text\": \"a\", \"meta\": {\"score\": \"high\"}}",
                  "tasks.jsonl: line 1: meta.score: expected a number, found a string");
  assert_invalid ("{\"text\": \"a\", \"meta\": []}",
                  "tasks.jsonl: line 1: meta: expected an object, found an array");
  assert_invalid ("{\"text\": \"a\", \"answer\": \"maybe\"}",
                  "tasks.jsonl: line 1: answer: expected one of accept, reject, ignore");
  assert_invalid ("{\"text\": \"a\\ud800\"}", "tasks.jsonl: line 1: ");
  assert_invalid ("{\"text\": \"a\"", "tasks.jsonl: line 1: ");

  deep = vd_test_nested_json (100000, "{\"a\": ", "1", "}");
  assert_invalid (deep, "tasks.jsonl: line 1: ");

  /* A line larger than the reader takes. */
  huge = g_malloc (17 * 1024 * 1024 + 32);
  strcpy (huge, "{\"text\": \"");
  memset (huge + 10, 'x', 17 * 1024 * 1024);
  strcpy (huge + 10 + 17 * 1024 * 1024, "\"}");
  assert_invalid (huge, "tasks.jsonl: line 1: larger than");
}

static void
test_skip_invalid (void)
{
  const char *text = "{\"text\": \"a\", \"label\": \"X\"}\n{\"text\": 1}\n{\"text\": \"b\"}\n";
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;

  items = read_bytes (bytes, TRUE, problems, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 2);
  g_assert_cmpuint (problems->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (problems, 0), ==,
                   "tasks.jsonl: line 2: text: expected a string, found a number");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/format-prodigy/read", test_read);
  g_test_add_func ("/format-prodigy/no-hash", test_no_hash);
  g_test_add_func ("/format-prodigy/options-without-accept", test_options_without_accept);
  g_test_add_func ("/format-prodigy/round-trip", test_round_trip);
  g_test_add_func ("/format-prodigy/malformed", test_malformed);
  g_test_add_func ("/format-prodigy/skip-invalid", test_skip_invalid);

  return g_test_run ();
}
