/* fuzz-llm-sse.c: libFuzzer target for a streamed chat completion
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

/*
 * The input is a server-sent event stream after four bytes that decide
 * how it is cut into chunks (a server, or the network, chooses that) and
 * which caps apply. The chunks go to the incremental parser the client
 * uses, and each event's data through the same handling as in the client
 * (_vd_llm_answer_add_event), then the answer is finished as the client
 * finishes it. Besides crashes and leaks, a failed check here is what the
 * client promises: every delta passed on is valid UTF-8, and an object
 * found in the answer holds only valid text and finite numbers.
 */

#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vd-json-guard.h"
#include "vd-llm-client-private.h"
#include "fuzz-common.h"

#define N_SEED_BYTES 4

typedef struct
{
  VdLlmAnswer answer;
  guint       n_deltas;
} Stream;

int LLVMFuzzerInitialize (int    *argc,
                          char ***argv);

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init ();
  return 0;
}

/* What on_sse_event() in vd-llm-client-request.c does, without a task. */
static gboolean
on_event (const char  *data,
          gsize        length,
          gpointer     user_data,
          GError     **error)
{
  Stream *stream = user_data;
  gsize before = stream->answer.content->len;

  if (!_vd_llm_answer_add_event (&stream->answer, data, length, error))
    return FALSE;

  if (stream->answer.content->len > before)
    {
      const char *delta = stream->answer.content->str + before;

      if (!g_utf8_validate (delta, stream->answer.content->len - before, NULL))
        abort ();
      stream->n_deltas++;
    }

  return TRUE;
}

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(VdLlmSseParser) parser = NULL;
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(GError) error = NULL;
  guint8 seed[N_SEED_BYTES] = { 0 };
  Stream stream = { { 0 }, 0 };
  const char *text;
  gsize max_bytes = VD_LLM_MAX_ANSWER_BYTES;
  guint max_events = VD_LLM_MAX_STREAM_EVENTS;
  gsize length;
  gsize pos = 0;
  gboolean ok = TRUE;

  if (size < N_SEED_BYTES)
    return 0;

  memcpy (seed, data, N_SEED_BYTES);
  text = (const char *) data + N_SEED_BYTES;
  length = size - N_SEED_BYTES;

  /* Now and then small caps, so that hitting them is exercised too. */
  if ((seed[0] & 0x80) != 0)
    max_bytes = 16 + (gsize) seed[1] * 4;
  if ((seed[0] & 0x40) != 0)
    max_events = seed[2] & 0x0f;

  _vd_llm_answer_init (&stream.answer);
  parser = _vd_llm_sse_parser_new (max_bytes, max_events, on_event, &stream);

  for (guint i = 0; ok && pos < length; i++)
    {
      /* 1 to 256 bytes, in a pattern the seed chooses. */
      gsize chunk = 1 + (gsize) (guint8) (seed[i % N_SEED_BYTES] + i * seed[3]);

      chunk = MIN (chunk, length - pos);
      ok = _vd_llm_sse_parser_feed (parser, text + pos, chunk, &error);
      pos += chunk;
    }

  if (ok)
    ok = _vd_llm_sse_parser_finish (parser, &error);

  if (!ok)
    {
      /* Every failure says why. */
      if (error == NULL || error->domain != VD_LLM_ERROR)
        abort ();
    }
  else if (stream.answer.done)
    {
      /* As finish_answer() does, with and without a schema. */
      if (_vd_llm_answer_finish (&stream.answer, (seed[0] & 1) != 0, &object, &error) &&
          object != NULL)
        {
          g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);

          if (!vd_json_guard_check_node (node, NULL, NULL))
            abort ();
        }
    }

  if (_vd_llm_sse_parser_get_n_events (parser) > max_events)
    abort ();

  _vd_llm_answer_clear (&stream.answer);
  return 0;
}
