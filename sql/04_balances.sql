-- Staff using a session by hand, reinstating one, cancelling a package, and the check that every counter agrees
-- with its ledger.
SET LOCAL ROLE tutor_owner;
SET LOCAL search_path = tutor;

-- Uses one session of the package, or says why it cannot (NULL: used).
CREATE OR REPLACE FUNCTION _use_one(p_package_id uuid, p_reason text, p_request_id uuid) RETURNS text
LANGUAGE plpgsql SET search_path = tutor, pg_temp AS $$
DECLARE
    v_reason text;
BEGIN
    v_reason := _take_one_or_refusal(p_package_id);
    IF v_reason IS NULL THEN
        INSERT INTO package_ledger (package_id, delta, kind, reason, actor, request_id)
        VALUES (p_package_id, 1, 'manual_use', coalesce(p_reason, ''), session_user, p_request_id);
        PERFORM _audit('manual_use', 'package', p_package_id::text, jsonb_build_object('reason', p_reason));
        PERFORM _announce('use_session', p_package_id);
    END IF;
    RETURN v_reason;
END
$$;

-- Gives back a use of the package that nothing has reversed yet: the ledger row p_entry names, or the latest one;
-- or says why it cannot (NULL: given back). A named row that is no live use of this package is refused.
CREATE OR REPLACE FUNCTION _reinstate_one(p_package_id uuid, p_reason text, p_request_id uuid, p_entry bigint)
RETURNS text
LANGUAGE plpgsql SET search_path = tutor, pg_temp AS $$
DECLARE
    v_target package_ledger;
BEGIN
    IF p_entry IS NOT NULL THEN  -- read under the package's lock, like the latest use below
        SELECT l.* INTO v_target FROM package_ledger l
         WHERE l.id = p_entry AND l.package_id = p_package_id AND l.delta = 1
           AND NOT EXISTS (SELECT 1 FROM package_ledger r WHERE r.reverses = l.id);
        IF v_target.id IS NULL THEN
            PERFORM _package_or_fail(p_package_id);
            PERFORM _fail('TD422', 'That use of the package was given back already (or is not one of this '
                                   'package''s), so it cannot be reinstated. The window now shows the uses left.');
        END IF;
    END IF;
    IF NOT _give_one(p_package_id) THEN
        PERFORM _package_or_fail(p_package_id);
        RETURN 'nothing_to_reinstate';
    END IF;
    -- The package's row lock serialises everything that reverses its uses (reinstaters, and corrections, which
    -- lock it before they read the session's consumption), so this reads the latest ledger; reverses UNIQUE
    -- would refuse a second reversal of the same row anyway.
    IF p_entry IS NULL THEN
        v_target := _latest_live_use(p_package_id);
    END IF;
    IF v_target.id IS NULL THEN
        PERFORM _fail('XX000', format('Package %s has sessions used but no live ledger row.', p_package_id));
    END IF;
    INSERT INTO package_ledger (package_id, delta, kind, session_id, reverses, reason, actor, request_id)
    VALUES (p_package_id, -1, 'manual_reinstate', v_target.session_id, v_target.id, coalesce(p_reason, ''),
            session_user, p_request_id);
    PERFORM _audit('manual_reinstate', 'package', p_package_id::text,
                   jsonb_build_object('reason', p_reason, 'reverses', v_target.id, 'session', v_target.session_id));
    PERFORM _announce('reinstate_session', p_package_id, v_target.session_id);
    RETURN NULL;
END
$$;

-- Cancels an active package, or says why it cannot (NULL: cancelled).
CREATE OR REPLACE FUNCTION _cancel_one(p_package_id uuid, p_reason text) RETURNS text
LANGUAGE plpgsql SET search_path = tutor, pg_temp AS $$
BEGIN
    PERFORM _package_or_fail(p_package_id);
    UPDATE packages SET status = 'cancelled' WHERE id = p_package_id AND status = 'active';
    IF NOT FOUND THEN
        RETURN 'inactive';
    END IF;
    PERFORM _audit('cancel_package', 'package', p_package_id::text, jsonb_build_object('reason', p_reason));
    PERFORM _announce('cancel_package', p_package_id);
    RETURN NULL;
END
$$;

-- What using, reinstating and cancelling by hand share: front desk and admins only, a reason of at most 500
-- characters, a request id whose replay returns the first outcome and changes nothing, and an answer with the
-- package's counts as they are now, also when the change was refused.
CREATE OR REPLACE FUNCTION _change_package(p_operation text, p_package_id uuid, p_reason text, p_request_id uuid,
                                           p_entry bigint DEFAULT NULL)
RETURNS TABLE(applied boolean, sessions_used int, sessions_total int, sessions_remaining int, reason text)
LANGUAGE plpgsql SET search_path = tutor, pg_temp AS $$
#variable_conflict use_column
DECLARE
    v_prior  jsonb;
    v_reason text;
BEGIN
    PERFORM _require_staff('front_desk', 'admin');
    p_reason := _check_text(p_reason, 'The reason', 500);
    v_prior := _claim_request(p_request_id, p_operation, p_package_id::text || coalesce('/' || p_entry, ''));
    IF v_prior IS NOT NULL THEN
        RETURN QUERY SELECT * FROM _balance(p_package_id, (v_prior ->> 'applied')::boolean, v_prior ->> 'reason');
        RETURN;
    END IF;
    PERFORM _lock_packages(ARRAY[p_package_id]);  -- no session here: the package is the first lock (01_helpers.sql)
    v_reason := CASE p_operation
        WHEN 'use_session' THEN _use_one(p_package_id, p_reason, p_request_id)
        WHEN 'reinstate_session' THEN _reinstate_one(p_package_id, p_reason, p_request_id, p_entry)
        WHEN 'cancel_package' THEN _cancel_one(p_package_id, p_reason)
    END;
    PERFORM _finish_request(p_request_id, jsonb_build_object('applied', v_reason IS NULL, 'reason', v_reason));
    RETURN QUERY SELECT * FROM _balance(p_package_id, v_reason IS NULL, v_reason);
END
$$;

-- Uses one session by hand, with the reason staff give for it (the desktop asks for one).
CREATE OR REPLACE FUNCTION use_session(p_package_id uuid, p_request_id uuid DEFAULT NULL, p_reason text DEFAULT NULL)
RETURNS TABLE(applied boolean, sessions_used int, sessions_total int, sessions_remaining int, reason text)
LANGUAGE sql SECURITY DEFINER SET search_path = tutor, pg_temp AS $$
    SELECT * FROM _change_package('use_session', p_package_id, p_reason, p_request_id);
$$;

-- Gives a used session back (the desktop's Reinstate): the use p_entry names (a ledger row of this package that
-- nothing reversed yet), or the latest; refused with nothing_to_reinstate when none is used.
CREATE OR REPLACE FUNCTION reinstate_session(p_package_id uuid, p_request_id uuid DEFAULT NULL,
                                             p_reason text DEFAULT NULL, p_entry bigint DEFAULT NULL)
RETURNS TABLE(applied boolean, sessions_used int, sessions_total int, sessions_remaining int, reason text)
LANGUAGE sql SECURITY DEFINER SET search_path = tutor, pg_temp AS $$
    SELECT * FROM _change_package('reinstate_session', p_package_id, p_reason, p_request_id, p_entry);
$$;

-- Every package whose counter differs from its ledger. Always empty.
CREATE OR REPLACE FUNCTION reconcile() RETURNS TABLE(package_id uuid, sessions_used int, ledger_sum int)
LANGUAGE sql SECURITY DEFINER SET search_path = tutor, pg_temp AS $$
    SELECT _require_staff('front_desk', 'admin');
    SELECT p.id, p.sessions_used, coalesce(sum(l.delta), 0)::int
      FROM packages p LEFT JOIN package_ledger l ON l.package_id = p.id
     GROUP BY p.id
    HAVING p.sessions_used <> coalesce(sum(l.delta), 0);
$$;

CREATE OR REPLACE FUNCTION cancel_package(p_package_id uuid, p_reason text DEFAULT NULL, p_request_id uuid DEFAULT NULL)
RETURNS TABLE(applied boolean, sessions_used int, sessions_total int, sessions_remaining int, reason text)
LANGUAGE sql SECURITY DEFINER SET search_path = tutor, pg_temp AS $$
    SELECT * FROM _change_package('cancel_package', p_package_id, p_reason, p_request_id);
$$;
