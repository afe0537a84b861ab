/* test-format-argilla.c
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

#define G_LOG_DOMAIN "test-format-argilla"

#include "config.h"

#include <math.h>
#include <string.h>

#include "vd-core.h"
#include "vd-format-argilla.h"

/*
 * The files in tests/formats/data/argilla-* are written from Argilla v2's
 * documented record shapes:
 *  - https://docs.argilla.io/latest/how_to_guides/import_export/ (to_json,
 *    to_list, to_datasets) and .../how_to_guides/record/ (fields, metadata,
 *    suggestions {value, score, agent}, responses {value, user_id, status});
 *  - the SDK's exporter, argilla/src/argilla/records/_io/_generic.py
 *    (flat keys `Q.suggestion`, `Q.suggestion.score`, `Q.suggestion.agent`,
 *    `Q.responses`, `Q.responses.users`, `Q.responses.status`) and
 *    _resource.py (Record.to_dict, the nested form);
 *  - Settings.to_json() for argilla-settings.json (questions with
 *    settings.type and settings.options).
 */

static const VdFormatClass *
klass (void)
{
  return vd_format_argilla_get_class ();
}

static GBytes *
load (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "formats", "data", name, NULL);
  g_autoptr(GError) error = NULL;
  char *data = NULL;
  gsize length = 0;

  g_file_get_contents (path, &data, &length, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (data, length);
}

static GPtrArray *
read_text (const char  *text,
           const char  *input_field,
           const char  *output_question,
           GPtrArray   *problems,
           GError     **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));
  VdFormatReadOptions options = {
    .filename = "records.json",
    .queue = "argilla-test",
    .skip_invalid = problems != NULL,
    .input_field = input_field,
    .output_question = output_question,
  };

  return klass ()->read (bytes, &options, problems, error);
}

static GPtrArray *
read_file (const char *name,
           const char *input_field,
           const char *output_question)
{
  g_autoptr(GBytes) bytes = load (name);
  g_autoptr(GError) error = NULL;
  GPtrArray *items;
  VdFormatReadOptions options = {
    .filename = name,
    .queue = "argilla-test",
    .input_field = input_field,
    .output_question = output_question,
  };

  items = klass ()->read (bytes, &options, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (items);

  for (guint i = 0; i < items->len; i++)
    {
      g_autoptr(GError) valid_error = NULL;

      g_assert_true (vd_item_validate (g_ptr_array_index (items, i), &valid_error));
      g_assert_no_error (valid_error);
    }
  return items;
}

static JsonObject *
metadata_argilla (VdItem *item)
{
  return json_object_get_object_member (vd_item_get_metadata (item), "argilla");
}

static void
test_nested_read (void)
{
  g_autoptr(GPtrArray) items = read_file ("argilla-nested.json", NULL, NULL);
  VdItem *item;
  JsonObject *source, *argilla;

  g_assert_cmpuint (items->len, ==, 4);

  item = g_ptr_array_index (items, 0);
  g_assert_cmpstr (vd_item_get_queue (item), ==, "argilla-test");
  g_assert_cmpstr (vd_item_get_task_id (item), ==, "ar:ticket-1042");
  g_assert_cmpstr (vd_item_get_context (item), ==,
                   "I was charged twice for my March invoice and nobody answers my emails."
                   "\n\nchannel:\nemail");
  g_assert_cmpstr (vd_item_get_content (item), ==, "negative");
  g_assert_cmpstr (vd_item_get_output_content_type (item), ==, "text/plain");
  g_assert_true (vd_item_has_confidence (item));
  g_assert_cmpfloat_with_epsilon (vd_item_get_confidence (item), 0.93, 1e-9);
  g_assert_cmpint (vd_item_get_escalation_reason (item), ==, VD_ESCALATION_REASON_NONE);
  g_assert_cmpstr (vd_item_get_reasoning (item), ==,
                   "Suggested by distilbert-base-uncased-finetuned-sst-2");
  g_assert_nonnull (strstr (vd_item_get_task_description (item), "\"sentiment\""));

  /* The record's metadata under its own names; the existing response is shown. */
  g_assert_cmpstr (json_object_get_string_member (vd_item_get_metadata (item), "source"), ==,
                   "support-inbox");
  argilla = metadata_argilla (item);
  g_assert_cmpstr (json_object_get_string_member (argilla, "question"), ==, "sentiment");
  g_assert_cmpstr (json_object_get_string_member (argilla, "input_field"), ==, "text");
  g_assert_true (json_object_has_member (argilla, "responses"));
  g_assert_cmpuint (json_array_get_length (
                      json_object_get_array_member (
                        json_object_get_object_member (argilla, "responses"), "sentiment")), ==, 1);

  source = vd_item_get_source (item);
  g_assert_cmpstr (vd_item_get_source_format (item), ==, "argilla");
  g_assert_cmpstr (json_object_get_string_member (source, "form"), ==, "nested");
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (source, "ids"), "record_id"), ==,
                   "ticket-1042");
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (source, "ids"), "_server_id"), ==,
                   "5a3e2f0d-93b4-4f5e-8c1a-0d2b3c4d5e6f");
  g_assert_false (json_object_has_member (source, "allowed_decisions"));

  /* No score: no confidence (never 0), and a human must see it. */
  item = g_ptr_array_index (items, 1);
  g_assert_false (vd_item_has_confidence (item));
  g_assert_true (isnan (vd_item_get_confidence (item)));
  g_assert_cmpint (vd_item_get_escalation_reason (item), ==, VD_ESCALATION_REASON_POLICY_REQUIRED);
  g_assert_nonnull (strstr (vd_item_get_escalation_detail (item), "Argilla"));
  g_assert_cmpstr (vd_item_get_content (item), ==, "positive");
}

static void
test_flat_read (void)
{
  g_autoptr(GPtrArray) items = read_file ("argilla-flat.jsonl", NULL, NULL);
  VdItem *item;
  JsonObject *argilla;

  g_assert_cmpuint (items->len, ==, 3);

  item = g_ptr_array_index (items, 0);
  g_assert_cmpstr (vd_item_get_task_id (item), ==, "ar:qa-7");
  g_assert_cmpstr (vd_item_get_context (item), ==,
                   "Summarise the refund policy in one sentence.\n\ncontext:\n"
                   "Refunds are granted within 30 days of purchase for annual plans; "
                   "monthly plans are not refunded.\n\ncategory:\npolicy");
  g_assert_cmpstr (vd_item_get_content (item), ==,
                   "Annual plans can be refunded within 30 days; monthly plans cannot.");
  g_assert_cmpfloat_with_epsilon (vd_item_get_confidence (item), 0.74, 1e-9);
  g_assert_cmpstr (vd_item_get_reasoning (item), ==, "Suggested by llama-3.1-8b-instruct");
  g_assert_cmpstr (json_object_get_string_member (vd_item_get_source (item), "form"), ==, "flat");
  g_assert_cmpstr (json_object_get_string_member (vd_item_get_source (item), "container"), ==,
                   "jsonl");

  /* The draft already given is shown in the nested shape. */
  item = g_ptr_array_index (items, 1);
  argilla = metadata_argilla (item);
  g_assert_cmpstr (json_object_get_string_member (
                     json_array_get_object_element (
                       json_object_get_array_member (
                         json_object_get_object_member (argilla, "responses"), "answer"), 0),
                     "status"), ==, "draft");

  item = g_ptr_array_index (items, 2);
  g_assert_false (vd_item_has_confidence (item));
  g_assert_cmpint (vd_item_get_escalation_reason (item), ==, VD_ESCALATION_REASON_POLICY_REQUIRED);
}

static void
test_mapping (void)
{
  g_autoptr(GPtrArray) items = read_file ("argilla-nested.json", "channel", "sentiment");
  g_autoptr(GPtrArray) flat = read_file ("argilla-flat.jsonl", "context", "answer");
  g_autoptr(GPtrArray) some = NULL;
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GBytes) bytes = load ("argilla-nested.json");
  g_autoptr(GError) error = NULL;
  VdFormatReadOptions options = {
    .filename = "argilla-nested.json",
    .queue = "q",
    .output_question = "topics",
  };

  g_assert_cmpstr (vd_item_get_context (g_ptr_array_index (items, 0)), ==,
                   "email\n\ntext:\nI was charged twice for my March invoice and nobody "
                   "answers my emails.");
  g_assert_cmpstr (vd_item_get_content (g_ptr_array_index (items, 0)), ==, "negative");
  g_assert_true (g_str_has_prefix (vd_item_get_context (g_ptr_array_index (flat, 0)),
                                   "Refunds are granted within 30 days"));

  /* Only the first record suggests topics: the others are named, and the
   * whole file is refused unless invalid records may be skipped. */
  some = klass ()->read (bytes, &options, NULL, &error);
  g_assert_error (error, VD_FORMAT_ERROR, VD_FORMAT_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "argilla-nested.json: record 2 (id ticket-1043): "
                   "suggestions.topics: the output question \"topics\" has no suggestion in "
                   "this record");
  g_assert_null (some);
  g_clear_error (&error);

  options.skip_invalid = TRUE;
  some = klass ()->read (bytes, &options, problems, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (some->len, ==, 1);
  g_assert_cmpuint (problems->len, ==, 3);
  g_assert_nonnull (strstr (g_ptr_array_index (problems, 2), "record 4 (id ticket-1045)"));
  g_assert_cmpstr (json_object_get_string_member (
                     vd_item_get_source (g_ptr_array_index (some, 0)), "question"), ==, "topics");
}

static void
test_mapping_output_question (void)
{
  const char *text =
    "[{\"id\": \"r1\", \"fields\": {\"text\": \"Shipping was slow.\", \"lang\": \"en\"},"
    "  \"suggestions\": {\"sentiment\": {\"value\": \"negative\", \"score\": 0.8, \"agent\": \"m\"},"
    "                   \"topics\": {\"value\": [\"shipping\"], \"score\": [0.9], \"agent\": \"m\"}}}]";
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  VdItem *item;

  items = read_text (text, "lang", "topics", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 1);
  item = g_ptr_array_index (items, 0);
  g_assert_cmpstr (vd_item_get_context (item), ==, "en\n\ntext:\nShipping was slow.");
  g_assert_cmpstr (vd_item_get_output_content_type (item), ==, "application/json");
  g_assert_nonnull (strstr (vd_item_get_content (item), "\"shipping\""));
  /* A list of scores (multi-label) is no single confidence. */
  g_assert_false (vd_item_has_confidence (item));
  g_assert_cmpstr (json_object_get_string_member (vd_item_get_source (item), "value_type"), ==,
                   "list");
  g_clear_pointer (&items, g_ptr_array_unref);

  items = read_text (text, "subject", NULL, NULL, &error);
  g_assert_error (error, VD_FORMAT_ERROR, VD_FORMAT_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "records.json: record 1 (id r1): fields.subject: the "
                   "input field \"subject\" is not in this record");
  g_assert_null (items);
  g_clear_error (&error);

  items = read_text (text, NULL, "quality", NULL, &error);
  g_assert_error (error, VD_FORMAT_ERROR, VD_FORMAT_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "records.json: record 1 (id r1): suggestions.quality: "
                   "the output question \"quality\" has no suggestion in this record");
  g_assert_null (items);
  g_clear_error (&error);

  items = read_text ("{\"id\": 5, \"text\": \"hi\", \"label.suggestion\": \"greeting\"}",
                     NULL, "topic", NULL, &error);
  g_assert_error (error, VD_FORMAT_ERROR, VD_FORMAT_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "records.json: line 1 (id 5): topic.suggestion: "
                   "the output question \"topic\" has no suggestion in this record");
  g_clear_error (&error);
}

static VdDecision *
decide (VdItem         *item,
        VdDecisionKind  kind,
        const char     *reviewer,
        const char     *modified)
{
  VdDecision *decision = vd_decision_new (vd_item_get_queue (item), vd_item_get_task_id (item),
                                          kind, reviewer);

  if (modified != NULL)
    vd_decision_set_modified_content (decision, modified);
  return decision;
}

static void
check_written (GPtrArray             *entries,
               const char            *expected_name,
               const VdFormatSummary *expected)
{
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GBytes) written = NULL;
  g_autoptr(GBytes) wanted = load (expected_name);
  g_autoptr(GError) error = NULL;
  VdFormatSummary summary = { 0 };

  g_assert_true (klass ()->write (entries, out, &summary, NULL, &error));
  g_assert_no_error (error);
  g_output_stream_close (out, NULL, NULL);
  written = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));

  if (!g_bytes_equal (written, wanted))
    {
      g_autofree char *path = g_build_filename (g_get_tmp_dir (), expected_name, NULL);

      g_file_set_contents (path, g_bytes_get_data (written, NULL), g_bytes_get_size (written),
                           NULL);
      g_test_message ("the answer differs from %s; it was written to %s", expected_name, path);
      g_test_fail ();
    }

  g_assert_cmpuint (summary.written, ==, expected->written);
  g_assert_cmpuint (summary.held_back, ==, expected->held_back);
  g_assert_cmpuint (summary.other, ==, expected->other);
}

static void
entries_add (GPtrArray  *entries,
             VdItem     *item,
             VdDecision *decision)
{
  VdFormatEntry *entry = g_new0 (VdFormatEntry, 1);

  entry->item = g_object_ref (item);
  entry->decision = decision;
  g_ptr_array_add (entries, entry);
}

static void
entry_free (gpointer data)
{
  VdFormatEntry *entry = data;

  g_clear_object (&entry->item);
  g_clear_object (&entry->decision);
  g_free (entry);
}

static void
test_nested_round_trip (void)
{
  g_autoptr(GPtrArray) items = read_file ("argilla-nested.json", NULL, NULL);
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (entry_free);
  g_autoptr(VdItem) own = vd_item_new ("argilla-test", "t-own");
  VdFormatSummary expected = { .written = 3, .held_back = 2, .other = 1 };
  VdItem *item;

  item = g_ptr_array_index (items, 0);
  entries_add (entries, item, decide (item, VD_DECISION_KIND_APPROVE, "alice", NULL));
  item = g_ptr_array_index (items, 1);
  entries_add (entries, item, decide (item, VD_DECISION_KIND_MODIFY, "alice", "  neutral\n"));
  item = g_ptr_array_index (items, 2);
  entries_add (entries, item, decide (item, VD_DECISION_KIND_REJECT, "alice", NULL));
  item = g_ptr_array_index (items, 3);
  entries_add (entries, item, NULL);
  entries_add (entries, item, decide (item, VD_DECISION_KIND_ESCALATE_FURTHER, "alice", NULL));
  entries_add (entries, own, decide (own, VD_DECISION_KIND_APPROVE, "alice", NULL));

  check_written (entries, "argilla-nested-answers.json", &expected);
}

static void
test_flat_round_trip (void)
{
  g_autoptr(GPtrArray) items = read_file ("argilla-flat.jsonl", NULL, NULL);
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (entry_free);
  g_autoptr(GPtrArray) again = NULL;
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;
  VdFormatSummary expected = { .written = 3 };
  VdFormatSummary summary = { 0 };
  VdFormatReadOptions options = { "answers.jsonl", "argilla-test", FALSE, NULL, NULL };
  g_autoptr(GBytes) written = NULL;
  JsonObject *argilla;
  VdItem *item;

  item = g_ptr_array_index (items, 0);
  entries_add (entries, item, decide (item, VD_DECISION_KIND_APPROVE, "alice", NULL));
  /* The same user's draft is replaced by their submitted answer. */
  item = g_ptr_array_index (items, 1);
  entries_add (entries, item,
               decide (item, VD_DECISION_KIND_MODIFY, "0b5c7c0e-6ee9-4e3e-9a8f-3c4d5e6f7a81",
                       "Open Settings > Data > Export; you get a ZIP of every project."));
  item = g_ptr_array_index (items, 2);
  entries_add (entries, item, decide (item, VD_DECISION_KIND_REJECT, "alice", NULL));

  check_written (entries, "argilla-flat-answers.jsonl", &expected);

  /* The answer reads back as the same items, the responses shown. */
  g_assert_true (klass ()->write (entries, out, &summary, NULL, &error));
  g_output_stream_close (out, NULL, NULL);
  written = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
  again = klass ()->read (written, &options, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (again->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpstr (vd_item_get_task_id (g_ptr_array_index (again, i)), ==,
                     vd_item_get_task_id (g_ptr_array_index (items, i)));
  argilla = metadata_argilla (g_ptr_array_index (again, 1));
  g_assert_cmpuint (json_array_get_length (
                      json_object_get_array_member (
                        json_object_get_object_member (argilla, "responses"), "answer")), ==, 1);
}

static void
assert_check (VdItem     *item,
              const char *modified,
              const char *expected_message)
{
  g_autoptr(VdDecision) decision = decide (item, VD_DECISION_KIND_MODIFY, "alice", modified);
  g_autoptr(GError) error = NULL;
  gboolean ok = klass ()->check_decision (item, decision, &error);

  if (expected_message == NULL)
    {
      g_assert_no_error (error);
      g_assert_true (ok);
    }
  else
    {
      g_assert_error (error, VD_FORMAT_ERROR, VD_FORMAT_ERROR_NOT_ALLOWED);
      g_assert_false (ok);
      g_assert_cmpstr (error->message, ==, expected_message);
    }
}

static void
test_check_decision (void)
{
  g_autoptr(GPtrArray) rating = read_file ("argilla-settings.json", NULL, NULL);
  g_autoptr(GPtrArray) label = read_file ("argilla-settings.json", "reply", "sentiment");
  g_autoptr(GPtrArray) multi = read_file ("argilla-settings.json", NULL, "labels");
  g_autoptr(GPtrArray) free_text = read_file ("argilla-flat.jsonl", NULL, NULL);
  g_autoptr(VdDecision) reject = NULL;
  g_autoptr(GError) error = NULL;
  VdItem *item;

  /* Rating: the first question with a suggestion, typed and in its options. */
  item = g_ptr_array_index (rating, 0);
  g_assert_cmpstr (json_object_get_string_member (vd_item_get_source (item), "question"), ==,
                   "quality");
  g_assert_cmpstr (vd_item_get_content (item), ==, "4");
  g_assert_cmpstr (vd_item_get_context (item), ==,
                   "My order is late.\n\nreply:\nSorry about that! It ships tomorrow.");
  assert_check (item, "5", NULL);
  assert_check (item, "7", "ar:conv-1: \"7\" is not a rating of the Argilla question "
                "\"quality\" (1, 2, 3, 4, 5)");
  assert_check (item, "four", "ar:conv-1: the answer to the Argilla question \"quality\" must "
                "be a whole number (a rating), not \"four\"");

  /* Labels known from the settings. */
  item = g_ptr_array_index (label, 0);
  g_assert_cmpstr (vd_item_get_context (item), ==,
                   "Sorry about that! It ships tomorrow.\n\nprompt:\nMy order is late.");
  g_assert_cmpstr (json_object_get_string_member (metadata_argilla (item), "question_type"), ==,
                   "label_selection");
  assert_check (item, "neutral", NULL);
  assert_check (item, "meh", "ar:conv-1: \"meh\" is not a label of the Argilla question "
                "\"sentiment\" (positive, neutral, negative)");
  assert_check (item, "   ", "ar:conv-1: the answer to the Argilla question \"sentiment\" is "
                "empty; reject instead");

  /* Multi-label: a JSON list of known labels. */
  item = g_ptr_array_index (multi, 0);
  g_assert_false (vd_item_has_confidence (item));
  assert_check (item, "[\"polite\"]", NULL);
  assert_check (item, "polite", "ar:conv-1: the answer to the Argilla question \"labels\" must "
                "be a JSON list of labels such as [\"a\", \"b\"] (not JSON: unexpected identifier "
                "`polite', expected value (line 1, column 6))");
  assert_check (item, "[\"rude\"]", "ar:conv-1: \"rude\" is not a label of the Argilla question "
                "\"labels\" (helpful, polite, off-topic)");
  assert_check (item, "[1]", "ar:conv-1: the answer to the Argilla question \"labels\" must "
                "be a JSON list of labels such as [\"a\", \"b\"]");

  /* A text question takes any text; approve and reject need no check. */
  item = g_ptr_array_index (free_text, 0);
  assert_check (item, "Anything the reviewer writes.", NULL);
  reject = decide (item, VD_DECISION_KIND_REJECT, "alice", NULL);
  g_assert_true (klass ()->check_decision (item, reject, &error));
  g_assert_no_error (error);
}

typedef struct
{
  const char *text;
  const char *message;   /* the whole message, or its start when it ends in "…" */
} Malformed;

static void
assert_refused (const char *text,
                const char *message)
{
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;

  items = read_text (text, NULL, NULL, NULL, &error);
  g_assert_null (items);
  g_assert_error (error, VD_FORMAT_ERROR, VD_FORMAT_ERROR_INVALID);
  if (g_str_has_suffix (message, "…"))
    {
      g_autofree char *start = g_strndup (message, strlen (message) - strlen ("…"));

      if (!g_str_has_prefix (error->message, start))
        g_error ("message \"%s\" does not start with \"%s\"", error->message, start);
    }
  else
    g_assert_cmpstr (error->message, ==, message);
}

static void
test_malformed (void)
{
  static const Malformed cases[] = {
    /* wrong types */
    { "[{\"id\": \"a\", \"fields\": {\"text\": \"x\"}, \"suggestions\": \"negative\"}]",
      "records.json: record 1 (id a): suggestions: expected an object, not a string" },
    { "[{\"id\": \"a\", \"fields\": {\"text\": \"x\"}, \"suggestions\": {\"label\": \"neg\"}}]",
      "records.json: record 1 (id a): suggestions.label: expected an object {value, score, "
      "agent}, not a string" },
    { "[{\"id\": \"a\", \"fields\": {\"text\": \"x\"}, \"suggestions\": {\"label\": "
      "{\"value\": \"neg\", \"score\": \"high\"}}}]",
      "records.json: record 1 (id a): suggestions.label.score: expected a number, not a string" },
    { "[{\"id\": \"a\", \"fields\": {\"text\": \"x\"}, \"suggestions\": {\"label\": "
      "{\"value\": \"neg\"}}, \"responses\": {\"label\": \"neg\"}}]",
      "records.json: record 1 (id a): responses.label: expected a list of responses, not a "
      "string" },
    { "[{\"id\": \"a\", \"fields\": {\"text\": \"x\"}, \"suggestions\": {\"label\": "
      "{\"value\": \"neg\"}}, \"metadata\": [1]}]",
      "records.json: record 1 (id a): metadata: expected an object, not a list" },
    { "[{\"id\": [1], \"fields\": {\"text\": \"x\"}}]",
      "records.json: record 1: id: expected a string, not a list" },
    { "[1]", "records.json: record 1: expected a record (an object), not a number" },
    { "{\"id\": \"f\", \"text\": \"x\", \"label.suggestion\": \"neg\", "
      "\"label.suggestion.agent\": 5}",
      "records.json: line 1 (id f): label.suggestion.agent: expected a string, not a number" },
    { "{\"id\": \"f\", \"text\": \"x\", \"label.suggestion\": \"neg\", "
      "\"label.responses\": \"neg\"}",
      "records.json: line 1 (id f): label.responses: expected a list of response values, not "
      "a string" },
    { "{\"settings\": [], \"records\": []}",
      "records.json: settings: expected an object, not a list" },
    { "{\"records\": {}}", "records.json: records: expected a list of records, not an object" },
    /* missing parts */
    { "[{\"id\": \"a\", \"fields\": {\"text\": \"x\"}}]",
      "records.json: record 1 (id a): suggestions: no suggestion to review: the record needs a "
      "suggested answer to a question" },
    { "[{\"id\": \"a\", \"fields\": {\"text\": \"x\"}, \"suggestions\": {\"label\": "
      "{\"value\": null, \"score\": 0.5}}}]",
      "records.json: record 1 (id a): suggestions: no suggestion to review: the record needs a "
      "suggested answer to a question" },
    { "", "records.json: no Argilla records" },
    { "label,text\nneg,x\n", "records.json: not JSON: expected a list of Argilla records or "
      "JSON Lines of records" },
    /* broken JSON, bad escapes */
    { "{\"id\": \"a\", \"text\": \"x\", \"label.suggestion\": \"neg\"}\n{\"id\": ",
      "records.json: line 2: …" },
    { "[{\"id\": \"a\", \"fields\": {\"text\": \"\\ud800\"}, \"suggestions\": {\"label\": "
      "{\"value\": \"neg\"}}}]",
      "records.json: not JSON: invalid string constant…" },
    { "{\"id\": \"a\", \"text\": \"nul \\u0000 here\", \"label.suggestion\": \"neg\"}",
      "records.json: line 1: a string holds \\u0000…" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("case %u", i);
      assert_refused (cases[i].text, cases[i].message);
    }
}

static void
test_hostile (void)
{
  g_autoptr(GString) deep = g_string_new (NULL);
  g_autoptr(GString) huge = g_string_new ("[{\"id\": \"big\", \"fields\": {\"text\": \"x\"}, "
                                          "\"suggestions\": {\"label\": {\"value\": \"");
  g_autoptr(GString) deep_lines = g_string_new ("{\"id\": \"a\", \"text\": \"x\", "
                                                "\"label.suggestion\": \"neg\"}\n"
                                                "{\"a\": ");

  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, '[');
  assert_refused (deep->str, "records.json: arrays and objects nest more than 64 levels deep…");

  for (guint i = 0; i < 100000; i++)
    g_string_append (deep_lines, "{\"a\": ");
  assert_refused (deep_lines->str, "records.json: line 2: arrays and objects nest more than 64 "
                  "levels deep…");

  g_string_set_size (huge, huge->len + 17 * 1024 * 1024);
  memset (huge->str + huge->len - 17 * 1024 * 1024, 'a', 17 * 1024 * 1024);
  g_string_append (huge, "\"}}}]");
  assert_refused (huge->str, "records.json: record 1 (id big): suggestions.label.value: longer "
                  "than 16 MiB");
}

static void
test_skip_invalid_lines (void)
{
  const char *text =
    "{\"id\": \"a\", \"text\": \"x\", \"label.suggestion\": \"neg\", \"label.suggestion.score\": 0.4}\n"
    "not json\n"
    "\n"
    "{\"id\": \"c\", \"text\": \"y\", \"label.suggestion\": \"pos\", \"label.suggestion.score\": 7}\n";
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  VdItem *item;

  items = read_text (text, NULL, NULL, problems, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 2);
  g_assert_cmpuint (problems->len, ==, 1);
  g_assert_true (g_str_has_prefix (g_ptr_array_index (problems, 0), "records.json: line 2: "));

  /* A score outside 0..1 is no confidence. */
  item = g_ptr_array_index (items, 1);
  g_assert_cmpstr (vd_item_get_task_id (item), ==, "ar:c");
  g_assert_false (vd_item_has_confidence (item));
  g_assert_cmpfloat_with_epsilon (vd_item_get_confidence (g_ptr_array_index (items, 0)), 0.4,
                                  1e-9);
  g_clear_pointer (&items, g_ptr_array_unref);

  /* A byte order mark and CRLF line ends, as Windows tools write them. */
  items = read_text ("\xef\xbb\xbf{\"id\": \"a\", \"text\": \"x\", \"l.suggestion\": \"n\"}\r\n"
                     "{\"id\": \"b\", \"text\": \"y\", \"l.suggestion\": \"p\"}\r\n",
                     NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 2);
  g_assert_cmpstr (vd_item_get_task_id (g_ptr_array_index (items, 1)), ==, "ar:b");
}

static void
test_stable_ids (void)
{
  const char *text =
    "[{\"fields\": {\"text\": \"no id here\"}, \"suggestions\": {\"label\": {\"value\": \"a\"}}},"
    " {\"fields\": {\"text\": \"nor here\"}, \"suggestions\": {\"label\": {\"value\": \"a\"}}},"
    " {\"id\": 17, \"fields\": {\"text\": \"a number\"}, \"suggestions\": {\"label\": "
    "{\"value\": \"a\"}}}]";
  g_autoptr(GPtrArray) first = read_text (text, NULL, NULL, NULL, NULL);
  g_autoptr(GPtrArray) second = read_text (text, NULL, NULL, NULL, NULL);
  g_autoptr(GPtrArray) nested = read_file ("argilla-nested.json", NULL, NULL);
  g_autoptr(GPtrArray) nested_again = read_file ("argilla-nested.json", NULL, NULL);
  const char *id0 = vd_item_get_task_id (g_ptr_array_index (first, 0));

  g_assert_true (g_str_has_prefix (id0, "ar:sha256-"));
  g_assert_cmpuint (strlen (id0), ==, strlen ("ar:sha256-") + 16);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpstr (vd_item_get_task_id (g_ptr_array_index (first, i)), ==,
                     vd_item_get_task_id (g_ptr_array_index (second, i)));
  g_assert_cmpstr (id0, !=, vd_item_get_task_id (g_ptr_array_index (first, 1)));
  g_assert_cmpstr (vd_item_get_task_id (g_ptr_array_index (first, 2)), ==, "ar:17");
  g_assert_cmpint (json_object_get_int_member (
                     json_object_get_object_member (
                       vd_item_get_source (g_ptr_array_index (first, 2)), "ids"), "record_id"),
                   ==, 17);
  for (guint i = 0; i < nested->len; i++)
    g_assert_cmpstr (vd_item_get_task_id (g_ptr_array_index (nested, i)), ==,
                     vd_item_get_task_id (g_ptr_array_index (nested_again, i)));
}

static JsonObject *
parse_object (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_assert_true (json_parser_load_from_data (parser, text, -1, NULL));
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static void
test_sniff (void)
{
  static const struct
  {
    const char *record;
    gboolean    argilla;
  } cases[] = {
    { "{\"id\": \"a\", \"fields\": {\"text\": \"x\"}, \"suggestions\": {}}", TRUE },
    { "{\"id\": \"a\", \"text\": \"x\", \"label.suggestion\": \"neg\"}", TRUE },
    { "{\"id\": \"a\", \"text\": \"x\", \"label.responses\": [\"neg\"]}", TRUE },
    { "{\"data\": {\"text\": \"x\"}, \"predictions\": []}", FALSE },
    { "{\"text\": \"x\", \"label\": \"neg\", \"_input_hash\": 1, \"_task_hash\": 2}", FALSE },
    { "{\"fields\": \"x\"}", FALSE },
  };

  g_assert_cmpstr (klass ()->name, ==, "argilla");
  g_assert_nonnull (klass ()->label);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonObject) record = parse_object (cases[i].record);

      g_assert_cmpint (klass ()->sniff (record), ==, cases[i].argilla);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/format-argilla/nested/read", test_nested_read);
  g_test_add_func ("/format-argilla/flat/read", test_flat_read);
  g_test_add_func ("/format-argilla/mapping/files", test_mapping);
  g_test_add_func ("/format-argilla/mapping/options", test_mapping_output_question);
  g_test_add_func ("/format-argilla/nested/round-trip", test_nested_round_trip);
  g_test_add_func ("/format-argilla/flat/round-trip", test_flat_round_trip);
  g_test_add_func ("/format-argilla/check-decision", test_check_decision);
  g_test_add_func ("/format-argilla/malformed", test_malformed);
  g_test_add_func ("/format-argilla/hostile", test_hostile);
  g_test_add_func ("/format-argilla/skip-invalid", test_skip_invalid_lines);
  g_test_add_func ("/format-argilla/stable-ids", test_stable_ids);
  g_test_add_func ("/format-argilla/sniff", test_sniff);

  return g_test_run ();
}
