-- Staff accounts: each staff member logs in as their own PostgreSQL role, created, disabled and re-keyed only
-- through these admin functions. Passwords arrive as SCRAM-SHA-256 verifiers made on the desk, so the password
-- itself never reaches the server, its logs, the audit log or the requests table.
-- Only admins call these; _first_admin is for a superuser setting up a studio.
SET LOCAL ROLE tutor_owner;
SET LOCAL search_path = tutor;

CREATE OR REPLACE FUNCTION _group_of(p_role text) RETURNS text
LANGUAGE sql IMMUTABLE SET search_path = tutor, pg_temp AS $$
    SELECT 'tutor_desk_' || p_role;
$$;

CREATE OR REPLACE FUNCTION _check_role(p_role text) RETURNS text
LANGUAGE plpgsql SET search_path = tutor, pg_temp AS $$
BEGIN
    IF p_role IS NULL OR p_role NOT IN ('admin', 'front_desk', 'tutor') THEN
        PERFORM _fail('TD422', format('"%s" is not a staff role (admin, front_desk or tutor).', p_role));
    END IF;
    RETURN p_role;
END
$$;

CREATE OR REPLACE FUNCTION _check_login_name(p_login text) RETURNS text
LANGUAGE plpgsql SET search_path = tutor, pg_temp AS $$
BEGIN
    PERFORM _check_text(p_login, 'Login name', 63, true);
    IF p_login !~ '^[a-z_][a-z0-9_]*$' THEN
        PERFORM _fail('TD422', 'A login name uses lower-case letters, digits and underscores, and does not start with a digit.');
    END IF;
    IF p_login ~ '^(pg_|tutor_desk_)' OR p_login IN ('tutor_owner', 'tutor_app', 'postgres', 'public') THEN
        PERFORM _fail('TD422', format('The login name %s is reserved.', p_login));
    END IF;
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = p_login) THEN
        PERFORM _fail('TD409', format('The server already has a login named %s.', p_login));
    END IF;
    RETURN p_login;
END
$$;

CREATE OR REPLACE FUNCTION _check_verifier(p_verifier text) RETURNS text
LANGUAGE plpgsql SET search_path = tutor, pg_temp AS $$
BEGIN
    IF p_verifier IS NULL OR length(p_verifier) > 400
       OR p_verifier !~ '^SCRAM-SHA-256\$[0-9]+:[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$' THEN
        PERFORM _fail('TD422', 'The password must arrive as a SCRAM-SHA-256 verifier; set it with Tutor Desk.');
    END IF;
    RETURN p_verifier;
END
$$;

-- ALTER ROLE on a staff login; a login made outside Tutor Desk may be out of the owner's reach.
CREATE OR REPLACE FUNCTION _alter_login(p_login name, p_change text) RETURNS void
LANGUAGE plpgsql SET search_path = tutor, pg_temp AS $$
BEGIN
    EXECUTE format('ALTER ROLE %I ', p_login) || p_change;
EXCEPTION
    WHEN insufficient_privilege THEN
        PERFORM _fail('TD420', format('Tutor Desk may not change the login %s (it was made outside Tutor Desk); '
                                      'a server administrator has to.', p_login));
    WHEN undefined_object THEN
        NULL;  -- the login was dropped on the server: nothing left to change
END
$$;

CREATE OR REPLACE FUNCTION _staff_for_update(p_staff_id bigint) RETURNS staff
LANGUAGE plpgsql SET search_path = tutor, pg_temp AS $$
DECLARE
    s staff;
BEGIN
    SELECT * INTO s FROM staff WHERE id = p_staff_id FOR UPDATE;
    IF NOT FOUND THEN
        PERFORM _fail('TD404', format('There is no staff member with id %s.', p_staff_id));
    END IF;
    RETURN s;
END
$$;

-- Adds a staff member, admins only: with a login of their own in the group of their role (create_staff_account),
-- or without one (add_staff: e.g. a tutor listed on the calendar of a single-desk studio). p_target is what the
-- request id is claimed for.
CREATE OR REPLACE FUNCTION _add_staff_member(p_operation text, p_target text, p_display_name text, p_role text,
                                             p_teaches boolean, p_login_name text, p_password_verifier text,
                                             p_request_id uuid)
RETURNS bigint
LANGUAGE plpgsql SET search_path = tutor, pg_temp AS $$
DECLARE
    v_prior jsonb;
    v_id    bigint;
BEGIN
    PERFORM _require_staff('admin');
    v_prior := _claim_request(p_request_id, p_operation, p_target);
    IF v_prior IS NOT NULL THEN
        RETURN (v_prior ->> 'id')::bigint;
    END IF;
    p_display_name := _check_text(p_display_name, 'The staff member''s name', 120, true, true);
    PERFORM _check_role(p_role);
    p_teaches := _check_teaches(p_role, p_teaches);
    IF p_operation = 'create_staff_account' THEN
        PERFORM _check_login_name(p_login_name);
        PERFORM _check_verifier(p_password_verifier);
        EXECUTE format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS INHERIT PASSWORD %L IN ROLE %I',
                       p_login_name, p_password_verifier, _group_of(p_role));
    END IF;
    INSERT INTO staff (display_name, role, teaches, login_role) VALUES (p_display_name, p_role, p_teaches, p_login_name)
    RETURNING id INTO v_id;
    PERFORM _audit(p_operation, 'staff', v_id::text, jsonb_strip_nulls(jsonb_build_object(
        'name', p_display_name, 'role', p_role, 'teaches', p_teaches, 'login', p_login_name)));
    PERFORM _finish_request(p_request_id, jsonb_build_object('id', v_id));
    RETURN v_id;
END
$$;

-- p_teaches NULL: tutors teach, admins and front desk do not.
CREATE OR REPLACE FUNCTION add_staff(p_display_name text, p_role text, p_request_id uuid DEFAULT NULL,
                                     p_teaches boolean DEFAULT NULL) RETURNS bigint
LANGUAGE sql SECURITY DEFINER SET search_path = tutor, pg_temp AS $$
    SELECT _add_staff_member('add_staff', coalesce(p_display_name, ''), p_display_name, p_role, p_teaches, NULL,
                             NULL, p_request_id);
$$;

CREATE OR REPLACE FUNCTION create_staff_account(p_display_name text, p_role text, p_login_name text,
                                                p_password_verifier text, p_request_id uuid DEFAULT NULL,
                                                p_teaches boolean DEFAULT NULL)
RETURNS bigint
LANGUAGE sql SECURITY DEFINER SET search_path = tutor, pg_temp AS $$
    SELECT _add_staff_member('create_staff_account', coalesce(p_login_name, ''), p_display_name, p_role, p_teaches,
                             p_login_name, p_password_verifier, p_request_id);
$$;

-- A deactivated staff member can neither log in (NOLOGIN) nor act or read over a connection still open
-- (every function and every row policy asks for an active staff row).
CREATE OR REPLACE FUNCTION deactivate_staff(p_staff_id bigint, p_request_id uuid DEFAULT NULL) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = tutor, pg_temp AS $$
DECLARE
    me staff := _require_staff('admin');
    s  staff;
BEGIN
    IF _claim_request(p_request_id, 'deactivate_staff', coalesce(p_staff_id::text, '')) IS NOT NULL THEN
        RETURN p_staff_id;
    END IF;
    s := _staff_for_update(p_staff_id);
    IF s.id = me.id THEN
        PERFORM _fail('TD420', 'You cannot deactivate your own account; another admin can.');
    END IF;
    IF s.active THEN
        IF s.role = 'admin' AND NOT EXISTS (
                SELECT 1 FROM staff WHERE role = 'admin' AND active AND login_role IS NOT NULL AND id <> s.id) THEN
            PERFORM _fail('TD420', 'This is the last admin with a login; create another admin first.');
        END IF;
        UPDATE staff SET active = false WHERE id = s.id;
        IF s.login_role IS NOT NULL THEN
            PERFORM _alter_login(s.login_role, 'NOLOGIN');
        END IF;
        PERFORM _audit('deactivate_staff', 'staff', s.id::text, jsonb_build_object(
            'name', s.display_name, 'login', s.login_role));
    END IF;
    PERFORM _finish_request(p_request_id, jsonb_build_object('id', s.id));
    RETURN s.id;
END
$$;

-- An admin's change of one staff member begins here: who acts is checked, then the request id is claimed. True
-- when the request was answered before (a replay: the caller returns at once).
CREATE OR REPLACE FUNCTION _admin_replay(p_staff_id bigint, p_operation text, p_request_id uuid) RETURNS boolean
LANGUAGE plpgsql SET search_path = tutor, pg_temp AS $$
BEGIN
    PERFORM _require_staff('admin');
    RETURN _claim_request(p_request_id, p_operation, coalesce(p_staff_id::text, '')) IS NOT NULL;
END
$$;

CREATE OR REPLACE FUNCTION reset_staff_password(p_staff_id bigint, p_password_verifier text, p_request_id uuid DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = tutor, pg_temp AS $$
DECLARE
    s staff;
BEGIN
    IF _admin_replay(p_staff_id, 'reset_staff_password', p_request_id) THEN
        RETURN p_staff_id;
    END IF;
    PERFORM _check_verifier(p_password_verifier);
    s := _staff_for_update(p_staff_id);
    IF s.login_role IS NULL THEN
        PERFORM _fail('TD422', format('%s has no login.', s.display_name));
    END IF;
    IF NOT s.active THEN
        PERFORM _fail('TD420', format('%s is deactivated.', s.display_name));
    END IF;
    -- LOGIN too: a login carried over by a move to a server waits, unable to sign in, for its first password.
    PERFORM _alter_login(s.login_role, format('LOGIN PASSWORD %L', p_password_verifier));
    PERFORM _audit('reset_staff_password', 'staff', s.id::text, jsonb_build_object('login', s.login_role));
    PERFORM _finish_request(p_request_id, jsonb_build_object('id', s.id));
    RETURN s.id;
END
$$;

-- The first admin of an empty studio: the login that asks, if it is in the admin group (the embedded desk's own
-- login, loading the demo). Anywhere else the first admin is made by a superuser with _first_admin.
CREATE OR REPLACE FUNCTION claim_empty_studio(p_display_name text) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = tutor, pg_temp AS $$
BEGIN
    IF NOT pg_has_role(session_user, 'tutor_desk_admin', 'MEMBER') THEN
        PERFORM _fail('TD420', 'Only a login in the admin group can set up an empty studio.');
    END IF;
    LOCK TABLE staff IN SHARE ROW EXCLUSIVE MODE;
    IF EXISTS (SELECT 1 FROM staff) OR EXISTS (SELECT 1 FROM clients) THEN
        PERFORM _fail('TD420', 'This studio is not empty; ask its admin for an account.');
    END IF;
    RETURN _first_admin(p_display_name, session_user);
END
$$;

-- Whether the studio has no staff and no clients yet (the only kind the demo may be loaded into, or a first run
-- may claim), also for a login that has no staff row and so reads neither.
CREATE OR REPLACE FUNCTION studio_is_empty() RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = tutor, pg_temp AS $$
    SELECT NOT EXISTS (SELECT 1 FROM staff) AND NOT EXISTS (SELECT 1 FROM clients);
$$;

-- Not executable by any desk: a superuser calls it to name the first admin of a studio.
CREATE OR REPLACE FUNCTION _first_admin(p_display_name text, p_login name) RETURNS bigint
LANGUAGE plpgsql SET search_path = tutor, pg_temp AS $$
DECLARE
    v_id bigint;
BEGIN
    p_display_name := _check_text(p_display_name, 'The staff member''s name', 120, true, true);
    LOCK TABLE staff IN SHARE ROW EXCLUSIVE MODE;  -- two desks asking at once: one admin
    IF EXISTS (SELECT 1 FROM staff WHERE role = 'admin' AND active AND login_role IS NOT NULL) THEN
        PERFORM _fail('TD420', 'This studio already has an admin; ask them for an account.');
    END IF;
    IF EXISTS (SELECT 1 FROM staff WHERE login_role = p_login) THEN
        PERFORM _fail('TD409', format('The login %s already belongs to a staff member.', p_login));
    END IF;
    -- The person who starts a studio teaches: a tutor on their own needs one account.
    INSERT INTO staff (display_name, role, teaches, login_role) VALUES (p_display_name, 'admin', true, p_login)
    RETURNING id INTO v_id;
    PERFORM _audit('first_admin', 'staff', v_id::text, jsonb_build_object('name', p_display_name, 'login', p_login));
    RETURN v_id;
END
$$;

CREATE OR REPLACE FUNCTION set_studio_setting(p_key text, p_value jsonb, p_request_id uuid DEFAULT NULL) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = tutor, pg_temp AS $$
DECLARE
    v_old jsonb;
BEGIN
    PERFORM _require_staff('admin');
    IF _claim_request(p_request_id, 'set_studio_setting', coalesce(p_key, '')) IS NOT NULL THEN
        RETURN;
    END IF;
    p_key := _check_text(p_key, 'The setting name', 100, true, true);
    IF p_value IS NULL OR length(p_value::text) > 10000 THEN
        PERFORM _fail('TD422', 'A setting holds a value of at most 10000 characters.');
    END IF;
    SELECT value INTO v_old FROM studio_settings WHERE key = p_key;
    INSERT INTO studio_settings (key, value) VALUES (p_key, p_value)
    ON CONFLICT (key) DO UPDATE SET value = excluded.value;
    PERFORM _audit('set_studio_setting', 'setting', p_key, jsonb_build_object('from', v_old, 'to', p_value));
    PERFORM _finish_request(p_request_id, '{}'::jsonb);
END
$$;
