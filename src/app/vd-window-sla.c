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

/* What the session's deadline monitor says, shown: the fallbacks applied
 * (a toast, the list read again) and the forecast line of the queue pane.
 * The monitor computes both; the notifications of deadlines about to pass
 * are the application's. Also the guarded bulk approve. */

#define G_LOG_DOMAIN "vd-window"

#include "config.h"

#include <glib/gi18n.h>

#include "vd-bulk-dialog.h"
#include "vd-window-private.h"

static VdDeadlineMonitor *
vd_window_get_monitor (VdWindow *self)
{
  return vd_session_get_deadline_monitor (self->session);
}

/* Escalated items leave the pending list; the item shown says what
 * happened to it. */
static void
fallbacks_applied_cb (VdWindow          *self,
                      const VdSlaResult *result,
                      VdDeadlineMonitor *monitor)
{
  if (_vd_window_is_disposed (self) || monitor != vd_window_get_monitor (self))
    return;

  vd_window_show_message (self, vd_deadline_monitor_get_fallback_message (monitor));
  vd_window_reload (self);
}

/* The forecast line of the queue shown, once the monitor has it. */
static void
forecast_changed_cb (VdWindow          *self,
                     VdDeadlineMonitor *monitor)
{
  const char *details;

  if (_vd_window_is_disposed (self) || monitor != vd_window_get_monitor (self) ||
      g_strcmp0 (vd_deadline_monitor_get_forecast_queue (monitor),
                 _vd_window_get_queue (self)) != 0)
    return;

  details = vd_deadline_monitor_get_forecast_details (monitor);
  gtk_label_set_text (self->forecast_label, vd_deadline_monitor_get_forecast_text (monitor));
  /* Setting a tooltip asks the display where the pointer is: only on change. */
  if (g_strcmp0 (gtk_widget_get_tooltip_text (GTK_WIDGET (self->forecast_label)), details) != 0)
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->forecast_label), details);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->forecast_label),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, details,
                                  -1);
  gtk_widget_set_visible (GTK_WIDGET (self->forecast_label), TRUE);
}

/* Asks the monitor for the forecast of the queue shown (all queues when
 * none is chosen); without a store there is none. */
void
_vd_window_show_forecast (VdWindow *self)
{
  VdDeadlineMonitor *monitor = vd_window_get_monitor (self);

  if (monitor == NULL || _vd_window_is_disposed (self))
    {
      gtk_widget_set_visible (GTK_WIDGET (self->forecast_label), FALSE);
      return;
    }

  vd_deadline_monitor_refresh_forecast (monitor, _vd_window_get_queue (self));
}

static void
monitor_changed_cb (VdWindow *self)
{
  VdDeadlineMonitor *monitor = vd_window_get_monitor (self);

  gtk_widget_set_visible (GTK_WIDGET (self->forecast_label), FALSE);

  if (monitor == NULL)
    return;

  g_signal_connect_object (monitor, "fallbacks-applied",
                           G_CALLBACK (fallbacks_applied_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (monitor, "forecast-changed",
                           G_CALLBACK (forecast_changed_cb), self, G_CONNECT_SWAPPED);
}

/* Guarded bulk approve */

static VdBulkDialog *
vd_window_find_bulk_dialog (VdWindow *self)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (VD_IS_BULK_DIALOG (window) &&
          gtk_window_get_transient_for (window) == GTK_WINDOW (self))
        return VD_BULK_DIALOG (window);
    }

  return NULL;
}

static void
bulk_approve_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  VdWindow *self = VD_WINDOW (widget);
  VdBulkDialog *dialog;

  if (vd_session_get_store (self->session) == NULL)
    return;

  if (vd_session_get_reviewer_id (self->session) == NULL)
    {
      _vd_window_ask_reviewer (self);
      return;
    }

  /* One per window: it follows the decisions taken there. */
  dialog = vd_window_find_bulk_dialog (self);
  if (dialog == NULL)
    {
      const char *queue = _vd_window_get_queue (self);
      GListModel *queues = gtk_drop_down_get_model (self->queue_dropdown);

      /* The band's queue: the one shown, else the first one. */
      if (queue == NULL && queues != NULL && g_list_model_get_n_items (queues) > 1)
        queue = gtk_string_list_get_string (GTK_STRING_LIST (queues), 1);

      dialog = vd_bulk_dialog_new (GTK_WINDOW (self), self->session, queue);
    }

  gtk_window_present (GTK_WINDOW (dialog));
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
  g_signal_connect_object (self->session, "notify::deadline-monitor",
                           G_CALLBACK (monitor_changed_cb), self, G_CONNECT_SWAPPED);
  monitor_changed_cb (self);
}
