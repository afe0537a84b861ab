/* vd-agent-results.c
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

#define G_LOG_DOMAIN "vd-agent-results"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "vd-agent-results.h"
#include "vd-item-detail-private.h"
#include "vd-text.h"

/* A section shows while a request runs, once it has a result, or with an
 * error; the model's text is data and shown as plain text. */

typedef struct
{
  GtkWidget *section;
  GtkWidget *busy_box;
  GtkSpinner *spinner;
  GtkWidget *result_box;
  GtkLabel  *error_label;
  gboolean   busy;
  gboolean   has_result;
} Section;

struct _VdAgentResults
{
  GtkWidget   parent_instance;

  Section     sections[2];
  double      agent_confidence;
  double      threshold;
  double      opinion_confidence;

  /* Template widgets */
  GtkLabel   *opinion_confidence_label;
  GtkLabel   *opinion_compare_label;
  GtkLabel   *opinion_reasoning_label;
  GtkWidget  *assist_recommendation_box;
  GtkLabel   *assist_recommendation_label;
  GtkLabel   *assist_confidence_label;
  GtkWidget  *assist_options_box;
  GtkBox     *assist_options_list;
  GtkWidget  *assist_analysis_box;
  GtkLabel   *assist_analysis_label;
  GtkWidget  *assist_risks_box;
  GtkBox     *assist_risks_list;
  GtkWidget  *assist_considerations_box;
  GtkBox     *assist_considerations_list;
};

G_DEFINE_FINAL_TYPE (VdAgentResults, vd_agent_results, GTK_TYPE_WIDGET)

static void
update_section (VdAgentResults *self,
                VdAgentRequest  kind)
{
  Section *section = &self->sections[kind];
  gboolean has_error = gtk_widget_get_visible (GTK_WIDGET (section->error_label));

  gtk_widget_set_visible (section->busy_box, section->busy);
  gtk_spinner_set_spinning (section->spinner, section->busy);
  gtk_widget_set_visible (section->result_box, section->has_result);
  gtk_widget_set_visible (section->section, section->busy || section->has_result || has_error);

  /* Hidden while empty, so that the pane's spacing leaves no gap. */
  gtk_widget_set_visible (GTK_WIDGET (self),
                          gtk_widget_get_visible (self->sections[0].section) ||
                          gtk_widget_get_visible (self->sections[1].section));
}

static void
update_opinion_comparison (VdAgentResults *self)
{
  g_autofree char *text = NULL;
  GtkWidget *value = GTK_WIDGET (self->opinion_confidence_label);

  gtk_widget_remove_css_class (value, "success");
  gtk_widget_remove_css_class (value, "warning");

  if (!self->sections[VD_AGENT_REQUEST_SECOND_OPINION].has_result)
    return;

  if (isnan (self->agent_confidence))
    {
      gboolean below = self->threshold >= 0.0 && self->opinion_confidence < self->threshold;

      if (self->threshold >= 0.0)
        gtk_widget_add_css_class (value, below ? "warning" : "success");
      /* Translators: next to a second opinion's confidence, when the
       * source of the item gave none */
      text = g_strdup (_("the agent gave no confidence"));
    }
  else if (self->threshold >= 0.0)
    {
      gboolean below = self->opinion_confidence < self->threshold;

      gtk_widget_add_css_class (value, below ? "warning" : "success");
      if (below)
        /* Translators: next to a second opinion's confidence, e.g. "below threshold 0.70 ·
         * the agent said 0.92" */
        text = g_strdup_printf (_("below threshold %.2f · the agent said %.2f"),
                                self->threshold, self->agent_confidence);
      else
        /* Translators: next to a second opinion's confidence, e.g. "meets threshold 0.70 ·
         * the agent said 0.92" */
        text = g_strdup_printf (_("meets threshold %.2f · the agent said %.2f"),
                                self->threshold, self->agent_confidence);
    }
  else
    {
      /* Translators: next to a second opinion's confidence, e.g. "the agent said 0.92" */
      text = g_strdup_printf (_("the agent said %.2f"), self->agent_confidence);
    }

  gtk_label_set_text (self->opinion_compare_label, text);
}

static void
fill_list (GtkBox             *list,
           GtkWidget          *box,
           const char * const *entries,
           const char         *description)
{
  GtkWidget *child;
  guint n = 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_box_remove (list, child);

  for (guint i = 0; entries != NULL && entries[i] != NULL; i++)
    {
      g_autofree char *text = NULL;

      if (vd_text_is_empty (entries[i]))
        continue;

      /* Translators: an entry of a bulleted list */
      text = g_strdup_printf (_("• %s"), entries[i]);
      gtk_box_append (list, _vd_item_detail_data_label_new (text, description));
      n++;
    }

  gtk_widget_set_visible (box, n > 0);
}

static void
vd_agent_results_dispose (GObject *object)
{
  VdAgentResults *self = (VdAgentResults *)object;
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), VD_TYPE_AGENT_RESULTS);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (vd_agent_results_parent_class)->dispose (object);
}

/* The two sections have the same parts, named "<prefix>_<part>". */
static void
bind_section (GtkWidgetClass *widget_class,
              VdAgentRequest  kind,
              const char     *prefix)
{
  static const struct
  {
    const char *part;
    gsize       offset;
  } parts[] = {
    { "section", G_STRUCT_OFFSET (Section, section) },
    { "busy_box", G_STRUCT_OFFSET (Section, busy_box) },
    { "spinner", G_STRUCT_OFFSET (Section, spinner) },
    { "result_box", G_STRUCT_OFFSET (Section, result_box) },
    { "error_label", G_STRUCT_OFFSET (Section, error_label) },
  };
  gsize base = G_STRUCT_OFFSET (VdAgentResults, sections) + kind * sizeof (Section);

  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    {
      g_autofree char *name = g_strconcat (prefix, "_", parts[i].part, NULL);

      /* The template keeps the name: it must outlive the class. */
      gtk_widget_class_bind_template_child_full (widget_class, g_intern_string (name), FALSE,
                                                 base + parts[i].offset);
    }
}

static void
vd_agent_results_class_init (VdAgentResultsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vd_agent_results_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/verdict/Verdict/vd-agent-results.ui");
  bind_section (widget_class, VD_AGENT_REQUEST_SECOND_OPINION, "opinion");
  bind_section (widget_class, VD_AGENT_REQUEST_ASSIST, "assist");
  gtk_widget_class_bind_template_child (widget_class, VdAgentResults, opinion_confidence_label);
  gtk_widget_class_bind_template_child (widget_class, VdAgentResults, opinion_compare_label);
  gtk_widget_class_bind_template_child (widget_class, VdAgentResults, opinion_reasoning_label);
  gtk_widget_class_bind_template_child (widget_class, VdAgentResults,
                                        assist_recommendation_box);
  gtk_widget_class_bind_template_child (widget_class, VdAgentResults,
                                        assist_recommendation_label);
  gtk_widget_class_bind_template_child (widget_class, VdAgentResults, assist_confidence_label);
  gtk_widget_class_bind_template_child (widget_class, VdAgentResults, assist_options_box);
  gtk_widget_class_bind_template_child (widget_class, VdAgentResults, assist_options_list);
  gtk_widget_class_bind_template_child (widget_class, VdAgentResults, assist_analysis_box);
  gtk_widget_class_bind_template_child (widget_class, VdAgentResults, assist_analysis_label);
  gtk_widget_class_bind_template_child (widget_class, VdAgentResults, assist_risks_box);
  gtk_widget_class_bind_template_child (widget_class, VdAgentResults, assist_risks_list);
  gtk_widget_class_bind_template_child (widget_class, VdAgentResults,
                                        assist_considerations_box);
  gtk_widget_class_bind_template_child (widget_class, VdAgentResults,
                                        assist_considerations_list);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "vdagentresults");
}

static void
vd_agent_results_init (VdAgentResults *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->threshold = -1.0;

  _vd_item_detail_set_description (GTK_WIDGET (self->opinion_confidence_label),
                                   _("Second opinion confidence"));
  _vd_item_detail_set_description (GTK_WIDGET (self->opinion_reasoning_label),
                                   _("Second opinion reasoning"));
  _vd_item_detail_set_description (GTK_WIDGET (self->assist_recommendation_label),
                                   _("Recommendation"));
  _vd_item_detail_set_description (GTK_WIDGET (self->assist_analysis_label), _("Analysis"));
  _vd_item_detail_set_description (GTK_WIDGET (self->sections[0].error_label),
                                   _("Second opinion error"));
  _vd_item_detail_set_description (GTK_WIDGET (self->sections[1].error_label),
                                   _("Decision support error"));

  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}

/**
 * vd_agent_results_new:
 *
 * Returns: (transfer full): a new, empty #VdAgentResults
 */
GtkWidget *
vd_agent_results_new (void)
{
  return g_object_new (VD_TYPE_AGENT_RESULTS, NULL);
}

/**
 * vd_agent_results_set_agent_confidence:
 * @self: a #VdAgentResults
 * @confidence: the confidence the agent gave its output
 * @threshold: the policy's threshold for the item, or -1 for none
 *
 * What a second opinion is compared with.
 */
void
vd_agent_results_set_agent_confidence (VdAgentResults *self,
                                       double          confidence,
                                       double          threshold)
{
  g_return_if_fail (VD_IS_AGENT_RESULTS (self));

  self->agent_confidence = confidence;
  self->threshold = threshold;
  update_opinion_comparison (self);
}

/**
 * vd_agent_results_set_second_opinion:
 * @self: a #VdAgentResults
 * @opinion: (nullable): the confidence evaluator's answer (its confidence
 *   and reasoning; the content is not used), or %NULL to clear
 *
 * Shows a second opinion; an error shown for it is cleared.
 */
void
vd_agent_results_set_second_opinion (VdAgentResults      *self,
                                     const VdAgentOutput *opinion)
{
  Section *section;
  g_autofree char *value = NULL;

  g_return_if_fail (VD_IS_AGENT_RESULTS (self));

  section = &self->sections[VD_AGENT_REQUEST_SECOND_OPINION];
  section->has_result = opinion != NULL;

  if (opinion != NULL)
    {
      self->opinion_confidence = CLAMP (opinion->confidence, 0.0, 1.0);
      value = g_strdup_printf ("%.2f", self->opinion_confidence);
      gtk_label_set_text (self->opinion_confidence_label, value);
      _vd_item_detail_set_plain_text (self->opinion_reasoning_label, opinion->reasoning);
      gtk_widget_set_visible (GTK_WIDGET (self->opinion_reasoning_label),
                              !vd_text_is_empty (opinion->reasoning));
      vd_agent_results_set_error (self, VD_AGENT_REQUEST_SECOND_OPINION, NULL);
    }
  else
    {
      gtk_label_set_text (self->opinion_confidence_label, "");
      gtk_label_set_text (self->opinion_reasoning_label, "");
    }

  update_opinion_comparison (self);
  update_section (self, VD_AGENT_REQUEST_SECOND_OPINION);
}

/**
 * vd_agent_results_set_assist:
 * @self: a #VdAgentResults
 * @support: (nullable): decision support, or %NULL to clear
 *
 * Shows decision support; an error shown for it is cleared.
 */
void
vd_agent_results_set_assist (VdAgentResults          *self,
                             const VdDecisionSupport *support)
{
  Section *section;

  g_return_if_fail (VD_IS_AGENT_RESULTS (self));

  section = &self->sections[VD_AGENT_REQUEST_ASSIST];
  section->has_result = support != NULL;

  if (support != NULL)
    {
      g_autofree char *confidence = NULL;

      _vd_item_detail_set_plain_text (self->assist_recommendation_label, support->recommendation);
      gtk_widget_set_visible (self->assist_recommendation_box,
                              !vd_text_is_empty (support->recommendation));

      /* Translators: how sure the agent is of its recommendation, e.g. "confidence 0.80" */
      confidence = g_strdup_printf (_("confidence %.2f"), CLAMP (support->confidence, 0.0, 1.0));
      gtk_label_set_text (self->assist_confidence_label, confidence);

      _vd_item_detail_set_plain_text (self->assist_analysis_label, support->analysis);
      gtk_widget_set_visible (self->assist_analysis_box, !vd_text_is_empty (support->analysis));

      fill_list (self->assist_options_list, self->assist_options_box,
                 (const char * const *) support->options, _("Option"));
      fill_list (self->assist_risks_list, self->assist_risks_box,
                 (const char * const *) support->risks, _("Risk"));
      fill_list (self->assist_considerations_list, self->assist_considerations_box,
                 (const char * const *) support->considerations, _("Consideration"));

      vd_agent_results_set_error (self, VD_AGENT_REQUEST_ASSIST, NULL);
    }
  else
    {
      gtk_label_set_text (self->assist_recommendation_label, "");
      gtk_label_set_text (self->assist_analysis_label, "");
      fill_list (self->assist_options_list, self->assist_options_box, NULL, NULL);
      fill_list (self->assist_risks_list, self->assist_risks_box, NULL, NULL);
      fill_list (self->assist_considerations_list, self->assist_considerations_box, NULL, NULL);
    }

  update_section (self, VD_AGENT_REQUEST_ASSIST);
}

/**
 * vd_agent_results_set_busy:
 * @self: a #VdAgentResults
 * @kind: the request
 * @busy: whether it runs
 *
 * Shows a spinner in the section of @kind while its request runs; starting
 * one clears the error shown there.
 */
void
vd_agent_results_set_busy (VdAgentResults *self,
                           VdAgentRequest  kind,
                           gboolean        busy)
{
  g_return_if_fail (VD_IS_AGENT_RESULTS (self));
  g_return_if_fail (kind == VD_AGENT_REQUEST_SECOND_OPINION || kind == VD_AGENT_REQUEST_ASSIST);

  self->sections[kind].busy = !!busy;
  if (busy)
    vd_agent_results_set_error (self, kind, NULL);
  update_section (self, kind);
}

/**
 * vd_agent_results_get_busy:
 * @self: a #VdAgentResults
 * @kind: the request
 *
 * Returns: whether the request of @kind is shown as running
 */
gboolean
vd_agent_results_get_busy (VdAgentResults *self,
                           VdAgentRequest  kind)
{
  g_return_val_if_fail (VD_IS_AGENT_RESULTS (self), FALSE);
  g_return_val_if_fail (kind == VD_AGENT_REQUEST_SECOND_OPINION ||
                        kind == VD_AGENT_REQUEST_ASSIST, FALSE);

  return self->sections[kind].busy;
}

/**
 * vd_agent_results_set_error:
 * @self: a #VdAgentResults
 * @kind: the request
 * @message: (nullable): why it failed, or %NULL to clear
 *
 * Shows why the request of @kind failed, in its section; a result shown
 * before stays.
 */
void
vd_agent_results_set_error (VdAgentResults *self,
                            VdAgentRequest  kind,
                            const char     *message)
{
  GtkLabel *label;

  g_return_if_fail (VD_IS_AGENT_RESULTS (self));
  g_return_if_fail (kind == VD_AGENT_REQUEST_SECOND_OPINION || kind == VD_AGENT_REQUEST_ASSIST);

  label = self->sections[kind].error_label;
  _vd_item_detail_set_plain_text (label, message);
  gtk_widget_set_visible (GTK_WIDGET (label), !vd_text_is_empty (message));
  update_section (self, kind);
}

/**
 * vd_agent_results_clear:
 * @self: a #VdAgentResults
 *
 * Forgets every result, error and running state, e.g. for another item.
 */
void
vd_agent_results_clear (VdAgentResults *self)
{
  g_return_if_fail (VD_IS_AGENT_RESULTS (self));

  for (guint kind = 0; kind < G_N_ELEMENTS (self->sections); kind++)
    {
      self->sections[kind].busy = FALSE;
      vd_agent_results_set_error (self, kind, NULL);
    }

  vd_agent_results_set_second_opinion (self, NULL);
  vd_agent_results_set_assist (self, NULL);
}

/* Internal state, for the tests */

GtkWidget *
_vd_agent_results_get_section (VdAgentResults *self,
                               VdAgentRequest  kind)
{
  return self->sections[kind].section;
}

GtkSpinner *
_vd_agent_results_get_spinner (VdAgentResults *self,
                               VdAgentRequest  kind)
{
  return self->sections[kind].spinner;
}

GtkLabel *
_vd_agent_results_get_error_label (VdAgentResults *self,
                                   VdAgentRequest  kind)
{
  return self->sections[kind].error_label;
}
