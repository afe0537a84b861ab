/* vd-pg-store-watch.c: live updates of a VdPgStore (LISTEN/NOTIFY)
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

#define G_LOG_DOMAIN "vd-pg-store"

#include "config.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>
#include <glib-unix.h>

#include "vd-pg-store-private.h"

/*
 * The watcher: a thread with a connection of its own (the store's conninfo
 * and password) that LISTENs on verdict_audit (the seq of every appended
 * audit event, tables.sql's audit_append) and verdict_claims (the item id
 * of every changed claim), sleeping in poll() on the connection's socket
 * and a pipe that unwatch writes to. Notifications sent by the store's own
 * connection (the backend pid of the notification is that connection's)
 * are not announced; the others are posted as "audit-appended" (the
 * highest seq heard) and "claims-changed" to the main context the watch
 * started on. A lost connection is made again, waiting longer each time
 * it fails (up to RECONNECT_MAX_MS). The thread makes the first
 * connection too, so that watching never waits on the network; each time
 * it listens (the first time, and after a reconnection) both signals are
 * emitted once, so that consumers read what they missed.
 *
 * The watch is reference counted like the SQLite store's: the store, the
 * thread and each posted emission hold one; an emission reaches the store
 * through a weak reference and is dropped once the watch stopped, so that
 * nothing is emitted after vd_store_unwatch() returns.
 */

#define RECONNECT_FIRST_MS 100
#define RECONNECT_MAX_MS   5000

struct _VdPgWatch
{
  GWeakRef      store;
  GMainContext *context;
  GThread      *thread;
  char         *conninfo;
  char         *password;
  int           wake[2];     /* a byte written to wake[1] stops the thread */
  gint          stopping;    /* atomic */
  gint          own_pid;     /* atomic: the backend of the store's connection */

  /* The thread's own. */
  PGconn       *conn;
  gint64        head_seq;
};

typedef struct
{
  VdPgWatch *watch;
  gint64     head_seq;
  gboolean   audit;
  gboolean   claims;
} Emission;

static void
watch_clear (VdPgWatch *watch)
{
  g_assert (watch->conn == NULL);

  g_weak_ref_clear (&watch->store);
  g_main_context_unref (watch->context);
  g_clear_pointer (&watch->conninfo, g_free);
  if (watch->password != NULL)
    memset (watch->password, 0, strlen (watch->password));
  g_clear_pointer (&watch->password, g_free);
  for (guint i = 0; i < G_N_ELEMENTS (watch->wake); i++)
    if (watch->wake[i] >= 0)
      close (watch->wake[i]);
}

static VdPgWatch *
watch_ref (VdPgWatch *watch)
{
  return g_atomic_rc_box_acquire (watch);
}

static void
watch_unref (VdPgWatch *watch)
{
  g_atomic_rc_box_release_full (watch, (GDestroyNotify) watch_clear);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VdPgWatch, watch_unref)

static gboolean
emit_cb (gpointer user_data)
{
  Emission *emission = user_data;
  g_autoptr(GObject) store = NULL;

  if (g_atomic_int_get (&emission->watch->stopping))
    return G_SOURCE_REMOVE;

  store = g_weak_ref_get (&emission->watch->store);
  if (store == NULL)
    return G_SOURCE_REMOVE;

  if (emission->audit)
    vd_store_emit_audit_appended (VD_STORE (store), emission->head_seq);
  if (emission->claims && !g_atomic_int_get (&emission->watch->stopping))
    vd_store_emit_claims_changed (VD_STORE (store));

  return G_SOURCE_REMOVE;
}

static void
emission_free (gpointer data)
{
  Emission *emission = data;

  watch_unref (emission->watch);
  g_free (emission);
}

static void
post (VdPgWatch *watch,
      gboolean   audit,
      gboolean   claims)
{
  g_autoptr(GSource) source = g_idle_source_new ();
  Emission *emission = g_new0 (Emission, 1);

  emission->watch = watch_ref (watch);
  emission->head_seq = watch->head_seq;
  emission->audit = audit;
  emission->claims = claims;
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, emit_cb, emission, emission_free);
  g_source_set_static_name (source, "[verdict] pg notifications");
  g_source_attach (source, watch->context);
}

/* A connection that listens, and the audit head as of then. */
static PGconn *
listen_connect (VdPgWatch  *watch,
                gint64     *head_seq,
                GError    **error)
{
  PGconn *conn;
  PGresult *result;

  if (watch->password != NULL)
    {
      const char *keywords[] = { "dbname", "password", NULL };
      const char *values[] = { watch->conninfo, watch->password, NULL };

      conn = PQconnectdbParams (keywords, values, 1);
    }
  else
    {
      conn = PQconnectdb (watch->conninfo);
    }

  if (conn == NULL || PQstatus (conn) != CONNECTION_OK)
    {
      g_set_error (error, VD_STORE_ERROR, VD_STORE_ERROR_CONNECTION,
                   "Could not connect to the database server to watch it: %s",
                   conn != NULL ? g_strstrip (PQerrorMessage (conn)) : "out of memory");
      g_clear_pointer (&conn, PQfinish);
      return NULL;
    }

  /* Listening first: an event appended after the head was read is heard. */
  result = PQexec (conn, "LISTEN verdict_audit; LISTEN verdict_claims; "
                   "SELECT seq FROM audit_head WHERE id = 1");
  if (PQresultStatus (result) != PGRES_TUPLES_OK || PQntuples (result) != 1)
    {
      g_set_error (error, VD_STORE_ERROR, VD_STORE_ERROR_FAILED,
                   "Could not listen to the database's notifications: %s",
                   g_strstrip (PQerrorMessage (conn)));
      PQclear (result);
      PQfinish (conn);
      return NULL;
    }

  *head_seq = _vd_pg_get_int (result, 0, 0);
  PQclear (result);

  if (PQsetnonblocking (conn, 1) != 0)
    {
      g_set_error (error, VD_STORE_ERROR, VD_STORE_ERROR_FAILED,
                   "Could not watch the database: %s", g_strstrip (PQerrorMessage (conn)));
      PQfinish (conn);
      return NULL;
    }

  return conn;
}

/* Sleeps @timeout_ms (-1: until woken) on the wake pipe and, when given,
 * @socket; FALSE when the watch is stopping. */
static gboolean
wait_for (VdPgWatch *watch,
          int        socket,
          int        timeout_ms)
{
  struct pollfd fds[2] = {
    { watch->wake[0], POLLIN, 0 },
    { socket, POLLIN, 0 },
  };
  int rc;

  do
    rc = poll (fds, socket >= 0 ? 2 : 1, timeout_ms);
  while (rc < 0 && errno == EINTR && !g_atomic_int_get (&watch->stopping));

  return !g_atomic_int_get (&watch->stopping) && (fds[0].revents & POLLIN) == 0;
}

/* Reads what arrived; FALSE when the connection is gone. */
static gboolean
read_notifications (VdPgWatch *watch)
{
  int own_pid = g_atomic_int_get (&watch->own_pid);
  gboolean audit = FALSE;
  gboolean claims = FALSE;
  PGnotify *notify;

  if (!PQconsumeInput (watch->conn) || PQstatus (watch->conn) != CONNECTION_OK)
    {
      g_debug ("Lost the connection that watches the database: %s",
               PQerrorMessage (watch->conn));
      return FALSE;
    }

  while ((notify = PQnotifies (watch->conn)) != NULL)
    {
      gboolean own = notify->be_pid == own_pid;

      if (g_str_equal (notify->relname, "verdict_audit"))
        {
          gint64 seq = g_ascii_strtoll (notify->extra, NULL, 10);

          watch->head_seq = MAX (watch->head_seq, seq);
          audit |= !own;
        }
      else if (g_str_equal (notify->relname, "verdict_claims"))
        {
          claims |= !own;
        }
      PQfreemem (notify);
    }

  if (audit || claims)
    post (watch, audit, claims);

  return TRUE;
}

static gpointer
watch_thread (gpointer data)
{
  g_autoptr(VdPgWatch) watch = data;
  int backoff_ms = 0;

  while (!g_atomic_int_get (&watch->stopping))
    {
      if (watch->conn == NULL)
        {
          g_autoptr(GError) error = NULL;
          gint64 head_seq = 0;

          if (!wait_for (watch, -1, backoff_ms))
            break;

          watch->conn = listen_connect (watch, &head_seq, &error);
          if (watch->conn == NULL)
            {
              g_debug ("%s", error->message);
              backoff_ms = CLAMP (backoff_ms * 2, RECONNECT_FIRST_MS, RECONNECT_MAX_MS);
              continue;
            }

          /* Connected, or back: whatever happened meanwhile is announced
           * once. */
          backoff_ms = 0;
          watch->head_seq = MAX (watch->head_seq, head_seq);
          post (watch, TRUE, TRUE);
          continue;
        }

      if (!wait_for (watch, PQsocket (watch->conn), -1))
        break;

      if (!read_notifications (watch))
        g_clear_pointer (&watch->conn, PQfinish);
    }

  g_clear_pointer (&watch->conn, PQfinish);

  return NULL;
}

/* The store's connection may have been made again: notes its backend. The
 * caller holds self->lock. */
void
_vd_pg_store_note_backend_locked (VdPgStore *self)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->watch_lock);

  if (self->watch != NULL && self->conn != NULL)
    g_atomic_int_set (&self->watch->own_pid, PQbackendPID (self->conn));
}

gboolean
_vd_pg_store_watch (VdStore  *store,
                    GError  **error)
{
  VdPgStore *self = VD_PG_STORE (store);
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(VdPgWatch) watch = NULL;
  int own_pid;

  /* A store busy with a long call tells its backend at its next claim;
   * until then its own appends may be announced too (consumers read the
   * events after the last one they saw, so that costs a read). */
  own_pid = 0;
  if (g_mutex_trylock (&self->lock))
    {
      own_pid = self->conn != NULL ? PQbackendPID (self->conn) : 0;
      g_mutex_unlock (&self->lock);
    }

  locker = g_mutex_locker_new (&self->watch_lock);
  if (self->watch != NULL)
    return TRUE;

  watch = g_atomic_rc_box_new0 (VdPgWatch);
  g_weak_ref_init (&watch->store, self);
  watch->context = g_main_context_ref_thread_default ();
  watch->conninfo = g_strdup (self->conninfo);
  watch->password = g_strdup (self->password);
  watch->wake[0] = watch->wake[1] = -1;
  watch->own_pid = own_pid;

  if (!g_unix_open_pipe (watch->wake, FD_CLOEXEC, error))
    return FALSE;

  /* The thread connects: the caller (the UI) never waits on the network.
   * Once it listens it announces the head, so that what was appended
   * meanwhile is read. */
  watch->thread = g_thread_new ("vd-pg-store-watch", watch_thread, watch_ref (watch));
  self->watch = g_steal_pointer (&watch);

  return TRUE;
}

void
_vd_pg_store_unwatch (VdStore *store)
{
  VdPgStore *self = VD_PG_STORE (store);
  VdPgWatch *watch;
  ssize_t written;

  g_mutex_lock (&self->watch_lock);
  watch = g_steal_pointer (&self->watch);
  g_mutex_unlock (&self->watch_lock);

  if (watch == NULL)
    return;

  g_atomic_int_set (&watch->stopping, TRUE);
  do
    written = write (watch->wake[1], "", 1);
  while (written < 0 && errno == EINTR);

  g_thread_join (watch->thread);
  watch->thread = NULL;
  watch_unref (watch);
}
