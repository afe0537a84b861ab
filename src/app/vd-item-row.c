/* vd-item-row.c
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

#define G_LOG_DOMAIN "vd-item-row"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "vd-item-row.h"
#include "vd-source-info.h"

/* Confidence this far below the threshold is shown as an error. */
#define FAR_BELOW 0.2

struct _VdItemRow
{
  GtkWidget  parent_instance;

  VdItem    *item;
  gulong     item_notify;
  VdPolicy  *policy;
  guint      update_source;
  gboolean   ticking;
  char      *accessible_description;

  GtkLabel  *confidence_label;
  GtkLabel  *task_id_label;
  GtkLabel  *due_label;
  GtkLabel  *description_label;
  GtkLabel  *status_label;
  GtkLabel  *reason_label;
  GtkLabel  *task_type_label;
  GtkLabel  *revision_label;
  GtkLabel  *group_label;
  GtkLabel  *claim_label;
};

G_DEFINE_FINAL_TYPE (VdItemRow, vd_item_row, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_ITEM,
  PROP_POLICY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The built-in policy, for rows shown before (or without) one. */
static VdPolicy *default_policy;

static const char * const confidence_classes[] = { "error", "warning", "success" };

/* One shared, minute-aligned tick brings the countdowns of every mapped row
 * up to date: never a timer per row. */
static GPtrArray *ticking_rows;
static guint due_tick_source;

static void vd_item_row_update_due (VdItemRow *self);
static void schedule_due_tick (void);

static gboolean
due_tick_cb (gpointer user_data)
{
  due_tick_source = 0;

  if (ticking_rows != NULL)
    for (guint i = 0; i < ticking_rows->len; i++)
      vd_item_row_update_due (g_ptr_array_index (ticking_rows, i));

  schedule_due_tick ();

  return G_SOURCE_REMOVE;
}

static void
schedule_due_tick (void)
{
  gint64 now_ms, delay_ms;

  if (due_tick_source != 0 || ticking_rows == NULL || ticking_rows->len == 0)
    return;

  /* Just past the next whole minute of the wall clock. */
  now_ms = g_get_real_time () / 1000;
  delay_ms = 60000 - now_ms % 60000 + 50;
  due_tick_source = g_timeout_add_full (G_PRIORITY_LOW, (guint) delay_ms, due_tick_cb, NULL, NULL);
  g_source_set_static_name (g_main_context_find_source_by_id (NULL, due_tick_source),
                            "[verdict] row countdowns");
}

static void
vd_item_row_start_ticking (VdItemRow *self)
{
  if (self->ticking)
    return;

  if (ticking_rows == NULL)
    ticking_rows = g_ptr_array_new ();
  g_ptr_array_add (ticking_rows, self);
  self->ticking = TRUE;
  schedule_due_tick ();
}

static void
vd_item_row_stop_ticking (VdItemRow *self)
{
  if (!self->ticking)
    return;

  g_ptr_array_remove_fast (ticking_rows, self);
  self->ticking = FALSE;
  if (ticking_rows->len == 0)
    g_clear_handle_id (&due_tick_source, g_source_remove);
}

/**
 * vd_item_row_get_n_ticking:
 *
 * Returns: how many rows the shared countdown tick refreshes (the mapped
 *   ones), for the tests
 */
guint
vd_item_row_get_n_ticking (void)
{
  return ticking_rows != NULL ? ticking_rows->len : 0;
}

static char *
first_line (const char *text)
{
  const char *end;

  if (text == NULL)
    return g_strdup ("");

  /* Leading blank lines would leave the row empty. */
  while (*text == '\n' || *text == '\r')
    text++;

  end = strpbrk (text, "\r\n");

  return end != NULL ? g_strndup (text, end - text) : g_strdup (text);
}

static void
vd_item_row_update_due (VdItemRow *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *due = NULL;
  g_autofree char *description = NULL;
  g_autofree char *accessible = NULL;
  VdDueState state = VD_DUE_STATE_NONE;

  if (self->item != NULL && vd_item_get_task_id (self->item) != NULL)
    {
      due = vd_sla_format_time_left (vd_item_get_due_at (self->item), now, NULL);
      /* The core's rule: a decided item has no deadline to meet any more. */
      state = vd_sla_get_due_state (self->item, self->policy, now);
    }

  gtk_label_set_text (self->due_label, due != NULL ? due : "");
  gtk_widget_set_visible (GTK_WIDGET (self->due_label), due != NULL);

  /* The label's colour and the row's class say how close the deadline is;
   * the text says it too ("overdue"), for those who cannot see colours. */
  if (state == VD_DUE_STATE_OVERDUE)
    gtk_widget_add_css_class (GTK_WIDGET (self->due_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->due_label), "error");
  if (state == VD_DUE_STATE_SOON)
    gtk_widget_add_css_class (GTK_WIDGET (self->due_label), "warning");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->due_label), "warning");

  if (state == VD_DUE_STATE_OVERDUE)
    gtk_widget_add_css_class (GTK_WIDGET (self), "deadline-overdue");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "deadline-overdue");
  if (state == VD_DUE_STATE_SOON)
    gtk_widget_add_css_class (GTK_WIDGET (self), "deadline-soon");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "deadline-soon");

  if (self->item == NULL || vd_item_get_task_id (self->item) == NULL ||
      vd_item_get_task_id (self->item)[0] == '\0')
    return;

  description = first_line (vd_item_get_task_description (self->item));
  if (due != NULL && state == VD_DUE_STATE_SOON)
    /* Translators: a row's accessible description: the task description,
     * then the time left, e.g. "Refund order 1234, 20 min left, deadline close" */
    accessible = g_strdup_printf (_("%s, %s, deadline close"), description, due);
  else if (due != NULL)
    /* Translators: a row's accessible description: the task description,
     * then the time left, e.g. "Refund order 1234, 20 min left" */
    accessible = g_strdup_printf (_("%s, %s"), description, due);
  else
    accessible = g_steal_pointer (&description);

  if (g_strcmp0 (accessible, self->accessible_description) != 0)
    {
      g_free (self->accessible_description);
      self->accessible_description = g_steal_pointer (&accessible);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                      self->accessible_description,
                                      -1);
    }
}

static void
vd_item_row_clear (VdItemRow *self,
                   gboolean   loading)
{
  /* Translators: a row whose item is still being read from the database */
  gtk_label_set_text (self->task_id_label, loading ? _("Loading…") : "");
  if (loading)
    gtk_widget_add_css_class (GTK_WIDGET (self->task_id_label), "dim-label");

  gtk_label_set_text (self->confidence_label, "");
  gtk_label_set_text (self->description_label, "");
  gtk_label_set_text (self->status_label, "");
  gtk_label_set_text (self->reason_label, "");
  gtk_label_set_text (self->task_type_label, "");
  gtk_label_set_text (self->revision_label, "");
  gtk_label_set_text (self->group_label, "");
  gtk_label_set_text (self->due_label, "");
  gtk_widget_set_visible (GTK_WIDGET (self->confidence_label), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->reason_label), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->task_type_label), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->revision_label), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->group_label), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->due_label), FALSE);

  g_clear_pointer (&self->accessible_description, g_free);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  loading ? _("Loading…") : "",
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, "",
                                  -1);
}

static void
vd_item_row_update (VdItemRow *self)
{
  g_autofree char *confidence = NULL;
  g_autofree char *description = NULL;
  g_autofree char *revision = NULL;
  g_autofree char *tooltip = NULL;
  g_autofree char *accessible = NULL;
  g_autofree char *marker = NULL;
  g_autofree char *position = NULL;
  gboolean has_confidence;
  VdPolicy *policy = self->policy != NULL ? self->policy : default_policy;
  const char *task_type, *status;
  VdEscalationReason reason;
  const char *css_class;
  double value, threshold;
  int rev;

  for (guint i = 0; i < G_N_ELEMENTS (confidence_classes); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->confidence_label), confidence_classes[i]);
  gtk_widget_remove_css_class (GTK_WIDGET (self->task_id_label), "dim-label");

  /* A placeholder holds only its id until its fields are fetched. */
  if (self->item == NULL || vd_item_get_task_id (self->item) == NULL ||
      vd_item_get_task_id (self->item)[0] == '\0')
    {
      vd_item_row_clear (self, self->item != NULL);
      return;
    }

  task_type = vd_item_get_task_type (self->item);
  has_confidence = vd_item_has_confidence (self->item);
  value = has_confidence ? vd_item_get_confidence (self->item) : 0.0;
  threshold = vd_policy_get_threshold_for_type (policy, task_type);

  if (has_confidence)
    {
      /* The colour says how the confidence stands against the threshold
       * that applies to this type of task. */
      if (value < threshold - FAR_BELOW)
        css_class = "error";
      else if (value < threshold)
        css_class = "warning";
      else
        css_class = "success";

      confidence = g_strdup_printf ("%.2f", value);
      gtk_widget_add_css_class (GTK_WIDGET (self->confidence_label), css_class);

      if (value < threshold)
        /* Translators: a tooltip, e.g. "Confidence 0.62, below the threshold 0.70" */
        tooltip = g_strdup_printf (_("Confidence %.2f, below the threshold %.2f"), value,
                                   threshold);
      else
        /* Translators: a tooltip, e.g. "Confidence 0.92, at or above the threshold 0.70" */
        tooltip = g_strdup_printf (_("Confidence %.2f, at or above the threshold %.2f"),
                                   value, threshold);
    }
  else
    {
      /* The source gave none: a dash, never a number. */
      confidence = g_strdup ("—");
      tooltip = g_strdup (vd_source_info_no_confidence ());
    }

  gtk_label_set_text (self->confidence_label, confidence);
  gtk_widget_set_visible (GTK_WIDGET (self->confidence_label), TRUE);
  /* Setting a tooltip asks the display where the pointer is: only on change. */
  if (g_strcmp0 (gtk_widget_get_tooltip_text (GTK_WIDGET (self->confidence_label)), tooltip) != 0)
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->confidence_label), tooltip);

  /* The compact group marker of an item that belongs with others, e.g.
   * "LangGraph 2/3": the pane lists the others. */
  marker = vd_source_info_format_marker (self->item);
  if (marker != NULL)
    {
      g_autofree char *tag = NULL;
      const char *tool = vd_source_info_tool_name (self->item);

      g_autofree char *where = vd_source_info_format_position (self->item);

      tag = tool != NULL ? g_strdup_printf ("%s %s", tool, marker) : g_strdup (marker);
      gtk_label_set_text (self->group_label, tag);
      if (g_strcmp0 (gtk_widget_get_tooltip_text (GTK_WIDGET (self->group_label)), where) != 0)
        gtk_widget_set_tooltip_text (GTK_WIDGET (self->group_label), where);
    }
  else
    gtk_label_set_text (self->group_label, "");
  gtk_widget_set_visible (GTK_WIDGET (self->group_label), marker != NULL);

  /* Everything below comes from a queue file: plain text only. */
  gtk_label_set_text (self->task_id_label, vd_item_get_task_id (self->item));

  gtk_label_set_text (self->task_type_label, task_type != NULL ? task_type : "");
  gtk_widget_set_visible (GTK_WIDGET (self->task_type_label),
                          task_type != NULL && task_type[0] != '\0');

  description = first_line (vd_item_get_task_description (self->item));
  gtk_label_set_text (self->description_label, description);

  /* Pending is what a row is until someone acts: only the others show,
   * and an item that waits for its second reviewer. */
  if (vd_item_get_status (self->item) != VD_TASK_STATUS_PENDING)
    status = vd_task_status_to_label (vd_item_get_status (self->item));
  else if (vd_item_get_reviews_required (self->item) > 1 && vd_item_get_n_reviews (self->item) == 1)
    /* Translators: an item reviewed once that needs a second reviewer */
    status = _("1 of 2 reviews");
  else
    status = NULL;
  gtk_label_set_text (self->status_label, status != NULL ? status : "");
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), status != NULL);

  reason = vd_item_get_escalation_reason (self->item);
  if (reason != VD_ESCALATION_REASON_NONE)
    {
      gtk_label_set_text (self->reason_label, vd_escalation_reason_to_label (reason));
      gtk_widget_set_visible (GTK_WIDGET (self->reason_label), TRUE);
    }
  else
    {
      gtk_label_set_text (self->reason_label, "");
      gtk_widget_set_visible (GTK_WIDGET (self->reason_label), FALSE);
    }

  rev = vd_item_get_revision (self->item);
  if (rev > 0)
    {
      /* Translators: the revision of the agent's output, e.g. "rev 2" */
      revision = g_strdup_printf (_("rev %d"), rev);
      gtk_label_set_text (self->revision_label, revision);
    }
  else
    gtk_label_set_text (self->revision_label, "");
  gtk_widget_set_visible (GTK_WIDGET (self->revision_label), rev > 0);

  vd_item_row_update_due (self);

  if (has_confidence)
    /* Translators: how a screen reader names a row: task id, confidence,
     * escalation reason, e.g. "pay-88213, confidence 0.62, Low confidence" */
    accessible = g_strdup_printf (_("%s, confidence %.2f, %s"),
                                  vd_item_get_task_id (self->item), value,
                                  reason != VD_ESCALATION_REASON_NONE
                                  ? vd_escalation_reason_to_label (reason)
                                  : (status != NULL ? status : ""));
  else
    /* Translators: how a screen reader names a row of an item without a
     * confidence: task id, then the escalation reason, e.g. "lg:t:i:0, no
     * confidence given, Policy required" */
    accessible = g_strdup_printf (_("%s, no confidence given, %s"),
                                  vd_item_get_task_id (self->item),
                                  reason != VD_ESCALATION_REASON_NONE
                                  ? vd_escalation_reason_to_label (reason)
                                  : (status != NULL ? status : ""));
  position = vd_source_info_format_position (self->item);
  if (position != NULL)
    {
      g_autofree char *with_position = g_strdup_printf ("%s, %s", accessible, position);

      g_free (accessible);
      accessible = g_steal_pointer (&with_position);
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible,
                                  -1);
}

static gboolean
update_idle_cb (gpointer user_data)
{
  VdItemRow *self = user_data;

  self->update_source = 0;
  vd_item_row_update (self);

  return G_SOURCE_REMOVE;
}

static void
item_notify_cb (VdItemRow  *self,
                GParamSpec *pspec,
                VdItem     *item)
{
  /* A fetch fills every property of the item at once: update once, before
   * the next frame. */
  if (self->update_source == 0)
    self->update_source = g_idle_add_full (G_PRIORITY_HIGH_IDLE, update_idle_cb, self, NULL);
}

static void
vd_item_row_map (GtkWidget *widget)
{
  VdItemRow *self = VD_ITEM_ROW (widget);

  GTK_WIDGET_CLASS (vd_item_row_parent_class)->map (widget);

  vd_item_row_update_due (self);
  vd_item_row_start_ticking (self);
}

static void
vd_item_row_unmap (GtkWidget *widget)
{
  VdItemRow *self = VD_ITEM_ROW (widget);

  vd_item_row_stop_ticking (self);

  GTK_WIDGET_CLASS (vd_item_row_parent_class)->unmap (widget);
}

static void
vd_item_row_dispose (GObject *object)
{
  VdItemRow *self = (VdItemRow *)object;
  GtkWidget *child;

  vd_item_row_stop_ticking (self);
  g_clear_handle_id (&self->update_source, g_source_remove);
  g_clear_pointer (&self->accessible_description, g_free);
  if (self->item != NULL)
    g_clear_signal_handler (&self->item_notify, self->item);
  g_clear_object (&self->item);
  g_clear_object (&self->policy);
  gtk_widget_dispose_template (GTK_WIDGET (self), VD_TYPE_ITEM_ROW);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (vd_item_row_parent_class)->dispose (object);
}

static void
vd_item_row_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  VdItemRow *self = VD_ITEM_ROW (object);

  switch (prop_id)
    {
    case PROP_ITEM:
      g_value_set_object (value, self->item);
      break;

    case PROP_POLICY:
      g_value_set_object (value, self->policy);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vd_item_row_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  VdItemRow *self = VD_ITEM_ROW (object);

  switch (prop_id)
    {
    case PROP_ITEM:
      vd_item_row_set_item (self, g_value_get_object (value));
      break;

    case PROP_POLICY:
      vd_item_row_set_policy (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vd_item_row_class_init (VdItemRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vd_item_row_dispose;
  object_class->get_property = vd_item_row_get_property;
  object_class->set_property = vd_item_row_set_property;

  widget_class->map = vd_item_row_map;
  widget_class->unmap = vd_item_row_unmap;

  /**
   * VdItemRow:item: (nullable)
   *
   * The item shown by the row; a placeholder whose fields are still being
   * fetched shows "Loading…" until they notify.
   */
  properties[PROP_ITEM] =
    g_param_spec_object ("item", NULL, NULL,
                         VD_TYPE_ITEM,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * VdItemRow:policy: (nullable)
   *
   * The policy whose thresholds the confidence is shown against; the
   * built-in default when %NULL.
   */
  properties[PROP_POLICY] =
    g_param_spec_object ("policy", NULL, NULL,
                         VD_TYPE_POLICY,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/verdict/Verdict/vd-item-row.ui");
  gtk_widget_class_bind_template_child (widget_class, VdItemRow, confidence_label);
  gtk_widget_class_bind_template_child (widget_class, VdItemRow, task_id_label);
  gtk_widget_class_bind_template_child (widget_class, VdItemRow, due_label);
  gtk_widget_class_bind_template_child (widget_class, VdItemRow, description_label);
  gtk_widget_class_bind_template_child (widget_class, VdItemRow, status_label);
  gtk_widget_class_bind_template_child (widget_class, VdItemRow, reason_label);
  gtk_widget_class_bind_template_child (widget_class, VdItemRow, task_type_label);
  gtk_widget_class_bind_template_child (widget_class, VdItemRow, revision_label);
  gtk_widget_class_bind_template_child (widget_class, VdItemRow, group_label);
  gtk_widget_class_bind_template_child (widget_class, VdItemRow, claim_label);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "vditemrow");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);

  default_policy = vd_policy_new ();
}

static void
vd_item_row_init (VdItemRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  vd_item_row_update (self);
}

/**
 * vd_item_row_new:
 *
 * Creates a row showing no item; set one with vd_item_row_set_item().
 *
 * Returns: (transfer full): a new #VdItemRow
 */
GtkWidget *
vd_item_row_new (void)
{
  return g_object_new (VD_TYPE_ITEM_ROW, NULL);
}

/**
 * vd_item_row_get_item:
 * @self: a #VdItemRow
 *
 * Returns: (transfer none) (nullable): the item shown
 */
VdItem *
vd_item_row_get_item (VdItemRow *self)
{
  g_return_val_if_fail (VD_IS_ITEM_ROW (self), NULL);

  return self->item;
}

/**
 * vd_item_row_set_item:
 * @self: a #VdItemRow
 * @item: (nullable): the item to show
 *
 * Shows @item, and follows its changes. Its texts are shown as plain
 * text, never as markup.
 */
void
vd_item_row_set_item (VdItemRow *self,
                      VdItem    *item)
{
  g_return_if_fail (VD_IS_ITEM_ROW (self));
  g_return_if_fail (item == NULL || VD_IS_ITEM (item));

  if (self->item == item)
    return;

  if (self->item != NULL)
    g_clear_signal_handler (&self->item_notify, self->item);

  g_set_object (&self->item, item);

  if (item != NULL)
    self->item_notify = g_signal_connect_object (item, "notify",
                                                 G_CALLBACK (item_notify_cb), self,
                                                 G_CONNECT_SWAPPED);

  g_clear_handle_id (&self->update_source, g_source_remove);
  vd_item_row_update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ITEM]);
}

/**
 * vd_item_row_get_policy:
 * @self: a #VdItemRow
 *
 * Returns: (transfer none) (nullable): the policy set
 */
VdPolicy *
vd_item_row_get_policy (VdItemRow *self)
{
  g_return_val_if_fail (VD_IS_ITEM_ROW (self), NULL);

  return self->policy;
}

/**
 * vd_item_row_set_policy:
 * @self: a #VdItemRow
 * @policy: (nullable): the policy whose thresholds apply
 */
void
vd_item_row_set_policy (VdItemRow *self,
                        VdPolicy  *policy)
{
  g_return_if_fail (VD_IS_ITEM_ROW (self));
  g_return_if_fail (policy == NULL || VD_IS_POLICY (policy));

  if (!g_set_object (&self->policy, policy))
    return;

  vd_item_row_update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POLICY]);
}

/**
 * vd_item_row_set_claimed_by:
 * @self: a #VdItemRow
 * @reviewer_id: (nullable): the other reviewer who holds a claim on the
 *   row's item, or %NULL
 *
 * Shows who else has the item open, as a small tag.
 */
void
vd_item_row_set_claimed_by (VdItemRow  *self,
                            const char *reviewer_id)
{
  g_return_if_fail (VD_IS_ITEM_ROW (self));

  if (reviewer_id != NULL)
    {
      g_autofree char *tooltip =
        /* Translators: %s is a reviewer id */
        g_strdup_printf (_("%s is reviewing this item"), reviewer_id);

      gtk_label_set_text (self->claim_label, reviewer_id);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->claim_label), tooltip);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->claim_label), reviewer_id != NULL);
}

/**
 * vd_item_row_get_claimed_by:
 * @self: a #VdItemRow
 *
 * Returns: (nullable): the reviewer shown as holding a claim, or %NULL
 */
const char *
vd_item_row_get_claimed_by (VdItemRow *self)
{
  g_return_val_if_fail (VD_IS_ITEM_ROW (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->claim_label)))
    return NULL;

  return gtk_label_get_text (self->claim_label);
}

/**
 * vd_item_row_get_accessible_description:
 * @self: a #VdItemRow
 *
 * Returns: (nullable): the row's accessible description as last set: the
 *   task description and the time left to the deadline
 */
const char *
vd_item_row_get_accessible_description (VdItemRow *self)
{
  g_return_val_if_fail (VD_IS_ITEM_ROW (self), NULL);

  return self->accessible_description;
}
