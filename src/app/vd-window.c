/* vd-window.c
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

#define G_LOG_DOMAIN "vd-window"

#include "config.h"

#include <glib/gi18n.h>

#include "vd-application.h"
#include "vd-item-row.h"
#include "vd-window-private.h"

struct _VdWindow
{
  AdwApplicationWindow  parent_instance;

  /* Template widgets */
  AdwWindowTitle       *window_title;
  GtkRevealer          *progress_revealer;
  GtkLabel             *progress_label;
  GtkProgressBar       *progress_bar;
  AdwToastOverlay      *toast_overlay;
  GtkStack             *stack;
  AdwStatusPage        *error_page;
  AdwStatusPage        *empty_page;
  GtkListView          *list_view;
  GtkLabel             *capped_label;

  GListStore           *items;
  GtkSingleSelection   *selection;
  GSettings            *settings;

  VdStore              *store;
  VdPolicy             *policy;
  gboolean              store_failed;
  gboolean              disposed;

  GCancellable         *reload_cancellable;

  /* The running import, if any, and the ones waiting for it. */
  VdImporter           *importer;
  GCancellable         *import_cancellable;
  GPtrArray            *import_files;
  GQueue                queued_imports;
};

G_DEFINE_FINAL_TYPE (VdWindow, vd_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_STORE,
  PROP_POLICY,
  PROP_IMPORTING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* One reload of the list: the counts, then the ids, then the items. */
typedef struct
{
  VdWindow     *self;
  VdStore      *store;
  GCancellable *cancellable;
  VdItemQuery   query;
  GArray       *ids;
  guint64       pending;
  guint64       total;
} Reload;

static void
reload_free (Reload *reload)
{
  g_clear_object (&reload->self);
  g_clear_object (&reload->store);
  g_clear_object (&reload->cancellable);
  g_clear_pointer (&reload->ids, g_array_unref);
  g_free (reload);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Reload, reload_free)

/* Files to import together, and the policy for them (NULL: the window's). */
typedef struct
{
  GPtrArray *files;
  VdPolicy  *policy;
} ImportRequest;

static void
import_request_free (ImportRequest *request)
{
  g_clear_pointer (&request->files, g_ptr_array_unref);
  g_clear_object (&request->policy);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ImportRequest, import_request_free)

static gboolean
error_is_cancelled (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
         g_error_matches (error, VD_STORE_ERROR, VD_STORE_ERROR_CANCELLED);
}

static void
vd_window_update_actions (VdWindow *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.cancel-import", self->importer != NULL);
}

static void
vd_window_show_reload_error (VdWindow     *self,
                             const GError *error)
{
  g_autofree char *escaped = g_markup_escape_text (error->message, -1);

  /* The status page description is markup; the message may quote file data. */
  adw_status_page_set_title (self->error_page, _("Cannot Read the Review Database"));
  adw_status_page_set_description (self->error_page, escaped);
  gtk_stack_set_visible_child_name (self->stack, "error");
}

static void
vd_window_apply_reload (VdWindow  *self,
                        Reload    *reload,
                        GPtrArray *items)
{
  g_autoptr(GHashTable) by_id = NULL;
  g_autoptr(GPtrArray) ordered = NULL;
  g_autofree char *subtitle = NULL;
  guint n_old;

  /* Keep the order of the id listing, whatever order the items came in. */
  by_id = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  for (guint i = 0; i < items->len; i++)
    {
      VdItem *item = g_ptr_array_index (items, i);
      gint64 *key = g_new (gint64, 1);

      *key = vd_item_get_id (item);
      g_hash_table_insert (by_id, key, item);
    }

  ordered = g_ptr_array_new_full (reload->ids->len, NULL);
  for (guint i = 0; i < reload->ids->len; i++)
    {
      VdItem *item = g_hash_table_lookup (by_id, &g_array_index (reload->ids, gint64, i));

      if (item != NULL)
        g_ptr_array_add (ordered, item);
    }

  n_old = g_list_model_get_n_items (G_LIST_MODEL (self->items));
  g_list_store_splice (self->items, 0, n_old, ordered->pdata, ordered->len);

  if (reload->total > 0)
    /* Translators: the counts in the header bar, e.g. "37 pending of 120" */
    subtitle = g_strdup_printf (_("%u pending of %u"),
                                (guint) reload->pending, (guint) reload->total);
  adw_window_title_set_subtitle (self->window_title, subtitle != NULL ? subtitle : "");

  if (reload->pending > ordered->len)
    {
      g_autofree char *capped = NULL;

      /* Translators: shown below a list cut short, e.g. "Showing 500 of 1200" */
      capped = g_strdup_printf (_("Showing %u of %u"), ordered->len, (guint) reload->pending);
      gtk_label_set_text (self->capped_label, capped);
      gtk_widget_set_visible (GTK_WIDGET (self->capped_label), TRUE);
    }
  else
    {
      gtk_label_set_text (self->capped_label, "");
      gtk_widget_set_visible (GTK_WIDGET (self->capped_label), FALSE);
    }

  if (ordered->len > 0)
    {
      gtk_stack_set_visible_child_name (self->stack, "list");
      return;
    }

  if (reload->total == 0)
    adw_status_page_set_description (self->empty_page,
                                     _("Import a queue exported by your agents, "
                                       "or try Verdict with the sample queue."));
  else
    adw_status_page_set_description (self->empty_page,
                                     _("Every item in the review database has been decided. "
                                       "Import another queue to continue."));
  gtk_stack_set_visible_child_name (self->stack, "empty");
}

static void
get_items_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(Reload) reload = user_data;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;

  items = vd_store_get_items_by_id_finish (VD_STORE (object), result, &error);

  if (g_cancellable_is_cancelled (reload->cancellable))
    return;

  if (items == NULL)
    {
      if (!error_is_cancelled (error))
        vd_window_show_reload_error (reload->self, error);
      return;
    }

  vd_window_apply_reload (reload->self, reload, items);
}

static void
list_ids_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(Reload) reload = user_data;
  g_autoptr(GError) error = NULL;

  reload->ids = vd_store_list_ids_finish (VD_STORE (object), result, &error);

  if (g_cancellable_is_cancelled (reload->cancellable))
    return;

  if (reload->ids == NULL)
    {
      if (!error_is_cancelled (error))
        vd_window_show_reload_error (reload->self, error);
      return;
    }

  if (reload->ids->len == 0)
    {
      g_autoptr(GPtrArray) none = g_ptr_array_new ();

      vd_window_apply_reload (reload->self, reload, none);
      return;
    }

  vd_store_get_items_by_id_async (reload->store,
                                  (const gint64 *) (gpointer) reload->ids->data,
                                  reload->ids->len,
                                  reload->cancellable,
                                  get_items_cb,
                                  reload);
  reload = NULL;
}

static void
count_items_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  VdStore *store = source_object;
  VdItemQuery all = VD_ITEM_QUERY_INIT;
  VdItemQuery undecided = VD_ITEM_QUERY_INIT;
  g_autofree guint64 *counts = g_new0 (guint64, 2);
  GError *error = NULL;

  undecided.statuses = VD_STATUS_MASK_UNDECIDED;

  if (!vd_store_count_items (store, &undecided, &counts[0], &error) ||
      !vd_store_count_items (store, &all, &counts[1], &error))
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&counts), g_free);
}

static void
count_items_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(Reload) reload = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree guint64 *counts = NULL;

  counts = g_task_propagate_pointer (G_TASK (result), &error);

  if (g_cancellable_is_cancelled (reload->cancellable))
    return;

  if (counts == NULL)
    {
      if (!error_is_cancelled (error))
        vd_window_show_reload_error (reload->self, error);
      return;
    }

  reload->pending = counts[0];
  reload->total = counts[1];

  vd_store_list_ids_async (reload->store,
                           &reload->query,
                           reload->cancellable,
                           list_ids_cb,
                           reload);
  reload = NULL;
}

/**
 * vd_window_reload:
 * @self: a #VdWindow
 *
 * Reads the counts and the undecided items, lowest confidence first, from
 * the store again. The work runs on worker threads; a newer reload
 * supersedes a running one.
 */
void
vd_window_reload (VdWindow *self)
{
  g_autoptr(GTask) task = NULL;
  Reload *reload;

  g_return_if_fail (VD_IS_WINDOW (self));

  g_cancellable_cancel (self->reload_cancellable);
  g_clear_object (&self->reload_cancellable);

  if (self->store == NULL)
    return;

  self->reload_cancellable = g_cancellable_new ();

  reload = g_new0 (Reload, 1);
  reload->self = g_object_ref (self);
  reload->store = g_object_ref (self->store);
  reload->cancellable = g_object_ref (self->reload_cancellable);
  reload->query = (VdItemQuery) VD_ITEM_QUERY_INIT;
  reload->query.statuses = VD_STATUS_MASK_UNDECIDED;
  reload->query.sort = VD_SORT_ORDER_CONFIDENCE;
  reload->query.limit = VD_WINDOW_MAX_ITEMS;

  task = g_task_new (self->store, self->reload_cancellable, count_items_cb, reload);
  g_task_set_source_tag (task, vd_window_reload);
  g_task_run_in_thread (task, count_items_thread);
}

static void
import_progress_cb (VdWindow   *self,
                    double      fraction,
                    VdImporter *importer)
{
  if (self->disposed || importer != self->importer)
    return;

  gtk_progress_bar_set_fraction (self->progress_bar, CLAMP (fraction, 0.0, 1.0));
}

static void
import_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    gpointer          user_data)
{
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
vd_window_show_import_error (VdWindow     *self,
                             const GError *error)
{
  GtkWidget *dialog;

  /* The body is plain text: the message quotes the file's content. */
  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Import Failed"), NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog), "%s\n\n%s",
                                  error->message,
                                  _("Nothing was imported. Correct the file and import it again."));
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "close");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "close");
  g_signal_connect (dialog, "response", G_CALLBACK (import_response_cb), NULL);
  gtk_window_present (GTK_WINDOW (dialog));
}

static char *
format_import_result (const VdImportResult *result)
{
  if (result->revised > 0)
    /* Translators: the result of an import, e.g.
     * "48 imported, 2 revised, 0 skipped, 10 auto-approved" */
    return g_strdup_printf (_("%u imported, %u revised, %u skipped, %u auto-approved"),
                            result->imported, result->revised, result->skipped,
                            result->auto_approved);

  /* Translators: the result of an import, e.g. "48 imported, 0 skipped, 10 auto-approved" */
  return g_strdup_printf (_("%u imported, %u skipped, %u auto-approved"),
                          result->imported, result->skipped, result->auto_approved);
}

static void vd_window_start_import (VdWindow *self);

static void
import_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(VdWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  VdImporter *importer = VD_IMPORTER (object);
  VdImportResult import_result = { 0 };

  vd_importer_import_finish (importer, result, &import_result, &error);

  g_signal_handlers_disconnect_by_func (importer, import_progress_cb, self);
  g_clear_object (&self->importer);
  g_clear_object (&self->import_cancellable);
  g_clear_pointer (&self->import_files, g_ptr_array_unref);

  if (self->disposed)
    return;

  if (error == NULL)
    {
      g_autofree char *message = format_import_result (&import_result);

      vd_window_show_message (self, message);
    }
  else if (error_is_cancelled (error))
    vd_window_show_message (self, _("Import cancelled; nothing was imported"));
  else
    vd_window_show_import_error (self, error);

  gtk_revealer_set_reveal_child (self->progress_revealer, FALSE);
  vd_window_update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IMPORTING]);

  vd_window_reload (self);
  vd_window_start_import (self);
}

static void
vd_window_start_import (VdWindow *self)
{
  g_autoptr(ImportRequest) request = NULL;
  g_autoptr(VdPolicy) default_policy = NULL;
  g_autofree char *label = NULL;
  VdPolicy *policy;

  if (self->importer != NULL || self->store == NULL || self->disposed)
    return;

  request = g_queue_pop_head (&self->queued_imports);
  if (request == NULL)
    return;

  self->import_files = g_steal_pointer (&request->files);

  policy = request->policy != NULL ? request->policy : self->policy;
  if (policy == NULL)
    policy = default_policy = vd_policy_new ();

  self->importer = vd_importer_new (self->store, policy);
  self->import_cancellable = g_cancellable_new ();
  g_signal_connect_object (self->importer, "progress",
                           G_CALLBACK (import_progress_cb), self,
                           G_CONNECT_SWAPPED);

  if (self->import_files->len == 1)
    {
      g_autofree char *name = g_file_get_basename (g_ptr_array_index (self->import_files, 0));

      /* Translators: %s is a file name */
      label = g_strdup_printf (_("Importing %s…"), name);
    }
  else
    {
      label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "Importing %u file…",
                                            "Importing %u files…",
                                            self->import_files->len),
                               self->import_files->len);
    }

  gtk_label_set_text (self->progress_label, label);
  gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
  gtk_revealer_set_reveal_child (self->progress_revealer, TRUE);
  vd_window_update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IMPORTING]);

  vd_importer_import_async (self->importer,
                            (GFile **) self->import_files->pdata,
                            self->import_files->len,
                            self->import_cancellable,
                            import_cb,
                            g_object_ref (self));
}

static void
cancel_import_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  VdWindow *self = VD_WINDOW (widget);

  g_cancellable_cancel (self->import_cancellable);
}

static void
vd_window_constructed (GObject *object)
{
  VdWindow *self = (VdWindow *)object;

  G_OBJECT_CLASS (vd_window_parent_class)->constructed (object);

  self->settings = vd_application_new_settings ();
  if (self->settings != NULL)
    {
      g_settings_bind (self->settings, "window-width",
                       self, "default-width", G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (self->settings, "window-height",
                       self, "default-height", G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (self->settings, "window-maximized",
                       self, "maximized", G_SETTINGS_BIND_DEFAULT);
    }
}

static void
vd_window_dispose (GObject *object)
{
  VdWindow *self = (VdWindow *)object;

  self->disposed = TRUE;
  g_cancellable_cancel (self->reload_cancellable);
  g_cancellable_cancel (self->import_cancellable);

  if (self->settings != NULL)
    g_settings_unbind (self, "default-width");
  if (self->settings != NULL)
    g_settings_unbind (self, "default-height");
  if (self->settings != NULL)
    g_settings_unbind (self, "maximized");

  if (self->list_view != NULL)
    gtk_list_view_set_model (self->list_view, NULL);

  gtk_widget_dispose_template (GTK_WIDGET (self), VD_TYPE_WINDOW);

  g_clear_object (&self->selection);
  g_clear_object (&self->items);
  g_clear_object (&self->settings);
  g_clear_object (&self->reload_cancellable);
  g_clear_object (&self->store);
  g_clear_object (&self->policy);
  g_queue_clear_full (&self->queued_imports, (GDestroyNotify) import_request_free);

  G_OBJECT_CLASS (vd_window_parent_class)->dispose (object);
}

static void
vd_window_finalize (GObject *object)
{
  VdWindow *self = (VdWindow *)object;

  g_assert (self->importer == NULL);

  g_clear_object (&self->import_cancellable);
  g_clear_pointer (&self->import_files, g_ptr_array_unref);

  G_OBJECT_CLASS (vd_window_parent_class)->finalize (object);
}

static void
vd_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  VdWindow *self = VD_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_POLICY:
      g_value_set_object (value, self->policy);
      break;

    case PROP_IMPORTING:
      g_value_set_boolean (value, vd_window_get_importing (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vd_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  VdWindow *self = VD_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      vd_window_set_store (self, g_value_get_object (value));
      break;

    case PROP_POLICY:
      vd_window_set_policy (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vd_window_class_init (VdWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = vd_window_constructed;
  object_class->dispose = vd_window_dispose;
  object_class->finalize = vd_window_finalize;
  object_class->get_property = vd_window_get_property;
  object_class->set_property = vd_window_set_property;

  /**
   * VdWindow:store: (nullable)
   *
   * The review database the window shows.
   */
  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         VD_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * VdWindow:policy: (nullable)
   *
   * The escalation policy applied to imported items; the built-in
   * default when %NULL.
   */
  properties[PROP_POLICY] =
    g_param_spec_object ("policy", NULL, NULL,
                         VD_TYPE_POLICY,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * VdWindow:importing:
   *
   * Whether an import is running.
   */
  properties[PROP_IMPORTING] =
    g_param_spec_boolean ("importing", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/verdict/Verdict/vd-window.ui");
  gtk_widget_class_bind_template_child (widget_class, VdWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, VdWindow, progress_revealer);
  gtk_widget_class_bind_template_child (widget_class, VdWindow, progress_label);
  gtk_widget_class_bind_template_child (widget_class, VdWindow, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, VdWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, VdWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, VdWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, VdWindow, empty_page);
  gtk_widget_class_bind_template_child (widget_class, VdWindow, list_view);
  gtk_widget_class_bind_template_child (widget_class, VdWindow, capped_label);

  gtk_widget_class_install_action (widget_class, "win.cancel-import", NULL, cancel_import_action);

  g_type_ensure (VD_TYPE_ITEM);
  g_type_ensure (VD_TYPE_ITEM_ROW);
}

static void
vd_window_init (VdWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->items = g_list_store_new (VD_TYPE_ITEM);
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->items)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));

  if (g_strcmp0 (PROFILE, "development") == 0)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");

  gtk_stack_set_visible_child_name (self->stack, "loading");
  vd_window_update_actions (self);
}

/**
 * vd_window_new:
 * @application: (nullable): the application
 *
 * Creates a main window. It shows a loading page until it is given a store
 * with vd_window_set_store() or an error with vd_window_show_store_error().
 *
 * Returns: (transfer full): a new #VdWindow
 */
VdWindow *
vd_window_new (GtkApplication *application)
{
  g_return_val_if_fail (application == NULL || GTK_IS_APPLICATION (application), NULL);

  return g_object_new (VD_TYPE_WINDOW,
                       "application", application,
                       NULL);
}

/**
 * vd_window_get_store:
 * @self: a #VdWindow
 *
 * Returns: (transfer none) (nullable): the store shown
 */
VdStore *
vd_window_get_store (VdWindow *self)
{
  g_return_val_if_fail (VD_IS_WINDOW (self), NULL);

  return self->store;
}

/**
 * vd_window_set_store:
 * @self: a #VdWindow
 * @store: (nullable): the store to show
 *
 * Shows @store, and runs the imports that were waiting for one.
 */
void
vd_window_set_store (VdWindow *self,
                     VdStore  *store)
{
  g_return_if_fail (VD_IS_WINDOW (self));
  g_return_if_fail (store == NULL || VD_IS_STORE (store));

  if (!g_set_object (&self->store, store))
    return;

  self->store_failed = FALSE;
  g_list_store_remove_all (self->items);
  adw_window_title_set_subtitle (self->window_title, "");
  gtk_stack_set_visible_child_name (self->stack, "loading");

  vd_window_reload (self);
  vd_window_start_import (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}

/**
 * vd_window_get_policy:
 * @self: a #VdWindow
 *
 * Returns: (transfer none) (nullable): the policy for imports
 */
VdPolicy *
vd_window_get_policy (VdWindow *self)
{
  g_return_val_if_fail (VD_IS_WINDOW (self), NULL);

  return self->policy;
}

/**
 * vd_window_set_policy:
 * @self: a #VdWindow
 * @policy: (nullable): the escalation policy for imports
 *
 * Sets the policy applied to imported items that carry no escalation
 * reason; %NULL means the built-in default policy.
 */
void
vd_window_set_policy (VdWindow *self,
                      VdPolicy *policy)
{
  g_return_if_fail (VD_IS_WINDOW (self));
  g_return_if_fail (policy == NULL || VD_IS_POLICY (policy));

  if (g_set_object (&self->policy, policy))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POLICY]);
}

/**
 * vd_window_show_store_error:
 * @self: a #VdWindow
 * @error: why the store could not be opened
 *
 * Shows the error page with @error's message. Imports waiting for the
 * store are dropped.
 */
void
vd_window_show_store_error (VdWindow     *self,
                            const GError *error)
{
  g_autofree char *escaped = NULL;

  g_return_if_fail (VD_IS_WINDOW (self));
  g_return_if_fail (error != NULL);

  g_cancellable_cancel (self->reload_cancellable);
  g_clear_object (&self->store);
  self->store_failed = TRUE;
  g_queue_clear_full (&self->queued_imports, (GDestroyNotify) import_request_free);
  g_list_store_remove_all (self->items);
  adw_window_title_set_subtitle (self->window_title, "");

  escaped = g_markup_printf_escaped ("%s\n\n%s", error->message,
                                     _("Start Verdict with --db PATH to use another database."));
  adw_status_page_set_title (self->error_page, _("Cannot Open the Review Database"));
  adw_status_page_set_description (self->error_page, escaped);
  gtk_stack_set_visible_child_name (self->stack, "error");

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}

/**
 * vd_window_import_files:
 * @self: a #VdWindow
 * @files: (array length=n_files): queue files
 * @n_files: the number of files
 *
 * Imports @files into the store with the window's policy; see
 * vd_window_import_files_with_policy().
 */
void
vd_window_import_files (VdWindow  *self,
                        GFile    **files,
                        guint      n_files)
{
  vd_window_import_files_with_policy (self, files, n_files, NULL);
}

/**
 * vd_window_import_files_with_policy:
 * @self: a #VdWindow
 * @files: (array length=n_files): queue files
 * @n_files: the number of files
 * @policy: (nullable): the escalation policy, %NULL for the window's
 *
 * Imports @files into the store on a worker thread, showing the progress
 * and a Cancel button. The result is shown as a toast and the list is
 * reloaded; an error is shown in a dialog and leaves the store unchanged.
 * While the store is still opening or another import runs, the files wait.
 */
void
vd_window_import_files_with_policy (VdWindow  *self,
                                    GFile    **files,
                                    guint      n_files,
                                    VdPolicy  *policy)
{
  ImportRequest *request;

  g_return_if_fail (VD_IS_WINDOW (self));
  g_return_if_fail (files != NULL || n_files == 0);
  g_return_if_fail (policy == NULL || VD_IS_POLICY (policy));

  if (n_files == 0)
    return;

  if (self->store_failed)
    {
      vd_window_show_message (self, _("Cannot import: the review database is not open"));
      return;
    }

  request = g_new0 (ImportRequest, 1);
  request->files = g_ptr_array_new_full (n_files, g_object_unref);
  request->policy = policy != NULL ? g_object_ref (policy) : NULL;
  for (guint i = 0; i < n_files; i++)
    g_ptr_array_add (request->files, g_object_ref (files[i]));
  g_queue_push_tail (&self->queued_imports, request);

  vd_window_start_import (self);
}

/**
 * vd_window_get_importing:
 * @self: a #VdWindow
 *
 * Returns: whether an import is running
 */
gboolean
vd_window_get_importing (VdWindow *self)
{
  g_return_val_if_fail (VD_IS_WINDOW (self), FALSE);

  return self->importer != NULL;
}

/**
 * vd_window_show_message:
 * @self: a #VdWindow
 * @message: plain text
 *
 * Shows @message in a toast. It is never interpreted as markup.
 */
void
vd_window_show_message (VdWindow   *self,
                        const char *message)
{
  g_autofree char *escaped = NULL;
  AdwToast *toast;

  g_return_if_fail (VD_IS_WINDOW (self));
  g_return_if_fail (message != NULL);

  if (self->disposed)
    return;

  escaped = g_markup_escape_text (message, -1);
  toast = adw_toast_new (escaped);
  adw_toast_set_timeout (toast, 5);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

const char *
_vd_window_get_visible_page (VdWindow *self)
{
  g_return_val_if_fail (VD_IS_WINDOW (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

GListModel *
_vd_window_get_items (VdWindow *self)
{
  g_return_val_if_fail (VD_IS_WINDOW (self), NULL);

  return G_LIST_MODEL (self->items);
}

GtkWidget *
_vd_window_get_list_view (VdWindow *self)
{
  g_return_val_if_fail (VD_IS_WINDOW (self), NULL);

  return GTK_WIDGET (self->list_view);
}

const char *
_vd_window_get_subtitle (VdWindow *self)
{
  g_return_val_if_fail (VD_IS_WINDOW (self), NULL);

  return adw_window_title_get_subtitle (self->window_title);
}

const char *
_vd_window_get_capped_text (VdWindow *self)
{
  g_return_val_if_fail (VD_IS_WINDOW (self), NULL);

  return gtk_label_get_text (self->capped_label);
}
