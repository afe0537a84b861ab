/* vd-agent.c
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

#define G_LOG_DOMAIN "vd-agent"

#include "config.h"

#include <math.h>
#include <string.h>

#include "vd-agent.h"
#include "vd-agent-private.h"
#include "vd-core-resources.h"

/**
 * VdAgent:
 *
 * The four agents of the review loop, each one prompt (a resource under
 * /io/github/verdict/Verdict/core/prompts/) and one JSON schema for its
 * answer, asked through a #VdLlmClient:
 *
 * - the task agent does a task and rates its own confidence;
 * - the reviser redoes it with a reviewer's feedback;
 * - the confidence evaluator gives a second opinion on an output;
 * - decision support lays out options, risks and a recommendation.
 *
 * Answers are checked field by field; anything missing, of the wrong type
 * or out of range is a %VD_LLM_ERROR_BAD_RESPONSE naming the field.
 */
struct _VdAgent
{
  GObject      parent_instance;

  VdLlmClient *client;
};

G_DEFINE_FINAL_TYPE (VdAgent, vd_agent, G_TYPE_OBJECT)

G_DEFINE_BOXED_TYPE (VdAgentOutput, vd_agent_output, vd_agent_output_copy, vd_agent_output_free)
G_DEFINE_BOXED_TYPE (VdDecisionSupport, vd_decision_support,
                     vd_decision_support_copy, vd_decision_support_free)

enum {
  PROP_0,
  PROP_CLIENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef enum
{
  AGENT_TASK,
  AGENT_REVISE,
  AGENT_EVALUATE,
  AGENT_DECIDE,
} AgentKind;

/* Which resources make up each agent, and how errors name it. */
static const struct
{
  const char *name;
  const char *system_prompt;
  const char *user_prompt;
  const char *schema;
} agents[] = {
  [AGENT_TASK] = { "task agent", "task-system.md", "task-user.md",
                   "agent-output.schema.json" },
  [AGENT_REVISE] = { "reviser", "revise-system.md", "revise-user.md",
                     "agent-output.schema.json" },
  [AGENT_EVALUATE] = { "confidence evaluator", "evaluate-system.md", "evaluate-user.md",
                       "confidence-assessment.schema.json" },
  [AGENT_DECIDE] = { "decision support", "decide-system.md", "decide-user.md",
                     "decision-support.schema.json" },
};

typedef struct
{
  AgentKind  kind;
  gboolean   stream;
  char      *url;
} AgentCall;

typedef struct
{
  double  confidence;
  char   *reasoning;
} Assessment;

static void
agent_call_free (AgentCall *call)
{
  g_free (call->url);
  g_free (call);
}

static void
assessment_free (Assessment *assessment)
{
  g_free (assessment->reasoning);
  g_free (assessment);
}

/* Boxed types */

/**
 * vd_agent_output_new:
 * @content: the output
 * @confidence: 0..1
 * @reasoning: (nullable): why
 * @metadata: (nullable): facts for the policy; %NULL for none
 *
 * Returns: (transfer full): a new #VdAgentOutput
 */
VdAgentOutput *
vd_agent_output_new (const char *content,
                     double      confidence,
                     const char *reasoning,
                     JsonObject *metadata)
{
  VdAgentOutput *output = g_new0 (VdAgentOutput, 1);

  output->content = g_strdup (content ? content : "");
  output->confidence = confidence;
  output->reasoning = g_strdup (reasoning ? reasoning : "");
  output->metadata = metadata ? json_object_ref (metadata) : json_object_new ();

  return output;
}

VdAgentOutput *
vd_agent_output_copy (const VdAgentOutput *output)
{
  g_return_val_if_fail (output != NULL, NULL);

  return vd_agent_output_new (output->content, output->confidence, output->reasoning,
                              output->metadata);
}

void
vd_agent_output_free (VdAgentOutput *output)
{
  if (output == NULL)
    return;

  g_free (output->content);
  g_free (output->reasoning);
  g_clear_pointer (&output->metadata, json_object_unref);
  g_free (output);
}

VdDecisionSupport *
vd_decision_support_copy (const VdDecisionSupport *support)
{
  VdDecisionSupport *copy;

  g_return_val_if_fail (support != NULL, NULL);

  copy = g_new0 (VdDecisionSupport, 1);
  copy->options = g_strdupv (support->options);
  copy->analysis = g_strdup (support->analysis);
  copy->recommendation = g_strdup (support->recommendation);
  copy->confidence = support->confidence;
  copy->risks = g_strdupv (support->risks);
  copy->considerations = g_strdupv (support->considerations);

  return copy;
}

void
vd_decision_support_free (VdDecisionSupport *support)
{
  if (support == NULL)
    return;

  g_strfreev (support->options);
  g_free (support->analysis);
  g_free (support->recommendation);
  g_strfreev (support->risks);
  g_strfreev (support->considerations);
  g_free (support);
}

/* Resources */

static GBytes *
lookup (const char  *name,
        GError     **error)
{
  g_autofree char *path = g_strconcat (VD_AGENT_PROMPTS_PATH, name, NULL);

  /* Through the library's own resource, so that linking vd-agent.o always
   * brings the prompts along. */
  return g_resource_lookup_data (vd_core_get_resource (), path,
                                 G_RESOURCE_LOOKUP_FLAGS_NONE, error);
}

/**
 * _vd_agent_load_prompt:
 * @name: a file name under the prompts resource path
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the prompt text
 */
char *
_vd_agent_load_prompt (const char  *name,
                       GError     **error)
{
  g_autoptr(GBytes) bytes = lookup (name, error);
  gsize len;
  const char *data;

  if (bytes == NULL)
    return NULL;

  data = g_bytes_get_data (bytes, &len);
  return g_strndup (data, len);
}

/**
 * _vd_agent_load_schema:
 * @name: a file name under the prompts resource path
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the schema
 */
JsonObject *
_vd_agent_load_schema (const char  *name,
                       GError     **error)
{
  g_autoptr(GBytes) bytes = lookup (name, error);
  g_autoptr(JsonParser) parser = NULL;
  JsonNode *root;
  const char *data;
  gsize len;

  if (bytes == NULL)
    return NULL;

  data = g_bytes_get_data (bytes, &len);
  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, data, (gssize) len, error))
    return NULL;

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s: the schema is not a JSON object", name);
      return NULL;
    }

  return json_object_ref (json_node_get_object (root));
}

static char *
render_valist (const char *template_text,
               va_list     args)
{
  g_autoptr(GHashTable) values = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GString) out = g_string_new (NULL);
  const char *p = template_text;
  const char *name;

  while ((name = va_arg (args, const char *)) != NULL)
    {
      const char *value = va_arg (args, const char *);

      g_hash_table_insert (values, (gpointer) name, (gpointer) (value ? value : ""));
    }

  while (*p != '\0')
    {
      const char *open = strstr (p, "{{");
      const char *close;
      g_autofree char *key = NULL;
      const char *value;

      if (open == NULL || (close = strstr (open + 2, "}}")) == NULL)
        {
          g_string_append (out, p);
          break;
        }

      g_string_append_len (out, p, open - p);
      key = g_strndup (open + 2, close - open - 2);
      value = g_hash_table_lookup (values, key);
      if (value != NULL)
        g_string_append (out, value);
      else
        {
          g_critical ("No value for the placeholder “%s”", key);
          g_string_append_len (out, open, close + 2 - open);
        }
      p = close + 2;
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

/**
 * _vd_agent_render:
 * @template_text: text with `{{name}}` placeholders
 * @...: pairs of name and value (a %NULL value is empty), ended by %NULL
 *
 * Fills in the placeholders in one pass: text inside a value is never
 * expanded again.
 *
 * Returns: (transfer full): the text
 */
char *
_vd_agent_render (const char *template_text,
                  ...)
{
  va_list args;
  char *text;

  va_start (args, template_text);
  text = render_valist (template_text, args);
  va_end (args);

  return text;
}

/* Parsing answers */

/* How a JSON value looks, for an error message. */
static char *
describe (JsonNode *node)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      return g_strdup ("an object");

    case JSON_NODE_ARRAY:
      return g_strdup ("a list");

    case JSON_NODE_NULL:
      return g_strdup ("null");

    case JSON_NODE_VALUE:
    default:
      break;
    }

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_BOOLEAN:
      return g_strdup (json_node_get_boolean (node) ? "true" : "false");

    case G_TYPE_INT64:
      return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));

    case G_TYPE_DOUBLE:
      {
        char buffer[G_ASCII_DTOSTR_BUF_SIZE];

        return g_strdup (g_ascii_formatd (buffer, sizeof buffer, "%g",
                                          json_node_get_double (node)));
      }

    case G_TYPE_STRING:
    default:
      {
        const char *text = json_node_get_string (node);
        g_autoptr(JsonNode) copy = json_node_new (JSON_NODE_VALUE);
        g_autofree char *shortened = NULL;

        if (text != NULL && g_utf8_strlen (text, -1) > 40)
          {
            g_autofree char *start = g_utf8_substring (text, 0, 40);

            shortened = g_strconcat (start, "…", NULL);
            text = shortened;
          }
        json_node_set_string (copy, text ? text : "");
        return json_to_string (copy, FALSE);
      }
    }
}

static gboolean
field_error (GError     **error,
             const char  *field,
             const char  *expected,
             JsonNode    *found)
{
  g_autofree char *description = NULL;

  if (found == NULL)
    {
      g_set_error (error, VD_LLM_ERROR, VD_LLM_ERROR_BAD_RESPONSE, "%s: missing", field);
      return FALSE;
    }

  description = describe (found);
  g_set_error (error, VD_LLM_ERROR, VD_LLM_ERROR_BAD_RESPONSE,
               "%s: expected %s, found %s", field, expected, description);
  return FALSE;
}

/* A number from 0 to 1; a numeric string ("0.8") is accepted, since
 * models write one now and then; anything else ("high", 1.7) is an error,
 * never clamped. */
static gboolean
parse_confidence (JsonObject  *object,
                  double      *confidence,
                  GError     **error)
{
  const char *expected = "a number from 0 to 1";
  JsonNode *node = json_object_get_member (object, "confidence");
  double value;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return field_error (error, "confidence", expected, node);

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
    case G_TYPE_DOUBLE:
      value = json_node_get_double (node);
      break;

    case G_TYPE_STRING:
      {
        g_autofree char *text = g_strstrip (g_strdup (json_node_get_string (node)));
        char *end = NULL;

        value = g_ascii_strtod (text, &end);
        if (*text == '\0' || end == NULL || *end != '\0')
          return field_error (error, "confidence", expected, node);
      }
      break;

    default:
      return field_error (error, "confidence", expected, node);
    }

  if (!isfinite (value) || value < 0.0 || value > 1.0)
    return field_error (error, "confidence", expected, node);

  *confidence = value;
  return TRUE;
}

static gboolean
parse_text (JsonObject  *object,
            const char  *field,
            gboolean     required,
            char       **text,
            GError     **error)
{
  JsonNode *node = json_object_get_member (object, field);

  if (node == NULL && !required)
    {
      *text = g_strdup ("");
      return TRUE;
    }

  if (node != NULL && JSON_NODE_HOLDS_NULL (node) && !required)
    {
      *text = g_strdup ("");
      return TRUE;
    }

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return field_error (error, field, "text", node);

  *text = g_strdup (json_node_get_string (node));
  return TRUE;
}

/* An optional list of texts. */
static gboolean
parse_texts (JsonObject  *object,
             const char  *field,
             GStrv       *texts,
             GError     **error)
{
  JsonNode *node = json_object_get_member (object, field);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonArray *array;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      *texts = g_new0 (char *, 1);
      return TRUE;
    }

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return field_error (error, field, "a list of texts", node);

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_VALUE (element) ||
          json_node_get_value_type (element) != G_TYPE_STRING)
        {
          g_autofree char *name = g_strdup_printf ("%s[%u]", field, i);

          return field_error (error, name, "text", element);
        }

      g_strv_builder_add (builder, json_node_get_string (element));
    }

  *texts = g_strv_builder_end (builder);
  return TRUE;
}

/**
 * _vd_agent_output_parse:
 * @object: the task agent's or reviser's answer
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the output, or %NULL with a
 *   %VD_LLM_ERROR_BAD_RESPONSE naming the field
 */
VdAgentOutput *
_vd_agent_output_parse (JsonObject  *object,
                        GError     **error)
{
  g_autoptr(VdAgentOutput) output = g_new0 (VdAgentOutput, 1);
  JsonNode *metadata;

  if (!parse_text (object, "content", TRUE, &output->content, error) ||
      !parse_confidence (object, &output->confidence, error) ||
      !parse_text (object, "reasoning", FALSE, &output->reasoning, error))
    return NULL;

  metadata = json_object_get_member (object, "metadata");
  if (metadata == NULL || JSON_NODE_HOLDS_NULL (metadata))
    output->metadata = json_object_new ();
  else if (JSON_NODE_HOLDS_OBJECT (metadata))
    output->metadata = json_object_ref (json_node_get_object (metadata));
  else
    {
      field_error (error, "metadata", "an object", metadata);
      return NULL;
    }

  return g_steal_pointer (&output);
}

/**
 * _vd_agent_assessment_parse:
 * @object: the confidence evaluator's answer
 * @confidence: (out): the confidence
 * @reasoning: (out) (transfer full): the reasoning
 * @error: return location for a #GError
 *
 * Returns: %TRUE if @object is a valid assessment
 */
gboolean
_vd_agent_assessment_parse (JsonObject  *object,
                            double      *confidence,
                            char       **reasoning,
                            GError     **error)
{
  g_autofree char *text = NULL;
  double value = 0.0;

  if (!parse_confidence (object, &value, error) ||
      !parse_text (object, "reasoning", FALSE, &text, error))
    return FALSE;

  *confidence = value;
  *reasoning = g_steal_pointer (&text);
  return TRUE;
}

/**
 * _vd_decision_support_parse:
 * @object: the decision support answer
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the support, or %NULL with an error
 */
VdDecisionSupport *
_vd_decision_support_parse (JsonObject  *object,
                            GError     **error)
{
  g_autoptr(VdDecisionSupport) support = g_new0 (VdDecisionSupport, 1);

  if (!parse_texts (object, "options", &support->options, error) ||
      !parse_text (object, "analysis", TRUE, &support->analysis, error) ||
      !parse_text (object, "recommendation", TRUE, &support->recommendation, error) ||
      !parse_confidence (object, &support->confidence, error) ||
      !parse_texts (object, "risks", &support->risks, error) ||
      !parse_texts (object, "considerations", &support->considerations, error))
    return NULL;

  return g_steal_pointer (&support);
}

/* Running an agent */

/*
 * The version of an agent's prompts: its kind and the first 12 hex digits
 * of the SHA-256 of its system prompt, user prompt template and output
 * schema, as built into this program. A change to any of them gives a new
 * version.
 */
static char *
dup_prompt_version (AgentKind kind)
{
  const char *names[] = { agents[kind].system_prompt, agents[kind].user_prompt,
                          agents[kind].schema };
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree char *prefix = g_strndup (agents[kind].system_prompt,
                                       strcspn (agents[kind].system_prompt, "-"));

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(GBytes) bytes = lookup (names[i], NULL);
      gsize len = 0;
      const guchar *data = bytes != NULL ? g_bytes_get_data (bytes, &len) : NULL;

      if (data != NULL)
        g_checksum_update (checksum, data, len);
      g_checksum_update (checksum, (const guchar *) "\0", 1);
    }

  return g_strdup_printf ("%s-%.12s", prefix, g_checksum_get_string (checksum));
}

/* Records in the output's metadata which model wrote it and with which
 * prompts (the decision's stamps come from these two keys). What the model
 * itself put under these names is replaced: these are facts, not claims. */
static void
stamp_output (VdLlmClient   *client,
              AgentKind      kind,
              VdAgentOutput *output)
{
  const char *model = vd_llm_client_get_model (client);
  g_autofree char *prompt_version = dup_prompt_version (kind);

  if (model != NULL && model[0] != '\0')
    json_object_set_string_member (output->metadata, "model", model);
  json_object_set_string_member (output->metadata, "prompt_version", prompt_version);
}

static void
on_answer (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  AgentCall *call = g_task_get_task_data (task);
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  if (call->stream)
    text = vd_llm_client_chat_stream_finish (VD_LLM_CLIENT (object), result, &answer, &error);
  else
    text = vd_llm_client_chat_finish (VD_LLM_CLIENT (object), result, &answer, &error);

  if (text == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_assert (answer != NULL);

  switch (call->kind)
    {
    case AGENT_TASK:
    case AGENT_REVISE:
      {
        VdAgentOutput *output = _vd_agent_output_parse (answer, &error);

        if (output != NULL)
          {
            stamp_output (VD_LLM_CLIENT (object), call->kind, output);
            g_task_return_pointer (task, output, (GDestroyNotify) vd_agent_output_free);
            return;
          }
      }
      break;

    case AGENT_EVALUATE:
      {
        Assessment *assessment = g_new0 (Assessment, 1);

        if (_vd_agent_assessment_parse (answer, &assessment->confidence,
                                        &assessment->reasoning, &error))
          {
            g_task_return_pointer (task, assessment, (GDestroyNotify) assessment_free);
            return;
          }
        assessment_free (assessment);
      }
      break;

    case AGENT_DECIDE:
    default:
      {
        VdDecisionSupport *support = _vd_decision_support_parse (answer, &error);

        if (support != NULL)
          {
            g_task_return_pointer (task, support, (GDestroyNotify) vd_decision_support_free);
            return;
          }
      }
      break;
    }

  g_prefix_error (&error, "%s: %s answer: ", call->url, agents[call->kind].name);
  g_task_return_error (task, g_steal_pointer (&error));
}

static void
return_early_error (VdAgent             *self,
                    GError              *error,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data,
                    gpointer             source_tag)
{
  g_autoptr(GTask) task = g_task_new (self, NULL, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_return_error (task, error);
}

/* Takes @user_prompt, or @prompt_error when the prompt could not be
 * rendered: that error is returned before any request is made. */
static void
run_agent (VdAgent             *self,
           AgentKind            kind,
           char                *user_prompt,
           GError              *prompt_error,
           VdLlmDeltaFunc       delta_func,
           gpointer             delta_data,
           GDestroyNotify       delta_destroy,
           GCancellable        *cancellable,
           GAsyncReadyCallback  callback,
           gpointer             user_data,
           gpointer             source_tag)
{
  g_autofree char *user_text = user_prompt;
  g_autoptr(GTask) task = NULL;
  g_autoptr(JsonObject) schema = NULL;
  g_autoptr(JsonArray) messages = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *system_text = NULL;
  g_autofree char *endpoint = NULL;
  AgentCall *call;

  if (user_prompt == NULL)
    {
      g_assert (prompt_error != NULL);
      if (delta_destroy != NULL)
        delta_destroy (delta_data);
      return_early_error (self, prompt_error, callback, user_data, source_tag);
      return;
    }

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);

  call = g_new0 (AgentCall, 1);
  call->kind = kind;
  call->stream = delta_func != NULL;
  endpoint = vd_llm_client_dup_endpoint_url (self->client);
  call->url = vd_llm_redact_text (endpoint);
  g_task_set_task_data (task, call, (GDestroyNotify) agent_call_free);

  system_text = _vd_agent_load_prompt (agents[kind].system_prompt, &error);
  if (system_text != NULL)
    schema = _vd_agent_load_schema (agents[kind].schema, &error);
  if (schema == NULL)
    {
      if (delta_destroy != NULL)
        delta_destroy (delta_data);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  messages = vd_llm_messages_new (system_text, user_text);

  if (call->stream)
    vd_llm_client_chat_stream_async (self->client, messages, schema, VD_LLM_CHAT_FLAGS_NONE,
                                     delta_func, delta_data, delta_destroy, cancellable,
                                     on_answer, g_steal_pointer (&task));
  else
    vd_llm_client_chat_async (self->client, messages, schema, VD_LLM_CHAT_FLAGS_NONE,
                              cancellable, on_answer, g_steal_pointer (&task));
}

static char *render_user_prompt (AgentKind   kind,
                                 GError    **error,
                                 ...) G_GNUC_NULL_TERMINATED;

/* The agent's user prompt with the name and value pairs filled in. */
static char *
render_user_prompt (AgentKind    kind,
                    GError     **error,
                    ...)
{
  g_autofree char *template_text = _vd_agent_load_prompt (agents[kind].user_prompt, error);
  va_list args;
  char *text;

  if (template_text == NULL)
    return NULL;

  va_start (args, error);
  text = render_valist (template_text, args);
  va_end (args);

  return text;
}

/**
 * vd_agent_run_task_async:
 * @self: a #VdAgent
 * @task_description: what to do
 * @task_type: (nullable): the kind of task, e.g. `content_moderation`
 * @context: (nullable): background for the task
 * @delta_func: (nullable): receives the answer as it streams in
 * @delta_data: data for @delta_func
 * @delta_destroy: (nullable): frees @delta_data
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the result
 * @user_data: data for @callback
 *
 * Runs the task agent: it does the task and rates its confidence.
 */
void
vd_agent_run_task_async (VdAgent             *self,
                         const char          *task_description,
                         const char          *task_type,
                         const char          *context,
                         VdLlmDeltaFunc       delta_func,
                         gpointer             delta_data,
                         GDestroyNotify       delta_destroy,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  GError *error = NULL;
  char *prompt;

  g_return_if_fail (VD_IS_AGENT (self));
  g_return_if_fail (task_description != NULL);

  prompt = render_user_prompt (AGENT_TASK, &error,
                               "task_description", task_description,
                               "task_type", task_type,
                               "context", context,
                               NULL);
  run_agent (self, AGENT_TASK, prompt, error, delta_func, delta_data, delta_destroy,
             cancellable, callback, user_data, vd_agent_run_task_async);
}

/**
 * vd_agent_run_task_finish:
 * @self: a #VdAgent
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the output
 */
VdAgentOutput *
vd_agent_run_task_finish (VdAgent       *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (VD_IS_AGENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == vd_agent_run_task_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * vd_agent_revise_async:
 * @self: a #VdAgent
 * @task_description: what to do
 * @task_type: (nullable): the kind of task
 * @context: (nullable): background for the task
 * @previous: the output the reviewer rejected
 * @feedback: the reviewer's feedback
 * @delta_func: (nullable): receives the answer as it streams in
 * @delta_data: data for @delta_func
 * @delta_destroy: (nullable): frees @delta_data
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the result
 * @user_data: data for @callback
 *
 * Runs the reviser: a new output for the task that takes the reviewer's
 * feedback into account, with its confidence.
 */
void
vd_agent_revise_async (VdAgent              *self,
                       const char           *task_description,
                       const char           *task_type,
                       const char           *context,
                       const VdAgentOutput  *previous,
                       const char           *feedback,
                       VdLlmDeltaFunc        delta_func,
                       gpointer              delta_data,
                       GDestroyNotify        delta_destroy,
                       GCancellable         *cancellable,
                       GAsyncReadyCallback   callback,
                       gpointer              user_data)
{
  char confidence[G_ASCII_DTOSTR_BUF_SIZE];
  GError *error = NULL;
  char *prompt;

  g_return_if_fail (VD_IS_AGENT (self));
  g_return_if_fail (task_description != NULL);
  g_return_if_fail (previous != NULL);
  g_return_if_fail (feedback != NULL);

  g_ascii_formatd (confidence, sizeof confidence, "%.2f", previous->confidence);
  prompt = render_user_prompt (AGENT_REVISE, &error,
                               "task_description", task_description,
                               "task_type", task_type,
                               "context", context,
                               "previous_content", previous->content,
                               "previous_confidence", confidence,
                               "previous_reasoning", previous->reasoning,
                               "feedback", feedback,
                               NULL);
  run_agent (self, AGENT_REVISE, prompt, error, delta_func, delta_data, delta_destroy,
             cancellable, callback, user_data, vd_agent_revise_async);
}

/**
 * vd_agent_revise_finish:
 * @self: a #VdAgent
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the new output
 */
VdAgentOutput *
vd_agent_revise_finish (VdAgent       *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (VD_IS_AGENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == vd_agent_revise_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * vd_agent_evaluate_confidence_async:
 * @self: a #VdAgent
 * @task_description: the task
 * @task_type: (nullable): the kind of task
 * @context: (nullable): background for the task
 * @content: the agent's output to judge
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the result
 * @user_data: data for @callback
 *
 * Asks for a second opinion on how confident one should be in @content.
 * The agent's own rating is left out of the prompt so as not to anchor it.
 */
void
vd_agent_evaluate_confidence_async (VdAgent             *self,
                                    const char          *task_description,
                                    const char          *task_type,
                                    const char          *context,
                                    const char          *content,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  GError *error = NULL;
  char *prompt;

  g_return_if_fail (VD_IS_AGENT (self));
  g_return_if_fail (task_description != NULL);
  g_return_if_fail (content != NULL);

  prompt = render_user_prompt (AGENT_EVALUATE, &error,
                               "task_description", task_description,
                               "task_type", task_type,
                               "context", context,
                               "content", content,
                               NULL);
  run_agent (self, AGENT_EVALUATE, prompt, error, NULL, NULL, NULL, cancellable,
             callback, user_data, vd_agent_evaluate_confidence_async);
}

/**
 * vd_agent_evaluate_confidence_finish:
 * @self: a #VdAgent
 * @result: the result given to the callback
 * @confidence: (out) (optional): the second opinion, 0..1
 * @reasoning: (out) (optional) (transfer full): its grounds
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success
 */
gboolean
vd_agent_evaluate_confidence_finish (VdAgent       *self,
                                     GAsyncResult  *result,
                                     double        *confidence,
                                     char         **reasoning,
                                     GError       **error)
{
  Assessment *assessment;

  g_return_val_if_fail (VD_IS_AGENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        vd_agent_evaluate_confidence_async, FALSE);

  assessment = g_task_propagate_pointer (G_TASK (result), error);
  if (assessment == NULL)
    return FALSE;

  if (confidence != NULL)
    *confidence = assessment->confidence;
  if (reasoning != NULL)
    *reasoning = g_steal_pointer (&assessment->reasoning);
  assessment_free (assessment);

  return TRUE;
}

/**
 * vd_agent_decision_support_async:
 * @self: a #VdAgent
 * @situation: what is to be decided
 * @options: (nullable) (array zero-terminated=1): the options seen so far
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the result
 * @user_data: data for @callback
 *
 * Asks for options, analysis, risks, considerations and a recommendation
 * for a reviewer.
 */
void
vd_agent_decision_support_async (VdAgent             *self,
                                 const char          *situation,
                                 const char * const  *options,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GString) lines = g_string_new (NULL);
  GError *error = NULL;
  char *prompt;

  g_return_if_fail (VD_IS_AGENT (self));
  g_return_if_fail (situation != NULL);

  for (guint i = 0; options != NULL && options[i] != NULL; i++)
    g_string_append_printf (lines, "%s- %s", i > 0 ? "\n" : "", options[i]);
  if (lines->len == 0)
    g_string_append (lines, "- (none given: propose the options)");

  prompt = render_user_prompt (AGENT_DECIDE, &error,
                               "situation", situation,
                               "options", lines->str,
                               NULL);
  run_agent (self, AGENT_DECIDE, prompt, error, NULL, NULL, NULL, cancellable,
             callback, user_data, vd_agent_decision_support_async);
}

/**
 * vd_agent_decision_support_finish:
 * @self: a #VdAgent
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the decision support
 */
VdDecisionSupport *
vd_agent_decision_support_finish (VdAgent       *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (VD_IS_AGENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        vd_agent_decision_support_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* GObject */

static void
vd_agent_dispose (GObject *object)
{
  VdAgent *self = VD_AGENT (object);

  g_clear_object (&self->client);

  G_OBJECT_CLASS (vd_agent_parent_class)->dispose (object);
}

static void
vd_agent_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  VdAgent *self = VD_AGENT (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vd_agent_set_property (GObject      *object,
                       guint         prop_id,
                       const GValue *value,
                       GParamSpec   *pspec)
{
  VdAgent *self = VD_AGENT (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      self->client = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vd_agent_class_init (VdAgentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = vd_agent_dispose;
  object_class->get_property = vd_agent_get_property;
  object_class->set_property = vd_agent_set_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL,
                         VD_TYPE_LLM_CLIENT,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
vd_agent_init (VdAgent *self)
{
}

/**
 * vd_agent_new:
 * @client: the client to ask through
 *
 * Returns: (transfer full): a new #VdAgent
 */
VdAgent *
vd_agent_new (VdLlmClient *client)
{
  g_return_val_if_fail (VD_IS_LLM_CLIENT (client), NULL);

  return g_object_new (VD_TYPE_AGENT, "client", client, NULL);
}

/**
 * vd_agent_get_client:
 * @self: a #VdAgent
 *
 * Returns: (transfer none): the client
 */
VdLlmClient *
vd_agent_get_client (VdAgent *self)
{
  g_return_val_if_fail (VD_IS_AGENT (self), NULL);

  return self->client;
}
