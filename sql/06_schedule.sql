-- The schedule's rules that booking and rescheduling share: one window for every time a person sets, the desk's
-- time zone, weekly series at the same wall-clock time in that zone, and refusing overlaps with a sentence that
-- names the session in the way. Internal: executable by no desk (schedule_conflicts excepted).
SET LOCAL ROLE tutor_owner;
SET LOCAL search_path = tutor;

-- Every time a person sets lies in [1 Jan 2000, 1 Jan 2100) UTC; the tables' CHECK constraints say the same.
CREATE OR REPLACE FUNCTION _check_moment(p_value timestamptz, p_what text) RETURNS timestamptz
LANGUAGE plpgsql SET search_path = tutor, pg_temp AS $$
BEGIN
    IF p_value IS NOT NULL
       AND NOT (p_value >= '2000-01-01 00:00:00+00' AND p_value < '2100-01-01 00:00:00+00') THEN
        PERFORM _fail('TD422', format('%s must lie between the years 2000 and 2099.', p_what));
    END IF;
    RETURN p_value;
END
$$;

-- A start and an end a person gave: both there, in the window, in order, at most 12 hours apart.
CREATE OR REPLACE FUNCTION _check_span(p_starts_at timestamptz, p_ends_at timestamptz) RETURNS void
LANGUAGE plpgsql SET search_path = tutor, pg_temp AS $$
BEGIN
    IF p_starts_at IS NULL OR p_ends_at IS NULL THEN
        PERFORM _fail('TD422', 'A session needs a start and an end.');
    END IF;
    PERFORM _check_moment(p_starts_at, 'A session''s start');
    PERFORM _check_moment(p_ends_at, 'A session''s end');
    IF p_ends_at <= p_starts_at THEN
        PERFORM _fail('TD422', 'A session must end after it starts.');
    END IF;
    IF p_ends_at - p_starts_at > interval '12 hours' THEN
        PERFORM _fail('TD422', 'A session lasts at most 12 hours.');
    END IF;
END
$$;

-- The IANA name of a desk's time zone (Europe/London, America/New_York, UTC), or a refusal.
CREATE OR REPLACE FUNCTION _check_zone(p_zone text) RETURNS text
LANGUAGE plpgsql STABLE SET search_path = tutor, pg_temp AS $$
BEGIN
    IF p_zone IS NULL OR btrim(p_zone) = '' THEN
        PERFORM _fail('TD422', 'The desk''s time zone is missing.');
    END IF;
    IF length(p_zone) > 64 OR NOT EXISTS (SELECT 1 FROM pg_timezone_names WHERE name = p_zone) THEN
        PERFORM _fail('TD422', format('"%s" is not a time zone; use an IANA name such as Europe/London.',
                                      left(p_zone, 64)));
    END IF;
    RETURN p_zone;
END
$$;

-- The moment a wall-clock time in a zone names. A time the clocks skip (spring forward) is refused; a time
-- that happens twice (autumn back) is the earlier of the two, still on summer time. Decided here with the offsets
-- before and after, never by the session's TimeZone setting.
CREATE OR REPLACE FUNCTION _wall_clock(p_local timestamp, p_zone text) RETURNS timestamptz
LANGUAGE plpgsql STABLE SET search_path = tutor, pg_temp AS $$
DECLARE
    v_guess  timestamptz := p_local AT TIME ZONE p_zone;
    v_before interval := ((v_guess - interval '1 day') AT TIME ZONE p_zone) - ((v_guess - interval '1 day') AT TIME ZONE 'UTC');
    v_after  interval := ((v_guess + interval '1 day') AT TIME ZONE p_zone) - ((v_guess + interval '1 day') AT TIME ZONE 'UTC');
    v_early  timestamptz := (p_local - v_before) AT TIME ZONE 'UTC';
    v_late   timestamptz := (p_local - v_after) AT TIME ZONE 'UTC';
    v_found  timestamptz[];
BEGIN
    v_found := ARRAY(SELECT t FROM unnest(ARRAY[v_early, v_late, v_guess]) AS t
                      WHERE (t AT TIME ZONE p_zone) = p_local ORDER BY t);
    IF cardinality(v_found) = 0 THEN
        PERFORM _fail('TD422', format('%s does not exist in %s: the clocks go forward then. Choose another time.',
                                      to_char(p_local, 'HH24:MI "on" Dy FMDD Mon YYYY'), p_zone));
    END IF;
    RETURN v_found[1];
END
$$;

-- A weekly series: the first session at p_starts_at, each next one seven days later at the same wall-clock time
-- in p_zone (across daylight-saving changes, whatever the server's or the connection's TimeZone), each as long
-- as the first.
CREATE OR REPLACE FUNCTION _weekly(p_starts_at timestamptz, p_ends_at timestamptz, p_zone text, p_repeats int)
RETURNS TABLE(n int, starts_at timestamptz, ends_at timestamptz)
LANGUAGE sql STABLE SET search_path = tutor, pg_temp AS $$
    SELECT k, t, t + (p_ends_at - p_starts_at)
      FROM generate_series(0, p_repeats) AS k,
           LATERAL (SELECT CASE WHEN k = 0 THEN p_starts_at
                                ELSE _wall_clock((p_starts_at AT TIME ZONE p_zone) + k * interval '7 days', p_zone)
                           END AS t) m;
$$;

-- The earliest live session of the tutor or the client (other than p_except) that overlaps the span. Also
-- sessions left out of the exclusion constraints because they overlapped before overlaps were refused.
CREATE OR REPLACE FUNCTION _overlap(p_tutor_id bigint, p_client_id bigint, p_starts_at timestamptz,
                                    p_ends_at timestamptz, p_except uuid DEFAULT NULL) RETURNS sessions
LANGUAGE sql STABLE SET search_path = tutor, pg_temp AS $$
    SELECT * FROM sessions s
     WHERE (s.tutor_id = p_tutor_id OR s.client_id = p_client_id)
       AND s.status NOT IN ('cancelled', 'rescheduled')
       AND s.starts_at < p_ends_at AND s.ends_at > p_starts_at
       AND s.id IS DISTINCT FROM p_except
     ORDER BY s.starts_at, s.id
     LIMIT 1;
$$;

-- Refuses a span because session c is in the way: a sentence in the booking desk's zone, and the conflicting
-- session as JSON in DETAIL (SQLSTATE TD423) so a desk can word it in its own zone.
CREATE OR REPLACE FUNCTION _refuse_overlap(c sessions, p_tutor_id bigint, p_zone text) RETURNS void
LANGUAGE plpgsql SET search_path = tutor, pg_temp AS $$
DECLARE
    v_tutor  text := (SELECT display_name FROM staff WHERE id = c.tutor_id);
    v_client text := (SELECT full_name FROM clients WHERE id = c.client_id);
    v_when   text := to_char(c.starts_at AT TIME ZONE p_zone, 'Dy FMDD Mon HH24:MI') || '–'
                     || to_char(c.ends_at AT TIME ZONE p_zone, 'HH24:MI');
BEGIN
    RAISE EXCEPTION USING ERRCODE = 'TD423',
        MESSAGE = CASE WHEN c.tutor_id = p_tutor_id
                       THEN format('%s already has %s on %s.', v_tutor, v_client, v_when)
                       ELSE format('%s already has a session with %s on %s.', v_client, v_tutor, v_when) END,
        DETAIL = json_build_object('session_id', c.id, 'tutor_id', c.tutor_id, 'tutor_name', v_tutor,
                                   'client_id', c.client_id, 'client_name', v_client,
                                   'starts_at', c.starts_at, 'ends_at', c.ends_at, 'time_zone', c.time_zone)::text;
END
$$;

-- A session booked on a package starts no earlier than the day the package is bought (in the booking desk's zone):
-- a session before the purchase could never have used it, and would be charged to it by the next auto-complete.
-- The same day is allowed: a client often buys the package at the end of the first session.
CREATE OR REPLACE FUNCTION _check_after_purchase(p_package_id uuid, p_starts_at timestamptz, p_zone text) RETURNS void
LANGUAGE plpgsql SET search_path = tutor, pg_temp AS $$
DECLARE
    p packages;
BEGIN
    SELECT * INTO p FROM packages WHERE id = p_package_id;
    IF FOUND AND (p_starts_at AT TIME ZONE p_zone)::date < (p.purchased_at AT TIME ZONE p_zone)::date THEN
        PERFORM _fail('TD422', format(
            'The session would start on %s, before the package "%s" was bought (%s). Choose a later time or another package.',
            to_char(p_starts_at AT TIME ZONE p_zone, 'Dy FMDD Mon YYYY HH24:MI'), p.label,
            to_char(p.purchased_at AT TIME ZONE p_zone, 'FMDD Mon YYYY')));
    END IF;
END
$$;

-- Inserts one session unless a live session of its tutor or client overlaps it. Another desk's booking of the
-- same hour that commits first shows as an exclusion violation here, and is refused by name the same way.
CREATE OR REPLACE FUNCTION _insert_session(p_client_id bigint, p_tutor_id bigint, p_package_id uuid,
                                           p_starts_at timestamptz, p_ends_at timestamptz, p_zone text,
                                           p_series uuid) RETURNS uuid
LANGUAGE plpgsql SET search_path = tutor, pg_temp AS $$
DECLARE
    c     sessions;
    v_new uuid;
BEGIN
    c := _overlap(p_tutor_id, p_client_id, p_starts_at, p_ends_at);
    IF c.id IS NOT NULL THEN
        PERFORM _refuse_overlap(c, p_tutor_id, p_zone);
    END IF;
    BEGIN
        INSERT INTO sessions (client_id, tutor_id, package_id, starts_at, ends_at, time_zone, series_id, updated_by)
        VALUES (p_client_id, p_tutor_id, p_package_id, p_starts_at, p_ends_at, p_zone, p_series, session_user)
        RETURNING id INTO v_new;
    EXCEPTION WHEN exclusion_violation THEN
        c := _overlap(p_tutor_id, p_client_id, p_starts_at, p_ends_at);
        IF c.id IS NOT NULL THEN
            PERFORM _refuse_overlap(c, p_tutor_id, p_zone);
        END IF;
        RAISE;
    END;
    RETURN v_new;
END
$$;

-- Every pair of live sessions of one tutor or one client that overlap, earlier first: only ever pairs with a
-- session that overlapped before overlaps were refused (the exclusion constraints hold for all others).
-- Front desk and admins.
CREATE OR REPLACE FUNCTION schedule_conflicts() RETURNS TABLE(session_id uuid, other_session_id uuid)
LANGUAGE sql SECURITY DEFINER SET search_path = tutor, pg_temp AS $$
    SELECT _require_staff('front_desk', 'admin');
    SELECT a, b FROM (
        SELECT DISTINCT CASE WHEN (f.starts_at, f.id) < (o.starts_at, o.id) THEN f.id ELSE o.id END AS a,
                        CASE WHEN (f.starts_at, f.id) < (o.starts_at, o.id) THEN o.id ELSE f.id END AS b,
                        least(f.starts_at, o.starts_at) AS at
          FROM sessions f
          JOIN sessions o ON (o.tutor_id = f.tutor_id OR o.client_id = f.client_id) AND o.id <> f.id
                         AND o.starts_at < f.ends_at AND o.ends_at > f.starts_at
                         AND o.status NOT IN ('cancelled', 'rescheduled')
         WHERE f.overlap_before_rules AND f.status NOT IN ('cancelled', 'rescheduled')
    ) pairs
     ORDER BY at, a, b;
$$;
