/* vd-sqlite-store.c
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

#define G_LOG_DOMAIN "vd-sqlite-store"

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>

#include "vd-sqlite-store-private.h"

enum {
  PROP_0,
  PROP_PATH,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void vd_sqlite_store_store_iface_init    (VdStoreInterface *iface);
static void vd_sqlite_store_initable_iface_init (GInitableIface   *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (VdSqliteStore, vd_sqlite_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE,
                                                      vd_sqlite_store_initable_iface_init)
                               G_IMPLEMENT_INTERFACE (VD_TYPE_STORE,
                                                      vd_sqlite_store_store_iface_init))

/* The insights' figures kept up to date (schema 9; see migrations[8]).
 * What one decision adds, written once for the migration, the commit and
 * the triggers. d is the decision; I the state of its item: the items
 * row, or old or new in a trigger on items; r the older revision the
 * decision is about, when it is not I's. */
#define STATS_WATERMARK \
  "(SELECT CAST (value AS INTEGER) FROM meta WHERE key = 'stats_decision_id')"
#define STATS_ONE_BY_ONE \
  "d.automatic = 0 AND d.retracted_seq IS NULL AND d.bulk_id IS NULL"
#define CAL_REVISION_JOIN(I) \
  "LEFT JOIN revisions r ON r.item_id = d.item_id AND r.revision = d.revision " \
  "AND d.revision <> " I ".revision "
#define CAL_CONFIDENCE(I) "COALESCE (r.confidence, " I ".confidence)"
#define CAL_METADATA(I) "COALESCE (r.metadata, " I ".metadata)"
/* No model is the empty blob: key columns cannot hold NULL, and a blob
 * cannot be confused with a model's text or number. */
#define CAL_KEYS(I) \
  "d.queue, " I ".task_type, " \
  "COALESCE (CASE WHEN json_valid (" CAL_METADATA (I) ") " \
  "THEN json_extract (" CAL_METADATA (I) ", '$.model') END, x''), " \
  CAL_CONFIDENCE (I) ", d.decision = 'approve' AND d.modified_content = '', " \
  "COALESCE (" I ".escalation_reason, '') NOT IN ('low_confidence', 'none', '')"
#define CAL_INSERT \
  "INSERT INTO stats_calibration (queue, task_type, model, confidence, approved, " \
  "still_reviewed, n) "
#define CAL_UPSERT \
  " GROUP BY 1, 2, 3, 4, 5, 6 ON CONFLICT (queue, task_type, model, confidence, approved, " \
  "still_reviewed) DO UPDATE SET n = n + excluded.n"
/* The decisions of the item I that are counted and in force, with n. */
#define CAL_ITEM_DELTA(I, N) \
  CAL_INSERT "SELECT " CAL_KEYS (I) ", " N " FROM decisions d " CAL_REVISION_JOIN (I) \
  "WHERE d.item_id = " I ".id AND " STATS_ONE_BY_ONE " AND d.id <= " STATS_WATERMARK \
  " AND " CAL_CONFIDENCE (I) " IS NOT NULL" CAL_UPSERT "; "
/* A decision's row as the alias d, from a trigger's old or new. */
#define DECISION_ROW(R) \
  "(SELECT " R ".id AS id, " R ".item_id AS item_id, " R ".queue AS queue, " \
  R ".revision AS revision, " R ".decision AS decision, " \
  R ".modified_content AS modified_content, " R ".reviewer_id AS reviewer_id, " \
  R ".automatic AS automatic, " R ".timestamp AS timestamp, " \
  R ".duration_ms AS duration_ms, " R ".retracted_seq AS retracted_seq, " \
  R ".bulk_id AS bulk_id) d"
/* Adds N for the decisions d of SOURCE matching WHERE, with their items. */
#define CAL_ADD(SOURCE, N, WHERE) \
  CAL_INSERT "SELECT " CAL_KEYS ("i") ", " N " FROM " SOURCE " " \
  "JOIN items i ON i.id = d.item_id " CAL_REVISION_JOIN ("i") \
  "WHERE " WHERE " AND " STATS_ONE_BY_ONE " AND " CAL_CONFIDENCE ("i") " IS NOT NULL" CAL_UPSERT
#define CAL_ADD_WHERE(WHERE) CAL_ADD ("decisions d", "COUNT(*)", WHERE)
/* Decisions in force by quarter hour (local midnight is on one in every
 * time zone in use), queue, kind and whether a reviewer took it one by
 * one; the floor works for times before 1970 too. */
#define TIMELINE_BUCKET "(d.timestamp - ((d.timestamp % 900000000) + 900000000) % 900000000)"
#define TIMELINE_INSERT \
  "INSERT INTO stats_timeline (bucket, queue, decision, automatic, n) "
#define TIMELINE_UPSERT \
  " GROUP BY 1, 2, 3, 4 ON CONFLICT (bucket, queue, decision, automatic) " \
  "DO UPDATE SET n = n + excluded.n"
#define TIMELINE_ADD(SOURCE, N, WHERE) \
  TIMELINE_INSERT "SELECT " TIMELINE_BUCKET ", d.queue, d.decision, " \
  "d.automatic <> 0 OR d.bulk_id IS NOT NULL, " N " FROM " SOURCE " " \
  "WHERE " WHERE " AND d.retracted_seq IS NULL" TIMELINE_UPSERT
#define TIMELINE_ADD_WHERE(WHERE) TIMELINE_ADD ("decisions d", "COUNT(*)", WHERE)
#define REVIEWERS_ADD(SOURCE, WHERE) \
  "INSERT INTO stats_reviewer_decisions (reviewer_id, timestamp, id, queue, duration_ms, " \
  "decision, modified, expected_decision) " \
  "SELECT d.reviewer_id, d.timestamp, d.id, d.queue, d.duration_ms, d.decision, " \
  "d.modified_content <> '', i.expected_decision FROM " SOURCE " " \
  "JOIN items i ON i.id = d.item_id WHERE " WHERE " AND " STATS_ONE_BY_ONE
#define REVIEWERS_ADD_WHERE(WHERE) REVIEWERS_ADD ("decisions d", WHERE)

/* The triggers that keep the insights' figures (migrations[8]); made again
 * whenever the tables they read are rebuilt. */
#define STATS_INSIGHTS_TRIGGERS \
  "CREATE TRIGGER stats_calibration_item " \
  "  AFTER UPDATE OF task_type, escalation_reason, confidence, metadata, revision ON items " \
  "  WHEN old.task_type IS NOT new.task_type " \
  "  OR old.escalation_reason IS NOT new.escalation_reason " \
  "  OR old.confidence IS NOT new.confidence OR old.metadata IS NOT new.metadata " \
  "  OR old.revision IS NOT new.revision BEGIN " \
  CAL_ITEM_DELTA ("old", "-COUNT(*)") \
  CAL_ITEM_DELTA ("new", "COUNT(*)") \
  "END;" \
  "CREATE TRIGGER stats_reviewers_expected AFTER UPDATE OF expected_decision ON items " \
  "  WHEN old.expected_decision IS NOT new.expected_decision BEGIN " \
  "  UPDATE stats_reviewer_decisions SET expected_decision = new.expected_decision " \
  "  WHERE (reviewer_id, timestamp, id) IN " \
  "  (SELECT reviewer_id, timestamp, id FROM decisions WHERE item_id = new.id); " \
  "END;" \
  /* A counted decision that changes (a retraction; nothing else changes \
   * one today, but another program may): out as it was, in as it is. */ \
  "CREATE TRIGGER stats_insights_decision " \
  "  AFTER UPDATE OF item_id, queue, revision, decision, modified_content, reviewer_id, " \
  "  automatic, timestamp, duration_ms, retracted_seq, bulk_id ON decisions " \
  "  WHEN old.id <= " STATS_WATERMARK " BEGIN " \
  CAL_ADD (DECISION_ROW ("old"), "-COUNT(*)", "1") "; " \
  CAL_ADD (DECISION_ROW ("new"), "COUNT(*)", "1") "; " \
  "  DELETE FROM stats_reviewer_decisions " \
  "  WHERE reviewer_id = old.reviewer_id AND timestamp = old.timestamp AND id = old.id; " \
  REVIEWERS_ADD (DECISION_ROW ("new"), "1") "; " \
  TIMELINE_ADD (DECISION_ROW ("old"), "-COUNT(*)", "1") "; " \
  TIMELINE_ADD (DECISION_ROW ("new"), "COUNT(*)", "1") "; " \
  "END;"

/* Schema migrations: migrations[N] takes a database from user_version N to
 * N + 1. Append a step for every schema change; never edit an old one. */
static const char * const migrations[] = {
  /* 0 -> 1: the first schema */
  "CREATE TABLE items ("
  "  id INTEGER PRIMARY KEY,"
  "  queue TEXT NOT NULL,"
  "  task_id TEXT NOT NULL,"
  "  task_description TEXT NOT NULL DEFAULT '',"
  "  task_type TEXT NOT NULL DEFAULT '',"
  "  context TEXT NOT NULL DEFAULT '',"
  "  content TEXT NOT NULL DEFAULT '',"
  "  confidence REAL NOT NULL,"
  "  reasoning TEXT NOT NULL DEFAULT '',"
  "  metadata TEXT NOT NULL DEFAULT '{}',"
  "  escalation_reason TEXT,"
  "  escalation_detail TEXT NOT NULL DEFAULT '',"
  "  created_at INTEGER NOT NULL,"
  "  imported_at INTEGER NOT NULL,"
  "  due_at INTEGER,"
  "  priority INTEGER NOT NULL DEFAULT 0,"
  "  revision INTEGER NOT NULL DEFAULT 0,"
  "  status TEXT NOT NULL,"
  "  expected_decision TEXT,"
  "  audit_seq INTEGER NOT NULL DEFAULT 0,"
  "  UNIQUE (queue, task_id)"
  ");"
  "CREATE INDEX items_status_confidence ON items (status, confidence);"
  "CREATE INDEX items_status_due ON items (status, due_at);"
  "CREATE INDEX items_status_created ON items (status, created_at);"
  "CREATE INDEX items_queue_status ON items (queue, status);"
  "CREATE INDEX items_task_id ON items (task_id);"
  "CREATE TABLE revisions ("
  "  id INTEGER PRIMARY KEY,"
  "  item_id INTEGER NOT NULL REFERENCES items (id),"
  "  revision INTEGER NOT NULL,"
  "  content TEXT NOT NULL,"
  "  confidence REAL NOT NULL,"
  "  reasoning TEXT NOT NULL,"
  "  metadata TEXT NOT NULL,"
  "  feedback TEXT NOT NULL DEFAULT '',"
  "  created_at INTEGER NOT NULL,"
  "  UNIQUE (item_id, revision)"
  ");"
  "CREATE TABLE decisions ("
  "  id INTEGER PRIMARY KEY,"
  "  item_id INTEGER NOT NULL REFERENCES items (id),"
  "  queue TEXT NOT NULL,"
  "  task_id TEXT NOT NULL,"
  "  revision INTEGER NOT NULL,"
  "  decision TEXT NOT NULL,"
  "  feedback TEXT NOT NULL DEFAULT '',"
  "  modified_content TEXT NOT NULL DEFAULT '',"
  "  reviewer_id TEXT NOT NULL,"
  "  automatic INTEGER NOT NULL DEFAULT 0,"
  "  timestamp INTEGER NOT NULL,"
  "  duration_ms INTEGER NOT NULL DEFAULT 0,"
  "  final_output TEXT NOT NULL DEFAULT '',"
  "  audit_seq INTEGER NOT NULL,"
  "  audit_hash TEXT NOT NULL,"
  "  audit_prev_hash TEXT NOT NULL"
  ");"
  "CREATE INDEX decisions_item ON decisions (item_id, revision);"
  "CREATE INDEX decisions_queue_task ON decisions (queue, task_id);"
  "CREATE TABLE audit ("
  "  seq INTEGER PRIMARY KEY,"
  "  timestamp TEXT NOT NULL,"
  "  actor TEXT NOT NULL,"
  "  event TEXT NOT NULL,"
  "  queue TEXT NOT NULL DEFAULT '',"
  "  task_id TEXT NOT NULL DEFAULT '',"
  "  payload TEXT NOT NULL,"
  "  prev_hash TEXT NOT NULL,"
  "  hash TEXT NOT NULL"
  ");"
  "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit "
  "BEGIN SELECT RAISE (ABORT, 'the audit trail is append-only'); END;"
  "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit "
  "BEGIN SELECT RAISE (ABORT, 'the audit trail is append-only'); END;"
  "CREATE TABLE meta ("
  "  key TEXT PRIMARY KEY,"
  "  value TEXT NOT NULL"
  ");",

  /* 1 -> 2: retractions, and indexes that give every listing of the
   * review list its order without sorting (see list_ids). A deadline sort
   * puts items without one last, so its index holds that expression; a
   * queue filter needs the queue first. */
  "ALTER TABLE decisions ADD COLUMN retracted_seq INTEGER;"
  "ALTER TABLE decisions ADD COLUMN previous_status TEXT;"
  "DROP INDEX items_status_due;"
  "DROP INDEX items_queue_status;"
  "CREATE INDEX items_status_due ON items (status, due_at IS NULL, due_at);"
  "CREATE INDEX items_queue_status_confidence ON items (queue, status, confidence);"
  "CREATE INDEX items_queue_status_due ON items (queue, status, due_at IS NULL, due_at);"
  "CREATE INDEX items_queue_status_created ON items (queue, status, created_at);",

  /* 2 -> 3: deadlines, the workload forecast and bulk approvals.
   * sla_* record the fallback applied to an item's current revision (NULL
   * while none was). The deadline timer asks two questions, "what is due
   * by now" and "what is due next", of undecided items without a fallback:
   * a partial index holds exactly those items by deadline, so both are one
   * index seek however many items are decided or have no deadline. The
   * forecast counts arrivals and decisions by time. */
  "ALTER TABLE items ADD COLUMN sla_fallback TEXT;"
  "ALTER TABLE items ADD COLUMN sla_configured TEXT;"
  "ALTER TABLE items ADD COLUMN sla_rule TEXT;"
  "ALTER TABLE items ADD COLUMN sla_deadline INTEGER;"
  "ALTER TABLE items ADD COLUMN sla_applied_at INTEGER;"
  "CREATE INDEX items_sla_due ON items (due_at) "
  "  WHERE sla_fallback IS NULL AND due_at IS NOT NULL "
  "  AND status IN ('pending', 'in_review', 'escalated');"
  "CREATE INDEX items_imported ON items (imported_at);"
  "ALTER TABLE decisions ADD COLUMN bulk_id INTEGER;"
  "CREATE INDEX decisions_timestamp ON decisions (timestamp);"
  "CREATE TABLE bulk_actions ("
  "  id INTEGER PRIMARY KEY,"
  "  queue TEXT NOT NULL,"
  "  band TEXT NOT NULL,"
  "  seed INTEGER NOT NULL,"
  "  sample_percent REAL NOT NULL,"
  "  sample TEXT NOT NULL,"
  "  created_by TEXT NOT NULL,"
  "  created_at INTEGER NOT NULL,"
  "  state TEXT NOT NULL,"
  "  finished_at INTEGER,"
  "  outcome TEXT NOT NULL DEFAULT '',"
  "  n_approved INTEGER NOT NULL DEFAULT 0,"
  "  audit_seq INTEGER NOT NULL"
  ");"
  "CREATE INDEX bulk_actions_open ON bulk_actions (band, created_by) "
  "  WHERE state = 'sampling';"
  "CREATE TABLE bulk_items ("
  "  bulk_id INTEGER NOT NULL REFERENCES bulk_actions (id),"
  "  item_id INTEGER NOT NULL REFERENCES items (id),"
  "  revision INTEGER NOT NULL,"
  "  sampled INTEGER NOT NULL,"
  "  PRIMARY KEY (bulk_id, item_id)"
  ") WITHOUT ROWID;",

  /* 3 -> 4: the feedback loop and the statistics. A decision may say
   * whether the agent's output helped (1 yes, 0 no, NULL not said) and in
   * which category; improvement suggestions get their own table. The
   * reviewers' figures read each reviewer's human decisions in time order,
   * the calibration groups human decisions by item: both from an index. */
  "ALTER TABLE decisions ADD COLUMN helpful INTEGER;"
  "ALTER TABLE decisions ADD COLUMN category TEXT;"
  "CREATE INDEX decisions_reviewer_timestamp ON decisions (reviewer_id, timestamp) "
  "  WHERE automatic = 0;"
  "CREATE INDEX decisions_helpful ON decisions (id) WHERE helpful IS NOT NULL;"
  "CREATE TABLE feedback_suggestions ("
  "  id INTEGER PRIMARY KEY,"
  "  text TEXT NOT NULL,"
  "  reviewer_id TEXT NOT NULL,"
  "  queue TEXT NOT NULL DEFAULT '',"
  "  task_id TEXT NOT NULL DEFAULT '',"
  "  created_at INTEGER NOT NULL,"
  "  audit_seq INTEGER NOT NULL"
  ");",

  /* 4 -> 5: the policy chosen per queue. An import or an agent run given
   * no policy applies the one last chosen for the item's queue, and queues
   * every item for review when there is none. */
  "CREATE TABLE queue_policies ("
  "  queue TEXT PRIMARY KEY,"
  "  policy TEXT NOT NULL,"
  "  source TEXT NOT NULL DEFAULT '',"
  "  chosen_at INTEGER NOT NULL"
  ");",

  /* 5 -> 6: content types and attachments. NULL content types are
   * text/plain. An attachment's bytes are a file in the attachments folder
   * next to the database, named by their SHA-256; a link has no bytes and
   * a NULL or stated sha256. */
  "ALTER TABLE items ADD COLUMN task_content_type TEXT;"
  "ALTER TABLE items ADD COLUMN context_content_type TEXT;"
  "ALTER TABLE items ADD COLUMN output_content_type TEXT;"
  "CREATE TABLE attachments ("
  "  item_id INTEGER NOT NULL REFERENCES items (id),"
  "  position INTEGER NOT NULL,"
  "  name TEXT NOT NULL,"
  "  media_type TEXT NOT NULL,"
  "  sha256 TEXT,"
  "  size INTEGER NOT NULL DEFAULT 0,"
  "  url TEXT,"
  "  PRIMARY KEY (item_id, position)"
  ") WITHOUT ROWID;",

  /* 6 -> 7: the signed audit trail and the decisions' stamps. Every event
   * from the `signing_started` event on (appended by the migration, see
   * migrate ()) carries the id of the key that signed it and an Ed25519
   * signature over its hash; events before it keep NULL. A decision
   * records the policy's SHA-256, the model and prompt version the output
   * came from and the Verdict version (NULL when unknown). */
  "ALTER TABLE audit ADD COLUMN key_id TEXT;"
  "ALTER TABLE audit ADD COLUMN signature TEXT;"
  "ALTER TABLE decisions ADD COLUMN policy_sha256 TEXT;"
  "ALTER TABLE decisions ADD COLUMN model TEXT;"
  "ALTER TABLE decisions ADD COLUMN prompt_version TEXT;"
  "ALTER TABLE decisions ADD COLUMN app_version TEXT;",

  /* 7 -> 8: search. A trigram index finds any substring of three
   * characters or more without reading every row. It holds the texts
   * folded by vd_casefold() (the folding the search has always used: NFKC,
   * then Unicode case folding), so that "STRASSE" finds "Straße" as
   * before; the tokenizer's own folding, simple case folding, would not.
   * It is contentless (the texts stay in the items table only) and keeps
   * no positions (detail = none: a fifth of the size, and of the time to
   * write): a search asks for rows holding every trigram of the text, then
   * checks those few rows with vd_contains().
   *
   * New rows are indexed by _vd_sqlite_store_commit(), with one statement
   * per transaction, for the rows above the row id in meta
   * 'search_indexed_id' (row ids only grow: items are never deleted). A
   * trigger on every inserted row would cost the import three times its
   * time: it needs a statement journal, and FTS5 writes its pending terms
   * out at every statement. Changes to indexed rows are rare (revisions):
   * triggers take the old texts out and put the new ones in at once. */
  "CREATE VIRTUAL TABLE items_search USING fts5 ("
  "  task_id, task_description, context, content, reasoning,"
  "  content = '', columnsize = 0, detail = none, tokenize = 'trigram case_sensitive 1'"
  ");"
  "INSERT INTO items_search (rowid, task_id, task_description, context, content, reasoning) "
  "  SELECT id, vd_casefold (task_id), vd_casefold (task_description), vd_casefold (context), "
  "  vd_casefold (content), vd_casefold (reasoning) FROM items;"
  "INSERT INTO meta (key, value) "
  "  SELECT 'search_indexed_id', COALESCE (MAX (id), 0) FROM items;"
  "CREATE TRIGGER items_search_delete AFTER DELETE ON items "
  "  WHEN old.id <= (SELECT CAST (value AS INTEGER) FROM meta "
  "                  WHERE key = 'search_indexed_id') BEGIN "
  "  INSERT INTO items_search (items_search, rowid, task_id, task_description, context, "
  "  content, reasoning) VALUES ('delete', old.id, vd_casefold (old.task_id), "
  "  vd_casefold (old.task_description), vd_casefold (old.context), "
  "  vd_casefold (old.content), vd_casefold (old.reasoning)); "
  "END;"
  "CREATE TRIGGER items_search_update "
  "  AFTER UPDATE OF task_id, task_description, context, content, reasoning ON items "
  "  WHEN old.id <= (SELECT CAST (value AS INTEGER) FROM meta "
  "                  WHERE key = 'search_indexed_id') "
  "  AND (old.task_id IS NOT new.task_id "
  "  OR old.task_description IS NOT new.task_description OR old.context IS NOT new.context "
  "  OR old.content IS NOT new.content OR old.reasoning IS NOT new.reasoning) BEGIN "
  "  INSERT INTO items_search (items_search, rowid, task_id, task_description, context, "
  "  content, reasoning) VALUES ('delete', old.id, vd_casefold (old.task_id), "
  "  vd_casefold (old.task_description), vd_casefold (old.context), "
  "  vd_casefold (old.content), vd_casefold (old.reasoning)); "
  "  INSERT INTO items_search (rowid, task_id, task_description, context, content, reasoning) "
  "  VALUES (new.id, vd_casefold (new.task_id), vd_casefold (new.task_description), "
  "  vd_casefold (new.context), vd_casefold (new.content), vd_casefold (new.reasoning)); "
  "END;"

  /* ...and the figures of the statistics, maintained rather than scanned:
   * items by queue and status (count and confidence sum), human decisions
   * in force by queue and kind, and the policy's approvals in force of
   * items' current revisions by queue. New items and decisions are added
   * at commit like the search index, above meta 'stats_item_id' and
   * 'stats_decision_id'; triggers follow changes to rows already counted
   * (a status, a new revision, a retraction). */
  "CREATE TABLE stats_items ("
  "  queue TEXT NOT NULL,"
  "  status TEXT NOT NULL,"
  "  n INTEGER NOT NULL,"
  "  confidence_sum REAL NOT NULL,"
  "  PRIMARY KEY (queue, status)"
  ") WITHOUT ROWID;"
  "CREATE TABLE stats_decisions ("
  "  queue TEXT NOT NULL,"
  "  decision TEXT NOT NULL,"
  "  n INTEGER NOT NULL,"
  "  PRIMARY KEY (queue, decision)"
  ") WITHOUT ROWID;"
  "CREATE TABLE stats_auto_approved ("
  "  queue TEXT PRIMARY KEY,"
  "  n INTEGER NOT NULL"
  ") WITHOUT ROWID;"
  "INSERT INTO meta (key, value) SELECT 'stats_item_id', 0;"
  "INSERT INTO meta (key, value) SELECT 'stats_decision_id', 0;"
  "CREATE TRIGGER stats_items_update AFTER UPDATE OF queue, status, confidence ON items "
  "  WHEN old.id <= (SELECT CAST (value AS INTEGER) FROM meta WHERE key = 'stats_item_id') "
  "  AND (old.queue IS NOT new.queue OR old.status IS NOT new.status "
  "  OR old.confidence IS NOT new.confidence) BEGIN "
  "  UPDATE stats_items SET n = n - 1, confidence_sum = confidence_sum - old.confidence "
  "  WHERE queue = old.queue AND status = old.status; "
  "  INSERT INTO stats_items (queue, status, n, confidence_sum) "
  "  VALUES (new.queue, new.status, 1, new.confidence) "
  "  ON CONFLICT (queue, status) DO UPDATE SET n = n + 1, "
  "  confidence_sum = confidence_sum + excluded.confidence_sum; "
  "END;"
  "CREATE TRIGGER stats_items_delete AFTER DELETE ON items "
  "  WHEN old.id <= (SELECT CAST (value AS INTEGER) FROM meta WHERE key = 'stats_item_id') "
  "  BEGIN "
  "  UPDATE stats_items SET n = n - 1, confidence_sum = confidence_sum - old.confidence "
  "  WHERE queue = old.queue AND status = old.status; "
  "END;"
  "CREATE TRIGGER stats_items_revision AFTER UPDATE OF revision ON items "
  "  WHEN old.revision IS NOT new.revision BEGIN "
  "  INSERT INTO stats_auto_approved (queue, n) "
  "  SELECT d.queue, SUM (CASE WHEN d.revision = new.revision THEN 1 ELSE -1 END) "
  "  FROM decisions d WHERE d.item_id = old.id "
  "  AND d.revision IN (old.revision, new.revision) "
  "  AND d.automatic = 1 AND d.reviewer_id = '" VD_AUDIT_ACTOR_POLICY "' "
  "  AND d.retracted_seq IS NULL "
  "  AND d.id <= (SELECT CAST (value AS INTEGER) FROM meta WHERE key = 'stats_decision_id') "
  "  GROUP BY d.queue "
  "  ON CONFLICT (queue) DO UPDATE SET n = n + excluded.n; "
  "END;"
  "CREATE TRIGGER stats_decisions_retract AFTER UPDATE OF retracted_seq ON decisions "
  "  WHEN old.id <= (SELECT CAST (value AS INTEGER) FROM meta WHERE key = 'stats_decision_id') "
  "  AND (old.retracted_seq IS NULL) <> (new.retracted_seq IS NULL) BEGIN "
  "  UPDATE stats_decisions "
  "  SET n = n + CASE WHEN new.retracted_seq IS NULL THEN 1 ELSE -1 END "
  "  WHERE old.automatic = 0 AND queue = old.queue AND decision = old.decision; "
  "  UPDATE stats_auto_approved "
  "  SET n = n + CASE WHEN new.retracted_seq IS NULL THEN 1 ELSE -1 END "
  "  WHERE old.automatic = 1 AND old.reviewer_id = '" VD_AUDIT_ACTOR_POLICY "' "
  "  AND queue = old.queue "
  "  AND old.revision = (SELECT revision FROM items WHERE id = old.item_id); "
  "END;",

  /* 8 -> 9: the insights' figures, maintained rather than scanned, so
   * that they read no items and no decisions.
   *
   * Calibration: the decisions taken one by one and in force, counted by
   * queue, task type, model, stated confidence (each exact value: the
   * threshold suggested is always one of the confidences seen, so any
   * coarser bucket could move it; agents state few distinct values, so
   * the table stays small) and outcome, and whether the item reached a
   * reviewer for another reason than its confidence.
   *
   * Reviewers: the fatigue report needs each decision's time and duration
   * (sessions, percentiles, streaks), so it keeps one narrow row per
   * decision taken one by one and in force, clustered in the order the
   * report reads it, with the item's expected decision.
   *
   * Timeline: the decisions in force by quarter hour, queue and kind, so
   * that a day (from local midnight to local midnight) is a short range.
   *
   * All are added at commit with the other statistics (decisions above
   * meta 'stats_decision_id'); triggers follow what changes counted ones:
   * a retraction, a new revision or a re-import that changes the item, or
   * any change to the decision's row. */
  "CREATE TABLE stats_calibration ("
  "  queue TEXT NOT NULL,"
  "  task_type TEXT NOT NULL,"
  "  model BLOB NOT NULL,"
  "  confidence REAL NOT NULL,"
  "  approved INTEGER NOT NULL,"
  "  still_reviewed INTEGER NOT NULL,"
  "  n INTEGER NOT NULL,"
  "  PRIMARY KEY (queue, task_type, model, confidence, approved, still_reviewed)"
  ") WITHOUT ROWID;"
  "CREATE TABLE stats_reviewer_decisions ("
  "  reviewer_id TEXT NOT NULL,"
  "  timestamp INTEGER NOT NULL,"
  "  id INTEGER NOT NULL,"
  "  queue TEXT NOT NULL,"
  "  duration_ms INTEGER NOT NULL,"
  "  decision TEXT NOT NULL,"
  "  modified INTEGER NOT NULL,"
  "  expected_decision TEXT,"
  "  PRIMARY KEY (reviewer_id, timestamp, id)"
  ") WITHOUT ROWID;"
  "CREATE TABLE stats_timeline ("
  "  bucket INTEGER NOT NULL,"
  "  queue TEXT NOT NULL,"
  "  decision TEXT NOT NULL,"
  "  automatic INTEGER NOT NULL,"
  "  n INTEGER NOT NULL,"
  "  PRIMARY KEY (bucket, queue, decision, automatic)"
  ") WITHOUT ROWID;"
  CAL_ADD_WHERE ("d.id <= " STATS_WATERMARK) ";"
  REVIEWERS_ADD_WHERE ("d.id <= " STATS_WATERMARK) ";"
  TIMELINE_ADD_WHERE ("d.id <= " STATS_WATERMARK) ";"
  STATS_INSIGHTS_TRIGGERS,

  /* 9 -> 10: other tools' formats. An item keeps its source record (JSON,
   * NULL for Verdict queues and the agent), and its confidence may be NULL:
   * the source gave none. SQLite cannot drop a NOT NULL constraint, so the
   * items and revisions tables are rebuilt by the documented procedure
   * (https://www.sqlite.org/lang_altertable.html#otheralter, run by
   * migrate () with foreign keys off): a new table, the rows copied with
   * their ids (which the search index and the statistics key on), the old
   * table dropped, the new one renamed, then its indexes and triggers made
   * again. The triggers on decisions that read items are made again too, so
   * that no trigger names a missing table while the tables change, and so
   * are the insights' triggers on items (migrations[8]).
   *
   * The statistics count the items with a confidence apart
   * (n_confidence), so that an average leaves out those without one. */
  "DROP TRIGGER stats_decisions_retract;"
  "DROP TRIGGER stats_calibration_item;"
  "DROP TRIGGER stats_reviewers_expected;"
  "DROP TRIGGER stats_insights_decision;"
  "CREATE TABLE items_new ("
  "  id INTEGER PRIMARY KEY,"
  "  queue TEXT NOT NULL,"
  "  task_id TEXT NOT NULL,"
  "  task_description TEXT NOT NULL DEFAULT '',"
  "  task_type TEXT NOT NULL DEFAULT '',"
  "  context TEXT NOT NULL DEFAULT '',"
  "  content TEXT NOT NULL DEFAULT '',"
  "  confidence REAL,"
  "  reasoning TEXT NOT NULL DEFAULT '',"
  "  metadata TEXT NOT NULL DEFAULT '{}',"
  "  escalation_reason TEXT,"
  "  escalation_detail TEXT NOT NULL DEFAULT '',"
  "  created_at INTEGER NOT NULL,"
  "  imported_at INTEGER NOT NULL,"
  "  due_at INTEGER,"
  "  priority INTEGER NOT NULL DEFAULT 0,"
  "  revision INTEGER NOT NULL DEFAULT 0,"
  "  status TEXT NOT NULL,"
  "  expected_decision TEXT,"
  "  audit_seq INTEGER NOT NULL DEFAULT 0,"
  "  sla_fallback TEXT,"
  "  sla_configured TEXT,"
  "  sla_rule TEXT,"
  "  sla_deadline INTEGER,"
  "  sla_applied_at INTEGER,"
  "  task_content_type TEXT,"
  "  context_content_type TEXT,"
  "  output_content_type TEXT,"
  "  source TEXT,"
  "  UNIQUE (queue, task_id)"
  ");"
  "INSERT INTO items_new (id, queue, task_id, task_description, task_type, context, content, "
  "  confidence, reasoning, metadata, escalation_reason, escalation_detail, created_at, "
  "  imported_at, due_at, priority, revision, status, expected_decision, audit_seq, "
  "  sla_fallback, sla_configured, sla_rule, sla_deadline, sla_applied_at, "
  "  task_content_type, context_content_type, output_content_type) "
  "  SELECT id, queue, task_id, task_description, task_type, context, content, "
  "  confidence, reasoning, metadata, escalation_reason, escalation_detail, created_at, "
  "  imported_at, due_at, priority, revision, status, expected_decision, audit_seq, "
  "  sla_fallback, sla_configured, sla_rule, sla_deadline, sla_applied_at, "
  "  task_content_type, context_content_type, output_content_type FROM items;"
  "DROP TABLE items;"
  "ALTER TABLE items_new RENAME TO items;"
  "CREATE INDEX items_status_confidence ON items (status, confidence);"
  "CREATE INDEX items_status_created ON items (status, created_at);"
  "CREATE INDEX items_task_id ON items (task_id);"
  "CREATE INDEX items_status_due ON items (status, due_at IS NULL, due_at);"
  "CREATE INDEX items_queue_status_confidence ON items (queue, status, confidence);"
  "CREATE INDEX items_queue_status_due ON items (queue, status, due_at IS NULL, due_at);"
  "CREATE INDEX items_queue_status_created ON items (queue, status, created_at);"
  "CREATE INDEX items_sla_due ON items (due_at) "
  "  WHERE sla_fallback IS NULL AND due_at IS NOT NULL "
  "  AND status IN ('pending', 'in_review', 'escalated');"
  "CREATE INDEX items_imported ON items (imported_at);"
  "CREATE TABLE revisions_new ("
  "  id INTEGER PRIMARY KEY,"
  "  item_id INTEGER NOT NULL REFERENCES items (id),"
  "  revision INTEGER NOT NULL,"
  "  content TEXT NOT NULL,"
  "  confidence REAL,"
  "  reasoning TEXT NOT NULL,"
  "  metadata TEXT NOT NULL,"
  "  feedback TEXT NOT NULL DEFAULT '',"
  "  created_at INTEGER NOT NULL,"
  "  UNIQUE (item_id, revision)"
  ");"
  "INSERT INTO revisions_new (id, item_id, revision, content, confidence, reasoning, "
  "  metadata, feedback, created_at) "
  "  SELECT id, item_id, revision, content, confidence, reasoning, metadata, feedback, "
  "  created_at FROM revisions;"
  "DROP TABLE revisions;"
  "ALTER TABLE revisions_new RENAME TO revisions;"
  "CREATE TRIGGER items_search_delete AFTER DELETE ON items "
  "  WHEN old.id <= (SELECT CAST (value AS INTEGER) FROM meta "
  "                  WHERE key = 'search_indexed_id') BEGIN "
  "  INSERT INTO items_search (items_search, rowid, task_id, task_description, context, "
  "  content, reasoning) VALUES ('delete', old.id, vd_casefold (old.task_id), "
  "  vd_casefold (old.task_description), vd_casefold (old.context), "
  "  vd_casefold (old.content), vd_casefold (old.reasoning)); "
  "END;"
  "CREATE TRIGGER items_search_update "
  "  AFTER UPDATE OF task_id, task_description, context, content, reasoning ON items "
  "  WHEN old.id <= (SELECT CAST (value AS INTEGER) FROM meta "
  "                  WHERE key = 'search_indexed_id') "
  "  AND (old.task_id IS NOT new.task_id "
  "  OR old.task_description IS NOT new.task_description OR old.context IS NOT new.context "
  "  OR old.content IS NOT new.content OR old.reasoning IS NOT new.reasoning) BEGIN "
  "  INSERT INTO items_search (items_search, rowid, task_id, task_description, context, "
  "  content, reasoning) VALUES ('delete', old.id, vd_casefold (old.task_id), "
  "  vd_casefold (old.task_description), vd_casefold (old.context), "
  "  vd_casefold (old.content), vd_casefold (old.reasoning)); "
  "  INSERT INTO items_search (rowid, task_id, task_description, context, content, reasoning) "
  "  VALUES (new.id, vd_casefold (new.task_id), vd_casefold (new.task_description), "
  "  vd_casefold (new.context), vd_casefold (new.content), vd_casefold (new.reasoning)); "
  "END;"
  "ALTER TABLE stats_items ADD COLUMN n_confidence INTEGER NOT NULL DEFAULT 0;"
  "UPDATE stats_items SET n_confidence = n;"
  "CREATE TRIGGER stats_items_update AFTER UPDATE OF queue, status, confidence ON items "
  "  WHEN old.id <= (SELECT CAST (value AS INTEGER) FROM meta WHERE key = 'stats_item_id') "
  "  AND (old.queue IS NOT new.queue OR old.status IS NOT new.status "
  "  OR old.confidence IS NOT new.confidence) BEGIN "
  "  UPDATE stats_items SET n = n - 1, n_confidence = n_confidence - (old.confidence IS NOT NULL), "
  "  confidence_sum = confidence_sum - COALESCE (old.confidence, 0.0) "
  "  WHERE queue = old.queue AND status = old.status; "
  "  INSERT INTO stats_items (queue, status, n, confidence_sum, n_confidence) "
  "  VALUES (new.queue, new.status, 1, COALESCE (new.confidence, 0.0), "
  "  new.confidence IS NOT NULL) "
  "  ON CONFLICT (queue, status) DO UPDATE SET n = n + 1, "
  "  confidence_sum = confidence_sum + excluded.confidence_sum, "
  "  n_confidence = n_confidence + excluded.n_confidence; "
  "END;"
  "CREATE TRIGGER stats_items_delete AFTER DELETE ON items "
  "  WHEN old.id <= (SELECT CAST (value AS INTEGER) FROM meta WHERE key = 'stats_item_id') "
  "  BEGIN "
  "  UPDATE stats_items SET n = n - 1, n_confidence = n_confidence - (old.confidence IS NOT NULL), "
  "  confidence_sum = confidence_sum - COALESCE (old.confidence, 0.0) "
  "  WHERE queue = old.queue AND status = old.status; "
  "END;"
  "CREATE TRIGGER stats_items_revision AFTER UPDATE OF revision ON items "
  "  WHEN old.revision IS NOT new.revision BEGIN "
  "  INSERT INTO stats_auto_approved (queue, n) "
  "  SELECT d.queue, SUM (CASE WHEN d.revision = new.revision THEN 1 ELSE -1 END) "
  "  FROM decisions d WHERE d.item_id = old.id "
  "  AND d.revision IN (old.revision, new.revision) "
  "  AND d.automatic = 1 AND d.reviewer_id = '" VD_AUDIT_ACTOR_POLICY "' "
  "  AND d.retracted_seq IS NULL "
  "  AND d.id <= (SELECT CAST (value AS INTEGER) FROM meta WHERE key = 'stats_decision_id') "
  "  GROUP BY d.queue "
  "  ON CONFLICT (queue) DO UPDATE SET n = n + excluded.n; "
  "END;"
  "CREATE TRIGGER stats_decisions_retract AFTER UPDATE OF retracted_seq ON decisions "
  "  WHEN old.id <= (SELECT CAST (value AS INTEGER) FROM meta WHERE key = 'stats_decision_id') "
  "  AND (old.retracted_seq IS NULL) <> (new.retracted_seq IS NULL) BEGIN "
  "  UPDATE stats_decisions "
  "  SET n = n + CASE WHEN new.retracted_seq IS NULL THEN 1 ELSE -1 END "
  "  WHERE old.automatic = 0 AND queue = old.queue AND decision = old.decision; "
  "  UPDATE stats_auto_approved "
  "  SET n = n + CASE WHEN new.retracted_seq IS NULL THEN 1 ELSE -1 END "
  "  WHERE old.automatic = 1 AND old.reviewer_id = '" VD_AUDIT_ACTOR_POLICY "' "
  "  AND queue = old.queue "
  "  AND old.revision = (SELECT revision FROM items WHERE id = old.item_id); "
  "END;"
  STATS_INSIGHTS_TRIGGERS,

  /* 10 -> 11: four-eyes review. An item keeps how many reviewers its
   * policy required at import; a decision row with final = 0 is a review
   * that did not decide the item on its own (a first review, or a second
   * one that disagreed). */
  "ALTER TABLE items ADD COLUMN reviews_required INTEGER NOT NULL DEFAULT 1;"
  "ALTER TABLE decisions ADD COLUMN final INTEGER NOT NULL DEFAULT 1;"
  /* The workflow's counts are of decisions: a review is not one. */
  "DROP TRIGGER stats_decisions_retract;"
  "CREATE TRIGGER stats_decisions_retract AFTER UPDATE OF retracted_seq ON decisions "
  "  WHEN old.id <= (SELECT CAST (value AS INTEGER) FROM meta WHERE key = 'stats_decision_id') "
  "  AND (old.retracted_seq IS NULL) <> (new.retracted_seq IS NULL) BEGIN "
  "  UPDATE stats_decisions "
  "  SET n = n + CASE WHEN new.retracted_seq IS NULL THEN 1 ELSE -1 END "
  "  WHERE old.automatic = 0 AND old.final = 1 AND queue = old.queue "
  "  AND decision = old.decision; "
  "  UPDATE stats_auto_approved "
  "  SET n = n + CASE WHEN new.retracted_seq IS NULL THEN 1 ELSE -1 END "
  "  WHERE old.automatic = 1 AND old.reviewer_id = '" VD_AUDIT_ACTOR_POLICY "' "
  "  AND queue = old.queue "
  "  AND old.revision = (SELECT revision FROM items WHERE id = old.item_id); "
  "END;",

  /* 11 -> 12: claims (vd-sqlite-store-claims.c) */
  VD_SQLITE_CLAIMS_SCHEMA,
};

/* The schema version from which the audit trail is signed. */
#define SIGNED_SCHEMA_VERSION 7

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == VD_SQLITE_STORE_SCHEMA_VERSION);

void
_vd_sqlite_store_set_error (VdSqliteStore  *self,
                            GError        **error,
                            const char     *what)
{
  g_set_error (error, VD_STORE_ERROR, VD_STORE_ERROR_FAILED,
               "%s: %s (database %s)",
               what, sqlite3_errmsg (self->db), self->path);
}

static sqlite3_stmt *
prepare_cached (VdSqliteStore  *self,
                GHashTable     *cache,
                const char     *sql,
                gboolean        copy_key,
                GError        **error)
{
  sqlite3_stmt *stmt;

  stmt = g_hash_table_lookup (cache, sql);
  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }

  if (sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
    {
      _vd_sqlite_store_set_error (self, error, "Could not prepare a database query");
      sqlite3_finalize (stmt);
      return NULL;
    }

  g_hash_table_insert (cache, copy_key ? g_strdup (sql) : (char *)sql, stmt);

  return stmt;
}

/* Returns the cached statement for @sql, which must be a string literal:
 * statements are found by the address of their text, the cheapest lookup
 * for the statements an import runs for every item. */
sqlite3_stmt *
_vd_sqlite_store_prepare (VdSqliteStore  *self,
                          const char     *sql,
                          GError        **error)
{
  return prepare_cached (self, self->statements, sql, FALSE, error);
}

/* Returns the cached statement for SQL text built at run time. */
sqlite3_stmt *
_vd_sqlite_store_prepare_text (VdSqliteStore  *self,
                               const char     *sql,
                               GError        **error)
{
  return prepare_cached (self, self->text_statements, sql, TRUE, error);
}

/* Steps a statement that returns no rows (INSERT, UPDATE) and resets it. */
gboolean
_vd_sqlite_store_step_done (VdSqliteStore  *self,
                            sqlite3_stmt   *stmt,
                            GError        **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      _vd_sqlite_store_set_error (self, error, "Could not write to the database");
      sqlite3_reset (stmt);
      return FALSE;
    }

  sqlite3_reset (stmt);
  return TRUE;
}

gboolean
_vd_sqlite_store_exec (VdSqliteStore  *self,
                       const char     *sql,
                       GError        **error)
{
  char *message = NULL;

  if (sqlite3_exec (self->db, sql, NULL, NULL, &message) != SQLITE_OK)
    {
      g_set_error (error, VD_STORE_ERROR, VD_STORE_ERROR_FAILED,
                   "Database statement failed: %s (database %s)",
                   message != NULL ? message : sqlite3_errmsg (self->db), self->path);
      sqlite3_free (message);
      return FALSE;
    }

  return TRUE;
}

/* Opens a write transaction and reads the audit head inside it, so that the
 * events appended in it chain onto the real last event even when another
 * process wrote in between. */
static gboolean read_tx_head (VdSqliteStore  *self,
                              GError        **error);

gboolean
_vd_sqlite_store_begin (VdSqliteStore  *self,
                        GError        **error)
{
  g_assert (!self->in_transaction);

  if (!_vd_sqlite_store_exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;

  if (!read_tx_head (self, error))
    {
      _vd_sqlite_store_rollback (self);
      return FALSE;
    }

  return TRUE;
}

/* Reads the audit head at the start of a write transaction. */
static gboolean
read_tx_head (VdSqliteStore  *self,
              GError        **error)
{
  sqlite3_stmt *stmt;
  int rc;

  self->in_transaction = TRUE;
  self->tx_head_changed = FALSE;
  self->tx_head_seq = 0;
  g_strlcpy (self->tx_head_hash, VD_AUDIT_GENESIS_HASH, sizeof self->tx_head_hash);

  stmt = _vd_sqlite_store_prepare (self, "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1",
                                   error);
  if (stmt == NULL)
    return FALSE;

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      self->tx_head_seq = sqlite3_column_int64 (stmt, 0);
      g_strlcpy (self->tx_head_hash, _vd_sqlite_column_text (stmt, 1),
                 sizeof self->tx_head_hash);
    }
  else if (rc != SQLITE_DONE)
    {
      _vd_sqlite_store_set_error (self, error, "Could not read the audit trail");
      sqlite3_reset (stmt);
      goto failed;
    }
  sqlite3_reset (stmt);
  self->tx_begin_seq = self->tx_head_seq;

  return TRUE;

failed:
  return FALSE;
}

/* Records the new audit head (used by verification to notice a truncated
 * trail) and commits. On failure everything is rolled back. */
gboolean
_vd_sqlite_store_commit (VdSqliteStore  *self,
                         GError        **error)
{
  g_assert (self->in_transaction);

  if (!_vd_sqlite_store_index_new_items (self, error) ||
      !_vd_sqlite_store_count_new_rows (self, error))
    goto failed;

  if (self->tx_head_changed)
    {
      sqlite3_stmt *stmt;
      char seq[32];

      stmt = _vd_sqlite_store_prepare (self,
                                       "INSERT INTO meta (key, value) "
                                       "VALUES ('audit_head_seq', ?1), ('audit_head_hash', ?2) "
                                       "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                                       error);
      if (stmt == NULL)
        goto failed;

      g_snprintf (seq, sizeof seq, "%" G_GINT64_FORMAT, self->tx_head_seq);
      _vd_sqlite_bind_text (stmt, 1, seq);
      _vd_sqlite_bind_text (stmt, 2, self->tx_head_hash);
      if (!_vd_sqlite_store_step_done (self, stmt, error))
        goto failed;
    }

  if (!_vd_sqlite_store_exec (self, "COMMIT", error))
    goto failed;

  self->in_transaction = FALSE;
  if (self->tx_head_changed)
    _vd_sqlite_store_note_appended (self, self->tx_begin_seq + 1, self->tx_head_seq);
  return TRUE;

failed:
  _vd_sqlite_store_rollback (self);
  return FALSE;
}

void
_vd_sqlite_store_rollback (VdSqliteStore *self)
{
  g_assert (self->in_transaction);

  /* Fails only when there is no transaction left to roll back (SQLite
   * already rolled it back after an I/O error): nothing to do then. */
  sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  self->in_transaction = FALSE;
}

void
_vd_sqlite_bind_text (sqlite3_stmt *stmt,
                      int           index,
                      const char   *text)
{
  sqlite3_bind_text (stmt, index, text != NULL ? text : "", -1, SQLITE_TRANSIENT);
}

void
_vd_sqlite_bind_text_or_null (sqlite3_stmt *stmt,
                              int           index,
                              const char   *text)
{
  if (text == NULL)
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
}

/* Never NULL: an SQL NULL reads as the empty string. */
const char *
_vd_sqlite_column_text (sqlite3_stmt *stmt,
                        int           column)
{
  const char *text = (const char *)sqlite3_column_text (stmt, column);

  return text != NULL ? text : "";
}

/* Returns: (transfer full): the object, or a new empty one when @json is
 * not an object. */
JsonObject *
_vd_sqlite_parse_object (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  JsonNode *root;

  if (json != NULL && json_parser_load_from_data (parser, json, -1, NULL) &&
      (root = json_parser_get_root (parser)) != NULL && JSON_NODE_HOLDS_OBJECT (root))
    return json_object_ref (json_node_get_object (root));

  return json_object_new ();
}

static gboolean
read_user_version (VdSqliteStore  *self,
                   int            *version,
                   GError        **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (self->db, "PRAGMA user_version", -1, &stmt, NULL) != SQLITE_OK)
    {
      _vd_sqlite_store_set_error (self, error, "Could not read the database");
      sqlite3_finalize (stmt);
      return FALSE;
    }

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      _vd_sqlite_store_set_error (self, error, "Could not read the database");
      sqlite3_finalize (stmt);
      return FALSE;
    }

  *version = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);

  return TRUE;
}

static gboolean
check_version (VdSqliteStore  *self,
               int             version,
               GError        **error)
{
  if (version > VD_SQLITE_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, VD_STORE_ERROR, VD_STORE_ERROR_VERSION,
                   "%s was written by a newer Verdict (schema version %d; this version "
                   "reads up to %d): update Verdict to open it",
                   self->path, version, VD_SQLITE_STORE_SCHEMA_VERSION);
      return FALSE;
    }

  return TRUE;
}

/* Takes the write lock: only called when a plain read found an older
 * schema, so that opening a current store for reading never waits for a
 * writer (an import holds the lock for as long as it runs). */
static gboolean
foreign_keys_hold (VdSqliteStore  *self,
                   GError        **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (self->db, "PRAGMA foreign_key_check", -1, &stmt, NULL) != SQLITE_OK)
    {
      _vd_sqlite_store_set_error (self, error, "Could not check the migrated database");
      return FALSE;
    }
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc == SQLITE_DONE)
    return TRUE;

  g_set_error (error, VD_STORE_ERROR, VD_STORE_ERROR_FAILED,
               "%s: a row refers to a missing one after the migration; the database was "
               "left as it was", self->path);
  return FALSE;
}

static gboolean migrate_in_transaction (VdSqliteStore  *self,
                                        GError        **error);

/* Rebuilding a table (schema 9) needs foreign keys off, which SQLite only
 * changes outside a transaction; they are checked before COMMIT instead. */
static gboolean
migrate (VdSqliteStore  *self,
         GError        **error)
{
  gboolean ok;

  if (!_vd_sqlite_store_exec (self, "PRAGMA foreign_keys = OFF", error))
    return FALSE;

  ok = migrate_in_transaction (self, error);

  if (!_vd_sqlite_store_exec (self, "PRAGMA foreign_keys = ON", ok ? error : NULL))
    return FALSE;

  return ok;
}

static gboolean
migrate_in_transaction (VdSqliteStore  *self,
                        GError        **error)
{
  g_autofree char *set_version = NULL;
  int version;

  if (!_vd_sqlite_store_exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;

  /* Read again inside the write lock: another process may have migrated. */
  if (!read_user_version (self, &version, error) ||
      !check_version (self, version, error))
    goto failed;

  if (version == VD_SQLITE_STORE_SCHEMA_VERSION)
    {
      if (!_vd_sqlite_store_exec (self, "COMMIT", error))
        goto failed;
      return TRUE;
    }

  for (int step = version; step < VD_SQLITE_STORE_SCHEMA_VERSION; step++)
    {
      g_debug ("Migrating %s from schema version %d to %d", self->path, step, step + 1);
      if (!_vd_sqlite_store_exec (self, migrations[step], error))
        goto failed;
    }

  set_version = g_strdup_printf ("PRAGMA user_version = %d", VD_SQLITE_STORE_SCHEMA_VERSION);
  if (!_vd_sqlite_store_exec (self, set_version, error) ||
      !foreign_keys_hold (self, error))
    goto failed;

  /* From here on every event is signed: say so in the trail itself, signed
   * by the installation key, in the migration's transaction. */
  if (version < SIGNED_SCHEMA_VERSION)
    {
      if (!read_tx_head (self, error) ||
          !_vd_sqlite_store_start_signing_locked (self, error))
        goto failed;

      /* Commits, recording the new head. */
      return _vd_sqlite_store_commit (self, error);
    }

  if (!_vd_sqlite_store_exec (self, "COMMIT", error))
    goto failed;

  return TRUE;

failed:
  sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  self->in_transaction = FALSE;
  return FALSE;
}

/* Reads the last row id the search index holds and the last row id of
 * the items. */
static gboolean
search_watermarks (VdSqliteStore  *self,
                   gint64         *indexed,
                   gint64         *last,
                   GError        **error)
{
  g_autoptr(VdSqliteCursor) stmt = NULL;

  stmt = _vd_sqlite_store_prepare (self,
                                   "SELECT (SELECT CAST (value AS INTEGER) FROM meta "
                                   "WHERE key = 'search_indexed_id'), "
                                   "(SELECT COALESCE (MAX (id), 0) FROM items)",
                                   error);
  if (stmt == NULL)
    return FALSE;

  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      _vd_sqlite_store_set_error (self, error, "Could not read the search index");
      return FALSE;
    }

  *indexed = sqlite3_column_int64 (stmt, 0);
  *last = sqlite3_column_int64 (stmt, 1);

  return TRUE;
}

/* Indexes the items added since the last commit (see migrations[7]) with
 * one statement. The caller holds a write transaction. */
gboolean
_vd_sqlite_store_index_new_items (VdSqliteStore  *self,
                                  GError        **error)
{
  sqlite3_stmt *stmt;
  gint64 indexed;
  gint64 last;

  if (!search_watermarks (self, &indexed, &last, error))
    return FALSE;
  if (last <= indexed)
    return TRUE;

  stmt = _vd_sqlite_store_prepare (self,
                                   "INSERT INTO items_search (rowid, task_id, task_description, "
                                   "context, content, reasoning) "
                                   "SELECT id, vd_casefold (task_id), "
                                   "vd_casefold (task_description), vd_casefold (context), "
                                   "vd_casefold (content), vd_casefold (reasoning) "
                                   "FROM items WHERE id > ?1 AND id <= ?2",
                                   error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, indexed);
  sqlite3_bind_int64 (stmt, 2, last);
  if (!_vd_sqlite_store_step_done (self, stmt, error))
    return FALSE;

  stmt = _vd_sqlite_store_prepare (self,
                                   "UPDATE meta SET value = ?1 WHERE key = 'search_indexed_id'",
                                   error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, last);

  return _vd_sqlite_store_step_done (self, stmt, error);
}

/* Reads an integer from meta. */
static gboolean
read_meta_int (VdSqliteStore  *self,
               const char     *sql,
               gint64         *value,
               GError        **error)
{
  g_autoptr(VdSqliteCursor) stmt = _vd_sqlite_store_prepare (self, sql, error);

  if (stmt == NULL)
    return FALSE;

  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      _vd_sqlite_store_set_error (self, error, "Could not read the statistics");
      return FALSE;
    }

  *value = sqlite3_column_int64 (stmt, 0);

  return TRUE;
}

/* Runs @sql binding ?1 and ?2 to the row ids (@from, @to]. */
static gboolean
run_range (VdSqliteStore  *self,
           const char     *sql,
           gint64          from,
           gint64          to,
           GError        **error)
{
  sqlite3_stmt *stmt = _vd_sqlite_store_prepare (self, sql, error);

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, from);
  sqlite3_bind_int64 (stmt, 2, to);

  return _vd_sqlite_store_step_done (self, stmt, error);
}

/* Adds the items and decisions written since the last commit to the
 * statistics (see migrations[7]). The caller holds a write transaction. */
gboolean
_vd_sqlite_store_count_new_rows (VdSqliteStore  *self,
                                 GError        **error)
{
  gint64 items_done, items_last, decisions_done, decisions_last;

  if (!read_meta_int (self,
                      "SELECT CAST (value AS INTEGER) FROM meta WHERE key = 'stats_item_id'",
                      &items_done, error) ||
      !read_meta_int (self, "SELECT COALESCE (MAX (id), 0) FROM items", &items_last, error) ||
      !read_meta_int (self,
                      "SELECT CAST (value AS INTEGER) FROM meta WHERE key = 'stats_decision_id'",
                      &decisions_done, error) ||
      !read_meta_int (self, "SELECT COALESCE (MAX (id), 0) FROM decisions", &decisions_last,
                      error))
    return FALSE;

  if (items_last > items_done &&
      (!run_range (self,
                   "INSERT INTO stats_items (queue, status, n, confidence_sum, n_confidence) "
                   "SELECT queue, status, COUNT(*), COALESCE (SUM (confidence), 0.0), "
                   "COUNT (confidence) FROM items "
                   "WHERE id > ?1 AND id <= ?2 GROUP BY queue, status "
                   "ON CONFLICT (queue, status) DO UPDATE SET n = n + excluded.n, "
                   "confidence_sum = confidence_sum + excluded.confidence_sum, "
                   "n_confidence = n_confidence + excluded.n_confidence",
                   items_done, items_last, error) ||
       !run_range (self,
                   "UPDATE meta SET value = ?2 WHERE key = 'stats_item_id' AND ?1 IS NOT NULL",
                   items_done, items_last, error)))
    return FALSE;

  if (decisions_last > decisions_done &&
      (!run_range (self,
                   "INSERT INTO stats_decisions (queue, decision, n) "
                   "SELECT queue, decision, COUNT(*) FROM decisions "
                   "WHERE id > ?1 AND id <= ?2 AND automatic = 0 AND retracted_seq IS NULL "
                   "AND final = 1 GROUP BY queue, decision "
                   "ON CONFLICT (queue, decision) DO UPDATE SET n = n + excluded.n",
                   decisions_done, decisions_last, error) ||
       !run_range (self,
                   "INSERT INTO stats_auto_approved (queue, n) "
                   "SELECT d.queue, COUNT(*) FROM decisions d "
                   "JOIN items i ON i.id = d.item_id AND i.revision = d.revision "
                   "WHERE d.id > ?1 AND d.id <= ?2 AND d.automatic = 1 "
                   "AND d.reviewer_id = '" VD_AUDIT_ACTOR_POLICY "' "
                   "AND d.retracted_seq IS NULL GROUP BY d.queue "
                   "ON CONFLICT (queue) DO UPDATE SET n = n + excluded.n",
                   decisions_done, decisions_last, error) ||
       !run_range (self, CAL_ADD_WHERE ("d.id > ?1 AND d.id <= ?2"),
                   decisions_done, decisions_last, error) ||
       !run_range (self, REVIEWERS_ADD_WHERE ("d.id > ?1 AND d.id <= ?2"),
                   decisions_done, decisions_last, error) ||
       !run_range (self, TIMELINE_ADD_WHERE ("d.id > ?1 AND d.id <= ?2"),
                   decisions_done, decisions_last, error) ||
       !run_range (self,
                   "UPDATE meta SET value = ?2 WHERE key = 'stats_decision_id' "
                   "AND ?1 IS NOT NULL",
                   decisions_done, decisions_last, error)))
    return FALSE;

  return TRUE;
}

/* Items and decisions another program added (or a migration to schema 8)
 * are indexed and counted when the store opens. */
static gboolean
index_new_items_at_open (VdSqliteStore  *self,
                         GError        **error)
{
  gint64 indexed;
  gint64 last;

  gint64 counted;
  gint64 decisions_counted;
  gint64 decisions_last;

  if (!search_watermarks (self, &indexed, &last, error) ||
      !read_meta_int (self,
                      "SELECT CAST (value AS INTEGER) FROM meta WHERE key = 'stats_item_id'",
                      &counted, error) ||
      !read_meta_int (self,
                      "SELECT CAST (value AS INTEGER) FROM meta WHERE key = 'stats_decision_id'",
                      &decisions_counted, error) ||
      !read_meta_int (self, "SELECT COALESCE (MAX (id), 0) FROM decisions", &decisions_last,
                      error))
    return FALSE;
  if (last <= indexed && last <= counted && decisions_last <= decisions_counted)
    return TRUE;

  return _vd_sqlite_store_begin (self, error) && _vd_sqlite_store_commit (self, error);
}

static gboolean
vd_sqlite_store_initable_init (GInitable     *initable,
                               GCancellable  *cancellable,
                               GError       **error)
{
  VdSqliteStore *self = VD_SQLITE_STORE (initable);
  g_autofree char *dir = NULL;
  int version;
  int rc;

  g_return_val_if_fail (self->db == NULL, FALSE);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  if (self->path == NULL)
    self->path = vd_sqlite_store_default_path ();

  dir = g_path_get_dirname (self->path);
  if (!g_file_test (dir, G_FILE_TEST_IS_DIR) && g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, VD_STORE_ERROR, VD_STORE_ERROR_FAILED,
                   "Could not create the folder %s for the database: %s",
                   dir, g_strerror (saved_errno));
      return FALSE;
    }

  rc = sqlite3_open_v2 (self->path, &self->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                        NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, VD_STORE_ERROR, VD_STORE_ERROR_FAILED,
                   "Could not open the database %s: %s",
                   self->path,
                   self->db != NULL ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc));
      g_clear_pointer (&self->db, sqlite3_close);
      return FALSE;
    }

  /* Readers never wait in WAL mode; a writer waits this long for another
   * process's write transaction before it fails with "database is locked". */
  sqlite3_busy_timeout (self->db, 5000);

  if (!_vd_sqlite_store_register_functions (self, error))
    goto failed;

  /* The installation key beside the database; a corrupt one fails the
   * open rather than leave a store that cannot sign. */
  self->signer = vd_signer_new_for_database (self->path, error);
  if (self->signer == NULL)
    goto failed;

  /* Refuse a newer schema before changing anything in the file; a current
   * one needs no migration, so no write lock. */
  if (!read_user_version (self, &version, error) ||
      !check_version (self, version, error))
    goto failed;

  if (!_vd_sqlite_store_exec (self, "PRAGMA journal_mode = WAL", error) ||
      !_vd_sqlite_store_exec (self, "PRAGMA synchronous = FULL", error) ||
      !_vd_sqlite_store_exec (self, "PRAGMA foreign_keys = ON", error) ||
      /* A large import spills out of the default 2 MiB page cache into the
       * WAL again and again; 32 MiB halves the time of a 100k-item import. */
      !_vd_sqlite_store_exec (self, "PRAGMA cache_size = -32768", error) ||
      /* ...and leaves a WAL as large as the database: cut it back after
       * the checkpoint. */
      !_vd_sqlite_store_exec (self, "PRAGMA journal_size_limit = 16777216", error))
    goto failed;

  if (version < VD_SQLITE_STORE_SCHEMA_VERSION && !migrate (self, error))
    goto failed;

  if (!index_new_items_at_open (self, error))
    goto failed;

  return TRUE;

failed:
  g_clear_object (&self->signer);
  g_clear_pointer (&self->db, sqlite3_close);
  return FALSE;
}

static VdSigner *
get_signer (VdStore *store)
{
  return VD_SQLITE_STORE (store)->signer;
}

static void
vd_sqlite_store_initable_iface_init (GInitableIface *iface)
{
  iface->init = vd_sqlite_store_initable_init;
}

static void
vd_sqlite_store_store_iface_init (VdStoreInterface *iface)
{
  iface->import_items = _vd_sqlite_store_import_items;
  iface->import_stream = _vd_sqlite_store_import_stream;
  iface->get_item = _vd_sqlite_store_get_item;
  iface->get_items_by_id = _vd_sqlite_store_get_items_by_id;
  iface->read_attachment = _vd_sqlite_store_read_attachment;
  iface->list_ids = _vd_sqlite_store_list_ids;
  iface->count_items = _vd_sqlite_store_count_items;
  iface->list_queues = _vd_sqlite_store_list_queues;
  iface->list_revisions = _vd_sqlite_store_list_revisions;
  iface->record_decision = _vd_sqlite_store_record_decision;
  iface->list_decisions = _vd_sqlite_store_list_decisions;
  iface->get_stats = _vd_sqlite_store_get_stats;
  iface->append_audit = _vd_sqlite_store_append_audit;
  iface->list_audit = _vd_sqlite_store_list_audit;
  iface->get_audit_head = _vd_sqlite_store_get_audit_head;
  iface->verify_audit = _vd_sqlite_store_verify_audit;
  iface->retract_decision = _vd_sqlite_store_retract_decision;
  iface->apply_fallbacks = _vd_sqlite_store_apply_fallbacks;
  iface->get_next_deadline = _vd_sqlite_store_get_next_deadline;
  iface->count_due = _vd_sqlite_store_count_due;
  iface->get_sla_record = _vd_sqlite_store_get_sla_record;
  iface->set_last_policy = _vd_sqlite_store_set_last_policy;
  iface->get_last_policy = _vd_sqlite_store_get_last_policy;
  iface->get_workload = _vd_sqlite_store_get_workload;
  iface->count_late = _vd_sqlite_store_count_late;
  iface->list_band = _vd_sqlite_store_list_band;
  iface->create_bulk_action = _vd_sqlite_store_create_bulk_action;
  iface->get_bulk_action = _vd_sqlite_store_get_bulk_action;
  iface->find_open_bulk_action = _vd_sqlite_store_find_open_bulk_action;
  iface->finish_bulk_action = _vd_sqlite_store_finish_bulk_action;
  iface->add_suggestion = _vd_sqlite_store_add_suggestion;
  iface->list_suggestions = _vd_sqlite_store_list_suggestions;
  iface->foreach_feedback = _vd_sqlite_store_foreach_feedback;
  iface->foreach_reviewer_decision = _vd_sqlite_store_foreach_reviewer_decision;
  iface->get_approval_rate = _vd_sqlite_store_get_approval_rate;
  iface->foreach_calibration = _vd_sqlite_store_foreach_calibration;
  iface->count_decisions = _vd_sqlite_store_count_decisions;
  iface->foreach_training_row = _vd_sqlite_store_foreach_training_row;
  iface->list_decisions_at_head = _vd_sqlite_store_list_decisions_at_head;
  iface->set_queue_policy = _vd_sqlite_store_set_queue_policy;
  iface->get_queue_policy = _vd_sqlite_store_get_queue_policy;
  iface->get_signer = get_signer;
  iface->get_audit_event = _vd_sqlite_store_get_audit_event;
  iface->watch = _vd_sqlite_store_watch;
  iface->unwatch = _vd_sqlite_store_unwatch;
  _vd_sqlite_store_claims_iface_init (iface);
}

static void
vd_sqlite_store_finalize (GObject *object)
{
  VdSqliteStore *self = (VdSqliteStore *)object;

  _vd_sqlite_store_unwatch (VD_STORE (self));
  g_mutex_clear (&self->watch_lock);

  /* Statements first: a connection with live statements does not close. */
  g_clear_pointer (&self->statements, g_hash_table_unref);
  g_clear_pointer (&self->text_statements, g_hash_table_unref);
  g_clear_pointer (&self->db, sqlite3_close);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->queue_policies, g_hash_table_unref);
  g_clear_object (&self->signer);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (vd_sqlite_store_parent_class)->finalize (object);
}

static void
vd_sqlite_store_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  VdSqliteStore *self = VD_SQLITE_STORE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vd_sqlite_store_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  VdSqliteStore *self = VD_SQLITE_STORE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_free (self->path);
      self->path = g_value_dup_string (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vd_sqlite_store_class_init (VdSqliteStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = vd_sqlite_store_finalize;
  object_class->get_property = vd_sqlite_store_get_property;
  object_class->set_property = vd_sqlite_store_set_property;

  /**
   * VdSqliteStore:path:
   *
   * The database file; %NULL at construction means the default path.
   */
  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
finalize_statement (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

static void
vd_sqlite_store_init (VdSqliteStore *self)
{
  g_mutex_init (&self->lock);
  g_mutex_init (&self->watch_lock);
  self->statements = g_hash_table_new_full (NULL, NULL, NULL, finalize_statement);
  self->text_statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                 finalize_statement);
}

/**
 * vd_sqlite_store_new:
 * @path: (nullable): the database file, or %NULL for
 *   vd_sqlite_store_default_path()
 * @error: return location for a #GError
 *
 * Opens (creating when missing, with its folder) and migrates a database.
 * A database written by a newer Verdict is refused with
 * %VD_STORE_ERROR_VERSION. Blocks on disk: UI code uses
 * vd_sqlite_store_new_async().
 *
 * Returns: (transfer full): the store, or %NULL with @error set
 */
VdSqliteStore *
vd_sqlite_store_new (const char  *path,
                     GError     **error)
{
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return g_initable_new (VD_TYPE_SQLITE_STORE, NULL, error, "path", path, NULL);
}

static void
new_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  GError *error = NULL;
  VdSqliteStore *store;

  store = g_initable_new (VD_TYPE_SQLITE_STORE, cancellable, &error,
                          "path", (const char *)task_data,
                          NULL);
  if (store == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, store, g_object_unref);
}

/**
 * vd_sqlite_store_new_async:
 * @path: (nullable): the database file, or %NULL for the default
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the store is open
 * @user_data: data for @callback
 *
 * Opens and migrates a database on a worker thread.
 */
void
vd_sqlite_store_new_async (const char          *path,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, vd_sqlite_store_new_async);
  g_task_set_task_data (task, g_strdup (path), g_free);
  g_task_run_in_thread (task, new_thread);
}

/**
 * vd_sqlite_store_new_finish:
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the store, or %NULL with @error set
 */
VdSqliteStore *
vd_sqlite_store_new_finish (GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == vd_sqlite_store_new_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * vd_sqlite_store_get_path:
 * @self: a store
 *
 * Returns: the database file
 */
const char *
vd_sqlite_store_get_path (VdSqliteStore *self)
{
  g_return_val_if_fail (VD_IS_SQLITE_STORE (self), NULL);

  return self->path;
}

/**
 * vd_sqlite_store_default_path:
 *
 * Returns: (transfer full): `$VERDICT_DB` when set, else
 *   `$XDG_DATA_HOME/verdict/verdict.db`
 */
char *
vd_sqlite_store_default_path (void)
{
  const char *env = g_getenv ("VERDICT_DB");

  if (env != NULL && env[0] != '\0')
    return g_strdup (env);

  return g_build_filename (g_get_user_data_dir (), "verdict", "verdict.db", NULL);
}
