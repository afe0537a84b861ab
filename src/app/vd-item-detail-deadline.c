/* vd-item-detail-deadline.c
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

#include <glib/gi18n.h>

#include "vd-item-detail-private.h"

/* The deadline: the time left to it, and the fallback applied when it passed */

static char *
format_span (GTimeSpan span)
{
  gint64 minutes = span / G_TIME_SPAN_MINUTE;
  int days = minutes / (24 * 60);
  int hours = (minutes / 60) % 24;
  int mins = minutes % 60;

  if (days > 0 && hours > 0)
    /* Translators: a time span in days and hours, e.g. "3 d 4 h" */
    return g_strdup_printf (_("%d d %d h"), days, hours);
  if (days > 0)
    /* Translators: a time span in days, e.g. "3 d" */
    return g_strdup_printf (_("%d d"), days);
  if (hours > 0 && mins > 0)
    /* Translators: a time span in hours and minutes, e.g. "2 h 10 min" */
    return g_strdup_printf (_("%d h %d min"), hours, mins);
  if (hours > 0)
    /* Translators: a time span in hours, e.g. "2 h" */
    return g_strdup_printf (_("%d h"), hours);
  if (mins > 0)
    /* Translators: a time span in minutes, e.g. "5 min" */
    return g_strdup_printf (_("%d min"), mins);

  return g_strdup (_("less than 1 min"));
}

/**
 * _vd_item_detail_format_due:
 * @due_at: a deadline
 * @now: the present
 *
 * Returns: (transfer full): the time left, as "due in 2 h 10 min" or
 *   "overdue by 5 min"
 */
char *
_vd_item_detail_format_due (GDateTime *due_at,
                            GDateTime *now)
{
  GTimeSpan span = g_date_time_difference (due_at, now);
  g_autofree char *text = format_span (ABS (span));

  if (span >= 0)
    /* Translators: the time left to an item's deadline, e.g. "due in 2 h 10 min" */
    return g_strdup_printf (_("due in %s"), text);

  /* Translators: the time since an item's deadline, e.g. "overdue by 5 min" */
  return g_strdup_printf (_("overdue by %s"), text);
}

/* The deadline fallback: what the store recorded when an item's deadline
 * passed, read off the UI thread. */

typedef struct
{
  VdStore     *store;
  gint64       item_id;
  VdSlaRecord  record;
} SlaLoad;

static void
sla_load_free (SlaLoad *load)
{
  g_clear_object (&load->store);
  vd_sla_record_clear (&load->record);
  g_free (load);
}

static void
load_sla_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  SlaLoad *load = task_data;
  GError *error = NULL;

  if (!vd_store_get_sla_record (load->store, load->item_id, &load->record, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * _vd_item_detail_describe_sla:
 * @record: an applied deadline fallback
 *
 * Returns: (transfer full): a sentence, e.g. "Deadline passed 20 Nov 2026,
 *   07:00 — escalated by the deadline fallback (escalate)"
 */
char *
_vd_item_detail_describe_sla (const VdSlaRecord *record)
{
  g_autofree char *deadline = _vd_item_detail_format_time (record->deadline);
  const char *configured = vd_sla_fallback_to_string (record->configured);

  switch (record->fallback)
    {
    case VD_SLA_FALLBACK_AUTO_REJECT:
      /* Translators: %s is the deadline, e.g. "20 Nov 2026, 07:00" */
      return g_strdup_printf (_("Deadline passed %s — sent back for revision by the deadline "
                                "fallback (auto_reject)"), deadline);

    case VD_SLA_FALLBACK_AUTO_APPROVE:
      /* Translators: %s is the deadline, e.g. "20 Nov 2026, 07:00" */
      return g_strdup_printf (_("Deadline passed %s — approved by the deadline fallback "
                                "(auto_approve)"), deadline);

    case VD_SLA_FALLBACK_ESCALATE:
    default:
      if (record->configured != record->fallback)
        /* Translators: %s is the deadline, e.g. "20 Nov 2026, 07:00"; %s is the
         * fallback the policy named, "auto_approve" */
        return g_strdup_printf (_("Deadline passed %s — escalated by the deadline fallback "
                                  "(%s is not safe for this item)"), deadline, configured);
      /* Translators: %s is the deadline, e.g. "20 Nov 2026, 07:00" */
      return g_strdup_printf (_("Deadline passed %s — escalated by the deadline fallback "
                              "(escalate)"), deadline);
    }
}

static void
load_sla_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  VdItemDetail *self = VD_ITEM_DETAIL (object);
  GTask *task = G_TASK (result);
  GCancellable *cancellable = g_task_get_cancellable (task);
  SlaLoad *load = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *tooltip = NULL;
  g_autofree char *applied = NULL;

  g_task_propagate_boolean (task, &error);

  /* A newer item or reload took over. */
  if (g_cancellable_is_cancelled (cancellable) || cancellable != self->sla_cancellable)
    return;

  g_clear_object (&self->sla_cancellable);
  self->n_sla_loads++;

  if (error != NULL)
    {
      /* An item not in the store (yet) has no fallback to show. */
      g_debug ("Cannot read the deadline fallback of item %" G_GINT64_FORMAT ": %s",
               load->item_id, error->message);
      gtk_widget_set_visible (self->sla_banner, FALSE);
      return;
    }

  if (!load->record.applied)
    {
      gtk_label_set_text (self->sla_label, "");
      gtk_widget_set_visible (self->sla_banner, FALSE);
      return;
    }

  text = _vd_item_detail_describe_sla (&load->record);
  gtk_label_set_text (self->sla_label, text);

  applied = _vd_item_detail_format_time (load->record.applied_at);
  if (load->record.rule != NULL && load->record.rule[0] != '\0')
    /* Translators: a tooltip: when the fallback was applied, and the
     * policy field that named it, e.g. "Applied 20 Nov 2026, 07:01 (policy: fallback)" */
    tooltip = g_strdup_printf (_("Applied %s (policy: %s)"), applied, load->record.rule);
  else
    /* Translators: a tooltip: when the fallback was applied */
    tooltip = g_strdup_printf (_("Applied %s"), applied);
  gtk_widget_set_tooltip_text (self->sla_banner, tooltip);

  _vd_item_detail_set_one_css_class (self->sla_banner,
                                     load->record.fallback == VD_SLA_FALLBACK_AUTO_APPROVE
                                     ? "accent" : "warning");
  gtk_widget_set_visible (self->sla_banner, TRUE);
}

void
_vd_item_detail_load_sla (VdItemDetail *self)
{
  g_autoptr(GTask) task = NULL;
  SlaLoad *load;

  g_cancellable_cancel (self->sla_cancellable);
  g_clear_object (&self->sla_cancellable);

  if (self->item == NULL || self->store == NULL || vd_item_get_id (self->item) <= 0)
    {
      gtk_widget_set_visible (self->sla_banner, FALSE);
      return;
    }

  self->sla_cancellable = g_cancellable_new ();

  load = g_new0 (SlaLoad, 1);
  load->store = g_object_ref (self->store);
  load->item_id = vd_item_get_id (self->item);

  task = g_task_new (self, self->sla_cancellable, load_sla_cb, NULL);
  g_task_set_source_tag (task, _vd_item_detail_load_sla);
  g_task_set_task_data (task, load, (GDestroyNotify) sla_load_free);
  g_task_run_in_thread (task, load_sla_thread);
}

/* Internal state, for the tests */

guint
_vd_item_detail_get_n_sla_loads (VdItemDetail *self)
{
  g_return_val_if_fail (VD_IS_ITEM_DETAIL (self), 0);

  return self->n_sla_loads;
}

gboolean
_vd_item_detail_get_sla_loading (VdItemDetail *self)
{
  g_return_val_if_fail (VD_IS_ITEM_DETAIL (self), FALSE);

  return self->sla_cancellable != NULL;
}

GtkWidget *
_vd_item_detail_get_sla_banner (VdItemDetail *self)
{
  g_return_val_if_fail (VD_IS_ITEM_DETAIL (self), NULL);

  return self->sla_banner;
}
