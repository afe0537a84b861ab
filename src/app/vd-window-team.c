/* vd-window-team.c: the window on a team server
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

/* While the session's connection to the team server is lost, the banner
 * says so and decisions wait (see _vd_window_update_actions()); the item
 * shown stays, and what the reviewer wrote for a decision the server never
 * acknowledged is kept and offered again in the decision dialog. Once the
 * server answers, the list, the counts and the claim on the item shown are
 * read and made again. */

#define G_LOG_DOMAIN "vd-window"

#include "config.h"

#include <glib/gi18n.h>

#include "vd-decision-dialog.h"
#include "vd-window-private.h"

static void
disconnected_changed_cb (VdWindow *self)
{
  VdItem *item;

  if (_vd_window_is_disposed (self))
    return;

  _vd_window_update_actions (self);
  _vd_window_update_pages (self);
  if (vd_session_get_disconnected (self->session))
    return;

  /* Connected again: what others did meanwhile, with the item shown kept
   * open and claimed again. */
  item = _vd_window_get_current_item (self);
  if (item != NULL)
    self->select_after_load = vd_item_get_id (item);
  _vd_window_reload_items (self);
  _vd_window_refresh_counts (self);
  _vd_window_reclaim (self);
}

void
_vd_window_keep_draft (VdWindow   *self,
                       VdDecision *decision,
                       gint64      item_id)
{
  const char *text;

  if (vd_decision_get_kind (decision) == VD_DECISION_KIND_MODIFY)
    text = vd_decision_get_modified_content (decision);
  else
    text = vd_decision_get_feedback (decision);

  g_clear_pointer (&self->draft_text, g_free);
  self->draft_item_id = item_id;
  self->draft_kind = vd_decision_get_kind (decision);
  self->draft_text = g_strdup (text);
}

void
_vd_window_forget_draft (VdWindow *self,
                         gint64    item_id)
{
  if (self->draft_item_id != item_id)
    return;

  self->draft_item_id = 0;
  g_clear_pointer (&self->draft_text, g_free);
}

/* The decision dialog just opened for @item: it starts from the text kept
 * for the same decision on the same item. */
void
_vd_window_restore_draft (VdWindow       *self,
                          VdItem         *item,
                          VdDecisionKind  kind)
{
  GListModel *toplevels;

  if (self->draft_text == NULL || self->draft_item_id != vd_item_get_id (item) ||
      self->draft_kind != kind)
    return;

  toplevels = gtk_window_get_toplevels ();
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (VD_IS_DECISION_DIALOG (window) &&
          gtk_window_get_transient_for (window) == GTK_WINDOW (self) &&
          vd_decision_dialog_get_kind (VD_DECISION_DIALOG (window)) == kind)
        {
          gtk_text_buffer_set_text (vd_decision_dialog_get_buffer (VD_DECISION_DIALOG (window)),
                                    self->draft_text, -1);
          break;
        }
    }
}

void
_vd_window_class_init_team (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_child (widget_class, VdWindow, connection_banner);
}

void
_vd_window_init_team (VdWindow *self)
{
  vd_connection_banner_set_session (self->connection_banner, self->session);
  g_signal_connect_object (self->session, "notify::disconnected",
                           G_CALLBACK (disconnected_changed_cb), self, G_CONNECT_SWAPPED);
}

void
_vd_window_dispose_team (VdWindow *self)
{
  if (self->connection_banner != NULL)
    vd_connection_banner_set_session (self->connection_banner, NULL);
  self->draft_item_id = 0;
  g_clear_pointer (&self->draft_text, g_free);
}
