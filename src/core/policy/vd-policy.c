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

#include <string.h>

#include <glib/gi18n.h>

#include "vd-item.h"
#include "vd-policy-private.h"
#include "vd-text.h"

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

/* The wire spelling of each operator, indexed by RuleOp. */
const char * const _vd_policy_op_names[N_RULE_OPS] = {
  [RULE_OP_GT] = ">",
  [RULE_OP_GE] = ">=",
  [RULE_OP_LT] = "<",
  [RULE_OP_LE] = "<=",
  [RULE_OP_EQ] = "==",
  [RULE_OP_NE] = "!=",
  [RULE_OP_CONTAINS] = "contains",
};

G_DEFINE_FINAL_TYPE (VdPolicy, vd_policy, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CONFIDENCE_THRESHOLD,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Text helpers */

/* @text as valid UTF-8 without the characters that render as nothing. */
char *
_vd_policy_strip_invisible (const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text, -1);
  GString *out = g_string_sized_new (strlen (valid));

  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      if (!vd_unichar_is_invisible (g_utf8_get_char (p)))
        g_string_append_len (out, p, g_utf8_next_char (p) - p);
    }

  return g_string_free (out, FALSE);
}

/* The form in which rule values are compared with ==: what a reader sees,
 * so that "gold" with a zero-width space or in full-width letters is still
 * "gold". Case stays. */
char *
_vd_policy_clean_text (const char *text)
{
  g_autofree char *stripped = _vd_policy_strip_invisible (text);

  return g_utf8_normalize (stripped, -1, G_NORMALIZE_NFKC);
}

/* _vd_policy_fold_text() of a text already through
 * _vd_policy_strip_invisible(), for a caller that needs both forms. */
char *
_vd_policy_fold_stripped (const char *stripped)
{
  g_autofree char *composed = g_utf8_normalize (stripped, -1, G_NORMALIZE_NFKC);
  g_autofree char *folded = g_utf8_casefold (composed, -1);

  return g_utf8_normalize (folded, -1, G_NORMALIZE_NFKC);
}

/* The form in which keywords and content are compared: without invisible
 * characters, compatibility composed and case folded, so that "STRASSE"
 * contains "straße", a decomposed "É" equals a precomposed "é" and
 * "del\u200bete" contains "delete". Folding may leave combining marks out
 * of order, hence the second normalisation. */
char *
_vd_policy_fold_text (const char *text)
{
  g_autofree char *stripped = _vd_policy_strip_invisible (text);

  return _vd_policy_fold_stripped (stripped);
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

/* A word made only of invisible characters folds to "", which every text
 * contains: the loader refuses it, and the setters ignore it. */
static gboolean
word_list_add (WordList   *list,
               const char *word)
{
  g_autofree char *folded = _vd_policy_fold_text (word);

  if (folded[0] == '\0')
    return FALSE;

  g_ptr_array_add (list->words, g_strdup (word));
  g_ptr_array_add (list->folded, g_steal_pointer (&folded));
  return TRUE;
}

/* Rules and type settings */

void
_vd_policy_rule_free (Rule *rule)
{
  g_free (rule->name);
  g_free (rule->path);
  g_free (rule->compare_value);
  g_strfreev (rule->segments);
  g_clear_pointer (&rule->value, json_node_unref);
  g_free (rule);
}

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

TypeSettings *
_vd_policy_find_type_settings (VdPolicy   *self,
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

TypeSettings *
_vd_policy_ensure_type_settings (VdPolicy   *self,
                                 const char *task_type)
{
  TypeSettings *settings = _vd_policy_find_type_settings (self, task_type);

  if (settings == NULL)
    {
      settings = g_new0 (TypeSettings, 1);
      settings->name = g_strdup (task_type);
      settings->fallback_field = g_strdup_printf ("task_types.%s.fallback", task_type);
      g_ptr_array_add (self->task_types, settings);
    }

  return settings;
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
  g_clear_pointer (&self->source, g_free);
  g_clear_object (&self->roster);
  g_clear_pointer (&self->trusted_sources, g_ptr_array_unref);
  g_clear_pointer (&self->file_sha256, g_free);
  g_clear_pointer (&self->sha256, g_free);

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
  self->rules = g_ptr_array_new_with_free_func ((GDestroyNotify) _vd_policy_rule_free);
  self->queues = g_ptr_array_new_with_free_func ((GDestroyNotify) queue_settings_free);
  self->feedback_categories = g_ptr_array_new_with_free_func (g_free);
  self->trusted_sources = g_ptr_array_new_with_free_func (g_object_unref);
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

/**
 * vd_policy_new_review_all:
 *
 * Creates the policy that applies when nobody chose one: every item is
 * queued for a human (reason policy_required, check review_all) and
 * nothing is approved automatically. The other checks still run first, so
 * an item keeps its most specific reason.
 *
 * Returns: (transfer full): a new #VdPolicy
 */
VdPolicy *
vd_policy_new_review_all (void)
{
  VdPolicy *self = vd_policy_new ();

  self->review_all = TRUE;

  return self;
}

/* Accessors */

/**
 * vd_policy_get_review_all:
 * @self: a policy
 *
 * Returns: whether the policy queues every item for review (`"review_all":
 *   true`), approving nothing automatically
 */
gboolean
vd_policy_get_review_all (VdPolicy *self)
{
  g_return_val_if_fail (VD_IS_POLICY (self), TRUE);

  return self->review_all;
}

/**
 * vd_policy_get_source:
 * @self: a policy
 *
 * Returns: (nullable): a short label of where the policy came from, e.g.
 *   the path of its file (vd_policy_new_from_file() sets it), or %NULL
 */
const char *
vd_policy_get_source (VdPolicy *self)
{
  g_return_val_if_fail (VD_IS_POLICY (self), NULL);

  return self->source;
}

/**
 * vd_policy_set_source:
 * @self: a policy
 * @source: (nullable): a short label of where the policy came from
 *
 * Sets the label that summaries show for the policy. It is not part of
 * the policy's JSON (vd_policy_to_data()).
 */
void
vd_policy_set_source (VdPolicy   *self,
                      const char *source)
{
  g_return_if_fail (VD_IS_POLICY (self));

  if (g_strcmp0 (self->source, source) == 0)
    return;

  g_free (self->source);
  self->source = g_strdup (source);
}

/**
 * vd_policy_set_review_all:
 * @self: a policy
 * @review_all: whether every item needs review
 *
 * Sets whether the policy queues every item for review.
 */
void
vd_policy_set_review_all (VdPolicy *self,
                          gboolean  review_all)
{
  g_return_if_fail (VD_IS_POLICY (self));

  _vd_policy_changed (self);

  self->review_all = !!review_all;
}

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

  _vd_policy_changed (self);

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

  settings = _vd_policy_find_type_settings (self, task_type);
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
  g_return_if_fail (g_utf8_validate (task_type, -1, NULL));
  g_return_if_fail (threshold >= 0.0 && threshold <= 1.0);

  _vd_policy_changed (self);

  settings = _vd_policy_ensure_type_settings (self, task_type);
  settings->has_threshold = TRUE;
  settings->threshold = threshold;
}

/**
 * vd_policy_add_sensitive_keyword:
 * @self: a policy
 * @keyword: a non-empty word or phrase, valid UTF-8
 *
 * Outputs that mention @keyword (in any case, whatever invisible characters
 * split it) need a human. A keyword made only of invisible characters would
 * match every output and is ignored.
 */
void
vd_policy_add_sensitive_keyword (VdPolicy   *self,
                                 const char *keyword)
{
  g_return_if_fail (VD_IS_POLICY (self));
  g_return_if_fail (keyword != NULL && keyword[0] != '\0');
  g_return_if_fail (g_utf8_validate (keyword, -1, NULL));

  _vd_policy_changed (self);

  word_list_add (&self->sensitive_keywords, keyword);
}

/**
 * vd_policy_add_high_risk_action:
 * @self: a policy
 * @action: a non-empty word or phrase, valid UTF-8
 *
 * Outputs that mention @action (in any case, whatever invisible characters
 * split it) need a human. An action made only of invisible characters is
 * ignored, as for vd_policy_add_sensitive_keyword().
 */
void
vd_policy_add_high_risk_action (VdPolicy   *self,
                                const char *action)
{
  g_return_if_fail (VD_IS_POLICY (self));
  g_return_if_fail (action != NULL && action[0] != '\0');
  g_return_if_fail (g_utf8_validate (action, -1, NULL));

  _vd_policy_changed (self);

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
  g_return_if_fail (g_utf8_validate (task_type, -1, NULL));

  _vd_policy_changed (self);

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
  g_return_if_fail (g_utf8_validate (category, -1, NULL));

  _vd_policy_changed (self);

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

  settings = _vd_policy_find_type_settings (self, task_type);
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
  g_return_if_fail (task_type == NULL || g_utf8_validate (task_type, -1, NULL));
  g_return_if_fail (minutes <= MAX_SLA_MINUTES);

  _vd_policy_changed (self);

  if (task_type == NULL)
    self->sla_minutes = minutes;
  else
    _vd_policy_ensure_type_settings (self, task_type)->sla_minutes = minutes;
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

  settings = _vd_policy_find_type_settings (self, task_type);
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
  g_return_if_fail (task_type == NULL || g_utf8_validate (task_type, -1, NULL));
  g_return_if_fail (fallback <= VD_SLA_FALLBACK_AUTO_APPROVE);

  _vd_policy_changed (self);

  if (task_type == NULL)
    {
      self->has_fallback = TRUE;
      self->fallback = fallback;
      return;
    }

  settings = _vd_policy_ensure_type_settings (self, task_type);
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

  settings = _vd_policy_find_type_settings (self, task_type);
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

  _vd_policy_changed (self);

  self->escalated_sla_minutes = minutes;
}

/**
 * vd_policy_get_claim_minutes:
 * @self: a policy
 *
 * Returns: the lease of a reviewer's claim on an open item, in minutes
 *   (`claim_minutes`, else %VD_POLICY_DEFAULT_CLAIM_MINUTES)
 */
guint
vd_policy_get_claim_minutes (VdPolicy *self)
{
  g_return_val_if_fail (VD_IS_POLICY (self), VD_POLICY_DEFAULT_CLAIM_MINUTES);

  return self->claim_minutes > 0 ? self->claim_minutes : VD_POLICY_DEFAULT_CLAIM_MINUTES;
}

/**
 * vd_policy_set_claim_minutes:
 * @self: a policy
 * @minutes: the lease of a claim, 1 to %VD_POLICY_MAX_CLAIM_MINUTES; 0 for
 *   the default
 */
void
vd_policy_set_claim_minutes (VdPolicy *self,
                             guint     minutes)
{
  g_return_if_fail (VD_IS_POLICY (self));
  g_return_if_fail (minutes <= VD_POLICY_MAX_CLAIM_MINUTES);

  _vd_policy_changed (self);

  self->claim_minutes = minutes;
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
  g_return_if_fail (g_utf8_validate (queue, -1, NULL));
  g_return_if_fail (max_pending <= MAX_PENDING_LIMIT);
  g_return_if_fail (on_full <= VD_QUEUE_FULL_REFUSE);

  _vd_policy_changed (self);

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

/* Reviewers, trusted queue sources and the policy's fingerprint */

/* Called by every setter: the policy no longer is the file's bytes, and
 * the hash of its written form must be computed again. */
void
_vd_policy_changed (VdPolicy *self)
{
  g_clear_pointer (&self->file_sha256, g_free);
  g_free (g_atomic_pointer_exchange (&self->sha256, NULL));
}

/* The loader's record of the exact bytes a policy was read from a file. */
void
_vd_policy_set_file_bytes (VdPolicy   *self,
                           const char *data,
                           gssize      length)
{
  g_free (self->file_sha256);
  self->file_sha256 = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) data,
                                                   length >= 0 ? (gsize) length : strlen (data));
  g_free (g_atomic_pointer_exchange (&self->sha256, NULL));
}

/**
 * vd_policy_get_roster:
 * @self: a policy
 *
 * Returns: (transfer none) (nullable): the policy's `reviewers`, or %NULL
 *   when it names none (everyone may decide)
 */
VdRoster *
vd_policy_get_roster (VdPolicy *self)
{
  g_return_val_if_fail (VD_IS_POLICY (self), NULL);

  return self->roster;
}

/**
 * vd_policy_get_trusted_sources:
 * @self: a policy
 *
 * Returns: (transfer none) (element-type VdKey): the public keys of
 *   `trusted_sources`, in file order; each key's owner is the source's
 *   `name`, or empty when the file gives the key alone. Maybe empty, never
 *   %NULL.
 */
GPtrArray *
vd_policy_get_trusted_sources (VdPolicy *self)
{
  g_return_val_if_fail (VD_IS_POLICY (self), NULL);

  return self->trusted_sources;
}

/**
 * vd_policy_get_require_signed_queues:
 * @self: a policy
 *
 * Returns: whether a queue file must carry a signature (`FILE.minisig`) by
 *   one of the trusted sources to be imported
 */
gboolean
vd_policy_get_require_signed_queues (VdPolicy *self)
{
  g_return_val_if_fail (VD_IS_POLICY (self), FALSE);

  return self->require_signed_queues;
}

/**
 * vd_policy_get_sha256:
 * @self: a policy
 *
 * The fingerprint decisions are stamped with: the SHA-256 of the file's
 * bytes when the policy was read from a file (vd_policy_new_from_file())
 * and not changed since, else of the text vd_policy_to_data() writes for
 * it. The policy the store remembers for a queue is that text, so a
 * policy read back from the store has the fingerprint it had when stored
 * from a policy built in code.
 *
 * Returns: (transfer none): 64 lower-case hex digits, valid until @self
 *   changes or is finalized
 */
const char *
vd_policy_get_sha256 (VdPolicy *self)
{
  g_autofree char *data = NULL;
  char *computed;
  char *cached;

  g_return_val_if_fail (VD_IS_POLICY (self), NULL);

  if (self->file_sha256 != NULL)
    return self->file_sha256;

  if ((cached = g_atomic_pointer_get (&self->sha256)) != NULL)
    return cached;

  /* Readers may share a policy across threads: the first one to finish
   * publishes its result, the others drop theirs. */
  data = vd_policy_to_data (self);
  computed = g_compute_checksum_for_string (G_CHECKSUM_SHA256, data, -1);
  if (!g_atomic_pointer_compare_and_exchange (&self->sha256, NULL, computed))
    {
      g_free (computed);
      return g_atomic_pointer_get (&self->sha256);
    }

  return computed;
}
