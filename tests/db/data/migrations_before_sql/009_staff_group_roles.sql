-- One group role per kind of staff. Role names are shared by every database of a server, so they carry the
-- tutor_desk_ prefix. Each staff login is a member of exactly one of them; the three are members of tutor_app,
-- which from now on only holds what every desk needs before it knows who is logged in.
DO $$
DECLARE
    v_group text;
BEGIN
    FOREACH v_group IN ARRAY ARRAY['tutor_desk_tutor', 'tutor_desk_front_desk', 'tutor_desk_admin'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = v_group) THEN
            EXECUTE format('CREATE ROLE %I NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE', v_group);
        END IF;
        EXECUTE format('GRANT tutor_app TO %I', v_group);
        -- The owner creates staff logins in these groups (from PostgreSQL 16 on that needs ADMIN OPTION).
        EXECUTE format('GRANT %I TO tutor_owner WITH ADMIN OPTION', v_group);
    END LOOP;
END
$$;

-- Creating, disabling and re-keying staff logins happens only inside the admin functions, which run as the
-- owner; the owner still cannot log in, is no superuser and does not bypass row security.
ALTER ROLE tutor_owner CREATEROLE;

GRANT USAGE ON SCHEMA tutor TO tutor_desk_tutor, tutor_desk_front_desk, tutor_desk_admin;
