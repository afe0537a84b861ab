/* vd-window-signing.c: sign-in, lock and roles in the main window
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

/*
 * While the session needs a sign-in, the sign-in page covers the window's
 * content (a page of lock_stack): the list, the selection and the scroll
 * positions stay as they are underneath, so unlocking returns to the same
 * place. Files to import wait until the reviewer signed in or chose to go
 * on without signing.
 *
 * The idle lock: after `lock-after-minutes` without key, pointer or touch
 * input in the window, the session locks the key. VERDICT_LOCK_SECONDS, when
 * set to a positive number, replaces the setting with that many seconds
 * (for tests and demonstrations; the app alone reads it).
 *
 * Roles: with a roster in force for the item's queue (the queue's
 * remembered policy, else the session's), an escalated item is read-only
 * for a reviewer without the role "senior". The queue's policy is read on
 * a worker thread and kept per queue.
 */

#define G_LOG_DOMAIN "vd-window"

#include "config.h"

#include <glib/gi18n.h>

#include "vd-sign-in-page.h"
#include "vd-signing-status.h"
#include "vd-window-private.h"

#define LOCK_SECONDS_ENV "VERDICT_LOCK_SECONDS"

/* The idle lock */

static guint
vd_window_lock_seconds (VdWindow *self)
{
  const char *env = g_getenv (LOCK_SECONDS_ENV);
  GSettings *settings = vd_session_get_settings (self->session);
  guint64 seconds;

  if (env != NULL && g_ascii_string_to_unsigned (env, 10, 1, G_MAXUINT, &seconds, NULL))
    return (guint) seconds;

  if (settings == NULL)
    return 0;

  return (guint) MAX (0, g_settings_get_int (settings, "lock-after-minutes")) * 60;
}

static void vd_window_schedule_lock (VdWindow *self);

static gboolean
idle_lock_cb (gpointer user_data)
{
  VdWindow *self = user_data;
  gint64 timeout = (gint64) vd_window_lock_seconds (self) * G_USEC_PER_SEC;

  self->idle_source = 0;

  if (timeout > 0 && g_get_monotonic_time () - self->last_input >= timeout)
    {
      g_debug ("No input for %" G_GINT64_FORMAT " s: locking", timeout / G_USEC_PER_SEC);
      vd_session_lock (self->session);
    }
  else
    vd_window_schedule_lock (self);

  return G_SOURCE_REMOVE;
}

/* One timer for the remaining idle time: input only moves last_input, and
 * the timer looks again when it fires. */
static void
vd_window_schedule_lock (VdWindow *self)
{
  gint64 timeout = (gint64) vd_window_lock_seconds (self) * G_USEC_PER_SEC;
  gint64 remaining;

  g_clear_handle_id (&self->idle_source, g_source_remove);

  if (timeout == 0 || _vd_window_is_disposed (self) ||
      vd_session_get_signing_state (self->session) != VD_SIGNING_STATE_UNLOCKED)
    return;

  remaining = self->last_input + timeout - g_get_monotonic_time ();
  self->idle_source = g_timeout_add ((guint) CLAMP (remaining / 1000 + 1, 1, G_MAXUINT),
                                     idle_lock_cb, self);
}

static gboolean
input_cb (GtkEventControllerLegacy *controller,
          GdkEvent                 *event,
          VdWindow                 *self)
{
  switch ((int) gdk_event_get_event_type (event))
    {
    case GDK_KEY_PRESS:
    case GDK_BUTTON_PRESS:
    case GDK_MOTION_NOTIFY:
    case GDK_SCROLL:
    case GDK_TOUCH_BEGIN:
    case GDK_TOUCHPAD_SWIPE:
    case GDK_TOUCHPAD_PINCH:
      self->last_input = g_get_monotonic_time ();
      break;

    default:
      break;
    }

  return GDK_EVENT_PROPAGATE;
}

/* The sign-in page */

static void
vd_window_update_sign_in (VdWindow *self)
{
  gboolean needs = vd_session_get_needs_sign_in (self->session);
  const char *page = gtk_stack_get_visible_child_name (self->lock_stack);

  if (_vd_window_is_disposed (self))
    return;

  if (needs && g_strcmp0 (page, "sign-in") != 0)
    {
      _vd_window_dismiss_decision_toast (self);
      gtk_stack_set_visible_child_name (self->lock_stack, "sign-in");
      vd_sign_in_page_reset (self->sign_in_page);
    }
  else if (!needs && g_strcmp0 (page, "window") != 0)
    {
      gtk_stack_set_visible_child_name (self->lock_stack, "window");
      _vd_window_focus_list (self);
    }

  /* Files given before the sign-in are asked about now. */
  if (!needs && self->deferred_imports != NULL && self->deferred_imports->len > 0)
    {
      g_autoptr(GPtrArray) deferred = g_steal_pointer (&self->deferred_imports);

      for (guint i = 0; i < deferred->len; i++)
        {
          GPtrArray *files = g_ptr_array_index (deferred, i);
          gboolean queue_policy = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (files->pdata[0]),
                                                                      "vd-queue-policy"));

          vd_window_ask_import (self, (GFile **) files->pdata, files->len, queue_policy);
        }
    }

  self->last_input = g_get_monotonic_time ();
  vd_window_schedule_lock (self);
  _vd_window_update_roles (self);
  _vd_window_update_actions (self);
}

/**
 * _vd_window_defer_import:
 *
 * Keeps files to import until the reviewer signed in (or went on
 * without signing).
 *
 * Returns: whether the files wait
 */
gboolean
_vd_window_defer_import (VdWindow  *self,
                         GFile    **files,
                         guint      n_files,
                         gboolean   queue_policy)
{
  GPtrArray *copy;

  if (!vd_session_get_needs_sign_in (self->session) || n_files == 0)
    return FALSE;

  if (self->deferred_imports == NULL)
    self->deferred_imports = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);

  copy = g_ptr_array_new_full (n_files, g_object_unref);
  for (guint i = 0; i < n_files; i++)
    g_ptr_array_add (copy, g_object_ref (files[i]));
  /* Kept with the first file: the batch is asked about as it came. */
  g_object_set_data (G_OBJECT (files[0]), "vd-queue-policy", GINT_TO_POINTER (queue_policy));
  g_ptr_array_add (self->deferred_imports, copy);

  return TRUE;
}

/* Whether the store refused a decision for the roster (a role, a locked
 * key) or for another reviewer's claim: the caller says so in a toast, not a dialog, and keeps the item. */
gboolean
_vd_window_decision_refused (VdWindow     *self,
                             const GError *error)
{
  return g_error_matches (error, VD_KEY_ERROR, VD_KEY_ERROR_NOT_ALLOWED) ||
         g_error_matches (error, VD_KEY_ERROR, VD_KEY_ERROR_LOCKED) ||
         g_error_matches (error, VD_STORE_ERROR, VD_STORE_ERROR_CLAIMED);
}

/* Roles */

typedef struct
{
  VdStore *store;
  char    *queue;
} RosterJob;

static void
roster_job_free (RosterJob *job)
{
  g_clear_object (&job->store);
  g_free (job->queue);
  g_free (job);
}

static void
read_roster_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  RosterJob *job = task_data;
  g_autofree char *json = NULL;
  g_autoptr(VdPolicy) policy = NULL;
  g_autoptr(GError) error = NULL;
  VdRoster *roster;

  if (!vd_store_get_queue_policy (job->store, job->queue, &json, NULL, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (json != NULL)
    policy = vd_policy_new_from_data (json, -1, job->queue, &error);
  if (policy == NULL)
    {
      if (error != NULL)
        g_debug ("The policy of queue %s cannot be read: %s", job->queue, error->message);
      g_task_return_pointer (task, NULL, NULL);
      return;
    }

  roster = vd_policy_get_roster (policy);
  g_task_return_pointer (task, roster != NULL ? g_object_ref (roster) : NULL, g_object_unref);
}

static void
read_roster_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  VdWindow *self = VD_WINDOW (object);
  RosterJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(VdRoster) roster = NULL;
  g_autoptr(GError) error = NULL;

  roster = g_task_propagate_pointer (G_TASK (result), &error);

  if (_vd_window_error_is_cancelled (error) || _vd_window_is_disposed (self) ||
      g_task_get_cancellable (G_TASK (result)) != self->roster_cancellable)
    return;

  g_clear_object (&self->roster_cancellable);

  if (error != NULL)
    g_debug ("The policy of queue %s cannot be read: %s", job->queue, error->message);

  /* NULL: the queue has no roster of its own. */
  g_hash_table_insert (self->rosters, g_strdup (job->queue), g_steal_pointer (&roster));
  _vd_window_update_roles (self);
}

void
_vd_window_forget_rosters (VdWindow *self)
{
  g_cancellable_cancel (self->roster_cancellable);
  g_clear_object (&self->roster_cancellable);
  if (self->rosters != NULL)
    g_hash_table_remove_all (self->rosters);
}

static char *
vd_window_read_only_reason (VdRoster   *roster,
                            const char *reviewer_id)
{
  const char * const *roles;
  g_autofree char *joined = NULL;

  if (reviewer_id == NULL || !vd_roster_has_reviewer (roster, reviewer_id))
    /* Translators: %s is the reviewer id */
    return g_strdup_printf (_("Escalated items need the role “senior”; you are %s "
                              "(not in the policy’s reviewers)"),
                            reviewer_id != NULL ? reviewer_id : _("no reviewer"));

  roles = vd_roster_get_roles (roster, reviewer_id);
  joined = roles != NULL && roles[0] != NULL ? g_strjoinv (", ", (char **) roles)
                                             : g_strdup (_("no roles"));

  /* Translators: the first %s is the reviewer id, the second their roles,
   * e.g. "Escalated items need the role “senior”; you are alice (reviewer)" */
  return g_strdup_printf (_("Escalated items need the role “senior”; you are %s (%s)"),
                          reviewer_id, joined);
}

/* Whether the reviewer may decide the item shown, from the roster in force
 * for its queue; reads that queue's policy first when it is not known. */
void
_vd_window_update_roles (VdWindow *self)
{
  VdItem *item = vd_item_detail_get_item (self->detail);
  VdStore *store = vd_session_get_store (self->session);
  const char *reviewer_id = vd_session_get_reviewer_id (self->session);
  g_autofree char *reason = NULL;
  VdRoster *roster = NULL;
  gpointer cached;

  if (_vd_window_is_disposed (self))
    return;

  if (item != NULL && store != NULL &&
      vd_item_get_status (item) == VD_TASK_STATUS_ESCALATED)
    {
      const char *queue = vd_item_get_queue (item);

      if (!g_hash_table_lookup_extended (self->rosters, queue, NULL, &cached))
        {
          RosterJob *job;
          g_autoptr(GTask) task = NULL;

          /* Until it is read, nothing may be decided. */
          if (self->roster_cancellable == NULL)
            {
              self->roster_cancellable = g_cancellable_new ();
              job = g_new0 (RosterJob, 1);
              job->store = g_object_ref (store);
              job->queue = g_strdup (queue);
              task = g_task_new (self, self->roster_cancellable, read_roster_cb, NULL);
              g_task_set_source_tag (task, _vd_window_update_roles);
              g_task_set_task_data (task, job, (GDestroyNotify) roster_job_free);
              g_task_run_in_thread (task, read_roster_thread);
            }
          self->read_only = TRUE;
          vd_item_detail_set_read_only_reason (self->detail, NULL);
          _vd_window_update_actions (self);
          return;
        }

      roster = cached != NULL ? VD_ROSTER (cached) : vd_session_get_roster (self->session);
      if (roster != NULL && (reviewer_id == NULL ||
                             !vd_roster_has_role (roster, reviewer_id, VD_ROLE_SENIOR)))
        reason = vd_window_read_only_reason (roster, reviewer_id);
    }

  /* Four-eyes review: the first reviewer waits for a second one. */
  if (reason == NULL && item != NULL && reviewer_id != NULL &&
      g_strcmp0 (vd_item_detail_get_first_reviewer (self->detail), reviewer_id) == 0)
    /* Translators: %s is the reviewer id */
    reason = g_strdup_printf (_("You (%s) have already reviewed this item: the policy requires "
                                "a second reviewer to decide it"), reviewer_id);

  self->read_only = reason != NULL;
  vd_item_detail_set_read_only_reason (self->detail, reason);
  _vd_window_update_actions (self);
}

static void
rosters_changed_cb (VdWindow *self)
{
  _vd_window_forget_rosters (self);
  _vd_window_update_roles (self);
}

/* Actions */

static void
lock_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  vd_session_lock (VD_WINDOW (widget)->session);
}

static void
sign_in_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  vd_session_request_sign_in (VD_WINDOW (widget)->session);
}

void
_vd_window_class_init_signing (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.lock", NULL, lock_action);
  gtk_widget_class_install_action (widget_class, "win.sign-in", NULL, sign_in_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_l, GDK_CONTROL_MASK, "win.lock", NULL);

  gtk_widget_class_bind_template_child (widget_class, VdWindow, lock_stack);
  gtk_widget_class_bind_template_child_full (widget_class, "signing_status", FALSE, 0);

  g_type_ensure (VD_TYPE_SIGNING_STATUS);
}

static void
unref_roster (gpointer roster)
{
  if (roster != NULL)
    g_object_unref (roster);
}

void
_vd_window_init_signing (VdWindow *self)
{
  GtkStackPage *page;

  self->rosters = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, unref_roster);

  self->sign_in_page = vd_sign_in_page_new (self->session);
  page = gtk_stack_add_named (self->lock_stack, GTK_WIDGET (self->sign_in_page), "sign-in");
  gtk_stack_page_set_title (page, _("Sign In"));

  /* Any input in the window, before its widgets see it. */
  self->idle_controller = gtk_event_controller_legacy_new ();
  gtk_event_controller_set_propagation_phase (self->idle_controller, GTK_PHASE_CAPTURE);
  g_signal_connect (self->idle_controller, "event", G_CALLBACK (input_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), self->idle_controller);
  self->last_input = g_get_monotonic_time ();

  g_signal_connect_object (self->session, "notify::needs-sign-in",
                           G_CALLBACK (vd_window_update_sign_in), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::signing-state",
                           G_CALLBACK (vd_window_update_sign_in), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::reviewer-id",
                           G_CALLBACK (_vd_window_update_roles), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::store",
                           G_CALLBACK (rosters_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::policy",
                           G_CALLBACK (rosters_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "items-changed",
                           G_CALLBACK (rosters_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->detail, "notify::item",
                           G_CALLBACK (_vd_window_update_roles), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->detail, "notify::first-reviewer",
                           G_CALLBACK (_vd_window_update_roles), self, G_CONNECT_SWAPPED);
  if (vd_session_get_settings (self->session) != NULL)
    g_signal_connect_object (vd_session_get_settings (self->session),
                             "changed::lock-after-minutes",
                             G_CALLBACK (vd_window_schedule_lock), self, G_CONNECT_SWAPPED);

  vd_window_update_sign_in (self);
}

void
_vd_window_dispose_signing (VdWindow *self)
{
  g_clear_handle_id (&self->idle_source, g_source_remove);
  _vd_window_forget_rosters (self);
  g_clear_pointer (&self->rosters, g_hash_table_unref);
  g_clear_pointer (&self->deferred_imports, g_ptr_array_unref);
}
