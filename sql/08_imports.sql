-- Importing clients and packages from a spreadsheet. Each import is one call: every row is checked first and
-- every problem is answered with its row number; only a file without problems is applied, whole, in this one
-- transaction (a dry run checks and applies nothing). A row that is already in the studio (the same external
-- id, or without one the same name and e-mail address; for a package the same client, label and purchase date)
-- is left as it is, so importing the same file twice adds nothing.
SET LOCAL ROLE tutor_owner;
SET LOCAL search_path = tutor;

-- The text as _check_text would store it, or the problem a person is told.
CREATE OR REPLACE FUNCTION _import_text(p_value text, p_field text, p_max int, p_required boolean,
                                        p_single_line boolean, OUT value text, OUT problem text)
LANGUAGE plpgsql SET search_path = tutor, pg_temp AS $$
BEGIN
    value := nullif(_check_text(p_value, p_field, p_max, p_required, p_single_line), '');
EXCEPTION WHEN SQLSTATE 'TD422' THEN
    problem := SQLERRM;
END
$$;

-- A whole number of sessions, or the problem.
CREATE OR REPLACE FUNCTION _import_count(p_value text, p_field text, p_required boolean,
                                         OUT value int, OUT problem text)
LANGUAGE plpgsql IMMUTABLE SET search_path = tutor, pg_temp AS $$
BEGIN
    IF p_value IS NULL OR btrim(p_value) = '' THEN
        IF p_required THEN
            problem := format('%s is missing.', p_field);
        ELSE
            value := 0;
        END IF;
    ELSIF btrim(p_value) !~ '^[+-]?[0-9]{1,6}$' THEN
        problem := format('%s "%s" is not a whole number.', p_field, p_value);
    ELSIF btrim(p_value)::int < 0 THEN
        problem := format('%s cannot be negative (%s).', p_field, btrim(p_value));
    ELSE
        value := btrim(p_value)::int;
    END IF;
END
$$;

-- A date (YYYY-MM-DD) or a date and time (YYYY-MM-DD HH:MM[:SS]) on the desk's clock, or the problem.
CREATE OR REPLACE FUNCTION _import_moment(p_value text, p_field text, p_time_zone text, p_required boolean,
                                          OUT value timestamptz, OUT problem text)
LANGUAGE plpgsql STABLE SET search_path = tutor, pg_temp AS $$
DECLARE
    v text := btrim(coalesce(p_value, ''));
BEGIN
    IF v = '' THEN
        IF p_required THEN
            problem := format('%s is missing.', p_field);
        END IF;
        RETURN;
    END IF;
    IF v !~ '^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([ T][0-9]{1,2}:[0-9]{2}(:[0-9]{2})?)?$' THEN
        problem := format('%s "%s" is not a date; write it as YYYY-MM-DD, e.g. 2026-03-31.', p_field, p_value);
        RETURN;
    END IF;
    BEGIN
        value := (replace(v, 'T', ' ')::timestamp) AT TIME ZONE p_time_zone;
    EXCEPTION WHEN datetime_field_overflow OR invalid_datetime_format THEN
        problem := format('%s "%s" is not a date of the calendar.', p_field, p_value);
        RETURN;
    END;
    IF NOT (value >= '2000-01-01 00:00:00+00' AND value < '2100-01-01 00:00:00+00') THEN
        problem := format('%s must lie between the years 2000 and 2099.', p_field);
        value := NULL;
    END IF;
END
$$;

-- The answer of an import: what was added, what was there already, and every row's problems (row order).
CREATE OR REPLACE FUNCTION _import_answer(p_applied boolean, p_added int, p_existing int, p_problems jsonb)
RETURNS jsonb
LANGUAGE sql IMMUTABLE SET search_path = tutor, pg_temp AS $$
    SELECT jsonb_build_object('applied', p_applied, 'added', p_added, 'existing', p_existing,
                              'problems', coalesce((SELECT jsonb_agg(x ORDER BY (x ->> 'row')::int, x ->> 'message')
                                                      FROM jsonb_array_elements(p_problems) x), '[]'::jsonb));
$$;

-- What both imports do first: front desk and admins only, a list of rows, and (unless a dry run) the request id
-- claimed. Returns the first outcome when the request was answered before (a replay), else NULL.
CREATE OR REPLACE FUNCTION _import_begins(p_rows jsonb, p_dry_run boolean, p_request_id uuid, p_what text)
RETURNS jsonb
LANGUAGE plpgsql SET search_path = tutor, pg_temp AS $$
BEGIN
    PERFORM _require_staff('front_desk', 'admin');
    IF jsonb_typeof(p_rows) IS DISTINCT FROM 'array' THEN
        PERFORM _fail('TD422', 'An import takes a list of rows.');
    END IF;
    IF coalesce(p_dry_run, false) THEN
        RETURN NULL;
    END IF;
    RETURN _claim_request(p_request_id, 'import_' || p_what, p_what);
END
$$;

-- p_rows: a JSON array of objects {"row", "external_id", "name", "email", "phone", "notes"}, all text.
CREATE OR REPLACE FUNCTION import_clients(p_rows jsonb, p_dry_run boolean DEFAULT false, p_request_id uuid DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = tutor, pg_temp AS $$
DECLARE
    v_prior    jsonb;
    v_problems jsonb;
    v_existing int;
    v_added    int;
    v_answer   jsonb;
BEGIN
    v_prior := _import_begins(p_rows, p_dry_run, p_request_id, 'clients');
    IF v_prior IS NOT NULL THEN
        RETURN v_prior;
    END IF;
    -- Two imports at once take turns, so the same file imported twice at once is added once.
    LOCK TABLE clients IN SHARE ROW EXCLUSIVE MODE;
    CREATE TEMP TABLE IF NOT EXISTS pg_temp.import_rows (
        row_no int, external_id text, full_name text, email text, phone text, notes text, problems text[],
        key text, existing_id bigint) ON COMMIT DROP;
    TRUNCATE pg_temp.import_rows;
    INSERT INTO pg_temp.import_rows (row_no, external_id, full_name, email, phone, notes, problems)
    SELECT coalesce((e ->> 'row')::int, n::int + 1), ext.value, nm.value, em.value, ph.value, coalesce(nt.value, ''),
           array_remove(ARRAY[ext.problem, nm.problem, em.problem, ph.problem, nt.problem], NULL)
      FROM jsonb_array_elements(p_rows) WITH ORDINALITY AS t(e, n),
           LATERAL _import_text(e ->> 'external_id', 'The external id', 100, false, true) ext,
           LATERAL _import_text(e ->> 'name', 'The client''s name', 120, true, true) nm,
           LATERAL _import_text(e ->> 'email', 'The e-mail address', 254, false, true) em,
           LATERAL _import_text(e ->> 'phone', 'The phone number', 40, false, true) ph,
           LATERAL _import_text(e ->> 'notes', 'The notes', 2000, false, false) nt;
    UPDATE pg_temp.import_rows
       SET key = coalesce('id:' || external_id, 'name:' || lower(full_name) || '|' || lower(coalesce(email, '')))
     WHERE full_name IS NOT NULL;
    UPDATE pg_temp.import_rows r SET problems = r.problems || format('The same client as row %s.', d.first_row)
      FROM (SELECT row_no, first_value(row_no) OVER (PARTITION BY key ORDER BY row_no) AS first_row
              FROM pg_temp.import_rows WHERE key IS NOT NULL) d
     WHERE d.row_no = r.row_no AND d.first_row <> r.row_no;
    UPDATE pg_temp.import_rows r SET existing_id = c.id
      FROM clients c
     WHERE (r.external_id IS NOT NULL AND c.external_id = r.external_id)
        OR (r.external_id IS NULL AND r.full_name IS NOT NULL AND lower(c.full_name) = lower(r.full_name)
            AND lower(coalesce(c.email, '')) = lower(coalesce(r.email, '')));
    SELECT coalesce(jsonb_agg(jsonb_build_object('row', row_no, 'message', m)), '[]'::jsonb)
      INTO v_problems FROM pg_temp.import_rows, unnest(problems) m;
    SELECT count(*) FILTER (WHERE existing_id IS NOT NULL) INTO v_existing FROM pg_temp.import_rows;
    IF coalesce(p_dry_run, false) OR jsonb_array_length(v_problems) > 0 THEN
        SELECT count(*) FILTER (WHERE existing_id IS NULL) INTO v_added FROM pg_temp.import_rows;
        RETURN _import_answer(false, v_added, v_existing, v_problems);  -- the request id stays free for a retry
    END IF;
    WITH added AS (
        INSERT INTO clients (full_name, email, phone, notes, external_id)
        SELECT full_name, email, phone, notes, external_id FROM pg_temp.import_rows
         WHERE existing_id IS NULL ORDER BY row_no
        RETURNING id, full_name, external_id
    ), audited AS (
        INSERT INTO audit_log (actor, action, entity_type, entity_id, details)
        SELECT session_user, 'import_client', 'client', id::text,
               jsonb_strip_nulls(jsonb_build_object('name', full_name, 'external_id', external_id))
          FROM added ORDER BY id
        RETURNING 1
    )
    SELECT count(*) INTO v_added FROM audited;
    IF v_added > 0 THEN
        PERFORM _announce('import', NULL);
    END IF;
    v_answer := _import_answer(true, v_added, v_existing, '[]'::jsonb);
    PERFORM _finish_request(p_request_id, v_answer);
    RETURN v_answer;
END
$$;

-- p_rows: a JSON array of objects {"row", "external_id", "client_external_id", "client_name", "client_email",
-- "label", "sessions_total", "sessions_used", "purchased", "expires", "status"}, all text; dates on the clock of
-- p_time_zone. The sessions used come in as ledger rows of their own kind, used_before, one per session. A
-- package may be imported already expired or used up: import is how old packages are recorded.
CREATE OR REPLACE FUNCTION import_packages(p_rows jsonb, p_time_zone text DEFAULT 'UTC', p_dry_run boolean DEFAULT false,
                                           p_request_id uuid DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = tutor, pg_temp AS $$
DECLARE
    v_prior    jsonb;
    v_problems jsonb;
    v_existing int;
    v_added    int;
    v_answer   jsonb;
BEGIN
    v_prior := _import_begins(p_rows, p_dry_run, p_request_id, 'packages');
    IF v_prior IS NOT NULL THEN
        RETURN v_prior;
    END IF;
    PERFORM _check_zone(p_time_zone);
    LOCK TABLE packages IN SHARE ROW EXCLUSIVE MODE;
    CREATE TEMP TABLE IF NOT EXISTS pg_temp.import_packages (
        row_no int, external_id text, client_external_id text, client_name text, client_email text, client_id bigint,
        label text, sessions_total int, sessions_used int, purchased_at timestamptz, expires_at timestamptz,
        status text, problems text[], key text, existing boolean NOT NULL DEFAULT false, new_id uuid)
        ON COMMIT DROP;
    TRUNCATE pg_temp.import_packages;
    INSERT INTO pg_temp.import_packages (row_no, external_id, client_external_id, client_name, client_email, label,
                                         sessions_total, sessions_used, purchased_at, expires_at, status, problems)
    SELECT coalesce((e ->> 'row')::int, n::int + 1), ext.value, cext.value, cname.value, cmail.value, lbl.value,
           tot.value, used.value, bought.value, expires.value,
           CASE lower(btrim(coalesce(e ->> 'status', '')))
               WHEN '' THEN 'active' WHEN 'active' THEN 'active' WHEN 'expired' THEN 'active'
               WHEN 'used up' THEN 'active' WHEN 'cancelled' THEN 'cancelled' WHEN 'canceled' THEN 'cancelled' END,
           array_remove(ARRAY[ext.problem, cext.problem, cname.problem, cmail.problem, lbl.problem, tot.problem,
                              used.problem, bought.problem, expires.problem,
                              CASE WHEN lower(btrim(coalesce(e ->> 'status', ''))) NOT IN
                                        ('', 'active', 'expired', 'used up', 'cancelled', 'canceled')
                                   THEN format('The status "%s" is not one of Active, Expired, Used up or Cancelled.',
                                               e ->> 'status') END], NULL)
      FROM jsonb_array_elements(p_rows) WITH ORDINALITY AS t(e, n),
           LATERAL _import_text(e ->> 'external_id', 'The external id', 100, false, true) ext,
           LATERAL _import_text(e ->> 'client_external_id', 'The client''s external id', 100, false, true) cext,
           LATERAL _import_text(e ->> 'client_name', 'The client''s name', 120, false, true) cname,
           LATERAL _import_text(e ->> 'client_email', 'The client''s e-mail address', 254, false, true) cmail,
           LATERAL _import_text(e ->> 'label', 'The package label', 100, true, true) lbl,
           LATERAL _import_count(e ->> 'sessions_total', 'The number of sessions', true) tot,
           LATERAL _import_count(e ->> 'sessions_used', 'The number of sessions used', false) used,
           LATERAL _import_moment(e ->> 'purchased', 'The purchase date', p_time_zone, true) bought,
           LATERAL _import_moment(e ->> 'expires', 'The expiry date', p_time_zone, false) expires;

    -- The rules of a package, each a problem of its own.
    UPDATE pg_temp.import_packages SET problems = problems || array_remove(ARRAY[
        CASE WHEN sessions_total NOT BETWEEN 1 AND 1000
             THEN format('A package holds between 1 and 1000 sessions, not %s.', sessions_total) END,
        CASE WHEN sessions_used > sessions_total
             THEN format('%s sessions used is more than the package''s %s.', sessions_used, sessions_total) END,
        CASE WHEN purchased_at > now() + interval '5 minutes' THEN 'A package cannot be bought in the future.' END,
        CASE WHEN expires_at <= purchased_at THEN 'A package must expire after it is bought.' END,
        CASE WHEN client_external_id IS NULL AND client_name IS NULL
             THEN 'The client is missing: give the client''s external id or name.' END], NULL);

    -- The client: by external id, or by name (and e-mail address when one is given).
    UPDATE pg_temp.import_packages r SET client_id = c.id
      FROM clients c
     WHERE r.client_external_id IS NOT NULL AND c.external_id = r.client_external_id;
    UPDATE pg_temp.import_packages r SET client_id = m.id, problems = CASE WHEN m.n > 1 THEN r.problems || format(
               'More than one client is named %s; give the client''s external id or e-mail address.', r.client_name)
               ELSE r.problems END
      FROM (SELECT r2.row_no, min(c.id) AS id, count(*) AS n FROM pg_temp.import_packages r2
              JOIN clients c ON lower(c.full_name) = lower(r2.client_name)
               AND (r2.client_email IS NULL OR lower(coalesce(c.email, '')) = lower(r2.client_email))
             WHERE r2.client_external_id IS NULL AND r2.client_name IS NOT NULL
             GROUP BY r2.row_no) m
     WHERE m.row_no = r.row_no;
    UPDATE pg_temp.import_packages SET problems = problems || CASE
               WHEN client_external_id IS NOT NULL THEN format('No client has the external id %s.', client_external_id)
               ELSE format('No client is named %s%s.', client_name,
                           coalesce(' with the e-mail address ' || client_email, '')) END
     WHERE client_id IS NULL AND (client_external_id IS NOT NULL OR client_name IS NOT NULL);

    UPDATE pg_temp.import_packages
       SET key = coalesce('id:' || external_id,
                          'sale:' || client_id || '|' || lower(label) || '|' || purchased_at::text)
     WHERE client_id IS NOT NULL AND label IS NOT NULL AND purchased_at IS NOT NULL;
    UPDATE pg_temp.import_packages r SET problems = r.problems || format('The same package as row %s.', d.first_row)
      FROM (SELECT row_no, first_value(row_no) OVER (PARTITION BY key ORDER BY row_no) AS first_row
              FROM pg_temp.import_packages WHERE key IS NOT NULL) d
     WHERE d.row_no = r.row_no AND d.first_row <> r.row_no;
    UPDATE pg_temp.import_packages r SET existing = true
      FROM packages p
     WHERE (r.external_id IS NOT NULL AND p.external_id = r.external_id)
        OR (r.external_id IS NULL AND p.client_id = r.client_id AND lower(p.label) = lower(r.label)
            AND date_trunc('second', p.purchased_at) = r.purchased_at);  -- a file holds whole seconds

    SELECT coalesce(jsonb_agg(jsonb_build_object('row', row_no, 'message', m)), '[]'::jsonb)
      INTO v_problems FROM pg_temp.import_packages, unnest(problems) m;
    SELECT count(*) FILTER (WHERE existing) INTO v_existing FROM pg_temp.import_packages;
    IF coalesce(p_dry_run, false) OR jsonb_array_length(v_problems) > 0 THEN
        SELECT count(*) FILTER (WHERE NOT existing) INTO v_added FROM pg_temp.import_packages;
        RETURN _import_answer(false, v_added, v_existing, v_problems);
    END IF;

    UPDATE pg_temp.import_packages SET new_id = gen_random_uuid() WHERE NOT existing;
    INSERT INTO packages (id, client_id, label, sessions_total, sessions_used, status, purchased_at, expires_at,
                          external_id)
    SELECT new_id, client_id, label, sessions_total, sessions_used, status, purchased_at, expires_at, external_id
      FROM pg_temp.import_packages WHERE new_id IS NOT NULL ORDER BY row_no;
    INSERT INTO audit_log (actor, action, entity_type, entity_id, details)
    SELECT session_user, 'import_package', 'package', new_id::text, jsonb_strip_nulls(jsonb_build_object(
               'client', client_id, 'label', label, 'sessions_total', sessions_total, 'sessions_used', sessions_used,
               'status', status, 'expires_at', expires_at, 'external_id', external_id))
      FROM pg_temp.import_packages WHERE new_id IS NOT NULL ORDER BY row_no;
    GET DIAGNOSTICS v_added = ROW_COUNT;
    -- The counter starts where the spreadsheet left it, and the ledger says so, one row per session used.
    INSERT INTO package_ledger (package_id, delta, kind, reason, actor, request_id)
    SELECT new_id, 1, 'used_before', 'Used before Tutor Desk', session_user, p_request_id
      FROM pg_temp.import_packages, generate_series(1, sessions_used)
     WHERE new_id IS NOT NULL
     ORDER BY row_no;
    IF v_added > 0 THEN
        PERFORM _announce('import', NULL);
    END IF;
    v_answer := _import_answer(true, v_added, v_existing, '[]'::jsonb);
    PERFORM _finish_request(p_request_id, v_answer);
    RETURN v_answer;
END
$$;
