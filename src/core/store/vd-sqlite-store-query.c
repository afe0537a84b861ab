/* vd-sqlite-store-query.c: reading items from a VdSqliteStore
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

#define G_LOG_DOMAIN "vd-sqlite-store"

#include "config.h"

#include <math.h>
#include <string.h>

#include "vd-sqlite-store-private.h"
#include "vd-timestamp.h"

#define N_STATUSES (VD_TASK_STATUS_ESCALATED + 1)

/* Writes the ASCII lower case of @text to @out (length + 1 bytes); FALSE
 * as soon as a byte is not ASCII. Most text in a queue is ASCII: it takes
 * this path, which allocates nothing more. */
static gboolean
ascii_fold (const char *text,
            gsize       length,
            char       *out)
{
  for (gsize i = 0; i < length; i++)
    {
      guchar c = (guchar) text[i];

      if (c >= 0x80)
        return FALSE;
      /* g_ascii_tolower() is a call per byte; a search folds every
       * candidate row, so the fold is written out here. */
      out[i] = (char) ((guchar) (c - 'A') < 26 ? c + ('a' - 'A') : c);
    }
  out[length] = '\0';

  return TRUE;
}

/**
 * _vd_sqlite_casefold:
 * @text: UTF-8 text
 * @length: its length in bytes, or -1 when nul-terminated
 *
 * Folds @text for a caseless search: NFKC, then Unicode case folding, then
 * NFKC again, so that "Straße" and "STRASSE", or "ﬁle" and "FILE", fold
 * to the same text. Invalid UTF-8 has its bad bytes replaced first.
 *
 * Returns: (transfer full): the folded text
 */
char *
_vd_sqlite_casefold (const char *text,
                     gssize      length)
{
  g_autofree char *valid = NULL;
  g_autofree char *nfkc = NULL;
  g_autofree char *folded = NULL;
  char *ascii;

  if (length < 0)
    length = strlen (text);

  ascii = g_malloc (length + 1);
  if (ascii_fold (text, length, ascii))
    return ascii;
  g_free (ascii);

  valid = g_utf8_make_valid (text, length);
  nfkc = g_utf8_normalize (valid, -1, G_NORMALIZE_NFKC);
  folded = g_utf8_casefold (nfkc, -1);

  return g_utf8_normalize (folded, -1, G_NORMALIZE_NFKC);
}

/* vd_contains(TEXT, FOLDED): whether TEXT, case folded, contains FOLDED, a
 * search text already folded with _vd_sqlite_casefold(). A search calls it
 * for three columns of every row: ASCII text is folded on the stack, so
 * that a million rows take about as long as LIKE. */
static void
contains_function (sqlite3_context  *context,
                   int               argc,
                   sqlite3_value   **argv)
{
  const char *text = (const char *) sqlite3_value_text (argv[0]);
  const char *needle = (const char *) sqlite3_value_text (argv[1]);
  gsize length = sqlite3_value_bytes (argv[0]);
  char stack[1024];
  char *folded;
  gboolean found;

  if (text == NULL || needle == NULL)
    {
      sqlite3_result_null (context);
      return;
    }

  folded = length < sizeof stack ? stack : g_malloc (length + 1);

  if (ascii_fold (text, length, folded))
    {
      found = strstr (folded, needle) != NULL;
    }
  else
    {
      g_autofree char *unicode = _vd_sqlite_casefold (text, length);

      found = strstr (unicode, needle) != NULL;
    }

  if (folded != stack)
    g_free (folded);

  sqlite3_result_int (context, found);
}

/* vd_casefold(TEXT): TEXT folded by _vd_sqlite_casefold(), for the search
 * index; NULL stays NULL. */
static void
casefold_function (sqlite3_context  *context,
                   int               argc,
                   sqlite3_value   **argv)
{
  const char *text = (const char *) sqlite3_value_text (argv[0]);

  if (text == NULL)
    {
      sqlite3_result_null (context);
      return;
    }

  sqlite3_result_text (context, _vd_sqlite_casefold (text, sqlite3_value_bytes (argv[0])),
                       -1, g_free);
}

gboolean
_vd_sqlite_store_register_functions (VdSqliteStore  *self,
                                     GError        **error)
{
  if (sqlite3_create_function_v2 (self->db, "vd_contains", 2,
                                  SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
                                  NULL, contains_function, NULL, NULL, NULL) != SQLITE_OK ||
      sqlite3_create_function_v2 (self->db, "vd_casefold", 1,
                                  SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
                                  NULL, casefold_function, NULL, NULL, NULL) != SQLITE_OK)
    {
      _vd_sqlite_store_set_error (self, error, "Could not set up the database connection");
      return FALSE;
    }

  return TRUE;
}

VdItem *
_vd_sqlite_store_item_from_row (sqlite3_stmt *stmt)
{
  g_autoptr(VdItem) item = NULL;
  g_autoptr(JsonObject) metadata = NULL;
  g_autoptr(GDateTime) created_at = NULL;
  VdEscalationReason reason = VD_ESCALATION_REASON_NONE;
  VdTaskStatus status = VD_TASK_STATUS_PENDING;

  item = vd_item_new (_vd_sqlite_column_text (stmt, 1), _vd_sqlite_column_text (stmt, 2));
  vd_item_set_id (item, sqlite3_column_int64 (stmt, 0));
  vd_item_set_task_description (item, _vd_sqlite_column_text (stmt, 3));
  vd_item_set_task_type (item, _vd_sqlite_column_text (stmt, 4));
  vd_item_set_context (item, _vd_sqlite_column_text (stmt, 5));
  vd_item_set_content (item, _vd_sqlite_column_text (stmt, 6));
  /* NULL: the source gave no confidence. */
  if (sqlite3_column_type (stmt, 7) == SQLITE_NULL)
    vd_item_clear_confidence (item);
  else
    vd_item_set_confidence (item, sqlite3_column_double (stmt, 7));
  vd_item_set_reasoning (item, _vd_sqlite_column_text (stmt, 8));

  metadata = _vd_sqlite_parse_object (_vd_sqlite_column_text (stmt, 9));
  vd_item_set_metadata (item, metadata);

  if (sqlite3_column_type (stmt, 10) != SQLITE_NULL)
    vd_escalation_reason_from_string (_vd_sqlite_column_text (stmt, 10), &reason);
  vd_item_set_escalation_reason (item, reason);
  vd_item_set_escalation_detail (item, _vd_sqlite_column_text (stmt, 11));

  created_at = vd_timestamp_from_usec (sqlite3_column_int64 (stmt, 12));
  vd_item_set_timestamp (item, created_at);

  if (sqlite3_column_type (stmt, 13) != SQLITE_NULL)
    {
      g_autoptr(GDateTime) due_at = vd_timestamp_from_usec (sqlite3_column_int64 (stmt, 13));

      vd_item_set_due_at (item, due_at);
    }

  vd_item_set_priority (item, sqlite3_column_int (stmt, 14));
  vd_item_set_revision (item, sqlite3_column_int (stmt, 15));
  vd_task_status_from_string (_vd_sqlite_column_text (stmt, 16), &status);
  vd_item_set_status (item, status);

  if (sqlite3_column_type (stmt, 17) != SQLITE_NULL)
    vd_item_set_expected_decision (item, _vd_sqlite_column_text (stmt, 17));

  for (int column = 18; column <= 20; column++)
    if (sqlite3_column_type (stmt, column) != SQLITE_NULL)
      g_object_set (item,
                    column == 18 ? "task-content-type" :
                    column == 19 ? "context-content-type" : "output-content-type",
                    _vd_sqlite_column_text (stmt, column), NULL);

  if (sqlite3_column_type (stmt, 21) != SQLITE_NULL)
    {
      g_autoptr(JsonObject) source = _vd_sqlite_parse_object (_vd_sqlite_column_text (stmt, 21));

      vd_item_set_source (item, source);
    }

  vd_item_set_reviews_required (item, sqlite3_column_int (stmt, 22) == 2 ? 2 : 1);
  vd_item_set_n_reviews (item, sqlite3_column_int (stmt, 23));

  return g_steal_pointer (&item);
}

/* Finds an item by identity; without a queue the task id must be in
 * exactly one queue. The caller holds the lock. */
VdItem *
_vd_sqlite_store_find_item (VdSqliteStore  *self,
                            const char     *queue,
                            const char     *task_id,
                            GError        **error)
{
  g_autoptr(VdSqliteCursor) stmt = NULL;
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_object_unref);
  int rc;

  if (queue != NULL)
    {
      stmt = _vd_sqlite_store_prepare (self,
                                       "SELECT " VD_SQLITE_ITEM_COLUMNS " FROM items "
                                       "WHERE queue = ?1 AND task_id = ?2",
                                       error);
      if (stmt == NULL)
        return NULL;
      _vd_sqlite_bind_text (stmt, 1, queue);
      _vd_sqlite_bind_text (stmt, 2, task_id);
    }
  else
    {
      stmt = _vd_sqlite_store_prepare (self,
                                       "SELECT " VD_SQLITE_ITEM_COLUMNS " FROM items "
                                       "WHERE task_id = ?1 ORDER BY queue",
                                       error);
      if (stmt == NULL)
        return NULL;
      _vd_sqlite_bind_text (stmt, 1, task_id);
    }

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (found, _vd_sqlite_store_item_from_row (stmt));

  if (rc != SQLITE_DONE)
    {
      _vd_sqlite_store_set_error (self, error, "Could not read the items");
      return NULL;
    }

  if (found->len == 0)
    {
      if (queue != NULL)
        g_set_error (error, VD_STORE_ERROR, VD_STORE_ERROR_NOT_FOUND,
                     "No item %s in queue %s", task_id, queue);
      else
        g_set_error (error, VD_STORE_ERROR, VD_STORE_ERROR_NOT_FOUND,
                     "No item %s in any queue", task_id);
      return NULL;
    }

  if (found->len > 1)
    {
      g_autoptr(GString) queues = g_string_new (NULL);

      for (guint i = 0; i < found->len; i++)
        {
          if (i > 0)
            g_string_append (queues, ", ");
          g_string_append (queues, vd_item_get_queue (g_ptr_array_index (found, i)));
        }

      g_set_error (error, VD_STORE_ERROR, VD_STORE_ERROR_AMBIGUOUS,
                   "Item %s is in several queues (%s): pass --queue to choose one",
                   task_id, queues->str);
      return NULL;
    }

  if (!_vd_sqlite_store_load_attachments (self, g_ptr_array_index (found, 0), error))
    return NULL;

  return g_object_ref (g_ptr_array_index (found, 0));
}

VdItem *
_vd_sqlite_store_get_item (VdStore     *store,
                           const char  *queue,
                           const char  *task_id,
                           GError     **error)
{
  VdSqliteStore *self = VD_SQLITE_STORE (store);
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  return _vd_sqlite_store_find_item (self, queue, task_id, error);
}

GPtrArray *
_vd_sqlite_store_get_items_by_id (VdStore       *store,
                                  const gint64  *ids,
                                  guint          n_ids,
                                  GError       **error)
{
  VdSqliteStore *self = VD_SQLITE_STORE (store);
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_autoptr(GPtrArray) items = g_ptr_array_new_full (n_ids, g_object_unref);
  g_autoptr(VdSqliteCursor) stmt = NULL;

  stmt = _vd_sqlite_store_prepare (self,
                                   "SELECT " VD_SQLITE_ITEM_COLUMNS " FROM items WHERE id = ?1",
                                   error);
  if (stmt == NULL)
    return NULL;

  for (guint i = 0; i < n_ids; i++)
    {
      int rc;

      sqlite3_reset (stmt);
      sqlite3_bind_int64 (stmt, 1, ids[i]);

      rc = sqlite3_step (stmt);
      if (rc == SQLITE_DONE)
        {
          g_set_error (error, VD_STORE_ERROR, VD_STORE_ERROR_NOT_FOUND,
                       "No item with row id %" G_GINT64_FORMAT, ids[i]);
          return NULL;
        }
      else if (rc != SQLITE_ROW)
        {
          _vd_sqlite_store_set_error (self, error, "Could not read the items");
          return NULL;
        }

      g_ptr_array_add (items, _vd_sqlite_store_item_from_row (stmt));
    }

  /* After the loop: the item statement is done with before another runs. */
  sqlite3_reset (stmt);
  for (guint i = 0; i < items->len; i++)
    if (!_vd_sqlite_store_load_attachments (self, g_ptr_array_index (items, i), error))
      return NULL;

  return g_steal_pointer (&items);
}

/* How a query's search text is matched. */
typedef enum {
  SEARCH_NONE,
  /* Shorter than a trigram: every row's texts are read. */
  SEARCH_SCAN,
  /* The trigram index (items_search) finds the rows. */
  SEARCH_INDEX,
} SearchKind;

/* The trigram tokenizer matches nothing shorter than three characters. */
#define SEARCH_MIN_CHARS 3

static SearchKind
search_kind (const VdItemQuery *query)
{
  g_autofree char *folded = NULL;

  if (query->search == NULL || query->search[0] == '\0')
    return SEARCH_NONE;

  folded = _vd_sqlite_casefold (query->search, -1);

  return g_utf8_strlen (folded, -1) < SEARCH_MIN_CHARS ? SEARCH_SCAN : SEARCH_INDEX;
}

/* The FTS5 query for the rows that may contain @folded: every trigram of
 * it (the index keeps no positions, so no phrase of them), each quoted so
 * that no character is query syntax. Trigrams side by side cover the text;
 * the rows found are then checked with vd_contains(). */
static char *
search_match (const char *folded)
{
  GString *match = g_string_new (NULL);
  glong n_chars = g_utf8_strlen (folded, -1);
  glong last = n_chars - SEARCH_MIN_CHARS;

  g_assert (last >= 0);

  for (glong start = 0; ; start = MIN (start + SEARCH_MIN_CHARS, last))
    {
      const char *from = g_utf8_offset_to_pointer (folded, start);
      const char *to = g_utf8_offset_to_pointer (from, SEARCH_MIN_CHARS);

      if (match->len > 0)
        g_string_append (match, " AND ");
      g_string_append_c (match, '"');
      for (const char *p = from; p < to; p++)
        {
          if (*p == '"')
            g_string_append_c (match, '"');
          g_string_append_c (match, *p);
        }
      g_string_append_c (match, '"');

      if (start == last)
        break;
    }

  return g_string_free (match, FALSE);
}

/* The statuses @query asks for, as a mask with at least one bit. */
static guint
query_statuses (const VdItemQuery *query)
{
  guint all = (1u << N_STATUSES) - 1;
  guint statuses = query->statuses & all;

  return statuses != 0 ? statuses : all;
}

/* Builds the WHERE clause for @query, restricted to the statuses in
 * @statuses (all of them: no condition). Enumerated values are written into
 * the SQL (they come from fixed tables); user text is bound: ?1 queue,
 * ?2 task type, ?3 search text, case folded (or, through the index, its
 * trigrams, and ?6 the text). So there is one statement per shape of
 * query, cached like any other. */
static void
append_where (GString           *sql,
              const VdItemQuery *query,
              guint              statuses)
{
  const char *glue = " WHERE ";
  guint all = (1u << N_STATUSES) - 1;

  if (statuses != all)
    {
      gboolean first = TRUE;

      if ((statuses & (statuses - 1)) == 0)
        g_string_append_printf (sql, "%sstatus = ", glue);
      else
        g_string_append_printf (sql, "%sstatus IN (", glue);

      for (guint s = 0; s < N_STATUSES; s++)
        {
          if ((statuses & VD_STATUS_MASK (s)) == 0)
            continue;
          g_string_append_printf (sql, "%s'%s'", first ? "" : ", ", vd_task_status_to_string (s));
          first = FALSE;
        }

      if ((statuses & (statuses - 1)) != 0)
        g_string_append_c (sql, ')');
      glue = " AND ";
    }

  if (query->queue != NULL)
    {
      g_string_append_printf (sql, "%squeue = ?1", glue);
      glue = " AND ";
    }

  if (query->reason == VD_ESCALATION_REASON_NONE)
    {
      g_string_append_printf (sql, "%sescalation_reason IS NULL", glue);
      glue = " AND ";
    }
  else if (query->reason > VD_ESCALATION_REASON_NONE &&
           query->reason <= VD_ESCALATION_REASON_REVIEWERS_DISAGREE)
    {
      g_string_append_printf (sql, "%sescalation_reason = '%s'", glue,
                              vd_escalation_reason_to_string (query->reason));
      glue = " AND ";
    }

  if (query->four_eyes)
    {
      g_string_append_printf (sql, "%sreviews_required > 1", glue);
      glue = " AND ";
    }

  if (query->task_type != NULL)
    {
      g_string_append_printf (sql, "%stask_type = ?2", glue);
      glue = " AND ";
    }

  switch (search_kind (query))
    {
    case SEARCH_SCAN:
      g_string_append_printf (sql, "%s(vd_contains (task_id, ?3) "
                              "OR vd_contains (task_description, ?3) "
                              "OR vd_contains (context, ?3) "
                              "OR vd_contains (content, ?3) "
                              "OR vd_contains (reasoning, ?3))", glue);
      break;

    case SEARCH_INDEX:
      g_string_append_printf (sql, "%sitems_search MATCH ?3 "
                              "AND (vd_contains (items.task_id, ?6) "
                              "OR vd_contains (items.task_description, ?6) "
                              "OR vd_contains (items.context, ?6) "
                              "OR vd_contains (items.content, ?6) "
                              "OR vd_contains (items.reasoning, ?6))", glue);
      break;

    case SEARCH_NONE:
    default:
      break;
    }
}

static void
bind_where (sqlite3_stmt      *stmt,
            const VdItemQuery *query)
{
  if (query->queue != NULL)
    _vd_sqlite_bind_text (stmt, 1, query->queue);

  if (query->task_type != NULL)
    _vd_sqlite_bind_text (stmt, 2, query->task_type);

  switch (search_kind (query))
    {
    case SEARCH_SCAN:
      {
        g_autofree char *folded = _vd_sqlite_casefold (query->search, -1);

        _vd_sqlite_bind_text (stmt, 3, folded);
      }
      break;

    case SEARCH_INDEX:
      {
        g_autofree char *folded = _vd_sqlite_casefold (query->search, -1);
        g_autofree char *match = search_match (folded);

        _vd_sqlite_bind_text (stmt, 3, match);
        _vd_sqlite_bind_text (stmt, 6, folded);
      }
      break;

    case SEARCH_NONE:
    default:
      break;
    }
}

/* The columns a listing is ordered by, after the id. */
static const char *
sort_columns (VdSortOrder sort)
{
  switch (sort)
    {
    case VD_SORT_ORDER_CONFIDENCE:
      return "confidence";

    case VD_SORT_ORDER_DUE:
      return "due_at IS NULL, due_at";

    case VD_SORT_ORDER_CREATED:
    default:
      return "created_at";
    }
}

/* ORDER BY for @query; @by_position names the columns by their position
 * in "id, sort_columns ()", as a compound SELECT must. */
static void
append_order (GString           *sql,
              const VdItemQuery *query,
              gboolean           by_position)
{
  const char *dir = query->descending ? "DESC" : "ASC";

  switch (query->sort)
    {
    case VD_SORT_ORDER_CONFIDENCE:
      g_string_append_printf (sql, " ORDER BY %s %s, %s %s",
                              by_position ? "2" : "confidence", dir,
                              by_position ? "1" : "id", dir);
      break;

    case VD_SORT_ORDER_DUE:
      /* Items without a deadline come last either way. */
      g_string_append_printf (sql, " ORDER BY %s, %s %s, %s %s",
                              by_position ? "2" : "due_at IS NULL",
                              by_position ? "3" : "due_at", dir,
                              by_position ? "1" : "id", dir);
      break;

    case VD_SORT_ORDER_CREATED:
    default:
      g_string_append_printf (sql, " ORDER BY %s %s, %s %s",
                              by_position ? "2" : "created_at", dir,
                              by_position ? "1" : "id", dir);
      break;
    }
}

/* The rows a listing reads. A search of three characters or more starts
 * from the matches the trigram index finds (CROSS JOIN keeps that order of
 * the loops) and reads only their rows. A shorter search reads every row:
 * in index order the rows of a million items come from all over the file,
 * in table order in sequence, and only the matches need sorting. */
static const char *
items_table (const VdItemQuery *query)
{
  switch (search_kind (query))
    {
    case SEARCH_INDEX:
      return "items_search CROSS JOIN items ON items.id = items_search.rowid";

    case SEARCH_SCAN:
      return "items NOT INDEXED";

    case SEARCH_NONE:
    default:
      return "items";
    }
}

/* The SQL listing the ids for @query. The indexes (status, sort columns) and
 * (queue, status, sort columns) hold the rows of one status in the order
 * asked for. For several statuses, a SELECT per status joined with UNION
 * ALL lets SQLite merge those ordered runs instead of sorting every
 * matching row in a temporary tree: for the 800,000 undecided items of a
 * million that is twice as fast. */
static char *
list_ids_sql (const VdItemQuery *query)
{
  GString *sql = g_string_new (NULL);
  guint statuses = query_statuses (query);

  if ((statuses & (statuses - 1)) == 0 || (query->search != NULL && query->search[0] != '\0'))
    {
      g_string_append_printf (sql, "SELECT items.id FROM %s", items_table (query));
      append_where (sql, query, statuses);
      append_order (sql, query, FALSE);
    }
  else
    {
      gboolean first = TRUE;

      for (guint s = 0; s < N_STATUSES; s++)
        {
          if ((statuses & VD_STATUS_MASK (s)) == 0)
            continue;

          if (!first)
            g_string_append (sql, " UNION ALL ");
          g_string_append_printf (sql, "SELECT id, %s FROM items", sort_columns (query->sort));
          append_where (sql, query, VD_STATUS_MASK (s));
          first = FALSE;
        }
      append_order (sql, query, TRUE);
    }

  g_string_append (sql, " LIMIT ?4 OFFSET ?5");

  return g_string_free (sql, FALSE);
}

GArray *
_vd_sqlite_store_list_ids (VdStore            *store,
                           const VdItemQuery  *query,
                           GError            **error)
{
  VdSqliteStore *self = VD_SQLITE_STORE (store);
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_autoptr(VdSqliteCursor) stmt = NULL;
  g_autofree char *sql = list_ids_sql (query);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  int rc;

  stmt = _vd_sqlite_store_prepare_text (self, sql, error);
  if (stmt == NULL)
    return NULL;

  bind_where (stmt, query);
  sqlite3_bind_int64 (stmt, 4, query->limit > 0 ? (gint64)query->limit : -1);
  sqlite3_bind_int64 (stmt, 5, query->offset);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (ids, id);
    }

  if (rc != SQLITE_DONE)
    {
      _vd_sqlite_store_set_error (self, error, "Could not list the items");
      return NULL;
    }

  return g_steal_pointer (&ids);
}

gboolean
_vd_sqlite_store_count_items (VdStore            *store,
                              const VdItemQuery  *query,
                              guint64            *count,
                              GError            **error)
{
  VdSqliteStore *self = VD_SQLITE_STORE (store);
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_autoptr(VdSqliteCursor) stmt = NULL;
  g_autoptr(GString) sql = g_string_new (NULL);

  g_string_append_printf (sql, "SELECT COUNT(*) FROM %s", items_table (query));
  append_where (sql, query, query_statuses (query));

  stmt = _vd_sqlite_store_prepare_text (self, sql->str, error);
  if (stmt == NULL)
    return FALSE;

  bind_where (stmt, query);

  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      _vd_sqlite_store_set_error (self, error, "Could not count the items");
      return FALSE;
    }

  *count = sqlite3_column_int64 (stmt, 0);
  return TRUE;
}

GStrv
_vd_sqlite_store_list_queues (VdStore  *store,
                              GError  **error)
{
  VdSqliteStore *self = VD_SQLITE_STORE (store);
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_autoptr(VdSqliteCursor) stmt = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  int rc;

  stmt = _vd_sqlite_store_prepare (self, "SELECT DISTINCT queue FROM items ORDER BY queue",
                                   error);
  if (stmt == NULL)
    return NULL;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_strv_builder_add (builder, _vd_sqlite_column_text (stmt, 0));

  if (rc != SQLITE_DONE)
    {
      _vd_sqlite_store_set_error (self, error, "Could not list the queues");
      return NULL;
    }

  return g_strv_builder_end (builder);
}

GPtrArray *
_vd_sqlite_store_list_revisions (VdStore  *store,
                                 gint64    item_id,
                                 GError  **error)
{
  VdSqliteStore *self = VD_SQLITE_STORE (store);
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_autoptr(VdSqliteCursor) stmt = NULL;
  g_autoptr(GPtrArray) revisions = g_ptr_array_new_with_free_func (g_object_unref);
  int rc;

  stmt = _vd_sqlite_store_prepare (self,
                                   "SELECT revision, content, confidence, reasoning, metadata, "
                                   "feedback, created_at FROM revisions WHERE item_id = ?1 "
                                   "ORDER BY revision",
                                   error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, item_id);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(JsonObject) metadata = _vd_sqlite_parse_object (_vd_sqlite_column_text (stmt, 4));
      g_autoptr(GDateTime) created_at = vd_timestamp_from_usec (sqlite3_column_int64 (stmt, 6));

      g_ptr_array_add (revisions,
                       vd_revision_new (sqlite3_column_int (stmt, 0),
                                        _vd_sqlite_column_text (stmt, 1),
                                        sqlite3_column_type (stmt, 2) == SQLITE_NULL ?
                                        NAN : sqlite3_column_double (stmt, 2),
                                        _vd_sqlite_column_text (stmt, 3),
                                        metadata,
                                        _vd_sqlite_column_text (stmt, 5),
                                        created_at));
    }

  if (rc != SQLITE_DONE)
    {
      _vd_sqlite_store_set_error (self, error, "Could not read the revisions");
      return NULL;
    }

  return g_steal_pointer (&revisions);
}

/* The statistics read the counts maintained at every commit (see
 * migrations[7] in vd-sqlite-store.c), a few rows per queue, instead of
 * scanning the items and decisions. */
static gboolean
item_stats (VdSqliteStore  *self,
            const char     *queue,
            VdStats        *stats,
            GError        **error)
{
  g_autoptr(VdSqliteCursor) stmt = NULL;
  g_autoptr(VdSqliteCursor) automatic = NULL;
  gint64 total;
  gint64 with_confidence;

  stmt = _vd_sqlite_store_prepare (self,
                                   "SELECT COALESCE (SUM (n), 0), "
                                   "COALESCE (SUM (CASE WHEN status IN ('pending', 'in_review', "
                                   "'escalated') THEN n END), 0), "
                                   "COALESCE (SUM (confidence_sum), 0.0), "
                                   "COALESCE (SUM (n_confidence), 0) "
                                   "FROM stats_items WHERE ?1 IS NULL OR queue = ?1",
                                   error);
  if (stmt == NULL)
    return FALSE;
  _vd_sqlite_bind_text_or_null (stmt, 1, queue);

  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      _vd_sqlite_store_set_error (self, error, "Could not compute the statistics");
      return FALSE;
    }

  /* An item counts as auto-approved when the policy decided its current
   * revision; every other item needed a human (also those a deadline
   * fallback decided, automatically but by the reviewer "sla"). */
  automatic = _vd_sqlite_store_prepare (self,
                                        "SELECT COALESCE (SUM (n), 0) FROM stats_auto_approved "
                                        "WHERE ?1 IS NULL OR queue = ?1",
                                        error);
  if (automatic == NULL)
    return FALSE;
  _vd_sqlite_bind_text_or_null (automatic, 1, queue);

  if (sqlite3_step (automatic) != SQLITE_ROW)
    {
      _vd_sqlite_store_set_error (self, error, "Could not compute the statistics");
      return FALSE;
    }

  total = sqlite3_column_int64 (stmt, 0);
  stats->total_tasks = total;
  stats->auto_approved = sqlite3_column_int64 (automatic, 0);
  stats->escalated = stats->total_tasks - stats->auto_approved;
  stats->pending = sqlite3_column_int64 (stmt, 1);
  /* Items without a confidence are left out of the average. */
  with_confidence = sqlite3_column_int64 (stmt, 3);
  stats->avg_confidence = with_confidence > 0 ?
                          sqlite3_column_double (stmt, 2) / (double) with_confidence : 0.0;

  return TRUE;
}

static gboolean
decision_stats (VdSqliteStore  *self,
                const char     *queue,
                VdStats        *stats,
                GError        **error)
{
  g_autoptr(VdSqliteCursor) stmt = NULL;
  int rc;

  stmt = _vd_sqlite_store_prepare (self,
                                   "SELECT decision, SUM (n) FROM stats_decisions "
                                   "WHERE ?1 IS NULL OR queue = ?1 GROUP BY decision",
                                   error);
  if (stmt == NULL)
    return FALSE;
  _vd_sqlite_bind_text_or_null (stmt, 1, queue);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      VdDecisionKind kind;
      guint64 n = sqlite3_column_int64 (stmt, 1);

      if (!vd_decision_kind_from_string (_vd_sqlite_column_text (stmt, 0), &kind))
        continue;

      switch (kind)
        {
        case VD_DECISION_KIND_APPROVE:
          stats->human_approved = n;
          break;
        case VD_DECISION_KIND_REJECT:
          stats->human_rejected = n;
          break;
        case VD_DECISION_KIND_MODIFY:
          stats->human_modified = n;
          break;
        case VD_DECISION_KIND_ESCALATE_FURTHER:
          stats->human_escalated = n;
          break;
        default:
          break;
        }
    }

  if (rc != SQLITE_DONE)
    {
      _vd_sqlite_store_set_error (self, error, "Could not compute the statistics");
      return FALSE;
    }

  return TRUE;
}

gboolean
_vd_sqlite_store_get_stats (VdStore     *store,
                            const char  *queue,
                            VdStats     *stats,
                            GError     **error)
{
  VdSqliteStore *self = VD_SQLITE_STORE (store);
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  VdStats result = { 0, };
  gboolean ok;

  /* One read transaction, so that both halves describe the same moment. */
  if (!_vd_sqlite_store_exec (self, "BEGIN", error))
    return FALSE;

  ok = item_stats (self, queue, &result, error) &&
       decision_stats (self, queue, &result, error);

  sqlite3_exec (self->db, "COMMIT", NULL, NULL, NULL);

  if (ok)
    *stats = result;

  return ok;
}
