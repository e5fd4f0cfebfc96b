-- What importing from a spreadsheet needs: an external id a client or package may carry (the id it had in the
-- spreadsheet or tool it came from), so importing the same file again finds the rows it added; and a ledger kind
-- of its own for sessions used before Tutor Desk, so an imported package's counter equals its ledger and its
-- history says where those uses came from.
SET LOCAL ROLE tutor_owner;
SET LOCAL search_path = tutor;

ALTER TABLE clients ADD COLUMN external_id text UNIQUE CHECK (length(external_id) BETWEEN 1 AND 100);
ALTER TABLE packages ADD COLUMN external_id text UNIQUE CHECK (length(external_id) BETWEEN 1 AND 100);
-- Without an external id a client is known by name and e-mail address, as a person compares them.
CREATE INDEX clients_name_email_idx ON clients (lower(full_name), lower(coalesce(email, '')));

-- The ledger's kind checks, named, with 'used_before': a use (+1) of no session, written only by an import.
DO $$
DECLARE
    v record;
BEGIN
    FOR v IN SELECT conname FROM pg_constraint
              WHERE conrelid = 'tutor.package_ledger'::regclass AND contype = 'c'
                AND pg_get_constraintdef(oid) LIKE '%manual_use%' LOOP
        EXECUTE format('ALTER TABLE package_ledger DROP CONSTRAINT %I', v.conname);
    END LOOP;
END
$$;
ALTER TABLE package_ledger
    ADD CONSTRAINT package_ledger_kind_known CHECK (kind IN
        ('session_consumed', 'session_given_back', 'manual_use', 'manual_reinstate', 'used_before')),
    ADD CONSTRAINT package_ledger_delta_of_kind CHECK ((delta = 1) = (kind IN ('session_consumed', 'manual_use', 'used_before'))),
    ADD CONSTRAINT package_ledger_use_without_session CHECK (kind NOT IN ('manual_use', 'used_before') OR session_id IS NULL);
