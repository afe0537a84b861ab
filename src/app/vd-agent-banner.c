/* vd-agent-banner.c: the one-line status while the agent cannot be reached
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

#define G_LOG_DOMAIN "vd-agent-banner"

#include "config.h"

#include <glib/gi18n.h>

#include "vd-agent-banner.h"

/*
 * One line while the agent cannot be reached: "Agent offline — revisions
 * will wait", with Retry, Details (the Preferences page that keeps the
 * whole error) and a close button. Dismissed, it stays hidden until the
 * state changes: the endpoint answers or changes, or the reviewer retries.
 * A retry shows "Checking…" with a spinner, then the line again or, when
 * the agent answered, nothing here and VdAgentBanner::reached for the
 * window to say so.
 */

struct _VdAgentBanner
{
  GtkWidget      parent_instance;

  VdLlmSettings *llm_settings;
  gboolean       dismissed;
  gboolean       retrying;

  /* Template widgets */
  GtkRevealer   *revealer;
  GtkStack      *icon_stack;
  GtkSpinner    *spinner;
  GtkLabel      *label;
  GtkWidget     *retry_button;
  GtkWidget     *details_button;
  GtkWidget     *close_button;
};

G_DEFINE_FINAL_TYPE (VdAgentBanner, vd_agent_banner, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_LLM_SETTINGS,
  N_PROPS
};

enum {
  REACHED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
vd_agent_banner_update (VdAgentBanner *self)
{
  gboolean reveal = FALSE;
  gboolean checking = FALSE;

  if (self->llm_settings != NULL &&
      vd_llm_settings_get_endpoint (self->llm_settings)[0] != '\0')
    {
      checking = self->retrying && vd_llm_settings_get_probing (self->llm_settings);

      if (checking)
        {
          gtk_label_set_text (self->label, _("Checking…"));
          gtk_widget_set_tooltip_text (GTK_WIDGET (self->label), NULL);
          reveal = TRUE;
        }
      else if (!self->dismissed &&
               vd_llm_settings_get_reachable (self->llm_settings) ==
               VD_REACHABILITY_UNREACHABLE)
        {
          const char *error = vd_llm_settings_get_last_error (self->llm_settings);

          gtk_label_set_text (self->label, _("Agent offline — revisions will wait"));
          /* The whole error, also in Preferences. */
          gtk_widget_set_tooltip_text (GTK_WIDGET (self->label),
                                       error != NULL && error[0] != '\0' ? error : NULL);
          reveal = TRUE;
        }
    }

  gtk_stack_set_visible_child_name (self->icon_stack, checking ? "checking" : "offline");
  gtk_spinner_set_spinning (self->spinner, checking);
  gtk_widget_set_sensitive (self->retry_button, !checking);
  gtk_revealer_set_reveal_child (self->revealer, reveal);
}

/* A new state: a dismissed line may show again when it fails anew. */
static void
reachable_changed_cb (VdAgentBanner *self)
{
  if (vd_llm_settings_get_reachable (self->llm_settings) != VD_REACHABILITY_UNREACHABLE)
    self->dismissed = FALSE;

  vd_agent_banner_update (self);
}

static void
endpoint_changed_cb (VdAgentBanner *self)
{
  self->dismissed = FALSE;
  vd_agent_banner_update (self);
}

static void
probing_changed_cb (VdAgentBanner *self)
{
  gboolean reached = FALSE;

  if (self->retrying && !vd_llm_settings_get_probing (self->llm_settings))
    {
      self->retrying = FALSE;
      reached = vd_llm_settings_get_reachable (self->llm_settings) ==
                VD_REACHABILITY_REACHABLE;
    }

  vd_agent_banner_update (self);

  if (reached)
    g_signal_emit (self, signals[REACHED], 0);
}

static void
retry_cb (VdAgentBanner *self,
          GtkButton     *button)
{
  vd_agent_banner_retry (self);
}

static void
close_cb (VdAgentBanner *self,
          GtkButton     *button)
{
  vd_agent_banner_dismiss (self);
}

static void
vd_agent_banner_dispose (GObject *object)
{
  VdAgentBanner *self = (VdAgentBanner *)object;

  vd_agent_banner_set_llm_settings (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), VD_TYPE_AGENT_BANNER);

  G_OBJECT_CLASS (vd_agent_banner_parent_class)->dispose (object);
}

static void
vd_agent_banner_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  VdAgentBanner *self = VD_AGENT_BANNER (object);

  switch (prop_id)
    {
    case PROP_LLM_SETTINGS:
      g_value_set_object (value, self->llm_settings);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vd_agent_banner_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  VdAgentBanner *self = VD_AGENT_BANNER (object);

  switch (prop_id)
    {
    case PROP_LLM_SETTINGS:
      vd_agent_banner_set_llm_settings (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vd_agent_banner_class_init (VdAgentBannerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vd_agent_banner_dispose;
  object_class->get_property = vd_agent_banner_get_property;
  object_class->set_property = vd_agent_banner_set_property;

  /**
   * VdAgentBanner:llm-settings: (nullable)
   *
   * The model endpoint whose reachability the banner follows; without one
   * it stays hidden.
   */
  properties[PROP_LLM_SETTINGS] =
    g_param_spec_object ("llm-settings", NULL, NULL,
                         VD_TYPE_LLM_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/verdict/Verdict/vd-agent-banner.ui");
  /**
   * VdAgentBanner::reached:
   * @self: a #VdAgentBanner
   *
   * Emitted when a retry from the banner found the agent reachable.
   */
  signals[REACHED] =
    g_signal_new ("reached",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_bind_template_child (widget_class, VdAgentBanner, revealer);
  gtk_widget_class_bind_template_child (widget_class, VdAgentBanner, icon_stack);
  gtk_widget_class_bind_template_child (widget_class, VdAgentBanner, spinner);
  gtk_widget_class_bind_template_child (widget_class, VdAgentBanner, label);
  gtk_widget_class_bind_template_child (widget_class, VdAgentBanner, retry_button);
  gtk_widget_class_bind_template_child (widget_class, VdAgentBanner, details_button);
  gtk_widget_class_bind_template_child (widget_class, VdAgentBanner, close_button);
  gtk_widget_class_bind_template_callback (widget_class, retry_cb);
  gtk_widget_class_bind_template_callback (widget_class, close_cb);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "vdagentbanner");
}

static void
vd_agent_banner_init (VdAgentBanner *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * vd_agent_banner_new:
 *
 * Returns: (transfer full): a hidden banner
 */
GtkWidget *
vd_agent_banner_new (void)
{
  return g_object_new (VD_TYPE_AGENT_BANNER, NULL);
}

/**
 * vd_agent_banner_get_llm_settings:
 * @self: a #VdAgentBanner
 *
 * Returns: (transfer none) (nullable): the endpoint followed
 */
VdLlmSettings *
vd_agent_banner_get_llm_settings (VdAgentBanner *self)
{
  g_return_val_if_fail (VD_IS_AGENT_BANNER (self), NULL);

  return self->llm_settings;
}

/**
 * vd_agent_banner_set_llm_settings:
 * @self: a #VdAgentBanner
 * @llm_settings: (nullable): the endpoint to follow
 */
void
vd_agent_banner_set_llm_settings (VdAgentBanner *self,
                                  VdLlmSettings *llm_settings)
{
  g_return_if_fail (VD_IS_AGENT_BANNER (self));
  g_return_if_fail (llm_settings == NULL || VD_IS_LLM_SETTINGS (llm_settings));

  if (self->llm_settings == llm_settings)
    return;

  if (self->llm_settings != NULL)
    g_signal_handlers_disconnect_by_data (self->llm_settings, self);
  g_set_object (&self->llm_settings, llm_settings);
  self->dismissed = FALSE;
  self->retrying = FALSE;

  if (llm_settings != NULL)
    {
      g_signal_connect_object (llm_settings, "notify::reachable",
                               G_CALLBACK (reachable_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (llm_settings, "notify::last-error",
                               G_CALLBACK (vd_agent_banner_update), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (llm_settings, "notify::probing",
                               G_CALLBACK (probing_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (llm_settings, "notify::endpoint",
                               G_CALLBACK (endpoint_changed_cb), self, G_CONNECT_SWAPPED);
    }

  if (self->revealer != NULL)
    vd_agent_banner_update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LLM_SETTINGS]);
}

/**
 * vd_agent_banner_get_revealed:
 * @self: a #VdAgentBanner
 *
 * Returns: whether the banner shows
 */
gboolean
vd_agent_banner_get_revealed (VdAgentBanner *self)
{
  g_return_val_if_fail (VD_IS_AGENT_BANNER (self), FALSE);

  return gtk_revealer_get_reveal_child (self->revealer);
}

/**
 * vd_agent_banner_get_text:
 * @self: a #VdAgentBanner
 *
 * Returns: the text shown (the last one, while hidden)
 */
const char *
vd_agent_banner_get_text (VdAgentBanner *self)
{
  g_return_val_if_fail (VD_IS_AGENT_BANNER (self), NULL);

  return gtk_label_get_text (self->label);
}

/**
 * vd_agent_banner_get_checking:
 * @self: a #VdAgentBanner
 *
 * Returns: whether a retry from the banner is running
 */
gboolean
vd_agent_banner_get_checking (VdAgentBanner *self)
{
  g_return_val_if_fail (VD_IS_AGENT_BANNER (self), FALSE);

  return gtk_spinner_get_spinning (self->spinner);
}

/**
 * vd_agent_banner_dismiss:
 * @self: a #VdAgentBanner
 *
 * Hides the line until the state of the agent changes.
 */
void
vd_agent_banner_dismiss (VdAgentBanner *self)
{
  g_return_if_fail (VD_IS_AGENT_BANNER (self));

  self->dismissed = TRUE;
  vd_agent_banner_update (self);
}

/**
 * vd_agent_banner_retry:
 * @self: a #VdAgentBanner
 *
 * Asks the endpoint again, showing "Checking…" meanwhile.
 */
void
vd_agent_banner_retry (VdAgentBanner *self)
{
  g_return_if_fail (VD_IS_AGENT_BANNER (self));

  if (self->llm_settings == NULL)
    return;

  self->dismissed = FALSE;
  self->retrying = TRUE;
  vd_llm_settings_probe (self->llm_settings);
  vd_agent_banner_update (self);
}
