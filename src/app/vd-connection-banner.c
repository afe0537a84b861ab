/* vd-connection-banner.c: the strip saying the team server is out of reach
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

/* Shown while the session's connection to the team server is lost (no
 * AdwBanner in libadwaita 1.2): what happened, that what the reviewer
 * typed is kept, a spinner while the session tries the server again, and
 * Reconnect to try at once. The tooltip says what the server or libpq
 * said. */

#define G_LOG_DOMAIN "vd-connection-banner"

#include "config.h"

#include <glib/gi18n.h>

#include "vd-connection-banner.h"

struct _VdConnectionBanner
{
  GtkWidget     parent_instance;

  VdSession    *session;

  /* Template widgets */
  GtkRevealer  *revealer;
  GtkStack     *icon_stack;
  GtkSpinner   *spinner;
  GtkLabel     *label;
  GtkWidget    *reconnect_button;
};

G_DEFINE_FINAL_TYPE (VdConnectionBanner, vd_connection_banner, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
vd_connection_banner_update (VdConnectionBanner *self)
{
  gboolean disconnected = self->session != NULL &&
                          vd_session_get_disconnected (self->session);
  gboolean reconnecting = disconnected && vd_session_get_reconnecting (self->session);
  const char *error = self->session != NULL ?
                      vd_session_get_connection_error (self->session) : NULL;

  gtk_stack_set_visible_child_name (self->icon_stack, reconnecting ? "reconnecting" : "offline");
  gtk_spinner_set_spinning (self->spinner, reconnecting);
  gtk_widget_set_sensitive (self->reconnect_button, !reconnecting);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->label), disconnected ? error : NULL);
  gtk_revealer_set_reveal_child (self->revealer, disconnected);
}

static void
reconnect_cb (VdConnectionBanner *self)
{
  if (self->session != NULL)
    vd_session_reconnect (self->session);
}

static void
vd_connection_banner_dispose (GObject *object)
{
  VdConnectionBanner *self = (VdConnectionBanner *)object;

  vd_connection_banner_set_session (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), VD_TYPE_CONNECTION_BANNER);

  G_OBJECT_CLASS (vd_connection_banner_parent_class)->dispose (object);
}

static void
vd_connection_banner_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  VdConnectionBanner *self = VD_CONNECTION_BANNER (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vd_connection_banner_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  VdConnectionBanner *self = VD_CONNECTION_BANNER (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      vd_connection_banner_set_session (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vd_connection_banner_class_init (VdConnectionBannerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vd_connection_banner_dispose;
  object_class->get_property = vd_connection_banner_get_property;
  object_class->set_property = vd_connection_banner_set_property;

  /**
   * VdConnectionBanner:session: (nullable)
   *
   * The session whose connection the banner follows; without one it stays
   * hidden.
   */
  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL,
                         VD_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/verdict/Verdict/"
                                               "vd-connection-banner.ui");
  gtk_widget_class_bind_template_child (widget_class, VdConnectionBanner, revealer);
  gtk_widget_class_bind_template_child (widget_class, VdConnectionBanner, icon_stack);
  gtk_widget_class_bind_template_child (widget_class, VdConnectionBanner, spinner);
  gtk_widget_class_bind_template_child (widget_class, VdConnectionBanner, label);
  gtk_widget_class_bind_template_child (widget_class, VdConnectionBanner, reconnect_button);
  gtk_widget_class_bind_template_callback (widget_class, reconnect_cb);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "vdconnectionbanner");
}

static void
vd_connection_banner_init (VdConnectionBanner *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
vd_connection_banner_new (void)
{
  return g_object_new (VD_TYPE_CONNECTION_BANNER, NULL);
}

VdSession *
vd_connection_banner_get_session (VdConnectionBanner *self)
{
  g_return_val_if_fail (VD_IS_CONNECTION_BANNER (self), NULL);

  return self->session;
}

/**
 * vd_connection_banner_set_session:
 * @self: a #VdConnectionBanner
 * @session: (nullable): the session to follow
 */
void
vd_connection_banner_set_session (VdConnectionBanner *self,
                                  VdSession          *session)
{
  g_return_if_fail (VD_IS_CONNECTION_BANNER (self));
  g_return_if_fail (session == NULL || VD_IS_SESSION (session));

  if (self->session == session)
    return;

  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_set_object (&self->session, session);
  if (session != NULL)
    {
      g_signal_connect_object (session, "notify::disconnected",
                               G_CALLBACK (vd_connection_banner_update), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (session, "notify::reconnecting",
                               G_CALLBACK (vd_connection_banner_update), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (session, "notify::connection-error",
                               G_CALLBACK (vd_connection_banner_update), self,
                               G_CONNECT_SWAPPED);
    }

  if (self->revealer != NULL)
    vd_connection_banner_update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

/**
 * vd_connection_banner_get_revealed:
 * @self: a #VdConnectionBanner
 *
 * Returns: whether the banner is shown (or sliding in)
 */
gboolean
vd_connection_banner_get_revealed (VdConnectionBanner *self)
{
  g_return_val_if_fail (VD_IS_CONNECTION_BANNER (self), FALSE);

  return gtk_revealer_get_reveal_child (self->revealer);
}

const char *
vd_connection_banner_get_text (VdConnectionBanner *self)
{
  g_return_val_if_fail (VD_IS_CONNECTION_BANNER (self), NULL);

  return gtk_label_get_text (self->label);
}
