/* bench-signing.c: what signing costs per decision, and verifying a long
 * signed audit trail
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

#define G_LOG_DOMAIN "bench-signing"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include <glib/gstdio.h>

#include "vd-core.h"
#include "vd-sqlite-store.h"

/* Usage: bench-signing [N_EVENTS [N_DECISIONS]]   (defaults 1000000, 2000)
 *
 * 1. Ed25519 alone: signing and verifying an audit hash with a reviewer's
 *    key, 20,000 times each.
 * 2. Decisions: N_DECISIONS reviewer decisions recorded one by one (one
 *    transaction each, as the window and `decide` do) on a store of the
 *    same number of queued items, with the reviewer's key unlocked: the
 *    time per decision and the share of it that signing takes.
 * 3. A trail of about N_EVENTS signed events (an import of N_EVENTS items
 *    under review-all: one signed `enqueue` event each), then
 *    `vd_store_verify_audit` over it (hashes, links and signatures) against
 *    `sha256sum` over the database file, each from a cold start of the
 *    process' own caches (the page cache is warm for both). */

static void
generate (const char *path,
          const char *queue,
          guint       n_items)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  FILE *out = g_fopen (path, "w");

  if (out == NULL)
    g_error ("%s: cannot write", path);
  fprintf (out, "{\"verdict_queue\": 1, \"queue\": \"%s\", \"source\": \"bench-signing\"}\n",
           queue);
  for (guint i = 0; i < n_items; i++)
    fprintf (out,
             "{\"task_id\": \"task_%07u\", \"task_type\": \"support\", "
             "\"task_description\": \"Answer ticket %u\", "
             "\"agent_output\": {\"content\": \"Your parcel %u left our warehouse "
             "yesterday.\", \"confidence\": %.2f, \"reasoning\": \"Tracking scan\", "
             "\"metadata\": {\"order\": %u}}}\n",
             i, i, i, 0.5 + (i % 50) / 100.0, i);
  if (fclose (out) != 0)
    g_error ("%s: cannot write", path);
}

static void
remove_tree (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        remove_tree (path);
      else
        g_remove (path);
    }

  g_rmdir (dir);
}

static void
import_queue (VdStore    *store,
              const char *dir,
              const char *queue,
              guint       n_items)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_strdup_printf ("%s.jsonl", queue);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(VdPolicy) policy = vd_policy_new_review_all ();
  g_autoptr(VdImporter) importer = vd_importer_new (store, policy);
  VdImportResult result = { 0, };

  generate (path, queue, n_items);
  if (!vd_importer_import (importer, &file, 1, &result, NULL, NULL, NULL, &error))
    g_error ("%s", error->message);
  g_remove (path);
}

static void
bench_raw (VdKey *key)
{
  g_autoptr(GTimer) timer = g_timer_new ();
  g_autofree char *signature = NULL;
  const char *hash = "7955d7eb1bca3fa29e0cef92f9537368da12b7c1694c2f4d27b508c86d159888";
  const guint n = 20000;
  double sign_s, verify_s;

  for (guint i = 0; i < n; i++)
    {
      g_free (signature);
      signature = vd_key_sign_audit_hash (key, hash, NULL);
    }
  sign_s = g_timer_elapsed (timer, NULL);

  g_timer_start (timer);
  for (guint i = 0; i < n; i++)
    if (!vd_key_verify_audit_hash (key, hash, signature))
      g_error ("a fresh signature does not verify");
  verify_s = g_timer_elapsed (timer, NULL);

  g_print ("ed25519: sign %.1f us, verify %.1f us per audit hash (%u each)\n",
           sign_s / n * 1e6, verify_s / n * 1e6, n);
}

static void
bench_decisions (const char *dir,
                 VdKey      *key,
                 guint       n_decisions)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db_path = g_build_filename (dir, "decisions.db", NULL);
  g_autoptr(VdSqliteStore) store = vd_sqlite_store_new (db_path, &error);
  g_autoptr(GTimer) timer = NULL;
  g_autoptr(GTimer) sign_timer = g_timer_new ();
  g_autofree char *signature = NULL;
  double seconds, sign_seconds;

  if (store == NULL)
    g_error ("%s", error->message);
  import_queue (VD_STORE (store), dir, "decide", n_decisions);
  vd_signer_add_key (vd_store_get_signer (VD_STORE (store)), key);

  timer = g_timer_new ();
  for (guint i = 0; i < n_decisions; i++)
    {
      g_autofree char *task_id = g_strdup_printf ("task_%07u", i);
      g_autoptr(VdDecision) decision = vd_decision_new ("decide", task_id,
                                                        VD_DECISION_KIND_APPROVE, "alice");

      if (!vd_store_record_decision (VD_STORE (store), decision, &error))
        g_error ("%s", error->message);
    }
  seconds = g_timer_elapsed (timer, NULL);

  /* The same number of signatures, alone: what signing added. */
  g_timer_start (sign_timer);
  for (guint i = 0; i < n_decisions; i++)
    {
      g_free (signature);
      signature = vd_key_sign_audit_hash (key,
                                          "118834af72b377fe98df1da33578f8575b0dbb79ac4624f6a66619b9d5c8f46f",
                                          NULL);
    }
  sign_seconds = g_timer_elapsed (sign_timer, NULL);

  g_print ("decide: %u decisions in %.2f s = %.2f ms per decision; signing %.1f us of it "
           "(%.2f %%)\n",
           n_decisions, seconds, seconds / n_decisions * 1e3,
           sign_seconds / n_decisions * 1e6, 100.0 * sign_seconds / seconds);
}

static void
bench_verify (const char *dir,
              guint       n_events)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db_path = g_build_filename (dir, "trail.db", NULL);
  g_autoptr(VdSqliteStore) store = vd_sqlite_store_new (db_path, &error);
  g_autoptr(GTimer) timer = g_timer_new ();
  g_autofree char *command = NULL;
  g_autofree char *out = NULL;
  GStatBuf st;
  gint64 bad_seq = 0;
  guint64 n_checked = 0;
  double import_s, verify_s, sha_s;
  int status;

  if (store == NULL)
    g_error ("%s", error->message);
  import_queue (VD_STORE (store), dir, "trail", n_events);
  import_s = g_timer_elapsed (timer, NULL);
  g_clear_object (&store);

  store = vd_sqlite_store_new (db_path, &error);
  if (store == NULL)
    g_error ("%s", error->message);

  g_timer_start (timer);
  if (!vd_store_verify_audit (VD_STORE (store), &bad_seq, &n_checked, &error))
    g_error ("%s", error->message);
  verify_s = g_timer_elapsed (timer, NULL);
  if (bad_seq != 0)
    g_error ("the trail does not verify at %" G_GINT64_FORMAT, bad_seq);

  command = g_strdup_printf ("sha256sum %s", db_path);
  g_timer_start (timer);
  if (!g_spawn_command_line_sync (command, &out, NULL, &status, &error) ||
      !g_spawn_check_wait_status (status, &error))
    g_error ("sha256sum: %s", error->message);
  sha_s = g_timer_elapsed (timer, NULL);

  if (g_stat (db_path, &st) != 0)
    g_error ("%s: cannot stat", db_path);

  g_print ("trail: %" G_GUINT64_FORMAT " signed events written (with their items) in %.1f s\n",
           n_checked, import_s);
  g_print ("verify: %" G_GUINT64_FORMAT " events in %.2f s = %.0f events/s; "
           "sha256sum over the %.0f MB file: %.2f s (verify / sha256sum = %.1f)\n",
           n_checked, verify_s, n_checked / verify_s, st.st_size / 1e6, sha_s,
           verify_s / sha_s);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autoptr(VdKey) key = NULL;
  guint n_events = 1000000;
  guint n_decisions = 2000;

  if (argc > 1)
    n_events = (guint) strtoul (argv[1], NULL, 10);
  if (argc > 2)
    n_decisions = (guint) strtoul (argv[2], NULL, 10);
  if (n_events == 0 || n_decisions == 0)
    {
      g_printerr ("Usage: %s [N_EVENTS [N_DECISIONS]]\n", argv[0]);
      return 2;
    }

  dir = g_dir_make_tmp ("verdict-bench-XXXXXX", &error);
  if (dir == NULL)
    g_error ("%s", error->message);
  g_setenv ("VERDICT_KEYS_DIR", dir, TRUE);

  key = vd_key_generate ("alice", &error);
  if (key == NULL)
    g_error ("%s", error->message);

  bench_raw (key);
  bench_decisions (dir, key, n_decisions);
  bench_verify (dir, n_events);

  remove_tree (dir);

  return EXIT_SUCCESS;
}
