/* vd-bulk-dialog.c
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

#define G_LOG_DOMAIN "vd-bulk-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "vd-bulk-dialog.h"

/* The band is counted again this long after the last change of a field. */
#define COUNT_DELAY_MS 250

/*
 * A guarded bulk approve (see vd-bulk.h). The reviewer names a band; "Draw
 * Sample" draws the spot-check sample (vd_bulk_step(), seed recorded). The
 * sampled items are decided one by one in the main window (a row here
 * selects the item there through its "win.show-item" action); the dialog
 * follows each decision of the session's decision log. When every
 * sampled item was approved unmodified, "Approve the Rest" is the final
 * confirmation that approves the rest of the band in one step; one sampled
 * item decided otherwise cancels the bulk approve, and the dialog says why.
 * Every store call runs on a worker thread.
 */

struct _VdBulkDialog
{
  AdwWindow      parent_instance;

  VdSession     *session;
  VdStore       *store;           /* the session's when the dialog opened */
  char          *reviewer_id;     /* who signs the bulk approve */

  /* Template widgets */
  GtkStack      *stack;
  AdwComboRow   *queue_row;
  AdwEntryRow   *type_row;
  GtkSpinButton *min_spin;
  GtkSpinButton *max_spin;
  AdwComboRow   *reason_row;
  GtkSpinButton *sample_spin;
  GtkLabel      *band_label;
  GtkLabel      *sample_label;
  GtkListBox    *sample_list;
  GtkSpinner    *spinner;
  AdwStatusPage *done_page;

  GtkStringList *queues;          /* the store's queues, the queue_row's choices */
  char          *wanted_queue;    /* to select once the queues are listed */

  GCancellable  *cancellable;
  GCancellable  *count_cancellable;
  guint          count_source;
  gint64         band_size;       /* -1 while unknown */
  gint64         seed;            /* -1: a random draw */
  gboolean       busy;
  gboolean       can_approve;

  /* The band as drawn, and its sample (task ids, then the items as the
   * store has them now). */
  char          *queue;
  char          *task_type;
  VdBulkBand     band;
  double         percent;
  GPtrArray     *sample;
  GPtrArray     *sample_items;
  guint          n_rest;
};

G_DEFINE_FINAL_TYPE (VdBulkDialog, vd_bulk_dialog, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void vd_bulk_dialog_update_actions (VdBulkDialog *self);

/* The queues to choose from */

/* Selects @queue, offering it when the list does not hold it (yet). */
static void
select_queue (VdBulkDialog *self,
              const char   *queue)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->queues));
  g_autofree char *wanted = g_strdup (queue);

  g_free (self->wanted_queue);
  self->wanted_queue = g_strdup (wanted);
  if (wanted == NULL)
    return;

  for (guint i = 0; i < n; i++)
    {
      if (g_strcmp0 (gtk_string_list_get_string (self->queues, i), wanted) == 0)
        {
          adw_combo_row_set_selected (self->queue_row, i);
          return;
        }
    }

  gtk_string_list_append (self->queues, wanted);
  adw_combo_row_set_selected (self->queue_row, n);
}

/* The dialog, while its cancellable (cancelled at dispose) is not: a
 * reference would let the callback finalize a dialog whose parent is gone. */
typedef struct
{
  VdBulkDialog *self;
  GCancellable *cancellable;
} QueuesLoad;

static void
list_queues_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  QueuesLoad *load = user_data;
  g_autoptr(GCancellable) cancellable = g_steal_pointer (&load->cancellable);
  VdBulkDialog *self = load->self;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) queues = vd_store_list_queues_finish (VD_STORE (object), result, &error);
  g_autofree char *wanted = NULL;
  guint n;

  g_free (load);
  if (g_cancellable_is_cancelled (cancellable))
    return;

  if (queues == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Cannot list the queues: %s", error->message);
      return;
    }

  /* The queue chosen stays chosen and offered, even when it holds
   * nothing yet. */
  if (adw_combo_row_get_selected (self->queue_row) != GTK_INVALID_LIST_POSITION)
    wanted = g_strdup (gtk_string_list_get_string (self->queues,
                                                   adw_combo_row_get_selected (self->queue_row)));
  else
    wanted = g_strdup (self->wanted_queue);
  n = g_list_model_get_n_items (G_LIST_MODEL (self->queues));
  gtk_string_list_splice (self->queues, 0, n, (const char * const *) queues);
  select_queue (self, wanted);
}

/* The band from the fields */

static void
read_band (VdBulkDialog *self,
           VdBulkBand   *band,
           char        **queue,
           char        **task_type)
{
  guint reason = adw_combo_row_get_selected (self->reason_row);

  guint selected = adw_combo_row_get_selected (self->queue_row);
  const char *name = NULL;

  if (selected != GTK_INVALID_LIST_POSITION)
    name = gtk_string_list_get_string (self->queues, selected);

  *queue = g_strdup (name != NULL ? name : "");
  *task_type = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->type_row))));
  if ((*task_type)[0] == '\0')
    g_clear_pointer (task_type, g_free);

  band->queue = *queue;
  band->task_type = *task_type;
  band->min_confidence = gtk_spin_button_get_value (self->min_spin);
  band->max_confidence = gtk_spin_button_get_value (self->max_spin);
  /* The first choice is "Any Reason", then the reasons in order. */
  band->reason = reason == 0 || reason == GTK_INVALID_LIST_POSITION
                 ? -1 : (int) (VD_ESCALATION_REASON_LOW_CONFIDENCE + reason - 1);
}

typedef struct
{
  VdStore    *store;
  char       *queue;
  char       *task_type;
  VdBulkBand  band;
} CountJob;

static void
count_job_free (CountJob *job)
{
  g_clear_object (&job->store);
  g_clear_pointer (&job->queue, g_free);
  g_clear_pointer (&job->task_type, g_free);
  g_free (job);
}

static void
count_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  CountJob *job = task_data;
  g_autoptr(GArray) members = NULL;
  GError *error = NULL;

  members = vd_store_list_band (job->store, &job->band, &error);
  if (members == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_int (task, members->len);
}

static void
count_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  VdBulkDialog *self = VD_BULK_DIALOG (object);
  GCancellable *cancellable = g_task_get_cancellable (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  gssize count;

  count = g_task_propagate_int (G_TASK (result), &error);
  if (g_cancellable_is_cancelled (cancellable) || cancellable != self->count_cancellable)
    return;
  g_clear_object (&self->count_cancellable);

  if (error != NULL)
    {
      self->band_size = -1;
      gtk_label_set_text (self->band_label, error->message);
      gtk_widget_add_css_class (GTK_WIDGET (self->band_label), "error");
    }
  else
    {
      guint sample = vd_bulk_sample_size ((guint) count, gtk_spin_button_get_value (self->sample_spin));

      self->band_size = count;
      gtk_widget_remove_css_class (GTK_WIDGET (self->band_label), "error");
      if (count == 0)
        text = g_strdup (_("No pending item matches the band."));
      else
        /* Translators: e.g. "The band holds 40 items; you decide a sample of 4 first." */
        text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             "The band holds %u item; you decide a sample of %u "
                                             "first.",
                                             "The band holds %u items; you decide a sample of %u "
                                             "first.",
                                             (gulong) count),
                                (guint) count, sample);
      gtk_label_set_text (self->band_label, text);
    }

  vd_bulk_dialog_update_actions (self);
}

static gboolean
count_band (gpointer user_data)
{
  VdBulkDialog *self = user_data;
  g_autoptr(GTask) task = NULL;
  CountJob *job;

  self->count_source = 0;
  g_cancellable_cancel (self->count_cancellable);
  g_clear_object (&self->count_cancellable);

  job = g_new0 (CountJob, 1);
  read_band (self, &job->band, &job->queue, &job->task_type);

  if (job->queue[0] == '\0')
    {
      count_job_free (job);
      self->band_size = -1;
      gtk_label_set_text (self->band_label, _("Choose the queue of the band."));
      vd_bulk_dialog_update_actions (self);
      return G_SOURCE_REMOVE;
    }

  job->store = g_object_ref (self->store);
  self->count_cancellable = g_cancellable_new ();
  self->band_size = -1;
  gtk_label_set_text (self->band_label, _("Counting the band…"));
  vd_bulk_dialog_update_actions (self);

  task = g_task_new (self, self->count_cancellable, count_cb, NULL);
  g_task_set_source_tag (task, count_band);
  g_task_set_task_data (task, job, (GDestroyNotify) count_job_free);
  g_task_run_in_thread (task, count_thread);

  return G_SOURCE_REMOVE;
}

static void
band_changed_cb (VdBulkDialog *self)
{
  if (self->store == NULL)
    return;

  g_clear_handle_id (&self->count_source, g_source_remove);
  self->count_source = g_timeout_add (COUNT_DELAY_MS, count_band, self);
}

/* The sample */

static const char *
status_text (VdItem *item)
{
  if (item == NULL)
    return _("Not found");

  switch (vd_item_get_status (item))
    {
    case VD_TASK_STATUS_PENDING:
    case VD_TASK_STATUS_IN_REVIEW:
      return _("Waiting for your decision");
    case VD_TASK_STATUS_APPROVED:
      return _("Approved");
    case VD_TASK_STATUS_MODIFIED:
      return _("Modified: cancels the bulk approve");
    case VD_TASK_STATUS_REJECTED:
    case VD_TASK_STATUS_COMPLETED:
      return _("Rejected: cancels the bulk approve");
    case VD_TASK_STATUS_ESCALATED:
    default:
      return _("Escalated: cancels the bulk approve");
    }
}

static void
sample_row_activated_cb (VdBulkDialog  *self,
                         GtkListBoxRow *row,
                         GtkListBox    *list)
{
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));
  int index = gtk_list_box_row_get_index (row);
  VdItem *item;

  if (self->sample_items == NULL || index < 0 || (guint) index >= self->sample_items->len ||
      parent == NULL)
    return;

  item = g_ptr_array_index (self->sample_items, index);
  if (item != NULL)
    {
      gtk_widget_activate_action (GTK_WIDGET (parent), "win.show-item", "x",
                                  vd_item_get_id (item));
      gtk_window_present (parent);
    }
}

static void
fill_sample_list (VdBulkDialog *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->sample_list))) != NULL)
    gtk_list_box_remove (self->sample_list, child);

  for (guint i = 0; i < self->sample->len; i++)
    {
      VdItem *item = self->sample_items != NULL && i < self->sample_items->len
                     ? g_ptr_array_index (self->sample_items, i) : NULL;
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *icon = gtk_image_new_from_icon_name ("go-next-symbolic");

      /* Task ids are data: no markup. */
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), g_ptr_array_index (self->sample, i));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), status_text (item));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), item != NULL);
      if (item != NULL)
        adw_action_row_add_suffix (ADW_ACTION_ROW (row), icon);
      gtk_list_box_append (self->sample_list, row);
    }
}

static void
show_done (VdBulkDialog *self,
           gboolean      approved,
           const char   *message)
{
  adw_status_page_set_icon_name (self->done_page,
                                 approved ? "emblem-ok-symbolic" : "dialog-warning-symbolic");
  adw_status_page_set_title (self->done_page,
                             approved ? _("Band Approved") : _("Bulk Approve Cancelled"));
  /* The description is markup; the message names task ids. */
  {
    g_autofree char *escaped = g_markup_escape_text (message, -1);

    adw_status_page_set_description (self->done_page, escaped);
  }
  gtk_stack_set_visible_child_name (self->stack, "done");

  /* The band's items changed behind the windows' lists. */
  vd_session_notify_items_changed (self->session);
}

static void run_step (VdBulkDialog *self);

/* What the decisions on the sample so far allow. */
static void
evaluate_sample (VdBulkDialog *self)
{
  g_autofree char *text = NULL;
  guint n_undecided = 0;
  gboolean any_refused = FALSE;

  for (guint i = 0; i < self->sample_items->len; i++)
    {
      VdItem *item = g_ptr_array_index (self->sample_items, i);

      if (item == NULL)
        any_refused = TRUE;
      else if (vd_item_is_undecided (item) &&
               vd_item_get_status (item) != VD_TASK_STATUS_ESCALATED)
        n_undecided++;
      else if (vd_item_get_status (item) != VD_TASK_STATUS_APPROVED)
        any_refused = TRUE;
    }

  self->can_approve = FALSE;

  /* One sampled item not approved unmodified: the store cancels, and
   * says why. */
  if (any_refused)
    {
      run_step (self);
      return;
    }

  if (n_undecided > 0)
    /* Translators: the spot check's state */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "Decide the %u sampled items in the main window, one "
                                         "by one: %u is left. Select an item here to show it "
                                         "there. Approve only what you would approve on its "
                                         "own; any other decision cancels the bulk approve.",
                                         "Decide the %u sampled items in the main window, one "
                                         "by one: %u are left. Select an item here to show it "
                                         "there. Approve only what you would approve on its "
                                         "own; any other decision cancels the bulk approve.",
                                         n_undecided),
                           self->sample->len, n_undecided);
  else
    {
      self->can_approve = TRUE;
      /* Translators: the final confirmation of a bulk approve */
      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "All %u sampled items were approved unmodified. "
                                           "Approve the other %u item of the band in one step? "
                                           "Each is recorded in the audit trail, linked to this "
                                           "bulk approve.",
                                           "All %u sampled items were approved unmodified. "
                                           "Approve the other %u items of the band in one step? "
                                           "Each is recorded in the audit trail, linked to this "
                                           "bulk approve.",
                                           self->n_rest),
                             self->sample->len, self->n_rest);
    }

  gtk_label_set_text (self->sample_label, text);
  gtk_widget_remove_css_class (GTK_WIDGET (self->sample_label), "error");
  vd_bulk_dialog_update_actions (self);
}

typedef struct
{
  VdStore   *store;
  char      *queue;
  GPtrArray *task_ids;
  GPtrArray *items;
} SampleLoad;

/* The sample holds NULL for an item no longer in the store. */
static void
unref_nullable (gpointer object)
{
  if (object != NULL)
    g_object_unref (object);
}

static void
sample_load_free (SampleLoad *load)
{
  g_clear_object (&load->store);
  g_clear_pointer (&load->queue, g_free);
  g_clear_pointer (&load->task_ids, g_ptr_array_unref);
  g_clear_pointer (&load->items, g_ptr_array_unref);
  g_free (load);
}

static void
sample_load_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  SampleLoad *load = task_data;

  load->items = g_ptr_array_new_with_free_func (unref_nullable);
  for (guint i = 0; i < load->task_ids->len; i++)
    {
      g_autoptr(GError) error = NULL;
      VdItem *item = vd_store_get_item (load->store, load->queue,
                                        g_ptr_array_index (load->task_ids, i), &error);

      if (item == NULL && !g_error_matches (error, VD_STORE_ERROR, VD_STORE_ERROR_NOT_FOUND))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      g_ptr_array_add (load->items, item);
    }

  g_task_return_boolean (task, TRUE);
}

static void
sample_load_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  VdBulkDialog *self = VD_BULK_DIALOG (object);
  SampleLoad *load = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      self->busy = FALSE;
      gtk_widget_set_visible (GTK_WIDGET (self->spinner), FALSE);
      gtk_label_set_text (self->sample_label, error->message);
      gtk_widget_add_css_class (GTK_WIDGET (self->sample_label), "error");
      vd_bulk_dialog_update_actions (self);
      return;
    }

  self->busy = FALSE;
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), FALSE);
  g_clear_pointer (&self->sample_items, g_ptr_array_unref);
  self->sample_items = g_steal_pointer (&load->items);
  fill_sample_list (self);
  evaluate_sample (self);
}

static void
load_sample (VdBulkDialog *self)
{
  g_autoptr(GTask) task = NULL;
  SampleLoad *load;

  self->busy = TRUE;
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), TRUE);
  vd_bulk_dialog_update_actions (self);

  load = g_new0 (SampleLoad, 1);
  load->store = g_object_ref (self->store);
  load->queue = g_strdup (self->queue);
  load->task_ids = g_ptr_array_ref (self->sample);

  task = g_task_new (self, self->cancellable, sample_load_cb, NULL);
  g_task_set_source_tag (task, load_sample);
  g_task_set_task_data (task, load, (GDestroyNotify) sample_load_free);
  g_task_run_in_thread (task, sample_load_thread);
}

/* The steps of the bulk approve */

static void
step_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(VdBulkDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_auto(VdBulkOutcome) outcome = { 0, };

  if (!vd_bulk_step_finish (VD_STORE (object), result, &outcome, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      self->busy = FALSE;
      gtk_widget_set_visible (GTK_WIDGET (self->spinner), FALSE);
      if (self->sample == NULL)
        {
          gtk_label_set_text (self->band_label, error->message);
          gtk_widget_add_css_class (GTK_WIDGET (self->band_label), "error");
        }
      else
        {
          gtk_label_set_text (self->sample_label, error->message);
          gtk_widget_add_css_class (GTK_WIDGET (self->sample_label), "error");
        }
      vd_bulk_dialog_update_actions (self);
      return;
    }

  self->busy = FALSE;
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), FALSE);

  switch (outcome.step)
    {
    case VD_BULK_STEP_SAMPLED:
    case VD_BULK_STEP_WAITING:
      g_clear_pointer (&self->sample, g_ptr_array_unref);
      self->sample = g_ptr_array_new_with_free_func (g_free);
      for (guint i = 0; i < outcome.action->sample->len; i++)
        g_ptr_array_add (self->sample, g_strdup (g_ptr_array_index (outcome.action->sample, i)));
      self->n_rest = outcome.action->members->len - outcome.action->sample->len;
      /* A bulk approve drawn earlier for the same band goes on: its seed. */
      self->seed = outcome.action->seed;
      gtk_stack_set_visible_child_name (self->stack, "sample");
      fill_sample_list (self);
      load_sample (self);
      break;

    case VD_BULK_STEP_APPROVED:
      show_done (self, TRUE, outcome.message);
      break;

    case VD_BULK_STEP_CANCELLED:
    default:
      show_done (self, FALSE, outcome.message);
      break;
    }

  vd_bulk_dialog_update_actions (self);
}

static void
run_step (VdBulkDialog *self)
{
  self->busy = TRUE;
  self->can_approve = FALSE;
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), TRUE);
  vd_bulk_dialog_update_actions (self);

  vd_bulk_step_async (self->store, &self->band, self->reviewer_id, self->percent, self->seed,
                      self->cancellable, step_cb, g_object_ref (self));
}

static void
start_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  VdBulkDialog *self = VD_BULK_DIALOG (widget);

  if (self->busy || self->band_size <= 0)
    return;

  g_clear_pointer (&self->queue, g_free);
  g_clear_pointer (&self->task_type, g_free);
  read_band (self, &self->band, &self->queue, &self->task_type);
  self->percent = gtk_spin_button_get_value (self->sample_spin);

  run_step (self);
}

static void
approve_rest_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  VdBulkDialog *self = VD_BULK_DIALOG (widget);

  if (self->busy || !self->can_approve)
    return;

  gtk_label_set_text (self->sample_label, _("Approving the rest of the band…"));
  run_step (self);
}

static void
vd_bulk_dialog_update_actions (VdBulkDialog *self)
{
  const char *page = gtk_stack_get_visible_child_name (self->stack);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "bulk.start",
                                 !self->busy && self->band_size > 0 && self->reviewer_id != NULL &&
                                 g_strcmp0 (page, "setup") == 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "bulk.approve-rest",
                                 !self->busy && self->can_approve &&
                                 g_strcmp0 (page, "sample") == 0);
}

/**
 * vd_bulk_dialog_refresh:
 * @self: a #VdBulkDialog
 *
 * Reads the sampled items again, after a decision in the main window.
 */
void
vd_bulk_dialog_refresh (VdBulkDialog *self)
{
  g_return_if_fail (VD_IS_BULK_DIALOG (self));

  if (self->sample == NULL || self->busy ||
      g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "sample") != 0)
    return;

  load_sample (self);
}

/* The class */

static void
vd_bulk_dialog_dispose (GObject *object)
{
  VdBulkDialog *self = (VdBulkDialog *)object;

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->count_cancellable);
  g_clear_object (&self->count_cancellable);
  g_clear_handle_id (&self->count_source, g_source_remove);

  gtk_widget_dispose_template (GTK_WIDGET (self), VD_TYPE_BULK_DIALOG);

  G_OBJECT_CLASS (vd_bulk_dialog_parent_class)->dispose (object);
}

static void
vd_bulk_dialog_finalize (GObject *object)
{
  VdBulkDialog *self = (VdBulkDialog *)object;

  g_clear_object (&self->cancellable);
  g_clear_object (&self->session);
  g_clear_object (&self->queues);
  g_clear_pointer (&self->wanted_queue, g_free);
  g_clear_object (&self->store);
  g_clear_pointer (&self->reviewer_id, g_free);
  g_clear_pointer (&self->queue, g_free);
  g_clear_pointer (&self->task_type, g_free);
  g_clear_pointer (&self->sample, g_ptr_array_unref);
  g_clear_pointer (&self->sample_items, g_ptr_array_unref);

  G_OBJECT_CLASS (vd_bulk_dialog_parent_class)->finalize (object);
}

static void
decisions_changed_cb (VdBulkDialog *self)
{
  vd_bulk_dialog_refresh (self);
}

static void
vd_bulk_dialog_constructed (GObject *object)
{
  VdBulkDialog *self = (VdBulkDialog *)object;
  VdDecisionLog *log;

  G_OBJECT_CLASS (vd_bulk_dialog_parent_class)->constructed (object);

  g_assert (VD_IS_SESSION (self->session));
  g_assert (vd_session_get_store (self->session) != NULL);

  self->store = g_object_ref (vd_session_get_store (self->session));
  self->reviewer_id = g_strdup (vd_session_get_reviewer_id (self->session));

  /* Each decision on a sampled item, or its undo, tells. */
  log = vd_session_get_decision_log (self->session);
  g_signal_connect_object (log, "recorded",
                           G_CALLBACK (decisions_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (log, "undone",
                           G_CALLBACK (decisions_changed_cb), self, G_CONNECT_SWAPPED);

  vd_bulk_dialog_update_actions (self);
}

static void
vd_bulk_dialog_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  VdBulkDialog *self = VD_BULK_DIALOG (object);

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
vd_bulk_dialog_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  VdBulkDialog *self = VD_BULK_DIALOG (object);

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
vd_bulk_dialog_class_init (VdBulkDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = vd_bulk_dialog_constructed;
  object_class->dispose = vd_bulk_dialog_dispose;
  object_class->finalize = vd_bulk_dialog_finalize;
  object_class->get_property = vd_bulk_dialog_get_property;
  object_class->set_property = vd_bulk_dialog_set_property;

  /**
   * VdBulkDialog:session:
   *
   * The session whose store the band is drawn from and whose reviewer
   * signs the bulk approve; it must have a store.
   */
  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL,
                         VD_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/verdict/Verdict/vd-bulk-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, VdBulkDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, VdBulkDialog, queue_row);
  gtk_widget_class_bind_template_child (widget_class, VdBulkDialog, type_row);
  gtk_widget_class_bind_template_child (widget_class, VdBulkDialog, min_spin);
  gtk_widget_class_bind_template_child (widget_class, VdBulkDialog, max_spin);
  gtk_widget_class_bind_template_child (widget_class, VdBulkDialog, reason_row);
  gtk_widget_class_bind_template_child (widget_class, VdBulkDialog, sample_spin);
  gtk_widget_class_bind_template_child (widget_class, VdBulkDialog, band_label);
  gtk_widget_class_bind_template_child (widget_class, VdBulkDialog, sample_label);
  gtk_widget_class_bind_template_child (widget_class, VdBulkDialog, sample_list);
  gtk_widget_class_bind_template_child (widget_class, VdBulkDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, VdBulkDialog, done_page);
  gtk_widget_class_bind_template_child_full (widget_class, "start_button", FALSE, 0);

  gtk_widget_class_install_action (widget_class, "bulk.start", NULL, start_action);
  gtk_widget_class_install_action (widget_class, "bulk.approve-rest", NULL, approve_rest_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
vd_bulk_dialog_init (VdBulkDialog *self)
{
  g_autoptr(GtkStringList) reasons = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->band_size = -1;
  self->seed = -1;

  reasons = gtk_string_list_new ((const char * const []) { _("Any Reason"), NULL });
  for (int r = VD_ESCALATION_REASON_LOW_CONFIDENCE; r <= VD_ESCALATION_REASON_USER_REQUESTED; r++)
    gtk_string_list_append (reasons, vd_escalation_reason_to_label (r));
  adw_combo_row_set_model (self->reason_row, G_LIST_MODEL (reasons));

  self->queues = gtk_string_list_new (NULL);
  adw_combo_row_set_model (self->queue_row, G_LIST_MODEL (self->queues));
  g_signal_connect_object (self->queue_row, "notify::selected", G_CALLBACK (band_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->type_row, "changed", G_CALLBACK (band_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->min_spin, "value-changed", G_CALLBACK (band_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->max_spin, "value-changed", G_CALLBACK (band_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->sample_spin, "value-changed", G_CALLBACK (band_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->reason_row, "notify::selected", G_CALLBACK (band_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->sample_list, "row-activated",
                           G_CALLBACK (sample_row_activated_cb), self, G_CONNECT_SWAPPED);

  gtk_stack_set_visible_child_name (self->stack, "setup");
  vd_bulk_dialog_update_actions (self);
}

/**
 * vd_bulk_dialog_new:
 * @parent: the main window: the sampled items are decided there (through
 *   its "win.show-item" action); the dialog goes with it
 * @session: the session: its store, its reviewer, its decisions
 * @queue: (nullable): the band's queue to start with
 *
 * Returns: (transfer full): a new bulk approve dialog
 */
VdBulkDialog *
vd_bulk_dialog_new (GtkWindow  *parent,
                    VdSession  *session,
                    const char *queue)
{
  VdBulkDialog *self;

  g_return_val_if_fail (GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (VD_IS_SESSION (session), NULL);
  g_return_val_if_fail (vd_session_get_store (session) != NULL, NULL);

  self = g_object_new (VD_TYPE_BULK_DIALOG,
                       "session", session,
                       "transient-for", parent,
                       "destroy-with-parent", TRUE,
                       "application", gtk_window_get_application (parent),
                       NULL);

  select_queue (self, queue);
  {
    QueuesLoad *load = g_new0 (QueuesLoad, 1);

    load->self = self;
    load->cancellable = g_object_ref (self->cancellable);
    vd_store_list_queues_async (self->store, self->cancellable, list_queues_cb, load);
  }
  band_changed_cb (self);

  return self;
}

/* Internal state, for the tests */

void
_vd_bulk_dialog_set_seed (VdBulkDialog *self,
                          gint64        seed)
{
  self->seed = seed;
}

void
_vd_bulk_dialog_set_band (VdBulkDialog     *self,
                          const VdBulkBand *band,
                          double            percent)
{
  select_queue (self, band->queue);
  gtk_editable_set_text (GTK_EDITABLE (self->type_row),
                         band->task_type != NULL ? band->task_type : "");
  gtk_spin_button_set_value (self->min_spin, band->min_confidence);
  gtk_spin_button_set_value (self->max_spin, band->max_confidence);
  adw_combo_row_set_selected (self->reason_row,
                              band->reason < 0
                              ? 0 : (guint) (band->reason - VD_ESCALATION_REASON_LOW_CONFIDENCE + 1));
  gtk_spin_button_set_value (self->sample_spin, percent);
}

const char *
_vd_bulk_dialog_get_page (VdBulkDialog *self)
{
  return gtk_stack_get_visible_child_name (self->stack);
}

gint64
_vd_bulk_dialog_get_band_size (VdBulkDialog *self)
{
  return self->count_source != 0 || self->count_cancellable != NULL ? -1 : self->band_size;
}

GPtrArray *
_vd_bulk_dialog_get_sample (VdBulkDialog *self)
{
  return self->sample;
}

gboolean
_vd_bulk_dialog_get_busy (VdBulkDialog *self)
{
  return self->busy;
}

const char *
_vd_bulk_dialog_get_message (VdBulkDialog *self)
{
  const char *page = gtk_stack_get_visible_child_name (self->stack);

  if (g_strcmp0 (page, "done") == 0)
    return adw_status_page_get_description (self->done_page);
  if (g_strcmp0 (page, "sample") == 0)
    return gtk_label_get_text (self->sample_label);

  return gtk_label_get_text (self->band_label);
}

gint64
_vd_bulk_dialog_get_sample_item_id (VdBulkDialog *self,
                                    guint         index)
{
  VdItem *item;

  if (self->sample_items == NULL || index >= self->sample_items->len)
    return 0;

  item = g_ptr_array_index (self->sample_items, index);

  return item != NULL ? vd_item_get_id (item) : 0;
}
