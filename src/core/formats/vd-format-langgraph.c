/* vd-format-langgraph.c
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

#define G_LOG_DOMAIN "vd-format-langgraph"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "vd-decision.h"
#include "vd-format-langgraph.h"
#include "vd-item.h"
#include "vd-json-guard.h"
#include "vd-json-write.h"

/*
 * LangGraph interrupts in, resumes out.
 *
 * Read: a JSON list of threads as the LangGraph SDK returns them
 * (client.threads.search(): `thread_id`, `status`, `interrupts`, either
 * `{TASK_ID: [{value, id}]}` or the list form `[{value, id}]`), a list of
 * interrupts `[{value, id}]` (a run's `__interrupt__`), a list of bare
 * interrupt values, or one thread, interrupt or value. A value is one of:
 *  - Agent Inbox's HumanInterrupt (langchain-ai/agent-inbox README,
 *    @langchain/langgraph/prebuilt HumanInterrupt): `{action_request:
 *    {action, args}, config: {allow_ignore, allow_respond, allow_edit,
 *    allow_accept}, description}`, or a list of them;
 *  - the request of LangChain v1's HumanInTheLoopMiddleware (langchain
 *    src/agents/middleware/hitl.ts and langchain/agents/middleware/
 *    human_in_the_loop.py): `{action_requests: [{name, args, description}],
 *    review_configs: [{action_name, allowed_decisions}]}` from Python, the
 *    same in camelCase from JavaScript.
 * Every action is its own item; the actions of one interrupt form a group.
 *
 * Write: `{THREAD_ID: {INTERRUPT_ID: RESUME}}`, RESUME being a list of
 * HumanResponse (`{type: accept|edit|response|ignore, args}`) or
 * `{decisions: [...]}` in the request's casing. An interrupt is written only
 * when each of its actions has a final decision: LangGraph takes one answer
 * for the whole interrupt.
 */

#define SCHEMA_HUMAN_INTERRUPT "human-interrupt"
#define SCHEMA_MIDDLEWARE      "hitl-middleware"
#define MAX_NAME_LENGTH        1024

typedef struct
{
  const VdFormatReadOptions *options;
  guint                      record;     /* 1-based */
  const char                *record_id;  /* nullable */
  GDateTime                 *timestamp;
  GPtrArray                 *items;      /* this record's items */
} ReadContext;

static void set_record_error (GError      **error,
                              ReadContext  *ctx,
                              const char   *field,
                              const char   *format,
                              ...) G_GNUC_PRINTF (4, 5);

static void
set_record_error (GError      **error,
                  ReadContext  *ctx,
                  const char   *field,
                  const char   *format,
                  ...)
{
  g_autofree char *what = NULL;
  g_autofree char *id = NULL;
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);

  if (ctx->record_id != NULL)
    id = g_strdup_printf (" (id %s)", ctx->record_id);

  g_set_error (error, VD_FORMAT_ERROR, VD_FORMAT_ERROR_INVALID, "%s: record %u%s: %s%s%s",
               ctx->options->filename != NULL ? ctx->options->filename : "-",
               ctx->record, id != NULL ? id : "",
               field != NULL ? field : "", field != NULL ? ": " : "", what);
}

/* A member that must be a non-empty string of reasonable length. */
static const char *
get_name (ReadContext  *ctx,
          JsonObject   *object,
          const char   *member,
          const char   *prefix,
          GError      **error)
{
  g_autofree char *field = g_strconcat (prefix, prefix[0] != '\0' ? "." : "", member, NULL);
  JsonNode *node = json_object_get_member (object, member);
  const char *value;

  if (node == NULL)
    {
      set_record_error (error, ctx, field, "missing");
      return NULL;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      set_record_error (error, ctx, field, "expected a string");
      return NULL;
    }
  value = json_node_get_string (node);
  if (value == NULL || value[0] == '\0')
    {
      set_record_error (error, ctx, field, "empty");
      return NULL;
    }
  if (strlen (value) > MAX_NAME_LENGTH)
    {
      set_record_error (error, ctx, field, "longer than %u bytes", MAX_NAME_LENGTH);
      return NULL;
    }
  return value;
}

/* An optional string member: NULL when absent or null. */
static gboolean
get_optional_string (ReadContext  *ctx,
                     JsonObject   *object,
                     const char   *member,
                     const char   *prefix,
                     const char  **value,
                     GError      **error)
{
  JsonNode *node = json_object_get_member (object, member);

  *value = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_autofree char *field = g_strconcat (prefix, prefix[0] != '\0' ? "." : "", member, NULL);

      set_record_error (error, ctx, field, "expected a string");
      return FALSE;
    }
  *value = json_node_get_string (node);
  return TRUE;
}

static JsonObject *
get_object (ReadContext  *ctx,
            JsonObject   *object,
            const char   *member,
            const char   *prefix,
            GError      **error)
{
  g_autofree char *field = g_strconcat (prefix, prefix[0] != '\0' ? "." : "", member, NULL);
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL)
    {
      set_record_error (error, ctx, field, "missing");
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      set_record_error (error, ctx, field, "expected an object");
      return NULL;
    }
  return json_node_get_object (node);
}

static JsonArray *
get_array (ReadContext  *ctx,
           JsonObject   *object,
           const char   *member,
           const char   *prefix,
           GError      **error)
{
  g_autofree char *field = g_strconcat (prefix, prefix[0] != '\0' ? "." : "", member, NULL);
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL)
    {
      set_record_error (error, ctx, field, "missing");
      return NULL;
    }
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      set_record_error (error, ctx, field, "expected a list");
      return NULL;
    }
  if (json_array_get_length (json_node_get_array (node)) == 0)
    {
      set_record_error (error, ctx, field, "empty");
      return NULL;
    }
  return json_node_get_array (node);
}

static gboolean
get_boolean (ReadContext  *ctx,
             JsonObject   *object,
             const char   *member,
             const char   *prefix,
             gboolean     *value,
             GError      **error)
{
  g_autofree char *field = g_strconcat (prefix, ".", member, NULL);
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL)
    {
      set_record_error (error, ctx, field, "missing");
      return FALSE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    {
      set_record_error (error, ctx, field, "expected true or false");
      return FALSE;
    }
  *value = json_node_get_boolean (node);
  return TRUE;
}

/* A name from the file, fit to quote in a message. */
static char *
shown_text (const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text, -1);

  if (g_utf8_strlen (valid, -1) > 64)
    {
      g_autofree char *start = g_utf8_substring (valid, 0, 64);

      return g_strconcat (start, "…", NULL);
    }
  return g_steal_pointer (&valid);
}

static char *
hash_node (JsonNode *node)
{
  g_autofree char *text = vd_json_node_to_string (node, FALSE);
  g_autofree char *sum = g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, -1);

  return g_strndup (sum, 16);
}

/* One item for one action of an interrupt. */
typedef struct
{
  const char *schema;
  const char *casing;          /* hitl-middleware only */
  const char *thread_id;       /* nullable: a value read without its thread */
  const char *status;          /* nullable */
  const char *interrupt_id;    /* nullable: a value read without its id */
  const char *interrupt_key;   /* interrupt_id, or a hash of the value */
  guint       index;
  guint       size;
} ActionPlace;

static void
add_item (ReadContext       *ctx,
          const ActionPlace *place,
          const char        *action,
          JsonNode          *args,
          const char        *description,
          const char *const *allowed,
          JsonObject        *extra)
{
  g_autoptr(VdItem) item = NULL;
  g_autoptr(JsonObject) source = json_object_new ();
  g_autoptr(JsonObject) ids = json_object_new ();
  g_autoptr(JsonObject) output = json_object_new ();
  g_autoptr(JsonObject) metadata = json_object_new ();
  g_autoptr(JsonNode) output_node = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonArray) allowed_array = json_array_new ();
  g_autofree char *task_id = NULL;
  g_autofree char *content = NULL;
  g_autofree char *context = NULL;
  g_autofree char *group = NULL;
  g_autofree char *fallback = NULL;

  task_id = g_strdup_printf ("lg:%s:%s:%u", place->thread_id != NULL ? place->thread_id : "-",
                             place->interrupt_key, place->index);
  item = vd_item_new (ctx->options->queue, task_id);

  json_object_set_string_member (output, "action", action);
  json_object_set_member (output, "args", json_node_copy (args));
  json_node_set_object (output_node, output);
  content = vd_json_node_to_string (output_node, TRUE);
  vd_item_set_content (item, content);
  vd_item_set_output_content_type (item, "application/json");

  if (description == NULL || description[0] == '\0')
    description = fallback = g_strdup_printf (_("Run the tool “%s”?"), action);
  vd_item_set_task_description (item, description);

  if (place->size > 1)
    context = g_strdup_printf (_("Action %u of %u of one interrupt: "
                                 "LangGraph resumes them together."),
                               place->index + 1, place->size);
  else
    context = g_strdup (_("The graph waits for this decision before it runs the tool."));
  vd_item_set_context (item, context);

  vd_item_clear_confidence (item);
  vd_item_set_escalation_reason (item, VD_ESCALATION_REASON_POLICY_REQUIRED);
  vd_item_set_escalation_detail (item, "LangGraph interrupt: the graph waits for a human decision");
  if (ctx->timestamp != NULL)
    vd_item_set_timestamp (item, ctx->timestamp);

  json_object_set_string_member (metadata, "action", action);
  if (place->thread_id != NULL)
    json_object_set_string_member (metadata, "thread_id", place->thread_id);
  if (place->status != NULL)
    json_object_set_string_member (metadata, "status", place->status);
  vd_item_set_metadata (item, metadata);

  json_object_set_string_member (source, "format", "langgraph");
  json_object_set_string_member (source, "schema", place->schema);
  if (place->casing != NULL)
    json_object_set_string_member (source, "casing", place->casing);
  if (place->thread_id != NULL)
    json_object_set_string_member (ids, "thread_id", place->thread_id);
  else
    json_object_set_null_member (ids, "thread_id");
  if (place->interrupt_id != NULL)
    json_object_set_string_member (ids, "interrupt_id", place->interrupt_id);
  else
    json_object_set_null_member (ids, "interrupt_id");
  json_object_set_int_member (ids, "action_index", place->index);
  json_object_set_object_member (source, "ids", g_steal_pointer (&ids));
  json_object_set_string_member (source, "key", place->interrupt_key);
  if (place->size > 1)
    {
      group = g_strdup_printf ("%s/%s", place->thread_id != NULL ? place->thread_id : "",
                               place->interrupt_key);
      json_object_set_string_member (source, "group", group);
      json_object_set_int_member (source, "group_index", place->index);
    }
  json_object_set_int_member (source, "group_size", place->size);
  for (guint i = 0; allowed[i] != NULL; i++)
    json_array_add_string_element (allowed_array, allowed[i]);
  json_object_set_array_member (source, "allowed_decisions", g_steal_pointer (&allowed_array));
  json_object_set_string_member (source, "action", action);
  if (extra != NULL)
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *value;

      json_object_iter_init (&iter, extra);
      while (json_object_iter_next (&iter, &name, &value))
        json_object_set_member (source, name, json_node_copy (value));
    }
  vd_item_set_source (item, source);

  g_ptr_array_add (ctx->items, g_steal_pointer (&item));
}

static gboolean
read_human_interrupt (ReadContext  *ctx,
                      ActionPlace  *place,
                      JsonNode     *node,
                      const char   *field,
                      GError      **error)
{
  g_autoptr(JsonObject) extra = NULL;
  g_autofree char *request_field = NULL;
  g_autofree char *config_field = NULL;
  JsonObject *object, *request, *config;
  const char *action, *description;
  const char *allowed[4] = { NULL, };
  gboolean accept, edit, respond, ignore;
  JsonNode *args;
  guint n = 0;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      set_record_error (error, ctx, field, "expected a HumanInterrupt object");
      return FALSE;
    }
  object = json_node_get_object (node);

  if ((request = get_object (ctx, object, "action_request", field, error)) == NULL)
    return FALSE;
  request_field = g_strconcat (field, ".action_request", NULL);
  if ((action = get_name (ctx, request, "action", request_field, error)) == NULL)
    return FALSE;
  if (get_object (ctx, request, "args", request_field, error) == NULL)
    return FALSE;
  args = json_object_get_member (request, "args");

  if ((config = get_object (ctx, object, "config", field, error)) == NULL)
    return FALSE;
  config_field = g_strconcat (field, ".config", NULL);
  if (!get_boolean (ctx, config, "allow_ignore", config_field, &ignore, error) ||
      !get_boolean (ctx, config, "allow_respond", config_field, &respond, error) ||
      !get_boolean (ctx, config, "allow_edit", config_field, &edit, error) ||
      !get_boolean (ctx, config, "allow_accept", config_field, &accept, error))
    return FALSE;
  if (!get_optional_string (ctx, object, "description", field, &description, error))
    return FALSE;

  if (accept)
    allowed[n++] = "approve";
  if (edit)
    allowed[n++] = "modify";
  if (respond || ignore)
    allowed[n++] = "reject";
  if (n == 0)
    {
      set_record_error (error, ctx, config_field, "allows no decision");
      return FALSE;
    }

  extra = json_object_new ();
  json_object_set_boolean_member (extra, "allow_respond", respond);
  json_object_set_boolean_member (extra, "allow_ignore", ignore);
  add_item (ctx, place, action, args, description, allowed, extra);
  return TRUE;
}

static const char *
verdict_decision_name (const char *name)
{
  if (g_strcmp0 (name, "approve") == 0)
    return "approve";
  if (g_strcmp0 (name, "edit") == 0)
    return "modify";
  if (g_strcmp0 (name, "reject") == 0)
    return "reject";
  return NULL;
}

static gboolean
read_middleware (ReadContext  *ctx,
                 ActionPlace  *place,
                 JsonObject   *object,
                 gboolean      python,
                 const char   *field,
                 GError      **error)
{
  const char *requests_name = python ? "action_requests" : "actionRequests";
  const char *configs_name = python ? "review_configs" : "reviewConfigs";
  const char *config_action_name = python ? "action_name" : "actionName";
  const char *allowed_name = python ? "allowed_decisions" : "allowedDecisions";
  JsonArray *requests, *configs;
  guint n_requests, n_configs;

  if ((requests = get_array (ctx, object, requests_name, field, error)) == NULL ||
      (configs = get_array (ctx, object, configs_name, field, error)) == NULL)
    return FALSE;

  n_requests = json_array_get_length (requests);
  n_configs = json_array_get_length (configs);

  /* Every review config first: a misspelled one is an error even when no
   * action names it. */
  for (guint i = 0; i < n_configs; i++)
    {
      g_autofree char *config_field = g_strdup_printf ("%s.%s[%u]", field, configs_name, i);
      JsonNode *node = json_array_get_element (configs, i);
      JsonObject *config;
      JsonArray *allowed;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          set_record_error (error, ctx, config_field, "expected an object");
          return FALSE;
        }
      config = json_node_get_object (node);
      if (get_name (ctx, config, config_action_name, config_field, error) == NULL)
        return FALSE;
      if ((allowed = get_array (ctx, config, allowed_name, config_field, error)) == NULL)
        return FALSE;
      for (guint j = 0; j < json_array_get_length (allowed); j++)
        {
          JsonNode *decision = json_array_get_element (allowed, j);
          g_autofree char *decision_field = g_strdup_printf ("%s.%s[%u]", config_field,
                                                             allowed_name, j);

          if (!JSON_NODE_HOLDS_VALUE (decision) ||
              json_node_get_value_type (decision) != G_TYPE_STRING)
            {
              set_record_error (error, ctx, decision_field, "expected a string");
              return FALSE;
            }
          if (verdict_decision_name (json_node_get_string (decision)) == NULL)
            {
              g_autofree char *shown = shown_text (json_node_get_string (decision));

              set_record_error (error, ctx, decision_field,
                                "unknown decision “%s” (expected approve, edit or reject)",
                                shown);
              return FALSE;
            }
        }
    }

  place->size = n_requests;
  for (guint i = 0; i < n_requests; i++)
    {
      g_autofree char *request_field = g_strdup_printf ("%s.%s[%u]", field, requests_name, i);
      JsonNode *node = json_array_get_element (requests, i);
      const char *allowed[4] = { NULL, };
      JsonObject *request, *config = NULL;
      const char *name, *description;
      JsonArray *allowed_array;
      guint n = 0;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          set_record_error (error, ctx, request_field, "expected an object");
          return FALSE;
        }
      request = json_node_get_object (node);
      if ((name = get_name (ctx, request, "name", request_field, error)) == NULL)
        return FALSE;
      if (get_object (ctx, request, "args", request_field, error) == NULL)
        return FALSE;
      if (!get_optional_string (ctx, request, "description", request_field, &description, error))
        return FALSE;

      /* One config per action, or one per tool name: the first with the
       * action's name holds for it. */
      for (guint j = 0; j < n_configs && config == NULL; j++)
        {
          JsonObject *candidate = json_array_get_object_element (configs, j);

          if (g_strcmp0 (json_object_get_string_member (candidate, config_action_name), name) == 0)
            config = candidate;
        }
      if (config == NULL)
        {
          g_autofree char *name_field = g_strconcat (request_field, ".name", NULL);

          set_record_error (error, ctx, name_field, "no entry of %s names this action",
                            configs_name);
          return FALSE;
        }

      allowed_array = json_object_get_array_member (config, allowed_name);
      for (guint j = 0; j < json_array_get_length (allowed_array) && n < 3; j++)
        {
          const char *wire = json_array_get_string_element (allowed_array, j);
          const char *kind = verdict_decision_name (wire);
          gboolean seen = FALSE;

          for (guint k = 0; k < n; k++)
            seen = seen || g_str_equal (allowed[k], kind);
          if (!seen)
            allowed[n++] = kind;
        }

      place->index = i;
      add_item (ctx, place, name, json_object_get_member (request, "args"), description,
                allowed, NULL);
    }
  return TRUE;
}

static gboolean
read_value (ReadContext  *ctx,
            ActionPlace  *place,
            JsonNode     *value,
            const char   *field,
            GError      **error)
{
  JsonObject *object;
  gboolean python, javascript;

  if (JSON_NODE_HOLDS_ARRAY (value))
    {
      JsonArray *list = json_node_get_array (value);
      guint n = json_array_get_length (list);

      if (n == 0)
        {
          set_record_error (error, ctx, field, "an empty list of HumanInterrupt");
          return FALSE;
        }
      place->schema = SCHEMA_HUMAN_INTERRUPT;
      place->size = n;
      for (guint i = 0; i < n; i++)
        {
          g_autofree char *element_field = g_strdup_printf ("%s[%u]", field, i);

          place->index = i;
          if (!read_human_interrupt (ctx, place, json_array_get_element (list, i), element_field,
                                     error))
            return FALSE;
        }
      return TRUE;
    }

  if (!JSON_NODE_HOLDS_OBJECT (value))
    {
      set_record_error (error, ctx, field,
                        "expected a HumanInterrupt or a human-in-the-loop request object");
      return FALSE;
    }
  object = json_node_get_object (value);

  if (json_object_has_member (object, "action_request"))
    {
      place->schema = SCHEMA_HUMAN_INTERRUPT;
      place->size = 1;
      place->index = 0;
      return read_human_interrupt (ctx, place, value, field, error);
    }

  python = json_object_has_member (object, "action_requests") ||
           json_object_has_member (object, "review_configs");
  javascript = json_object_has_member (object, "actionRequests") ||
               json_object_has_member (object, "reviewConfigs");
  if (python && javascript)
    {
      set_record_error (error, ctx, field,
                        "mixes Python (action_requests, review_configs) and JavaScript "
                        "(actionRequests, reviewConfigs) names");
      return FALSE;
    }
  if (!python && !javascript)
    {
      set_record_error (error, ctx, field,
                        "not a HumanInterrupt (action_request) nor a human-in-the-loop "
                        "request (action_requests, review_configs)");
      return FALSE;
    }

  place->schema = SCHEMA_MIDDLEWARE;
  place->casing = python ? "python" : "javascript";
  return read_middleware (ctx, place, object, python, field, error);
}

/* An interrupt: {value, id} (older servers: interrupt_id). */
static gboolean
read_interrupt (ReadContext  *ctx,
                const char   *thread_id,
                const char   *status,
                JsonNode     *node,
                const char   *field,
                GError      **error)
{
  ActionPlace place = { NULL, };
  g_autofree char *value_field = NULL;
  JsonObject *object;
  JsonNode *value;
  const char *id = NULL;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      set_record_error (error, ctx, field, "expected an interrupt object {value, id}");
      return FALSE;
    }
  object = json_node_get_object (node);
  value = json_object_get_member (object, "value");
  value_field = g_strconcat (field, field[0] != '\0' ? "." : "", "value", NULL);
  if (value == NULL)
    {
      set_record_error (error, ctx, value_field, "missing");
      return FALSE;
    }
  if (json_object_has_member (object, "id"))
    id = get_name (ctx, object, "id", field, error);
  else if (json_object_has_member (object, "interrupt_id"))
    id = get_name (ctx, object, "interrupt_id", field, error);
  else
    {
      set_record_error (error, ctx, field[0] != '\0' ? field : NULL,
                        "the interrupt has no id (LangGraph could not be resumed by it)");
      return FALSE;
    }
  if (id == NULL)
    return FALSE;

  place.thread_id = thread_id;
  place.status = status;
  place.interrupt_id = id;
  place.interrupt_key = id;
  return read_value (ctx, &place, value, value_field, error);
}

static gboolean
read_thread (ReadContext  *ctx,
             JsonObject   *thread,
             GError      **error)
{
  const char *thread_id, *status, *time;
  JsonNode *interrupts;

  if ((thread_id = get_name (ctx, thread, "thread_id", "", error)) == NULL)
    return FALSE;
  ctx->record_id = thread_id;
  if (!get_optional_string (ctx, thread, "status", "", &status, error))
    return FALSE;

  for (guint i = 0; i < 2; i++)
    {
      const char *member = i == 0 ? "updated_at" : "created_at";

      if (!get_optional_string (ctx, thread, member, "", &time, error))
        return FALSE;
      if (time != NULL && ctx->timestamp == NULL)
        {
          ctx->timestamp = g_date_time_new_from_iso8601 (time, NULL);
          if (ctx->timestamp == NULL)
            {
              set_record_error (error, ctx, member, "not an ISO 8601 time");
              return FALSE;
            }
        }
    }

  interrupts = json_object_get_member (thread, "interrupts");
  if (interrupts == NULL)
    {
      set_record_error (error, ctx, "interrupts", "missing");
      return FALSE;
    }

  if (JSON_NODE_HOLDS_ARRAY (interrupts))
    {
      JsonArray *list = json_node_get_array (interrupts);

      for (guint i = 0; i < json_array_get_length (list); i++)
        {
          g_autofree char *field = g_strdup_printf ("interrupts[%u]", i);

          if (!read_interrupt (ctx, thread_id, status, json_array_get_element (list, i), field,
                               error))
            return FALSE;
        }
      return TRUE;
    }

  if (JSON_NODE_HOLDS_OBJECT (interrupts))
    {
      JsonObjectIter iter;
      const char *task_id;
      JsonNode *list;

      json_object_iter_init (&iter, json_node_get_object (interrupts));
      while (json_object_iter_next (&iter, &task_id, &list))
        {
          g_autofree char *shown = shown_text (task_id);
          g_autofree char *field = g_strdup_printf ("interrupts.%s", shown);

          if (!JSON_NODE_HOLDS_ARRAY (list))
            {
              set_record_error (error, ctx, field, "expected a list of interrupts");
              return FALSE;
            }
          for (guint i = 0; i < json_array_get_length (json_node_get_array (list)); i++)
            {
              g_autofree char *element_field = g_strdup_printf ("%s[%u]", field, i);

              if (!read_interrupt (ctx, thread_id, status,
                                   json_array_get_element (json_node_get_array (list), i),
                                   element_field, error))
                return FALSE;
            }
        }
      return TRUE;
    }

  if (JSON_NODE_HOLDS_NULL (interrupts))
    return TRUE;

  set_record_error (error, ctx, "interrupts", "expected an object of task ids or a list");
  return FALSE;
}

static gboolean
read_record (ReadContext  *ctx,
             JsonNode     *record,
             GError      **error)
{
  JsonObject *object = JSON_NODE_HOLDS_OBJECT (record) ? json_node_get_object (record) : NULL;

  if (object != NULL && json_object_has_member (object, "thread_id"))
    return read_thread (ctx, object, error);

  if (object != NULL && json_object_has_member (object, "value") &&
      (json_object_has_member (object, "id") || json_object_has_member (object, "interrupt_id")))
    return read_interrupt (ctx, NULL, NULL, record, "", error);

  /* A bare value: no thread and no interrupt id. */
  {
    g_autofree char *hash = hash_node (record);
    ActionPlace place = { NULL, };

    place.interrupt_key = hash;
    return read_value (ctx, &place, record, "value", error);
  }
}

static GPtrArray *
langgraph_read (GBytes                     *bytes,
                const VdFormatReadOptions  *options,
                GPtrArray                  *problems,
                GError                    **error)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  const char *filename = options->filename != NULL ? options->filename : "-";
  const char *data;
  gsize length;
  JsonArray *records = NULL;
  guint n_records;

  data = g_bytes_get_data (bytes, &length);
  if (data == NULL || length == 0)
    {
      g_set_error (error, VD_FORMAT_ERROR, VD_FORMAT_ERROR_INVALID, "%s: empty file", filename);
      return NULL;
    }
  root = vd_json_guard_parse (data, length, VD_FORMAT_LANGGRAPH_MAX_BYTES, &local_error);
  if (root == NULL)
    {
      g_set_error (error, VD_FORMAT_ERROR, VD_FORMAT_ERROR_INVALID, "%s: %s", filename,
                   local_error->message);
      return NULL;
    }

  if (JSON_NODE_HOLDS_ARRAY (root))
    {
      records = json_node_get_array (root);
      n_records = json_array_get_length (records);
      /* A list of HumanInterrupt is one value, not a list of records. */
      if (n_records > 0)
        {
          JsonNode *first = json_array_get_element (records, 0);

          if (JSON_NODE_HOLDS_OBJECT (first) &&
              json_object_has_member (json_node_get_object (first), "action_request"))
            records = NULL;
        }
    }
  if (records == NULL)
    n_records = 1;
  if (n_records == 0)
    {
      g_set_error (error, VD_FORMAT_ERROR, VD_FORMAT_ERROR_INVALID,
                   "%s: no threads or interrupts", filename);
      return NULL;
    }

  for (guint i = 0; i < n_records; i++)
    {
      g_autoptr(GPtrArray) record_items = g_ptr_array_new_with_free_func (g_object_unref);
      g_autoptr(GError) record_error = NULL;
      ReadContext ctx = { options, i + 1, NULL, NULL, record_items };
      JsonNode *record = records != NULL ? json_array_get_element (records, i) : root;
      gboolean ok;

      ok = read_record (&ctx, record, &record_error);
      g_clear_pointer (&ctx.timestamp, g_date_time_unref);

      /* Two records for one interrupt would be answered twice. */
      for (guint j = 0; ok && j < record_items->len; j++)
        {
          const char *task_id = vd_item_get_task_id (g_ptr_array_index (record_items, j));

          if (g_hash_table_contains (seen, task_id))
            {
              ctx.record_id = NULL;
              set_record_error (&record_error, &ctx, NULL,
                                "the same interrupt action as an earlier record (%s)", task_id);
              ok = FALSE;
            }
        }

      if (!ok)
        {
          if (!options->skip_invalid || problems == NULL)
            {
              g_propagate_error (error, g_steal_pointer (&record_error));
              return NULL;
            }
          g_ptr_array_add (problems, g_strdup (record_error->message));
          continue;
        }

      for (guint j = 0; j < record_items->len; j++)
        {
          VdItem *item = g_ptr_array_index (record_items, j);

          g_hash_table_add (seen, (gpointer) vd_item_get_task_id (item));
          g_ptr_array_add (items, g_object_ref (item));
        }
    }

  return g_steal_pointer (&items);
}

static gboolean
langgraph_sniff (JsonObject *first)
{
  JsonNode *value;

  if (first == NULL)
    return FALSE;
  if (json_object_has_member (first, "thread_id") && json_object_has_member (first, "interrupts"))
    return TRUE;
  if (json_object_has_member (first, "action_request") ||
      json_object_has_member (first, "action_requests") ||
      json_object_has_member (first, "actionRequests"))
    return TRUE;
  value = json_object_get_member (first, "value");
  if (value != NULL && JSON_NODE_HOLDS_OBJECT (value) && json_object_has_member (first, "id"))
    return langgraph_sniff (json_node_get_object (value));
  return FALSE;
}

static gboolean
is_langgraph (VdItem *item)
{
  return g_strcmp0 (vd_item_get_source_format (item), "langgraph") == 0 &&
         vd_item_get_source (item) != NULL;
}

/* The edited action {"action": NAME, "args": {...}}: returns the args. */
static JsonNode *
parse_edit (VdItem      *item,
            const char  *text,
            GError     **error)
{
  JsonObject *source = vd_item_get_source (item);
  const char *action = json_object_get_string_member_with_default (source, "action", "");
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonObject *object;
  JsonNode *name, *args;

  if (text == NULL)
    {
      g_set_error (error, VD_FORMAT_ERROR, VD_FORMAT_ERROR_INVALID,
                   "%s: an edit needs the edited action", vd_item_get_task_id (item));
      return NULL;
    }
  root = vd_json_guard_parse (text, strlen (text), VD_FORMAT_LANGGRAPH_MAX_BYTES, &local_error);
  if (root == NULL)
    {
      g_set_error (error, VD_FORMAT_ERROR, VD_FORMAT_ERROR_INVALID,
                   "%s: the edited action is not JSON: %s", vd_item_get_task_id (item),
                   local_error->message);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (root))
    goto shape;
  object = json_node_get_object (root);
  name = json_object_get_member (object, "action");
  args = json_object_get_member (object, "args");
  if (json_object_get_size (object) != 2 || name == NULL || args == NULL ||
      !JSON_NODE_HOLDS_VALUE (name) || json_node_get_value_type (name) != G_TYPE_STRING ||
      !JSON_NODE_HOLDS_OBJECT (args))
    goto shape;
  if (g_strcmp0 (json_node_get_string (name), action) != 0)
    {
      g_set_error (error, VD_FORMAT_ERROR, VD_FORMAT_ERROR_INVALID,
                   "%s: an edit keeps the action “%s”; only its args may change",
                   vd_item_get_task_id (item), action);
      return NULL;
    }
  return json_node_copy (args);

shape:
  g_set_error (error, VD_FORMAT_ERROR, VD_FORMAT_ERROR_INVALID,
               "%s: the edited action must be a JSON object {\"action\": \"%s\", \"args\": {…}}",
               vd_item_get_task_id (item), action);
  return NULL;
}

static gboolean
langgraph_check_decision (VdItem      *item,
                          VdDecision  *decision,
                          GError     **error)
{
  g_autoptr(JsonNode) args = NULL;

  if (!is_langgraph (item))
    return TRUE;
  if (vd_decision_get_kind (decision) != VD_DECISION_KIND_MODIFY)
    return TRUE;

  args = parse_edit (item, vd_decision_get_modified_content (decision), error);
  return args != NULL;
}

static gboolean
is_final (VdDecision *decision)
{
  return decision != NULL && vd_decision_get_kind (decision) != VD_DECISION_KIND_ESCALATE_FURTHER;
}

static const char *
reject_message (VdDecision *decision)
{
  const char *feedback = vd_decision_get_feedback (decision);

  if (feedback == NULL || feedback[0] == '\0' || g_utf8_strlen (feedback, -1) == 0)
    return VD_FORMAT_LANGGRAPH_DEFAULT_REJECT;
  return feedback;
}

/* One HumanResponse for an Agent Inbox HumanInterrupt. */
static JsonNode *
human_response (VdFormatEntry  *entry,
                GError        **error)
{
  JsonObject *source = vd_item_get_source (entry->item);
  const char *name = json_object_get_string_member_with_default (source, "action", "");
  g_autoptr(JsonObject) response = json_object_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  switch (vd_decision_get_kind (entry->decision))
    {
    case VD_DECISION_KIND_APPROVE:
      json_object_set_string_member (response, "type", "accept");
      json_object_set_null_member (response, "args");
      break;

    case VD_DECISION_KIND_MODIFY:
      {
        g_autoptr(JsonObject) action = json_object_new ();
        JsonNode *args = parse_edit (entry->item,
                                     vd_decision_get_modified_content (entry->decision), error);

        if (args == NULL)
          return NULL;
        json_object_set_string_member (action, "action", name);
        json_object_set_member (action, "args", args);
        json_object_set_string_member (response, "type", "edit");
        json_object_set_object_member (response, "args", g_steal_pointer (&action));
      }
      break;

    case VD_DECISION_KIND_REJECT:
      {
        const char *feedback = vd_decision_get_feedback (entry->decision);
        gboolean respond = json_object_get_boolean_member_with_default (source, "allow_respond",
                                                                        FALSE);
        gboolean ignore = json_object_get_boolean_member_with_default (source, "allow_ignore",
                                                                       FALSE);

        /* Feedback goes back as a response when the interrupt takes one; a
         * reject without feedback, or where only ignore is allowed, is an
         * ignore. */
        if (respond && (!ignore || (feedback != NULL && feedback[0] != '\0')))
          {
            json_object_set_string_member (response, "type", "response");
            json_object_set_string_member (response, "args", reject_message (entry->decision));
          }
        else
          {
            json_object_set_string_member (response, "type", "ignore");
            json_object_set_null_member (response, "args");
          }
      }
      break;

    case VD_DECISION_KIND_ESCALATE_FURTHER:
    default:
      g_assert_not_reached ();
    }

  json_node_set_object (node, response);
  return g_steal_pointer (&node);
}

/* One decision of the v1 middleware's {"decisions": [...]}. */
static JsonNode *
middleware_decision (VdFormatEntry  *entry,
                     GError        **error)
{
  JsonObject *source = vd_item_get_source (entry->item);
  const char *name = json_object_get_string_member_with_default (source, "action", "");
  gboolean python = g_strcmp0 (json_object_get_string_member_with_default (source, "casing", ""),
                               "python") == 0;
  g_autoptr(JsonObject) decision = json_object_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  switch (vd_decision_get_kind (entry->decision))
    {
    case VD_DECISION_KIND_APPROVE:
      json_object_set_string_member (decision, "type", "approve");
      break;

    case VD_DECISION_KIND_MODIFY:
      {
        g_autoptr(JsonObject) action = json_object_new ();
        JsonNode *args = parse_edit (entry->item,
                                     vd_decision_get_modified_content (entry->decision), error);

        if (args == NULL)
          return NULL;
        json_object_set_string_member (action, "name", name);
        json_object_set_member (action, "args", args);
        json_object_set_string_member (decision, "type", "edit");
        json_object_set_object_member (decision, python ? "edited_action" : "editedAction",
                                       g_steal_pointer (&action));
      }
      break;

    case VD_DECISION_KIND_REJECT:
      json_object_set_string_member (decision, "type", "reject");
      json_object_set_string_member (decision, "message", reject_message (entry->decision));
      break;

    case VD_DECISION_KIND_ESCALATE_FURTHER:
    default:
      g_assert_not_reached ();
    }

  json_node_set_object (node, decision);
  return g_steal_pointer (&node);
}

typedef struct
{
  char       *thread_key;
  char       *interrupt_key;
  GPtrArray  *entries;      /* VdFormatEntry *, by action index when complete */
} Group;

static void
group_free (Group *group)
{
  g_free (group->thread_key);
  g_free (group->interrupt_key);
  g_ptr_array_unref (group->entries);
  g_free (group);
}

static const char *
source_id (JsonObject *source,
           const char *member)
{
  JsonObject *ids;
  JsonNode *node;

  if (!json_object_has_member (source, "ids") ||
      !JSON_NODE_HOLDS_OBJECT (json_object_get_member (source, "ids")))
    return NULL;
  ids = json_object_get_object_member (source, "ids");
  node = json_object_get_member (ids, member);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gint64
source_int (JsonObject *source,
            const char *object_member,
            const char *member)
{
  JsonObject *object = source;
  JsonNode *node;

  if (object_member != NULL)
    {
      node = json_object_get_member (source, object_member);
      if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
        return -1;
      object = json_node_get_object (node);
    }
  node = json_object_get_member (object, member);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_INT64)
    return -1;
  return json_node_get_int (node);
}

/* The entries in action order when every action has one final decision. */
static GPtrArray *
complete_group (Group *group)
{
  VdFormatEntry *first = g_ptr_array_index (group->entries, 0);
  gint64 size = source_int (vd_item_get_source (first->item), NULL, "group_size");
  g_autoptr(GPtrArray) ordered = NULL;

  if (size < 1 || (guint64) size != group->entries->len)
    return NULL;

  ordered = g_ptr_array_new ();
  g_ptr_array_set_size (ordered, group->entries->len);
  for (guint i = 0; i < group->entries->len; i++)
    {
      VdFormatEntry *entry = g_ptr_array_index (group->entries, i);
      gint64 index = source_int (vd_item_get_source (entry->item), "ids", "action_index");

      if (index < 0 || index >= size || g_ptr_array_index (ordered, index) != NULL ||
          !is_final (entry->decision))
        return NULL;
      g_ptr_array_index (ordered, index) = entry;
    }
  return g_steal_pointer (&ordered);
}

static gboolean
langgraph_write (GPtrArray        *entries,
                 GOutputStream    *out,
                 VdFormatSummary  *summary,
                 GCancellable     *cancellable,
                 GError          **error)
{
  g_autoptr(GPtrArray) groups = g_ptr_array_new_with_free_func ((GDestroyNotify) group_free);
  g_autoptr(GHashTable) by_key = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(JsonObject) threads = json_object_new ();
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < entries->len; i++)
    {
      VdFormatEntry *entry = g_ptr_array_index (entries, i);
      JsonObject *source;
      const char *thread, *key;
      g_autofree char *group_key = NULL;
      Group *group;

      if (!is_langgraph (entry->item))
        {
          summary->other++;
          continue;
        }
      source = vd_item_get_source (entry->item);
      thread = source_id (source, "thread_id");
      key = json_object_get_string_member_with_default (source, "key", NULL);
      if (key == NULL)
        key = source_id (source, "interrupt_id");
      if (key == NULL)
        {
          g_set_error (error, VD_FORMAT_ERROR, VD_FORMAT_ERROR_INVALID,
                       "%s: the item's LangGraph source has no interrupt id",
                       vd_item_get_task_id (entry->item));
          return FALSE;
        }

      group_key = g_strdup_printf ("%s%c%s", thread != NULL ? thread : "", 0x1f, key);
      group = g_hash_table_lookup (by_key, group_key);
      if (group == NULL)
        {
          const char *interrupt_id = source_id (source, "interrupt_id");

          /* A value read without its thread or id is answered under the
           * thread "" and the hash of the value. */
          group = g_new0 (Group, 1);
          group->thread_key = g_strdup (thread != NULL ? thread : "");
          group->interrupt_key = g_strdup (interrupt_id != NULL ? interrupt_id : key);
          group->entries = g_ptr_array_new ();
          g_ptr_array_add (groups, group);
          g_hash_table_insert (by_key, g_steal_pointer (&group_key), group);
        }
      g_ptr_array_add (group->entries, entry);
    }

  for (guint i = 0; i < groups->len; i++)
    {
      Group *group = g_ptr_array_index (groups, i);
      g_autoptr(GPtrArray) ordered = complete_group (group);
      g_autoptr(JsonArray) answers = NULL;
      g_autoptr(JsonNode) resume = NULL;
      VdFormatEntry *first;
      JsonObject *thread;
      gboolean middleware;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;

      if (ordered == NULL)
        {
          summary->held_back += group->entries->len;
          continue;
        }

      first = g_ptr_array_index (ordered, 0);
      middleware = g_strcmp0 (json_object_get_string_member_with_default (
                                vd_item_get_source (first->item), "schema", ""),
                              SCHEMA_MIDDLEWARE) == 0;
      answers = json_array_new ();
      for (guint j = 0; j < ordered->len; j++)
        {
          VdFormatEntry *entry = g_ptr_array_index (ordered, j);
          JsonNode *answer = middleware ? middleware_decision (entry, error)
                                        : human_response (entry, error);

          if (answer == NULL)
            return FALSE;
          json_array_add_element (answers, answer);
        }

      if (middleware)
        {
          g_autoptr(JsonObject) object = json_object_new ();

          json_object_set_array_member (object, "decisions", g_steal_pointer (&answers));
          resume = json_node_new (JSON_NODE_OBJECT);
          json_node_set_object (resume, object);
        }
      else
        {
          resume = json_node_new (JSON_NODE_ARRAY);
          json_node_set_array (resume, answers);
        }

      if (!json_object_has_member (threads, group->thread_key))
        json_object_set_object_member (threads, group->thread_key, json_object_new ());
      thread = json_object_get_object_member (threads, group->thread_key);
      json_object_set_member (thread, group->interrupt_key, g_steal_pointer (&resume));
      summary->written += ordered->len;
    }

  json_node_set_object (root, threads);
  vd_json_append_node (text, root, TRUE);
  g_string_append_c (text, '\n');
  return g_output_stream_write_all (out, text->str, text->len, NULL, cancellable, error);
}

static const VdFormatClass langgraph_class = {
  .name = "langgraph",
  .label = N_("LangGraph interrupts"),
  .sniff = langgraph_sniff,
  .read = langgraph_read,
  .check_decision = langgraph_check_decision,
  .write = langgraph_write,
};

/**
 * vd_format_langgraph_get_class:
 *
 * Returns: (transfer none): the LangGraph format: interrupts in, resumes out
 */
const VdFormatClass *
vd_format_langgraph_get_class (void)
{
  return &langgraph_class;
}
