-- tables.sql: the data tables and indexes of a Verdict database on
-- PostgreSQL, applied by vd_pg_schema_init() before security.sql.
--
-- Table and column names are those of the SQLite store's schema 10
-- (src/core/store/vd-sqlite-store.c), so that queries read alike on both.
-- Timestamps are integer microseconds since the epoch, JSON is text and
-- booleans are integers 0/1, as in SQLite. Not ported: the search index
-- (search uses ILIKE) and the statistics tables (the figures scan).
--
-- Additions on PostgreSQL: who was logged in (audit.db_role,
-- decisions.db_role), the audit head that serialises appends
-- (audit_head), every installation's public key (installation_keys), the
-- number of reviews an item needs (items.reviews_required) and whether a
-- decision is final (decisions.final), a notification on every
-- appended audit event (channel verdict_audit, payload its seq), and on
-- every change of a claim (channel verdict_claims, payload the item's id).

CREATE TABLE meta (
  key text PRIMARY KEY,
  value text NOT NULL
);

CREATE TABLE items (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  queue text NOT NULL,
  task_id text NOT NULL,
  task_description text NOT NULL DEFAULT '',
  task_type text NOT NULL DEFAULT '',
  context text NOT NULL DEFAULT '',
  content text NOT NULL DEFAULT '',
  confidence double precision,
  reasoning text NOT NULL DEFAULT '',
  metadata text NOT NULL DEFAULT '{}',
  escalation_reason text,
  escalation_detail text NOT NULL DEFAULT '',
  created_at bigint NOT NULL,
  imported_at bigint NOT NULL,
  due_at bigint,
  priority bigint NOT NULL DEFAULT 0,
  revision bigint NOT NULL DEFAULT 0,
  status text NOT NULL,
  expected_decision text,
  audit_seq bigint NOT NULL DEFAULT 0,
  sla_fallback text,
  sla_configured text,
  sla_rule text,
  sla_deadline bigint,
  sla_applied_at bigint,
  task_content_type text,
  context_content_type text,
  output_content_type text,
  source text,
  reviews_required integer NOT NULL DEFAULT 1,
  -- What a search looks in: task_id, task_description, context, content
  -- and reasoning, each case folded by the client (NFKC, Unicode case
  -- folding, NFKC, as the SQLite backend folds), between U+001F.
  search_text text NOT NULL DEFAULT '',
  UNIQUE (queue, task_id)
);
CREATE INDEX items_status_confidence ON items (status, confidence);
CREATE INDEX items_status_created ON items (status, created_at);
CREATE INDEX items_task_id ON items (task_id);
CREATE INDEX items_status_due ON items (status, (due_at IS NULL), due_at);
CREATE INDEX items_queue_status_confidence ON items (queue, status, confidence);
CREATE INDEX items_queue_status_due ON items (queue, status, (due_at IS NULL), due_at);
CREATE INDEX items_queue_status_created ON items (queue, status, created_at);
CREATE INDEX items_sla_due ON items (due_at)
  WHERE sla_fallback IS NULL AND due_at IS NOT NULL
  AND status IN ('pending', 'in_review', 'escalated');
CREATE INDEX items_imported ON items (imported_at);
-- The order in which vd_pg_store_claim_next() hands out undecided items:
-- without it, each claim sorts the whole undecided queue.
CREATE INDEX items_claim_order ON items ((due_at IS NULL), due_at, created_at, id)
  WHERE status IN ('pending', 'in_review', 'escalated');

CREATE TABLE revisions (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  item_id bigint NOT NULL REFERENCES items (id),
  revision bigint NOT NULL,
  content text NOT NULL,
  confidence double precision,
  reasoning text NOT NULL,
  metadata text NOT NULL,
  feedback text NOT NULL DEFAULT '',
  created_at bigint NOT NULL,
  UNIQUE (item_id, revision)
);

CREATE TABLE decisions (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  item_id bigint NOT NULL REFERENCES items (id),
  queue text NOT NULL,
  task_id text NOT NULL,
  revision bigint NOT NULL,
  decision text NOT NULL,
  feedback text NOT NULL DEFAULT '',
  modified_content text NOT NULL DEFAULT '',
  reviewer_id text NOT NULL,
  automatic integer NOT NULL DEFAULT 0,
  timestamp bigint NOT NULL,
  duration_ms bigint NOT NULL DEFAULT 0,
  final_output text NOT NULL DEFAULT '',
  audit_seq bigint NOT NULL,
  audit_hash text NOT NULL,
  audit_prev_hash text NOT NULL,
  retracted_seq bigint,
  previous_status text,
  bulk_id bigint,
  helpful integer,
  category text,
  policy_sha256 text,
  model text,
  prompt_version text,
  app_version text,
  final integer NOT NULL DEFAULT 1,
  db_role text NOT NULL DEFAULT session_user
);
CREATE INDEX decisions_item ON decisions (item_id, revision);
CREATE INDEX decisions_queue_task ON decisions (queue, task_id);
CREATE INDEX decisions_timestamp ON decisions (timestamp);
CREATE INDEX decisions_reviewer_timestamp ON decisions (reviewer_id, timestamp)
  WHERE automatic = 0;
CREATE INDEX decisions_helpful ON decisions (id) WHERE helpful IS NOT NULL;

CREATE TABLE audit (
  seq bigint PRIMARY KEY,
  timestamp text NOT NULL,
  actor text NOT NULL,
  event text NOT NULL,
  queue text NOT NULL DEFAULT '',
  task_id text NOT NULL DEFAULT '',
  payload text NOT NULL,
  prev_hash text NOT NULL,
  hash text NOT NULL,
  key_id text,
  signature text,
  db_role text NOT NULL DEFAULT session_user
);

-- The last event of the chain: one row, seq 0 and the genesis hash while
-- the trail is empty. A writing transaction locks it first (SELECT ...
-- FOR UPDATE), which makes appends from every connection one chain.
CREATE TABLE audit_head (
  id integer PRIMARY KEY CHECK (id = 1),
  seq bigint NOT NULL,
  hash text NOT NULL
);
INSERT INTO audit_head (id, seq, hash)
  VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- An appended event must follow the head; it becomes the head, and the
-- listeners of verdict_audit hear its seq when the transaction commits.
CREATE FUNCTION audit_append () RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  head audit_head%ROWTYPE;
BEGIN
  SELECT * INTO head FROM audit_head WHERE id = 1 FOR UPDATE;
  IF NEW.seq <> head.seq + 1 OR NEW.prev_hash <> head.hash THEN
    RAISE EXCEPTION 'audit event % does not follow the audit head % (%)',
      NEW.seq, head.seq, head.hash
      USING ERRCODE = 'serialization_failure';
  END IF;
  UPDATE audit_head SET seq = NEW.seq, hash = NEW.hash WHERE id = 1;
  PERFORM pg_notify ('verdict_audit', NEW.seq::text);
  RETURN NEW;
END;
$$;
CREATE TRIGGER audit_append BEFORE INSERT ON audit
  FOR EACH ROW EXECUTE FUNCTION audit_append ();

CREATE FUNCTION audit_append_only () RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the audit trail is append-only'
    USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER audit_no_update BEFORE UPDATE OR DELETE ON audit
  FOR EACH ROW EXECUTE FUNCTION audit_append_only ();
CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit
  FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only ();

CREATE TABLE installation_keys (
  key_id text PRIMARY KEY,
  public_key text NOT NULL,
  owner text NOT NULL DEFAULT session_user,
  created_at bigint NOT NULL
);

CREATE TABLE bulk_actions (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  queue text NOT NULL,
  band text NOT NULL,
  seed bigint NOT NULL,
  sample_percent double precision NOT NULL,
  sample text NOT NULL,
  created_by text NOT NULL,
  created_at bigint NOT NULL,
  state text NOT NULL,
  finished_at bigint,
  outcome text NOT NULL DEFAULT '',
  n_approved bigint NOT NULL DEFAULT 0,
  audit_seq bigint NOT NULL
);
CREATE INDEX bulk_actions_open ON bulk_actions (band, created_by)
  WHERE state = 'sampling';

CREATE TABLE bulk_items (
  bulk_id bigint NOT NULL REFERENCES bulk_actions (id),
  item_id bigint NOT NULL REFERENCES items (id),
  revision bigint NOT NULL,
  sampled integer NOT NULL,
  PRIMARY KEY (bulk_id, item_id)
);

CREATE TABLE feedback_suggestions (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  text text NOT NULL,
  reviewer_id text NOT NULL,
  queue text NOT NULL DEFAULT '',
  task_id text NOT NULL DEFAULT '',
  created_at bigint NOT NULL,
  audit_seq bigint NOT NULL
);

CREATE TABLE queue_policies (
  queue text PRIMARY KEY,
  policy text NOT NULL,
  source text NOT NULL DEFAULT '',
  chosen_at bigint NOT NULL
);

-- An attachment's bytes live in the row (data, NULL for a link).
CREATE TABLE attachments (
  item_id bigint NOT NULL REFERENCES items (id),
  position integer NOT NULL,
  name text NOT NULL,
  media_type text NOT NULL,
  sha256 text,
  size bigint NOT NULL DEFAULT 0,
  url text,
  data bytea,
  PRIMARY KEY (item_id, position)
);
CREATE INDEX attachments_sha256 ON attachments (sha256) WHERE data IS NOT NULL;

-- The database's clock in microseconds since the epoch, as every stamp:
-- the start of the transaction, the same for all its statements.
CREATE FUNCTION verdict_now_usec () RETURNS bigint
LANGUAGE sql STABLE AS $$
  SELECT (extract (epoch FROM now ()) * 1000000)::bigint;
$$;

-- Claims with leases: a reviewer working on an undecided item. A claim
-- whose expires_at has passed counts as none and is taken over by the
-- next claim; a decision on the item deletes it (security.sql). Claims are
-- working state, not audited.
CREATE TABLE claims (
  item_id bigint PRIMARY KEY REFERENCES items (id),
  reviewer_id text NOT NULL,
  claimed_at bigint NOT NULL,
  expires_at bigint NOT NULL
);
CREATE INDEX claims_expires ON claims (expires_at);

-- The listeners of verdict_claims hear the item id of every claim made,
-- renewed, taken over or released, when the transaction commits.
CREATE FUNCTION claims_notify () RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM pg_notify ('verdict_claims', OLD.item_id::text);
  ELSE
    PERFORM pg_notify ('verdict_claims', NEW.item_id::text);
  END IF;
  RETURN NULL;
END;
$$;
CREATE TRIGGER claims_notify AFTER INSERT OR UPDATE OR DELETE ON claims
  FOR EACH ROW EXECUTE FUNCTION claims_notify ();
