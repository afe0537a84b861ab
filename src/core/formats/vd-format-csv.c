/* vd-format-csv.c
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

#define G_LOG_DOMAIN "vd-format-csv"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "vd-format-csv.h"
#include "vd-json-write.h"
#include "vd-timestamp.h"

/* Output is written in blocks of about this size. */
#define WRITE_BLOCK (64 * 1024)

static const char * const header[] = {
  "queue", "task_id", "source_format", "source_ids", "decision", "reviewer", "decided_at",
  "feedback", "final_output", "confidence", "model", "policy_sha256", "audit_seq",
};

/**
 * vd_format_csv_append_cell:
 * @out: where the cell goes
 * @text: (nullable): the cell's text; NULL writes an empty cell
 *
 * Appends one RFC 4180 field. A field holding a comma, a double quote, CR or
 * LF is quoted, its quotes doubled. A field starting with `=`, `+`, `-`,
 * `@`, TAB or CR gets a leading apostrophe, so that a spreadsheet shows it
 * as text instead of running it as a formula (OWASP "CSV injection"); a
 * reader that wants the exact text drops that one apostrophe.
 */
void
vd_format_csv_append_cell (GString    *out,
                           const char *text)
{
  gboolean guard;

  g_return_if_fail (out != NULL);

  if (text == NULL || text[0] == '\0')
    return;

  guard = strchr ("=+-@\t\r", text[0]) != NULL;

  if (strpbrk (text, ",\"\r\n") == NULL)
    {
      if (guard)
        g_string_append_c (out, '\'');
      g_string_append (out, text);
      return;
    }

  g_string_append_c (out, '"');
  if (guard)
    g_string_append_c (out, '\'');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static void
append_row (GString           *out,
            const char * const *cells,
            guint               n_cells)
{
  for (guint i = 0; i < n_cells; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      vd_format_csv_append_cell (out, cells[i]);
    }
  g_string_append (out, "\r\n");
}

static gboolean
flush (GString        *buffer,
       GOutputStream  *out,
       GCancellable   *cancellable,
       GError        **error)
{
  if (buffer->len == 0)
    return TRUE;

  if (!g_output_stream_write_all (out, buffer->str, buffer->len, NULL, cancellable, error))
    return FALSE;

  g_string_truncate (buffer, 0);

  return TRUE;
}

/* The shortest text that reads back as @value: 0.93, not 0.93000000000000005. */
static void
format_number (char   *buffer,
               gsize   size,
               double  value)
{
  static const char * const formats[] = { "%.15g", "%.16g", "%.17g" };

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_ascii_formatd (buffer, size, formats[i], value);
      if (g_ascii_strtod (buffer, NULL) == value)
        return;
    }
}

/* The source's own ids as compact JSON, or NULL for a Verdict queue item. */
static char *
dup_source_ids (VdItem *item)
{
  JsonObject *source = vd_item_get_source (item);
  JsonNode *ids;

  if (source == NULL)
    return NULL;

  ids = json_object_get_member (source, "ids");
  if (ids == NULL || JSON_NODE_HOLDS_NULL (ids))
    return NULL;

  return vd_json_node_to_string (ids, FALSE);
}

static void
append_entry (GString       *out,
              VdFormatEntry *entry)
{
  VdDecision *decision = entry->decision;
  VdItem *item = entry->item;
  g_autofree char *source_ids = dup_source_ids (item);
  g_autofree char *decided_at = NULL;
  g_autofree char *final_output = NULL;
  g_autofree char *audit_seq = NULL;
  char confidence[G_ASCII_DTOSTR_BUF_SIZE] = "";
  const char *cells[G_N_ELEMENTS (header)];

  if (vd_decision_get_timestamp (decision) != NULL)
    decided_at = vd_timestamp_format (vd_decision_get_timestamp (decision));

  if (vd_decision_get_final_output (decision) != NULL)
    final_output = g_strdup (vd_decision_get_final_output (decision));
  else
    final_output = vd_decision_compute_final_output (decision, vd_item_get_content (item));

  if (vd_item_has_confidence (item))
    format_number (confidence, sizeof confidence, vd_item_get_confidence (item));

  if (vd_decision_get_audit_seq (decision) > 0)
    audit_seq = g_strdup_printf ("%" G_GINT64_FORMAT, vd_decision_get_audit_seq (decision));

  cells[0] = vd_item_get_queue (item);
  cells[1] = vd_item_get_task_id (item);
  cells[2] = vd_item_get_source_format (item);
  cells[3] = source_ids;
  cells[4] = vd_decision_kind_to_string (vd_decision_get_kind (decision));
  cells[5] = vd_decision_get_reviewer_id (decision);
  cells[6] = decided_at;
  cells[7] = vd_decision_get_feedback (decision);
  cells[8] = final_output;
  cells[9] = confidence;
  cells[10] = vd_decision_get_model (decision);
  cells[11] = vd_decision_get_policy_sha256 (decision);
  cells[12] = audit_seq;

  append_row (out, cells, G_N_ELEMENTS (cells));
}

/* A final decision: one that stands and answers the item. */
static gboolean
is_final (VdDecision *decision)
{
  return decision != NULL
         && !vd_decision_get_retracted (decision)
         && vd_decision_get_kind (decision) != VD_DECISION_KIND_ESCALATE_FURTHER;
}

static gboolean
csv_write (GPtrArray        *entries,
           GOutputStream    *out,
           VdFormatSummary  *summary,
           GCancellable     *cancellable,
           GError          **error)
{
  g_autoptr(GString) buffer = g_string_sized_new (WRITE_BLOCK + 4096);

  g_return_val_if_fail (entries != NULL, FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (out), FALSE);
  g_return_val_if_fail (summary != NULL, FALSE);

  append_row (buffer, header, G_N_ELEMENTS (header));

  for (guint i = 0; i < entries->len; i++)
    {
      VdFormatEntry *entry = g_ptr_array_index (entries, i);

      if (!is_final (entry->decision))
        {
          summary->held_back++;
          continue;
        }

      append_entry (buffer, entry);
      summary->written++;

      if (buffer->len >= WRITE_BLOCK && !flush (buffer, out, cancellable, error))
        return FALSE;
    }

  return flush (buffer, out, cancellable, error);
}

static const VdFormatClass csv_class = {
  .name = "csv",
  .label = N_("CSV for spreadsheets"),
  .sniff = NULL,
  .read = NULL,
  .check_decision = NULL,
  .write = csv_write,
};

/**
 * vd_format_csv_get_class:
 *
 * Returns: (transfer none): the CSV writer
 */
const VdFormatClass *
vd_format_csv_get_class (void)
{
  return &csv_class;
}
