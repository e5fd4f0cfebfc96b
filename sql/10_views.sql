-- What a window shows for a package. Bookable: remaining minus the sessions still booked on it and not yet
-- marked that it will pay for: expiry is judged at a session's start, so a booking that starts before the expiry
-- still uses one (also one that auto-complete has not reached yet), and one that starts after it never does.
-- The view runs as its owner, so its count of pending bookings includes every tutor's; which packages it shows
-- follows the same rule as the row-security policy on packages.
SET LOCAL ROLE tutor_owner;
SET LOCAL search_path = tutor;

CREATE OR REPLACE VIEW package_balances AS
SELECT p.id AS package_id, p.client_id, p.label, p.status, p.purchased_at, p.expires_at,
       p.sessions_used, p.sessions_total,
       p.sessions_total - p.sessions_used AS sessions_remaining,
       p.sessions_total - p.sessions_used - coalesce(pending.n, 0) AS sessions_bookable,
       (p.expires_at IS NOT NULL AND p.expires_at <= now()) AS expired
  FROM packages p
  LEFT JOIN LATERAL (
      SELECT count(*)::int AS n FROM sessions s WHERE s.package_id = p.id AND s.status = 'scheduled'
         AND (p.expires_at IS NULL OR s.starts_at < p.expires_at)
  ) pending ON true
 WHERE CASE (SELECT viewer_scope())
           WHEN 'all' THEN true
           WHEN 'own' THEN p.client_id IN (
               SELECT s.client_id FROM sessions s WHERE s.tutor_id = (SELECT viewer_staff_id()))
           ELSE false END;

REVOKE ALL ON package_balances FROM PUBLIC, tutor_app;
GRANT SELECT ON package_balances TO tutor_desk_tutor, tutor_desk_front_desk, tutor_desk_admin;
