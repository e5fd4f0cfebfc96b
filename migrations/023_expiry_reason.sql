-- A change of expiry carries the reason staff give for it, shown in the package's history. CREATE OR REPLACE
-- cannot add an argument, so the old signature goes first; sql/08_clients.sql defines it afresh (and
-- sql/12_grants.sql grants it again).
SET LOCAL ROLE tutor_owner;
SET LOCAL search_path = tutor;

DROP FUNCTION IF EXISTS change_package_expiry(uuid, timestamptz, uuid);
