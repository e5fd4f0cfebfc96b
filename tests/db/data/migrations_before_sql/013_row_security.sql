-- Row security: a tutor reads only their own sessions, those sessions' clients and those clients' packages and
-- ledger; front desk and admins read everything; a login without an active staff row reads nothing.
-- Not FORCEd: the owner, as which every definer function runs, is exempt, so the functions see every row they
-- need and make their own checks of the actor.
SET LOCAL ROLE tutor_owner;
SET LOCAL search_path = tutor;

ALTER TABLE clients ENABLE ROW LEVEL SECURITY;
ALTER TABLE packages ENABLE ROW LEVEL SECURITY;
ALTER TABLE sessions ENABLE ROW LEVEL SECURITY;
ALTER TABLE package_ledger ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY;
ALTER TABLE studio_settings ENABLE ROW LEVEL SECURITY;
ALTER TABLE requests ENABLE ROW LEVEL SECURITY;

CREATE POLICY visible_sessions ON sessions FOR SELECT USING (CASE (SELECT viewer_scope())
    WHEN 'all' THEN true
    WHEN 'own' THEN tutor_id = (SELECT viewer_staff_id())
    ELSE false END);

CREATE POLICY visible_clients ON clients FOR SELECT USING (CASE (SELECT viewer_scope())
    WHEN 'all' THEN true
    WHEN 'own' THEN id IN (SELECT s.client_id FROM sessions s WHERE s.tutor_id = (SELECT viewer_staff_id()))
    ELSE false END);

CREATE POLICY visible_packages ON packages FOR SELECT USING (CASE (SELECT viewer_scope())
    WHEN 'all' THEN true
    WHEN 'own' THEN client_id IN (SELECT s.client_id FROM sessions s WHERE s.tutor_id = (SELECT viewer_staff_id()))
    ELSE false END);

CREATE POLICY visible_ledger ON package_ledger FOR SELECT USING (CASE (SELECT viewer_scope())
    WHEN 'all' THEN true
    WHEN 'own' THEN package_id IN (
        SELECT p.id FROM packages p JOIN sessions s ON s.client_id = p.client_id
         WHERE s.tutor_id = (SELECT viewer_staff_id()))
    ELSE false END);

CREATE POLICY visible_audit ON audit_log FOR SELECT USING ((SELECT viewer_scope()) = 'all');
CREATE POLICY visible_settings ON studio_settings FOR SELECT USING ((SELECT viewer_scope()) <> 'none');

-- The view runs as its owner, so its count of pending bookings includes every tutor's; which packages it shows
-- follows the same rule as the packages table.
CREATE OR REPLACE VIEW package_balances AS
SELECT p.id AS package_id, p.client_id, p.label, p.status, p.purchased_at, p.expires_at,
       p.sessions_used, p.sessions_total,
       p.sessions_total - p.sessions_used AS sessions_remaining,
       p.sessions_total - p.sessions_used - coalesce(pending.n, 0) AS sessions_bookable,
       (p.expires_at IS NOT NULL AND p.expires_at <= now()) AS expired
  FROM packages p
  LEFT JOIN LATERAL (
      SELECT count(*)::int AS n FROM sessions s WHERE s.package_id = p.id AND s.status = 'scheduled'
  ) pending ON true
 WHERE CASE (SELECT viewer_scope())
           WHEN 'all' THEN true
           WHEN 'own' THEN p.client_id IN (
               SELECT s.client_id FROM sessions s WHERE s.tutor_id = (SELECT viewer_staff_id()))
           ELSE false END;
