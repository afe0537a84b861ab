/* vd-revision.c
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

#define G_LOG_DOMAIN "vd-revision"

#include "config.h"

#include <math.h>

#include "vd-revision.h"
#include "vd-timestamp.h"

struct _VdRevision
{
  GObject     parent_instance;

  int         revision;
  char       *content;
  double      confidence;
  char       *reasoning;
  JsonObject *metadata;
  char       *feedback;
  GDateTime  *created_at;
};

G_DEFINE_FINAL_TYPE (VdRevision, vd_revision, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_REVISION,
  PROP_CONTENT,
  PROP_CONFIDENCE,
  PROP_REASONING,
  PROP_METADATA,
  PROP_FEEDBACK,
  PROP_CREATED_AT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
vd_revision_constructed (GObject *object)
{
  VdRevision *self = (VdRevision *)object;

  G_OBJECT_CLASS (vd_revision_parent_class)->constructed (object);

  /* Construct properties left at NULL take their documented defaults. */
  if (self->content == NULL)
    self->content = g_strdup ("");
  if (self->reasoning == NULL)
    self->reasoning = g_strdup ("");
  if (self->feedback == NULL)
    self->feedback = g_strdup ("");
  if (self->metadata == NULL)
    self->metadata = json_object_new ();
  if (self->created_at == NULL)
    self->created_at = vd_timestamp_now ();
}

static void
vd_revision_finalize (GObject *object)
{
  VdRevision *self = (VdRevision *)object;

  g_clear_pointer (&self->content, g_free);
  g_clear_pointer (&self->reasoning, g_free);
  g_clear_pointer (&self->metadata, json_object_unref);
  g_clear_pointer (&self->feedback, g_free);
  g_clear_pointer (&self->created_at, g_date_time_unref);

  G_OBJECT_CLASS (vd_revision_parent_class)->finalize (object);
}

static void
vd_revision_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  VdRevision *self = VD_REVISION (object);

  switch (prop_id)
    {
    case PROP_REVISION:
      g_value_set_int (value, self->revision);
      break;

    case PROP_CONTENT:
      g_value_set_string (value, self->content);
      break;

    case PROP_CONFIDENCE:
      g_value_set_double (value, self->confidence);
      break;

    case PROP_REASONING:
      g_value_set_string (value, self->reasoning);
      break;

    case PROP_METADATA:
      g_value_set_boxed (value, self->metadata);
      break;

    case PROP_FEEDBACK:
      g_value_set_string (value, self->feedback);
      break;

    case PROP_CREATED_AT:
      g_value_set_boxed (value, self->created_at);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vd_revision_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  VdRevision *self = VD_REVISION (object);

  /* All properties are construct-only: each is set exactly once. */
  switch (prop_id)
    {
    case PROP_REVISION:
      self->revision = g_value_get_int (value);
      break;

    case PROP_CONTENT:
      self->content = g_value_dup_string (value);
      break;

    case PROP_CONFIDENCE:
      self->confidence = g_value_get_double (value);
      break;

    case PROP_REASONING:
      self->reasoning = g_value_dup_string (value);
      break;

    case PROP_METADATA:
      self->metadata = g_value_dup_boxed (value);
      break;

    case PROP_FEEDBACK:
      self->feedback = g_value_dup_string (value);
      break;

    case PROP_CREATED_AT:
      self->created_at = g_value_dup_boxed (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vd_revision_class_init (VdRevisionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = (G_PARAM_READWRITE |
                             G_PARAM_CONSTRUCT_ONLY |
                             G_PARAM_EXPLICIT_NOTIFY |
                             G_PARAM_STATIC_STRINGS);

  object_class->constructed = vd_revision_constructed;
  object_class->finalize = vd_revision_finalize;
  object_class->get_property = vd_revision_get_property;
  object_class->set_property = vd_revision_set_property;

  properties[PROP_REVISION] =
    g_param_spec_int ("revision", "Revision", "Revision number, 0 for the first output",
                      0, G_MAXINT, 0, flags);

  properties[PROP_CONTENT] =
    g_param_spec_string ("content", "Content", "The agent's output",
                         "", flags);

  properties[PROP_CONFIDENCE] =
    g_param_spec_double ("confidence", "Confidence", "The agent's confidence, 0 to 1",
                         0.0, 1.0, 0.0, flags);

  properties[PROP_REASONING] =
    g_param_spec_string ("reasoning", "Reasoning", "The agent's reasoning",
                         "", flags);

  properties[PROP_METADATA] =
    g_param_spec_boxed ("metadata", "Metadata", "The output's metadata",
                        JSON_TYPE_OBJECT, flags);

  properties[PROP_FEEDBACK] =
    g_param_spec_string ("feedback", "Feedback",
                         "The reviewer feedback that led to the next revision",
                         "", flags);

  properties[PROP_CREATED_AT] =
    g_param_spec_boxed ("created-at", "Created at", "When this output was made",
                        G_TYPE_DATE_TIME, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
vd_revision_init (VdRevision *self)
{
}

/**
 * vd_revision_new:
 * @revision: the revision number, 0 for the first output
 * @content: (nullable): the output text
 * @confidence: the agent's confidence, 0 to 1, or NaN when the source gave
 *   none
 * @reasoning: (nullable): the agent's reasoning
 * @metadata: (nullable): the output's metadata; a reference is taken
 * @feedback: (nullable): the reviewer feedback that replaced this output
 * @created_at: (nullable): when the output was made; %NULL means now
 *
 * Returns: (transfer full): a new, immutable revision
 */
VdRevision *
vd_revision_new (int          revision,
                 const char  *content,
                 double       confidence,
                 const char  *reasoning,
                 JsonObject  *metadata,
                 const char  *feedback,
                 GDateTime   *created_at)
{
  VdRevision *self;

  g_return_val_if_fail (revision >= 0, NULL);
  g_return_val_if_fail (isnan (confidence) || (confidence >= 0.0 && confidence <= 1.0), NULL);

  self = g_object_new (VD_TYPE_REVISION,
                       "revision", revision,
                       "content", content,
                       "confidence", isnan (confidence) ? 0.0 : confidence,
                       "reasoning", reasoning,
                       "metadata", metadata,
                       "feedback", feedback,
                       "created-at", created_at,
                       NULL);

  /* The property's range has no NaN: "not given" is set past it, as
   * vd_item_clear_confidence() does for an item. */
  if (isnan (confidence))
    self->confidence = NAN;

  return self;
}

int
vd_revision_get_revision (VdRevision *self)
{
  g_return_val_if_fail (VD_IS_REVISION (self), 0);

  return self->revision;
}

const char *
vd_revision_get_content (VdRevision *self)
{
  g_return_val_if_fail (VD_IS_REVISION (self), NULL);

  return self->content;
}

double
vd_revision_get_confidence (VdRevision *self)
{
  g_return_val_if_fail (VD_IS_REVISION (self), 0.0);

  return self->confidence;
}

const char *
vd_revision_get_reasoning (VdRevision *self)
{
  g_return_val_if_fail (VD_IS_REVISION (self), NULL);

  return self->reasoning;
}

/**
 * vd_revision_get_metadata:
 * @self: a revision
 *
 * Returns: (transfer none): the metadata object, never %NULL
 */
JsonObject *
vd_revision_get_metadata (VdRevision *self)
{
  g_return_val_if_fail (VD_IS_REVISION (self), NULL);

  return self->metadata;
}

const char *
vd_revision_get_feedback (VdRevision *self)
{
  g_return_val_if_fail (VD_IS_REVISION (self), NULL);

  return self->feedback;
}

/**
 * vd_revision_get_created_at:
 * @self: a revision
 *
 * Returns: (transfer none): when the output was made
 */
GDateTime *
vd_revision_get_created_at (VdRevision *self)
{
  g_return_val_if_fail (VD_IS_REVISION (self), NULL);

  return self->created_at;
}
