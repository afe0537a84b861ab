/* vd-attachment.h
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

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The limits on attachments: bytes per attachment, bytes per item (all its
 * attachments together) and attachments per item. */
#define VD_ATTACHMENT_MAX_SIZE       (20 * 1024 * 1024)
#define VD_ATTACHMENT_MAX_ITEM_SIZE  (100 * 1024 * 1024)
#define VD_ATTACHMENT_MAX_PER_ITEM   64
#define VD_ATTACHMENT_MAX_NAME       255

#define VD_TYPE_ATTACHMENT (vd_attachment_get_type ())

G_DECLARE_FINAL_TYPE (VdAttachment, vd_attachment, VD, ATTACHMENT, GObject)

/*
 * A file that comes with an item for the reviewer to see: an image, a PDF,
 * a log. It is one of three kinds:
 *
 *  - inline bytes (a queue file's `data`): vd_attachment_get_bytes();
 *  - a file next to the queue file (`path`): vd_attachment_get_source_path()
 *    is its resolved absolute path, read when the item is imported;
 *  - a remote link (`url`): vd_attachment_get_url(), never fetched.
 *
 * An imported attachment's bytes live in the store, content-addressed by
 * vd_attachment_get_sha256(); read them with vd_store_read_attachment().
 * A link has no sha256 unless the queue file gave one, and size 0.
 *
 * Properties (read-only): name, media-type, sha256 (nullable, lowercase
 * hex), size (bytes), url (nullable).
 */

VdAttachment *vd_attachment_new             (const char    *name,
                                             const char    *media_type);
VdAttachment *vd_attachment_copy            (VdAttachment  *self);

const char   *vd_attachment_get_name        (VdAttachment  *self);
const char   *vd_attachment_get_media_type  (VdAttachment  *self);
const char   *vd_attachment_get_sha256      (VdAttachment  *self);
void          vd_attachment_set_sha256      (VdAttachment  *self,
                                             const char    *sha256);
gint64        vd_attachment_get_size        (VdAttachment  *self);
void          vd_attachment_set_size        (VdAttachment  *self,
                                             gint64         size);
const char   *vd_attachment_get_url         (VdAttachment  *self);
void          vd_attachment_set_url         (VdAttachment  *self,
                                             const char    *url);
GBytes       *vd_attachment_get_bytes       (VdAttachment  *self);
void          vd_attachment_set_bytes       (VdAttachment  *self,
                                             GBytes        *bytes);
const char   *vd_attachment_get_source_path (VdAttachment  *self);
void          vd_attachment_set_source_path (VdAttachment  *self,
                                             const char    *path);

gboolean      vd_attachment_is_link         (VdAttachment  *self);
JsonNode     *vd_attachment_to_json         (VdAttachment  *self);

/* Helpers for the queue reader and the store. */
gboolean      vd_media_type_is_valid        (const char    *media_type);
const char   *vd_media_type_sniff           (const guint8  *data,
                                             gsize          length);
gboolean      vd_media_type_check_bytes     (const char    *media_type,
                                             const guint8  *data,
                                             gsize          length,
                                             char         **problem);
gboolean      vd_sha256_is_valid            (const char    *sha256);

G_END_DECLS
