-- How a package gives and takes sessions: the guarded statements and the reads the public functions share.
-- Internal, like everything whose name starts with an underscore: executable by no desk.
SET LOCAL ROLE tutor_owner;
SET LOCAL search_path = tutor;

CREATE OR REPLACE FUNCTION _package_or_fail(p_package_id uuid) RETURNS packages
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

-- Why a package cannot give a session at p_at. Expiry is judged at the moment the session is for: a session's
-- start when a session is charged (a package that expired after the session began still pays for it, also when
-- the session is marked the next morning), now() for a use by hand.
CREATE OR REPLACE FUNCTION _refusal(p packages, p_at timestamptz DEFAULT now()) RETURNS text
LANGUAGE sql STABLE SET search_path = tutor, pg_temp AS $$
    SELECT CASE
        WHEN p.status <> 'active' THEN 'inactive'
        WHEN p.expires_at IS NOT NULL AND p.expires_at <= p_at THEN 'expired'
        ELSE 'exhausted'
    END;
$$;

-- The one guarded statement that takes a session from a package: it succeeds only while the package is
-- active, unexpired at p_at (see _refusal) and not used up, whatever other desks do at the same moment.
CREATE OR REPLACE FUNCTION _take_one(p_package_id uuid, p_at timestamptz DEFAULT now()) RETURNS boolean
LANGUAGE plpgsql SET search_path = tutor, pg_temp AS $$
BEGIN
    UPDATE packages SET sessions_used = sessions_used + 1
     WHERE id = p_package_id
       AND status = 'active'
       AND (expires_at IS NULL OR expires_at > p_at)
       AND sessions_used < sessions_total;
    RETURN FOUND;
END
$$;

-- Takes one session from the package, or says why it cannot. NULL: taken. The reason is read after the guarded
-- statement failed; if another desk gave a session back in between, the package is usable again and we retry,
-- so a refusal never comes with counts that contradict it.
CREATE OR REPLACE FUNCTION _take_one_or_refusal(p_package_id uuid, p_at timestamptz DEFAULT now()) RETURNS text
LANGUAGE plpgsql SET search_path = tutor, pg_temp AS $$
DECLARE
    p packages;
BEGIN
    LOOP
        IF _take_one(p_package_id, p_at) THEN
            RETURN NULL;
        END IF;
        p := _package_or_fail(p_package_id);
        IF _refusal(p, p_at) <> 'exhausted' OR p.sessions_used >= p.sessions_total THEN
            RETURN _refusal(p, p_at);
        END IF;
    END LOOP;
END
$$;

CREATE OR REPLACE FUNCTION _give_one(p_package_id uuid) RETURNS boolean
LANGUAGE plpgsql SET search_path = tutor, pg_temp AS $$
BEGIN
    UPDATE packages SET sessions_used = sessions_used - 1 WHERE id = p_package_id AND sessions_used > 0;
    RETURN FOUND;
END
$$;

-- The latest consumption or manual use of a package that nothing has reversed yet.
CREATE OR REPLACE FUNCTION _latest_live_use(p_package_id uuid) RETURNS package_ledger
LANGUAGE sql STABLE SET search_path = tutor, pg_temp AS $$
    SELECT l.* FROM package_ledger l
     WHERE l.package_id = p_package_id AND l.delta = 1
       AND NOT EXISTS (SELECT 1 FROM package_ledger r WHERE r.reverses = l.id)
     ORDER BY l.id DESC
     LIMIT 1;
$$;

CREATE OR REPLACE FUNCTION _live_consumption(p_session_id uuid) RETURNS package_ledger
LANGUAGE sql STABLE SET search_path = tutor, pg_temp AS $$
    SELECT l.* FROM package_ledger l
     WHERE l.session_id = p_session_id AND l.kind = 'session_consumed'
       AND NOT EXISTS (SELECT 1 FROM package_ledger r WHERE r.reverses = l.id);
$$;

-- The result every balance-changing function returns: the outcome and the package's counts as they are now.
CREATE OR REPLACE FUNCTION _balance(p_package_id uuid, p_applied boolean, p_reason text)
RETURNS TABLE(applied boolean, sessions_used int, sessions_total int, sessions_remaining int, reason text)
LANGUAGE sql SET search_path = tutor, pg_temp AS $$
    SELECT p_applied, p.sessions_used, p.sessions_total, p.sessions_total - p.sessions_used, p_reason
      FROM packages p WHERE p.id = p_package_id;
$$;

-- A package is bought by a session when it was bought on the session's day or before, in the session's time zone
-- (the zone of the desk that booked it): a session before the purchase could never have used it.
CREATE OR REPLACE FUNCTION _bought_by(p_purchased_at timestamptz, p_at timestamptz, p_zone text) RETURNS boolean
LANGUAGE sql STABLE SET search_path = tutor, pg_temp AS $$
    SELECT (p_purchased_at AT TIME ZONE p_zone)::date <= (p_at AT TIME ZONE p_zone)::date;
$$;

-- The client's packages a session starting at p_at (booked in zone p_zone) can be taken from, in the order they
-- are drawn from: the one that expires first (no expiry last), then the oldest; only those bought by the
-- session's day. The one rule for the package a session without a booked package draws from: _charge_session
-- takes from these in this order, session_package names the first. (auto_complete_sessions draws from them
-- set-based, in the same order.)
CREATE OR REPLACE FUNCTION _usable_packages(p_client_id bigint, p_at timestamptz, p_zone text) RETURNS uuid[]
LANGUAGE sql STABLE SET search_path = tutor, pg_temp AS $$
    SELECT coalesce(array_agg(id ORDER BY expires_at ASC NULLS LAST, purchased_at, id), '{}')
      FROM packages
     WHERE client_id = p_client_id AND status = 'active' AND _bought_by(purchased_at, p_at, p_zone)
       AND (expires_at IS NULL OR expires_at > p_at) AND sessions_used < sessions_total;
$$;
