/* vd-cli-items.c: verdict-cli list and show
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
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "vd-cli-private.h"


static gboolean
parse_status_filter (const char *text,
                     guint      *mask)
{
  VdTaskStatus status;

  if (text == NULL || g_str_equal (text, "undecided"))
    *mask = VD_STATUS_MASK_UNDECIDED;
  else if (g_str_equal (text, "all"))
    *mask = 0;
  else if (g_str_equal (text, "decided"))
    *mask = VD_STATUS_MASK_DECIDED;
  else if (vd_task_status_from_string (text, &status))
    *mask = VD_STATUS_MASK (status);
  else
    return FALSE;

  return TRUE;
}

/* "prodigy; ids _input_hash=1 _task_hash=2; group t1/i1 (action 2 of 3)",
 * or NULL for an item of a Verdict queue. */
static char *
describe_source (VdItem *item)
{
  JsonObject *source = vd_item_get_source (item);
  GString *text;
  JsonNode *ids;
  JsonNode *group;

  if (source == NULL)
    return NULL;

  text = g_string_new (vd_item_get_source_format (item));
  ids = json_object_get_member (source, "ids");
  if (ids != NULL && JSON_NODE_HOLDS_OBJECT (ids))
    {
      g_autoptr(GList) members = json_object_get_members (json_node_get_object (ids));

      g_string_append (text, _("; ids"));
      for (const GList *l = members; l != NULL; l = l->next)
        {
          JsonNode *value = json_object_get_member (json_node_get_object (ids), l->data);
          g_autofree char *value_text = NULL;

          if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING)
            value_text = g_strdup (json_node_get_string (value));
          else
            value_text = json_to_string (value, FALSE);
          g_string_append_printf (text, " %s=%s", (const char *) l->data, value_text);
        }
    }

  group = json_object_get_member (source, "group");
  if (group != NULL && JSON_NODE_HOLDS_VALUE (group) &&
      json_node_get_value_type (group) == G_TYPE_STRING)
    {
      JsonNode *index = json_object_get_member (source, "group_index");
      JsonNode *size = json_object_get_member (source, "group_size");

      g_string_append_printf (text, _("; group %s"), json_node_get_string (group));
      if (index != NULL && size != NULL &&
          JSON_NODE_HOLDS_VALUE (index) && json_node_get_value_type (index) == G_TYPE_INT64 &&
          JSON_NODE_HOLDS_VALUE (size) && json_node_get_value_type (size) == G_TYPE_INT64)
        /* TRANSLATORS: e.g. "(action 2 of 3)" of a group of actions */
        g_string_append_printf (text, _(" (action %" G_GINT64_FORMAT " of %" G_GINT64_FORMAT ")"),
                                json_node_get_int (index) + 1, json_node_get_int (size));
    }

  return g_string_free (text, FALSE);
}

static JsonNode *
item_summary_to_json (VdItem *item)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *timestamp = vd_timestamp_format (vd_item_get_timestamp (item));
  GDateTime *due_at = vd_item_get_due_at (item);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "queue");
  json_builder_add_string_value (builder, vd_item_get_queue (item));
  json_builder_set_member_name (builder, "task_id");
  json_builder_add_string_value (builder, vd_item_get_task_id (item));
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, vd_task_status_to_string (vd_item_get_status (item)));
  json_builder_set_member_name (builder, "confidence");
  if (vd_item_has_confidence (item))
    json_builder_add_double_value (builder, vd_item_get_confidence (item));
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "escalation_reason");
  if (vd_item_get_escalation_reason (item) == VD_ESCALATION_REASON_NONE)
    json_builder_add_null_value (builder);
  else
    json_builder_add_string_value (builder,
                                   vd_escalation_reason_to_string (vd_item_get_escalation_reason (item)));
  json_builder_set_member_name (builder, "task_type");
  json_builder_add_string_value (builder, vd_item_get_task_type (item));
  json_builder_set_member_name (builder, "task_description");
  json_builder_add_string_value (builder, vd_item_get_task_description (item));
  json_builder_set_member_name (builder, "revision");
  json_builder_add_int_value (builder, vd_item_get_revision (item));
  json_builder_set_member_name (builder, "timestamp");
  json_builder_add_string_value (builder, timestamp);
  json_builder_set_member_name (builder, "due_at");
  if (due_at != NULL)
    {
      g_autofree char *due = vd_timestamp_format (due_at);
      json_builder_add_string_value (builder, due);
    }
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/* The claim column of a listed item: empty when nobody holds one. */
static char *
describe_claim (const VdClaim *claim)
{
  g_autofree char *until = NULL;
  g_autofree char *reviewer = NULL;

  if (claim == NULL)
    return g_strdup ("");

  until = vd_claim_format_expiry (claim);
  if (g_strcmp0 (claim->reviewer_id, g_getenv ("VERDICT_REVIEWER")) == 0)
    /* TRANSLATORS: after an item in a listing; %s is a time of day */
    return g_strdup_printf (_("  [claimed by you until %s]"), until);

  reviewer = vd_cli_escape_line (claim->reviewer_id);
  /* TRANSLATORS: after an item in a listing; a reviewer id, a time of day */
  return g_strdup_printf (_("  [claimed by %s until %s]"), reviewer, until);
}

static void
add_claim_to_json (JsonNode      *node,
                   const VdClaim *claim)
{
  JsonObject *object = json_node_get_object (node);
  g_autoptr(GDateTime) until = NULL;
  g_autofree char *until_text = NULL;

  if (claim == NULL)
    return;

  until = vd_timestamp_from_usec (claim->expires_at);
  until_text = vd_timestamp_format (until);
  json_object_set_string_member (object, "claimed_by", claim->reviewer_id);
  json_object_set_string_member (object, "claimed_until", until_text);
}

int
vd_cli_list (VdCliGlobals  *globals,
             int            argc,
             char         **argv)
{
  g_autoptr(VdStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *status = NULL;
  g_autofree char *queue = NULL;
  g_autofree char *sort = NULL;
  g_autofree char *search = NULL;
  gboolean json = FALSE;
  g_autoptr(GHashTable) claims = NULL;
  VdItemQuery query = VD_ITEM_QUERY_INIT;
  GOptionEntry entries[] = {
    { "status", 0, 0, G_OPTION_ARG_STRING, &status,
      N_("pending, in_review, escalated, approved, rejected, modified, completed, undecided "
         "(the default), decided or all"), N_("STATUS") },
    { "queue", 0, 0, G_OPTION_ARG_STRING, &queue, N_("Only this queue"), N_("Q") },
    { "search", 0, 0, G_OPTION_ARG_STRING, &search,
      N_("Only items with TEXT in their task id, description, context, output or reasoning, "
         "ignoring case, as the window's search"), N_("TEXT") },
    { "sort", 0, 0, G_OPTION_ARG_STRING, &sort,
      N_("confidence (lowest first, the default), due (soonest first) or created (oldest first)"),
      N_("ORDER") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("One JSON object per line"), NULL },
    { NULL }
  };

  if (!vd_cli_parse (globals, entries, "", _("List items."), &argc, &argv))
    return VD_CLI_EXIT_USAGE;
  if (argc > 1)
    return vd_cli_usage (globals, _("unexpected argument “%s”"), argv[1]);
  if (!parse_status_filter (status, &query.statuses))
    return vd_cli_usage (globals, _("unknown status “%s”"), status);

  query.sort = VD_SORT_ORDER_CONFIDENCE;
  if (sort != NULL && !vd_sort_order_from_string (sort, &query.sort))
    return vd_cli_usage (globals, _("--sort takes confidence, due or created, not “%s”"), sort);
  query.queue = queue;
  query.search = search;

  if (!(store = vd_cli_open_store (globals, &error)) ||
      !(claims = vd_cli_dup_claims (store, queue, &error)))
    return vd_cli_fail (error);

  /* Page through the listing so that a million items never sit in memory at once. */
  for (query.limit = 1000; ; query.offset += query.limit)
    {
      g_autoptr(GPtrArray) items = vd_store_list_items (store, &query, &error);

      if (items == NULL)
        return vd_cli_fail (error);

      for (guint i = 0; i < items->len; i++)
        {
          VdItem *item = g_ptr_array_index (items, i);

          if (json)
            {
              g_autoptr(JsonNode) node = item_summary_to_json (item);
              add_claim_to_json (node, g_hash_table_lookup (claims, &(gint64) { vd_item_get_id (item) }));
              vd_cli_print_json (node);
            }
          else
            {
              g_autofree char *description = vd_cli_dup_oneline (vd_item_get_task_description (item), 60);
              g_autofree char *queue_name = vd_cli_escape_line (vd_item_get_queue (item));
              g_autofree char *task_id = vd_cli_escape_line (vd_item_get_task_id (item));
              VdEscalationReason reason = vd_item_get_escalation_reason (item);
              g_autofree char *confidence = NULL;

              /* No confidence given: a dash, never 0. The column is four
               * characters wide either way. */
              if (vd_item_has_confidence (item))
                confidence = g_strdup_printf ("%.2f", vd_item_get_confidence (item));
              else
                confidence = g_strdup ("   —");

              g_autofree char *claimed = describe_claim (g_hash_table_lookup (claims,
                                                                              &(gint64) { vd_item_get_id (item) }));

              printf ("%-12s %-16s %-10s %s  %-18s %s%s\n",
                      queue_name,
                      task_id,
                      vd_task_status_to_string (vd_item_get_status (item)),
                      confidence,
                      reason == VD_ESCALATION_REASON_NONE ? "-" : vd_escalation_reason_to_string (reason),
                      description,
                      claimed);
            }
        }

      if (items->len < query.limit)
        break;
    }

  return VD_CLI_EXIT_OK;
}

/* One line of the item: its line breaks and tabs are escaped too. */
static void
print_field (const char *label,
             const char *value)
{
  g_autofree char *escaped = NULL;

  if (value == NULL || *value == '\0')
    return;

  escaped = vd_cli_escape_line (value);
  printf ("%s: %s\n", label, escaped);
}

/* Content of the item, printed as an indented block when it has several
 * lines: its line breaks and tabs are layout. */
static void
print_block (const char *label,
             const char *value)
{
  g_autofree char *escaped = NULL;

  if (value == NULL || *value == '\0')
    return;

  escaped = vd_cli_escape_block (value);
  if (strchr (escaped, '\n') != NULL)
    {
      g_auto(GStrv) lines = g_strsplit (escaped, "\n", -1);

      printf ("%s:\n", label);
      for (guint i = 0; lines[i] != NULL; i++)
        printf ("    %s\n", lines[i]);
    }
  else
    printf ("%s: %s\n", label, escaped);
}

/* The owner of the key that signed @decision's audit event: a reviewer
 * id, "installation", or NULL when unsigned or the key is not known. */
static char *
dup_signer_owner (VdStore    *store,
                  VdDecision *decision)
{
  g_autoptr(VdKey) key = NULL;
  const char *key_id = vd_decision_get_audit_key_id (decision);

  if (key_id == NULL)
    return NULL;

  key = vd_signer_lookup_known (vd_store_get_signer (store), key_id);
  if (key == NULL)
    return NULL;

  if (vd_key_equal_public (key, vd_signer_get_installation_key (vd_store_get_signer (store))))
    return g_strdup ("installation");

  return g_strdup (vd_key_get_owner (key));
}

/* "signed by alice, key ABCD…" and the like, for one decision. */
static char *
describe_signer (VdStore    *store,
                 VdDecision *decision)
{
  g_autofree char *owner = dup_signer_owner (store, decision);
  g_autofree char *escaped = NULL;
  const char *key_id = vd_decision_get_audit_key_id (decision);

  if (key_id == NULL)
    return g_strdup (_("not signed (recorded before signing started)"));
  if (owner == NULL)
    return g_strdup_printf (_("signed with key %s, which is not known here"), key_id);
  if (g_str_equal (owner, "installation"))
    return vd_decision_get_automatic (decision)
           ? g_strdup (_("signed by this installation"))
           : g_strdup (_("signed by this installation (unverified reviewer)"));

  escaped = vd_cli_escape_line (owner);
  return g_strdup_printf (_("signed by %s, key %s"), escaped, key_id);
}

static void
add_nullable_string (JsonBuilder *builder,
                     const char  *name,
                     const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static JsonNode *
decision_to_json (VdStore    *store,
                  VdDecision *decision)
{
  g_autofree char *owner = dup_signer_owner (store, decision);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *timestamp = vd_timestamp_format (vd_decision_get_timestamp (decision));

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "decision");
  json_builder_add_string_value (builder, vd_decision_kind_to_string (vd_decision_get_kind (decision)));
  json_builder_set_member_name (builder, "reviewer_id");
  json_builder_add_string_value (builder, vd_decision_get_reviewer_id (decision));
  json_builder_set_member_name (builder, "automatic");
  json_builder_add_boolean_value (builder, vd_decision_get_automatic (decision));
  /* false: one of two reviews, which did not decide the item on its own */
  json_builder_set_member_name (builder, "final");
  json_builder_add_boolean_value (builder, vd_decision_get_final (decision));
  json_builder_set_member_name (builder, "feedback");
  json_builder_add_string_value (builder, vd_decision_get_feedback (decision));
  json_builder_set_member_name (builder, "modified_content");
  json_builder_add_string_value (builder, vd_decision_get_modified_content (decision));
  json_builder_set_member_name (builder, "revision");
  json_builder_add_int_value (builder, vd_decision_get_revision (decision));
  json_builder_set_member_name (builder, "timestamp");
  json_builder_add_string_value (builder, timestamp);
  json_builder_set_member_name (builder, "duration_ms");
  json_builder_add_int_value (builder, vd_decision_get_duration_ms (decision));
  json_builder_set_member_name (builder, "audit_seq");
  json_builder_add_int_value (builder, vd_decision_get_audit_seq (decision));
  json_builder_set_member_name (builder, "helpful");
  if (vd_decision_get_helpful (decision) == VD_HELPFUL_UNSET)
    json_builder_add_null_value (builder);
  else
    json_builder_add_boolean_value (builder, vd_decision_get_helpful (decision) == VD_HELPFUL_YES);
  json_builder_set_member_name (builder, "category");
  if (vd_decision_get_category (decision) == NULL)
    json_builder_add_null_value (builder);
  else
    json_builder_add_string_value (builder, vd_decision_get_category (decision));
  if (vd_decision_get_bulk_id (decision) != 0)
    {
      json_builder_set_member_name (builder, "bulk_id");
      json_builder_add_int_value (builder, vd_decision_get_bulk_id (decision));
    }
  add_nullable_string (builder, "policy_sha256", vd_decision_get_policy_sha256 (decision));
  add_nullable_string (builder, "model", vd_decision_get_model (decision));
  add_nullable_string (builder, "prompt_version", vd_decision_get_prompt_version (decision));
  add_nullable_string (builder, "app_version", vd_decision_get_app_version (decision));
  add_nullable_string (builder, "key_id", vd_decision_get_audit_key_id (decision));
  add_nullable_string (builder, "signature", vd_decision_get_audit_signature (decision));
  /* A reviewer id, "installation", or null (unsigned or unknown key). */
  add_nullable_string (builder, "signed_by", owner);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/* The deadline fallback applied to the item, or JSON null. */
static JsonNode *
sla_record_to_json (const VdSlaRecord *record)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autofree char *deadline = NULL;
  g_autofree char *applied_at = NULL;

  if (!record->applied)
    return json_node_new (JSON_NODE_NULL);

  deadline = record->deadline != NULL ? vd_timestamp_format (record->deadline) : NULL;
  applied_at = record->applied_at != NULL ? vd_timestamp_format (record->applied_at) : NULL;

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "fallback");
  json_builder_add_string_value (builder, vd_sla_fallback_to_string (record->fallback));
  json_builder_set_member_name (builder, "configured");
  json_builder_add_string_value (builder, vd_sla_fallback_to_string (record->configured));
  json_builder_set_member_name (builder, "rule");
  if (record->rule != NULL)
    json_builder_add_string_value (builder, record->rule);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "deadline");
  if (deadline != NULL)
    json_builder_add_string_value (builder, deadline);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "applied_at");
  if (applied_at != NULL)
    json_builder_add_string_value (builder, applied_at);
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/* "name (media type, size, sha256 …)" for a file, "name (media type,
 * link URL, not fetched)" for a link; the name and link escaped. */
static char *
describe_attachment (VdAttachment *attachment)
{
  g_autofree char *name = vd_cli_escape_line (vd_attachment_get_name (attachment));
  g_autofree char *media_type = vd_cli_escape_line (vd_attachment_get_media_type (attachment));

  if (vd_attachment_is_link (attachment))
    {
      g_autofree char *url = vd_cli_escape_line (vd_attachment_get_url (attachment));

      return g_strdup_printf (_("%s (%s, link %s, not fetched)"), name, media_type, url);
    }

  return g_strdup_printf (_("%s (%s, %" G_GINT64_FORMAT " bytes, sha256 %s)"),
                          name, media_type, vd_attachment_get_size (attachment),
                          vd_attachment_get_sha256 (attachment));
}

/* The output's, the task's and the context's content types, when any is
 * not plain text. */
static char *
dup_content_types (VdItem *item)
{
  if (g_str_equal (vd_item_get_task_content_type (item), "text/plain") &&
      g_str_equal (vd_item_get_context_content_type (item), "text/plain") &&
      g_str_equal (vd_item_get_output_content_type (item), "text/plain"))
    return NULL;

  return g_strdup_printf (_("output %s, input %s, context %s"),
                          vd_item_get_output_content_type (item),
                          vd_item_get_task_content_type (item),
                          vd_item_get_context_content_type (item));
}

int
vd_cli_show (VdCliGlobals  *globals,
             int            argc,
             char         **argv)
{
  g_autoptr(VdStore) store = NULL;
  g_autoptr(VdItem) item = NULL;
  g_autoptr(GPtrArray) decisions = NULL;
  g_autoptr(GPtrArray) revisions = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *queue = NULL;
  g_auto(VdSlaRecord) sla = { 0, };
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "queue", 0, 0, G_OPTION_ARG_STRING, &queue,
      N_("The queue of the task (needed when several queues have the id)"), N_("Q") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("One JSON object"), NULL },
    { NULL }
  };

  if (!vd_cli_parse (globals, entries, _("TASK_ID"), _("Show one item in full."), &argc, &argv))
    return VD_CLI_EXIT_USAGE;
  if (argc != 2)
    return vd_cli_usage (globals, _("name exactly one task id"));

  if (!(store = vd_cli_open_store (globals, &error)) ||
      !(item = vd_store_get_item (store, queue, argv[1], &error)) ||
      !(decisions = vd_store_list_decisions (store, vd_item_get_queue (item),
                                             vd_item_get_task_id (item), &error)) ||
      !(revisions = vd_store_list_revisions (store, vd_item_get_id (item), &error)) ||
      !vd_store_get_sla_record (store, vd_item_get_id (item), &sla, &error))
    return vd_cli_fail (error);

  if (json)
    {
      g_autoptr(JsonNode) node = vd_item_to_json (item);
      JsonObject *object = json_node_get_object (node);
      JsonArray *array = json_array_new ();

      for (guint i = 0; i < decisions->len; i++)
        json_array_add_element (array, decision_to_json (store,
                                                          g_ptr_array_index (decisions, i)));
      json_object_set_array_member (object, "decisions", array);
      json_object_set_int_member (object, "reviews_required",
                                  vd_item_get_reviews_required (item));

      array = json_array_new ();
      for (guint i = 0; i < revisions->len; i++)
        {
          VdRevision *revision = g_ptr_array_index (revisions, i);
          JsonObject *r = json_object_new ();

          json_object_set_int_member (r, "revision", vd_revision_get_revision (revision));
          json_object_set_string_member (r, "content", vd_revision_get_content (revision));
          if (isnan (vd_revision_get_confidence (revision)))
            json_object_set_null_member (r, "confidence");
          else
            json_object_set_double_member (r, "confidence",
                                           vd_revision_get_confidence (revision));
          json_object_set_string_member (r, "reasoning", vd_revision_get_reasoning (revision));
          json_object_set_string_member (r, "feedback", vd_revision_get_feedback (revision));
          json_array_add_object_element (array, r);
        }
      json_object_set_array_member (object, "revisions", array);
      /* Always present here, even when empty or plain. */
      if (!json_object_has_member (object, "attachments"))
        json_object_set_array_member (object, "attachments", json_array_new ());
      if (!json_object_has_member (object, "content_type"))
        {
          JsonObject *types = json_object_new ();

          json_object_set_string_member (types, "task", "text/plain");
          json_object_set_string_member (types, "context", "text/plain");
          json_object_set_string_member (types, "output", "text/plain");
          json_object_set_object_member (object, "content_type", types);
        }

      json_object_set_member (object, "sla_fallback", sla_record_to_json (&sla));

      vd_cli_print_json (node);
      return VD_CLI_EXIT_OK;
    }

  {
    g_autofree char *timestamp = vd_timestamp_format (vd_item_get_timestamp (item));
    g_autofree char *metadata = vd_item_dup_metadata_json (item);
    g_autofree char *confidence = vd_item_has_confidence (item)
                                  ? g_strdup_printf ("%.2f", vd_item_get_confidence (item))
                                  : g_strdup (_("no confidence given"));
    g_autofree char *source = describe_source (item);
    g_autofree char *revision = g_strdup_printf ("%d", vd_item_get_revision (item));
    g_autofree char *content_types = dup_content_types (item);
    GPtrArray *attachments = vd_item_get_attachments (item);
    VdEscalationReason reason = vd_item_get_escalation_reason (item);

    print_field (_("Queue"), vd_item_get_queue (item));
    print_field (_("Task"), vd_item_get_task_id (item));
    print_field (_("Status"), vd_task_status_to_string (vd_item_get_status (item)));
    print_field (_("Type"), vd_item_get_task_type (item));
    if (source != NULL)
      print_field (_("Source"), source);
    print_field (_("Received"), timestamp);
    if (vd_item_get_due_at (item) != NULL)
      {
        g_autofree char *due = vd_timestamp_format (vd_item_get_due_at (item));
        print_field (_("Due"), due);
      }
    print_field (_("Revision"), revision);
    if (vd_item_get_reviews_required (item) > 1)
      print_field (_("Reviews"), _("two reviewers must agree"));
    print_field (_("Escalation"),
                 reason == VD_ESCALATION_REASON_NONE ? "-" : vd_escalation_reason_to_string (reason));
    print_block (_("Why"), vd_item_get_escalation_detail (item));
    print_block (_("Input"), vd_item_get_task_description (item));
    print_block (_("Context"), vd_item_get_context (item));
    print_block (_("Output"), vd_item_get_content (item));
    print_field (_("Confidence"), confidence);
    print_block (_("Reasoning"), vd_item_get_reasoning (item));
    print_block (_("Metadata"), metadata);
    print_field (_("Content types"), content_types);

    for (guint i = 0; i < attachments->len; i++)
      {
        g_autofree char *described = describe_attachment (g_ptr_array_index (attachments, i));

        printf (_("Attachment: %s\n"), described);
      }

    for (guint i = 0; i < revisions->len; i++)
      {
        VdRevision *r = g_ptr_array_index (revisions, i);
        g_autofree char *feedback = vd_cli_escape_line (vd_revision_get_feedback (r));

        if (isnan (vd_revision_get_confidence (r)))
          printf (_("Revision %d (no confidence given), replaced after feedback: %s\n"),
                  vd_revision_get_revision (r), feedback != NULL ? feedback : "");
        else
          printf (_("Revision %d (confidence %.2f), replaced after feedback: %s\n"),
                  vd_revision_get_revision (r), vd_revision_get_confidence (r),
                  feedback != NULL ? feedback : "");
      }

    for (guint i = 0; i < decisions->len; i++)
      {
        VdDecision *d = g_ptr_array_index (decisions, i);
        g_autofree char *when = vd_timestamp_format (vd_decision_get_timestamp (d));
        g_autofree char *reviewer = vd_cli_escape_line (vd_decision_get_reviewer_id (d));
        g_autofree char *feedback = vd_cli_escape_line (vd_decision_get_feedback (d));
        g_autofree char *category = vd_cli_escape_line (vd_decision_get_category (d));

        /* TRANSLATORS: "Decision: approve by alice at ..." or "Review: ..." */
        printf (_("%s: %s by %s at %s (revision %d, audit #%" PRId64 ")%s%s\n"),
                vd_decision_get_final (d) ? _("Decision") : _("Review"),
                vd_decision_kind_to_string (vd_decision_get_kind (d)),
                reviewer, when, vd_decision_get_revision (d),
                vd_decision_get_audit_seq (d),
                *feedback ? ": " : "",
                feedback);
        if (vd_decision_get_helpful (d) != VD_HELPFUL_UNSET || category != NULL)
          printf (_("  Output helpful: %s; category: %s\n"),
                  vd_decision_get_helpful (d) == VD_HELPFUL_UNSET ? "-"
                  : vd_decision_get_helpful (d) == VD_HELPFUL_YES ? _("yes") : _("no"),
                  category != NULL ? category : "-");
        if (vd_decision_get_bulk_id (d) != 0)
          printf (_("  Part of bulk approve #%" PRId64 "\n"), vd_decision_get_bulk_id (d));
        {
          g_autofree char *signer = describe_signer (store, d);
          g_autofree char *model = vd_cli_escape_line (vd_decision_get_model (d));
          g_autofree char *prompt = vd_cli_escape_line (vd_decision_get_prompt_version (d));

          printf ("  %s\n", signer);
          printf (_("  Policy sha256 %s; model %s; prompt version %s; Verdict %s\n"),
                  vd_decision_get_policy_sha256 (d) != NULL
                  ? vd_decision_get_policy_sha256 (d) : "-",
                  model != NULL ? model : "-", prompt != NULL ? prompt : "-",
                  vd_decision_get_app_version (d) != NULL
                  ? vd_decision_get_app_version (d) : "-");
        }
      }

    if (sla.applied)
      {
        g_autofree char *applied_at = sla.applied_at != NULL
                                      ? vd_timestamp_format (sla.applied_at) : g_strdup ("-");
        g_autofree char *deadline = sla.deadline != NULL
                                    ? vd_timestamp_format (sla.deadline) : g_strdup ("-");

        g_autofree char *rule = vd_cli_escape_line (sla.rule);

        if (sla.fallback != sla.configured)
          printf (_("Deadline fallback: %s (the policy's %s was not safe for this item; "
                    "rule %s) at %s, deadline %s\n"),
                  vd_sla_fallback_to_string (sla.fallback),
                  vd_sla_fallback_to_string (sla.configured),
                  rule != NULL ? rule : "-", applied_at, deadline);
        else
          printf (_("Deadline fallback: %s (rule %s) at %s, deadline %s\n"),
                  vd_sla_fallback_to_string (sla.fallback),
                  rule != NULL ? rule : "-", applied_at, deadline);
      }
  }

  return VD_CLI_EXIT_OK;
}
