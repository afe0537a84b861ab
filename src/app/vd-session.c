/* vd-session.c: what the windows of one run share
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
 * VdSession owns the services of a run of the application, like GNOME
 * Calendar's GcalContext: the review database, the escalation policy, the
 * agent (its endpoint's settings and the workflow), the deadline monitor,
 * the import queue, the log of this run's decisions and the reviewer who
 * signs them. The application creates it; every window and dialog takes it
 * as its "session" construct property and follows its properties and
 * signals, so that nothing is handed from one widget to the next.
 *
 * It has no widgets, but it lives in src/app, not in the core: the agent's
 * settings (VdLlmSettings) keep the API key in the keyring through libsecret
 * and the reviewer and the policy file come from the application's
 * GSettings, which the command-line tool never uses. Everything it owns
 * besides those is a core object.
 */

#define G_LOG_DOMAIN "vd-session"

#include "config.h"

#include <glib/gi18n.h>

#include "vd-session-private.h"


G_DEFINE_FINAL_TYPE (VdSession, vd_session, G_TYPE_OBJECT)

enum {
  ITEMS_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

void
_vd_session_notify (VdSession *self,
                    guint      prop_id)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static gboolean
error_is_cancelled (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
         g_error_matches (error, VD_STORE_ERROR, VD_STORE_ERROR_CANCELLED);
}

/* The deadline fallbacks apply with the configured policy: the monitor
 * waits while the policy file is read, never applying the default one,
 * and runs only in a started session (the application's). */
static void
vd_session_update_monitor (VdSession *self)
{
  if (self->monitor == NULL)
    return;

  if (!self->started || self->policy_cancellable != NULL)
    vd_deadline_monitor_stop (self->monitor);
  else if (!vd_deadline_monitor_get_running (self->monitor))
    vd_deadline_monitor_start (self->monitor);
}

/* The reviewer */

void
_vd_session_take_reviewer_id (VdSession *self,
                              char      *reviewer_id)
{
  g_autofree char *stripped = reviewer_id;

  if (stripped != NULL)
    {
      g_strstrip (stripped);
      if (stripped[0] == '\0')
        g_clear_pointer (&stripped, g_free);
    }

  if (g_strcmp0 (stripped, self->reviewer_id) == 0)
    return;

  g_free (self->reviewer_id);
  self->reviewer_id = g_steal_pointer (&stripped);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REVIEWER_ID]);
}

static void
reviewer_setting_changed_cb (VdSession  *self,
                             const char *key,
                             GSettings  *settings)
{
  if (!self->reviewer_from_env && self->team_server == NULL)
    _vd_session_take_reviewer_id (self, g_settings_get_string (settings, "reviewer-id"));
}

static void
vd_session_init_reviewer (VdSession *self)
{
  const char *env = g_getenv ("VERDICT_REVIEWER");

  if (env != NULL && env[0] != '\0')
    {
      self->reviewer_from_env = TRUE;
      _vd_session_take_reviewer_id (self, g_strdup (env));
    }
  else if (self->settings != NULL)
    {
      _vd_session_take_reviewer_id (self, g_settings_get_string (self->settings, "reviewer-id"));
      g_signal_connect_object (self->settings, "changed::reviewer-id",
                               G_CALLBACK (reviewer_setting_changed_cb), self,
                               G_CONNECT_SWAPPED);
    }
}

/* The policy */

static void
read_policy_thread (GTask        *task,
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

static void
load_policy_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  VdSession *self = VD_SESSION (object);
  g_autoptr(VdPolicy) policy = NULL;
  g_autoptr(GError) error = NULL;

  policy = vd_session_read_policy_finish (self, result, &error);

  /* A newer setting superseded this load. */
  if (g_task_get_cancellable (G_TASK (result)) != self->policy_cancellable)
    return;

  g_clear_object (&self->policy_cancellable);

  if (policy == NULL)
    {
      g_free (self->policy_error);
      /* Translators: %s is the reason, e.g. "policy.json: rules[0].op: expected ..." */
      self->policy_error = g_strdup_printf (_("Using the default policy: %s"), error->message);
    }
  else
    vd_session_set_policy (self, policy);

  vd_import_queue_set_held (self->imports, FALSE);
  vd_session_update_monitor (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POLICY_LOADING]);
  if (policy == NULL)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POLICY_ERROR]);
}

/* Reads the file the `policy-path` setting names; until it is read (or
 * when it cannot be, or none is named), the policy that approves nothing
 * automatically applies: an approval needs a policy somebody chose. */
static void
vd_session_load_policy (VdSession *self)
{
  g_autoptr(VdPolicy) default_policy = vd_policy_new_review_all ();
  g_autofree char *path = NULL;
  gboolean was_loading = self->policy_cancellable != NULL;

  g_cancellable_cancel (self->policy_cancellable);
  g_clear_object (&self->policy_cancellable);

  vd_session_set_policy (self, default_policy);

  if (self->settings != NULL)
    path = g_settings_get_string (self->settings, "policy-path");
  if (path != NULL && path[0] != '\0')
    self->policy_cancellable = g_cancellable_new ();

  vd_import_queue_set_held (self->imports, self->policy_cancellable != NULL);
  vd_session_update_monitor (self);
  if (was_loading != (self->policy_cancellable != NULL))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POLICY_LOADING]);

  if (self->policy_cancellable != NULL)
    vd_session_read_policy_async (self, path, self->policy_cancellable, load_policy_cb, NULL);
}

static void
policy_path_changed_cb (VdSession  *self,
                        const char *key,
                        GSettings  *settings)
{
  vd_session_load_policy (self);
}

/* The agent */

/* The endpoint's configuration changed: the workflow's client follows. */
static void
llm_settings_changed_cb (VdSession     *self,
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

static void
workflow_client_cb (VdSession *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_AGENT]);
}

typedef struct
{
  VdSession *self;
  gint64     item_id;
} ReviseJob;

static void
revise_job_free (ReviseJob *job)
{
  g_clear_object (&job->self);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ReviseJob, revise_job_free)

static void
revise_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(ReviseJob) job = user_data;
  VdSession *self = job->self;
  g_autoptr(VdItem) item = NULL;
  g_autoptr(GError) error = NULL;

  item = vd_workflow_revise_finish (VD_WORKFLOW (object), result, &error);

  if (error_is_cancelled (error) || g_cancellable_is_cancelled (self->cancellable))
    return;

  if (item != NULL)
    g_hash_table_remove (self->revision_failures, &job->item_id);
  else if (!g_error_matches (error, VD_WORKFLOW_ERROR, VD_WORKFLOW_ERROR_OFFLINE) &&
           !g_error_matches (error, VD_WORKFLOW_ERROR, VD_WORKFLOW_ERROR_BUSY) &&
           !g_error_matches (error, VD_WORKFLOW_ERROR, VD_WORKFLOW_ERROR_NOT_AWAITING_REVISION) &&
           !g_error_matches (error, VD_WORKFLOW_ERROR, VD_WORKFLOW_ERROR_CHANGED))
    {
      g_debug ("The revision of item %" G_GINT64_FORMAT " failed: %s",
               job->item_id, error->message);
      g_hash_table_insert (self->revision_failures,
                           g_memdup2 (&job->item_id, sizeof job->item_id),
                           g_strdup (error->message));
    }

  vd_session_notify_items_changed (self);
}

/* A reject with feedback: the agent revises the item at once. */
static void
decision_recorded_cb (VdSession     *self,
                      VdDecision    *decision,
                      gint64         item_id,
                      VdDecisionLog *log)
{
  ReviseJob *job;

  if (vd_decision_get_kind (decision) != VD_DECISION_KIND_REJECT ||
      !vd_session_get_has_agent (self))
    return;

  /* The agent is used: from now on the status follows the endpoint. */
  if (vd_llm_settings_get_reachable (self->llm_settings) == VD_REACHABILITY_UNKNOWN &&
      !vd_llm_settings_get_probing (self->llm_settings))
    vd_llm_settings_probe (self->llm_settings);

  job = g_new0 (ReviseJob, 1);
  job->self = g_object_ref (self);
  job->item_id = item_id;
  g_hash_table_remove (self->revision_failures, &item_id);

  vd_workflow_revise_async (self->workflow,
                            vd_decision_get_queue (decision),
                            vd_decision_get_task_id (decision),
                            self->cancellable,
                            revise_cb, job);
}

static void
revise_all_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(VdSession) self = user_data;
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;

  results = vd_workflow_revise_all_finish (VD_WORKFLOW (object), result, &error);

  if (error_is_cancelled (error) || g_cancellable_is_cancelled (self->cancellable))
    return;

  if (results != NULL && results->len > 0)
    vd_session_notify_items_changed (self);
}

/* The endpoint answers again: the revisions that waited for it run. */
static void
reachable_changed_cb (VdSession     *self,
                      GParamSpec    *pspec,
                      VdLlmSettings *settings)
{
  if (vd_llm_settings_get_reachable (settings) == VD_REACHABILITY_REACHABLE &&
      vd_session_get_has_agent (self))
    vd_workflow_revise_all_async (self->workflow, NULL, self->cancellable,
                                  revise_all_cb, g_object_ref (self));
}

/* Imports */

/* An import may bring sooner deadlines: the monitor looks again. */
static void
import_finished_cb (VdSession *self)
{
  if (self->monitor != NULL && vd_deadline_monitor_get_running (self->monitor))
    vd_deadline_monitor_reschedule (self->monitor);
}

/* The store's services */

/* Other reviewers' changes are announced by the store (windows listen to
 * "audit-appended"); a store that cannot announce them leaves the windows
 * as they are until reloaded. */
static void
vd_session_watch_store (VdSession *self)
{
  g_autoptr(GError) error = NULL;

  if (!vd_store_watch (self->store, &error))
    g_debug ("Other reviewers' changes will not show live: %s", error->message);
}

static void
vd_session_drop_services (VdSession *self)
{
  if (self->decisions != NULL)
    g_signal_handlers_disconnect_by_data (self->decisions, self);
  if (self->workflow != NULL)
    g_signal_handlers_disconnect_by_data (self->workflow, self);
  if (self->monitor != NULL)
    vd_deadline_monitor_stop (self->monitor);

  g_clear_object (&self->decisions);
  g_clear_object (&self->monitor);
  g_clear_object (&self->workflow);
  g_hash_table_remove_all (self->revision_failures);
}

static void
vd_session_create_services (VdSession *self)
{
  g_autoptr(VdLlmClient) client = NULL;

  g_assert (self->store != NULL);

  client = vd_llm_settings_create_client (self->llm_settings);
  self->workflow = vd_workflow_new (self->store, self->policy, client);
  g_signal_connect_object (self->workflow, "notify::client",
                           G_CALLBACK (workflow_client_cb), self, G_CONNECT_SWAPPED);

  self->monitor = vd_deadline_monitor_new (self->store, self->policy);
  vd_deadline_monitor_set_held (self->monitor, self->background_held);

  self->decisions = vd_decision_log_new (self->store);
  g_signal_connect_object (self->decisions, "recorded",
                           G_CALLBACK (decision_recorded_cb), self, G_CONNECT_SWAPPED);
}

static void
vd_session_notify_services (VdSession *self)
{
  g_object_freeze_notify (G_OBJECT (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE_ERROR]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WORKFLOW]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_AGENT]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEADLINE_MONITOR]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DECISION_LOG]);
  g_object_thaw_notify (G_OBJECT (self));
}

/* The class */

static void
vd_session_constructed (GObject *object)
{
  VdSession *self = (VdSession *)object;

  G_OBJECT_CLASS (vd_session_parent_class)->constructed (object);

  vd_session_init_reviewer (self);
  _vd_session_init_signing (self);
  _vd_session_init_connection (self);

  /* The model endpoint: probed in the background, never blocking, and
   * not before it is configured or used (see vd-llm-settings.c). */
  self->llm_settings = vd_llm_settings_new (self->settings);
  g_signal_connect_object (self->llm_settings, "changed",
                           G_CALLBACK (llm_settings_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->llm_settings, "notify::reachable",
                           G_CALLBACK (reachable_changed_cb), self, G_CONNECT_SWAPPED);

  self->imports = vd_import_queue_new ();
  vd_import_queue_set_policy (self->imports, self->policy);
  g_signal_connect_object (self->imports, "finished",
                           G_CALLBACK (import_finished_cb), self, G_CONNECT_SWAPPED);
}

static void
vd_session_dispose (GObject *object)
{
  VdSession *self = (VdSession *)object;

  vd_session_shutdown (self);
  g_clear_handle_id (&self->background_timeout, g_source_remove);

  if (self->llm_settings != NULL)
    g_signal_handlers_disconnect_by_data (self->llm_settings, self);
  if (self->imports != NULL)
    g_signal_handlers_disconnect_by_data (self->imports, self);

  _vd_session_dispose_signing (self);
  _vd_session_dispose_connection (self);
  vd_session_drop_services (self);
  g_clear_object (&self->imports);
  g_clear_object (&self->llm_settings);
  if (self->store != NULL)
    vd_store_unwatch (self->store);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (vd_session_parent_class)->dispose (object);
}

static void
vd_session_finalize (GObject *object)
{
  VdSession *self = (VdSession *)object;

  g_clear_object (&self->cancellable);
  g_clear_object (&self->policy_cancellable);
  g_clear_object (&self->policy);
  g_clear_error (&self->store_error);
  g_clear_pointer (&self->policy_error, g_free);
  g_clear_pointer (&self->reviewer_id, g_free);
  g_clear_pointer (&self->revision_failures, g_hash_table_unref);

  G_OBJECT_CLASS (vd_session_parent_class)->finalize (object);
}

static void
vd_session_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  VdSession *self = VD_SESSION (object);

  if (_vd_session_get_connection_property (self, prop_id, value))
    return;

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;

    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_STORE_ERROR:
      g_value_set_boxed (value, self->store_error);
      break;

    case PROP_POLICY:
      g_value_set_object (value, self->policy);
      break;

    case PROP_POLICY_LOADING:
      g_value_set_boolean (value, vd_session_get_policy_loading (self));
      break;

    case PROP_POLICY_ERROR:
      g_value_set_string (value, self->policy_error);
      break;

    case PROP_REVIEWER_ID:
      g_value_set_string (value, self->reviewer_id);
      break;

    case PROP_REVIEWER_FROM_ENV:
      g_value_set_boolean (value, self->reviewer_from_env);
      break;

    case PROP_LLM_SETTINGS:
      g_value_set_object (value, self->llm_settings);
      break;

    case PROP_WORKFLOW:
      g_value_set_object (value, self->workflow);
      break;

    case PROP_HAS_AGENT:
      g_value_set_boolean (value, vd_session_get_has_agent (self));
      break;

    case PROP_DEADLINE_MONITOR:
      g_value_set_object (value, self->monitor);
      break;

    case PROP_IMPORT_QUEUE:
      g_value_set_object (value, self->imports);
      break;

    case PROP_DECISION_LOG:
      g_value_set_object (value, self->decisions);
      break;

    case PROP_SIGNING_STATE:
      g_value_set_enum (value, self->signing_state);
      break;

    case PROP_SIGNING_KEY:
      g_value_set_object (value, self->key);
      break;

    case PROP_NEEDS_SIGN_IN:
      g_value_set_boolean (value, self->needs_sign_in);
      break;

    case PROP_LOCKED:
      g_value_set_boolean (value, self->locked);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vd_session_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  VdSession *self = VD_SESSION (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;

    case PROP_STORE:
      vd_session_set_store (self, g_value_get_object (value));
      break;

    case PROP_POLICY:
      vd_session_set_policy (self, g_value_get_object (value));
      break;

    case PROP_REVIEWER_ID:
      vd_session_set_reviewer_id (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vd_session_class_init (VdSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = vd_session_constructed;
  object_class->dispose = vd_session_dispose;
  object_class->finalize = vd_session_finalize;
  object_class->get_property = vd_session_get_property;
  object_class->set_property = vd_session_set_property;

  /**
   * VdSession:settings: (nullable)
   *
   * The application's settings: the reviewer id, the policy file, the
   * agent's endpoint, the windows' state.
   */
  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL,
                         G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * VdSession:store: (nullable)
   *
   * The review database, once it is open.
   */
  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         VD_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * VdSession:store-error: (nullable)
   *
   * Why the review database could not be opened.
   */
  properties[PROP_STORE_ERROR] =
    g_param_spec_boxed ("store-error", NULL, NULL,
                        G_TYPE_ERROR,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * VdSession:policy:
   *
   * The escalation policy: applied to imports and by the deadline
   * fallbacks, and the thresholds confidences are shown against. The
   * `policy-path` setting's file once read in a started session; until
   * then, without one or when it cannot be read, the policy that approves
   * nothing automatically (vd_policy_new_review_all()).
   */
  properties[PROP_POLICY] =
    g_param_spec_object ("policy", NULL, NULL,
                         VD_TYPE_POLICY,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * VdSession:policy-loading:
   *
   * Whether the configured policy file is being read: imports and the
   * deadline fallbacks wait for it.
   */
  properties[PROP_POLICY_LOADING] =
    g_param_spec_boolean ("policy-loading", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * VdSession:policy-error: (nullable)
   *
   * Why the configured policy file could not be read, for people; notified
   * at each failure.
   */
  properties[PROP_POLICY_ERROR] =
    g_param_spec_string ("policy-error", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * VdSession:reviewer-id: (nullable)
   *
   * The reviewer id recorded with every decision: `VERDICT_REVIEWER` when
   * set, else the `reviewer-id` setting.
   */
  properties[PROP_REVIEWER_ID] =
    g_param_spec_string ("reviewer-id", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * VdSession:reviewer-from-env:
   *
   * Whether the reviewer id comes from `VERDICT_REVIEWER` (the setting
   * cannot change it then).
   */
  properties[PROP_REVIEWER_FROM_ENV] =
    g_param_spec_boolean ("reviewer-from-env", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * VdSession:llm-settings:
   *
   * The agent's model endpoint: its configuration and whether it answers.
   */
  properties[PROP_LLM_SETTINGS] =
    g_param_spec_object ("llm-settings", NULL, NULL,
                         VD_TYPE_LLM_SETTINGS,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * VdSession:workflow: (nullable)
   *
   * The workflow the agent runs in, once there is a store; its client is
   * %NULL without an endpoint.
   */
  properties[PROP_WORKFLOW] =
    g_param_spec_object ("workflow", NULL, NULL,
                         VD_TYPE_WORKFLOW,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * VdSession:has-agent:
   *
   * Whether there is a workflow with a client: the agent can be asked.
   */
  properties[PROP_HAS_AGENT] =
    g_param_spec_boolean ("has-agent", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * VdSession:deadline-monitor: (nullable)
   *
   * What is known about the store's deadlines, once there is a store.
   */
  properties[PROP_DEADLINE_MONITOR] =
    g_param_spec_object ("deadline-monitor", NULL, NULL,
                         VD_TYPE_DEADLINE_MONITOR,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * VdSession:import-queue:
   *
   * The queue files waiting for their import.
   */
  properties[PROP_IMPORT_QUEUE] =
    g_param_spec_object ("import-queue", NULL, NULL,
                         VD_TYPE_IMPORT_QUEUE,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * VdSession:decision-log: (nullable)
   *
   * The decisions of this run, once there is a store.
   */
  properties[PROP_DECISION_LOG] =
    g_param_spec_object ("decision-log", NULL, NULL,
                         VD_TYPE_DECISION_LOG,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  _vd_session_class_init_signing (object_class, properties);
  _vd_session_class_init_connection (object_class, properties);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * VdSession::items-changed:
   * @self: the session
   *
   * Items changed in the store behind the windows' lists (a revision, a
   * bulk approve): they read them again.
   */
  signals[ITEMS_CHANGED] =
    g_signal_new ("items-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
vd_session_init (VdSession *self)
{
  self->cancellable = g_cancellable_new ();
  self->policy = vd_policy_new_review_all ();
  self->revision_failures = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
}

/**
 * vd_session_new:
 * @settings: (nullable): the application's settings, %NULL to keep
 *   everything in memory
 *
 * Creates a session without a store: give it one with
 * vd_session_set_store(). Its policy approves nothing automatically
 * until vd_session_startup() reads the configured one.
 *
 * Returns: (transfer full): a new #VdSession
 */
VdSession *
vd_session_new (GSettings *settings)
{
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  return g_object_new (VD_TYPE_SESSION, "settings", settings, NULL);
}

/**
 * vd_session_get_settings:
 * @self: a #VdSession
 *
 * Returns: (transfer none) (nullable): the application's settings
 */
GSettings *
vd_session_get_settings (VdSession *self)
{
  g_return_val_if_fail (VD_IS_SESSION (self), NULL);

  return self->settings;
}

/**
 * vd_session_startup:
 * @self: a #VdSession
 *
 * Starts what runs for the whole of an application's run: reads the
 * policy file the `policy-path` setting names (again whenever it changes),
 * and applies the deadline fallbacks once there is a store and the policy
 * is read.
 */
void
vd_session_startup (VdSession *self)
{
  g_return_if_fail (VD_IS_SESSION (self));

  if (self->started || g_cancellable_is_cancelled (self->cancellable))
    return;

  self->started = TRUE;

  if (self->settings != NULL)
    g_signal_connect_object (self->settings, "changed::policy-path",
                             G_CALLBACK (policy_path_changed_cb), self,
                             G_CONNECT_SWAPPED);

  vd_session_load_policy (self);
  vd_session_update_monitor (self);
}

/**
 * vd_session_shutdown:
 * @self: a #VdSession
 *
 * Stops what vd_session_startup() started and cancels the work of the
 * session still running (revisions, reading the policy).
 */
void
vd_session_shutdown (VdSession *self)
{
  g_return_if_fail (VD_IS_SESSION (self));

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->policy_cancellable);

  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_func (self->settings, policy_path_changed_cb, self);

  self->started = FALSE;
  vd_session_update_monitor (self);
}

static gboolean
background_timeout_cb (gpointer user_data)
{
  VdSession *self = user_data;

  self->background_timeout = 0;
  g_debug ("No first screen in time: the background work starts");
  vd_session_release_background (self);

  return G_SOURCE_REMOVE;
}

/**
 * vd_session_hold_background:
 * @self: a #VdSession
 * @max_seconds: how long at most, 0 for as long as it takes
 *
 * Makes the work that no first screen needs wait: the deadline fallbacks
 * and the deadline checks (scans of the store) start only when
 * vd_session_release_background() is called (a window does once it has
 * drawn its first item), or after @max_seconds.
 */
void
vd_session_hold_background (VdSession *self,
                            guint      max_seconds)
{
  g_return_if_fail (VD_IS_SESSION (self));

  if (self->background_held)
    return;

  self->background_held = TRUE;
  if (max_seconds > 0)
    self->background_timeout = g_timeout_add_seconds (max_seconds,
                                                      background_timeout_cb, self);
  if (self->monitor != NULL)
    vd_deadline_monitor_set_held (self->monitor, TRUE);
}

/**
 * vd_session_release_background:
 * @self: a #VdSession
 *
 * Lets the work held by vd_session_hold_background() run; nothing when
 * none is held.
 */
void
vd_session_release_background (VdSession *self)
{
  g_return_if_fail (VD_IS_SESSION (self));

  if (!self->background_held)
    return;

  self->background_held = FALSE;
  g_clear_handle_id (&self->background_timeout, g_source_remove);
  if (self->monitor != NULL)
    vd_deadline_monitor_set_held (self->monitor, FALSE);
}

/**
 * vd_session_get_background_held:
 * @self: a #VdSession
 *
 * Returns: whether the background work waits for a first screen
 */
gboolean
vd_session_get_background_held (VdSession *self)
{
  g_return_val_if_fail (VD_IS_SESSION (self), FALSE);

  return self->background_held;
}

/**
 * vd_session_get_store:
 * @self: a #VdSession
 *
 * Returns: (transfer none) (nullable): the review database, %NULL while it
 *   opens or when it could not be opened
 */
VdStore *
vd_session_get_store (VdSession *self)
{
  g_return_val_if_fail (VD_IS_SESSION (self), NULL);

  return self->store;
}

/**
 * vd_session_set_store:
 * @self: a #VdSession
 * @store: (nullable): the review database
 *
 * Makes @store the session's: a workflow, a deadline monitor and a
 * decision log over it, and the imports waiting for it start (once the
 * policy is read).
 */
void
vd_session_set_store (VdSession *self,
                      VdStore   *store)
{
  g_return_if_fail (VD_IS_SESSION (self));
  g_return_if_fail (store == NULL || VD_IS_STORE (store));

  if (self->store == store && self->store_error == NULL)
    return;

  vd_session_drop_services (self);
  g_clear_error (&self->store_error);
  if (self->store != NULL && self->store != store)
    vd_store_unwatch (self->store);
  g_set_object (&self->store, store);

  _vd_session_store_changed_connection (self);
  if (store != NULL)
    {
      vd_session_create_services (self);
      vd_session_watch_store (self);
    }
  _vd_session_apply_signer (self);

  vd_import_queue_set_store (self->imports, store);
  vd_session_update_monitor (self);
  vd_session_notify_services (self);
}

/**
 * vd_session_get_store_error:
 * @self: a #VdSession
 *
 * Returns: (transfer none) (nullable): why the review database could not
 *   be opened
 */
const GError *
vd_session_get_store_error (VdSession *self)
{
  g_return_val_if_fail (VD_IS_SESSION (self), NULL);

  return self->store_error;
}

/**
 * vd_session_set_store_error:
 * @self: a #VdSession
 * @error: why the review database could not be opened
 *
 * The session has no store: the imports waiting for one are dropped.
 */
void
vd_session_set_store_error (VdSession    *self,
                            const GError *error)
{
  g_return_if_fail (VD_IS_SESSION (self));
  g_return_if_fail (error != NULL);

  vd_session_drop_services (self);
  if (self->store != NULL)
    vd_store_unwatch (self->store);
  g_clear_object (&self->store);
  g_clear_error (&self->store_error);
  self->store_error = g_error_copy (error);
  _vd_session_store_changed_connection (self);

  vd_import_queue_set_store (self->imports, NULL);
  vd_import_queue_clear (self->imports);
  vd_session_notify_services (self);
}

/**
 * vd_session_get_policy:
 * @self: a #VdSession
 *
 * Returns: (transfer none): the escalation policy
 */
VdPolicy *
vd_session_get_policy (VdSession *self)
{
  g_return_val_if_fail (VD_IS_SESSION (self), NULL);

  return self->policy;
}

/**
 * vd_session_set_policy:
 * @self: a #VdSession
 * @policy: (nullable): the escalation policy, %NULL for the one that
 *   approves nothing automatically (vd_policy_new_review_all())
 *
 * Makes @policy the one imports apply, the deadline fallbacks follow and
 * the windows show confidences against.
 */
void
vd_session_set_policy (VdSession *self,
                       VdPolicy  *policy)
{
  g_autoptr(VdPolicy) default_policy = NULL;

  g_return_if_fail (VD_IS_SESSION (self));
  g_return_if_fail (policy == NULL || VD_IS_POLICY (policy));

  if (policy == NULL)
    policy = default_policy = vd_policy_new_review_all ();

  if (!g_set_object (&self->policy, policy))
    return;

  if (self->workflow != NULL)
    vd_workflow_set_policy (self->workflow, policy);
  if (self->monitor != NULL)
    vd_deadline_monitor_set_policy (self->monitor, policy);
  if (self->imports != NULL)
    vd_import_queue_set_policy (self->imports, policy);
  _vd_session_apply_signer (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POLICY]);
}

gboolean
vd_session_get_policy_loading (VdSession *self)
{
  g_return_val_if_fail (VD_IS_SESSION (self), FALSE);

  return self->policy_cancellable != NULL;
}

/**
 * vd_session_get_policy_error:
 * @self: a #VdSession
 *
 * Returns: (nullable): why the configured policy file could not be read
 */
const char *
vd_session_get_policy_error (VdSession *self)
{
  g_return_val_if_fail (VD_IS_SESSION (self), NULL);

  return self->policy_error;
}

/**
 * vd_session_has_policy_file:
 * @self: a #VdSession
 *
 * Returns: whether the `policy-path` setting names a policy file
 */
gboolean
vd_session_has_policy_file (VdSession *self)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (VD_IS_SESSION (self), FALSE);

  if (self->settings == NULL)
    return FALSE;

  path = g_settings_get_string (self->settings, "policy-path");

  return path[0] != '\0';
}

/**
 * vd_session_adopt_policy:
 * @self: a #VdSession
 * @policy: a policy read from a file other than the configured one
 *
 * Makes @policy the session's, for this run: the bundled sample queue
 * brings its own. The configured policy file, when there is one, always
 * wins.
 */
void
vd_session_adopt_policy (VdSession *self,
                         VdPolicy  *policy)
{
  g_return_if_fail (VD_IS_SESSION (self));
  g_return_if_fail (VD_IS_POLICY (policy));

  if (vd_session_has_policy_file (self) || self->policy_cancellable != NULL)
    return;

  vd_session_set_policy (self, policy);
}

/**
 * vd_session_read_policy_async:
 * @self: a #VdSession
 * @path: a policy file
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Reads the policy file at @path on a worker thread.
 */
void
vd_session_read_policy_async (VdSession           *self,
                              const char          *path,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (VD_IS_SESSION (self));
  g_return_if_fail (path != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vd_session_read_policy_async);
  g_task_set_task_data (task, g_strdup (path), g_free);
  g_task_run_in_thread (task, read_policy_thread);
}

/**
 * vd_session_read_policy_finish:
 * @self: a #VdSession
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the policy, or %NULL with @error set
 */
VdPolicy *
vd_session_read_policy_finish (VdSession     *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (VD_IS_SESSION (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * vd_session_get_reviewer_id:
 * @self: a #VdSession
 *
 * Returns: (nullable): the reviewer id recorded with decisions
 */
const char *
vd_session_get_reviewer_id (VdSession *self)
{
  g_return_val_if_fail (VD_IS_SESSION (self), NULL);

  return self->reviewer_id;
}

/**
 * vd_session_set_reviewer_id:
 * @self: a #VdSession
 * @reviewer_id: (nullable): who reviews; blank is none
 *
 * Sets the reviewer, and keeps it in the `reviewer-id` setting unless
 * `VERDICT_REVIEWER` gave it (every session following the setting hears
 * of it).
 */
void
vd_session_set_reviewer_id (VdSession  *self,
                            const char *reviewer_id)
{
  g_return_if_fail (VD_IS_SESSION (self));

  /* On a team server the reviewer is the database role. */
  if (self->team_server != NULL)
    {
      if (g_strcmp0 (reviewer_id, self->team_reviewer) != 0)
        g_debug ("The reviewer stays %s, the team server's role", self->team_reviewer);
      return;
    }

  if (self->settings != NULL && !self->reviewer_from_env && reviewer_id != NULL)
    {
      g_autofree char *stripped = g_strstrip (g_strdup (reviewer_id));

      g_settings_set_string (self->settings, "reviewer-id", stripped);
    }

  _vd_session_take_reviewer_id (self, g_strdup (reviewer_id));
}

gboolean
vd_session_get_reviewer_from_env (VdSession *self)
{
  g_return_val_if_fail (VD_IS_SESSION (self), FALSE);

  return self->reviewer_from_env;
}

/**
 * vd_session_get_llm_settings:
 * @self: a #VdSession
 *
 * Returns: (transfer none): the model endpoint's configuration
 */
VdLlmSettings *
vd_session_get_llm_settings (VdSession *self)
{
  g_return_val_if_fail (VD_IS_SESSION (self), NULL);

  return self->llm_settings;
}

/**
 * vd_session_get_workflow:
 * @self: a #VdSession
 *
 * Returns: (transfer none) (nullable): the agent's workflow, %NULL until
 *   there is a store; its client is %NULL without an endpoint
 */
VdWorkflow *
vd_session_get_workflow (VdSession *self)
{
  g_return_val_if_fail (VD_IS_SESSION (self), NULL);

  return self->workflow;
}

/**
 * vd_session_get_has_agent:
 * @self: a #VdSession
 *
 * Returns: whether the agent can be asked: a workflow with a client
 */
gboolean
vd_session_get_has_agent (VdSession *self)
{
  g_return_val_if_fail (VD_IS_SESSION (self), FALSE);

  return self->workflow != NULL && vd_workflow_get_client (self->workflow) != NULL;
}

/**
 * vd_session_get_revision_failure:
 * @self: a #VdSession
 * @item_id: a row id
 *
 * Returns: (nullable): why the last revision the agent made of @item_id
 *   after a reject failed, %NULL when none did
 */
const char *
vd_session_get_revision_failure (VdSession *self,
                                 gint64     item_id)
{
  g_return_val_if_fail (VD_IS_SESSION (self), NULL);

  return g_hash_table_lookup (self->revision_failures, &item_id);
}

/**
 * vd_session_get_deadline_monitor:
 * @self: a #VdSession
 *
 * Returns: (transfer none) (nullable): the deadline monitor of the store
 */
VdDeadlineMonitor *
vd_session_get_deadline_monitor (VdSession *self)
{
  g_return_val_if_fail (VD_IS_SESSION (self), NULL);

  return self->monitor;
}

/**
 * vd_session_get_import_queue:
 * @self: a #VdSession
 *
 * Returns: (transfer none): the queue files waiting for their import
 */
VdImportQueue *
vd_session_get_import_queue (VdSession *self)
{
  g_return_val_if_fail (VD_IS_SESSION (self), NULL);

  return self->imports;
}

/**
 * vd_session_get_decision_log:
 * @self: a #VdSession
 *
 * Returns: (transfer none) (nullable): the decisions of this run, %NULL
 *   until there is a store
 */
VdDecisionLog *
vd_session_get_decision_log (VdSession *self)
{
  g_return_val_if_fail (VD_IS_SESSION (self), NULL);

  return self->decisions;
}

/**
 * vd_session_notify_items_changed:
 * @self: a #VdSession
 *
 * Tells the windows that items changed in the store behind their lists
 * (a bulk approve, say): they read them again.
 */
void
vd_session_notify_items_changed (VdSession *self)
{
  g_return_if_fail (VD_IS_SESSION (self));

  g_signal_emit (self, signals[ITEMS_CHANGED], 0);
}
