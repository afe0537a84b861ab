/* test-attachments.c
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

#define G_LOG_DOMAIN "test-attachments"

#include "config.h"

#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "vd-core.h"
#include "vd-test-util.h"

/* Content types and attachments: from a queue file, through the importer
 * and the store, to the audit payload of a decision. */

/* A 1x1 PNG. */
#define PNG_BASE64 "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="

static const char jpeg_bytes[] = "\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01";

typedef struct
{
  char    *dir;     /* holds queue/ and store/ */
  char    *queue;   /* the queue file's folder */
  char    *db;
  VdStore *store;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->dir = vd_test_make_tmp_dir ("attachments");
  fixture->queue = g_build_filename (fixture->dir, "queue", NULL);
  g_assert_cmpint (g_mkdir (fixture->queue, 0700), ==, 0);
  fixture->db = g_build_filename (fixture->dir, "store", "verdict.db", NULL);
  fixture->store = vd_test_open_store (fixture->db);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  vd_test_assert_finalized (g_steal_pointer (&fixture->store));
  vd_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->queue);
  g_free (fixture->db);
}

static GBytes *
png_bytes (void)
{
  gsize length = 0;
  guchar *data = g_base64_decode (PNG_BASE64, &length);

  return g_bytes_new_take (data, length);
}

static void
write_bytes (const char *dir,
             const char *name,
             GBytes     *bytes)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;
  gsize length;
  const char *data = g_bytes_get_data (bytes, &length);

  g_assert_true (g_file_set_contents (path, data, length, &error));
  g_assert_no_error (error);
}

/* One item line with @attachments (JSON text of the array) and @extra
 * members. */
static char *
item_line (const char *task_id,
           const char *attachments,
           const char *extra)
{
  return g_strdup_printf ("{\"task_id\": \"%s\", \"task_description\": \"Review the post\", "
                          "\"escalation_reason\": \"sensitive_content\", "
                          "\"agent_output\": {\"content\": \"Remove the post\", "
                          "\"confidence\": 0.4}%s%s%s%s}\n",
                          task_id,
                          attachments != NULL ? ", \"attachments\": " : "",
                          attachments != NULL ? attachments : "",
                          extra != NULL ? ", " : "",
                          extra != NULL ? extra : "");
}

static GPtrArray *
read_queue (Fixture     *fixture,
            const char  *text,
            gboolean     skip_invalid,
            VdQueueReader **reader_out,
            GError     **error)
{
  g_autofree char *path = vd_test_write_file (fixture->queue, "queue.jsonl", text);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(VdQueueReader) reader = vd_queue_reader_new ();
  GPtrArray *items;

  vd_queue_reader_set_skip_invalid (reader, skip_invalid);
  items = vd_queue_reader_read_file (reader, file, NULL, NULL, NULL, error);
  if (reader_out != NULL)
    *reader_out = g_steal_pointer (&reader);
  return items;
}

static gboolean
import_queue (Fixture     *fixture,
              const char  *text,
              GError     **error)
{
  g_autofree char *path = vd_test_write_file (fixture->queue, "queue.jsonl", text);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(VdPolicy) policy = vd_policy_new ();
  g_autoptr(VdImporter) importer = vd_importer_new (fixture->store, policy);
  VdImportResult result = { 0, };

  return vd_importer_import (importer, &file, 1, &result, NULL, NULL, NULL, error);
}

static guint64
count_items (VdStore *store)
{
  VdItemQuery query = VD_ITEM_QUERY_INIT;
  g_autoptr(GError) error = NULL;
  guint64 count = 0;

  g_assert_true (vd_store_count_items (store, &query, &count, &error));
  g_assert_no_error (error);
  return count;
}

/* How many files are under @dir, recursively. */
static guint
count_files (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;

  if (handle == NULL)
    return 0;

  while ((name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        n += count_files (path);
      else
        n++;
    }

  return n;
}

static char *
dup_attachments_dir (Fixture *fixture)
{
  return g_build_filename (fixture->dir, "store", "attachments", NULL);
}

static void
test_content_types (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *first = item_line ("t1", NULL,
                                      "\"content_type\": {\"output\": \"text/x-diff\", "
                                      "\"task\": \"text/markdown\", \"context\": null}");
  g_autofree char *second = item_line ("t2", NULL, NULL);
  g_autofree char *bad = item_line ("t3", NULL, "\"content_type\": {\"output\": \"text/html\"}");
  g_autofree char *bad_key = item_line ("t4", NULL, "\"content_type\": {\"outptu\": \"text/x-c\"}");
  g_autoptr(VdItem) stored = NULL;
  VdItem *item;

  g_string_append (text, first);
  g_string_append (text, second);
  items = read_queue (fixture, text->str, FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 2);

  item = g_ptr_array_index (items, 0);
  g_assert_cmpstr (vd_item_get_output_content_type (item), ==, "text/x-diff");
  g_assert_cmpstr (vd_item_get_task_content_type (item), ==, "text/markdown");
  g_assert_cmpstr (vd_item_get_context_content_type (item), ==, "text/plain");
  item = g_ptr_array_index (items, 1);
  g_assert_cmpstr (vd_item_get_output_content_type (item), ==, "text/plain");
  g_clear_pointer (&items, g_ptr_array_unref);

  g_assert_true (vd_content_type_is_valid ("text/x-python"));
  g_assert_true (vd_content_type_is_valid ("text/x-c++"));
  g_assert_true (vd_content_type_is_valid ("application/json"));
  g_assert_false (vd_content_type_is_valid ("text/x-"));
  g_assert_false (vd_content_type_is_valid ("text/X-Python"));
  g_assert_false (vd_content_type_is_valid ("image/png"));

  items = read_queue (fixture, bad, FALSE, NULL, &error);
  g_assert_null (items);
  g_assert_error (error, VD_QUEUE_ERROR, VD_QUEUE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "queue.jsonl:1 (task t3): content_type.output must be"));
  g_clear_error (&error);

  items = read_queue (fixture, bad_key, FALSE, NULL, &error);
  g_assert_null (items);
  g_assert_error (error, VD_QUEUE_ERROR, VD_QUEUE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "content_type: unknown key \"outptu\""));
  g_clear_error (&error);

  /* Through the store and back. */
  g_assert_true (import_queue (fixture, text->str, &error));
  g_assert_no_error (error);
  stored = vd_store_get_item (fixture->store, "queue", "t1", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (vd_item_get_output_content_type (stored), ==, "text/x-diff");
  g_assert_cmpstr (vd_item_get_task_content_type (stored), ==, "text/markdown");
  g_assert_cmpstr (vd_item_get_context_content_type (stored), ==, "text/plain");
}

typedef struct
{
  const char *attachments;   /* JSON array text */
  const char *expected;      /* part of the message */
} BadCase;

/* Every bad attachment refuses the read with a message naming the file,
 * the line, the task and the attachment, and the importer imports
 * nothing. */
static void
test_bad_input (Fixture       *fixture,
                gconstpointer  data)
{
  const BadCase cases[] = {
    { "[{\"name\": \"a.png\", \"media_type\": \"image/png\", \"path\": \"nope.png\"}]",
      "attachments[0] (\"a.png\"): path: nope.png: no such file next to the queue file" },
    { "[{\"name\": \"a.png\", \"media_type\": \"image/png\", \"path\": \"../outside.png\"}]",
      "attachments[0] (\"a.png\"): path: ../outside.png leaves the queue's folder" },
    { "[{\"name\": \"a.png\", \"media_type\": \"image/png\", \"path\": \"sub/../../outside.png\"}]",
      "leaves the queue's folder" },
    { "[{\"name\": \"a.png\", \"media_type\": \"image/png\", \"path\": \"/etc/hostname\"}]",
      "attachments[0] (\"a.png\"): path: /etc/hostname leaves the queue's folder" },
    { "[{\"name\": \"a.png\", \"media_type\": \"image/png\", \"path\": \"link.png\"}]",
      "path: link.png leaves the queue's folder (a link to a file outside it)" },
    { "[{\"name\": \"big.bin\", \"media_type\": \"application/octet-stream\", "
      "\"path\": \"big.bin\"}]",
      "attachments[0] (\"big.bin\"): path: big.bin is too large (20971521 bytes; at most 20 MiB)" },
    { "[{\"name\": \"a.png\", \"media_type\": \"image/png\", \"data\": \"" PNG_BASE64 "\", "
      "\"sha256\": \"0000000000000000000000000000000000000000000000000000000000000000\"}]",
      "attachments[0] (\"a.png\"): sha256 does not match the bytes (stated 0000" },
    { "[{\"name\": \"a.png\", \"media_type\": \"image/png\", \"path\": \"photo.jpg\"}]",
      "attachments[0] (\"a.png\"): media_type: the bytes are image/jpeg, not image/png" },
    { "[{\"name\": \"a.png\", \"media_type\": \"image/png\", \"data\": \"aGVsbG8=\"}]",
      "attachments[0] (\"a.png\"): media_type: the bytes are not image/png" },
    { "[{\"name\": \"bomb.png\", \"media_type\": \"image/png\", \"data\": "
      "\"iVBORw0KGgoAAAANSUhEUgAA6mAAAOpgCAYAAACA0nVCAAAADElEQVR4nGNgoD0AAABkAAGGZDw1AAAAAElFTkSuQmCC\"}]",
      "attachments[0] (\"bomb.png\"): media_type: the image is 60000 × 60000 pixels: over the "
      "limit of 50 megapixels and 32768 pixels a side" },
    { "[{\"name\": \"a.pdf\", \"media_type\": \"application/pdf\", \"data\": \"aGVsbG8=\"}]",
      "media_type: the bytes are not application/pdf" },
    { "[{\"name\": \"a.svg\", \"media_type\": \"image/svg+xml\", \"data\": \"aGVsbG8=\"}]",
      "image/svg+xml is not a supported image type" },
    { "[{\"name\": \"a.txt\", \"media_type\": \"text/plain\", \"data\": \"aGVsbG8@\"}]",
      "attachments[0] (\"a.txt\"): data: not valid base64 (a character that is not base64)" },
    { "[{\"name\": \"a.txt\", \"media_type\": \"text/plain\", \"data\": \"aGVsbG8\"}]",
      "data: not valid base64 (the length is not a multiple of 4)" },
    { "[{\"name\": \"a.txt\", \"media_type\": \"text/plain\", \"data\": \"aGVs=G8=\"}]",
      "data: not valid base64 (text after the '=' padding)" },
    { "[{\"name\": \"a.txt\", \"media_type\": \"text/plain\", \"data\": \"aGVsbG8=\", "
      "\"path\": \"photo.jpg\"}]",
      "attachments[0] (\"a.txt\"): expected exactly one of path, data or url, found 2" },
    { "[{\"name\": \"a.txt\", \"media_type\": \"text/plain\"}]",
      "expected exactly one of path, data or url, found 0" },
    { "[{\"name\": \"a.txt\", \"media_type\": \"text/plain\", \"data\": \"\"}, "
      "{\"name\": \"a.txt\", \"media_type\": \"text/plain\", \"data\": \"\"}]",
      "attachments[1] (\"a.txt\"): name: another attachment of this item has the same name" },
    { "[{\"name\": \"a\", \"media_type\": \"text/plain\", \"url\": \"file:///etc/passwd\"}]",
      "attachments[0] (\"a\"): url must be an http or https address" },
    { "[{\"name\": \"a.txt\", \"media_type\": \"text plain\", \"data\": \"\"}]",
      "attachments[0] (\"a.txt\"): media_type must be a media type such as image/png" },
    { "[{\"media_type\": \"text/plain\", \"data\": \"\"}]",
      "attachments[0]: name is missing (required)" },
    { "[{\"name\": \"../x\", \"media_type\": \"text/plain\", \"data\": \"\"}]",
      "attachments[0].name must be a non-empty file name" },
    { "{\"name\": \"a.txt\"}",
      "attachments must be an array" },
    { "[{\"name\": \"a\", \"media_type\": \"application/octet-stream\", \"path\": \"m1\"}, "
      "{\"name\": \"b\", \"media_type\": \"application/octet-stream\", \"path\": \"m2\"}, "
      "{\"name\": \"c\", \"media_type\": \"application/octet-stream\", \"path\": \"m3\"}, "
      "{\"name\": \"d\", \"media_type\": \"application/octet-stream\", \"path\": \"m4\"}, "
      "{\"name\": \"e\", \"media_type\": \"application/octet-stream\", \"path\": \"m5\"}, "
      "{\"name\": \"f\", \"media_type\": \"application/octet-stream\", \"path\": \"m6\"}]",
      "attachments[5] (\"f\"): the item's attachments are too large together (at most 100 MiB)" },
  };
  g_autoptr(GBytes) png = png_bytes ();
  g_autoptr(GBytes) jpeg = g_bytes_new_static (jpeg_bytes, sizeof jpeg_bytes - 1);
  g_autofree char *outside = g_build_filename (fixture->dir, "outside.png", NULL);
  g_autofree char *link = g_build_filename (fixture->queue, "link.png", NULL);
  g_autofree char *big = g_build_filename (fixture->queue, "big.bin", NULL);
  g_autofree char *attachments_dir = dup_attachments_dir (fixture);

  write_bytes (fixture->dir, "outside.png", png);
  write_bytes (fixture->queue, "photo.jpg", jpeg);
  g_assert_cmpint (symlink (outside, link), ==, 0);
  g_assert_true (g_file_set_contents (big, "", 0, NULL));
  g_assert_cmpint (truncate (big, VD_ATTACHMENT_MAX_SIZE + 1), ==, 0);
  for (guint i = 1; i <= 6; i++)
    {
      g_autofree char *name = g_strdup_printf ("m%u", i);
      g_autofree char *path = g_build_filename (fixture->queue, name, NULL);

      g_assert_true (g_file_set_contents (path, "", 0, NULL));
      g_assert_cmpint (truncate (path, 18 * 1024 * 1024), ==, 0);
    }

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *good = item_line ("good", "[{\"name\": \"p.png\", "
                                         "\"media_type\": \"image/png\", "
                                         "\"data\": \"" PNG_BASE64 "\"}]", NULL);
      g_autofree char *bad = item_line ("t1", cases[i].attachments, NULL);
      g_autofree char *text = g_strconcat (good, bad, NULL);
      g_autoptr(VdQueueReader) reader = NULL;
      g_autoptr(GPtrArray) items = NULL;
      g_autoptr(GError) error = NULL;
      GPtrArray *problems;

      g_test_message ("case %u: %s", i, cases[i].attachments);

      items = read_queue (fixture, text, FALSE, NULL, &error);
      g_assert_null (items);
      g_assert_error (error, VD_QUEUE_ERROR, VD_QUEUE_ERROR_INVALID);
      g_assert_true (g_str_has_prefix (error->message, "queue.jsonl:2 (task t1): "));
      if (strstr (error->message, cases[i].expected) == NULL)
        g_error ("case %u: \"%s\" does not contain \"%s\"", i, error->message,
                 cases[i].expected);
      g_clear_error (&error);

      /* Nothing imported, no attachment file left behind. */
      g_assert_false (import_queue (fixture, text, &error));
      g_assert_error (error, VD_QUEUE_ERROR, VD_QUEUE_ERROR_INVALID);
      g_clear_error (&error);
      g_assert_cmpuint (count_items (fixture->store), ==, 0);
      /* On PostgreSQL, the bytes live in the rows. */
      if (vd_test_store_is_sqlite ())
        g_assert_cmpuint (count_files (attachments_dir), ==, 0);

      /* Skipped with skip-invalid, the message kept. */
      items = read_queue (fixture, text, TRUE, &reader, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (items->len, ==, 1);
      problems = vd_queue_reader_get_problems (reader);
      g_assert_cmpuint (problems->len, ==, 1);
      g_assert_nonnull (strstr (g_ptr_array_index (problems, 0), cases[i].expected));
    }
}

/* An attachment path needs a folder: read_data() without one refuses it. */
static void
test_no_folder (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *line = item_line ("t1", "[{\"name\": \"a.png\", \"media_type\": \"image/png\", "
                                     "\"path\": \"a.png\"}]", NULL);
  g_autoptr(VdQueueReader) reader = vd_queue_reader_new ();
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) folder = g_file_new_for_path (fixture->queue);
  g_autoptr(GBytes) png = png_bytes ();

  items = vd_queue_reader_read_data (reader, line, strlen (line), "q.jsonl", NULL, NULL, NULL,
                                     &error);
  g_assert_null (items);
  g_assert_error (error, VD_QUEUE_ERROR, VD_QUEUE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "a path needs a queue file's folder"));
  g_clear_error (&error);

  write_bytes (fixture->queue, "a.png", png);
  vd_queue_reader_set_base_folder (reader, folder);
  items = vd_queue_reader_read_data (reader, line, strlen (line), "q.jsonl", NULL, NULL, NULL,
                                     &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 1);
}

/* Imported attachments are the store's own: they read back after the
 * queue's folder is gone, and after the store is opened again. */
static void
test_round_trip_and_move (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GBytes) png = png_bytes ();
  g_autoptr(GBytes) jpeg = g_bytes_new_static (jpeg_bytes, sizeof jpeg_bytes - 1);
  g_autofree char *png_sha256 = vd_sha256_hex (g_bytes_get_data (png, NULL),
                                               g_bytes_get_size (png));
  g_autofree char *jpeg_sha256 = vd_sha256_hex (jpeg_bytes, sizeof jpeg_bytes - 1);
  g_autofree char *images = g_build_filename (fixture->queue, "images", NULL);
  g_autofree char *attachments = NULL;
  g_autofree char *line = NULL;
  g_autoptr(VdItem) item = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) json = NULL;
  g_autofree char *json_text = NULL;
  VdAttachment *attachment;
  GPtrArray *list;

  g_assert_cmpint (g_mkdir (images, 0700), ==, 0);
  write_bytes (images, "post.jpg", jpeg);
  attachments = g_strdup_printf ("[{\"name\": \"post.jpg\", \"media_type\": \"image/jpeg\", "
                                 "\"path\": \"images/post.jpg\", \"sha256\": \"%s\"}, "
                                 "{\"name\": \"inline.png\", \"media_type\": \"IMAGE/PNG\", "
                                 "\"data\": \"" PNG_BASE64 "\"}, "
                                 "{\"name\": \"thread\", \"media_type\": \"text/html\", "
                                 "\"url\": \"https://example.com/t/1\"}]", jpeg_sha256);
  line = item_line ("t1", attachments, "\"content_type\": {\"output\": \"text/markdown\"}");
  g_assert_true (import_queue (fixture, line, &error));
  g_assert_no_error (error);

  /* The same bytes twice are kept once. */
  {
    g_autofree char *again = item_line ("t2", attachments, NULL);
    g_autofree char *dir = dup_attachments_dir (fixture);

    g_assert_true (import_queue (fixture, again, &error));
    g_assert_no_error (error);
    /* On PostgreSQL, the bytes live in the rows. */
    if (vd_test_store_is_sqlite ())
      g_assert_cmpuint (count_files (dir), ==, 2);
  }

  /* The queue's folder goes away; the store is opened afresh. */
  g_assert_true (vd_test_remove_tree (fixture->queue));
  vd_test_assert_finalized (g_steal_pointer (&fixture->store));
  fixture->store = vd_test_open_store (fixture->db);

  item = vd_store_get_item (fixture->store, "queue", "t1", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (vd_item_get_output_content_type (item), ==, "text/markdown");
  list = vd_item_get_attachments (item);
  g_assert_cmpuint (list->len, ==, 3);

  attachment = g_ptr_array_index (list, 0);
  g_assert_cmpstr (vd_attachment_get_name (attachment), ==, "post.jpg");
  g_assert_cmpstr (vd_attachment_get_media_type (attachment), ==, "image/jpeg");
  g_assert_cmpstr (vd_attachment_get_sha256 (attachment), ==, jpeg_sha256);
  g_assert_cmpint (vd_attachment_get_size (attachment), ==, sizeof jpeg_bytes - 1);
  g_assert_false (vd_attachment_is_link (attachment));
  {
    g_autoptr(GBytes) bytes = vd_store_read_attachment (fixture->store,
                                                        vd_attachment_get_sha256 (attachment),
                                                        NULL, &error);
    g_assert_no_error (error);
    g_assert_true (g_bytes_equal (bytes, jpeg));
  }

  attachment = g_ptr_array_index (list, 1);
  g_assert_cmpstr (vd_attachment_get_name (attachment), ==, "inline.png");
  g_assert_cmpstr (vd_attachment_get_media_type (attachment), ==, "image/png");
  g_assert_cmpstr (vd_attachment_get_sha256 (attachment), ==, png_sha256);
  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GBytes) bytes = NULL;

    vd_store_read_attachment_async (fixture->store, png_sha256, NULL, vd_test_got_result,
                                    &result);
    g_assert_true (vd_test_iterate_until (vd_test_has_result, &result, 10000));
    bytes = vd_store_read_attachment_finish (fixture->store, result, &error);
    g_assert_no_error (error);
    g_assert_true (g_bytes_equal (bytes, png));
  }

  attachment = g_ptr_array_index (list, 2);
  g_assert_cmpstr (vd_attachment_get_name (attachment), ==, "thread");
  g_assert_cmpstr (vd_attachment_get_url (attachment), ==, "https://example.com/t/1");
  g_assert_null (vd_attachment_get_sha256 (attachment));
  g_assert_true (vd_attachment_is_link (attachment));

  /* A copy keeps them; the JSON lists them without bytes. */
  {
    g_autoptr(VdItem) copy = vd_item_copy (item);

    g_assert_cmpuint (vd_item_get_attachments (copy)->len, ==, 3);
    g_assert_true (vd_item_find_attachment (copy, "thread") != NULL);
  }
  json = vd_item_to_json (item);
  json_text = json_to_string (json, FALSE);
  g_assert_nonnull (strstr (json_text, "\"attachments\":[{\"name\":\"post.jpg\","
                                       "\"media_type\":\"image/jpeg\",\"size\":12,"));
  g_assert_nonnull (strstr (json_text, "\"content_type\":{\"task\":\"text/plain\","
                                       "\"context\":\"text/plain\","
                                       "\"output\":\"text/markdown\"}"));

  /* A damaged or unknown file is an error, never other bytes. */
  {
    g_autoptr(GBytes) bytes = NULL;

    bytes = vd_store_read_attachment (fixture->store, "0123", NULL, &error);
    g_assert_null (bytes);
    g_assert_error (error, VD_STORE_ERROR, VD_STORE_ERROR_NOT_FOUND);
    g_clear_error (&error);
  }
  {
    g_autofree char *dir = dup_attachments_dir (fixture);
    char prefix[3] = { png_sha256[0], png_sha256[1], '\0' };
    g_autofree char *path = g_build_filename (dir, prefix, png_sha256 + 2, NULL);
    g_autoptr(GBytes) bytes = NULL;

    if (vd_test_store_is_sqlite ())
      {
        g_assert_true (g_file_set_contents (path, "changed", -1, NULL));
      }
    else
      {
        g_autofree char *sql = g_strdup_printf ("SET session_replication_role = replica; "
                                                "UPDATE attachments SET data = 'changed' "
                                                "WHERE sha256 = '%s'", png_sha256);

        g_free (vd_test_store_sql (fixture->db, sql));
      }
    bytes = vd_store_read_attachment (fixture->store, png_sha256, NULL, &error);
    g_assert_null (bytes);
    g_assert_error (error, VD_STORE_ERROR, VD_STORE_ERROR_FAILED);
  }
}

/* A new revision of a stored item (as the agent's rework makes it) keeps
 * the attachments it was read with; an attachment without bytes anywhere
 * is refused. */
static void
test_revision_keeps (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *line = item_line ("t1", "[{\"name\": \"n.txt\", \"media_type\": "
                                     "\"text/plain\", \"data\": \"aGVsbG8=\"}]", NULL);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(VdItem) stored = NULL;
  g_autoptr(VdItem) again = NULL;
  g_autoptr(VdAttachment) nowhere = vd_attachment_new ("x", "text/plain");
  g_autoptr(GError) error = NULL;
  VdImportResult result = { 0, };
  VdItem *revision;

  g_assert_true (import_queue (fixture, line, &error));
  g_assert_no_error (error);
  stored = vd_store_get_item (fixture->store, "queue", "t1", &error);
  g_assert_no_error (error);

  revision = vd_item_copy (stored);
  vd_item_set_revision (revision, 1);
  vd_item_set_content (revision, "Keep the post");
  g_ptr_array_add (items, revision);
  g_assert_true (vd_store_import_items (fixture->store, "agent", items, &result, NULL, NULL,
                                        NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.revised, ==, 1);

  again = vd_store_get_item (fixture->store, "queue", "t1", &error);
  g_assert_no_error (error);
  g_assert_cmpint (vd_item_get_revision (again), ==, 1);
  g_assert_cmpuint (vd_item_get_attachments (again)->len, ==, 1);
  g_assert_cmpstr (vd_attachment_get_name (g_ptr_array_index (vd_item_get_attachments (again),
                                                              0)), ==, "n.txt");

  vd_attachment_set_sha256 (nowhere,
                            "0000000000000000000000000000000000000000000000000000000000000000");
  vd_item_set_revision (revision, 2);
  vd_item_add_attachment (revision, nowhere);
  g_assert_false (vd_store_import_items (fixture->store, "agent", items, &result, NULL, NULL,
                                         NULL, &error));
  g_assert_error (error, VD_STORE_ERROR, VD_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "attachment x: no bytes"));
}

/* An import that fails after writing attachment files leaves none. */
static void
test_rollback (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(VdAttachment) good = vd_attachment_new ("a.png", "image/png");
  g_autoptr(VdAttachment) changed = vd_attachment_new ("b.txt", "text/plain");
  g_autoptr(GBytes) png = png_bytes ();
  g_autofree char *png_sha256 = vd_sha256_hex (g_bytes_get_data (png, NULL),
                                               g_bytes_get_size (png));
  g_autofree char *dir = dup_attachments_dir (fixture);
  g_autofree char *path = g_build_filename (fixture->queue, "b.txt", NULL);
  g_autoptr(GError) error = NULL;
  VdImportResult result = { 0, };
  VdItem *item;

  vd_attachment_set_bytes (good, png);
  vd_attachment_set_sha256 (good, png_sha256);
  vd_attachment_set_size (good, g_bytes_get_size (png));
  item = vd_item_new ("q", "t1");
  vd_item_set_escalation_reason (item, VD_ESCALATION_REASON_SENSITIVE_CONTENT);
  vd_item_add_attachment (item, good);
  g_ptr_array_add (items, item);

  /* The file changed after the reader hashed it. */
  g_assert_true (g_file_set_contents (path, "changed", -1, NULL));
  vd_attachment_set_source_path (changed, path);
  vd_attachment_set_sha256 (changed, png_sha256);
  item = vd_item_new ("q", "t2");
  vd_item_set_escalation_reason (item, VD_ESCALATION_REASON_SENSITIVE_CONTENT);
  vd_item_add_attachment (item, changed);
  g_ptr_array_add (items, item);

  g_assert_false (vd_store_import_items (fixture->store, "test", items, &result, NULL, NULL,
                                         NULL, &error));
  g_assert_error (error, VD_STORE_ERROR, VD_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "q: t2: attachment b.txt: "));
  g_assert_nonnull (strstr (error->message, "changed while it was imported"));
  g_clear_error (&error);

  g_assert_cmpuint (count_items (fixture->store), ==, 0);
  /* On PostgreSQL, the bytes live in the rows. */
  if (vd_test_store_is_sqlite ())
    g_assert_cmpuint (count_files (dir), ==, 0);

  /* Without the bad item, the file is kept. */
  g_ptr_array_set_size (items, 1);
  g_assert_true (vd_store_import_items (fixture->store, "test", items, &result, NULL, NULL,
                                        NULL, &error));
  g_assert_no_error (error);
  /* On PostgreSQL, the bytes live in the rows. */
  if (vd_test_store_is_sqlite ())
    g_assert_cmpuint (count_files (dir), ==, 1);
}

static JsonObject *
last_decision_payload (VdStore    *store,
                       JsonParser *parser)
{
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;
  VdAuditEvent *event = NULL;

  events = vd_store_list_audit (store, 1, 0, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < events->len; i++)
    if (g_str_equal (vd_audit_event_get_event_type (g_ptr_array_index (events, i)),
                     VD_AUDIT_DECISION))
      event = g_ptr_array_index (events, i);
  g_assert_nonnull (event);

  g_assert_true (json_parser_load_from_data (parser, vd_audit_event_get_payload_json (event),
                                             -1, &error));
  g_assert_no_error (error);
  return json_node_get_object (json_parser_get_root (parser));
}

static void
decide (VdStore    *store,
        const char *task_id)
{
  g_autoptr(VdDecision) decision = vd_decision_new ("queue", task_id, VD_DECISION_KIND_APPROVE,
                                                    "alice");
  g_autoptr(GError) error = NULL;

  g_assert_true (vd_store_record_decision (store, decision, &error));
  g_assert_no_error (error);
}

static void
assert_verifies (VdStore *store)
{
  g_autoptr(GError) error = NULL;
  gint64 bad_seq = -1;
  guint64 n_checked = 0;

  g_assert_true (vd_store_verify_audit (store, &bad_seq, &n_checked, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_checked, >, 0);
}

/* A store taken back to an older schema by dropping its signature columns
 * has a signed trail without signatures: verification names its first
 * event. */
static void
assert_signatures_dropped (VdStore *store)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (vd_store_verify_audit (store, NULL, NULL, &error));
  g_assert_cmpstr (error->message, ==, "audit event 1: not signed");
}

/* A decision records the hashes of what the reviewer was shown. */
static void
test_audit_payload (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GBytes) png = png_bytes ();
  g_autofree char *png_sha256 = vd_sha256_hex (g_bytes_get_data (png, NULL),
                                               g_bytes_get_size (png));
  g_autofree char *output_sha256 = vd_sha256_hex ("Remove the post", -1);
  g_autofree char *line = item_line ("t1", "[{\"name\": \"post.png\", \"media_type\": "
                                     "\"image/png\", \"path\": \"post.png\"}, "
                                     "{\"name\": \"thread\", \"media_type\": \"text/html\", "
                                     "\"url\": \"https://example.com/t/1\"}]", NULL);
  g_autofree char *plain = item_line ("t2", NULL, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *payload;
  JsonArray *shown;
  JsonObject *entry;

  write_bytes (fixture->queue, "post.png", png);
  g_assert_true (import_queue (fixture, line, &error));
  g_assert_no_error (error);
  decide (fixture->store, "t1");

  payload = last_decision_payload (fixture->store, parser);
  g_assert_cmpstr (json_object_get_string_member (payload, "output_sha256"), ==, output_sha256);
  shown = json_object_get_array_member (payload, "attachments");
  g_assert_cmpuint (json_array_get_length (shown), ==, 2);
  entry = json_array_get_object_element (shown, 0);
  g_assert_cmpstr (json_object_get_string_member (entry, "name"), ==, "post.png");
  g_assert_cmpstr (json_object_get_string_member (entry, "sha256"), ==, png_sha256);
  entry = json_array_get_object_element (shown, 1);
  g_assert_cmpstr (json_object_get_string_member (entry, "name"), ==, "thread");
  g_assert_true (json_object_get_null_member (entry, "sha256"));
  assert_verifies (fixture->store);

  /* Without attachments: an empty list, said explicitly. */
  g_assert_true (import_queue (fixture, plain, &error));
  g_assert_no_error (error);
  decide (fixture->store, "t2");
  payload = last_decision_payload (fixture->store, parser);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (payload,
                                                                         "attachments")), ==, 0);
  assert_verifies (fixture->store);
}

/* A store of schema version 5 (before attachments) migrates: its items are
 * plain text without attachments, its trail still verifies, and new items
 * may have attachments. */
static void
test_migrate_v5 (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *plain = item_line ("t1", NULL, NULL);
  g_autofree char *with = item_line ("t2", "[{\"name\": \"n.txt\", \"media_type\": "
                                     "\"text/plain\", \"data\": \"aGVsbG8=\"}]",
                                     "\"content_type\": {\"context\": \"application/json\"}");
  g_autoptr(VdItem) item = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *db = NULL;

  g_assert_true (import_queue (fixture, plain, &error));
  g_assert_no_error (error);
  decide (fixture->store, "t1");
  vd_test_assert_finalized (g_steal_pointer (&fixture->store));

  g_assert_cmpint (sqlite3_open (fixture->db, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "DROP TABLE attachments; "
                                 "DROP TRIGGER stats_calibration_item; "
                                 "DROP TRIGGER stats_reviewers_expected; "
                                 "DROP TRIGGER stats_insights_decision; "
                                 "DROP TABLE stats_calibration; "
                                 "DROP TABLE stats_reviewer_decisions; "
                                 "DROP TABLE stats_timeline; "
                                 "DROP TRIGGER items_search_delete; "
                                 "DROP TRIGGER items_search_update; DROP TABLE items_search; "
                                 "DROP TRIGGER stats_items_update; DROP TRIGGER stats_items_delete; "
                                 "DROP TRIGGER stats_items_revision; "
                                 "DROP TRIGGER stats_decisions_retract; DROP TABLE stats_items; "
                                 "DROP TABLE stats_decisions; DROP TABLE stats_auto_approved; "
                                 "DELETE FROM meta WHERE key IN ('search_indexed_id', "
                                 "'stats_item_id', 'stats_decision_id'); "
                                 "ALTER TABLE items DROP COLUMN task_content_type; "
                                 "ALTER TABLE items DROP COLUMN context_content_type; "
                                 "ALTER TABLE items DROP COLUMN output_content_type; "
                                 "ALTER TABLE audit DROP COLUMN key_id; "
                                 "ALTER TABLE audit DROP COLUMN signature; "
                                 "ALTER TABLE decisions DROP COLUMN policy_sha256; "
                                 "ALTER TABLE decisions DROP COLUMN model; "
                                 "ALTER TABLE decisions DROP COLUMN prompt_version; "
                                 "ALTER TABLE decisions DROP COLUMN app_version; "
                                 "ALTER TABLE decisions DROP COLUMN final; "
                                 "PRAGMA user_version = 5;", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  fixture->store = vd_test_open_store (fixture->db);
  assert_signatures_dropped (fixture->store);
  item = vd_store_get_item (fixture->store, "queue", "t1", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (vd_item_get_output_content_type (item), ==, "text/plain");
  g_assert_cmpuint (vd_item_get_attachments (item)->len, ==, 0);
  g_clear_object (&item);

  g_assert_true (import_queue (fixture, with, &error));
  g_assert_no_error (error);
  item = vd_store_get_item (fixture->store, "queue", "t2", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (vd_item_get_context_content_type (item), ==, "application/json");
  g_assert_cmpuint (vd_item_get_attachments (item)->len, ==, 1);
  assert_signatures_dropped (fixture->store);
}

static void
test_sniff (void)
{
  g_autofree char *problem = NULL;

  g_assert_cmpstr (vd_media_type_sniff ((const guint8 *) "GIF89a...", 9), ==, "image/gif");
  g_assert_cmpstr (vd_media_type_sniff ((const guint8 *) "RIFF\0\0\0\0WEBPVP8 ", 16), ==,
                   "image/webp");
  g_assert_cmpstr (vd_media_type_sniff ((const guint8 *) "%PDF-1.7", 8), ==, "application/pdf");
  g_assert_null (vd_media_type_sniff ((const guint8 *) "RIFF\0\0\0\0WAVE", 12));
  g_assert_null (vd_media_type_sniff (NULL, 0));
  g_assert_true (vd_media_type_check_bytes ("text/plain", (const guint8 *) "x", 1, NULL));
  g_assert_false (vd_media_type_check_bytes ("image/gif", (const guint8 *) "GIF8", 4, &problem));
  g_assert_cmpstr (problem, ==, "the bytes are not image/gif");
  g_assert_true (vd_media_type_is_valid ("application/vnd.ms-excel"));
  g_assert_false (vd_media_type_is_valid ("image/"));
  g_assert_false (vd_media_type_is_valid ("image/png; q=1"));
}

static void
add_test (const char *path,
          void (*func) (Fixture *, gconstpointer))
{
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/attachments/sniff", test_sniff);
  add_test ("/attachments/content-types", test_content_types);
  add_test ("/attachments/bad-input", test_bad_input);
  add_test ("/attachments/no-folder", test_no_folder);
  add_test ("/attachments/round-trip-and-move", test_round_trip_and_move);
  add_test ("/attachments/rollback", test_rollback);
  add_test ("/attachments/revision-keeps", test_revision_keeps);
  add_test ("/attachments/audit-payload", test_audit_payload);
  if (vd_test_sqlite_only ("/attachments/migrate-v5",
                           "SQLite only: a migration of SQLite's schema 5"))
    add_test ("/attachments/migrate-v5", test_migrate_v5);

  return g_test_run ();
}
