-- How marking a session moves the ledger: charging a session, giving it back, the one rule of which status
-- changes do which, and the read of the package a session draws from.
SET LOCAL ROLE tutor_owner;
SET LOCAL search_path = tutor;

CREATE OR REPLACE FUNCTION _consumes(p_status text) RETURNS boolean
LANGUAGE sql IMMUTABLE SET search_path = tutor, pg_temp AS $$
    SELECT p_status IN ('done', 'no_show_student');
$$;

-- Takes one session for a session that holds none: from the package it was booked on, or else from the
-- client's usable package that expires first (_usable_packages: bought by the session's day), judging expiry at the session's start. Returns the package charged (or
-- tried) and, when nothing could be taken, why. The ledger row, not the booking, records which package paid, so
-- a later correction looks for a package afresh.
CREATE OR REPLACE FUNCTION _charge_session(s sessions, OUT o_package_id uuid, OUT o_applied boolean, OUT o_reason text)
LANGUAGE plpgsql SET search_path = tutor, pg_temp AS $$
DECLARE
    v_candidate uuid;
BEGIN
    o_applied := false;
    IF s.package_id IS NOT NULL THEN
        o_package_id := s.package_id;
        o_reason := _take_one_or_refusal(s.package_id, s.starts_at);
        o_applied := o_reason IS NULL;
    ELSE
        -- Lock the client's packages in id order first, the order auto-complete locks them in, so that a desk
        -- and an auto-complete run never wait for each other in a circle.
        PERFORM 1 FROM packages WHERE client_id = s.client_id ORDER BY id FOR NO KEY UPDATE;
        FOREACH v_candidate IN ARRAY _usable_packages(s.client_id, s.starts_at, s.time_zone) LOOP
            IF _take_one(v_candidate, s.starts_at) THEN
                o_package_id := v_candidate;
                o_applied := true;
                EXIT;
            END IF;
        END LOOP;
        IF NOT o_applied THEN
            o_reason := CASE  -- a package bought after the session's day was none of the client's then
                WHEN EXISTS (SELECT 1 FROM packages WHERE client_id = s.client_id AND status = 'active'
                              AND _bought_by(purchased_at, s.starts_at, s.time_zone)
                              AND (expires_at IS NULL OR expires_at > s.starts_at)) THEN 'exhausted'
                WHEN EXISTS (SELECT 1 FROM packages WHERE client_id = s.client_id AND status = 'active'
                              AND _bought_by(purchased_at, s.starts_at, s.time_zone)) THEN 'expired'
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
CREATE OR REPLACE FUNCTION _give_back_session(s sessions) RETURNS uuid
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

-- The session, locked, and its tutor's and client's schedules (the lock order: 01_helpers.sql). The packages come
-- later, in _change_status, once what does not need them is done.
CREATE OR REPLACE FUNCTION _session_for_update(p_session_id uuid) RETURNS sessions
LANGUAGE plpgsql SET search_path = tutor, pg_temp AS $$
DECLARE
    s sessions;
BEGIN
    -- NO KEY UPDATE: ledger rows that merely reference the session (a reinstate) need not wait for us.
    SELECT * INTO s FROM sessions WHERE id = p_session_id FOR NO KEY UPDATE;
    IF NOT FOUND THEN
        PERFORM _fail('TD404', format('There is no session with id %s.', p_session_id));
    END IF;
    PERFORM _lock_schedule(s.tutor_id, s.client_id);  -- a move or a mark may make it live at an hour again
    RETURN s;
END
$$;

-- In the lock order (01_helpers.sql), after the session: every package a change of its status may touch, the one
-- it holds a session of, the one it is booked on, else the client's. Only a reinstate, which holds that package,
-- can take the session's consumption away, so what the caller reads next is read under the locks.
CREATE OR REPLACE FUNCTION _lock_session_packages(s sessions) RETURNS void
LANGUAGE sql SET search_path = tutor, pg_temp AS $$
    SELECT _lock_packages(ARRAY(
        SELECT id FROM packages
         WHERE id = s.package_id OR id = (_live_consumption(s.id)).package_id
            OR (s.package_id IS NULL AND client_id = s.client_id)));
$$;

-- The rule of the ledger: it moves only when a session crosses between a status that uses a session
-- (done, student no-show) and one that does not. Caller holds the session's row lock (_session_for_update); the
-- packages are locked here, after the checks and the session's own update.
CREATE OR REPLACE FUNCTION _change_status(s sessions, p_status text, p_notes text,
                                          OUT o_package_id uuid, OUT o_applied boolean, OUT o_reason text)
LANGUAGE plpgsql SET search_path = tutor, pg_temp AS $$
DECLARE
    v_old  text := s.status;
    v_back uuid;
    v_busy sessions;
BEGIN
    IF p_status IS NULL OR p_status NOT IN ('scheduled', 'done', 'rescheduled', 'no_show_student', 'no_show_tutor', 'cancelled') THEN
        PERFORM _fail('TD422', format('"%s" is not a session status.', p_status));
    END IF;
    p_notes := _check_text(p_notes, 'Tutor notes', 2000);
    -- Back to upcoming undoes a mark made too soon (a stray key); a session that has ended is marked as it went.
    IF p_status = 'scheduled' AND v_old <> 'scheduled' AND s.ends_at <= now() THEN
        PERFORM _fail('TD420', 'A session that has ended cannot go back to upcoming; mark it as it went.');
    END IF;
    IF s.rescheduled_to IS NOT NULL AND p_status <> 'rescheduled' THEN
        PERFORM _fail('TD420', 'This session was moved to another time; mark the new session instead.');
    END IF;

    IF v_old IN ('cancelled', 'rescheduled') AND p_status NOT IN ('cancelled', 'rescheduled') THEN
        v_busy := _overlap(s.tutor_id, s.client_id, s.starts_at, s.ends_at, s.id);  -- live again: time must be free
        IF v_busy.id IS NOT NULL THEN
            PERFORM _refuse_overlap(v_busy, s.tutor_id, s.time_zone);
        END IF;
    END IF;
    UPDATE sessions SET status = p_status, tutor_notes = coalesce(p_notes, tutor_notes),
                        updated_by = session_user, updated_at = now()
     WHERE id = s.id;
    s.status := p_status;

    -- The packages only now: a hot package is held from here to the commit, not across the checks above.
    PERFORM _lock_session_packages(s);
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

-- The package a session draws from, as the calendar's panel shows it: the one the session holds a session of,
-- else the one it is booked on, else the client's package a session would be taken from next (the choice
-- _charge_session makes, expiry judged at the session's start). NULL when there is none, and for a session the reader may not see: this runs as the
-- owner, whom row security does not limit, so it asks what the policy on sessions asks (a tutor sees their own).
CREATE OR REPLACE FUNCTION session_package(p_session_id uuid) RETURNS uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = tutor, pg_temp AS $$
    SELECT coalesce((_live_consumption(s.id)).package_id, s.package_id, (_usable_packages(s.client_id, s.starts_at, s.time_zone))[1])
      FROM sessions s
     WHERE s.id = p_session_id
       AND CASE viewer_scope() WHEN 'all' THEN true WHEN 'own' THEN s.tutor_id = viewer_staff_id() ELSE false END;
$$;
