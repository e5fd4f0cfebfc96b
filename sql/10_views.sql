-- The views a desk reads. Each runs as its owner (so it sees every row, like the definer functions) and is a
-- security barrier: its own filter runs before any function of the reader's query, so a function of the
-- reader's in a WHERE clause never sees a row the view would not show.
SET LOCAL ROLE tutor_owner;
SET LOCAL search_path = tutor;

-- What a window shows for a package. Bookable: remaining minus the sessions still booked on it and not yet
-- marked that it will pay for: expiry is judged at a session's start, so a booking that starts before the expiry
-- still uses one (also one that auto-complete has not reached yet), and one that starts after it never does.
-- A cancelled or expired package has nothing bookable. Its count of pending bookings includes every tutor's; which packages it shows follows the same rule as the
-- row-security policy on packages.
CREATE OR REPLACE VIEW package_balances WITH (security_barrier) AS
SELECT p.id AS package_id, p.client_id, p.label, p.status, p.purchased_at, p.expires_at,
       p.sessions_used, p.sessions_total,
       p.sessions_total - p.sessions_used AS sessions_remaining,
       CASE WHEN p.status = 'cancelled' OR (p.expires_at IS NOT NULL AND p.expires_at <= now()) THEN 0
            ELSE p.sessions_total - p.sessions_used - coalesce(pending.n, 0) END AS sessions_bookable,
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

-- The staff as every desk lists them: a tutor reads names and roles, not logins (front desk and admins do); a
-- connection without an active staff row reads nothing.
CREATE OR REPLACE VIEW staff_directory WITH (security_barrier) AS
SELECT st.id, st.display_name, st.role, st.active, st.teaches,
       CASE WHEN (SELECT viewer_scope()) = 'all' THEN st.login_role END AS login_role
  FROM staff st
 WHERE (SELECT viewer_scope()) <> 'none';

-- A package's ledger with the name of who did each change ("Who" in the client window). Its rows follow the
-- row-security policy on package_ledger; the actor's login is shown to front desk and admins only.
CREATE OR REPLACE VIEW ledger_entries WITH (security_barrier) AS
SELECT l.id, l.package_id, l.delta, l.kind, l.session_id, l.reverses, l.reason,
       CASE WHEN (SELECT viewer_scope()) = 'all' THEN l.actor END AS actor,
       coalesce(st.display_name, l.actor) AS actor_name, l.created_at
  FROM package_ledger l
  LEFT JOIN staff st ON st.login_role = l.actor
 WHERE CASE (SELECT viewer_scope())
           WHEN 'all' THEN true
           WHEN 'own' THEN l.package_id IN (
               SELECT p.id FROM packages p JOIN sessions s ON s.client_id = p.client_id
                WHERE s.tutor_id = (SELECT viewer_staff_id()))
           ELSE false END;

-- A package's whole story, oldest first: its ledger (the rows ledger_entries shows) and, from the audit log, its
-- sale (or its import from a spreadsheet), its cancellation (the reason, what became of its booked sessions), every
-- change of its expiry, and its payments, refunds (the note is the reason) and price changes. Each
-- part follows the row-security policy of its table: a tutor reads the ledger of their clients' packages and
-- none of the audit log. `change` is the change of sessions left (the ledger's delta turned round; 0 for an event).
CREATE OR REPLACE VIEW package_history WITH (security_barrier) AS
SELECT e.package_id, e.created_at, e.kind, -e.delta AS change, e.session_id, e.reason, e.actor_name,
       '{}'::jsonb AS details, e.id AS ledger_id
  FROM ledger_entries e
UNION ALL
SELECT a.entity_id::uuid, a.created_at,
       CASE a.action WHEN 'sell_package' THEN 'package_sold' WHEN 'cancel_package' THEN 'package_cancelled'
                     WHEN 'import_package' THEN 'package_imported'
                     WHEN 'record_payment' THEN 'payment_recorded' WHEN 'record_refund' THEN 'refund_recorded'
                     WHEN 'set_package_price' THEN 'price_changed' ELSE 'expiry_changed' END,
       0, NULL, coalesce(a.details ->> 'reason', a.details ->> 'note', ''), coalesce(st.display_name, a.actor),
       a.details, NULL
  FROM audit_log a
  LEFT JOIN staff st ON st.login_role = a.actor
 WHERE a.entity_type = 'package' AND a.action IN ('sell_package', 'cancel_package', 'change_package_expiry',
                                                 'import_package', 'record_payment', 'record_refund',
                                                 'set_package_price')
   AND (SELECT viewer_scope()) = 'all';

REVOKE ALL ON package_balances, staff_directory, ledger_entries, package_history FROM PUBLIC, tutor_app;
GRANT SELECT ON package_balances, staff_directory, ledger_entries, package_history
    TO tutor_desk_tutor, tutor_desk_front_desk, tutor_desk_admin;
