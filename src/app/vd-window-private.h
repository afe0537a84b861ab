/* vd-window-private.h: what the split files of VdWindow share
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

/* For vd-window*.c only: other classes and the tests go through the
 * window's actions, its public API (vd-window.h) and the session. */

#pragma once

#include "vd-agent-banner.h"
#include "vd-connection-banner.h"
#include "vd-fatigue-banner.h"
#include "vd-feedback-input.h"
#include "vd-item-detail.h"
#include "vd-item-list-model.h"
#include "vd-item-row.h"
#include "vd-queue-counts.h"
#include "vd-session.h"
#include "vd-sign-in-page.h"
#include "vd-window.h"

G_BEGIN_DECLS

/* The status filter of the queue pane: the positions of its dropdown (and
 * the values of the `status-filter` setting). */
typedef enum
{
  VD_STATUS_FILTER_PENDING,
  VD_STATUS_FILTER_ESCALATED,
  VD_STATUS_FILTER_DECIDED,
  VD_STATUS_FILTER_ALL,
} VdStatusFilter;

struct _VdWindow
{
  AdwApplicationWindow  parent_instance;

  /* The services: the store, the policy, the agent, the deadlines. */
  VdSession            *session;
  GCancellable         *cancellable;     /* cancelled at dispose */

  /* Template widgets */
  AdwToastOverlay      *toast_overlay;   /* pages other than the review */
  AdwToastOverlay      *list_toast_overlay;
  AdwToastOverlay      *content_toast_overlay;
  GtkStack             *main_stack;
  AdwStatusPage        *error_page;
  AdwLeaflet           *leaflet;
  GtkWidget            *sidebar;
  GtkWidget            *content;
  AdwWindowTitle       *content_title;
  GtkSearchEntry       *search_entry;
  GtkDropDown          *queue_dropdown;
  GtkDropDown          *status_dropdown;
  GtkDropDown          *reason_dropdown;
  GtkLabel             *counts_label;
  GtkLabel             *forecast_label;
  GtkStack             *list_stack;
  GtkListView          *list_view;
  AdwStatusPage        *done_page;
  GtkStack             *content_stack;
  VdItemDetail         *detail;
  GtkWidget            *approve_button;
  GtkLabel             *progress_label;
  VdFatigueBanner      *fatigue_banner;
  VdFeedbackInput      *feedback_input;
  VdAgentBanner        *agent_banner;
  VdConnectionBanner   *connection_banner;

  /* The queue pane: the lazy model of the store's items, its selection
   * and counts. The filters are the widgets' (the dropdowns, the search
   * entry, the sort action). */
  VdItemListModel      *items;
  GtkSingleSelection   *selection;
  VdQueueCounts        *counts;
  gboolean              query_set;
  gboolean              reloading;

  /* What to select when the model has loaded (a row id or 0), and the
   * keyboard focus brought back to the list once its rows exist. */
  gint64                select_after_load;
  gboolean              focus_after_load;
  gboolean              focus_force;
  guint                 focus_tick;
  guint                 focus_tries;

  /* The selected item (perhaps still a placeholder), and the one shown. */
  VdItem               *current;
  guint                 current_idle;

  /* Start-up: the first screen drawn, then the work that waited for it. */
  gboolean              first_screen;
  GdkFrameClock        *first_paint_clock;
  gulong                first_paint_handler;
  guint                 deferred_idle;
  VdItem               *shown;
  gint64                shown_at;        /* monotonic, when @shown appeared */

  /* Dialogs and toasts this window has open. */
  AdwToast             *decision_toast;  /* weak: the one offering Undo */
  gboolean              dialog_open;
  gboolean              new_task_open;
  gboolean              asking_reviewer;

  /* The decision that asked who reviews, resumed once the name is set. */
  gint64                pending_item_id;
  VdDecisionKind        pending_kind;

  /* Signing (vd-window-signing.c): the sign-in page over the content,
   * the idle lock, the files that wait for the sign-in, and the rosters
   * of the queues (queue -> VdRoster, or NULL for none). */
  GtkStack             *lock_stack;
  VdSignInPage         *sign_in_page;
  GtkEventController   *idle_controller;
  gint64                last_input;      /* monotonic */
  guint                 idle_source;
  GPtrArray            *deferred_imports;
  GHashTable           *rosters;
  GCancellable         *roster_cancellable;
  gboolean              read_only;       /* the item shown needs a role */

  /* Other reviewers' changes (vd-window-live.c): the store's
   * "audit-appended", the last audit seq taken in (-1 before the first
   * read) and the last announced. */
  GSignalGroup         *live_signals;
  GCancellable         *live_cancellable;
  gint64                live_seen_seq;
  gint64                live_head_seq;
  gboolean              live_reading;
  /* What the pane says about the item on screen decided elsewhere, and
   * that item's "queue\ntask id". */
  char                 *live_notice;
  char                 *live_notice_key;
  /* Claims (vd-window-claims.c): the item shown this window claims (or 0),
   * in whose name, whether another reviewer holds it, the renewal, and the
   * other reviewers' claims (item id -> reviewer id) for the bound rows. */
  gint64                claim_item_id;
  char                 *claim_reviewer_id;
  gboolean              claimed_elsewhere;
  guint                 claim_renew_source;
  GHashTable           *claims;
  GHashTable           *bound_rows;
  /* The team server (vd-window-team.c): what the reviewer wrote for a
   * decision the server never acknowledged, kept for the next try. */
  gint64                draft_item_id;
  VdDecisionKind        draft_kind;
  char                 *draft_text;
};

/* vd-window.c */
gboolean    _vd_window_is_disposed         (VdWindow     *self);
void        _vd_window_update_actions      (VdWindow     *self);
void        _vd_window_ask_reviewer        (VdWindow     *self);
gboolean    _vd_window_error_is_cancelled  (const GError *error);
void        _vd_window_show_error          (VdWindow     *self,
                                            const char   *heading,
                                            const char   *message);

/* vd-window-list.c */
void        _vd_window_init_list           (VdWindow     *self);
void        _vd_window_dispose_list        (VdWindow     *self);
void        _vd_window_bind_store          (VdWindow     *self);
void        _vd_window_reload_items        (VdWindow     *self);
void        _vd_window_refresh_counts      (VdWindow     *self);
void        _vd_window_refresh_queues      (VdWindow     *self);
void        _vd_window_set_counts_label    (VdWindow     *self);
void        _vd_window_update_pages        (VdWindow     *self);
void        _vd_window_select_position     (VdWindow     *self,
                                            guint         position);
void        _vd_window_select_item_id      (VdWindow     *self,
                                            gint64        item_id);
guint       _vd_window_get_selected        (VdWindow     *self);
gboolean    _vd_window_park_list_focus     (VdWindow     *self,
                                            gboolean      until_loaded);
VdStatusFilter _vd_window_get_status_filter (VdWindow    *self);
void        _vd_window_set_status_filter   (VdWindow     *self,
                                            VdStatusFilter filter);
const char *_vd_window_get_queue           (VdWindow     *self);
gboolean    _vd_window_decided_leaves_view (VdWindow     *self,
                                            VdDecisionKind kind);
VdItem     *_vd_window_get_current_item    (VdWindow     *self);
void        _vd_window_focus_search        (VdWindow     *self);
void        _vd_window_focus_list          (VdWindow     *self);
void        _vd_window_go_back             (VdWindow     *self);

/* vd-window-actions.c */
void        _vd_window_class_init_actions  (GtkWidgetClass *widget_class);
void        _vd_window_init_arrow_keys     (VdWindow       *self);
void        _vd_window_dismiss_decision_toast (VdWindow  *self);
AdwToastOverlay *_vd_window_get_toast_overlay (VdWindow   *self);
void        _vd_window_resume_decision     (VdWindow       *self,
                                            gboolean        named);

/* vd-window-import.c */
void        _vd_window_class_init_import   (GtkWidgetClass *widget_class);
void        _vd_window_init_import         (VdWindow     *self);

/* vd-window-agent.c */
void        _vd_window_class_init_agent    (GtkWidgetClass *widget_class);
void        _vd_window_init_agent          (VdWindow     *self);
void        _vd_window_update_agent        (VdWindow     *self);

/* vd-window-sla.c */
void        _vd_window_class_init_sla      (GtkWidgetClass *widget_class);
void        _vd_window_init_sla            (VdWindow     *self);
void        _vd_window_show_forecast       (VdWindow     *self);

/* vd-window-signing.c */
void        _vd_window_class_init_signing  (GtkWidgetClass *widget_class);
void        _vd_window_init_signing        (VdWindow     *self);
void        _vd_window_dispose_signing     (VdWindow     *self);
void        _vd_window_update_roles        (VdWindow     *self);
void        _vd_window_forget_rosters      (VdWindow     *self);
gboolean    _vd_window_defer_import        (VdWindow     *self,
                                            GFile       **files,
                                            guint         n_files,
                                            gboolean      queue_policy);
gboolean    _vd_window_decision_refused    (VdWindow     *self,
                                            const GError *error);

/* vd-window-live.c */
void        _vd_window_init_live           (VdWindow     *self);
void        _vd_window_dispose_live        (VdWindow     *self);

/* vd-window-claims.c */
void        _vd_window_init_claims         (VdWindow     *self);
void        _vd_window_dispose_claims      (VdWindow     *self);
void        _vd_window_refresh_claims      (VdWindow     *self);
gboolean    _vd_window_is_claimed_elsewhere (VdWindow    *self);
void        _vd_window_claims_bind_row     (VdWindow     *self,
                                            VdItemRow    *row);
void        _vd_window_claims_unbind_row   (VdWindow     *self,
                                            VdItemRow    *row);

void        _vd_window_reclaim             (VdWindow     *self);

/* vd-window-team.c */
void        _vd_window_class_init_team     (GtkWidgetClass *widget_class);
void        _vd_window_init_team           (VdWindow     *self);
void        _vd_window_dispose_team        (VdWindow     *self);
void        _vd_window_keep_draft          (VdWindow     *self,
                                            VdDecision   *decision,
                                            gint64        item_id);
void        _vd_window_forget_draft        (VdWindow     *self,
                                            gint64        item_id);
void        _vd_window_restore_draft       (VdWindow     *self,
                                            VdItem       *item,
                                            VdDecisionKind kind);

/* vd-window-export.c */
void        _vd_window_export              (VdWindow     *self);
void        _vd_window_export_format       (VdWindow     *self,
                                            const char   *format);

G_END_DECLS
