/* vd-source-info.c
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

#define G_LOG_DOMAIN "vd-source-info"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "vd-json-write.h"
#include "vd-source-info.h"

static const char *
string_member (JsonObject *object,
               const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

static gboolean
int_member (JsonObject *object,
            const char *name,
            gint64     *value)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;

  *value = json_node_get_int (node);

  return TRUE;
}

/**
 * vd_source_info_tool_name:
 * @item: an item
 *
 * Returns: (nullable): the name of the tool the item came from, e.g.
 *   "LangGraph"; NULL for an item of a Verdict queue. An unknown format
 *   is shown by its wire name.
 */
const char *
vd_source_info_tool_name (VdItem *item)
{
  const char *format;

  g_return_val_if_fail (VD_IS_ITEM (item), NULL);

  if (vd_item_get_source (item) == NULL)
    return NULL;

  format = vd_item_get_source_format (item);
  /* Product names: not translated. */
  if (g_strcmp0 (format, "langgraph") == 0)
    return "LangGraph";
  if (g_strcmp0 (format, "label-studio") == 0)
    return "Label Studio";
  if (g_strcmp0 (format, "argilla") == 0)
    return "Argilla";
  if (g_strcmp0 (format, "prodigy") == 0)
    return "Prodigy";
  if (g_strcmp0 (format, "verdict") == 0)
    return NULL;

  return format;
}

/**
 * vd_source_info_format_ids:
 * @item: an item
 *
 * Returns: (transfer full) (nullable): the source's own ids, one
 *   "name value" pair a line in the source's order, or NULL without any
 */
char *
vd_source_info_format_ids (VdItem *item)
{
  JsonObject *source;
  JsonNode *ids;
  g_autoptr(GString) text = NULL;
  g_autoptr(GList) names = NULL;

  g_return_val_if_fail (VD_IS_ITEM (item), NULL);

  source = vd_item_get_source (item);
  if (source == NULL)
    return NULL;

  ids = json_object_get_member (source, "ids");
  if (ids == NULL || !JSON_NODE_HOLDS_OBJECT (ids))
    return NULL;

  text = g_string_new (NULL);
  names = json_object_get_members (json_node_get_object (ids));
  for (GList *l = names; l != NULL; l = l->next)
    {
      JsonNode *value = json_object_get_member (json_node_get_object (ids), l->data);

      if (text->len > 0)
        g_string_append_c (text, '\n');
      g_string_append_printf (text, "%s ", (const char *) l->data);
      if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING)
        g_string_append (text, json_node_get_string (value));
      else
        vd_json_append_node (text, value, FALSE);
    }

  if (text->len == 0)
    return NULL;

  return g_string_free (g_steal_pointer (&text), FALSE);
}

/**
 * vd_source_info_get_group:
 * @item: an item
 * @group: (out) (optional): the group's key
 * @index: (out) (optional): the item's place in it, from 0
 * @size: (out) (optional): how many items the group holds
 *
 * Returns: whether the item belongs to a group of at least two items
 */
gboolean
vd_source_info_get_group (VdItem      *item,
                          const char **group,
                          gint64      *index,
                          gint64      *size)
{
  JsonObject *source;
  const char *key;
  gint64 i = 0, n = 0;

  g_return_val_if_fail (VD_IS_ITEM (item), FALSE);

  source = vd_item_get_source (item);
  key = string_member (source, "group");
  if (key == NULL || key[0] == '\0' ||
      !int_member (source, "group_index", &i) ||
      !int_member (source, "group_size", &n) ||
      n < 2 || n > G_MAXINT || i < 0 || i >= n)
    return FALSE;

  if (group != NULL)
    *group = key;
  if (index != NULL)
    *index = i;
  if (size != NULL)
    *size = n;

  return TRUE;
}

/**
 * vd_source_info_format_position:
 * @item: an item
 *
 * Returns: (transfer full) (nullable): where the item stands in its group,
 *   e.g. "Action 2 of 3 in this interrupt"; NULL outside a group
 */
char *
vd_source_info_format_position (VdItem *item)
{
  gint64 index, size;

  if (!vd_source_info_get_group (item, NULL, &index, &size))
    return NULL;

  if (g_strcmp0 (vd_item_get_source_format (item), "langgraph") == 0)
    /* Translators: an action of a LangGraph interrupt, e.g. "Action 2 of 3 in this interrupt" */
    return g_strdup_printf (_("Action %d of %d in this interrupt"),
                            (int) (index + 1), (int) size);

  /* Translators: e.g. "Item 2 of 3 in this group" */
  return g_strdup_printf (_("Item %d of %d in this group"), (int) (index + 1), (int) size);
}

/**
 * vd_source_info_format_marker:
 * @item: an item
 *
 * Returns: (transfer full) (nullable): a compact group marker for a list
 *   row, e.g. "2/3"; NULL outside a group
 */
char *
vd_source_info_format_marker (VdItem *item)
{
  gint64 index, size;

  if (!vd_source_info_get_group (item, NULL, &index, &size))
    return NULL;

  /* Translators: an item's place in its group in a list row, e.g. "2/3" */
  return g_strdup_printf (_("%d/%d"), (int) (index + 1), (int) size);
}

/**
 * vd_source_info_format_sibling:
 * @item: an item of a group
 *
 * Returns: (transfer full): how the item is listed among its siblings,
 *   e.g. "Action 1: send_email"
 */
char *
vd_source_info_format_sibling (VdItem *item)
{
  gint64 index = 0;
  const char *description = vd_item_get_task_description (item);
  g_autofree char *first = NULL;

  vd_source_info_get_group (item, NULL, &index, NULL);
  if (description == NULL || description[0] == '\0')
    description = vd_item_get_task_id (item);
  first = g_strndup (description, strcspn (description, "\n"));

  if (g_strcmp0 (vd_item_get_source_format (item), "langgraph") == 0)
    /* Translators: a sibling action in a LangGraph interrupt, e.g. "Action 1: send_email" */
    return g_strdup_printf (_("Action %d: %s"), (int) (index + 1), first);

  /* Translators: a sibling item in a group, e.g. "Item 1: Classify the review" */
  return g_strdup_printf (_("Item %d: %s"), (int) (index + 1), first);
}

static const char *
decision_label (VdDecisionKind kind)
{
  switch (kind)
    {
    case VD_DECISION_KIND_APPROVE:
      return _("Approve");
    case VD_DECISION_KIND_REJECT:
      return _("Reject");
    case VD_DECISION_KIND_MODIFY:
      return _("Modify");
    case VD_DECISION_KIND_ESCALATE_FURTHER:
    default:
      return _("Escalate");
    }
}

static char *
format_allowed (VdItem   *item,
                gboolean  short_form)
{
  static const VdDecisionKind kinds[] = {
    VD_DECISION_KIND_APPROVE, VD_DECISION_KIND_REJECT, VD_DECISION_KIND_MODIFY,
  };
  g_autoptr(GString) allowed = g_string_new (NULL);
  const char *tool;
  guint n_allowed = 0;

  g_return_val_if_fail (VD_IS_ITEM (item), NULL);

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      if (!vd_item_allows_decision (item, kinds[i]))
        continue;

      if (n_allowed > 0)
        /* Translators: between the names of decisions in a list */
        g_string_append (allowed, _(", "));
      g_string_append (allowed, decision_label (kinds[i]));
      n_allowed++;
    }

  if (n_allowed == G_N_ELEMENTS (kinds))
    return NULL;

  if (short_form && n_allowed == 0)
    return g_strdup (_("accepts no decision; escalate it"));
  if (short_form)
    /* Translators: after the tool's name in the item pane's header, then a
     * list of decisions, e.g. "accepts only Approve, Reject" */
    return g_strdup_printf (_("accepts only %s"), allowed->str);

  tool = vd_source_info_tool_name (item);
  if (tool == NULL)
    tool = _("The source");

  if (n_allowed == 0)
    /* Translators: %s is a tool, e.g. "LangGraph" */
    return g_strdup_printf (_("%s accepts no decision on this item; escalate it"), tool);

  /* Translators: %s is a tool, e.g. "LangGraph", then a list of decisions,
   * e.g. "Approve, Reject" */
  return g_strdup_printf (_("%s accepts only: %s"), tool, allowed->str);
}

/**
 * vd_source_info_format_allowed:
 * @item: an item
 *
 * Returns: (transfer full) (nullable): which decisions the source accepts,
 *   e.g. "LangGraph accepts only: Approve, Reject", or NULL when it accepts
 *   every decision (escalating is always possible: it keeps the item in
 *   Verdict)
 */
char *
vd_source_info_format_allowed (VdItem *item)
{
  return format_allowed (item, FALSE);
}

/**
 * vd_source_info_reject_drops_group:
 * @item: an item
 *
 * Returns: whether rejecting @item makes its tool drop the approved
 *   actions of the same interrupt: an action of a multi-action interrupt of
 *   LangChain's JavaScript human-in-the-loop middleware
 */
gboolean
vd_source_info_reject_drops_group (VdItem *item)
{
  JsonObject *source;

  g_return_val_if_fail (VD_IS_ITEM (item), FALSE);

  source = vd_item_get_source (item);

  return g_strcmp0 (vd_item_get_source_format (item), "langgraph") == 0 &&
         g_strcmp0 (string_member (source, "schema"), "hitl-middleware") == 0 &&
         g_strcmp0 (string_member (source, "casing"), "javascript") == 0 &&
         vd_source_info_get_group (item, NULL, NULL, NULL);
}

/**
 * vd_source_info_reject_drops_note:
 *
 * Returns: what a reviewer must know before rejecting an action that
 *   vd_source_info_reject_drops_group() is TRUE for
 */
const char *
vd_source_info_reject_drops_note (void)
{
  return _("LangChain’s JavaScript middleware drops the approved actions of an interrupt "
           "when one of its actions is rejected: after this reject, none of the other "
           "actions of this interrupt will run.");
}

/**
 * vd_source_info_no_confidence:
 *
 * Returns: what is shown in place of a confidence the source did not give
 */
const char *
vd_source_info_no_confidence (void)
{
  return _("No confidence given");
}

/**
 * vd_source_info_format_confidence:
 * @item: an item
 *
 * Returns: (transfer full): the item's confidence, e.g. "0.62", or
 *   "No confidence given" (never 0)
 */
char *
vd_source_info_format_confidence (VdItem *item)
{
  g_return_val_if_fail (VD_IS_ITEM (item), NULL);

  if (!vd_item_has_confidence (item))
    return g_strdup (vd_source_info_no_confidence ());

  return g_strdup_printf ("%.2f", vd_item_get_confidence (item));
}

/**
 * vd_source_info_format_summary:
 * @item: an item
 *
 * Returns: (transfer full) (nullable): one line for the pane's header, e.g.
 *   "From LangGraph · Action 2 of 3 in this interrupt · accepts only
 *   Approve, Reject"; NULL for an item of a Verdict queue
 */
char *
vd_source_info_format_summary (VdItem *item)
{
  g_autoptr(GString) text = NULL;
  g_autofree char *position = NULL;
  g_autofree char *allowed = NULL;
  const char *tool;

  g_return_val_if_fail (VD_IS_ITEM (item), NULL);

  if (vd_item_get_source (item) == NULL)
    return NULL;

  tool = vd_source_info_tool_name (item);
  if (tool == NULL)
    return NULL;

  text = g_string_new (NULL);
  /* Translators: where an item came from, e.g. "From LangGraph" */
  g_string_append_printf (text, _("From %s"), tool);

  position = vd_source_info_format_position (item);
  if (position != NULL)
    g_string_append_printf (text, " · %s", position);

  allowed = format_allowed (item, TRUE);
  if (allowed != NULL)
    g_string_append_printf (text, " · %s", allowed);

  return g_string_free (g_steal_pointer (&text), FALSE);
}
