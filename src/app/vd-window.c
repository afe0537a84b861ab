/* vd-window.c
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

/* The main window shows what the session has: the store's items in the
 * queue pane, the selected one in the item pane. Its struct holds widgets
 * and view state (selection, filters, focus); the services are the
 * session's. Split over vd-window-*.c, which share vd-window-private.h. */

#define G_LOG_DOMAIN "vd-window"

#include "config.h"

#include <glib/gi18n.h>

#include "vd-item-row.h"
#include "vd-reviewer-dialog.h"
#include "vd-timing.h"
#include "vd-window-private.h"

G_DEFINE_FINAL_TYPE (VdWindow, vd_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

gboolean
_vd_window_error_is_cancelled (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
         g_error_matches (error, VD_STORE_ERROR, VD_STORE_ERROR_CANCELLED);
}

/* The window is being destroyed: callbacks of work it started show
 * nothing any more. */
gboolean
_vd_window_is_disposed (VdWindow *self)
{
  return g_cancellable_is_cancelled (self->cancellable);
}

static void
error_dialog_response_cb (AdwMessageDialog *dialog,
                          const char       *response,
                          gpointer          user_data)
{
  gtk_window_destroy (GTK_WINDOW (dialog));
}

/* A dialog with @message as plain text: messages quote the queue's data. */
void
_vd_window_show_error (VdWindow   *self,
                       const char *heading,
                       const char *message)
{
  GtkWidget *dialog;

  g_assert (VD_IS_WINDOW (self));

  if (_vd_window_is_disposed (self))
    return;

  dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, NULL);
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (dialog), message);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "close");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "close");
  g_signal_connect (dialog, "response", G_CALLBACK (error_dialog_response_cb), NULL);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* The reviewer */

/* The subtitles of the window (a closure of vd-window.ui). AdwWindowTitle
 * shows plain text. */
static char *
reviewer_subtitle_cb (gpointer    this_object,
                      const char *reviewer_id,
                      const char *team_server)
{
  if (reviewer_id != NULL && team_server != NULL)
    /* Translators: the window subtitle on a team server, %s is the reviewer
     * id (the database role), e.g. "alice · team server" */
    return g_strdup_printf (_("%s · team server"), reviewer_id);

  if (team_server != NULL)
    return g_strdup (_("Connecting to the team server…"));

  if (reviewer_id != NULL)
    /* Translators: the window subtitle, %s is the reviewer id, e.g. "Reviewing as alice" */
    return g_strdup_printf (_("Reviewing as %s"), reviewer_id);

  return g_strdup (_("No reviewer id set"));
}

static void
reviewer_dialog_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(VdWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *reviewer_id = NULL;

  reviewer_id = vd_reviewer_dialog_run_finish (result, &error);
  self->asking_reviewer = FALSE;

  if (_vd_window_is_disposed (self))
    return;

  /* The session keeps it in the setting: every window hears of it. */
  if (reviewer_id != NULL)
    vd_session_set_reviewer_id (self->session, reviewer_id);
  /* A decision asked for the name: it goes on now (or not, if cancelled). */
  _vd_window_resume_decision (self, reviewer_id != NULL);
}

/* Asks who reviews, at first start or when a decision needs it. */
void
_vd_window_ask_reviewer (VdWindow *self)
{
  g_assert (VD_IS_WINDOW (self));

  if (self->asking_reviewer || _vd_window_is_disposed (self) ||
      vd_session_get_reviewer_locked (self->session))
    return;

  self->asking_reviewer = TRUE;
  vd_reviewer_dialog_run_async (GTK_WINDOW (self),
                                vd_session_get_reviewer_id (self->session),
                                self->cancellable,
                                reviewer_dialog_cb,
                                g_object_ref (self));
}

static void
vd_window_map (GtkWidget *widget)
{
  VdWindow *self = VD_WINDOW (widget);

  GTK_WIDGET_CLASS (vd_window_parent_class)->map (widget);

  /* First start: ask who reviews once the window is on screen (a team
   * server says who: its database role). */
  if (vd_session_get_reviewer_id (self->session) == NULL &&
      !vd_session_get_reviewer_locked (self->session))
    _vd_window_ask_reviewer (self);
}

/* The session's store and policy */

static void
vd_window_show_store_error (VdWindow     *self,
                            const GError *error)
{
  g_autofree char *escaped = NULL;

  if (vd_session_get_team_server (self->session) != NULL)
    {
      escaped = g_markup_printf_escaped ("%s\n\n%s", error->message,
                                         _("Check the server, your user name and password in "
                                           "Preferences, Team Server, or use the local "
                                           "database there."));
      adw_status_page_set_title (self->error_page, _("Cannot Connect to the Team Server"));
      adw_status_page_set_description (self->error_page, escaped);
      gtk_stack_set_visible_child_name (self->main_stack, "error");
      return;
    }

  /* The status page description is markup; the message may quote a path. */
  escaped = g_markup_printf_escaped ("%s\n\n%s", error->message,
                                     _("Start Verdict with --db PATH to use another database."));
  adw_status_page_set_title (self->error_page, _("Cannot Open the Review Database"));
  adw_status_page_set_description (self->error_page, escaped);
  gtk_stack_set_visible_child_name (self->main_stack, "error");
}

static void
store_changed_cb (VdWindow *self)
{
  const GError *error = vd_session_get_store_error (self->session);
  VdStore *store = vd_session_get_store (self->session);
  VdDecisionLog *log = vd_session_get_decision_log (self->session);

  if (_vd_window_is_disposed (self))
    return;

  /* Decisions on their way (from any window) keep their item from being
   * decided again, and Undo waits for them. */
  if (log != NULL)
    g_signal_connect_object (log, "notify::busy",
                             G_CALLBACK (_vd_window_update_actions), self, G_CONNECT_SWAPPED);

  _vd_window_dismiss_decision_toast (self);
  gtk_stack_set_visible_child_name (self->main_stack, "loading");
  vd_fatigue_banner_set_store (self->fatigue_banner, store);
  _vd_window_bind_store (self);

  if (error != NULL)
    {
      vd_window_show_store_error (self, error);
      /* No first item to wait for. */
      vd_session_release_background (self->session);
    }

  _vd_window_update_pages (self);
  _vd_window_update_actions (self);
}

static void
policy_changed_cb (VdWindow *self)
{
  VdPolicy *policy = vd_session_get_policy (self->session);
  g_auto(GStrv) categories = vd_policy_dup_feedback_categories (policy);

  vd_feedback_input_set_categories (self->feedback_input, (const char * const *) categories);
}

/* The feedback given with a decision belongs to the item shown. */
static void
detail_item_changed_cb (VdWindow *self)
{
  vd_feedback_input_set_item (self->feedback_input, vd_item_detail_get_item (self->detail));
}

/* The thresholds of the fatigue prompt, from the preferences. */
static void
vd_window_bind_fatigue (VdWindow  *self,
                        GSettings *settings)
{
  static const struct {
    const char *key;
    const char *property;
  } keys[] = {
    { "fatigue-fast-streak", "fast-streak" },
    { "fatigue-fast-floor", "fast-floor" },
    { "fatigue-break-minutes", "break-minutes" },
  };
  g_autoptr(GSettingsSchema) schema = NULL;

  g_object_get (settings, "settings-schema", &schema, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    if (g_settings_schema_has_key (schema, keys[i].key))
      g_settings_bind (settings, keys[i].key, self->fatigue_banner, keys[i].property,
                       G_SETTINGS_BIND_GET);
}

static void
vd_window_constructed (GObject *object)
{
  VdWindow *self = (VdWindow *)object;
  GSettings *settings;

  vd_timing_mark ("window-constructed");

  G_OBJECT_CLASS (vd_window_parent_class)->constructed (object);

  g_assert (VD_IS_SESSION (self->session));

  settings = vd_session_get_settings (self->session);
  if (settings != NULL)
    {
      g_settings_bind (settings, "window-width", self, "default-width", G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (settings, "window-height", self, "default-height",
                       G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (settings, "window-maximized", self, "maximized", G_SETTINGS_BIND_DEFAULT);
      vd_window_bind_fatigue (self, settings);
    }

  /* The template's bindings follow the session from here. */
  g_object_notify_by_pspec (object, properties[PROP_SESSION]);

  g_object_bind_property (self->session, "policy", self->detail, "policy", G_BINDING_SYNC_CREATE);
  g_signal_connect_object (self->session, "notify::policy",
                           G_CALLBACK (policy_changed_cb), self, G_CONNECT_SWAPPED);
  policy_changed_cb (self);

  g_signal_connect_object (self->session, "notify::reviewer-id",
                           G_CALLBACK (_vd_window_update_actions), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "items-changed",
                           G_CALLBACK (vd_window_reload), self, G_CONNECT_SWAPPED);

  _vd_window_init_list (self);
  _vd_window_init_import (self);
  _vd_window_init_agent (self);
  _vd_window_init_sla (self);
  _vd_window_init_signing (self);
  _vd_window_init_live (self);
  _vd_window_init_claims (self);
  _vd_window_init_team (self);

  g_signal_connect_object (self->session, "notify::store",
                           G_CALLBACK (store_changed_cb), self, G_CONNECT_SWAPPED);
  if (vd_session_get_store (self->session) != NULL ||
      vd_session_get_store_error (self->session) != NULL)
    store_changed_cb (self);

  _vd_window_update_actions (self);
}

static void
vd_window_dispose (GObject *object)
{
  VdWindow *self = (VdWindow *)object;

  g_cancellable_cancel (self->cancellable);

  if (self->session != NULL && vd_session_get_settings (self->session) != NULL)
    {
      g_settings_unbind (self, "default-width");
      g_settings_unbind (self, "default-height");
      g_settings_unbind (self, "maximized");
    }

  _vd_window_dispose_live (self);
  _vd_window_dispose_claims (self);
  _vd_window_dispose_team (self);
  _vd_window_dispose_list (self);
  _vd_window_dispose_signing (self);
  _vd_window_dismiss_decision_toast (self);

  gtk_widget_dispose_template (GTK_WIDGET (self), VD_TYPE_WINDOW);

  G_OBJECT_CLASS (vd_window_parent_class)->dispose (object);
}

static void
vd_window_finalize (GObject *object)
{
  VdWindow *self = (VdWindow *)object;

  g_clear_object (&self->session);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (vd_window_parent_class)->finalize (object);
}

static void
vd_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  VdWindow *self = VD_WINDOW (object);

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
vd_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  VdWindow *self = VD_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      self->session = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vd_window_class_init (VdWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = vd_window_constructed;
  object_class->dispose = vd_window_dispose;
  object_class->finalize = vd_window_finalize;
  object_class->get_property = vd_window_get_property;
  object_class->set_property = vd_window_set_property;

  widget_class->map = vd_window_map;

  /**
   * VdWindow:session:
   *
   * What the window shows and works with: the store, the policy, the
   * reviewer, the agent, the deadlines, the imports.
   */
  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL,
                         VD_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/verdict/Verdict/vd-window.ui");
  gtk_widget_class_bind_template_child (widget_class, VdWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, VdWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, VdWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, VdWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, VdWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, VdWindow, content);
  gtk_widget_class_bind_template_child (widget_class, VdWindow, content_title);
  gtk_widget_class_bind_template_child (widget_class, VdWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, VdWindow, queue_dropdown);
  gtk_widget_class_bind_template_child (widget_class, VdWindow, status_dropdown);
  gtk_widget_class_bind_template_child (widget_class, VdWindow, reason_dropdown);
  gtk_widget_class_bind_template_child (widget_class, VdWindow, counts_label);
  gtk_widget_class_bind_template_child (widget_class, VdWindow, list_stack);
  gtk_widget_class_bind_template_child (widget_class, VdWindow, list_view);
  gtk_widget_class_bind_template_child (widget_class, VdWindow, done_page);
  gtk_widget_class_bind_template_child (widget_class, VdWindow, content_stack);
  gtk_widget_class_bind_template_child (widget_class, VdWindow, detail);
  gtk_widget_class_bind_template_child (widget_class, VdWindow, approve_button);
  gtk_widget_class_bind_template_child (widget_class, VdWindow, fatigue_banner);
  gtk_widget_class_bind_template_child (widget_class, VdWindow, feedback_input);
  gtk_widget_class_bind_template_callback (widget_class, reviewer_subtitle_cb);
  /* Bound in vd-window.ui, not in the struct: only looked at from outside
   * (gtk_widget_get_template_child()). */
  gtk_widget_class_bind_template_child_full (widget_class, "sidebar_title", FALSE, 0);

  _vd_window_class_init_actions (widget_class);
  _vd_window_class_init_import (widget_class);
  _vd_window_class_init_agent (widget_class);
  _vd_window_class_init_team (widget_class);
  _vd_window_class_init_sla (widget_class);
  _vd_window_class_init_signing (widget_class);

  g_type_ensure (VD_TYPE_AGENT_BANNER);
  g_type_ensure (VD_TYPE_CONNECTION_BANNER);
  g_type_ensure (VD_TYPE_IMPORT_QUEUE);
  g_type_ensure (VD_TYPE_ITEM);
  g_type_ensure (VD_TYPE_ITEM_DETAIL);
  g_type_ensure (VD_TYPE_ITEM_ROW);
  g_type_ensure (VD_TYPE_FATIGUE_BANNER);
  g_type_ensure (VD_TYPE_FEEDBACK_INPUT);
  g_type_ensure (VD_TYPE_SESSION);
}

static void
vd_window_init (VdWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();

  if (g_strcmp0 (PROFILE, "development") == 0)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");

  _vd_window_init_arrow_keys (self);
  g_signal_connect_object (self->detail, "notify::item",
                           G_CALLBACK (detail_item_changed_cb), self, G_CONNECT_SWAPPED);

  gtk_stack_set_visible_child_name (self->main_stack, "loading");
}

/**
 * vd_window_new:
 * @application: (nullable): the application
 * @session: what the window shows and works with
 *
 * Creates a main window. It shows a loading page until the session has a
 * store, or the error that keeps it from opening one.
 *
 * Returns: (transfer full): a new #VdWindow
 */
VdWindow *
vd_window_new (GtkApplication *application,
               VdSession      *session)
{
  g_return_val_if_fail (application == NULL || GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (VD_IS_SESSION (session), NULL);

  return g_object_new (VD_TYPE_WINDOW,
                       "application", application,
                       "session", session,
                       NULL);
}

/**
 * vd_window_get_session:
 * @self: a #VdWindow
 *
 * Returns: (transfer none): the session the window shows
 */
VdSession *
vd_window_get_session (VdWindow *self)
{
  g_return_val_if_fail (VD_IS_WINDOW (self), NULL);

  return self->session;
}

/**
 * vd_window_reload:
 * @self: a #VdWindow
 *
 * Reads the queue list, the counts and the items shown from the store
 * again, on worker threads; the item shown stays selected.
 */
void
vd_window_reload (VdWindow *self)
{
  g_return_if_fail (VD_IS_WINDOW (self));

  if (vd_session_get_store (self->session) == NULL || _vd_window_is_disposed (self))
    return;

  if (self->shown != NULL && self->select_after_load == 0)
    self->select_after_load = vd_item_get_id (self->shown);
  _vd_window_reload_items (self);
  _vd_window_refresh_queues (self);
  _vd_window_refresh_counts (self);
  if (self->shown != NULL)
    vd_item_detail_reload (self->detail);
  _vd_window_update_actions (self);
}

/**
 * vd_window_show_message:
 * @self: a #VdWindow
 * @message: plain text
 *
 * Shows @message in a toast. It is never interpreted as markup.
 */
void
vd_window_show_message (VdWindow   *self,
                        const char *message)
{
  g_autofree char *escaped = NULL;
  AdwToast *toast;

  g_return_if_fail (VD_IS_WINDOW (self));
  g_return_if_fail (message != NULL);

  if (_vd_window_is_disposed (self))
    return;

  escaped = g_markup_escape_text (message, -1);
  toast = adw_toast_new (escaped);
  adw_toast_set_timeout (toast, 5);
  adw_toast_overlay_add_toast (_vd_window_get_toast_overlay (self), toast);
}
