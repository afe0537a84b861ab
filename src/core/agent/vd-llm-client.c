/* vd-llm-client.c
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

#define G_LOG_DOMAIN "vd-llm-client"

#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "vd-llm-client.h"
#include "vd-llm-client-private.h"
#include "vd-text.h"

#define DEFAULT_CONNECT_TIMEOUT  10
#define DEFAULT_IDLE_TIMEOUT     300
#define DEFAULT_ANSWER_TIMEOUT   600
#define DEFAULT_MAX_RETRIES      3
#define DEFAULT_RETRY_BASE_MS    500
#define DEFAULT_MAX_CONCURRENT   4
#define DEFAULT_TEMPERATURE      0.2

/* The session keeps at most this many connections per host; the queue in
 * front of it never lets more requests through than that. */
#define MAX_CONCURRENT_LIMIT     64

/**
 * VdLlmClient:
 *
 * Talks to an OpenAI-compatible chat completions endpoint (Ollama, llama.cpp,
 * vLLM, OpenAI...) over HTTP with libsoup.
 *
 * Every request goes through a FIFO queue that lets at most
 * #VdLlmClient:max-concurrent requests reach the server at once; the others
 * wait, which is the backpressure the review workflow relies on. Failed
 * attempts are retried with exponential backoff and jitter on network
 * errors, HTTP 429 and 5xx (honouring `Retry-After`), never on other 4xx.
 *
 * A client and its requests belong to the thread-default main context of
 * the thread that created the client.
 */

G_DEFINE_FINAL_TYPE (VdLlmClient, vd_llm_client, G_TYPE_OBJECT)

G_DEFINE_QUARK (vd-llm-error-quark, vd_llm_error)

enum {
  PROP_0,
  PROP_BASE_URL,
  PROP_MODEL,
  PROP_API_KEY,
  PROP_CONNECT_TIMEOUT,
  PROP_IDLE_TIMEOUT,
  PROP_ANSWER_TIMEOUT,
  PROP_ALLOW_INSECURE_HTTP,
  PROP_MAX_RETRIES,
  PROP_RETRY_BASE_MS,
  PROP_MAX_CONCURRENT,
  PROP_TEMPERATURE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Starts waiting requests while there is room. */
void
_vd_llm_client_pump (VdLlmClient *self)
{
  GTask *task;

  if (self->pumping)
    return;
  self->pumping = TRUE;

  while (self->n_running < self->max_concurrent &&
         (task = g_queue_pop_head (&self->waiting)) != NULL)
    {
      VdLlmRequest *req = g_task_get_task_data (task);

      req->queued = FALSE;
      req->running = TRUE;
      self->n_running++;
      _vd_llm_request_start (task);
      g_object_unref (task);
    }

  self->pumping = FALSE;
}

static gboolean
on_user_cancelled (GCancellable *cancellable,
                   gpointer      user_data)
{
  GTask *task = user_data;
  VdLlmClient *self = g_task_get_source_object (task);
  VdLlmRequest *req = g_task_get_task_data (task);

  if (req->completed)
    return G_SOURCE_REMOVE;

  if (req->queued)
    {
      req->queued = FALSE;
      g_queue_remove (&self->waiting, task);
      _vd_llm_request_complete_cancelled (task);
      g_object_unref (task);
    }
  else if (req->backoff != NULL)
    {
      _vd_llm_request_complete_cancelled (task);
    }
  else if (req->attempt_cancellable != NULL)
    {
      /* The attempt's callback completes the request. */
      g_cancellable_cancel (req->attempt_cancellable);
    }

  return G_SOURCE_REMOVE;
}

static void
chat_common (VdLlmClient         *self,
             JsonArray           *messages,
             JsonObject          *schema,
             VdLlmChatFlags       flags,
             gboolean             stream,
             VdLlmDeltaFunc       delta_func,
             gpointer             delta_data,
             GDestroyNotify       delta_destroy,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data,
             gpointer             source_tag)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *url = NULL;
  VdLlmRequest *req;
  GError *error;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);
  g_task_set_name (task, stream ? "vd_llm_client_chat_stream_async" : "vd_llm_client_chat_async");

  req = g_new0 (VdLlmRequest, 1);
  req->task = task;
  req->messages = json_array_ref (messages);
  req->schema = schema ? json_object_ref (schema) : NULL;
  req->flags = flags;
  req->stream = stream;
  req->delta_func = delta_func;
  req->delta_data = delta_data;
  req->delta_destroy = delta_destroy;
  req->cancellable = cancellable ? g_object_ref (cancellable) : NULL;
  url = vd_llm_client_dup_endpoint_url (self);
  req->url = vd_llm_redact_text (url);

  if ((flags & VD_LLM_CHAT_FLAGS_NO_RESPONSE_FORMAT) != 0)
    req->format = VD_LLM_FORMAT_NONE;
  else if (schema != NULL)
    req->format = VD_LLM_FORMAT_JSON_SCHEMA;
  else if ((flags & VD_LLM_CHAT_FLAGS_JSON) != 0)
    req->format = VD_LLM_FORMAT_JSON_OBJECT;
  else
    req->format = VD_LLM_FORMAT_NONE;

  g_task_set_task_data (task, req, (GDestroyNotify) _vd_llm_request_free);

  if (self->base_url_error != NULL)
    {
      req->completed = TRUE;
      g_task_return_error (task, g_error_copy (self->base_url_error));
      return;
    }

  req->uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL);
  if (req->uri == NULL ||
      (g_strcmp0 (g_uri_get_scheme (req->uri), "http") != 0 &&
       g_strcmp0 (g_uri_get_scheme (req->uri), "https") != 0) ||
      g_uri_get_host (req->uri) == NULL || *g_uri_get_host (req->uri) == '\0')
    {
      req->completed = TRUE;
      g_task_return_new_error (task, VD_LLM_ERROR, VD_LLM_ERROR_UNREACHABLE,
                               "%s: not an http or https URL", req->url);
      return;
    }

  /* Refused before anything is sent. */
  if ((error = _vd_llm_request_check_key (req)) != NULL)
    {
      req->completed = TRUE;
      g_task_return_error (task, error);
      return;
    }

  if (g_task_return_error_if_cancelled (task))
    {
      req->completed = TRUE;
      return;
    }

  if (cancellable != NULL)
    {
      /* No reference: the source is destroyed when the request completes. */
      req->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_name (req->cancel_source, "[verdict] llm cancel");
      g_source_set_callback (req->cancel_source, (GSourceFunc) G_CALLBACK (on_user_cancelled),
                             task, NULL);
      g_source_attach (req->cancel_source, g_task_get_context (task));
    }

  req->queued = TRUE;
  g_queue_push_tail (&self->waiting, g_steal_pointer (&task));
  _vd_llm_client_pump (self);
}

/**
 * vd_llm_client_chat_async:
 * @self: a #VdLlmClient
 * @messages: the conversation: objects with `role` and `content`
 * @schema: (nullable): the JSON schema of the expected answer
 * @flags: #VdLlmChatFlags
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the answer is complete or the request failed
 * @user_data: data for @callback
 *
 * Asks for a chat completion. With a @schema the server is asked for that
 * structure (`json_schema`, or `json_object` for servers that reject it),
 * and the first JSON object found in the answer is parsed, so servers that
 * ignore the format work too.
 */
void
vd_llm_client_chat_async (VdLlmClient         *self,
                          JsonArray           *messages,
                          JsonObject          *schema,
                          VdLlmChatFlags       flags,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_return_if_fail (VD_IS_LLM_CLIENT (self));
  g_return_if_fail (messages != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  chat_common (self, messages, schema, flags, FALSE, NULL, NULL, NULL,
               cancellable, callback, user_data, vd_llm_client_chat_async);
}

static char *
chat_finish (VdLlmClient   *self,
             GAsyncResult  *result,
             JsonObject   **object,
             GError       **error)
{
  VdLlmReply *reply;
  char *text;

  if (object != NULL)
    *object = NULL;

  reply = g_task_propagate_pointer (G_TASK (result), error);
  if (reply == NULL)
    return NULL;

  text = g_steal_pointer (&reply->text);
  if (object != NULL)
    *object = g_steal_pointer (&reply->object);
  _vd_llm_reply_free (reply);

  return text;
}

/**
 * vd_llm_client_chat_finish:
 * @self: a #VdLlmClient
 * @result: the result given to the callback
 * @object: (out) (optional) (nullable) (transfer full): the parsed JSON
 *   object when a schema or %VD_LLM_CHAT_FLAGS_JSON was given, else %NULL
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the text of the answer, or %NULL
 *   with @error set
 */
char *
vd_llm_client_chat_finish (VdLlmClient   *self,
                           GAsyncResult  *result,
                           JsonObject   **object,
                           GError       **error)
{
  g_return_val_if_fail (VD_IS_LLM_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == vd_llm_client_chat_async, NULL);

  return chat_finish (self, result, object, error);
}

/**
 * vd_llm_client_chat_stream_async:
 * @self: a #VdLlmClient
 * @messages: the conversation: objects with `role` and `content`
 * @schema: (nullable): the JSON schema of the expected answer
 * @flags: #VdLlmChatFlags
 * @delta_func: (nullable) (scope notified): receives the text as it arrives
 * @delta_data: data for @delta_func
 * @delta_destroy: (nullable): frees @delta_data when the request is done
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the answer is complete or the request failed
 * @user_data: data for @callback
 *
 * Like vd_llm_client_chat_async() but with `"stream": true`: @delta_func
 * gets the content as the server sends it. A stream that ends before
 * `data: [DONE]` is an error (retried only if no text had arrived).
 */
void
vd_llm_client_chat_stream_async (VdLlmClient         *self,
                                 JsonArray           *messages,
                                 JsonObject          *schema,
                                 VdLlmChatFlags       flags,
                                 VdLlmDeltaFunc       delta_func,
                                 gpointer             delta_data,
                                 GDestroyNotify       delta_destroy,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (VD_IS_LLM_CLIENT (self));
  g_return_if_fail (messages != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  chat_common (self, messages, schema, flags, TRUE, delta_func, delta_data, delta_destroy,
               cancellable, callback, user_data, vd_llm_client_chat_stream_async);
}

/**
 * vd_llm_client_chat_stream_finish:
 * @self: a #VdLlmClient
 * @result: the result given to the callback
 * @object: (out) (optional) (nullable) (transfer full): as for
 *   vd_llm_client_chat_finish()
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the whole text of the answer
 */
char *
vd_llm_client_chat_stream_finish (VdLlmClient   *self,
                                  GAsyncResult  *result,
                                  JsonObject   **object,
                                  GError       **error)
{
  g_return_val_if_fail (VD_IS_LLM_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        vd_llm_client_chat_stream_async, NULL);

  return chat_finish (self, result, object, error);
}

/**
 * vd_llm_messages_new:
 * @system_prompt: (nullable): the system message
 * @user_prompt: the user message
 *
 * Returns: (transfer full): a conversation for vd_llm_client_chat_async()
 */
JsonArray *
vd_llm_messages_new (const char *system_prompt,
                     const char *user_prompt)
{
  JsonArray *messages = json_array_new ();

  g_return_val_if_fail (user_prompt != NULL, messages);

  if (system_prompt != NULL)
    {
      JsonObject *message = json_object_new ();

      json_object_set_string_member (message, "role", "system");
      json_object_set_string_member (message, "content", system_prompt);
      json_array_add_object_element (messages, message);
    }

  {
    JsonObject *message = json_object_new ();

    json_object_set_string_member (message, "role", "user");
    json_object_set_string_member (message, "content", user_prompt);
    json_array_add_object_element (messages, message);
  }

  return messages;
}

/* Properties */

static void
vd_llm_client_dispose (GObject *object)
{
  VdLlmClient *self = VD_LLM_CLIENT (object);

  /* Every request holds the client, so nothing can be waiting here. */
  g_assert (g_queue_is_empty (&self->waiting));

  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (vd_llm_client_parent_class)->dispose (object);
}

static void
vd_llm_client_finalize (GObject *object)
{
  VdLlmClient *self = VD_LLM_CLIENT (object);

  g_free (self->base_url);
  g_clear_error (&self->base_url_error);
  g_free (self->model);
  if (self->api_key != NULL)
    memset (self->api_key, 0, strlen (self->api_key));
  g_free (self->api_key);

  G_OBJECT_CLASS (vd_llm_client_parent_class)->finalize (object);
}

static void
vd_llm_client_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  VdLlmClient *self = VD_LLM_CLIENT (object);

  switch (prop_id)
    {
    case PROP_BASE_URL:
      g_value_set_string (value, self->base_url);
      break;

    case PROP_MODEL:
      g_value_set_string (value, self->model);
      break;

    case PROP_CONNECT_TIMEOUT:
      g_value_set_uint (value, self->connect_timeout);
      break;

    case PROP_IDLE_TIMEOUT:
      g_value_set_uint (value, self->idle_timeout);
      break;

    case PROP_ANSWER_TIMEOUT:
      g_value_set_uint (value, self->answer_timeout);
      break;

    case PROP_ALLOW_INSECURE_HTTP:
      g_value_set_boolean (value, self->allow_insecure_http);
      break;

    case PROP_MAX_RETRIES:
      g_value_set_uint (value, self->max_retries);
      break;

    case PROP_RETRY_BASE_MS:
      g_value_set_uint (value, self->retry_base_ms);
      break;

    case PROP_MAX_CONCURRENT:
      g_value_set_uint (value, self->max_concurrent);
      break;

    case PROP_TEMPERATURE:
      g_value_set_double (value, self->temperature);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vd_llm_client_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  VdLlmClient *self = VD_LLM_CLIENT (object);

  switch (prop_id)
    {
    case PROP_BASE_URL:
      vd_llm_client_set_base_url (self, g_value_get_string (value));
      break;

    case PROP_MODEL:
      vd_llm_client_set_model (self, g_value_get_string (value));
      break;

    case PROP_API_KEY:
      vd_llm_client_set_api_key (self, g_value_get_string (value));
      break;

    case PROP_CONNECT_TIMEOUT:
      vd_llm_client_set_connect_timeout (self, g_value_get_uint (value));
      break;

    case PROP_IDLE_TIMEOUT:
      vd_llm_client_set_idle_timeout (self, g_value_get_uint (value));
      break;

    case PROP_ANSWER_TIMEOUT:
      vd_llm_client_set_answer_timeout (self, g_value_get_uint (value));
      break;

    case PROP_ALLOW_INSECURE_HTTP:
      vd_llm_client_set_allow_insecure_http (self, g_value_get_boolean (value));
      break;

    case PROP_MAX_RETRIES:
      vd_llm_client_set_max_retries (self, g_value_get_uint (value));
      break;

    case PROP_RETRY_BASE_MS:
      vd_llm_client_set_retry_base_ms (self, g_value_get_uint (value));
      break;

    case PROP_MAX_CONCURRENT:
      vd_llm_client_set_max_concurrent (self, g_value_get_uint (value));
      break;

    case PROP_TEMPERATURE:
      vd_llm_client_set_temperature (self, g_value_get_double (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vd_llm_client_class_init (VdLlmClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = vd_llm_client_dispose;
  object_class->finalize = vd_llm_client_finalize;
  object_class->get_property = vd_llm_client_get_property;
  object_class->set_property = vd_llm_client_set_property;

  /**
   * VdLlmClient:base-url:
   *
   * The API root, e.g. `http://localhost:11434/v1`; requests go to
   * `{base-url}/chat/completions`. A URL with a user name or password is
   * refused: it is kept without them, and every request fails with
   * %VD_LLM_ERROR_CREDENTIALS (check with vd_llm_check_endpoint_url()
   * first).
   */
  properties[PROP_BASE_URL] =
    g_param_spec_string ("base-url", NULL, NULL,
                         VD_LLM_CLIENT_DEFAULT_BASE_URL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_MODEL] =
    g_param_spec_string ("model", NULL, NULL,
                         VD_LLM_CLIENT_DEFAULT_MODEL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * VdLlmClient:api-key:
   *
   * Sent as `Authorization: Bearer KEY`. Write-only so that it cannot leak
   * through property dumps; see vd_llm_client_has_api_key().
   */
  properties[PROP_API_KEY] =
    g_param_spec_string ("api-key", NULL, NULL,
                         NULL,
                         (G_PARAM_WRITABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * VdLlmClient:connect-timeout:
   *
   * Seconds allowed to connect and send the request; 0 for no limit.
   */
  properties[PROP_CONNECT_TIMEOUT] =
    g_param_spec_uint ("connect-timeout", NULL, NULL,
                       0, 3600, DEFAULT_CONNECT_TIMEOUT,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * VdLlmClient:idle-timeout:
   *
   * Seconds of silence (no byte from the server) after which an attempt
   * fails with %VD_LLM_ERROR_TIMEOUT; 0 for no limit. Without streaming a
   * model sends nothing until it is done, so this bounds the whole answer.
   */
  properties[PROP_IDLE_TIMEOUT] =
    g_param_spec_uint ("idle-timeout", NULL, NULL,
                       0, 24 * 3600, DEFAULT_IDLE_TIMEOUT,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * VdLlmClient:answer-timeout:
   *
   * Seconds an answer may take from its first byte to its last, however
   * steadily it arrives, before the attempt fails with
   * %VD_LLM_ERROR_TIMEOUT (not retried); 0 for no limit.
   */
  properties[PROP_ANSWER_TIMEOUT] =
    g_param_spec_uint ("answer-timeout", NULL, NULL,
                       0, 24 * 3600, DEFAULT_ANSWER_TIMEOUT,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * VdLlmClient:allow-insecure-http:
   *
   * Whether the API key may go over plain http to a host other than this
   * computer, where anyone on the way can read it. Without it such a
   * request fails with %VD_LLM_ERROR_INSECURE before anything is sent; see
   * vd_llm_key_allowed_for_url().
   */
  properties[PROP_ALLOW_INSECURE_HTTP] =
    g_param_spec_boolean ("allow-insecure-http", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY |
                           G_PARAM_STATIC_STRINGS));

  properties[PROP_MAX_RETRIES] =
    g_param_spec_uint ("max-retries", NULL, NULL,
                       0, 100, DEFAULT_MAX_RETRIES,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * VdLlmClient:retry-base-ms:
   *
   * The first backoff delay; each retry doubles it (at most 30 s), half of
   * it random.
   */
  properties[PROP_RETRY_BASE_MS] =
    g_param_spec_uint ("retry-base-ms", NULL, NULL,
                       0, VD_LLM_MAX_BACKOFF_MS, DEFAULT_RETRY_BASE_MS,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * VdLlmClient:max-concurrent:
   *
   * How many requests may be at the server at once; the rest wait in
   * order.
   */
  properties[PROP_MAX_CONCURRENT] =
    g_param_spec_uint ("max-concurrent", NULL, NULL,
                       1, MAX_CONCURRENT_LIMIT, DEFAULT_MAX_CONCURRENT,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_TEMPERATURE] =
    g_param_spec_double ("temperature", NULL, NULL,
                         0.0, 2.0, DEFAULT_TEMPERATURE,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
vd_llm_client_init (VdLlmClient *self)
{
  g_autofree char *user_agent = g_strdup_printf ("Verdict/%s ", PACKAGE_VERSION);

  self->base_url = g_strdup (VD_LLM_CLIENT_DEFAULT_BASE_URL);
  self->model = g_strdup (VD_LLM_CLIENT_DEFAULT_MODEL);
  self->connect_timeout = DEFAULT_CONNECT_TIMEOUT;
  self->idle_timeout = DEFAULT_IDLE_TIMEOUT;
  self->answer_timeout = DEFAULT_ANSWER_TIMEOUT;
  self->max_stream_bytes = VD_LLM_MAX_ANSWER_BYTES;
  self->max_stream_events = VD_LLM_MAX_STREAM_EVENTS;
  self->max_retries = DEFAULT_MAX_RETRIES;
  self->retry_base_ms = DEFAULT_RETRY_BASE_MS;
  self->max_concurrent = DEFAULT_MAX_CONCURRENT;
  self->temperature = DEFAULT_TEMPERATURE;
  g_queue_init (&self->waiting);

  /* Timeouts are ours (the watchdog), not the session's. */
  self->session = soup_session_new_with_options ("max-conns", MAX_CONCURRENT_LIMIT * 2,
                                                 "max-conns-per-host", MAX_CONCURRENT_LIMIT,
                                                 "timeout", 0,
                                                 "idle-timeout", 60,
                                                 "user-agent", user_agent,
                                                 NULL);
}

/**
 * vd_llm_client_new:
 * @base_url: (nullable): the API root, %NULL for the Ollama default
 * @model: (nullable): the model name, %NULL for the default
 *
 * Returns: (transfer full): a new #VdLlmClient
 */
VdLlmClient *
vd_llm_client_new (const char *base_url,
                   const char *model)
{
  return g_object_new (VD_TYPE_LLM_CLIENT,
                       "base-url", base_url ? base_url : VD_LLM_CLIENT_DEFAULT_BASE_URL,
                       "model", model ? model : VD_LLM_CLIENT_DEFAULT_MODEL,
                       NULL);
}

const char *
vd_llm_client_get_base_url (VdLlmClient *self)
{
  g_return_val_if_fail (VD_IS_LLM_CLIENT (self), NULL);

  return self->base_url;
}

void
vd_llm_client_set_base_url (VdLlmClient *self,
                            const char  *base_url)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (VD_IS_LLM_CLIENT (self));

  if (base_url == NULL)
    base_url = VD_LLM_CLIENT_DEFAULT_BASE_URL;

  g_clear_error (&self->base_url_error);

  /* Credentials in the URL would go into every message that names it: the
   * client keeps it without them, and refuses to send anything. */
  if (!vd_llm_check_endpoint_url (base_url, &error) &&
      g_error_matches (error, VD_LLM_ERROR, VD_LLM_ERROR_CREDENTIALS))
    {
      g_autofree char *redacted = vd_llm_redact_text (base_url);

      self->base_url_error = g_steal_pointer (&error);
      if (vd_set_str (&self->base_url, redacted))
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BASE_URL]);
      return;
    }

  if (vd_set_str (&self->base_url, base_url))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BASE_URL]);
}

const char *
vd_llm_client_get_model (VdLlmClient *self)
{
  g_return_val_if_fail (VD_IS_LLM_CLIENT (self), NULL);

  return self->model;
}

void
vd_llm_client_set_model (VdLlmClient *self,
                         const char  *model)
{
  g_return_if_fail (VD_IS_LLM_CLIENT (self));

  if (model == NULL)
    model = VD_LLM_CLIENT_DEFAULT_MODEL;

  if (vd_set_str (&self->model, model))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL]);
}

/**
 * vd_llm_client_set_api_key:
 * @self: a #VdLlmClient
 * @api_key: (nullable): the key, %NULL or empty for none
 *
 * Sets the bearer key sent with every request. It is never logged.
 */
void
vd_llm_client_set_api_key (VdLlmClient *self,
                           const char  *api_key)
{
  g_return_if_fail (VD_IS_LLM_CLIENT (self));

  if (api_key != NULL && *api_key == '\0')
    api_key = NULL;

  if (g_strcmp0 (api_key, self->api_key) == 0)
    return;

  if (self->api_key != NULL)
    memset (self->api_key, 0, strlen (self->api_key));
  g_free (self->api_key);
  self->api_key = g_strdup (api_key);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_API_KEY]);
}

gboolean
vd_llm_client_has_api_key (VdLlmClient *self)
{
  g_return_val_if_fail (VD_IS_LLM_CLIENT (self), FALSE);

  return self->api_key != NULL;
}

guint
vd_llm_client_get_connect_timeout (VdLlmClient *self)
{
  g_return_val_if_fail (VD_IS_LLM_CLIENT (self), 0);

  return self->connect_timeout;
}

void
vd_llm_client_set_connect_timeout (VdLlmClient *self,
                                   guint        seconds)
{
  g_return_if_fail (VD_IS_LLM_CLIENT (self));

  if (self->connect_timeout != seconds)
    {
      self->connect_timeout = seconds;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECT_TIMEOUT]);
    }
}

guint
vd_llm_client_get_idle_timeout (VdLlmClient *self)
{
  g_return_val_if_fail (VD_IS_LLM_CLIENT (self), 0);

  return self->idle_timeout;
}

void
vd_llm_client_set_idle_timeout (VdLlmClient *self,
                                guint        seconds)
{
  g_return_if_fail (VD_IS_LLM_CLIENT (self));

  if (self->idle_timeout != seconds)
    {
      self->idle_timeout = seconds;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IDLE_TIMEOUT]);
    }
}

guint
vd_llm_client_get_answer_timeout (VdLlmClient *self)
{
  g_return_val_if_fail (VD_IS_LLM_CLIENT (self), 0);

  return self->answer_timeout;
}

/**
 * vd_llm_client_set_answer_timeout:
 * @self: a #VdLlmClient
 * @seconds: how long an answer may take once it started, 0 for no limit
 *
 * Sets #VdLlmClient:answer-timeout.
 */
void
vd_llm_client_set_answer_timeout (VdLlmClient *self,
                                  guint        seconds)
{
  g_return_if_fail (VD_IS_LLM_CLIENT (self));

  if (self->answer_timeout != seconds)
    {
      self->answer_timeout = seconds;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ANSWER_TIMEOUT]);
    }
}

gboolean
vd_llm_client_get_allow_insecure_http (VdLlmClient *self)
{
  g_return_val_if_fail (VD_IS_LLM_CLIENT (self), FALSE);

  return self->allow_insecure_http;
}

/**
 * vd_llm_client_set_allow_insecure_http:
 * @self: a #VdLlmClient
 * @allow: whether the API key may go over plain http to another computer
 *
 * Sets #VdLlmClient:allow-insecure-http: only when the user asked for it,
 * for this endpoint.
 */
void
vd_llm_client_set_allow_insecure_http (VdLlmClient *self,
                                       gboolean     allow)
{
  g_return_if_fail (VD_IS_LLM_CLIENT (self));

  allow = !!allow;
  if (self->allow_insecure_http != allow)
    {
      self->allow_insecure_http = allow;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ALLOW_INSECURE_HTTP]);
    }
}

void
_vd_llm_client_set_stream_limits (VdLlmClient *self,
                                  gsize        max_bytes,
                                  guint        max_events)
{
  g_return_if_fail (VD_IS_LLM_CLIENT (self));

  self->max_stream_bytes = max_bytes > 0 ? max_bytes : VD_LLM_MAX_ANSWER_BYTES;
  self->max_stream_events = max_events > 0 ? max_events : VD_LLM_MAX_STREAM_EVENTS;
}

guint
vd_llm_client_get_max_retries (VdLlmClient *self)
{
  g_return_val_if_fail (VD_IS_LLM_CLIENT (self), 0);

  return self->max_retries;
}

void
vd_llm_client_set_max_retries (VdLlmClient *self,
                               guint        max_retries)
{
  g_return_if_fail (VD_IS_LLM_CLIENT (self));

  if (self->max_retries != max_retries)
    {
      self->max_retries = max_retries;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_RETRIES]);
    }
}

guint
vd_llm_client_get_retry_base_ms (VdLlmClient *self)
{
  g_return_val_if_fail (VD_IS_LLM_CLIENT (self), 0);

  return self->retry_base_ms;
}

void
vd_llm_client_set_retry_base_ms (VdLlmClient *self,
                                 guint        retry_base_ms)
{
  g_return_if_fail (VD_IS_LLM_CLIENT (self));

  retry_base_ms = MIN (retry_base_ms, VD_LLM_MAX_BACKOFF_MS);
  if (self->retry_base_ms != retry_base_ms)
    {
      self->retry_base_ms = retry_base_ms;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RETRY_BASE_MS]);
    }
}

guint
vd_llm_client_get_max_concurrent (VdLlmClient *self)
{
  g_return_val_if_fail (VD_IS_LLM_CLIENT (self), 0);

  return self->max_concurrent;
}

void
vd_llm_client_set_max_concurrent (VdLlmClient *self,
                                  guint        max_concurrent)
{
  g_return_if_fail (VD_IS_LLM_CLIENT (self));

  max_concurrent = CLAMP (max_concurrent, 1, MAX_CONCURRENT_LIMIT);
  if (self->max_concurrent != max_concurrent)
    {
      self->max_concurrent = max_concurrent;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_CONCURRENT]);
      _vd_llm_client_pump (self);
    }
}

double
vd_llm_client_get_temperature (VdLlmClient *self)
{
  g_return_val_if_fail (VD_IS_LLM_CLIENT (self), 0.0);

  return self->temperature;
}

void
vd_llm_client_set_temperature (VdLlmClient *self,
                               double       temperature)
{
  g_return_if_fail (VD_IS_LLM_CLIENT (self));
  g_return_if_fail (temperature >= 0.0 && temperature <= 2.0);

  if (self->temperature != temperature)
    {
      self->temperature = temperature;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEMPERATURE]);
    }
}

/**
 * vd_llm_client_get_n_running:
 * @self: a #VdLlmClient
 *
 * Returns: how many requests are at the server (or backing off to retry)
 */
guint
vd_llm_client_get_n_running (VdLlmClient *self)
{
  g_return_val_if_fail (VD_IS_LLM_CLIENT (self), 0);

  return self->n_running;
}

/**
 * vd_llm_client_get_n_waiting:
 * @self: a #VdLlmClient
 *
 * Returns: how many requests wait in the queue for a free slot
 */
guint
vd_llm_client_get_n_waiting (VdLlmClient *self)
{
  g_return_val_if_fail (VD_IS_LLM_CLIENT (self), 0);

  return self->waiting.length;
}

/**
 * vd_llm_client_dup_endpoint_url:
 * @self: a #VdLlmClient
 *
 * Returns: (transfer full): `{base-url}/chat/completions`
 */
char *
vd_llm_client_dup_endpoint_url (VdLlmClient *self)
{
  g_autofree char *base = NULL;
  g_autofree char *rest = NULL;
  gsize len;

  g_return_val_if_fail (VD_IS_LLM_CLIENT (self), NULL);

  /* The path goes before a query (`?api-version=...`), not after it. */
  base = g_strstrip (g_strdup (self->base_url));
  len = strcspn (base, "?#");
  rest = g_strdup (base + len);
  while (len > 0 && base[len - 1] == '/')
    len--;
  base[len] = '\0';

  return g_strconcat (base, "/chat/completions", rest, NULL);
}
