/* test-list-model.c: the lazy list model over a real store
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

#define G_LOG_DOMAIN "test-list-model"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "vd-item-list-model.h"
#include "vd-test-gui.h"

/* The shared store: N_ITEMS generated items (see make_big_item). */
#define N_ITEMS 100000
#define CONFIDENCE_STEP 7919   /* prime to N_ITEMS: confidences are a permutation */
#define CREATED_STEP    31
#define DUE_STEP        13

static char    *big_dir;
static char    *big_path;
static VdStore *big_store;
static gint64   big_ids[N_ITEMS];

/* Runs what is ready now, without waiting. */
static void
drain (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* 2026-11-20T09:00:00Z plus @seconds */
static GDateTime *
test_time (gint64 seconds)
{
  g_autoptr(GDateTime) base = g_date_time_new_utc (2026, 11, 20, 9, 0, 0);

  return g_date_time_add_seconds (base, seconds);
}

/* What the generator makes of item @i. */
static VdTaskStatus
big_status (guint i)
{
  switch (i % 10)
    {
    case 6:
      return VD_TASK_STATUS_IN_REVIEW;
    case 7:
      return VD_TASK_STATUS_ESCALATED;
    case 8:
    case 9:
      return VD_TASK_STATUS_APPROVED;
    default:
      return VD_TASK_STATUS_PENDING;
    }
}

static const char *
big_queue (guint i)
{
  return i % 4 == 0 ? "beta" : "alpha";
}

static VdEscalationReason
big_reason (guint i)
{
  if (big_status (i) == VD_TASK_STATUS_APPROVED)
    return VD_ESCALATION_REASON_NONE;

  return VD_ESCALATION_REASON_LOW_CONFIDENCE + (i / 10) % 7;
}

static guint
big_confidence_rank (guint i)
{
  return (guint) (((guint64) i * CONFIDENCE_STEP) % N_ITEMS);
}

static gint64
big_created (guint i)
{
  return ((guint64) i * CREATED_STEP) % N_ITEMS;
}

/* Minutes from the base time, or -1 for none. */
static gint64
big_due (guint i)
{
  return i % 3 == 0 ? -1 : (gint64) (((guint64) i * DUE_STEP) % N_ITEMS);
}

static gboolean
big_has_umlaut (guint i)
{
  return i % 1000 == 7;
}

static VdItem *
make_big_item (guint i)
{
  g_autofree char *task_id = g_strdup_printf ("task_%06u", i);
  g_autofree char *description = g_strdup_printf ("Ticket %u", i);
  g_autofree char *content = NULL;
  g_autoptr(GDateTime) created = test_time (big_created (i));
  VdItem *item = vd_item_new (big_queue (i), task_id);

  if (big_has_umlaut (i))
    content = g_strdup_printf ("Überweisung an die Straße %u", i);
  else
    content = g_strdup_printf ("Your parcel %u left the warehouse", i);

  vd_item_set_task_description (item, description);
  vd_item_set_content (item, content);
  vd_item_set_confidence (item, big_confidence_rank (i) / (double) N_ITEMS);
  vd_item_set_status (item, big_status (i));
  vd_item_set_escalation_reason (item, big_reason (i));
  vd_item_set_timestamp (item, created);
  if (big_due (i) >= 0)
    {
      g_autoptr(GDateTime) due = test_time (big_due (i) * 60);

      vd_item_set_due_at (item, due);
    }

  return item;
}

static void
import_items (VdStore   *store,
              GPtrArray *items)
{
  g_autoptr(GError) error = NULL;
  VdImportResult result = { 0, };

  g_assert_true (vd_store_import_items (store, "test.jsonl", items, &result, NULL, NULL, NULL,
                                        &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.imported + result.revised, ==, items->len);
}

/* The shared 100,000-item store, made by the first test that needs it. */
static VdStore *
get_big_store (void)
{
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GTimer) timer = NULL;

  if (big_store != NULL)
    return big_store;

  big_dir = vd_test_make_tmp_dir ("list-model");
  big_path = g_build_filename (big_dir, "verdict.db", NULL);
  big_store = vd_test_open_store (big_path);

  items = g_ptr_array_new_full (N_ITEMS, g_object_unref);
  for (guint i = 0; i < N_ITEMS; i++)
    g_ptr_array_add (items, make_big_item (i));

  timer = g_timer_new ();
  import_items (big_store, items);
  g_test_message ("imported %u items in %.2f s", N_ITEMS, g_timer_elapsed (timer, NULL));

  for (guint i = 0; i < N_ITEMS; i++)
    big_ids[i] = vd_item_get_id (g_ptr_array_index (items, i));

  return big_store;
}

/* Counts with SQL of our own, on a connection of our own. */
static guint64
sql_count (const char *path,
           const char *where)
{
  g_autofree char *sql = g_strdup_printf ("SELECT COUNT(*) FROM items%s%s",
                                          where != NULL ? " WHERE " : "",
                                          where != NULL ? where : "");
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  guint64 count;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  count = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return count;
}

/* Records what a model signals. */
typedef struct
{
  guint n_changed;
  guint last_position;
  guint last_removed;
  guint last_added;
  guint n_loaded;
  guint n_notify_n_items;
  gboolean resolved;
} Log;

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Log        *log)
{
  log->n_changed++;
  log->last_position = position;
  log->last_removed = removed;
  log->last_added = added;
}

static void
on_loaded (VdItemListModel *model,
           Log             *log)
{
  log->n_loaded++;
}

static void
on_notify_n_items (GObject    *object,
                   GParamSpec *pspec,
                   Log        *log)
{
  log->n_notify_n_items++;
}

static VdItemListModel *
new_model (VdStore *store,
           Log     *log)
{
  VdItemListModel *model = vd_item_list_model_new (store);

  memset (log, 0, sizeof *log);
  g_signal_connect (model, "items-changed", G_CALLBACK (on_items_changed), log);
  g_signal_connect (model, "loaded", G_CALLBACK (on_loaded), log);
  g_signal_connect (model, "notify::n-items", G_CALLBACK (on_notify_n_items), log);

  return model;
}

/* Sets @query and waits until it is resolved. */
static void
resolve (VdItemListModel   *model,
         Log               *log,
         const VdItemQuery *query)
{
  guint loaded = log->n_loaded;

  vd_item_list_model_set_query (model, query);
  g_assert_true (vd_item_list_model_get_loading (model));
  WAIT_UNTIL (log->n_loaded > loaded);
  g_assert_false (vd_item_list_model_get_loading (model));
  g_assert_null (vd_item_list_model_get_error (model));
}

static void
finalize_model (VdItemListModel *model)
{
  /* Let fetches still under way finish: they hold the model. */
  g_object_ref (model);
  g_object_run_dispose (G_OBJECT (model));
  drain ();
  WAIT_UNTIL (G_OBJECT (model)->ref_count == 2);
  g_object_unref (model);
  g_assert_finalize_object (model);
}

static void
test_empty (void)
{
  VdStore *store = get_big_store ();
  VdItemListModel *model = vd_item_list_model_new (store);
  GParamSpec *pspec;
  GType item_type = G_TYPE_INVALID;

  g_assert_true (vd_item_list_model_get_store (model) == store);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (model)) == VD_TYPE_ITEM);
  g_object_get (model, "item-type", &item_type, NULL);
  g_assert_true (item_type == VD_TYPE_ITEM);
  pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (model), "n-items");
  g_assert_true (pspec->flags & G_PARAM_EXPLICIT_NOTIFY);

  /* Nothing until a query is set. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 0);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (model), 0));
  g_assert_false (vd_item_list_model_get_loading (model));
  g_assert_cmpuint (vd_item_list_model_find (model, big_ids[0]), ==, G_MAXUINT);
  g_assert_cmpuint (vd_item_list_model_get_n_materialised (model), ==, 0);

  g_assert_finalize_object (model);
}

typedef gboolean (*Filter) (guint i);

static gboolean
is_pending (guint i)
{
  return big_status (i) == VD_TASK_STATUS_PENDING;
}

static gboolean
is_undecided (guint i)
{
  return vd_task_status_is_undecided (big_status (i));
}

static gboolean
is_decided (guint i)
{
  return !is_undecided (i);
}

static gboolean
is_beta_undecided (guint i)
{
  return is_undecided (i) && strcmp (big_queue (i), "beta") == 0;
}

static guint
count_generated (Filter filter)
{
  guint n = 0;

  for (guint i = 0; i < N_ITEMS; i++)
    n += filter == NULL || filter (i);

  return n;
}

static void
assert_n_items (VdItemListModel   *model,
                Log               *log,
                const VdItemQuery *query,
                guint64            expected)
{
  guint changed = log->n_changed;
  guint old_n = g_list_model_get_n_items (G_LIST_MODEL (model));

  gboolean first = !log->resolved;

  resolve (model, log, query);
  log->resolved = TRUE;
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, expected);

  if (first && expected >= VD_ITEM_LIST_MODEL_FIRST_PAGE)
    {
      /* The first query: its first page, then the rest after it. */
      g_assert_cmpuint (log->n_changed, ==, changed + 2);
      g_assert_cmpuint (log->last_position, ==, VD_ITEM_LIST_MODEL_FIRST_PAGE);
      g_assert_cmpuint (log->last_removed, ==, 0);
      g_assert_cmpuint (log->last_added, ==, expected - VD_ITEM_LIST_MODEL_FIRST_PAGE);
      return;
    }

  /* One items-changed replacing everything. */
  g_assert_cmpuint (log->n_changed, ==, changed + 1);
  g_assert_cmpuint (log->last_position, ==, 0);
  g_assert_cmpuint (log->last_removed, ==, old_n);
  g_assert_cmpuint (log->last_added, ==, expected);
}

static void
test_counts (void)
{
  VdStore *store = get_big_store ();
  VdItemQuery query = VD_ITEM_QUERY_INIT;
  Log log;
  VdItemListModel *model = new_model (store, &log);
  guint notified;
  guint changed;

  assert_n_items (model, &log, &query, N_ITEMS);
  g_assert_cmpuint (sql_count (big_path, NULL), ==, N_ITEMS);
  /* The first page, then all of them. */
  g_assert_cmpuint (log.n_notify_n_items, ==, 2);

  query.statuses = VD_STATUS_MASK (VD_TASK_STATUS_PENDING);
  assert_n_items (model, &log, &query, sql_count (big_path, "status = 'pending'"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==,
                    count_generated (is_pending));

  query.statuses = VD_STATUS_MASK_UNDECIDED;
  assert_n_items (model, &log, &query,
                  sql_count (big_path, "status IN ('pending', 'in_review', 'escalated')"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==,
                    count_generated (is_undecided));

  query.statuses = VD_STATUS_MASK_DECIDED;
  assert_n_items (model, &log, &query, sql_count (big_path, "status = 'approved'"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==,
                    count_generated (is_decided));

  query.statuses = VD_STATUS_MASK (VD_TASK_STATUS_ESCALATED);
  assert_n_items (model, &log, &query, sql_count (big_path, "status = 'escalated'"));

  query.statuses = VD_STATUS_MASK (VD_TASK_STATUS_REJECTED);
  assert_n_items (model, &log, &query, 0);

  /* Empty again: nothing changes, but the query is announced as loaded. */
  notified = log.n_notify_n_items;
  changed = log.n_changed;
  query.statuses = VD_STATUS_MASK (VD_TASK_STATUS_MODIFIED);
  resolve (model, &log, &query);
  g_assert_cmpuint (log.n_notify_n_items, ==, notified);
  g_assert_cmpuint (log.n_changed, ==, changed);

  query.statuses = 0;
  query.queue = "beta";
  assert_n_items (model, &log, &query, sql_count (big_path, "queue = 'beta'"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, N_ITEMS / 4);

  query.statuses = VD_STATUS_MASK_UNDECIDED;
  assert_n_items (model, &log, &query,
                  sql_count (big_path, "queue = 'beta' AND status IN ('pending', "
                             "'in_review', 'escalated')"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==,
                    count_generated (is_beta_undecided));

  query.statuses = 0;
  query.queue = NULL;
  query.reason = VD_ESCALATION_REASON_USER_REQUESTED;
  assert_n_items (model, &log, &query,
                  sql_count (big_path, "escalation_reason = 'user_requested'"));
  query.reason = VD_ESCALATION_REASON_NONE;
  assert_n_items (model, &log, &query, sql_count (big_path, "escalation_reason IS NULL"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==,
                    count_generated (is_decided));
  query.reason = -1;

  /* Search: case-insensitive beyond ASCII; the generator wrote "Straße" in
   * one item in a thousand. */
  query.search = "STRASSE";
  assert_n_items (model, &log, &query, N_ITEMS / 1000);
  query.search = "überweisung";
  assert_n_items (model, &log, &query, N_ITEMS / 1000);
  query.search = "PARCEL 4242 ";
  assert_n_items (model, &log, &query, 1);
  query.search = "task_0999";
  assert_n_items (model, &log, &query,
                  sql_count (big_path, "task_id LIKE '%task_0999%'"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 100);

  finalize_model (model);
}

/* The generated items matching @filter, in the order @sort asks for
 * (ascending, ties by row id), worked out here without SQL. */
typedef struct
{
  gint64 key;
  gint64 id;
  guint  index;
} Keyed;

static int
compare_keyed (gconstpointer a,
               gconstpointer b)
{
  const Keyed *ka = a;
  const Keyed *kb = b;

  if (ka->key != kb->key)
    return ka->key < kb->key ? -1 : 1;
  if (ka->id != kb->id)
    return ka->id < kb->id ? -1 : 1;
  return 0;
}

static GArray *
expected_order (Filter      filter,
                VdSortOrder sort)
{
  GArray *order = g_array_new (FALSE, FALSE, sizeof (Keyed));

  for (guint i = 0; i < N_ITEMS; i++)
    {
      Keyed keyed = { 0, big_ids[i], i };

      if (filter != NULL && !filter (i))
        continue;

      switch (sort)
        {
        case VD_SORT_ORDER_CONFIDENCE:
          keyed.key = big_confidence_rank (i);
          break;
        case VD_SORT_ORDER_DUE:
          keyed.key = big_due (i) >= 0 ? big_due (i) : G_MAXINT64;
          break;
        case VD_SORT_ORDER_CREATED:
        default:
          keyed.key = big_created (i);
          break;
        }

      g_array_append_val (order, keyed);
    }

  g_array_sort (order, compare_keyed);

  return order;
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              guint      *count)
{
  (*count)++;
}

static gboolean
all_materialised (VdItemListModel *model,
                  GPtrArray       *items)
{
  for (guint i = 0; i < items->len; i++)
    {
      if (!vd_item_list_model_is_materialised (model, g_ptr_array_index (items, i)))
        return FALSE;
    }

  return TRUE;
}

/* Materialises the items at @positions, checks that each is the generated
 * item @expected says and that only a window around them was read. */
static void
assert_positions (VdItemListModel *model,
                  GArray          *expected,
                  const guint     *positions,
                  guint            n_positions)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree guint *notified = g_new0 (guint, n_positions);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, expected->len);

  for (guint k = 0; k < n_positions; k++)
    {
      VdItem *item = g_list_model_get_item (G_LIST_MODEL (model), positions[k]);
      Keyed *keyed = &g_array_index (expected, Keyed, positions[k]);

      /* At once: the right id, nothing else yet. */
      g_assert_nonnull (item);
      g_assert_cmpint (vd_item_get_id (item), ==, keyed->id);
      g_signal_connect (item, "notify::task-id", G_CALLBACK (count_notify), &notified[k]);
      g_ptr_array_add (items, item);
    }

  /* The same object while it is cached. */
  {
    g_autoptr(VdItem) again = g_list_model_get_item (G_LIST_MODEL (model), positions[0]);

    g_assert_true (again == g_ptr_array_index (items, 0));
  }

  WAIT_UNTIL (all_materialised (model, items));

  for (guint k = 0; k < n_positions; k++)
    {
      VdItem *item = g_ptr_array_index (items, k);
      Keyed *keyed = &g_array_index (expected, Keyed, positions[k]);
      g_autofree char *task_id = g_strdup_printf ("task_%06u", keyed->index);

      g_signal_handlers_disconnect_by_func (item, count_notify, &notified[k]);
      g_assert_cmpstr (vd_item_get_task_id (item), ==, task_id);
      g_assert_cmpstr (vd_item_get_queue (item), ==, big_queue (keyed->index));
      g_assert_cmpfloat (vd_item_get_confidence (item), ==,
                         big_confidence_rank (keyed->index) / (double) N_ITEMS);
      g_assert_cmpint (vd_item_get_status (item), ==, big_status (keyed->index));
      if (big_due (keyed->index) < 0)
        g_assert_null (vd_item_get_due_at (item));
      else
        g_assert_nonnull (vd_item_get_due_at (item));
      /* The fields arrived through the properties: bound rows update. */
      g_assert_cmpuint (notified[k], ==, 1);
    }

  /* A window around each position at most, not the whole list. */
  g_assert_cmpuint (vd_item_list_model_get_n_materialised (model), >=, n_positions);
  g_assert_cmpuint (vd_item_list_model_get_n_materialised (model), <=, 100 * n_positions);
}

static void
test_order (void)
{
  static const struct {
    guint       statuses;
    const char *queue;
    VdSortOrder sort;
    Filter      filter;
  } cases[] = {
    { 0, NULL, VD_SORT_ORDER_CONFIDENCE, NULL },
    { VD_STATUS_MASK_UNDECIDED, NULL, VD_SORT_ORDER_CONFIDENCE, is_undecided },
    { VD_STATUS_MASK (VD_TASK_STATUS_PENDING), NULL, VD_SORT_ORDER_DUE, is_pending },
    { VD_STATUS_MASK_UNDECIDED, NULL, VD_SORT_ORDER_DUE, is_undecided },
    { VD_STATUS_MASK_UNDECIDED, NULL, VD_SORT_ORDER_CREATED, is_undecided },
    { VD_STATUS_MASK_UNDECIDED, "beta", VD_SORT_ORDER_CONFIDENCE, is_beta_undecided },
    { 0, NULL, VD_SORT_ORDER_CREATED, NULL },
  };
  VdStore *store = get_big_store ();

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      VdItemQuery query = VD_ITEM_QUERY_INIT;
      g_autoptr(GArray) expected = expected_order (cases[c].filter, cases[c].sort);
      Log log;
      VdItemListModel *model = new_model (store, &log);
      guint positions[4] = { 0, 1, MIN (50000, expected->len / 2), expected->len - 1 };

      g_test_message ("case %u: %u items", c, expected->len);
      query.statuses = cases[c].statuses;
      query.queue = cases[c].queue;
      query.sort = cases[c].sort;
      resolve (model, &log, &query);
      assert_positions (model, expected, positions, G_N_ELEMENTS (positions));

      /* Items without a deadline come last. */
      if (cases[c].sort == VD_SORT_ORDER_DUE)
        {
          Keyed *last = &g_array_index (expected, Keyed, expected->len - 1);

          g_assert_cmpint (big_due (last->index), ==, -1);
        }

      finalize_model (model);
    }
}

static void
test_descending (void)
{
  VdStore *store = get_big_store ();
  VdItemQuery query = VD_ITEM_QUERY_INIT;
  g_autoptr(GArray) ascending = expected_order (is_undecided, VD_SORT_ORDER_CONFIDENCE);
  g_autoptr(GArray) expected = g_array_new (FALSE, FALSE, sizeof (Keyed));
  Log log;
  VdItemListModel *model = new_model (store, &log);
  guint positions[] = { 0, 1, 50000, ascending->len - 1 };

  for (guint i = ascending->len; i > 0; i--)
    g_array_append_val (expected, g_array_index (ascending, Keyed, i - 1));

  query.statuses = VD_STATUS_MASK_UNDECIDED;
  query.sort = VD_SORT_ORDER_CONFIDENCE;
  query.descending = TRUE;
  resolve (model, &log, &query);
  assert_positions (model, expected, positions, G_N_ELEMENTS (positions));

  finalize_model (model);
}

/* The first query of a model: the first rows at once, every row once they
 * have been read; positions stay those of the whole result. */
static void
test_first_page (void)
{
  VdStore *store = get_big_store ();
  VdItemQuery query = VD_ITEM_QUERY_INIT;
  g_autoptr(GArray) expected = expected_order (is_undecided, VD_SORT_ORDER_CONFIDENCE);
  g_autoptr(VdItem) first = NULL;
  g_autoptr(VdItem) again = NULL;
  guint positions[] = { 150, 199, 200, 50000, expected->len - 1 };
  Log log;
  VdItemListModel *model = new_model (store, &log);

  query.statuses = VD_STATUS_MASK_UNDECIDED;
  query.sort = VD_SORT_ORDER_CONFIDENCE;
  vd_item_list_model_set_query (model, &query);

  /* The first page, still loading. */
  WAIT_UNTIL (g_list_model_get_n_items (G_LIST_MODEL (model)) > 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==,
                    VD_ITEM_LIST_MODEL_FIRST_PAGE);
  g_assert_true (vd_item_list_model_get_loading (model));
  g_assert_cmpuint (log.n_loaded, ==, 0);
  g_assert_cmpuint (log.n_changed, ==, 1);
  g_assert_cmpuint (log.last_position, ==, 0);
  g_assert_cmpuint (log.last_added, ==, VD_ITEM_LIST_MODEL_FIRST_PAGE);

  /* Its rows are read first; the rest follows. */
  first = g_list_model_get_item (G_LIST_MODEL (model), 0);
  WAIT_UNTIL (vd_item_list_model_is_materialised (model, first));
  g_assert_cmpint (vd_item_get_id (first), ==, g_array_index (expected, Keyed, 0).id);
  WAIT_UNTIL (log.n_loaded == 1);
  g_assert_false (vd_item_list_model_get_loading (model));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, expected->len);
  g_assert_cmpuint (log.n_changed, ==, 2);
  g_assert_cmpuint (log.last_position, ==, VD_ITEM_LIST_MODEL_FIRST_PAGE);
  g_assert_cmpuint (log.last_removed, ==, 0);

  /* The item of the first page is the one handed out now. */
  again = g_list_model_get_item (G_LIST_MODEL (model), 0);
  g_assert_true (again == first);
  assert_positions (model, expected, positions, G_N_ELEMENTS (positions));

  finalize_model (model);
}

static void
test_bounded (void)
{
  VdStore *store = get_big_store ();
  VdItemQuery query = VD_ITEM_QUERY_INIT;
  g_autoptr(VdItem) first = NULL;
  Log log;
  VdItemListModel *model = new_model (store, &log);
  guint n;

  query.sort = VD_SORT_ORDER_CREATED;
  resolve (model, &log, &query);
  n = g_list_model_get_n_items (G_LIST_MODEL (model));
  g_assert_cmpuint (n, ==, N_ITEMS);

  /* Nothing is read before an item is asked for. */
  drain ();
  g_assert_cmpuint (vd_item_list_model_get_n_materialised (model), ==, 0);

  /* A few positions: a window of rows around each, in one batch. */
  first = g_list_model_get_item (G_LIST_MODEL (model), 0);
  for (guint p = 1; p < 30; p++)
    g_object_unref (g_list_model_get_item (G_LIST_MODEL (model), p));
  g_object_unref (g_list_model_get_item (G_LIST_MODEL (model), 70000));
  g_assert_false (vd_item_list_model_is_materialised (model, first));
  WAIT_UNTIL (vd_item_list_model_is_materialised (model, first));
  drain ();
  g_assert_cmpuint (vd_item_list_model_get_n_materialised (model), ==, 200);

  /* Scrolling through 5,000 rows, a screenful per main loop iteration:
   * the cache holds 2,000 items at most. */
  for (guint p = 0; p < 5000; p += 25)
    {
      for (guint k = p; k < p + 25; k++)
        g_object_unref (g_list_model_get_item (G_LIST_MODEL (model), k));
      drain ();
    }
  WAIT_UNTIL (vd_item_list_model_get_n_materialised (model) == 2000);
  for (guint i = 0; i < 10; i++)
    {
      g_usleep (10000);
      drain ();
    }
  g_assert_cmpuint (vd_item_list_model_get_n_materialised (model), ==, 2000);

  /* The first item left the cache long ago; held here, it is still whole. */
  g_assert_cmpstr (vd_item_get_task_id (first), ==, "task_000000");
  {
    g_autoptr(VdItem) again = g_list_model_get_item (G_LIST_MODEL (model), 0);

    g_assert_true (again != first);
    g_assert_cmpint (vd_item_get_id (again), ==, vd_item_get_id (first));
    g_assert_false (vd_item_list_model_is_materialised (model, again));
    WAIT_UNTIL (vd_item_list_model_is_materialised (model, again));
    g_assert_cmpstr (vd_item_get_task_id (again), ==, "task_000000");
  }

  finalize_model (model);
}

static void
test_find_remove (void)
{
  VdStore *store = get_big_store ();
  VdItemQuery query = VD_ITEM_QUERY_INIT;
  g_autoptr(GArray) expected = expected_order (is_undecided, VD_SORT_ORDER_CONFIDENCE);
  g_autoptr(VdItem) item = NULL;
  Log log;
  VdItemListModel *model = new_model (store, &log);
  gint64 id5;
  gint64 id6;
  guint changed;
  guint n;

  query.statuses = VD_STATUS_MASK_UNDECIDED;
  query.sort = VD_SORT_ORDER_CONFIDENCE;
  resolve (model, &log, &query);
  n = g_list_model_get_n_items (G_LIST_MODEL (model));

  g_assert_cmpuint (vd_item_list_model_find (model, g_array_index (expected, Keyed, 0).id), ==, 0);
  g_assert_cmpuint (vd_item_list_model_find (model, g_array_index (expected, Keyed, 50000).id),
                    ==, 50000);
  g_assert_cmpuint (vd_item_list_model_find (model, g_array_index (expected, Keyed, n - 1).id),
                    ==, n - 1);
  /* Decided items are not in this view; no row has id 0. */
  g_assert_cmpuint (vd_item_list_model_find (model, big_ids[8]), ==, G_MAXUINT);
  g_assert_cmpuint (vd_item_list_model_find (model, 0), ==, G_MAXUINT);

  id5 = g_array_index (expected, Keyed, 5).id;
  id6 = g_array_index (expected, Keyed, 6).id;
  changed = log.n_changed;
  vd_item_list_model_remove (model, 5);
  g_assert_cmpuint (log.n_changed, ==, changed + 1);
  g_assert_cmpuint (log.last_position, ==, 5);
  g_assert_cmpuint (log.last_removed, ==, 1);
  g_assert_cmpuint (log.last_added, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, n - 1);
  g_assert_cmpuint (vd_item_list_model_find (model, id5), ==, G_MAXUINT);
  g_assert_cmpuint (vd_item_list_model_find (model, id6), ==, 5);
  item = g_list_model_get_item (G_LIST_MODEL (model), 5);
  g_assert_cmpint (vd_item_get_id (item), ==, id6);

  /* The last one too. */
  vd_item_list_model_remove (model, n - 2);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, n - 2);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (model), n - 2));
  /* The first page, all of them, two removals. */
  g_assert_cmpuint (log.n_notify_n_items, ==, 4);

  /* A reload resolves the query again, removals included. */
  vd_item_list_model_reload (model);
  WAIT_UNTIL (!vd_item_list_model_get_loading (model));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, n);
  g_assert_cmpuint (vd_item_list_model_find (model, id5), ==, 5);

  finalize_model (model);
}

static void
test_replace_query (void)
{
  VdStore *store = get_big_store ();
  VdItemQuery first = VD_ITEM_QUERY_INIT;
  VdItemQuery second = VD_ITEM_QUERY_INIT;
  g_autoptr(GArray) expected = expected_order (is_beta_undecided, VD_SORT_ORDER_DUE);
  g_autofree char *queue = g_strdup ("beta");
  g_autoptr(VdItem) item = NULL;
  guint loading_notified = 0;
  Log log;
  VdItemListModel *model = new_model (store, &log);

  g_signal_connect (model, "notify::loading", G_CALLBACK (count_notify), &loading_notified);

  /* A big query, replaced before it is resolved. */
  first.sort = VD_SORT_ORDER_CREATED;
  vd_item_list_model_set_query (model, &first);
  second.statuses = VD_STATUS_MASK_UNDECIDED;
  second.queue = queue;
  second.sort = VD_SORT_ORDER_DUE;
  second.limit = 3;
  second.offset = 7;
  vd_item_list_model_set_query (model, &second);
  /* The model keeps its own copy of the query. */
  queue[0] = 'X';
  g_assert_cmpstr (vd_item_list_model_get_query (model)->queue, ==, "beta");
  g_assert_cmpuint (vd_item_list_model_get_query (model)->limit, ==, 0);
  g_assert_cmpuint (vd_item_list_model_get_query (model)->offset, ==, 0);

  WAIT_UNTIL (!vd_item_list_model_get_loading (model));
  /* Let the cancelled resolution come back too, if it has not yet. */
  for (guint i = 0; i < 20; i++)
    {
      g_usleep (10000);
      drain ();
    }

  /* Only the latest query counts: its first page and the rest after it,
   * one "loaded". */
  g_assert_cmpuint (expected->len, >=, VD_ITEM_LIST_MODEL_FIRST_PAGE);
  g_assert_cmpuint (log.n_changed, ==, 2);
  g_assert_cmpuint (log.n_loaded, ==, 1);
  g_assert_cmpuint (log.last_position, ==, VD_ITEM_LIST_MODEL_FIRST_PAGE);
  g_assert_cmpuint (log.last_added, ==, expected->len - VD_ITEM_LIST_MODEL_FIRST_PAGE);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, expected->len);
  g_assert_cmpuint (loading_notified, ==, 2);

  item = g_list_model_get_item (G_LIST_MODEL (model), 0);
  g_assert_cmpint (vd_item_get_id (item), ==, g_array_index (expected, Keyed, 0).id);

  finalize_model (model);
}

/* A small store of its own for the tests that write. */
typedef struct
{
  char    *dir;
  char    *path;
  VdStore *store;
} Small;

static void
small_set_up (Small         *small,
              gconstpointer  data)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

  small->dir = vd_test_make_tmp_dir ("list-model");
  small->path = g_build_filename (small->dir, "verdict.db", NULL);
  small->store = vd_test_open_store (small->path);

  for (guint i = 0; i < 1000; i++)
    g_ptr_array_add (items, make_big_item (i));
  import_items (small->store, items);
}

static void
small_tear_down (Small         *small,
                 gconstpointer  data)
{
  vd_test_release_store (small->store);
  vd_test_remove_tree (small->dir);
  g_free (small->path);
  g_free (small->dir);
}

static void
test_refresh_item (Small         *small,
                   gconstpointer  data)
{
  VdItemQuery query = VD_ITEM_QUERY_INIT;
  g_autoptr(VdItem) item = NULL;
  g_autoptr(VdItem) neighbour = NULL;
  g_autoptr(VdDecision) decision = NULL;
  g_autoptr(GError) error = NULL;
  guint status_notified = 0;
  guint neighbour_notified = 0;
  Log log;
  VdItemListModel *model = new_model (small->store, &log);
  guint changed;
  guint n;

  query.statuses = VD_STATUS_MASK_UNDECIDED;
  query.sort = VD_SORT_ORDER_CONFIDENCE;
  resolve (model, &log, &query);
  n = g_list_model_get_n_items (G_LIST_MODEL (model));
  g_assert_cmpuint (n, ==, 800);

  item = g_list_model_get_item (G_LIST_MODEL (model), 0);
  neighbour = g_list_model_get_item (G_LIST_MODEL (model), 1);
  WAIT_UNTIL (vd_item_list_model_is_materialised (model, item) &&
              vd_item_list_model_is_materialised (model, neighbour));
  g_assert_cmpint (vd_item_get_status (item), ==, VD_TASK_STATUS_PENDING);

  decision = vd_decision_new (vd_item_get_queue (item), vd_item_get_task_id (item),
                              VD_DECISION_KIND_REJECT, "alice");
  vd_decision_set_feedback (decision, "Wrong parcel");
  g_assert_true (vd_store_record_decision (small->store, decision, &error));
  g_assert_no_error (error);

  /* The same object changes in place; only that row is read again, and
   * the query is not resolved again. */
  changed = log.n_changed;
  g_signal_connect (item, "notify::status", G_CALLBACK (count_notify), &status_notified);
  g_signal_connect (neighbour, "notify", G_CALLBACK (count_notify), &neighbour_notified);
  vd_item_list_model_refresh_item (model, vd_item_get_id (item));
  WAIT_UNTIL (vd_item_get_status (item) == VD_TASK_STATUS_REJECTED);
  g_assert_cmpuint (status_notified, ==, 1);
  g_assert_cmpuint (neighbour_notified, ==, 0);
  g_assert_cmpuint (log.n_changed, ==, changed);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, n);
  g_signal_handlers_disconnect_by_func (item, count_notify, &status_notified);
  g_signal_handlers_disconnect_by_func (neighbour, count_notify, &neighbour_notified);

  /* The window drops the decided item from the undecided view. */
  vd_item_list_model_remove (model, vd_item_list_model_find (model, vd_item_get_id (item)));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, n - 1);
  {
    g_autoptr(VdItem) now_first = g_list_model_get_item (G_LIST_MODEL (model), 0);

    g_assert_true (now_first == neighbour);
  }

  /* An id that was never handed out: nothing to do. */
  vd_item_list_model_refresh_item (model, 999999);
  drain ();

  /* A retraction makes it pending again; after a reload it is back, the
   * same object. */
  g_assert_true (vd_store_retract_decision (small->store, vd_decision_get_id (decision), "alice",
                                            NULL, &error));
  g_assert_no_error (error);
  vd_item_list_model_reload (model);
  WAIT_UNTIL (!vd_item_list_model_get_loading (model));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, n);
  {
    g_autoptr(VdItem) back = g_list_model_get_item (G_LIST_MODEL (model), 0);

    g_assert_true (back == item);
    WAIT_UNTIL (vd_item_get_status (item) == VD_TASK_STATUS_PENDING);
  }

  finalize_model (model);
}

static void
test_reload_after_import (Small         *small,
                          gconstpointer  data)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  VdItemQuery query = VD_ITEM_QUERY_INIT;
  g_autoptr(VdItem) item = NULL;
  VdItem *revised;
  Log log;
  VdItemListModel *model = new_model (small->store, &log);
  guint changed;
  guint n;

  query.statuses = VD_STATUS_MASK (VD_TASK_STATUS_PENDING);
  query.sort = VD_SORT_ORDER_CREATED;
  resolve (model, &log, &query);
  n = g_list_model_get_n_items (G_LIST_MODEL (model));
  g_assert_cmpuint (n, ==, 600);

  item = g_list_model_get_item (G_LIST_MODEL (model), 0);
  WAIT_UNTIL (vd_item_list_model_is_materialised (model, item));
  g_assert_cmpint (vd_item_get_revision (item), ==, 0);

  /* Ten new pending items, created before every other one, and a new
   * revision of the first item shown. */
  for (guint i = 0; i < 10; i++)
    {
      g_autofree char *task_id = g_strdup_printf ("new_%u", i);
      g_autoptr(GDateTime) created = test_time ((gint64) i - 100);
      VdItem *fresh = vd_item_new ("alpha", task_id);

      vd_item_set_confidence (fresh, 0.5);
      vd_item_set_escalation_reason (fresh, VD_ESCALATION_REASON_LOW_CONFIDENCE);
      vd_item_set_timestamp (fresh, created);
      g_ptr_array_add (items, fresh);
    }
  revised = vd_item_copy (item);
  vd_item_set_revision (revised, 1);
  vd_item_set_content (revised, "Your parcel arrives on Monday");
  g_ptr_array_add (items, revised);
  import_items (small->store, items);

  /* Nothing changes until the reload. */
  drain ();
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, n);

  changed = log.n_changed;
  vd_item_list_model_reload (model);
  g_assert_true (vd_item_list_model_get_loading (model));
  WAIT_UNTIL (!vd_item_list_model_get_loading (model));
  g_assert_cmpuint (log.n_changed, ==, changed + 1);
  g_assert_cmpuint (log.last_removed, ==, n);
  g_assert_cmpuint (log.last_added, ==, n + 10);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, n + 10);

  {
    g_autoptr(VdItem) first = g_list_model_get_item (G_LIST_MODEL (model), 0);
    g_autoptr(VdItem) moved = g_list_model_get_item (G_LIST_MODEL (model), 10);

    WAIT_UNTIL (vd_item_list_model_is_materialised (model, first));
    g_assert_cmpstr (vd_item_get_task_id (first), ==, "new_0");

    /* The revised item kept its object; it is read again, in place. */
    g_assert_true (moved == item);
    WAIT_UNTIL (vd_item_get_revision (item) == 1);
    g_assert_cmpstr (vd_item_get_content (item), ==, "Your parcel arrives on Monday");
  }

  finalize_model (model);
}

/* A new query reuses the items already read; only reload() reads them
 * again, which is what to call after the store changed. */
static void
test_set_query_keeps_items (Small         *small,
                            gconstpointer  data)
{
  VdItemQuery query = VD_ITEM_QUERY_INIT;
  g_autoptr(VdItem) item = NULL;
  g_autoptr(VdItem) again = NULL;
  g_autoptr(VdDecision) decision = NULL;
  g_autoptr(GError) error = NULL;
  Log log;
  VdItemListModel *model = new_model (small->store, &log);

  query.sort = VD_SORT_ORDER_CONFIDENCE;
  resolve (model, &log, &query);
  item = g_list_model_get_item (G_LIST_MODEL (model), 0);
  WAIT_UNTIL (vd_item_list_model_is_materialised (model, item));
  g_assert_cmpint (vd_item_get_status (item), ==, VD_TASK_STATUS_PENDING);

  decision = vd_decision_new (vd_item_get_queue (item), vd_item_get_task_id (item),
                              VD_DECISION_KIND_APPROVE, "alice");
  g_assert_true (vd_store_record_decision (small->store, decision, &error));
  g_assert_no_error (error);

  /* Another order: the same object, not read again. */
  query.descending = TRUE;
  resolve (model, &log, &query);
  query.descending = FALSE;
  resolve (model, &log, &query);
  again = g_list_model_get_item (G_LIST_MODEL (model), 0);
  g_assert_true (again == item);
  for (guint i = 0; i < 10; i++)
    {
      g_usleep (5000);
      drain ();
    }
  g_assert_cmpint (vd_item_get_status (item), ==, VD_TASK_STATUS_PENDING);
  g_clear_object (&again);

  vd_item_list_model_reload (model);
  WAIT_UNTIL (!vd_item_list_model_get_loading (model));
  again = g_list_model_get_item (G_LIST_MODEL (model), 0);
  g_assert_true (again == item);
  WAIT_UNTIL (vd_item_get_status (item) == VD_TASK_STATUS_APPROVED);

  finalize_model (model);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  /* Generous: the sanitizer builds are slow. */
  vd_test_deadline_seconds = 60;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/list-model/empty", test_empty);
  g_test_add_func ("/list-model/counts", test_counts);
  g_test_add_func ("/list-model/order", test_order);
  g_test_add_func ("/list-model/descending", test_descending);
  g_test_add_func ("/list-model/first-page", test_first_page);
  g_test_add_func ("/list-model/bounded", test_bounded);
  g_test_add_func ("/list-model/find-remove", test_find_remove);
  g_test_add_func ("/list-model/replace-query", test_replace_query);
  g_test_add ("/list-model/refresh-item", Small, NULL,
              small_set_up, test_refresh_item, small_tear_down);
  g_test_add ("/list-model/reload-after-import", Small, NULL,
              small_set_up, test_reload_after_import, small_tear_down);
  g_test_add ("/list-model/set-query-keeps-items", Small, NULL,
              small_set_up, test_set_query_keeps_items, small_tear_down);

  ret = g_test_run ();

  if (big_store != NULL)
    {
      vd_test_release_store (big_store);
      vd_test_remove_tree (big_dir);
      g_free (big_path);
      g_free (big_dir);
    }

  return ret;
}
