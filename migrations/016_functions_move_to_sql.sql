-- From here on every function, view and row-security policy is defined in sql/ (one file per area, CREATE OR
-- REPLACE, re-applied whenever a file changes), no longer in numbered migrations.
--
-- A database that ran the old 001..015 holds functions that were written, renamed and wrapped over several
-- files: internal bodies under other names (_set_session_status, _use_session, ...), the release_* names that
-- are reinstate_* now, use_session in two signatures. CREATE OR REPLACE cannot rename a function, change its
-- arguments or drop one that is gone, and would keep each function's privileges as the old files left them. So
-- this drops every function, view and policy of the schema; the sql/ files, applied right after in the same
-- transaction, create them all afresh, and an upgraded database ends up with exactly what a new one has. (On a
-- new database there is nothing to drop yet.)
SET LOCAL ROLE tutor_owner;
SET LOCAL search_path = tutor;

DROP VIEW IF EXISTS package_balances;

DO $$
DECLARE
    v record;
BEGIN
    FOR v IN SELECT policyname, tablename FROM pg_policies WHERE schemaname = 'tutor' LOOP
        EXECUTE format('DROP POLICY %I ON tutor.%I', v.policyname, v.tablename);
    END LOOP;
    FOR v IN SELECT p.oid::regprocedure AS signature FROM pg_proc p WHERE p.pronamespace = 'tutor'::regnamespace LOOP
        EXECUTE format('DROP FUNCTION %s', v.signature);
    END LOOP;
END
$$;

-- What the desks call "Reinstate" was "release" in SQL. Requests already answered keep replaying under the new
-- name: their operation and the reason of their stored outcome say reinstate now.
UPDATE requests SET operation = 'reinstate_session' WHERE operation = 'release_session';
UPDATE requests SET outcome = jsonb_set(outcome, '{reason}', '"nothing_to_reinstate"')
 WHERE outcome ->> 'reason' = 'nothing_to_release';
