/* vd-decision-dialog.c
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

#define G_LOG_DOMAIN "vd-decision-dialog"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "vd-code-view.h"
#include "vd-decision-dialog.h"
#include "vd-json-view.h"
#include "vd-json-write.h"
#include "vd-diff.h"
#include "vd-feedback-input.h"
#include "vd-source-info.h"
#include "vd-text.h"

/* Typing pauses this long before the changes are shown again. */
#define DIFF_DELAY_MS 150

struct _VdDecisionDialog
{
  AdwWindow        parent_instance;

  /* Template widgets */
  AdwWindowTitle  *window_title;
  GtkButton       *confirm_button;
  GtkLabel        *explanation_label;
  GtkLabel        *source_note_label;
  GtkLabel        *item_label;
  GtkWidget       *output_box;
  GtkTextView     *output_view;
  GtkLabel        *text_heading;
  GtkWidget       *text_scroller;
  GtkTextView     *text_view;
  GtkLabel        *placeholder_label;
  GtkLabel        *error_label;
  GtkWidget       *diff_box;
  GtkLabel        *diff_summary;
  GtkTextView     *diff_view;
  VdFeedbackInput *feedback_input;

  /* A modification of code or JSON edits in a VdCodeView or an editable
   * VdJsonView in place of the text view. */
  GtkWidget       *code_editor;
  GtkWidget       *json_editor;

  VdDecisionKind   kind;
  VdItem          *item;
  char            *original;       /* the output a modification starts from */
  char            *quoted;         /* the last vd_decision_dialog_get_quoted_output() */
  guint            diff_source;
  gboolean         can_confirm;

  GTask           *task;           /* while run asynchronously */
};

G_DEFINE_FINAL_TYPE (VdDecisionDialog, vd_decision_dialog, ADW_TYPE_WINDOW)

/* What a confirmed dialog answers. */
typedef struct
{
  char      *text;
  VdHelpful  helpful;
  char      *category;
} Answer;

static void
answer_free (Answer *answer)
{
  g_free (answer->text);
  g_free (answer->category);
  g_free (answer);
}

static char *
buffer_dup_text (GtkTextBuffer *buffer)
{
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);

  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static void
vd_decision_dialog_update_diff (VdDecisionDialog *self)
{
  GtkTextBuffer *diff = gtk_text_view_get_buffer (self->diff_view);
  g_autofree char *text = vd_decision_dialog_dup_text (self);
  g_autoptr(GPtrArray) hunks = NULL;
  g_autofree char *summary = NULL;
  GtkTextIter end;
  gboolean coarse = FALSE;
  guint n_inserted = 0, n_deleted = 0;

  g_clear_handle_id (&self->diff_source, g_source_remove);

  hunks = vd_diff_words (self->original, text, &coarse);

  gtk_text_buffer_set_text (diff, "", 0);
  for (guint i = 0; i < hunks->len; i++)
    {
      const VdDiffHunk *hunk = g_ptr_array_index (hunks, i);

      gtk_text_buffer_get_end_iter (diff, &end);
      switch (hunk->kind)
        {
        case VD_DIFF_INSERT:
          n_inserted++;
          gtk_text_buffer_insert_with_tags_by_name (diff, &end, hunk->text, -1, "inserted", NULL);
          break;

        case VD_DIFF_DELETE:
          n_deleted++;
          gtk_text_buffer_insert_with_tags_by_name (diff, &end, hunk->text, -1, "deleted", NULL);
          break;

        case VD_DIFF_EQUAL:
        default:
          gtk_text_buffer_insert (diff, &end, hunk->text, -1);
          break;
        }
    }

  if (n_inserted == 0 && n_deleted == 0)
    {
      summary = g_strdup (_("No changes yet"));
    }
  else
    {
      g_autofree char *inserted = NULL;
      g_autofree char *deleted = NULL;

      /* Translators: part of a summary of the changes, e.g. "2 insertions, 1 deletion" */
      inserted = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                               "%u insertion", "%u insertions", n_inserted),
                                  n_inserted);
      /* Translators: part of a summary of the changes, e.g. "2 insertions, 1 deletion" */
      deleted = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                              "%u deletion", "%u deletions", n_deleted),
                                 n_deleted);
      /* Translators: a summary of the changes, e.g. "2 insertions, 1 deletion" */
      summary = g_strdup_printf (_("%s, %s"), inserted, deleted);
    }
  if (self->json_editor != NULL)
    {
      guint n_changes = 0;
      g_autofree char *changes =
        vd_json_view_describe_changes (VD_JSON_VIEW (self->json_editor), &n_changes);

      if (n_changes > 0 && changes != NULL)
        {
          g_free (summary);
          summary = g_steal_pointer (&changes);
        }
    }
  gtk_label_set_text (self->diff_summary, summary);
}

static gboolean
diff_timeout_cb (gpointer user_data)
{
  VdDecisionDialog *self = user_data;

  self->diff_source = 0;
  vd_decision_dialog_update_diff (self);

  return G_SOURCE_REMOVE;
}

/* Confirming stays possible: without enough text it says why (see
 * confirm_action()) rather than doing nothing. */
static void
vd_decision_dialog_update_confirm (VdDecisionDialog *self)
{
  g_autofree char *text = vd_decision_dialog_dup_text (self);

  if (self->kind == VD_DECISION_KIND_MODIFY)
    self->can_confirm = !vd_text_is_blank (text) && g_strcmp0 (text, self->original) != 0;
  else
    self->can_confirm = !vd_text_is_blank (text);

  gtk_widget_set_visible (GTK_WIDGET (self->placeholder_label), text[0] == '\0');
}

static void
vd_decision_dialog_show_error (VdDecisionDialog *self,
                               gboolean          show)
{
  const char *message = NULL;

  if (show)
    {
      switch (self->kind)
        {
        case VD_DECISION_KIND_REJECT:
          message = _("Feedback is required: say what the agent must fix.");
          break;

        case VD_DECISION_KIND_MODIFY:
          message = _("Change the output to save a modification.");
          break;

        case VD_DECISION_KIND_ESCALATE_FURTHER:
        case VD_DECISION_KIND_APPROVE:
        default:
          message = _("A reason is required: say why you cannot decide.");
          break;
        }
      gtk_label_set_text (self->error_label, message);
      gtk_widget_add_css_class (self->text_scroller, "error");
    }
  else
    gtk_widget_remove_css_class (self->text_scroller, "error");

  gtk_widget_set_visible (GTK_WIDGET (self->error_label), show);
}

static void
buffer_changed_cb (VdDecisionDialog *self,
                   GtkTextBuffer    *buffer)
{
  vd_decision_dialog_update_confirm (self);
  if (self->can_confirm)
    vd_decision_dialog_show_error (self, FALSE);

  if (self->kind == VD_DECISION_KIND_MODIFY && self->diff_source == 0)
    self->diff_source = g_timeout_add (DIFF_DELAY_MS, diff_timeout_cb, self);
}

static void
vd_decision_dialog_finish (VdDecisionDialog *self,
                           char             *text)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->task);

  if (task != NULL)
    {
      if (text != NULL)
        {
          Answer *answer = g_new0 (Answer, 1);

          answer->text = text;
          answer->helpful = vd_feedback_input_get_helpful (self->feedback_input);
          answer->category = vd_feedback_input_dup_category (self->feedback_input);
          g_task_return_pointer (task, answer, (GDestroyNotify) answer_free);
        }
      else
        g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                 "The decision was cancelled");
    }
  else
    g_free (text);

  gtk_window_destroy (GTK_WINDOW (self));
}

static void
confirm_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  VdDecisionDialog *self = VD_DECISION_DIALOG (widget);

  vd_decision_dialog_update_confirm (self);
  if (!self->can_confirm)
    {
      vd_decision_dialog_show_error (self, TRUE);
      gtk_widget_grab_focus (GTK_WIDGET (self->text_view));
      gtk_widget_error_bell (widget);
      return;
    }

  vd_decision_dialog_finish (self, vd_decision_dialog_dup_text (self));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  vd_decision_dialog_finish (VD_DECISION_DIALOG (widget), NULL);
}

static gboolean
vd_decision_dialog_close_request (GtkWindow *window)
{
  VdDecisionDialog *self = VD_DECISION_DIALOG (window);
  g_autoptr(GTask) task = g_steal_pointer (&self->task);

  if (task != NULL)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                             "The decision was cancelled");

  return GTK_WINDOW_CLASS (vd_decision_dialog_parent_class)->close_request (window);
}

static void
vd_decision_dialog_dispose (GObject *object)
{
  VdDecisionDialog *self = (VdDecisionDialog *)object;
  g_autoptr(GTask) task = g_steal_pointer (&self->task);

  /* Destroyed with its parent: the caller still gets an answer. */
  if (task != NULL)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                             "The decision was cancelled");

  g_clear_handle_id (&self->diff_source, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), VD_TYPE_DECISION_DIALOG);

  G_OBJECT_CLASS (vd_decision_dialog_parent_class)->dispose (object);
}

static void
vd_decision_dialog_finalize (GObject *object)
{
  VdDecisionDialog *self = (VdDecisionDialog *)object;

  g_clear_object (&self->item);
  g_clear_pointer (&self->original, g_free);
  g_clear_pointer (&self->quoted, g_free);

  G_OBJECT_CLASS (vd_decision_dialog_parent_class)->finalize (object);
}

static void
vd_decision_dialog_class_init (VdDecisionDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = vd_decision_dialog_dispose;
  object_class->finalize = vd_decision_dialog_finalize;
  window_class->close_request = vd_decision_dialog_close_request;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/verdict/Verdict/vd-decision-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, VdDecisionDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, VdDecisionDialog, confirm_button);
  gtk_widget_class_bind_template_child (widget_class, VdDecisionDialog, explanation_label);
  gtk_widget_class_bind_template_child (widget_class, VdDecisionDialog, source_note_label);
  gtk_widget_class_bind_template_child (widget_class, VdDecisionDialog, item_label);
  gtk_widget_class_bind_template_child (widget_class, VdDecisionDialog, output_box);
  gtk_widget_class_bind_template_child (widget_class, VdDecisionDialog, output_view);
  gtk_widget_class_bind_template_child (widget_class, VdDecisionDialog, text_heading);
  gtk_widget_class_bind_template_child (widget_class, VdDecisionDialog, text_scroller);
  gtk_widget_class_bind_template_child (widget_class, VdDecisionDialog, text_view);
  gtk_widget_class_bind_template_child (widget_class, VdDecisionDialog, placeholder_label);
  gtk_widget_class_bind_template_child (widget_class, VdDecisionDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, VdDecisionDialog, diff_box);
  gtk_widget_class_bind_template_child (widget_class, VdDecisionDialog, diff_summary);
  gtk_widget_class_bind_template_child (widget_class, VdDecisionDialog, diff_view);
  gtk_widget_class_bind_template_child (widget_class, VdDecisionDialog, feedback_input);

  gtk_widget_class_install_action (widget_class, "dialog.confirm", NULL, confirm_action);
  gtk_widget_class_install_action (widget_class, "dialog.cancel", NULL, cancel_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "dialog.cancel", NULL);

  g_type_ensure (VD_TYPE_FEEDBACK_INPUT);
}

static void
vd_decision_dialog_init (VdDecisionDialog *self)
{
  GtkEventController *controller;
  GtkTextBuffer *diff;

  gtk_widget_init_template (GTK_WIDGET (self));

  diff = gtk_text_view_get_buffer (self->diff_view);
  gtk_text_buffer_create_tag (diff, "inserted",
                              "background-rgba", &(GdkRGBA) { 0.18, 0.76, 0.49, 0.25 },
                              NULL);
  gtk_text_buffer_create_tag (diff, "deleted",
                              "background-rgba", &(GdkRGBA) { 0.88, 0.11, 0.14, 0.18 },
                              "strikethrough", TRUE,
                              NULL);

  g_signal_connect_object (gtk_text_view_get_buffer (self->text_view), "changed",
                           G_CALLBACK (buffer_changed_cb), self, G_CONNECT_SWAPPED);

  /* Ctrl+Enter confirms from the text view, which would take it as a new
   * line: catch it on the way down. */
  controller = gtk_shortcut_controller_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Return,
                                                                                  GDK_CONTROL_MASK),
                                                          gtk_named_action_new ("dialog.confirm")));
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_KP_Enter,
                                                                                  GDK_CONTROL_MASK),
                                                          gtk_named_action_new ("dialog.confirm")));
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
}

static gboolean
content_type_is_code (const char *content_type)
{
  return content_type != NULL && g_str_has_prefix (content_type, "text/x-");
}

/* Code and diffs are edited in a source view, JSON value by value with
 * its types kept; anything else in the text view. */
static void
vd_decision_dialog_set_up_editor (VdDecisionDialog *self)
{
  const char *content_type = vd_item_get_output_content_type (self->item);
  GtkWidget *parent = gtk_widget_get_parent (self->text_scroller);
  GtkWidget *editor = NULL;

  if (content_type_is_code (content_type))
    {
      editor = vd_code_view_new ();
      vd_code_view_set_text (VD_CODE_VIEW (editor), self->original, content_type);
      vd_code_view_set_editable (VD_CODE_VIEW (editor), TRUE);
      vd_code_view_set_max_content_height (VD_CODE_VIEW (editor), 320);
      g_signal_connect_object (gtk_text_view_get_buffer (
                                 GTK_TEXT_VIEW (vd_code_view_get_source_view (VD_CODE_VIEW (editor)))),
                               "changed", G_CALLBACK (buffer_changed_cb), self,
                               G_CONNECT_SWAPPED);
      self->code_editor = editor;
    }
  else if (g_strcmp0 (content_type, "application/json") == 0)
    {
      g_autoptr(GError) error = NULL;
      GtkWidget *json = vd_json_view_new ();

      if (!vd_json_view_set_text (VD_JSON_VIEW (json), self->original, &error))
        {
          /* Not JSON after all: edited as text. */
          g_debug ("The output does not parse as JSON: %s", error->message);
          g_object_ref_sink (json);
          g_object_unref (json);
          return;
        }
      vd_json_view_set_editable (VD_JSON_VIEW (json), TRUE);
      /* Compared as serialized, so that only an edit counts as a change. */
      g_free (self->original);
      self->original = vd_json_node_to_string (vd_json_view_get_node (VD_JSON_VIEW (json)), TRUE);
      g_signal_connect_object (json, "changed", G_CALLBACK (buffer_changed_cb), self,
                               G_CONNECT_SWAPPED);
      self->json_editor = json;
      editor = gtk_scrolled_window_new ();
      gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (editor),
                                      GTK_POLICY_AUTOMATIC, GTK_POLICY_AUTOMATIC);
      gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (editor), TRUE);
      gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (editor), 320);
      gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (editor), json);
    }
  else
    {
      return;
    }

  gtk_widget_set_vexpand (editor, TRUE);
  gtk_widget_insert_after (editor, parent, self->text_scroller);
  gtk_widget_set_visible (self->text_scroller, FALSE);
}

static void
vd_decision_dialog_set_up (VdDecisionDialog *self)
{
  g_autofree char *summary = NULL;
  const char *description = vd_item_get_task_description (self->item);
  const char *content = vd_item_get_content (self->item);
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);
  const char *confirm_class = "suggested-action";
  const char *confirm_name = NULL;

  /* Plain text: the task id and description come from the queue. */
  summary = g_strdup_printf ("%s — %s", vd_item_get_task_id (self->item),
                             description != NULL ? description : "");
  gtk_label_set_text (self->item_label, summary);

  switch (self->kind)
    {
    case VD_DECISION_KIND_REJECT:
      adw_window_title_set_title (self->window_title, _("Reject Output"));
      gtk_label_set_text (self->explanation_label,
                          _("Say what is wrong with the output and what the agent must fix. "
                            "The agent revises the output with this feedback."));
      gtk_label_set_text_with_mnemonic (self->text_heading, _("_Feedback for the agent"));
      gtk_label_set_text (self->placeholder_label, _("Tell the agent what to fix (required)"));
      gtk_button_set_label (self->confirm_button, _("_Reject"));
      confirm_name = _("Reject");
      confirm_class = "destructive-action";
      /* Said before the reject is confirmed, where it is decided. */
      if (vd_source_info_reject_drops_group (self->item))
        {
          gtk_label_set_text (self->source_note_label, vd_source_info_reject_drops_note ());
          gtk_widget_set_visible (GTK_WIDGET (self->source_note_label), TRUE);
        }
      break;

    case VD_DECISION_KIND_MODIFY:
      adw_window_title_set_title (self->window_title, _("Modify Output"));
      gtk_label_set_text (self->explanation_label,
                          _("Correct the output yourself. The corrected text becomes the "
                            "final output; the changes are shown below before you save."));
      gtk_label_set_text_with_mnemonic (self->text_heading, _("_Corrected output"));
      gtk_button_set_label (self->confirm_button, _("_Save"));
      confirm_name = _("Save");
      self->original = g_strdup (vd_item_get_content (self->item) != NULL
                                 ? vd_item_get_content (self->item) : "");
      gtk_text_buffer_set_text (buffer, self->original, -1);
      vd_decision_dialog_set_up_editor (self);
      gtk_widget_set_visible (self->diff_box, TRUE);
      gtk_window_set_default_size (GTK_WINDOW (self), 720, 640);
      vd_decision_dialog_update_diff (self);
      break;

    case VD_DECISION_KIND_ESCALATE_FURTHER:
      adw_window_title_set_title (self->window_title, _("Escalate Item"));
      gtk_label_set_text (self->explanation_label,
                          _("Hand the item to a senior reviewer. Say why you cannot decide it "
                            "and what they should look at."));
      gtk_label_set_text_with_mnemonic (self->text_heading, _("_Reason"));
      gtk_label_set_text (self->placeholder_label,
                          _("Why you cannot decide, and what to look at (required)"));
      gtk_button_set_label (self->confirm_button, _("_Escalate"));
      confirm_name = _("Escalate");
      break;

    case VD_DECISION_KIND_APPROVE:
    default:
      g_return_if_reached ();
    }

  /* The output judged, quoted (a modification edits it in place). */
  if (self->kind != VD_DECISION_KIND_MODIFY)
    {
      gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->output_view),
                                content != NULL && content[0] != '\0'
                                ? content : _("(No output)"), -1);
      gtk_widget_set_visible (self->output_box, TRUE);
    }

  gtk_widget_add_css_class (GTK_WIDGET (self->confirm_button), confirm_class);
  /* The name without the mnemonic underscore. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->confirm_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, confirm_name,
                                  -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->text_view),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  gtk_label_get_text (self->text_heading),
                                  GTK_ACCESSIBLE_PROPERTY_MULTI_LINE, TRUE,
                                  GTK_ACCESSIBLE_PROPERTY_PLACEHOLDER,
                                  gtk_label_get_text (self->placeholder_label),
                                  -1);
  gtk_window_set_title (GTK_WINDOW (self), adw_window_title_get_title (self->window_title));
  gtk_window_set_focus (GTK_WINDOW (self), GTK_WIDGET (self->text_view));
  vd_decision_dialog_update_confirm (self);
}

/**
 * vd_decision_dialog_new:
 * @kind: a decision other than %VD_DECISION_KIND_APPROVE
 * @item: the item decided
 *
 * Returns: (transfer full): a new dialog; present it yourself, or use
 *   vd_decision_dialog_run_async()
 */
VdDecisionDialog *
vd_decision_dialog_new (VdDecisionKind  kind,
                        VdItem         *item)
{
  VdDecisionDialog *self;

  g_return_val_if_fail (kind != VD_DECISION_KIND_APPROVE, NULL);
  g_return_val_if_fail (VD_IS_ITEM (item), NULL);

  self = g_object_new (VD_TYPE_DECISION_DIALOG, NULL);
  self->kind = kind;
  self->item = g_object_ref (item);
  vd_decision_dialog_set_up (self);

  return self;
}

/**
 * vd_decision_dialog_get_kind:
 * @self: a #VdDecisionDialog
 *
 * Returns: the decision asked for
 */
VdDecisionKind
vd_decision_dialog_get_kind (VdDecisionDialog *self)
{
  g_return_val_if_fail (VD_IS_DECISION_DIALOG (self), VD_DECISION_KIND_REJECT);

  return self->kind;
}

/**
 * vd_decision_dialog_get_buffer:
 * @self: a #VdDecisionDialog
 *
 * Returns: (transfer none): the text the reviewer writes
 */
GtkTextBuffer *
vd_decision_dialog_get_buffer (VdDecisionDialog *self)
{
  g_return_val_if_fail (VD_IS_DECISION_DIALOG (self), NULL);

  return gtk_text_view_get_buffer (self->text_view);
}

/**
 * vd_decision_dialog_get_diff_buffer:
 * @self: a #VdDecisionDialog
 *
 * The changes of a modification: the old and the new text interleaved,
 * tagged "deleted" and "inserted".
 *
 * Returns: (transfer none): the changes shown
 */
GtkTextBuffer *
vd_decision_dialog_get_diff_buffer (VdDecisionDialog *self)
{
  g_return_val_if_fail (VD_IS_DECISION_DIALOG (self), NULL);

  /* What is shown is what is saved: no pending update. */
  if (self->diff_source != 0)
    vd_decision_dialog_update_diff (self);

  return gtk_text_view_get_buffer (self->diff_view);
}

/**
 * vd_decision_dialog_dup_text:
 * @self: a #VdDecisionDialog
 *
 * Returns: (transfer full): the text written so far
 */
char *
vd_decision_dialog_dup_text (VdDecisionDialog *self)
{
  g_return_val_if_fail (VD_IS_DECISION_DIALOG (self), NULL);

  if (self->code_editor != NULL)
    return vd_code_view_get_text (VD_CODE_VIEW (self->code_editor));

  if (self->json_editor != NULL)
    {
      g_autoptr(JsonNode) node = NULL;
      g_autoptr(GError) error = NULL;

      /* A value that does not parse as its type yet changes nothing. */
      node = vd_json_view_dup_edited_node (VD_JSON_VIEW (self->json_editor), &error);
      if (node == NULL)
        return g_strdup (self->original);

      return vd_json_node_to_string (node, TRUE);
    }

  return buffer_dup_text (gtk_text_view_get_buffer (self->text_view));
}

/**
 * vd_decision_dialog_get_feedback_input:
 * @self: a #VdDecisionDialog
 *
 * Returns: (transfer none): the optional helpful flag and category given
 *   with the decision
 */
VdFeedbackInput *
vd_decision_dialog_get_feedback_input (VdDecisionDialog *self)
{
  g_return_val_if_fail (VD_IS_DECISION_DIALOG (self), NULL);

  return self->feedback_input;
}

/**
 * vd_decision_dialog_get_can_confirm:
 * @self: a #VdDecisionDialog
 *
 * Returns: whether the text is enough to confirm the decision
 */
gboolean
vd_decision_dialog_get_can_confirm (VdDecisionDialog *self)
{
  g_return_val_if_fail (VD_IS_DECISION_DIALOG (self), FALSE);

  return self->can_confirm;
}

/**
 * vd_decision_dialog_get_error:
 * @self: a #VdDecisionDialog
 *
 * Returns: (nullable): why the decision could not be confirmed, while the
 *   dialog shows it
 */
const char *
vd_decision_dialog_get_error (VdDecisionDialog *self)
{
  g_return_val_if_fail (VD_IS_DECISION_DIALOG (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->error_label)))
    return NULL;

  return gtk_label_get_text (self->error_label);
}

/**
 * vd_decision_dialog_get_placeholder:
 * @self: a #VdDecisionDialog
 *
 * Returns: what the empty text field asks for ("" for a modification)
 */
const char *
vd_decision_dialog_get_placeholder (VdDecisionDialog *self)
{
  g_return_val_if_fail (VD_IS_DECISION_DIALOG (self), NULL);

  return gtk_label_get_text (self->placeholder_label);
}

/**
 * vd_decision_dialog_get_quoted_output:
 * @self: a #VdDecisionDialog
 *
 * Returns: (nullable): the output quoted at the top, %NULL when none is
 *   (a modification edits it instead)
 */
const char *
vd_decision_dialog_get_quoted_output (VdDecisionDialog *self)
{
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  g_return_val_if_fail (VD_IS_DECISION_DIALOG (self), NULL);

  if (!gtk_widget_get_visible (self->output_box))
    return NULL;

  buffer = gtk_text_view_get_buffer (self->output_view);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  g_clear_pointer (&self->quoted, g_free);
  self->quoted = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);

  return self->quoted;
}

/**
 * vd_decision_dialog_run_async:
 * @parent: the window the dialog belongs to
 * @kind: a decision other than %VD_DECISION_KIND_APPROVE
 * @item: the item decided
 * @initial: (nullable): the feedback the reviewer gave so far, with the
 *   categories it offers: the dialog starts from it
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the dialog is confirmed or dismissed
 * @user_data: data for @callback
 *
 * Shows the dialog, modal for @parent.
 */
void
vd_decision_dialog_run_async (GtkWindow           *parent,
                              VdDecisionKind       kind,
                              VdItem              *item,
                              VdFeedbackInput     *initial,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  VdDecisionDialog *self;

  g_return_if_fail (GTK_IS_WINDOW (parent));
  g_return_if_fail (VD_IS_ITEM (item));
  g_return_if_fail (initial == NULL || VD_IS_FEEDBACK_INPUT (initial));

  self = vd_decision_dialog_new (kind, item);
  if (initial != NULL)
    vd_feedback_input_copy_from (self->feedback_input, initial);
  self->task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (self->task, vd_decision_dialog_run_async);

  if (cancellable != NULL)
    g_signal_connect_object (cancellable, "cancelled",
                             G_CALLBACK (gtk_window_destroy), self, G_CONNECT_SWAPPED);

  gtk_window_set_transient_for (GTK_WINDOW (self), parent);
  gtk_window_present (GTK_WINDOW (self));
}

/**
 * vd_decision_dialog_run_finish:
 * @result: the result given to the callback
 * @helpful: (out) (optional): whether the reviewer found the output helpful
 * @category: (out) (optional) (transfer full) (nullable): the feedback
 *   category, %NULL when none was given
 * @error: return location for an error, %G_IO_ERROR_CANCELLED when dismissed
 *
 * Returns: (transfer full) (nullable): the feedback, the corrected output or
 *   the reason
 */
char *
vd_decision_dialog_run_finish (GAsyncResult  *result,
                               VdHelpful     *helpful,
                               char         **category,
                               GError       **error)
{
  Answer *answer;
  char *text;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        vd_decision_dialog_run_async, NULL);

  if (helpful != NULL)
    *helpful = VD_HELPFUL_UNSET;
  if (category != NULL)
    *category = NULL;

  answer = g_task_propagate_pointer (G_TASK (result), error);
  if (answer == NULL)
    return NULL;

  if (helpful != NULL)
    *helpful = answer->helpful;
  if (category != NULL)
    *category = g_steal_pointer (&answer->category);
  text = g_steal_pointer (&answer->text);
  answer_free (answer);

  return text;
}

/**
 * vd_decision_dialog_get_source_note:
 * @self: a #VdDecisionDialog
 *
 * Returns: (nullable): what the dialog says about how the item's source
 *   takes the decision (e.g. that LangChain's JavaScript middleware drops
 *   the approved actions of an interrupt with a reject), NULL when nothing
 */
const char *
vd_decision_dialog_get_source_note (VdDecisionDialog *self)
{
  g_return_val_if_fail (VD_IS_DECISION_DIALOG (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->source_note_label)))
    return NULL;

  return gtk_label_get_text (self->source_note_label);
}
