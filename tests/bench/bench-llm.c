/* bench-llm.c: the LLM client's own cost per request
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

#define G_LOG_DOMAIN "bench-llm"

#include "config.h"

#include <stdlib.h>

#include <libsoup/soup.h>

#include "vd-llm-client.h"
#include "vd-test-llm-server.h"

/* Usage: bench-llm [N_REQUESTS]   (default 2000)
 *
 * Against the test server on 127.0.0.1 (its own thread), which answers at
 * once with a small structured object:
 *
 * 1. N requests one after the other through VdLlmClient (schema, parsed
 *    object): client time, server time (handler to last byte), and the
 *    difference, which is what the client and the loopback cost;
 * 2. the same requests through a bare SoupSession, reading the body whole:
 *    the part of (1) that is libsoup and the socket, not our code;
 * 3. throughput with N requests in flight through the queue;
 * 4. main-loop latency while K streams (20 ms between deltas) run at
 *    once: how many the UI thread can carry and stay responsive. */

#define ANSWER "{\"content\": \"Refund approved for order 1234.\", \"confidence\": 0.91, " \
               "\"reasoning\": \"Policy allows refunds under $100.\", \"metadata\": " \
               "{\"amount\": 42.5}}"

typedef struct
{
  guint  done;
  guint  failed;
  gint64 finished_at;
} Counter;

static int
compare_int64 (gconstpointer a,
               gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static void
report (const char *label,
        GArray     *samples)
{
  double sum = 0;

  g_array_sort (samples, compare_int64);
  for (guint i = 0; i < samples->len; i++)
    sum += g_array_index (samples, gint64, i);

  g_print ("%-34s mean %7.1f us  median %6" G_GINT64_FORMAT " us  p95 %6" G_GINT64_FORMAT
           " us  max %6" G_GINT64_FORMAT " us\n",
           label, sum / samples->len,
           g_array_index (samples, gint64, samples->len / 2),
           g_array_index (samples, gint64, samples->len * 95 / 100),
           g_array_index (samples, gint64, samples->len - 1));
}

static void
on_chat_done (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Counter *counter = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autofree char *text = NULL;

  text = vd_llm_client_chat_finish (VD_LLM_CLIENT (object), result, &answer, &error);
  if (text == NULL || answer == NULL)
    {
      g_printerr ("request failed: %s\n", error ? error->message : "no object");
      counter->failed++;
    }
  counter->done++;
  counter->finished_at = g_get_monotonic_time ();
}

static void
on_stream_done (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Counter *counter = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  text = vd_llm_client_chat_stream_finish (VD_LLM_CLIENT (object), result, NULL, &error);
  if (text == NULL)
    {
      g_printerr ("stream failed: %s\n", error->message);
      counter->failed++;
    }
  counter->done++;
}

static void
on_sent_whole (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Counter *counter = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;

  bytes = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  if (bytes == NULL)
    counter->failed++;
  counter->done++;
}

static void
wait_for (Counter *counter,
          guint    n)
{
  while (counter->done < n)
    g_main_context_iteration (NULL, TRUE);
}

static JsonObject *
schema (void)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  if (!json_parser_load_from_data (parser,
                                   "{\"title\": \"agent_output\", \"type\": \"object\", "
                                   "\"properties\": {\"content\": {\"type\": \"string\"}, "
                                   "\"confidence\": {\"type\": \"number\"}}, "
                                   "\"required\": [\"content\", \"confidence\"]}", -1, NULL))
    g_error ("bad schema");
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static void
sequential_client (VdTestLlmServer *server,
                   VdLlmClient     *client,
                   guint            n,
                   gboolean         print)
{
  g_autoptr(GArray) client_times = g_array_sized_new (FALSE, FALSE, sizeof (gint64), n);
  g_autoptr(GArray) server_times = g_array_sized_new (FALSE, FALSE, sizeof (gint64), n);
  g_autoptr(GArray) overheads = g_array_sized_new (FALSE, FALSE, sizeof (gint64), n);
  g_autoptr(JsonArray) messages = vd_llm_messages_new ("You are a support agent.",
                                                       "May I get a refund for order 1234?");
  g_autoptr(JsonObject) answer_schema = schema ();
  guint first = vd_test_llm_server_get_n_requests (server);
  Counter counter = { 0 };

  for (guint i = 0; i < n; i++)
    {
      gint64 start = g_get_monotonic_time ();
      gint64 elapsed;
      gint64 server_time;

      vd_llm_client_chat_async (client, messages, answer_schema, VD_LLM_CHAT_FLAGS_NONE, NULL,
                                on_chat_done, &counter);
      wait_for (&counter, i + 1);
      elapsed = counter.finished_at - start;

      /* The server counts its time up to the last byte written, which may
       * be noted a moment after the client has it. */
      while ((server_time = vd_test_llm_server_get_duration (server, first + i)) == 0)
        g_usleep (10);

      g_array_append_val (client_times, elapsed);
      g_array_append_val (server_times, server_time);
      elapsed -= server_time;
      g_array_append_val (overheads, elapsed);
    }

  if (counter.failed > 0)
    g_error ("%u requests failed", counter.failed);

  if (!print)
    return;

  report ("client (VdLlmClient, whole)", client_times);
  report ("server (handler to last byte)", server_times);
  report ("client minus server", overheads);
}

static void
sequential_soup (VdTestLlmServer *server,
                 guint            n)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(GArray) times = g_array_sized_new (FALSE, FALSE, sizeof (gint64), n);
  g_autoptr(GBytes) body = NULL;
  Counter counter = { 0 };
  const char *text = "{\"model\": \"bench\", \"messages\": [{\"role\": \"user\", \"content\": "
                     "\"May I get a refund for order 1234?\"}], \"stream\": false}";

  body = g_bytes_new_static (text, strlen (text));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SoupMessage) message = NULL;
      gint64 start = g_get_monotonic_time ();
      gint64 elapsed;

      message = soup_message_new (SOUP_METHOD_POST, vd_test_llm_server_get_endpoint (server));
      soup_message_add_flags (message, SOUP_MESSAGE_IDEMPOTENT);
      soup_message_set_request_body_from_bytes (message, "application/json", body);
      soup_session_send_and_read_async (session, message, G_PRIORITY_DEFAULT, NULL,
                                        on_sent_whole, &counter);
      wait_for (&counter, i + 1);
      elapsed = g_get_monotonic_time () - start;
      g_array_append_val (times, elapsed);
    }

  if (counter.failed > 0)
    g_error ("%u bare requests failed", counter.failed);

  report ("bare SoupSession, same exchange", times);
}

static void
throughput (VdLlmClient *client,
            guint        n,
            guint        max_concurrent)
{
  g_autoptr(JsonArray) messages = vd_llm_messages_new (NULL, "Classify this ticket.");
  g_autoptr(JsonObject) answer_schema = schema ();
  Counter counter = { 0 };
  gint64 start;
  double seconds;

  vd_llm_client_set_max_concurrent (client, max_concurrent);
  start = g_get_monotonic_time ();
  for (guint i = 0; i < n; i++)
    vd_llm_client_chat_async (client, messages, answer_schema, VD_LLM_CHAT_FLAGS_NONE, NULL,
                              on_chat_done, &counter);
  wait_for (&counter, n);
  seconds = (g_get_monotonic_time () - start) / 1e6;

  if (counter.failed > 0)
    g_error ("%u requests failed", counter.failed);

  g_print ("%u requests queued at once, max-concurrent %2u: %6.0f requests/s\n",
           n, max_concurrent, n / seconds);
}

typedef struct
{
  gint64  expected;
  GArray *lags;
} Probe;

static gboolean
on_probe (gpointer user_data)
{
  Probe *probe = user_data;
  gint64 now = g_get_monotonic_time ();
  gint64 lag = MAX (0, now - probe->expected);

  g_array_append_val (probe->lags, lag);
  probe->expected = now + 5000;

  return G_SOURCE_CONTINUE;
}

static void
on_delta (const char *delta,
          gpointer    user_data)
{
  guint *n_deltas = user_data;

  (*n_deltas)++;
}

/* K streams of 50 deltas, 20 ms apart, at once; a 5 ms timer on the same
 * main context measures how late it fires. */
static void
streams_latency (VdTestLlmServer *server,
                 VdLlmClient     *client,
                 guint            k)
{
  const char *words[51];
  VdTestReply *reply;
  g_autoptr(JsonArray) messages = vd_llm_messages_new (NULL, "Draft a reply.");
  g_autoptr(GArray) lags = g_array_new (FALSE, FALSE, sizeof (gint64));
  Probe probe = { g_get_monotonic_time () + 5000, lags };
  Counter counter = { 0 };
  guint n_deltas = 0;
  guint probe_id;
  gint64 start;
  char label[64];

  for (guint i = 0; i < 50; i++)
    words[i] = "word ";
  words[50] = NULL;
  reply = vd_test_reply_new_stream (words);
  vd_test_reply_set_chunk_delay (reply, 20);
  vd_test_llm_server_set_default (server, reply);
  vd_llm_client_set_max_concurrent (client, MIN (k, 64));

  probe_id = g_timeout_add (5, on_probe, &probe);
  start = g_get_monotonic_time ();
  for (guint i = 0; i < k; i++)
    vd_llm_client_chat_stream_async (client, messages, NULL, VD_LLM_CHAT_FLAGS_NONE,
                                     on_delta, &n_deltas, NULL, NULL, on_stream_done, &counter);
  wait_for (&counter, k);
  g_source_remove (probe_id);

  if (counter.failed > 0)
    g_error ("%u streams failed", counter.failed);

  g_snprintf (label, sizeof label, "%3u streams: main-loop lag", k);
  report (label, lags);
  g_print ("%34s %u deltas in %.2f s (%.0f deltas/s)\n", "",
           n_deltas, (g_get_monotonic_time () - start) / 1e6,
           n_deltas / ((g_get_monotonic_time () - start) / 1e6));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(VdTestLlmServer) server = NULL;
  g_autoptr(VdLlmClient) client = NULL;
  guint n = argc > 1 ? (guint) atoi (argv[1]) : 2000;

  g_unsetenv ("http_proxy");
  g_unsetenv ("HTTP_PROXY");
  g_unsetenv ("all_proxy");
  g_unsetenv ("ALL_PROXY");

  if (n < 10)
    n = 10;

  server = vd_test_llm_server_new ();
  vd_test_llm_server_set_default (server, vd_test_reply_new_content (ANSWER));
  client = vd_llm_client_new (vd_test_llm_server_get_base_url (server), "bench");

  /* Warm up: connections, type registration, allocator. */
  sequential_client (server, client, 50, FALSE);
  g_print ("--- %u requests one after the other ---\n", n);
  sequential_client (server, client, n, TRUE);
  sequential_soup (server, n);

  g_print ("--- throughput ---\n");
  throughput (client, n, 4);
  throughput (client, n, 16);

  g_print ("--- streams on one main context ---\n");
  streams_latency (server, client, 4);
  streams_latency (server, client, 16);
  streams_latency (server, client, 64);
  streams_latency (server, client, 256);

  return 0;
}
