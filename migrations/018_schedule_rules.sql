-- The schedule's rules as constraints: no two live sessions of one tutor or of one client overlap, every time a
-- person can set lies between 2000 and 2100, and each session keeps the IANA time zone of the desk that booked it
-- (and the weekly series it belongs to).
SET LOCAL ROLE tutor_owner;
SET LOCAL search_path = tutor;

-- Functions that took no "at" before: they now judge expiry at a given moment (the session's start for a
-- session's charge). CREATE OR REPLACE cannot change a function's arguments, so the old ones go first; the sql/
-- files applied right after define them afresh.
DROP FUNCTION IF EXISTS _refusal(packages);
DROP FUNCTION IF EXISTS _take_one(uuid);
DROP FUNCTION IF EXISTS _take_one_or_refusal(uuid);
DROP FUNCTION IF EXISTS _usable_packages(bigint);
-- Booking and rescheduling take the desk's time zone.
DROP FUNCTION IF EXISTS book_session(bigint, bigint, timestamptz, timestamptz, uuid, int, uuid);
DROP FUNCTION IF EXISTS reschedule_session(uuid, timestamptz, timestamptz, uuid);

ALTER TABLE sessions
    ADD COLUMN time_zone text NOT NULL DEFAULT 'UTC' CHECK (length(time_zone) BETWEEN 1 AND 64),
    ADD COLUMN series_id uuid,
    -- Set by this migration only: a session that overlapped an earlier live session of its tutor or client
    -- before overlaps were refused. Such rows are left out of the exclusion constraints (which cannot be NOT
    -- VALID) and listed by schedule_conflicts(); the booking functions still refuse to overlap them.
    ADD COLUMN overlap_before_rules boolean NOT NULL DEFAULT false;
CREATE INDEX sessions_series_idx ON sessions (series_id) WHERE series_id IS NOT NULL;
CREATE INDEX sessions_overlap_before_rules_idx ON sessions (id) WHERE overlap_before_rules;

UPDATE sessions later SET overlap_before_rules = true
 WHERE later.status NOT IN ('cancelled', 'rescheduled')
   AND EXISTS (
       SELECT 1 FROM sessions earlier
        WHERE earlier.status NOT IN ('cancelled', 'rescheduled')
          AND (earlier.tutor_id = later.tutor_id OR earlier.client_id = later.client_id)
          AND tstzrange(earlier.starts_at, earlier.ends_at) && tstzrange(later.starts_at, later.ends_at)
          AND (earlier.starts_at, earlier.id) < (later.starts_at, later.id));

-- Core GiST operator classes only (no btree_gist): the tutor or client id as a one-point range.
ALTER TABLE sessions ADD CONSTRAINT sessions_tutor_no_overlap EXCLUDE USING gist (
    int8range(tutor_id, tutor_id, '[]') WITH &&, tstzrange(starts_at, ends_at) WITH &&)
    WHERE (status NOT IN ('cancelled', 'rescheduled') AND NOT overlap_before_rules);
ALTER TABLE sessions ADD CONSTRAINT sessions_client_no_overlap EXCLUDE USING gist (
    int8range(client_id, client_id, '[]') WITH &&, tstzrange(starts_at, ends_at) WITH &&)
    WHERE (status NOT IN ('cancelled', 'rescheduled') AND NOT overlap_before_rules);

-- One window for every time a person sets: from 1 January 2000 to 1 January 2100 (UTC). A package that never
-- expires has no expiry (NULL), never 'infinity': the migration turns an 'infinity' expiry into NULL, which
-- means the same. Rows outside the window that a database already holds are not changed otherwise: the checks
-- are then left NOT VALID (new and changed rows are checked) rather than failing the upgrade.
UPDATE packages SET expires_at = NULL WHERE expires_at = 'infinity';
ALTER TABLE packages
    ADD CONSTRAINT packages_purchased_in_window
        CHECK (purchased_at >= '2000-01-01 00:00:00+00' AND purchased_at < '2100-01-01 00:00:00+00') NOT VALID,
    ADD CONSTRAINT packages_expires_in_window
        CHECK (expires_at >= '2000-01-01 00:00:00+00' AND expires_at < '2100-01-01 00:00:00+00') NOT VALID;
ALTER TABLE sessions
    ADD CONSTRAINT sessions_starts_in_window
        CHECK (starts_at >= '2000-01-01 00:00:00+00' AND starts_at < '2100-01-01 00:00:00+00') NOT VALID,
    ADD CONSTRAINT sessions_ends_in_window
        CHECK (ends_at >= '2000-01-01 00:00:00+00' AND ends_at < '2100-01-01 00:00:00+00') NOT VALID;

DO $$
DECLARE
    v record;
BEGIN
    FOR v IN SELECT conrelid::regclass AS tbl, conname FROM pg_constraint
              WHERE connamespace = 'tutor'::regnamespace AND NOT convalidated
                AND conname IN ('packages_purchased_in_window', 'packages_expires_in_window',
                                'sessions_starts_in_window', 'sessions_ends_in_window') LOOP
        BEGIN
            EXECUTE format('ALTER TABLE %s VALIDATE CONSTRAINT %I', v.tbl, v.conname);
        EXCEPTION WHEN check_violation THEN
            RAISE WARNING 'Some rows of % lie outside 2000..2100; % stays NOT VALID.', v.tbl, v.conname;
        END;
    END LOOP;
END
$$;
