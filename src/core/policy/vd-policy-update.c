/* vd-policy-update.c: applying a suggested threshold to a policy file
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

#define G_LOG_DOMAIN "vd-policy-update"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "vd-atomic-file-private.h"
#include "vd-audit-event.h"
#include "vd-json-guard.h"
#include "vd-policy-private.h"
#include "vd-policy-update.h"
#include "vd-text.h"

typedef struct
{
  double  threshold;
  guint64 items;
  guint64 approved_unchanged;
  guint64 reviews_saved;
} Evidence;

static gboolean
add_evidence (const VdCalibrationObservation *observation,
              gpointer                        user_data)
{
  Evidence *evidence = user_data;
  guint64 count = observation->count > 0 ? observation->count : 1;

  if (observation->confidence < evidence->threshold)
    return TRUE;

  evidence->items += count;
  if (observation->approved_unchanged)
    evidence->approved_unchanged += count;
  if (!observation->still_reviewed)
    evidence->reviews_saved += count;

  return TRUE;
}

/* Sets @name of @object to @value, in place when it is there (so that
 * the member keeps its position in the file). */
static void
set_number (JsonObject *object,
            const char *name,
            double      value)
{
  JsonNode *member = json_object_get_member (object, name);

  if (member != NULL && JSON_NODE_HOLDS_VALUE (member))
    json_node_set_double (member, value);
  else
    json_object_set_double_member (object, name, value);
}

static JsonObject *
ensure_object (JsonObject *parent,
               const char *name)
{
  JsonNode *member = json_object_get_member (parent, name);

  if (member == NULL || !JSON_NODE_HOLDS_OBJECT (member))
    json_object_set_object_member (parent, name, json_object_new ());

  return json_object_get_object_member (parent, name);
}

typedef struct
{
  const char   *contents;
  VdStore      *store;
  VdAuditEvent *event;
  gboolean      audited;
} Replacement;

static gboolean
write_policy (GOutputStream  *stream,
              gpointer        user_data,
              GCancellable   *cancellable,
              GError        **error)
{
  Replacement *replacement = user_data;

  return g_output_stream_write_all (stream, replacement->contents,
                                    strlen (replacement->contents), NULL, cancellable, error);
}

/* The change is audited once the new file is on the disk and before it
 * replaces the old one: a change that is not audited never happens. */
static gboolean
audit_policy (gpointer   user_data,
              GError   **error)
{
  Replacement *replacement = user_data;

  if (!vd_store_append_audit (replacement->store, replacement->event, error))
    return FALSE;

  replacement->audited = TRUE;
  return TRUE;
}

/**
 * vd_policy_apply_threshold:
 * @policy_path: the policy file
 * @task_type: (nullable): the task type whose threshold to set, or %NULL
 *   for the global `confidence_threshold`
 * @threshold: the new threshold, 0 to 1
 * @store: the store whose audit trail records the change and whose
 *   history is the evidence
 * @reviewer_id: who applies it
 * @error: return location for a #GError
 *
 * Applies a threshold the calibration suggested: a reviewer's explicit
 * action, never automatic. Reads the policy file, refuses it when it is not
 * a valid policy, changes only that threshold (`task_types.T.
 * confidence_threshold` or `confidence_threshold`; every other field stays
 * as it was, in its order), and replaces the file atomically (a new file
 * renamed over the old one: readers see the old or the new policy, never
 * half of one; a symbolic link stays a link to the updated file). The
 * audit event %VD_AUDIT_THRESHOLD_APPLIED records the old and new value,
 * the task type and the evidence: the decided items at or above the new
 * threshold, those approved unchanged, and the reviews it would have
 * saved. It is appended once the new file is on the disk, just before the
 * rename. On any failure the file is unchanged.
 *
 * Returns: %TRUE if the policy file now has the threshold
 */
gboolean
vd_policy_apply_threshold (const char  *policy_path,
                           const char  *task_type,
                           double       threshold,
                           VdStore     *store,
                           const char  *reviewer_id,
                           GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *new_contents = NULL;
  g_autofree char *field = NULL;
  g_autofree char *stripped_reviewer = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(VdPolicy) policy = NULL;
  g_autoptr(VdPolicy) updated = NULL;
  g_autoptr(JsonObject) payload = NULL;
  g_autoptr(JsonObject) evidence_json = NULL;
  g_autoptr(VdAuditEvent) event = NULL;
  g_autoptr(GFile) file = NULL;
  Replacement replacement = { NULL, };
  Evidence evidence = { threshold, 0, 0, 0 };
  JsonObject *object;
  gsize length = 0;
  double old_value;

  g_return_val_if_fail (policy_path != NULL, FALSE);
  g_return_val_if_fail (VD_IS_STORE (store), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!isfinite (threshold) || threshold < 0.0 || threshold > 1.0)
    {
      g_set_error (error, VD_POLICY_ERROR, VD_POLICY_ERROR_INVALID,
                   _("A threshold is a number from 0 to 1, not %g"), threshold);
      return FALSE;
    }

  if (task_type != NULL && task_type[0] == '\0')
    {
      g_set_error_literal (error, VD_POLICY_ERROR, VD_POLICY_ERROR_INVALID,
                           _("Name a task type, or apply the global threshold"));
      return FALSE;
    }

  /* The audit event names the reviewer as stripped, so that is what must
   * not be empty. */
  if (reviewer_id != NULL)
    stripped_reviewer = g_strstrip (g_strdup (reviewer_id));
  if (vd_text_is_empty (stripped_reviewer))
    {
      g_set_error_literal (error, VD_POLICY_ERROR, VD_POLICY_ERROR_INVALID,
                           _("Applying a threshold needs a reviewer id"));
      return FALSE;
    }

  if (!_vd_policy_read_file (policy_path, &contents, &length, &local_error))
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                  _("Could not read the policy file: "));
      return FALSE;
    }

  /* The file must be a valid policy before and after. */
  policy = vd_policy_new_from_data (contents, length, policy_path, error);
  if (policy == NULL)
    return FALSE;

  /* The tree to change, read with the same guards as the policy (nesting,
   * encoding, numbers): it is written back whole. */
  root = vd_json_guard_parse (contents, length, VD_POLICY_MAX_BYTES, &local_error);
  if (root == NULL)
    {
      g_set_error (error, VD_POLICY_ERROR, VD_POLICY_ERROR_INVALID, "%s: %s",
                   policy_path, local_error->message);
      return FALSE;
    }
  object = json_node_get_object (root);

  if (task_type != NULL)
    {
      JsonObject *types = ensure_object (object, "task_types");
      JsonObject *settings = ensure_object (types, task_type);

      old_value = vd_policy_get_threshold_for_type (policy, task_type);
      set_number (settings, "confidence_threshold", threshold);
      field = g_strdup_printf ("task_types.%s.confidence_threshold", task_type);
    }
  else
    {
      old_value = vd_policy_get_confidence_threshold (policy);
      set_number (object, "confidence_threshold", threshold);
      field = g_strdup ("confidence_threshold");
    }

  new_contents = vd_policy_json_to_data (root);
  updated = vd_policy_new_from_data (new_contents, -1, policy_path, error);
  if (updated == NULL)
    return FALSE;

  if (!vd_store_foreach_calibration (store, NULL, task_type, add_evidence, &evidence, error))
    return FALSE;

  evidence_json = json_object_new ();
  json_object_set_int_member (evidence_json, "items", (gint64) evidence.items);
  json_object_set_int_member (evidence_json, "approved_unchanged",
                              (gint64) evidence.approved_unchanged);
  json_object_set_double_member (evidence_json, "approval_rate",
                                 evidence.items > 0
                                 ? (double) evidence.approved_unchanged / (double) evidence.items
                                 : 0.0);
  json_object_set_int_member (evidence_json, "reviews_saved", (gint64) evidence.reviews_saved);

  payload = json_object_new ();
  json_object_set_string_member (payload, "policy", policy_path);
  json_object_set_string_member (payload, "field", field);
  if (task_type != NULL)
    json_object_set_string_member (payload, "task_type", task_type);
  else
    json_object_set_null_member (payload, "task_type");
  json_object_set_double_member (payload, "old", old_value);
  json_object_set_double_member (payload, "new", threshold);
  json_object_set_object_member (payload, "evidence", g_steal_pointer (&evidence_json));

  event = vd_audit_event_new (stripped_reviewer, VD_AUDIT_THRESHOLD_APPLIED, "", "", payload);

  /* A link to a shared policy file stays a link: the writer replaces the
   * file it points to. */
  replacement.contents = new_contents;
  replacement.store = store;
  replacement.event = event;
  file = g_file_new_for_path (policy_path);
  if (!_vd_atomic_file_write_full (file, write_policy, audit_policy, &replacement, NULL,
                                   &local_error))
    {
      if (replacement.audited)
        g_set_error (error, local_error->domain, local_error->code,
                     _("%s (the audit trail records the change all the same, as event %"
                       G_GINT64_FORMAT ")"),
                     local_error->message, vd_audit_event_get_seq (event));
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  return TRUE;
}

typedef struct
{
  char    *policy_path;
  char    *task_type;
  double   threshold;
  VdStore *store;
  char    *reviewer_id;
} ApplyData;

static void
apply_data_free (ApplyData *data)
{
  g_free (data->policy_path);
  g_free (data->task_type);
  g_clear_object (&data->store);
  g_free (data->reviewer_id);
  g_free (data);
}

static void
apply_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  ApplyData *data = task_data;
  GError *error = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;

  if (vd_policy_apply_threshold (data->policy_path, data->task_type, data->threshold,
                                 data->store, data->reviewer_id, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * vd_policy_apply_threshold_async:
 * @policy_path: the policy file
 * @task_type: (nullable): the task type, or %NULL for the global threshold
 * @threshold: the new threshold
 * @store: the store that audits it
 * @reviewer_id: who applies it
 * @cancellable: (nullable): a #GCancellable; it only prevents a change that
 *   was not yet started
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Runs vd_policy_apply_threshold() on a worker thread.
 */
void
vd_policy_apply_threshold_async (const char          *policy_path,
                                 const char          *task_type,
                                 double               threshold,
                                 VdStore             *store,
                                 const char          *reviewer_id,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ApplyData *data;

  g_return_if_fail (policy_path != NULL);
  g_return_if_fail (VD_IS_STORE (store));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  data = g_new0 (ApplyData, 1);
  data->policy_path = g_strdup (policy_path);
  data->task_type = g_strdup (task_type);
  data->threshold = threshold;
  data->store = g_object_ref (store);
  data->reviewer_id = g_strdup (reviewer_id);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, vd_policy_apply_threshold_async);
  g_task_set_task_data (task, data, (GDestroyNotify) apply_data_free);
  g_task_run_in_thread (task, apply_thread);
}

/**
 * vd_policy_apply_threshold_finish:
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Returns: %TRUE if the threshold was applied
 */
gboolean
vd_policy_apply_threshold_finish (GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        vd_policy_apply_threshold_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
