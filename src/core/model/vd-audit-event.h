/* vd-audit-event.h
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

#include <json-glib/json-glib.h>

#include "vd-types.h"

G_BEGIN_DECLS

/* Event types written to the audit trail. */
#define VD_AUDIT_IMPORT        "import"       /* a queue file was imported (counts, file digest) */
#define VD_AUDIT_ENQUEUE       "enqueue"      /* an item (revision) was queued for a human */
#define VD_AUDIT_ENQUEUE_BATCH "enqueue_batch" /* items of an import were queued for a human */
#define VD_AUDIT_AUTO_APPROVE  "auto_approve" /* the policy approved an item */
#define VD_AUDIT_DECISION      "decision"     /* a reviewer decided an item */
#define VD_AUDIT_REVISION      "revision"     /* an item got a new revision */
#define VD_AUDIT_EXPORT        "export"       /* decisions or outputs were exported */
#define VD_AUDIT_RETRACTION    "retraction"   /* a reviewer took a decision back */
#define VD_AUDIT_SIGNING_STARTED "signing_started" /* events from here on are signed */

/* Actor of events that no human caused. */
#define VD_AUDIT_ACTOR_POLICY  "policy"
#define VD_AUDIT_ACTOR_SYSTEM  "system"

/* prev_hash of the first event: 64 zeros. */
#define VD_AUDIT_GENESIS_HASH "0000000000000000000000000000000000000000000000000000000000000000"

#define VD_TYPE_AUDIT_EVENT (vd_audit_event_get_type ())

G_DECLARE_FINAL_TYPE (VdAuditEvent, vd_audit_event, VD, AUDIT_EVENT, GObject)

/*
 * One entry of the append-only audit trail.
 *
 * hash = SHA-256 (prev_hash || canonical), lower-case hex, where canonical is
 * the compact JSON object with the keys in this order:
 *   {"seq":N,"timestamp":"...","actor":"...","event":"...","queue":"...",
 *    "task_id":"...","payload":PAYLOAD}
 * PAYLOAD is the payload's stored JSON text, byte for byte, so verification
 * never depends on how a JSON library prints numbers. Strings are escaped
 * as JSON requires (", \ and control characters; everything else verbatim).
 */

VdAuditEvent *vd_audit_event_new           (const char    *actor,
                                            const char    *event_type,
                                            const char    *queue,
                                            const char    *task_id,
                                            JsonObject    *payload);
VdAuditEvent *vd_audit_event_new_stored    (gint64         seq,
                                            const char    *timestamp,
                                            const char    *actor,
                                            const char    *event_type,
                                            const char    *queue,
                                            const char    *task_id,
                                            const char    *payload_json,
                                            const char    *prev_hash,
                                            const char    *hash);

gint64        vd_audit_event_get_seq          (VdAuditEvent *self);
const char   *vd_audit_event_get_timestamp    (VdAuditEvent *self);
const char   *vd_audit_event_get_actor        (VdAuditEvent *self);
const char   *vd_audit_event_get_event_type   (VdAuditEvent *self);
const char   *vd_audit_event_get_queue        (VdAuditEvent *self);
const char   *vd_audit_event_get_task_id      (VdAuditEvent *self);
const char   *vd_audit_event_get_payload_json (VdAuditEvent *self);
JsonObject   *vd_audit_event_dup_payload      (VdAuditEvent *self);
const char   *vd_audit_event_get_prev_hash    (VdAuditEvent *self);
const char   *vd_audit_event_get_hash         (VdAuditEvent *self);

/* The signature of the event (see vd-key.h, VD_AUDIT_SIGNATURE_PREFIX):
 * not part of the canonical text; %NULL for events written before
 * signing started. */
const char   *vd_audit_event_get_key_id       (VdAuditEvent *self);
const char   *vd_audit_event_get_signature    (VdAuditEvent *self);
void          vd_audit_event_set_signature    (VdAuditEvent *self,
                                               const char   *key_id,
                                               const char   *signature);

/* Sets seq, prev_hash and (when not yet set) the timestamp, then computes
 * the hash. Called by a store inside the transaction that appends. */
void          vd_audit_event_seal             (VdAuditEvent *self,
                                               gint64        seq,
                                               const char   *prev_hash);

char         *vd_audit_event_dup_canonical    (VdAuditEvent *self);
char         *vd_audit_event_compute_hash     (VdAuditEvent *self);

/**
 * VdAuditChain:
 *
 * Walks events in order of seq and tells the first that breaks the chain:
 * a gap or repeat in seq, a prev_hash that is not the previous hash, or a
 * hash that does not match the event's content. Backend-independent.
 */
typedef struct
{
  gint64  expected_seq;
  char    prev_hash[65];
  guint64 n_checked;
} VdAuditChain;

void     vd_audit_chain_init (VdAuditChain *chain);
gboolean vd_audit_chain_next (VdAuditChain *chain,
                              VdAuditEvent *event,
                              char        **problem);

char    *vd_sha256_hex       (const char   *data,
                              gssize        length);

G_END_DECLS
