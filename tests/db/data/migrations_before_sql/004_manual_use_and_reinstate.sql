-- Staff using a session by hand and reinstating one.
SET LOCAL ROLE tutor_owner;
SET LOCAL search_path = tutor;

CREATE FUNCTION _use_session(p_package_id uuid, p_request_id uuid, p_reason text)
RETURNS TABLE(applied boolean, sessions_used int, sessions_total int, sessions_remaining int, reason text)
LANGUAGE plpgsql SET search_path = tutor, pg_temp AS $$
#variable_conflict use_column
DECLARE
    v_prior   jsonb;
    v_applied boolean;
    v_reason  text;
BEGIN
    PERFORM _check_text(p_reason, 'Reason', 500);
    v_prior := _claim_request(p_request_id, 'use_session', p_package_id::text);
    IF v_prior IS NOT NULL THEN
        v_applied := (v_prior ->> 'applied')::boolean;
        v_reason := v_prior ->> 'reason';
    ELSE
        v_reason := _take_one_or_refusal(p_package_id);
        v_applied := v_reason IS NULL;
        IF v_applied THEN
            INSERT INTO package_ledger (package_id, delta, kind, reason, actor, request_id)
            VALUES (p_package_id, 1, 'manual_use', coalesce(p_reason, ''), session_user, p_request_id);
            PERFORM _audit('manual_use', 'package', p_package_id::text, jsonb_build_object('reason', p_reason));
            PERFORM _announce('use_session', p_package_id);
        END IF;
    END IF;
    IF v_prior IS NULL THEN
        PERFORM _finish_request(p_request_id, jsonb_build_object('applied', v_applied, 'reason', v_reason));
    END IF;
    RETURN QUERY SELECT * FROM _balance(p_package_id, v_applied, v_reason);
END
$$;

CREATE FUNCTION _release_session(p_package_id uuid, p_request_id uuid, p_reason text)
RETURNS TABLE(applied boolean, sessions_used int, sessions_total int, sessions_remaining int, reason text)
LANGUAGE plpgsql SET search_path = tutor, pg_temp AS $$
#variable_conflict use_column
DECLARE
    v_prior   jsonb;
    v_applied boolean;
    v_reason  text;
    v_target  package_ledger;
BEGIN
    PERFORM _check_text(p_reason, 'Reason', 500);
    v_prior := _claim_request(p_request_id, 'release_session', p_package_id::text);
    IF v_prior IS NOT NULL THEN
        v_applied := (v_prior ->> 'applied')::boolean;
        v_reason := v_prior ->> 'reason';
    ELSIF _give_one(p_package_id) THEN
        -- The row lock taken by _give_one serialises releasers of this package, so this reads the
        -- latest ledger; reverses UNIQUE would refuse a second reversal of the same row anyway.
        v_target := _latest_live_use(p_package_id);
        IF v_target.id IS NULL THEN
            PERFORM _fail('XX000', format('Package %s has sessions used but no live ledger row.', p_package_id));
        END IF;
        v_applied := true;
        INSERT INTO package_ledger (package_id, delta, kind, session_id, reverses, reason, actor, request_id)
        VALUES (p_package_id, -1, 'manual_reinstate', v_target.session_id, v_target.id, coalesce(p_reason, ''),
                session_user, p_request_id);
        PERFORM _audit('manual_reinstate', 'package', p_package_id::text,
                       jsonb_build_object('reason', p_reason, 'reverses', v_target.id, 'session', v_target.session_id));
        PERFORM _announce('release_session', p_package_id, v_target.session_id);
    ELSE
        PERFORM _package_or_fail(p_package_id);
        v_applied := false;
        v_reason := 'nothing_to_release';
    END IF;
    IF v_prior IS NULL THEN
        PERFORM _finish_request(p_request_id, jsonb_build_object('applied', v_applied, 'reason', v_reason));
    END IF;
    RETURN QUERY SELECT * FROM _balance(p_package_id, v_applied, v_reason);
END
$$;

CREATE FUNCTION use_session(p_package_id uuid, p_request_id uuid DEFAULT NULL)
RETURNS TABLE(applied boolean, sessions_used int, sessions_total int, sessions_remaining int, reason text)
LANGUAGE sql SECURITY DEFINER SET search_path = tutor, pg_temp AS $$
    SELECT * FROM _use_session(p_package_id, p_request_id, NULL);
$$;

CREATE FUNCTION release_session(p_package_id uuid, p_request_id uuid DEFAULT NULL)
RETURNS TABLE(applied boolean, sessions_used int, sessions_total int, sessions_remaining int, reason text)
LANGUAGE sql SECURITY DEFINER SET search_path = tutor, pg_temp AS $$
    SELECT * FROM _release_session(p_package_id, p_request_id, NULL);
$$;

-- The same, with the reason staff give for it (the desktop asks for one).
CREATE FUNCTION use_session_with_reason(p_package_id uuid, p_reason text, p_request_id uuid DEFAULT NULL)
RETURNS TABLE(applied boolean, sessions_used int, sessions_total int, sessions_remaining int, reason text)
LANGUAGE sql SECURITY DEFINER SET search_path = tutor, pg_temp AS $$
    SELECT * FROM _use_session(p_package_id, p_request_id, p_reason);
$$;

CREATE FUNCTION release_session_with_reason(p_package_id uuid, p_reason text, p_request_id uuid DEFAULT NULL)
RETURNS TABLE(applied boolean, sessions_used int, sessions_total int, sessions_remaining int, reason text)
LANGUAGE sql SECURITY DEFINER SET search_path = tutor, pg_temp AS $$
    SELECT * FROM _release_session(p_package_id, p_request_id, p_reason);
$$;
