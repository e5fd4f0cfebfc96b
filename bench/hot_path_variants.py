"""Other orders of use_session's work, to measure against the one in sql/04_balances.sql in the benchmark's own
database: each replaces tutor.use_session (and the wake-up one tutor._announce_package) there and nowhere else.
They skip what the measured path never meets (a refusal) but are otherwise the same function."""

from __future__ import annotations

_HEAD = """
CREATE OR REPLACE FUNCTION tutor.use_session(p_package_id uuid, p_request_id uuid DEFAULT NULL,
                                             p_reason text DEFAULT NULL)
RETURNS TABLE(applied boolean, sessions_used int, sessions_total int, sessions_remaining int, reason text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = tutor, pg_temp AS $$
#variable_conflict use_column
DECLARE
    v_prior  jsonb;
    v_used   int;
    v_total  int;
BEGIN
    PERFORM _require_staff('front_desk', 'admin');
    p_reason := _check_text(p_reason, 'The reason', 500);
    v_prior := _claim_request(p_request_id, 'use_session', p_package_id::text);
    IF v_prior IS NOT NULL THEN
        RETURN QUERY SELECT * FROM _balance(p_package_id, (v_prior ->> 'applied')::boolean, v_prior ->> 'reason');
        RETURN;
    END IF;
"""
_TAKE = """
    UPDATE packages p SET sessions_used = p.sessions_used + 1
     WHERE p.id = p_package_id AND p.status = 'active' AND (p.expires_at IS NULL OR p.expires_at > now())
       AND p.sessions_used < p.sessions_total
    RETURNING p.sessions_used, p.sessions_total INTO v_used, v_total;
"""
_LEDGER = """
    INSERT INTO package_ledger (package_id, delta, kind, reason, actor, request_id)
    VALUES (p_package_id, 1, 'manual_use', coalesce(p_reason, ''), session_user, p_request_id);
"""
_REST = """
    PERFORM _finish_request(p_request_id, '{"applied": true, "reason": null}');
    PERFORM _audit('manual_use', 'package', p_package_id::text, jsonb_build_object('reason', p_reason));
    PERFORM _announce_package('use_session', p_package_id);
"""
_ANSWER = """
    RETURN QUERY SELECT true, v_used, v_total, v_total - v_used, NULL::text;
END
$$;
"""

# The order before: a locking read of the package first, then the guarded UPDATE, every row, and the counts read
# again.
LOCK_FIRST = _HEAD + """
    PERFORM _lock_packages(ARRAY[p_package_id]);
""" + _TAKE + _LEDGER + _REST + """
    RETURN QUERY SELECT * FROM _balance(p_package_id, true, NULL);
END
$$;
"""
# The guarded UPDATE takes the row, then every row is written under its lock.
ROWS_AFTER = _HEAD + _TAKE + _LEDGER + _REST + _ANSWER
# Every row first, the ledger row too: its foreign-key check share-locks the package that other desks update.
LEDGER_FIRST = _HEAD + _REST + _LEDGER + _TAKE + _ANSWER

WAKE_UP = """
CREATE OR REPLACE FUNCTION tutor._announce_package(p_op text, p_package_id uuid) RETURNS bigint
LANGUAGE sql SET search_path = tutor, pg_temp AS $$
    SELECT pg_notify('tutor_desk_wake', '');
    INSERT INTO change_feed (kind, package_id, client_id, request_id)
    SELECT p_op, p.id, p.client_id, _current_request() FROM packages p WHERE p.id = p_package_id
    RETURNING id;
$$;
"""

VARIANTS = {
    "as in sql/ (rows first, the package last)": None,
    "a locking read first, rows after (the order before)": LOCK_FIRST,
    "the package first, rows after": ROWS_AFTER,
    "the ledger row first too": LEDGER_FIRST,
    "as in sql/, plus a wake-up NOTIFY per change": WAKE_UP,
}
