/* vd-session-private.h: what the split files of VdSession share
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

/* For vd-session*.c only. */

#pragma once

#include "vd-session.h"
#include "vd-team-settings.h"

G_BEGIN_DECLS

struct _VdSession
{
  GObject            parent_instance;

  GSettings         *settings;
  GCancellable      *cancellable;        /* cancelled at shutdown */
  gboolean           started;

  VdStore           *store;
  GError            *store_error;

  VdPolicy          *policy;
  GCancellable      *policy_cancellable; /* reading the configured policy file */
  char              *policy_error;

  char              *reviewer_id;
  gboolean           reviewer_from_env;

  VdLlmSettings     *llm_settings;
  VdWorkflow        *workflow;           /* once there is a store */
  GHashTable        *revision_failures;  /* row id -> message */

  VdDeadlineMonitor *monitor;            /* once there is a store */
  gboolean           background_held;    /* until the first screen is drawn */
  guint              background_timeout;
  VdDecisionLog     *decisions;          /* once there is a store */
  VdImportQueue     *imports;

  /* Signing (vd-session-signing.c): the keystore, the reviewer's key
   * while it is unlocked, and whether the windows ask to sign in. */
  VdKeystore        *keystore;
  VdKey             *key;                /* unlocked, or NULL */
  VdSigningState     signing_state;
  gboolean           needs_sign_in;
  gboolean           locked;             /* signed in, then locked */
  gboolean           sign_in_decided;    /* signed in or continued without */

  /* The team server (vd-session-connection.c): what the store is on (or
   * NULL for a local file), whether its connection is lost, and the
   * retries with backoff while it is. */
  VdTeamSettings    *team_settings;
  char              *team_server;        /* "database on host", or NULL */
  char              *team_reviewer;      /* the database role, once open */
  gboolean           disconnected;
  gboolean           reconnecting;       /* a retry on its way */
  char              *connection_error;
  guint              retry_source;
  guint              retry_step;
  GCancellable      *connection_cancellable;
};

enum {
  PROP_0,
  PROP_SETTINGS,
  PROP_STORE,
  PROP_STORE_ERROR,
  PROP_POLICY,
  PROP_POLICY_LOADING,
  PROP_POLICY_ERROR,
  PROP_REVIEWER_ID,
  PROP_REVIEWER_FROM_ENV,
  PROP_LLM_SETTINGS,
  PROP_WORKFLOW,
  PROP_HAS_AGENT,
  PROP_DEADLINE_MONITOR,
  PROP_IMPORT_QUEUE,
  PROP_DECISION_LOG,
  PROP_SIGNING_STATE,
  PROP_SIGNING_KEY,
  PROP_NEEDS_SIGN_IN,
  PROP_LOCKED,
  PROP_TEAM_SERVER,
  PROP_DISCONNECTED,
  PROP_RECONNECTING,
  PROP_CONNECTION_ERROR,
  N_PROPS
};

void _vd_session_notify              (VdSession *self,
                                      guint      prop_id);
void _vd_session_take_reviewer_id    (VdSession *self,
                                      char      *reviewer_id);

/* vd-session-signing.c */
void _vd_session_init_signing        (VdSession *self);
void _vd_session_dispose_signing     (VdSession *self);
void _vd_session_update_signing      (VdSession *self);
void _vd_session_apply_signer        (VdSession *self);
void _vd_session_class_init_signing  (GObjectClass *object_class,
                                      GParamSpec  **properties);

/* vd-session-connection.c */
void _vd_session_init_connection     (VdSession *self);
void _vd_session_dispose_connection  (VdSession *self);
void _vd_session_store_changed_connection (VdSession *self);
gboolean _vd_session_get_connection_property (VdSession *self,
                                              guint      prop_id,
                                              GValue    *value);
void _vd_session_class_init_connection (GObjectClass *object_class,
                                        GParamSpec  **properties);

G_END_DECLS
