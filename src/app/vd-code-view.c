/* vd-code-view.c
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

#define G_LOG_DOMAIN "vd-code-view"

#include "config.h"

#include <math.h>
#include <string.h>

#include <adwaita.h>
#include <glib/gi18n.h>

#include "vd-code-view.h"

/* The height the view takes at most before it scrolls inside. */
#define DEFAULT_MAX_CONTENT_HEIGHT 480

/**
 * VdCodeView:
 *
 * An item field that holds code or a unified diff, shown in a
 * #GtkSourceView: monospace, not wrapped (it scrolls sideways), with line
 * numbers and highlighting by the field's content type, in a style scheme
 * that follows the light or dark style.
 *
 * A diff (`text/x-diff`) gets a summary line above it ("2 files changed,
 * +14 −3"), a tint on added and removed lines, and, up to
 * %VD_CODE_VIEW_MAX_FILE_HIGHLIGHT_BYTES, the highlighting of each file's
 * language, chosen by the file's name in the diff headers.
 *
 * The view takes the height of its whole text up to
 * #VdCodeView:max-content-height, so that inside a scrolling pane the pane
 * scrolls, not the view. It is read-only unless made editable (for the
 * Modify dialog), and then has undo.
 */
struct _VdCodeView
{
  GtkWidget          parent_instance;

  GtkLabel          *summary;
  GtkScrolledWindow *scroller;
  GtkSourceView     *view;
  GtkSourceBuffer   *buffer;
  /* The scrolled window's own wheel handlers. */
  GPtrArray         *scroll_controllers;
  /* The height of the text last laid out. */
  double             text_height;

  char              *content_type;
  VdDiffStat        *diff_stat;
  gboolean           truncated;

  GtkTextTag        *added_tag;
  GtkTextTag        *removed_tag;
  /* The tags copied from each file's own highlighting. */
  GPtrArray         *file_tags;
};

G_DEFINE_FINAL_TYPE (VdCodeView, vd_code_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_EDITABLE,
  PROP_CONTENT_TYPE,
  PROP_MAX_CONTENT_HEIGHT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* "text/x-python; charset=utf-8" → "text/x-python" */
static char *
normalize_content_type (const char *content_type)
{
  g_autofree char *lower = NULL;
  char *semicolon;

  if (content_type == NULL)
    return g_strdup ("text/plain");

  lower = g_ascii_strdown (content_type, -1);
  semicolon = strchr (lower, ';');
  if (semicolon != NULL)
    *semicolon = '\0';

  return g_strstrip (g_steal_pointer (&lower));
}

static GtkSourceLanguage *
first_language (const char * const *ids)
{
  GtkSourceLanguageManager *manager = gtk_source_language_manager_get_default ();

  for (guint i = 0; ids[i] != NULL; i++)
    {
      GtkSourceLanguage *language = gtk_source_language_manager_get_language (manager, ids[i]);

      if (language != NULL)
        return language;
    }

  return NULL;
}

/* GtkSourceView's "python" is Python 2; code today is Python 3. */
static GtkSourceLanguage *
prefer_python3 (GtkSourceLanguage *language)
{
  static const char * const python[] = { "python3", "python", NULL };

  if (language != NULL && g_strcmp0 (gtk_source_language_get_id (language), "python") == 0)
    return first_language (python);

  return language;
}

/**
 * vd_code_view_language_for_content_type:
 * @content_type: (nullable): a media type, such as `text/x-python` or
 *   `text/x-diff`; parameters after `;` are ignored
 *
 * The language a text of @content_type is highlighted in: for
 * `text/x-NAME` the language with the id NAME, else the language that
 * declares the media type.
 *
 * Returns: (transfer none) (nullable): the language, or %NULL for plain
 *   text and unknown types
 */
GtkSourceLanguage *
vd_code_view_language_for_content_type (const char *content_type)
{
  static const struct
  {
    const char *type;
    const char *ids[3];
  } known[] = {
    { "text/x-diff", { "diff", NULL } },
    { "text/x-patch", { "diff", NULL } },
    { "text/x-python", { "python3", "python", NULL } },
    { "text/x-python3", { "python3", "python", NULL } },
    { "application/json", { "json", NULL } },
    { "text/markdown", { "markdown", NULL } },
    { "text/x-javascript", { "js", NULL } },
    { "text/javascript", { "js", NULL } },
    { "text/x-c++", { "cpp", NULL } },
    { "text/x-shellscript", { "sh", NULL } },
    { "text/x-bash", { "sh", NULL } },
  };
  GtkSourceLanguageManager *manager = gtk_source_language_manager_get_default ();
  g_autofree char *type = normalize_content_type (content_type);
  GtkSourceLanguage *language;

  if (g_str_equal (type, "text/plain") || type[0] == '\0')
    return NULL;

  for (guint i = 0; i < G_N_ELEMENTS (known); i++)
    if (g_str_equal (type, known[i].type))
      return first_language (known[i].ids);

  if (g_str_has_prefix (type, "text/x-"))
    {
      language = gtk_source_language_manager_get_language (manager,
                                                           type + strlen ("text/x-"));
      if (language != NULL)
        return prefer_python3 (language);
    }

  if (!g_utf8_validate (type, -1, NULL))
    return NULL;

  return prefer_python3 (gtk_source_language_manager_guess_language (manager, NULL, type));
}

/**
 * vd_code_view_language_for_path:
 * @path: (nullable): a file's path, as a diff names it
 *
 * Returns: (transfer none) (nullable): the language of a file by its name,
 *   or %NULL when its name says none
 */
GtkSourceLanguage *
vd_code_view_language_for_path (const char *path)
{
  GtkSourceLanguageManager *manager = gtk_source_language_manager_get_default ();
  g_autofree char *base = NULL;

  if (path == NULL || *path == '\0' || !g_utf8_validate (path, -1, NULL))
    return NULL;

  /* Only the name: the globs of the language files match it alone, and a
   * content type guessed from disk would mean reading the file. */
  base = g_path_get_basename (path);
  return prefer_python3 (gtk_source_language_manager_guess_language (manager, base, NULL));
}

static GtkSourceStyleScheme *
pick_scheme (gboolean dark)
{
  static const char * const dark_ids[] = { "Adwaita-dark", "classic-dark", "oblivion", NULL };
  static const char * const light_ids[] = { "Adwaita", "classic", NULL };
  GtkSourceStyleSchemeManager *manager = gtk_source_style_scheme_manager_get_default ();
  const char * const *ids = dark ? dark_ids : light_ids;
  const char * const *available = gtk_source_style_scheme_manager_get_scheme_ids (manager);

  for (guint i = 0; ids[i] != NULL; i++)
    if (available != NULL && g_strv_contains (available, ids[i]))
      return gtk_source_style_scheme_manager_get_scheme (manager, ids[i]);

  return NULL;
}

static void
clear_file_tags (VdCodeView *self)
{
  GtkTextTagTable *table = gtk_text_buffer_get_tag_table (GTK_TEXT_BUFFER (self->buffer));
  GtkTextIter start, end;

  for (guint i = 0; i < self->file_tags->len; i++)
    gtk_text_tag_table_remove (table, g_ptr_array_index (self->file_tags, i));
  g_ptr_array_set_size (self->file_tags, 0);

  gtk_text_buffer_get_bounds (GTK_TEXT_BUFFER (self->buffer), &start, &end);
  gtk_text_buffer_remove_tag (GTK_TEXT_BUFFER (self->buffer), self->added_tag, &start, &end);
  gtk_text_buffer_remove_tag (GTK_TEXT_BUFFER (self->buffer), self->removed_tag, &start, &end);
}

/* A tag in the view's buffer that looks like @tag, one of the
 * highlighting tags of a file's own buffer; NULL when @tag changes nothing
 * that shows. */
static GtkTextTag *
copy_tag (VdCodeView *self,
          GtkTextTag *tag)
{
  static const struct
  {
    const char *set;
    const char *value;
  } shown[] = {
    { "foreground-set", "foreground-rgba" },
    { "background-set", "background-rgba" },
    { "weight-set", "weight" },
    { "style-set", "style" },
    { "underline-set", "underline" },
    { "strikethrough-set", "strikethrough" },
  };
  GtkTextTag *copy = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (shown); i++)
    {
      g_auto(GValue) value = G_VALUE_INIT;
      gboolean is_set = FALSE;

      g_object_get (tag, shown[i].set, &is_set, NULL);
      if (!is_set)
        continue;

      if (copy == NULL)
        {
          copy = gtk_text_buffer_create_tag (GTK_TEXT_BUFFER (self->buffer), NULL, NULL);
          g_ptr_array_add (self->file_tags, g_object_ref (copy));
        }

      g_object_get_property (G_OBJECT (tag), shown[i].value, &value);
      g_object_set_property (G_OBJECT (copy), shown[i].value, &value);
    }

  return copy;
}

typedef struct
{
  VdCodeView *self;
  GtkTextTag *copy;
  GArray     *line_map; /* line of the file's buffer → line of the view */
} CopyRange;

/* Applies the copy of a tag to the view's text for one tagged range of a
 * file's buffer, whose lines are the view's lines without their first
 * character (` `, `+` or `-`). */
static void
copy_range (CopyRange         *range,
            const GtkTextIter *start,
            const GtkTextIter *end)
{
  GtkTextBuffer *buffer = GTK_TEXT_BUFFER (range->self->buffer);
  int first = gtk_text_iter_get_line (start);
  int last = gtk_text_iter_get_line (end);

  for (int line = first; line <= last && line < (int) range->line_map->len; line++)
    {
      int view_line = g_array_index (range->line_map, int, line);
      int from = line == first ? gtk_text_iter_get_line_offset (start) : 0;
      GtkTextIter view_start, view_end;

      gtk_text_buffer_get_iter_at_line_offset (buffer, &view_start, view_line, from + 1);
      if (line == last)
        {
          gtk_text_buffer_get_iter_at_line_offset (buffer, &view_end, view_line,
                                                   gtk_text_iter_get_line_offset (end) + 1);
        }
      else
        {
          view_end = view_start;
          if (!gtk_text_iter_ends_line (&view_end))
            gtk_text_iter_forward_to_line_end (&view_end);
        }

      if (gtk_text_iter_compare (&view_start, &view_end) < 0)
        gtk_text_buffer_apply_tag (buffer, range->copy, &view_start, &view_end);
    }
}

static void
collect_tag (GtkTextTag *tag,
             gpointer    user_data)
{
  g_ptr_array_add (user_data, tag);
}

/* Highlights the code lines of one file of the diff in @language, in a
 * buffer of their own, and copies the result onto the view's lines. */
static void
highlight_file (VdCodeView        *self,
                GtkSourceLanguage *language,
                const char        *code,
                GArray            *line_map)
{
  g_autoptr(GtkSourceBuffer) file_buffer = gtk_source_buffer_new_with_language (language);
  g_autoptr(GPtrArray) tags = g_ptr_array_new ();
  GtkTextIter start, end;

  gtk_source_buffer_set_style_scheme (file_buffer,
                                      gtk_source_buffer_get_style_scheme (self->buffer));
  gtk_text_buffer_set_text (GTK_TEXT_BUFFER (file_buffer), code, -1);
  gtk_text_buffer_get_bounds (GTK_TEXT_BUFFER (file_buffer), &start, &end);
  gtk_source_buffer_ensure_highlight (file_buffer, &start, &end);

  gtk_text_tag_table_foreach (gtk_text_buffer_get_tag_table (GTK_TEXT_BUFFER (file_buffer)),
                              collect_tag, tags);

  for (guint i = 0; i < tags->len; i++)
    {
      GtkTextTag *tag = g_ptr_array_index (tags, i);
      CopyRange range = { self, NULL, line_map };
      GtkTextIter iter;

      range.copy = copy_tag (self, tag);
      if (range.copy == NULL)
        continue;

      gtk_text_buffer_get_start_iter (GTK_TEXT_BUFFER (file_buffer), &iter);
      while (gtk_text_iter_has_tag (&iter, tag) || gtk_text_iter_forward_to_tag_toggle (&iter, tag))
        {
          GtkTextIter range_end = iter;

          if (!gtk_text_iter_has_tag (&iter, tag))
            break;
          gtk_text_iter_forward_to_tag_toggle (&range_end, tag);
          copy_range (&range, &iter, &range_end);
          if (gtk_text_iter_is_end (&range_end))
            break;
          iter = range_end;
        }
    }
}

/* The tint of added and removed lines, and each file's own highlighting. */
static void
highlight_diff (VdCodeView *self,
                const char *text)
{
  GtkTextBuffer *buffer = GTK_TEXT_BUFFER (self->buffer);
  g_auto(GStrv) lines = NULL;
  guint n_lines;
  gboolean by_file;

  clear_file_tags (self);

  if (self->diff_stat == NULL)
    return;

  lines = g_strsplit (text, "\n", -1);
  n_lines = g_strv_length (lines);
  by_file = strlen (text) <= VD_CODE_VIEW_MAX_FILE_HIGHLIGHT_BYTES;

  for (guint f = 0; f < self->diff_stat->files->len; f++)
    {
      const VdDiffFile *file = g_ptr_array_index (self->diff_stat->files, f);
      GtkSourceLanguage *language = NULL;
      g_autoptr(GString) code = g_string_new (NULL);
      g_autoptr(GArray) line_map = g_array_new (FALSE, FALSE, sizeof (int));
      gboolean in_hunks = FALSE;

      if (by_file && !(file->flags & VD_DIFF_FILE_BINARY))
        language = vd_code_view_language_for_path (vd_diff_file_get_path (file));
      if (language != NULL && g_str_equal (gtk_source_language_get_id (language), "diff"))
        language = NULL;

      for (guint l = file->first_line; l < file->first_line + file->n_lines && l < n_lines; l++)
        {
          const char *line = lines[l];
          GtkTextTag *tint = NULL;
          int view_line = l;

          if (g_str_has_prefix (line, "@@"))
            {
              in_hunks = TRUE;
              continue;
            }
          if (!in_hunks || (line[0] != '+' && line[0] != '-' && line[0] != ' '))
            continue;

          if (line[0] == '+')
            tint = self->added_tag;
          else if (line[0] == '-')
            tint = self->removed_tag;

          if (tint != NULL)
            {
              GtkTextIter start, end;

              gtk_text_buffer_get_iter_at_line (buffer, &start, l);
              end = start;
              gtk_text_iter_forward_line (&end);
              gtk_text_buffer_apply_tag (buffer, tint, &start, &end);
            }

          if (language != NULL)
            {
              g_string_append (code, line + 1);
              g_string_append_c (code, '\n');
              g_array_append_val (line_map, view_line);
            }
        }

      if (language != NULL && line_map->len > 0)
        highlight_file (self, language, code->str, line_map);
    }
}

static char *
dup_buffer_text (VdCodeView *self)
{
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (GTK_TEXT_BUFFER (self->buffer), &start, &end);
  return gtk_text_buffer_get_text (GTK_TEXT_BUFFER (self->buffer), &start, &end, TRUE);
}

static gboolean
is_diff (VdCodeView *self)
{
  GtkSourceLanguage *language = gtk_source_buffer_get_language (self->buffer);

  return language != NULL && g_str_equal (gtk_source_language_get_id (language), "diff");
}

static void
update_scheme (VdCodeView *self)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  GdkRGBA added, removed;
  gboolean dark = adw_style_manager_get_dark (style);

  gtk_source_buffer_set_style_scheme (self->buffer, pick_scheme (dark));

  /* libadwaita's green 4 and red 3, faint enough to read through. */
  gdk_rgba_parse (&added, dark ? "rgba(46,194,126,0.18)" : "rgba(46,194,126,0.16)");
  gdk_rgba_parse (&removed, dark ? "rgba(224,27,36,0.22)" : "rgba(224,27,36,0.12)");
  g_object_set (self->added_tag, "paragraph-background-rgba", &added, NULL);
  g_object_set (self->removed_tag, "paragraph-background-rgba", &removed, NULL);

  /* The copied highlighting has the colours of the scheme it came from. */
  if (self->diff_stat != NULL && !gtk_text_view_get_editable (GTK_TEXT_VIEW (self->view)))
    {
      g_autofree char *text = dup_buffer_text (self);

      highlight_diff (self, text);
    }
}

static void
update_min_height (VdCodeView *self,
                   int         max_height)
{
  int height = MIN ((int) ceil (self->text_height), max_height);

  gtk_scrolled_window_set_min_content_height (self->scroller, height > 0 ? height : -1);
}

/* GtkScrolledWindow takes every wheel event as soon as it can scroll
 * either way: a view that only scrolls sideways would keep the pane
 * around it from scrolling down. It takes vertical ones only when the
 * text is taller than the view. */
static void
vadjustment_changed_cb (VdCodeView *self)
{
  GtkAdjustment *vadjustment = gtk_scrolled_window_get_vadjustment (self->scroller);
  gboolean vertical;
  double text_height = gtk_adjustment_get_upper (vadjustment);

  /* The whole text up to the cap is also the least height the view
   * takes: a scrolling pane gives its children their minimum height. */
  if (text_height != self->text_height)
    {
      self->text_height = text_height;
      update_min_height (self, gtk_scrolled_window_get_max_content_height (self->scroller));
    }

  if (self->scroll_controllers == NULL)
    return;

  vertical = gtk_adjustment_get_upper (vadjustment) - gtk_adjustment_get_lower (vadjustment) >
             gtk_adjustment_get_page_size (vadjustment) + 0.5;

  for (guint i = 0; i < self->scroll_controllers->len; i++)
    {
      GtkEventControllerScroll *scroll = g_ptr_array_index (self->scroll_controllers, i);
      GtkEventControllerScrollFlags flags = gtk_event_controller_scroll_get_flags (scroll);

      if (vertical)
        flags |= GTK_EVENT_CONTROLLER_SCROLL_VERTICAL;
      else
        flags &= ~GTK_EVENT_CONTROLLER_SCROLL_VERTICAL;
      gtk_event_controller_scroll_set_flags (scroll, flags);
    }
}

static GPtrArray *
find_scroll_controllers (GtkWidget *widget)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);
  GPtrArray *found = g_ptr_array_new_with_free_func (g_object_unref);
  guint n = g_list_model_get_n_items (controllers);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_EVENT_CONTROLLER_SCROLL (controller))
        g_ptr_array_add (found, g_object_ref (controller));
    }

  return found;
}

static void
update_summary (VdCodeView *self)
{
  g_autoptr(GString) summary = g_string_new (NULL);

  if (self->diff_stat != NULL && self->diff_stat->files->len > 0)
    {
      g_autofree char *stat = vd_diff_stat_to_string (self->diff_stat);

      g_string_append (summary, stat);
    }
  else if (self->diff_stat != NULL)
    {
      g_string_append (summary, _("No file changes found in this diff"));
    }

  if (self->truncated)
    {
      g_autofree char *size = g_format_size (VD_CODE_VIEW_MAX_BYTES);

      if (summary->len > 0)
        g_string_append (summary, " · ");
      /* Translators: above a text cut short; %s is a size, e.g. "1.0 MB" */
      g_string_append_printf (summary, _("Only the first %s shown"), size);
    }

  gtk_label_set_text (self->summary, summary->str);
  gtk_widget_set_visible (GTK_WIDGET (self->summary), summary->len > 0);
}

/**
 * vd_code_view_set_text:
 * @self: a code view
 * @text: (nullable): the field's text
 * @content_type: (nullable): its media type, such as `text/x-diff` or
 *   `text/x-python`; %NULL for `text/plain`
 *
 * Shows @text highlighted for @content_type. Text that is not valid UTF-8
 * is shown with its bad bytes replaced; text longer than
 * %VD_CODE_VIEW_MAX_BYTES is cut at a line end, and the summary says so.
 * The text set is not something Undo takes back.
 */
void
vd_code_view_set_text (VdCodeView *self,
                       const char *text,
                       const char *content_type)
{
  g_autofree char *shown = NULL;
  g_autofree char *type = NULL;
  gsize length;

  g_return_if_fail (VD_IS_CODE_VIEW (self));

  if (text == NULL)
    text = "";

  shown = g_utf8_make_valid (text, -1);
  length = strlen (shown);
  self->truncated = length > VD_CODE_VIEW_MAX_BYTES;
  if (self->truncated)
    {
      char *cut = g_strrstr_len (shown, VD_CODE_VIEW_MAX_BYTES, "\n");

      if (cut != NULL)
        cut++;
      else
        cut = (char *) g_utf8_find_prev_char (shown, shown + VD_CODE_VIEW_MAX_BYTES);
      if (cut == NULL)
        cut = shown;
      *cut = '\0';
    }

  type = normalize_content_type (content_type);
  if (g_strcmp0 (type, self->content_type) != 0)
    {
      g_free (self->content_type);
      self->content_type = g_steal_pointer (&type);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONTENT_TYPE]);
    }

  clear_file_tags (self);
  gtk_source_buffer_set_language (self->buffer,
                                  vd_code_view_language_for_content_type (self->content_type));

  gtk_text_buffer_begin_irreversible_action (GTK_TEXT_BUFFER (self->buffer));
  gtk_text_buffer_set_text (GTK_TEXT_BUFFER (self->buffer), shown, -1);
  gtk_text_buffer_end_irreversible_action (GTK_TEXT_BUFFER (self->buffer));
  gtk_text_buffer_set_modified (GTK_TEXT_BUFFER (self->buffer), FALSE);

  {
    GtkTextIter start;

    gtk_text_buffer_get_start_iter (GTK_TEXT_BUFFER (self->buffer), &start);
    gtk_text_buffer_place_cursor (GTK_TEXT_BUFFER (self->buffer), &start);
  }

  g_clear_pointer (&self->diff_stat, vd_diff_stat_free);
  if (is_diff (self))
    {
      self->diff_stat = vd_diff_stat_parse (shown, -1);
      highlight_diff (self, shown);
    }

  update_summary (self);
}

/**
 * vd_code_view_get_text:
 * @self: a code view
 *
 * Returns: (transfer full): the text shown, with the reviewer's edits when
 *   the view is editable
 */
char *
vd_code_view_get_text (VdCodeView *self)
{
  g_return_val_if_fail (VD_IS_CODE_VIEW (self), NULL);

  return dup_buffer_text (self);
}

/**
 * vd_code_view_get_content_type:
 * @self: a code view
 *
 * Returns: the content type of the text, `text/plain` when none was given
 */
const char *
vd_code_view_get_content_type (VdCodeView *self)
{
  g_return_val_if_fail (VD_IS_CODE_VIEW (self), NULL);

  return self->content_type;
}

/**
 * vd_code_view_get_editable:
 * @self: a code view
 *
 * Returns: whether the reviewer can edit the text
 */
gboolean
vd_code_view_get_editable (VdCodeView *self)
{
  g_return_val_if_fail (VD_IS_CODE_VIEW (self), FALSE);

  return gtk_text_view_get_editable (GTK_TEXT_VIEW (self->view));
}

/**
 * vd_code_view_set_editable:
 * @self: a code view
 * @editable: whether the reviewer can edit the text
 *
 * Makes the text editable, with a cursor and undo (Ctrl+Z), in the same
 * highlighting; or read-only again. Edits made before are kept. In an
 * editable diff, the tint of lines and the highlighting by file stay where
 * they were set.
 */
void
vd_code_view_set_editable (VdCodeView *self,
                           gboolean    editable)
{
  g_return_if_fail (VD_IS_CODE_VIEW (self));

  editable = !!editable;
  if (editable == vd_code_view_get_editable (self))
    return;

  gtk_text_view_set_editable (GTK_TEXT_VIEW (self->view), editable);
  gtk_text_view_set_cursor_visible (GTK_TEXT_VIEW (self->view), editable);
  gtk_text_buffer_set_enable_undo (GTK_TEXT_BUFFER (self->buffer), editable);
  gtk_source_view_set_highlight_current_line (self->view, editable);
  gtk_source_view_set_auto_indent (self->view, editable);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EDITABLE]);
}

/**
 * vd_code_view_get_max_content_height:
 * @self: a code view
 *
 * Returns: the height in pixels above which the text scrolls inside the view
 */
int
vd_code_view_get_max_content_height (VdCodeView *self)
{
  g_return_val_if_fail (VD_IS_CODE_VIEW (self), -1);

  return gtk_scrolled_window_get_max_content_height (self->scroller);
}

/**
 * vd_code_view_set_max_content_height:
 * @self: a code view
 * @height: the height in pixels above which the text scrolls inside the
 *   view
 */
void
vd_code_view_set_max_content_height (VdCodeView *self,
                                     int         height)
{
  g_return_if_fail (VD_IS_CODE_VIEW (self));
  g_return_if_fail (height > 0);

  if (height == gtk_scrolled_window_get_max_content_height (self->scroller))
    return;

  /* GtkScrolledWindow refuses a minimum above the maximum at any time. */
  if (height > gtk_scrolled_window_get_max_content_height (self->scroller))
    {
      gtk_scrolled_window_set_max_content_height (self->scroller, height);
      update_min_height (self, height);
    }
  else
    {
      update_min_height (self, height);
      gtk_scrolled_window_set_max_content_height (self->scroller, height);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_CONTENT_HEIGHT]);
}

/**
 * vd_code_view_get_diff_stat:
 * @self: a code view
 *
 * Returns: (nullable) (transfer none): the counts of the diff shown, or
 *   %NULL when the text is not a diff
 */
const VdDiffStat *
vd_code_view_get_diff_stat (VdCodeView *self)
{
  g_return_val_if_fail (VD_IS_CODE_VIEW (self), NULL);

  return self->diff_stat;
}

/**
 * vd_code_view_get_source_view:
 * @self: a code view
 *
 * Returns: (transfer none): the source view inside
 */
GtkSourceView *
vd_code_view_get_source_view (VdCodeView *self)
{
  g_return_val_if_fail (VD_IS_CODE_VIEW (self), NULL);

  return self->view;
}

/**
 * vd_code_view_get_summary:
 * @self: a code view
 *
 * Returns: (transfer none): the line above the text, with the counts of a
 *   diff; hidden when there is nothing to say
 */
GtkLabel *
vd_code_view_get_summary (VdCodeView *self)
{
  g_return_val_if_fail (VD_IS_CODE_VIEW (self), NULL);

  return self->summary;
}

/**
 * vd_code_view_new:
 *
 * Returns: (transfer full): a new, empty, read-only code view
 */
GtkWidget *
vd_code_view_new (void)
{
  return g_object_new (VD_TYPE_CODE_VIEW, NULL);
}

static void
vd_code_view_dispose (GObject *object)
{
  VdCodeView *self = VD_CODE_VIEW (object);
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), VD_TYPE_CODE_VIEW);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_pointer (&self->file_tags, g_ptr_array_unref);
  g_clear_object (&self->added_tag);
  g_clear_object (&self->removed_tag);
  g_clear_object (&self->buffer);
  g_clear_pointer (&self->scroll_controllers, g_ptr_array_unref);

  G_OBJECT_CLASS (vd_code_view_parent_class)->dispose (object);
}

static void
vd_code_view_finalize (GObject *object)
{
  VdCodeView *self = VD_CODE_VIEW (object);

  g_clear_pointer (&self->content_type, g_free);
  g_clear_pointer (&self->diff_stat, vd_diff_stat_free);

  G_OBJECT_CLASS (vd_code_view_parent_class)->finalize (object);
}

static void
vd_code_view_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  VdCodeView *self = VD_CODE_VIEW (object);

  switch (prop_id)
    {
    case PROP_EDITABLE:
      g_value_set_boolean (value, vd_code_view_get_editable (self));
      break;

    case PROP_CONTENT_TYPE:
      g_value_set_string (value, self->content_type);
      break;

    case PROP_MAX_CONTENT_HEIGHT:
      g_value_set_int (value, vd_code_view_get_max_content_height (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vd_code_view_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  VdCodeView *self = VD_CODE_VIEW (object);

  switch (prop_id)
    {
    case PROP_EDITABLE:
      vd_code_view_set_editable (self, g_value_get_boolean (value));
      break;

    case PROP_MAX_CONTENT_HEIGHT:
      vd_code_view_set_max_content_height (self, g_value_get_int (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vd_code_view_class_init (VdCodeViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vd_code_view_dispose;
  object_class->finalize = vd_code_view_finalize;
  object_class->get_property = vd_code_view_get_property;
  object_class->set_property = vd_code_view_set_property;

  /**
   * VdCodeView:editable:
   *
   * Whether the reviewer can edit the text (with undo).
   */
  properties[PROP_EDITABLE] =
    g_param_spec_boolean ("editable", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * VdCodeView:content-type:
   *
   * The media type of the text, as given to vd_code_view_set_text()
   * without its parameters.
   */
  properties[PROP_CONTENT_TYPE] =
    g_param_spec_string ("content-type", NULL, NULL,
                         "text/plain",
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * VdCodeView:max-content-height:
   *
   * The height in pixels up to which the view grows with its text; a
   * longer text scrolls inside the view.
   */
  properties[PROP_MAX_CONTENT_HEIGHT] =
    g_param_spec_int ("max-content-height", NULL, NULL,
                      1, G_MAXINT, DEFAULT_MAX_CONTENT_HEIGHT,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_source_init ();
  g_type_ensure (GTK_SOURCE_TYPE_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/verdict/Verdict/vd-code-view.ui");
  gtk_widget_class_bind_template_child (widget_class, VdCodeView, summary);
  gtk_widget_class_bind_template_child (widget_class, VdCodeView, scroller);
  gtk_widget_class_bind_template_child (widget_class, VdCodeView, view);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "codeview");
}

static void
vd_code_view_init (VdCodeView *self)
{
  GtkLayoutManager *layout;

  gtk_widget_init_template (GTK_WIDGET (self));

  layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));
  gtk_orientable_set_orientation (GTK_ORIENTABLE (layout), GTK_ORIENTATION_VERTICAL);
  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (layout), 6);

  self->content_type = g_strdup ("text/plain");
  self->file_tags = g_ptr_array_new_with_free_func (g_object_unref);

  self->buffer = g_object_ref (GTK_SOURCE_BUFFER (
                                 gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->view))));
  gtk_text_buffer_set_enable_undo (GTK_TEXT_BUFFER (self->buffer), FALSE);
  gtk_source_buffer_set_highlight_matching_brackets (self->buffer, FALSE);

  self->added_tag = g_object_ref (gtk_text_buffer_create_tag (GTK_TEXT_BUFFER (self->buffer),
                                                              NULL, NULL));
  self->removed_tag = g_object_ref (gtk_text_buffer_create_tag (GTK_TEXT_BUFFER (self->buffer),
                                                                NULL, NULL));

  self->scroll_controllers = find_scroll_controllers (GTK_WIDGET (self->scroller));
  g_signal_connect_object (gtk_scrolled_window_get_vadjustment (self->scroller), "changed",
                           G_CALLBACK (vadjustment_changed_cb), self, G_CONNECT_SWAPPED);
  vadjustment_changed_cb (self);

  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (update_scheme), self, G_CONNECT_SWAPPED);
  update_scheme (self);
}
