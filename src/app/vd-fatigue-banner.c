/* vd-fatigue-banner.c
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

#define G_LOG_DOMAIN "vd-fatigue-banner"

#include "config.h"

#include <glib/gi18n.h>

#include "vd-fatigue-banner.h"

#define SIGNAL_FAST_STREAK "fast_streak"
#define SIGNAL_NO_PAUSE    "no_pause"

/* One decision of this session, for vd_fatigue_compute(). */
typedef struct
{
  gint64         timestamp;
  gint64         duration_ms;
  VdDecisionKind kind;
} SessionDecision;

struct _VdFatigueBanner
{
  GtkWidget    parent_instance;

  /* Template widgets */
  GtkRevealer *revealer;
  GtkLabel    *label;

  VdStore     *store;
  int          fast_streak;     /* 0: off */
  int          fast_floor;      /* seconds */
  int          break_minutes;   /* 0: off */

  /* This session's decisions, of one reviewer, oldest first. */
  GArray      *decisions;
  char        *reviewer_id;
  char        *queue;           /* of the latest decision */

  /* What was prompted: the index of the first decision of the streak, and
   * the start of the session, so neither is prompted twice. */
  gint64       prompted_streak_start;
  gint64       prompted_session_start;

  /* The prompt on screen. */
  const char  *signal;          /* NULL when none */
  guint64      streak;
  guint64      minutes;

  guint        n_pending;       /* audit entries on their way */
};

G_DEFINE_FINAL_TYPE (VdFatigueBanner, vd_fatigue_banner, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_STORE,
  PROP_FAST_STREAK,
  PROP_FAST_FLOOR,
  PROP_BREAK_MINUTES,
  PROP_REVEALED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
append_audit_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(VdFatigueBanner) self = user_data;
  g_autoptr(GError) error = NULL;

  self->n_pending--;
  if (!vd_store_append_audit_finish (VD_STORE (object), result, &error))
    g_warning ("Cannot record the fatigue prompt in the audit trail: %s", error->message);
}

/* Records the prompt on screen as shown or dismissed. */
static void
vd_fatigue_banner_record (VdFatigueBanner *self,
                          const char      *state)
{
  g_autoptr(JsonObject) payload = NULL;
  g_autoptr(VdAuditEvent) event = NULL;

  g_assert (self->signal != NULL);

  if (self->store == NULL || self->reviewer_id == NULL)
    return;

  payload = json_object_new ();
  json_object_set_string_member (payload, "signal", self->signal);
  json_object_set_string_member (payload, "state", state);
  json_object_set_int_member (payload, "streak", (gint64) self->streak);
  if (g_strcmp0 (self->signal, SIGNAL_NO_PAUSE) == 0)
    json_object_set_int_member (payload, "minutes", (gint64) self->minutes);

  event = vd_audit_event_new (self->reviewer_id, VD_AUDIT_FATIGUE_PROMPT, self->queue, NULL,
                              payload);

  self->n_pending++;
  vd_store_append_audit_async (self->store, event, NULL, append_audit_cb, g_object_ref (self));
}

static void
vd_fatigue_banner_show (VdFatigueBanner *self,
                        const char      *signal,
                        guint64          streak,
                        guint64          minutes,
                        double           fast_limit_ms)
{
  g_autofree char *text = NULL;

  self->signal = signal;
  self->streak = streak;
  self->minutes = minutes;

  if (g_strcmp0 (signal, SIGNAL_FAST_STREAK) == 0)
    {
      guint seconds = (guint) MAX (1, (fast_limit_ms + 500) / 1000);

      /* Translators: the first %u is a number of items, the second of
       * seconds, e.g. "You approved 10 items in a row in under 3 s each. …" */
      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "You approved %u item in a row in under %u s each. "
                                           "Take a closer look, or a short break.",
                                           "You approved %u items in a row in under %u s each. "
                                           "Take a closer look, or a short break.",
                                           (gulong) streak),
                              (guint) streak, seconds);
    }
  else
    {
      /* Translators: %u is a number of minutes */
      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "You have been reviewing for %u minute without a "
                                           "pause. A short break keeps your judgement sharp.",
                                           "You have been reviewing for %u minutes without a "
                                           "pause. A short break keeps your judgement sharp.",
                                           (gulong) minutes),
                              (guint) minutes);
    }

  gtk_label_set_text (self->label, text);
  gtk_revealer_set_reveal_child (self->revealer, TRUE);
  vd_fatigue_banner_record (self, "shown");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REVEALED]);
}

static void
vd_fatigue_banner_check (VdFatigueBanner *self)
{
  g_autoptr(VdFatigueReport) report = NULL;
  g_autofree VdFatigueDecision *decisions = NULL;
  VdFatigueOptions options;
  const VdFatigueSession *session;
  gint64 now = G_MININT64;
  gint64 streak_start;

  if (self->decisions->len == 0)
    return;

  vd_fatigue_options_init (&options);
  options.fast_floor_ms = (gint64) self->fast_floor * 1000;
  options.fast_streak_signal = (guint) self->fast_streak;
  options.long_session_usec = (gint64) self->break_minutes * 60 * G_USEC_PER_SEC;

  decisions = g_new0 (VdFatigueDecision, self->decisions->len);
  for (guint i = 0; i < self->decisions->len; i++)
    {
      const SessionDecision *decision = &g_array_index (self->decisions, SessionDecision, i);

      decisions[i].timestamp = decision->timestamp;
      decisions[i].duration_ms = decision->duration_ms;
      decisions[i].kind = decision->kind;
      decisions[i].modified = decision->kind == VD_DECISION_KIND_MODIFY;
      /* The figures as of the latest decision: it was just made. */
      now = MAX (now, decision->timestamp);
    }

  report = vd_fatigue_compute (decisions, self->decisions->len, now, -1.0, &options);
  if (report->on_break || report->sessions->len == 0)
    return;

  session = &g_array_index (report->sessions, VdFatigueSession, report->sessions->len - 1);
  streak_start = (gint64) self->decisions->len - (gint64) report->current_fast_streak;

  if (report->fast_streak_signal && streak_start != self->prompted_streak_start)
    {
      self->prompted_streak_start = streak_start;
      vd_fatigue_banner_show (self, SIGNAL_FAST_STREAK, report->current_fast_streak, 0,
                              report->fast_limit_ms);
    }
  else if (report->no_pause_signal && session->start != self->prompted_session_start)
    {
      self->prompted_session_start = session->start;
      vd_fatigue_banner_show (self, SIGNAL_NO_PAUSE, report->current_fast_streak,
                              (guint64) (report->time_since_break_usec / (60 * G_USEC_PER_SEC)),
                              report->fast_limit_ms);
    }
}

static void
dismiss_clicked_cb (VdFatigueBanner *self,
                    GtkButton       *button)
{
  vd_fatigue_banner_dismiss (self);
}

static void
vd_fatigue_banner_dispose (GObject *object)
{
  VdFatigueBanner *self = (VdFatigueBanner *)object;
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), VD_TYPE_FATIGUE_BANNER);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (vd_fatigue_banner_parent_class)->dispose (object);
}

static void
vd_fatigue_banner_finalize (GObject *object)
{
  VdFatigueBanner *self = (VdFatigueBanner *)object;

  g_clear_pointer (&self->decisions, g_array_unref);
  g_clear_pointer (&self->reviewer_id, g_free);
  g_clear_pointer (&self->queue, g_free);

  G_OBJECT_CLASS (vd_fatigue_banner_parent_class)->finalize (object);
}

static void
vd_fatigue_banner_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  VdFatigueBanner *self = VD_FATIGUE_BANNER (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_FAST_STREAK:
      g_value_set_int (value, self->fast_streak);
      break;

    case PROP_FAST_FLOOR:
      g_value_set_int (value, self->fast_floor);
      break;

    case PROP_BREAK_MINUTES:
      g_value_set_int (value, self->break_minutes);
      break;

    case PROP_REVEALED:
      g_value_set_boolean (value, vd_fatigue_banner_get_revealed (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
set_int (VdFatigueBanner *self,
         int             *field,
         int              value,
         GParamSpec      *pspec)
{
  if (*field == value)
    return;

  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), pspec);
}

static void
vd_fatigue_banner_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  VdFatigueBanner *self = VD_FATIGUE_BANNER (object);

  switch (prop_id)
    {
    case PROP_STORE:
      vd_fatigue_banner_set_store (self, g_value_get_object (value));
      break;

    case PROP_FAST_STREAK:
      set_int (self, &self->fast_streak, g_value_get_int (value), pspec);
      break;

    case PROP_FAST_FLOOR:
      set_int (self, &self->fast_floor, g_value_get_int (value), pspec);
      break;

    case PROP_BREAK_MINUTES:
      set_int (self, &self->break_minutes, g_value_get_int (value), pspec);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vd_fatigue_banner_class_init (VdFatigueBannerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vd_fatigue_banner_dispose;
  object_class->finalize = vd_fatigue_banner_finalize;
  object_class->get_property = vd_fatigue_banner_get_property;
  object_class->set_property = vd_fatigue_banner_set_property;

  /**
   * VdFatigueBanner:store: (nullable)
   *
   * Where the prompts are recorded.
   */
  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         VD_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * VdFatigueBanner:fast-streak:
   *
   * How many fast approvals in a row raise the prompt; 0 never.
   */
  properties[PROP_FAST_STREAK] =
    g_param_spec_int ("fast-streak", NULL, NULL,
                      0, G_MAXINT, 10,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * VdFatigueBanner:fast-floor:
   *
   * Seconds: an approval quicker than this is fast.
   */
  properties[PROP_FAST_FLOOR] =
    g_param_spec_int ("fast-floor", NULL, NULL,
                      1, G_MAXINT, 3,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * VdFatigueBanner:break-minutes:
   *
   * Minutes of reviewing without a pause that raise the prompt; 0 never.
   */
  properties[PROP_BREAK_MINUTES] =
    g_param_spec_int ("break-minutes", NULL, NULL,
                      0, G_MAXINT, 90,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * VdFatigueBanner:revealed:
   *
   * Whether a prompt is on screen.
   */
  properties[PROP_REVEALED] =
    g_param_spec_boolean ("revealed", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/verdict/Verdict/vd-fatigue-banner.ui");
  gtk_widget_class_bind_template_child (widget_class, VdFatigueBanner, revealer);
  gtk_widget_class_bind_template_child (widget_class, VdFatigueBanner, label);
  gtk_widget_class_bind_template_callback (widget_class, dismiss_clicked_cb);

  gtk_widget_class_set_css_name (widget_class, "vdfatiguebanner");
}

static void
vd_fatigue_banner_init (VdFatigueBanner *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->fast_streak = 10;
  self->fast_floor = 3;
  self->break_minutes = 90;
  self->decisions = g_array_new (FALSE, FALSE, sizeof (SessionDecision));
  self->prompted_streak_start = -1;
  self->prompted_session_start = -1;
}

/**
 * vd_fatigue_banner_new:
 *
 * Returns: (transfer floating): a new #VdFatigueBanner, hidden
 */
GtkWidget *
vd_fatigue_banner_new (void)
{
  return g_object_new (VD_TYPE_FATIGUE_BANNER, NULL);
}

/**
 * vd_fatigue_banner_set_store:
 * @self: a #VdFatigueBanner
 * @store: (nullable): where the prompts are recorded
 *
 * A new store starts a new session: the decisions seen so far are
 * forgotten and the prompt is hidden.
 */
void
vd_fatigue_banner_set_store (VdFatigueBanner *self,
                             VdStore         *store)
{
  g_return_if_fail (VD_IS_FATIGUE_BANNER (self));
  g_return_if_fail (store == NULL || VD_IS_STORE (store));

  if (!g_set_object (&self->store, store))
    return;

  vd_fatigue_banner_reset (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}

/**
 * vd_fatigue_banner_add_decision:
 * @self: a #VdFatigueBanner
 * @decision: a decision a reviewer just made (and the store recorded)
 *
 * Adds @decision to the session and shows a prompt when a signal is
 * raised that was not prompted yet. A decision of another reviewer starts
 * a new session.
 */
void
vd_fatigue_banner_add_decision (VdFatigueBanner *self,
                                VdDecision      *decision)
{
  SessionDecision entry = { 0, };
  GDateTime *timestamp;

  g_return_if_fail (VD_IS_FATIGUE_BANNER (self));
  g_return_if_fail (VD_IS_DECISION (decision));

  if (vd_decision_get_automatic (decision))
    return;

  if (g_strcmp0 (self->reviewer_id, vd_decision_get_reviewer_id (decision)) != 0)
    {
      vd_fatigue_banner_reset (self);
      self->reviewer_id = g_strdup (vd_decision_get_reviewer_id (decision));
    }

  g_free (self->queue);
  self->queue = g_strdup (vd_decision_get_queue (decision));

  timestamp = vd_decision_get_timestamp (decision);
  entry.timestamp = timestamp != NULL
                    ? g_date_time_to_unix (timestamp) * G_USEC_PER_SEC +
                      g_date_time_get_microsecond (timestamp)
                    : g_get_real_time ();
  entry.duration_ms = vd_decision_get_duration_ms (decision);
  entry.kind = vd_decision_get_kind (decision);
  g_array_append_val (self->decisions, entry);

  vd_fatigue_banner_check (self);
}

/**
 * vd_fatigue_banner_reset:
 * @self: a #VdFatigueBanner
 *
 * Forgets the session's decisions and hides the prompt without recording a
 * dismissal.
 */
void
vd_fatigue_banner_reset (VdFatigueBanner *self)
{
  g_return_if_fail (VD_IS_FATIGUE_BANNER (self));

  g_array_set_size (self->decisions, 0);
  g_clear_pointer (&self->reviewer_id, g_free);
  g_clear_pointer (&self->queue, g_free);
  self->prompted_streak_start = -1;
  self->prompted_session_start = -1;
  self->signal = NULL;

  if (gtk_revealer_get_reveal_child (self->revealer))
    {
      gtk_revealer_set_reveal_child (self->revealer, FALSE);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REVEALED]);
    }
}

/**
 * vd_fatigue_banner_dismiss:
 * @self: a #VdFatigueBanner
 *
 * Hides the prompt on screen, as its Dismiss button does, and records the
 * dismissal.
 */
void
vd_fatigue_banner_dismiss (VdFatigueBanner *self)
{
  g_return_if_fail (VD_IS_FATIGUE_BANNER (self));

  if (self->signal == NULL)
    return;

  vd_fatigue_banner_record (self, "dismissed");
  self->signal = NULL;
  gtk_revealer_set_reveal_child (self->revealer, FALSE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REVEALED]);
}

/**
 * vd_fatigue_banner_get_revealed:
 * @self: a #VdFatigueBanner
 *
 * Returns: whether a prompt is on screen
 */
gboolean
vd_fatigue_banner_get_revealed (VdFatigueBanner *self)
{
  g_return_val_if_fail (VD_IS_FATIGUE_BANNER (self), FALSE);

  return self->signal != NULL;
}

/**
 * vd_fatigue_banner_get_text:
 * @self: a #VdFatigueBanner
 *
 * Returns: the text of the prompt on screen, "" when none was shown yet
 */
const char *
vd_fatigue_banner_get_text (VdFatigueBanner *self)
{
  g_return_val_if_fail (VD_IS_FATIGUE_BANNER (self), NULL);

  return gtk_label_get_text (self->label);
}

/**
 * vd_fatigue_banner_get_signal:
 * @self: a #VdFatigueBanner
 *
 * Returns: (nullable): the signal prompted on screen, `fast_streak` or
 *   `no_pause`, %NULL when no prompt is shown
 */
const char *
vd_fatigue_banner_get_signal (VdFatigueBanner *self)
{
  g_return_val_if_fail (VD_IS_FATIGUE_BANNER (self), NULL);

  return self->signal;
}

/**
 * vd_fatigue_banner_get_n_pending:
 * @self: a #VdFatigueBanner
 *
 * Returns: how many audit entries are still being written
 */
guint
vd_fatigue_banner_get_n_pending (VdFatigueBanner *self)
{
  g_return_val_if_fail (VD_IS_FATIGUE_BANNER (self), 0);

  return self->n_pending;
}
