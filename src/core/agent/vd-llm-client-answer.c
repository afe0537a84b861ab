/* vd-llm-client-answer.c: reading what an OpenAI-compatible server answers
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

#include "vd-json-guard.h"
#include "vd-llm-client.h"
#include "vd-llm-client-private.h"

/*
 * Everything here reads bytes a server chose: a whole chat completion, the
 * events of a stream, an error body, the JSON object inside a model's
 * text. Every JSON text goes through vd_json_guard_parse() (nesting,
 * encoding, number range), and every loop is linear in the size of its
 * input, because all of it runs on the main context of the app. Nothing
 * here touches the network, so the fuzz targets in tests/fuzz/ call the
 * same functions as the client.
 */

/* How much of a server's message an error quotes. */
#define SERVER_MESSAGE_MAX_CHARS 200

/* How much of an answer an error quotes. */
#define ANSWER_QUOTE_MAX_CHARS 80

/**
 * _vd_llm_summarize:
 * @text: any text
 * @max_chars: how many characters to keep at most
 *
 * Returns: (transfer full): @text on one line, blanks collapsed, cut to
 *   @max_chars with an ellipsis: fit to quote in an error message
 */
char *
_vd_llm_summarize (const char *text,
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

static char *
summarize_bytes (const char *data,
                 gsize       length,
                 gsize       max_chars)
{
  /* Only the start is quoted: no need to copy a large text whole. */
  g_autofree char *start = g_strndup (data, MIN (length, max_chars * 4 + 4));

  return _vd_llm_summarize (start, max_chars);
}

/* The human-readable part of an error object: OpenAI and Ollama send
 * {"error": {"message": ...}}, others {"error": "..."} or {"message": ...}. */
static char *
message_from_object (JsonObject *object)
{
  JsonNode *error = json_object_get_member (object, "error");
  JsonNode *node = NULL;

  if (error != NULL && JSON_NODE_HOLDS_OBJECT (error))
    node = json_object_get_member (json_node_get_object (error), "message");
  else if (error != NULL && JSON_NODE_HOLDS_VALUE (error))
    node = error;
  else if (error == NULL)
    node = json_object_get_member (object, "message");

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING ||
      json_node_get_string (node)[0] == '\0')
    return NULL;

  return _vd_llm_summarize (json_node_get_string (node), SERVER_MESSAGE_MAX_CHARS);
}

/**
 * _vd_llm_server_message:
 * @data: (nullable): the body of an error answer
 * @length: its length
 *
 * Returns: (transfer full) (nullable): what the server says went wrong,
 *   on one line and bounded, or %NULL if it says nothing
 */
char *
_vd_llm_server_message (const char *data,
                        gsize       length)
{
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  if (data == NULL || length == 0)
    return NULL;

  root = vd_json_guard_parse (data, length, VD_LLM_MAX_ANSWER_BYTES, NULL);
  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    return message_from_object (json_node_get_object (root));

  text = g_strndup (data, MIN (length, (gsize) SERVER_MESSAGE_MAX_CHARS * 4 + 4));
  g_strstrip (text);
  if (*text == '\0')
    return NULL;

  return _vd_llm_summarize (text, SERVER_MESSAGE_MAX_CHARS);
}

/* Answers */

void
_vd_llm_answer_init (VdLlmAnswer *answer)
{
  answer->content = g_string_new (NULL);
  answer->refusal = g_string_new (NULL);
  answer->finish_reason = NULL;
  answer->done = FALSE;
}

void
_vd_llm_answer_clear (VdLlmAnswer *answer)
{
  if (answer->content != NULL)
    g_string_free (g_steal_pointer (&answer->content), TRUE);
  if (answer->refusal != NULL)
    g_string_free (g_steal_pointer (&answer->refusal), TRUE);
  g_clear_pointer (&answer->finish_reason, g_free);
  answer->done = FALSE;
}

/* Parses a JSON text from the server with every check of the guard. The
 * message names the text by @what and says whether it is not JSON at all
 * or the guard refused it. */
static JsonNode *
parse_guarded (const char  *data,
               gsize        length,
               const char  *what,
               GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;

  root = vd_json_guard_parse (data, length, VD_LLM_MAX_ANSWER_BYTES, &local_error);
  if (root != NULL)
    return root;

  if (g_error_matches (local_error, VD_JSON_GUARD_ERROR, VD_JSON_GUARD_ERROR_SYNTAX))
    g_set_error (error, VD_LLM_ERROR, VD_LLM_ERROR_BAD_RESPONSE,
                 "%s is not valid JSON: %s", what, local_error->message);
  else
    g_set_error (error, VD_LLM_ERROR, VD_LLM_ERROR_BAD_RESPONSE,
                 "%s cannot be read: %s", what, local_error->message);

  return NULL;
}

static void
set_finish_reason (VdLlmAnswer *answer,
                   JsonObject  *choice)
{
  JsonNode *node = json_object_get_member (choice, "finish_reason");

  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
      json_node_get_value_type (node) == G_TYPE_STRING)
    {
      g_free (answer->finish_reason);
      answer->finish_reason = g_strdup (json_node_get_string (node));
    }
}

static const char *
get_text_member (JsonObject *object,
                 const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

/* The first choice, if it is an object. */
static JsonObject *
first_choice (JsonObject *root)
{
  JsonNode *node = json_object_get_member (root, "choices");
  JsonArray *choices;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return NULL;

  choices = json_node_get_array (node);
  if (json_array_get_length (choices) == 0 ||
      !JSON_NODE_HOLDS_OBJECT (json_array_get_element (choices, 0)))
    return NULL;

  return json_array_get_object_element (choices, 0);
}

/**
 * _vd_llm_answer_add_event:
 * @answer: the answer so far
 * @data: the data of one server-sent event
 * @length: its length
 * @error: return location for a #GError
 *
 * Adds one event of a streamed chat completion to @answer: a content
 * delta is appended to @answer->content (the caller passes on what was
 * appended), `[DONE]` sets @answer->done, anything after it is ignored.
 *
 * Returns: %FALSE with %VD_LLM_ERROR_SERVER_ERROR when the server reported
 *   an error in the stream, %VD_LLM_ERROR_BAD_RESPONSE when the event
 *   cannot be read
 */
gboolean
_vd_llm_answer_add_event (VdLlmAnswer  *answer,
                          const char   *data,
                          gsize         length,
                          GError      **error)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;
  JsonObject *choice;
  JsonNode *node;

  g_return_val_if_fail (answer != NULL && answer->content != NULL, FALSE);
  g_return_val_if_fail (data != NULL || length == 0, FALSE);

  if (answer->done)
    return TRUE;

  if (length == 6 && memcmp (data, "[DONE]", 6) == 0)
    {
      answer->done = TRUE;
      return TRUE;
    }

  root = parse_guarded (data, length, "a stream event", error);
  if (root == NULL)
    return FALSE;

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_autofree char *quoted = summarize_bytes (data, length, ANSWER_QUOTE_MAX_CHARS);

      g_set_error (error, VD_LLM_ERROR, VD_LLM_ERROR_BAD_RESPONSE,
                   "a stream event is not a JSON object: %s", quoted);
      return FALSE;
    }

  object = json_node_get_object (root);
  if (json_object_has_member (object, "error"))
    {
      g_autofree char *message = message_from_object (object);

      g_set_error (error, VD_LLM_ERROR, VD_LLM_ERROR_SERVER_ERROR,
                   "the server reported in the stream: %s", message ? message : "an error");
      return FALSE;
    }

  /* A final usage chunk may have no choices at all. */
  choice = first_choice (object);
  if (choice == NULL)
    return TRUE;

  set_finish_reason (answer, choice);

  node = json_object_get_member (choice, "delta");
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *delta = json_node_get_object (node);
      const char *text;

      if ((text = get_text_member (delta, "refusal")) != NULL)
        g_string_append (answer->refusal, text);

      if ((text = get_text_member (delta, "content")) != NULL)
        g_string_append (answer->content, text);
    }

  return TRUE;
}

/**
 * _vd_llm_answer_parse_completion:
 * @answer: an empty answer
 * @data: the body of a whole (not streamed) chat completion
 * @length: its length
 * @error: return location for a #GError
 *
 * Takes the content, the refusal and the finish reason out of a chat
 * completion into @answer.
 *
 * Returns: %FALSE with %VD_LLM_ERROR_SERVER_ERROR when the body is an
 *   error report, %VD_LLM_ERROR_BAD_RESPONSE when it cannot be read
 */
gboolean
_vd_llm_answer_parse_completion (VdLlmAnswer  *answer,
                                 const char   *data,
                                 gsize         length,
                                 GError      **error)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *root_object;
  JsonObject *message;
  JsonObject *choice;
  JsonNode *node;
  const char *text;

  g_return_val_if_fail (answer != NULL && answer->content != NULL, FALSE);
  g_return_val_if_fail (data != NULL || length == 0, FALSE);

  root = parse_guarded (data, length, "the answer", error);
  if (root == NULL)
    return FALSE;

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, VD_LLM_ERROR, VD_LLM_ERROR_BAD_RESPONSE,
                           "the answer is not a JSON object");
      return FALSE;
    }

  root_object = json_node_get_object (root);
  if (json_object_has_member (root_object, "error"))
    {
      g_autofree char *message_text = message_from_object (root_object);

      g_set_error (error, VD_LLM_ERROR, VD_LLM_ERROR_SERVER_ERROR,
                   "the server reported: %s", message_text ? message_text : "an error");
      return FALSE;
    }

  choice = first_choice (root_object);
  if (choice == NULL)
    {
      g_set_error_literal (error, VD_LLM_ERROR, VD_LLM_ERROR_BAD_RESPONSE,
                           "the answer has no choices");
      return FALSE;
    }

  node = json_object_get_member (choice, "message");
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, VD_LLM_ERROR, VD_LLM_ERROR_BAD_RESPONSE,
                           "the answer has no choices[0].message");
      return FALSE;
    }
  message = json_node_get_object (node);

  set_finish_reason (answer, choice);

  if ((text = get_text_member (message, "refusal")) != NULL)
    g_string_append (answer->refusal, text);

  node = json_object_get_member (message, "content");
  if ((text = get_text_member (message, "content")) != NULL)
    {
      g_string_assign (answer->content, text);
    }
  else if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    {
      g_set_error_literal (error, VD_LLM_ERROR, VD_LLM_ERROR_BAD_RESPONSE,
                           "choices[0].message.content is not text");
      return FALSE;
    }

  return TRUE;
}

/**
 * _vd_llm_answer_finish:
 * @answer: a complete answer
 * @want_object: whether a JSON object is expected in the content
 * @object: (out) (optional) (transfer full): the object, when wanted
 * @error: return location for a #GError
 *
 * Decides what a complete answer amounts to: a refusal, a withheld
 * answer, or the content with, when @want_object, the JSON object found
 * in it (every value valid text and every number finite).
 *
 * Returns: %TRUE if the answer can be used
 */
gboolean
_vd_llm_answer_finish (VdLlmAnswer  *answer,
                       gboolean      want_object,
                       JsonObject  **object,
                       GError      **error)
{
  g_autoptr(JsonObject) found = NULL;
  g_autoptr(GError) extract_error = NULL;

  g_return_val_if_fail (answer != NULL && answer->content != NULL, FALSE);

  if (object != NULL)
    *object = NULL;

  if (answer->refusal->len > 0)
    {
      g_autofree char *refusal = _vd_llm_summarize (answer->refusal->str,
                                                    SERVER_MESSAGE_MAX_CHARS);

      g_set_error (error, VD_LLM_ERROR, VD_LLM_ERROR_REFUSED, "the model refused: %s", refusal);
      return FALSE;
    }

  if (g_strcmp0 (answer->finish_reason, "content_filter") == 0)
    {
      g_set_error_literal (error, VD_LLM_ERROR, VD_LLM_ERROR_REFUSED,
                           "the server's content filter withheld the answer");
      return FALSE;
    }

  if (!want_object)
    return TRUE;

  found = _vd_llm_extract_json_object (answer->content->str, answer->content->len, NULL,
                                       &extract_error);
  if (found == NULL)
    {
      g_autofree char *quoted = summarize_bytes (answer->content->str, answer->content->len,
                                                 ANSWER_QUOTE_MAX_CHARS);
      const char *cut = g_strcmp0 (answer->finish_reason, "length") == 0
                          ? " (cut off at the token limit)" : "";

      if (extract_error->domain == VD_JSON_GUARD_ERROR)
        g_set_error (error, VD_LLM_ERROR, VD_LLM_ERROR_BAD_RESPONSE,
                     "the JSON object in the answer cannot be read: %s",
                     extract_error->message);
      else if (*quoted == '\0')
        g_set_error (error, VD_LLM_ERROR, VD_LLM_ERROR_BAD_RESPONSE,
                     "the answer is empty%s", cut);
      else
        g_set_error (error, VD_LLM_ERROR, VD_LLM_ERROR_BAD_RESPONSE,
                     "the answer holds no JSON object%s: “%s”", cut, quoted);
      return FALSE;
    }

  if (object != NULL)
    *object = g_steal_pointer (&found);

  return TRUE;
}

/* The JSON object in a model's text */

/* From the '{' at @start, where the bracket it opens is closed: a scan
 * that knows strings and escapes. Returns %FALSE if it never is. */
static gboolean
find_candidate_end (const char *text,
                    gsize       length,
                    gsize       start,
                    gsize      *end)
{
  gboolean in_string = FALSE;
  gboolean escaped = FALSE;
  gsize depth = 0;

  for (gsize i = start; i < length; i++)
    {
      char c = text[i];

      if (in_string)
        {
          if (escaped)
            escaped = FALSE;
          else if (c == '\\')
            escaped = TRUE;
          else if (c == '"')
            in_string = FALSE;
          continue;
        }

      if (c == '"')
        in_string = TRUE;
      else if (c == '{' || c == '[')
        depth++;
      else if ((c == '}' || c == ']') && --depth == 0)
        {
          *end = i + 1;
          return TRUE;
        }
    }

  return FALSE;
}

/**
 * _vd_llm_extract_json_object:
 * @text: a model's answer
 * @length: its length in bytes, or -1 if it is NUL-terminated
 * @n_attempts: (out) (optional): how many candidates were parsed
 * @error: return location for a #GError
 *
 * Finds the first complete JSON object in @text, skipping text around it
 * such as Markdown code fences or an introduction. One scan goes through
 * the text; each '{' met outside a candidate starts one, which ends where
 * its bracket closes, and only a candidate that ends with '}' is parsed.
 * A candidate that does not parse is skipped whole, so the time is linear
 * in @length, and at most %VD_LLM_MAX_EXTRACT_ATTEMPTS candidates are
 * parsed. An object with a value that is not valid text or a number too
 * large is refused like one that does not parse.
 *
 * Returns: (transfer full) (nullable): the object, or %NULL with @error
 *   set: in %VD_JSON_GUARD_ERROR when a candidate was refused by the
 *   guard (and no later one parsed), else %VD_LLM_ERROR_BAD_RESPONSE
 */
JsonObject *
_vd_llm_extract_json_object (const char  *text,
                             gssize       length,
                             guint       *n_attempts,
                             GError     **error)
{
  g_autoptr(GError) fault = NULL;
  gsize len;
  gsize pos = 0;
  guint attempts = 0;

  g_return_val_if_fail (text != NULL || length == 0, NULL);

  len = length < 0 ? strlen (text) : (gsize) length;

  while (pos < len && attempts < VD_LLM_MAX_EXTRACT_ATTEMPTS)
    {
      const char *open = memchr (text + pos, '{', len - pos);
      g_autoptr(JsonNode) root = NULL;
      g_autoptr(GError) local_error = NULL;
      gsize start;
      gsize end;

      if (open == NULL)
        break;

      start = open - text;

      /* Unbalanced from here to the end: a later start would be inside
       * this one and unbalanced too. */
      if (!find_candidate_end (text, len, start, &end))
        break;

      pos = end;
      if (text[end - 1] != '}')
        continue;

      attempts++;
      root = vd_json_guard_parse (text + start, end - start, VD_LLM_MAX_ANSWER_BYTES,
                                  &local_error);
      if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
        {
          if (n_attempts != NULL)
            *n_attempts = attempts;
          return json_object_ref (json_node_get_object (root));
        }

      if (fault == NULL && local_error != NULL &&
          !g_error_matches (local_error, VD_JSON_GUARD_ERROR, VD_JSON_GUARD_ERROR_SYNTAX))
        fault = g_steal_pointer (&local_error);
    }

  if (n_attempts != NULL)
    *n_attempts = attempts;

  if (fault != NULL)
    g_propagate_error (error, g_steal_pointer (&fault));
  else
    g_set_error_literal (error, VD_LLM_ERROR, VD_LLM_ERROR_BAD_RESPONSE,
                         "no JSON object in the answer");

  return NULL;
}

/* Server-sent events */

struct _VdLlmSseParser
{
  GString           *pending;   /* what follows the last line end */
  gsize              scanned;   /* how much of pending holds no '\n' */
  GString           *data;      /* the data lines of the event being read */
  gboolean           has_data;
  gsize              n_bytes;
  guint              n_events;
  gsize              max_bytes;
  guint              max_events;
  gboolean           failed;
  VdLlmSseEventFunc  func;
  gpointer           user_data;
};

/**
 * _vd_llm_sse_parser_new:
 * @max_bytes: how many bytes the whole stream may have
 * @max_events: how many events it may have
 * @func: receives each event's data
 * @user_data: data for @func
 *
 * Returns: (transfer full): a parser for one stream
 */
VdLlmSseParser *
_vd_llm_sse_parser_new (gsize              max_bytes,
                        guint              max_events,
                        VdLlmSseEventFunc  func,
                        gpointer           user_data)
{
  VdLlmSseParser *parser;

  g_return_val_if_fail (func != NULL, NULL);

  parser = g_new0 (VdLlmSseParser, 1);
  parser->pending = g_string_new (NULL);
  parser->data = g_string_new (NULL);
  parser->max_bytes = max_bytes;
  parser->max_events = max_events;
  parser->func = func;
  parser->user_data = user_data;

  return parser;
}

void
_vd_llm_sse_parser_free (VdLlmSseParser *parser)
{
  if (parser == NULL)
    return;

  g_string_free (parser->pending, TRUE);
  g_string_free (parser->data, TRUE);
  g_free (parser);
}

guint
_vd_llm_sse_parser_get_n_events (VdLlmSseParser *parser)
{
  g_return_val_if_fail (parser != NULL, 0);

  return parser->n_events;
}

static gboolean
dispatch (VdLlmSseParser  *parser,
          GError         **error)
{
  if (!parser->has_data)
    return TRUE;

  if (parser->n_events >= parser->max_events)
    {
      g_set_error (error, VD_LLM_ERROR, VD_LLM_ERROR_BAD_RESPONSE,
                   "the stream has more than %u events", parser->max_events);
      return FALSE;
    }

  parser->n_events++;
  parser->has_data = FALSE;
  if (!parser->func (parser->data->str, parser->data->len, parser->user_data, error))
    return FALSE;

  g_string_truncate (parser->data, 0);
  return TRUE;
}

/* One line, without its line end. */
static gboolean
process_line (VdLlmSseParser  *parser,
              const char      *line,
              gsize            length,
              GError         **error)
{
  const char *value;
  gsize value_length;

  if (length == 0)
    return dispatch (parser, error);

  /* Comments (keep-alives), event names, ids and retry times are of no
   * use here. */
  if (length < 5 || memcmp (line, "data:", 5) != 0)
    return TRUE;

  value = line + 5;
  value_length = length - 5;
  if (value_length > 0 && *value == ' ')
    {
      value++;
      value_length--;
    }

  if (parser->has_data)
    g_string_append_c (parser->data, '\n');
  g_string_append_len (parser->data, value, value_length);
  parser->has_data = TRUE;

  return TRUE;
}

static gboolean
fail (VdLlmSseParser *parser)
{
  parser->failed = TRUE;
  return FALSE;
}

/**
 * _vd_llm_sse_parser_feed:
 * @parser: a #VdLlmSseParser
 * @data: the next bytes of the stream
 * @length: how many
 * @error: return location for a #GError
 *
 * Reads @data, calling the event function for each event it completes.
 * Each byte is looked at once, however the stream is cut into chunks.
 *
 * Returns: %FALSE with @error set when the stream is larger or has more
 *   events than allowed, or the event function failed; the parser then
 *   takes no more data
 */
gboolean
_vd_llm_sse_parser_feed (VdLlmSseParser  *parser,
                         const char      *data,
                         gsize            length,
                         GError         **error)
{
  gsize start = 0;
  gsize pos;

  g_return_val_if_fail (parser != NULL, FALSE);
  g_return_val_if_fail (!parser->failed, FALSE);
  g_return_val_if_fail (data != NULL || length == 0, FALSE);

  if (length > parser->max_bytes - MIN (parser->n_bytes, parser->max_bytes))
    {
      g_set_error (error, VD_LLM_ERROR, VD_LLM_ERROR_BAD_RESPONSE,
                   "the stream is larger than %" G_GSIZE_FORMAT " bytes", parser->max_bytes);
      return fail (parser);
    }
  parser->n_bytes += length;

  g_string_append_len (parser->pending, data, length);
  pos = parser->scanned;

  for (;;)
    {
      const char *newline = memchr (parser->pending->str + pos, '\n',
                                    parser->pending->len - pos);
      gsize line_end;

      if (newline == NULL)
        break;

      line_end = newline - parser->pending->str;
      pos = line_end + 1;
      if (line_end > start && parser->pending->str[line_end - 1] == '\r')
        line_end--;

      if (!process_line (parser, parser->pending->str + start, line_end - start, error))
        return fail (parser);

      start = pos;
    }

  /* What is left is shorter than what just came in: erasing the lines
   * before it keeps the whole linear. */
  if (start > 0)
    g_string_erase (parser->pending, 0, start);
  parser->scanned = parser->pending->len;

  return TRUE;
}

/**
 * _vd_llm_sse_parser_finish:
 * @parser: a #VdLlmSseParser
 * @error: return location for a #GError
 *
 * Ends the stream: a last line without its line end, and a last event
 * without its blank line, still count.
 *
 * Returns: %FALSE with @error set as for _vd_llm_sse_parser_feed()
 */
gboolean
_vd_llm_sse_parser_finish (VdLlmSseParser  *parser,
                           GError         **error)
{
  g_return_val_if_fail (parser != NULL, FALSE);
  g_return_val_if_fail (!parser->failed, FALSE);

  if (parser->pending->len > 0)
    {
      gsize length = parser->pending->len;

      while (length > 0 && g_ascii_isspace (parser->pending->str[length - 1]))
        length--;

      if (!process_line (parser, parser->pending->str, length, error))
        return fail (parser);
      g_string_truncate (parser->pending, 0);
      parser->scanned = 0;
    }

  if (!dispatch (parser, error))
    return fail (parser);

  return TRUE;
}
