/* vd-export-verify.c: checking a signed export offline
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

#define G_LOG_DOMAIN "vd-export-verify"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "vd-audit-event.h"
#include "vd-export-verify.h"
#include "vd-json-guard.h"
#include "vd-key.h"
#include "vd-minisign.h"

/* The longest line read; a decision line holds an output and its
 * modification twice over (fields and canonical text). */
#define MAX_LINE_BYTES (64 * 1024 * 1024)

/* Audit events read from a store at a time. */
#define EVENT_PAGE 256

G_DEFINE_QUARK (vd-export-verify-error-quark, vd_export_verify_error)

typedef struct
{
  const char     *name;         /* the export's display name */
  GPtrArray      *keys;
  VdRoster       *roster;       /* (nullable) */
  VdExportReport *report;
  GHashTable     *line_keys;    /* key id -> VdKey: the keys lines carry */
  GHashTable     *human_keys;   /* key ids that signed reviewers' events */
  GHashTable     *escalated;    /* "queue\x1ftask" of items escalated further */
  gboolean        have_last;
  gint64          last_seq;
  char            last_hash[65];
} Check;

static void
check_clear (Check *check)
{
  g_clear_pointer (&check->line_keys, g_hash_table_unref);
  g_clear_pointer (&check->human_keys, g_hash_table_unref);
  g_clear_pointer (&check->escalated, g_hash_table_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Check, check_clear)

/**
 * vd_export_report_free:
 * @report: (nullable): a report
 */
void
vd_export_report_free (VdExportReport *report)
{
  if (report == NULL)
    return;

  g_free (report->format);
  g_free (report->head_hash);
  g_free (report->signer);
  g_free (report->signer_key_id);
  g_clear_pointer (&report->events, g_array_unref);
  g_free (report);
}

static gboolean G_GNUC_PRINTF (5, 6)
fail_line (GError     **error,
           int          code,
           const char  *name,
           guint        line,
           const char  *format,
           ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error (error, VD_EXPORT_VERIFY_ERROR, code, "%s:%u: %s", name, line, message);

  return FALSE;
}

static gboolean
is_automatic_actor (const char *actor)
{
  return g_strcmp0 (actor, VD_AUDIT_ACTOR_POLICY) == 0 ||
         g_strcmp0 (actor, VD_AUDIT_ACTOR_SYSTEM) == 0 ||
         g_strcmp0 (actor, VD_AUDIT_ACTOR_SLA) == 0;
}

static gboolean
is_hash (const char *text)
{
  if (text == NULL || strlen (text) != 64)
    return FALSE;

  for (guint i = 0; i < 64; i++)
    if (!g_ascii_isxdigit (text[i]) || g_ascii_isupper (text[i]))
      return FALSE;

  return TRUE;
}

static const char *
get_string (JsonObject *object,
            const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

static gboolean
get_int (JsonObject *object,
         const char *member,
         gint64     *value)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;

  *value = json_node_get_int (node);

  return TRUE;
}

static gboolean
get_bool (JsonObject *object,
          const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_BOOLEAN && json_node_get_boolean (node);
}

/* The trusted comment: `FORMAT v1 [head=SEQ:HASH] lines=N signer=OWNER`. */
typedef struct
{
  char    *format;
  gboolean has_head;
  gint64   head_seq;
  char    *head_hash;
  guint64  lines;
  char    *signer;
} Comment;

static void
comment_clear (Comment *comment)
{
  g_clear_pointer (&comment->format, g_free);
  g_clear_pointer (&comment->head_hash, g_free);
  g_clear_pointer (&comment->signer, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Comment, comment_clear)

static gboolean
parse_comment (const char  *text,
               Comment     *comment)
{
  const char *p = strchr (text, ' ');
  char *end;

  if (p == NULL || !g_str_has_prefix (p, " v1 "))
    return FALSE;
  comment->format = g_strndup (text, p - text);
  p += strlen (" v1 ");

  if (g_str_has_prefix (p, "head="))
    {
      p += strlen ("head=");
      comment->head_seq = g_ascii_strtoll (p, &end, 10);
      if (end == p || *end != ':')
        return FALSE;
      p = end + 1;
      comment->head_hash = g_strndup (p, 64);
      if (!is_hash (comment->head_hash) || p[64] != ' ')
        return FALSE;
      comment->has_head = TRUE;
      p += 65;
    }

  if (!g_str_has_prefix (p, "lines="))
    return FALSE;
  p += strlen ("lines=");
  comment->lines = g_ascii_strtoull (p, &end, 10);
  if (end == p || !g_str_has_prefix (end, " signer="))
    return FALSE;
  comment->signer = g_strdup (end + strlen (" signer="));

  return TRUE;
}

/* The lines of a minisign signature file, without "\r". */
static GStrv
split_signature (const char *text)
{
  GStrv lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    g_strchomp (lines[i]);

  return lines;
}

static const char *
find_prefixed (GStrv       lines,
               const char *prefix,
               guint       skip)
{
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], prefix) && skip-- == 0)
      return lines[i] + strlen (prefix);

  return NULL;
}

/* Whether the global signature of @signature_text, over the signature and
 * its trusted comment, verifies: when it does but the signature does not,
 * the file changed and the comment is genuine. */
static gboolean
global_signature_verifies (const char *signature_text,
                           GPtrArray  *keys)
{
  g_auto(GStrv) lines = split_signature (signature_text);
  g_autofree guchar *signature = NULL;
  g_autofree guchar *global = NULL;
  g_autoptr(GByteArray) message = NULL;
  const char *comment;
  gsize signature_length = 0;
  gsize global_length = 0;
  guint n = g_strv_length (lines);
  guint first = 0;

  /* untrusted comment, signature, trusted comment, global signature */
  while (first < n && !g_str_has_prefix (lines[first], "untrusted comment:"))
    first++;
  if (first + 3 >= n)
    return FALSE;

  comment = find_prefixed (lines + first, "trusted comment: ", 0);
  if (comment == NULL || lines[first + 1][0] == '\0' || lines[first + 3][0] == '\0')
    return FALSE;

  signature = g_base64_decode (lines[first + 1], &signature_length);
  global = g_base64_decode (lines[first + 3], &global_length);
  if (signature_length != 2 + VD_KEY_ID_BYTES + VD_KEY_SIGNATURE_BYTES ||
      global_length != VD_KEY_SIGNATURE_BYTES)
    return FALSE;

  message = g_byte_array_new ();
  g_byte_array_append (message, signature + 2 + VD_KEY_ID_BYTES, VD_KEY_SIGNATURE_BYTES);
  g_byte_array_append (message, (const guint8 *) comment, strlen (comment));

  for (guint i = 0; i < keys->len; i++)
    {
      VdKey *key = g_ptr_array_index (keys, i);

      if (memcmp (vd_key_get_id_bytes (key), signature + 2, VD_KEY_ID_BYTES) == 0)
        return vd_key_verify (key, message->data, message->len, global);
    }

  return FALSE;
}

static char *
item_key (const char *queue,
          const char *task_id)
{
  return g_strconcat (queue, "\x1f", task_id, NULL);
}

/* The key that signed a line's event: the public key the line carries,
 * else the roster's or a given key with that id. */
static VdKey *
line_key (Check       *check,
          JsonObject  *audit,
          const char  *key_id,
          const char  *actor,
          guint        line,
          GError     **error)
{
  const char *public_key = get_string (audit, "public_key");
  g_autoptr(GError) local_error = NULL;
  VdKey *key;

  if (public_key != NULL)
    {
      key = g_hash_table_lookup (check->line_keys, public_key);
      if (key == NULL)
        {
          key = vd_key_parse_public (public_key, actor, &local_error);
          if (key == NULL)
            {
              fail_line (error, VD_EXPORT_VERIFY_ERROR_FORMAT, check->name, line,
                         _("audit.public_key: %s"), local_error->message);
              return NULL;
            }
          g_hash_table_insert (check->line_keys, g_strdup (public_key), key);
        }
    }
  else
    {
      key = check->roster != NULL ? vd_roster_lookup_key_id (check->roster, key_id) : NULL;
      for (guint i = 0; key == NULL && i < check->keys->len; i++)
        if (g_str_equal (vd_key_get_id (g_ptr_array_index (check->keys, i)), key_id))
          key = g_ptr_array_index (check->keys, i);

      if (key == NULL)
        {
          fail_line (error, VD_EXPORT_VERIFY_ERROR_UNKNOWN_KEY, check->name, line,
                     _("signed by key %s, which the line does not carry and is not known"),
                     key_id);
          return NULL;
        }
    }

  if (!g_str_equal (vd_key_get_id (key), key_id))
    {
      fail_line (error, VD_EXPORT_VERIFY_ERROR_MISMATCH, check->name, line,
                 _("audit.key_id %s is not the id of audit.public_key (%s)"),
                 key_id, vd_key_get_id (key));
      return NULL;
    }

  return key;
}

/* The line's fields that its signed event holds too must match it. */
static gboolean
check_fields (Check       *check,
              JsonObject  *object,
              JsonObject  *event,
              gint64       seq,
              guint        line,
              GError     **error)
{
  static const char * const payload_strings[] = {
    "decision", "feedback", "modified_content", "final_output",
  };
  JsonNode *payload_node = json_object_get_member (event, "payload");
  JsonObject *payload;
  gint64 event_seq = -1;
  gint64 value;
  const struct { const char *field; const char *member; } same[] = {
    { "reviewer_id", "actor" }, { "queue", "queue" }, { "task_id", "task_id" },
  };

  if (!get_int (event, "seq", &event_seq) || event_seq != seq)
    return fail_line (error, VD_EXPORT_VERIFY_ERROR_MISMATCH, check->name, line,
                      _("audit.canonical is not the text of event %" G_GINT64_FORMAT), seq);

  for (guint i = 0; i < G_N_ELEMENTS (same); i++)
    if (g_strcmp0 (get_string (object, same[i].field), get_string (event, same[i].member)) != 0)
      return fail_line (error, VD_EXPORT_VERIFY_ERROR_MISMATCH, check->name, line,
                        _("%s differs from the signed audit event's %s"),
                        same[i].field, same[i].member);

  if (payload_node == NULL || !JSON_NODE_HOLDS_OBJECT (payload_node))
    return fail_line (error, VD_EXPORT_VERIFY_ERROR_FORMAT, check->name, line,
                      _("audit.canonical has no payload object"));
  payload = json_node_get_object (payload_node);

  for (guint i = 0; i < G_N_ELEMENTS (payload_strings); i++)
    {
      const char *signed_value = get_string (payload, payload_strings[i]);

      if (signed_value != NULL &&
          g_strcmp0 (get_string (object, payload_strings[i]), signed_value) != 0)
        return fail_line (error, VD_EXPORT_VERIFY_ERROR_MISMATCH, check->name, line,
                          _("%s differs from the signed audit event"), payload_strings[i]);
    }

  if (get_int (payload, "revision", &value))
    {
      gint64 revision = -1;

      if (!get_int (object, "revision", &revision) || revision != value)
        return fail_line (error, VD_EXPORT_VERIFY_ERROR_MISMATCH, check->name, line,
                          _("revision differs from the signed audit event"));
    }

  return TRUE;
}

static gboolean
check_roster (Check       *check,
              JsonObject  *object,
              JsonObject  *payload,
              const char  *actor,
              VdKey       *key,
              guint        line,
              GError     **error)
{
  g_autofree char *item = item_key (get_string (object, "queue"), get_string (object, "task_id"));
  const char *decision = get_string (object, "decision");
  VdKey *roster_key;
  gboolean escalated;

  if (!vd_roster_has_reviewer (check->roster, actor))
    return fail_line (error, VD_EXPORT_VERIFY_ERROR_ROSTER, check->name, line,
                      _("%s is not in the policy’s reviewers"), actor);

  if (key == NULL)
    return fail_line (error, VD_EXPORT_VERIFY_ERROR_ROSTER, check->name, line,
                      _("%s’s decision is not signed"), actor);

  roster_key = vd_roster_lookup_key (check->roster, actor);
  if (roster_key == NULL || !vd_key_equal_public (roster_key, key))
    return fail_line (error, VD_EXPORT_VERIFY_ERROR_ROSTER, check->name, line,
                      _("signed by key %s, which is not %s’s key %s in the policy’s "
                        "reviewers"),
                      vd_key_get_id (key), actor,
                      roster_key != NULL ? vd_key_get_id (roster_key) : "-");

  escalated = g_hash_table_contains (check->escalated, item) ||
              (payload != NULL && get_bool (payload, "escalated"));
  if (escalated && !vd_roster_has_role (check->roster, actor, VD_ROLE_SENIOR))
    return fail_line (error, VD_EXPORT_VERIFY_ERROR_ROSTER, check->name, line,
                      _("%s decided %s/%s, an escalated item, without the role “%s”"),
                      actor, get_string (object, "queue"), get_string (object, "task_id"),
                      VD_ROLE_SENIOR);

  /* A decision that stands changes whether the item is escalated. */
  if (!get_bool (object, "retracted"))
    {
      if (g_strcmp0 (decision, "escalate_further") == 0)
        g_hash_table_add (check->escalated, g_steal_pointer (&item));
      else
        g_hash_table_remove (check->escalated, item);
    }

  return TRUE;
}

static gboolean
check_decision_line (Check       *check,
                     JsonObject  *object,
                     guint        line,
                     GError     **error)
{
  JsonNode *audit_node = json_object_get_member (object, "audit");
  g_autoptr(JsonNode) event_node = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GString) hashed = NULL;
  g_autofree char *computed = NULL;
  JsonObject *audit;
  JsonObject *event;
  JsonNode *payload_node;
  const char *hash;
  const char *prev_hash;
  const char *canonical;
  const char *key_id;
  const char *signature;
  const char *actor;
  VdKey *key = NULL;
  VdExportedEvent exported = { 0, };
  gint64 seq = 0;

  if (audit_node == NULL || !JSON_NODE_HOLDS_OBJECT (audit_node))
    return fail_line (error, VD_EXPORT_VERIFY_ERROR_FORMAT, check->name, line,
                      _("no audit object"));
  audit = json_node_get_object (audit_node);

  hash = get_string (audit, "hash");
  prev_hash = get_string (audit, "prev_hash");
  canonical = get_string (audit, "canonical");
  if (!get_int (audit, "seq", &seq) || !is_hash (hash) || !is_hash (prev_hash))
    return fail_line (error, VD_EXPORT_VERIFY_ERROR_FORMAT, check->name, line,
                      _("audit needs seq, hash and prev_hash"));
  if (canonical == NULL)
    return fail_line (error, VD_EXPORT_VERIFY_ERROR_FORMAT, check->name, line,
                      _("audit.canonical is missing: the export predates signed exports"));

  hashed = g_string_new (prev_hash);
  g_string_append (hashed, canonical);
  computed = vd_sha256_hex (hashed->str, hashed->len);
  if (!g_str_equal (computed, hash))
    return fail_line (error, VD_EXPORT_VERIFY_ERROR_CHAIN, check->name, line,
                      _("audit event %" G_GINT64_FORMAT ": the hash does not match prev_hash "
                        "and the canonical text (the line was changed)"), seq);

  if (check->have_last && seq <= check->last_seq)
    return fail_line (error, VD_EXPORT_VERIFY_ERROR_CHAIN, check->name, line,
                      _("audit event %" G_GINT64_FORMAT " comes after event %" G_GINT64_FORMAT
                        " of line %u: the lines are out of order (swapped or moved)"),
                      seq, check->last_seq, line - 1);
  if (check->have_last && seq == check->last_seq + 1 &&
      !g_str_equal (prev_hash, check->last_hash))
    return fail_line (error, VD_EXPORT_VERIFY_ERROR_CHAIN, check->name, line,
                      _("audit event %" G_GINT64_FORMAT ": prev_hash is not the hash of event %"
                        G_GINT64_FORMAT " on line %u"), seq, check->last_seq, line - 1);
  if (check->report->has_head &&
      (seq > check->report->head_seq ||
       (seq == check->report->head_seq && !g_str_equal (hash, check->report->head_hash))))
    return fail_line (error, VD_EXPORT_VERIFY_ERROR_CHAIN, check->name, line,
                      _("audit event %" G_GINT64_FORMAT " is not covered by the header’s "
                        "audit head %" G_GINT64_FORMAT), seq, check->report->head_seq);

  event_node = vd_json_guard_parse (canonical, strlen (canonical), MAX_LINE_BYTES,
                                    &local_error);
  if (event_node == NULL || !JSON_NODE_HOLDS_OBJECT (event_node))
    return fail_line (error, VD_EXPORT_VERIFY_ERROR_FORMAT, check->name, line,
                      _("audit.canonical is not a JSON object"));
  event = json_node_get_object (event_node);
  if (!check_fields (check, object, event, seq, line, error))
    return FALSE;
  actor = get_string (event, "actor");
  payload_node = json_object_get_member (event, "payload");

  key_id = get_string (audit, "key_id");
  signature = get_string (audit, "signature");
  if ((key_id == NULL) != (signature == NULL))
    return fail_line (error, VD_EXPORT_VERIFY_ERROR_FORMAT, check->name, line,
                      _("audit has a key_id or a signature but not both"));

  if (key_id != NULL)
    {
      key = line_key (check, audit, key_id, actor, line, error);
      if (key == NULL)
        return FALSE;

      if (!vd_key_verify_audit_hash (key, hash, signature))
        return fail_line (error, VD_EXPORT_VERIFY_ERROR_SIGNATURE, check->name, line,
                          _("audit event %" G_GINT64_FORMAT ": the signature by key %s does "
                            "not verify"), seq, key_id);

      if (!is_automatic_actor (actor))
        g_hash_table_add (check->human_keys, g_strdup (key_id));
    }
  else
    {
      check->report->n_unsigned++;
    }

  if (check->roster != NULL && !is_automatic_actor (actor) &&
      !check_roster (check, object, json_node_get_object (payload_node), actor, key, line,
                     error))
    return FALSE;

  check->have_last = TRUE;
  check->last_seq = seq;
  memcpy (check->last_hash, hash, 65);
  exported.seq = seq;
  memcpy (exported.hash, hash, 65);
  g_array_append_val (check->report->events, exported);

  return TRUE;
}

static gboolean
read_header (Check       *check,
             JsonObject  *header,
             GError     **error)
{
  VdExportReport *report = check->report;
  JsonNode *head_node = json_object_get_member (header, "audit_head");
  const char *format = get_string (header, "format");

  if (json_object_has_member (header, "verdict_decisions"))
    report->format = g_strdup ("verdict-decisions");
  else if (json_object_has_member (header, "verdict_outputs"))
    report->format = g_strdup ("verdict-outputs");
  else if (format != NULL && g_str_equal (format, "verdict-training"))
    report->format = g_strdup ("verdict-training");
  else
    return fail_line (error, VD_EXPORT_VERIFY_ERROR_FORMAT, check->name, 1,
                      _("not a Verdict export header"));

  if (head_node != NULL)
    {
      JsonObject *head;

      if (!JSON_NODE_HOLDS_OBJECT (head_node) ||
          !get_int ((head = json_node_get_object (head_node)), "seq", &report->head_seq) ||
          !is_hash (get_string (head, "hash")))
        return fail_line (error, VD_EXPORT_VERIFY_ERROR_FORMAT, check->name, 1,
                          _("audit_head needs seq and hash"));
      report->has_head = TRUE;
      report->head_hash = g_strdup (get_string (head, "hash"));
    }

  return TRUE;
}

static JsonObject *
parse_line (Check       *check,
            const char  *text,
            gsize        length,
            guint        line,
            JsonNode   **node,
            GError     **error)
{
  g_autoptr(GError) local_error = NULL;

  *node = vd_json_guard_parse (text, length, MAX_LINE_BYTES, &local_error);
  if (*node == NULL)
    {
      fail_line (error, VD_EXPORT_VERIFY_ERROR_FORMAT, check->name, line,
                 _("not JSON: %s"), local_error->message);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (*node))
    {
      fail_line (error, VD_EXPORT_VERIFY_ERROR_FORMAT, check->name, line,
                 _("not a JSON object"));
      return NULL;
    }

  return json_node_get_object (*node);
}

/* The header and every line; returns the number of lines after the
 * header. */
static gboolean
check_lines (Check       *check,
             const char  *data,
             gsize        length,
             GError     **error)
{
  const char *p = data;
  const char *end = data + length;
  guint line = 0;

  if (length == 0 || data[length - 1] != '\n')
    {
      g_set_error (error, VD_EXPORT_VERIFY_ERROR, VD_EXPORT_VERIFY_ERROR_FORMAT,
                   _("%s: empty, or its last line is cut off"), check->name);
      return FALSE;
    }

  while (p < end)
    {
      const char *eol = memchr (p, '\n', end - p);
      g_autoptr(JsonNode) node = NULL;
      JsonObject *object;

      line++;
      object = parse_line (check, p, eol - p, line, &node, error);
      if (object == NULL)
        return FALSE;

      if (line == 1)
        {
          if (!read_header (check, object, error))
            return FALSE;
        }
      else
        {
          check->report->n_lines++;
          if (g_str_equal (check->report->format, "verdict-decisions") &&
              !check_decision_line (check, object, line, error))
            return FALSE;
        }

      p = eol + 1;
    }

  return TRUE;
}

static gboolean
check_comment (Check       *check,
               Comment     *comment,
               JsonObject  *header,
               GError     **error)
{
  VdExportReport *report = check->report;

  if (comment->lines != report->n_lines)
    {
      g_set_error (error, VD_EXPORT_VERIFY_ERROR, VD_EXPORT_VERIFY_ERROR_CHAIN,
                   _("%s: %" G_GUINT64_FORMAT " lines after the header, but the signature "
                     "covers %" G_GUINT64_FORMAT ": a line was removed or added"),
                   check->name, report->n_lines, comment->lines);
      return FALSE;
    }

  if (!g_str_equal (comment->format, report->format) ||
      comment->has_head != report->has_head ||
      (report->has_head && (comment->head_seq != report->head_seq ||
                            !g_str_equal (comment->head_hash, report->head_hash))))
    {
      g_set_error (error, VD_EXPORT_VERIFY_ERROR, VD_EXPORT_VERIFY_ERROR_MISMATCH,
                   _("%s: the header’s format or audit head is not the one the signature "
                     "names (%s)"), check->name, comment->format);
      return FALSE;
    }

  return TRUE;
}

/**
 * vd_export_verify_file:
 * @path: the export
 * @keys: (element-type VdKey): public keys that may have signed
 *   `@path.minisig`
 * @roster: (nullable): the roster decisions must follow
 * @cancellable: (nullable): a cancellable
 * @error: return location for an error
 *
 * Verifies an export and its signature (see the description above and
 * docs/formats.md). Reads the whole file.
 *
 * Returns: (transfer full): the report, or %NULL with @error naming the
 *   first fault
 */
VdExportReport *
vd_export_verify_file (const char    *path,
                       GPtrArray     *keys,
                       VdRoster      *roster,
                       GCancellable  *cancellable,
                       GError       **error)
{
  g_autoptr(VdExportReport) report = g_new0 (VdExportReport, 1);
  g_autofree char *name = g_filename_display_name (path);
  g_autofree char *signature_path = g_strconcat (path, ".minisig", NULL);
  g_autofree char *data = NULL;
  g_autofree char *signature_text = NULL;
  g_autofree char *trusted_comment = NULL;
  g_autoptr(VdKey) signer = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GError) signature_error = NULL;
  g_autoptr(JsonNode) header_node = NULL;
  g_auto(Comment) comment = { 0, };
  g_auto(Check) check = { 0, };
  gsize length = 0;
  gboolean signature_ok;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (keys != NULL, NULL);
  g_return_val_if_fail (roster == NULL || VD_IS_ROSTER (roster), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  report->events = g_array_new (FALSE, FALSE, sizeof (VdExportedEvent));

  if (!g_file_get_contents (path, &data, &length, &local_error))
    {
      g_set_error (error, local_error->domain, local_error->code, "%s", local_error->message);
      return NULL;
    }

  if (!g_file_get_contents (signature_path, &signature_text, NULL, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_set_error (error, VD_EXPORT_VERIFY_ERROR, VD_EXPORT_VERIFY_ERROR_SIGNATURE,
                     _("%s.minisig: no such file: the export is not signed (an export to "
                       "standard output never is)"), name);
      else
        g_set_error (error, local_error->domain, local_error->code, "%s",
                     local_error->message);
      return NULL;
    }

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  /* The signature first: a key that is not known, or a signature file
   * that is not one, ends the check; a signature that does not verify is
   * reported after the lines, which may name what changed more precisely. */
  signature_ok = vd_minisign_verify_bytes (signature_text, (const guint8 *) data, length, keys,
                                           &signer, &trusted_comment, &signature_error);
  if (!signature_ok)
    {
      if (!g_error_matches (signature_error, VD_KEY_ERROR, VD_KEY_ERROR_SIGNATURE))
        {
          g_set_error (error, VD_EXPORT_VERIFY_ERROR,
                       g_error_matches (signature_error, VD_KEY_ERROR,
                                        VD_KEY_ERROR_UNKNOWN_KEY)
                       ? VD_EXPORT_VERIFY_ERROR_UNKNOWN_KEY : VD_EXPORT_VERIFY_ERROR_FORMAT,
                       "%s.minisig: %s", name, signature_error->message);
          return NULL;
        }

      if (!global_signature_verifies (signature_text, keys))
        {
          g_set_error (error, VD_EXPORT_VERIFY_ERROR, VD_EXPORT_VERIFY_ERROR_SIGNATURE,
                       _("%s.minisig: the trusted comment or the signature was changed "
                         "(its global signature does not verify)"), name);
          return NULL;
        }

      /* The comment is genuine: read it for what it says about the file. */
      {
        g_auto(GStrv) lines = split_signature (signature_text);

        trusted_comment = g_strdup (find_prefixed (lines, "trusted comment: ", 0));
      }
    }

  if (trusted_comment == NULL || !parse_comment (trusted_comment, &comment))
    {
      g_set_error (error, VD_EXPORT_VERIFY_ERROR, VD_EXPORT_VERIFY_ERROR_FORMAT,
                   _("%s.minisig: the trusted comment is not one of a Verdict export"), name);
      return NULL;
    }

  check.name = name;
  check.keys = keys;
  check.roster = roster;
  check.report = report;
  check.line_keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  check.human_keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  check.escalated = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  if (!check_lines (&check, data, length, error))
    return NULL;

  {
    const char *eol = strchr (data, '\n');
    g_autoptr(GError) header_error = NULL;

    header_node = vd_json_guard_parse (data, eol - data, MAX_LINE_BYTES, &header_error);
    g_assert (header_node != NULL);
  }
  if (!check_comment (&check, &comment, json_node_get_object (header_node), error))
    return NULL;

  if (!signature_ok)
    {
      g_set_error (error, VD_EXPORT_VERIFY_ERROR, VD_EXPORT_VERIFY_ERROR_SIGNATURE,
                   _("%s: changed after it was signed: the signature in %s.minisig does not "
                     "verify over its bytes"), name, name);
      return NULL;
    }

  {
    JsonObject *header = json_node_get_object (header_node);
    const char *header_signer = get_string (header, "signer");
    const char *header_key_id = get_string (header, "signer_key_id");

    if ((header_signer != NULL && !g_str_equal (header_signer, comment.signer)) ||
        (header_key_id != NULL && !g_str_equal (header_key_id, vd_key_get_id (signer))))
      {
        g_set_error (error, VD_EXPORT_VERIFY_ERROR, VD_EXPORT_VERIFY_ERROR_MISMATCH,
                     _("%s:1: the header names signer %s (key %s), but %s.minisig is by %s "
                       "(key %s)"), name,
                     header_signer != NULL ? header_signer : "-",
                     header_key_id != NULL ? header_key_id : "-",
                     name, comment.signer, vd_key_get_id (signer));
        return NULL;
      }
  }

  /* With a roster, a reviewer who signs the file must sign with the key
   * the roster gives them; the installation signs as itself. */
  if (roster != NULL && vd_roster_has_reviewer (roster, comment.signer))
    {
      VdKey *roster_key = vd_roster_lookup_key (roster, comment.signer);

      if (roster_key == NULL || !vd_key_equal_public (roster_key, signer))
        {
          g_set_error (error, VD_EXPORT_VERIFY_ERROR, VD_EXPORT_VERIFY_ERROR_ROSTER,
                       _("%s.minisig: signed by key %s, which is not %s’s key in the "
                         "policy’s reviewers"), name, vd_key_get_id (signer), comment.signer);
          return NULL;
        }
    }

  report->signer = g_strdup (comment.signer);
  report->signer_key_id = g_strdup (vd_key_get_id (signer));
  report->n_line_keys = g_hash_table_size (check.human_keys);

  return g_steal_pointer (&report);
}

/**
 * vd_export_verify_store:
 * @report: a report of vd_export_verify_file()
 * @path: the export, to name it in messages
 * @store: the store the export came from
 * @error: return location for an error
 *
 * Checks that @store's audit trail still holds, at the export's head seq,
 * the export's head hash, and at every exported decision's seq that
 * event's hash: a later rewrite of anything up to the head is caught.
 *
 * Returns: %TRUE when the store agrees with the export
 */
gboolean
vd_export_verify_store (VdExportReport  *report,
                        const char      *path,
                        VdStore         *store,
                        GError         **error)
{
  g_autofree char *name = NULL;
  g_autoptr(GPtrArray) page = NULL;

  g_return_val_if_fail (report != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (VD_IS_STORE (store), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  name = g_filename_display_name (path);

  /* The exported events, then the head, in order of seq. */
  for (guint i = 0; i <= report->events->len; i++)
    {
      gint64 seq;
      const char *hash;
      VdAuditEvent *event = NULL;
      g_autofree char *where = NULL;

      if (i < report->events->len)
        {
          VdExportedEvent *exported = &g_array_index (report->events, VdExportedEvent, i);

          seq = exported->seq;
          hash = exported->hash;
          /* TRANSLATORS: e.g. "line 3 of decisions.jsonl" */
          where = g_strdup_printf (_("line %u of %s"), i + 2, name);
        }
      else if (report->has_head)
        {
          seq = report->head_seq;
          hash = report->head_hash;
          /* TRANSLATORS: e.g. "the head of decisions.jsonl" */
          where = g_strdup_printf (_("the head of %s"), name);
        }
      else
        break;

      for (guint j = 0; page != NULL && j < page->len; j++)
        if (vd_audit_event_get_seq (g_ptr_array_index (page, j)) == seq)
          event = g_ptr_array_index (page, j);

      if (event == NULL)
        {
          g_clear_pointer (&page, g_ptr_array_unref);
          page = vd_store_list_audit (store, seq, EVENT_PAGE, error);
          if (page == NULL)
            return FALSE;
          if (page->len > 0 && vd_audit_event_get_seq (g_ptr_array_index (page, 0)) == seq)
            event = g_ptr_array_index (page, 0);
        }

      if (event == NULL)
        {
          g_set_error (error, VD_EXPORT_VERIFY_ERROR, VD_EXPORT_VERIFY_ERROR_STORE,
                       _("audit event %" G_GINT64_FORMAT " (%s) is no longer in the store: "
                         "the audit trail was cut back after the export"), seq, where);
          return FALSE;
        }

      if (g_strcmp0 (vd_audit_event_get_hash (event), hash) != 0)
        {
          g_set_error (error, VD_EXPORT_VERIFY_ERROR, VD_EXPORT_VERIFY_ERROR_STORE,
                       _("audit event %" G_GINT64_FORMAT ": the store’s hash %.16s… is not the "
                         "hash %.16s… of %s: the audit trail was rewritten after the export"),
                       seq, vd_audit_event_get_hash (event), hash, where);
          return FALSE;
        }
    }

  return TRUE;
}
