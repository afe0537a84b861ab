/* vd-queue-reader.c
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

#define G_LOG_DOMAIN "vd-queue-reader"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "vd-item.h"
#include "vd-json-guard.h"
#include "vd-minisign.h"
#include "vd-queue-reader.h"
#include "vd-queue-reader-private.h"
#include "vd-text.h"
#include "vd-timestamp.h"

/*
 * The reader is a push parser: the bytes of a file are fed in chunks of any
 * size, so that a large file is streamed and never held whole. It decides
 * the form from the first byte that is not white space: `[` starts one JSON
 * array of items, anything else is JSON Lines. In the array form a small
 * scanner that knows strings and brackets cuts the array into items and
 * remembers the line each one starts on (JsonParser does not report node
 * positions); each item, like each line, is then parsed on its own.
 */

#define CHUNK_SIZE (256 * 1024)

/* With skip-invalid, the messages kept: the rest are only counted. */
#define MAX_PROBLEMS 1000

struct _VdQueueReader
{
  GObject    parent_instance;

  gboolean   skip_invalid;
  char      *queue;
  char      *source;
  GPtrArray *problems;
  guint      n_problems;

  VdQueueBatchFunc batch_func;
  gpointer         batch_data;
  guint            batch_size;
  GFile     *base_folder;
  gboolean   has_file_hash;
  guint8     file_hash[VD_MINISIGN_HASH_BYTES];
};

G_DEFINE_FINAL_TYPE (VdQueueReader, vd_queue_reader, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SKIP_INVALID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_QUARK (vd-queue-error-quark, vd_queue_error)

/* Errors that concern one record only and may be skipped. */
static gboolean
is_skippable (const GError *error)
{
  return error->domain == VD_QUEUE_ERROR &&
         (error->code == VD_QUEUE_ERROR_INVALID ||
          error->code == VD_QUEUE_ERROR_ENCODING ||
          error->code == VD_QUEUE_ERROR_TOO_LONG ||
          error->code == VD_QUEUE_ERROR_DUPLICATE);
}

/* Takes @error (a message without position) and either records it as a
 * problem or makes it the fatal error, naming the file, the line and, when
 * known, the task. Returns FALSE when reading stops. */
static gboolean
report_task (VdQueueParse *p,
             guint         line,
             const char   *task,
             GError       *error)
{
  g_assert (error != NULL);

  if (line > 0 && task != NULL)
    g_prefix_error (&error, "%s:%u (task %s): ", p->display_name, line, task);
  else if (line > 0)
    g_prefix_error (&error, "%s:%u: ", p->display_name, line);
  else
    g_prefix_error (&error, "%s: ", p->display_name);

  if (p->reader->skip_invalid && is_skippable (error))
    {
      p->reader->n_problems++;
      if (p->reader->problems->len < MAX_PROBLEMS)
        g_ptr_array_add (p->reader->problems, g_strdup (error->message));
      g_error_free (error);
      return TRUE;
    }

  g_clear_error (&p->error);
  p->error = error;
  return FALSE;
}

static gboolean
report (VdQueueParse *p,
        guint         line,
        GError       *error)
{
  return report_task (p, line, NULL, error);
}

/* The task id of a refused record, to name it in the message: as it is
 * when it is short plain text, else quoted and escaped; NULL when the
 * record has no readable one. */
static char *
dup_task_label (JsonObject *object)
{
  JsonNode *node = json_object_get_member (object, "task_id");
  const char *task_id;
  gboolean plain;
  GString *quoted;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  task_id = json_node_get_string (node);
  if (task_id[0] == '\0' || !g_utf8_validate (task_id, -1, NULL))
    return NULL;

  plain = g_utf8_strlen (task_id, -1) <= 64;
  for (const char *p = task_id; plain && *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      plain = g_unichar_isgraph (c) && c != '(' && c != ')';
    }

  if (plain)
    return g_strdup (task_id);

  quoted = g_string_new (NULL);
  _vd_queue_reader_append_found_string (quoted, task_id);
  return g_string_free (quoted, FALSE);
}

static gboolean G_GNUC_PRINTF (4, 5)
report_new (VdQueueParse *p,
            guint         line,
            int           code,
            const char   *format,
            ...)
{
  GError *error;
  va_list args;

  va_start (args, format);
  error = g_error_new_valist (VD_QUEUE_ERROR, code, format, args);
  va_end (args);

  return report (p, line, error);
}

/* Strips json-glib's "<data>:LINE:COLUMN: Parse error: " and says where
 * the error is in the file instead. */
static char *
dup_parser_message (const char *message,
                    guint       record_line,
                    guint       lead,
                    gboolean    show_line)
{
  g_autofree char *valid = NULL;
  guint64 line, column;
  const char *rest = vd_json_guard_split_parser_message (message, &line, &column);

  if (strstr (rest, "`NaN'") != NULL || strstr (rest, "`Infinity'") != NULL ||
      strstr (rest, "`-Infinity'") != NULL)
    rest = "NaN and Infinity are not JSON numbers";

  /* json-glib quotes the string it could not read, decoded escapes and
   * all: a lone surrogate there would make the message itself not text. */
  valid = g_utf8_make_valid (rest, -1);

  if (line == 0 || column == 0)
    return g_steal_pointer (&valid);
  if (show_line)
    return g_strdup_printf ("%s (line %u, column %u)", valid,
                            record_line + (guint) line - 1, (guint) column);
  return g_strdup_printf ("%s (column %u)", valid, (guint) column + lead);
}

/* What only the decoded values show, checked after the fields themselves
 * (so that a field with a bad value gets its own message): a lone
 * surrogate escape decoded to bytes that are not UTF-8, 1e999 read as
 * infinity. Any such value anywhere in a record refuses it: it would
 * poison the store or an export. */
static gboolean
check_values (JsonNode  *root,
              GError   **error)
{
  g_autoptr(GError) local_error = NULL;

  if (vd_json_guard_check_node (root, NULL, &local_error))
    return TRUE;

  g_set_error_literal (error, VD_QUEUE_ERROR,
                       local_error->code == VD_JSON_GUARD_ERROR_ENCODING ?
                       VD_QUEUE_ERROR_ENCODING : VD_QUEUE_ERROR_INVALID,
                       local_error->message);
  return FALSE;
}

/* Where in the file a position inside a record is, in the form the
 * parser's own messages use. */
static char *
format_position (guint    at_line,
                 guint    at_column,
                 guint    record_line,
                 guint    lead,
                 gboolean show_line)
{
  if (show_line)
    return g_strdup_printf ("line %u, column %u", record_line + at_line - 1, at_column);
  return g_strdup_printf ("column %u", at_column + lead);
}

/* The task ids seen so far, for duplicates: a 64-bit keyed hash of
 * "queue\x1ftask_id" and the line, in an open-addressing table, so that a
 * million items take 24 MB and no string is kept. */
static guint64
seen_hash (VdQueueParse *p,
           const char   *queue,
           const char   *task_id)
{
  g_autofree char *key = g_strconcat (queue, "\x1f", task_id, NULL);
  guint8 out[crypto_shorthash_BYTES];
  guint64 hash;

  crypto_shorthash (out, (const guint8 *) key, strlen (key), p->seen_key);
  memcpy (&hash, out, sizeof hash);

  /* 0 marks an empty slot. */
  return hash != 0 ? hash : 1;
}

static void
seen_grow (VdQueueParse *p)
{
  guint64 *old_hashes = p->seen_hashes;
  guint *old_lines = p->seen_lines;
  gsize old_size = p->seen_size;

  p->seen_size = old_size == 0 ? 1024 : old_size * 2;
  p->seen_hashes = g_new0 (guint64, p->seen_size);
  p->seen_lines = g_new0 (guint, p->seen_size);

  for (gsize i = 0; i < old_size; i++)
    {
      gsize j;

      if (old_hashes[i] == 0)
        continue;
      for (j = old_hashes[i] & (p->seen_size - 1); p->seen_hashes[j] != 0;
           j = (j + 1) & (p->seen_size - 1))
        ;
      p->seen_hashes[j] = old_hashes[i];
      p->seen_lines[j] = old_lines[i];
    }

  g_free (old_hashes);
  g_free (old_lines);
}

/* Returns the line @task_id was first seen on, or 0 after adding it. */
static guint
seen_add (VdQueueParse *p,
          const char   *queue,
          const char   *task_id,
          guint         line)
{
  guint64 hash = seen_hash (p, queue, task_id);
  gsize j;

  if ((p->seen_count + 1) * 2 > p->seen_size)
    seen_grow (p);

  for (j = hash & (p->seen_size - 1); p->seen_hashes[j] != 0; j = (j + 1) & (p->seen_size - 1))
    if (p->seen_hashes[j] == hash)
      return p->seen_lines[j];

  p->seen_hashes[j] = hash;
  p->seen_lines[j] = line;
  p->seen_count++;

  return 0;
}

/* Hands the items read so far to the batch function. */
static gboolean
deliver_batch (VdQueueParse *p)
{
  g_autoptr(GPtrArray) batch = NULL;
  g_autoptr(GError) error = NULL;

  if (p->items->len == 0)
    return TRUE;

  batch = g_steal_pointer (&p->items);
  p->items = g_ptr_array_new_with_free_func (g_object_unref);

  if (!p->reader->batch_func (g_steal_pointer (&batch), p->reader->batch_data, &error))
    {
      g_clear_error (&p->error);
      p->error = g_steal_pointer (&error);
      return FALSE;
    }

  return TRUE;
}

/* One line of JSON Lines or one item of an array, without its newline. */
static gboolean
handle_record (VdQueueParse *p,
               const char   *text,
               gsize         length,
               guint         line,
               guint         lead)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  const char *end = NULL;
  JsonObject *object;
  VdItem *item;
  guint first_line;
  guint at_line = 0, at_column = 0;

  p->n_records++;

  if (!g_utf8_validate (text, length, &end))
    {
      if (*end == '\0')
        return report_new (p, line, VD_QUEUE_ERROR_ENCODING,
                           "contains a NUL byte (byte offset %" G_GSIZE_FORMAT ")",
                           (gsize) (end - text) + lead);
      return report_new (p, line, VD_QUEUE_ERROR_ENCODING,
                         "not valid UTF-8 (byte offset %" G_GSIZE_FORMAT ")",
                         (gsize) (end - text) + lead);
    }

  /* Before json-glib: it recurses once per level of nesting, and wraps
   * integers beyond 64 bits around without a word. */
  if (!vd_json_guard_scan (text, length, VD_JSON_MAX_DEPTH, &at_line, &at_column, &error))
    {
      g_autofree char *where = format_position (at_line, at_column, line, lead,
                                                p->mode != VD_QUEUE_MODE_LINES);

      return report_new (p, line,
                         error->code == VD_JSON_GUARD_ERROR_ENCODING ?
                         VD_QUEUE_ERROR_ENCODING : VD_QUEUE_ERROR_INVALID,
                         "%s (%s)", error->message, where);
    }

  if (!json_parser_load_from_data (p->parser, text, length, &error))
    {
      g_autofree char *message = dup_parser_message (error->message, line, lead,
                                                     p->mode != VD_QUEUE_MODE_LINES);

      return report_new (p, line, VD_QUEUE_ERROR_INVALID, "not a JSON object: %s", message);
    }

  root = json_parser_steal_root (p->parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_autofree char *found = root != NULL ? _vd_queue_reader_dup_found (root)
                                            : g_strdup ("nothing");

      return report_new (p, line, VD_QUEUE_ERROR_INVALID,
                         "expected a JSON object, found %s", found);
    }


  object = json_node_get_object (root);

  if (json_object_has_member (object, "verdict_queue"))
    {
      /* Header errors concern every item: never skipped. */
      if (p->n_records != 1)
        {
          g_clear_error (&p->error);
          p->error = g_error_new (VD_QUEUE_ERROR, VD_QUEUE_ERROR_INVALID,
                                  "%s:%u: verdict_queue: a header may only be the first line",
                                  p->display_name, line);
          return FALSE;
        }

      if (!_vd_queue_reader_parse_header (p, object, &error) ||
          !check_values (root, &error))
        {
          g_prefix_error (&error, "%s:%u: ", p->display_name, line);
          g_clear_error (&p->error);
          p->error = g_steal_pointer (&error);
          return FALSE;
        }

      return TRUE;
    }

  item = _vd_queue_reader_parse_item (p, object, &error);
  if (item == NULL)
    {
      g_autofree char *task = dup_task_label (object);

      return report_task (p, line, task, g_steal_pointer (&error));
    }

  if (!check_values (root, &error))
    {
      g_autofree char *task = dup_task_label (object);

      g_object_unref (item);
      return report_task (p, line, task, g_steal_pointer (&error));
    }

  first_line = seen_add (p, vd_item_get_queue (item), vd_item_get_task_id (item), line);
  if (first_line != 0)
    {
      g_autoptr(GString) quoted = g_string_new (NULL);

      _vd_queue_reader_append_found_string (quoted, vd_item_get_task_id (item));
      g_object_unref (item);
      return report_new (p, line, VD_QUEUE_ERROR_DUPLICATE,
                         "task_id: %s appears twice (first on line %u)",
                         quoted->str, first_line);
    }

  g_ptr_array_add (p->items, item);

  if (p->reader->batch_func != NULL && p->items->len >= p->reader->batch_size)
    return deliver_batch (p);

  return TRUE;
}

static gboolean
end_line (VdQueueParse *p)
{
  guint lead = p->lead;
  gboolean ret;

  p->lead = 0;

  if (p->buf->len > 0 && p->buf->str[p->buf->len - 1] == '\r')
    g_string_truncate (p->buf, p->buf->len - 1);

  if (p->overlong || p->buf->len > VD_QUEUE_MAX_LINE)
    {
      p->overlong = FALSE;
      g_string_truncate (p->buf, 0);
      p->n_records++;
      return report_new (p, p->line, VD_QUEUE_ERROR_TOO_LONG,
                         "line is longer than %d MiB", VD_QUEUE_MAX_LINE / (1024 * 1024));
    }

  if (vd_text_line_is_blank (p->buf->str, p->buf->len))
    {
      g_string_truncate (p->buf, 0);
      return TRUE;
    }

  ret = handle_record (p, p->buf->str, p->buf->len, p->line, lead);
  g_string_truncate (p->buf, 0);
  return ret;
}

/* Appends to the current record unless it grew past @limit. */
static void
buffer_append (VdQueueParse *p,
               const char   *data,
               gsize         length,
               gsize         limit)
{
  if (p->overlong)
    return;

  if (p->buf->len + length > limit)
    {
      p->overlong = TRUE;
      g_string_truncate (p->buf, 0);
      return;
    }

  g_string_append_len (p->buf, data, length);
}

static gsize
feed_lines (VdQueueParse *p,
            const char   *data,
            gsize         length)
{
  gsize done = 0;

  while (done < length)
    {
      const char *newline = memchr (data + done, '\n', length - done);
      gsize span = newline ? (gsize) (newline - (data + done)) : length - done;

      /* One byte more than the limit for a CR before the LF. */
      buffer_append (p, data + done, span, VD_QUEUE_MAX_LINE + 1);
      done += span;

      if (newline == NULL)
        break;

      done++;
      if (!end_line (p))
        break;
      p->line++;
    }

  return done;
}

static gboolean
end_item (VdQueueParse *p)
{
  gboolean ret;

  p->array_state = VD_QUEUE_ARRAY_AFTER_VALUE;

  if (p->overlong)
    {
      p->overlong = FALSE;
      g_string_truncate (p->buf, 0);
      p->n_records++;
      return report_new (p, p->item_line, VD_QUEUE_ERROR_TOO_LONG,
                         "item is longer than %d MiB", VD_QUEUE_MAX_LINE / (1024 * 1024));
    }

  ret = handle_record (p, p->buf->str, p->buf->len, p->item_line, 0);
  g_string_truncate (p->buf, 0);
  return ret;
}

static gboolean
array_structure_error (VdQueueParse *p,
                       const char   *what,
                       char          c)
{
  g_clear_error (&p->error);
  /* One byte of a multi-byte character is not text on its own. */
  if (g_ascii_isgraph (c))
    p->error = g_error_new (VD_QUEUE_ERROR, VD_QUEUE_ERROR_INVALID,
                            "%s:%u: not a JSON array: expected %s, found '%c'",
                            p->display_name, p->line, what, c);
  else
    p->error = g_error_new (VD_QUEUE_ERROR, VD_QUEUE_ERROR_INVALID,
                            "%s:%u: not a JSON array: expected %s, found the byte 0x%02x",
                            p->display_name, p->line, what, (guint) (guchar) c);
  return FALSE;
}

static gboolean
is_space (char c)
{
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* The array scanner. Items are copied to p->buf in spans. */
static gboolean
feed_array (VdQueueParse *p,
            const char   *data,
            gsize         length)
{
  gsize i = 0;

  while (i < length)
    {
      char c = data[i];

      if (p->mode == VD_QUEUE_MODE_ARRAY_DONE)
        {
          if (c == '\n')
            p->line++;
          else if (!is_space (c))
            {
              g_clear_error (&p->error);
              p->error = g_error_new (VD_QUEUE_ERROR, VD_QUEUE_ERROR_INVALID,
                                      "%s:%u: unexpected text after the end of the JSON array",
                                      p->display_name, p->line);
              return FALSE;
            }
          i++;
          continue;
        }

      if (p->array_state != VD_QUEUE_ARRAY_IN_ITEM)
        {
          if (c == '\n')
            p->line++;
          else if (is_space (c))
            ;
          else if (c == ']')
            {
              if (p->array_state == VD_QUEUE_ARRAY_EXPECT_VALUE)
                return array_structure_error (p, "an item after ','", c);
              p->mode = VD_QUEUE_MODE_ARRAY_DONE;
            }
          else if (c == ',')
            {
              if (p->array_state != VD_QUEUE_ARRAY_AFTER_VALUE)
                return array_structure_error (p, "an item", c);
              p->array_state = VD_QUEUE_ARRAY_EXPECT_VALUE;
            }
          else
            {
              if (p->array_state == VD_QUEUE_ARRAY_AFTER_VALUE)
                return array_structure_error (p, "',' or ']' after an item", c);
              p->array_state = VD_QUEUE_ARRAY_IN_ITEM;
              p->item_line = p->line;
              p->item_depth = 0;
              p->in_string = FALSE;
              p->escape = FALSE;
              continue;   /* scan this byte as part of the item */
            }
          i++;
          continue;
        }

      /* Inside an item: find where it ends, copying everything before. */
      {
        gsize start = i;
        gboolean ended = FALSE;

        for (; i < length; i++)
          {
            c = data[i];

            if (c == '\n')
              p->line++;

            if (p->in_string)
              {
                if (p->escape)
                  p->escape = FALSE;
                else if (c == '\\')
                  p->escape = TRUE;
                else if (c == '"')
                  p->in_string = FALSE;
                continue;
              }

            if (c == '"')
              p->in_string = TRUE;
            else if (c == '{' || c == '[')
              p->item_depth++;
            else if (c == '}' || c == ']')
              {
                if (p->item_depth == 0)
                  {
                    ended = TRUE;   /* the array's own ']' (or a stray '}') */
                    break;
                  }
                if (--p->item_depth == 0)
                  {
                    i++;
                    ended = TRUE;
                    break;
                  }
              }
            else if (c == ',' && p->item_depth == 0)
              {
                ended = TRUE;
                break;
              }
          }

        buffer_append (p, data + start, i - start, VD_QUEUE_MAX_LINE);

        if (ended)
          {
            /* A newline counted inside the item belongs to its text; the
             * byte that ended a scalar item is scanned again outside. */
            if (!end_item (p))
              return FALSE;
          }
      }
    }

  return TRUE;
}

static gboolean
feed (VdQueueParse *p,
      const char   *data,
      gsize         length)
{
  gsize i = 0;

  if (p->error != NULL)
    return FALSE;

  if (length > 0)
    p->last_byte = data[length - 1];

  if (p->mode == VD_QUEUE_MODE_UNKNOWN)
    {
      for (; i < length; i++)
        {
          char c = data[i];

          if (c == '\n')
            {
              p->line++;
              p->lead = 0;
            }
          else if (c == ' ' || c == '\t' || c == '\r')
            p->lead++;
          else
            break;
        }

      if (i == length)
        return TRUE;

      if (data[i] == '[')
        {
          p->mode = VD_QUEUE_MODE_ARRAY;
          p->array_state = VD_QUEUE_ARRAY_EXPECT_FIRST;
          p->lead = 0;
          i++;
        }
      else
        p->mode = VD_QUEUE_MODE_LINES;
    }

  if (p->mode == VD_QUEUE_MODE_LINES)
    {
      feed_lines (p, data + i, length - i);
      return p->error == NULL;
    }

  return feed_array (p, data + i, length - i);
}

static gboolean
finish (VdQueueParse *p)
{
  if (p->error != NULL)
    return FALSE;

  switch (p->mode)
    {
    case VD_QUEUE_MODE_LINES:
      if ((p->buf->len > 0 || p->overlong) && !end_line (p))
        return FALSE;
      break;

    case VD_QUEUE_MODE_ARRAY:
      {
        /* The last line, not the empty one after the final newline. */
        guint line = p->line - (p->last_byte == '\n' && p->line > 1 ? 1 : 0);

        p->error = g_error_new (VD_QUEUE_ERROR, VD_QUEUE_ERROR_INVALID,
                                "%s:%u: not a JSON array: the file ends before the closing ']'",
                                p->display_name,
                                p->array_state == VD_QUEUE_ARRAY_IN_ITEM ? p->item_line : line);
        return FALSE;
      }

    case VD_QUEUE_MODE_UNKNOWN:
    case VD_QUEUE_MODE_ARRAY_DONE:
    default:
      break;
    }

  /* Bad lines skipped with skip-invalid still count: only a file with no
   * item at all is empty. */
  if (p->n_records == (p->header_seen ? 1u : 0u))
    {
      p->error = g_error_new (VD_QUEUE_ERROR, VD_QUEUE_ERROR_EMPTY,
                              "%s: no items", p->display_name);
      return FALSE;
    }

  if (p->reader->batch_func != NULL)
    return deliver_batch (p);

  return TRUE;
}

/* The real path of @folder, so that an attachment's real path can be
 * checked to stay inside it; NULL when it has none. */
static char *
dup_real_folder (GFile *folder)
{
  g_autofree char *path = folder != NULL ? g_file_get_path (folder) : NULL;
  char *real;
  char *copy;

  if (path == NULL)
    return NULL;

  real = realpath (path, NULL);
  if (real == NULL)
    return NULL;

  /* realpath() allocates with malloc(). */
  copy = g_strdup (real);
  free (real);
  return copy;
}

static void
parse_init (VdQueueParse  *p,
            VdQueueReader *reader,
            const char    *display_name,
            GFile         *folder)
{
  memset (p, 0, sizeof *p);
  p->reader = reader;
  p->display_name = display_name;
  p->default_queue = vd_queue_name_from_display_name (display_name);
  p->queue = g_strdup (p->default_queue);
  p->parser = json_parser_new ();
  p->items = g_ptr_array_new_with_free_func (g_object_unref);
  /* Only the hash's key needs libsodium; it fails only without entropy. */
  if (vd_crypto_init (NULL))
    crypto_shorthash_keygen (p->seen_key);
  p->now = vd_timestamp_now ();
  p->mode = VD_QUEUE_MODE_UNKNOWN;
  p->line = 1;
  p->buf = g_string_sized_new (4096);
  p->folder = dup_real_folder (folder);

  g_clear_pointer (&reader->queue, g_free);
  g_clear_pointer (&reader->source, g_free);
  g_ptr_array_set_size (reader->problems, 0);
  reader->n_problems = 0;
}

/* Returns the items on success; frees everything else. */
static GPtrArray *
parse_end (VdQueueParse  *p,
           GError       **error)
{
  GPtrArray *items = NULL;

  if (p->error != NULL)
    g_propagate_error (error, g_steal_pointer (&p->error));
  else
    {
      items = g_steal_pointer (&p->items);
      p->reader->queue = g_steal_pointer (&p->queue);
      p->reader->source = g_steal_pointer (&p->source);
    }

  if (items == NULL)
    {
      g_ptr_array_set_size (p->reader->problems, 0);
      p->reader->n_problems = 0;
    }

  g_clear_pointer (&p->default_queue, g_free);
  g_clear_pointer (&p->queue, g_free);
  g_clear_pointer (&p->source, g_free);
  g_clear_object (&p->parser);
  g_clear_pointer (&p->items, g_ptr_array_unref);
  g_clear_pointer (&p->seen_hashes, g_free);
  g_clear_pointer (&p->seen_lines, g_free);
  g_clear_pointer (&p->now, g_date_time_unref);
  g_clear_pointer (&p->folder, g_free);
  g_string_free (p->buf, TRUE);
  p->buf = NULL;

  return items;
}

static const char bom[] = "\xef\xbb\xbf";

static void
vd_queue_reader_finalize (GObject *object)
{
  VdQueueReader *self = (VdQueueReader *)object;

  g_clear_pointer (&self->queue, g_free);
  g_clear_pointer (&self->source, g_free);
  g_clear_pointer (&self->problems, g_ptr_array_unref);
  g_clear_object (&self->base_folder);

  G_OBJECT_CLASS (vd_queue_reader_parent_class)->finalize (object);
}

static void
vd_queue_reader_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  VdQueueReader *self = VD_QUEUE_READER (object);

  switch (prop_id)
    {
    case PROP_SKIP_INVALID:
      g_value_set_boolean (value, self->skip_invalid);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vd_queue_reader_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  VdQueueReader *self = VD_QUEUE_READER (object);

  switch (prop_id)
    {
    case PROP_SKIP_INVALID:
      vd_queue_reader_set_skip_invalid (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vd_queue_reader_class_init (VdQueueReaderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = vd_queue_reader_finalize;
  object_class->get_property = vd_queue_reader_get_property;
  object_class->set_property = vd_queue_reader_set_property;

  /**
   * VdQueueReader:skip-invalid:
   *
   * Whether bad lines are left out (and listed as problems) instead of
   * failing the whole read.
   */
  properties[PROP_SKIP_INVALID] =
    g_param_spec_boolean ("skip-invalid", "Skip invalid", "Leave out bad lines",
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
vd_queue_reader_init (VdQueueReader *self)
{
  self->problems = g_ptr_array_new_with_free_func (g_free);
}

/**
 * vd_queue_reader_new:
 *
 * Returns: (transfer full): a reader that fails on the first bad line
 */
VdQueueReader *
vd_queue_reader_new (void)
{
  return g_object_new (VD_TYPE_QUEUE_READER, NULL);
}

/**
 * vd_queue_reader_set_skip_invalid:
 * @self: a reader
 * @skip_invalid: whether to leave bad lines out
 *
 * With @skip_invalid, a line with a bad field, bad JSON, bad UTF-8, over
 * %VD_QUEUE_MAX_LINE bytes or repeating a task id is left out and its
 * message added to vd_queue_reader_get_problems(). A bad header, a broken
 * array or an empty file still fail the read.
 */
void
vd_queue_reader_set_skip_invalid (VdQueueReader *self,
                                  gboolean       skip_invalid)
{
  g_return_if_fail (VD_IS_QUEUE_READER (self));

  skip_invalid = !!skip_invalid;
  if (self->skip_invalid == skip_invalid)
    return;

  self->skip_invalid = skip_invalid;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SKIP_INVALID]);
}

gboolean
vd_queue_reader_get_skip_invalid (VdQueueReader *self)
{
  g_return_val_if_fail (VD_IS_QUEUE_READER (self), FALSE);

  return self->skip_invalid;
}

/**
 * vd_queue_reader_set_base_folder:
 * @self: a reader
 * @folder: (nullable): a local folder, or %NULL for the queue file's own
 *
 * Sets the folder that items' attachment paths are relative to and may
 * not leave. Without one, vd_queue_reader_read_file() uses the folder of
 * the file it reads, and vd_queue_reader_read_data() refuses items with
 * attachment paths.
 */
void
vd_queue_reader_set_base_folder (VdQueueReader *self,
                                 GFile         *folder)
{
  g_return_if_fail (VD_IS_QUEUE_READER (self));
  g_return_if_fail (folder == NULL || G_IS_FILE (folder));

  g_set_object (&self->base_folder, folder);
}

/**
 * vd_queue_reader_get_base_folder:
 * @self: a reader
 *
 * Returns: (nullable) (transfer none): the folder set with
 *   vd_queue_reader_set_base_folder()
 */
GFile *
vd_queue_reader_get_base_folder (VdQueueReader *self)
{
  g_return_val_if_fail (VD_IS_QUEUE_READER (self), NULL);

  return self->base_folder;
}

/**
 * vd_queue_reader_read_data:
 * @self: a reader
 * @data: the file's bytes
 * @length: the number of bytes in @data
 * @display_name: the name used in messages, e.g. `payments.jsonl`
 * @progress: (nullable) (scope call): called with bytes done and total
 * @progress_data: data for @progress
 * @cancellable: (nullable): a cancellable
 * @error: return location for an error
 *
 * Parses a "verdict-queue v1" file held in memory. See docs/formats.md.
 *
 * Returns: (transfer full) (element-type VdItem): the items in file order,
 *   or %NULL with @error set
 */
GPtrArray *
vd_queue_reader_read_data (VdQueueReader  *self,
                           const char     *data,
                           gsize           length,
                           const char     *display_name,
                           VdProgressFunc  progress,
                           gpointer        progress_data,
                           GCancellable   *cancellable,
                           GError        **error)
{
  g_return_val_if_fail (VD_IS_QUEUE_READER (self), NULL);

  self->has_file_hash = FALSE;
  return _vd_queue_reader_read_data_chunked (self, data, length, CHUNK_SIZE, display_name,
                                             progress, progress_data, cancellable, error);
}

/*
 * _vd_queue_reader_read_data_chunked:
 * @chunk_size: how many bytes to feed at a time, from 1
 *
 * vd_queue_reader_read_data() with a chosen chunk size, so that the fuzz
 * target can check that where the chunks end changes nothing.
 */
GPtrArray *
_vd_queue_reader_read_data_chunked (VdQueueReader  *self,
                                    const char     *data,
                                    gsize           length,
                                    gsize           chunk_size,
                                    const char     *display_name,
                                    VdProgressFunc  progress,
                                    gpointer        progress_data,
                                    GCancellable   *cancellable,
                                    GError        **error)
{
  VdQueueParse p;
  gsize offset = 0;

  g_return_val_if_fail (VD_IS_QUEUE_READER (self), NULL);
  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (chunk_size > 0, NULL);
  g_return_val_if_fail (display_name != NULL, NULL);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  parse_init (&p, self, display_name, self->base_folder);

  if (length >= 3 && memcmp (data, bom, 3) == 0)
    offset = 3;

  while (p.error == NULL && offset < length)
    {
      gsize n = MIN (length - offset, chunk_size);

      if (g_cancellable_set_error_if_cancelled (cancellable, &p.error))
        break;

      feed (&p, data + offset, n);
      offset += n;

      if (progress != NULL)
        progress (offset, length, progress_data);
    }

  if (p.error == NULL && !g_cancellable_set_error_if_cancelled (cancellable, &p.error))
    finish (&p);

  return parse_end (&p, error);
}

/**
 * vd_queue_reader_read_file:
 * @self: a reader
 * @file: a queue file
 * @progress: (nullable) (scope call): called with bytes done and total
 * @progress_data: data for @progress
 * @cancellable: (nullable): a cancellable
 * @error: return location for an error
 *
 * Streams @file through the parser; the file's base name is the display
 * name. Memory use is the items plus the longest line.
 *
 * Returns: (transfer full) (element-type VdItem): the items in file order,
 *   or %NULL with @error set
 */
GPtrArray *
vd_queue_reader_read_file (VdQueueReader  *self,
                           GFile          *file,
                           VdProgressFunc  progress,
                           gpointer        progress_data,
                           GCancellable   *cancellable,
                           GError        **error)
{
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autofree char *basename = NULL;
  g_autofree char *display_name = NULL;
  g_autofree char *chunk = NULL;
  g_autoptr(GFile) folder = NULL;
  crypto_generichash_state hash_state;
  guint64 total = 0;
  guint64 done = 0;
  gboolean first = TRUE;
  VdQueueParse p;

  g_return_val_if_fail (VD_IS_QUEUE_READER (self), NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  stream = g_file_read (file, cancellable, error);
  if (stream == NULL)
    return NULL;

  info = g_file_input_stream_query_info (stream, G_FILE_ATTRIBUTE_STANDARD_SIZE,
                                         cancellable, NULL);
  if (info != NULL && g_file_info_has_attribute (info, G_FILE_ATTRIBUTE_STANDARD_SIZE))
    total = (guint64) g_file_info_get_size (info);

  basename = g_file_get_basename (file);
  display_name = basename != NULL ? g_filename_display_name (basename)
                                  : g_file_get_parse_name (file);

  if (self->base_folder != NULL)
    folder = g_object_ref (self->base_folder);
  else
    folder = g_file_get_parent (file);

  parse_init (&p, self, display_name, folder);
  chunk = g_malloc (CHUNK_SIZE);

  /* The digest of exactly the bytes read, for checking the file's
   * signature against what was parsed (not against the file as it may be
   * later). */
  self->has_file_hash = FALSE;
  if (!vd_crypto_init (&p.error))
    return parse_end (&p, error);
  crypto_generichash_init (&hash_state, NULL, 0, sizeof self->file_hash);

  while (p.error == NULL)
    {
      gsize n = 0;
      gsize skip = 0;

      /* read_all fills the buffer unless at the end, so a byte-order mark
       * is always whole in the first chunk. */
      if (!g_input_stream_read_all (G_INPUT_STREAM (stream), chunk, CHUNK_SIZE, &n,
                                    cancellable, &p.error))
        break;

      if (n == 0)
        break;

      if (first && n >= 3 && memcmp (chunk, bom, 3) == 0)
        skip = 3;
      first = FALSE;

      crypto_generichash_update (&hash_state, (const guint8 *) chunk, n);
      feed (&p, chunk + skip, n - skip);
      done += n;

      if (progress != NULL)
        progress (done, MAX (done, total), progress_data);

      if (p.error == NULL)
        g_cancellable_set_error_if_cancelled (cancellable, &p.error);
    }

  if (p.error == NULL)
    finish (&p);

  crypto_generichash_final (&hash_state, self->file_hash, sizeof self->file_hash);
  self->has_file_hash = p.error == NULL;

  return parse_end (&p, error);
}

/**
 * vd_queue_reader_get_file_hash:
 * @self: a reader
 * @hash: (out caller-allocates): %VD_MINISIGN_HASH_BYTES bytes
 *
 * After a successful vd_queue_reader_read_file(): the BLAKE2b-512 digest of
 * every byte read, the digest a minisign signature of the file covers.
 *
 * Returns: %TRUE if the last read was a successful file read
 */
gboolean
vd_queue_reader_get_file_hash (VdQueueReader *self,
                               guint8        *hash)
{
  g_return_val_if_fail (VD_IS_QUEUE_READER (self), FALSE);
  g_return_val_if_fail (hash != NULL, FALSE);

  if (!self->has_file_hash)
    return FALSE;

  memcpy (hash, self->file_hash, sizeof self->file_hash);
  return TRUE;
}

/**
 * vd_queue_reader_get_queue:
 * @self: a reader
 *
 * Returns: (nullable): after a successful read, the queue name the header
 *   gave or, without one, the file's base name without its extension
 */
const char *
vd_queue_reader_get_queue (VdQueueReader *self)
{
  g_return_val_if_fail (VD_IS_QUEUE_READER (self), NULL);

  return self->queue;
}

/**
 * vd_queue_reader_get_source:
 * @self: a reader
 *
 * Returns: (nullable): after a successful read, the header's `source`
 */
const char *
vd_queue_reader_get_source (VdQueueReader *self)
{
  g_return_val_if_fail (VD_IS_QUEUE_READER (self), NULL);

  return self->source;
}

/**
 * vd_queue_reader_get_problems:
 * @self: a reader
 *
 * Returns: (transfer none) (element-type utf8): after a successful read
 *   with skip-invalid, the message of every line left out, in file order
 */
GPtrArray *
vd_queue_reader_get_problems (VdQueueReader *self)
{
  g_return_val_if_fail (VD_IS_QUEUE_READER (self), NULL);

  return self->problems;
}

/**
 * vd_queue_reader_get_n_problems:
 * @self: a queue reader
 *
 * Returns: after a read with skip-invalid, the number of lines left out;
 *   vd_queue_reader_get_problems() keeps only the first 1,000 messages
 */
guint
vd_queue_reader_get_n_problems (VdQueueReader *self)
{
  g_return_val_if_fail (VD_IS_QUEUE_READER (self), 0);

  return self->n_problems;
}

/**
 * vd_queue_reader_set_batch_func:
 * @self: a queue reader
 * @batch_size: the items in a batch, at least 1
 * @func: (nullable) (scope notified): called with each batch, or %NULL
 * @user_data: data for @func
 *
 * Makes the reads stream their items to @func in batches instead of
 * returning them: memory then stays bounded whatever the file size.
 */
void
vd_queue_reader_set_batch_func (VdQueueReader    *self,
                                guint             batch_size,
                                VdQueueBatchFunc  func,
                                gpointer          user_data)
{
  g_return_if_fail (VD_IS_QUEUE_READER (self));
  g_return_if_fail (func == NULL || batch_size > 0);

  self->batch_func = func;
  self->batch_data = user_data;
  self->batch_size = batch_size;
}

/**
 * vd_queue_name_from_display_name:
 * @display_name: a file's name or path, as shown in messages
 *
 * The queue a file's items go to when no header names one: the file's base
 * name without its extension, so `tickets.jsonl` fills the queue `tickets`.
 * A leading dot is part of the name (`.jsonl` stays `.jsonl`). Queue files
 * and task inputs files name their queues alike.
 *
 * Returns: (transfer full): the queue name
 */
char *
vd_queue_name_from_display_name (const char *display_name)
{
  g_autofree char *base = NULL;
  const char *dot;

  g_return_val_if_fail (display_name != NULL, NULL);

  base = g_path_get_basename (display_name);
  dot = strrchr (base, '.');
  if (dot != NULL && dot != base)
    return g_strndup (base, dot - base);

  return g_steal_pointer (&base);
}
