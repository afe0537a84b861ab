/* test-sign-in.c: sign-in, lock and roles in the window
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

/* Real widgets under Xvfb, a real store and a real keystore in a temporary
 * VERDICT_KEYS_DIR with a key generated through vd_keystore_generate(). */

#include "config.h"

#include <sys/stat.h>

#include <adwaita.h>
#include <glib/gstdio.h>

#include "vd-import-dialog.h"
#include "vd-item-detail.h"
#include "vd-preferences-window.h"
#include "vd-sign-in-page.h"
#include "vd-signing-status.h"
#include "vd-test-gui.h"

#define REVIEWER   "alice"
#define PASSPHRASE "correct horse battery"

static const char queue_text[] =
  "{\"verdict_queue\": 1, \"queue\": \"q\"}\n"
  "{\"task_id\": \"t1\", \"task_description\": \"First\", "
  "\"agent_output\": {\"content\": \"one\", \"confidence\": 0.4}, "
  "\"escalation_reason\": \"low_confidence\"}\n"
  "{\"task_id\": \"t2\", \"task_description\": \"Second\", "
  "\"agent_output\": {\"content\": \"two\", \"confidence\": 0.5}, "
  "\"escalation_reason\": \"low_confidence\"}\n"
  "{\"task_id\": \"t3\", \"task_description\": \"Third\", "
  "\"agent_output\": {\"content\": \"three\", \"confidence\": 0.6}, "
  "\"escalation_reason\": \"low_confidence\"}\n";

typedef struct
{
  char      *tmpdir;
  char      *keys_dir;
  char      *db_path;
  char      *key_id;       /* the reviewer's key, NULL without one */
  char      *public_line;
  VdStore   *store;
  VdSession *session;
  VdWindow  *window;
} Fixture;

/* Tests that start without a key for the reviewer. */
#define NO_KEY GINT_TO_POINTER (1)

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  VdImportResult result = { 0 };

  fixture->tmpdir = g_dir_make_tmp ("verdict-test-sign-in-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->keys_dir = g_build_filename (fixture->tmpdir, "keys", NULL);
  g_setenv ("VERDICT_KEYS_DIR", fixture->keys_dir, TRUE);
  fixture->db_path = g_build_filename (fixture->tmpdir, "verdict.db", NULL);
  g_setenv ("VERDICT_DB", fixture->db_path, TRUE);

  if (data != NO_KEY)
    {
      g_autoptr(VdKeystore) keystore = vd_keystore_new (fixture->keys_dir);
      g_autoptr(VdKey) key = vd_keystore_generate (keystore, REVIEWER, PASSPHRASE, &error);

      g_assert_no_error (error);
      fixture->key_id = g_strdup (vd_key_get_id (key));
      fixture->public_line = vd_key_format_public (key);
      vd_key_lock (key);
    }

  fixture->store = vd_test_open_store (fixture->db_path);
  vd_test_import_text (fixture->store, fixture->tmpdir, "queue.jsonl", queue_text, NULL, &result);
  g_assert_cmpuint (result.imported, ==, 3);
}

static void
fixture_open_window (Fixture *fixture)
{
  fixture->session = vd_test_session_new (fixture->store);
  fixture->window = g_object_ref (vd_window_new (NULL, fixture->session));
  gtk_window_present (GTK_WINDOW (fixture->window));
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  VdWindow *window = g_steal_pointer (&fixture->window);

  g_unsetenv ("VERDICT_LOCK_SECONDS");

  if (window != NULL)
    {
      vd_test_destroy_other_windows (window);
      vd_test_close_window (window);
    }

  if (fixture->session != NULL)
    vd_test_release_session (g_steal_pointer (&fixture->session));
  vd_test_release_store (g_steal_pointer (&fixture->store));
  vd_test_remove_tree (fixture->tmpdir);
  g_clear_pointer (&fixture->tmpdir, g_free);
  g_clear_pointer (&fixture->keys_dir, g_free);
  g_clear_pointer (&fixture->db_path, g_free);
  g_clear_pointer (&fixture->key_id, g_free);
  g_clear_pointer (&fixture->public_line, g_free);
}

/* The window as the tests look at it */

static const char *
lock_page (Fixture *fixture)
{
  return vd_test_window_page (fixture->window, "lock_stack");
}

static VdSignInPage *
sign_in_page (Fixture *fixture)
{
  GtkStack *stack = vd_test_window_child (fixture->window, "lock_stack");

  return VD_SIGN_IN_PAGE (gtk_stack_get_child_by_name (stack, "sign-in"));
}

static gpointer
page_child (Fixture    *fixture,
            const char *id)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (sign_in_page (fixture)),
                                                  VD_TYPE_SIGN_IN_PAGE, id);

  g_assert_nonnull (child);

  return child;
}

static const char *
status_text (Fixture *fixture)
{
  return vd_signing_status_get_text (vd_test_window_child (fixture->window, "signing_status"));
}

static VdSigner *
signer (Fixture *fixture)
{
  return vd_store_get_signer (fixture->store);
}

static guint
n_items (Fixture *fixture)
{
  VdItemListModel *items = vd_test_window_items (fixture->window);

  return items != NULL ? g_list_model_get_n_items (G_LIST_MODEL (items)) : 0;
}

static gint64
shown_id (Fixture *fixture)
{
  VdItem *item = vd_test_window_shown_item (fixture->window);

  return item != NULL ? vd_item_get_id (item) : 0;
}

static void
type_and_sign_in (Fixture    *fixture,
                  const char *passphrase)
{
  gtk_editable_set_text (page_child (fixture, "passphrase_row"), passphrase);
  g_signal_emit_by_name (page_child (fixture, "sign_in_button"), "clicked");
  WAIT_UNTIL (!vd_sign_in_page_get_busy (sign_in_page (fixture)));
}

static void
sign_in (Fixture *fixture)
{
  WAIT_UNTIL (g_strcmp0 (lock_page (fixture), "sign-in") == 0);
  type_and_sign_in (fixture, PASSPHRASE);
  WAIT_UNTIL (g_strcmp0 (lock_page (fixture), "window") == 0);
  g_assert_cmpint (vd_session_get_signing_state (fixture->session), ==,
                   VD_SIGNING_STATE_UNLOCKED);
}

static gint64
item_id_at (Fixture *fixture,
            guint    position)
{
  g_autoptr(VdItem) item = g_list_model_get_item (G_LIST_MODEL (vd_test_window_items (fixture->window)),
                                                  position);

  return item != NULL ? vd_item_get_id (item) : -1;
}

static void
select_position (Fixture *fixture,
                 guint    position)
{
  WAIT_UNTIL (n_items (fixture) > position);
  gtk_single_selection_set_selected (
    GTK_SINGLE_SELECTION (gtk_list_view_get_model (vd_test_window_child (fixture->window,
                                                                         "list_view"))),
    position);
  WAIT_UNTIL (vd_test_window_selected (fixture->window) == position &&
              shown_id (fixture) != 0 && shown_id (fixture) == item_id_at (fixture, position));
}

/* The key id of the newest decision event of the audit trail. */
static char *
dup_decision_key_id (Fixture *fixture)
{
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;

  events = vd_store_list_audit (fixture->store, 0, 0, &error);
  g_assert_no_error (error);

  for (guint i = events->len; i > 0; i--)
    {
      VdAuditEvent *event = g_ptr_array_index (events, i - 1);

      if (g_strcmp0 (vd_audit_event_get_event_type (event), "decision") == 0)
        return g_strdup (vd_audit_event_get_key_id (event));
    }

  g_assert_not_reached ();
}

static void
approve_first (Fixture *fixture)
{
  guint before = vd_test_window_n_decisions (fixture->window);

  select_position (fixture, 0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.approve", NULL));
  WAIT_UNTIL (vd_test_window_n_decisions (fixture->window) == before + 1 &&
              !vd_test_window_busy (fixture->window));
}

/* The tests */

/* A reviewer with a key sees the sign-in page first; a wrong passphrase
 * is said inline, unlocks nothing and keeps the focus in the entry. */
static void
test_sign_in_wrong_passphrase (Fixture       *fixture,
                               gconstpointer  data)
{
  GtkWidget *focus;

  fixture_open_window (fixture);

  WAIT_UNTIL (g_strcmp0 (lock_page (fixture), "sign-in") == 0);
  g_assert_true (vd_session_get_needs_sign_in (fixture->session));
  g_assert_cmpint (vd_session_get_signing_state (fixture->session), ==,
                   VD_SIGNING_STATE_LOCKED);
  g_assert_cmpstr (status_text (fixture), ==, REVIEWER " · unverified");

  type_and_sign_in (fixture, "not the passphrase");

  g_assert_cmpstr (vd_sign_in_page_get_error (sign_in_page (fixture)), ==,
                   "Wrong passphrase. Try again.");
  g_assert_cmpstr (lock_page (fixture), ==, "sign-in");
  g_assert_null (vd_session_get_signing_key (fixture->session));
  g_assert_false (vd_signer_is_unlocked (signer (fixture), REVIEWER));
  g_assert_null (vd_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));

  focus = gtk_root_get_focus (GTK_ROOT (fixture->window));
  g_assert_nonnull (focus);
  g_assert_true (focus == page_child (fixture, "passphrase_row") ||
                 gtk_widget_is_ancestor (focus, page_child (fixture, "passphrase_row")));
}

/* The right passphrase unlocks the key: the store's signer has it and the
 * reviewer's decisions carry its key id. */
static void
test_sign_in_unlocks (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *key_id = NULL;
  g_autofree char *tooltip = NULL;

  fixture_open_window (fixture);
  sign_in (fixture);

  g_assert_true (vd_signer_is_unlocked (signer (fixture), REVIEWER));
  g_assert_cmpstr (vd_key_get_id (vd_session_get_signing_key (fixture->session)), ==,
                   fixture->key_id);
  g_assert_cmpstr (status_text (fixture), ==, REVIEWER " · signed");
  tooltip = g_strdup_printf ("Decisions are signed with key %s", fixture->key_id);
  g_assert_cmpstr (gtk_widget_get_tooltip_text (gtk_widget_get_first_child (
                     vd_test_window_child (fixture->window, "signing_status"))), ==, tooltip);

  approve_first (fixture);
  key_id = dup_decision_key_id (fixture);
  g_assert_cmpstr (key_id, ==, fixture->key_id);
}

/* Continue Without Signing: the installation's key signs. Files to import
 * wait for the choice. */
static void
test_sign_in_continue_unsigned (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autofree char *key_id = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;

  fixture_open_window (fixture);
  WAIT_UNTIL (g_strcmp0 (lock_page (fixture), "sign-in") == 0);

  /* A file given now is asked about only after the choice. */
  path = vd_test_write_file (fixture->tmpdir, "more.jsonl", queue_text);
  file = g_file_new_for_path (path);
  vd_window_ask_import (fixture->window, &file, 1, FALSE);
  vd_test_iterate_for (200);
  g_assert_null (vd_test_find_toplevel (VD_TYPE_IMPORT_DIALOG));

  g_signal_emit_by_name (page_child (fixture, "unsigned_button"), "clicked");
  WAIT_UNTIL (g_strcmp0 (lock_page (fixture), "window") == 0);
  WAIT_UNTIL (vd_test_find_toplevel (VD_TYPE_IMPORT_DIALOG) != NULL);
  gtk_window_close (vd_test_find_toplevel (VD_TYPE_IMPORT_DIALOG));
  WAIT_UNTIL (vd_test_find_toplevel (VD_TYPE_IMPORT_DIALOG) == NULL);

  g_assert_cmpint (vd_session_get_signing_state (fixture->session), ==,
                   VD_SIGNING_STATE_LOCKED);
  g_assert_cmpstr (status_text (fixture), ==, REVIEWER " · unverified");

  approve_first (fixture);
  key_id = dup_decision_key_id (fixture);
  g_assert_cmpstr (key_id, ==,
                   vd_key_get_id (vd_signer_get_installation_key (signer (fixture))));
}

/* win.lock wipes the key and covers the window; signing in again returns
 * to the same item. */
static void
test_sign_in_lock (Fixture       *fixture,
                   gconstpointer  data)
{
  gint64 item_id;

  fixture_open_window (fixture);
  sign_in (fixture);

  select_position (fixture, 1);
  item_id = shown_id (fixture);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.lock", NULL));
  WAIT_UNTIL (g_strcmp0 (lock_page (fixture), "sign-in") == 0);
  g_assert_true (vd_session_get_locked (fixture->session));
  g_assert_null (vd_session_get_signing_key (fixture->session));
  g_assert_false (vd_signer_is_unlocked (signer (fixture), REVIEWER));
  g_assert_cmpstr (adw_status_page_get_title (page_child (fixture, "status_page")), ==,
                   "Locked");

  /* Nothing is decided while locked. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.approve", NULL);
  vd_test_iterate_for (100);
  g_assert_cmpuint (vd_test_window_n_decisions (fixture->window), ==, 0);

  type_and_sign_in (fixture, PASSPHRASE);
  WAIT_UNTIL (g_strcmp0 (lock_page (fixture), "window") == 0);
  g_assert_false (vd_session_get_locked (fixture->session));
  g_assert_cmpuint (vd_test_window_selected (fixture->window), ==, 1);
  g_assert_cmpint (shown_id (fixture), ==, item_id);
}

/* Without input for VERDICT_LOCK_SECONDS, the session locks. */
static void
test_sign_in_idle_lock (Fixture       *fixture,
                        gconstpointer  data)
{
  gint64 signed_in;

  g_setenv ("VERDICT_LOCK_SECONDS", "1", TRUE);
  fixture_open_window (fixture);
  sign_in (fixture);
  signed_in = g_get_monotonic_time ();

  WAIT_UNTIL (g_strcmp0 (lock_page (fixture), "sign-in") == 0);
  g_assert_cmpint (g_get_monotonic_time () - signed_in, >=, G_USEC_PER_SEC / 2);
  g_assert_true (vd_session_get_locked (fixture->session));
  g_assert_false (vd_signer_is_unlocked (signer (fixture), REVIEWER));
}

/* Under a roster, an escalated item is read-only for a reviewer without
 * the role "senior"; other items can be decided. */
static void
test_sign_in_roster_read_only (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(VdDecision) escalate = NULL;
  g_autoptr(VdPolicy) policy = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  g_autofree char *key_id = NULL;
  const char *reason;

  /* t3 is escalated before the roster applies. */
  escalate = vd_decision_new ("q", "t3", VD_DECISION_KIND_ESCALATE_FURTHER, "carol");
  vd_store_record_decision (fixture->store, escalate, &error);
  g_assert_no_error (error);

  json = g_strdup_printf ("{\"reviewers\": [{\"id\": \"%s\", \"public_key\": \"%s\", "
                          "\"roles\": [\"reviewer\"]}]}", REVIEWER, fixture->public_line);
  policy = vd_policy_new_from_data (json, -1, "roster.json", &error);
  g_assert_no_error (error);

  fixture_open_window (fixture);
  vd_session_set_policy (fixture->session, policy);
  sign_in (fixture);

  vd_test_window_set_status (fixture->window, VD_TEST_STATUS_ALL);
  WAIT_UNTIL (n_items (fixture) == 3);

  for (guint i = 0; i < 3; i++)
    {
      select_position (fixture, i);
      if (g_strcmp0 (vd_item_get_task_id (vd_test_window_shown_item (fixture->window)), "t3") == 0)
        break;
    }
  g_assert_cmpstr (vd_item_get_task_id (vd_test_window_shown_item (fixture->window)), ==, "t3");

  WAIT_UNTIL (vd_item_detail_get_read_only_reason (vd_test_window_child (fixture->window,
                                                                         "detail")) != NULL);
  reason = vd_item_detail_get_read_only_reason (vd_test_window_child (fixture->window, "detail"));
  g_assert_cmpstr (reason, ==,
                   "Escalated items need the role “senior”; you are alice (reviewer)");

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.approve", NULL);
  vd_test_iterate_for (100);
  g_assert_cmpuint (vd_test_window_n_decisions (fixture->window), ==, 0);

  /* A pending item: decided, signed with the roster's key. */
  vd_test_window_set_status (fixture->window, VD_TEST_STATUS_PENDING);
  WAIT_UNTIL (n_items (fixture) == 2);
  approve_first (fixture);
  g_assert_null (vd_item_detail_get_read_only_reason (vd_test_window_child (fixture->window,
                                                                            "detail")));
  key_id = dup_decision_key_id (fixture);
  g_assert_cmpstr (key_id, ==, fixture->key_id);
}

/* Create Key in the Preferences: asks the passphrase twice, writes a key
 * file with mode 0600 and signs the reviewer in with it. */
static void
test_sign_in_create_key (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GPtrArray) entries = NULL;
  g_autofree char *path = NULL;
  VdPreferencesWindow *preferences;
  GtkWidget *button;
  AdwMessageDialog *dialog;
  struct stat st;

  fixture_open_window (fixture);
  WAIT_UNTIL (n_items (fixture) == 3);
  g_assert_cmpstr (lock_page (fixture), ==, "window");
  g_assert_cmpint (vd_session_get_signing_state (fixture->session), ==,
                   VD_SIGNING_STATE_UNVERIFIED);
  g_assert_cmpstr (status_text (fixture), ==, REVIEWER " · unverified");

  preferences = vd_preferences_window_new (fixture->session);
  gtk_window_set_transient_for (GTK_WINDOW (preferences), GTK_WINDOW (fixture->window));
  gtk_window_present (GTK_WINDOW (preferences));

  button = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (preferences),
                                                      VD_TYPE_PREFERENCES_WINDOW,
                                                      "create_key_button"));
  g_assert_true (gtk_widget_get_visible (button));
  g_signal_emit_by_name (button, "clicked");
  WAIT_UNTIL (vd_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG) != NULL);
  dialog = vd_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);

  entries = vd_test_find_widgets (GTK_WIDGET (dialog), ADW_TYPE_PASSWORD_ENTRY_ROW);
  g_assert_cmpuint (entries->len, ==, 2);

  /* Different passphrases: no key. */
  gtk_editable_set_text (entries->pdata[0], PASSPHRASE);
  gtk_editable_set_text (entries->pdata[1], "something else");
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "create"));
  gtk_editable_set_text (entries->pdata[1], PASSPHRASE);
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "create"));
  adw_message_dialog_response (dialog, "create");
  gtk_window_destroy (GTK_WINDOW (dialog));

  WAIT_UNTIL (vd_session_get_signing_state (fixture->session) == VD_SIGNING_STATE_UNLOCKED);
  path = g_build_filename (fixture->keys_dir, REVIEWER ".key", NULL);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_true (vd_signer_is_unlocked (signer (fixture), REVIEWER));
  g_assert_cmpstr (status_text (fixture), ==, REVIEWER " · signed");
  WAIT_UNTIL (!gtk_widget_get_visible (button));

  gtk_window_destroy (GTK_WINDOW (preferences));
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("VERDICT_REVIEWER", REVIEWER, TRUE);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  vd_test_deadline_seconds = 60;

  g_test_add ("/sign-in/wrong-passphrase", Fixture, NULL,
              fixture_setup, test_sign_in_wrong_passphrase, fixture_teardown);
  g_test_add ("/sign-in/unlocks", Fixture, NULL,
              fixture_setup, test_sign_in_unlocks, fixture_teardown);
  g_test_add ("/sign-in/continue-unsigned", Fixture, NULL,
              fixture_setup, test_sign_in_continue_unsigned, fixture_teardown);
  g_test_add ("/sign-in/lock", Fixture, NULL,
              fixture_setup, test_sign_in_lock, fixture_teardown);
  g_test_add ("/sign-in/idle-lock", Fixture, NULL,
              fixture_setup, test_sign_in_idle_lock, fixture_teardown);
  g_test_add ("/sign-in/roster-read-only", Fixture, NULL,
              fixture_setup, test_sign_in_roster_read_only, fixture_teardown);
  g_test_add ("/sign-in/create-key", Fixture, NO_KEY,
              fixture_setup, test_sign_in_create_key, fixture_teardown);

  return g_test_run ();
}
