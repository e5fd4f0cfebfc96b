SET LOCAL ROLE tutor_owner;
SET LOCAL search_path = tutor;

-- What a window shows for a package. Bookable: remaining minus the sessions still booked on it and not yet
-- marked (a past one that auto-complete has not reached yet will still use one).
CREATE VIEW package_balances AS
SELECT p.id AS package_id, p.client_id, p.label, p.status, p.purchased_at, p.expires_at,
       p.sessions_used, p.sessions_total,
       p.sessions_total - p.sessions_used AS sessions_remaining,
       p.sessions_total - p.sessions_used - coalesce(pending.n, 0) AS sessions_bookable,
       (p.expires_at IS NOT NULL AND p.expires_at <= now()) AS expired
  FROM packages p
  LEFT JOIN LATERAL (
      SELECT count(*)::int AS n FROM sessions s WHERE s.package_id = p.id AND s.status = 'scheduled'
  ) pending ON true;

-- Every package whose counter differs from its ledger. Always empty.
CREATE FUNCTION reconcile() RETURNS TABLE(package_id uuid, sessions_used int, ledger_sum int)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = tutor, pg_temp AS $$
    SELECT p.id, p.sessions_used, coalesce(sum(l.delta), 0)::int
      FROM packages p LEFT JOIN package_ledger l ON l.package_id = p.id
     GROUP BY p.id
    HAVING p.sessions_used <> coalesce(sum(l.delta), 0);
$$;
