/* fuzz-format-label-studio.c: libFuzzer target for the Label Studio format
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

#include "vd-decision.h"
#include "vd-format-label-studio.h"
#include "vd-item.h"
#include "fuzz-common.h"

/*
 * Besides not crashing, the format keeps these promises on every input:
 *  - a refused file says why in valid UTF-8, naming the file;
 *  - every item it reads passes the store's gate (vd_item_validate);
 *  - every item approved, rejected or modified with its own output (as the
 *    window offers it for editing) is written, and what is written reads
 *    back as JSON with one task per final decision.
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
free_entry (gpointer  data)
{
  VdFormatEntry *entry = data;

  g_clear_object (&entry->decision);
  g_free (entry);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const VdFormatClass *klass = vd_format_label_studio_get_class ();
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (free_entry);
  g_autoptr(GOutputStream) out = NULL;
  g_autoptr(GBytes) written = NULL;
  g_autoptr(JsonNode) again = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  VdFormatReadOptions options = { "fuzz.json", "fuzz", FALSE, NULL, NULL };
  VdFormatSummary summary = { 0 };

  if (size < 1)
    return 0;

  options.skip_invalid = (data[0] & 0x01) != 0;
  bytes = g_bytes_new (data + 1, size - 1);

  items = klass->read (bytes, &options, problems, &error);
  if (items == NULL)
    {
      g_assert_nonnull (error);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      g_assert_true (g_str_has_prefix (error->message, "fuzz.json: "));
      return 0;
    }

  for (guint i = 0; i < problems->len; i++)
    g_assert_true (g_utf8_validate (g_ptr_array_index (problems, i), -1, NULL));

  for (guint i = 0; i < items->len; i++)
    {
      VdItem *item = g_ptr_array_index (items, i);
      VdDecisionKind kind = (VdDecisionKind) ((i + data[0] / 2) % 4);
      g_autoptr(GError) invalid = NULL;
      VdFormatEntry *entry;

      if (!vd_item_validate (item, &invalid))
        g_error ("an item passed the reader but not the store's gate: %s", invalid->message);

      entry = g_new0 (VdFormatEntry, 1);
      entry->item = item;
      entry->decision = vd_decision_new ("fuzz", vd_item_get_task_id (item), kind, "fuzzer");
      if (kind == VD_DECISION_KIND_MODIFY)
        vd_decision_set_modified_content (entry->decision, vd_item_get_content (item));
      /* An output the edit rules refuse (a choice outside the task's
       * options, blank text) is approved instead. */
      if (!klass->check_decision (item, entry->decision, &invalid))
        {
          g_object_unref (entry->decision);
          entry->decision = vd_decision_new ("fuzz", vd_item_get_task_id (item),
                                             VD_DECISION_KIND_APPROVE, "fuzzer");
        }
      g_ptr_array_add (entries, entry);
    }

  out = g_memory_output_stream_new_resizable ();
  if (!klass->write (entries, out, &summary, NULL, &error))
    g_error ("decided items could not be written: %s", error->message);
  g_assert_cmpuint (summary.written + summary.held_back, ==, items->len);
  g_output_stream_close (out, NULL, NULL);
  written = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));

  text = g_strndup (g_bytes_get_data (written, NULL), g_bytes_get_size (written));
  again = json_from_string (text, &error);
  if (again == NULL)
    g_error ("the written answer is not JSON: %s", error->message);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (again));
  g_assert_cmpuint (json_array_get_length (json_node_get_array (again)), ==, summary.written);

  return 0;
}
