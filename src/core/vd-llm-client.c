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

#define DEFAULT_CONNECT_TIMEOUT  10
#define DEFAULT_IDLE_TIMEOUT     300
#define DEFAULT_MAX_RETRIES      3
#define DEFAULT_RETRY_BASE_MS    500
#define DEFAULT_MAX_CONCURRENT   4
#define DEFAULT_TEMPERATURE      0.2

/* The session keeps at most this many connections per host; the queue in
 * front of it never lets more requests through than that. */
#define MAX_CONCURRENT_LIMIT     64
#define MAX_BACKOFF_MS           30000
/* A server asking for a longer pause than this gets an error instead:
 * nobody waits minutes for a review suggestion. */
#define MAX_RETRY_AFTER_S        120
#define MAX_ANSWER_BYTES         (16 * 1024 * 1024)
#define MAX_ERROR_BODY_BYTES     (64 * 1024)
#define READ_CHUNK_BYTES         16384
#define SERVER_MESSAGE_MAX_CHARS 200
#define HTTP_TOO_MANY_REQUESTS   429 /* not in SoupStatus */

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

G_DEFINE_FINAL_TYPE (VdLlmClient, vd_llm_client, G_TYPE_OBJECT)

G_DEFINE_QUARK (vd-llm-error-quark, vd_llm_error)

enum {
  PROP_0,
  PROP_BASE_URL,
  PROP_MODEL,
  PROP_API_KEY,
  PROP_CONNECT_TIMEOUT,
  PROP_IDLE_TIMEOUT,
  PROP_MAX_RETRIES,
  PROP_RETRY_BASE_MS,
  PROP_MAX_CONCURRENT,
  PROP_TEMPERATURE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef enum
{
  FORMAT_NONE,
  FORMAT_JSON_OBJECT,
  FORMAT_JSON_SCHEMA,
} ResponseFormat;

/* Which timeout the watchdog measures. */
typedef enum
{
  PHASE_CONNECTING,
  PHASE_WAITING,
  PHASE_READING,
} Phase;

typedef struct
{
  char       *text;
  JsonObject *object;
} Reply;

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
  ResponseFormat  format;
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
  Phase           phase;
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
} Request;

static void attempt_start (GTask *task);
static void pump          (VdLlmClient *self);

static gboolean
set_str (char       **field,
         const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;

  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

static void
reply_free (Reply *reply)
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
attempt_clear (Request *req)
{
  clear_source (&req->watchdog);

  if (req->message != NULL)
    g_signal_handlers_disconnect_matched (req->message, G_SIGNAL_MATCH_DATA,
                                          0, 0, NULL, NULL, req);
  g_clear_object (&req->message);
  g_clear_object (&req->body);
  g_clear_object (&req->attempt_cancellable);
  g_clear_pointer (&req->raw, g_byte_array_unref);
  if (req->line != NULL)
    g_string_free (g_steal_pointer (&req->line), TRUE);
  if (req->event_data != NULL)
    g_string_free (g_steal_pointer (&req->event_data), TRUE);
  if (req->text != NULL)
    g_string_free (g_steal_pointer (&req->text), TRUE);
  if (req->refusal != NULL)
    g_string_free (g_steal_pointer (&req->refusal), TRUE);
  g_clear_pointer (&req->finish_reason, g_free);
  req->has_event_data = FALSE;
  req->got_done = FALSE;
  req->timed_out = FALSE;
  req->status = 0;
  req->sse = FALSE;
}

static void
request_free (Request *req)
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

/* Some text worth quoting in an error message: one line, bounded. */
static char *
summarize (const char *text,
           gsize       max_chars)
{
  g_autoptr(GString) out = g_string_new (NULL);
  gboolean space = FALSE;
  gsize n = 0;

  if (!g_utf8_validate (text, -1, NULL))
    return g_strdup ("(not UTF-8)");

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c))
        {
          space = out->len > 0;
          continue;
        }

      if (n >= max_chars)
        {
          g_string_append (out, "…");
          break;
        }

      if (space)
        {
          g_string_append_c (out, ' ');
          n++;
          space = FALSE;
        }
      g_string_append_unichar (out, c);
      n++;
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* The human-readable part of an error body: OpenAI and Ollama send
 * {"error": {"message": ...}}, others {"error": "..."} or plain text. */
static char *
extract_server_message (GByteArray *raw)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autofree char *text = NULL;
  JsonNode *root;

  if (raw == NULL || raw->len == 0)
    return NULL;

  text = g_strndup ((const char *) raw->data, raw->len);
  parser = json_parser_new ();

  if (json_parser_load_from_data (parser, text, -1, NULL) &&
      (root = json_parser_get_root (parser)) != NULL &&
      JSON_NODE_HOLDS_OBJECT (root))
    {
      JsonObject *object = json_node_get_object (root);
      JsonNode *error = json_object_get_member (object, "error");
      const char *message = NULL;

      if (error != NULL && JSON_NODE_HOLDS_OBJECT (error))
        {
          JsonObject *error_object = json_node_get_object (error);

          if (json_object_has_member (error_object, "message"))
            message = json_object_get_string_member_with_default (error_object, "message", NULL);
        }
      else if (error != NULL && json_node_get_value_type (error) == G_TYPE_STRING)
        {
          message = json_node_get_string (error);
        }
      else if (json_object_has_member (object, "message"))
        {
          message = json_object_get_string_member_with_default (object, "message", NULL);
        }

      if (message == NULL || *message == '\0')
        return NULL;

      return summarize (message, SERVER_MESSAGE_MAX_CHARS);
    }

  g_strstrip (text);
  if (*text == '\0')
    return NULL;

  return summarize (text, SERVER_MESSAGE_MAX_CHARS);
}

/**
 * _vd_llm_extract_json_object:
 * @text: a model's answer
 *
 * Finds the first complete JSON object in @text, skipping text around it
 * such as Markdown code fences or an introduction.
 *
 * Returns: (transfer full) (nullable): the object, or %NULL if there is none
 */
JsonObject *
_vd_llm_extract_json_object (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_return_val_if_fail (text != NULL, NULL);

  for (const char *start = strchr (text, '{'); start != NULL; start = strchr (start + 1, '{'))
    {
      gboolean in_string = FALSE;
      gboolean escaped = FALSE;
      int depth = 0;
      const char *end = NULL;
      JsonNode *root;

      for (const char *p = start; *p != '\0'; p++)
        {
          if (in_string)
            {
              if (escaped)
                escaped = FALSE;
              else if (*p == '\\')
                escaped = TRUE;
              else if (*p == '"')
                in_string = FALSE;
              continue;
            }

          if (*p == '"')
            in_string = TRUE;
          else if (*p == '{' || *p == '[')
            depth++;
          else if ((*p == '}' || *p == ']') && --depth == 0)
            {
              end = p + 1;
              break;
            }
        }

      /* Unbalanced from here on: no later start can do better. */
      if (end == NULL)
        return NULL;

      if (*start == '{' && end[-1] == '}' &&
          json_parser_load_from_data (parser, start, end - start, NULL) &&
          (root = json_parser_get_root (parser)) != NULL &&
          JSON_NODE_HOLDS_OBJECT (root))
        return json_object_ref (json_node_get_object (root));
    }

  return NULL;
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
request_error (Request    *req,
               int         code,
               const char *format,
               ...) G_GNUC_PRINTF (3, 4);

/* An error whose message starts with the URL asked. */
static GError *
request_error (Request    *req,
               int         code,
               const char *format,
               ...)
{
  g_autofree char *what = NULL;
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);

  return g_error_new (VD_LLM_ERROR, code, "%s: %s", req->url, what);
}

static void
complete (GTask  *task_in,
          Reply  *reply,
          GError *error)
{
  g_autoptr(GTask) task = g_object_ref (task_in);
  g_autoptr(VdLlmClient) self = g_object_ref (g_task_get_source_object (task));
  Request *req = g_task_get_task_data (task);

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
    g_task_return_pointer (task, reply, (GDestroyNotify) reply_free);

  pump (self);
}

static void
complete_cancelled (GTask *task)
{
  complete (task, NULL,
            g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "Operation was cancelled"));
}

static guint
backoff_delay_ms (VdLlmClient *self,
                  guint        n_retries)
{
  guint64 delay = self->retry_base_ms;

  for (guint i = 1; i < n_retries && delay < MAX_BACKOFF_MS; i++)
    delay *= 2;
  delay = MIN (delay, MAX_BACKOFF_MS);

  /* Half fixed, half random, so that clients failing together spread out. */
  return (guint) (delay / 2 + g_random_int_range (0, (gint32) (delay / 2) + 1));
}

static gboolean
on_backoff_done (gpointer user_data)
{
  GTask *task = user_data;
  Request *req = g_task_get_task_data (task);

  clear_source (&req->backoff);
  attempt_start (task);

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
  Request *req = g_task_get_task_data (task);
  guint delay_ms;

  attempt_clear (req);

  if (g_cancellable_is_cancelled (req->cancellable))
    {
      g_error_free (error);
      complete_cancelled (task);
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
  Request *req = g_task_get_task_data (task);
  VdLlmClient *self = g_task_get_source_object (task);
  gboolean nothing_delivered = req->n_delivered == 0;
  GError *error;

  if (g_error_matches (io_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      if (!req->timed_out || g_cancellable_is_cancelled (req->cancellable))
        {
          attempt_clear (req);
          complete_cancelled (task);
          return;
        }

      switch (req->phase)
        {
        case PHASE_CONNECTING:
          error = request_error (req, VD_LLM_ERROR_TIMEOUT, "could not connect within %u s",
                                 self->connect_timeout);
          break;

        case PHASE_WAITING:
          error = request_error (req, VD_LLM_ERROR_TIMEOUT, "no answer for %u s",
                                 self->idle_timeout);
          break;

        case PHASE_READING:
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
  Request *req = g_task_get_task_data (task);

  clear_source (&req->watchdog);
  req->timed_out = TRUE;
  g_cancellable_cancel (req->attempt_cancellable);

  return G_SOURCE_REMOVE;
}

/* (Re)starts the silence timer: called on every sign of life. */
static void
watchdog_arm (GTask *task,
              Phase  phase)
{
  VdLlmClient *self = g_task_get_source_object (task);
  Request *req = g_task_get_task_data (task);
  guint seconds = phase == PHASE_CONNECTING ? self->connect_timeout : self->idle_timeout;

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

static void
on_wrote_headers (SoupMessage *message,
                  Request     *req)
{
  if (req->phase == PHASE_CONNECTING)
    watchdog_arm (req->task, PHASE_WAITING);
}

static void
deliver (GTask      *task,
         const char *delta)
{
  Request *req = g_task_get_task_data (task);

  if (delta == NULL || *delta == '\0')
    return;

  g_string_append (req->text, delta);
  req->n_delivered += strlen (delta);

  if (req->delta_func != NULL)
    req->delta_func (delta, req->delta_data);
}

static void
finish_content (GTask      *task,
                const char *content)
{
  Request *req = g_task_get_task_data (task);
  g_autoptr(JsonObject) object = NULL;
  Reply *reply;

  if (req->refusal != NULL && req->refusal->len > 0)
    {
      g_autofree char *refusal = summarize (req->refusal->str, SERVER_MESSAGE_MAX_CHARS);

      attempt_failed (task, request_error (req, VD_LLM_ERROR_REFUSED, "the model refused: %s",
                                           refusal),
                      FALSE, 0);
      return;
    }

  if (g_strcmp0 (req->finish_reason, "content_filter") == 0)
    {
      attempt_failed (task,
                      request_error (req, VD_LLM_ERROR_REFUSED,
                                     "the server's content filter withheld the answer"),
                      FALSE, 0);
      return;
    }

  if (req->schema != NULL || (req->flags & VD_LLM_CHAT_FLAGS_JSON) != 0)
    {
      object = _vd_llm_extract_json_object (content);

      if (object == NULL)
        {
          g_autofree char *quoted = summarize (content, 80);
          const char *cut = g_strcmp0 (req->finish_reason, "length") == 0
                              ? " (cut off at the token limit)" : "";
          GError *error;

          if (*quoted == '\0')
            error = request_error (req, VD_LLM_ERROR_BAD_RESPONSE, "the answer is empty%s", cut);
          else
            error = request_error (req, VD_LLM_ERROR_BAD_RESPONSE,
                                   "the answer holds no JSON object%s: “%s”", cut, quoted);
          attempt_failed (task, error, FALSE, 0);
          return;
        }
    }

  reply = g_new0 (Reply, 1);
  reply->text = g_strdup (content);
  reply->object = g_steal_pointer (&object);
  complete (task, reply, NULL);
}

/* Takes the content out of a whole (not streamed) chat completion. */
static void
finish_completion (GTask *task)
{
  Request *req = g_task_get_task_data (task);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) parse_error = NULL;
  JsonObject *root_object;
  JsonObject *message;
  JsonObject *choice;
  JsonArray *choices;
  JsonNode *node;
  JsonNode *root;
  const char *content = "";

  if (!json_parser_load_from_data (parser, (const char *) req->raw->data, req->raw->len,
                                   &parse_error))
    {
      attempt_failed (task,
                      request_error (req, VD_LLM_ERROR_BAD_RESPONSE,
                                     "the answer is not valid JSON: %s", parse_error->message),
                      FALSE, 0);
      return;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      attempt_failed (task,
                      request_error (req, VD_LLM_ERROR_BAD_RESPONSE,
                                     "the answer is not a JSON object"),
                      FALSE, 0);
      return;
    }

  root_object = json_node_get_object (root);
  if (json_object_has_member (root_object, "error"))
    {
      g_autofree char *message_text = extract_server_message (req->raw);

      attempt_failed (task,
                      request_error (req, VD_LLM_ERROR_SERVER_ERROR, "the server reported: %s",
                                     message_text ? message_text : "an error"),
                      TRUE, 0);
      return;
    }

  node = json_object_get_member (root_object, "choices");
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node) ||
      json_array_get_length (choices = json_node_get_array (node)) == 0 ||
      !JSON_NODE_HOLDS_OBJECT (json_array_get_element (choices, 0)))
    {
      attempt_failed (task,
                      request_error (req, VD_LLM_ERROR_BAD_RESPONSE, "the answer has no choices"),
                      FALSE, 0);
      return;
    }

  choice = json_array_get_object_element (choices, 0);
  node = json_object_get_member (choice, "message");
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      attempt_failed (task,
                      request_error (req, VD_LLM_ERROR_BAD_RESPONSE,
                                     "the answer has no choices[0].message"),
                      FALSE, 0);
      return;
    }
  message = json_node_get_object (node);

  node = json_object_get_member (choice, "finish_reason");
  if (node != NULL && json_node_get_value_type (node) == G_TYPE_STRING)
    req->finish_reason = g_strdup (json_node_get_string (node));

  node = json_object_get_member (message, "refusal");
  if (node != NULL && json_node_get_value_type (node) == G_TYPE_STRING)
    g_string_append (req->refusal, json_node_get_string (node));

  node = json_object_get_member (message, "content");
  if (node != NULL && json_node_get_value_type (node) == G_TYPE_STRING)
    content = json_node_get_string (node);
  else if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    {
      attempt_failed (task,
                      request_error (req, VD_LLM_ERROR_BAD_RESPONSE,
                                     "choices[0].message.content is not text"),
                      FALSE, 0);
      return;
    }

  /* A server that answered a stream request with one whole object. */
  if (req->stream)
    deliver (task, content);

  finish_content (task, content);
}

/* One server-sent event's data. Returns FALSE after failing the attempt. */
static gboolean
dispatch_event (GTask      *task,
                const char *data)
{
  Request *req = g_task_get_task_data (task);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) parse_error = NULL;
  JsonObject *object;
  JsonObject *choice;
  JsonArray *choices;
  JsonNode *node;
  JsonNode *root;

  if (req->got_done)
    return TRUE;

  if (strcmp (data, "[DONE]") == 0)
    {
      req->got_done = TRUE;
      return TRUE;
    }

  if (!json_parser_load_from_data (parser, data, -1, &parse_error) ||
      (root = json_parser_get_root (parser)) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (root))
    {
      attempt_failed (task,
                      request_error (req, VD_LLM_ERROR_BAD_RESPONSE,
                                     "a stream event is not a JSON object: %s",
                                     parse_error ? parse_error->message : data),
                      FALSE, 0);
      return FALSE;
    }

  object = json_node_get_object (root);
  if (json_object_has_member (object, "error"))
    {
      g_autoptr(GByteArray) raw = g_byte_array_new ();
      g_autofree char *message = NULL;

      g_byte_array_append (raw, (const guint8 *) data, strlen (data));
      message = extract_server_message (raw);
      attempt_failed (task,
                      request_error (req, VD_LLM_ERROR_SERVER_ERROR,
                                     "the server reported in the stream: %s",
                                     message ? message : "an error"),
                      req->n_delivered == 0, 0);
      return FALSE;
    }

  node = json_object_get_member (object, "choices");
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return TRUE;

  /* A final usage chunk may have no choices at all. */
  choices = json_node_get_array (node);
  if (json_array_get_length (choices) == 0 ||
      !JSON_NODE_HOLDS_OBJECT (json_array_get_element (choices, 0)))
    return TRUE;
  choice = json_array_get_object_element (choices, 0);

  node = json_object_get_member (choice, "finish_reason");
  if (node != NULL && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      g_free (req->finish_reason);
      req->finish_reason = g_strdup (json_node_get_string (node));
    }

  node = json_object_get_member (choice, "delta");
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *delta = json_node_get_object (node);

      node = json_object_get_member (delta, "refusal");
      if (node != NULL && json_node_get_value_type (node) == G_TYPE_STRING)
        g_string_append (req->refusal, json_node_get_string (node));

      node = json_object_get_member (delta, "content");
      if (node != NULL && json_node_get_value_type (node) == G_TYPE_STRING)
        deliver (task, json_node_get_string (node));
    }

  return TRUE;
}

/* One line of a server-sent event stream, without its line end. */
static gboolean
process_line (GTask      *task,
              const char *line)
{
  Request *req = g_task_get_task_data (task);
  const char *value;

  if (*line == '\0')
    {
      if (!req->has_event_data)
        return TRUE;

      req->has_event_data = FALSE;
      if (!dispatch_event (task, req->event_data->str))
        return FALSE;
      g_string_truncate (req->event_data, 0);
      return TRUE;
    }

  if (!g_str_has_prefix (line, "data:"))
    return TRUE; /* comments (keep-alives), event names, ids */

  value = line + strlen ("data:");
  if (*value == ' ')
    value++;

  if (req->has_event_data)
    g_string_append_c (req->event_data, '\n');
  g_string_append (req->event_data, value);
  req->has_event_data = TRUE;

  return TRUE;
}

static gboolean
feed_sse (GTask       *task,
          const char  *data,
          gsize        len)
{
  Request *req = g_task_get_task_data (task);
  gsize start = 0;

  g_string_append_len (req->line, data, len);

  for (gsize i = 0; i < req->line->len; i++)
    {
      if (req->line->str[i] != '\n')
        continue;

      req->line->str[i] = '\0';
      if (i > start && req->line->str[i - 1] == '\r')
        req->line->str[i - 1] = '\0';

      if (!process_line (task, req->line->str + start))
        return FALSE;
      start = i + 1;
    }

  g_string_erase (req->line, 0, start);

  if (req->line->len > MAX_ANSWER_BYTES)
    {
      attempt_failed (task,
                      request_error (req, VD_LLM_ERROR_BAD_RESPONSE,
                                     "a stream line is longer than %d bytes", MAX_ANSWER_BYTES),
                      FALSE, 0);
      return FALSE;
    }

  return TRUE;
}

static void
handle_http_error (GTask *task)
{
  VdLlmClient *self = g_task_get_source_object (task);
  Request *req = g_task_get_task_data (task);
  g_autofree char *server_message = extract_server_message (req->raw);
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

  if (status == SOUP_STATUS_BAD_REQUEST && req->format == FORMAT_JSON_SCHEMA && req->raw != NULL)
    {
      g_autofree char *body = g_strndup ((const char *) req->raw->data, req->raw->len);

      if (strstr (body, "response_format") != NULL || strstr (body, "json_schema") != NULL)
        {
          /* Not a retry: the same request in a form more servers accept. */
          g_debug ("%s: json_schema not supported, asking for json_object", req->url);
          req->format = FORMAT_JSON_OBJECT;
          attempt_clear (req);
          attempt_start (task);
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
  Request *req = g_task_get_task_data (task);

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

  /* Be lenient with a last event that lacks its blank line. */
  if (req->line->len > 0)
    {
      g_autofree char *line = g_strdup (req->line->str);

      g_string_truncate (req->line, 0);
      g_strchomp (line);
      if (!process_line (task, line))
        return;
    }
  if (req->has_event_data && !process_line (task, ""))
    return;

  if (!req->got_done)
    {
      attempt_failed (task,
                      request_error (req, VD_LLM_ERROR_BAD_RESPONSE,
                                     "the stream ended before [DONE] after %" G_GSIZE_FORMAT
                                     " bytes of text",
                                     req->n_delivered),
                      req->n_delivered == 0, 0);
      return;
    }

  {
    g_autofree char *content = g_strdup (req->text->str);

    finish_content (task, content);
  }
}

static void
read_next (GTask *task);

static void
on_read (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Request *req = g_task_get_task_data (task);
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

  watchdog_arm (task, PHASE_READING);

  if (req->sse)
    {
      if (!feed_sse (task, data, len))
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
      if (req->raw->len + len > MAX_ANSWER_BYTES)
        {
          attempt_failed (task,
                          request_error (req, VD_LLM_ERROR_BAD_RESPONSE,
                                         "the answer is larger than %d bytes", MAX_ANSWER_BYTES),
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
  Request *req = g_task_get_task_data (task);

  g_input_stream_read_bytes_async (req->body, READ_CHUNK_BYTES, G_PRIORITY_DEFAULT,
                                   req->attempt_cancellable, on_read, g_object_ref (task));
}

static void
on_sent (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Request *req = g_task_get_task_data (task);
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
  content_type = soup_message_headers_get_content_type (
    soup_message_get_response_headers (req->message), NULL);

  /* Some servers answer a stream request with one JSON object. */
  req->sse = req->stream && SOUP_STATUS_IS_SUCCESSFUL (req->status) &&
             g_strcmp0 (content_type, "application/json") != 0;

  watchdog_arm (task, PHASE_READING);
  read_next (task);
}

static GBytes *
build_body (VdLlmClient *self,
            Request     *req)
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

  if (req->format == FORMAT_JSON_SCHEMA)
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
  else if (req->format == FORMAT_JSON_OBJECT)
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

static void
attempt_start (GTask *task)
{
  VdLlmClient *self = g_task_get_source_object (task);
  Request *req = g_task_get_task_data (task);
  g_autoptr(GBytes) body = NULL;
  SoupMessageHeaders *headers;

  attempt_clear (req);
  req->n_attempts++;
  req->attempt_cancellable = g_cancellable_new ();
  req->raw = g_byte_array_new ();
  req->line = g_string_new (NULL);
  req->event_data = g_string_new (NULL);
  req->text = g_string_new (NULL);
  req->refusal = g_string_new (NULL);

  body = build_body (self, req);
  req->message = soup_message_new_from_uri (SOUP_METHOD_POST, req->uri);
  soup_message_set_request_body_from_bytes (req->message, "application/json", body);

  headers = soup_message_get_request_headers (req->message);
  soup_message_headers_replace (headers, "Accept",
                                req->stream ? "text/event-stream" : "application/json");
  if (self->api_key != NULL)
    {
      g_autofree char *authorization = g_strdup_printf ("Bearer %s", self->api_key);

      soup_message_headers_replace (headers, "Authorization", authorization);
    }

  g_signal_connect (req->message, "wrote-headers", G_CALLBACK (on_wrote_headers), req);
  watchdog_arm (task, PHASE_CONNECTING);

  soup_session_send_async (self->session, req->message, G_PRIORITY_DEFAULT,
                           req->attempt_cancellable, on_sent, g_object_ref (task));
}

/* Starts waiting requests while there is room. */
static void
pump (VdLlmClient *self)
{
  GTask *task;

  if (self->pumping)
    return;
  self->pumping = TRUE;

  while (self->n_running < self->max_concurrent &&
         (task = g_queue_pop_head (&self->waiting)) != NULL)
    {
      Request *req = g_task_get_task_data (task);

      req->queued = FALSE;
      req->running = TRUE;
      self->n_running++;
      attempt_start (task);
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
  Request *req = g_task_get_task_data (task);

  if (req->completed)
    return G_SOURCE_REMOVE;

  if (req->queued)
    {
      req->queued = FALSE;
      g_queue_remove (&self->waiting, task);
      complete_cancelled (task);
      g_object_unref (task);
    }
  else if (req->backoff != NULL)
    {
      complete_cancelled (task);
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
  Request *req;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);
  g_task_set_name (task, stream ? "vd_llm_client_chat_stream_async" : "vd_llm_client_chat_async");

  req = g_new0 (Request, 1);
  req->task = task;
  req->messages = json_array_ref (messages);
  req->schema = schema ? json_object_ref (schema) : NULL;
  req->flags = flags;
  req->stream = stream;
  req->delta_func = delta_func;
  req->delta_data = delta_data;
  req->delta_destroy = delta_destroy;
  req->cancellable = cancellable ? g_object_ref (cancellable) : NULL;
  req->url = vd_llm_client_dup_endpoint_url (self);

  if ((flags & VD_LLM_CHAT_FLAGS_NO_RESPONSE_FORMAT) != 0)
    req->format = FORMAT_NONE;
  else if (schema != NULL)
    req->format = FORMAT_JSON_SCHEMA;
  else if ((flags & VD_LLM_CHAT_FLAGS_JSON) != 0)
    req->format = FORMAT_JSON_OBJECT;
  else
    req->format = FORMAT_NONE;

  g_task_set_task_data (task, req, (GDestroyNotify) request_free);

  req->uri = g_uri_parse (req->url, SOUP_HTTP_URI_FLAGS, NULL);
  if (req->uri == NULL ||
      (g_strcmp0 (g_uri_get_scheme (req->uri), "http") != 0 &&
       g_strcmp0 (g_uri_get_scheme (req->uri), "https") != 0) ||
      g_uri_get_host (req->uri) == NULL || *g_uri_get_host (req->uri) == '\0')
    {
      req->completed = TRUE;
      g_task_return_error (task, request_error (req, VD_LLM_ERROR_UNREACHABLE,
                                                "not an http or https URL"));
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
  pump (self);
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
  Reply *reply;
  char *text;

  if (object != NULL)
    *object = NULL;

  reply = g_task_propagate_pointer (G_TASK (result), error);
  if (reply == NULL)
    return NULL;

  text = g_steal_pointer (&reply->text);
  if (object != NULL)
    *object = g_steal_pointer (&reply->object);
  reply_free (reply);

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
   * `{base-url}/chat/completions`.
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
                       0, MAX_BACKOFF_MS, DEFAULT_RETRY_BASE_MS,
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
  g_return_if_fail (VD_IS_LLM_CLIENT (self));

  if (base_url == NULL)
    base_url = VD_LLM_CLIENT_DEFAULT_BASE_URL;

  if (set_str (&self->base_url, base_url))
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

  if (set_str (&self->model, model))
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

  retry_base_ms = MIN (retry_base_ms, MAX_BACKOFF_MS);
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
      pump (self);
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
  gsize len;

  g_return_val_if_fail (VD_IS_LLM_CLIENT (self), NULL);

  base = g_strstrip (g_strdup (self->base_url));
  len = strlen (base);
  while (len > 0 && base[len - 1] == '/')
    base[--len] = '\0';

  return g_strconcat (base, "/chat/completions", NULL);
}
