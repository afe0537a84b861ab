/* vd-importer.c
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

#define G_LOG_DOMAIN "vd-importer"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "vd-format.h"
#include "vd-importer.h"
#include "vd-item.h"
#include "vd-minisign.h"
#include "vd-policy.h"
#include "vd-queue-reader.h"
#include "vd-timestamp.h"

/* Progress is reported as done / PROGRESS_SCALE: the part of the bytes of
 * all files whose items are in the store (uncommitted for the last file). */
#define PROGRESS_SCALE 1000000

/* Items in a batch handed from the reader thread to the writer, and the
 * batches that may wait between them: memory stays bounded. */
#define BATCH_SIZE  2000
#define QUEUE_DEPTH 2

/* The most problem messages kept; the rest are counted. */
#define MAX_PROBLEMS 1000

/* Other tools' files are read whole; none of their tools writes an export
 * anywhere near this large. */
#define MAX_FORMAT_FILE (256 * 1024 * 1024)

/* At most this many "progress" emissions per second. */
#define PROGRESS_INTERVAL_USEC (G_USEC_PER_SEC / 20)

struct _VdImporter
{
  GObject    parent_instance;

  VdStore   *store;
  VdPolicy  *policy;
  gboolean   skip_invalid;
  GPtrArray *problems;
  char      *format;
  char      *queue;
  char      *input_field;
  char      *output_question;
};

G_DEFINE_FINAL_TYPE (VdImporter, vd_importer, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STORE,
  PROP_POLICY,
  PROP_SKIP_INVALID,
  N_PROPS
};

enum {
  PROGRESS,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* What one import needs; used on the worker thread without touching the
 * importer, whose fields belong to the thread that owns it. */
typedef struct
{
  VdStore        *store;
  VdPolicy       *policy;       /* the chosen one, or NULL */
  GHashTable     *policies;     /* queue -> VdPolicy applied, without a chosen one */
  gboolean        skip_invalid;
  char           *format;       /* NULL: detect */
  char           *queue;        /* other formats' queue; NULL: the file's base name */
  char           *input_field;
  char           *output_question;
  GPtrArray      *files;        /* GFile */
  GPtrArray      *problems;     /* char *, filled by the import */
  VdImportResult  result;

  VdProgressFunc  progress;
  gpointer        progress_data;

  /* Progress bookkeeping */
  guint64         total_bytes;
  guint64         bytes_before;  /* of the files already read */

  /* The file being imported: the policies in force for its items */
  GHashTable     *file_policies;  /* VdPolicy set */
  GFile          *file;
  GAsyncQueue    *batches;        /* Batch from the reader thread */
  GAsyncQueue    *tokens;         /* free slots of @batches, for the reader */
  gint            abort_read;     /* atomic: the writer stopped taking batches */
  guint64         read_offset;    /* reader thread: bytes of the file read so far */
  gboolean        read_done;      /* the end of the file came through */

  /* An other tool's file: its items, handed out in batches */
  GPtrArray      *format_items;
  guint           format_next;

  /* Async only */
  VdImporter     *importer;
  GMainContext   *context;
  gint64          last_emit;
} Job;

static void
job_free (Job *job)
{
  g_clear_object (&job->store);
  g_clear_object (&job->policy);
  g_free (job->format);
  g_free (job->queue);
  g_free (job->input_field);
  g_free (job->output_question);
  g_clear_pointer (&job->format_items, g_ptr_array_unref);
  g_clear_pointer (&job->policies, g_hash_table_unref);
  g_clear_pointer (&job->files, g_ptr_array_unref);
  g_clear_pointer (&job->problems, g_ptr_array_unref);
  g_clear_pointer (&job->file_policies, g_hash_table_unref);
  g_clear_object (&job->importer);
  g_clear_pointer (&job->context, g_main_context_unref);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Job, job_free)

static Job *
job_new (VdImporter  *self,
         GFile      **files,
         guint        n_files)
{
  Job *job = g_new0 (Job, 1);

  job->store = g_object_ref (self->store);
  g_set_object (&job->policy, self->policy);
  job->skip_invalid = self->skip_invalid;
  job->format = g_strdup (self->format);
  job->queue = g_strdup (self->queue);
  job->input_field = g_strdup (self->input_field);
  job->output_question = g_strdup (self->output_question);
  job->files = g_ptr_array_new_full (n_files, g_object_unref);
  for (guint i = 0; i < n_files; i++)
    g_ptr_array_add (job->files, g_object_ref (files[i]));
  job->problems = g_ptr_array_new_with_free_func (g_free);

  return job;
}

static void
job_report (Job    *job,
            double  fraction)
{
  if (job->progress == NULL)
    return;

  fraction = CLAMP (fraction, 0.0, 1.0);
  job->progress ((guint64) (fraction * PROGRESS_SCALE), PROGRESS_SCALE, job->progress_data);
}

static char *
dup_display_name (GFile *file)
{
  g_autofree char *basename = g_file_get_basename (file);

  if (basename == NULL)
    return g_file_get_parse_name (file);

  return g_filename_display_name (basename);
}

/* The policy decides items that came without a reason, and gives those
 * queued for a human without a deadline of their own the SLA of their type,
 * counted from @arrival. */
static void
apply_policy (VdPolicy  *policy,
              VdItem    *item,
              GDateTime *arrival)
{
  g_autoptr(VdPolicyResult) result = NULL;
  const char *detail;

  /* Only the policy says how many reviewers an item needs. */
  vd_item_set_reviews_required (item, vd_policy_get_reviews_required (policy, item));

  if (vd_item_get_escalation_reason (item) != VD_ESCALATION_REASON_NONE)
    {
      detail = vd_item_get_escalation_detail (item);
      if (detail == NULL || detail[0] == '\0')
        vd_item_set_escalation_detail (item, _("reason given by the queue file"));
      vd_policy_assign_due_at (policy, item, arrival);
      return;
    }

  result = vd_policy_check_item (policy, item);

  if (result->escalate)
    {
      vd_item_set_escalation_reason (item, result->reason);
      vd_policy_assign_due_at (policy, item, arrival);
    }
  else
    {
      vd_item_set_status (item, VD_TASK_STATUS_APPROVED);
    }

  vd_item_set_escalation_detail (item, result->explanation != NULL ? result->explanation : "");
}

static guint64
query_size (GFile        *file,
            GCancellable *cancellable)
{
  g_autoptr(GFileInfo) info = NULL;

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE,
                            cancellable, NULL);
  if (info == NULL || !g_file_info_has_attribute (info, G_FILE_ATTRIBUTE_STANDARD_SIZE))
    return 0;

  return (guint64) g_file_info_get_size (info);
}

/* Deadline checks that are given no policy use the last import's (the
 * chosen or remembered one; an import without any leaves it). The items
 * are in already: failing here fails nothing else. */
static void
remember_policy (Job *job)
{
  g_autofree char *data = NULL;
  g_autoptr(GError) error = NULL;
  VdPolicy *policy = job->policy;

  if (policy == NULL && job->result.policy_queue != NULL)
    policy = g_hash_table_lookup (job->policies, job->result.policy_queue);
  if (policy == NULL)
    return;

  data = vd_policy_to_data (policy);
  if (!vd_store_set_last_policy (job->store, data, &error))
    g_warning ("Could not remember the policy of the import: %s", error->message);
}

/* The key id of a minisign signature file, for messages; NULL when it is
 * not one. */
static char *
dup_signature_key_id (const char *signature_path)
{
  g_autofree char *text = NULL;
  g_autofree guchar *block = NULL;
  g_auto(GStrv) lines = NULL;
  gsize length = 0;
  guint64 id;

  if (!g_file_get_contents (signature_path, &text, NULL, NULL))
    return NULL;
  lines = g_strsplit (text, "\n", 3);
  if (g_strv_length (lines) < 2)
    return NULL;
  block = g_base64_decode (g_strstrip (lines[1]), &length);
  if (length != 2 + VD_KEY_ID_BYTES + VD_KEY_SIGNATURE_BYTES)
    return NULL;
  memcpy (&id, block + 2, sizeof id);

  return g_strdup_printf ("%016" G_GINT64_MODIFIER "X", GUINT64_FROM_LE (id));
}

/* The policies in force for the file's items, gathered as they went by. */
static void
collect_trust (Job        *job,
               GPtrArray  *trusted,
               gboolean   *required)
{
  GHashTableIter iter;
  gpointer policy;

  *required = FALSE;
  g_hash_table_iter_init (&iter, job->file_policies);
  while (g_hash_table_iter_next (&iter, &policy, NULL))
    {
      GPtrArray *sources = vd_policy_get_trusted_sources (policy);

      *required |= vd_policy_get_require_signed_queues (policy);
      for (guint j = 0; j < sources->len; j++)
        g_ptr_array_add (trusted, g_object_ref (g_ptr_array_index (sources, j)));
    }
}

/* A queue file's signature: required by the policy in force, or checked
 * when present and the policy names trusted sources. Sets @signed_by to
 * the interned key id of a signature that verified. @file_hash is the
 * BLAKE2b-512 digest of the bytes the reader parsed. */
static gboolean
check_signature (Job           *job,
                 GFile         *file,
                 const guint8  *file_hash,
                 const char   **signed_by,
                 GError       **error)
{
  g_autoptr(GPtrArray) trusted = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *signature_path = NULL;
  g_autofree char *name = g_file_get_parse_name (file);
  g_autoptr(VdKey) signer = NULL;
  g_autoptr(GError) local_error = NULL;
  gboolean required;

  *signed_by = NULL;
  collect_trust (job, trusted, &required);
  if (!required && trusted->len == 0)
    return TRUE;

  signature_path = path != NULL ? g_strconcat (path, ".minisig", NULL) : NULL;
  if (signature_path == NULL || !g_file_test (signature_path, G_FILE_TEST_EXISTS))
    {
      if (!required)
        return TRUE;
      g_set_error (error, VD_KEY_ERROR, VD_KEY_ERROR_SIGNATURE,
                   _("%s: unsigned queue; the policy requires a signature by one of its "
                     "trusted_sources"), name);
      return FALSE;
    }

  if (trusted->len == 0)
    {
      g_set_error (error, VD_KEY_ERROR, VD_KEY_ERROR_UNKNOWN_KEY,
                   _("%s.minisig: the policy requires signed queues but lists no "
                     "trusted_sources"), name);
      return FALSE;
    }

  /* Against the digest of the bytes that were parsed: a file changed
   * since is not what the signature is checked for. */
  if (file_hash == NULL)
    {
      g_set_error (error, VD_KEY_ERROR, VD_KEY_ERROR_FAILED,
                   _("%s: the queue was not read from a file, so its signature cannot be "
                     "checked"), name);
      return FALSE;
    }
  if (!vd_minisign_verify_prehashed (signature_path, file_hash, name, trusted, &signer, NULL,
                                     &local_error))
    {
      if (g_error_matches (local_error, VD_KEY_ERROR, VD_KEY_ERROR_UNKNOWN_KEY))
        {
          g_autofree char *key_id = dup_signature_key_id (signature_path);

          g_set_error (error, VD_KEY_ERROR, VD_KEY_ERROR_UNKNOWN_KEY,
                       _("%s.minisig: signed by key %s, which is not among the policy’s "
                         "trusted_sources"), name, key_id != NULL ? key_id : "?");
        }
      else
        g_set_error (error, local_error->domain, local_error->code,
                     _("%s.minisig: signature does not verify (%s)"), name,
                     local_error->message);
      return FALSE;
    }

  *signed_by = g_intern_string (vd_key_get_id (signer));

  return TRUE;
}

/* What the reader thread hands the writer: a batch, or the end of the
 * file with its error or its digest. */
typedef struct
{
  GPtrArray *items;
  guint64    offset;    /* bytes of the file read when the batch was cut */
  GError    *error;
  gboolean   has_hash;
  guint8     hash[VD_MINISIGN_HASH_BYTES];
} Batch;

static void
batch_free (Batch *batch)
{
  g_clear_pointer (&batch->items, g_ptr_array_unref);
  g_clear_error (&batch->error);
  g_free (batch);
}

/* Reader thread: the bytes read so far. */
static void
on_read_progress (guint64  done,
                  guint64  total,
                  gpointer user_data)
{
  Job *job = user_data;

  job->read_offset = done;
}

/* Reader thread: waits for a free slot, then queues @items. */
static gboolean
on_read_batch (GPtrArray  *items,
               gpointer    user_data,
               GError    **error)
{
  Job *job = user_data;
  Batch *batch;

  g_async_queue_pop (job->tokens);
  if (g_atomic_int_get (&job->abort_read))
    {
      g_ptr_array_unref (items);
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "The import stopped");
      return FALSE;
    }

  batch = g_new0 (Batch, 1);
  batch->items = items;
  batch->offset = job->read_offset;
  g_async_queue_push (job->batches, batch);

  return TRUE;
}

typedef struct
{
  Job           *job;
  VdQueueReader *reader;
  GCancellable  *cancellable;
} ReadThread;

static gpointer
read_thread (gpointer data)
{
  ReadThread *rt = data;
  Job *job = rt->job;
  g_autoptr(GPtrArray) rest = NULL;
  Batch *end = g_new0 (Batch, 1);

  rest = vd_queue_reader_read_file (rt->reader, job->file, on_read_progress, job,
                                    rt->cancellable, &end->error);
  if (rest != NULL)
    end->has_hash = vd_queue_reader_get_file_hash (rt->reader, end->hash);

  /* The end needs no slot: the writer always takes it. */
  g_async_queue_push (job->batches, end);

  return NULL;
}

static VdPolicy *
policy_for_queue (Job             *job,
                  VdImportStream  *stream,
                  const char      *queue,
                  GError         **error)
{
  g_autofree char *json = NULL;
  g_autofree char *source = NULL;
  g_autofree char *label = NULL;
  VdPolicy *policy;

  if (job->policy != NULL)
    return job->policy;

  policy = g_hash_table_lookup (job->policies, queue);
  if (policy != NULL)
    return policy;

  if (!vd_import_stream_get_queue_policy (stream, queue, &json, &source, error))
    return NULL;

  if (json == NULL)
    {
      policy = vd_policy_new_review_all ();
      g_hash_table_insert (job->policies, g_strdup (queue), policy);
      return policy;
    }

  /* TRANSLATORS: names a stored policy in its load errors */
  label = g_strdup_printf (_("the policy remembered for queue %s"), queue);
  policy = vd_policy_new_from_data (json, -1, label, error);
  if (policy == NULL)
    return NULL;
  vd_policy_set_source (policy, source);
  g_hash_table_insert (job->policies, g_strdup (queue), policy);

  if (job->result.policy_queue == NULL)
    {
      job->result.policy_kind = VD_IMPORT_POLICY_REMEMBERED;
      job->result.policy_queue = g_intern_string (queue);
      job->result.policy_source = g_intern_string (source);
    }

  return policy;
}

/* Writer: the next batch with the policy applied, inside the file's
 * transaction; at the end, the file's signature is checked before the
 * store commits. */
static GPtrArray *
next_batch (VdImportStream  *stream,
            gpointer         user_data,
            GError         **error)
{
  Job *job = user_data;
  Batch *batch = g_async_queue_pop (job->batches);
  g_autoptr(GDateTime) arrival = NULL;
  GPtrArray *items;

  if (batch->items == NULL)
    {
      const char *signed_by = NULL;

      job->read_done = TRUE;
      if (batch->error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&batch->error));
          batch_free (batch);
          return NULL;
        }

      if (check_signature (job, job->file, batch->has_hash ? batch->hash : NULL, &signed_by,
                           error))
        job->result.signed_by = signed_by;
      batch_free (batch);
      return NULL;
    }

  g_async_queue_push (job->tokens, GINT_TO_POINTER (1));

  arrival = vd_timestamp_now ();
  for (guint i = 0; i < batch->items->len; i++)
    {
      VdItem *item = g_ptr_array_index (batch->items, i);
      VdPolicy *policy = policy_for_queue (job, stream, vd_item_get_queue (item), error);

      if (policy == NULL)
        {
          batch_free (batch);
          return NULL;
        }

      if (!g_hash_table_contains (job->file_policies, policy))
        g_hash_table_add (job->file_policies, g_object_ref (policy));
      if (job->policy == NULL && vd_policy_get_review_all (policy) &&
          vd_item_get_escalation_reason (item) == VD_ESCALATION_REASON_NONE)
        job->result.review_all++;

      apply_policy (policy, item, arrival);
    }

  if (job->total_bytes > 0)
    job_report (job, (double) (job->bytes_before + batch->offset) / job->total_bytes);

  items = g_steal_pointer (&batch->items);
  batch_free (batch);

  return items;
}

/* Writer: the next batch of an other tool's file, with the policy applied,
 * inside the file's transaction. */
static GPtrArray *
next_format_batch (VdImportStream  *stream,
                   gpointer         user_data,
                   GError         **error)
{
  Job *job = user_data;
  g_autoptr(GPtrArray) batch = NULL;
  g_autoptr(GDateTime) arrival = NULL;
  guint end;

  if (job->format_next >= job->format_items->len)
    return NULL;

  end = MIN (job->format_next + BATCH_SIZE, job->format_items->len);
  batch = g_ptr_array_new_full (end - job->format_next, g_object_unref);
  arrival = vd_timestamp_now ();

  for (; job->format_next < end; job->format_next++)
    {
      VdItem *item = g_ptr_array_index (job->format_items, job->format_next);
      VdPolicy *policy = policy_for_queue (job, stream, vd_item_get_queue (item), error);

      if (policy == NULL)
        return NULL;

      if (!g_hash_table_contains (job->file_policies, policy))
        g_hash_table_add (job->file_policies, g_object_ref (policy));
      if (job->policy == NULL && vd_policy_get_review_all (policy) &&
          vd_item_get_escalation_reason (item) == VD_ESCALATION_REASON_NONE)
        job->result.review_all++;

      apply_policy (policy, item, arrival);
      g_ptr_array_add (batch, g_object_ref (item));
    }

  return g_steal_pointer (&batch);
}

/* The queue of an other tool's file: the one asked for, or the file's
 * base name without its extension. */
static char *
format_queue (Job   *job,
              GFile *file)
{
  g_autofree char *basename = NULL;
  char *dot;

  if (job->queue != NULL)
    return g_strdup (job->queue);

  basename = g_file_get_basename (file);
  if (basename == NULL)
    return g_strdup ("imported");
  dot = strrchr (basename, '.');
  if (dot != NULL && dot != basename)
    *dot = '\0';

  return g_filename_display_name (basename);
}

/* Reads an other tool's file whole (@bytes) with its format's reader and
 * writes its items in one transaction. */
static gboolean
import_format_file (Job                  *job,
                    GFile                *file,
                    GBytes               *bytes,
                    const VdFormatClass  *klass,
                    const char           *policy_json,
                    GCancellable         *cancellable,
                    GError              **error)
{
  g_autofree char *name = dup_display_name (file);
  g_autofree char *queue = format_queue (job, file);
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) items = NULL;
  VdFormatReadOptions options = {
    .filename = name,
    .queue = queue,
    .skip_invalid = job->skip_invalid,
    .input_field = job->input_field,
    .output_question = job->output_question,
  };
  gboolean ok;

  items = klass->read (bytes, &options, problems, error);
  if (items == NULL)
    return FALSE;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  g_clear_pointer (&job->file_policies, g_hash_table_unref);
  job->file_policies = g_hash_table_new_full (NULL, NULL, g_object_unref, NULL);
  job->format_items = g_steal_pointer (&items);
  job->format_next = 0;
  job->file = file;

  ok = vd_store_import_stream (job->store, name, next_format_batch, job, policy_json,
                               job->result.policy_source, &job->result, cancellable, error);

  job->file = NULL;
  g_clear_pointer (&job->format_items, g_ptr_array_unref);
  if (!ok)
    return FALSE;

  for (guint j = 0; j < problems->len && job->problems->len < MAX_PROBLEMS; j++)
    g_ptr_array_add (job->problems, g_strdup (g_ptr_array_index (problems, j)));
  job->result.invalid += problems->len;

  return TRUE;
}

/* The format of @file: the one asked for, or the one its content shows.
 * Sets *@bytes to the file's content for any format but Verdict's own,
 * whose reader streams the file. */
static gboolean
choose_format (Job                   *job,
               GFile                 *file,
               const VdFormatClass  **klass,
               GBytes               **bytes,
               GError               **error)
{
  g_autofree char *name = dup_display_name (file);
  g_autofree char *path = NULL;
  g_autoptr(GMappedFile) mapped = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GBytes) content = NULL;

  *klass = NULL;
  *bytes = NULL;

  if (g_strcmp0 (job->format, "verdict") == 0)
    return TRUE;

  if (job->format != NULL)
    {
      *klass = vd_format_lookup (job->format);
      if (*klass == NULL || (*klass)->read == NULL)
        {
          g_autofree char *names = vd_format_list_names (TRUE);

          g_set_error (error, VD_FORMAT_ERROR, VD_FORMAT_ERROR_UNKNOWN_FORMAT,
                       _("There is no format “%s” to import; the formats are %s"),
                       job->format, names);
          return FALSE;
        }
    }

  path = g_file_get_path (file);
  if (path != NULL)
    mapped = g_mapped_file_new (path, FALSE, &local_error);
  if (mapped != NULL)
    content = g_mapped_file_get_bytes (mapped);
  else
    {
      char *data = NULL;
      gsize length = 0;

      g_clear_error (&local_error);
      if (!g_file_load_contents (file, NULL, &data, &length, NULL, error))
        return FALSE;
      content = g_bytes_new_take (data, length);
    }

  /* Not one of the other tools' files: Verdict's own queue reader takes it
   * and says what is wrong with it, if anything. */
  if (*klass == NULL)
    {
      *klass = vd_format_detect (content, name, NULL);
      if (*klass == NULL)
        return TRUE;
    }

  if (g_bytes_get_size (content) > MAX_FORMAT_FILE)
    {
      g_set_error (error, VD_FORMAT_ERROR, VD_FORMAT_ERROR_INVALID,
                   _("%s: larger than %u MiB, the most Verdict reads of a %s file"),
                   name, MAX_FORMAT_FILE / (1024 * 1024), (*klass)->name);
      return FALSE;
    }

  *bytes = g_steal_pointer (&content);
  return TRUE;
}

/* Reads and writes one file: the reader thread parses and checks batches
 * while this one writes the previous ones, in one transaction. */
static gboolean
import_file (Job            *job,
             GFile          *file,
             const char     *policy_json,
             GCancellable   *cancellable,
             GError        **error)
{
  g_autoptr(VdQueueReader) reader = vd_queue_reader_new ();
  g_autofree char *name = dup_display_name (file);
  ReadThread rt = { job, reader, cancellable };
  GThread *thread;
  GPtrArray *problems;
  gboolean ok;

  vd_queue_reader_set_skip_invalid (reader, job->skip_invalid);
  vd_queue_reader_set_batch_func (reader, BATCH_SIZE, on_read_batch, job);

  job->file = file;
  job->read_offset = 0;
  job->read_done = FALSE;
  job->abort_read = FALSE;
  job->batches = g_async_queue_new_full ((GDestroyNotify) batch_free);
  job->tokens = g_async_queue_new ();
  for (guint i = 0; i < QUEUE_DEPTH; i++)
    g_async_queue_push (job->tokens, GINT_TO_POINTER (1));
  g_clear_pointer (&job->file_policies, g_hash_table_unref);
  job->file_policies = g_hash_table_new_full (NULL, NULL, g_object_unref, NULL);

  thread = g_thread_new ("vd-import-read", read_thread, &rt);
  ok = vd_store_import_stream (job->store, name, next_batch, job, policy_json,
                               job->result.policy_source, &job->result, cancellable, error);

  /* A failed write stops the reader: it takes no more batches. */
  if (!job->read_done)
    {
      g_atomic_int_set (&job->abort_read, TRUE);
      for (;;)
        {
          Batch *batch;

          g_async_queue_push (job->tokens, GINT_TO_POINTER (1));
          batch = g_async_queue_pop (job->batches);
          if (batch->items == NULL)
            {
              batch_free (batch);
              break;
            }
          batch_free (batch);
        }
    }
  g_thread_join (thread);

  g_clear_pointer (&job->batches, g_async_queue_unref);
  g_clear_pointer (&job->tokens, g_async_queue_unref);
  job->file = NULL;

  if (!ok)
    return FALSE;

  problems = vd_queue_reader_get_problems (reader);
  for (guint j = 0; j < problems->len && job->problems->len < MAX_PROBLEMS; j++)
    g_ptr_array_add (job->problems, g_strdup (g_ptr_array_index (problems, j)));
  job->result.invalid += vd_queue_reader_get_n_problems (reader);

  return TRUE;
}

static gboolean
job_run (Job           *job,
         GCancellable  *cancellable,
         GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *policy_json = NULL;
  gboolean ok = TRUE;

  memset (&job->result, 0, sizeof job->result);
  g_clear_pointer (&job->policies, g_hash_table_unref);
  job->policies = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  g_ptr_array_set_size (job->problems, 0);
  job_report (job, 0.0);

  /* A file that cannot be opened is found before anything is written. */
  for (guint i = 0; i < job->files->len; i++)
    {
      g_autoptr(GFileInputStream) stream = NULL;

      stream = g_file_read (g_ptr_array_index (job->files, i), cancellable, error);
      if (stream == NULL)
        return FALSE;
      job->total_bytes += query_size (g_ptr_array_index (job->files, i), cancellable);
    }

  if (job->policy != NULL)
    {
      const char *source = vd_policy_get_source (job->policy);

      job->result.policy_kind = VD_IMPORT_POLICY_CHOSEN;
      job->result.policy_source = g_intern_string (source != NULL ? source : "");
      policy_json = vd_policy_to_data (job->policy);
    }

  /* One transaction per file. */
  for (guint i = 0; ok && i < job->files->len; i++)
    {
      GFile *file = g_ptr_array_index (job->files, i);

      const VdFormatClass *klass = NULL;
      g_autoptr(GBytes) bytes = NULL;

      job->result.signed_by = NULL;
      ok = choose_format (job, file, &klass, &bytes, &local_error);
      if (ok && klass != NULL)
        ok = import_format_file (job, file, bytes, klass, policy_json, cancellable,
                                 &local_error);
      else if (ok)
        ok = import_file (job, file, policy_json, cancellable, &local_error);
      job->bytes_before += query_size (file, NULL);
      if (ok && job->total_bytes > 0)
        job_report (job, (double) job->bytes_before / job->total_bytes);
    }

  if (!ok)
    {
      /* Whichever layer noticed it, a cancellation is reported as one. */
      if (g_cancellable_is_cancelled (cancellable) &&
          !g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_clear_error (&local_error);
          g_cancellable_set_error_if_cancelled (cancellable, &local_error);
        }

      g_ptr_array_set_size (job->problems, 0);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  job->result.signed_by = NULL;
  remember_policy (job);
  job_report (job, 1.0);

  return TRUE;
}

static void
vd_importer_dispose (GObject *object)
{
  VdImporter *self = (VdImporter *)object;

  g_clear_object (&self->store);
  g_clear_object (&self->policy);

  G_OBJECT_CLASS (vd_importer_parent_class)->dispose (object);
}

static void
vd_importer_finalize (GObject *object)
{
  VdImporter *self = (VdImporter *)object;

  g_clear_pointer (&self->problems, g_ptr_array_unref);
  g_free (self->format);
  g_free (self->queue);
  g_free (self->input_field);
  g_free (self->output_question);

  G_OBJECT_CLASS (vd_importer_parent_class)->finalize (object);
}

static void
vd_importer_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  VdImporter *self = VD_IMPORTER (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_POLICY:
      g_value_set_object (value, self->policy);
      break;

    case PROP_SKIP_INVALID:
      g_value_set_boolean (value, self->skip_invalid);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vd_importer_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  VdImporter *self = VD_IMPORTER (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;

    case PROP_POLICY:
      self->policy = g_value_dup_object (value);
      break;

    case PROP_SKIP_INVALID:
      vd_importer_set_skip_invalid (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vd_importer_class_init (VdImporterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = vd_importer_dispose;
  object_class->finalize = vd_importer_finalize;
  object_class->get_property = vd_importer_get_property;
  object_class->set_property = vd_importer_set_property;

  /**
   * VdImporter:store:
   *
   * The store the items go to.
   */
  properties[PROP_STORE] =
    g_param_spec_object ("store", "Store", "The store the items go to",
                         VD_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * VdImporter:policy:
   *
   * The escalation policy chosen for items without a reason, or %NULL when
   * none was chosen: then each queue gets the policy remembered for it
   * (vd_store_get_queue_policy()), else vd_policy_new_review_all(), which
   * approves nothing automatically.
   */
  properties[PROP_POLICY] =
    g_param_spec_object ("policy", "Policy", "The escalation policy",
                         VD_TYPE_POLICY,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * VdImporter:skip-invalid:
   *
   * Whether bad lines are left out (see vd_importer_get_problems()) instead
   * of failing the import.
   */
  properties[PROP_SKIP_INVALID] =
    g_param_spec_boolean ("skip-invalid", "Skip invalid", "Leave out bad lines",
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * VdImporter::progress:
   * @self: the importer
   * @fraction: the part of the work done, 0.0 to 1.0
   *
   * Emitted during vd_importer_import_async() on the thread-default main
   * context of its caller, at most about 20 times a second.
   */
  signals[PROGRESS] =
    g_signal_new ("progress",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_DOUBLE);
}

static void
vd_importer_init (VdImporter *self)
{
  self->problems = g_ptr_array_new_with_free_func (g_free);
}

/**
 * vd_importer_new:
 * @store: the store to import into
 * @policy: (nullable): the escalation policy chosen for the import, or
 *   %NULL when none was chosen (see #VdImporter:policy)
 *
 * Returns: (transfer full): a new importer
 */
VdImporter *
vd_importer_new (VdStore  *store,
                 VdPolicy *policy)
{
  g_return_val_if_fail (VD_IS_STORE (store), NULL);
  g_return_val_if_fail (policy == NULL || VD_IS_POLICY (policy), NULL);

  return g_object_new (VD_TYPE_IMPORTER,
                       "store", store,
                       "policy", policy,
                       NULL);
}

/**
 * vd_importer_set_skip_invalid:
 * @self: an importer
 * @skip_invalid: whether to leave bad lines out
 *
 * See vd_queue_reader_set_skip_invalid().
 */
void
vd_importer_set_skip_invalid (VdImporter *self,
                              gboolean    skip_invalid)
{
  g_return_if_fail (VD_IS_IMPORTER (self));

  skip_invalid = !!skip_invalid;
  if (self->skip_invalid == skip_invalid)
    return;

  self->skip_invalid = skip_invalid;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SKIP_INVALID]);
}

static void
set_str (char       **field,
         const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
}

/**
 * vd_importer_set_format:
 * @self: an importer
 * @name: (nullable): a format's wire name (`verdict`, `langgraph`,
 *   `label-studio`, `argilla`, `prodigy`), or %NULL to find each file's
 *   format from its content (vd_format_detect())
 *
 * Which format the files are in. An unknown name fails the import.
 */
void
vd_importer_set_format (VdImporter *self,
                        const char *name)
{
  g_return_if_fail (VD_IS_IMPORTER (self));

  set_str (&self->format, name);
}

/**
 * vd_importer_set_queue:
 * @self: an importer
 * @queue: (nullable): the queue of the items of other tools' files, or
 *   %NULL for each file's base name without its extension
 *
 * Verdict's own queue files name their queue themselves and ignore this.
 */
void
vd_importer_set_queue (VdImporter *self,
                       const char *queue)
{
  g_return_if_fail (VD_IS_IMPORTER (self));

  set_str (&self->queue, queue);
}

/**
 * vd_importer_set_field_mapping:
 * @self: an importer
 * @input_field: (nullable): Argilla: the field shown as the task, or %NULL
 *   for the first text field
 * @output_question: (nullable): Argilla: the question whose suggestion is
 *   the output, or %NULL for the first with a suggestion
 */
void
vd_importer_set_field_mapping (VdImporter *self,
                               const char *input_field,
                               const char *output_question)
{
  g_return_if_fail (VD_IS_IMPORTER (self));

  set_str (&self->input_field, input_field);
  set_str (&self->output_question, output_question);
}

/**
 * vd_importer_get_store:
 * @self: an importer
 *
 * Returns: (transfer none): the store
 */
VdStore *
vd_importer_get_store (VdImporter *self)
{
  g_return_val_if_fail (VD_IS_IMPORTER (self), NULL);

  return self->store;
}

/**
 * vd_importer_get_policy:
 * @self: an importer
 *
 * Returns: (transfer none) (nullable): the escalation policy chosen, or
 *   %NULL when none was
 */
VdPolicy *
vd_importer_get_policy (VdImporter *self)
{
  g_return_val_if_fail (VD_IS_IMPORTER (self), NULL);

  return self->policy;
}

static void
take_problems (VdImporter *self,
               Job        *job)
{
  g_ptr_array_set_size (self->problems, 0);
  for (guint i = 0; i < job->problems->len; i++)
    g_ptr_array_add (self->problems, g_strdup (g_ptr_array_index (job->problems, i)));
}

/**
 * vd_importer_import:
 * @self: an importer
 * @files: (array length=n_files): queue files
 * @n_files: the number of files
 * @result: (out caller-allocates) (optional): what the import did
 * @progress: (nullable) (scope call): called from this thread with the work
 *   done so far as @done / @total, @total being 1000000
 * @progress_data: data for @progress
 * @cancellable: (nullable): a cancellable
 * @error: return location for an error
 *
 * Streams each file to the store in one transaction, a reader thread
 * parsing batches while this thread writes the ones before (memory stays
 * bounded whatever the size): applies the policy to the items without an
 * escalation reason, gives the items queued for a human that have no
 * due_at the deadline of the policy's SLA for their type (counted from now,
 * see vd_policy_assign_due_at()), and checks the file's signature before
 * its commit. A bad line (unless skip-invalid is set), a refused signature
 * or a cancellation rolls that file back and stops the import; the files
 * before it stay imported. A file that cannot be opened stops the import
 * before anything is written.
 *
 * A chosen policy is remembered, in the same transaction, for every queue
 * of the files (vd_store_set_queue_policy()). Without one, each item gets
 * the policy remembered for its queue, else vd_policy_new_review_all():
 * nothing is approved automatically unless someone chose a policy for the
 * queue. @result says which applied (policy_kind, policy_source,
 * policy_queue, review_all). The policy that applied is also remembered
 * (vd_store_set_last_policy()) for deadline checks given none. Blocks: use
 * vd_importer_import_async() from a UI thread.
 *
 * Returns: %TRUE on success
 */
gboolean
vd_importer_import (VdImporter      *self,
                    GFile          **files,
                    guint            n_files,
                    VdImportResult  *result,
                    VdProgressFunc   progress,
                    gpointer         progress_data,
                    GCancellable    *cancellable,
                    GError         **error)
{
  g_autoptr(Job) job = NULL;

  g_return_val_if_fail (VD_IS_IMPORTER (self), FALSE);
  g_return_val_if_fail (files != NULL || n_files == 0, FALSE);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  job = job_new (self, files, n_files);
  job->progress = progress;
  job->progress_data = progress_data;

  if (!job_run (job, cancellable, error))
    {
      g_ptr_array_set_size (self->problems, 0);
      return FALSE;
    }

  take_problems (self, job);
  if (result != NULL)
    *result = job->result;

  return TRUE;
}

typedef struct
{
  VdImporter *importer;
  double      fraction;
} ProgressEmission;

static gboolean
emit_progress (gpointer user_data)
{
  ProgressEmission *emission = user_data;

  g_signal_emit (emission->importer, signals[PROGRESS], 0, emission->fraction);

  return G_SOURCE_REMOVE;
}

static void
progress_emission_free (gpointer data)
{
  ProgressEmission *emission = data;

  g_object_unref (emission->importer);
  g_free (emission);
}

/* On the worker: hands the fraction to the caller's main context. */
static void
on_async_progress (guint64  done,
                   guint64  total,
                   gpointer user_data)
{
  Job *job = user_data;
  gint64 now = g_get_monotonic_time ();
  ProgressEmission *emission;

  if (done < total && job->last_emit != 0 &&
      now - job->last_emit < PROGRESS_INTERVAL_USEC)
    return;

  job->last_emit = now;

  emission = g_new0 (ProgressEmission, 1);
  emission->importer = g_object_ref (job->importer);
  emission->fraction = total > 0 ? (double) done / total : 0.0;
  g_main_context_invoke_full (job->context, G_PRIORITY_DEFAULT,
                              emit_progress, emission, progress_emission_free);
}

static void
import_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Job *job = task_data;
  GError *error = NULL;

  if (!job_run (job, cancellable, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * vd_importer_import_async:
 * @self: an importer
 * @files: (array length=n_files): queue files
 * @n_files: the number of files
 * @cancellable: (nullable): a cancellable; a cancelled import leaves the
 *   store as it was before the file being written
 * @callback: called when the import is done
 * @user_data: data for @callback
 *
 * Does what vd_importer_import() does on a worker thread, emitting
 * #VdImporter::progress on the thread-default main context of the caller.
 */
void
vd_importer_import_async (VdImporter          *self,
                          GFile              **files,
                          guint                n_files,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Job *job;

  g_return_if_fail (VD_IS_IMPORTER (self));
  g_return_if_fail (files != NULL || n_files == 0);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  job = job_new (self, files, n_files);
  job->importer = g_object_ref (self);
  job->context = g_main_context_ref_thread_default ();
  job->progress = on_async_progress;
  job->progress_data = job;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vd_importer_import_async);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  g_task_set_return_on_cancel (task, FALSE);
  g_task_run_in_thread (task, import_thread);
}

/**
 * vd_importer_import_finish:
 * @self: an importer
 * @result: the #GAsyncResult given to the callback
 * @import_result: (out caller-allocates) (optional): what the import did
 * @error: return location for an error
 *
 * Returns: %TRUE on success
 */
gboolean
vd_importer_import_finish (VdImporter      *self,
                           GAsyncResult    *result,
                           VdImportResult  *import_result,
                           GError         **error)
{
  GTask *task = G_TASK (result);
  Job *job;

  g_return_val_if_fail (VD_IS_IMPORTER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (task) == vd_importer_import_async, FALSE);

  if (!g_task_propagate_boolean (task, error))
    {
      g_ptr_array_set_size (self->problems, 0);
      return FALSE;
    }

  job = g_task_get_task_data (task);
  take_problems (self, job);
  if (import_result != NULL)
    *import_result = job->result;

  return TRUE;
}

/**
 * vd_importer_get_problems:
 * @self: an importer
 *
 * Returns: (transfer none) (element-type utf8): after a successful import
 *   with skip-invalid, the message of every line left out
 */
GPtrArray *
vd_importer_get_problems (VdImporter *self)
{
  g_return_val_if_fail (VD_IS_IMPORTER (self), NULL);

  return self->problems;
}
