/* vd-window-agent.c
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

#define G_LOG_DOMAIN "vd-window-agent"

#include "config.h"

#include <glib/gi18n.h>

#include "vd-new-task-dialog.h"
#include "vd-window-private.h"

/* The window's side of the agent: the New Task dialog, a second opinion
 * and decision support on the item shown, revisions after a reject, and
 * the banner while the model endpoint cannot be reached. */

static gboolean
vd_window_has_client (VdWindow *self)
{
  return self->workflow != NULL && vd_workflow_get_client (self->workflow) != NULL;
}

/* The banner */

static void
vd_window_update_banner (VdWindow *self)
{
  gboolean reveal = FALSE;

  if (self->disposed || self->agent_banner == NULL)
    return;

  if (self->llm_settings != NULL &&
      vd_llm_settings_get_endpoint (self->llm_settings)[0] != '\0' &&
      vd_llm_settings_get_reachable (self->llm_settings) == VD_REACHABILITY_UNREACHABLE)
    {
      g_autofree char *error = g_strdup (vd_llm_settings_get_last_error (self->llm_settings));
      g_autofree char *text = NULL;
      gsize len;

      g_strstrip (error);
      len = strlen (error);
      if (len > 0 && error[len - 1] == '.')
        error[len - 1] = '\0';

      /* Translators: the first %s is a URL, the second why it cannot be reached */
      text = g_strdup_printf (_("The agent at %s cannot be reached: %s. Reviewing still works offline."),
                              vd_llm_settings_get_endpoint (self->llm_settings), error);
      gtk_label_set_text (self->agent_banner_label, text);
      reveal = TRUE;
    }

  gtk_revealer_set_reveal_child (self->agent_banner, reveal);
}

static void
banner_retry_cb (VdWindow  *self,
                 GtkButton *button)
{
  if (self->llm_settings != NULL)
    vd_llm_settings_probe (self->llm_settings);
}

static void
banner_preferences_cb (VdWindow  *self,
                       GtkButton *button)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "app.preferences", NULL);
}

/* Revisions */

typedef struct
{
  VdWindow *self;
  gint64    item_id;
} ReviseJob;

static void
revise_job_free (ReviseJob *job)
{
  g_clear_object (&job->self);
  g_free (job);
}

static void
vd_window_agent_reload (VdWindow *self)
{
  if (self->shown != NULL)
    self->select_after_load = vd_item_get_id (self->shown);
  _vd_window_reload_items (self);
  _vd_window_refresh_counts (self);
  _vd_window_refresh_queues (self);
  if (self->shown != NULL)
    vd_item_detail_reload (self->detail);
}

static void
revise_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  ReviseJob *job = user_data;
  VdWindow *self = job->self;
  g_autoptr(VdItem) item = NULL;
  g_autoptr(GError) error = NULL;

  item = vd_workflow_revise_finish (VD_WORKFLOW (object), result, &error);

  if (self->disposed || _vd_window_error_is_cancelled (error))
    {
      revise_job_free (job);
      return;
    }

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

  vd_window_agent_reload (self);
  _vd_window_update_actions (self);
  revise_job_free (job);
}

static void
vd_window_start_revision (VdWindow *self,
                          VdItem   *item)
{
  ReviseJob *job;

  if (!vd_window_has_client (self))
    return;

  job = g_new0 (ReviseJob, 1);
  job->self = g_object_ref (self);
  job->item_id = vd_item_get_id (item);
  g_hash_table_remove (self->revision_failures, &job->item_id);

  vd_workflow_revise_async (self->workflow,
                            vd_item_get_queue (item),
                            vd_item_get_task_id (item),
                            self->cancellable,
                            revise_cb, job);
  _vd_window_update_actions (self);
}

void
_vd_window_decision_recorded (VdWindow       *self,
                              VdItem         *item,
                              VdDecisionKind  kind)
{
  g_assert (VD_IS_WINDOW (self));
  g_assert (VD_IS_ITEM (item));

  if (kind == VD_DECISION_KIND_REJECT)
    vd_window_start_revision (self, item);
}

static void
revise_all_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(VdWindow) self = user_data;
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;

  results = vd_workflow_revise_all_finish (VD_WORKFLOW (object), result, &error);

  if (self->disposed || _vd_window_error_is_cancelled (error))
    return;

  if (results != NULL && results->len > 0)
    vd_window_agent_reload (self);
  _vd_window_update_actions (self);
}

static void
reachable_changed_cb (VdWindow      *self,
                      GParamSpec    *pspec,
                      VdLlmSettings *settings)
{
  vd_window_update_banner (self);

  /* The endpoint answers again: the revisions that waited for it run. */
  if (vd_llm_settings_get_reachable (settings) == VD_REACHABILITY_REACHABLE &&
      vd_window_has_client (self) && self->store != NULL)
    vd_workflow_revise_all_async (self->workflow, NULL, self->cancellable,
                                  revise_all_cb, g_object_ref (self));
}

/* What the detail pane says about the revision of the item shown. */
static void
vd_window_update_revision_state (VdWindow *self)
{
  VdRevisionState state = VD_REVISION_STATE_NONE;
  const char *message = NULL;
  gint64 id;

  if (self->shown == NULL)
    return;

  id = vd_item_get_id (self->shown);

  if (vd_item_get_status (self->shown) == VD_TASK_STATUS_REJECTED)
    {
      if (self->workflow != NULL &&
          vd_workflow_is_revising (self->workflow,
                                   vd_item_get_queue (self->shown),
                                   vd_item_get_task_id (self->shown)))
        state = VD_REVISION_STATE_RUNNING;
      else if ((message = g_hash_table_lookup (self->revision_failures, &id)) != NULL)
        state = VD_REVISION_STATE_FAILED;
      else
        state = VD_REVISION_STATE_AWAITING;
    }

  if (state != vd_item_detail_get_revision_state (self->detail) ||
      state == VD_REVISION_STATE_FAILED)
    vd_item_detail_set_revision_state (self->detail, state, message);
}

void
_vd_window_update_agent (VdWindow *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  gboolean can_ask;

  can_ask = self->store != NULL && vd_window_has_client (self) && self->shown != NULL;

  gtk_widget_action_set_enabled (widget, "win.new-task",
                                 self->store != NULL && vd_window_has_client (self) &&
                                 !self->new_task_open);
  gtk_widget_action_set_enabled (widget, "win.second-opinion",
                                 can_ask &&
                                 !vd_item_detail_get_agent_busy (self->detail,
                                                                 VD_AGENT_REQUEST_SECOND_OPINION));
  gtk_widget_action_set_enabled (widget, "win.assist",
                                 can_ask &&
                                 !vd_item_detail_get_agent_busy (self->detail,
                                                                 VD_AGENT_REQUEST_ASSIST));

  vd_window_update_revision_state (self);
}

/* Second opinion and decision support */

typedef struct
{
  VdWindow       *self;
  gint64          item_id;
  VdAgentRequest  kind;
} AskJob;

static void
ask_job_free (AskJob *job)
{
  g_clear_object (&job->self);
  g_free (job);
}

/* Whether the item asked about is still the one shown. */
static gboolean
ask_job_still_shown (AskJob *job)
{
  VdWindow *self = job->self;

  return !self->disposed &&
         self->shown != NULL &&
         vd_item_get_id (self->shown) == job->item_id &&
         vd_item_detail_get_item (self->detail) != NULL &&
         vd_item_get_id (vd_item_detail_get_item (self->detail)) == job->item_id;
}

static void
second_opinion_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  AskJob *job = user_data;
  g_autofree char *reasoning = NULL;
  g_autoptr(GError) error = NULL;
  double confidence = 0.0;
  gboolean ok;

  ok = vd_workflow_second_opinion_finish (VD_WORKFLOW (object), result,
                                          &confidence, &reasoning, &error);

  if (ask_job_still_shown (job))
    {
      VdItemDetail *detail = job->self->detail;

      vd_item_detail_set_agent_busy (detail, job->kind, FALSE);
      if (ok)
        {
          g_autoptr(VdAgentOutput) opinion = NULL;

          opinion = vd_agent_output_new ("", confidence, reasoning, NULL);
          vd_item_detail_set_second_opinion (detail, opinion);
        }
      else
        vd_item_detail_set_agent_error (detail, job->kind, error->message);
    }

  if (!job->self->disposed)
    _vd_window_update_actions (job->self);
  ask_job_free (job);
}

static void
assist_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  AskJob *job = user_data;
  g_autoptr(VdDecisionSupport) support = NULL;
  g_autoptr(GError) error = NULL;

  support = vd_workflow_assist_finish (VD_WORKFLOW (object), result, &error);

  if (ask_job_still_shown (job))
    {
      VdItemDetail *detail = job->self->detail;

      vd_item_detail_set_agent_busy (detail, job->kind, FALSE);
      if (support != NULL)
        vd_item_detail_set_assist (detail, support);
      else
        vd_item_detail_set_agent_error (detail, job->kind, error->message);
    }

  if (!job->self->disposed)
    _vd_window_update_actions (job->self);
  ask_job_free (job);
}

static void
vd_window_ask (VdWindow       *self,
               VdAgentRequest  kind)
{
  AskJob *job;

  if (self->shown == NULL || !vd_window_has_client (self) ||
      vd_item_detail_get_agent_busy (self->detail, kind))
    return;

  job = g_new0 (AskJob, 1);
  job->self = g_object_ref (self);
  job->item_id = vd_item_get_id (self->shown);
  job->kind = kind;

  vd_item_detail_set_agent_busy (self->detail, kind, TRUE);

  if (kind == VD_AGENT_REQUEST_SECOND_OPINION)
    vd_workflow_second_opinion_async (self->workflow, self->shown, self->cancellable,
                                      second_opinion_cb, job);
  else
    vd_workflow_assist_async (self->workflow, self->shown, self->cancellable,
                              assist_cb, job);

  _vd_window_update_actions (self);
}

static void
second_opinion_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  vd_window_ask (VD_WINDOW (widget), VD_AGENT_REQUEST_SECOND_OPINION);
}

static void
assist_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  vd_window_ask (VD_WINDOW (widget), VD_AGENT_REQUEST_ASSIST);
}

/* New task */

static void
new_task_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(VdWindow) self = user_data;
  g_autoptr(VdItem) item = NULL;
  g_autoptr(GError) error = NULL;
  gboolean show_in_queue = FALSE;

  item = vd_new_task_dialog_run_finish (result, &show_in_queue, &error);

  self->new_task_open = FALSE;

  if (self->disposed)
    return;

  if (error != NULL && !_vd_window_error_is_cancelled (error))
    g_debug ("New task: %s", error->message);

  if (item != NULL)
    {
      if (show_in_queue)
        {
          VdTaskStatus status = vd_item_get_status (item);
          gboolean pending = status == VD_TASK_STATUS_PENDING ||
                             status == VD_TASK_STATUS_IN_REVIEW;

          /* The item leaves no filter hiding it. */
          if ((self->status_filter == VD_STATUS_FILTER_PENDING && !pending) ||
              (self->status_filter == VD_STATUS_FILTER_ESCALATED &&
               status != VD_TASK_STATUS_ESCALATED) ||
              (self->status_filter == VD_STATUS_FILTER_DECIDED && pending))
            _vd_window_set_status_filter (self, VD_STATUS_FILTER_ALL);

          self->select_after_load = vd_item_get_id (item);
          self->focus_after_load = TRUE;
        }

      _vd_window_reload_items (self);
      _vd_window_refresh_counts (self);
      _vd_window_refresh_queues (self);
    }

  _vd_window_update_actions (self);
}

static void
new_task_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  VdWindow *self = VD_WINDOW (widget);

  if (self->new_task_open || !vd_window_has_client (self))
    return;

  self->new_task_open = TRUE;
  vd_new_task_dialog_run_async (GTK_WINDOW (self), self->workflow, self->cancellable,
                                new_task_cb, g_object_ref (self));
  _vd_window_update_actions (self);
}

/* Setup */

static void
client_changed_cb (VdWindow *self)
{
  if (self->disposed)
    return;

  vd_window_update_banner (self);
  _vd_window_update_actions (self);
}

/**
 * _vd_window_set_agent:
 * @self: a #VdWindow
 * @llm_settings: (nullable): the model endpoint's settings
 * @workflow: (nullable): the workflow the agent runs in
 *
 * Gives the window the agent; without one the agent's actions stay off
 * and no banner shows.
 */
void
_vd_window_set_agent (VdWindow      *self,
                      VdLlmSettings *llm_settings,
                      VdWorkflow    *workflow)
{
  g_return_if_fail (VD_IS_WINDOW (self));
  g_return_if_fail (llm_settings == NULL || VD_IS_LLM_SETTINGS (llm_settings));
  g_return_if_fail (workflow == NULL || VD_IS_WORKFLOW (workflow));

  if (self->llm_settings != llm_settings)
    {
      if (self->llm_settings != NULL)
        g_signal_handlers_disconnect_by_data (self->llm_settings, self);
      g_set_object (&self->llm_settings, llm_settings);
      if (llm_settings != NULL)
        {
          g_signal_connect_object (llm_settings, "notify::reachable",
                                   G_CALLBACK (reachable_changed_cb), self,
                                   G_CONNECT_SWAPPED);
          g_signal_connect_object (llm_settings, "notify::last-error",
                                   G_CALLBACK (client_changed_cb), self,
                                   G_CONNECT_SWAPPED);
          g_signal_connect_object (llm_settings, "changed",
                                   G_CALLBACK (client_changed_cb), self,
                                   G_CONNECT_SWAPPED);
        }
    }

  if (self->workflow != workflow)
    {
      if (self->workflow != NULL)
        g_signal_handlers_disconnect_by_data (self->workflow, self);
      g_set_object (&self->workflow, workflow);
      if (workflow != NULL)
        {
          g_signal_connect_object (workflow, "notify::client",
                                   G_CALLBACK (client_changed_cb), self,
                                   G_CONNECT_SWAPPED);
          g_signal_connect_object (workflow, "notify::n-running",
                                   G_CALLBACK (client_changed_cb), self,
                                   G_CONNECT_SWAPPED);
        }
    }

  vd_window_update_banner (self);
  _vd_window_update_actions (self);
}

void
_vd_window_init_agent (VdWindow *self)
{
  GtkWidget *box;
  GtkWidget *label;
  GtkWidget *button;
  GtkWidget *revealer;

  self->revision_failures = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);

  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_widget_add_css_class (box, "agent-banner");

  label = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (label),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  _("Model endpoint status"), -1);
  gtk_box_append (GTK_BOX (box), label);

  button = gtk_button_new_with_mnemonic (_("_Retry"));
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Retry the model endpoint"), -1);
  g_signal_connect_object (button, "clicked", G_CALLBACK (banner_retry_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_box_append (GTK_BOX (box), button);

  button = gtk_button_new_with_mnemonic (_("_Preferences"));
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Agent preferences"), -1);
  g_signal_connect_object (button, "clicked", G_CALLBACK (banner_preferences_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_box_append (GTK_BOX (box), button);

  revealer = gtk_revealer_new ();
  gtk_revealer_set_child (GTK_REVEALER (revealer), box);
  gtk_revealer_set_reveal_child (GTK_REVEALER (revealer), FALSE);

  /* At the top of the content, below its header bar. */
  gtk_box_insert_child_after (GTK_BOX (self->content), revealer,
                              gtk_widget_get_first_child (self->content));

  self->agent_banner = GTK_REVEALER (revealer);
  self->agent_banner_label = GTK_LABEL (label);
}

void
_vd_window_dispose_agent (VdWindow *self)
{
  if (self->llm_settings != NULL)
    g_signal_handlers_disconnect_by_data (self->llm_settings, self);
  if (self->workflow != NULL)
    g_signal_handlers_disconnect_by_data (self->workflow, self);

  g_clear_object (&self->llm_settings);
  g_clear_object (&self->workflow);
  g_clear_pointer (&self->revision_failures, g_hash_table_unref);
  self->agent_banner = NULL;
  self->agent_banner_label = NULL;
}

void
_vd_window_class_init_agent (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.new-task", NULL, new_task_action);
  gtk_widget_class_install_action (widget_class, "win.second-opinion", NULL,
                                   second_opinion_action);
  gtk_widget_class_install_action (widget_class, "win.assist", NULL, assist_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK,
                                       "win.new-task", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o,
                                       GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.second-opinion", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_d,
                                       GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.assist", NULL);
}

/* Internal state, for the tests. */

gboolean
_vd_window_get_banner_revealed (VdWindow *self)
{
  return self->agent_banner != NULL && gtk_revealer_get_reveal_child (self->agent_banner);
}

const char *
_vd_window_get_banner_text (VdWindow *self)
{
  return self->agent_banner_label != NULL ? gtk_label_get_text (self->agent_banner_label) : NULL;
}
