-- Who is acting: the staff row mapped to session_user, the login that connected. Inside a SECURITY DEFINER
-- function current_user is the owner, so it never says who asked.
SET LOCAL ROLE tutor_owner;
SET LOCAL search_path = tutor;

-- The active staff row of this login. A superuser (the server's own administrator, e.g. running the command
-- line) acts as an admin without a row. Any other login is refused with a message that says why.
CREATE OR REPLACE FUNCTION _actor() RETURNS staff
LANGUAGE plpgsql SET search_path = tutor, pg_temp AS $$
DECLARE
    me staff;
BEGIN
    SELECT * INTO me FROM staff WHERE login_role = session_user AND active;
    IF FOUND THEN
        RETURN me;
    END IF;
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = session_user AND rolsuper) THEN
        me.display_name := session_user;
        me.role := 'admin';
        me.active := true;
        RETURN me;
    END IF;
    IF EXISTS (SELECT 1 FROM staff WHERE login_role = session_user) THEN
        PERFORM _fail('TD420', 'This staff account is deactivated.');
    END IF;
    PERFORM _fail('TD420', format('The login %s is not a staff account of this studio; an admin can create one.',
                                  session_user));
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION _role_label(p_role text) RETURNS text
LANGUAGE sql IMMUTABLE SET search_path = tutor, pg_temp AS $$
    SELECT CASE p_role WHEN 'tutor' THEN 'tutors' WHEN 'front_desk' THEN 'front desk staff' ELSE 'admins' END;
$$;

-- The acting staff row, if its role is one of p_roles; otherwise a refusal naming who may.
CREATE OR REPLACE FUNCTION _require_staff(VARIADIC p_roles text[]) RETURNS staff
LANGUAGE plpgsql SET search_path = tutor, pg_temp AS $$
DECLARE
    me staff := _actor();
BEGIN
    IF NOT me.role = ANY (p_roles) THEN
        PERFORM _fail('TD420', format('Only %s may do this.',
            (SELECT string_agg(_role_label(r), ' or ') FROM unnest(p_roles) AS r)));
    END IF;
    RETURN me;
END
$$;

-- Marking a session: front desk and admins any session, a tutor only their own.
CREATE OR REPLACE FUNCTION _require_session_actor(p_session_id uuid) RETURNS void
LANGUAGE plpgsql SET search_path = tutor, pg_temp AS $$
DECLARE
    me       staff := _actor();
    v_tutor  bigint;
BEGIN
    IF me.role = 'tutor' THEN
        SELECT tutor_id INTO v_tutor FROM sessions WHERE id = p_session_id;
        IF NOT FOUND THEN
            PERFORM _fail('TD404', format('There is no session with id %s.', p_session_id));
        END IF;
        IF v_tutor <> me.id THEN
            PERFORM _fail('TD420', 'Tutors can mark only their own sessions.');
        END IF;
    END IF;
END
$$;

-- What the login that reads may see, for row security and the balances view: 'all' (front desk, admin,
-- superuser), 'own' (a tutor: their sessions, those clients and their packages) or 'none'.
CREATE OR REPLACE FUNCTION viewer_scope() RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = tutor, pg_temp AS $$
    SELECT CASE
        WHEN EXISTS (SELECT 1 FROM pg_roles WHERE rolname = session_user AND rolsuper) THEN 'all'
        ELSE coalesce((SELECT CASE role WHEN 'tutor' THEN 'own' ELSE 'all' END
                         FROM staff WHERE login_role = session_user AND active), 'none')
    END;
$$;

CREATE OR REPLACE FUNCTION viewer_staff_id() RETURNS bigint
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = tutor, pg_temp AS $$
    SELECT id FROM staff WHERE login_role = session_user AND active;
$$;
