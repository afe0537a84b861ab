/* vd-training-export.c: training data for the agent from the decisions
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

#define G_LOG_DOMAIN "vd-training-export"

#include "config.h"

#include "vd-atomic-file-private.h"
#include "vd-audit-event.h"
#include "vd-jsonl-writer-private.h"
#include "vd-timestamp.h"
#include "vd-training-export.h"

/* A rejected output of the item being written, waiting for the output
 * that replaced it. */
typedef struct
{
  char *content;
  char *feedback;
  int   revision;
} Rejected;

static void
rejected_clear (gpointer data)
{
  Rejected *rejected = data;

  g_free (rejected->content);
  g_free (rejected->feedback);
}

typedef struct
{
  VdJsonlWriter     lines;
  /* Why writing stopped: a row callback cannot return an error. */
  GError           *error;
  VdTrainingCounts  counts;

  gint64            item_id;
  GArray           *rejected;    /* Rejected, of item_id */
} Writer;

static gboolean
writer_flush (Writer *writer)
{
  if (writer->error != NULL)
    return FALSE;

  return _vd_jsonl_writer_flush (&writer->lines, &writer->error);
}

static gboolean
writer_add (Writer      *writer,
            JsonBuilder *builder)
{
  if (writer->error != NULL)
    return FALSE;

  return _vd_jsonl_writer_add (&writer->lines, builder, &writer->error);
}

/* What the agent was given: the task, and its context after a blank line
 * when there is one. */
static char *
input_for (const VdTrainingRow *row)
{
  if (row->context[0] == '\0')
    return g_strdup (row->task_description);

  return g_strconcat (row->task_description, "\n\n", row->context, NULL);
}

static JsonBuilder *
begin_record (const VdTrainingRow *row,
              const char          *type,
              const char          *input)
{
  JsonBuilder *builder = json_builder_new ();

  json_builder_begin_object (builder);
  _vd_jsonl_add_string (builder, "type", type);
  _vd_jsonl_add_string (builder, "queue", row->queue);
  _vd_jsonl_add_string (builder, "task_id", row->task_id);
  _vd_jsonl_add_string (builder, "task_type", row->task_type);
  _vd_jsonl_add_string (builder, "input", input);

  return builder;
}

static gboolean
write_supervised (Writer              *writer,
                  const VdTrainingRow *row,
                  const char          *input,
                  const char          *output,
                  const char          *source)
{
  g_autoptr(JsonBuilder) builder = begin_record (row, "supervised", input);

  _vd_jsonl_add_string (builder, "output", output);
  _vd_jsonl_add_string (builder, "source", source);
  _vd_jsonl_add_string (builder, "reviewer_id", row->reviewer_id);
  json_builder_set_member_name (builder, "revision");
  json_builder_add_int_value (builder, row->revision);
  json_builder_end_object (builder);

  writer->counts.supervised++;
  return writer_add (writer, builder);
}

static gboolean
write_preference (Writer              *writer,
                  const VdTrainingRow *row,
                  const char          *input,
                  const char          *rejected,
                  const char          *chosen,
                  const char          *source,
                  const char          *feedback)
{
  g_autoptr(JsonBuilder) builder = begin_record (row, "preference", input);

  _vd_jsonl_add_string (builder, "rejected", rejected);
  _vd_jsonl_add_string (builder, "chosen", chosen);
  _vd_jsonl_add_string (builder, "source", source);
  _vd_jsonl_add_string (builder, "feedback", feedback);
  _vd_jsonl_add_string (builder, "reviewer_id", row->reviewer_id);
  json_builder_end_object (builder);

  writer->counts.preference++;
  return writer_add (writer, builder);
}

/* The outputs rejected earlier on this item lose to @chosen. */
static gboolean
write_rejected (Writer              *writer,
                const VdTrainingRow *row,
                const char          *input,
                const char          *chosen)
{
  for (guint i = 0; i < writer->rejected->len; i++)
    {
      const Rejected *rejected = &g_array_index (writer->rejected, Rejected, i);

      if (g_strcmp0 (rejected->content, chosen) == 0)
        continue;

      if (!write_preference (writer, row, input, rejected->content, chosen,
                             "revised_after_reject", rejected->feedback))
        return FALSE;
    }

  g_array_set_size (writer->rejected, 0);
  return TRUE;
}

static gboolean
add_row (const VdTrainingRow *row,
         gpointer             user_data)
{
  Writer *writer = user_data;
  g_autofree char *input = NULL;

  if (g_cancellable_set_error_if_cancelled (writer->lines.cancellable, &writer->error))
    return FALSE;

  if (row->item_id != writer->item_id)
    {
      g_array_set_size (writer->rejected, 0);
      writer->item_id = row->item_id;
    }

  input = input_for (row);

  switch (row->kind)
    {
    case VD_DECISION_KIND_APPROVE:
      /* An approval with an edited output counts as that edit. */
      if (row->modified_content[0] != '\0' &&
          g_strcmp0 (row->modified_content, row->content) != 0)
        return write_supervised (writer, row, input, row->modified_content, "modified") &&
               write_preference (writer, row, input, row->content, row->modified_content,
                                 "modified", row->feedback) &&
               write_rejected (writer, row, input, row->modified_content);

      return write_supervised (writer, row, input, row->content, "approved") &&
             write_rejected (writer, row, input, row->content);

    case VD_DECISION_KIND_MODIFY:
      return write_supervised (writer, row, input, row->modified_content, "modified") &&
             write_preference (writer, row, input, row->content, row->modified_content,
                               "modified", row->feedback) &&
             write_rejected (writer, row, input, row->modified_content);

    case VD_DECISION_KIND_REJECT:
      {
        Rejected rejected = { g_strdup (row->content), g_strdup (row->feedback), row->revision };

        g_array_append_val (writer->rejected, rejected);
        return TRUE;
      }

    case VD_DECISION_KIND_ESCALATE_FURTHER:
    default:
      return TRUE;
    }
}

static gboolean
write_header (Writer *writer)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GDateTime) now = vd_timestamp_now ();
  g_autofree char *exported_at = vd_timestamp_format (now);

  json_builder_begin_object (builder);
  _vd_jsonl_add_string (builder, "format", VD_TRAINING_FORMAT);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, VD_TRAINING_VERSION);
  _vd_jsonl_add_string (builder, "exported_at", exported_at);
  _vd_jsonl_add_string (builder, "app", "Verdict " PACKAGE_VERSION);
  json_builder_end_object (builder);

  return writer_add (writer, builder);
}

static gboolean
write_all (VdStore           *store,
           const char        *queue,
           GOutputStream     *stream,
           VdTrainingCounts  *counts,
           GCancellable      *cancellable,
           GError           **error)
{
  Writer writer = { 0, };
  gboolean ok;

  _vd_jsonl_writer_init (&writer.lines, stream, cancellable);
  writer.item_id = -1;
  writer.rejected = g_array_new (FALSE, FALSE, sizeof (Rejected));
  g_array_set_clear_func (writer.rejected, rejected_clear);

  ok = write_header (&writer) &&
       vd_store_foreach_training_row (store, queue, add_row, &writer, error);

  /* A row callback that stopped left its reason here. */
  if (ok && writer.error != NULL)
    ok = FALSE;
  ok = ok && writer_flush (&writer);

  if (!ok && writer.error != NULL)
    g_propagate_error (error, g_steal_pointer (&writer.error));
  g_clear_error (&writer.error);

  if (ok)
    *counts = writer.counts;

  _vd_jsonl_writer_clear (&writer.lines);
  g_array_unref (writer.rejected);

  return ok;
}

static gboolean
audit_export (VdStore                *store,
              const char             *destination,
              const VdTrainingCounts *counts,
              GError                **error)
{
  g_autoptr(JsonObject) payload = json_object_new ();
  g_autoptr(VdAuditEvent) event = NULL;

  json_object_set_string_member (payload, "kind", "training");
  json_object_set_string_member (payload, "destination", destination);
  json_object_set_int_member (payload, "records", (gint64) (counts->supervised +
                                                            counts->preference));
  json_object_set_int_member (payload, "supervised", (gint64) counts->supervised);
  json_object_set_int_member (payload, "preference", (gint64) counts->preference);
  event = vd_audit_event_new (VD_AUDIT_ACTOR_SYSTEM, VD_AUDIT_EXPORT, "", "", payload);

  return vd_store_append_audit (store, event, error);
}

/**
 * vd_training_export_write:
 * @store: a store
 * @queue: (nullable): only this queue
 * @stream: where to write (e.g. standard output)
 * @destination: what @stream is, for the audit trail (e.g. "-")
 * @counts: (out caller-allocates) (optional): what was written
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Writes the training data (see docs/formats.md, "verdict-training v1")
 * to @stream, streaming over the store's decisions, and records the export
 * in the audit trail. A failure can leave part of it in @stream: use
 * vd_training_export_file() for files.
 *
 * Returns: %TRUE on success
 */
gboolean
vd_training_export_write (VdStore           *store,
                          const char        *queue,
                          GOutputStream     *stream,
                          const char        *destination,
                          VdTrainingCounts  *counts,
                          GCancellable      *cancellable,
                          GError           **error)
{
  VdTrainingCounts result = { 0, };

  g_return_val_if_fail (VD_IS_STORE (store), FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), FALSE);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!write_all (store, queue, stream, &result, cancellable, error) ||
      !g_output_stream_flush (stream, cancellable, error) ||
      !audit_export (store, destination != NULL ? destination : "-", &result, error))
    return FALSE;

  if (counts != NULL)
    *counts = result;

  return TRUE;
}

typedef struct
{
  VdStore          *store;
  const char       *queue;
  VdTrainingCounts  counts;
} FileExport;

static gboolean
write_file_export (GOutputStream  *stream,
                   gpointer        user_data,
                   GCancellable   *cancellable,
                   GError        **error)
{
  FileExport *export = user_data;

  return write_all (export->store, export->queue, stream, &export->counts, cancellable, error);
}

/**
 * vd_training_export_file:
 * @store: a store
 * @queue: (nullable): only this queue
 * @file: the destination; replaced if it exists
 * @counts: (out caller-allocates) (optional): what was written
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Writes the training data to a temporary file next to @file and renames
 * it over @file only when complete: on any error @file is left as it was.
 * The export is recorded in the audit trail.
 *
 * Returns: %TRUE on success
 */
gboolean
vd_training_export_file (VdStore           *store,
                         const char        *queue,
                         GFile             *file,
                         VdTrainingCounts  *counts,
                         GCancellable      *cancellable,
                         GError           **error)
{
  g_autofree char *destination = NULL;
  FileExport export = { store, queue, { 0, } };

  g_return_val_if_fail (VD_IS_STORE (store), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!_vd_atomic_file_write (file, write_file_export, &export, cancellable, error))
    return FALSE;

  destination = g_file_get_parse_name (file);
  if (!audit_export (store, destination, &export.counts, error))
    return FALSE;

  if (counts != NULL)
    *counts = export.counts;

  return TRUE;
}

typedef struct
{
  char             *queue;
  GFile            *file;
  VdTrainingCounts  counts;
} ExportJob;

static void
export_job_free (ExportJob *job)
{
  g_free (job->queue);
  g_clear_object (&job->file);
  g_free (job);
}

static void
export_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ExportJob *job = task_data;
  GError *error = NULL;

  if (vd_training_export_file (source_object, job->queue, job->file, &job->counts,
                               cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * vd_training_export_file_async:
 * @store: a store
 * @queue: (nullable): only this queue
 * @file: the destination
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Runs vd_training_export_file() on a worker thread.
 */
void
vd_training_export_file_async (VdStore             *store,
                               const char          *queue,
                               GFile               *file,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ExportJob *job;

  g_return_if_fail (VD_IS_STORE (store));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  job = g_new0 (ExportJob, 1);
  job->queue = g_strdup (queue);
  job->file = g_object_ref (file);

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, vd_training_export_file_async);
  g_task_set_task_data (task, job, (GDestroyNotify) export_job_free);
  g_task_run_in_thread (task, export_thread);
}

/**
 * vd_training_export_file_finish:
 * @store: a store
 * @result: the result passed to the callback
 * @counts: (out caller-allocates) (optional): what was written
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success
 */
gboolean
vd_training_export_file_finish (VdStore           *store,
                                GAsyncResult      *result,
                                VdTrainingCounts  *counts,
                                GError           **error)
{
  g_return_val_if_fail (VD_IS_STORE (store), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, store), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        vd_training_export_file_async, FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;

  if (counts != NULL)
    {
      ExportJob *job = g_task_get_task_data (G_TASK (result));

      *counts = job->counts;
    }

  return TRUE;
}
