-- Row security: a tutor reads only their own sessions, those sessions' clients and those clients' packages and
-- ledger; front desk and admins read everything; a login without an active staff row reads nothing, not even
-- the staff (a deactivated member's connection still open included). (Row
-- security is enabled on the tables by the migrations; these are the rules.)
SET LOCAL ROLE tutor_owner;
SET LOCAL search_path = tutor;

DROP POLICY IF EXISTS visible_sessions ON sessions;
CREATE POLICY visible_sessions ON sessions FOR SELECT USING (CASE (SELECT viewer_scope())
    WHEN 'all' THEN true
    WHEN 'own' THEN tutor_id = (SELECT viewer_staff_id())
    ELSE false END);

DROP POLICY IF EXISTS visible_clients ON clients;
CREATE POLICY visible_clients ON clients FOR SELECT USING (CASE (SELECT viewer_scope())
    WHEN 'all' THEN true
    WHEN 'own' THEN id IN (SELECT s.client_id FROM sessions s WHERE s.tutor_id = (SELECT viewer_staff_id()))
    ELSE false END);

DROP POLICY IF EXISTS visible_packages ON packages;
CREATE POLICY visible_packages ON packages FOR SELECT USING (CASE (SELECT viewer_scope())
    WHEN 'all' THEN true
    WHEN 'own' THEN client_id IN (SELECT s.client_id FROM sessions s WHERE s.tutor_id = (SELECT viewer_staff_id()))
    ELSE false END);

DROP POLICY IF EXISTS visible_ledger ON package_ledger;
CREATE POLICY visible_ledger ON package_ledger FOR SELECT USING (CASE (SELECT viewer_scope())
    WHEN 'all' THEN true
    WHEN 'own' THEN package_id IN (
        SELECT p.id FROM packages p JOIN sessions s ON s.client_id = p.client_id
         WHERE s.tutor_id = (SELECT viewer_staff_id()))
    ELSE false END);

DROP POLICY IF EXISTS visible_audit ON audit_log;
CREATE POLICY visible_audit ON audit_log FOR SELECT USING ((SELECT viewer_scope()) = 'all');

DROP POLICY IF EXISTS visible_settings ON studio_settings;
CREATE POLICY visible_settings ON studio_settings FOR SELECT USING ((SELECT viewer_scope()) <> 'none');

DROP POLICY IF EXISTS visible_staff ON staff;
CREATE POLICY visible_staff ON staff FOR SELECT USING ((SELECT viewer_scope()) <> 'none');

-- Money (the catalogue, prices, payments, pay rates): front desk and admins; the tables are not even granted to
-- tutors (migrations/026_money.sql), so a tutor's query is refused rather than answered empty.
DROP POLICY IF EXISTS visible_catalogue ON package_catalogue;
CREATE POLICY visible_catalogue ON package_catalogue FOR SELECT USING ((SELECT viewer_scope()) = 'all');
DROP POLICY IF EXISTS visible_prices ON package_prices;
CREATE POLICY visible_prices ON package_prices FOR SELECT USING ((SELECT viewer_scope()) = 'all');
DROP POLICY IF EXISTS visible_payments ON payments;
CREATE POLICY visible_payments ON payments FOR SELECT USING ((SELECT viewer_scope()) = 'all');
DROP POLICY IF EXISTS visible_pay_rates ON tutor_pay_rates;
CREATE POLICY visible_pay_rates ON tutor_pay_rates FOR SELECT USING ((SELECT viewer_scope()) = 'all');

-- The change feed (01_change_feed.sql): front desk and admins read every change as it was written; a tutor reads
-- the changes of their own sessions, the changes of their clients' packages and records made without a session,
-- and, for another tutor's session of a client they share, the row written for the others (no session named).
DROP POLICY IF EXISTS visible_changes ON change_feed;
CREATE POLICY visible_changes ON change_feed FOR SELECT USING (CASE (SELECT viewer_scope())
    WHEN 'all' THEN NOT for_others
    WHEN 'own' THEN CASE
        WHEN for_others THEN tutor_id IS DISTINCT FROM (SELECT viewer_staff_id())
                             AND client_id IN (SELECT s.client_id FROM sessions s
                                                WHERE s.tutor_id = (SELECT viewer_staff_id()))
        WHEN session_id IS NOT NULL THEN tutor_id = (SELECT viewer_staff_id())
        ELSE client_id IN (SELECT s.client_id FROM sessions s WHERE s.tutor_id = (SELECT viewer_staff_id()))
        END
    ELSE false END);

DROP POLICY IF EXISTS visible_feed_pruned ON change_feed_pruned;
CREATE POLICY visible_feed_pruned ON change_feed_pruned FOR SELECT USING ((SELECT viewer_scope()) <> 'none');
