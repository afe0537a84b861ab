/* vd-policy-private.h
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

#include "vd-policy.h"

G_BEGIN_DECLS

/*
 * The policy is split over several files sharing this structure:
 *   vd-policy.c          the object, its getters and setters, wire names
 *   vd-policy-loader.c   reading and validating the JSON form, with its messages
 *   vd-policy-checks.c   the escalation checks and their results
 *   vd-policy-rules.c    the declarative rules on metadata, failing closed
 *   vd-policy-writer.c   the JSON form and its text
 */

#define DEFAULT_THRESHOLD 0.7
#define POLICY_VERSION    1

/* Ten years: a deadline further away than this is a mistake, and the
 * arithmetic on it stays far from any overflow. */
#define MAX_SLA_MINUTES   5256000
#define MAX_PENDING_LIMIT G_MAXINT32
/* Four-eyes review: one reviewer, or two who must agree. */
#define MAX_REVIEWS_REQUIRED 2

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

#define N_RULE_OPS (RULE_OP_CONTAINS + 1)

/* The wire spelling of each operator, indexed by RuleOp. */
extern const char * const _vd_policy_op_names[N_RULE_OPS];

typedef struct
{
  char                *name;
  char                *path;
  char               **segments;
  RuleOp               op;
  JsonNode            *value;
  char                *compare_value;    /* a string value as compared: cleaned for
                                          * == and !=, folded for contains */
  VdEscalationReason   reason;
  gboolean             escalate_missing; /* "when_missing": "escalate" */
  guint                reviews_required; /* 0: not set */
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
  guint          reviews_required; /* 0: not set */
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
  guint          claim_minutes;      /* 0: not set (VD_POLICY_DEFAULT_CLAIM_MINUTES) */
  GPtrArray     *queues;             /* QueueSettings, in file order */
  GPtrArray     *feedback_categories; /* char *, in file order */
  gboolean       review_all;         /* nothing is approved automatically */
  guint          reviews_required;   /* 0: not set (one review) */
  char          *source;             /* where it came from (not serialized), or NULL */

  VdRoster      *roster;             /* "reviewers", or NULL */
  GPtrArray     *trusted_sources;    /* VdKey (public), in file order */
  gboolean       require_signed_queues;
  char          *file_sha256;        /* of the file's bytes, until a setter runs */
  char          *sha256;             /* of vd_policy_to_data(), computed when asked */
};

static inline gboolean
node_is_number (JsonNode *node)
{
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  type = json_node_get_value_type (node);
  return type == G_TYPE_INT64 || type == G_TYPE_DOUBLE;
}

static inline gboolean
node_is_string (JsonNode *node)
{
  return node != NULL &&
         JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_STRING;
}

static inline double
node_get_number (JsonNode *node)
{
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return (double) json_node_get_int (node);

  return json_node_get_double (node);
}

/* vd-policy.c */
char         *_vd_policy_strip_invisible      (const char *text);
char         *_vd_policy_clean_text           (const char *text);
char         *_vd_policy_fold_text            (const char *text);
char         *_vd_policy_fold_stripped        (const char *stripped);
void          _vd_policy_rule_free            (Rule       *rule);
TypeSettings *_vd_policy_find_type_settings   (VdPolicy   *self,
                                               const char *task_type);
TypeSettings *_vd_policy_ensure_type_settings (VdPolicy   *self,
                                               const char *task_type);
void          _vd_policy_changed              (VdPolicy   *self);
void          _vd_policy_set_file_bytes       (VdPolicy   *self,
                                               const char *data,
                                               gssize      length);

/* vd-policy-loader.c */
gboolean      _vd_policy_read_file            (const char  *path,
                                               char       **contents,
                                               gsize       *length,
                                               GError     **error);

/* vd-policy-rules.c */
char         *_vd_policy_rule_check           (Rule        *rule,
                                               JsonObject  *metadata);
char         *_vd_policy_describe_rule        (Rule        *rule);
void          _vd_policy_append_visible       (GString     *out,
                                               const char  *text,
                                               guint        max_chars);

/* vd-policy-writer.c */
char         *_vd_policy_format_number        (double      value);
JsonNode     *_vd_policy_scalar_copy          (JsonNode   *node);
char         *_vd_policy_describe_node        (JsonNode   *node);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Rule, _vd_policy_rule_free)

G_END_DECLS
