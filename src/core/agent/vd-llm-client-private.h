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

/* The most one answer may hold, streamed or not: a review suggestion is a
 * few kilobytes, and without a cap a server could fill the memory. */
#define VD_LLM_MAX_ANSWER_BYTES (16 * 1024 * 1024)

/* The most events one streamed answer may have. Each is a JSON text to
 * parse on the main context; a real answer has one per token. */
#define VD_LLM_MAX_STREAM_EVENTS 100000

/* How many candidate objects _vd_llm_extract_json_object() parses at
 * most: enough for prose with a few braces before the answer, few enough
 * that an answer made of braces costs nothing. */
#define VD_LLM_MAX_EXTRACT_ATTEMPTS 16

struct _VdLlmClient
{
  GObject      parent_instance;

  SoupSession *session;

  char        *base_url;
  GError      *base_url_error;  /* why base_url was refused, or NULL */
  char        *model;
  char        *api_key;
  gboolean     allow_insecure_http;
  guint        connect_timeout;
  guint        idle_timeout;
  guint        answer_timeout;
  guint        max_retries;
  guint        retry_base_ms;
  guint        max_concurrent;
  double       temperature;
  gsize        max_stream_bytes;
  guint        max_stream_events;

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

/* What has been understood of one answer so far: from a whole completion
 * or from the events of a stream (vd-llm-client-answer.c). */
typedef struct
{
  GString  *content;
  GString  *refusal;
  char     *finish_reason;
  gboolean  done;           /* a stream's data: [DONE] arrived */
} VdLlmAnswer;

/* Reads a server-sent event stream as it arrives, in chunks of any size,
 * and hands over the data of each event. */
typedef struct _VdLlmSseParser VdLlmSseParser;

/* Receives the data of one event (the `data:` lines joined by "\n", not
 * NUL-terminated). Returns %FALSE with @error set to stop the stream. */
typedef gboolean (*VdLlmSseEventFunc) (const char  *data,
                                       gsize        length,
                                       gpointer     user_data,
                                       GError     **error);

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
  char           *url;          /* for messages: without credentials or query */
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
  GSource        *deadline;
  VdLlmPhase      phase;
  gboolean        timed_out;
  gboolean        over_deadline;
  SoupMessage    *message;
  GInputStream   *body;
  guint           status;
  gboolean        sse;
  GByteArray     *raw;
  VdLlmSseParser *sse_parser;
  VdLlmAnswer     answer;
  gsize           n_delivered;
} VdLlmRequest;

void            _vd_llm_request_free               (VdLlmRequest       *req);
void            _vd_llm_request_start              (GTask              *task);
GError         *_vd_llm_request_check_key          (VdLlmRequest       *req);
void            _vd_llm_request_complete_cancelled (GTask              *task);
void            _vd_llm_reply_free                 (VdLlmReply         *reply);
void            _vd_llm_client_pump                (VdLlmClient        *self);

/* For tests: smaller caps on a streamed answer; 0 restores a default. */
void            _vd_llm_client_set_stream_limits   (VdLlmClient        *self,
                                                    gsize               max_bytes,
                                                    guint               max_events);

/* The parsers below need no network, no main loop and no client: the
 * request code and the fuzz targets (tests/fuzz/) share them. Their
 * errors are in %VD_LLM_ERROR without the URL, which the request adds. */

VdLlmSseParser *_vd_llm_sse_parser_new             (gsize               max_bytes,
                                                    guint               max_events,
                                                    VdLlmSseEventFunc   func,
                                                    gpointer            user_data);
gboolean        _vd_llm_sse_parser_feed            (VdLlmSseParser     *parser,
                                                    const char         *data,
                                                    gsize               length,
                                                    GError            **error);
gboolean        _vd_llm_sse_parser_finish          (VdLlmSseParser     *parser,
                                                    GError            **error);
guint           _vd_llm_sse_parser_get_n_events    (VdLlmSseParser     *parser);
void            _vd_llm_sse_parser_free            (VdLlmSseParser     *parser);

void            _vd_llm_answer_init                (VdLlmAnswer        *answer);
void            _vd_llm_answer_clear               (VdLlmAnswer        *answer);
gboolean        _vd_llm_answer_add_event           (VdLlmAnswer        *answer,
                                                    const char         *data,
                                                    gsize               length,
                                                    GError            **error);
gboolean        _vd_llm_answer_parse_completion    (VdLlmAnswer        *answer,
                                                    const char         *data,
                                                    gsize               length,
                                                    GError            **error);
gboolean        _vd_llm_answer_finish              (VdLlmAnswer        *answer,
                                                    gboolean            want_object,
                                                    JsonObject        **object,
                                                    GError            **error);

char           *_vd_llm_server_message             (const char         *data,
                                                    gsize               length);
char           *_vd_llm_summarize                  (const char         *text,
                                                    gsize               max_chars);
JsonObject     *_vd_llm_extract_json_object        (const char         *text,
                                                    gssize              length,
                                                    guint              *n_attempts,
                                                    GError            **error);
gboolean        _vd_llm_parse_retry_after          (const char         *value,
                                                    GDateTime          *now,
                                                    guint              *seconds);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VdLlmSseParser, _vd_llm_sse_parser_free)

G_END_DECLS
