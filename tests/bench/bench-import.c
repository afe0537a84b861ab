/* bench-import.c: how fast queue files are parsed and imported
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

#define G_LOG_DOMAIN "bench-import"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include <glib/gstdio.h>

#include "vd-core.h"

/* Usage: bench-import [N_ITEMS]   (default 100000)
 *
 * Generates N items in the shape of a real queue (about a third escalated
 * by the default policy, timestamps without a zone, small metadata) into a
 * temporary folder, then measures parsing alone and the whole import into
 * a new SQLite store there. */

/* Written line by line: the generator holds no more than the file's
 * buffer, whatever N. */
static void
generate (const char *path,
          guint       n_items)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileOutputStream) stream = NULL;
  g_autoptr(GOutputStream) buffered = NULL;
  g_autoptr(GString) line = g_string_new ("{\"verdict_queue\": 1, \"queue\": \"bench\", "
                                          "\"source\": \"bench-import\"}\n");
  guint64 total = 0;

  stream = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE, NULL, &error);
  if (stream == NULL)
    g_error ("%s", error->message);
  buffered = g_buffered_output_stream_new_sized (G_OUTPUT_STREAM (stream), 1 << 20);

  for (guint i = 0; i <= n_items; i++)
    {
      if (i > 0)
        {
          guint k = i - 1;

          g_string_printf (line,
                           "{\"task_id\": \"task_%07u\", \"task_type\": \"support\", "
                           "\"task_description\": \"Answer ticket %u: the customer asks "
                           "where the order is\", \"context\": \"Order placed 3 days ago\", "
                           "\"agent_output\": {\"content\": \"Your parcel %u left our "
                           "warehouse yesterday and will arrive tomorrow before noon.\", "
                           "\"confidence\": %.2f, \"reasoning\": \"Tracking shows a "
                           "scan at the depot\", \"metadata\": {\"order\": %u, "
                           "\"customer\": {\"tier\": \"gold\"}}}, "
                           "\"timestamp\": \"2026-11-20T09:15:02.123456\"}\n",
                           k, k, k, 0.5 + (k % 50) / 100.0, k);
        }
      if (!g_output_stream_write_all (buffered, line->str, line->len, NULL, NULL, &error))
        g_error ("%s", error->message);
      total += line->len;
    }

  if (!g_output_stream_close (buffered, NULL, &error))
    g_error ("%s", error->message);

  g_print ("generated %u items, %.1f MB\n", n_items, total / 1e6);
}

static gboolean
count_batch (GPtrArray  *items,
             gpointer    user_data,
             GError    **error)
{
  guint *n = user_data;

  *n += items->len;
  g_ptr_array_unref (items);

  return TRUE;
}

static void
remove_files (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_remove (path);
    }

  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *queue_path = NULL;
  g_autofree char *db_path = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(VdQueueReader) reader = NULL;
  g_autoptr(VdSqliteStore) store = NULL;
  g_autoptr(VdImporter) importer = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GTimer) timer = NULL;
  VdImportResult result = { 0, };
  guint n_items = 100000;
  guint n_parsed = 0;
  double seconds;

  /* bench-import --generate N PATH: only writes the queue file, for
   * measuring verdict-cli import and the sqlite3 reference on it. */
  if (argc == 4 && g_str_equal (argv[1], "--generate"))
    {
      generate (argv[3], (guint) strtoul (argv[2], NULL, 10));
      return EXIT_SUCCESS;
    }

  if (argc > 1)
    n_items = (guint) strtoul (argv[1], NULL, 10);
  if (n_items == 0)
    {
      g_printerr ("Usage: %s [N_ITEMS]\n       %s --generate N_ITEMS PATH\n", argv[0], argv[0]);
      return 2;
    }

  dir = g_dir_make_tmp ("verdict-bench-XXXXXX", &error);
  if (dir == NULL)
    g_error ("%s", error->message);
  queue_path = g_build_filename (dir, "bench.jsonl", NULL);
  db_path = g_build_filename (dir, "verdict.db", NULL);

  generate (queue_path, n_items);
  file = g_file_new_for_path (queue_path);
  timer = g_timer_new ();

  /* Parsed in batches, as the importer reads. */
  reader = vd_queue_reader_new ();
  vd_queue_reader_set_batch_func (reader, 2000, count_batch, &n_parsed);
  g_timer_start (timer);
  items = vd_queue_reader_read_file (reader, file, NULL, NULL, NULL, &error);
  seconds = g_timer_elapsed (timer, NULL);
  if (items == NULL)
    g_error ("%s", error->message);
  g_print ("parse:  %u items in %.2f s = %.0f items/s\n", n_parsed, seconds,
           n_parsed / seconds);
  g_clear_pointer (&items, g_ptr_array_unref);

  store = vd_sqlite_store_new (db_path, &error);
  if (store == NULL)
    g_error ("%s", error->message);
  importer = vd_importer_new (VD_STORE (store), NULL);

  g_timer_start (timer);
  if (!vd_importer_import (importer, &file, 1, &result, NULL, NULL, NULL, &error))
    g_error ("%s", error->message);
  seconds = g_timer_elapsed (timer, NULL);
  g_print ("import: %u items in %.2f s = %.0f items/s (%u queued, %u auto-approved)\n",
           result.imported, seconds, result.imported / seconds, result.queued,
           result.auto_approved);

  g_clear_object (&importer);
  g_clear_object (&store);
  remove_files (dir);

  return EXIT_SUCCESS;
}
