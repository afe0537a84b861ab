/* vd-window-sla.c: deadlines and capacity in the main window
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

#include "vd-bulk-dialog.h"
#include "vd-item-row.h"
#include "vd-window-private.h"

/* How often the forecast is computed again while nothing else asks. */
#define FORECAST_REFRESH_SECONDS (5 * 60)

/* While the window is in the background, how often it looks for deadlines
 * about to pass, and how close "about to pass" is. */
#define DEADLINE_CHECK_SECONDS 60
#define DEADLINE_HORIZON_MINUTES 10

/* The soonest undecided items looked at by one check. */
#define DEADLINE_CHECK_LIMIT 100

#define NOTIFICATION_ID "deadlines"

/* The deadline fallbacks the application's timer applied */

static char *
describe_applied (const VdSlaResult *result)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *joined = NULL;

  if (result->escalated > 0)
    /* Translators: part of "2 items passed their deadline: 1 escalated, …" */
    g_ptr_array_add (parts, g_strdup_printf (_("%u escalated"), result->escalated));
  if (result->auto_rejected > 0)
    /* Translators: part of "2 items passed their deadline: 1 sent back for revision" */
    g_ptr_array_add (parts, g_strdup_printf (_("%u sent back for revision"),
                                             result->auto_rejected));
  if (result->auto_approved > 0)
    /* Translators: part of "2 items passed their deadline: 1 approved automatically" */
    g_ptr_array_add (parts, g_strdup_printf (_("%u approved automatically"),
                                             result->auto_approved));
  g_ptr_array_add (parts, NULL);

  /* Translators: joins the parts of a list, e.g. "1 escalated, 1 sent back for revision" */
  joined = g_strjoinv (_(", "), (char **) parts->pdata);

  /* Translators: a toast; the second %s lists what happened, e.g.
   * "2 items passed their deadline: 1 escalated, 1 sent back for revision" */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%u item passed its deadline: %s",
                                       "%u items passed their deadline: %s",
                                       result->applied),
                          result->applied, joined);
}

static void
sla_applied_cb (VdWindow          *self,
                const VdSlaResult *result,
                VdSlaTimer        *timer)
{
  if (self->disposed || self->store == NULL ||
      vd_sla_timer_get_store (timer) != self->store)
    return;

  g_free (self->sla_message);
  self->sla_message = describe_applied (result);
  vd_window_show_message (self, self->sla_message);

  /* Escalated items leave the pending list; the item shown says what
   * happened to it. */
  _vd_window_reload_items (self);
  _vd_window_refresh_counts (self);
  if (self->shown != NULL)
    vd_item_detail_reload (self->detail);
}

static void
sla_failed_cb (VdWindow     *self,
               const GError *error,
               VdSlaTimer   *timer)
{
  g_warning ("Cannot apply the deadline fallbacks: %s", error->message);
}

void
_vd_window_set_sla_timer (VdWindow   *self,
                          VdSlaTimer *timer)
{
  g_assert (VD_IS_WINDOW (self));
  g_assert (timer == NULL || VD_IS_SLA_TIMER (timer));

  if (self->sla_timer == timer)
    return;

  if (self->sla_timer != NULL)
    g_signal_handlers_disconnect_by_data (self->sla_timer, self);
  g_set_object (&self->sla_timer, timer);

  if (timer != NULL)
    {
      g_signal_connect_object (timer, "applied", G_CALLBACK (sla_applied_cb), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (timer, "failed", G_CALLBACK (sla_failed_cb), self,
                               G_CONNECT_SWAPPED);
    }
}

/* An import may bring sooner deadlines: the timer looks again. */
static void
importing_changed_cb (VdWindow   *self,
                      GParamSpec *pspec,
                      gpointer    user_data)
{
  if (vd_window_get_importing (self))
    return;

  if (self->sla_timer != NULL && vd_sla_timer_get_running (self->sla_timer))
    vd_sla_timer_reschedule (self->sla_timer);
}

/* The forecast */

static char *
format_hours (double hours)
{
  if (hours < 1.0)
    /* Translators: an estimate in minutes, e.g. "~40 min" */
    return g_strdup_printf (_("~%d min"), MAX (1, (int) (hours * 60.0 + 0.5)));
  if (hours < 48.0)
    /* Translators: an estimate in hours, e.g. "~3 h" */
    return g_strdup_printf (_("~%d h"), (int) (hours + 0.5));

  /* Translators: an estimate in days, e.g. "~4 d" */
  return g_strdup_printf (_("~%d d"), (int) (hours / 24.0 + 0.5));
}

/* The forecast line of the queue pane, e.g. "Clears in ~3 h at the current
 * pace · 4 will miss their deadline". */
static char *
describe_forecast (const VdForecast *forecast)
{
  g_autofree char *clear = NULL;

  if (forecast->pending == 0)
    return g_strdup (_("Nothing waiting: no forecast needed"));

  if (forecast->can_clear)
    {
      g_autofree char *time = format_hours (forecast->hours_to_clear);

      /* Translators: %s is an estimate, e.g. "~3 h" */
      clear = g_strdup_printf (_("Clears in %s at the current pace"), time);
    }
  else
    clear = g_strdup (_("No decisions in the last day: no pace to forecast"));

  if (forecast->will_miss_deadline == 0)
    return g_steal_pointer (&clear);

  /* Translators: the forecast, e.g. "Clears in ~3 h at the current pace · 4 will miss
   * their deadline" */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%s · %u will miss its deadline",
                                       "%s · %u will miss their deadline",
                                       (gulong) forecast->will_miss_deadline),
                          clear, (guint) forecast->will_miss_deadline);
}

static char *
describe_rates (const VdForecast *forecast)
{
  /* Translators: the forecast's tooltip; rates per hour */
  return g_strdup_printf (_("Arrivals: %.1f per hour in the last hour, %.1f per hour over "
                            "the last day\n"
                            "Decisions: %.1f per hour in the last hour, %.1f per hour over "
                            "the last day\n"
                            "%u waiting, %u with a deadline"),
                          forecast->arrival_rate_hour, forecast->arrival_rate_day,
                          forecast->decision_rate_hour, forecast->decision_rate_day,
                          (guint) forecast->pending, (guint) forecast->with_deadline);
}

static void
forecast_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(VdWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *rates = NULL;
  GCancellable *cancellable = g_task_get_cancellable (G_TASK (result));
  VdForecast forecast = { 0, };

  if (!vd_forecast_compute_finish (VD_STORE (object), result, &forecast, &error))
    {
      if (!_vd_window_error_is_cancelled (error) && !g_cancellable_is_cancelled (cancellable))
        g_warning ("Cannot compute the forecast: %s", error->message);
      return;
    }

  if (self->disposed || cancellable != self->forecast_cancellable)
    return;

  g_clear_object (&self->forecast_cancellable);
  self->n_forecasts++;

  text = describe_forecast (&forecast);
  rates = describe_rates (&forecast);
  gtk_label_set_text (self->forecast_label, text);
  if (g_strcmp0 (gtk_widget_get_tooltip_text (GTK_WIDGET (self->forecast_label)), rates) != 0)
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->forecast_label), rates);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->forecast_label),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, rates,
                                  -1);
  gtk_widget_set_visible (GTK_WIDGET (self->forecast_label), TRUE);
}

/* Computes the forecast of the queue shown (all queues when none is
 * chosen) on a worker thread; a computation still running is dropped. */
void
_vd_window_refresh_forecast (VdWindow *self)
{
  g_assert (VD_IS_WINDOW (self));

  g_cancellable_cancel (self->forecast_cancellable);
  g_clear_object (&self->forecast_cancellable);

  if (self->store == NULL || self->disposed)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->forecast_label), FALSE);
      return;
    }

  self->forecast_cancellable = g_cancellable_new ();
  vd_forecast_compute_async (self->store, self->queue, NULL, self->forecast_cancellable,
                             forecast_cb, g_object_ref (self));
}

static gboolean
forecast_timeout_cb (gpointer user_data)
{
  VdWindow *self = user_data;

  /* Not while another computation runs: the counts ask for one anyway. */
  if (self->forecast_cancellable == NULL)
    _vd_window_refresh_forecast (self);

  return G_SOURCE_CONTINUE;
}

/* Deadlines about to pass while the window is in the background */

typedef struct
{
  VdStore   *store;
  VdPolicy  *policy;  /* nullable; read only */
  GDateTime *now;
  GPtrArray *items;   /* the undecided items about to pass their deadline, soonest first */
} DeadlineCheck;

static void
deadline_check_free (DeadlineCheck *check)
{
  g_clear_object (&check->store);
  g_clear_object (&check->policy);
  g_clear_pointer (&check->now, g_date_time_unref);
  g_clear_pointer (&check->items, g_ptr_array_unref);
  g_free (check);
}

static void
deadline_check_thread (GTask        *task,
                       gpointer      source_object,
                       gpointer      task_data,
                       GCancellable *cancellable)
{
  DeadlineCheck *check = task_data;
  VdItemQuery query = VD_ITEM_QUERY_INIT;
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GDateTime) horizon = g_date_time_add_minutes (check->now, DEADLINE_HORIZON_MINUTES);
  GError *error = NULL;

  query.statuses = VD_STATUS_MASK_UNDECIDED;
  query.sort = VD_SORT_ORDER_DUE;
  query.limit = DEADLINE_CHECK_LIMIT;

  ids = vd_store_list_ids (check->store, &query, &error);
  if (ids != NULL && ids->len > 0)
    items = vd_store_get_items_by_id (check->store, (const gint64 *) ids->data, ids->len,
                                      &error);
  if (error != NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  check->items = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; items != NULL && i < items->len; i++)
    {
      VdItem *item = g_ptr_array_index (items, i);
      GDateTime *due_at = vd_item_get_due_at (item);

      /* Passed deadlines are the timer's; the rest are sorted by deadline. */
      if (due_at == NULL || g_date_time_compare (due_at, check->now) <= 0)
        continue;

      if (g_date_time_compare (due_at, horizon) <= 0)
        g_ptr_array_add (check->items, g_object_ref (item));
      else if (vd_sla_get_due_state (item, check->policy, check->now) == VD_DUE_STATE_SOON)
        g_ptr_array_add (check->items, g_object_ref (item));
    }

  g_task_return_boolean (task, TRUE);
}

static gboolean
vd_window_is_active (VdWindow *self)
{
  if (self->active_override >= 0)
    return self->active_override > 0;

  return gtk_window_is_active (GTK_WINDOW (self));
}

static void
vd_window_withdraw_notification (VdWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  if (!self->notification_shown)
    return;

  self->notification_shown = FALSE;
  if (app != NULL)
    g_application_withdraw_notification (G_APPLICATION (app), NOTIFICATION_ID);
}

static void
deadline_check_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  VdWindow *self = VD_WINDOW (object);
  GTask *task = G_TASK (result);
  GCancellable *cancellable = g_task_get_cancellable (task);
  DeadlineCheck *check = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *due = NULL;
  GtkApplication *app;
  VdItem *soonest;
  gboolean any_new = FALSE;

  if (!g_task_propagate_boolean (task, &error))
    {
      if (!_vd_window_error_is_cancelled (error) && !g_cancellable_is_cancelled (cancellable))
        g_warning ("Cannot look for deadlines about to pass: %s", error->message);
      return;
    }

  if (self->disposed || cancellable != self->deadline_cancellable)
    return;
  g_clear_object (&self->deadline_cancellable);
  self->n_deadline_checks++;

  /* The reviewer is back meanwhile: the list shows it all. */
  if (vd_window_is_active (self) || check->items->len == 0)
    return;

  /* Once per item: a new notification only when new items come close. */
  for (guint i = 0; i < check->items->len; i++)
    {
      gint64 id = vd_item_get_id (g_ptr_array_index (check->items, i));

      if (!g_hash_table_contains (self->notified, &id))
        {
          g_hash_table_add (self->notified, g_memdup2 (&id, sizeof id));
          any_new = TRUE;
        }
    }
  if (!any_new)
    return;

  soonest = g_ptr_array_index (check->items, 0);
  due = vd_sla_format_time_left (vd_item_get_due_at (soonest), check->now, NULL);

  g_free (self->notification_title);
  /* Translators: a desktop notification's title */
  self->notification_title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                           "%u item is about to pass its deadline",
                                                           "%u items are about to pass their "
                                                           "deadline",
                                                           check->items->len),
                                              check->items->len);
  g_free (self->notification_body);
  /* Translators: a desktop notification's text: the task id, its queue and the time
   * left, e.g. "The soonest: “pay-1” in payments, 4 min left." */
  self->notification_body = g_strdup_printf (_("The soonest: “%s” in %s, %s."),
                                             vd_item_get_task_id (soonest),
                                             vd_item_get_queue (soonest), due);
  self->notification_item = vd_item_get_id (soonest);
  self->n_notifications++;
  self->notification_shown = TRUE;

  notification = g_notification_new (self->notification_title);
  g_notification_set_body (notification, self->notification_body);
  g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_HIGH);
  g_notification_set_default_action_and_target_value (notification, "app.show-item",
                                                      g_variant_new_int64 (self->notification_item));

  app = gtk_window_get_application (GTK_WINDOW (self));
  if (app != NULL)
    g_application_send_notification (G_APPLICATION (app), NOTIFICATION_ID, notification);
}

/* Looks for undecided items whose deadline is within 10 minutes, or that
 * have less than 10% of their SLA left, and notifies the new ones while
 * the window is in the background. */
void
_vd_window_check_deadlines (VdWindow *self)
{
  g_autoptr(GTask) task = NULL;
  DeadlineCheck *check;

  g_assert (VD_IS_WINDOW (self));

  if (self->store == NULL || self->disposed || self->deadline_cancellable != NULL)
    return;

  self->deadline_cancellable = g_cancellable_new ();

  check = g_new0 (DeadlineCheck, 1);
  check->store = g_object_ref (self->store);
  check->policy = self->policy != NULL ? g_object_ref (self->policy) : NULL;
  check->now = g_date_time_new_now_utc ();

  task = g_task_new (self, self->deadline_cancellable, deadline_check_cb, NULL);
  g_task_set_source_tag (task, _vd_window_check_deadlines);
  g_task_set_task_data (task, check, (GDestroyNotify) deadline_check_free);
  g_task_run_in_thread (task, deadline_check_thread);
}

static gboolean
deadline_timeout_cb (gpointer user_data)
{
  _vd_window_check_deadlines (VD_WINDOW (user_data));

  return G_SOURCE_CONTINUE;
}

/* Checks run only while the window is in the background: the reviewer
 * sees the countdowns otherwise. Coming back withdraws the notification. */
static void
active_changed_cb (VdWindow   *self,
                   GParamSpec *pspec,
                   gpointer    user_data)
{
  if (self->disposed)
    return;

  if (vd_window_is_active (self))
    {
      g_clear_handle_id (&self->deadline_source, g_source_remove);
      g_cancellable_cancel (self->deadline_cancellable);
      g_clear_object (&self->deadline_cancellable);
      vd_window_withdraw_notification (self);
      return;
    }

  if (self->deadline_source == 0)
    {
      self->deadline_source = g_timeout_add_seconds (DEADLINE_CHECK_SECONDS,
                                                     deadline_timeout_cb, self);
      _vd_window_check_deadlines (self);
    }
}

void
_vd_window_set_active_override (VdWindow *self,
                                int       active)
{
  g_assert (VD_IS_WINDOW (self));

  self->active_override = active;
  active_changed_cb (self, NULL, NULL);
}

/* Selecting an item by its row id (from a notification or the bulk
 * approve dialog) */

void
_vd_window_select_item_id (VdWindow *self,
                           gint64    item_id)
{
  guint position;

  g_assert (VD_IS_WINDOW (self));

  if (self->items == NULL)
    return;

  position = vd_item_list_model_find (self->items, item_id);
  if (position != GTK_INVALID_LIST_POSITION && !self->reloading)
    {
      _vd_window_select_position (self, position);
      return;
    }

  /* Not in view: every status shows it, selected once loaded. */
  self->select_after_load = item_id;
  if (self->status_filter != VD_STATUS_FILTER_ALL)
    _vd_window_set_status_filter (self, VD_STATUS_FILTER_ALL);
  else
    _vd_window_reload_items (self);
}

/* Guarded bulk approve */

static void
bulk_approve_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  VdWindow *self = VD_WINDOW (widget);

  if (self->store == NULL)
    return;

  if (self->reviewer_id == NULL)
    {
      _vd_window_ask_reviewer (self);
      return;
    }

  if (self->bulk_dialog == NULL)
    {
      self->bulk_dialog = GTK_WIDGET (vd_bulk_dialog_new (self));
      g_object_add_weak_pointer (G_OBJECT (self->bulk_dialog), (gpointer *) &self->bulk_dialog);
    }

  gtk_window_present (GTK_WINDOW (self->bulk_dialog));
}

void
_vd_window_bulk_decision_recorded (VdWindow *self)
{
  if (self->bulk_dialog != NULL)
    vd_bulk_dialog_refresh (VD_BULK_DIALOG (self->bulk_dialog));
}

/* Set-up */

void
_vd_window_class_init_sla (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_child (widget_class, VdWindow, forecast_label);
  gtk_widget_class_install_action (widget_class, "win.bulk-approve", NULL, bulk_approve_action);
  /* Not Ctrl+Shift+A: the queue list takes that one (unselect all). */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_b, GDK_CONTROL_MASK,
                                       "win.bulk-approve", NULL);
}

void
_vd_window_init_sla (VdWindow *self)
{
  self->active_override = -1;
  self->notified = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->forecast_source = g_timeout_add_seconds (FORECAST_REFRESH_SECONDS,
                                                 forecast_timeout_cb, self);

  g_signal_connect (self, "notify::is-active", G_CALLBACK (active_changed_cb), NULL);
  g_signal_connect (self, "notify::importing", G_CALLBACK (importing_changed_cb), NULL);
}

void
_vd_window_dispose_sla (VdWindow *self)
{
  g_signal_handlers_disconnect_by_func (self, active_changed_cb, NULL);
  g_signal_handlers_disconnect_by_func (self, importing_changed_cb, NULL);

  g_clear_handle_id (&self->forecast_source, g_source_remove);
  g_clear_handle_id (&self->deadline_source, g_source_remove);
  g_cancellable_cancel (self->forecast_cancellable);
  g_clear_object (&self->forecast_cancellable);
  g_cancellable_cancel (self->deadline_cancellable);
  g_clear_object (&self->deadline_cancellable);

  vd_window_withdraw_notification (self);
  _vd_window_set_sla_timer (self, NULL);

  if (self->bulk_dialog != NULL)
    {
      GtkWidget *dialog = self->bulk_dialog;

      g_object_remove_weak_pointer (G_OBJECT (dialog), (gpointer *) &self->bulk_dialog);
      self->bulk_dialog = NULL;
      gtk_window_destroy (GTK_WINDOW (dialog));
    }

  g_clear_pointer (&self->notified, g_hash_table_unref);
  g_clear_pointer (&self->sla_message, g_free);
  g_clear_pointer (&self->notification_title, g_free);
  g_clear_pointer (&self->notification_body, g_free);
}

/* Internal state, for the tests */

const char *
_vd_window_get_sla_message (VdWindow *self)
{
  return self->sla_message;
}

const char *
_vd_window_get_forecast_text (VdWindow *self)
{
  return gtk_widget_get_visible (GTK_WIDGET (self->forecast_label))
         ? gtk_label_get_text (self->forecast_label) : NULL;
}

guint
_vd_window_get_n_forecasts (VdWindow *self)
{
  return self->n_forecasts;
}

guint
_vd_window_get_n_deadline_checks (VdWindow *self)
{
  return self->n_deadline_checks;
}

guint
_vd_window_get_n_notifications (VdWindow *self)
{
  return self->n_notifications;
}

const char *
_vd_window_get_notification_title (VdWindow *self)
{
  return self->notification_title;
}

const char *
_vd_window_get_notification_body (VdWindow *self)
{
  return self->notification_body;
}

gint64
_vd_window_get_notification_item (VdWindow *self)
{
  return self->notification_item;
}

gboolean
_vd_window_get_notification_shown (VdWindow *self)
{
  return self->notification_shown;
}

GtkWidget *
_vd_window_get_bulk_dialog (VdWindow *self)
{
  return self->bulk_dialog;
}
