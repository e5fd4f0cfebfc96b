-- Staff using a session by hand, reinstating one, cancelling a package, and the check that every counter agrees
-- with its ledger.
SET LOCAL ROLE tutor_owner;
SET LOCAL search_path = tutor;

-- Gives back a use of the package that nothing has reversed yet: the ledger row p_entry names, or the latest one;
-- or says why it cannot (NULL: given back). A named row that is no live use of this package is refused.
CREATE OR REPLACE FUNCTION _reinstate_one(p_package_id uuid, p_reason text, p_request_id uuid, p_entry bigint)
RETURNS text
LANGUAGE plpgsql SET search_path = tutor, pg_temp AS $$
DECLARE
    v_target package_ledger;
BEGIN
    -- A cancelled package gives nothing back by hand (a correction of a session's mark still gives back).
    IF (SELECT status FROM packages WHERE id = p_package_id) = 'cancelled' THEN
        RETURN 'inactive';
    END IF;
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

-- Reinstating by hand (using by hand, below, follows the same rules): front desk and admins only, a reason of at
-- most 500 characters, a request id whose replay returns the first outcome and changes nothing, and an answer
-- with the package's counts as they are now, also when the change was refused.
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
    -- No session here: the package is the first lock (01_helpers.sql). Taken before the guarded UPDATE because a
    -- named use is read and checked under it first.
    PERFORM _lock_packages(ARRAY[p_package_id]);
    v_reason := _reinstate_one(p_package_id, p_reason, p_request_id, p_entry);
    PERFORM _finish_request(p_request_id, jsonb_build_object('applied', v_reason IS NULL, 'reason', v_reason));
    RETURN QUERY SELECT * FROM _balance(p_package_id, v_reason IS NULL, v_reason);
END
$$;

-- Uses one session by hand, with the reason staff give for it (the desktop asks for one).
-- The busiest call of a studio, and a hot package has desks queueing for its row lock, which is held from the
-- statement that takes it to the commit. So everything that does not need the package's row comes first (the
-- request's claim and its outcome, the audit row, the change for the feed), the guarded UPDATE takes the row and
-- decides, and only the ledger row is written under the lock; the counts come back from the UPDATE itself. (The
-- ledger row waits for the lock: written before it, its foreign-key check would share-lock the package row while
-- another desk updates it, and the server would record every such pair of lockers in a multixact.) A refusal,
-- rare, takes the audit row and the change back and records the refusal as the request's outcome.
CREATE OR REPLACE FUNCTION use_session(p_package_id uuid, p_request_id uuid DEFAULT NULL, p_reason text DEFAULT NULL)
RETURNS TABLE(applied boolean, sessions_used int, sessions_total int, sessions_remaining int, reason text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = tutor, pg_temp AS $$
#variable_conflict use_column
DECLARE
    v_prior  jsonb;
    v_audit  bigint;
    v_change bigint;
    v_used   int;
    v_total  int;
    v_reason text;
BEGIN
    PERFORM _require_staff('front_desk', 'admin');
    p_reason := _check_text(p_reason, 'The reason', 500);
    v_prior := _claim_request(p_request_id, 'use_session', p_package_id::text);
    IF v_prior IS NOT NULL THEN
        RETURN QUERY SELECT * FROM _balance(p_package_id, (v_prior ->> 'applied')::boolean, v_prior ->> 'reason');
        RETURN;
    END IF;
    PERFORM _finish_request(p_request_id, '{"applied": true, "reason": null}');
    INSERT INTO audit_log (actor, action, entity_type, entity_id, details)
    VALUES (session_user, 'manual_use', 'package', p_package_id::text, jsonb_build_object('reason', p_reason))
    RETURNING id INTO v_audit;
    v_change := _announce_package('use_session', p_package_id);

    UPDATE packages p SET sessions_used = p.sessions_used + 1
     WHERE p.id = p_package_id AND p.status = 'active' AND (p.expires_at IS NULL OR p.expires_at > now())
       AND p.sessions_used < p.sessions_total  -- the guard of _take_one (03_packages.sql), with the counts
    RETURNING p.sessions_used, p.sessions_total INTO v_used, v_total;
    IF NOT FOUND THEN  -- why not, read under the lock (a give-back that came in between makes it usable again)
        v_reason := _take_one_or_refusal(p_package_id);
        IF v_reason IS NOT NULL THEN
            DELETE FROM audit_log WHERE id = v_audit;
            DELETE FROM change_feed WHERE id = v_change;
            PERFORM _finish_request(p_request_id, jsonb_build_object('applied', false, 'reason', v_reason));
            RETURN QUERY SELECT * FROM _balance(p_package_id, false, v_reason);
            RETURN;
        END IF;
        SELECT p.sessions_used, p.sessions_total INTO v_used, v_total FROM packages p WHERE p.id = p_package_id;
    END IF;
    INSERT INTO package_ledger (package_id, delta, kind, reason, actor, request_id)
    VALUES (p_package_id, 1, 'manual_use', coalesce(p_reason, ''), session_user, p_request_id);
    RETURN QUERY SELECT true, v_used, v_total, v_total - v_used, NULL::text;
END
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

-- Cancels an active package (refused with "inactive" when it is not), and does with the sessions booked on it that
-- have not started yet what the person chose: 'move' them to another active package of the same client (p_move_to), 'cancel' them,
-- or 'keep' them with no package (marked, they draw from the client's usable package like any such session). The
-- answer counts them; a replay returns the first outcome. (One that started but is not marked yet keeps the package
-- and, marked, is refused as inactive.) Locks in the order of 01_helpers.sql: the booked
-- sessions, then both packages in id order (no schedule: nothing here makes a session live at an hour).
CREATE OR REPLACE FUNCTION cancel_package(p_package_id uuid, p_reason text DEFAULT NULL, p_request_id uuid DEFAULT NULL,
                                          p_booked text DEFAULT 'keep', p_move_to uuid DEFAULT NULL)
RETURNS TABLE(applied boolean, sessions_used int, sessions_total int, sessions_remaining int, reason text,
              sessions_moved int, sessions_cancelled int, sessions_kept int)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = tutor, pg_temp AS $$
#variable_conflict use_column
DECLARE
    v_prior   jsonb;
    v_package packages;
    v_target  packages;
    v_ids     uuid[];
    v_id      uuid;
    v_outcome jsonb;
BEGIN
    PERFORM _require_staff('front_desk', 'admin');
    p_reason := _check_text(p_reason, 'The reason', 500);
    IF p_booked IS NULL OR p_booked NOT IN ('move', 'cancel', 'keep') THEN
        PERFORM _fail('TD422', 'Say whether the booked sessions move, are cancelled or keep no package.');
    END IF;
    IF (p_booked = 'move') <> (p_move_to IS NOT NULL) THEN
        PERFORM _fail('TD422', 'A package to move the booked sessions to is given only when they move.');
    END IF;
    v_prior := _claim_request(p_request_id, 'cancel_package', p_package_id::text);
    IF v_prior IS NULL THEN
        v_package := _package_or_fail(p_package_id);
        PERFORM 1 FROM sessions WHERE package_id = p_package_id AND status = 'scheduled' AND starts_at > now() ORDER BY id FOR NO KEY UPDATE;
        PERFORM _lock_packages(ARRAY[p_package_id, p_move_to]);
        -- A booking that took the package between the two reads is committed now (booking holds the package); its
        -- session is taken without waiting, since nothing may wait for a session while holding a package.
        PERFORM 1 FROM sessions WHERE package_id = p_package_id AND status = 'scheduled' AND starts_at > now() FOR NO KEY UPDATE NOWAIT;
        v_ids := ARRAY(SELECT id FROM sessions WHERE package_id = p_package_id AND status = 'scheduled' AND starts_at > now()
                        ORDER BY starts_at, id);
        UPDATE packages SET status = 'cancelled' WHERE id = p_package_id AND status = 'active';
        IF NOT FOUND THEN
            v_outcome := jsonb_build_object('applied', false, 'reason', 'inactive');
        ELSE
            IF p_booked = 'move' THEN
                SELECT * INTO v_target FROM packages WHERE id = p_move_to;
                IF NOT FOUND OR v_target.client_id <> v_package.client_id OR v_target.id = p_package_id THEN
                    PERFORM _fail('TD422', 'The booked sessions can move only to another package of the same client.');
                END IF;
                IF v_target.status <> 'active' OR (v_target.expires_at IS NOT NULL AND v_target.expires_at <= now()) THEN
                    PERFORM _fail('TD422', format('%s is not active; the booked sessions cannot move to it.',
                                                  v_target.label));
                END IF;
                UPDATE sessions SET package_id = p_move_to, updated_by = session_user, updated_at = now()
                 WHERE id = ANY (v_ids);
            ELSIF p_booked = 'cancel' THEN
                UPDATE sessions SET status = 'cancelled', updated_by = session_user, updated_at = now()
                 WHERE id = ANY (v_ids);
            ELSE
                UPDATE sessions SET package_id = NULL, updated_by = session_user, updated_at = now()
                 WHERE id = ANY (v_ids);
            END IF;
            v_outcome := jsonb_build_object('applied', true, 'reason', NULL,
                'moved', CASE p_booked WHEN 'move' THEN cardinality(v_ids) ELSE 0 END,
                'cancelled', CASE p_booked WHEN 'cancel' THEN cardinality(v_ids) ELSE 0 END,
                'kept', CASE p_booked WHEN 'keep' THEN cardinality(v_ids) ELSE 0 END);
            PERFORM _audit('cancel_package', 'package', p_package_id::text, jsonb_build_object(
                'reason', p_reason, 'booked', p_booked, 'sessions', to_jsonb(v_ids), 'move_to', p_move_to,
                'move_to_label', v_target.label));
            PERFORM _announce('cancel_package', p_package_id, NULL, v_package.client_id);
            FOREACH v_id IN ARRAY v_ids LOOP
                PERFORM _announce('cancel_package', coalesce(p_move_to, p_package_id), v_id);
            END LOOP;
        END IF;
        PERFORM _finish_request(p_request_id, v_outcome);
        v_prior := v_outcome;
    END IF;
    RETURN QUERY SELECT b.*, coalesce((v_prior ->> 'moved')::int, 0), coalesce((v_prior ->> 'cancelled')::int, 0),
                        coalesce((v_prior ->> 'kept')::int, 0)
                   FROM _balance(p_package_id, (v_prior ->> 'applied')::boolean, v_prior ->> 'reason') b;
END
$$;
