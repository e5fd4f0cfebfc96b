-- Everything else the desks write: staff, clients, package sales and changes, bookings.
SET LOCAL ROLE tutor_owner;
SET LOCAL search_path = tutor;

CREATE FUNCTION add_staff(p_display_name text, p_role text, p_request_id uuid DEFAULT NULL) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = tutor, pg_temp AS $$
DECLARE
    v_prior jsonb;
    v_id    bigint;
BEGIN
    v_prior := _claim_request(p_request_id, 'add_staff', coalesce(p_display_name, ''));
    IF v_prior IS NOT NULL THEN
        RETURN (v_prior ->> 'id')::bigint;
    END IF;
    PERFORM _check_text(p_display_name, 'Name', 120, true);
    IF p_role IS NULL OR p_role NOT IN ('admin', 'front_desk', 'tutor') THEN
        PERFORM _fail('TD422', format('"%s" is not a staff role (admin, front_desk or tutor).', p_role));
    END IF;
    INSERT INTO staff (display_name, role) VALUES (btrim(p_display_name), p_role) RETURNING id INTO v_id;
    PERFORM _audit('add_staff', 'staff', v_id::text, jsonb_build_object('name', p_display_name, 'role', p_role));
    PERFORM _finish_request(p_request_id, jsonb_build_object('id', v_id));
    RETURN v_id;
END
$$;

CREATE FUNCTION create_client(p_full_name text, p_email text DEFAULT NULL, p_phone text DEFAULT NULL,
                              p_notes text DEFAULT NULL, p_request_id uuid DEFAULT NULL) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = tutor, pg_temp AS $$
DECLARE
    v_prior jsonb;
    v_id    bigint;
BEGIN
    v_prior := _claim_request(p_request_id, 'create_client', coalesce(p_full_name, ''));
    IF v_prior IS NOT NULL THEN
        RETURN (v_prior ->> 'id')::bigint;
    END IF;
    PERFORM _check_text(p_full_name, 'Name', 120, true);
    PERFORM _check_text(p_email, 'Email', 254);
    PERFORM _check_text(p_phone, 'Phone', 40);
    PERFORM _check_text(p_notes, 'Notes', 2000);
    INSERT INTO clients (full_name, email, phone, notes)
    VALUES (btrim(p_full_name), nullif(btrim(p_email), ''), nullif(btrim(p_phone), ''), coalesce(p_notes, ''))
    RETURNING id INTO v_id;
    PERFORM _audit('create_client', 'client', v_id::text, jsonb_build_object('name', p_full_name));
    PERFORM _announce('client', NULL, NULL, v_id);
    PERFORM _finish_request(p_request_id, jsonb_build_object('id', v_id));
    RETURN v_id;
END
$$;

CREATE FUNCTION update_client(p_client_id bigint, p_full_name text, p_email text, p_phone text, p_notes text,
                              p_archived boolean DEFAULT false, p_request_id uuid DEFAULT NULL) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = tutor, pg_temp AS $$
DECLARE
    v_old clients;
BEGIN
    IF _claim_request(p_request_id, 'update_client', p_client_id::text) IS NOT NULL THEN
        RETURN p_client_id;
    END IF;
    PERFORM _check_text(p_full_name, 'Name', 120, true);
    PERFORM _check_text(p_email, 'Email', 254);
    PERFORM _check_text(p_phone, 'Phone', 40);
    PERFORM _check_text(p_notes, 'Notes', 2000);
    SELECT * INTO v_old FROM clients WHERE id = p_client_id FOR UPDATE;
    IF NOT FOUND THEN
        PERFORM _fail('TD404', format('There is no client with id %s.', p_client_id));
    END IF;
    UPDATE clients SET full_name = btrim(p_full_name), email = nullif(btrim(p_email), ''),
                       phone = nullif(btrim(p_phone), ''), notes = coalesce(p_notes, ''),
                       archived = coalesce(p_archived, false)
     WHERE id = p_client_id;
    PERFORM _audit('update_client', 'client', p_client_id::text, jsonb_build_object(
        'before', to_jsonb(v_old) - 'id' - 'created_at'));
    PERFORM _announce('client', NULL, NULL, p_client_id);
    PERFORM _finish_request(p_request_id, jsonb_build_object('id', p_client_id));
    RETURN p_client_id;
END
$$;

CREATE FUNCTION sell_package(p_client_id bigint, p_label text, p_sessions_total int,
                             p_expires_at timestamptz DEFAULT NULL, p_purchased_at timestamptz DEFAULT NULL,
                             p_request_id uuid DEFAULT NULL) RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER SET search_path = tutor, pg_temp AS $$
DECLARE
    v_prior     jsonb;
    v_id        uuid;
    v_purchased timestamptz := coalesce(p_purchased_at, now());
BEGIN
    v_prior := _claim_request(p_request_id, 'sell_package', p_client_id::text);
    IF v_prior IS NOT NULL THEN
        RETURN (v_prior ->> 'id')::uuid;
    END IF;
    PERFORM _check_text(p_label, 'Package label', 100, true);
    IF p_sessions_total IS NULL OR p_sessions_total NOT BETWEEN 1 AND 1000 THEN
        PERFORM _fail('TD422', format('A package holds between 1 and 1000 sessions, not %s.', p_sessions_total));
    END IF;
    IF p_expires_at IS NOT NULL AND p_expires_at <= v_purchased THEN
        PERFORM _fail('TD422', 'A package must expire after it is bought.');
    END IF;
    IF NOT EXISTS (SELECT 1 FROM clients WHERE id = p_client_id) THEN
        PERFORM _fail('TD404', format('There is no client with id %s.', p_client_id));
    END IF;
    INSERT INTO packages (client_id, label, sessions_total, purchased_at, expires_at)
    VALUES (p_client_id, btrim(p_label), p_sessions_total, v_purchased, p_expires_at)
    RETURNING id INTO v_id;
    PERFORM _audit('sell_package', 'package', v_id::text, jsonb_build_object(
        'client', p_client_id, 'label', p_label, 'sessions_total', p_sessions_total, 'expires_at', p_expires_at));
    PERFORM _announce('sell_package', v_id, NULL, p_client_id);
    PERFORM _finish_request(p_request_id, jsonb_build_object('id', v_id));
    RETURN v_id;
END
$$;

CREATE FUNCTION cancel_package(p_package_id uuid, p_reason text DEFAULT NULL, p_request_id uuid DEFAULT NULL)
RETURNS TABLE(applied boolean, sessions_used int, sessions_total int, sessions_remaining int, reason text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = tutor, pg_temp AS $$
#variable_conflict use_column
DECLARE
    v_prior   jsonb;
    v_applied boolean;
    v_reason  text;
BEGIN
    PERFORM _check_text(p_reason, 'Reason', 500);
    v_prior := _claim_request(p_request_id, 'cancel_package', p_package_id::text);
    IF v_prior IS NOT NULL THEN
        v_applied := (v_prior ->> 'applied')::boolean;
        v_reason := v_prior ->> 'reason';
    ELSE
        PERFORM _package_or_fail(p_package_id);
        UPDATE packages SET status = 'cancelled' WHERE id = p_package_id AND status = 'active';
        v_applied := FOUND;
        IF v_applied THEN
            PERFORM _audit('cancel_package', 'package', p_package_id::text, jsonb_build_object('reason', p_reason));
            PERFORM _announce('cancel_package', p_package_id);
        ELSE
            v_reason := 'inactive';
        END IF;
        PERFORM _finish_request(p_request_id, jsonb_build_object('applied', v_applied, 'reason', v_reason));
    END IF;
    RETURN QUERY SELECT * FROM _balance(p_package_id, v_applied, v_reason);
END
$$;

CREATE FUNCTION change_package_expiry(p_package_id uuid, p_expires_at timestamptz, p_request_id uuid DEFAULT NULL)
RETURNS TABLE(applied boolean, sessions_used int, sessions_total int, sessions_remaining int, reason text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = tutor, pg_temp AS $$
#variable_conflict use_column
DECLARE
    v_old packages;
BEGIN
    IF _claim_request(p_request_id, 'change_package_expiry', p_package_id::text) IS NULL THEN
        v_old := _package_or_fail(p_package_id);
        IF p_expires_at IS NOT NULL AND p_expires_at <= v_old.purchased_at THEN
            PERFORM _fail('TD422', 'A package must expire after it is bought.');
        END IF;
        UPDATE packages SET expires_at = p_expires_at WHERE id = p_package_id;
        PERFORM _audit('change_package_expiry', 'package', p_package_id::text, jsonb_build_object(
            'from', v_old.expires_at, 'to', p_expires_at));
        PERFORM _announce('change_package_expiry', p_package_id);
        PERFORM _finish_request(p_request_id, '{}'::jsonb);
    END IF;
    RETURN QUERY SELECT * FROM _balance(p_package_id, true, NULL);
END
$$;

-- Books one session, or a weekly series when p_weekly_repeats > 0 (that many more, one week apart).
CREATE FUNCTION book_session(p_client_id bigint, p_tutor_id bigint, p_starts_at timestamptz, p_ends_at timestamptz,
                             p_package_id uuid DEFAULT NULL, p_weekly_repeats int DEFAULT 0,
                             p_request_id uuid DEFAULT NULL)
RETURNS TABLE(session_id uuid, starts_at timestamptz, ends_at timestamptz)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = tutor, pg_temp AS $$
#variable_conflict use_column
DECLARE
    v_prior jsonb;
    v_ids   uuid[];
BEGIN
    v_prior := _claim_request(p_request_id, 'book_session', p_client_id::text);
    IF v_prior IS NOT NULL THEN
        v_ids := ARRAY(SELECT jsonb_array_elements_text(v_prior -> 'ids')::uuid);
    ELSE
        IF p_starts_at IS NULL OR p_ends_at IS NULL OR p_ends_at <= p_starts_at THEN
            PERFORM _fail('TD422', 'A session must end after it starts.');
        END IF;
        IF p_ends_at - p_starts_at > interval '12 hours' THEN
            PERFORM _fail('TD422', 'A session lasts at most 12 hours.');
        END IF;
        IF p_weekly_repeats IS NULL OR p_weekly_repeats NOT BETWEEN 0 AND 104 THEN
            PERFORM _fail('TD422', 'A weekly series repeats between 0 and 104 times.');
        END IF;
        IF NOT EXISTS (SELECT 1 FROM clients WHERE id = p_client_id AND NOT archived) THEN
            PERFORM _fail('TD404', format('There is no active client with id %s.', p_client_id));
        END IF;
        IF NOT EXISTS (SELECT 1 FROM staff WHERE id = p_tutor_id AND active) THEN
            PERFORM _fail('TD404', format('There is no active staff member with id %s.', p_tutor_id));
        END IF;
        IF p_package_id IS NOT NULL AND NOT EXISTS (
                SELECT 1 FROM packages WHERE id = p_package_id AND client_id = p_client_id) THEN
            PERFORM _fail('TD404', format('Client %s has no package with id %s.', p_client_id, p_package_id));
        END IF;
        WITH made AS (
            INSERT INTO sessions (client_id, tutor_id, package_id, starts_at, ends_at, updated_by)
            SELECT p_client_id, p_tutor_id, p_package_id,
                   p_starts_at + n * interval '7 days', p_ends_at + n * interval '7 days', session_user
              FROM generate_series(0, p_weekly_repeats) AS n
            RETURNING id
        )
        SELECT array_agg(id) INTO v_ids FROM made;
        PERFORM _audit('book_session', 'session', id::text, jsonb_build_object(
            'client', p_client_id, 'tutor', p_tutor_id, 'package', p_package_id)) FROM unnest(v_ids) AS id;
        PERFORM _announce('book_session', p_package_id, id, p_client_id) FROM unnest(v_ids) AS id;
        PERFORM _finish_request(p_request_id, jsonb_build_object('ids', to_jsonb(v_ids)));
    END IF;
    RETURN QUERY SELECT s.id, s.starts_at, s.ends_at FROM sessions s WHERE s.id = ANY (v_ids) ORDER BY s.starts_at;
END
$$;
