/* vd-item-detail.c
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

#define G_LOG_DOMAIN "vd-item-detail"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "vd-agent-results.h"
#include "vd-item-detail-private.h"
#include "vd-item-history.h"
#include "vd-source-info.h"
#include "vd-text.h"

/* A label laid out with megabytes of text would stall every frame: longer
 * texts are cut, and the label says so. */
#define MAX_LABEL_BYTES (256 * 1024)

/* How often the time left to the deadline is brought up to date. */
#define DUE_REFRESH_SECONDS 30

G_DEFINE_FINAL_TYPE (VdItemDetail, vd_item_detail, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_ITEM,
  PROP_STORE,
  PROP_POLICY,
  PROP_NOTE,
  PROP_FIRST_REVIEWER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  NOTE_ACTIVATED,
  LEAVE_REQUESTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The labels that show item data, by name (for the tests), with the
 * accessible description that lets assistive technology find them. */
static const struct
{
  const char *name;
  gsize       offset;
  const char *description;
} item_labels[] = {
  { "task-id", G_STRUCT_OFFSET (VdItemDetail, task_id_label), N_("Task ID") },
  { "queue", G_STRUCT_OFFSET (VdItemDetail, queue_label), N_("Queue") },
  { "status", G_STRUCT_OFFSET (VdItemDetail, status_label), N_("Status") },
  { "task-type", G_STRUCT_OFFSET (VdItemDetail, task_type_label), N_("Task type") },
  { "revision", G_STRUCT_OFFSET (VdItemDetail, revision_label), N_("Revision") },
  { "priority", G_STRUCT_OFFSET (VdItemDetail, priority_label), N_("Priority") },
  { "received", G_STRUCT_OFFSET (VdItemDetail, received_label), N_("Received") },
  { "due", G_STRUCT_OFFSET (VdItemDetail, due_label), N_("Deadline") },
  { "confidence", G_STRUCT_OFFSET (VdItemDetail, confidence_label), N_("Confidence") },
  { "threshold", G_STRUCT_OFFSET (VdItemDetail, threshold_label), N_("Confidence threshold") },
  { "reason", G_STRUCT_OFFSET (VdItemDetail, reason_label), N_("Escalation reason") },
  { "escalation-detail", G_STRUCT_OFFSET (VdItemDetail, escalation_detail_label),
    N_("Escalation detail") },
  { "source", G_STRUCT_OFFSET (VdItemDetail, source_label), N_("Source") },
  { "description", G_STRUCT_OFFSET (VdItemDetail, description_label), N_("Task description") },
  { "context", G_STRUCT_OFFSET (VdItemDetail, context_label), N_("Context") },
  { "content", G_STRUCT_OFFSET (VdItemDetail, content_label), N_("Agent output") },
  { "reasoning", G_STRUCT_OFFSET (VdItemDetail, reasoning_label), N_("Reasoning") },
  { "revision-state", G_STRUCT_OFFSET (VdItemDetail, revision_state_label),
    N_("Revision state") },
  { "sla", G_STRUCT_OFFSET (VdItemDetail, sla_label), N_("Deadline fallback") },
};

#define ITEM_LABEL(self, i) (*(GtkLabel **) G_STRUCT_MEMBER_P ((self), item_labels[i].offset))

/* Formatting */

/* Helpers shared with the other parts of the pane */

/* Queue text is data: plain text always, never markup or links. */
void
_vd_item_detail_set_plain_text (GtkLabel   *label,
                                const char *text)
{
  gsize length;

  if (text == NULL)
    text = "";

  length = strlen (text);
  if (length > MAX_LABEL_BYTES)
    {
      const char *cut = text + MAX_LABEL_BYTES;
      g_autofree char *shown = NULL;
      g_autofree char *note = NULL;
      g_autofree char *full = NULL;

      /* Cut at a character boundary. */
      while (cut > text && (*cut & 0xC0) == 0x80)
        cut--;
      shown = g_strndup (text, cut - text);
      /* Translators: after a text too long to show whole */
      note = g_strdup_printf (_("[%ld more characters not shown]"), g_utf8_strlen (cut, -1));
      full = g_strconcat (shown, "…\n\n", note, NULL);
      gtk_label_set_text (label, full);
      return;
    }

  gtk_label_set_text (label, text);
}

char *
_vd_item_detail_format_time (GDateTime *time)
{
  g_autoptr(GDateTime) local = g_date_time_to_local (time);

  /* Translators: a date and time, e.g. "20 Nov 2026, 07:00"; see the
   * documentation of g_date_time_format() */
  return g_date_time_format (local, _("%-d %b %Y, %H:%M"));
}

static const char *
status_to_css_class (VdTaskStatus status)
{
  switch (status)
    {
    case VD_TASK_STATUS_APPROVED:
    case VD_TASK_STATUS_MODIFIED:
    case VD_TASK_STATUS_COMPLETED:
      return "success";
    case VD_TASK_STATUS_REJECTED:
      return "error";
    case VD_TASK_STATUS_ESCALATED:
      return "warning";
    case VD_TASK_STATUS_PENDING:
    case VD_TASK_STATUS_IN_REVIEW:
    default:
      return "accent";
    }
}

void
_vd_item_detail_set_one_css_class (GtkWidget  *widget,
                                   const char *css_class)
{
  static const char * const classes[] = { "accent", "success", "warning", "error", "dim-label" };

  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    gtk_widget_remove_css_class (widget, classes[i]);

  if (css_class != NULL)
    gtk_widget_add_css_class (widget, css_class);
}

void
_vd_item_detail_set_description (GtkWidget  *widget,
                                 const char *description)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (widget),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description,
                                  -1);
}

/* A label for queue text created in code, set up as the template's are. */
GtkWidget *
_vd_item_detail_data_label_new (const char *text,
                                const char *description)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_use_markup (GTK_LABEL (label), FALSE);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  _vd_item_detail_set_plain_text (GTK_LABEL (label), text);
  if (description != NULL)
    _vd_item_detail_set_description (label, description);

  return label;
}

GtkWidget *
_vd_item_detail_caption_label_new (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "caption");
  gtk_widget_add_css_class (label, "dim-label");

  return label;
}

/* The synchronous parts: everything the item itself holds */

static void
vd_item_detail_update_due (VdItemDetail *self)
{
  GDateTime *due_at = self->item != NULL ? vd_item_get_due_at (self->item) : NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *text = NULL;
  GTimeSpan span;

  if (due_at == NULL)
    {
      gtk_label_set_text (self->due_label, "");
      gtk_widget_set_visible (GTK_WIDGET (self->due_label), FALSE);
      return;
    }

  now = g_date_time_new_now_utc ();
  text = _vd_item_detail_format_due (due_at, now);
  span = g_date_time_difference (due_at, now);

  gtk_label_set_text (self->due_label, text);
  _vd_item_detail_set_one_css_class (GTK_WIDGET (self->due_label),
                                     span < 0 ? "error"
                                     : span < G_TIME_SPAN_HOUR ? "warning"
                                     : "dim-label");
  gtk_widget_set_visible (GTK_WIDGET (self->due_label), TRUE);
}

static gboolean
due_timeout_cb (gpointer data)
{
  vd_item_detail_update_due (VD_ITEM_DETAIL (data));

  return G_SOURCE_CONTINUE;
}

static void
vd_item_detail_update_header (VdItemDetail *self)
{
  g_autofree char *queue = NULL;
  g_autofree char *revision = NULL;
  g_autofree char *priority = NULL;
  g_autofree char *time = NULL;
  g_autofree char *received = NULL;
  VdTaskStatus status = vd_item_get_status (self->item);
  const char *task_type = vd_item_get_task_type (self->item);

  _vd_item_detail_set_plain_text (self->task_id_label, vd_item_get_task_id (self->item));

  /* Translators: the queue an item came from, e.g. "Queue: payments" */
  queue = g_strdup_printf (_("Queue: %s"), vd_item_get_queue (self->item));
  _vd_item_detail_set_plain_text (self->queue_label, queue);

  gtk_label_set_text (self->status_label, vd_task_status_to_label (status));
  _vd_item_detail_set_one_css_class (GTK_WIDGET (self->status_label),
                                     status_to_css_class (status));

  _vd_item_detail_set_plain_text (self->task_type_label, task_type);
  gtk_widget_set_visible (GTK_WIDGET (self->task_type_label), !vd_text_is_empty (task_type));

  /* Translators: the revision of the agent's output, e.g. "Revision 2" */
  revision = g_strdup_printf (_("Revision %d"), vd_item_get_revision (self->item));
  gtk_label_set_text (self->revision_label, revision);

  /* Translators: e.g. "Priority 3" */
  priority = g_strdup_printf (_("Priority %d"), vd_item_get_priority (self->item));
  gtk_label_set_text (self->priority_label, priority);
  gtk_widget_set_visible (GTK_WIDGET (self->priority_label),
                          vd_item_get_priority (self->item) != 0);

  time = _vd_item_detail_format_time (vd_item_get_timestamp (self->item));
  /* Translators: when the agent produced the item, e.g. "Received 20 Nov 2026, 07:00" */
  received = g_strdup_printf (_("Received %s"), time);
  gtk_label_set_text (self->received_label, received);

  vd_item_detail_update_due (self);

  if (vd_item_get_due_at (self->item) != NULL && self->due_timeout_id == 0)
    self->due_timeout_id = g_timeout_add_seconds (DUE_REFRESH_SECONDS, due_timeout_cb, self);
  else if (vd_item_get_due_at (self->item) == NULL)
    g_clear_handle_id (&self->due_timeout_id, g_source_remove);
}

static void
vd_item_detail_update_confidence (VdItemDetail *self)
{
  static const char * const offsets[] = {
    GTK_LEVEL_BAR_OFFSET_LOW, GTK_LEVEL_BAR_OFFSET_HIGH, GTK_LEVEL_BAR_OFFSET_FULL,
    "below-threshold", "meets-threshold", "no-threshold",
  };
  gboolean has_confidence = vd_item_has_confidence (self->item);
  double confidence = has_confidence ? vd_item_get_confidence (self->item) : 0.0;
  g_autofree char *value = vd_source_info_format_confidence (self->item);
  g_autofree char *explanation = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (offsets); i++)
    gtk_level_bar_remove_offset_value (self->confidence_bar, offsets[i]);

  gtk_label_set_text (self->confidence_label, value);
  gtk_level_bar_set_value (self->confidence_bar, CLAMP (confidence, 0.0, 1.0));
  /* Without a confidence there is nothing to measure: no empty bar that
   * reads as 0. */
  gtk_widget_set_visible (GTK_WIDGET (self->confidence_overlay), has_confidence);

  if (!has_confidence)
    {
      self->threshold = -1.0;
      if (self->policy != NULL)
        {
          g_autoptr(VdPolicyResult) result = vd_policy_check_item (self->policy, self->item);

          self->threshold = CLAMP (result->threshold, 0.0, 1.0);
        }
      explanation = g_strdup (_("the policy never approves such an item by itself"));
    }
  else if (self->policy != NULL)
    {
      g_autoptr(VdPolicyResult) result = vd_policy_check_item (self->policy, self->item);
      const char *task_type = vd_item_get_task_type (self->item);
      double type_threshold = vd_policy_get_threshold_for_type (self->policy, task_type);
      gboolean per_type = !vd_text_is_empty (task_type) &&
                          type_threshold != vd_policy_get_confidence_threshold (self->policy);
      g_autofree char *threshold = NULL;

      self->threshold = CLAMP (result->threshold, 0.0, 1.0);
      threshold = g_strdup_printf ("%.2f", self->threshold);

      /* A confidence equal to the threshold meets it: the bar's "below"
       * style ends just short of it. */
      if (self->threshold > 0.0)
        gtk_level_bar_add_offset_value (self->confidence_bar, "below-threshold",
                                        MAX (self->threshold - 1e-6, 0.0));
      gtk_level_bar_add_offset_value (self->confidence_bar, "meets-threshold", 1.0);

      if (confidence < self->threshold && per_type)
        /* Translators: e.g. "0.62 below threshold 0.70 for payment" */
        explanation = g_strdup_printf (_("%s below threshold %s for %s"), value, threshold,
                                       task_type);
      else if (confidence < self->threshold)
        /* Translators: e.g. "0.62 below threshold 0.70" */
        explanation = g_strdup_printf (_("%s below threshold %s"), value, threshold);
      else if (per_type)
        /* Translators: e.g. "0.92 meets threshold 0.85 for payment" */
        explanation = g_strdup_printf (_("%s meets threshold %s for %s"), value, threshold,
                                       task_type);
      else
        /* Translators: e.g. "0.92 meets threshold 0.70" */
        explanation = g_strdup_printf (_("%s meets threshold %s"), value, threshold);
    }
  else
    {
      /* Without a policy the threshold is unknown; what the importer wrote
       * down is the best explanation there is. */
      self->threshold = -1.0;
      gtk_level_bar_add_offset_value (self->confidence_bar, "no-threshold", 1.0);

      if (vd_item_get_escalation_reason (self->item) == VD_ESCALATION_REASON_LOW_CONFIDENCE)
        explanation = g_strdup (vd_item_get_escalation_detail (self->item));
    }

  gtk_widget_set_visible (self->threshold_marker, has_confidence && self->threshold >= 0.0);
  gtk_widget_queue_allocate (GTK_WIDGET (self->confidence_overlay));

  _vd_item_detail_set_plain_text (self->threshold_label, explanation);
  gtk_widget_set_visible (GTK_WIDGET (self->threshold_label), !vd_text_is_empty (explanation));

  gtk_accessible_update_property (GTK_ACCESSIBLE (self->confidence_bar),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  !vd_text_is_empty (explanation) ? explanation : value,
                                  -1);

  vd_agent_results_set_agent_confidence (self->agent_results,
                                         has_confidence ? confidence : NAN, self->threshold);
}

/* Why the item is in front of a reviewer, or, when the policy let it
 * through, that it did and why. */
static void
vd_item_detail_update_reason (VdItemDetail *self)
{
  VdEscalationReason reason = vd_item_get_escalation_reason (self->item);
  VdTaskStatus status = vd_item_get_status (self->item);
  const char *detail = vd_item_get_escalation_detail (self->item);
  g_autofree char *explanation = NULL;

  if (reason != VD_ESCALATION_REASON_NONE)
    {
      gtk_label_set_text (self->reason_label, vd_escalation_reason_to_label (reason));
    }
  else if (status == VD_TASK_STATUS_APPROVED)
    {
      gtk_label_set_text (self->reason_label, _("Approved automatically by the policy"));

      if (self->threshold >= 0.0 && vd_item_has_confidence (self->item))
        {
          g_autofree char *value = g_strdup_printf ("%.2f", vd_item_get_confidence (self->item));
          g_autofree char *threshold = g_strdup_printf ("%.2f", self->threshold);

          if (vd_item_get_confidence (self->item) >= self->threshold)
            /* Translators: why the policy approved an item, e.g. "confidence 0.93
             * meets the threshold 0.70" */
            explanation = g_strdup_printf (_("confidence %s meets the threshold %s"),
                                           value, threshold);
          else
            /* Translators: e.g. "confidence 0.62; the threshold is now 0.85" */
            explanation = g_strdup_printf (_("confidence %s; the threshold is now %s"),
                                           value, threshold);
          detail = explanation;
        }
    }
  else if (status == VD_TASK_STATUS_PENDING || status == VD_TASK_STATUS_IN_REVIEW)
    {
      gtk_label_set_text (self->reason_label, _("Queued for review"));
    }
  else
    {
      gtk_label_set_text (self->reason_label, vd_task_status_to_label (status));
    }

  _vd_item_detail_set_plain_text (self->escalation_detail_label, detail);
  gtk_widget_set_visible (GTK_WIDGET (self->escalation_detail_label), !vd_text_is_empty (detail));
  gtk_widget_set_visible (self->reason_separator, !vd_text_is_empty (detail));
}

/* Where the item came from, in one line under the reason: the tool, the
 * place in its group, the decisions the tool accepts. The source card
 * below the output has the rest. */
static void
vd_item_detail_update_source (VdItemDetail *self)
{
  g_autofree char *summary = vd_source_info_format_summary (self->item);

  _vd_item_detail_set_plain_text (self->source_label, summary);
  gtk_widget_set_visible (GTK_WIDGET (self->source_label), summary != NULL);
}

static void
vd_item_detail_update_texts (VdItemDetail *self)
{
  const char *context = vd_item_get_context (self->item);
  const char *reasoning = vd_item_get_reasoning (self->item);

  vd_item_detail_update_reason (self);
  vd_item_detail_update_source (self);

  _vd_item_detail_set_plain_text (self->description_label, vd_item_get_task_description (self->item));

  _vd_item_detail_set_plain_text (self->context_label, context);
  gtk_widget_set_visible (self->context_box, !vd_text_is_empty (context));

  _vd_item_detail_set_plain_text (self->content_label, vd_item_get_content (self->item));

  _vd_item_detail_set_plain_text (self->reasoning_label, reasoning);
  gtk_widget_set_visible (self->reasoning_box, !vd_text_is_empty (reasoning));

  _vd_item_detail_update_content (self);
}

static void
vd_item_detail_update (VdItemDetail *self)
{
  if (self->item == NULL)
    {
      g_clear_handle_id (&self->due_timeout_id, g_source_remove);
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }

  vd_item_detail_update_header (self);
  vd_item_detail_update_confidence (self);
  vd_item_detail_update_texts (self);
  _vd_item_detail_update_metadata (self);

  gtk_stack_set_visible_child_name (self->stack, "item");
}

/* Signals and the class */

static void
item_notify_cb (VdItemDetail *self,
                GParamSpec   *pspec,
                VdItem       *item)
{
  vd_item_detail_update (self);

  if (g_strcmp0 (pspec->name, "source") == 0)
    {
      vd_item_source_set_item (self->source_view, NULL);
      vd_item_source_set_item (self->source_view, item);
    }

  /* The diffs compare with the current output; what the agent said was
   * about the old one. */
  if (g_strcmp0 (pspec->name, "content") == 0 || g_strcmp0 (pspec->name, "revision") == 0)
    {
      vd_item_history_reload (self->history);
      vd_agent_results_clear (self->agent_results);
    }
}

static gboolean
get_marker_position_cb (GtkOverlay   *overlay,
                        GtkWidget    *widget,
                        GdkRectangle *allocation,
                        VdItemDetail *self)
{
  int width = gtk_widget_get_width (GTK_WIDGET (overlay));
  int height = gtk_widget_get_height (GTK_WIDGET (overlay));
  int marker_width;

  if (widget != self->threshold_marker)
    return FALSE;

  gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, &marker_width, NULL, NULL, NULL);
  marker_width = MAX (marker_width, 2);

  allocation->width = marker_width;
  allocation->height = height;
  allocation->x = CLAMP ((int) round (MAX (self->threshold, 0.0) * width) - marker_width / 2,
                         0, MAX (width - marker_width, 0));
  allocation->y = 0;

  return TRUE;
}

static void
note_changed_cb (VdItemDetail *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NOTE]);
}

static void
note_activate_cb (VdItemDetail *self)
{
  g_signal_emit (self, signals[NOTE_ACTIVATED], 0);
}

/* Escape in the note gives the keyboard back to the queue, so that the
 * decision keys act again instead of typing. */
static gboolean
note_escape_cb (GtkWidget *widget,
                GVariant  *args,
                gpointer   user_data)
{
  VdItemDetail *self = VD_ITEM_DETAIL (user_data);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus;

  if (!gtk_widget_activate_action (GTK_WIDGET (self), "win.focus-list", NULL))
    g_signal_emit (self, signals[LEAVE_REQUESTED], 0);

  /* Nobody took the focus: the entry lets it go all the same. */
  focus = root != NULL ? gtk_root_get_focus (root) : NULL;
  if (focus != NULL && (focus == GTK_WIDGET (self->note_entry) ||
                        gtk_widget_is_ancestor (focus, GTK_WIDGET (self->note_entry))))
    gtk_root_set_focus (root, NULL);

  return TRUE;
}

static void
expand_output_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  VdItemDetail *self = VD_ITEM_DETAIL (widget);

  if (self->item == NULL)
    return;

  vd_expandable_text_set_expanded (self->content_text,
                                   !vd_expandable_text_get_expanded (self->content_text));
}

/* The key works wherever the keyboard is in the window (the queue list
 * most of the time), except in a text field, where it types. */
static gboolean
expand_output_key_cb (GtkWidget *widget,
                      GVariant  *args,
                      gpointer   user_data)
{
  VdItemDetail *self = VD_ITEM_DETAIL (user_data);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  if (focus != NULL && (GTK_IS_EDITABLE (focus) || GTK_IS_TEXT_VIEW (focus)))
    return FALSE;

  if (self->item == NULL || !gtk_widget_get_mapped (GTK_WIDGET (self)) ||
      (!vd_expandable_text_get_collapsible (self->content_text) &&
       !vd_expandable_text_get_expanded (self->content_text)))
    return FALSE;

  return gtk_widget_activate_action (GTK_WIDGET (self), "item.expand-output", NULL);
}

static void
vd_item_detail_disconnect_item (VdItemDetail *self)
{
  if (self->item != NULL && self->item_notify_id != 0)
    g_signal_handler_disconnect (self->item, self->item_notify_id);
  self->item_notify_id = 0;
}

static void
vd_item_detail_dispose (GObject *object)
{
  VdItemDetail *self = (VdItemDetail *)object;
  GtkWidget *child;

  g_clear_handle_id (&self->due_timeout_id, g_source_remove);
  g_cancellable_cancel (self->sla_cancellable);
  g_clear_object (&self->sla_cancellable);
  _vd_item_detail_clear_content (self);

  vd_item_detail_disconnect_item (self);
  g_clear_object (&self->item);
  g_clear_object (&self->store);
  g_clear_object (&self->policy);

  gtk_widget_dispose_template (GTK_WIDGET (self), VD_TYPE_ITEM_DETAIL);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (vd_item_detail_parent_class)->dispose (object);
}

static void
vd_item_detail_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  VdItemDetail *self = VD_ITEM_DETAIL (object);

  switch (prop_id)
    {
    case PROP_ITEM:
      g_value_set_object (value, self->item);
      break;

    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_POLICY:
      g_value_set_object (value, self->policy);
      break;

    case PROP_NOTE:
      g_value_set_string (value, vd_item_detail_get_note (self));
      break;

    case PROP_FIRST_REVIEWER:
      g_value_set_string (value, vd_item_detail_get_first_reviewer (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vd_item_detail_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  VdItemDetail *self = VD_ITEM_DETAIL (object);

  switch (prop_id)
    {
    case PROP_ITEM:
      vd_item_detail_set_item (self, g_value_get_object (value));
      break;

    case PROP_STORE:
      vd_item_detail_set_store (self, g_value_get_object (value));
      break;

    case PROP_POLICY:
      vd_item_detail_set_policy (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vd_item_detail_class_init (VdItemDetailClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vd_item_detail_dispose;
  object_class->get_property = vd_item_detail_get_property;
  object_class->set_property = vd_item_detail_set_property;

  /**
   * VdItemDetail:item: (nullable)
   *
   * The item shown; %NULL shows the empty state.
   */
  properties[PROP_ITEM] =
    g_param_spec_object ("item", NULL, NULL,
                         VD_TYPE_ITEM,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * VdItemDetail:store: (nullable)
   *
   * Where the earlier revisions and the decisions of the item are read.
   */
  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         VD_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * VdItemDetail:policy: (nullable)
   *
   * The escalation policy, for the confidence threshold and its explanation.
   */
  properties[PROP_POLICY] =
    g_param_spec_object ("policy", NULL, NULL,
                         VD_TYPE_POLICY,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * VdItemDetail:note:
   *
   * The optional note the reviewer typed for an approval.
   */
  properties[PROP_NOTE] =
    g_param_spec_string ("note", NULL, NULL,
                         "",
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * VdItemDetail:first-reviewer: (nullable)
   *
   * On an item that needs two reviewers, who reviewed it while it waits for
   * the second (see #VdItemHistory:first-reviewer).
   */
  properties[PROP_FIRST_REVIEWER] =
    g_param_spec_string ("first-reviewer", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * VdItemDetail::note-activated:
   *
   * Emitted when the reviewer presses Enter in the approve note.
   */
  signals[NOTE_ACTIVATED] =
    g_signal_new ("note-activated",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  /**
   * VdItemDetail::leave-requested:
   *
   * Emitted when the reviewer presses Escape in the approve note and the
   * window has no `win.focus-list` action to give the keyboard back to
   * the queue: the handler moves the focus. The note loses it either way.
   */
  signals[LEAVE_REQUESTED] =
    g_signal_new ("leave-requested",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  g_type_ensure (VD_TYPE_AGENT_RESULTS);
  g_type_ensure (VD_TYPE_EXPANDABLE_TEXT);
  g_type_ensure (VD_TYPE_ITEM_HISTORY);
  g_type_ensure (VD_TYPE_ITEM_SOURCE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/verdict/Verdict/vd-item-detail.ui");
  gtk_widget_class_bind_template_child (widget_class, VdItemDetail, stack);
  gtk_widget_class_bind_template_child (widget_class, VdItemDetail, read_only_label);
  gtk_widget_class_bind_template_child (widget_class, VdItemDetail, claim_label);
  gtk_widget_class_bind_template_child (widget_class, VdItemDetail, review_label);
  gtk_widget_class_bind_template_child (widget_class, VdItemDetail, scrolled_window);
  gtk_widget_class_bind_template_child (widget_class, VdItemDetail, task_id_label);
  gtk_widget_class_bind_template_child (widget_class, VdItemDetail, queue_label);
  gtk_widget_class_bind_template_child (widget_class, VdItemDetail, status_label);
  gtk_widget_class_bind_template_child (widget_class, VdItemDetail, task_type_label);
  gtk_widget_class_bind_template_child (widget_class, VdItemDetail, revision_label);
  gtk_widget_class_bind_template_child (widget_class, VdItemDetail, priority_label);
  gtk_widget_class_bind_template_child (widget_class, VdItemDetail, received_label);
  gtk_widget_class_bind_template_child (widget_class, VdItemDetail, due_label);
  gtk_widget_class_bind_template_child (widget_class, VdItemDetail, sla_banner);
  gtk_widget_class_bind_template_child (widget_class, VdItemDetail, sla_label);
  gtk_widget_class_bind_template_child (widget_class, VdItemDetail, confidence_label);
  gtk_widget_class_bind_template_child (widget_class, VdItemDetail, confidence_overlay);
  gtk_widget_class_bind_template_child (widget_class, VdItemDetail, confidence_bar);
  gtk_widget_class_bind_template_child (widget_class, VdItemDetail, threshold_marker);
  gtk_widget_class_bind_template_child (widget_class, VdItemDetail, threshold_label);
  gtk_widget_class_bind_template_child (widget_class, VdItemDetail, reason_box);
  gtk_widget_class_bind_template_child (widget_class, VdItemDetail, reason_label);
  gtk_widget_class_bind_template_child (widget_class, VdItemDetail, reason_separator);
  gtk_widget_class_bind_template_child (widget_class, VdItemDetail, escalation_detail_label);
  gtk_widget_class_bind_template_child (widget_class, VdItemDetail, output_section);
  gtk_widget_class_bind_template_child (widget_class, VdItemDetail, content_text);
  gtk_widget_class_bind_template_child (widget_class, VdItemDetail, reasoning_text);
  gtk_widget_class_bind_template_child (widget_class, VdItemDetail, description_text);
  gtk_widget_class_bind_template_child (widget_class, VdItemDetail, context_text);
  gtk_widget_class_bind_template_child (widget_class, VdItemDetail, context_box);
  gtk_widget_class_bind_template_child (widget_class, VdItemDetail, reasoning_box);
  gtk_widget_class_bind_template_child (widget_class, VdItemDetail, metadata_section);
  gtk_widget_class_bind_template_child (widget_class, VdItemDetail, metadata_grid);
  gtk_widget_class_bind_template_child (widget_class, VdItemDetail, history);
  gtk_widget_class_bind_template_child (widget_class, VdItemDetail, source_view);
  gtk_widget_class_bind_template_child (widget_class, VdItemDetail, source_label);
  gtk_widget_class_bind_template_child (widget_class, VdItemDetail, agent_results);
  gtk_widget_class_bind_template_child (widget_class, VdItemDetail, revision_banner);
  gtk_widget_class_bind_template_child (widget_class, VdItemDetail, revision_icon);
  gtk_widget_class_bind_template_child (widget_class, VdItemDetail, revision_spinner);
  gtk_widget_class_bind_template_child (widget_class, VdItemDetail, revision_state_label);
  gtk_widget_class_bind_template_child (widget_class, VdItemDetail, note_entry);
  gtk_widget_class_bind_template_callback (widget_class, get_marker_position_cb);
  gtk_widget_class_bind_template_callback (widget_class, note_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, note_activate_cb);

  gtk_widget_class_install_action (widget_class, "item.expand-output", NULL,
                                   expand_output_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "vditemdetail");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

/* Four-eyes review: the reviews so far, above the item. */
static void
review_summary_cb (VdItemDetail *self)
{
  const char *summary = vd_item_history_get_review_summary (self->history);

  gtk_label_set_text (self->review_label, summary != NULL ? summary : "");
  gtk_widget_set_visible (GTK_WIDGET (self->review_label), summary != NULL);
}

static void
first_reviewer_cb (VdItemDetail *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FIRST_REVIEWER]);
}

static void
vd_item_detail_init (VdItemDetail *self)
{
  GtkEventController *controller;
  GtkShortcut *shortcut;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->threshold = -1.0;
  self->content_label = vd_expandable_text_get_label (self->content_text);
  self->reasoning_label = vd_expandable_text_get_label (self->reasoning_text);
  self->description_label = vd_expandable_text_get_label (self->description_text);
  self->context_label = vd_expandable_text_get_label (self->context_text);

  vd_expandable_text_set_button_tooltip (self->content_text, _("Show the whole output (O)"));
  _vd_item_detail_init_content (self);

  g_signal_connect_object (self->history, "notify::review-summary",
                           G_CALLBACK (review_summary_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->history, "notify::first-reviewer",
                           G_CALLBACK (first_reviewer_cb), self, G_CONNECT_SWAPPED);

  /* o reaches the pane from the whole window: the root runs it. */
  shortcut = gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_o, 0),
                               gtk_callback_action_new (expand_output_key_cb, self, NULL));
  controller = gtk_shortcut_controller_new ();
  gtk_shortcut_controller_set_scope (GTK_SHORTCUT_CONTROLLER (controller),
                                     GTK_SHORTCUT_SCOPE_GLOBAL);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller), shortcut);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  shortcut = gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Escape, 0),
                               gtk_callback_action_new (note_escape_cb, self, NULL));
  controller = gtk_shortcut_controller_new ();
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller), shortcut);
  gtk_widget_add_controller (GTK_WIDGET (self->note_entry), controller);

  for (guint i = 0; i < G_N_ELEMENTS (item_labels); i++)
    _vd_item_detail_set_description (GTK_WIDGET (ITEM_LABEL (self, i)),
                                     _(item_labels[i].description));

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Item details"),
                                  -1);

  vd_item_detail_update (self);
}

/**
 * vd_item_detail_new:
 *
 * Creates a detail pane showing no item.
 *
 * Returns: (transfer full): a new #VdItemDetail
 */
GtkWidget *
vd_item_detail_new (void)
{
  return g_object_new (VD_TYPE_ITEM_DETAIL, NULL);
}

/**
 * vd_item_detail_get_item:
 * @self: a #VdItemDetail
 *
 * Returns: (transfer none) (nullable): the item shown
 */
VdItem *
vd_item_detail_get_item (VdItemDetail *self)
{
  g_return_val_if_fail (VD_IS_ITEM_DETAIL (self), NULL);

  return self->item;
}

/**
 * vd_item_detail_set_item:
 * @self: a #VdItemDetail
 * @item: (nullable): the item to show
 *
 * Shows @item, or the empty state for %NULL. Its texts are shown as plain
 * text, never as markup. The earlier revisions and the decisions are loaded
 * from the store in the background; a load still running for the previous
 * item is cancelled. The approve note is cleared when the item is another
 * task (not when it is a fresh copy of the same one), and so is the
 * revision state. A second opinion and decision support shown are cleared
 * unless @item is the same task with the same output.
 */
void
vd_item_detail_set_item (VdItemDetail *self,
                         VdItem       *item)
{
  gboolean other_task;
  gboolean same_output;

  g_return_if_fail (VD_IS_ITEM_DETAIL (self));
  g_return_if_fail (item == NULL || VD_IS_ITEM (item));

  if (self->item == item)
    return;

  other_task = !vd_item_same_task (self->item, item);
  same_output = !other_task && self->item != NULL && item != NULL &&
                vd_item_get_revision (self->item) == vd_item_get_revision (item) &&
                g_strcmp0 (vd_item_get_content (self->item), vd_item_get_content (item)) == 0;

  vd_item_detail_disconnect_item (self);
  g_set_object (&self->item, item);
  if (item != NULL)
    self->item_notify_id = g_signal_connect_object (item, "notify",
                                                    G_CALLBACK (item_notify_cb), self,
                                                    G_CONNECT_SWAPPED);

  if (other_task)
    {
      GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->scrolled_window);

      gtk_adjustment_set_value (adjustment, gtk_adjustment_get_lower (adjustment));
      vd_expandable_text_set_expanded (self->content_text, FALSE);
      vd_expandable_text_set_expanded (self->reasoning_text, FALSE);
      vd_expandable_text_set_expanded (self->description_text, FALSE);
      vd_expandable_text_set_expanded (self->context_text, FALSE);
      vd_item_detail_clear_note (self);
      vd_item_detail_set_revision_state (self, VD_REVISION_STATE_NONE, NULL);
    }

  if (!same_output)
    vd_agent_results_clear (self->agent_results);

  vd_item_detail_update (self);
  vd_item_history_set_item (self->history, item);
  vd_item_source_set_item (self->source_view, item);
  _vd_item_detail_load_sla (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ITEM]);
}

/**
 * vd_item_detail_get_store:
 * @self: a #VdItemDetail
 *
 * Returns: (transfer none) (nullable): the store the history is read from
 */
VdStore *
vd_item_detail_get_store (VdItemDetail *self)
{
  g_return_val_if_fail (VD_IS_ITEM_DETAIL (self), NULL);

  return self->store;
}

/**
 * vd_item_detail_set_store:
 * @self: a #VdItemDetail
 * @store: (nullable): the store to read the history from
 *
 * Sets the store and loads the history of the item shown from it.
 */
void
vd_item_detail_set_store (VdItemDetail *self,
                          VdStore      *store)
{
  g_return_if_fail (VD_IS_ITEM_DETAIL (self));
  g_return_if_fail (store == NULL || VD_IS_STORE (store));

  if (!g_set_object (&self->store, store))
    return;

  vd_item_history_set_store (self->history, store);
  vd_item_source_set_store (self->source_view, store);
  _vd_item_detail_load_sla (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}

/**
 * vd_item_detail_get_policy:
 * @self: a #VdItemDetail
 *
 * Returns: (transfer none) (nullable): the escalation policy
 */
VdPolicy *
vd_item_detail_get_policy (VdItemDetail *self)
{
  g_return_val_if_fail (VD_IS_ITEM_DETAIL (self), NULL);

  return self->policy;
}

/**
 * vd_item_detail_set_policy:
 * @self: a #VdItemDetail
 * @policy: (nullable): the escalation policy
 *
 * Sets the policy whose threshold the confidence is shown against.
 */
void
vd_item_detail_set_policy (VdItemDetail *self,
                           VdPolicy     *policy)
{
  g_return_if_fail (VD_IS_ITEM_DETAIL (self));
  g_return_if_fail (policy == NULL || VD_IS_POLICY (policy));

  if (!g_set_object (&self->policy, policy))
    return;

  if (self->item != NULL)
    {
      vd_item_detail_update_confidence (self);
      vd_item_detail_update_reason (self);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POLICY]);
}

/**
 * vd_item_detail_reload:
 * @self: a #VdItemDetail
 *
 * Reads the earlier revisions and the decisions of the item again, e.g.
 * after a decision was recorded. What is shown stays until the new data is
 * there.
 */
void
vd_item_detail_reload (VdItemDetail *self)
{
  g_return_if_fail (VD_IS_ITEM_DETAIL (self));

  vd_item_history_reload (self->history);
  _vd_item_detail_load_sla (self);
}

/**
 * vd_item_detail_get_note:
 * @self: a #VdItemDetail
 *
 * Returns: (transfer none): the approve note, "" when there is none
 */
const char *
vd_item_detail_get_note (VdItemDetail *self)
{
  g_return_val_if_fail (VD_IS_ITEM_DETAIL (self), NULL);

  return gtk_editable_get_text (GTK_EDITABLE (self->note_entry));
}

/**
 * vd_item_detail_clear_note:
 * @self: a #VdItemDetail
 *
 * Empties the approve note.
 */
void
vd_item_detail_clear_note (VdItemDetail *self)
{
  g_return_if_fail (VD_IS_ITEM_DETAIL (self));

  if (gtk_entry_get_text_length (self->note_entry) > 0)
    gtk_editable_set_text (GTK_EDITABLE (self->note_entry), "");
}

/**
 * vd_item_detail_set_second_opinion:
 * @self: a #VdItemDetail
 * @opinion: (nullable): the confidence evaluator's answer for the item
 *   shown (its confidence and reasoning; the content is not used, e.g.
 *   vd_agent_output_new (NULL, confidence, reasoning, NULL)), or %NULL to
 *   clear
 *
 * Shows the "Second Opinion" section with @opinion, compared with the
 * agent's own confidence and the policy's threshold. It is cleared when
 * the item or its output changes.
 */
void
vd_item_detail_set_second_opinion (VdItemDetail        *self,
                                   const VdAgentOutput *opinion)
{
  g_return_if_fail (VD_IS_ITEM_DETAIL (self));

  vd_agent_results_set_second_opinion (self->agent_results, opinion);
}

/**
 * vd_item_detail_set_assist:
 * @self: a #VdItemDetail
 * @support: (nullable): decision support for the item shown, or %NULL to
 *   clear
 *
 * Shows the "Decision Support" section: recommendation, confidence,
 * options, analysis, risks and considerations. It is cleared when the item
 * or its output changes.
 */
void
vd_item_detail_set_assist (VdItemDetail            *self,
                           const VdDecisionSupport *support)
{
  g_return_if_fail (VD_IS_ITEM_DETAIL (self));

  vd_agent_results_set_assist (self->agent_results, support);
}

/**
 * vd_item_detail_set_agent_busy:
 * @self: a #VdItemDetail
 * @kind: the request
 * @busy: whether it runs
 *
 * Shows the section of @kind with a spinner while its request runs (a
 * result shown before stays below it); starting clears an error shown.
 */
void
vd_item_detail_set_agent_busy (VdItemDetail   *self,
                               VdAgentRequest  kind,
                               gboolean        busy)
{
  g_return_if_fail (VD_IS_ITEM_DETAIL (self));

  vd_agent_results_set_busy (self->agent_results, kind, busy);
}

/**
 * vd_item_detail_get_agent_busy:
 * @self: a #VdItemDetail
 * @kind: the request
 *
 * Returns: whether the request of @kind is shown as running
 */
gboolean
vd_item_detail_get_agent_busy (VdItemDetail   *self,
                               VdAgentRequest  kind)
{
  g_return_val_if_fail (VD_IS_ITEM_DETAIL (self), FALSE);

  return vd_agent_results_get_busy (self->agent_results, kind);
}

/**
 * vd_item_detail_set_agent_error:
 * @self: a #VdItemDetail
 * @kind: the request
 * @message: (nullable): why the request failed (shown as plain text), or
 *   %NULL to clear
 *
 * Shows the error in the section of @kind.
 */
void
vd_item_detail_set_agent_error (VdItemDetail   *self,
                                VdAgentRequest  kind,
                                const char     *message)
{
  g_return_if_fail (VD_IS_ITEM_DETAIL (self));

  vd_agent_results_set_error (self->agent_results, kind, message);
}

/**
 * vd_item_detail_set_revision_state:
 * @self: a #VdItemDetail
 * @state: where the item shown is in the revise-on-reject loop
 * @message: (nullable): more about it, e.g. the error of a failed
 *   revision (shown as plain text)
 *
 * Shows the state as a banner in the header: "awaiting revision" while
 * the endpoint cannot be reached, a spinner while the agent revises, the
 * error when it failed; nothing for %VD_REVISION_STATE_NONE. It is reset
 * when another task is shown.
 */
void
vd_item_detail_set_revision_state (VdItemDetail    *self,
                                   VdRevisionState  state,
                                   const char      *message)
{
  g_autofree char *text = NULL;
  const char *icon = NULL;
  const char *css_class = NULL;
  static const char * const classes[] = { "accent", "warning", "error" };

  g_return_if_fail (VD_IS_ITEM_DETAIL (self));

  self->revision_state = state;

  switch (state)
    {
    case VD_REVISION_STATE_AWAITING:
      icon = "mail-send-receive-symbolic";
      css_class = "warning";
      if (!vd_text_is_empty (message))
        /* Translators: %s says more, e.g. why the endpoint cannot be reached */
        text = g_strdup_printf (_("Awaiting revision: the agent revises this output with the "
                                  "reviewer’s feedback once the model endpoint can be "
                                  "reached. %s"), message);
      else
        text = g_strdup (_("Awaiting revision: the agent revises this output with the "
                           "reviewer’s feedback once the model endpoint can be reached."));
      break;

    case VD_REVISION_STATE_RUNNING:
      css_class = "accent";
      text = g_strdup (_("The agent is revising this output with the reviewer’s feedback…"));
      break;

    case VD_REVISION_STATE_FAILED:
      icon = "dialog-warning-symbolic";
      css_class = "error";
      if (!vd_text_is_empty (message))
        /* Translators: %s is an error message */
        text = g_strdup_printf (_("The revision failed: %s"), message);
      else
        text = g_strdup (_("The revision failed."));
      break;

    case VD_REVISION_STATE_NONE:
    default:
      break;
    }

  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    gtk_widget_remove_css_class (self->revision_banner, classes[i]);
  if (css_class != NULL)
    gtk_widget_add_css_class (self->revision_banner, css_class);

  _vd_item_detail_set_plain_text (self->revision_state_label, text);
  gtk_image_set_from_icon_name (self->revision_icon, icon);
  gtk_widget_set_visible (GTK_WIDGET (self->revision_icon), icon != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->revision_spinner),
                          state == VD_REVISION_STATE_RUNNING);
  gtk_spinner_set_spinning (self->revision_spinner, state == VD_REVISION_STATE_RUNNING);
  gtk_widget_set_visible (self->revision_banner, text != NULL);
}

/**
 * vd_item_detail_get_revision_state:
 * @self: a #VdItemDetail
 *
 * Returns: the revision state shown
 */
VdRevisionState
vd_item_detail_get_revision_state (VdItemDetail *self)
{
  g_return_val_if_fail (VD_IS_ITEM_DETAIL (self), VD_REVISION_STATE_NONE);

  return self->revision_state;
}

/* Internal state, for the tests */

const char *
_vd_item_detail_get_visible_page (VdItemDetail *self)
{
  return gtk_stack_get_visible_child_name (self->stack);
}

gboolean
_vd_item_detail_get_loading (VdItemDetail *self)
{
  return _vd_item_history_get_loading (self->history);
}

guint
_vd_item_detail_get_n_loads (VdItemDetail *self)
{
  return _vd_item_history_get_n_loads (self->history);
}

GtkLabel *
_vd_item_detail_get_label (VdItemDetail *self,
                           const char   *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (item_labels); i++)
    {
      if (g_str_equal (item_labels[i].name, name))
        return ITEM_LABEL (self, i);
    }

  if (g_str_equal (name, "history-error"))
    return _vd_item_history_get_error_label (self->history);
  if (g_str_equal (name, "review"))
    return self->review_label;

  g_return_val_if_reached (NULL);
}

GtkLevelBar *
_vd_item_detail_get_level_bar (VdItemDetail *self)
{
  return self->confidence_bar;
}

double
_vd_item_detail_get_threshold (VdItemDetail *self)
{
  return self->threshold;
}

GtkWidget *
_vd_item_detail_get_metadata_grid (VdItemDetail *self)
{
  return GTK_WIDGET (self->metadata_grid);
}

GtkWidget *
_vd_item_detail_get_revisions (VdItemDetail *self)
{
  return _vd_item_history_get_revisions (self->history);
}

GtkWidget *
_vd_item_detail_get_decisions (VdItemDetail *self)
{
  return _vd_item_history_get_decisions (self->history);
}

GtkWidget *
_vd_item_detail_get_note_entry (VdItemDetail *self)
{
  return GTK_WIDGET (self->note_entry);
}

VdExpandableText *
_vd_item_detail_get_output (VdItemDetail *self)
{
  return self->content_text;
}

VdItemHistory *
_vd_item_detail_get_history (VdItemDetail *self)
{
  return self->history;
}

VdAgentResults *
_vd_item_detail_get_agent_results (VdItemDetail *self)
{
  return self->agent_results;
}

GtkWidget *
_vd_item_detail_get_revision_banner (VdItemDetail *self)
{
  return self->revision_banner;
}


/**
 * vd_item_detail_set_read_only_reason:
 * @self: a #VdItemDetail
 * @reason: (nullable): why the reviewer may not decide the item, as plain
 *   text; %NULL when they may
 *
 * Shows @reason above the item, e.g. that escalated items need a role.
 */
void
vd_item_detail_set_read_only_reason (VdItemDetail *self,
                                     const char   *reason)
{
  g_return_if_fail (VD_IS_ITEM_DETAIL (self));

  gtk_label_set_text (self->read_only_label, reason != NULL ? reason : "");
  gtk_widget_set_visible (GTK_WIDGET (self->read_only_label), reason != NULL);
}

/**
 * vd_item_detail_set_claim_note:
 * @self: a #VdItemDetail
 * @note: (nullable): who else is reviewing the item, as plain text; %NULL
 *   when nobody is
 *
 * Shows @note above the item, e.g. that another reviewer holds a claim.
 */
void
vd_item_detail_set_claim_note (VdItemDetail *self,
                               const char   *note)
{
  g_return_if_fail (VD_IS_ITEM_DETAIL (self));

  gtk_label_set_text (self->claim_label, note != NULL ? note : "");
  gtk_widget_set_visible (GTK_WIDGET (self->claim_label), note != NULL);
}

/**
 * vd_item_detail_get_claim_note:
 * @self: a #VdItemDetail
 *
 * Returns: (nullable): the claim note shown, %NULL when none is
 */
const char *
vd_item_detail_get_claim_note (VdItemDetail *self)
{
  g_return_val_if_fail (VD_IS_ITEM_DETAIL (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->claim_label)))
    return NULL;

  return gtk_label_get_text (self->claim_label);
}

/**
 * vd_item_detail_get_read_only_reason:
 * @self: a #VdItemDetail
 *
 * Returns: (nullable): the reason shown, %NULL when none is
 */
const char *
vd_item_detail_get_read_only_reason (VdItemDetail *self)
{
  g_return_val_if_fail (VD_IS_ITEM_DETAIL (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->read_only_label)))
    return NULL;

  return gtk_label_get_text (self->read_only_label);
}

VdItemSource *
_vd_item_detail_get_source_view (VdItemDetail *self)
{
  return self->source_view;
}

/**
 * vd_item_detail_get_first_reviewer:
 * @self: a #VdItemDetail
 *
 * Returns: (nullable): see #VdItemDetail:first-reviewer
 */
const char *
vd_item_detail_get_first_reviewer (VdItemDetail *self)
{
  g_return_val_if_fail (VD_IS_ITEM_DETAIL (self), NULL);

  return vd_item_history_get_first_reviewer (self->history);
}
