-- Reports, each one set-based statement over the sessions, the ledger and the payments. A period is a first and
-- a last day, both included, in the desk's time zone (sessions are counted by their start; payments by the day
-- they were paid). Tutor activity is for every staff member, a tutor reading only their own row and no money; the
-- others are for front desk and admins.
SET LOCAL ROLE tutor_owner;
SET LOCAL search_path = tutor;

-- [first day 00:00, the day after the last 00:00) in p_zone, or a refusal.
CREATE OR REPLACE FUNCTION _report_period(p_from date, p_to date, p_zone text) RETURNS tstzrange
LANGUAGE plpgsql STABLE SET search_path = tutor, pg_temp AS $$
BEGIN
    IF p_from IS NULL OR p_to IS NULL THEN
        PERFORM _fail('TD422', 'A report needs the first and the last day of its period.');
    END IF;
    IF p_to < p_from THEN
        PERFORM _fail('TD422', format('The period ends on %s, before it starts on %s.',
                                      to_char(p_to, 'FMDD Mon YYYY'), to_char(p_from, 'FMDD Mon YYYY')));
    END IF;
    IF p_from < '2000-01-01' OR p_to >= '2100-01-01' THEN
        PERFORM _fail('TD422', 'A report''s period must lie between the years 2000 and 2099.');
    END IF;
    PERFORM _check_zone(p_zone);
    RETURN tstzrange(p_from::timestamp AT TIME ZONE p_zone, (p_to + 1)::timestamp AT TIME ZONE p_zone, '[)');
END
$$;

-- Per tutor: sessions and hours by status in the period and, with a pay rate, the pay (per session or per hour
-- of sessions delivered: done and student no-show). A tutor gets only their own row and no pay.
CREATE OR REPLACE FUNCTION report_tutor_activity(p_from date, p_to date, p_zone text DEFAULT 'UTC')
RETURNS TABLE(tutor_id bigint, tutor_name text,
              done int, done_hours numeric, no_show_student int, no_show_student_hours numeric,
              no_show_tutor int, no_show_tutor_hours numeric, cancelled int, cancelled_hours numeric,
              rescheduled int, rescheduled_hours numeric, upcoming int, upcoming_hours numeric,
              pay_rate numeric, pay_per text, pay numeric)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = tutor, pg_temp AS $$
DECLARE
    me      staff := _actor();
    v_range tstzrange := _report_period(p_from, p_to, p_zone);
    v_all   boolean := me.role <> 'tutor';
BEGIN
    RETURN QUERY
    WITH s AS (
        SELECT s.tutor_id, s.status, extract(epoch FROM s.ends_at - s.starts_at) / 3600 AS h
          FROM sessions s
         WHERE s.starts_at >= lower(v_range) AND s.starts_at < upper(v_range)
           AND (v_all OR s.tutor_id = me.id)
    ), t AS (
        SELECT s.tutor_id,
               count(*) FILTER (WHERE s.status = 'done')::int AS n_done,
               coalesce(sum(s.h) FILTER (WHERE s.status = 'done'), 0) AS h_done,
               count(*) FILTER (WHERE s.status = 'no_show_student')::int AS n_nss,
               coalesce(sum(s.h) FILTER (WHERE s.status = 'no_show_student'), 0) AS h_nss,
               count(*) FILTER (WHERE s.status = 'no_show_tutor')::int AS n_nst,
               coalesce(sum(s.h) FILTER (WHERE s.status = 'no_show_tutor'), 0) AS h_nst,
               count(*) FILTER (WHERE s.status = 'cancelled')::int AS n_can,
               coalesce(sum(s.h) FILTER (WHERE s.status = 'cancelled'), 0) AS h_can,
               count(*) FILTER (WHERE s.status = 'rescheduled')::int AS n_res,
               coalesce(sum(s.h) FILTER (WHERE s.status = 'rescheduled'), 0) AS h_res,
               count(*) FILTER (WHERE s.status = 'scheduled')::int AS n_up,
               coalesce(sum(s.h) FILTER (WHERE s.status = 'scheduled'), 0) AS h_up
          FROM s GROUP BY s.tutor_id
    )
    SELECT t.tutor_id, st.display_name,
           t.n_done, round(t.h_done, 2), t.n_nss, round(t.h_nss, 2), t.n_nst, round(t.h_nst, 2),
           t.n_can, round(t.h_can, 2), t.n_res, round(t.h_res, 2), t.n_up, round(t.h_up, 2),
           CASE WHEN v_all THEN r.amount END, CASE WHEN v_all THEN r.per END,
           CASE WHEN NOT v_all THEN NULL
                WHEN r.per = 'session' THEN r.amount * (t.n_done + t.n_nss)
                WHEN r.per = 'hour' THEN round(r.amount * (t.h_done + t.h_nss), 2) END
      FROM t
      JOIN staff st ON st.id = t.tutor_id
      LEFT JOIN tutor_pay_rates r ON r.staff_id = t.tutor_id
     ORDER BY st.display_name, t.tutor_id;
END
$$;

-- Packages sold in the period (how many, and their prices), and the payments and refunds received, by method.
CREATE OR REPLACE FUNCTION report_revenue(p_from date, p_to date, p_zone text DEFAULT 'UTC')
RETURNS TABLE(kind text, method text, count int, amount numeric)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = tutor, pg_temp AS $$
DECLARE
    v_range tstzrange := _report_period(p_from, p_to, p_zone);
BEGIN
    PERFORM _require_staff('front_desk', 'admin');
    RETURN QUERY
    SELECT 'sold'::text, NULL::text, count(*)::int, coalesce(sum(pp.price), 0)
      FROM packages p LEFT JOIN package_prices pp ON pp.package_id = p.id
     WHERE p.purchased_at >= lower(v_range) AND p.purchased_at < upper(v_range)
    UNION ALL
    (SELECT CASE WHEN y.amount > 0 THEN 'payment' ELSE 'refund' END, y.method, count(*)::int, sum(y.amount)
       FROM payments y
      WHERE y.paid_on BETWEEN p_from AND p_to
      GROUP BY 1, 2
      ORDER BY 1, 2);
END
$$;

-- Every package active at p_at (default now) with sessions left then: the sessions left by its ledger up to that
-- moment, and their value at the package's price per session. Active then: bought by then, not cancelled by then
-- (the audit log says when), not expired then (its expiry as it stood then, from the audit log's expiry changes).
CREATE OR REPLACE FUNCTION report_unused_prepaid(p_at timestamptz DEFAULT NULL)
RETURNS TABLE(package_id uuid, client_id bigint, client_name text, label text, purchased_at timestamptz,
              sessions_total int, sessions_remaining int, price numeric, value numeric)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = tutor, pg_temp AS $$
DECLARE
    v_at timestamptz := coalesce(p_at, now());
BEGIN
    PERFORM _require_staff('front_desk', 'admin');
    PERFORM _check_moment(v_at, 'The date of the report');
    RETURN QUERY
    WITH used AS (
        SELECT l.package_id, sum(l.delta)::int AS n FROM package_ledger l WHERE l.created_at <= v_at
         GROUP BY l.package_id
    ), cancelled AS (
        SELECT a.entity_id, min(a.created_at) AS at FROM audit_log a
         WHERE a.entity_type = 'package' AND a.action = 'cancel_package' GROUP BY a.entity_id
    ), live AS (
        SELECT p.*, p.sessions_total - coalesce(u.n, 0) AS remaining,
               CASE WHEN before.details IS NOT NULL THEN (before.details ->> 'to')::timestamptz
                    WHEN after.details IS NOT NULL THEN (after.details ->> 'from')::timestamptz
                    ELSE p.expires_at END AS expires_then
          FROM packages p
          LEFT JOIN used u ON u.package_id = p.id
          LEFT JOIN cancelled x ON x.entity_id = p.id::text
          LEFT JOIN LATERAL (
              SELECT a.details FROM audit_log a
               WHERE a.entity_type = 'package' AND a.entity_id = p.id::text AND a.action = 'change_package_expiry'
                 AND a.created_at <= v_at ORDER BY a.created_at DESC, a.id DESC LIMIT 1) before ON true
          LEFT JOIN LATERAL (
              SELECT a.details FROM audit_log a
               WHERE a.entity_type = 'package' AND a.entity_id = p.id::text AND a.action = 'change_package_expiry'
                 AND a.created_at > v_at ORDER BY a.created_at, a.id LIMIT 1) after ON true
         WHERE p.purchased_at <= v_at
           AND NOT (p.status = 'cancelled' AND (x.at IS NULL OR x.at <= v_at))
    )
    SELECT l.id, l.client_id, c.full_name, l.label, l.purchased_at, l.sessions_total, l.remaining, pp.price,
           round(l.remaining * pp.price / l.sessions_total, 2)
      FROM live l
      JOIN clients c ON c.id = l.client_id
      LEFT JOIN package_prices pp ON pp.package_id = l.id
     WHERE l.remaining > 0 AND (l.expires_then IS NULL OR l.expires_then > v_at)
     ORDER BY lower(c.full_name), c.id, l.purchased_at, l.id;
END
$$;

-- No-show rates per client and per tutor among the sessions of the period that took place or should have (done,
-- student no-show, tutor no-show), in percent with one decimal.
CREATE OR REPLACE FUNCTION report_attendance(p_from date, p_to date, p_zone text DEFAULT 'UTC')
RETURNS TABLE(kind text, id bigint, name text, sessions int, student_no_shows int, tutor_no_shows int,
              student_no_show_rate numeric, tutor_no_show_rate numeric)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = tutor, pg_temp AS $$
DECLARE
    v_range tstzrange := _report_period(p_from, p_to, p_zone);
BEGIN
    PERFORM _require_staff('front_desk', 'admin');
    RETURN QUERY
    WITH g AS (
        SELECT CASE WHEN GROUPING(s.client_id) = 0 THEN 'client' ELSE 'tutor' END AS kind,
               coalesce(s.client_id, s.tutor_id) AS id,
               count(*)::int AS n,
               count(*) FILTER (WHERE s.status = 'no_show_student')::int AS nss,
               count(*) FILTER (WHERE s.status = 'no_show_tutor')::int AS nst
          FROM sessions s
         WHERE s.starts_at >= lower(v_range) AND s.starts_at < upper(v_range)
           AND s.status IN ('done', 'no_show_student', 'no_show_tutor')
         GROUP BY GROUPING SETS ((s.client_id), (s.tutor_id))
    )
    SELECT g.kind, g.id,
           CASE g.kind WHEN 'client' THEN (SELECT c.full_name FROM clients c WHERE c.id = g.id)
                       ELSE (SELECT st.display_name FROM staff st WHERE st.id = g.id) END,
           g.n, g.nss, g.nst, round(100.0 * g.nss / g.n, 1), round(100.0 * g.nst / g.n, 1)
      FROM g
     ORDER BY g.kind DESC, round(100.0 * g.nss / g.n, 1) DESC, 3;
END
$$;

-- Who needs attention now, one row per finding: 'low_balance' (a client whose usable packages have at most
-- p_low sessions left between them), 'expiring' (a package with sessions left that expires within p_days days),
-- 'overbooked' (more sessions booked on a package than it has left), 'balance_due' (money still due on a package
-- that is not cancelled; `at` is when it was bought), 'no_upcoming' (a client with sessions left and nothing booked). Archived clients aside.
CREATE OR REPLACE FUNCTION report_needs_attention(p_low int DEFAULT 2, p_days int DEFAULT 14)
RETURNS TABLE(kind text, client_id bigint, client_name text, package_id uuid, label text, sessions int,
              amount numeric, at timestamptz)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = tutor, pg_temp AS $$
BEGIN
    PERFORM _require_staff('front_desk', 'admin');
    IF p_low IS NULL OR p_low NOT BETWEEN 0 AND 1000 THEN
        PERFORM _fail('TD422', 'A low balance is between 0 and 1000 sessions left.');
    END IF;
    IF p_days IS NULL OR p_days NOT BETWEEN 1 AND 3660 THEN
        PERFORM _fail('TD422', 'Expiring means within 1 to 3660 days.');
    END IF;
    RETURN QUERY
    WITH usable AS (
        SELECT p.id, p.client_id, p.label, p.expires_at, p.sessions_total - p.sessions_used AS remaining,
               (SELECT count(*)::int FROM sessions s WHERE s.package_id = p.id AND s.status = 'scheduled'
                   AND (p.expires_at IS NULL OR s.starts_at < p.expires_at)) AS pending
          FROM packages p JOIN clients c ON c.id = p.client_id AND NOT c.archived
         WHERE p.status = 'active' AND (p.expires_at IS NULL OR p.expires_at > now())
    ), per_client AS (
        SELECT u.client_id, sum(u.remaining)::int AS remaining FROM usable u GROUP BY u.client_id
    ), found AS (
        SELECT 'low_balance' AS kind, pc.client_id, NULL::uuid AS package_id, NULL::text AS label,
               pc.remaining AS sessions, NULL::numeric AS amount, NULL::timestamptz AS at
          FROM per_client pc WHERE pc.remaining <= p_low
        UNION ALL
        SELECT 'expiring', u.client_id, u.id, u.label, u.remaining, NULL, u.expires_at
          FROM usable u WHERE u.remaining > 0 AND u.expires_at <= now() + make_interval(days => p_days)
        UNION ALL
        SELECT 'overbooked', u.client_id, u.id, u.label, u.remaining - u.pending, NULL, NULL
          FROM usable u WHERE u.remaining - u.pending < 0
        UNION ALL
        SELECT 'balance_due', m.client_id, m.package_id, p.label, NULL, m.due, p.purchased_at
          FROM package_money m
          JOIN packages p ON p.id = m.package_id AND p.status = 'active'
          JOIN clients c ON c.id = m.client_id AND NOT c.archived
         WHERE m.due > 0
        UNION ALL
        SELECT 'no_upcoming', pc.client_id, NULL, NULL, pc.remaining, NULL, NULL
          FROM per_client pc
         WHERE pc.remaining > 0
           AND NOT EXISTS (SELECT 1 FROM sessions s WHERE s.client_id = pc.client_id AND s.status = 'scheduled'
                              AND s.starts_at > now())
    )
    SELECT f.kind, f.client_id, c.full_name, f.package_id, f.label, f.sessions, f.amount, f.at
      FROM found f JOIN clients c ON c.id = f.client_id
     ORDER BY array_position(ARRAY['overbooked', 'balance_due', 'low_balance', 'expiring', 'no_upcoming'], f.kind),
              lower(c.full_name), f.client_id, f.label;
END
$$;
