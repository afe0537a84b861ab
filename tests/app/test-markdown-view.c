/* test-markdown-view.c
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

#define G_LOG_DOMAIN "test-markdown-view"

#include "config.h"

#include <string.h>
#include <adwaita.h>

#include "vd-markdown-view.h"
#include "vd-test-gui.h"

#define LONG_URL "https://contracts.example.org/templates/master-services/v4/clause-12" \
                 "?section=limitation-of-liability&revision=2026-11-30&reviewer=legal" \
                 "&utm_source=agent&utm_medium=draft#paragraph-3"

static const char sample[] =
  "# Clause 12: Limitation of liability\n"
  "\n"
  "The supplier's **total liability** is capped at *twelve months* of fees, "
  "as in the [master template](" LONG_URL ").\n"
  "\n"
  "## Exclusions\n"
  "\n"
  "1. Gross negligence\n"
  "2. Wilful misconduct\n"
  "   - including `fraud`\n"
  "\n"
  "> Drafted by the agent; check against ~~v3~~ v4.\n"
  "\n"
  "| Party | Cap |\n"
  "|---|--:|\n"
  "| Supplier | 12 months |\n"
  "| Customer | unlimited |\n"
  "\n"
  "```json\n"
  "{\"cap_months\": 12}\n"
  "```\n"
  "\n"
  "<script>alert('x')</script>\n"
  "\n"
  "![signature](https://tracker.example/pixel.png) and [run me](javascript:alert(1)) "
  "and [local](file:///etc/passwd).\n";

typedef struct
{
  GtkWindow      *window;
  VdMarkdownView *view;
  GPtrArray      *opened;
} Fixture;

static gboolean
open_link_cb (VdMarkdownView *view,
              const char     *uri,
              Fixture        *fixture)
{
  g_ptr_array_add (fixture->opened, g_strdup (uri));
  /* Handled: nothing is launched from a test. */
  return TRUE;
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture->opened = g_ptr_array_new_with_free_func (g_free);
  fixture->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (fixture->window, 550, 900);
  fixture->view = VD_MARKDOWN_VIEW (vd_markdown_view_new ());
  g_signal_connect (fixture->view, "open-link", G_CALLBACK (open_link_cb), fixture);
  gtk_window_set_child (fixture->window,
                        g_object_new (GTK_TYPE_SCROLLED_WINDOW,
                                      "hscrollbar-policy", GTK_POLICY_NEVER,
                                      "child", fixture->view,
                                      NULL));
  vd_markdown_view_set_markdown (fixture->view, data != NULL ? data : sample);
  gtk_window_present (fixture->window);
  WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (fixture->view)));
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_object_add_weak_pointer (G_OBJECT (fixture->view), (gpointer *) &fixture->view);
  gtk_window_destroy (fixture->window);
  WAIT_UNTIL (g_list_model_get_n_items (gtk_window_get_toplevels ()) == 0);
  g_assert_null (fixture->view);
  g_ptr_array_unref (fixture->opened);
}

/* The first label whose text contains @needle. */
static GtkLabel *
find_label_containing (GtkWidget  *root,
                       const char *needle)
{
  g_autoptr(GPtrArray) labels = vd_test_find_widgets (root, GTK_TYPE_LABEL);

  for (guint i = 0; i < labels->len; i++)
    if (strstr (gtk_label_get_text (g_ptr_array_index (labels, i)), needle) != NULL)
      return g_ptr_array_index (labels, i);

  return NULL;
}

static AdwMessageDialog *
shown_dialog (void)
{
  return vd_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
}

static GtkButton *
find_button (GtkWidget  *root,
             const char *label)
{
  g_autoptr(GPtrArray) buttons = vd_test_find_widgets (root, GTK_TYPE_BUTTON);

  for (guint i = 0; i < buttons->len; i++)
    if (g_strcmp0 (gtk_button_get_label (g_ptr_array_index (buttons, i)), label) == 0)
      return g_ptr_array_index (buttons, i);

  return NULL;
}

static gboolean
activate_link (GtkLabel   *label,
               const char *uri)
{
  gboolean handled = FALSE;

  /* What GtkLabel emits when a link in it is clicked or activated. */
  g_signal_emit_by_name (label, "activate-link", uri, &handled);
  return handled;
}

static void
test_view_shows_text (Fixture       *fixture,
                      gconstpointer  data)
{
  GtkWidget *root = GTK_WIDGET (fixture->view);
  GtkLabel *label;

  label = vd_test_find_label (root, "Clause 12: Limitation of liability");
  g_assert_nonnull (label);
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (label), "title-2"));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (vd_test_find_label (root, "Exclusions")),
                                           "title-3"));

  /* Emphasis and the link are markup; the text reads as written. */
  label = find_label_containing (root, "total liability");
  g_assert_nonnull (label);
  g_assert_true (gtk_label_get_use_markup (label));
  g_assert_true (gtk_label_get_selectable (label));
  g_assert_nonnull (strstr (gtk_label_get_label (label), "<b>total liability</b>"));
  g_assert_nonnull (strstr (gtk_label_get_label (label), "<i>twelve months</i>"));

  /* Lists: the markers as labels of their own. */
  g_assert_nonnull (vd_test_find_label (root, "1."));
  g_assert_nonnull (vd_test_find_label (root, "2."));
  g_assert_nonnull (vd_test_find_label (root, "◦"));
  g_assert_nonnull (vd_test_find_label (root, "Gross negligence"));

  /* The table's cells, the code block in monospace. */
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (vd_test_find_label (root, "Party")),
                                           "heading"));
  g_assert_nonnull (vd_test_find_label (root, "12 months"));
  label = vd_test_find_label (root, "{\"cap_months\": 12}");
  g_assert_nonnull (label);
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (label), "monospace"));
  g_assert_nonnull (vd_test_find_label (root, "json"));

  /* Raw HTML shows literally; the image is a placeholder, not loaded. */
  g_assert_nonnull (vd_test_find_label (root, "<script>alert('x')</script>"));
  label = find_label_containing (root, "[image: signature]");
  g_assert_nonnull (label);

  /* javascript: and file: are text with a note, never a link. */
  g_assert_nonnull (strstr (gtk_label_get_text (label),
                            "run me [link not opened: javascript:alert(1)]"));
  g_assert_nonnull (strstr (gtk_label_get_text (label),
                            "local [link not opened: file:///etc/passwd]"));
  g_assert_null (strstr (gtk_label_get_label (label), "href=\"javascript"));
  g_assert_null (strstr (gtk_label_get_label (label), "href=\"file"));

  /* The view fits the item pane's width: nothing forces it wider. */
  {
    int minimum = 0;

    gtk_widget_measure (GTK_WIDGET (fixture->view), GTK_ORIENTATION_HORIZONTAL, -1,
                        &minimum, NULL, NULL, NULL);
    g_assert_cmpint (minimum, <=, 550);
  }
}

static void
test_view_link_confirm (Fixture       *fixture,
                        gconstpointer  data)
{
  GtkLabel *label = find_label_containing (GTK_WIDGET (fixture->view), "master template");
  g_autofree char *escaped = g_markup_escape_text (LONG_URL, -1);
  g_autofree char *anchor = g_strdup_printf ("<a href=\"%s\">master template</a>", escaped);
  AdwMessageDialog *dialog;

  g_assert_nonnull (label);
  g_assert_nonnull (strstr (gtk_label_get_label (label), anchor));

  /* A click asks first, showing the whole address; nothing opens yet. */
  g_assert_true (activate_link (label, LONG_URL));
  WAIT_UNTIL (shown_dialog () != NULL);
  dialog = shown_dialog ();
  g_assert_true (GTK_WINDOW (dialog) == vd_markdown_view_get_dialog (fixture->view));
  g_assert_cmpstr (adw_message_dialog_get_body (dialog), ==, LONG_URL);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == fixture->window);
  g_assert_cmpuint (fixture->opened->len, ==, 0);

  /* Cancel: nothing opens. */
  gtk_widget_activate (GTK_WIDGET (find_button (GTK_WIDGET (dialog), "_Cancel")));
  WAIT_UNTIL (shown_dialog () == NULL);
  g_assert_null (vd_markdown_view_get_dialog (fixture->view));
  g_assert_cmpuint (fixture->opened->len, ==, 0);

  /* Open Link: that address, once. */
  g_assert_true (activate_link (label, LONG_URL));
  WAIT_UNTIL (shown_dialog () != NULL);
  gtk_widget_activate (GTK_WIDGET (find_button (GTK_WIDGET (shown_dialog ()), "_Open Link")));
  WAIT_UNTIL (fixture->opened->len > 0);
  WAIT_UNTIL (shown_dialog () == NULL);
  g_assert_cmpuint (fixture->opened->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (fixture->opened, 0), ==, LONG_URL);

  /* The dialog open while the view goes away closes with it. */
  g_assert_true (activate_link (label, "mailto:legal@example.org"));
  WAIT_UNTIL (shown_dialog () != NULL);
  g_assert_cmpstr (adw_message_dialog_get_body (shown_dialog ()), ==, "mailto:legal@example.org");
}

static void
test_view_unsafe_link (Fixture       *fixture,
                       gconstpointer  data)
{
  GtkLabel *label = find_label_containing (GTK_WIDGET (fixture->view), "run me");
  static const char *unsafe[] = {
    "javascript:alert(1)", "file:///etc/passwd", "data:text/html,<b>x</b>", "b.svg",
  };

  /* Even an address forced on the label is refused without a dialog. */
  for (guint i = 0; i < G_N_ELEMENTS (unsafe); i++)
    {
      g_assert_true (activate_link (label, unsafe[i]));
      g_assert_null (vd_markdown_view_get_dialog (fixture->view));
    }

  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_null (shown_dialog ());
  g_assert_cmpuint (fixture->opened->len, ==, 0);
}

static void
test_view_cap (Fixture       *fixture,
               gconstpointer  data)
{
  GtkWidget *root = GTK_WIDGET (fixture->view);
  VdMarkdownDocument *document = vd_markdown_view_get_document (fixture->view);

  g_assert_cmpint (vd_markdown_document_get_cap (document), ==, VD_MARKDOWN_CAP_DEPTH);
  g_assert_nonnull (vd_test_find_label (root, "Intro"));
  g_assert_nonnull (find_label_containing (root, "nested too deeply"));
  g_assert_nonnull (find_label_containing (root, "> > > > deep"));

  vd_markdown_view_set_markdown (fixture->view, "plain *again*");
  g_assert_null (find_label_containing (root, "nested too deeply"));
  g_assert_nonnull (vd_test_find_label (root, "plain again"));
}

static void
show_for_a_look (const char *path)
{
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  Fixture fixture = { 0 };

  if (!g_file_get_contents (path, &text, NULL, &error))
    g_error ("%s", error->message);

  fixture_setup (&fixture, text);
  /* VERDICT_SHOW_LINK=URI: the confirmation for that address, as a click
   * on a link to it shows it. */
  if (g_getenv ("VERDICT_SHOW_LINK") != NULL)
    {
      g_autoptr(GPtrArray) labels = vd_test_find_widgets (GTK_WIDGET (fixture.view),
                                                          GTK_TYPE_LABEL);

      activate_link (g_ptr_array_index (labels, 0), g_getenv ("VERDICT_SHOW_LINK"));
    }
  while (g_list_model_get_n_items (gtk_window_get_toplevels ()) > 0)
    g_main_context_iteration (NULL, TRUE);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GString) deep = g_string_new ("Intro\n\n");

  vd_test_deadline_seconds = 30;

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  if (g_getenv ("VERDICT_SHOW_MARKDOWN") != NULL)
    {
      show_for_a_look (g_getenv ("VERDICT_SHOW_MARKDOWN"));
      return 0;
    }

  for (guint i = 0; i < 40; i++)
    g_string_append (deep, "> ");
  g_string_append (deep, "deep\n");

  g_test_add ("/markdown-view/shows-text", Fixture, NULL,
              fixture_setup, test_view_shows_text, fixture_teardown);
  g_test_add ("/markdown-view/link-confirm", Fixture, NULL,
              fixture_setup, test_view_link_confirm, fixture_teardown);
  g_test_add ("/markdown-view/unsafe-link", Fixture, NULL,
              fixture_setup, test_view_unsafe_link, fixture_teardown);
  g_test_add ("/markdown-view/cap", Fixture, deep->str,
              fixture_setup, test_view_cap, fixture_teardown);

  return g_test_run ();
}
