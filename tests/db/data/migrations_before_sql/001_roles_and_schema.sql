-- Roles and the schema that holds everything of Tutor Desk.
-- tutor_owner owns every table and function and cannot log in; tutor_app is the group role the desks connect
-- through: it may read and call the functions, never write a table directly.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tutor_owner') THEN
        CREATE ROLE tutor_owner NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tutor_app') THEN
        CREATE ROLE tutor_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
    END IF;
END
$$;

CREATE SCHEMA tutor AUTHORIZATION tutor_owner;
REVOKE ALL ON SCHEMA tutor FROM PUBLIC;
GRANT USAGE ON SCHEMA tutor TO tutor_app;

-- Functions the owner creates later are executable by nobody until granted. (A per-schema default cannot
-- take away PUBLIC's built-in EXECUTE; only this role-wide one can.)
ALTER DEFAULT PRIVILEGES FOR ROLE tutor_owner REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
