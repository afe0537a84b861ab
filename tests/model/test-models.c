/* test-models.c
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

#define G_LOG_DOMAIN "test-models"

#include "config.h"

#include <math.h>

#include "vd-core.h"
#include "vd-enums.h"

/* Counts notify emissions per property name. */
typedef struct
{
  GHashTable *counts;
} NotifyLog;

static void
on_notify (GObject    *object,
           GParamSpec *pspec,
           NotifyLog  *log)
{
  guint count = GPOINTER_TO_UINT (g_hash_table_lookup (log->counts, pspec->name));

  g_hash_table_insert (log->counts, g_strdup (pspec->name), GUINT_TO_POINTER (count + 1));
}

static void
notify_log_init (NotifyLog *log,
                 gpointer   object)
{
  log->counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_signal_connect (object, "notify", G_CALLBACK (on_notify), log);
}

static guint
notify_log_count (NotifyLog  *log,
                  const char *name)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (log->counts, name));
}

static guint
notify_log_total (NotifyLog *log)
{
  GHashTableIter iter;
  gpointer value;
  guint total = 0;

  g_hash_table_iter_init (&iter, log->counts);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    total += GPOINTER_TO_UINT (value);

  return total;
}

static void
notify_log_clear (NotifyLog *log)
{
  g_clear_pointer (&log->counts, g_hash_table_unref);
}

static JsonObject *
parse_object (const char *json)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;

  node = json_from_string (json, &error);
  g_assert_no_error (error);
  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));

  return json_node_dup_object (node);
}

static GDateTime *
utc (int year,
     int month,
     int day,
     int hour,
     int minute,
     double seconds)
{
  return g_date_time_new_utc (year, month, day, hour, minute, seconds);
}

static void
test_item_defaults (void)
{
  g_autoptr(VdItem) item = vd_item_new ("payments", "task_0001");
  g_autoptr(GDateTime) before = g_date_time_new_now_utc ();
  g_autoptr(VdItem) later = NULL;
  g_autoptr(GDateTime) after = NULL;
  g_autofree char *metadata = NULL;

  later = vd_item_new (NULL, NULL);
  after = g_date_time_new_now_utc ();

  g_assert_cmpint (vd_item_get_id (item), ==, 0);
  g_assert_cmpstr (vd_item_get_queue (item), ==, "payments");
  g_assert_cmpstr (vd_item_get_task_id (item), ==, "task_0001");
  g_assert_cmpstr (vd_item_get_task_description (item), ==, "");
  g_assert_cmpstr (vd_item_get_task_type (item), ==, "");
  g_assert_cmpstr (vd_item_get_context (item), ==, "");
  g_assert_cmpstr (vd_item_get_content (item), ==, "");
  g_assert_cmpfloat (vd_item_get_confidence (item), ==, 0.0);
  g_assert_cmpstr (vd_item_get_reasoning (item), ==, "");
  g_assert_nonnull (vd_item_get_metadata (item));
  g_assert_cmpuint (json_object_get_size (vd_item_get_metadata (item)), ==, 0);
  g_assert_cmpint (vd_item_get_escalation_reason (item), ==, VD_ESCALATION_REASON_NONE);
  g_assert_cmpstr (vd_item_get_escalation_detail (item), ==, "");
  g_assert_null (vd_item_get_due_at (item));
  g_assert_cmpint (vd_item_get_priority (item), ==, 0);
  g_assert_cmpint (vd_item_get_revision (item), ==, 0);
  g_assert_cmpint (vd_item_get_status (item), ==, VD_TASK_STATUS_PENDING);
  g_assert_null (vd_item_get_expected_decision (item));
  g_assert_true (vd_item_is_undecided (item));

  /* NULL queue and task id become "" */
  g_assert_cmpstr (vd_item_get_queue (later), ==, "");
  g_assert_cmpstr (vd_item_get_task_id (later), ==, "");

  /* The timestamp is "now", in UTC. */
  g_assert_nonnull (vd_item_get_timestamp (later));
  g_assert_cmpint (g_date_time_compare (before, vd_item_get_timestamp (later)), <=, 0);
  g_assert_cmpint (g_date_time_compare (vd_item_get_timestamp (later), after), <=, 0);
  g_assert_cmpint (g_date_time_get_utc_offset (vd_item_get_timestamp (later)), ==, 0);

  metadata = vd_item_dup_metadata_json (item);
  g_assert_cmpstr (metadata, ==, "{}");
}

static void
test_item_properties (void)
{
  g_autoptr(VdItem) item = vd_item_new ("q", "t");
  g_autoptr(JsonObject) metadata = parse_object ("{\"amount\": 12500}");
  g_autoptr(GDateTime) timestamp = utc (2026, 11, 20, 9, 15, 2.5);
  g_autoptr(GDateTime) due_at = utc (2026, 11, 20, 10, 0, 0);
  g_autoptr(JsonObject) got_metadata = NULL;
  g_autoptr(GDateTime) got_timestamp = NULL;
  g_autoptr(GDateTime) got_due_at = NULL;
  g_autofree char *queue = NULL;
  g_autofree char *task_id = NULL;
  g_autofree char *description = NULL;
  g_autofree char *task_type = NULL;
  g_autofree char *context = NULL;
  g_autofree char *content = NULL;
  g_autofree char *reasoning = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *expected = NULL;
  gint64 id;
  double confidence;
  VdEscalationReason reason;
  int priority;
  int revision;
  VdTaskStatus status;

  g_object_set (item,
                "id", (gint64) 42,
                "queue", "payments",
                "task-id", "task_0007",
                "task-description", "Pay invoice 7",
                "task-type", "payments",
                "context", "Vendor is new",
                "content", "Transfer $12,500",
                "confidence", 0.62,
                "reasoning", "Large amount",
                "metadata", metadata,
                "escalation-reason", VD_ESCALATION_REASON_LOW_CONFIDENCE,
                "escalation-detail", "confidence 0.62 is below the threshold 0.70",
                "timestamp", timestamp,
                "due-at", due_at,
                "priority", 3,
                "revision", 2,
                "status", VD_TASK_STATUS_IN_REVIEW,
                "expected-decision", "reject",
                NULL);

  g_object_get (item,
                "id", &id,
                "queue", &queue,
                "task-id", &task_id,
                "task-description", &description,
                "task-type", &task_type,
                "context", &context,
                "content", &content,
                "confidence", &confidence,
                "reasoning", &reasoning,
                "metadata", &got_metadata,
                "escalation-reason", &reason,
                "escalation-detail", &detail,
                "timestamp", &got_timestamp,
                "due-at", &got_due_at,
                "priority", &priority,
                "revision", &revision,
                "status", &status,
                "expected-decision", &expected,
                NULL);

  g_assert_cmpint (id, ==, 42);
  g_assert_cmpstr (queue, ==, "payments");
  g_assert_cmpstr (task_id, ==, "task_0007");
  g_assert_cmpstr (description, ==, "Pay invoice 7");
  g_assert_cmpstr (task_type, ==, "payments");
  g_assert_cmpstr (context, ==, "Vendor is new");
  g_assert_cmpstr (content, ==, "Transfer $12,500");
  g_assert_cmpfloat (confidence, ==, 0.62);
  g_assert_cmpstr (reasoning, ==, "Large amount");
  g_assert_true (got_metadata == metadata);
  g_assert_cmpint (reason, ==, VD_ESCALATION_REASON_LOW_CONFIDENCE);
  g_assert_cmpstr (detail, ==, "confidence 0.62 is below the threshold 0.70");
  g_assert_true (g_date_time_equal (got_timestamp, timestamp));
  g_assert_true (g_date_time_equal (got_due_at, due_at));
  g_assert_cmpint (priority, ==, 3);
  g_assert_cmpint (revision, ==, 2);
  g_assert_cmpint (status, ==, VD_TASK_STATUS_IN_REVIEW);
  g_assert_cmpstr (expected, ==, "reject");

  /* The getters agree with the properties. */
  g_assert_cmpint (vd_item_get_id (item), ==, 42);
  g_assert_cmpfloat (vd_item_get_confidence (item), ==, 0.62);
  g_assert_cmpint (json_object_get_int_member (vd_item_get_metadata (item), "amount"), ==, 12500);

  /* Setting NULL gives "" for texts, an empty object for metadata, and
   * clears the nullable ones. */
  vd_item_set_content (item, NULL);
  g_assert_cmpstr (vd_item_get_content (item), ==, "");
  vd_item_set_metadata (item, NULL);
  g_assert_nonnull (vd_item_get_metadata (item));
  g_assert_cmpuint (json_object_get_size (vd_item_get_metadata (item)), ==, 0);
  vd_item_set_due_at (item, NULL);
  g_assert_null (vd_item_get_due_at (item));
  vd_item_set_expected_decision (item, NULL);
  g_assert_null (vd_item_get_expected_decision (item));

  /* Status decides whether the item is still open. */
  vd_item_set_status (item, VD_TASK_STATUS_ESCALATED);
  g_assert_true (vd_item_is_undecided (item));
  vd_item_set_status (item, VD_TASK_STATUS_APPROVED);
  g_assert_false (vd_item_is_undecided (item));
  vd_item_set_status (item, VD_TASK_STATUS_REJECTED);
  g_assert_false (vd_item_is_undecided (item));
}

static void
test_item_source (void)
{
  g_autoptr(VdItem) item = vd_item_new ("q", "t-1");
  g_autoptr(VdItem) copy = NULL;
  g_autoptr(JsonObject) source = json_object_new ();
  g_autoptr(JsonArray) allowed = json_array_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  /* Without a source every kind is allowed and the format is Verdict's. */
  g_assert_null (vd_item_get_source (item));
  g_assert_cmpstr (vd_item_get_source_format (item), ==, "verdict");
  g_assert_true (vd_item_allows_decision (item, VD_DECISION_KIND_MODIFY));
  g_assert_true (vd_item_has_confidence (item));

  json_object_set_string_member (source, "format", "langgraph");
  json_array_add_string_element (allowed, "approve");
  json_array_add_string_element (allowed, "reject");
  json_object_set_array_member (source, "allowed_decisions", json_array_ref (allowed));
  vd_item_set_source (item, source);

  /* The item holds a deep copy. */
  json_array_add_string_element (allowed, "modify");
  g_assert_cmpstr (vd_item_get_source_format (item), ==, "langgraph");
  g_assert_true (vd_item_allows_decision (item, VD_DECISION_KIND_APPROVE));
  g_assert_true (vd_item_allows_decision (item, VD_DECISION_KIND_REJECT));
  g_assert_false (vd_item_allows_decision (item, VD_DECISION_KIND_MODIFY));
  g_assert_true (vd_item_allows_decision (item, VD_DECISION_KIND_ESCALATE_FURTHER));

  /* No confidence: NaN, written as null, still valid. */
  vd_item_set_confidence (item, 0.5);
  vd_item_clear_confidence (item);
  g_assert_false (vd_item_has_confidence (item));
  g_assert_true (isnan (vd_item_get_confidence (item)));
  g_assert_true (vd_item_validate (item, &error));
  g_assert_no_error (error);

  copy = vd_item_copy (item);
  g_assert_false (vd_item_has_confidence (copy));
  g_assert_cmpstr (vd_item_get_source_format (copy), ==, "langgraph");
  g_assert_false (vd_item_allows_decision (copy, VD_DECISION_KIND_MODIFY));

  node = vd_item_to_json (item);
  text = json_to_string (node, FALSE);
  g_assert_nonnull (strstr (text, "\"confidence\":null"));
  g_assert_nonnull (strstr (text, "\"source\":{\"format\":\"langgraph\""));

  /* A malformed allowed list allows nothing but escalation. */
  json_object_set_string_member (source, "allowed_decisions", "all");
  vd_item_set_source (item, source);
  g_assert_false (vd_item_allows_decision (item, VD_DECISION_KIND_APPROVE));
  g_assert_true (vd_item_allows_decision (item, VD_DECISION_KIND_ESCALATE_FURTHER));

  vd_item_set_source (item, NULL);
  g_assert_null (vd_item_get_source (item));
}

static void
test_item_pspecs (void)
{
  static const char * const names[] = {
    "id", "queue", "task-id", "task-description", "task-type", "context",
    "content", "confidence", "reasoning", "metadata", "escalation-reason",
    "escalation-detail", "timestamp", "due-at", "priority", "revision",
    "status", "expected-decision", "task-content-type", "context-content-type",
    "output-content-type", "source",
  };
  g_autoptr(GTypeClass) klass = g_type_class_ref (VD_TYPE_ITEM);
  g_autofree GParamSpec **pspecs = NULL;
  guint n_pspecs;
  GParamSpec *pspec;

  pspecs = g_object_class_list_properties (G_OBJECT_CLASS (klass), &n_pspecs);
  g_assert_cmpuint (n_pspecs, ==, G_N_ELEMENTS (names));

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      pspec = g_object_class_find_property (G_OBJECT_CLASS (klass), names[i]);
      g_assert_nonnull (pspec);
      g_assert_true ((pspec->flags & G_PARAM_READWRITE) == G_PARAM_READWRITE);
      g_assert_true (pspec->flags & G_PARAM_EXPLICIT_NOTIFY);
      g_assert_true (pspec->flags & G_PARAM_STATIC_NAME);
    }

  pspec = g_object_class_find_property (G_OBJECT_CLASS (klass), "escalation-reason");
  g_assert_true (G_PARAM_SPEC_VALUE_TYPE (pspec) == VD_TYPE_ESCALATION_REASON);
  pspec = g_object_class_find_property (G_OBJECT_CLASS (klass), "status");
  g_assert_true (G_PARAM_SPEC_VALUE_TYPE (pspec) == VD_TYPE_TASK_STATUS);
  pspec = g_object_class_find_property (G_OBJECT_CLASS (klass), "metadata");
  g_assert_true (G_PARAM_SPEC_VALUE_TYPE (pspec) == JSON_TYPE_OBJECT);
  pspec = g_object_class_find_property (G_OBJECT_CLASS (klass), "timestamp");
  g_assert_true (G_PARAM_SPEC_VALUE_TYPE (pspec) == G_TYPE_DATE_TIME);
  pspec = g_object_class_find_property (G_OBJECT_CLASS (klass), "confidence");
  g_assert_cmpfloat (G_PARAM_SPEC_DOUBLE (pspec)->minimum, ==, 0.0);
  g_assert_cmpfloat (G_PARAM_SPEC_DOUBLE (pspec)->maximum, ==, 1.0);
}

static void
test_item_notify (void)
{
  g_autoptr(VdItem) item = vd_item_new ("q", "t");
  g_autoptr(JsonObject) metadata = parse_object ("{\"amount\": 1}");
  g_autoptr(JsonObject) same_metadata = parse_object ("{\"amount\": 1}");
  g_autoptr(JsonObject) other_metadata = parse_object ("{\"amount\": 2}");
  g_autoptr(GDateTime) timestamp = utc (2026, 1, 2, 3, 4, 5);
  g_autoptr(GDateTime) same_timestamp = utc (2026, 1, 2, 3, 4, 5);
  NotifyLog log;

  notify_log_init (&log, item);

  vd_item_set_content (item, "hello");
  vd_item_set_content (item, "hello");
  g_assert_cmpuint (notify_log_count (&log, "content"), ==, 1);
  vd_item_set_content (item, "bye");
  g_assert_cmpuint (notify_log_count (&log, "content"), ==, 2);

  /* The default "" set again, or NULL which means "", is no change. */
  vd_item_set_context (item, "");
  vd_item_set_context (item, NULL);
  g_assert_cmpuint (notify_log_count (&log, "context"), ==, 0);

  vd_item_set_queue (item, "q");
  g_assert_cmpuint (notify_log_count (&log, "queue"), ==, 0);
  vd_item_set_queue (item, "other");
  g_assert_cmpuint (notify_log_count (&log, "queue"), ==, 1);

  vd_item_set_task_id (item, "t2");
  vd_item_set_task_description (item, "d");
  vd_item_set_task_type (item, "x");
  vd_item_set_reasoning (item, "r");
  vd_item_set_escalation_detail (item, "e");
  g_assert_cmpuint (notify_log_count (&log, "task-id"), ==, 1);
  g_assert_cmpuint (notify_log_count (&log, "task-description"), ==, 1);
  g_assert_cmpuint (notify_log_count (&log, "task-type"), ==, 1);
  g_assert_cmpuint (notify_log_count (&log, "reasoning"), ==, 1);
  g_assert_cmpuint (notify_log_count (&log, "escalation-detail"), ==, 1);

  vd_item_set_confidence (item, 0.5);
  vd_item_set_confidence (item, 0.5);
  g_assert_cmpuint (notify_log_count (&log, "confidence"), ==, 1);

  vd_item_set_id (item, 7);
  vd_item_set_id (item, 7);
  g_assert_cmpuint (notify_log_count (&log, "id"), ==, 1);

  vd_item_set_priority (item, 0);
  g_assert_cmpuint (notify_log_count (&log, "priority"), ==, 0);
  vd_item_set_priority (item, -1);
  g_assert_cmpuint (notify_log_count (&log, "priority"), ==, 1);

  vd_item_set_revision (item, 1);
  vd_item_set_revision (item, 1);
  g_assert_cmpuint (notify_log_count (&log, "revision"), ==, 1);

  vd_item_set_status (item, VD_TASK_STATUS_PENDING);
  g_assert_cmpuint (notify_log_count (&log, "status"), ==, 0);
  vd_item_set_status (item, VD_TASK_STATUS_MODIFIED);
  g_assert_cmpuint (notify_log_count (&log, "status"), ==, 1);

  vd_item_set_escalation_reason (item, VD_ESCALATION_REASON_NONE);
  g_assert_cmpuint (notify_log_count (&log, "escalation-reason"), ==, 0);
  vd_item_set_escalation_reason (item, VD_ESCALATION_REASON_HIGH_RISK_ACTION);
  vd_item_set_escalation_reason (item, VD_ESCALATION_REASON_HIGH_RISK_ACTION);
  g_assert_cmpuint (notify_log_count (&log, "escalation-reason"), ==, 1);

  /* Metadata notifies when its content changes, not for an equal object. */
  vd_item_set_metadata (item, metadata);
  g_assert_cmpuint (notify_log_count (&log, "metadata"), ==, 1);
  vd_item_set_metadata (item, metadata);
  vd_item_set_metadata (item, same_metadata);
  g_assert_cmpuint (notify_log_count (&log, "metadata"), ==, 1);
  vd_item_set_metadata (item, other_metadata);
  g_assert_cmpuint (notify_log_count (&log, "metadata"), ==, 2);

  /* Timestamps compare by instant, not by object. */
  vd_item_set_timestamp (item, timestamp);
  vd_item_set_timestamp (item, same_timestamp);
  g_assert_cmpuint (notify_log_count (&log, "timestamp"), ==, 1);

  vd_item_set_due_at (item, NULL);
  g_assert_cmpuint (notify_log_count (&log, "due-at"), ==, 0);
  vd_item_set_due_at (item, timestamp);
  vd_item_set_due_at (item, same_timestamp);
  g_assert_cmpuint (notify_log_count (&log, "due-at"), ==, 1);
  vd_item_set_due_at (item, NULL);
  g_assert_cmpuint (notify_log_count (&log, "due-at"), ==, 2);

  vd_item_set_expected_decision (item, NULL);
  g_assert_cmpuint (notify_log_count (&log, "expected-decision"), ==, 0);
  vd_item_set_expected_decision (item, "approve");
  vd_item_set_expected_decision (item, "approve");
  g_assert_cmpuint (notify_log_count (&log, "expected-decision"), ==, 1);

  /* g_object_set goes through the same checks. */
  g_object_set (item, "content", "bye", "priority", -1, NULL);
  g_assert_cmpuint (notify_log_count (&log, "content"), ==, 2);
  g_assert_cmpuint (notify_log_count (&log, "priority"), ==, 1);

  g_assert_cmpuint (notify_log_total (&log), ==, 20);

  notify_log_clear (&log);
}

static void
test_item_copy (void)
{
  g_autoptr(VdItem) item = vd_item_new ("payments", "task_0003");
  g_autoptr(VdItem) copy = NULL;
  g_autoptr(JsonObject) metadata =
    parse_object ("{\"customer\": {\"tier\": \"gold\"}, \"tags\": [\"a\", 1, true, null], "
                  "\"amount\": 12500.5}");
  g_autoptr(GDateTime) timestamp = utc (2026, 11, 20, 9, 15, 2.123456);
  g_autoptr(GDateTime) due_at = utc (2026, 11, 21, 9, 0, 0);
  g_autofree char *original_json = NULL;
  g_autofree char *copy_json = NULL;
  JsonObject *customer;

  vd_item_set_id (item, 9);
  vd_item_set_task_description (item, "Refund order");
  vd_item_set_task_type (item, "payments");
  vd_item_set_context (item, "ctx");
  vd_item_set_content (item, "Refund $12,500.50");
  vd_item_set_confidence (item, 0.83);
  vd_item_set_reasoning (item, "policy says so");
  vd_item_set_metadata (item, metadata);
  vd_item_set_escalation_reason (item, VD_ESCALATION_REASON_POLICY_REQUIRED);
  vd_item_set_escalation_detail (item, "rule");
  vd_item_set_timestamp (item, timestamp);
  vd_item_set_due_at (item, due_at);
  vd_item_set_priority (item, 5);
  vd_item_set_revision (item, 1);
  vd_item_set_status (item, VD_TASK_STATUS_IN_REVIEW);
  vd_item_set_expected_decision (item, "modify");

  copy = vd_item_copy (item);
  g_assert_true (copy != item);

  g_assert_cmpint (vd_item_get_id (copy), ==, 9);
  g_assert_cmpstr (vd_item_get_queue (copy), ==, "payments");
  g_assert_cmpstr (vd_item_get_task_id (copy), ==, "task_0003");
  g_assert_cmpstr (vd_item_get_task_description (copy), ==, "Refund order");
  g_assert_cmpstr (vd_item_get_task_type (copy), ==, "payments");
  g_assert_cmpstr (vd_item_get_context (copy), ==, "ctx");
  g_assert_cmpstr (vd_item_get_content (copy), ==, "Refund $12,500.50");
  g_assert_cmpfloat (vd_item_get_confidence (copy), ==, 0.83);
  g_assert_cmpstr (vd_item_get_reasoning (copy), ==, "policy says so");
  g_assert_cmpint (vd_item_get_escalation_reason (copy), ==,
                   VD_ESCALATION_REASON_POLICY_REQUIRED);
  g_assert_cmpstr (vd_item_get_escalation_detail (copy), ==, "rule");
  g_assert_true (g_date_time_equal (vd_item_get_timestamp (copy), timestamp));
  g_assert_true (g_date_time_equal (vd_item_get_due_at (copy), due_at));
  g_assert_cmpint (vd_item_get_priority (copy), ==, 5);
  g_assert_cmpint (vd_item_get_revision (copy), ==, 1);
  g_assert_cmpint (vd_item_get_status (copy), ==, VD_TASK_STATUS_IN_REVIEW);
  g_assert_cmpstr (vd_item_get_expected_decision (copy), ==, "modify");

  /* The metadata is equal but not shared, down to nested objects. */
  g_assert_true (vd_item_get_metadata (copy) != vd_item_get_metadata (item));
  g_assert_true (json_object_equal (vd_item_get_metadata (copy), vd_item_get_metadata (item)));
  original_json = vd_item_dup_metadata_json (item);
  customer = json_object_get_object_member (vd_item_get_metadata (copy), "customer");
  json_object_set_string_member (customer, "tier", "silver");
  json_array_add_int_element (json_object_get_array_member (vd_item_get_metadata (copy), "tags"),
                              2);
  copy_json = vd_item_dup_metadata_json (copy);
  g_assert_cmpstr (copy_json, ==,
                   "{\"customer\":{\"tier\":\"silver\"},\"tags\":[\"a\",1,true,null,2],"
                   "\"amount\":12500.5}");
  g_clear_pointer (&copy_json, g_free);
  copy_json = vd_item_dup_metadata_json (item);
  g_assert_cmpstr (copy_json, ==, original_json);
  g_assert_cmpstr (original_json, ==,
                   "{\"customer\":{\"tier\":\"gold\"},\"tags\":[\"a\",1,true,null],"
                   "\"amount\":12500.5}");

  /* Changing the copy leaves the original alone. */
  vd_item_set_content (copy, "changed");
  g_assert_cmpstr (vd_item_get_content (item), ==, "Refund $12,500.50");

  /* A copy of an item without a deadline or check has none. */
  vd_item_set_due_at (item, NULL);
  vd_item_set_expected_decision (item, NULL);
  g_clear_object (&copy);
  copy = vd_item_copy (item);
  g_assert_null (vd_item_get_due_at (copy));
  g_assert_null (vd_item_get_expected_decision (copy));
}

static void
test_item_to_json (void)
{
  g_autoptr(VdItem) item = vd_item_new ("payments", "task_0042");
  g_autoptr(JsonObject) metadata =
    parse_object ("{\"amount\": 12500, \"customer\": {\"tier\": \"gold\"}}");
  g_autoptr(GTimeZone) plus_two = g_time_zone_new_offset (2 * 3600);
  g_autoptr(GDateTime) timestamp = g_date_time_new (plus_two, 2026, 11, 20, 11, 15, 2.123456);
  g_autoptr(GDateTime) due_at = utc (2026, 11, 20, 10, 0, 0);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) reparsed = NULL;
  g_autoptr(GDateTime) parsed_timestamp = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  JsonObject *object;
  JsonObject *output;

  vd_item_set_task_description (item, "Pay invoice 42");
  vd_item_set_task_type (item, "payments");
  vd_item_set_context (item, "Vendor onboarded last week");
  vd_item_set_content (item, "Wire $12,500 to ACME “GmbH”");
  vd_item_set_confidence (item, 0.62);
  vd_item_set_reasoning (item, "Amount above the usual range");
  vd_item_set_metadata (item, metadata);
  vd_item_set_escalation_reason (item, VD_ESCALATION_REASON_LOW_CONFIDENCE);
  vd_item_set_escalation_detail (item, "confidence 0.62 is below the threshold 0.70");
  vd_item_set_timestamp (item, timestamp);
  vd_item_set_due_at (item, due_at);
  vd_item_set_priority (item, 2);
  vd_item_set_revision (item, 1);
  vd_item_set_status (item, VD_TASK_STATUS_IN_REVIEW);

  node = vd_item_to_json (item);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));

  /* Serialise and parse back, as a queue file reader would. */
  text = json_to_string (node, FALSE);
  reparsed = json_from_string (text, &error);
  g_assert_no_error (error);
  object = json_node_get_object (reparsed);

  g_assert_cmpuint (json_object_get_size (object), ==, 13);
  g_assert_cmpstr (json_object_get_string_member (object, "queue"), ==, "payments");
  g_assert_cmpstr (json_object_get_string_member (object, "task_id"), ==, "task_0042");
  g_assert_cmpstr (json_object_get_string_member (object, "task_description"), ==,
                   "Pay invoice 42");
  g_assert_cmpstr (json_object_get_string_member (object, "task_type"), ==, "payments");
  g_assert_cmpstr (json_object_get_string_member (object, "context"), ==,
                   "Vendor onboarded last week");

  output = json_object_get_object_member (object, "agent_output");
  g_assert_nonnull (output);
  g_assert_cmpuint (json_object_get_size (output), ==, 4);
  g_assert_cmpstr (json_object_get_string_member (output, "content"), ==,
                   "Wire $12,500 to ACME “GmbH”");
  g_assert_cmpfloat (json_object_get_double_member (output, "confidence"), ==, 0.62);
  g_assert_cmpstr (json_object_get_string_member (output, "reasoning"), ==,
                   "Amount above the usual range");
  g_assert_true (json_object_equal (json_object_get_object_member (output, "metadata"),
                                    metadata));

  g_assert_cmpstr (json_object_get_string_member (object, "escalation_reason"), ==,
                   "low_confidence");
  g_assert_cmpstr (json_object_get_string_member (object, "escalation_detail"), ==,
                   "confidence 0.62 is below the threshold 0.70");
  /* Written in UTC with microseconds, and it reads back as the same instant. */
  g_assert_cmpstr (json_object_get_string_member (object, "timestamp"), ==,
                   "2026-11-20T09:15:02.123456Z");
  parsed_timestamp = vd_timestamp_parse (json_object_get_string_member (object, "timestamp"));
  g_assert_true (g_date_time_equal (parsed_timestamp, timestamp));
  g_assert_cmpstr (json_object_get_string_member (object, "due_at"), ==,
                   "2026-11-20T10:00:00.000000Z");
  g_assert_cmpint (json_object_get_int_member (object, "priority"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (object, "revision"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (object, "status"), ==, "in_review");
  g_assert_false (json_object_has_member (object, "check"));

  /* Not escalated and no deadline: those keys are left out; a known-answer
   * check appears as check.expected. */
  vd_item_set_escalation_reason (item, VD_ESCALATION_REASON_NONE);
  vd_item_set_due_at (item, NULL);
  vd_item_set_expected_decision (item, "reject");
  g_clear_pointer (&node, json_node_unref);
  node = vd_item_to_json (item);
  object = json_node_get_object (node);
  g_assert_false (json_object_has_member (object, "escalation_reason"));
  g_assert_false (json_object_has_member (object, "due_at"));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (object, "check"),
                                                  "expected"), ==, "reject");
  g_assert_cmpuint (json_object_get_size (object), ==, 12);

  /* The JSON does not share the item's metadata. */
  output = json_object_get_object_member (object, "agent_output");
  json_object_set_int_member (json_object_get_object_member (output, "metadata"), "amount", 1);
  g_assert_cmpint (json_object_get_int_member (vd_item_get_metadata (item), "amount"), ==, 12500);
}

static void
test_item_metadata_json (void)
{
  g_autoptr(VdItem) item = vd_item_new ("q", "t");
  g_autoptr(JsonObject) metadata =
    parse_object ("{ \"amount\" : 12500,\n \"customer\": { \"tier\": \"gold\" },\n"
                  " \"note\": \"ü \\\"x\\\"\" }");
  g_autofree char *text = NULL;

  vd_item_set_metadata (item, metadata);
  text = vd_item_dup_metadata_json (item);
  g_assert_cmpstr (text, ==,
                   "{\"amount\":12500,\"customer\":{\"tier\":\"gold\"},\"note\":\"ü \\\"x\\\"\"}");
}

static void
test_revision (void)
{
  g_autoptr(JsonObject) metadata = parse_object ("{\"draft\": 1}");
  g_autoptr(GDateTime) created_at = utc (2026, 3, 4, 5, 6, 7);
  g_autoptr(VdRevision) revision = NULL;
  g_autoptr(VdRevision) bare = NULL;
  g_autoptr(GDateTime) before = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) after = NULL;
  g_autofree char *content = NULL;
  g_autofree char *feedback = NULL;
  int number;

  revision = vd_revision_new (1, "Draft text", 0.55, "unsure", metadata,
                              "Cite the contract clause", created_at);
  g_assert_cmpint (vd_revision_get_revision (revision), ==, 1);
  g_assert_cmpstr (vd_revision_get_content (revision), ==, "Draft text");
  g_assert_cmpfloat (vd_revision_get_confidence (revision), ==, 0.55);
  g_assert_cmpstr (vd_revision_get_reasoning (revision), ==, "unsure");
  g_assert_true (vd_revision_get_metadata (revision) == metadata);
  g_assert_cmpstr (vd_revision_get_feedback (revision), ==, "Cite the contract clause");
  g_assert_true (g_date_time_equal (vd_revision_get_created_at (revision), created_at));

  g_object_get (revision,
                "revision", &number,
                "content", &content,
                "feedback", &feedback,
                NULL);
  g_assert_cmpint (number, ==, 1);
  g_assert_cmpstr (content, ==, "Draft text");
  g_assert_cmpstr (feedback, ==, "Cite the contract clause");

  bare = vd_revision_new (0, NULL, 1.0, NULL, NULL, NULL, NULL);
  after = g_date_time_new_now_utc ();
  g_assert_cmpint (vd_revision_get_revision (bare), ==, 0);
  g_assert_cmpstr (vd_revision_get_content (bare), ==, "");
  g_assert_cmpfloat (vd_revision_get_confidence (bare), ==, 1.0);
  g_assert_cmpstr (vd_revision_get_reasoning (bare), ==, "");
  g_assert_cmpstr (vd_revision_get_feedback (bare), ==, "");
  g_assert_nonnull (vd_revision_get_metadata (bare));
  g_assert_cmpuint (json_object_get_size (vd_revision_get_metadata (bare)), ==, 0);
  g_assert_cmpint (g_date_time_compare (before, vd_revision_get_created_at (bare)), <=, 0);
  g_assert_cmpint (g_date_time_compare (vd_revision_get_created_at (bare), after), <=, 0);
}

static void
test_decision_properties (void)
{
  g_autoptr(VdDecision) decision = NULL;
  g_autoptr(GDateTime) before = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) after = NULL;
  g_autoptr(GDateTime) timestamp = utc (2026, 5, 6, 7, 8, 9);
  g_autofree char *task_id = NULL;
  g_autofree char *reviewer = NULL;
  g_autofree char *hash = NULL;
  VdDecisionKind kind;
  gint64 duration;
  gboolean automatic;
  NotifyLog log;

  decision = vd_decision_new ("payments", "task_0001", VD_DECISION_KIND_MODIFY, "alice");
  after = g_date_time_new_now_utc ();

  g_assert_cmpint (vd_decision_get_id (decision), ==, 0);
  g_assert_cmpstr (vd_decision_get_queue (decision), ==, "payments");
  g_assert_cmpstr (vd_decision_get_task_id (decision), ==, "task_0001");
  g_assert_cmpint (vd_decision_get_kind (decision), ==, VD_DECISION_KIND_MODIFY);
  g_assert_cmpstr (vd_decision_get_reviewer_id (decision), ==, "alice");
  g_assert_cmpstr (vd_decision_get_feedback (decision), ==, "");
  g_assert_cmpstr (vd_decision_get_modified_content (decision), ==, "");
  g_assert_cmpint (vd_decision_get_revision (decision), ==, 0);
  g_assert_cmpint (vd_decision_get_duration_ms (decision), ==, 0);
  g_assert_false (vd_decision_get_automatic (decision));
  g_assert_cmpint (vd_decision_get_audit_seq (decision), ==, 0);
  g_assert_cmpstr (vd_decision_get_audit_hash (decision), ==, "");
  g_assert_cmpstr (vd_decision_get_audit_prev_hash (decision), ==, "");
  g_assert_null (vd_decision_get_final_output (decision));
  g_assert_cmpint (g_date_time_compare (before, vd_decision_get_timestamp (decision)), <=, 0);
  g_assert_cmpint (g_date_time_compare (vd_decision_get_timestamp (decision), after), <=, 0);

  notify_log_init (&log, decision);

  vd_decision_set_id (decision, 3);
  vd_decision_set_id (decision, 3);
  vd_decision_set_queue (decision, "payments");
  vd_decision_set_feedback (decision, "Fix the IBAN");
  vd_decision_set_feedback (decision, "Fix the IBAN");
  vd_decision_set_modified_content (decision, "Wire to DE89…");
  vd_decision_set_timestamp (decision, timestamp);
  vd_decision_set_timestamp (decision, timestamp);
  vd_decision_set_revision (decision, 2);
  vd_decision_set_duration_ms (decision, 4500);
  vd_decision_set_duration_ms (decision, 4500);
  vd_decision_set_automatic (decision, TRUE);
  vd_decision_set_automatic (decision, 2);
  vd_decision_set_audit (decision, 17, "abc", "def");
  vd_decision_set_audit (decision, 17, "abc", "def");

  g_assert_cmpuint (notify_log_count (&log, "id"), ==, 1);
  g_assert_cmpuint (notify_log_count (&log, "queue"), ==, 0);
  g_assert_cmpuint (notify_log_count (&log, "feedback"), ==, 1);
  g_assert_cmpuint (notify_log_count (&log, "modified-content"), ==, 1);
  g_assert_cmpuint (notify_log_count (&log, "timestamp"), ==, 1);
  g_assert_cmpuint (notify_log_count (&log, "revision"), ==, 1);
  g_assert_cmpuint (notify_log_count (&log, "duration-ms"), ==, 1);
  g_assert_cmpuint (notify_log_count (&log, "automatic"), ==, 1);
  g_assert_cmpuint (notify_log_count (&log, "audit-seq"), ==, 1);
  g_assert_cmpuint (notify_log_count (&log, "audit-hash"), ==, 1);
  g_assert_cmpuint (notify_log_count (&log, "audit-prev-hash"), ==, 1);
  g_assert_cmpuint (notify_log_count (&log, "final-output"), ==, 0);
  g_assert_cmpuint (notify_log_total (&log), ==, 10);

  g_assert_cmpint (vd_decision_get_audit_seq (decision), ==, 17);
  g_assert_cmpstr (vd_decision_get_audit_hash (decision), ==, "abc");
  g_assert_cmpstr (vd_decision_get_audit_prev_hash (decision), ==, "def");
  g_assert_true (vd_decision_get_automatic (decision));

  g_object_get (decision,
                "task-id", &task_id,
                "reviewer-id", &reviewer,
                "kind", &kind,
                "duration-ms", &duration,
                "automatic", &automatic,
                "audit-hash", &hash,
                NULL);
  g_assert_cmpstr (task_id, ==, "task_0001");
  g_assert_cmpstr (reviewer, ==, "alice");
  g_assert_cmpint (kind, ==, VD_DECISION_KIND_MODIFY);
  g_assert_cmpint (duration, ==, 4500);
  g_assert_true (automatic);
  g_assert_cmpstr (hash, ==, "abc");

  /* Setting the hash through its property keeps the other audit fields. */
  g_object_set (decision, "audit-hash", "fff", NULL);
  g_assert_cmpint (vd_decision_get_audit_seq (decision), ==, 17);
  g_assert_cmpstr (vd_decision_get_audit_hash (decision), ==, "fff");
  g_assert_cmpstr (vd_decision_get_audit_prev_hash (decision), ==, "def");
  g_assert_cmpuint (notify_log_count (&log, "audit-hash"), ==, 2);
  g_assert_cmpuint (notify_log_count (&log, "audit-prev-hash"), ==, 1);

  notify_log_clear (&log);
}

static void
test_decision_pspecs (void)
{
  g_autoptr(GTypeClass) klass = g_type_class_ref (VD_TYPE_DECISION);
  g_autofree GParamSpec **pspecs = NULL;
  guint n_pspecs;
  GParamSpec *pspec;

  pspecs = g_object_class_list_properties (G_OBJECT_CLASS (klass), &n_pspecs);
  g_assert_cmpuint (n_pspecs, ==, 20);

  pspec = g_object_class_find_property (G_OBJECT_CLASS (klass), "kind");
  g_assert_true (G_PARAM_SPEC_VALUE_TYPE (pspec) == VD_TYPE_DECISION_KIND);
  g_assert_true (pspec->flags & G_PARAM_CONSTRUCT_ONLY);

  pspec = g_object_class_find_property (G_OBJECT_CLASS (klass), "final-output");
  g_assert_true (pspec->flags & G_PARAM_READABLE);
  g_assert_false (pspec->flags & G_PARAM_WRITABLE);

  for (guint i = 0; i < n_pspecs; i++)
    g_assert_true (pspecs[i]->flags & G_PARAM_EXPLICIT_NOTIFY);
}

static void
test_decision_final_output (void)
{
  static const struct {
    VdDecisionKind  kind;
    const char     *modified;
    const char     *content;
    const char     *expected;
  } cases[] = {
    { VD_DECISION_KIND_APPROVE, "", "original", "original" },
    { VD_DECISION_KIND_APPROVE, "ignored", "original", "original" },
    { VD_DECISION_KIND_MODIFY, "changed", "original", "changed" },
    { VD_DECISION_KIND_MODIFY, "", "original", "original" },
    { VD_DECISION_KIND_MODIFY, NULL, "original", "original" },
    { VD_DECISION_KIND_REJECT, "", "original", "" },
    { VD_DECISION_KIND_REJECT, "changed", "original", "" },
    { VD_DECISION_KIND_ESCALATE_FURTHER, "", "original", "original" },
    { VD_DECISION_KIND_ESCALATE_FURTHER, "changed", "original", "original" },
    { VD_DECISION_KIND_APPROVE, "", NULL, "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(VdDecision) decision = vd_decision_new ("q", "t", cases[i].kind, "bob");
      g_autofree char *output = NULL;
      g_autofree char *property = NULL;

      vd_decision_set_modified_content (decision, cases[i].modified);
      output = vd_decision_compute_final_output (decision, cases[i].content);
      g_assert_cmpstr (output, ==, cases[i].expected);
      g_assert_cmpstr (vd_decision_get_final_output (decision), ==, cases[i].expected);
      g_object_get (decision, "final-output", &property, NULL);
      g_assert_cmpstr (property, ==, cases[i].expected);
    }
}

static void
test_decision_final_output_notify (void)
{
  g_autoptr(VdDecision) decision = vd_decision_new ("q", "t", VD_DECISION_KIND_MODIFY, "bob");
  g_autofree char *output = NULL;
  NotifyLog log;

  notify_log_init (&log, decision);

  /* Before the content is known, editing the modified content derives nothing. */
  vd_decision_set_modified_content (decision, "draft");
  g_assert_cmpuint (notify_log_count (&log, "final-output"), ==, 0);
  g_assert_null (vd_decision_get_final_output (decision));

  output = vd_decision_compute_final_output (decision, "original");
  g_assert_cmpstr (output, ==, "draft");
  g_assert_cmpuint (notify_log_count (&log, "final-output"), ==, 1);
  g_clear_pointer (&output, g_free);

  /* Same inputs: no change. */
  output = vd_decision_compute_final_output (decision, "original");
  g_assert_cmpuint (notify_log_count (&log, "final-output"), ==, 1);
  g_clear_pointer (&output, g_free);

  /* The derived output follows the modified content. */
  vd_decision_set_modified_content (decision, "final");
  g_assert_cmpstr (vd_decision_get_final_output (decision), ==, "final");
  g_assert_cmpuint (notify_log_count (&log, "final-output"), ==, 2);
  vd_decision_set_modified_content (decision, "");
  g_assert_cmpstr (vd_decision_get_final_output (decision), ==, "original");
  g_assert_cmpuint (notify_log_count (&log, "final-output"), ==, 3);

  notify_log_clear (&log);
}

static void
test_objects_finalize (void)
{
  VdItem *item = vd_item_new ("q", "t");
  VdItem *copy = vd_item_copy (item);
  VdDecision *decision = vd_decision_new ("q", "t", VD_DECISION_KIND_APPROVE, "x");
  VdRevision *revision = vd_revision_new (0, "c", 0.5, "r", NULL, "f", NULL);

  g_assert_finalize_object (item);
  g_assert_finalize_object (copy);
  g_assert_finalize_object (decision);
  g_assert_finalize_object (revision);
}

/* Identity is (queue, task id), whatever the revision or status. */
static void
test_item_same_task (void)
{
  g_autoptr(VdItem) a = vd_item_new ("payments", "task_0001");
  g_autoptr(VdItem) b = vd_item_new ("payments", "task_0001");
  g_autoptr(VdItem) other_queue = vd_item_new ("chat", "task_0001");
  g_autoptr(VdItem) other_task = vd_item_new ("payments", "task_0002");

  vd_item_set_revision (b, 2);
  vd_item_set_status (b, VD_TASK_STATUS_APPROVED);
  g_assert_true (vd_item_same_task (a, b));
  g_assert_false (vd_item_same_task (a, other_queue));
  g_assert_false (vd_item_same_task (a, other_task));
  g_assert_false (vd_item_same_task (a, NULL));
  g_assert_false (vd_item_same_task (NULL, a));
  g_assert_true (vd_item_same_task (NULL, NULL));
}

/* Whatever an item came from, the store's gate refuses values that cannot
 * be read back or exported. */
static void
test_item_validate (void)
{
  g_autoptr(VdItem) item = vd_item_new ("payments", "t1");
  g_autoptr(JsonObject) metadata = json_object_new ();
  g_autoptr(JsonObject) nested = json_object_new ();
  g_autoptr(GError) error = NULL;

  vd_item_set_content (item, "Refund $80.");
  g_assert_true (vd_item_validate (item, &error));
  g_assert_no_error (error);

  json_object_set_double_member (nested, "amount", INFINITY);
  json_object_set_object_member (metadata, "wire", json_object_ref (nested));
  vd_item_set_metadata (item, metadata);
  g_assert_false (vd_item_validate (item, &error));
  g_assert_error (error, VD_JSON_GUARD_ERROR, VD_JSON_GUARD_ERROR_NOT_FINITE);
  g_assert_cmpstr (error->message, ==,
                   "agent_output.metadata.wire.amount: a number too large to represent "
                   "(such as 1e999)");
  g_clear_error (&error);

  json_object_set_double_member (nested, "amount", 12400.0);
  g_assert_true (vd_item_validate (item, &error));

  vd_item_set_reasoning (item, "bad \xed\xa0\x80 surrogate");
  g_assert_false (vd_item_validate (item, &error));
  g_assert_error (error, VD_JSON_GUARD_ERROR, VD_JSON_GUARD_ERROR_ENCODING);
  g_assert_cmpstr (error->message, ==, "agent_output.reasoning: not valid UTF-8 text");
}

/* Every time writes in the form the reader takes back, early years too
 * (GDateTime's %Y writes the year 34 as "34"). */
static void
test_timestamp_round_trip (void)
{
  static const char * const texts[] = {
    "0034-11-21T08:12:44.516203Z",
    "0001-01-01T00:00:00.000000Z",
    "0999-12-31T23:59:59.999999Z",
    "2026-11-20T09:15:02.123456Z",
    "9999-12-31T23:59:59.000001Z",
  };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(GDateTime) parsed = vd_timestamp_parse (texts[i]);
      g_autofree char *written = NULL;
      g_autoptr(GDateTime) again = NULL;

      g_assert_nonnull (parsed);
      written = vd_timestamp_format (parsed);
      g_assert_cmpstr (written, ==, texts[i]);
      again = vd_timestamp_parse (written);
      g_assert_nonnull (again);
      g_assert_true (g_date_time_equal (parsed, again));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/models/item/defaults", test_item_defaults);
  g_test_add_func ("/models/item/properties", test_item_properties);
  g_test_add_func ("/models/item/pspecs", test_item_pspecs);
  g_test_add_func ("/models/item/source", test_item_source);
  g_test_add_func ("/models/item/notify", test_item_notify);
  g_test_add_func ("/models/item/copy", test_item_copy);
  g_test_add_func ("/models/item/validate", test_item_validate);
  g_test_add_func ("/models/item/same-task", test_item_same_task);
  g_test_add_func ("/models/item/to-json", test_item_to_json);
  g_test_add_func ("/models/item/metadata-json", test_item_metadata_json);
  g_test_add_func ("/models/revision", test_revision);
  g_test_add_func ("/models/decision/properties", test_decision_properties);
  g_test_add_func ("/models/decision/pspecs", test_decision_pspecs);
  g_test_add_func ("/models/decision/final-output", test_decision_final_output);
  g_test_add_func ("/models/decision/final-output-notify", test_decision_final_output_notify);
  g_test_add_func ("/models/finalize", test_objects_finalize);
  g_test_add_func ("/models/timestamp/round-trip", test_timestamp_round_trip);

  return g_test_run ();
}
