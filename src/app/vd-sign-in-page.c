/* vd-sign-in-page.c: unlock the reviewer's signing key
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

/*
 * The page the window shows over its content while the session needs a
 * sign-in: at start when the reviewer has a key, and after a lock. The
 * reviewer picks a profile (the reviewers with a key in the keystore),
 * types the passphrase and signs in; or unlocks from the keyring when the
 * passphrase is kept there; or goes on without signing. A wrong
 * passphrase is said inline, and the entry keeps the focus.
 */

#define G_LOG_DOMAIN "vd-sign-in-page"

#include "config.h"

#include <glib/gi18n.h>

#include "vd-sign-in-page.h"

struct _VdSignInPage
{
  AdwBin              parent_instance;

  /* Template widgets */
  AdwWindowTitle     *window_title;
  AdwStatusPage      *status_page;
  AdwComboRow        *profile_row;
  GtkStringList      *profiles;
  AdwEntryRow        *passphrase_row;
  GtkLabel           *error_label;
  GtkWidget          *sign_in_button;
  GtkWidget          *keyring_button;
  GtkWidget          *unsigned_button;
  GtkSpinner         *spinner;

  VdSession          *session;
  GCancellable       *cancellable;
  gboolean            busy;
};

G_DEFINE_FINAL_TYPE (VdSignInPage, vd_sign_in_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_SESSION,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
vd_sign_in_page_set_busy (VdSignInPage *self,
                          gboolean      busy)
{
  if (self->busy == busy)
    return;

  self->busy = busy;
  gtk_widget_set_sensitive (self->sign_in_button, !busy);
  gtk_widget_set_sensitive (self->keyring_button, !busy);
  gtk_widget_set_sensitive (self->unsigned_button, !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->profile_row), !busy);
  gtk_editable_set_editable (GTK_EDITABLE (self->passphrase_row), !busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
vd_sign_in_page_set_error (VdSignInPage *self,
                           const char   *message)
{
  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

/* The profile chosen, or NULL without one. */
static const char *
vd_sign_in_page_get_profile (VdSignInPage *self)
{
  guint selected = adw_combo_row_get_selected (self->profile_row);

  if (selected == GTK_INVALID_LIST_POSITION)
    return NULL;

  return gtk_string_list_get_string (self->profiles, selected);
}

static void
vd_sign_in_page_update_text (VdSignInPage *self)
{
  const char *reviewer_id = vd_sign_in_page_get_profile (self);
  g_autofree char *description = NULL;
  gboolean locked = vd_session_get_locked (self->session);

  if (locked)
    {
      adw_status_page_set_title (self->status_page, _("Locked"));
      adw_status_page_set_icon_name (self->status_page, "system-lock-screen-symbolic");
      adw_window_title_set_title (self->window_title, _("Locked"));
    }
  else
    {
      adw_status_page_set_title (self->status_page, _("Sign In"));
      adw_status_page_set_icon_name (self->status_page, "dialog-password-symbolic");
      adw_window_title_set_title (self->window_title, _("Verdict"));
    }

  /* The status page's description is markup; reviewer ids are data. */
  if (locked && reviewer_id != NULL)
    /* Translators: %s is the reviewer id */
    description = g_markup_printf_escaped (_("The signing key of %s was locked. Enter its "
                                             "passphrase to go on where you left off."),
                                           reviewer_id);
  else
    description = g_markup_escape_text (_("Your decisions are signed with your key, so that "
                                          "anyone can check who approved what."), -1);
  adw_status_page_set_description (self->status_page, description);

  gtk_widget_set_visible (self->keyring_button,
                          vd_session_get_settings (self->session) != NULL &&
                          g_settings_get_boolean (vd_session_get_settings (self->session),
                                                  "remember-passphrase"));
}

/**
 * vd_sign_in_page_reset:
 * @self: a #VdSignInPage
 *
 * Reads the profiles again, chooses the session's reviewer, empties the
 * passphrase and the error, and focuses the passphrase.
 */
void
vd_sign_in_page_reset (VdSignInPage *self)
{
  g_autoptr(GPtrArray) profiles = NULL;
  const char *reviewer_id;
  guint selected = 0;

  g_return_if_fail (VD_IS_SIGN_IN_PAGE (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  vd_sign_in_page_set_busy (self, FALSE);

  profiles = vd_session_list_profiles (self->session);
  reviewer_id = vd_session_get_reviewer_id (self->session);
  g_ptr_array_add (profiles, NULL);
  gtk_string_list_splice (self->profiles, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->profiles)),
                          (const char * const *) profiles->pdata);

  for (guint i = 0; i + 1 < profiles->len; i++)
    if (g_strcmp0 (profiles->pdata[i], reviewer_id) == 0)
      selected = i;
  adw_combo_row_set_selected (self->profile_row, selected);

  gtk_editable_set_text (GTK_EDITABLE (self->passphrase_row), "");
  vd_sign_in_page_set_error (self, NULL);
  vd_sign_in_page_update_text (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->passphrase_row));
}

static void
sign_in_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(VdSignInPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (vd_session_sign_in_finish (VD_SESSION (object), result, &error))
    {
      vd_sign_in_page_set_busy (self, FALSE);
      gtk_editable_set_text (GTK_EDITABLE (self->passphrase_row), "");
      vd_sign_in_page_set_error (self, NULL);
      return;
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  vd_sign_in_page_set_busy (self, FALSE);

  if (g_error_matches (error, VD_KEY_ERROR, VD_KEY_ERROR_PASSPHRASE))
    vd_sign_in_page_set_error (self, _("Wrong passphrase. Try again."));
  else
    vd_sign_in_page_set_error (self, error->message);

  /* The reviewer types again at once. */
  gtk_widget_grab_focus (GTK_WIDGET (self->passphrase_row));
  gtk_editable_select_region (GTK_EDITABLE (self->passphrase_row), 0, -1);
}

static void
vd_sign_in_page_start (VdSignInPage *self,
                       gboolean      from_keyring)
{
  const char *reviewer_id = vd_sign_in_page_get_profile (self);
  const char *passphrase = gtk_editable_get_text (GTK_EDITABLE (self->passphrase_row));

  if (self->busy)
    return;

  if (reviewer_id == NULL)
    {
      vd_sign_in_page_set_error (self, _("No signing key: create one in Preferences."));
      return;
    }

  if (!from_keyring && passphrase[0] == '\0')
    {
      vd_sign_in_page_set_error (self, _("Enter the passphrase of your signing key."));
      gtk_widget_grab_focus (GTK_WIDGET (self->passphrase_row));
      return;
    }

  vd_sign_in_page_set_error (self, NULL);
  vd_sign_in_page_set_busy (self, TRUE);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  if (from_keyring)
    vd_session_sign_in_from_keyring_async (self->session, reviewer_id, self->cancellable,
                                           sign_in_cb, g_object_ref (self));
  else
    vd_session_sign_in_async (self->session, reviewer_id, passphrase, self->cancellable,
                              sign_in_cb, g_object_ref (self));
}

static void
sign_in_clicked_cb (VdSignInPage *self)
{
  vd_sign_in_page_start (self, FALSE);
}

static void
keyring_clicked_cb (VdSignInPage *self)
{
  vd_sign_in_page_start (self, TRUE);
}

static void
unsigned_clicked_cb (VdSignInPage *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->passphrase_row), "");
  vd_session_continue_unsigned (self->session);
}

static void
profile_changed_cb (VdSignInPage *self)
{
  vd_sign_in_page_set_error (self, NULL);
  vd_sign_in_page_update_text (self);
}

static void
vd_sign_in_page_constructed (GObject *object)
{
  VdSignInPage *self = (VdSignInPage *)object;

  G_OBJECT_CLASS (vd_sign_in_page_parent_class)->constructed (object);

  g_assert (VD_IS_SESSION (self->session));

  g_signal_connect_object (self->session, "notify::locked",
                           G_CALLBACK (vd_sign_in_page_update_text), self, G_CONNECT_SWAPPED);
  vd_sign_in_page_reset (self);
}

static void
vd_sign_in_page_dispose (GObject *object)
{
  VdSignInPage *self = (VdSignInPage *)object;

  g_cancellable_cancel (self->cancellable);

  G_OBJECT_CLASS (vd_sign_in_page_parent_class)->dispose (object);
}

static void
vd_sign_in_page_finalize (GObject *object)
{
  VdSignInPage *self = (VdSignInPage *)object;

  g_clear_object (&self->cancellable);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (vd_sign_in_page_parent_class)->finalize (object);
}

static void
vd_sign_in_page_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  VdSignInPage *self = VD_SIGN_IN_PAGE (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;

    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vd_sign_in_page_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  VdSignInPage *self = VD_SIGN_IN_PAGE (object);

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
vd_sign_in_page_class_init (VdSignInPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = vd_sign_in_page_constructed;
  object_class->dispose = vd_sign_in_page_dispose;
  object_class->finalize = vd_sign_in_page_finalize;
  object_class->get_property = vd_sign_in_page_get_property;
  object_class->set_property = vd_sign_in_page_set_property;

  /**
   * VdSignInPage:session:
   *
   * The session whose reviewer signs in.
   */
  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL,
                         VD_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * VdSignInPage:busy:
   *
   * Whether a key is being unlocked.
   */
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/verdict/Verdict/vd-sign-in-page.ui");
  gtk_widget_class_bind_template_child (widget_class, VdSignInPage, window_title);
  gtk_widget_class_bind_template_child (widget_class, VdSignInPage, status_page);
  gtk_widget_class_bind_template_child (widget_class, VdSignInPage, profile_row);
  gtk_widget_class_bind_template_child (widget_class, VdSignInPage, profiles);
  gtk_widget_class_bind_template_child (widget_class, VdSignInPage, passphrase_row);
  gtk_widget_class_bind_template_child (widget_class, VdSignInPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, VdSignInPage, sign_in_button);
  gtk_widget_class_bind_template_child (widget_class, VdSignInPage, keyring_button);
  gtk_widget_class_bind_template_child (widget_class, VdSignInPage, unsigned_button);
  gtk_widget_class_bind_template_child (widget_class, VdSignInPage, spinner);
}

static void
vd_sign_in_page_init (VdSignInPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect_swapped (self->sign_in_button, "clicked",
                            G_CALLBACK (sign_in_clicked_cb), self);
  g_signal_connect_swapped (self->passphrase_row, "entry-activated",
                            G_CALLBACK (sign_in_clicked_cb), self);
  g_signal_connect_swapped (self->keyring_button, "clicked",
                            G_CALLBACK (keyring_clicked_cb), self);
  g_signal_connect_swapped (self->unsigned_button, "clicked",
                            G_CALLBACK (unsigned_clicked_cb), self);
  g_signal_connect_swapped (self->profile_row, "notify::selected",
                            G_CALLBACK (profile_changed_cb), self);
}

/**
 * vd_sign_in_page_new:
 * @session: the session whose reviewer signs in
 *
 * Returns: (transfer full): a new #VdSignInPage
 */
VdSignInPage *
vd_sign_in_page_new (VdSession *session)
{
  g_return_val_if_fail (VD_IS_SESSION (session), NULL);

  return g_object_new (VD_TYPE_SIGN_IN_PAGE, "session", session, NULL);
}

gboolean
vd_sign_in_page_get_busy (VdSignInPage *self)
{
  g_return_val_if_fail (VD_IS_SIGN_IN_PAGE (self), FALSE);

  return self->busy;
}

/**
 * vd_sign_in_page_get_error:
 * @self: a #VdSignInPage
 *
 * Returns: (nullable): the error the page shows
 */
const char *
vd_sign_in_page_get_error (VdSignInPage *self)
{
  g_return_val_if_fail (VD_IS_SIGN_IN_PAGE (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->error_label)))
    return NULL;

  return gtk_label_get_text (self->error_label);
}
