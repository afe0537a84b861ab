/* vd-test-llm-server.c
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

#define G_LOG_DOMAIN "vd-test-llm-server"

#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "vd-test-llm-server.h"

#define CHAT_PATH "/v1/chat/completions"

typedef enum
{
  REPLY_CONTENT,
  REPLY_RAW,
  REPLY_STREAM,
  REPLY_STREAM_CUT,
  REPLY_HANG,
} ReplyKind;

struct _VdTestReply
{
  ReplyKind   kind;
  guint       status;
  char       *content_type;
  char       *body;
  char       *content;
  GStrv       deltas;
  guint       delay_ms;
  guint       chunk_delay_ms;
  GStrv       header_names;
  GStrv       header_values;
  char       *finish_reason;
  char       *refusal;
};

typedef struct
{
  char       *path;
  char       *body;
  JsonObject *json;
  GHashTable *headers;   /* lower-case name -> value */
  gint64      arrival;
  gint64      duration;
} Record;

struct _VdTestLlmServer
{
  GThread      *thread;
  GMainContext *context;
  GMainLoop    *loop;
  SoupServer   *server;
  char         *base_url;
  char         *endpoint;

  GMutex        mutex;
  GCond         cond;
  gboolean      ready;
  GError       *start_error;

  /* Under the mutex. */
  GQueue        script;
  VdTestReply  *default_reply;
  GPtrArray    *records;
  guint         in_flight;
  guint         peak;

  /* Server thread only. */
  GPtrArray    *exchanges;
  GPtrArray    *held_streams;
};

/* One request being answered (server thread only). */
typedef struct
{
  VdTestLlmServer   *server;
  SoupServerMessage *msg;
  VdTestReply       *reply;
  char              *model;
  guint              index;
  guint              next_delta;
  GSource           *timer;
  gboolean           done;
  gboolean           stolen;
} Exchange;

static VdTestReply *
reply_new (ReplyKind kind)
{
  VdTestReply *reply = g_new0 (VdTestReply, 1);

  reply->kind = kind;
  reply->status = SOUP_STATUS_OK;
  reply->header_names = g_new0 (char *, 1);
  reply->header_values = g_new0 (char *, 1);
  return reply;
}

VdTestReply *
vd_test_reply_new_content (const char *content)
{
  VdTestReply *reply = reply_new (REPLY_CONTENT);

  reply->content = g_strdup (content);
  return reply;
}

VdTestReply *
vd_test_reply_new_raw (guint       status,
                       const char *content_type,
                       const char *body)
{
  VdTestReply *reply = reply_new (REPLY_RAW);

  reply->status = status;
  reply->content_type = g_strdup (content_type);
  reply->body = g_strdup (body);
  return reply;
}

VdTestReply *
vd_test_reply_new_stream (const char **deltas)
{
  VdTestReply *reply = reply_new (REPLY_STREAM);

  reply->deltas = g_strdupv ((char **) deltas);
  return reply;
}

VdTestReply *
vd_test_reply_new_stream_cut (const char **deltas)
{
  VdTestReply *reply = reply_new (REPLY_STREAM_CUT);

  reply->deltas = g_strdupv ((char **) deltas);
  return reply;
}

VdTestReply *
vd_test_reply_new_hang (void)
{
  return reply_new (REPLY_HANG);
}

void
vd_test_reply_set_delay (VdTestReply *reply,
                         guint        delay_ms)
{
  reply->delay_ms = delay_ms;
}

void
vd_test_reply_set_chunk_delay (VdTestReply *reply,
                               guint        delay_ms)
{
  reply->chunk_delay_ms = delay_ms;
}

void
vd_test_reply_set_header (VdTestReply *reply,
                          const char  *name,
                          const char  *value)
{
  guint n = g_strv_length (reply->header_names);

  reply->header_names = g_renew (char *, reply->header_names, n + 2);
  reply->header_values = g_renew (char *, reply->header_values, n + 2);
  reply->header_names[n] = g_strdup (name);
  reply->header_values[n] = g_strdup (value);
  reply->header_names[n + 1] = NULL;
  reply->header_values[n + 1] = NULL;
}

void
vd_test_reply_set_finish_reason (VdTestReply *reply,
                                 const char  *finish_reason)
{
  g_free (reply->finish_reason);
  reply->finish_reason = g_strdup (finish_reason);
}

void
vd_test_reply_set_refusal (VdTestReply *reply,
                           const char  *refusal)
{
  g_free (reply->refusal);
  reply->refusal = g_strdup (refusal);
}

static VdTestReply *
reply_copy (const VdTestReply *reply)
{
  VdTestReply *copy = g_new0 (VdTestReply, 1);

  *copy = *reply;
  copy->content_type = g_strdup (reply->content_type);
  copy->body = g_strdup (reply->body);
  copy->content = g_strdup (reply->content);
  copy->deltas = g_strdupv (reply->deltas);
  copy->header_names = g_strdupv (reply->header_names);
  copy->header_values = g_strdupv (reply->header_values);
  copy->finish_reason = g_strdup (reply->finish_reason);
  copy->refusal = g_strdup (reply->refusal);
  return copy;
}

void
vd_test_reply_free (VdTestReply *reply)
{
  if (reply == NULL)
    return;

  g_free (reply->content_type);
  g_free (reply->body);
  g_free (reply->content);
  g_strfreev (reply->deltas);
  g_strfreev (reply->header_names);
  g_strfreev (reply->header_values);
  g_free (reply->finish_reason);
  g_free (reply->refusal);
  g_free (reply);
}

static void
record_free (Record *record)
{
  g_free (record->path);
  g_free (record->body);
  g_clear_pointer (&record->json, json_object_unref);
  g_hash_table_unref (record->headers);
  g_free (record);
}

static void
exchange_free (Exchange *ex)
{
  if (ex->timer != NULL)
    {
      g_source_destroy (ex->timer);
      g_source_unref (ex->timer);
    }
  if (ex->msg != NULL)
    g_signal_handlers_disconnect_matched (ex->msg, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, ex);
  g_clear_object (&ex->msg);
  vd_test_reply_free (ex->reply);
  g_free (ex->model);
  g_free (ex);
}

/* The request is over for the server: count it out once. */
static void
exchange_done (Exchange *ex)
{
  VdTestLlmServer *self = ex->server;
  Record *record;

  if (ex->done)
    return;
  ex->done = TRUE;

  g_mutex_lock (&self->mutex);
  record = g_ptr_array_index (self->records, ex->index);
  record->duration = MAX (1, g_get_monotonic_time () - record->arrival);
  self->in_flight--;
  g_mutex_unlock (&self->mutex);
}

static char *
completion_json (Exchange *ex)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, "chatcmpl-test");
  json_builder_set_member_name (builder, "object");
  json_builder_add_string_value (builder, "chat.completion");
  json_builder_set_member_name (builder, "created");
  json_builder_add_int_value (builder, 1767225600);
  json_builder_set_member_name (builder, "model");
  json_builder_add_string_value (builder, ex->model ? ex->model : "test");
  json_builder_set_member_name (builder, "choices");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "index");
  json_builder_add_int_value (builder, 0);
  json_builder_set_member_name (builder, "message");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "role");
  json_builder_add_string_value (builder, "assistant");
  json_builder_set_member_name (builder, "content");
  if (ex->reply->content != NULL)
    json_builder_add_string_value (builder, ex->reply->content);
  else
    json_builder_add_null_value (builder);
  if (ex->reply->refusal != NULL)
    {
      json_builder_set_member_name (builder, "refusal");
      json_builder_add_string_value (builder, ex->reply->refusal);
    }
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "finish_reason");
  json_builder_add_string_value (builder, ex->reply->finish_reason ? ex->reply->finish_reason
                                                                    : "stop");
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "usage");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "prompt_tokens");
  json_builder_add_int_value (builder, 10);
  json_builder_set_member_name (builder, "completion_tokens");
  json_builder_add_int_value (builder, 5);
  json_builder_set_member_name (builder, "total_tokens");
  json_builder_add_int_value (builder, 15);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

/* One server-sent event: a delta (text), or the final chunk (NULL). */
static char *
chunk_event (Exchange   *ex,
             const char *delta)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *json = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, "chatcmpl-test");
  json_builder_set_member_name (builder, "object");
  json_builder_add_string_value (builder, "chat.completion.chunk");
  json_builder_set_member_name (builder, "model");
  json_builder_add_string_value (builder, ex->model ? ex->model : "test");
  json_builder_set_member_name (builder, "choices");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "index");
  json_builder_add_int_value (builder, 0);
  json_builder_set_member_name (builder, "delta");
  json_builder_begin_object (builder);
  if (delta != NULL)
    {
      json_builder_set_member_name (builder, "content");
      json_builder_add_string_value (builder, delta);
    }
  if (delta == NULL && ex->reply->refusal != NULL)
    {
      json_builder_set_member_name (builder, "refusal");
      json_builder_add_string_value (builder, ex->reply->refusal);
    }
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "finish_reason");
  if (delta != NULL)
    json_builder_add_null_value (builder);
  else
    json_builder_add_string_value (builder, ex->reply->finish_reason ? ex->reply->finish_reason
                                                                      : "stop");
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json = json_generator_to_data (generator, NULL);

  return g_strdup_printf ("data: %s\n\n", json);
}

static void
set_extra_headers (Exchange *ex)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (ex->msg);

  for (guint i = 0; ex->reply->header_names[i] != NULL; i++)
    soup_message_headers_replace (headers, ex->reply->header_names[i],
                                  ex->reply->header_values[i]);
}

static void
respond_whole (Exchange *ex)
{
  g_autofree char *body = NULL;
  const char *content_type = "application/json";

  if (ex->reply->kind == REPLY_CONTENT)
    body = completion_json (ex);
  else
    {
      body = g_strdup (ex->reply->body ? ex->reply->body : "");
      if (ex->reply->content_type != NULL)
        content_type = ex->reply->content_type;
    }

  soup_server_message_set_status (ex->msg, ex->reply->status, NULL);
  set_extra_headers (ex);
  soup_server_message_set_response (ex->msg, content_type, SOUP_MEMORY_COPY,
                                    body, strlen (body));
}

static gboolean send_next_chunk (gpointer user_data);

static void
schedule (Exchange    *ex,
          guint        delay_ms,
          GSourceFunc  func)
{
  if (ex->timer != NULL)
    {
      g_source_destroy (ex->timer);
      g_source_unref (ex->timer);
    }
  ex->timer = g_timeout_source_new (delay_ms);
  g_source_set_callback (ex->timer, func, ex, NULL);
  g_source_attach (ex->timer, ex->server->context);
}

static gboolean
send_next_chunk (gpointer user_data)
{
  Exchange *ex = user_data;
  SoupMessageBody *body = soup_server_message_get_response_body (ex->msg);
  const char *delta = ex->reply->deltas[ex->next_delta];
  g_autofree char *event = NULL;

  g_clear_pointer (&ex->timer, g_source_unref);

  /* The client has gone. */
  if (ex->done)
    return G_SOURCE_REMOVE;

  if (delta != NULL)
    {
      event = chunk_event (ex, delta);
      soup_message_body_append (body, SOUP_MEMORY_COPY, event, strlen (event));
      ex->next_delta++;
      soup_server_message_unpause (ex->msg);

      if (ex->reply->chunk_delay_ms > 0)
        schedule (ex, ex->reply->chunk_delay_ms, send_next_chunk);
      else
        send_next_chunk (ex);
      return G_SOURCE_REMOVE;
    }

  event = chunk_event (ex, NULL);
  soup_message_body_append (body, SOUP_MEMORY_COPY, event, strlen (event));
  soup_message_body_append (body, SOUP_MEMORY_STATIC, "data: [DONE]\n\n",
                            strlen ("data: [DONE]\n\n"));
  soup_message_body_complete (body);
  soup_server_message_unpause (ex->msg);

  return G_SOURCE_REMOVE;
}

static void
start_stream (Exchange *ex)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (ex->msg);

  soup_server_message_set_status (ex->msg, SOUP_STATUS_OK, NULL);
  soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
  soup_message_headers_set_content_type (headers, "text/event-stream", NULL);
  set_extra_headers (ex);
  soup_server_message_pause (ex->msg);
  send_next_chunk (ex);
}

/* Writes the start of a chunked event stream by hand on the stolen
 * connection and closes it before [DONE]. */
static void
cut_stream (Exchange *ex)
{
  g_autoptr(GIOStream) stream = NULL;
  g_autoptr(GString) out = NULL;

  ex->stolen = TRUE;
  stream = soup_server_message_steal_connection (ex->msg);
  out = g_string_new ("HTTP/1.1 200 OK\r\n"
                      "Content-Type: text/event-stream\r\n"
                      "Transfer-Encoding: chunked\r\n"
                      "\r\n");

  for (guint i = 0; ex->reply->deltas[i] != NULL; i++)
    {
      g_autofree char *event = chunk_event (ex, ex->reply->deltas[i]);

      g_string_append_printf (out, "%zx\r\n%s\r\n", strlen (event), event);
    }

  g_output_stream_write_all (g_io_stream_get_output_stream (stream), out->str, out->len,
                             NULL, NULL, NULL);
  g_io_stream_close (stream, NULL, NULL);
  exchange_done (ex);
}

static gboolean
on_delay_done (gpointer user_data)
{
  Exchange *ex = user_data;

  g_clear_pointer (&ex->timer, g_source_unref);

  if (ex->done)
    return G_SOURCE_REMOVE;

  if (ex->reply->kind == REPLY_STREAM)
    {
      soup_server_message_unpause (ex->msg);
      start_stream (ex);
    }
  else if (ex->reply->kind == REPLY_STREAM_CUT)
    {
      cut_stream (ex);
    }
  else
    {
      respond_whole (ex);
      soup_server_message_unpause (ex->msg);
    }

  return G_SOURCE_REMOVE;
}

static void
on_finished (SoupServerMessage *msg,
             Exchange          *ex)
{
  exchange_done (ex);

  /* Let go of the message (and its connection) unless something still
   * refers to the exchange; the rest go at shutdown. */
  if (ex->timer == NULL && !ex->stolen)
    g_ptr_array_remove_fast (ex->server->exchanges, ex);
}

static void
handle_request (SoupServer        *server,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  VdTestLlmServer *self = user_data;
  SoupMessageBody *request_body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (request_body);
  g_autoptr(JsonParser) parser = json_parser_new ();
  SoupMessageHeadersIter iter;
  const char *name;
  const char *value;
  Record *record;
  Exchange *ex;
  JsonNode *root;

  record = g_new0 (Record, 1);
  record->path = g_strdup (path);
  record->body = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  record->headers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  record->arrival = g_get_monotonic_time ();
  if (json_parser_load_from_data (parser, record->body, -1, NULL) &&
      (root = json_parser_get_root (parser)) != NULL && JSON_NODE_HOLDS_OBJECT (root))
    record->json = json_object_ref (json_node_get_object (root));

  soup_message_headers_iter_init (&iter, soup_server_message_get_request_headers (msg));
  while (soup_message_headers_iter_next (&iter, &name, &value))
    g_hash_table_replace (record->headers, g_ascii_strdown (name, -1), g_strdup (value));

  ex = g_new0 (Exchange, 1);
  ex->server = self;
  ex->msg = g_object_ref (msg);
  if (record->json != NULL)
    ex->model = g_strdup (json_object_get_string_member_with_default (record->json, "model",
                                                                      NULL));
  g_ptr_array_add (self->exchanges, ex);

  g_mutex_lock (&self->mutex);
  ex->index = self->records->len;
  g_ptr_array_add (self->records, record);
  self->in_flight++;
  self->peak = MAX (self->peak, self->in_flight);
  if (strcmp (path, CHAT_PATH) != 0 ||
      soup_server_message_get_method (msg) != SOUP_METHOD_POST)
    ex->reply = vd_test_reply_new_raw (SOUP_STATUS_NOT_FOUND, "application/json",
                                       "{\"error\": {\"message\": \"no such endpoint\"}}");
  else if (!g_queue_is_empty (&self->script))
    ex->reply = g_queue_pop_head (&self->script);
  else
    ex->reply = reply_copy (self->default_reply);
  g_mutex_unlock (&self->mutex);

  g_signal_connect (msg, "finished", G_CALLBACK (on_finished), ex);

  switch (ex->reply->kind)
    {
    case REPLY_HANG:
      ex->stolen = TRUE;
      g_ptr_array_add (self->held_streams, soup_server_message_steal_connection (msg));
      exchange_done (ex);
      return;

    case REPLY_STREAM_CUT:
      if (ex->reply->delay_ms == 0)
        {
          cut_stream (ex);
          return;
        }
      break;

    case REPLY_STREAM:
      if (ex->reply->delay_ms == 0)
        {
          start_stream (ex);
          return;
        }
      break;

    case REPLY_CONTENT:
    case REPLY_RAW:
    default:
      if (ex->reply->delay_ms == 0)
        {
          respond_whole (ex);
          return;
        }
      break;
    }

  soup_server_message_pause (msg);
  schedule (ex, ex->reply->delay_ms, on_delay_done);
}

static gboolean
quit_loop (gpointer user_data)
{
  VdTestLlmServer *self = user_data;

  g_main_loop_quit (self->loop);
  return G_SOURCE_REMOVE;
}

static gpointer
server_thread (gpointer user_data)
{
  VdTestLlmServer *self = user_data;
  g_autoptr(GError) error = NULL;
  GSList *uris;

  g_main_context_push_thread_default (self->context);

  self->server = soup_server_new ("server-header", "vd-test-llm-server ", NULL);
  soup_server_add_handler (self->server, NULL, handle_request, self, NULL);

  if (soup_server_listen_local (self->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error))
    {
      uris = soup_server_get_uris (self->server);
      g_assert (uris != NULL);
      self->base_url = g_strdup_printf ("http://127.0.0.1:%d/v1", g_uri_get_port (uris->data));
      self->endpoint = g_strconcat (self->base_url, "/chat/completions", NULL);
      g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
    }

  g_mutex_lock (&self->mutex);
  self->start_error = g_steal_pointer (&error);
  self->ready = TRUE;
  g_cond_signal (&self->cond);
  g_mutex_unlock (&self->mutex);

  if (self->base_url != NULL)
    g_main_loop_run (self->loop);

  /* Tear down in this thread, where the server and its messages live. */
  for (guint i = 0; i < self->held_streams->len; i++)
    g_io_stream_close (g_ptr_array_index (self->held_streams, i), NULL, NULL);
  g_ptr_array_set_size (self->held_streams, 0);
  soup_server_disconnect (self->server);
  g_ptr_array_set_size (self->exchanges, 0);
  g_clear_object (&self->server);
  while (g_main_context_iteration (self->context, FALSE))
    ;

  g_main_context_pop_thread_default (self->context);

  return NULL;
}

VdTestLlmServer *
vd_test_llm_server_new (void)
{
  VdTestLlmServer *self = g_new0 (VdTestLlmServer, 1);

  g_mutex_init (&self->mutex);
  g_cond_init (&self->cond);
  g_queue_init (&self->script);
  self->context = g_main_context_new ();
  self->loop = g_main_loop_new (self->context, FALSE);
  self->records = g_ptr_array_new_with_free_func ((GDestroyNotify) record_free);
  self->exchanges = g_ptr_array_new_with_free_func ((GDestroyNotify) exchange_free);
  self->held_streams = g_ptr_array_new_with_free_func (g_object_unref);
  self->default_reply = vd_test_reply_new_content ("{\"content\": \"ok\", \"confidence\": 0.9, "
                                                   "\"reasoning\": \"default\"}");

  self->thread = g_thread_new ("vd-test-llm-server", server_thread, self);

  g_mutex_lock (&self->mutex);
  while (!self->ready)
    g_cond_wait (&self->cond, &self->mutex);
  g_mutex_unlock (&self->mutex);

  g_assert_no_error (self->start_error);

  return self;
}

void
vd_test_llm_server_free (VdTestLlmServer *self)
{
  GSource *source;

  if (self == NULL)
    return;

  source = g_idle_source_new ();
  g_source_set_callback (source, quit_loop, self, NULL);
  g_source_attach (source, self->context);
  g_source_unref (source);
  g_thread_join (self->thread);

  g_queue_clear_full (&self->script, (GDestroyNotify) vd_test_reply_free);
  vd_test_reply_free (self->default_reply);
  g_ptr_array_unref (self->records);
  g_ptr_array_unref (self->exchanges);
  g_ptr_array_unref (self->held_streams);
  g_main_loop_unref (self->loop);
  g_main_context_unref (self->context);
  g_free (self->base_url);
  g_free (self->endpoint);
  g_mutex_clear (&self->mutex);
  g_cond_clear (&self->cond);
  g_free (self);
}

const char *
vd_test_llm_server_get_base_url (VdTestLlmServer *self)
{
  return self->base_url;
}

const char *
vd_test_llm_server_get_endpoint (VdTestLlmServer *self)
{
  return self->endpoint;
}

void
vd_test_llm_server_push (VdTestLlmServer *self,
                         VdTestReply     *reply)
{
  g_mutex_lock (&self->mutex);
  g_queue_push_tail (&self->script, reply);
  g_mutex_unlock (&self->mutex);
}

void
vd_test_llm_server_set_default (VdTestLlmServer *self,
                                VdTestReply     *reply)
{
  g_mutex_lock (&self->mutex);
  vd_test_reply_free (self->default_reply);
  self->default_reply = reply;
  g_mutex_unlock (&self->mutex);
}

guint
vd_test_llm_server_get_n_requests (VdTestLlmServer *self)
{
  guint n;

  g_mutex_lock (&self->mutex);
  n = self->records->len;
  g_mutex_unlock (&self->mutex);

  return n;
}

guint
vd_test_llm_server_get_peak (VdTestLlmServer *self)
{
  guint n;

  g_mutex_lock (&self->mutex);
  n = self->peak;
  g_mutex_unlock (&self->mutex);

  return n;
}

guint
vd_test_llm_server_get_n_pending (VdTestLlmServer *self)
{
  guint n;

  g_mutex_lock (&self->mutex);
  n = self->script.length;
  g_mutex_unlock (&self->mutex);

  return n;
}

static Record *
get_record (VdTestLlmServer *self,
            guint            index)
{
  g_assert_cmpuint (index, <, self->records->len);
  return g_ptr_array_index (self->records, index);
}

JsonObject *
vd_test_llm_server_dup_body (VdTestLlmServer *self,
                             guint            index)
{
  JsonObject *body;

  g_mutex_lock (&self->mutex);
  body = get_record (self, index)->json;
  body = body ? json_object_ref (body) : NULL;
  g_mutex_unlock (&self->mutex);

  return body;
}

char *
vd_test_llm_server_dup_header (VdTestLlmServer *self,
                               guint            index,
                               const char      *name)
{
  g_autofree char *lower = g_ascii_strdown (name, -1);
  char *value;

  g_mutex_lock (&self->mutex);
  value = g_strdup (g_hash_table_lookup (get_record (self, index)->headers, lower));
  g_mutex_unlock (&self->mutex);

  return value;
}

char *
vd_test_llm_server_dup_path (VdTestLlmServer *self,
                             guint            index)
{
  char *path;

  g_mutex_lock (&self->mutex);
  path = g_strdup (get_record (self, index)->path);
  g_mutex_unlock (&self->mutex);

  return path;
}

gint64
vd_test_llm_server_get_arrival (VdTestLlmServer *self,
                                guint            index)
{
  gint64 arrival;

  g_mutex_lock (&self->mutex);
  arrival = get_record (self, index)->arrival;
  g_mutex_unlock (&self->mutex);

  return arrival;
}

gint64
vd_test_llm_server_get_duration (VdTestLlmServer *self,
                                 guint            index)
{
  gint64 duration;

  g_mutex_lock (&self->mutex);
  duration = get_record (self, index)->duration;
  g_mutex_unlock (&self->mutex);

  return duration;
}

void
vd_test_llm_server_reset (VdTestLlmServer *self)
{
  g_mutex_lock (&self->mutex);
  g_queue_clear_full (&self->script, (GDestroyNotify) vd_test_reply_free);
  self->peak = self->in_flight;
  g_mutex_unlock (&self->mutex);
}

static gboolean
on_wait_timeout (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

void
vd_test_wait_for (gboolean *done,
                  guint     timeout_ms)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (timeout_ms, on_wait_timeout, &timed_out);

  while (!*done && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (!timed_out)
    g_source_remove (id);

  g_assert_true (*done);
}
