-- Clients and their packages: front desk and admins create and change them (cancelling a package is in
-- 04_balances.sql, with the other changes of a balance by hand).
SET LOCAL ROLE tutor_owner;
SET LOCAL search_path = tutor;

CREATE OR REPLACE FUNCTION create_client(p_full_name text, p_email text DEFAULT NULL, p_phone text DEFAULT NULL,
                                         p_notes text DEFAULT NULL, p_request_id uuid DEFAULT NULL) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = tutor, pg_temp AS $$
DECLARE
    v_prior jsonb;
    v_id    bigint;
BEGIN
    PERFORM _require_staff('front_desk', 'admin');
    v_prior := _claim_request(p_request_id, 'create_client', coalesce(p_full_name, ''));
    IF v_prior IS NOT NULL THEN
        RETURN (v_prior ->> 'id')::bigint;
    END IF;
    p_full_name := _check_text(p_full_name, 'The client''s name', 120, true, true);
    p_email := _check_text(p_email, 'The e-mail address', 254, false, true);
    p_phone := _check_text(p_phone, 'The phone number', 40, false, true);
    p_notes := _check_text(p_notes, 'The notes', 2000);
    INSERT INTO clients (full_name, email, phone, notes)
    VALUES (btrim(p_full_name), nullif(btrim(p_email), ''), nullif(btrim(p_phone), ''), coalesce(p_notes, ''))
    RETURNING id INTO v_id;
    PERFORM _audit('create_client', 'client', v_id::text, jsonb_build_object('name', p_full_name));
    PERFORM _announce('client', NULL, NULL, v_id);
    PERFORM _finish_request(p_request_id, jsonb_build_object('id', v_id));
    RETURN v_id;
END
$$;

CREATE OR REPLACE FUNCTION update_client(p_client_id bigint, p_full_name text, p_email text, p_phone text, p_notes text,
                                         p_archived boolean DEFAULT false, p_request_id uuid DEFAULT NULL) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = tutor, pg_temp AS $$
DECLARE
    v_old clients;
BEGIN
    PERFORM _require_staff('front_desk', 'admin');
    IF _claim_request(p_request_id, 'update_client', p_client_id::text) IS NOT NULL THEN
        RETURN p_client_id;
    END IF;
    p_full_name := _check_text(p_full_name, 'The client''s name', 120, true, true);
    p_email := _check_text(p_email, 'The e-mail address', 254, false, true);
    p_phone := _check_text(p_phone, 'The phone number', 40, false, true);
    p_notes := _check_text(p_notes, 'The notes', 2000);
    SELECT * INTO v_old FROM clients WHERE id = p_client_id FOR UPDATE;
    IF NOT FOUND THEN
        PERFORM _fail('TD404', format('There is no client with id %s.', p_client_id));
    END IF;
    UPDATE clients SET full_name = btrim(p_full_name), email = nullif(btrim(p_email), ''),
                       phone = nullif(btrim(p_phone), ''), notes = coalesce(p_notes, ''),
                       archived = coalesce(p_archived, false)
     WHERE id = p_client_id;
    IF (SELECT c FROM clients c WHERE c.id = p_client_id) IS DISTINCT FROM v_old THEN  -- saved unchanged: no audit
        PERFORM _audit('update_client', 'client', p_client_id::text, jsonb_build_object(
            'before', to_jsonb(v_old) - 'id' - 'created_at'));
        PERFORM _announce('client', NULL, NULL, p_client_id);
    END IF;
    PERFORM _finish_request(p_request_id, jsonb_build_object('id', p_client_id));
    RETURN p_client_id;
END
$$;

CREATE OR REPLACE FUNCTION sell_package(p_client_id bigint, p_label text, p_sessions_total int,
                                        p_expires_at timestamptz DEFAULT NULL, p_purchased_at timestamptz DEFAULT NULL,
                                        p_request_id uuid DEFAULT NULL, p_price numeric DEFAULT NULL,
                                        p_catalogue_id bigint DEFAULT NULL) RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER SET search_path = tutor, pg_temp AS $$
DECLARE
    v_prior     jsonb;
    v_id        uuid;
    v_purchased timestamptz := coalesce(p_purchased_at, now());
BEGIN
    PERFORM _require_staff('front_desk', 'admin');
    v_prior := _claim_request(p_request_id, 'sell_package', p_client_id::text);
    IF v_prior IS NOT NULL THEN
        RETURN (v_prior ->> 'id')::uuid;
    END IF;
    p_label := _check_text(p_label, 'The package label', 100, true, true);
    IF p_sessions_total IS NULL OR p_sessions_total NOT BETWEEN 1 AND 1000 THEN
        PERFORM _fail('TD422', format('A package holds between 1 and 1000 sessions, not %s.', p_sessions_total));
    END IF;
    PERFORM _check_moment(v_purchased, 'The purchase date');
    PERFORM _check_moment(p_expires_at, 'The expiry date');
    IF v_purchased > now() + interval '5 minutes' THEN  -- a desk's clock may be a little ahead of the server's
        PERFORM _fail('TD422', 'A package cannot be bought in the future.');
    END IF;
    IF p_expires_at IS NOT NULL AND p_expires_at <= v_purchased THEN
        PERFORM _fail('TD422', 'A package must expire after it is bought.');
    END IF;
    IF p_expires_at IS NOT NULL AND p_expires_at <= now() THEN
        PERFORM _fail('TD422', 'A package cannot be sold already expired; its expiry must be in the future.');
    END IF;
    IF NOT EXISTS (SELECT 1 FROM clients WHERE id = p_client_id) THEN
        PERFORM _fail('TD404', format('There is no client with id %s.', p_client_id));
    END IF;
    INSERT INTO packages (client_id, label, sessions_total, purchased_at, expires_at)
    VALUES (p_client_id, btrim(p_label), p_sessions_total, v_purchased, p_expires_at)
    RETURNING id INTO v_id;
    p_price := _price_sold_package(v_id, p_price, p_catalogue_id);  -- sql/10_money.sql
    PERFORM _audit('sell_package', 'package', v_id::text, jsonb_build_object(
        'client', p_client_id, 'label', p_label, 'sessions_total', p_sessions_total, 'expires_at', p_expires_at,
        'price', p_price, 'catalogue', p_catalogue_id));
    PERFORM _announce('sell_package', v_id, NULL, p_client_id);
    PERFORM _finish_request(p_request_id, jsonb_build_object('id', v_id));
    RETURN v_id;
END
$$;

-- Sets (or removes) a package's expiry, with the reason staff give for it (kept in the history). A cancelled
-- package's expiry no longer means anything, so it is refused.
CREATE OR REPLACE FUNCTION change_package_expiry(p_package_id uuid, p_expires_at timestamptz, p_request_id uuid DEFAULT NULL,
                                                 p_reason text DEFAULT NULL)
RETURNS TABLE(applied boolean, sessions_used int, sessions_total int, sessions_remaining int, reason text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = tutor, pg_temp AS $$
#variable_conflict use_column
DECLARE
    v_old packages;
BEGIN
    PERFORM _require_staff('front_desk', 'admin');
    p_reason := _check_text(p_reason, 'The reason', 500);
    IF _claim_request(p_request_id, 'change_package_expiry', p_package_id::text) IS NULL THEN
        PERFORM _lock_packages(ARRAY[p_package_id]);  -- first, so the expiry read below is the current one
        v_old := _package_or_fail(p_package_id);
        IF v_old.status = 'cancelled' THEN
            PERFORM _fail('TD422', format('The package "%s" is cancelled; its expiry can no longer change.', v_old.label));
        END IF;
        PERFORM _check_moment(p_expires_at, 'The expiry date');
        IF p_expires_at IS NOT NULL AND p_expires_at <= v_old.purchased_at THEN
            PERFORM _fail('TD422', 'A package must expire after it is bought.');
        END IF;
        IF v_old.expires_at IS DISTINCT FROM p_expires_at THEN  -- the same expiry again changes nothing
            UPDATE packages SET expires_at = p_expires_at WHERE id = p_package_id;
            PERFORM _audit('change_package_expiry', 'package', p_package_id::text, jsonb_build_object(
                'from', v_old.expires_at, 'to', p_expires_at, 'reason', p_reason));
            PERFORM _announce('change_package_expiry', p_package_id);
        END IF;
        PERFORM _finish_request(p_request_id, '{}'::jsonb);
    END IF;
    RETURN QUERY SELECT * FROM _balance(p_package_id, true, NULL);
END
$$;
