/* vd-feedback-input.c
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

#define G_LOG_DOMAIN "vd-feedback-input"

#include "config.h"

#include <glib/gi18n.h>

#include "vd-feedback-input.h"

/* A compact, optional step beside the item's navigation, never beside the
 * decisions: a "Rate Output" menu button whose popover holds the helpful
 * pair and the category. Its label says what was chosen. */

struct _VdFeedbackInput
{
  GtkWidget         parent_instance;

  /* Template widgets */
  GtkMenuButton    *menu_button;
  GtkPopover       *popover;
  GtkLabel         *question_label;
  GtkToggleButton  *yes_button;
  GtkToggleButton  *no_button;
  GtkComboBoxText  *category_combo;

  char             *item_key;   /* the queue and task id of the item */
};

G_DEFINE_FINAL_TYPE (VdFeedbackInput, vd_feedback_input, GTK_TYPE_WIDGET)

static GtkEditable *
vd_feedback_input_get_entry (VdFeedbackInput *self)
{
  return GTK_EDITABLE (gtk_combo_box_get_child (GTK_COMBO_BOX (self->category_combo)));
}

/* The button says what was chosen, so a rating is never given unseen. */
static void
vd_feedback_input_update_label (VdFeedbackInput *self)
{
  g_autofree char *category = vd_feedback_input_dup_category (self);
  g_autofree char *text = NULL;
  const char *rating = NULL;

  switch (vd_feedback_input_get_helpful (self))
    {
    case VD_HELPFUL_YES:
      rating = _("Helpful");
      break;

    case VD_HELPFUL_NO:
      rating = _("Not Helpful");
      break;

    case VD_HELPFUL_UNSET:
    default:
      break;
    }

  if (rating != NULL && category != NULL)
    /* Translators: the rating button once rated, e.g. "Helpful · tone" */
    text = g_strdup_printf (_("%s · %s"), rating, category);
  else if (rating != NULL)
    text = g_strdup (rating);
  else if (category != NULL)
    text = g_strdup (category);
  else
    text = g_strdup (_("Rate Output"));

  gtk_menu_button_set_label (self->menu_button, text);
}

/* The pair works like radio buttons that can also both be off: the
 * reviewer need not say. */
static void
yes_toggled_cb (VdFeedbackInput *self,
                GtkToggleButton *button)
{
  if (gtk_toggle_button_get_active (button))
    gtk_toggle_button_set_active (self->no_button, FALSE);
  vd_feedback_input_update_label (self);
}

static void
no_toggled_cb (VdFeedbackInput *self,
               GtkToggleButton *button)
{
  if (gtk_toggle_button_get_active (button))
    gtk_toggle_button_set_active (self->yes_button, FALSE);
  vd_feedback_input_update_label (self);
}

static void
clear_clicked_cb (VdFeedbackInput *self,
                  GtkButton       *button)
{
  vd_feedback_input_clear (self);
  gtk_popover_popdown (self->popover);
}

static void
vd_feedback_input_dispose (GObject *object)
{
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (object), VD_TYPE_FEEDBACK_INPUT);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (vd_feedback_input_parent_class)->dispose (object);
}

static void
vd_feedback_input_finalize (GObject *object)
{
  VdFeedbackInput *self = (VdFeedbackInput *)object;

  g_clear_pointer (&self->item_key, g_free);

  G_OBJECT_CLASS (vd_feedback_input_parent_class)->finalize (object);
}

static void
vd_feedback_input_class_init (VdFeedbackInputClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vd_feedback_input_dispose;
  object_class->finalize = vd_feedback_input_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/verdict/Verdict/vd-feedback-input.ui");
  gtk_widget_class_bind_template_child (widget_class, VdFeedbackInput, menu_button);
  gtk_widget_class_bind_template_child (widget_class, VdFeedbackInput, popover);
  gtk_widget_class_bind_template_child (widget_class, VdFeedbackInput, question_label);
  gtk_widget_class_bind_template_child (widget_class, VdFeedbackInput, yes_button);
  gtk_widget_class_bind_template_child (widget_class, VdFeedbackInput, no_button);
  gtk_widget_class_bind_template_child (widget_class, VdFeedbackInput, category_combo);
  gtk_widget_class_bind_template_callback (widget_class, yes_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, no_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, clear_clicked_cb);

  gtk_widget_class_set_css_name (widget_class, "vdfeedbackinput");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
vd_feedback_input_init (VdFeedbackInput *self)
{
  GtkEditable *entry;

  gtk_widget_init_template (GTK_WIDGET (self));

  entry = vd_feedback_input_get_entry (self);
  gtk_editable_set_width_chars (entry, 12);
  if (GTK_IS_ENTRY (entry))
    gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("Category"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Feedback category"),
                                  -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Feedback on the agent’s output"),
                                  -1);
  g_signal_connect_object (entry, "changed",
                           G_CALLBACK (vd_feedback_input_update_label), self, G_CONNECT_SWAPPED);
  vd_feedback_input_update_label (self);
}

/**
 * vd_feedback_input_new:
 *
 * Returns: (transfer floating): a new #VdFeedbackInput, nothing chosen
 */
GtkWidget *
vd_feedback_input_new (void)
{
  return g_object_new (VD_TYPE_FEEDBACK_INPUT, NULL);
}

/**
 * vd_feedback_input_popup:
 * @self: a #VdFeedbackInput
 *
 * Opens the rating popover.
 */
void
vd_feedback_input_popup (VdFeedbackInput *self)
{
  g_return_if_fail (VD_IS_FEEDBACK_INPUT (self));

  if (gtk_widget_is_sensitive (GTK_WIDGET (self)) && gtk_widget_get_mapped (GTK_WIDGET (self)))
    gtk_menu_button_popup (self->menu_button);
}

/**
 * vd_feedback_input_set_categories:
 * @self: a #VdFeedbackInput
 * @categories: (nullable) (array zero-terminated=1): the categories offered
 *
 * Offers @categories in the list; what the reviewer typed stays.
 */
void
vd_feedback_input_set_categories (VdFeedbackInput    *self,
                                  const char * const *categories)
{
  g_return_if_fail (VD_IS_FEEDBACK_INPUT (self));

  gtk_combo_box_text_remove_all (self->category_combo);
  for (guint i = 0; categories != NULL && categories[i] != NULL; i++)
    gtk_combo_box_text_append_text (self->category_combo, categories[i]);
}

/**
 * vd_feedback_input_get_n_categories:
 * @self: a #VdFeedbackInput
 *
 * Returns: how many categories the list offers
 */
guint
vd_feedback_input_get_n_categories (VdFeedbackInput *self)
{
  GtkTreeModel *model;

  g_return_val_if_fail (VD_IS_FEEDBACK_INPUT (self), 0);

  model = gtk_combo_box_get_model (GTK_COMBO_BOX (self->category_combo));

  return model != NULL ? (guint) gtk_tree_model_iter_n_children (model, NULL) : 0;
}

/**
 * vd_feedback_input_get_helpful:
 * @self: a #VdFeedbackInput
 *
 * Returns: what the reviewer said, %VD_HELPFUL_UNSET when nothing
 */
VdHelpful
vd_feedback_input_get_helpful (VdFeedbackInput *self)
{
  g_return_val_if_fail (VD_IS_FEEDBACK_INPUT (self), VD_HELPFUL_UNSET);

  if (gtk_toggle_button_get_active (self->yes_button))
    return VD_HELPFUL_YES;
  if (gtk_toggle_button_get_active (self->no_button))
    return VD_HELPFUL_NO;

  return VD_HELPFUL_UNSET;
}

/**
 * vd_feedback_input_set_helpful:
 * @self: a #VdFeedbackInput
 * @helpful: what to show as chosen
 */
void
vd_feedback_input_set_helpful (VdFeedbackInput *self,
                               VdHelpful        helpful)
{
  g_return_if_fail (VD_IS_FEEDBACK_INPUT (self));

  gtk_toggle_button_set_active (self->yes_button, helpful == VD_HELPFUL_YES);
  gtk_toggle_button_set_active (self->no_button, helpful == VD_HELPFUL_NO);
}

/**
 * vd_feedback_input_dup_category:
 * @self: a #VdFeedbackInput
 *
 * Returns: (transfer full) (nullable): the category chosen or typed, without
 *   surrounding space; %NULL when there is none
 */
char *
vd_feedback_input_dup_category (VdFeedbackInput *self)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (VD_IS_FEEDBACK_INPUT (self), NULL);

  text = g_strstrip (g_strdup (gtk_editable_get_text (vd_feedback_input_get_entry (self))));
  if (text[0] == '\0')
    return NULL;

  return g_steal_pointer (&text);
}

/**
 * vd_feedback_input_set_category:
 * @self: a #VdFeedbackInput
 * @category: (nullable): the category to show
 */
void
vd_feedback_input_set_category (VdFeedbackInput *self,
                                const char      *category)
{
  g_return_if_fail (VD_IS_FEEDBACK_INPUT (self));

  gtk_editable_set_text (vd_feedback_input_get_entry (self), category != NULL ? category : "");
}

/**
 * vd_feedback_input_clear:
 * @self: a #VdFeedbackInput
 *
 * Back to nothing said, for the next item.
 */
void
vd_feedback_input_clear (VdFeedbackInput *self)
{
  g_return_if_fail (VD_IS_FEEDBACK_INPUT (self));

  vd_feedback_input_set_helpful (self, VD_HELPFUL_UNSET);
  vd_feedback_input_set_category (self, NULL);
}

/**
 * vd_feedback_input_apply:
 * @self: a #VdFeedbackInput
 * @decision: the decision the feedback goes with
 *
 * Sets the helpful flag and the category of @decision from what the
 * reviewer chose.
 */
void
vd_feedback_input_apply (VdFeedbackInput *self,
                         VdDecision      *decision)
{
  g_autofree char *category = NULL;

  g_return_if_fail (VD_IS_FEEDBACK_INPUT (self));
  g_return_if_fail (VD_IS_DECISION (decision));

  category = vd_feedback_input_dup_category (self);
  vd_decision_set_helpful (decision, vd_feedback_input_get_helpful (self));
  vd_decision_set_category (decision, category);
}

/**
 * vd_feedback_input_set_item:
 * @self: a #VdFeedbackInput
 * @item: (nullable): the item the feedback is about
 *
 * Clears what was chosen when @item is another task than the one before
 * (a newer copy of the same task keeps it).
 */
void
vd_feedback_input_set_item (VdFeedbackInput *self,
                            VdItem          *item)
{
  g_autofree char *key = NULL;

  g_return_if_fail (VD_IS_FEEDBACK_INPUT (self));
  g_return_if_fail (item == NULL || VD_IS_ITEM (item));

  if (item != NULL)
    key = g_strdup_printf ("%s\n%s", vd_item_get_queue (item), vd_item_get_task_id (item));

  if (g_strcmp0 (key, self->item_key) == 0)
    return;

  g_free (self->item_key);
  self->item_key = g_steal_pointer (&key);
  vd_feedback_input_clear (self);
}

/**
 * vd_feedback_input_copy_from:
 * @self: a #VdFeedbackInput
 * @other: another #VdFeedbackInput
 *
 * Offers the categories @other offers and shows what was chosen in it.
 */
void
vd_feedback_input_copy_from (VdFeedbackInput *self,
                             VdFeedbackInput *other)
{
  GtkTreeModel *model;
  GtkTreeIter iter;
  g_autofree char *category = NULL;

  g_return_if_fail (VD_IS_FEEDBACK_INPUT (self));
  g_return_if_fail (VD_IS_FEEDBACK_INPUT (other));

  gtk_combo_box_text_remove_all (self->category_combo);
  model = gtk_combo_box_get_model (GTK_COMBO_BOX (other->category_combo));
  if (model != NULL && gtk_tree_model_get_iter_first (model, &iter))
    {
      do
        {
          g_autofree char *text = NULL;

          gtk_tree_model_get (model, &iter, 0, &text, -1);
          gtk_combo_box_text_append_text (self->category_combo, text);
        }
      while (gtk_tree_model_iter_next (model, &iter));
    }

  category = vd_feedback_input_dup_category (other);
  vd_feedback_input_set_helpful (self, vd_feedback_input_get_helpful (other));
  vd_feedback_input_set_category (self, category);
}
