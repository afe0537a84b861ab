/* vd-decision-rules.c: what every store backend checks and writes for a decision
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

#define G_LOG_DOMAIN "vd-decision-rules"

#include "config.h"

#include "vd-audit-event-private.h"
#include "vd-decision-rules.h"
#include "vd-format.h"
#include "vd-text.h"
#include "vd-timestamp.h"

/*
 * A backend is storage: it finds the item, asks these functions whether the
 * decision may be written and what its audit events say, and writes that.
 * The payload builders return the canonical JSON text the trail hashes, so
 * their output must never change for a decision that could be written
 * before (old trails verify against it).
 */

/**
 * vd_review_new:
 * @reviewer_id: who reviewed
 * @kind: what they decided
 * @feedback: (nullable): their feedback
 * @modified_content: (nullable): their content, for a modification
 * @audit_seq: the seq of the review's audit event
 *
 * Returns: (transfer full): a new review; free with vd_review_free()
 */
VdReview *
vd_review_new (const char     *reviewer_id,
               VdDecisionKind  kind,
               const char     *feedback,
               const char     *modified_content,
               gint64          audit_seq)
{
  VdReview *review = g_new0 (VdReview, 1);

  review->reviewer_id = g_strdup (reviewer_id);
  review->kind = kind;
  review->feedback = g_strdup (feedback);
  review->modified_content = g_strdup (modified_content);
  review->audit_seq = audit_seq;

  return review;
}

void
vd_review_free (VdReview *review)
{
  if (review == NULL)
    return;

  g_free (review->reviewer_id);
  g_free (review->feedback);
  g_free (review->modified_content);
  g_free (review);
}

/**
 * vd_decision_rules_check:
 * @item: the item as stored, inside the backend's write transaction
 * @decision: the decision to record
 * @error: return location for a #VD_STORE_ERROR
 *
 * Checks what needs no storage: the item is undecided and at the decided
 * revision, the decision is a reviewer's (not automatic) with a reviewer
 * id, a rejection has feedback, a modification has content, and the item's
 * source accepts the decision back. A backend that can say who decided an
 * item already calls vd_decision_rules_set_already_decided() first.
 *
 * Returns: %TRUE if the decision may be written
 */
gboolean
vd_decision_rules_check (VdItem      *item,
                         VdDecision  *decision,
                         GError     **error)
{
  VdDecisionKind kind;

  g_return_val_if_fail (VD_IS_ITEM (item), FALSE);
  g_return_val_if_fail (VD_IS_DECISION (decision), FALSE);

  kind = vd_decision_get_kind (decision);

  if (!vd_item_is_undecided (item))
    {
      g_set_error (error, VD_STORE_ERROR, VD_STORE_ERROR_ALREADY_DECIDED,
                   "Item %s in queue %s is already %s",
                   vd_item_get_task_id (item), vd_item_get_queue (item),
                   vd_task_status_to_string (vd_item_get_status (item)));
      return FALSE;
    }

  if (vd_decision_get_revision (decision) != vd_item_get_revision (item))
    {
      g_set_error (error, VD_STORE_ERROR, VD_STORE_ERROR_STALE_REVISION,
                   "The decision is for revision %d of item %s in queue %s, but the item is "
                   "now at revision %d: review the current revision",
                   vd_decision_get_revision (decision), vd_item_get_task_id (item),
                   vd_item_get_queue (item), vd_item_get_revision (item));
      return FALSE;
    }

  if (vd_decision_get_automatic (decision))
    {
      g_set_error_literal (error, VD_STORE_ERROR, VD_STORE_ERROR_INVALID,
                           "Automatic decisions are recorded by the import, not by a reviewer");
      return FALSE;
    }

  if (vd_text_is_blank (vd_decision_get_reviewer_id (decision)))
    {
      g_set_error_literal (error, VD_STORE_ERROR, VD_STORE_ERROR_INVALID,
                           "A decision needs a reviewer id");
      return FALSE;
    }

  if (kind == VD_DECISION_KIND_REJECT && vd_text_is_blank (vd_decision_get_feedback (decision)))
    {
      g_set_error_literal (error, VD_STORE_ERROR, VD_STORE_ERROR_INVALID,
                           "A rejection needs feedback: say what is wrong with the output");
      return FALSE;
    }

  if (kind == VD_DECISION_KIND_MODIFY &&
      vd_text_is_blank (vd_decision_get_modified_content (decision)))
    {
      g_set_error_literal (error, VD_STORE_ERROR, VD_STORE_ERROR_INVALID,
                           "A modification needs the modified content");
      return FALSE;
    }

  /* What the item's source accepts back (a LangGraph interrupt's allowed
   * decisions, ...): refused before anything is written. */
  return vd_format_check_decision (item, decision, error);
}

/**
 * vd_decision_rules_set_already_decided:
 * @item: a decided item
 * @reviewer_id: (nullable): who decided it last, as the backend found, or
 *   %NULL when no decision stands (the import decided it)
 * @when: (nullable): when, with @reviewer_id
 * @error: return location for the #VD_STORE_ERROR_ALREADY_DECIDED error
 *
 * Sets the refusal of a decision on an item that is no longer undecided.
 */
void
vd_decision_rules_set_already_decided (VdItem      *item,
                                       const char  *reviewer_id,
                                       GDateTime   *when,
                                       GError     **error)
{
  const char *status;

  g_return_if_fail (VD_IS_ITEM (item));

  status = vd_task_status_to_string (vd_item_get_status (item));

  if (reviewer_id != NULL && when != NULL)
    {
      g_autofree char *when_text = vd_timestamp_format (when);

      g_set_error (error, VD_STORE_ERROR, VD_STORE_ERROR_ALREADY_DECIDED,
                   "Item %s in queue %s is already %s: decided by %s at %s",
                   vd_item_get_task_id (item), vd_item_get_queue (item), status,
                   reviewer_id, when_text);
    }
  else
    {
      g_set_error (error, VD_STORE_ERROR, VD_STORE_ERROR_ALREADY_DECIDED,
                   "Item %s in queue %s is already %s: it was imported so",
                   vd_item_get_task_id (item), vd_item_get_queue (item), status);
    }
}

/**
 * vd_decision_rules_check_fallback:
 * @item: the item
 * @fallback: (nullable): the wire name of the deadline fallback applied to
 *   the item's current revision, or %NULL when none was
 * @deadline: (nullable): the deadline that passed, with @fallback
 * @applied_at: (nullable): when the fallback was applied, with @fallback
 * @error: return location for a #VD_STORE_ERROR_ALREADY_DECIDED error
 *
 * A fallback that decided the item (auto_reject, auto_approve) shuts
 * reviewers out of that revision; an escalation leaves it to them.
 *
 * Returns: %TRUE if no fallback decided the item
 */
gboolean
vd_decision_rules_check_fallback (VdItem      *item,
                                  const char  *fallback,
                                  GDateTime   *deadline,
                                  GDateTime   *applied_at,
                                  GError     **error)
{
  g_autofree char *applied_text = NULL;
  g_autofree char *deadline_text = NULL;
  VdSlaFallback value;

  g_return_val_if_fail (VD_IS_ITEM (item), FALSE);

  if (fallback == NULL || !vd_sla_fallback_from_string (fallback, &value) ||
      value == VD_SLA_FALLBACK_ESCALATE)
    return TRUE;

  g_return_val_if_fail (deadline != NULL && applied_at != NULL, FALSE);

  deadline_text = vd_timestamp_format (deadline);
  applied_text = vd_timestamp_format (applied_at);

  if (value == VD_SLA_FALLBACK_AUTO_REJECT)
    g_set_error (error, VD_STORE_ERROR, VD_STORE_ERROR_ALREADY_DECIDED,
                 "Item %s in queue %s: the deadline fallback “%s” was applied at %s (the "
                 "deadline was %s): the item was rejected with the feedback “%s” and awaits "
                 "the agent's revision, so a reviewer's decision on revision %d is refused",
                 vd_item_get_task_id (item), vd_item_get_queue (item),
                 vd_sla_fallback_to_string (value), applied_text, deadline_text,
                 VD_SLA_REJECT_FEEDBACK, vd_item_get_revision (item));
  else
    g_set_error (error, VD_STORE_ERROR, VD_STORE_ERROR_ALREADY_DECIDED,
                 "Item %s in queue %s: the deadline fallback “%s” was applied at %s (the "
                 "deadline was %s): the item was approved without a reviewer, so a "
                 "reviewer's decision on revision %d is refused",
                 vd_item_get_task_id (item), vd_item_get_queue (item),
                 vd_sla_fallback_to_string (value), applied_text, deadline_text,
                 vd_item_get_revision (item));

  return FALSE;
}

/* Four-eyes review */

/**
 * vd_decision_rules_check_review:
 * @item: an item that needs two reviews
 * @decision: the decision to record
 * @first: (nullable): the review that stands, as the backend found it
 * @error: return location for a #VD_STORE_ERROR_INVALID error
 *
 * The second review must come from another reviewer.
 *
 * Returns: %TRUE if @decision may be recorded as a review
 */
gboolean
vd_decision_rules_check_review (VdItem          *item,
                                VdDecision      *decision,
                                const VdReview  *first,
                                GError         **error)
{
  g_return_val_if_fail (VD_IS_ITEM (item), FALSE);
  g_return_val_if_fail (VD_IS_DECISION (decision), FALSE);

  if (first != NULL &&
      g_strcmp0 (first->reviewer_id, vd_decision_get_reviewer_id (decision)) == 0)
    {
      g_set_error (error, VD_STORE_ERROR, VD_STORE_ERROR_INVALID,
                   "%s has already reviewed item %s in queue %s (%s); the policy requires "
                   "two reviews: a second reviewer must decide",
                   first->reviewer_id, vd_item_get_task_id (item), vd_item_get_queue (item),
                   vd_decision_kind_to_string (first->kind));
      return FALSE;
    }

  return TRUE;
}

/**
 * vd_decision_rules_reviews_agree:
 * @first: the first review
 * @second: the second reviewer's decision
 *
 * Two reviews agree when they decide the same kind, and for a modification
 * the same content. Feedback may differ.
 *
 * Returns: %TRUE if they agree
 */
gboolean
vd_decision_rules_reviews_agree (const VdReview *first,
                                 VdDecision     *second)
{
  g_return_val_if_fail (first != NULL, FALSE);
  g_return_val_if_fail (VD_IS_DECISION (second), FALSE);

  if (first->kind != vd_decision_get_kind (second))
    return FALSE;

  if (first->kind == VD_DECISION_KIND_MODIFY)
    return g_strcmp0 (first->modified_content,
                      vd_decision_get_modified_content (second)) == 0;

  return TRUE;
}

/* Audit payloads */

/**
 * vd_decision_rules_add_reviewed:
 * @payload: a payload being built (vd-audit-event-private.h)
 * @item: the item decided
 *
 * Adds what the reviewer was shown: `output_sha256` and `attachments`
 * [{name, sha256}].
 */
void
vd_decision_rules_add_reviewed (GString *payload,
                                VdItem  *item)
{
  GPtrArray *attachments = vd_item_get_attachments (item);
  g_autofree char *output_sha256 = vd_sha256_hex (vd_item_get_content (item), -1);
  g_autoptr(GString) array = g_string_new ("[");

  for (guint i = 0; i < attachments->len; i++)
    {
      VdAttachment *attachment = g_ptr_array_index (attachments, i);
      GString *entry = _vd_json_object_begin ();
      g_autofree char *text = NULL;

      _vd_json_object_add_string (entry, "name", vd_attachment_get_name (attachment));
      if (vd_attachment_get_sha256 (attachment) != NULL)
        _vd_json_object_add_string (entry, "sha256", vd_attachment_get_sha256 (attachment));
      else
        _vd_json_object_add_raw (entry, "sha256", "null");
      text = _vd_json_object_end (entry);

      if (i > 0)
        g_string_append_c (array, ',');
      g_string_append (array, text);
    }
  g_string_append_c (array, ']');

  _vd_json_object_add_string (payload, "output_sha256", output_sha256);
  _vd_json_object_add_raw (payload, "attachments", array->str);
}

/**
 * vd_decision_rules_add_stamps:
 * @payload: a payload being built (vd-audit-event-private.h)
 * @decision: a stamped decision
 *
 * Adds the decision's known stamps (policy SHA-256, model, prompt version,
 * app version).
 */
void
vd_decision_rules_add_stamps (GString    *payload,
                              VdDecision *decision)
{
  static const struct {
    const char *name;
    const char * (*get) (VdDecision *decision);
  } stamps[] = {
    { "policy_sha256", vd_decision_get_policy_sha256 },
    { "model", vd_decision_get_model },
    { "prompt_version", vd_decision_get_prompt_version },
    { "app_version", vd_decision_get_app_version },
  };

  for (guint i = 0; i < G_N_ELEMENTS (stamps); i++)
    {
      const char *value = stamps[i].get (decision);

      if (value != NULL)
        _vd_json_object_add_string (payload, stamps[i].name, value);
    }
}

static char *
review_entry (const char     *reviewer_id,
              VdDecisionKind  kind,
              const char     *feedback,
              const char     *modified_content,
              gint64          audit_seq)
{
  GString *entry = _vd_json_object_begin ();

  _vd_json_object_add_string (entry, "reviewer", reviewer_id);
  _vd_json_object_add_string (entry, "decision", vd_decision_kind_to_string (kind));
  _vd_json_object_add_string (entry, "feedback", feedback != NULL ? feedback : "");
  _vd_json_object_add_string (entry, "modified_content",
                              modified_content != NULL ? modified_content : "");
  if (audit_seq > 0)
    _vd_json_object_add_int (entry, "seq", audit_seq);

  return _vd_json_object_end (entry);
}

/* "reviews": [first, second]; the second's seq is its own event's. */
static void
add_reviews (GString        *payload,
             const VdReview *first,
             VdDecision     *second)
{
  g_autofree char *first_text = NULL;
  g_autofree char *second_text = NULL;
  g_autofree char *array = NULL;

  first_text = review_entry (first->reviewer_id, first->kind, first->feedback,
                             first->modified_content, first->audit_seq);
  second_text = review_entry (vd_decision_get_reviewer_id (second),
                              vd_decision_get_kind (second),
                              vd_decision_get_feedback (second),
                              vd_decision_get_modified_content (second), 0);
  array = g_strdup_printf ("[%s,%s]", first_text, second_text);
  _vd_json_object_add_raw (payload, "reviews", array);
}

static GString *
decision_payload_begin (VdItem     *item,
                        VdDecision *decision)
{
  g_autofree char *final_output = NULL;
  g_autofree char *content_sha256 = NULL;
  VdDecisionKind kind = vd_decision_get_kind (decision);
  GString *payload;

  final_output = vd_decision_compute_final_output (decision, vd_item_get_content (item));
  content_sha256 = vd_sha256_hex (vd_item_get_content (item), -1);

  payload = _vd_json_object_begin ();
  _vd_json_object_add_string (payload, "decision", vd_decision_kind_to_string (kind));
  _vd_json_object_add_int (payload, "revision", vd_item_get_revision (item));
  _vd_json_object_add_string (payload, "feedback", vd_decision_get_feedback (decision));
  _vd_json_object_add_string (payload, "modified_content",
                              vd_decision_get_modified_content (decision));
  _vd_json_object_add_int (payload, "duration_ms", vd_decision_get_duration_ms (decision));
  _vd_json_object_add_string (payload, "content_sha256", content_sha256);
  _vd_json_object_add_string (payload, "final_output", final_output != NULL ? final_output : "");
  vd_decision_rules_add_reviewed (payload, item);
  /* Only on a decision about an escalated item: what a roster's check of
   * an export needs to know that the role "senior" was required. */
  if (vd_item_get_status (item) == VD_TASK_STATUS_ESCALATED)
    _vd_json_object_add_raw (payload, "escalated", "true");
  /* The feedback loop's judgement, only when the reviewer gave one: the
   * payload of a decision without it stays as it always was. */
  if (vd_decision_get_helpful (decision) != VD_HELPFUL_UNSET)
    _vd_json_object_add_string (payload, "helpful",
                                vd_decision_get_helpful (decision) == VD_HELPFUL_YES
                                ? "yes" : "no");
  if (vd_decision_get_category (decision) != NULL)
    _vd_json_object_add_string (payload, "category", vd_decision_get_category (decision));

  return payload;
}

/**
 * vd_decision_rules_decision_payload:
 * @item: the item as stored before the decision
 * @decision: the stamped decision
 * @first: (nullable): on an item that needs two reviews, the first review,
 *   which the decision agrees with
 *
 * Returns: (transfer full): the payload of the `decision` event
 */
char *
vd_decision_rules_decision_payload (VdItem         *item,
                                    VdDecision     *decision,
                                    const VdReview *first)
{
  GString *payload;

  g_return_val_if_fail (VD_IS_ITEM (item), NULL);
  g_return_val_if_fail (VD_IS_DECISION (decision), NULL);

  payload = decision_payload_begin (item, decision);
  /* Only with four-eyes review: a payload without it is as it always was. */
  if (first != NULL)
    add_reviews (payload, first, decision);
  vd_decision_rules_add_stamps (payload, decision);

  return _vd_json_object_end (payload);
}

/**
 * vd_decision_rules_review_payload:
 * @item: the item as stored before the review
 * @decision: the stamped first review
 *
 * Returns: (transfer full): the payload of the `review` event: the fields
 *   of a decision's, with `review` 1 of `reviews_required`
 */
char *
vd_decision_rules_review_payload (VdItem     *item,
                                  VdDecision *decision)
{
  GString *payload;

  g_return_val_if_fail (VD_IS_ITEM (item), NULL);
  g_return_val_if_fail (VD_IS_DECISION (decision), NULL);

  payload = decision_payload_begin (item, decision);
  _vd_json_object_add_int (payload, "review", 1);
  _vd_json_object_add_int (payload, "reviews_required", vd_item_get_reviews_required (item));
  vd_decision_rules_add_stamps (payload, decision);

  return _vd_json_object_end (payload);
}

/**
 * vd_decision_rules_disagreement_payload:
 * @item: the item as stored before the second review
 * @decision: the stamped second review
 * @first: the first review, which @decision disagrees with
 *
 * Returns: (transfer full): the payload of the `escalated` event: the
 *   second review's fields, the new status and reason, and both reviews
 */
char *
vd_decision_rules_disagreement_payload (VdItem         *item,
                                        VdDecision     *decision,
                                        const VdReview *first)
{
  GString *payload;

  g_return_val_if_fail (VD_IS_ITEM (item), NULL);
  g_return_val_if_fail (VD_IS_DECISION (decision), NULL);
  g_return_val_if_fail (first != NULL, NULL);

  payload = decision_payload_begin (item, decision);
  _vd_json_object_add_string (payload, "status",
                              vd_task_status_to_string (VD_TASK_STATUS_ESCALATED));
  _vd_json_object_add_string (payload, "reason",
                              vd_escalation_reason_to_string (
                                VD_ESCALATION_REASON_REVIEWERS_DISAGREE));
  add_reviews (payload, first, decision);
  vd_decision_rules_add_stamps (payload, decision);

  return _vd_json_object_end (payload);
}

/**
 * vd_decision_rules_retraction_payload:
 * @decision_seq: the audit seq of the decision (or review) taken back
 * @kind: its kind's wire name
 * @revision: the revision it decided
 * @reason: (nullable): why
 *
 * Returns: (transfer full): the payload of the `retraction` event
 */
char *
vd_decision_rules_retraction_payload (gint64      decision_seq,
                                      const char *kind,
                                      int         revision,
                                      const char *reason)
{
  GString *payload = _vd_json_object_begin ();

  _vd_json_object_add_int (payload, "decision_seq", decision_seq);
  _vd_json_object_add_string (payload, "decision", kind);
  _vd_json_object_add_int (payload, "revision", revision);
  _vd_json_object_add_string (payload, "reason", reason != NULL ? reason : "");

  return _vd_json_object_end (payload);
}

/* Deadline fallbacks */

/**
 * vd_decision_rules_fallback_status:
 * @fallback: a fallback
 *
 * Returns: the wire name of the status a fallback leaves an item in
 */
const char *
vd_decision_rules_fallback_status (VdSlaFallback fallback)
{
  switch (fallback)
    {
    case VD_SLA_FALLBACK_AUTO_REJECT:
      return vd_task_status_to_string (VD_TASK_STATUS_REJECTED);
    case VD_SLA_FALLBACK_AUTO_APPROVE:
      return vd_task_status_to_string (VD_TASK_STATUS_APPROVED);
    case VD_SLA_FALLBACK_ESCALATE:
    default:
      return vd_task_status_to_string (VD_TASK_STATUS_ESCALATED);
    }
}

/**
 * vd_decision_rules_fallback_resolve:
 * @item: an item whose deadline passed
 * @outcome: the fallback the policy chose; changed to an escalation when
 *   the item's source does not accept its decision back
 *
 * A fallback decision the item's source does not accept back (a LangGraph
 * interrupt that allows no approval, ...) escalates instead.
 *
 * Returns: (transfer full) (nullable): the note saying why, for the trail,
 *   or %NULL when the outcome stands
 */
char *
vd_decision_rules_fallback_resolve (VdItem       *item,
                                    VdSlaOutcome *outcome)
{
  g_autoptr(VdDecision) fallback = NULL;
  g_autoptr(GError) refusal = NULL;
  char *note;

  g_return_val_if_fail (VD_IS_ITEM (item), NULL);
  g_return_val_if_fail (outcome != NULL, NULL);

  if (outcome->rule.fallback == VD_SLA_FALLBACK_ESCALATE)
    return NULL;

  fallback = vd_decision_new (vd_item_get_queue (item), vd_item_get_task_id (item),
                              outcome->rule.fallback == VD_SLA_FALLBACK_AUTO_APPROVE ?
                              VD_DECISION_KIND_APPROVE : VD_DECISION_KIND_REJECT,
                              VD_AUDIT_ACTOR_SLA);
  if (vd_format_check_decision (item, fallback, &refusal))
    return NULL;

  note = g_strdup_printf ("%s fell back to escalate: %s",
                          vd_sla_fallback_to_string (outcome->rule.fallback),
                          refusal->message);
  outcome->rule.fallback = VD_SLA_FALLBACK_ESCALATE;

  return note;
}

/* Why an auto-approve was escalated instead, for the audit trail. */
static char *
unsafe_note (VdItem *item)
{
  VdEscalationReason reason = vd_item_get_escalation_reason (item);

  if (reason == VD_ESCALATION_REASON_HIGH_RISK_ACTION ||
      reason == VD_ESCALATION_REASON_SENSITIVE_CONTENT)
    return g_strdup_printf ("auto_approve does not apply to an item whose reason is %s unless "
                            "its task type names auto_approve itself",
                            vd_escalation_reason_to_string (reason));

  return g_strdup_printf ("auto_approve does not apply to task type “%s”, which "
                          "always_review_types names, unless the task type names "
                          "auto_approve itself",
                          vd_item_get_task_type (item));
}

/**
 * vd_decision_rules_fallback_payload:
 * @item: the item whose deadline passed
 * @outcome: the fallback, after vd_decision_rules_fallback_resolve()
 * @now_text: when it is applied (RFC 3339)
 * @source_note: (nullable): what vd_decision_rules_fallback_resolve() said
 *
 * Returns: (transfer full): the payload of the `sla_fallback` event
 */
char *
vd_decision_rules_fallback_payload (VdItem       *item,
                                    VdSlaOutcome *outcome,
                                    const char   *now_text,
                                    const char   *source_note)
{
  g_autofree char *deadline = vd_timestamp_format (vd_item_get_due_at (item));
  g_autofree char *content_sha256 = vd_sha256_hex (vd_item_get_content (item), -1);
  VdFallbackRule *rule = &outcome->rule;
  GString *payload = _vd_json_object_begin ();

  _vd_json_object_add_string (payload, "fallback", vd_sla_fallback_to_string (rule->fallback));
  _vd_json_object_add_string (payload, "configured",
                              vd_sla_fallback_to_string (rule->configured));
  _vd_json_object_add_string (payload, "rule", rule->rule);
  _vd_json_object_add_string (payload, "deadline", deadline);
  _vd_json_object_add_string (payload, "applied_at", now_text);
  _vd_json_object_add_int (payload, "revision", vd_item_get_revision (item));
  _vd_json_object_add_string (payload, "status",
                              vd_decision_rules_fallback_status (rule->fallback));
  _vd_json_object_add_string (payload, "content_sha256", content_sha256);

  if (rule->unsafe)
    {
      g_autofree char *note = unsafe_note (item);

      _vd_json_object_add_string (payload, "note", note);
    }
  else if (source_note != NULL)
    _vd_json_object_add_string (payload, "note", source_note);

  switch (rule->fallback)
    {
    case VD_SLA_FALLBACK_ESCALATE:
      if (outcome->new_due_at != NULL)
        {
          g_autofree char *new_due_at = vd_timestamp_format (outcome->new_due_at);

          _vd_json_object_add_string (payload, "new_due_at", new_due_at);
        }
      break;

    case VD_SLA_FALLBACK_AUTO_REJECT:
      _vd_json_object_add_string (payload, "feedback", VD_SLA_REJECT_FEEDBACK);
      break;

    case VD_SLA_FALLBACK_AUTO_APPROVE:
      _vd_json_object_add_string (payload, "final_output", vd_item_get_content (item));
      break;

    default:
      g_assert_not_reached ();
    }

  return _vd_json_object_end (payload);
}

/**
 * vd_decision_rules_item_payload:
 * @item: the item as imported
 * @content_sha256: the SHA-256 of its output, in hex
 * @with_reason: whether the payload names the escalation reason (enqueue
 *   and revision events do, an automatic approval does not)
 * @previous_revision: the revision a re-import replaced, or -1
 *
 * The payload of an item's import events: `enqueue`, `auto_approve` and
 * `revision`.
 *
 * Returns: (transfer full): canonical JSON text
 */
char *
vd_decision_rules_item_payload (VdItem     *item,
                                const char *content_sha256,
                                gboolean    with_reason,
                                int         previous_revision)
{
  const char *detail = vd_item_get_escalation_detail (item);
  const char *reason = vd_escalation_reason_to_string (vd_item_get_escalation_reason (item));
  GString *payload = _vd_json_object_begin ();

  _vd_json_object_add_int (payload, "revision", vd_item_get_revision (item));
  if (previous_revision >= 0)
    _vd_json_object_add_int (payload, "previous_revision", previous_revision);
  _vd_json_object_add_double (payload, "confidence", vd_item_get_confidence (item));
  if (with_reason)
    _vd_json_object_add_string (payload, "reason", reason);
  _vd_json_object_add_string (payload, "detail", detail);
  _vd_json_object_add_string (payload, "content_sha256", content_sha256);

  return _vd_json_object_end (payload);
}

/**
 * vd_decision_rules_authorize:
 * @signer: the store's signer (its roster, the unlocked keys)
 * @queue_policy: (nullable): the policy remembered for the item's queue
 * @reviewer_id: who decides
 * @escalated: whether the item is escalated
 * @queue: the item's queue
 * @task_id: the item's task id, or what the message names in its place
 * @error: return location for a #GError
 *
 * The roster gate: the queue's roster when its remembered policy has one,
 * else the signer's. The queue's roster is asked through a signer of its
 * own holding the reviewer's unlocked key, so that the store's signer (and
 * whatever roster the window gave it) is left as it is.
 *
 * Returns: %TRUE if @reviewer_id may decide
 */
gboolean
vd_decision_rules_authorize (VdSigner    *signer,
                             VdPolicy    *queue_policy,
                             const char  *reviewer_id,
                             gboolean     escalated,
                             const char  *queue,
                             const char  *task_id,
                             GError     **error)
{
  g_autoptr(VdSigner) scratch = NULL;
  g_autoptr(VdKey) unlocked = NULL;
  VdRoster *roster;

  roster = queue_policy != NULL ? vd_policy_get_roster (queue_policy) : NULL;
  if (roster == NULL)
    return vd_signer_authorize (signer, reviewer_id, escalated, queue, task_id, error);

  scratch = vd_signer_new (vd_signer_get_installation_key (signer));
  vd_signer_set_roster (scratch, roster);
  unlocked = vd_signer_dup_unlocked (signer, reviewer_id);
  if (unlocked != NULL)
    vd_signer_add_key (scratch, unlocked);

  return vd_signer_authorize (scratch, reviewer_id, escalated, queue, task_id, error);
}

static const char *
metadata_string (VdItem     *item,
                 const char *name)
{
  JsonObject *metadata = vd_item_get_metadata (item);
  JsonNode *node;

  if (metadata == NULL || (node = json_object_get_member (metadata, name)) == NULL ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

/**
 * vd_decision_rules_stamp:
 * @decision: a decision about to be recorded
 * @item: its item
 * @queue_policy: (nullable): the policy remembered for the item's queue
 * @signer: the store's signer, whose policy counts when the queue has none
 *
 * Stamps @decision with the SHA-256 of the policy in force, the app version,
 * and the model and prompt version the item's metadata gives.
 */
void
vd_decision_rules_stamp (VdDecision *decision,
                         VdItem     *item,
                         VdPolicy   *queue_policy,
                         VdSigner   *signer)
{
  g_autofree char *signer_sha256 = NULL;

  if (queue_policy != NULL)
    vd_decision_set_policy_sha256 (decision, vd_policy_get_sha256 (queue_policy));
  else
    {
      signer_sha256 = vd_signer_dup_policy_sha256 (signer);
      vd_decision_set_policy_sha256 (decision, signer_sha256);
    }

  vd_decision_set_app_version (decision, PACKAGE_VERSION);
  vd_decision_set_model (decision, metadata_string (item, "model"));
  vd_decision_set_prompt_version (decision, metadata_string (item, "prompt_version"));
}

void
vd_decision_outcome_clear (VdDecisionOutcome *outcome)
{
  g_clear_pointer (&outcome->payload, g_free);
}

/**
 * vd_decision_rules_needs_two_reviews:
 * @item: an item
 *
 * A decision on an item that needs two reviewers is a review, unless the
 * reviewers disagreed already: then the item is escalated, and whoever the
 * roster lets decide it decides alone.
 *
 * Returns: whether a decision on @item is a review
 */
gboolean
vd_decision_rules_needs_two_reviews (VdItem *item)
{
  return vd_item_get_reviews_required (item) > 1 &&
         vd_item_get_escalation_reason (item) != VD_ESCALATION_REASON_REVIEWERS_DISAGREE;
}

/**
 * vd_decision_rules_outcome:
 * @item: the item decided
 * @decision: the decision
 * @first: (nullable): the standing first review of an item that needs two
 *   (the backend reads it when vd_decision_rules_needs_two_reviews() says so)
 * @outcome: (out caller-allocates): what the decision writes
 * @error: return location for a #GError
 *
 * A decision, a first review, a second review that agrees (the decision),
 * or one that disagrees (the item escalated).
 *
 * Returns: %FALSE with @error set when the review is refused
 */
gboolean
vd_decision_rules_outcome (VdItem            *item,
                           VdDecision        *decision,
                           const VdReview    *first,
                           VdDecisionOutcome *outcome,
                           GError           **error)
{
  VdDecisionKind kind = vd_decision_get_kind (decision);

  outcome->event_type = VD_AUDIT_DECISION;
  outcome->final = TRUE;
  outcome->status = vd_decision_kind_to_status (kind);
  outcome->reason = VD_ESCALATION_REASON_NONE;

  if (!vd_decision_rules_needs_two_reviews (item))
    {
      outcome->payload = vd_decision_rules_decision_payload (item, decision, NULL);
      return TRUE;
    }

  if (!vd_decision_rules_check_review (item, decision, first, error))
    return FALSE;

  if (first == NULL)
    {
      outcome->event_type = VD_AUDIT_REVIEW;
      outcome->final = FALSE;
      outcome->status = vd_item_get_status (item);
      outcome->payload = vd_decision_rules_review_payload (item, decision);
    }
  else if (vd_decision_rules_reviews_agree (first, decision))
    {
      outcome->payload = vd_decision_rules_decision_payload (item, decision, first);
    }
  else
    {
      outcome->event_type = VD_AUDIT_ESCALATED;
      outcome->final = FALSE;
      outcome->status = VD_TASK_STATUS_ESCALATED;
      outcome->reason = VD_ESCALATION_REASON_REVIEWERS_DISAGREE;
      outcome->payload = vd_decision_rules_disagreement_payload (item, decision, first);
    }

  return TRUE;
}
