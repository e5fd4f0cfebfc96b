-- Marking sessions, corrections between final statuses, rescheduling and the set-based auto-complete.
SET LOCAL ROLE tutor_owner;
SET LOCAL search_path = tutor;

CREATE FUNCTION _consumes(p_status text) RETURNS boolean
LANGUAGE sql IMMUTABLE SET search_path = tutor, pg_temp AS $$
    SELECT p_status IN ('done', 'no_show_student');
$$;

-- Takes one session for a session that holds none: from the package it was booked on, or else from the
-- client's usable package that expires first (no expiry last, then the oldest). Returns the package charged (or
-- tried) and, when nothing could be taken, why. The ledger row, not the booking, records which package paid, so
-- a later correction looks for a package afresh.
CREATE FUNCTION _charge_session(s sessions, OUT o_package_id uuid, OUT o_applied boolean, OUT o_reason text)
LANGUAGE plpgsql SET search_path = tutor, pg_temp AS $$
DECLARE
    v_candidate uuid;
BEGIN
    o_applied := false;
    IF s.package_id IS NOT NULL THEN
        o_package_id := s.package_id;
        o_reason := _take_one_or_refusal(s.package_id);
        o_applied := o_reason IS NULL;
    ELSE
        -- Lock the client's packages in id order first, the order auto-complete locks them in, so that a desk
        -- and an auto-complete run never wait for each other in a circle.
        PERFORM 1 FROM packages WHERE client_id = s.client_id ORDER BY id FOR NO KEY UPDATE;
        FOR v_candidate IN
            SELECT id FROM packages
             WHERE client_id = s.client_id AND status = 'active'
               AND (expires_at IS NULL OR expires_at > now()) AND sessions_used < sessions_total
             ORDER BY expires_at ASC NULLS LAST, purchased_at, id
        LOOP
            IF _take_one(v_candidate) THEN
                o_package_id := v_candidate;
                o_applied := true;
                EXIT;
            END IF;
        END LOOP;
        IF NOT o_applied THEN
            o_reason := CASE
                WHEN EXISTS (SELECT 1 FROM packages WHERE client_id = s.client_id AND status = 'active'
                              AND (expires_at IS NULL OR expires_at > now())) THEN 'exhausted'
                WHEN EXISTS (SELECT 1 FROM packages WHERE client_id = s.client_id AND status = 'active') THEN 'expired'
                ELSE 'no_package'
            END;
        END IF;
    END IF;
    IF o_applied THEN
        INSERT INTO package_ledger (package_id, delta, kind, session_id, follows, reason, actor)
        VALUES (o_package_id, 1, 'session_consumed', s.id,
                (SELECT max(id) FROM package_ledger WHERE session_id = s.id AND kind = 'session_consumed'),
                'session ' || s.status, session_user);
    END IF;
END
$$;

-- Gives back the session's live consumption, if it holds one. Returns the package it went back to.
CREATE FUNCTION _give_back_session(s sessions) RETURNS uuid
LANGUAGE plpgsql SET search_path = tutor, pg_temp AS $$
DECLARE
    v_live package_ledger;
BEGIN
    v_live := _live_consumption(s.id);
    IF v_live.id IS NULL THEN
        RETURN NULL;
    END IF;
    IF NOT _give_one(v_live.package_id) THEN
        PERFORM _fail('XX000', format('Package %s holds a consumption but has no session used.', v_live.package_id));
    END IF;
    INSERT INTO package_ledger (package_id, delta, kind, session_id, reverses, reason, actor)
    VALUES (v_live.package_id, -1, 'session_given_back', s.id, v_live.id, 'session ' || s.status, session_user);
    RETURN v_live.package_id;
END
$$;

CREATE FUNCTION _session_for_update(p_session_id uuid) RETURNS sessions
LANGUAGE plpgsql SET search_path = tutor, pg_temp AS $$
DECLARE
    s sessions;
BEGIN
    -- NO KEY UPDATE: ledger rows that merely reference the session (a reinstate) need not wait for us.
    SELECT * INTO s FROM sessions WHERE id = p_session_id FOR NO KEY UPDATE;
    IF NOT FOUND THEN
        PERFORM _fail('TD404', format('There is no session with id %s.', p_session_id));
    END IF;
    RETURN s;
END
$$;

-- The rule of the ledger: it moves only when a session crosses between a status that uses a session
-- (done, student no-show) and one that does not. Caller holds the session's row lock.
CREATE FUNCTION _change_status(s sessions, p_status text, p_notes text,
                               OUT o_package_id uuid, OUT o_applied boolean, OUT o_reason text)
LANGUAGE plpgsql SET search_path = tutor, pg_temp AS $$
DECLARE
    v_old  text := s.status;
    v_back uuid;
BEGIN
    IF p_status IS NULL OR p_status NOT IN ('scheduled', 'done', 'rescheduled', 'no_show_student', 'no_show_tutor', 'cancelled') THEN
        PERFORM _fail('TD422', format('"%s" is not a session status.', p_status));
    END IF;
    PERFORM _check_text(p_notes, 'Tutor notes', 2000);
    IF p_status = 'scheduled' AND v_old <> 'scheduled' THEN
        PERFORM _fail('TD420', 'A marked session cannot go back to upcoming; book a new session instead.');
    END IF;
    IF s.rescheduled_to IS NOT NULL AND p_status <> 'rescheduled' THEN
        PERFORM _fail('TD420', 'This session was moved to another time; mark the new session instead.');
    END IF;

    UPDATE sessions SET status = p_status, tutor_notes = coalesce(p_notes, tutor_notes),
                        updated_by = session_user, updated_at = now()
     WHERE id = s.id;
    s.status := p_status;

    o_applied := true;
    -- The package the answer's counts come from: the one this session holds a session of, else its booking.
    o_package_id := coalesce((_live_consumption(s.id)).package_id, s.package_id);
    IF _consumes(p_status) AND NOT _consumes(v_old) THEN
        SELECT c.o_package_id, c.o_applied, c.o_reason INTO o_package_id, o_applied, o_reason
          FROM _charge_session(s) c;
        IF o_applied THEN
            o_reason := 'consumed';
        END IF;
    ELSIF _consumes(v_old) AND NOT _consumes(p_status) THEN
        v_back := _give_back_session(s);
        IF v_back IS NOT NULL THEN
            o_package_id := v_back;
            o_reason := 'given_back';
        ELSE
            o_reason := 'unchanged';
        END IF;
    ELSE
        o_reason := 'unchanged';
    END IF;

    IF v_old <> p_status OR (p_notes IS NOT NULL AND p_notes IS DISTINCT FROM s.tutor_notes) THEN
        PERFORM _audit('set_session_status', 'session', s.id::text, jsonb_build_object(
            'from', v_old, 'to', p_status, 'package', o_package_id, 'applied', o_applied, 'reason', o_reason));
    END IF;
    PERFORM _announce('set_session_status', o_package_id, s.id, s.client_id);
END
$$;

CREATE FUNCTION set_session_status(p_session_id uuid, p_status text, p_notes text DEFAULT NULL, p_request_id uuid DEFAULT NULL)
RETURNS TABLE(session_status text, package_id uuid, applied boolean, sessions_used int, sessions_total int,
              sessions_remaining int, reason text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = tutor, pg_temp AS $$
#variable_conflict use_column
DECLARE
    v_prior jsonb;
    s       sessions;
    r       record;
BEGIN
    v_prior := _claim_request(p_request_id, 'set_session_status:' || coalesce(p_status, ''), p_session_id::text);
    IF v_prior IS NOT NULL THEN
        SELECT (v_prior ->> 'package_id')::uuid AS o_package_id, (v_prior ->> 'applied')::boolean AS o_applied,
               v_prior ->> 'reason' AS o_reason INTO r;
    ELSE
        s := _session_for_update(p_session_id);
        SELECT * INTO r FROM _change_status(s, p_status, p_notes);
        PERFORM _finish_request(p_request_id, jsonb_build_object(
            'package_id', r.o_package_id, 'applied', r.o_applied, 'reason', r.o_reason));
    END IF;
    RETURN QUERY
        SELECT ss.status, r.o_package_id, r.o_applied, p.sessions_used, p.sessions_total,
               p.sessions_total - p.sessions_used, r.o_reason
          FROM sessions ss LEFT JOIN packages p ON p.id = r.o_package_id
         WHERE ss.id = p_session_id;
END
$$;

CREATE FUNCTION reschedule_session(p_session_id uuid, p_starts_at timestamptz, p_ends_at timestamptz,
                                   p_request_id uuid DEFAULT NULL)
RETURNS TABLE(new_session_id uuid, session_status text, package_id uuid, applied boolean, sessions_used int,
              sessions_total int, sessions_remaining int, reason text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = tutor, pg_temp AS $$
#variable_conflict use_column
DECLARE
    v_prior jsonb;
    s       sessions;
    r       record;
    v_new   uuid;
BEGIN
    v_prior := _claim_request(p_request_id, 'reschedule_session', p_session_id::text);
    IF v_prior IS NOT NULL THEN
        SELECT (v_prior ->> 'new_session_id')::uuid AS new_id, (v_prior ->> 'package_id')::uuid AS o_package_id,
               (v_prior ->> 'applied')::boolean AS o_applied, v_prior ->> 'reason' AS o_reason INTO r;
        v_new := r.new_id;
    ELSE
        IF p_starts_at IS NULL OR p_ends_at IS NULL OR p_ends_at <= p_starts_at THEN
            PERFORM _fail('TD422', 'The new time must end after it starts.');
        END IF;
        s := _session_for_update(p_session_id);
        IF s.rescheduled_to IS NOT NULL THEN
            PERFORM _fail('TD420', 'This session was already moved to another time; reschedule the new session instead.');
        END IF;
        INSERT INTO sessions (client_id, tutor_id, package_id, starts_at, ends_at, updated_by)
        VALUES (s.client_id, s.tutor_id, s.package_id, p_starts_at, p_ends_at, session_user)
        RETURNING id INTO v_new;
        SELECT c.o_package_id, c.o_applied, c.o_reason INTO r FROM _change_status(s, 'rescheduled', NULL) c;
        UPDATE sessions SET rescheduled_to = v_new WHERE id = s.id;
        PERFORM _audit('reschedule_session', 'session', s.id::text, jsonb_build_object(
            'new_session', v_new, 'starts_at', p_starts_at, 'ends_at', p_ends_at));
        PERFORM _announce('book_session', s.package_id, v_new, s.client_id);
        PERFORM _finish_request(p_request_id, jsonb_build_object(
            'new_session_id', v_new, 'package_id', r.o_package_id, 'applied', r.o_applied, 'reason', r.o_reason));
    END IF;
    RETURN QUERY
        SELECT v_new, ss.status, r.o_package_id, r.o_applied, p.sessions_used, p.sessions_total,
               p.sessions_total - p.sessions_used, r.o_reason
          FROM sessions ss LEFT JOIN packages p ON p.id = r.o_package_id
         WHERE ss.id = p_session_id;
END
$$;

-- Every scheduled session that ended before p_before becomes done and uses a session, in a few set-based
-- statements. Parallel runs (desks plus a timer) split the work: each locks the due sessions it can get
-- and skips those another run holds, so every session is completed and charged once.
CREATE FUNCTION auto_complete_sessions(p_before timestamptz DEFAULT now())
RETURNS TABLE(completed int, deducted int)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = tutor, pg_temp AS $$
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
        SELECT id, client_id, package_id, ends_at FROM sessions WHERE id = ANY (v_ids)
    ), pk AS (
        SELECT p.id, p.client_id, p.expires_at, p.purchased_at, p.sessions_total - p.sessions_used AS room
          FROM packages p
         WHERE p.id = ANY (v_packages) AND p.status = 'active' AND (p.expires_at IS NULL OR p.expires_at > now())
    ), own_package AS (   -- sessions booked on a package take from it, earliest first, while it has room
        SELECT x.id AS session_id, x.package_id
          FROM (SELECT s.*, row_number() OVER (PARTITION BY s.package_id ORDER BY s.ends_at, s.id) AS k
                  FROM s WHERE s.package_id IS NOT NULL) x
          JOIN pk ON pk.id = x.package_id
         WHERE x.k <= pk.room
    ), slots AS (         -- what is left, laid end to end per client in the order packages are drawn from
        SELECT l.id, l.client_id, sum(l.left_room) OVER w - l.left_room AS lo, sum(l.left_room) OVER w AS hi
          FROM (SELECT pk.*, pk.room - (SELECT count(*) FROM own_package o WHERE o.package_id = pk.id) AS left_room
                  FROM pk) l
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
