/* vd-policy.h
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

#pragma once

#include <json-glib/json-glib.h>

#include "vd-roster.h"
#include "vd-types.h"

G_BEGIN_DECLS

#define VD_POLICY_ERROR (vd_policy_error_quark ())

typedef enum
{
  VD_POLICY_ERROR_INVALID,     /* the policy file is not valid JSON or has a bad field */
} VdPolicyError;

GQuark vd_policy_error_quark (void);

/* The largest policy file read, in bytes: real policies are a few
 * kilobytes, and the limit keeps a wrong file from being read whole. */
#define VD_POLICY_MAX_BYTES (4 * 1024 * 1024)

/**
 * VdPolicyCheck:
 *
 * Which check of the escalation policy fired. They run in the order
 * confidence, sensitive keyword, mixed script (a word of the content that
 * mixes Latin, Cyrillic or Greek letters, which hides a keyword from the
 * search; sensitive_content), high-risk action, always-reviewed type, rule,
 * and last review-all (a policy that approves nothing automatically).
 */
typedef enum
{
  VD_POLICY_CHECK_NONE,
  VD_POLICY_CHECK_CONFIDENCE,
  VD_POLICY_CHECK_SENSITIVE_KEYWORD,
  VD_POLICY_CHECK_HIGH_RISK_ACTION,
  VD_POLICY_CHECK_ALWAYS_REVIEW_TYPE,
  VD_POLICY_CHECK_RULE,
  VD_POLICY_CHECK_MIXED_SCRIPT,
  VD_POLICY_CHECK_REVIEW_ALL,
} VdPolicyCheck;

/**
 * VdPolicyResult:
 * @escalate: whether a human must see the item
 * @reason: the escalation reason, %VD_ESCALATION_REASON_NONE if not
 * @check: which check fired
 * @explanation: a sentence for display, e.g.
 *   "confidence 0.62 is below the threshold 0.70 for payments"
 * @threshold: the confidence threshold that applied to the item
 * @matched: (nullable): the keyword, action, task type or rule name that matched
 */
typedef struct
{
  gboolean            escalate;
  VdEscalationReason  reason;
  VdPolicyCheck       check;
  char               *explanation;
  double              threshold;
  char               *matched;
} VdPolicyResult;

/**
 * VdSlaFallback:
 * @VD_SLA_FALLBACK_ESCALATE: move the item to the escalated list (the
 *   default)
 * @VD_SLA_FALLBACK_AUTO_REJECT: reject it with the feedback "deadline
 *   passed", which sends it back to the agent for revision
 * @VD_SLA_FALLBACK_AUTO_APPROVE: approve it as it is
 *
 * What happens to an undecided item when its deadline passes. The wire
 * format is the lower-case name without the prefix (`auto_approve`); see
 * vd_sla_fallback_to_string().
 */
typedef enum
{
  VD_SLA_FALLBACK_ESCALATE,
  VD_SLA_FALLBACK_AUTO_REJECT,
  VD_SLA_FALLBACK_AUTO_APPROVE,
} VdSlaFallback;

/**
 * VdQueueFullAction:
 * @VD_QUEUE_FULL_PAUSE_AGENT: the agent loop takes no new inputs for the
 *   queue until it drains below its limit (the default)
 * @VD_QUEUE_FULL_REFUSE: new inputs for the queue are refused with an error
 *
 * What the agent loop does when a queue holds `max_pending` undecided items.
 * Wire format `pause_agent`, `refuse`.
 */
typedef enum
{
  VD_QUEUE_FULL_PAUSE_AGENT,
  VD_QUEUE_FULL_REFUSE,
} VdQueueFullAction;

/**
 * VdFallbackRule:
 * @fallback: the fallback that applies to the item
 * @configured: the fallback the policy names for the item's task type (its
 *   own, else the global one, else `escalate`); it differs from @fallback
 *   only when an auto-approve was not safe for the item
 * @rule: the policy field that named @configured, e.g.
 *   `task_types.payment.fallback`, `fallback`, or `default` when the policy
 *   names none
 * @unsafe: %TRUE when @configured is auto-approve but the item may not be
 *   approved without a human (see vd_policy_resolve_fallback()), so
 *   @fallback is escalate
 *
 * Which deadline fallback applies to one item, and why. The strings are
 * static or owned by the policy: valid while the policy lives.
 */
typedef struct
{
  VdSlaFallback  fallback;
  VdSlaFallback  configured;
  const char    *rule;
  gboolean       unsafe;
} VdFallbackRule;

/**
 * VdPolicyMissingField:
 * @rule: the rule's position in `rules`, from 0
 * @name: the rule's name
 * @path: the metadata path the rule reads
 * @missing: how many of the items checked lack the field
 * @total: how many items were checked
 * @message: a sentence for display, e.g. "rule 1 “large payment” (amount >
 *   10000): field amount is missing from 12 of 55 items; ..."
 *
 * A rule that lets items without its field pass (it does not say
 * `"when_missing": "escalate"`), and how many items of a batch do.
 */
typedef struct
{
  guint  rule;
  char  *name;
  char  *path;
  guint  missing;
  guint  total;
  char  *message;
} VdPolicyMissingField;

void vd_policy_missing_field_free (VdPolicyMissingField *missing);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VdPolicyMissingField, vd_policy_missing_field_free)

#define VD_TYPE_POLICY_RESULT (vd_policy_result_get_type ())
GType           vd_policy_result_get_type (void) G_GNUC_CONST;
VdPolicyResult *vd_policy_result_copy     (const VdPolicyResult *result);
void            vd_policy_result_free     (VdPolicyResult       *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VdPolicyResult, vd_policy_result_free)

#define VD_TYPE_POLICY (vd_policy_get_type ())

G_DECLARE_FINAL_TYPE (VdPolicy, vd_policy, VD, POLICY, GObject)

/*
 * The escalation policy. JSON form ("verdict_policy" is optional, 1 when
 * given):
 *
 * {
 *   "verdict_policy": 1,
 *   "confidence_threshold": 0.7,
 *   "sensitive_keywords": ["delete", "personal"],
 *   "high_risk_actions": ["deploy", "execute"],
 *   "always_review_types": ["medical"],
 *   "task_types": { "payments": { "confidence_threshold": 0.85,
 *                                 "sla_minutes": 60, "fallback": "auto_reject" } },
 *   "rules": [
 *     { "name": "large payment", "path": "amount", "op": ">", "value": 10000,
 *       "reason": "high_risk_action" }
 *   ],
 *   "sla_minutes": 240,
 *   "fallback": "escalate",
 *   "escalated": { "sla_minutes": 120 },
 *   "claim_minutes": 10,
 *   "queues": { "payments": { "max_pending": 500, "on_full": "pause_agent" } },
 *   "feedback_categories": ["accuracy", "tone", "completeness"],
 *   "reviewers": [ { "id": "alice", "public_key": "RW...", "roles": ["reviewer"] },
 *                  { "id": "bob", "public_key": "RW...", "roles": ["reviewer", "senior"] } ],
 *   "trusted_sources": [ "RW...", { "name": "triage-agent", "public_key": "RW..." } ],
 *   "require_signed_queues": true
 * }
 *
 * Checks run in this order and the first match wins: confidence below the
 * threshold (per task type if given, else global); a sensitive keyword in the
 * output content (substring of the content with invisible characters taken
 * out, NFKC and case folded); a word of the content that mixes Latin,
 * Cyrillic or Greek letters (when the policy has keywords or actions: it
 * hides them from the search; sensitive_content); a high-risk action in
 * the content (same test as keywords); task type in always_review_types; a
 * rule on the metadata (path with dots for nested objects; ops > >= < <= ==
 * != contains; value a number or a string; reason defaults to
 * policy_required; "when_missing": "ignore" (default) or "escalate").
 *
 * Rules fail closed: a value a rule cannot compare (a string where it
 * compares numbers, unless the string is a plain decimal number such as
 * "12400", which is read as that number; a boolean, null, object or array;
 * a path through something that is not an object) escalates with the
 * rule's reason, never passes.
 *
 * Unknown top-level keys are rejected so that a typo never silently weakens
 * a policy.
 *
 * Deadlines: `sla_minutes` (global, or per task type) gives an item that
 * arrives without a `due_at` the deadline arrival + SLA; `fallback` (global
 * or per type: `escalate`, the default, `auto_reject` or `auto_approve`)
 * says what happens when an undecided item passes it; `escalated` gives
 * items escalated by the fallback a new deadline. `claim_minutes` (1 to
 * 1440, default 10) is the lease of a reviewer's claim on an item while it
 * is open (vd_store_claim_item()). An auto-approve never
 * applies to an item whose reason is high_risk_action or sensitive_content,
 * or whose task type is in always_review_types, unless that task type names
 * `auto_approve` itself: an unsafe fallback is a deliberate per-type choice.
 * The loader refuses a per-type auto-approve for a type in
 * always_review_types (a contradiction). `queues` sets per queue limits for
 * the agent loop (see vd-backpressure.h). `feedback_categories` is the
 * short list of feedback categories a reviewer picks from (free text stays
 * possible); each at most %VD_POLICY_CATEGORY_MAX_CHARS characters, none
 * twice.
 *
 * Signing: `reviewers` is the roster of who may decide (vd-roster.h;
 * without it anyone may); `trusted_sources` lists the minisign public keys
 * whose signatures on a queue file (FILE.minisig) are accepted, each alone
 * or with a name; `require_signed_queues` refuses queue files without such
 * a signature, and needs at least one trusted source. vd_policy_get_sha256()
 * is the fingerprint decisions are stamped with.
 */

/* The lease of a claim on an item without `claim_minutes`, and the
 * longest one a policy may give. */
#define VD_POLICY_DEFAULT_CLAIM_MINUTES 10
#define VD_POLICY_MAX_CLAIM_MINUTES     1440

/* The longest feedback category a policy may name, in characters. */
#define VD_POLICY_CATEGORY_MAX_CHARS 40

VdPolicy       *vd_policy_new                  (void);
VdPolicy       *vd_policy_new_review_all       (void);
VdPolicy       *vd_policy_new_from_file        (const char     *path,
                                                GError        **error);
VdPolicy       *vd_policy_new_from_data        (const char     *data,
                                                gssize          length,
                                                const char     *source_name,
                                                GError        **error);
VdPolicy       *vd_policy_new_from_json        (JsonNode       *node,
                                                const char     *source_name,
                                                GError        **error);

const char     *vd_policy_get_source               (VdPolicy   *self);
void            vd_policy_set_source               (VdPolicy   *self,
                                                    const char *source);
gboolean        vd_policy_get_review_all           (VdPolicy   *self);
void            vd_policy_set_review_all           (VdPolicy   *self,
                                                    gboolean    review_all);
double          vd_policy_get_confidence_threshold (VdPolicy   *self);
void            vd_policy_set_confidence_threshold (VdPolicy   *self,
                                                    double      threshold);
double          vd_policy_get_threshold_for_type   (VdPolicy   *self,
                                                    const char *task_type);
void            vd_policy_add_sensitive_keyword    (VdPolicy   *self,
                                                    const char *keyword);
void            vd_policy_add_high_risk_action     (VdPolicy   *self,
                                                    const char *action);
void            vd_policy_add_always_review_type   (VdPolicy   *self,
                                                    const char *task_type);
void            vd_policy_set_type_threshold       (VdPolicy   *self,
                                                    const char *task_type,
                                                    double      threshold);
void            vd_policy_add_feedback_category    (VdPolicy   *self,
                                                    const char *category);
GStrv           vd_policy_dup_feedback_categories  (VdPolicy   *self);

VdPolicyResult *vd_policy_check                (VdPolicy       *self,
                                                const char     *task_type,
                                                const char     *content,
                                                double          confidence,
                                                JsonObject     *metadata);
VdPolicyResult *vd_policy_check_item           (VdPolicy       *self,
                                                VdItem         *item);
GPtrArray      *vd_policy_find_missing_fields  (VdPolicy       *self,
                                                GPtrArray      *items);

/* Deadlines (SLA) and queue limits */
guint           vd_policy_get_sla_minutes          (VdPolicy          *self,
                                                    const char        *task_type);
void            vd_policy_set_sla_minutes          (VdPolicy          *self,
                                                    const char        *task_type,
                                                    guint              minutes);
VdSlaFallback   vd_policy_get_fallback             (VdPolicy          *self,
                                                    const char        *task_type,
                                                    const char       **rule);
void            vd_policy_set_fallback             (VdPolicy          *self,
                                                    const char        *task_type,
                                                    VdSlaFallback      fallback);
void            vd_policy_resolve_fallback         (VdPolicy          *self,
                                                    const char        *task_type,
                                                    VdEscalationReason reason,
                                                    VdFallbackRule    *rule);
guint           vd_policy_get_escalated_sla_minutes (VdPolicy         *self);
guint           vd_policy_get_claim_minutes        (VdPolicy          *self);
void            vd_policy_set_claim_minutes        (VdPolicy          *self,
                                                    guint              minutes);
void            vd_policy_set_escalated_sla_minutes (VdPolicy         *self,
                                                    guint              minutes);
gboolean        vd_policy_get_queue_limit          (VdPolicy          *self,
                                                    const char        *queue,
                                                    guint             *max_pending,
                                                    VdQueueFullAction *on_full);
void            vd_policy_set_queue_limit          (VdPolicy          *self,
                                                    const char        *queue,
                                                    guint              max_pending,
                                                    VdQueueFullAction  on_full);
guint           vd_policy_get_reviews_required     (VdPolicy          *self,
                                                    VdItem            *item);
gboolean        vd_policy_is_always_review_type    (VdPolicy          *self,
                                                    const char        *task_type);
gboolean        vd_policy_assign_due_at            (VdPolicy          *self,
                                                    VdItem            *item,
                                                    GDateTime         *arrival);
GStrv           vd_policy_dup_warnings             (VdPolicy          *self);
GStrv           vd_policy_dup_notes                (VdPolicy          *self);

const char     *vd_sla_fallback_to_string          (VdSlaFallback      fallback);
gboolean        vd_sla_fallback_from_string        (const char        *string,
                                                    VdSlaFallback     *fallback);
const char     *vd_queue_full_action_to_string     (VdQueueFullAction  action);
gboolean        vd_queue_full_action_from_string   (const char        *string,
                                                    VdQueueFullAction *action);

/* Reviewers and trusted queue sources */
VdRoster       *vd_policy_get_roster                (VdPolicy  *self);
GPtrArray      *vd_policy_get_trusted_sources       (VdPolicy  *self);
gboolean        vd_policy_get_require_signed_queues (VdPolicy  *self);
const char     *vd_policy_get_sha256                (VdPolicy  *self);

JsonNode       *vd_policy_to_json              (VdPolicy       *self);
char           *vd_policy_to_data              (VdPolicy       *self);
char           *vd_policy_json_to_data         (JsonNode       *node);

const char     *vd_policy_check_to_string      (VdPolicyCheck   check);

G_END_DECLS
