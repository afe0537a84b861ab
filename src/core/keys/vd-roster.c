/* vd-roster.c
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

#define G_LOG_DOMAIN "vd-roster"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "vd-roster.h"

/* The member of a policy file that holds the roster: parse errors name it. */
#define ROSTER_FIELD "reviewers"

typedef struct
{
  char   *id;
  VdKey  *key;     /* public only, owner = id */
  char  **roles;
} Reviewer;

struct _VdRoster
{
  GObject     parent_instance;

  /* Reviewer, in file order; never changed after construction, so a
   * roster may be read from any thread. */
  GPtrArray  *reviewers;
};

G_DEFINE_FINAL_TYPE (VdRoster, vd_roster, G_TYPE_OBJECT)

static void
reviewer_free (Reviewer *reviewer)
{
  g_free (reviewer->id);
  g_clear_object (&reviewer->key);
  g_strfreev (reviewer->roles);
  g_free (reviewer);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Reviewer, reviewer_free)

static void
vd_roster_finalize (GObject *object)
{
  VdRoster *self = (VdRoster *) object;

  g_clear_pointer (&self->reviewers, g_ptr_array_unref);

  G_OBJECT_CLASS (vd_roster_parent_class)->finalize (object);
}

static void
vd_roster_class_init (VdRosterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = vd_roster_finalize;
}

static void
vd_roster_init (VdRoster *self)
{
  self->reviewers = g_ptr_array_new_with_free_func ((GDestroyNotify) reviewer_free);
}

static gboolean G_GNUC_PRINTF (3, 4)
fail (GError     **error,
      const char  *field,
      const char  *format,
      ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error (error, VD_KEY_ERROR, VD_KEY_ERROR_FORMAT, "%s: %s", field, message);
  return FALSE;
}

/* What was found instead of the expected value, as the policy loader
 * says it. */
static const char *
describe_kind (JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return _("null");
  if (JSON_NODE_HOLDS_OBJECT (node))
    return _("an object");
  if (JSON_NODE_HOLDS_ARRAY (node))
    return _("an array");

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      return _("a string");
    case G_TYPE_BOOLEAN:
      return _("a boolean");
    default:
      return _("a number");
    }
}

static gboolean
fail_expected (GError     **error,
               const char  *field,
               const char  *expected,
               JsonNode    *found)
{
  /* TRANSLATORS: e.g. "expected a non-empty string, found a number" */
  return fail (error, field, _("expected %s, found %s"), expected, describe_kind (found));
}

static gboolean
node_is_nonempty_string (JsonNode *node)
{
  return node != NULL &&
         JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_STRING &&
         json_node_get_string (node)[0] != '\0';
}

static Reviewer *
find_reviewer (VdRoster   *self,
               const char *reviewer_id,
               guint      *index)
{
  for (guint i = 0; i < self->reviewers->len; i++)
    {
      Reviewer *reviewer = g_ptr_array_index (self->reviewers, i);

      if (g_strcmp0 (reviewer->id, reviewer_id) == 0)
        {
          if (index != NULL)
            *index = i;
          return reviewer;
        }
    }

  return NULL;
}

static Reviewer *
read_reviewer (VdRoster  *self,
               guint      index,
               JsonNode  *node,
               GError   **error)
{
  static const char * const keys[] = { "id", "public_key", "roles", NULL };
  g_autofree char *field = g_strdup_printf (ROSTER_FIELD "[%u]", index);
  g_autofree char *sub = NULL;
  g_autoptr(GList) members = NULL;
  g_autoptr(Reviewer) reviewer = NULL;
  g_autoptr(GPtrArray) roles = NULL;
  g_autoptr(GError) key_error = NULL;
  JsonObject *object;
  JsonNode *member;
  JsonArray *array;
  Reviewer *other;
  guint other_index = 0;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      fail_expected (error, field, _("an object"), node);
      return NULL;
    }

  object = json_node_get_object (node);
  members = json_object_get_members (object);
  for (const GList *l = members; l != NULL; l = l->next)
    {
      if (!g_strv_contains (keys, l->data))
        {
          fail (error, field, _("unknown field “%s”"), (const char *) l->data);
          return NULL;
        }
    }

  for (guint i = 0; keys[i] != NULL; i++)
    {
      if (!json_object_has_member (object, keys[i]))
        {
          fail (error, field, _("missing field “%s”"), keys[i]);
          return NULL;
        }
    }

  reviewer = g_new0 (Reviewer, 1);

  sub = g_strdup_printf ("%s.id", field);
  member = json_object_get_member (object, "id");
  if (!node_is_nonempty_string (member))
    {
      fail_expected (error, sub, _("a non-empty string"), member);
      return NULL;
    }
  reviewer->id = g_strdup (json_node_get_string (member));
  if ((other = find_reviewer (self, reviewer->id, &other_index)) != NULL)
    {
      fail (error, sub, _("“%s” is listed twice (also " ROSTER_FIELD "[%u])"),
            reviewer->id, other_index);
      return NULL;
    }
  g_free (sub);

  sub = g_strdup_printf ("%s.public_key", field);
  member = json_object_get_member (object, "public_key");
  if (!node_is_nonempty_string (member))
    {
      fail_expected (error, sub, _("a minisign public key (a line starting with “RW”)"),
                     member);
      return NULL;
    }
  reviewer->key = vd_key_parse_public (json_node_get_string (member), reviewer->id, &key_error);
  if (reviewer->key == NULL)
    {
      fail (error, sub, "%s", key_error->message);
      return NULL;
    }
  for (guint i = 0; i < self->reviewers->len; i++)
    {
      other = g_ptr_array_index (self->reviewers, i);

      /* One key, one reviewer: a signature names a single person. */
      if (strcmp (vd_key_get_id (other->key), vd_key_get_id (reviewer->key)) == 0)
        {
          fail (error, sub, _("the key %s is also the key of “%s” (" ROSTER_FIELD "[%u]); "
                              "every reviewer needs a key of their own"),
                vd_key_get_id (reviewer->key), other->id, i);
          return NULL;
        }
    }
  g_free (sub);

  sub = g_strdup_printf ("%s.roles", field);
  member = json_object_get_member (object, "roles");
  if (!JSON_NODE_HOLDS_ARRAY (member) || json_array_get_length (json_node_get_array (member)) == 0)
    {
      fail_expected (error, sub, _("an array of at least one role such as “reviewer”"), member);
      return NULL;
    }
  array = json_node_get_array (member);
  roles = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *element_field = g_strdup_printf ("%s[%u]", sub, i);
      JsonNode *element = json_array_get_element (array, i);

      if (!node_is_nonempty_string (element))
        {
          fail_expected (error, element_field, _("a non-empty string"), element);
          return NULL;
        }

      if (g_ptr_array_find_with_equal_func (roles, json_node_get_string (element),
                                            g_str_equal, NULL))
        {
          fail (error, element_field, _("“%s” is listed twice"), json_node_get_string (element));
          return NULL;
        }

      g_ptr_array_add (roles, g_strdup (json_node_get_string (element)));
    }
  g_ptr_array_add (roles, NULL);
  reviewer->roles = (char **) g_ptr_array_free (g_steal_pointer (&roles), FALSE);

  return g_steal_pointer (&reviewer);
}

/**
 * vd_roster_new_from_json:
 * @reviewers: the value of a policy's `reviewers` member
 * @error: return location for a %VD_KEY_ERROR_FORMAT error
 *
 * Reads a roster. Every reviewer needs `id` (unique, non-empty),
 * `public_key` (a minisign public key line, different from every other
 * reviewer's) and `roles` (at least one non-empty string); other members
 * are refused, as the policy loader refuses unknown fields. An empty list
 * is refused too: a policy without a roster lets anyone decide, so an
 * empty one is most likely a mistake. Messages name the member, e.g.
 * `reviewers[1].public_key: The public key is not base64 ...`; the policy
 * loader puts the file name in front.
 *
 * Returns: (transfer full) (nullable): the roster, or %NULL on error
 */
VdRoster *
vd_roster_new_from_json (JsonNode  *reviewers,
                         GError   **error)
{
  g_autoptr(VdRoster) self = NULL;
  JsonArray *array;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (reviewers == NULL || !JSON_NODE_HOLDS_ARRAY (reviewers))
    {
      fail_expected (error, ROSTER_FIELD, _("an array of reviewers"), reviewers);
      return NULL;
    }

  array = json_node_get_array (reviewers);
  if (json_array_get_length (array) == 0)
    {
      fail (error, ROSTER_FIELD,
            _("the list is empty, so nobody could decide; list the reviewers, or leave "
              "“reviewers” out to let anyone decide"));
      return NULL;
    }

  self = g_object_new (VD_TYPE_ROSTER, NULL);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      Reviewer *reviewer = read_reviewer (self, i, json_array_get_element (array, i), error);

      if (reviewer == NULL)
        return NULL;

      g_ptr_array_add (self->reviewers, reviewer);
    }

  return g_steal_pointer (&self);
}

/**
 * vd_roster_to_json:
 * @self: a roster
 *
 * Returns: (transfer full): the roster in the form vd_roster_new_from_json()
 *   reads back to an equal roster
 */
JsonNode *
vd_roster_to_json (VdRoster *self)
{
  g_autoptr(JsonBuilder) builder = NULL;

  g_return_val_if_fail (VD_IS_ROSTER (self), NULL);

  builder = json_builder_new ();
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->reviewers->len; i++)
    {
      Reviewer *reviewer = g_ptr_array_index (self->reviewers, i);
      g_autofree char *public_key = vd_key_format_public (reviewer->key);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, reviewer->id);
      json_builder_set_member_name (builder, "public_key");
      json_builder_add_string_value (builder, public_key);
      json_builder_set_member_name (builder, "roles");
      json_builder_begin_array (builder);
      for (guint j = 0; reviewer->roles[j] != NULL; j++)
        json_builder_add_string_value (builder, reviewer->roles[j]);
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  return json_builder_get_root (builder);
}

guint
vd_roster_get_n_reviewers (VdRoster *self)
{
  g_return_val_if_fail (VD_IS_ROSTER (self), 0);

  return self->reviewers->len;
}

/**
 * vd_roster_get_reviewer_id:
 * @self: a roster
 * @index: from 0, less than vd_roster_get_n_reviewers()
 *
 * Returns: (transfer none): the reviewer's ID, in file order
 */
const char *
vd_roster_get_reviewer_id (VdRoster *self,
                           guint     index)
{
  g_return_val_if_fail (VD_IS_ROSTER (self), NULL);
  g_return_val_if_fail (index < self->reviewers->len, NULL);

  return ((Reviewer *) g_ptr_array_index (self->reviewers, index))->id;
}

gboolean
vd_roster_has_reviewer (VdRoster   *self,
                        const char *reviewer_id)
{
  g_return_val_if_fail (VD_IS_ROSTER (self), FALSE);

  return reviewer_id != NULL && find_reviewer (self, reviewer_id, NULL) != NULL;
}

/**
 * vd_roster_lookup_key:
 * @self: a roster
 * @reviewer_id: a reviewer ID
 *
 * Returns: (transfer none) (nullable): the reviewer's public key (its owner
 *   is the reviewer ID), or %NULL when the roster does not list them
 */
VdKey *
vd_roster_lookup_key (VdRoster   *self,
                      const char *reviewer_id)
{
  Reviewer *reviewer;

  g_return_val_if_fail (VD_IS_ROSTER (self), NULL);

  if (reviewer_id == NULL || (reviewer = find_reviewer (self, reviewer_id, NULL)) == NULL)
    return NULL;

  return reviewer->key;
}

/**
 * vd_roster_lookup_key_id:
 * @self: a roster
 * @key_id: a key ID in 16 hex digits, as vd_key_get_id() gives it
 *
 * Returns: (transfer none) (nullable): the public key with that ID (its
 *   owner is the reviewer ID), or %NULL
 */
VdKey *
vd_roster_lookup_key_id (VdRoster   *self,
                         const char *key_id)
{
  g_return_val_if_fail (VD_IS_ROSTER (self), NULL);

  if (key_id == NULL)
    return NULL;

  for (guint i = 0; i < self->reviewers->len; i++)
    {
      Reviewer *reviewer = g_ptr_array_index (self->reviewers, i);

      if (g_ascii_strcasecmp (vd_key_get_id (reviewer->key), key_id) == 0)
        return reviewer->key;
    }

  return NULL;
}

/**
 * vd_roster_get_roles:
 * @self: a roster
 * @reviewer_id: a reviewer ID
 *
 * Returns: (transfer none) (nullable): the reviewer's roles, in file order,
 *   or %NULL when the roster does not list them
 */
const char * const *
vd_roster_get_roles (VdRoster   *self,
                     const char *reviewer_id)
{
  Reviewer *reviewer;

  g_return_val_if_fail (VD_IS_ROSTER (self), NULL);

  if (reviewer_id == NULL || (reviewer = find_reviewer (self, reviewer_id, NULL)) == NULL)
    return NULL;

  return (const char * const *) reviewer->roles;
}

gboolean
vd_roster_has_role (VdRoster   *self,
                    const char *reviewer_id,
                    const char *role)
{
  const char * const *roles;

  g_return_val_if_fail (VD_IS_ROSTER (self), FALSE);
  g_return_val_if_fail (role != NULL, FALSE);

  roles = vd_roster_get_roles (self, reviewer_id);
  return roles != NULL && g_strv_contains (roles, role);
}

/**
 * vd_roster_list_keys:
 * @self: a roster
 *
 * Returns: (transfer full) (element-type VdKey): the reviewers' public keys
 *   in file order, each owned by its reviewer ID
 */
GPtrArray *
vd_roster_list_keys (VdRoster *self)
{
  GPtrArray *keys;

  g_return_val_if_fail (VD_IS_ROSTER (self), NULL);

  keys = g_ptr_array_new_full (self->reviewers->len, g_object_unref);
  for (guint i = 0; i < self->reviewers->len; i++)
    g_ptr_array_add (keys, g_object_ref (((Reviewer *) g_ptr_array_index (self->reviewers, i))->key));

  return keys;
}
