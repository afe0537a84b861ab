/* vd-export-verify.h: checking a signed export offline
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

#include <gio/gio.h>

#include "vd-roster.h"
#include "vd-store.h"

G_BEGIN_DECLS

/*
 * Verification of an export written by VdExporter (or the training
 * export) and its `FILE.minisig`, with nothing but the file, the
 * signature and the public keys given: the signature over the whole file
 * by one of @keys, its trusted comment against the header (format, audit
 * head, line count, signer), and for a decisions export each line: its
 * hash over prev_hash and the canonical text, its signature over the hash
 * by the public key it carries, its fields against the signed event, the
 * order of the lines and, with a roster, who signed what. The first fault
 * is the error, naming the file and line (FILE:LINE: ...) or the signature
 * file.
 *
 * vd_export_verify_store() then checks a store against what the export
 * pinned: the chain head and every exported event's hash at its seq.
 */

#define VD_EXPORT_VERIFY_ERROR (vd_export_verify_error_quark ())

typedef enum
{
  VD_EXPORT_VERIFY_ERROR_FORMAT,       /* not an export, or a malformed line */
  VD_EXPORT_VERIFY_ERROR_SIGNATURE,    /* the file's or a line's signature fails */
  VD_EXPORT_VERIFY_ERROR_UNKNOWN_KEY,  /* signed by a key that is not given */
  VD_EXPORT_VERIFY_ERROR_CHAIN,        /* a hash, the order or the line count */
  VD_EXPORT_VERIFY_ERROR_MISMATCH,     /* a line differs from its signed event */
  VD_EXPORT_VERIFY_ERROR_ROSTER,       /* the roster refuses a signer or a role */
  VD_EXPORT_VERIFY_ERROR_STORE,        /* the store lost what the export pinned */
} VdExportVerifyError;

/* One exported audit event: its seq and hash. */
typedef struct
{
  gint64 seq;
  char   hash[65];
} VdExportedEvent;

/**
 * VdExportReport:
 *
 * What a verified export holds.
 */
typedef struct
{
  char    *format;          /* "verdict-decisions", "verdict-outputs", "verdict-training" */
  guint64  n_lines;         /* lines after the header */
  gboolean has_head;        /* whether the export names an audit head */
  gint64   head_seq;
  char    *head_hash;
  char    *signer;          /* owner named by the trusted comment */
  char    *signer_key_id;   /* the key that signed FILE.minisig */
  guint    n_line_keys;     /* distinct keys that signed decisions' events */
  guint64  n_unsigned;      /* decisions whose events predate signing */
  GArray  *events;          /* VdExportedEvent of the decisions, in order */
} VdExportReport;

GQuark          vd_export_verify_error_quark (void);

VdExportReport *vd_export_verify_file   (const char      *path,
                                         GPtrArray       *keys,
                                         VdRoster        *roster,
                                         GCancellable    *cancellable,
                                         GError         **error);
gboolean        vd_export_verify_store  (VdExportReport  *report,
                                         const char      *path,
                                         VdStore         *store,
                                         GError         **error);
void            vd_export_report_free   (VdExportReport  *report);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VdExportReport, vd_export_report_free)

G_END_DECLS
