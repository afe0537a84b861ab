/* vd-item-history.c
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

#define G_LOG_DOMAIN "vd-item-history"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "vd-diff.h"
#include "vd-item-detail-private.h"
#include "vd-item-history.h"
#include "vd-text.h"

/* The earlier revisions of an item (each with the reviewer's feedback and a
 * word diff against the current output) and the decisions taken on it, read
 * from the store in a thread. Part of the item detail pane. */

struct _VdItemHistory
{
  GtkWidget        parent_instance;

  VdItem          *item;
  VdStore         *store;

  GCancellable    *cancellable;
  guint            n_loads;
  GtkTextTagTable *diff_tags;

  /* Four-eyes review of the current revision */
  char            *review_summary;
  char            *first_reviewer;

  /* Template widgets */
  GtkWidget       *revisions_section;
  GtkBox          *revisions_box;
  GtkWidget       *decisions_section;
  GtkListBox      *decisions_list;
  GtkLabel        *error_label;
};

G_DEFINE_FINAL_TYPE (VdItemHistory, vd_item_history, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_ITEM,
  PROP_STORE,
  PROP_REVIEW_SUMMARY,
  PROP_FIRST_REVIEWER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static char *
format_duration_ms (gint64 duration_ms)
{
  gint64 seconds = duration_ms / 1000;

  if (seconds >= 60)
    /* Translators: how long a reviewer took, e.g. "2 min 5 s" */
    return g_strdup_printf (_("%d min %d s"), (int) (seconds / 60), (int) (seconds % 60));

  /* Translators: how long a reviewer took, e.g. "12 s" */
  return g_strdup_printf (_("%d s"), (int) seconds);
}

static const char *
decision_to_label (VdDecisionKind kind)
{
  switch (kind)
    {
    case VD_DECISION_KIND_APPROVE:
      return _("Approved");
    case VD_DECISION_KIND_REJECT:
      return _("Rejected");
    case VD_DECISION_KIND_MODIFY:
      return _("Modified");
    case VD_DECISION_KIND_ESCALATE_FURTHER:
      return _("Escalated Further");
    default:
      return "";
    }
}

static const char *
decision_to_css_class (VdDecisionKind kind)
{
  switch (kind)
    {
    case VD_DECISION_KIND_APPROVE:
    case VD_DECISION_KIND_MODIFY:
      return "success";
    case VD_DECISION_KIND_REJECT:
      return "error";
    case VD_DECISION_KIND_ESCALATE_FURTHER:
    default:
      return "warning";
    }
}

/* The asynchronous parts: revisions and decisions from the store */

typedef struct
{
  VdStore   *store;
  gint64     item_id;
  char      *queue;
  char      *task_id;
  char      *content;
  GPtrArray *revisions;
  GPtrArray *diffs;
  GArray    *coarse;
  GPtrArray *decisions;
} History;

static void
history_free (History *history)
{
  g_clear_object (&history->store);
  g_clear_pointer (&history->queue, g_free);
  g_clear_pointer (&history->task_id, g_free);
  g_clear_pointer (&history->content, g_free);
  g_clear_pointer (&history->revisions, g_ptr_array_unref);
  g_clear_pointer (&history->diffs, g_ptr_array_unref);
  g_clear_pointer (&history->coarse, g_array_unref);
  g_clear_pointer (&history->decisions, g_ptr_array_unref);
  g_free (history);
}

static void
load_history_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  History *history = task_data;
  GError *error = NULL;

  if (history->item_id > 0)
    history->revisions = vd_store_list_revisions (history->store, history->item_id, &error);
  else
    history->revisions = g_ptr_array_new_with_free_func (g_object_unref);

  if (history->revisions == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  /* The diffs are computed here too: large texts take a few milliseconds. */
  history->diffs = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  history->coarse = g_array_new (FALSE, TRUE, sizeof (gboolean));
  for (guint i = 0; i < history->revisions->len; i++)
    {
      VdRevision *revision = g_ptr_array_index (history->revisions, i);
      gboolean coarse = FALSE;

      if (g_task_return_error_if_cancelled (task))
        return;

      g_ptr_array_add (history->diffs,
                       vd_diff_words (vd_revision_get_content (revision), history->content,
                                      &coarse));
      g_array_append_val (history->coarse, coarse);
    }

  if (g_task_return_error_if_cancelled (task))
    return;

  history->decisions = vd_store_list_decisions (history->store, history->queue,
                                                history->task_id, &error);
  if (history->decisions == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void
clear_history (VdItemHistory *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->revisions_box))) != NULL)
    gtk_box_remove (self->revisions_box, child);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->decisions_list))) != NULL)
    gtk_list_box_remove (self->decisions_list, child);

  gtk_widget_set_visible (self->revisions_section, FALSE);
  gtk_widget_set_visible (self->decisions_section, FALSE);
  gtk_label_set_text (self->error_label, "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);

  /* Hidden while empty, so that the pane's spacing does not leave a gap. */
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}

static void
update_diff_colors (VdItemHistory *self)
{
  gboolean dark = adw_style_manager_get_dark (adw_style_manager_get_default ());
  GtkTextTag *inserted = gtk_text_tag_table_lookup (self->diff_tags, "inserted");
  GtkTextTag *deleted = gtk_text_tag_table_lookup (self->diff_tags, "deleted");
  GdkRGBA green, green_bg, red, red_bg;

  /* The libadwaita success and error colours, for light and dark. */
  gdk_rgba_parse (&green, dark ? "#8ff0a4" : "#1b8553");
  gdk_rgba_parse (&green_bg, "rgba(38, 162, 105, 0.18)");
  gdk_rgba_parse (&red, dark ? "#ff7b63" : "#c01c28");
  gdk_rgba_parse (&red_bg, "rgba(224, 27, 36, 0.14)");

  g_object_set (inserted,
                "underline", PANGO_UNDERLINE_SINGLE,
                "underline-rgba", &green,
                "background-rgba", &green_bg,
                NULL);
  g_object_set (deleted,
                "strikethrough", TRUE,
                "strikethrough-rgba", &red,
                "foreground-rgba", &red,
                "background-rgba", &red_bg,
                NULL);
}

static GtkWidget *
diff_view_new (VdItemHistory *self,
               GPtrArray     *hunks,
               int            revision)
{
  g_autoptr(GtkTextBuffer) buffer = gtk_text_buffer_new (self->diff_tags);
  g_autofree char *name = NULL;
  g_autofree char *description = NULL;
  GtkWidget *view;
  guint n_inserted = 0, n_deleted = 0;

  for (guint i = 0; i < hunks->len; i++)
    {
      const VdDiffHunk *hunk = g_ptr_array_index (hunks, i);
      GtkTextIter end;

      gtk_text_buffer_get_end_iter (buffer, &end);

      switch (hunk->kind)
        {
        case VD_DIFF_INSERT:
          gtk_text_buffer_insert_with_tags_by_name (buffer, &end, hunk->text, -1,
                                                    "inserted", NULL);
          n_inserted++;
          break;

        case VD_DIFF_DELETE:
          gtk_text_buffer_insert_with_tags_by_name (buffer, &end, hunk->text, -1,
                                                    "deleted", NULL);
          n_deleted++;
          break;

        case VD_DIFF_EQUAL:
        default:
          gtk_text_buffer_insert (buffer, &end, hunk->text, -1);
          break;
        }
    }

  view = gtk_text_view_new_with_buffer (buffer);
  gtk_text_view_set_editable (GTK_TEXT_VIEW (view), FALSE);
  gtk_text_view_set_cursor_visible (GTK_TEXT_VIEW (view), FALSE);
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_WORD_CHAR);
  gtk_widget_add_css_class (view, "diff-view");

  /* Translators: the accessible name of the changes between an earlier
   * revision and the current output */
  name = g_strdup_printf (_("Changes since revision %d"), revision);
  /* Translators: a summary of a diff for assistive technology */
  description = g_strdup_printf (_("Passages added: %u. Passages removed: %u."),
                                 n_inserted, n_deleted);
  gtk_accessible_update_property (GTK_ACCESSIBLE (view),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description,
                                  -1);

  return view;
}

static GtkWidget *
revision_card_new (VdItemHistory *self,
                   VdRevision    *revision,
                   GPtrArray     *hunks,
                   gboolean       coarse)
{
  GtkWidget *card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *title_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *changes_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *title, *info;
  g_autofree char *title_text = NULL;
  g_autofree char *time = NULL;
  g_autofree char *info_text = NULL;
  const char *feedback = vd_revision_get_feedback (revision);
  gboolean unchanged = hunks->len == 0 ||
                       (hunks->len == 1 &&
                        ((VdDiffHunk *) g_ptr_array_index (hunks, 0))->kind == VD_DIFF_EQUAL);

  gtk_widget_add_css_class (card, "card");
  gtk_widget_add_css_class (card, "detail-card");

  title_text = g_strdup_printf (_("Revision %d"), vd_revision_get_revision (revision));
  title = gtk_label_new (title_text);
  gtk_label_set_xalign (GTK_LABEL (title), 0.0);
  gtk_widget_set_hexpand (title, TRUE);
  gtk_widget_add_css_class (title, "heading");
  gtk_box_append (GTK_BOX (title_box), title);

  time = _vd_item_detail_format_time (vd_revision_get_created_at (revision));
  if (!isnan (vd_revision_get_confidence (revision)))
    /* Translators: about an earlier revision, e.g. "confidence 0.55 · 20 Nov 2026, 09:14" */
    info_text = g_strdup_printf (_("confidence %.2f · %s"),
                                 vd_revision_get_confidence (revision), time);
  else
    /* Translators: about an earlier revision whose source gave no
     * confidence, e.g. "no confidence given · 20 Nov 2026, 09:14" */
    info_text = g_strdup_printf (_("no confidence given · %s"), time);
  info = _vd_item_detail_caption_label_new (info_text);
  gtk_label_set_xalign (GTK_LABEL (info), 1.0);
  gtk_box_append (GTK_BOX (title_box), info);
  gtk_box_append (GTK_BOX (card), title_box);

  if (!vd_text_is_empty (feedback))
    {
      GtkWidget *feedback_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);

      gtk_box_append (GTK_BOX (feedback_box), _vd_item_detail_caption_label_new (_("Reviewer Feedback")));
      gtk_box_append (GTK_BOX (feedback_box), _vd_item_detail_data_label_new (feedback, _("Revision feedback")));
      gtk_box_append (GTK_BOX (card), feedback_box);
    }

  if (unchanged)
    {
      gtk_box_append (GTK_BOX (changes_box),
                      _vd_item_detail_caption_label_new (_("The output was the same as the current one.")));
    }
  else
    {
      gtk_box_append (GTK_BOX (changes_box), _vd_item_detail_caption_label_new (_("Changes Since Then")));
      gtk_box_append (GTK_BOX (changes_box),
                      diff_view_new (self, hunks, vd_revision_get_revision (revision)));
      if (coarse)
        gtk_box_append (GTK_BOX (changes_box),
                        _vd_item_detail_caption_label_new (_("The texts differ too much to compare word by "
                                             "word: whole passages are marked.")));
    }
  gtk_box_append (GTK_BOX (card), changes_box);

  return card;
}

static GtkWidget *
decision_row_new (VdDecision *decision)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *title_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *kind, *who, *time;
  g_autofree char *who_text = NULL;
  g_autofree char *time_text = NULL;
  g_autofree char *info_text = NULL;
  g_autofree char *accessible = NULL;
  VdDecisionKind decision_kind = vd_decision_get_kind (decision);
  const char *feedback = vd_decision_get_feedback (decision);
  const char *modified = vd_decision_get_modified_content (decision);
  gint64 duration = vd_decision_get_duration_ms (decision);
  gboolean retracted = vd_decision_get_retracted (decision);

  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_set_margin_top (box, 12);
  gtk_widget_set_margin_bottom (box, 12);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);

  kind = gtk_label_new (decision_to_label (decision_kind));
  gtk_widget_add_css_class (kind, "heading");
  gtk_widget_add_css_class (kind, retracted ? "dim-label" : decision_to_css_class (decision_kind));
  gtk_box_append (GTK_BOX (title_box), kind);

  if (retracted)
    {
      GtkWidget *tag = gtk_label_new (_("Retracted"));

      gtk_widget_set_tooltip_text (tag, _("The reviewer undid this decision"));
      gtk_widget_add_css_class (tag, "caption");
      gtk_widget_add_css_class (tag, "detail-tag");
      gtk_box_append (GTK_BOX (title_box), tag);
    }

  /* One of two reviews, which did not decide the item on its own. */
  if (!vd_decision_get_final (decision))
    {
      GtkWidget *tag = gtk_label_new (_("Review"));

      gtk_widget_set_tooltip_text (tag, _("One of the two reviews the policy requires"));
      gtk_widget_add_css_class (tag, "caption");
      gtk_widget_add_css_class (tag, "detail-tag");
      gtk_box_append (GTK_BOX (title_box), tag);
    }

  if (vd_decision_get_automatic (decision) &&
      g_strcmp0 (vd_decision_get_reviewer_id (decision), VD_AUDIT_ACTOR_SLA) == 0)
    /* The deadline passed before a reviewer decided. */
    who_text = g_strdup (_("by the deadline fallback"));
  else if (vd_decision_get_automatic (decision))
    who_text = g_strdup (_("by the policy, automatically"));
  else
    /* Translators: who decided, e.g. "by alice" */
    who_text = g_strdup_printf (_("by %s"), vd_decision_get_reviewer_id (decision));
  who = _vd_item_detail_data_label_new (who_text, _("Reviewer"));
  gtk_widget_set_hexpand (who, TRUE);
  gtk_box_append (GTK_BOX (title_box), who);

  time_text = _vd_item_detail_format_time (vd_decision_get_timestamp (decision));
  time = _vd_item_detail_caption_label_new (time_text);
  gtk_label_set_xalign (GTK_LABEL (time), 1.0);
  gtk_widget_set_valign (time, GTK_ALIGN_BASELINE);
  gtk_box_append (GTK_BOX (title_box), time);
  gtk_box_append (GTK_BOX (box), title_box);

  if (duration > 0)
    {
      g_autofree char *took = format_duration_ms (duration);

      /* Translators: e.g. "Revision 0 · decided in 12 s" */
      info_text = g_strdup_printf (_("Revision %d · decided in %s"),
                                   vd_decision_get_revision (decision), took);
    }
  else
    {
      info_text = g_strdup_printf (_("Revision %d"), vd_decision_get_revision (decision));
    }
  gtk_box_append (GTK_BOX (box), _vd_item_detail_caption_label_new (info_text));

  if (!vd_text_is_empty (feedback))
    gtk_box_append (GTK_BOX (box), _vd_item_detail_data_label_new (feedback, _("Decision feedback")));

  if (decision_kind == VD_DECISION_KIND_MODIFY && !vd_text_is_empty (modified))
    {
      gtk_box_append (GTK_BOX (box), _vd_item_detail_caption_label_new (_("Modified Output")));
      gtk_box_append (GTK_BOX (box), _vd_item_detail_data_label_new (modified, _("Modified output")));
    }

  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);

  if (retracted)
    /* Translators: the accessible name of an undone decision, e.g.
     * "Approved by alice (retracted)" */
    accessible = g_strdup_printf (_("%s %s (retracted)"), decision_to_label (decision_kind),
                                  who_text);
  else
    /* Translators: the accessible name of a decision, e.g. "Approved by alice" */
    accessible = g_strdup_printf (_("%s %s"), decision_to_label (decision_kind), who_text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible,
                                  -1);

  return row;
}

static void
set_reviews (VdItemHistory *self,
             const char    *summary,
             const char    *first_reviewer)
{
  if (vd_set_str (&self->review_summary, summary))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REVIEW_SUMMARY]);
  if (vd_set_str (&self->first_reviewer, first_reviewer))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FIRST_REVIEWER]);
}

static char *
describe_review (VdDecision *decision)
{
  const char *feedback = vd_decision_get_feedback (decision);

  if (feedback != NULL && feedback[0] != '\0')
    /* Translators: a reviewer's review, e.g. "bob: reject (“wrong account”)" */
    return g_strdup_printf (_("%s: %s (“%s”)"), vd_decision_get_reviewer_id (decision),
                            vd_decision_kind_to_string (vd_decision_get_kind (decision)),
                            feedback);

  /* Translators: a reviewer's review, e.g. "alice: approve" */
  return g_strdup_printf (_("%s: %s"), vd_decision_get_reviewer_id (decision),
                          vd_decision_kind_to_string (vd_decision_get_kind (decision)));
}

/* The reviews that stand on the item's current revision when the policy
 * asks for two: one waiting for a second reviewer, or two that disagree. */
static void
update_reviews (VdItemHistory *self,
                GPtrArray     *decisions)
{
  VdDecision *first = NULL;
  VdDecision *second = NULL;
  g_autofree char *summary = NULL;

  if (self->item == NULL || decisions == NULL || vd_item_get_reviews_required (self->item) < 2)
    {
      set_reviews (self, NULL, NULL);
      return;
    }

  for (guint i = 0; i < decisions->len; i++)
    {
      VdDecision *decision = g_ptr_array_index (decisions, i);

      if (vd_decision_get_retracted (decision) || vd_decision_get_final (decision) ||
          vd_decision_get_revision (decision) != vd_item_get_revision (self->item))
        continue;

      if (first == NULL || second != NULL)
        {
          first = decision;
          second = NULL;
        }
      else
        second = decision;
    }

  if (first != NULL && second != NULL &&
      vd_item_get_escalation_reason (self->item) == VD_ESCALATION_REASON_REVIEWERS_DISAGREE)
    {
      g_autofree char *one = describe_review (first);
      g_autofree char *two = describe_review (second);

      /* Translators: both reviews, e.g. "alice: approve" and "bob: reject (“...”)" */
      summary = g_strdup_printf (_("The reviewers disagree — %s; %s. The item is escalated."),
                                 one, two);
      set_reviews (self, summary, NULL);
    }
  else if (first != NULL && second == NULL && vd_item_is_undecided (self->item))
    {
      /* Translators: e.g. "Reviewed by alice: approve — needs a second reviewer" */
      summary = g_strdup_printf (_("Reviewed by %s: %s — needs a second reviewer"),
                                 vd_decision_get_reviewer_id (first),
                                 vd_decision_kind_to_string (vd_decision_get_kind (first)));
      set_reviews (self, summary, vd_decision_get_reviewer_id (first));
    }
  else
    {
      set_reviews (self, NULL, NULL);
    }
}

static void
apply_history (VdItemHistory *self,
               History       *history)
{
  clear_history (self);

  for (guint i = 0; i < history->revisions->len; i++)
    gtk_box_append (self->revisions_box,
                    revision_card_new (self,
                                       g_ptr_array_index (history->revisions, i),
                                       g_ptr_array_index (history->diffs, i),
                                       g_array_index (history->coarse, gboolean, i)));
  gtk_widget_set_visible (self->revisions_section, history->revisions->len > 0);

  for (guint i = 0; i < history->decisions->len; i++)
    gtk_list_box_append (self->decisions_list,
                         decision_row_new (g_ptr_array_index (history->decisions, i)));
  gtk_widget_set_visible (self->decisions_section, history->decisions->len > 0);

  gtk_widget_set_visible (GTK_WIDGET (self),
                          history->revisions->len > 0 || history->decisions->len > 0);

  update_reviews (self, history->decisions);
}

static void
load_history_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  VdItemHistory *self = VD_ITEM_HISTORY (object);
  GTask *task = G_TASK (result);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr(GError) error = NULL;
  gboolean loaded;

  loaded = g_task_propagate_boolean (task, &error);

  /* A newer item or reload took over: this result is stale. */
  if (g_cancellable_is_cancelled (cancellable) || cancellable != self->cancellable)
    return;

  g_clear_object (&self->cancellable);
  self->n_loads++;

  if (!loaded)
    {
      g_autofree char *message = NULL;

      clear_history (self);
      /* Translators: the %s is the error message */
      message = g_strdup_printf (_("Could not load the earlier revisions and decisions: %s"),
                                 error->message);
      _vd_item_detail_set_plain_text (self->error_label, message);
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
      gtk_widget_set_visible (GTK_WIDGET (self), TRUE);
      return;
    }

  apply_history (self, g_task_get_task_data (task));
}

static void
vd_item_history_load (VdItemHistory *self)
{
  g_autoptr(GTask) task = NULL;
  History *history;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  if (self->item == NULL || self->store == NULL)
    {
      clear_history (self);
      return;
    }

  self->cancellable = g_cancellable_new ();

  history = g_new0 (History, 1);
  history->store = g_object_ref (self->store);
  history->item_id = vd_item_get_id (self->item);
  history->queue = g_strdup (vd_item_get_queue (self->item));
  history->task_id = g_strdup (vd_item_get_task_id (self->item));
  history->content = g_strdup (vd_item_get_content (self->item));

  task = g_task_new (self, self->cancellable, load_history_cb, NULL);
  g_task_set_source_tag (task, vd_item_history_load);
  g_task_set_task_data (task, history, (GDestroyNotify) history_free);
  g_task_run_in_thread (task, load_history_thread);
}


/* The class */

static void
vd_item_history_dispose (GObject *object)
{
  VdItemHistory *self = (VdItemHistory *)object;
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->item);
  g_clear_object (&self->store);

  gtk_widget_dispose_template (GTK_WIDGET (self), VD_TYPE_ITEM_HISTORY);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  g_clear_object (&self->diff_tags);
  g_clear_pointer (&self->review_summary, g_free);
  g_clear_pointer (&self->first_reviewer, g_free);

  G_OBJECT_CLASS (vd_item_history_parent_class)->dispose (object);
}

static void
vd_item_history_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  VdItemHistory *self = VD_ITEM_HISTORY (object);

  switch (prop_id)
    {
    case PROP_ITEM:
      g_value_set_object (value, self->item);
      break;

    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_REVIEW_SUMMARY:
      g_value_set_string (value, self->review_summary);
      break;

    case PROP_FIRST_REVIEWER:
      g_value_set_string (value, self->first_reviewer);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vd_item_history_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  VdItemHistory *self = VD_ITEM_HISTORY (object);

  switch (prop_id)
    {
    case PROP_ITEM:
      vd_item_history_set_item (self, g_value_get_object (value));
      break;

    case PROP_STORE:
      vd_item_history_set_store (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vd_item_history_class_init (VdItemHistoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vd_item_history_dispose;
  object_class->get_property = vd_item_history_get_property;
  object_class->set_property = vd_item_history_set_property;

  /**
   * VdItemHistory:item: (nullable)
   *
   * The item whose history is shown.
   */
  properties[PROP_ITEM] =
    g_param_spec_object ("item", NULL, NULL,
                         VD_TYPE_ITEM,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * VdItemHistory:store: (nullable)
   *
   * Where the earlier revisions and the decisions are read.
   */
  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         VD_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * VdItemHistory:review-summary: (nullable)
   *
   * On an item that needs two reviewers: the review waiting for a second
   * one, or the two that disagree; %NULL otherwise.
   */
  properties[PROP_REVIEW_SUMMARY] =
    g_param_spec_string ("review-summary", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * VdItemHistory:first-reviewer: (nullable)
   *
   * Who reviewed the item's current revision, while it waits for a second
   * reviewer: that reviewer may not decide it again.
   */
  properties[PROP_FIRST_REVIEWER] =
    g_param_spec_string ("first-reviewer", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/verdict/Verdict/vd-item-history.ui");
  gtk_widget_class_bind_template_child (widget_class, VdItemHistory, revisions_section);
  gtk_widget_class_bind_template_child (widget_class, VdItemHistory, revisions_box);
  gtk_widget_class_bind_template_child (widget_class, VdItemHistory, decisions_section);
  gtk_widget_class_bind_template_child (widget_class, VdItemHistory, decisions_list);
  gtk_widget_class_bind_template_child (widget_class, VdItemHistory, error_label);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "vditemhistory");
}

static void
vd_item_history_init (VdItemHistory *self)
{
  GtkTextTag *tag;

  gtk_widget_init_template (GTK_WIDGET (self));

  _vd_item_detail_set_description (GTK_WIDGET (self->error_label), _("History error"));

  self->diff_tags = gtk_text_tag_table_new ();
  tag = gtk_text_tag_new ("inserted");
  gtk_text_tag_table_add (self->diff_tags, tag);
  g_object_unref (tag);
  tag = gtk_text_tag_new ("deleted");
  gtk_text_tag_table_add (self->diff_tags, tag);
  g_object_unref (tag);
  update_diff_colors (self);
  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (update_diff_colors), self, G_CONNECT_SWAPPED);
}

/**
 * vd_item_history_new:
 *
 * Creates an empty history.
 *
 * Returns: (transfer full): a new #VdItemHistory
 */
GtkWidget *
vd_item_history_new (void)
{
  return g_object_new (VD_TYPE_ITEM_HISTORY, NULL);
}

/**
 * vd_item_history_get_item:
 * @self: a #VdItemHistory
 *
 * Returns: (transfer none) (nullable): the item whose history is shown
 */
VdItem *
vd_item_history_get_item (VdItemHistory *self)
{
  g_return_val_if_fail (VD_IS_ITEM_HISTORY (self), NULL);

  return self->item;
}

/**
 * vd_item_history_set_item:
 * @self: a #VdItemHistory
 * @item: (nullable): the item
 *
 * Loads the history of @item in the background; a load still running is
 * cancelled. What is shown is cleared at once when @item is another task,
 * and stays until the new data is there when it is a fresh copy of the same
 * one.
 */
void
vd_item_history_set_item (VdItemHistory *self,
                          VdItem        *item)
{
  gboolean other_task;

  g_return_if_fail (VD_IS_ITEM_HISTORY (self));
  g_return_if_fail (item == NULL || VD_IS_ITEM (item));

  if (self->item == item)
    return;

  other_task = !vd_item_same_task (self->item, item);
  g_set_object (&self->item, item);

  if (other_task)
    {
      clear_history (self);
      set_reviews (self, NULL, NULL);
    }

  vd_item_history_load (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ITEM]);
}

/**
 * vd_item_history_get_store:
 * @self: a #VdItemHistory
 *
 * Returns: (transfer none) (nullable): the store the history is read from
 */
VdStore *
vd_item_history_get_store (VdItemHistory *self)
{
  g_return_val_if_fail (VD_IS_ITEM_HISTORY (self), NULL);

  return self->store;
}

/**
 * vd_item_history_set_store:
 * @self: a #VdItemHistory
 * @store: (nullable): the store to read the history from
 *
 * Sets the store and loads the history of the item from it.
 */
void
vd_item_history_set_store (VdItemHistory *self,
                           VdStore       *store)
{
  g_return_if_fail (VD_IS_ITEM_HISTORY (self));
  g_return_if_fail (store == NULL || VD_IS_STORE (store));

  if (!g_set_object (&self->store, store))
    return;

  clear_history (self);
  vd_item_history_load (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}

/**
 * vd_item_history_reload:
 * @self: a #VdItemHistory
 *
 * Reads the history again, e.g. after a decision was recorded or the output
 * changed (the diffs compare with the item's current output). What is shown
 * stays until the new data is there.
 */
void
vd_item_history_reload (VdItemHistory *self)
{
  g_return_if_fail (VD_IS_ITEM_HISTORY (self));

  vd_item_history_load (self);
}

/* Internal state, for the tests */

gboolean
_vd_item_history_get_loading (VdItemHistory *self)
{
  return self->cancellable != NULL;
}

guint
_vd_item_history_get_n_loads (VdItemHistory *self)
{
  return self->n_loads;
}

GtkWidget *
_vd_item_history_get_revisions (VdItemHistory *self)
{
  return GTK_WIDGET (self->revisions_box);
}

GtkWidget *
_vd_item_history_get_decisions (VdItemHistory *self)
{
  return GTK_WIDGET (self->decisions_list);
}

GtkLabel *
_vd_item_history_get_error_label (VdItemHistory *self)
{
  return self->error_label;
}

/**
 * vd_item_history_get_review_summary:
 * @self: a history
 *
 * Returns: (nullable): see #VdItemHistory:review-summary
 */
const char *
vd_item_history_get_review_summary (VdItemHistory *self)
{
  g_return_val_if_fail (VD_IS_ITEM_HISTORY (self), NULL);

  return self->review_summary;
}

/**
 * vd_item_history_get_first_reviewer:
 * @self: a history
 *
 * Returns: (nullable): see #VdItemHistory:first-reviewer
 */
const char *
vd_item_history_get_first_reviewer (VdItemHistory *self)
{
  g_return_val_if_fail (VD_IS_ITEM_HISTORY (self), NULL);

  return self->first_reviewer;
}
