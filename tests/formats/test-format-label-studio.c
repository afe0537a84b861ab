/* test-format-label-studio.c
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

#include <math.h>
#include <string.h>

#include "vd-decision.h"
#include "vd-format-label-studio.h"
#include "vd-item.h"

/*
 * The files in tests/formats/data/label-studio-*.json are written from
 * Label Studio's documented task format:
 *  - https://labelstud.io/guide/tasks (the basic JSON task format: `id`,
 *    `data`, `predictions`, `annotations`, `meta`; dynamic choices from a
 *    data field of `{"value": ...}` objects),
 *  - https://labelstud.io/guide/predictions (`model_version`, `score`,
 *    `result` entries with `id`, `from_name`, `to_name`, `type`, `value`),
 *  - https://labelstud.io/guide/export and
 *    https://labelstud.io/guide/task_format (annotations: `result`,
 *    `was_cancelled`, `ground_truth`, `lead_time`).
 * label-studio-classification.json is a sentiment project with two models'
 * predictions on one task; label-studio-generation.json one task object
 * (not a list) with a textarea summary; label-studio-mixed.json a support
 * queue with choices (dynamic options), textarea, labels and a task with no
 * score; label-studio-mixed-annotations.json is what the round trip answers.
 */


static GBytes *
load_data (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "formats", "data", name, NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);

  return g_bytes_new_take (contents, length);
}

static GPtrArray *
read_text (const char *text,
           gboolean    skip_invalid,
           GPtrArray  *problems,
           GError    **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));
  VdFormatReadOptions options = { "tasks.json", "support", skip_invalid, NULL, NULL };

  return vd_format_label_studio_get_class ()->read (bytes, &options, problems, error);
}

static GPtrArray *
read_file (const char *name)
{
  g_autoptr(GBytes) bytes = load_data (name);
  g_autoptr(GError) error = NULL;
  VdFormatReadOptions options = { name, "support", FALSE, NULL, NULL };
  GPtrArray *items;

  items = vd_format_label_studio_get_class ()->read (bytes, &options, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (items);

  return items;
}

static JsonNode *
metadata_member (VdItem     *item,
                 const char *name)
{
  return json_object_get_member (vd_item_get_metadata (item), name);
}

static void
test_classification (void)
{
  g_autoptr(GPtrArray) items = read_file ("label-studio-classification.json");
  g_autoptr(GDateTime) created = NULL;
  VdItem *item;
  JsonObject *source, *ids, *meta;
  JsonArray *others;
  JsonObject *other;

  g_assert_cmpuint (items->len, ==, 2);
  item = g_ptr_array_index (items, 0);

  g_assert_cmpstr (vd_item_get_queue (item), ==, "support");
  g_assert_cmpstr (vd_item_get_task_id (item), ==, "ls:1");
  g_assert_cmpstr (vd_item_get_task_type (item), ==, "classification");
  g_assert_cmpstr (vd_item_get_task_description (item), ==,
                   "Check the predicted choice for “sentiment”");
  g_assert_cmpstr (vd_item_get_context (item), ==,
                   "The battery lasts two full days and the screen is gorgeous. "
                   "Best phone I have owned.");
  /* The second prediction has the higher score. */
  g_assert_cmpstr (vd_item_get_content (item), ==, "Positive");
  g_assert_cmpstr (vd_item_get_output_content_type (item), ==, "text/plain");
  g_assert_true (vd_item_has_confidence (item));
  g_assert_cmpfloat_with_epsilon (vd_item_get_confidence (item), 0.91, 1e-9);
  g_assert_cmpint (vd_item_get_escalation_reason (item), ==, VD_ESCALATION_REASON_NONE);
  g_assert_cmpstr (vd_item_get_reasoning (item), ==,
                   "Prediction by model version “sentiment-llm-v3”, score 0.91. The task has 1 "
                   "other prediction: see other_predictions in the metadata.");

  created = g_date_time_new_from_iso8601 ("2026-03-09T21:52:49.513742Z", NULL);
  g_assert_true (g_date_time_equal (vd_item_get_timestamp (item), created));

  g_assert_cmpstr (json_node_get_string (metadata_member (item, "model_version")), ==,
                   "sentiment-llm-v3");
  g_assert_cmpint (json_node_get_int (metadata_member (item, "prediction")), ==, 1);
  g_assert_cmpstr (json_node_get_string (metadata_member (item, "input_field")), ==, "text");
  g_assert_cmpstr (json_node_get_string (metadata_member (item, "from_name")), ==, "sentiment");
  meta = json_node_get_object (metadata_member (item, "meta"));
  g_assert_cmpstr (json_object_get_string_member (meta, "source"), ==, "app-store-reviews");

  /* The other prediction, beside it. */
  others = json_node_get_array (metadata_member (item, "other_predictions"));
  g_assert_cmpuint (json_array_get_length (others), ==, 1);
  other = json_array_get_object_element (others, 0);
  g_assert_cmpstr (json_object_get_string_member (other, "model_version"), ==,
                   "sentiment-bert-2026-01");
  g_assert_cmpstr (json_object_get_string_member (other, "output"), ==, "Negative");
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (other, "score"), 0.62, 1e-9);

  source = vd_item_get_source (item);
  g_assert_cmpstr (vd_item_get_source_format (item), ==, "label-studio");
  ids = json_object_get_object_member (source, "ids");
  g_assert_cmpint (json_object_get_int_member (ids, "task_id"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (source, "output"), ==, "choices");
  g_assert_true (vd_item_allows_decision (item, VD_DECISION_KIND_MODIFY));

  item = g_ptr_array_index (items, 1);
  g_assert_cmpstr (vd_item_get_task_id (item), ==, "ls:2");
  g_assert_null (metadata_member (item, "other_predictions"));
}

static void
test_generation (void)
{
  g_autoptr(GPtrArray) items = read_file ("label-studio-generation.json");
  VdItem *item;

  g_assert_cmpuint (items->len, ==, 1);
  item = g_ptr_array_index (items, 0);

  g_assert_cmpstr (vd_item_get_task_id (item), ==, "ls:4821");
  g_assert_cmpstr (vd_item_get_task_type (item), ==, "generation");
  /* to_name "email" names the data field, not the first string. */
  g_assert_cmpstr (json_node_get_string (metadata_member (item, "input_field")), ==, "email");
  /* The other text fields follow under their names. */
  g_assert_cmpstr (vd_item_get_context (item), ==,
                   "email:\nHello, I ordered the blue kettle (order 55102) on 2 March and was "
                   "charged twice. Please refund the second charge. Thanks, Dana\n\n"
                   "ticket:\nT-88213\n\n"
                   "prompt:\nSummarise the customer's email in one sentence for the support "
                   "queue.");
  g_assert_cmpstr (vd_item_get_content (item), ==,
                   "Customer was charged twice for order 55102 and asks for a refund of the "
                   "second charge.");
  /* No prediction score: the result's score is the confidence. */
  g_assert_true (vd_item_has_confidence (item));
  g_assert_cmpfloat_with_epsilon (vd_item_get_confidence (item), 0.74, 1e-9);
}

static const char *
chosen_output (const char *predictions)
{
  g_autofree char *text = g_strdup_printf ("{\"id\": 9, \"data\": {\"text\": \"t\"}, "
                                           "\"predictions\": %s}", predictions);
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  static char output[64];

  items = read_text (text, FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 1);
  g_strlcpy (output, vd_item_get_content (g_ptr_array_index (items, 0)), sizeof output);

  return output;
}

#define PRED(score, choice) \
  "{" score "\"result\": [{\"from_name\": \"c\", \"to_name\": \"text\", \"type\": \"choices\", " \
  "\"value\": {\"choices\": [\"" choice "\"]}}]}"

#define TASK_HEAD "[{\"id\": 7, \"data\": {\"text\": \"hello\"}, "
#define RESULT(body) "\"predictions\": [{\"result\": [" body "]}]}]"
#define ENTRY(extra) "{\"from_name\": \"c\", \"to_name\": \"text\", \"type\": \"choices\", " \
  extra "\"value\": {\"choices\": [\"A\"]}}"

static void
test_highest_score (void)
{
  /* The highest score wins, the first of equal ones, a prediction with no
   * score never beats one with a score. */
  g_assert_cmpstr (chosen_output ("[" PRED ("", "A") ", " PRED ("\"score\": 0.3,", "B") ", "
                                  PRED ("\"score\": 0.8,", "C") ", "
                                  PRED ("\"score\": 0.8,", "D") "]"), ==, "C");
  g_assert_cmpstr (chosen_output ("[" PRED ("\"score\": 0.2,", "A") ", " PRED ("", "B") "]"),
                   ==, "A");
  /* None has a score: the first. */
  g_assert_cmpstr (chosen_output ("[" PRED ("", "A") ", " PRED ("", "B") "]"), ==, "A");
  /* Scores outside 0..1 still rank, negative ones too. */
  g_assert_cmpstr (chosen_output ("[" PRED ("\"score\": -3,", "A") ", "
                                  PRED ("\"score\": -1,", "B") "]"), ==, "B");
  g_assert_cmpstr (chosen_output ("[" PRED ("\"score\": 0.9,", "A") ", "
                                  PRED ("\"score\": 12,", "B") "]"), ==, "B");
}

static void
test_confidence (void)
{
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  VdItem *item;

  /* A score outside 0..1 is no confidence; the result's score is. */
  items = read_text ("[{\"id\": 1, \"data\": {\"text\": \"t\"}, \"predictions\": [{\"score\": 12, "
                     "\"result\": [{\"from_name\": \"c\", \"to_name\": \"text\", \"type\": "
                     "\"choices\", \"score\": 0.6, \"value\": {\"choices\": [\"A\"]}}]}]},"
                     "{\"id\": 2, \"data\": {\"text\": \"t\"}, \"predictions\": [{\"score\": 12, "
                     "\"result\": [{\"from_name\": \"c\", \"to_name\": \"text\", \"type\": "
                     "\"choices\", \"value\": {\"choices\": [\"A\"]}}]}]}]",
                     FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 2);

  item = g_ptr_array_index (items, 0);
  g_assert_cmpfloat_with_epsilon (vd_item_get_confidence (item), 0.6, 1e-9);

  /* None at all: never 0, and a human must see it. */
  item = g_ptr_array_index (items, 1);
  g_assert_false (vd_item_has_confidence (item));
  g_assert_true (isnan (vd_item_get_confidence (item)));
  g_assert_cmpint (vd_item_get_escalation_reason (item), ==,
                   VD_ESCALATION_REASON_POLICY_REQUIRED);
  g_assert_nonnull (strstr (vd_item_get_escalation_detail (item), "Label Studio"));
}

static void
test_hash_ids (void)
{
  const char *text = "[{\"data\": {\"text\": \"one\"}, \"predictions\": [" PRED ("", "A") "]},"
    " {\"data\": {\"text\": \"two\"}, \"predictions\": [" PRED ("", "A") "]}]";
  g_autoptr(GPtrArray) first = read_text (text, FALSE, NULL, NULL);
  g_autoptr(GPtrArray) again = read_text (text, FALSE, NULL, NULL);
  const char *id0 = vd_item_get_task_id (g_ptr_array_index (first, 0));
  const char *id1 = vd_item_get_task_id (g_ptr_array_index (first, 1));

  g_assert_true (g_str_has_prefix (id0, "ls:sha256-"));
  g_assert_cmpuint (strlen (id0), ==, strlen ("ls:sha256-") + 16);
  g_assert_cmpstr (id0, !=, id1);
  g_assert_cmpstr (id0, ==, vd_item_get_task_id (g_ptr_array_index (again, 0)));
  g_assert_cmpstr (id1, ==, vd_item_get_task_id (g_ptr_array_index (again, 1)));
  g_assert_true (json_object_has_member (json_object_get_object_member (
                                           vd_item_get_source (g_ptr_array_index (first, 0)),
                                           "ids"), "task_hash"));
}

static void
test_json_output (void)
{
  g_autoptr(GPtrArray) items = read_file ("label-studio-mixed.json");
  VdItem *item = g_ptr_array_index (items, 4);
  g_autoptr(JsonNode) content = NULL;

  g_assert_cmpstr (vd_item_get_task_id (item), ==, "ls:105");
  g_assert_cmpstr (vd_item_get_output_content_type (item), ==, "application/json");
  content = json_from_string (vd_item_get_content (item), NULL);
  g_assert_nonnull (content);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (content));
  g_assert_cmpuint (json_array_get_length (json_node_get_array (content)), ==, 2);
}

static VdDecision *
make_decision (VdItem         *item,
               VdDecisionKind  kind,
               const char     *feedback,
               const char     *modified,
               gint64          duration_ms)
{
  VdDecision *decision = vd_decision_new (vd_item_get_queue (item), vd_item_get_task_id (item),
                                          kind, "alice");
  g_autoptr(GDateTime) when = g_date_time_new_utc (2026, 12, 7, 9, 30, 0);

  vd_decision_set_feedback (decision, feedback);
  vd_decision_set_modified_content (decision, modified);
  vd_decision_set_duration_ms (decision, duration_ms);
  vd_decision_set_timestamp (decision, when);

  return decision;
}

static void
test_check_decision (void)
{
  g_autoptr(GPtrArray) mixed = read_file ("label-studio-mixed.json");
  g_autoptr(GPtrArray) plain = read_file ("label-studio-classification.json");
  const VdFormatClass *klass = vd_format_label_studio_get_class ();
  struct {
    GPtrArray     *items;
    guint          index;
    VdDecisionKind kind;
    const char    *modified;
    const char    *message; /* the message's start; NULL: accepted */
  } cases[] = {
    /* The task's dynamic choices bound a modified classification. */
    { mixed, 0, VD_DECISION_KIND_MODIFY, "Billing", NULL },
    { mixed, 0, VD_DECISION_KIND_MODIFY, "Billing\nAccount\n", NULL },
    { mixed, 0, VD_DECISION_KIND_MODIFY, "Shipping",
      "the modified output names “Shipping”, which is not one of the task's choices "
      "(Billing, Technical, Account)" },
    { mixed, 0, VD_DECISION_KIND_MODIFY, " \n ", "the modified output names no choice: "
      "write one choice a line" },
    /* Without choices in the task, any non-empty text. */
    { plain, 0, VD_DECISION_KIND_MODIFY, "Mixed", NULL },
    { plain, 0, VD_DECISION_KIND_MODIFY, "", "the modified output names no choice: "
      "write one choice a line" },
    { mixed, 1, VD_DECISION_KIND_MODIFY, "A better answer.", NULL },
    { mixed, 1, VD_DECISION_KIND_MODIFY, "\n\t ", "the modified output is empty" },
    /* Results shown as JSON are edited as JSON results. */
    { mixed, 4, VD_DECISION_KIND_MODIFY,
      "[{\"from_name\": \"label\", \"to_name\": \"text\", \"type\": \"labels\", "
      "\"value\": {\"start\": 0, \"end\": 4, \"labels\": [\"Person\"]}}]", NULL },
    { mixed, 4, VD_DECISION_KIND_MODIFY, "{\"labels\": 1}",
      "the modified output must be a list of Label Studio results, found an object" },
    { mixed, 4, VD_DECISION_KIND_MODIFY, "[{\"from_name\": \"label\", \"to_name\": \"text\", "
      "\"type\": \"labels\"}]",
      "the modified output is not a valid Label Studio result: [0].value: missing" },
    { mixed, 4, VD_DECISION_KIND_MODIFY, "[", "the modified output is not JSON: " },
    /* Other kinds need no check. */
    { mixed, 0, VD_DECISION_KIND_APPROVE, NULL, NULL },
    { mixed, 0, VD_DECISION_KIND_REJECT, NULL, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      VdItem *item = g_ptr_array_index (cases[i].items, cases[i].index);
      g_autoptr(VdDecision) decision = make_decision (item, cases[i].kind, NULL,
                                                      cases[i].modified, 0);
      g_autoptr(GError) error = NULL;
      gboolean ok = klass->check_decision (item, decision, &error);

      if (cases[i].message == NULL)
        {
          g_assert_no_error (error);
          g_assert_true (ok);
        }
      else
        {
          g_assert_false (ok);
          g_assert_error (error, VD_FORMAT_ERROR, VD_FORMAT_ERROR_INVALID);
          if (!g_str_has_prefix (error->message, cases[i].message))
            g_error ("case %u: “%s” does not start with “%s”", i, error->message,
                     cases[i].message);
        }
    }
}

/* The answer as written, checked to be JSON and to end with a newline. */
static char *
write_entries (GPtrArray       *entries,
               VdFormatSummary *summary)
{
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;

  g_assert_true (vd_format_label_studio_get_class ()->write (entries, out, summary, NULL,
                                                             &error));
  g_assert_no_error (error);
  g_output_stream_close (out, NULL, NULL);
  bytes = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
  text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_assert_true (g_str_has_suffix (text, "]\n"));

  node = json_from_string (text, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (node));

  return g_steal_pointer (&text);
}

static void
free_entry (gpointer  data)
{
  VdFormatEntry *entry = data;

  g_clear_object (&entry->item);
  g_clear_object (&entry->decision);
  g_free (entry);
}

static void
add_entry (GPtrArray  *entries,
           VdItem     *item,
           VdDecision *decision)
{
  VdFormatEntry *entry = g_new0 (VdFormatEntry, 1);

  entry->item = g_object_ref (item);
  entry->decision = decision;
  g_ptr_array_add (entries, entry);
}

static void
test_round_trip (void)
{
  g_autoptr(GPtrArray) items = read_file ("label-studio-mixed.json");
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (free_entry);
  g_autoptr(GBytes) expected_bytes = load_data ("label-studio-mixed-annotations.json");
  g_autofree char *written = NULL;
  g_autoptr(VdItem) other = vd_item_new ("support", "plain-1");
  VdFormatSummary summary = { 0 };

  g_assert_cmpuint (items->len, ==, 6);

  add_entry (entries, g_ptr_array_index (items, 0),
             make_decision (g_ptr_array_index (items, 0), VD_DECISION_KIND_MODIFY,
                            "A cancelled plan still billed is a billing question.",
                            "Billing", 12500));
  add_entry (entries, g_ptr_array_index (items, 1),
             make_decision (g_ptr_array_index (items, 1), VD_DECISION_KIND_APPROVE, NULL,
                            NULL, 4200));
  add_entry (entries, g_ptr_array_index (items, 2),
             make_decision (g_ptr_array_index (items, 2), VD_DECISION_KIND_REJECT,
                            "Spam, not a support request.", NULL, 3000));
  add_entry (entries, g_ptr_array_index (items, 3),
             make_decision (g_ptr_array_index (items, 3), VD_DECISION_KIND_ESCALATE_FURTHER,
                            "Needs a native speaker.", NULL, 8000));
  add_entry (entries, g_ptr_array_index (items, 4),
             make_decision (g_ptr_array_index (items, 4), VD_DECISION_KIND_MODIFY, NULL,
                            "[{\"id\": \"e1\", \"from_name\": \"label\", \"to_name\": \"text\", "
                            "\"type\": \"labels\", \"value\": {\"start\": 0, \"end\": 10, "
                            "\"text\": \"Dana Smith\", \"labels\": [\"Person\"]}}]", 20000));
  add_entry (entries, g_ptr_array_index (items, 5), NULL);
  add_entry (entries, other,
             make_decision (other, VD_DECISION_KIND_APPROVE, NULL, NULL, 1000));

  written = write_entries (entries, &summary);
  g_assert_cmpuint (summary.written, ==, 4);
  g_assert_cmpuint (summary.held_back, ==, 2);
  g_assert_cmpuint (summary.other, ==, 1);

  /* Byte for byte: the expected file is what Label Studio is given. */
  g_assert_cmpstr (written, ==, g_bytes_get_data (expected_bytes, NULL));
}

static void
test_write_automatic (void)
{
  g_autoptr(GPtrArray) items = read_file ("label-studio-classification.json");
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (free_entry);
  g_autoptr(VdDecision) decision = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *written = NULL;
  VdFormatSummary summary = { 0 };
  JsonObject *task, *verdict, *annotation;

  /* The policy's approval says so: it is not a reviewer's. */
  decision = make_decision (g_ptr_array_index (items, 1), VD_DECISION_KIND_APPROVE, NULL, NULL,
                            0);
  vd_decision_set_automatic (decision, TRUE);
  add_entry (entries, g_ptr_array_index (items, 1), g_steal_pointer (&decision));

  written = write_entries (entries, &summary);
  g_assert_cmpuint (summary.written, ==, 1);
  node = json_from_string (written, NULL);
  task = json_array_get_object_element (json_node_get_array (node), 0);
  g_assert_cmpint (json_object_get_int_member (task, "id"), ==, 2);
  g_assert_false (json_object_has_member (task, "predictions"));
  verdict = json_object_get_object_member (json_object_get_object_member (task, "meta"),
                                           "verdict");
  g_assert_true (json_object_get_boolean_member (verdict, "automatic"));
  annotation = json_array_get_object_element (json_object_get_array_member (task,
                                                                            "annotations"), 0);
  g_assert_false (json_object_has_member (annotation, "completed_by"));
  g_assert_cmpfloat (json_object_get_double_member (annotation, "lead_time"), ==, 0.0);
}

static void
test_write_list_meta (void)
{
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (free_entry);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *written = NULL;
  VdFormatSummary summary = { 0 };
  JsonObject *meta;

  /* Label Studio takes a list as a task's meta: it is kept beside the
   * decision. */
  items = read_text ("{\"id\": 5, \"meta\": [\"batch-7\"], \"data\": {\"text\": \"t\"}, "
                     "\"predictions\": [{\"result\": [" ENTRY ("") "]}]}", FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (metadata_member (g_ptr_array_index (items, 0), "meta")));
  add_entry (entries, g_ptr_array_index (items, 0),
             make_decision (g_ptr_array_index (items, 0), VD_DECISION_KIND_REJECT, "Off topic.",
                            NULL, 1500));

  written = write_entries (entries, &summary);
  node = json_from_string (written, NULL);
  meta = json_object_get_object_member (json_array_get_object_element (json_node_get_array (node),
                                                                       0), "meta");
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (meta,
                                                                                "task_meta"),
                                                  0), ==, "batch-7");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (meta,
                                                                                 "verdict"),
                                                  "feedback"), ==, "Off topic.");
}

static void
test_write_bad_edit (void)
{
  g_autoptr(GPtrArray) items = read_file ("label-studio-mixed.json");
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (free_entry);
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;
  VdFormatSummary summary = { 0 };

  /* A decision that never passed check_decision is refused, not written. */
  add_entry (entries, g_ptr_array_index (items, 0),
             make_decision (g_ptr_array_index (items, 0), VD_DECISION_KIND_MODIFY, NULL,
                            "Shipping", 0));
  g_assert_false (vd_format_label_studio_get_class ()->write (entries, out, &summary, NULL,
                                                              &error));
  g_assert_error (error, VD_FORMAT_ERROR, VD_FORMAT_ERROR_INVALID);
  g_assert_true (g_str_has_prefix (error->message, "ls:101: the modified output names"));
}

static void
test_sniff (void)
{
  const VdFormatClass *klass = vd_format_label_studio_get_class ();
  struct {
    const char *json;
    gboolean    expected;
  } cases[] = {
    { "{\"id\": 1, \"data\": {\"text\": \"x\"}, \"predictions\": []}", TRUE },
    { "{\"data\": {\"text\": \"x\"}, \"annotations\": []}", TRUE },
    { "{\"data\": {\"text\": \"x\"}}", FALSE },
    { "{\"data\": \"x\", \"predictions\": []}", FALSE },
    { "{\"task_id\": \"t\", \"agent_output\": {\"content\": \"x\"}}", FALSE },
    { "{\"text\": \"x\", \"label\": \"A\", \"answer\": \"accept\"}", FALSE },
    { "{\"fields\": {\"text\": \"x\"}, \"suggestions\": {}}", FALSE },
  };

  g_assert_cmpstr (klass->name, ==, "label-studio");
  g_assert_nonnull (klass->label);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonNode) node = json_from_string (cases[i].json, NULL);

      g_assert_cmpint (klass->sniff (json_node_get_object (node)), ==, cases[i].expected);
    }
}

static void
test_malformed (void)
{
  g_autofree char *deep = NULL;
  g_autofree char *long_name = NULL;
  g_autofree char *huge_text = NULL;
  g_autoptr(GString) builder = g_string_new (NULL);
  struct {
    const char *json;
    const char *message;
  } cases[] = {
    { "", "tasks.json: no tasks: the file is empty" },
    { "[{\"id\": 1,",
      "tasks.json: line 1, column 10: unexpected character `,', expected string constant" },
    { "42", "tasks.json: expected a task object or a list of tasks, found a number" },
    { "[\"task\"]", "tasks.json: record 1: expected a task object, found a string" },
    { "[{\"id\": true, \"data\": {}}]",
      "tasks.json: record 1: id: expected an integer or a string, found true or false" },
    { "[{\"id\": 3.5, \"data\": {}}]",
      "tasks.json: record 1: id: expected an integer or a string, found a number" },
    { "[{\"id\": \"\", \"data\": {}}]",
      "tasks.json: record 1: id: expected a non-empty text of at most 1024 bytes" },
    { "[{\"id\": 7}]", "tasks.json: record 1 (id 7): data: missing" },
    { "[{\"id\": 7, \"data\": [\"hello\"]}]",
      "tasks.json: record 1 (id 7): data: expected an object, found a list" },
    { TASK_HEAD "\"meta\": 3, \"predictions\": []}]",
      "tasks.json: record 1 (id 7): meta: expected an object or a list, found a number" },
    { TASK_HEAD "\"annotations\": {}, \"predictions\": []}]",
      "tasks.json: record 1 (id 7): annotations: expected a list, found an object" },
    { TASK_HEAD "\"created_at\": \"yesterday\", \"predictions\": []}]",
      "tasks.json: record 1 (id 7): created_at: expected an RFC 3339 time such as "
      "2026-03-09T21:52:49Z" },
    { TASK_HEAD "\"created_at\": 5, \"predictions\": []}]",
      "tasks.json: record 1 (id 7): created_at: expected a string, found a number" },
    { "[{\"id\": 7, \"data\": {\"text\": \"hello\"}}]",
      "tasks.json: record 1 (id 7): predictions: missing: a task needs a prediction to review" },
    { TASK_HEAD "\"predictions\": []}]",
      "tasks.json: record 1 (id 7): predictions: empty: a task needs a prediction to review" },
    { TASK_HEAD "\"predictions\": {}}]",
      "tasks.json: record 1 (id 7): predictions: expected a list, found an object" },
    { TASK_HEAD "\"predictions\": [null]}]",
      "tasks.json: record 1 (id 7): predictions[0]: expected a prediction object, found null" },
    { TASK_HEAD "\"predictions\": [{\"score\": \"high\", \"result\": []}]}]",
      "tasks.json: record 1 (id 7): predictions[0].score: expected a number, found a string" },
    { TASK_HEAD "\"predictions\": [{\"model_version\": 3, \"result\": []}]}]",
      "tasks.json: record 1 (id 7): predictions[0].model_version: expected a string, "
      "found a number" },
    { TASK_HEAD "\"predictions\": [{\"score\": 0.5}]}]",
      "tasks.json: record 1 (id 7): predictions[0].result: missing" },
    { TASK_HEAD "\"predictions\": [{\"result\": \"Positive\"}]}]",
      "tasks.json: record 1 (id 7): predictions[0].result: expected a list of results, "
      "found a string" },
    { TASK_HEAD "\"predictions\": [{\"result\": []}]}]",
      "tasks.json: record 1 (id 7): predictions[0].result: empty: the prediction has nothing "
      "to review" },
    { TASK_HEAD RESULT ("[]"),
      "tasks.json: record 1 (id 7): predictions[0].result[0]: expected a result object, "
      "found a list" },
    { TASK_HEAD RESULT ("{\"to_name\": \"text\", \"type\": \"choices\", \"value\": {}}"),
      "tasks.json: record 1 (id 7): predictions[0].result[0].from_name: missing" },
    { TASK_HEAD RESULT ("{\"from_name\": \"c\", \"to_name\": 1, \"type\": \"choices\"}"),
      "tasks.json: record 1 (id 7): predictions[0].result[0].to_name: expected a string, "
      "found a number" },
    { TASK_HEAD RESULT ("{\"from_name\": \"c\", \"to_name\": \"text\", \"type\": \"\"}"),
      "tasks.json: record 1 (id 7): predictions[0].result[0].type: empty" },
    { TASK_HEAD RESULT ("{\"from_name\": \"c\", \"to_name\": \"text\", \"type\": null}"),
      "tasks.json: record 1 (id 7): predictions[0].result[0].type: expected a string, "
      "found null" },
    { TASK_HEAD RESULT ("{\"from_name\": \"c\", \"to_name\": \"text\", \"type\": \"choices\"}"),
      "tasks.json: record 1 (id 7): predictions[0].result[0].value: missing" },
    { TASK_HEAD RESULT ("{\"from_name\": \"c\", \"to_name\": \"text\", \"type\": \"choices\", "
                        "\"value\": \"A\"}"),
      "tasks.json: record 1 (id 7): predictions[0].result[0].value: expected an object, "
      "found a string" },
    { TASK_HEAD RESULT (ENTRY ("\"id\": 4, ")),
      "tasks.json: record 1 (id 7): predictions[0].result[0].id: expected a string, "
      "found a number" },
    { TASK_HEAD RESULT (ENTRY ("\"score\": [1], ")),
      "tasks.json: record 1 (id 7): predictions[0].result[0].score: expected a number, "
      "found a list" },
    { TASK_HEAD RESULT ("{\"from_name\": \"c\", \"to_name\": \"text\", \"type\": \"choices\", "
                        "\"value\": {\"choices\": \"A\"}}"),
      "tasks.json: record 1 (id 7): predictions[0].result[0].value.choices: expected a list "
      "of strings, found a string" },
    { TASK_HEAD RESULT ("{\"from_name\": \"c\", \"to_name\": \"text\", \"type\": \"choices\", "
                        "\"value\": {\"choices\": [\"A\", 2]}}"),
      "tasks.json: record 1 (id 7): predictions[0].result[0].value.choices: item 1: expected "
      "a string, found a number" },
    { TASK_HEAD RESULT ("{\"from_name\": \"c\", \"to_name\": \"text\", \"type\": \"textarea\", "
                        "\"value\": {}}"),
      "tasks.json: record 1 (id 7): predictions[0].result[0].value.text: missing" },
    { TASK_HEAD RESULT ("{\"from_name\": \"c\", \"to_name\": \"text\", \"type\": \"textarea\", "
                        "\"value\": {\"text\": []}}"),
      "tasks.json: record 1 (id 7): predictions[0].result[0].value.text: empty" },
    /* A bad later prediction refuses the task too. */
    { TASK_HEAD "\"predictions\": [{\"result\": [" ENTRY ("") "]}, {\"result\": 1}]}]",
      "tasks.json: record 1 (id 7): predictions[1].result: expected a list of results, "
      "found a number" },
    /* Bad escapes and numbers, named by their path in the task. */
    { "[{\"id\": 7, \"data\": {\"text\": \"bad \\ud800 escape\"}}]",
      "tasks.json: record 1 (id 7): data.text: not valid text: it holds an escape that is not a "
      "character (a lone surrogate such as \\ud800) or bytes that are not UTF-8" },
    { TASK_HEAD "\"predictions\": [{\"score\": 1e999, \"result\": []}]}]",
      "tasks.json: record 1 (id 7): predictions[0].score: a number too large to represent "
      "(such as 1e999)" },
    { "[{\"id\": 99999999999999999999}]",
      NULL /* the guard's integer range: checked by prefix below */ },
    /* The same task twice. */
    { "[{\"id\": 7, \"data\": {\"text\": \"a\"}, \"predictions\": [{\"result\": [" ENTRY ("")
      "]}]}, {\"id\": 7, \"data\": {\"text\": \"b\"}, \"predictions\": [{\"result\": ["
      ENTRY ("") "]}]}]",
      "tasks.json: record 2 (id 7): id: the same task as record 1" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GPtrArray) items = NULL;
      g_autoptr(GError) error = NULL;

      items = read_text (cases[i].json, FALSE, NULL, &error);
      g_assert_null (items);
      g_assert_error (error, VD_FORMAT_ERROR, VD_FORMAT_ERROR_INVALID);
      if (cases[i].message == NULL)
        g_assert_true (g_str_has_prefix (error->message, "tasks.json: line 1, column "));
      else if (g_strcmp0 (error->message, cases[i].message) != 0)
        g_error ("case %u: “%s”, expected “%s”", i, error->message, cases[i].message);
    }

  /* Deep nesting is refused before json-glib recurses into it. */
  g_string_append (builder, "[{\"id\": 1, \"data\": {\"text\": ");
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (builder, '[');
  deep = g_string_free (g_steal_pointer (&builder), FALSE);
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) items = read_text (deep, FALSE, NULL, &error);

    g_assert_null (items);
    g_assert_error (error, VD_FORMAT_ERROR, VD_FORMAT_ERROR_INVALID);
    g_assert_true (g_str_has_prefix (error->message, "tasks.json: line 1, column "));
    g_assert_nonnull (strstr (error->message, "deep"));
  }

  /* Huge names and texts. */
  {
    g_autofree char *name = g_strnfill (2000, 'n');
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) items = NULL;

    long_name = g_strdup_printf (TASK_HEAD "\"predictions\": [{\"model_version\": \"%s\", "
                                 "\"result\": [" ENTRY ("") "]}]}]", name);
    items = read_text (long_name, FALSE, NULL, &error);
    g_assert_null (items);
    g_assert_cmpstr (error->message, ==, "tasks.json: record 1 (id 7): "
                     "predictions[0].model_version: longer than 1024 bytes");
  }
  {
    g_autofree char *text = g_strnfill (5 * 1024 * 1024, 'x');
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) items = NULL;

    huge_text = g_strdup_printf ("{\"id\": 8, \"data\": {\"text\": \"%s\"}, \"predictions\": "
                                 "[{\"result\": [" ENTRY ("") "]}]}", text);
    items = read_text (huge_text, FALSE, NULL, &error);
    g_assert_null (items);
    g_assert_cmpstr (error->message, ==, "tasks.json: record 1 (id 8): data.text: "
                     "longer than 4194304 bytes");
  }
  {
    g_autofree char *text = g_strnfill (3 * 1024 * 1024, 'x');
    g_autofree char *json = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) items = NULL;

    json = g_strdup_printf ("{\"id\": 9, \"data\": {\"text\": \"%s\", \"notes\": \"%s\"}, "
                            "\"predictions\": [{\"result\": [" ENTRY ("") "]}]}", text, text);
    items = read_text (json, FALSE, NULL, &error);
    g_assert_null (items);
    g_assert_cmpstr (error->message, ==, "tasks.json: record 1 (id 9): data: the text fields "
                     "are longer than 4194304 bytes together");
  }
}

static void
test_skip_invalid (void)
{
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;

  items = read_text ("[{\"id\": 1, \"data\": {\"text\": \"a\"}, \"predictions\": [{\"result\": ["
                     ENTRY ("") "]}]}, {\"id\": 2, \"data\": 5}, {\"id\": 3, \"data\": "
                     "{\"text\": \"c\"}, \"predictions\": [{\"result\": [" ENTRY ("") "]}]}]",
                     TRUE, problems, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 2);
  g_assert_cmpstr (vd_item_get_task_id (g_ptr_array_index (items, 1)), ==, "ls:3");
  g_assert_cmpuint (problems->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (problems, 0), ==,
                   "tasks.json: record 2 (id 2): data: expected an object, found a number");

  /* Without it, nothing is read from the file. */
  g_clear_pointer (&items, g_ptr_array_unref);
  items = read_text ("[{\"id\": 1, \"data\": {\"text\": \"a\"}, \"predictions\": [{\"result\": ["
                     ENTRY ("") "]}]}, {\"id\": 2, \"data\": 5}]", FALSE, NULL, &error);
  g_assert_null (items);
  g_assert_error (error, VD_FORMAT_ERROR, VD_FORMAT_ERROR_INVALID);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/format/label-studio/classification", test_classification);
  g_test_add_func ("/format/label-studio/generation", test_generation);
  g_test_add_func ("/format/label-studio/highest-score", test_highest_score);
  g_test_add_func ("/format/label-studio/confidence", test_confidence);
  g_test_add_func ("/format/label-studio/hash-ids", test_hash_ids);
  g_test_add_func ("/format/label-studio/json-output", test_json_output);
  g_test_add_func ("/format/label-studio/check-decision", test_check_decision);
  g_test_add_func ("/format/label-studio/round-trip", test_round_trip);
  g_test_add_func ("/format/label-studio/write-automatic", test_write_automatic);
  g_test_add_func ("/format/label-studio/write-list-meta", test_write_list_meta);
  g_test_add_func ("/format/label-studio/write-bad-edit", test_write_bad_edit);
  g_test_add_func ("/format/label-studio/sniff", test_sniff);
  g_test_add_func ("/format/label-studio/malformed", test_malformed);
  g_test_add_func ("/format/label-studio/skip-invalid", test_skip_invalid);

  return g_test_run ();
}
