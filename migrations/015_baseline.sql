-- The schema as migrations 001..015 of earlier versions left it, without its functions, views and row-security
-- policies: those live in sql/, one file per area, and are re-applied whenever they change. A database that has
-- 001..015 recorded holds exactly this already, so the runner records it as being at this baseline without
-- running it (see tutor_desktop/db/migrations.py).
--
-- Roles and the schema that holds everything of Tutor Desk. tutor_owner owns every table and function and cannot
-- log in; tutor_app is the common parent of the staff groups: it may read and call functions, never write a table.
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

-- One group role per kind of staff. Role names are shared by every database of a server, so they carry the
-- tutor_desk_ prefix. Each staff login is a member of exactly one of them; the three are members of tutor_app,
-- which only holds what every desk needs before it knows who is logged in.
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

SET LOCAL ROLE tutor_owner;
SET LOCAL search_path = tutor;

CREATE TABLE staff (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    display_name text    NOT NULL CHECK (length(display_name) BETWEEN 1 AND 120),
    role         text    NOT NULL CHECK (role IN ('admin', 'front_desk', 'tutor')),
    active       boolean NOT NULL DEFAULT true,
    login_role   name UNIQUE,
    created_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE clients (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    full_name  text    NOT NULL CHECK (length(full_name) BETWEEN 1 AND 120),
    email      text,
    phone      text,
    notes      text    NOT NULL DEFAULT '',
    archived   boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX clients_name_idx ON clients (lower(full_name));

CREATE TABLE packages (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    client_id      bigint  NOT NULL REFERENCES clients,
    label          text    NOT NULL CHECK (length(label) BETWEEN 1 AND 100),
    sessions_total int     NOT NULL CHECK (sessions_total BETWEEN 1 AND 1000),
    sessions_used  int     NOT NULL DEFAULT 0,
    status         text    NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'cancelled')),
    purchased_at   timestamptz NOT NULL DEFAULT now(),
    expires_at     timestamptz,
    CHECK (0 <= sessions_used AND sessions_used <= sessions_total),
    CHECK (expires_at IS NULL OR expires_at > purchased_at)
);
CREATE INDEX packages_client_idx ON packages (client_id);

CREATE TABLE sessions (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    client_id      bigint NOT NULL REFERENCES clients,
    tutor_id       bigint NOT NULL REFERENCES staff,
    package_id     uuid REFERENCES packages,
    starts_at      timestamptz NOT NULL,
    ends_at        timestamptz NOT NULL,
    status         text NOT NULL DEFAULT 'scheduled' CHECK (status IN
                       ('scheduled', 'done', 'rescheduled', 'no_show_student', 'no_show_tutor', 'cancelled')),
    tutor_notes    text NOT NULL DEFAULT '',
    rescheduled_to uuid REFERENCES sessions,
    updated_by     text NOT NULL DEFAULT session_user,
    updated_at     timestamptz NOT NULL DEFAULT now(),
    CHECK (ends_at > starts_at)
);
CREATE INDEX sessions_starts_idx ON sessions (starts_at);
CREATE INDEX sessions_tutor_starts_idx ON sessions (tutor_id, starts_at);
CREATE INDEX sessions_client_starts_idx ON sessions (client_id, starts_at);
CREATE INDEX sessions_due_idx ON sessions (ends_at) WHERE status = 'scheduled';
CREATE INDEX sessions_pending_package_idx ON sessions (package_id) WHERE status = 'scheduled';

-- Append-only: every change of packages.sessions_used is one row here, and the counter is a cache of
-- sum(delta). Constraints, not code paths, rule out the three classic ways a count goes wrong:
--   * a request id is applied at most once                     (request_id UNIQUE)
--   * a row is reversed at most once                           (reverses UNIQUE)
--   * a session holds at most one live consumption: a session's consumptions form a chain in which every
--     consumption after the first "follows" an earlier consumption of the same session that has already
--     been reversed, and no two consumptions follow the same one (one_consumption_per_link). So the number
--     of consumptions is at most one more than the number reversed.
CREATE TABLE package_ledger (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    package_id uuid     NOT NULL REFERENCES packages,
    delta      smallint NOT NULL CHECK (delta IN (-1, 1)),
    kind       text     NOT NULL CHECK (kind IN
                   ('session_consumed', 'session_given_back', 'manual_use', 'manual_reinstate')),
    session_id uuid REFERENCES sessions,
    reverses   bigint UNIQUE REFERENCES package_ledger,
    follows    bigint REFERENCES package_ledger (reverses),
    reason     text NOT NULL DEFAULT '',
    actor      text NOT NULL DEFAULT session_user,
    request_id uuid UNIQUE,
    created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    UNIQUE (id, session_id),
    FOREIGN KEY (reverses, session_id) REFERENCES package_ledger (id, session_id),
    FOREIGN KEY (follows, session_id) REFERENCES package_ledger (id, session_id),
    CHECK ((delta = 1) = (kind IN ('session_consumed', 'manual_use'))),
    CHECK ((delta = -1) = (reverses IS NOT NULL)),
    CHECK (kind NOT IN ('session_consumed', 'session_given_back') OR session_id IS NOT NULL),
    CHECK (kind <> 'manual_use' OR session_id IS NULL),
    CHECK (follows IS NULL OR kind = 'session_consumed')
);
CREATE UNIQUE INDEX one_consumption_per_link ON package_ledger (session_id, coalesce(follows, 0))
    WHERE kind = 'session_consumed';
CREATE INDEX package_ledger_package_idx ON package_ledger (package_id, id);

CREATE TABLE audit_log (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    actor       text NOT NULL DEFAULT session_user,
    action      text NOT NULL,
    entity_type text NOT NULL,
    entity_id   text NOT NULL,
    details     jsonb NOT NULL DEFAULT '{}',
    created_at  timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX audit_log_entity_idx ON audit_log (entity_type, entity_id);

-- One row per request id: what was asked, and the first outcome, so a replay returns it and changes nothing.
CREATE TABLE requests (
    request_id uuid PRIMARY KEY,
    operation  text NOT NULL,
    target     text NOT NULL,
    outcome    jsonb,
    actor      text NOT NULL DEFAULT session_user,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE studio_settings (
    key   text PRIMARY KEY,
    value jsonb NOT NULL
);

-- Row security: a tutor reads only their own sessions, those sessions' clients and those clients' packages and
-- ledger; front desk and admins read everything. The policies, which call functions, are in sql/. Not FORCEd:
-- the owner, as which every definer function runs, is exempt, so the functions see every row they need and
-- make their own checks of the actor.
ALTER TABLE clients ENABLE ROW LEVEL SECURITY;
ALTER TABLE packages ENABLE ROW LEVEL SECURITY;
ALTER TABLE sessions ENABLE ROW LEVEL SECURITY;
ALTER TABLE package_ledger ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY;
ALTER TABLE studio_settings ENABLE ROW LEVEL SECURITY;
ALTER TABLE requests ENABLE ROW LEVEL SECURITY;

-- What each group may read (the view package_balances is granted in sql/). No group may INSERT, UPDATE or
-- DELETE any table; who may call which function is in sql/.
REVOKE ALL ON ALL TABLES IN SCHEMA tutor FROM PUBLIC, tutor_app;
GRANT SELECT ON staff, clients, packages, sessions, package_ledger, studio_settings
    TO tutor_desk_tutor, tutor_desk_front_desk, tutor_desk_admin;
GRANT SELECT ON audit_log TO tutor_desk_front_desk, tutor_desk_admin;
