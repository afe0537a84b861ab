/* vd-signing-status.c: who is signed in, and whether decisions are signed
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
 * A compact button for a header bar: "alice · signed" while the
 * reviewer's key is unlocked (the tooltip names the key), "alice ·
 * unverified" when there is no key or it is locked (the installation's
 * key signs then). Its menu offers Sign In and Lock (the window's
 * actions win.sign-in and win.lock) and the Preferences, where keys are
 * created.
 */

#define G_LOG_DOMAIN "vd-signing-status"

#include "config.h"

#include <glib/gi18n.h>

#include "vd-signing-status.h"

struct _VdSigningStatus
{
  AdwBin        parent_instance;

  /* Template widgets */
  GtkWidget    *button;
  GtkImage     *icon;
  GtkLabel     *label;

  VdSession    *session;
  GSignalGroup *session_signals;
};

G_DEFINE_FINAL_TYPE (VdSigningStatus, vd_signing_status, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
vd_signing_status_update (VdSigningStatus *self)
{
  const char *reviewer_id;
  g_autofree char *text = NULL;
  g_autofree char *tooltip = NULL;
  VdSigningState state;
  VdKey *key;

  if (self->session == NULL)
    return;

  reviewer_id = vd_session_get_reviewer_id (self->session);
  key = vd_session_get_signing_key (self->session);

  state = vd_session_get_signing_state (self->session);
  /* The key is dropped a moment before the state follows. */
  if (key == NULL && state == VD_SIGNING_STATE_UNLOCKED)
    state = VD_SIGNING_STATE_LOCKED;

  switch (state)
    {
    case VD_SIGNING_STATE_UNLOCKED:
      /* Translators: the header's signing status, %s is the reviewer id */
      text = g_strdup_printf (_("%s · signed"), reviewer_id);
      /* Translators: %s is a key id, e.g. "4F2A…" (16 hex digits) */
      tooltip = g_strdup_printf (_("Decisions are signed with key %s"), vd_key_get_id (key));
      gtk_image_set_from_icon_name (self->icon, "channel-secure-symbolic");
      gtk_widget_remove_css_class (self->button, "unverified");
      break;

    case VD_SIGNING_STATE_LOCKED:
      /* Translators: the header's signing status, %s is the reviewer id */
      text = g_strdup_printf (_("%s · unverified"), reviewer_id);
      tooltip = g_strdup (_("Your signing key is locked: decisions are signed by this "
                            "installation and shown as an unverified reviewer. Sign in to "
                            "sign them with your key."));
      gtk_image_set_from_icon_name (self->icon, "channel-insecure-symbolic");
      gtk_widget_add_css_class (self->button, "unverified");
      break;

    case VD_SIGNING_STATE_UNVERIFIED:
    default:
      if (reviewer_id != NULL)
        /* Translators: the header's signing status, %s is the reviewer id */
        text = g_strdup_printf (_("%s · unverified"), reviewer_id);
      else
        text = g_strdup (_("No reviewer"));
      tooltip = g_strdup (_("You have no signing key: decisions are signed by this "
                            "installation and shown as an unverified reviewer. Create a "
                            "key in Preferences."));
      gtk_image_set_from_icon_name (self->icon, "channel-insecure-symbolic");
      gtk_widget_add_css_class (self->button, "unverified");
      break;
    }

  gtk_label_set_text (self->label, text);
  gtk_widget_set_tooltip_text (self->button, tooltip);
}

static void
vd_signing_status_dispose (GObject *object)
{
  VdSigningStatus *self = (VdSigningStatus *)object;

  if (self->session_signals != NULL)
    g_signal_group_set_target (self->session_signals, NULL);
  g_clear_object (&self->session_signals);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (vd_signing_status_parent_class)->dispose (object);
}

static void
vd_signing_status_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  VdSigningStatus *self = VD_SIGNING_STATUS (object);

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
vd_signing_status_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  VdSigningStatus *self = VD_SIGNING_STATUS (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      vd_signing_status_set_session (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vd_signing_status_class_init (VdSigningStatusClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vd_signing_status_dispose;
  object_class->get_property = vd_signing_status_get_property;
  object_class->set_property = vd_signing_status_set_property;

  /**
   * VdSigningStatus:session: (nullable)
   *
   * The session whose reviewer and signing state are shown.
   */
  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL,
                         VD_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/verdict/Verdict/vd-signing-status.ui");
  gtk_widget_class_bind_template_child (widget_class, VdSigningStatus, button);
  gtk_widget_class_bind_template_child (widget_class, VdSigningStatus, icon);
  gtk_widget_class_bind_template_child (widget_class, VdSigningStatus, label);
}

static void
vd_signing_status_init (VdSigningStatus *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->session_signals = g_signal_group_new (VD_TYPE_SESSION);
  g_signal_group_connect_object (self->session_signals, "notify::signing-state",
                                 G_CALLBACK (vd_signing_status_update), self,
                                 G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->session_signals, "notify::signing-key",
                                 G_CALLBACK (vd_signing_status_update), self,
                                 G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->session_signals, "notify::reviewer-id",
                                 G_CALLBACK (vd_signing_status_update), self,
                                 G_CONNECT_SWAPPED);
}

VdSession *
vd_signing_status_get_session (VdSigningStatus *self)
{
  g_return_val_if_fail (VD_IS_SIGNING_STATUS (self), NULL);

  return self->session;
}

/**
 * vd_signing_status_set_session:
 * @self: a #VdSigningStatus
 * @session: (nullable): the session to show
 */
void
vd_signing_status_set_session (VdSigningStatus *self,
                               VdSession       *session)
{
  g_return_if_fail (VD_IS_SIGNING_STATUS (self));
  g_return_if_fail (session == NULL || VD_IS_SESSION (session));

  if (!g_set_object (&self->session, session))
    return;

  g_signal_group_set_target (self->session_signals, session);
  vd_signing_status_update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

/**
 * vd_signing_status_get_text:
 * @self: a #VdSigningStatus
 *
 * Returns: what the button says, e.g. "alice · signed"
 */
const char *
vd_signing_status_get_text (VdSigningStatus *self)
{
  g_return_val_if_fail (VD_IS_SIGNING_STATUS (self), NULL);

  return gtk_label_get_text (self->label);
}
