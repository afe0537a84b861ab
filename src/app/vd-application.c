/* vd-application.c
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

#define G_LOG_DOMAIN "vd-application"

#include "config.h"

#include <glib/gi18n.h>

#include "vd-application-private.h"
#include "vd-window-private.h"

/* The schema id does not change with the development profile. */
#define SETTINGS_SCHEMA_ID "io.github.verdict.Verdict"

struct _VdApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;
  GCancellable   *cancellable;

  char           *db_path;        /* from --db */

  VdStore        *store;
  GError         *store_error;

  VdPolicy       *policy;
  GCancellable   *policy_cancellable;
  char           *policy_message; /* a policy error not shown yet */

  VdLlmSettings  *llm_settings;
  VdWorkflow     *workflow;       /* once the store is open */

  /* Applies the deadline fallbacks while the application runs, once the
   * store is open and the configured policy is read. */
  VdSlaTimer     *sla_timer;
};

G_DEFINE_FINAL_TYPE (VdApplication, vd_application, ADW_TYPE_APPLICATION)

enum {
  PROP_0,
  PROP_STORE,
  PROP_POLICY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/**
 * vd_application_new_settings:
 *
 * Creates the application's settings when the schema is installed (or
 * found through `GSETTINGS_SCHEMA_DIR`).
 *
 * Returns: (transfer full) (nullable): the settings, or %NULL without a schema
 */
GSettings *
vd_application_new_settings (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source == NULL)
    return NULL;

  schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema == NULL)
    schema = g_settings_schema_source_lookup (source, SETTINGS_SCHEMA_ID, TRUE);
  if (schema == NULL)
    return NULL;

  return g_settings_new_full (schema, NULL, NULL);
}

/* The deadline timer resolves fallbacks with the configured policy: it
 * waits while the policy file is read, never applying the default one. */
static void
vd_application_update_sla_timer (VdApplication *self)
{
  if (self->store == NULL || g_cancellable_is_cancelled (self->cancellable))
    return;

  if (self->policy_cancellable != NULL)
    {
      if (self->sla_timer != NULL)
        vd_sla_timer_stop (self->sla_timer);
      return;
    }

  if (self->sla_timer == NULL)
    self->sla_timer = vd_sla_timer_new (self->store, self->policy);
  else
    vd_sla_timer_set_policy (self->sla_timer, self->policy);

  if (!vd_sla_timer_get_running (self->sla_timer))
    vd_sla_timer_start (self->sla_timer);
}

static void
vd_application_update_window (VdApplication *self,
                              VdWindow      *window)
{
  vd_window_set_policy (window, self->policy);
  _vd_window_set_sla_timer (window, self->sla_timer);
  _vd_window_set_agent (window, self->llm_settings, self->workflow);

  if (self->store_error != NULL)
    {
      vd_window_show_store_error (window, self->store_error);
      return;
    }

  /* The files given at start wait for the configured policy: importing
   * them with the default one would auto-approve what it may escalate. */
  if (self->store != NULL &&
      (self->policy_cancellable == NULL || vd_window_get_store (window) != NULL))
    vd_window_set_store (window, self->store);
}

static void
vd_application_update_windows (VdApplication *self)
{
  vd_application_update_sla_timer (self);

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    {
      if (VD_IS_WINDOW (l->data))
        vd_application_update_window (self, l->data);
    }
}

/*
 * _vd_application_adopt_policy:
 * @self: a #VdApplication
 * @policy: a policy read from a file other than the configured one
 *
 * Makes @policy the one the windows show and the deadline timer applies,
 * for this session: the bundled sample queue brings its own. The
 * configured policy file, when there is one, always wins.
 */
void
_vd_application_adopt_policy (VdApplication *self,
                              VdPolicy      *policy)
{
  g_return_if_fail (VD_IS_APPLICATION (self));
  g_return_if_fail (VD_IS_POLICY (policy));

  if (vd_application_has_policy_file (self) || self->policy_cancellable != NULL)
    return;

  g_set_object (&self->policy, policy);
  if (self->workflow != NULL)
    vd_workflow_set_policy (self->workflow, policy);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POLICY]);
  vd_application_update_windows (self);
}

static void
vd_application_flush_policy_message (VdApplication *self)
{
  GtkWindow *window;

  if (self->policy_message == NULL)
    return;

  window = gtk_application_get_active_window (GTK_APPLICATION (self));
  if (!VD_IS_WINDOW (window))
    return;

  vd_window_show_message (VD_WINDOW (window), self->policy_message);
  g_clear_pointer (&self->policy_message, g_free);
}

VdWindow *
_vd_application_ensure_window (VdApplication *self)
{
  GtkWindow *window;

  g_assert (VD_IS_APPLICATION (self));

  window = gtk_application_get_active_window (GTK_APPLICATION (self));
  if (VD_IS_WINDOW (window))
    return VD_WINDOW (window);

  window = GTK_WINDOW (vd_window_new (GTK_APPLICATION (self)));
  vd_application_update_window (self, VD_WINDOW (window));

  return VD_WINDOW (window);
}

static char *
vd_application_dup_db_path (VdApplication *self)
{
  const char *env;

  if (self->db_path != NULL && self->db_path[0] != '\0')
    return g_strdup (self->db_path);

  env = g_getenv ("VERDICT_DB");
  if (env != NULL && env[0] != '\0')
    return g_strdup (env);

  if (self->settings != NULL)
    {
      g_autofree char *path = g_settings_get_string (self->settings, "database-path");

      if (path[0] != '\0')
        return g_steal_pointer (&path);
    }

  return vd_sqlite_store_default_path ();
}

static void
store_opened_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(VdApplication) self = user_data;
  g_autoptr(VdSqliteStore) store = NULL;
  g_autoptr(GError) error = NULL;

  store = vd_sqlite_store_new_finish (result, &error);

  g_application_release (G_APPLICATION (self));

  if (g_cancellable_is_cancelled (self->cancellable))
    return;

  if (store == NULL)
    {
      g_debug ("Cannot open the review database: %s", error->message);
      self->store_error = g_steal_pointer (&error);
    }
  else
    {
      g_autoptr(VdLlmClient) client = NULL;

      self->store = VD_STORE (g_steal_pointer (&store));

      if (self->llm_settings != NULL)
        client = vd_llm_settings_create_client (self->llm_settings);
      self->workflow = vd_workflow_new (self->store, self->policy, client);

      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
    }

  vd_application_update_windows (self);
}

static void
vd_application_open_store (VdApplication *self)
{
  g_autofree char *path = vd_application_dup_db_path (self);

  g_debug ("Opening the review database %s", path);

  g_application_hold (G_APPLICATION (self));
  vd_sqlite_store_new_async (path, self->cancellable, store_opened_cb, g_object_ref (self));
}

static void
load_policy_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  const char *path = task_data;
  GError *error = NULL;
  VdPolicy *policy;

  policy = vd_policy_new_from_file (path, &error);

  if (policy == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, policy, g_object_unref);
}

void
_vd_application_load_policy_async (VdApplication       *self,
                                   const char          *path,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_assert (VD_IS_APPLICATION (self));
  g_assert (path != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, _vd_application_load_policy_async);
  g_task_set_task_data (task, g_strdup (path), g_free);
  g_task_run_in_thread (task, load_policy_thread);
}

VdPolicy *
_vd_application_load_policy_finish (VdApplication  *self,
                                    GAsyncResult   *result,
                                    GError        **error)
{
  g_assert (VD_IS_APPLICATION (self));
  g_assert (g_task_is_valid (result, self));

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
load_policy_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  VdApplication *self = VD_APPLICATION (object);
  g_autoptr(VdPolicy) policy = NULL;
  g_autoptr(GError) error = NULL;

  policy = _vd_application_load_policy_finish (self, result, &error);

  /* A newer setting superseded this load. */
  if (g_task_get_cancellable (G_TASK (result)) != self->policy_cancellable)
    return;

  g_clear_object (&self->policy_cancellable);

  if (policy == NULL)
    {
      g_free (self->policy_message);
      /* Translators: %s is the reason, e.g. "policy.json: rules[0].op: expected ..." */
      self->policy_message = g_strdup_printf (_("Using the default policy: %s"), error->message);
    }
  else
    {
      g_set_object (&self->policy, policy);
      if (self->workflow != NULL)
        vd_workflow_set_policy (self->workflow, policy);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POLICY]);
    }

  vd_application_update_windows (self);
  vd_application_flush_policy_message (self);
}

static void
vd_application_load_policy (VdApplication *self)
{
  g_autofree char *path = NULL;

  g_cancellable_cancel (self->policy_cancellable);
  g_clear_object (&self->policy_cancellable);

  /* Until a policy file is read (or when it cannot be), the built-in
   * default applies. */
  g_clear_object (&self->policy);
  self->policy = vd_policy_new ();
  if (self->workflow != NULL)
    vd_workflow_set_policy (self->workflow, self->policy);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POLICY]);

  if (self->settings != NULL)
    path = g_settings_get_string (self->settings, "policy-path");
  if (path != NULL && path[0] != '\0')
    self->policy_cancellable = g_cancellable_new ();

  vd_application_update_windows (self);

  if (self->policy_cancellable == NULL)
    return;

  _vd_application_load_policy_async (self, path, self->policy_cancellable, load_policy_cb, NULL);
}

static void
policy_path_changed_cb (VdApplication *self,
                        const char    *key,
                        GSettings     *settings)
{
  vd_application_load_policy (self);
}

/* The endpoint's configuration changed: the workflow's client follows. */
static void
llm_settings_changed_cb (VdApplication *self,
                         VdLlmSettings *settings)
{
  VdLlmClient *client;

  if (self->workflow == NULL)
    return;

  client = vd_workflow_get_client (self->workflow);

  if (vd_llm_settings_get_endpoint (settings)[0] == '\0')
    vd_workflow_set_client (self->workflow, NULL);
  else if (client == NULL)
    {
      g_autoptr(VdLlmClient) created = vd_llm_settings_create_client (settings);

      vd_workflow_set_client (self->workflow, created);
    }
  else
    vd_llm_settings_apply_to_client (settings, client);
}

static int
vd_application_handle_local_options (GApplication *app,
                                     GVariantDict *options)
{
  VdApplication *self = VD_APPLICATION (app);
  g_autofree char *db_path = NULL;

  if (g_variant_dict_lookup (options, "db", "^ay", &db_path))
    {
      g_free (self->db_path);
      self->db_path = g_steal_pointer (&db_path);
    }

  return G_APPLICATION_CLASS (vd_application_parent_class)->handle_local_options (app, options);
}

static void
vd_application_startup (GApplication *app)
{
  VdApplication *self = VD_APPLICATION (app);

  G_APPLICATION_CLASS (vd_application_parent_class)->startup (app);

  gtk_window_set_default_icon_name (APP_ID);

  self->settings = vd_application_new_settings ();
  if (self->settings != NULL)
    g_signal_connect_object (self->settings, "changed::policy-path",
                             G_CALLBACK (policy_path_changed_cb), self,
                             G_CONNECT_SWAPPED);

  /* The model endpoint: probed in the background, never blocking. */
  self->llm_settings = vd_llm_settings_new (self->settings);
  g_signal_connect_object (self->llm_settings, "changed",
                           G_CALLBACK (llm_settings_changed_cb), self,
                           G_CONNECT_SWAPPED);

  _vd_application_init_actions (self);

  vd_application_load_policy (self);
  vd_application_open_store (self);
}

static void
vd_application_shutdown (GApplication *app)
{
  VdApplication *self = VD_APPLICATION (app);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->policy_cancellable);
  if (self->sla_timer != NULL)
    vd_sla_timer_stop (self->sla_timer);

  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_func (self->settings, policy_path_changed_cb, self);
  if (self->llm_settings != NULL)
    g_signal_handlers_disconnect_by_func (self->llm_settings, llm_settings_changed_cb, self);

  G_APPLICATION_CLASS (vd_application_parent_class)->shutdown (app);
}

static void
vd_application_activate (GApplication *app)
{
  VdApplication *self = VD_APPLICATION (app);
  VdWindow *window;

  window = _vd_application_ensure_window (self);
  gtk_window_present (GTK_WINDOW (window));
  vd_application_flush_policy_message (self);
}

static void
vd_application_open (GApplication  *app,
                     GFile        **files,
                     int            n_files,
                     const char    *hint)
{
  VdApplication *self = VD_APPLICATION (app);
  g_autofree char *dir = vd_application_dup_samples_dir (self);
  g_autofree char *sample_path = g_build_filename (dir, "review-queue.jsonl", NULL);
  g_autoptr(GFile) sample = g_file_new_for_path (sample_path);
  VdWindow *window;

  /* The bundled sample, alone: with its own policy, as "Open Sample" does. */
  if (n_files == 1 && g_file_equal (files[0], sample))
    {
      g_action_group_activate_action (G_ACTION_GROUP (self), "open-sample", NULL);
      return;
    }

  window = _vd_application_ensure_window (self);
  gtk_window_present (GTK_WINDOW (window));
  vd_application_flush_policy_message (self);

  vd_window_import_files (window, files, n_files);
}

static void
vd_application_dispose (GObject *object)
{
  VdApplication *self = (VdApplication *)object;

  g_clear_object (&self->settings);
  g_clear_object (&self->workflow);
  g_clear_object (&self->sla_timer);
  g_clear_object (&self->llm_settings);
  g_clear_object (&self->store);
  g_clear_object (&self->policy);
  g_clear_object (&self->policy_cancellable);

  G_OBJECT_CLASS (vd_application_parent_class)->dispose (object);
}

static void
vd_application_finalize (GObject *object)
{
  VdApplication *self = (VdApplication *)object;

  g_clear_object (&self->cancellable);
  g_clear_error (&self->store_error);
  g_clear_pointer (&self->db_path, g_free);
  g_clear_pointer (&self->policy_message, g_free);

  G_OBJECT_CLASS (vd_application_parent_class)->finalize (object);
}

static void
vd_application_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  VdApplication *self = VD_APPLICATION (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_POLICY:
      g_value_set_object (value, self->policy);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vd_application_class_init (VdApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = vd_application_dispose;
  object_class->finalize = vd_application_finalize;
  object_class->get_property = vd_application_get_property;

  app_class->handle_local_options = vd_application_handle_local_options;
  app_class->startup = vd_application_startup;
  app_class->shutdown = vd_application_shutdown;
  app_class->activate = vd_application_activate;
  app_class->open = vd_application_open;

  /**
   * VdApplication:store: (nullable)
   *
   * The review database, once it is open.
   */
  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         VD_TYPE_STORE,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * VdApplication:policy:
   *
   * The escalation policy for imports: the `policy-path` setting's file
   * once read, the built-in default until then or when it cannot be.
   */
  properties[PROP_POLICY] =
    g_param_spec_object ("policy", NULL, NULL,
                         VD_TYPE_POLICY,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
vd_application_init (VdApplication *self)
{
  self->cancellable = g_cancellable_new ();

  g_application_add_main_option (G_APPLICATION (self), "db", 0,
                                 G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME,
                                 _("Open the review database at PATH"), _("PATH"));
  g_application_set_option_context_parameter_string (G_APPLICATION (self), _("[FILE…]"));
  g_application_set_option_context_summary (
    G_APPLICATION (self), _("Review the decisions AI agents escalate to a human."));
}

/**
 * vd_application_new:
 * @application_id: the application id
 * @flags: flags; %G_APPLICATION_HANDLES_OPEN is always added
 *
 * Returns: (transfer full): a new #VdApplication
 */
VdApplication *
vd_application_new (const char        *application_id,
                    GApplicationFlags  flags)
{
  g_return_val_if_fail (application_id != NULL, NULL);

  return g_object_new (VD_TYPE_APPLICATION,
                       "application-id", application_id,
                       "flags", flags | G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", RESOURCE_PATH,
                       NULL);
}

/**
 * vd_application_get_store:
 * @self: a #VdApplication
 *
 * Returns: (transfer none) (nullable): the review database, %NULL while it
 *   opens or when it could not be opened
 */
VdStore *
vd_application_get_store (VdApplication *self)
{
  g_return_val_if_fail (VD_IS_APPLICATION (self), NULL);

  return self->store;
}

/**
 * vd_application_get_store_error:
 * @self: a #VdApplication
 *
 * Returns: (transfer none) (nullable): why the review database could not be
 *   opened
 */
const GError *
vd_application_get_store_error (VdApplication *self)
{
  g_return_val_if_fail (VD_IS_APPLICATION (self), NULL);

  return self->store_error;
}

/**
 * vd_application_get_policy:
 * @self: a #VdApplication
 *
 * Returns: (transfer none) (nullable): the escalation policy for imports
 */
VdPolicy *
vd_application_get_policy (VdApplication *self)
{
  g_return_val_if_fail (VD_IS_APPLICATION (self), NULL);

  return self->policy;
}

/**
 * vd_application_get_settings:
 * @self: a #VdApplication
 *
 * Returns: (transfer none) (nullable): the settings, %NULL without a schema
 */
GSettings *
vd_application_get_settings (VdApplication *self)
{
  g_return_val_if_fail (VD_IS_APPLICATION (self), NULL);

  return self->settings;
}

/**
 * vd_application_has_policy_file:
 * @self: a #VdApplication
 *
 * Returns: whether the `policy-path` setting names a policy file
 */
gboolean
vd_application_has_policy_file (VdApplication *self)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (VD_IS_APPLICATION (self), FALSE);

  if (self->settings == NULL)
    return FALSE;

  path = g_settings_get_string (self->settings, "policy-path");

  return path[0] != '\0';
}

/**
 * vd_application_dup_samples_dir:
 * @self: a #VdApplication
 *
 * The folder of the bundled sample queue: `VERDICT_SAMPLES_DIR` when set
 * (to run from the build tree), else the installed one.
 *
 * Returns: (transfer full): a path
 */
char *
vd_application_dup_samples_dir (VdApplication *self)
{
  const char *env;

  g_return_val_if_fail (VD_IS_APPLICATION (self), NULL);

  env = g_getenv ("VERDICT_SAMPLES_DIR");
  if (env != NULL && env[0] != '\0')
    return g_strdup (env);

  return g_build_filename (PKGDATADIR, "samples", NULL);
}

/**
 * vd_application_get_llm_settings:
 * @self: a #VdApplication
 *
 * Returns: (transfer none) (nullable): the model endpoint's configuration,
 *   %NULL before startup
 */
VdLlmSettings *
vd_application_get_llm_settings (VdApplication *self)
{
  g_return_val_if_fail (VD_IS_APPLICATION (self), NULL);

  return self->llm_settings;
}

/**
 * vd_application_get_workflow:
 * @self: a #VdApplication
 *
 * Returns: (transfer none) (nullable): the agent's workflow, %NULL until
 *   the review database is open; its client is %NULL without an endpoint
 */
VdWorkflow *
vd_application_get_workflow (VdApplication *self)
{
  g_return_val_if_fail (VD_IS_APPLICATION (self), NULL);

  return self->workflow;
}
