/* test-queue-writer.c
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

#include "vd-core.h"
#include "vd-queue-writer.h"

/* The writer is the reader's inverse: every item written and read back is
 * the same item, and writing it again gives the same line. */

static GPtrArray *
read_text (const char  *text,
           GError     **error)
{
  g_autoptr(VdQueueReader) reader = vd_queue_reader_new ();

  return vd_queue_reader_read_data (reader, text, strlen (text), "w.jsonl",
                                    NULL, NULL, NULL, error);
}

static char *
dup_time (GDateTime *datetime)
{
  return datetime != NULL ? vd_timestamp_format (datetime) : NULL;
}

static void
assert_same_attachments (VdItem *a,
                         VdItem *b)
{
  GPtrArray *x = vd_item_get_attachments (a);
  GPtrArray *y = vd_item_get_attachments (b);
  guint n = x != NULL ? x->len : 0;

  g_assert_cmpuint (n, ==, y != NULL ? y->len : 0);
  for (guint i = 0; i < n; i++)
    {
      VdAttachment *p = g_ptr_array_index (x, i);
      VdAttachment *q = g_ptr_array_index (y, i);

      g_assert_cmpstr (vd_attachment_get_name (p), ==, vd_attachment_get_name (q));
      g_assert_cmpstr (vd_attachment_get_media_type (p), ==, vd_attachment_get_media_type (q));
      g_assert_cmpstr (vd_attachment_get_url (p), ==, vd_attachment_get_url (q));
      g_assert_cmpstr (vd_attachment_get_sha256 (p), ==, vd_attachment_get_sha256 (q));
      if (!vd_attachment_is_link (p))
        {
          g_autoptr(GBytes) read = NULL;
          GBytes *bp = vd_attachment_get_bytes (p);

          if (bp == NULL)
            {
              char *contents;
              gsize length;

              g_assert_true (g_file_get_contents (vd_attachment_get_source_path (p),
                                                  &contents, &length, NULL));
              bp = read = g_bytes_new_take (contents, length);
            }
          g_assert_true (g_bytes_equal (bp, vd_attachment_get_bytes (q)));
          g_assert_cmpint (vd_attachment_get_size (p), ==, vd_attachment_get_size (q));
        }
    }
}

static void
assert_same_item (VdItem *a,
                  VdItem *b)
{
  g_autofree char *ta = dup_time (vd_item_get_timestamp (a));
  g_autofree char *tb = dup_time (vd_item_get_timestamp (b));
  g_autofree char *da = dup_time (vd_item_get_due_at (a));
  g_autofree char *db = dup_time (vd_item_get_due_at (b));
  g_autofree char *ma = vd_item_dup_metadata_json (a);
  g_autofree char *mb = vd_item_dup_metadata_json (b);

  g_assert_cmpstr (vd_item_get_queue (a), ==, vd_item_get_queue (b));
  g_assert_cmpstr (vd_item_get_task_id (a), ==, vd_item_get_task_id (b));
  g_assert_cmpstr (vd_item_get_task_description (a), ==, vd_item_get_task_description (b));
  g_assert_cmpstr (vd_item_get_task_type (a), ==, vd_item_get_task_type (b));
  g_assert_cmpstr (vd_item_get_context (a), ==, vd_item_get_context (b));
  g_assert_cmpstr (vd_item_get_content (a), ==, vd_item_get_content (b));
  g_assert_true (vd_item_get_confidence (a) == vd_item_get_confidence (b));
  g_assert_cmpstr (vd_item_get_reasoning (a), ==, vd_item_get_reasoning (b));
  g_assert_cmpstr (ma, ==, mb);
  g_assert_cmpint (vd_item_get_escalation_reason (a), ==, vd_item_get_escalation_reason (b));
  g_assert_cmpstr (vd_item_get_escalation_detail (a), ==, vd_item_get_escalation_detail (b));
  g_assert_cmpstr (ta, ==, tb);
  g_assert_cmpstr (da, ==, db);
  g_assert_cmpint (vd_item_get_priority (a), ==, vd_item_get_priority (b));
  g_assert_cmpint (vd_item_get_revision (a), ==, vd_item_get_revision (b));
  g_assert_cmpint (vd_item_get_status (a), ==, vd_item_get_status (b));
  g_assert_cmpstr (vd_item_get_expected_decision (a), ==, vd_item_get_expected_decision (b));
  g_assert_cmpstr (vd_item_get_task_content_type (a), ==, vd_item_get_task_content_type (b));
  g_assert_cmpstr (vd_item_get_context_content_type (a), ==,
                   vd_item_get_context_content_type (b));
  g_assert_cmpstr (vd_item_get_output_content_type (a), ==,
                   vd_item_get_output_content_type (b));
  assert_same_attachments (a, b);
}

/* Writes @item, reads the line back, and checks both ways. */
static void
assert_round_trip (VdItem *item)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *line = vd_queue_writer_format_item (item, &error);
  g_autofree char *again = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_null (strchr (line, '\n'));

  g_string_append_printf (text, "%s\n", line);
  items = read_text (text->str, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 1);
  assert_same_item (item, g_ptr_array_index (items, 0));

  again = vd_queue_writer_format_item (g_ptr_array_index (items, 0), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again, ==, line);
}

static void
test_samples (void)
{
  g_autoptr(VdQueueReader) reader = vd_queue_reader_new ();
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (g_getenv ("VERDICT_SAMPLES"), "review-queue.jsonl",
                                            NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  guint with_attachments = 0;

  /* Every sample, attachments read from their files included. */
  items = vd_queue_reader_read_file (reader, file, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, >, 5);
  for (guint i = 0; i < items->len; i++)
    {
      VdItem *item = g_ptr_array_index (items, i);
      GPtrArray *attachments = vd_item_get_attachments (item);

      if (attachments != NULL && attachments->len > 0)
        with_attachments++;
      assert_round_trip (item);
    }
  g_assert_cmpuint (with_attachments, >, 0);
}

static VdItem *
new_full_item (void)
{
  g_autoptr(VdItem) item = vd_item_new ("payments", "t-\"7\"\n✓");
  g_autoptr(GDateTime) timestamp = g_date_time_new_from_unix_utc (1795000000);
  g_autoptr(GDateTime) stamp = g_date_time_add (timestamp, 123457);
  g_autoptr(GDateTime) due = g_date_time_add_days (stamp, 2);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(VdAttachment) data = vd_attachment_new ("log.txt", "text/plain");
  g_autoptr(VdAttachment) link = vd_attachment_new ("thread", "text/html");
  g_autoptr(GBytes) bytes = g_bytes_new_static ("line 1\nline 2\n", 14);
  g_autofree char *sha = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);

  g_assert_true (json_parser_load_from_data (parser,
                                             "{\"amount\": 12400.5, \"n\": -3, \"ok\": true, "
                                             "\"nested\": {\"list\": [1, \"a\", null]}}",
                                             -1, NULL));
  vd_item_set_task_description (item, "Refund \u2028 order \"81\"\t\\");
  vd_item_set_task_type (item, "payment");
  vd_item_set_context (item, "# Context\n\nCustomer since 2019");
  vd_item_set_content (item, "--- a\n+++ b\n");
  vd_item_set_confidence (item, 0.1 + 0.2);
  vd_item_set_reasoning (item, "");
  vd_item_set_metadata (item, json_node_get_object (json_parser_get_root (parser)));
  vd_item_set_escalation_reason (item, VD_ESCALATION_REASON_HIGH_RISK_ACTION);
  vd_item_set_escalation_detail (item, "amount > 10000");
  vd_item_set_timestamp (item, stamp);
  vd_item_set_due_at (item, due);
  vd_item_set_priority (item, -3);
  vd_item_set_revision (item, 2);
  vd_item_set_status (item, VD_TASK_STATUS_ESCALATED);
  vd_item_set_expected_decision (item, "reject");
  vd_item_set_task_content_type (item, "text/markdown");
  vd_item_set_context_content_type (item, "text/markdown");
  vd_item_set_output_content_type (item, "text/x-diff");

  vd_attachment_set_bytes (data, bytes);
  vd_attachment_set_size (data, 14);
  vd_attachment_set_sha256 (data, sha);
  vd_item_add_attachment (item, data);
  vd_attachment_set_url (link, "https://forum.example/t/81?a=1&b=2");
  vd_item_add_attachment (item, link);

  return g_steal_pointer (&item);
}

static void
test_every_field (void)
{
  g_autoptr(VdItem) item = new_full_item ();
  g_autoptr(VdItem) plain = vd_item_new ("q", "t");
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *line = NULL;
  g_autoptr(GError) error = NULL;

  assert_round_trip (item);

  /* The reader's defaults are left out, so a plain item's line is short. */
  vd_item_set_task_description (plain, "");
  vd_item_set_content (plain, "");
  vd_item_set_confidence (plain, 1.0);
  vd_item_set_timestamp (plain, now);
  assert_round_trip (plain);
  line = vd_queue_writer_format_item (plain, &error);
  g_assert_no_error (error);
  g_assert_null (strstr (line, "priority"));
  g_assert_null (strstr (line, "revision"));
  g_assert_null (strstr (line, "status"));
  g_assert_null (strstr (line, "content_type"));
  g_assert_null (strstr (line, "attachments"));
  g_assert_null (strstr (line, "check"));
}

static void
test_refused (void)
{
  g_autoptr(VdItem) decided = new_full_item ();
  g_autoptr(VdItem) no_confidence = new_full_item ();
  g_autoptr(VdItem) unloaded = new_full_item ();
  g_autoptr(VdAttachment) stored = vd_attachment_new ("a.txt", "text/plain");
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) out = g_string_new ("kept\n");
  char *line;

  vd_item_set_status (decided, VD_TASK_STATUS_APPROVED);
  line = vd_queue_writer_format_item (decided, &error);
  g_assert_null (line);
  g_assert_error (error, VD_QUEUE_ERROR, VD_QUEUE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "only undecided items, found approved"));
  g_clear_error (&error);

  vd_item_clear_confidence (no_confidence);
  line = vd_queue_writer_format_item (no_confidence, &error);
  g_assert_null (line);
  g_assert_error (error, VD_QUEUE_ERROR, VD_QUEUE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "confidence"));
  g_clear_error (&error);

  /* An attachment known only by its hash, as a store lists it. */
  vd_attachment_set_sha256 (stored,
                            "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
  vd_item_add_attachment (unloaded, stored);
  g_assert_false (vd_queue_writer_append_item (out, unloaded, &error));
  g_assert_error (error, VD_QUEUE_ERROR, VD_QUEUE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message,
                            "attachments[2] (“a.txt”): its bytes are not loaded"));
  g_assert_cmpstr (out->str, ==, "kept\n");
}

static void
test_header (void)
{
  g_autoptr(VdQueueReader) reader = vd_queue_reader_new ();
  g_autoptr(VdItem) item = new_full_item ();
  g_autoptr(JsonObject) extra = json_object_new ();
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *header = NULL;
  JsonObject *object;

  json_object_set_string_member (extra, "checkout", "x");
  header = vd_queue_writer_format_header ("payments", "verdict team checkout", extra);
  g_assert_true (json_parser_load_from_data (parser, header, -1, &error));
  object = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpint (json_object_get_int_member (object, "verdict_queue"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (object, "checkout"), ==, "x");
  g_assert_nonnull (vd_timestamp_parse (json_object_get_string_member (object, "exported_at")));

  g_string_append_printf (text, "%s\n", header);
  g_assert_true (vd_queue_writer_append_item (text, item, &error));
  g_assert_no_error (error);
  items = vd_queue_reader_read_data (reader, text->str, text->len, "x.jsonl", NULL, NULL,
                                     NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 1);
  g_assert_cmpstr (vd_queue_reader_get_queue (reader), ==, "payments");
  g_assert_cmpstr (vd_queue_reader_get_source (reader), ==, "verdict team checkout");
  assert_same_item (item, g_ptr_array_index (items, 0));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/queue-writer/samples", test_samples);
  g_test_add_func ("/queue-writer/every-field", test_every_field);
  g_test_add_func ("/queue-writer/refused", test_refused);
  g_test_add_func ("/queue-writer/header", test_header);

  return g_test_run ();
}
