/* vd-test-llm-server.h: a scriptable OpenAI-compatible server for tests
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

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/*
 * A chat completions server on 127.0.0.1 (a free port), running in its own
 * thread with its own main context, so that a client under test may block
 * or run the default main context as it likes.
 *
 * Each request to /v1/chat/completions takes the next scripted reply
 * (FIFO); when the script is empty, a copy of the default reply. Every
 * request is recorded (body, headers, times) and the peak number of
 * requests being answered at once is tracked.
 */
typedef struct _VdTestLlmServer VdTestLlmServer;
typedef struct _VdTestReply     VdTestReply;

/* A whole chat completion whose message content is @content. */
VdTestReply     *vd_test_reply_new_content          (const char       *content);
/* Any status, content type and body, e.g. 429 with a JSON error. */
VdTestReply     *vd_test_reply_new_raw              (guint             status,
                                                     const char       *content_type,
                                                     const char       *body);
/* A server-sent event stream of content deltas, ended by data: [DONE]. */
VdTestReply     *vd_test_reply_new_stream           (const char      **deltas);
/* The same stream, but the connection closes after the deltas (no [DONE]). */
VdTestReply     *vd_test_reply_new_stream_cut       (const char      **deltas);
/* Takes the connection and never answers. */
VdTestReply     *vd_test_reply_new_hang             (void);

void             vd_test_reply_set_delay            (VdTestReply      *reply,
                                                     guint             delay_ms);
void             vd_test_reply_set_chunk_delay      (VdTestReply      *reply,
                                                     guint             delay_ms);
void             vd_test_reply_set_header           (VdTestReply      *reply,
                                                     const char       *name,
                                                     const char       *value);
void             vd_test_reply_set_finish_reason    (VdTestReply      *reply,
                                                     const char       *finish_reason);
void             vd_test_reply_set_refusal          (VdTestReply      *reply,
                                                     const char       *refusal);
void             vd_test_reply_free                 (VdTestReply      *reply);

VdTestLlmServer *vd_test_llm_server_new             (void);
void             vd_test_llm_server_free            (VdTestLlmServer  *self);

/* "http://127.0.0.1:PORT/v1" */
const char      *vd_test_llm_server_get_base_url    (VdTestLlmServer  *self);
/* "http://127.0.0.1:PORT/v1/chat/completions" */
const char      *vd_test_llm_server_get_endpoint    (VdTestLlmServer  *self);

/* Takes @reply. */
void             vd_test_llm_server_push            (VdTestLlmServer  *self,
                                                     VdTestReply      *reply);
/* Takes @reply; used when the script is empty. */
void             vd_test_llm_server_set_default     (VdTestLlmServer  *self,
                                                     VdTestReply      *reply);

guint            vd_test_llm_server_get_n_requests  (VdTestLlmServer  *self);
guint            vd_test_llm_server_get_peak        (VdTestLlmServer  *self);
guint            vd_test_llm_server_get_n_pending   (VdTestLlmServer  *self);
/* The parsed body of request @index (0 = first), or NULL if not JSON. */
JsonObject      *vd_test_llm_server_dup_body        (VdTestLlmServer  *self,
                                                     guint             index);
char            *vd_test_llm_server_dup_header      (VdTestLlmServer  *self,
                                                     guint             index,
                                                     const char       *name);
char            *vd_test_llm_server_dup_path        (VdTestLlmServer  *self,
                                                     guint             index);
/* g_get_monotonic_time() when request @index arrived. */
gint64           vd_test_llm_server_get_arrival     (VdTestLlmServer  *self,
                                                     guint             index);
/* Microseconds from arrival to the last byte sent, 0 while unfinished. */
gint64           vd_test_llm_server_get_duration    (VdTestLlmServer  *self,
                                                     guint             index);
void             vd_test_llm_server_reset           (VdTestLlmServer  *self);

/* Runs the thread-default main context until @done is TRUE or
 * @timeout_ms passed; fails the test on timeout. */
void             vd_test_wait_for                   (gboolean         *done,
                                                     guint             timeout_ms);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VdTestLlmServer, vd_test_llm_server_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VdTestReply, vd_test_reply_free)

G_END_DECLS
