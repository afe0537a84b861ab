/* test-pg-faults.c: VdPgStore when the server goes away mid-write
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

#include <arpa/inet.h>
#include <errno.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "vd-core.h"
#include "vd-pg-store.h"
#include "vd-store-location.h"
#include "vd-test-pg.h"
#include "vd-test-util.h"

/*
 * The faults: the server stopped (build-aux/pg-test-cluster stop-server
 * immediate) while a decision waits for the audit head and while its COMMIT
 * runs; the reply to a COMMIT lost on the way back (a proxy between the
 * store and the server cuts the connection once the server answered); an
 * import's backend terminated halfway. Every time: the call fails with
 * VD_STORE_ERROR_CONNECTION, the next call reconnects, and retrying never
 * makes a second decision.
 */

#define ROLE "faulty"
#define PASSWORD "faulty secret words"
#define ADMIN_ROLE "lead"
#define ADMIN_PASSWORD "lead secret words"
#define DEADLINE_USEC (30 * G_USEC_PER_SEC)

static const char queue_text[] =
  "{\"verdict_queue\": 1, \"queue\": \"faults\"}\n"
  "{\"task_id\": \"t-1\", \"task_description\": \"Pay one\", "
  "\"agent_output\": {\"content\": \"1\", \"confidence\": 0.1}}\n"
  "{\"task_id\": \"t-2\", \"task_description\": \"Pay two\", "
  "\"agent_output\": {\"content\": \"2\", \"confidence\": 0.2}}\n"
  "{\"task_id\": \"t-3\", \"task_description\": \"Pay three\", "
  "\"agent_output\": {\"content\": \"3\", \"confidence\": 0.3}}\n";

typedef struct
{
  VdTestPg *pg;
  char     *dir;
  VdStore  *admin;      /* the superuser, on the socket */
  VdStore  *reviewer;   /* ROLE, over 127.0.0.1 (or the proxy) */
} Fixture;

/* The cluster */

static void
cluster (const char *command)
{
  const char *program = g_getenv ("VERDICT_PG_TEST_CLUSTER");
  const char *argv[] = { program, command, NULL, NULL };
  g_autoptr(GError) error = NULL;
  int wait_status = 0;

  g_assert_nonnull (program);
  if (g_str_equal (command, "stop-server"))
    argv[2] = "immediate";
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL,
                               NULL, &wait_status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (wait_status, NULL));
}

static char *
query (Fixture    *f,
       const char *sql)
{
  return vd_test_pg_query (f->pg->conninfo, sql);
}

static gint64
query_int (Fixture    *f,
           const char *sql)
{
  g_autofree char *value = query (f, sql);

  g_assert_nonnull (value);
  return g_ascii_strtoll (value, NULL, 10);
}

/* Waits until @sql (a count) answers non-zero, asking on one connection
 * every 10 ms; fails when @done (if not NULL) was set first. */
static void
wait_for_full (Fixture    *f,
               const char *sql,
               int        *done)
{
  gint64 deadline = g_get_monotonic_time () + DEADLINE_USEC;
  PGconn *conn = PQconnectdb (f->pg->conninfo);

  g_assert_cmpint (PQstatus (conn), ==, CONNECTION_OK);
  for (;;)
    {
      PGresult *result = PQexec (conn, sql);
      gboolean found;

      g_assert_cmpint (PQresultStatus (result), ==, PGRES_TUPLES_OK);
      found = g_ascii_strtoll (PQgetvalue (result, 0, 0), NULL, 10) != 0;
      PQclear (result);
      if (found)
        break;
      if (done != NULL && g_atomic_int_get (done))
        g_error ("what the test waited for did not happen: %s", sql);
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (10 * 1000);
    }
  PQfinish (conn);
}

static void
wait_for (Fixture    *f,
          const char *sql)
{
  wait_for_full (f, sql, NULL);
}

static void
create_role (const char *conninfo,
             const char *role,
             const char *password,
             const char *group)
{
  g_autofree char *sql =
    g_strdup_printf ("DO $$ BEGIN "
                     "IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '%s') THEN "
                     "CREATE ROLE %s LOGIN PASSWORD '%s' IN ROLE %s; END IF; END $$",
                     role, role, password, group);

  g_free (vd_test_pg_query (conninfo, sql));
}

static char *
role_conninfo (Fixture    *f,
               const char *role,
               guint       port)
{
  if (port == 0)
    return g_strdup_printf ("host=127.0.0.1 port=%s dbname=%s user=%s sslmode=disable",
                            g_getenv ("VERDICT_TEST_PG_PORT"), f->pg->dbname, role);
  return g_strdup_printf ("host=127.0.0.1 port=%u dbname=%s user=%s sslmode=disable "
                          "gssencmode=disable", port, f->pg->dbname, role);
}

static VdStore *
open_as (Fixture    *f,
         const char *role,
         const char *password,
         guint       port)
{
  g_autofree char *conninfo = role_conninfo (f, role, port);
  g_autoptr(GError) error = NULL;
  VdPgStore *store = vd_pg_store_new_full (conninfo, password, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (vd_pg_store_get_session_user (store), ==, role);
  return VD_STORE (store);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;
  VdImportResult result = { 0, };

  f->pg = vd_test_pg_set_up (TRUE);
  if (f->pg == NULL)
    return;
  f->dir = vd_test_make_tmp_dir ("pg-faults");
  /* The throwaway cluster runs with synchronous_commit off, which loses
   * the last acknowledged commits when the server is stopped at once; a
   * team's server does not. */
  sql = g_strdup_printf ("ALTER DATABASE %s SET synchronous_commit = on", f->pg->dbname);
  g_free (vd_test_pg_query (f->pg->conninfo, sql));
  create_role (f->pg->conninfo, ROLE, PASSWORD, "verdict_reviewer");
  create_role (f->pg->conninfo, ADMIN_ROLE, ADMIN_PASSWORD, "verdict_admin");

  f->admin = vd_store_open_location (f->pg->conninfo, &error);
  g_assert_no_error (error);
  vd_test_import_text (f->admin, f->dir, "faults.jsonl", queue_text, NULL, &result);
  g_assert_cmpuint (result.queued, ==, 3);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->pg == NULL)
    return;
  g_clear_object (&f->reviewer);
  g_clear_object (&f->admin);
  vd_test_remove_tree (f->dir);
  g_free (f->dir);
  vd_test_pg_tear_down (f->pg);
}

/* Decisions */

static VdDecision *
new_decision (const char     *task_id,
              VdDecisionKind  kind,
              const char     *feedback)
{
  VdDecision *decision = vd_decision_new ("faults", task_id, kind, ROLE);

  if (feedback != NULL)
    vd_decision_set_feedback (decision, feedback);
  return decision;
}

typedef struct
{
  VdStore    *store;
  VdDecision *decision;
  gboolean    ok;
  GError     *error;
} Call;

static gpointer
record_in_thread (gpointer data)
{
  Call *call = data;

  call->ok = vd_store_record_decision (call->store, call->decision, &call->error);
  return NULL;
}

static gint64
n_decisions (Fixture    *f,
             const char *task_id)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count (*) FROM decisions "
                                          "WHERE queue = 'faults' AND task_id = '%s'", task_id);

  return query_int (f, sql);
}

/* After a restart: a fresh superuser session finds the chain whole. */
static void
assert_chain_verifies (Fixture *f)
{
  g_autoptr(VdStore) store = NULL;
  g_autoptr(GError) error = NULL;
  VdAuditReport report = { 0, };

  store = vd_store_open_location (f->pg->conninfo, &error);
  g_assert_no_error (error);
  g_assert_true (vd_store_verify_audit_report (store, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpint (report.bad_seq, ==, 0);
  g_assert_cmpint (report.n_events, ==, query_int (f, "SELECT seq FROM audit_head"));
}

/* Any call: the first after the server came back may still find the old
 * connection dead; the one after reconnects. */
static guint64
count_pending (VdStore *store)
{
  VdItemQuery query = VD_ITEM_QUERY_INIT;
  g_autoptr(GError) error = NULL;
  guint64 n = 0;

  query.statuses = VD_STATUS_MASK_UNDECIDED;
  g_assert_true (vd_store_count_items (store, &query, &n, &error));
  g_assert_no_error (error);
  return n;
}

/* The server stops while the decision waits for the audit head (another
 * session holds it): the call fails as a lost connection, fails again
 * while the server is down, and after the restart the next call
 * reconnects; the decision was not saved, and retrying saves it once. */
static void
test_stop_in_flight (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(VdDecision) retry = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *waiting = NULL;
  VdItemQuery query = VD_ITEM_QUERY_INIT;
  PGconn *holder;
  PGresult *result;
  GThread *thread;
  Call call = { 0, };
  guint64 n = 0;

  if (f->pg == NULL)
    return;
  f->reviewer = open_as (f, ROLE, PASSWORD, 0);

  holder = PQconnectdb (f->pg->conninfo);
  g_assert_cmpint (PQstatus (holder), ==, CONNECTION_OK);
  result = PQexec (holder, "BEGIN; SELECT seq FROM audit_head FOR UPDATE");
  g_assert_cmpint (PQresultStatus (result), ==, PGRES_TUPLES_OK);
  PQclear (result);

  call.store = f->reviewer;
  call.decision = new_decision ("t-1", VD_DECISION_KIND_APPROVE, NULL);
  thread = g_thread_new ("decide", record_in_thread, &call);
  waiting = g_strdup_printf ("SELECT count (*) FROM pg_stat_activity WHERE usename = '" ROLE
                             "' AND datname = '%s' AND wait_event_type = 'Lock'",
                             f->pg->dbname);
  wait_for (f, waiting);

  cluster ("stop-server");
  g_thread_join (thread);
  g_assert_false (call.ok);
  g_assert_error (call.error, VD_STORE_ERROR, VD_STORE_ERROR_CONNECTION);
  g_test_message ("in flight: %s", call.error->message);
  g_clear_error (&call.error);
  PQfinish (holder);

  /* Down: the store says so, it does not hang. */
  query.statuses = VD_STATUS_MASK_UNDECIDED;
  g_assert_false (vd_store_count_items (f->reviewer, &query, &n, &error));
  g_assert_error (error, VD_STORE_ERROR, VD_STORE_ERROR_CONNECTION);
  g_clear_error (&error);

  cluster ("start-server");
  g_assert_cmpuint (count_pending (f->reviewer), ==, 3);
  g_assert_cmpint (n_decisions (f, "t-1"), ==, 0);

  retry = new_decision ("t-1", VD_DECISION_KIND_APPROVE, NULL);
  g_assert_true (vd_store_record_decision (f->reviewer, retry, &error));
  g_assert_no_error (error);
  g_assert_cmpint (n_decisions (f, "t-1"), ==, 1);
  assert_chain_verifies (f);

  g_object_unref (call.decision);
}

/* The server stops while COMMIT runs (a deferred trigger keeps it busy):
 * nothing was saved, and retrying saves it once. */
static void
test_stop_during_commit (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(VdDecision) retry = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *committing = NULL;
  g_autofree char *head = NULL;
  GThread *thread;
  Call call = { 0, };

  if (f->pg == NULL)
    return;
  f->reviewer = open_as (f, ROLE, PASSWORD, 0);

  /* A slow COMMIT, for decisions with this feedback only. */
  g_free (query (f, "CREATE FUNCTION test_slow_commit () RETURNS trigger LANGUAGE plpgsql AS "
                    "$$ BEGIN PERFORM pg_sleep (60); RETURN NULL; END $$"));
  g_free (query (f, "CREATE CONSTRAINT TRIGGER test_slow_commit AFTER INSERT ON decisions "
                    "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW "
                    "WHEN (NEW.feedback = 'slow commit') EXECUTE FUNCTION test_slow_commit ()"));
  head = query (f, "SELECT seq FROM audit_head");

  call.store = f->reviewer;
  call.decision = new_decision ("t-2", VD_DECISION_KIND_REJECT, "slow commit");
  thread = g_thread_new ("decide", record_in_thread, &call);
  committing = g_strdup_printf ("SELECT count (*) FROM pg_stat_activity WHERE usename = '" ROLE
                                "' AND datname = '%s' AND query = 'COMMIT' "
                                "AND wait_event = 'PgSleep'", f->pg->dbname);
  wait_for (f, committing);

  cluster ("stop-server");
  g_thread_join (thread);
  g_assert_false (call.ok);
  g_assert_error (call.error, VD_STORE_ERROR, VD_STORE_ERROR_CONNECTION);
  g_test_message ("during COMMIT: %s", call.error->message);
  g_clear_error (&call.error);

  cluster ("start-server");
  g_assert_cmpint (n_decisions (f, "t-2"), ==, 0);
  g_assert_cmpint (query_int (f, "SELECT seq FROM audit_head"), ==,
                   g_ascii_strtoll (head, NULL, 10));
  g_free (query (f, "DROP TRIGGER test_slow_commit ON decisions"));

  retry = new_decision ("t-2", VD_DECISION_KIND_REJECT, "slow commit");
  g_assert_true (vd_store_record_decision (f->reviewer, retry, &error));
  g_assert_no_error (error);
  g_assert_cmpint (n_decisions (f, "t-2"), ==, 1);
  assert_chain_verifies (f);

  g_object_unref (call.decision);
}

/* A proxy on 127.0.0.1 in front of the server. Armed, it passes a COMMIT
 * on to the server, swallows the server's answer and cuts both
 * connections: the server has committed, the client never hears of it. */

typedef struct
{
  int       listen_fd;
  guint     port;
  int       wakeup[2];
  GThread  *thread;
  int       armed;       /* atomic */
  int       tripped;     /* atomic */
  int       n_pumps;     /* atomic */
} Proxy;

typedef struct
{
  Proxy *proxy;
  int    client;
  int    server;
} Pump;

/* The simple-protocol query COMMIT: 'Q', its length (4 + 7), the text. */
static const char commit_message[] = "Q\0\0\0\x0b" "COMMIT";

static gboolean
write_all (int         fd,
           const char *data,
           gssize      length)
{
  while (length > 0)
    {
      gssize n = write (fd, data, length);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return FALSE;
      data += n;
      length -= n;
    }
  return TRUE;
}

static gboolean
contains (const char *data,
          gssize      length,
          const char *needle,
          gsize       needle_length)
{
  for (gssize i = 0; i + (gssize) needle_length <= length; i++)
    if (memcmp (data + i, needle, needle_length) == 0)
      return TRUE;
  return FALSE;
}

static gpointer
pump_run (gpointer data)
{
  Pump *pump = data;
  Proxy *proxy = pump->proxy;
  gboolean commit_sent = FALSE;
  char buffer[65536];

  for (;;)
    {
      struct pollfd fds[2] = { { pump->client, POLLIN, 0 }, { pump->server, POLLIN, 0 } };
      gssize n;

      if (poll (fds, 2, -1) < 0)
        {
          if (errno == EINTR)
            continue;
          break;
        }

      if (fds[0].revents != 0)
        {
          n = read (pump->client, buffer, sizeof buffer);
          if (n <= 0)
            break;
          /* sizeof includes the NUL that ends the query text. */
          if (g_atomic_int_get (&proxy->armed) &&
              contains (buffer, n, commit_message, sizeof commit_message))
            commit_sent = TRUE;
          if (!write_all (pump->server, buffer, n))
            break;
        }

      if (fds[1].revents != 0)
        {
          n = read (pump->server, buffer, sizeof buffer);
          if (n <= 0)
            break;
          if (commit_sent)
            {
              /* The server answered the COMMIT: it is done. */
              g_atomic_int_set (&proxy->armed, FALSE);
              g_atomic_int_set (&proxy->tripped, TRUE);
              break;
            }
          if (!write_all (pump->client, buffer, n))
            break;
        }
    }

  close (pump->client);
  close (pump->server);
  g_atomic_int_dec_and_test (&proxy->n_pumps);
  g_free (pump);
  return NULL;
}

static int
connect_to_server (void)
{
  struct sockaddr_in address = { 0, };
  int fd = socket (AF_INET, SOCK_STREAM, 0);

  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  address.sin_port = htons ((guint16) g_ascii_strtoull (g_getenv ("VERDICT_TEST_PG_PORT"),
                                                        NULL, 10));
  if (fd < 0 || connect (fd, (struct sockaddr *) &address, sizeof address) != 0)
    g_error ("proxy: cannot connect to the server: %s", g_strerror (errno));
  return fd;
}

static gpointer
proxy_run (gpointer data)
{
  Proxy *proxy = data;

  for (;;)
    {
      struct pollfd fds[2] = { { proxy->listen_fd, POLLIN, 0 }, { proxy->wakeup[0], POLLIN, 0 } };
      Pump *pump;
      int client;

      if (poll (fds, 2, -1) < 0)
        {
          if (errno == EINTR)
            continue;
          break;
        }
      if (fds[1].revents != 0)
        break;

      client = accept (proxy->listen_fd, NULL, NULL);
      if (client < 0)
        continue;
      pump = g_new0 (Pump, 1);
      pump->proxy = proxy;
      pump->client = client;
      pump->server = connect_to_server ();
      g_atomic_int_inc (&proxy->n_pumps);
      g_thread_unref (g_thread_new ("proxy-pump", pump_run, pump));
    }
  return NULL;
}

static Proxy *
proxy_start (void)
{
  Proxy *proxy = g_new0 (Proxy, 1);
  struct sockaddr_in address = { 0, };
  socklen_t length = sizeof address;

  proxy->listen_fd = socket (AF_INET, SOCK_STREAM, 0);
  g_assert_cmpint (proxy->listen_fd, >=, 0);
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  g_assert_cmpint (bind (proxy->listen_fd, (struct sockaddr *) &address, sizeof address), ==, 0);
  g_assert_cmpint (listen (proxy->listen_fd, 8), ==, 0);
  g_assert_cmpint (getsockname (proxy->listen_fd, (struct sockaddr *) &address, &length), ==, 0);
  proxy->port = ntohs (address.sin_port);
  g_assert_cmpint (pipe (proxy->wakeup), ==, 0);
  proxy->thread = g_thread_new ("proxy", proxy_run, proxy);
  return proxy;
}

/* Once every connection through it was closed. */
static void
proxy_stop (Proxy *proxy)
{
  gint64 deadline = g_get_monotonic_time () + DEADLINE_USEC;

  g_assert_true (write_all (proxy->wakeup[1], "x", 1));
  g_thread_join (proxy->thread);
  while (g_atomic_int_get (&proxy->n_pumps) > 0)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (1000);
    }
  close (proxy->listen_fd);
  close (proxy->wakeup[0]);
  close (proxy->wakeup[1]);
  g_free (proxy);
}

/* The COMMIT reached the server and was done, but its answer was lost:
 * the store cannot know, and reports a lost connection, never a success.
 * Retrying reconnects and is refused as already decided by this reviewer:
 * one decision, not two. */
static void
check_reply_lost (Fixture     *f,
                  char       **message)
{
  g_autoptr(VdDecision) decision = NULL;
  g_autoptr(VdDecision) retry = NULL;
  g_autoptr(GError) error = NULL;
  Proxy *proxy;

  proxy = proxy_start ();
  f->reviewer = open_as (f, ROLE, PASSWORD, proxy->port);

  g_atomic_int_set (&proxy->armed, TRUE);
  decision = new_decision ("t-3", VD_DECISION_KIND_APPROVE, NULL);
  g_assert_false (vd_store_record_decision (f->reviewer, decision, &error));
  g_assert_true (g_atomic_int_get (&proxy->tripped));
  g_assert_error (error, VD_STORE_ERROR, VD_STORE_ERROR_CONNECTION);
  g_test_message ("answer to COMMIT lost: %s", error->message);
  *message = g_strdup (error->message);
  g_clear_error (&error);

  /* The server did commit it. */
  g_assert_cmpint (n_decisions (f, "t-3"), ==, 1);

  retry = new_decision ("t-3", VD_DECISION_KIND_APPROVE, NULL);
  g_assert_false (vd_store_record_decision (f->reviewer, retry, &error));
  g_assert_error (error, VD_STORE_ERROR, VD_STORE_ERROR_ALREADY_DECIDED);
  g_assert_nonnull (strstr (error->message, "decided by " ROLE));
  g_clear_error (&error);
  g_assert_cmpint (n_decisions (f, "t-3"), ==, 1);
  assert_chain_verifies (f);

  g_clear_object (&f->reviewer);
  proxy_stop (proxy);
}

static void
test_commit_reply_lost (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *message = NULL;

  if (f->pg == NULL)
    return;
  check_reply_lost (f, &message);
}

/* What the store says when the answer to COMMIT was lost: that it does not
 * know whether the decision was saved, not that nothing was. */
static void
test_commit_reply_lost_message (Fixture       *f,
                                gconstpointer  data)
{
  g_autofree char *message = NULL;

  if (f->pg == NULL)
    return;
  check_reply_lost (f, &message);
  g_assert_null (strstr (message, "nothing was saved"));
  g_assert_true (g_str_has_prefix (message, "The server did not answer the COMMIT ("));
  g_assert_true (g_str_has_suffix (message, "): the change may or may not have been saved; "
                                            "reload to see"));
}

/* The import's backend is terminated halfway: none of the file's items,
 * none of its events; the same import afterwards brings them all. */

#define N_IMPORT_ITEMS 2000

typedef struct
{
  VdStore        *store;
  GFile          *file;
  VdImportResult  result;
  gboolean        ok;
  GError         *error;
  int             done;      /* atomic */
} ImportCall;

static gpointer
import_in_thread (gpointer data)
{
  ImportCall *call = data;
  g_autoptr(VdPolicy) policy = vd_policy_new ();
  g_autoptr(VdImporter) importer = vd_importer_new (call->store, policy);

  call->ok = vd_importer_import (importer, &call->file, 1, &call->result, NULL, NULL, NULL,
                                 &call->error);
  g_atomic_int_set (&call->done, TRUE);
  return NULL;
}

static void
test_terminate_import (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GString) text = g_string_new ("{\"verdict_queue\": 1, \"queue\": \"cut\"}\n");
  g_autoptr(VdStore) lead = NULL;
  g_autofree char *path = NULL;
  g_autofree char *writing = NULL;
  g_autofree char *terminate = NULL;
  g_autofree char *terminated = NULL;
  g_autofree char *sequence = NULL;
  ImportCall call = { 0, };
  GThread *thread;
  gint64 head, first_id;

  if (f->pg == NULL)
    return;

  for (guint i = 0; i < N_IMPORT_ITEMS; i++)
    g_string_append_printf (text, "{\"task_id\": \"cut-%05u\", \"task_description\": "
                            "\"Pay %u\", \"agent_output\": {\"content\": \"%u\", "
                            "\"confidence\": 0.4}}\n", i, i, i);
  path = vd_test_write_file (f->dir, "cut.jsonl", text->str);
  head = query_int (f, "SELECT seq FROM audit_head");
  first_id = query_int (f, "SELECT max (id) FROM items");
  sequence = query (f, "SELECT pg_get_serial_sequence ('items', 'id')");
  g_assert_cmpstr (sequence, ==, "public.items_id_seq");

  lead = open_as (f, ADMIN_ROLE, ADMIN_PASSWORD, 0);
  call.store = lead;
  call.file = g_file_new_for_path (path);
  thread = g_thread_new ("import", import_in_thread, &call);

  /* Well into it: the items' ids (a sequence, seen outside the
   * transaction) have gone a quarter of the file's way. */
  writing = g_strdup_printf ("SELECT count (*) FROM items_id_seq "
                             "WHERE is_called AND last_value >= %" G_GINT64_FORMAT,
                             first_id + N_IMPORT_ITEMS / 4);
  wait_for_full (f, writing, &call.done);
  terminate = g_strdup_printf ("SELECT count (pg_terminate_backend (pid)) FROM pg_stat_activity "
                               "WHERE usename = '" ADMIN_ROLE "' AND datname = '%s'",
                               f->pg->dbname);
  terminated = query (f, terminate);
  g_assert_cmpstr (terminated, ==, "1");

  g_thread_join (thread);
  g_assert_false (call.ok);
  g_assert_error (call.error, VD_STORE_ERROR, VD_STORE_ERROR_CONNECTION);
  g_test_message ("import cut after %" G_GINT64_FORMAT " of %u items: %s",
                  query_int (f, "SELECT last_value FROM items_id_seq") - first_id,
                  N_IMPORT_ITEMS, call.error->message);
  g_clear_error (&call.error);

  g_assert_cmpint (query_int (f, "SELECT count (*) FROM items WHERE queue = 'cut'"), ==, 0);
  g_assert_cmpint (query_int (f, "SELECT count (*) FROM audit WHERE queue = 'cut'"), ==, 0);
  g_assert_cmpint (query_int (f, "SELECT seq FROM audit_head"), ==, head);

  /* Again, on the same store: it reconnects and brings every item. */
  memset (&call.result, 0, sizeof call.result);
  thread = g_thread_new ("import", import_in_thread, &call);
  g_thread_join (thread);
  g_assert_no_error (call.error);
  g_assert_true (call.ok);
  g_assert_cmpuint (call.result.imported, ==, N_IMPORT_ITEMS);
  g_assert_cmpint (query_int (f, "SELECT count (*) FROM items WHERE queue = 'cut'"), ==,
                   N_IMPORT_ITEMS);
  assert_chain_verifies (f);

  g_object_unref (call.file);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *data_home = NULL;
  int status;

  /* The installation keys go to a folder of this test's own. */
  data_home = vd_test_make_tmp_dir ("test-pg-faults");
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);

  g_test_init (&argc, &argv, NULL);

  g_test_add ("/pg-faults/stop-in-flight", Fixture, NULL, fixture_set_up,
              test_stop_in_flight, fixture_tear_down);
  g_test_add ("/pg-faults/stop-during-commit", Fixture, NULL, fixture_set_up,
              test_stop_during_commit, fixture_tear_down);
  g_test_add ("/pg-faults/commit-reply-lost", Fixture, NULL, fixture_set_up,
              test_commit_reply_lost, fixture_tear_down);
  g_test_add ("/pg-faults/commit-reply-lost-message", Fixture, NULL, fixture_set_up,
              test_commit_reply_lost_message, fixture_tear_down);
  g_test_add ("/pg-faults/terminate-import", Fixture, NULL, fixture_set_up,
              test_terminate_import, fixture_tear_down);

  status = g_test_run ();
  vd_test_remove_tree (data_home);
  return status;
}
