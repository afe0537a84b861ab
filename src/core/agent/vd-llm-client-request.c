/* vd-llm-client-request.c: one request, from first attempt to answer
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

/* A server asking for a longer pause than this gets an error instead:
 * nobody waits minutes for a review suggestion. */
#define MAX_RETRY_AFTER_S        120
#define MAX_ERROR_BODY_BYTES     (64 * 1024)
#define READ_CHUNK_BYTES         16384
#define HTTP_TOO_MANY_REQUESTS   429 /* not in SoupStatus */

void
_vd_llm_reply_free (VdLlmReply *reply)
{
  g_free (reply->text);
  g_clear_pointer (&reply->object, json_object_unref);
  g_free (reply);
}

static void
clear_source (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_source_unref (*source);
      *source = NULL;
    }
}

static void
attempt_clear (VdLlmRequest *req)
{
  clear_source (&req->watchdog);
  clear_source (&req->deadline);

  if (req->message != NULL)
    g_signal_handlers_disconnect_matched (req->message, G_SIGNAL_MATCH_DATA,
                                          0, 0, NULL, NULL, req);
  g_clear_object (&req->message);
  g_clear_object (&req->body);
  g_clear_object (&req->attempt_cancellable);
  g_clear_pointer (&req->raw, g_byte_array_unref);
  g_clear_pointer (&req->sse_parser, _vd_llm_sse_parser_free);
  _vd_llm_answer_clear (&req->answer);
  req->timed_out = FALSE;
  req->over_deadline = FALSE;
  req->status = 0;
  req->sse = FALSE;
}

void
_vd_llm_request_free (VdLlmRequest *req)
{
  clear_source (&req->cancel_source);
  clear_source (&req->backoff);
  attempt_clear (req);

  if (req->delta_destroy != NULL)
    req->delta_destroy (req->delta_data);
  g_clear_pointer (&req->messages, json_array_unref);
  g_clear_pointer (&req->schema, json_object_unref);
  g_clear_pointer (&req->uri, g_uri_unref);
  g_clear_object (&req->cancellable);
  g_free (req->url);
  g_free (req);
}

/**
 * _vd_llm_parse_retry_after:
 * @value: a `Retry-After` header value: seconds or an HTTP date
 * @now: the current time, for a date
 * @seconds: (out): how long to wait; 0 for a date in the past
 *
 * Returns: %TRUE if @value could be read
 */
gboolean
_vd_llm_parse_retry_after (const char *value,
                           GDateTime  *now,
                           guint      *seconds)
{
  g_autoptr(GDateTime) date = NULL;
  guint64 number;
  char *end;

  g_return_val_if_fail (now != NULL, FALSE);
  g_return_val_if_fail (seconds != NULL, FALSE);

  if (value == NULL)
    return FALSE;

  while (g_ascii_isspace (*value))
    value++;

  if (g_ascii_isdigit (*value))
    {
      number = g_ascii_strtoull (value, &end, 10);
      while (g_ascii_isspace (*end))
        end++;
      if (*end != '\0')
        return FALSE;
      *seconds = (guint) MIN (number, G_MAXUINT);
      return TRUE;
    }

  date = soup_date_time_new_from_http_string (value);
  if (date == NULL)
    return FALSE;

  *seconds = (guint) CLAMP (g_date_time_difference (date, now) / G_TIME_SPAN_SECOND,
                            0, G_MAXUINT);
  return TRUE;
}

static GError *
request_error (VdLlmRequest *req,
               int           code,
               const char   *format,
               ...) G_GNUC_PRINTF (3, 4);

/* An error whose message starts with the URL asked. Whatever the server
 * said is in it too: it is redacted like any URL, and a server quoting the
 * key it refused does not get the key into a log or the audit trail. */
static GError *
request_error (VdLlmRequest *req,
               int           code,
               const char   *format,
               ...)
{
  VdLlmClient *self = g_task_get_source_object (req->task);
  g_autoptr(GString) message = g_string_new (req->url);
  g_autofree char *what = NULL;
  g_autofree char *redacted = NULL;
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);

  g_string_append (message, ": ");
  g_string_append (message, what);
  if (self->api_key != NULL && strlen (self->api_key) >= 4)
    g_string_replace (message, self->api_key, "[API key]", 0);

  redacted = vd_llm_redact_text (message->str);

  return g_error_new_literal (VD_LLM_ERROR, code, redacted);
}

/* An error from the parsers (without the URL) as an error of the request. */
static GError *
request_error_from (VdLlmRequest *req,
                    const GError *error)
{
  g_assert (error->domain == VD_LLM_ERROR);

  return request_error (req, error->code, "%s", error->message);
}

static void
complete (GTask      *task_in,
          VdLlmReply *reply,
          GError     *error)
{
  g_autoptr(GTask) task = g_object_ref (task_in);
  g_autoptr(VdLlmClient) self = g_object_ref (g_task_get_source_object (task));
  VdLlmRequest *req = g_task_get_task_data (task);

  g_assert (!req->completed);
  g_assert ((reply == NULL) != (error == NULL));

  req->completed = TRUE;
  clear_source (&req->cancel_source);
  clear_source (&req->backoff);
  attempt_clear (req);

  if (req->running)
    {
      req->running = FALSE;
      self->n_running--;
    }

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, reply, (GDestroyNotify) _vd_llm_reply_free);

  _vd_llm_client_pump (self);
}

void
_vd_llm_request_complete_cancelled (GTask *task)
{
  complete (task, NULL,
            g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "Operation was cancelled"));
}

static guint
backoff_delay_ms (VdLlmClient *self,
                  guint        n_retries)
{
  guint64 delay = self->retry_base_ms;

  for (guint i = 1; i < n_retries && delay < VD_LLM_MAX_BACKOFF_MS; i++)
    delay *= 2;
  delay = MIN (delay, VD_LLM_MAX_BACKOFF_MS);

  /* Half fixed, half random, so that clients failing together spread out. */
  return (guint) (delay / 2 + g_random_int_range (0, (gint32) (delay / 2) + 1));
}

static gboolean
on_backoff_done (gpointer user_data)
{
  GTask *task = user_data;
  VdLlmRequest *req = g_task_get_task_data (task);

  clear_source (&req->backoff);
  _vd_llm_request_start (task);

  return G_SOURCE_REMOVE;
}

/* Ends the current attempt with @error (taken): retries it when allowed,
 * otherwise completes the request. */
static void
attempt_failed (GTask    *task,
                GError   *error,
                gboolean  retryable,
                guint     retry_after_s)
{
  VdLlmClient *self = g_task_get_source_object (task);
  VdLlmRequest *req = g_task_get_task_data (task);
  guint delay_ms;

  attempt_clear (req);

  if (g_cancellable_is_cancelled (req->cancellable))
    {
      g_error_free (error);
      _vd_llm_request_complete_cancelled (task);
      return;
    }

  if (!retryable || req->n_retries >= self->max_retries)
    {
      if (req->n_attempts > 1)
        {
          g_autofree char *message = g_steal_pointer (&error->message);

          error->message = g_strdup_printf ("%s (after %u attempts)", message, req->n_attempts);
        }
      complete (task, NULL, error);
      return;
    }

  req->n_retries++;
  delay_ms = backoff_delay_ms (self, req->n_retries);
  if (retry_after_s > 0)
    delay_ms = MAX (delay_ms, retry_after_s * 1000);

  g_debug ("%s; retry %u of %u in %u ms",
           error->message, req->n_retries, self->max_retries, delay_ms);
  g_error_free (error);

  req->backoff = g_timeout_source_new (delay_ms);
  g_source_set_name (req->backoff, "[verdict] llm retry backoff");
  g_source_set_callback (req->backoff, on_backoff_done, g_object_ref (task), g_object_unref);
  g_source_attach (req->backoff, g_task_get_context (task));
}

/* A failure reported by libsoup or GIO while sending or reading. */
static void
attempt_failed_io (GTask        *task,
                   const GError *io_error)
{
  VdLlmRequest *req = g_task_get_task_data (task);
  VdLlmClient *self = g_task_get_source_object (task);
  gboolean nothing_delivered = req->n_delivered == 0;
  GError *error;

  if (g_error_matches (io_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      if ((!req->timed_out && !req->over_deadline) ||
          g_cancellable_is_cancelled (req->cancellable))
        {
          attempt_clear (req);
          _vd_llm_request_complete_cancelled (task);
          return;
        }

      /* Not retried: another attempt would take as long. */
      if (req->over_deadline)
        {
          attempt_failed (task,
                          request_error (req, VD_LLM_ERROR_TIMEOUT,
                                         "the answer took longer than %u s; it was stopped "
                                         "after %" G_GSIZE_FORMAT " bytes of text",
                                         self->answer_timeout, req->n_delivered),
                          FALSE, 0);
          return;
        }

      switch (req->phase)
        {
        case VD_LLM_PHASE_CONNECTING:
          error = request_error (req, VD_LLM_ERROR_TIMEOUT, "could not connect within %u s",
                                 self->connect_timeout);
          break;

        case VD_LLM_PHASE_WAITING:
          error = request_error (req, VD_LLM_ERROR_TIMEOUT, "no answer for %u s",
                                 self->idle_timeout);
          break;

        case VD_LLM_PHASE_READING:
        default:
          error = request_error (req, VD_LLM_ERROR_TIMEOUT, "the answer stalled for %u s",
                                 self->idle_timeout);
          break;
        }

      attempt_failed (task, error, nothing_delivered, 0);
      return;
    }

  if (io_error->domain == G_TLS_ERROR)
    {
      attempt_failed (task,
                      request_error (req, VD_LLM_ERROR_UNREACHABLE, "%s", io_error->message),
                      FALSE, 0);
      return;
    }

  if (req->body == NULL)
    error = request_error (req, VD_LLM_ERROR_UNREACHABLE, "%s", io_error->message);
  else
    error = request_error (req, VD_LLM_ERROR_BAD_RESPONSE, "the answer was cut off: %s",
                           io_error->message);

  attempt_failed (task, error, nothing_delivered, 0);
}

static gboolean
on_watchdog (gpointer user_data)
{
  GTask *task = user_data;
  VdLlmRequest *req = g_task_get_task_data (task);

  clear_source (&req->watchdog);
  req->timed_out = TRUE;
  g_cancellable_cancel (req->attempt_cancellable);

  return G_SOURCE_REMOVE;
}

/* (Re)starts the silence timer: called on every sign of life. */
static void
watchdog_arm (GTask      *task,
              VdLlmPhase  phase)
{
  VdLlmClient *self = g_task_get_source_object (task);
  VdLlmRequest *req = g_task_get_task_data (task);
  guint seconds = phase == VD_LLM_PHASE_CONNECTING ? self->connect_timeout : self->idle_timeout;

  clear_source (&req->watchdog);
  req->phase = phase;

  if (seconds == 0)
    return;

  /* No reference: the watchdog never outlives the attempt. */
  req->watchdog = g_timeout_source_new ((guint) MIN ((guint64) seconds * 1000, G_MAXUINT));
  g_source_set_name (req->watchdog, "[verdict] llm watchdog");
  g_source_set_callback (req->watchdog, on_watchdog, task, NULL);
  g_source_attach (req->watchdog, g_task_get_context (task));
}

static gboolean
on_deadline (gpointer user_data)
{
  GTask *task = user_data;
  VdLlmRequest *req = g_task_get_task_data (task);

  clear_source (&req->deadline);
  req->over_deadline = TRUE;
  g_cancellable_cancel (req->attempt_cancellable);

  return G_SOURCE_REMOVE;
}

/* The silence timer cannot stop a server that sends a byte now and then
 * for ever: the whole answer gets a time too, from its first byte. */
static void
deadline_arm (GTask *task)
{
  VdLlmClient *self = g_task_get_source_object (task);
  VdLlmRequest *req = g_task_get_task_data (task);

  clear_source (&req->deadline);
  if (self->answer_timeout == 0)
    return;

  /* No reference: the deadline never outlives the attempt. */
  req->deadline = g_timeout_source_new ((guint) MIN ((guint64) self->answer_timeout * 1000,
                                                     G_MAXUINT));
  g_source_set_name (req->deadline, "[verdict] llm answer deadline");
  g_source_set_callback (req->deadline, on_deadline, task, NULL);
  g_source_attach (req->deadline, g_task_get_context (task));
}

static void
on_wrote_headers (SoupMessage  *message,
                  VdLlmRequest *req)
{
  if (req->phase == VD_LLM_PHASE_CONNECTING)
    watchdog_arm (req->task, VD_LLM_PHASE_WAITING);
}

/* Passes on the content that arrived since @before. */
static void
deliver (GTask *task,
         gsize  before)
{
  VdLlmRequest *req = g_task_get_task_data (task);
  GString *content = req->answer.content;

  if (content->len <= before)
    return;

  req->n_delivered += content->len - before;

  if (req->delta_func != NULL)
    req->delta_func (content->str + before, req->delta_data);
}

static void
finish_answer (GTask *task)
{
  VdLlmRequest *req = g_task_get_task_data (task);
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(GError) error = NULL;
  gboolean want_object = req->schema != NULL || (req->flags & VD_LLM_CHAT_FLAGS_JSON) != 0;
  VdLlmReply *reply;

  if (!_vd_llm_answer_finish (&req->answer, want_object, &object, &error))
    {
      attempt_failed (task, request_error_from (req, error), FALSE, 0);
      return;
    }

  reply = g_new0 (VdLlmReply, 1);
  reply->text = g_strdup (req->answer.content->str);
  reply->object = g_steal_pointer (&object);
  complete (task, reply, NULL);
}

/* A whole (not streamed) chat completion. */
static void
finish_completion (GTask *task)
{
  VdLlmRequest *req = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!_vd_llm_answer_parse_completion (&req->answer, (const char *) req->raw->data,
                                        req->raw->len, &error))
    {
      /* An error report in a 200 may be a passing failure. */
      attempt_failed (task, request_error_from (req, error),
                      g_error_matches (error, VD_LLM_ERROR, VD_LLM_ERROR_SERVER_ERROR), 0);
      return;
    }

  /* A server that answered a stream request with one whole object. */
  if (req->stream)
    deliver (task, 0);

  finish_answer (task);
}

static gboolean
on_sse_event (const char  *data,
              gsize        length,
              gpointer     user_data,
              GError     **error)
{
  GTask *task = user_data;
  VdLlmRequest *req = g_task_get_task_data (task);
  gsize before = req->answer.content->len;

  if (!_vd_llm_answer_add_event (&req->answer, data, length, error))
    return FALSE;

  deliver (task, before);
  return TRUE;
}

/* Ends the attempt after the stream parser failed with @error: an error
 * reported by the server is retried while no text was shown. */
static void
stream_failed (GTask  *task,
               GError *error)
{
  VdLlmRequest *req = g_task_get_task_data (task);
  gboolean retryable = g_error_matches (error, VD_LLM_ERROR, VD_LLM_ERROR_SERVER_ERROR) &&
                       req->n_delivered == 0;

  attempt_failed (task, request_error_from (req, error), retryable, 0);
  g_error_free (error);
}

static void
handle_http_error (GTask *task)
{
  VdLlmClient *self = g_task_get_source_object (task);
  VdLlmRequest *req = g_task_get_task_data (task);
  g_autofree char *server_message = _vd_llm_server_message ((const char *) req->raw->data,
                                                            req->raw->len);
  g_autofree char *suffix = server_message ? g_strdup_printf (": %s", server_message)
                                           : g_strdup ("");
  const char *phrase = req->status == HTTP_TOO_MANY_REQUESTS
                         ? "Too Many Requests" : soup_status_get_phrase (req->status);
  guint status = req->status;
  guint retry_after = 0;

  if (status == SOUP_STATUS_UNAUTHORIZED || status == SOUP_STATUS_FORBIDDEN)
    {
      attempt_failed (task,
                      request_error (req, VD_LLM_ERROR_UNAUTHORIZED, "%s (HTTP %u %s)%s",
                                     self->api_key ? "the API key was refused"
                                                   : "the server wants an API key",
                                     status, phrase, suffix),
                      FALSE, 0);
      return;
    }

  if (status == SOUP_STATUS_BAD_REQUEST && req->format == VD_LLM_FORMAT_JSON_SCHEMA && req->raw != NULL)
    {
      g_autofree char *body = g_strndup ((const char *) req->raw->data, req->raw->len);

      if (strstr (body, "response_format") != NULL || strstr (body, "json_schema") != NULL)
        {
          /* Not a retry: the same request in a form more servers accept. */
          g_debug ("%s: json_schema not supported, asking for json_object", req->url);
          req->format = VD_LLM_FORMAT_JSON_OBJECT;
          attempt_clear (req);
          _vd_llm_request_start (task);
          return;
        }
    }

  if (status == HTTP_TOO_MANY_REQUESTS || status == SOUP_STATUS_SERVICE_UNAVAILABLE)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      const char *value;

      value = soup_message_headers_get_one (soup_message_get_response_headers (req->message),
                                            "Retry-After");
      if (value != NULL && _vd_llm_parse_retry_after (value, now, &retry_after) &&
          retry_after > MAX_RETRY_AFTER_S)
        {
          attempt_failed (task,
                          request_error (req,
                                         status == HTTP_TOO_MANY_REQUESTS
                                           ? VD_LLM_ERROR_RATE_LIMITED
                                           : VD_LLM_ERROR_SERVER_ERROR,
                                         "HTTP %u %s, retry after %u s%s",
                                         status, phrase, retry_after, suffix),
                          FALSE, 0);
          return;
        }
    }

  if (status == HTTP_TOO_MANY_REQUESTS)
    attempt_failed (task,
                    request_error (req, VD_LLM_ERROR_RATE_LIMITED, "rate limited (HTTP %u %s)%s",
                                   status, phrase, suffix),
                    TRUE, retry_after);
  else if (SOUP_STATUS_IS_SERVER_ERROR (status))
    attempt_failed (task,
                    request_error (req, VD_LLM_ERROR_SERVER_ERROR, "server error (HTTP %u %s)%s",
                                   status, phrase, suffix),
                    TRUE, retry_after);
  else if (SOUP_STATUS_IS_REDIRECTION (status))
    {
      const char *location =
        soup_message_headers_get_one (soup_message_get_response_headers (req->message),
                                      "Location");

      /* Not followed: the key would go along to wherever it points. */
      attempt_failed (task,
                      request_error (req, VD_LLM_ERROR_BAD_REQUEST,
                                     "the server redirects (HTTP %u %s) to %s; set the "
                                     "endpoint to where it points",
                                     status, phrase, location ? location : "nowhere"),
                      FALSE, 0);
    }
  else if (SOUP_STATUS_IS_CLIENT_ERROR (status))
    attempt_failed (task,
                    request_error (req, VD_LLM_ERROR_BAD_REQUEST,
                                   "request rejected (HTTP %u %s)%s", status, phrase, suffix),
                    FALSE, 0);
  else
    attempt_failed (task,
                    request_error (req, VD_LLM_ERROR_BAD_RESPONSE, "unexpected HTTP %u %s%s",
                                   status, phrase, suffix),
                    FALSE, 0);
}

static void
on_end_of_answer (GTask *task)
{
  VdLlmRequest *req = g_task_get_task_data (task);

  clear_source (&req->watchdog);

  if (!SOUP_STATUS_IS_SUCCESSFUL (req->status))
    {
      handle_http_error (task);
      return;
    }

  if (!req->sse)
    {
      finish_completion (task);
      return;
    }

  {
    g_autoptr(GError) error = NULL;

    /* Lenient with a last event that lacks its blank line. */
    if (!_vd_llm_sse_parser_finish (req->sse_parser, &error))
      {
        stream_failed (task, g_steal_pointer (&error));
        return;
      }
  }

  if (!req->answer.done)
    {
      attempt_failed (task,
                      request_error (req, VD_LLM_ERROR_BAD_RESPONSE,
                                     "the stream ended before [DONE] after %" G_GSIZE_FORMAT
                                     " bytes of text",
                                     req->n_delivered),
                      req->n_delivered == 0, 0);
      return;
    }

  finish_answer (task);
}

static void read_next (GTask *task);

static void
on_read (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  VdLlmRequest *req = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  const char *data;
  gsize len;

  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);

  if (req->completed || req->body != G_INPUT_STREAM (object))
    return;

  if (bytes == NULL)
    {
      attempt_failed_io (task, error);
      return;
    }

  data = g_bytes_get_data (bytes, &len);
  if (len == 0)
    {
      on_end_of_answer (task);
      return;
    }

  watchdog_arm (task, VD_LLM_PHASE_READING);

  if (req->sse)
    {
      g_autoptr(GError) feed_error = NULL;

      if (!_vd_llm_sse_parser_feed (req->sse_parser, data, len, &feed_error))
        {
          stream_failed (task, g_steal_pointer (&feed_error));
          return;
        }

      /* The delta function may have cancelled the request meanwhile. */
      if (req->completed)
        return;
    }
  else if (!SOUP_STATUS_IS_SUCCESSFUL (req->status))
    {
      /* The start of an error body is all the message needs. */
      g_byte_array_append (req->raw, (const guint8 *) data,
                           (guint) MIN (len, MAX_ERROR_BODY_BYTES - MIN (req->raw->len,
                                                                         MAX_ERROR_BODY_BYTES)));
    }
  else
    {
      if (req->raw->len + len > VD_LLM_MAX_ANSWER_BYTES)
        {
          attempt_failed (task,
                          request_error (req, VD_LLM_ERROR_BAD_RESPONSE,
                                         "the answer is larger than %d bytes",
                                         VD_LLM_MAX_ANSWER_BYTES),
                          FALSE, 0);
          return;
        }
      g_byte_array_append (req->raw, (const guint8 *) data, (guint) len);
    }

  read_next (task);
}

static void
read_next (GTask *task)
{
  VdLlmRequest *req = g_task_get_task_data (task);

  g_input_stream_read_bytes_async (req->body, READ_CHUNK_BYTES, G_PRIORITY_DEFAULT,
                                   req->attempt_cancellable, on_read, g_object_ref (task));
}

static void
on_sent (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  VdLlmRequest *req = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) body = NULL;
  const char *content_type;

  body = soup_session_send_finish (SOUP_SESSION (object), result, &error);

  if (req->completed)
    return;

  if (body == NULL)
    {
      attempt_failed_io (task, error);
      return;
    }

  req->body = g_steal_pointer (&body);
  req->status = soup_message_get_status (req->message);
  deadline_arm (task);
  content_type = soup_message_headers_get_content_type (
    soup_message_get_response_headers (req->message), NULL);

  /* Some servers answer a stream request with one JSON object. */
  req->sse = req->stream && SOUP_STATUS_IS_SUCCESSFUL (req->status) &&
             g_strcmp0 (content_type, "application/json") != 0;

  watchdog_arm (task, VD_LLM_PHASE_READING);
  read_next (task);
}

static GBytes *
build_body (VdLlmClient  *self,
            VdLlmRequest *req)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  char *text;
  gsize len;

  json_object_set_string_member (body, "model", self->model);
  json_object_set_array_member (body, "messages", json_array_ref (req->messages));
  json_object_set_double_member (body, "temperature", self->temperature);
  json_object_set_boolean_member (body, "stream", req->stream);

  if (req->format == VD_LLM_FORMAT_JSON_SCHEMA)
    {
      JsonObject *format = json_object_new ();
      JsonObject *json_schema = json_object_new ();
      const char *title = json_object_get_string_member_with_default (req->schema, "title", NULL);
      g_autoptr(GString) name = g_string_new (NULL);

      /* The name must match [a-zA-Z0-9_-]{1,64}. */
      for (const char *p = title; p != NULL && *p != '\0' && name->len < 64; p++)
        if (g_ascii_isalnum (*p) || *p == '_' || *p == '-')
          g_string_append_c (name, *p);
      if (name->len == 0)
        g_string_assign (name, "response");

      json_object_set_string_member (json_schema, "name", name->str);
      json_object_set_object_member (json_schema, "schema", json_object_ref (req->schema));
      json_object_set_boolean_member (json_schema, "strict", TRUE);
      json_object_set_string_member (format, "type", "json_schema");
      json_object_set_object_member (format, "json_schema", json_schema);
      json_object_set_object_member (body, "response_format", format);
    }
  else if (req->format == VD_LLM_FORMAT_JSON_OBJECT)
    {
      JsonObject *format = json_object_new ();

      json_object_set_string_member (format, "type", "json_object");
      json_object_set_object_member (body, "response_format", format);
    }

  root = json_node_init_object (json_node_alloc (), body);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &len);

  return g_bytes_new_take (text, len);
}

/**
 * _vd_llm_request_check_key:
 * @req: a request
 *
 * Returns: (transfer full) (nullable): why the client's API key may not go
 *   with @req (plain http to another computer, not allowed), or %NULL
 */
GError *
_vd_llm_request_check_key (VdLlmRequest *req)
{
  VdLlmClient *self = g_task_get_source_object (req->task);
  g_autofree char *url = NULL;

  if (self->api_key == NULL)
    return NULL;

  url = g_uri_to_string (req->uri);
  if (vd_llm_key_allowed_for_url (url, self->allow_insecure_http))
    return NULL;

  return request_error (req, VD_LLM_ERROR_INSECURE,
                        "the API key would travel unencrypted over plain http to another "
                        "computer; use https, or allow plain http for this endpoint");
}

void
_vd_llm_request_start (GTask *task)
{
  VdLlmClient *self = g_task_get_source_object (task);
  VdLlmRequest *req = g_task_get_task_data (task);
  g_autoptr(GBytes) body = NULL;
  SoupMessageHeaders *headers;
  GError *error;

  attempt_clear (req);
  req->n_attempts++;
  req->attempt_cancellable = g_cancellable_new ();
  req->raw = g_byte_array_new ();
  req->sse_parser = _vd_llm_sse_parser_new (self->max_stream_bytes, self->max_stream_events,
                                            on_sse_event, task);
  _vd_llm_answer_init (&req->answer);

  /* The key may have been set while the request waited. */
  if ((error = _vd_llm_request_check_key (req)) != NULL)
    {
      complete (task, NULL, error);
      return;
    }

  body = build_body (self, req);
  req->message = soup_message_new_from_uri (SOUP_METHOD_POST, req->uri);
  /* A chat completion changes nothing on the server, so it may go over a
   * kept-alive connection (libsoup opens a new one for every POST
   * otherwise) and be resent by libsoup if that connection was closed
   * under it. */
  soup_message_add_flags (req->message, SOUP_MESSAGE_IDEMPOTENT);
  soup_message_set_request_body_from_bytes (req->message, "application/json", body);

  headers = soup_message_get_request_headers (req->message);
  soup_message_headers_replace (headers, "Accept",
                                req->stream ? "text/event-stream" : "application/json");
  if (self->api_key != NULL)
    {
      g_autofree char *authorization = g_strdup_printf ("Bearer %s", self->api_key);

      soup_message_headers_replace (headers, "Authorization", authorization);
      memset (authorization, 0, strlen (authorization));
      /* libsoup would send the header on to wherever a redirect points. */
      soup_message_add_flags (req->message, SOUP_MESSAGE_NO_REDIRECT);
    }

  g_signal_connect (req->message, "wrote-headers", G_CALLBACK (on_wrote_headers), req);
  watchdog_arm (task, VD_LLM_PHASE_CONNECTING);

  soup_session_send_async (self->session, req->message, G_PRIORITY_DEFAULT,
                           req->attempt_cancellable, on_sent, g_object_ref (task));
}
