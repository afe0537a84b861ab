/* vd-window-claims.c: claims on the items a reviewer opens
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

#include "vd-item-row.h"
#include "vd-window-private.h"

/*
 * The item shown is claimed for the policy's claim_minutes as soon as it
 * is shown, and the claim renewed every third of that while it stays
 * shown; moving to another item or closing the window releases it, a
 * decision ends it in the store. While another reviewer's claim holds,
 * the pane says who has the item and until when, nothing can be decided,
 * and the claim is tried again at each renewal. Every store call runs on
 * a worker thread; a claim granted after the window moved on (or closed)
 * is released at once.
 *
 * The queue pane tags the rows of items other reviewers hold, from a list
 * of claims read whenever the counts are refreshed.
 */

typedef struct
{
  GWeakRef  window;
  gint64    item_id;
  char     *reviewer_id;
} ClaimRequest;

static void
claim_request_free (ClaimRequest *request)
{
  g_weak_ref_clear (&request->window);
  g_free (request->reviewer_id);
  g_free (request);
}

static guint
lease_seconds (VdWindow *self)
{
  VdPolicy *policy = vd_session_get_policy (self->session);
  guint minutes = policy != NULL ? vd_policy_get_claim_minutes (policy)
                                 : VD_POLICY_DEFAULT_CLAIM_MINUTES;

  return minutes * 60;
}

static void
set_note (VdWindow      *self,
          const VdClaim *holder)
{
  g_autofree char *until = NULL;
  g_autofree char *note = NULL;

  if (holder == NULL)
    {
      vd_item_detail_set_claim_note (self->detail, NULL);
      return;
    }

  until = vd_claim_format_expiry (holder);
  /* Translators: the first %s is a reviewer id, the second a time of day */
  note = g_strdup_printf (_("%s is reviewing this item until %s"), holder->reviewer_id, until);
  vd_item_detail_set_claim_note (self->detail, note);
}

static void
stop_renewing (VdWindow *self)
{
  g_clear_handle_id (&self->claim_renew_source, g_source_remove);
}

static void claim_now (VdWindow *self);

static void
claim_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  VdStore *store = VD_STORE (source);
  ClaimRequest *request = user_data;
  g_autoptr(VdWindow) self = g_weak_ref_get (&request->window);
  g_autoptr(VdClaim) claim = NULL;
  g_autoptr(GError) error = NULL;
  gboolean held;

  held = vd_store_claim_item_finish (store, result, &claim, &error);

  if (self == NULL || _vd_window_is_disposed (self) || self->claim_item_id != request->item_id ||
      g_strcmp0 (self->claim_reviewer_id, request->reviewer_id) != 0)
    {
      /* The window moved on while the claim was on its way. */
      if (held)
        vd_store_release_claim_async (store, request->item_id, request->reviewer_id, NULL, NULL,
                                      NULL);
      claim_request_free (request);
      return;
    }

  self->claimed_elsewhere = FALSE;
  if (held)
    set_note (self, NULL);
  else if (g_error_matches (error, VD_STORE_ERROR, VD_STORE_ERROR_CLAIMED))
    {
      self->claimed_elsewhere = TRUE;
      set_note (self, claim);
      _vd_window_refresh_claims (self);
    }
  else
    {
      set_note (self, NULL);
      /* Decided meanwhile, gone, or a store without claims: nothing to
       * renew. A passing failure (a busy database, a lost connection) is
       * tried again. */
      if (!vd_session_report_error (self->session, error) &&
          !g_error_matches (error, VD_STORE_ERROR, VD_STORE_ERROR_FAILED))
        stop_renewing (self);
      g_debug ("Could not claim item %" G_GINT64_FORMAT ": %s", request->item_id,
               error->message);
    }

  claim_request_free (request);
  _vd_window_update_actions (self);
}

static gboolean
renew_cb (gpointer user_data)
{
  VdWindow *self = user_data;

  claim_now (self);
  _vd_window_refresh_claims (self);

  return G_SOURCE_CONTINUE;
}

static void
claim_now (VdWindow *self)
{
  VdStore *store = vd_session_get_store (self->session);
  const char *reviewer_id = self->claim_reviewer_id;
  ClaimRequest *request;

  if (store == NULL || reviewer_id == NULL || self->claim_item_id == 0)
    return;

  request = g_new0 (ClaimRequest, 1);
  g_weak_ref_init (&request->window, self);
  request->item_id = self->claim_item_id;
  request->reviewer_id = g_strdup (reviewer_id);

  /* Not cancelled with the window: a claim granted late is released. */
  vd_store_claim_item_async (store, request->item_id, reviewer_id, lease_seconds (self), NULL,
                             claim_done_cb, request);
}

/* Lets go of the item this window claims, if any. */
static void
release_current (VdWindow *self)
{
  VdStore *store = vd_session_get_store (self->session);

  stop_renewing (self);
  if (self->claim_item_id != 0 && store != NULL && self->claim_reviewer_id != NULL)
    vd_store_release_claim_async (store, self->claim_item_id, self->claim_reviewer_id, NULL,
                                  NULL, NULL);

  self->claim_item_id = 0;
  g_clear_pointer (&self->claim_reviewer_id, g_free);
  self->claimed_elsewhere = FALSE;
  set_note (self, NULL);
}

static void
start_claim (VdWindow *self,
             gint64    item_id)
{
  const char *reviewer_id = vd_session_get_reviewer_id (self->session);
  guint lease = lease_seconds (self);

  /* Nobody signed in yet: nothing is claimed (nor decided). */
  if (reviewer_id == NULL || reviewer_id[0] == '\0')
    return;

  self->claim_item_id = item_id;
  self->claim_reviewer_id = g_strdup (reviewer_id);
  claim_now (self);
  self->claim_renew_source = g_timeout_add_seconds (MAX (1, lease / 3), renew_cb, self);
}

static void
item_shown_cb (VdWindow *self)
{
  VdItem *item = vd_item_detail_get_item (self->detail);
  gint64 item_id = item != NULL && vd_item_is_undecided (item) ? vd_item_get_id (item) : 0;

  if (_vd_window_is_disposed (self) || item_id == self->claim_item_id)
    return;

  release_current (self);
  if (item_id != 0)
    start_claim (self, item_id);
  _vd_window_update_actions (self);
}

static void
reviewer_changed_cb (VdWindow *self)
{
  /* The claim is the previous reviewer's: released in their name, then
   * made again in the new one's. */
  if (_vd_window_is_disposed (self))
    return;

  release_current (self);
  item_shown_cb (self);
}

/* The connection to the team server is back: the item shown is claimed
 * again (the lease may have run out meanwhile). */
void
_vd_window_reclaim (VdWindow *self)
{
  if (self->claim_item_id == 0)
    return;

  if (self->claim_renew_source == 0)
    {
      gint64 item_id = self->claim_item_id;

      g_clear_pointer (&self->claim_reviewer_id, g_free);
      self->claim_item_id = 0;
      start_claim (self, item_id);
    }
  else
    claim_now (self);
}

/* The queue pane's tags */

static void
update_row (VdWindow  *self,
            VdItemRow *row)
{
  VdItem *item = vd_item_row_get_item (row);
  const char *holder = NULL;

  if (item != NULL && self->claims != NULL)
    holder = g_hash_table_lookup (self->claims, &(gint64) { vd_item_get_id (item) });

  vd_item_row_set_claimed_by (row, holder);
}

static void
list_claims_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(VdWindow) self = user_data;
  g_autoptr(GPtrArray) claims = NULL;
  g_autoptr(GError) error = NULL;
  const char *reviewer_id;
  GHashTableIter iter;
  gpointer row;

  claims = vd_store_list_claims_finish (VD_STORE (source), result, &error);
  if (claims == NULL)
    {
      if (!_vd_window_error_is_cancelled (error))
        g_debug ("Could not list the claims: %s", error->message);
      return;
    }
  if (_vd_window_is_disposed (self))
    return;

  /* Only other reviewers' claims are tagged. */
  reviewer_id = vd_session_get_reviewer_id (self->session);
  g_hash_table_remove_all (self->claims);
  for (guint i = 0; i < claims->len; i++)
    {
      VdClaim *claim = g_ptr_array_index (claims, i);
      gint64 *key;

      if (g_strcmp0 (claim->reviewer_id, reviewer_id) == 0)
        continue;

      key = g_new (gint64, 1);
      *key = claim->item_id;
      g_hash_table_replace (self->claims, key, g_strdup (claim->reviewer_id));
    }

  g_hash_table_iter_init (&iter, self->bound_rows);
  while (g_hash_table_iter_next (&iter, &row, NULL))
    update_row (self, row);
}

/**
 * _vd_window_refresh_claims:
 *
 * Reads the unexpired claims again and tags the rows of items other
 * reviewers hold.
 */
void
_vd_window_refresh_claims (VdWindow *self)
{
  VdStore *store = vd_session_get_store (self->session);

  if (_vd_window_is_disposed (self) || store == NULL)
    return;

  vd_store_list_claims_async (store, NULL, self->cancellable, list_claims_cb,
                              g_object_ref (self));
}

void
_vd_window_claims_bind_row (VdWindow  *self,
                            VdItemRow *row)
{
  if (self->bound_rows == NULL)
    return;

  g_hash_table_add (self->bound_rows, row);
  update_row (self, row);
}

void
_vd_window_claims_unbind_row (VdWindow  *self,
                              VdItemRow *row)
{
  if (self->bound_rows != NULL)
    g_hash_table_remove (self->bound_rows, row);
  vd_item_row_set_claimed_by (row, NULL);
}

/* Whether another reviewer's claim keeps the item shown from being
 * decided. */
gboolean
_vd_window_is_claimed_elsewhere (VdWindow *self)
{
  return self->claimed_elsewhere;
}

void
_vd_window_init_claims (VdWindow *self)
{
  self->claims = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  self->bound_rows = g_hash_table_new (NULL, NULL);

  g_signal_connect_object (self->detail, "notify::item",
                           G_CALLBACK (item_shown_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::reviewer-id",
                           G_CALLBACK (reviewer_changed_cb), self, G_CONNECT_SWAPPED);
}

/* Closing the window lets go of its claim (best effort: the lease ends
 * it anyway). */
void
_vd_window_dispose_claims (VdWindow *self)
{
  if (self->session != NULL && self->claims != NULL)
    release_current (self);
  stop_renewing (self);
  g_clear_pointer (&self->claims, g_hash_table_unref);
  g_clear_pointer (&self->bound_rows, g_hash_table_unref);
}
