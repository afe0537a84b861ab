/* vd-sla-timer.c: applying deadline fallbacks while the application runs
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

#define G_LOG_DOMAIN "vd-sla-timer"

#include "config.h"

#include "vd-sla.h"
#include "vd-sla-timer.h"
#include "vd-timestamp.h"

#define DEFAULT_MAX_SLEEP_MS    (5 * 60 * 1000)
#define DEFAULT_MIN_INTERVAL_MS 1000

struct _VdSlaTimer
{
  GObject        parent_instance;

  VdStore       *store;
  VdPolicy      *policy;
  GDateTime     *next_deadline;
  guint          max_sleep_ms;
  guint          min_interval_ms;

  GMainContext  *context;
  GCancellable  *cancellable;
  GSource       *timeout;
  gint64         last_check;      /* monotonic, 0 before the first */
  guint64        n_checks;
  guint          running : 1;
  guint          checking : 1;
  guint          check_again : 1; /* asked for while a check ran */
};

G_DEFINE_FINAL_TYPE (VdSlaTimer, vd_sla_timer, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STORE,
  PROP_POLICY,
  PROP_NEXT_DEADLINE,
  PROP_MAX_SLEEP_MS,
  PROP_MIN_INTERVAL_MS,
  PROP_RUNNING,
  N_PROPS
};

enum {
  APPLIED,
  FAILED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void run_check (VdSlaTimer *self);

static void
clear_timeout (VdSlaTimer *self)
{
  if (self->timeout != NULL)
    {
      g_source_destroy (self->timeout);
      g_clear_pointer (&self->timeout, g_source_unref);
    }
}

static gboolean
on_timeout (gpointer user_data)
{
  VdSlaTimer *self = user_data;

  g_clear_pointer (&self->timeout, g_source_unref);
  run_check (self);

  return G_SOURCE_REMOVE;
}

/* Sleeps @delay_ms, but never checks again sooner than min-interval-ms
 * after the last check. */
static void
schedule (VdSlaTimer *self,
          gint64      delay_ms)
{
  gint64 since_last_ms = (g_get_monotonic_time () - self->last_check) / 1000;

  clear_timeout (self);

  if (self->last_check != 0)
    delay_ms = MAX (delay_ms, (gint64) self->min_interval_ms - since_last_ms);
  delay_ms = CLAMP (delay_ms, 0, (gint64) self->max_sleep_ms);

  self->timeout = g_timeout_source_new ((guint) delay_ms);
  g_source_set_static_name (self->timeout, "[verdict] deadline timer");
  g_source_set_callback (self->timeout, on_timeout, self, NULL);
  g_source_attach (self->timeout, self->context);
}

static void
set_next_deadline (VdSlaTimer *self,
                   GDateTime  *due_at)
{
  if (self->next_deadline == NULL && due_at == NULL)
    return;
  if (self->next_deadline != NULL && due_at != NULL &&
      g_date_time_equal (self->next_deadline, due_at))
    return;

  g_clear_pointer (&self->next_deadline, g_date_time_unref);
  self->next_deadline = due_at != NULL ? g_date_time_ref (due_at) : NULL;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NEXT_DEADLINE]);
}

/* A check ended: sleep until the next deadline, or check again at once if
 * that was asked for meanwhile. */
static void
check_done (VdSlaTimer *self,
            GDateTime  *due_at,
            gboolean    failed)
{
  self->checking = FALSE;

  if (!self->running)
    return;

  if (self->check_again)
    {
      self->check_again = FALSE;
      schedule (self, 0);
      return;
    }

  if (failed || due_at == NULL)
    {
      schedule (self, self->max_sleep_ms);
    }
  else
    {
      g_autoptr(GDateTime) now = vd_timestamp_now ();
      GTimeSpan until = g_date_time_difference (due_at, now);

      /* Round up: waking a millisecond early finds nothing due. */
      schedule (self, until <= 0 ? 0 : (until + 999) / 1000);
    }
}

static void
on_next_deadline (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(VdSlaTimer) self = user_data;
  g_autoptr(GDateTime) due_at = NULL;
  g_autoptr(GError) error = NULL;

  if (!vd_sla_next_deadline_finish (VD_STORE (object), result, &due_at, &error))
    {
      if (self->running && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_signal_emit (self, signals[FAILED], 0, error);
      check_done (self, NULL, TRUE);
      return;
    }

  if (self->running)
    set_next_deadline (self, due_at);

  check_done (self, due_at, FALSE);
}

static void
on_applied (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(VdSlaTimer) self = user_data;
  g_autoptr(GError) error = NULL;
  VdSlaResult sla_result = { 0, };
  gboolean ok;

  ok = vd_sla_apply_finish (VD_STORE (object), result, &sla_result, &error);

  if (!self->running)
    {
      check_done (self, NULL, TRUE);
      return;
    }

  /* Fallbacks of committed batches stand even when a later one failed. */
  if (sla_result.applied > 0)
    g_signal_emit (self, signals[APPLIED], 0, &sla_result);

  if (!ok)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        self->check_again = TRUE;
      else
        g_signal_emit (self, signals[FAILED], 0, error);
      check_done (self, NULL, TRUE);
      return;
    }

  vd_sla_next_deadline_async (self->store, self->cancellable, on_next_deadline,
                              g_object_ref (self));
}

static void
run_check (VdSlaTimer *self)
{
  if (!self->running)
    return;

  if (self->checking)
    {
      self->check_again = TRUE;
      return;
    }

  clear_timeout (self);
  self->checking = TRUE;
  self->n_checks++;
  self->last_check = g_get_monotonic_time ();

  vd_sla_apply_async (self->store, self->policy, NULL, self->cancellable, on_applied,
                      g_object_ref (self));
}

static void
vd_sla_timer_dispose (GObject *object)
{
  VdSlaTimer *self = (VdSlaTimer *)object;

  vd_sla_timer_stop (self);

  G_OBJECT_CLASS (vd_sla_timer_parent_class)->dispose (object);
}

static void
vd_sla_timer_finalize (GObject *object)
{
  VdSlaTimer *self = (VdSlaTimer *)object;

  g_clear_object (&self->store);
  g_clear_object (&self->policy);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->next_deadline, g_date_time_unref);
  g_clear_pointer (&self->context, g_main_context_unref);

  G_OBJECT_CLASS (vd_sla_timer_parent_class)->finalize (object);
}

static void
vd_sla_timer_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  VdSlaTimer *self = VD_SLA_TIMER (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_POLICY:
      g_value_set_object (value, self->policy);
      break;

    case PROP_NEXT_DEADLINE:
      g_value_set_boxed (value, self->next_deadline);
      break;

    case PROP_MAX_SLEEP_MS:
      g_value_set_uint (value, self->max_sleep_ms);
      break;

    case PROP_MIN_INTERVAL_MS:
      g_value_set_uint (value, self->min_interval_ms);
      break;

    case PROP_RUNNING:
      g_value_set_boolean (value, self->running);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vd_sla_timer_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  VdSlaTimer *self = VD_SLA_TIMER (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;

    case PROP_POLICY:
      vd_sla_timer_set_policy (self, g_value_get_object (value));
      break;

    case PROP_MAX_SLEEP_MS:
      vd_sla_timer_set_max_sleep_ms (self, g_value_get_uint (value));
      break;

    case PROP_MIN_INTERVAL_MS:
      vd_sla_timer_set_min_interval_ms (self, g_value_get_uint (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vd_sla_timer_class_init (VdSlaTimerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = vd_sla_timer_dispose;
  object_class->finalize = vd_sla_timer_finalize;
  object_class->get_property = vd_sla_timer_get_property;
  object_class->set_property = vd_sla_timer_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         VD_TYPE_STORE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_POLICY] =
    g_param_spec_object ("policy", NULL, NULL,
                         VD_TYPE_POLICY,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_NEXT_DEADLINE] =
    g_param_spec_boxed ("next-deadline", NULL, NULL,
                        G_TYPE_DATE_TIME,
                        (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_MAX_SLEEP_MS] =
    g_param_spec_uint ("max-sleep-ms", NULL, NULL,
                       1, G_MAXINT, DEFAULT_MAX_SLEEP_MS,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_MIN_INTERVAL_MS] =
    g_param_spec_uint ("min-interval-ms", NULL, NULL,
                       0, G_MAXINT, DEFAULT_MIN_INTERVAL_MS,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * VdSlaTimer::applied:
   * @self: the timer
   * @result: (type gpointer): the #VdSlaResult of the check
   *
   * A check applied at least one fallback: the items changed.
   */
  signals[APPLIED] =
    g_signal_new ("applied",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_POINTER);

  /**
   * VdSlaTimer::failed:
   * @self: the timer
   * @error: why
   *
   * A check failed; the timer tries again after max-sleep-ms.
   */
  signals[FAILED] =
    g_signal_new ("failed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
vd_sla_timer_init (VdSlaTimer *self)
{
  self->max_sleep_ms = DEFAULT_MAX_SLEEP_MS;
  self->min_interval_ms = DEFAULT_MIN_INTERVAL_MS;
  self->cancellable = g_cancellable_new ();
}

/**
 * vd_sla_timer_new:
 * @store: the store
 * @policy: the policy whose fallbacks apply
 *
 * Returns: (transfer full): a stopped timer
 */
VdSlaTimer *
vd_sla_timer_new (VdStore  *store,
                  VdPolicy *policy)
{
  g_return_val_if_fail (VD_IS_STORE (store), NULL);
  g_return_val_if_fail (VD_IS_POLICY (policy), NULL);

  return g_object_new (VD_TYPE_SLA_TIMER, "store", store, "policy", policy, NULL);
}

/**
 * vd_sla_timer_get_store:
 * @self: a timer
 *
 * Returns: (transfer none): the store
 */
VdStore *
vd_sla_timer_get_store (VdSlaTimer *self)
{
  g_return_val_if_fail (VD_IS_SLA_TIMER (self), NULL);

  return self->store;
}

/**
 * vd_sla_timer_get_policy:
 * @self: a timer
 *
 * Returns: (transfer none): the policy
 */
VdPolicy *
vd_sla_timer_get_policy (VdSlaTimer *self)
{
  g_return_val_if_fail (VD_IS_SLA_TIMER (self), NULL);

  return self->policy;
}

/**
 * vd_sla_timer_set_policy:
 * @self: a timer
 * @policy: the policy whose fallbacks apply from the next check on
 *
 * A running timer checks again (other fallbacks may apply).
 */
void
vd_sla_timer_set_policy (VdSlaTimer *self,
                         VdPolicy   *policy)
{
  g_return_if_fail (VD_IS_SLA_TIMER (self));
  g_return_if_fail (VD_IS_POLICY (policy));

  if (!g_set_object (&self->policy, policy))
    return;

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POLICY]);
  vd_sla_timer_reschedule (self);
}

/**
 * vd_sla_timer_get_next_deadline:
 * @self: a timer
 *
 * Returns: (transfer none) (nullable): the soonest deadline the last check
 *   found, %NULL when there is none (or before the first check)
 */
GDateTime *
vd_sla_timer_get_next_deadline (VdSlaTimer *self)
{
  g_return_val_if_fail (VD_IS_SLA_TIMER (self), NULL);

  return self->next_deadline;
}

guint
vd_sla_timer_get_max_sleep_ms (VdSlaTimer *self)
{
  g_return_val_if_fail (VD_IS_SLA_TIMER (self), 0);

  return self->max_sleep_ms;
}

/**
 * vd_sla_timer_set_max_sleep_ms:
 * @self: a timer
 * @max_sleep_ms: the longest sleep between two checks, at least 1
 */
void
vd_sla_timer_set_max_sleep_ms (VdSlaTimer *self,
                               guint       max_sleep_ms)
{
  g_return_if_fail (VD_IS_SLA_TIMER (self));
  g_return_if_fail (max_sleep_ms >= 1 && max_sleep_ms <= G_MAXINT);

  if (self->max_sleep_ms == max_sleep_ms)
    return;

  self->max_sleep_ms = max_sleep_ms;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_SLEEP_MS]);
}

guint
vd_sla_timer_get_min_interval_ms (VdSlaTimer *self)
{
  g_return_val_if_fail (VD_IS_SLA_TIMER (self), 0);

  return self->min_interval_ms;
}

/**
 * vd_sla_timer_set_min_interval_ms:
 * @self: a timer
 * @min_interval_ms: the shortest time between two checks
 */
void
vd_sla_timer_set_min_interval_ms (VdSlaTimer *self,
                                  guint       min_interval_ms)
{
  g_return_if_fail (VD_IS_SLA_TIMER (self));
  g_return_if_fail (min_interval_ms <= G_MAXINT);

  if (self->min_interval_ms == min_interval_ms)
    return;

  self->min_interval_ms = min_interval_ms;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MIN_INTERVAL_MS]);
}

gboolean
vd_sla_timer_get_running (VdSlaTimer *self)
{
  g_return_val_if_fail (VD_IS_SLA_TIMER (self), FALSE);

  return self->running;
}

/**
 * vd_sla_timer_get_n_checks:
 * @self: a timer
 *
 * Returns: how many checks the timer started
 */
guint64
vd_sla_timer_get_n_checks (VdSlaTimer *self)
{
  g_return_val_if_fail (VD_IS_SLA_TIMER (self), 0);

  return self->n_checks;
}

/**
 * vd_sla_timer_start:
 * @self: a timer
 *
 * Checks at once, then keeps checking as described in vd-sla-timer.h, on
 * the calling thread's thread-default main context.
 */
void
vd_sla_timer_start (VdSlaTimer *self)
{
  g_return_if_fail (VD_IS_SLA_TIMER (self));

  if (self->running)
    return;

  g_clear_pointer (&self->context, g_main_context_unref);
  self->context = g_main_context_ref_thread_default ();
  self->running = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);

  run_check (self);
}

/**
 * vd_sla_timer_stop:
 * @self: a timer
 *
 * Stops checking. A check already running on a worker thread finishes (its
 * transaction is not cut short) but reports nothing.
 */
void
vd_sla_timer_stop (VdSlaTimer *self)
{
  g_return_if_fail (VD_IS_SLA_TIMER (self));

  if (!self->running)
    return;

  self->running = FALSE;
  self->check_again = FALSE;
  clear_timeout (self);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

/**
 * vd_sla_timer_reschedule:
 * @self: a timer
 *
 * Checks again soon (after min-interval-ms since the last check): call it
 * when items were imported, revised or had a decision retracted, since the
 * soonest deadline may have changed. Does nothing while stopped.
 */
void
vd_sla_timer_reschedule (VdSlaTimer *self)
{
  g_return_if_fail (VD_IS_SLA_TIMER (self));

  if (!self->running)
    return;

  if (self->checking)
    {
      self->check_again = TRUE;
      return;
    }

  schedule (self, 0);
}
