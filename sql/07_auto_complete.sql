-- Every scheduled session that ended before p_before becomes done and uses a session, in a few set-based
-- statements, in time proportional to the sessions it completes (the counts per package are grouped once and
-- joined; the run's sessions and packages are joined from their arrays). It takes the locks of the lock order
-- (01_helpers.sql: sessions, then packages by id) but never waits for one: whatever another transaction holds (a
-- desk marking a session, a desk using a session of the package, a parallel run) is skipped, counted in
-- `skipped`, and completed by a later run. So parallel runs split the work, every session is completed and
-- charged once, and a desk that leaves a transaction open does not stop the studio's auto-complete.
-- Sessions without a booked package draw from the client's packages in the order of _usable_packages, laid end
-- to end. Expiry is judged at the session: a package still unexpired when the session started pays for it.
-- Each run also prunes request ids and changes of the feed older than their windows (a bounded batch each).
SET LOCAL ROLE tutor_owner;
SET LOCAL search_path = tutor;

CREATE OR REPLACE FUNCTION auto_complete_sessions(p_before timestamptz DEFAULT now())
RETURNS TABLE(completed int, deducted int, skipped int)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = tutor, pg_temp AS $$
#variable_conflict use_column
DECLARE
    v_due      uuid[];
    v_ids      uuid[];
    v_packages uuid[];
    v_done     uuid[];
    v_charged  uuid[];  -- the package each of v_done used, or NULL
    v_deducted int;
    v_skipped  int;
    v_late     uuid[];
    v_id       uuid;
    v_late_package uuid;
    v_late_applied boolean;
BEGIN
    PERFORM _require_staff('front_desk', 'admin');
    IF p_before IS NULL THEN
        PERFORM _fail('TD422', 'Auto-complete needs a cut-off time.');
    END IF;
    IF p_before > now() THEN
        PERFORM _fail('TD422', 'Auto-complete only marks sessions that are over; the cut-off cannot be in the future.');
    END IF;
    PERFORM _prune_requests(10000);
    PERFORM _prune_changes(10000);

    -- The due sessions no other transaction holds, then the packages they may draw from, in id order.
    SELECT coalesce(array_agg(id), '{}') INTO v_due FROM (
        SELECT id FROM sessions WHERE status = 'scheduled' AND ends_at < p_before
         ORDER BY id FOR NO KEY UPDATE SKIP LOCKED
    ) due;
    SELECT coalesce(array_agg(id), '{}') INTO v_packages FROM (
        SELECT p.id FROM packages p
         WHERE p.id IN (SELECT package_id FROM sessions WHERE id = ANY (v_due))
            OR p.client_id IN (SELECT client_id FROM sessions WHERE id = ANY (v_due) AND package_id IS NULL)
         ORDER BY p.id FOR NO KEY UPDATE SKIP LOCKED
    ) locked;
    -- A session is completed only when every package it may draw from is ours: their room cannot change under us.
    SELECT coalesce(array_agg(s.id), '{}') INTO v_ids FROM sessions s
     WHERE s.id = ANY (v_due)
       AND CASE WHEN s.package_id IS NOT NULL THEN s.package_id = ANY (v_packages)
                ELSE NOT EXISTS (SELECT 1 FROM packages p WHERE p.client_id = s.client_id AND p.id <> ALL (v_packages))
           END;
    v_skipped := (SELECT count(*)::int FROM sessions WHERE status = 'scheduled' AND ends_at < p_before)
                 - cardinality(v_ids);
    IF cardinality(v_ids) = 0 THEN
        RETURN QUERY SELECT 0, 0, v_skipped;
        RETURN;
    END IF;
    UPDATE sessions SET status = 'done', updated_by = session_user, updated_at = now() WHERE id = ANY (v_ids);
    -- A session on no package whose client bought a package after the session's day may not draw from that one,
    -- so the packages it may use are no tail of the order below: such (rare) sessions are charged one by one after.
    v_late := ARRAY(SELECT x.id FROM unnest(v_ids) AS d(id) JOIN sessions x ON x.id = d.id
                     WHERE x.package_id IS NULL
                       AND EXISTS (SELECT 1 FROM packages p WHERE p.client_id = x.client_id AND p.status = 'active'
                                      AND NOT _bought_by(p.purchased_at, x.starts_at, x.time_zone))
                     ORDER BY x.ends_at, x.id);

    WITH s AS (
        SELECT x.id, x.client_id, x.package_id, x.starts_at, x.ends_at
          FROM unnest(v_ids) AS d(id) JOIN sessions x ON x.id = d.id
         WHERE x.id <> ALL (v_late)
    ), pk AS (
        SELECT p.id, p.client_id, p.expires_at, p.purchased_at, p.sessions_total - p.sessions_used AS room
          FROM unnest(v_packages) AS l(id) JOIN packages p ON p.id = l.id
         WHERE p.status = 'active'
    ), own_package AS (   -- sessions booked on a package take from it, earliest first, while it has room
        SELECT x.id AS session_id, x.package_id
          FROM (SELECT s.*, row_number() OVER (PARTITION BY s.package_id ORDER BY s.ends_at, s.id) AS k
                  FROM s JOIN pk ON pk.id = s.package_id
                 WHERE pk.expires_at IS NULL OR pk.expires_at > s.starts_at) x
          JOIN pk ON pk.id = x.package_id
         WHERE x.k <= pk.room
    ), own_taken AS (     -- how many each package gave to its own bookings, counted once per package
        SELECT package_id, count(*)::int AS n FROM own_package GROUP BY package_id
    ), slots AS (         -- what is left, laid end to end per client in the order packages are drawn from
        SELECT l.id, l.client_id, l.expires_at,
               sum(l.left_room) OVER w - l.left_room AS lo, sum(l.left_room) OVER w AS hi
          FROM (SELECT pk.*, pk.room - coalesce(t.n, 0) AS left_room
                  FROM pk LEFT JOIN own_taken t ON t.package_id = pk.id) l
         WHERE l.left_room > 0
        WINDOW w AS (PARTITION BY l.client_id ORDER BY l.expires_at ASC NULLS LAST, l.purchased_at, l.id)
    ), firsts AS (        -- a session's first slot among the packages unexpired when it started (a tail of slots)
        SELECT s.id, s.client_id, s.ends_at, min(slots.lo) + 1 AS first_slot
          FROM s JOIN slots ON slots.client_id = s.client_id
                           AND (slots.expires_at IS NULL OR slots.expires_at > s.starts_at)
         WHERE s.package_id IS NULL
         GROUP BY s.id, s.client_id, s.ends_at
    ), placed AS (        -- in time order, each takes its first slot or the one after the previous, the later
        SELECT f.id, f.client_id,
               max(f.first_slot - f.k) OVER (PARTITION BY f.client_id ORDER BY f.ends_at, f.id) + f.k AS slot
          FROM (SELECT firsts.*, row_number() OVER (PARTITION BY firsts.client_id
                                                     ORDER BY firsts.ends_at, firsts.id) AS k FROM firsts) f
    ), client_package AS (
        SELECT placed.id AS session_id, slots.id AS package_id
          FROM placed JOIN slots ON slots.client_id = placed.client_id
                                AND placed.slot > slots.lo AND placed.slot <= slots.hi
    ), charges AS (
        SELECT session_id, package_id FROM own_package
        UNION ALL
        SELECT session_id, package_id FROM client_package
    ), ledger AS (
        INSERT INTO package_ledger (package_id, delta, kind, session_id, reason, actor)
        SELECT package_id, 1, 'session_consumed', session_id, 'auto-complete', session_user FROM charges
        RETURNING package_id, session_id
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
    SELECT count(l.package_id)::int, coalesce(array_agg(s.id), '{}'), coalesce(array_agg(l.package_id), '{}')
      INTO v_deducted, v_done, v_charged
      FROM s LEFT JOIN ledger l ON l.session_id = s.id;
    FOREACH v_id IN ARRAY v_late LOOP
        SELECT c.o_package_id, c.o_applied INTO v_late_package, v_late_applied
          FROM sessions x, LATERAL _charge_session(x) c WHERE x.id = v_id;
        PERFORM _audit('auto_complete', 'session', v_id::text, jsonb_build_object(
            'from', 'scheduled', 'to', 'done', 'package', CASE WHEN v_late_applied THEN v_late_package END,
            'applied', v_late_applied));
        v_done := array_append(v_done, v_id);
        v_charged := array_append(v_charged, CASE WHEN v_late_applied THEN v_late_package END);
        IF v_late_applied THEN
            v_deducted := v_deducted + 1;
        END IF;
    END LOOP;

    PERFORM _announce_sessions('auto_complete', v_done, v_charged);
    RETURN QUERY SELECT cardinality(v_ids), v_deducted, v_skipped;
END
$$;

-- Upkeep: removes every request id older than its window (_request_window) and says how many, and every change
-- of the feed older than its own (_feed_window). Admins only.
CREATE OR REPLACE FUNCTION prune_requests() RETURNS int
LANGUAGE sql SECURITY DEFINER SET search_path = tutor, pg_temp AS $$
    SELECT _require_staff('admin');
    SELECT _prune_changes(NULL);
    SELECT _prune_requests(NULL);
$$;
