-- Who teaches: the staff members a session can be booked with. A tutor always teaches (a CHECK on staff); an
-- admin or front desk member teaches when an admin says so (the person who starts a studio does, see
-- _first_admin). Only admins change it.
SET LOCAL ROLE tutor_owner;
SET LOCAL search_path = tutor;

CREATE OR REPLACE FUNCTION _check_teaches(p_role text, p_teaches boolean) RETURNS boolean
LANGUAGE plpgsql SET search_path = tutor, pg_temp AS $$
BEGIN
    IF p_role = 'tutor' AND p_teaches IS FALSE THEN
        PERFORM _fail('TD422', 'A tutor always teaches.');
    END IF;
    RETURN coalesce(p_teaches, p_role = 'tutor');
END
$$;

CREATE OR REPLACE FUNCTION set_staff_teaches(p_staff_id bigint, p_teaches boolean, p_request_id uuid DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = tutor, pg_temp AS $$
DECLARE
    s staff;
BEGIN
    IF _admin_replay(p_staff_id, 'set_staff_teaches', p_request_id) THEN
        RETURN p_staff_id;
    END IF;
    IF p_teaches IS NULL THEN
        PERFORM _fail('TD422', 'Say whether this staff member teaches.');
    END IF;
    s := _staff_for_update(p_staff_id);
    PERFORM _check_teaches(s.role, p_teaches);
    IF s.teaches <> p_teaches THEN
        UPDATE staff SET teaches = p_teaches WHERE id = s.id;
        PERFORM _audit('set_staff_teaches', 'staff', s.id::text, jsonb_build_object('teaches', p_teaches));
    END IF;
    PERFORM _finish_request(p_request_id, jsonb_build_object('id', s.id));
    RETURN s.id;
END
$$;

-- Every session's tutor is an active staff member who teaches when the session is booked or moved (existing
-- sessions stay as they are when someone stops teaching). A trigger rather than a check in book_session and
-- reschedule_session: it holds for every way a session row is written, and the staff row it reads is locked
-- (FOR SHARE) so that set_staff_teaches or deactivate_staff cannot slip in between the check and the commit.
CREATE OR REPLACE FUNCTION _session_tutor_teaches() RETURNS trigger
LANGUAGE plpgsql SET search_path = tutor, pg_temp AS $$
DECLARE
    t staff;
BEGIN
    SELECT * INTO t FROM staff WHERE id = NEW.tutor_id FOR SHARE;
    IF FOUND AND NOT t.active THEN
        PERFORM _fail('TD422', format('%s is deactivated, so no session can be booked with them.', t.display_name));
    END IF;
    IF FOUND AND NOT t.teaches THEN
        PERFORM _fail('TD422', format('%s does not teach, so no session can be booked with them; an admin can '
                                      'change that in the staff window.', t.display_name));
    END IF;
    RETURN NEW;
END
$$;

CREATE OR REPLACE TRIGGER session_tutor_teaches BEFORE INSERT OR UPDATE OF tutor_id ON sessions
    FOR EACH ROW EXECUTE FUNCTION _session_tutor_teaches();
