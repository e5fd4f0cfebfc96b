-- Building blocks of the public functions. Not SECURITY DEFINER and not executable by the app: they only run
-- inside the public functions, as the owner.
SET LOCAL ROLE tutor_owner;
SET LOCAL search_path = tutor;

CREATE FUNCTION _fail(p_code text, p_message text) RETURNS void
LANGUAGE plpgsql SET search_path = tutor, pg_temp AS $$
BEGIN
    RAISE EXCEPTION USING ERRCODE = p_code, MESSAGE = p_message;
END
$$;

-- Text limits, with a message a person understands. Text is otherwise stored verbatim.
CREATE FUNCTION _check_text(p_value text, p_field text, p_max int, p_required boolean DEFAULT false) RETURNS text
LANGUAGE plpgsql SET search_path = tutor, pg_temp AS $$
BEGIN
    IF p_required AND (p_value IS NULL OR btrim(p_value) = '') THEN
        PERFORM _fail('TD422', format('%s must not be empty.', p_field));
    END IF;
    IF length(p_value) > p_max THEN
        PERFORM _fail('TD422', format('%s is too long (%s characters, at most %s).', p_field, length(p_value), p_max));
    END IF;
    RETURN p_value;
END
$$;

-- Claims a request id for an operation on a target. NULL: the request is new and now ours (our transaction
-- holds it until commit, so a concurrent replay waits for our outcome). Otherwise the stored first outcome.
CREATE FUNCTION _claim_request(p_request_id uuid, p_operation text, p_target text) RETURNS jsonb
LANGUAGE plpgsql SET search_path = tutor, pg_temp AS $$
DECLARE
    r requests;
BEGIN
    IF p_target IS NULL THEN
        PERFORM _fail('TD422', 'The id of the record to change is missing.');
    END IF;
    IF p_request_id IS NULL THEN
        RETURN NULL;
    END IF;
    INSERT INTO requests (request_id, operation, target) VALUES (p_request_id, p_operation, p_target)
    ON CONFLICT (request_id) DO NOTHING;
    IF FOUND THEN
        RETURN NULL;
    END IF;
    SELECT * INTO r FROM requests WHERE request_id = p_request_id;
    IF r.operation <> p_operation OR r.target <> p_target THEN
        PERFORM _fail('TD409', format('Request %s was already used for a different action.', p_request_id));
    END IF;
    RETURN coalesce(r.outcome, '{}'::jsonb);
END
$$;

CREATE FUNCTION _finish_request(p_request_id uuid, p_outcome jsonb) RETURNS void
LANGUAGE sql SET search_path = tutor, pg_temp AS $$
    UPDATE requests SET outcome = p_outcome WHERE request_id = p_request_id;
$$;

CREATE FUNCTION _audit(p_action text, p_entity_type text, p_entity_id text, p_details jsonb) RETURNS void
LANGUAGE sql SET search_path = tutor, pg_temp AS $$
    INSERT INTO audit_log (actor, action, entity_type, entity_id, details)
    VALUES (session_user, p_action, p_entity_type, p_entity_id, coalesce(p_details, '{}'::jsonb));
$$;

-- Every open window on every desk listens on this channel and refreshes what the payload names.
CREATE FUNCTION _announce(p_op text, p_package_id uuid, p_session_id uuid DEFAULT NULL, p_client_id bigint DEFAULT NULL)
RETURNS void
LANGUAGE sql SET search_path = tutor, pg_temp AS $$
    SELECT pg_notify('tutor_desk_changes', json_strip_nulls(json_build_object(
        'op', p_op, 'package', p_package_id, 'session', p_session_id, 'client', p_client_id))::text);
$$;

CREATE FUNCTION _package_or_fail(p_package_id uuid) RETURNS packages
LANGUAGE plpgsql SET search_path = tutor, pg_temp AS $$
DECLARE
    p packages;
BEGIN
    SELECT * INTO p FROM packages WHERE id = p_package_id;
    IF NOT FOUND THEN
        PERFORM _fail('TD404', format('There is no package with id %s.', p_package_id));
    END IF;
    RETURN p;
END
$$;

-- Why a package cannot give a session right now.
CREATE FUNCTION _refusal(p packages) RETURNS text
LANGUAGE sql STABLE SET search_path = tutor, pg_temp AS $$
    SELECT CASE
        WHEN p.status <> 'active' THEN 'inactive'
        WHEN p.expires_at IS NOT NULL AND p.expires_at <= now() THEN 'expired'
        ELSE 'exhausted'
    END;
$$;

-- The one guarded statement that takes a session from a package: it succeeds only while the package is
-- active, unexpired by the database clock and not used up, whatever other desks do at the same moment.
CREATE FUNCTION _take_one(p_package_id uuid) RETURNS boolean
LANGUAGE plpgsql SET search_path = tutor, pg_temp AS $$
BEGIN
    UPDATE packages SET sessions_used = sessions_used + 1
     WHERE id = p_package_id
       AND status = 'active'
       AND (expires_at IS NULL OR expires_at > now())
       AND sessions_used < sessions_total;
    RETURN FOUND;
END
$$;

-- Takes one session from the package, or says why it cannot. NULL: taken. The reason is read after the guarded
-- statement failed; if another desk gave a session back in between, the package is usable again and we retry,
-- so a refusal never comes with counts that contradict it.
CREATE FUNCTION _take_one_or_refusal(p_package_id uuid) RETURNS text
LANGUAGE plpgsql SET search_path = tutor, pg_temp AS $$
DECLARE
    p packages;
BEGIN
    LOOP
        IF _take_one(p_package_id) THEN
            RETURN NULL;
        END IF;
        p := _package_or_fail(p_package_id);
        IF _refusal(p) <> 'exhausted' OR p.sessions_used >= p.sessions_total THEN
            RETURN _refusal(p);
        END IF;
    END LOOP;
END
$$;

CREATE FUNCTION _give_one(p_package_id uuid) RETURNS boolean
LANGUAGE plpgsql SET search_path = tutor, pg_temp AS $$
BEGIN
    UPDATE packages SET sessions_used = sessions_used - 1 WHERE id = p_package_id AND sessions_used > 0;
    RETURN FOUND;
END
$$;

-- The latest consumption or manual use of a package that nothing has reversed yet.
CREATE FUNCTION _latest_live_use(p_package_id uuid) RETURNS package_ledger
LANGUAGE sql STABLE SET search_path = tutor, pg_temp AS $$
    SELECT l.* FROM package_ledger l
     WHERE l.package_id = p_package_id AND l.delta = 1
       AND NOT EXISTS (SELECT 1 FROM package_ledger r WHERE r.reverses = l.id)
     ORDER BY l.id DESC
     LIMIT 1;
$$;

CREATE FUNCTION _live_consumption(p_session_id uuid) RETURNS package_ledger
LANGUAGE sql STABLE SET search_path = tutor, pg_temp AS $$
    SELECT l.* FROM package_ledger l
     WHERE l.session_id = p_session_id AND l.kind = 'session_consumed'
       AND NOT EXISTS (SELECT 1 FROM package_ledger r WHERE r.reverses = l.id);
$$;

-- The result every balance-changing function returns: the outcome and the package's counts as they are now.
CREATE FUNCTION _balance(p_package_id uuid, p_applied boolean, p_reason text)
RETURNS TABLE(applied boolean, sessions_used int, sessions_total int, sessions_remaining int, reason text)
LANGUAGE sql SET search_path = tutor, pg_temp AS $$
    SELECT p_applied, p.sessions_used, p.sessions_total, p.sessions_total - p.sessions_used, p_reason
      FROM packages p WHERE p.id = p_package_id;
$$;
