/* vd-window-live.c: other reviewers' changes, live in the window
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

#define G_LOG_DOMAIN "vd-window"

#include "config.h"

#include <glib/gi18n.h>

#include "vd-window-private.h"

/*
 * The session watches its store (vd_store_watch()); when the store says
 * that another connection or process appended audit events, the window
 * reads the events after the last one it has seen, on a worker thread,
 * and refreshes only the rows they touch and the counts. An import (new
 * items) reloads the list. When the item on screen was decided elsewhere,
 * the pane says by whom, when and how; the item's own status turns its
 * decision actions off, and what the reviewer typed stays where it is.
 */

/* Events read at most per refresh; more, or more items touched, and the
 * whole list is loaded again instead. */
#define MAX_EVENTS 2000
#define MAX_ITEMS  200

typedef struct
{
  VdStore *store;
  gint64   from_seq;     /* 0: only read the head */
  char    *reviewer_id;  /* (nullable): whose events are the window's own */
  char    *shown_queue;  /* (nullable): the item on screen */
  char    *shown_task_id;
  gboolean total_known;  /* whether @total is the number of items the window knows of */
  guint64  total;
} LiveJob;

typedef struct
{
  gint64        seen_seq;    /* the last event read */
  gboolean      reload;      /* new items, or too many changes */
  GArray       *item_ids;    /* gint64: the items to refresh */
  VdAuditEvent *shown_event; /* (nullable): the last other reviewer's event on the shown item */
} LiveResult;

static void
live_job_free (LiveJob *job)
{
  g_clear_object (&job->store);
  g_free (job->reviewer_id);
  g_free (job->shown_queue);
  g_free (job->shown_task_id);
  g_free (job);
}

static void
live_result_free (LiveResult *result)
{
  g_clear_pointer (&result->item_ids, g_array_unref);
  g_clear_object (&result->shown_event);
  g_free (result);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LiveResult, live_result_free)

/* Whether @type may have added items. */
static gboolean
event_adds_items (const char *type)
{
  return g_strcmp0 (type, VD_AUDIT_IMPORT) == 0 ||
         g_strcmp0 (type, VD_AUDIT_ENQUEUE) == 0 ||
         g_strcmp0 (type, VD_AUDIT_ENQUEUE_BATCH) == 0 ||
         g_strcmp0 (type, VD_AUDIT_AUTO_APPROVE) == 0;
}

static void
live_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LiveJob *job = task_data;
  g_autoptr(LiveResult) result = g_new0 (LiveResult, 1);
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GHashTable) touched = NULL;
  g_autoptr(GError) error = NULL;
  GHashTableIter iter;
  gpointer key;
  gboolean adds_items;

  result->item_ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  if (job->from_seq <= 0)
    {
      if (!vd_store_get_audit_head (job->store, &result->seen_seq, NULL, &error))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_pointer (task, g_steal_pointer (&result),
                               (GDestroyNotify) live_result_free);
      return;
    }

  events = vd_store_list_audit (job->store, job->from_seq, MAX_EVENTS, &error);
  if (events == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  result->seen_seq = job->from_seq - 1;
  result->reload = events->len >= MAX_EVENTS;
  adds_items = FALSE;
  touched = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < events->len; i++)
    {
      VdAuditEvent *event = g_ptr_array_index (events, i);
      const char *queue = vd_audit_event_get_queue (event);
      const char *task_id = vd_audit_event_get_task_id (event);

      result->seen_seq = vd_audit_event_get_seq (event);
      if (event_adds_items (vd_audit_event_get_event_type (event)))
        adds_items = TRUE;
      if (queue == NULL || *queue == '\0' || task_id == NULL || *task_id == '\0')
        continue;

      /* Queue and task id never hold a newline. */
      g_hash_table_add (touched, g_strdup_printf ("%s\n%s", queue, task_id));

      if (g_strcmp0 (queue, job->shown_queue) == 0 &&
          g_strcmp0 (task_id, job->shown_task_id) == 0 &&
          g_strcmp0 (vd_audit_event_get_actor (event), job->reviewer_id) != 0)
        g_set_object (&result->shown_event, event);
    }

  if (g_hash_table_size (touched) > MAX_ITEMS)
    result->reload = TRUE;

  /* An import the window has taken in already (its own, say) adds no
   * rows; only new ones load the list again, which drops the rows the
   * filters no longer show. */
  if (adds_items && !result->reload)
    {
      VdItemQuery all = VD_ITEM_QUERY_INIT;
      guint64 total = 0;

      if (!job->total_known || !vd_store_count_items (job->store, &all, &total, &error))
        result->reload = TRUE;
      else
        result->reload = total != job->total;
      g_clear_error (&error);
    }

  g_hash_table_iter_init (&iter, touched);
  while (!result->reload && g_hash_table_iter_next (&iter, &key, NULL))
    {
      g_auto(GStrv) pair = g_strsplit (key, "\n", 2);
      g_autoptr(VdItem) item = NULL;
      g_autoptr(GError) item_error = NULL;
      gint64 id;

      if (g_task_return_error_if_cancelled (task))
        return;

      item = vd_store_get_item (job->store, pair[0], pair[1], &item_error);
      if (item == NULL)
        {
          /* Gone, or never an item (an event naming a queue only). */
          g_debug ("Live update of %s in %s: %s", pair[1], pair[0], item_error->message);
          continue;
        }
      id = vd_item_get_id (item);
      g_array_append_val (result->item_ids, id);
    }

  g_task_return_pointer (task, g_steal_pointer (&result), (GDestroyNotify) live_result_free);
}

static void vd_window_live_read (VdWindow *self);

/* What the pane says about the item on screen decided elsewhere, or NULL. */
static char *
vd_window_live_notice (VdAuditEvent *event)
{
  const char *type = vd_audit_event_get_event_type (event);
  const char *payload = vd_audit_event_get_payload_json (event);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GDateTime) when = NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *time = NULL;
  const char *kind = NULL;

  if (g_strcmp0 (type, VD_AUDIT_DECISION) != 0 &&
      g_strcmp0 (type, VD_AUDIT_BULK_APPROVE) != 0 &&
      g_strcmp0 (type, VD_AUDIT_SLA_FALLBACK) != 0)
    return NULL;

  if (payload != NULL && json_parser_load_from_data (parser, payload, -1, NULL) &&
      JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      JsonObject *object = json_node_get_object (json_parser_get_root (parser));

      kind = json_object_get_string_member_with_default (object, "decision", NULL);
      /* A fallback names the status it gave; an escalation leaves the
       * item to be decided. */
      if (g_strcmp0 (type, VD_AUDIT_SLA_FALLBACK) == 0)
        {
          kind = json_object_get_string_member_with_default (object, "status", NULL);
          if (kind == NULL || g_strcmp0 (kind, "escalated") == 0)
            return NULL;
        }
    }
  if (kind == NULL && g_strcmp0 (type, VD_AUDIT_BULK_APPROVE) == 0)
    kind = "approve";
  if (kind == NULL)
    kind = type;

  when = vd_timestamp_parse (vd_audit_event_get_timestamp (event));
  if (when != NULL)
    {
      local = g_date_time_to_local (when);
      time = g_date_time_format (local, "%H:%M");
    }

  if (g_strcmp0 (type, VD_AUDIT_SLA_FALLBACK) == 0)
    {
      if (time == NULL)
        /* Translators: the item on screen passed its deadline elsewhere;
         * the decision, e.g. "Decided by the deadline fallback: reject" */
        return g_strdup_printf (_("Decided by the deadline fallback: %s"), kind);

      /* Translators: the item on screen passed its deadline elsewhere; the
       * time and the decision, e.g. "Decided by the deadline fallback at
       * 14:32: reject" */
      return g_strdup_printf (_("Decided by the deadline fallback at %s: %s"), time, kind);
    }

  /* Escalated further: still to be decided, by someone senior. */
  if (g_strcmp0 (kind, "escalate_further") == 0)
    {
      if (time == NULL)
        /* Translators: another reviewer escalated the item on screen */
        return g_strdup_printf (_("Escalated by %s"), vd_audit_event_get_actor (event));

      /* Translators: another reviewer escalated the item on screen; the
       * reviewer and the time, e.g. "Escalated by bob at 14:32" */
      return g_strdup_printf (_("Escalated by %s at %s"), vd_audit_event_get_actor (event), time);
    }

  if (time == NULL)
    /* Translators: another reviewer decided the item on screen; the
     * reviewer and the decision, e.g. "Decided by bob: approve" */
    return g_strdup_printf (_("Decided by %s: %s"), vd_audit_event_get_actor (event), kind);

  /* Translators: another reviewer decided the item on screen; the reviewer,
   * the time and the decision, e.g. "Decided by bob at 14:32: approve" */
  return g_strdup_printf (_("Decided by %s at %s: %s"),
                          vd_audit_event_get_actor (event), time, kind);
}

static void
live_read_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  VdWindow *self = VD_WINDOW (object);
  LiveJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(LiveResult) live = NULL;
  g_autoptr(GError) error = NULL;
  gboolean baseline = job->from_seq <= 0;

  live = g_task_propagate_pointer (G_TASK (result), &error);

  if (_vd_window_error_is_cancelled (error) || _vd_window_is_disposed (self) ||
      g_task_get_cancellable (G_TASK (result)) != self->live_cancellable)
    return;

  self->live_reading = FALSE;

  if (live == NULL)
    {
      /* The next announcement tries again. */
      g_debug ("Cannot read the other reviewers' changes: %s", error->message);
      return;
    }

  g_debug ("Changes elsewhere read up to seq %" G_GINT64_FORMAT ": %u items%s",
           live->seen_seq, live->item_ids->len, live->reload ? ", reload" : "");
  self->live_seen_seq = MAX (self->live_seen_seq, live->seen_seq);

  if (!baseline && self->items != NULL)
    {
      g_autofree char *notice = NULL;

      if (live->reload)
        vd_window_reload (self);
      else
        {
          for (guint i = 0; i < live->item_ids->len; i++)
            vd_item_list_model_refresh_item (self->items,
                                             g_array_index (live->item_ids, gint64, i));
          _vd_window_refresh_counts (self);
        }

      if (live->shown_event != NULL && self->shown != NULL &&
          g_strcmp0 (vd_item_get_queue (self->shown), job->shown_queue) == 0 &&
          g_strcmp0 (vd_item_get_task_id (self->shown), job->shown_task_id) == 0)
        {
          notice = vd_window_live_notice (live->shown_event);
          g_clear_pointer (&self->live_notice, g_free);
          g_clear_pointer (&self->live_notice_key, g_free);
          if (notice != NULL)
            {
              vd_item_detail_set_read_only_reason (self->detail, notice);
              self->live_notice = g_steal_pointer (&notice);
              self->live_notice_key = g_strdup_printf ("%s\n%s", job->shown_queue,
                                                       job->shown_task_id);
            }
          else if (g_strcmp0 (vd_audit_event_get_event_type (live->shown_event),
                              VD_AUDIT_RETRACTION) == 0)
            /* Undecided again: what the roles say, no notice. */
            _vd_window_update_roles (self);
        }
    }

  /* More was announced meanwhile. */
  vd_window_live_read (self);
}

static void
vd_window_live_read (VdWindow *self)
{
  VdStore *store = vd_session_get_store (self->session);
  g_autoptr(GTask) task = NULL;
  LiveJob *job;

  if (store == NULL || self->live_reading || _vd_window_is_disposed (self))
    return;
  /* Read from the baseline on, once there is one and something after it. */
  if (self->live_seen_seq >= 0 && self->live_head_seq <= self->live_seen_seq)
    return;

  job = g_new0 (LiveJob, 1);
  job->store = g_object_ref (store);
  job->from_seq = self->live_seen_seq >= 0 ? self->live_seen_seq + 1 : 0;
  job->reviewer_id = g_strdup (vd_session_get_reviewer_id (self->session));
  job->total_known = self->counts != NULL && vd_queue_counts_get_known (self->counts);
  if (job->total_known)
    job->total = vd_queue_counts_get_store_total (self->counts);
  if (self->shown != NULL)
    {
      job->shown_queue = g_strdup (vd_item_get_queue (self->shown));
      job->shown_task_id = g_strdup (vd_item_get_task_id (self->shown));
    }

  if (self->live_cancellable == NULL)
    self->live_cancellable = g_cancellable_new ();
  self->live_reading = TRUE;

  task = g_task_new (self, self->live_cancellable, live_read_cb, NULL);
  g_task_set_source_tag (task, vd_window_live_read);
  g_task_set_task_data (task, job, (GDestroyNotify) live_job_free);
  g_task_run_in_thread (task, live_thread);
}

static void
audit_appended_cb (VdWindow *self,
                   gint64    head_seq,
                   VdStore  *store)
{
  if (_vd_window_is_disposed (self) || store != vd_session_get_store (self->session))
    return;

  g_debug ("Audit events appended elsewhere, up to seq %" G_GINT64_FORMAT, head_seq);
  self->live_head_seq = MAX (self->live_head_seq, head_seq);
  vd_window_live_read (self);
}

static void
live_store_changed_cb (VdWindow *self)
{
  VdStore *store = vd_session_get_store (self->session);

  /* What was being read was for the store before. */
  g_cancellable_cancel (self->live_cancellable);
  g_clear_object (&self->live_cancellable);
  self->live_reading = FALSE;
  self->live_seen_seq = -1;
  self->live_head_seq = 0;
  g_clear_pointer (&self->live_notice, g_free);
  g_clear_pointer (&self->live_notice_key, g_free);

  g_signal_group_set_target (self->live_signals, store);
  /* The baseline: the events until now are in what the window loads. */
  if (store != NULL)
    vd_window_live_read (self);
}

/* The pane shows another item, or the same one again after a reload (a
 * new object, which the roles have just been worked out for): the notice
 * stays with the item it is about. */
static void
live_detail_item_cb (VdWindow *self)
{
  VdItem *item = vd_item_detail_get_item (self->detail);
  g_autofree char *key = NULL;

  if (self->live_notice == NULL)
    return;

  if (item != NULL)
    key = g_strdup_printf ("%s\n%s", vd_item_get_queue (item), vd_item_get_task_id (item));

  if (g_strcmp0 (key, self->live_notice_key) == 0)
    vd_item_detail_set_read_only_reason (self->detail, self->live_notice);
  else
    {
      g_clear_pointer (&self->live_notice, g_free);
      g_clear_pointer (&self->live_notice_key, g_free);
    }
}

void
_vd_window_init_live (VdWindow *self)
{
  self->live_signals = g_signal_group_new (VD_TYPE_STORE);
  g_signal_group_connect_object (self->live_signals, "audit-appended",
                                 G_CALLBACK (audit_appended_cb), self, G_CONNECT_SWAPPED);
  /* Other reviewers' claims, from stores that announce them. */
  g_signal_group_connect_object (self->live_signals, "claims-changed",
                                 G_CALLBACK (_vd_window_refresh_claims), self,
                                 G_CONNECT_SWAPPED);

  g_signal_connect_object (self->session, "notify::store",
                           G_CALLBACK (live_store_changed_cb), self, G_CONNECT_SWAPPED);
  /* After the roles' handler (vd-window-signing.c), which sets the same
   * label. */
  g_signal_connect_object (self->detail, "notify::item",
                           G_CALLBACK (live_detail_item_cb), self, G_CONNECT_SWAPPED);
  live_store_changed_cb (self);
}

void
_vd_window_dispose_live (VdWindow *self)
{
  g_cancellable_cancel (self->live_cancellable);
  g_clear_object (&self->live_cancellable);
  if (self->live_signals != NULL)
    g_signal_group_set_target (self->live_signals, NULL);
  g_clear_object (&self->live_signals);
  g_clear_pointer (&self->live_notice, g_free);
  g_clear_pointer (&self->live_notice_key, g_free);
}
