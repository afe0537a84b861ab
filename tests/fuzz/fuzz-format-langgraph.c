/* fuzz-format-langgraph.c: libFuzzer target for the LangGraph format
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
#include "vd-format-langgraph.h"
#include "vd-item.h"
#include "fuzz-common.h"

/*
 * Besides not crashing, the reader and writer keep these promises on every
 * input (the first byte picks skip_invalid and the decisions):
 *  - an error names the file and is valid UTF-8;
 *  - every item read passes the store's gate (vd_item_validate);
 *  - an edit that repeats the item's own output passes check_decision, so
 *    a reviewer can always edit what is shown;
 *  - writing any mix of decisions succeeds, and what is written plus what
 *    is held back is every item read.
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

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const VdFormatClass *klass = vd_format_langgraph_get_class ();
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) decisions = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GOutputStream) out = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  VdFormatSummary summary = { 0, };
  VdFormatReadOptions options = { "fuzz.json", "fuzz", FALSE, NULL, NULL };
  guint8 mode;

  if (size < 1)
    return 0;
  mode = data[0];
  options.skip_invalid = (mode & 0x80) != 0;
  bytes = g_bytes_new (data + 1, size - 1);

  items = klass->read (bytes, &options, problems, &error);
  if (items == NULL)
    {
      g_assert_nonnull (error);
      g_assert_true (g_str_has_prefix (error->message, "fuzz.json: "));
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      return 0;
    }
  g_assert_no_error (error);

  for (guint i = 0; i < items->len; i++)
    {
      VdItem *item = g_ptr_array_index (items, i);
      g_autoptr(GError) invalid = NULL;
      g_autoptr(VdDecision) edit = NULL;
      VdFormatEntry *entry = g_new0 (VdFormatEntry, 1);
      VdDecisionKind kind = (mode + i) % 5;

      if (!vd_item_validate (item, &invalid))
        g_error ("an item passed the reader but not the store's gate: %s", invalid->message);

      edit = vd_decision_new ("fuzz", vd_item_get_task_id (item), VD_DECISION_KIND_MODIFY, "f");
      vd_decision_set_modified_content (edit, vd_item_get_content (item));
      if (!klass->check_decision (item, edit, &invalid))
        g_error ("the item's own output is refused as an edit: %s", invalid->message);

      entry->item = item;
      if (kind <= VD_DECISION_KIND_ESCALATE_FURTHER)
        {
          VdDecision *decision = kind == VD_DECISION_KIND_MODIFY
                                 ? g_object_ref (edit)
                                 : vd_decision_new ("fuzz", vd_item_get_task_id (item), kind, "f");

          if (kind == VD_DECISION_KIND_REJECT && (mode & 0x40) != 0)
            vd_decision_set_feedback (decision, "no");
          g_ptr_array_add (decisions, decision);
          entry->decision = decision;
        }
      g_ptr_array_add (entries, entry);
    }

  out = g_memory_output_stream_new_resizable ();
  if (!klass->write (entries, out, &summary, NULL, &error))
    g_error ("writing the items read failed: %s", error->message);
  g_assert_cmpuint (summary.written + summary.held_back, ==, items->len);
  g_assert_cmpuint (summary.other, ==, 0);

  return 0;
}
