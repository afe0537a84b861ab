/* test-durability.c: a decision reported saved survives SIGKILL
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

#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "vd-core.h"
#include "vd-test-util.h"

#define N_ITEMS 2000

static char *self_exe;

static char *
task_name (guint n)
{
  return g_strdup_printf ("task_%04u", n);
}

/* Every third item is rejected, every fifth modified, the rest approved. */
static VdDecisionKind
kind_for (guint n)
{
  if (n % 3 == 0)
    return VD_DECISION_KIND_REJECT;
  if (n % 5 == 0)
    return VD_DECISION_KIND_MODIFY;
  return VD_DECISION_KIND_APPROVE;
}

/* The child: decides the items in order, skipping decided ones, and says
 * "saved N" on standard output after each decision the store reported as
 * saved. The parent kills it at some point. */
static int
run_child (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VdSqliteStore) store = vd_sqlite_store_new (path, &error);

  if (store == NULL)
    {
      g_printerr ("child: %s\n", error->message);
      return 1;
    }

  for (guint n = 1; n <= N_ITEMS; n++)
    {
      g_autofree char *task_id = task_name (n);
      g_autoptr(VdDecision) decision = NULL;
      VdDecisionKind kind = kind_for (n);

      decision = vd_decision_new ("durable", task_id, kind, "kim");
      if (kind == VD_DECISION_KIND_REJECT)
        vd_decision_set_feedback (decision, "Not good enough");
      else if (kind == VD_DECISION_KIND_MODIFY)
        vd_decision_set_modified_content (decision, "Fixed by kim");
      vd_decision_set_duration_ms (decision, n);

      if (!vd_store_record_decision (VD_STORE (store), decision, &error))
        {
          if (g_error_matches (error, VD_STORE_ERROR, VD_STORE_ERROR_ALREADY_DECIDED))
            {
              g_clear_error (&error);
              continue;
            }
          g_printerr ("child: %s\n", error->message);
          return 1;
        }

      printf ("saved %u\n", n);
      fflush (stdout);
    }

  return 0;
}

/* Runs the child until it has reported @n_reports more saves (or killed
 * after a further short delay when @late), then SIGKILLs it. Adds the
 * reported task numbers to @reported. */
static void
run_and_kill (const char *path,
              guint       n_reports,
              gboolean    late,
              GHashTable *reported)
{
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(GError) error = NULL;
  guint seen = 0;

  child = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                            self_exe, "--child", path, NULL);
  g_assert_no_error (error);

  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (child));

  while (seen < n_reports)
    {
      g_autofree char *line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
      guint64 n;

      g_assert_no_error (error);
      g_assert_nonnull (line);
      g_assert_true (g_str_has_prefix (line, "saved "));
      n = g_ascii_strtoull (line + 6, NULL, 10);
      g_assert_cmpuint (n, >=, 1);
      g_assert_cmpuint (n, <=, N_ITEMS);
      g_hash_table_add (reported, GUINT_TO_POINTER ((guint)n));
      seen++;
    }

  /* Either right after a reported save, or in the middle of the next one. */
  if (late)
    g_usleep (1500);

  g_subprocess_force_exit (child);
  g_assert_true (g_subprocess_wait (child, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_signaled (child));
  g_assert_cmpint (g_subprocess_get_term_sig (child), ==, SIGKILL);

  /* Whatever it printed before dying also counts as reported. */
  for (;;)
    {
      g_autofree char *line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, NULL);

      if (line == NULL)
        break;
      if (g_str_has_prefix (line, "saved "))
        g_hash_table_add (reported, GUINT_TO_POINTER ((guint)g_ascii_strtoull (line + 6,
                                                                               NULL, 10)));
    }
}

static void
assert_all_saved (const char *path,
                  GHashTable *reported)
{
  g_autoptr(VdSqliteStore) store = NULL;
  g_autoptr(GPtrArray) decisions = NULL;
  g_autoptr(GHashTable) present = g_hash_table_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  GHashTableIter iter;
  gpointer key;
  guint64 n_checked = 0;
  gint64 bad_seq = -1;
  VdItemQuery query = VD_ITEM_QUERY_INIT;
  guint64 decided = 0;

  store = vd_sqlite_store_new (path, &error);
  g_assert_no_error (error);

  decisions = vd_store_list_decisions (VD_STORE (store), "durable", NULL, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < decisions->len; i++)
    {
      VdDecision *decision = g_ptr_array_index (decisions, i);
      guint n = (guint)g_ascii_strtoull (vd_decision_get_task_id (decision) + 5, NULL, 10);

      g_assert_cmpint (vd_decision_get_kind (decision), ==, kind_for (n));
      g_assert_cmpint (vd_decision_get_duration_ms (decision), ==, n);
      g_assert_cmpint (vd_decision_get_audit_seq (decision), >, N_ITEMS + 2);
      g_assert_false (g_hash_table_contains (present, GUINT_TO_POINTER (n)));
      g_hash_table_add (present, GUINT_TO_POINTER (n));
    }

  g_hash_table_iter_init (&iter, reported);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      if (!g_hash_table_contains (present, key))
        g_error ("decision on task_%04u was reported saved but is missing",
                 GPOINTER_TO_UINT (key));
    }

  /* Item statuses agree with the decisions. */
  query.statuses = VD_STATUS_MASK_DECIDED;
  g_assert_true (vd_store_count_items (VD_STORE (store), &query, &decided, &error));
  g_assert_cmpuint (decided, ==, decisions->len);

  g_assert_true (vd_store_verify_audit (VD_STORE (store), &bad_seq, &n_checked, &error));
  g_assert_no_error (error);
  /* signing_started, the items, the import, the decisions */
  g_assert_cmpuint (n_checked, ==, 1 + N_ITEMS + 1 + decisions->len);

  g_test_message ("%u decisions reported saved, %u on disk", g_hash_table_size (reported),
                  decisions->len);
}

static void
test_sigkill (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("verdict-durability-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "verdict.db", NULL);
  g_autoptr(GHashTable) reported = g_hash_table_new (NULL, NULL);

  g_assert_no_error (error);

  {
    g_autoptr(VdSqliteStore) store = vd_sqlite_store_new (path, &error);
    g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
    VdImportResult result = { 0, };

    g_assert_no_error (error);
    for (guint n = 1; n <= N_ITEMS; n++)
      {
        g_autofree char *task_id = task_name (n);
        VdItem *item = vd_item_new ("durable", task_id);

        vd_item_set_content (item, "Draft reply");
        vd_item_set_confidence (item, 0.4);
        vd_item_set_escalation_reason (item, VD_ESCALATION_REASON_LOW_CONFIDENCE);
        g_ptr_array_add (items, item);
      }
    g_assert_true (vd_store_import_items (VD_STORE (store), "durable.jsonl", items, &result,
                                          NULL, NULL, NULL, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (result.queued, ==, N_ITEMS);
  }

  /* Killed right after a reported save, then while a save is under way,
   * then again right after one: every reported decision must be there. */
  run_and_kill (path, 300, FALSE, reported);
  assert_all_saved (path, reported);

  run_and_kill (path, 100, TRUE, reported);
  assert_all_saved (path, reported);

  run_and_kill (path, 100, FALSE, reported);
  assert_all_saved (path, reported);

  g_assert_cmpuint (g_hash_table_size (reported), >=, 500);

  vd_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  if (argc == 3 && strcmp (argv[1], "--child") == 0)
    return run_child (argv[2]);

  g_test_init (&argc, &argv, NULL);

  self_exe = g_file_read_link ("/proc/self/exe", NULL);
  if (self_exe == NULL)
    self_exe = g_strdup (argv[0]);

  if (vd_test_sqlite_only ("/durability/sigkill",
                           "SQLite only: the journal of SQLite's file after SIGKILL"))
    g_test_add_func ("/durability/sigkill", test_sigkill);

  status = g_test_run ();
  g_free (self_exe);

  return status;
}
