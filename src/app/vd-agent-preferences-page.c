/* vd-agent-preferences-page.c
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

#define G_LOG_DOMAIN "vd-agent-preferences-page"

#include "config.h"

#include <glib/gi18n.h>

#include "vd-agent-preferences-page.h"

struct _VdAgentPreferencesPage
{
  AdwPreferencesPage  parent_instance;

  VdLlmSettings      *settings;
  GSignalGroup       *signals;
  GBindingGroup      *bindings;
  GCancellable       *cancellable;
  char               *key_error;
  char               *endpoint_error;   /* why the URL entered was not saved */

  /* Template widgets */
  AdwPreferencesGroup *endpoint_group;
  AdwEntryRow        *endpoint_row;
  AdwActionRow       *endpoint_error_row;
  AdwEntryRow        *model_row;
  AdwActionRow       *connection_row;
  GtkImage           *connection_icon;
  GtkSpinner         *connection_spinner;
  GtkButton          *test_button;
  AdwPasswordEntryRow *key_row;
  AdwActionRow       *insecure_row;
  GtkSwitch          *insecure_switch;
  AdwActionRow       *key_status_row;
  GtkButton          *key_remove_button;
  GtkSpinButton      *connect_timeout_spin;
  GtkSpinButton      *idle_timeout_spin;
  GtkSpinButton      *concurrency_spin;
};

G_DEFINE_FINAL_TYPE (VdAgentPreferencesPage, vd_agent_preferences_page, ADW_TYPE_PREFERENCES_PAGE)

enum {
  PROP_0,
  PROP_SETTINGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_css_state (GtkWidget  *widget,
               const char *css_class)
{
  gtk_widget_remove_css_class (widget, "success");
  gtk_widget_remove_css_class (widget, "warning");
  gtk_widget_remove_css_class (widget, "error");
  gtk_widget_remove_css_class (widget, "dim-label");

  if (css_class != NULL)
    gtk_widget_add_css_class (widget, css_class);
}

/* An entry row shows the value in use unless the reviewer is editing it. */
static void
sync_entry (AdwEntryRow *row,
            const char  *value)
{
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (row)), value) != 0)
    gtk_editable_set_text (GTK_EDITABLE (row), value);
}

static void
update_endpoint (VdAgentPreferencesPage *self)
{
  gboolean from_env = self->settings != NULL &&
                      vd_llm_settings_get_endpoint_from_env (self->settings);
  const char *endpoint = self->settings != NULL ? vd_llm_settings_get_endpoint (self->settings)
                                                : "";

  sync_entry (self->endpoint_row, endpoint);

  gtk_widget_set_sensitive (GTK_WIDGET (self->endpoint_row), self->settings != NULL && !from_env);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->endpoint_row),
                                 from_env ? _("URL (set by VERDICT_LLM_URL)") : _("URL"));
  /* Only plain http to another computer needs the permission. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->insecure_row),
                            endpoint[0] != '\0' && !vd_llm_key_allowed_for_url (endpoint, FALSE));
}

/* A URL entered with credentials is not saved; one saved with them (or in
 * VERDICT_LLM_URL) is not used. Either way the reviewer learns why, and
 * where the key goes instead. */
static void
update_endpoint_error (VdAgentPreferencesPage *self)
{
  const char *message = self->endpoint_error;

  if (message == NULL && self->settings != NULL)
    message = vd_llm_settings_get_endpoint_error (self->settings);
  if (message == NULL)
    message = "";

  adw_action_row_set_subtitle (self->endpoint_error_row, message);
  gtk_widget_set_visible (GTK_WIDGET (self->endpoint_error_row), message[0] != '\0');
  if (self->endpoint_error != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->endpoint_row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->endpoint_row), "error");
}

static void
update_model (VdAgentPreferencesPage *self)
{
  gboolean from_env = self->settings != NULL &&
                      vd_llm_settings_get_model_from_env (self->settings);

  sync_entry (self->model_row,
              self->settings != NULL ? vd_llm_settings_get_model (self->settings) : "");

  gtk_widget_set_sensitive (GTK_WIDGET (self->model_row), self->settings != NULL && !from_env);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->model_row),
                                 from_env ? _("Model (set by VERDICT_LLM_MODEL)") : _("Model"));
}

static void
update_connection (VdAgentPreferencesPage *self)
{
  const char *subtitle;
  const char *icon = "network-offline-symbolic";
  const char *css_class = "dim-label";
  const char *last_error = "";
  g_autofree char *text = NULL;
  gboolean probing = FALSE;

  if (self->settings == NULL)
    {
      subtitle = "";
    }
  else if ((probing = vd_llm_settings_get_probing (self->settings)))
    {
      subtitle = _("Checking…");
    }
  else if (vd_llm_settings_get_endpoint (self->settings)[0] == '\0')
    {
      subtitle = _("No endpoint: the agent is off");
    }
  else
    {
      last_error = vd_llm_settings_get_last_error (self->settings);

      switch (vd_llm_settings_get_reachable (self->settings))
        {
        case VD_REACHABILITY_REACHABLE:
          subtitle = _("Reachable");
          icon = "network-transmit-receive-symbolic";
          css_class = last_error[0] != '\0' ? "warning" : "success";
          break;

        case VD_REACHABILITY_UNREACHABLE:
          subtitle = _("Not reachable");
          css_class = "error";
          break;

        case VD_REACHABILITY_UNKNOWN:
        default:
          subtitle = _("Not checked yet");
          break;
        }
    }

  if (last_error[0] != '\0')
    text = g_strdup_printf ("%s. %s", subtitle, last_error);
  else
    text = g_strdup (subtitle);

  adw_action_row_set_subtitle (self->connection_row, text);
  gtk_image_set_from_icon_name (self->connection_icon, icon);
  set_css_state (GTK_WIDGET (self->connection_icon), css_class);

  gtk_widget_set_visible (GTK_WIDGET (self->connection_spinner), probing);
  gtk_spinner_set_spinning (self->connection_spinner, probing);
  gtk_widget_set_sensitive (GTK_WIDGET (self->test_button),
                            self->settings != NULL && !probing &&
                            vd_llm_settings_get_endpoint (self->settings)[0] != '\0');
}

static void
update_key (VdAgentPreferencesPage *self)
{
  g_autofree char *text = NULL;
  const char *state;
  const char *message = "";
  gboolean has_key = FALSE;

  if (self->settings == NULL)
    {
      state = "";
    }
  else if (vd_llm_settings_get_key_loading (self->settings))
    {
      state = _("Reading the keyring…");
    }
  else
    {
      has_key = vd_llm_settings_get_has_api_key (self->settings);
      message = vd_llm_settings_get_key_message (self->settings);

      if (has_key && vd_llm_settings_get_key_stored (self->settings))
        state = _("Saved in the keyring");
      else if (has_key)
        state = _("Set for this session");
      else
        state = _("None");
    }

  if (self->key_error != NULL)
    message = self->key_error;

  if (message[0] != '\0')
    text = g_strdup_printf ("%s. %s", state, message);
  else
    text = g_strdup (state);

  adw_action_row_set_subtitle (self->key_status_row, text);
  gtk_widget_set_sensitive (GTK_WIDGET (self->key_remove_button), has_key);
  gtk_widget_set_sensitive (GTK_WIDGET (self->key_row),
                            self->settings != NULL &&
                            vd_llm_settings_get_endpoint (self->settings)[0] != '\0');
}

static void
update_all (VdAgentPreferencesPage *self)
{
  update_endpoint (self);
  update_endpoint_error (self);
  update_model (self);
  update_connection (self);
  update_key (self);
}

/* Callbacks */

static void
endpoint_apply_cb (VdAgentPreferencesPage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->endpoint_row));
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&self->endpoint_error, g_free);

  if (self->settings == NULL)
    return;

  /* The text stays for the reviewer to correct; nothing of it is saved. */
  if (!vd_llm_settings_check_endpoint (text, &error))
    {
      self->endpoint_error = g_strdup (error->message);
      update_endpoint_error (self);
      return;
    }

  vd_llm_settings_set_endpoint (self->settings, text);
  update_endpoint (self);
  update_endpoint_error (self);
}

static void
model_apply_cb (VdAgentPreferencesPage *self)
{
  if (self->settings != NULL)
    vd_llm_settings_set_model (self->settings,
                               gtk_editable_get_text (GTK_EDITABLE (self->model_row)));
  update_model (self);
}

static void
set_key_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(VdAgentPreferencesPage) self = user_data;
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&self->key_error, g_free);

  if (!vd_llm_settings_set_api_key_finish (VD_LLM_SETTINGS (object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    self->key_error = g_strdup (error->message);

  update_key (self);
}

static void
set_key (VdAgentPreferencesPage *self,
         const char             *key)
{
  if (self->settings == NULL)
    return;

  vd_llm_settings_set_api_key_async (self->settings, key, self->cancellable,
                                     set_key_cb, g_object_ref (self));
}

static void
key_apply_cb (VdAgentPreferencesPage *self)
{
  g_autofree char *key = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->key_row)));

  /* The key is not shown again once it is set. */
  gtk_editable_set_text (GTK_EDITABLE (self->key_row), "");
  if (key[0] != '\0')
    set_key (self, key);
}

static void
key_remove_clicked_cb (VdAgentPreferencesPage *self)
{
  set_key (self, NULL);
}

static void
probe_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(VdAgentPreferencesPage) self = user_data;

  /* The outcome is shown through the settings' properties. */
  vd_llm_settings_probe_finish (VD_LLM_SETTINGS (object), result, NULL);
  update_connection (self);
}

static void
test_clicked_cb (VdAgentPreferencesPage *self)
{
  if (self->settings == NULL)
    return;

  vd_llm_settings_probe_async (self->settings, self->cancellable, probe_cb, g_object_ref (self));
}

/* The class */

static void
vd_agent_preferences_page_dispose (GObject *object)
{
  VdAgentPreferencesPage *self = (VdAgentPreferencesPage *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  if (self->signals != NULL)
    g_signal_group_set_target (self->signals, NULL);
  if (self->bindings != NULL)
    g_binding_group_set_source (self->bindings, NULL);
  g_clear_object (&self->signals);
  g_clear_object (&self->bindings);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->key_error, g_free);
  g_clear_pointer (&self->endpoint_error, g_free);

  gtk_widget_dispose_template (GTK_WIDGET (self), VD_TYPE_AGENT_PREFERENCES_PAGE);

  G_OBJECT_CLASS (vd_agent_preferences_page_parent_class)->dispose (object);
}

static void
vd_agent_preferences_page_get_property (GObject    *object,
                                        guint       prop_id,
                                        GValue     *value,
                                        GParamSpec *pspec)
{
  VdAgentPreferencesPage *self = VD_AGENT_PREFERENCES_PAGE (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vd_agent_preferences_page_set_property (GObject      *object,
                                        guint         prop_id,
                                        const GValue *value,
                                        GParamSpec   *pspec)
{
  VdAgentPreferencesPage *self = VD_AGENT_PREFERENCES_PAGE (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      vd_agent_preferences_page_set_settings (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vd_agent_preferences_page_class_init (VdAgentPreferencesPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vd_agent_preferences_page_dispose;
  object_class->get_property = vd_agent_preferences_page_get_property;
  object_class->set_property = vd_agent_preferences_page_set_property;

  /**
   * VdAgentPreferencesPage:settings: (nullable)
   *
   * The endpoint configuration edited.
   */
  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL,
                         VD_TYPE_LLM_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/verdict/Verdict/"
                                               "vd-agent-preferences-page.ui");
  gtk_widget_class_bind_template_child (widget_class, VdAgentPreferencesPage, endpoint_group);
  gtk_widget_class_bind_template_child (widget_class, VdAgentPreferencesPage, endpoint_row);
  gtk_widget_class_bind_template_child (widget_class, VdAgentPreferencesPage, endpoint_error_row);
  gtk_widget_class_bind_template_child (widget_class, VdAgentPreferencesPage, model_row);
  gtk_widget_class_bind_template_child (widget_class, VdAgentPreferencesPage, connection_row);
  gtk_widget_class_bind_template_child (widget_class, VdAgentPreferencesPage, connection_icon);
  gtk_widget_class_bind_template_child (widget_class, VdAgentPreferencesPage, connection_spinner);
  gtk_widget_class_bind_template_child (widget_class, VdAgentPreferencesPage, test_button);
  gtk_widget_class_bind_template_child (widget_class, VdAgentPreferencesPage, key_row);
  gtk_widget_class_bind_template_child (widget_class, VdAgentPreferencesPage, insecure_row);
  gtk_widget_class_bind_template_child (widget_class, VdAgentPreferencesPage, insecure_switch);
  gtk_widget_class_bind_template_child (widget_class, VdAgentPreferencesPage, key_status_row);
  gtk_widget_class_bind_template_child (widget_class, VdAgentPreferencesPage, key_remove_button);
  gtk_widget_class_bind_template_child (widget_class, VdAgentPreferencesPage,
                                        connect_timeout_spin);
  gtk_widget_class_bind_template_child (widget_class, VdAgentPreferencesPage, idle_timeout_spin);
  gtk_widget_class_bind_template_child (widget_class, VdAgentPreferencesPage, concurrency_spin);
  gtk_widget_class_bind_template_callback (widget_class, endpoint_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, model_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, key_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, key_remove_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, test_clicked_cb);
}

static void
vd_agent_preferences_page_init (VdAgentPreferencesPage *self)
{
  /* The entries are set only when their value changes, so that an edit in
   * progress survives a probe coming back. */
  static const struct
  {
    const char *signal;
    GCallback   callback;
  } notifies[] = {
    { "notify::endpoint", G_CALLBACK (update_all) },
    { "notify::endpoint-error", G_CALLBACK (update_endpoint_error) },
    { "notify::model", G_CALLBACK (update_model) },
    { "notify::reachable", G_CALLBACK (update_connection) },
    { "notify::last-error", G_CALLBACK (update_connection) },
    { "notify::probing", G_CALLBACK (update_connection) },
    { "notify::has-api-key", G_CALLBACK (update_key) },
    { "notify::key-stored", G_CALLBACK (update_key) },
    { "notify::key-message", G_CALLBACK (update_key) },
    { "notify::key-loading", G_CALLBACK (update_key) },
  };

  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();

  self->signals = g_signal_group_new (VD_TYPE_LLM_SETTINGS);
  for (guint i = 0; i < G_N_ELEMENTS (notifies); i++)
    g_signal_group_connect_object (self->signals, notifies[i].signal, notifies[i].callback,
                                   self, G_CONNECT_SWAPPED);

  self->bindings = g_binding_group_new ();
  g_binding_group_bind (self->bindings, "connect-timeout", self->connect_timeout_spin, "value",
                        G_BINDING_SYNC_CREATE | G_BINDING_BIDIRECTIONAL);
  g_binding_group_bind (self->bindings, "idle-timeout", self->idle_timeout_spin, "value",
                        G_BINDING_SYNC_CREATE | G_BINDING_BIDIRECTIONAL);
  g_binding_group_bind (self->bindings, "concurrency", self->concurrency_spin, "value",
                        G_BINDING_SYNC_CREATE | G_BINDING_BIDIRECTIONAL);
  g_binding_group_bind (self->bindings, "allow-insecure-http", self->insecure_switch, "active",
                        G_BINDING_SYNC_CREATE | G_BINDING_BIDIRECTIONAL);

  update_all (self);
}

/**
 * vd_agent_preferences_page_new:
 * @settings: (nullable): the endpoint configuration to edit
 *
 * Returns: (transfer full): a new #VdAgentPreferencesPage
 */
GtkWidget *
vd_agent_preferences_page_new (VdLlmSettings *settings)
{
  g_return_val_if_fail (settings == NULL || VD_IS_LLM_SETTINGS (settings), NULL);

  return g_object_new (VD_TYPE_AGENT_PREFERENCES_PAGE, "settings", settings, NULL);
}

/**
 * vd_agent_preferences_page_get_settings:
 * @self: a #VdAgentPreferencesPage
 *
 * Returns: (transfer none) (nullable): the endpoint configuration edited
 */
VdLlmSettings *
vd_agent_preferences_page_get_settings (VdAgentPreferencesPage *self)
{
  g_return_val_if_fail (VD_IS_AGENT_PREFERENCES_PAGE (self), NULL);

  return self->settings;
}

/**
 * vd_agent_preferences_page_set_settings:
 * @self: a #VdAgentPreferencesPage
 * @settings: (nullable): the endpoint configuration to edit
 *
 * Shows and edits @settings; every change is saved at once.
 */
void
vd_agent_preferences_page_set_settings (VdAgentPreferencesPage *self,
                                        VdLlmSettings          *settings)
{
  g_return_if_fail (VD_IS_AGENT_PREFERENCES_PAGE (self));
  g_return_if_fail (settings == NULL || VD_IS_LLM_SETTINGS (settings));

  if (!g_set_object (&self->settings, settings))
    return;

  g_clear_pointer (&self->key_error, g_free);
  g_clear_pointer (&self->endpoint_error, g_free);
  g_signal_group_set_target (self->signals, settings);
  g_binding_group_set_source (self->bindings, settings);
  update_all (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SETTINGS]);
}
