/* vd-cli-team.c: verdict-cli team, a team's database on PostgreSQL
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

#define G_LOG_DOMAIN "verdict-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vd-cli-private.h"
#include "vd-passphrase.h"
#include "vd-pg-schema.h"
#include "vd-store-location.h"

/* The group roles of schema/security.sql. */
#define GROUP_REVIEWER "verdict_reviewer"
#define GROUP_SENIOR   "verdict_senior"
#define GROUP_ADMIN    "verdict_admin"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGconn, PQfinish)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGresult, PQclear)

/* NOTICEs (a REVOKE of a membership the role did not have, a trigger
 * that did not exist yet) are noise here. */
static void
ignore_notice (void       *data,
               const char *message)
{
}

/* libpq's messages span lines ("\n\tIs the server running..."): one line. */
static char *
oneline (const char *message)
{
  g_auto(GStrv) lines = g_strsplit_set (message != NULL ? message : "", "\n\t", -1);
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_strstrip (lines[i]);
      if (lines[i][0] == '\0')
        continue;
      if (out->len > 0)
        g_string_append_c (out, ' ');
      g_string_append (out, lines[i]);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* user@host:port/dbname, never the password. */
static char *
describe_server (PGconn *conn)
{
  const char *host = PQhost (conn);

  return g_strdup_printf ("%s@%s:%s/%s", PQuser (conn),
                          host != NULL && *host != '\0' ? host : "localhost",
                          PQport (conn), PQdb (conn));
}

static PGconn *
team_connect (const char  *location,
              char       **server,
              GError     **error)
{
  g_autoptr(PGconn) conn = PQconnectdb (location);

  *server = describe_server (conn);
  if (PQstatus (conn) != CONNECTION_OK)
    {
      g_autofree char *message = oneline (PQerrorMessage (conn));

      g_set_error (error, VD_STORE_ERROR, VD_STORE_ERROR_CONNECTION,
                   _("Could not connect to %s: %s"), *server, message);
      return NULL;
    }

  return g_steal_pointer (&conn);
}

/* Runs @sql; on failure sets @error naming the server and @what. */
static gboolean
team_exec (PGconn      *conn,
           const char  *server,
           const char  *what,
           const char  *sql,
           GError     **error)
{
  g_autoptr(PGresult) result = PQexec (conn, sql);
  ExecStatusType status = PQresultStatus (result);

  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
    {
      g_autofree char *message = oneline (PQresultErrorMessage (result));

      g_set_error (error, VD_STORE_ERROR,
                   PQstatus (conn) == CONNECTION_OK ? VD_STORE_ERROR_FAILED
                                                    : VD_STORE_ERROR_CONNECTION,
                   _("%s on %s: %s"), what, server, message);
      return FALSE;
    }

  return TRUE;
}

static PGresult *
team_query (PGconn      *conn,
            const char  *server,
            const char  *what,
            const char  *sql,
            int          n_params,
            const char **params,
            GError     **error)
{
  g_autoptr(PGresult) result = PQexecParams (conn, sql, n_params, NULL, params, NULL, NULL, 0);

  if (PQresultStatus (result) != PGRES_TUPLES_OK)
    {
      g_autofree char *message = oneline (PQresultErrorMessage (result));

      g_set_error (error, VD_STORE_ERROR,
                   PQstatus (conn) == CONNECTION_OK ? VD_STORE_ERROR_FAILED
                                                    : VD_STORE_ERROR_CONNECTION,
                   _("%s on %s: %s"), what, server, message);
      return NULL;
    }

  return g_steal_pointer (&result);
}

/* Prefixes a schema loader's error with the server it happened on. */
static int
fail_on (const char *server,
         GError     *error)
{
  g_prefix_error (&error, "%s: ", server);
  return vd_cli_fail (error);
}

static int
team_init (PGconn     *conn,
           const char *server)
{
  g_autoptr(GError) error = NULL;
  int version = 0;

  if (!vd_pg_schema_get_version (conn, &version, &error))
    return fail_on (server, error);
  if (version != 0)
    {
      g_printerr (_("verdict-cli: %s already has a Verdict schema (version %d); "
                    "“team migrate” brings it up to date\n"), server, version);
      return VD_CLI_EXIT_FAILURE;
    }
  if (!vd_pg_schema_init (conn, &error))
    return fail_on (server, error);

  printf (_("Created the Verdict schema (version %d) on %s, with the roles %s, %s and %s\n"),
          VD_PG_SCHEMA_VERSION, server, GROUP_REVIEWER, GROUP_SENIOR, GROUP_ADMIN);
  return VD_CLI_EXIT_OK;
}

static int
team_migrate (PGconn     *conn,
              const char *server)
{
  g_autoptr(GError) error = NULL;
  int before = 0;

  if (!vd_pg_schema_get_version (conn, &before, &error))
    return fail_on (server, error);
  if (before == 0)
    {
      g_printerr (_("verdict-cli: %s has no Verdict schema; “team init” creates it\n"), server);
      return VD_CLI_EXIT_FAILURE;
    }
  if (!vd_pg_schema_migrate (conn, &error))
    return fail_on (server, error);

  if (before == VD_PG_SCHEMA_VERSION)
    printf (_("%s is up to date (schema version %d)\n"), server, before);
  else
    printf (_("Migrated %s from schema version %d to %d\n"), server, before,
            VD_PG_SCHEMA_VERSION);
  return VD_CLI_EXIT_OK;
}

/* A role name as Verdict uses it for a reviewer id: lower case letters,
 * digits and underscores, starting with a letter, at most 63 bytes, and
 * not one of PostgreSQL's or Verdict's own roles. */
static gboolean
check_role_name (const char  *role,
                 GError     **error)
{
  gboolean ok = g_ascii_islower (role[0]) && strlen (role) <= 63;

  for (const char *p = role; ok && *p != '\0'; p++)
    ok = g_ascii_islower (*p) || g_ascii_isdigit (*p) || *p == '_';

  if (!ok)
    {
      g_set_error (error, VD_STORE_ERROR, VD_STORE_ERROR_INVALID,
                   _("“%s” is not a reviewer role name: use lower case letters, digits and "
                     "underscores, starting with a letter (at most 63)"), role);
      return FALSE;
    }
  if (g_str_has_prefix (role, "pg_") || g_str_has_prefix (role, "verdict_") ||
      g_str_equal (role, "postgres") || g_str_equal (role, "public"))
    {
      g_set_error (error, VD_STORE_ERROR, VD_STORE_ERROR_INVALID,
                   _("“%s” is a name PostgreSQL or Verdict keeps for itself; choose another "
                     "reviewer role name"), role);
      return FALSE;
    }

  return TRUE;
}

static gboolean
asks_terminal (const char *passphrase_file)
{
  const char *fd_text = g_getenv ("VERDICT_PASSPHRASE_FD");

  return passphrase_file == NULL && (fd_text == NULL || *fd_text == '\0');
}

/* Reads the new role's password like a key's passphrase: refuses an empty
 * one, and on a terminal asks twice. */
static char *
read_password (const char  *role,
               const char  *passphrase_file,
               GError     **error)
{
  g_autofree char *prompt = g_strdup_printf (_("Password for the PostgreSQL role %s: "), role);
  char *password;
  char *again;
  gboolean same;

  password = vd_passphrase_read (prompt, passphrase_file, error);
  if (password == NULL)
    return NULL;
  if (*password == '\0')
    {
      vd_passphrase_free (password);
      g_set_error (error, VD_STORE_ERROR, VD_STORE_ERROR_INVALID,
                   _("The password for %s is empty; a reviewer's role needs a password"), role);
      return NULL;
    }
  if (!asks_terminal (passphrase_file))
    return password;

  again = vd_passphrase_read (_("The same password again: "), NULL, error);
  if (again == NULL)
    {
      vd_passphrase_free (password);
      return NULL;
    }
  same = g_str_equal (password, again);
  vd_passphrase_free (again);
  if (!same)
    {
      vd_passphrase_free (password);
      g_set_error (error, VD_STORE_ERROR, VD_STORE_ERROR_INVALID,
                   _("The two passwords for %s differ; nothing was changed"), role);
      return NULL;
    }

  return password;
}

/* GRANT @group TO @quoted_role when @member, else REVOKE it. */
static void
append_membership (GString    *sql,
                   const char *group,
                   const char *quoted_role,
                   gboolean    member)
{
  if (member)
    g_string_append_printf (sql, "GRANT %s TO %s;\n", group, quoted_role);
  else
    g_string_append_printf (sql, "REVOKE %s FROM %s;\n", group, quoted_role);
}

static int
team_add_reviewer (PGconn     *conn,
                   const char *server,
                   const char *role,
                   gboolean    senior,
                   gboolean    admin,
                   const char *passphrase_file)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PGresult) groups = NULL;
  g_autoptr(PGresult) existing = NULL;
  g_autoptr(GString) sql = g_string_new ("BEGIN;\n");
  g_autofree char *what = NULL;
  const char *params[] = { role };
  char *password;
  char *verifier;
  char *quoted_role;
  char *quoted_verifier;
  gboolean created;
  int version = 0;

  if (!check_role_name (role, &error))
    return vd_cli_fail (error);
  if (!vd_pg_schema_get_version (conn, &version, &error))
    return fail_on (server, error);
  if (version == 0)
    {
      g_printerr (_("verdict-cli: %s has no Verdict schema; “team init” creates it\n"), server);
      return VD_CLI_EXIT_FAILURE;
    }

  groups = team_query (conn, server, _("Could not look for Verdict's group roles"),
                       "SELECT count(*) FROM pg_roles WHERE rolname IN ('" GROUP_REVIEWER
                       "', '" GROUP_SENIOR "', '" GROUP_ADMIN "')",
                       0, NULL, &error);
  if (groups == NULL)
    return vd_cli_fail (error);
  if (atoi (PQgetvalue (groups, 0, 0)) != 3)
    {
      g_printerr (_("verdict-cli: %s has no Verdict group roles; “team init” creates them\n"),
                  server);
      return VD_CLI_EXIT_FAILURE;
    }

  existing = team_query (conn, server, _("Could not look for the role"),
                         "SELECT rolsuper FROM pg_roles WHERE rolname = $1", 1, params, &error);
  if (existing == NULL)
    return vd_cli_fail (error);
  created = PQntuples (existing) == 0;
  if (!created && g_str_equal (PQgetvalue (existing, 0, 0), "t"))
    {
      g_printerr (_("verdict-cli: %s is a superuser on %s; a reviewer needs a role of their "
                    "own\n"), role, server);
      return VD_CLI_EXIT_FAILURE;
    }

  password = read_password (role, passphrase_file, &error);
  if (password == NULL)
    return vd_cli_fail (error);
  /* The server gets the SCRAM verifier, never the password. */
  verifier = PQencryptPasswordConn (conn, password, role, "scram-sha-256");
  vd_passphrase_free (password);
  if (verifier == NULL)
    {
      g_printerr (_("verdict-cli: could not compute the SCRAM-SHA-256 verifier for %s: %s"),
                  role, PQerrorMessage (conn));
      return VD_CLI_EXIT_FAILURE;
    }

  quoted_role = PQescapeIdentifier (conn, role, strlen (role));
  quoted_verifier = PQescapeLiteral (conn, verifier, strlen (verifier));
  PQfreemem (verifier);
  g_string_append_printf (sql, "%s ROLE %s WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE "
                          "PASSWORD %s;\n", created ? "CREATE" : "ALTER", quoted_role,
                          quoted_verifier);
  append_membership (sql, GROUP_REVIEWER, quoted_role, TRUE);
  append_membership (sql, GROUP_SENIOR, quoted_role, senior);
  append_membership (sql, GROUP_ADMIN, quoted_role, admin);
  g_string_append (sql, "COMMIT;\n");
  PQfreemem (quoted_role);
  PQfreemem (quoted_verifier);

  what = g_strdup_printf (created ? _("Could not create the role %s")
                                  : _("Could not update the role %s"), role);
  if (!team_exec (conn, server, what, sql->str, &error))
    {
      PQclear (PQexec (conn, "ROLLBACK"));
      return vd_cli_fail (error);
    }

  printf (created ? _("Created the role %s on %s: %s%s%s\n")
                  : _("Updated the role %s on %s (new password): %s%s%s\n"),
          role, server, GROUP_REVIEWER, senior ? ", " GROUP_SENIOR : "",
          admin ? ", " GROUP_ADMIN : "");
  return VD_CLI_EXIT_OK;
}

static int
team_status (PGconn     *conn,
             const char *server)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PGresult) roles = NULL;
  g_autoptr(PGresult) head = NULL;
  int version = 0;
  int server_version = PQserverVersion (conn);

  if (!vd_pg_schema_get_version (conn, &version, &error))
    return fail_on (server, error);

  printf (_("Server: %s, PostgreSQL %d.%d\n"), server, server_version / 10000,
          server_version % 10000);
  if (version == 0)
    {
      printf (_("Schema: none (“team init” creates it)\n"));
      return VD_CLI_EXIT_OK;
    }
  printf (_("Schema version: %d (this Verdict writes %d)\n"), version, VD_PG_SCHEMA_VERSION);

  roles = team_query (conn, server, _("Could not list the reviewers' roles"),
                      "SELECT r.rolname, string_agg (g.rolname, ', ' ORDER BY g.rolname), "
                      "       r.rolcanlogin "
                      "FROM pg_roles r "
                      "JOIN pg_auth_members m ON m.member = r.oid "
                      "JOIN pg_roles g ON g.oid = m.roleid "
                      "WHERE g.rolname IN ('" GROUP_REVIEWER "', '" GROUP_SENIOR "', '"
                      GROUP_ADMIN "') "
                      "AND r.rolname NOT IN ('" GROUP_REVIEWER "', '" GROUP_SENIOR "', '"
                      GROUP_ADMIN "') "
                      "GROUP BY r.rolname, r.rolcanlogin ORDER BY r.rolname",
                      0, NULL, &error);
  if (roles == NULL)
    return vd_cli_fail (error);
  printf (_("Reviewers: %d\n"), PQntuples (roles));
  for (int i = 0; i < PQntuples (roles); i++)
    printf ("  %s: %s%s\n", PQgetvalue (roles, i, 0), PQgetvalue (roles, i, 1),
            g_str_equal (PQgetvalue (roles, i, 2), "t") ? "" : _(" (cannot log in)"));

  head = team_query (conn, server, _("Could not read the audit head"),
                     "SELECT seq, hash FROM audit_head WHERE id = 1", 0, NULL, &error);
  if (head == NULL)
    return vd_cli_fail (error);
  if (PQntuples (head) == 1)
    printf (_("Audit head: event %s, hash %s\n"), PQgetvalue (head, 0, 0),
            PQgetvalue (head, 0, 1));
  return VD_CLI_EXIT_OK;
}

int
vd_cli_team (VdCliGlobals  *globals,
             int            argc,
             char         **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PGconn) conn = NULL;
  g_autofree char *db = NULL;
  g_autofree char *passphrase_file = NULL;
  g_autofree char *server = NULL;
  const char *location;
  const char *sub;
  gboolean senior = FALSE;
  gboolean admin = FALSE;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_STRING, &db,
      N_("The team's database (default: the global --db, else $VERDICT_DB)"),
      N_("postgresql://USER@HOST/DB") },
    { "senior", 0, 0, G_OPTION_ARG_NONE, &senior,
      N_("add-reviewer: the reviewer may decide escalated items (verdict_senior)"), NULL },
    { "admin", 0, 0, G_OPTION_ARG_NONE, &admin,
      N_("add-reviewer: the reviewer may import and change policies (verdict_admin)"), NULL },
    { "passphrase-file", 0, 0, G_OPTION_ARG_FILENAME, &passphrase_file,
      N_("add-reviewer: read the new role's password from FILE instead of the terminal"),
      N_("FILE") },
    { NULL }
  };

  /* The offline slice works on any store: vd-cli-checkout.c. */
  if (argc >= 2 && g_str_equal (argv[1], "checkout"))
    return vd_cli_team_checkout (globals, argc, argv);
  if (argc >= 2 && g_str_equal (argv[1], "checkin"))
    return vd_cli_team_checkin (globals, argc, argv);

  if (!vd_cli_parse (globals, entries,
                     "init|migrate|add-reviewer ROLE|status|checkout|checkin",
                     _("A team's database on PostgreSQL. “init” creates Verdict's schema and "
                       "group roles (as the database's owner or a superuser); “migrate” "
                       "brings the schema up to date; “add-reviewer ROLE [--senior] "
                       "[--admin]” creates a reviewer's login role, or sets its password "
                       "and groups, the password coming from the terminal, "
                       "--passphrase-file FILE or the descriptor in VERDICT_PASSPHRASE_FD; "
                       "“status” shows the server, the schema, the reviewers and the audit "
                       "head. The connecting role's own password comes from libpq: "
                       "PGPASSWORD, ~/.pgpass or the connection string."),
                     &argc, &argv))
    return VD_CLI_EXIT_USAGE;

  if (argc < 2)
    return vd_cli_usage (globals, _("which team command? init, migrate, add-reviewer or "
                                    "status"));
  sub = argv[1];
  if (passphrase_file == NULL && globals->passphrase_file != NULL)
    passphrase_file = g_strdup (globals->passphrase_file);

  if (g_str_equal (sub, "add-reviewer"))
    {
      if (argc != 3)
        return vd_cli_usage (globals, _("the command is “team add-reviewer ROLE [--senior] "
                                        "[--admin]”"));
    }
  else if (g_str_equal (sub, "init") || g_str_equal (sub, "migrate") ||
           g_str_equal (sub, "status"))
    {
      if (argc != 2)
        return vd_cli_usage (globals, _("team %s takes no arguments"), sub);
      if (senior || admin)
        return vd_cli_usage (globals, _("--senior and --admin go with add-reviewer"));
    }
  else
    return vd_cli_usage (globals, _("unknown team command “%s” (init, migrate, add-reviewer, "
                                    "status)"), sub);

  location = db != NULL ? db : globals->db_path != NULL ? globals->db_path
                                                        : g_getenv ("VERDICT_DB");
  if (location == NULL || !vd_store_location_is_postgresql (location))
    return vd_cli_usage (globals, _("team commands need a PostgreSQL server: "
                                    "--db postgresql://USER@HOST/DB"));

  conn = team_connect (location, &server, &error);
  if (conn == NULL)
    return vd_cli_fail (error);
  PQsetNoticeProcessor (conn, ignore_notice, NULL);

  if (g_str_equal (sub, "init"))
    return team_init (conn, server);
  if (g_str_equal (sub, "migrate"))
    return team_migrate (conn, server);
  if (g_str_equal (sub, "status"))
    return team_status (conn, server);
  return team_add_reviewer (conn, server, argv[2], senior, admin, passphrase_file);
}
