/* test-agreement.c: agreement between the two reviewers of an item
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

#include "vd-agreement.h"
#include "vd-core.h"
#include "vd-test-util.h"

static void
add_n (VdAgreement    *agreement,
       VdDecisionKind  first,
       VdDecisionKind  second,
       guint           n)
{
  for (guint i = 0; i < n; i++)
    vd_agreement_add (agreement, first, second);
}

/* The 2x2 example of Cohen's kappa in Wikipedia's article: 50 proposals,
 * 20 yes/yes, 5 yes/no, 10 no/yes, 15 no/no: p_o = 0.7, p_e = 0.5,
 * kappa = 0.4. */
static void
test_textbook (void)
{
  VdAgreement agreement = { 0, };

  add_n (&agreement, VD_DECISION_KIND_APPROVE, VD_DECISION_KIND_APPROVE, 20);
  add_n (&agreement, VD_DECISION_KIND_APPROVE, VD_DECISION_KIND_REJECT, 5);
  add_n (&agreement, VD_DECISION_KIND_REJECT, VD_DECISION_KIND_APPROVE, 10);
  add_n (&agreement, VD_DECISION_KIND_REJECT, VD_DECISION_KIND_REJECT, 15);
  vd_agreement_compute (&agreement);

  g_assert_cmpuint (agreement.n_pairs, ==, 50);
  g_assert_cmpuint (agreement.n_agree, ==, 35);
  g_assert_cmpfloat_with_epsilon (agreement.percent_agreement, 70.0, 1e-9);
  g_assert_true (agreement.kappa_defined);
  g_assert_cmpfloat_with_epsilon (agreement.kappa, 0.4, 1e-9);
}

/* The same article's "same agreement, different kappa" tables: 45/15/25/15
 * gives p_o = 0.6, p_e = 0.54, kappa = 0.06 / 0.46 = 0.1304...; 25/35/5/35
 * gives p_e = 0.46, kappa = 0.14 / 0.54 = 0.2593... */
static void
test_marginals (void)
{
  VdAgreement a = { 0, };
  VdAgreement b = { 0, };

  add_n (&a, VD_DECISION_KIND_APPROVE, VD_DECISION_KIND_APPROVE, 45);
  add_n (&a, VD_DECISION_KIND_APPROVE, VD_DECISION_KIND_REJECT, 15);
  add_n (&a, VD_DECISION_KIND_REJECT, VD_DECISION_KIND_APPROVE, 25);
  add_n (&a, VD_DECISION_KIND_REJECT, VD_DECISION_KIND_REJECT, 15);
  vd_agreement_compute (&a);
  g_assert_cmpfloat_with_epsilon (a.percent_agreement, 60.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (a.kappa, 0.06 / 0.46, 1e-9);

  add_n (&b, VD_DECISION_KIND_APPROVE, VD_DECISION_KIND_APPROVE, 25);
  add_n (&b, VD_DECISION_KIND_APPROVE, VD_DECISION_KIND_REJECT, 35);
  add_n (&b, VD_DECISION_KIND_REJECT, VD_DECISION_KIND_APPROVE, 5);
  add_n (&b, VD_DECISION_KIND_REJECT, VD_DECISION_KIND_REJECT, 35);
  vd_agreement_compute (&b);
  g_assert_cmpfloat_with_epsilon (b.percent_agreement, 60.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (b.kappa, 0.14 / 0.54, 1e-9);
}

/* Both reviewers always approve: p_e = 1, kappa is undefined, never NaN. */
static void
test_degenerate (void)
{
  VdAgreement agreement = { 0, };
  VdAgreement empty = { 0, };
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(JsonObject) empty_object = NULL;

  add_n (&agreement, VD_DECISION_KIND_APPROVE, VD_DECISION_KIND_APPROVE, 7);
  vd_agreement_compute (&agreement);
  g_assert_cmpfloat_with_epsilon (agreement.percent_agreement, 100.0, 1e-9);
  g_assert_false (agreement.kappa_defined);
  g_assert_cmpfloat (agreement.kappa, ==, 0.0);

  object = vd_agreement_to_json (&agreement);
  g_assert_true (json_object_get_null_member (object, "kappa"));
  g_assert_cmpint (json_object_get_int_member (object, "pairs"), ==, 7);

  vd_agreement_compute (&empty);
  g_assert_cmpuint (empty.n_pairs, ==, 0);
  g_assert_false (empty.kappa_defined);
  empty_object = vd_agreement_to_json (&empty);
  g_assert_true (json_object_get_null_member (empty_object, "percent_agreement"));
}

static VdDecision *
review (const char     *task_id,
        VdDecisionKind  kind,
        const char     *reviewer,
        gboolean        final,
        int             minutes)
{
  g_autoptr(GDateTime) base = g_date_time_new_utc (2026, 11, 20, 9, 0, 0);
  g_autoptr(GDateTime) when = g_date_time_add_minutes (base, minutes);
  VdDecision *decision = vd_decision_new ("q", task_id, kind, reviewer);

  vd_decision_set_final (decision, final);
  vd_decision_set_timestamp (decision, when);
  return decision;
}

/* Pairs from the decisions as a store lists them. */
static void
test_pairs (void)
{
  g_autoptr(GPtrArray) decisions = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GDateTime) base = g_date_time_new_utc (2026, 11, 20, 9, 0, 0);
  g_autoptr(GDateTime) from = g_date_time_add_minutes (base, 5);
  VdAgreement all = { 0, };
  VdAgreement later = { 0, };
  VdDecision *retracted;

  /* a: agreed; b: disagreed, then a senior decided; c: one review only;
   * d: a review retracted, then two that agree; e: a one-review item. */
  g_ptr_array_add (decisions, review ("a", VD_DECISION_KIND_APPROVE, "alice", FALSE, 0));
  g_ptr_array_add (decisions, review ("b", VD_DECISION_KIND_APPROVE, "alice", FALSE, 1));
  g_ptr_array_add (decisions, review ("a", VD_DECISION_KIND_APPROVE, "bob", TRUE, 2));
  g_ptr_array_add (decisions, review ("b", VD_DECISION_KIND_REJECT, "bob", FALSE, 3));
  g_ptr_array_add (decisions, review ("b", VD_DECISION_KIND_REJECT, "carol", TRUE, 4));
  g_ptr_array_add (decisions, review ("c", VD_DECISION_KIND_REJECT, "alice", FALSE, 5));
  retracted = review ("d", VD_DECISION_KIND_REJECT, "alice", FALSE, 6);
  vd_decision_set_retracted (retracted, TRUE);
  g_ptr_array_add (decisions, retracted);
  g_ptr_array_add (decisions, review ("d", VD_DECISION_KIND_APPROVE, "alice", FALSE, 7));
  g_ptr_array_add (decisions, review ("d", VD_DECISION_KIND_APPROVE, "bob", TRUE, 8));
  g_ptr_array_add (decisions, review ("e", VD_DECISION_KIND_APPROVE, "bob", TRUE, 9));

  vd_agreement_add_decisions (&all, decisions, NULL, NULL);
  vd_agreement_compute (&all);
  g_assert_cmpuint (all.n_pairs, ==, 3);
  g_assert_cmpuint (all.n_agree, ==, 2);
  g_assert_cmpuint (all.table[VD_DECISION_KIND_APPROVE][VD_DECISION_KIND_REJECT], ==, 1);

  vd_agreement_add_decisions (&later, decisions, from, NULL);
  vd_agreement_compute (&later);
  g_assert_cmpuint (later.n_pairs, ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/agreement/textbook", test_textbook);
  g_test_add_func ("/agreement/marginals", test_marginals);
  g_test_add_func ("/agreement/degenerate", test_degenerate);
  g_test_add_func ("/agreement/pairs", test_pairs);

  return g_test_run ();
}
