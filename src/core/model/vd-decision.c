/* vd-decision.c
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

#define G_LOG_DOMAIN "vd-decision"

#include "config.h"

#include "vd-decision.h"
#include "vd-enums.h"
#include "vd-text.h"
#include "vd-timestamp.h"

struct _VdDecision
{
  GObject         parent_instance;

  gint64          id;
  char           *queue;
  char           *task_id;
  VdDecisionKind  kind;
  char           *feedback;
  char           *modified_content;
  char           *reviewer_id;
  GDateTime      *timestamp;
  int             revision;
  gint64          duration_ms;
  gboolean        automatic;
  gint64          audit_seq;
  char           *audit_hash;
  char           *audit_prev_hash;
  gboolean        retracted;
  gboolean        review_only;
  gint64          retraction_seq;
  VdHelpful       helpful;
  char           *category;
  gint64          bulk_id;

  /* Stamps: what the decision was taken under (NULL when unknown). */
  char           *policy_sha256;
  char           *model;
  char           *prompt_version;
  char           *app_version;

  /* Who signed the decision's audit event (NULL when it is unsigned). */
  char           *audit_key_id;
  char           *audit_signature;

  /* The item content last given to vd_decision_compute_final_output(), from
   * which the final-output property is derived; NULL until then. */
  char           *content;
  char           *final_output;
};

G_DEFINE_FINAL_TYPE (VdDecision, vd_decision, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_QUEUE,
  PROP_TASK_ID,
  PROP_KIND,
  PROP_FEEDBACK,
  PROP_MODIFIED_CONTENT,
  PROP_REVIEWER_ID,
  PROP_TIMESTAMP,
  PROP_REVISION,
  PROP_DURATION_MS,
  PROP_AUTOMATIC,
  PROP_FINAL_OUTPUT,
  PROP_AUDIT_SEQ,
  PROP_AUDIT_HASH,
  PROP_AUDIT_PREV_HASH,
  PROP_RETRACTED,
  PROP_RETRACTION_SEQ,
  PROP_HELPFUL,
  PROP_CATEGORY,
  PROP_BULK_ID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
set_text (VdDecision  *self,
          char       **field,
          const char  *value,
          guint        prop_id)
{
  if (!vd_set_str (field, value != NULL ? value : ""))
    return FALSE;

  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
  return TRUE;
}

static char *
final_output_for (VdDecisionKind  kind,
                  const char     *modified_content,
                  const char     *content)
{
  switch (kind)
    {
    case VD_DECISION_KIND_APPROVE:
    case VD_DECISION_KIND_ESCALATE_FURTHER:
      return g_strdup (content);

    case VD_DECISION_KIND_MODIFY:
      if (modified_content != NULL && modified_content[0] != '\0')
        return g_strdup (modified_content);
      return g_strdup (content);

    case VD_DECISION_KIND_REJECT:
      return g_strdup ("");

    default:
      g_return_val_if_reached (g_strdup (""));
    }
}

/* Recomputes the derived final output once its inputs are known. */
static void
update_final_output (VdDecision *self)
{
  g_autofree char *final_output = NULL;

  if (self->content == NULL)
    return;

  final_output = final_output_for (self->kind, self->modified_content, self->content);
  if (g_strcmp0 (final_output, self->final_output) == 0)
    return;

  g_free (self->final_output);
  self->final_output = g_steal_pointer (&final_output);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FINAL_OUTPUT]);
}

static void
vd_decision_constructed (GObject *object)
{
  VdDecision *self = (VdDecision *)object;

  G_OBJECT_CLASS (vd_decision_parent_class)->constructed (object);

  if (self->task_id == NULL)
    self->task_id = g_strdup ("");
  if (self->reviewer_id == NULL)
    self->reviewer_id = g_strdup ("");
}

static void
vd_decision_finalize (GObject *object)
{
  VdDecision *self = (VdDecision *)object;

  g_clear_pointer (&self->queue, g_free);
  g_clear_pointer (&self->task_id, g_free);
  g_clear_pointer (&self->feedback, g_free);
  g_clear_pointer (&self->modified_content, g_free);
  g_clear_pointer (&self->reviewer_id, g_free);
  g_clear_pointer (&self->timestamp, g_date_time_unref);
  g_clear_pointer (&self->audit_hash, g_free);
  g_clear_pointer (&self->audit_prev_hash, g_free);
  g_clear_pointer (&self->content, g_free);
  g_clear_pointer (&self->final_output, g_free);
  g_clear_pointer (&self->category, g_free);
  g_clear_pointer (&self->policy_sha256, g_free);
  g_clear_pointer (&self->model, g_free);
  g_clear_pointer (&self->prompt_version, g_free);
  g_clear_pointer (&self->app_version, g_free);
  g_clear_pointer (&self->audit_key_id, g_free);
  g_clear_pointer (&self->audit_signature, g_free);

  G_OBJECT_CLASS (vd_decision_parent_class)->finalize (object);
}

static void
vd_decision_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  VdDecision *self = VD_DECISION (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;

    case PROP_QUEUE:
      g_value_set_string (value, self->queue);
      break;

    case PROP_TASK_ID:
      g_value_set_string (value, self->task_id);
      break;

    case PROP_KIND:
      g_value_set_enum (value, self->kind);
      break;

    case PROP_FEEDBACK:
      g_value_set_string (value, self->feedback);
      break;

    case PROP_MODIFIED_CONTENT:
      g_value_set_string (value, self->modified_content);
      break;

    case PROP_REVIEWER_ID:
      g_value_set_string (value, self->reviewer_id);
      break;

    case PROP_TIMESTAMP:
      g_value_set_boxed (value, self->timestamp);
      break;

    case PROP_REVISION:
      g_value_set_int (value, self->revision);
      break;

    case PROP_DURATION_MS:
      g_value_set_int64 (value, self->duration_ms);
      break;

    case PROP_AUTOMATIC:
      g_value_set_boolean (value, self->automatic);
      break;

    case PROP_FINAL_OUTPUT:
      g_value_set_string (value, self->final_output);
      break;

    case PROP_AUDIT_SEQ:
      g_value_set_int64 (value, self->audit_seq);
      break;

    case PROP_AUDIT_HASH:
      g_value_set_string (value, self->audit_hash);
      break;

    case PROP_AUDIT_PREV_HASH:
      g_value_set_string (value, self->audit_prev_hash);
      break;

    case PROP_RETRACTED:
      g_value_set_boolean (value, self->retracted);
      break;

    case PROP_RETRACTION_SEQ:
      g_value_set_int64 (value, self->retraction_seq);
      break;

    case PROP_HELPFUL:
      g_value_set_enum (value, self->helpful);
      break;

    case PROP_CATEGORY:
      g_value_set_string (value, self->category);
      break;

    case PROP_BULK_ID:
      g_value_set_int64 (value, self->bulk_id);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vd_decision_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  VdDecision *self = VD_DECISION (object);

  switch (prop_id)
    {
    case PROP_ID:
      vd_decision_set_id (self, g_value_get_int64 (value));
      break;

    case PROP_QUEUE:
      vd_decision_set_queue (self, g_value_get_string (value));
      break;

    case PROP_TASK_ID:
      /* construct-only */
      self->task_id = g_value_dup_string (value);
      break;

    case PROP_KIND:
      /* construct-only */
      self->kind = g_value_get_enum (value);
      break;

    case PROP_FEEDBACK:
      vd_decision_set_feedback (self, g_value_get_string (value));
      break;

    case PROP_MODIFIED_CONTENT:
      vd_decision_set_modified_content (self, g_value_get_string (value));
      break;

    case PROP_REVIEWER_ID:
      /* construct-only */
      self->reviewer_id = g_value_dup_string (value);
      break;

    case PROP_TIMESTAMP:
      /* The timestamp is never NULL: setting NULL keeps the current one. */
      if (g_value_get_boxed (value) != NULL)
        vd_decision_set_timestamp (self, g_value_get_boxed (value));
      break;

    case PROP_REVISION:
      vd_decision_set_revision (self, g_value_get_int (value));
      break;

    case PROP_DURATION_MS:
      vd_decision_set_duration_ms (self, g_value_get_int64 (value));
      break;

    case PROP_AUTOMATIC:
      vd_decision_set_automatic (self, g_value_get_boolean (value));
      break;

    case PROP_AUDIT_SEQ:
      vd_decision_set_audit (self, g_value_get_int64 (value),
                             self->audit_hash, self->audit_prev_hash);
      break;

    case PROP_AUDIT_HASH:
      vd_decision_set_audit (self, self->audit_seq,
                             g_value_get_string (value), self->audit_prev_hash);
      break;

    case PROP_AUDIT_PREV_HASH:
      vd_decision_set_audit (self, self->audit_seq,
                             self->audit_hash, g_value_get_string (value));
      break;

    case PROP_RETRACTED:
      vd_decision_set_retracted (self, g_value_get_boolean (value));
      break;

    case PROP_RETRACTION_SEQ:
      vd_decision_set_retraction_seq (self, g_value_get_int64 (value));
      break;

    case PROP_HELPFUL:
      vd_decision_set_helpful (self, g_value_get_enum (value));
      break;

    case PROP_CATEGORY:
      vd_decision_set_category (self, g_value_get_string (value));
      break;

    case PROP_BULK_ID:
      vd_decision_set_bulk_id (self, g_value_get_int64 (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vd_decision_class_init (VdDecisionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = (G_PARAM_READWRITE |
                             G_PARAM_EXPLICIT_NOTIFY |
                             G_PARAM_STATIC_STRINGS);
  const GParamFlags construct_flags = (G_PARAM_READWRITE |
                                       G_PARAM_CONSTRUCT_ONLY |
                                       G_PARAM_EXPLICIT_NOTIFY |
                                       G_PARAM_STATIC_STRINGS);

  object_class->constructed = vd_decision_constructed;
  object_class->finalize = vd_decision_finalize;
  object_class->get_property = vd_decision_get_property;
  object_class->set_property = vd_decision_set_property;

  properties[PROP_ID] =
    g_param_spec_int64 ("id", "Id", "Row id in the store, 0 when not stored",
                        0, G_MAXINT64, 0, flags);

  properties[PROP_QUEUE] =
    g_param_spec_string ("queue", "Queue", "Queue of the decided item",
                         "", flags);

  properties[PROP_TASK_ID] =
    g_param_spec_string ("task-id", "Task id", "Task id of the decided item",
                         "", construct_flags);

  properties[PROP_KIND] =
    g_param_spec_enum ("kind", "Kind", "What was decided",
                       VD_TYPE_DECISION_KIND, VD_DECISION_KIND_APPROVE, construct_flags);

  properties[PROP_FEEDBACK] =
    g_param_spec_string ("feedback", "Feedback", "The reviewer's rationale",
                         "", flags);

  properties[PROP_MODIFIED_CONTENT] =
    g_param_spec_string ("modified-content", "Modified content",
                         "The reviewer's corrected output",
                         "", flags);

  properties[PROP_REVIEWER_ID] =
    g_param_spec_string ("reviewer-id", "Reviewer id",
                         "Who decided: a reviewer id, or \"policy\"",
                         "", construct_flags);

  properties[PROP_TIMESTAMP] =
    g_param_spec_boxed ("timestamp", "Timestamp", "When the decision was made",
                        G_TYPE_DATE_TIME, flags);

  properties[PROP_REVISION] =
    g_param_spec_int ("revision", "Revision", "The revision of the item that was decided",
                      0, G_MAXINT, 0, flags);

  properties[PROP_DURATION_MS] =
    g_param_spec_int64 ("duration-ms", "Duration", "How long the item was open, in ms",
                        0, G_MAXINT64, 0, flags);

  properties[PROP_AUTOMATIC] =
    g_param_spec_boolean ("automatic", "Automatic", "Whether the policy decided",
                          FALSE, flags);

  /**
   * VdDecision:final-output: (nullable)
   *
   * The output that results from the decision, derived from the kind, the
   * modified content and the item content last given to
   * vd_decision_compute_final_output(); %NULL until then.
   */
  properties[PROP_FINAL_OUTPUT] =
    g_param_spec_string ("final-output", "Final output", "The output after the decision",
                         NULL,
                         (G_PARAM_READABLE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  properties[PROP_AUDIT_SEQ] =
    g_param_spec_int64 ("audit-seq", "Audit sequence",
                        "Sequence number of the audit event, 0 when not stored",
                        0, G_MAXINT64, 0, flags);

  properties[PROP_AUDIT_HASH] =
    g_param_spec_string ("audit-hash", "Audit hash", "Hash of the audit event",
                         "", flags);

  properties[PROP_AUDIT_PREV_HASH] =
    g_param_spec_string ("audit-prev-hash", "Audit previous hash",
                         "Hash of the audit event before it",
                         "", flags);

  /**
   * VdDecision:retracted:
   *
   * Whether the reviewer took the decision back: it stays in the store and
   * the audit trail, but no longer counts.
   */
  properties[PROP_RETRACTED] =
    g_param_spec_boolean ("retracted", "Retracted", "Whether the decision was retracted",
                          FALSE, flags);

  /**
   * VdDecision:retraction-seq:
   *
   * The sequence number of the retraction's audit event, 0 when the
   * decision stands.
   */
  properties[PROP_RETRACTION_SEQ] =
    g_param_spec_int64 ("retraction-seq", "Retraction sequence",
                        "Sequence number of the retraction's audit event, 0 when none",
                        0, G_MAXINT64, 0, flags);

  /**
   * VdDecision:helpful:
   *
   * Whether the reviewer found the agent's output helpful (the feedback
   * loop); %VD_HELPFUL_UNSET when the reviewer did not say.
   */
  properties[PROP_HELPFUL] =
    g_param_spec_enum ("helpful", "Helpful", "Whether the agent's output helped",
                       VD_TYPE_HELPFUL, VD_HELPFUL_UNSET, flags);

  /**
   * VdDecision:category: (nullable)
   *
   * The feedback category: one of the policy's feedback_categories or free
   * text; %NULL when none was given.
   */
  properties[PROP_CATEGORY] =
    g_param_spec_string ("category", "Category", "The feedback category",
                         NULL, flags);

  /**
   * VdDecision:bulk-id:
   *
   * The bulk approve that took the decision (its row id), 0 for a
   * decision taken on its own.
   */
  properties[PROP_BULK_ID] =
    g_param_spec_int64 ("bulk-id", "Bulk id", "The bulk approve that took the decision, or 0",
                        0, G_MAXINT64, 0, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
vd_decision_init (VdDecision *self)
{
  self->queue = g_strdup ("");
  self->feedback = g_strdup ("");
  self->modified_content = g_strdup ("");
  self->timestamp = vd_timestamp_now ();
  self->audit_hash = g_strdup ("");
  self->audit_prev_hash = g_strdup ("");
}

/**
 * vd_decision_new:
 * @queue: (nullable): the queue of the decided item
 * @task_id: (nullable): the task id of the decided item
 * @kind: what was decided
 * @reviewer_id: (nullable): who decided
 *
 * Returns: (transfer full): a decision timestamped now
 */
VdDecision *
vd_decision_new (const char     *queue,
                 const char     *task_id,
                 VdDecisionKind  kind,
                 const char     *reviewer_id)
{
  g_return_val_if_fail (kind <= VD_DECISION_KIND_ESCALATE_FURTHER, NULL);

  return g_object_new (VD_TYPE_DECISION,
                       "queue", queue,
                       "task-id", task_id,
                       "kind", kind,
                       "reviewer-id", reviewer_id,
                       NULL);
}

gint64
vd_decision_get_id (VdDecision *self)
{
  g_return_val_if_fail (VD_IS_DECISION (self), 0);

  return self->id;
}

void
vd_decision_set_id (VdDecision *self,
                    gint64      id)
{
  g_return_if_fail (VD_IS_DECISION (self));
  g_return_if_fail (id >= 0);

  if (self->id == id)
    return;

  self->id = id;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
}

const char *
vd_decision_get_queue (VdDecision *self)
{
  g_return_val_if_fail (VD_IS_DECISION (self), NULL);

  return self->queue;
}

void
vd_decision_set_queue (VdDecision *self,
                       const char *queue)
{
  g_return_if_fail (VD_IS_DECISION (self));

  set_text (self, &self->queue, queue, PROP_QUEUE);
}

const char *
vd_decision_get_task_id (VdDecision *self)
{
  g_return_val_if_fail (VD_IS_DECISION (self), NULL);

  return self->task_id;
}

VdDecisionKind
vd_decision_get_kind (VdDecision *self)
{
  g_return_val_if_fail (VD_IS_DECISION (self), VD_DECISION_KIND_APPROVE);

  return self->kind;
}

const char *
vd_decision_get_feedback (VdDecision *self)
{
  g_return_val_if_fail (VD_IS_DECISION (self), NULL);

  return self->feedback;
}

void
vd_decision_set_feedback (VdDecision *self,
                          const char *feedback)
{
  g_return_if_fail (VD_IS_DECISION (self));

  set_text (self, &self->feedback, feedback, PROP_FEEDBACK);
}

const char *
vd_decision_get_modified_content (VdDecision *self)
{
  g_return_val_if_fail (VD_IS_DECISION (self), NULL);

  return self->modified_content;
}

void
vd_decision_set_modified_content (VdDecision *self,
                                  const char *modified_content)
{
  g_return_if_fail (VD_IS_DECISION (self));

  if (set_text (self, &self->modified_content, modified_content, PROP_MODIFIED_CONTENT))
    update_final_output (self);
}

const char *
vd_decision_get_reviewer_id (VdDecision *self)
{
  g_return_val_if_fail (VD_IS_DECISION (self), NULL);

  return self->reviewer_id;
}

/**
 * vd_decision_get_timestamp:
 * @self: a decision
 *
 * Returns: (transfer none): when the decision was made
 */
GDateTime *
vd_decision_get_timestamp (VdDecision *self)
{
  g_return_val_if_fail (VD_IS_DECISION (self), NULL);

  return self->timestamp;
}

void
vd_decision_set_timestamp (VdDecision *self,
                           GDateTime  *timestamp)
{
  g_return_if_fail (VD_IS_DECISION (self));
  g_return_if_fail (timestamp != NULL);

  if (g_date_time_equal (self->timestamp, timestamp))
    return;

  g_clear_pointer (&self->timestamp, g_date_time_unref);
  self->timestamp = g_date_time_ref (timestamp);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMESTAMP]);
}

int
vd_decision_get_revision (VdDecision *self)
{
  g_return_val_if_fail (VD_IS_DECISION (self), 0);

  return self->revision;
}

void
vd_decision_set_revision (VdDecision *self,
                          int         revision)
{
  g_return_if_fail (VD_IS_DECISION (self));
  g_return_if_fail (revision >= 0);

  if (self->revision == revision)
    return;

  self->revision = revision;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REVISION]);
}

gint64
vd_decision_get_duration_ms (VdDecision *self)
{
  g_return_val_if_fail (VD_IS_DECISION (self), 0);

  return self->duration_ms;
}

void
vd_decision_set_duration_ms (VdDecision *self,
                             gint64      duration_ms)
{
  g_return_if_fail (VD_IS_DECISION (self));
  g_return_if_fail (duration_ms >= 0);

  if (self->duration_ms == duration_ms)
    return;

  self->duration_ms = duration_ms;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DURATION_MS]);
}

gboolean
vd_decision_get_automatic (VdDecision *self)
{
  g_return_val_if_fail (VD_IS_DECISION (self), FALSE);

  return self->automatic;
}

void
vd_decision_set_automatic (VdDecision *self,
                           gboolean    automatic)
{
  g_return_if_fail (VD_IS_DECISION (self));

  automatic = !!automatic;
  if (self->automatic == automatic)
    return;

  self->automatic = automatic;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUTOMATIC]);
}

/**
 * vd_decision_get_final_output:
 * @self: a decision
 *
 * Returns: (nullable): the output resulting from the decision, as last
 *   computed by vd_decision_compute_final_output(), or %NULL before that
 */
const char *
vd_decision_get_final_output (VdDecision *self)
{
  g_return_val_if_fail (VD_IS_DECISION (self), NULL);

  return self->final_output;
}

gint64
vd_decision_get_audit_seq (VdDecision *self)
{
  g_return_val_if_fail (VD_IS_DECISION (self), 0);

  return self->audit_seq;
}

const char *
vd_decision_get_audit_hash (VdDecision *self)
{
  g_return_val_if_fail (VD_IS_DECISION (self), NULL);

  return self->audit_hash;
}

const char *
vd_decision_get_audit_prev_hash (VdDecision *self)
{
  g_return_val_if_fail (VD_IS_DECISION (self), NULL);

  return self->audit_prev_hash;
}

/**
 * vd_decision_set_audit:
 * @self: a decision
 * @seq: the sequence number of the decision's audit event
 * @hash: (nullable): that event's hash
 * @prev_hash: (nullable): the hash of the event before it
 *
 * Records where the decision sits in the audit trail once stored.
 */
void
vd_decision_set_audit (VdDecision *self,
                       gint64      seq,
                       const char *hash,
                       const char *prev_hash)
{
  g_autofree char *hash_copy = NULL;
  g_autofree char *prev_hash_copy = NULL;

  g_return_if_fail (VD_IS_DECISION (self));
  g_return_if_fail (seq >= 0);

  /* The arguments may be our own fields (from set_property). */
  hash_copy = g_strdup (hash);
  prev_hash_copy = g_strdup (prev_hash);

  g_object_freeze_notify (G_OBJECT (self));

  if (self->audit_seq != seq)
    {
      self->audit_seq = seq;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUDIT_SEQ]);
    }

  set_text (self, &self->audit_hash, hash_copy, PROP_AUDIT_HASH);
  set_text (self, &self->audit_prev_hash, prev_hash_copy, PROP_AUDIT_PREV_HASH);

  g_object_thaw_notify (G_OBJECT (self));
}

/**
 * vd_decision_compute_final_output:
 * @self: a decision
 * @content: (nullable): the content of the decided revision
 *
 * Computes the output that results from the decision, as the reference
 * does: approve gives @content; modify gives the modified content, or
 * @content when that is empty; reject gives ""; escalate further gives
 * @content. The result also becomes the #VdDecision:final-output property.
 *
 * Returns: (transfer full): the final output, never %NULL
 */
char *
vd_decision_compute_final_output (VdDecision *self,
                                  const char *content)
{
  g_return_val_if_fail (VD_IS_DECISION (self), NULL);

  if (content == NULL)
    content = "";

  if (g_strcmp0 (self->content, content) != 0)
    {
      g_free (self->content);
      self->content = g_strdup (content);
    }

  update_final_output (self);

  return g_strdup (self->final_output);
}

/**
 * vd_decision_get_retracted:
 * @self: a decision
 *
 * Returns: %TRUE if the decision was retracted (see
 *   vd_store_retract_decision())
 */
/**
 * vd_decision_get_final:
 * @self: a decision
 *
 * Returns: %FALSE for a review of an item that needs two reviewers which
 *   did not decide the item on its own (a first review, or a second one
 *   that disagreed); %TRUE for every other decision
 */
gboolean
vd_decision_get_final (VdDecision *self)
{
  g_return_val_if_fail (VD_IS_DECISION (self), TRUE);

  return !self->review_only;
}

void
vd_decision_set_final (VdDecision *self,
                       gboolean    final)
{
  g_return_if_fail (VD_IS_DECISION (self));

  self->review_only = !final;
}

gboolean
vd_decision_get_retracted (VdDecision *self)
{
  g_return_val_if_fail (VD_IS_DECISION (self), FALSE);

  return self->retracted;
}

/**
 * vd_decision_set_retracted:
 * @self: a decision
 * @retracted: whether the decision was retracted
 *
 * Set by a store when it lists a retracted decision.
 */
void
vd_decision_set_retracted (VdDecision *self,
                           gboolean    retracted)
{
  g_return_if_fail (VD_IS_DECISION (self));

  retracted = !!retracted;
  if (self->retracted == retracted)
    return;

  self->retracted = retracted;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RETRACTED]);
}

/**
 * vd_decision_get_retraction_seq:
 * @self: a decision
 *
 * Returns: the sequence number of the retraction's audit event, or 0
 */
gint64
vd_decision_get_retraction_seq (VdDecision *self)
{
  g_return_val_if_fail (VD_IS_DECISION (self), 0);

  return self->retraction_seq;
}

/**
 * vd_decision_set_retraction_seq:
 * @self: a decision
 * @seq: the sequence number of the retraction's audit event, or 0
 */
void
vd_decision_set_retraction_seq (VdDecision *self,
                                gint64      seq)
{
  g_return_if_fail (VD_IS_DECISION (self));
  g_return_if_fail (seq >= 0);

  if (self->retraction_seq == seq)
    return;

  self->retraction_seq = seq;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RETRACTION_SEQ]);
}

/**
 * vd_decision_get_helpful:
 * @self: a decision
 *
 * Returns: whether the reviewer found the agent's output helpful
 */
VdHelpful
vd_decision_get_helpful (VdDecision *self)
{
  g_return_val_if_fail (VD_IS_DECISION (self), VD_HELPFUL_UNSET);

  return self->helpful;
}

/**
 * vd_decision_set_helpful:
 * @self: a decision
 * @helpful: whether the agent's output helped, or %VD_HELPFUL_UNSET
 */
void
vd_decision_set_helpful (VdDecision *self,
                         VdHelpful   helpful)
{
  g_return_if_fail (VD_IS_DECISION (self));
  g_return_if_fail (helpful <= VD_HELPFUL_NO);

  if (self->helpful == helpful)
    return;

  self->helpful = helpful;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HELPFUL]);
}

/**
 * vd_decision_get_category:
 * @self: a decision
 *
 * Returns: (nullable): the feedback category, or %NULL
 */
const char *
vd_decision_get_category (VdDecision *self)
{
  g_return_val_if_fail (VD_IS_DECISION (self), NULL);

  return self->category;
}

/**
 * vd_decision_set_category:
 * @self: a decision
 * @category: (nullable): the feedback category; %NULL or "" for none
 */
void
vd_decision_set_category (VdDecision *self,
                          const char *category)
{
  g_return_if_fail (VD_IS_DECISION (self));

  if (category != NULL && category[0] == '\0')
    category = NULL;

  if (vd_set_str (&self->category, category))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CATEGORY]);
}

/**
 * vd_decision_get_bulk_id:
 * @self: a decision
 *
 * Returns: the row id of the bulk approve that took the decision, or 0
 */
gint64
vd_decision_get_bulk_id (VdDecision *self)
{
  g_return_val_if_fail (VD_IS_DECISION (self), 0);

  return self->bulk_id;
}

/**
 * vd_decision_set_bulk_id:
 * @self: a decision
 * @bulk_id: the bulk approve's row id, or 0
 *
 * Set by a store when it lists a decision of a bulk approve.
 */
void
vd_decision_set_bulk_id (VdDecision *self,
                         gint64      bulk_id)
{
  g_return_if_fail (VD_IS_DECISION (self));
  g_return_if_fail (bulk_id >= 0);

  if (self->bulk_id == bulk_id)
    return;

  self->bulk_id = bulk_id;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BULK_ID]);
}

/**
 * vd_decision_get_policy_sha256:
 * @self: a decision
 *
 * Returns: (nullable): the SHA-256 of the policy in force (hex), or %NULL when unknown
 */
const char *
vd_decision_get_policy_sha256 (VdDecision *self)
{
  g_return_val_if_fail (VD_IS_DECISION (self), NULL);

  return self->policy_sha256;
}

/**
 * vd_decision_set_policy_sha256:
 * @self: a decision
 * @policy_sha256: (nullable): the SHA-256 of the policy in force (hex); %NULL or "" when unknown
 *
 * Set by a store when it records or lists the decision.
 */
void
vd_decision_set_policy_sha256 (VdDecision *self,
                               const char *policy_sha256)
{
  g_return_if_fail (VD_IS_DECISION (self));

  vd_set_str (&self->policy_sha256, policy_sha256 != NULL && policy_sha256[0] != '\0' ? policy_sha256 : NULL);
}

/**
 * vd_decision_get_model:
 * @self: a decision
 *
 * Returns: (nullable): the model the output came from, or %NULL when unknown
 */
const char *
vd_decision_get_model (VdDecision *self)
{
  g_return_val_if_fail (VD_IS_DECISION (self), NULL);

  return self->model;
}

/**
 * vd_decision_set_model:
 * @self: a decision
 * @model: (nullable): the model the output came from; %NULL or "" when unknown
 *
 * Set by a store when it records or lists the decision.
 */
void
vd_decision_set_model (VdDecision *self,
                       const char *model)
{
  g_return_if_fail (VD_IS_DECISION (self));

  vd_set_str (&self->model, model != NULL && model[0] != '\0' ? model : NULL);
}

/**
 * vd_decision_get_prompt_version:
 * @self: a decision
 *
 * Returns: (nullable): the version of the prompt the output came from, or %NULL when unknown
 */
const char *
vd_decision_get_prompt_version (VdDecision *self)
{
  g_return_val_if_fail (VD_IS_DECISION (self), NULL);

  return self->prompt_version;
}

/**
 * vd_decision_set_prompt_version:
 * @self: a decision
 * @prompt_version: (nullable): the version of the prompt the output came from; %NULL or "" when unknown
 *
 * Set by a store when it records or lists the decision.
 */
void
vd_decision_set_prompt_version (VdDecision *self,
                                const char *prompt_version)
{
  g_return_if_fail (VD_IS_DECISION (self));

  vd_set_str (&self->prompt_version, prompt_version != NULL && prompt_version[0] != '\0' ? prompt_version : NULL);
}

/**
 * vd_decision_get_app_version:
 * @self: a decision
 *
 * Returns: (nullable): the Verdict version that recorded the decision, or %NULL when unknown
 */
const char *
vd_decision_get_app_version (VdDecision *self)
{
  g_return_val_if_fail (VD_IS_DECISION (self), NULL);

  return self->app_version;
}

/**
 * vd_decision_set_app_version:
 * @self: a decision
 * @app_version: (nullable): the Verdict version that recorded the decision; %NULL or "" when unknown
 *
 * Set by a store when it records or lists the decision.
 */
void
vd_decision_set_app_version (VdDecision *self,
                             const char *app_version)
{
  g_return_if_fail (VD_IS_DECISION (self));

  vd_set_str (&self->app_version, app_version != NULL && app_version[0] != '\0' ? app_version : NULL);
}

/**
 * vd_decision_get_audit_key_id:
 * @self: a decision
 *
 * Returns: (nullable): the id of the key that signed the decision's audit
 *   event (16 hex digits), or %NULL when it is unsigned
 */
const char *
vd_decision_get_audit_key_id (VdDecision *self)
{
  g_return_val_if_fail (VD_IS_DECISION (self), NULL);

  return self->audit_key_id;
}

/**
 * vd_decision_get_audit_signature:
 * @self: a decision
 *
 * Returns: (nullable): the signature of the decision's audit event (base64
 *   of 64 bytes), or %NULL when it is unsigned
 */
const char *
vd_decision_get_audit_signature (VdDecision *self)
{
  g_return_val_if_fail (VD_IS_DECISION (self), NULL);

  return self->audit_signature;
}

/**
 * vd_decision_set_audit_signature:
 * @self: a decision
 * @key_id: (nullable): the signing key's id, %NULL when unsigned
 * @signature: (nullable): the signature in base64, %NULL when unsigned
 *
 * Set by a store from the decision's audit event.
 */
void
vd_decision_set_audit_signature (VdDecision *self,
                                 const char *key_id,
                                 const char *signature)
{
  g_return_if_fail (VD_IS_DECISION (self));

  vd_set_str (&self->audit_key_id, key_id != NULL && key_id[0] != '\0' ? key_id : NULL);
  vd_set_str (&self->audit_signature,
              signature != NULL && signature[0] != '\0' ? signature : NULL);
}
