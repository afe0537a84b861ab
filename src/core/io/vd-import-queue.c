/* vd-import-queue.c: queue files waiting for their import, one at a time
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

#define G_LOG_DOMAIN "vd-import-queue"

#include "config.h"

#include "vd-import-queue.h"
#include "vd-importer.h"

/* Files to import together, the policy for them (NULL: the queue's) and
 * its name for people, and whether lines that cannot be read are left out. */
typedef struct
{
  GPtrArray *files;
  VdPolicy  *policy;
  char      *policy_name;
  gboolean   skip_invalid;
  char      *format;           /* NULL: detected from the content */
  char      *input_field;
  char      *output_question;
} ImportRequest;

static void
import_request_free (ImportRequest *request)
{
  g_clear_pointer (&request->files, g_ptr_array_unref);
  g_clear_object (&request->policy);
  g_clear_pointer (&request->policy_name, g_free);
  g_clear_pointer (&request->format, g_free);
  g_clear_pointer (&request->input_field, g_free);
  g_clear_pointer (&request->output_question, g_free);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ImportRequest, import_request_free)

struct _VdImportQueue
{
  GObject        parent_instance;

  VdStore       *store;
  VdPolicy      *policy;
  GQueue         waiting;      /* ImportRequest */
  VdImporter    *importer;     /* the import running */
  ImportRequest *running;      /* its files and policy, until "finished" returns */
  GCancellable  *cancellable;  /* its cancellable */
  double         fraction;
  gboolean       held;
  gboolean       finishing;    /* "finished" is being emitted */
};

G_DEFINE_FINAL_TYPE (VdImportQueue, vd_import_queue, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STORE,
  PROP_POLICY,
  PROP_HELD,
  PROP_RUNNING,
  PROP_FRACTION,
  N_PROPS
};

enum {
  STARTED,
  FINISHED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void vd_import_queue_start (VdImportQueue *self);

static void
set_fraction (VdImportQueue *self,
              double         fraction)
{
  fraction = CLAMP (fraction, 0.0, 1.0);
  if (self->fraction == fraction)
    return;

  self->fraction = fraction;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FRACTION]);
}

static void
progress_cb (VdImportQueue *self,
             double         fraction,
             VdImporter    *importer)
{
  if (importer == self->importer)
    set_fraction (self, fraction);
}

static void
import_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(VdImportQueue) self = user_data;
  g_autoptr(GError) error = NULL;
  VdImporter *importer = VD_IMPORTER (object);
  VdImportResult import_result = { 0, };

  vd_importer_import_finish (importer, result, &import_result, &error);

  g_signal_handlers_disconnect_by_func (importer, progress_cb, self);
  g_clear_object (&self->importer);
  g_clear_object (&self->cancellable);

  /* The handlers of "finished" see the request that ended; the next one
   * starts after them. */
  self->finishing = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
  g_signal_emit (self, signals[FINISHED], 0, error == NULL ? &import_result : NULL, error);
  self->finishing = FALSE;
  g_clear_pointer (&self->running, import_request_free);

  vd_import_queue_start (self);
}

static void
vd_import_queue_start (VdImportQueue *self)
{
  ImportRequest *request;

  if (self->importer != NULL || self->store == NULL || self->held || self->finishing)
    return;

  request = g_queue_pop_head (&self->waiting);
  if (request == NULL)
    return;

  if (request->policy == NULL)
    request->policy = g_object_ref (self->policy);
  g_clear_pointer (&self->running, import_request_free);
  self->running = request;

  self->importer = vd_importer_new (self->store, request->policy);
  vd_importer_set_skip_invalid (self->importer, request->skip_invalid);
  vd_importer_set_format (self->importer, request->format);
  vd_importer_set_field_mapping (self->importer, request->input_field, request->output_question);
  self->cancellable = g_cancellable_new ();
  g_signal_connect_object (self->importer, "progress", G_CALLBACK (progress_cb), self,
                           G_CONNECT_SWAPPED);

  set_fraction (self, 0.0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
  g_signal_emit (self, signals[STARTED], 0);

  vd_importer_import_async (self->importer,
                            (GFile **) request->files->pdata,
                            request->files->len,
                            self->cancellable,
                            import_cb,
                            g_object_ref (self));
}

static void
vd_import_queue_dispose (GObject *object)
{
  VdImportQueue *self = (VdImportQueue *)object;

  g_cancellable_cancel (self->cancellable);
  vd_import_queue_clear (self);

  G_OBJECT_CLASS (vd_import_queue_parent_class)->dispose (object);
}

static void
vd_import_queue_finalize (GObject *object)
{
  VdImportQueue *self = (VdImportQueue *)object;

  g_assert (self->importer == NULL);

  g_clear_object (&self->store);
  g_clear_object (&self->policy);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->running, import_request_free);

  G_OBJECT_CLASS (vd_import_queue_parent_class)->finalize (object);
}

static void
vd_import_queue_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  VdImportQueue *self = VD_IMPORT_QUEUE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_POLICY:
      g_value_set_object (value, self->policy);
      break;

    case PROP_HELD:
      g_value_set_boolean (value, self->held);
      break;

    case PROP_RUNNING:
      g_value_set_boolean (value, vd_import_queue_get_running (self));
      break;

    case PROP_FRACTION:
      g_value_set_double (value, self->fraction);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vd_import_queue_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  VdImportQueue *self = VD_IMPORT_QUEUE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      vd_import_queue_set_store (self, g_value_get_object (value));
      break;

    case PROP_POLICY:
      vd_import_queue_set_policy (self, g_value_get_object (value));
      break;

    case PROP_HELD:
      vd_import_queue_set_held (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vd_import_queue_class_init (VdImportQueueClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = vd_import_queue_dispose;
  object_class->finalize = vd_import_queue_finalize;
  object_class->get_property = vd_import_queue_get_property;
  object_class->set_property = vd_import_queue_set_property;

  /**
   * VdImportQueue:store: (nullable)
   *
   * The store files go to; they wait while there is none.
   */
  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         VD_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * VdImportQueue:policy:
   *
   * The escalation policy applied to imported items that carry no reason
   * of their own, unless a request names another one; by default one
   * that approves nothing automatically.
   */
  properties[PROP_POLICY] =
    g_param_spec_object ("policy", NULL, NULL,
                         VD_TYPE_POLICY,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * VdImportQueue:held:
   *
   * Whether the files wait whatever happens (the import running goes on).
   */
  properties[PROP_HELD] =
    g_param_spec_boolean ("held", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * VdImportQueue:running:
   *
   * Whether an import runs.
   */
  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * VdImportQueue:fraction:
   *
   * How far the import running is, from 0 to 1.
   */
  properties[PROP_FRACTION] =
    g_param_spec_double ("fraction", NULL, NULL,
                         0.0, 1.0, 0.0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * VdImportQueue::started:
   * @self: the queue
   *
   * An import started: vd_import_queue_get_files() names its files.
   */
  signals[STARTED] =
    g_signal_new ("started",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  /**
   * VdImportQueue::finished:
   * @self: the queue
   * @result: (type gpointer) (nullable): the #VdImportResult, %NULL on error
   * @error: (nullable): why nothing was imported
   *
   * The import running ended.
   */
  signals[FINISHED] =
    g_signal_new ("finished",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_POINTER, G_TYPE_ERROR);
}

static void
vd_import_queue_init (VdImportQueue *self)
{
  g_queue_init (&self->waiting);
  self->policy = vd_policy_new_review_all ();
}

/**
 * vd_import_queue_new:
 *
 * Returns: (transfer full): an empty queue, without a store yet
 */
VdImportQueue *
vd_import_queue_new (void)
{
  return g_object_new (VD_TYPE_IMPORT_QUEUE, NULL);
}

/**
 * vd_import_queue_get_store:
 * @self: a queue
 *
 * Returns: (transfer none) (nullable): the store files go to
 */
VdStore *
vd_import_queue_get_store (VdImportQueue *self)
{
  g_return_val_if_fail (VD_IS_IMPORT_QUEUE (self), NULL);

  return self->store;
}

/**
 * vd_import_queue_set_store:
 * @self: a queue
 * @store: (nullable): the store files go to
 *
 * The files waiting for a store start.
 */
void
vd_import_queue_set_store (VdImportQueue *self,
                           VdStore       *store)
{
  g_return_if_fail (VD_IS_IMPORT_QUEUE (self));
  g_return_if_fail (store == NULL || VD_IS_STORE (store));

  if (!g_set_object (&self->store, store))
    return;

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
  vd_import_queue_start (self);
}

/**
 * vd_import_queue_get_policy:
 * @self: a queue
 *
 * Returns: (transfer none): the policy imports apply
 */
VdPolicy *
vd_import_queue_get_policy (VdImportQueue *self)
{
  g_return_val_if_fail (VD_IS_IMPORT_QUEUE (self), NULL);

  return self->policy;
}

/**
 * vd_import_queue_set_policy:
 * @self: a queue
 * @policy: (nullable): the policy imports apply, %NULL for the one that
 *   approves nothing automatically (vd_policy_new_review_all())
 */
void
vd_import_queue_set_policy (VdImportQueue *self,
                            VdPolicy      *policy)
{
  g_autoptr(VdPolicy) default_policy = NULL;

  g_return_if_fail (VD_IS_IMPORT_QUEUE (self));
  g_return_if_fail (policy == NULL || VD_IS_POLICY (policy));

  if (policy == NULL)
    policy = default_policy = vd_policy_new_review_all ();

  if (!g_set_object (&self->policy, policy))
    return;

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POLICY]);
}

gboolean
vd_import_queue_get_held (VdImportQueue *self)
{
  g_return_val_if_fail (VD_IS_IMPORT_QUEUE (self), FALSE);

  return self->held;
}

/**
 * vd_import_queue_set_held:
 * @self: a queue
 * @held: whether the files wait
 */
void
vd_import_queue_set_held (VdImportQueue *self,
                          gboolean       held)
{
  g_return_if_fail (VD_IS_IMPORT_QUEUE (self));

  held = !!held;
  if (self->held == held)
    return;

  self->held = held;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HELD]);
  vd_import_queue_start (self);
}

gboolean
vd_import_queue_get_running (VdImportQueue *self)
{
  g_return_val_if_fail (VD_IS_IMPORT_QUEUE (self), FALSE);

  return self->importer != NULL;
}

double
vd_import_queue_get_fraction (VdImportQueue *self)
{
  g_return_val_if_fail (VD_IS_IMPORT_QUEUE (self), 0.0);

  return self->fraction;
}

/**
 * vd_import_queue_get_files:
 * @self: a queue
 * @n_files: (out) (optional): the number of files
 *
 * Returns: (array length=n_files) (transfer none) (nullable): the files of
 *   the import running (or, in a "finished" handler, of the one that
 *   ended), %NULL when none runs
 */
GFile **
vd_import_queue_get_files (VdImportQueue *self,
                           guint         *n_files)
{
  g_return_val_if_fail (VD_IS_IMPORT_QUEUE (self), NULL);

  if (n_files != NULL)
    *n_files = self->running != NULL ? self->running->files->len : 0;

  return self->running != NULL ? (GFile **) self->running->files->pdata : NULL;
}

/**
 * vd_import_queue_get_running_policy:
 * @self: a queue
 *
 * Returns: (transfer none) (nullable): the policy of the import running
 *   (or, in a "finished" handler, of the one that ended)
 */
VdPolicy *
vd_import_queue_get_running_policy (VdImportQueue *self)
{
  g_return_val_if_fail (VD_IS_IMPORT_QUEUE (self), NULL);

  return self->running != NULL ? self->running->policy : NULL;
}

/**
 * vd_import_queue_get_running_policy_name:
 * @self: a queue
 *
 * Returns: (nullable): the name of that policy for people, as given to
 *   vd_import_queue_add_full()
 */
const char *
vd_import_queue_get_running_policy_name (VdImportQueue *self)
{
  g_return_val_if_fail (VD_IS_IMPORT_QUEUE (self), NULL);

  return self->running != NULL ? self->running->policy_name : NULL;
}

/**
 * vd_import_queue_get_running_skip_invalid:
 * @self: a queue
 *
 * Returns: whether that import leaves out the lines it cannot read
 */
gboolean
vd_import_queue_get_running_skip_invalid (VdImportQueue *self)
{
  g_return_val_if_fail (VD_IS_IMPORT_QUEUE (self), FALSE);

  return self->running != NULL && self->running->skip_invalid;
}

/**
 * vd_import_queue_get_running_format:
 * @self: a queue
 * @input_field: (out) (optional) (transfer none) (nullable): Argilla's input field
 * @output_question: (out) (optional) (transfer none) (nullable): Argilla's output question
 *
 * Returns: (nullable): the format of the import running, %NULL when it is
 *   detected from the content or nothing runs
 */
const char *
vd_import_queue_get_running_format (VdImportQueue  *self,
                                    const char    **input_field,
                                    const char    **output_question)
{
  g_return_val_if_fail (VD_IS_IMPORT_QUEUE (self), NULL);

  if (input_field != NULL)
    *input_field = self->running != NULL ? self->running->input_field : NULL;
  if (output_question != NULL)
    *output_question = self->running != NULL ? self->running->output_question : NULL;

  return self->running != NULL ? self->running->format : NULL;
}

/**
 * vd_import_queue_add:
 * @self: a queue
 * @files: (array length=n_files): queue files
 * @n_files: the number of files
 * @policy: (nullable): the escalation policy for them, %NULL for the
 *   queue's
 *
 * Imports @files together, once the imports before them have ended and
 * there is a store (at once when nothing else runs).
 */
void
vd_import_queue_add (VdImportQueue  *self,
                     GFile         **files,
                     guint           n_files,
                     VdPolicy       *policy)
{
  vd_import_queue_add_full (self, files, n_files, policy, NULL, FALSE);
}

/**
 * vd_import_queue_add_full:
 * @self: a queue
 * @files: (array length=n_files): queue files
 * @n_files: the number of files
 * @policy: (nullable): the escalation policy for them, %NULL for the
 *   queue's
 * @policy_name: (nullable): its name for people, e.g. "policy.json"
 * @skip_invalid: whether to leave out the lines that cannot be read
 *   instead of importing nothing
 *
 * vd_import_queue_add() with a name for the policy and the skip-invalid
 * choice of `verdict-cli import --skip-invalid`.
 */
void
vd_import_queue_add_full (VdImportQueue  *self,
                          GFile         **files,
                          guint           n_files,
                          VdPolicy       *policy,
                          const char     *policy_name,
                          gboolean        skip_invalid)
{
  vd_import_queue_add_format (self, files, n_files, policy, policy_name, skip_invalid,
                              NULL, NULL, NULL);
}

/**
 * vd_import_queue_add_format:
 * @self: a queue
 * @files: (array length=n_files): files of one format
 * @n_files: the number of files
 * @policy: (nullable): as for vd_import_queue_add_full()
 * @policy_name: (nullable): as for vd_import_queue_add_full()
 * @skip_invalid: as for vd_import_queue_add_full()
 * @format: (nullable): the files' format (vd_importer_set_format()), or
 *   %NULL to detect it from each file's content
 * @input_field: (nullable): Argilla's input field (vd_importer_set_field_mapping())
 * @output_question: (nullable): Argilla's output question
 *
 * Queues @files to be imported as files of @format.
 */
void
vd_import_queue_add_format (VdImportQueue  *self,
                            GFile         **files,
                            guint           n_files,
                            VdPolicy       *policy,
                            const char     *policy_name,
                            gboolean        skip_invalid,
                            const char     *format,
                            const char     *input_field,
                            const char     *output_question)
{
  ImportRequest *request;

  g_return_if_fail (VD_IS_IMPORT_QUEUE (self));
  g_return_if_fail (files != NULL || n_files == 0);
  g_return_if_fail (policy == NULL || VD_IS_POLICY (policy));

  if (n_files == 0)
    return;

  request = g_new0 (ImportRequest, 1);
  request->files = g_ptr_array_new_full (n_files, g_object_unref);
  request->policy = policy != NULL ? g_object_ref (policy) : NULL;
  request->policy_name = g_strdup (policy_name);
  request->skip_invalid = !!skip_invalid;
  request->format = g_strdup (format);
  request->input_field = g_strdup (input_field);
  request->output_question = g_strdup (output_question);
  for (guint i = 0; i < n_files; i++)
    g_ptr_array_add (request->files, g_object_ref (files[i]));
  g_queue_push_tail (&self->waiting, request);

  vd_import_queue_start (self);
}

/**
 * vd_import_queue_cancel:
 * @self: a queue
 *
 * Cancels the import running: nothing of it is imported. The files
 * waiting go on.
 */
void
vd_import_queue_cancel (VdImportQueue *self)
{
  g_return_if_fail (VD_IS_IMPORT_QUEUE (self));

  g_cancellable_cancel (self->cancellable);
}

/**
 * vd_import_queue_clear:
 * @self: a queue
 *
 * Drops the files waiting (the store cannot be opened, say).
 */
void
vd_import_queue_clear (VdImportQueue *self)
{
  g_return_if_fail (VD_IS_IMPORT_QUEUE (self));

  g_queue_clear_full (&self->waiting, (GDestroyNotify) import_request_free);
}
