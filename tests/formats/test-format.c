/* test-format.c
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
#include "vd-format.h"
#include "vd-format-prodigy.h"
#include "vd-test-util.h"

static const VdFormatClass *
detect_text (const char  *text,
             GError     **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));

  return vd_format_detect (bytes, "input.json", error);
}

static void
test_lookup (void)
{
  const VdFormatClass * const *list;
  gboolean found = FALSE;
  guint n = 0;

  g_assert_true (vd_format_lookup ("prodigy") == vd_format_prodigy_get_class ());
  g_assert_null (vd_format_lookup ("verdict"));
  g_assert_null (vd_format_lookup ("nope"));
  g_assert_null (vd_format_lookup (NULL));

  list = vd_format_list (&n);
  g_assert_cmpuint (n, >=, 1);
  g_assert_null (list[n]);
  for (guint i = 0; i < n; i++)
    {
      g_assert_nonnull (list[i]->name);
      g_assert_nonnull (list[i]->label);
      found |= list[i] == vd_format_prodigy_get_class ();
    }
  g_assert_true (found);
}

static void
test_detect (void)
{
  g_autoptr(GError) error = NULL;
  const VdFormatClass *klass;

  /* JSON Lines: the first non-empty line. */
  klass = detect_text ("\n{\"text\": \"a\", \"label\": \"X\"}\n{\"text\": \"b\"}\n", &error);
  g_assert_no_error (error);
  g_assert_true (klass == vd_format_prodigy_get_class ());

  /* A JSON array: its first element. */
  klass = detect_text ("[{\"text\": \"a\", \"_task_hash\": 1}, 5]", &error);
  g_assert_no_error (error);
  g_assert_true (klass == vd_format_prodigy_get_class ());

  /* One object spread over lines. */
  klass = detect_text ("{\n  \"text\": \"a\",\n  \"options\": []\n}\n", &error);
  g_assert_no_error (error);
  g_assert_true (klass == vd_format_prodigy_get_class ());

  /* Verdict's own queue lines: no class, no error. */
  klass = detect_text ("{\"queue\": \"q\", \"task_id\": \"t\", \"agent_output\": {}}\n"
                       "{\"queue\": \"q\", \"task_id\": \"u\", \"agent_output\": {}}\n",
                       &error);
  g_assert_no_error (error);
  g_assert_null (klass);

  /* Something else: the file and the formats are named. */
  klass = detect_text ("{\"hello\": 1}\n", &error);
  g_assert_null (klass);
  g_assert_error (error, VD_FORMAT_ERROR, VD_FORMAT_ERROR_UNKNOWN_FORMAT);
  g_assert_nonnull (strstr (error->message, "input.json"));
  g_assert_nonnull (strstr (error->message, "verdict, "));
  g_assert_nonnull (strstr (error->message, "prodigy"));
  g_clear_error (&error);

  klass = detect_text ("not json at all", &error);
  g_assert_null (klass);
  g_assert_error (error, VD_FORMAT_ERROR, VD_FORMAT_ERROR_UNKNOWN_FORMAT);
  g_assert_nonnull (strstr (error->message, "input.json"));
  g_clear_error (&error);

  klass = detect_text ("", &error);
  g_assert_null (klass);
  g_assert_error (error, VD_FORMAT_ERROR, VD_FORMAT_ERROR_UNKNOWN_FORMAT);
  g_clear_error (&error);

  /* Deep nesting goes through the JSON guard, never json-glib alone. */
  {
    g_autofree char *deep = vd_test_nested_json (100000, "[", "1", "]");

    klass = detect_text (deep, &error);
    g_assert_null (klass);
    g_assert_error (error, VD_FORMAT_ERROR, VD_FORMAT_ERROR_UNKNOWN_FORMAT);
    g_clear_error (&error);
  }
}

static JsonObject *
source_from (const char *json)
{
  g_autoptr(JsonNode) node = json_from_string (json, NULL);

  return json_object_ref (json_node_get_object (node));
}

static void
test_check_decision (void)
{
  g_autoptr(VdItem) item = vd_item_new ("payments", "lg:t1:i1:0");
  g_autoptr(VdItem) plain = vd_item_new ("payments", "t2");
  g_autoptr(JsonObject) source = NULL;
  g_autoptr(GError) error = NULL;
  VdDecisionKind kinds[] = {
    VD_DECISION_KIND_APPROVE, VD_DECISION_KIND_REJECT,
    VD_DECISION_KIND_MODIFY, VD_DECISION_KIND_ESCALATE_FURTHER,
  };

  source = source_from ("{\"format\": \"langgraph\", "
                        "\"allowed_decisions\": [\"approve\", \"reject\"]}");
  vd_item_set_source (item, source);

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      g_autoptr(VdDecision) decision = vd_decision_new ("payments", "lg:t1:i1:0", kinds[i],
                                                        "alice");
      g_autoptr(VdDecision) other = vd_decision_new ("payments", "t2", kinds[i], "alice");
      gboolean ok = vd_format_check_decision (item, decision, &error);

      if (kinds[i] == VD_DECISION_KIND_MODIFY)
        {
          g_assert_false (ok);
          g_assert_error (error, VD_FORMAT_ERROR, VD_FORMAT_ERROR_NOT_ALLOWED);
          g_assert_cmpstr (error->message, ==,
                           "payments/lg:t1:i1:0: this LangGraph interrupt accepts approve, "
                           "reject; not modify");
          g_clear_error (&error);
        }
      else
        {
          g_assert_no_error (error);
          g_assert_true (ok);
        }

      /* Without a source, every kind. */
      g_assert_true (vd_format_check_decision (plain, other, &error));
      g_assert_no_error (error);
    }

  /* A malformed list allows nothing but escalating. */
  g_clear_pointer (&source, json_object_unref);
  source = source_from ("{\"format\": \"langgraph\", \"allowed_decisions\": \"approve\"}");
  vd_item_set_source (item, source);
  {
    g_autoptr(VdDecision) decision = vd_decision_new ("payments", "lg:t1:i1:0",
                                                      VD_DECISION_KIND_APPROVE, "alice");

    g_assert_false (vd_format_check_decision (item, decision, &error));
    g_assert_error (error, VD_FORMAT_ERROR, VD_FORMAT_ERROR_NOT_ALLOWED);
    g_assert_nonnull (strstr (error->message, "accepts no decision; not approve"));
    g_clear_error (&error);
  }

  /* The format's own check runs after: Prodigy spans are not edited as text. */
  g_clear_pointer (&source, json_object_unref);
  source = source_from ("{\"format\": \"prodigy\", \"output\": {\"kind\": \"spans\"}, "
                        "\"task\": {\"text\": \"x\"}}");
  vd_item_set_source (item, source);
  {
    g_autoptr(VdDecision) modify = vd_decision_new ("payments", "lg:t1:i1:0",
                                                    VD_DECISION_KIND_MODIFY, "alice");
    g_autoptr(VdDecision) approve = vd_decision_new ("payments", "lg:t1:i1:0",
                                                     VD_DECISION_KIND_APPROVE, "alice");

    vd_decision_set_modified_content (modify, "x [PERSON]");
    g_assert_false (vd_format_check_decision (item, modify, &error));
    g_assert_error (error, VD_FORMAT_ERROR, VD_FORMAT_ERROR_UNSUPPORTED);
    g_clear_error (&error);
    g_assert_true (vd_format_check_decision (item, approve, &error));
    g_assert_no_error (error);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/format/lookup", test_lookup);
  g_test_add_func ("/format/detect", test_detect);
  g_test_add_func ("/format/check-decision", test_check_decision);

  return g_test_run ();
}
