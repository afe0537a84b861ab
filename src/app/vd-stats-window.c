/* vd-stats-window.c
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

#define G_LOG_DOMAIN "vd-stats-window"

#include "config.h"

#include <glib/gi18n.h>

#include "vd-policy-update.h"
#include "vd-reliability-chart.h"
#include "vd-stats-window.h"
#include "vd-timeline-chart.h"

/* The days the decisions-over-time chart covers. */
#define TIMELINE_DAYS 30

struct _VdStatsWindow
{
  AdwWindow            parent_instance;

  /* Template widgets */
  AdwWindowTitle      *window_title;
  GtkDropDown         *queue_dropdown;
  GtkStringList       *queues;
  AdwToastOverlay     *toast_overlay;
  GtkStack            *stack;
  AdwStatusPage       *empty_page;
  AdwStatusPage       *error_page;
  GtkSpinner          *spinner;
  GtkFlowBox          *overview_box;
  VdTimelineChart     *timeline_chart;
  GtkWidget           *legend_box;
  GtkLabel            *timeline_table_label;
  VdReliabilityChart  *reliability_chart;
  GtkWidget           *ece_box;
  GtkWidget           *brier_box;
  GtkWidget           *calibrated_box;
  GtkLabel            *calibration_table_label;
  AdwPreferencesGroup *thresholds_group;
  GtkListBox          *thresholds_list;
  GtkListBox          *reviewers_list;
  GtkListBox          *feedback_list;

  VdSession           *session;
  VdStore             *store;           /* the session's, when the window opened */
  GSettings           *settings;
  char                *reviewer_id;
  char                *queue;           /* NULL: all queues */
  gboolean             updating_queues;
  gboolean             disposed;

  GCancellable        *cancellable;     /* cancelled when the window goes */
  GCancellable        *compute_cancellable;
  gint64               compute_started;   /* monotonic */
  VdInsights          *insights;
  guint                n_computed;
};

G_DEFINE_FINAL_TYPE (VdStatsWindow, vd_stats_window, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Helpers */

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static void
clear_box (GtkWidget *box)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (box)) != NULL)
    gtk_box_remove (GTK_BOX (box), child);
}

static char *
format_count (guint64 value)
{
  /* Grouped as the locale groups thousands. */
  return g_strdup_printf ("%'" G_GUINT64_FORMAT, value);
}

static char *
format_percent (double rate)
{
  return vd_feedback_format_percent (CLAMP (rate, 0.0, 1.0));
}

/* A time per item: "6.2 s", or "2 min 05 s" from a minute on. */
static char *
format_duration (gint64 ms)
{
  if (ms < 60000)
    /* Translators: a time per item in seconds, e.g. "6.2 s" */
    return g_strdup_printf (_("%.1f s"), ms / 1000.0);

  /* Translators: a time per item, e.g. "2 min 05 s" */
  return g_strdup_printf (_("%u min %02u s"), (guint) (ms / 60000), (guint) ((ms / 1000) % 60));
}

/* A big figure with its caption under it, e.g. "1,204" over "Total tasks". */
static GtkWidget *
figure_new (const char *value,
            const char *caption)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  GtkWidget *value_label = gtk_label_new (value);
  GtkWidget *caption_label = gtk_label_new (caption);

  gtk_widget_add_css_class (box, "stat-figure");
  gtk_label_set_xalign (GTK_LABEL (value_label), 0.0);
  gtk_label_set_selectable (GTK_LABEL (value_label), TRUE);
  gtk_widget_add_css_class (value_label, "title-2");
  gtk_widget_add_css_class (value_label, "numeric");
  gtk_label_set_xalign (GTK_LABEL (caption_label), 0.0);
  gtk_label_set_wrap (GTK_LABEL (caption_label), TRUE);
  gtk_widget_add_css_class (caption_label, "dim-label");
  gtk_widget_add_css_class (caption_label, "caption");

  /* The caption names the figure for a screen reader. */
  gtk_accessible_update_relation (GTK_ACCESSIBLE (value_label),
                                  GTK_ACCESSIBLE_RELATION_LABELLED_BY, caption_label, NULL,
                                  -1);

  gtk_box_append (GTK_BOX (box), value_label);
  gtk_box_append (GTK_BOX (box), caption_label);

  return box;
}

static void
set_figure (GtkWidget  *box,
            const char *value,
            const char *caption)
{
  clear_box (box);
  gtk_box_append (GTK_BOX (box), figure_new (value, caption));
}

static void
add_overview_figure (VdStatsWindow *self,
                     const char    *value,
                     const char    *caption)
{
  GtkWidget *figure = figure_new (value, caption);

  gtk_widget_add_css_class (figure, "card");
  gtk_flow_box_append (self->overview_box, figure);
}

static GtkWidget *
row_new (const char *title,
         const char *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  /* Task types, reviewer ids and categories are data, not markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);

  return row;
}

static GtkWidget *
suffix_label_new (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_widget_set_valign (label, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (label, "numeric");

  return label;
}

static GtkWidget *
tag_new (const char *text,
         const char *style)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_widget_set_valign (label, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (label, "stat-tag");
  gtk_widget_add_css_class (label, "caption");
  gtk_widget_add_css_class (label, style);

  return label;
}

/* The legend of the decisions-over-time chart: the colours are the
 * theme's (style.css), the same the chart draws with. */
static void
vd_stats_window_build_legend (VdStatsWindow *self)
{
  static const struct {
    const char *style;
    const char *label;
  } entries[] = {
    { "approved", N_("Approved") },
    { "modified", N_("Modified") },
    { "rejected", N_("Rejected") },
    { "escalated", N_("Escalated") },
    { "automatic", N_("Automatic") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (entries); i++)
    {
      GtkWidget *entry = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      GtkWidget *swatch = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
      GtkWidget *label = gtk_label_new (_(entries[i].label));

      gtk_widget_add_css_class (swatch, "legend-swatch");
      gtk_widget_add_css_class (swatch, entries[i].style);
      gtk_widget_set_valign (swatch, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (label, "caption");
      gtk_box_append (GTK_BOX (entry), swatch);
      gtk_box_append (GTK_BOX (entry), label);
      gtk_box_append (GTK_BOX (self->legend_box), entry);
    }
}

/* Applying a threshold */

typedef struct
{
  char   *task_type;   /* NULL: the global threshold */
  double  threshold;
} ApplyJob;

static void
apply_job_free (ApplyJob *job)
{
  g_free (job->task_type);
  g_free (job);
}

static void
apply_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(VdStatsWindow) self = VD_STATS_WINDOW (user_data);
  g_autoptr(GError) error = NULL;

  if (!vd_policy_apply_threshold_finish (result, &error))
    {
      GtkWidget *dialog;

      if (self->disposed || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Cannot Apply the Threshold"), NULL);
      adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (dialog), error->message);
      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
      gtk_window_present (GTK_WINDOW (dialog));
      return;
    }

  if (self->disposed)
    return;

  adw_toast_overlay_add_toast (self->toast_overlay,
                               adw_toast_new (_("Threshold applied to the policy file")));

  /* The application reads the policy file again, as after any change of
   * the policy setting, so the new threshold applies from now on. */
  if (self->settings != NULL)
    g_signal_emit_by_name (self->settings, "changed::policy-path", "policy-path");
}

static void
apply_response_cb (AdwMessageDialog *dialog,
                   const char       *response,
                   gpointer          user_data)
{
  VdStatsWindow *self = VD_STATS_WINDOW (gtk_window_get_transient_for (GTK_WINDOW (dialog)));
  ApplyJob *job = user_data;
  g_autofree char *path = NULL;

  if (g_strcmp0 (response, "apply") != 0 || self->disposed || self->settings == NULL)
    return;

  path = g_settings_get_string (self->settings, "policy-path");
  vd_policy_apply_threshold_async (path, job->task_type, job->threshold, self->store,
                                   self->reviewer_id, self->cancellable, apply_cb,
                                   g_object_ref (self));
}

static void
apply_clicked_cb (GtkButton *button,
                  ApplyJob  *job)
{
  VdStatsWindow *self = VD_STATS_WINDOW (gtk_widget_get_root (GTK_WIDGET (button)));
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  g_autofree char *path = NULL;
  GtkWidget *dialog;
  ApplyJob *copy;

  if (self->settings == NULL)
    return;

  path = g_settings_get_string (self->settings, "policy-path");

  if (job->task_type != NULL)
    /* Translators: %s is a task type, %.2f a confidence threshold */
    heading = g_strdup_printf (_("Apply Threshold %.2f to “%s”?"), job->threshold,
                               job->task_type);
  else
    /* Translators: %.2f is a confidence threshold */
    heading = g_strdup_printf (_("Apply Threshold %.2f to All Task Types?"), job->threshold);

  /* Translators: %s is the path of the policy file */
  body = g_strdup_printf (_("Items with at least this confidence will no longer need a "
                            "review. The policy file %s is changed and the change is "
                            "recorded in the audit trail."), path);

  dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "apply", _("_Apply Threshold"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "apply",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  copy = g_new0 (ApplyJob, 1);
  copy->task_type = g_strdup (job->task_type);
  copy->threshold = job->threshold;
  g_signal_connect_data (dialog, "response", G_CALLBACK (apply_response_cb), copy,
                         (GClosureNotify) (void (*) (void)) apply_job_free, 0);

  gtk_window_present (GTK_WINDOW (dialog));
}

/* Filling the page */

static void
vd_stats_window_fill_overview (VdStatsWindow *self)
{
  const VdStats *stats = &self->insights->stats;
  GtkWidget *child;
  g_autofree char *total = format_count (stats->total_tasks);
  g_autofree char *auto_approved = format_count (stats->auto_approved);
  g_autofree char *escalated = format_count (stats->escalated);
  g_autofree char *approved = format_count (stats->human_approved);
  g_autofree char *rejected = format_count (stats->human_rejected);
  g_autofree char *modified = format_count (stats->human_modified);
  g_autofree char *escalated_further = format_count (stats->human_escalated);
  g_autofree char *confidence = g_strdup_printf ("%.2f", stats->avg_confidence);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->overview_box))) != NULL)
    gtk_flow_box_remove (self->overview_box, child);

  add_overview_figure (self, total, _("Total tasks"));
  add_overview_figure (self, auto_approved, _("Auto-approved"));
  add_overview_figure (self, escalated, _("Escalated to a human"));
  add_overview_figure (self, confidence, _("Average confidence"));
  add_overview_figure (self, approved, _("Approved by a human"));
  add_overview_figure (self, rejected, _("Rejected"));
  add_overview_figure (self, modified, _("Modified"));
  add_overview_figure (self, escalated_further, _("Escalated further"));

  /* Four-eyes review: how often the two reviewers of an item agreed. */
  if (self->insights->agreement.n_pairs > 0)
    {
      const VdAgreement *agreement = &self->insights->agreement;
      g_autofree char *percent = format_percent (agreement->percent_agreement / 100.0);
      g_autofree char *n_pairs = format_count (agreement->n_pairs);
      g_autofree char *pairs = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                             "Reviewers agreed (%s item)",
                                                             "Reviewers agreed (%s items)",
                                                             agreement->n_pairs),
                                                n_pairs);
      g_autofree char *kappa = agreement->kappa_defined
                               ? g_strdup_printf ("%.2f", agreement->kappa)
                               : g_strdup (C_("kappa", "Undefined"));

      add_overview_figure (self, percent, pairs);
      add_overview_figure (self, kappa, _("Cohen’s kappa"));
    }
}

static void
vd_stats_window_fill_calibration (VdStatsWindow *self)
{
  const VdCalibrationGroup *overall = self->insights->calibration->overall;
  g_autofree char *ece = g_strdup_printf ("%.3f", overall->ece);
  g_autofree char *brier = g_strdup_printf ("%.3f", overall->brier);
  g_autofree char *count = format_count (overall->count);
  g_autofree char *table = NULL;

  vd_reliability_chart_set_group (self->reliability_chart, overall);
  set_figure (self->ece_box, ece, _("Expected calibration error (ECE)"));
  set_figure (self->brier_box, brier, _("Brier score"));
  set_figure (self->calibrated_box, count, _("Items decided by a human"));

  table = vd_reliability_chart_dup_text (self->reliability_chart);
  gtk_label_set_text (self->calibration_table_label, table);
}

static void
vd_stats_window_add_threshold_row (VdStatsWindow            *self,
                                   const VdCalibrationGroup *group,
                                   gboolean                  can_apply,
                                   const char               *cannot_apply)
{
  const VdCalibrationThreshold *suggested = group->suggested_threshold;
  g_autofree char *subtitle = NULL;
  g_autofree char *target = format_percent (self->insights->calibration->target);
  const char *title = group->name != NULL ? group->name : _("All task types");
  GtkWidget *row;

  if (suggested == NULL)
    {
      /* Translators: %s is a rate, e.g. "95%"; %u a number of items */
      subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                               "No threshold reaches %s approved unchanged "
                                               "(%u item decided)",
                                               "No threshold reaches %s approved unchanged "
                                               "(%u items decided)",
                                               (gulong) group->count),
                                  target, (guint) group->count);
      row = row_new (title, subtitle);
      gtk_list_box_append (self->thresholds_list, row);
      return;
    }

  {
    g_autofree char *rate = format_percent (suggested->approval_rate);
    g_autofree char *evidence = NULL;
    g_autofree char *saved = NULL;

    /* Translators: e.g. "96% of 143 items at or above it approved unchanged" */
    evidence = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             "%s of %u item at or above it approved unchanged",
                                             "%s of %u items at or above it approved unchanged",
                                             (gulong) suggested->items),
                                rate, (guint) suggested->items);
    /* Translators: e.g. "would have saved 120 reviews" */
    saved = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "would have saved %u review",
                                          "would have saved %u reviews",
                                          (gulong) suggested->reviews_saved),
                             (guint) suggested->reviews_saved);

    if (suggested->low_evidence)
      /* Translators: the evidence of a suggested threshold; %u is the
       * minimum number of items, 30 */
      subtitle = g_strdup_printf (_("%s; %s. Fewer than %u items: too little evidence to rely "
                                    "on."),
                                  evidence, saved, (guint) VD_CALIBRATION_MIN_EVIDENCE);
    else
      /* Translators: the evidence of a suggested threshold */
      subtitle = g_strdup_printf (_("%s; %s."), evidence, saved);
  }

  row = row_new (title, subtitle);

  if (suggested->low_evidence)
    {
      GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");

      gtk_widget_add_css_class (icon, "warning");
      gtk_widget_set_tooltip_text (icon, _("Little evidence"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (icon),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Little evidence"),
                                      -1);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
    }

  {
    g_autofree char *value = g_strdup_printf ("%.2f", suggested->threshold);
    g_autofree char *name = NULL;
    GtkWidget *label = suffix_label_new (value);
    GtkWidget *button = gtk_button_new_with_mnemonic (_("_Apply…"));
    ApplyJob *job = g_new0 (ApplyJob, 1);

    gtk_widget_add_css_class (label, "title-4");
    adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);

    job->task_type = g_strdup (group->name);
    job->threshold = suggested->threshold;
    g_object_set_data_full (G_OBJECT (button), "vd-apply-job", job,
                            (GDestroyNotify) apply_job_free);
    g_signal_connect (button, "clicked", G_CALLBACK (apply_clicked_cb), job);

    /* Translators: the accessible name of a button; %s is a task type */
    name = g_strdup_printf (_("Apply the suggested threshold to %s"), title);
    gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                    -1);
    gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
    gtk_widget_set_sensitive (button, can_apply);
    gtk_widget_set_tooltip_text (button, can_apply
                                         ? _("Write this threshold into the policy file")
                                         : cannot_apply);
    adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  }

  gtk_list_box_append (self->thresholds_list, row);
}

static void
vd_stats_window_fill_thresholds (VdStatsWindow *self)
{
  const VdCalibration *calibration = self->insights->calibration;
  g_autofree char *path = NULL;
  g_autofree char *target = format_percent (calibration->target);
  g_autofree char *description = NULL;
  const char *cannot_apply = NULL;

  clear_list (self->thresholds_list);

  /* Translators: %s is the target rate, e.g. "95%" */
  description = g_strdup_printf (_("The lowest confidence at which the items at or above it "
                                   "were approved unchanged at least %s of the time. Applying "
                                   "one writes the policy file and is recorded in the audit "
                                   "trail; nothing changes by itself."), target);
  adw_preferences_group_set_description (self->thresholds_group, description);

  if (self->settings != NULL)
    path = g_settings_get_string (self->settings, "policy-path");
  if (path == NULL || path[0] == '\0')
    cannot_apply = _("Choose a policy file in the preferences to apply a threshold");
  else if (self->reviewer_id == NULL)
    cannot_apply = _("Set your reviewer id to apply a threshold");

  if (calibration->overall->count == 0)
    {
      gtk_list_box_append (self->thresholds_list,
                           row_new (_("No items decided by a human yet"),
                                    _("A threshold is suggested once reviewers have decided "
                                      "items the agent gave a confidence for.")));
      return;
    }

  vd_stats_window_add_threshold_row (self, calibration->overall, cannot_apply == NULL,
                                     cannot_apply);
  for (guint i = 0; i < calibration->task_types->len; i++)
    vd_stats_window_add_threshold_row (self, g_ptr_array_index (calibration->task_types, i),
                                       cannot_apply == NULL, cannot_apply);
}

static void
vd_stats_window_fill_reviewers (VdStatsWindow *self)
{
  GPtrArray *reviewers = self->insights->reviewers;

  clear_list (self->reviewers_list);

  if (reviewers->len == 0)
    {
      gtk_list_box_append (self->reviewers_list,
                           row_new (_("No human decisions yet"), NULL));
      return;
    }

  for (guint i = 0; i < reviewers->len; i++)
    {
      const VdInsightsReviewer *reviewer = g_ptr_array_index (reviewers, i);
      const VdFatigueReport *report = reviewer->report;
      g_autofree char *median = format_duration (report->median_ms);
      g_autofree char *p10 = format_duration (report->p10_ms);
      g_autofree char *rate = format_percent (report->approval_rate);
      g_autofree char *team = NULL;
      g_autofree char *checks = NULL;
      g_autofree char *first = NULL;
      g_autofree char *second = NULL;
      g_autofree char *subtitle = NULL;
      guint64 longest = 0;
      GtkWidget *row;

      for (guint j = 0; j < report->sessions->len; j++)
        longest = MAX (longest,
                       g_array_index (report->sessions, VdFatigueSession, j).longest_fast_streak);

      if (report->team_approval_rate >= 0.0)
        {
          g_autofree char *team_rate = format_percent (report->team_approval_rate);

          /* Translators: e.g. "approves 88% (team 80%)" */
          team = g_strdup_printf (_("approves %s (team %s)"), rate, team_rate);
        }
      else
        /* Translators: e.g. "approves 88%" */
        team = g_strdup_printf (_("approves %s"), rate);

      if (report->checks_seen > 0)
        /* Translators: known-answer checks, e.g. "known answers: 3 of 4 agreed" */
        checks = g_strdup_printf (_("known answers: %u of %u agreed"),
                                  (guint) report->checks_agreed, (guint) report->checks_seen);
      else
        checks = g_strdup (_("no known-answer checks"));

      /* Translators: e.g. "42 decisions · median 6.2 s · 10th percentile 1.8 s" */
      first = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "%u decision · median %s · 10th percentile %s",
                                            "%u decisions · median %s · 10th percentile %s",
                                            (gulong) report->decisions),
                               (guint) report->decisions, median, p10);
      /* Translators: e.g. "approves 88% (team 80%) · longest fast streak 12 · known
       * answers: 3 of 4 agreed" */
      second = g_strdup_printf (_("%s · longest fast streak %u · %s"),
                                team, (guint) longest, checks);
      subtitle = g_strconcat (first, "\n", second, NULL);

      row = row_new (reviewer->reviewer_id, subtitle);
      if (report->options.fast_streak_signal > 0 &&
          longest >= report->options.fast_streak_signal)
        adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                   tag_new (_("Fast approvals"), "warning"));
      if (report->checks_seen > 0 && report->checks_agreed < report->checks_seen)
        adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                   tag_new (_("Missed checks"), "error"));

      gtk_list_box_append (self->reviewers_list, row);
    }
}

static void
vd_stats_window_fill_feedback (VdStatsWindow *self)
{
  const VdFeedbackSummary *summary = self->insights->feedback;
  char **areas = self->insights->improvement_areas;
  g_autofree char *total = format_count (summary->total_feedback);
  g_autofree char *suggestions = format_count (summary->improvement_suggestions);
  g_autofree char *rate = format_percent (summary->helpful_rate);
  g_autofree char *helpful = NULL;
  GtkWidget *row;

  clear_list (self->feedback_list);

  if (summary->total_feedback == 0 && summary->improvement_suggestions == 0)
    {
      gtk_list_box_append (self->feedback_list,
                           row_new (_("No feedback yet"),
                                    _("Say whether the agent’s output was helpful when you "
                                      "decide an item.")));
      return;
    }

  row = row_new (_("Feedback given"), NULL);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), suffix_label_new (total));
  gtk_list_box_append (self->feedback_list, row);

  /* Translators: e.g. "12 (67%)" */
  helpful = g_strdup_printf (_("%u (%s)"), (guint) summary->helpful_count, rate);
  row = row_new (_("Helpful"), NULL);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), suffix_label_new (helpful));
  gtk_list_box_append (self->feedback_list, row);

  row = row_new (_("Improvement suggestions"), NULL);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), suffix_label_new (suggestions));
  gtk_list_box_append (self->feedback_list, row);

  for (guint i = 0; i < summary->categories->len; i++)
    {
      const VdFeedbackCategory *category = &g_array_index (summary->categories,
                                                           VdFeedbackCategory, i);
      g_autofree char *category_rate = NULL;
      g_autofree char *subtitle = NULL;
      const char *name = category->name != NULL && category->name[0] != '\0'
                         ? category->name : _("No category");

      category_rate = format_percent (category->count > 0
                                      ? (double) category->helpful / category->count : 0.0);
      /* Translators: e.g. "4 records, 25% helpful" */
      subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                               "%u record, %s helpful",
                                               "%u records, %s helpful",
                                               (gulong) category->count),
                                  (guint) category->count, category_rate);
      row = row_new (name, subtitle);
      /* The reference's rule: enough records, under half of them helpful. */
      if (category->count >= VD_FEEDBACK_AREA_MIN_RECORDS &&
          2 * category->helpful < category->count)
        adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                   tag_new (_("Improvement area"), "warning"));
      gtk_list_box_append (self->feedback_list, row);
    }

  /* The improvement areas as the reference words them. */
  if (areas != NULL && areas[0] != NULL)
    {
      g_autofree char *text = g_strjoinv ("\n", areas);

      gtk_list_box_append (self->feedback_list, row_new (_("Improvement areas"), text));
    }
}

static void
vd_stats_window_fill (VdStatsWindow *self)
{
  g_autofree char *timeline = NULL;

  vd_stats_window_fill_overview (self);

  vd_timeline_chart_set_days (self->timeline_chart, self->insights->timeline);
  timeline = vd_timeline_chart_dup_text (self->timeline_chart);
  gtk_label_set_text (self->timeline_table_label, timeline);

  vd_stats_window_fill_calibration (self);
  vd_stats_window_fill_thresholds (self);
  vd_stats_window_fill_reviewers (self);
  vd_stats_window_fill_feedback (self);
}

/* Computing */

static void
vd_stats_window_show_page (VdStatsWindow *self,
                           const char    *name)
{
  gtk_spinner_set_spinning (self->spinner, g_strcmp0 (name, "loading") == 0);
  gtk_stack_set_visible_child_name (self->stack, name);
}

static void
compute_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(VdStatsWindow) self = VD_STATS_WINDOW (user_data);
  g_autoptr(VdInsights) insights = NULL;
  g_autoptr(GError) error = NULL;

  insights = vd_insights_compute_finish (VD_STORE (object), result, &error);

  /* Closed, or superseded by a newer computation. */
  if (self->disposed || g_task_get_cancellable (G_TASK (result)) != self->compute_cancellable)
    return;

  g_clear_object (&self->compute_cancellable);
  self->n_computed++;

  if (insights == NULL)
    {
      /* The description is markup; the message quotes the database's path
       * and may quote queue text. */
      g_autofree char *escaped = g_markup_escape_text (error->message, -1);

      adw_status_page_set_description (self->error_page, escaped);
      vd_stats_window_show_page (self, "error");
      return;
    }

  g_clear_pointer (&self->insights, vd_insights_free);
  self->insights = g_steal_pointer (&insights);

  if (self->insights->stats.total_tasks == 0)
    {
      adw_status_page_set_description (self->empty_page,
                                       self->queue != NULL
                                       ? _("This queue has no items yet.")
                                       : _("Statistics appear once a queue is imported and its "
                                           "items are decided."));
      vd_stats_window_show_page (self, "empty");
      return;
    }

  vd_stats_window_fill (self);
  vd_stats_window_show_page (self, "figures");

  /* For measurements (G_MESSAGES_DEBUG=vd-stats-window). */
  g_debug ("Figures shown %.0f ms after the computation started",
           (g_get_monotonic_time () - self->compute_started) / 1000.0);
}

static int
settings_int (GSettings  *settings,
              const char *key,
              int         fallback)
{
  g_autoptr(GSettingsSchema) schema = NULL;

  if (settings == NULL)
    return fallback;

  g_object_get (settings, "settings-schema", &schema, NULL);
  if (!g_settings_schema_has_key (schema, key))
    return fallback;

  return g_settings_get_int (settings, key);
}

/**
 * vd_stats_window_refresh:
 * @self: a #VdStatsWindow
 *
 * Computes the figures again, on a worker thread; the loading page shows
 * until they are in.
 */
void
vd_stats_window_refresh (VdStatsWindow *self)
{
  VdInsightsQuery query;

  g_return_if_fail (VD_IS_STATS_WINDOW (self));

  g_cancellable_cancel (self->compute_cancellable);
  g_clear_object (&self->compute_cancellable);

  if (self->store == NULL)
    {
      vd_stats_window_show_page (self, "empty");
      return;
    }

  vd_insights_query_init (&query);
  query.queue = self->queue;
  query.timeline_days = TIMELINE_DAYS;
  query.fatigue.fast_floor_ms = (gint64) settings_int (self->settings, "fatigue-fast-floor", 3) *
                                1000;
  query.fatigue.fast_streak_signal = (guint) settings_int (self->settings,
                                                           "fatigue-fast-streak", 10);
  query.fatigue.long_session_usec = (gint64) settings_int (self->settings,
                                                           "fatigue-break-minutes", 90) *
                                    60 * G_USEC_PER_SEC;

  self->compute_cancellable = g_cancellable_new ();
  self->compute_started = g_get_monotonic_time ();
  vd_stats_window_show_page (self, "loading");
  vd_insights_compute_async (self->store, &query, self->compute_cancellable, compute_cb,
                             g_object_ref (self));
}

/* The queue selector */

static void
list_queues_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(VdStatsWindow) self = VD_STATS_WINDOW (user_data);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) queues = vd_store_list_queues_finish (VD_STORE (object), result, &error);
  guint n_old;

  if (self->disposed)
    return;

  /* Without the list, the figures of all queues still show. */
  if (queues == NULL)
    return;

  self->updating_queues = TRUE;
  n_old = g_list_model_get_n_items (G_LIST_MODEL (self->queues));
  gtk_string_list_splice (self->queues, 1, n_old - 1, (const char * const *) queues);
  for (guint i = 0; self->queue != NULL && queues[i] != NULL; i++)
    if (g_strcmp0 (queues[i], self->queue) == 0)
      gtk_drop_down_set_selected (self->queue_dropdown, i + 1);
  self->updating_queues = FALSE;
}

static void
queue_selected_cb (VdStatsWindow *self)
{
  guint selected = gtk_drop_down_get_selected (self->queue_dropdown);
  const char *queue = NULL;

  if (self->updating_queues)
    return;

  if (selected != GTK_INVALID_LIST_POSITION && selected > 0)
    queue = gtk_string_list_get_string (self->queues, selected);

  if (g_strcmp0 (queue, self->queue) == 0)
    return;

  g_free (self->queue);
  self->queue = g_strdup (queue);
  adw_window_title_set_subtitle (self->window_title,
                                 queue != NULL ? queue : _("All queues"));
  vd_stats_window_refresh (self);
}

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  vd_stats_window_refresh (VD_STATS_WINDOW (widget));
}

/* GObject */

static void
vd_stats_window_constructed (GObject *object)
{
  VdStatsWindow *self = (VdStatsWindow *)object;

  G_OBJECT_CLASS (vd_stats_window_parent_class)->constructed (object);

  g_assert (VD_IS_SESSION (self->session));

  /* The figures of the store open now, by the reviewer signed in now: a
   * threshold applied goes to the policy file of the session's settings,
   * which reads it again. */
  g_set_object (&self->store, vd_session_get_store (self->session));
  g_set_object (&self->settings, vd_session_get_settings (self->session));
  self->reviewer_id = g_strdup (vd_session_get_reviewer_id (self->session));

  if (self->store != NULL)
    vd_store_list_queues_async (self->store, self->cancellable, list_queues_cb,
                                g_object_ref (self));

  vd_stats_window_refresh (self);
}

static gboolean
vd_stats_window_close_request (GtkWindow *window)
{
  VdStatsWindow *self = VD_STATS_WINDOW (window);

  /* Nobody waits for the figures any more. */
  g_cancellable_cancel (self->compute_cancellable);

  return GTK_WINDOW_CLASS (vd_stats_window_parent_class)->close_request (window);
}

static void
vd_stats_window_dispose (GObject *object)
{
  VdStatsWindow *self = (VdStatsWindow *)object;

  self->disposed = TRUE;
  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->compute_cancellable);

  gtk_widget_dispose_template (GTK_WIDGET (self), VD_TYPE_STATS_WINDOW);

  g_clear_object (&self->store);
  g_clear_object (&self->settings);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (vd_stats_window_parent_class)->dispose (object);
}

static void
vd_stats_window_finalize (GObject *object)
{
  VdStatsWindow *self = (VdStatsWindow *)object;

  g_clear_object (&self->cancellable);
  g_clear_object (&self->compute_cancellable);
  g_clear_pointer (&self->insights, vd_insights_free);
  g_clear_pointer (&self->reviewer_id, g_free);
  g_clear_pointer (&self->queue, g_free);

  G_OBJECT_CLASS (vd_stats_window_parent_class)->finalize (object);
}

static void
vd_stats_window_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  VdStatsWindow *self = VD_STATS_WINDOW (object);

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
vd_stats_window_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  VdStatsWindow *self = VD_STATS_WINDOW (object);

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
vd_stats_window_class_init (VdStatsWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = vd_stats_window_constructed;
  object_class->dispose = vd_stats_window_dispose;
  object_class->finalize = vd_stats_window_finalize;
  object_class->get_property = vd_stats_window_get_property;
  object_class->set_property = vd_stats_window_set_property;
  window_class->close_request = vd_stats_window_close_request;

  /**
   * VdStatsWindow:session:
   *
   * The session: its store gives the figures, its settings the fatigue
   * thresholds and the policy file a suggested threshold is written to,
   * its reviewer applies a threshold.
   */
  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL,
                         VD_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/verdict/Verdict/vd-stats-window.ui");
  gtk_widget_class_bind_template_child (widget_class, VdStatsWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, VdStatsWindow, queue_dropdown);
  gtk_widget_class_bind_template_child (widget_class, VdStatsWindow, queues);
  gtk_widget_class_bind_template_child (widget_class, VdStatsWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, VdStatsWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, VdStatsWindow, empty_page);
  gtk_widget_class_bind_template_child (widget_class, VdStatsWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, VdStatsWindow, spinner);
  gtk_widget_class_bind_template_child (widget_class, VdStatsWindow, overview_box);
  gtk_widget_class_bind_template_child (widget_class, VdStatsWindow, timeline_chart);
  gtk_widget_class_bind_template_child (widget_class, VdStatsWindow, legend_box);
  gtk_widget_class_bind_template_child (widget_class, VdStatsWindow, timeline_table_label);
  gtk_widget_class_bind_template_child (widget_class, VdStatsWindow, reliability_chart);
  gtk_widget_class_bind_template_child (widget_class, VdStatsWindow, ece_box);
  gtk_widget_class_bind_template_child (widget_class, VdStatsWindow, brier_box);
  gtk_widget_class_bind_template_child (widget_class, VdStatsWindow, calibrated_box);
  gtk_widget_class_bind_template_child (widget_class, VdStatsWindow, calibration_table_label);
  gtk_widget_class_bind_template_child (widget_class, VdStatsWindow, thresholds_group);
  gtk_widget_class_bind_template_child (widget_class, VdStatsWindow, thresholds_list);
  gtk_widget_class_bind_template_child (widget_class, VdStatsWindow, reviewers_list);
  gtk_widget_class_bind_template_child (widget_class, VdStatsWindow, feedback_list);

  gtk_widget_class_install_action (widget_class, "stats.refresh", NULL, refresh_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "stats.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK,
                                       "stats.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);

  g_type_ensure (VD_TYPE_TIMELINE_CHART);
  g_type_ensure (VD_TYPE_RELIABILITY_CHART);
}

static void
vd_stats_window_init (VdStatsWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();

  gtk_string_list_append (self->queues, _("All Queues"));
  gtk_drop_down_set_selected (self->queue_dropdown, 0);
  adw_window_title_set_subtitle (self->window_title, _("All queues"));
  g_signal_connect_object (self->queue_dropdown, "notify::selected",
                           G_CALLBACK (queue_selected_cb), self, G_CONNECT_SWAPPED);

  vd_stats_window_build_legend (self);
}

/**
 * vd_stats_window_new:
 * @session: the session whose store, settings and reviewer are used
 *
 * Creates the statistics window; it starts computing at once.
 *
 * Returns: (transfer full): a new #VdStatsWindow
 */
VdStatsWindow *
vd_stats_window_new (VdSession *session)
{
  g_return_val_if_fail (VD_IS_SESSION (session), NULL);

  return g_object_new (VD_TYPE_STATS_WINDOW,
                       "session", session,
                       NULL);
}

/**
 * vd_stats_window_get_queue:
 * @self: a #VdStatsWindow
 *
 * Returns: (nullable): the queue shown, %NULL for all
 */
const char *
vd_stats_window_get_queue (VdStatsWindow *self)
{
  g_return_val_if_fail (VD_IS_STATS_WINDOW (self), NULL);

  return self->queue;
}

/**
 * vd_stats_window_set_queue:
 * @self: a #VdStatsWindow
 * @queue: (nullable): the queue to show, %NULL for all
 *
 * Shows the figures of @queue, computing them again.
 */
void
vd_stats_window_set_queue (VdStatsWindow *self,
                           const char    *queue)
{
  guint n_items;

  g_return_if_fail (VD_IS_STATS_WINDOW (self));

  n_items = g_list_model_get_n_items (G_LIST_MODEL (self->queues));
  for (guint i = 1; queue != NULL && i < n_items; i++)
    if (g_strcmp0 (gtk_string_list_get_string (self->queues, i), queue) == 0)
      {
        gtk_drop_down_set_selected (self->queue_dropdown, i);
        return;
      }

  /* Not listed (yet): show it all the same. */
  if (g_strcmp0 (queue, self->queue) == 0)
    return;

  g_free (self->queue);
  self->queue = g_strdup (queue);
  self->updating_queues = TRUE;
  gtk_drop_down_set_selected (self->queue_dropdown, queue == NULL ? 0 : GTK_INVALID_LIST_POSITION);
  self->updating_queues = FALSE;
  adw_window_title_set_subtitle (self->window_title, queue != NULL ? queue : _("All queues"));
  vd_stats_window_refresh (self);
}

/**
 * vd_stats_window_get_page:
 * @self: a #VdStatsWindow
 *
 * Returns: the page shown: `loading`, `empty`, `error` or `figures`
 */
const char *
vd_stats_window_get_page (VdStatsWindow *self)
{
  g_return_val_if_fail (VD_IS_STATS_WINDOW (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

/**
 * vd_stats_window_get_insights:
 * @self: a #VdStatsWindow
 *
 * Returns: (nullable) (transfer none): the figures shown
 */
const VdInsights *
vd_stats_window_get_insights (VdStatsWindow *self)
{
  g_return_val_if_fail (VD_IS_STATS_WINDOW (self), NULL);

  return self->insights;
}

/**
 * vd_stats_window_get_n_computed:
 * @self: a #VdStatsWindow
 *
 * Returns: how many computations have come back
 */
guint
vd_stats_window_get_n_computed (VdStatsWindow *self)
{
  g_return_val_if_fail (VD_IS_STATS_WINDOW (self), 0);

  return self->n_computed;
}

/**
 * vd_stats_window_get_timeline_chart:
 * @self: a #VdStatsWindow
 *
 * Returns: (transfer none): the decisions-over-time chart
 */
GtkWidget *
vd_stats_window_get_timeline_chart (VdStatsWindow *self)
{
  g_return_val_if_fail (VD_IS_STATS_WINDOW (self), NULL);

  return GTK_WIDGET (self->timeline_chart);
}

/**
 * vd_stats_window_get_reliability_chart:
 * @self: a #VdStatsWindow
 *
 * Returns: (transfer none): the reliability diagram
 */
GtkWidget *
vd_stats_window_get_reliability_chart (VdStatsWindow *self)
{
  g_return_val_if_fail (VD_IS_STATS_WINDOW (self), NULL);

  return GTK_WIDGET (self->reliability_chart);
}

/**
 * vd_stats_window_get_n_queues:
 * @self: a #VdStatsWindow
 *
 * Returns: the queues offered by the selector, besides all queues
 */
guint
vd_stats_window_get_n_queues (VdStatsWindow *self)
{
  g_return_val_if_fail (VD_IS_STATS_WINDOW (self), 0);

  return g_list_model_get_n_items (G_LIST_MODEL (self->queues)) - 1;
}
