-- Building blocks of the public functions. Not SECURITY DEFINER and not executable by any desk: they only run
-- inside the public functions, as the owner. (Every file of sql/ is applied in the order of its number, whole,
-- whenever one of them changed; each defines with CREATE OR REPLACE, so applying it again changes nothing.)
SET LOCAL ROLE tutor_owner;
SET LOCAL search_path = tutor;

CREATE OR REPLACE FUNCTION _fail(p_code text, p_message text) RETURNS void
LANGUAGE plpgsql SET search_path = tutor, pg_temp AS $$
BEGIN
    RAISE EXCEPTION USING ERRCODE = p_code, MESSAGE = p_message;
END
$$;

-- Text as a person means it. Normalised to NFC (an "e" and a combining accent become one "é"); a required field
-- that a person would see as empty (spaces of any kind, zero-width characters, direction marks) is refused; a
-- single-line field (a name, a label, an e-mail address, a phone number) refuses control characters and loses the
-- invisible characters at its ends. Multi-line text (notes, reasons) keeps its line breaks and tabs. Returns the
-- text to store.
CREATE OR REPLACE FUNCTION _check_text(p_value text, p_field text, p_max int, p_required boolean DEFAULT false,
                                       p_single_line boolean DEFAULT false) RETURNS text
LANGUAGE plpgsql SET search_path = tutor, pg_temp AS $$
DECLARE
    -- White space of every kind, zero-width and invisible format characters, and direction marks.
    c_blank constant text := '[\s\u0085\u00a0\u00ad\u034f\u115f\u1160\u1680\u180e\u2000-\u200f'
                             || '\u2028-\u202f\u205f-\u2064\u2066-\u206f\u3000\u3164\ufeff\uffa0\u0001-\u001f\u007f-\u009f]';
    v text := p_value;
BEGIN
    IF v IS NOT NULL AND current_setting('server_encoding') = 'UTF8' THEN
        v := normalize(v, NFC);
    END IF;
    IF p_required AND (v IS NULL OR v ~ ('^' || c_blank || '*$')) THEN
        PERFORM _fail('TD422', format('%s is empty or has only spaces.', p_field));
    END IF;
    IF p_single_line AND v ~ '[\u0001-\u001f\u007f-\u009f]' THEN
        PERFORM _fail('TD422', format('%s has a control character (such as a tab or a line break); it must be one line of text.',
                                      p_field));
    END IF;
    IF p_single_line THEN
        v := regexp_replace(v, '^' || c_blank || '+|' || c_blank || '+$', '', 'g');
    END IF;
    IF length(v) > p_max THEN
        PERFORM _fail('TD422', format('%s is too long (%s characters, at most %s).', p_field, length(v), p_max));
    END IF;
    RETURN v;
END
$$;

-- Claims a request id for an operation on a target. NULL: the request is new and now ours (our transaction
-- holds it until commit, so a concurrent replay waits for our outcome). Otherwise the stored first outcome.
CREATE OR REPLACE FUNCTION _claim_request(p_request_id uuid, p_operation text, p_target text) RETURNS jsonb
LANGUAGE plpgsql SET search_path = tutor, pg_temp AS $$
DECLARE
    r requests;
BEGIN
    IF p_target IS NULL THEN
        PERFORM _fail('TD422', 'The id of the record to change is missing.');
    END IF;
    -- The change feed names the request that made a change (_announce in 01_change_feed.sql).
    PERFORM set_config('tutor.request_id', coalesce(p_request_id::text, ''), true);
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

-- How long a request id is kept: a desk retries within minutes (payment APIs keep idempotency keys for a day).
-- After that it is pruned, and a replay of it is a new request.
CREATE OR REPLACE FUNCTION _request_window() RETURNS interval
LANGUAGE sql IMMUTABLE SET search_path = tutor, pg_temp AS $$
    SELECT interval '7 days';
$$;

-- Removes request ids older than the window, at most p_limit of them (NULL: all), and says how many. Rows
-- another transaction holds are left for the next prune, so parallel prunes never wait for each other.
CREATE OR REPLACE FUNCTION _prune_requests(p_limit int) RETURNS int
LANGUAGE sql SET search_path = tutor, pg_temp AS $$
    WITH old AS (
        SELECT request_id FROM requests WHERE created_at < now() - _request_window()
         ORDER BY created_at LIMIT p_limit FOR UPDATE SKIP LOCKED
    ), gone AS (
        DELETE FROM requests r USING old WHERE r.request_id = old.request_id RETURNING 1
    )
    SELECT count(*)::int FROM gone;
$$;

-- THE LOCK ORDER. A function that decides from a read locks what it decides about first, always in this order,
-- and reads again under the locks: (1) the session row, when there is one (_session_for_update); (2) the
-- schedule of its tutor, then of its client (_lock_schedule), for whatever may make a session live at an hour;
-- (3) then the package rows, in id order (_lock_packages). Nothing takes a session after a package or a
-- schedule. So two calls never wait for each other in a circle, and the unique indexes of the ledger and the
-- overlap constraints stay a last line of defence that no caller reaches. Auto-complete takes the same locks in
-- the same order but skips what another transaction holds. A function whose only lock is one package and whose
-- guarded UPDATE is its deciding read (use_session) takes the row with that UPDATE, after everything that does not
-- need it, so a hot package is held from that statement to the commit only. Rows written before it (the request's
-- claim, audit and feed rows) lock nothing another desk's call waits for, except the same request id's.
CREATE OR REPLACE FUNCTION _lock_packages(p_ids uuid[]) RETURNS void
LANGUAGE plpgsql SET search_path = tutor, pg_temp AS $$
BEGIN
    PERFORM 1 FROM packages WHERE id = ANY (p_ids) ORDER BY id FOR NO KEY UPDATE;
END
$$;

-- Two desks booking one tutor's or one client's hours take turns here: without it, each insert's overlap check
-- (one constraint for tutors, one for clients) could wait for the other's uncommitted row, a deadlock. Held to
-- the end of the transaction; a hash of the id is the key (a collision only makes two desks take turns).
CREATE OR REPLACE FUNCTION _lock_schedule(p_tutor_id bigint, p_client_id bigint) RETURNS void
LANGUAGE sql SET search_path = tutor, pg_temp AS $$
    SELECT pg_advisory_xact_lock(hashtextextended('tutor_desk.tutor.' || p_tutor_id, 0)),
           pg_advisory_xact_lock(hashtextextended('tutor_desk.client.' || p_client_id, 0));
$$;

CREATE OR REPLACE FUNCTION _finish_request(p_request_id uuid, p_outcome jsonb) RETURNS void
LANGUAGE sql SET search_path = tutor, pg_temp AS $$
    UPDATE requests SET outcome = p_outcome WHERE request_id = p_request_id;
$$;

CREATE OR REPLACE FUNCTION _audit(p_action text, p_entity_type text, p_entity_id text, p_details jsonb) RETURNS void
LANGUAGE sql SET search_path = tutor, pg_temp AS $$
    INSERT INTO audit_log (actor, action, entity_type, entity_id, details)
    VALUES (session_user, p_action, p_entity_type, p_entity_id, coalesce(p_details, '{}'::jsonb));
$$;
