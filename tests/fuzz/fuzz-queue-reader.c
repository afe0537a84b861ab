/* fuzz-queue-reader.c: libFuzzer target for the queue file reader
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

#include "vd-item.h"
#include "vd-queue-reader-private.h"
#include "fuzz-common.h"

/*
 * Besides not crashing, the reader keeps three promises that this target
 * checks on every input:
 *  - where the chunks of a file end changes nothing (the first byte picks
 *    a chunk size from 1 to 64; the result must equal a whole read);
 *  - every item it returns passes the store's own gate (vd_item_validate),
 *    so nothing read from a file can fail to be stored or exported;
 *  - every item it returns, written back as a queue line, reads back the
 *    same.
 */

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init ();
  return 0;
}

static void
assert_same_items (GPtrArray *a,
                   GPtrArray *b)
{
  g_assert_cmpuint (a->len, ==, b->len);

  for (guint i = 0; i < a->len; i++)
    {
      VdItem *x = g_ptr_array_index (a, i);
      VdItem *y = g_ptr_array_index (b, i);
      g_autofree char *mx = vd_item_dup_metadata_json (x);
      g_autofree char *my = vd_item_dup_metadata_json (y);

      g_assert_cmpstr (vd_item_get_queue (x), ==, vd_item_get_queue (y));
      g_assert_cmpstr (vd_item_get_task_id (x), ==, vd_item_get_task_id (y));
      g_assert_cmpstr (vd_item_get_task_description (x), ==, vd_item_get_task_description (y));
      g_assert_cmpstr (vd_item_get_content (x), ==, vd_item_get_content (y));
      g_assert_cmpstr (vd_item_get_reasoning (x), ==, vd_item_get_reasoning (y));
      g_assert_cmpstr (vd_item_get_context (x), ==, vd_item_get_context (y));
      g_assert_cmpfloat (vd_item_get_confidence (x), ==, vd_item_get_confidence (y));
      g_assert_cmpint (vd_item_get_revision (x), ==, vd_item_get_revision (y));
      g_assert_cmpint (vd_item_get_priority (x), ==, vd_item_get_priority (y));
      g_assert_cmpstr (mx, ==, my);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(VdQueueReader) whole_reader = vd_queue_reader_new ();
  g_autoptr(VdQueueReader) chunk_reader = vd_queue_reader_new ();
  g_autoptr(GPtrArray) whole = NULL;
  g_autoptr(GPtrArray) chunked = NULL;
  g_autoptr(GError) whole_error = NULL;
  g_autoptr(GError) chunk_error = NULL;
  g_autoptr(GString) written = NULL;
  g_autoptr(GPtrArray) kept = NULL;
  gboolean skip_invalid;
  gsize chunk_size;

  if (size < 1)
    return 0;

  chunk_size = (data[0] & 0x3f) + 1;
  skip_invalid = (data[0] & 0x40) != 0;
  data++;
  size--;

  vd_queue_reader_set_skip_invalid (whole_reader, skip_invalid);
  vd_queue_reader_set_skip_invalid (chunk_reader, skip_invalid);

  whole = vd_queue_reader_read_data (whole_reader, (const char *) data, size, "fuzz.jsonl",
                                     NULL, NULL, NULL, &whole_error);
  chunked = _vd_queue_reader_read_data_chunked (chunk_reader, (const char *) data, size,
                                                chunk_size, "fuzz.jsonl", NULL, NULL, NULL,
                                                &chunk_error);

  g_assert_true ((whole == NULL) == (chunked == NULL));
  if (whole == NULL)
    {
      g_assert_nonnull (whole_error);
      g_assert_nonnull (chunk_error);
      g_assert_cmpstr (whole_error->message, ==, chunk_error->message);
      g_assert_true (g_utf8_validate (whole_error->message, -1, NULL));
      return 0;
    }

  assert_same_items (whole, chunked);
  g_assert_cmpuint (vd_queue_reader_get_problems (whole_reader)->len, ==,
                    vd_queue_reader_get_problems (chunk_reader)->len);

  /* An item's attachments are written as references to stored bytes
   * (name, type, size, sha256), not as a queue line's path or data: only
   * items without attachments are read back. */
  kept = g_ptr_array_new ();
  for (guint i = 0; i < whole->len; i++)
    if (vd_item_get_attachments (g_ptr_array_index (whole, i))->len == 0)
      g_ptr_array_add (kept, g_ptr_array_index (whole, i));

  written = g_string_new (NULL);
  for (guint i = 0; i < whole->len; i++)
    {
      VdItem *item = g_ptr_array_index (whole, i);
      g_autoptr(GError) invalid = NULL;
      g_autoptr(JsonNode) node = NULL;
      g_autofree char *line = NULL;

      if (!vd_item_validate (item, &invalid))
        g_error ("an item passed the reader but not the store's gate: %s", invalid->message);
      if (vd_item_get_attachments (item)->len > 0)
        continue;

      node = vd_item_to_json (item);
      line = json_to_string (node, FALSE);
      g_string_append (written, line);
      g_string_append_c (written, '\n');
    }

  /* With skip_invalid every line may have been left out. */
  if (kept->len > 0)
  {
    g_autoptr(VdQueueReader) again_reader = vd_queue_reader_new ();
    g_autoptr(GPtrArray) again = NULL;
    g_autoptr(GError) again_error = NULL;

    again = vd_queue_reader_read_data (again_reader, written->str, written->len, "again.jsonl",
                                       NULL, NULL, NULL, &again_error);
    if (again == NULL)
      g_error ("items written back do not read back: %s\n%s", again_error->message,
               written->str);
    assert_same_items (kept, again);
  }

  return 0;
}
