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

#include "vd-agent-preferences-page.h"
#include "vd-new-task-dialog.h"
#include "vd-preferences-window.h"
#include "vd-window-private.h"

/* The window's side of the agent: the New Task dialog, a second opinion
 * and decision support on the item shown, and what the item pane says
 * about revisions. The session revises rejected items; the one-line
 * status (VdAgentBanner) follows the endpoint by itself. Nothing here asks
 * the endpoint before the reviewer uses the agent. */

static gboolean
vd_window_has_client (VdWindow *self)
{
  return vd_session_get_has_agent (self->session);
}

/* An agent feature is used: from now on the status line follows whether
 * the endpoint answers. */
static void
vd_window_agent_used (VdWindow *self)
{
  VdLlmSettings *llm_settings = vd_session_get_llm_settings (self->session);

  if (vd_llm_settings_get_reachable (llm_settings) != VD_REACHABILITY_REACHABLE &&
      !vd_llm_settings_get_probing (llm_settings))
    vd_llm_settings_probe (llm_settings);
}

/* What the detail pane says about the revision of the item shown. */
static void
vd_window_update_revision_state (VdWindow *self)
{
  VdWorkflow *workflow = vd_session_get_workflow (self->session);
  VdRevisionState state = VD_REVISION_STATE_NONE;
  const char *message = NULL;
  gint64 id;

  if (self->shown == NULL)
    return;

  id = vd_item_get_id (self->shown);

  if (vd_item_get_status (self->shown) == VD_TASK_STATUS_REJECTED)
    {
      if (workflow != NULL &&
          vd_workflow_is_revising (workflow,
                                   vd_item_get_queue (self->shown),
                                   vd_item_get_task_id (self->shown)))
        state = VD_REVISION_STATE_RUNNING;
      else if ((message = vd_session_get_revision_failure (self->session, id)) != NULL)
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
  gboolean has_store = vd_session_get_store (self->session) != NULL;
  gboolean can_ask;

  can_ask = has_store && vd_window_has_client (self) && self->shown != NULL;

  gtk_widget_action_set_enabled (widget, "win.new-task",
                                 has_store && vd_window_has_client (self) &&
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

  return !_vd_window_is_disposed (self) &&
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

  if (!_vd_window_is_disposed (job->self))
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

  if (!_vd_window_is_disposed (job->self))
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
  vd_window_agent_used (self);

  if (kind == VD_AGENT_REQUEST_SECOND_OPINION)
    vd_workflow_second_opinion_async (vd_session_get_workflow (self->session), self->shown,
                                      self->cancellable, second_opinion_cb, job);
  else
    vd_workflow_assist_async (vd_session_get_workflow (self->session), self->shown,
                              self->cancellable, assist_cb, job);

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

  if (_vd_window_is_disposed (self))
    return;

  if (error != NULL && !_vd_window_error_is_cancelled (error))
    g_debug ("New task: %s", error->message);

  if (item != NULL)
    {
      if (show_in_queue)
        {
          VdTaskStatus status = vd_item_get_status (item);
          VdStatusFilter status_filter = _vd_window_get_status_filter (self);
          gboolean pending = status == VD_TASK_STATUS_PENDING ||
                             status == VD_TASK_STATUS_IN_REVIEW;

          /* The item leaves no filter hiding it. */
          if ((status_filter == VD_STATUS_FILTER_PENDING && !pending) ||
              (status_filter == VD_STATUS_FILTER_ESCALATED &&
               status != VD_TASK_STATUS_ESCALATED) ||
              (status_filter == VD_STATUS_FILTER_DECIDED && pending))
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

  vd_window_agent_used (self);
  self->new_task_open = TRUE;
  vd_new_task_dialog_run_async (GTK_WINDOW (self), vd_session_get_workflow (self->session),
                                self->cancellable, new_task_cb, g_object_ref (self));
  _vd_window_update_actions (self);
}

/* The agent's status */

static GtkWidget *
find_descendant (GtkWidget *widget,
                 GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_descendant (child, type);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* The status line's Details: Preferences on the agent's page, where the
 * whole error stays. */
static void
agent_details_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  VdWindow *self = VD_WINDOW (widget);
  VdPreferencesWindow *preferences;
  GtkWidget *page;

  preferences = vd_preferences_window_new (self->session);
  page = find_descendant (GTK_WIDGET (preferences), VD_TYPE_AGENT_PREFERENCES_PAGE);
  if (page != NULL)
    adw_preferences_window_set_visible_page (ADW_PREFERENCES_WINDOW (preferences),
                                             ADW_PREFERENCES_PAGE (page));
  gtk_window_set_transient_for (GTK_WINDOW (preferences), GTK_WINDOW (self));
  gtk_window_present (GTK_WINDOW (preferences));
}

static void
agent_reached_cb (VdWindow *self)
{
  vd_window_show_message (self, _("Agent reachable"));
}

/* Setup */

/* The workflow's revisions start and end: the item pane says so. */
static void
workflow_changed_cb (VdWindow *self)
{
  VdWorkflow *workflow = vd_session_get_workflow (self->session);

  if (workflow != NULL)
    g_signal_connect_object (workflow, "notify::n-running",
                             G_CALLBACK (_vd_window_update_actions), self, G_CONNECT_SWAPPED);
}

void
_vd_window_init_agent (VdWindow *self)
{
  g_object_bind_property (self->session, "llm-settings",
                          self->agent_banner, "llm-settings",
                          G_BINDING_SYNC_CREATE);
  g_signal_connect_object (self->agent_banner, "reached",
                           G_CALLBACK (agent_reached_cb), self, G_CONNECT_SWAPPED);

  g_signal_connect_object (self->session, "notify::has-agent",
                           G_CALLBACK (_vd_window_update_actions), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::workflow",
                           G_CALLBACK (workflow_changed_cb), self, G_CONNECT_SWAPPED);
  workflow_changed_cb (self);
}

void
_vd_window_class_init_agent (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_child (widget_class, VdWindow, agent_banner);

  gtk_widget_class_install_action (widget_class, "win.new-task", NULL, new_task_action);
  gtk_widget_class_install_action (widget_class, "win.second-opinion", NULL,
                                   second_opinion_action);
  gtk_widget_class_install_action (widget_class, "win.assist", NULL, assist_action);
  gtk_widget_class_install_action (widget_class, "win.agent-details", NULL,
                                   agent_details_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK,
                                       "win.new-task", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o,
                                       GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.second-opinion", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_d,
                                       GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.assist", NULL);
}
