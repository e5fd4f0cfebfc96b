-- Auto-complete in time proportional to the sessions it completes. The version of 005 counted, for every
-- package, the sessions booked on it with a subquery over all of the run's charges, four times over: 10 x the
-- sessions took 50 x the time. Here those counts are grouped once and joined, and the run's sessions and packages
-- are joined from their arrays rather than looked up in them. Same rules, same order of drawing, same locks.
-- The public auto_complete_sessions (011) calls this internal body; its owner, privileges (none), settings and
-- SECURITY INVOKER stay as they are: CREATE OR REPLACE keeps the owner and the grants.
SET LOCAL ROLE tutor_owner;
SET LOCAL search_path = tutor;

CREATE OR REPLACE FUNCTION _auto_complete_sessions(p_before timestamptz DEFAULT now())
RETURNS TABLE(completed int, deducted int)
LANGUAGE plpgsql SECURITY INVOKER SET search_path = tutor, pg_temp AS $$
#variable_conflict use_column
DECLARE
    v_ids      uuid[];
    v_packages uuid[];
    v_charged  uuid[];
    v_deducted int;
BEGIN
    IF p_before IS NULL THEN
        PERFORM _fail('TD422', 'Auto-complete needs a cut-off time.');
    END IF;
    IF p_before > now() THEN
        PERFORM _fail('TD422', 'Auto-complete only marks sessions that are over; the cut-off cannot be in the future.');
    END IF;
    WITH due AS (
        SELECT id FROM sessions WHERE status = 'scheduled' AND ends_at < p_before
         ORDER BY id FOR NO KEY UPDATE SKIP LOCKED
    ), marked AS (
        UPDATE sessions s SET status = 'done', updated_by = session_user, updated_at = now()
          FROM due WHERE s.id = due.id
        RETURNING s.id
    )
    SELECT coalesce(array_agg(id), '{}') INTO v_ids FROM marked;
    IF cardinality(v_ids) = 0 THEN
        RETURN QUERY SELECT 0, 0;
        RETURN;
    END IF;

    -- Lock every package these sessions may draw from, in one order, so that parallel runs queue. Only these
    -- are drawn from below: their room cannot change under us.
    SELECT coalesce(array_agg(id), '{}') INTO v_packages FROM (
        SELECT p.id FROM packages p
         WHERE p.id IN (SELECT package_id FROM sessions WHERE id = ANY (v_ids))
            OR p.client_id IN (SELECT client_id FROM sessions WHERE id = ANY (v_ids) AND package_id IS NULL)
         ORDER BY p.id FOR NO KEY UPDATE
    ) locked;

    WITH s AS (
        SELECT x.id, x.client_id, x.package_id, x.ends_at FROM unnest(v_ids) AS d(id) JOIN sessions x ON x.id = d.id
    ), pk AS (
        SELECT p.id, p.client_id, p.expires_at, p.purchased_at, p.sessions_total - p.sessions_used AS room
          FROM unnest(v_packages) AS l(id) JOIN packages p ON p.id = l.id
         WHERE p.status = 'active' AND (p.expires_at IS NULL OR p.expires_at > now())
    ), own_package AS (   -- sessions booked on a package take from it, earliest first, while it has room
        SELECT x.id AS session_id, x.package_id
          FROM (SELECT s.*, row_number() OVER (PARTITION BY s.package_id ORDER BY s.ends_at, s.id) AS k
                  FROM s WHERE s.package_id IS NOT NULL) x
          JOIN pk ON pk.id = x.package_id
         WHERE x.k <= pk.room
    ), own_taken AS (     -- how many each package gave to its own bookings, counted once per package
        SELECT package_id, count(*)::int AS n FROM own_package GROUP BY package_id
    ), slots AS (         -- what is left, laid end to end per client in the order packages are drawn from
        SELECT l.id, l.client_id, sum(l.left_room) OVER w - l.left_room AS lo, sum(l.left_room) OVER w AS hi
          FROM (SELECT pk.*, pk.room - coalesce(t.n, 0) AS left_room
                  FROM pk LEFT JOIN own_taken t ON t.package_id = pk.id) l
         WHERE l.left_room > 0
        WINDOW w AS (PARTITION BY l.client_id ORDER BY l.expires_at ASC NULLS LAST, l.purchased_at, l.id)
    ), client_package AS (
        SELECT x.id AS session_id, slots.id AS package_id
          FROM (SELECT s.*, row_number() OVER (PARTITION BY s.client_id ORDER BY s.ends_at, s.id) AS k
                  FROM s WHERE s.package_id IS NULL) x
          JOIN slots ON slots.client_id = x.client_id AND x.k > slots.lo AND x.k <= slots.hi
    ), charges AS (
        SELECT session_id, package_id FROM own_package
        UNION ALL
        SELECT session_id, package_id FROM client_package
    ), ledger AS (
        INSERT INTO package_ledger (package_id, delta, kind, session_id, reason, actor)
        SELECT package_id, 1, 'session_consumed', session_id, 'auto-complete', session_user FROM charges
        RETURNING package_id
    ), bumped AS (
        UPDATE packages p SET sessions_used = p.sessions_used + c.n
          FROM (SELECT package_id, count(*)::int AS n FROM charges GROUP BY package_id) c
         WHERE p.id = c.package_id
        RETURNING p.id
    ), audited AS (
        INSERT INTO audit_log (actor, action, entity_type, entity_id, details)
        SELECT session_user, 'auto_complete', 'session', s.id::text,
               jsonb_build_object('from', 'scheduled', 'to', 'done', 'package', c.package_id,
                                  'applied', c.package_id IS NOT NULL)
          FROM s LEFT JOIN charges c ON c.session_id = s.id
        RETURNING 1
    )
    SELECT count(*)::int, array_agg(DISTINCT package_id) INTO v_deducted, v_charged FROM ledger;

    PERFORM _announce('auto_complete', pkg) FROM unnest(v_charged) AS pkg;
    PERFORM pg_notify('tutor_desk_changes', json_build_object('op', 'auto_complete', 'sessions', cardinality(v_ids))::text);
    RETURN QUERY SELECT cardinality(v_ids), v_deducted;
END
$$;
