/* fuzz-llm-answer.c: libFuzzer target for a whole chat completion and the
 * JSON object in a model's text
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
 * The input is read three ways, as the client would meet it: as the body
 * of a chat completion (then finished as the client finishes an answer
 * that must hold a JSON object), as a model's text to find a JSON object
 * in, and as an error body to quote. Besides crashes and leaks, a failed
 * check here is what the client promises: the number of parse attempts
 * stays bounded, and an object found holds only valid text and finite
 * numbers.
 */

#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vd-json-guard.h"
#include "vd-llm-client-private.h"
#include "fuzz-common.h"

int LLVMFuzzerInitialize (int    *argc,
                          char ***argv);

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init ();
  return 0;
}

static void
check_object (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);

  if (!vd_json_guard_check_node (node, NULL, NULL))
    abort ();
}

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const char *text = (const char *) data;
  VdLlmAnswer answer;

  /* A whole completion. */
  {
    g_autoptr(JsonObject) object = NULL;
    g_autoptr(GError) error = NULL;

    _vd_llm_answer_init (&answer);
    if (_vd_llm_answer_parse_completion (&answer, text, size, &error))
      {
        if (!g_utf8_validate (answer.content->str, answer.content->len, NULL))
          abort ();
        if (_vd_llm_answer_finish (&answer, TRUE, &object, &error))
          check_object (object);
      }
    if (error != NULL && error->domain != VD_LLM_ERROR)
      abort ();
    _vd_llm_answer_clear (&answer);
  }

  /* A model's text. */
  {
    g_autoptr(JsonObject) object = NULL;
    g_autoptr(GError) error = NULL;
    guint n_attempts = 0;

    object = _vd_llm_extract_json_object (text, size, &n_attempts, &error);
    if (n_attempts > VD_LLM_MAX_EXTRACT_ATTEMPTS)
      abort ();
    if (object != NULL)
      check_object (object);
    else if (error == NULL)
      abort ();
  }

  /* An error body. */
  g_free (_vd_llm_server_message (text, size));

  return 0;
}
