/* test-roster.c
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

#define G_LOG_DOMAIN "test-roster"

#include "config.h"

#include <string.h>

#include "vd-core.h"
#include "vd-test-util.h"

/* Three reviewers' keys, made once for the whole test program. */
static VdKey *alice_key;
static VdKey *bob_key;
static VdKey *carol_key;

static char *
public_line (VdKey *key)
{
  return vd_key_format_public (key);
}

static JsonNode *
parse (const char *json)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (json, &error);

  g_assert_no_error (error);
  return node;
}

/* alice: reviewer; bob: reviewer and senior. */
static char *
two_reviewers_json (void)
{
  g_autofree char *alice = public_line (alice_key);
  g_autofree char *bob = public_line (bob_key);

  return g_strdup_printf ("[{\"id\": \"alice\", \"public_key\": \"%s\", \"roles\": [\"reviewer\"]},"
                          " {\"id\": \"bob\", \"public_key\": \"%s\","
                          "  \"roles\": [\"reviewer\", \"senior\"]}]",
                          alice, bob);
}

static VdRoster *
load_roster (const char *json)
{
  g_autoptr(JsonNode) node = parse (json);
  g_autoptr(GError) error = NULL;
  VdRoster *roster = vd_roster_new_from_json (node, &error);

  g_assert_no_error (error);
  g_assert_true (VD_IS_ROSTER (roster));
  return roster;
}

static void
assert_refused (const char *json,
                const char *message)
{
  g_autoptr(JsonNode) node = parse (json);
  g_autoptr(GError) error = NULL;
  g_autoptr(VdRoster) roster = vd_roster_new_from_json (node, &error);

  g_assert_null (roster);
  g_assert_error (error, VD_KEY_ERROR, VD_KEY_ERROR_FORMAT);
  if (!g_str_has_prefix (error->message, message))
    g_error ("expected a message starting with “%s”, got “%s”", message, error->message);
}

static void
test_parse (void)
{
  g_autofree char *json = two_reviewers_json ();
  g_autoptr(VdRoster) roster = load_roster (json);
  g_autoptr(GPtrArray) keys = NULL;
  const char * const *roles;
  VdKey *key;

  g_assert_cmpuint (vd_roster_get_n_reviewers (roster), ==, 2);
  g_assert_cmpstr (vd_roster_get_reviewer_id (roster, 0), ==, "alice");
  g_assert_cmpstr (vd_roster_get_reviewer_id (roster, 1), ==, "bob");

  g_assert_true (vd_roster_has_reviewer (roster, "alice"));
  g_assert_false (vd_roster_has_reviewer (roster, "carol"));
  g_assert_false (vd_roster_has_reviewer (roster, NULL));

  key = vd_roster_lookup_key (roster, "bob");
  g_assert_nonnull (key);
  g_assert_true (vd_key_equal_public (key, bob_key));
  g_assert_false (vd_key_has_secret (key));
  g_assert_cmpstr (vd_key_get_owner (key), ==, "bob");
  g_assert_null (vd_roster_lookup_key (roster, "carol"));

  key = vd_roster_lookup_key_id (roster, vd_key_get_id (alice_key));
  g_assert_nonnull (key);
  g_assert_cmpstr (vd_key_get_owner (key), ==, "alice");
  g_assert_null (vd_roster_lookup_key_id (roster, vd_key_get_id (carol_key)));

  roles = vd_roster_get_roles (roster, "bob");
  g_assert_nonnull (roles);
  g_assert_cmpstr (roles[0], ==, "reviewer");
  g_assert_cmpstr (roles[1], ==, "senior");
  g_assert_null (roles[2]);
  g_assert_null (vd_roster_get_roles (roster, "carol"));

  g_assert_true (vd_roster_has_role (roster, "bob", VD_ROLE_SENIOR));
  g_assert_false (vd_roster_has_role (roster, "alice", VD_ROLE_SENIOR));
  g_assert_true (vd_roster_has_role (roster, "alice", VD_ROLE_REVIEWER));
  g_assert_false (vd_roster_has_role (roster, "carol", VD_ROLE_REVIEWER));

  keys = vd_roster_list_keys (roster);
  g_assert_cmpuint (keys->len, ==, 2);
  g_assert_true (vd_key_equal_public (g_ptr_array_index (keys, 0), alice_key));
  g_assert_true (vd_key_equal_public (g_ptr_array_index (keys, 1), bob_key));
}

/* A whole public key file is accepted as the key, as minisign writes it. */
static void
test_key_file_form (void)
{
  g_autofree char *file = vd_key_format_public_file (alice_key);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(VdRoster) roster = NULL;

  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, "alice");
  json_builder_set_member_name (builder, "public_key");
  json_builder_add_string_value (builder, file);
  json_builder_set_member_name (builder, "roles");
  json_builder_begin_array (builder);
  json_builder_add_string_value (builder, "reviewer");
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  node = json_builder_get_root (builder);

  roster = vd_roster_new_from_json (node, &error);
  g_assert_no_error (error);
  g_assert_true (vd_key_equal_public (vd_roster_lookup_key (roster, "alice"), alice_key));
}

static void
test_round_trip (void)
{
  g_autofree char *json = two_reviewers_json ();
  g_autoptr(VdRoster) roster = load_roster (json);
  g_autoptr(JsonNode) written = vd_roster_to_json (roster);
  g_autoptr(GError) error = NULL;
  g_autoptr(VdRoster) again = vd_roster_new_from_json (written, &error);
  g_autoptr(JsonNode) original = parse (json);

  g_assert_no_error (error);
  g_assert_true (json_node_equal (written, original));
  g_assert_cmpuint (vd_roster_get_n_reviewers (again), ==, 2);
  g_assert_true (vd_key_equal_public (vd_roster_lookup_key (again, "bob"), bob_key));
  g_assert_true (vd_roster_has_role (again, "bob", VD_ROLE_SENIOR));
}

static void
test_errors (void)
{
  g_autofree char *alice = public_line (alice_key);
  g_autofree char *bob = public_line (bob_key);
  g_autofree char *json = NULL;
  g_autofree char *truncated = g_strndup (bob, 40);

  assert_refused ("{}", "reviewers: expected an array of reviewers, found an object");
  assert_refused ("[]", "reviewers: the list is empty");
  assert_refused ("[3]", "reviewers[0]: expected an object, found 3");

#define ALICE_OK "{\"id\": \"alice\", \"public_key\": \"%s\", \"roles\": [\"reviewer\"]}"

  json = g_strdup_printf ("[" ALICE_OK ", {\"id\": \"bob\", \"public_key\": \"%s\", "
                          "\"roles\": [\"reviewer\"], \"role\": \"senior\"}]", alice, bob);
  assert_refused (json, "reviewers[1]: unknown field “role”");
  g_clear_pointer (&json, g_free);

  json = g_strdup_printf ("[" ALICE_OK ", {\"id\": \"bob\", \"roles\": [\"reviewer\"]}]", alice);
  assert_refused (json, "reviewers[1]: missing field “public_key”");
  g_clear_pointer (&json, g_free);

  json = g_strdup_printf ("[" ALICE_OK ", {\"id\": \"\", \"public_key\": \"%s\", "
                          "\"roles\": [\"reviewer\"]}]", alice, bob);
  assert_refused (json, "reviewers[1].id: expected a non-empty string, found \"\"");
  g_clear_pointer (&json, g_free);

  /* A malformed key: the member is named, then what is wrong with it. */
  json = g_strdup_printf ("[" ALICE_OK ", {\"id\": \"bob\", \"public_key\": \"%s\", "
                          "\"roles\": [\"reviewer\"]}]", alice, truncated);
  assert_refused (json, "reviewers[1].public_key: The public key has the wrong length");
  g_clear_pointer (&json, g_free);

  json = g_strdup_printf ("[" ALICE_OK ", {\"id\": \"bob\", \"public_key\": \"not a key!\", "
                          "\"roles\": [\"reviewer\"]}]", alice);
  assert_refused (json, "reviewers[1].public_key: The public key is not base64");
  g_clear_pointer (&json, g_free);

  json = g_strdup_printf ("[" ALICE_OK ", {\"id\": \"bob\", \"public_key\": 42, "
                          "\"roles\": [\"reviewer\"]}]", alice);
  assert_refused (json, "reviewers[1].public_key: expected a minisign public key");
  g_clear_pointer (&json, g_free);

  json = g_strdup_printf ("[" ALICE_OK ", {\"id\": \"bob\", \"public_key\": \"%s\", "
                          "\"roles\": []}]", alice, bob);
  assert_refused (json, "reviewers[1].roles: expected an array of at least one role");
  g_clear_pointer (&json, g_free);

  json = g_strdup_printf ("[" ALICE_OK ", {\"id\": \"bob\", \"public_key\": \"%s\", "
                          "\"roles\": [\"reviewer\", \"\"]}]", alice, bob);
  assert_refused (json, "reviewers[1].roles[1]: expected a non-empty string, found \"\"");
  g_clear_pointer (&json, g_free);

  json = g_strdup_printf ("[" ALICE_OK ", {\"id\": \"bob\", \"public_key\": \"%s\", "
                          "\"roles\": [\"senior\", \"senior\"]}]", alice, bob);
  assert_refused (json, "reviewers[1].roles[1]: “senior” is listed twice");
  g_clear_pointer (&json, g_free);

#undef ALICE_OK
}

static void
test_duplicates (void)
{
  g_autofree char *alice = public_line (alice_key);
  g_autofree char *bob = public_line (bob_key);
  g_autofree char *same_id = NULL;
  g_autofree char *same_key = NULL;

  same_id = g_strdup_printf ("[{\"id\": \"alice\", \"public_key\": \"%s\", \"roles\": [\"reviewer\"]},"
                             " {\"id\": \"alice\", \"public_key\": \"%s\", \"roles\": [\"senior\"]}]",
                             alice, bob);
  assert_refused (same_id, "reviewers[1].id: “alice” is listed twice (also reviewers[0])");

  same_key = g_strdup_printf ("[{\"id\": \"alice\", \"public_key\": \"%s\", \"roles\": [\"reviewer\"]},"
                              " {\"id\": \"bob\", \"public_key\": \"%s\", \"roles\": [\"senior\"]}]",
                              alice, alice);
  {
    g_autofree char *message = g_strdup_printf ("reviewers[1].public_key: the key %s is also "
                                                "the key of “alice” (reviewers[0])",
                                                vd_key_get_id (alice_key));
    assert_refused (same_key, message);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  alice_key = vd_key_generate ("alice", &error);
  g_assert_no_error (error);
  bob_key = vd_key_generate ("bob", &error);
  g_assert_no_error (error);
  carol_key = vd_key_generate ("carol", &error);
  g_assert_no_error (error);

  g_test_add_func ("/roster/parse", test_parse);
  g_test_add_func ("/roster/key-file-form", test_key_file_form);
  g_test_add_func ("/roster/round-trip", test_round_trip);
  g_test_add_func ("/roster/errors", test_errors);
  g_test_add_func ("/roster/duplicates", test_duplicates);

  status = g_test_run ();

  g_clear_object (&alice_key);
  g_clear_object (&bob_key);
  g_clear_object (&carol_key);

  return status;
}
