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

#define G_LOG_DOMAIN "vd-window"

#include "config.h"

#include <glib/gi18n.h>

#include "vd-application.h"
#include "vd-item-row.h"
#include "vd-reviewer-dialog.h"
#include "vd-window-private.h"

G_DEFINE_FINAL_TYPE (VdWindow, vd_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_STORE,
  PROP_POLICY,
  PROP_IMPORTING,
  PROP_REVIEWER_ID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

gboolean
_vd_window_error_is_cancelled (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
         g_error_matches (error, VD_STORE_ERROR, VD_STORE_ERROR_CANCELLED);
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

  if (self->disposed)
    return;

  dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, NULL);
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (dialog), message);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "close");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "close");
  g_signal_connect (dialog, "response", G_CALLBACK (error_dialog_response_cb), NULL);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
vd_window_update_reviewer_label (VdWindow *self)
{
  g_autofree char *subtitle = NULL;

  if (self->reviewer_id != NULL)
    /* Translators: the window subtitle, %s is the reviewer id, e.g. "Reviewing as alice" */
    subtitle = g_strdup_printf (_("Reviewing as %s"), self->reviewer_id);
  else
    subtitle = g_strdup (_("No reviewer id set"));

  /* AdwWindowTitle shows plain text. */
  adw_window_title_set_subtitle (self->sidebar_title, subtitle);
  adw_window_title_set_subtitle (self->empty_title, subtitle);
}

void
_vd_window_set_reviewer_id (VdWindow   *self,
                            const char *reviewer_id)
{
  g_autofree char *stripped = NULL;

  g_assert (VD_IS_WINDOW (self));

  if (reviewer_id != NULL)
    {
      stripped = g_strstrip (g_strdup (reviewer_id));
      if (stripped[0] == '\0')
        g_clear_pointer (&stripped, g_free);
    }

  if (g_strcmp0 (stripped, self->reviewer_id) == 0)
    return;

  g_free (self->reviewer_id);
  self->reviewer_id = g_steal_pointer (&stripped);

  vd_window_update_reviewer_label (self);
  _vd_window_update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REVIEWER_ID]);
}

static void
reviewer_setting_changed_cb (VdWindow   *self,
                             const char *key,
                             GSettings  *settings)
{
  g_autofree char *value = NULL;

  if (self->reviewer_from_env)
    return;

  value = g_settings_get_string (settings, "reviewer-id");
  _vd_window_set_reviewer_id (self, value);
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

  if (reviewer_id == NULL || self->disposed)
    return;

  /* The setting notifies the window (and every other window). */
  if (self->settings != NULL && !self->reviewer_from_env)
    g_settings_set_string (self->settings, "reviewer-id", reviewer_id);
  _vd_window_set_reviewer_id (self, reviewer_id);
}

/* Asks who reviews, at first start or when a decision needs it. */
void
_vd_window_ask_reviewer (VdWindow *self)
{
  g_assert (VD_IS_WINDOW (self));

  if (self->asking_reviewer || self->disposed)
    return;

  self->asking_reviewer = TRUE;
  vd_reviewer_dialog_run_async (GTK_WINDOW (self),
                                self->reviewer_id,
                                self->cancellable,
                                reviewer_dialog_cb,
                                g_object_ref (self));
}

static void
vd_window_init_reviewer (VdWindow *self)
{
  const char *env = g_getenv ("VERDICT_REVIEWER");

  if (env != NULL && env[0] != '\0')
    {
      self->reviewer_from_env = TRUE;
      _vd_window_set_reviewer_id (self, env);
    }
  else if (self->settings != NULL)
    {
      g_autofree char *value = g_settings_get_string (self->settings, "reviewer-id");

      _vd_window_set_reviewer_id (self, value);
      g_signal_connect_object (self->settings, "changed::reviewer-id",
                               G_CALLBACK (reviewer_setting_changed_cb), self,
                               G_CONNECT_SWAPPED);
    }

  vd_window_update_reviewer_label (self);
}

static void
vd_window_map (GtkWidget *widget)
{
  VdWindow *self = VD_WINDOW (widget);

  GTK_WIDGET_CLASS (vd_window_parent_class)->map (widget);

  /* First start: ask who reviews once the window is on screen. */
  if (self->reviewer_id == NULL)
    _vd_window_ask_reviewer (self);
}

/* The feedback given with a decision belongs to the item shown. */
static void
detail_item_changed_cb (VdWindow *self)
{
  vd_feedback_input_set_item (self->feedback_input, vd_item_detail_get_item (self->detail));
}

/* The thresholds of the fatigue prompt, from the preferences. */
static void
vd_window_bind_fatigue (VdWindow *self)
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

  g_object_get (self->settings, "settings-schema", &schema, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    if (g_settings_schema_has_key (schema, keys[i].key))
      g_settings_bind (self->settings, keys[i].key, self->fatigue_banner, keys[i].property,
                       G_SETTINGS_BIND_GET);
}

static void
vd_window_constructed (GObject *object)
{
  VdWindow *self = (VdWindow *)object;

  G_OBJECT_CLASS (vd_window_parent_class)->constructed (object);

  self->settings = vd_application_new_settings ();
  if (self->settings != NULL)
    {
      g_settings_bind (self->settings, "window-width",
                       self, "default-width", G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (self->settings, "window-height",
                       self, "default-height", G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (self->settings, "window-maximized",
                       self, "maximized", G_SETTINGS_BIND_DEFAULT);
      vd_window_bind_fatigue (self);
    }

  vd_window_init_reviewer (self);
  _vd_window_init_list (self);
  _vd_window_update_actions (self);
}

static void
vd_window_dispose (GObject *object)
{
  VdWindow *self = (VdWindow *)object;

  self->disposed = TRUE;
  g_cancellable_cancel (self->cancellable);

  if (self->settings != NULL)
    {
      g_settings_unbind (self, "default-width");
      g_settings_unbind (self, "default-height");
      g_settings_unbind (self, "maximized");
    }

  _vd_window_dispose_import (self);
  _vd_window_dispose_list (self);
  _vd_window_dispose_agent (self);
  _vd_window_dispose_sla (self);

  if (self->decision_toast != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->decision_toast),
                                  (gpointer *) &self->decision_toast);
  self->decision_toast = NULL;

  gtk_widget_dispose_template (GTK_WIDGET (self), VD_TYPE_WINDOW);

  g_clear_object (&self->settings);
  g_clear_object (&self->store);
  g_clear_object (&self->policy);
  g_clear_pointer (&self->session, g_ptr_array_unref);
  g_clear_pointer (&self->deciding, g_hash_table_unref);

  G_OBJECT_CLASS (vd_window_parent_class)->dispose (object);
}

static void
vd_window_finalize (GObject *object)
{
  VdWindow *self = (VdWindow *)object;

  g_assert (self->importer == NULL);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->import_cancellable);
  g_clear_pointer (&self->import_files, g_ptr_array_unref);
  g_clear_pointer (&self->reviewer_id, g_free);
  g_clear_pointer (&self->queue, g_free);
  g_clear_pointer (&self->search, g_free);

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
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_POLICY:
      g_value_set_object (value, self->policy);
      break;

    case PROP_IMPORTING:
      g_value_set_boolean (value, vd_window_get_importing (self));
      break;

    case PROP_REVIEWER_ID:
      g_value_set_string (value, self->reviewer_id);
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
    case PROP_STORE:
      vd_window_set_store (self, g_value_get_object (value));
      break;

    case PROP_POLICY:
      vd_window_set_policy (self, g_value_get_object (value));
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
   * VdWindow:store: (nullable)
   *
   * The review database the window shows.
   */
  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         VD_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * VdWindow:policy: (nullable)
   *
   * The escalation policy: applied to imported items, and the thresholds
   * the confidence is shown against. The built-in default when %NULL.
   */
  properties[PROP_POLICY] =
    g_param_spec_object ("policy", NULL, NULL,
                         VD_TYPE_POLICY,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * VdWindow:importing:
   *
   * Whether an import is running.
   */
  properties[PROP_IMPORTING] =
    g_param_spec_boolean ("importing", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * VdWindow:reviewer-id: (nullable)
   *
   * The reviewer id recorded with every decision: `VERDICT_REVIEWER` when
   * set, else the `reviewer-id` setting.
   */
  properties[PROP_REVIEWER_ID] =
    g_param_spec_string ("reviewer-id", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/verdict/Verdict/vd-window.ui");
  gtk_widget_class_bind_template_child (widget_class, VdWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, VdWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, VdWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, VdWindow, empty_page);
  gtk_widget_class_bind_template_child (widget_class, VdWindow, empty_title);
  gtk_widget_class_bind_template_child (widget_class, VdWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, VdWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, VdWindow, content);
  gtk_widget_class_bind_template_child (widget_class, VdWindow, sidebar_title);
  gtk_widget_class_bind_template_child (widget_class, VdWindow, content_title);
  gtk_widget_class_bind_template_child (widget_class, VdWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, VdWindow, sort_button);
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
  gtk_widget_class_bind_template_child (widget_class, VdWindow, progress_revealer);
  gtk_widget_class_bind_template_child (widget_class, VdWindow, progress_label);
  gtk_widget_class_bind_template_child (widget_class, VdWindow, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, VdWindow, fatigue_banner);
  gtk_widget_class_bind_template_child (widget_class, VdWindow, feedback_input);

  _vd_window_class_init_actions (widget_class);
  _vd_window_class_init_agent (widget_class);
  _vd_window_class_init_sla (widget_class);

  g_type_ensure (VD_TYPE_ITEM);
  g_type_ensure (VD_TYPE_ITEM_DETAIL);
  g_type_ensure (VD_TYPE_ITEM_ROW);
  g_type_ensure (VD_TYPE_FATIGUE_BANNER);
  g_type_ensure (VD_TYPE_FEEDBACK_INPUT);
}

static void
vd_window_init (VdWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->reason = -1;
  self->deciding = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->session = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                  _vd_window_session_decision_free);

  if (g_strcmp0 (PROFILE, "development") == 0)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");

  _vd_window_init_arrow_keys (self);
  _vd_window_init_import (self);
  _vd_window_init_agent (self);
  g_signal_connect_object (self->detail, "notify::item",
                           G_CALLBACK (detail_item_changed_cb), self, G_CONNECT_SWAPPED);
  _vd_window_init_sla (self);

  gtk_stack_set_visible_child_name (self->main_stack, "loading");
}

/**
 * vd_window_new:
 * @application: (nullable): the application
 *
 * Creates a main window. It shows a loading page until it is given a store
 * with vd_window_set_store() or an error with vd_window_show_store_error().
 *
 * Returns: (transfer full): a new #VdWindow
 */
VdWindow *
vd_window_new (GtkApplication *application)
{
  g_return_val_if_fail (application == NULL || GTK_IS_APPLICATION (application), NULL);

  return g_object_new (VD_TYPE_WINDOW,
                       "application", application,
                       NULL);
}

/**
 * vd_window_get_store:
 * @self: a #VdWindow
 *
 * Returns: (transfer none) (nullable): the store shown
 */
VdStore *
vd_window_get_store (VdWindow *self)
{
  g_return_val_if_fail (VD_IS_WINDOW (self), NULL);

  return self->store;
}

/**
 * vd_window_set_store:
 * @self: a #VdWindow
 * @store: (nullable): the store to show
 *
 * Shows @store, and runs the imports that were waiting for one.
 */
void
vd_window_set_store (VdWindow *self,
                     VdStore  *store)
{
  g_return_if_fail (VD_IS_WINDOW (self));
  g_return_if_fail (store == NULL || VD_IS_STORE (store));

  if (!g_set_object (&self->store, store))
    return;

  self->store_failed = FALSE;
  g_ptr_array_set_size (self->session, 0);
  g_hash_table_remove_all (self->notified);
  gtk_stack_set_visible_child_name (self->main_stack, "loading");

  vd_fatigue_banner_set_store (self->fatigue_banner, store);
  _vd_window_bind_store (self);
  _vd_window_start_import (self);
  _vd_window_update_actions (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}

/**
 * vd_window_get_policy:
 * @self: a #VdWindow
 *
 * Returns: (transfer none) (nullable): the policy for imports
 */
VdPolicy *
vd_window_get_policy (VdWindow *self)
{
  g_return_val_if_fail (VD_IS_WINDOW (self), NULL);

  return self->policy;
}

/**
 * vd_window_set_policy:
 * @self: a #VdWindow
 * @policy: (nullable): the escalation policy
 *
 * Sets the policy applied to imported items that carry no escalation
 * reason, whose thresholds the confidence badges are shown against; %NULL
 * means the built-in default policy.
 */
void
vd_window_set_policy (VdWindow *self,
                      VdPolicy *policy)
{
  g_return_if_fail (VD_IS_WINDOW (self));
  g_return_if_fail (policy == NULL || VD_IS_POLICY (policy));

  if (!g_set_object (&self->policy, policy))
    return;

  g_object_set (self->detail, "policy", policy, NULL);
  {
    g_auto(GStrv) categories = policy != NULL ? vd_policy_dup_feedback_categories (policy) : NULL;

    vd_feedback_input_set_categories (self->feedback_input, (const char * const *) categories);
  }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POLICY]);
}

/**
 * vd_window_get_reviewer_id:
 * @self: a #VdWindow
 *
 * Returns: (nullable): the reviewer id recorded with decisions
 */
const char *
vd_window_get_reviewer_id (VdWindow *self)
{
  g_return_val_if_fail (VD_IS_WINDOW (self), NULL);

  return self->reviewer_id;
}

/**
 * vd_window_show_store_error:
 * @self: a #VdWindow
 * @error: why the store could not be opened
 *
 * Shows the error page with @error's message. Imports waiting for the
 * store are dropped.
 */
void
vd_window_show_store_error (VdWindow     *self,
                            const GError *error)
{
  g_autofree char *escaped = NULL;

  g_return_if_fail (VD_IS_WINDOW (self));
  g_return_if_fail (error != NULL);

  g_clear_object (&self->store);
  self->store_failed = TRUE;
  _vd_window_bind_store (self);
  _vd_window_clear_queued_imports (self);

  /* The status page description is markup; the message may quote a path. */
  escaped = g_markup_printf_escaped ("%s\n\n%s", error->message,
                                     _("Start Verdict with --db PATH to use another database."));
  adw_status_page_set_title (self->error_page, _("Cannot Open the Review Database"));
  adw_status_page_set_description (self->error_page, escaped);
  gtk_stack_set_visible_child_name (self->main_stack, "error");
  _vd_window_update_actions (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}

/**
 * vd_window_reload:
 * @self: a #VdWindow
 *
 * Reads the queue list, the counts and the items shown from the store
 * again, on worker threads.
 */
void
vd_window_reload (VdWindow *self)
{
  g_return_if_fail (VD_IS_WINDOW (self));

  if (self->store == NULL)
    return;

  _vd_window_reload_items (self);
  _vd_window_refresh_queues (self);
  _vd_window_refresh_counts (self);
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

  if (self->disposed)
    return;

  escaped = g_markup_escape_text (message, -1);
  toast = adw_toast_new (escaped);
  adw_toast_set_timeout (toast, 5);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/**
 * vd_window_get_importing:
 * @self: a #VdWindow
 *
 * Returns: whether an import is running
 */
gboolean
vd_window_get_importing (VdWindow *self)
{
  g_return_val_if_fail (VD_IS_WINDOW (self), FALSE);

  return self->importer != NULL;
}

void
_vd_window_notify_importing (VdWindow *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IMPORTING]);
}

const char *
_vd_window_get_visible_page (VdWindow *self)
{
  g_return_val_if_fail (VD_IS_WINDOW (self), NULL);

  return gtk_stack_get_visible_child_name (self->main_stack);
}

const char *
_vd_window_get_list_page (VdWindow *self)
{
  g_return_val_if_fail (VD_IS_WINDOW (self), NULL);

  return gtk_stack_get_visible_child_name (self->list_stack);
}

GListModel *
_vd_window_get_items (VdWindow *self)
{
  g_return_val_if_fail (VD_IS_WINDOW (self), NULL);

  return G_LIST_MODEL (self->items);
}

GtkWidget *
_vd_window_get_list_view (VdWindow *self)
{
  g_return_val_if_fail (VD_IS_WINDOW (self), NULL);

  return GTK_WIDGET (self->list_view);
}

GtkWidget *
_vd_window_get_detail (VdWindow *self)
{
  g_return_val_if_fail (VD_IS_WINDOW (self), NULL);

  return GTK_WIDGET (self->detail);
}

GtkWidget *
_vd_window_get_search_entry (VdWindow *self)
{
  g_return_val_if_fail (VD_IS_WINDOW (self), NULL);

  return GTK_WIDGET (self->search_entry);
}

GtkWidget *
_vd_window_get_approve_button (VdWindow *self)
{
  g_return_val_if_fail (VD_IS_WINDOW (self), NULL);

  return self->approve_button;
}

const char *
_vd_window_get_counts_text (VdWindow *self)
{
  g_return_val_if_fail (VD_IS_WINDOW (self), NULL);

  return gtk_label_get_text (self->counts_label);
}

const char *
_vd_window_get_reviewer_text (VdWindow *self)
{
  g_return_val_if_fail (VD_IS_WINDOW (self), NULL);

  return adw_window_title_get_subtitle (self->sidebar_title);
}

VdItem *
_vd_window_get_shown_item (VdWindow *self)
{
  g_return_val_if_fail (VD_IS_WINDOW (self), NULL);

  return self->shown;
}

guint
_vd_window_get_n_session_decisions (VdWindow *self)
{
  g_return_val_if_fail (VD_IS_WINDOW (self), 0);

  return self->session->len;
}

/* Whether decisions or an undo are on their way to the store. */
gboolean
_vd_window_get_busy (VdWindow *self)
{
  g_return_val_if_fail (VD_IS_WINDOW (self), FALSE);

  return self->n_recording > 0 || self->undoing;
}
