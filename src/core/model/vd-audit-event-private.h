/* vd-audit-event-private.h
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

#include "vd-audit-event.h"

G_BEGIN_DECLS

/*
 * A minimal writer for flat JSON payload objects. A store appends one event
 * per imported item, so payloads are written straight into a GString rather
 * than built as a JsonObject and serialized. Numbers are written in their
 * shortest form that reads back to the same double (0.85, not
 * 0.84999999999999998).
 */
GString      *_vd_json_object_begin          (void);
void          _vd_json_object_add_string     (GString     *object,
                                              const char  *name,
                                              const char  *value);
void          _vd_json_object_add_int        (GString     *object,
                                              const char  *name,
                                              gint64       value);
void          _vd_json_object_add_double     (GString     *object,
                                              const char  *name,
                                              double       value);
void          _vd_json_object_add_raw        (GString     *object,
                                              const char  *name,
                                              const char  *json);
void          _vd_json_append_string         (GString     *out,
                                              const char  *value);
char         *_vd_json_object_end            (GString     *object);

/* Like vd_audit_event_new(), with the payload given as compact JSON text
 * of an object, taken over. */
VdAuditEvent *_vd_audit_event_new_take_json  (const char  *actor,
                                              const char  *event_type,
                                              const char  *queue,
                                              const char  *task_id,
                                              char        *payload_json);

G_END_DECLS
