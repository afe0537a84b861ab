/* vd-llm-client-private.h
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

#include <libsoup/soup.h>

#include "vd-llm-client.h"

G_BEGIN_DECLS

/* The longest pause between two attempts. */
#define VD_LLM_MAX_BACKOFF_MS 30000

struct _VdLlmClient
{
  GObject      parent_instance;

  SoupSession *session;

  char        *base_url;
  char        *model;
  char        *api_key;
  guint        connect_timeout;
  guint        idle_timeout;
  guint        max_retries;
  guint        retry_base_ms;
  guint        max_concurrent;
  double       temperature;

  GQueue       waiting;
  guint        n_running;
  gboolean     pumping;
};

typedef enum
{
  VD_LLM_FORMAT_NONE,
  VD_LLM_FORMAT_JSON_OBJECT,
  VD_LLM_FORMAT_JSON_SCHEMA,
} VdLlmFormat;

/* Which timeout the watchdog measures. */
typedef enum
{
  VD_LLM_PHASE_CONNECTING,
  VD_LLM_PHASE_WAITING,
  VD_LLM_PHASE_READING,
} VdLlmPhase;

typedef struct
{
  char       *text;
  JsonObject *object;
} VdLlmReply;

/* One chat request: the data of its GTask, from the queue through every
 * attempt to the answer (vd-llm-client-request.c). */
typedef struct
{
  /* The request, fixed at creation. */
  GTask          *task;         /* not a reference: the task owns this */
  JsonArray      *messages;
  JsonObject     *schema;
  VdLlmChatFlags  flags;
  gboolean        stream;
  VdLlmDeltaFunc  delta_func;
  gpointer        delta_data;
  GDestroyNotify  delta_destroy;
  GUri           *uri;
  char           *url;
  GCancellable   *cancellable;

  /* Where it stands. */
  VdLlmFormat     format;
  guint           n_attempts;
  guint           n_retries;
  gboolean        queued;
  gboolean        running;
  gboolean        completed;
  GSource        *cancel_source;
  GSource        *backoff;

  /* The current attempt. */
  GCancellable   *attempt_cancellable;
  GSource        *watchdog;
  VdLlmPhase      phase;
  gboolean        timed_out;
  SoupMessage    *message;
  GInputStream   *body;
  guint           status;
  gboolean        sse;
  GByteArray     *raw;
  GString        *line;
  GString        *event_data;
  gboolean        has_event_data;
  GString        *text;
  GString        *refusal;
  char           *finish_reason;
  gboolean        got_done;
  gsize           n_delivered;
} VdLlmRequest;

void          _vd_llm_request_free               (VdLlmRequest  *req);
void          _vd_llm_request_start              (GTask         *task);
void          _vd_llm_request_complete_cancelled (GTask         *task);
void          _vd_llm_reply_free                 (VdLlmReply    *reply);
void          _vd_llm_client_pump                (VdLlmClient   *self);

JsonObject   *_vd_llm_extract_json_object        (const char    *text);
gboolean      _vd_llm_parse_retry_after          (const char    *value,
                                                  GDateTime     *now,
                                                  guint         *seconds);

G_END_DECLS
