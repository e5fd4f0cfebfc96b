-- The change feed (its table: migrations/024_change_feed.sql). Every function that changes a package, a session or
-- a client appends what it touched; desks read the table itself, what came after their place, under row security
-- (11_row_security.sql), on a poll of their own (tutor_desktop/db/feed.py). Nothing is sent with NOTIFY.
SET LOCAL ROLE tutor_owner;
SET LOCAL search_path = tutor;

-- The request id the current transaction claimed last (_claim_request), which the feed names as the change's
-- author so the desk that made it can skip its own echo. NULL when none was claimed.
CREATE OR REPLACE FUNCTION _current_request() RETURNS uuid
LANGUAGE sql STABLE SET search_path = tutor, pg_temp AS $$
    SELECT nullif(current_setting('tutor.request_id', true), '')::uuid;
$$;

-- Whether a tutor other than p_tutor_id has a session with the client: only then is a change written for the others.
CREATE OR REPLACE FUNCTION _others_teach(p_client_id bigint, p_tutor_id bigint) RETURNS boolean
LANGUAGE sql STABLE SET search_path = tutor, pg_temp AS $$
    SELECT EXISTS (SELECT 1 FROM sessions WHERE client_id = p_client_id AND tutor_id IS DISTINCT FROM p_tutor_id);
$$;

-- Appends one change. A change of a session is written as it is, for those who may read the session (its tutor,
-- front desk, admins), and, when another tutor also teaches the client, once more without the session, for them
-- (they may read the client's packages but not another tutor's session). The client and the session's tutor are
-- looked up when not given. Inside the writing transaction: it is seen when that commits, and never if it rolls
-- back.
CREATE OR REPLACE FUNCTION _announce(p_op text, p_package_id uuid, p_session_id uuid DEFAULT NULL,
                                     p_client_id bigint DEFAULT NULL)
RETURNS void
LANGUAGE sql SET search_path = tutor, pg_temp AS $$
    WITH c AS (
        SELECT coalesce(p_client_id, s.client_id, (SELECT p.client_id FROM packages p WHERE p.id = p_package_id))
                   AS client_id,
               s.tutor_id
          FROM (SELECT 1) one LEFT JOIN sessions s ON s.id = p_session_id
    )
    INSERT INTO change_feed (kind, package_id, session_id, client_id, tutor_id, for_others, request_id)
    SELECT p_op, p_package_id, p_session_id, c.client_id, c.tutor_id, false, _current_request() FROM c
    UNION ALL
    SELECT p_op, p_package_id, NULL, c.client_id, c.tutor_id, true, _current_request() FROM c
     WHERE p_session_id IS NOT NULL AND _others_teach(c.client_id, c.tutor_id);
$$;

-- Appends a change of a package and says its id (use_session, which takes it back if the use is refused).
CREATE OR REPLACE FUNCTION _announce_package(p_op text, p_package_id uuid) RETURNS bigint
LANGUAGE sql SET search_path = tutor, pg_temp AS $$
    INSERT INTO change_feed (kind, package_id, client_id, request_id)
    SELECT p_op, p.id, p.client_id, _current_request() FROM packages p WHERE p.id = p_package_id
    RETURNING id;
$$;

-- Appends the changes of many sessions at once (auto-complete): each session with the package it used, if any,
-- and for the client's other tutors (as _announce does) each package and client once.
CREATE OR REPLACE FUNCTION _announce_sessions(p_op text, p_sessions uuid[], p_packages uuid[]) RETURNS void
LANGUAGE sql SET search_path = tutor, pg_temp AS $$
    WITH r AS MATERIALIZED (SELECT _current_request() AS request_id), x AS MATERIALIZED (
        SELECT s.id, x.package_id, s.client_id, s.tutor_id
          FROM unnest(p_sessions, p_packages) AS x(session_id, package_id)
          JOIN sessions s ON s.id = x.session_id
    ), d AS (
        SELECT DISTINCT package_id, client_id, tutor_id FROM x
    )
    INSERT INTO change_feed (kind, package_id, session_id, client_id, tutor_id, for_others, request_id)
    SELECT p_op, x.package_id, x.id, x.client_id, x.tutor_id, false, r.request_id FROM x, r
    UNION ALL
    SELECT p_op, d.package_id, NULL, d.client_id, d.tutor_id, true, r.request_id FROM d, r
     WHERE EXISTS (SELECT 1 FROM sessions o WHERE o.client_id = d.client_id AND o.tutor_id <> d.tutor_id);
$$;

-- How long the feed keeps a change. A desk away for longer reads everything again when it comes back.
CREATE OR REPLACE FUNCTION _feed_window() RETURNS interval
LANGUAGE sql IMMUTABLE SET search_path = tutor, pg_temp AS $$
    SELECT interval '2 days';
$$;

-- Removes changes older than the window, at most p_limit of them (NULL: all), and says how many; remembers the
-- highest transaction whose rows went, so a desk whose place is behind it knows its gap cannot be served.
CREATE OR REPLACE FUNCTION _prune_changes(p_limit int) RETURNS int
LANGUAGE sql SET search_path = tutor, pg_temp AS $$
    WITH old AS (
        SELECT id FROM change_feed WHERE created_at < now() - _feed_window()
         ORDER BY created_at LIMIT p_limit FOR UPDATE SKIP LOCKED
    ), gone AS (
        DELETE FROM change_feed c USING old WHERE c.id = old.id RETURNING c.xid
    ), marked AS (
        UPDATE change_feed_pruned SET through = greatest(through, (SELECT max(xid) FROM gone))
         WHERE EXISTS (SELECT 1 FROM gone)
        RETURNING 1
    )
    SELECT count(*)::int FROM gone;
$$;
