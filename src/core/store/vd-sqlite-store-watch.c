/* vd-sqlite-store-watch.c: live updates of a VdSqliteStore
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

#include "vd-sqlite-store-private.h"

/*
 * The watcher: a thread with its own read-only connection to the file asks
 * SQLite every WATCH_INTERVAL_MS whether another connection committed
 * (PRAGMA data_version, which reads no table), and only then reads the
 * audit head. When the head grew by events that the store's own
 * connection did not append, it posts "audit-appended" to the main context
 * the watch started on.
 *
 * The watch is reference counted: the store, the thread and each posted
 * emission hold one. The store is reached from an emission through a weak
 * reference, and an emission of a watch that was stopped is dropped, so
 * that nothing is emitted after vd_store_unwatch() returns.
 */

#define WATCH_INTERVAL_MS 500

typedef struct
{
  gint64 first;
  gint64 last;
} SeqRange;

typedef struct _VdSqliteWatch
{
  GWeakRef      store;
  GMainContext *context;
  GThread      *thread;
  sqlite3      *db;          /* the thread's own; NULL once it has closed it */
  gint64        version;     /* PRAGMA data_version last read */

  GMutex        mutex;       /* guards what follows */
  GCond         cond;
  gboolean      stopping;
  gint64        head_seq;    /* the audit head last seen */
  GArray       *own;         /* SeqRange: appended through the store's connection */
} VdSqliteWatch;

typedef struct
{
  VdSqliteWatch *watch;
  gint64         head_seq;
} Emission;

static void
watch_clear (VdSqliteWatch *watch)
{
  g_assert (watch->db == NULL);

  g_weak_ref_clear (&watch->store);
  g_main_context_unref (watch->context);
  g_clear_pointer (&watch->own, g_array_unref);
  g_mutex_clear (&watch->mutex);
  g_cond_clear (&watch->cond);
}

static VdSqliteWatch *
watch_ref (VdSqliteWatch *watch)
{
  return g_atomic_rc_box_acquire (watch);
}

static void
watch_unref (VdSqliteWatch *watch)
{
  g_atomic_rc_box_release_full (watch, (GDestroyNotify) watch_clear);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VdSqliteWatch, watch_unref)

static gboolean
read_int (sqlite3     *db,
          const char  *sql,
          gint64      *value,
          GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          *value = sqlite3_column_int64 (stmt, 0);
          rc = SQLITE_OK;
        }
    }
  if (rc != SQLITE_OK)
    g_set_error (error, VD_STORE_ERROR, VD_STORE_ERROR_FAILED,
                 "Could not watch the database %s: %s",
                 sqlite3_db_filename (db, "main"), sqlite3_errmsg (db));
  sqlite3_finalize (stmt);

  return rc == SQLITE_OK;
}

static gboolean
read_head (sqlite3  *db,
           gint64   *head_seq,
           GError  **error)
{
  return read_int (db, "SELECT COALESCE (MAX (seq), 0) FROM audit", head_seq, error);
}

/* Whether every seq in (@from, @to] was appended through the store's own
 * connection. The caller holds watch->mutex. */
static gboolean
all_own (VdSqliteWatch *watch,
         gint64         from,
         gint64         to)
{
  gint64 next = from + 1;
  gboolean advanced = TRUE;

  while (next <= to && advanced)
    {
      advanced = FALSE;
      for (guint i = 0; i < watch->own->len; i++)
        {
          SeqRange *range = &g_array_index (watch->own, SeqRange, i);

          if (range->first <= next && next <= range->last)
            {
              next = range->last + 1;
              advanced = TRUE;
            }
        }
    }

  return next > to;
}

static gboolean
emit_cb (gpointer user_data)
{
  Emission *emission = user_data;
  g_autoptr(GObject) store = g_weak_ref_get (&emission->watch->store);
  gboolean stopping;

  g_mutex_lock (&emission->watch->mutex);
  stopping = emission->watch->stopping;
  g_mutex_unlock (&emission->watch->mutex);

  if (store != NULL && !stopping)
    vd_store_emit_audit_appended (VD_STORE (store), emission->head_seq);

  return G_SOURCE_REMOVE;
}

static void
emission_free (gpointer data)
{
  Emission *emission = data;

  watch_unref (emission->watch);
  g_free (emission);
}

/* One check, on the watcher thread. */
static void
check (VdSqliteWatch *watch)
{
  g_autoptr(GError) error = NULL;
  gint64 version;
  gint64 head_seq;
  gboolean announce = FALSE;

  if (!read_int (watch->db, "PRAGMA data_version", &version, &error))
    {
      g_debug ("%s", error->message);
      return;
    }
  if (version == watch->version)
    return;

  if (!read_head (watch->db, &head_seq, &error))
    {
      /* Read again at the next check. */
      g_debug ("%s", error->message);
      return;
    }
  watch->version = version;

  g_mutex_lock (&watch->mutex);
  if (head_seq > watch->head_seq)
    {
      announce = !all_own (watch, watch->head_seq, head_seq);
      watch->head_seq = head_seq;

      for (guint i = watch->own->len; i > 0; i--)
        if (g_array_index (watch->own, SeqRange, i - 1).last <= head_seq)
          g_array_remove_index_fast (watch->own, i - 1);
    }
  g_mutex_unlock (&watch->mutex);

  if (announce)
    {
      g_autoptr(GSource) source = g_idle_source_new ();
      Emission *emission = g_new0 (Emission, 1);

      emission->watch = watch_ref (watch);
      emission->head_seq = head_seq;
      g_source_set_priority (source, G_PRIORITY_DEFAULT);
      g_source_set_callback (source, emit_cb, emission, emission_free);
      g_source_set_static_name (source, "[verdict] audit-appended");
      g_source_attach (source, watch->context);
    }
}

static gpointer
watch_thread (gpointer data)
{
  g_autoptr(VdSqliteWatch) watch = data;

  g_mutex_lock (&watch->mutex);
  while (!watch->stopping)
    {
      gint64 end = g_get_monotonic_time () + WATCH_INTERVAL_MS * G_TIME_SPAN_MILLISECOND;

      while (!watch->stopping)
        if (!g_cond_wait_until (&watch->cond, &watch->mutex, end))
          break;
      if (watch->stopping)
        break;

      g_mutex_unlock (&watch->mutex);
      check (watch);
      g_mutex_lock (&watch->mutex);
    }
  g_mutex_unlock (&watch->mutex);

  g_clear_pointer (&watch->db, sqlite3_close);

  return NULL;
}

gboolean
_vd_sqlite_store_watch (VdStore  *store,
                        GError  **error)
{
  VdSqliteStore *self = VD_SQLITE_STORE (store);
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->watch_lock);
  VdSqliteWatch *watch;
  sqlite3 *db = NULL;
  gint64 version;
  gint64 head_seq;
  int rc;

  if (self->watch != NULL)
    return TRUE;

  rc = sqlite3_open_v2 (self->path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_FULLMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, VD_STORE_ERROR, VD_STORE_ERROR_FAILED,
                   "Could not open the database %s to watch it: %s",
                   self->path, db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (rc));
      sqlite3_close (db);
      return FALSE;
    }
  sqlite3_busy_timeout (db, 1000);

  /* The head as of now: what is appended later is announced. */
  if (!read_int (db, "PRAGMA data_version", &version, error) ||
      !read_head (db, &head_seq, error))
    {
      sqlite3_close (db);
      return FALSE;
    }

  watch = g_atomic_rc_box_new0 (VdSqliteWatch);
  g_weak_ref_init (&watch->store, self);
  watch->context = g_main_context_ref_thread_default ();
  watch->db = db;
  watch->version = version;
  watch->head_seq = head_seq;
  watch->own = g_array_new (FALSE, FALSE, sizeof (SeqRange));
  g_mutex_init (&watch->mutex);
  g_cond_init (&watch->cond);

  watch->thread = g_thread_new ("vd-store-watch", watch_thread, watch_ref (watch));
  self->watch = watch;

  return TRUE;
}

void
_vd_sqlite_store_unwatch (VdStore *store)
{
  VdSqliteStore *self = VD_SQLITE_STORE (store);
  VdSqliteWatch *watch;

  g_mutex_lock (&self->watch_lock);
  watch = g_steal_pointer (&self->watch);
  g_mutex_unlock (&self->watch_lock);

  if (watch == NULL)
    return;

  g_mutex_lock (&watch->mutex);
  watch->stopping = TRUE;
  g_cond_signal (&watch->cond);
  g_mutex_unlock (&watch->mutex);

  /* At most one check to finish: no wait for the interval. */
  g_thread_join (watch->thread);
  watch->thread = NULL;
  watch_unref (watch);
}

void
_vd_sqlite_store_note_appended (VdSqliteStore *self,
                                gint64         first_seq,
                                gint64         last_seq)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->watch_lock);
  SeqRange range = { first_seq, last_seq };

  if (self->watch == NULL || first_seq > last_seq)
    return;

  g_mutex_lock (&self->watch->mutex);
  /* Announced already (the check ran between COMMIT and here): nothing
   * to hide any more. */
  if (last_seq > self->watch->head_seq)
    g_array_append_val (self->watch->own, range);
  g_mutex_unlock (&self->watch->mutex);
}
