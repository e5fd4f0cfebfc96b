-- Auto-complete reports the due sessions it left for the next run because another transaction held them (a new
-- column of its answer: the function is dropped here and sql/07_auto_complete.sql creates it again), and request
-- ids are pruned after their window (sql/01_helpers.sql): the prune finds old ones by their time.
SET LOCAL ROLE tutor_owner;
SET LOCAL search_path = tutor;

DROP FUNCTION IF EXISTS auto_complete_sessions(timestamptz);

CREATE INDEX requests_created_idx ON requests (created_at);
