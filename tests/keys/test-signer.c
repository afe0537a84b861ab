/* test-signer.c
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

#define G_LOG_DOMAIN "test-signer"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <sys/stat.h>

#include "vd-core.h"
#include "vd-key-file.h"
#include "vd-test-util.h"

/* The keys folder every signer of this program sees by default. */
static char *keys_dir;

typedef struct
{
  char *dir;
  char *db;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->dir = vd_test_make_tmp_dir ("signer");
  fixture->db = g_build_filename (fixture->dir, "verdict.db", NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_assert_true (vd_test_remove_tree (fixture->dir));
  g_free (fixture->dir);
  g_free (fixture->db);
}

static VdKey *
generate (const char *owner)
{
  g_autoptr(GError) error = NULL;
  VdKey *key = vd_key_generate (owner, &error);

  g_assert_no_error (error);
  return key;
}

static VdSigner *
open_signer (const char *db)
{
  g_autoptr(GError) error = NULL;
  VdSigner *signer = vd_signer_new_for_database (db, &error);

  g_assert_no_error (error);
  g_assert_true (VD_IS_SIGNER (signer));
  return signer;
}

static char *
read_text (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  return contents;
}

static void
assert_message_contains (GError     *error,
                         const char *text)
{
  g_assert_nonnull (error);
  if (strstr (error->message, text) == NULL)
    g_error ("expected “%s” in the message “%s”", text, error->message);
}

static void
test_installation_created (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autofree char *path = vd_signer_installation_key_path (fixture->db);
  g_autofree char *expected = g_strconcat (fixture->db, ".installation-key", NULL);
  g_autofree char *first_text = NULL;
  g_autofree char *second_text = NULL;
  g_autoptr(VdSigner) first = NULL;
  g_autoptr(VdSigner) second = NULL;
  GStatBuf st;
  VdKey *key;

  g_assert_cmpstr (path, ==, expected);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  first = open_signer (fixture->db);
  key = vd_signer_get_installation_key (first);
  g_assert_true (vd_key_has_secret (key));
  g_assert_cmpstr (vd_key_get_owner (key), ==, "installation");

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  first_text = read_text (path);
  g_assert_nonnull (strstr (first_text, "\"kdf\":\"none\""));

  /* Opened again: the same key, the file untouched. */
  second = open_signer (fixture->db);
  g_assert_true (vd_key_equal_public (vd_signer_get_installation_key (second), key));
  g_assert_true (vd_key_has_secret (vd_signer_get_installation_key (second)));
  second_text = read_text (path);
  g_assert_cmpstr (first_text, ==, second_text);

  vd_test_assert_finalized (g_steal_pointer (&first));
  vd_test_assert_finalized (g_steal_pointer (&second));
}

static void
test_installation_memory (void)
{
  g_autoptr(VdSigner) a = open_signer (":memory:");
  g_autoptr(VdSigner) b = open_signer (NULL);
  g_autoptr(VdSigner) c = open_signer ("");

  g_assert_null (vd_signer_installation_key_path (":memory:"));
  g_assert_null (vd_signer_installation_key_path (NULL));
  g_assert_null (vd_signer_installation_key_path (""));

  g_assert_true (vd_key_has_secret (vd_signer_get_installation_key (a)));
  g_assert_false (vd_key_equal_public (vd_signer_get_installation_key (a),
                                       vd_signer_get_installation_key (b)));
  g_assert_false (vd_key_equal_public (vd_signer_get_installation_key (b),
                                       vd_signer_get_installation_key (c)));
}

/* A key file others may read is refused, and left as it is. */
static void
test_installation_too_open (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autofree char *path = vd_signer_installation_key_path (fixture->db);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(VdSigner) signer = open_signer (fixture->db);
  g_autoptr(VdSigner) refused = NULL;
  g_autoptr(GError) error = NULL;

  g_clear_object (&signer);
  before = read_text (path);
  g_assert_cmpint (g_chmod (path, 0644), ==, 0);

  refused = vd_signer_new_for_database (fixture->db, &error);
  g_assert_null (refused);
  g_assert_error (error, VD_KEY_ERROR, VD_KEY_ERROR_PERMISSIONS);
  assert_message_contains (error, path);
  assert_message_contains (error, "chmod 600");
  assert_message_contains (error, "The installation key cannot be used");
  g_assert_null (strstr (error->message, "backup"));

  after = read_text (path);
  g_assert_cmpstr (before, ==, after);
}

/* A corrupt or truncated key file is refused, never replaced: a new key
 * would hide that the trail's key was tampered with. */
static void
test_installation_corrupt (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autofree char *path = vd_signer_installation_key_path (fixture->db);
  g_autofree char *text = NULL;
  g_autofree char *truncated = NULL;
  g_autofree char *after = NULL;
  g_autoptr(VdSigner) signer = open_signer (fixture->db);
  g_autoptr(GError) error = NULL;

  g_clear_object (&signer);
  text = read_text (path);
  truncated = g_strndup (text, strlen (text) / 2);
  g_file_set_contents (path, truncated, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (path, 0600), ==, 0);

  signer = vd_signer_new_for_database (fixture->db, &error);
  g_assert_null (signer);
  g_assert_error (error, VD_KEY_ERROR, VD_KEY_ERROR_FORMAT);
  assert_message_contains (error, path);
  assert_message_contains (error, "restore");

  after = read_text (path);
  g_assert_cmpstr (after, ==, truncated);
}

/* A key sealed with a passphrase is not an installation key. */
static void
test_installation_sealed (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *path = vd_signer_installation_key_path (fixture->db);
  g_autoptr(VdKey) key = generate ("installation");
  g_autoptr(VdSigner) signer = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (vd_key_file_save (key, path, "a passphrase", &error));
  g_assert_no_error (error);

  signer = vd_signer_new_for_database (fixture->db, &error);
  g_assert_null (signer);
  g_assert_error (error, VD_KEY_ERROR, VD_KEY_ERROR_FORMAT);
  assert_message_contains (error, "sealed with a passphrase");
}

typedef struct
{
  const char *db;
  GPtrArray  *ids;
  GMutex      mutex;
} RaceData;

static gpointer
open_in_thread (gpointer user_data)
{
  RaceData *race = user_data;
  g_autoptr(VdSigner) signer = open_signer (race->db);

  g_mutex_lock (&race->mutex);
  g_ptr_array_add (race->ids, g_strdup (vd_key_get_id (vd_signer_get_installation_key (signer))));
  g_mutex_unlock (&race->mutex);

  return NULL;
}

/* Several openers of a new database at once agree on one key. */
static void
test_installation_race (Fixture       *fixture,
                        gconstpointer  data)
{
  RaceData race = { fixture->db, g_ptr_array_new_with_free_func (g_free) };
  GThread *threads[6];

  g_mutex_init (&race.mutex);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("open", open_in_thread, &race);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_thread_join (threads[i]);

  g_assert_cmpuint (race.ids->len, ==, G_N_ELEMENTS (threads));
  for (guint i = 1; i < race.ids->len; i++)
    g_assert_cmpstr (g_ptr_array_index (race.ids, i), ==, g_ptr_array_index (race.ids, 0));

  g_mutex_clear (&race.mutex);
  g_ptr_array_unref (race.ids);
}

static void
test_key_for_actor (void)
{
  g_autoptr(VdKey) installation = generate ("installation");
  g_autoptr(VdSigner) signer = vd_signer_new (installation);
  g_autoptr(VdKey) alice = generate ("alice");
  g_autoptr(VdKey) alice_again = generate ("alice");
  g_autoptr(VdKey) bob = generate ("bob");
  g_autoptr(VdKey) key = NULL;

  g_assert_true (vd_signer_get_installation_key (signer) == installation);

  /* Nobody unlocked: everything is signed by the installation. */
  key = vd_signer_dup_key_for_actor (signer, "alice");
  g_assert_true (key == installation);
  g_clear_object (&key);
  g_assert_false (vd_signer_is_unlocked (signer, "alice"));
  g_assert_null (vd_signer_dup_unlocked (signer, "alice"));

  vd_signer_add_key (signer, alice);
  vd_signer_add_key (signer, bob);
  g_assert_true (vd_signer_is_unlocked (signer, "alice"));

  key = vd_signer_dup_key_for_actor (signer, "alice");
  g_assert_true (key == alice);
  g_clear_object (&key);

  /* Automatic actors always get the installation key. */
  for (guint i = 0; i < 4; i++)
    {
      const char *actors[] = { "policy", "sla", "system", NULL };

      key = vd_signer_dup_key_for_actor (signer, actors[i]);
      g_assert_true (key == installation);
      g_clear_object (&key);
    }

  /* A new key for alice replaces the old one, which is wiped. */
  vd_signer_add_key (signer, alice_again);
  key = vd_signer_dup_key_for_actor (signer, "alice");
  g_assert_true (key == alice_again);
  g_clear_object (&key);
  g_assert_false (vd_key_has_secret (alice));

  vd_signer_lock (signer, "alice");
  g_assert_false (vd_signer_is_unlocked (signer, "alice"));
  g_assert_false (vd_key_has_secret (alice_again));
  key = vd_signer_dup_key_for_actor (signer, "alice");
  g_assert_true (key == installation);
  g_clear_object (&key);
  g_assert_true (vd_signer_is_unlocked (signer, "bob"));

  vd_signer_lock_all (signer);
  g_assert_false (vd_signer_is_unlocked (signer, "bob"));
  g_assert_false (vd_key_has_secret (bob));
  g_assert_true (vd_key_has_secret (installation));

  vd_test_assert_finalized (g_steal_pointer (&signer));
}

static void
test_policy_sha256 (void)
{
  g_autoptr(VdKey) installation = generate ("installation");
  g_autoptr(VdSigner) signer = vd_signer_new (installation);
  g_autofree char *sha = NULL;
  const char *hex = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

  g_assert_null (vd_signer_dup_policy_sha256 (signer));
  vd_signer_set_policy_sha256 (signer, hex);
  sha = vd_signer_dup_policy_sha256 (signer);
  g_assert_cmpstr (sha, ==, hex);
  vd_signer_set_policy_sha256 (signer, NULL);
  g_assert_null (vd_signer_dup_policy_sha256 (signer));
}

static VdRoster *
make_roster (VdKey *alice,
             VdKey *bob)
{
  g_autofree char *alice_line = vd_key_format_public (alice);
  g_autofree char *bob_line = vd_key_format_public (bob);
  g_autofree char *json = g_strdup_printf (
    "[{\"id\": \"alice\", \"public_key\": \"%s\", \"roles\": [\"reviewer\"]},"
    " {\"id\": \"bob\", \"public_key\": \"%s\", \"roles\": [\"reviewer\", \"senior\"]}]",
    alice_line, bob_line);
  g_autoptr(JsonNode) node = json_from_string (json, NULL);
  g_autoptr(GError) error = NULL;
  VdRoster *roster = vd_roster_new_from_json (node, &error);

  g_assert_no_error (error);
  return roster;
}

static void
assert_refused (VdSigner   *signer,
                const char *reviewer,
                gboolean    escalated,
                const char *queue,
                int         code,
                const char *message)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (vd_signer_authorize (signer, reviewer, escalated, queue, "t-7", &error));
  g_assert_error (error, VD_KEY_ERROR, code);
  g_assert_cmpstr (error->message, ==, message);
}

static void
assert_allowed (VdSigner   *signer,
                const char *reviewer,
                gboolean    escalated)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (vd_signer_authorize (signer, reviewer, escalated, "payments", "t-7", &error));
  g_assert_no_error (error);
}

static void
test_authorize (void)
{
  g_autoptr(VdKey) installation = generate ("installation");
  g_autoptr(VdSigner) signer = vd_signer_new (installation);
  g_autoptr(VdKey) alice = generate ("alice");
  g_autoptr(VdKey) alice_other = generate ("alice");
  g_autoptr(VdKey) bob = generate ("bob");
  g_autoptr(VdRoster) roster = make_roster (alice, bob);
  g_autoptr(VdRoster) back = NULL;
  g_autofree char *wrong_key = NULL;

  /* No roster: everyone may decide, signed in or not. */
  assert_allowed (signer, "carol", FALSE);
  assert_allowed (signer, "carol", TRUE);

  vd_signer_set_roster (signer, roster);
  back = vd_signer_dup_roster (signer);
  g_assert_true (back == roster);

  assert_refused (signer, "carol", FALSE, "payments", VD_KEY_ERROR_NOT_ALLOWED,
                  "carol may not decide payments/t-7: carol is not in the policy's reviewers");
  assert_refused (signer, "alice", FALSE, "payments", VD_KEY_ERROR_LOCKED,
                  "alice may not decide payments/t-7: alice's key is not unlocked "
                  "(sign in first)");

  /* Unlocked, but with a key the roster does not list for alice. */
  vd_signer_add_key (signer, alice_other);
  wrong_key = g_strdup_printf ("alice may not decide payments/t-7: alice's unlocked key %s is "
                               "not the key in the policy's reviewers (%s)",
                               vd_key_get_id (alice_other), vd_key_get_id (alice));
  assert_refused (signer, "alice", FALSE, "payments", VD_KEY_ERROR_NOT_ALLOWED, wrong_key);

  vd_signer_add_key (signer, alice);
  assert_allowed (signer, "alice", FALSE);
  assert_refused (signer, "alice", TRUE, "payments", VD_KEY_ERROR_NOT_ALLOWED,
                  "alice may not decide payments/t-7: the item is escalated and alice lacks "
                  "the role “senior”");
  /* Without a queue the item is its task ID alone. */
  assert_refused (signer, "alice", TRUE, NULL, VD_KEY_ERROR_NOT_ALLOWED,
                  "alice may not decide t-7: the item is escalated and alice lacks "
                  "the role “senior”");

  /* bob is senior, but must sign in first. */
  assert_refused (signer, "bob", TRUE, "payments", VD_KEY_ERROR_LOCKED,
                  "bob may not decide payments/t-7: bob's key is not unlocked (sign in first)");
  vd_signer_add_key (signer, bob);
  assert_allowed (signer, "bob", TRUE);
  assert_allowed (signer, "bob", FALSE);

  /* Locked again (the idle lock): refused again. */
  vd_signer_lock (signer, "bob");
  assert_refused (signer, "bob", TRUE, "payments", VD_KEY_ERROR_LOCKED,
                  "bob may not decide payments/t-7: bob's key is not unlocked (sign in first)");

  vd_signer_set_roster (signer, NULL);
  assert_allowed (signer, "bob", TRUE);
}

static void
test_known_keys (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *store_dir = g_build_filename (fixture->dir, "keys", NULL);
  g_autoptr(VdKeystore) keystore = vd_keystore_new (store_dir);
  g_autoptr(VdKey) alice = generate ("alice");
  g_autoptr(VdKey) bob = generate ("bob");
  g_autoptr(VdKey) carol = generate ("carol");
  g_autoptr(VdKey) stranger = generate ("stranger");
  g_autoptr(VdKey) dave = NULL;
  g_autoptr(VdKey) erin = NULL;
  g_autoptr(VdRoster) roster = make_roster (alice, bob);
  g_autoptr(VdSigner) signer = open_signer (fixture->db);
  g_autoptr(GError) error = NULL;
  VdKey *installation = vd_signer_get_installation_key (signer);
  VdKey *found;

  dave = vd_keystore_generate (keystore, "dave", "dave's passphrase", &error);
  g_assert_no_error (error);

  vd_signer_set_keystore (signer, keystore);
  vd_signer_set_roster (signer, roster);
  vd_signer_add_key (signer, carol);

  found = vd_signer_lookup_known (signer, vd_key_get_id (installation));
  g_assert_nonnull (found);
  g_assert_true (vd_key_equal_public (found, installation));
  g_assert_cmpstr (vd_key_get_owner (found), ==, "installation");
  g_assert_false (vd_key_has_secret (found));
  g_object_unref (found);

  /* Unlocked, from the roster, from the keystore. */
  found = vd_signer_lookup_known (signer, vd_key_get_id (carol));
  g_assert_true (vd_key_equal_public (found, carol));
  g_assert_cmpstr (vd_key_get_owner (found), ==, "carol");
  g_assert_false (vd_key_has_secret (found));
  g_object_unref (found);

  found = vd_signer_lookup_known (signer, vd_key_get_id (bob));
  g_assert_true (vd_key_equal_public (found, bob));
  g_assert_cmpstr (vd_key_get_owner (found), ==, "bob");
  g_object_unref (found);

  found = vd_signer_lookup_known (signer, vd_key_get_id (dave));
  g_assert_nonnull (found);
  g_assert_true (vd_key_equal_public (found, dave));
  g_assert_cmpstr (vd_key_get_owner (found), ==, "dave");
  g_object_unref (found);

  /* A key made after the keystore was read is found too. */
  erin = vd_keystore_generate (keystore, "erin", "erin's passphrase", &error);
  g_assert_no_error (error);
  found = vd_signer_lookup_known (signer, vd_key_get_id (erin));
  g_assert_nonnull (found);
  g_assert_cmpstr (vd_key_get_owner (found), ==, "erin");
  g_object_unref (found);

  g_assert_null (vd_signer_lookup_known (signer, vd_key_get_id (stranger)));
  vd_signer_add_known_key (signer, stranger);
  vd_signer_add_known_key (signer, stranger);
  found = vd_signer_lookup_known (signer, vd_key_get_id (stranger));
  g_assert_true (vd_key_equal_public (found, stranger));
  g_object_unref (found);

  /* A locked key is no longer known through the signer's unlocked keys. */
  vd_signer_lock (signer, "carol");
  g_assert_null (vd_signer_lookup_known (signer, vd_key_get_id (carol)));
  g_assert_null (vd_signer_lookup_known (signer, "0000000000000000"));
}

/* The default keystore of a database's signer is $VERDICT_KEYS_DIR. */
static void
test_default_keystore (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(VdKeystore) keystore = vd_keystore_new (keys_dir);
  g_autoptr(GError) error = NULL;
  g_autofree char *id = g_strdup_printf ("frank-%s", strrchr (fixture->dir, '-') + 1);
  g_autoptr(VdKey) frank = vd_keystore_generate (keystore, id, "frank's passphrase", &error);
  g_autoptr(VdSigner) signer = open_signer (fixture->db);
  g_autoptr(VdKey) found = NULL;

  g_assert_no_error (error);
  found = vd_signer_lookup_known (signer, vd_key_get_id (frank));
  g_assert_nonnull (found);
  g_assert_cmpstr (vd_key_get_owner (found), ==, id);
}

typedef struct
{
  VdSigner *signer;
  VdKey    *key;
  VdRoster *roster;
  guint     rounds;
} ThreadData;

static gpointer
use_signer (gpointer user_data)
{
  ThreadData *data = user_data;
  const char *owner = vd_key_get_owner (data->key);
  VdKey *installation = vd_signer_get_installation_key (data->signer);

  for (guint i = 0; i < data->rounds; i++)
    {
      g_autoptr(VdKey) key = NULL;
      g_autoptr(VdKey) known = NULL;
      g_autoptr(VdKey) other = NULL;
      g_autoptr(VdRoster) roster = NULL;

      vd_signer_add_key (data->signer, data->key);
      key = vd_signer_dup_key_for_actor (data->signer, owner);
      g_assert_true (key == data->key);
      known = vd_signer_lookup_known (data->signer, vd_key_get_id (data->key));
      g_assert_nonnull (known);
      g_assert_true (vd_key_equal_public (known, data->key));

      other = vd_signer_dup_key_for_actor (data->signer, "policy");
      g_assert_true (other == installation);

      vd_signer_set_roster (data->signer, (i % 2) ? data->roster : NULL);
      roster = vd_signer_dup_roster (data->signer);
      vd_signer_set_policy_sha256 (data->signer, owner);
      g_free (vd_signer_dup_policy_sha256 (data->signer));
      vd_signer_add_known_key (data->signer, data->key);
    }

  return NULL;
}

/* Store worker threads share one signer. */
static void
test_threads (void)
{
  g_autoptr(VdKey) installation = generate ("installation");
  g_autoptr(VdSigner) signer = vd_signer_new (installation);
  g_autoptr(VdKey) alice = generate ("alice");
  g_autoptr(VdKey) bob = generate ("bob");
  g_autoptr(VdRoster) roster = make_roster (alice, bob);
  ThreadData data[6];
  GThread *threads[G_N_ELEMENTS (data)];

  for (guint i = 0; i < G_N_ELEMENTS (data); i++)
    {
      g_autofree char *owner = g_strdup_printf ("reviewer-%u", i);

      data[i].signer = signer;
      data[i].key = generate (owner);
      data[i].roster = roster;
      data[i].rounds = 500;
      threads[i] = g_thread_new ("signer", use_signer, &data[i]);
    }

  for (guint i = 0; i < G_N_ELEMENTS (data); i++)
    g_thread_join (threads[i]);

  for (guint i = 0; i < G_N_ELEMENTS (data); i++)
    {
      g_assert_true (vd_signer_is_unlocked (signer, vd_key_get_owner (data[i].key)));
      g_assert_true (vd_key_has_secret (data[i].key));
    }

  vd_signer_lock_all (signer);
  for (guint i = 0; i < G_N_ELEMENTS (data); i++)
    {
      g_assert_false (vd_key_has_secret (data[i].key));
      g_object_unref (data[i].key);
    }

  vd_test_assert_finalized (g_steal_pointer (&signer));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);

  /* Never the real home: every keystore of this program is temporary. */
  keys_dir = vd_test_make_tmp_dir ("signer-keys");
  g_setenv ("VERDICT_KEYS_DIR", keys_dir, TRUE);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/signer/installation/created", test_installation_created);
  g_test_add_func ("/signer/installation/memory", test_installation_memory);
  ADD ("/signer/installation/too-open", test_installation_too_open);
  ADD ("/signer/installation/corrupt", test_installation_corrupt);
  ADD ("/signer/installation/sealed", test_installation_sealed);
  ADD ("/signer/installation/race", test_installation_race);
  g_test_add_func ("/signer/key-for-actor", test_key_for_actor);
  g_test_add_func ("/signer/policy-sha256", test_policy_sha256);
  g_test_add_func ("/signer/authorize", test_authorize);
  ADD ("/signer/known-keys", test_known_keys);
  ADD ("/signer/default-keystore", test_default_keystore);
  g_test_add_func ("/signer/threads", test_threads);

#undef ADD

  status = g_test_run ();

  vd_test_remove_tree (keys_dir);
  g_free (keys_dir);

  return status;
}
