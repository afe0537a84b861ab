/* vd-deadline-monitor.c: deadlines, fallbacks and the forecast while the
 * application runs
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

#define G_LOG_DOMAIN "vd-deadline-monitor"

#include "config.h"

#include <glib/gi18n.h>

#include "vd-deadline-monitor.h"
#include "vd-forecast.h"
#include "vd-item.h"
#include "vd-sla.h"

/* How often the forecast is computed again while nothing else asks. */
#define FORECAST_REFRESH_SECONDS (5 * 60)

/* While watching, how often the monitor looks for deadlines about to pass,
 * and how close "about to pass" is. */
#define DEADLINE_CHECK_SECONDS 60
#define DEADLINE_HORIZON_MINUTES 10

/* The soonest undecided items looked at by one check. */
#define DEADLINE_CHECK_LIMIT 100

struct _VdDeadlineMonitor
{
  GObject        parent_instance;

  VdStore       *store;
  VdPolicy      *policy;
  VdSlaTimer    *timer;
  GCancellable  *cancellable;          /* cancelled at dispose */

  char          *fallback_message;

  char          *forecast_queue;
  char          *forecast_text;
  char          *forecast_details;
  GCancellable  *forecast_cancellable; /* the computation running */
  char          *forecast_next_queue;  /* the queue it computes */
  guint          forecast_source;
  guint          n_forecasts;

  guint          check_source;
  GCancellable  *check_cancellable;    /* the check running */
  GHashTable    *notified;             /* row ids already notified */
  guint          n_deadline_checks;
  guint          n_notifications;
  char          *notification_title;
  char          *notification_body;
  gint64         notification_item;
  guint          notification_shown : 1;
  guint          watching : 1;

  /* While held, starting and checking wait (see vd_deadline_monitor_set_held()). */
  guint          held : 1;
  guint          start_pending : 1;
  guint          check_pending : 1;
};

G_DEFINE_FINAL_TYPE (VdDeadlineMonitor, vd_deadline_monitor, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STORE,
  PROP_POLICY,
  PROP_TIMER,
  PROP_RUNNING,
  PROP_FALLBACK_MESSAGE,
  PROP_FORECAST_QUEUE,
  PROP_FORECAST_TEXT,
  PROP_FORECAST_DETAILS,
  PROP_N_FORECASTS,
  PROP_WATCHING,
  PROP_N_DEADLINE_CHECKS,
  PROP_N_NOTIFICATIONS,
  PROP_NOTIFICATION_SHOWN,
  PROP_NOTIFICATION_TITLE,
  PROP_NOTIFICATION_BODY,
  PROP_NOTIFICATION_ITEM,
  N_PROPS
};

enum {
  FALLBACKS_APPLIED,
  FORECAST_CHANGED,
  NOTIFICATION,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static gboolean
error_is_cancelled (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
         g_error_matches (error, VD_STORE_ERROR, VD_STORE_ERROR_CANCELLED);
}

/* Fallbacks */

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
timer_applied_cb (VdDeadlineMonitor *self,
                  const VdSlaResult *result,
                  VdSlaTimer        *timer)
{
  g_free (self->fallback_message);
  self->fallback_message = describe_applied (result);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FALLBACK_MESSAGE]);

  g_signal_emit (self, signals[FALLBACKS_APPLIED], 0, result);
}

static void
timer_failed_cb (VdDeadlineMonitor *self,
                 const GError      *error,
                 VdSlaTimer        *timer)
{
  g_warning ("Cannot apply the deadline fallbacks: %s", error->message);
}

static void
timer_running_cb (VdDeadlineMonitor *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
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
 * pace · 4 will miss their deadline"; no time and no count of misses
 * until there are enough decisions for a pace. */
static char *
describe_forecast (const VdForecast *forecast)
{
  g_autofree char *time = NULL;
  g_autofree char *clear = NULL;

  if (forecast->pending == 0)
    return g_strdup (_("Nothing waiting: no forecast needed"));

  if (!forecast->has_pace)
    return g_strdup (_("Not enough decisions yet to forecast"));

  time = format_hours (forecast->hours_to_clear);
  /* Translators: %s is an estimate, e.g. "~3 h" */
  clear = g_strdup_printf (_("Clears in %s at the current pace"), time);

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
  g_autofree char *pace = NULL;

  if (forecast->has_pace)
    /* Translators: the pace behind the forecast, e.g. "Pace: 24.0 per hour, from the last 12
     * decisions" */
    pace = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "Pace: %.1f per hour, from the last %u decision",
                                         "Pace: %.1f per hour, from the last %u decisions",
                                         forecast->sample_decisions),
                            forecast->pace, forecast->sample_decisions);
  else
    /* Translators: why the forecast gives no time, e.g. "No pace yet: 2 decisions in the
     * last day, a pace needs 5 over 10 minutes" */
    pace = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "No pace yet: %u decision in the last day, a pace "
                                         "needs %d over %d minutes",
                                         "No pace yet: %u decisions in the last day, a pace "
                                         "needs %d over %d minutes",
                                         forecast->sample_decisions),
                            forecast->sample_decisions, VD_FORECAST_MIN_DECISIONS,
                            (int) (VD_FORECAST_MIN_SPAN / G_TIME_SPAN_MINUTE));

  /* Translators: the forecast's tooltip; rates per hour, then the pace line */
  return g_strdup_printf (_("Arrivals: %.1f per hour in the last hour, %.1f per hour over "
                            "the last day\n"
                            "Decisions: %.1f per hour in the last hour, %.1f per hour over "
                            "the last day\n"
                            "%s\n"
                            "%u waiting, %u with a deadline"),
                          forecast->arrival_rate_hour, forecast->arrival_rate_day,
                          forecast->decision_rate_hour, forecast->decision_rate_day,
                          pace,
                          (guint) forecast->pending, (guint) forecast->with_deadline);
}

static void
forecast_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(VdDeadlineMonitor) self = user_data;
  g_autoptr(GError) error = NULL;
  GCancellable *cancellable = g_task_get_cancellable (G_TASK (result));
  VdForecast forecast = { 0, };

  if (!vd_forecast_compute_finish (VD_STORE (object), result, &forecast, &error))
    {
      if (!error_is_cancelled (error) && !g_cancellable_is_cancelled (cancellable))
        g_warning ("Cannot compute the forecast: %s", error->message);
      if (cancellable == self->forecast_cancellable)
        g_clear_object (&self->forecast_cancellable);
      return;
    }

  if (cancellable != self->forecast_cancellable)
    return;

  g_clear_object (&self->forecast_cancellable);

  g_free (self->forecast_queue);
  self->forecast_queue = g_strdup (self->forecast_next_queue);
  g_free (self->forecast_text);
  self->forecast_text = describe_forecast (&forecast);
  g_free (self->forecast_details);
  self->forecast_details = describe_rates (&forecast);
  self->n_forecasts++;

  g_object_freeze_notify (G_OBJECT (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FORECAST_QUEUE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FORECAST_TEXT]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FORECAST_DETAILS]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_FORECASTS]);
  g_object_thaw_notify (G_OBJECT (self));

  g_signal_emit (self, signals[FORECAST_CHANGED], 0);
}

static gboolean
forecast_timeout_cb (gpointer user_data)
{
  VdDeadlineMonitor *self = user_data;

  /* Not while another computation runs: it answers soon anyway. */
  if (self->forecast_cancellable == NULL)
    vd_deadline_monitor_refresh_forecast (self, self->forecast_next_queue);

  return G_SOURCE_CONTINUE;
}

/* Deadlines about to pass */

typedef struct
{
  VdStore   *store;
  VdPolicy  *policy;  /* read only */
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

      if (g_date_time_compare (due_at, horizon) <= 0 ||
          vd_sla_get_due_state (item, check->policy, check->now) == VD_DUE_STATE_SOON)
        g_ptr_array_add (check->items, g_object_ref (item));
    }

  g_task_return_boolean (task, TRUE);
}

static void
vd_deadline_monitor_offer_notification (VdDeadlineMonitor *self,
                                        DeadlineCheck     *check)
{
  g_autofree char *due = NULL;
  VdItem *soonest;
  gboolean any_new = FALSE;

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

  g_object_freeze_notify (G_OBJECT (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NOTIFICATION_TITLE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NOTIFICATION_BODY]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NOTIFICATION_ITEM]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_NOTIFICATIONS]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NOTIFICATION_SHOWN]);
  g_object_thaw_notify (G_OBJECT (self));

  g_signal_emit (self, signals[NOTIFICATION], 0,
                 self->notification_title, self->notification_body, self->notification_item);
}

static void
deadline_check_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  VdDeadlineMonitor *self = VD_DEADLINE_MONITOR (object);
  GTask *task = G_TASK (result);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (task, &error))
    {
      if (!error_is_cancelled (error) && !g_cancellable_is_cancelled (cancellable))
        g_warning ("Cannot look for deadlines about to pass: %s", error->message);
      if (cancellable == self->check_cancellable)
        g_clear_object (&self->check_cancellable);
      return;
    }

  if (cancellable != self->check_cancellable)
    return;
  g_clear_object (&self->check_cancellable);

  self->n_deadline_checks++;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_DEADLINE_CHECKS]);

  /* The reviewer is back meanwhile: the list shows it all. */
  if (self->watching)
    {
      DeadlineCheck *check = g_task_get_task_data (task);

      if (check->items->len > 0)
        vd_deadline_monitor_offer_notification (self, check);
    }
}

static gboolean
deadline_timeout_cb (gpointer user_data)
{
  vd_deadline_monitor_check (VD_DEADLINE_MONITOR (user_data));

  return G_SOURCE_CONTINUE;
}

/* The class */

static void
vd_deadline_monitor_constructed (GObject *object)
{
  VdDeadlineMonitor *self = (VdDeadlineMonitor *)object;

  G_OBJECT_CLASS (vd_deadline_monitor_parent_class)->constructed (object);

  g_assert (VD_IS_STORE (self->store));

  if (self->policy == NULL)
    self->policy = vd_policy_new ();

  self->timer = vd_sla_timer_new (self->store, self->policy);
  g_signal_connect_object (self->timer, "applied", G_CALLBACK (timer_applied_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->timer, "failed", G_CALLBACK (timer_failed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->timer, "notify::running", G_CALLBACK (timer_running_cb), self,
                           G_CONNECT_SWAPPED);
}

static void
vd_deadline_monitor_dispose (GObject *object)
{
  VdDeadlineMonitor *self = (VdDeadlineMonitor *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->forecast_source, g_source_remove);
  g_clear_handle_id (&self->check_source, g_source_remove);
  g_cancellable_cancel (self->forecast_cancellable);
  g_clear_object (&self->forecast_cancellable);
  g_cancellable_cancel (self->check_cancellable);
  g_clear_object (&self->check_cancellable);

  if (self->timer != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->timer, self);
      vd_sla_timer_stop (self->timer);
    }
  g_clear_object (&self->timer);

  G_OBJECT_CLASS (vd_deadline_monitor_parent_class)->dispose (object);
}

static void
vd_deadline_monitor_finalize (GObject *object)
{
  VdDeadlineMonitor *self = (VdDeadlineMonitor *)object;

  g_clear_object (&self->store);
  g_clear_object (&self->policy);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->notified, g_hash_table_unref);
  g_clear_pointer (&self->fallback_message, g_free);
  g_clear_pointer (&self->forecast_queue, g_free);
  g_clear_pointer (&self->forecast_next_queue, g_free);
  g_clear_pointer (&self->forecast_text, g_free);
  g_clear_pointer (&self->forecast_details, g_free);
  g_clear_pointer (&self->notification_title, g_free);
  g_clear_pointer (&self->notification_body, g_free);

  G_OBJECT_CLASS (vd_deadline_monitor_parent_class)->finalize (object);
}

static void
vd_deadline_monitor_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  VdDeadlineMonitor *self = VD_DEADLINE_MONITOR (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_POLICY:
      g_value_set_object (value, self->policy);
      break;

    case PROP_TIMER:
      g_value_set_object (value, self->timer);
      break;

    case PROP_RUNNING:
      g_value_set_boolean (value, vd_deadline_monitor_get_running (self));
      break;

    case PROP_FALLBACK_MESSAGE:
      g_value_set_string (value, self->fallback_message);
      break;

    case PROP_FORECAST_QUEUE:
      g_value_set_string (value, self->forecast_queue);
      break;

    case PROP_FORECAST_TEXT:
      g_value_set_string (value, self->forecast_text);
      break;

    case PROP_FORECAST_DETAILS:
      g_value_set_string (value, self->forecast_details);
      break;

    case PROP_N_FORECASTS:
      g_value_set_uint (value, self->n_forecasts);
      break;

    case PROP_WATCHING:
      g_value_set_boolean (value, self->watching);
      break;

    case PROP_N_DEADLINE_CHECKS:
      g_value_set_uint (value, self->n_deadline_checks);
      break;

    case PROP_N_NOTIFICATIONS:
      g_value_set_uint (value, self->n_notifications);
      break;

    case PROP_NOTIFICATION_SHOWN:
      g_value_set_boolean (value, self->notification_shown);
      break;

    case PROP_NOTIFICATION_TITLE:
      g_value_set_string (value, self->notification_title);
      break;

    case PROP_NOTIFICATION_BODY:
      g_value_set_string (value, self->notification_body);
      break;

    case PROP_NOTIFICATION_ITEM:
      g_value_set_int64 (value, self->notification_item);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vd_deadline_monitor_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  VdDeadlineMonitor *self = VD_DEADLINE_MONITOR (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;

    case PROP_POLICY:
      if (self->timer == NULL)
        self->policy = g_value_dup_object (value);
      else if (g_value_get_object (value) != NULL)
        vd_deadline_monitor_set_policy (self, g_value_get_object (value));
      break;

    case PROP_WATCHING:
      vd_deadline_monitor_set_watching (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vd_deadline_monitor_class_init (VdDeadlineMonitorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = vd_deadline_monitor_constructed;
  object_class->dispose = vd_deadline_monitor_dispose;
  object_class->finalize = vd_deadline_monitor_finalize;
  object_class->get_property = vd_deadline_monitor_get_property;
  object_class->set_property = vd_deadline_monitor_set_property;

  /**
   * VdDeadlineMonitor:store:
   *
   * The store whose deadlines are watched.
   */
  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         VD_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * VdDeadlineMonitor:policy:
   *
   * The policy whose fallbacks apply and whose SLAs say when a deadline
   * is close; the built-in default when none is given.
   */
  properties[PROP_POLICY] =
    g_param_spec_object ("policy", NULL, NULL,
                         VD_TYPE_POLICY,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS);

  /**
   * VdDeadlineMonitor:timer:
   *
   * The timer that applies the fallbacks (its intervals can be tuned).
   */
  properties[PROP_TIMER] =
    g_param_spec_object ("timer", NULL, NULL,
                         VD_TYPE_SLA_TIMER,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * VdDeadlineMonitor:running:
   *
   * Whether the fallbacks are applied as deadlines pass.
   */
  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * VdDeadlineMonitor:fallback-message: (nullable)
   *
   * What the last fallbacks did, for people: "2 items passed their
   * deadline: 1 escalated, 1 sent back for revision".
   */
  properties[PROP_FALLBACK_MESSAGE] =
    g_param_spec_string ("fallback-message", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * VdDeadlineMonitor:forecast-queue: (nullable)
   *
   * The queue of the last forecast, %NULL for all queues.
   */
  properties[PROP_FORECAST_QUEUE] =
    g_param_spec_string ("forecast-queue", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * VdDeadlineMonitor:forecast-text: (nullable)
   *
   * The last forecast in a line: "Clears in ~3 h at the current pace ·
   * 4 will miss their deadline"; %NULL before the first.
   */
  properties[PROP_FORECAST_TEXT] =
    g_param_spec_string ("forecast-text", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * VdDeadlineMonitor:forecast-details: (nullable)
   *
   * The rates behind the last forecast, in a few lines.
   */
  properties[PROP_FORECAST_DETAILS] =
    g_param_spec_string ("forecast-details", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * VdDeadlineMonitor:n-forecasts:
   *
   * How many forecasts were computed.
   */
  properties[PROP_N_FORECASTS] =
    g_param_spec_uint ("n-forecasts", NULL, NULL,
                       0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * VdDeadlineMonitor:watching:
   *
   * Whether the reviewer is away from the windows: deadlines about to pass
   * are looked for every minute and offered as a notification. Turning it
   * off withdraws the notification (notification-shown turns %FALSE).
   */
  properties[PROP_WATCHING] =
    g_param_spec_boolean ("watching", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * VdDeadlineMonitor:n-deadline-checks:
   *
   * How many looks for deadlines about to pass have ended.
   */
  properties[PROP_N_DEADLINE_CHECKS] =
    g_param_spec_uint ("n-deadline-checks", NULL, NULL,
                       0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * VdDeadlineMonitor:n-notifications:
   *
   * How many notifications were offered.
   */
  properties[PROP_N_NOTIFICATIONS] =
    g_param_spec_uint ("n-notifications", NULL, NULL,
                       0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * VdDeadlineMonitor:notification-shown:
   *
   * Whether the last notification stands: %FALSE once watching stops.
   */
  properties[PROP_NOTIFICATION_SHOWN] =
    g_param_spec_boolean ("notification-shown", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * VdDeadlineMonitor:notification-title: (nullable)
   *
   * The title of the last notification.
   */
  properties[PROP_NOTIFICATION_TITLE] =
    g_param_spec_string ("notification-title", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * VdDeadlineMonitor:notification-body: (nullable)
   *
   * The text of the last notification.
   */
  properties[PROP_NOTIFICATION_BODY] =
    g_param_spec_string ("notification-body", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * VdDeadlineMonitor:notification-item:
   *
   * The row id of the item the last notification names, 0 before one.
   */
  properties[PROP_NOTIFICATION_ITEM] =
    g_param_spec_int64 ("notification-item", NULL, NULL,
                        0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * VdDeadlineMonitor::fallbacks-applied:
   * @self: the monitor
   * @result: (type gpointer): the #VdSlaResult of the check
   *
   * Fallbacks were applied: items changed in the store.
   */
  signals[FALLBACKS_APPLIED] =
    g_signal_new ("fallbacks-applied",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_POINTER);

  /**
   * VdDeadlineMonitor::forecast-changed:
   * @self: the monitor
   *
   * A forecast was computed (its text may be the same as before).
   */
  signals[FORECAST_CHANGED] =
    g_signal_new ("forecast-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  /**
   * VdDeadlineMonitor::notification:
   * @self: the monitor
   * @title: the notification's title
   * @body: its text
   * @item_id: the row id of the item whose deadline is soonest
   *
   * New items are about to pass their deadline while watching: a
   * notification to send.
   */
  signals[NOTIFICATION] =
    g_signal_new ("notification",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_INT64);
}

static void
vd_deadline_monitor_init (VdDeadlineMonitor *self)
{
  self->cancellable = g_cancellable_new ();
  self->notified = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
}

/**
 * vd_deadline_monitor_new:
 * @store: the store
 * @policy: (nullable): the policy in force, %NULL for the default
 *
 * Returns: (transfer full): a monitor; its fallbacks wait for
 *   vd_deadline_monitor_start(), and it watches nothing until
 *   vd_deadline_monitor_set_watching()
 */
VdDeadlineMonitor *
vd_deadline_monitor_new (VdStore  *store,
                         VdPolicy *policy)
{
  g_return_val_if_fail (VD_IS_STORE (store), NULL);
  g_return_val_if_fail (policy == NULL || VD_IS_POLICY (policy), NULL);

  return g_object_new (VD_TYPE_DEADLINE_MONITOR,
                       "store", store,
                       "policy", policy,
                       NULL);
}

/**
 * vd_deadline_monitor_get_store:
 * @self: a monitor
 *
 * Returns: (transfer none): the store
 */
VdStore *
vd_deadline_monitor_get_store (VdDeadlineMonitor *self)
{
  g_return_val_if_fail (VD_IS_DEADLINE_MONITOR (self), NULL);

  return self->store;
}

/**
 * vd_deadline_monitor_get_policy:
 * @self: a monitor
 *
 * Returns: (transfer none): the policy in force
 */
VdPolicy *
vd_deadline_monitor_get_policy (VdDeadlineMonitor *self)
{
  g_return_val_if_fail (VD_IS_DEADLINE_MONITOR (self), NULL);

  return self->policy;
}

/**
 * vd_deadline_monitor_set_policy:
 * @self: a monitor
 * @policy: the policy in force from now on
 *
 * A running monitor checks the fallbacks again at once.
 */
void
vd_deadline_monitor_set_policy (VdDeadlineMonitor *self,
                                VdPolicy          *policy)
{
  g_return_if_fail (VD_IS_DEADLINE_MONITOR (self));
  g_return_if_fail (VD_IS_POLICY (policy));

  if (!g_set_object (&self->policy, policy))
    return;

  vd_sla_timer_set_policy (self->timer, policy);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POLICY]);
}

/**
 * vd_deadline_monitor_get_timer:
 * @self: a monitor
 *
 * Returns: (transfer none): the timer that applies the fallbacks
 */
VdSlaTimer *
vd_deadline_monitor_get_timer (VdDeadlineMonitor *self)
{
  g_return_val_if_fail (VD_IS_DEADLINE_MONITOR (self), NULL);

  return self->timer;
}

gboolean
vd_deadline_monitor_get_running (VdDeadlineMonitor *self)
{
  g_return_val_if_fail (VD_IS_DEADLINE_MONITOR (self), FALSE);

  return self->timer != NULL && vd_sla_timer_get_running (self->timer);
}

/**
 * vd_deadline_monitor_start:
 * @self: a monitor
 *
 * Applies the fallbacks of passed deadlines at once, then as deadlines
 * pass (see #VdSlaTimer).
 */
void
vd_deadline_monitor_start (VdDeadlineMonitor *self)
{
  g_return_if_fail (VD_IS_DEADLINE_MONITOR (self));

  if (self->held)
    {
      self->start_pending = TRUE;
      return;
    }

  vd_sla_timer_start (self->timer);
}

/**
 * vd_deadline_monitor_stop:
 * @self: a monitor
 *
 * Stops applying fallbacks (while the policy is read again, say).
 */
void
vd_deadline_monitor_stop (VdDeadlineMonitor *self)
{
  g_return_if_fail (VD_IS_DEADLINE_MONITOR (self));

  self->start_pending = FALSE;
  if (self->timer != NULL)
    vd_sla_timer_stop (self->timer);
}

/**
 * vd_deadline_monitor_get_held:
 * @self: a monitor
 *
 * Returns: whether starting and checking wait
 */
gboolean
vd_deadline_monitor_get_held (VdDeadlineMonitor *self)
{
  g_return_val_if_fail (VD_IS_DEADLINE_MONITOR (self), FALSE);

  return self->held;
}

/**
 * vd_deadline_monitor_set_held:
 * @self: a monitor
 * @held: whether to wait
 *
 * While held, vd_deadline_monitor_start() and vd_deadline_monitor_check()
 * only remember that they were asked for: a window holds the monitor
 * until its first item is on screen, so that the scans of the deadlines
 * do not delay it. Letting go runs what was asked for meanwhile.
 */
void
vd_deadline_monitor_set_held (VdDeadlineMonitor *self,
                              gboolean           held)
{
  g_return_if_fail (VD_IS_DEADLINE_MONITOR (self));

  held = !!held;
  if (self->held == (guint) held)
    return;

  self->held = held;
  if (held)
    return;

  if (self->start_pending)
    {
      self->start_pending = FALSE;
      vd_deadline_monitor_start (self);
    }

  if (self->check_pending)
    {
      self->check_pending = FALSE;
      if (self->watching)
        vd_deadline_monitor_check (self);
    }
}

/**
 * vd_deadline_monitor_reschedule:
 * @self: a monitor
 *
 * Looks again soon: call it after an import, a revision or a retraction
 * in this process, which may bring a sooner deadline.
 */
void
vd_deadline_monitor_reschedule (VdDeadlineMonitor *self)
{
  g_return_if_fail (VD_IS_DEADLINE_MONITOR (self));

  vd_sla_timer_reschedule (self->timer);
}

/**
 * vd_deadline_monitor_get_fallback_message:
 * @self: a monitor
 *
 * Returns: (nullable): what the last fallbacks did, %NULL before any
 */
const char *
vd_deadline_monitor_get_fallback_message (VdDeadlineMonitor *self)
{
  g_return_val_if_fail (VD_IS_DEADLINE_MONITOR (self), NULL);

  return self->fallback_message;
}

/**
 * vd_deadline_monitor_refresh_forecast:
 * @self: a monitor
 * @queue: (nullable): the queue to forecast, %NULL for all queues
 *
 * Computes the forecast of @queue on a worker thread; a computation still
 * running is dropped. The forecast of the last queue asked for is
 * computed again every 5 minutes.
 */
void
vd_deadline_monitor_refresh_forecast (VdDeadlineMonitor *self,
                                      const char        *queue)
{
  g_autofree char *next = g_strdup (queue);

  g_return_if_fail (VD_IS_DEADLINE_MONITOR (self));

  if (g_cancellable_is_cancelled (self->cancellable))
    return;

  g_cancellable_cancel (self->forecast_cancellable);
  g_clear_object (&self->forecast_cancellable);

  g_free (self->forecast_next_queue);
  self->forecast_next_queue = g_steal_pointer (&next);

  if (self->forecast_source == 0)
    self->forecast_source = g_timeout_add_seconds (FORECAST_REFRESH_SECONDS,
                                                   forecast_timeout_cb, self);

  self->forecast_cancellable = g_cancellable_new ();
  vd_forecast_compute_async (self->store, self->forecast_next_queue, NULL,
                             self->forecast_cancellable, forecast_cb, g_object_ref (self));
}

/**
 * vd_deadline_monitor_get_forecast_queue:
 * @self: a monitor
 *
 * Returns: (nullable): the queue of the last forecast, %NULL for all
 */
const char *
vd_deadline_monitor_get_forecast_queue (VdDeadlineMonitor *self)
{
  g_return_val_if_fail (VD_IS_DEADLINE_MONITOR (self), NULL);

  return self->forecast_queue;
}

/**
 * vd_deadline_monitor_get_forecast_text:
 * @self: a monitor
 *
 * Returns: (nullable): the last forecast, %NULL before the first
 */
const char *
vd_deadline_monitor_get_forecast_text (VdDeadlineMonitor *self)
{
  g_return_val_if_fail (VD_IS_DEADLINE_MONITOR (self), NULL);

  return self->forecast_text;
}

/**
 * vd_deadline_monitor_get_forecast_details:
 * @self: a monitor
 *
 * Returns: (nullable): the rates behind the last forecast
 */
const char *
vd_deadline_monitor_get_forecast_details (VdDeadlineMonitor *self)
{
  g_return_val_if_fail (VD_IS_DEADLINE_MONITOR (self), NULL);

  return self->forecast_details;
}

guint
vd_deadline_monitor_get_n_forecasts (VdDeadlineMonitor *self)
{
  g_return_val_if_fail (VD_IS_DEADLINE_MONITOR (self), 0);

  return self->n_forecasts;
}

gboolean
vd_deadline_monitor_get_watching (VdDeadlineMonitor *self)
{
  g_return_val_if_fail (VD_IS_DEADLINE_MONITOR (self), FALSE);

  return self->watching;
}

/**
 * vd_deadline_monitor_set_watching:
 * @self: a monitor
 * @watching: whether the reviewer is away from the windows
 *
 * Starting to watch looks at once, then every minute; stopping drops the
 * check running and withdraws the notification.
 */
void
vd_deadline_monitor_set_watching (VdDeadlineMonitor *self,
                                  gboolean           watching)
{
  g_return_if_fail (VD_IS_DEADLINE_MONITOR (self));

  watching = !!watching;
  if (self->watching == (guint) watching)
    return;

  self->watching = watching;

  g_object_freeze_notify (G_OBJECT (self));
  if (watching)
    {
      self->check_source = g_timeout_add_seconds (DEADLINE_CHECK_SECONDS,
                                                  deadline_timeout_cb, self);
      vd_deadline_monitor_check (self);
    }
  else
    {
      g_clear_handle_id (&self->check_source, g_source_remove);
      g_cancellable_cancel (self->check_cancellable);
      g_clear_object (&self->check_cancellable);
      if (self->notification_shown)
        {
          self->notification_shown = FALSE;
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NOTIFICATION_SHOWN]);
        }
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WATCHING]);
  g_object_thaw_notify (G_OBJECT (self));
}

/**
 * vd_deadline_monitor_check:
 * @self: a monitor
 *
 * Looks for undecided items whose deadline is within 10 minutes, or that
 * have less than 10% of their SLA left, on a worker thread; while watching,
 * offers a notification when new ones come close. Does nothing while a
 * look runs.
 */
void
vd_deadline_monitor_check (VdDeadlineMonitor *self)
{
  g_autoptr(GTask) task = NULL;
  DeadlineCheck *check;

  g_return_if_fail (VD_IS_DEADLINE_MONITOR (self));

  if (self->check_cancellable != NULL || g_cancellable_is_cancelled (self->cancellable))
    return;

  if (self->held)
    {
      self->check_pending = TRUE;
      return;
    }

  self->check_cancellable = g_cancellable_new ();

  check = g_new0 (DeadlineCheck, 1);
  check->store = g_object_ref (self->store);
  check->policy = g_object_ref (self->policy);
  check->now = g_date_time_new_now_utc ();

  task = g_task_new (self, self->check_cancellable, deadline_check_cb, NULL);
  g_task_set_source_tag (task, vd_deadline_monitor_check);
  g_task_set_task_data (task, check, (GDestroyNotify) deadline_check_free);
  g_task_run_in_thread (task, deadline_check_thread);
}

guint
vd_deadline_monitor_get_n_deadline_checks (VdDeadlineMonitor *self)
{
  g_return_val_if_fail (VD_IS_DEADLINE_MONITOR (self), 0);

  return self->n_deadline_checks;
}

guint
vd_deadline_monitor_get_n_notifications (VdDeadlineMonitor *self)
{
  g_return_val_if_fail (VD_IS_DEADLINE_MONITOR (self), 0);

  return self->n_notifications;
}

gboolean
vd_deadline_monitor_get_notification_shown (VdDeadlineMonitor *self)
{
  g_return_val_if_fail (VD_IS_DEADLINE_MONITOR (self), FALSE);

  return self->notification_shown;
}

/**
 * vd_deadline_monitor_get_notification_title:
 * @self: a monitor
 *
 * Returns: (nullable): the title of the last notification
 */
const char *
vd_deadline_monitor_get_notification_title (VdDeadlineMonitor *self)
{
  g_return_val_if_fail (VD_IS_DEADLINE_MONITOR (self), NULL);

  return self->notification_title;
}

/**
 * vd_deadline_monitor_get_notification_body:
 * @self: a monitor
 *
 * Returns: (nullable): the text of the last notification
 */
const char *
vd_deadline_monitor_get_notification_body (VdDeadlineMonitor *self)
{
  g_return_val_if_fail (VD_IS_DEADLINE_MONITOR (self), NULL);

  return self->notification_body;
}

gint64
vd_deadline_monitor_get_notification_item (VdDeadlineMonitor *self)
{
  g_return_val_if_fail (VD_IS_DEADLINE_MONITOR (self), 0);

  return self->notification_item;
}
