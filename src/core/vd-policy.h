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

#include "vd-types.h"

G_BEGIN_DECLS

#define VD_POLICY_ERROR (vd_policy_error_quark ())

typedef enum
{
  VD_POLICY_ERROR_INVALID,     /* the policy file is not valid JSON or has a bad field */
} VdPolicyError;

GQuark vd_policy_error_quark (void);

/**
 * VdPolicyCheck:
 *
 * Which check of the escalation policy fired, in the order they run.
 */
typedef enum
{
  VD_POLICY_CHECK_NONE,
  VD_POLICY_CHECK_CONFIDENCE,
  VD_POLICY_CHECK_SENSITIVE_KEYWORD,
  VD_POLICY_CHECK_HIGH_RISK_ACTION,
  VD_POLICY_CHECK_ALWAYS_REVIEW_TYPE,
  VD_POLICY_CHECK_RULE,
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
 *   "task_types": { "payments": { "confidence_threshold": 0.85 } },
 *   "rules": [
 *     { "name": "large payment", "path": "amount", "op": ">", "value": 10000,
 *       "reason": "high_risk_action" }
 *   ]
 * }
 *
 * Checks run in this order and the first match wins: confidence below the
 * threshold (per task type if given, else global); a sensitive keyword in the
 * output content (Unicode case-insensitive substring); a high-risk action in
 * the content (same test); task type in always_review_types; a rule on the
 * metadata (path with dots for nested objects; ops > >= < <= == != contains;
 * value a number or a string; reason defaults to policy_required).
 *
 * Unknown top-level keys are rejected so that a typo never silently weakens
 * a policy.
 */

VdPolicy       *vd_policy_new                  (void);
VdPolicy       *vd_policy_new_from_file        (const char     *path,
                                                GError        **error);
VdPolicy       *vd_policy_new_from_data        (const char     *data,
                                                gssize          length,
                                                const char     *source_name,
                                                GError        **error);
VdPolicy       *vd_policy_new_from_json        (JsonNode       *node,
                                                const char     *source_name,
                                                GError        **error);

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

VdPolicyResult *vd_policy_check                (VdPolicy       *self,
                                                const char     *task_type,
                                                const char     *content,
                                                double          confidence,
                                                JsonObject     *metadata);
VdPolicyResult *vd_policy_check_item           (VdPolicy       *self,
                                                VdItem         *item);

JsonNode       *vd_policy_to_json              (VdPolicy       *self);
char           *vd_policy_to_data              (VdPolicy       *self);

const char     *vd_policy_check_to_string      (VdPolicyCheck   check);

G_END_DECLS
