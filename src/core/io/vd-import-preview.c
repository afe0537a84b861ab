/* vd-import-preview.c: what an import would do under a policy
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

#define G_LOG_DOMAIN "vd-import-preview"

#include "config.h"

#include <string.h>

#include "vd-format.h"
#include "vd-import-preview.h"
#include "vd-item.h"
#include "vd-queue-reader.h"

struct _VdImportPreview
{
  GObject    parent_instance;

  guint      n_items;
  guint      n_approved;
  GPtrArray *problems;       /* char * */
  VdPolicy  *policy;         /* NULL when its file could not be read */
  GError    *policy_error;
};

G_DEFINE_FINAL_TYPE (VdImportPreview, vd_import_preview, G_TYPE_OBJECT)

/* Items counted at a time, and the problem messages kept. */
#define PREVIEW_BATCH        1000
#define PREVIEW_MAX_PROBLEMS 1000

static void
vd_import_preview_finalize (GObject *object)
{
  VdImportPreview *self = (VdImportPreview *)object;

  g_clear_pointer (&self->problems, g_ptr_array_unref);
  g_clear_object (&self->policy);
  g_clear_error (&self->policy_error);

  G_OBJECT_CLASS (vd_import_preview_parent_class)->finalize (object);
}

static void
vd_import_preview_class_init (VdImportPreviewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = vd_import_preview_finalize;
}

static void
vd_import_preview_init (VdImportPreview *self)
{
  self->problems = g_ptr_array_new_with_free_func (g_free);
}

/* As VdImporter decides: a reason from the queue file sends the item to
 * review whatever the policy says. */
static gboolean
would_approve (VdPolicy *policy,
               VdItem   *item)
{
  g_autoptr(VdPolicyResult) result = NULL;

  if (policy == NULL)
    return FALSE;

  if (vd_item_get_escalation_reason (item) != VD_ESCALATION_REASON_NONE)
    return FALSE;

  result = vd_policy_check_item (policy, item);

  return !result->escalate;
}

/**
 * vd_import_preview_compute:
 * @files: (array length=n_files): queue files
 * @n_files: the number of files
 * @policy: (nullable): the policy, or %NULL to read @policy_path
 * @policy_path: (nullable): a policy file, read when @policy is %NULL
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Reads @files and counts what an import with @policy would approve
 * automatically and send to review. With neither @policy nor
 * @policy_path, nothing is approved.
 *
 * Returns: (transfer full) (nullable): the preview, or %NULL with @error
 *   set when a file cannot be read at all or @cancellable was cancelled
 */
/* Counts a batch and lets it go: the preview streams the files and keeps
 * no item. */
static gboolean
count_batch (GPtrArray  *items,
             gpointer    user_data,
             GError    **error)
{
  g_autoptr(GPtrArray) batch = items;
  VdImportPreview *self = user_data;

  for (guint j = 0; j < batch->len; j++)
    if (would_approve (self->policy, g_ptr_array_index (batch, j)))
      self->n_approved++;

  self->n_items += batch->len;

  return TRUE;
}

/* Another tool's file (see vd-format.h): read whole with its format's
 * reader, as VdImporter reads it. Returns 1 when @file was one and is
 * counted, 0 when it is a Verdict queue, -1 with @error. */
static int
preview_format_file (VdImportPreview  *self,
                     GFile            *file,
                     GCancellable     *cancellable,
                     GError          **error)
{
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GMappedFile) mapped = NULL;
  g_autofree char *path = NULL;
  g_autofree char *basename = g_file_get_basename (file);
  g_autofree char *name = NULL;
  g_autofree char *queue = NULL;
  const VdFormatClass *klass;
  VdFormatReadOptions options = { 0 };
  char *data = NULL;
  gsize length = 0;
  char *dot;

  /* Mapped, so that a large Verdict queue is not read twice into memory. */
  path = g_file_get_path (file);
  if (path != NULL)
    mapped = g_mapped_file_new (path, FALSE, NULL);
  if (mapped != NULL)
    bytes = g_mapped_file_get_bytes (mapped);
  else
    {
      if (!g_file_load_contents (file, cancellable, &data, &length, NULL, error))
        return -1;
      bytes = g_bytes_new_take (data, length);
    }

  name = basename != NULL ? g_filename_display_name (basename) : g_file_get_parse_name (file);
  klass = vd_format_detect (bytes, name, NULL);
  if (klass == NULL || klass->read == NULL)
    return 0;

  queue = g_strdup (name);
  dot = strrchr (queue, '.');
  if (dot != NULL && dot != queue)
    *dot = '\0';

  options.filename = name;
  options.queue = queue;
  options.skip_invalid = TRUE;
  items = klass->read (bytes, &options, problems, error);
  if (items == NULL)
    return -1;

  for (guint j = 0; j < problems->len && self->problems->len < PREVIEW_MAX_PROBLEMS; j++)
    g_ptr_array_add (self->problems, g_strdup (g_ptr_array_index (problems, j)));

  g_ptr_array_ref (items);
  count_batch (items, self, NULL);

  return 1;
}

VdImportPreview *
vd_import_preview_compute (GFile        **files,
                           guint          n_files,
                           VdPolicy      *policy,
                           const char    *policy_path,
                           GCancellable  *cancellable,
                           GError       **error)
{
  g_autoptr(VdImportPreview) self = NULL;
  g_autoptr(VdQueueReader) reader = NULL;

  g_return_val_if_fail (files != NULL || n_files == 0, NULL);
  g_return_val_if_fail (policy == NULL || VD_IS_POLICY (policy), NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (VD_TYPE_IMPORT_PREVIEW, NULL);

  if (policy != NULL)
    self->policy = g_object_ref (policy);
  else if (policy_path != NULL)
    self->policy = vd_policy_new_from_file (policy_path, &self->policy_error);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  reader = vd_queue_reader_new ();
  vd_queue_reader_set_skip_invalid (reader, TRUE);
  vd_queue_reader_set_batch_func (reader, PREVIEW_BATCH, count_batch, self);

  for (guint i = 0; i < n_files; i++)
    {
      g_autoptr(GPtrArray) rest = NULL;
      GPtrArray *problems;
      int counted;

      counted = preview_format_file (self, files[i], cancellable, error);
      if (counted < 0)
        return NULL;
      if (counted > 0)
        continue;

      /* The reader checks @cancellable between chunks of the file. */
      rest = vd_queue_reader_read_file (reader, files[i], NULL, NULL, cancellable, error);
      if (rest == NULL)
        return NULL;

      problems = vd_queue_reader_get_problems (reader);
      for (guint j = 0; j < problems->len && self->problems->len < PREVIEW_MAX_PROBLEMS; j++)
        g_ptr_array_add (self->problems, g_strdup (g_ptr_array_index (problems, j)));
    }

  return g_steal_pointer (&self);
}

typedef struct
{
  GPtrArray *files;
  VdPolicy  *policy;
  char      *policy_path;
} PreviewJob;

static void
preview_job_free (PreviewJob *job)
{
  g_clear_pointer (&job->files, g_ptr_array_unref);
  g_clear_object (&job->policy);
  g_clear_pointer (&job->policy_path, g_free);
  g_free (job);
}

static void
compute_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  PreviewJob *job = task_data;
  GError *error = NULL;
  VdImportPreview *preview;

  preview = vd_import_preview_compute ((GFile **) job->files->pdata, job->files->len,
                                       job->policy, job->policy_path, cancellable, &error);
  if (preview == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, preview, g_object_unref);
}

/**
 * vd_import_preview_compute_async:
 * @files: (array length=n_files): queue files
 * @n_files: the number of files
 * @policy: (nullable): the policy, or %NULL to read @policy_path
 * @policy_path: (nullable): a policy file, read when @policy is %NULL
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done, on the thread-default main context
 * @user_data: data for @callback
 *
 * vd_import_preview_compute() on a worker thread. @policy is only read
 * there; do not change it meanwhile.
 */
void
vd_import_preview_compute_async (GFile               **files,
                                 guint                 n_files,
                                 VdPolicy             *policy,
                                 const char           *policy_path,
                                 GCancellable         *cancellable,
                                 GAsyncReadyCallback   callback,
                                 gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  PreviewJob *job;

  g_return_if_fail (files != NULL || n_files == 0);
  g_return_if_fail (policy == NULL || VD_IS_POLICY (policy));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  job = g_new0 (PreviewJob, 1);
  job->files = g_ptr_array_new_full (n_files, g_object_unref);
  for (guint i = 0; i < n_files; i++)
    g_ptr_array_add (job->files, g_object_ref (files[i]));
  job->policy = policy != NULL ? g_object_ref (policy) : NULL;
  job->policy_path = g_strdup (policy_path);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, vd_import_preview_compute_async);
  g_task_set_return_on_cancel (task, FALSE);
  g_task_set_task_data (task, job, (GDestroyNotify) preview_job_free);
  g_task_run_in_thread (task, compute_thread);
}

/**
 * vd_import_preview_compute_finish:
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the preview, or %NULL with @error set
 */
VdImportPreview *
vd_import_preview_compute_finish (GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        vd_import_preview_compute_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * vd_import_preview_get_n_items:
 * @self: a preview
 *
 * Returns: how many items the files hold that can be read
 */
guint
vd_import_preview_get_n_items (VdImportPreview *self)
{
  g_return_val_if_fail (VD_IS_IMPORT_PREVIEW (self), 0);

  return self->n_items;
}

/**
 * vd_import_preview_get_n_approved:
 * @self: a preview
 *
 * Returns: how many of them the policy would approve automatically
 */
guint
vd_import_preview_get_n_approved (VdImportPreview *self)
{
  g_return_val_if_fail (VD_IS_IMPORT_PREVIEW (self), 0);

  return self->n_approved;
}

/**
 * vd_import_preview_get_n_review:
 * @self: a preview
 *
 * Returns: how many of them would go to a reviewer
 */
guint
vd_import_preview_get_n_review (VdImportPreview *self)
{
  g_return_val_if_fail (VD_IS_IMPORT_PREVIEW (self), 0);

  return self->n_items - self->n_approved;
}

/**
 * vd_import_preview_get_problems:
 * @self: a preview
 *
 * Returns: (transfer none) (element-type utf8): the messages of the lines
 *   that cannot be read ("FILE:LINE: ..."), empty when there are none
 */
GPtrArray *
vd_import_preview_get_problems (VdImportPreview *self)
{
  g_return_val_if_fail (VD_IS_IMPORT_PREVIEW (self), NULL);

  return self->problems;
}

/**
 * vd_import_preview_get_policy:
 * @self: a preview
 *
 * Returns: (transfer none) (nullable): the policy applied: the one given,
 *   or the one read from the file; %NULL when there was none or its file
 *   could not be read
 */
VdPolicy *
vd_import_preview_get_policy (VdImportPreview *self)
{
  g_return_val_if_fail (VD_IS_IMPORT_PREVIEW (self), NULL);

  return self->policy;
}

/**
 * vd_import_preview_get_policy_error:
 * @self: a preview
 *
 * Returns: (nullable): why the policy file could not be read
 */
const GError *
vd_import_preview_get_policy_error (VdImportPreview *self)
{
  g_return_val_if_fail (VD_IS_IMPORT_PREVIEW (self), NULL);

  return self->policy_error;
}
