-- The change feed: one row for each thing a function changed (a package, a session, a client), which desk's request
-- did it, and the transaction that wrote it. Desks read it under row security and keep their place in it, so a
-- desk learns only of what it may see and catches up exactly after a reconnect. It replaces the NOTIFY payloads,
-- which any login could hear (and send), and whose commit-time lock made every announcing commit of the server
-- take turns. The functions that write it and the policy are in sql/.
SET LOCAL ROLE tutor_owner;
SET LOCAL search_path = tutor;

CREATE TABLE change_feed (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- The writing transaction's id (pg_current_xact_id as a number). Ids are handed out in start order but
    -- committed in any order; a reader delivers a row only once no transaction that began before it is still
    -- running (tutor_desktop/db/feed.py), so a row can never appear behind a reader's place.
    xid        bigint NOT NULL DEFAULT pg_current_xact_id()::text::bigint,
    kind       text NOT NULL,
    package_id uuid,
    session_id uuid,
    client_id  bigint,
    -- The tutor of session_id. On a row for the others (for_others), the tutor it is not for: a tutor who shares
    -- the client learns that the client's package changed, not which session of another tutor changed it.
    tutor_id   bigint,
    for_others boolean NOT NULL DEFAULT false,
    request_id uuid,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX change_feed_xid_idx ON change_feed (xid);
CREATE INDEX change_feed_created_idx ON change_feed (created_at);

-- The highest transaction id whose rows were pruned: a desk whose place is at or below it may have missed rows.
CREATE TABLE change_feed_pruned (
    one     boolean PRIMARY KEY DEFAULT true CHECK (one),
    through bigint NOT NULL
);
INSERT INTO change_feed_pruned (through) VALUES (0);

ALTER TABLE change_feed ENABLE ROW LEVEL SECURITY;
ALTER TABLE change_feed_pruned ENABLE ROW LEVEL SECURITY;
GRANT SELECT ON change_feed, change_feed_pruned TO tutor_desk_tutor, tutor_desk_front_desk, tutor_desk_admin;

-- use_session writes its own rows now (sql/04_balances.sql), in the order that holds the package for the shortest time.
DROP FUNCTION IF EXISTS _use_one(uuid, text, uuid);
