/* vd-decision-log.c: the decisions of this run, and undoing them
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

#define G_LOG_DOMAIN "vd-decision-log"

#include "config.h"

#include <glib/gi18n.h>

#include "vd-decision-log.h"

/* A decision the store has, newest last. */
typedef struct
{
  gint64  decision_id;
  gint64  item_id;
  char   *reviewer_id;
} Entry;

struct _VdDecisionLog
{
  GObject     parent_instance;

  VdStore    *store;
  GArray     *entries;     /* Entry */
  GHashTable *recording;   /* row ids with a decision on its way */
  guint       n_recording;
  gboolean    undoing;
};

G_DEFINE_FINAL_TYPE (VdDecisionLog, vd_decision_log, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STORE,
  PROP_N_DECISIONS,
  PROP_BUSY,
  PROP_CAN_UNDO,
  N_PROPS
};

enum {
  RECORDED,
  UNDONE,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
entry_clear (Entry *entry)
{
  g_clear_pointer (&entry->reviewer_id, g_free);
}

/* The state changed: say what it is now, in one batch. */
static void
vd_decision_log_notify (VdDecisionLog *self,
                        gboolean       n_changed)
{
  g_object_freeze_notify (G_OBJECT (self));
  if (n_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_DECISIONS]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_UNDO]);
  g_object_thaw_notify (G_OBJECT (self));
}

static void
vd_decision_log_finalize (GObject *object)
{
  VdDecisionLog *self = (VdDecisionLog *)object;

  g_clear_object (&self->store);
  g_clear_pointer (&self->entries, g_array_unref);
  g_clear_pointer (&self->recording, g_hash_table_unref);

  G_OBJECT_CLASS (vd_decision_log_parent_class)->finalize (object);
}

static void
vd_decision_log_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  VdDecisionLog *self = VD_DECISION_LOG (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_N_DECISIONS:
      g_value_set_uint (value, vd_decision_log_get_n_decisions (self));
      break;

    case PROP_BUSY:
      g_value_set_boolean (value, vd_decision_log_get_busy (self));
      break;

    case PROP_CAN_UNDO:
      g_value_set_boolean (value, vd_decision_log_get_can_undo (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vd_decision_log_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  VdDecisionLog *self = VD_DECISION_LOG (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vd_decision_log_class_init (VdDecisionLogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = vd_decision_log_finalize;
  object_class->get_property = vd_decision_log_get_property;
  object_class->set_property = vd_decision_log_set_property;

  /**
   * VdDecisionLog:store:
   *
   * The store the decisions go to.
   */
  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         VD_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * VdDecisionLog:n-decisions:
   *
   * How many decisions of this run the store has (and Undo may take back).
   */
  properties[PROP_N_DECISIONS] =
    g_param_spec_uint ("n-decisions", NULL, NULL,
                       0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * VdDecisionLog:busy:
   *
   * Whether decisions or an undo are on their way to the store.
   */
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * VdDecisionLog:can-undo:
   *
   * Whether there is a decision to undo, and nothing on its way.
   */
  properties[PROP_CAN_UNDO] =
    g_param_spec_boolean ("can-undo", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * VdDecisionLog::recorded:
   * @self: the log
   * @decision: the decision, as the store has it
   * @item_id: the row id of the item decided
   */
  signals[RECORDED] =
    g_signal_new ("recorded",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, VD_TYPE_DECISION, G_TYPE_INT64);

  /**
   * VdDecisionLog::undone:
   * @self: the log
   * @item_id: the row id of the item undecided again
   */
  signals[UNDONE] =
    g_signal_new ("undone",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_INT64);
}

static void
vd_decision_log_init (VdDecisionLog *self)
{
  self->entries = g_array_new (FALSE, TRUE, sizeof (Entry));
  g_array_set_clear_func (self->entries, (GDestroyNotify) entry_clear);
  self->recording = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
}

/**
 * vd_decision_log_new:
 * @store: the store decisions go to
 *
 * Returns: (transfer full): an empty log
 */
VdDecisionLog *
vd_decision_log_new (VdStore *store)
{
  g_return_val_if_fail (VD_IS_STORE (store), NULL);

  return g_object_new (VD_TYPE_DECISION_LOG, "store", store, NULL);
}

/**
 * vd_decision_log_get_store:
 * @self: a log
 *
 * Returns: (transfer none): the store
 */
VdStore *
vd_decision_log_get_store (VdDecisionLog *self)
{
  g_return_val_if_fail (VD_IS_DECISION_LOG (self), NULL);

  return self->store;
}

guint
vd_decision_log_get_n_decisions (VdDecisionLog *self)
{
  g_return_val_if_fail (VD_IS_DECISION_LOG (self), 0);

  return self->entries->len;
}

gboolean
vd_decision_log_get_busy (VdDecisionLog *self)
{
  g_return_val_if_fail (VD_IS_DECISION_LOG (self), FALSE);

  return self->n_recording > 0 || self->undoing;
}

gboolean
vd_decision_log_get_can_undo (VdDecisionLog *self)
{
  g_return_val_if_fail (VD_IS_DECISION_LOG (self), FALSE);

  return self->entries->len > 0 && !vd_decision_log_get_busy (self);
}

/**
 * vd_decision_log_is_recording:
 * @self: a log
 * @item_id: a row id
 *
 * Returns: whether a decision on @item_id is on its way to the store
 */
gboolean
vd_decision_log_is_recording (VdDecisionLog *self,
                              gint64         item_id)
{
  g_return_val_if_fail (VD_IS_DECISION_LOG (self), FALSE);

  return g_hash_table_contains (self->recording, &item_id);
}

typedef struct
{
  VdDecision *decision;
  gint64      item_id;
} RecordData;

static void
record_data_free (RecordData *data)
{
  g_clear_object (&data->decision);
  g_free (data);
}

static void
record_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  VdDecisionLog *self = g_task_get_source_object (task);
  RecordData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  vd_store_record_decision_finish (VD_STORE (object), result, &error);

  self->n_recording--;
  g_hash_table_remove (self->recording, &data->item_id);

  if (error != NULL)
    {
      vd_decision_log_notify (self, FALSE);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_array_append_val (self->entries, ((Entry) {
    .decision_id = vd_decision_get_id (data->decision),
    .item_id = data->item_id,
    .reviewer_id = g_strdup (vd_decision_get_reviewer_id (data->decision)),
  }));
  vd_decision_log_notify (self, TRUE);

  /* The caller hears first: it moves its list on before others react. */
  g_task_return_boolean (task, TRUE);
  g_signal_emit (self, signals[RECORDED], 0, data->decision, data->item_id);
}

/**
 * vd_decision_log_record_async:
 * @self: a log
 * @decision: the decision
 * @item_id: the row id of the item it decides
 * @cancellable: (nullable): a #GCancellable
 * @callback: called once the store has it, or refused it
 * @user_data: data for @callback
 *
 * Records @decision in the store on a worker thread, and in the log once
 * the store has it.
 */
void
vd_decision_log_record_async (VdDecisionLog       *self,
                              VdDecision          *decision,
                              gint64               item_id,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  RecordData *data;

  g_return_if_fail (VD_IS_DECISION_LOG (self));
  g_return_if_fail (VD_IS_DECISION (decision));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  data = g_new0 (RecordData, 1);
  data->decision = g_object_ref (decision);
  data->item_id = item_id;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vd_decision_log_record_async);
  g_task_set_task_data (task, data, (GDestroyNotify) record_data_free);

  g_hash_table_add (self->recording, g_memdup2 (&item_id, sizeof item_id));
  self->n_recording++;
  vd_decision_log_notify (self, FALSE);

  vd_store_record_decision_async (self->store, decision, cancellable, record_cb,
                                  g_steal_pointer (&task));
}

/**
 * vd_decision_log_record_finish:
 * @self: a log
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Returns: %TRUE when the store has the decision
 */
gboolean
vd_decision_log_record_finish (VdDecisionLog  *self,
                               GAsyncResult   *result,
                               GError        **error)
{
  g_return_val_if_fail (VD_IS_DECISION_LOG (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
retract_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  VdDecisionLog *self = g_task_get_source_object (task);
  gint64 decision_id = *(gint64 *) g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  gint64 item_id = 0;

  vd_store_retract_decision_finish (VD_STORE (object), result, &error);
  self->undoing = FALSE;

  if (error != NULL)
    {
      vd_decision_log_notify (self, FALSE);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* Undo takes back the newest; nothing else changes the log meanwhile. */
  if (self->entries->len > 0)
    {
      Entry *last = &g_array_index (self->entries, Entry, self->entries->len - 1);

      if (last->decision_id == decision_id)
        {
          item_id = last->item_id;
          g_array_remove_index (self->entries, self->entries->len - 1);
        }
    }
  vd_decision_log_notify (self, TRUE);

  g_task_return_pointer (task, g_memdup2 (&item_id, sizeof item_id), g_free);
  if (item_id != 0)
    g_signal_emit (self, signals[UNDONE], 0, item_id);
}

/**
 * vd_decision_log_undo_async:
 * @self: a log
 * @reason: why, for the audit trail
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Retracts the newest decision of the log in the store, on a worker
 * thread. Fails with %G_IO_ERROR_BUSY while records or another undo are
 * on their way, with %G_IO_ERROR_NOT_FOUND when there is nothing to undo.
 */
void
vd_decision_log_undo_async (VdDecisionLog       *self,
                            const char          *reason,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Entry *last;

  g_return_if_fail (VD_IS_DECISION_LOG (self));
  g_return_if_fail (reason != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vd_decision_log_undo_async);

  if (vd_decision_log_get_busy (self))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_BUSY,
                               _("Decisions are still being saved: undo once they are"));
      return;
    }

  if (self->entries->len == 0)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                               _("No decision of this session to undo"));
      return;
    }

  last = &g_array_index (self->entries, Entry, self->entries->len - 1);
  g_task_set_task_data (task, g_memdup2 (&last->decision_id, sizeof last->decision_id), g_free);

  self->undoing = TRUE;
  vd_decision_log_notify (self, FALSE);

  vd_store_retract_decision_async (self->store, last->decision_id, last->reviewer_id, reason,
                                   cancellable, retract_cb, g_steal_pointer (&task));
}

/**
 * vd_decision_log_undo_finish:
 * @self: a log
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Returns: the row id of the item whose decision was retracted, 0 with
 *   @error set
 */
gint64
vd_decision_log_undo_finish (VdDecisionLog  *self,
                             GAsyncResult   *result,
                             GError        **error)
{
  g_autofree gint64 *item_id = NULL;

  g_return_val_if_fail (VD_IS_DECISION_LOG (self), 0);
  g_return_val_if_fail (g_task_is_valid (result, self), 0);

  item_id = g_task_propagate_pointer (G_TASK (result), error);

  return item_id != NULL ? *item_id : 0;
}
