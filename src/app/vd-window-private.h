/* vd-window-private.h
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

#pragma once

#include "vd-fatigue-banner.h"
#include "vd-feedback-input.h"
#include "vd-item-detail.h"
#include "vd-item-list-model.h"
#include "vd-llm-settings.h"
#include "vd-window.h"
#include "vd-workflow.h"

G_BEGIN_DECLS

/* The status filter of the queue pane (the `status-filter` setting). */
typedef enum
{
  VD_STATUS_FILTER_PENDING,
  VD_STATUS_FILTER_ESCALATED,
  VD_STATUS_FILTER_DECIDED,
  VD_STATUS_FILTER_ALL,
} VdStatusFilter;

/* A decision recorded in this session, newest last: what Ctrl+Z undoes. */
typedef struct
{
  gint64          decision_id;
  gint64          item_id;
  VdDecisionKind  kind;
  char           *task_id;
  char           *reviewer_id;
} VdSessionDecision;

struct _VdWindow
{
  AdwApplicationWindow  parent_instance;

  /* Template widgets */
  AdwToastOverlay      *toast_overlay;
  GtkStack             *main_stack;
  AdwStatusPage        *error_page;
  AdwStatusPage        *empty_page;
  AdwWindowTitle       *empty_title;
  AdwLeaflet           *leaflet;
  GtkWidget            *sidebar;
  GtkWidget            *content;
  AdwWindowTitle       *sidebar_title;
  AdwWindowTitle       *content_title;
  GtkSearchEntry       *search_entry;
  GtkMenuButton        *sort_button;
  GtkDropDown          *queue_dropdown;
  GtkDropDown          *status_dropdown;
  GtkDropDown          *reason_dropdown;
  GtkLabel             *counts_label;
  GtkStack             *list_stack;
  GtkListView          *list_view;
  AdwStatusPage        *done_page;
  GtkStack             *content_stack;
  VdItemDetail         *detail;
  GtkWidget            *approve_button;
  GtkRevealer          *progress_revealer;
  GtkLabel             *progress_label;
  GtkProgressBar       *progress_bar;
  VdFatigueBanner      *fatigue_banner;
  VdFeedbackInput      *feedback_input;

  GSettings            *settings;
  GCancellable         *cancellable;     /* cancelled at dispose */
  gboolean              disposed;

  VdStore              *store;
  VdPolicy             *policy;
  gboolean              store_failed;

  /* Who decides: VERDICT_REVIEWER, else the `reviewer-id` setting. */
  char                 *reviewer_id;
  gboolean              reviewer_from_env;
  gboolean              asking_reviewer;

  /* The queue pane: the lazy model, its selection and the query. */
  VdItemListModel      *items;
  GtkSingleSelection   *selection;
  GtkStringList        *queues;
  gboolean              updating_queues;
  char                 *queue;           /* NULL: all queues */
  int                   reason;          /* -1: any */
  char                 *search;          /* NULL: no search */
  VdSortOrder           sort;
  VdStatusFilter        status_filter;
  gboolean              query_set;
  gboolean              reloading;

  /* What to select when the model has loaded: a row id or 0. */
  gint64                select_after_load;
  gboolean              focus_after_load;
  guint                 focus_tick;
  gboolean              focus_force;
  guint                 focus_tries;

  /* The selected item (perhaps still a placeholder), and the one shown. */
  VdItem               *current;
  gulong                current_notify;
  guint                 current_idle;
  VdItem               *shown;
  gint64                shown_at;        /* monotonic, when @shown appeared */
  gboolean              first_item_shown;

  /* The counts in the queue pane. */
  GCancellable         *counts_cancellable;
  GCancellable         *queues_cancellable;
  guint64               store_total;
  guint64               queue_total;
  guint64               queue_pending;
  gboolean              counts_known;
  gboolean              counts_deferred;

  /* Decisions on their way to the store, and this session's decisions. */
  guint                 n_recording;
  GHashTable           *deciding;        /* row ids with a decision on its way */
  GPtrArray            *session;         /* VdSessionDecision, newest last */
  gboolean              undoing;
  gboolean              dialog_open;
  AdwToast             *decision_toast;  /* weak: the one offering Undo */

  /* The running import, if any, and the ones waiting for it. */
  VdImporter           *importer;
  GCancellable         *import_cancellable;
  GPtrArray            *import_files;
  GQueue                queued_imports;

  /* The agent (vd-window-agent.c): the endpoint's settings, the workflow
   * (both NULL without an application that has them), the banner shown
   * while the endpoint cannot be reached, and the revisions that failed
   * (row id -> message). */
  VdLlmSettings        *llm_settings;
  VdWorkflow           *workflow;
  GtkRevealer          *agent_banner;
  GtkLabel             *agent_banner_label;
  GHashTable           *revision_failures;
  gboolean              new_task_open;

  /* Deadlines and the forecast (vd-window-sla.c): the application's
   * deadline timer, the forecast line, the notification of deadlines
   * about to pass while the window is in the background (row ids already
   * notified), and the bulk approve dialog (weak). */
  VdSlaTimer           *sla_timer;
  char                 *sla_message;
  GtkLabel             *forecast_label;
  GCancellable         *forecast_cancellable;
  guint                 forecast_source;
  guint                 n_forecasts;
  guint                 deadline_source;
  GCancellable         *deadline_cancellable;
  GHashTable           *notified;
  guint                 n_deadline_checks;
  guint                 n_notifications;
  char                 *notification_title;
  char                 *notification_body;
  gint64                notification_item;
  gboolean              notification_shown;
  int                   active_override;
  GtkWidget            *bulk_dialog;
};

/* vd-window.c */
void        _vd_window_update_actions      (VdWindow     *self);
void        _vd_window_set_reviewer_id     (VdWindow     *self,
                                            const char   *reviewer_id);
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
void        _vd_window_update_pages        (VdWindow     *self);
void        _vd_window_select_position     (VdWindow     *self,
                                            guint         position);
guint       _vd_window_get_selected        (VdWindow     *self);
gboolean    _vd_window_park_list_focus     (VdWindow     *self,
                                            gboolean      until_loaded);
gboolean    _vd_window_decided_leaves_view (VdWindow     *self,
                                            VdDecisionKind kind);
VdItem     *_vd_window_get_current_item    (VdWindow     *self);
void        _vd_window_focus_search        (VdWindow     *self);
void        _vd_window_go_back             (VdWindow     *self);

/* vd-window-actions.c */
void        _vd_window_class_init_actions  (GtkWidgetClass *widget_class);
void        _vd_window_init_arrow_keys     (VdWindow       *self);
void        _vd_window_session_decision_free (VdSessionDecision *decision);
void        _vd_window_dismiss_decision_toast (VdWindow  *self);

/* vd-window-import.c */
void        _vd_window_init_import         (VdWindow     *self);
void        _vd_window_dispose_import      (VdWindow     *self);
void        _vd_window_start_import        (VdWindow     *self);
void        _vd_window_clear_queued_imports (VdWindow    *self);
void        _vd_window_notify_importing    (VdWindow     *self);

/* vd-window-agent.c */
void        _vd_window_class_init_agent    (GtkWidgetClass *widget_class);
void        _vd_window_init_agent          (VdWindow     *self);
void        _vd_window_dispose_agent       (VdWindow     *self);
void        _vd_window_set_agent           (VdWindow      *self,
                                            VdLlmSettings *llm_settings,
                                            VdWorkflow    *workflow);
void        _vd_window_update_agent        (VdWindow     *self);
void        _vd_window_decision_recorded   (VdWindow     *self,
                                            VdItem       *item,
                                            VdDecisionKind kind);
gboolean    _vd_window_get_banner_revealed (VdWindow     *self);
const char *_vd_window_get_banner_text     (VdWindow     *self);

/* vd-window-sla.c */
void        _vd_window_class_init_sla      (GtkWidgetClass *widget_class);
void        _vd_window_init_sla            (VdWindow     *self);
void        _vd_window_dispose_sla         (VdWindow     *self);
void        _vd_window_set_sla_timer       (VdWindow     *self,
                                            VdSlaTimer   *timer);
void        _vd_window_refresh_forecast    (VdWindow     *self);
void        _vd_window_select_item_id      (VdWindow     *self,
                                            gint64        item_id);
void        _vd_window_check_deadlines     (VdWindow     *self);
void        _vd_window_bulk_decision_recorded (VdWindow  *self);
const char *_vd_window_get_sla_message     (VdWindow     *self);
const char *_vd_window_get_forecast_text   (VdWindow     *self);
guint       _vd_window_get_n_forecasts     (VdWindow     *self);
guint       _vd_window_get_n_notifications (VdWindow     *self);
guint       _vd_window_get_n_deadline_checks (VdWindow   *self);
const char *_vd_window_get_notification_title (VdWindow  *self);
const char *_vd_window_get_notification_body (VdWindow   *self);
gint64      _vd_window_get_notification_item (VdWindow   *self);
gboolean    _vd_window_get_notification_shown (VdWindow  *self);
void        _vd_window_set_active_override (VdWindow     *self,
                                            int           active);
GtkWidget  *_vd_window_get_bulk_dialog     (VdWindow     *self);

/* vd-window-export.c */
void        _vd_window_export              (VdWindow     *self);

/* Internal state, for the tests. */
const char *_vd_window_get_visible_page    (VdWindow     *self);
const char *_vd_window_get_list_page       (VdWindow     *self);
GListModel *_vd_window_get_items           (VdWindow     *self);
GtkWidget  *_vd_window_get_list_view       (VdWindow     *self);
GtkWidget  *_vd_window_get_detail          (VdWindow     *self);
GtkWidget  *_vd_window_get_search_entry    (VdWindow     *self);
GtkWidget  *_vd_window_get_approve_button  (VdWindow     *self);
const char *_vd_window_get_counts_text     (VdWindow     *self);
const char *_vd_window_get_reviewer_text   (VdWindow     *self);
VdItem     *_vd_window_get_shown_item      (VdWindow     *self);
guint       _vd_window_get_n_session_decisions (VdWindow *self);
gboolean    _vd_window_get_busy            (VdWindow     *self);
void        _vd_window_set_status_filter   (VdWindow     *self,
                                            VdStatusFilter filter);
void        _vd_window_set_reason_filter   (VdWindow     *self,
                                            int           reason);

G_END_DECLS
