/* fuzz-format-prodigy.c
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

#include "vd-format.h"
#include "vd-format-prodigy.h"
#include "fuzz-common.h"

/*
 * Besides not crashing, the Prodigy reader and writer keep these promises
 * on every input:
 *  - every item read passes the store's own gate (vd_item_validate);
 *  - reading with skip-invalid returns at least what a strict read does;
 *  - the answers written for decided items read back as as many tasks,
 *    with the same ids.
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
  const VdFormatClass *klass = vd_format_prodigy_get_class ();
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);
  g_autoptr(GPtrArray) strict = NULL;
  g_autoptr(GPtrArray) lenient = NULL;
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) decisions = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GBytes) written = NULL;
  g_autoptr(GPtrArray) again = NULL;
  g_autoptr(GError) error = NULL;
  VdFormatReadOptions options = { .filename = "fuzz.jsonl", .queue = "fuzz" };
  VdFormatSummary summary = { 0 };
  static const VdDecisionKind kinds[] = {
    VD_DECISION_KIND_APPROVE, VD_DECISION_KIND_MODIFY,
    VD_DECISION_KIND_REJECT, VD_DECISION_KIND_ESCALATE_FURTHER,
  };

  g_clear_error (&error);
  vd_format_detect (bytes, "fuzz.jsonl", &error);
  g_clear_error (&error);

  strict = klass->read (bytes, &options, NULL, &error);
  g_clear_error (&error);
  options.skip_invalid = TRUE;
  lenient = klass->read (bytes, &options, problems, &error);
  g_assert_no_error (error);
  g_assert_nonnull (lenient);
  if (strict != NULL)
    g_assert_cmpuint (strict->len, ==, lenient->len);

  for (guint i = 0; i < lenient->len; i++)
    {
      VdItem *item = g_ptr_array_index (lenient, i);
      VdDecisionKind kind = kinds[i % G_N_ELEMENTS (kinds)];
      VdDecision *decision;
      VdFormatEntry *entry;

      vd_item_validate (item, &error);
      g_assert_no_error (error);

      decision = vd_decision_new ("fuzz", vd_item_get_task_id (item), kind, "fuzzer");
      g_ptr_array_add (decisions, decision);
      if (kind == VD_DECISION_KIND_MODIFY)
        vd_decision_set_modified_content (decision, vd_item_get_content (item));
      if (!vd_format_check_decision (item, decision, NULL))
        continue;

      entry = g_new0 (VdFormatEntry, 1);
      entry->item = item;
      entry->decision = decision;
      g_ptr_array_add (entries, entry);
    }

  g_assert_true (klass->write (entries, out, &summary, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (summary.written + summary.held_back, ==, entries->len);
  g_output_stream_close (out, NULL, NULL);
  written = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));

  options.skip_invalid = FALSE;
  again = klass->read (written, &options, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (again->len, ==, summary.written);

  return 0;
}
