/* vd-policy.c
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

#define G_LOG_DOMAIN "vd-policy"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "vd-item.h"
#include "vd-policy.h"

#define DEFAULT_THRESHOLD 0.7
#define POLICY_VERSION    1

/* Ten years: a deadline further away than this is a mistake, and the
 * arithmetic on it stays far from any overflow. */
#define MAX_SLA_MINUTES   5256000
#define MAX_PENDING_LIMIT G_MAXINT32

/* The wire names of VdSlaFallback and VdQueueFullAction, by value. */
static const char * const fallback_names[] = {
  [VD_SLA_FALLBACK_ESCALATE] = "escalate",
  [VD_SLA_FALLBACK_AUTO_REJECT] = "auto_reject",
  [VD_SLA_FALLBACK_AUTO_APPROVE] = "auto_approve",
};

static const char * const on_full_names[] = {
  [VD_QUEUE_FULL_PAUSE_AGENT] = "pause_agent",
  [VD_QUEUE_FULL_REFUSE] = "refuse",
};

G_DEFINE_QUARK (vd-policy-error-quark, vd_policy_error)

typedef enum
{
  RULE_OP_GT,
  RULE_OP_GE,
  RULE_OP_LT,
  RULE_OP_LE,
  RULE_OP_EQ,
  RULE_OP_NE,
  RULE_OP_CONTAINS,
} RuleOp;

/* The wire spelling of each operator, indexed by RuleOp. */
static const char * const op_names[] = {
  [RULE_OP_GT] = ">",
  [RULE_OP_GE] = ">=",
  [RULE_OP_LT] = "<",
  [RULE_OP_LE] = "<=",
  [RULE_OP_EQ] = "==",
  [RULE_OP_NE] = "!=",
  [RULE_OP_CONTAINS] = "contains",
};

typedef struct
{
  char                *name;
  char                *path;
  char               **segments;
  RuleOp               op;
  JsonNode            *value;
  VdEscalationReason   reason;
} Rule;

/* Settings that override the global ones for one task type. A field that
 * is not set falls back to the global value. */
typedef struct
{
  char          *name;
  gboolean       has_threshold;
  double         threshold;
  guint          sla_minutes;      /* 0: not set */
  gboolean       has_fallback;
  VdSlaFallback  fallback;
  char          *fallback_field;   /* "task_types.NAME.fallback" */
} TypeSettings;

/* The agent loop's limit for one queue. */
typedef struct
{
  char              *name;
  guint              max_pending;
  VdQueueFullAction  on_full;
} QueueSettings;

/* A word list with the folded form of each word, computed once. */
typedef struct
{
  GPtrArray *words;
  GPtrArray *folded;
} WordList;

struct _VdPolicy
{
  GObject     parent_instance;

  double      confidence_threshold;
  WordList    sensitive_keywords;
  WordList    high_risk_actions;
  GPtrArray  *always_review_types;
  GPtrArray  *task_types;            /* TypeSettings, in file order */
  GPtrArray  *rules;                 /* Rule, in file order */

  guint          sla_minutes;        /* 0: no global SLA */
  gboolean       has_fallback;
  VdSlaFallback  fallback;
  guint          escalated_sla_minutes;  /* 0: none */
  GPtrArray     *queues;             /* QueueSettings, in file order */
  GPtrArray     *feedback_categories; /* char *, in file order */
};

G_DEFINE_FINAL_TYPE (VdPolicy, vd_policy, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CONFIDENCE_THRESHOLD,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_BOXED_TYPE (VdPolicyResult, vd_policy_result,
                     vd_policy_result_copy, vd_policy_result_free)

/* Text helpers */

/* The form in which keywords and content are compared: compatibility
 * composed and case folded, so that "STRASSE" contains "straße" and a
 * decomposed "É" equals a precomposed "é". Folding may leave combining
 * marks out of order, hence the second normalisation. */
static char *
fold_text (const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text, -1);
  g_autofree char *composed = g_utf8_normalize (valid, -1, G_NORMALIZE_NFKC);
  g_autofree char *folded = g_utf8_casefold (composed, -1);

  return g_utf8_normalize (folded, -1, G_NORMALIZE_NFKC);
}

/* Shortest decimal text that reads back as the same double. */
static char *
format_number (double value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  if (value == floor (value) && fabs (value) < 1e15)
    return g_strdup_printf ("%.0f", value);

  g_ascii_formatd (buffer, sizeof buffer, "%.15g", value);
  if (g_ascii_strtod (buffer, NULL) != value)
    g_ascii_formatd (buffer, sizeof buffer, "%.17g", value);

  return g_strdup (buffer);
}

/* Two figures for a sentence, with two decimals unless more are needed to
 * show that they differ (0.699 must not read as "0.70 is below 0.70"). */
static void
format_figures (double   a,
                double   b,
                char   **a_text,
                char   **b_text)
{
  for (int precision = 2; ; precision++)
    {
      *a_text = g_strdup_printf ("%.*f", precision, a);
      *b_text = g_strdup_printf ("%.*f", precision, b);

      if (a == b || precision >= 17 || strcmp (*a_text, *b_text) != 0)
        return;

      g_free (*a_text);
      g_free (*b_text);
    }
}

static gboolean
node_is_number (JsonNode *node)
{
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  type = json_node_get_value_type (node);
  return type == G_TYPE_INT64 || type == G_TYPE_DOUBLE;
}

static gboolean
node_is_string (JsonNode *node)
{
  return node != NULL &&
         JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_STRING;
}

static double
node_get_number (JsonNode *node)
{
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return (double) json_node_get_int (node);

  return json_node_get_double (node);
}

static void
append_json_string (GString    *out,
                    const char *text)
{
  g_string_append_c (out, '"');

  for (const char *p = text; *p != '\0'; p++)
    {
      switch (*p)
        {
        case '"':
          g_string_append (out, "\\\"");
          break;
        case '\\':
          g_string_append (out, "\\\\");
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        case '\r':
          g_string_append (out, "\\r");
          break;
        case '\t':
          g_string_append (out, "\\t");
          break;
        case '\b':
          g_string_append (out, "\\b");
          break;
        case '\f':
          g_string_append (out, "\\f");
          break;
        default:
          if ((guchar) *p < 0x20)
            g_string_append_printf (out, "\\u%04x", (guint) (guchar) *p);
          else
            g_string_append_c (out, *p);
        }
    }

  g_string_append_c (out, '"');
}

/* Scalars as JSON text, doubles in their shortest exact form (json-glib
 * 1.6 writes 0.7 as 0.69999999999999996). */
static void
append_json_scalar (GString  *out,
                    JsonNode *node)
{
  g_autofree char *number = NULL;

  if (JSON_NODE_HOLDS_NULL (node))
    {
      g_string_append (out, "null");
      return;
    }

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
      break;

    case G_TYPE_DOUBLE:
      number = format_number (json_node_get_double (node));
      g_string_append (out, number);
      /* Keep it a double when read back. */
      if (strpbrk (number, ".eE") == NULL)
        g_string_append (out, ".0");
      break;

    case G_TYPE_BOOLEAN:
      g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
      break;

    case G_TYPE_STRING:
      append_json_string (out, json_node_get_string (node));
      break;

    default:
      g_assert_not_reached ();
    }
}

static void
append_indent (GString *out,
               guint    depth)
{
  for (guint i = 0; i < depth; i++)
    g_string_append (out, "  ");
}

static void
append_json_node (GString  *out,
                  JsonNode *node,
                  guint     depth)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      g_autoptr(GList) members = json_object_get_members (object);

      if (members == NULL)
        {
          g_string_append (out, "{}");
          return;
        }

      g_string_append (out, "{\n");
      for (const GList *l = members; l != NULL; l = l->next)
        {
          append_indent (out, depth + 1);
          append_json_string (out, l->data);
          g_string_append (out, ": ");
          append_json_node (out, json_object_get_member (object, l->data), depth + 1);
          g_string_append (out, l->next != NULL ? ",\n" : "\n");
        }
      append_indent (out, depth);
      g_string_append_c (out, '}');
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      guint length = json_array_get_length (array);

      if (length == 0)
        {
          g_string_append (out, "[]");
          return;
        }

      g_string_append (out, "[\n");
      for (guint i = 0; i < length; i++)
        {
          append_indent (out, depth + 1);
          append_json_node (out, json_array_get_element (array, i), depth + 1);
          g_string_append (out, i + 1 < length ? ",\n" : "\n");
        }
      append_indent (out, depth);
      g_string_append_c (out, ']');
    }
  else
    {
      append_json_scalar (out, node);
    }
}

/* A new node with the same scalar; json_node_copy() would share the value. */
static JsonNode *
scalar_copy (JsonNode *node)
{
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      return json_node_init_int (json_node_alloc (), json_node_get_int (node));
    case G_TYPE_DOUBLE:
      return json_node_init_double (json_node_alloc (), json_node_get_double (node));
    case G_TYPE_STRING:
      return json_node_init_string (json_node_alloc (), json_node_get_string (node));
    default:
      g_assert_not_reached ();
    }
}

/* A value as a reader of an error message or explanation sees it: numbers
 * and JSON literals as written, strings in JSON quotes (cut when long). */
static char *
describe_node (JsonNode *node)
{
  g_autoptr(GString) out = g_string_new (NULL);

  if (JSON_NODE_HOLDS_OBJECT (node))
    return g_strdup (_("an object"));

  if (JSON_NODE_HOLDS_ARRAY (node))
    return g_strdup (_("an array"));

  if (node_is_string (node))
    {
      const char *text = json_node_get_string (node);

      if (g_utf8_strlen (text, -1) > 60)
        {
          g_autofree char *cut = g_utf8_substring (text, 0, 60);

          append_json_string (out, cut);
          g_string_insert (out, out->len - 1, "…");
          return g_string_free (g_steal_pointer (&out), FALSE);
        }
    }

  append_json_scalar (out, node);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* Word lists */

static void
word_list_init (WordList *list)
{
  list->words = g_ptr_array_new_with_free_func (g_free);
  list->folded = g_ptr_array_new_with_free_func (g_free);
}

static void
word_list_clear (WordList *list)
{
  g_clear_pointer (&list->words, g_ptr_array_unref);
  g_clear_pointer (&list->folded, g_ptr_array_unref);
}

static void
word_list_add (WordList   *list,
               const char *word)
{
  g_ptr_array_add (list->words, g_strdup (word));
  g_ptr_array_add (list->folded, fold_text (word));
}

/* Returns: (nullable): the first word found in @folded_content */
static const char *
word_list_find (WordList   *list,
                const char *folded_content)
{
  for (guint i = 0; i < list->folded->len; i++)
    {
      if (strstr (folded_content, g_ptr_array_index (list->folded, i)) != NULL)
        return g_ptr_array_index (list->words, i);
    }

  return NULL;
}

/* Rules and type settings */

static void
rule_free (Rule *rule)
{
  g_free (rule->name);
  g_free (rule->path);
  g_strfreev (rule->segments);
  g_clear_pointer (&rule->value, json_node_unref);
  g_free (rule);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Rule, rule_free)

static void
type_settings_free (TypeSettings *settings)
{
  g_free (settings->name);
  g_free (settings->fallback_field);
  g_free (settings);
}

static void
queue_settings_free (QueueSettings *settings)
{
  g_free (settings->name);
  g_free (settings);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TypeSettings, type_settings_free)

static TypeSettings *
find_type_settings (VdPolicy   *self,
                    const char *task_type)
{
  if (task_type == NULL)
    return NULL;

  for (guint i = 0; i < self->task_types->len; i++)
    {
      TypeSettings *settings = g_ptr_array_index (self->task_types, i);

      if (strcmp (settings->name, task_type) == 0)
        return settings;
    }

  return NULL;
}

static TypeSettings *
ensure_type_settings (VdPolicy   *self,
                      const char *task_type)
{
  TypeSettings *settings = find_type_settings (self, task_type);

  if (settings == NULL)
    {
      settings = g_new0 (TypeSettings, 1);
      settings->name = g_strdup (task_type);
      settings->fallback_field = g_strdup_printf ("task_types.%s.fallback", task_type);
      g_ptr_array_add (self->task_types, settings);
    }

  return settings;
}

/* Walks a dotted path through nested metadata objects.
 * Returns: (nullable): the value, or %NULL when the path leads nowhere */
static JsonNode *
lookup_path (JsonObject  *metadata,
             char       **segments)
{
  JsonObject *object = metadata;
  JsonNode *node = NULL;

  for (guint i = 0; segments[i] != NULL; i++)
    {
      if (object == NULL || !json_object_has_member (object, segments[i]))
        return NULL;

      node = json_object_get_member (object, segments[i]);
      object = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
    }

  return node;
}

static gboolean
folded_equal (const char *a,
              const char *b)
{
  g_autofree char *folded_a = fold_text (a);
  g_autofree char *folded_b = fold_text (b);

  return strcmp (folded_a, folded_b) == 0;
}

/* Whether two scalars are equal; a number never equals a string. */
static gboolean
values_equal (JsonNode *actual,
              JsonNode *expected)
{
  if (node_is_number (actual) && node_is_number (expected))
    return node_get_number (actual) == node_get_number (expected);

  if (node_is_string (actual) && node_is_string (expected))
    return strcmp (json_node_get_string (actual), json_node_get_string (expected)) == 0;

  return FALSE;
}

static gboolean
rule_matches (Rule       *rule,
              JsonObject *metadata,
              JsonNode  **out_actual)
{
  JsonNode *actual;

  *out_actual = NULL;

  if (metadata == NULL)
    return FALSE;

  actual = lookup_path (metadata, rule->segments);
  if (actual == NULL)
    return FALSE;

  *out_actual = actual;

  switch (rule->op)
    {
    case RULE_OP_GT:
    case RULE_OP_GE:
    case RULE_OP_LT:
    case RULE_OP_LE:
      {
        double a, b;

        /* A numeric string such as "12000" is text, not a number. */
        if (!node_is_number (actual))
          return FALSE;

        a = node_get_number (actual);
        b = node_get_number (rule->value);

        switch (rule->op)
          {
          case RULE_OP_GT:
            return a > b;
          case RULE_OP_GE:
            return a >= b;
          case RULE_OP_LT:
            return a < b;
          case RULE_OP_LE:
            return a <= b;
          case RULE_OP_EQ:
          case RULE_OP_NE:
          case RULE_OP_CONTAINS:
          default:
            g_assert_not_reached ();
          }
      }

    case RULE_OP_EQ:
      return values_equal (actual, rule->value);

    case RULE_OP_NE:
      return !values_equal (actual, rule->value);

    case RULE_OP_CONTAINS:
      {
        const char *needle = json_node_get_string (rule->value);

        if (node_is_string (actual))
          {
            g_autofree char *haystack = fold_text (json_node_get_string (actual));
            g_autofree char *folded_needle = fold_text (needle);

            return strstr (haystack, folded_needle) != NULL;
          }

        if (JSON_NODE_HOLDS_ARRAY (actual))
          {
            JsonArray *array = json_node_get_array (actual);

            for (guint i = 0; i < json_array_get_length (array); i++)
              {
                JsonNode *element = json_array_get_element (array, i);

                if (node_is_string (element) &&
                    folded_equal (json_node_get_string (element), needle))
                  return TRUE;
              }
          }

        return FALSE;
      }

    default:
      g_assert_not_reached ();
    }
}

/* GObject */

static void
vd_policy_finalize (GObject *object)
{
  VdPolicy *self = (VdPolicy *)object;

  word_list_clear (&self->sensitive_keywords);
  word_list_clear (&self->high_risk_actions);
  g_clear_pointer (&self->always_review_types, g_ptr_array_unref);
  g_clear_pointer (&self->task_types, g_ptr_array_unref);
  g_clear_pointer (&self->rules, g_ptr_array_unref);
  g_clear_pointer (&self->queues, g_ptr_array_unref);
  g_clear_pointer (&self->feedback_categories, g_ptr_array_unref);

  G_OBJECT_CLASS (vd_policy_parent_class)->finalize (object);
}

static void
vd_policy_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  VdPolicy *self = VD_POLICY (object);

  switch (prop_id)
    {
    case PROP_CONFIDENCE_THRESHOLD:
      g_value_set_double (value, self->confidence_threshold);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vd_policy_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  VdPolicy *self = VD_POLICY (object);

  switch (prop_id)
    {
    case PROP_CONFIDENCE_THRESHOLD:
      vd_policy_set_confidence_threshold (self, g_value_get_double (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vd_policy_class_init (VdPolicyClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = vd_policy_finalize;
  object_class->get_property = vd_policy_get_property;
  object_class->set_property = vd_policy_set_property;

  /**
   * VdPolicy:confidence-threshold:
   *
   * The global threshold: an output with a lower confidence needs a human,
   * unless its task type has a threshold of its own.
   */
  properties[PROP_CONFIDENCE_THRESHOLD] =
    g_param_spec_double ("confidence-threshold", "Confidence threshold",
                         "Outputs less confident than this need a human",
                         0.0, 1.0, DEFAULT_THRESHOLD,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
vd_policy_init (VdPolicy *self)
{
  self->confidence_threshold = DEFAULT_THRESHOLD;
  word_list_init (&self->sensitive_keywords);
  word_list_init (&self->high_risk_actions);
  self->always_review_types = g_ptr_array_new_with_free_func (g_free);
  self->task_types = g_ptr_array_new_with_free_func ((GDestroyNotify) type_settings_free);
  self->rules = g_ptr_array_new_with_free_func ((GDestroyNotify) rule_free);
  self->queues = g_ptr_array_new_with_free_func ((GDestroyNotify) queue_settings_free);
  self->feedback_categories = g_ptr_array_new_with_free_func (g_free);
}

/**
 * vd_policy_new:
 *
 * Creates the policy the reference starts from: threshold 0.7, no
 * keywords, actions, always-reviewed types or rules.
 *
 * Returns: (transfer full): a new policy
 */
VdPolicy *
vd_policy_new (void)
{
  return g_object_new (VD_TYPE_POLICY, NULL);
}

/* Loading */

typedef struct
{
  const char *source;
} Loader;

static gboolean G_GNUC_PRINTF (4, 5)
fail (Loader      *loader,
      GError     **error,
      const char  *field,
      const char  *format,
      ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  if (field != NULL)
    g_set_error (error, VD_POLICY_ERROR, VD_POLICY_ERROR_INVALID,
                 "%s: %s: %s", loader->source, field, message);
  else
    g_set_error (error, VD_POLICY_ERROR, VD_POLICY_ERROR_INVALID,
                 "%s: %s", loader->source, message);

  return FALSE;
}

static gboolean
fail_expected (Loader      *loader,
               GError     **error,
               const char  *field,
               const char  *expected,
               JsonNode    *found)
{
  g_autofree char *found_text = describe_node (found);

  /* TRANSLATORS: e.g. "expected a number from 0 to 1, found 1.5" */
  return fail (loader, error, field, _("expected %s, found %s"), expected, found_text);
}

static gboolean
read_threshold (Loader      *loader,
                JsonNode    *node,
                const char  *field,
                double      *out,
                GError     **error)
{
  double value;

  if (!node_is_number (node))
    return fail_expected (loader, error, field, _("a number from 0 to 1"), node);

  value = node_get_number (node);
  if (!(value >= 0.0 && value <= 1.0))
    return fail_expected (loader, error, field, _("a number from 0 to 1"), node);

  *out = value;
  return TRUE;
}

static gboolean
read_nonempty_string (Loader       *loader,
                      JsonNode     *node,
                      const char   *field,
                      const char  **out,
                      GError      **error)
{
  if (!node_is_string (node) || json_node_get_string (node)[0] == '\0')
    return fail_expected (loader, error, field, _("a non-empty string"), node);

  *out = json_node_get_string (node);
  return TRUE;
}

/* A whole number from @min to @max; 3.0 counts as 3. */
static gboolean
read_whole_number (Loader      *loader,
                   JsonNode    *node,
                   const char  *field,
                   const char  *expected,
                   gint64       min,
                   gint64       max,
                   gint64      *out,
                   GError     **error)
{
  double value;

  if (!node_is_number (node))
    return fail_expected (loader, error, field, expected, node);

  value = node_get_number (node);
  if (value != floor (value) || value < (double) min || value > (double) max)
    return fail_expected (loader, error, field, expected, node);

  *out = (gint64) value;
  return TRUE;
}

static gboolean
read_sla_minutes (Loader      *loader,
                  JsonNode    *node,
                  const char  *field,
                  guint       *out,
                  GError     **error)
{
  g_autofree char *expected =
    /* TRANSLATORS: %d is the largest value, ten years in minutes */
    g_strdup_printf (_("a whole number of minutes from 1 to %d (ten years)"), MAX_SLA_MINUTES);
  gint64 minutes;

  if (!read_whole_number (loader, node, field, expected, 1, MAX_SLA_MINUTES, &minutes, error))
    return FALSE;

  *out = (guint) minutes;
  return TRUE;
}

static gboolean
read_fallback (Loader         *loader,
               JsonNode       *node,
               const char     *field,
               VdSlaFallback  *out,
               GError        **error)
{
  if (!node_is_string (node) || !vd_sla_fallback_from_string (json_node_get_string (node), out))
    return fail_expected (loader, error, field, _("one of escalate, auto_reject, auto_approve"),
                          node);

  return TRUE;
}

/* Reads an array of non-empty strings, calling @add for each. */
static gboolean
read_string_list (VdPolicy     *self,
                  Loader       *loader,
                  JsonNode     *node,
                  const char   *field,
                  void        (*add) (VdPolicy *, const char *),
                  GError      **error)
{
  JsonArray *array;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return fail_expected (loader, error, field, _("an array of strings"), node);

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *element_field = g_strdup_printf ("%s[%u]", field, i);
      const char *word;

      if (!read_nonempty_string (loader, json_array_get_element (array, i),
                                 element_field, &word, error))
        return FALSE;

      add (self, word);
    }

  return TRUE;
}

/* Fields of a "task_types" entry. To support a new per-type setting, add
 * a field to TypeSettings, a reader here and a line in type_to_json(). */

static gboolean
read_type_threshold (VdPolicy      *self,
                     Loader        *loader,
                     TypeSettings  *settings,
                     JsonNode      *node,
                     const char    *field,
                     GError       **error)
{
  if (!read_threshold (loader, node, field, &settings->threshold, error))
    return FALSE;

  settings->has_threshold = TRUE;
  return TRUE;
}

static gboolean
read_type_sla_minutes (VdPolicy      *self,
                       Loader        *loader,
                       TypeSettings  *settings,
                       JsonNode      *node,
                       const char    *field,
                       GError       **error)
{
  return read_sla_minutes (loader, node, field, &settings->sla_minutes, error);
}

static gboolean
read_type_fallback (VdPolicy      *self,
                    Loader        *loader,
                    TypeSettings  *settings,
                    JsonNode      *node,
                    const char    *field,
                    GError       **error)
{
  if (!read_fallback (loader, node, field, &settings->fallback, error))
    return FALSE;

  settings->has_fallback = TRUE;
  return TRUE;
}

static const struct {
  const char *name;
  gboolean  (*read) (VdPolicy *, Loader *, TypeSettings *, JsonNode *, const char *, GError **);
} type_fields[] = {
  { "confidence_threshold", read_type_threshold },
  { "sla_minutes", read_type_sla_minutes },
  { "fallback", read_type_fallback },
};

static gboolean
read_type_settings (VdPolicy    *self,
                    Loader      *loader,
                    const char  *task_type,
                    JsonNode    *node,
                    GError     **error)
{
  g_autofree char *field = g_strdup_printf ("task_types.%s", task_type);
  g_autoptr(GList) members = NULL;
  TypeSettings *settings;
  JsonObject *object;

  if (task_type[0] == '\0')
    return fail (loader, error, "task_types", _("a task type name must not be empty"));

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return fail_expected (loader, error, field, _("an object"), node);

  settings = ensure_type_settings (self, task_type);
  object = json_node_get_object (node);
  members = json_object_get_members (object);

  for (const GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      g_autofree char *member_field = g_strdup_printf ("%s.%s", field, name);
      gboolean known = FALSE;

      for (guint i = 0; i < G_N_ELEMENTS (type_fields); i++)
        {
          if (strcmp (type_fields[i].name, name) != 0)
            continue;

          if (!type_fields[i].read (self, loader, settings,
                                    json_object_get_member (object, name),
                                    member_field, error))
            return FALSE;

          known = TRUE;
          break;
        }

      if (!known)
        return fail (loader, error, field, _("unknown field “%s”"), name);
    }

  return TRUE;
}

static gboolean
read_rule (VdPolicy    *self,
           Loader      *loader,
           guint        index,
           JsonNode    *node,
           GError     **error)
{
  static const char * const rule_keys[] = { "name", "path", "op", "value", "reason" };
  g_autofree char *field = g_strdup_printf ("rules[%u]", index);
  g_autofree char *sub = NULL;
  g_autoptr(GList) members = NULL;
  g_autoptr(Rule) rule = NULL;
  JsonObject *object;
  JsonNode *member;
  const char *text;
  gboolean op_found = FALSE;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return fail_expected (loader, error, field, _("an object"), node);

  object = json_node_get_object (node);
  members = json_object_get_members (object);

  for (const GList *l = members; l != NULL; l = l->next)
    {
      if (!g_strv_contains (rule_keys, l->data))
        return fail (loader, error, field, _("unknown field “%s”"), (const char *) l->data);
    }

  for (guint i = 0; i < 4; i++)
    {
      if (!json_object_has_member (object, rule_keys[i]))
        return fail (loader, error, field, _("missing field “%s”"), rule_keys[i]);
    }

  rule = g_new0 (Rule, 1);
  rule->reason = VD_ESCALATION_REASON_POLICY_REQUIRED;

  sub = g_strdup_printf ("%s.name", field);
  if (!read_nonempty_string (loader, json_object_get_member (object, "name"), sub, &text, error))
    return FALSE;
  rule->name = g_strdup (text);
  g_free (sub);

  sub = g_strdup_printf ("%s.path", field);
  member = json_object_get_member (object, "path");
  if (!node_is_string (member))
    return fail_expected (loader, error, sub, _("a metadata path such as “customer.tier”"),
                          member);
  rule->path = g_strdup (json_node_get_string (member));
  rule->segments = g_strsplit (rule->path, ".", -1);
  for (guint i = 0; rule->path[0] == '\0' || rule->segments[i] != NULL; i++)
    {
      /* g_strsplit() gives no segment at all for "". */
      if (rule->path[0] == '\0' || rule->segments[i][0] == '\0')
        return fail_expected (loader, error, sub, _("a metadata path such as “customer.tier”"),
                              member);
    }
  g_free (sub);

  sub = g_strdup_printf ("%s.op", field);
  member = json_object_get_member (object, "op");
  for (guint i = 0; i < G_N_ELEMENTS (op_names) && node_is_string (member); i++)
    {
      if (strcmp (op_names[i], json_node_get_string (member)) == 0)
        {
          rule->op = i;
          op_found = TRUE;
          break;
        }
    }
  if (!op_found)
    return fail_expected (loader, error, sub, _("one of >, >=, <, <=, ==, !=, contains"), member);
  g_free (sub);

  sub = g_strdup_printf ("%s.value", field);
  member = json_object_get_member (object, "value");
  switch (rule->op)
    {
    case RULE_OP_GT:
    case RULE_OP_GE:
    case RULE_OP_LT:
    case RULE_OP_LE:
      if (!node_is_number (member))
        {
          g_autofree char *expected =
            g_strdup_printf (_("a number for “%s”"), op_names[rule->op]);

          return fail_expected (loader, error, sub, expected, member);
        }
      break;

    case RULE_OP_CONTAINS:
      if (!node_is_string (member))
        return fail_expected (loader, error, sub, _("a string for “contains”"), member);
      break;

    case RULE_OP_EQ:
    case RULE_OP_NE:
    default:
      if (!node_is_number (member) && !node_is_string (member))
        return fail_expected (loader, error, sub, _("a number or a string"), member);
      break;
    }
  rule->value = scalar_copy (member);
  g_free (sub);

  sub = g_strdup_printf ("%s.reason", field);
  member = json_object_get_member (object, "reason");
  if (member != NULL &&
      (!node_is_string (member) ||
       !vd_escalation_reason_from_string (json_node_get_string (member), &rule->reason)))
    return fail_expected (loader, error, sub,
                          _("one of low_confidence, sensitive_content, high_risk_action, "
                            "ambiguous_input, error_occurred, policy_required, user_requested"),
                          member);

  g_ptr_array_add (self->rules, g_steal_pointer (&rule));
  return TRUE;
}

/* Top-level fields. Each reader gets the member's node and field name. */

static gboolean
read_version (VdPolicy    *self,
              Loader      *loader,
              JsonNode    *node,
              const char  *field,
              GError     **error)
{
  if (!node_is_number (node) || node_get_number (node) != POLICY_VERSION)
    return fail_expected (loader, error, field, "1", node);

  return TRUE;
}

static gboolean
read_global_threshold (VdPolicy    *self,
                       Loader      *loader,
                       JsonNode    *node,
                       const char  *field,
                       GError     **error)
{
  return read_threshold (loader, node, field, &self->confidence_threshold, error);
}

static gboolean
read_sensitive_keywords (VdPolicy    *self,
                         Loader      *loader,
                         JsonNode    *node,
                         const char  *field,
                         GError     **error)
{
  return read_string_list (self, loader, node, field, vd_policy_add_sensitive_keyword, error);
}

static gboolean
read_high_risk_actions (VdPolicy    *self,
                        Loader      *loader,
                        JsonNode    *node,
                        const char  *field,
                        GError     **error)
{
  return read_string_list (self, loader, node, field, vd_policy_add_high_risk_action, error);
}

static gboolean
read_always_review_types (VdPolicy    *self,
                          Loader      *loader,
                          JsonNode    *node,
                          const char  *field,
                          GError     **error)
{
  return read_string_list (self, loader, node, field, vd_policy_add_always_review_type, error);
}

static gboolean
read_task_types (VdPolicy    *self,
                 Loader      *loader,
                 JsonNode    *node,
                 const char  *field,
                 GError     **error)
{
  g_autoptr(GList) members = NULL;
  JsonObject *object;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return fail_expected (loader, error, field, _("an object"), node);

  object = json_node_get_object (node);
  members = json_object_get_members (object);
  for (const GList *l = members; l != NULL; l = l->next)
    {
      if (!read_type_settings (self, loader, l->data,
                               json_object_get_member (object, l->data), error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
read_rules (VdPolicy    *self,
            Loader      *loader,
            JsonNode    *node,
            const char  *field,
            GError     **error)
{
  JsonArray *array;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return fail_expected (loader, error, field, _("an array of rules"), node);

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      if (!read_rule (self, loader, i, json_array_get_element (array, i), error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
read_global_sla_minutes (VdPolicy    *self,
                         Loader      *loader,
                         JsonNode    *node,
                         const char  *field,
                         GError     **error)
{
  return read_sla_minutes (loader, node, field, &self->sla_minutes, error);
}

static gboolean
read_global_fallback (VdPolicy    *self,
                      Loader      *loader,
                      JsonNode    *node,
                      const char  *field,
                      GError     **error)
{
  if (!read_fallback (loader, node, field, &self->fallback, error))
    return FALSE;

  self->has_fallback = TRUE;
  return TRUE;
}

/* "escalated": {"sla_minutes": N}: the deadline of items the fallback
 * escalated. */
static gboolean
read_escalated (VdPolicy    *self,
                Loader      *loader,
                JsonNode    *node,
                const char  *field,
                GError     **error)
{
  g_autoptr(GList) members = NULL;
  JsonObject *object;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return fail_expected (loader, error, field, _("an object"), node);

  object = json_node_get_object (node);
  members = json_object_get_members (object);
  for (const GList *l = members; l != NULL; l = l->next)
    {
      g_autofree char *member_field = g_strdup_printf ("%s.%s", field, (const char *) l->data);

      if (strcmp (l->data, "sla_minutes") != 0)
        return fail (loader, error, field, _("unknown field “%s”"), (const char *) l->data);

      if (!read_sla_minutes (loader, json_object_get_member (object, l->data), member_field,
                             &self->escalated_sla_minutes, error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
read_queue_settings (VdPolicy    *self,
                     Loader      *loader,
                     const char  *queue,
                     JsonNode    *node,
                     GError     **error)
{
  g_autofree char *field = g_strdup_printf ("queues.%s", queue);
  g_autofree char *sub = NULL;
  g_autoptr(GList) members = NULL;
  VdQueueFullAction on_full = VD_QUEUE_FULL_PAUSE_AGENT;
  JsonObject *object;
  JsonNode *member;
  gint64 max_pending;

  if (queue[0] == '\0')
    return fail (loader, error, "queues", _("a queue name must not be empty"));

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return fail_expected (loader, error, field, _("an object"), node);

  object = json_node_get_object (node);
  members = json_object_get_members (object);
  for (const GList *l = members; l != NULL; l = l->next)
    {
      if (strcmp (l->data, "max_pending") != 0 && strcmp (l->data, "on_full") != 0)
        return fail (loader, error, field, _("unknown field “%s”"), (const char *) l->data);
    }

  if (!json_object_has_member (object, "max_pending"))
    return fail (loader, error, field, _("missing field “%s”"), "max_pending");

  sub = g_strdup_printf ("%s.max_pending", field);
  if (!read_whole_number (loader, json_object_get_member (object, "max_pending"), sub,
                          _("a whole number of items from 1 up"), 1, MAX_PENDING_LIMIT,
                          &max_pending, error))
    return FALSE;
  g_free (sub);

  sub = g_strdup_printf ("%s.on_full", field);
  member = json_object_get_member (object, "on_full");
  if (member != NULL &&
      (!node_is_string (member) ||
       !vd_queue_full_action_from_string (json_node_get_string (member), &on_full)))
    return fail_expected (loader, error, sub, _("one of pause_agent, refuse"), member);

  vd_policy_set_queue_limit (self, queue, (guint) max_pending, on_full);
  return TRUE;
}

static gboolean
read_queues (VdPolicy    *self,
             Loader      *loader,
             JsonNode    *node,
             const char  *field,
             GError     **error)
{
  g_autoptr(GList) members = NULL;
  JsonObject *object;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return fail_expected (loader, error, field, _("an object"), node);

  object = json_node_get_object (node);
  members = json_object_get_members (object);
  for (const GList *l = members; l != NULL; l = l->next)
    {
      if (!read_queue_settings (self, loader, l->data,
                                json_object_get_member (object, l->data), error))
        return FALSE;
    }

  return TRUE;
}

/* "feedback_categories": the short list a reviewer picks a feedback
 * category from; free text stays possible. */
static gboolean
read_feedback_categories (VdPolicy    *self,
                          Loader      *loader,
                          JsonNode    *node,
                          const char  *field,
                          GError     **error)
{
  JsonArray *array;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return fail_expected (loader, error, field, _("an array of strings"), node);

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *element_field = g_strdup_printf ("%s[%u]", field, i);
      JsonNode *element = json_array_get_element (array, i);
      const char *name;

      if (!node_is_string (element) || json_node_get_string (element)[0] == '\0' ||
          g_utf8_strlen (json_node_get_string (element), -1) > VD_POLICY_CATEGORY_MAX_CHARS)
        return fail_expected (loader, error, element_field,
                              _("a non-empty string of at most 40 characters"), element);

      name = json_node_get_string (element);
      if (g_ptr_array_find_with_equal_func (self->feedback_categories, name, g_str_equal, NULL))
        return fail (loader, error, element_field, _("“%s” is listed twice"), name);

      vd_policy_add_feedback_category (self, name);
    }

  return TRUE;
}

static const struct {
  const char *name;
  gboolean  (*read) (VdPolicy *, Loader *, JsonNode *, const char *, GError **);
} top_fields[] = {
  { "verdict_policy", read_version },
  { "confidence_threshold", read_global_threshold },
  { "sensitive_keywords", read_sensitive_keywords },
  { "high_risk_actions", read_high_risk_actions },
  { "always_review_types", read_always_review_types },
  { "task_types", read_task_types },
  { "rules", read_rules },
  { "sla_minutes", read_global_sla_minutes },
  { "fallback", read_global_fallback },
  { "escalated", read_escalated },
  { "queues", read_queues },
  { "feedback_categories", read_feedback_categories },
};

/* Checks that need the whole policy, whatever the order of its fields. */
static gboolean
check_consistency (VdPolicy  *self,
                   Loader    *loader,
                   GError   **error)
{
  for (guint i = 0; i < self->task_types->len; i++)
    {
      TypeSettings *settings = g_ptr_array_index (self->task_types, i);

      /* A type that always needs a human cannot be approved without one
       * when its deadline passes: refuse rather than guess which wins. */
      if (settings->has_fallback && settings->fallback == VD_SLA_FALLBACK_AUTO_APPROVE &&
          vd_policy_is_always_review_type (self, settings->name))
        return fail (loader, error, settings->fallback_field,
                     _("“auto_approve” would approve items of “%s” without a human when "
                       "their deadline passes, but always_review_types names “%s”: choose "
                       "escalate or auto_reject, or take the type out of always_review_types"),
                     settings->name, settings->name);
    }

  return TRUE;
}

/**
 * vd_policy_new_from_json:
 * @node: the policy as JSON
 * @source_name: (nullable): the file name to put in error messages
 * @error: return location for a #VD_POLICY_ERROR_INVALID error
 *
 * Builds a policy from its JSON form (see vd-policy.h), validating every
 * field. An error names the source, the field, what was expected and what
 * was found, e.g. `policy.json: confidence_threshold: expected a number
 * from 0 to 1, found 1.5`. Unknown fields are refused.
 *
 * Returns: (transfer full) (nullable): the policy, or %NULL on error
 */
VdPolicy *
vd_policy_new_from_json (JsonNode    *node,
                         const char  *source_name,
                         GError     **error)
{
  g_autoptr(VdPolicy) self = NULL;
  g_autoptr(GList) members = NULL;
  Loader loader = { source_name != NULL ? source_name : "policy" };
  JsonObject *object;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (node == NULL)
    {
      fail (&loader, error, NULL, _("expected a JSON object, found nothing"));
      return NULL;
    }

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      fail_expected (&loader, error, NULL, _("a JSON object"), node);
      return NULL;
    }

  self = vd_policy_new ();
  object = json_node_get_object (node);
  members = json_object_get_members (object);

  for (const GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      gboolean known = FALSE;

      for (guint i = 0; i < G_N_ELEMENTS (top_fields); i++)
        {
          if (strcmp (top_fields[i].name, name) != 0)
            continue;

          if (!top_fields[i].read (self, &loader, json_object_get_member (object, name),
                                   name, error))
            return NULL;

          known = TRUE;
          break;
        }

      if (!known)
        {
          fail (&loader, error, NULL, _("unknown field “%s”"), name);
          return NULL;
        }
    }

  if (!check_consistency (self, &loader, error))
    return NULL;

  return g_steal_pointer (&self);
}

/* json-glib reports "<data>:LINE:COLUMN: Parse error: ..."; show the
 * source name instead of "<data>". */
static char *
rewrite_parse_error (const char *source,
                     const char *message)
{
  const char *prefix = "<data>:";

  if (g_str_has_prefix (message, prefix))
    return g_strdup_printf ("%s:%s", source, message + strlen (prefix));

  return g_strdup_printf ("%s: %s", source, message);
}

/**
 * vd_policy_new_from_data:
 * @data: the policy as JSON text
 * @length: the length of @data, or -1 if it is nul-terminated
 * @source_name: (nullable): the file name to put in error messages
 * @error: return location for a #VD_POLICY_ERROR_INVALID error
 *
 * Parses and validates a policy; invalid JSON is reported with the line
 * and column where the parser stopped.
 *
 * Returns: (transfer full) (nullable): the policy, or %NULL on error
 */
VdPolicy *
vd_policy_new_from_data (const char  *data,
                         gssize       length,
                         const char  *source_name,
                         GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *source = source_name != NULL ? source_name : "policy";
  const char *invalid = NULL;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (length < 0)
    length = strlen (data);

  if (!g_utf8_validate (data, length, &invalid))
    {
      guint line = 1;

      for (const char *p = data; p < invalid; p++)
        if (*p == '\n')
          line++;

      g_set_error (error, VD_POLICY_ERROR, VD_POLICY_ERROR_INVALID,
                   _("%s:%u: not valid UTF-8 text"), source, line);
      return NULL;
    }

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, length, &local_error))
    {
      g_autofree char *message = rewrite_parse_error (source, local_error->message);

      g_set_error_literal (error, VD_POLICY_ERROR, VD_POLICY_ERROR_INVALID, message);
      return NULL;
    }

  return vd_policy_new_from_json (json_parser_get_root (parser), source, error);
}

/**
 * vd_policy_new_from_file:
 * @path: a policy file
 * @error: return location for an error
 *
 * Loads a policy file. Errors name @path as given.
 *
 * Returns: (transfer full) (nullable): the policy, or %NULL on error
 */
VdPolicy *
vd_policy_new_from_file (const char  *path,
                         GError     **error)
{
  g_autofree char *contents = NULL;
  g_autofree char *display_name = NULL;
  gsize length;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!g_file_get_contents (path, &contents, &length, error))
    return NULL;

  display_name = g_filename_display_name (path);
  return vd_policy_new_from_data (contents, length, display_name, error);
}

/* Accessors */

double
vd_policy_get_confidence_threshold (VdPolicy *self)
{
  g_return_val_if_fail (VD_IS_POLICY (self), DEFAULT_THRESHOLD);

  return self->confidence_threshold;
}

/**
 * vd_policy_set_confidence_threshold:
 * @self: a policy
 * @threshold: the global threshold, 0 to 1
 */
void
vd_policy_set_confidence_threshold (VdPolicy *self,
                                    double    threshold)
{
  g_return_if_fail (VD_IS_POLICY (self));
  g_return_if_fail (threshold >= 0.0 && threshold <= 1.0);

  if (self->confidence_threshold == threshold)
    return;

  self->confidence_threshold = threshold;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONFIDENCE_THRESHOLD]);
}

/**
 * vd_policy_get_threshold_for_type:
 * @self: a policy
 * @task_type: (nullable): a task type
 *
 * Returns: the threshold of @task_type if it has one, else the global one
 */
double
vd_policy_get_threshold_for_type (VdPolicy   *self,
                                  const char *task_type)
{
  TypeSettings *settings;

  g_return_val_if_fail (VD_IS_POLICY (self), DEFAULT_THRESHOLD);

  settings = find_type_settings (self, task_type);
  if (settings != NULL && settings->has_threshold)
    return settings->threshold;

  return self->confidence_threshold;
}

/**
 * vd_policy_set_type_threshold:
 * @self: a policy
 * @task_type: a task type
 * @threshold: its threshold, 0 to 1
 *
 * Gives @task_type a threshold that overrides the global one.
 */
void
vd_policy_set_type_threshold (VdPolicy   *self,
                              const char *task_type,
                              double      threshold)
{
  TypeSettings *settings;

  g_return_if_fail (VD_IS_POLICY (self));
  g_return_if_fail (task_type != NULL && task_type[0] != '\0');
  g_return_if_fail (threshold >= 0.0 && threshold <= 1.0);

  settings = ensure_type_settings (self, task_type);
  settings->has_threshold = TRUE;
  settings->threshold = threshold;
}

/**
 * vd_policy_add_sensitive_keyword:
 * @self: a policy
 * @keyword: a non-empty word or phrase
 *
 * Outputs that mention @keyword (in any case) need a human.
 */
void
vd_policy_add_sensitive_keyword (VdPolicy   *self,
                                 const char *keyword)
{
  g_return_if_fail (VD_IS_POLICY (self));
  g_return_if_fail (keyword != NULL && keyword[0] != '\0');

  word_list_add (&self->sensitive_keywords, keyword);
}

/**
 * vd_policy_add_high_risk_action:
 * @self: a policy
 * @action: a non-empty word or phrase
 *
 * Outputs that mention @action (in any case) need a human.
 */
void
vd_policy_add_high_risk_action (VdPolicy   *self,
                                const char *action)
{
  g_return_if_fail (VD_IS_POLICY (self));
  g_return_if_fail (action != NULL && action[0] != '\0');

  word_list_add (&self->high_risk_actions, action);
}

/**
 * vd_policy_add_always_review_type:
 * @self: a policy
 * @task_type: a task type whose outputs always need a human
 */
void
vd_policy_add_always_review_type (VdPolicy   *self,
                                  const char *task_type)
{
  g_return_if_fail (VD_IS_POLICY (self));
  g_return_if_fail (task_type != NULL && task_type[0] != '\0');

  g_ptr_array_add (self->always_review_types, g_strdup (task_type));
}

/**
 * vd_policy_add_feedback_category:
 * @self: a policy
 * @category: a feedback category offered to reviewers
 */
void
vd_policy_add_feedback_category (VdPolicy   *self,
                                 const char *category)
{
  g_return_if_fail (VD_IS_POLICY (self));
  g_return_if_fail (category != NULL && category[0] != '\0');

  g_ptr_array_add (self->feedback_categories, g_strdup (category));
}

/**
 * vd_policy_dup_feedback_categories:
 * @self: a policy
 *
 * Returns: (transfer full) (array zero-terminated=1): the feedback
 *   categories of the policy in file order; empty when it names none
 */
GStrv
vd_policy_dup_feedback_categories (VdPolicy *self)
{
  g_autoptr(GStrvBuilder) builder = NULL;

  g_return_val_if_fail (VD_IS_POLICY (self), NULL);

  builder = g_strv_builder_new ();
  for (guint i = 0; i < self->feedback_categories->len; i++)
    g_strv_builder_add (builder, g_ptr_array_index (self->feedback_categories, i));

  return g_strv_builder_end (builder);
}

/* Deadlines and queue limits */

/**
 * vd_policy_get_sla_minutes:
 * @self: a policy
 * @task_type: (nullable): a task type
 *
 * Returns: the SLA in minutes of @task_type if it has one, else the global
 *   one; 0 when neither is set (items get no deadline from the policy)
 */
guint
vd_policy_get_sla_minutes (VdPolicy   *self,
                           const char *task_type)
{
  TypeSettings *settings;

  g_return_val_if_fail (VD_IS_POLICY (self), 0);

  settings = find_type_settings (self, task_type);
  if (settings != NULL && settings->sla_minutes > 0)
    return settings->sla_minutes;

  return self->sla_minutes;
}

/**
 * vd_policy_set_sla_minutes:
 * @self: a policy
 * @task_type: (nullable): a task type, or %NULL for the global SLA
 * @minutes: the SLA, at most ten years; 0 removes it
 */
void
vd_policy_set_sla_minutes (VdPolicy   *self,
                           const char *task_type,
                           guint       minutes)
{
  g_return_if_fail (VD_IS_POLICY (self));
  g_return_if_fail (task_type == NULL || task_type[0] != '\0');
  g_return_if_fail (minutes <= MAX_SLA_MINUTES);

  if (task_type == NULL)
    self->sla_minutes = minutes;
  else
    ensure_type_settings (self, task_type)->sla_minutes = minutes;
}

/**
 * vd_policy_get_fallback:
 * @self: a policy
 * @task_type: (nullable): a task type
 * @rule: (out) (optional) (transfer none): the field that named it:
 *   `task_types.TYPE.fallback`, `fallback`, or `default`
 *
 * The fallback the policy names for @task_type, without the safety rule of
 * vd_policy_resolve_fallback().
 *
 * Returns: the fallback of @task_type if it has one, else the global one,
 *   else %VD_SLA_FALLBACK_ESCALATE
 */
VdSlaFallback
vd_policy_get_fallback (VdPolicy    *self,
                        const char  *task_type,
                        const char **rule)
{
  TypeSettings *settings;

  g_return_val_if_fail (VD_IS_POLICY (self), VD_SLA_FALLBACK_ESCALATE);

  settings = find_type_settings (self, task_type);
  if (settings != NULL && settings->has_fallback)
    {
      if (rule != NULL)
        *rule = settings->fallback_field;
      return settings->fallback;
    }

  if (self->has_fallback)
    {
      if (rule != NULL)
        *rule = "fallback";
      return self->fallback;
    }

  if (rule != NULL)
    *rule = "default";
  return VD_SLA_FALLBACK_ESCALATE;
}

/**
 * vd_policy_set_fallback:
 * @self: a policy
 * @task_type: (nullable): a task type, or %NULL for the global fallback
 * @fallback: the fallback
 *
 * Unlike the loader, this does not refuse an auto-approve for a type in
 * always_review_types.
 */
void
vd_policy_set_fallback (VdPolicy      *self,
                        const char    *task_type,
                        VdSlaFallback  fallback)
{
  TypeSettings *settings;

  g_return_if_fail (VD_IS_POLICY (self));
  g_return_if_fail (task_type == NULL || task_type[0] != '\0');
  g_return_if_fail (fallback <= VD_SLA_FALLBACK_AUTO_APPROVE);

  if (task_type == NULL)
    {
      self->has_fallback = TRUE;
      self->fallback = fallback;
      return;
    }

  settings = ensure_type_settings (self, task_type);
  settings->has_fallback = TRUE;
  settings->fallback = fallback;
}

/**
 * vd_policy_resolve_fallback:
 * @self: a policy
 * @task_type: (nullable): the item's task type
 * @reason: the item's escalation reason
 * @rule: (out caller-allocates): which fallback applies, and why
 *
 * Decides which fallback applies to an item whose deadline passed. An
 * auto-approve that @task_type does not name itself (the global one) is
 * not safe for an item whose reason is high_risk_action or
 * sensitive_content, or whose task type is in always_review_types: such an
 * item is escalated instead, and @rule->unsafe is %TRUE.
 */
void
vd_policy_resolve_fallback (VdPolicy           *self,
                            const char         *task_type,
                            VdEscalationReason  reason,
                            VdFallbackRule     *rule)
{
  TypeSettings *settings;
  gboolean per_type;

  g_return_if_fail (VD_IS_POLICY (self));
  g_return_if_fail (rule != NULL);

  rule->configured = vd_policy_get_fallback (self, task_type, &rule->rule);
  rule->fallback = rule->configured;
  rule->unsafe = FALSE;

  if (rule->configured != VD_SLA_FALLBACK_AUTO_APPROVE)
    return;

  settings = find_type_settings (self, task_type);
  per_type = settings != NULL && settings->has_fallback;
  if (per_type)
    return;

  if (reason == VD_ESCALATION_REASON_HIGH_RISK_ACTION ||
      reason == VD_ESCALATION_REASON_SENSITIVE_CONTENT ||
      vd_policy_is_always_review_type (self, task_type))
    {
      rule->fallback = VD_SLA_FALLBACK_ESCALATE;
      rule->unsafe = TRUE;
    }
}

/**
 * vd_policy_get_escalated_sla_minutes:
 * @self: a policy
 *
 * Returns: the SLA of items escalated by the fallback (`escalated.sla_minutes`),
 *   0 when they get no new deadline
 */
guint
vd_policy_get_escalated_sla_minutes (VdPolicy *self)
{
  g_return_val_if_fail (VD_IS_POLICY (self), 0);

  return self->escalated_sla_minutes;
}

/**
 * vd_policy_set_escalated_sla_minutes:
 * @self: a policy
 * @minutes: the SLA of items escalated by the fallback; 0 for none
 */
void
vd_policy_set_escalated_sla_minutes (VdPolicy *self,
                                     guint     minutes)
{
  g_return_if_fail (VD_IS_POLICY (self));
  g_return_if_fail (minutes <= MAX_SLA_MINUTES);

  self->escalated_sla_minutes = minutes;
}

static QueueSettings *
find_queue_settings (VdPolicy   *self,
                     const char *queue)
{
  if (queue == NULL)
    return NULL;

  for (guint i = 0; i < self->queues->len; i++)
    {
      QueueSettings *settings = g_ptr_array_index (self->queues, i);

      if (strcmp (settings->name, queue) == 0)
        return settings;
    }

  return NULL;
}

/**
 * vd_policy_get_queue_limit:
 * @self: a policy
 * @queue: (nullable): a queue
 * @max_pending: (out) (optional): its limit of undecided items
 * @on_full: (out) (optional): what the agent loop does at the limit
 *
 * Returns: %TRUE if @queue has a limit; else the outs are left alone
 */
gboolean
vd_policy_get_queue_limit (VdPolicy          *self,
                           const char        *queue,
                           guint             *max_pending,
                           VdQueueFullAction *on_full)
{
  QueueSettings *settings;

  g_return_val_if_fail (VD_IS_POLICY (self), FALSE);

  settings = find_queue_settings (self, queue);
  if (settings == NULL)
    return FALSE;

  if (max_pending != NULL)
    *max_pending = settings->max_pending;
  if (on_full != NULL)
    *on_full = settings->on_full;

  return TRUE;
}

/**
 * vd_policy_set_queue_limit:
 * @self: a policy
 * @queue: a queue
 * @max_pending: its limit of undecided items; 0 removes the limit
 * @on_full: what the agent loop does at the limit
 */
void
vd_policy_set_queue_limit (VdPolicy          *self,
                           const char        *queue,
                           guint              max_pending,
                           VdQueueFullAction  on_full)
{
  QueueSettings *settings;

  g_return_if_fail (VD_IS_POLICY (self));
  g_return_if_fail (queue != NULL && queue[0] != '\0');
  g_return_if_fail (max_pending <= MAX_PENDING_LIMIT);
  g_return_if_fail (on_full <= VD_QUEUE_FULL_REFUSE);

  settings = find_queue_settings (self, queue);

  if (max_pending == 0)
    {
      if (settings != NULL)
        g_ptr_array_remove (self->queues, settings);
      return;
    }

  if (settings == NULL)
    {
      settings = g_new0 (QueueSettings, 1);
      settings->name = g_strdup (queue);
      g_ptr_array_add (self->queues, settings);
    }

  settings->max_pending = max_pending;
  settings->on_full = on_full;
}

/**
 * vd_policy_is_always_review_type:
 * @self: a policy
 * @task_type: (nullable): a task type
 *
 * Returns: whether always_review_types names @task_type
 */
gboolean
vd_policy_is_always_review_type (VdPolicy   *self,
                                 const char *task_type)
{
  g_return_val_if_fail (VD_IS_POLICY (self), FALSE);

  return task_type != NULL && task_type[0] != '\0' &&
         g_ptr_array_find_with_equal_func (self->always_review_types, task_type,
                                           g_str_equal, NULL);
}

/**
 * vd_policy_assign_due_at:
 * @self: a policy
 * @item: an item about to be stored
 * @arrival: when the item arrived (the import's time)
 *
 * Gives @item the deadline @arrival + the SLA of its task type, unless it
 * already has a deadline (from its queue file) or no SLA applies.
 *
 * Returns: %TRUE if @item got a deadline
 */
gboolean
vd_policy_assign_due_at (VdPolicy  *self,
                         VdItem    *item,
                         GDateTime *arrival)
{
  g_autoptr(GDateTime) due_at = NULL;
  guint minutes;

  g_return_val_if_fail (VD_IS_POLICY (self), FALSE);
  g_return_val_if_fail (VD_IS_ITEM (item), FALSE);
  g_return_val_if_fail (arrival != NULL, FALSE);

  if (vd_item_get_due_at (item) != NULL)
    return FALSE;

  minutes = vd_policy_get_sla_minutes (self, vd_item_get_task_type (item));
  if (minutes == 0)
    return FALSE;

  due_at = g_date_time_add_minutes (arrival, (int) minutes);
  if (due_at == NULL)
    return FALSE;

  vd_item_set_due_at (item, due_at);
  return TRUE;
}

/**
 * vd_policy_dup_warnings:
 * @self: a policy
 *
 * Sentences about risky choices that the policy is allowed to make, for
 * `verdict-cli policy check` and the app: today a global auto-approve
 * fallback.
 *
 * Returns: (transfer full): the warnings, possibly none
 */
GStrv
vd_policy_dup_warnings (VdPolicy *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (VD_IS_POLICY (self), NULL);

  if (self->has_fallback && self->fallback == VD_SLA_FALLBACK_AUTO_APPROVE)
    g_strv_builder_add (builder,
                        _("the global fallback “auto_approve” approves undecided items "
                          "without a human when their deadline passes; items whose reason "
                          "is high_risk_action or sensitive_content, or whose task type is in "
                          "always_review_types, are escalated instead unless their task type "
                          "names auto_approve itself"));

  return g_strv_builder_end (builder);
}

/**
 * vd_policy_dup_notes:
 * @self: a policy
 *
 * Sentences that spell out deliberate per-type choices: each task type
 * whose own fallback is auto-approve.
 *
 * Returns: (transfer full): the notes, possibly none
 */
GStrv
vd_policy_dup_notes (VdPolicy *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (VD_IS_POLICY (self), NULL);

  for (guint i = 0; i < self->task_types->len; i++)
    {
      TypeSettings *settings = g_ptr_array_index (self->task_types, i);
      g_autofree char *note = NULL;

      if (!settings->has_fallback || settings->fallback != VD_SLA_FALLBACK_AUTO_APPROVE)
        continue;

      note = g_strdup_printf (_("task type “%s” names the fallback “auto_approve” itself, a "
                                "deliberate choice: its undecided items are approved without a "
                                "human when their deadline passes, even those whose reason is "
                                "high_risk_action or sensitive_content"),
                              settings->name);
      g_strv_builder_add (builder, note);
    }

  return g_strv_builder_end (builder);
}

/* Checking */

static VdPolicyResult *
result_new (gboolean            escalate,
            VdEscalationReason  reason,
            VdPolicyCheck       check,
            double              threshold,
            const char         *matched,
            char               *explanation)
{
  VdPolicyResult *result = g_new0 (VdPolicyResult, 1);

  result->escalate = escalate;
  result->reason = reason;
  result->check = check;
  result->threshold = threshold;
  result->matched = g_strdup (matched);
  result->explanation = explanation;

  return result;
}

static char *
describe_actual (JsonNode *actual)
{
  if (JSON_NODE_HOLDS_ARRAY (actual) || JSON_NODE_HOLDS_OBJECT (actual))
    {
      g_autoptr(GString) out = g_string_new (NULL);
      g_autofree char *compact = NULL;

      /* Short enough for a sentence: the compact JSON. */
      compact = json_to_string (actual, FALSE);
      g_string_append (out, compact);
      return g_string_free (g_steal_pointer (&out), FALSE);
    }

  if (node_is_string (actual))
    return g_strdup_printf ("“%s”", json_node_get_string (actual));

  if (node_is_number (actual))
    return format_number (node_get_number (actual));

  return describe_node (actual);
}

/**
 * vd_policy_check:
 * @self: a policy
 * @task_type: (nullable): the task type
 * @content: (nullable): the agent's output text
 * @confidence: the agent's confidence
 * @metadata: (nullable): the output's metadata, for rules
 *
 * Runs the checks in order and stops at the first that fires: confidence
 * below the threshold, a sensitive keyword in @content, a high-risk action
 * in @content, a task type that is always reviewed, a rule on @metadata.
 *
 * Returns: (transfer full): the outcome, with a sentence for display
 */
VdPolicyResult *
vd_policy_check (VdPolicy   *self,
                 const char *task_type,
                 const char *content,
                 double      confidence,
                 JsonObject *metadata)
{
  g_autofree char *folded_content = NULL;
  g_autofree char *confidence_text = NULL;
  g_autofree char *threshold_text = NULL;
  TypeSettings *settings;
  gboolean per_type;
  double threshold;
  const char *found;

  g_return_val_if_fail (VD_IS_POLICY (self), NULL);

  if (task_type == NULL)
    task_type = "";
  if (content == NULL)
    content = "";

  settings = find_type_settings (self, task_type);
  per_type = settings != NULL && settings->has_threshold;
  threshold = per_type ? settings->threshold : self->confidence_threshold;
  format_figures (confidence, threshold, &confidence_text, &threshold_text);

  if (confidence < threshold)
    {
      char *explanation;

      if (per_type)
        /* TRANSLATORS: the last %s is a task type, e.g. "payments" */
        explanation = g_strdup_printf (_("confidence %s is below the threshold %s for %s"),
                                       confidence_text, threshold_text, task_type);
      else
        explanation = g_strdup_printf (_("confidence %s is below the threshold %s"),
                                       confidence_text, threshold_text);

      return result_new (TRUE, VD_ESCALATION_REASON_LOW_CONFIDENCE,
                         VD_POLICY_CHECK_CONFIDENCE, threshold, NULL, explanation);
    }

  folded_content = fold_text (content);

  found = word_list_find (&self->sensitive_keywords, folded_content);
  if (found != NULL)
    return result_new (TRUE, VD_ESCALATION_REASON_SENSITIVE_CONTENT,
                       VD_POLICY_CHECK_SENSITIVE_KEYWORD, threshold, found,
                       g_strdup_printf (_("the output mentions the sensitive keyword “%s”"),
                                        found));

  found = word_list_find (&self->high_risk_actions, folded_content);
  if (found != NULL)
    return result_new (TRUE, VD_ESCALATION_REASON_HIGH_RISK_ACTION,
                       VD_POLICY_CHECK_HIGH_RISK_ACTION, threshold, found,
                       g_strdup_printf (_("the output mentions the high-risk action “%s”"),
                                        found));

  if (task_type[0] != '\0' &&
      g_ptr_array_find_with_equal_func (self->always_review_types, task_type,
                                        g_str_equal, NULL))
    return result_new (TRUE, VD_ESCALATION_REASON_POLICY_REQUIRED,
                       VD_POLICY_CHECK_ALWAYS_REVIEW_TYPE, threshold, task_type,
                       g_strdup_printf (_("task type “%s” always needs review"), task_type));

  for (guint i = 0; i < self->rules->len; i++)
    {
      Rule *rule = g_ptr_array_index (self->rules, i);
      g_autofree char *actual_text = NULL;
      g_autofree char *expected_text = NULL;
      JsonNode *actual;

      if (!rule_matches (rule, metadata, &actual))
        continue;

      actual_text = describe_actual (actual);
      expected_text = describe_actual (rule->value);

      return result_new (TRUE, rule->reason, VD_POLICY_CHECK_RULE, threshold, rule->name,
                         /* TRANSLATORS: e.g. "rule “large payment”: amount 12500 > 10000" */
                         g_strdup_printf (_("rule “%s”: %s %s %s %s"),
                                          rule->name, rule->path, actual_text,
                                          op_names[rule->op], expected_text));
    }

  return result_new (FALSE, VD_ESCALATION_REASON_NONE, VD_POLICY_CHECK_NONE, threshold, NULL,
                     per_type
                     ? g_strdup_printf (_("confidence %s meets the threshold %s for %s and "
                                          "no other check fired"),
                                        confidence_text, threshold_text, task_type)
                     : g_strdup_printf (_("confidence %s meets the threshold %s and no other "
                                          "check fired"),
                                        confidence_text, threshold_text));
}

/**
 * vd_policy_check_item:
 * @self: a policy
 * @item: an item
 *
 * Checks @item's task type, content, confidence and metadata with
 * vd_policy_check().
 *
 * Returns: (transfer full): the outcome
 */
VdPolicyResult *
vd_policy_check_item (VdPolicy *self,
                      VdItem   *item)
{
  g_return_val_if_fail (VD_IS_POLICY (self), NULL);
  g_return_val_if_fail (VD_IS_ITEM (item), NULL);

  return vd_policy_check (self,
                          vd_item_get_task_type (item),
                          vd_item_get_content (item),
                          vd_item_get_confidence (item),
                          vd_item_get_metadata (item));
}

/* Saving */

static void
add_string_array (JsonBuilder *builder,
                  const char  *name,
                  GPtrArray   *strings)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  for (guint i = 0; i < strings->len; i++)
    json_builder_add_string_value (builder, g_ptr_array_index (strings, i));
  json_builder_end_array (builder);
}

static void
type_to_json (TypeSettings *settings,
              JsonBuilder  *builder)
{
  json_builder_set_member_name (builder, settings->name);
  json_builder_begin_object (builder);

  if (settings->has_threshold)
    {
      json_builder_set_member_name (builder, "confidence_threshold");
      json_builder_add_double_value (builder, settings->threshold);
    }

  if (settings->sla_minutes > 0)
    {
      json_builder_set_member_name (builder, "sla_minutes");
      json_builder_add_int_value (builder, settings->sla_minutes);
    }

  if (settings->has_fallback)
    {
      json_builder_set_member_name (builder, "fallback");
      json_builder_add_string_value (builder, vd_sla_fallback_to_string (settings->fallback));
    }

  json_builder_end_object (builder);
}

/**
 * vd_policy_to_json:
 * @self: a policy
 *
 * Returns: (transfer full): the policy in the JSON form that
 *   vd_policy_new_from_json() reads back to an equal policy
 */
JsonNode *
vd_policy_to_json (VdPolicy *self)
{
  g_autoptr(JsonBuilder) builder = NULL;

  g_return_val_if_fail (VD_IS_POLICY (self), NULL);

  builder = json_builder_new ();
  json_builder_begin_object (builder);

  json_builder_set_member_name (builder, "verdict_policy");
  json_builder_add_int_value (builder, POLICY_VERSION);
  json_builder_set_member_name (builder, "confidence_threshold");
  json_builder_add_double_value (builder, self->confidence_threshold);

  add_string_array (builder, "sensitive_keywords", self->sensitive_keywords.words);
  add_string_array (builder, "high_risk_actions", self->high_risk_actions.words);
  add_string_array (builder, "always_review_types", self->always_review_types);

  json_builder_set_member_name (builder, "task_types");
  json_builder_begin_object (builder);
  for (guint i = 0; i < self->task_types->len; i++)
    type_to_json (g_ptr_array_index (self->task_types, i), builder);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "rules");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->rules->len; i++)
    {
      Rule *rule = g_ptr_array_index (self->rules, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, rule->name);
      json_builder_set_member_name (builder, "path");
      json_builder_add_string_value (builder, rule->path);
      json_builder_set_member_name (builder, "op");
      json_builder_add_string_value (builder, op_names[rule->op]);
      json_builder_set_member_name (builder, "value");
      json_builder_add_value (builder, scalar_copy (rule->value));
      json_builder_set_member_name (builder, "reason");
      json_builder_add_string_value (builder, vd_escalation_reason_to_string (rule->reason));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  /* Deadlines and limits only when set: a policy without them reads and
   * writes as before they existed. */
  if (self->sla_minutes > 0)
    {
      json_builder_set_member_name (builder, "sla_minutes");
      json_builder_add_int_value (builder, self->sla_minutes);
    }

  if (self->has_fallback)
    {
      json_builder_set_member_name (builder, "fallback");
      json_builder_add_string_value (builder, vd_sla_fallback_to_string (self->fallback));
    }

  if (self->escalated_sla_minutes > 0)
    {
      json_builder_set_member_name (builder, "escalated");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "sla_minutes");
      json_builder_add_int_value (builder, self->escalated_sla_minutes);
      json_builder_end_object (builder);
    }

  if (self->queues->len > 0)
    {
      json_builder_set_member_name (builder, "queues");
      json_builder_begin_object (builder);
      for (guint i = 0; i < self->queues->len; i++)
        {
          QueueSettings *settings = g_ptr_array_index (self->queues, i);

          json_builder_set_member_name (builder, settings->name);
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "max_pending");
          json_builder_add_int_value (builder, settings->max_pending);
          json_builder_set_member_name (builder, "on_full");
          json_builder_add_string_value (builder,
                                         vd_queue_full_action_to_string (settings->on_full));
          json_builder_end_object (builder);
        }
      json_builder_end_object (builder);
    }

  if (self->feedback_categories->len > 0)
    add_string_array (builder, "feedback_categories", self->feedback_categories);

  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/**
 * vd_policy_to_data:
 * @self: a policy
 *
 * Returns: (transfer full): the policy as indented JSON text ending in a
 *   newline, numbers in their shortest exact form (0.7, not
 *   0.69999999999999996)
 */
char *
vd_policy_to_data (VdPolicy *self)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GString) out = NULL;

  g_return_val_if_fail (VD_IS_POLICY (self), NULL);

  node = vd_policy_to_json (self);
  out = g_string_new (NULL);
  append_json_node (out, node, 0);
  g_string_append_c (out, '\n');

  return g_string_free (g_steal_pointer (&out), FALSE);
}

/**
 * vd_policy_json_to_data:
 * @node: a JSON tree, e.g. a policy file as parsed
 *
 * Writes @node the way vd_policy_to_data() writes a policy: indented by two
 * spaces, members in their order, numbers in their shortest exact form
 * (0.85, not 0.84999999999999998). Used to change one field of a policy
 * file and keep everything else as it was.
 *
 * Returns: (transfer full): the JSON text ending in a newline
 */
char *
vd_policy_json_to_data (JsonNode *node)
{
  g_autoptr(GString) out = NULL;

  g_return_val_if_fail (node != NULL, NULL);

  out = g_string_new (NULL);
  append_json_node (out, node, 0);
  g_string_append_c (out, '\n');

  return g_string_free (g_steal_pointer (&out), FALSE);
}

/**
 * vd_policy_check_to_string:
 * @check: a check
 *
 * Returns: the check's stable name, e.g. `sensitive_keyword`
 */
const char *
vd_policy_check_to_string (VdPolicyCheck check)
{
  switch (check)
    {
    case VD_POLICY_CHECK_NONE:
      return "none";
    case VD_POLICY_CHECK_CONFIDENCE:
      return "confidence";
    case VD_POLICY_CHECK_SENSITIVE_KEYWORD:
      return "sensitive_keyword";
    case VD_POLICY_CHECK_HIGH_RISK_ACTION:
      return "high_risk_action";
    case VD_POLICY_CHECK_ALWAYS_REVIEW_TYPE:
      return "always_review_type";
    case VD_POLICY_CHECK_RULE:
      return "rule";
    default:
      g_return_val_if_reached (NULL);
    }
}

/**
 * vd_sla_fallback_to_string:
 * @fallback: a fallback
 *
 * Returns: its wire name, e.g. `auto_approve`
 */
const char *
vd_sla_fallback_to_string (VdSlaFallback fallback)
{
  g_return_val_if_fail (fallback <= VD_SLA_FALLBACK_AUTO_APPROVE, NULL);

  return fallback_names[fallback];
}

/**
 * vd_sla_fallback_from_string:
 * @string: a wire name
 * @fallback: (out): the fallback
 *
 * Returns: %TRUE if @string names a fallback
 */
gboolean
vd_sla_fallback_from_string (const char    *string,
                             VdSlaFallback *fallback)
{
  g_return_val_if_fail (fallback != NULL, FALSE);

  for (guint i = 0; string != NULL && i < G_N_ELEMENTS (fallback_names); i++)
    {
      if (strcmp (fallback_names[i], string) == 0)
        {
          *fallback = i;
          return TRUE;
        }
    }

  return FALSE;
}

/**
 * vd_queue_full_action_to_string:
 * @action: an action
 *
 * Returns: its wire name, e.g. `pause_agent`
 */
const char *
vd_queue_full_action_to_string (VdQueueFullAction action)
{
  g_return_val_if_fail (action <= VD_QUEUE_FULL_REFUSE, NULL);

  return on_full_names[action];
}

/**
 * vd_queue_full_action_from_string:
 * @string: a wire name
 * @action: (out): the action
 *
 * Returns: %TRUE if @string names an action
 */
gboolean
vd_queue_full_action_from_string (const char        *string,
                                  VdQueueFullAction *action)
{
  g_return_val_if_fail (action != NULL, FALSE);

  for (guint i = 0; string != NULL && i < G_N_ELEMENTS (on_full_names); i++)
    {
      if (strcmp (on_full_names[i], string) == 0)
        {
          *action = i;
          return TRUE;
        }
    }

  return FALSE;
}

/* Results */

/**
 * vd_policy_result_copy:
 * @result: a result
 *
 * Returns: (transfer full): a copy of @result
 */
VdPolicyResult *
vd_policy_result_copy (const VdPolicyResult *result)
{
  VdPolicyResult *copy;

  g_return_val_if_fail (result != NULL, NULL);

  copy = g_new0 (VdPolicyResult, 1);
  *copy = *result;
  copy->explanation = g_strdup (result->explanation);
  copy->matched = g_strdup (result->matched);

  return copy;
}

void
vd_policy_result_free (VdPolicyResult *result)
{
  if (result == NULL)
    return;

  g_free (result->explanation);
  g_free (result->matched);
  g_free (result);
}
