-- Reinstate may name the use it gives back (a ledger row of the package that nothing reversed yet); without one it
-- gives back the latest, as before. CREATE OR REPLACE cannot add an argument, so the old signatures go first; the
-- sql/ files applied right after define them afresh (and grant reinstate_session again).
SET LOCAL ROLE tutor_owner;
SET LOCAL search_path = tutor;

DROP FUNCTION IF EXISTS reinstate_session(uuid, uuid, text);
DROP FUNCTION IF EXISTS _change_package(text, uuid, text, uuid);
DROP FUNCTION IF EXISTS _reinstate_one(uuid, text, uuid);
