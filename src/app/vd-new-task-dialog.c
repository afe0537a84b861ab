/* vd-new-task-dialog.c
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

#define G_LOG_DOMAIN "vd-new-task-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "vd-core.h"
#include "vd-new-task-dialog.h"
#include "vd-source-info.h"

#define DEFAULT_QUEUE "tasks"

struct _VdNewTaskDialog
{
  AdwWindow      parent_instance;

  VdWorkflow    *workflow;

  /* The operation of vd_new_task_dialog_run_async(), if any. */
  GTask         *task;
  gboolean       show_in_queue;

  /* The request to the workflow. */
  GCancellable  *cancellable;
  gboolean       running;
  gboolean       streaming;
  char          *queue;
  char          *task_id;
  VdItem        *item;

  /* Template widgets */
  GtkButton     *cancel_button;
  GtkButton     *run_button;
  GtkButton     *show_button;
  GtkScrolledWindow *scrolled_window;
  GtkWidget     *form_box;
  AdwEntryRow   *queue_row;
  AdwEntryRow   *type_row;
  GtkTextView   *input_view;
  GtkTextView   *context_view;
  GtkWidget     *output_box;
  GtkSpinner    *spinner;
  GtkLabel      *progress_label;
  GtkTextView   *output_view;
  GtkWidget     *result_box;
  GtkImage      *result_icon;
  GtkLabel      *outcome_label;
  GtkLabel      *confidence_label;
  GtkLabel      *detail_label;
  GtkLabel      *reasoning_label;
  GtkLabel      *error_label;
};

G_DEFINE_FINAL_TYPE (VdNewTaskDialog, vd_new_task_dialog, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_WORKFLOW,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct
{
  VdItem   *item;
  gboolean  show_in_queue;
} RunResult;

static void
run_result_free (RunResult *result)
{
  g_clear_object (&result->item);
  g_free (result);
}

static char *
dup_buffer_text (GtkTextView *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);

  return g_strstrip (gtk_text_buffer_get_text (buffer, &start, &end, FALSE));
}

static char *
dup_entry_text (AdwEntryRow *row)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
}

static void
vd_new_task_dialog_update_actions (VdNewTaskDialog *self)
{
  g_autofree char *queue = dup_entry_text (self->queue_row);
  g_autofree char *input = dup_buffer_text (self->input_view);
  gboolean can_run = self->workflow != NULL && !self->running && self->item == NULL &&
                     queue[0] != '\0' && input[0] != '\0';

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "new-task.run", can_run);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "new-task.show", self->item != NULL);
}

static void
form_changed_cb (VdNewTaskDialog *self)
{
  vd_new_task_dialog_update_actions (self);
}

/* Finishes vd_new_task_dialog_run_async(), once. */
static void
vd_new_task_dialog_complete (VdNewTaskDialog *self)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->task);
  RunResult *result;

  if (task == NULL)
    return;

  result = g_new0 (RunResult, 1);
  result->item = self->item != NULL ? g_object_ref (self->item) : NULL;
  result->show_in_queue = self->item != NULL && self->show_in_queue;
  g_task_return_pointer (task, result, (GDestroyNotify) run_result_free);
}

static void
vd_new_task_dialog_set_running (VdNewTaskDialog *self,
                                gboolean         running)
{
  self->running = running;

  gtk_widget_set_sensitive (self->form_box, !running && self->item == NULL);
  gtk_spinner_set_spinning (self->spinner, running);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), running);
  vd_new_task_dialog_update_actions (self);
}

static void
scroll_output_to_end (VdNewTaskDialog *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->output_view);
  GtkTextIter end;

  gtk_text_buffer_get_end_iter (buffer, &end);
  gtk_text_buffer_place_cursor (buffer, &end);
  gtk_text_view_scroll_mark_onscreen (self->output_view, gtk_text_buffer_get_insert (buffer));
}

/* Workflow signals. Only the request of this dialog is followed: its queue
 * and, once the workflow has settled it, its task id. */

static void
task_started_cb (VdNewTaskDialog *self,
                 const char      *queue,
                 const char      *task_id,
                 VdWorkflow      *workflow)
{
  g_autofree char *progress = NULL;

  if (!self->running || self->task_id != NULL || g_strcmp0 (queue, self->queue) != 0)
    return;

  self->task_id = g_strdup (task_id);
  /* Translators: %s is a task id, e.g. "task_0007" */
  progress = g_strdup_printf (_("%s: waiting for the model…"), task_id);
  gtk_label_set_text (self->progress_label, progress);
}

static void
output_delta_cb (VdNewTaskDialog *self,
                 const char      *queue,
                 const char      *task_id,
                 const char      *delta,
                 VdWorkflow      *workflow)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->output_view);
  GtkTextIter end;

  if (!self->running || self->task_id == NULL ||
      g_strcmp0 (queue, self->queue) != 0 || g_strcmp0 (task_id, self->task_id) != 0)
    return;

  if (!self->streaming)
    {
      g_autofree char *progress = NULL;

      self->streaming = TRUE;
      /* Translators: %s is a task id, e.g. "task_0007" */
      progress = g_strdup_printf (_("%s: the agent is writing…"), self->task_id);
      gtk_label_set_text (self->progress_label, progress);
    }

  gtk_text_buffer_get_end_iter (buffer, &end);
  gtk_text_buffer_insert (buffer, &end, delta, -1);
  scroll_output_to_end (self);
}

static void
show_result (VdNewTaskDialog *self)
{
  VdItem *item = self->item;
  VdEscalationReason reason = vd_item_get_escalation_reason (item);
  const char *detail = vd_item_get_escalation_detail (item);
  const char *reasoning = vd_item_get_reasoning (item);
  g_autofree char *confidence = vd_source_info_format_confidence (item);
  g_autofree char *outcome = NULL;
  g_autofree char *stored = NULL;
  gboolean approved = vd_item_get_status (item) == VD_TASK_STATUS_APPROVED;

  /* The answer as the agent meant it, in place of the raw stream. */
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->output_view),
                            vd_item_get_content (item), -1);

  /* Translators: where the result went, e.g. "Stored as task_0007 in queue tasks" */
  stored = g_strdup_printf (_("Stored as %s in queue %s"), vd_item_get_task_id (item),
                            vd_item_get_queue (item));
  gtk_label_set_text (self->progress_label, stored);

  if (approved)
    {
      outcome = g_strdup (_("Auto-approved"));
      gtk_image_set_from_icon_name (self->result_icon, "emblem-ok-symbolic");
      gtk_widget_add_css_class (GTK_WIDGET (self->result_icon), "success");
    }
  else
    {
      /* Translators: %s is an escalation reason, e.g. "Low confidence" */
      outcome = g_strdup_printf (_("Queued for review: %s"),
                                 vd_escalation_reason_to_label (reason));
      gtk_image_set_from_icon_name (self->result_icon, "dialog-warning-symbolic");
      gtk_widget_add_css_class (GTK_WIDGET (self->result_icon), "warning");
    }

  gtk_label_set_text (self->outcome_label, outcome);
  gtk_label_set_text (self->confidence_label, confidence);
  gtk_label_set_text (self->detail_label, detail != NULL ? detail : "");
  gtk_widget_set_visible (GTK_WIDGET (self->detail_label), detail != NULL && detail[0] != '\0');
  gtk_label_set_text (self->reasoning_label, reasoning != NULL ? reasoning : "");
  gtk_widget_set_visible (GTK_WIDGET (self->reasoning_label),
                          reasoning != NULL && reasoning[0] != '\0');
  gtk_widget_set_visible (self->result_box, TRUE);

  gtk_widget_set_visible (GTK_WIDGET (self->run_button), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->show_button), TRUE);
  gtk_button_set_label (self->cancel_button, _("_Close"));
  gtk_window_set_default_widget (GTK_WINDOW (self), GTK_WIDGET (self->show_button));
  gtk_widget_grab_focus (GTK_WIDGET (self->show_button));
}

static void
submit_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(VdNewTaskDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(VdItem) item = NULL;

  item = vd_workflow_submit_finish (VD_WORKFLOW (object), result, &error);

  /* Closed meanwhile: the dialog has answered already. */
  if (self->cancellable == NULL || g_cancellable_is_cancelled (self->cancellable))
    return;

  g_clear_object (&self->cancellable);

  if (item == NULL)
    {
      g_autofree char *message = NULL;

      /* Translators: %s is an error message */
      message = g_strdup_printf (_("The task could not be run: %s"), error->message);
      gtk_label_set_text (self->error_label, message);
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
      gtk_label_set_text (self->progress_label, "");
      vd_new_task_dialog_set_running (self, FALSE);
      return;
    }

  self->item = g_steal_pointer (&item);
  vd_new_task_dialog_set_running (self, FALSE);
  show_result (self);
}

/* Actions and callbacks */

static void
run_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  VdNewTaskDialog *self = VD_NEW_TASK_DIALOG (widget);
  g_autofree char *input = dup_buffer_text (self->input_view);
  g_autofree char *context = dup_buffer_text (self->context_view);
  g_autofree char *task_type = dup_entry_text (self->type_row);

  if (self->running || self->item != NULL || self->workflow == NULL)
    return;

  g_clear_pointer (&self->queue, g_free);
  g_clear_pointer (&self->task_id, g_free);
  self->queue = dup_entry_text (self->queue_row);
  if (self->queue[0] == '\0' || input[0] == '\0')
    return;

  self->streaming = FALSE;
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->output_view), "", -1);
  gtk_label_set_text (self->progress_label, _("Starting…"));
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  gtk_widget_set_visible (self->output_box, TRUE);
  /* The output shows above the form. */
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scrolled_window), 0.0);

  self->cancellable = g_cancellable_new ();
  vd_new_task_dialog_set_running (self, TRUE);
  vd_workflow_submit_async (self->workflow, self->queue, NULL, input, task_type, context,
                            self->cancellable, submit_cb, g_object_ref (self));
}

static void
show_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  VdNewTaskDialog *self = VD_NEW_TASK_DIALOG (widget);

  if (self->item == NULL)
    return;

  self->show_in_queue = TRUE;
  gtk_window_close (GTK_WINDOW (self));
}

static void
cancel_clicked_cb (VdNewTaskDialog *self)
{
  gtk_window_close (GTK_WINDOW (self));
}

static gboolean
close_request_cb (VdNewTaskDialog *self)
{
  /* Stops the agent; nothing is stored unless it was already. */
  if (self->cancellable != NULL)
    {
      g_cancellable_cancel (self->cancellable);
      g_clear_object (&self->cancellable);
    }

  vd_new_task_dialog_complete (self);

  return FALSE;
}

/* The class */

static void
vd_new_task_dialog_dispose (GObject *object)
{
  VdNewTaskDialog *self = (VdNewTaskDialog *)object;

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  vd_new_task_dialog_complete (self);

  if (self->workflow != NULL)
    g_signal_handlers_disconnect_by_data (self->workflow, self);
  g_clear_object (&self->workflow);
  g_clear_object (&self->item);

  gtk_widget_dispose_template (GTK_WIDGET (self), VD_TYPE_NEW_TASK_DIALOG);

  G_OBJECT_CLASS (vd_new_task_dialog_parent_class)->dispose (object);
}

static void
vd_new_task_dialog_finalize (GObject *object)
{
  VdNewTaskDialog *self = (VdNewTaskDialog *)object;

  g_free (self->queue);
  g_free (self->task_id);

  G_OBJECT_CLASS (vd_new_task_dialog_parent_class)->finalize (object);
}

static void
vd_new_task_dialog_constructed (GObject *object)
{
  VdNewTaskDialog *self = (VdNewTaskDialog *)object;

  G_OBJECT_CLASS (vd_new_task_dialog_parent_class)->constructed (object);

  if (self->workflow != NULL)
    {
      g_signal_connect_object (self->workflow, "task-started",
                               G_CALLBACK (task_started_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->workflow, "output-delta",
                               G_CALLBACK (output_delta_cb), self, G_CONNECT_SWAPPED);
    }

  vd_new_task_dialog_update_actions (self);
}

static void
vd_new_task_dialog_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  VdNewTaskDialog *self = VD_NEW_TASK_DIALOG (object);

  switch (prop_id)
    {
    case PROP_WORKFLOW:
      g_value_set_object (value, self->workflow);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vd_new_task_dialog_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  VdNewTaskDialog *self = VD_NEW_TASK_DIALOG (object);

  switch (prop_id)
    {
    case PROP_WORKFLOW:
      self->workflow = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vd_new_task_dialog_class_init (VdNewTaskDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = vd_new_task_dialog_constructed;
  object_class->dispose = vd_new_task_dialog_dispose;
  object_class->finalize = vd_new_task_dialog_finalize;
  object_class->get_property = vd_new_task_dialog_get_property;
  object_class->set_property = vd_new_task_dialog_set_property;

  /**
   * VdNewTaskDialog:workflow:
   *
   * The workflow the task is submitted to.
   */
  properties[PROP_WORKFLOW] =
    g_param_spec_object ("workflow", NULL, NULL,
                         VD_TYPE_WORKFLOW,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/verdict/Verdict/"
                                               "vd-new-task-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, VdNewTaskDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, VdNewTaskDialog, run_button);
  gtk_widget_class_bind_template_child (widget_class, VdNewTaskDialog, show_button);
  gtk_widget_class_bind_template_child (widget_class, VdNewTaskDialog, scrolled_window);
  gtk_widget_class_bind_template_child (widget_class, VdNewTaskDialog, form_box);
  gtk_widget_class_bind_template_child (widget_class, VdNewTaskDialog, queue_row);
  gtk_widget_class_bind_template_child (widget_class, VdNewTaskDialog, type_row);
  gtk_widget_class_bind_template_child (widget_class, VdNewTaskDialog, input_view);
  gtk_widget_class_bind_template_child (widget_class, VdNewTaskDialog, context_view);
  gtk_widget_class_bind_template_child (widget_class, VdNewTaskDialog, output_box);
  gtk_widget_class_bind_template_child (widget_class, VdNewTaskDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, VdNewTaskDialog, progress_label);
  gtk_widget_class_bind_template_child (widget_class, VdNewTaskDialog, output_view);
  gtk_widget_class_bind_template_child (widget_class, VdNewTaskDialog, result_box);
  gtk_widget_class_bind_template_child (widget_class, VdNewTaskDialog, result_icon);
  gtk_widget_class_bind_template_child (widget_class, VdNewTaskDialog, outcome_label);
  gtk_widget_class_bind_template_child (widget_class, VdNewTaskDialog, confidence_label);
  gtk_widget_class_bind_template_child (widget_class, VdNewTaskDialog, detail_label);
  gtk_widget_class_bind_template_child (widget_class, VdNewTaskDialog, reasoning_label);
  gtk_widget_class_bind_template_child (widget_class, VdNewTaskDialog, error_label);
  gtk_widget_class_bind_template_callback (widget_class, form_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, cancel_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, close_request_cb);

  gtk_widget_class_install_action (widget_class, "new-task.run", NULL, run_action);
  gtk_widget_class_install_action (widget_class, "new-task.show", NULL, show_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK,
                                       "new-task.run", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK,
                                       "new-task.run", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
vd_new_task_dialog_init (VdNewTaskDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect_object (gtk_text_view_get_buffer (self->input_view), "changed",
                           G_CALLBACK (form_changed_cb), self, G_CONNECT_SWAPPED);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self->progress_label),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, _("Progress"),
                                  -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->outcome_label),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, _("Outcome"),
                                  -1);

  gtk_widget_set_visible (GTK_WIDGET (self->spinner), FALSE);
  gtk_widget_grab_focus (GTK_WIDGET (self->input_view));
}

/**
 * vd_new_task_dialog_new:
 * @workflow: the workflow to submit to
 *
 * Creates the dialog; vd_new_task_dialog_run_async() is what a window
 * normally uses.
 *
 * Returns: (transfer full): a new #VdNewTaskDialog
 */
GtkWidget *
vd_new_task_dialog_new (VdWorkflow *workflow)
{
  g_return_val_if_fail (VD_IS_WORKFLOW (workflow), NULL);

  return g_object_new (VD_TYPE_NEW_TASK_DIALOG, "workflow", workflow, NULL);
}

/**
 * vd_new_task_dialog_get_workflow:
 * @self: a #VdNewTaskDialog
 *
 * Returns: (transfer none): the workflow tasks are submitted to
 */
VdWorkflow *
vd_new_task_dialog_get_workflow (VdNewTaskDialog *self)
{
  g_return_val_if_fail (VD_IS_NEW_TASK_DIALOG (self), NULL);

  return self->workflow;
}

/**
 * vd_new_task_dialog_run_async:
 * @parent: (nullable): the window the dialog is modal for
 * @workflow: the workflow to submit to
 * @cancellable: (nullable): cancelling it closes the dialog
 * @callback: called when the dialog is closed
 * @user_data: data for @callback
 *
 * Shows the "New Task" dialog. The reviewer fills in the queue (default
 * "tasks"), the task type, the input and the context and runs the agent;
 * its output streams in, then the dialog says whether the policy
 * auto-approved the result or queued it for review, and offers "Show in
 * Queue". Closing or cancelling while the agent runs cancels the request.
 */
void
vd_new_task_dialog_run_async (GtkWindow           *parent,
                              VdWorkflow          *workflow,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  VdNewTaskDialog *self;

  g_return_if_fail (parent == NULL || GTK_IS_WINDOW (parent));
  g_return_if_fail (VD_IS_WORKFLOW (workflow));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  self = VD_NEW_TASK_DIALOG (vd_new_task_dialog_new (workflow));
  self->task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (self->task, vd_new_task_dialog_run_async);

  if (cancellable != NULL)
    g_signal_connect_object (cancellable, "cancelled",
                             G_CALLBACK (gtk_window_close), self, G_CONNECT_SWAPPED);

  if (parent != NULL)
    gtk_window_set_transient_for (GTK_WINDOW (self), parent);
  gtk_window_present (GTK_WINDOW (self));
}

/**
 * vd_new_task_dialog_run_finish:
 * @result: the result
 * @show_in_queue: (out) (optional): set to %TRUE when the reviewer asked
 *   to see the item in the queue
 * @error: return location for an error (%G_IO_ERROR_CANCELLED when the
 *   caller's cancellable was cancelled)
 *
 * Returns: (transfer full) (nullable): the item stored, or %NULL when the
 *   dialog was closed before an item was stored
 */
VdItem *
vd_new_task_dialog_run_finish (GAsyncResult  *result,
                               gboolean      *show_in_queue,
                               GError       **error)
{
  RunResult *run;
  VdItem *item;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == vd_new_task_dialog_run_async,
                        NULL);

  if (show_in_queue != NULL)
    *show_in_queue = FALSE;

  run = g_task_propagate_pointer (G_TASK (result), error);
  if (run == NULL)
    return NULL;

  item = g_steal_pointer (&run->item);
  if (show_in_queue != NULL)
    *show_in_queue = run->show_in_queue;
  run_result_free (run);

  return item;
}
