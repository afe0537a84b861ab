/* test-item-detail.c
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

#define G_LOG_DOMAIN "test-item-detail"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gstdio.h>

#include "vd-item-detail-private.h"
#include "vd-test-gui.h"

typedef struct
{
  char         *tmpdir;
  VdStore      *store;
  VdPolicy     *policy;
  GtkWindow    *window;
  VdItemDetail *detail;
  guint         n_files;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db_path = NULL;
  g_autofree char *policy_path = g_build_filename (g_getenv ("VERDICT_SAMPLES"),
                                                  "policy.json", NULL);

  fixture->tmpdir = vd_test_make_tmp_dir ("test-detail");

  db_path = g_build_filename (fixture->tmpdir, "verdict.db", NULL);
  fixture->store = vd_test_open_store (db_path);

  /* The sample policy: threshold 0.7, 0.85 for the "payment" type. */
  fixture->policy = vd_policy_new_from_file (policy_path, &error);
  g_assert_no_error (error);

  fixture->detail = g_object_ref (VD_ITEM_DETAIL (vd_item_detail_new ()));
  vd_item_detail_set_store (fixture->detail, fixture->store);

  fixture->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (fixture->window, 800, 900);
  gtk_window_set_child (fixture->window, GTK_WIDGET (fixture->detail));
  gtk_window_present (fixture->window);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  VdItemDetail *detail = g_steal_pointer (&fixture->detail);
  VdItemHistory *history = _vd_item_detail_get_history (detail);

  /* The pane is freed at once, its history once a load still running has
   * come back. */
  g_object_add_weak_pointer (G_OBJECT (detail), (gpointer *) &detail);
  g_object_add_weak_pointer (G_OBJECT (history), (gpointer *) &history);
  gtk_window_destroy (g_steal_pointer (&fixture->window));
  g_object_unref (detail);
  WAIT_UNTIL (detail == NULL && history == NULL);

  g_assert_finalize_object (g_steal_pointer (&fixture->policy));
  g_assert_finalize_object (g_steal_pointer (&fixture->store));
  vd_test_remove_tree (fixture->tmpdir);
  g_clear_pointer (&fixture->tmpdir, g_free);
}

/* Queue files */

typedef struct
{
  const char *task_id;
  const char *description;
  const char *task_type;
  const char *context;
  const char *content;
  double      confidence;
  const char *reasoning;
  const char *metadata;     /* JSON object text, or NULL */
  const char *reason;
  const char *detail;
  int         revision;
  const char *due_at;
  int         priority;
} ItemSpec;

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  if (value == NULL)
    return;

  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

static char *
item_line (const ItemSpec *spec)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  add_string (builder, "task_id", spec->task_id);
  add_string (builder, "task_description", spec->description);
  add_string (builder, "task_type", spec->task_type);
  add_string (builder, "context", spec->context);
  json_builder_set_member_name (builder, "agent_output");
  json_builder_begin_object (builder);
  add_string (builder, "content", spec->content);
  json_builder_set_member_name (builder, "confidence");
  json_builder_add_double_value (builder, spec->confidence);
  add_string (builder, "reasoning", spec->reasoning);
  if (spec->metadata != NULL)
    {
      g_autoptr(GError) error = NULL;
      JsonNode *metadata = json_from_string (spec->metadata, &error);

      g_assert_no_error (error);
      json_builder_set_member_name (builder, "metadata");
      json_builder_add_value (builder, metadata);
    }
  json_builder_end_object (builder);
  add_string (builder, "escalation_reason", spec->reason != NULL ? spec->reason
                                                                 : "low_confidence");
  add_string (builder, "escalation_detail", spec->detail);
  add_string (builder, "timestamp", "2026-11-20T07:00:00Z");
  add_string (builder, "due_at", spec->due_at);
  json_builder_set_member_name (builder, "revision");
  json_builder_add_int_value (builder, spec->revision);
  json_builder_set_member_name (builder, "priority");
  json_builder_add_int_value (builder, spec->priority);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

/* Imports items into @queue through the real importer. */
static void
import_items (Fixture        *fixture,
              const char     *queue,
              const ItemSpec *specs,
              guint           n_specs)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(JsonBuilder) header = json_builder_new ();
  g_autoptr(JsonNode) header_node = NULL;
  g_autoptr(VdPolicy) policy = vd_policy_new ();
  g_autofree char *header_text = NULL;
  g_autofree char *name = g_strdup_printf ("queue-%u.jsonl", ++fixture->n_files);
  VdImportResult result = { 0 };

  json_builder_begin_object (header);
  json_builder_set_member_name (header, "verdict_queue");
  json_builder_add_int_value (header, 1);
  add_string (header, "queue", queue);
  json_builder_end_object (header);
  header_node = json_builder_get_root (header);
  header_text = json_to_string (header_node, FALSE);
  g_string_append_printf (text, "%s\n", header_text);

  for (guint i = 0; i < n_specs; i++)
    {
      g_autofree char *line = item_line (&specs[i]);

      g_string_append_printf (text, "%s\n", line);
    }

  vd_test_import_text (fixture->store, fixture->tmpdir, name, text->str, policy, &result);
  g_assert_cmpuint (result.imported + result.revised, ==, n_specs);
}

static VdItem *
get_item (Fixture    *fixture,
          const char *queue,
          const char *task_id)
{
  g_autoptr(GError) error = NULL;
  VdItem *item = vd_store_get_item (fixture->store, queue, task_id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (item);

  return item;
}

static void
decide (Fixture        *fixture,
        const char     *queue,
        const char     *task_id,
        VdDecisionKind  kind,
        const char     *reviewer,
        const char     *feedback,
        gint64          duration_ms)
{
  g_autoptr(VdItem) item = get_item (fixture, queue, task_id);
  g_autoptr(VdDecision) decision = vd_decision_new (queue, task_id, kind, reviewer);
  g_autoptr(GError) error = NULL;

  vd_decision_set_feedback (decision, feedback);
  vd_decision_set_revision (decision, vd_item_get_revision (item));
  vd_decision_set_duration_ms (decision, duration_ms);
  if (kind == VD_DECISION_KIND_MODIFY)
    vd_decision_set_modified_content (decision, feedback);
  vd_store_record_decision (fixture->store, decision, &error);
  g_assert_no_error (error);
}

/* Shows @item and waits until its history is loaded. */
static void
show_item (Fixture *fixture,
           VdItem  *item)
{
  guint n_loads = _vd_item_detail_get_n_loads (fixture->detail);

  vd_item_detail_set_item (fixture->detail, item);
  g_assert_true (_vd_item_detail_get_loading (fixture->detail));
  WAIT_UNTIL (_vd_item_detail_get_n_loads (fixture->detail) == n_loads + 1);
  g_assert_false (_vd_item_detail_get_loading (fixture->detail));
}

/* Widget helpers */

static guint
count_children (GtkWidget *widget)
{
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n++;

  return n;
}

/* A label of the pane shows @text exactly, as plain text, and is shown. */
static void
assert_label (Fixture    *fixture,
              const char *name,
              const char *text)
{
  GtkLabel *label = _vd_item_detail_get_label (fixture->detail, name);

  g_assert_nonnull (label);
  g_assert_cmpstr (gtk_label_get_text (label), ==, text);
  g_assert_cmpstr (gtk_label_get_label (label), ==, text);
  g_assert_false (gtk_label_get_use_markup (label));
  g_assert_null (gtk_label_get_attributes (label));
  g_assert_true (gtk_widget_is_visible (GTK_WIDGET (label)));
}

/* No label anywhere in the pane interprets markup. */
static void
assert_no_markup (Fixture *fixture)
{
  g_autoptr(GPtrArray) labels = vd_test_find_widgets (GTK_WIDGET (fixture->detail), GTK_TYPE_LABEL);

  g_assert_cmpuint (labels->len, >, 20);
  for (guint i = 0; i < labels->len; i++)
    {
      GtkLabel *label = g_ptr_array_index (labels, i);

      /* The empty state's own strings are libadwaita's business. */
      if (gtk_widget_get_ancestor (GTK_WIDGET (label), ADW_TYPE_STATUS_PAGE) != NULL)
        continue;

      g_assert_false (gtk_label_get_use_markup (label));
      g_assert_cmpstr (gtk_label_get_text (label), ==, gtk_label_get_label (label));
    }
}

/* The text of a text view, and the passages with a tag. */
static char *
buffer_text (GtkTextView *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);

  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static char *
tagged_text (GtkTextView *view,
             const char  *tag_name)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextTag *tag = gtk_text_tag_table_lookup (gtk_text_buffer_get_tag_table (buffer), tag_name);
  GString *out = g_string_new (NULL);
  GtkTextIter iter;

  g_assert_nonnull (tag);
  gtk_text_buffer_get_start_iter (buffer, &iter);

  /* Passages joined with "|". */
  while (!gtk_text_iter_is_end (&iter))
    {
      if (gtk_text_iter_starts_tag (&iter, tag))
        {
          GtkTextIter end = iter;
          g_autofree char *passage = NULL;

          gtk_text_iter_forward_to_tag_toggle (&end, tag);
          passage = gtk_text_iter_get_text (&iter, &end);
          g_string_append_printf (out, "%s%s", out->len > 0 ? "|" : "", passage);
          iter = end;
        }
      else if (!gtk_text_iter_forward_to_tag_toggle (&iter, tag))
        {
          break;
        }
    }

  return g_string_free (out, FALSE);
}

/* Tests */

static void
test_detail_empty (Fixture       *fixture,
                   gconstpointer  data)
{
  const ItemSpec spec = { .task_id = "t1", .description = "Describe", .content = "Out",
                          .confidence = 0.5 };
  g_autoptr(VdItem) item = NULL;

  g_assert_cmpstr (_vd_item_detail_get_visible_page (fixture->detail), ==, "empty");
  g_assert_null (vd_item_detail_get_item (fixture->detail));
  g_assert_nonnull (vd_test_find_label (GTK_WIDGET (fixture->detail), "No Item Selected"));
  g_assert_false (_vd_item_detail_get_loading (fixture->detail));

  import_items (fixture, "q", &spec, 1);
  item = get_item (fixture, "q", "t1");
  show_item (fixture, item);
  g_assert_cmpstr (_vd_item_detail_get_visible_page (fixture->detail), ==, "item");
  g_assert_true (vd_item_detail_get_item (fixture->detail) == item);

  vd_item_detail_set_item (fixture->detail, NULL);
  g_assert_cmpstr (_vd_item_detail_get_visible_page (fixture->detail), ==, "empty");
  g_assert_null (vd_item_detail_get_item (fixture->detail));
  g_assert_false (_vd_item_detail_get_loading (fixture->detail));
}

#define M_QUEUE "<b>q</b>&amp;"
#define M_TASK_ID "t<b>1</b>&amp;"
#define M_DESCRIPTION "<b>bold</b> & <span foreground=\"red\">red</span> &amp; " \
                      "<a href=\"https://example.com\">link</a>"
#define M_TYPE "<i>type</i> & co"
#define M_CONTEXT "ctx <span foreground=\"red\">x</span> & <u>u</u>"
#define M_CONTENT "Pay <b>now</b> & <span foreground='red'>ignore</span> &lt;tag&gt; " \
                  "https://example.com/pay"
#define M_REASONING "<tt>because</tt> & &#60;"
#define M_DETAIL "detail <b>why</b> & <big>so</big>"
#define M_FEEDBACK "Use <b>the</b> & <span foreground=\"red\">IBAN</span>"
#define M_REVIEWER "rev<b>iewer</b>&amp;"

static void
test_detail_markup (Fixture       *fixture,
                    gconstpointer  data)
{
  const ItemSpec first = {
    .task_id = M_TASK_ID, .description = M_DESCRIPTION, .task_type = M_TYPE,
    .context = M_CONTEXT, .content = "old <b>output</b> &", .confidence = 0.4,
    .reasoning = M_REASONING, .reason = "sensitive_content", .detail = M_DETAIL,
    .metadata = "{\"<b>key</b>\": \"<span foreground='red'>v</span> &amp;\", "
                "\"n<i>e</i>st\": {\"&amp;\": 1}}",
  };
  ItemSpec second = first;
  g_autoptr(VdItem) item = NULL;
  GtkWidget *revisions, *decisions;
  GtkWidget *grid;

  import_items (fixture, M_QUEUE, &first, 1);
  decide (fixture, M_QUEUE, M_TASK_ID, VD_DECISION_KIND_REJECT, M_REVIEWER, M_FEEDBACK, 4000);
  second.content = M_CONTENT;
  second.revision = 1;
  import_items (fixture, M_QUEUE, &second, 1);

  item = get_item (fixture, M_QUEUE, M_TASK_ID);
  g_assert_cmpint (vd_item_get_revision (item), ==, 1);
  show_item (fixture, item);

  assert_label (fixture, "task-id", M_TASK_ID);
  assert_label (fixture, "queue", "Queue: " M_QUEUE);
  assert_label (fixture, "task-type", M_TYPE);
  assert_label (fixture, "description", M_DESCRIPTION);
  assert_label (fixture, "context", M_CONTEXT);
  assert_label (fixture, "content", M_CONTENT);
  assert_label (fixture, "reasoning", M_REASONING);
  assert_label (fixture, "escalation-detail", M_DETAIL);
  assert_label (fixture, "reason",
                vd_escalation_reason_to_label (VD_ESCALATION_REASON_SENSITIVE_CONTENT));
  assert_label (fixture, "revision", "Revision 1");

  /* Metadata keys and values, flattened, as they are. */
  grid = _vd_item_detail_get_metadata_grid (fixture->detail);
  g_assert_nonnull (vd_test_find_label (grid, "<b>key</b>"));
  g_assert_nonnull (vd_test_find_label (grid, "<span foreground='red'>v</span> &amp;"));
  g_assert_nonnull (vd_test_find_label (grid, "n<i>e</i>st.&amp;"));

  /* The history, loaded from the store: the reviewer's feedback and id. */
  revisions = _vd_item_detail_get_revisions (fixture->detail);
  decisions = _vd_item_detail_get_decisions (fixture->detail);
  g_assert_nonnull (vd_test_find_label (revisions, M_FEEDBACK));
  g_assert_nonnull (vd_test_find_label (decisions, M_FEEDBACK));
  g_assert_nonnull (vd_test_find_label (decisions, "by " M_REVIEWER));

  assert_no_markup (fixture);
}

static void
test_detail_history (Fixture       *fixture,
                     gconstpointer  data)
{
  const ItemSpec first = {
    .task_id = "refund-1", .description = "Refund request", .task_type = "refund",
    .content = "The refund of $120 is approved.", .confidence = 0.55,
  };
  ItemSpec second = first;
  g_autoptr(VdItem) item = NULL;
  g_autoptr(GPtrArray) views = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *text = NULL;
  g_autofree char *inserted = NULL;
  g_autofree char *deleted = NULL;
  GtkWidget *revisions, *decisions;
  GtkTextView *view;

  import_items (fixture, "refunds", &first, 1);
  decide (fixture, "refunds", "refund-1", VD_DECISION_KIND_REJECT, "alice",
          "The receipt shows $95, not $120.", 12000);
  second.content = "The refund of $95 is approved after review.";
  second.confidence = 0.81;
  second.revision = 1;
  import_items (fixture, "refunds", &second, 1);
  decide (fixture, "refunds", "refund-1", VD_DECISION_KIND_ESCALATE_FURTHER, "bob",
          "Needs a manager for refunds after a rejection.", 65000);

  item = get_item (fixture, "refunds", "refund-1");
  show_item (fixture, item);

  /* One earlier revision, with the feedback that caused the next one. */
  revisions = _vd_item_detail_get_revisions (fixture->detail);
  g_assert_true (gtk_widget_is_visible (revisions));
  g_assert_cmpuint (count_children (revisions), ==, 1);
  g_assert_nonnull (vd_test_find_label (revisions, "Revision 0"));
  g_assert_nonnull (vd_test_find_label (revisions, "The receipt shows $95, not $120."));

  /* Its diff against the current output, read-only, word by word. */
  views = vd_test_find_widgets (revisions, GTK_TYPE_TEXT_VIEW);
  g_assert_cmpuint (views->len, ==, 1);
  view = g_ptr_array_index (views, 0);
  g_assert_false (gtk_text_view_get_editable (view));
  g_assert_false (gtk_text_view_get_cursor_visible (view));
  g_assert_cmpint (gtk_text_view_get_wrap_mode (view), ==, GTK_WRAP_WORD_CHAR);
  text = buffer_text (view);
  g_assert_cmpstr (text, ==, "The refund of $12095 is approved after review.");
  deleted = tagged_text (view, "deleted");
  inserted = tagged_text (view, "inserted");
  g_assert_cmpstr (deleted, ==, "120");
  g_assert_cmpstr (inserted, ==, "95| after review");
  gtk_test_accessible_assert_property (view, GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Changes since revision 0");
  gtk_test_accessible_assert_property (view, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                       "Passages added: 2. Passages removed: 1.");

  /* The decisions, oldest first: who, when, what and why. */
  decisions = _vd_item_detail_get_decisions (fixture->detail);
  g_assert_true (gtk_widget_is_visible (decisions));
  rows = vd_test_find_widgets (decisions, GTK_TYPE_LIST_BOX_ROW);
  g_assert_cmpuint (rows->len, ==, 2);
  g_assert_nonnull (vd_test_find_label (g_ptr_array_index (rows, 0), "Rejected"));
  g_assert_nonnull (vd_test_find_label (g_ptr_array_index (rows, 0), "by alice"));
  g_assert_nonnull (vd_test_find_label (g_ptr_array_index (rows, 0),
                                        "Revision 0 · decided in 12 s"));
  g_assert_nonnull (vd_test_find_label (g_ptr_array_index (rows, 0),
                                        "The receipt shows $95, not $120."));
  g_assert_nonnull (vd_test_find_label (g_ptr_array_index (rows, 1), "Escalated Further"));
  g_assert_nonnull (vd_test_find_label (g_ptr_array_index (rows, 1), "by bob"));
  g_assert_nonnull (vd_test_find_label (g_ptr_array_index (rows, 1),
                                "Revision 1 · decided in 1 min 5 s"));
  g_assert_nonnull (vd_test_find_label (g_ptr_array_index (rows, 1),
                                "Needs a manager for refunds after a rejection."));
  gtk_test_accessible_assert_property (g_ptr_array_index (rows, 0),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "Rejected by alice");

  /* A decision recorded later shows after a reload. */
  {
    g_autoptr(GPtrArray) after = NULL;
    g_autoptr(VdItem) escalated = get_item (fixture, "refunds", "refund-1");
    guint n_loads = _vd_item_detail_get_n_loads (fixture->detail);

    decide (fixture, "refunds", "refund-1", VD_DECISION_KIND_APPROVE, "carol", "Manager ok", 3000);
    vd_item_detail_reload (fixture->detail);
    g_assert_true (_vd_item_detail_get_loading (fixture->detail));
    /* What is shown stays while the reload runs. */
    g_assert_cmpuint (count_children (revisions), ==, 1);
    WAIT_UNTIL (_vd_item_detail_get_n_loads (fixture->detail) == n_loads + 1);

    after = vd_test_find_widgets (decisions, GTK_TYPE_LIST_BOX_ROW);
    g_assert_cmpuint (after->len, ==, 3);
    g_assert_nonnull (vd_test_find_label (g_ptr_array_index (after, 2), "Approved"));
    g_assert_nonnull (vd_test_find_label (g_ptr_array_index (after, 2), "by carol"));
    g_assert_nonnull (vd_test_find_label (g_ptr_array_index (after, 2), "Manager ok"));
    g_assert_cmpuint (count_children (revisions), ==, 1);
    g_assert_true (VD_IS_ITEM (escalated));
  }
}

/* Switching items cancels the load for the previous one: its history never
 * shows up in the pane. */
static void
test_detail_switch (Fixture       *fixture,
                    gconstpointer  data)
{
  const ItemSpec a0 = { .task_id = "a", .description = "A", .content = "alpha one",
                        .confidence = 0.3 };
  const ItemSpec b0 = { .task_id = "b", .description = "B", .content = "beta",
                        .confidence = 0.3 };
  ItemSpec a1 = a0;
  g_autoptr(VdItem) a = NULL;
  g_autoptr(VdItem) b = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  guint n_loads;

  import_items (fixture, "q", &a0, 1);
  import_items (fixture, "q", &b0, 1);
  decide (fixture, "q", "a", VD_DECISION_KIND_REJECT, "alice", "feedback on a", 1000);
  a1.content = "alpha two";
  a1.revision = 1;
  import_items (fixture, "q", &a1, 1);

  a = get_item (fixture, "q", "a");
  b = get_item (fixture, "q", "b");

  for (guint round = 0; round < 20; round++)
    {
      n_loads = _vd_item_detail_get_n_loads (fixture->detail);

      vd_item_detail_set_item (fixture->detail, a);
      vd_item_detail_set_item (fixture->detail, b);
      WAIT_UNTIL (!_vd_item_detail_get_loading (fixture->detail));
      g_assert_cmpuint (_vd_item_detail_get_n_loads (fixture->detail), ==, n_loads + 1);

      /* Give a stale result every chance to arrive. */
      vd_test_iterate_for (round == 0 ? 200 : 5);

      assert_label (fixture, "task-id", "b");
      g_assert_false (gtk_widget_is_visible (_vd_item_detail_get_revisions (fixture->detail)));
      g_assert_false (gtk_widget_is_visible (_vd_item_detail_get_decisions (fixture->detail)));
      g_assert_null (vd_test_find_label (GTK_WIDGET (fixture->detail), "feedback on a"));
      g_assert_cmpuint (_vd_item_detail_get_n_loads (fixture->detail), ==, n_loads + 1);
    }

  /* And back: a's history appears, b's state is gone. */
  show_item (fixture, a);
  rows = vd_test_find_widgets (_vd_item_detail_get_decisions (fixture->detail),
                               GTK_TYPE_LIST_BOX_ROW);
  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_nonnull (vd_test_find_label (GTK_WIDGET (fixture->detail), "feedback on a"));

  /* Unsetting the item while a load runs cancels it too. */
  n_loads = _vd_item_detail_get_n_loads (fixture->detail);
  vd_item_detail_set_item (fixture->detail, b);
  vd_item_detail_set_item (fixture->detail, NULL);
  g_assert_false (_vd_item_detail_get_loading (fixture->detail));
  vd_test_iterate_for (200);
  g_assert_cmpuint (_vd_item_detail_get_n_loads (fixture->detail), ==, n_loads);
  g_assert_cmpstr (_vd_item_detail_get_visible_page (fixture->detail), ==, "empty");
}

/* How far the threshold marker is from where @threshold lies on the bar, in
 * pixels; G_MAXDOUBLE while the bar is not laid out. */
static double
marker_distance (Fixture *fixture,
                 double   threshold)
{
  GtkWidget *bar = GTK_WIDGET (_vd_item_detail_get_level_bar (fixture->detail));
  GtkWidget *overlay = gtk_widget_get_parent (bar);
  GtkWidget *marker = NULL;
  graphene_rect_t bounds;

  for (GtkWidget *child = gtk_widget_get_first_child (overlay);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (child != bar)
      marker = child;

  g_assert_nonnull (marker);
  g_assert_true (gtk_widget_get_visible (marker));

  if (gtk_widget_get_width (overlay) < 100 || gtk_widget_get_width (marker) == 0 ||
      !gtk_widget_compute_bounds (marker, overlay, &bounds))
    return G_MAXDOUBLE;

  /* The marker crosses the bar from top to bottom. */
  if (bounds.size.height < gtk_widget_get_height (bar))
    return G_MAXDOUBLE;

  return fabs (bounds.origin.x + bounds.size.width / 2.0 -
               threshold * gtk_widget_get_width (overlay));
}

static void
assert_marker_at (Fixture *fixture,
                  double   threshold)
{
  WAIT_UNTIL (marker_distance (fixture, threshold) <= 2.0);
}

static void
test_detail_confidence (Fixture       *fixture,
                        gconstpointer  data)
{
  const ItemSpec specs[] = {
    { .task_id = "pay", .description = "Pay", .task_type = "payment", .content = "ok",
      .confidence = 0.62, .detail = "confidence 0.62 is below the threshold 0.85 for payment" },
    { .task_id = "mod", .description = "Moderate", .task_type = "moderation", .content = "ok",
      .confidence = 0.75, .reason = "sensitive_content" },
    { .task_id = "edge", .description = "Edge", .task_type = "moderation", .content = "ok",
      .confidence = 0.7, .reason = "policy_required" },
  };
  g_autoptr(VdItem) pay = NULL;
  g_autoptr(VdItem) mod = NULL;
  g_autoptr(VdItem) edge = NULL;
  GtkLevelBar *bar = _vd_item_detail_get_level_bar (fixture->detail);
  double offset = 0.0;

  import_items (fixture, "q", specs, G_N_ELEMENTS (specs));
  pay = get_item (fixture, "q", "pay");
  mod = get_item (fixture, "q", "mod");
  edge = get_item (fixture, "q", "edge");

  /* Without a policy: no threshold, the importer's explanation. */
  show_item (fixture, pay);
  g_assert_cmpfloat (gtk_level_bar_get_value (bar), ==, 0.62);
  g_assert_cmpfloat (_vd_item_detail_get_threshold (fixture->detail), ==, -1.0);
  assert_label (fixture, "confidence", "0.62");
  assert_label (fixture, "threshold", "confidence 0.62 is below the threshold 0.85 for payment");
  g_assert_false (gtk_level_bar_get_offset_value (bar, "below-threshold", &offset));

  /* With the policy: the per-type threshold, marked on the bar. */
  vd_item_detail_set_policy (fixture->detail, fixture->policy);
  g_assert_true (vd_item_detail_get_policy (fixture->detail) == fixture->policy);
  g_assert_cmpfloat (_vd_item_detail_get_threshold (fixture->detail), ==, 0.85);
  assert_label (fixture, "threshold", "0.62 below threshold 0.85 for payment");
  g_assert_true (gtk_level_bar_get_offset_value (bar, "below-threshold", &offset));
  g_assert_cmpfloat (fabs (offset - 0.85), <, 1e-5);
  g_assert_true (gtk_level_bar_get_offset_value (bar, "meets-threshold", &offset));
  g_assert_cmpfloat (offset, ==, 1.0);
  g_assert_false (gtk_level_bar_get_offset_value (bar, GTK_LEVEL_BAR_OFFSET_LOW, &offset));
  gtk_test_accessible_assert_property (bar, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                       "0.62 below threshold 0.85 for payment");
  assert_marker_at (fixture, 0.85);

  /* The global threshold for other types. */
  show_item (fixture, mod);
  g_assert_cmpfloat (gtk_level_bar_get_value (bar), ==, 0.75);
  g_assert_cmpfloat (_vd_item_detail_get_threshold (fixture->detail), ==, 0.7);
  assert_label (fixture, "confidence", "0.75");
  assert_label (fixture, "threshold", "0.75 meets threshold 0.70");
  assert_marker_at (fixture, 0.7);

  /* Equal to the threshold meets it. */
  show_item (fixture, edge);
  assert_label (fixture, "threshold", "0.70 meets threshold 0.70");
  g_assert_true (gtk_level_bar_get_offset_value (bar, "below-threshold", &offset));
  g_assert_cmpfloat (offset, <, 0.7);
}

static void
test_detail_header (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) due = g_date_time_add_seconds (now, 2 * 3600 + 10 * 60 + 30);
  g_autofree char *due_text = g_date_time_format_iso8601 (due);
  const ItemSpec spec = {
    .task_id = "deploy-7", .description = "Deploy", .task_type = "deployment",
    .content = "Deploy build 7.", .confidence = 0.9, .reason = "high_risk_action",
    .due_at = due_text, .priority = 3,
  };
  const ItemSpec plain = { .task_id = "plain", .description = "Plain", .content = "x",
                           .confidence = 0.2 };
  g_autoptr(VdItem) item = NULL;
  g_autoptr(VdItem) other = NULL;
  GtkLabel *due_label = _vd_item_detail_get_label (fixture->detail, "due");

  import_items (fixture, "ops", &spec, 1);
  import_items (fixture, "ops", &plain, 1);
  item = get_item (fixture, "ops", "deploy-7");
  other = get_item (fixture, "ops", "plain");
  show_item (fixture, item);

  assert_label (fixture, "task-id", "deploy-7");
  assert_label (fixture, "queue", "Queue: ops");
  assert_label (fixture, "task-type", "deployment");
  assert_label (fixture, "status", "Pending");
  assert_label (fixture, "revision", "Revision 0");
  assert_label (fixture, "priority", "Priority 3");
  assert_label (fixture, "due", "due in 2 h 10 min");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (due_label), "dim-label"));
  g_assert_true (g_str_has_prefix (gtk_label_get_text (_vd_item_detail_get_label (fixture->detail,
                                                                                  "received")),
                                   "Received "));

  /* The item changing in place updates the pane; labels are in sentence
   * case, like the list's rows. */
  vd_item_set_status (item, VD_TASK_STATUS_IN_REVIEW);
  assert_label (fixture, "status", "In review");
  vd_item_set_status (item, VD_TASK_STATUS_ESCALATED);
  assert_label (fixture, "status", "Escalated");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (_vd_item_detail_get_label (fixture->detail,
                                                                                  "status")),
                                           "warning"));

  /* No deadline, no type, no priority: those labels are hidden. */
  show_item (fixture, other);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (due_label)));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (_vd_item_detail_get_label (fixture->detail,
                                                                                 "task-type"))));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (_vd_item_detail_get_label (fixture->detail,
                                                                                 "priority"))));
  g_assert_false (gtk_widget_is_visible (GTK_WIDGET (_vd_item_detail_get_label (fixture->detail,
                                                                                "context"))));
  g_assert_false (gtk_widget_is_visible (_vd_item_detail_get_metadata_grid (fixture->detail)));
}

static void
assert_due (GDateTime  *now,
            GTimeSpan   offset,
            const char *expected)
{
  g_autoptr(GDateTime) due = g_date_time_add (now, offset);
  g_autofree char *text = _vd_item_detail_format_due (due, now);

  g_assert_cmpstr (text, ==, expected);
}

static void
test_detail_format_due (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 11, 20, 12, 0, 0);

  assert_due (now, 2 * G_TIME_SPAN_HOUR + 10 * G_TIME_SPAN_MINUTE, "due in 2 h 10 min");
  assert_due (now, 2 * G_TIME_SPAN_HOUR + 10 * G_TIME_SPAN_MINUTE + 59 * G_TIME_SPAN_SECOND,
              "due in 2 h 10 min");
  assert_due (now, G_TIME_SPAN_HOUR, "due in 1 h");
  assert_due (now, 45 * G_TIME_SPAN_MINUTE, "due in 45 min");
  assert_due (now, 30 * G_TIME_SPAN_SECOND, "due in less than 1 min");
  assert_due (now, 0, "due in less than 1 min");
  assert_due (now, 3 * G_TIME_SPAN_DAY + 4 * G_TIME_SPAN_HOUR, "due in 3 d 4 h");
  assert_due (now, 2 * G_TIME_SPAN_DAY + 20 * G_TIME_SPAN_MINUTE, "due in 2 d");
  assert_due (now, -5 * G_TIME_SPAN_MINUTE, "overdue by 5 min");
  assert_due (now, -(G_TIME_SPAN_HOUR + 30 * G_TIME_SPAN_MINUTE), "overdue by 1 h 30 min");
  assert_due (now, -10 * G_TIME_SPAN_SECOND, "overdue by less than 1 min");
}

static void
test_detail_overdue (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) due = g_date_time_add_seconds (now, -(5 * 60 + 20));
  g_autofree char *due_text = g_date_time_format_iso8601 (due);
  const ItemSpec spec = { .task_id = "late", .description = "Late", .content = "x",
                          .confidence = 0.2, .due_at = due_text };
  g_autoptr(VdItem) item = NULL;

  import_items (fixture, "q", &spec, 1);
  item = get_item (fixture, "q", "late");
  show_item (fixture, item);

  assert_label (fixture, "due", "overdue by 5 min");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (_vd_item_detail_get_label (fixture->detail,
                                                                                  "due")),
                                           "error"));
}

/* The value of the metadata row whose key is @key. */
static const char *
metadata_value (GtkWidget  *grid,
                const char *key)
{
  for (int row = 0; gtk_grid_get_child_at (GTK_GRID (grid), 0, row) != NULL; row++)
    {
      GtkWidget *key_label = gtk_grid_get_child_at (GTK_GRID (grid), 0, row);
      GtkWidget *value_label = gtk_grid_get_child_at (GTK_GRID (grid), 1, row);

      if (g_strcmp0 (gtk_label_get_text (GTK_LABEL (key_label)), key) == 0)
        return gtk_label_get_text (GTK_LABEL (value_label));
    }

  return NULL;
}

static void
test_detail_metadata (Fixture       *fixture,
                      gconstpointer  data)
{
  const ItemSpec spec = {
    .task_id = "meta", .description = "Meta", .content = "x", .confidence = 0.2,
    .metadata = "{\"amount\": 15750, \"currency\": \"USD\", "
                "\"customer\": {\"tier\": \"platinum\", \"address\": {\"city\": \"Zürich\"}}, "
                "\"tags\": [\"a\", 2], \"empty\": {}, \"flag\": true, \"none\": null, "
                "\"ratio\": 0.5, \"score\": 0.55, \"big\": 12500.0, \"blank\": \"\", "
                "\"lines\": [{\"amount\": 2400, \"time\": \"09:12\"}, "
                "{\"amount\": 240.5, \"ok\": false, \"at\": [1, null]}]}",
  };
  const char *expected[][2] = {
    { "amount", "15750" },
    { "currency", "USD" },
    { "customer.tier", "platinum" },
    { "customer.address.city", "Zürich" },
    { "tags", "a, 2" },
    { "empty", "—" },
    { "flag", "Yes" },
    { "none", "—" },
    { "ratio", "0.5" },
    { "score", "0.55" },
    { "big", "12500" },
    { "blank", "—" },
    { "lines", "amount: 2400, time: 09:12\namount: 240.5, ok: No, at: [1, —]" },
  };
  g_autoptr(VdItem) item = NULL;
  GtkWidget *grid = _vd_item_detail_get_metadata_grid (fixture->detail);

  import_items (fixture, "q", &spec, 1);
  item = get_item (fixture, "q", "meta");
  show_item (fixture, item);

  g_assert_true (gtk_widget_is_visible (grid));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      GtkWidget *key = gtk_grid_get_child_at (GTK_GRID (grid), 0, i);

      g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (key)), ==, expected[i][0]);
      g_assert_cmpstr (metadata_value (grid, expected[i][0]), ==, expected[i][1]);
      gtk_test_accessible_assert_property (gtk_grid_get_child_at (GTK_GRID (grid), 1, i),
                                           GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                           expected[i][0]);
    }
  g_assert_null (gtk_grid_get_child_at (GTK_GRID (grid), 0, G_N_ELEMENTS (expected)));
}

/* Numbers in their shortest exact form, as in the metadata. */
static void
test_detail_format_number (void)
{
  const struct { double value; const char *text; } cases[] = {
    { 0.55, "0.55" }, { 0.1 + 0.2, "0.30000000000000004" }, { 12500.0, "12500" },
    { 0.7, "0.7" }, { -3.25, "-3.25" }, { 1e21, "1e+21" }, { 1.0 / 3.0, "0.3333333333333333" },
    { 0.0, "0" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = _vd_item_detail_format_number (cases[i].value);

      g_assert_cmpstr (text, ==, cases[i].text);
      g_assert_cmpfloat (g_ascii_strtod (text, NULL), ==, cases[i].value);
    }
}

static void
note_notify_cb (GObject    *object,
                GParamSpec *pspec,
                guint      *count)
{
  (*count)++;
}

static void
note_activated_cb (VdItemDetail *detail,
                   guint        *count)
{
  (*count)++;
}

static void
test_detail_note (Fixture       *fixture,
                  gconstpointer  data)
{
  const ItemSpec specs[] = {
    { .task_id = "one", .description = "One", .content = "x", .confidence = 0.2 },
    { .task_id = "two", .description = "Two", .content = "y", .confidence = 0.3 },
  };
  g_autoptr(VdItem) one = NULL;
  g_autoptr(VdItem) one_again = NULL;
  g_autoptr(VdItem) two = NULL;
  GtkWidget *entry = _vd_item_detail_get_note_entry (fixture->detail);
  g_autofree char *note = NULL;
  guint n_notify = 0, n_activated = 0;

  import_items (fixture, "q", specs, G_N_ELEMENTS (specs));
  one = get_item (fixture, "q", "one");
  one_again = get_item (fixture, "q", "one");
  two = get_item (fixture, "q", "two");
  show_item (fixture, one);

  g_signal_connect (fixture->detail, "notify::note", G_CALLBACK (note_notify_cb), &n_notify);
  g_signal_connect (fixture->detail, "note-activated", G_CALLBACK (note_activated_cb),
                    &n_activated);

  g_assert_cmpstr (vd_item_detail_get_note (fixture->detail), ==, "");
  gtk_editable_set_text (GTK_EDITABLE (entry), "Checked <b>the</b> contract");
  g_assert_cmpstr (vd_item_detail_get_note (fixture->detail), ==, "Checked <b>the</b> contract");
  g_object_get (fixture->detail, "note", &note, NULL);
  g_assert_cmpstr (note, ==, "Checked <b>the</b> contract");
  g_assert_cmpuint (n_notify, ==, 1);

  /* What Enter in the entry does. */
  g_signal_emit_by_name (entry, "activate");
  g_assert_cmpuint (n_activated, ==, 1);

  /* A fresh copy of the same task keeps the note; another task clears it. */
  show_item (fixture, one_again);
  g_assert_cmpstr (vd_item_detail_get_note (fixture->detail), ==, "Checked <b>the</b> contract");
  show_item (fixture, two);
  g_assert_cmpstr (vd_item_detail_get_note (fixture->detail), ==, "");

  gtk_editable_set_text (GTK_EDITABLE (entry), "x");
  vd_item_detail_clear_note (fixture->detail);
  g_assert_cmpstr (vd_item_detail_get_note (fixture->detail), ==, "");

  gtk_test_accessible_assert_property (entry, GTK_ACCESSIBLE_PROPERTY_LABEL, "Approve note");
}

static void
test_detail_accessible (Fixture       *fixture,
                        gconstpointer  data)
{
  const struct
  {
    const char *name;
    const char *description;
  } expected[] = {
    { "task-id", "Task ID" },
    { "description", "Task description" },
    { "context", "Context" },
    { "content", "Agent output" },
    { "reasoning", "Reasoning" },
    { "escalation-detail", "Escalation detail" },
    { "reason", "Escalation reason" },
    { "threshold", "Confidence threshold" },
    { "due", "Deadline" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    gtk_test_accessible_assert_property (_vd_item_detail_get_label (fixture->detail,
                                                                    expected[i].name),
                                         GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                         expected[i].description);

  gtk_test_accessible_assert_property (_vd_item_detail_get_level_bar (fixture->detail),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "Confidence");
  gtk_test_accessible_assert_property (fixture->detail, GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Item details");
}

/* A store error is shown, not hidden. */
static void
test_detail_no_store (Fixture       *fixture,
                      gconstpointer  data)
{
  const ItemSpec spec = { .task_id = "solo", .description = "Solo", .content = "x",
                          .confidence = 0.2 };
  g_autoptr(VdItem) item = NULL;

  import_items (fixture, "q", &spec, 1);
  item = get_item (fixture, "q", "solo");

  /* Without a store there is nothing to load. */
  vd_item_detail_set_store (fixture->detail, NULL);
  g_assert_null (vd_item_detail_get_store (fixture->detail));
  vd_item_detail_set_item (fixture->detail, item);
  g_assert_false (_vd_item_detail_get_loading (fixture->detail));
  assert_label (fixture, "task-id", "solo");

  /* Setting one loads the history of the item shown. */
  decide (fixture, "q", "solo", VD_DECISION_KIND_APPROVE, "alice", "", 500);
  vd_item_detail_set_store (fixture->detail, fixture->store);
  g_assert_true (_vd_item_detail_get_loading (fixture->detail));
  WAIT_UNTIL (!_vd_item_detail_get_loading (fixture->detail));
  g_assert_nonnull (vd_test_find_label (_vd_item_detail_get_decisions (fixture->detail),
                                        "by alice"));
}

/* Destroying the pane while a load runs frees its history once the load is
 * back. */
static void
test_detail_destroy_while_loading (void)
{
  g_autofree char *tmpdir = vd_test_make_tmp_dir ("test-detail");
  g_autofree char *db_path = g_build_filename (tmpdir, "verdict.db", NULL);
  g_autoptr(VdItem) item = vd_item_new ("q", "t");
  VdStore *store;
  GtkWidget *detail;
  VdItemHistory *history;

  store = vd_test_open_store (db_path);

  vd_item_set_id (item, 1);
  detail = g_object_ref_sink (vd_item_detail_new ());
  g_object_set (detail, "store", store, "item", item, NULL);
  g_assert_true (_vd_item_detail_get_loading (VD_ITEM_DETAIL (detail)));

  history = _vd_item_detail_get_history (VD_ITEM_DETAIL (detail));
  g_object_add_weak_pointer (G_OBJECT (detail), (gpointer *) &detail);
  g_object_add_weak_pointer (G_OBJECT (history), (gpointer *) &history);
  g_object_unref (detail);
  WAIT_UNTIL (detail == NULL && history == NULL);

  g_assert_finalize_object (store);
  vd_test_remove_tree (tmpdir);
}

/* The agent's sections */

static VdDecisionSupport *
support_new (const char * const *options,
             const char         *analysis,
             const char         *recommendation,
             double              confidence,
             const char * const *risks,
             const char * const *considerations)
{
  VdDecisionSupport *support = g_new0 (VdDecisionSupport, 1);

  support->options = g_strdupv ((char **) options);
  support->analysis = g_strdup (analysis);
  support->recommendation = g_strdup (recommendation);
  support->confidence = confidence;
  support->risks = g_strdupv ((char **) risks);
  support->considerations = g_strdupv ((char **) considerations);

  return support;
}

static GtkWidget *
agent_section (Fixture        *fixture,
               VdAgentRequest  kind)
{
  return _vd_agent_results_get_section (_vd_item_detail_get_agent_results (fixture->detail), kind);
}

/* A label with exactly @text under @root, shown and plain. */
static GtkLabel *
assert_shown_text (GtkWidget  *root,
                   const char *text)
{
  GtkLabel *label = vd_test_find_label (root, text);

  if (label == NULL)
    g_error ("No label shows “%s”", text);
  g_assert_true (gtk_widget_is_visible (GTK_WIDGET (label)));
  g_assert_false (gtk_label_get_use_markup (label));
  g_assert_cmpstr (gtk_label_get_label (label), ==, text);

  return label;
}

#define M_OPINION "Looks <b>fine</b> & <span foreground=\"red\">safe</span>"
#define M_OPTION "<i>Hold</i> the wire & call"
#define M_RISK "Fraud <u>risk</u> &amp; loss"

static void
test_detail_second_opinion (Fixture       *fixture,
                            gconstpointer  data)
{
  const ItemSpec spec = { .task_id = "pay-1", .task_type = "refund", .description = "Pay",
                          .content = "Pay it.", .confidence = 0.92 };
  g_autoptr(VdItem) item = NULL;
  g_autoptr(VdAgentOutput) opinion = vd_agent_output_new (NULL, 0.64, M_OPINION, NULL);
  VdAgentResults *results = _vd_item_detail_get_agent_results (fixture->detail);
  GtkWidget *section = agent_section (fixture, VD_AGENT_REQUEST_SECOND_OPINION);
  GtkSpinner *spinner = _vd_agent_results_get_spinner (results,
                                                       VD_AGENT_REQUEST_SECOND_OPINION);
  GtkLabel *error_label = _vd_agent_results_get_error_label (results,
                                                             VD_AGENT_REQUEST_SECOND_OPINION);
  GtkLabel *value;

  vd_item_detail_set_policy (fixture->detail, fixture->policy);
  import_items (fixture, "q", &spec, 1);
  item = get_item (fixture, "q", "pay-1");
  show_item (fixture, item);

  /* Nothing asked, nothing shown. */
  g_assert_false (gtk_widget_is_visible (section));
  g_assert_false (gtk_widget_is_visible (GTK_WIDGET (results)));

  /* Asking: the section shows with a spinner. */
  vd_item_detail_set_agent_busy (fixture->detail, VD_AGENT_REQUEST_SECOND_OPINION, TRUE);
  g_assert_true (vd_item_detail_get_agent_busy (fixture->detail,
                                                VD_AGENT_REQUEST_SECOND_OPINION));
  g_assert_false (vd_item_detail_get_agent_busy (fixture->detail, VD_AGENT_REQUEST_ASSIST));
  g_assert_true (gtk_widget_is_visible (section));
  g_assert_true (gtk_widget_is_visible (GTK_WIDGET (spinner)));
  g_assert_true (gtk_spinner_get_spinning (spinner));
  assert_shown_text (section, "Asking the agent for a second opinion…");
  g_assert_false (gtk_widget_is_visible (agent_section (fixture, VD_AGENT_REQUEST_ASSIST)));

  /* The answer, against the agent's own confidence and the threshold. */
  vd_item_detail_set_second_opinion (fixture->detail, opinion);
  vd_item_detail_set_agent_busy (fixture->detail, VD_AGENT_REQUEST_SECOND_OPINION, FALSE);
  g_assert_false (gtk_widget_is_visible (GTK_WIDGET (spinner)));
  g_assert_false (gtk_spinner_get_spinning (spinner));
  value = assert_shown_text (section, "0.64");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (value), "warning"));
  assert_shown_text (section, "below threshold 0.70 · the agent said 0.92");
  assert_shown_text (section, M_OPINION);
  g_assert_false (gtk_widget_is_visible (GTK_WIDGET (error_label)));

  /* A later failure shows under the result, which stays. */
  vd_item_detail_set_agent_error (fixture->detail, VD_AGENT_REQUEST_SECOND_OPINION,
                                  "http://127.0.0.1:1/v1 <b>down</b>");
  assert_shown_text (section, "http://127.0.0.1:1/v1 <b>down</b>");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (error_label), "error"));
  assert_shown_text (section, M_OPINION);

  /* Asking again clears the error. */
  vd_item_detail_set_agent_busy (fixture->detail, VD_AGENT_REQUEST_SECOND_OPINION, TRUE);
  g_assert_false (gtk_widget_is_visible (GTK_WIDGET (error_label)));
  vd_item_detail_set_agent_busy (fixture->detail, VD_AGENT_REQUEST_SECOND_OPINION, FALSE);

  /* Meeting the threshold; without a policy, just the comparison. */
  {
    g_autoptr(VdAgentOutput) high = vd_agent_output_new ("", 0.7, "", NULL);

    vd_item_detail_set_second_opinion (fixture->detail, high);
    value = assert_shown_text (section, "0.70");
    g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (value), "success"));
    assert_shown_text (section, "meets threshold 0.70 · the agent said 0.92");
    g_assert_null (vd_test_find_label (section, M_OPINION));

    vd_item_detail_set_policy (fixture->detail, NULL);
    assert_shown_text (section, "the agent said 0.92");
    g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (value), "success"));
  }

  assert_no_markup (fixture);

  /* Cleared on request. */
  vd_item_detail_set_second_opinion (fixture->detail, NULL);
  g_assert_false (gtk_widget_is_visible (section));
  g_assert_false (gtk_widget_is_visible (GTK_WIDGET (results)));
}

static void
test_detail_assist (Fixture       *fixture,
                    gconstpointer  data)
{
  const ItemSpec spec = { .task_id = "wire-7", .description = "Wire", .content = "Send it.",
                          .confidence = 0.5 };
  const char * const options[] = { M_OPTION, "Approve", "", NULL };
  const char * const risks[] = { M_RISK, NULL };
  const char * const none[] = { NULL };
  g_autoptr(VdItem) item = NULL;
  g_autoptr(VdDecisionSupport) support = NULL;
  g_autoptr(VdDecisionSupport) sparse = NULL;
  GtkWidget *section = agent_section (fixture, VD_AGENT_REQUEST_ASSIST);

  import_items (fixture, "q", &spec, 1);
  item = get_item (fixture, "q", "wire-7");
  show_item (fixture, item);

  support = support_new (options, "Pros & <b>cons</b>", "<b>Hold</b> the wire", 0.8, risks,
                         none);
  vd_item_detail_set_assist (fixture->detail, support);
  g_assert_true (gtk_widget_is_visible (section));
  assert_shown_text (section, "<b>Hold</b> the wire");
  assert_shown_text (section, "confidence 0.80");
  assert_shown_text (section, "• " M_OPTION);
  assert_shown_text (section, "• Approve");
  assert_shown_text (section, "Pros & <b>cons</b>");
  assert_shown_text (section, "• " M_RISK);
  assert_shown_text (section, "Options");
  assert_shown_text (section, "Risks");
  /* An empty option is left out; no considerations, no heading for them. */
  g_assert_null (vd_test_find_label (section, "• "));
  g_assert_false (gtk_widget_is_visible (GTK_WIDGET (vd_test_find_label (section,
                                                                         "Considerations"))));
  assert_no_markup (fixture);

  /* A second answer replaces the first. */
  sparse = support_new (none, "", "Escalate", 1.7, none, options);
  vd_item_detail_set_assist (fixture->detail, sparse);
  assert_shown_text (section, "Escalate");
  assert_shown_text (section, "confidence 1.00");
  assert_shown_text (section, "• " M_OPTION);
  assert_shown_text (section, "Considerations");
  g_assert_false (gtk_widget_is_visible (GTK_WIDGET (vd_test_find_label (section, "Options"))));
  g_assert_false (gtk_widget_is_visible (GTK_WIDGET (vd_test_find_label (section, "Analysis"))));
  g_assert_false (gtk_widget_is_visible (GTK_WIDGET (vd_test_find_label (section, "Risks"))));
  g_assert_null (vd_test_find_label (section, "• " M_RISK));

  /* An error without a result. */
  vd_item_detail_set_assist (fixture->detail, NULL);
  g_assert_false (gtk_widget_is_visible (section));
  vd_item_detail_set_agent_error (fixture->detail, VD_AGENT_REQUEST_ASSIST, "Timed out");
  g_assert_true (gtk_widget_is_visible (section));
  assert_shown_text (section, "Timed out");
  g_assert_null (vd_test_find_label (section, "Escalate"));
  vd_item_detail_set_agent_error (fixture->detail, VD_AGENT_REQUEST_ASSIST, NULL);
  g_assert_false (gtk_widget_is_visible (section));
}

/* What the agent said about one output is gone with it. */
static void
test_detail_agent_cleared (Fixture       *fixture,
                           gconstpointer  data)
{
  const ItemSpec a0 = { .task_id = "a", .description = "A", .content = "alpha",
                        .confidence = 0.4 };
  const ItemSpec b0 = { .task_id = "b", .description = "B", .content = "beta",
                        .confidence = 0.4 };
  ItemSpec a1 = a0;
  const char * const options[] = { "x", NULL };
  g_autoptr(VdItem) a = NULL;
  g_autoptr(VdItem) a_again = NULL;
  g_autoptr(VdItem) a_revised = NULL;
  g_autoptr(VdItem) b = NULL;
  g_autoptr(VdAgentOutput) opinion = vd_agent_output_new (NULL, 0.3, "meh", NULL);
  g_autoptr(VdDecisionSupport) support = support_new (options, "an", "rec", 0.5, options,
                                                      options);
  GtkWidget *opinion_section = agent_section (fixture, VD_AGENT_REQUEST_SECOND_OPINION);
  GtkWidget *assist_section = agent_section (fixture, VD_AGENT_REQUEST_ASSIST);

  import_items (fixture, "q", &a0, 1);
  import_items (fixture, "q", &b0, 1);
  a = get_item (fixture, "q", "a");
  a_again = get_item (fixture, "q", "a");
  b = get_item (fixture, "q", "b");

  show_item (fixture, a);
  vd_item_detail_set_second_opinion (fixture->detail, opinion);
  vd_item_detail_set_assist (fixture->detail, support);
  vd_item_detail_set_agent_busy (fixture->detail, VD_AGENT_REQUEST_ASSIST, TRUE);
  g_assert_true (gtk_widget_is_visible (opinion_section));

  /* A fresh copy of the same output keeps them. */
  show_item (fixture, a_again);
  g_assert_true (gtk_widget_is_visible (opinion_section));
  g_assert_true (gtk_widget_is_visible (assist_section));
  g_assert_true (vd_item_detail_get_agent_busy (fixture->detail, VD_AGENT_REQUEST_ASSIST));

  /* Another task clears them, the running state too. */
  show_item (fixture, b);
  g_assert_false (gtk_widget_is_visible (opinion_section));
  g_assert_false (gtk_widget_is_visible (assist_section));
  g_assert_false (vd_item_detail_get_agent_busy (fixture->detail, VD_AGENT_REQUEST_ASSIST));
  g_assert_null (vd_test_find_label (GTK_WIDGET (fixture->detail), "meh"));

  /* So does a new revision of the same task. */
  show_item (fixture, a);
  vd_item_detail_set_second_opinion (fixture->detail, opinion);
  decide (fixture, "q", "a", VD_DECISION_KIND_REJECT, "alice", "shorter", 1000);
  a1.content = "alpha two";
  a1.revision = 1;
  import_items (fixture, "q", &a1, 1);
  a_revised = get_item (fixture, "q", "a");
  show_item (fixture, a_revised);
  g_assert_false (gtk_widget_is_visible (opinion_section));

  /* And a change of the output in place. */
  vd_item_detail_set_second_opinion (fixture->detail, opinion);
  g_assert_true (gtk_widget_is_visible (opinion_section));
  vd_item_set_content (a_revised, "alpha three");
  g_assert_false (gtk_widget_is_visible (opinion_section));
  WAIT_UNTIL (!_vd_item_detail_get_loading (fixture->detail));
}

static void
test_detail_revision_state (Fixture       *fixture,
                            gconstpointer  data)
{
  const ItemSpec a0 = { .task_id = "a", .description = "A", .content = "alpha",
                        .confidence = 0.4 };
  const ItemSpec b0 = { .task_id = "b", .description = "B", .content = "beta",
                        .confidence = 0.4 };
  g_autoptr(VdItem) a = NULL;
  g_autoptr(VdItem) a_again = NULL;
  g_autoptr(VdItem) b = NULL;
  GtkWidget *banner = _vd_item_detail_get_revision_banner (fixture->detail);
  GtkLabel *label = _vd_item_detail_get_label (fixture->detail, "revision-state");
  g_autoptr(GPtrArray) spinners = vd_test_find_widgets (banner, GTK_TYPE_SPINNER);
  GtkWidget *spinner = g_ptr_array_index (spinners, 0);

  import_items (fixture, "q", &a0, 1);
  import_items (fixture, "q", &b0, 1);
  a = get_item (fixture, "q", "a");
  a_again = get_item (fixture, "q", "a");
  b = get_item (fixture, "q", "b");
  show_item (fixture, a);

  g_assert_cmpint (vd_item_detail_get_revision_state (fixture->detail), ==,
                   VD_REVISION_STATE_NONE);
  g_assert_false (gtk_widget_is_visible (banner));

  vd_item_detail_set_revision_state (fixture->detail, VD_REVISION_STATE_AWAITING, NULL);
  g_assert_true (gtk_widget_is_visible (banner));
  g_assert_true (gtk_widget_has_css_class (banner, "warning"));
  g_assert_false (gtk_widget_is_visible (spinner));
  assert_label (fixture, "revision-state",
                "Awaiting revision: the agent revises this output with the reviewer’s feedback "
                "once the model endpoint can be reached.");

  vd_item_detail_set_revision_state (fixture->detail, VD_REVISION_STATE_AWAITING,
                                     "<b>No endpoint</b> & no luck.");
  assert_label (fixture, "revision-state",
                "Awaiting revision: the agent revises this output with the reviewer’s feedback "
                "once the model endpoint can be reached. <b>No endpoint</b> & no luck.");

  vd_item_detail_set_revision_state (fixture->detail, VD_REVISION_STATE_RUNNING, NULL);
  g_assert_cmpint (vd_item_detail_get_revision_state (fixture->detail), ==,
                   VD_REVISION_STATE_RUNNING);
  g_assert_true (gtk_widget_has_css_class (banner, "accent"));
  g_assert_false (gtk_widget_has_css_class (banner, "warning"));
  g_assert_true (gtk_widget_is_visible (spinner));
  g_assert_true (gtk_spinner_get_spinning (GTK_SPINNER (spinner)));
  assert_label (fixture, "revision-state",
                "The agent is revising this output with the reviewer’s feedback…");

  vd_item_detail_set_revision_state (fixture->detail, VD_REVISION_STATE_FAILED,
                                     "http://127.0.0.1:1/v1: <i>timed out</i>");
  g_assert_true (gtk_widget_has_css_class (banner, "error"));
  g_assert_false (gtk_widget_is_visible (spinner));
  assert_label (fixture, "revision-state",
                "The revision failed: http://127.0.0.1:1/v1: <i>timed out</i>");
  assert_no_markup (fixture);

  vd_item_detail_set_revision_state (fixture->detail, VD_REVISION_STATE_FAILED, NULL);
  assert_label (fixture, "revision-state", "The revision failed.");

  /* A fresh copy of the same task keeps it; another task resets it. */
  show_item (fixture, a_again);
  g_assert_true (gtk_widget_is_visible (banner));
  show_item (fixture, b);
  g_assert_false (gtk_widget_is_visible (banner));
  g_assert_cmpint (vd_item_detail_get_revision_state (fixture->detail), ==,
                   VD_REVISION_STATE_NONE);

  vd_item_detail_set_revision_state (fixture->detail, VD_REVISION_STATE_RUNNING, NULL);
  vd_item_detail_set_revision_state (fixture->detail, VD_REVISION_STATE_NONE, NULL);
  g_assert_false (gtk_widget_is_visible (banner));
  g_assert_cmpstr (gtk_label_get_text (label), ==, "");
}

/* With VERDICT_SHOW_DETAIL set, opens the pane on a sample item and keeps
 * the window up for a look (or a screenshot) until it is closed. */
static void
show_for_a_look (void)
{
  g_autoptr(GError) error = NULL;
  Fixture fixture = { 0 };
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) due = g_date_time_add_seconds (now, 2 * 3600 + 10 * 60 + 30);
  g_autofree char *due_text = g_date_time_format_iso8601 (due);
  const ItemSpec first = {
    .task_id = "pay-88213", .task_type = "payment",
    .description = "Outgoing wire request: $12,500.00 to Hollis & Reed Fabrication LLC for "
                   "invoice INV-2026-0417 (laser-cut steel brackets, PO 55190). Requested by: "
                   "purchasing (M. Okafor).",
    .context = "Supplier on file since March 2024, 14 earlier payments, bank details "
               "unchanged since onboarding.",
    .content = "Approve the wire.\n\nThe invoice matches PO 55190 and the goods receipt. "
               "Bank details match the supplier record.",
    .confidence = 0.62,
    .reasoning = "Amount and payee match, but the invoice arrived from a new e-mail address.",
    .metadata = "{\"amount\": 12500, \"currency\": \"USD\", \"customer\": {\"tier\": \"gold\", "
                "\"id\": \"cus_HR-2231\"}, \"method\": \"wire\", \"po\": \"55190\"}",
    .detail = "confidence 0.62 is below the threshold 0.85 for payment",
    .due_at = due_text, .priority = 2,
  };
  ItemSpec second = first;
  g_autoptr(VdItem) item = NULL;

  /* The application's style sheet, as AdwApplication would load it. */
  {
    g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

    gtk_css_provider_load_from_resource (css, RESOURCE_PATH "/style.css");
    gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                                GTK_STYLE_PROVIDER (css),
                                                GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  }

  fixture_setup (&fixture, NULL);
  vd_item_detail_set_policy (fixture.detail, fixture.policy);
  gtk_window_set_title (fixture.window, "Verdict detail");
  gtk_window_set_default_size (fixture.window, 900, 1000);

  import_items (&fixture, "payments", &first, 1);
  decide (&fixture, "payments", "pay-88213", VD_DECISION_KIND_REJECT, "m.okafor",
          "Confirm the new e-mail address with the supplier by phone before approving.", 48000);
  second.content = "Hold the wire until the supplier confirms the new e-mail address.\n\nThe "
                   "invoice matches PO 55190 and the goods receipt. Bank details match the "
                   "supplier record; the sender address changed on 12 Nov.";
  second.revision = 1;
  import_items (&fixture, "payments", &second, 1);
  decide (&fixture, "payments", "pay-88213", VD_DECISION_KIND_ESCALATE_FURTHER, "j.lee",
          "Over my approval limit.", 21000);

  item = get_item (&fixture, "payments", "pay-88213");
  vd_item_detail_set_item (fixture.detail, item);

  /* VERDICT_SHOW_DETAIL=agent: with what the agent said about it. */
  if (g_strcmp0 (g_getenv ("VERDICT_SHOW_DETAIL"), "agent") == 0)
    {
      const char * const options[] = {
        "Approve the wire as requested", "Hold the wire and confirm the new e-mail address by "
        "phone", "Reject and ask purchasing to resubmit", NULL,
      };
      const char * const risks[] = {
        "Business e-mail compromise: the sender address changed on 12 Nov", NULL,
      };
      const char * const considerations[] = {
        "The supplier's phone number on file predates the change", "Payment terms allow "
        "five more days", NULL,
      };
      g_autoptr(VdAgentOutput) opinion =
        vd_agent_output_new (NULL, 0.48, "The output matches the invoice, but nothing in the "
                             "input confirms the new e-mail address; a changed sender is the "
                             "usual sign of invoice fraud.", NULL);
      g_autoptr(VdDecisionSupport) support =
        support_new (options, "Approving now saves a day; holding costs little and rules "
                     "out the most common fraud.", "Hold the wire and confirm by phone", 0.82,
                     risks, considerations);

      vd_item_detail_set_second_opinion (fixture.detail, opinion);
      vd_item_detail_set_assist (fixture.detail, support);
      vd_item_detail_set_revision_state (fixture.detail, VD_REVISION_STATE_AWAITING, NULL);
    }

  while (g_list_model_get_n_items (gtk_window_get_toplevels ()) > 0)
    g_main_context_iteration (NULL, TRUE);

  g_clear_object (&fixture.detail);
  g_clear_object (&fixture.policy);
  g_clear_object (&fixture.store);
  vd_test_remove_tree (fixture.tmpdir);
  g_free (fixture.tmpdir);
  g_assert_no_error (error);
}

/* Four-eyes review: the pane says who reviewed the item so far. */
static void
test_detail_reviews (Fixture       *fixture,
                     gconstpointer  data)
{
  const ItemSpec specs[] = {
    { .task_id = "wire-1", .description = "Wire", .task_type = "payments",
      .content = "Send $25,000.", .confidence = 0.9 },
    { .task_id = "wire-2", .description = "Wire", .task_type = "payments",
      .content = "Send $30,000.", .confidence = 0.9 },
    { .task_id = "note-1", .description = "Note", .task_type = "support",
      .content = "Thanks.", .confidence = 0.9 },
  };
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(VdPolicy) policy = NULL;
  g_autoptr(VdItem) wire = NULL;
  g_autoptr(VdItem) other = NULL;
  g_autoptr(VdItem) note = NULL;
  VdImportResult result = { 0 };
  GtkLabel *label;

  policy = vd_policy_new_from_data ("{\"task_types\": {\"payments\": "
                                    "{\"reviews_required\": 2}}}", -1, "policy.json", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (specs); i++)
    {
      g_autofree char *line = item_line (&specs[i]);

      g_string_append_printf (text, "%s\n", line);
    }
  vd_test_import_text (fixture->store, fixture->tmpdir, "four-eyes.jsonl", text->str, policy,
                       &result);
  g_assert_cmpuint (result.imported, ==, 3);

  decide (fixture, "four-eyes", "wire-1", VD_DECISION_KIND_APPROVE, "alice", "", 1000);
  decide (fixture, "four-eyes", "wire-2", VD_DECISION_KIND_APPROVE, "alice", "", 1000);
  decide (fixture, "four-eyes", "wire-2", VD_DECISION_KIND_REJECT, "bob",
          "Wrong beneficiary", 1000);

  /* One review: who, what, and that a second reviewer is needed. */
  wire = get_item (fixture, "four-eyes", "wire-1");
  show_item (fixture, wire);
  assert_label (fixture, "review",
                "Reviewed by alice: approve — needs a second reviewer");
  g_assert_cmpstr (vd_item_detail_get_first_reviewer (fixture->detail), ==, "alice");

  /* Two that disagree: both, with the feedback. */
  other = get_item (fixture, "four-eyes", "wire-2");
  show_item (fixture, other);
  assert_label (fixture, "review",
                "The reviewers disagree — alice: approve; bob: reject (“Wrong beneficiary”). "
                "The item is escalated.");
  g_assert_null (vd_item_detail_get_first_reviewer (fixture->detail));

  /* An item that needs one review has no such line. */
  note = get_item (fixture, "four-eyes", "note-1");
  show_item (fixture, note);
  label = _vd_item_detail_get_label (fixture->detail, "review");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (label)));
  assert_no_markup (fixture);
}

int
main (int   argc,
      char *argv[])
{
  /* The test backend keeps the accessible properties for the assertions
   * below, with no accessibility bus to talk to. */
  if (g_getenv ("VERDICT_SHOW_DETAIL") == NULL)
    g_setenv ("GTK_A11Y", "test", TRUE);

  /* Generous: the sanitizer builds are slow. */
  vd_test_deadline_seconds = 30;

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  if (g_getenv ("VERDICT_SHOW_DETAIL") != NULL)
    {
      show_for_a_look ();
      return 0;
    }

  g_test_add ("/item-detail/empty", Fixture, NULL,
              fixture_setup, test_detail_empty, fixture_teardown);
  g_test_add ("/item-detail/markup", Fixture, NULL,
              fixture_setup, test_detail_markup, fixture_teardown);
  g_test_add ("/item-detail/reviews", Fixture, NULL,
              fixture_setup, test_detail_reviews, fixture_teardown);
  g_test_add ("/item-detail/history", Fixture, NULL,
              fixture_setup, test_detail_history, fixture_teardown);
  g_test_add ("/item-detail/switch", Fixture, NULL,
              fixture_setup, test_detail_switch, fixture_teardown);
  g_test_add ("/item-detail/confidence", Fixture, NULL,
              fixture_setup, test_detail_confidence, fixture_teardown);
  g_test_add ("/item-detail/header", Fixture, NULL,
              fixture_setup, test_detail_header, fixture_teardown);
  g_test_add_func ("/item-detail/format-due", test_detail_format_due);
  g_test_add ("/item-detail/overdue", Fixture, NULL,
              fixture_setup, test_detail_overdue, fixture_teardown);
  g_test_add ("/item-detail/metadata", Fixture, NULL,
              fixture_setup, test_detail_metadata, fixture_teardown);
  g_test_add_func ("/item-detail/format-number", test_detail_format_number);
  g_test_add ("/item-detail/note", Fixture, NULL,
              fixture_setup, test_detail_note, fixture_teardown);
  g_test_add ("/item-detail/accessible", Fixture, NULL,
              fixture_setup, test_detail_accessible, fixture_teardown);
  g_test_add ("/item-detail/no-store", Fixture, NULL,
              fixture_setup, test_detail_no_store, fixture_teardown);
  g_test_add_func ("/item-detail/destroy-while-loading", test_detail_destroy_while_loading);
  g_test_add ("/item-detail/second-opinion", Fixture, NULL,
              fixture_setup, test_detail_second_opinion, fixture_teardown);
  g_test_add ("/item-detail/assist", Fixture, NULL,
              fixture_setup, test_detail_assist, fixture_teardown);
  g_test_add ("/item-detail/agent-cleared", Fixture, NULL,
              fixture_setup, test_detail_agent_cleared, fixture_teardown);
  g_test_add ("/item-detail/revision-state", Fixture, NULL,
              fixture_setup, test_detail_revision_state, fixture_teardown);

  return g_test_run ();
}
