/* vd-format.h
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
#include <json-glib/json-glib.h>

#include "vd-decision.h"
#include "vd-item.h"

G_BEGIN_DECLS

/*
 * Other tools' formats: queues read from LangGraph interrupts, Label
 * Studio tasks, Argilla records and Prodigy JSON Lines, and the answers
 * written back in each tool's own form (plus CSV, which is written only).
 *
 * A format is a table of functions (VdFormatClass), one file per format
 * (vd-format-langgraph.c, ...). A reader turns one whole file into items,
 * each carrying its source record (vd_item_get_source(): `format`, `ids`,
 * `group`, `allowed_decisions`, and whatever the writer needs to answer).
 * A writer takes every item of its format with its final decision and
 * writes the file the tool reads back.
 *
 * Errors name the file, the record (index, and the source's id when it has
 * one) and the field: `tasks.json: record 3 (id 17): data.text: expected a
 * string`.
 */

#define VD_FORMAT_ERROR (vd_format_error_quark ())

typedef enum
{
  VD_FORMAT_ERROR_UNKNOWN_FORMAT,  /* no format by that name, or none detected */
  VD_FORMAT_ERROR_INVALID,         /* a record breaks the format; message names it */
  VD_FORMAT_ERROR_NOT_ALLOWED,     /* the source does not accept this decision */
  VD_FORMAT_ERROR_UNSUPPORTED,     /* valid in the tool, but Verdict cannot review it */
} VdFormatError;

GQuark vd_format_error_quark (void);

/* What a reader needs besides the bytes. */
typedef struct
{
  const char *filename;         /* for messages: the file's display name */
  const char *queue;            /* the items' queue; never NULL */
  gboolean    skip_invalid;     /* leave bad records out (message in problems) */
  const char *input_field;      /* Argilla: the field shown as the task, NULL: the first text field */
  const char *output_question;  /* Argilla: the question whose suggestion is the output, NULL: the first with a suggestion */
} VdFormatReadOptions;

/* One item to answer and its final decision (NULL while undecided). */
typedef struct
{
  VdItem     *item;
  VdDecision *decision;
} VdFormatEntry;

/* What a writer wrote and what it held back, for the export's summary. */
typedef struct
{
  guint64 written;     /* records written */
  guint64 held_back;   /* items not written: undecided, escalated, or a group not fully decided */
  guint64 other;       /* entries of another format, left out */
} VdFormatSummary;

typedef struct
{
  const char *name;    /* wire name: "langgraph", "label-studio", "argilla", "prodigy", "csv" */
  const char *label;   /* translatable display name, e.g. N_("LangGraph interrupts") */

  /* TRUE when the file's first record looks like this format. NULL: never detected. */
  gboolean    (*sniff)          (JsonObject                 *first_record);

  /* Reads one whole file. Returns the items (VdItem, each with its source and
   * queue set, escalation reason set when a human must see it), or NULL with
   * @error. With skip_invalid, bad records go to @problems (char *, one
   * message each) and the rest are returned. NULL for a write-only format. */
  GPtrArray  *(*read)           (GBytes                     *bytes,
                                 const VdFormatReadOptions  *options,
                                 GPtrArray                  *problems,
                                 GError                    **error);

  /* Further checks of a decision on an item of this format, beyond
   * vd_item_allows_decision() (e.g. an edit must stay a JSON object of
   * arguments). NULL: none. */
  gboolean    (*check_decision) (VdItem                     *item,
                                 VdDecision                 *decision,
                                 GError                    **error);

  /* Writes the answers for @entries (VdFormatEntry *, in store order) to @out.
   * Entries of other formats count as summary->other (except for csv, which
   * writes every decided entry). NULL: this format is read only. */
  gboolean    (*write)          (GPtrArray                  *entries,
                                 GOutputStream              *out,
                                 VdFormatSummary            *summary,
                                 GCancellable               *cancellable,
                                 GError                    **error);
} VdFormatClass;

const VdFormatClass * const *vd_format_list           (guint                      *n);
const VdFormatClass         *vd_format_lookup         (const char                 *name);
char                        *vd_format_list_names     (gboolean                    for_import);
const VdFormatClass         *vd_format_detect         (GBytes                     *bytes,
                                                       const char                 *filename,
                                                       GError                    **error);
gboolean                     vd_format_check_decision (VdItem                     *item,
                                                       VdDecision                 *decision,
                                                       GError                    **error);

G_END_DECLS
