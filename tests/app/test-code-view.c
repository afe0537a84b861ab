/* test-code-view.c
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

#define G_LOG_DOMAIN "test-code-view"

#include "config.h"

#include <string.h>

#include <adwaita.h>

#include "vd-code-view.h"
#include "vd-test-gui.h"

/* About the width of the item pane in the window at its default size. */
#define PANE_WIDTH 550

static const char diff_text[] =
  "diff --git a/app/server.py b/app/server.py\n"
  "index 3b18e51..a9c2f04 100644\n"
  "--- a/app/server.py\n"
  "+++ b/app/server.py\n"
  "@@ -1,6 +1,8 @@\n"
  " import os\n"
  "-import sys\n"
  "+import logging\n"
  "+import signal\n"
  " \n"
  " def main():\n"
  "-    port = int(sys.argv[1])\n"
  "+    port = int(os.environ.get(\"PORT\", \"8080\"))  # the deployment sets PORT\n"
  "+    logging.info(\"listening on %d\", port)\n"
  "     serve(port)\n"
  "diff --git a/README.md b/README.md\n"
  "--- a/README.md\n"
  "+++ b/README.md\n"
  "@@ -1 +1,2 @@\n"
  " # Server\n"
  "+Run it with `make run`.\n";

static const char python_text[] =
  "def greet(name: str) -> str:\n"
  "    \"\"\"Say hello.\"\"\"\n"
  "    return f\"Hello, {name}!\"\n";

typedef struct
{
  GtkWindow  *window;
  VdCodeView *view;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture->view = g_object_ref_sink (VD_CODE_VIEW (vd_code_view_new ()));

  fixture->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (fixture->window, PANE_WIDTH, 700);
  gtk_window_set_child (fixture->window, GTK_WIDGET (fixture->view));
  gtk_widget_set_valign (GTK_WIDGET (fixture->view), GTK_ALIGN_START);
  gtk_window_present (fixture->window);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_DEFAULT);
  gtk_window_destroy (g_steal_pointer (&fixture->window));
  g_assert_finalize_object (g_steal_pointer (&fixture->view));
}

static GtkTextBuffer *
buffer_of (VdCodeView *view)
{
  return gtk_text_view_get_buffer (GTK_TEXT_VIEW (vd_code_view_get_source_view (view)));
}

static char *
buffer_text (VdCodeView *view)
{
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer_of (view), &start, &end);
  return gtk_text_buffer_get_text (buffer_of (view), &start, &end, TRUE);
}

static const char *
language_id (VdCodeView *view)
{
  GtkSourceLanguage *language =
    gtk_source_buffer_get_language (GTK_SOURCE_BUFFER (buffer_of (view)));

  return language != NULL ? gtk_source_language_get_id (language) : NULL;
}

/* The foreground the text has at @line, @offset: that of its tag of the
 * highest priority that sets one; FALSE when none does. */
static gboolean
foreground_at (VdCodeView *view,
               int         line,
               int         offset,
               GdkRGBA    *rgba)
{
  GtkTextIter iter;
  GSList *tags;
  gboolean found = FALSE;

  gtk_text_buffer_get_iter_at_line_offset (buffer_of (view), &iter, line, offset);
  tags = gtk_text_iter_get_tags (&iter);
  /* In ascending order of priority. */
  for (GSList *l = tags; l != NULL; l = l->next)
    {
      gboolean is_set = FALSE;
      GdkRGBA *color = NULL;

      g_object_get (l->data, "foreground-set", &is_set, "foreground-rgba", &color, NULL);
      if (is_set && color != NULL)
        {
          *rgba = *color;
          found = TRUE;
        }
      g_clear_pointer (&color, gdk_rgba_free);
    }
  g_slist_free (tags);

  return found;
}

static gboolean
line_is_tinted (VdCodeView *view,
                int         line)
{
  GtkTextIter iter;
  GSList *tags;
  gboolean tinted = FALSE;

  gtk_text_buffer_get_iter_at_line_offset (buffer_of (view), &iter, line, 1);
  tags = gtk_text_iter_get_tags (&iter);
  for (GSList *l = tags; l != NULL; l = l->next)
    {
      gboolean is_set = FALSE;

      g_object_get (l->data, "paragraph-background-set", &is_set, NULL);
      tinted |= is_set;
    }
  g_slist_free (tags);

  return tinted;
}

/* Whether the last line of the text is inside the view as allocated. */
static gboolean
shows_whole_text (VdCodeView *view)
{
  GtkTextView *text_view = GTK_TEXT_VIEW (vd_code_view_get_source_view (view));
  GtkTextIter end;
  int y, height;

  gtk_text_buffer_get_end_iter (buffer_of (view), &end);
  gtk_text_view_get_line_yrange (text_view, &end, &y, &height);

  return height > 0 && gtk_widget_get_height (GTK_WIDGET (text_view)) >= y + height;
}

static void
ensure_highlight (VdCodeView *view)
{
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer_of (view), &start, &end);
  gtk_source_buffer_ensure_highlight (GTK_SOURCE_BUFFER (buffer_of (view)), &start, &end);
}

static GskRenderNode *
render (GtkWidget *widget)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();

  gdk_paintable_snapshot (paintable, snapshot,
                          gtk_widget_get_width (widget), gtk_widget_get_height (widget));
  return gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
}

/* With VD_TEST_SCREENSHOTS=DIR, the window as drawn goes to DIR/NAME.png. */
static void
maybe_screenshot (GtkWindow  *window,
                  const char *name)
{
  const char *dir = g_getenv ("VD_TEST_SCREENSHOTS");
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *file_name = NULL;
  g_autofree char *path = NULL;

  if (dir == NULL)
    return;

  /* Until the window has been drawn, it has nothing to show. */
  WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (window)) &&
              (node = render (GTK_WIDGET (window))) != NULL);

  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)),
                                         node, NULL);
  file_name = g_strconcat (name, ".png", NULL);
  path = g_build_filename (dir, file_name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
}

static void
test_diff (Fixture       *fixture,
           gconstpointer  data)
{
  VdCodeView *view = fixture->view;
  GtkSourceView *source_view = vd_code_view_get_source_view (view);
  g_autofree char *text = NULL;
  const VdDiffStat *stat;
  GdkRGBA keyword, name, context_keyword;

  vd_code_view_set_text (view, diff_text, "text/x-diff");

  text = buffer_text (view);
  g_assert_cmpstr (text, ==, diff_text);
  g_assert_cmpstr (language_id (view), ==, "diff");
  g_assert_cmpstr (vd_code_view_get_content_type (view), ==, "text/x-diff");
  g_assert_true (gtk_source_view_get_show_line_numbers (source_view));
  g_assert_true (gtk_text_view_get_monospace (GTK_TEXT_VIEW (source_view)));
  g_assert_cmpint (gtk_text_view_get_wrap_mode (GTK_TEXT_VIEW (source_view)), ==,
                   GTK_WRAP_NONE);
  g_assert_false (gtk_text_view_get_editable (GTK_TEXT_VIEW (source_view)));
  g_assert_false (vd_code_view_get_editable (view));

  stat = vd_code_view_get_diff_stat (view);
  g_assert_nonnull (stat);
  g_assert_cmpuint (stat->files->len, ==, 2);
  g_assert_cmpstr (gtk_label_get_text (vd_code_view_get_summary (view)), ==,
                   "2 files changed, +5 −2");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (vd_code_view_get_summary (view))));

  /* Added and removed lines are tinted; headers and context are not. */
  g_assert_true (line_is_tinted (view, 6));   /* -import sys */
  g_assert_true (line_is_tinted (view, 7));   /* +import logging */
  g_assert_false (line_is_tinted (view, 2));  /* --- a/app/server.py */
  g_assert_false (line_is_tinted (view, 5));  /*  import os */

  /* The Python file is highlighted as Python: in `+import logging` the
   * keyword and the name differ, and the keyword of a context line has
   * the same colour. */
  ensure_highlight (view);
  g_assert_true (foreground_at (view, 7, 1, &keyword));
  g_assert_true (foreground_at (view, 5, 1, &context_keyword));
  g_assert_true (gdk_rgba_equal (&keyword, &context_keyword));
  if (foreground_at (view, 7, 8, &name))
    g_assert_false (gdk_rgba_equal (&keyword, &name));

  /* The whole diff shows, with no scrolling inside the view. */
  WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (source_view)) &&
              shows_whole_text (view));
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (view)), <=, PANE_WIDTH);
  maybe_screenshot (fixture->window, "code-view-diff");
}

static void
test_python (Fixture       *fixture,
             gconstpointer  data)
{
  VdCodeView *view = fixture->view;
  GtkSourceView *source_view = vd_code_view_get_source_view (view);
  GtkTextBuffer *buffer = buffer_of (view);
  GtkSourceLanguage *language;
  g_autofree char *text = NULL;
  g_autofree char *edited = NULL;
  g_autofree char *undone = NULL;
  GtkTextIter end;

  vd_code_view_set_text (view, python_text, "text/x-python; charset=utf-8");

  text = buffer_text (view);
  g_assert_cmpstr (text, ==, python_text);
  language = gtk_source_buffer_get_language (GTK_SOURCE_BUFFER (buffer));
  g_assert_nonnull (language);
  /* GtkSourceView 5 calls Python 3 "python3" and Python 2 "python". */
  g_assert_true (g_str_has_prefix (gtk_source_language_get_id (language), "python"));
  g_assert_cmpstr (gtk_source_language_get_name (language), ==, "Python");
  g_assert_cmpstr (vd_code_view_get_content_type (view), ==, "text/x-python");
  g_assert_null (vd_code_view_get_diff_stat (view));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (vd_code_view_get_summary (view))));
  g_assert_true (gtk_source_view_get_show_line_numbers (source_view));

  /* Read-only by default. */
  g_assert_false (vd_code_view_get_editable (view));
  g_assert_false (gtk_text_view_get_editable (GTK_TEXT_VIEW (source_view)));
  g_assert_false (gtk_text_view_get_cursor_visible (GTK_TEXT_VIEW (source_view)));
  gtk_text_buffer_get_end_iter (buffer, &end);
  g_assert_false (gtk_text_buffer_insert_interactive (buffer, &end, "x", -1,
                                                      gtk_text_view_get_editable (
                                                        GTK_TEXT_VIEW (source_view))));

  /* Editable when asked, with undo, in the same highlighting; the text
   * that was set is not undone. */
  vd_code_view_set_editable (view, TRUE);
  g_assert_true (vd_code_view_get_editable (view));
  g_assert_true (gtk_text_view_get_editable (GTK_TEXT_VIEW (source_view)));
  g_assert_true (gtk_text_view_get_cursor_visible (GTK_TEXT_VIEW (source_view)));
  g_assert_false (gtk_text_buffer_get_can_undo (buffer));
  g_assert_true (gtk_source_buffer_get_language (GTK_SOURCE_BUFFER (buffer)) == language);

  gtk_text_buffer_get_end_iter (buffer, &end);
  g_assert_true (gtk_text_buffer_insert_interactive (buffer, &end, "print(greet(\"Ada\"))\n", -1,
                                                     TRUE));
  edited = vd_code_view_get_text (view);
  g_assert_true (g_str_has_suffix (edited, "print(greet(\"Ada\"))\n"));
  g_assert_true (gtk_text_buffer_get_can_undo (buffer));

  gtk_text_buffer_undo (buffer);
  undone = vd_code_view_get_text (view);
  g_assert_cmpstr (undone, ==, python_text);
  g_assert_false (gtk_text_buffer_get_can_undo (buffer));

  vd_code_view_set_editable (view, FALSE);
  g_assert_false (gtk_text_view_get_editable (GTK_TEXT_VIEW (source_view)));

  WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (view)) && shows_whole_text (view));
  maybe_screenshot (fixture->window, "code-view-python");
}

static void
test_languages (void)
{
  static const struct
  {
    const char *content_type;
    const char *id;
  } types[] = {
    { "text/x-diff", "diff" },
    { "text/x-patch", "diff" },
    { "TEXT/X-DIFF; charset=utf-8", "diff" },
    { "text/x-python", "python3" },
    { "text/x-rust", "rust" },
    { "text/x-c", "c" },
    { "text/x-sql", "sql" },
    { "text/x-yaml", "yaml" },
    { "text/x-sh", "sh" },
    { "application/json", "json" },
    { "text/markdown", "markdown" },
    { "text/javascript", "js" },
    { "text/plain", NULL },
    { "", NULL },
    { NULL, NULL },
    { "text/x-no-such-language", NULL },
    { "text/x-", NULL },
    { "not a type", NULL },
    { "text/x-\xff\xfe", NULL },
  };
  static const struct
  {
    const char *path;
    const char *id;
  } paths[] = {
    { "src/main.c", "c" },
    { "app/server.py", "python3" },
    { "deploy/values.yaml", "yaml" },
    { "build/rules.mk", "makefile" },
    { "docs/notes.md", "markdown" },
    { "assets/logo.png", NULL },
    { "", NULL },
    { NULL, NULL },
    { "bad/\xff.py", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    {
      GtkSourceLanguage *language = vd_code_view_language_for_content_type (types[i].content_type);

      g_test_message ("content type %s", types[i].content_type);
      g_assert_cmpstr (language != NULL ? gtk_source_language_get_id (language) : NULL, ==,
                       types[i].id);
    }

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      GtkSourceLanguage *language = vd_code_view_language_for_path (paths[i].path);

      g_test_message ("path %s", paths[i].path);
      g_assert_cmpstr (language != NULL ? gtk_source_language_get_id (language) : NULL, ==,
                       paths[i].id);
    }
}

static const char *
scheme_id (VdCodeView *view)
{
  GtkSourceStyleScheme *scheme =
    gtk_source_buffer_get_style_scheme (GTK_SOURCE_BUFFER (buffer_of (view)));

  return scheme != NULL ? gtk_source_style_scheme_get_id (scheme) : NULL;
}

static void
test_dark (Fixture       *fixture,
           gconstpointer  data)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  VdCodeView *view = fixture->view;
  GdkRGBA light_keyword, dark_keyword;

  vd_code_view_set_text (view, diff_text, "text/x-diff");

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_LIGHT);
  WAIT_UNTIL (g_strcmp0 (scheme_id (view), "Adwaita") == 0);
  ensure_highlight (view);
  g_assert_true (foreground_at (view, 7, 1, &light_keyword));

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  WAIT_UNTIL (g_strcmp0 (scheme_id (view), "Adwaita-dark") == 0);
  ensure_highlight (view);
  /* The highlighting of each file follows. */
  g_assert_true (foreground_at (view, 7, 1, &dark_keyword));
  g_assert_false (gdk_rgba_equal (&light_keyword, &dark_keyword));
  g_assert_true (line_is_tinted (view, 7));

  WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (view)) && shows_whole_text (view));
  maybe_screenshot (fixture->window, "code-view-diff-dark");
}

/* The view grows with its text up to its cap, then scrolls inside. */
static void
test_height (Fixture       *fixture,
             gconstpointer  data)
{
  VdCodeView *view = fixture->view;
  GtkWidget *source_view = GTK_WIDGET (vd_code_view_get_source_view (view));
  g_autoptr(GString) long_text = g_string_new (NULL);
  int short_height;

  g_assert_cmpint (vd_code_view_get_max_content_height (view), ==, 480);

  vd_code_view_set_text (view, python_text, "text/x-python");
  WAIT_UNTIL (gtk_widget_get_mapped (source_view) && gtk_widget_get_height (source_view) > 30);
  short_height = gtk_widget_get_height (GTK_WIDGET (view));
  g_assert_cmpint (short_height, <, 200);

  for (guint i = 0; i < 300; i++)
    g_string_append_printf (long_text, "value_%u = %u\n", i, i);
  vd_code_view_set_text (view, long_text->str, "text/x-python");
  WAIT_UNTIL (gtk_widget_get_height (GTK_WIDGET (view)) >= 480);
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (view)), <=, 480 + 20);

  vd_code_view_set_max_content_height (view, 200);
  WAIT_UNTIL (gtk_widget_get_height (GTK_WIDGET (view)) <= 220);
}

/* The wheel over a view that only scrolls sideways scrolls the pane
 * around it (real wheel clicks through xdotool, as a reviewer makes them). */
static void
test_wheel (void)
{
  g_autofree char *xdotool = g_find_program_in_path ("xdotool");
  GtkWindow *window;
  GtkWidget *outer, *box, *spacer;
  VdCodeView *view;
  GtkAdjustment *pane, *sideways;
  graphene_point_t point;
  g_autofree char *x = NULL;
  g_autofree char *y = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  if (xdotool == NULL)
    {
      g_test_skip ("xdotool is not installed");
      return;
    }

  window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_title (window, "vd-code-view-wheel");
  gtk_window_set_default_size (window, PANE_WIDTH, 400);
  outer = gtk_scrolled_window_new ();
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  view = VD_CODE_VIEW (vd_code_view_new ());
  spacer = gtk_label_new ("below");
  gtk_widget_set_size_request (spacer, -1, 2000);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (view));
  gtk_box_append (GTK_BOX (box), spacer);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (outer), box);
  gtk_window_set_child (window, outer);
  vd_code_view_set_text (view, diff_text, "text/x-diff");
  gtk_window_present (window);

  pane = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (outer));
  sideways = gtk_scrollable_get_hadjustment (GTK_SCROLLABLE (vd_code_view_get_source_view (view)));
  WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (view)) && shows_whole_text (view) &&
              gtk_adjustment_get_upper (sideways) > gtk_adjustment_get_page_size (sideways) &&
              gtk_adjustment_get_upper (pane) > gtk_adjustment_get_page_size (pane));
  g_assert_cmpfloat (gtk_adjustment_get_value (pane), ==, 0);

  g_assert_true (gtk_widget_compute_point (GTK_WIDGET (vd_code_view_get_source_view (view)),
                                           GTK_WIDGET (window),
                                           &GRAPHENE_POINT_INIT (120, 60), &point));
  x = g_strdup_printf ("%d", (int) point.x);
  y = g_strdup_printf ("%d", (int) point.y);
  {
    const char *argv[] = {
      xdotool, "search", "--sync", "--onlyvisible", "--name", "^vd-code-view-wheel$",
      "mousemove", "--window", "%1", x, y, "click", "--repeat", "3", "5", NULL
    };

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                                 NULL, NULL, &status, &error));
    g_assert_no_error (error);
    g_assert_true (g_spawn_check_wait_status (status, NULL));
  }

  WAIT_UNTIL (gtk_adjustment_get_value (pane) > 0);

  gtk_window_destroy (window);
}

static void
test_bad_input (Fixture       *fixture,
                gconstpointer  data)
{
  VdCodeView *view = fixture->view;
  g_autofree char *text = NULL;
  g_autoptr(GString) huge = g_string_new (NULL);
  const char *summary;

  /* Bytes that are not UTF-8 are replaced, never a crash. */
  vd_code_view_set_text (view, "--- a/x\n+++ b/x\n@@ -1 +1 @@\n-\xff\xfe\n+ok\n", "text/x-diff");
  text = buffer_text (view);
  g_assert_true (g_utf8_validate (text, -1, NULL));
  g_assert_cmpuint (vd_code_view_get_diff_stat (view)->files->len, ==, 1);
  g_clear_pointer (&text, g_free);

  /* Not a diff at all. */
  vd_code_view_set_text (view, "Deployed version 2 to production.", "text/x-diff");
  g_assert_cmpuint (vd_code_view_get_diff_stat (view)->files->len, ==, 0);
  g_assert_cmpstr (gtk_label_get_text (vd_code_view_get_summary (view)), ==,
                   "No file changes found in this diff");

  /* Nothing, and an unknown type. */
  vd_code_view_set_text (view, NULL, NULL);
  text = buffer_text (view);
  g_assert_cmpstr (text, ==, "");
  g_assert_null (language_id (view));
  g_assert_cmpstr (vd_code_view_get_content_type (view), ==, "text/plain");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (vd_code_view_get_summary (view))));
  g_clear_pointer (&text, g_free);

  vd_code_view_set_text (view, "x", "application/x-\xff");
  g_assert_null (language_id (view));

  /* Too long: cut at a line end, and said. */
  while (huge->len <= VD_CODE_VIEW_MAX_BYTES)
    g_string_append (huge, "+ a line of an enormous diff that nobody should have to read\n");
  vd_code_view_set_text (view, huge->str, "text/x-diff");
  text = buffer_text (view);
  g_assert_cmpuint (strlen (text), <=, VD_CODE_VIEW_MAX_BYTES);
  g_assert_true (g_str_has_suffix (text, "read\n"));
  summary = gtk_label_get_text (vd_code_view_get_summary (view));
  g_assert_nonnull (strstr (summary, "Only the first"));
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/code-view/diff", Fixture, NULL, fixture_setup, test_diff, fixture_teardown);
  g_test_add ("/code-view/python", Fixture, NULL, fixture_setup, test_python, fixture_teardown);
  g_test_add_func ("/code-view/languages", test_languages);
  g_test_add ("/code-view/dark", Fixture, NULL, fixture_setup, test_dark, fixture_teardown);
  g_test_add ("/code-view/height", Fixture, NULL, fixture_setup, test_height, fixture_teardown);
  g_test_add_func ("/code-view/wheel", test_wheel);
  g_test_add ("/code-view/bad-input", Fixture, NULL, fixture_setup, test_bad_input,
              fixture_teardown);

  return g_test_run ();
}
