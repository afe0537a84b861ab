/* vd-window-actions.c
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

/* The window's actions and their keys: decisions, moving through the
 * queue, undo, search, export. */

#define G_LOG_DOMAIN "vd-window"

#include "config.h"

#include <glib/gi18n.h>

#include "vd-decision-dialog.h"
#include "vd-stats-window.h"
#include "vd-window-private.h"

/* Recorded in the audit trail with an undo: data, so not translated. */
#define UNDO_REASON "Undone by the reviewer"

/* The one place that derives which actions are enabled. */
void
_vd_window_update_actions (VdWindow *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  VdItem *item = _vd_window_get_current_item (self);
  guint n_items = self->items != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->items)) : 0;
  guint selected = _vd_window_get_selected (self);
  VdDecisionLog *log = vd_session_get_decision_log (self->session);
  VdImportQueue *imports = vd_session_get_import_queue (self->session);
  gboolean has_store = vd_session_get_store (self->session) != NULL;
  gboolean can_decide;

  if (_vd_window_is_disposed (self))
    return;

  can_decide = has_store &&
               log != NULL &&
               !vd_session_get_disconnected (self->session) &&
               !vd_session_get_needs_sign_in (self->session) &&
               !self->read_only &&
               !_vd_window_is_claimed_elsewhere (self) &&
               item != NULL &&
               vd_item_is_undecided (item) &&
               !self->dialog_open &&
               !vd_decision_log_is_recording (log, vd_item_get_id (item));

  /* A decision the item's source does not accept is not offered;
   * escalating keeps the item inside Verdict and is always offered. */
  gtk_widget_action_set_enabled (widget, "win.approve",
                                 can_decide &&
                                 vd_item_allows_decision (item, VD_DECISION_KIND_APPROVE));
  gtk_widget_action_set_enabled (widget, "win.reject",
                                 can_decide &&
                                 vd_item_allows_decision (item, VD_DECISION_KIND_REJECT));
  gtk_widget_action_set_enabled (widget, "win.modify",
                                 can_decide &&
                                 vd_item_allows_decision (item, VD_DECISION_KIND_MODIFY));
  gtk_widget_action_set_enabled (widget, "win.escalate", can_decide);
  gtk_widget_action_set_enabled (widget, "win.rate-output", can_decide);

  gtk_widget_action_set_enabled (widget, "win.next",
                                 n_items > 0 &&
                                 (selected == GTK_INVALID_LIST_POSITION ||
                                  selected + 1 < n_items));
  gtk_widget_action_set_enabled (widget, "win.previous",
                                 n_items > 0 &&
                                 selected != GTK_INVALID_LIST_POSITION &&
                                 selected > 0);

  gtk_widget_action_set_enabled (widget, "win.undo",
                                 has_store && log != NULL && vd_decision_log_get_can_undo (log));
  gtk_widget_action_set_enabled (widget, "win.export", has_store);
  gtk_widget_action_set_enabled (widget, "win.export-format", has_store);
  gtk_widget_action_set_enabled (widget, "win.statistics", has_store);
  gtk_widget_action_set_enabled (widget, "win.bulk-approve", has_store);
  gtk_widget_action_set_enabled (widget, "win.show-item", has_store);
  gtk_widget_action_set_enabled (widget, "win.cancel-import",
                                 vd_import_queue_get_running (imports));
  gtk_widget_action_set_enabled (widget, "win.lock",
                                 vd_session_get_signing_state (self->session) ==
                                 VD_SIGNING_STATE_UNLOCKED);
  gtk_widget_action_set_enabled (widget, "win.sign-in",
                                 vd_session_get_signing_state (self->session) ==
                                 VD_SIGNING_STATE_LOCKED &&
                                 !vd_session_get_needs_sign_in (self->session));

  _vd_window_update_agent (self);
}

static void vd_window_set_decision_toast (VdWindow   *self,
                                          const char *title,
                                          gboolean    undo);
static void vd_window_show_decision_toast (VdWindow       *self,
                                           VdItem         *item,
                                           VdDecisionKind  kind);
static gboolean vd_window_move_on (VdWindow       *self,
                                   VdItem         *item,
                                   VdDecisionKind  kind);

typedef struct
{
  VdWindow       *self;
  VdDecision     *decision;
  VdItem         *item;
  VdDecisionKind  kind;
  gboolean        left_view;
  gboolean        waited;     /* moves on once the store has it */
} RecordJob;

static void
record_job_free (RecordJob *job)
{
  g_clear_object (&job->self);
  g_clear_object (&job->decision);
  g_clear_object (&job->item);
  g_free (job);
}

static void
record_decision_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  RecordJob *job = user_data;
  VdWindow *self = job->self;
  g_autoptr(GError) error = NULL;
  gint64 item_id = vd_item_get_id (job->item);

  vd_decision_log_record_finish (VD_DECISION_LOG (object), result, &error);

  if (_vd_window_is_disposed (self))
    {
      record_job_free (job);
      return;
    }

  if (error != NULL)
    {
      g_autofree char *message = NULL;

      /* Translators: %s is the reason, e.g. "Item t1 in queue q is already approved: …" */
      message = g_strdup_printf (_("The decision on “%s” was not saved: %s"),
                                 vd_item_get_task_id (job->item), error->message);
      /* The team server is out of reach: the decision is not shown as
       * saved. The item stays open as it was and what the reviewer wrote
       * is kept for the next try; the banner says the rest. When the
       * COMMIT's answer was lost the server may have saved it: the list
       * is read again on reconnection, and a second try is refused as
       * already decided. */
      if (vd_session_report_error (self->session, error))
        {
          _vd_window_keep_draft (self, job->decision, item_id);
          _vd_window_update_actions (self);
          record_job_free (job);
          return;
        }

      /* A refusal of the roster is said in the decision's toast, in
       * place of its Undo; the item stays. */
      if (_vd_window_decision_refused (self, error))
        {
          g_autofree char *escaped = g_markup_escape_text (error->message, -1);

          vd_window_set_decision_toast (self, escaped, FALSE);
        }
      else
        _vd_window_show_error (self, _("Cannot Save the Decision"), message);

      /* The item is back in the list, as the store has it. */
      self->select_after_load = item_id;
      _vd_window_reload_items (self);
    }
  else
    {
      _vd_window_forget_draft (self, item_id);
      if (job->waited)
        {
          if (job->kind == VD_DECISION_KIND_APPROVE && self->shown != NULL &&
              vd_item_get_id (self->shown) == item_id)
            {
              vd_item_detail_clear_note (self->detail);
              vd_feedback_input_clear (self->feedback_input);
            }
          job->left_view = vd_window_move_on (self, job->item, job->kind);
          vd_window_show_decision_toast (self, job->item, job->kind);
        }

      /* The store's new status, at once for an item still in view. */
      vd_item_set_status (job->item, vd_decision_kind_to_status (job->kind));
      if (!job->left_view && self->items != NULL)
        vd_item_list_model_refresh_item (self->items, item_id);
      if (self->shown != NULL && vd_item_get_id (self->shown) == item_id)
        vd_item_detail_reload (self->detail);

      /* The session sends a reject to the agent for a revision. */
      vd_fatigue_banner_add_decision (self->fatigue_banner, job->decision);
    }

  _vd_window_refresh_counts (self);
  _vd_window_update_actions (self);
  record_job_free (job);
}

/* Where toasts go: over the queue, or over the item when the folded
 * window shows only the item; never over the decision bar. Pages without
 * the decision bar use the window's overlay. */
AdwToastOverlay *
_vd_window_get_toast_overlay (VdWindow *self)
{
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "review") != 0)
    return self->toast_overlay;

  if (adw_leaflet_get_folded (self->leaflet) &&
      adw_leaflet_get_visible_child (self->leaflet) == self->content)
    return self->content_toast_overlay;

  return self->list_toast_overlay;
}

void
_vd_window_dismiss_decision_toast (VdWindow *self)
{
  AdwToast *toast = self->decision_toast;

  if (toast == NULL)
    return;

  g_object_remove_weak_pointer (G_OBJECT (toast), (gpointer *) &self->decision_toast);
  self->decision_toast = NULL;
  adw_toast_dismiss (toast);
}

/* The toast about the latest decision (offering Undo) or its undoing.
 * One toast says it: a newer decision takes the toast shown over rather
 * than dismissing it for another, so that quick decisions neither queue
 * toasts nor dismiss one while it still slides in (libadwaita 1.2 frees a
 * toast dismissed during its entry animation twice). */
static void
vd_window_set_decision_toast (VdWindow   *self,
                              const char *title,
                              gboolean    undo)
{
  AdwToast *toast = self->decision_toast;

  if (toast == NULL)
    {
      toast = adw_toast_new (title);
      adw_toast_set_timeout (toast, 4);
      self->decision_toast = toast;
      g_object_add_weak_pointer (G_OBJECT (toast), (gpointer *) &self->decision_toast);
      adw_toast_overlay_add_toast (_vd_window_get_toast_overlay (self), toast);
    }
  else
    adw_toast_set_title (toast, title);

  /* Undo takes back the latest decision: only its toast offers it. */
  adw_toast_set_button_label (toast, undo ? _("_Undo") : NULL);
  adw_toast_set_action_name (toast, undo ? "win.undo" : NULL);
}

static void
vd_window_show_decision_toast (VdWindow       *self,
                               VdItem         *item,
                               VdDecisionKind  kind)
{
  g_autofree char *title = NULL;

  /* Toast titles are markup; task ids are data. */
  switch (kind)
    {
    case VD_DECISION_KIND_APPROVE:
      /* Translators: a toast after a decision; %s is the task id */
      title = g_markup_printf_escaped (_("Approved “%s”"), vd_item_get_task_id (item));
      break;

    case VD_DECISION_KIND_REJECT:
      /* Translators: a toast after a decision; %s is the task id */
      title = g_markup_printf_escaped (_("Rejected “%s”"), vd_item_get_task_id (item));
      break;

    case VD_DECISION_KIND_MODIFY:
      /* Translators: a toast after a decision; %s is the task id */
      title = g_markup_printf_escaped (_("Modified “%s”"), vd_item_get_task_id (item));
      break;

    case VD_DECISION_KIND_ESCALATE_FURTHER:
    default:
      /* Translators: a toast after a decision; %s is the task id */
      title = g_markup_printf_escaped (_("Escalated “%s”"), vd_item_get_task_id (item));
      break;
    }

  vd_window_set_decision_toast (self, title, TRUE);
}

/* Records the decision and moves on at once: the next item is selected
 * before the store has answered; an error brings the item back. */
static void
vd_window_record (VdWindow       *self,
                  VdItem         *item,
                  VdDecisionKind  kind,
                  const char     *text,
                  VdHelpful       helpful,
                  const char     *category,
                  gint64          shown_at)
{
  g_autoptr(VdDecision) decision = NULL;
  VdDecisionLog *log = vd_session_get_decision_log (self->session);
  const char *reviewer_id = vd_session_get_reviewer_id (self->session);
  gint64 item_id = vd_item_get_id (item);
  gint64 elapsed = g_get_monotonic_time () - shown_at;
  RecordJob *job;

  g_assert (reviewer_id != NULL);
  g_assert (log != NULL);

  decision = vd_decision_new (vd_item_get_queue (item), vd_item_get_task_id (item),
                              kind, reviewer_id);
  vd_decision_set_revision (decision, vd_item_get_revision (item));
  /* Whole milliseconds, rounded up: a decision always takes some time. */
  vd_decision_set_duration_ms (decision, MAX (1, (elapsed + 999) / 1000));

  if (kind == VD_DECISION_KIND_MODIFY)
    vd_decision_set_modified_content (decision, text);
  else if (text != NULL && text[0] != '\0')
    vd_decision_set_feedback (decision, text);

  /* The feedback loop: optional. */
  vd_decision_set_helpful (decision, helpful);
  vd_decision_set_category (decision, category);

  job = g_new0 (RecordJob, 1);
  job->self = g_object_ref (self);
  job->decision = g_object_ref (decision);
  job->item = g_object_ref (item);
  job->kind = kind;

  /* On a team server the item stays until the server has the decision:
   * one that was not acknowledged is never shown as saved. */
  job->waited = vd_session_get_team_server (self->session) != NULL;

  /* Never cancelled: a decision taken is recorded. */
  vd_decision_log_record_async (log, decision, item_id, NULL, record_decision_cb, job);

  if (!job->waited)
    {
      job->left_view = vd_window_move_on (self, item, kind);
      vd_window_show_decision_toast (self, item, kind);
    }
  _vd_window_update_pages (self);
  _vd_window_update_actions (self);
}

/* Moves on from a decided item: selects the next item first, then drops
 * the decided one, so the selection never passes through "nothing".
 * Returns whether the item left the list. */
static gboolean
vd_window_move_on (VdWindow       *self,
                   VdItem         *item,
                   VdDecisionKind  kind)
{
  gint64 item_id = vd_item_get_id (item);
  guint position, n_items;
  gboolean leaves;

  if (self->items == NULL)
    return FALSE;

  position = vd_item_list_model_find (self->items, item_id);
  n_items = g_list_model_get_n_items (G_LIST_MODEL (self->items));
  leaves = position != GTK_INVALID_LIST_POSITION && _vd_window_decided_leaves_view (self, kind);

  if (position != GTK_INVALID_LIST_POSITION)
    {
      if (position + 1 < n_items)
        _vd_window_select_position (self, position + 1);
      else if (leaves && position > 0)
        _vd_window_select_position (self, position - 1);
    }

  if (leaves)
    {
      _vd_window_park_list_focus (self, FALSE);
      vd_item_list_model_remove (self->items, position);

      if ((vd_item_get_status (item) == VD_TASK_STATUS_PENDING ||
           vd_item_get_status (item) == VD_TASK_STATUS_IN_REVIEW) &&
          self->counts != NULL && vd_queue_counts_take_pending (self->counts))
        _vd_window_set_counts_label (self);
    }

  _vd_window_update_pages (self);
  return leaves;
}

typedef struct
{
  VdWindow       *self;
  VdItem         *item;
  VdDecisionKind  kind;
  gint64          shown_at;
} DialogJob;

static void
dialog_job_free (DialogJob *job)
{
  g_clear_object (&job->self);
  g_clear_object (&job->item);
  g_free (job);
}

static void
decision_dialog_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  DialogJob *job = user_data;
  VdWindow *self = job->self;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *category = NULL;
  VdHelpful helpful = VD_HELPFUL_UNSET;

  text = vd_decision_dialog_run_finish (result, &helpful, &category, &error);
  self->dialog_open = FALSE;

  if (!_vd_window_is_disposed (self))
    {
      if (text != NULL && vd_session_get_store (self->session) != NULL &&
          vd_session_get_decision_log (self->session) != NULL &&
          vd_session_get_reviewer_id (self->session) != NULL)
        vd_window_record (self, job->item, job->kind, text, helpful, category, job->shown_at);
      else
        _vd_window_update_actions (self);
    }

  dialog_job_free (job);
}

static void
vd_window_decide (VdWindow       *self,
                  VdDecisionKind  kind)
{
  VdItem *item = _vd_window_get_current_item (self);
  DialogJob *job;

  if (item == NULL || vd_session_get_decision_log (self->session) == NULL ||
      !vd_item_is_undecided (item) || !vd_item_allows_decision (item, kind))
    return;

  if (vd_session_get_reviewer_id (self->session) == NULL)
    {
      /* Resumed by _vd_window_resume_decision() once the name is saved. */
      self->pending_item_id = vd_item_get_id (item);
      self->pending_kind = kind;
      _vd_window_ask_reviewer (self);
      return;
    }

  if (kind == VD_DECISION_KIND_APPROVE)
    {
      g_autofree char *note = g_strdup (vd_item_detail_get_note (self->detail));
      g_autofree char *category = vd_feedback_input_dup_category (self->feedback_input);
      VdHelpful helpful = vd_feedback_input_get_helpful (self->feedback_input);

      /* On a team server the note stays until the server has the
       * decision (see record_decision_cb). */
      if (vd_session_get_team_server (self->session) == NULL)
        {
          vd_item_detail_clear_note (self->detail);
          vd_feedback_input_clear (self->feedback_input);
        }
      vd_window_record (self, item, kind, note, helpful, category, self->shown_at);
      return;
    }

  job = g_new0 (DialogJob, 1);
  job->self = g_object_ref (self);
  job->item = g_object_ref (item);
  job->kind = kind;
  job->shown_at = self->shown_at;

  self->dialog_open = TRUE;
  _vd_window_update_actions (self);

  vd_decision_dialog_run_async (GTK_WINDOW (self), kind, item,
                                self->feedback_input, self->cancellable,
                                decision_dialog_cb, job);
  /* What the reviewer wrote for a decision the server never got. */
  _vd_window_restore_draft (self, item, kind);
}

/* The name prompt that a decision opened was answered: with a name, the
 * decision goes on for the item it was asked on, if that is still shown. */
void
_vd_window_resume_decision (VdWindow *self,
                            gboolean  named)
{
  VdItem *item = _vd_window_get_current_item (self);
  gint64 item_id = self->pending_item_id;

  self->pending_item_id = 0;

  if (!named || item_id == 0 || item == NULL || vd_item_get_id (item) != item_id ||
      vd_session_get_reviewer_id (self->session) == NULL)
    return;

  vd_window_decide (self, self->pending_kind);
}

static void
approve_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  vd_window_decide (VD_WINDOW (widget), VD_DECISION_KIND_APPROVE);
}

static void
reject_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  vd_window_decide (VD_WINDOW (widget), VD_DECISION_KIND_REJECT);
}

static void
modify_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  vd_window_decide (VD_WINDOW (widget), VD_DECISION_KIND_MODIFY);
}

static void
escalate_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  vd_window_decide (VD_WINDOW (widget), VD_DECISION_KIND_ESCALATE_FURTHER);
}

static void
vd_window_move (VdWindow *self,
                int       delta)
{
  guint selected = _vd_window_get_selected (self);
  guint n_items;

  if (self->items == NULL)
    return;

  n_items = g_list_model_get_n_items (G_LIST_MODEL (self->items));
  if (n_items == 0)
    return;

  if (selected == GTK_INVALID_LIST_POSITION)
    _vd_window_select_position (self, 0);
  else if (delta > 0 && selected + 1 < n_items)
    _vd_window_select_position (self, selected + 1);
  else if (delta < 0 && selected > 0)
    _vd_window_select_position (self, selected - 1);
}

static void
next_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  vd_window_move (VD_WINDOW (widget), 1);
}

static void
previous_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  vd_window_move (VD_WINDOW (widget), -1);
}

static void
undo_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(VdWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  gint64 item_id;

  item_id = vd_decision_log_undo_finish (VD_DECISION_LOG (object), result, &error);

  /* Closed, or another store meanwhile. */
  if (_vd_window_is_disposed (self) ||
      VD_DECISION_LOG (object) != vd_session_get_decision_log (self->session))
    return;

  if (error != NULL)
    {
      /* The team server is out of reach: the banner says so, and Undo
       * can be tried again once it is back. */
      if (!_vd_window_error_is_cancelled (error) &&
          !vd_session_report_error (self->session, error))
        _vd_window_show_error (self, _("Cannot Undo the Decision"), error->message);
      _vd_window_update_actions (self);
      return;
    }

  /* The item is undecided again: list it and show it, to decide anew. */
  if (self->shown != NULL && vd_item_get_id (self->shown) == item_id)
    vd_item_detail_reload (self->detail);
  if (self->items != NULL)
    vd_item_list_model_refresh_item (self->items, item_id);
  self->select_after_load = item_id;
  _vd_window_reload_items (self);
  /* The undone item is selected and has the keyboard focus, wherever the
   * focus was (the list, the toast's button), unless the reviewer types. */
  self->focus_after_load = TRUE;
  _vd_window_refresh_counts (self);

  vd_window_set_decision_toast (self, _("Decision undone"), FALSE);
  _vd_window_update_actions (self);
}

static void
undo_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  VdWindow *self = VD_WINDOW (widget);
  VdDecisionLog *log = vd_session_get_decision_log (self->session);

  if (log == NULL || !vd_decision_log_get_can_undo (log))
    return;

  vd_decision_log_undo_async (log, UNDO_REASON, self->cancellable, undo_cb,
                              g_object_ref (self));
  _vd_window_update_actions (self);
}

/* A notification's action, or a row of the bulk approve dialog: the item
 * with this row id. */
static void
show_item_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  _vd_window_select_item_id (VD_WINDOW (widget), g_variant_get_int64 (parameter));
}

static void
focus_list_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  _vd_window_focus_list (VD_WINDOW (widget));
}

static void
rate_output_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  vd_feedback_input_popup (VD_WINDOW (widget)->feedback_input);
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  _vd_window_focus_search (VD_WINDOW (widget));
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  _vd_window_go_back (VD_WINDOW (widget));
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  _vd_window_export (VD_WINDOW (widget));
}

/* "Export for Another Tool": the target is the format's wire name. */
static void
export_format_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  _vd_window_export_format (VD_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

static void
statistics_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  VdWindow *self = VD_WINDOW (widget);
  VdStatsWindow *stats;

  stats = vd_stats_window_new (self->session);
  gtk_window_set_transient_for (GTK_WINDOW (stats), GTK_WINDOW (self));
  gtk_window_present (GTK_WINDOW (stats));
}

/* Single keys decide; they must not fire while the reviewer types (the
 * search entry, the approve note) or works in a popover. Entries take
 * their keys before the window sees them; this also covers the keys they
 * let through. */
static gboolean
vd_window_typing (VdWindow *self)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

  if (focus == NULL)
    return FALSE;

  return GTK_IS_EDITABLE (focus) ||
         GTK_IS_TEXT_VIEW (focus) ||
         gtk_widget_get_ancestor (focus, GTK_TYPE_POPOVER) != NULL;
}

static gboolean
key_action_cb (GtkWidget *widget,
               GVariant  *args,
               gpointer   user_data)
{
  VdWindow *self = VD_WINDOW (widget);
  const char *action = g_variant_get_string (args, NULL);

  if (vd_window_typing (self))
    return FALSE;

  return gtk_widget_activate_action (widget, action, NULL);
}

/* Up and Down move through the queue from the detail pane; elsewhere they
 * keep moving the focus (the list view handles its own). */
static gboolean
arrow_action_cb (GtkWidget *widget,
                 GVariant  *args,
                 gpointer   user_data)
{
  VdWindow *self = VD_WINDOW (widget);
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));
  const char *action = g_variant_get_string (args, NULL);

  if (vd_window_typing (self))
    return FALSE;

  if (focus != NULL && focus != widget && !gtk_widget_is_ancestor (focus, self->content))
    return FALSE;

  return gtk_widget_activate_action (widget, action, NULL);
}

/* Escape in a text field of the window (the search entry has its own
 * Escape, a popover closes) goes back to the list, so that the next key
 * decides instead of typing. */
static gboolean
escape_cb (GtkWidget *widget,
           GVariant  *args,
           gpointer   user_data)
{
  VdWindow *self = VD_WINDOW (widget);
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

  if (focus == NULL ||
      !(GTK_IS_EDITABLE (focus) || GTK_IS_TEXT_VIEW (focus)) ||
      gtk_widget_get_ancestor (focus, GTK_TYPE_POPOVER) != NULL ||
      focus == GTK_WIDGET (self->search_entry) ||
      gtk_widget_is_ancestor (focus, GTK_WIDGET (self->search_entry)))
    return FALSE;

  return gtk_widget_activate_action (widget, "win.focus-list", NULL);
}

/* The arrows must reach the window before the focused widget of the detail
 * pane: a button or a label there would hand them to the window's focus
 * movement instead. They run in the capture phase; where they do not apply
 * (the list, a text field) they let the key through. */
void
_vd_window_init_arrow_keys (VdWindow *self)
{
  GtkEventController *controller = gtk_shortcut_controller_new ();

  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller),
                                        gtk_shortcut_new_with_arguments (
                                          gtk_keyval_trigger_new (GDK_KEY_Down, 0),
                                          gtk_callback_action_new (arrow_action_cb, NULL, NULL),
                                          "s", "win.next"));
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller),
                                        gtk_shortcut_new_with_arguments (
                                          gtk_keyval_trigger_new (GDK_KEY_Up, 0),
                                          gtk_callback_action_new (arrow_action_cb, NULL, NULL),
                                          "s", "win.previous"));
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller),
                                        gtk_shortcut_new (
                                          gtk_keyval_trigger_new (GDK_KEY_Escape, 0),
                                          gtk_callback_action_new (escape_cb, NULL, NULL)));
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
}

void
_vd_window_class_init_actions (GtkWidgetClass *widget_class)
{
  static const struct {
    guint       keyval;
    const char *action;
  } keys[] = {
    { GDK_KEY_a, "win.approve" },
    { GDK_KEY_r, "win.reject" },
    { GDK_KEY_m, "win.modify" },
    { GDK_KEY_e, "win.escalate" },
    { GDK_KEY_j, "win.next" },
    { GDK_KEY_k, "win.previous" },
    { GDK_KEY_h, "win.rate-output" },
  };

  gtk_widget_class_install_action (widget_class, "win.approve", NULL, approve_action);
  gtk_widget_class_install_action (widget_class, "win.reject", NULL, reject_action);
  gtk_widget_class_install_action (widget_class, "win.modify", NULL, modify_action);
  gtk_widget_class_install_action (widget_class, "win.escalate", NULL, escalate_action);
  gtk_widget_class_install_action (widget_class, "win.next", NULL, next_action);
  gtk_widget_class_install_action (widget_class, "win.previous", NULL, previous_action);
  gtk_widget_class_install_action (widget_class, "win.undo", NULL, undo_action);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "win.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "win.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "win.export-format", "s",
                                   export_format_action);
  gtk_widget_class_install_action (widget_class, "win.statistics", NULL, statistics_action);
  gtk_widget_class_install_action (widget_class, "win.show-item", "x", show_item_action);
  gtk_widget_class_install_action (widget_class, "win.focus-list", NULL, focus_list_action);
  gtk_widget_class_install_action (widget_class, "win.rate-output", NULL, rate_output_action);

  gtk_widget_class_bind_template_child (widget_class, VdWindow, list_toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, VdWindow, content_toast_overlay);
  /* Only looked at from outside (gtk_widget_get_template_child()). */
  gtk_widget_class_bind_template_child_full (widget_class, "decision_bar", FALSE, 0);

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    gtk_widget_class_add_binding (widget_class, keys[i].keyval, 0,
                                  key_action_cb, "s", keys[i].action);


  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK, "win.undo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "win.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK, "win.export", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_i, GDK_CONTROL_MASK,
                                       "win.statistics", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "win.back", NULL);
}
