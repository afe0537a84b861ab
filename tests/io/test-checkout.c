/* test-checkout.c
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

#include <string.h>

#include <glib/gstdio.h>

#include "vd-checkout.h"
#include "vd-export-verify.h"
#include "vd-core.h"
#include "vd-test-util.h"

/* The team's store is one SQLite file: Alice works through the fixture's
 * store object, Bob through a second one on the same file, as two
 * reviewers' processes would. Alice's offline store is another file. */
typedef struct
{
  VdTestStore  base;
  VdStore     *bob;
  VdStore     *offline;
  char        *checkout;
  char        *decisions;
} Fixture;

#define ITEM(id, confidence) \
  "{\"task_id\": \"" id "\", \"task_description\": \"Pay " id "\", " \
  "\"escalation_reason\": \"high_risk_action\", " \
  "\"agent_output\": {\"content\": \"Refund " id "\", \"confidence\": " confidence "}}\n"

static const char queue_text[] =
  "{\"verdict_queue\": 1, \"queue\": \"payments\"}\n"
  ITEM ("t-1", "0.1") ITEM ("t-2", "0.2") ITEM ("t-3", "0.3") ITEM ("t-4", "0.4")
  ITEM ("t-5", "0.5") ITEM ("t-6", "0.6");

static gint64
item_id (VdStore    *store,
         const char *task_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VdItem) item = vd_store_get_item (store, "payments", task_id, &error);

  g_assert_no_error (error);
  return vd_item_get_id (item);
}

static VdItem *
get_item (VdStore    *store,
          const char *task_id)
{
  g_autoptr(GError) error = NULL;
  VdItem *item = vd_store_get_item (store, "payments", task_id, &error);

  g_assert_no_error (error);
  return item;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  VdImportResult result = { 0, };

  vd_test_store_set_up (&fixture->base, "checkout");
  vd_test_import_text (fixture->base.store, fixture->base.dir, "q.jsonl", queue_text, NULL,
                       &result);
  g_assert_cmpuint (result.queued, ==, 6);
  fixture->bob = vd_test_open_store (fixture->base.db);
  fixture->checkout = g_build_filename (fixture->base.dir, "slice.jsonl", NULL);
  fixture->decisions = g_build_filename (fixture->base.dir, "decisions.jsonl", NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->bob);
  g_clear_object (&fixture->offline);
  g_free (fixture->checkout);
  g_free (fixture->decisions);
  vd_test_store_tear_down (&fixture->base);
}

static void
check_out (Fixture *fixture,
           guint    count,
           guint    expected)
{
  g_autoptr(GFile) file = g_file_new_for_path (fixture->checkout);
  g_autoptr(GError) error = NULL;
  g_auto(VdCheckoutResult) result = { 0, };
  gint64 before = g_get_real_time ();

  g_assert_true (vd_checkout_write (fixture->base.store, "team.db", "payments", count, 3600,
                                    "alice", file, &result, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.n_items, ==, expected);
  g_assert_cmpint (result.expires_at, >=, before + (gint64) 3600 * G_USEC_PER_SEC);
  g_assert_no_error (result.sign_error);
  g_assert_nonnull (result.key_id);
}

static void
claim (VdStore    *store,
       const char *task_id,
       const char *reviewer)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (vd_store_claim_item (store, item_id (store, task_id), reviewer, 600, NULL,
                                      &error));
  g_assert_no_error (error);
}

static void
decide (VdStore        *store,
        const char     *task_id,
        VdDecisionKind  kind,
        const char     *reviewer,
        const char     *feedback,
        const char     *modified)
{
  g_autoptr(VdDecision) decision = vd_decision_new ("payments", task_id, kind, reviewer);
  g_autoptr(VdItem) item = get_item (store, task_id);
  g_autoptr(GError) error = NULL;

  vd_decision_set_feedback (decision, feedback);
  vd_decision_set_modified_content (decision, modified);
  vd_decision_set_revision (decision, vd_item_get_revision (item));
  vd_decision_set_duration_ms (decision, 4200);
  g_assert_true (vd_store_record_decision (store, decision, &error));
  g_assert_no_error (error);
}

static void
test_checkout (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(VdQueueReader) reader = vd_queue_reader_new ();
  g_autoptr(GFile) file = g_file_new_for_path (fixture->checkout);
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GPtrArray) claims = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *contents = NULL;
  g_autofree char *minisig = g_strconcat (fixture->checkout, ".minisig", NULL);
  g_autofree char *signature = NULL;
  g_auto(GStrv) lines = NULL;
  JsonObject *checkout;
  JsonArray *listed;

  /* Bob has t-2 open: the checkout takes the next ones in queue order. */
  claim (fixture->bob, "t-2", "bob");
  check_out (fixture, 3, 3);

  items = vd_queue_reader_read_file (reader, file, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 3);
  g_assert_cmpstr (vd_item_get_task_id (g_ptr_array_index (items, 0)), ==, "t-1");
  g_assert_cmpstr (vd_item_get_task_id (g_ptr_array_index (items, 1)), ==, "t-3");
  g_assert_cmpstr (vd_item_get_task_id (g_ptr_array_index (items, 2)), ==, "t-4");
  g_assert_cmpstr (vd_item_get_content (g_ptr_array_index (items, 1)), ==, "Refund t-3");
  g_assert_cmpstr (vd_queue_reader_get_queue (reader), ==, "payments");
  g_assert_cmpstr (vd_queue_reader_get_source (reader), ==, "verdict team checkout of team.db");

  /* The header names the store, the reviewer, the lease and the revisions. */
  g_assert_true (g_file_get_contents (fixture->checkout, &contents, NULL, NULL));
  lines = g_strsplit (contents, "\n", 2);
  g_assert_true (json_parser_load_from_data (parser, lines[0], -1, &error));
  checkout = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)),
                                            "checkout");
  g_assert_nonnull (checkout);
  g_assert_cmpstr (json_object_get_string_member (checkout, "store"), ==, "team.db");
  g_assert_cmpstr (json_object_get_string_member (checkout, "reviewer"), ==, "alice");
  g_assert_cmpstr (json_object_get_string_member (checkout, "queue"), ==, "payments");
  g_assert_cmpint (json_object_get_int_member (checkout, "lease_seconds"), ==, 3600);
  g_assert_nonnull (vd_timestamp_parse (json_object_get_string_member (checkout,
                                                                       "claimed_until")));
  listed = json_object_get_array_member (checkout, "items");
  g_assert_cmpuint (json_array_get_length (listed), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (listed, 2),
                                                  "task_id"), ==, "t-4");
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (listed, 2),
                                               "revision"), ==, 0);

  /* Signed as an export, with the format in the trusted comment. */
  g_assert_true (g_file_get_contents (minisig, &signature, NULL, NULL));
  g_assert_nonnull (strstr (signature, "trusted comment: verdict-queue v1"));
  g_assert_nonnull (strstr (signature, "lines=3"));

  /* Alice holds them now: Bob cannot take one. */
  claims = vd_store_list_claims (fixture->bob, "payments", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (claims->len, ==, 4);
  g_assert_false (vd_store_claim_item (fixture->bob, item_id (fixture->bob, "t-3"), "bob", 600,
                                       NULL, &error));
  g_assert_error (error, VD_STORE_ERROR, VD_STORE_ERROR_CLAIMED);
  g_clear_error (&error);

  /* Checking out again renews Alice's claims and takes the rest but Bob's. */
  check_out (fixture, 10, 5);
  g_clear_pointer (&items, g_ptr_array_unref);
  items = vd_queue_reader_read_file (reader, file, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 5);

  /* Nothing is left for Carol, and she is left holding nothing. */
  {
    g_autoptr(GFile) other = g_file_new_build_filename (fixture->base.dir, "carol.jsonl", NULL);
    g_auto(VdCheckoutResult) result = { 0, };

    g_assert_false (vd_checkout_write (fixture->bob, "team.db", "payments", 2, 3600, "carol",
                                       other, &result, NULL, &error));
    g_assert_error (error, VD_CHECKOUT_ERROR, VD_CHECKOUT_ERROR_NOTHING);
    g_assert_false (g_file_query_exists (other, NULL));
  }
}

/* Alice at home: imports the checkout file into her own store, decides,
 * and exports the decisions (signed by that store's installation key,
 * which is returned). */
static VdKey *
review_offline (Fixture *fixture)
{
  g_autofree char *db = g_build_filename (fixture->base.dir, "offline.db", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (fixture->checkout);
  g_autoptr(GFile) out = g_file_new_for_path (fixture->decisions);
  g_autoptr(VdPolicy) policy = vd_policy_new ();
  g_autoptr(VdImporter) importer = NULL;
  g_autoptr(VdExporter) exporter = NULL;
  g_autoptr(GError) error = NULL;
  VdImportResult result = { 0, };
  VdSigner *signer;
  guint64 n = 0;

  fixture->offline = vd_test_open_store (db);
  importer = vd_importer_new (fixture->offline, policy);
  g_assert_true (vd_importer_import (importer, &file, 1, &result, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.queued, ==, 5);

  decide (fixture->offline, "t-1", VD_DECISION_KIND_APPROVE, "alice", "", NULL);
  decide (fixture->offline, "t-2", VD_DECISION_KIND_REJECT, "alice", "Wrong payee", NULL);
  decide (fixture->offline, "t-3", VD_DECISION_KIND_MODIFY, "alice", "Say which card",
          "Refund t-3 to the Visa card");
  decide (fixture->offline, "t-4", VD_DECISION_KIND_APPROVE, "alice", "", NULL);
  decide (fixture->offline, "t-5", VD_DECISION_KIND_MODIFY, "alice", "Half", "Refund half");

  exporter = vd_exporter_new (fixture->offline);
  g_assert_true (vd_exporter_export_file (exporter, VD_EXPORT_DECISIONS, out, &n, NULL,
                                          &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 5);

  signer = vd_store_get_signer (fixture->offline);
  return vd_key_dup_public (vd_signer_get_installation_key (signer));
}

static GPtrArray *
check_in (Fixture  *fixture,
          VdKey    *key,
          GError  **error)
{
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (g_object_unref);

  g_ptr_array_add (keys, g_object_ref (key));
  return vd_checkin_apply (fixture->base.store, "alice", fixture->decisions, keys, NULL, error);
}

static VdCheckinOutcome *
outcome_of (GPtrArray  *outcomes,
            const char *task_id)
{
  for (guint i = 0; i < outcomes->len; i++)
    {
      VdCheckinOutcome *outcome = g_ptr_array_index (outcomes, i);

      if (g_str_equal (outcome->task_id, task_id))
        return outcome;
    }
  g_assert_not_reached ();
  return NULL;
}

static guint
count_decisions (VdStore    *store,
                 const char *task_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) decisions = vd_store_list_decisions (store, "payments", task_id, &error);

  g_assert_no_error (error);
  return decisions->len;
}

static void
revise (Fixture    *fixture,
        const char *task_id)
{
  g_autofree char *text = g_strdup_printf ("{\"verdict_queue\": 1, \"queue\": \"payments\"}\n"
                                           "{\"task_id\": \"%s\", \"task_description\": \"Pay\", "
                                           "\"revision\": 1, \"escalation_reason\": "
                                           "\"high_risk_action\", \"agent_output\": "
                                           "{\"content\": \"Refund less\", \"confidence\": 0.4}}\n",
                                           task_id);
  VdImportResult result = { 0, };

  vd_test_import_text (fixture->bob, fixture->base.dir, "rework.jsonl", text, NULL, &result);
  g_assert_cmpuint (result.revised, ==, 1);
}

static void
test_checkin (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(VdKey) key = NULL;
  g_autoptr(GPtrArray) outcomes = NULL;
  g_autoptr(GPtrArray) again = NULL;
  g_autoptr(GPtrArray) decisions = NULL;
  g_autoptr(GPtrArray) claims = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(VdItem) item = NULL;
  VdCheckinOutcome *outcome;
  VdDecision *decision;
  VdAuditEvent *event;
  g_autoptr(JsonObject) payload = NULL;
  gint64 head = 0;

  check_out (fixture, 5, 5);
  key = review_offline (fixture);

  /* Meanwhile on the team store: Alice's claims on t-2 and t-3 end (as if
   * they had expired); Bob decides t-2 and opens t-3; t-4 is reworked; t-5's
   * claim ends too, but nobody touches the item. */
  g_assert_true (vd_store_release_claim (fixture->base.store, item_id (fixture->bob, "t-2"),
                                         "alice", NULL));
  g_assert_true (vd_store_release_claim (fixture->base.store, item_id (fixture->bob, "t-3"),
                                         "alice", NULL));
  g_assert_true (vd_store_release_claim (fixture->base.store, item_id (fixture->bob, "t-5"),
                                         "alice", NULL));
  decide (fixture->bob, "t-2", VD_DECISION_KIND_APPROVE, "bob", "", NULL);
  claim (fixture->bob, "t-3", "bob");
  revise (fixture, "t-4");

  outcomes = check_in (fixture, key, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (outcomes->len, ==, 5);

  outcome = outcome_of (outcomes, "t-1");
  g_assert_cmpint (outcome->status, ==, VD_CHECKIN_APPLIED);
  g_assert_null (outcome->message);
  g_assert_cmpint (outcome->decision_seq, >, 0);
  outcome = outcome_of (outcomes, "t-5");
  g_assert_cmpint (outcome->status, ==, VD_CHECKIN_APPLIED);

  outcome = outcome_of (outcomes, "t-2");
  g_assert_cmpint (outcome->status, ==, VD_CHECKIN_CONFLICT);
  g_assert_true (g_str_has_prefix (outcome->message, "t-2: decided meanwhile by bob at "));
  g_assert_true (g_str_has_suffix (outcome->message, " (approve); your reject was not applied"));
  outcome = outcome_of (outcomes, "t-3");
  g_assert_cmpint (outcome->status, ==, VD_CHECKIN_CONFLICT);
  g_assert_true (g_str_has_prefix (outcome->message,
                                   "t-3: your claim expired and bob holds it now (until "));
  outcome = outcome_of (outcomes, "t-4");
  g_assert_cmpint (outcome->status, ==, VD_CHECKIN_CONFLICT);
  g_assert_cmpstr (outcome->message, ==, "t-4: the item is at revision 1, you reviewed "
                   "revision 0; your approve was not applied");

  /* Applied with what Alice wrote offline, and nothing else overwritten. */
  item = get_item (fixture->bob, "t-5");
  g_assert_cmpint (vd_item_get_status (item), ==, VD_TASK_STATUS_MODIFIED);
  decisions = vd_store_list_decisions (fixture->bob, "payments", "t-5", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (decisions->len, ==, 1);
  decision = g_ptr_array_index (decisions, 0);
  g_assert_cmpstr (vd_decision_get_reviewer_id (decision), ==, "alice");
  g_assert_cmpstr (vd_decision_get_feedback (decision), ==, "Half");
  g_assert_cmpstr (vd_decision_get_modified_content (decision), ==, "Refund half");
  g_assert_cmpint (vd_decision_get_duration_ms (decision), ==, 4200);
  g_clear_object (&item);
  item = get_item (fixture->bob, "t-2");
  g_assert_cmpint (vd_item_get_status (item), ==, VD_TASK_STATUS_APPROVED);
  g_assert_cmpuint (count_decisions (fixture->bob, "t-2"), ==, 1);
  g_clear_object (&item);
  item = get_item (fixture->bob, "t-3");
  g_assert_true (vd_item_is_undecided (item));
  g_clear_object (&item);
  item = get_item (fixture->bob, "t-4");
  g_assert_true (vd_item_is_undecided (item));

  /* The `checkin` event after t-1's decision names the offline line. */
  events = vd_store_list_audit (fixture->bob, outcome_of (outcomes, "t-1")->decision_seq + 1,
                                1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 1);
  event = g_ptr_array_index (events, 0);
  g_assert_cmpstr (vd_audit_event_get_event_type (event), ==, "checkin");
  g_assert_cmpstr (vd_audit_event_get_actor (event), ==, "alice");
  g_assert_cmpstr (vd_audit_event_get_task_id (event), ==, "t-1");
  payload = vd_audit_event_dup_payload (event);
  g_assert_cmpstr (json_object_get_string_member (payload, "line_hash"), ==,
                   outcome_of (outcomes, "t-1")->line_hash);
  g_assert_cmpstr (json_object_get_string_member (payload, "signed_by"), ==,
                   vd_key_get_id (key));

  /* The applied items' claims are gone; Bob's stays. */
  claims = vd_store_list_claims (fixture->bob, "payments", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < claims->len; i++)
    {
      VdClaim *held = g_ptr_array_index (claims, i);

      g_assert_cmpstr (held->task_id, !=, "t-1");
      g_assert_cmpstr (held->task_id, !=, "t-5");
      if (g_str_equal (held->task_id, "t-3"))
        g_assert_cmpstr (held->reviewer_id, ==, "bob");
    }

  /* Checking in again applies nothing new. */
  g_assert_true (vd_store_get_audit_head (fixture->bob, &head, NULL, &error));
  again = check_in (fixture, key, &error);
  g_assert_no_error (error);
  g_assert_cmpint (outcome_of (again, "t-1")->status, ==, VD_CHECKIN_ALREADY_APPLIED);
  g_assert_cmpint (outcome_of (again, "t-5")->status, ==, VD_CHECKIN_ALREADY_APPLIED);
  g_assert_cmpint (outcome_of (again, "t-2")->status, ==, VD_CHECKIN_CONFLICT);
  g_assert_cmpuint (count_decisions (fixture->bob, "t-1"), ==, 1);
  g_assert_cmpuint (count_decisions (fixture->bob, "t-5"), ==, 1);
  {
    gint64 now = 0;

    g_assert_true (vd_store_get_audit_head (fixture->bob, &now, NULL, &error));
    g_assert_cmpint (now, ==, head);
  }

  /* The team's chain still verifies, the checkin events included. */
  g_assert_true (vd_store_verify_audit (fixture->bob, NULL, NULL, &error));
  g_assert_no_error (error);
}

static void
test_checkin_refuses_tampered (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(VdKey) key = NULL;
  g_autoptr(GPtrArray) outcomes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GString) changed = NULL;
  gint64 head = 0, now = 0;
  char *at;

  check_out (fixture, 5, 5);
  key = review_offline (fixture);
  g_assert_true (vd_store_get_audit_head (fixture->bob, &head, NULL, &error));

  /* The reject of t-2 turned into an approval. */
  g_assert_true (g_file_get_contents (fixture->decisions, &contents, NULL, NULL));
  changed = g_string_new (contents);
  at = strstr (changed->str, "\"decision\":\"reject\"");
  g_assert_nonnull (at);
  g_string_erase (changed, at - changed->str, strlen ("\"decision\":\"reject\""));
  g_string_insert (changed, at - changed->str, "\"decision\":\"approve\"");
  g_assert_true (g_file_set_contents (fixture->decisions, changed->str, changed->len, NULL));

  outcomes = check_in (fixture, key, &error);
  g_assert_null (outcomes);
  g_assert_error (error, VD_EXPORT_VERIFY_ERROR, VD_EXPORT_VERIFY_ERROR_MISMATCH);
  g_clear_error (&error);

  /* Nothing was written. */
  g_assert_true (vd_store_get_audit_head (fixture->bob, &now, NULL, &error));
  g_assert_cmpint (now, ==, head);
  g_assert_cmpuint (count_decisions (fixture->bob, "t-1"), ==, 0);

  /* So is the file without its signature. */
  {
    g_autofree char *minisig = g_strconcat (fixture->decisions, ".minisig", NULL);
    g_autofree char *kept = NULL;
    gsize length;

    g_assert_true (g_file_set_contents (fixture->decisions, contents, -1, NULL));
    g_assert_true (g_file_get_contents (minisig, &kept, &length, NULL));
    g_assert_cmpint (g_unlink (minisig), ==, 0);
    outcomes = check_in (fixture, key, &error);
    g_assert_null (outcomes);
    g_assert_nonnull (error);
    g_assert_nonnull (strstr (error->message, ".minisig"));
    g_clear_error (&error);
    g_assert_true (g_file_set_contents (minisig, kept, length, NULL));
  }
  g_assert_cmpuint (count_decisions (fixture->bob, "t-1"), ==, 0);

  /* A key that did not sign it is refused too. */
  g_assert_true (g_file_set_contents (fixture->decisions, contents, -1, NULL));
  g_clear_object (&key);
  key = vd_key_dup_public (vd_signer_get_installation_key (vd_store_get_signer (fixture->bob)));
  outcomes = check_in (fixture, key, &error);
  g_assert_null (outcomes);
  g_assert_error (error, VD_EXPORT_VERIFY_ERROR, VD_EXPORT_VERIFY_ERROR_UNKNOWN_KEY);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/checkout/checkout", Fixture, NULL, fixture_set_up, test_checkout,
              fixture_tear_down);

  g_test_add ("/checkout/checkin", Fixture, NULL, fixture_set_up, test_checkin,
              fixture_tear_down);
  g_test_add ("/checkout/checkin-tampered", Fixture, NULL, fixture_set_up,
              test_checkin_refuses_tampered, fixture_tear_down);

  return g_test_run ();
}
