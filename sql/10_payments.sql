-- Payments and refunds against a package, and what a desk reads of a package's money. Front desk and admins
-- only. Due is the price less the payments received (a refund is money given back for good; it never makes the
-- client owe it again) and paid is the payments received less the refunds. A payment is never more than what is
-- still due, and a refund never more than what was paid: for every package 0 <= paid <= received <= price holds
-- (while the price stands), decided under the package's row lock (the lock order of 01_helpers.sql).
SET LOCAL ROLE tutor_owner;
SET LOCAL search_path = tutor;

-- Records money received for a package (a positive amount) or given back (a negative amount, a refund, with its
-- reason in the note). A payment is at most what is still due; a refund at most what was paid. Answers with the
-- package's money as it now is, and the new payment's id (a replay: the first one's).
CREATE OR REPLACE FUNCTION record_payment(p_package_id uuid, p_amount numeric, p_method text,
                                          p_paid_on date DEFAULT NULL, p_note text DEFAULT NULL,
                                          p_request_id uuid DEFAULT NULL)
RETURNS TABLE(payment_id bigint, package_id uuid, price numeric, paid numeric, due numeric)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = tutor, pg_temp AS $$
#variable_conflict use_column
DECLARE
    v_prior   jsonb;
    v_package packages;
    v_money   record;
    v_id      bigint;
    v_on      date := coalesce(p_paid_on, current_date);
BEGIN
    PERFORM _require_staff('front_desk', 'admin');
    v_prior := _claim_request(p_request_id, 'record_payment', coalesce(p_package_id::text, ''));
    IF v_prior IS NULL THEN
        PERFORM _check_money(p_amount, 'The amount', true);
        IF p_amount = 0 THEN
            PERFORM _fail('TD422', 'The amount is zero; nothing to record.');
        END IF;
        IF p_method IS NULL OR p_method NOT IN ('cash', 'card', 'bank_transfer', 'other') THEN
            PERFORM _fail('TD422', format('"%s" is not a way of paying (cash, card, bank transfer or other).',
                                          left(coalesce(p_method, ''), 40)));
        END IF;
        IF v_on < '2000-01-01' OR v_on >= '2100-01-01' THEN
            PERFORM _fail('TD422', 'The payment date must lie between the years 2000 and 2099.');
        END IF;
        IF v_on > current_date + 1 THEN  -- a desk's day may be a day ahead of the server's
            PERFORM _fail('TD422', 'A payment cannot be dated in the future.');
        END IF;
        p_note := coalesce(_check_text(p_note, 'The note', 500), '');
        IF p_amount < 0 AND btrim(p_note) = '' THEN
            PERFORM _fail('TD422', 'A refund needs a reason.');
        END IF;
        PERFORM _lock_packages(ARRAY[p_package_id]);
        v_package := _package_or_fail(p_package_id);
        SELECT * INTO v_money FROM _package_money(p_package_id);
        IF v_money.price IS NULL THEN
            PERFORM _fail('TD422', format('%s has no price yet; set its price before recording a payment.',
                                          v_package.label));
        END IF;
        IF p_amount > v_money.due THEN
            PERFORM _fail('TD422', CASE WHEN v_money.due = 0
                THEN format('%s is paid in full; nothing is due.', v_package.label)
                ELSE format('%s is more than the %s still due on %s.', p_amount, v_money.due, v_package.label) END);
        END IF;
        IF -p_amount > v_money.paid THEN
            PERFORM _fail('TD422', format('A refund of %s is more than the %s paid on %s.', -p_amount, v_money.paid,
                                          v_package.label));
        END IF;
        INSERT INTO payments (package_id, amount, method, paid_on, note, actor, request_id)
        VALUES (p_package_id, p_amount, p_method, v_on, p_note, session_user, p_request_id)
        RETURNING id INTO v_id;
        PERFORM _audit(CASE WHEN p_amount > 0 THEN 'record_payment' ELSE 'record_refund' END, 'package',
                       p_package_id::text, jsonb_build_object('payment', v_id, 'amount', p_amount, 'method', p_method,
                                                              'paid_on', v_on, 'note', p_note));
        PERFORM _announce('record_payment', p_package_id, NULL, v_package.client_id);
        v_prior := jsonb_build_object('id', v_id);
        PERFORM _finish_request(p_request_id, v_prior);
    END IF;
    RETURN QUERY SELECT (v_prior ->> 'id')::bigint, m.* FROM _package_money(p_package_id) m;
END
$$;

-- What the client window shows of a package's money, for front desk and admins (a tutor may not read it).
CREATE OR REPLACE VIEW package_money WITH (security_barrier) AS
SELECT p.id AS package_id, p.client_id, pp.price, coalesce(pay.paid, 0) AS paid,
       pp.price - least(coalesce(pay.received, 0), pp.price) AS due, pp.catalogue_id
  FROM packages p
  LEFT JOIN package_prices pp ON pp.package_id = p.id
  LEFT JOIN LATERAL (SELECT sum(y.amount) AS paid, sum(y.amount) FILTER (WHERE y.amount > 0) AS received
                       FROM payments y WHERE y.package_id = p.id) pay ON true
 WHERE (SELECT viewer_scope()) = 'all';

-- Every payment and refund with the name of who recorded it.
CREATE OR REPLACE VIEW payment_entries WITH (security_barrier) AS
SELECT y.id, y.package_id, y.amount, y.method, y.paid_on, y.note, coalesce(st.display_name, y.actor) AS actor_name,
       y.created_at
  FROM payments y
  LEFT JOIN staff st ON st.login_role = y.actor
 WHERE (SELECT viewer_scope()) = 'all';

REVOKE ALL ON package_money, payment_entries FROM PUBLIC, tutor_app;
GRANT SELECT ON package_money, payment_entries TO tutor_desk_front_desk, tutor_desk_admin;
