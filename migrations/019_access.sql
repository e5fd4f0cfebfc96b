-- Who teaches, and reads that leak nothing.
--
-- Large objects: PostgreSQL lets every login of a database store them (lo_from_bytea, lo_create, ...), outside
-- every table, grant and row policy of Tutor Desk. Nothing of Tutor Desk uses them, so no login of the studio
-- database may (the grants of pg_catalog's functions are kept per database; a superuser runs migrations).
DO $$
DECLARE
    v regprocedure;
BEGIN
    FOR v IN SELECT p.oid::regprocedure FROM pg_proc p
              WHERE p.pronamespace = 'pg_catalog'::regnamespace
                AND (p.proname LIKE 'lo\_%' OR p.proname IN ('loread', 'lowrite'))
                AND p.proname NOT IN ('lo_in', 'lo_out')
    LOOP
        EXECUTE format('REVOKE EXECUTE ON FUNCTION %s FROM PUBLIC', v);
    END LOOP;
END
$$;

SET LOCAL ROLE tutor_owner;
SET LOCAL search_path = tutor;

-- The signatures that took a teaches argument, and the text check that tells single-line text apart; sql/
-- creates them again.
DROP FUNCTION IF EXISTS add_staff(text, text, uuid);
DROP FUNCTION IF EXISTS create_staff_account(text, text, text, text, uuid);
DROP FUNCTION IF EXISTS _add_staff_member(text, text, text, text, text, text, uuid);
DROP FUNCTION IF EXISTS _check_text(text, text, int, boolean);

-- Staff who teach can be booked as a session's tutor. A tutor always does; so does everyone who has been booked
-- as a tutor before this column existed.
ALTER TABLE staff ADD COLUMN teaches boolean NOT NULL DEFAULT false;
UPDATE staff SET teaches = true WHERE role = 'tutor' OR id IN (SELECT tutor_id FROM sessions);
ALTER TABLE staff ADD CONSTRAINT staff_tutors_teach CHECK (role <> 'tutor' OR teaches);

-- Only a connection of an active staff member reads the staff (the policy is in sql/).
ALTER TABLE staff ENABLE ROW LEVEL SECURITY;

-- A tutor reads names, not logins: not the staff's logins, not who wrote a ledger row or last changed a session
-- (the views staff_directory and ledger_entries give names).
REVOKE SELECT ON staff, package_ledger, sessions FROM tutor_desk_tutor;
GRANT SELECT (id, display_name, role, active, teaches, created_at) ON staff TO tutor_desk_tutor;
GRANT SELECT (id, package_id, delta, kind, session_id, reverses, follows, reason, request_id, created_at)
    ON package_ledger TO tutor_desk_tutor;
GRANT SELECT (id, client_id, tutor_id, package_id, starts_at, ends_at, status, tutor_notes, rescheduled_to,
              updated_at, time_zone, series_id, overlap_before_rules)
    ON sessions TO tutor_desk_tutor;
