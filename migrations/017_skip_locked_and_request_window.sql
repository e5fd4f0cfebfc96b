-- Auto-complete reports the due sessions it left for the next run because another transaction held them (a new
-- column of its answer: the function is dropped here and sql/07_auto_complete.sql creates it again), and request
-- ids are kept for a window and then pruned (sql/01_helpers.sql): the prune finds old ones by their time.
SET LOCAL ROLE tutor_owner;
SET LOCAL search_path = tutor;

DROP FUNCTION IF EXISTS auto_complete_sessions(timestamptz);

CREATE INDEX requests_created_idx ON requests (created_at);

-- A request id is applied once while `requests` keeps it (its primary key). After the window a replay of it is a
-- new request, so the ledger can no longer hold each request id once forever: it keeps the id to say which
-- request wrote the row, without a unique constraint.
ALTER TABLE package_ledger DROP CONSTRAINT package_ledger_request_id_key;
