-- Money: the catalogue of packages, a sold package's price, the studio's currency and the tutors' pay rates
-- (payments and refunds are in 10_payments.sql). Front desk and admins only (the catalogue, the currency and pay
-- rates: admins); a tutor can neither call these nor read their tables. Every amount is numeric with at most two
-- decimals, never a float.
SET LOCAL ROLE tutor_owner;
SET LOCAL search_path = tutor;

-- An amount a person typed: there, at most two decimals, below ten billion; negative only where allowed.
CREATE OR REPLACE FUNCTION _check_money(p_amount numeric, p_what text, p_negative_allowed boolean DEFAULT false)
RETURNS numeric
LANGUAGE plpgsql IMMUTABLE SET search_path = tutor, pg_temp AS $$
BEGIN
    IF p_amount IS NULL THEN
        PERFORM _fail('TD422', format('%s is missing.', p_what));
    END IF;
    IF p_amount < 0 AND NOT p_negative_allowed THEN
        PERFORM _fail('TD422', format('%s cannot be negative.', p_what));
    END IF;
    IF p_amount <> round(p_amount, 2) THEN
        PERFORM _fail('TD422', format('%s has more than two decimals (%s).', p_what, p_amount));
    END IF;
    IF abs(p_amount) >= 10000000000 THEN
        PERFORM _fail('TD422', format('%s is too large.', p_what));
    END IF;
    RETURN p_amount;
END
$$;

CREATE OR REPLACE FUNCTION _catalogue_item_or_fail(p_id bigint) RETURNS package_catalogue
LANGUAGE plpgsql SET search_path = tutor, pg_temp AS $$
DECLARE
    c package_catalogue;
BEGIN
    SELECT * INTO c FROM package_catalogue WHERE id = p_id;
    IF NOT FOUND THEN
        PERFORM _fail('TD404', format('There is no package with id %s in the catalogue.', p_id));
    END IF;
    RETURN c;
END
$$;

-- Called by sell_package for the package it just made: its price (the catalogue item's when none is given).
-- Returns the price recorded (NULL: none).
CREATE OR REPLACE FUNCTION _price_sold_package(p_package_id uuid, p_price numeric, p_catalogue_id bigint)
RETURNS numeric
LANGUAGE plpgsql SET search_path = tutor, pg_temp AS $$
DECLARE
    c package_catalogue;
BEGIN
    IF p_catalogue_id IS NOT NULL THEN
        c := _catalogue_item_or_fail(p_catalogue_id);
        IF NOT c.active THEN
            PERFORM _fail('TD422', format('%s is retired from the catalogue; it is no longer sold.', c.name));
        END IF;
        p_price := coalesce(p_price, c.price);
    END IF;
    IF p_price IS NULL THEN
        RETURN NULL;
    END IF;
    PERFORM _check_money(p_price, 'The price');
    INSERT INTO package_prices (package_id, price, catalogue_id) VALUES (p_package_id, p_price, p_catalogue_id);
    RETURN p_price;
END
$$;

-- A package's money: its price (NULL: none recorded), what was paid (payments received less refunds) and what is
-- still due: the price less the payments received. A refund is money the studio gave back for good (a lesson less,
-- a goodwill gesture): it never makes the client owe it again, so it does not count against the price. Never below
-- zero (a price lowered after a refund may lie below what was received); NULL without a price.
CREATE OR REPLACE FUNCTION _package_money(p_package_id uuid)
RETURNS TABLE(package_id uuid, price numeric, paid numeric, due numeric)
LANGUAGE sql STABLE SET search_path = tutor, pg_temp AS $$
    SELECT p.id, pp.price, coalesce(pay.paid, 0), pp.price - least(coalesce(pay.received, 0), pp.price)
      FROM packages p
      LEFT JOIN package_prices pp ON pp.package_id = p.id
      LEFT JOIN LATERAL (SELECT sum(amount) AS paid, sum(amount) FILTER (WHERE amount > 0) AS received
                           FROM payments WHERE payments.package_id = p.id) pay ON true
     WHERE p.id = p_package_id;
$$;

CREATE OR REPLACE FUNCTION _check_catalogue_item(p_name text, p_sessions int, p_price numeric, p_validity_days int)
RETURNS text
LANGUAGE plpgsql SET search_path = tutor, pg_temp AS $$
BEGIN
    p_name := _check_text(p_name, 'The package name', 100, true, true);
    IF p_sessions IS NULL OR p_sessions NOT BETWEEN 1 AND 1000 THEN
        PERFORM _fail('TD422', format('A package holds between 1 and 1000 sessions, not %s.', coalesce(p_sessions::text, 'none')));
    END IF;
    PERFORM _check_money(p_price, 'The price');
    IF p_validity_days IS NOT NULL AND p_validity_days NOT BETWEEN 1 AND 3660 THEN
        PERFORM _fail('TD422', format('A package is valid for 1 to 3660 days (or never expires), not %s.', p_validity_days));
    END IF;
    RETURN p_name;
END
$$;

CREATE OR REPLACE FUNCTION _refuse_duplicate_name(p_name text, p_except bigint) RETURNS void
LANGUAGE plpgsql SET search_path = tutor, pg_temp AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM package_catalogue WHERE active AND lower(name) = lower(p_name)
                                               AND id IS DISTINCT FROM p_except) THEN
        PERFORM _fail('TD422', format('The catalogue already offers a package named %s.', p_name));
    END IF;
END
$$;

-- Admins add packages to the catalogue; p_validity_days NULL: it never expires.
CREATE OR REPLACE FUNCTION add_catalogue_item(p_name text, p_sessions int, p_price numeric,
                                              p_validity_days int DEFAULT NULL, p_request_id uuid DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = tutor, pg_temp AS $$
DECLARE
    v_prior jsonb;
    v_id    bigint;
BEGIN
    PERFORM _require_staff('admin');
    v_prior := _claim_request(p_request_id, 'add_catalogue_item', coalesce(p_name, ''));
    IF v_prior IS NOT NULL THEN
        RETURN (v_prior ->> 'id')::bigint;
    END IF;
    p_name := _check_catalogue_item(p_name, p_sessions, p_price, p_validity_days);
    LOCK TABLE package_catalogue IN SHARE ROW EXCLUSIVE MODE;  -- two admins adding one name: one of them
    PERFORM _refuse_duplicate_name(p_name, NULL);
    INSERT INTO package_catalogue (name, sessions, price, validity_days)
    VALUES (p_name, p_sessions, p_price, p_validity_days) RETURNING id INTO v_id;
    PERFORM _audit('add_catalogue_item', 'catalogue', v_id::text, jsonb_build_object(
        'name', p_name, 'sessions', p_sessions, 'price', p_price, 'validity_days', p_validity_days));
    PERFORM _announce('catalogue', NULL);
    PERFORM _finish_request(p_request_id, jsonb_build_object('id', v_id));
    RETURN v_id;
END
$$;

-- Admins change a catalogue item or retire it (p_active false): packages already sold keep their own price.
CREATE OR REPLACE FUNCTION update_catalogue_item(p_id bigint, p_name text, p_sessions int, p_price numeric,
                                                 p_validity_days int, p_active boolean, p_request_id uuid DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = tutor, pg_temp AS $$
DECLARE
    v_old package_catalogue;
BEGIN
    PERFORM _require_staff('admin');
    IF _claim_request(p_request_id, 'update_catalogue_item', coalesce(p_id::text, '')) IS NOT NULL THEN
        RETURN;
    END IF;
    p_name := _check_catalogue_item(p_name, p_sessions, p_price, p_validity_days);
    LOCK TABLE package_catalogue IN SHARE ROW EXCLUSIVE MODE;
    v_old := _catalogue_item_or_fail(p_id);
    IF coalesce(p_active, true) THEN
        PERFORM _refuse_duplicate_name(p_name, p_id);
    END IF;
    UPDATE package_catalogue SET name = p_name, sessions = p_sessions, price = p_price,
                                 validity_days = p_validity_days, active = coalesce(p_active, true)
     WHERE id = p_id;
    PERFORM _audit('update_catalogue_item', 'catalogue', p_id::text, jsonb_build_object(
        'from', to_jsonb(v_old) - 'created_at',
        'to', jsonb_build_object('name', p_name, 'sessions', p_sessions, 'price', p_price,
                                 'validity_days', p_validity_days, 'active', coalesce(p_active, true))));
    PERFORM _announce('catalogue', NULL);
    PERFORM _finish_request(p_request_id, '{}'::jsonb);
END
$$;

-- Sets (or corrects) the price a package was sold for. Never below what was already paid on it (payments less
-- refunds): to lower a price paid in full, record the refund first; what is due then stays nothing.
CREATE OR REPLACE FUNCTION set_package_price(p_package_id uuid, p_price numeric, p_request_id uuid DEFAULT NULL)
RETURNS TABLE(package_id uuid, price numeric, paid numeric, due numeric)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = tutor, pg_temp AS $$
#variable_conflict use_column
DECLARE
    v_package packages;
    v_money   record;
BEGIN
    PERFORM _require_staff('front_desk', 'admin');
    IF _claim_request(p_request_id, 'set_package_price', coalesce(p_package_id::text, '')) IS NULL THEN
        PERFORM _check_money(p_price, 'The price');
        PERFORM _lock_packages(ARRAY[p_package_id]);
        v_package := _package_or_fail(p_package_id);
        SELECT * INTO v_money FROM _package_money(p_package_id);
        IF p_price < v_money.paid THEN
            PERFORM _fail('TD422', format('%s is already paid on %s, more than a price of %s; record a refund first.',
                                          v_money.paid, v_package.label, p_price));
        END IF;
        IF v_money.price IS DISTINCT FROM p_price THEN
            INSERT INTO package_prices (package_id, price) VALUES (p_package_id, p_price)
            ON CONFLICT (package_id) DO UPDATE SET price = excluded.price, updated_at = now();
            PERFORM _audit('set_package_price', 'package', p_package_id::text, jsonb_build_object(
                'from', v_money.price, 'to', p_price));
            PERFORM _announce('set_package_price', p_package_id, NULL, v_package.client_id);
        END IF;
        PERFORM _finish_request(p_request_id, '{}'::jsonb);
    END IF;
    RETURN QUERY SELECT * FROM _package_money(p_package_id);
END
$$;

-- The studio's currency: an ISO 4217 code (EUR, USD, GBP, ...). Admins only.
CREATE OR REPLACE FUNCTION set_currency(p_code text, p_request_id uuid DEFAULT NULL) RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = tutor, pg_temp AS $$
DECLARE
    v_old jsonb;
BEGIN
    PERFORM _require_staff('admin');
    p_code := upper(btrim(coalesce(p_code, '')));
    IF p_code !~ '^[A-Z]{3}$' THEN
        PERFORM _fail('TD422', 'A currency is a three-letter code such as EUR, USD or GBP.');
    END IF;
    IF _claim_request(p_request_id, 'set_currency', p_code) IS NOT NULL THEN
        RETURN p_code;
    END IF;
    SELECT value INTO v_old FROM studio_settings WHERE key = 'currency' FOR UPDATE;
    IF v_old IS DISTINCT FROM to_jsonb(p_code) THEN
        INSERT INTO studio_settings (key, value) VALUES ('currency', to_jsonb(p_code))
        ON CONFLICT (key) DO UPDATE SET value = excluded.value;
        PERFORM _audit('set_studio_setting', 'setting', 'currency', jsonb_build_object('from', v_old, 'to', p_code));
    END IF;
    PERFORM _finish_request(p_request_id, '{}'::jsonb);
    RETURN p_code;
END
$$;

-- A tutor's pay rate, per session or per hour delivered; p_amount NULL removes it. Admins only.
CREATE OR REPLACE FUNCTION set_tutor_pay_rate(p_staff_id bigint, p_amount numeric, p_per text DEFAULT 'session',
                                              p_request_id uuid DEFAULT NULL) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = tutor, pg_temp AS $$
DECLARE
    s staff;
BEGIN
    PERFORM _require_staff('admin');
    IF _claim_request(p_request_id, 'set_tutor_pay_rate', coalesce(p_staff_id::text, '')) IS NOT NULL THEN
        RETURN;
    END IF;
    s := _staff_for_update(p_staff_id);
    IF p_amount IS NULL THEN
        DELETE FROM tutor_pay_rates WHERE staff_id = s.id;
    ELSE
        PERFORM _check_money(p_amount, 'The pay rate');
        IF p_per IS NULL OR p_per NOT IN ('session', 'hour') THEN
            PERFORM _fail('TD422', 'A pay rate is per session or per hour.');
        END IF;
        INSERT INTO tutor_pay_rates (staff_id, amount, per) VALUES (s.id, p_amount, p_per)
        ON CONFLICT (staff_id) DO UPDATE SET amount = excluded.amount, per = excluded.per, updated_at = now();
    END IF;
    PERFORM _audit('set_tutor_pay_rate', 'staff', s.id::text, jsonb_build_object('amount', p_amount, 'per', p_per));
    PERFORM _finish_request(p_request_id, '{}'::jsonb);
END
$$;
