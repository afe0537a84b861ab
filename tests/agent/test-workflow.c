/* test-workflow.c: the review loop against a scripted model and a real store
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

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "vd-core.h"
#include "vd-test-util.h"
#include "vd-test-llm-server.h"

#define FEEDBACK "Refund only $30: the shipping fee is not refundable."

typedef struct
{
  char            *dir;
  VdTestLlmServer *server;
  VdLlmClient     *client;
  VdStore         *store;
  VdPolicy        *policy;
  VdWorkflow      *workflow;
  char            *url;
} Fixture;

typedef struct
{
  gboolean           done;
  VdItem            *item;
  GPtrArray         *results;
  VdDecisionSupport *support;
  double             confidence;
  char              *reasoning;
  gboolean           ok;
  GError            *error;
} Result;

static void
result_clear (Result *result)
{
  g_clear_object (&result->item);
  g_clear_pointer (&result->results, g_ptr_array_unref);
  g_clear_pointer (&result->support, vd_decision_support_free);
  g_clear_pointer (&result->reasoning, g_free);
  g_clear_error (&result->error);
  memset (result, 0, sizeof *result);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Result, result_clear)

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db = NULL;

  fixture->dir = vd_test_make_tmp_dir ("workflow");
  db = g_build_filename (fixture->dir, "verdict.db", NULL);
  fixture->store = VD_STORE (vd_sqlite_store_new (db, &error));
  g_assert_no_error (error);

  fixture->server = vd_test_llm_server_new ();
  fixture->url = g_strdup (vd_test_llm_server_get_endpoint (fixture->server));
  fixture->client = vd_llm_client_new (vd_test_llm_server_get_base_url (fixture->server),
                                       "test-model");
  g_object_set (fixture->client, "retry-base-ms", 10, "max-retries", 0, NULL);

  /* The reference's demo policy. */
  fixture->policy = vd_policy_new ();
  vd_policy_set_confidence_threshold (fixture->policy, 0.7);
  vd_policy_add_sensitive_keyword (fixture->policy, "delete");
  vd_policy_add_sensitive_keyword (fixture->policy, "financial");
  vd_policy_add_sensitive_keyword (fixture->policy, "personal");
  vd_policy_add_high_risk_action (fixture->policy, "execute");
  vd_policy_add_high_risk_action (fixture->policy, "deploy");
  vd_policy_add_high_risk_action (fixture->policy, "publish");

  fixture->workflow = vd_workflow_new (fixture->store, fixture->policy, fixture->client);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  vd_test_assert_finalized (fixture->workflow);
  vd_test_assert_finalized (fixture->client);
  vd_test_assert_finalized (fixture->policy);
  vd_test_assert_finalized (fixture->store);
  vd_test_llm_server_free (fixture->server);
  vd_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->url);
}

/* Replies */

static char *
output_json (const char *content,
             double      confidence,
             const char *reasoning)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_string_member (object, "content", content);
  json_object_set_double_member (object, "confidence", confidence);
  json_object_set_string_member (object, "reasoning", reasoning);
  json_object_set_object_member (object, "metadata", json_object_new ());
  json_node_set_object (node, object);

  return json_to_string (node, FALSE);
}

static void
push_output (Fixture    *fixture,
             const char *content,
             double      confidence,
             const char *reasoning)
{
  g_autofree char *json = output_json (content, confidence, reasoning);

  vd_test_llm_server_push (fixture->server, vd_test_reply_new_content (json));
}

static VdTestReply *
output_reply (const char *content,
              double      confidence)
{
  g_autofree char *json = output_json (content, confidence, "");

  return vd_test_reply_new_content (json);
}

/* Calls, waited for */

static void
on_submitted (GObject      *object,
              GAsyncResult *res,
              gpointer      user_data)
{
  Result *result = user_data;

  result->item = vd_workflow_submit_finish (VD_WORKFLOW (object), res, &result->error);
  result->done = TRUE;
}

static void
on_revised (GObject      *object,
            GAsyncResult *res,
            gpointer      user_data)
{
  Result *result = user_data;

  result->item = vd_workflow_revise_finish (VD_WORKFLOW (object), res, &result->error);
  result->done = TRUE;
}

static void
on_revised_all (GObject      *object,
                GAsyncResult *res,
                gpointer      user_data)
{
  Result *result = user_data;

  result->results = vd_workflow_revise_all_finish (VD_WORKFLOW (object), res, &result->error);
  result->done = TRUE;
}

static void
on_second_opinion (GObject      *object,
                   GAsyncResult *res,
                   gpointer      user_data)
{
  Result *result = user_data;

  result->ok = vd_workflow_second_opinion_finish (VD_WORKFLOW (object), res,
                                                  &result->confidence, &result->reasoning,
                                                  &result->error);
  result->done = TRUE;
}

static void
on_assisted (GObject      *object,
             GAsyncResult *res,
             gpointer      user_data)
{
  Result *result = user_data;

  result->support = vd_workflow_assist_finish (VD_WORKFLOW (object), res, &result->error);
  result->done = TRUE;
}

static void
submit (Fixture    *fixture,
        const char *queue,
        const char *task_id,
        Result     *result)
{
  vd_workflow_submit_async (fixture->workflow, queue, task_id,
                            "Refund order 1182: the customer returned the boots.", "payment",
                            "Customer tier: silver.", NULL, on_submitted, result);
  vd_test_wait_for (&result->done, 10000);
}

static void
revise (Fixture    *fixture,
        const char *queue,
        const char *task_id,
        Result     *result)
{
  vd_workflow_revise_async (fixture->workflow, queue, task_id, NULL, on_revised, result);
  vd_test_wait_for (&result->done, 10000);
}

/* Store helpers */

/* An item queued for review at revision 0, as an import would leave it. */
static void
add_item (Fixture    *fixture,
          const char *queue,
          const char *task_id,
          const char *content)
{
  g_autoptr(VdItem) item = vd_item_new (queue, task_id);
  g_autoptr(GPtrArray) items = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  VdImportResult result = { 0 };

  vd_item_set_task_description (item, "Refund order 1182: the customer returned the boots.");
  vd_item_set_task_type (item, "payment");
  vd_item_set_content (item, content);
  vd_item_set_confidence (item, 0.5);
  vd_item_set_reasoning (item, "The receipt is blurry.");
  vd_item_set_escalation_reason (item, VD_ESCALATION_REASON_LOW_CONFIDENCE);
  g_ptr_array_add (items, item);
  g_assert_true (vd_store_import_items (fixture->store, "test", items, &result, NULL, NULL,
                                        NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.imported, ==, 1);
}

static VdDecision *
decide (Fixture        *fixture,
        const char     *queue,
        const char     *task_id,
        VdDecisionKind  kind,
        const char     *feedback)
{
  g_autoptr(VdItem) item = vd_store_get_item (fixture->store, queue, task_id, NULL);
  g_autoptr(VdDecision) decision = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (item);
  decision = vd_decision_new (queue, task_id, kind, "alice");
  vd_decision_set_revision (decision, vd_item_get_revision (item));
  vd_decision_set_feedback (decision, feedback);
  g_assert_true (vd_store_record_decision (fixture->store, decision, &error));
  g_assert_no_error (error);

  return g_steal_pointer (&decision);
}

static void
add_rejected (Fixture    *fixture,
              const char *queue,
              const char *task_id)
{
  g_autoptr(VdDecision) decision = NULL;

  add_item (fixture, queue, task_id, "Refund $40 to the card on file.");
  decision = decide (fixture, queue, task_id, VD_DECISION_KIND_REJECT, FEEDBACK);
}

static VdItem *
get_item (Fixture    *fixture,
          const char *queue,
          const char *task_id)
{
  g_autoptr(GError) error = NULL;
  VdItem *item = vd_store_get_item (fixture->store, queue, task_id, &error);

  g_assert_no_error (error);
  return item;
}

/* The audit trail's "actor:event_type" from @from_seq on, comma separated. */
static char *
dup_trail (Fixture *fixture,
           gint64   from_seq)
{
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GError) error = NULL;

  events = vd_store_list_audit (fixture->store, from_seq, 0, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < events->len; i++)
    {
      VdAuditEvent *event = g_ptr_array_index (events, i);

      g_string_append_printf (out, "%s%s:%s", i > 0 ? "," : "",
                              vd_audit_event_get_actor (event),
                              vd_audit_event_get_event_type (event));
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static gint64
audit_head (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = NULL;
  gint64 seq = 0;

  g_assert_true (vd_store_get_audit_head (fixture->store, &seq, &hash, &error));
  g_assert_no_error (error);
  return seq;
}

static VdAuditEvent *
last_event (Fixture *fixture)
{
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;

  events = vd_store_list_audit (fixture->store, audit_head (fixture), 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 1);
  return g_object_ref (g_ptr_array_index (events, 0));
}

static void
assert_trail_verifies (Fixture *fixture,
                       guint64  n_events)
{
  g_autoptr(GError) error = NULL;
  guint64 n_checked = 0;
  gint64 bad_seq = -1;

  g_assert_true (vd_store_verify_audit (fixture->store, &bad_seq, &n_checked, &error));
  g_assert_no_error (error);
  /* @n_events after the new store's signing_started event. */
  g_assert_cmpuint (n_checked, ==, n_events + 1);
}

/* The user message of request @index. */
static char *
dup_user_prompt (Fixture *fixture,
                 guint    index)
{
  g_autoptr(JsonObject) body = vd_test_llm_server_dup_body (fixture->server, index);
  JsonArray *messages;

  g_assert_nonnull (body);
  messages = json_object_get_array_member (body, "messages");
  g_assert_cmpuint (json_array_get_length (messages), ==, 2);
  return g_strdup (json_object_get_string_member (json_array_get_object_element (messages, 1),
                                                  "content"));
}

/* Runs the main context until the server has seen @n requests. The server
 * lives in another thread: poll, since nothing may wake this one. */
static void
wait_for_requests (Fixture *fixture,
                   guint    n)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (vd_test_llm_server_get_n_requests (fixture->server) < n)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
}

/* Signals */

typedef struct
{
  GString *log;
  GString *deltas;
} Signals;

static void
on_task_started (VdWorkflow *workflow,
                 const char *queue,
                 const char *task_id,
                 Signals    *signals)
{
  g_string_append_printf (signals->log, "started %s/%s;", queue, task_id);
}

static void
on_output_delta (VdWorkflow *workflow,
                 const char *queue,
                 const char *task_id,
                 const char *delta,
                 Signals    *signals)
{
  g_string_append (signals->deltas, delta);
}

static void
on_item_stored (VdWorkflow *workflow,
                VdItem     *item,
                Signals    *signals)
{
  g_string_append_printf (signals->log, "stored %s/%s r%d %s;", vd_item_get_queue (item),
                          vd_item_get_task_id (item), vd_item_get_revision (item),
                          vd_task_status_to_string (vd_item_get_status (item)));
}

static void
on_revision_started (VdWorkflow *workflow,
                     const char *queue,
                     const char *task_id,
                     Signals    *signals)
{
  g_assert_true (vd_workflow_is_revising (workflow, queue, task_id));
  g_string_append_printf (signals->log, "revising %s/%s;", queue, task_id);
}

static void
on_revision_finished (VdWorkflow   *workflow,
                      const char   *queue,
                      const char   *task_id,
                      const GError *error,
                      Signals      *signals)
{
  g_string_append_printf (signals->log, "revised %s/%s %s;", queue, task_id,
                          error != NULL ? "failed" : "ok");
}

static void
signals_connect (Fixture *fixture,
                 Signals *signals)
{
  signals->log = g_string_new (NULL);
  signals->deltas = g_string_new (NULL);
  g_signal_connect (fixture->workflow, "task-started", G_CALLBACK (on_task_started), signals);
  g_signal_connect (fixture->workflow, "item-stored", G_CALLBACK (on_item_stored), signals);
  g_signal_connect (fixture->workflow, "revision-started",
                    G_CALLBACK (on_revision_started), signals);
  g_signal_connect (fixture->workflow, "revision-finished",
                    G_CALLBACK (on_revision_finished), signals);
}

static void
signals_disconnect (Fixture *fixture,
                    Signals *signals)
{
  g_signal_handlers_disconnect_by_data (fixture->workflow, signals);
  g_string_free (signals->log, TRUE);
  g_string_free (signals->deltas, TRUE);
}

/* Tests */

/* Input -> agent -> policy -> queue -> reject -> revise -> auto-approve. */
static void
test_loop (Fixture       *fixture,
           gconstpointer  data)
{
  g_auto(Result) first = { 0 };
  g_auto(Result) second = { 0 };
  g_autoptr(VdDecision) reject = NULL;
  g_autoptr(VdItem) stored = NULL;
  g_autoptr(GPtrArray) revisions = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *trail = NULL;
  g_autofree char *prompt = NULL;
  VdRevision *old;
  VdStats stats;
  Signals signals;

  signals_connect (fixture, &signals);

  push_output (fixture, "Refund $40 to the card on file.", 0.55, "The receipt is blurry.");
  submit (fixture, "payments", NULL, &first);
  g_assert_no_error (first.error);
  g_assert_cmpstr (vd_item_get_queue (first.item), ==, "payments");
  g_assert_cmpstr (vd_item_get_task_id (first.item), ==, "task_0001");
  g_assert_cmpint (vd_item_get_revision (first.item), ==, 0);
  g_assert_cmpint (vd_item_get_status (first.item), ==, VD_TASK_STATUS_PENDING);
  g_assert_cmpint (vd_item_get_escalation_reason (first.item), ==,
                   VD_ESCALATION_REASON_LOW_CONFIDENCE);
  g_assert_cmpstr (vd_item_get_content (first.item), ==, "Refund $40 to the card on file.");
  g_assert_cmpfloat (vd_item_get_confidence (first.item), ==, 0.55);
  g_assert_cmpstr (vd_item_get_reasoning (first.item), ==, "The receipt is blurry.");
  g_assert_cmpstr (vd_item_get_task_type (first.item), ==, "payment");
  g_assert_cmpstr (vd_item_get_context (first.item), ==, "Customer tier: silver.");
  g_assert_cmpstr (vd_item_get_escalation_detail (first.item), !=, "");
  g_assert_cmpint (vd_item_get_id (first.item), >, 0);

  /* The reviewer rejects it with feedback: awaiting revision. */
  reject = decide (fixture, "payments", "task_0001", VD_DECISION_KIND_REJECT, FEEDBACK);
  /* The decision is stamped with the model and prompts that wrote the
   * output. */
  g_assert_cmpstr (vd_decision_get_model (reject), ==, "test-model");
  g_assert_true (g_str_has_prefix (vd_decision_get_prompt_version (reject), "task-"));
  stored = get_item (fixture, "payments", "task_0001");
  g_assert_cmpint (vd_item_get_status (stored), ==, VD_TASK_STATUS_REJECTED);
  g_clear_object (&stored);

  push_output (fixture, "Refund $30 to the card on file; keep the $10 shipping fee.", 0.93,
               "Followed the reviewer: shipping is not refundable.");
  revise (fixture, "payments", "task_0001", &second);
  g_assert_no_error (second.error);
  g_assert_cmpint (vd_item_get_revision (second.item), ==, 1);
  g_assert_cmpint (vd_item_get_status (second.item), ==, VD_TASK_STATUS_APPROVED);
  g_assert_cmpint (vd_item_get_escalation_reason (second.item), ==, VD_ESCALATION_REASON_NONE);
  g_assert_cmpstr (vd_item_get_content (second.item), ==,
                   "Refund $30 to the card on file; keep the $10 shipping fee.");
  g_assert_cmpfloat (vd_item_get_confidence (second.item), ==, 0.93);
  g_assert_cmpint (vd_item_get_id (second.item), ==, vd_item_get_id (first.item));
  g_assert_false (vd_workflow_is_revising (fixture->workflow, "payments", "task_0001"));

  /* The reviser saw the task, the rejected output and the feedback. */
  prompt = dup_user_prompt (fixture, 1);
  g_assert_nonnull (strstr (prompt, "Refund order 1182: the customer returned the boots."));
  g_assert_nonnull (strstr (prompt, "Your previous output:\nRefund $40 to the card on file."));
  g_assert_nonnull (strstr (prompt, "Your previous confidence: 0.55"));
  g_assert_nonnull (strstr (prompt, "The reviewer's feedback:\n" FEEDBACK));

  /* Revision 0 is kept with the feedback that caused revision 1. */
  revisions = vd_store_list_revisions (fixture->store, vd_item_get_id (second.item), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (revisions->len, ==, 1);
  old = g_ptr_array_index (revisions, 0);
  g_assert_cmpint (vd_revision_get_revision (old), ==, 0);
  g_assert_cmpstr (vd_revision_get_content (old), ==, "Refund $40 to the card on file.");
  g_assert_cmpfloat (vd_revision_get_confidence (old), ==, 0.55);
  g_assert_cmpstr (vd_revision_get_feedback (old), ==, FEEDBACK);

  trail = dup_trail (fixture, 2);
  g_assert_cmpstr (trail, ==,
                   "system:enqueue,system:import,alice:decision,"
                   "system:revision,policy:auto_approve,system:import");
  assert_trail_verifies (fixture, 6);

  g_assert_true (vd_store_get_stats (fixture->store, NULL, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.total_tasks, ==, 1);
  g_assert_cmpuint (stats.human_rejected, ==, 1);

  g_assert_cmpstr (signals.log->str, ==,
                   "started payments/task_0001;stored payments/task_0001 r0 pending;"
                   "revising payments/task_0001;stored payments/task_0001 r1 approved;"
                   "revised payments/task_0001 ok;");
  g_assert_cmpuint (vd_workflow_get_n_running (fixture->workflow), ==, 0);
  g_assert_false (vd_workflow_get_unreachable (fixture->workflow));
  signals_disconnect (fixture, &signals);
}

/* A revision that the policy escalates goes back to the queue with its
 * history; rejected again, it is revised again. */
static void
test_revision_queued (Fixture       *fixture,
                      gconstpointer  data)
{
  g_auto(Result) first = { 0 };
  g_auto(Result) second = { 0 };
  g_auto(Result) third = { 0 };
  g_autoptr(VdDecision) reject1 = NULL;
  g_autoptr(VdDecision) reject2 = NULL;
  g_autoptr(GPtrArray) revisions = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *trail = NULL;

  push_output (fixture, "Deploy the release to production now.", 0.95, "All checks pass.");
  submit (fixture, "deploys", "pr_1884", &first);
  g_assert_no_error (first.error);
  g_assert_cmpstr (vd_item_get_task_id (first.item), ==, "pr_1884");
  g_assert_cmpint (vd_item_get_escalation_reason (first.item), ==,
                   VD_ESCALATION_REASON_HIGH_RISK_ACTION);

  reject1 = decide (fixture, "deploys", "pr_1884", VD_DECISION_KIND_REJECT,
                    "Summarise the risks instead of acting.");
  push_output (fixture, "Risks: the personal data migration is irreversible.", 0.9, "");
  revise (fixture, "deploys", "pr_1884", &second);
  g_assert_no_error (second.error);
  g_assert_cmpint (vd_item_get_revision (second.item), ==, 1);
  g_assert_cmpint (vd_item_get_status (second.item), ==, VD_TASK_STATUS_PENDING);
  g_assert_cmpint (vd_item_get_escalation_reason (second.item), ==,
                   VD_ESCALATION_REASON_SENSITIVE_CONTENT);

  reject2 = decide (fixture, "deploys", "pr_1884", VD_DECISION_KIND_REJECT,
                    "Name the tables.");
  push_output (fixture, "Risks: the invoices table migration is irreversible.", 0.9, "");
  revise (fixture, NULL, "pr_1884", &third);
  g_assert_no_error (third.error);
  g_assert_cmpint (vd_item_get_revision (third.item), ==, 2);
  g_assert_cmpint (vd_item_get_status (third.item), ==, VD_TASK_STATUS_APPROVED);

  revisions = vd_store_list_revisions (fixture->store, vd_item_get_id (third.item), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (revisions->len, ==, 2);
  g_assert_cmpstr (vd_revision_get_feedback (g_ptr_array_index (revisions, 0)), ==,
                   "Summarise the risks instead of acting.");
  g_assert_cmpstr (vd_revision_get_feedback (g_ptr_array_index (revisions, 1)), ==,
                   "Name the tables.");

  trail = dup_trail (fixture, 2);
  g_assert_cmpstr (trail, ==,
                   "system:enqueue,system:import,alice:decision,"
                   "system:revision,system:import,alice:decision,"
                   "system:revision,policy:auto_approve,system:import");
  assert_trail_verifies (fixture, 9);
}

/* The task agent fails after the retries: queued as error_occurred. */
static void
test_agent_failure (Fixture       *fixture,
                    gconstpointer  data)
{
  g_auto(Result) result = { 0 };
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(JsonObject) payload = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *trail = NULL;

  g_object_set (fixture->client, "max-retries", 1, NULL);
  vd_test_llm_server_push (fixture->server,
                           vd_test_reply_new_raw (500, "application/json",
                                                  "{\"error\": {\"message\": \"overloaded\"}}"));
  vd_test_llm_server_push (fixture->server,
                           vd_test_reply_new_raw (500, "application/json",
                                                  "{\"error\": {\"message\": \"overloaded\"}}"));
  submit (fixture, "payments", NULL, &result);

  g_assert_no_error (result.error);
  g_assert_cmpuint (vd_test_llm_server_get_n_requests (fixture->server), ==, 2);
  expected = g_strdup_printf ("%s: server error (HTTP 500 Internal Server Error): overloaded "
                              "(after 2 attempts)",
                              fixture->url);
  g_assert_cmpstr (vd_item_get_task_id (result.item), ==, "task_0001");
  g_assert_cmpint (vd_item_get_escalation_reason (result.item), ==,
                   VD_ESCALATION_REASON_ERROR_OCCURRED);
  g_assert_cmpstr (vd_item_get_escalation_detail (result.item), ==, expected);
  g_assert_cmpint (vd_item_get_status (result.item), ==, VD_TASK_STATUS_PENDING);
  g_assert_cmpstr (vd_item_get_content (result.item), ==, "");
  g_assert_cmpfloat (vd_item_get_confidence (result.item), ==, 0.0);
  g_assert_cmpstr (vd_item_get_task_description (result.item), ==,
                   "Refund order 1182: the customer returned the boots.");

  trail = dup_trail (fixture, 2);
  g_assert_cmpstr (trail, ==, "system:enqueue,system:import");
  events = vd_store_list_audit (fixture->store, 2, 1, NULL);
  payload = vd_audit_event_dup_payload (g_ptr_array_index (events, 0));
  g_assert_cmpstr (json_object_get_string_member (payload, "reason"), ==, "error_occurred");
  g_assert_cmpstr (json_object_get_string_member (payload, "detail"), ==, expected);
  assert_trail_verifies (fixture, 2);
}

/* A bad answer ("high" for a confidence) is an agent failure too. */
static void
test_agent_bad_answer (Fixture       *fixture,
                       gconstpointer  data)
{
  g_auto(Result) result = { 0 };
  g_autofree char *expected = NULL;

  vd_test_llm_server_push (fixture->server,
                           vd_test_reply_new_content ("{\"content\": \"Refund $40.\", "
                                                      "\"confidence\": \"high\"}"));
  submit (fixture, "payments", "task_0042", &result);

  g_assert_no_error (result.error);
  expected = g_strdup_printf ("%s: task agent answer: confidence: expected a number from 0 "
                              "to 1, found \"high\"", fixture->url);
  g_assert_cmpstr (vd_item_get_task_id (result.item), ==, "task_0042");
  g_assert_cmpint (vd_item_get_escalation_reason (result.item), ==,
                   VD_ESCALATION_REASON_ERROR_OCCURRED);
  g_assert_cmpstr (vd_item_get_escalation_detail (result.item), ==, expected);
  g_assert_cmpstr (vd_item_get_content (result.item), ==, "");
}

/* No endpoint: nothing runs, nothing changes, the reject waits. */
static void
test_offline (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(VdWorkflow) offline = vd_workflow_new (fixture->store, NULL, NULL);
  g_auto(Result) submitted = { 0 };
  g_auto(Result) revised = { 0 };
  g_auto(Result) all = { 0 };
  g_auto(Result) opinion = { 0 };
  g_autoptr(VdItem) item = NULL;
  gint64 head;

  add_rejected (fixture, "payments", "task_0001");
  head = audit_head (fixture);
  g_assert_null (vd_workflow_get_client (offline));

  vd_workflow_submit_async (offline, "payments", NULL, "Refund order 7", NULL, NULL, NULL,
                            on_submitted, &submitted);
  vd_test_wait_for (&submitted.done, 5000);
  g_assert_error (submitted.error, VD_WORKFLOW_ERROR, VD_WORKFLOW_ERROR_OFFLINE);
  g_assert_cmpstr (submitted.error->message, ==,
                   "No model endpoint is configured: the task was not run");

  vd_workflow_revise_async (offline, NULL, "task_0001", NULL, on_revised, &revised);
  vd_test_wait_for (&revised.done, 5000);
  g_assert_error (revised.error, VD_WORKFLOW_ERROR, VD_WORKFLOW_ERROR_OFFLINE);
  g_assert_cmpstr (revised.error->message, ==,
                   "No model endpoint is configured: task task_0001 stays awaiting revision "
                   "until one is");

  vd_workflow_revise_all_async (offline, NULL, NULL, on_revised_all, &all);
  vd_test_wait_for (&all.done, 5000);
  g_assert_error (all.error, VD_WORKFLOW_ERROR, VD_WORKFLOW_ERROR_OFFLINE);

  item = get_item (fixture, "payments", "task_0001");
  vd_workflow_second_opinion_async (offline, item, NULL, on_second_opinion, &opinion);
  vd_test_wait_for (&opinion.done, 5000);
  g_assert_error (opinion.error, VD_WORKFLOW_ERROR, VD_WORKFLOW_ERROR_OFFLINE);
  g_clear_object (&item);

  item = get_item (fixture, "payments", "task_0001");
  g_assert_cmpint (vd_item_get_status (item), ==, VD_TASK_STATUS_REJECTED);
  g_assert_cmpint (vd_item_get_revision (item), ==, 0);
  g_assert_cmpint (audit_head (fixture), ==, head);
  g_assert_cmpuint (vd_test_llm_server_get_n_requests (fixture->server), ==, 0);

  /* Once an endpoint is configured, the waiting revision runs. */
  vd_workflow_set_client (offline, fixture->client);
  push_output (fixture, "Refund $30.", 0.9, "");
  result_clear (&revised);
  vd_workflow_revise_async (offline, NULL, "task_0001", NULL, on_revised, &revised);
  vd_test_wait_for (&revised.done, 5000);
  g_assert_no_error (revised.error);
  g_assert_cmpint (vd_item_get_revision (revised.item), ==, 1);
  g_assert_cmpint (vd_item_get_status (revised.item), ==, VD_TASK_STATUS_APPROVED);
  vd_workflow_set_client (offline, NULL);
  vd_test_assert_finalized (g_steal_pointer (&offline));
}

/* The reviser fails: still rejected, and the trail says why. */
static void
test_revise_failure (Fixture       *fixture,
                     gconstpointer  data)
{
  g_auto(Result) result = { 0 };
  g_autoptr(VdItem) item = NULL;
  g_autoptr(VdAuditEvent) event = NULL;
  g_autoptr(JsonObject) payload = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *trail = NULL;
  Signals signals;

  add_rejected (fixture, "payments", "task_0001");
  signals_connect (fixture, &signals);

  vd_test_llm_server_push (fixture->server,
                           vd_test_reply_new_content ("I cannot help with refunds."));
  revise (fixture, "payments", "task_0001", &result);

  expected = g_strdup_printf ("%s: the answer holds no JSON object: “I cannot help with "
                              "refunds.”", fixture->url);
  g_assert_error (result.error, VD_LLM_ERROR, VD_LLM_ERROR_BAD_RESPONSE);
  g_assert_cmpstr (result.error->message, ==, expected);
  g_assert_null (result.item);

  item = get_item (fixture, "payments", "task_0001");
  g_assert_cmpint (vd_item_get_status (item), ==, VD_TASK_STATUS_REJECTED);
  g_assert_cmpint (vd_item_get_revision (item), ==, 0);
  g_assert_cmpstr (vd_item_get_content (item), ==, "Refund $40 to the card on file.");

  trail = dup_trail (fixture, 2);
  g_assert_cmpstr (trail, ==, "system:enqueue,system:import,alice:decision,agent:agent_error");
  event = last_event (fixture);
  g_assert_cmpstr (vd_audit_event_get_queue (event), ==, "payments");
  g_assert_cmpstr (vd_audit_event_get_task_id (event), ==, "task_0001");
  payload = vd_audit_event_dup_payload (event);
  g_assert_cmpstr (json_object_get_string_member (payload, "operation"), ==, "revise");
  g_assert_cmpint (json_object_get_int_member (payload, "revision"), ==, 0);
  g_assert_cmpstr (json_object_get_string_member (payload, "error"), ==, "bad_response");
  g_assert_cmpstr (json_object_get_string_member (payload, "message"), ==, expected);
  g_assert_cmpstr (json_object_get_string_member (payload, "model"), ==, "test-model");
  assert_trail_verifies (fixture, 4);

  g_assert_cmpstr (signals.log->str, ==,
                   "revising payments/task_0001;revised payments/task_0001 failed;");
  g_assert_false (vd_workflow_is_revising (fixture->workflow, "payments", "task_0001"));
  signals_disconnect (fixture, &signals);

  /* Nothing lost: a later attempt works. */
  result_clear (&result);
  push_output (fixture, "Refund $30.", 0.9, "");
  revise (fixture, "payments", "task_0001", &result);
  g_assert_no_error (result.error);
  g_assert_cmpint (vd_item_get_revision (result.item), ==, 1);
}

/* Only rejected items are revised. */
static void
test_revise_not_rejected (Fixture       *fixture,
                          gconstpointer  data)
{
  g_auto(Result) pending = { 0 };
  g_auto(Result) approved = { 0 };
  g_auto(Result) unknown = { 0 };
  g_autoptr(VdDecision) decision = NULL;

  add_item (fixture, "payments", "task_0001", "Refund $40.");
  revise (fixture, "payments", "task_0001", &pending);
  g_assert_error (pending.error, VD_WORKFLOW_ERROR, VD_WORKFLOW_ERROR_NOT_AWAITING_REVISION);
  g_assert_cmpstr (pending.error->message, ==,
                   "Task task_0001 in queue payments is pending, not awaiting revision: only a "
                   "rejected item is revised");

  add_item (fixture, "payments", "task_0002", "Refund $40.");
  decision = decide (fixture, "payments", "task_0002", VD_DECISION_KIND_APPROVE, "");
  revise (fixture, "payments", "task_0002", &approved);
  g_assert_error (approved.error, VD_WORKFLOW_ERROR, VD_WORKFLOW_ERROR_NOT_AWAITING_REVISION);

  revise (fixture, "payments", "task_9999", &unknown);
  g_assert_error (unknown.error, VD_STORE_ERROR, VD_STORE_ERROR_NOT_FOUND);

  g_assert_cmpuint (vd_test_llm_server_get_n_requests (fixture->server), ==, 0);
}

/* A reject retracted while the agent works: the new output is dropped. */
static void
test_revise_changed (Fixture       *fixture,
                     gconstpointer  data)
{
  g_auto(Result) result = { 0 };
  g_autoptr(VdDecision) reject = NULL;
  g_autoptr(VdItem) item = NULL;
  g_autoptr(GError) error = NULL;
  VdTestReply *reply;

  add_item (fixture, "payments", "task_0001", "Refund $40.");
  reject = decide (fixture, "payments", "task_0001", VD_DECISION_KIND_REJECT, FEEDBACK);

  reply = output_reply ("Refund $30.", 0.9);
  vd_test_reply_set_delay (reply, 300);
  vd_test_llm_server_push (fixture->server, reply);
  vd_workflow_revise_async (fixture->workflow, "payments", "task_0001", NULL, on_revised,
                            &result);

  wait_for_requests (fixture, 1);
  g_assert_true (vd_store_retract_decision (fixture->store, vd_decision_get_id (reject),
                                            "alice", "Clicked the wrong button", &error));
  g_assert_no_error (error);

  vd_test_wait_for (&result.done, 10000);
  g_assert_error (result.error, VD_WORKFLOW_ERROR, VD_WORKFLOW_ERROR_CHANGED);
  g_assert_cmpstr (result.error->message, ==,
                   "Task task_0001 in queue payments changed while the agent revised it (now "
                   "revision 0, pending): the new output was dropped");

  item = get_item (fixture, "payments", "task_0001");
  g_assert_cmpint (vd_item_get_revision (item), ==, 0);
  g_assert_cmpint (vd_item_get_status (item), ==, VD_TASK_STATUS_PENDING);
  g_assert_cmpstr (vd_item_get_content (item), ==, "Refund $40.");
}

/* Two revisions of one item at once: the second is refused. */
static void
test_revise_busy (Fixture       *fixture,
                  gconstpointer  data)
{
  g_auto(Result) first = { 0 };
  g_auto(Result) second = { 0 };
  VdTestReply *reply;

  add_rejected (fixture, "payments", "task_0001");
  reply = output_reply ("Refund $30.", 0.9);
  vd_test_reply_set_delay (reply, 200);
  vd_test_llm_server_push (fixture->server, reply);

  vd_workflow_revise_async (fixture->workflow, "payments", "task_0001", NULL, on_revised,
                            &first);
  wait_for_requests (fixture, 1);
  g_assert_true (vd_workflow_is_revising (fixture->workflow, "payments", "task_0001"));
  vd_workflow_revise_async (fixture->workflow, "payments", "task_0001", NULL, on_revised,
                            &second);
  vd_test_wait_for (&second.done, 10000);
  vd_test_wait_for (&first.done, 10000);

  g_assert_no_error (first.error);
  g_assert_cmpint (vd_item_get_revision (first.item), ==, 1);
  g_assert_error (second.error, VD_WORKFLOW_ERROR, VD_WORKFLOW_ERROR_BUSY);
  g_assert_cmpstr (second.error->message, ==,
                   "The agent is already revising task task_0001 in queue payments");
  g_assert_cmpuint (vd_test_llm_server_get_n_requests (fixture->server), ==, 1);
}

typedef struct
{
  Result  result;
  guint  *n_done;
} Numbered;

static void
on_numbered (GObject      *object,
             GAsyncResult *res,
             gpointer      user_data)
{
  Numbered *numbered = user_data;

  on_submitted (object, res, &numbered->result);
  (*numbered->n_done)++;
}

/* Generated ids follow the order of submission, after the highest stored
 * one of the queue; given ids are kept and checked. */
static void
test_task_ids (Fixture       *fixture,
               gconstpointer  data)
{
  Numbered numbered[4] = { { { 0 }, NULL }, };
  g_auto(Result) given = { 0 };
  g_auto(Result) after = { 0 };
  g_auto(Result) taken = { 0 };
  g_auto(Result) fresh = { 0 };
  guint n_done = 0;
  guint n_requests;
  VdTestReply *reply;

  add_item (fixture, "ops", "task_0007", "Restart the worker.");
  add_item (fixture, "ops", "task_07b", "Restart the worker.");
  add_item (fixture, "ops", "misc", "Restart the worker.");
  add_item (fixture, "elsewhere", "task_0100", "Restart the worker.");

  /* Replies arrive late and in any order: ids do not depend on them. */
  reply = output_reply ("Restart the worker.", 0.95);
  vd_test_reply_set_delay (reply, 50);
  vd_test_llm_server_set_default (fixture->server, reply);

  for (guint i = 0; i < G_N_ELEMENTS (numbered); i++)
    {
      numbered[i].n_done = &n_done;
      vd_workflow_submit_async (fixture->workflow, "ops", NULL, "Restart the worker", "ops",
                                NULL, NULL, on_numbered, &numbered[i]);
    }
  while (n_done < G_N_ELEMENTS (numbered))
    g_main_context_iteration (NULL, TRUE);

  for (guint i = 0; i < G_N_ELEMENTS (numbered); i++)
    {
      g_autofree char *expected = g_strdup_printf ("task_%04u", 8 + i);

      g_assert_no_error (numbered[i].result.error);
      g_assert_cmpstr (vd_item_get_task_id (numbered[i].result.item), ==, expected);
      g_assert_cmpint (vd_item_get_status (numbered[i].result.item), ==,
                       VD_TASK_STATUS_APPROVED);
      result_clear (&numbered[i].result);
    }

  /* A given id is taken as it is, and generated ids go past it. */
  submit (fixture, "ops", "task_0020", &given);
  g_assert_no_error (given.error);
  g_assert_cmpstr (vd_item_get_task_id (given.item), ==, "task_0020");
  submit (fixture, "ops", NULL, &after);
  g_assert_no_error (after.error);
  g_assert_cmpstr (vd_item_get_task_id (after.item), ==, "task_0021");

  /* A taken id is refused before the agent runs. */
  n_requests = vd_test_llm_server_get_n_requests (fixture->server);
  submit (fixture, "ops", "task_0007", &taken);
  g_assert_error (taken.error, VD_WORKFLOW_ERROR, VD_WORKFLOW_ERROR_EXISTS);
  g_assert_cmpstr (taken.error->message, ==,
                   "Task task_0007 already exists in queue ops: give the input another task "
                   "id, or none to have one generated");
  g_assert_cmpuint (vd_test_llm_server_get_n_requests (fixture->server), ==, n_requests);

  /* Each queue counts on its own. */
  submit (fixture, "fresh", NULL, &fresh);
  g_assert_no_error (fresh.error);
  g_assert_cmpstr (vd_item_get_task_id (fresh.item), ==, "task_0001");
}

/* The output streams in as "output-delta" while someone listens. */
static void
test_streaming (Fixture       *fixture,
                gconstpointer  data)
{
  const char *deltas[] = { "{\"content\": \"Refund ", "$40 to the card.\", ",
                           "\"confidence\": 0.8, \"reasoning\": \"ok\", ",
                           "\"metadata\": {\"amount\": 40}}", NULL };
  g_auto(Result) result = { 0 };
  g_autoptr(JsonObject) body = NULL;
  Signals signals;

  signals_connect (fixture, &signals);
  g_signal_connect (fixture->workflow, "output-delta", G_CALLBACK (on_output_delta), &signals);
  vd_test_llm_server_push (fixture->server, vd_test_reply_new_stream (deltas));
  submit (fixture, "payments", NULL, &result);

  g_assert_no_error (result.error);
  g_assert_cmpstr (signals.deltas->str, ==,
                   "{\"content\": \"Refund $40 to the card.\", \"confidence\": 0.8, "
                   "\"reasoning\": \"ok\", \"metadata\": {\"amount\": 40}}");
  g_assert_cmpstr (vd_item_get_content (result.item), ==, "Refund $40 to the card.");
  g_assert_cmpint (json_object_get_int_member (vd_item_get_metadata (result.item), "amount"),
                   ==, 40);
  g_assert_cmpint (vd_item_get_status (result.item), ==, VD_TASK_STATUS_APPROVED);
  body = vd_test_llm_server_dup_body (fixture->server, 0);
  g_assert_true (json_object_get_boolean_member (body, "stream"));
  signals_disconnect (fixture, &signals);

  /* Without a listener, no stream is asked for. */
  result_clear (&result);
  g_clear_pointer (&body, json_object_unref);
  push_output (fixture, "Refund $12.", 0.9, "");
  submit (fixture, "payments", NULL, &result);
  g_assert_no_error (result.error);
  body = vd_test_llm_server_dup_body (fixture->server, 1);
  g_assert_false (json_object_get_boolean_member_with_default (body, "stream", FALSE));
}

static void
test_second_opinion (Fixture       *fixture,
                     gconstpointer  data)
{
  g_auto(Result) result = { 0 };
  g_auto(Result) failed = { 0 };
  g_autoptr(VdItem) item = NULL;
  g_autoptr(VdAuditEvent) event = NULL;
  g_autoptr(JsonObject) payload = NULL;
  g_autofree char *prompt = NULL;
  g_autofree char *trail = NULL;
  g_autofree char *expected = NULL;

  add_item (fixture, "payments", "task_0001", "Refund $40 to the card on file.");
  item = get_item (fixture, "payments", "task_0001");

  vd_test_llm_server_push (fixture->server,
                           vd_test_reply_new_content ("{\"confidence\": 0.35, \"reasoning\": "
                                                      "\"The amount is not checked against "
                                                      "the order.\"}"));
  vd_workflow_second_opinion_async (fixture->workflow, item, NULL, on_second_opinion, &result);
  vd_test_wait_for (&result.done, 10000);

  g_assert_no_error (result.error);
  g_assert_true (result.ok);
  g_assert_cmpfloat (result.confidence, ==, 0.35);
  g_assert_cmpstr (result.reasoning, ==, "The amount is not checked against the order.");

  prompt = dup_user_prompt (fixture, 0);
  g_assert_nonnull (strstr (prompt, "The agent's response:\nRefund $40 to the card on file."));
  g_assert_nonnull (strstr (prompt, "Task:\nRefund order 1182"));

  event = last_event (fixture);
  g_assert_cmpstr (vd_audit_event_get_actor (event), ==, "agent");
  g_assert_cmpstr (vd_audit_event_get_event_type (event), ==, "second_opinion");
  g_assert_cmpstr (vd_audit_event_get_task_id (event), ==, "task_0001");
  payload = vd_audit_event_dup_payload (event);
  g_assert_cmpint (json_object_get_int_member (payload, "revision"), ==, 0);
  g_assert_cmpfloat (json_object_get_double_member (payload, "confidence"), ==, 0.35);
  g_assert_cmpfloat (json_object_get_double_member (payload, "agent_confidence"), ==, 0.5);
  g_assert_cmpstr (json_object_get_string_member (payload, "reasoning"), ==,
                   "The amount is not checked against the order.");
  g_assert_cmpstr (json_object_get_string_member (payload, "model"), ==, "test-model");

  /* A failure is returned and audited too. */
  vd_test_llm_server_push (fixture->server,
                           vd_test_reply_new_content ("{\"confidence\": 1.7, \"reasoning\": "
                                                      "\"sure\"}"));
  vd_workflow_second_opinion_async (fixture->workflow, item, NULL, on_second_opinion, &failed);
  vd_test_wait_for (&failed.done, 10000);
  expected = g_strdup_printf ("%s: confidence evaluator answer: confidence: expected a "
                              "number from 0 to 1, found 1.7", fixture->url);
  g_assert_error (failed.error, VD_LLM_ERROR, VD_LLM_ERROR_BAD_RESPONSE);
  g_assert_cmpstr (failed.error->message, ==, expected);
  g_assert_false (failed.ok);

  trail = dup_trail (fixture, 2);
  g_assert_cmpstr (trail, ==,
                   "system:enqueue,system:import,agent:second_opinion,agent:agent_error");
  assert_trail_verifies (fixture, 4);
}

static void
test_assist (Fixture       *fixture,
             gconstpointer  data)
{
  g_auto(Result) result = { 0 };
  g_autoptr(VdItem) item = NULL;
  g_autoptr(VdAuditEvent) event = NULL;
  g_autoptr(JsonObject) payload = NULL;
  g_autofree char *prompt = NULL;
  JsonArray *risks;

  add_item (fixture, "payments", "task_0001", "Refund $40 to the card on file.");
  item = get_item (fixture, "payments", "task_0001");

  vd_test_llm_server_push (fixture->server, vd_test_reply_new_content (
    "{\"options\": [\"approve\", \"reject\", \"modify\"], "
    "\"analysis\": \"The receipt supports $30, not $40.\", "
    "\"recommendation\": \"modify: refund $30\", \"confidence\": 0.8, "
    "\"risks\": [\"Overpaying the shipping fee\"], "
    "\"considerations\": [\"Check the shipping policy\", \"Customer tier\"]}"));
  vd_workflow_assist_async (fixture->workflow, item, NULL, on_assisted, &result);
  vd_test_wait_for (&result.done, 10000);

  g_assert_no_error (result.error);
  g_assert_nonnull (result.support);
  g_assert_cmpuint (g_strv_length (result.support->options), ==, 3);
  g_assert_cmpstr (result.support->options[2], ==, "modify");
  g_assert_cmpstr (result.support->analysis, ==, "The receipt supports $30, not $40.");
  g_assert_cmpstr (result.support->recommendation, ==, "modify: refund $30");
  g_assert_cmpfloat (result.support->confidence, ==, 0.8);
  g_assert_cmpstr (result.support->risks[0], ==, "Overpaying the shipping fee");
  g_assert_null (result.support->risks[1]);
  g_assert_cmpuint (g_strv_length (result.support->considerations), ==, 2);

  /* The situation lays out the item; the options are the reviewer's. */
  prompt = dup_user_prompt (fixture, 0);
  g_assert_nonnull (strstr (prompt, "Task:\nRefund order 1182: the customer returned the "
                                    "boots."));
  g_assert_nonnull (strstr (prompt, "The agent's output (revision 0):\nRefund $40 to the "
                                    "card on file."));
  g_assert_nonnull (strstr (prompt, "The agent's confidence: 0.50\n"));
  g_assert_nonnull (strstr (prompt, "Why a human must look at it: low_confidence"));
  g_assert_nonnull (strstr (prompt, "Options:\n- approve: use the output as it is\n- reject: "));
  g_assert_nonnull (strstr (prompt, "\n- escalate_further: hand the decision to a more senior "
                                    "reviewer"));

  event = last_event (fixture);
  g_assert_cmpstr (vd_audit_event_get_actor (event), ==, "agent");
  g_assert_cmpstr (vd_audit_event_get_event_type (event), ==, "assist");
  payload = vd_audit_event_dup_payload (event);
  g_assert_cmpstr (json_object_get_string_member (payload, "recommendation"), ==,
                   "modify: refund $30");
  g_assert_cmpfloat (json_object_get_double_member (payload, "confidence"), ==, 0.8);
  risks = json_object_get_array_member (payload, "risks");
  g_assert_cmpuint (json_array_get_length (risks), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (risks, 0), ==, "Overpaying the shipping fee");
  assert_trail_verifies (fixture, 3);

  /* The item itself is untouched: the decision stays the reviewer's. */
  g_clear_object (&item);
  item = get_item (fixture, "payments", "task_0001");
  g_assert_cmpint (vd_item_get_status (item), ==, VD_TASK_STATUS_PENDING);
}

/* revise_all keeps at most max-concurrent revisions at the model. */
static void
test_revise_all (Fixture       *fixture,
                 gconstpointer  data)
{
  g_auto(Result) result = { 0 };
  g_auto(Result) again = { 0 };
  g_autoptr(VdItem) untouched = NULL;
  VdTestReply *reply;

  for (guint i = 1; i <= 6; i++)
    {
      g_autofree char *task_id = g_strdup_printf ("task_%04u", i);

      add_rejected (fixture, "payments", task_id);
    }
  add_rejected (fixture, "other", "task_0001");
  add_item (fixture, "payments", "task_0099", "Not rejected.");

  vd_llm_client_set_max_concurrent (fixture->client, 2);
  reply = output_reply ("Refund $30.", 0.95);
  vd_test_reply_set_delay (reply, 100);
  vd_test_llm_server_set_default (fixture->server, reply);

  vd_workflow_revise_all_async (fixture->workflow, "payments", NULL, on_revised_all, &result);
  vd_test_wait_for (&result.done, 20000);

  g_assert_no_error (result.error);
  g_assert_cmpuint (result.results->len, ==, 6);
  for (guint i = 0; i < result.results->len; i++)
    {
      VdWorkflowResult *entry = g_ptr_array_index (result.results, i);
      g_autofree char *task_id = g_strdup_printf ("task_%04u", i + 1);

      g_assert_no_error (entry->error);
      g_assert_cmpstr (entry->queue, ==, "payments");
      g_assert_cmpstr (entry->task_id, ==, task_id);
      g_assert_cmpint (vd_item_get_revision (entry->item), ==, 1);
      g_assert_cmpint (vd_item_get_status (entry->item), ==, VD_TASK_STATUS_APPROVED);
    }
  g_assert_cmpuint (vd_test_llm_server_get_n_requests (fixture->server), ==, 6);
  g_assert_cmpuint (vd_test_llm_server_get_peak (fixture->server), ==, 2);

  untouched = get_item (fixture, "other", "task_0001");
  g_assert_cmpint (vd_item_get_status (untouched), ==, VD_TASK_STATUS_REJECTED);

  /* Nothing is left in that queue; the other queue's item remains. */
  vd_workflow_revise_all_async (fixture->workflow, NULL, NULL, on_revised_all, &again);
  vd_test_wait_for (&again.done, 20000);
  g_assert_no_error (again.error);
  g_assert_cmpuint (again.results->len, ==, 1);
  g_assert_cmpstr (((VdWorkflowResult *) again.results->pdata[0])->queue, ==, "other");
}

static void
on_decision_recorded (GObject      *object,
                      GAsyncResult *res,
                      gpointer      user_data)
{
  Result *result = user_data;

  result->ok = vd_store_record_decision_finish (VD_STORE (object), res, &result->error);
  result->done = TRUE;
}

/* A hung endpoint blocks no reviewer: decisions go through meanwhile, and
 * cancelling the revision leaves the item awaiting revision. */
static void
test_decisions_while_hung (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(VdDecision) decision = NULL;
  g_autoptr(VdItem) item = NULL;
  g_auto(Result) revised = { 0 };
  g_auto(Result) decided = { 0 };
  g_autofree char *trail = NULL;

  add_rejected (fixture, "payments", "task_0001");
  add_item (fixture, "payments", "task_0002", "Refund $12.");
  vd_test_llm_server_push (fixture->server, vd_test_reply_new_hang ());

  vd_workflow_revise_async (fixture->workflow, "payments", "task_0001", cancellable,
                            on_revised, &revised);
  wait_for_requests (fixture, 1);

  decision = vd_decision_new ("payments", "task_0002", VD_DECISION_KIND_APPROVE, "bob");
  vd_store_record_decision_async (fixture->store, decision, NULL, on_decision_recorded,
                                  &decided);
  vd_test_wait_for (&decided.done, 5000);
  g_assert_no_error (decided.error);
  g_assert_true (decided.ok);
  g_assert_false (revised.done);
  g_assert_true (vd_workflow_is_revising (fixture->workflow, "payments", "task_0001"));
  g_assert_cmpuint (vd_workflow_get_n_running (fixture->workflow), ==, 1);

  g_cancellable_cancel (cancellable);
  vd_test_wait_for (&revised.done, 5000);
  g_assert_error (revised.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  item = get_item (fixture, "payments", "task_0001");
  g_assert_cmpint (vd_item_get_status (item), ==, VD_TASK_STATUS_REJECTED);
  g_assert_cmpint (vd_item_get_revision (item), ==, 0);
  trail = dup_trail (fixture, 2);
  g_assert_cmpstr (trail, ==,
                   "system:enqueue,system:import,alice:decision,"
                   "system:enqueue,system:import,bob:decision");
  g_assert_cmpuint (vd_workflow_get_n_running (fixture->workflow), ==, 0);
}

static void
on_notify (GObject    *object,
           GParamSpec *pspec,
           gpointer    user_data)
{
  (*(guint *) user_data)++;
}

/* An endpoint nobody listens on: the item records it, the workflow says
 * "unreachable" until a new client. */
static void
test_unreachable (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(VdLlmClient) dead = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *base_url = NULL;
  g_auto(Result) result = { 0 };
  guint n_notify = 0;

  /* A port that was free a moment ago and is closed now. */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                         &error);
  g_assert_no_error (error);
  g_socket_bind (socket, address, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  base_url = g_strdup_printf ("http://127.0.0.1:%u/v1",
                              g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  g_socket_close (socket, NULL);

  dead = vd_llm_client_new (base_url, "test-model");
  g_object_set (dead, "max-retries", 0, NULL);
  vd_workflow_set_client (fixture->workflow, dead);
  g_signal_connect (fixture->workflow, "notify::unreachable", G_CALLBACK (on_notify), &n_notify);

  submit (fixture, "payments", NULL, &result);
  g_assert_no_error (result.error);
  g_assert_cmpint (vd_item_get_escalation_reason (result.item), ==,
                   VD_ESCALATION_REASON_ERROR_OCCURRED);
  g_assert_true (g_str_has_prefix (vd_item_get_escalation_detail (result.item), base_url));
  g_assert_true (vd_workflow_get_unreachable (fixture->workflow));
  g_assert_cmpuint (n_notify, ==, 1);

  vd_workflow_set_client (fixture->workflow, fixture->client);
  g_assert_false (vd_workflow_get_unreachable (fixture->workflow));
  g_assert_cmpuint (n_notify, ==, 2);
  g_signal_handlers_disconnect_by_data (fixture->workflow, &n_notify);
}

/* What a model answers goes through the JSON guard before the store: a
 * nesting that would overflow the stack, text that is not UTF-8 once
 * decoded and numbers too large become agent failures, queued for a
 * human as error_occurred with nothing of the answer stored. */
static void
test_answer_guarded (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *deep = vd_test_nested_json (100000, "{\"a\":", "1", "}");
  const struct
  {
    const char *answer;
    const char *detail;
  } cases[] = {
    { deep, "the JSON object in the answer cannot be read: arrays and objects nest more "
            "than 64 levels deep (line 1, column 321)" },
    { "{\"content\": \"Refund.\", \"confidence\": 0.9, \"metadata\": {\"score\": 1e999}}",
      "the JSON object in the answer cannot be read: metadata.score: a number too large to "
      "represent (such as 1e999)" },
    { "{\"content\": \"Re\\ud800fund.\", \"confidence\": 0.9}",
      "the JSON object in the answer cannot be read: content: not valid text: it holds an "
      "escape that is not a character (a lone surrogate such as \\ud800) or bytes that are "
      "not UTF-8" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(Result) result = { 0 };
      g_autofree char *task_id = g_strdup_printf ("guarded_%u", i);
      g_autofree char *expected = g_strdup_printf ("%s: %s", fixture->url, cases[i].detail);

      vd_test_llm_server_push (fixture->server, vd_test_reply_new_content (cases[i].answer));
      submit (fixture, "payments", task_id, &result);

      g_assert_no_error (result.error);
      g_assert_cmpint (vd_item_get_escalation_reason (result.item), ==,
                       VD_ESCALATION_REASON_ERROR_OCCURRED);
      g_assert_cmpstr (vd_item_get_escalation_detail (result.item), ==, expected);
      g_assert_cmpstr (vd_item_get_content (result.item), ==, "");
      g_assert_cmpuint (json_object_get_size (vd_item_get_metadata (result.item)), ==, 0);
    }
}

/* Error texts stored in the escalation detail and the append-only audit
 * trail name the endpoint: never with credentials or a query. */
static void
test_no_secrets_stored (Fixture       *fixture,
                        gconstpointer  data)
{
  const char *base_url = vd_test_llm_server_get_base_url (fixture->server);
  g_autofree char *with_query = g_strdup_printf ("%s?api-key=sekrit", base_url);
  g_autofree char *with_credentials = g_strdup_printf ("http://user:sekrit@%s",
                                                       base_url + strlen ("http://"));
  g_autofree char *expected = NULL;
  g_autoptr(VdLlmClient) refused = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(Result) failed = { 0 };
  g_auto(Result) revised = { 0 };
  g_auto(Result) not_sent = { 0 };

  /* The server quotes a URL with a token too. */
  vd_llm_client_set_base_url (fixture->client, with_query);
  vd_test_llm_server_push (fixture->server,
                           vd_test_reply_new_raw (400, "application/json",
                                                  "{\"error\": {\"message\": \"see "
                                                  "https://u:sekrit@docs.invalid/e?t=sekrit\"}}"));
  submit (fixture, "payments", "query", &failed);
  g_assert_no_error (failed.error);
  g_assert_cmpint (vd_item_get_escalation_reason (failed.item), ==,
                   VD_ESCALATION_REASON_ERROR_OCCURRED);
  expected = g_strdup_printf ("%s: request rejected (HTTP 400 Bad Request): see "
                              "https://docs.invalid/e", fixture->url);
  g_assert_cmpstr (vd_item_get_escalation_detail (failed.item), ==, expected);

  /* The reviser's failure: an agent_error event. */
  add_rejected (fixture, "payments", "task_0001");
  vd_test_llm_server_push (fixture->server,
                           vd_test_reply_new_raw (400, "application/json",
                                                  "{\"error\": \"bad key in "
                                                  "http://127.0.0.1/?key=sekrit\"}"));
  revise (fixture, "payments", "task_0001", &revised);
  g_assert_error (revised.error, VD_LLM_ERROR, VD_LLM_ERROR_BAD_REQUEST);

  /* Credentials in the URL: nothing is sent, the failure is queued. */
  refused = vd_llm_client_new (with_credentials, "test-model");
  vd_workflow_set_client (fixture->workflow, refused);
  submit (fixture, "payments", "credentials", &not_sent);
  g_assert_no_error (not_sent.error);
  g_assert_cmpint (vd_item_get_escalation_reason (not_sent.item), ==,
                   VD_ESCALATION_REASON_ERROR_OCCURRED);
  g_assert_true (g_str_has_prefix (vd_item_get_escalation_detail (not_sent.item), base_url));
  g_assert_cmpuint (vd_test_llm_server_get_n_requests (fixture->server), ==, 2);
  vd_workflow_set_client (fixture->workflow, fixture->client);

  /* Nothing of either secret anywhere in the trail or on disk. */
  events = vd_store_list_audit (fixture->store, 1, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, >, 0);
  for (guint i = 0; i < events->len; i++)
    {
      g_autoptr(JsonObject) payload = vd_audit_event_dup_payload (g_ptr_array_index (events, i));
      g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), payload);
      g_autofree char *json = json_to_string (node, FALSE);

      g_assert_null (strstr (json, "sekrit"));
    }
  g_assert_cmpstr (vd_audit_event_get_event_type (g_ptr_array_index (events, events->len - 2)),
                   ==, "enqueue");
  g_assert_false (vd_test_dir_contains (fixture->dir, "sekrit"));
}

/* Inputs files */

static void
assert_inputs_error (const char *text,
                     const char *message)
{
  g_autoptr(GPtrArray) inputs = NULL;
  g_autoptr(GError) error = NULL;

  inputs = vd_task_inputs_read_data (text, strlen (text), "in.jsonl", NULL, &error);
  g_assert_null (inputs);
  g_assert_error (error, VD_WORKFLOW_ERROR, VD_WORKFLOW_ERROR_INVALID_INPUT);
  g_assert_cmpstr (error->message, ==, message);
}

static void
test_inputs (void)
{
  static const char text[] =
    "\xef\xbb\xbf{\"verdict_queue\": 1, \"queue\": \"moderation\"}\r\n"
    "{\"task_id\": \"t1\", \"task_description\": \"Label this post\", "
    "\"task_type\": \"content_moderation\", \"context\": \"Forum: cars\"}\r\n"
    "\n"
    "  \t\n"
    "{\"task_description\": \"Decide on a reply\", \"context\": null, \"extra\": 1}";
  g_autoptr(GPtrArray) inputs = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *queue = NULL;
  g_autofree char *default_queue = NULL;
  VdTaskInput *input;

  inputs = vd_task_inputs_read_data (text, strlen (text), "in.jsonl", &queue, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (queue, ==, "moderation");
  g_assert_cmpuint (inputs->len, ==, 2);
  input = g_ptr_array_index (inputs, 0);
  g_assert_cmpstr (input->task_id, ==, "t1");
  g_assert_cmpstr (input->task_description, ==, "Label this post");
  g_assert_cmpstr (input->task_type, ==, "content_moderation");
  g_assert_cmpstr (input->context, ==, "Forum: cars");
  g_assert_cmpuint (input->line, ==, 2);
  input = g_ptr_array_index (inputs, 1);
  g_assert_null (input->task_id);
  g_assert_cmpstr (input->task_type, ==, "");
  g_assert_cmpstr (input->context, ==, "");
  g_assert_cmpuint (input->line, ==, 5);
  g_clear_pointer (&inputs, g_ptr_array_unref);

  /* Without a header the queue is the file's base name. */
  inputs = vd_task_inputs_read_data ("{\"task_description\": \"x\"}", 25,
                                     "/tmp/ops.2026-11.jsonl", &default_queue, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (default_queue, ==, "ops.2026-11");

  assert_inputs_error ("{\"task_id\": \"a\", \"task_description\": \"x\"}\n"
                       "{\"task_id\": \"b\"}\n",
                       "in.jsonl:2: task_description: missing (required)");
  assert_inputs_error ("{\"task_description\": \"\"}\n",
                       "in.jsonl:1: task_description: expected a non-empty string, found \"\"");
  assert_inputs_error ("{\"task_description\": \"x\", \"context\": 42}\n",
                       "in.jsonl:1: context: expected a string, found 42");
  assert_inputs_error ("{\"task_description\": \"x\", \"task_type\": [\"a\"]}\n",
                       "in.jsonl:1: task_type: expected a string, found [\"a\"]");
  assert_inputs_error ("{\"task_id\": \"\", \"task_description\": \"x\"}\n",
                       "in.jsonl:1: task_id: expected a non-empty string, found \"\"");
  assert_inputs_error ("{\"task_id\": \"a\", \"task_description\": \"x\"}\n\n"
                       "{\"task_id\": \"a\", \"task_description\": \"y\"}\n",
                       "in.jsonl:3: task_id: \"a\" is already on line 1");
  assert_inputs_error ("{\"task_description\": \"x\"}\n{\"task_description\": \n",
                       "in.jsonl:2: not a JSON object: unexpected end of file, expected "
                       "character `}' (column 21)");
  assert_inputs_error ("[1, 2]\n", "in.jsonl:1: expected a JSON object, found [1,2]");
  assert_inputs_error ("{\"task_description\": \"x\"}\n{\"verdict_queue\": 1}\n",
                       "in.jsonl:2: verdict_queue: a header may only be the first line");
  assert_inputs_error ("{\"verdict_queue\": 2}\n{\"task_description\": \"x\"}\n",
                       "in.jsonl:1: verdict_queue: expected 1, found 2");
  assert_inputs_error ("{\"verdict_queue\": 1, \"queue\": \"\"}\n",
                       "in.jsonl:1: queue: expected a non-empty string, found \"\"");
  assert_inputs_error ("{\"verdict_queue\": 1}\n\n", "in.jsonl: no inputs");
  assert_inputs_error ("", "in.jsonl: no inputs");
  assert_inputs_error ("{\"task_description\": \"\xff\"}\n", "in.jsonl:1: not valid UTF-8");
}

/* What json-glib would get wrong: refused with file:line: and the field. */
static void
test_inputs_guard (void)
{
  g_autofree char *deep = vd_test_nested_json (200000, "[", "1", "]");
  g_autofree char *deep_line = g_strdup_printf ("{\"task_description\": \"x\"}\n"
                                                "{\"task_description\": \"y\", \"extra\": %s}\n",
                                                deep);

  /* The audit's case: 400 KB of nesting, once a stack overflow. */
  g_assert_cmpuint (strlen (deep_line), >, 400000);
  assert_inputs_error (deep_line,
                       "in.jsonl:2: arrays and objects nest more than 64 levels deep "
                       "(column 99)");
  assert_inputs_error ("{\"task_description\": \"x\", \"n\": 18446744073709551615}\n",
                       "in.jsonl:1: an integer too large to represent exactly (beyond "
                       "9223372036854775807) (column 32)");
  assert_inputs_error ("{\"task_description\": \"cut\\u0000here\"}\n",
                       "in.jsonl:1: a string holds \\u0000 (a NUL character), which text "
                       "cannot hold (column 26)");
  assert_inputs_error ("{\"task_description\": \"x\", \"context\": \"a\\ud800b\"}\n",
                       "in.jsonl:1: context: not valid text: it holds an escape that is not "
                       "a character (a lone surrogate such as \\ud800) or bytes that are not "
                       "UTF-8");
  assert_inputs_error ("{\"task_description\": \"x\", \"weights\": [1, 1e999]}\n",
                       "in.jsonl:1: weights[1]: a number too large to represent (such as "
                       "1e999)");
}

static void
test_inputs_sample (void)
{
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GPtrArray) inputs = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *queue = NULL;
  const char *samples = g_getenv ("VERDICT_SAMPLES");

  g_assert_nonnull (samples);
  path = g_build_filename (samples, "inputs.jsonl", NULL);
  file = g_file_new_for_path (path);
  inputs = vd_task_inputs_read_file (file, &queue, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (queue, ==, "inputs");
  g_assert_cmpuint (inputs->len, ==, 8);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/workflow/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("loop", test_loop);
  ADD ("revision-queued", test_revision_queued);
  ADD ("agent-failure", test_agent_failure);
  ADD ("agent-bad-answer", test_agent_bad_answer);
  ADD ("offline", test_offline);
  ADD ("revise-failure", test_revise_failure);
  ADD ("revise-not-rejected", test_revise_not_rejected);
  ADD ("revise-changed", test_revise_changed);
  ADD ("revise-busy", test_revise_busy);
  ADD ("task-ids", test_task_ids);
  ADD ("streaming", test_streaming);
  ADD ("second-opinion", test_second_opinion);
  ADD ("assist", test_assist);
  ADD ("revise-all", test_revise_all);
  ADD ("decisions-while-hung", test_decisions_while_hung);
  ADD ("unreachable", test_unreachable);
  ADD ("answer-guarded", test_answer_guarded);
  ADD ("no-secrets-stored", test_no_secrets_stored);
  g_test_add_func ("/workflow/inputs", test_inputs);
  g_test_add_func ("/workflow/inputs-guard", test_inputs_guard);
  g_test_add_func ("/workflow/inputs-sample", test_inputs_sample);

#undef ADD

  return g_test_run ();
}
