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

CREATE OR REPLACE FUNCTION reschedule_session(p_session_id uuid, p_starts_at timestamptz, p_ends_at timestamptz,
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
    PERFORM _require_staff('front_desk', 'admin');
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

-- Books one session, or a weekly series when p_weekly_repeats > 0 (that many more, one week apart).
CREATE OR REPLACE FUNCTION book_session(p_client_id bigint, p_tutor_id bigint, p_starts_at timestamptz, p_ends_at timestamptz,
                                        p_package_id uuid DEFAULT NULL, p_weekly_repeats int DEFAULT 0,
                                        p_request_id uuid DEFAULT NULL)
RETURNS TABLE(session_id uuid, starts_at timestamptz, ends_at timestamptz)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = tutor, pg_temp AS $$
#variable_conflict use_column
DECLARE
    v_prior jsonb;
    v_ids   uuid[];
BEGIN
    PERFORM _require_staff('front_desk', 'admin');
    v_prior := _claim_request(p_request_id, 'book_session', p_client_id::text);
    IF v_prior IS NOT NULL THEN
        v_ids := ARRAY(SELECT jsonb_array_elements_text(v_prior -> 'ids')::uuid);
    ELSE
        IF p_starts_at IS NULL OR p_ends_at IS NULL OR p_ends_at <= p_starts_at THEN
            PERFORM _fail('TD422', 'A session must end after it starts.');
        END IF;
        IF p_ends_at - p_starts_at > interval '12 hours' THEN
            PERFORM _fail('TD422', 'A session lasts at most 12 hours.');
        END IF;
        IF p_weekly_repeats IS NULL OR p_weekly_repeats NOT BETWEEN 0 AND 104 THEN
            PERFORM _fail('TD422', 'A weekly series repeats between 0 and 104 times.');
        END IF;
        IF NOT EXISTS (SELECT 1 FROM clients WHERE id = p_client_id AND NOT archived) THEN
            PERFORM _fail('TD404', format('There is no active client with id %s.', p_client_id));
        END IF;
        IF NOT EXISTS (SELECT 1 FROM staff WHERE id = p_tutor_id AND active) THEN
            PERFORM _fail('TD404', format('There is no active staff member with id %s.', p_tutor_id));
        END IF;
        IF p_package_id IS NOT NULL AND NOT EXISTS (  -- no session yet: the package is the first lock
                SELECT 1 FROM packages WHERE id = p_package_id AND client_id = p_client_id FOR KEY SHARE) THEN
            PERFORM _fail('TD404', format('Client %s has no package with id %s.', p_client_id, p_package_id));
        END IF;
        WITH made AS (
            INSERT INTO sessions (client_id, tutor_id, package_id, starts_at, ends_at, updated_by)
            SELECT p_client_id, p_tutor_id, p_package_id,
                   p_starts_at + n * interval '7 days', p_ends_at + n * interval '7 days', session_user
              FROM generate_series(0, p_weekly_repeats) AS n
            RETURNING id
        )
        SELECT array_agg(id) INTO v_ids FROM made;
        PERFORM _audit('book_session', 'session', id::text, jsonb_build_object(
            'client', p_client_id, 'tutor', p_tutor_id, 'package', p_package_id)) FROM unnest(v_ids) AS id;
        PERFORM _announce('book_session', p_package_id, id, p_client_id) FROM unnest(v_ids) AS id;
        PERFORM _finish_request(p_request_id, jsonb_build_object('ids', to_jsonb(v_ids)));
    END IF;
    RETURN QUERY SELECT s.id, s.starts_at, s.ends_at FROM sessions s WHERE s.id = ANY (v_ids) ORDER BY s.starts_at;
END
$$;
