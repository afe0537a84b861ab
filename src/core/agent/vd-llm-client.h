/* vd-llm-client.h
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

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define VD_LLM_ERROR (vd_llm_error_quark ())

/**
 * VdLlmError:
 * @VD_LLM_ERROR_UNREACHABLE: no connection could be made (refused, no such
 *   host, TLS failure, the connection closed before an answer)
 * @VD_LLM_ERROR_TIMEOUT: no connection within connect-timeout, or no data
 *   for idle-timeout seconds
 * @VD_LLM_ERROR_RATE_LIMITED: HTTP 429 after every retry
 * @VD_LLM_ERROR_SERVER_ERROR: HTTP 5xx after every retry, or an error
 *   reported inside a stream
 * @VD_LLM_ERROR_BAD_RESPONSE: the answer could not be understood (not JSON,
 *   no JSON object where one was asked for, a stream cut off, a field of the
 *   wrong type or out of range)
 * @VD_LLM_ERROR_REFUSED: the model refused to answer (a `refusal`, or the
 *   finish reason `content_filter`)
 * @VD_LLM_ERROR_UNAUTHORIZED: HTTP 401 or 403: a missing or wrong API key
 * @VD_LLM_ERROR_BAD_REQUEST: another HTTP 4xx: a wrong endpoint path, an
 *   unknown model, a parameter the server does not accept
 * @VD_LLM_ERROR_INVALID_ENDPOINT: the endpoint is not an http:// or https://
 *   URL with a host
 * @VD_LLM_ERROR_CREDENTIALS: the endpoint URL holds a user name or password
 *   (`http://user:key@host/v1`); the key belongs in the API key
 * @VD_LLM_ERROR_INSECURE: the API key would travel unencrypted: plain http
 *   to a host other than this computer, without
 *   #VdLlmClient:allow-insecure-http
 *
 * Errors of #VdLlmClient and the agents. Cancellation is reported as
 * %G_IO_ERROR_CANCELLED. Messages start with the URL that was asked,
 * without credentials or query (see vd_llm_redact_text()).
 */
typedef enum
{
  VD_LLM_ERROR_UNREACHABLE,
  VD_LLM_ERROR_TIMEOUT,
  VD_LLM_ERROR_RATE_LIMITED,
  VD_LLM_ERROR_SERVER_ERROR,
  VD_LLM_ERROR_BAD_RESPONSE,
  VD_LLM_ERROR_REFUSED,
  VD_LLM_ERROR_UNAUTHORIZED,
  VD_LLM_ERROR_BAD_REQUEST,
  VD_LLM_ERROR_INVALID_ENDPOINT,
  VD_LLM_ERROR_CREDENTIALS,
  VD_LLM_ERROR_INSECURE,
} VdLlmError;

/**
 * VdLlmChatFlags:
 * @VD_LLM_CHAT_FLAGS_NONE: no flags
 * @VD_LLM_CHAT_FLAGS_JSON: without a schema, still ask for a JSON object
 *   (`{"type": "json_object"}`) and parse one from the answer
 * @VD_LLM_CHAT_FLAGS_NO_RESPONSE_FORMAT: never send `response_format`, for
 *   servers that reject it; a JSON object is still looked for in the answer
 *   when a schema is given
 */
typedef enum
{
  VD_LLM_CHAT_FLAGS_NONE               = 0,
  VD_LLM_CHAT_FLAGS_JSON               = 1 << 0,
  VD_LLM_CHAT_FLAGS_NO_RESPONSE_FORMAT = 1 << 1,
} VdLlmChatFlags;

/**
 * VdLlmDeltaFunc:
 * @delta: the text that just arrived (never empty)
 * @user_data: the data given with the callback
 *
 * Receives the content of a streamed answer piece by piece, on the main
 * context of the caller, in order.
 */
typedef void (*VdLlmDeltaFunc) (const char *delta,
                                gpointer    user_data);

#define VD_LLM_CLIENT_DEFAULT_BASE_URL "http://localhost:11434/v1"
#define VD_LLM_CLIENT_DEFAULT_MODEL    "gpt-oss:20b"

#define VD_TYPE_LLM_CLIENT (vd_llm_client_get_type ())

G_DECLARE_FINAL_TYPE (VdLlmClient, vd_llm_client, VD, LLM_CLIENT, GObject)

GQuark       vd_llm_error_quark                 (void);

gboolean     vd_llm_check_endpoint_url          (const char           *url,
                                                 GError              **error);
gboolean     vd_llm_key_allowed_for_url         (const char           *url,
                                                 gboolean              allow_insecure_http);
char        *vd_llm_redact_text                 (const char           *text);

VdLlmClient *vd_llm_client_new                  (const char           *base_url,
                                                 const char           *model);

const char  *vd_llm_client_get_base_url         (VdLlmClient          *self);
void         vd_llm_client_set_base_url         (VdLlmClient          *self,
                                                 const char           *base_url);
const char  *vd_llm_client_get_model            (VdLlmClient          *self);
void         vd_llm_client_set_model            (VdLlmClient          *self,
                                                 const char           *model);
void         vd_llm_client_set_api_key          (VdLlmClient          *self,
                                                 const char           *api_key);
gboolean     vd_llm_client_has_api_key          (VdLlmClient          *self);
guint        vd_llm_client_get_connect_timeout  (VdLlmClient          *self);
void         vd_llm_client_set_connect_timeout  (VdLlmClient          *self,
                                                 guint                 seconds);
guint        vd_llm_client_get_idle_timeout     (VdLlmClient          *self);
void         vd_llm_client_set_idle_timeout     (VdLlmClient          *self,
                                                 guint                 seconds);
guint        vd_llm_client_get_answer_timeout   (VdLlmClient          *self);
void         vd_llm_client_set_answer_timeout   (VdLlmClient          *self,
                                                 guint                 seconds);
gboolean     vd_llm_client_get_allow_insecure_http (VdLlmClient       *self);
void         vd_llm_client_set_allow_insecure_http (VdLlmClient       *self,
                                                    gboolean           allow);
guint        vd_llm_client_get_max_retries      (VdLlmClient          *self);
void         vd_llm_client_set_max_retries      (VdLlmClient          *self,
                                                 guint                 max_retries);
guint        vd_llm_client_get_retry_base_ms    (VdLlmClient          *self);
void         vd_llm_client_set_retry_base_ms    (VdLlmClient          *self,
                                                 guint                 retry_base_ms);
guint        vd_llm_client_get_max_concurrent   (VdLlmClient          *self);
void         vd_llm_client_set_max_concurrent   (VdLlmClient          *self,
                                                 guint                 max_concurrent);
double       vd_llm_client_get_temperature      (VdLlmClient          *self);
void         vd_llm_client_set_temperature      (VdLlmClient          *self,
                                                 double                temperature);

guint        vd_llm_client_get_n_running        (VdLlmClient          *self);
guint        vd_llm_client_get_n_waiting        (VdLlmClient          *self);
char        *vd_llm_client_dup_endpoint_url     (VdLlmClient          *self);

void         vd_llm_client_chat_async           (VdLlmClient          *self,
                                                 JsonArray            *messages,
                                                 JsonObject           *schema,
                                                 VdLlmChatFlags        flags,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
char        *vd_llm_client_chat_finish          (VdLlmClient          *self,
                                                 GAsyncResult         *result,
                                                 JsonObject          **object,
                                                 GError              **error);

void         vd_llm_client_chat_stream_async    (VdLlmClient          *self,
                                                 JsonArray            *messages,
                                                 JsonObject           *schema,
                                                 VdLlmChatFlags        flags,
                                                 VdLlmDeltaFunc        delta_func,
                                                 gpointer              delta_data,
                                                 GDestroyNotify        delta_destroy,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
char        *vd_llm_client_chat_stream_finish   (VdLlmClient          *self,
                                                 GAsyncResult         *result,
                                                 JsonObject          **object,
                                                 GError              **error);

JsonArray   *vd_llm_messages_new                (const char           *system_prompt,
                                                 const char           *user_prompt);

G_END_DECLS
