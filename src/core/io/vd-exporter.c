/* vd-exporter.c
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

#define G_LOG_DOMAIN "vd-exporter"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "vd-atomic-file-private.h"
#include "vd-audit-event.h"
#include "vd-decision.h"
#include "vd-exporter.h"
#include "vd-format.h"
#include "vd-item.h"
#include "vd-jsonl-writer-private.h"
#include "vd-minisign.h"
#include "vd-revision.h"
#include "vd-signer.h"
#include "vd-timestamp.h"

/* Audit events read from the store at a time for the decisions' lines. */
#define EVENT_PAGE 256

/* Items fetched from the store at a time for the outputs export. */
#define ITEM_PAGE 500

struct _VdExporter
{
  GObject  parent_instance;

  VdStore *store;
  char    *reviewer_id;
};

G_DEFINE_FINAL_TYPE (VdExporter, vd_exporter, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STORE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
add_time (JsonBuilder *builder,
          const char  *name,
          GDateTime   *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    {
      g_autofree char *text = vd_timestamp_format (value);

      json_builder_add_string_value (builder, text);
    }
  else
    json_builder_add_null_value (builder);
}

static gboolean
write_header (VdJsonlWriter  *writer,
              VdExportKind    kind,
              gint64          head_seq,
              const char     *head_hash,
              VdKey          *signing_key,
              GError        **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GDateTime) now = vd_timestamp_now ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, kind == VD_EXPORT_DECISIONS ? "verdict_decisions"
                                                                     : "verdict_outputs");
  json_builder_add_int_value (builder, 1);
  add_time (builder, "exported_at", now);
  _vd_jsonl_add_string (builder, "app", "Verdict " PACKAGE_VERSION);
  json_builder_set_member_name (builder, "audit_head");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "seq");
  json_builder_add_int_value (builder, head_seq);
  _vd_jsonl_add_string (builder, "hash", head_hash);
  json_builder_end_object (builder);
  /* Only a file export has a FILE.minisig beside it. */
  if (signing_key != NULL)
    {
      json_builder_set_member_name (builder, "signed");
      json_builder_add_boolean_value (builder, TRUE);
      _vd_jsonl_add_string (builder, "signer", vd_key_get_owner (signing_key));
      _vd_jsonl_add_string (builder, "signer_key_id", vd_key_get_id (signing_key));
    }
  json_builder_end_object (builder);

  return _vd_jsonl_writer_add (writer, builder, error);
}

/* The content a decision was made on: the item's current output or, for a
 * decision on an older revision, that revision's output. */
typedef struct
{
  VdItem    *item;
  GPtrArray *revisions;   /* VdRevision, read when first needed */
} ItemEntry;

static void
item_entry_free (ItemEntry *entry)
{
  g_clear_object (&entry->item);
  g_clear_pointer (&entry->revisions, g_ptr_array_unref);
  g_free (entry);
}

static char *
item_key (const char *queue,
          const char *task_id)
{
  return g_strconcat (queue, "\x1f", task_id, NULL);
}

static const char *
content_at_revision (VdStore     *store,
                     ItemEntry   *entry,
                     int          revision,
                     GError     **error)
{
  if (vd_item_get_revision (entry->item) == revision)
    return vd_item_get_content (entry->item);

  if (entry->revisions == NULL)
    {
      entry->revisions = vd_store_list_revisions (store, vd_item_get_id (entry->item), error);
      if (entry->revisions == NULL)
        return NULL;
    }

  for (guint i = 0; i < entry->revisions->len; i++)
    {
      VdRevision *old = g_ptr_array_index (entry->revisions, i);

      if (vd_revision_get_revision (old) == revision)
        return vd_revision_get_content (old);
    }

  /* A revision the store no longer has: the current output is the best
   * there is. */
  return vd_item_get_content (entry->item);
}

/* The audit events of the decisions, read a page at a time: the decisions
 * come in the order of their events. */
typedef struct
{
  VdStore    *store;
  VdSigner   *signer;        /* (nullable) */
  GPtrArray  *page;          /* VdAuditEvent */
  GHashTable *public_keys;   /* key id -> minisign public key line, or "" */
} EventReader;

static void
event_reader_clear (EventReader *reader)
{
  g_clear_pointer (&reader->page, g_ptr_array_unref);
  g_clear_pointer (&reader->public_keys, g_hash_table_unref);
}

static VdAuditEvent *
find_in_page (GPtrArray *page,
              gint64     seq)
{
  VdAuditEvent *first;
  gint64 offset;

  if (page == NULL || page->len == 0)
    return NULL;

  first = g_ptr_array_index (page, 0);
  offset = seq - vd_audit_event_get_seq (first);
  if (offset < 0 || offset >= page->len)
    return NULL;

  first = g_ptr_array_index (page, offset);

  return vd_audit_event_get_seq (first) == seq ? first : NULL;
}

static VdAuditEvent *
event_reader_get (EventReader  *reader,
                  gint64        seq,
                  GError      **error)
{
  VdAuditEvent *event = find_in_page (reader->page, seq);

  if (event != NULL)
    return event;

  g_clear_pointer (&reader->page, g_ptr_array_unref);
  reader->page = vd_store_list_audit (reader->store, seq, EVENT_PAGE, error);
  if (reader->page == NULL)
    return NULL;

  event = find_in_page (reader->page, seq);
  if (event == NULL)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                 "audit event %" G_GINT64_FORMAT " of a decision is not in the store", seq);

  return event;
}

/* The public key line of @key_id, or NULL when the signer does not know
 * it. */
static const char *
event_reader_public_key (EventReader *reader,
                         const char  *key_id)
{
  g_autoptr(VdKey) key = NULL;
  const char *line;

  if (reader->signer == NULL)
    return NULL;

  line = g_hash_table_lookup (reader->public_keys, key_id);
  if (line != NULL)
    return line[0] != '\0' ? line : NULL;

  key = vd_signer_lookup_known (reader->signer, key_id);
  g_hash_table_insert (reader->public_keys, g_strdup (key_id),
                       key != NULL ? vd_key_format_public (key) : g_strdup (""));
  line = g_hash_table_lookup (reader->public_keys, key_id);

  return line[0] != '\0' ? line : NULL;
}

static void
add_audit (JsonBuilder *builder,
           VdDecision  *decision,
           VdAuditEvent *event,
           EventReader *reader)
{
  g_autofree char *canonical = vd_audit_event_dup_canonical (event);
  const char *key_id = vd_audit_event_get_key_id (event);
  const char *signature = vd_audit_event_get_signature (event);

  json_builder_set_member_name (builder, "audit");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "seq");
  json_builder_add_int_value (builder, vd_decision_get_audit_seq (decision));
  _vd_jsonl_add_string (builder, "hash", vd_decision_get_audit_hash (decision));
  _vd_jsonl_add_string (builder, "prev_hash", vd_decision_get_audit_prev_hash (decision));
  _vd_jsonl_add_string (builder, "canonical", canonical);
  /* Events from before signing started carry none of these. */
  if (key_id != NULL && signature != NULL)
    {
      const char *public_key = event_reader_public_key (reader, key_id);

      _vd_jsonl_add_string (builder, "key_id", key_id);
      _vd_jsonl_add_string (builder, "signature", signature);
      if (public_key != NULL)
        _vd_jsonl_add_string (builder, "public_key", public_key);
    }
  json_builder_end_object (builder);
}

static void
add_stamps (JsonBuilder *builder,
            VdDecision  *decision)
{
  const struct { const char *name; const char *value; } stamps[] = {
    { "policy_sha256", vd_decision_get_policy_sha256 (decision) },
    { "model", vd_decision_get_model (decision) },
    { "prompt_version", vd_decision_get_prompt_version (decision) },
    { "app_version", vd_decision_get_app_version (decision) },
  };

  /* Only when known, like the other optional keys. */
  for (guint i = 0; i < G_N_ELEMENTS (stamps); i++)
    if (stamps[i].value != NULL)
      _vd_jsonl_add_string (builder, stamps[i].name, stamps[i].value);
}

static gboolean
write_decisions (VdExporter     *self,
                 VdJsonlWriter  *writer,
                 GPtrArray      *decisions,
                 guint64        *n_records,
                 GError        **error)
{
  g_autoptr(GHashTable) items = NULL;
  EventReader reader = { self->store, vd_store_get_signer (self->store), NULL, NULL };
  gboolean ok = FALSE;

  items = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                 (GDestroyNotify) item_entry_free);
  reader.public_keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  for (guint i = 0; i < decisions->len; i++)
    {
      VdDecision *decision = g_ptr_array_index (decisions, i);
      g_autoptr(JsonBuilder) builder = NULL;
      g_autofree char *key = NULL;
      g_autofree char *final_output = NULL;
      VdAuditEvent *event;
      const char *content;
      ItemEntry *entry;

      if (g_cancellable_set_error_if_cancelled (writer->cancellable, error))
        goto out;

      event = event_reader_get (&reader, vd_decision_get_audit_seq (decision), error);
      if (event == NULL)
        goto out;

      key = item_key (vd_decision_get_queue (decision), vd_decision_get_task_id (decision));
      entry = g_hash_table_lookup (items, key);
      if (entry == NULL)
        {
          VdItem *item = vd_store_get_item (self->store, vd_decision_get_queue (decision),
                                            vd_decision_get_task_id (decision), error);

          if (item == NULL)
            goto out;

          entry = g_new0 (ItemEntry, 1);
          entry->item = item;
          g_hash_table_insert (items, g_steal_pointer (&key), entry);
        }

      content = content_at_revision (self->store, entry, vd_decision_get_revision (decision),
                                     error);
      if (content == NULL)
        goto out;
      final_output = vd_decision_compute_final_output (decision, content);

      builder = json_builder_new ();
      json_builder_begin_object (builder);
      _vd_jsonl_add_string (builder, "queue", vd_decision_get_queue (decision));
      _vd_jsonl_add_string (builder, "task_id", vd_decision_get_task_id (decision));
      _vd_jsonl_add_string (builder, "decision",
                            vd_decision_kind_to_string (vd_decision_get_kind (decision)));
      _vd_jsonl_add_string (builder, "feedback", vd_decision_get_feedback (decision));
      _vd_jsonl_add_string (builder, "modified_content",
                            vd_decision_get_modified_content (decision));
      _vd_jsonl_add_string (builder, "reviewer_id", vd_decision_get_reviewer_id (decision));
      json_builder_set_member_name (builder, "automatic");
      json_builder_add_boolean_value (builder, vd_decision_get_automatic (decision));
      add_time (builder, "timestamp", vd_decision_get_timestamp (decision));
      json_builder_set_member_name (builder, "revision");
      json_builder_add_int_value (builder, vd_decision_get_revision (decision));
      json_builder_set_member_name (builder, "duration_ms");
      json_builder_add_int_value (builder, vd_decision_get_duration_ms (decision));
      _vd_jsonl_add_string (builder, "final_output", final_output);
      /* Only on one of two reviews that did not decide the item on its
       * own, so that the lines of other decisions are as they always were. */
      if (!vd_decision_get_final (decision))
        {
          json_builder_set_member_name (builder, "final");
          json_builder_add_boolean_value (builder, FALSE);
        }
      /* Only on a retracted decision, so that the lines of decisions that
       * stand are as they always were. */
      if (vd_decision_get_retracted (decision))
        {
          json_builder_set_member_name (builder, "retracted");
          json_builder_add_boolean_value (builder, TRUE);
          json_builder_set_member_name (builder, "retraction_seq");
          json_builder_add_int_value (builder, vd_decision_get_retraction_seq (decision));
        }
      /* Likewise only when set: a decision of a bulk approve, and the
       * feedback loop's judgement. */
      if (vd_decision_get_bulk_id (decision) != 0)
        {
          json_builder_set_member_name (builder, "bulk_id");
          json_builder_add_int_value (builder, vd_decision_get_bulk_id (decision));
        }
      if (vd_decision_get_helpful (decision) != VD_HELPFUL_UNSET)
        {
          json_builder_set_member_name (builder, "helpful");
          json_builder_add_boolean_value (builder,
                                          vd_decision_get_helpful (decision) == VD_HELPFUL_YES);
        }
      if (vd_decision_get_category (decision) != NULL)
        _vd_jsonl_add_string (builder, "category", vd_decision_get_category (decision));
      add_stamps (builder, decision);
      add_audit (builder, decision, event, &reader);
      json_builder_end_object (builder);

      if (!_vd_jsonl_writer_add (writer, builder, error))
        goto out;

      (*n_records)++;
    }

  ok = TRUE;

out:
  event_reader_clear (&reader);

  return ok;
}

static gboolean
write_output_line (VdExporter     *self,
                   VdJsonlWriter  *writer,
                   VdItem         *item,
                   VdDecision     *decision,
                   GError        **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *final_output = NULL;

  if (decision != NULL)
    {
      ItemEntry entry = { item, NULL };
      const char *content;

      content = content_at_revision (self->store, &entry, vd_decision_get_revision (decision),
                                     error);
      if (content != NULL)
        final_output = vd_decision_compute_final_output (decision, content);
      g_clear_pointer (&entry.revisions, g_ptr_array_unref);

      if (content == NULL)
        return FALSE;
    }
  else
    {
      /* Decided without a recorded decision: nothing changed the output. */
      final_output = g_strdup (vd_item_get_status (item) == VD_TASK_STATUS_REJECTED
                               ? "" : vd_item_get_content (item));
    }

  json_builder_begin_object (builder);
  _vd_jsonl_add_string (builder, "queue", vd_item_get_queue (item));
  _vd_jsonl_add_string (builder, "task_id", vd_item_get_task_id (item));
  json_builder_set_member_name (builder, "revision");
  json_builder_add_int_value (builder, vd_item_get_revision (item));
  _vd_jsonl_add_string (builder, "status", vd_task_status_to_string (vd_item_get_status (item)));
  json_builder_set_member_name (builder, "decision");
  if (decision != NULL)
    json_builder_add_string_value (builder,
                                   vd_decision_kind_to_string (vd_decision_get_kind (decision)));
  else
    json_builder_add_null_value (builder);
  _vd_jsonl_add_string (builder, "final_output", final_output);
  json_builder_set_member_name (builder, "decided_by");
  if (decision != NULL)
    json_builder_add_string_value (builder, vd_decision_get_reviewer_id (decision));
  else
    json_builder_add_null_value (builder);
  add_time (builder, "decided_at", decision != NULL ? vd_decision_get_timestamp (decision) : NULL);
  json_builder_end_object (builder);

  return _vd_jsonl_writer_add (writer, builder, error);
}

static gboolean
write_outputs (VdExporter     *self,
               VdJsonlWriter  *writer,
               GPtrArray      *decisions,
               guint64        *n_records,
               GError        **error)
{
  VdItemQuery query = VD_ITEM_QUERY_INIT;
  g_autoptr(GHashTable) latest = NULL;
  g_autoptr(GArray) ids = NULL;

  /* The latest decision that stands of each item; the store lists them
   * oldest first. */
  latest = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < decisions->len; i++)
    {
      VdDecision *decision = g_ptr_array_index (decisions, i);

      /* A review that did not decide the item is not its decision. */
      if (vd_decision_get_retracted (decision) || !vd_decision_get_final (decision))
        continue;

      g_hash_table_replace (latest,
                            item_key (vd_decision_get_queue (decision),
                                      vd_decision_get_task_id (decision)),
                            decision);
    }

  query.statuses = VD_STATUS_MASK_DECIDED;
  query.sort = VD_SORT_ORDER_CREATED;
  ids = vd_store_list_ids (self->store, &query, error);
  if (ids == NULL)
    return FALSE;

  for (guint offset = 0; offset < ids->len; offset += ITEM_PAGE)
    {
      g_autoptr(GPtrArray) items = NULL;
      guint n = MIN (ITEM_PAGE, ids->len - offset);

      if (g_cancellable_set_error_if_cancelled (writer->cancellable, error))
        return FALSE;

      items = vd_store_get_items_by_id (self->store, &g_array_index (ids, gint64, offset), n,
                                        error);
      if (items == NULL)
        return FALSE;

      for (guint i = 0; i < items->len; i++)
        {
          VdItem *item = g_ptr_array_index (items, i);
          g_autofree char *key = item_key (vd_item_get_queue (item),
                                           vd_item_get_task_id (item));

          if (!write_output_line (self, writer, item, g_hash_table_lookup (latest, key), error))
            return FALSE;

          (*n_records)++;
        }
    }

  return TRUE;
}

/* Writes the header and the records, without auditing. */
static gboolean
write_export (VdExporter     *self,
              VdExportKind    kind,
              GOutputStream  *stream,
              VdKey          *signing_key,
              guint64        *n_records,
              gint64         *head_seq_out,
              char          **head_hash_out,
              GCancellable   *cancellable,
              GError        **error)
{
  g_autoptr(GPtrArray) decisions = NULL;
  g_autofree char *head_hash = NULL;
  gint64 head_seq = 0;
  VdJsonlWriter writer;
  gboolean ok;

  *n_records = 0;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  /* The header's head and the decisions from one snapshot: read apart, a
   * decision recorded in between would be exported under a head that
   * does not cover it (or the head would name one not exported). */
  decisions = vd_store_list_decisions_at_head (self->store, &head_seq, &head_hash, error);
  if (decisions == NULL)
    return FALSE;

  _vd_jsonl_writer_init (&writer, stream, cancellable);

  ok = write_header (&writer, kind, head_seq, head_hash, signing_key, error) &&
       (kind == VD_EXPORT_DECISIONS
        ? write_decisions (self, &writer, decisions, n_records, error)
        : write_outputs (self, &writer, decisions, n_records, error)) &&
       _vd_jsonl_writer_flush (&writer, error) &&
       g_output_stream_flush (stream, cancellable, error);

  _vd_jsonl_writer_clear (&writer);

  if (ok && head_seq_out != NULL)
    *head_seq_out = head_seq;
  if (ok && head_hash_out != NULL)
    *head_hash_out = g_steal_pointer (&head_hash);

  return ok;
}

static gboolean
audit_export_named (VdExporter    *self,
                    const char    *kind,
                    const char    *destination,
                    guint64        n_records,
                    const char    *signed_by,
                    GError       **error)
{
  g_autoptr(VdAuditEvent) event = NULL;
  g_autoptr(JsonObject) payload = json_object_new ();

  json_object_set_string_member (payload, "kind", kind);
  json_object_set_string_member (payload, "destination",
                                 destination != NULL ? destination : "stream");
  json_object_set_int_member (payload, "records", (gint64) n_records);
  if (signed_by != NULL)
    json_object_set_string_member (payload, "signed_by", signed_by);

  event = vd_audit_event_new (VD_AUDIT_ACTOR_SYSTEM, VD_AUDIT_EXPORT, NULL, NULL, payload);

  return vd_store_append_audit (self->store, event, error);
}

static gboolean
audit_export (VdExporter    *self,
              VdExportKind   kind,
              const char    *destination,
              guint64        n_records,
              const char    *signed_by,
              GError       **error)
{
  return audit_export_named (self, kind == VD_EXPORT_DECISIONS ? "decisions" : "outputs",
                             destination, n_records, signed_by, error);
}

/* The exporting reviewer's unlocked key, else the installation key. */
static VdKey *
dup_signing_key (VdExporter *self)
{
  VdSigner *signer = vd_store_get_signer (self->store);

  if (signer == NULL)
    return NULL;

  if (self->reviewer_id != NULL)
    return vd_signer_dup_key_for_actor (signer, self->reviewer_id);

  return g_object_ref (vd_signer_get_installation_key (signer));
}

/**
 * vd_export_format_trusted_comment:
 * @format: the export's format and version, e.g. `verdict-decisions v1`
 * @head_seq: the audit head the export covers
 * @head_hash: (nullable): its hash, or %NULL for an export without one
 * @lines: the lines after the header
 * @signer: the owner of the signing key
 *
 * Returns: (transfer full): the trusted comment of an export's signature,
 *   one line: `FORMAT head=SEQ:HASH lines=N signer=OWNER`
 */
char *
vd_export_format_trusted_comment (const char *format,
                                  gint64      head_seq,
                                  const char *head_hash,
                                  guint64     lines,
                                  const char *signer)
{
  GString *out = g_string_new (format);

  g_return_val_if_fail (format != NULL, NULL);
  g_return_val_if_fail (signer != NULL, NULL);

  if (head_hash != NULL)
    g_string_append_printf (out, " head=%" G_GINT64_FORMAT ":%s", head_seq, head_hash);
  g_string_append_printf (out, " lines=%" G_GUINT64_FORMAT " signer=", lines);
  /* The comment is one line: an owner name cannot break it. */
  for (const char *p = signer; *p != '\0'; p++)
    g_string_append_c (out, (guchar) *p < 0x20 || *p == 0x7f ? '?' : *p);

  return g_string_free (out, FALSE);
}

static gboolean
sign_file (VdKey         *key,
           GFile         *file,
           const char    *trusted_comment,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *name = g_file_get_parse_name (file);
  g_autoptr(GError) local_error = NULL;

  if (path == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("%s was written, but it is not a local file: it has no signature"), name);
      return FALSE;
    }

  if (!vd_minisign_write_signature (key, path, trusted_comment, cancellable, &local_error))
    {
      /* TRANSLATORS: the first %s is the export file, the second FILE.minisig */
      g_set_error (error, local_error->domain, local_error->code,
                   _("%s was written, but its signature %s.minisig could not be: %s"),
                   name, name, local_error->message);
      return FALSE;
    }

  return TRUE;
}

static void
vd_exporter_dispose (GObject *object)
{
  VdExporter *self = (VdExporter *)object;

  g_clear_object (&self->store);

  G_OBJECT_CLASS (vd_exporter_parent_class)->dispose (object);
}

static void
vd_exporter_finalize (GObject *object)
{
  VdExporter *self = (VdExporter *)object;

  g_free (self->reviewer_id);

  G_OBJECT_CLASS (vd_exporter_parent_class)->finalize (object);
}

static void
vd_exporter_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  VdExporter *self = VD_EXPORTER (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vd_exporter_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  VdExporter *self = VD_EXPORTER (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vd_exporter_class_init (VdExporterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = vd_exporter_dispose;
  object_class->finalize = vd_exporter_finalize;
  object_class->get_property = vd_exporter_get_property;
  object_class->set_property = vd_exporter_set_property;

  /**
   * VdExporter:store:
   *
   * The store whose decisions and outputs are exported.
   */
  properties[PROP_STORE] =
    g_param_spec_object ("store", "Store", "The store to export from",
                         VD_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
vd_exporter_init (VdExporter *self)
{
}

/**
 * vd_exporter_new:
 * @store: the store to export from
 *
 * Returns: (transfer full): a new exporter
 */
VdExporter *
vd_exporter_new (VdStore *store)
{
  g_return_val_if_fail (VD_IS_STORE (store), NULL);

  return g_object_new (VD_TYPE_EXPORTER, "store", store, NULL);
}

/**
 * vd_exporter_set_reviewer:
 * @self: an exporter
 * @reviewer_id: (nullable): who exports, or %NULL for nobody in particular
 *
 * Sets the reviewer whose key signs file exports: the reviewer's key when
 * it is unlocked in the store's signer, else the installation key (as
 * without a reviewer). Set it before an export, not during one.
 */
void
vd_exporter_set_reviewer (VdExporter *self,
                          const char *reviewer_id)
{
  g_return_if_fail (VD_IS_EXPORTER (self));

  g_free (self->reviewer_id);
  self->reviewer_id = g_strdup (reviewer_id);
}

/**
 * vd_exporter_sign_file:
 * @self: an exporter
 * @file: a local file written by an export
 * @format: its format and version for the trusted comment, e.g.
 *   `verdict-training v1`
 * @lines: the lines after its header
 * @key_id: (out) (optional) (transfer full): the id of the key that signed
 * @cancellable: (nullable): a cancellable
 * @error: return location for an error
 *
 * Writes `FILE.minisig` as vd_exporter_export_file() does for its own
 * exports (with no audit head in the trusted comment), for an export
 * written by something else, such as the training export.
 *
 * Returns: %TRUE on success
 */
gboolean
vd_exporter_sign_file (VdExporter    *self,
                       GFile         *file,
                       const char    *format,
                       guint64        lines,
                       char         **key_id,
                       GCancellable  *cancellable,
                       GError       **error)
{
  g_autoptr(VdKey) key = NULL;
  g_autofree char *comment = NULL;

  g_return_val_if_fail (VD_IS_EXPORTER (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (format != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  key = dup_signing_key (self);
  if (key == NULL)
    {
      g_set_error_literal (error, VD_KEY_ERROR, VD_KEY_ERROR_NOT_FOUND,
                           _("the store has no key to sign exports with"));
      return FALSE;
    }

  comment = vd_export_format_trusted_comment (format, 0, NULL, lines, vd_key_get_owner (key));
  if (!sign_file (key, file, comment, cancellable, error))
    return FALSE;

  if (key_id != NULL)
    *key_id = g_strdup (vd_key_get_id (key));

  return TRUE;
}

/**
 * vd_exporter_write:
 * @self: an exporter
 * @kind: what to export
 * @stream: where to write, e.g. standard output; left open
 * @destination: (nullable): how the audit trail names @stream, e.g. `-`
 * @n_records: (out) (optional): the number of lines after the header
 * @cancellable: (nullable): a cancellable
 * @error: return location for an error
 *
 * Writes an export (see docs/formats.md) to @stream and records it in the
 * audit trail. A failure can leave part of the export in @stream: use
 * vd_exporter_export_file() for files.
 *
 * Returns: %TRUE on success
 */
gboolean
vd_exporter_write (VdExporter     *self,
                   VdExportKind    kind,
                   GOutputStream  *stream,
                   const char     *destination,
                   guint64        *n_records,
                   GCancellable   *cancellable,
                   GError        **error)
{
  guint64 count = 0;

  g_return_val_if_fail (VD_IS_EXPORTER (self), FALSE);
  g_return_val_if_fail (kind == VD_EXPORT_DECISIONS || kind == VD_EXPORT_OUTPUTS, FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), FALSE);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!write_export (self, kind, stream, NULL, &count, NULL, NULL, cancellable, error) ||
      !audit_export (self, kind, destination, count, NULL, error))
    return FALSE;

  if (n_records != NULL)
    *n_records = count;

  return TRUE;
}

typedef struct
{
  VdExporter   *self;
  VdExportKind  kind;
  VdKey        *key;
  guint64       count;
  gint64        head_seq;
  char         *head_hash;
} FileExport;

static gboolean
write_file_export (GOutputStream  *stream,
                   gpointer        user_data,
                   GCancellable   *cancellable,
                   GError        **error)
{
  FileExport *export = user_data;

  g_clear_pointer (&export->head_hash, g_free);

  return write_export (export->self, export->kind, stream, export->key, &export->count,
                       &export->head_seq, &export->head_hash, cancellable, error);
}

/**
 * vd_exporter_export_file:
 * @self: an exporter
 * @kind: what to export
 * @file: the destination; replaced if it exists
 * @n_records: (out) (optional): the number of lines after the header
 * @cancellable: (nullable): a cancellable
 * @error: return location for an error
 *
 * Writes the export to a temporary file in the destination's folder and
 * renames it over @file only when complete, so that on any error @file is
 * left as it was. The export is recorded in the audit trail.
 *
 * Returns: %TRUE on success
 */
gboolean
vd_exporter_export_file (VdExporter    *self,
                         VdExportKind   kind,
                         GFile         *file,
                         guint64       *n_records,
                         GCancellable  *cancellable,
                         GError       **error)
{
  g_autofree char *destination = NULL;
  g_autofree char *comment = NULL;
  g_autoptr(VdKey) key = NULL;
  g_autoptr(GError) sign_error = NULL;
  FileExport export = { self, kind, NULL, 0, 0, NULL };
  gboolean ok;

  g_return_val_if_fail (VD_IS_EXPORTER (self), FALSE);
  g_return_val_if_fail (kind == VD_EXPORT_DECISIONS || kind == VD_EXPORT_OUTPUTS, FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  key = dup_signing_key (self);
  export.key = key;

  if (!_vd_atomic_file_write (file, write_file_export, &export, cancellable, error))
    {
      g_free (export.head_hash);
      return FALSE;
    }

  /* The export stands once renamed into place; a signature that cannot be
   * written is reported, and the export is audited all the same. */
  if (key == NULL)
    g_set_error_literal (&sign_error, VD_KEY_ERROR, VD_KEY_ERROR_NOT_FOUND,
                         _("the store has no key to sign exports with"));
  else
    {
      comment = vd_export_format_trusted_comment (kind == VD_EXPORT_DECISIONS
                                                  ? "verdict-decisions v1"
                                                  : "verdict-outputs v1",
                                                  export.head_seq, export.head_hash,
                                                  export.count, vd_key_get_owner (key));
      sign_file (key, file, comment, cancellable, &sign_error);
    }
  g_free (export.head_hash);

  destination = g_file_get_parse_name (file);
  ok = audit_export (self, kind, destination, export.count,
                     sign_error == NULL ? vd_key_get_id (key) : NULL, error);

  if (n_records != NULL)
    *n_records = export.count;

  if (ok && sign_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&sign_error));
      return FALSE;
    }

  return ok;
}

typedef struct
{
  VdExportKind kind;
  GFile       *file;
  guint64      n_records;
} ExportJob;

static void
export_job_free (ExportJob *job)
{
  g_clear_object (&job->file);
  g_free (job);
}

static void
export_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  VdExporter *self = source_object;
  ExportJob *job = task_data;
  GError *error = NULL;

  if (!vd_exporter_export_file (self, job->kind, job->file, &job->n_records,
                                cancellable, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * vd_exporter_export_file_async:
 * @self: an exporter
 * @kind: what to export
 * @file: the destination
 * @cancellable: (nullable): a cancellable
 * @callback: called when the export is done
 * @user_data: data for @callback
 *
 * Does what vd_exporter_export_file() does on a worker thread.
 */
void
vd_exporter_export_file_async (VdExporter          *self,
                               VdExportKind         kind,
                               GFile               *file,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ExportJob *job;

  g_return_if_fail (VD_IS_EXPORTER (self));
  g_return_if_fail (kind == VD_EXPORT_DECISIONS || kind == VD_EXPORT_OUTPUTS);
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  job = g_new0 (ExportJob, 1);
  job->kind = kind;
  job->file = g_object_ref (file);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vd_exporter_export_file_async);
  g_task_set_task_data (task, job, (GDestroyNotify) export_job_free);
  g_task_run_in_thread (task, export_thread);
}

/**
 * vd_exporter_export_file_finish:
 * @self: an exporter
 * @result: the #GAsyncResult given to the callback
 * @n_records: (out) (optional): the number of lines after the header
 * @error: return location for an error
 *
 * Returns: %TRUE on success
 */
gboolean
vd_exporter_export_file_finish (VdExporter    *self,
                                GAsyncResult  *result,
                                guint64       *n_records,
                                GError       **error)
{
  ExportJob *job;

  g_return_val_if_fail (VD_IS_EXPORTER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        vd_exporter_export_file_async, FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;

  job = g_task_get_task_data (G_TASK (result));
  if (n_records != NULL)
    *n_records = job->n_records;

  return TRUE;
}

/* Other tools' formats */

typedef struct
{
  VdExporter          *self;
  const VdFormatClass *klass;
  const char          *queue;
  VdFormatSummary      summary;
  gint64               head_seq;
  char                *head_hash;
} FormatExport;

static int
compare_ids (gconstpointer a,
             gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

/* The entries to answer, in store order: the items of the format (for csv
 * every decided item), each with the last decision that stands on its
 * current revision. */
static GPtrArray *
collect_entries (FormatExport  *export,
                 GPtrArray     *decisions,
                 GPtrArray     *keep,
                 GCancellable  *cancellable,
                 GError       **error)
{
  VdItemQuery query = VD_ITEM_QUERY_INIT;
  g_autoptr(GHashTable) latest = NULL;
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) ids = NULL;
  gboolean csv = g_str_equal (export->klass->name, "csv");

  latest = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < decisions->len; i++)
    {
      VdDecision *decision = g_ptr_array_index (decisions, i);

      /* A review that did not decide the item is not its decision. */
      if (vd_decision_get_retracted (decision) || !vd_decision_get_final (decision))
        continue;
      g_hash_table_replace (latest,
                            item_key (vd_decision_get_queue (decision),
                                      vd_decision_get_task_id (decision)),
                            decision);
    }

  query.queue = export->queue;
  if (csv)
    query.statuses = VD_STATUS_MASK_DECIDED;
  ids = vd_store_list_ids (export->self->store, &query, error);
  if (ids == NULL)
    return NULL;
  g_array_sort (ids, compare_ids);

  for (guint offset = 0; offset < ids->len; offset += ITEM_PAGE)
    {
      g_autoptr(GPtrArray) items = NULL;
      guint n = MIN (ITEM_PAGE, ids->len - offset);

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;

      items = vd_store_get_items_by_id (export->self->store,
                                        &g_array_index (ids, gint64, offset), n, error);
      if (items == NULL)
        return NULL;

      for (guint i = 0; i < items->len; i++)
        {
          VdItem *item = g_ptr_array_index (items, i);
          g_autofree char *key = NULL;
          VdDecision *decision;
          VdFormatEntry *entry;

          if (!csv && g_strcmp0 (vd_item_get_source_format (item), export->klass->name) != 0)
            continue;

          key = item_key (vd_item_get_queue (item), vd_item_get_task_id (item));
          decision = g_hash_table_lookup (latest, key);
          if (decision != NULL && vd_decision_get_revision (decision) != vd_item_get_revision (item))
            decision = NULL;

          entry = g_new0 (VdFormatEntry, 1);
          entry->item = g_object_ref (item);
          entry->decision = decision != NULL ? g_object_ref (decision) : NULL;
          g_ptr_array_add (keep, entry->item);
          if (entry->decision != NULL)
            g_ptr_array_add (keep, entry->decision);
          g_ptr_array_add (entries, entry);
        }
    }

  return g_steal_pointer (&entries);
}

static gboolean
write_format_export (GOutputStream  *stream,
                     gpointer        user_data,
                     GCancellable   *cancellable,
                     GError        **error)
{
  FormatExport *export = user_data;
  g_autoptr(GPtrArray) decisions = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func (g_object_unref);

  memset (&export->summary, 0, sizeof export->summary);
  g_clear_pointer (&export->head_hash, g_free);

  /* The head and the decisions from one snapshot, as for the decisions
   * export. */
  decisions = vd_store_list_decisions_at_head (export->self->store, &export->head_seq,
                                               &export->head_hash, error);
  if (decisions == NULL)
    return FALSE;

  entries = collect_entries (export, decisions, keep, cancellable, error);
  if (entries == NULL)
    return FALSE;

  return export->klass->write (entries, stream, &export->summary, cancellable, error) &&
         g_output_stream_flush (stream, cancellable, error);
}

/**
 * vd_exporter_export_format_file:
 * @self: an exporter
 * @format: a format's wire name that is written: `langgraph`,
 *   `label-studio`, `argilla`, `prodigy` or `csv`
 * @queue: (nullable): only this queue's items, or %NULL for all
 * @file: the destination; replaced if it exists
 * @summary: (out) (optional): what was written and what held back
 * @cancellable: (nullable): a cancellable
 * @error: return location for an error
 *
 * Answers another tool: the items of @format (for `csv`, every decided
 * item) with their final decision, in store order, written by the
 * format's writer. Undecided and escalated items are held back. Written
 * atomically, signed (`FILE.minisig`, trusted comment
 * `verdict-FORMAT v1 head=SEQ:HASH lines=N signer=OWNER`, N the records
 * written) and audited like the other exports.
 *
 * Returns: %TRUE on success
 */
gboolean
vd_exporter_export_format_file (VdExporter       *self,
                                const char       *format,
                                const char       *queue,
                                GFile            *file,
                                VdFormatSummary  *summary,
                                GCancellable     *cancellable,
                                GError          **error)
{
  g_autofree char *destination = NULL;
  g_autofree char *comment = NULL;
  g_autofree char *version = NULL;
  g_autofree char *kind = NULL;
  g_autoptr(VdKey) key = NULL;
  g_autoptr(GError) sign_error = NULL;
  FormatExport export = { self, NULL, queue, { 0 }, 0, NULL };
  gboolean ok;

  g_return_val_if_fail (VD_IS_EXPORTER (self), FALSE);
  g_return_val_if_fail (format != NULL, FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  export.klass = vd_format_lookup (format);
  if (export.klass == NULL || export.klass->write == NULL)
    {
      g_autofree char *names = vd_format_list_names (FALSE);

      g_set_error (error, VD_FORMAT_ERROR, VD_FORMAT_ERROR_UNKNOWN_FORMAT,
                   _("There is no format “%s” to export to; the formats are %s"),
                   format, names);
      return FALSE;
    }

  key = dup_signing_key (self);

  if (!_vd_atomic_file_write (file, write_format_export, &export, cancellable, error))
    {
      g_free (export.head_hash);
      return FALSE;
    }

  if (key == NULL)
    g_set_error_literal (&sign_error, VD_KEY_ERROR, VD_KEY_ERROR_NOT_FOUND,
                         _("the store has no key to sign exports with"));
  else
    {
      version = g_strdup_printf ("verdict-%s v1", export.klass->name);
      comment = vd_export_format_trusted_comment (version, export.head_seq, export.head_hash,
                                                  export.summary.written,
                                                  vd_key_get_owner (key));
      sign_file (key, file, comment, cancellable, &sign_error);
    }
  g_free (export.head_hash);

  destination = g_file_get_parse_name (file);
  kind = g_strdup (export.klass->name);
  ok = audit_export_named (self, kind, destination, export.summary.written,
                           sign_error == NULL ? vd_key_get_id (key) : NULL, error);

  if (summary != NULL)
    *summary = export.summary;

  if (ok && sign_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&sign_error));
      return FALSE;
    }

  return ok;
}

typedef struct
{
  char            *format;
  char            *queue;
  GFile           *file;
  VdFormatSummary  summary;
} FormatExportJob;

static void
format_export_job_free (FormatExportJob *job)
{
  g_free (job->format);
  g_free (job->queue);
  g_clear_object (&job->file);
  g_free (job);
}

static void
format_export_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  VdExporter *self = source_object;
  FormatExportJob *job = task_data;
  GError *error = NULL;

  if (!vd_exporter_export_format_file (self, job->format, job->queue, job->file, &job->summary,
                                       cancellable, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * vd_exporter_export_format_file_async:
 * @self: an exporter
 * @format: a format's wire name that is written
 * @queue: (nullable): only this queue's items, or %NULL for all
 * @file: the destination
 * @cancellable: (nullable): a cancellable
 * @callback: called when the export is done
 * @user_data: data for @callback
 *
 * Does what vd_exporter_export_format_file() does on a worker thread.
 */
void
vd_exporter_export_format_file_async (VdExporter          *self,
                                      const char          *format,
                                      const char          *queue,
                                      GFile               *file,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  FormatExportJob *job;

  g_return_if_fail (VD_IS_EXPORTER (self));
  g_return_if_fail (format != NULL);
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  job = g_new0 (FormatExportJob, 1);
  job->format = g_strdup (format);
  job->queue = g_strdup (queue);
  job->file = g_object_ref (file);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vd_exporter_export_format_file_async);
  g_task_set_task_data (task, job, (GDestroyNotify) format_export_job_free);
  g_task_run_in_thread (task, format_export_thread);
}

/**
 * vd_exporter_export_format_file_finish:
 * @self: an exporter
 * @result: the #GAsyncResult given to the callback
 * @summary: (out) (optional): what was written and what held back
 * @error: return location for an error
 *
 * Returns: %TRUE on success
 */
gboolean
vd_exporter_export_format_file_finish (VdExporter       *self,
                                       GAsyncResult     *result,
                                       VdFormatSummary  *summary,
                                       GError          **error)
{
  FormatExportJob *job;

  g_return_val_if_fail (VD_IS_EXPORTER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        vd_exporter_export_format_file_async, FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;

  job = g_task_get_task_data (G_TASK (result));
  if (summary != NULL)
    *summary = job->summary;

  return TRUE;
}
