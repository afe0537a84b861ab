/* vd-cli-private.h
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

#pragma once

#include "vd-core.h"

G_BEGIN_DECLS

/* Exit statuses of verdict-cli: a contract for scripts. */
#define VD_CLI_EXIT_OK      0
#define VD_CLI_EXIT_FAILURE 1
#define VD_CLI_EXIT_USAGE   2

typedef struct
{
  const char *db_path;   /* --db, or NULL for VERDICT_DB / the default */
  const char *command;
  const char *passphrase_file;  /* --passphrase-file, or NULL */
} VdCliGlobals;

typedef int (*VdCliCommandFunc) (VdCliGlobals  *globals,
                                 int            argc,
                                 char         **argv);

int       vd_cli_import       (VdCliGlobals *globals, int argc, char **argv);
int       vd_cli_list         (VdCliGlobals *globals, int argc, char **argv);
int       vd_cli_show         (VdCliGlobals *globals, int argc, char **argv);
int       vd_cli_decide       (VdCliGlobals *globals, int argc, char **argv);
int       vd_cli_export       (VdCliGlobals *globals, int argc, char **argv);
int       vd_cli_stats        (VdCliGlobals *globals, int argc, char **argv);
int       vd_cli_audit        (VdCliGlobals *globals, int argc, char **argv);
int       vd_cli_policy       (VdCliGlobals *globals, int argc, char **argv);
int       vd_cli_sla          (VdCliGlobals *globals, int argc, char **argv);
int       vd_cli_forecast     (VdCliGlobals *globals, int argc, char **argv);
int       vd_cli_bulk_approve (VdCliGlobals *globals, int argc, char **argv);
int       vd_cli_run          (VdCliGlobals *globals, int argc, char **argv);
int       vd_cli_revise       (VdCliGlobals *globals, int argc, char **argv);
int       vd_cli_second_opinion (VdCliGlobals *globals, int argc, char **argv);
int       vd_cli_assist       (VdCliGlobals *globals, int argc, char **argv);
int       vd_cli_feedback     (VdCliGlobals *globals, int argc, char **argv);
int       vd_cli_reviewers    (VdCliGlobals *globals, int argc, char **argv);
int       vd_cli_calibration  (VdCliGlobals *globals, int argc, char **argv);
int       vd_cli_keys         (VdCliGlobals *globals, int argc, char **argv);
int       vd_cli_verify       (VdCliGlobals *globals, int argc, char **argv);
int       vd_cli_claim        (VdCliGlobals *globals, int argc, char **argv);
int       vd_cli_team         (VdCliGlobals *globals, int argc, char **argv);
int       vd_cli_team_checkout (VdCliGlobals *globals, int argc, char **argv);
int       vd_cli_team_checkin  (VdCliGlobals *globals, int argc, char **argv);

/* Claims (vd-cli-claims.c) */
gboolean    vd_cli_claim_for_decision (VdStore     *store,
                                       VdItem      *item,
                                       const char  *reviewer_id,
                                       GError     **error);
GHashTable *vd_cli_dup_claims         (VdStore     *store,
                                       const char  *queue,
                                       GError     **error);

/* audit verify --export (vd-cli-verify.c) */
int       vd_cli_audit_verify_export (VdStore    *store,
                                      const char *path);

/* Shared helpers (vd-cli-util.c). */
VdStore  *vd_cli_open_store   (VdCliGlobals  *globals,
                               GError       **error);
VdPolicy *vd_cli_load_policy  (const char    *path,
                               GError       **error);
gboolean  vd_cli_parse        (VdCliGlobals  *globals,
                               GOptionEntry  *entries,
                               const char    *parameter_string,
                               const char    *summary,
                               int           *argc,
                               char        ***argv);
int       vd_cli_fail         (const GError  *error);
int       vd_cli_usage        (VdCliGlobals  *globals,
                               const char    *format,
                               ...) G_GNUC_PRINTF (2, 3);
void      vd_cli_print_json   (JsonNode      *node);
char     *vd_cli_dup_oneline  (const char    *text,
                               guint          max_chars);
char     *vd_cli_escape_line  (const char    *text);
char     *vd_cli_escape_block (const char    *text);

/* Unlocks @reviewer_id's key from the keystore for @store's signer, reading
 * the passphrase from @passphrase_file (a command's --passphrase-file),
 * else the global --passphrase-file, else $VERDICT_PASSPHRASE_FD, else the
 * terminal. A reviewer without a key gets one line on standard error: the
 * decisions are signed by this installation, as an unverified reviewer. */
gboolean  vd_cli_unlock_reviewer (VdCliGlobals *globals,
                                  VdStore      *store,
                                  const char   *reviewer_id,
                                  const char   *passphrase_file,
                                  GError      **error);

G_END_DECLS
