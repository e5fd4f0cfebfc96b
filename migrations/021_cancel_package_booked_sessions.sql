-- Cancelling a package says what becomes of the sessions still booked on it (sql/04_balances.sql creates the new
-- signature); the helper it no longer needs goes too.
SET LOCAL ROLE tutor_owner;
SET LOCAL search_path = tutor;

DROP FUNCTION IF EXISTS cancel_package(uuid, text, uuid);
DROP FUNCTION IF EXISTS _cancel_one(uuid, text);
