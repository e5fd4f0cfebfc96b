-- A change of expiry carries the reason staff give for it, shown in the package's history; a session draws only
-- from packages bought by its day, judged in its time zone. CREATE OR REPLACE cannot add an argument, so the old
-- signatures go first; the sql/ files define them afresh (and sql/12_grants.sql grants them again).
SET LOCAL ROLE tutor_owner;
SET LOCAL search_path = tutor;

DROP FUNCTION IF EXISTS change_package_expiry(uuid, timestamptz, uuid);
DROP FUNCTION IF EXISTS _usable_packages(bigint, timestamptz);
