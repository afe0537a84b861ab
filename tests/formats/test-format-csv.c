/* test-format-csv.c: the CSV of decisions, read back with an RFC 4180 reader
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
#include "vd-format-csv.h"

/* A strict RFC 4180 reader (https://www.rfc-editor.org/rfc/rfc4180): records
 * end with CRLF, a quoted field doubles its quotes and may hold commas, CR
 * and LF. Returns rows of cells (GPtrArray of GStrv-like GPtrArray), or
 * fails the test on anything the RFC does not allow. */
static GPtrArray *
parse_csv (const char *text)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  GPtrArray *row = g_ptr_array_new_with_free_func (g_free);
  GString *cell = g_string_new (NULL);
  const char *p = text;

  while (*p != '\0')
    {
      if (*p == '"')
        {
          p++;
          for (;;)
            {
              g_assert_true (*p != '\0');
              if (*p == '"' && p[1] == '"')
                {
                  g_string_append_c (cell, '"');
                  p += 2;
                }
              else if (*p == '"')
                {
                  p++;
                  break;
                }
              else
                g_string_append_c (cell, *p++);
            }
        }
      else
        {
          while (*p != '\0' && *p != ',' && *p != '\r')
            {
              /* Unquoted fields hold no quote, CR or LF. */
              g_assert_cmpint (*p, !=, '"');
              g_assert_cmpint (*p, !=, '\n');
              g_string_append_c (cell, *p++);
            }
        }

      g_ptr_array_add (row, g_string_free (cell, FALSE));
      cell = g_string_new (NULL);

      if (*p == ',')
        p++;
      else
        {
          /* Every record ends with CRLF, the last one too. */
          g_assert_cmpint (p[0], ==, '\r');
          g_assert_cmpint (p[1], ==, '\n');
          p += 2;
          g_ptr_array_add (rows, row);
          row = g_ptr_array_new_with_free_func (g_free);
        }
    }

  g_assert_cmpuint (row->len, ==, 0);
  g_ptr_array_unref (row);
  g_string_free (cell, TRUE);

  return rows;
}

static const char *
cell (GPtrArray *rows,
      guint      r,
      guint      c)
{
  GPtrArray *row;

  g_assert_cmpuint (r, <, rows->len);
  row = g_ptr_array_index (rows, r);
  g_assert_cmpuint (c, <, row->len);

  return g_ptr_array_index (row, c);
}

typedef struct
{
  GPtrArray *items;
  GPtrArray *decisions;
  GPtrArray *entries;
} Fixture;

static void
fixture_add (Fixture    *fixture,
             VdItem     *item,
             VdDecision *decision)
{
  VdFormatEntry *entry = g_new0 (VdFormatEntry, 1);

  entry->item = item;
  entry->decision = decision;
  g_ptr_array_add (fixture->items, item);
  if (decision != NULL)
    g_ptr_array_add (fixture->decisions, decision);
  g_ptr_array_add (fixture->entries, entry);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  (void) data;
  fixture->items = g_ptr_array_new_with_free_func (g_object_unref);
  fixture->decisions = g_ptr_array_new_with_free_func (g_object_unref);
  fixture->entries = g_ptr_array_new_with_free_func (g_free);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  (void) data;
  g_ptr_array_unref (fixture->entries);
  g_ptr_array_unref (fixture->decisions);
  g_ptr_array_unref (fixture->items);
}

static VdDecision *
new_decision (VdItem         *item,
              VdDecisionKind  kind)
{
  VdDecision *decision = vd_decision_new (vd_item_get_queue (item), vd_item_get_task_id (item),
                                          kind, "alice");
  g_autoptr(GDateTime) when = g_date_time_new_utc (2026, 11, 20, 9, 15, 2.5);

  vd_decision_set_timestamp (decision, when);

  return decision;
}

static char *
write_csv (Fixture         *fixture,
           VdFormatSummary *summary)
{
  const VdFormatClass *klass = vd_format_csv_get_class ();
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;
  char nul = '\0';

  g_assert_cmpstr (klass->name, ==, "csv");
  g_assert_null (klass->read);
  g_assert_true (klass->write (fixture->entries, out, summary, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_write_all (out, &nul, 1, NULL, NULL, NULL));
  g_assert_true (g_output_stream_close (out, NULL, NULL));

  return g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (out));
}

static void
test_header (Fixture       *fixture,
             gconstpointer  data)
{
  VdFormatSummary summary = { 0 };
  g_autofree char *text = NULL;
  g_autoptr(GPtrArray) rows = NULL;

  (void) data;
  text = write_csv (fixture, &summary);

  /* No byte order mark: the file starts with the first header name. */
  g_assert_true (g_str_has_prefix (text, "queue,task_id,source_format,source_ids,decision,"
                                   "reviewer,decided_at,feedback,final_output,confidence,"
                                   "model,policy_sha256,audit_seq\r\n"));
  rows = parse_csv (text);
  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_cmpuint (((GPtrArray *) rows->pdata[0])->len, ==, 13);
  g_assert_cmpuint (summary.written, ==, 0);
  g_assert_cmpuint (summary.held_back, ==, 0);
}

static void
test_round_trip (Fixture       *fixture,
                 gconstpointer  data)
{
  VdFormatSummary summary = { 0 };
  g_autofree char *text = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(JsonObject) source = json_object_new ();
  JsonObject *ids = json_object_new ();
  VdItem *item;
  VdDecision *decision;

  (void) data;

  /* A Verdict queue item, approved, with stamps. */
  item = vd_item_new ("payments", "t-1");
  vd_item_set_content (item, "Refund 12,50 € to \"Zoë\"\nsecond line\r\nthird");
  vd_item_set_confidence (item, 0.93);
  decision = new_decision (item, VD_DECISION_KIND_APPROVE);
  vd_decision_set_model (decision, "gpt-x");
  vd_decision_set_policy_sha256 (decision, "ab12");
  vd_decision_set_audit (decision, 42, "h", "p");
  vd_decision_set_feedback (decision, "Looks right, «merci»");
  fixture_add (fixture, item, decision);

  /* A LangGraph action without confidence, modified. */
  item = vd_item_new ("inbox", "lg:th:in:1");
  vd_item_set_content (item, "{\"to\": \"bob\"}");
  vd_item_clear_confidence (item);
  json_object_set_string_member (source, "format", "langgraph");
  json_object_set_string_member (ids, "thread_id", "th");
  json_object_set_string_member (ids, "interrupt_id", "in");
  json_object_set_int_member (ids, "action_index", 1);
  json_object_set_object_member (source, "ids", ids);
  vd_item_set_source (item, source);
  decision = new_decision (item, VD_DECISION_KIND_MODIFY);
  vd_decision_set_modified_content (decision, "{\"to\": \"carol\"}");
  fixture_add (fixture, item, decision);

  /* Rejected: the final output is empty. */
  item = vd_item_new ("payments", "t-2");
  vd_item_set_content (item, "Pay");
  vd_item_set_confidence (item, 0.0);
  decision = new_decision (item, VD_DECISION_KIND_REJECT);
  vd_decision_set_feedback (decision, "=HYPERLINK(\"http://x\",\"y\")");
  fixture_add (fixture, item, decision);

  /* Held back: undecided, escalated further, retracted. */
  item = vd_item_new ("payments", "t-3");
  fixture_add (fixture, item, NULL);
  item = vd_item_new ("payments", "t-4");
  fixture_add (fixture, item, new_decision (item, VD_DECISION_KIND_ESCALATE_FURTHER));
  item = vd_item_new ("payments", "t-5");
  decision = new_decision (item, VD_DECISION_KIND_APPROVE);
  vd_decision_set_retracted (decision, TRUE);
  fixture_add (fixture, item, decision);

  text = write_csv (fixture, &summary);
  g_assert_true (g_utf8_validate (text, -1, NULL));
  g_assert_cmpuint (summary.written, ==, 3);
  g_assert_cmpuint (summary.held_back, ==, 3);
  g_assert_cmpuint (summary.other, ==, 0);

  rows = parse_csv (text);
  g_assert_cmpuint (rows->len, ==, 4);
  for (guint r = 0; r < rows->len; r++)
    g_assert_cmpuint (((GPtrArray *) rows->pdata[r])->len, ==, 13);

  g_assert_cmpstr (cell (rows, 1, 0), ==, "payments");
  g_assert_cmpstr (cell (rows, 1, 1), ==, "t-1");
  g_assert_cmpstr (cell (rows, 1, 2), ==, "verdict");
  g_assert_cmpstr (cell (rows, 1, 3), ==, "");
  g_assert_cmpstr (cell (rows, 1, 4), ==, "approve");
  g_assert_cmpstr (cell (rows, 1, 5), ==, "alice");
  g_assert_cmpstr (cell (rows, 1, 6), ==, "2026-11-20T09:15:02.500000Z");
  g_assert_cmpstr (cell (rows, 1, 7), ==, "Looks right, «merci»");
  g_assert_cmpstr (cell (rows, 1, 8), ==, "Refund 12,50 € to \"Zoë\"\nsecond line\r\nthird");
  g_assert_cmpstr (cell (rows, 1, 9), ==, "0.93");
  g_assert_cmpstr (cell (rows, 1, 10), ==, "gpt-x");
  g_assert_cmpstr (cell (rows, 1, 11), ==, "ab12");
  g_assert_cmpstr (cell (rows, 1, 12), ==, "42");

  g_assert_cmpstr (cell (rows, 2, 1), ==, "lg:th:in:1");
  g_assert_cmpstr (cell (rows, 2, 2), ==, "langgraph");
  g_assert_cmpstr (cell (rows, 2, 3), ==,
                   "{\"thread_id\":\"th\",\"interrupt_id\":\"in\",\"action_index\":1}");
  g_assert_cmpstr (cell (rows, 2, 4), ==, "modify");
  g_assert_cmpstr (cell (rows, 2, 8), ==, "{\"to\": \"carol\"}");
  /* No confidence given: an empty cell, never 0. */
  g_assert_cmpstr (cell (rows, 2, 9), ==, "");
  g_assert_cmpstr (cell (rows, 2, 12), ==, "");

  g_assert_cmpstr (cell (rows, 3, 4), ==, "reject");
  g_assert_cmpstr (cell (rows, 3, 8), ==, "");
  g_assert_cmpstr (cell (rows, 3, 9), ==, "0");
  /* The formula is kept as text behind an apostrophe. */
  g_assert_cmpstr (cell (rows, 3, 7), ==, "'=HYPERLINK(\"http://x\",\"y\")");
}

static void
test_formula_guard (void)
{
  static const struct { const char *in; const char *out; } cases[] = {
    { "=1+1", "'=1+1" },
    { "+33 6 12", "'+33 6 12" },
    { "-2", "'-2" },
    { "@SUM(A1)", "'@SUM(A1)" },
    { "\tx", "'\tx" },
    { "\rx", "\"'\rx\"" },
    { "a=b", "a=b" },
    { "'already", "'already" },
    { "x,y", "\"x,y\"" },
    { "=a,b", "\"'=a,b\"" },
    { "say \"hi\"", "\"say \"\"hi\"\"\"" },
    { "", "" },
    { NULL, "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GString) out = g_string_new (NULL);

      vd_format_csv_append_cell (out, cases[i].in);
      g_assert_cmpstr (out->str, ==, cases[i].out);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/format-csv/header", Fixture, NULL, fixture_set_up, test_header,
              fixture_tear_down);
  g_test_add ("/format-csv/round-trip", Fixture, NULL, fixture_set_up, test_round_trip,
              fixture_tear_down);
  g_test_add_func ("/format-csv/formula-guard", test_formula_guard);

  return g_test_run ();
}
