-- security.sql: who may do what in a Verdict database on PostgreSQL,
-- applied by vd_pg_schema_init() after tables.sql, as the role that owns
-- the tables (verdict-cli team init). The database itself enforces it, so
-- it holds for psql as much as for Verdict.
--
-- Each person logs in as their own role (SCRAM-SHA-256); session_user is
-- the reviewer id. Group roles, cluster-wide:
--   verdict_reviewer  reads everything, decides, retracts, appends audit
--                     events, runs deadline fallbacks that are due
--   verdict_senior    a reviewer who may also decide escalated items
--   verdict_admin     a reviewer who may also import items, change queue
--                     policies and meta, and write automatic approvals
-- verdict_senior and verdict_admin are members of verdict_reviewer; an
-- admin is not a senior unless granted both.
--
-- The database refuses, with SQLSTATE 42501 (insufficient_privilege) and a
-- message "verdict: ROLE may not ...":
--   * a human decision (automatic = 0) whose reviewer_id is not
--     session_user, and an audit event whose actor is neither session_user
--     nor one of the automatic actors (system, policy, sla, agent);
--   * a human decision on an escalated item by a non-member of
--     verdict_senior, unless the decision is escalate_further;
--   * on an item that needs two reviews (items.reviews_required, until
--     its reviewers disagreed), a human decision by a reviewer who already
--     reviewed its revision, and a final one (final <> 0) without a first
--     review (final = 0) by another; a review changing the item's status
--     other than to escalated;
--   * an automatic decision other than a deadline fallback (reviewer_id
--     sla) on an item whose deadline has passed, or an import's automatic
--     approval (reviewer_id policy) by a non-admin;
--   * any UPDATE, DELETE or TRUNCATE of audit, for every role, owner
--     included (tables.sql's trigger, plus the revoked privileges here);
--     a chain-breaking INSERT is refused by tables.sql's audit_append;
--   * INSERT into items, any change to queue_policies or meta, and an
--     attachment's row by a non-admin;
--   * a change of an item's task (queue, task id, description, ...) by a
--     non-admin; a change of an item's status (by anyone), or of anything
--     else of it by a non-admin, without, in the same transaction, a
--     decisions row of that item written (a decision, an SLA fallback, a
--     retraction setting retracted_seq) or a revisions row of that item
--     inserted; a new revision number without that revision's row. "The
--     same transaction" is the row's xmin, so the rows must be written
--     outside savepoints;
--   * un-retracting a decision or retracting one twice;
--   * an installation key whose owner is not session_user;
--   * a claim made, renewed or released in another reviewer's name (an
--     expired claim may be taken over), and a human decision on an item
--     that another reviewer has claimed while the lease lasts (SQLSTATE
--     VDC01, for every role: see verdict_settle_claim).
-- The tables' owner (and a superuser) is trusted: it could drop any of
-- these rules, so only the audit trail's immutability and the installation
-- keys' owner bind it, and its rows still carry db_role = session_user.
-- Reviewers never log in as the owner.
-- The checks run as BEFORE triggers in SECURITY DEFINER functions (they
-- read the item whatever the caller may read); row-level security on
-- decisions, audit and installation_keys repeats the identity rules.
--
-- Safe to apply again: roles and policies are created when missing,
-- functions replaced, triggers recreated.

-- Group roles -------------------------------------------------------------

DO $$
DECLARE
  name text;
BEGIN
  FOREACH name IN ARRAY ARRAY['verdict_reviewer', 'verdict_senior', 'verdict_admin'] LOOP
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = name) THEN
      EXECUTE format ('CREATE ROLE %I NOLOGIN', name);
    END IF;
  END LOOP;
  IF NOT pg_catalog.pg_has_role ('verdict_senior', 'verdict_reviewer', 'MEMBER') THEN
    GRANT verdict_reviewer TO verdict_senior;
  END IF;
  IF NOT pg_catalog.pg_has_role ('verdict_admin', 'verdict_reviewer', 'MEMBER') THEN
    GRANT verdict_reviewer TO verdict_admin;
  END IF;
END;
$$;

-- Only Verdict's roles connect to this database.
DO $$
BEGIN
  EXECUTE format ('REVOKE CONNECT, TEMPORARY ON DATABASE %I FROM PUBLIC', current_database ());
  EXECUTE format ('GRANT CONNECT ON DATABASE %I TO verdict_reviewer', current_database ());
END;
$$;

-- Privileges ---------------------------------------------------------------

REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO verdict_reviewer;
GRANT SELECT ON ALL TABLES IN SCHEMA public TO verdict_reviewer;

-- Decisions, the trail and the head. SELECT ... FOR UPDATE needs an UPDATE
-- privilege: UPDATE (id) of audit_head gives the lock and nothing else
-- (id is 1 and must stay 1); audit_append advances the head as the owner.
GRANT INSERT ON decisions, audit TO verdict_reviewer;
GRANT UPDATE (retracted_seq, helpful, category) ON decisions TO verdict_reviewer;
REVOKE UPDATE, DELETE, TRUNCATE ON audit FROM verdict_reviewer, verdict_senior, verdict_admin;
GRANT UPDATE (id) ON audit_head TO verdict_reviewer;

-- Items, attachments, policies and meta: INSERT and UPDATE are granted to
-- every reviewer so that what a role may not do is refused by the
-- triggers below with a message naming it, not a bare "permission denied".
GRANT INSERT, UPDATE ON items, attachments, queue_policies, meta TO verdict_reviewer;
GRANT DELETE ON attachments, queue_policies TO verdict_admin;
GRANT INSERT ON revisions, feedback_suggestions, installation_keys TO verdict_reviewer;
GRANT INSERT, UPDATE ON bulk_actions, bulk_items TO verdict_reviewer;

-- Helpers ------------------------------------------------------------------

-- Whether session_user is an admin: a member of verdict_admin, or of the
-- role that owns the tables.
CREATE OR REPLACE FUNCTION verdict_is_admin () RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
  SELECT pg_has_role (session_user, 'verdict_admin', 'MEMBER')
      OR pg_has_role (session_user, (SELECT relowner FROM pg_class
                                     WHERE oid = 'public.items'::regclass), 'MEMBER');
$$;

CREATE OR REPLACE FUNCTION verdict_is_owner () RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
  SELECT pg_has_role (session_user, (SELECT relowner FROM pg_class
                                     WHERE oid = 'public.items'::regclass), 'MEMBER');
$$;

CREATE OR REPLACE FUNCTION verdict_refuse (message text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION USING MESSAGE = 'verdict: ' || message, ERRCODE = 'insufficient_privilege';
END;
$$;

-- Decisions ----------------------------------------------------------------

CREATE OR REPLACE FUNCTION verdict_check_decision () RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
  item items%ROWTYPE;
  who text := session_user;
  what text;
  now_usec bigint := (extract (epoch FROM clock_timestamp ()) * 1000000)::bigint;
BEGIN
  SELECT * INTO item FROM items WHERE id = NEW.item_id;
  what := coalesce (item.queue || '/' || item.task_id, NEW.queue || '/' || NEW.task_id);
  NEW.db_role := who;
  IF verdict_is_owner () THEN
    RETURN NEW;
  END IF;

  IF NEW.automatic = 0 THEN
    IF NEW.reviewer_id IS DISTINCT FROM who THEN
      PERFORM verdict_refuse (format ('%s may not decide %s as %s: a decision is recorded as '
                                      'the role that is logged in', who, what, NEW.reviewer_id));
    END IF;
    IF item.status = 'escalated' AND NEW.decision <> 'escalate_further'
       AND NOT pg_has_role (who, 'verdict_senior', 'MEMBER') THEN
      PERFORM verdict_refuse (format ('%s may not decide %s: the item is escalated and %s is '
                                      'not a member of verdict_senior', who, what, who));
    END IF;
    -- Four-eyes review: until two reviewers have disagreed, an item that
    -- needs two reviews is decided by two different reviewers, the first
    -- writing a review (final = 0).
    IF item.reviews_required > 1
       AND item.escalation_reason IS DISTINCT FROM 'reviewers_disagree' THEN
      IF EXISTS (SELECT 1 FROM decisions d
                 WHERE d.item_id = NEW.item_id AND d.revision = NEW.revision
                   AND d.final = 0 AND d.retracted_seq IS NULL
                   AND d.reviewer_id = NEW.reviewer_id) THEN
        PERFORM verdict_refuse (format ('%s may not decide %s again: %s has already reviewed '
                                        'it and the policy requires two reviews by two '
                                        'reviewers', who, what, NEW.reviewer_id));
      END IF;
      IF NEW.final <> 0
         AND NOT EXISTS (SELECT 1 FROM decisions d
                         WHERE d.item_id = NEW.item_id AND d.revision = NEW.revision
                           AND d.final = 0 AND d.retracted_seq IS NULL) THEN
        PERFORM verdict_refuse (format ('%s may not decide %s alone: the policy requires two '
                                        'reviews, and a first review is recorded with '
                                        'final = 0', who, what));
      END IF;
    END IF;
  ELSIF NEW.reviewer_id = 'sla' THEN
    IF coalesce (least (item.due_at, item.sla_deadline), now_usec + 1) > now_usec THEN
      PERFORM verdict_refuse (format ('%s may not apply a deadline fallback to %s: its deadline '
                                      'has not passed', who, what));
    END IF;
  ELSIF NEW.reviewer_id = 'policy' THEN
    IF NOT verdict_is_admin () THEN
      PERFORM verdict_refuse (format ('%s may not approve %s automatically: automatic approvals '
                                      'at import need verdict_admin', who, what));
    END IF;
  ELSE
    PERFORM verdict_refuse (format ('%s may not record an automatic decision on %s as %s: only '
                                    'sla (a deadline fallback) and policy (an import) decide '
                                    'automatically', who, what, NEW.reviewer_id));
  END IF;
  RETURN NEW;
END;
$$;
DROP TRIGGER IF EXISTS decisions_check ON decisions;
CREATE TRIGGER decisions_check BEFORE INSERT ON decisions
  FOR EACH ROW EXECUTE FUNCTION verdict_check_decision ();

-- A retraction sets retracted_seq once; nothing else of a decision changes
-- but the feedback marks.
CREATE OR REPLACE FUNCTION verdict_check_decision_update () RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
  IF OLD.retracted_seq IS NOT NULL AND NEW.retracted_seq IS DISTINCT FROM OLD.retracted_seq THEN
    PERFORM verdict_refuse (format ('%s may not change the retraction of decision %s on %s/%s: '
                                    'it was retracted by audit event %s', session_user, OLD.id,
                                    OLD.queue, OLD.task_id, OLD.retracted_seq));
  END IF;
  RETURN NEW;
END;
$$;
DROP TRIGGER IF EXISTS decisions_check_update ON decisions;
CREATE TRIGGER decisions_check_update BEFORE UPDATE ON decisions
  FOR EACH ROW EXECUTE FUNCTION verdict_check_decision_update ();

ALTER TABLE decisions ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS decisions_read ON decisions;
CREATE POLICY decisions_read ON decisions FOR SELECT TO verdict_reviewer USING (true);
DROP POLICY IF EXISTS decisions_insert ON decisions;
CREATE POLICY decisions_insert ON decisions FOR INSERT TO verdict_reviewer
  WITH CHECK (db_role = session_user AND (automatic <> 0 OR reviewer_id = session_user));
DROP POLICY IF EXISTS decisions_retract ON decisions;
CREATE POLICY decisions_retract ON decisions FOR UPDATE TO verdict_reviewer
  USING (true) WITH CHECK (true);

-- The audit trail ------------------------------------------------------------

-- Fires before tables.sql's audit_append (triggers run in name order).
CREATE OR REPLACE FUNCTION verdict_check_audit () RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
  who text := session_user;
BEGIN
  NEW.db_role := who;
  IF verdict_is_owner () THEN
    RETURN NEW;
  END IF;
  IF NEW.actor IS DISTINCT FROM who
     AND NEW.actor NOT IN ('system', 'policy', 'sla', 'agent') THEN
    PERFORM verdict_refuse (format ('%s may not write the audit event %s on %s/%s as %s: events '
                                    'are recorded as the role that is logged in', who, NEW.event,
                                    NEW.queue, NEW.task_id, NEW.actor));
  END IF;
  RETURN NEW;
END;
$$;
DROP TRIGGER IF EXISTS audit_actor ON audit;
CREATE TRIGGER audit_actor BEFORE INSERT ON audit
  FOR EACH ROW EXECUTE FUNCTION verdict_check_audit ();

-- audit_append moves the head, which reviewers may lock but not write.
ALTER FUNCTION audit_append () SECURITY DEFINER SET search_path = pg_catalog, public;

ALTER TABLE audit ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS audit_read ON audit;
CREATE POLICY audit_read ON audit FOR SELECT TO verdict_reviewer USING (true);
DROP POLICY IF EXISTS audit_insert ON audit;
CREATE POLICY audit_insert ON audit FOR INSERT TO verdict_reviewer
  WITH CHECK (db_role = session_user
              AND (actor = session_user OR actor IN ('system', 'policy', 'sla', 'agent')));

-- Items ----------------------------------------------------------------------

-- Whether this transaction wrote a decisions row of the item (inserted, or
-- updated by a retraction), or inserted its revision.
CREATE OR REPLACE FUNCTION verdict_item_written_now (item_id bigint, revision bigint)
RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
  SELECT EXISTS (SELECT 1 FROM decisions d
                 WHERE d.item_id = $1 AND d.xmin = pg_current_xact_id ()::xid)
      OR EXISTS (SELECT 1 FROM revisions r
                 WHERE r.item_id = $1 AND ($2 IS NULL OR r.revision = $2)
                   AND r.xmin = pg_current_xact_id ()::xid);
$$;

CREATE OR REPLACE FUNCTION verdict_check_item () RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
  who text := session_user;
  admin boolean := verdict_is_admin ();
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NOT admin THEN
      PERFORM verdict_refuse (format ('%s may not import %s/%s: imports need verdict_admin',
                                      who, NEW.queue, NEW.task_id));
    END IF;
    RETURN NEW;
  END IF;

  IF verdict_is_owner () THEN
    RETURN NEW;
  END IF;
  IF NOT admin
     AND (NEW.queue, NEW.task_id, NEW.task_description, NEW.task_type, NEW.context,
          NEW.created_at, NEW.imported_at, NEW.priority, NEW.reviews_required,
          NEW.expected_decision, NEW.source, NEW.task_content_type, NEW.context_content_type)
         IS DISTINCT FROM
         (OLD.queue, OLD.task_id, OLD.task_description, OLD.task_type, OLD.context,
          OLD.created_at, OLD.imported_at, OLD.priority, OLD.reviews_required,
          OLD.expected_decision, OLD.source, OLD.task_content_type, OLD.context_content_type) THEN
    PERFORM verdict_refuse (format ('%s may not change the task of %s/%s: re-imports need '
                                    'verdict_admin', who, OLD.queue, OLD.task_id));
  END IF;
  IF NEW.revision IS DISTINCT FROM OLD.revision
     AND NOT verdict_item_written_now (NEW.id, NEW.revision) THEN
    PERFORM verdict_refuse (format ('%s may not change %s/%s to revision %s without inserting '
                                    'that revision in the same transaction', who, OLD.queue,
                                    OLD.task_id, NEW.revision));
  END IF;
  IF (NEW.status IS DISTINCT FROM OLD.status OR NOT admin)
     AND NOT verdict_item_written_now (NEW.id, NULL) THEN
    PERFORM verdict_refuse (format ('%s may not change %s/%s (status %s to %s) without a '
                                    'decision, retraction, deadline fallback or revision '
                                    'written in the same transaction', who, OLD.queue,
                                    OLD.task_id, OLD.status, NEW.status));
  END IF;
  -- A review (final = 0) leaves the item's status as it is, unless it
  -- disagrees with the first review and escalates the item.
  IF NEW.status IS DISTINCT FROM OLD.status AND NEW.status <> 'escalated'
     AND NOT EXISTS (SELECT 1 FROM decisions d
                     WHERE d.item_id = NEW.id AND d.xmin = pg_current_xact_id ()::xid
                       AND (d.final <> 0 OR d.retracted_seq IS NOT NULL))
     AND NOT EXISTS (SELECT 1 FROM revisions r
                     WHERE r.item_id = NEW.id AND r.xmin = pg_current_xact_id ()::xid) THEN
    PERFORM verdict_refuse (format ('%s may not change %s/%s (status %s to %s) with a review: '
                                    'a first review of two leaves the item %s', who, OLD.queue,
                                    OLD.task_id, OLD.status, NEW.status, OLD.status));
  END IF;
  -- An escalated item leaves that state by a senior's decision, a further
  -- escalation, a fallback or a retraction.
  IF OLD.status = 'escalated' AND NEW.status IS DISTINCT FROM OLD.status
     AND NOT pg_has_role (who, 'verdict_senior', 'MEMBER')
     AND NOT EXISTS (SELECT 1 FROM decisions d
                     WHERE d.item_id = NEW.id AND d.xmin = pg_current_xact_id ()::xid
                       AND (d.decision = 'escalate_further' OR d.automatic <> 0
                            OR d.retracted_seq IS NOT NULL)) THEN
    PERFORM verdict_refuse (format ('%s may not decide %s/%s: the item is escalated and %s is '
                                    'not a member of verdict_senior', who, OLD.queue,
                                    OLD.task_id, who));
  END IF;
  RETURN NEW;
END;
$$;
DROP TRIGGER IF EXISTS items_check ON items;
CREATE TRIGGER items_check BEFORE INSERT OR UPDATE ON items
  FOR EACH ROW EXECUTE FUNCTION verdict_check_item ();

-- Admin-only tables --------------------------------------------------------

CREATE OR REPLACE FUNCTION verdict_check_admin_table () RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
  what text;
BEGIN
  IF verdict_is_admin () THEN
    IF TG_OP = 'DELETE' THEN
      RETURN OLD;
    END IF;
    RETURN NEW;
  END IF;
  IF TG_TABLE_NAME = 'queue_policies' THEN
    IF TG_OP = 'DELETE' THEN
      what := format ('change the policy of queue %s', OLD.queue);
    ELSE
      what := format ('change the policy of queue %s', NEW.queue);
    END IF;
  ELSIF TG_TABLE_NAME = 'meta' THEN
    IF TG_OP = 'DELETE' THEN
      what := format ('change the setting %s', OLD.key);
    ELSE
      what := format ('change the setting %s', NEW.key);
    END IF;
  ELSIF TG_OP = 'DELETE' THEN
    what := format ('change the attachments of item %s', OLD.item_id);
  ELSE
    what := format ('change the attachments of item %s', NEW.item_id);
  END IF;
  PERFORM verdict_refuse (format ('%s may not %s: it needs verdict_admin', session_user, what));
  RETURN NULL;
END;
$$;
DROP TRIGGER IF EXISTS queue_policies_check ON queue_policies;
CREATE TRIGGER queue_policies_check BEFORE INSERT OR UPDATE OR DELETE ON queue_policies
  FOR EACH ROW EXECUTE FUNCTION verdict_check_admin_table ();
DROP TRIGGER IF EXISTS meta_check ON meta;
CREATE TRIGGER meta_check BEFORE INSERT OR UPDATE OR DELETE ON meta
  FOR EACH ROW EXECUTE FUNCTION verdict_check_admin_table ();
DROP TRIGGER IF EXISTS attachments_check ON attachments;
CREATE TRIGGER attachments_check BEFORE INSERT OR UPDATE OR DELETE ON attachments
  FOR EACH ROW EXECUTE FUNCTION verdict_check_admin_table ();

-- Installation keys --------------------------------------------------------

CREATE OR REPLACE FUNCTION verdict_check_installation_key () RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
  IF NEW.owner IS DISTINCT FROM session_user THEN
    PERFORM verdict_refuse (format ('%s may not register the installation key %s for %s',
                                    session_user, NEW.key_id, NEW.owner));
  END IF;
  RETURN NEW;
END;
$$;
DROP TRIGGER IF EXISTS installation_keys_check ON installation_keys;
CREATE TRIGGER installation_keys_check BEFORE INSERT ON installation_keys
  FOR EACH ROW EXECUTE FUNCTION verdict_check_installation_key ();

ALTER TABLE installation_keys ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS installation_keys_read ON installation_keys;
CREATE POLICY installation_keys_read ON installation_keys FOR SELECT TO verdict_reviewer
  USING (true);
DROP POLICY IF EXISTS installation_keys_insert ON installation_keys;
CREATE POLICY installation_keys_insert ON installation_keys FOR INSERT TO verdict_reviewer
  WITH CHECK (owner = session_user);

REVOKE ALL ON FUNCTION verdict_is_admin (), verdict_is_owner (),
  verdict_item_written_now (bigint, bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION verdict_is_admin (), verdict_is_owner (),
  verdict_item_written_now (bigint, bigint) TO verdict_reviewer;

-- Claims ---------------------------------------------------------------------

-- A reviewer makes, renews and releases claims as themself; an expired
-- claim of someone else may be taken over (updated to one's own).
GRANT INSERT, UPDATE, DELETE ON claims TO verdict_reviewer;
ALTER TABLE claims ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS claims_read ON claims;
CREATE POLICY claims_read ON claims FOR SELECT TO verdict_reviewer USING (true);
DROP POLICY IF EXISTS claims_insert ON claims;
CREATE POLICY claims_insert ON claims FOR INSERT TO verdict_reviewer
  WITH CHECK (reviewer_id = session_user);
DROP POLICY IF EXISTS claims_update ON claims;
CREATE POLICY claims_update ON claims FOR UPDATE TO verdict_reviewer
  USING (reviewer_id = session_user OR expires_at <= verdict_now_usec ())
  WITH CHECK (reviewer_id = session_user);
DROP POLICY IF EXISTS claims_delete ON claims;
CREATE POLICY claims_delete ON claims FOR DELETE TO verdict_reviewer
  USING (reviewer_id = session_user);

-- A human decision on an item that another reviewer has claimed, while
-- the lease lasts, is refused for every role, the owner included, with
-- SQLSTATE VDC01 (the store reports it as "claimed"): the message names
-- who holds the claim and until when (the server's time of day), the
-- detail ends with the lease's end in microseconds since the epoch, in
-- parentheses. Any decision ends the item's claim in its transaction. The
-- item's row is locked first, so that no claim slips in before the commit.
CREATE OR REPLACE FUNCTION verdict_settle_claim () RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
  item items%ROWTYPE;
  claim claims%ROWTYPE;
BEGIN
  SELECT * INTO item FROM items WHERE id = NEW.item_id FOR UPDATE;
  SELECT * INTO claim FROM claims WHERE item_id = NEW.item_id;
  IF NOT FOUND THEN
    RETURN NEW;
  END IF;
  IF NEW.automatic = 0 AND claim.reviewer_id IS DISTINCT FROM NEW.reviewer_id
     AND claim.expires_at > verdict_now_usec () THEN
    RAISE EXCEPTION USING
      MESSAGE = format ('verdict: %s is reviewing %s/%s until %s', claim.reviewer_id,
                        item.queue, item.task_id,
                        to_char (to_timestamp (claim.expires_at / 1000000.0), 'HH24:MI')),
      DETAIL = format ('%s may not decide it while the claim lasts (%s)', NEW.reviewer_id,
                       claim.expires_at),
      ERRCODE = 'VDC01';
  END IF;
  DELETE FROM claims WHERE item_id = NEW.item_id;
  RETURN NEW;
END;
$$;
-- After decisions_check (triggers run in name order): identity first.
DROP TRIGGER IF EXISTS decisions_claim ON decisions;
CREATE TRIGGER decisions_claim BEFORE INSERT ON decisions
  FOR EACH ROW EXECUTE FUNCTION verdict_settle_claim ();
