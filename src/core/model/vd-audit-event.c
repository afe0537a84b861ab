/* vd-audit-event.c
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

#define G_LOG_DOMAIN "vd-audit-event"

#include "config.h"

#include <math.h>
#include <string.h>

#include "vd-audit-event-private.h"
#include "vd-json-text.h"
#include "vd-timestamp.h"

struct _VdAuditEvent
{
  GObject  parent_instance;

  gint64   seq;
  char    *timestamp;
  char    *actor;
  char    *event_type;
  char    *queue;
  char    *task_id;
  char    *payload_json;
  char    *prev_hash;
  char    *hash;
  char    *key_id;      /* NULL when unsigned */
  char    *signature;   /* base64, NULL when unsigned */
};

G_DEFINE_FINAL_TYPE (VdAuditEvent, vd_audit_event, G_TYPE_OBJECT)

static void
vd_audit_event_finalize (GObject *object)
{
  VdAuditEvent *self = (VdAuditEvent *)object;

  g_clear_pointer (&self->timestamp, g_free);
  g_clear_pointer (&self->actor, g_free);
  g_clear_pointer (&self->event_type, g_free);
  g_clear_pointer (&self->queue, g_free);
  g_clear_pointer (&self->task_id, g_free);
  g_clear_pointer (&self->payload_json, g_free);
  g_clear_pointer (&self->prev_hash, g_free);
  g_clear_pointer (&self->hash, g_free);
  g_clear_pointer (&self->key_id, g_free);
  g_clear_pointer (&self->signature, g_free);

  G_OBJECT_CLASS (vd_audit_event_parent_class)->finalize (object);
}

static void
vd_audit_event_class_init (VdAuditEventClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = vd_audit_event_finalize;
}

static void
vd_audit_event_init (VdAuditEvent *self)
{
}

/* Strings of the canonical text (and of the payloads in it) as JSON: the
 * hash chain covers them, so their escaping must stay as it is. */
static void
append_hashed_string (GString    *out,
                      const char *text)
{
  vd_json_append_string (out, text, -1, VD_JSON_TEXT_DEFAULT);
}

/**
 * vd_audit_event_new:
 * @actor: who caused the event: a reviewer id, `policy` or `system`
 * @event_type: one of the `VD_AUDIT_*` event types
 * @queue: (nullable): the queue concerned, %NULL for none
 * @task_id: (nullable): the task concerned, %NULL for none
 * @payload: (nullable): details of the event; %NULL for an empty object
 *
 * Creates an event that is not yet part of a trail: a store seals it with
 * vd_audit_event_seal() when appending it. The payload is serialized now,
 * compactly; that text is what the hash covers.
 *
 * Returns: (transfer full): a new event
 */
VdAuditEvent *
vd_audit_event_new (const char *actor,
                    const char *event_type,
                    const char *queue,
                    const char *task_id,
                    JsonObject *payload)
{
  VdAuditEvent *self;

  g_return_val_if_fail (actor != NULL, NULL);
  g_return_val_if_fail (event_type != NULL, NULL);

  self = g_object_new (VD_TYPE_AUDIT_EVENT, NULL);
  self->actor = g_strdup (actor);
  self->event_type = g_strdup (event_type);
  self->queue = g_strdup (queue != NULL ? queue : "");
  self->task_id = g_strdup (task_id != NULL ? task_id : "");

  if (payload != NULL)
    {
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

      json_node_set_object (node, payload);
      self->payload_json = json_to_string (node, FALSE);
    }
  else
    {
      self->payload_json = g_strdup ("{}");
    }

  return self;
}

/* Internal: the payload is compact JSON object text, taken over. */
VdAuditEvent *
_vd_audit_event_new_take_json (const char *actor,
                               const char *event_type,
                               const char *queue,
                               const char *task_id,
                               char       *payload_json)
{
  VdAuditEvent *self;

  g_assert (actor != NULL);
  g_assert (event_type != NULL);
  g_assert (payload_json != NULL);

  self = g_object_new (VD_TYPE_AUDIT_EVENT, NULL);
  self->actor = g_strdup (actor);
  self->event_type = g_strdup (event_type);
  self->queue = g_strdup (queue != NULL ? queue : "");
  self->task_id = g_strdup (task_id != NULL ? task_id : "");
  self->payload_json = payload_json;

  return self;
}

GString *
_vd_json_object_begin (void)
{
  return g_string_new ("{");
}

static void
add_member_name (GString    *object,
                 const char *name)
{
  if (object->str[object->len - 1] != '{')
    g_string_append_c (object, ',');
  append_hashed_string (object, name);
  g_string_append_c (object, ':');
}

void
_vd_json_object_add_string (GString    *object,
                            const char *name,
                            const char *value)
{
  add_member_name (object, name);
  append_hashed_string (object, value != NULL ? value : "");
}

void
_vd_json_object_add_int (GString    *object,
                         const char *name,
                         gint64      value)
{
  add_member_name (object, name);
  g_string_append_printf (object, "%" G_GINT64_FORMAT, value);
}

void
_vd_json_object_add_double (GString    *object,
                            const char *name,
                            double      value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  add_member_name (object, name);

  if (!isfinite (value))
    {
      /* JSON has no NaN or infinity. */
      g_string_append (object, "null");
      return;
    }

  /* The shortest precision that reads back exactly. */
  for (int precision = 15; precision <= 17; precision++)
    {
      char format[8];

      g_snprintf (format, sizeof format, "%%.%dg", precision);
      g_ascii_formatd (buffer, sizeof buffer, format, value);
      if (g_ascii_strtod (buffer, NULL) == value)
        break;
    }

  g_string_append (object, buffer);
}

/* Adds a member whose value is JSON text written by the caller, e.g. an
 * array built with _vd_json_append_string(). */
void
_vd_json_object_add_raw (GString    *object,
                         const char *name,
                         const char *json)
{
  add_member_name (object, name);
  g_string_append (object, json);
}

void
_vd_json_append_string (GString    *out,
                        const char *value)
{
  append_hashed_string (out, value != NULL ? value : "");
}

char *
_vd_json_object_end (GString *object)
{
  g_string_append_c (object, '}');

  return g_string_free (object, FALSE);
}

/**
 * vd_audit_event_new_stored:
 * @seq: the sequence number
 * @timestamp: the time as stored (RFC 3339)
 * @actor: who caused the event
 * @event_type: the event type
 * @queue: (nullable): the queue, %NULL or empty for none
 * @task_id: (nullable): the task id, %NULL or empty for none
 * @payload_json: the payload's JSON text, exactly as stored
 * @prev_hash: the hash of the previous event, as stored
 * @hash: the hash of this event, as stored
 *
 * Rebuilds an event read back from a store. Nothing is checked here: that
 * is what #VdAuditChain is for.
 *
 * Returns: (transfer full): a new event
 */
VdAuditEvent *
vd_audit_event_new_stored (gint64      seq,
                           const char *timestamp,
                           const char *actor,
                           const char *event_type,
                           const char *queue,
                           const char *task_id,
                           const char *payload_json,
                           const char *prev_hash,
                           const char *hash)
{
  VdAuditEvent *self = g_object_new (VD_TYPE_AUDIT_EVENT, NULL);

  self->seq = seq;
  self->timestamp = g_strdup (timestamp != NULL ? timestamp : "");
  self->actor = g_strdup (actor != NULL ? actor : "");
  self->event_type = g_strdup (event_type != NULL ? event_type : "");
  self->queue = g_strdup (queue != NULL ? queue : "");
  self->task_id = g_strdup (task_id != NULL ? task_id : "");
  self->payload_json = g_strdup (payload_json != NULL ? payload_json : "");
  self->prev_hash = g_strdup (prev_hash != NULL ? prev_hash : "");
  self->hash = g_strdup (hash != NULL ? hash : "");

  return self;
}

/**
 * vd_audit_event_get_seq:
 * @self: an event
 *
 * Returns: the sequence number, starting at 1; 0 until sealed
 */
gint64
vd_audit_event_get_seq (VdAuditEvent *self)
{
  g_return_val_if_fail (VD_IS_AUDIT_EVENT (self), 0);

  return self->seq;
}

/**
 * vd_audit_event_get_timestamp:
 * @self: an event
 *
 * Returns: (nullable): the time in UTC as RFC 3339 text; %NULL until sealed
 */
const char *
vd_audit_event_get_timestamp (VdAuditEvent *self)
{
  g_return_val_if_fail (VD_IS_AUDIT_EVENT (self), NULL);

  return self->timestamp;
}

/**
 * vd_audit_event_get_actor:
 * @self: an event
 *
 * Returns: the actor: a reviewer id, `policy` or `system`
 */
const char *
vd_audit_event_get_actor (VdAuditEvent *self)
{
  g_return_val_if_fail (VD_IS_AUDIT_EVENT (self), NULL);

  return self->actor;
}

/**
 * vd_audit_event_get_event_type:
 * @self: an event
 *
 * Returns: the event type, e.g. `decision`
 */
const char *
vd_audit_event_get_event_type (VdAuditEvent *self)
{
  g_return_val_if_fail (VD_IS_AUDIT_EVENT (self), NULL);

  return self->event_type;
}

/**
 * vd_audit_event_get_queue:
 * @self: an event
 *
 * Returns: the queue, empty when the event concerns none
 */
const char *
vd_audit_event_get_queue (VdAuditEvent *self)
{
  g_return_val_if_fail (VD_IS_AUDIT_EVENT (self), NULL);

  return self->queue;
}

/**
 * vd_audit_event_get_task_id:
 * @self: an event
 *
 * Returns: the task id, empty when the event concerns no single task
 */
const char *
vd_audit_event_get_task_id (VdAuditEvent *self)
{
  g_return_val_if_fail (VD_IS_AUDIT_EVENT (self), NULL);

  return self->task_id;
}

/**
 * vd_audit_event_get_payload_json:
 * @self: an event
 *
 * Returns: the payload as the compact JSON text the hash covers
 */
const char *
vd_audit_event_get_payload_json (VdAuditEvent *self)
{
  g_return_val_if_fail (VD_IS_AUDIT_EVENT (self), NULL);

  return self->payload_json;
}

/**
 * vd_audit_event_dup_payload:
 * @self: an event
 *
 * Returns: (transfer full) (nullable): the payload parsed, or %NULL if the
 *   stored text is not a JSON object
 */
JsonObject *
vd_audit_event_dup_payload (VdAuditEvent *self)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonNode *root;

  g_return_val_if_fail (VD_IS_AUDIT_EVENT (self), NULL);

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, self->payload_json, -1, NULL))
    return NULL;

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;

  return json_object_ref (json_node_get_object (root));
}

/**
 * vd_audit_event_get_prev_hash:
 * @self: an event
 *
 * Returns: (nullable): the hash of the previous event (64 zeros for the
 *   first); %NULL until sealed
 */
const char *
vd_audit_event_get_prev_hash (VdAuditEvent *self)
{
  g_return_val_if_fail (VD_IS_AUDIT_EVENT (self), NULL);

  return self->prev_hash;
}

/**
 * vd_audit_event_get_hash:
 * @self: an event
 *
 * Returns: (nullable): SHA-256 (prev_hash || canonical) in lower-case hex;
 *   %NULL until sealed
 */
const char *
vd_audit_event_get_hash (VdAuditEvent *self)
{
  g_return_val_if_fail (VD_IS_AUDIT_EVENT (self), NULL);

  return self->hash;
}

/**
 * vd_audit_event_get_key_id:
 * @self: an event
 *
 * Returns: (nullable): the id of the key that signed the event (16
 *   upper-case hex digits), or %NULL when it is unsigned
 */
const char *
vd_audit_event_get_key_id (VdAuditEvent *self)
{
  g_return_val_if_fail (VD_IS_AUDIT_EVENT (self), NULL);

  return self->key_id;
}

/**
 * vd_audit_event_get_signature:
 * @self: an event
 *
 * Returns: (nullable): the Ed25519 signature over
 *   `VD_AUDIT_SIGNATURE_PREFIX || hash`, in base64, or %NULL when the
 *   event is unsigned
 */
const char *
vd_audit_event_get_signature (VdAuditEvent *self)
{
  g_return_val_if_fail (VD_IS_AUDIT_EVENT (self), NULL);

  return self->signature;
}

/**
 * vd_audit_event_set_signature:
 * @self: an event
 * @key_id: (nullable): the signing key's id; %NULL or "" for none
 * @signature: (nullable): the signature in base64; %NULL or "" for none
 *
 * Records who signed the event. Neither is part of the canonical text:
 * the signature covers the hash, so the hash is the same signed or not.
 */
void
vd_audit_event_set_signature (VdAuditEvent *self,
                              const char   *key_id,
                              const char   *signature)
{
  g_return_if_fail (VD_IS_AUDIT_EVENT (self));

  g_free (self->key_id);
  self->key_id = key_id != NULL && key_id[0] != '\0' ? g_strdup (key_id) : NULL;
  g_free (self->signature);
  self->signature = signature != NULL && signature[0] != '\0' ? g_strdup (signature) : NULL;
}

/**
 * vd_audit_event_seal:
 * @self: an event
 * @seq: its sequence number in the trail
 * @prev_hash: the hash of the event before it, or %VD_AUDIT_GENESIS_HASH
 *
 * Gives the event its place in the trail: sets @seq, @prev_hash and, when
 * not yet set, the timestamp (now), then computes the hash. A store calls
 * this inside the transaction that appends the event.
 */
void
vd_audit_event_seal (VdAuditEvent *self,
                     gint64        seq,
                     const char   *prev_hash)
{
  g_return_if_fail (VD_IS_AUDIT_EVENT (self));
  g_return_if_fail (seq > 0);
  g_return_if_fail (prev_hash != NULL);

  self->seq = seq;
  g_free (self->prev_hash);
  self->prev_hash = g_strdup (prev_hash);

  if (self->timestamp == NULL || self->timestamp[0] == '\0')
    {
      g_autoptr(GDateTime) now = vd_timestamp_now ();

      g_free (self->timestamp);
      self->timestamp = vd_timestamp_format (now);
    }

  g_free (self->hash);
  self->hash = vd_audit_event_compute_hash (self);
}

static void
append_canonical (VdAuditEvent *self,
                  GString      *out)
{
  g_string_append_printf (out, "{\"seq\":%" G_GINT64_FORMAT ",\"timestamp\":", self->seq);
  append_hashed_string (out, self->timestamp != NULL ? self->timestamp : "");
  g_string_append (out, ",\"actor\":");
  append_hashed_string (out, self->actor);
  g_string_append (out, ",\"event\":");
  append_hashed_string (out, self->event_type);
  g_string_append (out, ",\"queue\":");
  append_hashed_string (out, self->queue);
  g_string_append (out, ",\"task_id\":");
  append_hashed_string (out, self->task_id);
  g_string_append (out, ",\"payload\":");
  g_string_append (out, self->payload_json);
  g_string_append_c (out, '}');
}

/**
 * vd_audit_event_dup_canonical:
 * @self: an event
 *
 * Returns: (transfer full): the canonical text of the event that its hash
 *   covers (see the description in vd-audit-event.h)
 */
char *
vd_audit_event_dup_canonical (VdAuditEvent *self)
{
  GString *out;

  g_return_val_if_fail (VD_IS_AUDIT_EVENT (self), NULL);

  out = g_string_sized_new (256 + strlen (self->payload_json));
  append_canonical (self, out);

  return g_string_free (out, FALSE);
}

/**
 * vd_audit_event_compute_hash:
 * @self: an event
 *
 * Computes what the event's hash must be from its content and prev_hash;
 * the stored hash is not consulted.
 *
 * Returns: (transfer full): SHA-256 (prev_hash || canonical) in lower-case hex
 */
char *
vd_audit_event_compute_hash (VdAuditEvent *self)
{
  g_autoptr(GString) data = NULL;
  const char *prev;

  g_return_val_if_fail (VD_IS_AUDIT_EVENT (self), NULL);

  prev = self->prev_hash != NULL ? self->prev_hash : "";
  data = g_string_sized_new (320 + strlen (self->payload_json));
  g_string_append (data, prev);
  append_canonical (self, data);

  return vd_sha256_hex (data->str, data->len);
}

/**
 * vd_audit_chain_init:
 * @chain: a chain to initialize
 *
 * Prepares @chain to check a trail from its first event (seq 1, whose
 * prev_hash is %VD_AUDIT_GENESIS_HASH).
 */
void
vd_audit_chain_init (VdAuditChain *chain)
{
  g_return_if_fail (chain != NULL);

  chain->expected_seq = 1;
  g_strlcpy (chain->prev_hash, VD_AUDIT_GENESIS_HASH, sizeof chain->prev_hash);
  chain->n_checked = 0;
}

/**
 * vd_audit_chain_next:
 * @chain: a chain
 * @event: the next event in order of seq
 * @problem: (out) (optional) (transfer full): on failure, a sentence naming
 *   the bad sequence number and what is wrong with it
 *
 * Checks one event against the chain so far. On failure the chain does not
 * advance and `chain->expected_seq` is the first bad sequence number: a
 * missing event when seq jumps, otherwise @event's own.
 *
 * Returns: %TRUE if @event continues the chain
 */
gboolean
vd_audit_chain_next (VdAuditChain  *chain,
                     VdAuditEvent  *event,
                     char         **problem)
{
  g_autofree char *computed = NULL;
  char *message = NULL;

  g_return_val_if_fail (chain != NULL, FALSE);
  g_return_val_if_fail (VD_IS_AUDIT_EVENT (event), FALSE);

  if (event->seq > chain->expected_seq)
    message = g_strdup_printf ("audit event %" G_GINT64_FORMAT " is missing "
                               "(the trail jumps from %" G_GINT64_FORMAT
                               " to %" G_GINT64_FORMAT ")",
                               chain->expected_seq,
                               chain->expected_seq - 1,
                               event->seq);
  else if (event->seq < chain->expected_seq)
    message = g_strdup_printf ("audit event %" G_GINT64_FORMAT ": found out of order "
                               "(event %" G_GINT64_FORMAT " was expected)",
                               event->seq, chain->expected_seq);
  else if (event->prev_hash == NULL || strcmp (event->prev_hash, chain->prev_hash) != 0)
    message = event->seq == 1 ?
      g_strdup ("audit event 1: prev_hash is not the genesis hash") :
      g_strdup_printf ("audit event %" G_GINT64_FORMAT ": prev_hash does not match the hash "
                       "of event %" G_GINT64_FORMAT, event->seq, event->seq - 1);
  else if (event->hash == NULL ||
           strcmp (event->hash, (computed = vd_audit_event_compute_hash (event))) != 0)
    message = g_strdup_printf ("audit event %" G_GINT64_FORMAT ": hash does not match its "
                               "content", event->seq);

  if (message != NULL)
    {
      if (problem != NULL)
        *problem = message;
      else
        g_free (message);
      return FALSE;
    }

  chain->expected_seq++;
  g_strlcpy (chain->prev_hash, event->hash, sizeof chain->prev_hash);
  chain->n_checked++;

  return TRUE;
}

/**
 * vd_sha256_hex:
 * @data: bytes to hash
 * @length: their length, or -1 for a nul-terminated string
 *
 * Returns: (transfer full): the SHA-256 digest of @data in lower-case hex
 */
char *
vd_sha256_hex (const char *data,
               gssize      length)
{
  g_return_val_if_fail (data != NULL || length == 0, NULL);

  if (length < 0)
    length = strlen (data);

  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *)(data != NULL ? data : ""),
                                      (gsize)length);
}
