-- Marking, rescheduling and booking sessions. Every public function checks who is acting first: a tutor may mark
-- their own sessions, front desk and admins any; only front desk and admins reschedule and book.
SET LOCAL ROLE tutor_owner;
SET LOCAL search_path = tutor;

CREATE OR REPLACE FUNCTION set_session_status(p_session_id uuid, p_status text, p_notes text DEFAULT NULL, p_request_id uuid DEFAULT NULL)
RETURNS TABLE(session_status text, package_id uuid, applied boolean, sessions_used int, sessions_total int,
              sessions_remaining int, reason text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = tutor, pg_temp AS $$
#variable_conflict use_column
DECLARE
    v_prior jsonb;
    s       sessions;
    r       record;
BEGIN
    PERFORM _require_session_actor(p_session_id);
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

-- Saves a session's tutor notes, whatever its status: its tutor, front desk and admins. Audited only when the text
-- changed; announced so an open panel at another desk shows the new text. Returns the notes as stored.
CREATE OR REPLACE FUNCTION set_session_notes(p_session_id uuid, p_notes text, p_request_id uuid DEFAULT NULL)
RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = tutor, pg_temp AS $$
DECLARE
    v_prior jsonb;
    s       sessions;
BEGIN
    PERFORM _require_session_actor(p_session_id);
    v_prior := _claim_request(p_request_id, 'set_session_notes', p_session_id::text);
    IF v_prior IS NULL THEN
        p_notes := coalesce(_check_text(p_notes, 'Tutor notes', 2000), '');
        SELECT * INTO s FROM sessions WHERE id = p_session_id FOR NO KEY UPDATE;  -- the row only: no count moves
        IF NOT FOUND THEN
            PERFORM _fail('TD404', format('There is no session with id %s.', p_session_id));
        END IF;
        IF p_notes IS DISTINCT FROM s.tutor_notes THEN
            UPDATE sessions SET tutor_notes = p_notes, updated_by = session_user, updated_at = now()
             WHERE id = s.id;
            PERFORM _audit('set_session_notes', 'session', s.id::text, jsonb_build_object(
                'from', s.tutor_notes, 'to', p_notes));
            PERFORM _announce('set_session_notes', NULL, s.id, s.client_id);
        END IF;
        PERFORM _finish_request(p_request_id, '{}'::jsonb);
    END IF;
    RETURN (SELECT tutor_notes FROM sessions WHERE id = p_session_id);
END
$$;

-- Moves a session: marks it rescheduled (giving back what it used) and books the new time, in the desk's time
-- zone, as long as the one a booking may have; refused by name when the tutor or the client is busy then.
CREATE OR REPLACE FUNCTION reschedule_session(p_session_id uuid, p_starts_at timestamptz, p_ends_at timestamptz,
                                              p_time_zone text, p_request_id uuid DEFAULT NULL)
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
    PERFORM _require_staff('front_desk', 'admin');
    v_prior := _claim_request(p_request_id, 'reschedule_session', p_session_id::text);
    IF v_prior IS NOT NULL THEN
        SELECT (v_prior ->> 'new_session_id')::uuid AS new_id, (v_prior ->> 'package_id')::uuid AS o_package_id,
               (v_prior ->> 'applied')::boolean AS o_applied, v_prior ->> 'reason' AS o_reason INTO r;
        v_new := r.new_id;
    ELSE
        PERFORM _check_span(p_starts_at, p_ends_at);
        PERFORM _check_zone(p_time_zone);
        -- Locks: the session row first, then (inside _change_status) packages by id.
        s := _session_for_update(p_session_id);
        IF s.rescheduled_to IS NOT NULL THEN
            PERFORM _fail('TD420', 'This session was already moved to another time; reschedule the new session instead.');
        END IF;
        PERFORM _check_after_purchase(s.package_id, p_starts_at, p_time_zone);
        -- Marked rescheduled first, so the new time may overlap the old one.
        SELECT c.o_package_id, c.o_applied, c.o_reason INTO r FROM _change_status(s, 'rescheduled', NULL) c;
        v_new := _insert_session(s.client_id, s.tutor_id, s.package_id, p_starts_at, p_ends_at, p_time_zone,
                                 s.series_id);
        UPDATE sessions SET rescheduled_to = v_new WHERE id = s.id;
        PERFORM _audit('reschedule_session', 'session', s.id::text, jsonb_build_object(
            'new_session', v_new, 'starts_at', p_starts_at, 'ends_at', p_ends_at, 'time_zone', p_time_zone));
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

-- Books one session, or a weekly series when p_weekly_repeats > 0 (that many more, one week apart at the same
-- wall-clock time in p_time_zone, the IANA zone of the desk that books: see _weekly and _wall_clock). A series
-- that collides with a live session of the tutor or the client anywhere is refused whole, naming its first
-- collision.
CREATE OR REPLACE FUNCTION book_session(p_client_id bigint, p_tutor_id bigint, p_starts_at timestamptz, p_ends_at timestamptz,
                                        p_time_zone text, p_package_id uuid DEFAULT NULL, p_weekly_repeats int DEFAULT 0,
                                        p_request_id uuid DEFAULT NULL)
RETURNS TABLE(session_id uuid, starts_at timestamptz, ends_at timestamptz)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = tutor, pg_temp AS $$
#variable_conflict use_column
DECLARE
    v_prior  jsonb;
    v_ids    uuid[];
    v_series uuid;
    v_last   timestamptz;
    c        sessions;
    w        record;
BEGIN
    PERFORM _require_staff('front_desk', 'admin');
    v_prior := _claim_request(p_request_id, 'book_session', p_client_id::text);
    IF v_prior IS NOT NULL THEN
        v_ids := ARRAY(SELECT jsonb_array_elements_text(v_prior -> 'ids')::uuid);
    ELSE
        PERFORM _check_span(p_starts_at, p_ends_at);
        IF p_weekly_repeats IS NULL OR p_weekly_repeats NOT BETWEEN 0 AND 104 THEN
            PERFORM _fail('TD422', 'A weekly series repeats between 0 and 104 times.');
        END IF;
        PERFORM _check_zone(p_time_zone);
        IF NOT EXISTS (SELECT 1 FROM clients WHERE id = p_client_id AND NOT archived) THEN
            PERFORM _fail('TD404', format('There is no active client with id %s.', p_client_id));
        END IF;
        IF NOT EXISTS (SELECT 1 FROM staff WHERE id = p_tutor_id AND active) THEN
            PERFORM _fail('TD404', format('There is no active staff member with id %s.', p_tutor_id));
        END IF;
        PERFORM _lock_schedule(p_tutor_id, p_client_id);  -- no session yet: the schedule is the first lock
        IF p_package_id IS NOT NULL AND NOT EXISTS (
                SELECT 1 FROM packages WHERE id = p_package_id AND client_id = p_client_id FOR KEY SHARE) THEN
            PERFORM _fail('TD404', format('Client %s has no package with id %s.', p_client_id, p_package_id));
        END IF;
        PERFORM _check_after_purchase(p_package_id, p_starts_at, p_time_zone);
        -- The last session of the series must end inside the window too (checked before computing the others).
        v_last := p_ends_at + p_weekly_repeats * interval '7 days' + interval '1 day';
        IF v_last >= '2100-01-01 00:00:00+00' THEN
            PERFORM _fail('TD422', 'A weekly series must end before the year 2100.');
        END IF;
        SELECT o.* INTO c
          FROM _weekly(p_starts_at, p_ends_at, p_time_zone, p_weekly_repeats) x,
               LATERAL _overlap(p_tutor_id, p_client_id, x.starts_at, x.ends_at) o
         WHERE o.id IS NOT NULL ORDER BY x.n LIMIT 1;
        IF c.id IS NOT NULL THEN
            PERFORM _refuse_overlap(c, p_tutor_id, p_time_zone);
        END IF;
        IF p_weekly_repeats > 0 THEN
            v_series := gen_random_uuid();
        END IF;
        v_ids := '{}';
        FOR w IN SELECT * FROM _weekly(p_starts_at, p_ends_at, p_time_zone, p_weekly_repeats) ORDER BY n LOOP
            v_ids := v_ids || _insert_session(p_client_id, p_tutor_id, p_package_id, w.starts_at, w.ends_at,
                                              p_time_zone, v_series);
        END LOOP;
        PERFORM _audit('book_session', 'session', id::text, jsonb_build_object(
            'client', p_client_id, 'tutor', p_tutor_id, 'package', p_package_id, 'time_zone', p_time_zone,
            'series', v_series)) FROM unnest(v_ids) AS id;
        PERFORM _announce('book_session', p_package_id, id, p_client_id) FROM unnest(v_ids) AS id;
        PERFORM _finish_request(p_request_id, jsonb_build_object('ids', to_jsonb(v_ids)));
    END IF;
    RETURN QUERY SELECT s.id, s.starts_at, s.ends_at FROM sessions s WHERE s.id = ANY (v_ids) ORDER BY s.starts_at;
END
$$;
