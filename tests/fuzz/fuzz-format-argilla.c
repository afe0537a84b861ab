/* fuzz-format-argilla.c: libFuzzer target for Argilla records
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

#include "vd-format-argilla.h"
#include "vd-item.h"
#include "fuzz-common.h"

/*
 * Besides not crashing, the reader and writer keep these promises on
 * every input:
 *  - a refusal is a VD_FORMAT_ERROR_INVALID whose message is UTF-8 text;
 *  - every item passes the store's gate (vd_item_validate);
 *  - the answers to every item (approve, reject, or a modify with the
 *    suggestion's own text when check_decision accepts it) are written,
 *    and read back as the same items, in order, with the same ids.
 * The first byte picks the options: skip invalid records, and whether the
 * input field and output question are named.
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

static VdDecision *
answer (VdItem *item,
        guint   i)
{
  static const VdDecisionKind kinds[] = {
    VD_DECISION_KIND_APPROVE, VD_DECISION_KIND_REJECT, VD_DECISION_KIND_MODIFY,
    VD_DECISION_KIND_ESCALATE_FURTHER,
  };
  VdDecisionKind kind = kinds[i % G_N_ELEMENTS (kinds)];
  VdDecision *decision = vd_decision_new (vd_item_get_queue (item), vd_item_get_task_id (item),
                                          kind, "fuzz-reviewer");

  if (kind == VD_DECISION_KIND_MODIFY)
    vd_decision_set_modified_content (decision, vd_item_get_content (item));
  return decision;
}

static void
entry_free (gpointer data)
{
  VdFormatEntry *entry = data;

  g_clear_object (&entry->item);
  g_clear_object (&entry->decision);
  g_free (entry);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const VdFormatClass *klass = vd_format_argilla_get_class ();
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (entry_free);
  g_autoptr(GPtrArray) written_items = NULL;
  g_autoptr(GPtrArray) again = NULL;
  g_autoptr(GOutputStream) out = NULL;
  g_autoptr(GBytes) written = NULL;
  g_autoptr(GError) error = NULL;
  VdFormatSummary summary = { 0 };
  VdFormatReadOptions options = { "fuzz.json", "fuzz", FALSE, NULL, NULL };

  if (size < 1)
    return 0;

  options.skip_invalid = (data[0] & 1) != 0;
  if (data[0] & 2)
    options.input_field = "text";
  if (data[0] & 4)
    options.output_question = "label";
  data++;
  size--;

  bytes = g_bytes_new (data, size);
  items = klass->read (bytes, &options, problems, &error);
  if (items == NULL)
    {
      g_assert_error (error, VD_FORMAT_ERROR, VD_FORMAT_ERROR_INVALID);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      return 0;
    }
  for (guint i = 0; i < problems->len; i++)
    g_assert_true (g_utf8_validate (g_ptr_array_index (problems, i), -1, NULL));

  written_items = g_ptr_array_new ();
  for (guint i = 0; i < items->len; i++)
    {
      VdItem *item = g_ptr_array_index (items, i);
      VdFormatEntry *entry = g_new0 (VdFormatEntry, 1);
      g_autoptr(GError) invalid = NULL;
      g_autoptr(GError) refused = NULL;

      if (!vd_item_validate (item, &invalid))
        g_error ("an item passed the reader but not the store's gate: %s", invalid->message);

      entry->item = g_object_ref (item);
      entry->decision = answer (item, i);
      /* A modify to the suggestion's own text may be refused (empty, or a
       * label the settings do not list); such an item stays undecided. */
      if (!klass->check_decision (item, entry->decision, &refused))
        {
          g_assert_error (refused, VD_FORMAT_ERROR, VD_FORMAT_ERROR_NOT_ALLOWED);
          g_assert_true (g_utf8_validate (refused->message, -1, NULL));
          g_clear_object (&entry->decision);
        }
      if (entry->decision != NULL &&
          vd_decision_get_kind (entry->decision) != VD_DECISION_KIND_ESCALATE_FURTHER)
        g_ptr_array_add (written_items, item);
      g_ptr_array_add (entries, entry);
    }

  out = g_memory_output_stream_new_resizable ();
  if (!klass->write (entries, out, &summary, NULL, &error))
    g_error ("answers to items read could not be written: %s", error->message);
  g_assert_cmpuint (summary.written, ==, written_items->len);
  g_assert_cmpuint (summary.written + summary.held_back, ==, items->len);
  g_output_stream_close (out, NULL, NULL);
  written = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));

  if (written_items->len == 0)
    return 0;

  options.skip_invalid = FALSE;
  again = klass->read (written, &options, NULL, &error);
  if (again == NULL)
    g_error ("answers do not read back: %s", error->message);
  g_assert_cmpuint (again->len, ==, written_items->len);
  for (guint i = 0; i < again->len; i++)
    {
      VdItem *x = g_ptr_array_index (written_items, i);
      VdItem *y = g_ptr_array_index (again, i);

      g_assert_cmpstr (vd_item_get_content (x), ==, vd_item_get_content (y));
      g_assert_cmpstr (vd_item_get_context (x), ==, vd_item_get_context (y));
      /* A record without an id is named by its hash, which the answer changes. */
      if (!g_str_has_prefix (vd_item_get_task_id (x), "ar:sha256-"))
        g_assert_cmpstr (vd_item_get_task_id (x), ==, vd_item_get_task_id (y));
    }

  return 0;
}
