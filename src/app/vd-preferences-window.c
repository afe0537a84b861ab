/* vd-preferences-window.c
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

#define G_LOG_DOMAIN "vd-preferences-window"

#include "config.h"

#include <glib/gi18n.h>

#include "vd-agent-preferences-page.h"
#include "vd-team-preferences-page.h"
#include "vd-preferences-window.h"

struct _VdPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  /* Template widgets */
  AdwPreferencesGroup  *reviewer_group;
  AdwEntryRow          *reviewer_row;
  AdwActionRow         *policy_row;
  GtkWidget            *policy_button;
  GtkWidget            *policy_reset_button;
  AdwActionRow         *threshold_row;
  GtkLabel             *threshold_label;
  AdwActionRow         *database_row;
  GtkWidget            *database_button;
  GtkWidget            *database_reset_button;
  GtkWidget            *fatigue_group;
  GtkSpinButton        *fast_streak_spin;
  GtkSpinButton        *fast_floor_spin;
  GtkSpinButton        *break_minutes_spin;
  AdwActionRow         *key_row;
  GtkWidget            *create_key_button;
  GtkSwitch            *remember_switch;
  GtkSpinButton        *lock_after_spin;

  VdSession            *session;
  gboolean              creating_key;
  GSettings            *settings;
};

G_DEFINE_FINAL_TYPE (VdPreferencesWindow, vd_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

enum {
  PROP_0,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
vd_preferences_window_update_reviewer (VdPreferencesWindow *self)
{
  g_autofree char *value = NULL;

  if (vd_session_get_reviewer_locked (self->session))
    {
      /* The team server's database role decides, not a setting. */
      gtk_editable_set_text (GTK_EDITABLE (self->reviewer_row),
                             vd_session_get_reviewer_id (self->session) != NULL ?
                             vd_session_get_reviewer_id (self->session) : "");
      gtk_widget_set_sensitive (GTK_WIDGET (self->reviewer_row), FALSE);
      adw_preferences_group_set_description (self->reviewer_group,
                                             _("On a team server you review as the database "
                                               "role you log in as."));
      return;
    }

  if (vd_session_get_reviewer_from_env (self->session))
    {
      /* The environment wins; the setting cannot change what is used. */
      gtk_editable_set_text (GTK_EDITABLE (self->reviewer_row),
                             vd_session_get_reviewer_id (self->session));
      gtk_widget_set_sensitive (GTK_WIDGET (self->reviewer_row), FALSE);
      adw_preferences_group_set_description (self->reviewer_group,
                                             _("Set by the VERDICT_REVIEWER environment "
                                               "variable for this session."));
      return;
    }

  if (self->settings == NULL)
    {
      gtk_widget_set_sensitive (GTK_WIDGET (self->reviewer_row), FALSE);
      return;
    }

  value = g_settings_get_string (self->settings, "reviewer-id");
  gtk_editable_set_text (GTK_EDITABLE (self->reviewer_row), value);
}

static void
reviewer_apply_cb (VdPreferencesWindow *self,
                   AdwEntryRow         *row)
{
  g_autofree char *value = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));

  if (self->settings == NULL)
    return;

  /* An empty id is not a reviewer: keep the one set. */
  if (value[0] == '\0')
    {
      vd_preferences_window_update_reviewer (self);
      return;
    }

  g_settings_set_string (self->settings, "reviewer-id", value);
}

static char *
format_type_thresholds (VdPolicy *policy)
{
  g_autoptr(JsonNode) node = vd_policy_to_json (policy);
  g_autoptr(GString) text = g_string_new (NULL);
  JsonObject *object, *types;
  g_autoptr(GList) names = NULL;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;

  object = json_node_get_object (node);
  if (!json_object_has_member (object, "task_types"))
    return NULL;

  types = json_object_get_object_member (object, "task_types");
  if (types == NULL)
    return NULL;

  names = json_object_get_members (types);
  names = g_list_sort (names, (GCompareFunc) g_strcmp0);

  for (const GList *l = names; l != NULL; l = l->next)
    {
      double threshold = vd_policy_get_threshold_for_type (policy, l->data);

      if (text->len > 0)
        g_string_append (text, ", ");
      /* Translators: a task type's own threshold, e.g. "payment: 0.85" */
      g_string_append_printf (text, _("%s: %.2f"), (const char *) l->data, threshold);
    }

  return text->len > 0 ? g_string_free (g_steal_pointer (&text), FALSE) : NULL;
}

static void
vd_preferences_window_update_policy (VdPreferencesWindow *self)
{
  VdPolicy *policy = vd_session_get_policy (self->session);
  g_autofree char *path = NULL;
  g_autofree char *threshold = NULL;
  g_autofree char *types = NULL;

  if (self->settings != NULL)
    path = g_settings_get_string (self->settings, "policy-path");

  if (path != NULL && path[0] != '\0')
    adw_action_row_set_subtitle (self->policy_row, path);
  else
    adw_action_row_set_subtitle (self->policy_row, _("Built-in default policy"));

  gtk_widget_set_sensitive (self->policy_button, self->settings != NULL);
  gtk_widget_set_sensitive (self->policy_reset_button,
                            path != NULL && path[0] != '\0');

  if (policy == NULL)
    {
      gtk_label_set_text (self->threshold_label, "");
      return;
    }

  threshold = g_strdup_printf ("%.2f", vd_policy_get_confidence_threshold (policy));
  gtk_label_set_text (self->threshold_label, threshold);

  types = format_type_thresholds (policy);
  if (types != NULL)
    {
      g_autofree char *subtitle = NULL;

      /* Translators: %s lists task types with thresholds of their own */
      subtitle = g_strdup_printf (_("Below it, items are escalated to a reviewer. Own "
                                    "thresholds: %s"), types);
      adw_action_row_set_subtitle (self->threshold_row, subtitle);
    }
  else
    {
      adw_action_row_set_subtitle (self->threshold_row,
                                   _("Below it, items are escalated to a reviewer."));
    }
}

static void
vd_preferences_window_update_database (VdPreferencesWindow *self)
{
  VdStore *store = vd_session_get_store (self->session);
  g_autofree char *setting = NULL;
  g_autofree char *fallback = NULL;
  const char *shown;

  if (self->settings != NULL)
    setting = g_settings_get_string (self->settings, "database-path");

  if (setting != NULL && setting[0] != '\0')
    shown = setting;
  else if (VD_IS_SQLITE_STORE (store))
    shown = vd_sqlite_store_get_path (VD_SQLITE_STORE (store));
  else
    shown = fallback = vd_sqlite_store_default_path ();

  adw_action_row_set_subtitle (self->database_row, shown);
  gtk_widget_set_sensitive (self->database_button, self->settings != NULL);
  gtk_widget_set_sensitive (self->database_reset_button, setting != NULL && setting[0] != '\0');
}

static void
settings_changed_cb (VdPreferencesWindow *self,
                     const char          *key,
                     GSettings           *settings)
{
  if (g_strcmp0 (key, "reviewer-id") == 0)
    vd_preferences_window_update_reviewer (self);
  else if (g_strcmp0 (key, "policy-path") == 0)
    vd_preferences_window_update_policy (self);
  else if (g_strcmp0 (key, "database-path") == 0)
    vd_preferences_window_update_database (self);
}

typedef struct
{
  VdPreferencesWindow *self;
  const char          *key;
} ChooseJob;

static void
choose_response_cb (GtkNativeDialog *native,
                    int              response,
                    gpointer         user_data)
{
  ChooseJob *job = user_data;
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (native));
  if (file != NULL)
    path = g_file_get_path (file);

  if (path != NULL && job->self->settings != NULL)
    g_settings_set_string (job->self->settings, job->key, path);

  gtk_native_dialog_destroy (native);
  g_object_unref (native);
  g_object_unref (job->self);
  g_free (job);
}

static void
vd_preferences_window_choose (VdPreferencesWindow *self,
                              const char          *title,
                              const char          *key,
                              const char          *pattern,
                              const char          *filter_name)
{
  GtkFileChooserNative *native;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();
  ChooseJob *job;

  native = gtk_file_chooser_native_new (title, GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_OPEN,
                                        _("_Select"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (native), TRUE);

  gtk_file_filter_set_name (filter, filter_name);
  gtk_file_filter_add_pattern (filter, pattern);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (native), filter);
  gtk_file_filter_set_name (all, _("All Files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (native), all);

  job = g_new0 (ChooseJob, 1);
  job->self = g_object_ref (self);
  job->key = key;

  g_signal_connect (native, "response", G_CALLBACK (choose_response_cb), job);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (native));
}

static void
policy_button_clicked_cb (VdPreferencesWindow *self)
{
  vd_preferences_window_choose (self, _("Choose a Policy File"), "policy-path",
                                "*.json", _("Policy Files"));
}

static void
policy_reset_clicked_cb (VdPreferencesWindow *self)
{
  if (self->settings != NULL)
    g_settings_reset (self->settings, "policy-path");
}

static void
database_button_clicked_cb (VdPreferencesWindow *self)
{
  vd_preferences_window_choose (self, _("Choose a Review Database"), "database-path",
                                "*.db", _("Review Databases"));
}

static void
database_reset_clicked_cb (VdPreferencesWindow *self)
{
  if (self->settings != NULL)
    g_settings_reset (self->settings, "database-path");
}

/* The fatigue thresholds: bound to their settings. */
static void
vd_preferences_window_bind_fatigue (VdPreferencesWindow *self)
{
  const struct {
    const char    *key;
    GtkSpinButton *spin;
  } keys[] = {
    { "fatigue-fast-streak", self->fast_streak_spin },
    { "fatigue-fast-floor", self->fast_floor_spin },
    { "fatigue-break-minutes", self->break_minutes_spin },
  };
  g_autoptr(GSettingsSchema) schema = NULL;

  if (self->settings == NULL)
    {
      gtk_widget_set_sensitive (self->fatigue_group, FALSE);
      return;
    }

  g_object_get (self->settings, "settings-schema", &schema, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      if (g_settings_schema_has_key (schema, keys[i].key))
        g_settings_bind (self->settings, keys[i].key,
                         gtk_spin_button_get_adjustment (keys[i].spin), "value",
                         G_SETTINGS_BIND_DEFAULT);
      else
        gtk_widget_set_sensitive (GTK_WIDGET (keys[i].spin), FALSE);
    }
}

/* The signing key */

static void
vd_preferences_window_update_key (VdPreferencesWindow *self)
{
  VdKey *key = vd_session_get_signing_key (self->session);
  const char *reviewer_id = vd_session_get_reviewer_id (self->session);
  g_autoptr(VdKey) stored = NULL;
  g_autofree char *subtitle = NULL;

  if (key == NULL && reviewer_id != NULL &&
      vd_keystore_has_key (vd_session_get_keystore (self->session), reviewer_id))
    stored = vd_keystore_lookup_public (vd_session_get_keystore (self->session), reviewer_id,
                                        NULL);
  if (key == NULL)
    key = stored;

  if (self->creating_key)
    subtitle = g_strdup (_("Creating the key…"));
  else if (key != NULL && vd_session_get_signing_state (self->session) == VD_SIGNING_STATE_UNLOCKED)
    /* Translators: %s is a key id (16 hex digits) */
    subtitle = g_strdup_printf (_("%s, unlocked"), vd_key_get_id (key));
  else if (key != NULL)
    /* Translators: %s is a key id (16 hex digits) */
    subtitle = g_strdup_printf (_("%s, locked"), vd_key_get_id (key));
  else if (reviewer_id == NULL)
    subtitle = g_strdup (_("Set a reviewer ID first"));
  else
    subtitle = g_strdup (_("No signing key"));

  adw_action_row_set_subtitle (self->key_row, subtitle);
  gtk_widget_set_visible (self->create_key_button, key == NULL);
  gtk_widget_set_sensitive (self->create_key_button,
                            reviewer_id != NULL && !self->creating_key);
}

static void
create_key_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(VdPreferencesWindow) self = user_data;
  g_autoptr(VdKey) key = NULL;
  g_autoptr(GError) error = NULL;

  key = vd_session_create_key_finish (VD_SESSION (object), result, &error);
  self->creating_key = FALSE;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (key == NULL)
    {
      g_autofree char *escaped = g_markup_escape_text (error->message, -1);

      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (escaped));
    }

  vd_preferences_window_update_key (self);
}

/* Both passphrases typed and the same: the dialog may create the key. */
static void
key_dialog_changed_cb (AdwMessageDialog *dialog)
{
  GtkEditable *first = g_object_get_data (G_OBJECT (dialog), "first");
  GtkEditable *second = g_object_get_data (G_OBJECT (dialog), "second");
  GtkLabel *hint = g_object_get_data (G_OBJECT (dialog), "hint");
  const char *a = gtk_editable_get_text (first);
  const char *b = gtk_editable_get_text (second);
  gboolean match = g_strcmp0 (a, b) == 0;

  gtk_widget_set_visible (GTK_WIDGET (hint), b[0] != '\0' && !match);
  adw_message_dialog_set_response_enabled (dialog, "create", a[0] != '\0' && match);
}

static void
key_dialog_response_cb (AdwMessageDialog    *dialog,
                        const char          *response,
                        VdPreferencesWindow *self)
{
  GtkEditable *first = g_object_get_data (G_OBJECT (dialog), "first");
  GtkEditable *second = g_object_get_data (G_OBJECT (dialog), "second");

  if (g_strcmp0 (response, "create") == 0 &&
      g_strcmp0 (gtk_editable_get_text (first), gtk_editable_get_text (second)) == 0 &&
      gtk_editable_get_text (first)[0] != '\0')
    {
      self->creating_key = TRUE;
      /* Not cancelled with the window: a key asked for is created. */
      vd_session_create_key_async (self->session, gtk_editable_get_text (first),
                                   NULL, create_key_cb, g_object_ref (self));
      vd_preferences_window_update_key (self);
    }

  gtk_editable_set_text (first, "");
  gtk_editable_set_text (second, "");
}

static GtkWidget *
passphrase_entry_new (const char *label)
{
  GtkWidget *row = adw_password_entry_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), label);

  return row;
}

/* Asks for the new key's passphrase twice, then creates the key on a
 * worker thread. */
static void
create_key_clicked_cb (VdPreferencesWindow *self)
{
  GtkWidget *dialog, *box, *list, *first, *second, *hint;

  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Create a Signing Key"),
                                   _("Choose a passphrase for your key. It is needed to "
                                     "sign in; it cannot be recovered if you forget it."));
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  first = passphrase_entry_new (_("Passphrase"));
  second = passphrase_entry_new (_("Passphrase Again"));
  hint = gtk_label_new (_("The passphrases differ"));
  gtk_widget_add_css_class (hint, "error");
  gtk_widget_set_visible (hint, FALSE);
  gtk_list_box_append (GTK_LIST_BOX (list), first);
  gtk_list_box_append (GTK_LIST_BOX (list), second);
  gtk_box_append (GTK_BOX (box), list);
  gtk_box_append (GTK_BOX (box), hint);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "create", _("C_reate"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "create",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "create", FALSE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "create");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  g_object_set_data (G_OBJECT (dialog), "first", first);
  g_object_set_data (G_OBJECT (dialog), "second", second);
  g_object_set_data (G_OBJECT (dialog), "hint", hint);
  g_signal_connect_swapped (first, "changed", G_CALLBACK (key_dialog_changed_cb), dialog);
  g_signal_connect_swapped (second, "changed", G_CALLBACK (key_dialog_changed_cb), dialog);
  g_signal_connect_object (dialog, "response", G_CALLBACK (key_dialog_response_cb), self, 0);

  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (first);
}

static void
remember_changed_cb (VdPreferencesWindow *self)
{
  if (!gtk_switch_get_active (self->remember_switch))
    vd_session_forget_passphrase (self->session);
}

static void
vd_preferences_window_bind_signing (VdPreferencesWindow *self)
{
  g_signal_connect_object (self->session, "notify::signing-state",
                           G_CALLBACK (vd_preferences_window_update_key), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::signing-key",
                           G_CALLBACK (vd_preferences_window_update_key), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::reviewer-id",
                           G_CALLBACK (vd_preferences_window_update_key), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->create_key_button, "clicked",
                           G_CALLBACK (create_key_clicked_cb), self, G_CONNECT_SWAPPED);

  if (self->settings != NULL)
    {
      g_settings_bind (self->settings, "lock-after-minutes",
                       gtk_spin_button_get_adjustment (self->lock_after_spin), "value",
                       G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (self->settings, "remember-passphrase",
                       self->remember_switch, "active",
                       G_SETTINGS_BIND_DEFAULT);
    }
  else
    {
      gtk_widget_set_sensitive (GTK_WIDGET (self->lock_after_spin), FALSE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->remember_switch), FALSE);
    }
  g_signal_connect_object (self->remember_switch, "notify::active",
                           G_CALLBACK (remember_changed_cb), self, G_CONNECT_SWAPPED);

  vd_preferences_window_update_key (self);
}

static void
vd_preferences_window_constructed (GObject *object)
{
  VdPreferencesWindow *self = (VdPreferencesWindow *)object;

  G_OBJECT_CLASS (vd_preferences_window_parent_class)->constructed (object);

  g_assert (VD_IS_SESSION (self->session));

  self->settings = vd_session_get_settings (self->session);
  if (self->settings != NULL)
    {
      g_object_ref (self->settings);
      g_signal_connect_object (self->settings, "changed",
                               G_CALLBACK (settings_changed_cb), self, G_CONNECT_SWAPPED);
    }

  /* The policy is read on a worker thread: show it once it is in. */
  g_signal_connect_object (self->session, "notify::policy",
                           G_CALLBACK (vd_preferences_window_update_policy), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::store",
                           G_CALLBACK (vd_preferences_window_update_database), self,
                           G_CONNECT_SWAPPED);

  /* The agent's page: endpoint, key, timeouts, concurrency. */
  adw_preferences_window_add (
    ADW_PREFERENCES_WINDOW (self),
    ADW_PREFERENCES_PAGE (vd_agent_preferences_page_new (
      vd_session_get_llm_settings (self->session))));

  /* The team server: a shared PostgreSQL database. */
  adw_preferences_window_add (
    ADW_PREFERENCES_WINDOW (self),
    ADW_PREFERENCES_PAGE (vd_team_preferences_page_new (
      vd_session_get_team_settings (self->session))));

  g_signal_connect_object (self->reviewer_row, "apply",
                           G_CALLBACK (reviewer_apply_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->policy_button, "clicked",
                           G_CALLBACK (policy_button_clicked_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->policy_reset_button, "clicked",
                           G_CALLBACK (policy_reset_clicked_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->database_button, "clicked",
                           G_CALLBACK (database_button_clicked_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->database_reset_button, "clicked",
                           G_CALLBACK (database_reset_clicked_cb), self, G_CONNECT_SWAPPED);

  vd_preferences_window_bind_fatigue (self);
  vd_preferences_window_bind_signing (self);
  vd_preferences_window_update_reviewer (self);
  vd_preferences_window_update_policy (self);
  vd_preferences_window_update_database (self);
}

static void
vd_preferences_window_dispose (GObject *object)
{
  VdPreferencesWindow *self = (VdPreferencesWindow *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), VD_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->settings);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (vd_preferences_window_parent_class)->dispose (object);
}

static void
vd_preferences_window_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  VdPreferencesWindow *self = VD_PREFERENCES_WINDOW (object);

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
vd_preferences_window_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  VdPreferencesWindow *self = VD_PREFERENCES_WINDOW (object);

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
vd_preferences_window_class_init (VdPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = vd_preferences_window_constructed;
  object_class->dispose = vd_preferences_window_dispose;
  object_class->get_property = vd_preferences_window_get_property;
  object_class->set_property = vd_preferences_window_set_property;

  /**
   * VdPreferencesWindow:session:
   *
   * The session whose settings, policy, store and agent are shown.
   */
  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL,
                         VD_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/verdict/Verdict/"
                                               "vd-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, VdPreferencesWindow, reviewer_group);
  gtk_widget_class_bind_template_child (widget_class, VdPreferencesWindow, reviewer_row);
  gtk_widget_class_bind_template_child (widget_class, VdPreferencesWindow, policy_row);
  gtk_widget_class_bind_template_child (widget_class, VdPreferencesWindow, policy_button);
  gtk_widget_class_bind_template_child (widget_class, VdPreferencesWindow, policy_reset_button);
  gtk_widget_class_bind_template_child (widget_class, VdPreferencesWindow, threshold_row);
  gtk_widget_class_bind_template_child (widget_class, VdPreferencesWindow, threshold_label);
  gtk_widget_class_bind_template_child (widget_class, VdPreferencesWindow, database_row);
  gtk_widget_class_bind_template_child (widget_class, VdPreferencesWindow, database_button);
  gtk_widget_class_bind_template_child (widget_class, VdPreferencesWindow, database_reset_button);
  gtk_widget_class_bind_template_child (widget_class, VdPreferencesWindow, fatigue_group);
  gtk_widget_class_bind_template_child (widget_class, VdPreferencesWindow, fast_streak_spin);
  gtk_widget_class_bind_template_child (widget_class, VdPreferencesWindow, fast_floor_spin);
  gtk_widget_class_bind_template_child (widget_class, VdPreferencesWindow, break_minutes_spin);
  gtk_widget_class_bind_template_child (widget_class, VdPreferencesWindow, key_row);
  gtk_widget_class_bind_template_child (widget_class, VdPreferencesWindow, create_key_button);
  gtk_widget_class_bind_template_child (widget_class, VdPreferencesWindow, remember_switch);
  gtk_widget_class_bind_template_child (widget_class, VdPreferencesWindow, lock_after_spin);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
vd_preferences_window_init (VdPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * vd_preferences_window_new:
 * @session: the session to show and change the settings of
 *
 * Returns: (transfer full): a new preferences window
 */
VdPreferencesWindow *
vd_preferences_window_new (VdSession *session)
{
  g_return_val_if_fail (VD_IS_SESSION (session), NULL);

  return g_object_new (VD_TYPE_PREFERENCES_WINDOW,
                       "session", session,
                       NULL);
}
